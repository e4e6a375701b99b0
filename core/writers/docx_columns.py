"""Table column widths for the DOCX writer: from relative weights, or from the content.

`fit_columns` is a browser's automatic table layout in twips: each column at least as wide as
its longest word or number (so digits never break), as wide as its longest cell when there is
room, the plugin's weights sharing what is left, and a smaller font before a broken number.
`measure_columns` reads a column's content once, in chunks, so a 50.000-row table stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from tongket.core.writers.docx_xml import line_width
from tongket.core.writers.sanitize import clean_text


def column_widths(weights: Sequence[float], total: int, count: int) -> list[int]:
    """Integer column widths in twips from relative weights, summing exactly to `total`."""
    if count <= 0:
        return []
    if len(weights) != count or any(not weight > 0 for weight in weights):
        weights = [1.0] * count
    whole = sum(weights)
    widths = [int(total * weight / whole) for weight in weights]
    widths[-1] += total - sum(widths)
    return widths


# -- column widths from content -------------------------------------------------------------

#: How many of a column's longest strings (by character count) are measured with the font
#: metrics: counting characters is C-speed for 10.000 rows, measuring is not.
_CANDIDATES = 4
#: The width estimate's error margin: a number one point too wide for its cell breaks mid-digit.
_WIDTH_SLACK = 1.05
_SLACK_TWIPS = 20


# A NamedTuple: cheaper to define at every start than a frozen dataclass (developer guide).
class ColumnMeasure(NamedTuple):
    """A column's content in 1/1000 em (so one measure serves every font size).

    `minimum` is its longest unbreakable word or number; `preferred` its longest cell on one
    line (a header counts as two lines: headers may wrap, body cells should not).
    """

    minimum: float
    preferred: float


@lru_cache(maxsize=4096)
def _units(value: str, bold: bool) -> float:
    return max(line_width(line, bold) for line in clean_text(value).split("\n"))


def _longest(values: Iterable[str]) -> list[str]:
    """The `_CANDIDATES` longest distinct values by character count, ties in first-seen order.

    `dict.fromkeys`, not `set`: ties go to the first in row order, the same in every run (a
    set's order changes with the string hash seed, and the widths would with it). `sorted` is
    `heapq.nlargest`'s own definition, and faster at a table column's sizes.
    """
    distinct = dict.fromkeys(values)
    if len(distinct) <= _CANDIDATES:
        return sorted(distinct, key=len, reverse=True)
    return sorted(distinct, key=len, reverse=True)[:_CANDIDATES]


def _widest(values: Iterable[str], bold: bool) -> float:
    # The longest few by character count, measured; distinct values only (columns repeat).
    candidates = _longest(values)
    if not candidates:
        return 0.0
    # A string a fifth shorter than the longest is not wider in any realistic text.
    shortest = len(candidates[0]) * 4 // 5
    return max(_units(value, bold) for value in candidates if len(value) >= shortest)


#: Rows examined at a time: a 20.000-row table is never split into words all at once.
_CHUNK_ROWS = 2048


def measure_columns(
    header: Sequence[str], rows: Sequence[Sequence[str]], bold_rows: Sequence[int] = ()
) -> list[ColumnMeasure]:
    """The `ColumnMeasure` of each column: header (bold), body cells, the bold rows' cells.

    Rows are read a chunk at a time, keeping each column's longest few cells and words, so
    memory stays flat however long the table is.
    """
    count = len(header)
    cells: list[dict[str, None]] = [{} for _ in range(count)]
    words: list[dict[str, None]] = [{} for _ in range(count)]
    for start in range(0, len(rows), _CHUNK_ROWS):
        chunk = rows[start : start + _CHUNK_ROWS]
        for position, column in enumerate(zip(*chunk, strict=False)):
            if position >= count:
                break
            longest = _longest(column)
            cells[position].update(dict.fromkeys(longest))
            joined = " ".join(column)
            if joined.count(" ") == len(column) - 1 and "\n" not in joined:
                words[position].update(dict.fromkeys(longest))  # no space: a cell is a word
            else:
                words[position].update(dict.fromkeys(_longest(joined.split())))
    measures = []
    for position, title in enumerate(header):
        bold_cells = [rows[index][position] for index in bold_rows if position < len(rows[index])]
        minimum = max(_widest(words[position], False), _widest(title.split(), True))
        # A header may take two lines (a little more than half its length each).
        preferred = max(
            _widest(cells[position], False), _units(title, True) * 0.55 if title else 0.0
        )
        if bold_cells:
            minimum = max(minimum, _widest(" ".join(bold_cells).split(), True))
            preferred = max(preferred, _widest(bold_cells, True))
        measures.append(ColumnMeasure(minimum, max(minimum, preferred)))
    return measures


def _twips(units: float, size: float, padding: int) -> float:
    return units * size / 1000 * 20 * _WIDTH_SLACK + padding + _SLACK_TWIPS


def _valid_weights(weights: Sequence[float], count: int) -> bool:
    return len(weights) == count and all(
        isinstance(weight, int | float) and weight > 0 for weight in weights
    )


def _whole(shares: Sequence[float], total: int) -> list[int]:
    # Round down, then give the twips lost to the largest fractions (first column on a tie).
    widths = [int(share) for share in shares]
    order = sorted(range(len(shares)), key=lambda i: (widths[i] - shares[i], i))
    for index in order[: total - sum(widths)]:
        widths[index] += 1
    return widths


def fit_columns(
    measures: Sequence[ColumnMeasure],
    hint: Sequence[float],
    total: int,
    *,
    padding: int,
    sizes: Sequence[float] = (13, 12, 11),
) -> tuple[list[int], float]:
    """Column widths in twips summing to `total`, and the font size the table is set in.

    A browser's automatic table layout: each column is at least as wide as its longest word or
    number (`minimum`, so digits never break) and would like its longest cell on one line
    (`preferred`).
    - Everything fits on one line: each column gets its preferred width, and the room left is
      shared by the plugin's weights `hint` (by the preferred widths without a hint).
    - Otherwise, while the minimums fit: each column gets its minimum, and the room left goes
      to the columns in proportion to how much more they would like (max − min).
    - The minimums do not fit at the first size: the next smaller size of `sizes` is tried
      (13 → 12 → 11 pt), since a smaller table beats a number broken over two lines. At the
      smallest size the minimums are scaled down to fit, the last resort.
    `padding` is the cell's left plus right margin.
    """
    count = len(measures)
    if count == 0:
        return [], sizes[0]
    if not any(measure.preferred for measure in measures):  # no content: the hint, or equal
        return column_widths(hint, total, count), sizes[0]
    for size in sizes:
        minimums = [_twips(measure.minimum, size, padding) for measure in measures]
        if sum(minimums) <= total:
            break
    else:
        scale = total / sum(minimums)
        return _whole([width * scale for width in minimums], total), size
    preferred = [_twips(measure.preferred, size, padding) for measure in measures]
    if sum(preferred) <= total:
        weights = list(hint) if _valid_weights(hint, count) else preferred
        spare = total - sum(preferred)
        whole = sum(weights)
        shares = [
            width + spare * weight / whole for width, weight in zip(preferred, weights, strict=True)
        ]
    else:
        wishes = [want - least for want, least in zip(preferred, minimums, strict=True)]
        spare = total - sum(minimums)
        whole = sum(wishes)
        shares = [
            least + spare * wish / whole for least, wish in zip(minimums, wishes, strict=True)
        ]
    return _whole(shares, total), size
