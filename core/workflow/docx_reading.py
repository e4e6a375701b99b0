"""Read a .docx file into plain paragraphs and tables, with list numbering printed as text.

This is the Word side of `tongket import`: it knows WordprocessingML (the zip package, the
main part, styles, numbering, runs, fields, tracked changes) and nothing about NĐ30. What it
returns is the document in reading order as `Para` and `Grid` items; `docx_import` recognises
the letterhead, sections and signature in them. What one inline element reads as (a
symbol-font character, a formula, a drawing's text boxes) is `docx_inline`'s.

The package is untrusted: `docx_package` opens and parses it within limits; numbers read from
it go through `small_int`, so no attribute can ask for a billion table columns.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tongket.core.workflow.docx_inline import (
    ALTERNATE_CONTENT,
    DRAWING_TAGS,
    MATH_TAGS,
    NOTE_WHAT,
    HiddenStyles,
    chosen_alternative,
    clean,
    excerpt,
    formula_text,
    note_insertion,
    symbol_text,
    text_box_texts,
)
from tongket.core.workflow.docx_numbering import (
    Numbering,
    Styles,
    num_reference,
    small_int,
    toggle_on,
)
from tongket.core.workflow.docx_package import (
    DocxReadError,
    Package,
    open_package,
    read_related_part,
)

__all__ = ["Cell", "DocxReadError", "Grid", "Item", "Para", "clean", "read_items", "reading_notes"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
#: Containers that wrap rows, cells, paragraphs or tables without changing them: content
#: controls (Word's repeating section writes one per row) and custom XML.
_WRAPPERS = frozenset({f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"})
_BOLD, _ITALIC, _RUN_STYLE, _VANISH = (f"{_W}{name}" for name in ("b", "i", "rStyle", "vanish"))
#: The widest span a table cell may claim (Word's tables have at most 63 columns).
MAX_COLUMNS = 63


@dataclass
class Para:
    """One paragraph: its runs as (text, bold, italic), style, list label and alignment.

    `label` is what list numbering prints before the text ("2.1.", "a)", "-" for a bullet),
    empty when the paragraph is not in a list. `index` counts the document's top-level
    paragraphs from 1 (tables apart, as `Grid.index`), so a message can say "đoạn 14" of the
    14th paragraph whatever tables stand before it; a paragraph in a table cell has its
    table's index."""

    index: int
    runs: list[tuple[str, bool, bool]] = field(default_factory=list)
    style: str = ""
    style_name: str = ""
    label: str = ""
    heading: bool = False
    align: str = ""
    picture: bool = False
    page_break: bool = False
    boxes: list[str] = field(default_factory=list)  # text of text boxes anchored here
    #: What reading changed or could not keep (Vietnamese, without the place, which
    #: `reading_notes` adds): hidden text left out, a symbol with no Unicode equal, a
    #: formula read as plain text, a footnote's text put in brackets.
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The paragraph's text without its list label."""
        return "".join(text for text, _bold, _italic in self.runs)

    @property
    def all_bold(self) -> bool:
        """Every run with visible text is bold (a heading typed as bold body text)."""
        shown = [bold for text, bold, _italic in self.runs if text.strip()]
        return bool(shown) and all(shown)


@dataclass
class Cell:
    """A table cell: its paragraphs, and how many grid columns it spans."""

    paras: list[Para]
    span: int = 1
    merged_above: bool = False  # a vertical merge's continuation: printed empty

    @property
    def text(self) -> str:
        return "\n".join(para.text.strip() for para in self.paras if para.text.strip())


@dataclass
class Grid:
    """A Word table: rows of cells in reading order; `index` counts the document's top-level
    tables from 1 ("bảng 2")."""

    index: int
    rows: list[list[Cell]] = field(default_factory=list)

    def paragraphs(self) -> list[Para]:
        """Every paragraph of the table, row by row, cell by cell."""
        return [para for row in self.rows for cell in row for para in cell.paras]


Item = Para | Grid


# -- paragraphs and tables -------------------------------------------------------------------


#: Containers whose runs are part of the paragraph's text (links, tracked insertions, fields).
_TRANSPARENT = {f"{_W}{name}" for name in (
    "hyperlink", "ins", "smartTag", "customXml", "sdt", "sdtContent", "fldSimple", "moveTo",
    "dir", "bdo",
)}  # fmt: skip


#: Loads the footnotes or endnotes part ("footnotes", "endnotes"): its root, or None.
NotesLoader = Callable[[str], Any]
_NOTE_KINDS = {
    f"{_W}footnoteReference": ("footnotes", NOTE_WHAT[0]),
    f"{_W}endnoteReference": ("endnotes", NOTE_WHAT[1]),
}


