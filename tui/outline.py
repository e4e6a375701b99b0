"""The outline of the document, a keyboard list.

Each outline line starts with a mark column: "!" for a part with errors, "?" for one with only
warnings, blank when clean, so the meaning never rides on colour alone.
"""

from __future__ import annotations

from collections.abc import Collection

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.content import Content, Span
from textual.strip import Strip
from textual.style import Style
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tongket.core.host.sectiontypes import SectionType
from tongket.core.problems import Problem
from tongket.core.report.model import Project

from .fields import PARTICULARS, Part, part_of_path, parts_of, section_title
from .registry import bindings

MARKS = {"error": "!", "warning": "?", "": " "}
# The blank mark keeps the warning style, as the outline always drew it (no visible change).
CELL_STYLES = {"error": "bold red", "warning": "bold yellow", "pointer": "bold"}
POINTER = "›"  # on the highlighted line, so the cursor shows without colour
POINTER_COLUMN = 1  # the cell after the mark


def part_marks(problems: list[Problem]) -> dict[Part, str]:
    """The worst severity found in each part: "error", "warning" (absent when clean)."""
    marks: dict[Part, str] = {}
    for problem in problems:
        part = part_of_path(problem.path)
        if part is None:
            continue
        if problem.severity == "error" or part not in marks:
            marks[part] = problem.severity
    return marks


def part_label(
    part: Part,
    project: Project,
    types: dict[str, SectionType],
    locked: Collection[int] = (),
) -> tuple[str, int]:
    """The outline text of a part and its indent (sections nest by their number).

    A section kept in its own file (`include`) ends in "[tệp]", or in "[khóa]" when its index
    is in `locked` (someone else holds that file: read-only here).
    """
    if not part.is_section:
        return PARTICULARS[part.key][0], 0
    section = project.sections[part.index]
    title = section_title(section, types, project.citations)
    if not section.number:
        title = f"Mở đầu: {title}" if part.index == 0 else title
    if section.include is not None:
        title += " [khóa]" if part.index in locked else " [tệp]"
    return title, section.level - 1 if section.number else 0


def locked_sections(session: object) -> set[int]:
    """The sections kept in their own files that someone else holds, for `part_label`."""
    project = getattr(session, "project", None)
    if project is None or not getattr(project, "parts", None):
        return set()  # the usual report, all in one file: nothing to look up
    held = session.read_only_sections()  # type: ignore[attr-defined]
    return {index for index in held if project.sections[index].include is not None}


def outline_prompt(label: str, indent: int, mark: str, styles: dict[str, Style]) -> Content:
    """One outline line: the mark, a blank cell for the cursor marker, indent, label.

    `styles` holds the mark's style by severity ("error", "warning") and the blank cell's
    ("pointer"); `Outline.render_line` draws the "›" in that cell on the highlighted line.
    """
    text = f"{MARKS[mark]} {'  ' * indent}{label}"
    spans = [Span(0, 1, styles[mark or "warning"]), Span(1, 2, styles["pointer"])]
    return Content(text, spans)


