"""Compare the draft with an earlier version: a Word file with the changes tracked.

The same as `tongket diff OLD.toml NEW.toml`, where NEW is the draft as it stands in the app
(saved or not) and OLD is the version kept at the last save (`FILE.toml.bak`), the file as
saved on disk, or a file the drafter names. The Word file goes beside the report as
`NAME-thay-doi.docx`; the work runs in a worker thread, like an export.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import TongketApp

#: The revisions' author when the drafter has not set one (`TONGKET_AUTHOR`).
AUTHOR_VARIABLE = "TONGKET_AUTHOR"


class VersionComparison:
    """Asks which earlier version to compare with, then writes the comparison."""

    def __init__(self, app: TongketApp) -> None:
        self.app = app

    def start(self) -> None:
        """Offer the versions there are; ask for a file when there is none to offer."""
        from tongket.core.report.atomicfile import backup_path

        from .dialogs import ConfirmScreen

        session = self.app.session
        report = session.path
        choices: list[tuple[str, str, str]] = []
        if report is not None and backup_path(report).is_file():
            choices.append(("b", "Bản trước lần lưu cuối (.bak)", "backup"))
        if report is not None and report.is_file() and session.dirty:
            choices.append(("d", "Bản đã lưu trên đĩa", "saved"))
        choices.append(("t", "Chọn tệp…", "file"))
        if len(choices) == 1:
            self._ask_for_file()
            return

        def answer(choice: str | None) -> None:
            if choice == "backup" and report is not None:
                self._compare(backup_path(report))
            elif choice == "saved" and report is not None:
                self._compare(report)
            elif choice == "file":
                self._ask_for_file()

        self.app.push_screen(
            ConfirmScreen(
                "So sánh với bản trước",
                "Ghi tệp Word của bản nháp này, trong đó mỗi chỗ khác với bản trước là một "
                "thay đổi được theo dõi (chấp nhận hết: bản này; từ chối hết: bản trước). "
                "So sánh với bản nào?",
                choices,
            ),
            answer,
        )

    def _ask_for_file(self) -> None:
        from .dialogs import PathScreen

        report = self.app.session.path
        folder = report.parent if report is not None else Path.cwd()

        def chosen(value: str | None) -> None:
            if value:
                self._compare(Path(value).expanduser())

        self.app.push_screen(PathScreen("So sánh với tệp báo cáo", "", list_folder=folder), chosen)

    def _compare(self, old: Path) -> None:
        from tongket.core.commands.diff import default_output
        from tongket.core.report.session import DEFAULT_FILE_NAME

        session = self.app.session
        report = session.path or Path.cwd() / DEFAULT_FILE_NAME
        target = default_output(report)
        # A copy: typing on while the worker renders cannot change what it compares.
        draft = copy.deepcopy(session.project)
        self.app.notify(f"Đang so sánh với {old.name} …", timeout=4)
        self.app.run_worker(
            lambda: self._write(old, report, draft, target),
            thread=True,
            exclusive=True,
            group="compare",
            exit_on_error=False,
        )

    def _write(self, old: Path, report: Path, draft: Any, target: Path) -> None:
        import os

        from tongket.core.commands.diff import (
            DEFAULT_AUTHOR,
            TrackedChangesError,
            write_tracked_changes,
        )

        author = os.environ.get(AUTHOR_VARIABLE, "").strip() or DEFAULT_AUTHOR
        try:
            count = write_tracked_changes(old, report, target, author=author, new_project=draft)
        except TrackedChangesError as error:
            self.app.call_from_thread(
                self.app.notify, f"Chưa so sánh được: {error}", severity="error", timeout=12
            )
            return
        if count:
            said = f"Đã ghi {target.name}: {count} đánh dấu thay đổi so với {old.name}"
        else:
            said = f"Đã ghi {target.name}: bản nháp giống {old.name}, không có thay đổi"
        self.app.call_from_thread(self.app.notify, said, timeout=10)
