"""How bodies' economic results merge into the consolidated report (`tongket merge`).

Indicators of the same name (case and spacing aside) and the same unit add up year by year,
unless the unit is a rate or a ratio ("%", "lần"): two bodies' rates do not add up, so the
consolidated rows are left without a value for the coordinator, with a finding.
An indicator written in another unit is never added: it stays a separate indicator (its unit
in its name, "kim ngạch xuất khẩu (tỷ đồng)"), and a finding names the bodies on each side
(the unit most bodies used keeps the first place). A body without a figure for a year the
others have is named too: the sum of that year covers only the bodies that gave one, so the
year is listed with them in the section's `partial_totals`: the section then prints the total
"(chưa đủ)" and computes no change, average or multiple from it (sums of different bodies do
not compare). A sum is an estimate (ước thực hiện) when any of its figures is; a year that
adds an estimate to a figure not marked as one (maybe only part of the year's actual figure)
is a finding naming both sides.

Periods and multiples asked of the consolidated text come from the previous consolidation
(the coordinator may have set the province's targets), else from the replies, without the
bodies' stated figures (those were about their own numbers, not the sum). The coordinator's
intro, template and outro are kept; each body's own prose is gathered.

A figure the section's own check would refuse is never added (a sum must not hide it): a
value that is not a number, not finite (TOML allows nan and inf), outside `VALUE_RANGE` (0 and
negative values among them), a year outside `YEAR_RANGE`, a year one body wrote twice. It is left
out of the sum and the appendix, and a finding names the body, the year and the value.

Names and units agree once Unicode form (NFC), case, spacing and invisible characters (control
and bidirectional marks) are set aside (`name_key`, as `check` compares a reply's unit with the
outline's): "Triệu  USD" is "triệu USD". Units in these reports are words and currencies, where
case is only typing; the consolidated unit is the first body's spelling, tidied.

Each indicator also goes to a companion section "body-figures" (`plugins.body_figures`): the
appendix "Tổng hợp số liệu theo đơn vị", one row per body and the total.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from tongket.core.host.fieldcheck import YEAR_RANGE
from tongket.core.host.merging import (
    COORDINATOR_FIELDS,
    GATHERED,
    Contribution,
    MergedSection,
    gather_text,
    name_key,
    visible,
)
from tongket.core.problems import Problem
from tongket.core.render import vnformat
from tongket.core.render.narrative import prose_narrative
from tongket.core.render.prose import ProseSection
from tongket.core.report.model import Section

from .economic_data import MAX_DECIMALS, VALUE_RANGE, is_ratio_unit

#: Settings of the text taken from the previous consolidation, else from the first reply.
SETTINGS = ("method", "both_averages", "target_source", "indicator")
#: How many bodies a finding lists by name before "… và N đơn vị khác".
NAMED = 8


def _number(value: float) -> int | float:
    # Sums of decimals carry binary noise (0,1 + 0,2); ten places is far below any unit shown.
    value = round(value, 10)
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:NAMED])
    return shown + (f" và {len(names) - NAMED} đơn vị khác" if len(names) > NAMED else "")


def tidy(text: str) -> str:
    """A name or unit as the consolidation writes it: NFC, invisible characters dropped,
    single spaces (`name_key` without the case folding)."""
    return " ".join(visible(text).split())


def _shown(value: Any) -> str:
    # As the reply's TOML writes it: 'text' quoted, true/false in lower case.
    text = repr(value) if isinstance(value, str) else str(value)
    text = text.lower() if isinstance(value, bool) else text
    return text if len(text) <= 40 else text[:39] + "…"


def _is_int(year: Any) -> bool:
    return isinstance(year, int) and not isinstance(year, bool)


def _refusal(year: Any, value: Any) -> str | None:
    """Why a figure is not added, or None when it is a usable figure."""
    low, high = YEAR_RANGE
    if not _is_int(year) or not low <= year <= high:
        return f"năm {_shown(year)} không phải năm trong khoảng {low}–{high}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"năm {year}: {_shown(value)} không phải số"
    if isinstance(value, float) and not math.isfinite(value):
        return f"năm {year}: {value} không phải số hữu hạn"
    if not float(VALUE_RANGE[0]) <= value <= float(VALUE_RANGE[1]):
        return f"năm {year}: {_shown(value)} ngoài khoảng 0,0001 – 10^15"
    return None


def _points(row: dict[str, Any]) -> tuple[list[tuple[int, float, bool]], list[str], set[int]]:
    """A row's usable figures (year, value, estimated), why the others were refused, and the
    years refused (a body with a refused year is not also named as lacking it)."""
    series = row.get("series")
    given = [
        (point.get("year"), point.get("value"), point.get("estimated") is True)
        for point in (series if isinstance(series, list) else [])
        if isinstance(point, dict) and point.get("value") is not None
    ]  # a year without a value is left to fill in (a skeleton's row): `missing` names it
    refused = [
        f"{_shown(point)} không phải bảng {{ year, value }}"
        for point in (series if isinstance(series, list) else [])
        if not isinstance(point, dict)
    ]
    refused_years: set[int] = set()
    counts = Counter(year for year, _value, _estimated in given if _is_int(year))
    for year in sorted(year for year, count in counts.items() if count > 1):
        # Which one is right is for the body to say: none is added.
        values = "; ".join(_shown(value) for other, value, _e in given if other == year)
        refused.append(f"năm {year} ghi {counts[year]} lần ({values})")
        refused_years.add(year)
    points: list[tuple[int, float, bool]] = []
    for year, value, estimated in given:
        if _is_int(year) and counts[year] > 1:
            continue
        reason = _refusal(year, value)
        if reason is None:
            points.append((year, value, estimated))
        else:
            refused.append(reason)
            if _is_int(year):
                refused_years.add(year)
    return points, refused, refused_years


class _Group:
    """The rows of one indicator in one unit, from every body that gave it."""

    def __init__(self, name: str, unit: str) -> None:
        self.name = name
        self.unit = unit
        self.decimals = 0
        self.rows: list[tuple[Contribution, list[tuple[int, float, bool]]]] = []
        self.refused: list[tuple[Contribution, list[str]]] = []
        self.refused_years: dict[int, set[int]] = {}  # id(contribution) → years refused

    def add(self, contribution: Contribution, row: dict[str, Any]) -> None:
        decimals = row.get("decimals")
        if _is_int(decimals) and 0 <= decimals <= MAX_DECIMALS:  # an int, not a bool
            self.decimals = max(self.decimals, decimals)
        points, refused, years = _points(row)
        self.rows.append((contribution, points))
        if refused:
            self.refused.append((contribution, refused))
            self.refused_years.setdefault(id(contribution), set()).update(years)

    def years(self) -> list[int]:
        return sorted({year for _contribution, points in self.rows for year, _v, _e in points})

    def lacking(self) -> dict[int, list[str]]:
        """For each year, the bodies its sum lacks: those that gave this indicator for some
        year (a refused figure counts: it is not in the sum either) but no usable one for this
        year. A body that gave no figure at all is left out (it is named by `missing`): every
        sum lacks it alike."""
        years = self.years()
        found: dict[int, list[str]] = {}
        for contribution, points in self.rows:
            have = {year for year, _value, _estimate in points}
            if not have and not self.refused_years.get(id(contribution)):
                continue
            for year in years:
                if year not in have:
                    names = found.setdefault(year, [])
                    if contribution.body_name not in names:  # two replies of one body
                        names.append(contribution.body_name)
        return found

    def indicator(self) -> dict[str, Any]:
        totals: dict[int, float] = {}
        estimated: set[int] = set()
        for _contribution, points in self.rows:
            for year, value, is_estimate in points:
                totals[year] = totals.get(year, 0) + value
                if is_estimate:
                    estimated.add(year)
        series = []
        for year in sorted(totals):
            if not math.isfinite(totals[year]):  # cannot happen within VALUE_RANGE; kept safe
                continue
            point: dict[str, Any] = {"year": year, "value": _number(totals[year])}
            if year in estimated:
                point["estimated"] = True
            series.append(point)
        return {"name": self.name, "unit": self.unit, "decimals": self.decimals, "series": series}

    def mixed_estimates(self) -> list[str]:
        """ "năm 2021 cộng số ước thực hiện của … với số không đánh dấu ước của …" for each
        year whose sum adds an estimate to a figure not marked as one."""
        found = []
        for year in self.years():
            sides: dict[bool, list[str]] = {True: [], False: []}
            total = 0.0
            for contribution, points in self.rows:
                for other, value, is_estimate in points:
                    if other == year:
                        shown = vnformat.number(value, self.decimals)
                        sides[is_estimate].append(f"{contribution.body_name} ({shown})")
                        total += value
            if sides[True] and sides[False]:
                found.append(
                    f"năm {year} cộng số ước thực hiện của {_names(sides[True])} với số không "
                    f"đánh dấu ước của {_names(sides[False])} thành "
                    f"{vnformat.number(_number(total), self.decimals)} (ước thực hiện)"
                )
        return found

    def bodies_with_figures(self) -> list[str]:
        return [contribution.body_name for contribution, points in self.rows if points]

    def adds_up(self) -> bool:
        """Whether the bodies' figures add up: not a rate (%, lần) given by two bodies or more;
        one body's rate is the sum of one."""
        return not is_ratio_unit(self.unit) or len(self.bodies_with_figures()) < 2

    def left_to_fill(self) -> dict[str, Any]:
        """The indicator with a row per year the bodies gave and no value: for the coordinator."""
        return {**self.indicator(), "series": [{"year": year} for year in self.years()]}

    def missing(self) -> list[str]:
        """ "Sở X (2012 và 2013)", "Sở Y (2010–2021)" for each body lacking a year another body
        gave."""
        years = self.years()
        found = []
        for contribution, points in self.rows:
            have = {year for year, _value, _estimate in points}
            have |= self.refused_years.get(id(contribution), set())  # named as refused
            lacking = [year for year in years if year not in have]
            if lacking:
                found.append(f"{contribution.body_name} ({vnformat.year_runs(lacking)})")
        return found

    def by_body(self) -> dict[str, Any]:
        """The companion appendix's entry: each body's own series."""
        return {
            "name": self.name,
            "unit": self.unit,
            "decimals": self.decimals,
            "bodies": [
                {
                    "body": contribution.body_name,
                    "series": [
                        {"year": year, "value": value} | ({"estimated": True} if estimate else {})
                        for year, value, estimate in points
                    ],
                }
                for contribution, points in self.rows
            ],
        }


