"""WordprocessingML fragments as strings, and a text-width estimate for Times New Roman.

The writer assembles the body as XML strings and splices them into `document.xml` without
parsing them: python-docx's `add_paragraph`/`add_table` look for the section properties on
every call and `table.cell()` is quadratic (python-docx#174), while string building stays
linear in the document's size. Property elements are built once per format (cached), since a
long table repeats the same few formats thousands of times.
Every text passes through `sanitize.clean_text` here, so nothing else needs to remember it.
Lengths are in twips (1/20 pt) unless a name says otherwise; font sizes are in points.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from tongket.core.writers.sanitize import clean_text

NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
}
NSDECLS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())

TWIPS_PER_CM = 1440 / 2.54
JUSTIFY = {"left": "left", "center": "center", "right": "right", "justify": "both"}

# Advance widths of Times New Roman in 1/1000 em (its metrics equal Adobe's Times), grouped
# by width so the table stays readable. Vietnamese letters are measured by their base letter;
# the horn of ơ/ư/Ư adds a little.
_REGULAR_GROUPS = {
    180: "'",
    250: " \u00a0,.",
    278: "ijlt/:;\\",
    333: "fr()[]-I`!",
    389: "sJ",
    408: '"',
    444: "acez?“”‘’",
    469: "^",
    500: "bdghknopquvxy0123456789*_–đ",
    556: "FPS",
    564: "+<=>\u2212",
    611: "ELTZ",
    667: "BCR",
    722: "ADGHKNOQUVXYĐw",
    778: "m&",
    833: "%",
    889: "M",
    921: "@",
    944: "W",
    1000: "—…",
}
_BOLD_GROUPS = {
    250: " \u00a0,.",
    278: "il/\\'",
    333: "fjt()[]-:;!`",
    389: "sI",
    444: "cerz‘’",
    500: "agovxyJ?*0123456789_–“”",
    556: 'bdhknpquS"đ',
    570: "+<=>\u2212",
    611: "FP",
    667: "BELTZ",
    722: "ACDNRUVXYĐw",
    778: "GHKOQ",
    833: "m&",
    944: "M",
    1000: "W%—…",
}
_DEFAULT_WIDTH = 500  # anything not listed: an average lower-case letter


def _width_table(groups: dict[int, str]) -> dict[str, int]:
    return {char: width for width, chars in groups.items() for char in chars}


_REGULAR = _width_table(_REGULAR_GROUPS)
_BOLD = _width_table(_BOLD_GROUPS)
_HORN = "\u031b"


def text_width_pt(text: str, size_pt: float, *, bold: bool = False) -> float:
    """Estimated printed width of Times New Roman text, in points (its longest line)."""
    lines = clean_text(text).split("\n")
    return max(line_width(line, bold) for line in lines) * size_pt / 1000


def _char_width(char: str, table: dict[str, int]) -> float:
    decomposed = unicodedata.normalize("NFD", char)
    base = decomposed[0]
    width: float = table.get(base, table.get(char, _DEFAULT_WIDTH))
    if _HORN in decomposed and base != "O":  # Ơ keeps its horn inside the O's width
        width += 60 if base == "U" else 40
    return width


# Each character's width once worked out: tables measure many cells of the same letters.
_KNOWN_WIDTHS: dict[bool, dict[str, float]] = {False: {}, True: {}}


def line_width(line: str, bold: bool) -> float:
    """One line of Times New Roman text, in 1/1000 em (multiply by the size for points)."""
    known = _KNOWN_WIDTHS[bold]
    table = _BOLD if bold else _REGULAR
    total = 0.0
    for char in line:
        width = known.get(char)
        if width is None:
            width = _char_width(char, table)
            if len(known) < 4096:  # bounded, whatever a hostile text holds
                known[char] = width
        total += width
    return total


def text_width_twips(text: str, size_pt: float, *, bold: bool = False) -> int:
    """Estimated width of text (its longest line), in twips."""
    return round(text_width_pt(text, size_pt, bold=bold) * 20)


def wrapped_width_twips(text: str, size_pt: float, column: int, *, bold: bool = False) -> int:
    """Estimated width of the longest line `text` takes when wrapped at spaces in `column`
    twips, as Word wraps a centred title: what a rule "1/3 to 1/2 of the text line" measures.

    A no-break space does not wrap; a word wider than the column counts as the column.
    """
    longest = 0
    for paragraph_line in clean_text(text).split("\n"):
        line = ""
        for word in paragraph_line.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and text_width_twips(candidate, size_pt, bold=bold) > column:
                longest = max(longest, text_width_twips(line, size_pt, bold=bold))
                candidate = word
            line = candidate
        longest = max(longest, text_width_twips(line, size_pt, bold=bold))
    return min(longest, column)


def escape(value: str) -> str:
    """`&`, `<` and `>` as XML entities (what `xml.sax.saxutils.escape` does).

    Written here because importing `xml.sax.saxutils` pulls in urllib, http and email: a
    third of a small export's start-up.
    """
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


def quoteattr(value: str) -> str:
    """An escaped, quoted XML attribute value (what `xml.sax.saxutils.quoteattr` does)."""
    value = escape(value).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"{}"'.format(value.replace('"', "&quot;"))


def text(value: str) -> str:
    """Sanitised text escaped for an XML text node."""
    return escape(clean_text(value))


def attr(value: str) -> str:
    """Sanitised text as a quoted XML attribute value."""
    return quoteattr(clean_text(value))


# NamedTuples, not frozen dataclasses: as immutable and hashable (they key the property caches
# below), and cheaper to define at every start (developer guide, "Start-up costs").
class RunFormat(NamedTuple):
    """Direct run formatting; None leaves the value to the paragraph style."""

    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    color: str | None = None


PLAIN = RunFormat()


@lru_cache(maxsize=512)
def run_properties(fmt: RunFormat) -> str:
    """A <w:rPr>, or "" when the run takes everything from its style."""
    parts = []
    if fmt.bold is not None:
        parts.append("<w:b/>" if fmt.bold else '<w:b w:val="0"/>')
    if fmt.italic is not None:
        parts.append("<w:i/>" if fmt.italic else '<w:i w:val="0"/>')
    if fmt.color:
        parts.append(f'<w:color w:val="{fmt.color}"/>')
    if fmt.size is not None:
        half_points = round(fmt.size * 2)
        parts.append(f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


def run(value: str, fmt: RunFormat = PLAIN) -> str:
    """One run; newlines become line breaks and tabs become tab characters."""
    return styled_run(value, run_properties(fmt))


def styled_run(value: str, properties: str) -> str:
    """`run` with its <w:rPr> already built (see `run_properties`): a long table's cells and a
    paragraph's runs reuse a few property strings instead of hashing a `RunFormat` per run."""
    if value.isprintable():  # the usual case: one text element (or none), nothing to clean
        if not value:
            return f"<w:r>{properties}</w:r>"
        if not value.isascii():
            value = unicodedata.normalize("NFC", value)  # as `clean_text` does
        if "&" in value or "<" in value or ">" in value:  # `escape`'s own tests, its call saved
            value = escape(value)
        return f'<w:r>{properties}<w:t xml:space="preserve">{value}</w:t></w:r>'
    value = clean_text(value)
    pieces = []
    for line_index, line in enumerate(value.split("\n")):
        if line_index:
            pieces.append("<w:br/>")
        for tab_index, chunk in enumerate(line.split("\t")):
            if tab_index:
                pieces.append("<w:tab/>")
            if chunk:
                pieces.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
    return f"<w:r>{properties}{''.join(pieces)}</w:r>"


