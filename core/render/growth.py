"""Growth arithmetic for yearly series: pure functions, no formatting, no Vietnamese.

Rates are returned in percent (29.9 means +29,9%/năm). A period "2016-2020" is measured from
its base year (năm gốc), the year before its first year, to its last year: that is how the
General Statistics Office (Tổng cục Thống kê) computes "tốc độ tăng bình quân".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from itertools import pairwise
from typing import Literal

Method = Literal["cagr", "arithmetic"]
Attainment = Literal["exceeded", "met", "missed"]

METHODS: tuple[Method, ...] = ("cagr", "arithmetic")


def yearly_growth(previous: float, current: float) -> float:
    """Growth on the year before, in percent: 381 → 470 is 23.36…"""
    if previous <= 0:
        raise ValueError(f"growth needs a positive base value, got {previous}")
    return (current / previous - 1) * 100


def cagr(base_value: float, end_value: float, years: int) -> float:
    """Compound average annual growth in percent: (end / base) ** (1 / years) − 1."""
    if years < 1:
        raise ValueError(f"compound growth needs at least one year, got {years}")
    if base_value <= 0 or end_value <= 0:
        raise ValueError("compound growth needs positive values")
    return ((end_value / base_value) ** (1 / years) - 1) * 100


def arithmetic_mean_growth(values: Sequence[float]) -> float:
    """Arithmetic mean of the yearly growth rates of consecutive values, base year first."""
    if len(values) < 2:
        raise ValueError("the mean of yearly rates needs at least two consecutive values")
    rates = [yearly_growth(previous, current) for previous, current in pairwise(values)]
    return sum(rates) / len(rates)


#: The longest span of years walked year by year; callers check their years first
#: (`tongket.core.host.fieldcheck.year_problems`), this only stops a forgotten check from walking
#: billions of years.
MAX_SPAN = 1000


def missing_years(years: Iterable[int], first: int, last: int) -> list[int]:
    """The years from `first` to `last` (inclusive) that `years` lacks, in order."""
    if last - first > MAX_SPAN:
        raise ValueError(f"a span of {last - first} years ({first}-{last}) is not plausible")
    present = set(years)
    return [year for year in range(first, last + 1) if year not in present]


def period_growth(series: Mapping[int, float], start: int, end: int, method: Method) -> float:
    """Average annual growth over the period start..end, measured from the base year start − 1."""
    base = start - 1
    gaps = missing_years(series, base, end)
    if gaps:
        raise ValueError(f"the series lacks the years {gaps}")
    if method == "cagr":
        return cagr(series[base], series[end], end - base)
    if method == "arithmetic":
        return arithmetic_mean_growth([series[year] for year in range(base, end + 1)])
    raise ValueError(f"unknown averaging method {method!r}")


def point_change(previous: float, current: float) -> float:
    """Change of a rate in percentage points (điểm phần trăm): 12.5 → 14.0 is 1.5. A share or
    a rate in % changes by points; its relative growth (12,0%) reads as the wrong figure.
    Rounded to ten places: the difference of two decimals carries binary noise (13,2 − 12,5
    is 0,6999…), which would tip a half when printed."""
    return round(current - previous, 10)


def period_point_change(series: Mapping[int, float], start: int, end: int) -> float:
    """Average yearly change in percentage points over start..end, from the base year start − 1.

    The mean of the yearly point changes telescopes to (end − base) / years, whichever
    averaging method, so only the base and the last year are read."""
    base = start - 1
    if end <= base:
        raise ValueError(f"a period needs at least one year, got {start}-{end}")
    gaps = [year for year in (base, end) if year not in series]
    if gaps:
        raise ValueError(f"the series lacks the years {gaps}")
    return round((series[end] - series[base]) / (end - base), 10)


def years_used(start: int, end: int, method: Method | Literal["points"]) -> list[int]:
    """The years whose values an average over start..end reads: the base and the last year
    for compound growth and points, every year from the base for the mean of yearly rates."""
    base = start - 1
    if method == "arithmetic":
        return list(range(base, end + 1))
    return [base, end]


def multiple(value: float, base_value: float) -> float:
    """How many times the base value a value is: 1409 against 381 is 3.698…"""
    if base_value <= 0:
        raise ValueError(f"a multiple needs a positive base value, got {base_value}")
    return value / base_value


def attainment(achieved: float | Decimal, target: float | Decimal) -> Attainment:
    """Compare an achieved rate with its plan target, both as printed (already rounded)."""
    if achieved > target:
        return "exceeded"
    if achieved == target:
        return "met"
    return "missed"
