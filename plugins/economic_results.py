"""Economic results (kết quả kinh tế ngành): yearly indicators, average growth per period, targets.

Data: `indicators` (each a name such as "kim ngạch xuất khẩu", a unit, and a `series` of
{year, value}); `periods` ({start, end, target %, term, stated_growth %}); `multiples`
({year, base_year, stated}); `method` ("cagr", the statistics office's compound growth from
the base year, or "arithmetic", the mean of the yearly rates); `indicator` (which indicator the
prose speaks of, the first by default); `target_source` (who set the targets); and the shared
prose fields `intro`, `template`, `outro`, `after_tables`.

Placeholders for a drafter's own template (keys in brackets):
- `{chi_tieu}` indicator name (`{Chi_tieu}` capitalised, to start a sentence), `{don_vi}` its
  unit, `{phuong_phap}` the averaging method,
  `{noi_de_ra}` who set the targets, `{nhiem_ky}` the periods' terms ("XVIII, XIX"),
  `{ket_qua_chi_tieu}` overall attainment ("đạt và vượt", "đạt", "vượt", "chưa đạt",
  "đạt một phần");
- per period, keyed "2011-2015": `{giai_doan[…]}` ("2011 – 2015"), `{tang_binh_quan[…]}`
  ("7,7%"), `{bien_dong_binh_quan[…]}` with its direction ("tăng bình quân 7,7%/năm", "giảm
  bình quân 2,2%/năm", "không đổi"), both averages whatever the method, signed the same way:
  `{binh_quan_nhan[…]}` and `{binh_quan_cong[…]}`; for periods with a target
  `{muc_tieu[…]}` ("7,5%"), `{dat_chi_tieu[…]}` ("vượt", "đạt", "chưa đạt") and
  `{thuc_hien_chi_tieu[…]}` ("vượt chỉ tiêu 7,5% đề ra", "chưa đạt chỉ tiêu đề ra (đạt 7,1%
  so với 7,7%)");
- per year, keyed "2020": `{gia_tri[…]}` ("1.409 triệu USD"), `{tang_nam[…]}` (growth on
  the year before, "30,5%"), `{bien_dong_nam[…]}` ("tăng 30,5%", "giảm 4,0%");
- per declared multiple, keyed "2020/2015": `{gap[…]}` ("3,7 lần"), `{so_voi[…]}` ("tăng gấp
  3,7 lần", or "bằng 92,3%" for a value not above its base).

The raw rates (`{tang_binh_quan}`, `{tang_nam}`) print a fall as "-2,2%": a template that writes
"tăng {tang_binh_quan[…]}" reads "tăng -2,2%" when the figure fell, which `tongket check`
reports; the signed placeholders read right either way, and the default template uses them.
`both_averages = true` states the other method's average beside the chosen one, from the
same series.

A stated figure (`stated_growth`, `stated`) is printed instead of the computed one; validation
warns when the two disagree beyond the rounding shown (one decimal).

`chart` draws each indicator's series as a bar chart (a `Chart` block: a native Word chart
whose data "Edit Data" opens, titled "Kim ngạch xuất khẩu (triệu USD)", captioned "Biểu đồ
1. Kim ngạch xuất khẩu giai đoạn 2010 – 2020"): "" (the default) draws none, "inline" puts
it after the indicator's table in the section, "appendix" in the section's phụ lục. An
indicator with no figures gets no chart, and validation warns.
"""

from __future__ import annotations

from typing import Any

from tongket.core import Field, Problem, SectionType, hookimpl
from tongket.core.render import vnformat
from tongket.core.render.blocks import Block, Chart, ChartSeries, Table
from tongket.core.render.prose import PROSE_FIELDS, ProseSection

