"""Parsing TOML text for the store: rtoml or tomli's compiled parser when installed, else tomllib.

tomli 2.2–2.3 ships mypyc-compiled wheels that parse a report about three times faster than
the standard library's `tomllib` (the same code, pure Python): 0,11 s instead of 0,30–0,35 s for
the 1.000-section benchmark report. Both read TOML 1.0 and answer alike, the same tables and the
same syntax error messages, so the drafter sees no difference. tomli 2.4 and later read TOML 1.1
(which accepts files tomllib refuses) and a pure-Python tomli is no faster: neither is used.

One difference is smoothed over: compiled tomli refuses inline arrays and tables nested more than
400 deep (a C stack overflow would crash the process), where tomllib goes on to about 490 levels
before Python's recursion limit. Such a file is read again with tomllib, so what it says (a
value, a syntax error or a `RecursionError`) is what tongket says, as before.

First of all, rtoml (Rust) reads the text when it can be trusted to read it exactly as
tomllib does: about three times faster again than compiled tomli (0,04 s against 0,13 s for the
1.000-section benchmark report), which is most of opening a large report in the app and of
`tongket check`; not for a text of very many values, which it reads with a large peak of memory
(`RUST_MAX_QUOTES`). rtoml reads TOML 1.1, and keeps a CR before a line break inside multi-line
strings where TOML 1.0 readers drop it, so a text that holds anything TOML 1.1 added (a `\\e`
or `\\x` escape, a line break or trailing comma in an inline table), a time of day, a CR or a
byte-order mark is left to the readers above; so is anything rtoml refuses (an
integer beyond 64 bits, a float that overflows, nesting past its small limit): their message
is the one tongket always gave. `tests/core/test_check_speed_paths.py` holds the three
readers to the same answers, on every test report and on thousands of damaged ones.
"""

from __future__ import annotations

import re
from types import ModuleType
from typing import Any

__all__ = ["TomlSyntaxError", "compiled_tomli", "fast_reader", "parse_toml", "rust_reader"]


class TomlSyntaxError(ValueError):
    """The text is not TOML; `str()` is the parser's message, "... (at line L, column C)"."""


def _compiled_tomli() -> ModuleType | None:
    try:
        import tomli
        from tomli import _parser
    except ImportError:
        return None
    version = tuple(int(part) for part in tomli.__version__.split(".")[:2] if part.isdigit())
    compiled = not _parser.__file__.endswith(".py")
    return tomli if compiled and (2, 2) <= version < (2, 4) else None


_NOT_LOOKED_FOR: Any = object()
#: The compiled tomli module in use, or None (tomllib reads everything). Looked for on first
#: need (`compiled_tomli`): when rtoml reads the report, importing tomli is time for nothing.
fast_reader: ModuleType | None = _NOT_LOOKED_FOR


def compiled_tomli() -> ModuleType | None:
    """`fast_reader`, looked for now if it was not yet."""
    global fast_reader
    if fast_reader is _NOT_LOOKED_FOR:
        fast_reader = _compiled_tomli()
    return fast_reader


def _rtoml() -> ModuleType | None:
    try:
        import rtoml
    except ImportError:
        return None
    return rtoml


#: rtoml when installed: the first reader of a text it reads as tomllib does (`_rust_reads_alike`).
rust_reader: ModuleType | None = _rtoml()

#: TOML 1.1 that rtoml accepts and tomllib refuses: `\e` and `\xHH` escapes, a line break in an
#: inline table (found from its brace; a "{" in a string costs only the fast path), a trailing
#: comma before "}" (found from the "}", rarer than commas).
_NEW_ESCAPE = re.compile(r"\\[ex]")
_BRACE_BREAK = re.compile(r"\{[^}]*\n")
_CLOSING_BRACE = re.compile(r"\}")
#: The minutes or seconds of a time of day, "…7:32", with the digit before it checked apart
#: (a pattern starting with a digit would stop at every digit of the report).
_CLOCK = re.compile(r":\d\d")


#: rtoml holds its own parsed copy of a report while it builds Python's: about 350 bytes more
#: at the peak for each value (measured: +87 MiB for a 50.000-row table, +22 MiB for the
#: 1.000-section benchmark report). A text with more string values than this (counted by
#: their quotes) is read by compiled tomli, so no report's peak memory grows by more than
#: ~40 MiB for the speed.
RUST_MAX_QUOTES = 200_000


def _rust_reads_alike(text: str) -> bool:
    """Whether rtoml reads `text` exactly as tomllib would, if it reads it at all.

    Cautious: a look-alike in a string only sends the text to the slower readers. Any time of
    day does (TOML 1.1 lets its seconds be left out, and rtoml gives an offset its own time zone
    class), and so do a CR (kept in multi-line strings) and a byte-order mark (accepted).
    """
    if "\r" in text or text.startswith("\ufeff"):
        return False
    if "\\" in text and _NEW_ESCAPE.search(text):
        return False
    if "{" in text and (_BRACE_BREAK.search(text) or _comma_before_brace(text)):
        return False
    return not any(
        match.start() and text[match.start() - 1].isdigit() for match in _CLOCK.finditer(text)
    )


def _comma_before_brace(text: str) -> bool:
    for brace in _CLOSING_BRACE.finditer(text):
        at = brace.start() - 1
        while at >= 0 and text[at] in " \t\n":
            at -= 1
        if at >= 0 and text[at] == ",":
            return True
    return False


def parse_toml(text: str) -> dict[str, Any]:
    """The table in `text`; `TomlSyntaxError` for bad TOML.

    Like `tomllib.loads`, it also raises `RecursionError` for nesting too deep and `ValueError`
    for an integer of more than 4.300 digits.
    """
    rust = rust_reader
    if rust is not None and text.count('"') <= RUST_MAX_QUOTES and _rust_reads_alike(text):
        try:
            return rust.loads(text)
        except Exception:  # whatever rtoml refuses, the readers below decide and word it
            pass
    reader = compiled_tomli()
    if reader is not None:
        try:
            return reader.loads(text)
        except reader.TOMLDecodeError as error:
            raise TomlSyntaxError(str(error)) from None
        except RecursionError:
            pass  # nested deeper than compiled tomli allows: tomllib decides, as it always did
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TomlSyntaxError(str(error)) from None
