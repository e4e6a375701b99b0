"""The benchmark-only section type `bench-section`: paragraphs through the context and a table.

Never installed: `tongket_bench.py` (the console script with this plugin added) and the
in-process scripts register it themselves. It renders its prose the way the free-text plugin
does (`context.paragraphs`) and its table as one `Table` block.
"""

from __future__ import annotations

from tongket.core import SectionType, hookimpl
from tongket.core.render.blocks import Table

SECTION_TYPE = "bench-section"
ALIGN = ("center", "right", "right", "right", "right")


class BenchPlugin:
    """The `bench-section` type: paragraphs (as free text) and a table."""

    @hookimpl
    def tongket_section_types(self, register) -> None:
        register(SectionType(SECTION_TYPE, "Mục đo hiệu năng", 1))

    @hookimpl
    def tongket_validate_section(self, section_type, data, context):
        return [] if section_type == SECTION_TYPE else None

    @hookimpl
    def tongket_render_section(self, section_type, data, context):
        if section_type != SECTION_TYPE:
            return None
        blocks: list = []
        for text in data["paragraphs"]:
            blocks += context.paragraphs(text)
        rows = tuple(tuple(row) for row in data["rows"])
        blocks.append(Table(tuple(data["header"]), rows, align=ALIGN))
        return blocks