from . import economic_outline
from .economic_checks import data_problems, partial_problems, stated_problems
from .economic_data import (
    ATTAINMENT_WORDS,
    DEFAULT_TARGET_SOURCE,
    METHOD_SHORT,
    METHOD_WORDS,
    PARTIAL_MARK,
    POINTS,
    SHOWN_DECIMALS,
    EconomicResults,
    Indicator,
    PeriodResult,
    compute,
    multiple_text,
    target_text,
    with_unit,
    years_named,
)

SERIES_FIELDS = (
    Field("year", "Năm", kind="integer", required=True),
    Field(
        "value",
        "Giá trị",
        kind="decimal",
        help="Số dương, theo đơn vị; để trống khi chưa có số liệu (năm đó chưa được tính, in).",
    ),
    Field(
        "estimated",
        "Ước thực hiện",
        kind="bool",
        help="Số ước tính của năm chưa kết thúc: câu in '(ước thực hiện)', bảng in '(ước)'.",
    ),
)
PARTIAL_FIELDS = (
    Field("indicator", "Chỉ tiêu", required=True),
    Field("year", "Năm", kind="integer", required=True),
    Field("lacking", "Chưa gồm số liệu của", kind="list", help="Tên các đơn vị."),
)
INDICATOR_FIELDS = (
    Field(
        "name",
        "Tên chỉ tiêu",
        required=True,
        help="Viết thường như trong câu, ví dụ: kim ngạch xuất khẩu.",
    ),
    Field("unit", "Đơn vị", help="Ví dụ: triệu USD, tỷ đồng."),
    Field("decimals", "Số chữ số thập phân khi in giá trị", kind="integer", help="Từ 0 đến 4."),
    Field(
        "series",
        "Số liệu theo năm",
        kind="records",
        fields=SERIES_FIELDS,
        help="Mỗi dòng một năm; mỗi giai đoạn cần đủ các năm từ năm gốc (năm liền trước).",
    ),
)
PERIOD_FIELDS = (
    Field("start", "Năm đầu", kind="integer", required=True),
    Field("end", "Năm cuối", kind="integer", required=True),
    Field("target", "Chỉ tiêu tăng bình quân", kind="decimal", unit="%"),
    Field("term", "Nhiệm kỳ", help="Nhiệm kỳ đề ra chỉ tiêu, ví dụ: XVIII."),
    Field(
        "stated_growth",
        "Tăng bình quân đã công bố",
        kind="decimal",
        unit="%",
        help="Để trống để in số tính từ dữ liệu; nếu điền, câu in số này và `tongket check` "
        "cảnh báo khi lệch với số tính được.",
    ),
)
MULTIPLE_FIELDS = (
    Field("year", "Năm so sánh", kind="integer", required=True),
    Field("base_year", "Năm gốc", kind="integer", required=True),
    Field(
        "stated",
        "Số lần đã công bố",
        kind="decimal",
        unit="lần",
        help="Để trống để in số tính từ dữ liệu.",
    ),
)

