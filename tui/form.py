"""The editor of the selected part, generated from field descriptions alone.

text, integer, decimal and date fields get a one-line input; longtext a text area; list a text
area with one item a line; choice a drop-down; bool a check box; records an editable grid
(`tongket.tui.grid`). Every change goes to the `DraftSession`, so it can be undone.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.events import DescendantFocus, Key
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from tongket.core.sectiontypes import Field
from tongket.core.session import MISSING, DraftSession, ReadOnlyError

from .fields import FieldValueError, FormSpec, PathT, format_value, parse_value
from .messages import EditRefused, Hint

TEXT_KINDS = ("text", "integer", "decimal", "date")


def widget_id(path: PathT) -> str:
    """A DOM id for the widget editing `path`: ("sections", 3, "data", "text") → f-sections-3-…"""
    return "f-" + "-".join(re.sub(r"[^A-Za-z0-9_]", "_", str(part)) for part in path)


class FieldInput(Input):
    """A one-line field: text, number or date."""


class FieldText(TextArea):
    """Prose (longtext) or a list with one item a line."""

    BINDINGS: ClassVar = [
        Binding("ctrl+home", "document_start", "Đầu văn bản", show=False, id="text.start"),
        Binding("ctrl+end", "document_end", "Cuối văn bản", show=False, id="text.end"),
    ]

    def action_document_start(self) -> None:
        self.move_cursor((0, 0))

    def action_document_end(self) -> None:
        self.move_cursor(self.document.end)


class FieldSelect(Select):
    """A choice among the field's values."""


class FieldCheck(Checkbox):
    """A yes/no field."""


EDITING_KEYS = ("backspace", "delete", "enter", "ctrl+u", "ctrl+k", "ctrl+w", "ctrl+x", "ctrl+v")


