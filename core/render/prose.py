"""The prose every data section shares: free paragraphs before and after, and a sentence template.

A data section (economic results, partnerships, …) writes its generated text from a template
whose placeholders are the figures it computed. The drafter may replace the default template
with their own wording (`template`) and add free paragraphs before (`intro`) and after
(`outro`) it, and after the section's tables (`after_tables`: a comment on the table, "Như
vậy, …", or what a Word reply wrote under it). Plugins add `PROSE_FIELDS` to their fields and
either call `prose_problems` and `prose_blocks` from their own hooks (then printing
`after_tables` after their tables themselves), or let `ProseSection` write the hooks of that
whole flow; the template engine itself is `tongket.core.render.template`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from tongket.core.host.fieldcheck import check_fields
from tongket.core.host.hookspecs import hookimpl
from tongket.core.host.sectiontypes import Field, SectionType
from tongket.core.problems import Problem
from tongket.core.render.blocks import Block
from tongket.core.render.context import RenderContext
from tongket.core.render.template import Values, template_problems

PROSE_FIELDS: tuple[Field, ...] = (
    Field(
        "intro",
        "Đoạn trước phần số liệu",
        kind="longtext",
        help="Đoạn văn tự do in trước phần câu sinh từ số liệu; các đoạn cách nhau một dòng trống.",
    ),
    Field(
        "template",
        "Mẫu câu riêng",
        kind="longtext",
        help="Để trống để dùng mẫu mặc định. Chỗ trống {ten} hoặc {ten[khoa]} nhận số liệu tính "
        "từ dữ liệu, ví dụ {tang_binh_quan[2011-2015]}; viết {{ và }} để in dấu ngoặc.",
    ),
    Field(
        "outro",
        "Đoạn sau phần số liệu",
        kind="longtext",
        help="Đoạn văn tự do in sau phần câu sinh từ số liệu.",
    ),
    Field(
        "after_tables",
        "Đoạn sau bảng",
        kind="longtext",
        help="Đoạn văn in sau bảng của mục, ví dụ nhận xét về số liệu trong bảng. Khi bảng in ở "
        "phụ lục hoặc không in, đoạn này in ngay sau các đoạn trên.",
    ),
    Field(
        "gathered",
        "Nội dung các đơn vị gửi (tổng hợp)",
        kind="longtext",
        help="Chỉ có ở báo cáo tổng hợp: lệnh tongket merge điền lại mỗi lần tổng hợp, không "
        "in ra văn bản. Soạn lại nội dung chính thức ở các đoạn trên.",
        filled_only=True,
    ),
)


#: The prose fields a drafter writes, in print order (`gathered`, the merge's, is not printed).
PROSE_TEXTS = tuple(spec.name for spec in PROSE_FIELDS if not spec.filled_only)


def chosen_template(data: dict[str, Any], default_template: str) -> str:
    """The section's own template, or the section type's default when it has none."""
    own = data.get("template")
    return own if isinstance(own, str) and own.strip() else default_template


def prose_problems(data: dict[str, Any], values: Values, context: RenderContext) -> list[Problem]:
    """Problems in the drafter's template (unknown placeholders, bad syntax) and free text."""
    problems: list[Problem] = []
    own = data.get("template")
    if isinstance(own, str) and own.strip():
        problems.extend(
            Problem(("template",), message) for message in template_problems(own, values)
        )
    for name in PROSE_TEXTS:
        text = data.get(name)
        if isinstance(text, str):
            problems.extend(Problem((name,), message) for message in context.text_problems(text))
            problems.extend(
                Problem((name,), message, "warning") for message in context.markup_warnings(text)
            )
    return problems


def prose_blocks(
    data: dict[str, Any], default_template: str, values: Values, context: RenderContext
) -> list[Block]:
    """Intro paragraphs, the filled template's paragraphs, then the outro paragraphs."""
    blocks: list[Block] = []
    blocks.extend(context.paragraphs(data.get("intro") or ""))
    blocks.extend(context.paragraphs(context.fill(chosen_template(data, default_template), values)))
    blocks.extend(context.paragraphs(data.get("outro") or ""))
    return blocks