def runs(items: Iterable[tuple[str, RunFormat]]) -> str:
    """Several runs, skipping empty ones."""
    return "".join(run(value, fmt) for value, fmt in items if value)


class ParagraphFormat(NamedTuple):
    """Direct paragraph formatting over a named style; None keeps the style's value."""

    style: str = ""
    keep_next: bool = False
    align: str | None = None  # one of JUSTIFY's keys
    before: int | None = None
    after: int | None = None
    left: int | None = None
    right: int | None = None
    first_line: int | None = None
    hanging: int | None = None
    top_border: bool = False
    mark_size: float | None = None  # size of the paragraph mark (sets an empty line's height)


@lru_cache(maxsize=512)
def paragraph_properties(fmt: ParagraphFormat, section: str = "") -> str:
    """A <w:pPr> with its children in schema order."""
    parts = []
    if fmt.style:
        parts.append(f'<w:pStyle w:val="{fmt.style}"/>')
    if fmt.keep_next:
        parts.append("<w:keepNext/>")
    if fmt.top_border:
        parts.append('<w:pBdr><w:top w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>')
    if fmt.before is not None or fmt.after is not None:
        spacing = "".join(
            f' w:{name}="{value}"'
            for name, value in (("before", fmt.before), ("after", fmt.after))
            if value is not None
        )
        parts.append(f"<w:spacing{spacing}/>")
    indents = (
        ("left", fmt.left),
        ("right", fmt.right),
        ("firstLine", fmt.first_line),
        ("hanging", fmt.hanging),
    )
    if any(value is not None for _, value in indents):
        ind = "".join(f' w:{name}="{value}"' for name, value in indents if value is not None)
        parts.append(f"<w:ind{ind}/>")
    if fmt.align:
        parts.append(f'<w:jc w:val="{JUSTIFY[fmt.align]}"/>')
    if fmt.mark_size is not None:
        parts.append(f'<w:rPr><w:sz w:val="{round(fmt.mark_size * 2)}"/></w:rPr>')
    parts.append(section)
    return f"<w:pPr>{''.join(parts)}</w:pPr>" if any(parts) else ""


