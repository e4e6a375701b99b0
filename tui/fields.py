"""The parts of a report the editor shows, their field descriptions, and field text conversions.

A "part" is one entry of the outline: four parts for the particulars (thể thức) and one per
section. Each part has a form: a list of (path, Field) pairs, the path addressing the value in
the project (see `tongket.core.report.session`). The same `Field` kinds the plugins use describe the
particulars, so one form generator serves both; the particulars' own come from their one
description, `tongket.core.report.particulars`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tongket.core.host.sectiontypes import Field, SectionType
from tongket.core.render import vnformat
from tongket.core.render.citations import short_mentions
from tongket.core.report import particulars
from tongket.core.report.model import Citation, Project, Section
from tongket.core.report.session import MISSING

PathT = tuple[str | int, ...]
FormSpec = list[tuple[PathT, Field]]


@dataclass(frozen=True)
class Part:
    """One outline entry: a group of particulars ("header", …) or section `index`."""

    key: str
    index: int = -1

    @property
    def is_section(self) -> bool:
        return self.key == "section"


def particulars_form() -> dict[str, tuple[str, FormSpec]]:
    """The particulars' outline entries (part key → title and form), from `particulars.FIELDS`."""
    return {
        group: (
            title,
            [(spec.path, spec.field) for spec in particulars.FIELDS if spec.group == group],
        )
        for group, title in particulars.GROUPS
    }


PARTICULARS: dict[str, tuple[str, FormSpec]] = particulars_form()

SECTION_META: tuple[Field, ...] = (
    Field("number", "Số mục", help="Ví dụ: 2.1. — để trống nếu mục không đánh số."),
    Field("heading", "Tiêu đề mục", help="Để trống: số mục đứng đầu đoạn văn đầu tiên."),
    Field(
        "table",
        "Bảng số liệu",
        kind="choice",
        required=True,
        choices=(
            ("inline", "In trong thân văn bản"),
            ("appendix", "Đưa vào phụ lục"),
            ("none", "Không in bảng"),
        ),
    ),
)


def parts_of(project: Project) -> list[Part]:
    """Every outline entry in order: the particulars, then the sections."""
    return [Part(key) for key in PARTICULARS] + [
        Part("section", index) for index in range(len(project.sections))
    ]


def part_of_path(path: PathT) -> Part | None:
    """The part holding the value at `path` (a problem's field), or None."""
    if len(path) >= 2 and path[0] == "sections" and isinstance(path[1], int):
        return Part("section", path[1])
    if path and path[0] == "document":
        key = path[1] if len(path) > 1 else ""
        # A table below [document] belongs where its first field is edited; a key nobody
        # describes (a problem at "document" itself) opens the first entry, the header.
        group = next(
            (spec.group for spec in particulars.FIELDS if spec.key[0] == key),
            particulars.GROUPS[0][0],
        )
        return Part(group)
    return None


#: How much of a section's text its opening words are looked for in: the outline names every
#: section on each refresh, and a long free text needs no more than its start for 8 words.
OPENING_CHARS = 600


def section_title(
    section: Section, types: dict[str, SectionType], citations: dict[str, Citation] | None = None
) -> str:
    """How the outline names a section: number, then heading, type title or opening words.

    In the opening words a mention of a known citation reads as the document says it
    ("Thực hiện Công văn số 552- CV/TU …"), not as its markup "[[cv552]]".
    """
    name = section.heading
    if not name:
        section_type = types.get(section.type)
        if section.type == "free-text" or section_type is None:
            text = section.data.get("text", "") if isinstance(section.data, dict) else ""
            text = str(text)[:OPENING_CHARS]
            if citations and "[[" in text:
                text = short_mentions(text, citations)
            words = " ".join(text.split()[:8])
            name = words or (section_type.title if section_type else section.type)
        else:
            name = section_type.title
    return f"{section.number} {name}".strip()


