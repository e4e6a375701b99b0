"""Find the line of a key in TOML text, so messages can say "file:line" as well as the key.

tomllib reports positions only for syntax errors. For a value of the wrong type we know the
key's path (("sections", 2, "data", "periods")), and this scanner finds the line that defines
it or, failing that, the nearest enclosing table header. It understands table headers
(`[a.b]`), arrays of tables (`[[sections]]`) and `key =` lines; that covers files people write.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")


def _split_key(text: str) -> tuple[str, ...]:
    parts = re.findall(r""""[^"]*"|'[^']*'|[^.\s]+""", text)
    return tuple(part.strip("\"'") for part in parts)


def locate_key(text: str, path: tuple) -> int | None:
    """The 1-based line defining `path` (ints are array positions from 0), or None."""
    best_line: int | None = None
    best_depth = 0
    array_counts: dict[tuple, int] = {}
    current: tuple = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            names = _split_key(header.group(2))
            current = _resolve(names, array_counts, is_array=header.group(1) == "[[")
            depth = _common_depth(current, path)
            if depth > best_depth:
                best_line, best_depth = number, depth
            continue
        key = _KEY.match(line)
        if key:
            full = (*current, key.group(1).strip("\"'"))
            depth = _common_depth(full, path)
            if depth > best_depth:
                best_line, best_depth = number, depth
    return best_line


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
