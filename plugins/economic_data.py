"""The economic-results section's figures: indicators read from the data, and what they give.

`compute` turns data that passed `economic_checks.data_problems` into `EconomicResults`: each
indicator's series, its yearly changes (in percent, or percentage points for a rate in %),
the periods' averages against their targets and the multiples, leaving out any change that
would read a consolidated total lacking some bodies (`Indicator.lacking`). The words and
number formats the text prints them in are here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tongket.core.render import growth, vnformat

METHOD_WORDS = {
    "cagr": "bình quân nhân (tăng trưởng kép)",
    "arithmetic": "bình quân cộng các tốc độ tăng hằng năm",
}
METHOD_SHORT = {"cagr": "bình quân nhân", "arithmetic": "bình quân cộng"}
ATTAINMENT_WORDS = {"exceeded": "vượt", "met": "đạt", "missed": "chưa đạt"}
DEFAULT_TARGET_SOURCE = "Đại hội Đảng bộ tỉnh"
SHOWN_DECIMALS = 1  # rates and multiples print with one decimal: "7,7%", "3,7 lần"
MAX_DECIMALS = 4
#: Series values the growth arithmetic handles: beyond these a ratio overflows to infinity.
VALUE_RANGE = (Decimal(1).scaleb(-MAX_DECIMALS), Decimal(10) ** 15)
#: Units of a rate or a ratio (tỷ lệ): figures in them do not add up across bodies.
RATIO_UNITS = frozenset({"%", "phần trăm", "‰", "phần nghìn", "lần"})
#: Units of a rate in percent: it changes by percentage points, not by a percent of itself.
PERCENT_UNITS = frozenset({"%", "phần trăm"})
POINTS = "điểm phần trăm"
#: How a table marks a consolidated total that lacks some bodies' figures (`Indicator.lacking`).
PARTIAL_MARK = "chưa đủ"


def is_ratio_unit(unit: str) -> bool:
    """Whether `unit` is a rate or a ratio ("%", "lần"), case and spacing aside."""
    return " ".join(unit.casefold().split()) in RATIO_UNITS


def is_percent_unit(unit: str) -> bool:
    """Whether `unit` is a percent ("%", "phần trăm"), case and spacing aside."""
    return " ".join(unit.casefold().split()) in PERCENT_UNITS


def with_unit(name: str, unit: str) -> str:
    """A table's heading for an indicator: "Kim ngạch xuất khẩu (triệu USD)". A name that
    already ends with its unit, as one kept apart from the same name in another unit is
    named ("kim ngạch xuất khẩu (tỷ đồng)"), says it once."""
    said = " ".join(unit.casefold().split())
    if not said or " ".join(name.casefold().split()).endswith(f"({said})"):
        return name
    return f"{name} ({unit})"


def rate_text(value: float) -> str:
    """A computed or stated rate as printed: one decimal, "7,7%"."""
    return vnformat.percent(value, SHOWN_DECIMALS)


def target_text(value: float, unit: str = "%") -> str:
    """A plan target as plans write it: "20%" for a whole number, else "7,5%"; a target in
    percentage points (a rate in %): "1 điểm phần trăm"."""
    places = 0 if float(value).is_integer() else SHOWN_DECIMALS
    return (
        vnformat.percent(value, places)
        if unit == "%"
        else f"{vnformat.number(value, places)} {unit}"
    )


def change_text(value: float, per: str = "", manner: str = "") -> str:
    """A rate with its direction: "tăng 7,7%", "giảm bình quân 2,2%/năm", "không đổi"."""
    return vnformat.change(value, SHOWN_DECIMALS, per=per, manner=manner)


def points_text(value: float) -> str:
    """A change of a rate in percentage points: "1,5 điểm phần trăm"."""
    return f"{vnformat.number(value, SHOWN_DECIMALS)} {POINTS}"


def points_change_text(value: float, per: str = "", manner: str = "") -> str:
    """A change in percentage points with its direction: "tăng 1,5 điểm phần trăm", "giảm bình
    quân 0,4 điểm phần trăm/năm", "không đổi" (never "tăng 12,0%" for 12,5% → 14,0%)."""
    shown = vnformat.round_half_up(value, SHOWN_DECIMALS)
    if shown == 0:
        return "không đổi"
    verb = ("tăng" if shown > 0 else "giảm") + (f" {manner}" if manner else "")
    return f"{verb} {points_text(abs(shown))}" + (f"/{per}" if per else "")


