"""The editor of one grid cell (`CellEditScreen`), a small dialog over the grid.

A grid row is often typed, or pasted through tmux, in one go: "2016 Tab c Tab Sở Attapeu
Enter". Every key of such a burst must land where it was typed, so the dialog reads the keys
that finish it (Enter, Tab, Shift+Tab, Escape) in the editor widget itself, in order with the
characters before them (`CellKeys`), and hands the keys that reach it after it closed to the
grid (`LateKeys`), which applies them once it has stored the cell and moved its cursor.
"""

from __future__ import annotations

import unicodedata
from collections import deque
from collections.abc import Callable
from typing import Any

from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Key
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from tongket.core.host.sectiontypes import Field

from .dialogs import Dialog
from .fields import FieldValueError, format_value, parse_value
from .keyorder import keep_key_order
from .registry import bindings

KeyT = tuple[str, str | None]  # a key's name and the character it types (None: none)
MOVES = {"enter": "down", "tab": "right", "shift+tab": "left"}  # how a commit moves the grid


class LateKeys:
    """Keys that reached a cell editor after it closed. They were typed after the commit and
    belong to the grid: kept in order until the grid takes them (`hand_to`), then passed
    straight on."""

    def __init__(self) -> None:
        self.keys: list[KeyT] = []
        self._taker: Callable[[str, str | None], None] | None = None

    def add(self, key: str, character: str | None) -> None:
        if self._taker is not None:
            self._taker(key, character)
        else:
            self.keys.append((key, character))

    def hand_to(self, taker: Callable[[str, str | None], None]) -> None:
        """Apply the kept keys with `taker`, in order, and every later one as it comes."""
        self._taker = taker
        while self.keys:
            taker(*self.keys.pop(0))


class CellKeys:
    """Key handling shared by the cell editor's widgets (input, text area, chooser); mixed in
    before the Textual widget, so its `_on_key` runs before the widget's own."""

    screen: Any

    async def _on_key(self, event: Key) -> None:
        screen = self.screen
        if not isinstance(screen, CellEditScreen):
            return
        if screen.closed or event.key in MOVES or event.key == "escape":
            # Read here, as the key arrives, not once it bubbled up to a binding: the
            # characters typed before it are in, those typed after it are not.
            event.stop()
            event.prevent_default()
            screen.feed(event.key, event.character)
        elif screen.field.kind == "choice" and event.is_printable and event.character:
            event.stop()  # the chooser has no type-ahead of its own
            event.prevent_default()
            screen.feed(event.key, event.character)
        else:
            await keep_key_order(self, event)


class CellInput(CellKeys, Input):
    """The one-line editor of a text, number, date or list cell."""


class CellText(CellKeys, TextArea):
    """The editor of a prose (longtext) cell: Enter is a new line, Tab finishes."""


class CellChoice(CellKeys, OptionList):
    """The chooser of a choice cell: ↑/↓ or a label's initial, Enter or Tab to take it."""


