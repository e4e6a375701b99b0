"""The economic-results section's checks: what the field descriptions cannot tell.

`data_problems` checks the data before anything is computed (duplicate or missing years,
periods outside the series, multiples of years without figures, …) and names the year at
fault; `stated_problems` compares every stated (officially published) figure with the one the
data give; `partial_problems` names each consolidated total that lacks some bodies' figures
and what was therefore not computed. The figures themselves are `economic_data`'s.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tongket.core import Problem
from tongket.core.host.fieldcheck import year_problems
from tongket.core.render import growth, vnformat

from .economic_data import (
    ATTAINMENT_WORDS,
    MAX_DECIMALS,
    METHOD_SHORT,
    PARTIAL_MARK,
    POINTS,
    SHOWN_DECIMALS,
    VALUE_RANGE,
    EconomicResults,
    Indicator,
    chosen_indicator,
    multiple_text,
    period_label,
    read_indicators,
    target_text,
)

#: Every year the checks and figures iterate over (`growth.missing_years`), checked first.
YEAR_FIELDS = (
    ("indicators", None, "series", None, "year"),
    ("periods", None, "start"),
    ("periods", None, "end"),
    ("multiples", None, "year"),
    ("multiples", None, "base_year"),
    ("partial_totals", None, "year"),
)


_TOLERANCE = Decimal(5).scaleb(-(SHOWN_DECIMALS + 1))  # half the last printed digit: 0,05


def _disagrees(stated: float, computed: float) -> bool:
    """Whether a stated figure differs from the computed one by more than the rounding shown."""
    return abs(Decimal(str(stated)) - Decimal(str(computed))) > _TOLERANCE


def _series_problems(row: dict[str, Any], position: int) -> list[Problem]:
    path = ("indicators", position)
    problems = []
    decimals = row.get("decimals", 0)
    if not 0 <= decimals <= MAX_DECIMALS:
        problems.append(
            Problem((*path, "decimals"), f"cần từ 0 đến {MAX_DECIMALS} chữ số, gặp {decimals}")
        )
    first_row: dict[int, int] = {}
    previous_year: int | None = None
    for index, point in enumerate(row["series"]):
        year, value = point["year"], point.get("value")
        if previous_year is not None and year < previous_year:
            # The figures are used in year order anyway; out of order is most likely a slip.
            problems.append(
                Problem(
                    (*path, "series", index, "year"),
                    f"năm {year} đứng sau năm {previous_year}: số liệu nên xếp theo thứ tự năm "
                    "tăng dần (tongket vẫn tính theo thứ tự năm)",
                    "warning",
                )
            )
        previous_year = year if previous_year is None else max(previous_year, year)
        if year in first_row:
            problems.append(
                Problem(
                    (*path, "series", index, "year"),
                    f"năm {year} bị trùng (đã có ở dòng {first_row[year] + 1})",
                )
            )
            continue
        first_row[year] = index
        if value is None:
            continue  # left to fill in: the outline's gaps name it, the figures skip it
        if value <= 0:
            problems.append(
                Problem(
                    (*path, "series", index, "value"),
                    f"giá trị năm {year} phải lớn hơn 0 để tính tốc độ tăng, gặp {value}",
                )
            )
        elif not VALUE_RANGE[0] <= value <= VALUE_RANGE[1]:
            low, high = VALUE_RANGE
            problems.append(
                Problem(
                    (*path, "series", index, "value"),
                    f"giá trị năm {year} là {value}, ngoài khoảng tính được "
                    f"({vnformat.number(low, MAX_DECIMALS)} đến {vnformat.number(high)}); "
                    "kiểm tra lại đơn vị",
                )
            )
    return problems


def _period_problems(
    data: dict[str, Any], indicators: tuple[Indicator, ...], chosen: Indicator
) -> tuple[list[Problem], set[tuple[int, int]]]:
    """Problems with the periods, and the (indicator, year) gaps they reported as errors."""
    problems: list[Problem] = []
    reported: set[tuple[int, int]] = set()
    seen: dict[tuple[int, int], int] = {}
    for index, period in enumerate(data.get("periods") or []):
        start, end = period["start"], period["end"]
        label = period_label(start, end)
        if start > end:
            problems.append(
                Problem(("periods", index, "end"), f"năm cuối {end} trước năm đầu {start}")
            )
            continue
        if (start, end) in seen:
            problems.append(
                Problem(
                    ("periods", index),
                    f"giai đoạn {label} đã khai báo ở dòng {seen[start, end] + 1}",
                )
            )
            continue
        seen[start, end] = index
        base = start - 1
        years = chosen.years
        if not years or base < years[0] or end > years[-1]:
            have = f"{years[0]}–{years[-1]}" if years else "không có năm nào"
            problems.append(
                Problem(
                    ("periods", index),
                    f"giai đoạn {label} nằm ngoài chuỗi số liệu của '{chosen.name}' "
                    f"(có {have}; cần từ năm gốc {base} đến {end})",
                )
            )
        for indicator in indicators:
            if not indicator.series:
                continue
            # A period an indicator only partly spans is simply left out of its table's note;
            # a hole inside a span it claims to cover is an error.
            if indicator is not chosen and (base < indicator.years[0] or end > indicator.years[-1]):
                continue
            for year in growth.missing_years(indicator.series, max(base, indicator.years[0]), end):
                if year > indicator.years[-1] or (indicator.position, year) in reported:
                    continue
                reported.add((indicator.position, year))
                problems.append(
                    Problem(
                        ("indicators", indicator.position, "series"),
                        f"thiếu số liệu năm {year} của '{indicator.name}' (giai đoạn {label} "
                        f"cần đủ các năm {base}–{end})",
                    )
                )
    return problems, reported


def _multiple_problems(data: dict[str, Any], chosen: Indicator) -> list[Problem]:
    problems = []
    seen: dict[tuple[int, int], int] = {}
    for index, item in enumerate(data.get("multiples") or []):
        year, base_year = item["year"], item["base_year"]
        path = ("multiples", index)
        if base_year >= year:
            problems.append(
                Problem((*path, "base_year"), f"năm gốc {base_year} phải trước năm {year}")
            )
        if (year, base_year) in seen:
            problems.append(
                Problem(
                    path, f"so sánh {year}/{base_year} đã có ở dòng {seen[year, base_year] + 1}"
                )
            )
        seen.setdefault((year, base_year), index)
        for name, value in (("year", year), ("base_year", base_year)):
            if value not in chosen.series:
                problems.append(
                    Problem(
                        (*path, name),
                        f"năm {value} không có trong chuỗi số liệu của '{chosen.name}'",
                    )
                )
        stated = item.get("stated")
        if stated is not None and stated <= 0:
            problems.append(Problem((*path, "stated"), f"số lần phải lớn hơn 0, gặp {stated}"))
    return problems


def data_problems(data: dict[str, Any]) -> list[Problem]:
    """Domain problems of shape-checked data; errors mean `compute` cannot run."""
    problems = year_problems(data, *YEAR_FIELDS)
    if problems:
        return problems  # the checks below walk the years from first to last
    rows = data.get("indicators") or []
    names: dict[str, int] = {}
    for position, row in enumerate(rows):
        if row["name"] in names:
            problems.append(
                Problem(
                    ("indicators", position, "name"),
                    f"tên chỉ tiêu '{row['name']}' trùng với dòng {names[row['name']] + 1}",
                )
            )
        names.setdefault(row["name"], position)
        problems.extend(_series_problems(row, position))
    indicators = read_indicators(data)
    chosen = chosen_indicator(data, indicators)
    if chosen is None:
        known = ", ".join(f"'{item.name}'" for item in indicators)
        return [
            *problems,
            Problem(("indicator",), f"không có chỉ tiêu '{data['indicator']}' (có: {known})"),
        ]
    period_problems, reported = _period_problems(data, indicators, chosen)
    problems.extend(period_problems)
    problems.extend(_multiple_problems(data, chosen))
    known = {indicator.name: indicator for indicator in indicators}
    for index, item in enumerate(data.get("partial_totals") or []):
        found = known.get(item["indicator"])
        if found is None or item["year"] not in found.series:
            what = (
                "không có chỉ tiêu này"
                if found is None
                else f"chỉ tiêu không có năm {item['year']}"
            )
            problems.append(
                Problem(
                    ("partial_totals", index),
                    f"tổng chưa đủ của '{item['indicator']}' năm {item['year']}: {what}; dòng "
                    "này không được dùng",
                    "warning",
                )
            )
    # What reading a Word reply's tables left out (a total, a rate of change): said, never
    # dropped unseen (`economic_tables`).
    problems.extend(
        Problem(("left_out", index), f"bảng Word không đọc vào số liệu: {note}", "warning")
        for index, note in enumerate(data.get("left_out") or [])
    )
    for indicator in indicators:
        years = indicator.years
        for year in growth.missing_years(years, years[0], years[-1]) if years else []:
            if (indicator.position, year) not in reported:
                problems.append(
                    Problem(
                        ("indicators", indicator.position, "series"),
                        f"thiếu số liệu năm {year} của '{indicator.name}'; cột tăng so với "
                        f"năm trước của năm {year + 1} để trống",
                        severity="warning",
                    )
                )
    return problems


def stated_problems(results: EconomicResults) -> list[Problem]:
    """A warning for each stated figure the data do not give, printing both and the years."""
    problems = []
    indicator = results.indicator
    method = POINTS if indicator.in_points else METHOD_SHORT[results.method]
    for period in results.periods:
        if period.stated is None or not _disagrees(period.stated, period.computed):
            continue
        message = (
            f"tốc độ tăng{'' if period.one_year else ' bình quân'} {period.named} ghi "
            f"{indicator.rate_text(period.stated)} "
            f"nhưng số liệu {period.base}–{period.end} cho {indicator.rate_text(period.computed)}"
            + ("" if period.one_year or indicator.in_points else f" ({method})")
        )
        by_data = period.attainment_of(period.computed)
        if by_data != period.attainment and period.target is not None:
            message += (
                f"; theo số liệu thì {ATTAINMENT_WORDS[by_data]} chỉ tiêu "
                f"{target_text(period.target, indicator.change_unit)}"
            )
        problems.append(
            Problem(("periods", period.position, "stated_growth"), message, severity="warning")
        )
    for item in results.multiples:
        if item.stated is None or not _disagrees(item.stated, item.computed):
            continue
        value = vnformat.number(indicator.series[item.year], indicator.decimals)
        base = vnformat.number(indicator.series[item.base_year], indicator.decimals)
        problems.append(
            Problem(
                ("multiples", item.position, "stated"),
                f"số lần năm {item.year} so với năm {item.base_year} ghi "
                f"{multiple_text(item.stated)} nhưng số liệu cho {multiple_text(item.computed)} "
                f"({value} / {vnformat.with_unit(base, indicator.unit)})",
                severity="warning",
            )
        )
    return problems


def partial_problems(results: EconomicResults) -> list[Problem]:
    """A warning for each indicator with a partial total (a consolidated year lacking some
    bodies' figures), naming the years, the bodies and every change not computed for it."""
    problems = []
    for indicator in results.indicators:
        if not indicator.lacking:
            continue
        which = indicator.lacking_years_text
        left = []
        rates = indicator.partial_changes
        if rates:
            left.append(f"tăng so với năm trước của năm {vnformat.join(map(str, rates))}")
        if indicator is results.indicator:
            left.extend(what for what, _years in results.withheld)
        else:
            left.extend(
                f"tăng bình quân {period.named}"
                for period in results.periods
                if indicator.covers(period.base, period.end)
                and indicator.period_change(period.start, period.end, results.method) is None
            )
        message = (
            f"chỉ tiêu '{indicator.name}': tổng chưa đủ đơn vị ({which}); bảng ghi "
            f"'({PARTIAL_MARK})' bên số liệu các năm đó"
        )
        if left:
            message += (
                f"; không tính {vnformat.join(left)} (sẽ so sánh tổng của những đơn vị khác nhau)"
            )
        problems.append(Problem(("indicators", indicator.position, "series"), message, "warning"))
    return problems
