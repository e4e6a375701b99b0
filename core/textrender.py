"""The whole document as plain text, in reading order (`tongket render`, the TUI preview)."""

from __future__ import annotations

from .blocks import Block, BulletList, ErrorBlock, Heading, Image, PageBreak, Paragraph, Table
from .document import RenderedDocument
from .letterhead import (
    DISTRIBUTION_LABEL,
    MOTTO,
    NATIONAL_TITLE,
    REPORT_TITLE,
    date_line,
    distribution_lines,
    recipient_lines,
    signature_title_lines,
    subject_line,
)


def block_lines(block: Block) -> list[str]:
    """One block as lines of text."""
    if isinstance(block, Heading):
        return [block.line]
    if isinstance(block, Paragraph | ErrorBlock):
        return [block.text]
    if isinstance(block, BulletList):
        return [
            (f"{number}. " if block.ordered else "- ") + "".join(run.text for run in item)
            for number, item in enumerate(block.items, start=1)
        ]
    if isinstance(block, Table):
        return table_lines(block)
    if isinstance(block, Image):
        return [f"[Hình: {block.caption or block.path}]"]
    if isinstance(block, PageBreak):
        return ["\f"]
    return []  # pragma: no cover - block_problems rejects anything else


def table_lines(table: Table) -> list[str]:
    """A table drawn with spaces and bars, columns padded to their widest cell."""
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
    lines += [line(table.header), rule, *(line(row) for row in table.rows)]
    if table.note:
        lines.append(table.note)
    return lines


def blocks_text(blocks: list[Block]) -> str:
    """Blocks as text, one paragraph a line, a blank line between blocks."""
    return "\n\n".join("\n".join(block_lines(block)) for block in blocks)


def render_text(rendered: RenderedDocument) -> str:
    """Every part of the document, header to appendices, as plain text."""
    document = rendered.project.document
    parts: list[list[str]] = []
    left = [document.parent_agency.upper(), document.agency.upper(), document.number_line]
    if document.kind == "cong-van":
        left.append(subject_line(document))
    parts.append([line for line in left if line])
    parts.append([NATIONAL_TITLE, MOTTO, date_line(document)])
    if document.kind == "bao-cao":
        parts.append([REPORT_TITLE, subject_line(document)])
    if recipient_lines(document):
        parts.append(recipient_lines(document))
    parts.extend(block_lines(block) for block in rendered.body)
    if document.closing:
        parts.append([document.closing])
    signature = [*signature_title_lines(document), "", document.signer.name]
    parts.append([DISTRIBUTION_LABEL, *distribution_lines(document)])
    parts.append(signature)
    for appendix in rendered.appendices:
        parts.append(["\f" + appendix.label, appendix.title.upper()])
        parts.extend(block_lines(block) for block in appendix.blocks)
    return "\n\n".join("\n".join(lines) for lines in parts if lines) + "\n"
