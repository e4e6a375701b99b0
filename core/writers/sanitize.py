"""The one sanitiser every string passes through on its way into a DOCX file.

XML 1.0 cannot hold most C0 control characters, the non-characters U+FFFE/U+FFFF or lone
surrogates; lxml refuses them and Word reports the file as corrupt. Text pasted from PDFs and
old .doc files carries them, and decomposed (NFD) Vietnamese looks right on screen but breaks
search and sorting. `clean_text` fixes both; `illegal_characters` lets `tongket check` say
where such characters sit before they are dropped.

Two controls are line breaks rather than noise: Word copies its manual line break (Shift+Enter)
as U+000B (vertical tab), and old documents separate pages with U+000C (form feed). Dropping
them would glue "SỞ CÔNG\\vTHƯƠNG" into "SỞ CÔNGTHƯƠNG", so they become a newline, which the
writer prints as a Word line break; they are converted, not reported.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_text", "illegal_characters"]

# CR, CRLF, vertical tab (Word's manual line break) and form feed: each one line break.
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c]")
# Everything else XML 1.0 forbids (tab and newline are allowed).
_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean_text(text: str) -> str:
    """NFC text without XML-illegal characters; CR, CRLF, U+000B and U+000C become a newline."""
    if text.isprintable():  # no control character, no line break: at most NFC to apply
        # `normalize` first checks whether the text is NFC already (Vietnamese typed on a
        # keyboard or loaded from TOML is), and then returns it as it is.
        return text if text.isascii() else unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _ILLEGAL.sub("", text)
    return unicodedata.normalize("NFC", text)


def illegal_characters(text: str) -> list[tuple[int, str]]:
    """Each character `clean_text` drops, as (0-based position, code point like "U+0007")."""
    return [(match.start(), f"U+{ord(match.group()):04X}") for match in _ILLEGAL.finditer(text)]
