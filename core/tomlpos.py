"""Positions and messages for TOML, so a drafter reads "file:line: what is wrong" in Vietnamese.

tomllib reports positions only for syntax errors. For a value of the wrong type we know the
key's path (("sections", 2, "data", "periods")), and `locate_key` finds the line that defines
it or, failing that, the nearest enclosing table header. It understands table headers
(`[a.b]`), arrays of tables (`[[sections]]`), `key =` lines, elements of arrays and inline
tables spread over several lines (`series = [ {year = 2015, …}, … ]`), and skips the inside of
multi-line strings; that covers files people write. `toml_error_message` puts tomllib's
syntax errors into Vietnamese.

`KeyLocator` reads the text once and answers any number of paths from an index, each in time
proportional to the path's depth: `tongket check` places thousands of findings in a big file
without scanning it again for each one (which grew with the square of the findings).
"""

from __future__ import annotations

import ast
import bisect
import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")


def _split_key(text: str) -> tuple[str, ...]:
    parts = re.findall(r""""[^"]*"|'[^']*'|[^.\s]+""", text)
    return tuple(part.strip("\"'") for part in parts)


def locate_key(text: str, path: tuple) -> int | None:
    """The 1-based line defining `path` (ints are array positions from 0), or None."""
    return KeyLocator(text).line(path)


class KeyLocator:
    """The lines of many paths in one TOML text, from one scan of it.

    The scan records every table header and `key =` line under its resolved path; a lookup
    takes the deepest recorded prefix of the wanted path (the earliest line among equals, as
    the nearest enclosing definition), and looks inside that key's inline array or table for
    the rest. Inline values are indexed the first time one is looked into.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._line_starts: list[int] = []
        # path → (line, offset just past "key =", or -1 for a table header)
        self._entries: dict[tuple, tuple[int, int]] = {}
        self._inline: dict[int, dict[tuple, int]] = {}  # value offset → relative path → offset
        self._scan()

    def _scan(self) -> None:
        text = self.text
        array_counts: dict[tuple, int] = {}
        current: tuple = ()
        in_string = ""  # the delimiter of a multi-line string being skipped, if any
        offset = 0
        # Split on "\n" only: TOML's line ends (str.splitlines would also break at U+2028, …).
        for number, line in enumerate(text.split("\n"), start=1):
            start, offset = offset, offset + len(line) + 1
            self._line_starts.append(start)
            if in_string:
                if line.count(in_string) % 2:
                    in_string = ""
                continue
            header = _HEADER.match(line)
            if header:
                names = _split_key(header.group(2))
                current = _resolve(names, array_counts, is_array=header.group(1) == "[[")
                self._entries.setdefault(current, (number, -1))
                continue
            key = _KEY.match(line)
            if key:
                full = (*current, key.group(1).strip("\"'"))
                self._entries.setdefault(full, (number, start + key.end()))
            in_string = next((quote for quote in ('"""', "'''") if line.count(quote) % 2), "")

    def line(self, path: tuple) -> int | None:
        """The 1-based line defining `path`, or of its nearest enclosing definition, or None."""
        for depth in range(len(path), 0, -1):
            entry = self._entries.get(tuple(path[:depth]))
            if entry is None:
                continue
            number, value_at = entry
            if value_at < 0 or depth == len(path):
                return number
            # The rest lies inside this key's value: an inline array or table, maybe.
            inner = self._inline_offset(value_at, tuple(path[depth:]))
            return bisect.bisect_right(self._line_starts, inner) if inner != value_at else number
        return None

    def _inline_offset(self, value_at: int, rest: tuple) -> int:
        index = self._inline.get(value_at)
        if index is None:
            index = self._inline[value_at] = {}
            _index_value(self.text, value_at, (), index)
        for depth in range(len(rest), 0, -1):
            found = index.get(rest[:depth])
            if found is not None:
                return found
        return value_at


def _resolve(names: tuple[str, ...], array_counts: dict[tuple, int], *, is_array: bool) -> tuple:
    # Replace each array-of-tables name with the position of its latest element, so that
    # `[sections.data]` after the third `[[sections]]` becomes ("sections", 2, "data").
    resolved: list = []
    prefix: tuple[str, ...] = ()
    for index, name in enumerate(names):
        prefix = (*prefix, name)
        resolved.append(name)
        last = index == len(names) - 1
        if last and is_array:
            array_counts[prefix] = array_counts.get(prefix, -1) + 1
            for key in [
                key for key in array_counts if key[: len(prefix)] == prefix and key != prefix
            ]:
                del array_counts[key]  # a new element starts its nested arrays afresh
            resolved.append(array_counts[prefix])
        elif prefix in array_counts:
            resolved.append(array_counts[prefix])
    return tuple(resolved)