def _groups(contributions: list[Contribution]) -> list[list[_Group]]:
    """Indicators by name, in first-seen order; within one name, one group per unit."""
    by_name: dict[str, dict[str, _Group]] = {}
    for contribution in contributions:
        for row in contribution.data.get("indicators") or []:
            if not isinstance(row, dict) or not isinstance(row.get("name"), str):
                continue
            if not tidy(row["name"]):
                continue  # a name of blanks and control characters names nothing
            unit = row.get("unit") if isinstance(row.get("unit"), str) else ""
            units = by_name.setdefault(name_key(row["name"]), {})
            group = units.setdefault(name_key(unit), _Group(tidy(row["name"]), tidy(unit)))
            group.add(contribution, row)
    ordered = []
    for units in by_name.values():
        groups = list(units.values())
        # The unit most bodies used comes first and keeps the indicator's place (ties: first seen).
        count = Counter({id(group): len(group.rows) for group in groups})
        ordered.append(sorted(groups, key=lambda group: -count[id(group)]))
    return ordered


def _union(contributions: list[Contribution], name: str, key: tuple[str, ...], drop: str) -> list:
    found: dict[tuple, dict[str, Any]] = {}
    for contribution in contributions:
        for row in contribution.data.get(name) or []:
            if isinstance(row, dict) and all(part in row for part in key):
                found.setdefault(tuple(row[part] for part in key), {
                    field: value for field, value in row.items() if field != drop
                })  # fmt: skip
    return [found[item] for item in sorted(found, key=lambda item: tuple(map(str, item)))]


