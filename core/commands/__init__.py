"""Headless commands with a module of their own: each has `add_arguments(parser)` and `run(args)`.

`tongket.core.cli` lists them in `MODULE_COMMANDS` and builds their subcommands from these.
What several of them share lives here: `holding`, the report's lock while a command rewrites it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def holding(path: Path) -> Iterator[None]:
    """Hold the lock of report `path` while a command rewrites it (`split`, `join`, `merge`,
    `import --force`), as the app holds it while the report is open: refused, with exit 2,
    when someone has it."""
    from tongket.core.cli import CommandError
    from tongket.core.report.locking import FileLocked, acquire

    try:
        lock = acquire(path)
    except FileLocked as locked:
        raise CommandError(f"{locked.message}; hãy đóng tệp rồi chạy lại") from None
    try:
        yield
    finally:
        lock.release()
