"""The .docx package of `tongket import`, opened as if it were hostile.

A .docx is a zip of XML parts. This module opens one (only a regular file: a FIFO would block,
a device never ends), checks the zip's entry count and each part's size before anything is
inflated, refuses a part with a DTD (the door to external entities and entity expansion)
before it is parsed, and parses with libxml2's limits on depth and text size kept, no entity
resolved and nothing fetched. It returns the main document, styles and numbering, parsed,
and on request a part the document points to (footnotes, endnotes); `docx_reading` walks them.

lxml is imported inside the functions (never at CLI start-up).
"""

from __future__ import annotations

import codecs
import os
import posixpath
import stat
import struct
import zipfile
from dataclasses import dataclass
from typing import Any

from tongket.core.oserrors import os_cause

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
_MAIN_RELATION = "/officeDocument"
#: The largest main document read (uncompressed; a 1.000-page report is about 20 MB); a larger
#: one is refused before it is inflated. Parsing costs about 25 times the size in memory.
MAX_PART_BYTES = 64 * 1024 * 1024
#: The largest styles, numbering or relationships part (a few hundred KB in real documents).
MAX_SMALL_PART_BYTES = 16 * 1024 * 1024
#: The most zip entries a .docx may have (one per picture, chart, header…; real ones: < 1.000).
#: Counted from the zip's end record, before Python reads the whole directory into memory.
MAX_ENTRIES = 20_000


class DocxReadError(Exception):
    """The file is not a readable .docx; the message (Vietnamese) names the file and the cause."""


def _read_part(
    archive: zipfile.ZipFile, name: str, file: str, limit: int = MAX_SMALL_PART_BYTES
) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    # The declared size decides before inflating; zipfile never inflates past it (a part that
    # lies about its size ends at the declared size and fails its CRC as a damaged zip).
    if info.file_size > limit:
        raise DocxReadError(
            f"{file}: phần {name} quá lớn ({_megabytes(info.file_size)} khi giải nén, tối đa "
            f"{_megabytes(limit)}); tongket không mở văn bản lớn như vậy, hãy tách văn bản"
        )
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise DocxReadError(f"{file}: gói zip bị hỏng ở phần {name} ({error})") from None
    except NotImplementedError:
        raise DocxReadError(f"{file}: phần {name} nén theo cách không đọc được") from None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size} byte"


#: "<!DOCTYPE" as it appears in a part in UTF-8 (or any 8-bit encoding), UTF-16 and UTF-32.
_DOCTYPE = tuple(
    "<!DOCTYPE".encode(encoding)
    for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
#: libxml2's messages for the limits it keeps, as a drafter reads them (each limit has two
#: wordings: libxml2 2.11 and older, and newer).
_XML_LIMITS = (
    ("Excessive depth", "các thẻ XML lồng nhau quá sâu"),
    ("xmlSAX2Characters: huge text node", "một đoạn chữ dài quá 10 MB"),
    ("Text node too long", "một đoạn chữ dài quá 10 MB"),
    ("Invalid bytes in character encoding", "có byte không đúng bảng mã đã khai báo (UTF-8?)"),
)


def _xml_parser() -> Any:
    """libxml2 with no entity resolved, no DTD loaded, nothing fetched."""
    from lxml import etree

    # No huge_tree: libxml2 keeps its limits (256 levels, 10 MB per text node), which also
    # keeps the walk below the Python recursion limit.
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
    )


def _parse_xml(data: bytes, name: str, file: str) -> Any:
    from lxml import etree

    # Word never writes a DTD; one in a .docx can only mean to read files through external
    # entities (XXE) or to expand entities without end. Refused before the parser sees it.
    if any(marker in data for marker in _DOCTYPE):
        raise DocxReadError(
            f"{file}: phần {name} có khai báo DOCTYPE (Word không bao giờ ghi), có thể là tệp "
            "độc hại; không đọc"
        )
    try:
        root = etree.fromstring(data, _xml_parser())
    except etree.XMLSyntaxError as error:
        raise DocxReadError(_xml_error_message(error, data, name, file)) from None
    if root.getroottree().docinfo.doctype:  # an encoding the check above does not know
        raise DocxReadError(f"{file}: phần {name} có khai báo DOCTYPE; không đọc")
    return root


def _xml_error_message(error: Any, data: bytes, name: str, file: str) -> str:
    """Why part `name` of `file` is not XML, in Vietnamese, at libxml2's line and column:
    "…: phần word/document.xml không phải XML hợp lệ (dòng 3: tệp bị cắt cụt, ở cột 17)"."""
    line, column = error.position  # as libxml2 counts them, from 1 (0: not known)
    reason = _xml_error_reason(error, data)
    if line:
        reason = f"dòng {line}: {reason}" + (f", ở cột {column}" if column else "")
    return f"{file}: phần {name} không phải XML hợp lệ ({reason})"


