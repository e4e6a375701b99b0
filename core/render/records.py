"""Helpers for section data kept as lists of records (delegations, fairs, classes, broadcasts …).

Plugins first check shapes with `tongket.core.host.fieldcheck.check_fields`; these helpers then add
the domain checks most record lists share (a plausible year, a date not after the report, text
that is only spaces) and the small groupings the prose needs (distinct values, counts by key).
Nothing here knows any particular section type.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

from tongket.core.host.fieldcheck import (  # one plausible range for every year
    YEAR_RANGE,
    coerce_date,
)
from tongket.core.problems import PathPart, Problem, did_you_mean


def records_of(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The records stored under `name`; anything that is not a table is skipped (shape checks
    report it)."""
    value = data.get(name)
    if not isinstance(value, list):
        return []
    return [record for record in value if isinstance(record, dict)]


def year_problems(
    data: dict[str, Any], name: str, field: str = "year", *, report_date: dt.date | None = None
) -> list[Problem]:
    """Years outside `YEAR_RANGE` (errors) and years after the report's own year (warnings)."""
    low, high = YEAR_RANGE
    problems: list[Problem] = []
    for index, record in enumerate(data.get(name) or []):
        year = record.get(field) if isinstance(record, dict) else None
        if not isinstance(year, int) or isinstance(year, bool):
            continue
        where = (name, index, field)
        if not low <= year <= high:
            problems.append(Problem(where, f"cần một năm trong khoảng {low}–{high}, gặp {year}"))
        elif report_date is not None and year > report_date.year:
            problems.append(
                Problem(
                    where,
                    f"năm {year} sau năm ban hành văn bản ({report_date.year})",
                    severity="warning",
                )
            )
    return problems


def row_date_problems(
    data: dict[str, Any], name: str, field: str = "date", *, report_date: dt.date | None = None
) -> list[Problem]:
    """Dates outside `YEAR_RANGE` (errors) and dates after the report's date (warnings)."""
    low, high = YEAR_RANGE
    problems: list[Problem] = []
    for index, record in enumerate(data.get(name) or []):
        date = coerce_date(record.get(field)) if isinstance(record, dict) else None
        if date is None:
            continue
        where = (name, index, field)
        if not low <= date.year <= high:
            problems.append(
                Problem(where, f"cần một ngày trong các năm {low}–{high}, gặp {date.isoformat()}")
            )
        elif report_date is not None and date > report_date:
            problems.append(
                Problem(
                    where,
                    f"ngày {date.isoformat()} sau ngày ban hành văn bản "
                    f"({report_date.isoformat()})",
                    severity="warning",
                )
            )
    return problems


def blank_problems(data: dict[str, Any], name: str, fields: Iterable[str]) -> list[Problem]:
    """Text fields that hold only spaces, and blank entries in list fields, as errors.

    `check_fields` treats "" as missing; "   " passes it but prints as nothing, so a name the
    prose depends on (a partner, a fair) must not be blank either.
    """
    fields = tuple(fields)
    problems: list[Problem] = []
    for index, record in enumerate(data.get(name) or []):
        if not isinstance(record, dict):
            continue
        for field in fields:
            value = record.get(field)
            if isinstance(value, str) and value and not value.strip():
                problems.append(Problem((name, index, field), "chỉ có khoảng trắng: cần nội dung"))
            elif isinstance(value, list):
                problems.extend(
                    Problem((name, index, field, position), "mục trống trong danh sách")
                    for position, item in enumerate(value)
                    if isinstance(item, str) and not item.strip()
                )
    return problems


def recorded(record: dict[str, Any], field: str) -> bool:
    """Whether a record gives `field` a value (a blank string or empty list gives none)."""
    value = record.get(field)
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None and value != []


def partly_recorded(
    rows: Iterable[tuple[tuple[str, int], dict[str, Any]]], field: str, what: str, effect: str
) -> list[Problem]:
    """A warning when some rows give `field` and others do not: a total or a list printed
    from the rows that have it would read as everyone's, so the default sentence leaves it
    out (`effect` says what it leaves out). The warning points at the first row without it.

    rows: ((list name, index), record) pairs, the rows the sentence speaks of; `what` names
    the field in the message ("địa điểm").
    """
    rows = list(rows)
    missing = [place for place, record in rows if not recorded(record, field)]
    if not missing or len(missing) == len(rows):
        return []
    name, index = missing[0]
    others = f" và {len(missing) - 1} dòng khác" if len(missing) > 1 else ""
    return [
        Problem(
            (name, index, field),
            f"dòng này{others} chưa ghi {what} trong khi các dòng khác có ghi: {effect}",
            severity="warning",
        )
    ]