class Outline(OptionList):
    """Particulars, then sections in order; the highlighted entry is the part being edited."""

    BINDINGS = bindings("outline")
    help_area = "outline"
    HELP = (
        "Dàn ý: ↑/↓ chọn phần, Enter để sửa. a hoặc Insert thêm mục sau mục đang chọn; "
        "x hoặc Delete xóa mục; K/J (hoặc Shift+↑/↓) chuyển mục lên/xuống, số mục tự đánh lại; "
        "p (hoặc F11) xem các plugin đã cài. "
        "Dấu ! ở đầu dòng: phần có lỗi; dấu ?: chỉ có cảnh báo. [tệp]: mục nằm ở tệp riêng; "
        "[khóa]: người khác đang sửa tệp đó, ở đây chỉ xem được."
    )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.parts: list[Part] = []
        self._entries: list[tuple[str, int, str]] = []  # label, indent, mark
        self._styles: dict[str, Style] = {}

    def _cell_styles(self) -> dict[str, Style]:
        """The styles of the mark and pointer cells, as Textual styles (parsed once a build:
        prompts are `Content` built directly, the cheapest kind for OptionList to show)."""
        theme = self.app.ansi_theme
        return {
            name: Style.from_rich_style(RichStyle.parse(spec), theme)
            for name, spec in CELL_STYLES.items()
        }

    def build(
        self,
        project: Project,
        types: dict[str, SectionType],
        marks: dict[Part, str],
        keep: Part | None = None,
    ) -> None:
        """Fill the list for `project`; highlight `keep` (or the first section)."""
        self.parts = parts_of(project)
        self._styles = styles = self._cell_styles()
        locked = locked_sections(getattr(self.app, "session", None))
        self._entries = [
            (*part_label(part, project, types, locked), marks.get(part, "")) for part in self.parts
        ]
        self.set_options([Option(outline_prompt(*entry, styles)) for entry in self._entries])
        if keep is None or keep not in self.parts:
            keep = self.parts[len(PARTICULARS)] if len(self.parts) > len(PARTICULARS) else None
        if keep is not None:
            self.highlighted = self.parts.index(keep)

    def update_marks(
        self, project: Project, types: dict[str, SectionType], marks: dict[Part, str]
    ) -> None:
        """Redraw only the lines whose label or mark changed; the others keep their caches."""
        if len(self.parts) != len(parts_of(project)):
            self.build(project, types, marks, self.current)
            return
        locked = locked_sections(getattr(self.app, "session", None))
        for index, part in enumerate(self.parts):
            entry = (*part_label(part, project, types, locked), marks.get(part, ""))
            if entry != self._entries[index]:
                self._replace_entry(index, entry)

    def _replace_entry(self, index: int, entry: tuple[str, int, str]) -> None:
        """Give line `index` a new prompt without re-measuring the other lines.

        `replace_option_prompt_at_index` clears OptionList's line cache and render cache, so
        every line is measured again (milliseconds at 1.000 sections). A new `Option` in the
        old one's place leaves the old renders to age out of the LRU render cache (its keys
        are options), and the line cache stays valid while the line's height is unchanged.
        Relies on OptionList internals of Textual 8; tests/tui/test_tui_outline.py pins them.
        """
        self._entries[index] = entry
        old = self._options[index]
        option = Option(outline_prompt(*entry, self._styles))
        self._options[index] = option
        del self._option_to_index[old]
        self._option_to_index[option] = index
        heights = self._line_cache.heights
        if index in heights:
            padding = self.get_component_styles("option-list--option").padding
            width = self.scrollable_content_region.width - self._get_left_gutter_width()
            if (
                self._get_visual(option).get_height(self.styles, width - padding.width)
                != (heights[index])
            ):
                self._clear_caches()  # the line grew or shrank: every line below moves
        self.refresh()

    def render_line(self, y: int) -> Strip:
        # The pointer is drawn here, on the highlighted line only, so moving it re-renders
        # no prompt: the other lines come from OptionList's caches unchanged.
        strip = super().render_line(y)
        highlighted = self.highlighted
        if highlighted is None:
            return strip
        lines = self._lines
        line = self.scroll_offset.y + y
        if line >= len(lines) or lines[line] != (highlighted, 0):
            return strip
        x = self.get_component_styles("option-list--option").padding.left + POINTER_COLUMN
        cell = list(strip.crop(x, x + 1))
        if not cell or cell[0].text != " ":
            return strip
        pointer = Strip([Segment(POINTER, cell[0].style)], 1)
        return Strip.join([strip.crop(0, x), pointer, strip.crop(x + 1)])

    @property
    def current(self) -> Part | None:
        if self.highlighted is None or not self.parts:
            return None
        return self.parts[min(self.highlighted, len(self.parts) - 1)]

    def select_part(self, part: Part) -> None:
        if part in self.parts:
            self.highlighted = self.parts.index(part)
