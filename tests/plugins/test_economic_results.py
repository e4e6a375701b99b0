"""Economic results (2.1): growth arithmetic worked by hand, validation, templates, blocks, DOCX."""

from __future__ import annotations

import copy
import io

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongket.core.render import growth
from tongket.core.render.blocks import Paragraph, Table
from tongket.core.render.context import RenderContext
from tongket.core.render.document import render_document
from tongket.core.report import store
from tongket.core.report.model import Particulars, Project, Section
from tongket.core.writers.docx_writer import build_docx
from tongket.plugins import economic_results as plugin
from tongket.plugins.economic_data import compute

TYPE = "economic-results"

# 2010, 2015 and 2020 are the sample's anchors (271, 381, 1.409 triệu USD); the rest illustrate.
SERIES = {
    2010: 271, 2011: 305, 2012: 328, 2013: 347, 2014: 366, 2015: 381,
    2016: 470, 2017: 610, 2018: 820, 2019: 1080, 2020: 1409,
}  # fmt: skip

REFERENCE_21 = (
    "2.1. Trên lĩnh vực phát triển kinh tế ngành, trong những năm qua, chỉ tiêu kim ngạch xuất "
    "khẩu được thực hiện đạt và vượt chỉ tiêu Đại hội Tỉnh Đảng bộ các nhiệm kỳ XVIII, XIX đề "
    "ra. Cụ thể: Giai đoạn 2011 – 2015, bình quân kim ngạch xuất khẩu tăng 7,7%; giai đoạn "
    "2016 – 2020, bình quân kim ngạch xuất khẩu tăng 29,1%, trong đó, kim ngạch xuất khẩu năm "
    "2020 đạt 1.409 triệu USD, tăng gấp 3,7 lần so với năm 2015 và tăng gấp 5,2 lần so với "
    "năm 2010."
)


def series_rows(values: dict[int, float]) -> list[dict]:
    return [{"year": year, "value": value} for year, value in values.items()]


@pytest.fixture
def data() -> dict:
    """The sample's exports without stated figures: everything printed is computed."""
    return {
        "indicators": [
            {
                "name": "kim ngạch xuất khẩu",
                "unit": "triệu USD",
                "decimals": 0,
                "series": series_rows(SERIES),
            }
        ],
        "periods": [
            {"start": 2011, "end": 2015, "term": "XVIII", "target": 7.0},
            {"start": 2016, "end": 2020, "term": "XIX", "target": 20},
        ],
        "multiples": [{"year": 2020, "base_year": 2015}, {"year": 2020, "base_year": 2010}],
        "method": "cagr",
        "target_source": "Đại hội Tỉnh Đảng bộ",
    }


@pytest.fixture
def three_years() -> dict:
    """A 3-year period 2017–2019 from base 2016: 200 → 230 → 300 → 345,6."""
    return {
        "indicators": [
            {
                "name": "doanh thu",
                "unit": "tỷ đồng",
                "decimals": 1,
                "series": series_rows({2016: 200, 2017: 230, 2018: 300, 2019: 345.6}),
            }
        ],
        "periods": [{"start": 2017, "end": 2019}],
    }


@pytest.fixture
def context() -> RenderContext:
    return RenderContext(document=Particulars(), section=Section(type=TYPE, number="2.1."))


def validate(data: dict, context: RenderContext) -> list:
    return plugin.tongket_validate_section(data=data, context=context)


def errors(data: dict, context: RenderContext) -> list:
    return [problem for problem in validate(data, context) if problem.severity == "error"]


def render(data: dict, context: RenderContext) -> list:
    return plugin.tongket_render_section(data=data, context=context)


# -- arithmetic, worked by hand ------------------------------------------------------------------


def test_cagr_2016_2020_of_the_sample():
    # 1409 / 381 = 3,698163; ln 3,698163 = 1,307836; / 5 = 0,261567; e^0,261567 = 1,298964
    # → 29,896% a year, printed 29,9%.
    rate = growth.period_growth(SERIES, 2016, 2020, "cagr")
    assert rate == pytest.approx(29.8964, abs=1e-3)
    # 381 / 271 = 1,405904; ln = 0,340681; / 5 = 0,068136; e^ = 1,070511 → 7,05% → 7,1%.
    assert growth.period_growth(SERIES, 2011, 2015, "cagr") == pytest.approx(7.0511, abs=1e-3)


