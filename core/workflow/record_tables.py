"""A Word reply's tables read into a section's record lists (đoàn, hội chợ, lớp tập huấn …).

The list sections' answer to `tongket_outline_read_tables`: a table whose column headings are
the labels of one record list's columns ("Năm | Đối tác | Nội dung làm việc" for the
delegations) becomes that list's rows. The lists the outline asks for are tried first. A
heading matches a column by its label, its name, one of its declared `Field.headings` (the
type's own printed heading: "Hạng sao" for "Hạng sao OCOP"), the label's first part ("Tên
hội chợ" for "Tên hội chợ, triển lãm") or a close spelling; a "TT" column is numbering.
Cells are read as the app reads what is typed (`tongket.core.host.fieldtext`): "1.409",
"02/4/2021", a number with its column's unit ("4 sao"), a list split at ";" or line breaks
(at "," when it has neither), a choice by its value or label ("Trong nước"), or by a word
of it that names one choice alone ("Đoàn đến" for "Đón đoàn đến").

Totals follow from the rows: a row of totals ("Tổng cộng") is left out, and a total column
("Tổng số" after "Lớp tập huấn | Hội thảo") is checked against the columns it adds up, then
left out. A type whose printed table is not one list's columns (a table mixing delegations
and agreements, a pivot of years by outlet) gives its own reader of that shape
(`PrintedTableReader`), tried first; its cells are then read the same way.

All or nothing, as for the figures: a heading that matches no column, a cell that does not
fit its column, a total that is not the sum, are a reason, and the section stays free text
with its tables. A type binds it with
`tongket.core.workflow.wanted.records_word_hooks(SECTION_TYPE, printed=…)`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tongket.core.host.fieldtext import FieldValueError, decimal_text, parse_value
from tongket.core.host.sectiontypes import Field
from tongket.core.render import vnformat
from tongket.core.report.editing import MISSING

if TYPE_CHECKING:
    from tongket.core.workflow.wanted import PrintedTableReader

__all__ = [
    "EMPTY_CELLS",
    "INDEX_HEADINGS",
    "cell_key",
    "column_for",
    "is_total",
    "read_record_tables",
]

# What every reading of a Word table agrees on (the economic results' reader too).
#: Headings of a numbering column, compared as `cell_key` gives them.
INDEX_HEADINGS = frozenset({"tt", "stt", "số tt", "số thứ tự"})
#: Cells that hold nothing: a dash or an "x" where there is no figure.
EMPTY_CELLS = frozenset({"", "-", "–", "—", "x", "…", "...", "./."})
_TOTAL = re.compile(r"(?:tổng|cộng)(?: cộng| số| giai đoạn.*| các năm.*)?")
#: Headings reports give the year column of a list: "Thời gian" over "Tháng 5/2019".
_WHEN_HEADINGS = frozenset({"thời gian", "thời điểm", "năm thực hiện", "năm tổ chức"})
_YEAR_IN = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def cell_key(text: str) -> str:
    """A cell or heading as compared: NFC, case folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def is_total(text: str) -> bool:
    """Whether a cell labels a total ("Tổng cộng", "Cộng", "Tổng giai đoạn 2016–2020")."""
    return bool(_TOTAL.fullmatch(cell_key(text)))


def column_for(heading: str, columns: tuple[Field, ...]) -> Field | None:
    """The column a table heading names: exactly (label, name, the label's first part), else
    the one close spelling that no other column comes near."""
    key = cell_key(heading)
    if key in _WHEN_HEADINGS:
        return next((column for column in columns if column.name == "year"), None)
    for column in columns:
        label = cell_key(column.label)
        named = (label, cell_key(column.name), label.split(",")[0].strip())
        if key in named or key in {cell_key(other) for other in column.headings}:
            return column
    ratios = [difflib.SequenceMatcher(None, key, cell_key(c.label)).ratio() for c in columns]
    scored = sorted(((ratio, index) for index, ratio in enumerate(ratios)), reverse=True)
    if scored and scored[0][0] >= 0.8 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return columns[scored[0][1]]
    return None


def _mapping(
    header: list[str], columns: tuple[Field, ...]
) -> tuple[dict[int, Field], dict[int, tuple[int, ...]], list[str]]:
    """Table column → record column; the total columns ("Tổng số") with the number columns
    each adds up (those since the previous total); and the headings that match none (or a
    column already taken)."""
    found: dict[int, Field] = {}
    totals: dict[int, tuple[int, ...]] = {}
    unmatched: list[str] = []
    since = 0
    for position, heading in enumerate(header):
        if not heading.strip() or cell_key(heading) in INDEX_HEADINGS:
            continue
        if is_total(heading):
            summed = tuple(
                at for at in range(since, position) if at in found and _is_count(found[at])
            )
            if summed:
                totals[position], since = summed, position + 1
                continue
        column = column_for(heading, columns)
        if column is None or column in found.values():
            unmatched.append(heading.strip())
        else:
            found[position] = column
    return found, totals, unmatched


