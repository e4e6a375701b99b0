"""Problems found in a report, and the error raised for a file that cannot be read at all."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from tongket.core.writers.terminal import terminal_safe

Severity = Literal["error", "warning"]
SEVERITIES: tuple[str, ...] = ("error", "warning")
PathPart = str | int


def path_parts(path: object) -> tuple[PathPart, ...]:
    """A problem's path as a tuple of keys (text) and list positions (int, counted from 0).

    A dotted string is read the way `dotted` prints it: "projects.1.year" is
    `("projects", 0, "year")`, so a path written as `tongket check` shows it round-trips.
    Anything else (a number, a dict, a list holding floats or booleans) is refused.
    """
    if isinstance(path, str):
        return tuple(
            int(part) - 1 if part.isdecimal() and part.isascii() and int(part) > 0 else part
            for part in path.split(".")
            if part
        )
    if isinstance(path, tuple | list):
        for part in path:
            if isinstance(part, bool) or not isinstance(part, str | int):
                raise TypeError(
                    "Problem path parts must be keys (str) or list positions (int counted "
                    f"from 0), got {type(part).__name__} {part!r} in {tuple(path)!r}"
                )
        return tuple(path)
    raise TypeError(
        "Problem path must be a tuple of keys and positions, e.g. ('periods', 0, 'target'), "
        f"or a dotted string such as 'periods.1.target'; got {type(path).__name__}"
    )


def dotted(path: tuple[PathPart, ...] | list[PathPart] | str) -> str:
    """Format a field path for people: ("sections", 0, "data", "year") → "sections.1.data.year".

    Integer parts are list positions; they print counting from 1, the way a drafter counts the
    `[[sections]]` tables or the rows of a grid.
    """
    if isinstance(path, str):
        return path
    return ".".join(str(part + 1) if isinstance(part, int) else part for part in path)


def did_you_mean(word: str, known: Iterable[str], otherwise: str = "") -> str:
    """The end of a message about an unknown `word`: "; có phải ý bạn là 'X'?" naming the
    closest of `known`, or `otherwise` when none is close."""
    import difflib  # only on this error path: every load and render would pay for it

    close = difflib.get_close_matches(word, list(known), n=1)
    return f"; có phải ý bạn là '{close[0]}'?" if close else otherwise


@dataclass(frozen=True)
class Problem:
    """One finding: where it is (a field path), what is wrong, and how serious it is.

    Plugins return these from `tongket_validate_section` with a path relative to their own
    data, e.g. `Problem(("periods", 0, "target"), "cần một số thập phân")`; the host prefixes
    the section's own path before showing it.
    """

    path: tuple[PathPart, ...]
    message: str
    severity: Severity = "error"
    line: int | None = None
    #: The file `line` is in, when not the report itself: an included file (`include = …`).
    file: str | None = None

    def __post_init__(self) -> None:
        # A plugin author's slip (a string path, a number for the message) would otherwise
        # surface far from its cause: a path split into letters, a crash while printing.
        object.__setattr__(self, "path", path_parts(self.path))
        if not isinstance(self.message, str):
            raise TypeError(f"Problem message must be text, got {type(self.message).__name__}")
        if self.severity not in SEVERITIES:
            raise ValueError(
                f"Problem severity must be one of {', '.join(SEVERITIES)}, got {self.severity!r}"
            )

    @property
    def where(self) -> str:
        """The dotted path as `tongket check` prints it; empty for the report as a whole."""
        return dotted(self.path)

    def within(self, *prefix: PathPart) -> Problem:
        """The same problem seen from further out: `within("sections", 2, "data")`."""
        return Problem((*prefix, *self.path), self.message, self.severity, self.line, self.file)

    def format(self, file: str) -> str:
        """`FILE:LINE: dotted.path: message`, the one line `tongket check` prints.

        Report text quoted in the message (and the keys of the path) may hold control
        characters; they are shown as visible stand-ins (`terminal_safe`), never sent raw.
        """
        file = self.file or file  # a finding in an included file names that file
        location = f"{file}:{self.line}" if self.line else file
        label = "cảnh báo: " if self.severity == "warning" else ""
        where = f"{self.where}: " if self.path else ""  # the report as a whole: no empty path
        return terminal_safe(f"{location}: {where}{label}{self.message}", multiline=False)


class ReportFileError(Exception):
    """A report file that cannot be loaded: unreadable, malformed TOML, or the wrong shape."""

    def __init__(
        self,
        file: str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        key: str = "",
    ) -> None:
        super().__init__(message)
        self.file = file
        self.message = message
        self.line = line
        self.column = column
        self.key = key

    def __str__(self) -> str:
        # One line, control characters of quoted values made visible (`terminal_safe`).
        location = self.file
        if self.line:
            location += f":{self.line}"
            if self.column:
                location += f":{self.column}"
        if self.key:
            return terminal_safe(f"{location}: {self.key}: {self.message}", multiline=False)
        return terminal_safe(f"{location}: {self.message}", multiline=False)
