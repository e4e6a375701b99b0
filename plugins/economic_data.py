"""The economic-results section's data: domain checks, computed figures, stated-figure warnings.

`data_problems` checks what the field descriptions cannot (duplicate or missing years, periods
outside the series, …) and names the year at fault; `compute` turns data that passed those
checks into `EconomicResults`; `stated_problems` compares every stated (officially published)
figure with the one the data give.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tongket.core import Problem
from tongket.core.host.fieldcheck import year_problems
from tongket.core.render import growth, vnformat

#: Every year the checks and figures iterate over (`growth.missing_years`), checked first.
YEAR_FIELDS = (
    ("indicators", None, "series", None, "year"),
    ("periods", None, "start"),
    ("periods", None, "end"),
    ("multiples", None, "year"),
    ("multiples", None, "base_year"),
    ("partial_totals", None, "year"),
)

METHOD_WORDS = {
    "cagr": "bình quân nhân (tăng trưởng kép)",
    "arithmetic": "bình quân cộng các tốc độ tăng hằng năm",
}
METHOD_SHORT = {"cagr": "bình quân nhân", "arithmetic": "bình quân cộng"}
ATTAINMENT_WORDS = {"exceeded": "vượt", "met": "đạt", "missed": "chưa đạt"}
DEFAULT_TARGET_SOURCE = "Đại hội Đảng bộ tỉnh"
SHOWN_DECIMALS = 1  # rates and multiples print with one decimal: "7,7%", "3,7 lần"
_TOLERANCE = Decimal(5).scaleb(-(SHOWN_DECIMALS + 1))  # half the last printed digit: 0,05
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


def _disagrees(stated: float, computed: float) -> bool:
    """Whether a stated figure differs from the computed one by more than the rounding shown."""
    return abs(Decimal(str(stated)) - Decimal(str(computed))) > _TOLERANCE


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
        which = "; ".join(
            f"năm {year} chưa gồm số liệu của {vnformat.join(indicator.lacking[year])}"
            for year in sorted(indicator.lacking)
        )
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
