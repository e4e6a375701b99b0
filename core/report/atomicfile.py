"""Durable file replacement: write beside, fsync, keep the previous version, rename, fsync.

At every instant the target path holds either the whole old file or the whole new one, never
a prefix and never nothing: the new bytes go to a temporary file in the same folder, reach the
disk, and only then replace the target with one `os.replace`. The previous version is kept as
`FILE.bak` the same way (a hard link, or a copy where links are not allowed), before the
replacement, so there is no moment without a complete `FILE`.

Reports live in shared folders, so a write also keeps who may read them:

- the new file gets the owner, group and mode of the one it replaces, and every file made
  beside a report (temporary file, backup copy, lock, recovery copy) is created with no more
  permissions than the report has, from the moment it exists (`create_like`);
- the check-backup-replace sequence runs under an exclusive `flock` on the folder, so two
  processes saving at once are serialised and the second sees the first one's file;
- temporary files name their writer (process and machine), so the next writer or opener can
  remove those that a killed process left behind without touching a live one's
  (`remove_abandoned_temporaries`).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

__all__ = [
    "FileTooLarge",
    "NotARegularFile",
    "account_name",
    "atomic_write",
    "backup_path",
    "create_like",
    "current_umask",
    "digest_regular_file",
    "file_fingerprint",
    "file_kind",
    "fingerprint",
    "group_name",
    "host_name",
    "read_regular_file",
    "remove_abandoned_temporaries",
    "temporary_path",
    "write_protected",
]

#: A temporary file whose writer cannot be asked (another machine, an older tongket) counts as
#: abandoned once this old: a save writes and renames its own within milliseconds.
ABANDONED_AFTER = 10.0
#: Past this age even a temporary file of a live process on this machine counts as abandoned
#: (its process number was reused by something else).
REUSED_PID_AFTER = 3600.0
#: How long a write waits for another write in the same folder before giving up.
LOCK_WAIT = 15.0

_FLAGS_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
# flock on a folder is refused by some network file systems (NFS emulates it with a byte-range
# lock, which needs a file open for writing): then a hidden lock file per report is used.
_NO_FOLDER_LOCK = {errno.EBADF, errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS}
# `.NAME.<pid>-<host>-<random>.tmp` (this version) or `.NAME.<random>.tmp` (older versions,
# whose writer cannot be told); `.old` is a lock moved aside while being taken over.
_TEMPORARY = re.compile(
    r"^\.(?P<base>.+)\.(?:(?P<pid>\d{1,10})-(?P<host>[0-9a-f]{6})-[0-9a-f]{8}"
    r"|[a-z0-9_]{8}|[0-9a-f]{16})\.(?:tmp|old)$"
)


class NotARegularFile(OSError):
    """The path holds a folder, FIFO, socket, device or (when not followed) a symbolic link."""

    def __init__(self, path: str | os.PathLike[str], kind: str) -> None:
        self.kind = kind
        super().__init__(errno.EINVAL, f"là {kind}, không phải tệp thường", os.fspath(path))


class FileTooLarge(OSError):
    """The file is larger than the caller is willing to read."""

    def __init__(self, path: str | os.PathLike[str], limit: int) -> None:
        self.limit = limit
        super().__init__(errno.EFBIG, f"lớn hơn {limit} byte", os.fspath(path))


_FILE_KINDS = (
    (stat.S_ISREG, "một tệp thường"),
    (stat.S_ISDIR, "một thư mục"),
    (stat.S_ISLNK, "một liên kết tượng trưng"),
    (stat.S_ISFIFO, "một FIFO (ống có tên)"),
    (stat.S_ISSOCK, "một socket"),
    (stat.S_ISCHR, "một thiết bị ký tự (như /dev/null)"),
    (stat.S_ISBLK, "một thiết bị khối"),
)


def file_kind(mode: int) -> str:
    """What a file is, for messages: "một thư mục", "một FIFO (ống có tên)", … (Vietnamese)."""
    return next((name for is_kind, name in _FILE_KINDS if is_kind(mode)), "một loại tệp đặc biệt")


def fingerprint(data: bytes) -> str:
    """The content hash a save compares against (SHA-256, hex)."""
    import hashlib  # here: its OpenSSL start-up is a cost every export would pay

    return hashlib.sha256(data).hexdigest()


def read_regular_file(
    path: str | os.PathLike[str], *, limit: int | None = None, follow_symlinks: bool = True
) -> bytes:
    """The bytes of the regular file at `path`, never blocking on a FIFO nor reading a device.

    Raises FileNotFoundError, `NotARegularFile` (also for a symbolic link when
    `follow_symlinks` is False), `FileTooLarge` past `limit` bytes, or another OSError.
    """
    return b"".join(_regular_chunks(path, limit, follow_symlinks))


def digest_regular_file(path: str | os.PathLike[str], *, limit: int | None = None) -> str:
    """`fingerprint` of the regular file at `path`, read piece by piece (a large file is never
    held in memory whole); raises as `read_regular_file` does."""
    import hashlib

    digest = hashlib.sha256()
    for chunk in _regular_chunks(path, limit, True):
        digest.update(chunk)
    return digest.hexdigest()


def _regular_chunks(
    path: str | os.PathLike[str], limit: int | None, follow_symlinks: bool
) -> Iterator[bytes]:
    info = os.stat(path, follow_symlinks=follow_symlinks)
    if not stat.S_ISREG(info.st_mode):
        raise NotARegularFile(path, file_kind(info.st_mode))  # never opened: no side effects
    if limit is not None and info.st_size > limit:
        raise FileTooLarge(path, limit)  # not read at all
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow_symlinks else os.O_NOFOLLOW)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP and not follow_symlinks:  # replaced meanwhile
            raise NotARegularFile(path, file_kind(stat.S_IFLNK)) from None
        raise
    try:
        opened = os.fstat(descriptor)
        if not stat.S_ISREG(opened.st_mode):  # swapped between the look and the open
            raise NotARegularFile(path, file_kind(opened.st_mode))
        size = 0
        while chunk := os.read(descriptor, 1 << 16):
            size += len(chunk)
            if limit is not None and size > limit:  # grew while being read
                raise FileTooLarge(path, limit)
            yield chunk
    finally:
        os.close(descriptor)


def file_fingerprint(path: str | os.PathLike[str]) -> str | None:
    """The fingerprint of the file at `path` now, or None when there is no such file."""
    try:
        return fingerprint(read_regular_file(path))
    except (FileNotFoundError, NotADirectoryError):
        return None


def backup_path(path: str | os.PathLike[str]) -> Path:
    """Where the previous version of `path` is kept: `FILE.toml` → `FILE.toml.bak`."""
    target = Path(path)
    return target.with_name(target.name + ".bak")


def write_protected(path: str | os.PathLike[str]) -> bool:
    """True when the regular file at `path` is marked read-only (chmod 444) or this account
    may not write it; for root, which permissions do not stop, the mode bits decide."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):
        return False
    if os.geteuid() == 0:
        return not info.st_mode & 0o222
    return not os.access(path, os.W_OK)


