"""Reading a parsed TOML file into dataclasses, naming the key at fault on any mismatch.

The report file (`store`), an included section file and an outline (đề cương,
`tongket.core.workflow.outline`) are read the same way: parse the text (syntax errors with
line and column), NFC every string, then walk the table with a `TableReader`, whose checks
raise `ReportFileError` with the file, the dotted key and its line.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import TYPE_CHECKING, Any

from tongket.core.host.fieldcheck import YEAR_RANGE
from tongket.core.problems import ReportFileError, did_you_mean, dotted
from tongket.core.report.tomlread import TomlSyntaxError, parse_toml

if TYPE_CHECKING:
    from tongket.core.report.tomlpos import KeyLocator


def parse_table(text: str, file: str) -> dict[str, Any]:
    """The TOML table of `text`, NFC throughout; a syntax error names its line and column."""
    try:
        table = parse_toml(text)
    except TomlSyntaxError as error:
        # The text scanners load only for a file that fails (also in `TableReader.fail`).
        from tongket.core.report.tomlpos import toml_error_message

        message, line, column = toml_error_message(str(error), text)
        raise ReportFileError(
            file, f"TOML không hợp lệ: {message}", line=line, column=column
        ) from None
    except RecursionError:
        raise ReportFileError(file, "TOML không hợp lệ: mảng hoặc bảng lồng nhau quá sâu") from None
    except ValueError:  # Python refuses integers of more than 4.300 digits
        raise ReportFileError(
            file, "TOML không hợp lệ: có số nguyên quá dài (hàng nghìn chữ số)"
        ) from None
    try:
        return table if _already_normal(text) else normalize_text(table)
    except RecursionError:
        raise ReportFileError(file, "dữ liệu lồng nhau quá sâu") from None


def _already_normal(text: str) -> bool:
    r"""Whether every string TOML parses from `text` is NFC with "\n" line ends already, so
    `normalize_text` can be skipped (a long report's strings are tens of thousands).

    True when the text has no CR and no backslash (an escape such as \u0301 or \r makes a
    character the text does not show) and is NFC itself. Then so is each string in it: a
    string lies between quotes, which no combining mark or composition joins to its text.
    """
    return "\r" not in text and "\\" not in text and unicodedata.is_normalized("NFC", text)


def normalize_text(value: Any) -> Any:
    """NFC text with "\\n" line ends in every string of nested tables and arrays."""
    if isinstance(value, str):
        # Decomposed Vietnamese (pasted from macOS) breaks search; a "\r\n" pasted from Windows
        # would not survive a save, since multi-line TOML strings keep plain newlines.
        if "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        if value.isascii():  # most keys and many values: NFC already, and cheaper to know
            return value
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {normalize_text(key): normalize_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalize_text(item) for item in value]
    return value


def describe(value: Any) -> str:
    """What a wrong value is, for messages: "một chuỗi ('abc')", "một bảng", …"""
    names = {
        str: "một chuỗi", int: "một số nguyên", float: "một số thập phân", bool: "đúng/sai",
        list: "một danh sách", dict: "một bảng", dt.date: "một ngày", dt.datetime: "ngày giờ",
    }  # fmt: skip
    return names.get(type(value), type(value).__name__) + (
        f" ({value!r})" if isinstance(value, str | int | float) and len(repr(value)) < 40 else ""
    )


class TableReader:
    """Checks on a parsed table of `file` (whose text is `text`); each failure is a
    `ReportFileError` naming the dotted key and the line that defines it."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.text = text
        self._locator: KeyLocator | None = None  # built on the first failure only

    def fail(self, path: tuple, message: str) -> ReportFileError:
        if self._locator is None:
            from tongket.core.report.tomlpos import KeyLocator

            self._locator = KeyLocator(self.text)
        line = self._locator.line(path)
        return ReportFileError(self.file, message, key=dotted(path), line=line)

    def expect(self, path: tuple, value: Any, kind: type | tuple[type, ...], what: str) -> Any:
        # bool is an int in Python, but `year = true` is never what a drafter meant.
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise self.fail(path, f"cần {what}, gặp giá trị đúng/sai")
        if not isinstance(value, kind):
            raise self.fail(path, f"cần {what}, gặp {describe(value)}")
        return value

    def check_keys(self, path: tuple, table: dict, known: tuple[str, ...]) -> None:
        for key in table:
            if key not in known:
                hint = did_you_mean(key, known)
                allowed = ", ".join(known)
                raise self.fail(
                    (*path, key), f"khóa không được biết (các khóa hợp lệ: {allowed}){hint}"
                )

    def text_field(self, path: tuple, table: dict, key: str, default: str = "") -> str:
        value = table.get(key, default)
        if type(value) is str:
            return value  # the usual case, without building the key's path
        return self.expect((*path, key), value, str, "một chuỗi văn bản")

    def text_list(self, path: tuple, table: dict, key: str) -> list[str]:
        values = self.expect((*path, key), table.get(key, []), list, "một danh sách chuỗi")
        for index, value in enumerate(values):
            self.expect((*path, key, index), value, str, "một chuỗi văn bản")
        return list(values)

    def date_field(self, path: tuple, table: dict, key: str) -> dt.date | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise self.fail(
                    (*path, key), f"ngày không có thật hoặc sai dạng: '{value}' (cần YYYY-MM-DD)"
                ) from None
        raise self.fail((*path, key), f"cần một ngày dạng YYYY-MM-DD, gặp {describe(value)}")

    def year_field(self, path: tuple, table: dict, key: str) -> int | None:
        if key not in table:
            return None
        value = self.expect((*path, key), table[key], int, "một năm (số nguyên)")
        low, high = YEAR_RANGE
        if not low <= value <= high:
            raise self.fail((*path, key), f"cần một năm trong khoảng {low}–{high}, gặp {value}")
        return value
