"""Read and write report files (TOML): tomli or tomllib in, tomli-w out, atomic on disk.

Loading checks the shape of the particulars and the section list and says precisely what is
wrong (file, line, dotted key, what was expected). A section's own data is left to its plugin;
it is kept exactly as written, so a section whose plugin is missing is saved back unchanged.

Saving never loses work: the file is replaced atomically with the previous version kept as
`FILE.bak` (`tongket.core.report.atomicfile`), and a save given the fingerprint the editor loaded
(`load_with_fingerprint`) refuses with `SaveConflict` if someone changed the file meanwhile.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import unicodedata
from pathlib import Path
from typing import Any

import tomli_w

from tongket.core.problems import ReportFileError, dotted
from tongket.core.report import particulars
from tongket.core.report.atomicfile import (
    atomic_write,
    file_fingerprint,
    fingerprint,
    read_regular_file,
)
from tongket.core.report.model import (
    SCHEMA_VERSION,
    TABLE_PLACEMENTS,
    Citation,
    Particulars,
    Project,
    Section,
)
from tongket.core.report.tomlpos import locate_key, skip_string, toml_error_message
from tongket.core.report.tomlread import TomlSyntaxError, parse_toml

__all__ = [
    "SaveConflict",
    "atomic_write",
    "comment_lines",
    "dumps",
    "file_comment_lines",
    "file_fingerprint",
    "fingerprint",
    "load",
    "load_with_fingerprint",
    "loads",
    "loads_bytes",
    "normalize_text",
    "read_report_bytes",
    "save",
]

#: The keys of a `[citations.<key>]` table: the fields of `Citation`, in the order written.
CITATION_KEYS: tuple[str, ...] = tuple(field.name for field in dataclasses.fields(Citation))


def _already_normal(text: str) -> bool:
    r"""Whether every string TOML parses from `text` is NFC with "\n" line ends already, so
    `normalize_text` can be skipped (a long report's strings are tens of thousands).

    True when the text has no CR and no backslash (an escape such as \u0301 or \r makes a
    character the text does not show) and is NFC itself. Then so is each string in it: a
    string lies between quotes, which no combining mark or composition joins to its text.
    """
    return "\r" not in text and "\\" not in text and unicodedata.is_normalized("NFC", text)


def normalize_text(value: Any) -> Any:
    """NFC text with "\\n" line ends in every string of nested tables and arrays."""
    if isinstance(value, str):
        # Decomposed Vietnamese (pasted from macOS) breaks search; a "\r\n" pasted from Windows
        # would not survive a save, since multi-line TOML strings keep plain newlines.
        if "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        if value.isascii():  # most keys and many values: NFC already, and cheaper to know
            return value
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {normalize_text(key): normalize_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalize_text(item) for item in value]
    return value


def load(path: str | os.PathLike[str]) -> Project:
    """Load a report file; raises `ReportFileError` with a precise message when it cannot."""
    return load_with_fingerprint(path)[0]


def load_with_fingerprint(path: str | os.PathLike[str]) -> tuple[Project, str]:
    """Load a report and the fingerprint of the exact bytes read, for `save(expected=...)`."""
    file = os.fspath(path)
    raw = read_report_bytes(file)
    return loads_bytes(raw, file), fingerprint(raw)


def read_report_bytes(file: str) -> bytes:
    """The bytes of a report file; `ReportFileError` when it is missing or unreadable."""
    try:
        return Path(file).read_bytes()
    except IsADirectoryError:
        raise ReportFileError(file, "là một thư mục, không phải tệp báo cáo .toml") from None
    except FileNotFoundError:
        raise ReportFileError(file, "không tìm thấy tệp") from None
    except PermissionError:
        raise ReportFileError(file, "không có quyền đọc tệp") from None
    except OSError as error:
        raise ReportFileError(file, f"không đọc được tệp: {error.strerror}") from None


def loads_bytes(raw: bytes, file: str = "<bytes>") -> Project:
    """Parse report bytes (UTF-8 only; a BOM is allowed), naming `file` in error messages."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReportFileError(
            file, "tệp được lưu bằng mã UTF-16 (Notepad gọi là Unicode); hãy lưu lại với UTF-8"
        )
    if raw.startswith(b"PK\x03\x04"):
        raise ReportFileError(file, "đây là tệp nén (Word .docx hoặc .zip), không phải tệp .toml")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        raise ReportFileError(
            file,
            f"tệp không phải UTF-8 (byte 0x{raw[error.start]:02x}); có thể đã lưu bằng mã "
            "Windows-1258, TCVN3 hoặc VNI: hãy lưu lại với mã hóa UTF-8",
            line=raw.count(b"\n", 0, error.start) + 1,
            column=len(raw[line_start : error.start].decode("utf-8", "replace")) + 1,
        ) from None
    return loads(text.removeprefix("\ufeff"), file)  # Notepad writes a BOM; TOML forbids it


