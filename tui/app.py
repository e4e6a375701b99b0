"""tongket's terminal app: outline, generated editor, live preview and problems, keyboard only.

`run()` is what the `tongket` command calls. The app edits the report only through
`tongket.core.report.session.DraftSession` and writes files only through
`tongket.core.report.store` (and the DOCX writer, in a worker thread, for exports).
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Header, ProgressBar, Static

from tongket.core.problems import Problem, ReportFileError
from tongket.core.report import store
from tongket.core.report.session import DraftSession, find_recovery, new_project

from . import screentext
from .actions import DraftActions
from .custom import PluginEditors
from .debounce import Debounce
from .fields import Part, form_spec, part_of_path
from .files import FileActions
from .footer import KeyFooter
from .form import EditorPane, FormEditor
from .keymap import install_alt_digits, keymap_path, load_keymap
from .outline import Outline, part_label, part_marks
from .preview import Preview, particulars_lines
from .problems import ProblemsList
from .registry import KNOWN_IDS, bindings
from .safety import SafetyActions, install_exit_handlers, save_recovery_on_exit

if TYPE_CHECKING:
    from tongket.core.host.pluginhost import PluginHost

SAMPLE = "quang-ngai-sct-2021.toml"
RECOVERY_SECONDS = 30.0
LOCK_SECONDS = 30.0  # how often the lock is refreshed (and, read-only, its holder looked at)
ANALYSIS_DELAY = 0.25  # seconds of quiet typing before the preview and problems refresh
MOUNT_DELAY = 0.12  # moving through the outline quickly mounts only where it stops


def _draft_commands():
    # The palette's module (textual.command) loads when the palette first opens.
    from .commands import DraftCommands

    return DraftCommands


class TongketApp(SafetyActions, PluginEditors, DraftActions, FileActions, App[int]):
    """The drafting app for one `DraftSession`."""

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
        """Without `host`, the plugins load just after the first frame (see `_start`)."""
        super().__init__()
        screentext.install()  # before the first frame: report text never reaches the tty raw
        install_alt_digits()  # Alt+1 … Alt+4 from tmux and xterm move between the panes
        self.cursor_blink = cursor_blink
        self.session = session
        self.host = host
        self.recovery = recovery
        self.user_keymap = keymap or {}
        self.notices = notices or []
        self.recovery_seconds = recovery_seconds
        self.lock_seconds = lock_seconds
        self.ready = False  # plugins loaded, outline built: actions may run
        self.rendered = None
        self.problems: list[Problem] = []
        self.marks: dict[Part, str] = {}
        self.part: Part | None = None
        self.clean_exit = False
        self._analysed_revision = -1
        self._analysis_later = Debounce(self, ANALYSIS_DELAY, self.analyse)
        self._mount_later = Debounce(self, MOUNT_DELAY, self._show_highlighted)
        self._undo_state = (False, False)
        self._followed: tuple = ((), "", -1)  # field path, paragraph, position the preview shows
        self._was_dirty = None
        self._editor_factories: dict[str, tuple[Any, str]] = {}  # type id → (factory, error)

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield Static("", id="banner")  # who holds the file, when this view is read-only
        with Horizontal(id="main"):
            with Vertical(id="left"):
                outline = Outline(id="outline")
                outline.border_title = "Dàn ý"
                yield outline
                problems = ProblemsList(id="problems")
                problems.border_title = "Vấn đề"
                yield problems
            with Horizontal(id="work"):
                editor = EditorPane(id="editor")
                editor.border_title = "Soạn"
                yield editor
                preview = Preview(id="preview")
                preview.border_title = "Xem trước"
                yield preview
        with Horizontal(id="export-bar"):
            yield Static("", id="export-label")
            yield ProgressBar(total=3, show_eta=False, id="export-progress")
        yield Static("", id="action-hint", markup=False)  # e.g. how to undo a deletion
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        if self.user_keymap:
            self.set_keymap(self.user_keymap)
        self.update_title()
        self.update_banner()
        self.query_one(Outline).focus()  # now, so focus does not change again once filled
        # The first frame is the empty frame: plugins, outline and editor come right after it.
        self.set_timer(0.001, self._start)

    async def _start(self) -> None:
        if self.host is None:
            from tongket.core.host.pluginhost import PluginHost

            self.host = PluginHost.default()
        if self.session.host is None:
            self.session.host = self.host  # so it can refuse edits of too-new sections
        for notice in self.notices:
            self.notify(notice, severity="warning", timeout=8)
        for info in self.host.plugins.values():
            if info.error:
                self.notify(f"Plugin {info.name}: {info.error}", severity="warning", timeout=8)
        outline = self.query_one(Outline)
        outline.build(self.session.project, self.host.section_types, self.marks)

        async def show_editor() -> None:
            self.ready = True
            self.refresh_bindings()  # `check_action` held every key but quitting until now
            await self.show_part(outline.current)
            # Marks, problems and the preview follow once the outline and editor are shown.
            self.set_timer(ANALYSIS_DELAY / 5, self.analyse)
            self.set_interval(self.recovery_seconds, self.write_recovery)
            self.set_interval(self.lock_seconds, self.refresh_lock)
            if self.recovery is not None and not self.session.read_only:
                self.call_after_refresh(self.offer_recovery, self.recovery)

        # The outline is painted before the editor is mounted (mounting it took the frame
        # after the build); keys still wait for both (`ready`). `call_later` so the mount
        # runs on the app's queue, not in the screen's after-refresh callbacks.
        self.call_after_refresh(self.call_later, show_editor)

    def on_unmount(self) -> None:
        self.session.release_lock()

    @property
    def settled(self) -> bool:
        """Plugins loaded, no deferred editor mount or analysis pending, marks up to date
        (tests and scripts driving the app wait for this rather than for a fixed time)."""
        return (
            self.ready
            and self._mount_later.timer is None
            and self._analysis_later.timer is None
            and self._analysed_revision == self.session.revision
        )

    async def on_event(self, event: events.Event) -> None:
        # "F8 để hoàn tác" stays until the drafter's next key, whichever widget or binding
        # takes it; a key is seen here once, before any binding runs (a key forwarded to the
        # focused widget comes back marked as forwarded).
        if isinstance(event, events.Key) and not event.is_forwarded:
            self.clear_action_hint()
        await super().on_event(event)

    def action_help_quit(self) -> None:
        # Ctrl+C copies in a text field; elsewhere say how to quit (Textual says it in English).
        self.notify(f"Nhấn {self.key_label('quit')} để thoát tongket.")

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if not CommandPalette.is_open(self):
            placeholder = "Tìm lệnh: gõ vài chữ, ví dụ lưu, xuất, thêm mục, media…"
            self.push_screen(CommandPalette(id="--command-palette", placeholder=placeholder))

    def notify(self, message: str, *, markup: bool = False, **options: Any) -> None:
        """A notification; its text is shown as written (file names, headings, errors quote
        report text, and "[/]" in it must not be read as markup)."""
        super().notify(message, markup=markup, **options)

    def get_key_display(self, binding: Binding) -> str:
        # "F2" reads better than "f2" in the footer and the help.
        if binding.key == "enter" and not binding.key_display:
            return "Enter"  # the word on the key, rather than Textual's "⏎"
        display = super().get_key_display(binding)
        if display[:1] == "f" and display[1:].isdigit():
            return display.upper()
        words = {"alt": "Alt", "shift": "Shift", "tab": "Tab", "esc": "Esc"}
        return "+".join(words.get(part, part) for part in display.split("+"))

    # -- state shown in the chrome -----------------------------------------------------

    def update_title(self) -> None:
        dirty = (self.session.dirty, self.session.read_only)
        if dirty == self._was_dirty and self.sub_title:
            return
        self._was_dirty = dirty
        dirty = self.session.dirty
        mark = "* " if dirty else ""
        self.title = f"{mark}{self.session.display_name}"
        if self.session.read_only:
            self.sub_title = f"CHỈ XEM — {self.session.locked_by.short}"
        elif dirty:
            self.sub_title = "có thay đổi chưa lưu"
        else:
            self.sub_title = "chưa lưu vào tệp" if self.session.path is None else "đã lưu"

    def changed(self, path: tuple = ()) -> None:
        """Called after every edit: title, key availability, and a deferred re-analysis."""
        self.clear_action_hint()  # typing is the next action too
        self.update_title()
        self.tell_about_comments()  # the first change: saving will not keep `#` comments
        state = (self.session.can_undo, self.session.can_redo)
        if state != self._undo_state:
            self._undo_state = state
            self.refresh_bindings()
        self._analysis_later.poke()

    # -- analysis: render, validate, check -----------------------------------------------

    def analyse(self) -> None:
        """Render and check the whole report; refresh marks, preview and problems."""
        if not self.is_running:  # a deferred call arriving while the app shuts down
            return
        from tongket.core.checks import check_project
        from tongket.core.render.document import render_document
        from tongket.core.writers.images import ImageFolders

        editor = self.query_one(EditorPane)
        if (
            self._analysed_revision == self.session.revision
            and self.rendered is not None
            and not editor.unparsed_changed  # typed text started or stopped parsing
        ):
            return
        try:
            self.rendered = render_document(self.session.project, self.host)
            self.problems = check_project(
                self.rendered,
                section_types=self.host.section_types,
                images=ImageFolders.for_report(self.session.path),
            )
        except Exception as error:  # a bug must not close the app with the draft unsaved
            self.notify(f"Lỗi khi dựng văn bản: {type(error).__name__}: {error}", severity="error")
            return
        self._analysed_revision = self.session.revision
        self.problems = [*editor.unparsed_problems(), *self.problems]  # typed, not saved
        self.marks = part_marks(self.problems)
        self.query_one(Outline).update_marks(
            self.session.project, self.host.section_types, self.marks
        )
        types = self.host.section_types
        self.query_one(ProblemsList).show(self.problems, self.session.project, types)
        self.refresh_preview()

    def refresh_preview(self) -> None:
        """Show the selected part; a section with validation errors lists them (in the form's
        words) above its last good preview; the paragraph being edited is scrolled into view."""
        previews = self.query(Preview)
        if not previews:  # a deferred call arriving while the app closes its screen
            return
        preview = previews.first()
        part = self.part
        if part is None:
            preview.show("", "")
        elif not part.is_section:
            text = "\n".join(particulars_lines(part.key, self.session.project.document))
            preview.show(text, text)
        elif self.rendered is not None and part.index < len(self.rendered.sections):
            from .form import FieldText
            from .preview import paragraph_at, validation_errors
            from .problems import display_message, problem_place

            preview.remember(self.rendered)
            result = self.rendered.sections[part.index]
            project, types = self.session.project, self.host.section_types
            errors = []
            for problem in validation_errors(result):
                place = problem_place(problem, project, types, head="none")
                message = display_message(problem.message)
                errors.append(f"{place}: {message}" if place else message)
            preview.show_section(result, errors)
            focused = self.focused
            path = getattr(focused, "field_path", ())
            if isinstance(focused, FieldText) and tuple(path[:2]) == ("sections", part.index):
                self._followed = (path, *paragraph_at(focused.text, focused.cursor_location[0]))
                preview.follow(*self._followed[1:])

    def on_text_area_selection_changed(self, event: Any) -> None:
        """Moving the cursor into another paragraph of a prose field scrolls the preview to it
        (edits do the same through `refresh_preview`)."""
        from .form import FieldText
        from .preview import paragraph_at

        field = event.text_area
        part = self.part
        path = tuple(getattr(field, "field_path", ()))
        if not isinstance(field, FieldText) or part is None or not part.is_section:
            return
        if path[:2] != ("sections", part.index) or self.rendered is None:
            return
        paragraph, position = paragraph_at(field.text, event.selection.end[0])
        followed = self._followed
        if followed[0] == path and followed[2] == position:
            return  # same paragraph: typing and moving within it leave the preview alone
        self._followed = (path, paragraph, position)
        self.query_one(Preview).follow(paragraph, position)

    # -- the selected part ---------------------------------------------------------------

    def on_option_list_option_highlighted(self, event: Outline.OptionHighlighted) -> None:
        if not isinstance(event.option_list, Outline):
            return
        part = event.option_list.current
        if part == self.part:
            return
        self._mount_later.poke()

    async def _show_highlighted(self) -> None:
        await self.show_part(self.query_one(Outline).current)

    def on_option_list_option_selected(self, event: Outline.OptionSelected) -> None:
        if isinstance(event.option_list, ProblemsList):
            index = event.option_index
            if 0 <= index < len(event.option_list.problems):
                self.call_later(self.goto_problem, event.option_list.problems[index])

    async def show_part(self, part: Part | None, *, force: bool = False) -> None:
        """Mount the editor of `part` (only the selected part's editor exists)."""
        if not self.is_running:  # a deferred call arriving while the app shuts down
            return
        self._mount_later.cancel()
        if part is None or (part == self.part and not force):
            return
        self.part = part
        project = self.session.project
        types = self.host.section_types
        notice, custom = "", None
        read_only = self.session.refusal(("document",))  # someone else holds the file
        if part.is_section:
            section = project.sections[part.index]
            read_only = self.session.refusal(("sections", part.index, "data"))
            if section.type not in types:
                notice = (
                    f"! {self.host.missing_type_message(section.type)}. Dữ liệu của mục được "
                    "giữ nguyên khi lưu."
                )
            elif read_only and not self.session.read_only:  # written by a newer plugin
                notice = f"! Chỉ xem: {read_only}. Dữ liệu của mục được giữ nguyên khi lưu."
            else:
                custom, error = self._plugin_editor(part.index)
                if error:
                    notice = f"! {error} — dùng biểu mẫu tự sinh."
        spec = form_spec(part, project, types, data_fields=custom is None)
        form = FormEditor(
            self.session, spec, self.changed, self.open_cell_editor,
            notice=notice, read_only=read_only or "", custom=custom,
        )  # fmt: skip
        editor = self.query_one(EditorPane)
        label, _ = part_label(part, project, types)
        editor.border_title = Content(f"Soạn: {label}")  # a heading is text, not markup
        await editor.show(form)
        self.refresh_preview()

    async def action_edit_part(self) -> None:
        """Enter on the outline: open the highlighted part's editor and focus it."""
        outline = self.query_one(Outline)
        await self.show_part(outline.current)
        form = self.query_one(EditorPane).form
        if form is not None:
            form.focus_first()

    def action_focus_outline(self) -> None:
        self.query_one(Outline).focus()

    async def goto_problem(self, problem: Problem) -> None:
        """Select the part at fault and put the cursor in the field the problem names."""
        part = part_of_path(problem.path)
        if part is None:
            return
        outline = self.query_one(Outline)
        outline.select_part(part)
        await self.show_part(part)
        form = self.query_one(EditorPane).form
        if form is not None:
            form.focus_path(problem.path)


def _sample_project():
    return store.load(str(resources.files("tongket.sample_data") / SAMPLE))


def _session_for(path: str | None, new_kind: str | None, host: PluginHost | None) -> DraftSession:
    # Opening a file locks it; someone else's lock opens it read-only (see SafetyActions).
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
