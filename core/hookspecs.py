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
    from .blocks import Block
    from .context import RenderContext
    from .problems import Problem
    from .sectiontypes import SectionType

PROJECT_NAME = "tongket"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def tongket_section_types(register: Callable[[SectionType], None]) -> None:
    """Register the section types this plugin provides.

    Call `register(SectionType(...))` once per type. The id must be unique across all
    installed plugins; a clash is reported and the later registration ignored.

    Since: 0.1.
    """


@hookspec
def tongket_validate_section(
    section_type: str, data: dict[str, Any], context: RenderContext
) -> list[Problem] | None:
    """Check one section's data and return the problems found (an empty list when clean).

    Called only on the plugin that registered `section_type`. Each `Problem` carries a path
    inside `data`, e.g. `("periods", 0, "target")`, and a Vietnamese message saying what was
    expected. Severity "warning" marks findings that do not stop an export. `data` and
    `context` are copies: changing them never changes the draft.

    Since: 0.1.
    """


@hookspec
def tongket_render_section(
    section_type: str, data: dict[str, Any], context: RenderContext
) -> list[Block] | None:
    """Render one section's data to document blocks (`tongket.core.blocks`).

    Called only on the plugin that registered `section_type`, after validation found no
    errors. Return the body of the section; the host prints its number and heading, and
    moves its tables to an appendix or drops them as the section's `table` setting says.
    `data` and `context` are copies: changing them never changes the draft.

    Since: 0.1.
    """


@hookspec
def tongket_migrate_section(
    section_type: str, data: dict[str, Any], from_version: int
) -> dict[str, Any] | None:
    """Upgrade data written by an older version of `section_type` to the current shape.

    Return the new data, or None when nothing needs to change. Called only on the plugin that
    registered `section_type`, and only when the stored version is older than the registered one.

    Since: 0.1.
    """


@hookspec
def tongket_section_editor(section_type: str) -> Any | None:
    """Supply the drafting app's editor for `section_type`, or None to use the generated form.

    Return a Textual `Widget` class (or any factory returning a widget). The app calls it with
    keyword arguments: `data`, a copy of the section's data; `on_change`, a function to call
    with the complete new data after each change the drafter makes (quick successive calls
    while typing make one undo step); `read_only`, true when the section may not be changed.
    Called only on the plugin that registered `section_type`, and only by the drafting app,
    lazily, when a section of the type is first shown: import Textual inside the hook, so
    headless commands never load it. A failure falls back to the generated form, with the
    error shown in the section.

    Since: 0.1.
    """
