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
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tongket.core.oserrors import os_cause
from tongket.core.problems import ReportFileError, dotted
from tongket.core.report import particulars
from tongket.core.report.atomicfile import (
    FileTooLarge,
    NotARegularFile,
    atomic_write,
    file_fingerprint,
    file_kind,
    fingerprint,
    read_regular_file,
)
from tongket.core.report.model import (
    SCHEMA_VERSION,
    TABLE_PLACEMENTS,
    Citation,
    OutlineLink,
    Particulars,
    Project,
    Section,
)
from tongket.core.report.tableread import TableReader, normalize_text, parse_table

if TYPE_CHECKING:
    from tongket.core.report.includes import PartFile

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
    "loads_part",
    "normalize_text",
    "read_report_bytes",
    "refuse_unreadable_report",
    "save",
]

#: The keys of a `[citations.<key>]` table: the fields of `Citation`, in the order written.
CITATION_KEYS: tuple[str, ...] = tuple(field.name for field in dataclasses.fields(Citation))


def load(path: str | os.PathLike[str]) -> Project:
    """Load a report file; raises `ReportFileError` with a precise message when it cannot."""
    return load_with_fingerprint(path)[0]


def load_with_fingerprint(path: str | os.PathLike[str]) -> tuple[Project, str]:
    """Load a report and the fingerprint of the exact bytes read, for `save(expected=...)`."""
    file = os.fspath(path)
    raw = read_report_bytes(file)
    return loads_bytes(raw, file), fingerprint(raw)


#: The largest report file read. The biggest real ones are a few megabytes (a province's
#: consolidation); 5.000 generated sections are 19 MB. A larger file (a 2 GB sparse file, a
#: log saved as .toml) is refused from its size, without being read.
MAX_REPORT_BYTES = 256 * 1024 * 1024


def read_report_bytes(file: str) -> bytes:
    """The bytes of a report file; `ReportFileError` when it is missing, unreadable or larger
    than `MAX_REPORT_BYTES`.

    A FIFO, socket or device is refused without being opened: reading a FIFO would wait for a
    writer forever, a device would never end.
    """
    try:
        return read_regular_file(file, limit=MAX_REPORT_BYTES)
    except FileTooLarge:
        megabytes = MAX_REPORT_BYTES // (1024 * 1024)
        raise ReportFileError(
            file, f"tệp lớn hơn {megabytes} MB, không phải một báo cáo; không đọc"
        ) from None
    except NotARegularFile as error:
        if error.kind == file_kind(stat.S_IFDIR):
            raise ReportFileError(file, "là một thư mục, không phải tệp báo cáo .toml") from None
        raise ReportFileError(file, f"là {error.kind}, không phải tệp báo cáo .toml") from None
    except IsADirectoryError:
        raise ReportFileError(file, "là một thư mục, không phải tệp báo cáo .toml") from None
    except FileNotFoundError:
        raise ReportFileError(file, "không tìm thấy tệp") from None
    except PermissionError:
        raise ReportFileError(file, "không có quyền đọc tệp") from None
    except OSError as error:
        raise ReportFileError(file, f"không đọc được tệp: {os_cause(error, 'đọc')}") from None


def refuse_unreadable_report(file: str) -> None:
    """Raise `ReportFileError` now if `file` is missing, unreadable or not a regular file.

    Commands call it before they judge an output path derived from the report's name, so a
    mistyped report is named as missing, not as "the folder of x.docx does not exist". A FIFO
    or device is refused without being opened; a regular file is opened only when `access`
    says it cannot be read, so that reading names the reason in the report's own words.
    """
    try:
        if stat.S_ISREG(os.stat(file).st_mode) and os.access(file, os.R_OK):
            return
    except OSError:
        pass  # reading names the reason (missing, no permission) in the report's own words
    read_report_bytes(file)  # raises, unless `access` was wrong (an ACL, say): then it reads


def loads_bytes(raw: bytes, file: str = "<bytes>") -> Project:
    """Parse report bytes (UTF-8 only; a BOM is allowed), naming `file` in error messages.

    Included sections are read from files relative to the folder of `file`.
    """
    return loads(_decode(raw, file), file)


