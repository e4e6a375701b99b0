"""The whole document as plain text, in reading order (`tongket render`, the TUI preview)."""

from __future__ import annotations

from tongket.core.render import vnformat
from tongket.core.render.blocks import (
    Block,
    BlockDispatch,
    BulletList,
    Chart,
    ErrorBlock,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Table,
)
from tongket.core.render.document import RenderedDocument
from tongket.core.render.letterhead import (
    distribution_group,
    header_groups,
    recipient_lines,
    signature_lines,
)


def _list_lines(bullets: BulletList) -> list[str]:
    return [
        (f"{number}. " if bullets.ordered else "- ") + "".join(run.text for run in item)
        for number, item in enumerate(bullets.items, start=1)
    ]


def table_lines(table: Table) -> list[str]:
    """A table drawn with spaces and bars, columns padded to their widest cell.

    A total row (`Table.total_rows`) has a rule above it, as on a printed summary.
    """
    rows = [table.header, *table.rows]
    widths = [max(len(row[column]) for row in rows) for column in range(len(table.header))]
    aligns = table.align or ("left",) * len(widths)

    def line(row: tuple[str, ...]) -> str:
        cells = []
        for cell, width, align in zip(row, widths, aligns, strict=False):
            cells.append(
                cell.rjust(width)
                if align == "right"
                else cell.center(width)
                if align == "center"
                else cell.ljust(width)
            )
        return "| " + " | ".join(cells) + " |"

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    lines = [table.caption] if table.caption else []
    lines += [line(table.header), rule]
    count = len(table.rows)
    totals = {index % count for index in table.total_rows if -count <= index < count}
    for index, row in enumerate(table.rows):
        if index in totals and index and index - 1 not in totals:
            lines.append(rule)
        lines.append(line(row))
    if table.note:
        lines.append(table.note)
    return lines


def chart_value_text(value: float | None, decimals: int) -> str:
    """A chart value as the chart's labels show it: "1.409", "7,7"; a missing one as "–"."""
    return "–" if value is None else vnformat.number(value, decimals)


def chart_lines(chart: Chart) -> list[str]:
    """A chart as text: its caption, its title with the unit, then one line per category.

    "2020: 1.409"; with several series each value is named: "2020: Xuất khẩu 1.409; Nhập
    khẩu 950".
    """
    lines = [chart.caption_line] if chart.caption_line else []
    lines.append(chart.title_line)
    named = len(chart.series) > 1
    for index, category in enumerate(chart.categories):
        values = [
            (f"{series.name} " if named else "")
            + chart_value_text(series.values[index], chart.decimals)
            for series in chart.series
        ]
        lines.append(f"{category}: {'; '.join(values)}")
    return lines


_LINES: BlockDispatch[list[str]] = BlockDispatch(
    "tongket.core.writers.textrender.block_lines",
    {
        Heading: lambda heading: [heading.line],
        Paragraph: lambda paragraph: [paragraph.text],
        BulletList: _list_lines,
        Table: table_lines,
        Image: lambda image: [f"[Hình: {image.caption or image.path}]"],
        Chart: chart_lines,
        PageBreak: lambda page_break: ["\f"],
        ErrorBlock: lambda error: [error.text],
    },
)


def block_lines(block: Block) -> list[str]:
    """One block as lines of text."""
    return _LINES[type(block)](block)


def blocks_text(blocks: list[Block]) -> str:
    """Blocks as text, one paragraph a line, a blank line between blocks."""
    return "\n\n".join("\n".join(block_lines(block)) for block in blocks)


def render_text(rendered: RenderedDocument) -> str:
    """Every part of the document, header to appendices, as plain text."""
    document = rendered.project.document
    parts: list[list[str]] = [*header_groups(document), recipient_lines(document)]
    parts.extend(block_lines(block) for block in rendered.body)
    if document.closing:
        parts.append([document.closing])
    parts.append(distribution_group(document))
    parts.append(signature_lines(document))
    for appendix in rendered.appendices:
        parts.append(["\f" + appendix.label, appendix.title.upper()])
        parts.extend(block_lines(block) for block in appendix.blocks)
    return "\n\n".join("\n".join(lines) for lines in parts if lines) + "\n"