FIELDS: tuple[Field, ...] = (
    Field(
        "indicators",
        "Chỉ tiêu",
        kind="records",
        required=True,
        fields=INDICATOR_FIELDS,
        help="Một hay nhiều chỉ tiêu theo năm; mỗi chỉ tiêu có một bảng số liệu.",
    ),
    Field(
        "indicator",
        "Chỉ tiêu dùng trong câu",
        help="Tên một chỉ tiêu ở trên; để trống để dùng chỉ tiêu đầu tiên.",
    ),
    Field(
        "periods",
        "Giai đoạn",
        kind="records",
        fields=PERIOD_FIELDS,
        help="Chỗ trống theo giai đoạn dùng khóa 'năm đầu-năm cuối', ví dụ "
        "{tang_binh_quan[2011-2015]}, {giai_doan[2011-2015]}, {dat_chi_tieu[2011-2015]}, "
        "{muc_tieu[2011-2015]}.",
    ),
    Field(
        "multiples",
        "So sánh số lần",
        kind="records",
        fields=MULTIPLE_FIELDS,
        help="Chỗ trống {gap[2020/2015]} in '3,7 lần'.",
    ),
    Field(
        "method",
        "Cách tính tăng bình quân",
        kind="choice",
        choices=(
            ("cagr", "Bình quân nhân (tăng trưởng kép), như Tổng cục Thống kê"),
            ("arithmetic", "Bình quân cộng các tốc độ tăng hằng năm"),
        ),
        help="Chỗ trống {phuong_phap} nêu cách đã dùng.",
    ),
    Field(
        "both_averages",
        "Nêu cả hai cách tính bình quân",
        kind="bool",
        help="Câu và ghi chú bảng nêu thêm số bình quân theo cách còn lại, tính từ cùng "
        "chuỗi số liệu. Chỗ trống {binh_quan_nhan[…]} và {binh_quan_cong[…]} luôn dùng được.",
    ),
    Field(
        "target_source",
        "Nơi đề ra chỉ tiêu",
        help="Chỗ trống {noi_de_ra}, ví dụ: Đại hội Đảng bộ tỉnh.",
    ),
    Field(
        "partial_totals",
        "Tổng chưa đủ đơn vị",
        kind="records",
        fields=PARTIAL_FIELDS,
        help="Lệnh tongket merge ghi năm nào của chỉ tiêu nào chưa gồm số liệu của đơn vị nào: "
        "bảng in '(chưa đủ)', câu nêu tên đơn vị; không tính tốc độ tăng, bình quân, số lần "
        "từ tổng đó. Xóa dòng khi đã có đủ số liệu.",
        filled_only=True,
    ),
    Field(
        "left_out",
        "Phần bảng Word không đọc vào số liệu",
        kind="list",
        help="Lệnh tongket import ghi các dòng, cột của bảng Word không đọc thành số liệu "
        "(dòng tổng cộng, tốc độ tăng tính từ số liệu trong bảng); không in ra văn bản, "
        "`tongket check` nhắc lại. Đối chiếu với bản Word rồi xóa.",
        filled_only=True,
    ),
    Field(
        "chart",
        "Biểu đồ",
        kind="choice",
        choices=(
            ("", "Không vẽ biểu đồ"),
            ("inline", "Vẽ biểu đồ trong mục, sau bảng số liệu"),
            ("appendix", "Vẽ biểu đồ trong phụ lục của mục"),
        ),
        help="Biểu đồ cột số liệu theo năm của từng chỉ tiêu, đánh số 'Biểu đồ 1.', "
        "'Biểu đồ 2.'…; trong Word sửa được số liệu của biểu đồ (Edit Data).",
    ),
    *PROSE_FIELDS,
)

SECTION_TYPE = SectionType(
    id="economic-results",
    title="Kết quả kinh tế ngành",
    version=1,
    description="Chỉ tiêu kinh tế theo năm: tăng bình quân từng giai đoạn, số lần, đạt chỉ tiêu. "
    "Chỗ trống trong mẫu câu: {chi_tieu}, {Chi_tieu}, {don_vi}, {phuong_phap}, {noi_de_ra}, "
    "{nhiem_ky}, {ket_qua_chi_tieu}, {giai_doan[…]}, {tang_binh_quan[…]}, "
    "{bien_dong_binh_quan[…]}, {binh_quan_nhan[…]}, {binh_quan_cong[…]}, {muc_tieu[…]}, "
    "{dat_chi_tieu[…]}, {thuc_hien_chi_tieu[…]}, {gia_tri[năm]}, {tang_nam[năm]}, "
    "{bien_dong_nam[năm]}, {gap[năm/năm gốc]}, {so_voi[năm/năm gốc]}.",
    fields=FIELDS,
    default_data={
        "indicators": [
            {"name": "kim ngạch xuất khẩu", "unit": "triệu USD", "decimals": 0, "series": []}
        ],
        "indicator": "",
        "periods": [],
        "multiples": [],
        "method": "cagr",
        "both_averages": False,
        "target_source": DEFAULT_TARGET_SOURCE,
        "intro": "",
        "template": "",
        "outro": "",
    },
)


