"""What a plugin registers: a section type and the field descriptions its editor is built from."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

FieldKind = Literal[
    "text", "longtext", "integer", "decimal", "date", "choice", "bool", "records", "list"
]
FIELD_KINDS: tuple[str, ...] = (
    "text", "longtext", "integer", "decimal", "date", "choice", "bool", "records", "list",
)  # fmt: skip


@dataclass(frozen=True)
class Field:
    """One field of a section's data, described well enough to generate a form editor.

    kind: "text" (one line), "longtext" (prose, paragraphs separated by blank lines),
    "integer", "decimal", "date", "choice" (one of `choices`), "bool", "list" (of one-line
    strings) or "records" (a grid: a list of tables, each described by `fields`).
    """

    name: str
    label: str  # Vietnamese label shown in the editor
    kind: FieldKind = "text"
    unit: str = ""  # "triệu USD", "%", "lượt"
    required: bool = False
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, Vietnamese label)
    fields: tuple[Field, ...] = ()  # the columns of a "records" field
    #: Shown in the app only while it holds something: text a command writes for the drafter
    #: to read (what `tongket merge` gathers), not a field to fill in every report.
    filled_only: bool = False
    #: For a "records" field, the columns that name one thing (a fair: its year and name).
    #: Merging bodies' replies, rows of different bodies alike in them but different
    #: elsewhere may be one thing reported twice: a finding asks the coordinator.
    identity: tuple[str, ...] = ()
    #: Other headings a Word table gives this column (a records field's column): the heading
    #: the type's own printed table uses ("Hạng sao" for "Hạng sao OCOP") and common ones.
    #: Reading a Word reply's tables, a heading names the column by its label, its name, one
    #: of these, or a close spelling of the label.
    headings: tuple[str, ...] = ()
    #: For a "choice" field, other words people write for a choice, as (word, stored value):
    #: ("Đoàn vào", "den"). Typed in the app or found in a Word table's cell, a word reads as
    #: its choice, in any case.
    choice_words: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in FIELD_KINDS:
            raise ValueError(f"field {self.name!r}: unknown kind {self.kind!r}")
        if self.kind == "records" and not self.fields:
            raise ValueError(f"field {self.name!r}: a records field needs its own fields")
        unknown = set(self.identity) - {column.name for column in self.fields}
        if unknown:
            raise ValueError(f"field {self.name!r}: identity names no column {sorted(unknown)}")
        if self.kind == "choice" and not self.choices:
            raise ValueError(f"field {self.name!r}: a choice field needs choices")
        stray = {value for _word, value in self.choice_words} - {v for v, _l in self.choices}
        if stray:
            raise ValueError(f"field {self.name!r}: choice_words name no choice {sorted(stray)}")


@dataclass(frozen=True)
class SectionType:
    """A kind of section a plugin contributes (registered through `tongket_section_types`)."""

    id: str  # stable identifier stored in the TOML, e.g. "economic-results"
    title: str  # Vietnamese name shown to drafters
    version: int = 1  # bump when the shape of `data` changes; see `tongket_migrate_section`
    fields: tuple[Field, ...] = ()
    default_data: dict[str, Any] = field(default_factory=dict)
    description: str = ""

    def new_data(self) -> dict[str, Any]:
        """A fresh copy of the default data, safe to edit."""
        return copy.deepcopy(self.default_data)


def repeated_field_names(fields: Iterable[Field], prefix: str = "") -> list[str]:
    """Field names used twice at one level, the columns of `records` fields included
    ("yearly.year"): the form and the data can only ever hold one of them."""
    fields = tuple(fields)
    names = [spec.name for spec in fields]
    repeated = sorted({f"{prefix}{name}" for name in names if names.count(name) > 1})
    for spec in fields:
        if spec.fields:
            repeated += repeated_field_names(spec.fields, f"{prefix}{spec.name}.")
    return repeated
