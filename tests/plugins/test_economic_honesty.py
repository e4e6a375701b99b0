"""Economic results print no figure the data cannot honestly give.

- a consolidated total that lacks some bodies' figures (`partial_totals`, from `tongket merge`)
  gives no growth, average or multiple, and `check` names the indicator, years and bodies;
- a rate in % changes by percentage points ("tăng 1,5 điểm phần trăm"), never by a percent of
  itself;
- a Word table's row whose name starts like a change ("Tăng", "Giảm", "Tốc độ", "So với") is
  read as an indicator when it names one; a true rate of change is left out with a note.
"""

from __future__ import annotations

import types

import pytest

from tongket.core.host.merging import Contribution
from tongket.core.render import growth
from tongket.core.render.blocks import Table
from tongket.core.render.context import RenderContext
from tongket.core.report.model import Particulars, Section
from tongket.plugins import economic_results as plugin
from tongket.plugins.economic_tables import read_tables

TYPE = "economic-results"
SCT = {2010: 271, 2011: 305, 2012: 328, 2013: 347, 2014: 366, 2015: 381}
SKHDT = {2010: 35, 2011: 40, 2012: 42, 2014: 50, 2015: 55}  # no figure for 2013


@pytest.fixture
def context() -> RenderContext:
    return RenderContext(document=Particulars(), section=Section(type=TYPE, number="2.1."))


def reply(body: str, name: str, series: dict[int, float], unit: str = "triệu USD") -> Contribution:
    points = [{"year": year, "value": value} for year, value in series.items()]
    data = {"indicators": [{"name": "kim ngạch xuất khẩu", "unit": unit, "series": points}]}
    return Contribution(body, name, f"{body}.toml", "2.1.", data)


def merged(*contributions: Contribution, **settings) -> dict:
    data = plugin.tongket_merge_sections(contributions=list(contributions), previous=None).data
    return {key: value for key, value in data.items() if key != "gathered"} | settings


def table_of(blocks: list) -> Table:
    return next(block for block in blocks if isinstance(block, Table))


def text_of(blocks: list) -> str:
    return " ".join(
        "".join(run.text for run in block.runs) for block in blocks if hasattr(block, "runs")
    )


def warnings(data: dict, context: RenderContext) -> list[str]:
    problems = plugin.tongket_validate_section(data=data, context=context)
    assert not [problem for problem in problems if problem.severity == "error"]
    return [problem.message for problem in problems]


# -- partial totals --------------------------------------------------------------------------


def test_a_merged_total_lacking_a_body_is_marked_with_the_bodies_missing():
    data = merged(reply("sct", "Sở Công Thương", SCT), reply("skhdt", "Sở KH&ĐT", SKHDT))
    assert data["partial_totals"] == [
        {"indicator": "kim ngạch xuất khẩu", "year": 2013, "lacking": ["Sở KH&ĐT"]}
    ]
    # A body that gave no figure at all lacks from every year alike: no year is marked for it.
    data = merged(reply("sct", "Sở Công Thương", SCT), reply("sttt", "Sở TT&TT", {}))
    assert "partial_totals" not in data


def test_no_growth_from_a_partial_total_and_check_names_years_and_bodies(context):
    data = merged(
        reply("sct", "Sở Công Thương", SCT),
        reply("skhdt", "Sở KH&ĐT", SKHDT),
        periods=[{"start": 2011, "end": 2015}],
        multiples=[{"year": 2015, "base_year": 2010}, {"year": 2013, "base_year": 2010}],
    )
    blocks = plugin.tongket_render_section(data=data, context=context)
    table = table_of(blocks)
    rows = {row[0]: row[1:] for row in table.rows}
    # Before: 2013 printed −6,2% (347 against 370) and 2014 19,9% (416 against 347).
    assert rows["2013"] == ("347 (chưa đủ)", "–")
    assert rows["2014"] == ("416", "–")
    assert rows["2012"] == ("370", "7,2")  # both totals have both bodies
    assert "năm 2013 chưa gồm số liệu của Sở KH&ĐT" in table.note
    # Compound growth over 2011–2015 reads 2010 and 2015 only, both whole: printed. The
    # multiple 2013/2010 reads the partial 2013: withheld.
    text = text_of(blocks)
    assert "Giai đoạn 2011 – 2015, kim ngạch xuất khẩu tăng bình quân 7,3%/năm" in text
    assert "Năm 2015, kim ngạch xuất khẩu đạt 436 triệu USD, tăng gấp 1,4 lần" in text
    assert "Năm 2013" not in text
    assert "(chưa gồm số liệu của Sở KH&ĐT)" not in text  # 2013 is not a sentence's year
    [message] = [m for m in warnings(data, context) if "chưa đủ" in m]
    assert "'kim ngạch xuất khẩu'" in message
    assert "năm 2013 chưa gồm số liệu của Sở KH&ĐT" in message
    assert "không tính tăng so với năm trước của năm 2013 và 2014" in message
    assert "so sánh năm 2013 với năm 2010" in message