def paragraph(fmt: ParagraphFormat, content: str = "", section: str = "") -> str:
    """A <w:p> holding already-built runs (or a picture); `section` is a <w:sectPr>."""
    return f"<w:p>{paragraph_properties(fmt, section)}{content}</w:p>"


def text_paragraph(value: str, fmt: ParagraphFormat, run_fmt: RunFormat = PLAIN) -> str:
    """A paragraph of one run of text."""
    return paragraph(fmt, run(value, run_fmt) if value else "")


def rule(width: int, column: int, style: str) -> str:
    """A centred horizontal line `width` twips long inside a `column` twips wide."""
    width = max(0, min(width, column))
    side = (column - width) // 2
    fmt = ParagraphFormat(style=style, top_border=True, left=side, right=column - width - side)
    return paragraph(fmt)


NO_BORDERS = "".join(
    f'<w:{edge} w:val="nil"/>' for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
)
SINGLE_BORDERS = "".join(
    f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
)


# -- tables and rows -----------------------------------------------------------------------


def table_open(widths: Sequence[int], *, borders: bool, cell_margin: int) -> str:
    """The start of a fixed-layout table: <w:tbl>, its properties and grid."""
    total = sum(widths)
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/>'
        '<w:tblInd w:w="0" w:type="dxa"/>'
        f"<w:tblBorders>{SINGLE_BORDERS if borders else NO_BORDERS}</w:tblBorders>"
        '<w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{cell_margin}" w:type="dxa"/>'
        f'<w:right w:w="{cell_margin}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0"'
        ' w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
    )


def cell(width: int, content: str, *, center: bool = False) -> str:
    """One table cell; `content` is one or more paragraphs (a cell needs at least one)."""
    return f"{_cell_opening(width, center)}{content or '<w:p/>'}</w:tc>"


def _cell_opening(width: int, center: bool) -> str:
    valign = '<w:vAlign w:val="center"/>' if center else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{valign}</w:tcPr>'


def text_cell_frame(width: int, fmt: ParagraphFormat) -> tuple[str, str]:
    """The XML around the runs of a one-paragraph cell, to build a long column's cells fast.

    `opening + runs + closing` equals `cell(width, paragraph(fmt, runs))`.
    """
    return f"{_cell_opening(width, False)}<w:p>{paragraph_properties(fmt)}", "</w:p></w:tc>"


def row(cells: Iterable[str], *, header: bool = False, cant_split: bool = True) -> str:
    """One table row; a header row repeats at the top of every page the table spans."""
    properties = ("<w:cantSplit/>" if cant_split else "") + ("<w:tblHeader/>" if header else "")
    row_properties = f"<w:trPr>{properties}</w:trPr>" if properties else ""
    return f"<w:tr>{row_properties}{''.join(cells)}</w:tr>"


_PARAGRAPH_START = re.compile(r'<w:p>(?:<w:pPr>(<w:pStyle w:val="[^"]*"/>)?(?:<w:keepNext/>)?)?')


def _keep_next(match: re.Match[str]) -> str:
    if match.group(0) == "<w:p>":  # no properties yet
        return "<w:p><w:pPr><w:keepNext/></w:pPr>"
    return f"<w:p><w:pPr>{match.group(1) or ''}<w:keepNext/>"


def keep_with_next(xml: str, *, every: bool = False) -> str:
    """`xml` with its last paragraph (with `every`, each one) kept on the next one's page.

    Works on the writer's own XML, where a paragraph opens as "<w:p>" and <w:keepNext/>
    follows <w:pStyle/> in the schema's order; a paragraph already kept is left as it is.
    """
    if every:
        return _PARAGRAPH_START.sub(_keep_next, xml)
    last = None
    for match in _PARAGRAPH_START.finditer(xml):
        last = match
    if last is None:
        return xml
    return xml[: last.start()] + _keep_next(last) + xml[last.end() :]


def page_break() -> str:
    """A paragraph holding only a page break."""
    return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


def page_field(size: float, style: str) -> str:
    """A centred paragraph showing the page number as a PAGE field."""
    props = run_properties(RunFormat(size=size))
    pieces = (
        '<w:fldChar w:fldCharType="begin"/>',
        '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
        '<w:fldChar w:fldCharType="separate"/>',
        "<w:t>2</w:t>",
        '<w:fldChar w:fldCharType="end"/>',
    )
    content = "".join(f"<w:r>{props}{piece}</w:r>" for piece in pieces)
    return paragraph(ParagraphFormat(style=style, align="center"), content)