def multiple_text(value: float) -> str:
    """A multiple as printed: "3,7 lần"."""
    return vnformat.multiple(value, SHOWN_DECIMALS)


def period_label(start: int, end: int) -> str:
    """ "2011 – 2015", spaced en dash as Vietnamese reports print it."""
    return str(start) if start == end else f"{start} – {end}"


def years_named(start: int, end: int) -> str:
    """Years as a sentence or caption names them: "giai đoạn 2011 – 2015", "năm 2020"."""
    return f"{'năm' if start == end else 'giai đoạn'} {period_label(start, end)}"


def _shown(value: float) -> Decimal:
    return vnformat.round_half_up(value, SHOWN_DECIMALS)


@dataclass(frozen=True)
class Indicator:
    """One yearly indicator: name ("kim ngạch xuất khẩu"), unit, print decimals, year → value."""

    name: str
    unit: str
    decimals: int
    series: dict[int, float]
    position: int  # its row in `indicators`, for problem paths
    estimated: frozenset[int] = frozenset()  # years whose value is an estimate (ước thực hiện)
    #: Years whose value is a consolidated total lacking some bodies' figures, with those
    #: bodies (`tongket merge` writes them): a change from or to such a total compares sums of
    #: different bodies, so none is computed.
    lacking: dict[int, tuple[str, ...]] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return sorted(self.series)

    @property
    def in_points(self) -> bool:
        """Whether the indicator is a rate in %: it changes by percentage points."""
        return is_percent_unit(self.unit)

    @property
    def change_unit(self) -> str:
        """What its changes and their targets are counted in: "%", or "điểm phần trăm"."""
        return POINTS if self.in_points else "%"

    @property
    def yearly_growth(self) -> dict[int, float]:
        """Change on the year before (in percent, in percentage points for a rate in %), for
        every year whose previous year is known and neither total is partial (`lacking`)."""
        change = growth.point_change if self.in_points else growth.yearly_growth
        return {
            year: change(self.series[year - 1], self.series[year])
            for year in self.years
            if year - 1 in self.series and not {year - 1, year} & self.lacking.keys()
        }

    def lacking_text(self, year: int) -> str:
        """Whose figures a partial total lacks: "chưa gồm số liệu của Sở Kế hoạch và Đầu tư"."""
        return f"chưa gồm số liệu của {vnformat.join(self.lacking[year])}"

    @property
    def lacking_years_text(self) -> str:
        """Every partial total, the years lacking the same bodies together: "năm 2010 – 2020
        chưa gồm số liệu của Sở A; năm 2021 chưa gồm số liệu của Sở A và Sở B" (one clause a
        year repeated the same bodies eleven times)."""
        by_bodies: dict[tuple[str, ...], list[int]] = {}
        for year in sorted(self.lacking):
            by_bodies.setdefault(tuple(self.lacking[year]), []).append(year)
        return "; ".join(
            f"năm {vnformat.prose_years(years)} {self.lacking_text(years[0])}"
            for years in by_bodies.values()
        )

    @property
    def partial_changes(self) -> list[int]:
        """The years whose change on the year before is not computed for a partial total."""
        return [
            year
            for year in self.years
            if year - 1 in self.series and {year - 1, year} & self.lacking.keys()
        ]

    def period_change(self, start: int, end: int, method: growth.Method) -> float | None:
        """The average change over start..end (percent, points for a rate in %); None when it
        would read a partial total."""
        used = growth.years_used(start, end, "points" if self.in_points else method)
        if set(used) & self.lacking.keys():
            return None
        if self.in_points:
            return growth.period_point_change(self.series, start, end)
        return growth.period_growth(self.series, start, end, method)

    def change_text(self, value: float, per: str = "", manner: str = "") -> str:
        """A change of this indicator with its direction: "tăng 7,7%", "tăng 1,5 điểm phần
        trăm" for a rate in %."""
        if self.in_points:
            return points_change_text(value, per, manner)
        return change_text(value, per, manner)

    def rate_text(self, value: float) -> str:
        """A change of this indicator without direction: "7,7%", "1,5 điểm phần trăm"."""
        return points_text(value) if self.in_points else rate_text(value)

    def covers(self, first: int, last: int) -> bool:
        """Whether every year from `first` to `last` has a value."""
        return not growth.missing_years(self.series, first, last)


