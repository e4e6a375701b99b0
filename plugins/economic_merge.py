"""How bodies' economic results merge into the consolidated report (`tongket merge`).

Indicators of the same name (case and spacing aside) and the same unit add up year by year.
An indicator written in another unit is never added: it stays a separate indicator (its unit
in its name, "kim ngạch xuất khẩu (tỷ đồng)"), and a finding names the bodies on each side
(the unit most bodies used keeps the first place). A body without a figure for a year the
others have is named too: the sum of that year covers only the bodies that gave one. A sum
is an estimate (ước thực hiện) when any of its figures is.

Periods and multiples asked of the consolidated text come from the previous consolidation
(the coordinator may have set the province's targets), else from the replies, without the
bodies' stated figures (those were about their own numbers, not the sum). The coordinator's
intro, template and outro are kept; each body's own prose is gathered.

Each indicator also goes to a companion section "body-figures" (`plugins.body_figures`): the
appendix "Tổng hợp số liệu theo đơn vị", one row per body and the total.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from tongket.core.host.merging import (
    COORDINATOR_FIELDS,
    GATHERED,
    Contribution,
    MergedSection,
    gather_text,
    name_key,
)
from tongket.core.problems import Problem
from tongket.core.render.narrative import prose_narrative
from tongket.core.render.prose import ProseSection
from tongket.core.report.model import Section

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


def _points(row: dict[str, Any]) -> list[tuple[int, float, bool]]:
    points = []
    for point in row.get("series") or []:
        if not isinstance(point, dict):
            continue
        year, value = point.get("year"), point.get("value")
        if isinstance(year, int) and isinstance(value, int | float) and not isinstance(value, bool):
            points.append((year, value, bool(point.get("estimated"))))
    return points


class _Group:
    """The rows of one indicator in one unit, from every body that gave it."""

    def __init__(self, name: str, unit: str) -> None:
        self.name = name
        self.unit = unit
        self.decimals = 0
        self.rows: list[tuple[Contribution, list[tuple[int, float, bool]]]] = []

    def add(self, contribution: Contribution, row: dict[str, Any]) -> None:
        decimals = row.get("decimals")
        if isinstance(decimals, int) and not isinstance(decimals, bool):
            self.decimals = max(self.decimals, decimals)
        self.rows.append((contribution, _points(row)))

    def years(self) -> list[int]:
        return sorted({year for _contribution, points in self.rows for year, _v, _e in points})

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
            point: dict[str, Any] = {"year": year, "value": _number(totals[year])}
            if year in estimated:
                point["estimated"] = True
            series.append(point)
        return {"name": self.name, "unit": self.unit, "decimals": self.decimals, "series": series}

    def missing(self) -> list[str]:
        """ "Sở X (2012, 2013)" for each body lacking a year another body gave."""
        years = self.years()
        found = []
        for contribution, points in self.rows:
            have = {year for year, _value, _estimate in points}
            lacking = [str(year) for year in years if year not in have]
            if lacking:
                found.append(f"{contribution.body_name} ({', '.join(lacking)})")
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
                    "series": [{"year": year, "value": value} for year, value, _e in points],
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
            unit = row.get("unit") if isinstance(row.get("unit"), str) else ""
            units = by_name.setdefault(name_key(row["name"]), {})
            group = units.setdefault(name_key(unit), _Group(row["name"].strip(), unit.strip()))
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
    for groups in _groups(contributions):
        main = groups[0]
        for group in groups:
            position = len(indicators)
            if group is not main:
                # Kept apart, under a name of its own: an indicator's name is unique in a section.
                group.name = f"{group.name} ({group.unit or 'không ghi đơn vị'})"
            indicators.append(group.indicator())
            appendix.append(group.by_body())
            for contribution, _points in group.rows:
                merged.credit(contribution, ("indicators", position))
            missing = group.missing()
            if missing:
                merged.findings.append(
                    Problem(
                        ("indicators", position, "series"),
                        f"chỉ tiêu '{group.name}': thiếu số liệu của {_names(missing)}; tổng "
                        "các năm đó chỉ gồm các đơn vị có số liệu",
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
