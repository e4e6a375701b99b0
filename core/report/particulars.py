"""The one description of the particulars (thể thức): every `[document]` key, described once.

The TOML reader and writer (`tongket.core.report.store`), the one-line length check
(`tongket.core.checks`) and the app's form (`tongket.tui.fields`) are all derived from
`FIELDS`, the way a section type's `Field`s drive its editor and its shape check. The typed
model stays in `tongket.core.report.model` (`Particulars`, `Signer`); `TABLES` ties each TOML
table to its dataclass, and a test proves the dataclasses and `FIELDS` name the same fields in
the same order.

To add a particulars field: give the dataclass the attribute (with its default), describe it
here at the same position, then add the NĐ30 rules it needs to `checks.particulars_problems`
and its place in the previews and the document, if it is printed.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

from tongket.core.host.sectiontypes import Field
from tongket.core.report.model import KINDS, SIGNER_PREFIXES, Particulars, Signer

#: How the one-line check measures a field: a line (a name, a title, a list item) or a
#: sentence (trích yếu, closing). The limits themselves live in `tongket.core.checks`.
LengthClass = Literal["line", "sentence"]

#: The app's outline entries for the particulars, in order: (part key, Vietnamese title).
GROUPS: tuple[tuple[str, str], ...] = (
    ("header", "Tiêu đề văn bản"),
    ("recipients", "Kính gửi"),
    ("signing", "Câu kết và người ký"),
    ("distribution", "Nơi nhận"),
)

#: The dataclass each table of the particulars reads into, by its path below `[document]`.
TABLES: dict[tuple[str, ...], type] = {(): Particulars, ("signer",): Signer}


# A NamedTuple: cheaper to define at every start than a frozen dataclass (developer guide).
class ParticularsField(NamedTuple):
    """One key of `[document]` or a table below it: its form field and how it is read and checked.

    field: name (the TOML key), Vietnamese label, kind ("text", "longtext", "choice", "date" or
    "list"), help and choices, exactly as the app's form shows them.
    group: the outline entry whose form edits it (a key of `GROUPS`).
    table: the table below `[document]` that holds it: () or ("signer",) for `[document.signer]`.
    length: which one-line limit applies, or None for a value that is not free text (kind, date).
    load_choices: refuse a value outside `field.choices` when loading, because rendering depends
        on it (kind); other choices are left to the checks, which name the rule broken.
    integer_text: `number = 5` reads as "5", since a drafter types the số as a number.
    """

    field: Field
    group: str
    table: tuple[str, ...] = ()
    length: LengthClass | None = "line"
    load_choices: bool = False
    integer_text: bool = False

    @property
    def key(self) -> tuple[str, ...]:
        """The path below `[document]`: ("agency",), ("signer", "name")."""
        return (*self.table, self.field.name)

    @property
    def path(self) -> tuple[str, ...]:
        """The path from the top of the file, as problems and the form address it."""
        return ("document", *self.key)


FIELDS: tuple[ParticularsField, ...] = (
    ParticularsField(
        Field(
            "kind",
            "Loại văn bản",
            kind="choice",
            required=True,
            choices=tuple(zip(KINDS, ("Công văn", "Báo cáo"), strict=True)),
        ),
        "header",
        length=None,
        load_choices=True,
    ),
    ParticularsField(  # cơ quan chủ quản: the parent agency
        Field("parent_agency", "Cơ quan chủ quản", help="Ví dụ: UBND TỈNH QUẢNG NGÃI."), "header"
    ),
    ParticularsField(  # cơ quan ban hành: the issuing agency
        Field("agency", "Cơ quan ban hành", required=True, help="Ví dụ: SỞ CÔNG THƯƠNG."),
        "header",
    ),
    ParticularsField(  # số: filled in by the records office (văn thư)
        Field("number", "Số", help="Để trống khi còn là dự thảo; văn thư điền số."),
        "header",
        integer_text=True,
    ),
    ParticularsField(Field("symbol", "Ký hiệu", help="Ví dụ: SCT-VP."), "header"),
    ParticularsField(Field("place", "Địa danh", help="Ví dụ: Quảng Ngãi."), "header"),
    ParticularsField(Field("date", "Ngày ban hành", kind="date"), "header", length=None),
    ParticularsField(  # trích yếu: the subject line
        Field(
            "subject",
            "Trích yếu",
            kind="longtext",
            help="Không gõ 'V/v' hay 'Về việc': tongket tự thêm 'V/v' cho công văn.",
        ),
        "header",
        length="sentence",
    ),
    ParticularsField(  # Kính gửi: the addressees
        Field("recipients", "Nơi nhận ở dòng Kính gửi", kind="list", help="Mỗi dòng một nơi."),
        "recipients",
    ),
    ParticularsField(
        Field("closing", "Câu kết", help="Ví dụ: Sở Công Thương kính báo cáo./."),
        "signing",
        length="sentence",
    ),
    ParticularsField(  # thẩm quyền ký: KT., TL., …; checked as an NĐ30 rule, not at load
        Field(
            "prefix",
            "Thẩm quyền ký",
            kind="choice",
            choices=tuple((prefix, prefix or "(người đứng đầu ký)") for prefix in SIGNER_PREFIXES),
        ),
        "signing",
        table=("signer",),
    ),
    ParticularsField(
        Field("head_title", "Chức vụ người đứng đầu", help="Ví dụ: GIÁM ĐỐC."),
        "signing",
        table=("signer",),
    ),
    ParticularsField(  # TM. + KT.: "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
        Field(
            "for_head",
            "Ký thay người đứng đầu (sau TM.)",
            help="Khi ký TM. tập thể và cấp phó ký thay: ví dụ CHỦ TỊCH, in thành dòng "
            "KT. CHỦ TỊCH. Để trống nếu người đứng đầu tự ký.",
        ),
        "signing",
        table=("signer",),
    ),
    ParticularsField(
        Field("signer_title", "Chức vụ người ký", help="Khi ký thay (KT.): ví dụ PHÓ GIÁM ĐỐC."),
        "signing",
        table=("signer",),
    ),
    ParticularsField(Field("name", "Họ tên người ký"), "signing", table=("signer",)),
    ParticularsField(  # Nơi nhận: the distribution list, last "Lưu: …"
        Field(
            "distribution",
            "Nơi nhận",
            kind="list",
            help="Mỗi dòng một nơi; dòng cuối là 'Lưu: VT, …'.",
        ),
        "distribution",
    ),
)


def table_layout(table: tuple[str, ...] = ()) -> list[tuple[str, ParticularsField | None]]:
    """Each key of `table` with its description, or None for a table below it, in order.

    A table below is named where its first field is described: for `[document]` the keys are
    kind, parent_agency, …, closing, signer, distribution.
    """
    layout: dict[str, ParticularsField | None] = {}  # ordered, one entry per key
    depth = len(table)
    for spec in FIELDS:
        key = spec.key
        if len(key) > depth and key[:depth] == table and key[depth] not in layout:
            layout[key[depth]] = spec if len(key) == depth + 1 else None
    return list(layout.items())


def value_at(document: Particulars, key: tuple[str, ...]) -> Any:
    """The model's value at `key` below `[document]`: ("signer", "name") → document.signer.name."""
    value: Any = document
    for name in key:
        value = getattr(value, name)
    return value