@dataclass(frozen=True)
class PeriodResult:
    """A period of the prose indicator with its computed and printed average growth."""

    start: int
    end: int
    computed: float  # by the section's method
    stated: float | None
    target: float | None
    term: str
    position: int
    by_method: dict[str, float]  # both averages of the same series: {"cagr": …, "arithmetic": …}

    @property
    def key(self) -> str:
        """The template key: "2011-2015"."""
        return f"{self.start}-{self.end}"

    @property
    def label(self) -> str:
        return period_label(self.start, self.end)

    @property
    def base(self) -> int:
        """The base year (năm gốc): the year before the period starts."""
        return self.start - 1

    @property
    def one_year(self) -> bool:
        """A period of one year (an annual report's): its "average" is that year's change,
        which the text states as such ("năm 2020 tăng 5,2%"), never "bình quân …/năm"."""
        return self.start == self.end

    @property
    def named(self) -> str:
        """The period as a sentence names it: "giai đoạn 2011 – 2015", "năm 2020"."""
        return years_named(self.start, self.end)

    @property
    def shown(self) -> float:
        """The rate the text prints: the stated one if any, else the computed one."""
        return self.computed if self.stated is None else self.stated

    def attainment_of(self, rate: float) -> growth.Attainment | None:
        """How a rate compares with the target, both rounded as printed; None without target."""
        if self.target is None:
            return None
        return growth.attainment(_shown(rate), _shown(self.target))

    @property
    def attainment(self) -> growth.Attainment | None:
        return self.attainment_of(self.shown)


@dataclass(frozen=True)
class MultipleResult:
    """ "tăng gấp 3,7 lần so với năm 2015": a year's value against a base year's."""

    year: int
    base_year: int
    computed: float
    stated: float | None
    position: int

    @property
    def key(self) -> str:
        """The template key: "2020/2015"."""
        return f"{self.year}/{self.base_year}"

    @property
    def shown(self) -> float:
        return self.computed if self.stated is None else self.stated


@dataclass(frozen=True)
class EconomicResults:
    """Everything the prose and tables print, computed from validated data."""

    indicators: tuple[Indicator, ...]
    indicator: Indicator  # the one the prose speaks of
    periods: tuple[PeriodResult, ...]
    multiples: tuple[MultipleResult, ...]
    method: growth.Method
    target_source: str
    both_averages: bool = False  # the text states the other method's average too
    #: What the prose indicator's partial totals (`Indicator.lacking`) keep from being
    #: computed: periods and multiples, as (what, the partial years it would read).
    withheld: tuple[tuple[str, tuple[int, ...]], ...] = ()
    #: The section prints its default text (no template of the drafter's own), which states
    #: the chosen indicator's averages and how they are computed.
    default_text: bool = True

    @property
    def other_method(self) -> growth.Method:
        """The averaging method the section did not choose (stated beside it on request)."""
        return "arithmetic" if self.method == "cagr" else "cagr"

    def averages_of(self, indicator: Indicator) -> list[tuple[PeriodResult, float]]:
        """Each period the indicator fully covers, with its computed average change; a period
        whose average would read a partial total is left out."""
        found = []
        for period in self.periods:
            if indicator.covers(period.base, period.end):
                rate = indicator.period_change(period.start, period.end, self.method)
                if rate is not None:
                    found.append((period, rate))
        return found