def _decode(raw: bytes, file: str) -> str:
    # The report's text, or what a drafter needs to know to save it as UTF-8.
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
    return text.removeprefix("\ufeff")  # Notepad writes a BOM; TOML forbids it


def loads(text: str, file: str = "<string>") -> Project:
    """Parse report TOML text; `file` names it in error messages, and included sections are
    read relative to its folder."""
    table = parse_table(text, file)
    try:
        return _ProjectReader(file, text).read(table)
    except RecursionError:
        raise ReportFileError(file, "dữ liệu lồng nhau quá sâu") from None


#: The keys of a `[[sections]]` table, in the order messages list them; each is the `Section`
#: attribute of that name (`section_table` writes them, the reader below reads them).
SECTION_KEYS = (
    "type", "number", "heading", "guidance", "version", "table", "data", "provenance",
)  # fmt: skip
_SECTION_KEY_SET = frozenset(SECTION_KEYS)


class _ProjectReader(TableReader):
    """Turns the parsed TOML table into a `Project`, naming the key at fault on any mismatch."""

    def __init__(self, file: str, text: str) -> None:
        super().__init__(file, text)
        self.parts: dict[str, PartFile] = {}  # the included files read, by their `include`
        self.included: dict[object, str] = {}  # each part's path and file identity → include

    def read(self, table: dict) -> Project:
        self.check_keys(
            (),
            table,
            ("schema_version", "document", "citations", "sections", "outline", "consolidation"),
        )
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
        project = Project(document, citations, sections, version, parts=self.parts)
        if "outline" in table:
            project.outline = self.read_outline_link(table["outline"])
        if "consolidation" in table:
            project.consolidation = self.read_merge_table(
                ("consolidation",), table["consolidation"], "read_consolidation"
            )
        return project

    def read_merge_table(self, path: tuple, table: Any, reader: str) -> Any:
        """A table `tongket merge` writes, read by `reader` of
        `tongket.core.report.consolidation` (loaded only for a file that has one)."""
        from tongket.core.report import consolidation

        try:
            return getattr(consolidation, reader)(table)
        except consolidation.ShapeError as error:
            raise self.fail((*path, *error.path), error.message) from None

    def read_outline_link(self, table: Any) -> OutlineLink:
        """The `[outline]` table of a reply made from an outline (đề cương)."""
        path = ("outline",)
        self.expect(path, table, dict, "một bảng [outline] (file, body)")
        self.check_keys(path, table, ("file", "body"))
        file = self.text_field(path, table, "file")
        if not file.strip():
            raise self.fail((*path, "file"), "thiếu đường dẫn tệp đề cương (so với tệp báo cáo)")
        return OutlineLink(file, self.text_field(path, table, "body"))

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

    def read_section(self, index: int, table: Any, path: tuple | None = None) -> Section:
        path = ("sections", index) if path is None else path  # () for an included file
        if table.__class__ is not dict:  # the check's own call only when it can fail
            self.expect(path, table, dict, "một bảng [[sections]]")
        if path and "include" in table:
            return self.read_include(index, table)
        if not _SECTION_KEY_SET.issuperset(table):  # one C-level look; the loop names the key
            self.check_keys(path, table, SECTION_KEYS)
        if "type" not in table:
            raise self.fail(path, "thiếu khóa 'type' (mã loại mục, ví dụ \"free-text\")")
        get = table.get
        version = get("version")
        if version is not None and version.__class__ is not int:  # an exact int needs no look
            self.expect((*path, "version"), version, int, "một số nguyên")
        data = get("data", {})
        kind, number, heading = get("type"), get("number", ""), get("heading", "")
        placement, guidance = get("table", "inline"), get("guidance", "")
        if (
            kind.__class__ is str
            and number.__class__ is str
            and heading.__class__ is str
            and placement.__class__ is str
            and guidance.__class__ is str
            and data.__class__ is dict
            and "provenance" not in table
            and placement in TABLE_PLACEMENTS
        ):
            # The usual section: every value of its own type, nothing for `text_field` and
            # `expect` to say. Anything else takes the looks below, which name the key.
            return Section(kind, number, heading, data, version, placement, guidance)
        placement = self.text_field(path, table, "table", "inline")
        if placement not in TABLE_PLACEMENTS:
            raise self.fail(
                (*path, "table"), f"cần một trong {', '.join(TABLE_PLACEMENTS)}, gặp '{placement}'"
            )
        return Section(
            type=self.text_field(path, table, "type"),
            number=self.text_field(path, table, "number"),
            heading=self.text_field(path, table, "heading"),
            data=data
            if type(data) is dict
            else self.expect((*path, "data"), data, dict, "một bảng dữ liệu"),
            version=version,
            table=placement,
            guidance=self.text_field(path, table, "guidance"),
            provenance=None
            if "provenance" not in table
            else self.read_merge_table(
                (*path, "provenance"), table["provenance"], "read_provenance"
            ),
        )

    def read_include(self, index: int, entry: dict) -> Section:
        """The section kept in the file an `include` entry names (see `includes`)."""
        from tongket.core.report import includes  # only a report kept in parts needs it

        path = ("sections", index)
        self.check_keys(path, entry, ("include", "allow_outside"))
        include = self.expect((*path, "include"), entry["include"], str, "một đường dẫn tệp")
        allow = self.expect(
            (*path, "allow_outside"), entry.get("allow_outside", False), bool, "true hoặc false"
        )
        if include in self.parts:
            raise self.fail((*path, "include"), f"tệp '{include}' đã được include ở một mục trước")
        try:
            real = includes.resolve_include(self.file, include, allow_outside=allow)
            includes.check_not_included_twice(real, include, self.included)
            raw = includes.read_part_bytes(real, include)
        except includes.IncludeError as error:
            raise self.fail((*path, "include"), str(error)) from None
        display = includes.display_name(self.file, include)
        text = _decode(raw, display)
        section = loads_part(text, display)
        section.include = include
        written = includes.part_text(section, SCHEMA_VERSION).encode("utf-8")
        self.parts[include] = includes.PartFile(
            include=include,
            path=real,
            display=display,
            fingerprint=fingerprint(raw),
            saved=fingerprint(written),
            text=text,
            allow_outside=allow,
        )
        return section


