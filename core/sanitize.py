"""The one sanitiser every string passes through on its way into a DOCX file.

XML 1.0 cannot hold most C0 control characters, the non-characters U+FFFE/U+FFFF or lone
surrogates; lxml refuses them and Word reports the file as corrupt. Text pasted from PDFs and
old .doc files carries them, and decomposed (NFD) Vietnamese looks right on screen but breaks
search and sorting. `clean_text` fixes both; `illegal_characters` lets `tongket check` say
where such characters sit before they are dropped.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_text", "illegal_characters"]

# Everything XML 1.0 forbids (tab, newline and carriage return are allowed).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean_text(text: str) -> str:
    """NFC text with XML-illegal characters removed; CR and CRLF become a newline."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ILLEGAL.sub("", text)
    return unicodedata.normalize("NFC", text)


def illegal_characters(text: str) -> list[tuple[int, str]]:
    """Each character `clean_text` drops, as (0-based position, code point like "U+0007")."""
    return [(match.start(), f"U+{ord(match.group()):04X}") for match in _ILLEGAL.finditer(text)]
