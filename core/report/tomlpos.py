"""Positions and messages for TOML, so a drafter reads "file:line: what is wrong" in Vietnamese.

tomllib reports positions only for syntax errors. For a value of the wrong type we know the
key's path (("sections", 2, "data", "periods")), and `KeyLocator` finds the line that defines
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
from collections.abc import Iterator

# Used with `match` (anchored where it starts), also as `match(text, start, end)` on one line.
_HEADER = re.compile(r"\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")


def _split_key(text: str) -> tuple[str, ...]:
    parts = re.findall(r""""[^"]*"|'[^']*'|[^.\s]+""", text)
    return tuple(part.strip("\"'") for part in parts)


class KeyLocator:
    """The lines of many paths in one TOML text, from one scan of it.

    The scan reads the table headers, as a reader would line by line: each sets the current
    table (`[sections.data]` after the third `[[sections]]` is ("sections", 2, "data")) until
    the next, and the inside of a multi-line string is skipped. The `key =` lines of a table are
    read the first time a path into it is asked for. A lookup takes the deepest defined prefix
    of the wanted path (the earliest line among equals, as the nearest enclosing definition)
    and looks inside that key's inline array or table for the rest, indexing such a value the
    first time it is looked into. Lines are found by regular expressions over the whole text:
    array items and prose, most of a report's lines, are never looked at in Python.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        # In `padded` a line-start pattern finds the first line too, and a match starts at the
        # "\n" before its line: at that line's own offset in `text`.
        self._padded = "\n" + text
        self._strings = _multiline_strings(text)  # (first, last) offsets inside each string
        self._quoted = _quoted_key_lines(text)  # (offset, `_KEY` match), few
        self._headers: dict[tuple, int] = {}  # table path → line of its first header
        # table path → where its key lines may be: (first, end) offsets, line number at first
        self._stretches: dict[tuple, list[tuple[int, int, int]]] = {}
        # table path → key → (line, offset just past "key ="), read on demand
        self._keys: dict[tuple, dict[str, tuple[int, int]]] = {}
        self._inline: dict[int, dict[tuple, int]] = {}  # value offset → relative path → offset
        self._line_starts: list[int] | None = None  # made when an inline value is looked into
        self._scan()

    def _inside_string(self, offset: int) -> bool:
        at = bisect.bisect_left(self._strings, (offset + 1,)) - 1
        return at >= 0 and offset <= self._strings[at][1]

    def _scan(self) -> None:
        text = self.text
        array_counts: dict[tuple, int] = {}
        names_of: dict[str, tuple[str, ...]] = {}  # a header's text → its names, split once
        current: tuple = ()
        first, number = 0, 1  # where the current table's stretch starts, and its line
        for header in _HEADER_LINE.finditer(self._padded):
            start = header.start()
            if self._strings and self._inside_string(start):
                continue
            self._stretches.setdefault(current, []).append((first, start, number))
            number += text.count("\n", first, start)
            written = header.group(2)
            names = names_of.get(written)
            if names is None:
                names = names_of[written] = _split_key(written)
            current = _resolve(names, array_counts, is_array=header.group(1) == "[[")
            self._headers.setdefault(current, number)
            first = start
        self._stretches.setdefault(current, []).append((first, len(self._padded), number))

    def _keys_of(self, table: tuple) -> dict[str, tuple[int, int]]:
        """The `key =` lines of a table: key → (line, offset past "="), the first of each."""
        keys = self._keys.get(table)
        if keys is not None:
            return keys
        keys = self._keys[table] = {}
        text, quoted = self.text, self._quoted
        for first, end, number in self._stretches.get(table, ()):
            found = [
                (match.start(), match.group(1), match.end() - 1)
                for match in _BARE_KEY_LINE.finditer(self._padded, first, end)
            ]
            low = bisect.bisect_left(quoted, (first,))
            high = bisect.bisect_left(quoted, (end,))
            if low < high:
                found += [
                    (start, key.group(1).strip("\"'"), key.end()) for start, key in quoted[low:high]
                ]
                found.sort()
            counted = first
            for start, key, value_at in found:
                if self._strings and self._inside_string(start):
                    continue
                number += text.count("\n", counted, start)
                counted = start
                keys.setdefault(key, (number, value_at))
        return keys

    def _entry(self, path: tuple) -> tuple[int, int] | None:
        """(line, offset past "=" or -1 for a header) of the first definition of `path`."""
        line = self._headers.get(path)
        key = self._keys_of(path[:-1]).get(path[-1]) if isinstance(path[-1], str) else None
        if key is not None and (line is None or key[0] < line):
            return key
        return None if line is None else (line, -1)

    def line(self, path: tuple) -> int | None:
        """The 1-based line defining `path`, or of its nearest enclosing definition, or None."""
        for depth in range(len(path), 0, -1):
            entry = self._entry(tuple(path[:depth]))
            if entry is None:
                continue
            number, value_at = entry
            if value_at < 0 or depth == len(path):
                return number
            # The rest lies inside this key's value: an inline array or table, maybe.
            inner = self._inline_offset(value_at, tuple(path[depth:]))
            return self._line_of(inner) if inner != value_at else number
        return None

    def _line_of(self, offset: int) -> int:
        if self._line_starts is None:
            self._line_starts = [0, *(match.end() for match in _NEWLINE.finditer(self.text))]
        return bisect.bisect_right(self._line_starts, offset)

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


_NEWLINE = re.compile("\n")
_TRIPLE_QUOTE = re.compile("\"\"\"|'''")
# `_HEADER` and the bare-key case of `_KEY`, each kept to one line and found after its "\n".
_HEADER_LINE = re.compile(
    r"\n[^\S\n]*(\[\[?)[^\S\n]*([^\]\n]+?)[^\S\n]*\]\]?[^\S\n]*(?:#[^\n]*)?(?=\n|\Z)"
)
_BARE_KEY_LINE = re.compile(r"\n[^\S\n]*([A-Za-z0-9_-]+)[^\S\n]*=")
#: A quote closing a quoted key, before the "=".
_QUOTE_EQUALS = re.compile(r"[\"'][^\S\n]*=")


def _lines_matching(pattern: re.Pattern, text: str) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of each line holding a match of `pattern`, once per line.

    The search runs in C over the whole text; Python only sees the lines that match.
    """
    line_end = -1
    for found in pattern.finditer(text):
        if found.start() <= line_end:
            continue  # a line already read
        start = text.rfind("\n", 0, found.start()) + 1
        line_end = text.find("\n", found.end())
        if line_end < 0:
            line_end = len(text)
        yield start, line_end


