"""A field's value as the text a person types or reads, and back (Vietnamese numbers, dates).

One conversion for every place text becomes a value: the drafting app's inputs and table
cells, and the cells of a Word reply's tables read against an outline
(`tongket.core.workflow.wanted.read_record_tables`). Numbers are written the Vietnamese way
("1.409", "7,7"), dates as dd/mm/yyyy; a text that does not fit raises `FieldValueError`
with what was expected, in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tongket.core.host.sectiontypes import Field
from tongket.core.render.vnformat import number, parse_date_numeric, read_number
from tongket.core.report.editing import MISSING

__all__ = [
    "FieldValueError",
    "decimal_text",
    "format_value",
    "parse_date",
    "parse_decimal",
    "parse_value",
]


def format_value(field: Field, value: Any) -> str:
    """A stored value as the text an input shows (Vietnamese numbers, dd/mm/yyyy dates)."""
    if value is MISSING or value is None:
        return ""
    kind = field.kind
    if kind == "integer" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # years and counts: "2011", never "2.011"
    if kind == "decimal" and isinstance(value, int | float) and not isinstance(value, bool):
        return decimal_text(value)
    if kind == "date":
        if isinstance(value, dt.date):
            return f"{value.day:02d}/{value.month:02d}/{value.year}"
        return str(value)
    if kind == "choice":
        return dict(field.choices).get(value, str(value))
    if kind == "bool":
        return "có" if value else "không"
    if kind == "list" and isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if kind == "records" and isinstance(value, list):
        return f"({len(value)} dòng)"
    return str(value)


def decimal_text(value: float | int | Decimal) -> str:
    """1409 → "1.409", 7.68 → "7,68": as many decimals as the value has (up to 6)."""
    text = f"{Decimal(str(value)).normalize():f}"
    decimals = len(text.partition(".")[2])
    return number(value, min(decimals, 6))


class FieldValueError(ValueError):
    """Text that does not fit the field; the message says what was expected (Vietnamese)."""


def parse_value(field: Field, text: str) -> Any:
    """The value for typed `text` (MISSING when left empty); raises `FieldValueError`."""
    kind = field.kind
    stripped = text.strip()
    if kind in ("text", "longtext"):
        return text
    if kind == "list":
        separator = "\n" if "\n" in text else ";"
        return [item.strip() for item in text.split(separator) if item.strip()]
    if not stripped:
        return MISSING
    if kind == "integer":
        amount = _number(stripped, "cần một số nguyên, ví dụ 2021 hoặc 1.409")
        if amount != amount.to_integral_value():
            raise FieldValueError("cần một số nguyên, không có phần thập phân")
        return int(amount)
    if kind == "decimal":
        return parse_decimal(stripped)
    if kind == "date":
        return parse_date(stripped)
    if kind == "choice":
        for value, label in field.choices:
            if stripped in (value, label):
                return value
        said = " ".join(stripped.casefold().split())
        for word, value in field.choice_words:
            if said == " ".join(word.casefold().split()):
                return value
        raise FieldValueError("cần một trong: " + ", ".join(label for _, label in field.choices))
    if kind == "bool":
        if stripped.lower() in ("có", "co", "true", "1", "x", "đúng"):
            return True
        if stripped.lower() in ("không", "khong", "false", "0", "sai"):
            return False
        raise FieldValueError("cần 'có' hoặc 'không'")
    return text


def parse_decimal(text: str) -> int | float:
    """ "1.409" → 1409, "7,7" → 7.7, "-2,2" → -2.2; a lone dot with 1–2 decimals ("7.7") is
    read as a point, since no Vietnamese number has a thousands group that short."""
    amount = _number(text.strip(), "cần một số, ví dụ 1.409 hoặc 7,7")
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _number(text: str, expected: str) -> Decimal:
    """The one number syntax of every number field (`vnformat.read_number`): '.' groups
    thousands, ',' is the decimal sign, a leading '-' for negatives."""
    try:
        return read_number(text)
    except ValueError:
        raise FieldValueError(f"{expected} (dấu chấm ngăn nghìn, dấu phẩy thập phân)") from None


def parse_date(text: str) -> dt.date:
    """ "02/4/2021" or "2021-04-02" → a date; anything else says which form is expected."""
    try:
        return parse_date_numeric(text)
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise FieldValueError(
            "cần một ngày có thật, dạng ngày/tháng/năm, ví dụ 02/4/2021"
        ) from None
