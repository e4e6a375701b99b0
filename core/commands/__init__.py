"""Headless commands with a module of their own: each has `add_arguments(parser)` and `run(args)`.

`tongket.core.cli` lists them in `MODULE_COMMANDS` and builds their subcommands from these.
What several of them share lives here: `holding`, the report's lock while a command rewrites it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tongket.core.report.locking import FileLocked


@contextmanager
def holding(path: Path) -> Iterator[None]:
    """Hold the lock of report `path` while a command rewrites it (`split`, `join`, `merge`,
    `import --force`), as the app holds it while the report is open: refused, with exit 2,
    when someone has it.

    A lock whose process is gone from this machine (its number and start time checked) is
    taken over, with a note: nobody can be editing, and a command cannot ask as the app does.
    Any other lock that looks abandoned (another machine, not refreshed for hours, damaged)
    is named with the two ways out. A recovery copy of unsaved edits (a session that stopped
    without saving) refuses the command too: rewriting the file would make that copy look
    older than the file, and it would no longer be offered.
    """
    from tongket.core.cli import CommandError
    from tongket.core.report.locking import FileLocked, acquire, lock_path
    from tongket.core.report.session_safety import find_recovery

    recovery = find_recovery(path)
    if recovery is not None:
        raise CommandError(
            f"{path}: còn bản khôi phục {recovery.name} chứa phần sửa chưa lưu của một phiên "
            "bị dừng đột ngột; mở tệp trong ứng dụng (tongket TỆP) để khôi phục hoặc bỏ nó, "
            "rồi chạy lại"
        )
    try:
        lock = acquire(path)
    except FileLocked as locked:
        if locked.holder.process_alive() is not False:
            raise CommandError(_locked_message(locked, lock_path(path).name)) from None
        try:
            lock = acquire(path, take_over=True)
        except FileLocked as again:
            raise CommandError(_locked_message(again, lock_path(path).name)) from None
        print(
            f"tongket: tiếp quản khóa bỏ dở của {locked.holder.describe()}: {locked.stale}",
            file=sys.stderr,
        )
    try:
        yield
    finally:
        lock.release()


def _locked_message(locked: FileLocked, lock_name: str) -> str:
    """What a command that cannot take the lock says: who holds it, and the way out."""
    from tongket.core.report.locking import CannotLock

    if isinstance(locked, CannotLock):  # no lock can be made here at all
        return f"{locked.path}: không tạo được tệp khóa ({locked.reason}); không sửa được tệp"
    if locked.holder.damage and not locked.holder.removable:  # a folder at the lock's path
        return f"{locked.message}, rồi chạy lại"
    if not locked.stale:
        return f"{locked.message}; hãy đóng tệp rồi chạy lại"
    return (
        f"{locked.message}: nếu chắc không ai đang sửa tệp, mở tệp trong ứng dụng (tongket "
        f"TỆP) và chọn Tiếp quản, hoặc xóa tệp {lock_name}, rồi chạy lại"
    )