class FormEditor(VerticalScroll):
    """All the fields of one part, top to bottom; Tab and Shift+Tab move between them.

    A read-only form (someone else holds the file; a section newer than its plugin) shows the
    values, lets the cursor move, and answers any change with the reason it was refused.
    A section whose plugin supplies its own editor shows that widget (`custom`) above the
    generated number, heading and table fields.
    """

    HELP = (
        "Biểu mẫu: Tab / Shift+Tab chuyển giữa các trường; gõ để sửa; Esc về dàn ý. "
        "Số viết kiểu Việt Nam (1.409; 7,7); ngày dạng 02/4/2021. Mọi thay đổi hoàn tác được "
        "bằng F8 và làm lại bằng F9."
    )

    def __init__(
        self,
        session: DraftSession,
        spec: FormSpec,
        on_change: Callable[[PathT], None],
        edit_cell: Callable[..., None],
        *,
        notice: str = "",
        read_only: str = "",
        custom: Widget | None = None,
    ) -> None:
        super().__init__(id="form")
        self.session = session
        self.spec = spec
        self.on_change = on_change
        self.edit_cell = edit_cell
        self.notice = notice
        self.read_only = read_only  # why nothing here may change ("" when it may)
        self.custom = custom
        self.widgets: dict[PathT, Widget] = {}
        self.fields: dict[PathT, Field] = dict(spec)

    def compose(self) -> ComposeResult:
        if self.notice:
            yield Static(self.notice, classes="notice", markup=False)  # quotes the section type
        if self.custom is not None:
            self.custom.add_class("plugin-editor")
            yield self.custom
        for path, field in self.spec:
            label = field.label + (f" ({field.unit})" if field.unit else "")
            label += " *" if field.required else ""
            if field.kind != "bool":
                yield Label(label, classes="field-label")
            widget = self._make(path, field, label)
            if isinstance(widget, Input | TextArea):
                widget.cursor_blink = getattr(self.app, "cursor_blink", True)
            widget.field_path = path  # type: ignore[attr-defined]
            self.widgets[path] = widget
            yield widget

    def _value(self, path: PathT) -> Any:
        return self.session.get(path)

    def _make(self, path: PathT, field: Field, label: str) -> Widget:
        value = self._value(path)
        wid = widget_id(path)
        if field.kind == "records":
            from .grid import RecordsEditor  # DataTable loads with the first grid shown

            editor = RecordsEditor(
                self.session, path, field, self.on_change, edit_cell=self.edit_cell, id=wid
            )
            return editor
        if field.kind in ("longtext", "list"):
            text = value if isinstance(value, str) else ""
            if field.kind == "list":
                text = "\n".join(str(item) for item in value) if isinstance(value, list) else ""
            area = FieldText(text, id=wid, soft_wrap=True, tab_behavior="focus", classes=field.kind)
            area.read_only = bool(self.read_only)
            return area
        if field.kind == "choice":
            options = [(choice_label, choice) for choice, choice_label in field.choices]
            known = value in [choice for choice, _ in field.choices]
            return FieldSelect(
                options,
                value=value if known else Select.NULL,
                allow_blank=not field.required or not known,
                prompt="(chưa chọn)",
                id=wid,
            )
        if field.kind == "bool":
            return FieldCheck(label, value=bool(value) if value is not MISSING else False, id=wid)
        return FieldInput(format_value(field, value), id=wid, placeholder=_placeholder(field))

    # -- edits from the widgets --------------------------------------------------------------

    def _store(self, widget: Widget, value: Any, *, typing: bool) -> None:
        path = widget.field_path  # type: ignore[attr-defined]
        if value is MISSING and path[0] == "document":
            value = None if self.fields[path].kind == "date" else ""
        if value is MISSING and self.session.get(path) is MISSING:
            return
        try:
            changed = self.session.set_value(
                path, value, label=f"sửa {self.fields[path].label}", typing=typing
            )
        except ReadOnlyError as error:  # e.g. someone took the lock over meanwhile
            self.reload()
            self.post_message(EditRefused(error.message))
            return
        if changed:
            self.on_change(path)

    def _refuse(self) -> bool:
        """In a read-only form: put back the stored values; True (and say why) if any changed."""
        if not self.read_only:
            return False
        if self.reload():
            self.post_message(EditRefused(self.read_only))
        return True

    def on_key(self, event: Key) -> None:
        # A read-only text area ignores typing silently; say why instead.
        if not self.read_only or not isinstance(self.app.focused, TextArea):
            return
        if event.is_printable or event.key in EDITING_KEYS:
            self.post_message(EditRefused(self.read_only))

    def on_input_changed(self, event: Input.Changed) -> None:
        widget = event.input
        if not isinstance(widget, FieldInput):
            return
        event.stop()
        if self._refuse():
            return
        field = self.fields[widget.field_path]  # type: ignore[attr-defined]
        try:
            value = parse_value(field, event.value)
        except FieldValueError as error:
            widget.add_class("-invalid")
            self.post_message(Hint(field, str(error)))
            return
        if widget.has_class("-invalid"):
            widget.remove_class("-invalid")
            self.post_message(Hint(field))
        self._store(widget, value, typing=True)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        widget = event.text_area
        if not isinstance(widget, FieldText):
            return
        event.stop()
        if self._refuse():
            return
        field = self.fields[widget.field_path]  # type: ignore[attr-defined]
        self._store(widget, parse_value(field, widget.text), typing=True)

    def on_select_changed(self, event: Select.Changed) -> None:
        widget = event.select
        if not isinstance(widget, FieldSelect):
            return
        event.stop()
        if self._refuse():
            return
        value = MISSING if event.value is Select.NULL else event.value
        self._store(widget, value, typing=False)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if isinstance(event.checkbox, FieldCheck):
            event.stop()
            if not self._refuse():
                self._store(event.checkbox, event.value, typing=False)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        path = getattr(event.widget, "field_path", None)
        if path in self.fields:
            self.post_message(Hint(self.fields[path]))

    # -- sync and focus ----------------------------------------------------------------------

    def reload(self) -> bool:
        """Show the session's values again (after undo/redo), without recording edits.

        Returns whether any widget showed something else.
        """
        shown_before = {path: _shown(widget) for path, widget in self.widgets.items()}
        for path, widget in self.widgets.items():
            field = self.fields[path]
            value = self._value(path)
            if _is_grid(widget):
                widget.reload()
            elif isinstance(widget, FieldText):
                if field.kind == "list":
                    current = parse_value(field, widget.text)
                    if current != (value if isinstance(value, list) else []):
                        widget.load_text("\n".join(value) if isinstance(value, list) else "")
                elif widget.text != (value if isinstance(value, str) else ""):
                    widget.load_text(value if isinstance(value, str) else "")
            elif isinstance(widget, FieldSelect):
                target = value if value in [c for c, _ in field.choices] else Select.NULL
                if widget.value != target:
                    widget.value = target
            elif isinstance(widget, FieldCheck):
                if widget.value != bool(value is not MISSING and value):
                    widget.value = bool(value is not MISSING and value)
            elif isinstance(widget, FieldInput):
                try:
                    shown = parse_value(field, widget.value)
                except FieldValueError:
                    shown = None
                stored = None if value is None else value
                if shown is MISSING:
                    shown = None
                if stored is MISSING or shown != stored:
                    text = format_value(field, value)
                    if widget.value != text:
                        widget.value = text
                        widget.remove_class("-invalid")
        return any(_shown(widget) != shown_before[path] for path, widget in self.widgets.items())

    def focus_first(self) -> None:
        """Focus the first field (the prose of a free-text section, the first grid …)."""
        if self.custom is not None:
            candidates = [self.custom, *self.custom.query("*")]
            target = next((widget for widget in candidates if widget.focusable), None)
            if target is not None:
                target.focus(scroll_visible=False)
                return
        for widget in self.widgets.values():
            target = widget.table if _is_grid(widget) else widget
            if target.focusable:
                target.focus(scroll_visible=False)
                # The first field sits at the top: show its label too, the same way each time.
                self.call_after_refresh(self.scroll_home, animate=False)
                return

    def focus_path(self, path: PathT) -> bool:
        """Focus the field a problem points at (the longest path prefix that has a widget)."""
        for length in range(len(path), 0, -1):
            widget = self.widgets.get(tuple(path[:length]))
            if widget is None:
                continue
            if _is_grid(widget):
                widget.focus_path(tuple(path[length:]))
            else:
                widget.focus()
            self.call_after_refresh(widget.scroll_visible)
            return True
        self.focus_first()
        return False