def host_name() -> str:
    """This machine's name, as `socket.gethostname()` gives it."""
    # On POSIX that is os.uname()'s node name: socket is not imported for it (a few
    # milliseconds of every export's start-up, and of the app's before its first frame).
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


def _host_tag() -> str:
    # CRC-32 from zlib, which writing any .docx loads anyway, tells hosts apart well enough
    # for a file name (secrets and hashlib are not imported for it).
    import zlib

    return f"{zlib.crc32(host_name().encode()):08x}"[:6]


def temporary_path(target: str | os.PathLike[str], suffix: str = ".tmp") -> Path:
    """A fresh hidden name beside `target` that says which process writes it:
    `report.toml` → `.report.toml.<pid>-<host>-<random>.tmp`."""
    target = Path(target)
    tag = f"{os.getpid()}-{_host_tag()}-{os.urandom(4).hex()}"
    return target.with_name(f".{target.name}.{tag}{suffix}")


def create_like(
    path: str | os.PathLike[str],
    model: os.stat_result | None,
    *,
    keep_owner: bool = False,
    mask: int = 0o666,
) -> int:
    """Create `path` exclusively for writing, readable by nobody who cannot read `model`.

    The file takes `model`'s group and permission bits (within `mask`), and with `keep_owner`
    its owner too (only root may give a file away). Until the group is set, only the owner's
    bits are on, so the file is never open to more people than `model`, not even for an
    instant. Without `model` the file is made as any new file is (0666 less the umask).
    Returns the open descriptor.
    """
    if model is None:
        return os.open(path, _FLAGS_NEW, 0o666)
    mode = stat.S_IMODE(model.st_mode) & mask
    descriptor = os.open(path, _FLAGS_NEW, mode & 0o700)
    try:
        try:
            os.fchown(descriptor, model.st_uid if keep_owner else -1, model.st_gid)
        except PermissionError:
            # Not root: the file is ours whatever happens. A member of the report's group (a
            # colleague allowed to write through the group) can still give it that group.
            try:
                os.fchown(descriptor, -1, model.st_gid)
            except PermissionError:
                # Not in that group either: the file keeps our own group, which must not get
                # the report's group permissions (it may be a different set of people), only
                # what everyone may do (never less than strangers: 0604 would shut it out).
                mode = _group_as_others(mode)
        os.fchmod(descriptor, mode)
    except BaseException:
        os.close(descriptor)
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    return descriptor


