"""Who has a report open for editing: a lock file beside it naming user, host, process and time.

Opening `report.toml` for editing creates `report.toml.lock` (JSON, written whole before it
appears). A second opener gets `FileLocked`, which says who holds the file and since when, and
whether the lock looks abandoned; the TUI then offers a read-only view. A stale lock (its
process is gone from this host, or it was not refreshed for `DEFAULT_STALE_AFTER`) may be taken
over, but only when asked for explicitly: `acquire(path, take_over=True)`.

The lock is advisory: it tells people about each other. What protects the file itself is the
content check in `store.save(..., expected=...)`, which refuses to overwrite changes made
after loading.

Whatever is found at the lock's path, opening never fails nor hangs because of it: the lock is
read without following links or blocking (only a regular file, at most `MAX_LOCK_BYTES`), and
anything that is not a lock tongket wrote (a folder, a FIFO, a link to a device, bytes that are
not UTF-8 JSON, a process number or time out of range) is a damaged lock: `FileLocked` names
the damage, and it may be taken over (a folder, which tongket will not delete, only named).
When no lock can be created at all (a folder this account may not write to), `CannotLock`
says why and the report opens read-only. The lock file is created with no more permissions
than the report (`atomicfile.create_like`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import getpass
import json
import os
import re
import stat
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from tongket.core.oserrors import os_reason
from tongket.core.render.vnformat import date_numeric
from tongket.core.report.atomicfile import (
    FileTooLarge,
    NotARegularFile,
    create_like,
    file_kind,
    host_name,
    read_regular_file,
    remove_abandoned_temporaries,
    temporary_path,
)

__all__ = [
    "DEFAULT_STALE_AFTER",
    "MAX_LOCK_BYTES",
    "CannotLock",
    "FileLock",
    "FileLocked",
    "LockHolder",
    "acquire",
    "lock_path",
    "read_lock",
]

#: A lock not refreshed for this long counts as abandoned, wherever its process ran.
DEFAULT_STALE_AFTER = dt.timedelta(hours=12)
#: A lock file is a few hundred bytes; anything past this is not one, and is not read further.
MAX_LOCK_BYTES = 64 * 1024
_ATTEMPTS = 5  # rounds of create / find stale / take over before giving up on a busy lock
_MAX_PID = 2**31 - 1
# User and host names as shown in the banner: printable, short, and free of the brackets and
# backslash that the terminal UI would read as markup.
_NAME = re.compile(r"^[^\x00-\x1f\x7f-\x9f\[\]\\]{1,128}$")
_EPOCH = dt.datetime.fromtimestamp(0, dt.UTC)


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
    #: Why the lock file is not a lock tongket wrote ("" for a sound lock), in Vietnamese.
    damage: str = field(default="", compare=False)
    #: Whether a damaged lock may be removed on take-over (not a folder someone made).
    removable: bool = field(default=True, compare=False)

    @classmethod
    def damaged(cls, damage: str, *, removable: bool = True) -> LockHolder:
        """A stand-in for the unknown holder of a damaged lock file."""
        return cls("?", "?", 0, _EPOCH, _EPOCH, damage=damage, removable=removable)

    @classmethod
    def me(cls) -> LockHolder:
        """A holder record for this process, now."""
        now = _now()
        pid = os.getpid()
        return cls(
            user=_current_user(),
            host=host_name(),
            pid=pid,
            since=now,
            refreshed=now,
            started=_process_start(pid),
            token=os.urandom(8).hex(),  # what secrets.token_hex(8) returns
        )

    def process_alive(self) -> bool | None:
        """Whether the holding process still runs; None when it runs on another machine."""
        if self.damage or self.host != host_name():
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
        if self.damage:
            return f"tệp khóa hỏng: {self.damage}" if self.removable else None
        if self.process_alive() is False:
            return f"tiến trình {self.pid} trên máy {self.host} không còn chạy"
        idle = _now() - self.refreshed
        if idle > stale_after:
            hours = round(idle.total_seconds() / 3600)
            return f"khóa không được làm mới đã {hours} giờ"
        return None

    def describe(self) -> str:
        """ "tài khoản nva trên máy srv1 (tiến trình 4242), từ 14:02 ngày 25/11/2025"."""
        if self.damage:
            return f"một người không rõ (tệp khóa hỏng: {self.damage})"
        local = self.since.astimezone()
        return (
            f"tài khoản {self.user} trên máy {self.host} (tiến trình {self.pid}), "
            f"từ {local:%H:%M} ngày {date_numeric(local.date())}"
        )

    def to_json(self) -> str:
        """The lock file's content."""
        record = asdict(self)
        del record["damage"], record["removable"]
        record["since"] = self.since.isoformat()
        record["refreshed"] = self.refreshed.isoformat()
        return json.dumps(record, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> LockHolder:
        """Read a lock file's content; raises ValueError (saying what is wrong, in Vietnamese)
        when it is not one."""
        try:
            record = json.loads(text)
        except (ValueError, RecursionError):
            raise ValueError("không phải bản ghi JSON") from None
        if not isinstance(record, dict):
            raise ValueError("không phải bản ghi khóa")
        for key in ("user", "host", "pid", "since"):
            if key not in record:
                raise ValueError(f"thiếu trường '{key}'")
        user, host, pid = record["user"], record["host"], record["pid"]
        if not (isinstance(user, str) and _NAME.match(user)):
            raise ValueError("tên tài khoản không hợp lệ")
        if not (isinstance(host, str) and _NAME.match(host)):
            raise ValueError("tên máy không hợp lệ")
        if type(pid) is not int or not 0 < pid <= _MAX_PID:
            raise ValueError("số tiến trình không hợp lệ")
        since = _moment(record, "since")
        started, token = record.get("started"), record.get("token", "")
        if started is not None and not (isinstance(started, str) and started.isdigit()):
            raise ValueError("trường 'started' không hợp lệ")
        if not (isinstance(token, str) and len(token) <= 64):
            raise ValueError("trường 'token' không hợp lệ")
        return cls(
            user=user,
            host=host,
            pid=pid,
            since=since,
            refreshed=_moment(record, "refreshed") if record.get("refreshed") else since,
            started=started,
            token=token,
        )


def _moment(record: dict, key: str) -> dt.datetime:
    # Times are compared with "now" and shown in local time: they need a zone and a year that
    # converts without overflowing.
    value = record[key]
    try:
        moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None:
        raise ValueError(f"trường '{key}' không phải một thời điểm")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"thời điểm '{key}' không có múi giờ")
    if not 1970 <= moment.year <= 9000:
        raise ValueError(f"thời điểm '{key}' ngoài khoảng hợp lệ")
    return moment


