"""The problems list: validation and check findings, one per line, errors first."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tongket.core.model import Project
from tongket.core.problems import Problem, dotted

from .outline import MARKS


def problem_place(problem: Problem, project: Project | None = None) -> str:
    """Where a problem is, short: "2.1. periods.1.target" rather than "sections.4.data.…"."""
    path = problem.path
    if len(path) >= 2 and path[0] == "sections" and isinstance(path[1], int):
        number = ""
        if project is not None and path[1] < len(project.sections):
            number = project.sections[path[1]].number
        rest = path[3:] if len(path) > 2 and path[2] == "data" else path[2:]
        head = number or f"mục {path[1] + 1}"
        return f"{head} {dotted(rest)}".strip() if rest else head
    return problem.where


class ProblemsList(OptionList):
    """Validation and check findings; Enter moves the cursor to the field at fault."""

    BINDINGS = [Binding("enter", "select", "Đến chỗ lỗi", id="problems.goto")]
    HELP = (
        "Vấn đề: các lỗi (!) và cảnh báo (?) của kiểm tra. ↑/↓ chọn, Enter đưa con trỏ đến "
        "trường có vấn đề. F5 kiểm tra lại toàn bộ văn bản."
    )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.problems: list[Problem] = []

    def show(self, problems: list[Problem], project: Project | None = None) -> None:
        """List the problems, errors first."""
        ordered = sorted(problems, key=lambda problem: problem.severity != "error")
        if [(p.path, p.message) for p in ordered] == [(p.path, p.message) for p in self.problems]:
            return
        self.problems = ordered
        options = []
        for problem in ordered:
            text = Text()
            mark = MARKS[problem.severity]
            text.append(mark + " ", style="bold red" if mark == "!" else "bold yellow")
            text.append(problem_place(problem, project), style="bold")
            text.append(": " + problem.message)
            options.append(Option(text))
        if not options:
            options = [Option(Text("Không có vấn đề nào.", style="italic"), disabled=True)]
        self.set_options(options)
        if self.problems:
            self.highlighted = 0
        self.border_title = f"Vấn đề ({len(self.problems)})" if self.problems else "Vấn đề"