def _xml_error_reason(error: Any, data: bytes) -> str:
    """libxml2's error as a short Vietnamese reason (its English text is not shown)."""
    from lxml import etree

    said = str(getattr(error, "msg", "") or "")
    limit = next((reason for key, reason in _XML_LIMITS if key in said), None)
    if limit is not None:
        return limit
    codes = etree.ErrorTypes
    if error.code == codes.ERR_DOCUMENT_EMPTY:
        return "phần trống, không có thẻ XML nào"
    if _ends_early(data):
        return "tệp bị cắt cụt"
    if error.code == codes.ERR_TAG_NAME_MISMATCH:
        return "thẻ mở và thẻ đóng không khớp"
    if error.code in (
        codes.ERR_INVALID_CHAR,
        codes.ERR_INVALID_CHARREF,
        codes.ERR_INVALID_DEC_CHARREF,
        codes.ERR_INVALID_HEX_CHARREF,
    ):
        return "ký tự không hợp lệ"
    return "sai cú pháp XML"


def _ends_early(data: bytes) -> bool:
    """The XML is fine as far as it goes and stops mid-way (a part written only in part).

    Fed to an incremental parser, such data raises nothing until the parser is told that no
    more is coming; any other error shows while it is fed. The parser also waits, without an
    error, for a ";" after "&" (or a ">" after "<") it never gets: then what it waited on is
    followed by more markup, which a part cut short does not have."""
    from lxml import etree

    parser = _xml_parser()
    try:
        parser.feed(data)
    except etree.XMLSyntaxError:
        return False
    try:
        parser.close()
    except etree.XMLSyntaxError as error:
        line, column = error.position
        lines = _as_text(data).split("\n")
        if not 0 < line <= len(lines):
            return True
        waited_on = "\n".join([lines[line - 1][column:], *lines[line:]])
        return "<" not in waited_on
    return False


def _as_text(data: bytes) -> str:
    """`data` decoded closely enough to count lines and columns as libxml2 does."""
    if data[:2] in (b"\xff\xfe", b"<\x00"):
        return data.decode("utf-16-le", "replace")
    if data[:2] in (b"\xfe\xff", b"\x00<"):
        return data.decode("utf-16-be", "replace")
    try:  # a character cut at the end is not an error here
        return codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError:
        return data.decode("latin-1")  # an 8-bit code page: a character a byte


def _sniff(head: bytes, file: str) -> str:
    """Why a file that is not a zip cannot be a .docx: the format it seems to be."""
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return (
            f"{file}: là tệp Word 97–2003 (.doc), không phải .docx; hãy mở bằng Word hoặc "
            "LibreOffice và lưu lại thành .docx"
        )
    if head.startswith(b"{\\rtf"):
        return f"{file}: là tệp RTF, không phải .docx; hãy lưu lại thành .docx"
    if head.startswith(b"%PDF"):
        return f"{file}: là tệp PDF, không phải .docx; cần bản Word (.docx) của văn bản"
    if not head:
        return f"{file}: tệp rỗng (0 byte), không phải .docx"
    return f"{file}: không phải tệp Word .docx (không phải gói zip)"


def _entry_count(stream: Any) -> int | None:
    """How many entries the zip's end record announces (None when it cannot be found: the
    zipfile module then says the zip is damaged)."""
    size = stream.seek(0, os.SEEK_END)
    tail_size = min(size, 65_536 + 22)  # the end record and a comment of at most 64 KB
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or end + 22 > len(tail):
        return None
    count = struct.unpack("<H", tail[end + 10 : end + 12])[0]
    locator = end - 20  # Zip64: the count is in the Zip64 end record the locator points to
    if count == 0xFFFF and locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        offset = struct.unpack("<Q", tail[locator + 8 : locator + 16])[0]
        if offset + 40 <= size:
            stream.seek(offset)
            record = stream.read(40)
            if record[:4] == b"PK\x06\x06":
                count = struct.unpack("<Q", record[32:40])[0]
    stream.seek(0)
    return count


def refuse_unreadable_docx(file: str) -> None:
    """Raise `DocxReadError` now if `file` cannot be opened as a regular file (FIFOs and
    devices are refused unopened), so a command names its input before its output."""
    _open_regular(file).close()