def test_cagr_over_three_years_and_the_arithmetic_mean_differ():
    series = {2016: 200, 2017: 230, 2018: 300, 2019: 345.6}
    # CAGR: 345,6 / 200 = 1,728 = 1,2³ → 20% a year over the 3 years from base 2016.
    assert growth.period_growth(series, 2017, 2019, "cagr") == pytest.approx(20.0)
    # Yearly rates: 230/200 = +15%; 300/230 = +30,4348%; 345,6/300 = +15,2%;
    # their mean: (15 + 30,4348 + 15,2) / 3 = 20,2116%.
    assert growth.period_growth(series, 2017, 2019, "arithmetic") == pytest.approx(20.2116, 1e-5)


def test_yearly_growth_multiple_and_attainment():
    assert growth.yearly_growth(381, 470) == pytest.approx(23.3596, abs=1e-4)  # 89 / 381
    assert growth.multiple(1409, 381) == pytest.approx(3.69816, abs=1e-5)
    assert growth.multiple(1409, 271) == pytest.approx(5.19926, abs=1e-5)
    assert growth.attainment(7.7, 7.7) == "met"
    assert growth.attainment(29.1, 20) == "exceeded"
    assert growth.attainment(7.1, 7.7) == "missed"


def test_period_growth_refuses_a_gap():
    gappy = {year: value for year, value in SERIES.items() if year != 2013}
    with pytest.raises(ValueError, match="2013"):
        growth.period_growth(gappy, 2011, 2015, "cagr")


@given(
    base=st.floats(min_value=1, max_value=1e6),
    rate=st.floats(min_value=-50, max_value=200),
    years=st.integers(min_value=1, max_value=15),
)
def test_cagr_compounds_back_to_the_end_value(base, rate, years):
    end = base * (1 + rate / 100) ** years
    assert growth.cagr(base, end, years) == pytest.approx(rate, abs=1e-6)


# -- computed placeholders -----------------------------------------------------------------------


def test_placeholders_for_the_sample_data(data):
    values = plugin.placeholder_values(compute(data))
    assert values["tang_binh_quan"] == {"2011-2015": "7,1%", "2016-2020": "29,9%"}
    assert values["giai_doan"]["2011-2015"] == "2011 – 2015"
    assert values["gia_tri"]["2020"] == "1.409 triệu USD"
    assert values["gap"] == {"2020/2015": "3,7 lần", "2020/2010": "5,2 lần"}
    assert values["tang_nam"]["2016"] == "23,4%"
    assert "2010" not in values["tang_nam"]  # no year before the first
    assert values["dat_chi_tieu"] == {"2011-2015": "vượt", "2016-2020": "vượt"}
    assert values["muc_tieu"] == {"2011-2015": "7%", "2016-2020": "20%"}
    assert values["ket_qua_chi_tieu"] == "vượt"
    assert values["nhiem_ky"] == "XVIII, XIX"
    assert values["phuong_phap"] == "bình quân nhân (tăng trưởng kép)"


@pytest.mark.parametrize(
    ("targets", "overall"),
    [
        ((7.1, 20), "đạt và vượt"),  # 7,1% exactly as printed, 29,9% beats 20%
        ((7.1, 29.9), "đạt"),
        ((8, 30), "chưa đạt"),
        ((7.1, 30), "đạt một phần"),
    ],
)
def test_overall_attainment_compares_printed_rates(data, targets, overall):
    for period, target in zip(data["periods"], targets, strict=True):
        period["target"] = target
    assert plugin.placeholder_values(compute(data))["ket_qua_chi_tieu"] == overall


def test_three_year_period_in_both_methods(three_years, context):
    values = plugin.placeholder_values(compute(three_years))
    assert values["tang_binh_quan"]["2017-2019"] == "20,0%"
    three_years["method"] = "arithmetic"
    values = plugin.placeholder_values(compute(three_years))
    assert values["tang_binh_quan"]["2017-2019"] == "20,2%"
    assert values["phuong_phap"] == "bình quân cộng các tốc độ tăng hằng năm"
    text = render(three_years, context)[0].text
    assert "tăng bình quân 20,2%/năm" in text
    assert "bình quân cộng các tốc độ tăng hằng năm" in text  # the output states its method


