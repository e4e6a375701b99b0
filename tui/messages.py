"""Messages the editor widgets send up to the editor pane and the main screen."""

from __future__ import annotations

from textual.message import Message

from tongket.core.host.sectiontypes import Field


def sentence(text: str) -> str:
    """`text` ending with one full stop: a reason quoted from elsewhere may bring its own
    (a notice would read ". ." or "..")."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


class Hint(Message):
    """Ask the editor pane to show a field's label and help on its hint line."""

    def __init__(self, field: Field, error: str = "", where: str = "") -> None:
        super().__init__()
        self.field = field
        self.error = error
        self.where = where  # e.g. "dòng 3/11" for a grid cell


class EditRefused(Message):
    """An edit the session refused (the file is read-only, or the section is newer than its
    plugin); the app says why."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class FieldChanged(Message):
    """A field's value changed in the report (or text that does not parse was held or
    released); the main screen re-analyses, redraws the title and the key availability."""

    def __init__(self, path: tuple) -> None:
        super().__init__()
        self.path = path
