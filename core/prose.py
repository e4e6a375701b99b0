"""The prose every data section shares: free paragraphs before and after, and a sentence template.

A data section (economic results, partnerships, …) writes its generated text from a template
whose placeholders are the figures it computed. The drafter may replace the default template
with their own wording (`template`) and add free paragraphs before (`intro`) and after
(`outro`). Plugins add `PROSE_FIELDS` to their fields and call `prose_problems` and
`prose_blocks`; the template engine itself is `tongket.core.template`.
"""

from __future__ import annotations

from typing import Any

from .blocks import Block
from .context import RenderContext
from .problems import Problem
from .sectiontypes import Field
from .template import Values, template_problems

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
)


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
    for name in ("intro", "template", "outro"):
        text = data.get(name)
        if isinstance(text, str):
            problems.extend(Problem((name,), message) for message in context.text_problems(text))
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