def _common_depth(found: tuple, wanted: tuple) -> int:
    if len(found) > len(wanted) or wanted[: len(found)] != found:
        return 0
    return len(found)


# tomllib's messages, in the words a drafter reads (Vietnamese); the key is the English text
# up to any quoted detail, which is carried over.
_TOML_MESSAGES = (
    ("Invalid date or datetime", "ngày không có thật hoặc sai dạng (cần YYYY-MM-DD)"),
    ("Unterminated string", "chuỗi chưa đóng (thiếu dấu ngoặc kép ở cuối)"),
    ("Illegal character", "ký tự điều khiển {detail} không được có trong tệp TOML"),
    ("Invalid value", "giá trị không hợp lệ (chuỗi phải đặt trong ngoặc kép, số thập phân "
     "dùng dấu chấm, đúng/sai viết true/false)"),
    ("Invalid statement", "dòng không hợp lệ (cần 'khóa = giá trị' hoặc tiêu đề bảng '[...]')"),
    ("Expected newline or end of document after a statement",
     "thừa nội dung sau giá trị; mỗi dòng chỉ một 'khóa = giá trị'"),
    ("Expected '=' after a key in a key/value pair", "thiếu '=' sau khóa"),
    ("Expected ']' at the end of a table declaration", "thiếu ']' ở cuối tiêu đề bảng"),
    ("Expected ']]' at the end of an array declaration", "thiếu ']]' ở cuối tiêu đề mảng bảng"),
    ("Invalid initial character for a key part",
     "khóa bắt đầu bằng ký tự không hợp lệ (khóa có dấu hoặc khoảng trắng phải đặt trong "
     "ngoặc kép)"),
    ("Unclosed array", "mảng chưa đóng (thiếu ']' hoặc thiếu dấu phẩy giữa các phần tử)"),
    ("Unclosed inline table", "bảng một dòng chưa đóng (thiếu '}' hoặc xuống dòng bên trong)"),
    ("Unescaped '\\' in a string",
     "dấu '\\' trong chuỗi phải viết là '\\\\' (hoặc dùng chuỗi trong nháy đơn '...')"),
    ("Invalid hex value", "mã \\u hoặc \\U trong chuỗi không hợp lệ"),
    ("Escaped character is not a Unicode scalar value",
     "mã \\u hoặc \\U trong chuỗi không phải ký tự Unicode hợp lệ"),
    ("Cannot overwrite a value", "khóa này đã có giá trị ở trên (gán hai lần)"),
    ("Cannot declare", "bảng [{detail}] được khai báo hai lần"),
    ("Cannot redefine namespace", "không được khai báo lại {detail}"),
    ("Cannot mutate immutable namespace", "không được thêm khóa vào {detail} (đã viết trọn "
     "trên một dòng)"),
    ("Duplicate inline table key", "khóa {detail} lặp lại trong bảng một dòng"),
    ("Found invalid character", "ký tự không hợp lệ {detail}"),
    ("Expected", "thiếu {detail}"),
)  # fmt: skip
_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


def toml_error_message(message: str, text: str) -> tuple[str, int | None, int | None]:
    """A tomllib error as (Vietnamese message, line, column); the end of the text counts."""
    line = column = None
    match = _POSITION.search(message)
    if match:
        if match.group(1):
            line, column = int(match.group(1)), int(match.group(2))
        else:  # "at end of document": point at the last line
            line = text.count("\n") + (0 if text.endswith("\n") else 1) or 1
        message = message[: match.start()]
    if message in ("Illegal character '\\n'", "Illegal character '\\r'"):
        # A one-line string running into the end of its line: a quote is missing.
        return "chuỗi chưa đóng (thiếu dấu ngoặc kép ở cuối dòng)", line, column
    for english, vietnamese in _TOML_MESSAGES:
        if message.startswith(english):
            detail = _readable(message[len(english) :].strip().removesuffix("twice").strip())
            return vietnamese.format(detail=detail), line, column
    return message, line, column


