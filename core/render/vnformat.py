"""Vietnamese number, count, list and date formatting, in one place.

Every plugin formats through these functions (they reach plugins as `context.fmt`), so a
figure reads the same everywhere: decimal comma and thousands dot ("1.409", "7,7%",
"3,7 lần"), counts zero-padded below ten ("02 lượt đoàn"), and NĐ30 dates whose day is
zero-padded below ten and whose month is padded only for January and February
("ngày 02 tháng 4 năm 2021", "ngày 05 tháng 01 năm 2020").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

__all__ = [
    "attainment",
    "change",
    "compared",
    "count",
    "date_line",
    "date_numeric",
    "date_words",
    "join",
    "month",
    "multiple",
    "number",
    "parse_date_numeric",
    "parse_number",
    "percent",
    "round_half_up",
]


def round_half_up(value: float | int | Decimal, decimals: int) -> Decimal:
    """Round the way people and statistics offices do (7,65 → 7,7), not to even."""
    quantum = Decimal(1).scaleb(-decimals)
    exact = Decimal(str(value))
    if not exact.is_finite():
        raise ValueError(f"cannot round {value!r}")
    with localcontext() as context:
        # Enough digits for any magnitude: the default 28 would fail on 1e30 with decimals.
        context.prec = max(28, exact.adjusted() + decimals + 3)
        return exact.quantize(quantum, rounding=ROUND_HALF_UP)


def number(value: float | int | Decimal, decimals: int = 0) -> str:
    """1409 → "1.409"; 7.68 with 1 decimal → "7,7"; -1500050.3 with 2 → "-1.500.050,30"."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        raise ValueError(f"cannot format {value!r} as a number")
    rounded = round_half_up(value, decimals)
    sign = "-" if rounded < 0 else ""
    digits = f"{abs(rounded):.{decimals}f}"
    whole, _, fraction = digits.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    if fraction:
        text += "," + fraction
    if text.strip("0.,") == "":
        sign = ""  # -0,0 reads as 0,0
    return sign + text


def percent(value: float | int | Decimal, decimals: int = 1) -> str:
    """7.68 → "7,7%" (no space before the sign, as the statistics office prints it)."""
    return number(value, decimals) + "%"


def multiple(value: float | int | Decimal, decimals: int = 1) -> str:
    """3.698 → "3,7 lần"."""
    return number(value, decimals) + " lần"


def _whole_or_decimal_percent(value: float | int | Decimal, decimals: int) -> str:
    """ "100%" for what rounds to a whole number, else "92,3%": as plans and shares are written."""
    shown = round_half_up(value, decimals)
    return percent(shown, 0 if shown == shown.to_integral_value() else decimals)


def change(
    rate: float | int | Decimal, decimals: int = 1, *, per: str = "", manner: str = ""
) -> str:
    """A signed rate of change as a sentence says it: 7.68 → "tăng 7,7%", -2.2 → "giảm 2,2%",
    0.04 → "không đổi" (what rounds to 0,0% did not change, as printed).

    per: a unit of time after the percentage; manner: a word after the verb. With per="năm"
    and manner="bình quân": "tăng bình quân 7,7%/năm", "giảm bình quân 2,2%/năm". A template
    that writes "tăng {…}" before a raw rate would print "tăng -2,2%"; this never does.
    """
    shown = round_half_up(rate, decimals)
    if shown == 0:
        return "không đổi"
    verb = "tăng" if shown > 0 else "giảm"
    if manner:
        verb += f" {manner}"
    suffix = f"/{per}" if per else ""
    return f"{verb} {percent(abs(shown), decimals)}{suffix}"


def compared(ratio: float | int | Decimal, decimals: int = 1) -> str:
    """A value compared with a base value (ratio = value / base): above one as a multiple,
    otherwise as a share: 3.698 → "tăng gấp 3,7 lần", 0.923 → "bằng 92,3%", 1.0 → "bằng 100%".

    "gấp 1,0 lần" is never printed: a ratio that rounds to one decimal as 1,0 or less is a share.
    """
    if round_half_up(ratio, decimals) > 1:
        return f"tăng gấp {multiple(ratio, decimals)}"
    return f"bằng {_whole_or_decimal_percent(Decimal(str(ratio)) * 100, decimals)}"


def attainment(
    achieved: float | int | Decimal,
    target: float | int | Decimal,
    decimals: int = 1,
    unit: str = "%",
) -> str:
    """How a rate compares with its plan target, as the report says it:
    "vượt chỉ tiêu 7,5% đề ra", "đạt chỉ tiêu 7,5% đề ra", or
    "chưa đạt chỉ tiêu đề ra (đạt 7,1% so với 7,7%)".

    Compared as printed (one decimal by default), so "đạt" is what a reader checks by eye; a
    whole-number target prints without decimals ("20%"), as plans write it. unit: "%" for a
    rate of growth; another ("điểm phần trăm", the change of a rate that is itself in %) is
    written after the number: "vượt chỉ tiêu 1 điểm phần trăm đề ra".
    """
    shown = round_half_up(achieved, decimals)
    goal = round_half_up(target, decimals)

    def rate(value: Decimal, places: int) -> str:
        return percent(value, places) if unit == "%" else f"{number(value, places)} {unit}"

    target_text = rate(goal, 0 if goal == goal.to_integral_value() else decimals)
    if shown > goal:
        return f"vượt chỉ tiêu {target_text} đề ra"
    if shown == goal:
        return f"đạt chỉ tiêu {target_text} đề ra"
    if shown < 0:
        fell = f"giảm {rate(abs(shown), decimals)}"
        return f"chưa đạt chỉ tiêu đề ra ({fell} so với chỉ tiêu tăng {target_text})"
    return f"chưa đạt chỉ tiêu đề ra (đạt {rate(shown, decimals)} so với {target_text})"