def read_indicators(data: dict[str, Any]) -> tuple[Indicator, ...]:
    """The indicators of shape-checked data (a duplicate year keeps its first value)."""
    indicators = []
    for position, row in enumerate(data.get("indicators") or []):
        series: dict[int, float] = {}
        estimated: set[int] = set()
        lacking = {
            item["year"]: tuple(item.get("lacking") or ())
            for item in data.get("partial_totals") or []
            if item["indicator"] == row["name"] and item.get("lacking")
        }
        for point in row.get("series") or []:
            if point.get("value") is None:
                continue  # a year left to fill in (a reply made from an outline): not yet data
            if point["year"] not in series and point.get("estimated"):
                estimated.add(point["year"])
            series.setdefault(point["year"], point["value"])
        indicators.append(
            Indicator(
                name=row["name"],
                unit=row.get("unit", ""),
                decimals=row.get("decimals", 0),
                series=series,
                position=position,
                estimated=frozenset(estimated),
                lacking={year: names for year, names in lacking.items() if year in series},
            )
        )
    return tuple(indicators)


def chosen_indicator(data: dict[str, Any], indicators: tuple[Indicator, ...]) -> Indicator | None:
    """The indicator named by `indicator`, the first one when none is named, else None."""
    wanted = (data.get("indicator") or "").strip()
    if not wanted:
        return indicators[0] if indicators else None
    return next((item for item in indicators if item.name == wanted), None)


def compute(data: dict[str, Any]) -> EconomicResults:
    """All figures of data that `data_problems` found no error in."""
    indicators = read_indicators(data)
    chosen = chosen_indicator(data, indicators)
    if chosen is None:
        raise ValueError("no indicator to compute from; run data_problems first")
    method: growth.Method = data.get("method") or "cagr"
    periods = []
    withheld: list[tuple[str, tuple[int, ...]]] = []
    partial = chosen.lacking.keys()
    for index, row in enumerate(data.get("periods") or []):
        start, end = row["start"], row["end"]
        by_method = {
            name: rate
            for name in growth.METHODS
            if (rate := chosen.period_change(start, end, name)) is not None
        }
        if method not in by_method:
            # The average would compare sums of different bodies: no figure rather than a
            # wrong one (`partial_problems` says so).
            touched = tuple(sorted(set(range(start - 1, end + 1)) & partial))
            what = "tăng" if start == end else "tăng bình quân"
            withheld.append((f"{what} {years_named(start, end)}", touched))
            continue
        periods.append(
            PeriodResult(
                start=row["start"],
                end=row["end"],
                computed=by_method[method],
                stated=row.get("stated_growth"),
                target=row.get("target"),
                term=(row.get("term") or "").strip(),
                position=index,
                by_method=by_method,
            )
        )
    multiples = []
    for index, row in enumerate(data.get("multiples") or []):
        year, base_year = row["year"], row["base_year"]
        touched = tuple(sorted({base_year, year} & partial))
        if touched:
            withheld.append((f"so sánh năm {year} với năm {base_year}", touched))
            continue
        multiples.append(
            MultipleResult(
                year=year,
                base_year=base_year,
                computed=growth.multiple(chosen.series[year], chosen.series[base_year]),
                stated=row.get("stated"),
                position=index,
            )
        )
    return EconomicResults(
        indicators=indicators,
        indicator=chosen,
        periods=tuple(periods),
        multiples=tuple(multiples),
        method=method,
        target_source=data.get("target_source", DEFAULT_TARGET_SOURCE),
        both_averages=bool(data.get("both_averages")),
        withheld=tuple(withheld),
        default_text=not str(data.get("template") or "").strip(),
    )
