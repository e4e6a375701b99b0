"""The section-plugin contract: the hooks a tongket plugin may implement.

A plugin is a module (or object) with functions marked `@hookimpl`; third-party packages
expose it through the `tongket` entry-point group. Each hook is documented, with an example,
in docs/plugins.md; a test fails when one is missing there.

Compatibility promise: tongket may add new keyword arguments to these hooks. pluggy passes an
implementation only the arguments it names, so an existing plugin keeps working unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from tongket.core.host.merging import Contribution, MergedSection
    from tongket.core.host.sectiontypes import SectionType
    from tongket.core.problems import Problem
    from tongket.core.render.blocks import Block
    from tongket.core.render.context import RenderContext
    from tongket.core.workflow.outline import Request

PROJECT_NAME = "tongket"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def tongket_section_types(register: Callable[[SectionType], None]) -> None:
    """Register the section types this plugin provides.

    :param register: call `register(SectionType(...))` once per type. The id must be unique
        across all installed plugins; a clash is reported and the later registration ignored.
        Calls after the hook has returned are ignored.

    Every plugin's implementation is called (this hook has no single answer).

    .. versionadded:: 0.1
    """


@hookspec(firstresult=True)
def tongket_validate_section(
    section_type: str, data: dict[str, Any], context: RenderContext
) -> list[Problem] | None:
    """Check one section's data and return the problems found.

    :param section_type: the id of the section's type (one plugin may register several).
    :param data: a copy of the section's data table; changing it never changes the draft.
    :param context: a copy of the report around the section (`RenderContext`): particulars,
        the section's number and heading, citations.
    :returns: a list of `Problem`, each with a path inside `data` such as
        `("periods", 0, "target")` (or the dotted string "periods.1.target") and a Vietnamese
        message saying what was expected; severity "warning" marks findings that do not stop
        an export. An empty list or None when the data is clean.

    Called only on the plugin that registered `section_type` (first result).

    .. versionadded:: 0.1
    """


@hookspec(firstresult=True)
def tongket_render_section(
    section_type: str, data: dict[str, Any], context: RenderContext
) -> list[Block] | None:
    """Render one section's data to document blocks (`tongket.core.render.blocks`).

    :param section_type: the id of the section's type.
    :param data: a copy of the section's data table; changing it never changes the draft.
    :param context: a copy of the report around the section (`RenderContext`).
    :returns: the body of the section as a list of blocks. The host prints its number and
        heading, and moves its tables to an appendix or drops them as the section's `table`
        setting says. None is reported as a failure ("không trả về khối nào").

    Called only on the plugin that registered `section_type` (first result), after validation
    found no errors.

    .. versionadded:: 0.1
    """


@hookspec(firstresult=True)
def tongket_migrate_section(
    section_type: str, data: dict[str, Any], from_version: int
) -> dict[str, Any] | None:
    """Upgrade data written by an older version of `section_type` to the current shape.

    :param section_type: the id of the section's type.
    :param data: a copy of the stored data table.
    :param from_version: the `SectionType.version` that wrote `data`, older than the current.
    :returns: the new data table, or None when nothing needs to change.

    Called only on the plugin that registered `section_type` (first result), and only when the
    stored version is older than the registered one.

    .. versionadded:: 0.1
    """


@hookspec(firstresult=True)
def tongket_section_editor(section_type: str) -> Any | None:
    """Supply the drafting app's editor for `section_type`, or None to use the generated form.

    :param section_type: the id of the section's type.
    :returns: a Textual `Widget` class (or any factory returning a widget), or None. The app
        calls it with keyword arguments: `data`, a copy of the section's data; `on_change`, a
        function to call with the complete new data after each change the drafter makes (quick
        successive calls while typing make one undo step); `read_only`, true when the section
        may not be changed.

    Called only on the plugin that registered `section_type` (first result), and only by the
    drafting app, lazily, when a section of the type is first shown: import Textual inside
    the hook, so headless commands never load it. A failure falls back to the generated
    form, with the error shown in the section.

    .. versionadded:: 0.1
    """


@hookspec(firstresult=True)
def tongket_outline_check(
    section_type: str, wanted: dict[str, Any], request: Request
) -> list[Problem] | None:
    """Check what an outline (đề cương) asks of a section of `section_type`: its `wanted` table.

    Implementing this hook is how a section type takes part in outlines: it declares what
    `wanted` may hold (indicators with units and years, the columns of a list, …). A type whose
    plugin does not implement it accepts only an empty `wanted`.

    :param section_type: the id of the section's type.
    :param wanted: a copy of the outline section's `wanted` table.
    :param request: the outline's request particulars (`tongket.core.workflow.outline.Request`):
        `period_from`, `period_to` (years) and `cutoff` (date) among them.
    :returns: a list of `Problem` with paths inside `wanted`, such as `("indicators", 0,
        "unit")`, each an error of the outline file; an empty list or None when it is fine.

    Called only on the plugin that registered `section_type` (first result), when an outline
    is loaded to build a reply (`tongket new --outline`) or to check one (`tongket check`).

    .. versionadded:: 0.2
    """


@hookspec(firstresult=True)
def tongket_outline_prefill(
    section_type: str, wanted: dict[str, Any], data: dict[str, Any], request: Request
) -> dict[str, Any] | None:
    """Pre-fill a new section's data with what the outline asks for, left to be filled in.

    :param section_type: the id of the section's type.
    :param wanted: a copy of the outline section's `wanted` table (already checked by
        `tongket_outline_check`).
    :param data: the type's default data (`SectionType.new_data()`), a copy.
    :param request: the outline's request particulars.
    :returns: the skeleton's data, e.g. the wanted indicators with one row per wanted year and
        no value; None keeps `data` as it is. The result must pass validation: an empty value
        is left out, never written as 0.

    Called only on the plugin that registered `section_type` (first result), by
    `tongket new --outline`.

    .. versionadded:: 0.2
    """


@hookspec(firstresult=True)
def tongket_outline_gaps(
    section_type: str, wanted: dict[str, Any], data: dict[str, Any], request: Request
) -> list[Problem] | None:
    """Report where a section's data falls short of what the outline asks.

    :param section_type: the id of the section's type.
    :param wanted: a copy of the outline section's `wanted` table.
    :param data: a copy of the reply section's data.
    :param request: the outline's request particulars; a year that had not ended by
        `request.cutoff` can only have an estimate (ước thực hiện).
    :returns: a list of `Problem` with paths inside `data` and messages naming what is missing
        ("thiếu số liệu năm 2021 của 'kim ngạch xuất khẩu'"); the host shows them as warnings,
        with the section's number and the outline's name. None or an empty list: no gaps.

    Called only on the plugin that registered `section_type` (first result), by `tongket
    check` and the drafting app for a report with an `[outline]` table.

    .. versionadded:: 0.2
    """


@hookspec(firstresult=True)
def tongket_outline_form(
    section_type: str, wanted: dict[str, Any], request: Request
) -> list[dict[str, Any]] | None:
    """The blank tables of a reply form in Word, for a body that does not use tongket.

    `tongket new TRA-LOI.docx --outline …` writes the reply skeleton as a Word file: each
    section that wants figures gets the tables this hook gives, for the body to fill in Word.
    `tongket_outline_read_tables` must read them back once filled.

    :param section_type: the id of the section's type.
    :param wanted: a copy of the outline section's `wanted` table (already checked).
    :param request: the outline's request particulars (`years`, `estimated_only(year)`).
    :returns: tables as free text holds them (`header`, `rows` of cell texts as wide as the
        header, optional `caption` and `note`); cells left to fill are "". None or []: the
        section gets no table (the body writes under its heading).

    Called only on the plugin that registered `section_type` (first result).

    .. versionadded:: 0.3
    """


@hookspec(firstresult=True)
def tongket_outline_read_tables(
    section_type: str, wanted: dict[str, Any], tables: list[dict[str, Any]], request: Request
) -> dict[str, Any] | str | None:
    """Read what an outline asks of a section out of the tables of a reply written in Word.

    A body that does not use tongket replies in Word, its figures in tables. `tongket import`
    (and `tongket merge` reading a Word reply) matches the reply's sections to the outline's;
    a section that answers one of `section_type` arrives as free text with its tables, and
    this hook may read them into the type's data, so the figures count (a merge adds them).

    :param section_type: the id of the section's type.
    :param wanted: a copy of the outline section's `wanted` table.
    :param tables: copies of the section's Word tables, in order: each a dict with `header`
        (the first row's cell texts) and `rows` (lists of cell texts, as wide as the header;
        a merged cell's text is in its first cell).
    :param request: the outline's request particulars.
    :returns: the section's data read from **every** table, over the type's defaults (a key
        set to None drops its default: a setting the reply never stated); it must pass the
        type's validation; the host keeps the section's paragraphs as its own text. Or a string
        saying why the tables cannot be read whole, in Vietnamese, naming the table, row and
        column ("bảng 1, dòng 3, cột 2014: '1.4o9' không phải số"); or None when the type
        reads no tables. With a string or None the section stays free text, its tables as
        the Word file had them: a reading never drops a cell it did not understand.

    Called only on the plugin that registered `section_type` (first result).

    .. versionadded:: 0.3
    """


@hookspec(firstresult=True)
def tongket_merge_sections(
    section_type: str, contributions: list[Contribution], previous: dict[str, Any] | None
) -> MergedSection | None:
    """Merge the bodies' replies to one outline section into the consolidated section.

    :param section_type: the id of the section's type.
    :param contributions: every reply's section of this type for the outline section, as
        `tongket.core.host.merging.Contribution` (body id and name, reply file, the reply
        section's number, a copy of its data), in the outline's body order, then by file.
    :param previous: a copy of the section's data in the consolidated file being replaced
        (a merge run again when a late reply arrives), or None on the first merge. What the
        coordinator wrote there (free text, intro, template, outro) must be kept.
    :returns: a `tongket.core.host.merging.MergedSection`: the merged data (valid for the
        type), `credit(contribution, path)` for each value's sources, findings (`Problem`s
        with paths inside the data, e.g. a unit that disagrees), and companion sections to
        place after it. None: the plugin does not merge this type; its contributions are then
        gathered verbatim as free text, with a finding.

    Called only on the plugin that registered `section_type` (first result), by `tongket
    merge`. The result must not depend on anything but the arguments: the same replies in any
    order give the same consolidated file.

    .. versionadded:: 0.2
    """


#: Every hook a plugin may implement, in the order they are defined above (and documented).
HOOK_NAMES: tuple[str, ...] = tuple(
    name for name, value in list(globals().items()) if hasattr(value, f"{PROJECT_NAME}_spec")
)
