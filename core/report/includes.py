"""Sections kept in their own files: `[[sections]]` entries of the form `{ include = "…" }`.

A report may keep a section in a file of its own (`include = "phan/2.1-xuat-khau.toml"`, relative
to the report), so that two offices edit their parts while a third assembles the report. The
included file (a *part*) holds one section as a TOML document: `schema_version` and the keys of
a `[[sections]]` table (type, number, heading, version, table, [data]) at top level. Parts do
not nest: a part never includes another file.

This module knows where a part may be (`resolve_include`: inside the report's folder tree,
unless the entry says `allow_outside = true`), reads its bytes without ever opening a FIFO or
device, writes a section as part text, and saves the parts that changed, each atomically with
its own `.bak` and its own save-conflict check (`save_parts`). Reading the part's TOML is the
store's job (`tongket.core.report.store`), with the same messages as for the report itself.
"""

from __future__ import annotations

import contextlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from tongket.core.oserrors import os_cause
from tongket.core.problems import ReportFileError, dotted
from tongket.core.report.atomicfile import (
    FileTooLarge,
    NotARegularFile,
    atomic_write,
    file_fingerprint,
    fingerprint,
    read_regular_file,
    write_protected,
)

if TYPE_CHECKING:
    from tongket.core.report.model import Project, Section

__all__ = [
    "IncludeError",
    "PartFile",
    "PartReadOnly",
    "check_not_included_twice",
    "display_name",
    "part_file_name",
    "part_table",
    "read_part_bytes",
    "report_folder",
    "resolve_include",
    "save_parts",
    "shown_include",
    "slug",
]


class IncludeError(ValueError):
    """An `include` path that may not be followed; `str()` says why, in Vietnamese."""


class PartReadOnly(OSError):
    """A changed part whose file is marked read-only: it is not replaced (nothing is written).

    `strerror` names the part and what to do; there is no errno, so callers that translate
    common errors show this message as it is.
    """

    def __init__(self, display: str) -> None:
        super().__init__(
            None,
            f"tệp mục {display} được đặt chỉ cho đọc (chmod 444, hoặc tài khoản này không có "
            "quyền ghi); không ghi đè: hãy bỏ chế độ chỉ đọc rồi lưu lại",
        )


@dataclass
class PartFile:
    """What tongket last read from, or wrote to, one included file."""

    include: str  # the path as the report writes it
    path: Path  # where it is (symbolic links followed)
    display: str  # how messages name it: the report's folder as given, joined with `include`
    fingerprint: str | None  # of the bytes on disk when last read or written, for conflicts
    saved: str  # of the text tongket writes for the section as it was then: changed or not
    text: str  # the text last read or written, to place findings on its lines
    allow_outside: bool = False  # the report's entry says `allow_outside = true`


def report_folder(report_file: str) -> str:
    """The folder `include` paths are relative to: the report file's own, "" for the current.

    A report opened through a symbolic link (`~/bc.toml` → `/srv/chung/bao-cao.toml`) keeps
    its parts beside the file itself, where the others who open it find them.
    """
    if os.path.islink(report_file):
        return os.path.dirname(os.path.realpath(report_file))
    return os.path.dirname(report_file)


def display_name(report_file: str, include: str) -> str:
    """How messages name a part: `include` seen from where the report was named."""
    folder = report_folder(report_file)
    return os.path.normpath(os.path.join(folder, include)) if folder else include


#: The longest `include` path, and the longest name in it (bytes, as the file system counts).
MAX_INCLUDE_CHARS = 1024
MAX_NAME_BYTES = 255
_SHOWN_CHARS = 80
#: The largest part read (one section; the biggest real ones are a few hundred kilobytes). A
#: larger file (a 2 GB sparse file, say) is refused from its size, without being read.
MAX_PART_BYTES = 64 * 1024 * 1024
#: "C:/Users/…", "d:thu-muc": a Windows drive, meaningless (and outside the report) here.
_WINDOWS_DRIVE = re.compile(r"[A-Za-z]:(/|$)")


