"""Figures of an economic-results section read from a Word reply's tables (`tongket import`).

A body that does not use tongket answers the outline in Word, its figures in a table, one way
round or the other:

    Chỉ tiêu            | ĐVT       | 2019  | 2020  | 2021 (ước)      years across
    Kim ngạch xuất khẩu | triệu USD | 1.080 | 1.409 | 1.500

    Năm        | Kim ngạch xuất khẩu (triệu USD)                        years down
    2019       | 1.080
    2021 (ƯTH) | 1.500

`read_tables` turns them into the section's `indicators`: a row (or column) named like a
wanted indicator takes the outline's name, and its unit when the table gives none; any other
becomes an indicator of its own. "ước", "ƯTH" or "*" by a year marks its figures as estimates
(ước thực hiện), as does "ước" in a "Ghi chú" column. Numbers are read the Vietnamese way
("1.409", "7,7"). Totals ("Tổng cộng", "Cộng") and rates of change ("Tăng so với năm trước
(%)", as tongket's own exported table has) are left out: they follow from the figures; a rate
over the year before is checked against them first (as growth, 12,5, or as an index, 112,5;
for a rate in %, also as a change in percentage points). What is left out with figures in it
is said, table and row (or column), in the section's `left_out`, which `check` shows. A row
whose name starts like a change ("Tăng", "Giảm", "Tốc độ", "So với") but names something of
its own ("Tốc độ tăng trưởng GRDP", "Giảm số hộ nghèo") is an indicator, read as any other.
The "TT" column is numbering.

All or nothing: a cell that is not a number, a column that is neither a year nor a label nor a
unit ("Ghi chú" saying more than "ước"), a year given twice with two values, a rate of change
the figures do not give, a table without years: the reading is refused with the reason, and
the section stays free text with its tables as the Word file had them, never half-read.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tongket.core.render import vnformat
from tongket.core.workflow.record_tables import EMPTY_CELLS, INDEX_HEADINGS, cell_key, is_total

from .economic_data import MAX_DECIMALS, is_percent_unit, is_ratio_unit
from .economic_outline import prefill

_ESTIMATE = r"(?:ước(?: thực hiện| th| tính)?|ưth|uth)"  # ước thực hiện: an estimate
_YEAR = re.compile(
    rf"(?:năm )?(?:(?P<before>{_ESTIMATE}) (?:năm )?)?(?P<year>(?:19|20)\d\d)"
    rf"(?: ?\((?P<inside>{_ESTIMATE})\)| (?P<after>{_ESTIMATE})|(?P<star> ?\*))?"
)
_UNIT_HEADERS = frozenset({"đvt", "đơn vị tính", "đơn vị", "đv tính", "đvt:"})
_INDEX_CELL = re.compile(r"\d+\.?|[ivxlc]+\.?|[a-zđ][.)]?")
_CHANGE = re.compile(r"(?:tăng|giảm|tốc độ|so với|so sánh|tỷ lệ tăng|mức tăng)\b")
#: The words a rate of change is said in ("Tốc độ tăng bình quân", "Tăng/giảm so với cùng kỳ
#: năm trước", "So với kế hoạch năm"): a label starting like a change that says anything more
#: ("Tốc độ tăng trưởng GRDP", "Giảm số hộ nghèo") names an indicator of its own.
_CHANGE_WORDS = frozenset(
    re.findall(
        r"\S+",
        "tăng giảm tốc độ trưởng so với sánh tỷ lệ mức thêm bình quân bq hằng hàng năm trước "
        "cùng kỳ kế hoạch kh chỉ số phát triển thực hiện th đạt ước giai đoạn gđ của theo",
    )
)
_NOT_WORDS = re.compile(r"\([^()]*\)|[\d%/+\-–—:;,.()]")
_NOTE_HEADERS = frozenset({"ghi chú", "ghi chú:"})
_ESTIMATE_NOTE = re.compile(rf"{_ESTIMATE}|số {_ESTIMATE}|số liệu {_ESTIMATE}")
_UNIT_IN_NAME = re.compile(r"^(?P<name>.*\S)\s*\((?P<unit>[^()]+)\)$")
#: A rate of change over the year before ("Tăng so với năm trước (%)", "So với cùng kỳ năm
#: trước"): checked against the figures, since it can be.
_YEAR_ON_YEAR = re.compile(r".*\bnăm trước\b.*")


def year_of(text: str) -> tuple[int, bool] | None:
    """ "2021", "Năm 2021", "2021 (ước)", "Ước TH 2021", "2021*" → (2021, estimated); else None."""
    match = _YEAR.fullmatch(cell_key(text))
    if not match:
        return None
    estimated = any(match.group(name) for name in ("before", "inside", "after", "star"))
    return int(match.group("year")), estimated


class Unreadable(Exception):
    """Why a table cannot be read whole into figures (Vietnamese, names the table and cell)."""


@dataclass
class _Indicator:
    name: str
    unit: str
    wanted: bool
    decimals: int = 0
    values: dict[int, tuple[int | float, bool]] = field(default_factory=dict)


@dataclass(frozen=True)
class _StatedChange:
    """A rate of change over the year before, as a table states it, for `indicator`."""

    where: str
    indicator: _Indicator
    year: int
    text: str


@dataclass
class _StatedTotal:
    """A "Tổng cộng" row's figure for `year`, over the indicator rows above it in its table."""

    where: str
    rows: list[_Indicator]
    year: int
    text: str