def form_spec(
    part: Part, project: Project, types: dict[str, SectionType], *, data_fields: bool = True
) -> FormSpec:
    """The fields the editor shows for `part`, each with its path in the project.

    Without `data_fields`, only the section's number, heading and table placement (its data
    has an editor of its plugin's own).
    """
    if not part.is_section:
        return list(PARTICULARS[part.key][1])
    section = project.sections[part.index]
    base: PathT = ("sections", part.index)
    section_type = types.get(section.type)
    spec: FormSpec = []
    if section_type is not None and data_fields:
        data = section.data
        spec += [
            ((*base, "data", field.name), field)
            for field in section_type.fields
            if not field.filled_only or data.get(field.name)
        ]
    spec += [((*base, field.name), field) for field in SECTION_META]
    return spec


# -- text ↔ value ---------------------------------------------------------------------------


def format_value(field: Field, value: Any) -> str:
    """A stored value as the text an input shows (Vietnamese numbers, dd/mm/yyyy dates)."""
    if value is MISSING or value is None:
        return ""
    kind = field.kind
    if kind == "integer" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # years and counts: "2011", never "2.011"
    if kind == "decimal" and isinstance(value, int | float) and not isinstance(value, bool):
        return decimal_text(value)
    if kind == "date":
        if isinstance(value, dt.date):
            return f"{value.day:02d}/{value.month:02d}/{value.year}"
        return str(value)
    if kind == "choice":
        return dict(field.choices).get(value, str(value))
    if kind == "bool":
        return "có" if value else "không"
    if kind == "list" and isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if kind == "records" and isinstance(value, list):
        return f"({len(value)} dòng)"
    return str(value)


def decimal_text(value: float | int) -> str:
    """1409 → "1.409", 7.68 → "7,68": as many decimals as the value has (up to 6)."""
    text = f"{Decimal(str(value)).normalize():f}"
    decimals = len(text.partition(".")[2])
    return vnformat.number(value, min(decimals, 6))


class FieldValueError(ValueError):
    """Text that does not fit the field; the message says what was expected (Vietnamese)."""


def parse_value(field: Field, text: str) -> Any:
    """The value for typed `text` (MISSING when left empty); raises `FieldValueError`."""
    kind = field.kind
    stripped = text.strip()
    if kind in ("text", "longtext"):
        return text
    if kind == "list":
        separator = "\n" if "\n" in text else ";"
        return [item.strip() for item in text.split(separator) if item.strip()]
    if not stripped:
        return MISSING
    if kind == "integer":
        number = _number(stripped, "cần một số nguyên, ví dụ 2021 hoặc 1.409")
        if number != number.to_integral_value():
            raise FieldValueError("cần một số nguyên, không có phần thập phân")
        return int(number)
    if kind == "decimal":
        return parse_decimal(stripped)
    if kind == "date":
        return parse_date(stripped)
    if kind == "choice":
        for value, label in field.choices:
            if stripped in (value, label):
                return value
        raise FieldValueError("cần một trong: " + ", ".join(label for _, label in field.choices))
    if kind == "bool":
        if stripped.lower() in ("có", "co", "true", "1", "x", "đúng"):
            return True
        if stripped.lower() in ("không", "khong", "false", "0", "sai"):
            return False
        raise FieldValueError("cần 'có' hoặc 'không'")
    return text


def parse_decimal(text: str) -> int | float:
    """ "1.409" → 1409, "7,7" → 7.7, "-2,2" → -2.2; a lone dot with 1–2 decimals ("7.7") is
    read as a point, since no Vietnamese number has a thousands group that short."""
    number = _number(text.strip(), "cần một số, ví dụ 1.409 hoặc 7,7")
    return int(number) if number == number.to_integral_value() else float(number)


def _number(text: str, expected: str) -> Decimal:
    """The one number syntax of every number field (`vnformat.read_number`): '.' groups
    thousands, ',' is the decimal sign, a leading '-' for negatives."""
    try:
        return vnformat.read_number(text)
    except ValueError:
        raise FieldValueError(f"{expected} (dấu chấm ngăn nghìn, dấu phẩy thập phân)") from None


def parse_date(text: str) -> dt.date:
    """ "02/4/2021" or "2021-04-02" → a date; anything else says which form is expected."""
    try:
        return vnformat.parse_date_numeric(text)
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise FieldValueError(
            "cần một ngày có thật, dạng ngày/tháng/năm, ví dụ 02/4/2021"
        ) from None
