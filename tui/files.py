"""The app's file actions: save, save as, open, quit (asking first), check and export.

A mixin of `TongketApp`. Files are written only through `DraftSession.save` (the TOML store)
and the DOCX writer, which runs in a worker thread with visible progress.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.widgets import ProgressBar, Static
from textual.worker import Worker, WorkerState

from tongket.core.locking import FileLocked
from tongket.core.problems import ReportFileError
from tongket.core.session import DEFAULT_FILE_NAME, DraftSession, ReadOnlyError, find_recovery
from tongket.core.store import SaveConflict

from .outline import ProblemsList

if TYPE_CHECKING:
    from .app import TongketApp

    _Base = TongketApp
else:
    _Base = object


def dialogs():
    """The dialogs module, imported on first use (its widgets stay off the start-up path)."""
    from . import dialogs as module

    return module


class FileActions(_Base):
    """Save, open, quit, check and export."""

    # -- files -------------------------------------------------------------------------

    def action_save(self) -> None:
        if self.session.path is None:
            self.action_save_as()
            return
        if self.session.read_only:
            self.notify(
                f"Không lưu được: {self.session.lock_message()}. F4 để lưu thành tệp khác.",
                severity="warning",
                timeout=8,
            )
            return
        self._save_to(self.session.path)

    def action_save_as(self, then_quit: bool = False) -> None:
        path = self.session.path
        default = str(path or Path.cwd() / DEFAULT_FILE_NAME)
        if path is not None and self.session.read_only:
            default = str(path.with_name(f"{path.stem}-ban-sao{path.suffix}"))

        def chosen(value: str | None) -> None:
            if not value:
                return
            target = Path(value).expanduser()
            if target.suffix != ".toml":
                target = target.with_suffix(".toml")
            if target.exists() and target != self.session.path:
                self.push_screen(
                    dialogs().ConfirmScreen(
                        "Tệp đã có",
                        f"{target} đã có. Ghi đè?",
                        [("g", "Ghi đè", "overwrite")],
                    ),
                    lambda answer: self._save_to(target, then_quit) if answer else None,
                )
                return
            self._save_to(target, then_quit)

        self.push_screen(dialogs().PathScreen("Lưu thành tệp", default), chosen)

    def _save_to(self, target: Path, then_quit: bool = False, *, overwrite: bool = False) -> bool:
        """Save to `target`; False when it did not happen (the drafter was told why)."""
        try:
            written = self.session.save(target, overwrite=overwrite)
        except SaveConflict as conflict:
            self._save_conflict(target, conflict, then_quit)
            return False
        except (ReadOnlyError, FileLocked) as refused:
            self.notify(f"Không lưu được: {refused.message}", severity="error", timeout=10)
            return False
        except OSError as error:
            self.notify(f"Không lưu được {target}: {error.strerror or error}", severity="error")
            return False
        self.update_banner()  # saving as another file may have left a read-only view
        self.notify(f"Đã lưu {written}")
        if then_quit:
            self.clean_exit = True
            self.exit(0)
        return True

    def _save_conflict(self, target: Path, conflict: SaveConflict, then_quit: bool) -> None:
        """Someone changed the file since it was loaded: save as, reload, or overwrite."""

        def answer(choice: str | None) -> None:
            if choice == "overwrite":
                self._save_to(target, then_quit, overwrite=True)
            elif choice == "save_as":
                self.action_save_as(then_quit)
            elif choice == "reload":
                self.reload_from_disk()

        self.push_screen(
            dialogs().ConfirmScreen(
                "Tệp đã thay đổi trên đĩa",
                f"{target}: {conflict.message}.",
                [
                    ("t", "Lưu thành tệp khác", "save_as"),
                    ("r", "Tải lại từ đĩa", "reload"),
                    ("g", "Ghi đè", "overwrite"),
                ],
            ),
            answer,
        )

    def action_open(self) -> None:
        def chosen(value: str | None) -> None:
            if value:
                self._open(Path(value).expanduser())

        def ask() -> None:
            folder = self.session.path.parent if self.session.path else Path.cwd()
            self.push_screen(dialogs().PathScreen("Mở tệp báo cáo", "", list_folder=folder), chosen)

        self._unless_unsaved(ask, "Mở tệp khác")

    def _open(self, path: Path) -> None:
        previous = self.session
        previous.release_lock()  # reopening the same file must not find our own lock
        try:
            session = DraftSession.open(path, host=self.host, lock=True)
        except ReportFileError as error:
            if previous.locking:
                previous.acquire_lock()
            self.notify(str(error), severity="error", timeout=10)
            return
        self.session = session
        self.rendered = None
        self._was_dirty = None
        self.update_banner()
        self.after_structure_change(None)
        recovery = find_recovery(path)
        if recovery is not None and not session.read_only:
            self.offer_recovery(recovery)

    def _unless_unsaved(self, then, what: str) -> None:
        """Run `then` now, or after the drafter saves or drops the unsaved changes."""
        if not self.session.dirty:
            then()
            return

        def answer(choice: str | None) -> None:
            if choice == "discard":
                self.session.discard_recovery()
                then()
            elif choice == "save" and self.session.path is not None and not self.session.read_only:
                if self._save_to(self.session.path):
                    then()
            elif choice == "save":
                self.action_save_as()

        self.push_screen(
            dialogs().ConfirmScreen(
                what,
                "Bản nháp có thay đổi chưa lưu.",
                [("l", "Lưu", "save"), ("b", "Bỏ thay đổi", "discard")],
            ),
            answer,
        )

    async def action_quit(self) -> None:
        if not self.session.dirty:
            self.clean_exit = True
            self.exit(0)
            return

        def answer(choice: str | None) -> None:
            if choice == "discard":
                self.session.discard_recovery()
                self.clean_exit = True
                self.exit(0)
            elif choice == "save":
                if self.session.path is None or self.session.read_only:
                    self.action_save_as(then_quit=True)
                else:
                    self._save_to(self.session.path, then_quit=True)

        self.push_screen(
            dialogs().ConfirmScreen(
                "Thoát tongket?",
                "Bản nháp có thay đổi chưa lưu.",
                [("l", "Lưu rồi thoát", "save"), ("b", "Thoát, bỏ thay đổi", "discard")],
            ),
            answer,
        )

    # -- check and export --------------------------------------------------------------

    def action_check(self) -> None:
        self.analyse()
        errors = sum(problem.severity == "error" for problem in self.problems)
        warnings = len(self.problems) - errors
        if not self.problems:
            self.notify("Kiểm tra xong: không có vấn đề nào.")
            return
        self.notify(f"Kiểm tra xong: {errors} lỗi, {warnings} cảnh báo.", severity="warning")
        self.query_one(ProblemsList).focus()

    def action_export(self, kind: str = "docx") -> None:
        self.analyse()
        errors = [problem for problem in self.problems if problem.severity == "error"]
        if not errors:
            self._start_export(kind)
            return
        self.push_screen(
            dialogs().ConfirmScreen(
                "Còn lỗi",
                f"Văn bản còn {len(errors)} lỗi; phần có lỗi sẽ in thành khối báo lỗi. Vẫn xuất?",
                [("x", "Vẫn xuất", "go")],
            ),
            lambda answer: self._start_export(kind) if answer else None,
        )

    def _start_export(self, kind: str) -> None:
        base = self.session.path or Path.cwd() / DEFAULT_FILE_NAME
        target = base.with_suffix(".docx")
        bar = self.query_one("#export-bar")
        bar.display = True
        self.query_one("#export-progress", ProgressBar).update(
            total=3 if kind == "pdf" else 2, progress=0
        )
        self.query_one("#export-label", Static).update(f"Đang xuất {target.name} …")
        # The worker renders its own copy, so typing on meanwhile cannot change what it writes.
        self.export_worker(copy.deepcopy(self.session.project), target, kind == "pdf")

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export_worker(self, project, target: Path, pdf: bool) -> Path:
        from tongket.core.document import render_document

        step = self._export_step
        rendered = render_document(project, self.host)
        self.call_from_thread(step, 1, f"Đang ghi {target.name} …")
        from tongket.core.docx_writer import export_docx  # python-docx loads only now

        export_docx(rendered, target)
        if not pdf:
            self.call_from_thread(step, 2, "")
            return target
        self.call_from_thread(step, 2, f"Đang chuyển sang PDF {target.with_suffix('.pdf').name} …")
        from tongket.core.pdf import convert_to_pdf

        pdf_target = target.with_suffix(".pdf")
        convert_to_pdf(target, pdf_target)
        self.call_from_thread(step, 3, "")
        return pdf_target

    def _export_step(self, done: int, label: str) -> None:
        self.query_one("#export-progress", ProgressBar).update(progress=done)
        if label:
            self.query_one("#export-label", Static).update(label)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "export":
            return
        if event.state == WorkerState.SUCCESS:
            self.query_one("#export-bar").display = False
            self.notify(f"Đã xuất {event.worker.result}", timeout=8)
        elif event.state == WorkerState.ERROR:
            self.query_one("#export-bar").display = False
            error = event.worker.error
            self.notify(f"Xuất không thành: {error}", severity="error", timeout=12)
