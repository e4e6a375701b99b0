"""The live preview: the selected part as it will read in the document, from the same blocks.

Sections show the blocks `render_document` produced for them (the ones the DOCX writer gets);
the particulars show the letterhead lines the writer prints. Bold and italic runs keep their
emphasis; tables share the pane's width between their columns. A section whose data has
validation errors shows those errors above its last good preview (a draft half-typed is not a
crash); a plugin that really fails shows its own error block, in place.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widgets import Static

if TYPE_CHECKING:
    from tongket.core.problems import Problem
    from tongket.core.render.blocks import Block, BlockDispatch, Chart, Paragraph, Table
    from tongket.core.render.document import RenderedDocument, SectionResult
    from tongket.core.report.model import Particulars, Section

INDENT = "    "  # the first-line indent of a body paragraph
WORD = re.compile(r"\w+")


def _paragraph(paragraph: Paragraph) -> Text:
    text = Text(INDENT if paragraph.style == "body" else "", justify="left")
    for run in paragraph.runs:
        style = " ".join(name for name, on in (("bold", run.bold), ("italic", run.italic)) if on)
        text.append(run.text, style=style or None)
    if paragraph.style == "center":
        text.justify = "center"
    if paragraph.style == "note":
        text.stylize("italic")
    return text


def _table(table: Table) -> RenderableType:
    from .preview_table import PreviewTable

    return PreviewTable(table)


def _as_lines(block: Block, style: str = "") -> Text:
    # Lists read as in the text rendering; pictures and page breaks as its dimmed placeholders.
    from tongket.core.writers.textrender import block_lines

    return Text("\n".join(block_lines(block)), style=style)


#: The longest bar of a chart in the preview, in cells; the others are scaled to it.
CHART_BAR_WIDTH = 20
_SERIES_STYLES = ("blue", "dark_orange", "green", "yellow", "magenta", "grey50")


def _chart(chart: Chart) -> Text:
    # The caption and title, then one bar a category and series, its value beside it, as the
    # chart's labels print it ("1.409"); a missing year shows "–" and no bar.
    from tongket.core.writers.textrender import chart_value_text

    text = Text(chart.caption_line, style="bold") if chart.caption_line else Text()
    text.append(("\n" if chart.caption_line else "") + chart.title_line, style="italic")
    known = [abs(value) for series in chart.series for value in series.values if value is not None]
    top = max(known, default=0.0) or 1.0
    width = max((len(category) for category in chart.categories), default=0)
    for index, category in enumerate(chart.categories):
        for number, series in enumerate(chart.series):
            value = series.values[index]
            label = category if number == 0 else ""
            text.append(f"\n{label.rjust(width)} ")
            if value is not None:
                bar = "█" * max(1, round(abs(value) / top * CHART_BAR_WIDTH)) if value else ""
                text.append(bar, style=_SERIES_STYLES[number % len(_SERIES_STYLES)])
            text.append(f" {chart_value_text(value, chart.decimals)}")
    return text


def _unknown(block: object) -> Text:
    # block_problems turns an unknown block into an error block before it gets here; should
    # one slip through, the preview shows it rather than crash the app.
    return Text(f"[khối không xem trước được: {type(block).__name__}]", style="bold reverse")


@cache
def _renderers() -> BlockDispatch[RenderableType]:
    # Built with the first preview: the block classes load after the first frame.
    from tongket.core.render.blocks import (
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

    return BlockDispatch(
        "tongket.tui.preview.block_renderable",
        {
            Heading: lambda heading: Text(heading.line, style="bold"),
            Paragraph: _paragraph,
            BulletList: _as_lines,
            Table: _table,
            Image: lambda image: _as_lines(image, "dim"),
            Chart: _chart,
            PageBreak: lambda page_break: _as_lines(page_break, "dim"),
            ErrorBlock: lambda error: Text(error.text, style="bold reverse"),
        },
        fallback=_unknown,
    )


def block_renderable(block: Block) -> RenderableType:
    """One block as styled text; a table as a table whose columns share the pane's width."""
    return _renderers()[type(block)](block)


def blocks_renderable(blocks: list[Block]) -> RenderableType:
    """All blocks of a section, a blank line between them."""
    parts: list[RenderableType] = []
    for block in blocks:
        if parts:
            parts.append(Text(""))
        parts.append(block_renderable(block))
    return Group(*parts) if parts else Text("(mục chưa có nội dung)", style="dim italic")


def particulars_lines(key: str, document: Particulars) -> list[str]:
    """The letterhead lines a particulars part prints (the same lines as `tongket render`)."""
    from tongket.core.render.letterhead import (
        distribution_group,
        header_groups,
        recipient_lines,
        signature_lines,
    )

    if key == "header":
        agency, *others = header_groups(document)
        return [*agency, *(line for group in others for line in ("", *group))]
    if key == "recipients":
        return recipient_lines(document) or ["(chưa có nơi nhận ở dòng Kính gửi)"]
    if key == "signing":
        return [document.closing, "", *signature_lines(document)]
    if key == "distribution":
        return distribution_group(document)
    return []


def validation_errors(result: SectionResult) -> list[Problem]:
    """The errors that kept a section from rendering, when its plugin itself did not fail."""
    if result.failure is not None:
        return []
    return [problem for problem in result.problems if problem.severity == "error"]