# -- wording -----------------------------------------------------------------------------------


def value_text(indicator: Indicator, year: int) -> str:
    """One year's value with its unit: "1.409 triệu USD", "1.500 triệu USD (ước thực hiện)",
    "347 triệu USD (chưa gồm số liệu của Sở Kế hoạch và Đầu tư)"."""
    number = vnformat.number(indicator.series[year], indicator.decimals)
    marks = ["ước thực hiện"] if year in indicator.estimated else []
    if year in indicator.lacking:
        marks.append(indicator.lacking_text(year))
    said = f" ({'; '.join(marks)})" if marks else ""
    return vnformat.with_unit(number, indicator.unit) + said


def cell_text(indicator: Indicator, year: int) -> str:
    """One year's value as the table prints it: "1.409", "1.500 (ước)", "347 (chưa đủ)"."""
    marks = ["ước"] if year in indicator.estimated else []
    if year in indicator.lacking:
        marks.append(PARTIAL_MARK)
    number = vnformat.number(indicator.series[year], indicator.decimals)
    return number + (f" ({', '.join(marks)})" if marks else "")


def overall_attainment(results: EconomicResults) -> str:
    """All periods with a target together: "đạt và vượt" when some were met and the rest beaten."""
    codes = {period.attainment for period in results.periods if period.attainment}
    if codes == {"met", "exceeded"}:
        return "đạt và vượt"
    if len(codes) == 1:
        return ATTAINMENT_WORDS[codes.pop()]
    return "đạt một phần"


def _average(period: PeriodResult, method: str, results: EconomicResults) -> float | None:
    """The period's average by `method`: the printed (maybe stated) one for the section's own
    method, the computed one for the other (None when it would read a partial total)."""
    return period.shown if method == results.method else period.by_method.get(method)


def _period_change(
    indicator: Indicator, period: PeriodResult, rate: float, manner: str = ""
) -> str:
    """A period's average with its direction: "tăng bình quân 7,7%/năm"; a one-year period's is
    that year's change, "tăng 5,2%"; a rate in % changes by points ("tăng 1,5 điểm phần
    trăm")."""
    if period.one_year:
        return indicator.change_text(rate)
    return indicator.change_text(rate, "năm", manner)


def placeholder_values(results: EconomicResults) -> dict[str, Any]:
    """Everything a template may name, formatted as the text prints it. A change from or to a
    partial total is left out: a template naming it is refused ("không có khóa"), and
    `partial_problems` says why, rather than print a wrong rate."""
    indicator = results.indicator
    yearly = indicator.yearly_growth
    values: dict[str, Any] = {
        "chi_tieu": indicator.name,
        "Chi_tieu": indicator.name[:1].upper() + indicator.name[1:],
        "don_vi": indicator.unit,
        "phuong_phap": METHOD_WORDS[results.method],
        "noi_de_ra": results.target_source,
        "giai_doan": {period.key: period.label for period in results.periods},
        "tang_binh_quan": {
            period.key: indicator.rate_text(period.shown) for period in results.periods
        },
        "bien_dong_binh_quan": {
            period.key: _period_change(indicator, period, period.shown, "bình quân")
            for period in results.periods
        },
        "binh_quan_nhan": {
            period.key: _period_change(indicator, period, rate)
            for period in results.periods
            if (rate := _average(period, "cagr", results)) is not None
        },
        "binh_quan_cong": {
            period.key: _period_change(indicator, period, rate)
            for period in results.periods
            if (rate := _average(period, "arithmetic", results)) is not None
        },
        "muc_tieu": {
            period.key: target_text(period.target, indicator.change_unit)
            for period in results.periods
            if period.target is not None
        },
        "dat_chi_tieu": {
            period.key: ATTAINMENT_WORDS[period.attainment]
            for period in results.periods
            if period.attainment
        },
        "thuc_hien_chi_tieu": {
            period.key: vnformat.attainment(
                period.shown, period.target, SHOWN_DECIMALS, indicator.change_unit
            )
            for period in results.periods
            if period.target is not None
        },
        "gia_tri": {str(year): value_text(indicator, year) for year in indicator.years},
        "tang_nam": {str(year): indicator.rate_text(rate) for year, rate in yearly.items()},
        "bien_dong_nam": {str(year): indicator.change_text(rate) for year, rate in yearly.items()},
        "gap": {item.key: multiple_text(item.shown) for item in results.multiples},
        "so_voi": {
            item.key: vnformat.compared(item.shown, SHOWN_DECIMALS) for item in results.multiples
        },
    }
    terms = [period.term for period in results.periods if period.term]
    if terms:
        values["nhiem_ky"] = ", ".join(dict.fromkeys(terms))
    if any(period.attainment for period in results.periods):
        values["ket_qua_chi_tieu"] = overall_attainment(results)
    return values


