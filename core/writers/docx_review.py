"""Review copies: every `check` finding as a Word comment (ghi chú góp ý) on what it concerns.

`tongket export --review` builds the ordinary DOCX first (`docx_writer.build_docx`), then
opens those bytes with python-docx and anchors one comment per finding, authored "tongket",
to the paragraph (or table cell) the finding's path names:

- ("document", field, …): the letterhead or particulars line printing that field (Số, the
  date line, V/v, Kính gửi, the closing, the signer, Nơi nhận);
- ("citations", key, …): the first paragraph mentioning that cited document's number;
- ("sections", i, …): the first paragraph of section i as printed (a table's cell for a path
  into one of its records); a paragraph of the section quoting the finding's 'phrase' wins
  over the first. A section printing nothing points at the next section, or the closing.

Nothing is ever dropped: a finding without an anchor goes on the document's first paragraph,
its path kept in the comment's text. The package is written again with the fixed zip layout
of `docx_package`, and each comment carries the report's date, so the same report and the
same findings give the same bytes. Without `--review` none of this runs.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence

from tongket.core.problems import Problem
from tongket.core.render.blocks import (
    BlockDispatch,
    BulletList,
    Chart,
    ErrorBlock,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Table,
)
from tongket.core.render.document import RenderedDocument
from tongket.core.render.letterhead import (
    DISTRIBUTION_LABEL,
    RECIPIENTS_LABEL,
    date_line,
    subject_line,
)
from tongket.core.writers.docx_package import write_package
from tongket.core.writers.sanitize import clean_text

__all__ = ["REVIEW_AUTHOR", "REVIEW_INITIALS", "add_review_comments", "comment_text"]

REVIEW_AUTHOR = "tongket"
REVIEW_INITIALS = "TK"

#: Characters of a block's text compared with a printed paragraph (enough to tell them apart).
_KEY_LENGTH = 80
_SPACES = re.compile(r"\s+")
_QUOTED = re.compile(r"'([^']{3,})'")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def comment_text(problem: Problem) -> str:
    """The comment for one finding: its message as `check` words it, then its dotted path."""
    label = "cảnh báo: " if problem.severity == "warning" else "lỗi: "
    where = f" ({problem.where})" if problem.path else ""
    return clean_text(f"{label}{problem.message}{where}")


def add_review_comments(
    docx_bytes: bytes, rendered: RenderedDocument, problems: Sequence[Problem]
) -> bytes:
    """The DOCX with one comment per finding, anchored where its path points (see module)."""
    import docx  # only a review needs python-docx's reader: kept off the export's start-up
    from docx.text.paragraph import Paragraph as DocxParagraph

    document = docx.Document(io.BytesIO(docx_bytes))
    if not document.paragraphs and not document.tables:
        document.add_paragraph()  # a comment needs a paragraph to stand on
    printed = _PrintedParagraphs(document.element.body, rendered)
    stamp = _comment_date(rendered)
    for problem in problems:
        element = printed.anchor(problem)
        paragraph = DocxParagraph(element, document._body)
        runs = [run for run in paragraph.runs if run._r.find(f"{_W}commentReference") is None]
        if not runs:
            runs = [paragraph.add_run("")]
        comment = document.add_comment(
            runs, text=comment_text(problem), author=REVIEW_AUTHOR, initials=REVIEW_INITIALS
        )
        comment._comment_elm.date = stamp  # python-docx stamps "now": the bytes would differ
    saved = io.BytesIO()
    document.save(saved)
    return _repacked(saved.getvalue())


def _comment_date(rendered: RenderedDocument) -> dt.datetime | None:
    day = rendered.project.document.date
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) if day else None


def _repacked(data: bytes) -> bytes:
    # python-docx stamps zip entries with the time of saving; `write_package` fixes them.
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    buffer = io.BytesIO()
    write_package(buffer, parts, {})
    return buffer.getvalue()


def _normal(text: str) -> str:
    """Text as compared: NFC, no-break spaces, tabs and line breaks as single spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).replace("\u00a0", " ")).strip()


def _paragraph_text(element) -> str:
    pieces: list[str] = []
    for node in element.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        pieces.append((node.text or "") if node.tag == f"{_W}t" else " ")
    return _normal("".join(pieces))


