"""The chart block: yearly figures a writer draws as a native, editable Word chart.

`Chart` is one of the neutral blocks (`tongket.core.render.blocks` lists it and plugins import
it from there); it lives here with its own checks, which are longer than the other blocks'.
The DOCX writer turns it into a DrawingML chart part with its data in an embedded workbook
(`tongket.core.writers.docx_chart`); the text render and the app's preview print its caption
and one line per category.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class ChartSeries:
    """One series of a chart: its name and one value per category (None where none is known)."""

    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    """A chart of yearly figures, written into the Word file as a native, editable chart.

    `categories` are the labels along the axis (years, as text); each series has one value per
    category, None for a missing year (a gap). `title` and `unit` make the chart's own title,
    "Kim ngạch xuất khẩu (triệu USD)"; `decimals` is how many decimals the axis and the value
    labels show. `kind` is "bar" (vertical bars), the only kind so far.

    `placement` "appendix" asks for the chart in the section's phụ lục (with its tables, if
    they go there too) instead of in the body. `caption` is printed under the chart, numbered
    "Biểu đồ 1. …" in document order when the report is assembled (`number`, set by
    `tongket.core.render.document`; 0 while unnumbered).
    """

    title: str
    categories: tuple[str, ...]
    series: tuple[ChartSeries, ...]
    unit: str = ""
    caption: str = ""
    decimals: int = 0
    kind: Literal["bar"] = "bar"
    placement: Literal["inline", "appendix"] = "inline"
    number: int = 0

    @property
    def title_line(self) -> str:
        """The chart's title with its unit: "Kim ngạch xuất khẩu (triệu USD)"."""
        return f"{self.title} ({self.unit})" if self.unit else self.title

    @property
    def caption_line(self) -> str:
        """The caption as printed: "Biểu đồ 1. Kim ngạch xuất khẩu giai đoạn 2010 – 2020"."""
        if not self.number:
            return self.caption
        label = f"Biểu đồ {self.number}"
        return f"{label}. {self.caption}" if self.caption else label


#: The chart kinds the writers draw, and where a chart may be placed.
CHART_KINDS = ("bar",)
PLACEMENTS = ("inline", "appendix")


def chart_problems(chart: Chart, where: str) -> list[str]:
    """What is wrong with a plugin's chart block (empty when the writers can draw it)."""
    if not isinstance(chart.title, str) or not all(
        isinstance(text, str) for text in (chart.unit, chart.caption)
    ):
        return [f"{where}: title, unit và caption của Chart phải là chữ (str)"]
    categories = chart.categories
    if not isinstance(categories, tuple | list) or not all(
        isinstance(label, str) for label in categories
    ):
        return [f"{where}: categories của Chart phải là tuple các nhãn chữ, ví dụ ('2020', '2021')"]
    problems: list[str] = []
    if chart.kind not in CHART_KINDS:
        problems.append(f"{where}: kind {chart.kind!r} của Chart không thuộc {CHART_KINDS}")
    if chart.placement not in PLACEMENTS:
        problems.append(
            f"{where}: placement {chart.placement!r} của Chart không thuộc {PLACEMENTS}"
        )
    decimals = chart.decimals
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 6:
        problems.append(f"{where}: decimals của Chart phải là số nguyên (int) từ 0 đến 6")
    if not isinstance(chart.series, tuple | list) or not chart.series:
        return [*problems, f"{where}: Chart cần ít nhất một ChartSeries"]
    for number, series in enumerate(chart.series, start=1):
        problems += _series_problems(
            series, len(categories), f"{where}: dãy số liệu {number} của Chart"
        )
    if not problems and not any(
        value is not None for series in chart.series for value in series.values
    ):
        problems.append(f"{where}: Chart không có giá trị nào để vẽ")
    return problems


def _series_problems(series: object, count: int, where: str) -> list[str]:
    if not isinstance(series, ChartSeries) or not isinstance(series.name, str):
        return [f"{where} phải là ChartSeries có tên (name, str)"]
    values = series.values
    if not isinstance(values, tuple | list) or len(values) != count:
        return [f"{where} cần một giá trị cho mỗi nhãn ({count}), None ở chỗ chưa có số"]
    for value in values:
        if value is None:
            continue
        if not isinstance(value, int | float) or isinstance(value, bool) or value != value:
            return [f"{where}: giá trị {value!r:.40} không phải số"]
        if value in (float("inf"), float("-inf")):
            return [f"{where}: giá trị {value!r} không hữu hạn"]
    return []