def default_template(results: EconomicResults) -> str:
    """Generic prose for these data, as a template a drafter can copy and rewrite.

    Every change is written with its direction ("tăng 7,7%/năm", "giảm 2,2%/năm", "tăng gấp
    3,7 lần", "bằng 92,3%"), and attainment as a clerk writes it ("vượt chỉ tiêu 7,5% đề ra").
    """
    sentences: list[str] = []
    periods = results.periods
    targeted = [period for period in periods if period.target is not None]
    codes = {period.attainment for period in targeted}
    setter = " {noi_de_ra}" if results.target_source else ""
    terms = {period.term for period in targeted if period.term}
    if terms:
        setter += (" các nhiệm kỳ" if len(terms) > 1 else " nhiệm kỳ") + " {nhiem_ky}"
    if len(targeted) > 1 and "missed" not in codes:
        # One summary when every target was reached; otherwise each period says its own.
        sentences.append(f"{{Chi_tieu}} {{ket_qua_chi_tieu}} chỉ tiêu{setter} đề ra.")
    # A single target is said once, with who set it: "vượt chỉ tiêu 8% UBND tỉnh đề ra".
    own_setter = setter if len(targeted) == 1 else ""
    other = results.other_method
    clauses = []
    # An annual report's one-year period has no average: its change on the year before
    # joins that year's own sentence ("Năm 2020, … đạt 32,1%, tăng 5,2% so với năm 2019").
    by_year: dict[int, list[str]] = {}
    for period in periods:
        key = period.key
        target = ""
        if period.target is not None:
            target = f", {{dat_chi_tieu[{key}]}} chỉ tiêu {{muc_tieu[{key}]}}{own_setter} đề ra"
        if period.one_year:
            by_year.setdefault(period.end, []).append(
                f"{{bien_dong_binh_quan[{key}]}} so với năm {period.base}{target}"
            )
            continue
        clause = f"giai đoạn {{giai_doan[{key}]}}, {{chi_tieu}} {{bien_dong_binh_quan[{key}]}}"
        points = results.indicator.in_points  # an average in points: one figure, no method
        if results.both_averages and not points and other in period.by_method:
            placeholder = "binh_quan_cong" if other == "arithmetic" else "binh_quan_nhan"
            clause += (
                f" ({METHOD_SHORT[results.method]}; theo {METHOD_SHORT[other]}: "
                f"{{{placeholder}[{key}]}})"
            )
        clauses.append(clause + target)
    if clauses:
        text = "; ".join(clauses) + "."
        sentences.append(text[0].upper() + text[1:])
    for item in results.multiples:
        by_year.setdefault(item.year, []).append(
            f"{{so_voi[{item.key}]}} so với năm {item.base_year}"
        )
    if results.indicator.years:  # a new section has no figures yet
        by_year.setdefault(results.indicator.years[-1], [])
    for year in sorted(by_year):
        comparisons = ", " + vnformat.join(by_year[year]) if by_year[year] else ""
        sentences.append(f"Năm {year}, {{chi_tieu}} đạt {{gia_tri[{year}]}}{comparisons}.")
    stated = _stated_clause([period for period in periods if period.stated is not None])
    if results.indicator.in_points and not all(period.one_year for period in periods):
        sentence = (
            f"Mức tăng bình quân tính bằng {POINTS} mỗi năm, lấy năm liền trước giai đoạn làm "
            "năm gốc"
        )
        sentences.append(sentence + (f"; {stated}." if stated else "."))
    elif not all(period.one_year for period in periods):
        method = "{phuong_phap}"
        if results.both_averages:
            method += f" và {METHOD_WORDS[other]}"
        sentence = (
            f"Tốc độ tăng bình quân tính theo {method}, lấy năm liền trước giai đoạn làm năm gốc"
        )
        sentences.append(sentence + (f"; {stated}." if stated else "."))
    elif stated:  # one-year periods only: no average to explain
        sentences.append(stated[0].upper() + stated[1:] + ".")
    return " ".join(sentences)


