"""What every consumer of a `Table` prints: empty columns left out, negative numbers with "−".

`normalize_table` runs once per table where the report is assembled
(`document.render_section`), so the DOCX writer, the plain-text renderer, the app's preview and
`tongket check` all see the same columns and the same signs.

A long table must stay cheap: each column is joined into one string and examined with one
regular expression (C speed), and only a column that needs a change is split back into cells.
"""

from __future__ import annotations

import re
from dataclasses import replace

from tongket.core.render.blocks import Block, Table

__all__ = ["MINUS", "is_empty_or_zero", "normalize_table", "normalize_tables"]

#: The true minus sign printed before a negative number (the en dash "–" means "no value").
MINUS = "\u2212"

# Joins a column's cells; a cell holding it (a control character) is handled cell by cell.
_SEP = "\x00"  # not whitespace: `\\s` in the patterns below must not match it
# A cell that says nothing: blank, a dash for "no value", or a zero in any Vietnamese
# spelling ("0", "0,0", "0,00%", "0.000").
# Atomic, so that a long column that is not empty fails at once instead of backtracking.
_EMPTY_CELL = r"(?>\s*(?:(?:[-–—]|[-+−–]?0+(?:[.,]0+)*(?:\s?%)?)\s*)?)"
_EMPTY_COLUMN = re.compile(f"{_EMPTY_CELL}(?:{_SEP}{_EMPTY_CELL})*")
# A negative number cell: "-1.409", "-2,2", "-7,7%", "– 3" (hyphen or en dash typed as minus).
_NEGATIVE = re.compile(
    f"(?:(?<={_SEP})|^)(\\s*)[-–]\\s?(?=\\d+(?:[.,]\\d+)*\\s?%?\\s*(?:{_SEP}|$))"
)


def is_empty_or_zero(cell: str) -> bool:
    """Whether a cell counts as empty for leaving its column out: "", "0", "0,0", "-", "–"."""
    return _EMPTY_COLUMN.fullmatch(cell) is not None and _SEP not in cell


def _joined(column: tuple[str, ...]) -> str | None:
    # None when a cell holds the separator, so the fast path cannot be trusted.
    joined = _SEP.join(column)
    return joined if joined.count(_SEP) == len(column) - 1 else None


def _column_is_empty(column: tuple[str, ...]) -> bool:
    joined = _joined(column)
    if joined is None:
        return all(is_empty_or_zero(cell) for cell in column)
    return _EMPTY_COLUMN.fullmatch(joined) is not None


def _with_minus(column: tuple[str, ...]) -> tuple[str, ...]:
    joined = _joined(column)
    if joined is None:
        return tuple(_NEGATIVE.sub(rf"\1{MINUS}", cell) for cell in column)
    if "-" not in joined and "–" not in joined:
        return column
    changed, count = _NEGATIVE.subn(rf"\1{MINUS}", joined)
    return tuple(changed.split(_SEP)) if count else column


def normalize_table(table: Table) -> Table:
    """The table as printed: all-empty columns dropped, negative numbers with a true minus.

    A column is dropped when every body cell is empty or zero (`is_empty_or_zero`; its header
    does not count as content), unless `keep_empty_columns` is set or no column would be left.
    `widths` and `align` lose the same columns. Returns `table` itself when nothing changes,
    and is idempotent.
    """
    count = len(table.header)
    if not table.rows or not count:
        return table
    columns = list(zip(*table.rows, strict=True))
    keep = list(range(count))
    if not table.keep_empty_columns:
        keep = [index for index in keep if not _column_is_empty(columns[index])]
        if not keep:
            keep = list(range(count))  # all empty: nothing to gain by printing no column
    fixed = [_with_minus(columns[index]) for index in keep]
    if len(keep) == count and all(new is columns[i] for i, new in zip(keep, fixed, strict=True)):
        return table
    rows = tuple(zip(*fixed, strict=True))

    def pick(values: tuple) -> tuple:
        return tuple(values[index] for index in keep) if len(values) == count else values

    align = table.align
    if 0 < len(align) < count:  # unlisted columns are left-aligned; keep that after a drop
        align = (*align, *("left",) * (count - len(align)))
    return replace(
        table,
        header=pick(table.header),
        rows=rows,
        widths=pick(table.widths),
        align=pick(align),
    )


def normalize_tables(blocks: list[Block]) -> list[Block]:
    """`blocks` with every `Table` normalised (`normalize_table`); other blocks as they are."""
    return [normalize_table(block) if isinstance(block, Table) else block for block in blocks]