def _is_grid(widget: Widget) -> bool:
    """A records grid (`tongket.tui.grid` is imported only once a grid is shown)."""
    grid = sys.modules.get("tongket.tui.grid")
    return grid is not None and isinstance(widget, grid.RecordsEditor)


def _shown(widget: Widget) -> Any:
    """What a field widget shows, to tell whether `reload` changed it."""
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Input | Select | Checkbox):
        return widget.value
    return None


def _placeholder(field: Field) -> str:
    return {
        "integer": "số nguyên",
        "decimal": "số, ví dụ 1.409 hoặc 7,7",
        "date": "ngày/tháng/năm, ví dụ 02/4/2021",
    }.get(field.kind, "")


class EditorPane(Vertical):
    """The editor area (its border names the part): the form and a hint line for the field."""

    def compose(self) -> ComposeResult:
        yield Static("", id="hint")

    @property
    def form(self) -> FormEditor | None:
        forms = self.query_children(FormEditor)
        return forms.first() if forms else None

    async def show(self, form: FormEditor) -> None:
        """Replace the form (the previous part's widgets are removed, not kept hidden)."""
        self.query_one("#hint", Static).update("")
        old = self.form
        if old is not None:
            await old.remove()
        await self.mount(form)

    def on_hint(self, message: Hint) -> None:
        field = message.field
        if message.error:
            text = f"! {field.label}: {message.error}"
        else:
            where = f" ({message.where})" if message.where else ""
            text = field.label + where + (f" — {field.help}" if field.help else "")
        self.query_one("#hint", Static).update(text)