def _stated_clause(stated: list[PeriodResult]) -> str:
    """ "số liệu giai đoạn 2011 – 2015 và 2016 – 2020 lấy theo số đã công bố" ("năm 2020" for a
    one-year period); "" without stated figures."""
    if not stated:
        return ""
    words = {period.one_year for period in stated}
    if len(words) == 1:  # one word for all: "giai đoạn A và B", "năm 2019 và 2020"
        keys = vnformat.join(f"{{giai_doan[{period.key}]}}" for period in stated)
        keys = f"{'năm' if words.pop() else 'giai đoạn'} {keys}"
    else:
        keys = vnformat.join(
            f"{'năm' if period.one_year else 'giai đoạn'} {{giai_doan[{period.key}]}}"
            for period in stated
        )
    return f"số liệu {keys} lấy theo số đã công bố"


def series_table(
    indicator: Indicator, results: EconomicResults, averages_said: bool = False
) -> Table:
    """The yearly series: year, value, growth on the year before; the note gives the averages
    and how they are computed, unless the prose above already says both (`averages_said`:
    the default text of the section's indicator, which a clerk found stated twice)."""
    name = indicator.name[:1].upper() + indicator.name[1:]
    column = with_unit(name, indicator.unit)
    yearly = indicator.yearly_growth
    rows = tuple(
        (
            str(year),
            cell_text(indicator, year),
            vnformat.number(yearly[year], 1) if year in yearly else "–",
        )
        for year in indicator.years
    )
    other = results.other_method
    points = indicator.in_points
    averages = []
    for period, rate in [] if averages_said else results.averages_of(indicator):
        if period.one_year:
            continue  # the year's own row gives its change
        text = f"giai đoạn {period.label} {indicator.change_text(rate, 'năm')}"
        both = results.both_averages and not points
        second = indicator.period_change(period.start, period.end, other) if both else None
        if second is not None:
            text += f" ({METHOD_SHORT[results.method]}), {indicator.change_text(second, 'năm')} "
            text += f"({METHOD_SHORT[other]})"
        averages.append(text)
    notes = []
    if indicator.lacking:
        # The mark in the table says which totals lack whom; the changes beside them are "–".
        notes.append(
            f"Số liệu ghi ({PARTIAL_MARK}): {indicator.lacking_years_text}; không tính tốc độ "
            "tăng từ tổng chưa đủ."
        )
    if averages and points:
        notes.append(
            f"Mức tăng bình quân tính bằng {POINTS} mỗi năm, năm gốc là năm liền trước giai "
            f"đoạn: {'; '.join(averages)}."
        )
    elif averages:
        method = METHOD_WORDS[results.method]
        if results.both_averages:
            method += f" và {METHOD_WORDS[other]}"
        notes.append(
            f"Tăng bình quân tính theo {method}, năm gốc là năm liền trước giai đoạn: "
            f"{'; '.join(averages)}."
        )
    first, last = indicator.years[0], indicator.years[-1]
    return Table(
        header=("Năm", column, f"Tăng so với năm trước ({POINTS if points else '%'})"),
        rows=rows,
        widths=(1, 2, 2),
        align=("center", "right", "right"),
        caption=f"{name} {years_named(first, last)}",
        note=" ".join(notes),
    )