def paragraph_at(text: str, row: int) -> tuple[str, int]:
    """The paragraph of `text` (paragraphs are separated by blank lines) holding line `row`,
    and how many paragraphs come before it."""
    paragraphs: list[tuple[int, int]] = []  # first and last line of each paragraph
    start = None
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if line.strip() and start is None:
            start = number
        elif not line.strip() and start is not None:
            paragraphs.append((start, number - 1))
            start = None
    if start is not None:
        paragraphs.append((start, len(lines) - 1))
    for position, (first, last) in enumerate(paragraphs):
        if row <= last:  # a blank line belongs to the paragraph after it
            return " ".join(lines[first : last + 1]), position
    if paragraphs:
        first, last = paragraphs[-1]
        return " ".join(lines[first : last + 1]), len(paragraphs) - 1
    return "", 0


class Preview(VerticalScroll):
    """Scrollable preview of the selected part (↑/↓, PgUp/PgDn when focused)."""

    help_area = "preview"  # F1 lists the keys of this area (tui/registry.py)
    HELP = (
        "Xem trước: phần đang chọn đúng như sẽ in trong văn bản, dựng từ cùng các khối với "
        "tệp Word. ↑/↓, PgUp/PgDn để cuộn. Cập nhật sau mỗi lần sửa, và theo đoạn văn đang "
        "sửa. Mục còn lỗi dữ liệu hiện các lỗi ở trên, dưới là bản xem trước hợp lệ gần nhất."
    )

    plain = ""  # the preview as plain text (what tests and screen readers read)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # id(section) → (section, blocks): the last blocks each section rendered without errors
        self._good: dict[int, tuple[Section, list[Block]]] = {}
        self._remembered: RenderedDocument | None = None
        self._parts: list[RenderableType] = []  # what the body shows, in order
        self._block_parts: list[tuple[Block, int]] = []  # each shown block and its part

    def compose(self):
        yield Static(id="preview-body")

    def show(self, renderable: RenderableType, plain: str) -> None:
        """Show `renderable` (`plain` is the same as text)."""
        self.plain = plain
        if isinstance(renderable, str):
            renderable = Text(renderable)  # report text, never read as markup ("[/]" raises)
        self._parts, self._block_parts = [renderable], []
        self.query_one("#preview-body", Static).update(renderable)

    def remember(self, rendered: RenderedDocument) -> None:
        """Keep the blocks of every section that rendered without errors (once per rendering)."""
        if rendered is self._remembered:
            return
        self._remembered = rendered
        good: dict[int, tuple[Section, list[Block]]] = {}
        for result in rendered.sections:
            key = id(result.section)
            if result.failure is None and not validation_errors(result):
                good[key] = (result.section, result.blocks)
            elif key in self._good and self._good[key][0] is result.section:
                good[key] = self._good[key]
        self._good = good  # sections deleted meanwhile are dropped

    def show_section(self, result: SectionResult, errors: list[str]) -> None:
        """A section's blocks; with validation `errors` (one line each, in the form's words),
        those errors above the section's last good blocks."""
        from tongket.core.writers.textrender import blocks_text

        blocks = result.blocks
        lead: list[RenderableType] = []
        plain_lead: list[str] = []
        if validation_errors(result):
            kept = self._good.get(id(result.section))
            blocks = kept[1] if kept is not None and kept[0] is result.section else []
            title = f"Mục còn {len(errors)} lỗi nên chưa dựng lại được:"
            note = (
                "Dưới đây là bản xem trước hợp lệ gần nhất."
                if blocks
                else "(Chưa có bản xem trước hợp lệ: sửa các lỗi trên để xem mục này.)"
            )
            heading = Text(title, style="bold")
            lines = Text("\n".join(f"! {line}" for line in errors))
            lead = [heading, lines, Text(note, style="italic"), Text("")]
            plain_lead = [title, *(f"! {line}" for line in errors), note, ""]
        parts = list(lead)
        self._block_parts = []
        for block in blocks:
            if len(parts) > len(lead):
                parts.append(Text(""))
            self._block_parts.append((block, len(parts)))
            parts.append(block_renderable(block))
        if not blocks and not lead:
            parts = [Text("(mục chưa có nội dung)", style="dim italic")]
        self._parts = parts
        self.plain = "\n".join([*plain_lead, blocks_text(blocks)]) if lead else blocks_text(blocks)
        self.query_one("#preview-body", Static).update(Group(*parts))
        if lead:  # the errors come first: the preview under them is not the current text
            self._block_parts = []
            self.call_after_refresh(self.scroll_home, animate=False, immediate=True)

    def follow(self, paragraph: str, position: int) -> None:
        """Scroll so the shown paragraph that best matches `paragraph` (the `position`-th
        paragraph of the field being edited) is in view."""
        from tongket.core.render.blocks import Paragraph

        shown = [(block, part) for block, part in self._block_parts if isinstance(block, Paragraph)]
        if not shown:
            return
        words = set(WORD.findall(paragraph.lower()))
        best, best_score = None, 0.0
        for order, (block, part) in enumerate(shown):
            found = set(WORD.findall(block.text.lower()))
            score = len(words & found) / len(words) if words else 0.0
            # Equal scores (a repeated sentence): the paragraph at the same position wins.
            score -= abs(order - position) * 1e-6
            if score > best_score:
                best, best_score = part, score
        if best is None or best_score < 0.3:
            best = shown[min(position, len(shown) - 1)][1]
        self.call_after_refresh(self._scroll_to_part, best)

    def _scroll_to_part(self, index: int) -> None:
        if not self.is_mounted or index >= len(self._parts):
            return
        width = self.query_one("#preview-body", Static).size.width
        if width <= 0:
            return
        console = self.app.console
        options = console.options.update_width(width)
        top = sum(len(console.render_lines(part, options)) for part in self._parts[:index])
        height = len(console.render_lines(self._parts[index], options))
        visible = min(height, max(1, self.scrollable_content_region.height))
        self.scroll_to_region(Region(0, top, width, visible), animate=False, immediate=True)