class CellEditScreen(Dialog):
    """Edit one cell of a grid: an input checked against the column's field description.

    Opened by a key typed on the cell (`typed`: the editor holds just that text) or by Enter
    (the old value, selected, so typing replaces it). Enter stores and moves the grid's cursor
    down, Tab right, Shift+Tab left. Text that does not fit the field, or that `check` refuses,
    is never stored: the editor keeps it and says what is expected.

    When it closes, `done` gets ("value", value, move), or None when cancelled, and the keys
    typed after that (`late`). It is called at once, not after the screen has gone, so the
    grid's cursor has moved before the next key of a burst is read.
    """

    # The editor widgets read these keys themselves (`CellKeys`); the bindings name them in
    # the footer and serve a key that reaches the screen with nothing focused.
    BINDINGS = bindings("dialog", "cell")
    # The editor takes the focus once the keys read before it existed are in (`on_mount`):
    # until then every key comes to this screen and is queued in order.
    AUTO_FOCUS = ""

    def __init__(
        self,
        field: Field,
        value: Any,
        *,
        typed: str | None = None,
        check: Callable[[Any], str | None] | None = None,
        done: Callable[[tuple[str, Any, str] | None, LateKeys], None] | None = None,
    ) -> None:
        super().__init__()
        self.field = field
        self.value = value
        self.typed = typed
        self.check = check
        self.done = done
        self.closed = False  # stored or cancelled: keys that still come here go to `late`
        self.late = LateKeys()
        self._early: list[KeyT] = []  # keys read before the editor existed
        self._ready = False
        self._direct: deque[Key] = deque()  # keys sent to the screen itself, not yet read
        self._editor: Widget | None = None

    def compose(self) -> ComposeResult:
        field = self.field
        with Vertical(classes="box"):
            title = field.label + (f" ({field.unit})" if field.unit else "")
            yield Label(title + (" *" if field.required else ""), classes="dialog-title")
            if field.help:
                yield Static(field.help, classes="dialog-message")
            if field.kind == "choice":
                options = [Option(label, id=value) for value, label in field.choices]
                yield CellChoice(*options, id="cell-choice")
                keys = "↑/↓ hoặc gõ chữ đầu để chọn · Enter: đồng ý · Esc: hủy"
            elif field.kind == "longtext":
                text = self.value if isinstance(self.value, str) else ""
                text = text if self.typed is None else self.typed
                yield CellText(text, id="cell-text", soft_wrap=True, tab_behavior="focus")
                keys = "Tab: xong · Esc: hủy"
            else:
                fresh = self.typed is None
                text = format_value(field, self.value) if fresh else self.typed or ""
                # From Enter the old value is selected: typing replaces it, Enter keeps it.
                yield CellInput(text, id="cell-input", select_on_focus=fresh)
                keys = "Enter: đồng ý, xuống · Tab: sang phải · Esc: hủy"
                if field.kind == "list":
                    keys = "Các mục cách nhau bằng dấu ; · " + keys
            yield Static("", id="cell-error", classes="dialog-error")
            yield Static(keys, classes="dialog-keys")

    def on_mount(self) -> None:
        if self.field.kind == "choice":
            chooser = self.query_one("#cell-choice", OptionList)
            values = [value for value, _ in self.field.choices]
            chooser.highlighted = values.index(self.value) if self.value in values else 0
            if self.typed:
                self._jump(self.typed, inclusive=True)
            editor: Widget = chooser
        elif self.field.kind == "longtext":
            editor = self.query_one("#cell-text", TextArea)
            editor.move_cursor(editor.document.end)
        else:
            editor = self.query_one("#cell-input", Input)
            if self.typed is None:
                editor.select_all()
            else:
                editor.cursor_position = len(editor.value)
                self._explain(editor.value)
        self._ready = True
        self._editor = editor
        early, self._early = self._early, []
        for key, character in early:  # once a key closes the editor, the rest are `late`
            self.feed(key, character)
        self._focus_editor_when_keys_are_in()

    def _focus_editor_when_keys_are_in(self) -> None:
        # Keys the app sent to this screen while nothing had the focus wait in the screen's
        # queue; keys sent once the editor has it go to the editor's own queue, and the two
        # queues are read side by side. So the editor takes the focus only when none is left
        # here: "2017" typed just after Ctrl+N is not read as "17" then "20".
        if self.closed:
            return
        if self._direct:
            self.call_later(self._focus_editor_when_keys_are_in)  # behind the waiting keys
        elif self._editor is not None:
            self.set_focus(self._editor)

    def _forward_event(self, event: Any) -> None:
        # How the app hands this screen a key when no widget has the focus (Textual's
        # `App.on_event`): noted, to tell it apart in `on_key` from a key bubbling up from
        # the editor.
        if isinstance(event, Key) and not event.is_forwarded:
            self._direct.append(event)
        super()._forward_event(event)

    # -- keys, in the order they were typed ----------------------------------------------------

    def feed(self, key: str, character: str | None) -> None:
        """Apply a key as if typed into the editor: one read before the editor took the
        focus, or one that finishes the cell (Enter, Tab, Shift+Tab, Escape)."""
        if self.closed:
            self.late.add(key, character)
            return
        if not self._ready:
            self._early.append((key, character))
            return
        if key in MOVES:
            self._commit(MOVES[key])
        elif key == "escape":
            self.action_cancel()
        elif self.field.kind == "choice":
            if character and character.isprintable():
                self._jump(character)
        elif self.field.kind == "longtext":
            area = self.query_one("#cell-text", TextArea)
            if key == "backspace":
                area.action_delete_left()
            elif character and character.isprintable():
                area.insert(character)
        else:
            field_input = self.query_one("#cell-input", Input)
            if field_input.selection.start != field_input.selection.end:
                field_input.value = ""  # typing replaces the selected old value
                field_input.select_on_focus = False
            if key == "backspace":
                field_input.value = field_input.value[:-1]
            elif character and character.isprintable():
                field_input.value += character
            field_input.cursor_position = len(field_input.value)

    def on_key(self, event: Key) -> None:
        direct = any(key is event for key in self._direct)
        if direct:
            self._direct = deque(key for key in self._direct if key is not event)
        early = direct and (event.is_printable or event.key in ("backspace", "escape", *MOVES))
        if self.closed or early:
            event.stop()  # sent before the editor had the focus, or after the dialog closed
            event.prevent_default()
            self.feed(event.key, event.character)

    def _jump(self, typed: str, *, inclusive: bool = False) -> None:
        """Highlight the next choice whose label starts with the typed letter."""
        chooser = self.query_one("#cell-choice", OptionList)
        labels = [label for _, label in self.field.choices]
        start = (chooser.highlighted or 0) + (0 if inclusive else 1)
        for step in range(len(labels)):
            index = (start + step) % len(labels)
            if self._initial(labels[index]) == self._initial(typed):
                chooser.highlighted = index
                return

    @staticmethod
    def _initial(text: str) -> str:
        """The base letter a label starts with ("Đón" → "d", "Ấn" → "a")."""
        first = unicodedata.normalize("NFD", text[:1].casefold())[:1]
        return "d" if first == "đ" else first

    # -- checking and storing ----------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._explain(event.value)

    def _explain(self, text: str) -> str | None:
        """Say at once what the field expects when `text` does not fit (nothing is stored)."""
        try:
            parse_value(self.field, text)
        except FieldValueError as error:
            message = f"! {error}"
        else:
            message = ""
        self.query_one("#cell-error", Static).update(message)
        return message or None

    def _finish(self, text: str, move: str) -> None:
        try:
            value = parse_value(self.field, text)
        except FieldValueError as error:
            self.query_one("#cell-error", Static).update(f"! {error}")
            return
        refusal = self.check(value) if self.check is not None else None
        if refusal:
            self.query_one("#cell-error", Static).update(f"! {refusal}")
            return
        self._close(value, move)

    def _close(self, value: Any, move: str) -> None:
        self._end(("value", value, move))

    def action_cancel(self) -> None:
        self._end(None)

    def _end(self, result: tuple[str, Any, str] | None) -> None:
        self.closed = True
        self.dismiss(result)
        if self.done is not None:
            self.done(result, self.late)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if not self.closed:
            self._close(event.option.id, "down")

    def action_commit(self, move: str = "down") -> None:
        if not self._ready or self.focused is None:
            # Keys typed before it may still be on their way to this screen: let this one
            # follow them (to `on_key`) rather than overtake them.
            raise SkipAction()
        self._commit(move)

    def store_typed(self) -> bool:
        """Store what the editor holds and close it, the cursor staying on the cell (saving
        with the editor open: the cell is part of what is saved). False when the text does not
        fit the field: the editor stays open and says why."""
        if self._ready and not self.closed:
            self._commit("stay")
        return self.closed

    def _commit(self, move: str) -> None:
        if self.field.kind == "choice":
            chooser = self.query_one("#cell-choice", OptionList)
            if chooser.highlighted is not None:
                self._close(self.field.choices[chooser.highlighted][0], move)
        elif self.field.kind == "longtext":
            if move == "down":  # Enter in prose is a new line
                self.query_one("#cell-text", TextArea).insert("\n")
                return
            self._finish(self.query_one("#cell-text", TextArea).text, move)
        else:
            self._finish(self.query_one("#cell-input", Input).value, move)