def test_every_placeholder_is_documented(data):
    values = plugin.placeholder_values(compute(data))
    for name in values:
        assert "{" + name in plugin.SECTION_TYPE.description, name
        assert "{" + name in plugin.__doc__, name


# -- validation ----------------------------------------------------------------------------------


def test_clean_data_has_no_problems(data, context):
    assert validate(data, context) == []


def test_a_gap_inside_a_period_is_an_error_naming_the_year(data, context):
    data["indicators"][0]["series"] = series_rows(
        {year: value for year, value in SERIES.items() if year != 2013}
    )
    [problem] = errors(data, context)
    assert problem.path == ("indicators", 0, "series")
    assert "thiếu số liệu năm 2013" in problem.message
    assert "2011 – 2015" in problem.message


def test_a_gap_outside_every_period_is_only_a_warning(data, context):
    data["periods"] = [{"start": 2016, "end": 2020}]
    data["indicators"][0]["series"] = series_rows(
        {year: value for year, value in SERIES.items() if year != 2012}
    )
    [problem] = validate(data, context)
    assert problem.severity == "warning"
    assert "năm 2012" in problem.message
    table = render(data, context)[-1]
    assert ("2013", "347", "–") in table.rows  # no growth on a missing year


def test_duplicate_year_names_it(data, context):
    data["indicators"][0]["series"].append({"year": 2014, "value": 370})
    [problem] = errors(data, context)
    assert problem.path == ("indicators", 0, "series", 11, "year")
    assert problem.message == "năm 2014 bị trùng (đã có ở dòng 5)"


@pytest.mark.parametrize("value", [0, -12.5])
def test_non_positive_value_names_the_year(data, context, value):
    data["indicators"][0]["series"][3]["value"] = value
    [problem] = errors(data, context)
    assert problem.path == ("indicators", 0, "series", 3, "value")
    assert "năm 2013" in problem.message and "lớn hơn 0" in problem.message


def test_period_outside_the_series(data, context):
    data["periods"].append({"start": 2010, "end": 2012})
    [problem] = errors(data, context)
    assert problem.path == ("periods", 2)
    assert problem.message == (
        "giai đoạn 2010 – 2012 nằm ngoài chuỗi số liệu của 'kim ngạch xuất khẩu' "
        "(có 2010–2020; cần từ năm gốc 2009 đến 2012)"
    )


def test_period_ending_before_it_starts(data, context):
    data["periods"][0] = {"start": 2015, "end": 2011}
    [problem] = errors(data, context)
    assert problem.path == ("periods", 0, "end")
    assert "2011" in problem.message and "2015" in problem.message


def test_multiple_needs_years_in_the_series(data, context):
    data["multiples"].append({"year": 2021, "base_year": 2010})
    [problem] = errors(data, context)
    assert problem.path == ("multiples", 2, "year")
    assert "năm 2021" in problem.message


def test_unknown_indicator_lists_the_known_ones(data, context):
    data["indicator"] = "kim ngạch nhập khẩu"
    [problem] = errors(data, context)
    assert problem.path == ("indicator",)
    assert "'kim ngạch xuất khẩu'" in problem.message


def test_shape_problems_come_with_their_path(data, context):
    data["indicators"][0]["series"][2]["value"] = "328"
    data["method"] = "geometric"
    problems = errors(data, context)
    assert [problem.where for problem in problems] == ["indicators.1.series.3.value", "method"]
    assert "cagr, arithmetic" in problems[1].message


# -- templates -----------------------------------------------------------------------------------


def test_unknown_placeholder_is_named(data, context):
    data["template"] = "Bình quân tăng {tang_binh_quan[2011-2015]}, {tang_truong}."
    [problem] = errors(data, context)
    assert problem.path == ("template",)
    assert "{tang_truong}" in problem.message


def test_unknown_period_key_is_named(data, context):
    data["template"] = "Bình quân tăng {tang_binh_quan[2012-2015]}."
    [problem] = errors(data, context)
    assert "{tang_binh_quan[2012-2015]}" in problem.message
    assert "2011-2015" in problem.message  # says which keys exist


def test_malformed_template_is_an_error(data, context):
    data["template"] = "Bình quân tăng {tang_binh_quan[2011-2015]."
    [problem] = errors(data, context)
    assert problem.path == ("template",)
    assert "sai cú pháp" in problem.message