class FileLocked(Exception):
    """Someone else has the report open; `holder` says who, `stale` why it may be abandoned.

    A damaged lock file is reported the same way, with `holder.damage` saying what is wrong.
    """

    def __init__(self, path: Path, holder: LockHolder, stale: str | None) -> None:
        self.path = path
        self.holder = holder
        self.stale = stale
        lock_name = lock_path(path).name
        if holder.damage and not holder.removable:
            message = (
                f"{path}: {lock_name} {holder.damage}, không phải tệp khóa của tongket; chỉ mở "
                "được để xem (xóa hoặc đổi tên nó để sửa tệp)"
            )
            #: The reason, as said after "Không sửa được: " and "Không lưu được: ".
            self.summary = f"{lock_name} {holder.damage}, không phải tệp khóa; chỉ xem được"
            #: What the title says after "CHỈ XEM — ".
            self.short = "tệp khóa hỏng"
        elif holder.damage:
            message = (
                f"{path}: tệp khóa {lock_name} hỏng ({holder.damage}), không rõ ai đang giữ "
                "tệp; có thể tiếp quản"
            )
            self.summary = (
                f"tệp khóa {lock_name} hỏng ({holder.damage}); chỉ xem được cho đến khi tiếp quản"
            )
            self.short = "tệp khóa hỏng"
        else:
            message = f"{path}: đang được mở để sửa bởi {holder.describe()}"
            if stale:
                message += f"; khóa có vẻ đã bỏ dở ({stale}), có thể tiếp quản"
            else:
                message += "; chỉ mở được để xem"
            self.summary = f"tệp đang được mở để sửa bởi {holder.describe()}; chỉ xem được"
            self.short = "người khác đang sửa tệp"
        self.message = message
        super().__init__(message)


class CannotLock(FileLocked):
    """No lock file can be made beside the report (a folder this account may not write to, a
    read-only disk): the report opens read-only, and `reason` says why."""

    def __init__(self, path: Path, reason: str, short: str = "không khóa được tệp") -> None:
        super().__init__(path, LockHolder.damaged(reason, removable=False), None)
        self.reason = reason
        self.message = f"{path}: không tạo được tệp khóa ({reason}); chỉ mở được để xem"
        self.summary = f"{reason}; chỉ xem được"
        self.short = short
        self.args = (self.message,)


def read_lock(path: str | os.PathLike[str]) -> LockHolder | None:
    """Who holds the report at `path`, or None when nobody does.

    A lock file that cannot be read as one (truncated by a full disk, edited by hand, not a
    file at all) is returned as `LockHolder.damaged(...)`, naming what is wrong.
    """
    return _read_holder(lock_path(path))


