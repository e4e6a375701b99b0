"""Citations of legal documents: stored once, formatted in one place, full on first mention.

NĐ30 (Phụ lục I, II.6.b): the first mention of a document gives its kind, number and symbol,
date, issuing body and title; later mentions give only kind and number. Text refers to a
citation by key, `[[ct04]]`, or asks for a form explicitly: `[[ct04|full]]`, `[[ct04|short]]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import vnformat
from .model import Citation

#: `[[key]]` or `[[key|full]]` / `[[key|short]]`.
MENTION = re.compile(r"\[\[\s*([A-Za-z0-9_.-]+)\s*(?:\|\s*(full|short)\s*)?\]\]")


def full_form(citation: Citation, expand_title=lambda text: text) -> str:
    """ "Chỉ thị số 04-CT/TW ngày 06/7/2011 của Ban Bí thư khóa XI về …"."""
    parts = [f"{citation.kind} số {citation.number}"]
    if citation.date:
        parts.append(f"ngày {vnformat.date_numeric(citation.date)}")
    if citation.issuer:
        parts.append(f"của {citation.issuer}")
    if citation.title:
        parts.append(expand_title(citation.title))
    return " ".join(parts)


def short_form(citation: Citation) -> str:
    """ "Chỉ thị số 04-CT/TW"."""
    return f"{citation.kind} số {citation.number}"


@dataclass
class CitationBook:
    """The document's citations and which of them have been mentioned so far (reading order)."""

    citations: dict[str, Citation]
    mentioned: set[str] = field(default_factory=set)

    def format(self, key: str, form: str = "auto") -> str:
        """The text of one mention; "auto" is full the first time, short afterwards."""
        citation = self.citations.get(key)
        if citation is None:
            raise KeyError(key)
        first = key not in self.mentioned
        self.mentioned.add(key)
        if form == "full" or (form == "auto" and first):
            return full_form(citation, self.expand)
        return short_form(citation)

    def expand(self, text: str) -> str:
        """Replace every `[[key]]` in `text`; an unknown key stays visible as `[[?key]]`."""

        def replace(match: re.Match[str]) -> str:
            key, form = match.group(1), match.group(2) or "auto"
            if key not in self.citations:
                return f"[[?{key}]]"
            return self.format(key, form)

        return MENTION.sub(replace, text)


def unknown_keys(text: str, citations: dict[str, Citation]) -> list[str]:
    """Citation keys used in `text` that the document does not define."""
    return [key for key, _form in MENTION.findall(text) if key not in citations]


def repeated_full_mentions(
    paragraphs: list[str], citations: dict[str, Citation]
) -> list[tuple[int, str, str]]:
    """Later mentions written out in full by hand: (paragraph index, citation key, excerpt).

    A mention is "full" when the document's number is followed by its date ("04-CT/TW ngày
    06/7/2011"). The first mention of each document may be full; any later full one is reported.
    """
    findings: list[tuple[int, str, str]] = []
    for key, citation in citations.items():
        number = re.escape(citation.number)
        anywhere = re.compile(number)
        with_date = re.compile(number + r"\s+ngày\s+\d")
        seen = False
        for index, text in enumerate(paragraphs):
            for match in anywhere.finditer(text):
                if seen and with_date.match(text, match.start()):
                    # Quote from the document's kind ("Chỉ thị 04-CT/TW ngày …") when it is there.
                    kind_at = text.rfind(citation.kind, max(0, match.start() - 40), match.start())
                    start = kind_at if kind_at >= 0 else match.start()
                    excerpt = text[start : match.end() + 16].strip()
                    findings.append((index, key, excerpt))
                seen = True
    return findings