def shown_include(include: str) -> str:
    """`include` as a message quotes it: an absurdly long path shortened in the middle."""
    if len(include) <= _SHOWN_CHARS:
        return include
    return f"{include[:40]}…{include[-30:]} ({len(include)} ký tự)"


def _unsafe_character(include: str) -> str | None:
    # Control characters hide or rewrite what a terminal shows of the path; bidirectional
    # controls show it in another order than it is read ("Trojan Source").
    from tongket.core.writers.terminal import BIDI_CONTROLS

    for character in include:
        code = ord(character)
        if code < 0x20 or 0x7F <= code < 0xA0 or character in BIDI_CONTROLS:
            return f"U+{code:04X}"
    return None


def resolve_include(report_file: str, include: str, *, allow_outside: bool = False) -> Path:
    """The file `include` names, relative to the report at `report_file`, links followed.

    Raises `IncludeError` for an empty path, a backslash, a control or bidirectional
    character, a path too long for the file system, an absolute path or `..`, a link leading
    out of the report's folder tree (these three unless `allow_outside`), or the report
    itself.
    """
    if not include.strip():
        raise IncludeError("đường dẫn include rỗng")
    if "\\" in include:
        raise IncludeError(f"'{shown_include(include)}': đường dẫn dùng dấu /, không dùng \\")
    unsafe = _unsafe_character(include)
    if unsafe is not None:
        raise IncludeError(
            f"'{shown_include(include)}': đường dẫn có ký tự điều khiển hoặc đổi chiều chữ "
            f"({unsafe}); hãy đặt lại tên tệp chỉ bằng chữ, số, '-', '_' và '.'"
        )
    too_long = max((len(name.encode("utf-8")) for name in include.split("/")), default=0)
    if len(include) > MAX_INCLUDE_CHARS or too_long > MAX_NAME_BYTES:
        raise IncludeError(
            f"'{shown_include(include)}': đường dẫn quá dài (tối đa {MAX_INCLUDE_CHARS} ký tự, "
            f"mỗi tên thư mục hay tệp tối đa {MAX_NAME_BYTES} byte)"
        )
    relative = PurePosixPath(include)
    folder = Path(os.path.realpath(report_folder(report_file) or "."))
    if not allow_outside:
        outside = "nằm ngoài thư mục của báo cáo (thêm allow_outside = true vào mục nếu cố ý)"
        if relative.is_absolute():
            raise IncludeError(f"'{include}' là đường dẫn tuyệt đối, {outside}")
        if _WINDOWS_DRIVE.match(include):
            raise IncludeError(
                f"'{include}' là đường dẫn Windows có ổ đĩa ({include[:2]}), {outside}; hãy ghi "
                "đường dẫn so với tệp báo cáo, dùng dấu /"
            )
        if relative.parts[:1] == ("~",):
            raise IncludeError(
                f"'{include}': tongket không hiểu '~' là thư mục nhà; hãy ghi đường dẫn so với "
                "tệp báo cáo"
            )
        if ".." in relative.parts:
            raise IncludeError(f"'{include}' có '..', {outside}")
    real = Path(os.path.realpath(folder / relative))
    if not allow_outside and not real.is_relative_to(folder):
        raise IncludeError(
            f"'{include}' là liên kết tượng trưng trỏ ra ngoài thư mục của báo cáo ({real}); "
            "thêm allow_outside = true vào mục nếu cố ý"
        )
    if real == Path(os.path.realpath(report_file)):
        raise IncludeError(f"'{include}' là chính tệp báo cáo (include vòng tròn)")
    return real


def check_not_included_twice(real: Path, include: str, seen: dict[object, str]) -> None:
    """`IncludeError` when the file `include` resolves to is already included under another
    spelling ("./phan/a.toml", "phan//a.toml", a symbolic or a hard link to it): two sections
    would save over each other. `seen` maps each file included so far (its path and its
    device and inode) to its `include`; the file is added to it, so a report of many parts is
    checked in one pass, not each part against all before it."""
    identity = _file_identity(real)
    first = seen.get(real, seen.get(identity))
    if first is not None:
        raise IncludeError(
            f"'{shown_include(include)}' là cùng một tệp với '{first}' đã được include ở một "
            "mục trước"
        )
    seen[real] = seen[identity] = include


