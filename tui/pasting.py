"""Pasted text is text: it never runs a key, and it lands in a field the way the field can hold.

A terminal wraps pasted text in ESC [ 200 ~ … ESC [ 201 ~ (bracketed paste). Textual 8's
`XTermParser` reads an ESC inside the paste as the start of an escape sequence and stops
collecting the paste there: the characters after it (colour codes copied from a terminal,
"ESC [ 31 m RED …") are reissued as key presses once the sequence makes no sense, so a pasted
"q", F-key sequence or Enter could save, quit or move between fields. `PasteGuard` stands in
for every ESC inside a paste before the parser sees it (only the closing ESC [ 201 ~ stays an
ESC), and `GuardedParser` puts the ESCs back into the `Paste` event it reports; `install`
makes Textual's drivers build that parser. Textual's drivers name the parser class as a module
global (`textual.drivers.linux_driver.XTermParser`): that is a library internal, and
`tests/tui/test_tui_paste.py` fails if an upgrade moves it.

What a paste inserts is `clean_paste`'s: escape sequences and other control characters
dropped, line ends made "\\n", NFC. A one-line field takes the lines joined with spaces
(`one_line`), and the app says so; a text area keeps every line.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING

from textual import events
from textual._xterm_parser import BRACKETED_PASTE_END, BRACKETED_PASTE_START, XTermParser

from tongket.core.report.tableread import normalize_text

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textual.message import Message

ESC = "\x1b"
#: What an ESC inside a paste reaches Textual's parser as: a private-use character, which the
#: parser collects like any other pasted character.
ESCAPE_STAND_IN = "\U000f001b"

# Escape sequences a terminal's output holds (ECMA-48): CSI (colours, cursor moves), OSC and
# the other strings (window titles, links) up to BEL or ST, and two-character escapes.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI … final byte
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, DCS, SOS, PM, APC … BEL or ST
    r"|\x1b[ -/]*[0-~]?"  # ESC ( B, ESC 7, ESC c …
)
# Control characters a field has no use for (tab and line feed stay; DEL and C1 go too).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class PasteGuard:
    """Filters terminal input as it is read, chunk by chunk: inside a bracketed paste, every
    ESC that does not start the closing ESC [ 201 ~ becomes `ESCAPE_STAND_IN`.

    Outside a paste the input passes unchanged and at once (an Escape key press is never held
    back); inside one, an ESC at the end of a chunk that may start the closing sequence is held
    until the next chunk tells.
    """

    def __init__(self) -> None:
        self.in_paste = False
        self._held = ""  # inside a paste: the start of a possible closing sequence
        self._recent = ""  # outside: the last characters read, for an opening split in two

    def filter(self, data: str) -> str:
        """`data` as the parser may read it (possibly shorter: a held tail comes later)."""
        out: list[str] = []
        if self.in_paste:
            data, self._held = self._held + data, ""
        pos = 0
        while pos < len(data):
            if not self.in_paste:
                window = self._recent + data[pos:]
                found = window.find(BRACKETED_PASTE_START)
                if found == -1:
                    out.append(data[pos:])
                    self._recent = window[-(len(BRACKETED_PASTE_START) - 1) :]
                    break
                end = pos + found + len(BRACKETED_PASTE_START) - len(self._recent)
                out.append(data[pos:end])
                pos, self._recent, self.in_paste = end, "", True
                continue
            escape = data.find(ESC, pos)
            if escape == -1:
                out.append(data[pos:])
                break
            out.append(data[pos:escape])
            ahead = data[escape : escape + len(BRACKETED_PASTE_END)]
            if ahead == BRACKETED_PASTE_END:
                out.append(ahead)
                pos, self.in_paste = escape + len(ahead), False
            elif BRACKETED_PASTE_END.startswith(ahead) and escape + len(ahead) == len(data):
                self._held = ahead  # the rest comes with the next chunk
                break
            else:
                out.append(ESCAPE_STAND_IN)
                pos = escape + 1
        return "".join(out)


class GuardedParser(XTermParser):
    """Textual's parser, reading its input through a `PasteGuard`: a paste's text arrives
    whole in one `Paste` event (with its ESCs), never as key presses."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self.paste_guard = PasteGuard()

    def feed(self, data: str) -> Iterable[Message]:
        if data:
            data = self.paste_guard.filter(data)
            if not data:  # all held back: an empty feed would mean the end of input
                return
        for message in super().feed(data):
            if isinstance(message, events.Paste) and ESCAPE_STAND_IN in message.text:
                message = events.Paste(message.text.replace(ESCAPE_STAND_IN, ESC))
            yield message


#: The driver modules whose input thread builds its parser from their `XTermParser` global.
_DRIVER_MODULES = (
    ("textual.drivers.win32",)
    if sys.platform == "win32"
    else ("textual.drivers.linux_driver", "textual.drivers.linux_inline_driver")
)


def install() -> bool:
    """Make Textual's terminal drivers parse input with `GuardedParser`; True when each took
    it (false means Textual moved its parser and pasted text may act as keys again)."""
    import importlib

    installed = 0
    for name in _DRIVER_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - present on every platform Textual 8 has
            continue
        if isinstance(getattr(module, "XTermParser", None), type) and issubclass(
            module.XTermParser, XTermParser
        ):
            module.XTermParser = GuardedParser
            installed += 1
    return installed == len(_DRIVER_MODULES)


def clean_paste(text: str) -> str:
    """Pasted `text` as a field takes it: no escape sequences or control characters (a tab
    stays), line ends as "\\n", NFC (text copied on a Mac arrives decomposed)."""
    # Line ends and NFC as the store reads a file (`normalize_text`), before the controls go.
    return _CONTROLS.sub("", normalize_text(_ESCAPE_SEQUENCE.sub("", text)))


def one_line(text: str) -> tuple[str, int]:
    """`text`'s lines joined by a space (blank ones left out) and how many were joined."""
    lines = [line.replace("\t", " ").strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    return " ".join(lines), len(lines)


__all__ = ["GuardedParser", "PasteGuard", "clean_paste", "install", "one_line"]