def loads(text: str, file: str = "<string>") -> Project:
    """Parse report TOML text; `file` names it in error messages."""
    try:
        table = parse_toml(text)
    except TomlSyntaxError as error:
        message, line, column = toml_error_message(str(error), text)
        raise ReportFileError(
            file, f"TOML không hợp lệ: {message}", line=line, column=column
        ) from None
    except RecursionError:
        raise ReportFileError(file, "TOML không hợp lệ: mảng hoặc bảng lồng nhau quá sâu") from None
    except ValueError:  # Python refuses integers of more than 4.300 digits
        raise ReportFileError(
            file, "TOML không hợp lệ: có số nguyên quá dài (hàng nghìn chữ số)"
        ) from None
    try:
        if not _already_normal(text):
            table = normalize_text(table)
        return _ProjectReader(file, text).read(table)
    except RecursionError:
        raise ReportFileError(file, "dữ liệu lồng nhau quá sâu") from None


class _ProjectReader:
    """Turns the parsed TOML table into a `Project`, naming the key at fault on any mismatch."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.text = text

    def fail(self, path: tuple, message: str) -> ReportFileError:
        return ReportFileError(
            self.file, message, key=dotted(path), line=locate_key(self.text, path)
        )

    def expect(self, path: tuple, value: Any, kind: type | tuple[type, ...], what: str) -> Any:
        # bool is an int in Python, but `year = true` is never what a drafter meant.
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise self.fail(path, f"cần {what}, gặp giá trị đúng/sai")
        if not isinstance(value, kind):
            raise self.fail(path, f"cần {what}, gặp {_describe(value)}")
        return value

    def check_keys(self, path: tuple, table: dict, known: tuple[str, ...]) -> None:
        for key in table:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f"; có phải ý bạn là '{close[0]}'?" if close else ""
                allowed = ", ".join(known)
                raise self.fail(
                    (*path, key), f"khóa không được biết (các khóa hợp lệ: {allowed}){hint}"
                )

    def text_field(self, path: tuple, table: dict, key: str, default: str = "") -> str:
        return self.expect((*path, key), table.get(key, default), str, "một chuỗi văn bản")

    def text_list(self, path: tuple, table: dict, key: str) -> list[str]:
        values = self.expect((*path, key), table.get(key, []), list, "một danh sách chuỗi")
        for index, value in enumerate(values):
            self.expect((*path, key, index), value, str, "một chuỗi văn bản")
        return list(values)

    def date_field(self, path: tuple, table: dict, key: str) -> dt.date | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise self.fail(
                    (*path, key), f"ngày không có thật hoặc sai dạng: '{value}' (cần YYYY-MM-DD)"
                ) from None
        raise self.fail((*path, key), f"cần một ngày dạng YYYY-MM-DD, gặp {_describe(value)}")

    def read(self, table: dict) -> Project:
        self.check_keys((), table, ("schema_version", "document", "citations", "sections"))
        version = self.expect(
            ("schema_version",), table.get("schema_version", SCHEMA_VERSION), int, "một số nguyên"
        )
        if version > SCHEMA_VERSION:
            raise self.fail(
                ("schema_version",),
                f"tệp được viết cho phiên bản lược đồ {version}, bản tongket này chỉ đọc đến "
                f"{SCHEMA_VERSION}; hãy nâng cấp tongket",
            )
        document = self.read_document(
            self.expect(("document",), table.get("document", {}), dict, "một bảng [document]")
        )
        citations_table = self.expect(
            ("citations",), table.get("citations", {}), dict, "một bảng [citations]"
        )
        citations = {
            key: self.read_citation(("citations", key), value)
            for key, value in citations_table.items()
        }
        sections_list = self.expect(
            ("sections",), table.get("sections", []), list, "một mảng [[sections]]"
        )
        sections = [self.read_section(index, value) for index, value in enumerate(sections_list)]
        return Project(document, citations, sections, version)

    def read_document(self, table: dict) -> Particulars:
        return self.read_particulars(("document",), table, ())

    def read_particulars(self, path: tuple, table: dict, key: tuple[str, ...]) -> Any:
        # `particulars.FIELDS` names the keys; `particulars.TABLES` the dataclass of each table.
        layout = particulars.table_layout(key)
        self.check_keys(path, table, tuple(name for name, _spec in layout))
        model = particulars.TABLES[key]
        blank = model()  # the dataclass's defaults stand for keys the file leaves out
        values: dict[str, Any] = {}
        for name, spec in layout:
            if spec is None:  # a table below this one, such as [document.signer]
                where = (*path, name)
                inner = self.expect(where, table.get(name, {}), dict, f"một bảng [{dotted(where)}]")
                values[name] = self.read_particulars(where, inner, (*key, name))
            else:
                values[name] = self.read_particular(path, table, spec, getattr(blank, name))
        return model(**values)

    def read_particular(
        self, path: tuple, table: dict, spec: particulars.ParticularsField, default: Any
    ) -> Any:
        name = spec.field.name
        if spec.field.kind == "list":
            return self.text_list(path, table, name)
        if spec.field.kind == "date":
            return self.date_field(path, table, name)
        if spec.integer_text:
            value = table.get(name, default)
            if isinstance(value, int) and not isinstance(value, bool):
                value = str(value)  # `number = 5` is as good as `number = "5"`
            return self.expect((*path, name), value, str, "một số hoặc chuỗi")
        value = self.text_field(path, table, name, default)
        allowed = [choice for choice, _label in spec.field.choices]
        if spec.load_choices and value not in allowed:
            raise self.fail((*path, name), f"cần một trong {', '.join(allowed)}, gặp '{value}'")
        return value

    def read_citation(self, path: tuple, table: Any) -> Citation:
        self.expect(path, table, dict, "một bảng mô tả văn bản được dẫn")
        self.check_keys(path, table, CITATION_KEYS)
        for required in ("kind", "number"):
            if not table.get(required):
                raise self.fail((*path, required), "thiếu trường bắt buộc")
        return Citation(
            kind=self.text_field(path, table, "kind"),
            number=self.text_field(path, table, "number"),
            date=self.date_field(path, table, "date"),
            issuer=self.text_field(path, table, "issuer"),
            title=self.text_field(path, table, "title"),
        )

    def read_section(self, index: int, table: Any) -> Section:
        path = ("sections", index)
        self.expect(path, table, dict, "một bảng [[sections]]")
        self.check_keys(path, table, ("type", "number", "heading", "version", "table", "data"))
        if "type" not in table:
            raise self.fail(path, "thiếu khóa 'type' (mã loại mục, ví dụ \"free-text\")")
        version = table.get("version")
        if version is not None:
            self.expect((*path, "version"), version, int, "một số nguyên")
        placement = self.text_field(path, table, "table", "inline")
        if placement not in TABLE_PLACEMENTS:
            raise self.fail(
                (*path, "table"), f"cần một trong {', '.join(TABLE_PLACEMENTS)}, gặp '{placement}'"
            )
        return Section(
            type=self.expect((*path, "type"), table["type"], str, "một chuỗi văn bản"),
            number=self.text_field(path, table, "number"),
            heading=self.text_field(path, table, "heading"),
            data=self.expect((*path, "data"), table.get("data", {}), dict, "một bảng dữ liệu"),
            version=version,
            table=placement,
        )


def _describe(value: Any) -> str:
    names = {
        str: "một chuỗi", int: "một số nguyên", float: "một số thập phân", bool: "đúng/sai",
        list: "một danh sách", dict: "một bảng", dt.date: "một ngày", dt.datetime: "ngày giờ",
    }  # fmt: skip
    return names.get(type(value), type(value).__name__) + (
        f" ({value!r})" if isinstance(value, str | int | float) and len(repr(value)) < 40 else ""
    )


def to_table(project: Project) -> dict[str, Any]:
    """The TOML table for a project: what `dumps` writes and `loads` reads back."""
    doc_table = particulars_table(project.document)
    citations = {
        key: _without_none(dataclasses.asdict(citation))
        for key, citation in project.citations.items()
    }
    sections = [
        _without_none(
            {
                "type": section.type,
                "version": section.version,
                "number": section.number,
                "heading": section.heading,
                "table": section.table,
                "data": section.data,
            }
        )
        for section in project.sections
    ]
    table: dict[str, Any] = {
        "schema_version": project.schema_version,
        "document": _without_none(doc_table),
    }
    if citations:
        table["citations"] = citations
    table["sections"] = sections
    return table


def particulars_table(document: Particulars, key: tuple[str, ...] = ()) -> dict[str, Any]:
    """The `[document]` table (or the table below it at `key`), as `particulars.FIELDS` says."""
    values: dict[str, Any] = {}
    tables: dict[str, Any] = {}
    owner = particulars.value_at(document, key)
    for name, spec in particulars.table_layout(key):
        if spec is None:
            tables[name] = particulars_table(document, (*key, name))
        else:
            values[name] = getattr(owner, name)
    # Sub-tables after the plain keys, where TOML writes them anyway: `text_problems` walks this
    # table, so its findings keep the file's order.
    return {**values, **tables}


def _without_none(table: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in table.items() if value is not None}


def dumps(project: Project) -> str:
    """The report as TOML text; long prose stays in readable multi-line strings."""
    return tomli_w.dumps(to_table(project), multiline_strings=True)


class SaveConflict(Exception):
    """The file changed on disk after it was loaded; saving now would lose someone's work.

    The caller offers save-as, reload, or `save(..., overwrite=True)`.
    """

    def __init__(self, file: str, expected: str, actual: str | None) -> None:
        self.file = file
        self.expected = expected
        self.actual = actual  # None: the file was deleted or renamed meanwhile
        change = "đã bị xóa hoặc đổi tên" if actual is None else "đã bị thay đổi trên đĩa"
        self.message = (
            f"tệp {change} sau khi mở (có thể bởi người khác); chưa lưu để không mất phần "
            "của họ: hãy lưu thành tệp khác, tải lại tệp, hoặc ghi đè"
        )
        super().__init__(f"{file}: {self.message}")


def save(
    project: Project,
    path: str | os.PathLike[str],
    *,
    expected: str | None = None,
    overwrite: bool = False,
    backup: bool = True,
    exclusive: bool = False,
) -> str:
    """Write the report atomically, keeping the previous file as `FILE.bak`; returns the new
    fingerprint.

    With `expected` (the fingerprint from `load_with_fingerprint` or the last save), a file
    that changed on disk since raises `SaveConflict` unless `overwrite`. The comparison and
    the replacement happen with the folder locked against other savers, so of two processes
    saving the same loaded version at once, one saves and the other gets `SaveConflict`.
    Saving text equal to what is on disk writes nothing, so repeated saves do not push the
    real previous version out of the backup. `exclusive` creates a new file and never
    replaces one, nor writes through a symbolic link (FileExistsError). The file keeps its
    owner, group and mode. Otherwise a symbolic link is followed: the file it points to is
    replaced.
    """
    target = Path(path) if exclusive else Path(os.path.realpath(path))
    data = dumps(project).encode("utf-8")
    new = fingerprint(data)

    def unchanged_since_loading() -> bool:
        current = file_fingerprint(target)
        if expected is not None and not overwrite and current != expected:
            raise SaveConflict(os.fspath(path), expected, current)
        return current != new

    atomic_write(
        target, data, backup=backup, exclusive=exclusive, before_replace=unchanged_since_loading
    )
    return new


def comment_lines(text: str) -> list[int]:
    """The lines (from 1) of TOML text that hold a `#` comment; saving does not keep them.

    tomllib drops comments, so they are found here: a `#` outside any string (basic, literal,
    or multi-line) starts a comment. Meant for text that parsed as TOML.
    """
    found: list[int] = []
    position, end = 0, len(text)
    line, counted = 1, 0  # the line of `counted`; newlines are counted once, as we go
    while position < end:
        char = text[position]
        if char == "#":
            line += text.count("\n", counted, position)
            counted = position
            found.append(line)
            newline = text.find("\n", position)
            position = end if newline < 0 else newline
        elif char in "\"'":
            position = skip_string(text, position)
        else:
            position += 1
    return found


def file_comment_lines(path: str | os.PathLike[str]) -> list[int]:
    """The comment lines of the report file at `path` (empty when it cannot be read)."""
    try:
        raw = read_regular_file(path)
        return comment_lines(raw.decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return []