def _open_regular(file: str) -> Any:
    """The input opened for reading, only if it is a regular file (links followed)."""
    from tongket.core.report.atomicfile import file_kind

    try:
        info = os.stat(file)
        if stat.S_ISDIR(info.st_mode):
            raise DocxReadError(f"{file}: là một thư mục, cần một tệp .docx")
        if not stat.S_ISREG(info.st_mode):  # never opened: a FIFO would block, /dev/zero never ends
            raise DocxReadError(
                f"{file}: là {file_kind(info.st_mode)}, không phải tệp thường; cần một tệp .docx"
            )
        descriptor = os.open(file, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except (FileNotFoundError, NotADirectoryError):
        raise DocxReadError(f"{file}: không tìm thấy tệp") from None
    except PermissionError:
        raise DocxReadError(f"{file}: không có quyền đọc tệp") from None
    except OSError as error:
        raise DocxReadError(f"{file}: không đọc được ({os_cause(error, 'đọc')})") from None
    opened = os.fstat(descriptor)
    if not stat.S_ISREG(opened.st_mode):  # swapped between the look and the open
        os.close(descriptor)
        raise DocxReadError(f"{file}: là {file_kind(opened.st_mode)}, không phải tệp thường")
    return os.fdopen(descriptor, "rb")


def _main_part_name(archive: zipfile.ZipFile, file: str) -> str:
    rels = _read_part(archive, "_rels/.rels", file)
    if rels is not None:
        root = _parse_xml(rels, "_rels/.rels", file)
        for relation in root:
            if str(relation.get("Type", "")).endswith(_MAIN_RELATION):
                return posixpath.normpath(str(relation.get("Target", "")).lstrip("/"))
    return "word/document.xml"


@dataclass
class Package:
    """The parts of a .docx that import needs, parsed."""

    document: Any
    styles: Any | None
    numbering: Any | None
    main_name: str


def open_package(path: str | os.PathLike[str]) -> Package:
    """The main document, styles and numbering of a .docx; raises `DocxReadError`."""
    file = os.fspath(path)
    with _open_regular(file) as stream:
        return _read_package(stream, file)


def _open_archive(stream: Any, file: str) -> zipfile.ZipFile:
    """The zip in `stream`, its entries counted before Python reads its directory."""
    try:
        head = stream.read(8)
        count = _entry_count(stream)
        if count is not None and count > MAX_ENTRIES:
            raise DocxReadError(
                f"{file}: gói zip có {count} phần (tối đa {MAX_ENTRIES}); không phải một văn bản "
                "Word thông thường, không đọc"
            )
        return zipfile.ZipFile(stream)
    except zipfile.BadZipFile:
        message = _sniff(head, file)
        if head.startswith(b"PK"):
            message = f"{file}: gói zip bị hỏng (có thể tệp tải về chưa hết); không đọc được"
        raise DocxReadError(message) from None
    except OSError as error:
        raise DocxReadError(f"{file}: không đọc được ({os_cause(error, 'đọc')})") from None


def read_related_part(path: str | os.PathLike[str], main_name: str, kind: str) -> Any | None:
    """The part the main document `main_name` points to by a relationship of type `kind`
    ("footnotes", "endnotes"), parsed; None when the package has no such part.

    The package is opened again with the guards of `open_package`: a regular file only, the
    zip's entries counted, the part's size checked before it is inflated (at most
    `MAX_SMALL_PART_BYTES`), no DTD, libxml2's limits kept. Raises `DocxReadError`."""
    file = os.fspath(path)
    folder = posixpath.dirname(main_name)
    rels_name = posixpath.join(folder, "_rels", posixpath.basename(main_name) + ".rels")
    name = posixpath.join(folder, f"{kind}.xml")  # where Word puts it, if no relation says
    with _open_regular(file) as stream, _open_archive(stream, file) as archive:
        rels = _read_part(archive, rels_name, file)
        for relation in _parse_xml(rels, rels_name, file) if rels is not None else ():
            if str(relation.get("Type", "")).endswith(f"/{kind}"):
                target = str(relation.get("Target", ""))
                name = posixpath.normpath(
                    target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                )
                break
        data = _read_part(archive, name, file)
        return _parse_xml(data, name, file) if data is not None else None


def _read_package(stream: Any, file: str) -> Package:
    archive = _open_archive(stream, file)
    with archive:
        main_name = _main_part_name(archive, file)
        data = _read_part(archive, main_name, file, MAX_PART_BYTES)
        if data is None:
            raise DocxReadError(
                f"{file}: gói zip không có phần văn bản chính {main_name}; đây không phải tệp "
                "Word .docx (tệp .xlsx, .pptx, .odt cũng là zip)"
            )
        document = _parse_xml(data, main_name, file)
        if document.tag != f"{_W}document":
            raise DocxReadError(
                f"{file}: phần {main_name} không phải văn bản Word (gốc là {document.tag})"
            )
        folder = posixpath.dirname(main_name)
        parts = []
        for name in ("styles.xml", "numbering.xml"):
            full = posixpath.join(folder, name)
            raw = _read_part(archive, full, file)
            parts.append(_parse_xml(raw, full, file) if raw is not None else None)
    return Package(document, parts[0], parts[1], main_name)