class _PrintedParagraphs:
    """The document's paragraphs in reading order, and where each finding's path points."""

    def __init__(self, body, rendered: RenderedDocument) -> None:
        self.rendered = rendered
        self.elements = list(body.iter(f"{_W}p"))
        self.texts = [_paragraph_text(element) for element in self.elements]
        self.in_table = [_inside_table(element) for element in self.elements]
        self.first = 0
        self.sections = self._section_positions()

    # -- sections ------------------------------------------------------------------------------

    def _section_positions(self) -> dict[int, list[int]]:
        """For each section index: the positions of its blocks' paragraphs, in order."""
        positions: dict[int, list[int]] = {}
        cursor = 0
        for result in self.rendered.sections:
            found: list[int] = []
            for block in result.blocks:
                position = self._find_block(block, cursor, ())
                if position is not None:
                    found.append(position)
                    cursor = position + 1
            positions[result.index] = found
        return positions

    def _find_block(self, block: object, start: int, path: tuple) -> int | None:
        return _FIND[type(block)](self, block, start, path)

    def _find_table_cell(self, table: Table, start: int, path: tuple) -> int | None:
        record = next((part for part in path if isinstance(part, int)), None)
        if record is not None and record < len(table.rows):
            row = table.rows[record]
        else:
            row = table.header or (table.rows[0] if table.rows else ())
        key = next((_normal(cell) for cell in row if _normal(cell)), "")
        if not key:
            return None
        for position in range(start, len(self.elements)):
            if self.in_table[position] and self.texts[position] == key:
                return position
        return self._find_contains(key, start)

    def _find_start(self, text: str, start: int) -> int | None:
        key = text[:_KEY_LENGTH]
        if not key:
            return None
        for position in range(start, len(self.texts)):
            if self.texts[position].startswith(key):
                return position
        return self._find_contains(key[:30], start)

    def _find_contains(self, key: str, start: int = 0) -> int | None:
        if not key:
            return None
        for position in range(start, len(self.texts)):
            if key in self.texts[position]:
                return position
        return None

    def _section_anchor(self, index: int, problem: Problem) -> int | None:
        own = self.sections.get(index)
        if own:
            quoted = _quoted_phrase(problem.message)
            if quoted:
                for position in own:
                    if quoted in self.texts[position]:
                        return position
            result = next((r for r in self.rendered.sections if r.index == index), None)
            tables = [b for b in result.blocks if isinstance(b, Table)] if result else []
            if tables and any(isinstance(part, int) for part in problem.path[3:]):
                cell = self._find_table_cell(tables[0], own[0], problem.path[3:])
                if cell is not None:
                    return cell
            return own[0]
        # A section printing nothing: the next section that prints something, or the closing.
        for later in sorted(key for key in self.sections if key > index):
            if self.sections[later]:
                return self.sections[later][0]
        return self._document_anchor("closing")

    # -- particulars and citations -------------------------------------------------------------

    def _document_anchor(self, field: str) -> int | None:
        particulars = self.rendered.project.document
        if field in ("number", "symbol"):
            return self._find_start("Số:", 0)
        if field in ("place", "date"):
            line = _normal(date_line(particulars))
            return self._find_contains(line) if line else None
        if field == "subject":
            line = _normal(subject_line(particulars))
            return self._find_start(line, 0) if line else None
        if field == "recipients":
            return self._find_start(RECIPIENTS_LABEL, 0)
        if field == "distribution":
            return self._find_start(DISTRIBUTION_LABEL, 0)
        if field == "closing":
            closing = _normal(particulars.closing)
            return self._find_start(closing, 0) if closing else None
        if field == "signer":
            signer = particulars.signer
            for value in (signer.name, signer.signer_title, signer.for_head, signer.head_title):
                position = self._find_contains_folded(_normal(value))
                if position is not None:
                    return position
            return None
        if field in ("agency", "parent_agency"):
            return self._find_contains_folded(_normal(getattr(particulars, field, "")))
        return None

    def _find_contains_folded(self, key: str) -> int | None:
        if not key:
            return None
        folded = key.casefold()
        for position, text in enumerate(self.texts):
            if folded in text.casefold():
                return position
        return None

    def _first_body(self) -> int | None:
        return next((found[0] for found in self.sections.values() if found), None)

    def _citation_anchor(self, key: object) -> int | None:
        citation = self.rendered.project.citations.get(key) if isinstance(key, str) else None
        number = _normal(citation.number) if citation else ""
        if number:
            start = self._first_body() or 0
            position = self._find_contains(number, start)
            if position is not None:
                return position
        return self._first_body()

    # -- any finding -----------------------------------------------------------------------------

    def anchor(self, problem: Problem):
        """The paragraph element the finding's comment goes on (never None)."""
        path = problem.path
        position: int | None = None
        if len(path) >= 2 and path[0] == "sections" and isinstance(path[1], int):
            position = self._section_anchor(path[1], problem)
        elif len(path) >= 2 and path[0] == "citations":
            position = self._citation_anchor(path[1])
        elif len(path) >= 2 and path[0] == "document" and isinstance(path[1], str):
            position = self._document_anchor(path[1])
        if position is None:
            position = self.first
        return self.elements[position]


def _find_list(printed: _PrintedParagraphs, block: BulletList, start: int, _path: tuple):
    for item in block.items:
        text = _normal("".join(run.text for run in item))
        if text:
            return printed._find_contains(text, start)
    return None


def _not_printed(_printed: _PrintedParagraphs, _block: object, _start: int, _path: tuple) -> None:
    return None


#: Where a block of the rendered document stands among the printed paragraphs (its first one
#: at or after `start`), or None; unknown block types are simply not found.
_FIND: BlockDispatch[int | None] = BlockDispatch(
    "tongket.core.writers.docx_review._PrintedParagraphs._find_block",
    {
        Heading: lambda printed, block, start, _path: printed._find_start(
            _normal(block.line), start
        ),
        Paragraph: lambda printed, block, start, _path: printed._find_start(
            _normal(block.text), start
        ),
        BulletList: _find_list,
        Table: lambda printed, block, start, path: printed._find_table_cell(block, start, path),
        Image: lambda printed, block, start, _path: (
            printed._find_start(_normal(block.caption), start) if block.caption else None
        ),
        # A chart's drawing paragraph has no text: its caption, printed under it, is found.
        Chart: lambda printed, block, start, _path: (
            printed._find_start(_normal(block.caption_line), start) if block.caption_line else None
        ),
        ErrorBlock: lambda printed, block, start, _path: printed._find_contains(
            _normal(block.message)[:_KEY_LENGTH], start
        ),
        PageBreak: _not_printed,
    },
    fallback=_not_printed,
)


def _quoted_phrase(message: str) -> str:
    match = _QUOTED.search(message)
    return _normal(match.group(1).rstrip("…")) if match else ""


def _inside_table(element) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent.tag == f"{_W}tc":
            return True
        parent = parent.getparent()
    return False