def _readable(detail: str) -> str:
    # tomllib shows characters and keys as Python reprs: "'\\x07'", "('sections', 'data')".
    try:
        value = ast.literal_eval(detail) if detail else ""
    except (ValueError, SyntaxError):
        return detail
    if isinstance(value, tuple):
        return ".".join(str(part) for part in value)
    if isinstance(value, str) and len(value) == 1 and not value.isprintable():
        return f"U+{ord(value):04X}"
    return f"'{value}'" if isinstance(value, str) else detail


# -- positions inside inline arrays and tables: `series = [ {year = 2015, value = 381}, … ]` --


def _inline_position(text: str, position: int, rest: tuple) -> int:
    """The offset of the deepest part of `rest` found inside the value starting at `position`."""
    found = position
    for part in rest:
        position = _skip_blank(text, position)
        opener = "[" if isinstance(part, int) else "{"
        if position >= len(text) or text[position] != opener:
            break
        inner = _element(text, position, part) if opener == "[" else _member(text, position, part)
        if inner is None:
            break
        found = position = inner
    return found


def _skip_blank(text: str, position: int) -> int:
    while position < len(text):
        if text[position] in " \t\r\n":
            position += 1
        elif text[position] == "#":
            end = text.find("\n", position)
            position = len(text) if end < 0 else end
        else:
            break
    return position


def skip_string(text: str, start: int) -> int:
    """The offset just past the TOML string (any of the four kinds) that opens at `start`."""
    quote = text[start]
    delimiter = quote * 3 if text.startswith(quote * 3, start) else quote
    position = start + len(delimiter)
    while position < len(text):
        if quote == '"' and text[position] == "\\":
            position += 2  # an escape: \" does not end the string, \\ is one backslash
        elif text.startswith(delimiter, position):
            if len(delimiter) == 3:
                # `""""` closes with a quote inside: the last three of a run of up to five.
                run = 3
                while run < 5 and text.startswith(quote, position + run):
                    run += 1
                return position + run
            return position + 1
        elif text[position] == "\n" and len(delimiter) == 1:
            return position  # a one-line string cannot go on (malformed text): stop here
        else:
            position += 1
    return position


def _skip_value(text: str, position: int) -> int:
    # Past one value: a string, a bracketed array or table (nested), or a bare word.
    depth = 0
    while position < len(text):
        char = text[position]
        if char in "\"'":
            position = skip_string(text, position)
            if depth == 0:
                return position
            continue
        if char in "[{":
            depth += 1
        elif char in "]}":
            if depth == 0:
                return position
            depth -= 1
            if depth == 0:
                return position + 1
        elif depth == 0 and char in ",\n#":
            return position
        position += 1
    return position


def _element(text: str, position: int, index: int) -> int | None:
    position += 1  # past "["
    for _ in range(index):
        position = _skip_value(text, _skip_blank(text, position))
        position = _skip_blank(text, position)
        if position >= len(text) or text[position] != ",":
            return None
        position += 1
    position = _skip_blank(text, position)
    return None if position >= len(text) or text[position] == "]" else position


_INLINE_KEY = re.compile(r"""\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=\s*""")


def _member(text: str, position: int, name: str) -> int | None:
    position += 1  # past "{"
    while True:
        match = _INLINE_KEY.match(text, position)
        if not match:
            return None
        if match.group(1).strip("\"'") == name:
            return match.end()
        position = _skip_blank(text, _skip_value(text, match.end()))
        if position >= len(text) or text[position] != ",":
            return None
        position += 1


def _index_value(text: str, position: int, path: tuple, index: dict[tuple, int]) -> None:
    """Record where every element and member inside the inline value at `position` starts.

    The same reading as `_element` and `_member` (first of equal member names wins), done once
    for the whole value instead of once per lookup.
    """
    position = _skip_blank(text, position)
    if position >= len(text) or text[position] not in "[{":
        return
    if text[position] == "[":
        position += 1
        element = 0
        while True:
            position = _skip_blank(text, position)
            if position >= len(text) or text[position] == "]":
                return
            index.setdefault((*path, element), position)
            _index_value(text, position, (*path, element), index)
            position = _skip_blank(text, _skip_value(text, position))
            if position >= len(text) or text[position] != ",":
                return
            position += 1
            element += 1
    position += 1  # past "{"
    while True:
        match = _INLINE_KEY.match(text, position)
        if not match:
            return
        member = (*path, match.group(1).strip("\"'"))
        if member not in index:
            index[member] = match.end()
            _index_value(text, match.end(), member, index)
        position = _skip_blank(text, _skip_value(text, match.end()))
        if position >= len(text) or text[position] != ",":
            return
        position += 1
