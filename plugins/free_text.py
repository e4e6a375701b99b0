"""Free text (văn bản tự do): the introduction, numbered points without data, closings.

Data: `text`, paragraphs separated by blank lines, with **bold**, *italic* and [[citation]]
mentions. A section with a heading and no text prints just its heading ("2. Kết quả thực hiện").
"""

from __future__ import annotations

from typing import Any

from tongket.core import Field, Problem, SectionType, hookimpl
from tongket.core.host.fieldcheck import check_fields
from tongket.core.render.blocks import Block

SECTION_TYPE = SectionType(
    id="free-text",
    title="Văn bản tự do",
    version=1,
    description="Các đoạn văn soạn tay: mở đầu, nội dung không có số liệu, kết luận.",
    fields=(
        Field(
            "text",
            "Nội dung",
            kind="longtext",
            help="Mỗi đoạn cách nhau một dòng trống. **đậm**, *nghiêng*, [[khóa]] để dẫn văn bản.",
        ),
    ),
    default_data={"text": ""},
)


@hookimpl
def tongket_section_types(register):
    register(SECTION_TYPE)


@hookimpl
def tongket_validate_section(data: dict[str, Any], context) -> list[Problem]:
    problems = check_fields(SECTION_TYPE.fields, data)
    text = data.get("text")
    if isinstance(text, str):
        problems.extend(Problem(("text",), message) for message in context.text_problems(text))
    return problems


@hookimpl
def tongket_render_section(data: dict[str, Any], context) -> list[Block]:
    return context.paragraphs(data.get("text", ""))
