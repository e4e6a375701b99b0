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
from dataclasses import dataclass
from functools import lru_cache

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
    return max(_line_width(line, bold) for line in lines) * size_pt / 1000


def _char_width(char: str, table: dict[str, int]) -> float:
    decomposed = unicodedata.normalize("NFD", char)
    base = decomposed[0]
    width: float = table.get(base, table.get(char, _DEFAULT_WIDTH))
    if _HORN in decomposed and base != "O":  # Ơ keeps its horn inside the O's width
        width += 60 if base == "U" else 40
    return width


# Each character's width once worked out: tables measure many cells of the same letters.
_KNOWN_WIDTHS: dict[bool, dict[str, float]] = {False: {}, True: {}}


def _line_width(line: str, bold: bool) -> float:
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


@dataclass(frozen=True)
class RunFormat:
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
        return f'<w:r>{properties}<w:t xml:space="preserve">{escape(value)}</w:t></w:r>'
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


@dataclass(frozen=True)
class ParagraphFormat:
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


def column_widths(weights: Sequence[float], total: int, count: int) -> list[int]:
    """Integer column widths in twips from relative weights, summing exactly to `total`."""
    if count <= 0:
        return []
    if len(weights) != count or any(not weight > 0 for weight in weights):
        weights = [1.0] * count
    whole = sum(weights)
    widths = [int(total * weight / whole) for weight in weights]
    widths[-1] += total - sum(widths)
    return widths


# -- column widths from content -------------------------------------------------------------

#: How many of a column's longest strings (by character count) are measured with the font
#: metrics: counting characters is C-speed for 10.000 rows, measuring is not.
_CANDIDATES = 4
#: The width estimate's error margin: a number one point too wide for its cell breaks mid-digit.
_WIDTH_SLACK = 1.05
_SLACK_TWIPS = 20


@dataclass(frozen=True)
class ColumnMeasure:
    """A column's content in 1/1000 em (so one measure serves every font size).

    `minimum` is its longest unbreakable word or number; `preferred` its longest cell on one
    line (a header counts as two lines: headers may wrap, body cells should not).
    """

    minimum: float
    preferred: float


@lru_cache(maxsize=4096)
def _units(value: str, bold: bool) -> float:
    return max(_line_width(line, bold) for line in clean_text(value).split("\n"))


def _longest(values: Iterable[str]) -> list[str]:
    """The `_CANDIDATES` longest distinct values by character count, ties in first-seen order.

    `dict.fromkeys`, not `set`: ties go to the first in row order, the same in every run (a
    set's order changes with the string hash seed, and the widths would with it). `sorted` is
    `heapq.nlargest`'s own definition, and faster at a table column's sizes.
    """
    distinct = dict.fromkeys(values)
    if len(distinct) <= _CANDIDATES:
        return sorted(distinct, key=len, reverse=True)
    return sorted(distinct, key=len, reverse=True)[:_CANDIDATES]


def _widest(values: Iterable[str], bold: bool) -> float:
    # The longest few by character count, measured; distinct values only (columns repeat).
    candidates = _longest(values)
    if not candidates:
        return 0.0
    # A string a fifth shorter than the longest is not wider in any realistic text.
    shortest = len(candidates[0]) * 4 // 5
    return max(_units(value, bold) for value in candidates if len(value) >= shortest)


#: Rows examined at a time: a 20.000-row table is never split into words all at once.
_CHUNK_ROWS = 2048


