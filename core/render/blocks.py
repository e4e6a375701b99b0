"""The neutral document model: what plugins return and what every writer reads.

Plugins build these blocks; the DOCX writer, the plain-text renderer, the TUI preview and the
tests all consume the same list. Nothing here knows about python-docx or Textual.

Each consumer walks the block types through one `BlockDispatch` (a table from block class to
handler), so a new block type is handled wherever one is listed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Generic, Literal, TypeVar

# Chart lives in its own module (its checks are long); plugins import it from here.
from tongket.core.render.charts import Chart, chart_problems
from tongket.core.render.charts import ChartSeries as ChartSeries

Alignment = Literal["left", "center", "right", "justify"]

_TEXT_OF = attrgetter("text")  # a run's text


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
        return "".join(map(_TEXT_OF, self.runs))  # each run's text, with no frame per run


@dataclass(frozen=True)
class BulletList:
    """A bulleted ("- …") or numbered ("1. …") list; each item is a tuple of runs."""

    items: tuple[tuple[Run, ...], ...]
    ordered: bool = False


@dataclass(frozen=True)
class Table:
    """A table with one header row.

    Every row has as many cells as the header; `align` gives each column's alignment.
    `widths` are relative column weights (any positive numbers), a hint only: the DOCX writer
    sizes columns by their content and uses the weights to share out room the content does not
    need (see docs/plugins.md).

    `total_rows` are the indices of the body rows that are totals (0 is the first row after the
    header, -1 the last), printed bold. Columns whose every body cell is empty or zero ("",
    "0", "0,0", "-", "–") are left out when the report is assembled
    (`tables.normalize_table`), unless `keep_empty_columns` is set.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()
    align: tuple[Alignment, ...] = ()
    caption: str = ""
    note: str = ""  # printed under the table, e.g. how an average was computed
    total_rows: tuple[int, ...] = ()
    keep_empty_columns: bool = False


@dataclass(frozen=True)
class Image:
    """A picture from a file path, with its width in centimetres and an optional caption.

    A relative path is read from the report's folder; the writer embeds only a regular picture
    file (PNG, JPEG, GIF, BMP, TIFF) of at most 20 MB in that folder or in `TONGKET_IMAGE_DIRS`
    (`tongket.core.writers.images`), and prints an error line in its place otherwise.
    """

    path: str
    width_cm: float = 12.0
    caption: str = ""


@dataclass(frozen=True)
class PageBreak:
    """Start a new page."""


@dataclass(frozen=True)
class ErrorBlock:
    """Stands in for a section whose plugin failed, so the failure stays visible in place.

    `plugin` and `hook` are empty for a section whose type no installed plugin provides.
    """

    plugin: str
    section: str
    hook: str
    message: str

    @property
    def text(self) -> str:
        if not self.plugin:
            return f"[LỖI mục {self.section}: {self.message}]"
        return f"[LỖI plugin {self.plugin}, mục {self.section}, {self.hook}: {self.message}]"


Block = Heading | Paragraph | BulletList | Table | Image | Chart | PageBreak | ErrorBlock

#: Every block class. A new block type is added here and in `Block`, then given a handler in
#: every `BlockDispatch` (one per consumer: `block_problems` below, the text renderer, the TUI
#: preview, the DOCX writer, the contract checks, `tongket check`);
#: tests/core/test_block_dispatch.py names each dispatch that lacks it.
BLOCK_TYPES: tuple[type, ...] = (
    Heading,
    Paragraph,
    BulletList,
    Table,
    Image,
    Chart,
    PageBreak,
    ErrorBlock,
)

_Result = TypeVar("_Result")


class UnknownBlockType(TypeError):
    """A consumer of blocks was given an object of a class it has no handler for."""


#: Every `BlockDispatch` by name, so a test can check that each of tongket's handles every type
#: in `BLOCK_TYPES` (a dispatch made again under the same name replaces the earlier one).
DISPATCHES: dict[str, BlockDispatch[Any]] = {}


class BlockDispatch(dict[type, Callable[..., _Result]], Generic[_Result]):
    """One consumer's handlers, by block class: call `dispatch[type(block)](block, ...)`.

    A dict rather than `functools.singledispatch` because the DOCX writer dispatches every
    block of a report of thousands: a listed class costs one C-level dict lookup, no more than
    the isinstance chain this replaces. A subclass of a listed class gets its base's handler
    (found once, then cached); any other class gets `fallback`, or `UnknownBlockType` is raised.

    `name` is the dotted name of the function the dispatch serves, so a missing handler says
    where to add it.
    """

    def __init__(
        self,
        name: str,
        handlers: Mapping[type, Callable[..., _Result]],
        *,
        fallback: Callable[..., _Result] | None = None,
    ) -> None:
        super().__init__(handlers)
        self.name = name
        self.fallback = fallback
        self.listed = frozenset(handlers)
        DISPATCHES[name] = self

    def __missing__(self, cls: type) -> Callable[..., _Result]:
        for base in cls.__mro__[1:]:
            if base in self.listed:
                handler = self[cls] = self[base]
                return handler
        if self.fallback is not None:
            return self.fallback  # not cached: arbitrary objects must not grow the table
        raise UnknownBlockType(f"{self.name} has no handler for {cls.__name__}")

    def missing(self) -> list[type]:
        """The block types this dispatch has no handler for (empty when complete)."""
        return [block_type for block_type in BLOCK_TYPES if block_type not in self.listed]


@dataclass
class Appendix:
    """A phụ lục: laid out after the signature, on pages numbered on their own."""

    title: str
    blocks: list[Block] = field(default_factory=list)
    label: str = ""  # "Phụ lục I", assigned in document order


