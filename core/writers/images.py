"""Pictures a report may embed: regular image files in the report's folder, of bounded size.

An `Image` block names a file, and the block comes from a plugin, so from the report's data: a
path such as "/dev/zero", a FIFO, "~/.ssh/id_rsa" or "../../etc/passwd" must not end up read
or copied into a Word file. `ImageFolders.read` is the one way the writer and `tongket check`
read a picture:

- a relative path is resolved against the report's folder (not the current directory);
- the file, after following every symbolic link, must lie in the report's folder (or below
  it) or in a folder listed in `TONGKET_IMAGE_DIRS` (separated by ":" — ";" on Windows);
- it must be a regular file of at most `MAX_IMAGE_BYTES`, opened without blocking (a FIFO
  never hangs the export) and without following a link swapped in meanwhile;
- its bytes must be a picture python-docx can place (PNG, JPEG, GIF, BMP or TIFF).

A refusal is an `ImageRefused` whose message says why in Vietnamese; the writer prints it in
place of the picture and `tongket check` reports it, so it never stops an export with a crash.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import NamedTuple

from tongket.core.oserrors import os_cause
from tongket.core.render import vnformat

__all__ = ["IMAGE_DIRS_VARIABLE", "MAX_IMAGE_BYTES", "ImageFolders", "ImageRefused"]

#: The largest picture embedded; a scanned page at 300 dpi is a few megabytes.
MAX_IMAGE_BYTES = 20 * 1024 * 1024
#: Further folders pictures may come from, besides the report's own.
IMAGE_DIRS_VARIABLE = "TONGKET_IMAGE_DIRS"


class ImageRefused(Exception):
    """A picture that is not embedded; the message (Vietnamese) says why."""


# A NamedTuple: cheaper to define at every start than a frozen dataclass (developer guide).
class ImageFolders(NamedTuple):
    """Where pictures may be read from: `base` (the report's folder) and `allowed` folders."""

    base: Path
    allowed: tuple[Path, ...]

    @classmethod
    def for_report(cls, report: str | os.PathLike[str] | None) -> ImageFolders:
        """The folder of `report` (the current one for an unsaved report) and the folders of
        `TONGKET_IMAGE_DIRS`."""
        base = Path(os.path.abspath(Path(report).parent if report is not None else Path.cwd()))
        extra = os.environ.get(IMAGE_DIRS_VARIABLE, "").split(os.pathsep)
        folders = [base, *(Path(folder) for folder in extra if folder.strip())]
        return cls(base, tuple(Path(os.path.realpath(folder)) for folder in folders))

    def resolve(self, path: str) -> Path:
        """The real path of the picture `path` names; `ImageRefused` when it lies elsewhere."""
        if not path.strip():
            raise ImageRefused("thiếu đường dẫn tệp hình")
        if "\x00" in path:
            raise ImageRefused("đường dẫn tệp hình có ký tự NUL")
        real = Path(os.path.realpath(self.base / path))
        if not any(real.is_relative_to(folder) for folder in self.allowed):
            raise ImageRefused(
                f"tệp nằm ngoài thư mục của báo cáo ({self.base}); hãy chép hình vào thư mục "
                f"đó, hoặc khai báo thư mục chứa hình trong biến môi trường {IMAGE_DIRS_VARIABLE}"
            )
        return real

    def read(self, path: str) -> bytes:
        """The bytes of the picture `path` names, checked; `ImageRefused` saying why not."""
        real = self.resolve(path)
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
        try:
            descriptor = os.open(real, flags | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            raise ImageRefused("không tìm thấy tệp") from None
        except PermissionError:
            raise ImageRefused("không có quyền đọc tệp") from None
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise ImageRefused("tệp vừa bị thay bằng một liên kết tượng trưng") from None
            raise ImageRefused(f"không đọc được tệp ({os_cause(error, 'đọc')})") from None
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode):
                raise ImageRefused("không phải tệp thường (là thư mục, thiết bị hoặc FIFO)")
            if status.st_size > MAX_IMAGE_BYTES:
                raise ImageRefused(_too_big(status.st_size))
            blob = _read_at_most(descriptor, MAX_IMAGE_BYTES + 1)  # it may grow meanwhile
        finally:
            os.close(descriptor)
        if len(blob) > MAX_IMAGE_BYTES:
            raise ImageRefused(_too_big(len(blob)))
        _check_picture(blob)
        return blob


def _read_at_most(descriptor: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = os.read(descriptor, min(1 << 20, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _too_big(size: int) -> str:
    megabytes = MAX_IMAGE_BYTES // (1024 * 1024)
    return f"tệp dài {vnformat.number(size)} byte, quá giới hạn {megabytes} MB của một hình"


def _check_picture(blob: bytes) -> None:
    from docx.image.image import Image  # python-docx loads only when a report has pictures

    try:
        Image.from_blob(blob)
    except Exception:  # python-docx raises several kinds for a damaged or foreign file
        raise ImageRefused(
            "không phải tệp hình Word đọc được (cần PNG, JPEG, GIF, BMP hoặc TIFF)"
        ) from None