class _Walker:
    """Turns the body's XML into `Para`/`Grid` items, numbering lists as it goes."""

    def __init__(self, package: Package, load_notes: NotesLoader | None = None) -> None:
        self.styles = Styles(package.styles)
        self.numbering = Numbering(package.numbering)
        #: The fields the text is in, innermost last: True while in a field's instruction
        #: (its code), False in its result. Text shows only outside every instruction: a
        #: field nested in another's instruction ("IF {DOCPROPERTY X} = 1 …") gives its
        #: result to the outer field, which prints its own. `in_code` counts the Trues.
        self.fields: list[bool] = []
        self.in_code = 0
        self.hidden: list[str] = []  # hidden text (w:vanish) of the paragraph being read
        self.hidden_styles = HiddenStyles(package.styles)
        #: Whether the paragraph being read hides its runs (its style's w:vanish).
        self.paragraph_hidden = False
        self.load_notes = load_notes
        self.notes_text: dict[str, dict[str, str] | None] = {}
        self.notes_error: dict[str, str] = {}
        self.reading_notes = False

    def body_items(self, body: Any) -> list[Item]:
        items: list[Item] = []
        paragraphs = tables = 0  # counted apart: "đoạn 14" is the 14th paragraph, "bảng 2" …
        for element in self._blocks(body):
            if element.tag == f"{_W}p":
                paragraphs += 1
                items.append(self.paragraph(element, paragraphs))
            else:
                tables += 1
                items.append(self.table(element, tables))
        return items

    def _blocks(self, container: Any) -> list[Any]:
        # Content controls and custom XML wrap paragraphs and tables without changing them.
        found: list[Any] = []
        for element in container:
            if element.tag in (f"{_W}p", f"{_W}tbl"):
                found.append(element)
            elif element.tag in _WRAPPERS:
                found.extend(self._blocks(element))
        return found

    def paragraph(self, element: Any, index: int) -> Para:
        para = Para(index)
        properties = element.find(f"{_W}pPr")
        reference = None
        outline = None
        if properties is not None:
            style = properties.find(f"{_W}pStyle")
            para.style = style.get(f"{_W}val", "") if style is not None else ""
            jc = properties.find(f"{_W}jc")
            para.align = jc.get(f"{_W}val", "") if jc is not None else ""
            reference = num_reference(properties.find(f"{_W}numPr"))
            level = properties.find(f"{_W}outlineLvl")
            if level is not None:
                outline = small_int(level.get(f"{_W}val"), None, 0, 9)
        para.style_name = self.styles.name(para.style)
        para.align = para.align or self.styles.align(para.style)
        para.heading = self.styles.is_heading(para.style) or (outline is not None and outline < 9)
        if reference is None:
            reference = self.numbering_of_style(para.style)
        elif reference[0] and reference[0] != "0":
            style_reference = self.numbering_of_style(para.style)
            if properties.find(f"{_W}numPr/{_W}ilvl") is None and style_reference:
                reference = (reference[0], style_reference[1])
        if reference is not None:
            para.label = self.numbering.label(*reference)
        self._read_runs(element, para)
        para.runs = [(clean(text), bold, italic) for text, bold, italic in _merged(para.runs)]
        return para

    def _read_runs(self, element: Any, para: Para) -> None:
        """The paragraph's runs into `para`, fields and hidden text starting afresh."""
        self.fields, self.in_code, self.hidden = [], 0, []
        self.paragraph_hidden = self.hidden_styles.paragraph(para.style)
        self._runs(element, para)
        hidden = clean("".join(self.hidden)).strip()
        if hidden:
            para.notes.append(f"bỏ chữ ẩn (Word không hiển thị, không in): '{excerpt(hidden)}'")

    def numbering_of_style(self, style_id: str) -> tuple[str, int] | None:
        return self.styles.numbering(style_id)

    def _runs(self, element: Any, para: Para) -> None:
        for child in element:
            tag = child.tag
            if tag == f"{_W}r":
                self._run(child, para)
            elif tag in _TRANSPARENT:
                self._runs(child, para)
            elif tag == ALTERNATE_CONTENT:
                self._runs(chosen_alternative(child), para)
            elif tag in MATH_TAGS:
                _formula(child, para)
            elif tag in DRAWING_TAGS:  # a drawing in a chosen alternative, outside a run
                _drawing(child, para)

    def _run(self, run: Any, para: Para) -> None:
        properties = run.find(f"{_W}rPr")
        bold = italic = False
        hidden = self.paragraph_hidden
        if properties is not None:
            # One pass over the few properties costs less than a find for each (runs are
            # the most numerous elements of a document).
            style = vanish = None
            for setting in properties:
                tag = setting.tag
                if tag == _BOLD:
                    bold = toggle_on(setting)
                elif tag == _ITALIC:
                    italic = toggle_on(setting)
                elif tag == _RUN_STYLE:
                    style = setting
                elif tag == _VANISH:
                    vanish = setting
            if style is not None:  # a character style may hide the run, or show it
                hidden = self.hidden_styles.run(style.get(f"{_W}val", ""), hidden)
            if vanish is not None:  # the run's own w:vanish overrides its styles
                hidden = toggle_on(vanish)
        self._run_content(run, para, bold, italic, hidden)

    def _run_content(self, run: Any, para: Para, bold: bool, italic: bool, hidden: bool) -> None:
        for child in run:
            tag = child.tag
            text = ""
            if tag == f"{_W}fldChar":
                self._field_char(child.get(f"{_W}fldCharType"))
            elif self.in_code:
                continue  # a field's instruction (PAGE, HYPERLINK "…"); its result is kept
            elif tag == f"{_W}t":
                text = child.text or ""
            elif tag in (f"{_W}tab", f"{_W}ptab"):
                text = "\t"
            elif tag == f"{_W}br":
                if child.get(f"{_W}type") == "page":
                    para.page_break = True
                else:
                    text = "\n"
            elif tag == f"{_W}cr":
                text = "\n"
            elif tag == f"{_W}noBreakHyphen":
                text = "-"
            elif tag == f"{_W}sym":
                text, note = symbol_text(child)
                if note:
                    para.notes.append(note)
            elif tag in DRAWING_TAGS:
                _drawing(child, para)
            elif tag == ALTERNATE_CONTENT:
                self._run_content(chosen_alternative(child), para, bold, italic, hidden)
            elif tag == f"{_W}r":  # a run inside a chosen alternative
                self._run(child, para)
            elif tag == f"{_W}ruby":
                base = child.find(f"{_W}rubyBase")  # the guide (w:rt) above it is not text
                if base is not None:
                    self._runs(base, para)
            elif tag in _NOTE_KINDS and not hidden:
                self._note_reference(child, para, bold, italic)
            if text and hidden:
                self.hidden.append(text)  # Word neither shows nor prints it: left out, named
            elif text:
                para.runs.append((text, bold, italic))

    def _field_char(self, kind: str | None) -> None:
        if kind == "begin":
            self.fields.append(True)
            self.in_code += 1
        elif kind == "separate" and self.fields and self.fields[-1]:
            self.fields[-1] = False
            self.in_code -= 1
        elif kind == "end" and self.fields:
            self.in_code -= self.fields.pop()

    def _note_reference(self, element: Any, para: Para, bold: bool, italic: bool) -> None:
        """A footnote (endnote) mark: the note's text in brackets where the mark stood. A
        report has no footnotes of its own; in brackets the text is kept, and named."""
        if self.reading_notes:
            return  # a mark inside a note (Word writes none): never read a note into itself
        kind, what = _NOTE_KINDS[element.tag]
        number = element.get(f"{_W}id", "")
        texts = self._notes(kind)
        text = texts.get(number) if texts is not None else None
        if not text:
            why = self.notes_error.get(kind) or "tệp không có nội dung của chú thích này"
            para.notes.append(f"bỏ {what} số {excerpt(number, 12)}: không đọc được ({why})")
            return
        para.runs.append((note_insertion(what, text), bold, italic))
        para.notes.append(
            f"{what} số {excerpt(number, 12)} được nhập trong ngoặc đơn ở chỗ dấu chú thích: "
            f"'({what}: {excerpt(text)})'"
        )

    def _notes(self, kind: str) -> dict[str, str] | None:
        """The text of each footnote (or endnote) by its id, read once; None without them."""
        if kind not in self.notes_text:
            try:
                root = self.load_notes(kind) if self.load_notes is not None else None
            except DocxReadError as error:
                self.notes_error[kind] = str(error)
                root = None
            texts: dict[str, str] | None = None
            if root is not None:
                texts = {}
                # The paragraph being read.
                saved = self.fields, self.in_code, self.hidden, self.paragraph_hidden
                self.reading_notes = True
                for note in root:
                    paras = []
                    for element in note.iter(f"{_W}p"):
                        paras.append(Para(0, style=_style_id(element)))
                        self._read_runs(element, paras[-1])
                    text = " ".join(" ".join(p.text.split()) for p in paras)
                    texts[str(note.get(f"{_W}id", ""))] = clean(text.strip())
                self.reading_notes = False
                self.fields, self.in_code, self.hidden, self.paragraph_hidden = saved
            self.notes_text[kind] = texts
        return self.notes_text[kind]

    def table(self, element: Any, index: int) -> Grid:
        grid = Grid(index)
        # Rows and cells inside content controls are the table's own (a repeating section's
        # rows, a cell bound to a data field); a nested table's rows belong to its cell.
        for row in wrapped(element, f"{_W}tr"):
            cells: list[Cell] = []
            before = after = 0
            row_properties = row.find(f"{_W}trPr")
            if row_properties is not None:
                # A row starting at a later grid column (gridBefore) or ending early
                # (gridAfter): its cells stand under the columns Word draws them in.
                before = _grid_skip(row_properties.find(f"{_W}gridBefore"))
                after = _grid_skip(row_properties.find(f"{_W}gridAfter"))
            cells.extend(Cell([]) for _ in range(before))
            for cell in wrapped(row, f"{_W}tc"):
                properties = cell.find(f"{_W}tcPr")
                span = 1
                merged = False
                if properties is not None:
                    grid_span = properties.find(f"{_W}gridSpan")
                    if grid_span is not None:  # a claimed span of 10^9 columns stays 63
                        span = small_int(grid_span.get(f"{_W}val"), 1, 1, MAX_COLUMNS)
                    v_merge = properties.find(f"{_W}vMerge")
                    merged = v_merge is not None and v_merge.get(f"{_W}val") != "restart"
                paras = [self.paragraph(p, index) for p in cell.iter(f"{_W}p")]
                cells.append(Cell(paras, span, merged))
            cells.extend(Cell([]) for _ in range(after))
            grid.rows.append(cells)
        return grid