def read_part_copy(path: Path, file: str) -> Section:
    """The section in a part's recovery copy at `path` (`file` names the part in messages):
    read as a part is (`includes.read_part_bytes`: never a FIFO or device, not too large) and
    UTF-8; anything else is a `ReportFileError` (a copy is a file anyone in the group may have
    put there)."""
    from tongket.core.report import includes

    try:
        raw = includes.read_part_bytes(path, path.name)
    except includes.IncludeError as error:
        raise ReportFileError(file, str(error)) from None
    return loads_part(_decode(raw, file), file)


def loads_part(text: str, file: str) -> Section:
    """The section an included file's text holds (without its `include`); `file` names it in
    error messages."""
    table = parse_table(text, file)
    part = _ProjectReader(file, text)
    if "include" in table:
        raise part.fail(
            ("include",),
            "tệp được include không được include tiếp tệp khác (chỉ một cấp); hãy đưa mục đó "
            "vào báo cáo thành một [[sections]] riêng",
        )
    schema = part.expect(
        ("schema_version",), table.pop("schema_version", SCHEMA_VERSION), int, "một số nguyên"
    )
    if schema > SCHEMA_VERSION:
        raise part.fail(
            ("schema_version",),
            f"tệp được viết cho phiên bản lược đồ {schema}, bản tongket này chỉ đọc đến "
            f"{SCHEMA_VERSION}; hãy nâng cấp tongket",
        )
    for whole in ("sections", "document", "citations"):
        if whole in table:  # a whole report (or a copy of one) named as a part
            value = table[whole]
            listed = isinstance(value, list) and value
            shown = f"[[{whole}]]" if listed else f"[{whole}]"
            raise part.fail(
                (whole, 0) if listed else (whole,),
                f"tệp phần chứa một mục ở mức trên cùng (type, number, heading, [data]), không "
                f"có {shown}: đây giống một báo cáo đầy đủ; include tệp phần do tongket split "
                "tạo, hoặc chép các khóa của mục ra mức trên cùng",
            )
    return part.read_section(0, table, ())


