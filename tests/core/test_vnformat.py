"""Vietnamese number, count, list and date formats."""

import datetime as dt
from decimal import Decimal

import pytest

from tongket.core.render import vnformat


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1409, 0, "1.409"),
        (271, 0, "271"),
        (1500050.30, 2, "1.500.050,30"),
        (7.68, 1, "7,7"),
        (7.65, 1, "7,7"),  # half-up, not to even
        (7.64, 1, "7,6"),
        (0.04, 1, "0,0"),
        (-0.04, 1, "0,0"),
        (-1234.5, 1, "-1.234,5"),
        (1000000, 0, "1.000.000"),
    ],
)
def test_number_uses_decimal_comma_and_thousands_dot(value, decimals, expected):
    assert vnformat.number(value, decimals) == expected


def test_percent_multiple_and_count():
    assert vnformat.percent(29.06) == "29,1%"
    assert vnformat.multiple(3.698) == "3,7 lần"
    assert vnformat.count(2) == "02"
    assert vnformat.count(3) + " Hội nghị" == "03 Hội nghị"
    assert vnformat.count(12) == "12"
    assert vnformat.count(1409) == "1.409"  # a count is still a Vietnamese number
    with pytest.raises(ValueError):
        vnformat.count(-1)


def test_number_refuses_nan_and_infinity():
    with pytest.raises(ValueError):
        vnformat.number(float("nan"))
    with pytest.raises(ValueError):
        vnformat.number(float("inf"))


def test_join_lists_with_va():
    assert vnformat.join(["2017", "2018", "2019"]) == "2017, 2018 và 2019"
    assert vnformat.join([2011, 2014]) == "2011 và 2014"
    assert vnformat.join(["2011"]) == "2011"
    assert vnformat.join([]) == ""


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2021, 4, 2), "ngày 02 tháng 4 năm 2021"),
        (dt.date(2020, 1, 5), "ngày 05 tháng 01 năm 2020"),
        (dt.date(2020, 2, 29), "ngày 29 tháng 02 năm 2020"),
        (dt.date(2020, 3, 5), "ngày 05 tháng 3 năm 2020"),
        (dt.date(2019, 6, 29), "ngày 29 tháng 6 năm 2019"),
        (dt.date(2019, 12, 10), "ngày 10 tháng 12 năm 2019"),
    ],
)
def test_date_words_follow_nd30_leading_zero_rule(date, expected):
    assert vnformat.date_words(date) == expected


def test_date_line_and_numeric_dates():
    assert vnformat.date_line("Quảng Ngãi", dt.date(2021, 4, 2)) == (
        "Quảng Ngãi, ngày 02 tháng 4 năm 2021"
    )
    assert vnformat.date_numeric(dt.date(2011, 7, 6)) == "06/7/2011"
    assert vnformat.date_numeric(dt.date(2020, 1, 5)) == "05/01/2020"


@pytest.mark.parametrize("text", ["1.409", "7,7", "1.500.050,30", "-12,5", "0"])
def test_parse_number_round_trips(text):
    value = vnformat.parse_number(text)
    decimals = len(text.partition(",")[2])
    assert vnformat.number(value, decimals) == text


def test_parse_number_reads_units_and_rejects_english():
    assert vnformat.parse_number("7,7%") == Decimal("7.7")
    assert vnformat.parse_number("3,7 lần") == Decimal("3.7")
    for bad in ("1,409.5", "abc", "1.40", ""):
        with pytest.raises(ValueError):
            vnformat.parse_number(bad)


def test_parse_date_numeric_round_trips():
    for date in (dt.date(2011, 7, 6), dt.date(2020, 1, 5), dt.date(2016, 6, 30)):
        assert vnformat.parse_date_numeric(vnformat.date_numeric(date)) == date


def test_number_formats_any_magnitude():
    assert vnformat.number(1.5e30, 2).endswith(".000,00")
    assert vnformat.number(10**24) == "1" + ".000" * 8


@pytest.mark.parametrize(
    ("rate", "kwargs", "expected"),
    [
        (7.68, {}, "tăng 7,7%"),
        (-2.2, {}, "giảm 2,2%"),
        (0.04, {}, "không đổi"),
        (-0.04, {}, "không đổi"),
        (-2.2, {"per": "năm", "manner": "bình quân"}, "giảm bình quân 2,2%/năm"),
        (29.94, {"per": "năm"}, "tăng 29,9%/năm"),
    ],
)
def test_change_says_the_direction(rate, kwargs, expected):
    assert vnformat.change(rate, **kwargs) == expected


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (3.698, "tăng gấp 3,7 lần"),
        (1.4, "tăng gấp 1,4 lần"),
        (0.923, "bằng 92,3%"),
        (1.0, "bằng 100%"),
        (1.04, "bằng 104%"),  # "gấp 1,0 lần" is never written
    ],
)
def test_compared_is_a_multiple_only_above_one(ratio, expected):
    assert vnformat.compared(ratio) == expected


@pytest.mark.parametrize(
    ("achieved", "target", "expected"),
    [
        (8.0, 7.5, "vượt chỉ tiêu 7,5% đề ra"),
        (7.54, 7.5, "đạt chỉ tiêu 7,5% đề ra"),  # compared as printed
        (20.0, 20, "đạt chỉ tiêu 20% đề ra"),
        (7.1, 7.7, "chưa đạt chỉ tiêu đề ra (đạt 7,1% so với 7,7%)"),
        (-2.2, 5, "chưa đạt chỉ tiêu đề ra (giảm 2,2% so với chỉ tiêu tăng 5%)"),
    ],
)
def test_attainment_reads_as_a_clerk_writes_it(achieved, target, expected):
    assert vnformat.attainment(achieved, target) == expected


def test_year_runs_compress_consecutive_years():
    # A merge's finding listed "(2010, 2011, 2012, …, 2021)" for a body that gave no year.
    assert vnformat.year_runs(range(2010, 2022)) == "2010–2021"
    assert vnformat.year_runs([2017, 2010, 2011, 2012, 2015, 2011]) == "2010–2012, 2015 và 2017"
    assert vnformat.year_runs([2019, 2020]) == "2019 và 2020"
    assert vnformat.year_runs([2013]) == "2013"
    assert vnformat.year_runs([]) == ""
