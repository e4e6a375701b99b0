"""The problems list: validation and check findings, one line each, errors first.

A problem names its place the way the form does: the section, the field's own label and the
row ("2.1. Kết quả kinh tế ngành — Chỉ tiêu "kim ngạch xuất khẩu", năm 2012, giá trị"), not
the dotted path of the TOML file. The dotted path stays in the F1 detail of the highlighted
problem (and in `tongket check`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from rich.text import Text
from textual.events import Resize
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tongket.core.host.sectiontypes import Field, SectionType
from tongket.core.problems import Problem, dotted
from tongket.core.render import vnformat
from tongket.core.report.model import Project

from .fields import PARTICULARS, SECTION_META, Part, part_of_path
from .outline import MARKS, part_label
from .registry import bindings

SectionHead = Literal["title", "number", "none"]
TITLE_LENGTH = 24  # a section's title is cut at a word boundary past this many characters
NAME_LENGTH = 30  # the same for a row's name ("kim ngạch xuất khẩu")
WIDE_LIST = 60  # narrower lists name a numbered section by its number alone
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
ISO_FORMAT = re.compile(r"\bYYYY-MM-DD\b")


def _cut(text: str, length: int) -> str:
    """`text` up to `length` characters, cut after a whole word and marked with "…"."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    head = text[: length + 1].rsplit(" ", 1)[0] if " " in text[:length] else text[:length]
    return head.rstrip(" ,;:–-") + "…"


#: Where a problem with an empty path is: the report as a whole (toàn văn bản).
WHOLE_REPORT = "Toàn văn bản"


