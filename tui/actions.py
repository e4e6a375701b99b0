"""The app's editing actions: sections, undo/redo, grid cells, panes, help and the palette.

A mixin of `TongketApp`, kept apart so each module stays small. The actions' keys, labels and
palette entries are declared in `registry.py`; the palette and the F1 help read them there and
name each key as bound now (after the user's key map). Whether an action can run now is said in
`check_action`, which Textual asks both before running it and when drawing the footer.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from textual.actions import parse as parse_action
from textual.binding import Binding
from textual.widgets import Static

from .fields import Part, part_of_path
from .form import EditorPane, FormEditor
from .outline import Outline
from .registry import PANES, command, help_of, palette_commands

if TYPE_CHECKING:
    from .app import TongketApp
    from .grid import RecordsEditor

    _Base = TongketApp
else:
    _Base = object


#: Actions that change the report: a read-only view (someone else holds the file) neither
#: runs them nor shows their keys.
EDITING_ACTIONS = frozenset({"add_section", "delete_section", "move_section", "undo", "redo"})

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


class DraftActions(_Base):
    """Actions bound to keys and listed in the command palette."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        available = self._availability(action, parameters)
        if available is not False and not self.ready and action not in BEFORE_READY:
            # Just after the first frame: shown (dimmed) in the footer, so the keys do not
            # jump in once the plugins are loaded; `_start` refreshes the bindings then.
            return None
        return available

    def _availability(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """True: runs; None: shown dimmed, does not run; False: hidden, does not run."""
        session = self.session
        if action == "take_over":  # shown only when the holder seems to have gone
            return session.locked_by is not None and bool(session.locked_by.stale)
        if action == "pane_key":  # a plain digit: the editor's fields and grids keep theirs
            return not self.focus_in_editor()
        if action in EDITING_ACTIONS and session.read_only:
            return False
        if action == "save" and session.read_only:
            return None  # shown dimmed: a read-only view saves only under another name
        part = getattr(self, "part", None)
        if action in ("delete_section", "move_section"):
            if part is None or not part.is_section:
                return None
            if action == "move_section":
                last = len(self.session.project.sections) - 1
                if (parameters[0] == -1 and part.index == 0) or (
                    parameters[0] == 1 and part.index >= last
                ):
                    return None
        if action == "undo" and not self.session.can_undo:
            return None
        if action == "redo" and not self.session.can_redo:
            return None
        return True

    # -- sections ----------------------------------------------------------------------

    def action_add_section(self, type_id: str = "") -> None:
        """Add a section after the selected one; without a type, ask which."""
        if self.refused(("sections",)):
            return
        if not type_id:
            from .dialogs import SectionTypeScreen

            self.push_screen(SectionTypeScreen(self.host.section_types), self._add_section_of)
            return
        self._add_section_of(type_id)

    def _add_section_of(self, type_id: str | None) -> None:
        if not type_id or self.refused(("sections",)):
            return
        after = self.part.index if self.part is not None and self.part.is_section else None
        index = self.session.add_section(self.host, type_id, after)
        self.after_structure_change(Part("section", index), focus_editor=True)
        title = self.host.section_types[type_id].title
        self.notify(f"Đã thêm mục: {title}")

    def action_delete_section(self) -> None:
        if self.part is None or not self.part.is_section or self.refused(("sections",)):
            return
        index = self.part.index
        removed = self.session.delete_section(index)
        remaining = len(self.session.project.sections)
        keep = Part("section", min(index, remaining - 1)) if remaining else Part("header")
        self.after_structure_change(keep)
        # Not a notification that fades: the way back stays in view until the next action.
        self.show_action_hint(f"Đã xóa mục {removed.label}. {self.key_label('undo')} để hoàn tác.")

    # -- a hint that stays until the next action -------------------------------------------

    def show_action_hint(self, text: str) -> None:
        """Show `text` above the footer until the drafter's next action."""
        hint = self.query_one("#action-hint", Static)
        hint.update(text)  # a heading quoted in it is shown as typed (the widget has no markup)
        hint.display = True
        self._action_hint_shown = True

    def clear_action_hint(self) -> None:
        # Called on every key typed: look the hint up (a walk over every widget, about 1 ms
        # at 80×24) only when one is shown.
        if not getattr(self, "_action_hint_shown", False):
            return
        self._action_hint_shown = False
        for hint in self.query("#action-hint"):
            hint.display = False

    # -- panes ---------------------------------------------------------------------------

    def focus_in_editor(self) -> bool:
        """True when the cursor is in the editor pane (a field, a grid, a plugin's widget)."""
        focused = self.focused
        return focused is not None and any(
            isinstance(node, EditorPane) for node in focused.ancestors_with_self
        )

    def action_focus_pane(self, pane: str) -> None:
        """Move the cursor to a pane: outline, editor, preview or problems (Alt+1 … Alt+4)."""
        if pane == "editor":
            form = self.query_one(EditorPane).form
            if form is not None and not self.focus_in_editor():
                form.focus_first()
            return
        if pane in PANES:
            self.query_one(f"#{pane}").focus()

    def action_pane_key(self, pane: str) -> None:
        """The same, by a plain digit (1 … 4) where the focused pane takes no typing."""
        self.action_focus_pane(pane)

    def action_move_section(self, offset: int) -> None:
        if self.part is None or not self.part.is_section or self.refused(("sections",)):
            return
        target = self.session.move_section(self.part.index, offset)
        self.after_structure_change(Part("section", target))

    def after_structure_change(self, keep: Part | None, *, focus_editor: bool = False) -> None:
        """Rebuild the outline and the editor after sections were added, removed or moved."""
        outline = self.query_one(Outline)
        outline.build(self.session.project, self.host.section_types, self.marks, keep)
        self.part = None

        async def remount() -> None:
            await self.show_part(outline.current, force=True)
            form = self.query_one(EditorPane).form
            if focus_editor and form is not None:
                form.focus_first()

        self.call_later(remount)
        self.changed()

    # -- undo / redo -------------------------------------------------------------------

    def action_undo(self) -> None:
        group = self.session.undo()
        if group is None:
            self.notify("Không còn gì để hoàn tác.")
            return
        self._after_history(group.paths, f"Đã hoàn tác: {group.label}")

    def action_redo(self) -> None:
        group = self.session.redo()
        if group is None:
            self.notify("Không còn gì để làm lại.")
            return
        self._after_history(group.paths, f"Đã làm lại: {group.label}")

    def _after_history(self, paths: list[tuple], message: str) -> None:
        structural = any(path == ("sections",) for path in paths)
        part = next((part_of_path(path) for path in paths if part_of_path(path)), None)
        if structural or (part is not None and part != self.part):
            current = self.query_one(Outline).current
            self.after_structure_change(part if not structural else current)
        else:
            form = self.query_one(EditorPane).form
            if form is not None and form.custom is not None:
                # A plugin's widget holds its own copy of the data: give it a fresh one.
                self.call_later(self.show_part, self.part, force=True)
            elif form is not None:
                form.reload()
            self.changed()
        self.notify(message, timeout=2)

    # -- grid cells --------------------------------------------------------------------

    def open_cell_editor(
        self, editor: RecordsEditor, row: int, field, value: Any, **options: Any
    ) -> None:
        """The cell editor of a grid; `options` (typed text, a check) go to the dialog, and
        the grid stores the result and moves its cursor (`RecordsEditor.cell_edited`)."""
        from .celledit import CellEditScreen

        done = functools.partial(editor.cell_edited, row, field)
        self.push_screen(CellEditScreen(field, value, done=done, **options))

    # -- help, plugins and palette ------------------------------------------------------

    def action_plugins(self) -> None:
        """The installed plugins, as `tongket plugins` lists them (F11, or p on the outline)."""
        from .dialogs import PluginsScreen

        self.push_screen(PluginsScreen(self.host.listing()))

    def action_help(self) -> None:
        """F1: what the focused area is for (asked of the focused widget, see
        `registry.HelpSource`), the field's own help, and the keys that work now."""
        focused = self.focused
        area, text = help_of(focused)
        if isinstance(focused, FormEditor) or (focused and focused.parent):
            field_help = _field_help(focused)
            if field_help:
                text = f"{field_help}\n\n{text}"
        from .dialogs import HelpScreen

        self.push_screen(HelpScreen(area, text, self.key_list()))

    def key_list(self) -> list[tuple[str, str]]:
        """The keys that work now, one line per command: ("a, Insert", "Thêm  [outline.add]");
        another key for the same command (Ctrl+S for F2) joins its line."""
        grouped: dict[str, tuple[list[str], str]] = {}
        for active in self.screen.active_bindings.values():
            binding = active.binding
            declared = command(binding.id or "")
            if declared is None or not binding.description:
                continue  # Textual's own keys (arrows, Tab): the area's text names them
            keys, _ = grouped.setdefault(declared.base, ([], binding.description))
            display = self.get_key_display(binding)
            if display not in keys:
                keys.append(display)
        return [
            (", ".join(keys), f"{description}  [{base_id}]")
            for base_id, (keys, description) in grouped.items()
        ]

    def key_label(self, binding_id: str) -> str:
        """The key that runs the command `binding_id` now, as the footer shows it ("F2"),
        after the user's key map; "" when nothing binds it."""
        declared = command(binding_id)
        if declared is None:
            return ""
        keymap = getattr(self, "_keymap", None) or self.user_keymap
        keys = keymap.get(binding_id, declared.keys)
        first = keys.split(",")[0].strip()
        if not first:
            return ""
        return self.get_key_display(Binding(first, declared.action))

    def palette_commands(self) -> Iterator[tuple[str, str, Any]]:
        """(name, help, callback) for the command palette, from the registry; each name ends
        with its key as bound now, and "Thêm mục" is one command per installed section type."""
        for declared in palette_commands():
            if declared.action.endswith("add_section"):
                yield from self._add_section_commands()
                continue
            if declared.id == "take_over" and self.session.locked_by is None:
                continue  # only a file someone else holds can be taken over
            key = self.key_label(declared.id)
            name = f"{declared.palette} ({key})" if key else declared.palette
            yield name, declared.palette_help, self._palette_callback(declared.action)

    def _add_section_commands(self) -> Iterator[tuple[str, str, Any]]:
        for type_id, section_type in self.host.section_types.items():
            yield (
                f"Thêm mục: {section_type.title} ({type_id})",
                description_summary(section_type.description) or type_id,
                functools.partial(self.action_add_section, type_id),
            )

    def _palette_callback(self, action: str) -> Any:
        """The app's method an action string names, with its arguments: called directly, as
        the palette always did (an unavailable command says why, e.g. nothing to undo)."""
        _, name, arguments = parse_action(action)
        return functools.partial(getattr(self, f"action_{name}"), *arguments)


def _field_help(widget) -> str:
    path = getattr(widget, "field_path", None)
    form = next((node for node in widget.ancestors_with_self if isinstance(node, FormEditor)), None)
    if form is None or path not in form.fields:
        return ""
    field = form.fields[path]
    return f"Trường: {field.label}" + (f" — {field.help}" if field.help else "")