def test_own_template_rewrites_the_prose_with_computed_numbers(data, context):
    data["template"] = "Năm 2020 đạt {gia_tri[2020]}, gấp {gap[2020/2010]} năm 2010."
    data["intro"] = "Đoạn mở đầu."
    data["outro"] = "Đoạn kết."
    blocks = render(data, context)
    texts = [block.text for block in blocks if isinstance(block, Paragraph)]
    assert texts == [
        "Đoạn mở đầu.",
        "Năm 2020 đạt 1.409 triệu USD, gấp 5,2 lần năm 2010.",
        "Đoạn kết.",
    ]


# -- stated figures ------------------------------------------------------------------------------


def test_stated_growth_prints_and_warns_with_both_values(data, context):
    data["periods"][1]["stated_growth"] = 29.1
    [problem] = validate(data, context)
    assert problem.severity == "warning"
    assert problem.path == ("periods", 1, "stated_growth")
    assert problem.message == (
        "tốc độ tăng bình quân giai đoạn 2016 – 2020 ghi 29,1% nhưng số liệu 2015–2020 cho "
        "29,9% (bình quân nhân)"
    )
    assert plugin.placeholder_values(compute(data))["tang_binh_quan"]["2016-2020"] == "29,1%"


def test_stated_growth_warning_says_when_attainment_changes(data, context):
    data["periods"][0].update(target=7.7, stated_growth=7.7)
    [problem] = validate(data, context)
    assert problem.message.endswith("; theo số liệu thì chưa đạt chỉ tiêu 7,7%")
    assert "ghi 7,7% nhưng số liệu 2010–2015 cho 7,1%" in problem.message


@pytest.mark.parametrize(("stated", "warns"), [(29.9, False), (29.85, False), (29.8, True)])
def test_stated_growth_tolerance_is_the_rounding_shown(data, context, stated, warns):
    # computed 29,896: 29,85 is 0,046 away (prints 29,9 either way), 29,8 is 0,096 away
    data["periods"][1]["stated_growth"] = stated
    assert bool(validate(data, context)) is warns


def test_stated_figures_within_rounding_are_quiet(data, context):
    data["periods"][1]["stated_growth"] = 29.9  # computed 29,896
    data["multiples"][0]["stated"] = 3.7  # computed 3,698
    assert validate(data, context) == []


def test_stated_multiple_warns_with_years_and_values(data, context):
    data["multiples"][0]["stated"] = 3.5
    [problem] = validate(data, context)
    assert problem.path == ("multiples", 0, "stated")
    assert problem.message == (
        "số lần năm 2020 so với năm 2015 ghi 3,5 lần nhưng số liệu cho 3,7 lần "
        "(1.409 / 381 triệu USD)"
    )
    assert plugin.placeholder_values(compute(data))["gap"]["2020/2015"] == "3,5 lần"


# -- rendered blocks -----------------------------------------------------------------------------


def test_default_prose(data, context):
    data["periods"][0]["target"] = 7.1
    first = render(data, context)[0]
    assert first.text == (
        "Kim ngạch xuất khẩu đạt và vượt chỉ tiêu Đại hội Tỉnh Đảng bộ các nhiệm kỳ XVIII, XIX "
        "đề ra. Giai đoạn 2011 – 2015, kim ngạch xuất khẩu tăng bình quân 7,1%/năm, đạt chỉ "
        "tiêu 7,1% đề ra; giai đoạn 2016 – 2020, kim ngạch xuất khẩu tăng bình quân 29,9%/năm, "
        "vượt chỉ tiêu 20% đề ra. Năm 2020, kim ngạch xuất khẩu đạt 1.409 triệu USD, tăng gấp "
        "3,7 lần so với năm 2015 và tăng gấp 5,2 lần so với năm 2010. Tốc độ tăng bình quân "
        "tính theo bình quân nhân (tăng trưởng kép), lấy năm liền trước giai đoạn làm năm gốc."
    )


# A series that falls, then recovers: 500 → 450 → 440 → 430 (2016–2019), 2020 back to 500.
FALLING = {2015: 500, 2016: 480, 2017: 470, 2018: 460, 2019: 455, 2020: 462}