def test_an_arithmetic_average_over_a_partial_year_is_withheld(context):
    data = merged(
        reply("sct", "Sở Công Thương", SCT),
        reply("skhdt", "Sở KH&ĐT", SKHDT),
        periods=[{"start": 2011, "end": 2015, "target": 7}],
        method="arithmetic",
    )
    blocks = plugin.tongket_render_section(data=data, context=context)
    text = text_of(blocks)
    assert "bình quân" not in table_of(blocks).note
    assert "giai đoạn 2011 – 2015, kim ngạch xuất khẩu" not in text.casefold()
    [message] = [m for m in warnings(data, context) if "chưa đủ" in m]
    assert "tăng bình quân giai đoạn 2011 – 2015" in message


def test_a_partial_last_year_says_whose_figures_it_lacks(context):
    late = {**SKHDT, 2013: 44}
    del late[2015]
    data = merged(reply("sct", "Sở Công Thương", SCT), reply("skhdt", "Sở KH&ĐT", late))
    text = text_of(plugin.tongket_render_section(data=data, context=context))
    assert "Năm 2015, kim ngạch xuất khẩu đạt 381 triệu USD (chưa gồm số liệu của Sở KH&ĐT)" in (
        text
    )


# -- rates in % ------------------------------------------------------------------------------


def test_point_change_arithmetic():
    assert growth.point_change(12.5, 14.0) == pytest.approx(1.5)
    # 12,5 (2015) → 15,2 (2020): 2,7 points over five years, 0,54 a year.
    series = {2015: 12.5, 2016: 99.0, 2020: 15.2}
    assert growth.period_point_change(series, 2016, 2020) == pytest.approx(0.54)
    assert growth.years_used(2016, 2020, "cagr") == [2015, 2020]
    assert growth.years_used(2016, 2017, "arithmetic") == [2015, 2016, 2017]


def share_in_percent(series: dict[int, float]) -> dict:
    """An indicator in %: the share of businesses exporting, by year."""
    points = [{"year": year, "value": value} for year, value in series.items()]
    return {"name": "tỷ lệ doanh nghiệp xuất khẩu", "unit": "%", "decimals": 1, "series": points}


def test_a_rate_in_percent_changes_by_percentage_points(context):
    data = {
        "indicators": [share_in_percent({2019: 12.5, 2020: 14.0, 2021: 13.2})],
        "periods": [{"start": 2020, "end": 2021}],
        "template": "{Chi_tieu} năm 2020 {bien_dong_nam[2020]}, năm 2021 {bien_dong_nam[2021]}; "
        "giai đoạn {bien_dong_binh_quan[2020-2021]}.",
    }
    blocks = plugin.tongket_render_section(data=data, context=context)
    text = text_of(blocks)
    # Before: "tăng 12,0%" (14,0 / 12,5), a figure no one reported.
    assert "năm 2020 tăng 1,5 điểm phần trăm, năm 2021 giảm 0,8 điểm phần trăm" in text
    assert "tăng bình quân 0,4 điểm phần trăm/năm" in text
    table = table_of(blocks)
    assert table.header[2] == "Tăng so với năm trước (điểm phần trăm)"
    assert [row[2] for row in table.rows] == ["–", "1,5", "-0,8"]
    assert "Mức tăng bình quân tính bằng điểm phần trăm" in table.note
    assert "12,0" not in text + table.note
    del data["template"]
    text = text_of(plugin.tongket_render_section(data=data, context=context))
    assert "tăng bình quân 0,4 điểm phần trăm/năm" in text
    assert "bình quân nhân" not in text


