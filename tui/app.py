"""tongket's terminal app: outline, generated editor, live preview and problems, keyboard only.

`run()` is what the `tongket` command calls. The app edits the report only through
`tongket.core.report.session.DraftSession` and writes files only through
`tongket.core.report.store` (and the DOCX writer, in a worker thread, for exports).
"""

from __future__ import annotations

import sys
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from tongket.core.gc_tuning import resume_collection
from tongket.core.problems import ReportFileError
from tongket.core.report import store
from tongket.core.report.session import DraftSession, find_recovery, new_project

from . import actions, pasting, screentext
from .files import FileCommands
from .form import after_typing
from .keymap import install_alt_digits, keymap_path, load_keymap
from .main_screen import MainScreen
from .registry import KNOWN_IDS, bindings
from .safety import CrashSafety, install_exit_handlers, save_recovery_on_exit

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tongket.core.host.pluginhost import PluginHost

    from .fields import Part

SAMPLE = "quang-ngai-sct-2021.toml"
RECOVERY_SECONDS = 30.0
LOCK_SECONDS = 30.0  # how often the lock is refreshed (and, read-only, its holder looked at)


def _draft_commands():
    # The palette's module (textual.command) loads when the palette first opens.
    from .commands import DraftCommands

    return DraftCommands


class TongketApp(App[int]):
    """The drafting app for one `DraftSession`: the session, the plugin host, the key map and
    the app-wide commands (help, palette, files, quitting); the drafting itself is its
    `MainScreen`'s."""

    TITLE = "tongket"
    CSS_PATH = ["main.tcss", "editor.tcss"]
    COMMANDS = {_draft_commands}
    ESCAPE_TO_MINIMIZE = False  # Escape always means "back to the outline"
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (80, "-narrow"), (110, "-wide")]
    BINDINGS = bindings("app")  # see registry.py: every key-bound action, once

    def __init__(
        self,
        session: DraftSession,
        host: PluginHost | None = None,
        *,
        recovery: Path | None = None,
        keymap: dict[str, str] | None = None,
        notices: list[str] | None = None,
        recovery_seconds: float = RECOVERY_SECONDS,
        lock_seconds: float = LOCK_SECONDS,
        cursor_blink: bool = True,
    ) -> None:
        """Without `host`, the plugins the report needs load as the main screen mounts, before
        the first frame (`load_plugins`); the others once the outline is shown."""
        super().__init__()
        screentext.install()  # before the first frame: report text never reaches the tty raw
        install_alt_digits()  # Alt+1 … Alt+4 from tmux and xterm move between the panes
        pasting.install()  # pasted text never acts as keys, ESC in it or not
        self.cursor_blink = cursor_blink
        self.session = session
        self.host = host
        self._own_host = False  # the host was given (tests, a new report): it is used as is
        self.recovery = recovery
        self.user_keymap = keymap or {}
        self.notices = notices or []
        self.recovery_seconds = recovery_seconds
        self.lock_seconds = lock_seconds
        self.ready = False  # plugins loaded, outline built: actions may run
        self.clean_exit = False
        self.main_screen = MainScreen()
        self.safety = CrashSafety(self)
        self.files = FileCommands(self)
        self._was_dirty: tuple[bool, bool, bool] | None = None
        # Toasts shown (until when, message, markup, options), and those waiting for a
        # dialog to close (None: none is open).
        self._shown_toasts: list[tuple[float, str, bool, dict[str, Any]]] = []
        self._held_toasts: list[tuple[str, bool, dict[str, Any]]] | None = None

    def get_default_screen(self) -> Screen:
        return self.main_screen

    def on_mount(self) -> None:
        if self.user_keymap:
            self.set_keymap(self.user_keymap)
        self.update_title()

    def load_plugins(self) -> PluginHost:
        """The plugin host, unless given: now the plugins the report needs (the built-ins, and
        the installed ones only if a section needs them: `PluginHost.for_report`), which is
        what its outline and editors need; the others with `load_other_plugins`."""
        if self.host is None:
            from tongket.core.host.pluginhost import PluginHost

            self.host = PluginHost.for_report(self.session.project)
            self._own_host = True
        if self.session.host is None:
            self.session.host = self.host  # so it can refuse edits of too-new sections
        return self.host

    def load_other_plugins(self) -> None:
        """Every other installed plugin (for "Thêm mục" and new sections), read once the outline
        is on screen and before keys run (reading the installed distributions' entry points
        takes ~20 ms); then the notices and any plugin's loading error are told."""
        host = self.load_plugins()
        if self._own_host and not host.entry_points_loaded:
            host.load_entry_points()
        for notice in self.notices:
            self.notify(notice, severity="warning", timeout=8)
        for info in host.plugins.values():
            if info.error:
                self.notify(f"Plugin {info.name}: {info.error}", severity="warning", timeout=8)

    @on(MainScreen.Ready)
    def _main_screen_ready(self) -> None:
        self.ready = True
        resume_collection()  # paused while the app started (`tongket.core.cli._open_app`)
        self.refresh_bindings()  # `check_action` held every key but quitting until now
        self.set_interval(self.recovery_seconds, self.safety.write_recovery)
        self.set_interval(self.lock_seconds, self.safety.refresh_lock)
        # The report's recovery copy and its parts' (`CrashSafety.offer_recovery` decides).
        self.call_after_refresh(self.safety.offer_recovery, self.recovery)

    def on_unmount(self) -> None:
        self.session.release_lock()

    @property
    def settled(self) -> bool:
        """Plugins loaded, no deferred editor mount or analysis pending, marks up to date
        (tests and scripts driving the app wait for this rather than for a fixed time)."""
        return self.ready and self.main_screen.settled

    @property
    def part(self) -> Part | None:
        """The part the main screen shows."""
        return self.main_screen.part

    @property
    def rendered(self) -> Any:
        """The main screen's last rendering of the report (None before the first)."""
        return self.main_screen.rendered

    async def on_event(self, event: events.Event) -> None:
        # "F8 để hoàn tác" stays until the drafter's next key, whichever widget or binding
        # takes it; a key is seen here once, before any binding runs (a key forwarded to the
        # focused widget comes back marked as forwarded).
        if isinstance(event, events.Key) and not event.is_forwarded:
            self.main_screen.clear_action_hint()
        if isinstance(event, events.Paste) and not event.is_forwarded:
            event = self._pasted(event)
        await super().on_event(event)

    def _pasted(self, event: events.Paste) -> events.Paste:
        """The paste as the focused widget gets it (`pasting.clean_paste`); a one-line field
        gets the lines joined by spaces, and the drafter is told, rather than the first line
        alone (Textual's `Input` drops the others)."""
        from textual.widgets import Input

        text = pasting.clean_paste(event.text)
        if isinstance(self.focused, Input):
            joined, lines = pasting.one_line(text)
            if lines > 1:
                self.notify(f"Đã dán {lines} dòng thành một dòng.")
                text = joined
            else:
                text = text.strip("\n")
        return events.Paste(text)

    # -- keys, help and the palette ----------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        available = self._availability(action)
        if available is not False and not self.ready and action not in actions.BEFORE_READY:
            # Just after the first frame: shown (dimmed) in the footer, so the keys do not
            # jump in once the plugins are loaded; `_main_screen_ready` refreshes them then.
            return None
        return available

    def _availability(self, action: str) -> bool | None:
        """True: runs; None: shown dimmed, does not run; False: hidden, does not run."""
        session = self.session
        if action == "take_over":  # shown only when the holder (report's or part's) seems gone
            return self.safety.can_take_over()
        if action == "save" and session.read_only:
            return None  # shown dimmed: a read-only view saves only under another name
        if action == "merge_status":  # only a consolidated report (`tongket merge`) has one
            return True if session.project.consolidation and session.path else None
        return True

    def action_help_quit(self) -> None:
        # Ctrl+C copies in a text field; elsewhere say how to quit (Textual says it in English).
        self.notify(f"Nhấn {self.key_label('quit')} để thoát tongket.")

    def action_help(self) -> None:
        """F1: what the focused area is for (asked of the focused widget, see
        `registry.HelpSource`), the field's own help, and the keys that work now."""
        from .dialogs import HelpScreen
        from .form import FormEditor
        from .registry import help_of

        focused = self.focused
        area, text = help_of(focused)
        if isinstance(focused, FormEditor) or (focused and focused.parent):
            field_help = actions.field_help(focused)
            if field_help:
                text = f"{field_help}\n\n{text}"
        self.push_screen(HelpScreen(area, text, actions.key_list(self)))

    # -- files (`FileCommands`) -----------------------------------------------------------

    def action_save(self) -> None:
        """F2: save to the draft's file (asking where when it has none)."""
        after_typing(self, self.files.save)

    def action_save_as(self) -> None:
        """F4: save under another name."""
        after_typing(self, self.files.save_as)

    def action_open(self) -> None:
        """F3: open another report, after saving or dropping unsaved changes."""
        after_typing(self, self.files.open)

    async def action_quit(self) -> None:
        """F10: quit, asking first when typing or changes would be lost."""
        quitting = after_typing(self, self.files.quit)
        if quitting is not None:
            await quitting

    def action_take_over(self) -> None:
        """Take over a lock that looks abandoned (see `CrashSafety.take_over`)."""
        self.safety.take_over()

    def action_plugins(self) -> None:
        """The installed plugins, as `tongket plugins` lists them (F11, or p on the outline)."""
        from .dialogs import PluginsScreen

        self.push_screen(PluginsScreen(self.host.listing()))

    def action_merge_status(self) -> None:
        """Ctrl+T (or s on the outline): who replied to a consolidated report's outline."""
        from .merge_status import MergeStatusScreen

        if not self._availability("merge_status"):
            self.notify(
                "Chỉ báo cáo tổng hợp (lập bằng lệnh tongket merge) mới có tình hình báo cáo."
            )
            return
        folder = self.session.path.parent
        self.push_screen(MergeStatusScreen(self.session.project, folder, self.host))

    def action_compare_versions(self) -> None:
        """d on the outline: the draft against an earlier version, as a Word file with the
        changes tracked (`tongket diff`)."""
        from .compare import VersionComparison

        VersionComparison(self).start()

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if not CommandPalette.is_open(self):
            placeholder = "Tìm lệnh: gõ vài chữ, ví dụ lưu, xuất, thêm mục, media…"
            self.push_screen(CommandPalette(id="--command-palette", placeholder=placeholder))

    def palette_commands(self) -> Iterator[tuple[str, str, Any]]:
        """(name, help, callback) for the command palette (see `actions.palette_entries`)."""
        return actions.palette_entries(self)

    def key_label(self, binding_id: str) -> str:
        """The key that runs `binding_id` now, as the footer shows it ("F2"); "" if none."""
        return actions.key_label(self, binding_id)

    def notify(self, message: str, *, markup: bool = False, **options: Any) -> None:
        """A notification; its text is shown as written (file names, headings, errors quote
        report text, and "[/]" in it must not be read as markup).

        While a dialog is open it waits, and shows once the dialog closes: at 80×24 a toast
        would cover the dialog's text and buttons (`hold_toasts`)."""
        if self._held_toasts is not None or _dialog_on_top(self):
            self._held_toasts = self._held_toasts or []
            self._held_toasts.append((message, markup, options))
            return
        super().notify(message, markup=markup, **options)
        now = monotonic()
        timeout = options.get("timeout") or self.NOTIFICATION_TIMEOUT
        self._shown_toasts = [toast for toast in self._shown_toasts if toast[0] > now]
        self._shown_toasts.append((now + timeout, message, markup, options))

    def hold_toasts(self) -> None:
        """A dialog opened over the main screen: the toasts still showing leave it, and come
        back with those raised meanwhile once it closes (`show_held_toasts`)."""
        now = monotonic()
        showing = [toast[1:] for toast in self._shown_toasts if toast[0] > now]
        self._shown_toasts = []
        self._held_toasts = [*showing, *(self._held_toasts or [])]
        if showing:
            self.clear_notifications()

    def show_held_toasts(self) -> None:
        """The main screen is on top again: show the toasts that waited, in order."""
        held, self._held_toasts = self._held_toasts or [], None
        for message, markup, options in held:
            self.notify(message, markup=markup, **options)

    def get_key_display(self, binding: Binding) -> str:
        # "F2" reads better than "f2" in the footer and the help.
        if binding.key == "enter" and not binding.key_display:
            return "Enter"  # the word on the key, rather than Textual's "⏎"
        display = super().get_key_display(binding)
        if display[:1] == "f" and display[1:].isdigit():
            return display.upper()
        words = {"alt": "Alt", "shift": "Shift", "tab": "Tab", "esc": "Esc"}
        return "+".join(words.get(part, part) for part in display.split("+"))

    # -- the title -----------------------------------------------------------------------

    def update_title(self, *, force: bool = False) -> None:
        """The report's name, "* " when it has unsaved changes, and its state below (`force`:
        even when those did not change, e.g. after another file was opened)."""
        # A file named on the command line that does not exist yet has no fingerprint until
        # its first save: not "đã lưu".
        saved = self.session.path is not None and self.session.fingerprint is not None
        state = (self.session.dirty, self.session.read_only, saved)
        if state == self._was_dirty and self.sub_title and not force:
            return
        self._was_dirty = state
        mark = "* " if self.session.dirty else ""
        self.title = f"{mark}{self.session.display_name}"
        if self.session.read_only:
            self.sub_title = f"CHỈ XEM — {self.session.locked_by.short}"
        elif self.session.dirty:
            self.sub_title = "có thay đổi chưa lưu"
        else:
            self.sub_title = "đã lưu" if saved else "chưa lưu vào tệp"