def to_table(project: Project, *, includes: bool = False) -> dict[str, Any]:
    """The TOML table for a project: what `dumps` writes and `loads` reads back.

    Every section is written out in full, wherever it is kept; with `includes`, a section kept
    in its own file is its `{ include = "…" }` entry instead, as the report file holds it.
    """
    doc_table = particulars_table(project.document)
    citations = {
        key: _without_none(dataclasses.asdict(citation))
        for key, citation in project.citations.items()
    }
    sections = [
        include_entry(project, section)
        if includes and section.include is not None
        else section_table(section)
        for section in project.sections
    ]
    table: dict[str, Any] = {
        "schema_version": project.schema_version,
        "document": _without_none(doc_table),
    }
    if citations:
        table["citations"] = citations
    if project.outline is not None:
        table["outline"] = {"file": project.outline.file, "body": project.outline.body}
    if project.consolidation is not None:
        from tongket.core.report.consolidation import consolidation_table

        table["consolidation"] = consolidation_table(project.consolidation)
    table["sections"] = sections
    return table


def _provenance(section: Section) -> dict[str, Any]:
    from tongket.core.report.consolidation import provenance_table  # only merged reports

    return provenance_table(section.provenance)


def section_table(section: Section) -> dict[str, Any]:
    """The keys of one `[[sections]]` table (or of an included file, after `schema_version`)."""
    return _without_none(
        {
            "type": section.type,
            "version": section.version,
            "number": section.number,
            "heading": section.heading,
            "table": section.table,
            "guidance": section.guidance or None,  # absent from files not made from an outline
            "data": section.data,
            # Written by `tongket merge`: where a consolidated section's data came from.
            "provenance": None if section.provenance is None else _provenance(section),
        }
    )


def include_entry(project: Project, section: Section) -> dict[str, Any]:
    """The report's `[[sections]]` entry for a section kept in its own file."""
    part = project.parts.get(section.include or "")
    entry: dict[str, Any] = {"include": section.include}
    if part is not None and part.allow_outside:
        entry["allow_outside"] = True
    return entry


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


def dumps(project: Project, *, inline: bool = False) -> str:
    """The report file's TOML text; long prose stays in readable multi-line strings.

    A section kept in its own file is written as its `include` entry, unless `inline`.
    """
    import tomli_w  # here: `export`, `check` and `render` only read

    return tomli_w.dumps(to_table(project, includes=not inline), multiline_strings=True)


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
    report: bool = True,
) -> str:
    """Write the report atomically, keeping the previous file as `FILE.bak`; returns the new
    fingerprint.

    Sections kept in their own files are written first, each only when it changed, each with
    its own `.bak` and its own conflict check (`includes.save_parts`); then the report file.
    `report=False` writes only those parts (the report file is someone else's to change) and
    returns `expected`. A conflict found before anything is written writes nothing.

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

    if any(section.include is not None for section in project.sections):
        if report:
            unchanged_since_loading()  # a conflict on the report: refused before any part
        from tongket.core.report import includes

        includes.save_parts(project, os.fspath(path), overwrite=overwrite, backup=backup)
    if not report:
        return expected or ""
    atomic_write(
        target, data, backup=backup, exclusive=exclusive, before_replace=unchanged_since_loading
    )
    return new


def comment_lines(text: str) -> list[int]:
    """The lines (from 1) of TOML text that hold a `#` comment; saving does not keep them.

    tomllib drops comments, so they are found here: a `#` outside any string (basic, literal,
    or multi-line) starts a comment. Meant for text that parsed as TOML.
    """
    from tongket.core.report.tomlpos import skip_string  # only saving looks for comments

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
