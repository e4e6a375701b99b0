"""The app's editing actions: sections, undo/redo, grid cells, help and the palette list.

A mixin of `TongketApp`, kept apart so each module stays small. Every action has a key (an
F-key or a plain key) and a command-palette entry (`palette_commands`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .fields import Part, part_of_path
from .form import EditorPane, FormEditor
from .outline import Outline

if TYPE_CHECKING:
    from .app import TongketApp
    from .grid import RecordsEditor

    _Base = TongketApp
else:
    _Base = object


class DraftActions(_Base):
    """Actions bound to keys and listed in the command palette."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        session = self.session
        if action == "take_over":  # shown only when the holder seems to have gone
            return session.locked_by is not None and bool(session.locked_by.stale)
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
        label = removed.label
        self.notify(f"Đã xóa mục {label}. F8 để hoàn tác.")

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

    def open_cell_editor(self, editor: RecordsEditor, row: int, field, value: Any) -> None:
        def done(result) -> None:
            table = editor.table
            if result is not None:
                editor.set_cell(row, field, result[1])
                # Data goes in row by row: after a cell, the cursor moves to the next one.
                if table.cursor_column < len(table.columns) - 1:
                    table.move_cursor(column=table.cursor_column + 1, animate=False)
            table.focus()

        from .dialogs import CellEditScreen

        self.push_screen(CellEditScreen(field, value), done)

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
            base_id = binding.id.split(".ctrl")[0].split(".plain")[0].split(".f12")[0]
            keys, _, _ = grouped.setdefault(binding.action, ([], binding.description, base_id))
            display = self.get_key_display(binding)
            if display not in keys:
                keys.append(display)
        return [
            (", ".join(keys), f"{description}  [{binding_id}]")
            for keys, description, binding_id in grouped.values()
        ]

    def palette_commands(self) -> Iterator[tuple[str, str, Any]]:
        """(name, help, callback) for every action, for the command palette."""
        yield "Lưu (F2)", "Ghi bản nháp vào tệp", self.action_save
        yield "Lưu thành… (F4)", "Ghi vào một tệp khác", self.action_save_as
        yield "Mở tệp… (F3)", "Mở một tệp báo cáo .toml", self.action_open
        yield "Kiểm tra (F5)", "Chạy kiểm tra như tongket check", self.action_check
        yield "Xuất DOCX (F6)", "Xuất tệp Word theo NĐ30", lambda: self.action_export("docx")
        yield "Xuất PDF (F7)", "Xuất Word rồi chuyển sang PDF", lambda: self.action_export("pdf")
        yield "Hoàn tác (F8)", "Bỏ thay đổi vừa làm", self.action_undo
        yield "Làm lại (F9)", "Làm lại thay đổi vừa hoàn tác", self.action_redo
        yield "Xóa mục (x)", "Xóa mục đang chọn", self.action_delete_section
        yield (
            "Chuyển mục lên (K)",
            "Đổi chỗ với mục phía trên",
            lambda: self.action_move_section(-1),
        )
        yield (
            "Chuyển mục xuống (J)",
            "Đổi chỗ với mục phía dưới",
            lambda: self.action_move_section(1),
        )
        for type_id, section_type in self.host.section_types.items():
            yield (
                f"Thêm mục: {section_type.title} ({type_id})",
                section_type.description or type_id,
                lambda type_id=type_id: self.action_add_section(type_id),
            )
        yield "Plugin đã cài (F11)", "Danh sách plugin, loại mục, hook và lỗi", self.action_plugins
        if self.session.locked_by is not None:
            yield (
                "Tiếp quản tệp (t)",
                "Tiếp quản khóa đã bỏ dở của người khác, rồi đọc lại tệp",
                self.action_take_over,
            )
        yield "Trợ giúp (F1)", "Phím của vùng đang chọn", self.action_help
        yield "Thoát (F10)", "Đóng tongket (hỏi trước nếu chưa lưu)", self.action_quit


def _field_help(widget) -> str:
    path = getattr(widget, "field_path", None)
    form = next((node for node in widget.ancestors_with_self if isinstance(node, FormEditor)), None)
    if form is None or path not in form.fields:
        return ""
    field = form.fields[path]
    return f"Trường: {field.label}" + (f" — {field.help}" if field.help else "")