def _dialog_on_top(app: App) -> bool:
    """Whether a dialog (any modal screen: the palette too) has the screen now."""
    from textual.app import ScreenStackError
    from textual.screen import ModalScreen

    try:
        return isinstance(app.screen, ModalScreen)
    except ScreenStackError:  # no screen yet, or the app is closing: nothing to cover
        return False


def _sample_project():
    from importlib import resources  # only for the sample (about 3 ms of start-up)

    return store.load(str(resources.files("tongket.sample_data") / SAMPLE))


def _session_for(path: str | None, new_kind: str | None, host: PluginHost | None) -> DraftSession:
    # Opening a file locks it; someone else's lock opens it read-only (see safety.CrashSafety).
    if new_kind is not None:
        return DraftSession(new_project(new_kind, host), path, host=host, locking=True)
    if path is None:
        return DraftSession(_sample_project(), locking=True)
    if not Path(path).exists():
        return DraftSession(new_project("cong-van", host), path, host=host, locking=True)
    return DraftSession.open(path, lock=True)


def run(path: str | None, *, new_kind: str | None = None) -> int:
    """Open the app on `path` (the bundled sample as an unsaved draft when None)."""
    host = None
    if new_kind is not None or (path is not None and not Path(path).exists()):
        from tongket.core.host.pluginhost import PluginHost

        host = PluginHost.default()  # a new report takes each section's defaults from its plugin
    try:
        session = _session_for(path, new_kind, host)
    except ReportFileError as error:
        print(str(error), file=sys.stderr)
        return 2
    keymap, notices = {}, []
    if keymap_path().is_file():
        keymap, notices = load_keymap(known=set(KNOWN_IDS))
    recovery = find_recovery(path)
    app = TongketApp(session, host, recovery=recovery, keymap=keymap, notices=notices)
    install_exit_handlers(app)
    try:
        code = app.run()
    finally:
        if not app.clean_exit:
            save_recovery_on_exit(app)
        session.release_lock()
    return code if isinstance(code, int) else 0


__all__ = ["TongketApp", "run"]
