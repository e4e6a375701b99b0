"""Parsing TOML text for the store: tomli's compiled parser when installed, else tomllib.

tomli 2.2–2.3 ships mypyc-compiled wheels that parse a report about three times faster than
the standard library's `tomllib` (the same code, pure Python): 0,11 s instead of 0,30–0,35 s for
the 1.000-section benchmark report. Both read TOML 1.0 and answer alike, the same tables and the
same syntax error messages, so the drafter sees no difference. tomli 2.4 and later read TOML 1.1
(which accepts files tomllib refuses) and a pure-Python tomli is no faster: neither is used.

One difference is smoothed over: compiled tomli refuses inline arrays and tables nested more than
400 deep (a C stack overflow would crash the process), where tomllib goes on to about 490 levels
before Python's recursion limit. Such a file is read again with tomllib, so what it says (a
value, a syntax error or a `RecursionError`) is what tongket says, as before.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

__all__ = ["TomlSyntaxError", "fast_reader", "parse_toml"]


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


#: The compiled tomli module in use, or None (tomllib reads everything).
fast_reader: ModuleType | None = _compiled_tomli()


def parse_toml(text: str) -> dict[str, Any]:
    """The table in `text`; `TomlSyntaxError` for bad TOML.

    Like `tomllib.loads`, it also raises `RecursionError` for nesting too deep and `ValueError`
    for an integer of more than 4.300 digits.
    """
    reader = fast_reader
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