class _Reading:
    """The indicators read so far, matched to the wanted ones by name."""

    def __init__(self, wanted: list[dict[str, Any]]) -> None:
        self.changes: list[_StatedChange] = []
        self.totals: list[_StatedTotal] = []
        self.left_out: list[str] = []  # what was not read, with figures in it: said, not dropped
        self.indicators: list[_Indicator] = [
            _Indicator(item["name"].strip(), item.get("unit", "").strip(), True) for item in wanted
        ]
        self.wanted = list(self.indicators)
        # Indicators by (name, unit) and by name alone, as rows and columns call them: a
        # table of thousands of rows is looked up, never compared row by row (only the few
        # wanted names are compared loosely).
        self.by_name_and_unit: dict[tuple[str, str], _Indicator] = {}
        self.by_name: dict[str, _Indicator] = {}

    def indicator(self, label: str, unit: str) -> _Indicator:
        name, unit = _name_and_unit(label, unit)
        key = (cell_key(name), cell_key(unit))
        found = self.by_name_and_unit.get(key) or (None if unit else self.by_name.get(key[0]))
        if found is None:
            found = self._wanted_one(name, unit) or self._new(_as_in_sentence(name), unit)
            self.by_name_and_unit.setdefault(key, found)
            self.by_name.setdefault(key[0], found)
        return found

    def wants(self, label: str) -> bool:
        """Whether a row or column names a wanted indicator (kept even if it reads like a
        rate of change: "tăng trưởng kinh tế")."""
        name, _unit = _name_and_unit(label, "")
        return any(_same_name(known.name, name) for known in self.wanted)

    def _wanted_one(self, name: str, unit: str) -> _Indicator | None:
        """The wanted indicator a row or column names (or its variant in another unit)."""
        same_unit = [
            known for known in self.wanted if not unit or cell_key(unit) == cell_key(known.unit)
        ]
        for known in same_unit:
            if _same_name(known.name, name):
                return known
        for known in self.wanted:  # a wanted indicator given in another unit: kept apart
            if _same_name(known.name, name):
                # Named with its unit: an indicator's name is unique in a section.
                return self._new(f"{known.name} ({unit})", unit)
        # "Kim ngạch" where one wanted indicator's name starts so ("kim ngạch xuất khẩu"), in
        # its unit: that one. Two such ("… xuất khẩu", "… nhập khẩu"): neither.
        starting = [k for k in same_unit if cell_key(k.name).startswith(cell_key(name) + " ")]
        return starting[0] if len(starting) == 1 else None

    def _new(self, name: str, unit: str) -> _Indicator:
        found = _Indicator(name, unit, False)
        self.indicators.append(found)
        return found

    def state_change(self, where: str, indicator: _Indicator, year: int, cell: str) -> None:
        """Keep a stated rate of change over the year before, to check once all is read."""
        if cell_key(cell) not in EMPTY_CELLS:
            self.changes.append(_StatedChange(where, indicator, year, cell.strip()))

    def check_changes(self) -> None:
        """Refuse a stated rate of change the figures cannot give: a typo in a figure (1.490
        for 1.409) shows there. Read as growth ("Tăng …": 12,5) or as an index (112,5). The
        figures are rounded as written ("1.409" is 1.408,5 to 1.409,5), and so is the rate:
        only a rate outside what the unrounded figures could give is refused."""
        for stated in self.changes:
            values = stated.indicator.values
            before, now = values.get(stated.year - 1), values.get(stated.year)
            if before is None or now is None or before[0] <= 0:
                continue  # nothing to compare with
            try:
                number = vnformat.read_number(stated.text.removesuffix("%").strip().lstrip("+"))
            except ValueError:
                continue  # words ("tăng mạnh"): nothing to check, and the column is not read
            low, high = _growth_bounds(before[0], now[0])
            slack = _half_unit(number) * 2  # the rate's own rounding, and a little more
            if is_percent_unit(stated.indicator.unit):
                # A rate in % changes by percentage points (as tongket's own table prints it).
                points = Decimal(str(now[0])) - Decimal(str(before[0]))
                error = _half_unit(now[0]) + _half_unit(before[0]) + slack
                if abs(number - points) <= error:
                    continue
            if not any(low - slack <= number - base <= high + slack for base in (0, 100)):
                growth = (Decimal(str(now[0])) / Decimal(str(before[0])) - 1) * 100
                places = max(-_exponent(number), 1)
                raise Unreadable(
                    f"{stated.where}: ghi {stated.text} nhưng số liệu năm {stated.year - 1} và "
                    f"{stated.year} cho {vnformat.number(growth, places)}%"
                )

    def check_totals(self) -> None:
        """Refuse a total row the rows above it do not add up to (a typo in a figure or in the
        total; which one, only the body can say). Checked only where it can be: the rows in one
        unit that is not a rate, each with a figure for the year; the figures are rounded as
        written, so the sum may differ by their half-units."""
        for stated in self.totals:
            units = {cell_key(row.unit) for row in stated.rows}
            figures = [row.values.get(stated.year) for row in stated.rows]
            if len(units) != 1 or is_ratio_unit(stated.rows[0].unit) or None in figures:
                continue
            try:
                total = vnformat.read_number(stated.text)
            except ValueError:
                continue  # words in the cell: left out, as before
            added = sum((Decimal(str(value)) for value, _estimate in figures), Decimal(0))
            slack = _half_unit(total) + sum(_half_unit(value) for value, _ in figures)
            if abs(total - added) > slack:
                places = max(-_exponent(total), 0)
                raise Unreadable(
                    f"{stated.where}: tổng cộng năm {stated.year} ghi {stated.text} nhưng "
                    f"{len(figures)} dòng trên cộng lại {vnformat.number(added, places)}"
                )

    def leave_out(self, where: str, label: str, cells: list[str], what: str) -> None:
        """Say that a row or column with figures in it is not read (a total, a rate)."""
        if any(cell_key(cell) not in EMPTY_CELLS for cell in cells):
            self.left_out.append(f"{where} ('{' '.join(label.split())}'): {what}")

    def add(self, where: str, indicator: _Indicator, year: tuple[int, bool], cell: str) -> None:
        text = " ".join(cell.split())
        if text in EMPTY_CELLS:
            return
        if text.endswith(("%", "lần")) and not is_ratio_unit(indicator.unit):
            # vnformat reads "7,7%" as 7,7: in triệu USD that would be a figure it is not.
            raise Unreadable(f"{where}: '{text}' là tỷ lệ, chỉ tiêu tính bằng '{indicator.unit}'")
        try:
            number = vnformat.read_number(text)
        except ValueError:
            raise Unreadable(f"{where}: '{text}' không phải số") from None
        value = int(number) if number == number.to_integral_value() else float(number)
        places = max(-_exponent(number), 0)  # the decimals as written ("12,50": 2)
        indicator.decimals = max(indicator.decimals, min(places, MAX_DECIMALS))
        given = indicator.values.get(year[0])
        if given is not None and given[0] != value:
            raise Unreadable(
                f"{where}: năm {year[0]} của '{indicator.name}' ghi hai số "
                f"({vnformat.number(given[0], places)} và {text})"
            )
        indicator.values[year[0]] = (value, year[1] or bool(given and given[1]))


