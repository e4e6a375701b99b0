"""The app's crash safety: the file lock and read-only view, take-over, recovery copies,
reloading after a save conflict, and writing the recovery copy when the process is ended.

`CrashSafety` is held by `TongketApp` (`app.safety`). The lock and the recovery copy are kept
by `DraftSession` (`tongket.core.report.locking`, `tongket.core.report.store`); this module shows
them and asks the drafter. The report's parts (sections in their own files) have their own locks
and copies, offered and taken over alongside the report's (`tongket.tui.part_recovery`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from tongket.core.oserrors import os_reason
from tongket.core.problems import ReportFileError
from tongket.core.report.locking import CannotLock, LockHolder, lock_path
from tongket.core.report.session import find_recovery

from . import part_recovery
from .messages import sentence

if TYPE_CHECKING:
    from .app import TongketApp

REFUSAL_REPEAT = 3.0  # seconds before the same refusal is said again (not once per key)


def lock_banner(session) -> str:
    """The read-only banner: who holds the file, since when, and what the drafter may do."""
    locked = session.locked_by
    if locked is None:
        return ""
    holder = locked.holder
    lock_name = lock_path(locked.path).name
    if isinstance(locked, CannotLock):
        return (
            f"CHỈ XEM: không mở được để sửa vì {locked.reason} (không tạo được tệp khóa "
            f"{lock_name}). Sửa và lưu (F2) bị tắt; F4 lưu thành tệp ở thư mục khác."
        )
    if holder.damage and not holder.removable:
        return (
            f"CHỈ XEM: {lock_name} {holder.damage}, không phải tệp khóa của tongket; hãy xóa "
            "hoặc đổi tên nó rồi mở lại để sửa. F4 lưu thành tệp khác."
        )
    if holder.damage:
        return (
            f"CHỈ XEM — nhấn t để tiếp quản: tệp khóa {lock_name} hỏng ({holder.damage}); "
            "không rõ ai đang giữ tệp. F4 lưu thành tệp khác."
        )
    if not locked.stale:
        return (
            f"CHỈ XEM: tệp đang được mở để sửa bởi {holder.describe()}. "
            "Sửa và lưu (F2) bị tắt; F4 lưu thành tệp khác."
        )
    # The key comes first: at 80 columns the banner wraps, and what to do must stay in view.
    me = LockHolder.me()
    own = (holder.user, holder.host) == (me.user, me.host)
    why = locked.stale + ("; có thể là lần mở trước của chính bạn" if own else "")
    return (
        f"CHỈ XEM — nhấn t để tiếp quản: khóa của {holder.describe()} có vẻ đã bỏ dở "
        f"({why}). F4 lưu thành tệp khác."
    )


class CrashSafety:
    """The app's lock and recovery copies as the drafter sees them: refusals said once,
    the lock kept fresh (and a read-only view's holder looked at again), take-over, reloading
    after a save conflict, and offering a recovery copy. The app holds one and calls it."""

    def __init__(self, app: TongketApp) -> None:
        self.app = app
        self._last_refusal: tuple[str, float] = ("", 0.0)

    def refuse_edit(self, message: str) -> None:
        """Tell the drafter why nothing changed (once, not once per key press)."""
        now = time.monotonic()
        last, when = self._last_refusal
        if message == last and now - when < REFUSAL_REPEAT:
            return
        self._last_refusal = (message, now)
        self.app.notify(f"Không sửa được: {sentence(message)}", severity="warning", timeout=5)

    def refused(self, path: tuple) -> bool:
        """True (after saying why) when the value at `path` may not change now."""
        reason = self.app.session.refusal(path)
        if reason:
            self.refuse_edit(reason)
        return bool(reason)

    def refresh_lock(self) -> None:
        """Keep our lock fresh; when read-only, look again at the holder (it may be gone)."""
        if not self.app.query("#banner"):
            return  # the app is closing: its screen is already gone
        session = self.app.session
        if isinstance(session.locked_by, CannotLock):
            return  # no lock of ours nor anyone's to look at; reopening tries again
        was_read_only = session.read_only
        parts_before = part_recovery.part_holders(self.app)
        try:
            if was_read_only:
                session.recheck_lock()
            elif not session.refresh_lock():
                self.app.notify(
                    "Người khác đã tiếp quản tệp này; từ giờ chỉ xem được. "
                    "Thay đổi chưa lưu vẫn còn: F4 lưu thành tệp khác.",
                    severity="error",
                    timeout=15,
                )
        except OSError as error:
            self.app.notify(f"Không làm mới được tệp khóa: {os_reason(error)}", severity="warning")
            return
        self.app.main_screen.update_banner()
        parts_now = part_recovery.part_holders(self.app)
        if parts_now != parts_before:  # a part taken, freed, or its holder gone: [khóa], t
            part_recovery.parts_changed_hands(self.app, parts_before, parts_now)

    def can_take_over(self) -> bool:
        """Whether t applies now: the selected section's part, or the report, is held by a
        lock that looks abandoned."""
        held = part_recovery.held_part(self.app)
        if held is not None and held[1].stale:
            return True
        locked = self.app.session.locked_by
        return locked is not None and bool(locked.stale)

    def take_over(self) -> None:
        """Take over a lock that looks abandoned, after the drafter confirms; when the holder
        left a recovery copy, the same question offers to restore it (one answer, not two).

        The lock is the selected section's part when someone else holds that (read again from
        its file alone), else the report's, together with the parts the same gone process
        held (unsaved changes in parts this session holds are kept).
        """
        held = part_recovery.held_part(self.app)
        locked = self.app.session.locked_by
        report_stale = locked is not None and bool(locked.stale)
        # One gone session held the report and this part: both come back in one step.
        if held and report_stale and held[0] in self.app.session.abandoned_parts(locked.holder):
            held = None
        if held is not None and (held[1].stale or not report_stale):
            include, part_locked = held
            if not part_locked.stale:
                self.app.notify(
                    f"Không tiếp quản được {part_recovery.part_name(self.app, include)}:"
                    f" {part_locked.holder.describe()} vẫn đang làm việc.",
                    severity="warning",
                )
                return
            part_recovery.offer_part_take_over(self.app, include, part_locked)
            return
        if locked is None:
            return
        from .dialogs import ConfirmScreen

        if not locked.stale:
            self.app.notify(
                f"Không tiếp quản được: {locked.holder.describe()} vẫn đang làm việc.",
                severity="warning",
            )
            return

        session = self.app.session
        recovery = find_recovery(session.path)
        parts = session.abandoned_parts(locked.holder)  # the same gone session's parts
        copies = {
            include: copy
            for include, copy in session.part_recoveries(including=parts).items()
            if include in parts
        }

        def answer(choice: str | None) -> None:
            if choice == "take_over":
                self._take_over(parts=parts)
            elif choice == "restore":
                self._take_over(restore=recovery, parts=parts, copies=copies)

        holder = locked.holder
        if holder.damage:
            why = (
                f"Tệp khóa {lock_path(locked.path).name} hỏng ({holder.damage}); không rõ ai "
                "đang giữ tệp. Tiếp quản thì tệp khóa hỏng bị xóa và"
            )
        else:
            why = (
                f"Tệp đang bị khóa bởi {holder.describe()}; khóa có vẻ đã bỏ dở "
                f"({locked.stale}). Tiếp quản thì"
            )
        message = f"{why} bạn được sửa; tệp được đọc lại từ đĩa."
        if parts:
            names = ", ".join(part_recovery.part_name(self.app, include) for include in parts)
            message += f" Cùng khóa bị bỏ dở: {names}, cũng được tiếp quản."
        if session.unsaved_beyond_held_parts():
            message += (
                " Thay đổi chưa lưu của bạn ngoài các phần bạn đang giữ sẽ mất "
                f"({self.app.key_label('save_as')} lưu thành tệp khác trước nếu cần)."
            )
        choices = [("t", "Tiếp quản", "take_over")]
        if recovery is not None and not copies:
            message += (
                f" Có bản khôi phục mới hơn tệp ({recovery.name}): có thể là thay đổi chưa lưu "
                "của lần mở bị bỏ dở. Khôi phục nó luôn?"
            )
        elif copies:
            found = part_recovery.describe_copies(self.app, recovery, copies)
            message += (
                " Có bản khôi phục mới hơn tệp, có thể là thay đổi chưa lưu của lần mở bị bỏ "
                f"dở:\n{found}\nKhôi phục luôn?"
            )
        if recovery is not None or copies:
            choices = [
                ("k", "Tiếp quản và khôi phục", "restore"),
                ("t", "Chỉ tiếp quản", "take_over"),
            ]
        self.app.push_screen(ConfirmScreen("Tiếp quản tệp?", message, choices), answer)

    def _take_over(
        self,
        restore: Path | None = None,
        *,
        parts: list[str] | None = None,
        copies: dict[str, Path] | None = None,
    ) -> None:
        session = self.app.session
        try:
            taken = session.take_over(parts or ())
        except (OSError, ReportFileError) as error:
            self.app.notify(f"Không tiếp quản được: {error}", severity="error")
            return
        self.app.main_screen.update_banner()
        if not taken:
            self.app.notify(
                "Không tiếp quản được: người giữ khóa vẫn đang làm việc.", severity="warning"
            )
            return
        taken_parts = [include for include in parts or () if include in session.parts.held]
        also = f" và {len(taken_parts)} tệp phần" if taken_parts else ""
        if (restore is not None or copies) and part_recovery.restore_copies(
            self.app,
            restore,
            {include: copy for include, copy in (copies or {}).items() if include in taken_parts},
        ):
            self.app.main_screen.report_replaced(self.app.part)
            self.app.notify(
                f"Đã tiếp quản {session.display_name}{also} và khôi phục bản nháp. "
                f"Nhấn {self.app.key_label('save')} để lưu."
            )
            return
        self.app.main_screen.report_replaced(self.app.part)
        self.app.notify(f"Đã tiếp quản {session.display_name}{also}: bạn có thể sửa và lưu.")

    # -- reload after a save conflict --------------------------------------------------

    def reload_from_disk(self) -> None:
        """Read the file again, asking first when that drops unsaved changes."""

        def reload() -> None:
            try:
                self.app.session.reload()
            except ReportFileError as error:
                self.app.notify(f"Không tải lại được: {error}", severity="error", timeout=10)
                return
            self.app.session.discard_recovery()
            self.app.main_screen.report_replaced(self.app.part)
            self.app.notify(f"Đã tải lại {self.app.session.path} từ đĩa.")

        if not self.app.session.dirty:
            reload()
            return
        from .dialogs import ConfirmScreen

        self.app.push_screen(
            ConfirmScreen(
                "Tải lại từ đĩa?",
                "Tải lại sẽ bỏ các thay đổi chưa lưu của bạn trong bản nháp này.",
                [("b", "Bỏ thay đổi, tải lại", "reload")],
            ),
            lambda choice: reload() if choice == "reload" else None,
        )

    # -- recovery copies ---------------------------------------------------------------

    def offer_recovery(self, recovery: Path | None = None) -> None:
        """Offer what an earlier session left unsaved, when a report is opened: its recovery
        copy (`recovery`, unless someone else holds the report: the copy is theirs) and those
        of its parts nobody holds, in one question. Copies beside parts whose lock looks
        abandoned are named: taking the part over (t) offers them."""
        from .dialogs import ConfirmScreen

        session = self.app.session
        if session.locked_by is not None or (recovery is not None and not recovery.is_file()):
            recovery = None
        parts = {} if session.read_only else session.part_recoveries()
        part_recovery.name_abandoned_copies(self.app, parts)
        if recovery is None and not parts:
            return

        def answer(choice: str | None) -> None:
            if choice == "restore":
                if part_recovery.restore_copies(self.app, recovery, parts):
                    self.app.main_screen.report_replaced(self.app.part)
                    self.app.notify(
                        f"Đã khôi phục bản nháp. Nhấn {self.app.key_label('save')} để lưu."
                    )
            elif choice == "discard":
                if recovery is not None:
                    recovery.unlink(missing_ok=True)
                session.discard_part_recoveries(parts)
                if parts:
                    self.app.notify("Đã bỏ bản khôi phục; các tệp giữ như lần lưu cuối.")

        if not parts:
            message = (
                f"Tìm thấy bản khôi phục mới hơn tệp đang mở ({recovery.name}): có thể lần "
                "trước tongket đã đóng khi còn thay đổi chưa lưu. Khôi phục?"
            )
        else:
            message = (
                "Tìm thấy bản khôi phục mới hơn tệp, có thể là thay đổi chưa lưu khi tongket "
                f"đóng lần trước:\n{part_recovery.describe_copies(self.app, recovery, parts)}\n"
                "Khôi phục?"
            )
        self.app.push_screen(
            ConfirmScreen(
                "Có bản khôi phục",
                message,
                [("k", "Khôi phục", "restore"), ("b", "Bỏ bản khôi phục", "discard")],
            ),
            answer,
        )

    def write_recovery(self) -> None:
        try:
            self.app.session.write_recovery()
        except OSError as error:
            self.app.notify(f"Không ghi được bản khôi phục: {os_reason(error)}", severity="warning")


#: Seconds a SIGTERM'd app may take to restore the terminal before the process just ends.
EXIT_GRACE = 3.0


def install_exit_handlers(app: TongketApp) -> None:
    """On SIGHUP (a dropped SSH link) or SIGTERM, write the recovery copy, then leave.

    The process ends for sure. After a hang-up the terminal is gone: Textual's shutdown would
    write to it and its input thread spins on the dead pty, so an app left to exit cleanly
    kept running at full CPU for as long as the server ran (with unsaved changes). It ends at
    once instead; there is no terminal left to restore. On SIGTERM the terminal may still be
    there, so Textual gets `EXIT_GRACE` seconds to restore it first.
    """

    def hang_up(signum, frame) -> None:
        save_recovery_on_exit(app)
        app.session.release_lock()
        code = 128 + signum
        if signum == signal.SIGHUP:
            _flush_quietly()
            os._exit(code)
        watchdog = threading.Timer(EXIT_GRACE, _exit_now, (code,))
        watchdog.daemon = True
        watchdog.start()
        raise SystemExit(code)

    for signum in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(signum, hang_up)


def _exit_now(code: int) -> None:
    _flush_quietly()
    os._exit(code)


def _flush_quietly() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # a hung-up terminal
            stream.flush()


def save_recovery_on_exit(app: TongketApp) -> None:
    """Write the recovery copy when the app ends without the drafter choosing to."""
    try:
        written = app.session.write_recovery(force=True)
    except OSError:
        return
    if written is not None:
        with contextlib.suppress(OSError, ValueError):  # no terminal left to say it on
            for copy in app.session.recoveries_written or [written]:  # the report's, the parts'
                print(f"tongket: đã ghi bản khôi phục {copy}", file=sys.stderr)
