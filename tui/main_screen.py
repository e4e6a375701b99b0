"""The main screen: outline, problems, editor, preview and footer, and the drafting actions
that act on what it shows (sections, undo/redo, panes, check, export).

The app (`tui/app.py`) holds what is app-wide: the session, the plugin host, whether the app
is ready, the key map, the files and the lock. The screen reads them from `self.app`; the
widgets tell the screen about edits by messages (`FieldChanged`, `EditRefused`) and it
re-analyses the report, redraws the outline marks, the preview and the problems.
"""

from __future__ import annotations

import copy
import functools
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from tongket.core.problems import Problem
from tongket.core.report.tableread import normalize_text

from .custom import plugin_editor
from .debounce import Debounce
from .export_bar import ExportBar
from .fields import Part, form_spec, part_of_path
from .footer import KeyFooter
from .form import EditorPane, FieldInput, FieldText, FormEditor, after_typing
from .messages import EditRefused, FieldChanged, sentence
from .outline import Outline, part_label, part_marks
from .preview import Preview, particulars_lines
from .problems import ProblemsList
from .registry import EDITING_ACTIONS, PANES

if TYPE_CHECKING:
    from .app import TongketApp

ANALYSIS_DELAY = 0.25  # seconds of quiet typing before the preview and problems refresh
MOUNT_DELAY = 0.12  # moving through the outline quickly mounts only where it stops


