"""A Word reply's figures tables, read into the section type its outline asks for.

`tongket import --outline` (and `tongket merge` reading a Word reply) matches the reply's
sections to the outline's. A section that answers, say, the outline's economic-results
section arrives as free text with its Word tables; `read_figures` asks that type's plugin
to read the tables (`tongket_outline_read_tables`). When it reads every table, the section
becomes that type: its figures count, a merge adds them up. The Word paragraphs stay the
section's own text: before the tables as its own sentences (`template`, which replaces the
generated ones, so the reply reads as its body wrote it), after them as `after_tables` (the
type's text after its tables; `outro` for a type without it), with any note under a table
that the type does not print again.

A footnote (endnote) in a cell is not part of its figure: reading Word put its text in
brackets at its mark ("1.409 (chú thích cuối trang: Số liệu ước)"); the type's reader gets the
cell without it, and the import's notes keep the note's text with its table, row and column.

Otherwise (a cell that is not a number, a column the plugin cannot place, a plugin that
fails, data its own check refuses) the section stays free text with every table as it was,
and the reason is given: a reading never drops a cell.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from tongket.core.render.blocks import Table
from tongket.core.render.inline import escape_markup
from tongket.core.report.model import Particulars, Project, Section
from tongket.core.workflow.docx_inline import split_note_insertions
from tongket.core.workflow.record_tables import column_for

if TYPE_CHECKING:
    from tongket.core.host.pluginhost import PluginHost
    from tongket.core.host.sectiontypes import SectionType
    from tongket.core.problems import Problem
    from tongket.core.render.document import RenderedDocument
    from tongket.core.workflow.outline import OutlineSection, Request

__all__ = ["read_figures"]


def _as_template(text: str) -> str:
    # A sentence template reads {…} as placeholders: the body's own braces print as braces.
    return text.replace("{", "{{").replace("}", "}}")


def _figure(cell: Any) -> str:
    """A cell as its figure: without the footnotes reading put in it."""
    return split_note_insertions(str(cell))[0]


def _plain(tables: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "header": [_figure(cell) for cell in table.get("header") or []],
            "rows": [[_figure(cell) for cell in row] for row in table.get("rows") or []],
        }
        for table in tables
    ]


def _cell_notes(tables: list[dict[str, Any]]) -> list[str]:
    """The footnotes (endnotes) `_plain` takes out of the cells, each with its table, row
    (the header is row 1) and column, and its whole text: the import's notes keep them."""
    notes = []
    for table_number, table in enumerate(tables, start=1):
        header = [_figure(cell).strip() for cell in table.get("header") or []]
        rows = [table.get("header") or [], *(table.get("rows") or [])]
        for row_number, row in enumerate(rows, start=1):
            for column, cell in enumerate(row):
                kept, taken = split_note_insertions(str(cell))
                heading = header[column] if column < len(header) else ""
                where = f"bảng {table_number}, dòng {row_number}, " + (
                    f"cột '{heading}'" if heading and row_number > 1 else f"cột {column + 1}"
                )
                notes.extend(
                    f"{where}: {what} ở ô '{' '.join(kept.split())}' được tách khỏi số liệu "
                    f"khi đọc bảng, nội dung chỉ giữ ở ghi chú này: '{text}'"
                    for what, text in taken
                )
    return notes


def _text_after(tables: list[dict[str, Any]], rendered: RenderedDocument) -> str:
    """The Word text under the tables, as the section's text after them: each table's note the
    type does not print again itself (a note it computes from data it did not read, such as
    the economic results' averages, would otherwise be lost), then the paragraphs after."""
    printed = {
        " ".join(block.note.split())
        for block in [*rendered.body, *(b for a in rendered.appendices for b in a.blocks)]
        if isinstance(block, Table) and block.note
    }
    parts = []
    for table in tables:
        note = " ".join(str(table.get("note") or "").split())
        if note and note not in printed:
            parts.append(escape_markup(note))  # a note is plain text; the paragraphs are marked
        if table.get("text_after"):
            parts.append(table["text_after"])
    return "\n\n".join(parts)


