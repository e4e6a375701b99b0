"""Durable file replacement: write beside, fsync, keep the previous version, rename, fsync.

At every instant the target path holds either the whole old file or the whole new one, never
a prefix and never nothing: the new bytes go to a temporary file in the same folder, reach the
disk, and only then replace the target with one `os.replace`. The previous version is kept as
`FILE.bak` the same way (a hard link, or a copy where links are not allowed), before the
replacement, so there is no moment without a complete `FILE`.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import tempfile
from pathlib import Path

__all__ = ["atomic_write", "backup_path", "file_fingerprint", "fingerprint"]


def fingerprint(data: bytes) -> str:
    """The content hash a save compares against (SHA-256, hex)."""
    return hashlib.sha256(data).hexdigest()


def file_fingerprint(path: str | os.PathLike[str]) -> str | None:
    """The fingerprint of the file at `path` now, or None when there is no such file."""
    try:
        return fingerprint(Path(path).read_bytes())
    except (FileNotFoundError, NotADirectoryError):
        return None


def backup_path(path: str | os.PathLike[str]) -> Path:
    """Where the previous version of `path` is kept: `FILE.toml` → `FILE.toml.bak`."""
    target = Path(path)
    return target.with_name(target.name + ".bak")


def atomic_write(path: str | os.PathLike[str], data: bytes, *, backup: bool = False) -> None:
    """Replace `path` with `data` all at once; with `backup`, keep what was there as `FILE.bak`.

    A failure (or a kill) at any point leaves a complete file at `path`: the old one or the new.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        if target.exists():
            # Keep the permissions a user gave the file they are replacing.
            os.chmod(temp_name, target.stat().st_mode & 0o7777)
        else:
            os.chmod(temp_name, 0o666 & ~_umask())
        if backup and target.is_file():
            _keep_previous(target)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def _keep_previous(target: Path) -> None:
    # Stage the old version under a private name, then rename it over the backup: the backup
    # too is always whole, and `target` is never touched here.
    backup = backup_path(target)
    staging = backup.with_name(f".{backup.name}.{secrets.token_hex(4)}.tmp")
    try:
        try:
            os.link(target, staging)  # no copy: the old inode lives on as the backup
        except OSError:  # file systems without hard links (some network shares, FAT)
            shutil.copy2(target, staging)
            with open(staging, "rb+") as copy:
                os.fsync(copy.fileno())
        os.replace(staging, backup)
    except BaseException:
        staging.unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _fsync_folder(folder: Path) -> None:
    # The renames are durable only once the folder entry itself reaches the disk.
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(descriptor)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(descriptor)
