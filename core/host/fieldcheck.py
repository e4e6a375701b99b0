"""Check a section's data against its field descriptions: the shape part of validation.

Every section type describes its fields (`tongket.core.Field`); this module checks that the
stored data has those shapes (types, required values, choices, records) and says precisely
where it does not. Plugins call it first, then add the checks only they understand
(missing years in a series, a period outside the data, …).

Years are integers to TOML, but a plugin that walks "every year from the first to the last"
must never do so over a typo such as 20200000 (twenty million iterations, gigabytes): it
checks each year it will iterate over with `year_problem` / `year_problems` first, against
the one plausible range `YEAR_RANGE`, and iterates only when they pass.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

from tongket.core.host.sectiontypes import Field
from tongket.core.problems import PathPart, Problem, did_you_mean

#: Years a review report can plausibly speak of: the years of its data, periods and dates.
YEAR_RANGE = (1945, 2100)

_EXPECTED = {
    "text": "một dòng văn bản",
    "longtext": "một đoạn văn bản",
    "integer": "một số nguyên",
    "decimal": "một số",
    "date": "một ngày dạng YYYY-MM-DD",
    "choice": "một lựa chọn",
    "bool": "true hoặc false",
    "list": "một danh sách chuỗi",
    "records": "một danh sách các dòng (bảng)",
}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _value_problem(spec: Field, value: Any) -> str | None:
    expected = _EXPECTED[spec.kind]
    if spec.kind in ("text", "longtext"):
        ok = isinstance(value, str)
    elif spec.kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif spec.kind == "decimal":
        if _is_number(value) and not math.isfinite(value):
            return f"cần {expected} hữu hạn, gặp {value!r}"
        ok = _is_number(value)
    elif spec.kind == "date":
        if isinstance(value, str):
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                return f"ngày không có thật hoặc sai dạng: '{value}' (cần YYYY-MM-DD)"
            return None
        ok = isinstance(value, dt.date)
    elif spec.kind == "choice":
        allowed = [choice for choice, _label in spec.choices]
        if value not in allowed:
            return f"cần một trong {', '.join(allowed)}, gặp {_as_toml(value)}"
        return None
    elif spec.kind == "bool":
        ok = isinstance(value, bool)
    elif spec.kind == "list":
        ok = isinstance(value, list) and all(isinstance(item, str) for item in value)
    else:  # records
        ok = isinstance(value, list)
    if ok:
        return None
    return f"cần {expected}, gặp {_as_toml(value)}"


def _as_toml(value: Any) -> str:
    """A value the way the drafter wrote it in TOML (true, "text", [ … ]), not Python's repr."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"' if len(value) < 40 else "một chuỗi dài"
    if isinstance(value, int | float):
        return str(value)
    return {list: "một danh sách", dict: "một bảng"}.get(type(value), type(value).__name__)


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


#: Kinds whose value is any string; a non-empty one has nothing more to check.
_TEXT_KINDS = frozenset({"text", "longtext"})

#: `_by_name` of each section type's fields tuple, by the tuple's id. The entry keeps the
#: tuple alive, so its id cannot be reused by another while it is here; bounded, in case a
#: caller builds a new tuple per call. Fields are frozen: a tuple's names never change.
_BY_NAME: dict[int, tuple[tuple[Field, ...], dict[str, Field]]] = {}
_BY_NAME_LIMIT = 256


def _by_name(fields: tuple[Field, ...]) -> dict[str, Field]:
    """The fields by name (the last of a repeated name wins), built once per fields tuple:
    a section type's tuple is checked for every section of its type."""
    known = _BY_NAME.get(id(fields))
    if known is not None and known[0] is fields:
        return known[1]
    by_name = {spec.name: spec for spec in fields}
    if len(_BY_NAME) < _BY_NAME_LIMIT:
        _BY_NAME[id(fields)] = (fields, by_name)
    return by_name


def check_fields(
    fields: Iterable[Field],
    data: Any,
    path: tuple[PathPart, ...] = (),
    *,
    allow_unknown: bool = False,
) -> list[Problem]:
    """Problems with `data` against `fields`: wrong types, missing required values, unknown keys."""
    stored = fields.__class__ is tuple  # a section type's own tuple, met again and again
    fields = tuple(fields)
    if not isinstance(data, dict):
        return [Problem(path, f"cần một bảng dữ liệu, gặp {type(data).__name__}")]
    problems: list[Problem] = []
    by_name = _by_name(fields) if stored else {spec.name: spec for spec in fields}
    if not allow_unknown:
        for key in data:
            if key not in by_name:
                hint = did_you_mean(key, by_name)
                problems.append(Problem((*path, key), f"khóa không được biết{hint}"))
    for spec in fields:
        value = data.get(spec.name)
        if value.__class__ is str and value and spec.kind in _TEXT_KINDS:
            continue  # a filled text field, the most common value: nothing to report
        if value is None and not spec.required:
            continue  # an absent optional field: `_is_empty` and nothing to say
        where = (*path, spec.name)
        if _is_empty(value):
            if spec.required:
                problems.append(Problem(where, f"bắt buộc: cần {_EXPECTED[spec.kind]}"))
            continue
        message = _value_problem(spec, value)
        if message:
            problems.append(Problem(where, message))
            continue
        if spec.kind == "records":
            for index, record in enumerate(value):
                problems.extend(check_fields(spec.fields, record, (*where, index)))
    return problems


def coerce_date(value: Any) -> dt.date | None:
    """A date field's value as a date (TOML dates and "YYYY-MM-DD" strings), or None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def is_year(value: Any) -> bool:
    """Whether `value` is an integer year inside `YEAR_RANGE` (a bool is not a year)."""
    low, high = YEAR_RANGE
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def year_problem(value: Any) -> str | None:
    """Why an integer is not a plausible year ("cần một năm trong khoảng 1945–2100, gặp …").

    Values of another type are left to `check_fields`; None means the year is usable.
    """
    if not isinstance(value, int) or isinstance(value, bool) or is_year(value):
        return None
    low, high = YEAR_RANGE
    shown = str(value) if abs(value) < 10**30 else f"một số có {len(str(abs(value)))} chữ số"
    return f"cần một năm trong khoảng {low}–{high}, gặp {shown}"


def year_problems(data: Any, *paths: tuple[PathPart | None, ...]) -> list[Problem]:
    """Implausible years at each of `paths` inside `data`, as errors naming the field.

    A path is a tuple of keys; `None` stands for every element of a list, so
    `("indicators", None, "series", None, "year")` checks each year of each series. Parts
    that are missing or of another shape are skipped (`check_fields` reports those).
    """
    problems: list[Problem] = []
    for path in paths:
        for where, value in _values_at(data, path, ()):
            message = year_problem(value)
            if message:
                problems.append(Problem(where, message))
    return problems


def _values_at(value: Any, path: tuple, where: tuple) -> Iterable[tuple[tuple, Any]]:
    if not path:
        yield where, value
        return
    part, rest = path[0], path[1:]
    if part is None:
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield from _values_at(item, rest, (*where, index))
    elif isinstance(value, dict) and part in value:
        yield from _values_at(value[part], rest, (*where, part))
