"""What an outline (đề cương) may ask of an economic-results section, and the hooks that say so.

The outline's `wanted` table lists indicators, each with its unit and the years wanted (the
request's period when `years` is left out):

    [[sections.wanted.indicators]]
    name = "kim ngạch xuất khẩu"
    unit = "triệu USD"
    years = [2011, 2012, 2013]

A reply made from it starts with those indicators and one row per year without a value. Its
gaps: an indicator missing, a unit other than the one asked for, a wanted year without a
value, and a figure for a year that had not ended by the request's cut-off but is not marked
`estimated` (ước thực hiện). The hooks are bound in `economic_results`, the plugin module.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from tongket.core import Problem, hookimpl
from tongket.core.render import vnformat
from tongket.core.workflow.wanted import wanted_years

INDICATOR_KEYS = ("name", "unit", "years", "decimals")


def _key(name: Any) -> str:
    return " ".join(unicodedata.normalize("NFC", str(name)).casefold().split())


def _text(item: dict[str, Any], key: str, path: tuple, problems: list[Problem]) -> str:
    value = item.get(key, "")
    if not isinstance(value, str):
        problems.append(Problem((*path, key), "cần một chuỗi văn bản"))
        return ""
    return value.strip()


def wanted_problems(wanted: dict[str, Any], request: Any) -> list[Problem]:
    """Problems of the outline's `wanted` table for an economic-results section."""
    problems: list[Problem] = []
    for key in wanted:
        if key != "indicators":
            problems.append(Problem((key,), "khóa không được biết (có: indicators)"))
    indicators = wanted.get("indicators")
    if not isinstance(indicators, list) or not indicators:
        return [*problems, Problem(("indicators",), "cần ít nhất một [[…wanted.indicators]]")]
    seen: dict[str, int] = {}
    for index, item in enumerate(indicators):
        path = ("indicators", index)
        if not isinstance(item, dict):
            problems.append(Problem(path, "cần một bảng (name, unit, years)"))
            continue
        problems.extend(
            Problem((*path, key), f"khóa không được biết (có: {', '.join(INDICATOR_KEYS)})")
            for key in item
            if key not in INDICATOR_KEYS
        )
        name = _text(item, "name", path, problems)
        _text(item, "unit", path, problems)
        if not name:
            problems.append(Problem((*path, "name"), "thiếu tên chỉ tiêu"))
        elif _key(name) in seen:
            problems.append(
                Problem((*path, "name"), f"chỉ tiêu '{name}' trùng với dòng {seen[_key(name)] + 1}")
            )
        seen.setdefault(_key(name), index)
        decimals = item.get("decimals", 0)
        if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 4:
            problems.append(Problem((*path, "decimals"), "cần một số nguyên từ 0 đến 4"))
        problems.extend(wanted_years(item, request, path)[1])
    return problems


def prefill(wanted: dict[str, Any], data: dict[str, Any], request: Any) -> dict[str, Any]:
    """The wanted indicators, each with one row per wanted year and no value yet."""
    indicators = []
    for item in wanted.get("indicators") or []:
        years, _problems = wanted_years(item, request)
        indicators.append(
            {
                "name": item["name"].strip(),
                "unit": item.get("unit", "").strip(),
                "decimals": item.get("decimals", 0),
                "series": [{"year": year} for year in years],
            }
        )
    return {**data, "indicators": indicators, "indicator": ""}


def form(wanted: dict[str, Any], request: Any) -> list[dict[str, Any]]:
    """The Word reply form: one table, years down, a column per wanted indicator with its
    unit ("Kim ngạch xuất khẩu (triệu USD)"), a row per wanted year; a year that had not
    ended by the cut-off reads "2021 (ước)" (`economic_tables` reads both back)."""
    items = [item for item in wanted.get("indicators") or [] if isinstance(item, dict)]
    if not items:
        return []
    years = sorted({year for item in items for year in wanted_years(item, request)[0]})
    header = ["Năm"]
    for item in items:
        name, unit = item["name"].strip(), item.get("unit", "").strip()
        header.append(name[:1].upper() + name[1:] + (f" ({unit})" if unit else ""))
    estimated = getattr(request, "estimated_only", lambda _year: False)
    rows = [
        [f"{year} (ước)" if estimated(year) else str(year), *("" for _item in items)]
        for year in years
    ]
    return [{"caption": "Số liệu theo năm", "header": header, "rows": rows}]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _gap(path: tuple, message: str) -> Problem:
    return Problem(path, message, "warning")  # a gap never stops an export


def gaps(wanted: dict[str, Any], data: dict[str, Any], request: Any) -> list[Problem]:
    """Missing indicators and years, units that differ, estimates not marked as such."""
    rows = data.get("indicators")
    rows = [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []
    by_name = {_key(row.get("name", "")): position for position, row in enumerate(rows)}
    cutoff = getattr(request, "cutoff", None)
    problems: list[Problem] = []
    for item in wanted.get("indicators") or []:
        name, unit = item["name"].strip(), item.get("unit", "").strip()
        position = by_name.get(_key(name))
        if position is None:
            problems.append(_gap(("indicators",), f"thiếu chỉ tiêu '{name}' ({unit})"))
            continue
        row, path = rows[position], ("indicators", position)
        have_unit = str(row.get("unit", "")).strip()
        if unit and _key(have_unit) != _key(unit):
            problems.append(
                _gap(
                    (*path, "unit"),
                    f"đơn vị của '{name}' là '{have_unit}', đề cương yêu cầu '{unit}'",
                )
            )
        series = row.get("series") if isinstance(row.get("series"), list) else []
        points = {
            point.get("year"): (index, point)
            for index, point in reversed(list(enumerate(series)))
            if isinstance(point, dict)
        }
        years, _problems = wanted_years(item, request)
        missing = [
            year for year in years if not _is_number(points.get(year, (0, {}))[1].get("value"))
        ]
        if missing:
            problems.append(
                _gap(
                    (*path, "series"),
                    f"thiếu số liệu năm {vnformat.year_runs(missing)} của '{name}'",
                )
            )
        for year in years:
            index, point = points.get(year, (None, {}))
            if year in missing:
                continue
            if request.estimated_only(year) and point.get("estimated") is not True:
                problems.append(
                    _gap(
                        (*path, "series", index, "estimated"),
                        f"số liệu năm {year} của '{name}' chưa đánh dấu ước thực hiện "
                        f"(estimated = true): đề cương lấy số liệu đến ngày "
                        f"{vnformat.date_numeric(cutoff)}",
                    )
                )
    return problems


@hookimpl
def tongket_outline_check(wanted: dict[str, Any], request: Any) -> list[Problem]:
    return wanted_problems(wanted, request)


@hookimpl
def tongket_outline_prefill(
    wanted: dict[str, Any], data: dict[str, Any], request: Any
) -> dict[str, Any]:
    return prefill(wanted, data, request)


@hookimpl
def tongket_outline_form(wanted: dict[str, Any], request: Any) -> list[dict[str, Any]]:
    return form(wanted, request)


@hookimpl
def tongket_outline_gaps(
    wanted: dict[str, Any], data: dict[str, Any], request: Any
) -> list[Problem]:
    return gaps(wanted, data, request)