def _quoted_key_lines(text: str) -> list[tuple[int, re.Match]]:
    """(line offset, `_KEY` match) of every line defining a quoted key (`"name" = …`).

    Such a line has a quote followed by "=": found in C, then the line is read as a whole.
    """
    found: list[tuple[int, re.Match]] = []
    for start, line_end in _lines_matching(_QUOTE_EQUALS, text):
        # `match(text, start, end)` reads the line as if alone.
        key = _KEY.match(text, start, line_end)
        if key and key.group(1)[0] in "\"'":
            found.append((start, key))
    return found


def _multiline_strings(text: str) -> list[tuple[int, int]]:
    """The insides of multi-line strings as (first, last) offsets, each from a line start.

    A string opens on a line, not a header, that holds an odd number of one kind of triple
    quote, and takes the following lines up to and including the next line with an odd number
    of that kind. Only lines holding a triple quote can open or close one.
    """
    found: list[tuple[int, int]] = []
    in_string = ""  # the delimiter of the string we are in, if any
    opened = 0
    for start, line_end in _lines_matching(_TRIPLE_QUOTE, text):
        line = text[start:line_end]
        if in_string:
            if line.count(in_string) % 2:
                found.append((opened, line_end))
                in_string = ""
        elif not _HEADER.match(line):
            in_string = next((kind for kind in ('"""', "'''") if line.count(kind) % 2), "")
            opened = line_end + 1
    if in_string:
        found.append((opened, len(text)))
    return found


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
            return vietnamese.replace("{detail}", detail), line, column
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