@pytest.fixture
def falling() -> dict:
    return {
        "indicators": [{"name": "sản lượng", "unit": "nghìn tấn", "series": series_rows(FALLING)}],
        "periods": [{"start": 2016, "end": 2020, "target": 3, "term": "XX"}],
        "multiples": [{"year": 2020, "base_year": 2015}],
    }


def test_a_fall_is_written_as_a_fall_never_as_a_negative_rise(falling, context):
    text = render(falling, context)[0].text
    # 462 / 500 over five years: (0,924)^(1/5) − 1 = −1,57 %/year; 462/500 = 92,4 %.
    assert (
        "sản lượng giảm bình quân 1,6%/năm, chưa đạt chỉ tiêu 3% Đại hội Đảng bộ tỉnh nhiệm kỳ XX "
        "đề ra" in text
    )
    assert "Năm 2020, sản lượng đạt 462 nghìn tấn, bằng 92,4% so với năm 2015." in text
    assert "tăng -" not in text and "tăng gấp 0" not in text
    assert "chưa đạt chỉ tiêu" in text and "được thực hiện" not in text
    # One period missed: no summary sentence claiming the targets were reached.
    assert not text.startswith("Sản lượng đạt")
    assert render(falling, context)[-1].note == ""  # the default text says the averages
    falling["template"] = "{chi_tieu}."
    table = render(falling, context)[-1]
    assert table.note.endswith("giai đoạn 2016 – 2020 giảm 1,6%/năm.")


def test_signed_placeholders(falling):
    values = plugin.placeholder_values(compute(falling))
    assert values["tang_binh_quan"]["2016-2020"] == "-1,6%"  # the raw rate, as before
    assert values["bien_dong_binh_quan"]["2016-2020"] == "giảm bình quân 1,6%/năm"
    assert values["bien_dong_nam"]["2016"] == "giảm 4,0%"
    assert values["bien_dong_nam"]["2020"] == "tăng 1,5%"  # 462 / 455
    assert values["so_voi"]["2020/2015"] == "bằng 92,4%"
    assert values["thuc_hien_chi_tieu"]["2016-2020"] == (
        "chưa đạt chỉ tiêu đề ra (giảm 1,6% so với chỉ tiêu tăng 3%)"
    )
    assert values["Chi_tieu"] == "Sản lượng"


def test_attainment_placeholder_reads_naturally(data):
    data["periods"][0]["target"] = 7.7  # 2011–2015 computes 7,1 %
    values = plugin.placeholder_values(compute(data))
    assert values["thuc_hien_chi_tieu"] == {
        "2011-2015": "chưa đạt chỉ tiêu đề ra (đạt 7,1% so với 7,7%)",
        "2016-2020": "vượt chỉ tiêu 20% đề ra",
    }


def test_both_averages_from_one_series(three_years, context):
    three_years["both_averages"] = True
    values = plugin.placeholder_values(compute(three_years))
    # 2017–2019 from 200: compound (345,6/200)^(1/3) − 1 = 20,0 %; the yearly rates 15,0; 30,4
    # and 15,2 average 20,2 % (both worked by hand in test_three_year_period_in_both_methods).
    assert values["binh_quan_nhan"]["2017-2019"] == "tăng 20,0%/năm"
    assert values["binh_quan_cong"]["2017-2019"] == "tăng 20,2%/năm"
    blocks = render(three_years, context)
    text = blocks[0].text
    assert "tăng bình quân 20,0%/năm (bình quân nhân; theo bình quân cộng: tăng 20,2%/năm)" in text
    assert "bình quân nhân (tăng trưởng kép) và bình quân cộng các tốc độ tăng hằng năm" in text
    three_years["template"] = "{chi_tieu}."
    blocks = render(three_years, context)
    assert blocks[-1].note.endswith(
        "giai đoạn 2017 – 2019 tăng 20,0%/năm (bình quân nhân), tăng 20,2%/năm (bình quân cộng)."
    )
    assert validate(three_years, context) == []
    three_years["template"] = ""
    three_years["method"] = "arithmetic"  # the chosen method leads, the other follows
    text = render(three_years, context)[0].text
    assert "tăng bình quân 20,2%/năm (bình quân cộng; theo bình quân nhân: tăng 20,0%/năm)" in text