def _is_count(column: Field) -> bool:
    """A column a total adds up: a number that is not the year."""
    return column.kind in ("integer", "decimal") and column.name != "year"


def _choice(cell: str, column: Field) -> str:
    """A choice cell as the app takes it (its value, label or one of its `choice_words`),
    matched loosely: case, and a part of one label alone ("Đoàn đến" → "Đón đoàn đến")."""
    key = cell_key(cell)
    for value, label in column.choices:
        if key in (cell_key(value), cell_key(label)):
            return label
    if any(key == cell_key(word) for word, _value in column.choice_words):
        return cell  # the app's reading takes it (`parse_value`)
    near = [
        label
        for _value, label in column.choices
        if key in cell_key(label) or cell_key(label) in key
    ]
    return near[0] if len(near) == 1 else cell


def _typed_text(cell: str, column: Field) -> str:
    """A cell as the app would have it typed: a choice by its label, a year by the one year
    the cell names ("Tháng 5/2019"), a number without the column's unit ("4 sao", "500
    bản"), a list split at ";" — or at "," when it has no ";" (tables join names with
    commas: "Tiếng Việt, tiếng Lào")."""
    if column.kind == "choice":
        return _choice(cell, column)
    if column.name == "year" and column.kind == "integer":
        # "Năm 2019", "Tháng 5/2019", "15/3/2019", "Quý I/2019": the one year it names.
        years = set(_YEAR_IN.findall(cell))
        return years.pop() if len(years) == 1 else cell
    if column.kind in ("integer", "decimal") and column.unit:
        unit = cell_key(column.unit)
        if cell_key(cell).endswith(" " + unit):
            return cell[: len(cell.rstrip()) - len(unit)].strip()
    if column.kind == "list" and ";" not in cell and "\n" not in cell:
        return cell.replace(",", ";")
    return cell


def _record(cells: list[tuple[Field, str]], where: str) -> dict[str, Any] | str | None:
    """A record from (column, cell text) pairs; None for an empty row or a year alone (a
    form's row left blank: nothing reported that year); else the reason the cells are not
    one."""
    given = [(column, cell.strip()) for column, cell in cells]
    given = [(column, cell) for column, cell in given if cell_key(cell) not in EMPTY_CELLS]
    if all(column.name == "year" for column, _cell in given):
        return None
    record: dict[str, Any] = {}
    for column, cell in given:
        try:
            value = parse_value(column, _typed_text(cell, column))
        except FieldValueError as error:
            return f"{where}, cột '{column.label}': '{cell}' {error}"
        if value is not MISSING:
            record[column.name] = value
    return record


def _added(record: dict[str, Any], names: list[str]) -> Decimal:
    """The record's values in the columns `names`, added up exactly (a missing one is 0)."""
    return sum((Decimal(str(record.get(name, 0))) for name in names), Decimal(0))


def _total_mismatch(
    row: list[str], header: list[str], fit: _Fit, record: dict[str, Any], where: str
) -> str | None:
    """Why a row's total cell is not the sum of the cells it adds up (None when it is, or
    states no number): a total typed by hand that disagrees leaves the figures in doubt."""
    for position, summed in fit.totals.items():
        cell = row[position].strip() if position < len(row) else ""
        if cell_key(cell) in EMPTY_CELLS:
            continue
        try:
            stated = vnformat.read_number(cell)
        except ValueError:
            continue  # words: nothing stated to check, and the column is not read
        columns = [fit.mapping[at] for at in summed]
        added = _added(record, [column.name for column in columns])
        if stated != added:
            labels = ", ".join(f"'{column.label}'" for column in columns)
            return (
                f"{where}, cột '{header[position].strip()}': ghi {cell} nhưng các cột {labels} "
                f"cộng lại {decimal_text(added)}"
            )
    return None


