"""Every key-bound action of the app, declared once: id, action, label, default keys, area.

The app's, the widgets' and the dialogs' `BINDINGS` are built from `COMMANDS` (`bindings`),
the command palette lists the entries that have a palette label (`palette_commands`), the F1
help groups the keys that work now by `Command.base` and names its area from the focused
widget (`help_of`), and the user's key map accepts exactly these ids (`KNOWN_IDS`). A key
remapped in `keymap.toml` therefore shows its new key in the footer, the palette and the help.

To add an action: add a `Command` to `COMMANDS` in its area (the order within an area is the
order of that area's `BINDINGS`, which Textual keeps in the footer and the help); write the
`action_…` method on the node the action names; say in `check_action` when it is unavailable.

Where an action runs: an action string without a namespace is the app's (or, in a widget's area,
the widget's); "screen." names the main screen's drafting actions (`MainScreen`). The "app" area's
keys are bound on the app, so the F-keys reach past an open dialog (`priority`); an action on
"screen." then finds no method on the dialog and the key goes on to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, runtime_checkable

from textual.binding import Binding

#: The areas an action applies in, with the name the F1 help gives them. "app" applies
#: everywhere on the main screen; "text" is a prose field; "dialog", "cell", "help" and
#: "plugins" are modal screens, whose keys their own footer shows.
AREAS: dict[str, str] = {
    "app": "tongket",
    "outline": "Dàn ý",
    "problems": "Vấn đề",
    "grid": "Bảng dữ liệu",
    "form": "Biểu mẫu",
    "text": "Biểu mẫu",
    "preview": "Xem trước",
    "dialog": "Hộp thoại",
    "cell": "Sửa ô",
    "help": "Trợ giúp",
    "plugins": "Plugin",
}

#: The outline's and the grid's move keys share one footer entry: "K J Chuyển".
MOVE_GROUP = Binding.Group("Chuyển", compact=True)

#: The panes, in the order of their number keys (1 … 4, Alt+1 … Alt+4), with their titles.
PANES: dict[str, str] = {
    "outline": "Dàn ý",
    "editor": "Soạn",
    "preview": "Xem trước",
    "problems": "Vấn đề",
}


@dataclass(frozen=True)
class Command:
    """One key-bound action.

    `id` is the binding id, the name a user's key map rebinds. `same_as` names the command
    this one is another key for (Ctrl+S for F2): the help shows both on one line and the
    palette lists the command once. `palette` is the palette's label ("" keeps the command out
    of it) and `palette_rank` its place there (lower first; the palette keeps the most used on
    top, an order the areas' binding order cannot give). `edits` marks an action that changes
    the report: a read-only view (someone else holds the file) neither runs it nor shows its key.
    """

    id: str
    action: str
    label: str
    keys: str
    area: str
    show: bool = True
    priority: bool = False
    same_as: str = ""
    group: Binding.Group | None = None
    palette: str = ""
    palette_help: str = ""
    palette_rank: int = 0
    edits: bool = False

    @property
    def method(self) -> str:
        """The action's method name without namespace or arguments ("move_section")."""
        return self.action.rpartition(".")[2].partition("(")[0]

    @property
    def base(self) -> str:
        """The id the help and the palette show this command under."""
        return self.same_as or self.id

    def binding(self) -> Binding:
        """The Textual binding for this command."""
        return Binding(
            self.keys,
            self.action,
            self.label,
            show=self.show,
            priority=self.priority,
            id=self.id,
            group=self.group,
        )


def _panes() -> Iterator[Command]:
    # Panes by number, as in lazygit and k9s: plain digits where the focused pane takes no
    # typing (outline, preview, problems), Alt+digit everywhere (before an input could read it
    # as a character; see keymap.install_alt_digits).
    for number, (pane, title) in enumerate(PANES.items(), 1):
        yield Command(
            f"pane.{pane}", f"screen.pane_key('{pane}')", title, str(number), "app", show=False
        )
    for number, (pane, title) in enumerate(PANES.items(), 1):
        yield Command(
            f"pane.{pane}.alt",
            f"screen.focus_pane('{pane}')",
            title,
            f"alt+{number}",
            "app",
            show=False,
            priority=True,
            same_as=f"pane.{pane}",
            palette=f"Đến vùng {title}",
            palette_help="Đưa con trỏ đến vùng này",
            palette_rank=13,
        )


COMMANDS: tuple[Command, ...] = (
    # -- the app: F-keys (priority: they work in every field), plain keys, ctrl chords ------
    Command(
        "help", "help", "Giúp", "f1", "app",
        palette="Trợ giúp", palette_help="Phím của vùng đang chọn", palette_rank=16,
    ),
    Command("help.plain", "help", "Trợ giúp", "question_mark", "app", show=False, same_as="help"),
    Command(
        "save", "save", "Lưu", "f2", "app", priority=True,
        palette="Lưu", palette_help="Ghi bản nháp vào tệp", palette_rank=1, edits=True,
    ),
    Command(
        "save.ctrl", "save", "Lưu", "ctrl+s", "app", show=False, priority=True, same_as="save",
        edits=True,
    ),
    Command(
        "open", "open", "Mở tệp", "f3", "app", show=False, priority=True,
        palette="Mở tệp…", palette_help="Mở một tệp báo cáo .toml", palette_rank=3,
    ),
    Command(
        "save_as", "save_as", "Lưu thành", "f4", "app", show=False, priority=True,
        palette="Lưu thành…", palette_help="Ghi vào một tệp khác", palette_rank=2,
    ),
    Command(
        "check", "screen.check", "Kiểm tra", "f5", "app", show=False, priority=True,
        palette="Kiểm tra", palette_help="Chạy kiểm tra như tongket check", palette_rank=4,
    ),
    Command(
        "export_docx", "screen.export('docx')", "Xuất", "f6", "app", priority=True,
        palette="Xuất DOCX", palette_help="Xuất tệp Word theo NĐ30", palette_rank=5,
    ),
    Command(
        "export_docx.ctrl", "screen.export('docx')", "Xuất", "ctrl+e", "app",
        show=False, priority=True, same_as="export_docx",
    ),
    Command(
        "export_pdf", "screen.export('pdf')", "Xuất PDF", "f7", "app", show=False, priority=True,
        palette="Xuất PDF", palette_help="Xuất Word rồi chuyển sang PDF", palette_rank=6,
    ),
    Command(
        "undo", "screen.undo", "Hoàn tác", "f8", "app", priority=True,
        palette="Hoàn tác", palette_help="Bỏ thay đổi vừa làm", palette_rank=7, edits=True,
    ),
    Command(
        "undo.ctrl", "screen.undo", "Hoàn tác", "ctrl+z", "app", show=False, priority=True,
        same_as="undo", edits=True,
    ),
    Command(
        "redo", "screen.redo", "Làm lại", "f9", "app", show=False, priority=True,
        palette="Làm lại", palette_help="Làm lại thay đổi vừa hoàn tác", palette_rank=8,
        edits=True,
    ),
    Command(
        "redo.ctrl", "screen.redo", "Làm lại", "ctrl+y", "app", show=False, priority=True,
        same_as="redo", edits=True,
    ),
    Command(
        "quit", "quit", "Thoát", "f10", "app", priority=True,
        palette="Thoát", palette_help="Đóng tongket (hỏi trước nếu chưa lưu)", palette_rank=17,
    ),
    Command(
        "quit.ctrl", "quit", "Thoát", "ctrl+q", "app", show=False, priority=True,
        same_as="quit",
    ),
    Command(
        "plugins", "plugins", "Plugin", "f11", "app", show=False, priority=True,
        palette="Plugin đã cài", palette_help="Danh sách plugin, loại mục, hook và lỗi",
        palette_rank=14,
    ),
    Command(
        "merge_status", "merge_status", "Tình hình", "ctrl+t", "app", show=False, priority=True,
        palette="Tình hình báo cáo",
        palette_help="Báo cáo tổng hợp: đơn vị đã gửi, chưa gửi, có lỗi hoặc thiếu; nguồn số liệu",
        palette_rank=18,
    ),
    Command(
        "take_over", "take_over", "Tiếp quản", "t", "app",
        palette="Tiếp quản tệp",
        palette_help="Tiếp quản khóa đã bỏ dở của người khác, rồi đọc lại tệp",
        palette_rank=15,
    ),
    Command("palette", "command_palette", "Lệnh", "colon", "app"),
    Command(
        "palette.f12", "command_palette", "Lệnh", "f12", "app", show=False, same_as="palette"
    ),
    Command(
        "palette.ctrl", "command_palette", "Lệnh", "ctrl+p", "app", show=False, same_as="palette"
    ),
    Command("outline", "screen.focus_outline", "Dàn ý", "escape", "app", show=False),
    *_panes(),
    # -- the outline: its actions are the main screen's (they change the report's structure)
    Command("outline.edit", "screen.edit_part", "Sửa", "enter", "outline", show=False),
    # "Thêm mục" is listed once per installed section type (`actions.palette_entries`).
    Command(
        "outline.add", "screen.add_section", "Thêm", "a,insert", "outline",
        palette="Thêm mục", palette_rank=12, edits=True,
    ),
    Command(
        "outline.delete", "screen.delete_section", "Xóa", "x,delete", "outline",
        palette="Xóa mục", palette_help="Xóa mục đang chọn", palette_rank=9, edits=True,
    ),
    Command(
        "outline.up", "screen.move_section(-1)", "Lên", "K,shift+up", "outline", group=MOVE_GROUP,
        palette="Chuyển mục lên", palette_help="Đổi chỗ với mục phía trên", palette_rank=10,
        edits=True,
    ),
    Command(
        "outline.down", "screen.move_section(1)", "Xuống", "J,shift+down", "outline",
        group=MOVE_GROUP,
        palette="Chuyển mục xuống", palette_help="Đổi chỗ với mục phía dưới", palette_rank=11,
        edits=True,
    ),
    Command("outline.plugins", "app.plugins", "Plugin", "p", "outline", show=False),
    Command("outline.merge_status", "app.merge_status", "Tình hình", "s", "outline", show=False),
    Command(
        "outline.compare", "app.compare_versions", "So sánh", "d", "outline", show=False,
        palette="So sánh với bản trước…",
        palette_help="Tệp Word của bản nháp, theo dõi thay đổi so với bản .bak hoặc tệp khác",
        palette_rank=16,
    ),
    # -- the problems list ----------------------------------------------------------------
    Command("problems.goto", "select", "Đến chỗ lỗi", "enter", "problems"),
    # -- a grid of records ----------------------------------------------------------------
    Command("grid.edit", "edit_cell", "Sửa ô", "enter", "grid", show=False, edits=True),
    Command("grid.add", "add_row", "Thêm dòng", "insert,ctrl+n", "grid", edits=True),
    Command("grid.delete", "delete_row", "Xóa dòng", "delete", "grid", edits=True),
    Command(
        "grid.up", "move_row(-1)", "Lên", "shift+up", "grid", group=MOVE_GROUP, edits=True
    ),
    Command(
        "grid.down", "move_row(1)", "Xuống", "shift+down", "grid", group=MOVE_GROUP, edits=True
    ),
    # -- a prose field (tui/form.py `FieldText` declares these two itself for now) ---------
    Command("text.start", "document_start", "Đầu văn bản", "ctrl+home", "text", show=False),
    Command("text.end", "document_end", "Cuối văn bản", "ctrl+end", "text", show=False),
    # -- dialogs --------------------------------------------------------------------------
    Command("dialog.cancel", "cancel", "Hủy", "escape", "dialog"),
    Command("cell.commit", "commit('down')", "Xong", "enter", "cell", show=False),
    Command("cell.next", "commit('right')", "Xong, sang phải", "tab", "cell"),
    Command("cell.previous", "commit('left')", "Xong, sang trái", "shift+tab", "cell"),
    Command("help.close", "cancel", "Đóng", "escape,f1,q", "help"),
    Command("plugins.close", "cancel", "Đóng", "escape,f11,q", "plugins"),
)  # fmt: skip

BY_ID: dict[str, Command] = {command.id: command for command in COMMANDS}

#: The actions that change the report, by method name (`Command.method`).
EDITING_ACTIONS: frozenset[str] = frozenset(c.method for c in COMMANDS if c.edits)
#: The ids of the commands that change the report.
EDITING_IDS: frozenset[str] = frozenset(c.id for c in COMMANDS if c.edits)

#: The ids a user's key map may rebind.
KNOWN_IDS: frozenset[str] = frozenset(BY_ID)


def bindings(*areas: str) -> list[Binding]:
    """The `BINDINGS` of a class whose keys are those of `areas`, in declaration order."""
    return [command.binding() for area in areas for command in COMMANDS if command.area == area]


def command(command_id: str) -> Command | None:
    """The command declared with `command_id`, if any."""
    return BY_ID.get(command_id)


def palette_commands() -> list[Command]:
    """The commands the palette lists, in its order (ties keep the order of `COMMANDS`)."""
    listed = [command for command in COMMANDS if command.palette]
    return sorted(listed, key=lambda command: command.palette_rank)


# -- F1: the help of the focused area ----------------------------------------------------------


@runtime_checkable
class HelpSource(Protocol):
    """A widget (or screen) that offers its own F1 help: the area it belongs to (a key of
    `AREAS`) and what it is for, in words. It may also define `help_detail() -> str`, shown
    above (e.g. the highlighted problem in full)."""

    help_area: str
    HELP: ClassVar[str]


def help_of(node: Any) -> tuple[str, str]:
    """The area title and help text of the nearest node, from `node` up, that offers help;
    ("tongket", "") when none does."""
    while node is not None:
        area = getattr(node, "help_area", "")
        text = getattr(node, "HELP", "")
        if area and text:
            detail = getattr(node, "help_detail", None)
            shown = detail() if callable(detail) else ""
            return AREAS.get(area, AREAS["app"]), f"{shown}\n\n{text}" if shown else text
        node = node.parent
    return AREAS["app"], ""
