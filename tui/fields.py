"""The parts of a report the editor shows and their field descriptions; field text conversions
(`tongket.core.host.fieldtext`) re-exported under the names the app's modules use.

A "part" is one entry of the outline: four parts for the particulars (thể thức) and one per
section. Each part has a form: a list of (path, Field) pairs, the path addressing the value in
the project (see `tongket.core.report.session`). The same `Field` kinds the plugins use describe the
particulars, so one form generator serves both; the particulars' own come from their one
description, `tongket.core.report.particulars`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Text ↔ value conversions live in core (a Word reply's tables read with them too); the app's
# modules import them from here.
from tongket.core.host import fieldtext
from tongket.core.host.fieldtext import FieldValueError as FieldValueError
from tongket.core.host.fieldtext import decimal_text as decimal_text
from tongket.core.host.fieldtext import format_value as format_value
from tongket.core.host.fieldtext import parse_date as parse_date
from tongket.core.host.fieldtext import parse_decimal as parse_decimal
from tongket.core.host.sectiontypes import Field, SectionType
from tongket.core.render.citations import short_mentions
from tongket.core.report import particulars
from tongket.core.report.model import Citation, Project, Section
from tongket.core.report.tableread import normalize_text

PathT = tuple[str | int, ...]
FormSpec = list[tuple[PathT, Field]]


def parse_value(field: Field, text: str) -> Any:
    """The value for `text` typed into `field`'s widget (`fieldtext.parse_value`, which raises
    `FieldValueError` for text that does not read as the field's kind of value), NFC as the
    store reads a file (`normalize_text`): text typed on a Mac arrives decomposed, "ở" as
    "o" + horn + hook, and is saved composed like the rest of the report."""
    return fieldtext.parse_value(field, normalize_text(text))


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