def test_default_prose_without_targets_or_multiples(three_years, context):
    blocks = render(three_years, context)
    assert blocks[0].text == (
        "Giai đoạn 2017 – 2019, doanh thu tăng bình quân 20,0%/năm. Năm 2019, doanh thu đạt "
        "345,6 tỷ đồng. Tốc độ tăng bình quân tính theo bình quân nhân (tăng trưởng kép), lấy "
        "năm liền trước giai đoạn làm năm gốc."
    )


def test_a_one_year_period_is_that_years_change_not_an_average(context):
    """An annual report's period 2020–2020: 1.150 on 2019's 1.000 is "tăng 15,0% so với năm
    2019", said in 2020's sentence, never "giai đoạn 2020 … tăng bình quân 15,0%/năm"."""
    data = {
        "indicators": [
            {"name": "doanh thu", "unit": "tỷ đồng", "decimals": 0,
             "series": series_rows({2019: 1000, 2020: 1150})},
        ],
        "periods": [{"start": 2020, "end": 2020, "target": 12}],
        "method": "arithmetic",
        "both_averages": True,
        "target_source": "",
    }  # fmt: skip
    assert validate(data, context) == []
    values = plugin.placeholder_values(compute(data))
    assert values["giai_doan"]["2020-2020"] == "2020"
    assert values["bien_dong_binh_quan"]["2020-2020"] == "tăng 15,0%"
    assert values["binh_quan_nhan"]["2020-2020"] == "tăng 15,0%"
    blocks = render(data, context)
    # One target is said once, where it is reached: no summary sentence before it.
    assert blocks[0].text == (
        "Năm 2020, doanh thu đạt 1.150 tỷ đồng, tăng 15,0% so với năm 2019, vượt chỉ tiêu 12% đề "
        "ra."
    )
    data["target_source"] = "UBND tỉnh"
    assert render(data, context)[0].text.endswith("vượt chỉ tiêu 12% UBND tỉnh đề ra.")
    data["target_source"] = ""
    table = blocks[-1]
    assert table.caption == "Doanh thu giai đoạn 2019 – 2020"
    assert table.rows[-1] == ("2020", "1.150", "15,0")
    assert table.note == ""  # the year's row says it; there is no average to explain
    # A stated figure is named by its year, without a method it does not depend on.
    data["periods"][0]["stated_growth"] = 14
    assert render(data, context)[0].text.endswith("Số liệu năm 2020 lấy theo số đã công bố.")
    [warning] = validate(data, context)
    assert warning.message == ("tốc độ tăng năm 2020 ghi 14,0% nhưng số liệu 2019–2020 cho 15,0%")
    # Beside a longer period the method is explained, and each stated period named its way.
    data["indicators"][0]["series"] = series_rows({2017: 800, 2018: 900, 2019: 1000, 2020: 1150})
    data["periods"].insert(0, {"start": 2018, "end": 2019, "stated_growth": 11.8})
    text = render(data, context)[0].text
    assert "Giai đoạn 2018 – 2019, doanh thu tăng bình quân 11,8%/năm" in text
    assert text.endswith(
        "lấy năm liền trước giai đoạn làm năm gốc; số liệu giai đoạn 2018 – 2019 và năm 2020 lấy "
        "theo số đã công bố."
    )


def test_a_percentage_is_printed_against_its_number(context):
    data = {
        "indicators": [
            {"name": "tỷ trọng công nghiệp trong GRDP", "unit": "%", "decimals": 1,
             "series": series_rows({2019: 30.5, 2020: 32.1})},
        ],
    }  # fmt: skip
    assert render(data, context)[0].text == ("Năm 2020, tỷ trọng công nghiệp trong GRDP đạt 32,1%.")
    assert (
        render(data, context)[-1].caption == "Tỷ trọng công nghiệp trong GRDP giai đoạn 2019 – 2020"
    )
    data["indicators"][0]["series"] = series_rows({2020: 32.1})
    assert render(data, context)[-1].caption == "Tỷ trọng công nghiệp trong GRDP năm 2020"


