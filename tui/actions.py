"""The app's editing actions: sections, undo/redo, grid cells, panes, help and the palette.

A mixin of `TongketApp`, kept apart so each module stays small. Every action has a key (an
F-key or a plain key) and a command-palette entry (`palette_commands`), whose label names the
key as bound now (after the user's key map).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.widgets import Static

from .fields import Part, part_of_path
from .form import EditorPane, FormEditor
from .outline import Outline

if TYPE_CHECKING:
    from .app import TongketApp
    from .grid import RecordsEditor

    _Base = TongketApp
else:
    _Base = object


#: The panes, in the order of their number keys (1 … 4, Alt+1 … Alt+4).
PANES = ("outline", "editor", "preview", "problems")

#: Actions that change the report: a read-only view (someone else holds the file) neither
#: runs them nor shows their keys.
EDITING_ACTIONS = frozenset({"add_section", "delete_section", "move_section", "undo", "redo"})


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
        focused = self.focused
        area, text = "tongket", ""
        node = focused
        while node is not None:
            if getattr(type(node), "HELP", None):
                text = type(node).HELP
                detail = getattr(node, "help_detail", None)  # e.g. the highlighted problem
                if callable(detail) and detail():
                    text = f"{detail()}\n\n{text}"
                area = {
                    "Outline": "Dàn ý",
                    "ProblemsList": "Vấn đề",
                    "RecordsTable": "Bảng dữ liệu",
                    "FormEditor": "Biểu mẫu",
                    "Preview": "Xem trước",
                    "PluginsScreen": "Plugin",
                }.get(type(node).__name__, area)
                break
            node = node.parent
        if isinstance(focused, FormEditor) or (focused and focused.parent):
            field_help = _field_help(focused)
            if field_help:
                text = f"{field_help}\n\n{text}"
        from .dialogs import HelpScreen

        self.push_screen(HelpScreen(area, text, self.key_list()))

    def key_list(self) -> list[tuple[str, str]]:
        """The keys that work now, one line per action: ("a, Insert", "Thêm  [outline.add]")."""
        grouped: dict[str, tuple[list[str], str, str]] = {}
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.description or not binding.id:
                continue
            base_id = binding.id
            for suffix in (".ctrl", ".plain", ".f12", ".alt"):  # other keys for the same thing
                base_id = base_id.removesuffix(suffix)
            keys, _, _ = grouped.setdefault(base_id, ([], binding.description, base_id))
            display = self.get_key_display(binding)
            if display not in keys:
                keys.append(display)
        return [
            (", ".join(keys), f"{description}  [{binding_id}]")
            for keys, description, binding_id in grouped.values()
        ]

    def key_label(self, binding_id: str) -> str:
        """The key that runs the binding `binding_id` now, as the footer shows it ("F2"), after
        the user's key map; "" when nothing binds it."""
        binding = _binding_by_id(binding_id)
        if binding is None:
            return ""
        keymap = getattr(self, "_keymap", None) or self.user_keymap
        keys = keymap.get(binding_id, binding.key)
        first = keys.split(",")[0].strip()
        if not first:
            return ""
        return self.get_key_display(Binding(first, binding.action, key_display=binding.key_display))

    def palette_commands(self) -> Iterator[tuple[str, str, Any]]:
        """(name, help, callback) for every action, for the command palette; each name ends
        with its key as bound now."""
        for label, binding_id, help_text, callback in self._palette_entries():
            key = self.key_label(binding_id) if binding_id else ""
            yield (f"{label} ({key})" if key else label), help_text, callback

    def _palette_entries(self) -> Iterator[tuple[str, str, str, Any]]:
        """(label, binding id, help, callback): the palette's commands as data."""
        yield "Lưu", "save", "Ghi bản nháp vào tệp", self.action_save
        yield "Lưu thành…", "save_as", "Ghi vào một tệp khác", self.action_save_as
        yield "Mở tệp…", "open", "Mở một tệp báo cáo .toml", self.action_open
        yield "Kiểm tra", "check", "Chạy kiểm tra như tongket check", self.action_check
        yield (
            "Xuất DOCX",
            "export_docx",
            "Xuất tệp Word theo NĐ30",
            lambda: self.action_export("docx"),
        )
        yield (
            "Xuất PDF",
            "export_pdf",
            "Xuất Word rồi chuyển sang PDF",
            lambda: self.action_export("pdf"),
        )
        yield "Hoàn tác", "undo", "Bỏ thay đổi vừa làm", self.action_undo
        yield "Làm lại", "redo", "Làm lại thay đổi vừa hoàn tác", self.action_redo
        yield "Xóa mục", "outline.delete", "Xóa mục đang chọn", self.action_delete_section
        yield (
            "Chuyển mục lên",
            "outline.up",
            "Đổi chỗ với mục phía trên",
            lambda: self.action_move_section(-1),
        )
        yield (
            "Chuyển mục xuống",
            "outline.down",
            "Đổi chỗ với mục phía dưới",
            lambda: self.action_move_section(1),
        )
        for type_id, section_type in self.host.section_types.items():
            yield (
                f"Thêm mục: {section_type.title} ({type_id})",
                "",
                description_summary(section_type.description) or type_id,
                lambda type_id=type_id: self.action_add_section(type_id),
            )
        for pane, title in zip(PANES, ("Dàn ý", "Soạn", "Xem trước", "Vấn đề"), strict=True):
            yield (
                f"Đến vùng {title}",
                f"pane.{pane}.alt",
                "Đưa con trỏ đến vùng này",
                lambda pane=pane: self.action_focus_pane(pane),
            )
        yield (
            "Plugin đã cài",
            "plugins",
            "Danh sách plugin, loại mục, hook và lỗi",
            self.action_plugins,
        )
        if self.session.locked_by is not None:
            yield (
                "Tiếp quản tệp",
                "take_over",
                "Tiếp quản khóa đã bỏ dở của người khác, rồi đọc lại tệp",
                self.action_take_over,
            )
        yield "Trợ giúp", "help", "Phím của vùng đang chọn", self.action_help
        yield "Thoát", "quit", "Đóng tongket (hỏi trước nếu chưa lưu)", self.action_quit


def _binding_by_id(binding_id: str) -> Binding | None:
    """The binding declared with `binding_id` (by the app or the outline)."""
    from .app import TongketApp

    for binding in (*TongketApp.BINDINGS, *Outline.BINDINGS):
        if isinstance(binding, Binding) and binding.id == binding_id:
            return binding
    return None


def _field_help(widget) -> str:
    path = getattr(widget, "field_path", None)
    form = next((node for node in widget.ancestors_with_self if isinstance(node, FormEditor)), None)
    if form is None or path not in form.fields:
        return ""
    field = form.fields[path]
    return f"Trường: {field.label}" + (f" — {field.help}" if field.help else "")
