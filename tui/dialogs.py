"""Modal dialogs, all driven by the keyboard: confirm, ask for a path, edit a grid cell,
pick a section type, and the F1 help of the focused area."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tongket.core.host.sectiontypes import SectionType

from .actions import section_type_names
from .footer import KeyFooter
from .registry import bindings


class Dialog(ModalScreen):
    """A centred box; Escape cancels (dismisses with None)."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = bindings("dialog")

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_mount(self) -> None:
        # Tests and snapshots pin the cursor still (`TongketApp(cursor_blink=False)`).
        for widget in self.query("Input, TextArea"):
            widget.cursor_blink = getattr(self.app, "cursor_blink", True)
        # The keys of the dialog, not those of the screen under it (whose footer would
        # still offer "Enter Sửa ô" or the panes while the dialog has the keyboard).
        self.mount(KeyFooter(compact=True, show_command_palette=False))


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


class SectionTypeScreen(Dialog):
    """Pick the type of a new section among the installed section types."""

    def __init__(self, types: dict[str, SectionType]) -> None:
        super().__init__()
        self.types = types

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Label("Thêm mục: chọn loại mục", classes="dialog-title")
            options = []
            for type_id, name in section_type_names(self.types).items():
                prompt = Text(name, style="bold")
                summary = _first_sentence(self.types[type_id].description)
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

    BINDINGS = bindings("help")

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

    BINDINGS = bindings("plugins")
    help_area = "plugins"
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