def _lower_first(label: str) -> str:
    """ "Giá trị" → "giá trị" inside a phrase; "OCOP …" keeps its capitals."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def row_name(field: Field, record: Any, index: int) -> str:
    """How a row of a records field is named: by its name, its year or its years, else its number.

    `Chỉ tiêu "kim ngạch xuất khẩu"`, `năm 2012` (a row of a yearly series),
    `Giai đoạn 2011–2015` (`Giai đoạn 2020` for one year), `Hội nghị, sự kiện năm 2017`, or
    `Giai đoạn, dòng 3`.
    """
    row = record if isinstance(record, dict) else {}
    columns = {column.name: column for column in field.fields}

    def integer(name: str) -> int | None:
        value = row.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and name in columns:
            return value
        return None

    def named(required: bool) -> str | None:
        for column in field.fields:
            value = row.get(column.name)
            wanted = column.kind == "text" and (column.required or not required)
            if wanted and isinstance(value, str) and value.strip():
                return f'{field.label} "{_cut(value, NAME_LENGTH)}"'
        return None

    year, start, end = integer("year"), integer("start"), integer("end")
    value_kind = columns["value"].kind if "value" in columns else ""
    if year is not None and value_kind in ("integer", "decimal"):
        return f"năm {year}"  # a yearly series: the year says it all
    name = named(required=True)
    if name:
        return name
    if year is not None:
        return f"{field.label} năm {year}"
    if start is not None and end is not None:
        return f"{field.label} {start}" if start == end else f"{field.label} {start}–{end}"
    return named(required=False) or f"{field.label}, dòng {index + 1}"


def field_place(fields: tuple[Field, ...] | list[Field], data: Any, path: tuple) -> str:
    """The labels along `path` inside data described by `fields`, rows named (see `row_name`).

    Keys that no field describes are shown as they are written in the file.
    """
    parts: list[str] = []
    by_name = {field.name: field for field in fields}
    position = 0
    while position < len(path):
        key = path[position]
        field = by_name.get(key) if isinstance(key, str) else None
        if field is None:
            parts.append(dotted(path[position:]))
            break
        value = data.get(key) if isinstance(data, dict) else None
        position += 1
        index = path[position] if position < len(path) else None
        if isinstance(index, int) and field.kind in ("records", "list"):
            position += 1
            items = value if isinstance(value, list) else []
            item = items[index] if 0 <= index < len(items) else None
            if field.kind == "list":
                parts.append(f"{field.label}, dòng {index + 1}")
                break
            parts.append(row_name(field, item, index))
            by_name = {column.name: column for column in field.fields}
            data = item
            continue
        parts.append(field.label)
        if field.kind == "records" and position < len(path):
            parts.append(dotted(path[position:]))
        break
    return ", ".join(part if n == 0 else _lower_first(part) for n, part in enumerate(parts))


def _section_head(
    index: int, project: Project | None, types: dict[str, SectionType], head: SectionHead
) -> str:
    if project is None or index >= len(project.sections):
        return f"mục {index + 1}"
    section = project.sections[index]
    if head == "number" and section.number:
        return section.number
    label, _ = part_label(Part("section", index), project, types)
    title = _cut(label.removeprefix(section.number).strip(), TITLE_LENGTH)
    return f"{section.number} {title}".strip() or f"mục {index + 1}"


def problem_place(
    problem: Problem,
    project: Project | None = None,
    types: dict[str, SectionType] | None = None,
    *,
    head: SectionHead = "title",
) -> str:
    """Where a problem is, in the form's words: section — field label, row name.

    `head` says how the section is named: "title" (number and a short title), "number"
    (the number alone when it has one; a field of the particulars by its label alone) or
    "none" (inside the section's own preview).
    """
    types = types or {}
    path = problem.path
    if len(path) >= 2 and path[0] == "sections" and isinstance(path[1], int):
        index = path[1]
        section = project.sections[index] if project and index < len(project.sections) else None
        rest: str = ""
        if len(path) > 2 and path[2] == "data":
            section_type = types.get(section.type) if section is not None else None
            if section_type is not None and len(path) > 3:
                rest = field_place(section_type.fields, section.data, path[3:])
            elif len(path) > 3:
                rest = dotted(path[3:])
        elif len(path) > 2:
            rest = field_place(SECTION_META, section.__dict__ if section else {}, path[2:])
        if head == "none":
            return rest
        if not rest:  # the section itself: its title says more than its number
            return _section_head(index, project, types, "title")
        place = _section_head(index, project, types, head)
        # A bare number ("2.1.") needs no dash before the field: the narrow list keeps room.
        numbered = head == "number" and section is not None and place == section.number
        return f"{place} {rest}" if numbered else f"{place} — {rest}"
    if path and path[0] == "document":
        part = part_of_path(path)
        title, spec = PARTICULARS[part.key] if part is not None else ("Thể thức", [])
        for length in range(len(path), 0, -1):
            field = dict(spec).get(tuple(path[:length]))
            if field is not None:
                rest = field_place([field], {}, path[length - 1 :])
                if head != "title" and rest:
                    return rest  # the particulars' field labels say enough on their own
                return f"{title} — {rest}" if rest and rest != title else title
        return f"{title} — {dotted(path[1:])}" if len(path) > 1 else title
    if len(path) >= 2 and path[0] == "citations":
        place = f"Văn bản được dẫn [[{path[1]}]]"
        if len(path) > 2:
            return f"{place} — {CITATION_LABELS.get(str(path[2]), dotted(path[2:]))}"
        return place
    return problem.where or WHOLE_REPORT


#: The keys of a `[citations.<key>]` table (`Citation`), as a clerk calls them.
CITATION_LABELS = {
    "kind": "loại văn bản",
    "number": "số, ký hiệu",
    "date": "ngày ban hành",
    "issuer": "cơ quan ban hành",
    "title": "trích yếu",
}


def _date_text(match: re.Match[str]) -> str:
    try:
        day = dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return match.group(0)  # not a real date: shown as it is written in the file
    return vnformat.date_numeric(day)


def display_message(message: str) -> str:
    """A problem's message with dates written as the form's hints write them (02/4/2021).

    Core messages quote dates the way the TOML file stores them (2021-04-02); a clerk types
    dd/mm/yyyy in the form, so the list shows that.
    """
    from .form import _placeholder  # the date hint of the form: one place for its wording

    message = ISO_FORMAT.sub(_placeholder(Field("date", "", kind="date")), message)
    return ISO_DATE.sub(_date_text, message)


def problem_detail(
    problem: Problem, project: Project | None = None, types: dict[str, SectionType] | None = None
) -> str:
    """The whole of one problem: place, severity, message, and the dotted path of the file."""
    kind = "Lỗi" if problem.severity == "error" else "Cảnh báo"
    lines = [
        f"{kind}: {problem_place(problem, project, types)}",
        display_message(problem.message),
        f"Trong tệp: {problem.where or '(cả tệp)'}"
        + (f" (dòng {problem.line})" if problem.line else ""),
    ]
    return "\n".join(lines)


def problem_prompt(
    problem: Problem,
    project: Project | None = None,
    types: dict[str, SectionType] | None = None,
    *,
    head: SectionHead = "title",
) -> Text:
    """One line of the list: mark, place in bold, message (cut to the list's width by CSS)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    mark = MARKS[problem.severity]
    text.append(mark + " ", style="bold red" if mark == "!" else "bold yellow")
    text.append(problem_place(problem, project, types, head=head), style="bold")
    text.append(": " + display_message(problem.message))
    return text


class ProblemsList(OptionList):
    """Validation and check findings; Enter moves the cursor to the field at fault."""

    BINDINGS = bindings("problems")
    help_area = "problems"
    HELP = (
        "Vấn đề: các lỗi (!) và cảnh báo (?) của kiểm tra, mỗi vấn đề một dòng. ↑/↓ chọn, "
        "Enter đưa con trỏ đến trường có vấn đề; F1 cho xem đầy đủ vấn đề đang chọn và đường "
        "dẫn của nó trong tệp. F5 kiểm tra lại toàn bộ văn bản."
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.problems: list[Problem] = []
        self._project: Project | None = None
        self._types: dict[str, SectionType] = {}
        self._head: SectionHead = "number"
        self._shown: list[str] | None = None  # the lines on screen, as text

    def _wanted_head(self) -> SectionHead:
        return "title" if self.size.width >= WIDE_LIST else "number"

    def show(
        self,
        problems: list[Problem],
        project: Project | None = None,
        types: dict[str, SectionType] | None = None,
    ) -> None:
        """List the problems, errors first, one line each."""
        ordered = sorted(problems, key=lambda problem: problem.severity != "error")
        self._project, self._types = project, types or {}
        self._fill(ordered)

    def _fill(self, problems: list[Problem]) -> None:
        head = self._wanted_head()
        lines = [
            problem_prompt(problem, self._project, self._types, head=head) for problem in problems
        ]
        # Unchanged lines (the usual case after a keystroke) leave the list as it is; a
        # renumbered section changes the lines even when the problems are the same.
        if head == self._head and [line.plain for line in lines] == self._shown:
            return
        self.problems, self._head, self._shown = problems, head, [line.plain for line in lines]
        highlighted = self.highlighted
        options = [Option(line) for line in lines]
        if not options:
            options = [Option(Text("Không có vấn đề nào.", style="italic"), disabled=True)]
        self.set_options(options)
        if self.problems:
            keep = highlighted if highlighted is not None else 0
            self.highlighted = min(keep, len(self.problems) - 1)
        self.border_title = f"Vấn đề ({len(self.problems)})" if self.problems else "Vấn đề"

    def on_resize(self, event: Resize) -> None:
        if self.problems and self._wanted_head() != self._head:
            self._fill(self.problems)

    @property
    def current(self) -> Problem | None:
        """The highlighted problem, if any."""
        if self.highlighted is None or not 0 <= self.highlighted < len(self.problems):
            return None
        return self.problems[self.highlighted]

    def help_detail(self) -> str:
        """The F1 text for the highlighted problem: its whole message and its dotted path."""
        problem = self.current
        if problem is None:
            return ""
        return problem_detail(problem, self._project, self._types)


__all__ = [
    "ProblemsList",
    "display_message",
    "field_place",
    "problem_detail",
    "problem_place",
    "row_name",
]
