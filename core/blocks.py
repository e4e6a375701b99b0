"""The neutral document model: what plugins return and what every writer reads.

Plugins build these blocks; the DOCX writer, the plain-text renderer, the TUI preview and the
tests all consume the same list. Nothing here knows about python-docx or Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Alignment = Literal["left", "center", "right", "justify"]


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Heading:
    """A section heading; level 1 is "2. Kết quả thực hiện", level 2 is "2.1. …"."""

    text: str
    level: int = 1
    number: str = ""

    @property
    def line(self) -> str:
        """The heading as printed: "2. Kết quả thực hiện"."""
        return f"{self.number} {self.text}".strip()


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph made of runs.

    `style` names the role: "body" (justified, first-line indent) or "note" (smaller, italic,
    for table notes and sources), "center" (centred, no indent).
    """

    runs: tuple[Run, ...]
    style: Literal["body", "note", "center"] = "body"

    @classmethod
    def of(cls, text: str, *, bold: bool = False, italic: bool = False, style: str = "body"):
        """A paragraph holding one run of plain text."""
        return cls((Run(text, bold=bold, italic=italic),), style=style)  # type: ignore[arg-type]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class BulletList:
    """A bulleted ("- …") or numbered ("1. …") list; each item is a tuple of runs."""

    items: tuple[tuple[Run, ...], ...]
    ordered: bool = False


@dataclass(frozen=True)
class Table:
    """A table with one header row.

    `widths` are relative column weights (any positive numbers); `align` gives each column's
    alignment. Every row has as many cells as the header.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()
    align: tuple[Alignment, ...] = ()
    caption: str = ""
    note: str = ""  # printed under the table, e.g. how an average was computed


@dataclass(frozen=True)
class Image:
    """A picture from a file path, with its width in centimetres and an optional caption.

    A relative path is read from the report's folder; the writer embeds only a regular picture
    file (PNG, JPEG, GIF, BMP, TIFF) of at most 20 MB in that folder or in `TONGKET_IMAGE_DIRS`
    (`tongket.core.images`), and prints an error line in its place otherwise.
    """

    path: str
    width_cm: float = 12.0
    caption: str = ""


@dataclass(frozen=True)
class PageBreak:
    """Start a new page."""


@dataclass(frozen=True)
class ErrorBlock:
    """Stands in for a section whose plugin failed, so the failure stays visible in place."""

    plugin: str
    section: str
    hook: str
    message: str

    @property
    def text(self) -> str:
        return f"[LỖI plugin {self.plugin}, mục {self.section}, {self.hook}: {self.message}]"


Block = Heading | Paragraph | BulletList | Table | Image | PageBreak | ErrorBlock

BLOCK_TYPES: tuple[type, ...] = (
    Heading,
    Paragraph,
    BulletList,
    Table,
    Image,
    PageBreak,
    ErrorBlock,
)


@dataclass
class Appendix:
    """A phụ lục: laid out after the signature, on pages numbered on their own."""

    title: str
    blocks: list[Block] = field(default_factory=list)
    label: str = ""  # "Phụ lục I", assigned in document order


def block_problems(blocks: object) -> list[str]:
    """Say what is wrong with a plugin's return value, or nothing when it is a valid block list."""
    if not isinstance(blocks, list | tuple):
        return [f"expected a list of blocks, got {type(blocks).__name__}"]
    problems: list[str] = []
    for index, block in enumerate(blocks):
        where = f"block {index + 1}"
        if not isinstance(block, BLOCK_TYPES):
            problems.append(f"{where}: {type(block).__name__} is not a block type")
        elif isinstance(block, Paragraph):
            if not all(isinstance(run, Run) and isinstance(run.text, str) for run in block.runs):
                problems.append(f"{where}: paragraph runs must be Run objects holding text")
        elif isinstance(block, Heading):
            if not isinstance(block.text, str) or not 1 <= block.level <= 4:
                problems.append(f"{where}: heading needs text and a level from 1 to 4")
        elif isinstance(block, Table):
            width = len(block.header)
            for row_index, row in enumerate(block.rows):
                if len(row) != width or not all(isinstance(cell, str) for cell in row):
                    problems.append(
                        f"{where}: table row {row_index + 1} has {len(row)} cells, "
                        f"the header has {width}"
                    )
                    break
            if block.widths and len(block.widths) != width:
                problems.append(
                    f"{where}: table has {width} columns but {len(block.widths)} widths"
                )
        elif isinstance(block, BulletList) and not all(
            isinstance(run, Run) for item in block.items for run in item
        ):
            problems.append(f"{where}: list items must be tuples of Run objects")
    return problems


def plain_text(blocks: list[Block]) -> str:
    """All the words of a block list, one block a line (for search and quick checks)."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            lines.append(block.line)
        elif isinstance(block, Paragraph | ErrorBlock):
            lines.append(block.text)
        elif isinstance(block, BulletList):
            lines.extend("".join(run.text for run in item) for item in block.items)
        elif isinstance(block, Table):
            if block.caption:
                lines.append(block.caption)
            lines.append(" | ".join(block.header))
            lines.extend(" | ".join(row) for row in block.rows)
            if block.note:
                lines.append(block.note)
    return "\n".join(lines)
