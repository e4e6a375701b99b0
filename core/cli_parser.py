"""argparse speaking Vietnamese: the headings, the usage line and the errors of `tongket`.

argparse writes its own words in English ("usage:", "options", "error: the following
arguments are required") through gettext, and a catalogue for them would have to be installed
as a locale and selected by the user's environment. tongket's users are Vietnamese civil
servants running it from scripts as well as by hand, so the parser says its words itself: the
headings and the help option are set when a parser is made, the usage line's prefix by the
help formatter, and an error message is matched against argparse's English templates and
rewritten before it is printed. A message argparse may add in a later Python and that no
template matches is printed as argparse wrote it, never lost.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import sys
from typing import Any, NoReturn

__all__ = ["USAGE_PREFIX", "VietnameseArgumentParser", "translate_error"]

USAGE_PREFIX = "cách dùng: "

# argparse's templates (Python 3.11–3.13, the `_()` calls of argparse.py) and their Vietnamese;
# `{}` takes the template's placeholders in order.
_TEMPLATES: tuple[tuple[str, str], ...] = (
    ("the following arguments are required: %s", "thiếu tham số: {}"),
    ("unrecognized arguments: %s", "không hiểu tham số: {}"),
    ("one of the arguments %s is required", "cần một trong các tham số {}"),
    ("argument %(argument_name)s: %(message)s", "tham số {}: {}"),
    ("expected one argument", "cần một giá trị"),
    ("expected at most one argument", "chỉ nhận nhiều nhất một giá trị"),
    ("expected at least one argument", "cần ít nhất một giá trị"),
    ("expected %s argument", "cần {} giá trị"),
    ("expected %s arguments", "cần {} giá trị"),
    (
        "invalid choice: %(value)r (choose from %(choices)s)",
        "không có lựa chọn {} (chọn một trong: {})",
    ),
    ("invalid %(type)s value: %(value)r", "giá trị {1} không hợp lệ (cần kiểu {0})"),
    ("not allowed with argument %s", "không dùng cùng với {}"),
    ("ignored explicit argument %r", "tùy chọn này không nhận giá trị {}"),
    ("ambiguous option: %(option)s could match %(matches)s", "tùy chọn {} chưa rõ, có thể là {}"),
    ("unexpected option string: %s", "không chờ tùy chọn {}"),
)


def _pattern(template: str) -> re.Pattern[str]:
    pieces = re.split(r"%(?:\([a-z_]+\))?[sr]", template)
    return re.compile("(.+?)".join(re.escape(piece) for piece in pieces) + r"\Z", re.DOTALL)


@functools.cache
def _translations() -> tuple[tuple[re.Pattern[str], str], ...]:
    # Compiled on the first error only: every run of `tongket` imports this module, and
    # fourteen patterns cost most of a millisecond that an export does not need.
    return tuple((_pattern(english), vietnamese) for english, vietnamese in _TEMPLATES)


def translate_error(message: str) -> str:
    """`message` (an argparse error) in Vietnamese; unchanged when no template matches it."""
    for pattern, vietnamese in _translations():
        found = pattern.match(message)
        if found:
            # "argument X: <inner>" carries another template's message inside it.
            return vietnamese.format(*(translate_error(part) for part in found.groups()))
    return message


class VietnameseArgumentParser(argparse.ArgumentParser):
    """An `ArgumentParser` whose headings, help option and errors are in Vietnamese.

    Subparsers made through `add_subparsers` are of the same class (argparse's default), so
    every command of `tongket` speaks the same language.
    """

    def __init__(self, *args: Any, add_help: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="in hướng dẫn này rồi thoát")

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error in Vietnamese, and exit with status 2 (argparse's)."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: lỗi: {translate_error(message)}\n")


class VietnameseHelpFormatter(argparse.HelpFormatter):
    """The help formatter with argparse's "usage: " said in Vietnamese.

    It is told the terminal's width the way `shutil.get_terminal_size` finds it: argparse
    makes a formatter for every argument it adds, and would import shutil (with its
    compression modules) on every run of every command just to ask.
    """

    def __init__(self, prog: str, **kwargs: Any) -> None:
        if kwargs.get("width") is None:
            kwargs["width"] = _terminal_columns() - 2  # argparse's own margin
        super().__init__(prog, **kwargs)

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)


def _terminal_columns() -> int:
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80