def _has_errors(problems: list[Problem]) -> bool:
    return any(problem.severity == "error" for problem in problems)


def _no_problems(_figures: Any, _context: RenderContext) -> list[Problem]:
    return []


def _no_tables(_figures: Any, _context: RenderContext) -> list[Block]:
    return []


def _the_data(data: dict[str, Any]) -> Any:
    return data


@dataclass(frozen=True)
class ProseSection:
    """The whole plugin of a data section that follows the standard flow (every built-in one
    but free text): figures computed from the data, written out by a sentence template between
    the drafter's intro and outro, followed by tables.

    Give it the section type and four functions; `hooks()` returns the three hook functions,
    which the plugin module binds to the hooks' names:

        SECTION = ProseSection(SECTION_TYPE, values=..., template=..., tables=...)
        tongket_section_types, tongket_validate_section, tongket_render_section = SECTION.hooks()

    - `figures(data)`: what the data computes to, handed to the three below (default: the
      data itself); called only on data that passed every check.
    - `values(figures, context)`: the template's placeholder values (`{ten[khoa]}`).
    - `template(figures)`: the default sentence template, used while the drafter has none.
    - `tables(figures, context)`: the blocks after the prose (default: none); a None among
      them (a table with no rows, left out) is skipped.

    Validation runs in order and stops at the first stage with errors, because each later one
    needs the shapes the earlier ones confirm: the field checks (`check_fields`), then
    `checks(data, context)` (the section's own rules), then the drafter's template and free
    text (`prose_problems`), then `figure_checks(figures, context)` (e.g. a stated figure
    that disagrees with the computed one).
    """

    section_type: SectionType
    values: Callable[[Any, RenderContext], Values]
    template: Callable[[Any], str]
    tables: Callable[[Any, RenderContext], Iterable[Block | None]] = _no_tables
    figures: Callable[[dict[str, Any]], Any] = _the_data
    checks: Callable[[dict[str, Any], RenderContext], list[Problem]] | None = None
    figure_checks: Callable[[Any, RenderContext], list[Problem]] = _no_problems

    def validate(self, data: dict[str, Any], context: RenderContext) -> list[Problem]:
        """Every problem of the section's data, in the stages described above."""
        problems = check_fields(self.section_type.fields, data)
        if _has_errors(problems):
            return problems  # the figures cannot be computed from data of the wrong shape
        if self.checks is not None:
            problems += self.checks(data, context)
            if _has_errors(problems):
                return problems
        figures = self.figures(data)
        problems += prose_problems(data, self.values(figures, context), context)
        problems += self.figure_checks(figures, context)
        return problems

    def render(self, data: dict[str, Any], context: RenderContext) -> list[Block]:
        """Intro, the filled template, outro, the tables, then the text after them."""
        figures = self.figures(data)
        values = self.values(figures, context)
        blocks = prose_blocks(data, self.template(figures), values, context)
        blocks.extend(block for block in self.tables(figures, context) if block is not None)
        blocks.extend(context.paragraphs(data.get("after_tables") or ""))
        return blocks

    def hooks(self) -> tuple[Callable[..., None], Callable[..., Any], Callable[..., Any]]:
        """`tongket_section_types`, `tongket_validate_section`, `tongket_render_section`."""

        @hookimpl
        def tongket_section_types(register: Callable[[SectionType], None]) -> None:
            register(self.section_type)

        @hookimpl
        def tongket_validate_section(data: dict[str, Any], context: RenderContext) -> list[Problem]:
            return self.validate(data, context)

        @hookimpl
        def tongket_render_section(data: dict[str, Any], context: RenderContext) -> list[Block]:
            return self.render(data, context)

        return tongket_section_types, tongket_validate_section, tongket_render_section
