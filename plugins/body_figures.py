"""Figures by body (tổng hợp số liệu theo đơn vị): each body's series side by side with the total.

The consolidated report's appendix "Tổng hợp số liệu theo đơn vị". `tongket merge` writes one
such section after each merged economic-results section (a companion, `table = "appendix"`),
so the body keeps a line "(Chi tiết tại Phụ lục … kèm theo.)" and the appendix has, for each
indicator, a table with a row per body, a column per year and the row "Tổng cộng". Years run
six to a table, so a ten-year series stays readable on A4 portrait.

Data:

    [[sections.data.indicators]]
    name = "kim ngạch xuất khẩu"
    unit = "triệu USD"
    decimals = 0
    [[sections.data.indicators.bodies]]
    body = "Sở Công Thương"
    series = [{ year = 2019, value = 1080 }, { year = 2020, value = 1409 }]

A year a body gave no figure for shows "–"; the total adds the figures there are. An indicator
in a rate or ratio ("%", "lần") has no total: rates do not add up. A figure marked `estimated`
(ước thực hiện, as the body's reply marked it) prints "1.550 (ước)", and so does a total that
adds one: the consolidated section prints its sum as an estimate, and the appendix that shows
where the sum comes from must not present it as actual.
"""

from __future__ import annotations

from typing import Any

from tongket.core import Field, Problem, SectionType, hookimpl
from tongket.core.host.fieldcheck import check_fields, year_problems
from tongket.core.render import vnformat
from tongket.core.render.blocks import Block, Table

from .economic_data import is_ratio_unit, with_unit

#: Year columns per table: with "TT" and "Đơn vị", what fits A4 portrait at 13 pt.
YEARS_PER_TABLE = 6

SERIES_FIELDS = (
    Field("year", "Năm", kind="integer", required=True),
    Field("value", "Giá trị", kind="decimal", required=True),
    Field(
        "estimated",
        "Ước thực hiện",
        kind="bool",
        help="Số ước tính của năm chưa kết thúc: bảng in '(ước)'.",
        filled_only=True,
    ),
)
BODY_FIELDS = (
    Field("body", "Đơn vị", required=True),
    Field("series", "Số liệu theo năm", kind="records", fields=SERIES_FIELDS),
)
INDICATOR_FIELDS = (
    Field("name", "Tên chỉ tiêu", required=True),
    Field("unit", "Đơn vị tính"),
    Field("decimals", "Số chữ số thập phân", kind="integer"),
    Field("bodies", "Các đơn vị", kind="records", fields=BODY_FIELDS),
)

SECTION_TYPE = SectionType(
    id="body-figures",
    title="Tổng hợp số liệu theo đơn vị",
    version=1,
    description="Số liệu của từng đơn vị theo năm và tổng cộng; do lệnh tongket merge lập.",
    fields=(
        Field(
            "indicators",
            "Chỉ tiêu",
            kind="records",
            fields=INDICATOR_FIELDS,
            help="Mỗi chỉ tiêu một bảng: mỗi đơn vị một dòng, mỗi năm một cột.",
        ),
    ),
    default_data={"indicators": []},
)


@hookimpl
def tongket_section_types(register):
    register(SECTION_TYPE)


@hookimpl
def tongket_validate_section(data: dict[str, Any], context) -> list[Problem]:
    problems = check_fields(SECTION_TYPE.fields, data)
    if not problems:
        problems = year_problems(data, ("indicators", None, "bodies", None, "series", None, "year"))
    return problems


def _cell(value: float | None, decimals: int, estimated: bool = False) -> str:
    if value is None:
        return "–"
    return vnformat.number(value, decimals) + (" (ước)" if estimated else "")


def _total(
    bodies: list[tuple[str, dict[int, float]]], estimated: list[set[int]], year: int, decimals: int
) -> str:
    """The "Tổng cộng" cell: "–" when no body gave the year; "(chưa đủ)" when a body that gave
    the indicator lacks the year, marked as the consolidated section's table marks such a sum
    ("2.244 (ước, chưa đủ)")."""
    values = [series[year] for _body, series in bodies if year in series]
    if not values:
        return "–"
    marks = ["ước"] if any(year in body_marks for body_marks in estimated) else []
    if len(values) < sum(1 for _body, series in bodies if series):
        marks.append("chưa đủ")
    number = vnformat.number(sum(values), decimals)
    return number + (f" ({', '.join(marks)})" if marks else "")


def indicator_tables(indicator: dict[str, Any]) -> list[Table]:
    """One indicator's tables: a row per body and "Tổng cộng", at most six years each."""
    decimals = indicator.get("decimals") or 0
    bodies = [
        (row["body"], {point["year"]: point["value"] for point in row.get("series") or []})
        for row in indicator.get("bodies") or []
    ]
    estimated = [
        {point["year"] for point in row.get("series") or [] if point.get("estimated") is True}
        for row in indicator.get("bodies") or []
    ]
    given = {year for _body, series in bodies for year in series}
    if not given:
        return []
    # Every year between the first and the last, so a year no body gave shows as a column of
    # "–" instead of vanishing from the table (the years are bounded by the reply's check).
    years = list(range(min(given), max(given) + 1))
    unit = (indicator.get("unit") or "").strip()
    title = indicator["name"].strip()
    title = title[:1].upper() + title[1:]
    title = with_unit(title, unit)
    chunks = [years[start : start + YEARS_PER_TABLE] for start in range(0, len(years), 6)]
    tables = []
    for chunk in chunks:
        rows = [
            (
                str(number),
                body,
                *(_cell(series.get(year), decimals, year in marks) for year in chunk),
            )
            for number, ((body, series), marks) in enumerate(
                zip(bodies, estimated, strict=True), start=1
            )
        ]
        if not is_ratio_unit(unit):
            totals = [_total(bodies, estimated, year, decimals) for year in chunk]
            rows.append(("", "Tổng cộng", *totals))
        span = f", năm {chunk[0]}" if len(chunk) == 1 else f", {chunk[0]} – {chunk[-1]}"
        tables.append(
            Table(
                header=("TT", "Đơn vị", *(str(year) for year in chunk)),
                rows=tuple(rows),
                widths=(0.6, 3.0, *(1.2 for _year in chunk)),
                align=("center", "left", *("right" for _year in chunk)),
                caption=title + (span if len(chunks) > 1 else ""),
                total_rows=() if is_ratio_unit(unit) else (-1,),
                keep_empty_columns=True,
            )
        )
    return tables


@hookimpl
def tongket_render_section(data: dict[str, Any], context) -> list[Block]:
    return [
        table for indicator in data.get("indicators") or [] for table in indicator_tables(indicator)
    ]