class _ColumnSums:
    """The number columns (and total columns) added up row by row, to check a row of totals
    against: "Tổng cộng" must be the sum of every row above it, or of those since the row of
    totals before it (a table with a subtotal per period)."""

    def __init__(self, fit: _Fit, header: list[str]) -> None:
        self.fit, self.header = fit, header
        counted = [at for at, column in fit.mapping.items() if _is_count(column)]
        self.all = dict.fromkeys([*counted, *fit.totals], Decimal(0))
        self.since = dict(self.all)

    def _value(self, record: dict[str, Any], at: int) -> Decimal:
        summed = self.fit.totals.get(at, (at,))
        return _added(record, [self.fit.mapping[position].name for position in summed])

    def add(self, record: dict[str, Any]) -> None:
        for at in self.all:
            value = self._value(record, at)
            self.all[at] += value
            self.since[at] += value

    def check(self, cells: list[str], where: str) -> str | None:
        """Why a row of totals is not the sum of the rows above (None when it is); starts
        the next subtotal."""
        for at, added in self.all.items():
            cell = cells[at].strip() if at < len(cells) else ""
            column = self.fit.mapping.get(at)
            try:
                stated = vnformat.read_number(_typed_text(cell, column) if column else cell)
            except ValueError:
                continue  # "–", "x" or words: nothing stated to check
            if stated not in (added, self.since[at]):
                return (
                    f"{where}, cột '{self.header[at].strip()}': ghi {cell} nhưng các dòng trên "
                    f"cộng lại {decimal_text(self.since[at])}"
                )
        self.since = dict.fromkeys(self.since, Decimal(0))
        return None


@dataclass(frozen=True)
class _Fit:
    """How a table's headings fit one record list: its columns by table column, its total
    columns with the columns each adds up, and the headings that name none of them."""

    spec: Field
    mapping: dict[int, Field]
    totals: dict[int, tuple[int, ...]]
    unmatched: list[str]


def _printed_records(
    fields: tuple[Field, ...], texts: list[tuple[str, int, dict[str, str]]], number: int
) -> dict[str, list[dict[str, Any]]] | str:
    """A printed table's rows (as its type's reader gave them) made records."""
    lists = {spec.name: spec for spec in fields if spec.kind == "records"}
    data: dict[str, list[dict[str, Any]]] = {}
    for name, index, cells in texts:
        columns = {column.name: column for column in lists[name].fields}
        pairs = [(columns[column], text) for column, text in cells.items()]
        record = _record(pairs, f"bảng {number}, dòng {index + 2}")
        if isinstance(record, str):
            return record
        if record is not None:
            data.setdefault(name, []).append(record)
    return data


def _table_records(
    candidates: list[Field], table: dict[str, Any], number: int
) -> dict[str, list[dict[str, Any]]] | str:
    """One table read by its headings: the records of the list they name, or why not."""
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
    records: list[dict[str, Any]] = []
    sums = _ColumnSums(fit, header)
    for index, row in enumerate(table.get("rows") or [], start=2):
        cells = [str(cell) for cell in row]
        where = f"bảng {number}, dòng {index}"
        if any(is_total(cell) for cell in cells):
            mismatch = sums.check(cells, where)  # a row of totals: they follow from the rows
            if mismatch:
                return mismatch
            continue
        pairs = [
            (column, cells[at] if at < len(cells) else "") for at, column in fit.mapping.items()
        ]
        record = _record(pairs, where)
        if isinstance(record, str):
            return record
        mismatch = _total_mismatch(cells, header, fit, record or {}, where)
        if mismatch:
            return mismatch
        if record is not None:
            records.append(record)
            sums.add(record)
    return {fit.spec.name: records} if records else {}


def read_record_tables(
    fields: tuple[Field, ...],
    wanted: dict[str, Any],
    tables: list[dict[str, Any]],
    printed: PrintedTableReader | None = None,
) -> dict[str, Any] | str | None:
    """The record lists read from every table (see the module's docstring): `{list: rows}`,
    the reason a table cannot be read whole, or None without tables. `printed` reads the
    table the type prints itself, when its shape is not one list's columns."""
    if not tables:
        return None
    lists = [spec for spec in fields if spec.kind == "records"]
    asked = [spec for spec in lists if spec.name in wanted]
    candidates = asked + [spec for spec in lists if spec not in asked]
    data: dict[str, list[dict[str, Any]]] = {}
    for number, table in enumerate(tables, start=1):
        own = None
        if printed is not None:
            header = [str(cell) for cell in table.get("header") or []]
            rows = [[str(cell) for cell in row] for row in table.get("rows") or []]
            own = printed(header, rows)
        if isinstance(own, str):
            return f"bảng {number}, {own}"
        read = (
            _printed_records(fields, own, number)
            if own is not None
            else _table_records(candidates, table, number)
        )
        if isinstance(read, str):
            return read
        for name, records in read.items():
            data.setdefault(name, []).extend(records)
    return data  # {} for a form left blank: the body has nothing to list