#: A row that details the one above ("Trong đó: xuất khẩu sang EU", "- Hàng nông sản").
_SUB_ITEM = re.compile(r"(?i)^\s*(trong đó|gồm|bao gồm|[-+•–]|[a-zđ]\))")


def _exponent(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


def _half_unit(value: int | float | Decimal) -> Decimal:
    """Half a unit of a number's last decimal as written: 1409 → 0,5; 12,5 → 0,05."""
    return Decimal(5).scaleb(_exponent(Decimal(str(value))) - 1)


def _growth_bounds(before: int | float, now: int | float) -> tuple[Decimal, Decimal]:
    """The least and the most growth (%) two rounded figures can stand for."""
    old, new = Decimal(str(before)), Decimal(str(now))
    old_error, new_error = _half_unit(before), _half_unit(now)
    low = ((new - new_error) / (old + old_error) - 1) * 100
    if old - old_error <= 0:
        return low, Decimal("Infinity")
    return low, ((new + new_error) / (old - old_error) - 1) * 100


def _name_and_unit(label: str, unit: str) -> tuple[str, str]:
    """The name and the unit (as said mid-sentence: "Lượt" → "lượt") of a row or column."""
    label = " ".join(label.split())
    match = _UNIT_IN_NAME.match(label)
    if match and not unit.strip():
        return match.group("name"), _as_in_sentence(match.group("unit").strip())
    return label, _as_in_sentence(" ".join(unit.split()))


def _same_name(first: str, second: str) -> bool:
    one, other = cell_key(first), cell_key(second)
    return one == other or difflib.SequenceMatcher(None, one, other).ratio() >= 0.9


def _as_in_sentence(name: str) -> str:
    # "Kim ngạch nhập khẩu" is said "kim ngạch nhập khẩu" mid-sentence; "GRDP" stays.
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def _years_only(row: list[str]) -> bool:
    """A second header row: blank under the first row's labels, then years. (A first body
    row of years down, "2019 | ", starts with its year.)"""
    return (
        bool(row)
        and not row[0].strip()
        and any(year_of(cell) for cell in row)
        and all(year_of(cell) or not cell.strip() for cell in row)
    )


def _header_row(table: dict[str, Any]) -> tuple[list[str], list[list[str]], int]:
    """The header to read (the row with the years when the first row only says "Năm"), the
    rows below it and the number of the first (the header is row 1); a two-row header's upper
    labels fill the lower row's blanks."""
    header = [str(cell) for cell in table.get("header") or []]
    rows = [[str(cell) for cell in row] for row in table.get("rows") or []]
    if not any(year_of(cell) for cell in header) and rows and _years_only(rows[0]):
        upper, header = header, rows[0]
        header = [low if low.strip() else up for up, low in zip(upper, header, strict=False)]
        return header, rows[1:], 3
    return header, rows, 2


def _words_in(cells: list[str]) -> int:
    return sum(any(character.isalpha() for character in cell) for cell in cells)


def _is_index(cells: list[str]) -> bool:
    """A numbering column: "1", "2." or "I", "a)" in every cell that has something."""
    given = [cell_key(cell) for cell in cells if cell.strip()]
    return bool(given) and all(_INDEX_CELL.fullmatch(cell) for cell in given)


def _read_across(
    number: int, header: list[str], rows: list[list[str]], first: int, reading: _Reading
) -> None:
    years = {column: year_of(cell) for column, cell in enumerate(header) if year_of(cell)}

    def cells(column: int) -> list[str]:
        return [row[column] for row in rows if column < len(row)]

    unit_column = next(
        (column for column, cell in enumerate(header) if cell_key(cell) in _UNIT_HEADERS), None
    )
    others = [
        column
        for column, cell in enumerate(header)
        if column not in years
        and column != unit_column
        and cell_key(cell) not in INDEX_HEADINGS
        and not (_follows(cell) and not reading.wants(cell))
        and not _is_index(cells(column))
    ]
    for column, cell in enumerate(header):
        if column not in years and _follows(cell) and not reading.wants(cell):
            reading.leave_out(f"bảng {number}, cột {column + 1}", cell, cells(column), _what(cell))
    # The names are the column with the most words in it; any other column with something in
    # it ("Ghi chú", "Tăng bình quân") holds what this reading would drop.
    label_column = max(others, key=lambda column: _words_in(cells(column)), default=None)
    for column in others:
        if column != label_column and any(cell.strip() for cell in cells(column)):
            raise Unreadable(
                f"bảng {number}: cột '{header[column].strip()}' không phải năm, tên hay đơn vị"
            )
    if label_column is None:
        raise Unreadable(f"bảng {number}: không có cột tên chỉ tiêu")
    above: _Indicator | None = None  # the indicator of the row above, for its rate of change
    since_total: list[_Indicator] = []  # the indicator rows a "Tổng cộng" row adds up
    had_sub_items = False  # a "Trong đó" row: which rows a total adds up is not known
    for index, row in enumerate(rows, start=first):
        label = row[label_column].strip() if label_column < len(row) else ""
        unit = row[unit_column] if unit_column is not None and unit_column < len(row) else ""
        figures = {column: row[column] for column in years if column < len(row)}
        if _follows(label) and not reading.wants(label):
            what = _what(label)
            if above is not None and _YEAR_ON_YEAR.fullmatch(cell_key(label)):
                what = f"tốc độ tăng của '{above.name}', đã đối chiếu với số liệu"
                for column, cell in figures.items():
                    where = f"bảng {number}, dòng {index}, cột {header[column].strip()}"
                    reading.state_change(where, above, years[column][0], cell)
            if is_total(label) and since_total:
                for column, cell in figures.items():
                    if cell_key(cell) not in EMPTY_CELLS:
                        where = f"bảng {number}, dòng {index}, cột {header[column].strip()}"
                        total = _StatedTotal(where, list(since_total), years[column][0], cell)
                        reading.totals.append(total)
                since_total = []
            reading.leave_out(f"bảng {number}, dòng {index}", label, list(figures.values()), what)
            continue  # a total or a rate of change: they follow from the figures
        if not any(cell_key(cell) not in EMPTY_CELLS for cell in figures.values()):
            continue  # a heading row without figures
        if not label:
            raise Unreadable(f"bảng {number}, dòng {index}: có số liệu mà không có tên chỉ tiêu")
        indicator = above = reading.indicator(label, unit)
        if _SUB_ITEM.match(label):
            since_total = []  # "Trong đó: …" is counted in its row above: no sum to check
            had_sub_items = True
        elif not had_sub_items:
            since_total.append(indicator)
        for column, cell in figures.items():
            where = f"bảng {number}, dòng {index}, cột {header[column].strip()}"
            reading.add(where, indicator, years[column], cell)


def _column(rows: list[list[str]], column: int) -> list[str]:
    return [row[column] for row in rows if column < len(row)]


def _says_estimate(cell: str) -> bool:
    """Whether a note cell is empty or says only "ước" (ước thực hiện, ƯTH …)."""
    return cell_key(cell) in EMPTY_CELLS or bool(_ESTIMATE_NOTE.fullmatch(cell_key(cell)))


def _follows(text: str) -> bool:
    """Whether a row or column holds what follows from the figures: a total ("Tổng cộng") or
    a rate of change ("Tăng so với năm trước (%)", "Tốc độ tăng bình quân"), which tongket
    works out itself (its own exported tables have such a column). A label that starts like
    a change but names something more ("Tốc độ tăng trưởng GRDP") is an indicator."""
    return is_total(text) or _is_change(text)


def _is_change(text: str) -> bool:
    """Whether a label is a rate of change and nothing more: every word of it (units in
    brackets, years and signs aside) is a word changes are said in (`_CHANGE_WORDS`)."""
    key = cell_key(text)
    if not _CHANGE.match(key):
        return False
    return set(_NOT_WORDS.sub(" ", key).split()) <= _CHANGE_WORDS


def _what(label: str) -> str:
    """Why a row or column is left out, as the note says it."""
    if is_total(label):
        return "tổng cộng, không đọc vào số liệu (tongket tự cộng)"
    return "tỷ lệ thay đổi, không đọc vào số liệu (tongket tính lại từ số liệu)"


def _has_years(rows: list[list[str]], column: int) -> bool:
    return any(column < len(row) and year_of(row[column]) for row in rows)


def _read_down(
    number: int, header: list[str], rows: list[list[str]], first: int, reading: _Reading
) -> None:
    year_column = next((column for column in range(len(header)) if _has_years(rows, column)), None)
    if year_column is None:
        raise Unreadable(f"bảng {number}: không có cột hoặc dòng năm")
    # A note column that says only which years are estimates ("Ghi chú": "ước") marks them.
    notes = {
        column
        for column, cell in enumerate(header)
        if cell_key(cell) in _NOTE_HEADERS and all(map(_says_estimate, _column(rows, column)))
    }
    columns = [
        column
        for column, cell in enumerate(header)
        if column != year_column
        and column not in notes
        and cell_key(cell) not in INDEX_HEADINGS
        and not (_follows(cell) and not reading.wants(cell))
    ]
    # A rate of change over the year before belongs to the figures' column on its left.
    changes = {
        column: max(named)
        for column, cell in enumerate(header)
        if column not in columns
        and _follows(cell)
        and _YEAR_ON_YEAR.fullmatch(cell_key(cell))
        and (named := [left for left in columns if left < column and header[left].strip()])
    }
    for column, cell in enumerate(header):
        if column != year_column and _follows(cell) and not reading.wants(cell):
            what = _what(cell)
            if column in changes:
                figures = header[changes[column]].strip()
                what = f"tốc độ tăng của '{figures}', đã đối chiếu với số liệu"
            where = f"bảng {number}, cột {column + 1}"
            reading.leave_out(where, header[column], _column(rows, column), what)
    for index, row in enumerate(rows, start=first):
        stated = row[year_column] if year_column < len(row) else ""
        year = year_of(stated)
        if year is not None and any(
            column < len(row) and cell_key(row[column]) not in EMPTY_CELLS for column in notes
        ):
            year = (year[0], True)
        cells = {column: row[column] for column in columns if column < len(row)}
        if year is None:
            if is_total(stated):
                where = f"bảng {number}, dòng {index}"
                reading.leave_out(where, stated, list(cells.values()), _what(stated))
                continue
            if not any(cell_key(c) not in EMPTY_CELLS for c in cells.values()):
                continue
            raise Unreadable(f"bảng {number}, dòng {index}: '{stated.strip()}' không phải năm")
        for column, cell in cells.items():
            if not header[column].strip():
                if cell_key(cell) in EMPTY_CELLS:
                    continue
                raise Unreadable(f"bảng {number}, cột {column + 1}: không có tên chỉ tiêu")
            where = f"bảng {number}, dòng {index}, cột {header[column].strip()}"
            reading.add(where, reading.indicator(header[column], ""), year, cell)
        for column, figures in changes.items():
            if column < len(row):
                where = f"bảng {number}, dòng {index}, cột {header[column].strip()}"
                indicator = reading.indicator(header[figures], "")
                reading.state_change(where, indicator, year[0], row[column])


def read_tables(
    wanted: dict[str, Any], tables: list[dict[str, Any]], request: Any
) -> dict[str, Any] | str | None:
    """The `indicators` read from every table (see the module's docstring), starting from the
    outline's skeleton; the reason when a table cannot be read whole; None without tables."""
    if not tables:
        return None
    reading = _Reading(list(wanted.get("indicators") or []))
    try:
        for number, table in enumerate(tables, start=1):
            header, rows, first = _header_row(table)
            if any(year_of(cell) for cell in header):
                _read_across(number, header, rows, first, reading)
            else:
                _read_down(number, header, rows, first, reading)
        reading.check_changes()
        reading.check_totals()
    except Unreadable as reason:
        return str(reason)
    data = prefill(wanted, {}, request)
    skeleton = {cell_key(item["name"]): item for item in data["indicators"]}
    indicators = []
    for indicator in reading.indicators:
        item = skeleton.get(cell_key(indicator.name)) if indicator.wanted else None
        if item is None:
            if not indicator.values:
                continue
            item = {"name": indicator.name, "unit": indicator.unit, "decimals": 0, "series": []}
        elif not item["unit"]:
            item["unit"] = indicator.unit
        item["decimals"] = max(item["decimals"], indicator.decimals)
        series = {point["year"]: point for point in item["series"]}
        for year, (value, estimated) in indicator.values.items():
            series[year] = {"year": year, "value": value} | (
                {"estimated": True} if estimated else {}
            )
        item["series"] = [series[year] for year in sorted(series)]
        indicators.append(item)
    if reading.left_out:
        data["left_out"] = reading.left_out
    return {**data, "indicators": indicators}
