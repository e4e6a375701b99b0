"""Who has a report open for editing: a lock file beside it naming user, host, process and time.

Opening `report.toml` for editing creates `report.toml.lock` (JSON, written whole before it
appears). A second opener gets `FileLocked`, which says who holds the file and since when, and
whether the lock looks abandoned; the TUI then offers a read-only view. A stale lock (its
process is gone from this host, or it was not refreshed for `DEFAULT_STALE_AFTER`) may be taken
over, but only when asked for explicitly: `acquire(path, take_over=True)`.

The lock is advisory: it tells people about each other. What protects the file itself is the
content check in `store.save(..., expected=...)`, which refuses to overwrite changes made
after loading.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import secrets
import socket
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from .vnformat import date_numeric

__all__ = [
    "DEFAULT_STALE_AFTER",
    "FileLock",
    "FileLocked",
    "LockHolder",
    "acquire",
    "lock_path",
    "read_lock",
]

#: A lock not refreshed for this long counts as abandoned, wherever its process ran.
DEFAULT_STALE_AFTER = dt.timedelta(hours=12)
_ATTEMPTS = 5  # rounds of create / find stale / take over before giving up on a busy lock


def lock_path(path: str | os.PathLike[str]) -> Path:
    """The lock file of a report: `FILE.toml` → `FILE.toml.lock` (symbolic links followed)."""
    target = Path(os.path.realpath(path))
    return target.with_name(target.name + ".lock")


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone().replace(microsecond=0)


def _process_start(pid: int) -> str | None:
    # Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot. With
    # the pid it tells a live holder from a new process that happens to reuse the number.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else None


def _current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # containers without a passwd entry
        return str(os.getuid())


@dataclass(frozen=True)
class LockHolder:
    """Who holds a report: the account, the machine, the process and when they opened it."""

    user: str
    host: str
    pid: int
    since: dt.datetime
    refreshed: dt.datetime
    started: str | None = None  # process start marker (Linux), to detect a reused pid
    token: str = ""  # identifies this one lock, so a holder never removes someone else's

    @classmethod
    def me(cls) -> LockHolder:
        """A holder record for this process, now."""
        now = _now()
        pid = os.getpid()
        return cls(
            user=_current_user(),
            host=socket.gethostname(),
            pid=pid,
            since=now,
            refreshed=now,
            started=_process_start(pid),
            token=secrets.token_hex(8),
        )

    def process_alive(self) -> bool | None:
        """Whether the holding process still runs; None when it runs on another machine."""
        if self.host != socket.gethostname():
            return None
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass  # alive, owned by another account
        except OSError:
            return None
        started = _process_start(self.pid)
        return not (self.started and started and started != self.started)

    def stale_reason(self, stale_after: dt.timedelta = DEFAULT_STALE_AFTER) -> str | None:
        """Why the lock looks abandoned (in Vietnamese), or None when its holder seems active."""
        if self.process_alive() is False:
            return f"tiến trình {self.pid} trên máy {self.host} không còn chạy"
        idle = _now() - self.refreshed
        if idle > stale_after:
            hours = round(idle.total_seconds() / 3600)
            return f"khóa không được làm mới đã {hours} giờ"
        return None

    def describe(self) -> str:
        """ "tài khoản nva trên máy srv1 (tiến trình 4242), từ 14:02 ngày 25/11/2025"."""
        local = self.since.astimezone()
        return (
            f"tài khoản {self.user} trên máy {self.host} (tiến trình {self.pid}), "
            f"từ {local:%H:%M} ngày {date_numeric(local.date())}"
        )

    def to_json(self) -> str:
        """The lock file's content."""
        record = asdict(self)
        record["since"] = self.since.isoformat()
        record["refreshed"] = self.refreshed.isoformat()
        return json.dumps(record, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> LockHolder:
        """Read a lock file's content; raises ValueError when it is not one."""
        try:
            record = json.loads(text)
            since = dt.datetime.fromisoformat(record["since"])
            return cls(
                user=str(record["user"]),
                host=str(record["host"]),
                pid=int(record["pid"]),
                since=since,
                refreshed=dt.datetime.fromisoformat(record.get("refreshed") or record["since"]),
                started=record.get("started"),
                token=str(record.get("token", "")),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ValueError(f"not a tongket lock file: {error}") from None


class FileLocked(Exception):
    """Someone else has the report open; `holder` says who, `stale` why it may be abandoned."""

    def __init__(self, path: Path, holder: LockHolder, stale: str | None) -> None:
        self.path = path
        self.holder = holder
        self.stale = stale
        message = f"{path}: đang được mở để sửa bởi {holder.describe()}"
        if stale:
            message += f"; khóa có vẻ đã bỏ dở ({stale}), có thể tiếp quản"
        else:
            message += "; chỉ mở được để xem"
        self.message = message
        super().__init__(message)


def read_lock(path: str | os.PathLike[str]) -> LockHolder | None:
    """Who holds the report at `path`, or None when nobody does.

    A lock file that cannot be read as one (truncated by a full disk, edited by hand) counts as
    held by an unknown process that is long gone, so it can be taken over.
    """
    try:
        text = lock_path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        return LockHolder.from_json(text)
    except ValueError:
        epoch = dt.datetime.fromtimestamp(0).astimezone()
        return LockHolder("?", "?", 0, epoch, epoch)


def _create(lock_file: Path, holder: LockHolder) -> bool:
    # Write the whole record under a private name, then link it into place: the lock file
    # appears complete or not at all, and `link` fails if someone else's is already there.
    staging = lock_file.with_name(f".{lock_file.name}.{holder.token}.tmp")
    staging.write_text(holder.to_json(), encoding="utf-8")
    try:
        os.link(staging, lock_file)
        return True
    except FileExistsError:
        return False
    except OSError:  # no hard links here: exclusive create is nearly as good
        try:
            with open(lock_file, "x", encoding="utf-8") as created:
                created.write(holder.to_json())
            return True
        except FileExistsError:
            return False
    finally:
        staging.unlink(missing_ok=True)


def _remove_if_token(lock_file: Path, token: str) -> bool:
    # Move the lock aside before looking at it, so that a lock someone else created in the
    # meantime is never deleted by mistake: if the one moved is not ours, it goes back.
    aside = lock_file.with_name(f".{lock_file.name}.{secrets.token_hex(4)}.old")
    try:
        os.rename(lock_file, aside)
    except FileNotFoundError:
        return False
    try:
        try:
            moved = LockHolder.from_json(aside.read_text(encoding="utf-8"))
        except ValueError:
            moved = None
        if moved is not None and moved.token != token:
            with contextlib.suppress(FileExistsError):
                os.link(aside, lock_file)
            return False
        return True
    finally:
        aside.unlink(missing_ok=True)


@dataclass
class FileLock:
    """A held lock on one report; release it when the report is closed (or use `with`)."""

    path: Path
    holder: LockHolder

    @property
    def lock_file(self) -> Path:
        return lock_path(self.path)

    @property
    def held(self) -> bool:
        """Whether the lock file still names this lock (nobody took it over)."""
        current = read_lock(self.path)
        return current is not None and current.token == self.holder.token

    def refresh(self) -> bool:
        """Mark the lock as still in use (call now and then while editing); False if lost."""
        if not self.held:
            return False
        self.holder = replace(self.holder, refreshed=_now())
        staging = self.lock_file.with_name(f".{self.lock_file.name}.{self.holder.token}.tmp")
        staging.write_text(self.holder.to_json(), encoding="utf-8")
        os.replace(staging, self.lock_file)
        return True

    def release(self) -> None:
        """Remove the lock file if it is still this lock's; a taken-over lock is left alone."""
        _remove_if_token(self.lock_file, self.holder.token)

    def __enter__(self) -> FileLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def acquire(
    path: str | os.PathLike[str],
    *,
    take_over: bool = False,
    force: bool = False,
    stale_after: dt.timedelta = DEFAULT_STALE_AFTER,
) -> FileLock:
    """Lock the report at `path` for editing, or raise `FileLocked` naming who holds it.

    `take_over` replaces a lock that looks abandoned (see `LockHolder.stale_reason`); `force`
    replaces any lock, for when the drafter has confirmed its holder is gone.
    """
    report = Path(path)
    lock_file = lock_path(report)
    me = LockHolder.me()
    for _attempt in range(_ATTEMPTS):
        if _create(lock_file, me):
            return FileLock(report, me)
        holder = read_lock(report)
        if holder is None:
            continue  # released between our attempt and the read: try again
        stale = holder.stale_reason(stale_after)
        if not (force or (take_over and stale)):
            raise FileLocked(report, holder, stale)
        _remove_if_token(lock_file, holder.token)
    holder = read_lock(report)
    if holder is None:  # pragma: no cover - only under a storm of competing openers
        raise OSError(f"{report}: không tạo được tệp khóa")
    raise FileLocked(report, holder, holder.stale_reason(stale_after))