def _style_id(paragraph: Any) -> str:
    """The paragraph's style (w:pStyle), "" when it names none."""
    style = paragraph.find(f"{_W}pPr/{_W}pStyle")
    return style.get(f"{_W}val", "") if style is not None else ""


def wrapped(container: Any, tag: str) -> Iterator[Any]:
    """The `tag` children of `container`, also those inside content controls and custom XML."""
    for child in container:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from wrapped(child, tag)


def _grid_skip(element: Any) -> int:
    """The grid columns a row skips (w:gridBefore, w:gridAfter), at most a table's width."""
    return 0 if element is None else small_int(element.get(f"{_W}val"), 0, 0, MAX_COLUMNS)


def _formula(element: Any, para: Para) -> None:
    """A formula as plain text in the paragraph, named in its notes for a reader to check."""
    text, note = formula_text(element)
    if text:
        para.runs.append((text, False, False))
    if note:
        para.notes.append(note)


def _drawing(element: Any, para: Para) -> None:
    """A drawing: the text of its text boxes, or a picture (which import cannot keep)."""
    texts = text_box_texts(element)
    if texts is None:
        para.picture = True
    else:
        para.boxes.extend(texts)


def _merged(runs: list[tuple[str, bool, bool]]) -> list[tuple[str, bool, bool]]:
    """Neighbouring runs of one formatting joined (Word splits runs at every edit)."""
    merged: list[tuple[str, bool, bool]] = []
    for text, bold, italic in runs:
        if merged and merged[-1][1:] == (bold, italic):
            merged[-1] = (merged[-1][0] + text, bold, italic)
        else:
            merged.append((text, bold, italic))
    return merged