#: Where a plugin's numbers go to become cell text; named in the message for a non-text cell.
_NUMBER_FORMATTERS = (
    "tongket.core.vnformat (context.fmt in a plugin): number(), percent(), multiple(), count()"
)


_JUST_RUN = frozenset({Run})
_JUST_STR = frozenset({str})


def _plain_runs(runs: object) -> bool:
    """The usual paragraph's runs, in two C-level passes over its tuple (no frame per run):
    every run exactly a Run, every text exactly a str. Anything else (a subclass, a stray
    value, runs given as a one-pass iterator) is for the full look."""
    return (
        runs.__class__ is tuple
        and _JUST_RUN.issuperset(map(type, runs))
        and _JUST_STR.issuperset(map(type, map(_TEXT_OF, runs)))
    )


def _paragraph_problems(paragraph: Paragraph, where: str) -> list[str]:
    runs = paragraph.runs
    if _plain_runs(runs):
        return []
    if all(isinstance(run, Run) and isinstance(run.text, str) for run in runs):
        return []
    return [f"{where}: các run của Paragraph phải là Run chứa chữ (str)"]


def _heading_problems(heading: Heading, where: str) -> list[str]:
    if isinstance(heading.text, str) and 1 <= heading.level <= 4:
        return []
    return [f"{where}: Heading cần chữ (text) và cấp (level) từ 1 đến 4"]


def _list_problems(bullets: BulletList, where: str) -> list[str]:
    if all(isinstance(run, Run) for item in bullets.items for run in item):
        return []
    return [f"{where}: mỗi mục của BulletList phải là một tuple các Run"]


def _cell_problem(where: str, place: str, value: object) -> str:
    # The writers print a cell as it is, so a number has to be formatted by the plugin first
    # (the Vietnamese decimal comma and thousands dot are the plugin's to choose).
    return (
        f"{where}: {place} của Table là {type(value).__name__} {value!r:.40}, nhưng ô bảng "
        f"phải là chữ (str); định dạng số bằng {_NUMBER_FORMATTERS}"
    )


def _table_problems(table: Table, where: str) -> list[str]:
    problems: list[str] = []
    width = len(table.header)
    for column, title in enumerate(table.header, start=1):
        if not isinstance(title, str):
            problems.append(_cell_problem(where, f"ô tiêu đề {column}", title))
            break
    # One message of each kind per table: a wrong row usually repeats down the whole table.
    counted = typed = False
    for number, row in enumerate(table.rows, start=1):
        if not isinstance(row, tuple | list):  # rows=("2020", "2021") counts a str's letters
            problems.append(
                f"{where}: dòng {number} của Table là {type(row).__name__} {row!r:.40}, "
                "nhưng mỗi dòng phải là một tuple các ô chữ"
            )
            break
        if not counted and len(row) != width:
            problems.append(
                f"{where}: dòng {number} của Table có {len(row)} ô, dòng tiêu đề có {width}"
            )
            counted = True
        if not typed:
            for column, value in enumerate(row, start=1):
                if not isinstance(value, str):
                    problems.append(_cell_problem(where, f"dòng {number}, ô {column}", value))
                    typed = True
                    break
        if counted and typed:
            break
    if table.widths and len(table.widths) != width:
        problems.append(f"{where}: Table có {width} cột nhưng {len(table.widths)} độ rộng (widths)")
    problems += _total_rows_problems(table, where)
    if not isinstance(table.keep_empty_columns, bool):
        problems.append(f"{where}: keep_empty_columns của Table phải là True hoặc False")
    return problems


def _total_rows_problems(table: Table, where: str) -> list[str]:
    totals = table.total_rows
    if not isinstance(totals, tuple | list) or not all(
        isinstance(index, int) and not isinstance(index, bool) for index in totals
    ):
        return [f"{where}: total_rows của Table phải là tuple các chỉ số dòng (int)"]
    count = len(table.rows) if isinstance(table.rows, tuple | list) else 0
    outside = [index for index in totals if not -count <= index < count]
    if outside:
        return [
            f"{where}: total_rows {outside[0]} không phải chỉ số dòng của Table (bảng có "
            f"{count} dòng: từ 0 đến {count - 1}, hoặc -1 cho dòng cuối)"
        ]
    return []


def _no_problems(block: Block, where: str) -> list[str]:
    return []


def _not_a_block(value: object, where: str) -> list[str]:
    return [
        f"{where}: {type(value).__name__} không phải một loại khối; dùng Heading, Paragraph, "
        "BulletList, Table, Image, Chart hoặc PageBreak (tongket.core.blocks)"
    ]


_PROBLEMS: BlockDispatch[list[str]] = BlockDispatch(
    "tongket.core.render.blocks.block_problems",
    {
        Heading: _heading_problems,
        Paragraph: _paragraph_problems,
        BulletList: _list_problems,
        Table: _table_problems,
        Image: _no_problems,
        Chart: chart_problems,
        PageBreak: _no_problems,
        ErrorBlock: _no_problems,
    },
    fallback=_not_a_block,
)


def block_problems(blocks: object) -> list[str]:
    """Say what is wrong with a plugin's return value, or nothing when it is a valid block list."""
    if not isinstance(blocks, list | tuple):
        return [f"cần trả về danh sách (list) các khối, gặp {type(blocks).__name__}"]
    problems: list[str] = []
    for index, block in enumerate(blocks):
        if block.__class__ is Paragraph and _plain_runs(block.runs):
            continue  # the usual block: no dispatch and no "khối N" string for it
        problems += _PROBLEMS[type(block)](block, f"khối {index + 1}")
    return problems
