"""Document tables in the preview, laid out for the width the pane gives them.

Numbers never wrap; text columns share what is left by the table's relative widths; a pane too
narrow for the prose columns (a word a line) shows each row as "header: cell" lines instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.measure import Measurement
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult

    from tongket.core.render.blocks import Table

#: "1.409", "7,7", "12,5%", "−2,2" (a true minus, as tables print it), "–" (no value).
NUMBER_CELL = re.compile(r"^[-−–+]?\d[\d.,]*\s?%?$|^[-−–]$")
LONGEST_WORD = 16  # a text column is kept at least as wide as its longest word, up to this
MIN_TEXT = 12  # narrower text columns put a word a line: the rows are shown as lines instead


def _cell_width(text: str) -> int:
    return max((cell_len(line) for line in text.splitlines()), default=0)


def _word_width(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=0)


@dataclass(frozen=True)
class ColumnLayout:
    """How a table's columns fit a width: each one's width and widest cell, and which columns
    hold prose (text cells of more than two words on average, unlike years or short labels)."""

    widths: list[int]
    natural: list[int]
    prose: list[bool]

    @property
    def readable(self) -> bool:
        """Every prose column gets `MIN_TEXT` cells (or all it needs): none puts a word a line."""
        return all(
            not prose or width >= min(natural, MIN_TEXT)
            for width, natural, prose in zip(self.widths, self.natural, self.prose, strict=True)
        )

    def wraps(self, rows: tuple[tuple[str, ...], ...]) -> bool:
        """Whether a prose cell of `rows` takes more than one line."""
        return any(
            self.prose[i] and _cell_width(cell) > self.widths[i]
            for row in rows
            for i, cell in enumerate(row[: len(self.widths)])
        )


def column_widths(table: Table, available: int) -> ColumnLayout:
    """Content widths of the columns of `table` drawn in `available` cells.

    Each column gets at least its floor (a numeric column its widest cell, so a number never
    wraps; a text column its longest word, up to `LONGEST_WORD`); what is left is shared by
    the table's relative widths, no column growing past its widest cell.
    """
    count = len(table.header)
    columns = [
        [table.header[i], *(row[i] for row in table.rows if i < len(row))] for i in range(count)
    ]
    natural = [max(1, max(_cell_width(cell) for cell in cells)) for cells in columns]
    numeric = [
        bool(table.rows)
        and all(NUMBER_CELL.match(cell.strip()) for cell in cells[1:] if cell.strip())
        for cells in columns
    ]
    prose = [
        not numeric[i] and sum(len(cell.split()) for cell in cells[1:]) > 2 * max(1, len(cells) - 1)
        for i, cells in enumerate(columns)
    ]
    floors = []
    for index, cells in enumerate(columns):
        if numeric[index]:
            floor = max(max(_cell_width(cell) for cell in cells[1:]), _word_width(cells[0]))
        else:
            floor = min(max(_word_width(cell) for cell in cells), LONGEST_WORD)
        floors.append(max(1, min(floor, natural[index])))
    ratios = [float(w) if w and w > 0 else 1.0 for w in (*table.widths, *[1.0] * count)][:count]
    widths = list(floors)
    spare = available - sum(widths)
    growing = [i for i in range(count) if widths[i] < natural[i]]
    while spare > 0 and growing:
        total = sum(ratios[i] for i in growing)
        given = 0
        for i in growing:
            share = max(1, int(spare * ratios[i] / total))
            share = min(share, natural[i] - widths[i], spare - given)
            widths[i] += share
            given += share
        spare -= given
        growing = [i for i in growing if widths[i] < natural[i]]
        if not given:
            break
    return ColumnLayout(widths, natural, prose)


@dataclass
class PreviewTable:
    """A document table laid out for the width the pane gives it when drawn.

    When the pane is too narrow for its text columns (a word a line), each row is shown as
    "header: cell" lines instead, so the preview stays readable at 80 columns.
    """

    block: Table

    def _rich_table(self, max_width: int) -> RenderableType:
        from rich import box
        from rich.table import Table as RichTable

        block = self.block
        count = max(1, len(block.header))
        # One bar between columns and one space either side of it; no outer edge.
        layout = column_widths(block, max(count, max_width - 3 * (count - 1)))
        if not layout.readable:
            return self._rows_as_lines()
        # Every string as Text: report text is never read as markup ("[/]" would raise).
        table = RichTable(
            title=Text(block.caption) if block.caption else None,
            caption=Text(block.note) if block.note else None,
            box=box.MINIMAL_HEAVY_HEAD,
            show_edge=False,
            pad_edge=False,
            show_lines=layout.wraps(block.rows),  # rows of several lines of prose: ruled
            expand=False,
        )
        aligns = (*block.align, *["left"] * count)
        for index, header in enumerate(block.header):
            align = aligns[index]
            table.add_column(
                Text(header),
                justify="full" if align == "justify" else align,
                width=layout.widths[index],
                overflow="fold",  # a long word is broken, never cut off with "…"
            )
        count = len(block.rows)
        totals = {index % count for index in block.total_rows if -count <= index < count}
        for index, row in enumerate(block.rows):
            # A total row is bold, as in the Word file, and ruled off from the rows it sums.
            table.add_row(
                *(Text(cell) for cell in row),
                style="bold" if index in totals else None,
                end_section=index + 1 in totals,
            )
        return table

    def _rows_as_lines(self) -> RenderableType:
        from rich.padding import Padding

        block = self.block
        parts: list[RenderableType] = []
        if block.caption:
            parts.append(Text(block.caption, style="italic", justify="center"))
        for row in block.rows:
            cells = [(header, cell) for header, cell in zip(block.header, row, strict=False)]
            filled = [(header, cell) for header, cell in cells if cell.strip()]
            for position, (header, cell) in enumerate(filled):
                line = Text("• " if position == 0 else "")
                line.append(f"{header}: ", style="bold")
                line.append(cell)
                parts.append(Padding(line, (0, 0, 0, 0 if position == 0 else 2)))
        if block.note:
            parts.append(Text(block.note, style="italic"))
        return Group(*parts)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self._rich_table(options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(min(8, options.max_width), options.max_width)
