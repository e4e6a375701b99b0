"""Assemble a whole report: run every section through its plugin, in reading order.

This is the one rendering path. The DOCX writer, the plain-text renderer, the TUI preview and
`tongket check` all start from `render_document`, so what is checked is what is printed.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter
from typing import Any

from tongket.core.host.pluginhost import PluginFailure, PluginHost
from tongket.core.problems import Problem
from tongket.core.render.blocks import (
    Appendix,
    Block,
    BulletList,
    Chart,
    ErrorBlock,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Run,
    Table,
)
from tongket.core.render.citations import CitationBook
from tongket.core.render.context import RenderContext
from tongket.core.report.model import Particulars, Project, Section

#: "V/v …" or "Về việc …" typed at the start of a trích yếu, in any case.
SUBJECT_PREFIX = re.compile(r"(?i)^(v/v|về việc)\s+")


def subject_prefix(document: Particulars) -> str:
    """The "V/v"/"Về việc" the drafter typed before the trích yếu, as typed, or ""."""
    match = SUBJECT_PREFIX.match(document.subject.strip())
    return match.group(1) if match else ""


def subject_text(document: Particulars) -> str:
    """The trích yếu without any "V/v"/"Về việc" the drafter typed (the writer adds "V/v")."""
    return SUBJECT_PREFIX.sub("", document.subject.strip(), count=1)


def roman(number: int) -> str:
    """1 → "I", 4 → "IV": phụ lục are numbered with Roman numerals."""
    numerals = (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    )  # fmt: skip
    text = ""
    for value, letters in numerals:
        while number >= value:
            text += letters
            number -= value
    return text


@dataclass
class SectionResult:
    """One section after validation and rendering."""

    index: int
    section: Section
    blocks: list[Block] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failure: PluginFailure | None = None
    #: The section printed nothing but its heading and number (its tables, wherever placed,
    #: count as something): `render_document` warns unless sections under it follow.
    heading_only: bool = False


@dataclass
class RenderedDocument:
    """A report ready for a writer: particulars, body blocks, appendices, and what went wrong."""

    project: Project
    body: list[Block]
    appendices: list[Appendix]
    sections: list[SectionResult]

    @property
    def failures(self) -> list[PluginFailure]:
        return [result.failure for result in self.sections if result.failure]

    @property
    def problems(self) -> list[Problem]:
        return list(chain.from_iterable(map(_PROBLEMS_OF, self.sections)))

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]


#: Blocks that put something on the page (a page break alone does not).
CONTENT = (Paragraph, BulletList, Table, Image, Chart, ErrorBlock)
#: `CONTENT` as a set, for exact classes: what a section of them alone printed.
_CONTENT_CLASSES = frozenset(CONTENT)
#: Block classes that `normalize_tables` and `_place_tables` leave as they are, wherever the
#: section's tables go: a section made of these alone skips both.
_NOTHING_TO_PLACE = frozenset({Heading, Paragraph, BulletList, Image, PageBreak, ErrorBlock})


def _prefix_number(blocks: list[Block], number: str) -> list[Block]:
    # "2.1." without a heading starts the section's first paragraph, as in the reference.
    for position, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            numbered = Paragraph((Run(number + " "), *block.runs), style=block.style)
            return [*blocks[:position], numbered, *blocks[position + 1 :]]
    return [Paragraph.of(number), *blocks]


def _to_appendix(block: Block, section: Section) -> bool:
    """Whether a block goes to the section's phụ lục: its tables by the section's `table`
    setting, a chart by its own `placement`."""
    if isinstance(block, Table):
        return section.table == "appendix"
    return isinstance(block, Chart) and block.placement == "appendix"


def _place_tables(
    blocks: list[Block], section: Section, appendices: list[Appendix], title: str
) -> list[Block]:
    # Tables and charts asked for in the phụ lục share one; the body points to it.
    moved = [block for block in blocks if _to_appendix(block, section)]
    dropped = section.table == "none"
    if not moved and not (dropped and any(isinstance(block, Table) for block in blocks)):
        return blocks
    kept: list[Block] = []
    first: int | None = None  # where the first moved block stood: the pointer goes there
    for block in blocks:
        if _to_appendix(block, section):
            first = len(kept) if first is None else first
        elif not (dropped and isinstance(block, Table)):
            kept.append(block)
    if first is None:
        return kept
    label = f"Phụ lục {roman(len(appendices) + 1)}"
    appendices.append(Appendix(title=title, blocks=moved, label=label))
    pointer = Paragraph.of(f"(Chi tiết tại {label} kèm theo.)")
    return [*kept[:first], pointer, *kept[first:]]


def number_charts(results: list[SectionResult], appendices: list[Appendix]) -> None:
    """Number the charts "Biểu đồ 1", "Biểu đồ 2" … in reading order: body, then phụ lục.

    Done once the whole document is assembled, so the DOCX, the text render and the preview
    (which all read these blocks) print the same numbers.
    """
    kinds: set[type] = set()
    for result in results:
        kinds.update(map(type, result.blocks))
    for appendix in appendices:
        kinds.update(map(type, appendix.blocks))
    if not any(issubclass(kind, Chart) for kind in kinds):
        return  # no chart anywhere (the usual report): one C-level pass, nothing to number
    count = 0

    def numbered(blocks: list[Block]) -> list[Block]:
        nonlocal count
        if not any(isinstance(block, Chart) for block in blocks):
            return blocks
        renumbered: list[Block] = []
        for block in blocks:
            if isinstance(block, Chart):
                count += 1
                block = dataclasses.replace(block, number=count)
            renumbered.append(block)
        return renumbered

    for result in results:
        result.blocks = numbered(result.blocks)
    for appendix in appendices:
        appendix.blocks = numbered(appendix.blocks)


#: Types of TOML values that cannot change in place: a copy shares them.
_IMMUTABLE = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime, dt.time})


def copy_data(value: Any) -> Any:
    """A copy of section data for a plugin: tables and arrays copied, TOML scalars shared.

    Three to four times faster than `copy.deepcopy` on the built-ins' data; a value of any
    other type (a tuple, an object a test put there) still goes through `copy.deepcopy`.
    """
    kind = type(value)
    if kind is dict:
        if _IMMUTABLE.issuperset(map(type, value.values())):
            return dict(value)  # scalars only (a short section's data): a C-level copy
        return {
            key: item if type(item) in _IMMUTABLE else copy_data(item)
            for key, item in value.items()
        }
    if kind is list:
        return [item if type(item) in _IMMUTABLE else copy_data(item) for item in value]
    if kind in _IMMUTABLE:
        return value
    return copy.deepcopy(value)


def _plugins_view(section: Section, data: dict[str, Any]) -> Section:
    # The section as the context shows it: the same fields, with the plugin's copy of the data.
    view = object.__new__(Section)
    view.__dict__.update(section.__dict__)
    view.data = data
    return view


def section_context(project: Project, section: Section, citations: CitationBook) -> RenderContext:
    """The context a plugin receives for one section."""
    return RenderContext(document=project.document, section=section, citations=citations)


def read_only_message(section: Section, host: PluginHost) -> str | None:
    """Why a section must be shown read-only: its data is newer than the installed plugin."""
    owner = host.owner_of(section.type)
    if owner is None or section.version is None:
        return None
    installed = host.section_types[section.type].version
    if section.version <= installed:
        return None
    return (
        f"dữ liệu được viết bởi phiên bản {section.version} của loại mục '{section.type}', "
        f"bản đã cài là {installed}; mục này chỉ đọc, hãy nâng cấp plugin {owner}"
    )


def render_section(
    project: Project,
    index: int,
    host: PluginHost,
    citations: CitationBook,
    appendices: list[Appendix],
) -> SectionResult:
    """Validate and render one section; failures become an error block, never an exception."""
    section = project.sections[index]
    result = SectionResult(index, section)
    path = ("sections", index)
    label = section.label
    owner = host.owner_of(section.type)
    if owner is None:
        message = host.missing_type_message(section.type)
        result.problems.append(Problem((*path, "type"), message))
        result.failure = PluginFailure("", label, "", message)  # no plugin to name
        result.blocks = [ErrorBlock("", label, "", message)]
        return result
    section_type = host.section_types[section.type]
    data = section.data
    # Only data newer than the installed type is read-only: the usual section skips the look.
    newer = (
        read_only_message(section, host)
        if section.version is not None and section.version > section_type.version
        else None
    )
    if newer:
        result.problems.append(Problem((*path, "version"), newer))
        result.failure = PluginFailure(owner, label, "version", newer)
        result.blocks = [ErrorBlock(owner, label, "version", newer)]
        return result
    try:
        if section.version is not None and section.version < section_type.version:
            migrated = host.migrate(section.type, copy_data(data), section.version, label)
            if migrated is not None:
                data = section.data = migrated
        # From here the data has the registered shape: record that, so a save writes the
        # version (and the migrated data) the plugin now understands.
        section.version = section_type.version
        # The plugin works on a copy: editing what it is given never changes the draft.
        data = copy_data(data)
        context = section_context(project, _plugins_view(section, data), citations)
        problems = host.validate(section.type, data, context, label)
        if problems:  # the usual clean section skips both passes
            result.problems.extend(problem.within(*path, "data") for problem in problems)
        if problems and any(problem.severity == "error" for problem in problems):
            summary = "; ".join(
                f"{problem.where}: {problem.message}"
                for problem in problems
                if problem.severity == "error"
            )
            result.blocks = [ErrorBlock(owner, label, "tongket_validate_section", summary)]
            return result
        blocks = host.render(section.type, data, context, label)
    except PluginFailure as failure:
        result.failure = failure
        result.problems.append(Problem(path, str(failure)))
        result.blocks = [ErrorBlock(failure.plugin, label, failure.hook, failure.message)]
        return result
    kinds = set(map(type, blocks))
    if kinds <= _NOTHING_TO_PLACE:
        # No table or chart (of these exact classes, not a subclass): normalising and placing
        # would hand back the same blocks, so whether they print something is known now.
        # `host.render` gave this list afresh, so it is the section's own to keep.
        printed = not kinds.isdisjoint(_CONTENT_CLASSES)
        result.heading_only = not printed
    else:
        # Imported here: a report without tables never pays for its patterns.
        from tongket.core.render.tables import normalize_tables

        # Tables are normalised here, once, so every consumer prints the same columns and signs.
        blocks = normalize_tables(blocks)
        result.heading_only = not any(isinstance(block, CONTENT) for block in blocks)
        blocks = _place_tables(blocks, section, appendices, section.heading or section_type.title)
        printed = any(isinstance(block, CONTENT) for block in blocks)
    if section.heading:
        blocks = [Heading(section.heading, section.level, section.number), *blocks]
    elif section.number and not printed:
        # A bare "1.3." line is never printed: the drafter hears of it, the page does not.
        result.problems.append(
            Problem(
                path,
                f"mục {section.number} chưa có nội dung: văn bản không in dòng số mục trống; "
                "nhập nội dung hoặc xóa mục (và đánh lại số các mục sau)",
                "warning",
            )
        )
    elif section.number:
        blocks = _prefix_number(blocks, section.number)
    result.blocks = blocks
    return result


_HEADING_ONLY = attrgetter("heading_only")
_PROBLEMS_OF = attrgetter("problems")
_BLOCKS_OF = attrgetter("blocks")

_ROMAN = re.compile(r"[IVXLC]+\.?")


def _opens(number: str, following: str) -> bool:
    """Whether a section numbered `following` may sit under one numbered `number`: "2.1." under
    "2.", and "1." under "I." (a báo cáo's parts are Roman, their sections Arabic)."""
    number, following = number.strip(), following.strip()
    if following.startswith(number) and len(following) > len(number):
        return True
    return bool(_ROMAN.fullmatch(number)) and not _ROMAN.fullmatch(following)


def _warn_headings_alone(results: list[SectionResult]) -> None:
    """A numbered heading with nothing under it prints as an empty heading: say so, unless the
    sections after it are its own ("2. Kết quả thực hiện" before "2.1.") or unnumbered text
    that continues it. An outline's reply starts with such headings for the body to fill."""
    if not any(map(_HEADING_ONLY, results)):
        return  # every section printed something (one C-level pass, no loop step each)
    for position, result in enumerate(results):
        section = result.section
        if not (result.heading_only and section.heading and section.number.strip()):
            continue
        following = results[position + 1].section if position + 1 < len(results) else None
        if following is not None and (
            not following.number.strip() or _opens(section.number, following.number)
        ):
            continue
        result.problems.append(
            Problem(
                ("sections", result.index),
                f"mục {section.number} chỉ có tiêu đề, chưa có nội dung: nhập "
                "nội dung hoặc xóa mục (và đánh lại số các mục sau)",
                "warning",
            )
        )


def render_document(project: Project, host: PluginHost) -> RenderedDocument:
    """Render every section in reading order (citations go full-then-short across them)."""
    # Plugins see copies of the particulars and the cited documents (one per rendering, shared
    # by its sections), so one that edits its context cannot change the draft. The sections
    # are the project's own: a migration and its version stamp are kept.
    plugins_view = Project(
        copy.deepcopy(project.document),
        copy.deepcopy(project.citations),
        project.sections,
        project.schema_version,
    )
    citations = CitationBook(plugins_view.citations)
    appendices: list[Appendix] = []
    with host.fixed_time_limit():
        results = [
            render_section(plugins_view, index, host, citations, appendices)
            for index in range(len(project.sections))
        ]
    number_charts(results, appendices)
    _warn_headings_alone(results)
    body = list(chain.from_iterable(map(_BLOCKS_OF, results)))
    return RenderedDocument(project, body, appendices, results)
