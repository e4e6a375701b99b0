"""The app-wide commands' words: the F1 help of the focused area, the keys that work now, and
the command palette's entries, all read from `registry.py` and named by the keys bound now
(after the user's key map).

Used by `TongketApp`; the drafting actions themselves are `MainScreen`'s (tui/main_screen.py).
Whether an action can run now is said in each owner's `check_action`, which Textual asks both
before running it and when drawing the footer.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from textual.actions import parse as parse_action
from textual.binding import Binding

from .form import FormEditor
from .registry import command, palette_commands

if TYPE_CHECKING:
    from .app import TongketApp

#: What may run before the plugins are loaded and the outline built (`TongketApp.ready`):
#: quitting, and Ctrl+C's "how to quit".
BEFORE_READY = frozenset({"quit", "help_quit"})


def description_summary(text: str, limit: int = 160) -> str:
    """A section type's description for a list: its sentences without template placeholders
    ("Chỗ trống trong mẫu câu: {chi_tieu}, …" documents the template, not the section)."""
    sentences = [part.strip() for part in text.replace("\n", " ").split(". ")]
    kept = [sentence for sentence in sentences if sentence and "{" not in sentence]
    summary = ". ".join(kept).rstrip(".")
    summary = summary + "." if summary else ""
    return summary if len(summary) <= limit else summary[: limit - 1].rstrip() + "…"


def field_help(widget) -> str:
    """ "Trường: label — help" of the form field `widget` edits ("" outside a form)."""
    path = getattr(widget, "field_path", None)
    form = next((node for node in widget.ancestors_with_self if isinstance(node, FormEditor)), None)
    if form is None or path not in form.fields:
        return ""
    field = form.fields[path]
    return f"Trường: {field.label}" + (f" — {field.help}" if field.help else "")


def key_list(app: TongketApp) -> list[tuple[str, str]]:
    """The keys that work now, one line per command: ("a, Insert", "Thêm  [outline.add]");
    another key for the same command (Ctrl+S for F2) joins its line."""
    grouped: dict[str, tuple[list[str], str]] = {}
    for active in app.screen.active_bindings.values():
        binding = active.binding
        declared = command(binding.id or "")
        if declared is None or not binding.description:
            continue  # Textual's own keys (arrows, Tab): the area's text names them
        keys, _ = grouped.setdefault(declared.base, ([], binding.description))
        display = app.get_key_display(binding)
        if display not in keys:
            keys.append(display)
    return [
        (", ".join(keys), f"{description}  [{base_id}]")
        for base_id, (keys, description) in grouped.items()
    ]


def key_label(app: TongketApp, binding_id: str) -> str:
    """The key that runs the command `binding_id` now, as the footer shows it ("F2"), after
    the user's key map; "" when nothing binds it."""
    declared = command(binding_id)
    if declared is None:
        return ""
    keymap = app._keymap or app.user_keymap
    keys = keymap.get(binding_id, declared.keys)
    first = keys.split(",")[0].strip()
    if not first:
        return ""
    return app.get_key_display(Binding(first, declared.action))


def section_type_names(types: dict[str, Any]) -> dict[str, str]:
    """Each section type's name for drafters: its Vietnamese title. Two installed types with
    the same title are told apart by their id, added after it (the only place a drafter sees
    one)."""
    titles = [section_type.title for section_type in types.values()]
    return {
        type_id: section_type.title
        + (f" ({type_id})" if titles.count(section_type.title) > 1 else "")
        for type_id, section_type in types.items()
    }


def palette_entries(app: TongketApp) -> Iterator[tuple[str, str, Any]]:
    """(name, help, callback) for the command palette, from the registry; each name ends with
    its key as bound now, and "Thêm mục" is one command per installed section type."""
    for declared in palette_commands():
        if declared.action.endswith("add_section"):
            types = app.host.section_types
            for type_id, name in section_type_names(types).items():
                yield (
                    f"Thêm mục: {name}",
                    description_summary(types[type_id].description),
                    functools.partial(app.main_screen.action_add_section, type_id),
                )
            continue
        if declared.id == "take_over" and app.session.locked_by is None:
            continue  # only a file someone else holds can be taken over
        key = key_label(app, declared.id)
        name = f"{declared.palette} ({key})" if key else declared.palette
        yield name, declared.palette_help, _palette_callback(app, declared.action)


def _palette_callback(app: TongketApp, action: str) -> Any:
    """The method an action string names ("screen." ones are the main screen's, whichever
    screen is on top while the palette is open), with its arguments: called directly, as the
    palette always did (an unavailable command says why, e.g. nothing to undo)."""
    namespace, name, arguments = parse_action(action)
    owner = app.main_screen if namespace == "screen" else app
    return functools.partial(getattr(owner, f"action_{name}"), *arguments)