def distinct(values: Iterable[Any]) -> list[Any]:
    """Values without repeats, in first-seen order; empty strings and None are left out."""
    seen: dict[Any, None] = {}
    for value in values:
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            continue
        seen.setdefault(value, None)
    return list(seen)


def spellings(names: Iterable[str]) -> dict[str, str]:
    """Each name's key (`merging.name_key`: case, spacing and invisible characters aside) →
    the spelling prose prints: the first written, unless it is all in capitals and a later one
    is not (a name typed in capitals is not how it is written). "Tỏi Lý Sơn" and "tỏi Lý
    Sơn", "SỞ CÔNG THƯƠNG TỈNH X" and "Sở Công Thương tỉnh X" are one name each."""
    from tongket.core.host.merging import name_key

    chosen: dict[str, str] = {}
    for name in names:
        shown = " ".join(name.split())
        key = name_key(shown)
        if key not in chosen or (chosen[key].isupper() and not shown.isupper()):
            chosen[key] = shown
    return chosen


def one_spelling(names: Iterable[str]) -> list[str]:
    """`names` each once, in first-seen order, spelt as `spellings` chooses."""
    return list(spellings(names).values())


def repeat_problems(
    data: dict[str, Any], name: str, fields: tuple[str, ...], what: str, unit: str
) -> list[Problem]:
    """A warning at each row alike in `fields` (names compared as `merging.name_key` does)
    with an earlier one: the same delegation, conference or fair typed twice is counted twice
    in the prose. `what` names the fields in the message, `unit` the thing counted ("lượt
    đoàn"). In a consolidation, rows of different bodies (their `body`) are not compared: the
    merge names those itself, with both bodies (`merging.maybe_one_thing`)."""
    from tongket.core.host.merging import BODY, name_key

    first: dict[tuple[Any, ...], int] = {}
    problems: list[Problem] = []
    for index, record in enumerate(records_of(data, name)):
        key = tuple(
            name_key(value) if isinstance(value := record.get(field), str) else value
            for field in (*fields, BODY)
        )
        if key in first:
            problems.append(
                Problem(
                    (name, index),
                    f"trùng {what} với dòng {first[key] + 1}: lời văn tính là hai {unit}; nếu "
                    "là một thì xóa một dòng",
                    severity="warning",
                )
            )
        first.setdefault(key, index)
    return problems


def count_by(
    records: Iterable[dict[str, Any]], key: Callable[[dict[str, Any]], Hashable]
) -> dict[Hashable, int]:
    """How many records share each key, keys in first-seen order (None keys are left out)."""
    counts: Counter[Hashable] = Counter()
    for record in records:
        value = key(record)
        if value is not None:
            counts[value] += 1
    return dict(counts)


# -- cited documents and year spans (added for the training and media sections) ------------


def citation_problem(
    key: Any, path: tuple[PathPart, ...], citations: Mapping[str, Any]
) -> list[Problem]:
    """A citation key that the document's [citations] table does not define (with a hint)."""
    if not isinstance(key, str) or not key.strip() or key in citations:
        return []
    known = sorted(citations)
    listed = f" (có: {', '.join(known)})" if known else " (chưa khai báo văn bản nào)"
    hint = did_you_mean(key, known, otherwise=listed)
    return [Problem(path, f"văn bản dẫn '{key}' chưa được khai báo trong [citations]{hint}")]


def citation_list_problems(
    keys: Any, path: tuple[PathPart, ...], citations: Mapping[str, Any]
) -> list[Problem]:
    """Unknown keys (errors) and keys listed twice (warnings) in a list of citation keys."""
    if not isinstance(keys, list):
        return []
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, key in enumerate(keys):
        problems += citation_problem(key, (*path, index), citations)
        if not isinstance(key, str):
            continue
        if key in seen:
            problems.append(
                Problem((*path, index), f"văn bản dẫn '{key}' được liệt kê hai lần", "warning")
            )
        seen.add(key)
    return problems


def mentions(keys: Iterable[str], separator: str = "; ") -> str:
    """Cited documents as inline mentions, "[[nq22]]; [[nq31]]".

    Generated prose carries `[[key]]` rather than formatted text: the mentions are expanded
    when the filled template becomes paragraphs, so "full on first mention, short afterwards"
    follows reading order, and validating a section does not use up a first mention.
    """
    return separator.join(f"[[{key}]]" for key in keys)


def year_span(first: int, last: int) -> str:
    """2012, 2020 → "2012 – 2020" (the reference's spaced en dash); a single year → "2020"."""
    return str(first) if first == last else f"{first} – {last}"