def count(value: int, width: int = 2) -> str:
    """2 → "02", 12 → "12", 1409 → "1.409": counts of delegations, conferences, classes,
    items published (padded as the reference writes "02 lượt đoàn", grouped as any number)."""
    if value < 0:
        raise ValueError(f"a count cannot be negative: {value}")
    return f"{value:0{width}d}" if value < 1000 else number(value)


def with_unit(number: str, unit: str) -> str:
    """A printed number and its unit: "1.409 triệu USD", "32,1%" (the percent sign stays on
    its number, as every rate in the text prints), "12" without a unit."""
    unit = unit.strip()
    if unit == "%":
        return number + unit
    return f"{number} {unit}".rstrip()


def join(items: Iterable[object], last: str = "và") -> str:
    """["2017", "2018", "2019"] → "2017, 2018 và 2019"."""
    words = [str(item) for item in items]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {last} " + words[-1]


#: The dash of a period in running text, spaced as the reference writes "2011 – 2015".
PERIOD_DASH = " – "


def year_runs(years: Iterable[int], dash: str = "–", shortest: int = 3) -> str:
    """Years as runs, each once: [2010, …, 2021] → "2010–2021"; [2010, 2011, 2012, 2015, 2017]
    → "2010–2012, 2015 và 2017". Runs shorter than `shortest` stay apart ("2019 và 2020")."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    items: list[str] = []
    for run in runs:
        items.extend([f"{run[0]}{dash}{run[-1]}"] if len(run) >= shortest else map(str, run))
    return join(items)


def prose_years(years: Iterable[int]) -> str:
    """Years in running text: each once, four or more in a row as a period with the spaced
    dash ("2012 – 2020"), fewer named as a real report names them ("2017, 2018 và 2019")."""
    return year_runs(years, PERIOD_DASH, shortest=4)


def month(value: int) -> str:
    """NĐ30 month: 1 → "01", 2 → "02", 3 → "3", 12 → "12"."""
    if not 1 <= value <= 12:
        raise ValueError(f"no month {value}")
    return f"{value:02d}" if value <= 2 else str(value)


def date_words(date: dt.date) -> str:
    """2021-04-02 → "ngày 02 tháng 4 năm 2021"."""
    return f"ngày {date.day:02d} tháng {month(date.month)} năm {date.year}"


def date_line(place: str, date: dt.date) -> str:
    """The place-and-date line: "Quảng Ngãi, ngày 02 tháng 4 năm 2021"."""
    return f"{place}, {date_words(date)}"


def date_numeric(date: dt.date) -> str:
    """2011-07-06 → "06/7/2011", the form used when citing documents."""
    return f"{date.day:02d}/{month(date.month)}/{date.year}"


_NUMBER = re.compile(r"^(-?)(\d{1,3}(?:\.\d{3})*|\d+)(?:,(\d+))?$")


def parse_number(text: str) -> Decimal:
    """Read a number written the Vietnamese way: "1.409" → 1409, "7,7" → 7.7, "3,7 lần" → 3.7."""
    cleaned = text.strip().removesuffix("%").removesuffix(" lần").strip()
    match = _NUMBER.match(cleaned)
    if not match:
        raise ValueError(f"not a Vietnamese number: {text!r}")
    sign, whole, fraction = match.groups()
    try:
        # As many decimal places as written ("12,50" → 12.50, "500" → 500): a reader of a table
        # keeps the precision the writer gave.
        return Decimal(f"{sign}{whole.replace('.', '')}" + (f".{fraction}" if fraction else ""))
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only digits
        raise ValueError(f"not a Vietnamese number: {text!r}") from error


#: "7.7", "-0.25": a point typed the English way, never a thousands separator (no Vietnamese
#: thousands group is that short).
_POINT = re.compile(r"-?\d+\.\d{1,2}")


def read_number(text: str) -> Decimal:
    """A number as people type it: the Vietnamese way ("1.409", "7,7", "-2,2"), or with a lone
    point and one or two decimals ("7.7"). Anything else ("1e5", "20x5", "1 409") raises
    ValueError: it is refused whole, never read in part."""
    try:
        return parse_number(text)
    except ValueError:
        pass
    if _POINT.fullmatch(text):
        return Decimal(text)
    raise ValueError(f"not a number: {text!r}")


def parse_date_numeric(text: str) -> dt.date:
    """Read "06/7/2011" or "05/01/2020" back into a date."""
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text.strip())
    if not match:
        raise ValueError(f"not a date in the form dd/m/yyyy: {text!r}")
    day, month_, year = (int(part) for part in match.groups())
    return dt.date(year, month_, day)