def test_series_table(data, context):
    table = render(data, context)[-1]
    assert isinstance(table, Table)
    assert table.header == ("Năm", "Kim ngạch xuất khẩu (triệu USD)", "Tăng so với năm trước (%)")
    assert table.rows[0] == ("2010", "271", "–")
    assert table.rows[6] == ("2016", "470", "23,4")
    assert table.rows[-1] == ("2020", "1.409", "30,5")  # 1409 / 1080 = 1,30463
    # The default text above states the averages and their method: the note does not repeat
    # them (a clerk read them twice). A text of the drafter's own may not: the note gives them.
    assert table.note == ""
    assert "tăng bình quân 7,1%/năm" in render(data, context)[0].text
    data["template"] = "Kim ngạch xuất khẩu năm 2020 đạt {gia_tri[2020]}."
    table = render(data, context)[-1]
    assert table.note == (
        "Tăng bình quân tính theo bình quân nhân (tăng trưởng kép), năm gốc là năm liền trước "
        "giai đoạn: giai đoạn 2011 – 2015 tăng 7,1%/năm; giai đoạn 2016 – 2020 tăng 29,9%/năm."
    )


def test_each_indicator_gets_a_table_and_the_prose_follows_the_chosen_one(data, context):
    imports = {year: value / 2 for year, value in SERIES.items() if year >= 2015}
    data["indicators"].append(
        {"name": "kim ngạch nhập khẩu", "unit": "triệu USD", "series": series_rows(imports)}
    )
    data["indicator"] = "kim ngạch xuất khẩu"
    assert validate(data, context) == []
    tables = [block for block in render(data, context) if isinstance(block, Table)]
    assert [table.header[1] for table in tables] == [
        "Kim ngạch xuất khẩu (triệu USD)",
        "Kim ngạch nhập khẩu (triệu USD)",
    ]
    # Imports start in 2015, so only 2016–2020 (base 2015) is averaged in their note.
    assert "2011 – 2015" not in tables[1].note
    assert "giai đoạn 2016 – 2020 tăng 29,9%/năm" in tables[1].note
    assert tables[1].rows[-1] == ("2020", "705", "30,5")  # 704,5 rounded half up, 0 decimals


# -- the sample and the host ---------------------------------------------------------------------


def test_sample_reproduces_the_reference_paragraph(sample_rendered):
    texts = [block.text for block in sample_rendered.body if isinstance(block, Paragraph)]
    assert REFERENCE_21 in texts
    assert not [block for block in sample_rendered.body if isinstance(block, Table)]


def test_sample_check_reports_the_stated_rates(sample_rendered):
    [result] = [r for r in sample_rendered.sections if r.section.type == TYPE]
    assert [problem.severity for problem in result.problems] == ["warning", "warning"]
    messages = [problem.message for problem in result.problems]
    assert "ghi 7,7% nhưng số liệu 2010–2015 cho 7,1%" in messages[0]
    assert "ghi 29,1% nhưng số liệu 2015–2020 cho 29,9%" in messages[1]


@pytest.fixture
def one_section(data) -> Project:
    def build(table: str) -> Project:
        section = Section(type=TYPE, number="2.1.", data=copy.deepcopy(data), table=table)
        return Project(document=Particulars(), sections=[section])

    return build


def test_table_placement(one_section, host):
    inline = render_document(one_section("inline"), host)
    assert any(isinstance(block, Table) for block in inline.body)
    appendix = render_document(one_section("appendix"), host)
    assert not any(isinstance(block, Table) for block in appendix.body)
    assert isinstance(appendix.appendices[0].blocks[0], Table)
    assert appendix.body[-1].text == "(Chi tiết tại Phụ lục I kèm theo.)"


def test_table_in_the_docx(one_section, host):
    content = build_docx(render_document(one_section("inline"), host))
    document = docx.Document(io.BytesIO(content))
    [table] = [table for table in document.tables if table.rows[0].cells[0].text.strip() == "Năm"]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0] == ["Năm", "Kim ngạch xuất khẩu (triệu USD)", "Tăng so với năm trước (%)"]
    assert cells[-1] == ["2020", "1.409", "30,5"]
    assert len(cells) == 1 + len(SERIES)


def test_sample_section_survives_a_save(sample_project, tmp_path, host):
    target = tmp_path / "again.toml"
    store.save(sample_project, target)
    rendered = render_document(store.load(target), host)
    texts = [block.text for block in rendered.body if isinstance(block, Paragraph)]
    assert REFERENCE_21 in texts