def _narrowest(
    sources: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
) -> os.stat_result | None:
    """A model readable by nobody who cannot read every one of `sources` (those that exist):
    the permission bits they all have, with the first one's group, and when their groups
    differ the group gets only what everyone may (either group's people may lack the other's
    file)."""
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    models = [model for model in map(_stat_or_none, map(Path, sources)) if model is not None]
    if not models:
        return None
    first, mode = models[0], stat.S_IMODE(models[0].st_mode)
    groups_differ = False
    for other in models[1:]:
        mode &= stat.S_IMODE(other.st_mode)
        groups_differ = groups_differ or other.st_gid != first.st_gid
    if groups_differ:
        # Either group's people may lack the other's file: they get what everyone may (a
        # group shut out of a file strangers can read, 0604, would make no sense).
        mode = _group_as_others(mode)
    fields = list(first)
    fields[0] = stat.S_IFMT(first.st_mode) | mode
    return os.stat_result(fields)


def _group_as_others(mode: int) -> int:
    """`mode` with the group's bits replaced by the others' bits."""
    return (mode & ~0o070) | ((mode & 0o007) << 3)


def current_umask() -> int:
    """This process's umask (from /proc on Linux, without changing it; else set and reset)."""
    status = Path("/proc/self/status")
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in status.read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8) & 0o777
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def _writable_by_readers(model: os.stat_result) -> os.stat_result:
    """`model` plus write for each class that may read it and that this account's umask lets
    write a new file: a reply from a colleague with umask 022 does not keep a team that works
    with umask 002 from editing the consolidation made from it. Who may read is unchanged."""
    mode = stat.S_IMODE(model.st_mode)
    readers = mode & 0o444
    mode |= (readers >> 1) & ~current_umask() & 0o222
    fields = list(model)
    fields[0] = stat.S_IFMT(model.st_mode) | mode
    return os.stat_result(fields)


def _stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None


