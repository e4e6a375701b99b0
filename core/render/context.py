"""What a plugin is given when it validates or renders a section."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING

from tongket.core.render import inline, vnformat
from tongket.core.render.blocks import Paragraph, Run
from tongket.core.render.citations import CitationBook, unknown_keys
from tongket.core.report.model import Particulars, Section

if TYPE_CHECKING:
    from tongket.core.render import template


@dataclass
class RenderContext:
    """The document around one section, and the helpers every plugin formats with.

    - `document`: the particulars (agency, date, kind …);
    - `section`: the section being handled (its `number`, `heading`, `table` placement);
    - `fmt`: Vietnamese formatting (`fmt.number(1409)` → "1.409", `fmt.percent(7.68)` → "7,7%",
      `fmt.count(2)` → "02", `fmt.join([...])`, `fmt.date_words(date)` …);
    - `citations`: the document's cited documents; `paragraphs()` and `runs()` expand
      `[[key]]` mentions in reading order (full on first mention, short afterwards).
    """

    document: Particulars
    section: Section
    citations: CitationBook = field(default_factory=lambda: CitationBook({}))
    fmt: ModuleType = vnformat

    def runs(self, text: str) -> tuple[Run, ...]:
        """Text with **bold**, *italic* and [[citation]] mentions, as runs."""
        return inline.parse_runs(text, self.citations.expand)

    def paragraphs(self, text: str) -> list[Paragraph]:
        """Long text (paragraphs separated by blank lines) as body paragraphs."""
        if text.__class__ is str and "[[" not in text:
            # `CitationBook.expand` replaces "[[…]]" mentions only (`citations.MENTION`): a
            # text without one comes back unchanged, and no citation counts as mentioned.
            return inline.paragraphs(text)
        return inline.paragraphs(text, self.citations.expand)

    def fill(self, sentence_template: str, values: template.Values) -> str:
        """Fill a sentence template with computed values (raises `TemplateError`)."""
        # Imported on first use: sections of free text never fill a template.
        from tongket.core.render.template import fill

        return fill(sentence_template, values)

    def markup_warnings(self, text: str) -> list[str]:
        """Warnings on drafters' text: markup that eats what was meant to print ("(*)")."""
        return inline.eaten_stars(text) if "(*)" in text else []

    def text_problems(self, text: str) -> list[str]:
        """Problems in drafters' text: citation keys the document does not define."""
        if text.__class__ is str and "[[" not in text:
            return []  # no mention at all, as `unknown_keys` would find (most texts)
        return [
            f"văn bản dẫn [[{key}]] chưa được khai báo trong [citations]"
            for key in unknown_keys(text, self.citations.citations)
        ]