def _read_holder(lock_file: Path) -> LockHolder | None:
    try:
        raw = read_regular_file(lock_file, limit=MAX_LOCK_BYTES, follow_symlinks=False)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except NotARegularFile as error:
        return LockHolder.damaged(
            f"là {error.kind}", removable=error.kind != file_kind(stat.S_IFDIR)
        )
    except FileTooLarge:
        return LockHolder.damaged(f"lớn hơn {MAX_LOCK_BYTES // 1024} KiB")
    except PermissionError:
        return LockHolder.damaged("tài khoản này không có quyền đọc nó")
    except OSError as error:
        return LockHolder.damaged(f"không đọc được: {os_reason(error, lock_file)}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return LockHolder.damaged("không phải văn bản UTF-8")
    try:
        return LockHolder.from_json(text)
    except ValueError as error:
        return LockHolder.damaged(str(error))


def _write_staged(lock_file: Path, holder: LockHolder, model: os.stat_result | None) -> Path:
    # The record, written whole under a private name made with the report's permissions.
    staging = temporary_path(lock_file)
    descriptor = create_like(staging, model)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(holder.to_json())
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
    return staging


def _create(lock_file: Path, holder: LockHolder, model: os.stat_result | None) -> bool:
    # Write the whole record under a private name, then link it into place: the lock file
    # appears complete or not at all, and `link` fails if someone else's is already there.
    staging = _write_staged(lock_file, holder, model)
    try:
        os.link(staging, lock_file)
        return True
    except FileExistsError:
        return False
    except OSError:  # no hard links here: exclusive create is nearly as good
        try:
            descriptor = create_like(lock_file, model)
        except FileExistsError:
            return False
        with os.fdopen(descriptor, "w", encoding="utf-8") as created:
            created.write(holder.to_json())
        return True
    finally:
        staging.unlink(missing_ok=True)


def _remove_if_token(lock_file: Path, token: str) -> bool:
    # Move the lock aside before looking at it, so that a lock someone else created in the
    # meantime is never deleted by mistake: if the one moved is not ours, it goes back.
    aside = temporary_path(lock_file, ".old")
    try:
        os.rename(lock_file, aside)
    except FileNotFoundError:
        return False
    try:
        moved = _read_holder(aside)
        if moved is not None and moved.damage and not moved.removable:
            os.rename(aside, lock_file)  # a folder swapped in meanwhile: never deleted
            return False
        if moved is not None and not moved.damage and moved.token != token:
            with contextlib.suppress(FileExistsError):
                os.link(aside, lock_file)
            return False
        return True
    finally:
        with contextlib.suppress(OSError):
            os.unlink(aside)


def _model(report: Path) -> os.stat_result | None:
    # The report whose permissions the lock file copies (none yet for a new report).
    try:
        return os.stat(report)
    except OSError:
        return None


def _cannot_lock(report: Path, error: OSError, lock_file: Path) -> CannotLock:
    folder = lock_file.parent
    if error.errno in (errno.EACCES, errno.EPERM):
        reason = f"thư mục {folder} không cho tài khoản này ghi"
        return CannotLock(report, reason, "thư mục không cho ghi")
    if error.errno == errno.EROFS:
        return CannotLock(report, f"ổ đĩa chứa {folder} chỉ cho đọc", "ổ đĩa chỉ cho đọc")
    if error.errno == errno.ENOSPC:
        return CannotLock(report, "hết chỗ trống trên đĩa")
    if error.errno == errno.EDQUOT:
        return CannotLock(report, "vượt hạn mức dung lượng của tài khoản")
    if error.errno == errno.ENOENT:
        return CannotLock(report, f"thư mục {folder} không có", "thư mục không có")
    return CannotLock(report, os_reason(error, lock_file))


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
        staging = _write_staged(self.lock_file, self.holder, _model(self.path))
        try:
            os.replace(staging, self.lock_file)
        finally:
            staging.unlink(missing_ok=True)
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
    replaces any lock, for when the drafter has confirmed its holder is gone (but never a
    folder at the lock's path). Raises `CannotLock` when no lock file can be created here.
    Temporary files that killed saves left beside the report are removed first.
    """
    report = Path(path)
    lock_file = lock_path(report)
    remove_abandoned_temporaries(os.path.realpath(report))
    model = _model(report)
    me = LockHolder.me()
    for _attempt in range(_ATTEMPTS):
        try:
            created = _create(lock_file, me, model)
        except OSError as error:
            holder = read_lock(report)
            if holder is not None and not holder.damage:  # say who has it, not why we cannot
                raise FileLocked(report, holder, holder.stale_reason(stale_after)) from None
            raise _cannot_lock(report, error, lock_file) from None
        if created:
            return FileLock(report, me)
        holder = read_lock(report)
        if holder is None:
            continue  # released between our attempt and the read: try again
        stale = holder.stale_reason(stale_after)
        removable = not holder.damage or holder.removable
        if not removable or not (force or (take_over and stale)):
            raise FileLocked(report, holder, stale)
        _remove_if_token(lock_file, holder.token)
    holder = read_lock(report)
    if holder is None:  # pragma: no cover - only under a storm of competing openers
        raise OSError(f"{report}: không tạo được tệp khóa")
    raise FileLocked(report, holder, holder.stale_reason(stale_after))
