"""Modal dialogs, all driven by the keyboard: confirm, ask for a path, edit a grid cell,
pick a section type, and the F1 help of the focused area."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Key
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from tongket.core.sectiontypes import Field, SectionType

from .fields import FieldValueError, format_value, parse_value


class Dialog(ModalScreen):
    """A centred box; Escape cancels (dismisses with None)."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Hủy", id="dialog.cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_mount(self) -> None:
        # Tests and snapshots pin the cursor still (`TongketApp(cursor_blink=False)`).
        for widget in self.query("Input, TextArea"):
            widget.cursor_blink = getattr(self.app, "cursor_blink", True)


class ConfirmScreen(Dialog):
    """A question with a few answers, each on a button and a plain key."""

    def __init__(self, title: str, message: str, choices: list[tuple[str, str, str]]) -> None:
        """`choices`: (key, label, value); Escape answers None."""
        super().__init__()
        self.title_text = title
        self.message = message
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Label(self.title_text, classes="dialog-title")
            # Messages quote file names and report text: shown as written, never as markup.
            yield Static(self.message, classes="dialog-message", markup=False)
            with Horizontal(classes="buttons"):
                for key, label, value in self.choices:
                    yield Button(f"{key}: {label}", id=f"choice-{value}", compact=True)
                yield Button("Esc: Hủy", id="choice-cancel", compact=True)

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_key(self, event) -> None:
        for key, _label, value in self.choices:
            if event.key == key:
                event.stop()
                self.dismiss(value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        value = (event.button.id or "").removeprefix("choice-")
        self.dismiss(None if value == "cancel" else value)


class PathScreen(Dialog):
    """Ask for a file path; lists the report files of the folder below the input."""

    def __init__(self, title: str, default: str, *, list_folder: Path | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.default = default
        self.folder = list_folder

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(self.default, id="path-input")
            yield Static("", id="path-error", classes="dialog-error")
            if self.folder is not None:
                files = sorted(str(path) for path in self.folder.glob("*.toml"))
                yield Label("Tệp .toml trong thư mục (↓ để chọn):", classes="dialog-message")
                yield OptionList(*files, id="path-files")
            yield Static("Enter: đồng ý · Esc: hủy", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#path-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if not value:
            self.query_one("#path-error", Static).update("! Cần một đường dẫn tệp")
            return
        self.dismiss(value)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(str(event.option.prompt))

    def key_down(self) -> None:
        files = self.query("#path-files")
        if files and self.focused is self.query_one("#path-input"):
            files.first().focus()


class CellEditScreen(Dialog):
    """Edit one cell of a grid: an input checked against the column's field description.

    Opened by a key typed on the cell (`typed`: the editor holds just that text) or by Enter
    (the old value, selected, so typing replaces it). Enter stores and moves the grid's cursor
    down, Tab right, Shift+Tab left. Text that does not fit the field, or that `check` refuses,
    is never stored: the editor keeps it and says what is expected. Dismisses with
    ("value", value, move, keys) or None; `keys` were typed after the commit, before this
    dialog was even shown, and belong to the grid.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Hủy", id="dialog.cancel"),
        # Priority: the cell is stored as the key is read, so what is typed next (a fast
        # typist, keys sent at once through tmux) reaches the grid, not a closing dialog.
        Binding("enter", "commit('down')", "Xong", id="cell.commit", priority=True, show=False),
        Binding("tab", "commit('right')", "Xong, sang phải", id="cell.next", priority=True),
        Binding(
            "shift+tab", "commit('left')", "Xong, sang trái", id="cell.previous", priority=True
        ),
    ]
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
    ) -> None:
        super().__init__()
        self.field = field
        self.value = value
        self.typed = typed
        self.check = check
        self._early: list[tuple[str, str | None]] = []  # keys read before the editor existed
        self._ready = False
        self._replaying = False
        self._result: tuple[str, Any, str] | None = None

    def compose(self) -> ComposeResult:
        field = self.field
        with Vertical(classes="box"):
            title = field.label + (f" ({field.unit})" if field.unit else "")
            yield Label(title + (" *" if field.required else ""), classes="dialog-title")
            if field.help:
                yield Static(field.help, classes="dialog-message")
            if field.kind == "choice":
                options = [Option(label, id=value) for value, label in field.choices]
                yield OptionList(*options, id="cell-choice")
                keys = "↑/↓ hoặc gõ chữ đầu để chọn · Enter: đồng ý · Esc: hủy"
            elif field.kind == "longtext":
                text = self.value if isinstance(self.value, str) else ""
                text = text if self.typed is None else self.typed
                yield TextArea(text, id="cell-text", soft_wrap=True, tab_behavior="focus")
                keys = "Tab: xong · Esc: hủy"
            else:
                fresh = self.typed is None
                text = format_value(field, self.value) if fresh else self.typed or ""
                # From Enter the old value is selected: typing replaces it, Enter keeps it.
                yield Input(text, id="cell-input", select_on_focus=fresh)
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
        early, self._early = self._early, []
        self._replaying = True
        for index, (key, character) in enumerate(early):
            self.feed(key, character)
            if self._result is not None:  # committed: what follows goes back to the grid
                self.dismiss((*self._result, early[index + 1 :]))
                break
        self._replaying = False
        if self._result is None:
            self.set_focus(editor)  # at once, not later: the next key goes to the editor

    # -- keys read before the editor had the focus -------------------------------------------

    def feed(self, key: str, character: str | None) -> None:
        """A key typed before the editor took the focus: applied as if typed into it."""
        if not self._ready:
            self._early.append((key, character))
            return
        moves = {"enter": "down", "tab": "right", "shift+tab": "left"}
        if key in moves:
            self._commit(moves[key])
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
        if self.focused is None and (
            event.is_printable or event.key in ("backspace", "enter", "tab", "shift+tab")
        ):
            event.stop()  # read before the editor had the focus
            self.feed(event.key, event.character)
        elif self.field.kind == "choice" and event.is_printable and event.character:
            event.stop()  # the chooser has no type-ahead of its own
            self._jump(event.character)

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
        if self._replaying:
            self._result = ("value", value, move)  # dismissed with the keys left over
        else:
            self.dismiss(("value", value, move, []))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._close(event.option.id, "down")

    def action_commit(self, move: str = "down") -> None:
        if not self._ready or self.focused is None:
            # Keys typed before it may still be on their way to this screen: let this one
            # follow them (to `on_key`) rather than overtake them.
            raise SkipAction()
        self._commit(move)

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


class SectionTypeScreen(Dialog):
    """Pick the type of a new section among the installed section types."""

    def __init__(self, types: dict[str, SectionType]) -> None:
        super().__init__()
        self.types = types

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Label("Thêm mục: chọn loại mục", classes="dialog-title")
            options = []
            for type_id, section_type in self.types.items():
                prompt = Text(section_type.title, style="bold")
                prompt.append(f"  ({type_id})", style="dim")
                summary = _first_sentence(section_type.description)
                if summary:
                    prompt.append("\n  " + summary, style="dim")
                options.append(Option(prompt, id=type_id))
            yield OptionList(*options, id="type-list")
            yield Static("↑/↓ chọn · Enter: thêm · Esc: hủy", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#type-list", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)


def _first_sentence(text: str, limit: int = 56) -> str:
    """The description's first sentence (up to a colon or full stop), cut to one line."""
    for stop in (". ", ": ", "; "):
        text = text.split(stop, 1)[0]
    text = text.rstrip(".")
    return text if len(text) <= limit else text[: limit - 1] + "…"


KEYMAP_NOTE = (
    "Đổi phím: tạo tệp ~/.config/tongket/keymap.toml với bảng [keys], mỗi dòng "
    'mã = "phím", ví dụ save = "f2,ctrl+s" (mã ghi trong ngoặc vuông ở trên). '
    "Trong tmux, Esc chậm nếu escape-time lớn: đặt `set -sg escape-time 10`."
)


class HelpScreen(Dialog):
    """F1: what the focused area is for and the keys that work there."""

    BINDINGS = [
        Binding("escape,f1,q", "cancel", "Đóng", id="help.close"),
    ]

    def __init__(self, area: str, text: str, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.area = area
        self.text = text
        self.keys = keys

    def compose(self) -> ComposeResult:
        with Vertical(classes="box help"):
            yield Label(f"Trợ giúp — {self.area}", classes="dialog-title")
            with VerticalScroll(id="help-body"):
                # Help quotes keys and ids in brackets ("[keys]", "[outline.add]"): shown as
                # written, never read as markup.
                yield Static(self.text, classes="dialog-message", markup=False)
                table = Text()
                for key, description in self.keys:
                    table.append(f"{key:>16}  ", style="bold")
                    table.append(description + "\n")
                yield Static(table, id="help-keys")
                yield Static(KEYMAP_NOTE, classes="dialog-message", markup=False)
            yield Static("Esc, F1: đóng · ↑/↓ cuộn", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()


SOURCES = {"built-in": "có sẵn trong tongket", "entry point": "gói cài thêm (entry point)"}


def plugin_listing(listing: list[dict[str, Any]]) -> tuple[RenderableType, str]:
    """The plugin list as `tongket plugins` prints it, errors marked with "!" and "LỖI"; as
    styled rows (long lines wrap under their own indent) and as plain text."""
    table = Table.grid(padding=(0, 1))
    table.add_column(width=1)
    table.add_column(ratio=1)
    plain: list[str] = []
    for position, item in enumerate(listing):
        if position:
            table.add_row("", "")
        source = SOURCES.get(item["source"], item["source"])
        origin = item["distribution"] or item["module"]
        head = Text(item["name"], style="bold")
        head.append(f" {item['version']}" if item["version"] else "")
        head.append(f"  ({source}; {origin})", style="dim")
        mark = "!" if item["error"] else ""
        lines = [
            f"loại mục {section_type['id']} v{section_type['version']}: {section_type['title']}"
            for section_type in item["section_types"]
        ]
        if item["hooks"]:
            lines.append(f"hook: {', '.join(item['hooks'])}")
        if item["error"]:
            lines.append(f"LỖI: {item['error']}")
        table.add_row(Text(mark, style="bold red"), head)
        for line in lines:
            style = "bold" if line.startswith("LỖI:") else ""
            table.add_row("", Padding(Text(line, style=style), (0, 0, 0, 2)))
        plain += [f"{mark or ' '} {head.plain}", *(f"    {line}" for line in lines)]
    return table, "\n".join(plain)


class PluginsScreen(Dialog):
    """F11 (or p on the outline): every plugin with its section types, hooks and load errors."""

    BINDINGS = [
        Binding("escape,f11,q", "cancel", "Đóng", id="plugins.close"),
    ]
    HELP = (
        "Plugin: mỗi plugin với phiên bản, nguồn (có sẵn hay gói cài thêm), các loại mục nó "
        "cung cấp, các hook nó cài đặt và lỗi khi nạp (dòng có dấu !). Giống lệnh "
        "`tongket plugins`. ↑/↓, PgUp/PgDn để cuộn; Esc để đóng."
    )

    def __init__(self, listing: list[dict[str, Any]]) -> None:
        super().__init__()
        self.listing = listing
        self.rows, self.plain = plugin_listing(listing)  # plain: what tests and readers get

    def compose(self) -> ComposeResult:
        broken = sum(1 for item in self.listing if item["error"])
        title = f"Plugin đã cài ({len(self.listing)}"
        title += f", {broken} lỗi)" if broken else ")"
        with Vertical(classes="box help"):
            yield Label(title, classes="dialog-title")
            with VerticalScroll(id="plugins-body"):
                yield Static(self.rows, id="plugins-list")
            yield Static("Esc, F11: đóng · ↑/↓ cuộn", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#plugins-body").focus()