def measure_columns(
    header: Sequence[str], rows: Sequence[Sequence[str]], bold_rows: Sequence[int] = ()
) -> list[ColumnMeasure]:
    """The `ColumnMeasure` of each column: header (bold), body cells, the bold rows' cells.

    Rows are read a chunk at a time, keeping each column's longest few cells and words, so
    memory stays flat however long the table is.
    """
    count = len(header)
    cells: list[dict[str, None]] = [{} for _ in range(count)]
    words: list[dict[str, None]] = [{} for _ in range(count)]
    for start in range(0, len(rows), _CHUNK_ROWS):
        chunk = rows[start : start + _CHUNK_ROWS]
        for position, column in enumerate(zip(*chunk, strict=False)):
            if position >= count:
                break
            longest = _longest(column)
            cells[position].update(dict.fromkeys(longest))
            joined = " ".join(column)
            if joined.count(" ") == len(column) - 1 and "\n" not in joined:
                words[position].update(dict.fromkeys(longest))  # no space: a cell is a word
            else:
                words[position].update(dict.fromkeys(_longest(joined.split())))
    measures = []
    for position, title in enumerate(header):
        bold_cells = [rows[index][position] for index in bold_rows if position < len(rows[index])]
        minimum = max(_widest(words[position], False), _widest(title.split(), True))
        # A header may take two lines (a little more than half its length each).
        preferred = max(
            _widest(cells[position], False), _units(title, True) * 0.55 if title else 0.0
        )
        if bold_cells:
            minimum = max(minimum, _widest(" ".join(bold_cells).split(), True))
            preferred = max(preferred, _widest(bold_cells, True))
        measures.append(ColumnMeasure(minimum, max(minimum, preferred)))
    return measures


def _twips(units: float, size: float, padding: int) -> float:
    return units * size / 1000 * 20 * _WIDTH_SLACK + padding + _SLACK_TWIPS


def _valid_weights(weights: Sequence[float], count: int) -> bool:
    return len(weights) == count and all(
        isinstance(weight, int | float) and weight > 0 for weight in weights
    )


def _whole(shares: Sequence[float], total: int) -> list[int]:
    # Round down, then give the twips lost to the largest fractions (first column on a tie).
    widths = [int(share) for share in shares]
    order = sorted(range(len(shares)), key=lambda i: (widths[i] - shares[i], i))
    for index in order[: total - sum(widths)]:
        widths[index] += 1
    return widths


def fit_columns(
    measures: Sequence[ColumnMeasure],
    hint: Sequence[float],
    total: int,
    *,
    padding: int,
    sizes: Sequence[float] = (13, 12, 11),
) -> tuple[list[int], float]:
    """Column widths in twips summing to `total`, and the font size the table is set in.

    A browser's automatic table layout: each column is at least as wide as its longest word or
    number (`minimum`, so digits never break) and would like its longest cell on one line
    (`preferred`).
    - Everything fits on one line: each column gets its preferred width, and the room left is
      shared by the plugin's weights `hint` (by the preferred widths without a hint).
    - Otherwise, while the minimums fit: each column gets its minimum, and the room left goes
      to the columns in proportion to how much more they would like (max − min).
    - The minimums do not fit at the first size: the next smaller size of `sizes` is tried
      (13 → 12 → 11 pt), since a smaller table beats a number broken over two lines. At the
      smallest size the minimums are scaled down to fit, the last resort.
    `padding` is the cell's left plus right margin.
    """
    count = len(measures)
    if count == 0:
        return [], sizes[0]
    if not any(measure.preferred for measure in measures):  # no content: the hint, or equal
        return column_widths(hint, total, count), sizes[0]
    for size in sizes:
        minimums = [_twips(measure.minimum, size, padding) for measure in measures]
        if sum(minimums) <= total:
            break
    else:
        scale = total / sum(minimums)
        return _whole([width * scale for width in minimums], total), size
    preferred = [_twips(measure.preferred, size, padding) for measure in measures]
    if sum(preferred) <= total:
        weights = list(hint) if _valid_weights(hint, count) else preferred
        spare = total - sum(preferred)
        whole = sum(weights)
        shares = [
            width + spare * weight / whole for width, weight in zip(preferred, weights, strict=True)
        ]
    else:
        wishes = [want - least for want, least in zip(preferred, minimums, strict=True)]
        spare = total - sum(minimums)
        whole = sum(wishes)
        shares = [
            least + spare * wish / whole for least, wish in zip(minimums, wishes, strict=True)
        ]
    return _whole(shares, total), size


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