# -- Word tables: indicators named like a change ---------------------------------------------

WANTED = {"indicators": [{"name": "kim ngạch xuất khẩu", "unit": "triệu USD"}]}


def read(*tables: dict) -> dict | str | None:
    return read_tables(WANTED, list(tables), types.SimpleNamespace(years=[2019, 2020]))


def named(data: dict) -> list[tuple[str, str, list]]:
    return [
        (item["name"], item["unit"], [(p["year"], p.get("value")) for p in item["series"]])
        for item in data["indicators"]
    ]


def test_rows_named_like_a_change_that_name_an_indicator_are_read():
    across = {
        "header": ["Chỉ tiêu", "ĐVT", "2019", "2020"],
        "rows": [
            ["Kim ngạch xuất khẩu", "triệu USD", "1.080", "1.409"],
            ["Tăng trưởng GRDP", "%", "7,2", "6,5"],
            ["Giảm số hộ nghèo", "hộ", "1.200", "1.100"],
            ["So với cả nước, tỷ trọng xuất khẩu", "%", "0,4", "0,5"],
        ],
    }
    down = {
        "header": ["Năm", "Kim ngạch xuất khẩu (triệu USD)", "Tốc độ tăng trưởng GRDP (%)"],
        "rows": [["2019", "1.080", "7,2"], ["2020", "1.409", "6,5"]],
    }
    # Before: every row or column but the first was dropped without a word.
    assert named(read(across))[1:] == [
        ("tăng trưởng GRDP", "%", [(2019, 7.2), (2020, 6.5)]),
        ("giảm số hộ nghèo", "hộ", [(2019, 1200), (2020, 1100)]),
        ("so với cả nước, tỷ trọng xuất khẩu", "%", [(2019, 0.4), (2020, 0.5)]),
    ]
    assert "left_out" not in read(across)
    assert named(read(down))[1:] == [("tốc độ tăng trưởng GRDP", "%", [(2019, 7.2), (2020, 6.5)])]


def test_a_true_rate_of_change_is_left_out_with_a_note(context):
    across = {
        "header": ["Chỉ tiêu", "2019", "2020", "Tốc độ tăng bình quân (%)"],
        "rows": [
            ["Kim ngạch xuất khẩu", "1.080", "1.409", "30,5"],
            ["Tăng so với năm trước (%)", "", "30,5", ""],
            ["So với kế hoạch (%)", "98", "105", ""],
            ["Tổng cộng", "1.080", "1.409", ""],
        ],
    }
    data = read(across)
    assert [item["name"] for item in data["indicators"]] == ["kim ngạch xuất khẩu"]
    assert data["left_out"] == [
        "bảng 1, cột 4 ('Tốc độ tăng bình quân (%)'): tỷ lệ thay đổi, không đọc vào số liệu "
        "(tongket tính lại từ số liệu)",
        "bảng 1, dòng 3 ('Tăng so với năm trước (%)'): tốc độ tăng của 'kim ngạch xuất khẩu', "
        "đã đối chiếu với số liệu",
        "bảng 1, dòng 4 ('So với kế hoạch (%)'): tỷ lệ thay đổi, không đọc vào số liệu "
        "(tongket tính lại từ số liệu)",
        "bảng 1, dòng 5 ('Tổng cộng'): tổng cộng, không đọc vào số liệu (tongket tự cộng)",
    ]
    down = {
        "header": ["Năm", "Kim ngạch xuất khẩu (triệu USD)", "Tăng so với năm trước (%)"],
        "rows": [["2019", "1.080", "–"], ["2020", "1.409", "30,5"], ["Tổng", "2.489", ""]],
    }
    assert read(down)["left_out"] == [
        "bảng 1, cột 3 ('Tăng so với năm trước (%)'): tốc độ tăng của 'Kim ngạch xuất khẩu "
        "(triệu USD)', đã đối chiếu với số liệu",
        "bảng 1, dòng 4 ('Tổng'): tổng cộng, không đọc vào số liệu (tongket tự cộng)",
    ]
    # The section keeps the note; `check` says it, the text never prints it.
    section = plugin.SECTION_TYPE.new_data() | {k: v for k, v in data.items() if v is not None}
    said = [m for m in warnings(section, context) if m.startswith("bảng Word")]
    assert said[1] == (
        "bảng Word không đọc vào số liệu: bảng 1, dòng 3 ('Tăng so với năm trước (%)'): tốc độ "
        "tăng của 'kim ngạch xuất khẩu', đã đối chiếu với số liệu"
    )
    text = text_of(plugin.tongket_render_section(data=section, context=context))
    assert "bảng 1" not in text