def _notes_loader(file: str, main_name: str) -> NotesLoader:
    """Reads the footnotes or endnotes part when the body first points to one (most replies
    have none, so the package is opened again only then); raises `DocxReadError`."""
    return functools.partial(read_related_part, file, main_name)


def place(item: Item) -> str:
    """Where an item stands, as a message names it: "đoạn 14" or "bảng 2"."""
    return f"bảng {item.index}" if isinstance(item, Grid) else f"đoạn {item.index}"


def reading_notes(items: list[Item]) -> list[str]:
    """What reading changed or left out, each note with its place ("đoạn 14: …", "bảng 3,
    dòng 2, cột 4: …"), in document order: for `ImportResult.notes`."""
    notes: list[str] = []
    for item in items:
        if isinstance(item, Para):
            notes.extend(f"đoạn {item.index}: {note}" for note in item.notes)
            continue
        for row_number, row in enumerate(item.rows, start=1):
            column = 1
            for cell in row:
                where = f"bảng {item.index}, dòng {row_number}, cột {column}"
                notes.extend(f"{where}: {note}" for para in cell.paras for note in para.notes)
                column += cell.span
    return notes


def read_items(path: str | os.PathLike[str]) -> list[Item]:
    """The document body of a .docx in reading order; raises `DocxReadError`.

    What reading changed or left out is in each paragraph's `notes`; `reading_notes` lists
    them with their places."""
    package = open_package(path)
    body = package.document.find(f"{_W}body")
    if body is None:
        raise DocxReadError(f"{os.fspath(path)}: phần {package.main_name} không có thân văn bản")
    try:
        loader = _notes_loader(os.fspath(path), package.main_name)
        return _Walker(package, loader).body_items(body)
    except RecursionError:  # libxml2 stops at 256 levels; this is the last guard
        raise DocxReadError(
            f"{os.fspath(path)}: phần {package.main_name} lồng nhau quá sâu; không đọc"
        ) from None
