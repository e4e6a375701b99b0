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
    from tongket.core.host.sectiontypes import SectionType
    from tongket.core.problems import Problem
    from tongket.core.render.blocks import Block
    from tongket.core.render.context import RenderContext

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


#: Every hook a plugin may implement, in the order they are defined above (and documented).
HOOK_NAMES: tuple[str, ...] = tuple(
    name for name, value in list(globals().items()) if hasattr(value, f"{PROJECT_NAME}_spec")
)