def test_a_merge_names_what_a_reply_left_out():
    left = reply("sct", "Sở Công Thương", SCT)
    left.data["left_out"] = ["bảng 1, dòng 5 ('Tổng cộng'): tổng cộng, không đọc vào số liệu"]
    result = plugin.tongket_merge_sections(contributions=[left], previous=None)
    assert "left_out" not in result.data
    [finding] = [f.message for f in result.findings if "bảng Word" in f.message]
    assert finding == (
        "Sở Công Thương (sct.toml, mục 2.1.): bảng Word có phần không đọc vào số liệu: bảng 1, "
        "dòng 5 ('Tổng cộng'): tổng cộng, không đọc vào số liệu"
    )


def test_tongkets_own_table_of_a_rate_in_percent_reads_back():
    # Its change column is in percentage points: checked as such, not refused as growth.
    table = {
        "header": [
            "Năm",
            "Tỷ lệ doanh nghiệp xuất khẩu (%)",
            "Tăng so với năm trước (điểm phần trăm)",
        ],
        "rows": [["2019", "12,5", "–"], ["2020", "14,0", "1,5"]],
    }
    data = read(table)
    assert isinstance(data, dict), data
    assert named(data)[1] == ("tỷ lệ doanh nghiệp xuất khẩu", "%", [(2019, 12.5), (2020, 14.0)])


# -- estimates ---------------------------------------------------------------------------------


def test_a_sum_of_an_estimate_and_an_unmarked_figure_is_named():
    estimate = reply("sct", "Sở Công Thương", {2021: 1550})
    estimate.data["indicators"][0]["series"][0]["estimated"] = True
    actual = reply("skhdt", "Sở KH&ĐT", {2021: 45})  # maybe six months' figure, not marked
    result = plugin.tongket_merge_sections(contributions=[estimate, actual], previous=None)
    assert result.data["indicators"][0]["series"] == [
        {"year": 2021, "value": 1595, "estimated": True}
    ]
    [finding] = [f.message for f in result.findings if "ước" in f.message]
    assert finding.startswith(
        "chỉ tiêu 'kim ngạch xuất khẩu': năm 2021 cộng số ước thực hiện của Sở Công Thương "
        "(1.550) với số không đánh dấu ước của Sở KH&ĐT (45) thành 1.595 (ước thực hiện)"
    )


def test_a_partial_total_naming_no_indicator_or_year_is_said(context):
    data = merged(reply("sct", "Sở Công Thương", SCT))
    data["partial_totals"] = [
        {"indicator": "kim ngạch nhập khẩu", "year": 2013, "lacking": ["Sở KH&ĐT"]},
        {"indicator": "kim ngạch xuất khẩu", "year": 2030, "lacking": ["Sở KH&ĐT"]},
    ]
    said = [m for m in warnings(data, context) if m.startswith("tổng chưa đủ")]
    assert said == [
        "tổng chưa đủ của 'kim ngạch nhập khẩu' năm 2013: không có chỉ tiêu này; dòng này "
        "không được dùng",
        "tổng chưa đủ của 'kim ngạch xuất khẩu' năm 2030: chỉ tiêu không có năm 2030; dòng này "
        "không được dùng",
    ]


def test_the_years_a_body_lacks_are_named_as_runs():
    # "(2010, 2011, 2012, 2013, …, 2021)" for a body that gave no figure read as a list to scan.
    series = {year: 100 + year - 2010 for year in range(2010, 2022)}
    result = plugin.tongket_merge_sections(
        contributions=[
            reply("sct", "Sở Công Thương", series),
            reply("skhdt", "Sở KH&ĐT", {2012: 5, 2016: 6}),
            reply("sttt", "Sở TT&TT", {}),
        ],
        previous=None,
    )
    # Said by the merge, not kept: the partial totals say it at every check.
    assert not [f for f in result.findings if "thiếu số liệu" in f.message]
    [finding] = [f.message for f in result.notices if "thiếu số liệu" in f.message]
    assert "Sở KH&ĐT (2010, 2011, 2013–2015 và 2017–2021)" in finding
    assert "Sở TT&TT (2010–2021)" in finding


def test_the_appendix_keeps_each_bodys_estimate_mark_and_its_total(context):
    # The section printed "1.595 (ước)" while its appendix showed 1.550 and 1.595 as actual.
    from tongket.plugins import body_figures

    estimate = reply("sct", "Sở Công Thương", {2020: 1409, 2021: 1550})
    estimate.data["indicators"][0]["series"][1]["estimated"] = True
    actual = reply("skhdt", "Sở KH&ĐT", {2020: 30, 2021: 45})
    result = plugin.tongket_merge_sections(contributions=[estimate, actual], previous=None)
    [entry] = result.companions[0].data["indicators"]
    assert entry["bodies"][0]["series"][1] == {"year": 2021, "value": 1550, "estimated": True}
    assert "estimated" not in entry["bodies"][1]["series"][1]
    assert not body_figures.tongket_validate_section(data={"indicators": [entry]}, context=context)
    [table] = body_figures.indicator_tables(entry)
    assert table.rows == (
        ("1", "Sở Công Thương", "1.409", "1.550 (ước)"),
        ("2", "Sở KH&ĐT", "30", "45"),
        ("", "Tổng cộng", "1.439", "1.595 (ước)"),
    )


def test_a_target_for_a_rate_in_percent_is_in_percentage_points(context):
    # The change printed in points beside a target in "%": "tăng bình quân 1 điểm phần
    # trăm/năm, vượt chỉ tiêu 0,5% đề ra" compares two different measures.
    data = {
        "indicators": [share_in_percent({2019: 12.5, 2020: 13.0, 2021: 14.5})],
        "periods": [{"start": 2020, "end": 2021, "target": 0.5}],
    }
    text = text_of(plugin.tongket_render_section(data=data, context=context))
    assert "tăng bình quân 1,0 điểm phần trăm/năm, vượt chỉ tiêu 0,5 điểm phần trăm" in text
    assert "0,5%" not in text


def test_a_total_row_the_rows_above_do_not_add_up_to_refuses_the_figures():
    # "Tổng cộng 999" under 702 and 100 was left out unchecked: a typo in a figure or in the
    # total went into the consolidation.
    table = {
        "header": ["TT", "Chỉ tiêu", "ĐVT", "2019", "2020"],
        "rows": [
            ["1", "Kim ngạch xuất khẩu", "triệu USD", "702", "655"],
            ["2", "Kim ngạch nhập khẩu", "triệu USD", "100", "90"],
            ["", "Tổng cộng", "", "999", "745"],
        ],
    }
    assert read(table) == (
        "bảng 1, dòng 4, cột 2019: tổng cộng năm 2019 ghi 999 nhưng 2 dòng trên cộng lại 802"
    )
    table["rows"][2][3] = "802"
    assert isinstance(read(table), dict)  # a right total: read, as before
    # Rows in other units, or detailed by a "Trong đó" row, add up to nothing checkable.
    table["rows"][2][3] = "999"
    table["rows"][1][2] = "%"
    assert isinstance(read(table), dict)
    table["rows"][1][1:3] = ["Trong đó: sang EU", "triệu USD"]
    assert isinstance(read(table), dict)


def test_years_lacking_the_same_bodies_are_said_together():
    # A body that sent one year only left every other year partial: the note said "năm 2010
    # chưa gồm số liệu của …" eleven times over.
    from tongket.plugins.economic_data import Indicator

    lacking = {year: ("Sở KH&ĐT",) for year in range(2010, 2021)}
    lacking[2021] = ("Sở KH&ĐT", "Sở TT&TT")
    indicator = Indicator("kim ngạch xuất khẩu", "triệu USD", 0, {}, 0, lacking=lacking)
    assert indicator.lacking_years_text == (
        "năm 2010 – 2020 chưa gồm số liệu của Sở KH&ĐT; năm 2021 chưa gồm số liệu của Sở KH&ĐT "
        "và Sở TT&TT"
    )
