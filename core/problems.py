"""Problems found in a report, and the error raised for a file that cannot be read at all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .terminal import terminal_safe

Severity = Literal["error", "warning"]
PathPart = str | int


def dotted(path: tuple[PathPart, ...] | list[PathPart] | str) -> str:
    """Format a field path for people: ("sections", 0, "data", "year") → "sections.1.data.year".

    Integer parts are list positions; they print counting from 1, the way a drafter counts the
    `[[sections]]` tables or the rows of a grid.
    """
    if isinstance(path, str):
        return path
    return ".".join(str(part + 1) if isinstance(part, int) else part for part in path)


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

    @property
    def where(self) -> str:
        return dotted(self.path)

    def within(self, *prefix: PathPart) -> Problem:
        """The same problem seen from further out: `within("sections", 2, "data")`."""
        return Problem((*prefix, *self.path), self.message, self.severity, self.line)

    def format(self, file: str) -> str:
        """`FILE:LINE: dotted.path: message`, the one line `tongket check` prints.

        Report text quoted in the message (and the keys of the path) may hold control
        characters; they are shown as visible stand-ins (`terminal_safe`), never sent raw.
        """
        location = f"{file}:{self.line}" if self.line else file
        label = "cảnh báo: " if self.severity == "warning" else ""
        return terminal_safe(f"{location}: {self.where}: {label}{self.message}", multiline=False)


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
