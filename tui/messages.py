"""Messages the editor widgets send up to the editor pane and the app."""

from __future__ import annotations

from textual.message import Message

from tongket.core.host.sectiontypes import Field


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