def _file_identity(path: Path) -> tuple[int, int] | Path:
    # A hard link is the same file under another name: the device and inode tell. A file not
    # there (yet) is known by its path alone.
    try:
        info = os.stat(path)
    except OSError:
        return path
    return (info.st_dev, info.st_ino)


def read_part_bytes(path: Path, include: str) -> bytes:
    """The bytes of a part; `IncludeError` when it is missing, not a regular file, larger than
    `MAX_PART_BYTES` or unreadable.

    Never opens a FIFO or a device (`read_regular_file`), nor reads a file too large.
    """
    try:
        return read_regular_file(path, limit=MAX_PART_BYTES)
    except FileTooLarge:
        megabytes = MAX_PART_BYTES // (1024 * 1024)
        try:
            size = f"{os.stat(path).st_size:,} byte".replace(",", ".")
        except OSError:
            size = "không rõ cỡ"
        raise IncludeError(
            f"tệp '{include}' quá lớn ({size}; một tệp mục tối đa {megabytes} MB): không đọc"
        ) from None
    except (FileNotFoundError, NotADirectoryError):
        raise IncludeError(f"không tìm thấy tệp '{include}'") from None
    except NotARegularFile as error:
        raise IncludeError(f"'{include}' là {error.kind}, không phải tệp .toml thường") from None
    except PermissionError:
        raise IncludeError(f"không có quyền đọc tệp '{include}'") from None
    except OSError as error:
        raise IncludeError(f"không đọc được tệp '{include}': {os_cause(error, 'đọc')}") from None


def part_table(section: Section, schema_version: int) -> dict[str, Any]:
    """The TOML table of a part: `schema_version`, then the section's own keys."""
    from tongket.core.report.store import section_table  # the store writes sections one way

    return {"schema_version": schema_version, **section_table(section)}


def part_text(section: Section, schema_version: int) -> str:
    """The text tongket writes for a part."""
    import tomli_w

    return tomli_w.dumps(part_table(section, schema_version), multiline_strings=True)


