"""Text from a report on its way to a terminal: control characters made visible, not obeyed.

A report is untrusted input. A heading holding "\\x1b]0;…\\x07" (an OSC sequence) printed raw by
`tongket check` or `tongket render` retitles the terminal; other escape sequences move the
cursor, clear the screen or hide text. `terminal_safe` replaces every C0 and C1 control
character (and DEL) with a visible one-character stand-in, so the drafter sees *that*
something odd is in the field, columns stay aligned, and the terminal obeys nothing:

- C0 controls and DEL become their Unicode control pictures: ESC → "␛", BEL → "␇",
  CR → "␍", DEL → "␡";
- C1 controls (U+0080–U+009F, e.g. the one-byte CSI U+009B) have no picture: "�";
- a tab stays; a newline and a form feed (the page break of `tongket render`) stay in
  multi-line text, and in a one-line message become "␤" and "␌".

Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) are not controls to a
terminal, but they reorder what is displayed ("Trojan Source"): `tongket check` warns about
them (`bidi_controls`), and one-line messages show them as escapes ("\\u202e"). So do the
zero-width characters (`INVISIBLES`: zero-width space, joiners, word joiner, BOM, soft
hyphen): a message saying "'1.409' không phải số" about a cell holding "1.409\\u200b" must
show why.

Everything else (Vietnamese, every printable character) passes unchanged. The function is pure
and cheap, so every print of report-derived text goes through it, on a terminal or not: output
piped to a file is `cat` to a terminal later. The app applies `VISIBLE_CONTROLS` to everything
it draws (`tongket.tui.screentext`).
"""

from __future__ import annotations

import re

__all__ = ["BIDI_CONTROLS", "INVISIBLES", "VISIBLE_CONTROLS", "bidi_controls", "terminal_safe"]

#: Embedding, override and isolate characters that reorder displayed text.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

#: Characters that print as nothing: zero-width space, non-joiner, joiner, word joiner, BOM,
#: soft hyphen. A one-line message quoting a value shows them as escapes.
INVISIBLES = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")

#: Every control character but tab and newline → its visible one-character stand-in.
VISIBLE_CONTROLS: dict[int, str] = {
    **{code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)},
    0x7F: "\u2421",
    **{code: "\ufffd" for code in range(0x80, 0xA0)},
}
_MULTILINE = {code: text for code, text in VISIBLE_CONTROLS.items() if code != 0x0C}
_ONE_LINE = {
    **VISIBLE_CONTROLS,
    0x0A: "\u2424",
    **{ord(character): f"\\u{ord(character):04x}" for character in BIDI_CONTROLS | INVISIBLES},
}
_BIDI = re.compile(f"[{''.join(sorted(BIDI_CONTROLS))}]")
#: Whether a text needs `str.translate` at all: one regex scan is many times faster than a
#: translate of a rendered report (megabytes of Vietnamese, a dict lookup per character).
_MULTILINE_NEEDED = re.compile("[\x00-\x08\x0b\x0d-\x1f\x7f-\x9f]")


def terminal_safe(text: str, *, multiline: bool = True) -> str:
    """`text` with C0/C1 controls and DEL shown as visible stand-ins (see the module notes).

    multiline: keep newlines and form feeds (rendered documents); False turns them into "␤"
    and "␌" and also shows bidirectional controls as escapes, for a message that must stay on
    one line as written.
    """
    if text.isascii() and text.isprintable():
        return text  # most messages: nothing to do
    if multiline and not _MULTILINE_NEEDED.search(text):
        return text  # a rendered report: nearly always nothing to do either
    return text.translate(_MULTILINE if multiline else _ONE_LINE)


def bidi_controls(text: str) -> list[tuple[int, str]]:
    """Each bidirectional override or isolate in `text`: (0-based position, "U+202E")."""
    return [(match.start(), f"U+{ord(match.group()):04X}") for match in _BIDI.finditer(text)]