def read_figures(
    section: Section,
    want: OutlineSection,
    host: PluginHost,
    request: Request,
    warnings: list[str] | None = None,
) -> str | None:
    """Make `section` (free text read from Word, matched to the outline's `want`) a section
    of `want.type` when its plugin reads all its tables; None when it did, else why not.

    warnings: given a list, what the type's checks warn about the figures read (a rate row
    left out, a stated figure the data do not give) is added to it, so the import says so at
    once rather than only at the next `check`."""
    from tongket.core.host.pluginhost import PluginFailure
    from tongket.core.render.document import render_document

    tables = section.data.get("tables") or []
    if not tables:
        return "mục không có bảng số liệu"
    if want.type not in host.section_types:
        return host.missing_type_message(want.type)
    try:
        data = host.outline_read_tables(
            want.type, copy.deepcopy(want.wanted), _plain(tables), request, section.label
        )
    except PluginFailure as failure:
        return str(failure)
    if not isinstance(data, dict):
        return data or f"loại mục '{want.type}' không đọc bảng Word"
    section_type = host.section_types[want.type]
    fields = {spec.name for spec in section_type.fields}
    # The type's defaults under what was read; a key read as None drops its default (a
    # setting the Word reply never stated, such as a planned minimum).
    data = {
        key: value
        for key, value in {**section_type.new_data(), **data}.items()
        if value is not None
    }
    text = section.data.get("text") or ""
    if text.strip() and "template" in fields:
        data["template"] = _as_template(text)
    elif text.strip():
        return f"loại mục '{want.type}' không có chỗ cho phần lời của mục"
    typed = Section(
        want.type,
        number=section.number,
        heading=section.heading,
        data=data,
        version=section_type.version,
        table=section.table,
        guidance=section.guidance,
    )
    rendered = render_document(Project(document=Particulars(), sections=[typed]), host)
    refused = [problem for problem in rendered.errors if problem.severity == "error"]
    if rendered.failures or refused:
        if rendered.failures:
            return f"số liệu đọc được chưa hợp lệ ({rendered.failures[0]})"
        place = _place(refused[0], data, section_type, tables, want, host, request, section.label)
        return f"số liệu đọc được chưa hợp lệ ({place}{refused[0].message})"
    after = _text_after(tables, rendered)
    place = next((name for name in ("after_tables", "outro") if name in fields), None)
    if after and place:
        data[place] = after
    elif after:
        return f"loại mục '{want.type}' không có chỗ cho đoạn văn sau bảng"
    section.type, section.data, section.version = typed.type, typed.data, typed.version
    if warnings is not None:
        warnings.extend(_cell_notes(tables))
        warnings.extend(
            problem.message for problem in rendered.problems if problem.severity == "warning"
        )
    return None


def _place(
    problem: Problem,
    data: dict[str, Any],
    section_type: SectionType,
    tables: list[dict[str, Any]],
    want: OutlineSection,
    host: PluginHost,
    request: Request,
    label: str,
) -> str:
    """Where in the Word tables the value `problem` refuses was read: "bảng 1, dòng 3, cột
    'Năm': ", or "" when that cannot be told for sure.

    The problem names a record of the data (`sections.1.data.<list>.<n>…`). Each table row is
    read again alone by the type's own reader: the one row that alone gives that very record
    is where it was read (two rows giving the same record, or none: no place is named rather
    than a wrong one)."""
    from tongket.core.host.pluginhost import PluginFailure

    path = problem.path
    if len(path) < 5 or path[:3] != ("sections", 0, "data"):
        return ""
    name, number = path[3], path[4]
    records = data.get(name) if isinstance(name, str) else None
    if not isinstance(records, list) or not isinstance(number, int) or number >= len(records):
        return ""
    found: list[tuple[int, int]] = []  # (table, row counted with the header as 1)
    for table_number, table in enumerate(_plain(tables), start=1):
        for row_number, row in enumerate(table["rows"], start=2):
            try:
                alone = host.outline_read_tables(
                    want.type,
                    copy.deepcopy(want.wanted),
                    [{"header": table["header"], "rows": [row]}],
                    request,
                    label,
                )
            except PluginFailure:  # a row its reader cannot take alone: no place named
                return ""
            given = alone.get(name) if isinstance(alone, dict) else None
            if isinstance(given, list) and records[number] in given:
                found.append((table_number, row_number))
    if len(found) != 1:
        return ""
    table_number, row_number = found[0]
    header = _plain(tables)[table_number - 1]["header"]
    where = f"bảng {table_number}, dòng {row_number}"
    heading = _heading(path[5:], records[number], section_type, name, header)
    return f"{where}, cột '{heading}': " if heading else f"{where}: "


def _heading(
    rest: tuple[Any, ...],
    record: Any,
    section_type: SectionType,
    name: str,
    header: list[str],
) -> str:
    """The heading of the column a refused value stood in: the one naming the record's
    field (as the list's reader matches headings), else the one naming the year of the point
    the value belongs to (a figures row: a column a year); "" when none does."""
    if not rest or not isinstance(rest[-1], str):
        return ""
    spec = next((spec for spec in section_type.fields if spec.name == name), None)
    columns = getattr(spec, "fields", ()) or ()
    column = next((column for column in columns if column.name == rest[-1]), None)
    if column is not None and len(rest) == 1:
        # The headings the list's reader took that field from (`record_tables.column_for`).
        found = [heading for heading in header if column_for(heading, columns) is column]
        if len(found) == 1:
            return found[0].strip()
    point = record
    for key in rest[:-1]:  # the point the value belongs to ("series", 2)
        try:
            point = point[key]
        except (KeyError, IndexError, TypeError):
            return ""
    year = point.get("year") if isinstance(point, dict) else None
    if isinstance(year, int) and not isinstance(year, bool) and rest[-1] != "year":
        found = [heading for heading in header if str(year) in heading.split("(")[0]]
        if len(found) == 1:
            return found[0].strip()
    return ""