def slug(text: str) -> str:
    """ASCII, lower case, words joined by "-", without diacritics: "Xuất khẩu" → "xuat-khau"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    bare = "".join(
        char for char in unicodedata.normalize("NFD", text) if not unicodedata.combining(char)
    )
    words = re.sub(r"[^a-z0-9]+", "-", bare.lower()).strip("-")
    return words[:60].rstrip("-")


def part_file_name(section: Section, position: int) -> str:
    """The file name `tongket split` gives a section: "2.1-xuat-khau.toml" for "2.1. Xuất khẩu".

    `position` (from 1) stands in for a missing number; the section type for a missing heading.
    """
    pieces = (slug(piece) for piece in section.number.split("."))
    # A number of 200 levels ("1.1.1.…") would make a name longer than a file system takes.
    number = ".".join(piece for piece in pieces if piece)[:40].rstrip(".-") or f"muc-{position}"
    words = slug(section.heading) or slug(section.type)
    return f"{number}-{words}.toml" if words else f"{number}.toml"


def _include_error(report_file: str, index: int, message: str) -> ReportFileError:
    return ReportFileError(report_file, message, key=dotted(("sections", index, "include")))


def save_parts(
    project: Project,
    report_file: str,
    *,
    overwrite: bool = False,
    backup: bool = True,
    dry_run: bool = False,
) -> list[tuple[Section, Path, bytes]]:
    """Write every included section whose text changed; returns what was (or would be) written.

    A part is written only when the text tongket makes for it differs from the one it read or
    last wrote: an unchanged part is never touched. Each is replaced atomically with its
    previous version kept as `FILE.bak`, and refused with `SaveConflict` when it changed on
    disk since it was read (unless `overwrite`). A part new to this report (just split out, or
    saved as into another folder) is created, never replacing a file already there
    (FileExistsError). Every conflict is looked for before anything is written, so the usual
    refusal writes nothing; `dry_run` only looks.
    """
    from tongket.core.report.store import SaveConflict  # the store raises the same error

    planned: list[tuple[Section, Path, bytes, PartFile | None]] = []
    # By the file itself: "phan/a.toml", "./phan/a.toml", a symbolic or a hard link.
    used: dict[tuple[int, int] | Path, int] = {}
    for index, section in enumerate(project.sections):
        include = section.include
        if include is None:
            continue
        known = project.parts.get(include)
        allow = known.allow_outside if known else False
        try:
            target = resolve_include(report_file, include, allow_outside=allow)
        except IncludeError as error:
            raise _include_error(report_file, index, str(error)) from None
        identity = _file_identity(target)
        if identity in used or target in used:
            first = used.get(identity, used.get(target, 0))
            raise _include_error(
                report_file, index, f"tệp '{include}' đã được dùng cho mục {first + 1}"
            )
        used[identity] = used[target] = index
        data = part_text(section, project.schema_version).encode("utf-8")
        source = known if known is not None and known.path == target else None
        if source is not None and source.saved == fingerprint(data):
            continue  # unchanged since read or last written: never rewritten
        planned.append((section, target, data, source))
    for _section, target, _data, source in planned:
        current = file_fingerprint(target)
        if source is None:
            if current is not None or os.path.lexists(target):
                raise FileExistsError(
                    17, "tệp đã có, không ghi đè", display_name(report_file, str(target))
                )
        elif not overwrite and current != source.fingerprint:
            raise SaveConflict(source.display, source.fingerprint or "", current)
        elif write_protected(target):
            raise PartReadOnly(source.display)
    if dry_run:
        return [(section, target, data) for section, target, data, _source in planned]
    for section, target, data, source in planned:
        _write_part(project, report_file, section, target, data, source, overwrite, backup)
    return [(section, target, data) for section, target, data, _source in planned]


def _write_part(
    project: Project,
    report_file: str,
    section: Section,
    target: Path,
    data: bytes,
    source: PartFile | None,
    overwrite: bool,
    backup: bool,
) -> None:
    from tongket.core.report.store import SaveConflict

    include = section.include or ""
    new = fingerprint(data)

    def unchanged_since_loading() -> bool:
        current = file_fingerprint(target)
        if source is not None and not overwrite and current != source.fingerprint:
            raise SaveConflict(source.display, source.fingerprint or "", current)
        return current != new

    report = Path(os.path.realpath(report_file))
    if source is None:
        _make_folders(target.parent, report.parent)
    atomic_write(
        target,
        data,
        backup=backup,
        exclusive=source is None,
        # A new part is readable by no more people than the report (a private report's parts
        # are not world-readable because of the umask); an existing one keeps its own.
        new_like=report,
        before_replace=unchanged_since_loading,
    )
    known = project.parts.get(include)
    project.parts[include] = PartFile(
        include=include,
        path=target,
        display=display_name(report_file, include),
        fingerprint=new,
        saved=new,
        text=data.decode("utf-8"),
        allow_outside=known.allow_outside if known else False,
    )


def _make_folders(folder: Path, report_folder: Path) -> None:
    """Create `folder` and those above it with the permissions of the report's folder."""
    if folder.is_dir():
        return
    _make_folders(folder.parent, report_folder)
    try:
        # The report folder's set-group-id bit and permissions, never writable by everyone
        # (a report kept in /tmp does not make its parts' folder world-writable).
        mode = os.stat(report_folder).st_mode & 0o2775
    except OSError:
        mode = 0o775
    folder.mkdir(mode=mode & 0o777)
    with contextlib.suppress(OSError):
        os.chmod(folder, mode)  # mkdir's mode passes through the umask; the group's bits count
