"""Helpers for plugins that take part in outlines (đề cương): the shapes most `wanted` tables have.

A section type declares what an outline may ask of it through three hooks
(`tongket_outline_check`, `tongket_outline_prefill`, `tongket_outline_gaps`). Most list
sections (delegations, fairs, classes, broadcasts) want the same thing: some of their record
lists, with some columns filled in, maybe a row for each of some years. `records_outline_hooks`
makes the three hooks for such a type from its field descriptions alone:

    tongket_outline_check, tongket_outline_prefill, tongket_outline_gaps = records_outline_hooks(
        SECTION_TYPE
    )

The outline then writes, for a list field `delegations` of the type:

    [sections.wanted]
    delegations = ["year", "partner", "purpose"]          # the columns every row must fill
    classes = { columns = ["year", "topic"], years = [2019, 2020] }   # and a row per year

`wanted_years` reads the `years` of a table the way every built-in does: a list of years, or
the request's period when left out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tongket.core.host.fieldcheck import YEAR_RANGE
from tongket.core.host.hookspecs import hookimpl
from tongket.core.host.sectiontypes import Field, SectionType
from tongket.core.problems import PathPart, Problem

__all__ = [
    "PrintedTableReader",
    "list_form",
    "list_gaps",
    "list_wanted_problems",
    "records_outline_hooks",
    "records_word_hooks",
    "wanted_years",
]


def wanted_years(
    table: dict[str, Any], request: Any, path: tuple[PathPart, ...] = ()
) -> tuple[list[int], list[Problem]]:
    """The years `table["years"]` asks for (the request's period when absent), and problems.

    `request` is the outline's `Request` (its `years`: period_from to period_to).
    """
    if "years" not in table:
        years = list(getattr(request, "years", []) or [])
        if not years:
            return [], [
                Problem(
                    (*path, "years"),
                    "cần 'years' (danh sách năm) vì [request] không có period_from, period_to",
                )
            ]
        return years, []
    value = table["years"]
    if not isinstance(value, list) or not value:
        return [], [Problem((*path, "years"), "cần một danh sách năm, ví dụ [2019, 2020]")]
    low, high = YEAR_RANGE
    problems: list[Problem] = []
    years: list[int] = []
    for index, year in enumerate(value):
        if isinstance(year, bool) or not isinstance(year, int) or not low <= year <= high:
            problems.append(
                Problem((*path, "years", index), f"cần một năm trong khoảng {low}–{high}")
            )
        elif year in years:
            problems.append(Problem((*path, "years", index), f"năm {year} bị trùng"))
        else:
            years.append(year)
    return sorted(years), problems


def _records_fields(fields: tuple[Field, ...]) -> dict[str, Field]:
    return {spec.name: spec for spec in fields if spec.kind == "records"}


def _columns_of(value: Any) -> Any:
    return value.get("columns", []) if isinstance(value, dict) else value


def list_wanted_problems(
    fields: tuple[Field, ...], wanted: dict[str, Any], request: Any = None
) -> list[Problem]:
    """Problems of a `wanted` table that names record lists of `fields` with their columns."""
    lists = _records_fields(fields)
    problems: list[Problem] = []
    for name, value in wanted.items():
        spec = lists.get(name)
        if spec is None:
            known = ", ".join(lists) or "không có"
            problems.append(Problem((name,), f"loại mục không có danh sách '{name}' (có: {known})"))
            continue
        path: tuple[PathPart, ...] = (name,)
        if isinstance(value, dict):
            unknown = [key for key in value if key not in ("columns", "years")]
            if unknown:
                problems.append(
                    Problem((name, unknown[0]), "khóa không được biết (có: columns, years)")
                )
            path = (name, "columns")
        columns = _columns_of(value)
        if not isinstance(columns, list) or not all(isinstance(item, str) for item in columns):
            problems.append(Problem(path, 'cần danh sách tên cột, ví dụ ["year", "partner"]'))
            continue
        names = [column.name for column in spec.fields]
        for index, column in enumerate(columns):
            if column not in names:
                problems.append(
                    Problem(
                        (*path, index),
                        f"danh sách '{name}' không có cột '{column}' (có: {', '.join(names)})",
                    )
                )
        if isinstance(value, dict) and "years" in value:
            if "year" not in names:
                problems.append(Problem((name, "years"), f"danh sách '{name}' không có cột năm"))
            else:
                problems.extend(wanted_years(value, request, (name,))[1])
    return problems


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str | list) and not value)


def _gap(path: tuple, message: str) -> Problem:
    return Problem(path, message, "warning")  # a gap never stops an export


def list_gaps(
    fields: tuple[Field, ...], wanted: dict[str, Any], data: dict[str, Any], request: Any = None
) -> list[Problem]:
    """Where a section's record lists fall short of `wanted`: a list with no rows, a row
    without a wanted column, a wanted year without a row."""
    lists = _records_fields(fields)
    problems: list[Problem] = []
    for name, value in wanted.items():
        spec = lists.get(name)
        if spec is None:
            continue
        labels = {column.name: column.label for column in spec.fields}
        rows = data.get(name)
        rows = [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []
        if not rows:
            problems.append(_gap((name,), f"chưa có dòng nào trong '{spec.label}'"))
            continue
        for index, row in enumerate(rows):
            for column in _columns_of(value):
                if column in labels and _blank(row.get(column)):
                    problems.append(
                        _gap(
                            (name, index, column),
                            f"dòng {index + 1} của '{spec.label}' thiếu '{labels[column]}'",
                        )
                    )
        if isinstance(value, dict) and "years" in value:
            years, _problems = wanted_years(value, request)
            have = {row.get("year") for row in rows}
            for year in years:
                if year not in have:
                    problems.append(
                        _gap((name,), f"chưa có dòng nào năm {year} trong '{spec.label}'")
                    )
    return problems


def records_outline_hooks(
    section_type: SectionType,
) -> tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any]]:
    """`tongket_outline_check`, `tongket_outline_prefill`, `tongket_outline_gaps` for a type
    whose outline asks for some of its record lists (see the module's docstring)."""

    @hookimpl
    def tongket_outline_check(wanted: dict[str, Any], request: Any) -> list[Problem]:
        return list_wanted_problems(section_type.fields, wanted, request)

    @hookimpl
    def tongket_outline_prefill(data: dict[str, Any]) -> dict[str, Any]:
        return data  # lists start empty: a row with blank required cells would not validate

    @hookimpl
    def tongket_outline_gaps(
        wanted: dict[str, Any], data: dict[str, Any], request: Any
    ) -> list[Problem]:
        return list_gaps(section_type.fields, wanted, data, request)

    return tongket_outline_check, tongket_outline_prefill, tongket_outline_gaps


#: A type's reader of the table it prints itself, tried before the headings are matched to
#: columns: given a table's header and rows, None when the table is not of its shape; else
#: the rows as (list name, row's index in `rows`, cell text by column name), or the reason a
#: row cannot be read ("dòng 3, cột 'Hình thức': …", the table's number is added). The
#: reader leaves out rows of totals ("Tổng cộng") itself, after checking them if it can.
PrintedTableReader = Callable[
    [list[str], list[list[str]]], list[tuple[str, int, dict[str, str]]] | str | None
]


#: Blank rows a form gives a list that does not want a row per year.
FORM_ROWS = 3


def list_form(
    fields: tuple[Field, ...], wanted: dict[str, Any], request: Any = None
) -> list[dict[str, Any]]:
    """The blank Word tables of the wanted lists: headed by the column labels (the required
    columns and the wanted ones, in the list's order), a row per wanted year with the year
    filled in, or `FORM_ROWS` blank rows; a note names the choices a column takes."""
    lists = _records_fields(fields)
    tables = []
    for name, value in wanted.items():
        spec = lists.get(name)
        if spec is None:
            continue
        asked = set(_columns_of(value)) | {column.name for column in spec.fields if column.required}
        years: list[int] = []
        if isinstance(value, dict) and "years" in value:
            years, _problems = wanted_years(value, request)
            asked.add("year")
        columns = [column for column in spec.fields if column.name in asked]
        blank = [""] * len(columns)
        rows = [
            [str(year) if column.name == "year" else "" for column in columns] for year in years
        ] or [list(blank) for _ in range(FORM_ROWS)]
        notes = [
            f"{column.label}: {' hoặc '.join(label for _value, label in column.choices)}"
            for column in columns
            if column.kind == "choice"
        ] + [
            f"{column.label}: nhiều tên thì cách nhau bằng dấu chấm phẩy"
            for column in columns
            if column.kind == "list"
        ]
        table: dict[str, Any] = {
            "caption": spec.label,
            "header": [column.label for column in columns],
            "rows": rows,
        }
        if notes:
            table["note"] = "; ".join(notes) + "."
        tables.append(table)
    return tables


def records_word_hooks(
    section_type: SectionType,
    printed: PrintedTableReader | None = None,
    adjust: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """`tongket_outline_form` and `tongket_outline_read_tables` for a type made of record
    lists: a Word form headed by the wanted lists' column labels (`list_form`), and a Word
    reply's table so headed read back into rows (`tongket.core.workflow.record_tables`).
    `printed` reads the table the type prints itself when that is not one list's columns,
    so a report tongket exported reads back whole; `adjust(data)` then changes what the
    columns alone cannot say (a place written in the partner's cell, a plan no table gives).

    Bind each to its own hook's name."""

    @hookimpl
    def tongket_outline_form(wanted: dict[str, Any], request: Any) -> list[dict[str, Any]]:
        return list_form(section_type.fields, wanted, request)

    @hookimpl
    def tongket_outline_read_tables(
        wanted: dict[str, Any], tables: list[dict[str, Any]]
    ) -> dict[str, Any] | str | None:
        # Only an import reads Word tables: kept off the export path.
        from tongket.core.workflow.record_tables import read_record_tables

        data = read_record_tables(section_type.fields, wanted, tables, printed)
        return adjust(data) if adjust is not None and isinstance(data, dict) else data

    return tongket_outline_form, tongket_outline_read_tables
