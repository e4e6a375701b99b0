"""Problems found in a report, and the error raised for a file that cannot be read at all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
        """`FILE: dotted.path: message`, the form `tongket check` prints."""
        location = f"{file}:{self.line}" if self.line else file
        label = "cảnh báo: " if self.severity == "warning" else ""
        return f"{location}: {self.where}: {label}{self.message}"


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
        location = self.file
        if self.line:
            location += f":{self.line}"
            if self.column:
                location += f":{self.column}"
        if self.key:
            return f"{location}: {self.key}: {self.message}"
        return f"{location}: {self.message}"
