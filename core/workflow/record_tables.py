"""A Word reply's tables read into a section's record lists (đoàn, hội chợ, lớp tập huấn …).

The list sections' answer to `tongket_outline_read_tables`: a table whose column headings are
the labels of one record list's columns ("Năm | Đối tác | Nội dung làm việc" for the
delegations) becomes that list's rows. The lists the outline asks for are tried first. A
heading matches a column by its label, its name, the label's first part ("Tên hội chợ" for
"Tên hội chợ, triển lãm") or a close spelling; a "TT" column is numbering. Cells are read as
the app reads what is typed (`tongket.core.host.fieldtext`): "1.409", "02/4/2021", a list
split at ";" or line breaks, a choice by its value or label ("Trong nước"), or by a word of
it that names one choice alone ("Đoàn đến" for "Đón đoàn đến"). Rows of totals ("Tổng cộng")
are left out.

All or nothing, as for the figures: a heading that matches no column, a cell that does not
fit its column, are a reason, and the section stays free text with its tables. A type binds
it with `tongket.core.workflow.wanted.records_word_hooks(SECTION_TYPE)`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from tongket.core.host.fieldtext import FieldValueError, parse_value
from tongket.core.host.sectiontypes import Field
from tongket.core.report.editing import MISSING

__all__ = ["EMPTY_CELLS", "INDEX_HEADINGS", "cell_key", "is_total", "read_record_tables"]

# What every reading of a Word table agrees on (the economic results' reader too).
#: Headings of a numbering column, compared as `cell_key` gives them.
INDEX_HEADINGS = frozenset({"tt", "stt", "số tt", "số thứ tự"})
#: Cells that hold nothing: a dash or an "x" where there is no figure.
EMPTY_CELLS = frozenset({"", "-", "–", "—", "x", "…", "...", "./."})
_TOTAL = re.compile(r"(?:tổng|cộng)(?: cộng| số| giai đoạn.*| các năm.*)?")


def cell_key(text: str) -> str:
    """A cell or heading as compared: NFC, case folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def is_total(text: str) -> bool:
    """Whether a cell labels a total ("Tổng cộng", "Cộng", "Tổng giai đoạn 2016–2020")."""
    return bool(_TOTAL.fullmatch(cell_key(text)))


def _column_for(heading: str, columns: tuple[Field, ...]) -> Field | None:
    """The column a table heading names: exactly (label, name, the label's first part), else
    the one close spelling that no other column comes near."""
    key = cell_key(heading)
    for column in columns:
        label = cell_key(column.label)
        if key in (label, cell_key(column.name), label.split(",")[0].strip()):
            return column
    ratios = [difflib.SequenceMatcher(None, key, cell_key(c.label)).ratio() for c in columns]
    scored = sorted(((ratio, index) for index, ratio in enumerate(ratios)), reverse=True)
    if scored and scored[0][0] >= 0.8 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return columns[scored[0][1]]
    return None


def _mapping(header: list[str], columns: tuple[Field, ...]) -> tuple[dict[int, Field], list[str]]:
    """Table column → record column, and the headings that match none (or one already taken)."""
    found: dict[int, Field] = {}
    unmatched: list[str] = []
    for position, heading in enumerate(header):
        if not heading.strip() or cell_key(heading) in INDEX_HEADINGS:
            continue
        column = _column_for(heading, columns)
        if column is None or column in found.values():
            unmatched.append(heading.strip())
        else:
            found[position] = column
    return found, unmatched


def _choice(cell: str, column: Field) -> str:
    """A choice cell as the app takes it (its value or label), matched loosely: case, and a
    part of one label alone ("Đoàn đến" → "Đón đoàn đến")."""
    key = cell_key(cell)
    for value, label in column.choices:
        if key in (cell_key(value), cell_key(label)):
            return label
    near = [
        label
        for _value, label in column.choices
        if key in cell_key(label) or cell_key(label) in key
    ]
    return near[0] if len(near) == 1 else cell


def _row(row: list[str], mapping: dict[int, Field], where: str) -> dict[str, Any] | str | None:
    """A record from a table row; None for an empty row or a total; the reason it is not one."""
    cells = {position: row[position].strip() for position in mapping if position < len(row)}
    given = {
        position: cell for position, cell in cells.items() if cell_key(cell) not in EMPTY_CELLS
    }
    if all(mapping[position].name == "year" for position in given):
        return None  # empty, or a form's year row left blank: nothing reported that year
    if any(is_total(cell) for cell in given.values()):
        return None  # a row of totals: they follow from the rows
    record: dict[str, Any] = {}
    for position, cell in given.items():
        column = mapping[position]
        text = _choice(cell, column) if column.kind == "choice" else cell
        try:
            value = parse_value(column, text)
        except FieldValueError as error:
            return f"{where}, cột '{column.label}': '{cell}' {error}"
        if value is not MISSING:
            record[column.name] = value
    return record


@dataclass(frozen=True)
class _Fit:
    """How a table's headings fit one record list: its columns by table column, and the
    headings that name none of them."""

    spec: Field
    mapping: dict[int, Field]
    unmatched: list[str]


def read_record_tables(
    fields: tuple[Field, ...], wanted: dict[str, Any], tables: list[dict[str, Any]]
) -> dict[str, Any] | str | None:
    """The record lists read from every table (see the module's docstring): `{list: rows}`,
    the reason a table cannot be read whole, or None without tables."""
    if not tables:
        return None
    lists = [spec for spec in fields if spec.kind == "records"]
    asked = [spec for spec in lists if spec.name in wanted]
    candidates = asked + [spec for spec in lists if spec not in asked]
    data: dict[str, list[dict[str, Any]]] = {}
    for number, table in enumerate(tables, start=1):
        header = [str(cell) for cell in table.get("header") or []]
        fits = [_Fit(spec, *_mapping(header, spec.fields)) for spec in candidates]
        whole = [fit for fit in fits if fit.mapping and not fit.unmatched]
        if not whole:
            best = max(fits, key=lambda fit: len(fit.mapping), default=None)
            if best is None:
                return f"bảng {number}: mục không có danh sách nào để nhập"
            labels = ", ".join(column.label for column in best.spec.fields)
            shown = "', '".join(best.unmatched) or "(không có)"
            return (
                f"bảng {number}: cột '{shown}' không khớp cột nào của '{best.spec.label}' "
                f"(có: {labels})"
            )
        # The list whose columns the headings name most; the outline's lists first on a tie.
        fit = max(whole, key=lambda fit: len(fit.mapping))
        for index, row in enumerate(table.get("rows") or [], start=2):
            record = _row([str(cell) for cell in row], fit.mapping, f"bảng {number}, dòng {index}")
            if isinstance(record, str):
                return record
            if record is not None:
                data.setdefault(fit.spec.name, []).append(record)
    return data  # {} for a form left blank: the body has nothing to list