class MainScreen(Screen[None]):
    """The drafting screen of one report (the app's default screen)."""

    app: TongketApp  # the app this screen belongs to (for type checkers; Textual sets it)

    class Ready(Message):
        """The plugins are loaded and the outline is built: keys may run now."""

    def __init__(self) -> None:
        super().__init__()
        self.rendered = None
        self.problems: list[Problem] = []
        self.marks: dict[Part, str] = {}
        self.part: Part | None = None
        self._analysed_revision = -1
        self._analysis_later = Debounce(self, ANALYSIS_DELAY, self.analyse)
        self._mount_later = Debounce(self, MOUNT_DELAY, self._show_highlighted)
        self._undo_state = (False, False)
        self._followed: tuple = ((), "", -1)  # field path, paragraph, position the preview shows
        self._editor_factories: dict[str, tuple[Any, str]] = {}  # type id → (factory, error)
        self._action_hint_shown = False
        self._banner_read_only = False

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
        yield ExportBar(id="export-bar")
        yield Static("", id="action-hint", markup=False)  # e.g. how to undo a deletion
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.update_banner()
        self.query_one(Outline).focus()  # now, so focus does not change again once filled
        # The outline is filled before the first frame: an empty frame first cost a whole
        # extra paint (about 50 ms at 1.000 sections) before the drafter saw the report.
        self._start()

    def on_screen_suspend(self) -> None:
        self.app.hold_toasts()  # a dialog opened: toasts would cover it

    def on_screen_resume(self) -> None:
        self.app.show_held_toasts()

    def _start(self) -> None:
        host = self.app.load_plugins()
        outline = self.query_one(Outline)
        outline.build(self.app.session.project, host.section_types, self.marks)

        async def show_editor() -> None:
            self.app.load_other_plugins()  # with the outline on screen, before keys run
            self.post_message(self.Ready())  # the app lets keys run and starts its timers
            await self.show_part(outline.current)
            # Marks, problems and the preview follow once the outline and editor are shown.
            self.set_timer(ANALYSIS_DELAY / 5, self.analyse)

        # The outline is painted before the editor is mounted (mounting it took the frame
        # after the build); keys still wait for both (`TongketApp.ready`). `call_later` so
        # the mount runs on the screen's queue, not in the after-refresh callbacks.
        self.app.call_after_refresh(self.call_later, show_editor)

    @property
    def settled(self) -> bool:
        """No deferred editor mount or analysis pending, marks up to date."""
        return (
            self._mount_later.timer is None
            and self._analysis_later.timer is None
            and self._analysed_revision == self.app.session.revision
        )

    # -- key availability ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        available = self._availability(action, parameters)
        if available is not False and not self.app.ready:
            # Just after the first frame: shown (dimmed) in the footer, so the keys do not
            # jump in once the plugins are loaded; the app refreshes the bindings then.
            return None
        return available

    def _availability(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """True: runs; None: shown dimmed, does not run; False: hidden, does not run."""
        session = self.app.session
        if action == "pane_key":  # a plain digit: the editor's fields and grids keep theirs
            return not self.focus_in_editor()
        if action in EDITING_ACTIONS and session.read_only:
            return False
        part = self.part
        if action in ("delete_section", "move_section"):
            if part is None or not part.is_section:
                return None
            if action == "move_section":
                last = len(session.project.sections) - 1
                if (parameters[0] == -1 and part.index == 0) or (
                    parameters[0] == 1 and part.index >= last
                ):
                    return None
        if action == "undo" and not session.can_undo and not self._typed_held():
            return None
        if action == "redo" and not session.can_redo:
            return None
        return True

    def _typed_held(self) -> bool:
        """Whether undo may have typing to take back: some field holds text that does not
        parse, or the cursor is in a field (keys typed just before undo may not be in yet:
        undo waits for them, `after_typing`)."""
        if isinstance(self.focused, FieldInput | FieldText):
            return True
        editors = self.query(EditorPane)
        return bool(editors and editors.first().inputs.texts)

    # -- state shown in the chrome -----------------------------------------------------

    def changed(self, path: tuple = ()) -> None:
        """Called after every edit: title, key availability, and a deferred re-analysis."""
        app = self.app
        self.clear_action_hint()  # typing is the next action too
        app.update_title()
        self.update_editor_title()  # an edited heading or opening names the part anew
        app.files.tell_about_comments()  # the first change: saving will not keep `#` comments
        state = (app.session.can_undo or self._typed_held(), app.session.can_redo)
        if state != self._undo_state:
            self._undo_state = state
            self.refresh_bindings()
        self._analysis_later.poke()

    def update_editor_title(self) -> None:
        """Name the part being edited on the editor's border, as the outline names it."""
        if self.part is None:
            return
        project = self.app.session.project
        if self.part.is_section and self.part.index >= len(project.sections):
            return  # the section is gone: the outline is being rebuilt around another part
        label, _ = part_label(self.part, project, self.app.host.section_types)
        title = Content(f"Soạn: {label}")  # a heading is text, not markup
        editor = self.query_one(EditorPane)
        if editor.border_title != title:
            editor.border_title = title

    def update_banner(self) -> None:
        """Show (or hide) who holds the file, and the title's read-only mark."""
        from rich.text import Text

        from .safety import lock_banner

        session = self.app.session
        banner = self.query_one("#banner", Static)
        text = lock_banner(session)
        banner.update(Text(text))  # names from a lock file are shown as typed, never as markup
        banner.display = bool(text)
        self.app.update_title()
        if session.read_only != self._banner_read_only:
            self._banner_read_only = session.read_only
            self.refresh_bindings()  # save is dimmed in a read-only view; take-over offered
            if self.part is not None:  # the editor's fields become (or stop being) read-only
                self.call_later(self.show_part, self.part, force=True)
        elif session.read_only:
            self.refresh_bindings()  # the holder's lock may have become stale: "t" appears

    @on(FieldChanged)
    def _field_changed(self, message: FieldChanged) -> None:
        self.changed(message.path)

    @on(EditRefused)
    def _edit_refused(self, message: EditRefused) -> None:
        message.stop()
        self.app.safety.refuse_edit(message.reason)

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
        if not self._action_hint_shown:
            return
        self._action_hint_shown = False
        for hint in self.query("#action-hint"):
            hint.display = False

    # -- analysis: render, validate, check -----------------------------------------------

    def analyse(self) -> None:
        """Render and check the whole report; refresh marks, preview and problems."""
        if not self.is_running:  # a deferred call arriving while the app shuts down
            return
        from tongket.core.checks import check_project
        from tongket.core.render.document import render_document
        from tongket.core.writers.images import ImageFolders

        session, host = self.app.session, self.app.host
        editor = self.query_one(EditorPane)
        if (
            self._analysed_revision == session.revision
            and self.rendered is not None
            and not editor.unparsed_changed  # typed text started or stopped parsing
        ):
            return
        try:
            self.rendered = render_document(session.project, host)
            self.problems = check_project(
                self.rendered,
                section_types=host.section_types,
                images=ImageFolders.for_report(session.path),
            )
        except Exception as error:  # a bug must not close the app with the draft unsaved
            self.app.notify(
                f"Lỗi khi dựng văn bản: {type(error).__name__}: {error}", severity="error"
            )
            return
        self._analysed_revision = session.revision
        self.problems = [*editor.unparsed_problems(), *self.problems]  # typed, not saved
        self.marks = part_marks(self.problems)
        self.query_one(Outline).update_marks(session.project, host.section_types, self.marks)
        self.query_one(ProblemsList).show(self.problems, session.project, host.section_types)
        self.refresh_preview()

    def refresh_preview(self) -> None:
        """Show the selected part; a section with validation errors lists them (in the form's
        words) above its last good preview; the paragraph being edited is scrolled into view."""
        previews = self.query(Preview)
        if not previews or not self.is_running:  # a deferred call while the app closes
            return
        preview = previews.first()
        part = self.part
        project = self.app.session.project
        if part is None:
            preview.show("", "")
        elif not part.is_section:
            text = "\n".join(particulars_lines(part.key, project.document))
            preview.show(text, text)
        elif self.rendered is not None and part.index < len(self.rendered.sections):
            from .form import FieldText
            from .preview import paragraph_at, validation_errors
            from .problems import display_message, problem_place

            preview.remember(self.rendered)
            result = self.rendered.sections[part.index]
            types = self.app.host.section_types
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

    @on(Outline.OptionHighlighted, "#outline")
    def _outline_moved(self, event: Outline.OptionHighlighted) -> None:
        if event.option_list.current != self.part:  # type: ignore[attr-defined]
            self._mount_later.poke()

    async def _show_highlighted(self) -> None:
        await self.show_part(self.query_one(Outline).current)

    @on(ProblemsList.OptionSelected, "#problems")
    def _problem_chosen(self, event: ProblemsList.OptionSelected) -> None:
        problems = event.option_list.problems  # type: ignore[attr-defined]
        if 0 <= event.option_index < len(problems):
            self.call_later(self.goto_problem, problems[event.option_index])

    async def show_part(self, part: Part | None, *, force: bool = False) -> None:
        """Mount the editor of `part` (only the selected part's editor exists)."""
        if not self.is_running:  # a deferred call arriving while the app shuts down
            return
        self._mount_later.cancel()
        if part is None or (part == self.part and not force):
            return
        self.part = part
        session, host = self.app.session, self.app.host
        project = session.project
        types = host.section_types
        notice, custom = "", None
        read_only = session.refusal(("document",))  # someone else holds the file
        if part.is_section:
            section = project.sections[part.index]
            read_only = session.refusal(("sections", part.index, "data"))
            if section.type not in types:
                notice = (
                    f"! {sentence(host.missing_type_message(section.type))} Dữ liệu của mục "
                    "được giữ nguyên khi lưu."
                )
            elif section.include and (holder := session.section_holder(part.index)):
                who = holder.holder.describe()  # someone else holds the section's own file
                notice = f"! Chỉ xem: mục ở tệp {section.include} đang do {who} sửa."
                if holder.stale:  # abandoned: t takes the part over (`CrashSafety.take_over`)
                    key = self.app.key_label("take_over")
                    notice += f" Khóa có vẻ đã bỏ dở ({holder.stale}): nhấn {key} để tiếp quản."
            elif read_only and not session.read_only:  # written by a newer plugin
                notice = (
                    f"! Chỉ xem: {sentence(read_only)} Dữ liệu của mục được giữ nguyên khi lưu."
                )
            else:
                custom, error = plugin_editor(
                    host,
                    section,
                    self._editor_factories,
                    on_change=functools.partial(self._plugin_editor_changed, part.index),
                    read_only=session.read_only,
                )
                if error:
                    notice = f"! {error} — dùng biểu mẫu tự sinh."
        spec = form_spec(part, project, types, data_fields=custom is None)
        guidance = project.sections[part.index].guidance if part.is_section else ""
        form = FormEditor(
            session,
            spec,
            notice=notice,
            read_only=read_only or "",
            custom=custom,
            guidance=guidance,
        )
        editor = self.query_one(EditorPane)
        self.update_editor_title()
        await editor.show(form)
        self.refresh_preview()
        self.app.refresh_bindings()  # t (take over) follows the selected section's part

    def _plugin_editor_changed(self, index: int, data: Any) -> None:
        """A plugin's editor widget gave section `index` new data (its `on_change`)."""
        from tongket.core.report.session import ReadOnlyError

        path = ("sections", index, "data")
        if not isinstance(data, dict):
            self.app.notify(
                f"Plugin trả về dữ liệu không phải một bảng ({type(data).__name__}); bỏ qua.",
                severity="error",
            )
            return
        try:
            changed = self.app.session.set_value(
                path, normalize_text(copy.deepcopy(data)), label="sửa mục", typing=True
            )
        except ReadOnlyError as error:
            self.app.safety.refuse_edit(error.message)
            self.call_later(self.show_part, self.part, force=True)
            return
        if changed:
            self.changed(path)

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

    # -- sections ----------------------------------------------------------------------

    def action_add_section(self, type_id: str = "") -> None:
        """Add a section after the selected one; without a type, ask which."""
        if self.app.safety.refused(("sections",)):
            return
        if not type_id:
            from .dialogs import SectionTypeScreen

            self.app.push_screen(
                SectionTypeScreen(self.app.host.section_types), self._add_section_of
            )
            return
        self._add_section_of(type_id)

    def _add_section_of(self, type_id: str | None) -> None:
        if not type_id or self.app.safety.refused(("sections",)):
            return
        host = self.app.host
        after = self.part.index if self.part is not None and self.part.is_section else None
        index = self.app.session.add_section(host, type_id, after)
        self.after_structure_change(Part("section", index), focus_editor=True)
        self.app.notify(f"Đã thêm mục: {host.section_types[type_id].title}")

    def action_delete_section(self) -> None:
        if self.part is None or not self.part.is_section or self.app.safety.refused(("sections",)):
            return
        session = self.app.session
        index = self.part.index
        removed = session.delete_section(index)
        remaining = len(session.project.sections)
        keep = Part("section", min(index, remaining - 1)) if remaining else Part("header")
        self.after_structure_change(keep)
        # Not a notification that fades: the way back stays in view until the next action.
        undo = self.app.key_label("undo")
        # `sentence`: a label such as "2.3." has its stop already.
        self.show_action_hint(f"{sentence(f'Đã xóa mục {removed.label}')} {undo} để hoàn tác.")

    def action_move_section(self, offset: int) -> None:
        if self.part is None or not self.part.is_section or self.app.safety.refused(("sections",)):
            return
        target = self.app.session.move_section(self.part.index, offset)
        self.after_structure_change(Part("section", target))

    def after_structure_change(self, keep: Part | None, *, focus_editor: bool = False) -> None:
        """Rebuild the outline and the editor after sections were added, removed or moved
        (or the report was replaced: reloaded, restored, another file opened)."""
        outline = self.query_one(Outline)
        outline.build(self.app.session.project, self.app.host.section_types, self.marks, keep)
        self.part = None

        async def remount() -> None:
            await self.show_part(outline.current, force=True)
            form = self.query_one(EditorPane).form
            if focus_editor and form is not None:
                form.focus_first()

        self.call_later(remount)
        self.changed()

    def report_replaced(self, keep: Part | None) -> None:
        """The session's report was read again (reload, restore, take-over, another file):
        forget the last analysis and show it afresh."""
        self.rendered = None
        self.after_structure_change(keep)

    # -- undo / redo -------------------------------------------------------------------

    def action_undo(self) -> None:
        after_typing(self.app, self._undo)

    def action_redo(self) -> None:
        after_typing(self.app, self._redo)

    def _undo(self) -> None:
        """Take back the last change: first text typed into the focused field that does not
        parse (it never reached the report, so the report keeps its value), then the history."""
        form = self.query_one(EditorPane).form
        dropped = form.drop_typed(self.focused) if form is not None else None
        if dropped is not None:
            kept = f"giữ {dropped.kept_text}" if dropped.kept_text else "để trống"
            self.app.notify(f"Đã hoàn tác chữ gõ ở {dropped.label}: «{dropped.shown}» ({kept})")
            return
        group = self.app.session.undo()
        if group is None:
            self.app.notify("Không còn gì để hoàn tác.")
            return
        self._after_history(group.paths, f"Đã hoàn tác: {group.label}")

    def _redo(self) -> None:
        group = self.app.session.redo()
        if group is None:
            self.app.notify("Không còn gì để làm lại.")
            return
        self._after_history(group.paths, f"Đã làm lại: {group.label}")

    def _after_history(self, paths: list[tuple], message: str) -> None:
        # Text held in a field the step changed (typed there, not parsing) stood for the
        # change taken back or made again: the field shows the report's value now, even when
        # the step, merged from emptying the field and putting its value back, changed
        # nothing (else "Đã hoàn tác" would leave the held text and its error on screen).
        inputs = self.query_one(EditorPane).inputs
        for path in paths:
            inputs.drop(tuple(path))
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
        self.app.notify(message, timeout=2)

    # -- check and export --------------------------------------------------------------

    def action_check(self) -> None:
        after_typing(self.app, self._check)

    def _check(self) -> None:
        self.analyse()
        errors = sum(problem.severity == "error" for problem in self.problems)
        warnings = len(self.problems) - errors
        if not self.problems:
            self.app.notify("Kiểm tra xong: không có vấn đề nào.")
            return
        self.app.notify(f"Kiểm tra xong: {errors} lỗi, {warnings} cảnh báo.", severity="warning")
        self.query_one(ProblemsList).focus()

    def action_export(self, kind: str = "docx") -> None:
        """Export the draft; ask first, in one question, when it has errors or unsaved changes
        (saving first keeps the .toml and the exported file the same)."""
        after_typing(self.app, functools.partial(self._export, kind))

    def _export(self, kind: str) -> None:
        self.analyse()
        errors = [problem for problem in self.problems if problem.severity == "error"]
        unsaved = self.app.session.dirty
        if not errors and not unsaved:
            self._start_export(kind)
            return
        said = []
        if errors:
            said.append(f"Văn bản còn {len(errors)} lỗi; phần có lỗi sẽ in thành khối báo lỗi.")
        choices = [("x", "Vẫn xuất", "go")]
        if unsaved:
            said.append(
                "Bản nháp có thay đổi chưa lưu: tệp xuất ra theo bản nháp, còn tệp báo cáo "
                "trên đĩa vẫn là bản cũ. Lưu trước rồi xuất?"
            )
            choices = [("l", "Lưu rồi xuất", "save"), ("x", "Xuất, chưa lưu", "go")]
        else:
            said.append("Vẫn xuất?")

        def answer(choice: str | None) -> None:
            if choice == "go":
                self._start_export(kind)
            elif choice == "save":
                self.app.files.save_then(lambda: self._start_export(kind))

        from .dialogs import ConfirmScreen

        title = "Xuất khi chưa lưu?" if unsaved else "Còn lỗi"
        self.app.push_screen(ConfirmScreen(title, " ".join(said), choices), answer)

    def _start_export(self, kind: str) -> None:
        from pathlib import Path

        from tongket.core.report.session import DEFAULT_FILE_NAME

        session = self.app.session
        base = session.path or Path.cwd() / DEFAULT_FILE_NAME
        # The bar renders its own copy, so typing on meanwhile cannot change what it writes.
        self.query_one(ExportBar).start(
            copy.deepcopy(session.project),
            base.with_suffix(".docx"),
            pdf=kind == "pdf",
            report=session.path,
        )
