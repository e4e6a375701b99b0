"""The live preview: the selected part as it will read in the document, from the same blocks.

Sections show the blocks `render_document` produced for them (the ones the DOCX writer gets);
the particulars show the letterhead lines the writer prints. Bold and italic runs keep their
emphasis; a plugin failure shows as its error block, in place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

if TYPE_CHECKING:
    from tongket.core.blocks import Block
    from tongket.core.model import Particulars

INDENT = "    "  # the first-line indent of a body paragraph


def block_renderable(block: Block) -> RenderableType:
    """One block as styled text; a table as a table that wraps its cells to the pane."""
    # The block classes load with the first preview, after the first frame.
    from tongket.core.blocks import BulletList, ErrorBlock, Heading, Paragraph, Table

    if isinstance(block, Heading):
        return Text(block.line, style="bold")
    if isinstance(block, Paragraph):
        text = Text(INDENT if block.style == "body" else "", justify="left")
        for run in block.runs:
            style = " ".join(
                name for name, on in (("bold", run.bold), ("italic", run.italic)) if on
            )
            text.append(run.text, style=style or None)
        if block.style == "center":
            text.justify = "center"
        if block.style == "note":
            text.stylize("italic")
        return text
    if isinstance(block, ErrorBlock):
        return Text(block.text, style="bold reverse")
    from tongket.core.textrender import block_lines  # loads with the first preview, not before

    if isinstance(block, BulletList):
        return Text("\n".join(block_lines(block)))
    if isinstance(block, Table):
        from rich.table import Table as RichTable

        # Every string as Text: report text is never read as markup ("[/]" would raise).
        table = RichTable(
            title=Text(block.caption) if block.caption else None,
            caption=Text(block.note) if block.note else None,
            show_lines=False,
            expand=False,
        )
        for header in block.header:
            table.add_column(Text(header))
        for column, align in zip(table.columns, block.align, strict=False):
            column.justify = "full" if align == "justify" else align
        for row in block.rows:
            table.add_row(*(Text(cell) for cell in row))
        return table
    return Text("\n".join(block_lines(block)), style="dim")


def blocks_renderable(blocks: list[Block]) -> RenderableType:
    """All blocks of a section, a blank line between them."""
    parts: list[RenderableType] = []
    for block in blocks:
        if parts:
            parts.append(Text(""))
        parts.append(block_renderable(block))
    return Group(*parts) if parts else Text("(mục chưa có nội dung)", style="dim italic")


def particulars_lines(key: str, document: Particulars) -> list[str]:
    """The letterhead lines a particulars part prints (same wording as the DOCX writer)."""
    from tongket.core.letterhead import (
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

    if key == "header":
        left = [document.parent_agency.upper(), document.agency.upper(), document.number_line]
        if document.kind == "cong-van":
            left.append(subject_line(document))
        lines = [line for line in left if line]
        lines += ["", NATIONAL_TITLE, MOTTO, date_line(document)]
        if document.kind == "bao-cao":
            lines += ["", REPORT_TITLE, subject_line(document)]
        return lines
    if key == "recipients":
        return recipient_lines(document) or ["(chưa có nơi nhận ở dòng Kính gửi)"]
    if key == "signing":
        return [document.closing, "", *signature_title_lines(document), "", document.signer.name]
    if key == "distribution":
        return [DISTRIBUTION_LABEL, *distribution_lines(document)]
    return []


class Preview(VerticalScroll):
    """Scrollable preview of the selected part (↑/↓, PgUp/PgDn when focused)."""

    HELP = (
        "Xem trước: phần đang chọn đúng như sẽ in trong văn bản, dựng từ cùng các khối với "
        "tệp Word. ↑/↓, PgUp/PgDn để cuộn. Cập nhật sau mỗi lần sửa."
    )

    plain = ""  # the preview as plain text (what tests and screen readers read)

    def compose(self):
        yield Static(id="preview-body")

    def show(self, renderable: RenderableType, plain: str) -> None:
        self.plain = plain
        if isinstance(renderable, str):
            renderable = Text(renderable)  # report text, never read as markup ("[/]" raises)
        self.query_one("#preview-body", Static).update(renderable)