def merge_economic(
    section: ProseSection, contributions: list[Contribution], previous: dict[str, Any] | None
) -> MergedSection:
    """The consolidated economic-results data (see the module's docstring)."""
    data = section.section_type.new_data()
    merged = MergedSection(data)
    indicators: list[dict[str, Any]] = []
    appendix: list[dict[str, Any]] = []
    partial: list[dict[str, Any]] = []  # the totals lacking some bodies (`Indicator.lacking`)
    for groups in _groups(contributions):
        main = groups[0]
        for group in groups:
            position = len(indicators)
            if group is not main:
                # Kept apart, under a name of its own: an indicator's name is unique in a section.
                group.name = f"{group.name} ({group.unit or 'không ghi đơn vị'})"
            if group.adds_up():
                indicators.append(group.indicator())
                partial.extend(
                    {"indicator": group.name, "year": year, "lacking": names}
                    for year, names in sorted(group.lacking().items())
                )
            else:
                indicators.append(group.left_to_fill())
                merged.findings.append(
                    Problem(
                        ("indicators", position, "series"),
                        f"chỉ tiêu '{group.name}' tính bằng '{group.unit}' (một tỷ lệ): số của "
                        f"{_names(group.bodies_with_figures())} không cộng được với nhau; đã "
                        "để trống, hãy nhập số chung (số của từng đơn vị ở phụ lục Tổng hợp "
                        "số liệu theo đơn vị)",
                        "warning",
                    )
                )
            appendix.append(group.by_body())
            for contribution, _points in group.rows:
                merged.credit(contribution, ("indicators", position))
            if group.refused:
                shown = [
                    f"{contribution.body_name} ({'; '.join(reasons)})"
                    for contribution, reasons in group.refused
                ]
                merged.findings.append(
                    Problem(
                        ("indicators", position, "series"),
                        f"chỉ tiêu '{group.name}': không cộng số liệu không hợp lệ của "
                        f"{_names(shown)}; hãy để đơn vị sửa trong báo cáo của mình",
                        "warning",
                    )
                )
            missing = group.missing() if group.adds_up() else []
            if missing:
                # A notice: the totals lacking these bodies are in `partial_totals`, which
                # the section's check names at every run.
                merged.notices.append(
                    Problem(
                        ("indicators", position, "series"),
                        f"chỉ tiêu '{group.name}': thiếu số liệu của {_names(missing)}; tổng "
                        "các năm đó chỉ gồm các đơn vị có số liệu",
                        "warning",
                    )
                )
            mixed = group.mixed_estimates() if group.adds_up() else []
            if mixed:
                merged.findings.append(
                    Problem(
                        ("indicators", position, "series"),
                        f"chỉ tiêu '{group.name}': {'; '.join(mixed)}; số không đánh dấu ước "
                        "có thể chỉ là số thực hiện một phần năm: hãy đề nghị đơn vị xác nhận "
                        "số ước thực hiện cả năm, hoặc đánh dấu ước thực hiện trong báo cáo",
                        "warning",
                    )
                )
            if group is not main:
                others = [contribution.body_name for contribution, _points in group.rows]
                usual = [contribution.body_name for contribution, _points in main.rows]
                merged.findings.append(
                    Problem(
                        ("indicators", position, "unit"),
                        f"chỉ tiêu '{main.name}' có đơn vị '{group.unit}' ({_names(others)}) "
                        f"khác đơn vị '{main.unit}' ({_names(usual)}): số liệu không được "
                        "cộng, để riêng ở chỉ tiêu này; hãy quy đổi về cùng đơn vị",
                        "warning",
                    )
                )
    data["indicators"] = indicators
    if partial:
        data["partial_totals"] = partial
    # What a Word reply's tables left unread (a total, a rate of change): named for the
    # coordinator, since the sums here no longer show it.
    for contribution in contributions:
        left_out = contribution.data.get("left_out")
        notes = (
            [note for note in left_out if isinstance(note, str)]
            if isinstance(left_out, list)
            else []
        )
        if notes:
            merged.findings.append(
                Problem(
                    ("indicators",),
                    f"{contribution.label}: bảng Word có phần không đọc vào số liệu: "
                    f"{'; '.join(notes)}",
                    "warning",
                )
            )
    for name in (*SETTINGS, "periods", "multiples", *COORDINATOR_FIELDS):
        if previous and name in previous:
            data[name] = previous[name]
    if not previous:
        data["periods"] = _union(contributions, "periods", ("start", "end"), "stated_growth")
        data["multiples"] = _union(contributions, "multiples", ("year", "base_year"), "stated")
        for name in SETTINGS:
            given = [c.data[name] for c in contributions if c.data.get(name) not in (None, "")]
            if given:
                data[name] = given[0]
    data[GATHERED] = gather_text(
        contributions, lambda contribution: prose_narrative(section, contribution.data), merged
    )
    if appendix:
        merged.companions.append(
            Section(type="body-figures", table="appendix", data={"indicators": appendix})
        )
    return merged
