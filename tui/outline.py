"""The outline of the document, a keyboard list.

Each outline line starts with a mark column: "!" for a part with errors, "?" for one with only
warnings, blank when clean, so the meaning never rides on colour alone.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tongket.core.model import Project
from tongket.core.problems import Problem
from tongket.core.sectiontypes import SectionType

from .fields import PARTICULARS, Part, part_of_path, parts_of, section_title

MARKS = {"error": "!", "warning": "?", "": " "}


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


def part_label(part: Part, project: Project, types: dict[str, SectionType]) -> tuple[str, int]:
    """The outline text of a part and its indent (sections nest by their number)."""
    if not part.is_section:
        return PARTICULARS[part.key][0], 0
    section = project.sections[part.index]
    title = section_title(section, types)
    if not section.number:
        title = f"Mở đầu: {title}" if part.index == 0 else title
    return title, section.level - 1 if section.number else 0


def outline_prompt(label: str, indent: int, mark: str, pointed: bool = False) -> Text:
    """One outline line: mark, a "›" on the selected entry, indent, label."""
    text = Text()
    text.append(MARKS[mark], style="bold red" if mark == "error" else "bold yellow")
    text.append("›" if pointed else " ", style="bold")
    text.append("  " * indent + label)
    return text


MOVE_GROUP = Binding.Group("Chuyển", compact=True)


class Outline(OptionList):
    """Particulars, then sections in order; the highlighted entry is the part being edited."""

    BINDINGS = [
        Binding("enter", "app.edit_part", "Sửa", id="outline.edit", show=False),
        Binding("a,insert", "app.add_section", "Thêm", id="outline.add"),
        Binding("x,delete", "app.delete_section", "Xóa", id="outline.delete"),
        Binding("K,shift+up", "app.move_section(-1)", "Lên", id="outline.up", group=MOVE_GROUP),
        Binding(
            "J,shift+down", "app.move_section(1)", "Xuống", id="outline.down", group=MOVE_GROUP
        ),
        Binding("p", "app.plugins", "Plugin", id="outline.plugins", show=False),
    ]
    HELP = (
        "Dàn ý: ↑/↓ chọn phần, Enter để sửa. a hoặc Insert thêm mục sau mục đang chọn; "
        "x hoặc Delete xóa mục; K/J (hoặc Shift+↑/↓) chuyển mục lên/xuống, số mục tự đánh lại; "
        "p (hoặc F11) xem các plugin đã cài. "
        "Dấu ! ở đầu dòng: phần có lỗi; dấu ?: chỉ có cảnh báo."
    )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.parts: list[Part] = []
        self._entries: list[tuple[str, int, str]] = []  # label, indent, mark
        self._pointer: int | None = None

    def _prompt(self, index: int) -> Text:
        return outline_prompt(*self._entries[index], pointed=index == self._pointer)

    def build(
        self,
        project: Project,
        types: dict[str, SectionType],
        marks: dict[Part, str],
        keep: Part | None = None,
    ) -> None:
        """Fill the list for `project`; highlight `keep` (or the first section)."""
        self.parts = parts_of(project)
        self._entries = [
            (*part_label(part, project, types), marks.get(part, "")) for part in self.parts
        ]
        self._pointer = None
        self.set_options(Option(self._prompt(index)) for index in range(len(self.parts)))
        if keep is None or keep not in self.parts:
            keep = self.parts[len(PARTICULARS)] if len(self.parts) > len(PARTICULARS) else None
        if keep is not None:
            self.highlighted = self.parts.index(keep)

    def update_marks(
        self, project: Project, types: dict[str, SectionType], marks: dict[Part, str]
    ) -> None:
        """Redraw only the lines whose label or mark changed (cheap with 200 sections)."""
        if len(self.parts) != len(parts_of(project)):
            self.build(project, types, marks, self.current)
            return
        for index, part in enumerate(self.parts):
            entry = (*part_label(part, project, types), marks.get(part, ""))
            if entry != self._entries[index]:
                self._entries[index] = entry
                self.replace_option_prompt_at_index(index, self._prompt(index))

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        # The selected entry carries a "›" so it shows without colour too.
        old, self._pointer = self._pointer, highlighted
        for index in (old, highlighted):
            if index is not None and index < len(self._entries) and old != highlighted:
                self.replace_option_prompt_at_index(index, self._prompt(index))

    @property
    def current(self) -> Part | None:
        if self.highlighted is None or not self.parts:
            return None
        return self.parts[min(self.highlighted, len(self.parts) - 1)]

    def select_part(self, part: Part) -> None:
        if part in self.parts:
            self.highlighted = self.parts.index(part)