def atomic_write(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    backup: bool = False,
    like: str | os.PathLike[str] | None = None,
    new_like: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
    exclusive: bool = False,
    before_replace: Callable[[], bool] | None = None,
) -> bool:
    """Replace `path` with `data` all at once; with `backup`, keep what was there as `FILE.bak`.

    The new file keeps the owner, group and mode of the one it replaces; with `like`, it takes
    the group and mode of that file instead (a recovery copy takes its report's). `new_like`
    does the same only when nothing is at `path` yet: what is made from a report (its Word
    file, PDF, parts) is readable by no more people than the report, and a file the user
    already has keeps the permissions they gave it; several files (a comparison made from two
    drafts) give the narrowest of them: the bits all share, the group no more than everyone
    if their groups differ; each class that may read it may also write it when this account's
    umask lets it. `exclusive`
    creates the file only if nothing is at `path` yet (FileExistsError otherwise).
    `before_replace` runs with the folder locked against other writers, just before anything
    is written: it may raise to refuse, or return False to write nothing. A folder, FIFO or
    device at `path` is never replaced (`NotARegularFile`). Returns whether it wrote.

    A failure (or a kill) at any point leaves a complete file at `path`: the old one or the new.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    with _folder_locked(folder, target) as folder_descriptor:
        remove_abandoned_temporaries(target)
        current = _stat_or_none(target)
        if current is not None and not stat.S_ISREG(current.st_mode):
            raise NotARegularFile(target, file_kind(current.st_mode))
        if exclusive and os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "tệp đã có", str(target))
        if before_replace is not None and not before_replace():
            return False
        if like is not None:
            model, keep_owner, mask = _stat_or_none(Path(like)), False, 0o666
        elif current is None and new_like is not None:
            model, keep_owner, mask = _narrowest(new_like), False, 0o666
            model = _writable_by_readers(model) if model is not None else None
        else:
            model, keep_owner, mask = current, True, 0o777
        temp = temporary_path(target)
        descriptor = create_like(temp, model, keep_owner=keep_owner, mask=mask)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if backup and current is not None:
                _keep_previous(target, current)
            if exclusive:
                _link_new(temp, target)
            else:
                _replace(temp, target)
        finally:
            temp.unlink(missing_ok=True)  # gone already after a rename
        # The renames are durable only once the folder entry itself reaches the disk.
        if folder_descriptor is not None:
            with contextlib.suppress(OSError):
                os.fsync(folder_descriptor)
    return True


def _link_new(temp: Path, target: Path) -> None:
    # `link` fails when anything is at `target`: a file appears complete, or nothing happens.
    try:
        os.link(temp, target)
    except FileExistsError:
        raise FileExistsError(errno.EEXIST, "tệp đã có", str(target)) from None
    except OSError:  # no hard links here: reserve the name, then rename over the reservation
        os.close(os.open(target, _FLAGS_NEW, 0o600))
        os.replace(temp, target)


def _keep_previous(target: Path, current: os.stat_result) -> None:
    # Stage the old version under a private name, then rename it over the backup: the backup
    # too is always whole, and `target` is never touched here.
    backup = backup_path(target)
    staging = temporary_path(backup)
    try:
        try:
            os.link(target, staging)  # no copy: the old inode, owner and mode live on
        except OSError:  # file systems without hard links (some network shares, FAT)
            _copy_like(target, staging, current)
        _replace(staging, backup)
    finally:
        # When the backup already is the same inode as `target` (a save killed between the
        # two renames), `rename` does nothing and leaves the staging name: remove it.
        staging.unlink(missing_ok=True)


def _replace(source: Path, target: Path) -> None:
    """`os.replace`, saying why a sticky folder (like /tmp) refuses it: there only a file's
    owner may replace it, whatever its permission bits say."""
    try:
        os.replace(source, target)
    except PermissionError as error:
        owner = _sticky_owner(target)
        if owner is None:
            raise
        raise PermissionError(
            error.errno,
            f"tệp thuộc tài khoản {owner}, trong thư mục có bit dính (sticky, như /tmp) chỉ chủ "
            "tệp mới thay được nó; hãy chọn tên tệp khác",
            str(target),
        ) from None


def _sticky_owner(target: Path) -> str | None:
    # The account owning `target` when the sticky bit of its folder keeps us from replacing it.
    try:
        folder = os.stat(target.parent if str(target.parent) else ".")
        info = os.lstat(target)
    except OSError:
        return None
    if not folder.st_mode & stat.S_ISVTX or info.st_uid in (os.geteuid(), folder.st_uid):
        return None
    return account_name(info.st_uid)


def account_name(uid: int) -> str:
    """The name of the account `uid` ("nva"), or the number where there is none (or no pwd)."""
    try:
        import pwd  # only where a message names another account

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return str(uid)


def group_name(gid: int) -> str:
    """The name of the group `gid` ("baocao"), or the number where there is none."""
    try:
        import grp

        return grp.getgrgid(gid).gr_name
    except (ImportError, KeyError):
        return str(gid)


def _copy_like(source: Path, copy: Path, model: os.stat_result) -> None:
    descriptor = create_like(copy, model, keep_owner=True, mask=0o777)
    with os.fdopen(descriptor, "wb") as written:
        written.write(read_regular_file(source))
        written.flush()
        os.fsync(written.fileno())
    os.utime(copy, ns=(model.st_atime_ns, model.st_mtime_ns))


@contextlib.contextmanager
def _folder_locked(folder: Path, target: Path) -> Iterator[int | None]:
    """Hold an exclusive lock among tongket writers of `folder`; yields the folder's handle
    (None for a folder one may write to but not list)."""
    try:
        descriptor: int | None = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except PermissionError:
        descriptor = None
    fallback = None
    try:
        try:
            if descriptor is None:
                raise OSError(errno.EBADF, "no folder handle")
            _lock(descriptor, target)
        except OSError as error:
            if error.errno not in _NO_FOLDER_LOCK:
                raise
            # A hidden lock file beside the report, shaped like it; it stays there, since
            # removing a lock file others may be waiting on would let two writers in.
            lock_file = target.with_name(f".{target.name}.save-lock")
            fallback = _open_lock_file(lock_file, _stat_or_none(target))
            _lock(fallback, target)
        yield descriptor
    finally:
        if fallback is not None:
            os.close(fallback)
        if descriptor is not None:
            os.close(descriptor)


def _open_lock_file(lock_file: Path, model: os.stat_result | None) -> int:
    try:
        return create_like(lock_file, model)
    except FileExistsError:
        return os.open(lock_file, os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC)


def _lock(descriptor: int, target: Path) -> None:
    # Poll rather than block, so a writer stuck on a dead network share cannot hang us.
    deadline = time.monotonic() + LOCK_WAIT
    pause = 0.001
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    errno.ETIMEDOUT,
                    f"tiến trình khác đang ghi vào thư mục này đã hơn {LOCK_WAIT:g} giây",
                    str(target),
                ) from None
            time.sleep(pause)
            pause = min(pause * 2, 0.05)


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (OSError, OverflowError):
        return False  # alive under another account, or a number we cannot ask about
    return False


def remove_abandoned_temporaries(path: str | os.PathLike[str]) -> list[Path]:
    """Remove temporary files that killed writers left beside `path`; returns those removed.

    Covers the temporary copies of the file, of its backup, lock and recovery copy. A file is
    removed only when its process is known to be gone (same machine), or when it is older
    than `ABANDONED_AFTER` seconds and its writer cannot be asked; a live writer's file stays.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    name = target.name
    removed: list[Path] = []
    now = time.time()
    host = _host_tag()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMPORARY.match(entry.name)
        if match is None:
            continue
        base = match["base"]
        if not (base == name or base.startswith((f"{name}.", f".{name}."))):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode):
            continue
        age = now - info.st_mtime
        if match["pid"] and match["host"] == host:
            abandoned = _process_gone(int(match["pid"])) or age > REUSED_PID_AFTER
        else:
            abandoned = age > ABANDONED_AFTER
        if abandoned:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed
