"""Reading an economic-results section's figures out of a Word reply's tables.

`economic_tables.read_tables` on tables as `tongket import` hands them (header and rows of
cell texts). The outline wants "kim ngạch xuất khẩu" in triệu USD for 2019–2021.
"""

from __future__ import annotations

import types

import pytest

from tongket.plugins.economic_tables import read_tables, year_of

WANTED = {"indicators": [{"name": "kim ngạch xuất khẩu", "unit": "triệu USD"}]}


def read(*tables: dict) -> dict | str | None:
    request = types.SimpleNamespace(years=[2019, 2020, 2021])  # the outline's period
    return read_tables(WANTED, list(tables), request)


def values(data: dict, position: int = 0) -> list[tuple]:
    series = data["indicators"][position]["series"]
    return [(p["year"], p.get("value"), p.get("estimated", False)) for p in series]


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2021", (2021, False)),
        ("Năm 2020", (2020, False)),
        ("2021 (ước)", (2021, True)),
        ("2021 (Ước TH)", (2021, True)),
        ("Ước thực hiện 2021", (2021, True)),
        ("ƯTH năm 2021", (2021, True)),
        ("2021*", (2021, True)),
        ("  2019 ", (2019, False)),
        ("12", None),
        ("Tổng", None),
        ("2019-2020", None),
        ("Giai đoạn 2016 – 2020", None),
    ],
)
def test_year_of_cells(text, year):
    assert year_of(text) == year


def test_years_across_with_index_unit_estimate_and_totals():
    table = {
        "header": ["TT", "Chỉ tiêu", "ĐVT", "2019", "2020", "2021 (ước)", "Tổng cộng"],
        "rows": [
            ["I", "Xuất khẩu", "", "", "", "", ""],  # a heading row: no figures
            ["1", "Kim ngạch xuất khẩu", "Triệu USD", "1.080", "1.409", "1.500,5", "3.989,5"],
            ["2", "Kim ngạch nhập khẩu", "Triệu USD", "500", "600", "–", "1.100"],
            ["3", "Lượt khách quốc tế", "Lượt", "45.200", "", "", ""],
            ["4", "Tỷ trọng xuất khẩu sang ASEAN", "%", "32,5%", "", "", ""],
            ["", "Cộng", "", "1.580", "2.009", "", ""],
        ],
    }
    data = read(table)
    assert [(i["name"], i["unit"], i["decimals"]) for i in data["indicators"]] == [
        ("kim ngạch xuất khẩu", "triệu USD", 1),  # the outline's spelling, decimals as typed
        ("kim ngạch nhập khẩu", "triệu USD", 0),  # not wanted, kept: nothing is dropped
        ("lượt khách quốc tế", "lượt", 0),  # said mid-sentence: "đạt 45.200 lượt"
        ("tỷ trọng xuất khẩu sang ASEAN", "%", 1),  # "32,5%" in a row in %: 32,5
    ]
    assert values(data) == [(2019, 1080, False), (2020, 1409, False), (2021, 1500.5, True)]
    assert values(data, 1) == [(2019, 500, False), (2020, 600, False)]


def test_years_down_with_the_unit_in_the_heading_and_a_note_column_of_estimates():
    table = {
        "header": ["Năm", "Kim ngạch xuất khẩu (triệu USD)", "Ghi chú"],
        "rows": [["2019", "1.080", ""], ["2020", "1.409", "ước"], ["Tổng", "2.489", ""]],
    }
    data = read(table)
    # The wanted years the table lacks stay as rows without a value, for `check` to name.
    assert values(data) == [(2019, 1080, False), (2020, 1409, True), (2021, None, False)]


def test_rates_of_change_follow_from_the_figures_and_are_left_out():
    # tongket's own exported table has such a column; tongket works the rates out again.
    down = {
        "header": ["Năm", "Kim ngạch xuất khẩu (triệu USD)", "Tăng so với năm trước (%)"],
        "rows": [["2019", "1.080", "–"], ["2020", "1.409", "30,5"]],
    }
    across = {
        "header": ["Chỉ tiêu", "2019", "2020", "Tốc độ tăng bình quân (%)"],
        "rows": [
            ["Kim ngạch xuất khẩu", "1.080", "1.409", "30,5"],
            ["Tăng/giảm (%)", "", "30,5", ""],
        ],
    }
    for table in (down, across):
        data = read(table)
        assert [item["name"] for item in data["indicators"]] == ["kim ngạch xuất khẩu"]
        assert values(data)[:2] == [(2019, 1080, False), (2020, 1409, False)]
    # An indicator the outline asks for is read whatever its name looks like.
    growth = {"indicators": [{"name": "tăng trưởng kinh tế", "unit": "%"}]}
    table = {"header": ["Năm", "Tăng trưởng kinh tế (%)"], "rows": [["2020", "7,2"]]}
    request = types.SimpleNamespace(years=[2020])
    [indicator] = read_tables(growth, [table], request)["indicators"]
    assert indicator["series"] == [{"year": 2020, "value": 7.2}]


@pytest.mark.parametrize(
    ("table", "reason"),
    [
        (
            {
                "header": ["Năm", "Kim ngạch xuất khẩu (triệu USD)", "Tăng so với năm trước (%)"],
                "rows": [["2019", "1.080", "–"], ["2020", "1.490", "30,5"]],  # 1.409 mistyped
            },
            "bảng 1, dòng 3, cột Tăng so với năm trước (%): ghi 30,5 nhưng số liệu năm 2019 và "
            "2020 cho 38,0%",
        ),
        (
            {
                "header": ["Chỉ tiêu", "2019", "2020"],
                "rows": [
                    ["Kim ngạch xuất khẩu", "1.080", "1.409"],
                    ["So với năm trước (%)", "", "120"],
                ],
            },
            "bảng 1, dòng 3, cột 2020: ghi 120 nhưng số liệu năm 2019 và 2020 cho 30,5%",
        ),
    ],
)
def test_a_rate_over_the_year_before_the_figures_do_not_give_is_refused(table, reason):
    assert read(table) == reason


def test_a_rate_over_the_year_before_reads_as_growth_or_as_an_index():
    # 1.409 / 1.080 = 130,46…%: growth 30,5 (or 30, or 31 at one unit of slack), index 130,5;
    # words are not a rate to check (and the column is not read).
    for stated in ("30,5", "+30,5", "30", "31", "130,5", "130,46%", "tăng mạnh"):
        down = {
            "header": ["Năm", "Kim ngạch xuất khẩu (triệu USD)", "So với năm trước (%)"],
            "rows": [["2019", "1.080", ""], ["2020", "1.409", stated]],
        }
        assert values(read(down))[:2] == [(2019, 1080, False), (2020, 1409, False)], stated


def test_a_rate_worked_out_from_figures_finer_than_printed_is_not_refused():
    # 7,75 printed "8" with no decimals: the rate on 2018 (271 / 7,75) is 3.396,8%, which
    # "8" alone would make 3.287,5%; any figure from 7,5 to 8,5 prints "8".
    down = {
        "header": ["Năm", "Kim ngạch xuất khẩu (triệu USD)", "Tăng so với năm trước (%)"],
        "rows": [["2017", "8", "–"], ["2018", "271", "3.396,8"]],
    }
    assert values(read(down))[:2] == [(2017, 8, False), (2018, 271, False)]


def test_a_two_row_header_with_the_years_below_a_merged_cell():
    table = {
        "header": ["Chỉ tiêu", "Năm", ""],
        "rows": [["", "2020", "2021"], ["Kim ngạch xuất khẩu", "1.409", "7.7"]],
    }
    data = read(table)
    assert values(data)[1:] == [(2020, 1409, False), (2021, 7.7, False)]


def test_names_match_the_wanted_indicator_and_other_units_stay_apart():
    short = {"header": ["Năm", "Kim ngạch (triệu USD)"], "rows": [["2019", "1.080"]]}
    assert values(read(short))[0] == (2019, 1080, False)  # "Kim ngạch": the one wanted
    other_unit = {
        "header": ["Năm", "Kim ngạch xuất khẩu (tỷ đồng)"],
        "rows": [["2019", "25.000"], ["2020", "32.500"]],
    }
    data = read(other_unit)
    assert [i["name"] for i in data["indicators"]] == [
        "kim ngạch xuất khẩu",
        "kim ngạch xuất khẩu (tỷ đồng)",
    ]
    assert values(data, 1) == [(2019, 25000, False), (2020, 32500, False)]


def test_the_same_year_in_two_tables_agrees_or_is_refused():
    first = {"header": ["Năm", "Kim ngạch xuất khẩu"], "rows": [["2020", "1.409"]]}
    same = {"header": ["Chỉ tiêu", "2020"], "rows": [["Kim ngạch xuất khẩu", "1.409"]]}
    assert values(read(first, same))[1] == (2020, 1409, False)
    other = {"header": ["Chỉ tiêu", "2020"], "rows": [["Kim ngạch xuất khẩu", "1.500"]]}
    assert read(first, other) == (
        "bảng 2, dòng 2, cột 2020: năm 2020 của 'kim ngạch xuất khẩu' ghi hai số (1.409 và 1.500)"
    )


@pytest.mark.parametrize(
    ("table", "reason"),
    [
        (
            {"header": ["Chỉ tiêu", "2019"], "rows": [["Kim ngạch xuất khẩu", "1.4o9"]]},
            "bảng 1, dòng 2, cột 2019: '1.4o9' không phải số",
        ),
        (
            {"header": ["Chỉ tiêu", "2019"], "rows": [["Kim ngạch xuất khẩu", "1 409"]]},
            "bảng 1, dòng 2, cột 2019: '1 409' không phải số",
        ),
        (
            {
                "header": ["Chỉ tiêu", "2019", "Ghi chú"],
                "rows": [["Kim ngạch xuất khẩu", "1.409", "số liệu sơ bộ"]],
            },
            "bảng 1: cột 'Ghi chú' không phải năm, tên hay đơn vị",
        ),
        (
            {"header": ["Chỉ tiêu", "2019"], "rows": [["Kim ngạch xuất khẩu", "7,7%"]]},
            "bảng 1, dòng 2, cột 2019: '7,7%' là tỷ lệ, chỉ tiêu tính bằng 'triệu USD'",
        ),
        (
            {"header": ["Đơn vị", "Số lượng"], "rows": [["Sở A", "3"]]},
            "bảng 1: không có cột hoặc dòng năm",
        ),
        (
            {
                "header": ["Năm", "Kim ngạch xuất khẩu"],
                "rows": [["2019", "1.080"], ["2015-2020", "1.409"]],
            },
            "bảng 1, dòng 3: '2015-2020' không phải năm",
        ),
        (
            {"header": ["Năm", ""], "rows": [["2019", "1.409"]]},
            "bảng 1, cột 2: không có tên chỉ tiêu",
        ),
        (
            {"header": ["Chỉ tiêu", "2019"], "rows": [["", "1.409"]]},
            "bảng 1, dòng 2: có số liệu mà không có tên chỉ tiêu",
        ),
    ],
)
def test_a_table_that_cannot_be_read_whole_is_refused_with_the_reason(table, reason):
    assert read(table) == reason


def test_no_tables_is_nothing_to_read_and_a_blank_form_reads_as_no_figures():
    assert read() is None
    # A form left blank (`tongket new X.docx --outline`): the wanted rows, without values;
    # its first row "2019 | " is a body row, not a second header.
    blank = {
        "header": ["Năm", "Kim ngạch xuất khẩu (triệu USD)"],
        "rows": [["2019", ""], ["2020", "–"]],
    }
    assert values(read(blank)) == [(2019, None, False), (2020, None, False), (2021, None, False)]
