"""The app's file commands: save, save as, open and quit, each asking first when needed.

`FileCommands` is held by `TongketApp` (`app.files`). Files are written only through
`DraftSession.save` (the TOML store); exports are the main screen's.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tongket.core.oserrors import os_reason
from tongket.core.problems import Problem, ReportFileError
from tongket.core.report.atomicfile import backup_path, write_protected
from tongket.core.report.locking import FileLocked
from tongket.core.report.session import (
    DEFAULT_FILE_NAME,
    DraftSession,
    ReadOnlyError,
    find_recovery,
)
from tongket.core.report.store import SaveConflict, file_comment_lines

from .messages import sentence

if TYPE_CHECKING:
    from .app import TongketApp


def dialogs():
    """The dialogs module, imported on first use (its widgets stay off the start-up path)."""
    from . import dialogs as module

    return module


class FileCommands:
    """Save, save as, open and quit, asking the drafter first where a file or typing is at stake.

    The app holds one (`app.files`) and its key actions call it; it works on the app's session
    and shows its dialogs on the app.
    """

    def __init__(self, app: TongketApp) -> None:
        self.app = app

    @property
    def session(self) -> DraftSession:
        """The app's session: opening a file replaces it."""
        return self.app.session

    # -- files -------------------------------------------------------------------------

    def save(self) -> None:
        store_typed = getattr(self.app.screen, "store_typed", None)  # an open cell editor
        if store_typed is not None and not store_typed():
            self.app.notify(
                "Ô đang sửa chưa hợp lệ nên chưa được lưu; phần còn lại vẫn được lưu.",
                severity="warning",
            )
        if self.session.dirty:
            # The cell just stored is a change like any other: its notice about comments
            # comes before the save, as it would have after typing (`MainScreen.changed`).
            self.tell_about_comments()
        if self.session.path is None:
            self.save_as()
            return
        if self.session.read_only:
            self.app.notify(
                f"Không lưu được: {sentence(self.session.lock_message() or '')} F4 để lưu thành "
                "tệp khác.",
                severity="warning",
                timeout=8,
            )
            return
        self._save_to(self.session.path)

    def save_as(self, then_quit: bool = False, after: Callable[[], None] | None = None) -> None:
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
                self.app.push_screen(
                    dialogs().ConfirmScreen(
                        "Tệp đã có",
                        f"{target} đã có. Ghi đè?",
                        [("g", "Ghi đè", "overwrite")],
                    ),
                    lambda answer: (
                        self._save_to(target, then_quit, after=after) if answer else None
                    ),
                )
                return
            self._save_to(target, then_quit, after=after)

        self.app.push_screen(dialogs().PathScreen("Lưu thành tệp", default), chosen)

    def _save_to(
        self,
        target: Path,
        then_quit: bool = False,
        *,
        overwrite: bool = False,
        confirmed: frozenset[str] = frozenset(),
        after: Callable[[], None] | None = None,
    ) -> bool:
        """Save to `target`; False when it did not happen now (the drafter was told why, or
        is asked first: a read-only file, comments that saving drops). `after` runs once the
        save is done, also when it waited for an answer."""
        comments = self._comment_lines(target)
        question = self._ask_before_saving(target, confirmed, comments)
        if question is not None:
            topic, dialog, answers_yes = question

            def answer(choice: str | None) -> None:
                if choice == answers_yes:
                    self._save_to(
                        target,
                        then_quit,
                        overwrite=overwrite,
                        confirmed=confirmed | {topic},
                        after=after,
                    )
                elif choice == "save_as":
                    self.save_as(then_quit, after=after)

            self.app.push_screen(dialog, answer)
            return False
        try:
            written = self.session.save(target, overwrite=overwrite)
        except SaveConflict as conflict:
            self._save_conflict(target, conflict, then_quit)
            return False
        except (ReadOnlyError, FileLocked) as refused:
            self.app.notify(f"Không lưu được: {refused.message}", severity="error", timeout=10)
            return False
        except OSError as error:
            self.app.notify(f"Không lưu được: {os_reason(error, target)}", severity="error")
            return False
        # Saving as another file may have left a read-only view.
        self.app.main_screen.update_banner()
        if comments:
            self.app.notify(
                f"Đã lưu {written}, không giữ {len(comments)} dòng chú thích (#); bản có chú "
                f"thích còn ở {backup_shown(written)}.",
                severity="warning",
                timeout=10,
            )
        else:
            self.app.notify(f"Đã lưu {written}")
        for editor in self.app.main_screen.query("#editor"):
            editor.warn_unsaved()  # typed text that does not parse was not saved
        if after is not None:
            after()
        if then_quit:
            self.app.clean_exit = True
            self.app.exit(0)
        return True

    # -- questions before a save ---------------------------------------------------------

    #: The file (real path) whose comments the drafter has been told saving drops.
    _comments_told: str | None = None

    def _comment_lines(self, target: Path) -> list[int]:
        """The `#` comment lines of `target` when it is the file this draft came from."""
        path = self.session.path
        if path is None or os.path.realpath(target) != os.path.realpath(path):
            return []
        return file_comment_lines(target)

    def tell_about_comments(self) -> None:
        """At the first change of a report whose file has `#` comments, say that saving drops
        them and how to keep the original (once per file: saving then asks nothing more)."""
        path = self.session.path
        if path is None or self.session.read_only or not self.session.dirty:
            return
        real = os.path.realpath(path)
        if self._comments_told == real:
            return
        self._comments_told = real
        lines = file_comment_lines(path)
        if lines:
            self.app.notify(
                f"{path.name} có chú thích (#) ở {_where(lines)}. tongket không giữ chú "
                "thích: khi lưu (F2), cả tệp được ghi lại theo dạng chuẩn và các chú thích mất. "
                "Muốn giữ tệp gốc: F4 lưu thành tệp khác.",
                severity="warning",
                timeout=20,
            )

    def _ask_before_saving(self, target: Path, confirmed: frozenset[str], comments: list[int]):
        """The question to ask before saving over `target`, as (topic, dialog, yes), or None.

        A file marked read-only (chmod 444) is replaced only when the drafter says so, as
        `tongket export` refuses one. A report with `#` comments is saved only once the
        drafter knows that the comments are not kept (tomllib drops them; the whole file is
        rewritten): told at the first change (`tell_about_comments`), or asked here.
        """
        save_as = ("t", "Lưu thành tệp khác", "save_as")
        if "read_only" not in confirmed and write_protected(target):
            return (
                "read_only",
                dialogs().ConfirmScreen(
                    "Tệp chỉ cho đọc",
                    f"{target} được đặt chỉ cho đọc (chmod 444, hoặc tài khoản này không có "
                    "quyền ghi). Vẫn ghi đè lên nó? Tệp mới giữ nguyên quyền chỉ đọc.",
                    [("g", "Vẫn ghi đè", "overwrite"), save_as],
                ),
                "overwrite",
            )
        told = self._comments_told == os.path.realpath(target)
        if "comments" in confirmed or not comments or told:
            return None
        return (
            "comments",
            dialogs().ConfirmScreen(
                "Chú thích sẽ mất",
                f"{target.name} có chú thích (#) ở {_where(comments)}. tongket ghi lại cả tệp "
                "theo dạng chuẩn: các chú thích sẽ không còn, khoảng trắng và thứ tự có thể "
                f"đổi (bản trước vẫn còn ở {backup_shown(target)}). Vẫn lưu?",
                [("l", "Vẫn lưu, bỏ chú thích", "continue"), save_as],
            ),
            "continue",
        )

    def _save_conflict(self, target: Path, conflict: SaveConflict, then_quit: bool) -> None:
        """Someone changed the file since it was loaded: save as, reload, or overwrite."""

        def answer(choice: str | None) -> None:
            if choice == "overwrite":
                self._save_to(target, then_quit, overwrite=True)
            elif choice == "save_as":
                self.save_as(then_quit)
            elif choice == "reload":
                self.app.safety.reload_from_disk()

        self.app.push_screen(
            dialogs().ConfirmScreen(
                "Tệp đã thay đổi trên đĩa",
                f"{target}: {sentence(conflict.message)}",
                [
                    ("t", "Lưu thành tệp khác", "save_as"),
                    ("r", "Tải lại từ đĩa", "reload"),
                    ("g", "Ghi đè", "overwrite"),
                ],
            ),
            answer,
        )

    def open(self) -> None:
        def chosen(value: str | None) -> None:
            if value:
                self._open(Path(value).expanduser())

        def ask() -> None:
            folder = self.session.path.parent if self.session.path else Path.cwd()
            self.app.push_screen(
                dialogs().PathScreen("Mở tệp báo cáo", "", list_folder=folder), chosen
            )

        self._unless_unsaved(ask, "Mở tệp khác")

    def _open(self, path: Path) -> None:
        previous = self.session
        previous.release_lock()  # reopening the same file must not find our own lock
        try:
            session = DraftSession.open(path, host=self.app.host, lock=True)
        except ReportFileError as error:
            if previous.locking:
                previous.acquire_lock()
            self.app.notify(str(error), severity="error", timeout=10)
            return
        self.app.session = session
        self.app.update_title(force=True)  # a new session: its name, whatever it holds
        self.app.main_screen.update_banner()
        self.app.main_screen.report_replaced(None)
        # What a crashed session left unsaved: the report's copy and its parts'.
        self.app.safety.offer_recovery(find_recovery(path))

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
                self._save_to(self.session.path, after=then)
            elif choice == "save":
                self.save_as()

        self.app.push_screen(
            dialogs().ConfirmScreen(
                what,
                "Bản nháp có thay đổi chưa lưu.",
                [("l", "Lưu", "save"), ("b", "Bỏ thay đổi", "discard")],
            ),
            answer,
        )

    async def quit(self) -> None:
        from .form import EditorPane

        held = self.app.main_screen.query_one(EditorPane).inputs.texts
        unparsed = list(held.values())
        if unparsed:  # typed text that does not parse is in no file: quitting would lose it
            first = next(iter(held))

            def leave_anyway(choice: str | None) -> None:
                if choice == "quit":
                    self._quit_or_ask()
                elif choice == "back":  # "Quay lại sửa": to the text to mend, not elsewhere
                    main = self.app.main_screen
                    main.call_later(main.goto_problem, Problem(first, ""))

            names = "; ".join(f"{item.label}: «{item.shown}»" for item in unparsed[:3])
            self.app.push_screen(
                dialogs().ConfirmScreen(
                    "Thoát tongket?",
                    f"Chữ gõ chưa đúng kiểu, chưa lưu được: {names}. Thoát sẽ mất chữ này.",
                    [("s", "Quay lại sửa", "back"), ("b", "Vẫn thoát", "quit")],
                ),
                leave_anyway,
            )
            return
        self._quit_or_ask()

    def _quit_or_ask(self) -> None:
        if not self.session.dirty:
            self.app.clean_exit = True
            self.app.exit(0)
            return

        def answer(choice: str | None) -> None:
            if choice == "discard":
                self.session.discard_recovery()
                self.app.clean_exit = True
                self.app.exit(0)
            elif choice == "save":
                if self.session.path is None or self.session.read_only:
                    self.save_as(then_quit=True)
                else:
                    self._save_to(self.session.path, then_quit=True)

        self.app.push_screen(
            dialogs().ConfirmScreen(
                "Thoát tongket?",
                "Bản nháp có thay đổi chưa lưu.",
                [("l", "Lưu rồi thoát", "save"), ("b", "Thoát, bỏ thay đổi", "discard")],
            ),
            answer,
        )

    def save_then(self, then: Callable[[], None]) -> None:
        """Save (asking where when the draft has no file of its own), then run `then`."""
        if self.session.path is None or self.session.read_only:
            self.save_as(after=then)
        else:
            self._save_to(self.session.path, after=then)


def backup_shown(path: Path) -> str:
    """Where saving `path` keeps the previous version, as the drafter would look for it.

    A report that is a symbolic link is saved through it (`store.save` replaces the file it
    points to), and the backup is made beside that real file: its name when the real file
    sits in the link's folder, its whole path when it does not.
    """
    path = Path(path)
    real = Path(os.path.realpath(path))
    backup = backup_path(real)
    beside = real.parent == Path(os.path.realpath(path.parent))
    return backup.name if beside else str(backup)


def _where(lines: list[int]) -> str:
    """ "dòng 3", "dòng 1 và 25 dòng khác"."""
    return f"dòng {lines[0]}" + (f" và {len(lines) - 1} dòng khác" if len(lines) > 1 else "")
