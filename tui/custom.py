"""Editor widgets supplied by plugins (`tongket_section_editor`), with the generated form as
the fallback.

The app asks a section type's plugin once, when a section of that type is first shown, and
calls what it returns with the keyword arguments the hook documents: `data` (a copy of the
section's data), `on_change` (called with the complete new data) and `read_only`. A hook that
fails, or a widget that cannot be made, becomes a message at the top of the section, above the
generated form. (An exception raised later inside the widget's own code is Textual's to handle,
as for any widget: the app ends, and the recovery copy keeps the draft.)
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.widget import Widget

from tongket.core.report.model import Section

if TYPE_CHECKING:
    from tongket.core.host.pluginhost import PluginHost

HOOK = "tongket_section_editor"


def editor_factory(
    host: PluginHost, type_id: str, cache: dict[str, tuple[Any, str]]
) -> tuple[Any, str]:
    """The factory the type's plugin supplies (None for the generated form), and any error."""
    from tongket.core.host.pluginhost import PluginFailure  # loaded with the plugins, after start

    if type_id not in cache:
        try:
            cache[type_id] = (host.section_editor(type_id), "")
        except PluginFailure as failure:
            cache[type_id] = (None, str(failure))
    return cache[type_id]


def make_editor(
    factory: Callable[..., Any],
    owner: str,
    section: Section,
    *,
    on_change: Callable[[Any], None],
    read_only: bool,
) -> tuple[Widget | None, str]:
    """The plugin's widget for `section`, or None and why it could not be made."""
    from tongket.core.host.pluginhost import PluginFailure

    data = copy.deepcopy(section.data)  # the plugin edits its own copy, never the model
    try:
        widget = factory(data=data, on_change=on_change, read_only=read_only)
    except Exception as error:
        text = str(error).strip()
        reason = f"{type(error).__name__}: {text}" if text else type(error).__name__
        return None, str(PluginFailure(owner, section.label, HOOK, f"không tạo được: {reason}"))
    if not isinstance(widget, Widget):
        message = f"cần trả về một widget của Textual, gặp {type(widget).__name__}"
        return None, str(PluginFailure(owner, section.label, HOOK, message))
    return widget, ""


def plugin_editor(
    host: PluginHost,
    section: Section,
    factories: dict[str, tuple[Any, str]],
    *,
    on_change: Callable[[Any], None],
    read_only: bool,
) -> tuple[Widget | None, str]:
    """The editor widget `section`'s plugin supplies (or None), and any error; `factories`
    caches each type's factory for the app's lifetime."""
    factory, error = editor_factory(host, section.type, factories)
    if factory is None:
        return None, error
    owner = host.owner_of(section.type) or "?"
    return make_editor(factory, owner, section, on_change=on_change, read_only=read_only)