def series_chart(indicator: Indicator, placement: str) -> Chart:
    """The yearly series as a bar chart, every year from the first to the last (a gap where
    one is missing), titled with the unit and captioned like the table."""
    name = indicator.name[:1].upper() + indicator.name[1:]
    first, last = indicator.years[0], indicator.years[-1]
    years = range(first, last + 1)
    return Chart(
        title=name,
        unit=indicator.unit,
        categories=tuple(str(year) for year in years),
        series=(ChartSeries(name, tuple(indicator.series.get(year) for year in years)),),
        caption=f"{name} {years_named(first, last)}",
        decimals=indicator.decimals,
        placement="appendix" if placement == "appendix" else "inline",
    )


def _chart_setting(context: Any) -> str:
    data = getattr(getattr(context, "section", None), "data", None)
    return (data.get("chart") or "") if isinstance(data, dict) else ""


def _tables(results: EconomicResults, context: Any) -> list[Block]:
    # Each indicator's table, then its chart when the section asks for one (`chart`).
    chart = _chart_setting(context)
    blocks: list[Block] = []
    for indicator in results.indicators:
        if indicator.years:
            said = results.default_text and indicator is results.indicator
            blocks.append(series_table(indicator, results, averages_said=said))
            if chart:
                blocks.append(series_chart(indicator, chart))
    return blocks


def chart_problems(data: dict[str, Any]) -> list[Problem]:
    """With `chart` set, a warning for each indicator that has no figures to draw."""
    if not data.get("chart"):
        return []
    return [
        Problem(
            ("indicators", position, "series"),
            f"chỉ tiêu '{row.get('name', '')}' chưa có số liệu: không vẽ biểu đồ cho chỉ tiêu này",
            "warning",
        )
        for position, row in enumerate(data.get("indicators") or [])
        if not any(point.get("value") is not None for point in row.get("series") or [])
    ]


# -- hooks -------------------------------------------------------------------------------------

SECTION = ProseSection(
    SECTION_TYPE,
    checks=lambda data, _context: [*data_problems(data), *chart_problems(data)],
    figures=compute,
    values=lambda results, _context: placeholder_values(results),
    template=default_template,
    tables=_tables,
    figure_checks=lambda results, _context: [
        *stated_problems(results),
        *partial_problems(results),
    ],
)
tongket_section_types, tongket_validate_section, tongket_render_section = SECTION.hooks()

# What an outline (đề cương) may ask of this section: indicators, units, years (economic_outline).
tongket_outline_check = economic_outline.tongket_outline_check
tongket_outline_prefill = economic_outline.tongket_outline_prefill
tongket_outline_gaps = economic_outline.tongket_outline_gaps
tongket_outline_form = economic_outline.tongket_outline_form


# A Word reply's figures tables, read into indicators (economic_tables).
@hookimpl
def tongket_outline_read_tables(wanted, tables, request):
    from . import economic_tables  # only an import reads Word tables: kept off the export path

    return economic_tables.read_tables(wanted, tables, request)


# How bodies' replies merge (tongket merge): figures summed per year when indicator and unit agree.
@hookimpl
def tongket_merge_sections(contributions, previous):
    from . import economic_merge  # only `tongket merge` merges: kept off the export path

    return economic_merge.merge_economic(SECTION, contributions, previous)
