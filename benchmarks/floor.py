"""The exact floor: tongket's `word/document.xml` for a benchmark report, with nothing but
a TOML reader, string templates and deflate.

    python benchmarks/floor.py REPORT.toml OUT.docx --skeleton SKELETON.docx [--reader tomllib]

It reads the report with the reader tongket itself uses for that text (rtoml when installed,
compiled tomli for a text of very many values, see `core/report/tomlread.py`; `--reader
tomllib`: the standard library's, the floor issue 11 first described, which a faster reader in
tongket beats on parsing alone) and writes, as plain f-strings, the same bytes tongket writes
into `word/document.xml`: the NĐ30 letterhead (cơ quan, Quốc hiệu and Tiêu ngữ with their
rules, Số, date, V/v), "Kính gửi", the sections, the closing, Nơi nhận and signature, and the
section properties. It imports nothing from tongket: no plugin host, no block objects, no
model, no validation, no sanitising (the generated inputs are clean NFC text). The benchmark
harness asserts that its `document.xml` equals tongket's, byte for byte.

Nor does it pay for anything else it does not use, since every start-up habit of tongket's
would otherwise count as tongket's gain over the floor: `tomllib` is imported only when it
reads (`--reader tomllib`, or no faster reader installed; the import alone is about 22 M
instructions), the command line is read without `argparse` (16 M), and the harness ends it
with `os._exit` after flushing, without the interpreter's teardown (18 M), as tongket's
console script ends (`bench_export.cached_script`).

What the document *is* the floor works out too, as tongket does, with short copies of
tongket's pure functions rather than imports (importing `tongket.core` would add pluggy's
start-up to every run): a table's columns normalised (all-empty columns left out, a true minus
in negative numbers: `core/render/tables.py`), its column widths and font size from its
content (`measure_columns`/`fit_columns` in `core/writers/docx_columns.py`), the no-break space
tying the last two words of the V/v line or a báo cáo's trích yếu (`tie_last_words` in
`core/writers/docx_letterhead.py`), and keep-with-next on the last body block and the closing.

The other parts of the package (styles, headers, settings, core properties …) do not depend
on the sections. They are copied from SKELETON.docx, a file tongket exported once from a
report with the same particulars and no sections (made by `bench_export.py` before any
timing, like pandoc's reference.docx), and deflated again at tongket's level, in tongket's
entry order, with its fixed times, so the whole .docx is byte-identical too.

Supported: sections of type `bench-section` (benchmarks/bench_plugin.py) and `free-text`
(plugins/free_text.py) with inline tables, **bold** and *italic* marks; particulars of a
công văn or a báo cáo. Anything else (citations, phụ lục) stops with a message: this is the
floor of the benchmark's shapes, not a second writer.
"""

from __future__ import annotations

import functools
import heapq
import io
import re
import sys
import time
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

# The document element as python-docx's template serialises it (verified against tongket's
# output by the harness, like everything else here).
DOCUMENT_HEAD = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<w:document xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas"'
    ' xmlns:mo="http://schemas.microsoft.com/office/mac/office/2008/main"'
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    ' xmlns:mv="urn:schemas-microsoft-com:mac:vml"'
    ' xmlns:o="urn:schemas-microsoft-com:office:office"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    ' xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
    ' xmlns:v="urn:schemas-microsoft-com:vml"'
    ' xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing"'
    ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:w10="urn:schemas-microsoft-com:office:word"'
    ' xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
    ' xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"'
    ' xmlns:wpi="http://schemas.microsoft.com/office/word/2010/wordprocessingInk"'
    ' xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    ' mc:Ignorable="w14 wp14"><w:body>'
)
# A4, margins 20/15/20/30 mm, page number in the header but not on page 1.
SECTION_PROPERTIES = (
    '<w:sectPr><w:headerReference w:type="default" r:id="rId1"/>'
    '<w:headerReference w:type="first" r:id="rId4"/><w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="1134" w:right="851" w:bottom="1134" w:left="1701" w:header="567"'
    ' w:footer="567" w:gutter="0"/><w:cols w:space="720"/><w:titlePg/>'
    '<w:docGrid w:linePitch="360"/></w:sectPr>'
)
DOCUMENT_TAIL = "</w:body></w:document>"

TEXT_WIDTH, LEFT_COLUMN = 9354, 3685
RIGHT_COLUMN = TEXT_WIDTH - LEFT_COLUMN
RULE_SHARE = 5 / 12
RECIPIENTS_INDENT = 1985
SIGNATURE_SPACE = 1440
TABLE_CELL_MARGIN = 85
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
JUSTIFY = {"left": "left", "center": "center", "right": "right", "justify": "both"}
BENCH_ALIGN = ("center", "right", "right", "right", "right")

# Times New Roman advance widths (1/1000 em), to lay out the rules under the agency and the
# trích yếu the way tongket does.
_REGULAR_GROUPS = {
    180: "'", 250: " \u00a0,.", 278: "ijlt/:;\\", 333: "fr()[]-I`!", 389: "sJ", 408: '"',
    444: "acez?“”‘’", 469: "^", 500: "bdghknopquvxy0123456789*_–đ", 556: "FPS",
    564: "+<=>\u2212", 611: "ELTZ", 667: "BCR", 722: "ADGHKNOQUVXYĐw", 778: "m&", 833: "%",
    889: "M", 921: "@", 944: "W", 1000: "—…",
}  # fmt: skip
_BOLD_GROUPS = {
    250: " \u00a0,.", 278: "il/\\'", 333: "fjt()[]-:;!`", 389: "sI", 444: "cerz‘’",
    500: "agovxyJ?*0123456789_–“”", 556: 'bdhknpquS"đ', 570: "+<=>\u2212", 611: "FP",
    667: "BELTZ", 722: "ACDNRUVXYĐw", 778: "GHKOQ", 833: "m&", 944: "M", 1000: "W%—…",
}  # fmt: skip
_WIDTHS = {
    bold: {char: width for width, chars in groups.items() for char in chars}
    for bold, groups in ((False, _REGULAR_GROUPS), (True, _BOLD_GROUPS))
}
_MARK = re.compile(r"(\*\*.+?\*\*|\*[^*\s](?:[^*]*[^*\s])?\*)", re.DOTALL)
_SUBJECT_PREFIX = re.compile(r"(?i)^(v/v|về việc)\s+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_KNOWN_WIDTHS: dict[bool, dict[str, float]] = {False: {}, True: {}}
NBSP = "\u00a0"

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIRST_ENTRIES = ("[Content_Types].xml", "_rels/.rels")
DOCUMENT_PART = "word/document.xml"
COMPRESS_LEVEL = 6


class FloorError(Exception):
    """The report uses something the floor does not write (it is not a second writer)."""


def char_width(char: str, bold: bool) -> float:
    """A character's advance in 1/1000 em (its base letter's; the horn of ơ/ư adds a little)."""
    known = _KNOWN_WIDTHS[bold]
    width = known.get(char)
    if width is None:
        table = _WIDTHS[bold]
        decomposed = unicodedata.normalize("NFD", char)
        base = decomposed[0]
        width = table.get(base, table.get(char, 500))
        if "\u031b" in decomposed and base != "O":
            width += 60 if base == "U" else 40
        known[char] = width
    return width


def line_units(line: str, bold: bool) -> float:
    """The width of one line in 1/1000 em."""
    known = _KNOWN_WIDTHS[bold]
    total = 0.0
    for char in line:
        width = known.get(char)
        total += char_width(char, bold) if width is None else width
    return total


def text_width_twips(text: str, size: float, *, bold: bool = False) -> int:
    """Estimated width of the longest line of Times New Roman text, in twips."""
    widest = max(line_units(line, bold) for line in text.split("\n"))
    return round(widest * size / 1000 * 20)


def escape(value: str) -> str:
    """`&`, `<`, `>` as entities."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


def run_properties(*, size: float | None = None, bold=None, italic=None) -> str:
    """A <w:rPr> (bold, italic, size), or "" when the style decides everything."""
    parts = []
    if bold is not None:
        parts.append("<w:b/>" if bold else '<w:b w:val="0"/>')
    if italic is not None:
        parts.append("<w:i/>" if italic else '<w:i w:val="0"/>')
    if size is not None:
        parts.append(f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


def run(value: str, properties: str = "") -> str:
    """One run; newlines become <w:br/> and tabs <w:tab/>."""
    if "\n" not in value and "\t" not in value:
        content = f'<w:t xml:space="preserve">{escape(value)}</w:t>' if value else ""
        return f"<w:r>{properties}{content}</w:r>"
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


def paragraph_properties(
    style: str,
    *,
    keep_next: bool = False,
    top_border: bool = False,
    before: int | None = None,
    after: int | None = None,
    left: int | None = None,
    right: int | None = None,
    hanging: int | None = None,
    align: str | None = None,
    mark_size: float | None = None,
) -> str:
    """A <w:pPr> with its children in schema order (only what the floor's inputs use)."""
    parts = [f'<w:pStyle w:val="{style}"/>']
    if keep_next:
        parts.append("<w:keepNext/>")
    if top_border:
        parts.append('<w:pBdr><w:top w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>')
    spacing = [(name, value) for name, value in (("before", before), ("after", after))]
    if any(value is not None for _, value in spacing):
        attributes = "".join(f' w:{name}="{value}"' for name, value in spacing if value is not None)
        parts.append(f"<w:spacing{attributes}/>")
    indents = (("left", left), ("right", right), ("hanging", hanging))
    if any(value is not None for _, value in indents):
        attributes = "".join(f' w:{name}="{value}"' for name, value in indents if value is not None)
        parts.append(f"<w:ind{attributes}/>")
    if align:
        parts.append(f'<w:jc w:val="{JUSTIFY[align]}"/>')
    if mark_size is not None:
        parts.append(f'<w:rPr><w:sz w:val="{round(mark_size * 2)}"/></w:rPr>')
    return f"<w:pPr>{''.join(parts)}</w:pPr>"


def text_paragraph(value: str, properties: str, run_props: str = "") -> str:
    """A paragraph of one run (none when the text is empty)."""
    return f"<w:p>{properties}{run(value, run_props) if value else ''}</w:p>"


def rule(width: int, column: int) -> str:
    """A centred horizontal line `width` twips long in a `column` twips wide."""
    width = max(0, min(width, column))
    side = (column - width) // 2
    pr = paragraph_properties("TKRule", top_border=True, left=side, right=column - width - side)
    return f"<w:p>{pr}</w:p>"


def table_open(widths: list[int], *, borders: bool, cell_margin: int) -> str:
    """<w:tbl>, its properties and grid."""
    edges = ("top", "left", "bottom", "right", "insideH", "insideV")
    if borders:
        border = "".join(
            f'<w:{e} w:val="single" w:sz="4" w:space="0" w:color="auto"/>' for e in edges
        )
    else:
        border = "".join(f'<w:{e} w:val="nil"/>' for e in edges)
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>{border}</w:tblBorders>'
        f'<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="{cell_margin}" w:type="dxa"/>'
        f'<w:right w:w="{cell_margin}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0"'
        ' w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
    )


def cell(width: int, content: str, *, center: bool = False) -> str:
    """A table cell holding paragraphs."""
    valign = '<w:vAlign w:val="center"/>' if center else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{valign}</w:tcPr>'
        f"{content or '<w:p/>'}</w:tc>"
    )


ROW_OPEN = "<w:tr><w:trPr><w:cantSplit/></w:trPr>"


# --- the particulars -------------------------------------------------------------------------


def subject_line(document: dict) -> str:
    """ "V/v …" for a công văn, the capitalised trích yếu for a báo cáo."""
    subject = _SUBJECT_PREFIX.sub("", document.get("subject", "").strip(), count=1)
    if document.get("kind", "cong-van") == "cong-van":
        return f"V/v {subject}" if subject else ""
    return subject[:1].upper() + subject[1:]


def date_line(document: dict) -> str:
    """ "Quảng Ngãi, ngày 02 tháng 4 năm 2021"."""
    place, day = document.get("place", ""), document.get("date")
    if day is None:
        return f"{place}, ngày … tháng … năm …"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def number_line(document: dict) -> str:
    """ "Số: 05/SCT-VP"."""
    number = document.get("number", "").strip()
    if number.isdigit() and len(number) < 2:
        number = number.zfill(2)
    return f"Số: {number}/{document.get('symbol', '')}"


def tie_last_words(text: str, column: int, size: float, *, bold: bool = False) -> str:
    """`text` with a no-break space between its last two words (four words or more, and the
    pair at most half the `column` wide), as tongket sets the V/v line and a trích yếu."""
    words = text.split(" ")
    if len(text.split()) < 4 or len(words) < 2 or "\n" in text:
        return text
    head, _, last = text.rpartition(" ")
    pair = f"{head.rsplit(' ', 1)[-1]} {last}"
    if not last or text_width_twips(pair, size, bold=bold) > column / 2:
        return text
    return f"{head}{NBSP}{last}"


def letterhead(document: dict) -> str:
    """The header table: cơ quan | Quốc hiệu, Tiêu ngữ; Số | date; V/v."""
    centred = paragraph_properties("TKLetterhead")
    left = []
    if document.get("parent_agency"):
        left.append(
            text_paragraph(
                document["parent_agency"].upper(), centred, run_properties(size=13, bold=False)
            )
        )
    agency = document.get("agency", "").upper()
    if agency:
        left.append(text_paragraph(agency, centred, run_properties(size=13, bold=True)))
        width = min(text_width_twips(agency, 13, bold=True), LEFT_COLUMN)
        left.append(rule(round(width * RULE_SHARE), LEFT_COLUMN))
    right = [
        text_paragraph(NATIONAL_TITLE, centred, run_properties(size=13, bold=True)),
        text_paragraph(MOTTO, centred, run_properties(size=14, bold=True)),
        rule(text_width_twips(MOTTO, 14, bold=True), RIGHT_COLUMN),
    ]
    below_rules = paragraph_properties("TKLetterhead", before=160)
    number = text_paragraph(number_line(document), below_rules, run_properties(size=13, bold=False))
    date = text_paragraph(
        date_line(document), below_rules, run_properties(size=14, bold=False, italic=True)
    )
    rows = [
        f"{ROW_OPEN}{cell(LEFT_COLUMN, ''.join(left))}{cell(RIGHT_COLUMN, ''.join(right))}</w:tr>",
        f"{ROW_OPEN}{cell(LEFT_COLUMN, number)}{cell(RIGHT_COLUMN, date)}</w:tr>",
    ]
    subject = subject_line(document)
    if document.get("kind", "cong-van") == "cong-van" and subject:
        below_number = paragraph_properties("TKLetterhead", before=120)
        subject = tie_last_words(subject, LEFT_COLUMN, 13)
        vv = text_paragraph(subject, below_number, run_properties(size=13, bold=False))
        rows.append(f"{ROW_OPEN}{cell(LEFT_COLUMN, vv)}{cell(RIGHT_COLUMN, '')}</w:tr>")
    opening = table_open([LEFT_COLUMN, RIGHT_COLUMN], borders=False, cell_margin=0)
    return opening + "".join(rows) + "</w:tbl>"


def report_title(document: dict) -> str:
    """A báo cáo's "BÁO CÁO", its trích yếu and the rule under them."""
    parts = [text_paragraph("BÁO CÁO", paragraph_properties("TKTitle", before=360))]
    subject = subject_line(document)
    if subject:
        tied = tie_last_words(subject, TEXT_WIDTH, 14, bold=True)
        parts.append(text_paragraph(tied, paragraph_properties("TKTitle")))
        width = min(text_width_twips(subject, 14, bold=True), TEXT_WIDTH)
        parts.append(rule(round(width * RULE_SHARE), TEXT_WIDTH))
    return "".join(parts)


def recipients(document: dict) -> str:
    """ "Kính gửi: X" centred, or "Kính gửi:" over "- A;" lines."""
    names = [n.strip().rstrip(";.") for n in document.get("recipients", []) if n.strip()]
    if not names:
        return ""
    if len(names) == 1:
        pr = paragraph_properties("TKRecipient", before=240, after=120, align="center")
        return text_paragraph(f"Kính gửi: {names[0]}", pr)
    lines = ["Kính gửi:", *(f"- {name};" for name in names[:-1]), f"- {names[-1]}."]
    label_width, dash_width = text_width_twips(lines[0], 14), text_width_twips("- ", 14)
    parts = [text_paragraph(lines[0], paragraph_properties("TKRecipient", before=240, left=1985))]
    item_left = RECIPIENTS_INDENT + label_width + dash_width
    for position, line in enumerate(lines[1:], start=2):
        after = 120 if position == len(lines) else None
        pr = paragraph_properties("TKRecipient", after=after, left=item_left, hanging=dash_width)
        parts.append(text_paragraph(line, pr))
    return "".join(parts)


def signature(document: dict) -> str:
    """The Nơi nhận | signature table."""
    items = [
        item.strip().removeprefix("-").strip().rstrip(";.")
        for item in document.get("distribution", [])
    ]
    items = [item for item in items if item]
    lines = [f"- {item};" for item in items[:-1]] + ([f"- {items[-1]}."] if items else [])
    left = [text_paragraph("Nơi nhận:", paragraph_properties("TKDistributionLabel", before=240))]
    left += [text_paragraph(line, paragraph_properties("TKDistribution")) for line in lines]
    signer = document.get("signer", {})
    prefix = signer.get("prefix", "")
    first = f"{prefix} {signer.get('head_title', '')}".strip()
    titles = [first.upper()] if first else []
    if prefix and signer.get("signer_title"):
        titles.append(signer["signer_title"].upper())
    right = [
        text_paragraph(line, paragraph_properties("TKSignature", before=0 if index else 240))
        for index, line in enumerate(titles)
    ]
    gap = SIGNATURE_SPACE if right else 240 + SIGNATURE_SPACE
    right.append(
        text_paragraph(signer.get("name", ""), paragraph_properties("TKSignature", before=gap))
    )
    opening = table_open([LEFT_COLUMN, RIGHT_COLUMN], borders=False, cell_margin=0)
    cells = cell(LEFT_COLUMN, "".join(left)) + cell(RIGHT_COLUMN, "".join(right))
    return f"{opening}{ROW_OPEN}{cells}</w:tr></w:tbl>"


# --- the sections ----------------------------------------------------------------------------

BODY_PPR = paragraph_properties("TKBody")
CLOSING_PPR = paragraph_properties("TKBody", keep_next=True)
RUN_PROPERTIES = {
    (False, False): "",
    (True, False): run_properties(bold=True),
    (False, True): run_properties(italic=True),
}


def runs_of(text: str) -> list[tuple[str, bool, bool]]:
    """(text, bold, italic) runs of a paragraph with **bold** and *italic* marks."""
    if "[[" in text:
        raise FloorError("citations ([[key]]) are not supported by the floor")
    found = []
    for piece in _MARK.split(text):
        if not piece:
            continue
        if piece.startswith("**") and piece.endswith("**") and len(piece) > 4:
            found.append((piece[2:-2], True, False))
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 2:
            found.append((piece[1:-1], False, True))
        else:
            found.append((piece, False, False))
    return found


def prose_paragraphs(text: str) -> list[list[tuple[str, bool, bool]]]:
    """Free text → paragraphs (blank line between two), each a list of runs."""
    parts = _PARAGRAPH_BREAK.split(text.strip())
    return [
        runs_of(" ".join(line.strip() for line in part.splitlines()))
        for part in parts
        if part.strip()
    ]


def body_paragraph(runs: list[tuple[str, bool, bool]]) -> str:
    """A TK Body paragraph of runs (empty runs skipped)."""
    content = "".join(
        run(text, RUN_PROPERTIES[bold, italic]) for text, bold, italic in runs if text
    )
    return f"<w:p>{BODY_PPR}{content}</w:p>"


# --- tables: what tongket prints and how wide (core/render/tables.py, core/writers/docx_xml.py)

TABLE_SIZES = (13, 12, 11)  # TK Table Text's size, then the smaller ones a wide table gets
MINUS = "\u2212"
_SEP = "\x00"
_EMPTY_CELL = r"(?>\s*(?:(?:[-–—]|[-+−–]?0+(?:[.,]0+)*(?:\s?%)?)\s*)?)"
_EMPTY_COLUMN = re.compile(f"{_EMPTY_CELL}(?:{_SEP}{_EMPTY_CELL})*")
_NEGATIVE = re.compile(
    f"(?:(?<={_SEP})|^)(\\s*)[-–]\\s?(?=\\d+(?:[.,]\\d+)*\\s?%?\\s*(?:{_SEP}|$))"
)
_CANDIDATES = 4  # a column's longest few strings (by length) are measured
_WIDTH_SLACK = 1.05
_SLACK_TWIPS = 20
_CHUNK_ROWS = 2048
_UNITS: dict[bool, dict[str, float]] = {False: {}, True: {}}
_TITLES: dict[str, tuple[float, float]] = {}
_PARAGRAPH_START = re.compile(r'<w:p>(?:<w:pPr>(<w:pStyle w:val="[^"]*"/>)?(?:<w:keepNext/>)?)?')


def normalize_table(
    header: list[str], rows: list[list[str]], align: tuple[str, ...]
) -> tuple[list[str], list, tuple[str, ...]]:
    """Columns whose every body cell is empty or zero left out, "-1,2" with a true minus."""
    count = len(header)
    if not rows or not count:
        return header, rows, align
    columns = list(zip(*rows, strict=True))
    joined = [_SEP.join(column) for column in columns]
    if any(text.count(_SEP) != len(rows) - 1 for text in joined):
        raise FloorError("a table cell holds U+0000")
    keep = [index for index in range(count) if not _EMPTY_COLUMN.fullmatch(joined[index])]
    keep = keep or list(range(count))
    changed = len(keep) < count
    fixed = []
    for index in keep:
        column = columns[index]
        if "-" in joined[index] or "–" in joined[index]:
            text, found = _NEGATIVE.subn(rf"\1{MINUS}", joined[index])
            if found:
                column, changed = tuple(text.split(_SEP)), True
        fixed.append(column)
    if not changed:
        return header, rows, align
    if 0 < len(align) < count:
        align = (*align, *("left",) * (count - len(align)))
    if len(align) == count:
        align = tuple(align[index] for index in keep)
    return [header[index] for index in keep], list(zip(*fixed, strict=True)), align


def _units(value: str, bold: bool) -> float:
    known = _UNITS[bold]
    units = known.get(value)
    if units is None:
        units = known[value] = max(line_units(line, bold) for line in value.split("\n"))
    return units


def _widest(values, bold: bool) -> float:
    return _widest_of(heapq.nlargest(_CANDIDATES, dict.fromkeys(values), key=len), bold)


def _widest_of(candidates: list[str], bold: bool) -> float:
    # `candidates`: distinct strings, longest first (ties in first-seen order).
    if not candidates:
        return 0.0
    shortest = len(candidates[0]) * 4 // 5
    return max(_units(value, bold) for value in candidates if len(value) >= shortest)


def _title_measure(title: str) -> tuple[float, float]:
    # A header's (longest word, half of it on two lines): the same header on many tables.
    measure = _TITLES.get(title)
    if measure is None:
        preferred = _units(title, True) * 0.55 if title else 0.0
        measure = _TITLES[title] = (_widest(title.split(), True), preferred)
    return measure


def measure_columns(header: list[str], rows: list) -> list[tuple[float, float]]:
    """Each column's (minimum, preferred) width in 1/1000 em: its longest word or number, and
    its longest cell (a header counting as two lines)."""
    count = len(header)
    if len(rows) <= _CHUNK_ROWS:  # one chunk: each column's candidates are measured once
        columns = list(zip(*rows, strict=False))[:count]
        columns += [()] * (count - len(columns))
        measures = []
        for title, column in zip(header, columns, strict=True):
            longest = heapq.nlargest(_CANDIDATES, dict.fromkeys(column), key=len)
            preferred = _widest_of(longest, False)
            joined = " ".join(column)
            if joined.count(" ") == len(column) - 1 and "\n" not in joined:
                minimum = preferred  # no space: a cell is a word
            else:
                tokens = dict.fromkeys(joined.split())
                minimum = _widest_of(heapq.nlargest(_CANDIDATES, tokens, key=len), False)
            title_minimum, title_preferred = _title_measure(title)
            minimum = max(minimum, title_minimum)
            measures.append((minimum, max(minimum, max(preferred, title_preferred))))
        return measures
    cells: list[dict[str, None]] = [{} for _ in range(count)]
    words: list[dict[str, None]] = [{} for _ in range(count)]
    for start in range(0, len(rows), _CHUNK_ROWS):
        chunk = rows[start : start + _CHUNK_ROWS]
        for position, column in enumerate(zip(*chunk, strict=False)):
            if position >= count:
                break
            longest = heapq.nlargest(_CANDIDATES, dict.fromkeys(column), key=len)
            cells[position].update(dict.fromkeys(longest))
            joined = " ".join(column)
            if joined.count(" ") == len(column) - 1 and "\n" not in joined:
                words[position].update(dict.fromkeys(longest))
            else:
                tokens = dict.fromkeys(joined.split())
                words[position].update(dict.fromkeys(heapq.nlargest(_CANDIDATES, tokens, key=len)))
    measures = []
    for position, title in enumerate(header):
        title_minimum, title_preferred = _title_measure(title)
        minimum = max(_widest(words[position], False), title_minimum)
        preferred = max(_widest(cells[position], False), title_preferred)
        measures.append((minimum, max(minimum, preferred)))
    return measures


def _twips(units: float, size: float) -> float:
    return units * size / 1000 * 20 * _WIDTH_SLACK + 2 * TABLE_CELL_MARGIN + _SLACK_TWIPS


def _whole(shares: list[float], total: int) -> list[int]:
    widths = [int(share) for share in shares]
    order = sorted(range(len(shares)), key=lambda i: (widths[i] - shares[i], i))
    for index in order[: total - sum(widths)]:
        widths[index] += 1
    return widths


def fit_columns(measures: list[tuple[float, float]], total: int) -> tuple[list[int], float]:
    """Column widths summing to `total` and the table's font size (the plugin gives no
    weights): preferred widths if they fit, else minimums plus a share of what is left, at
    13, 12 or 11 pt; at 11 pt the minimums scaled down."""
    count = len(measures)
    if not any(preferred for _, preferred in measures):
        widths = [int(total / count)] * count
        widths[-1] += total - sum(widths)
        return widths, TABLE_SIZES[0]
    for size in TABLE_SIZES:
        minimums = [_twips(minimum, size) for minimum, _ in measures]
        if sum(minimums) <= total:
            break
    else:
        scale = total / sum(minimums)
        return _whole([width * scale for width in minimums], total), size
    preferred = [_twips(want, size) for _, want in measures]
    if sum(preferred) <= total:
        spare = total - sum(preferred)
        whole = sum(preferred)
        shares = [width + spare * width / whole for width in preferred]
    else:
        wishes = [want - least for want, least in zip(preferred, minimums, strict=True)]
        spare = total - sum(minimums)
        whole = sum(wishes)
        shares = [
            least + spare * wish / whole for least, wish in zip(minimums, wishes, strict=True)
        ]
    return _whole(shares, total), size


def _keep_next(match: re.Match[str]) -> str:
    if match.group(0) == "<w:p>":
        return "<w:p><w:pPr><w:keepNext/></w:pPr>"
    return f"<w:p><w:pPr>{match.group(1) or ''}<w:keepNext/>"


def keep_with_next(xml: str, *, every: bool = False) -> str:
    """`xml` with its last paragraph (with `every`, each one) given <w:keepNext/>."""
    if every:
        return _PARAGRAPH_START.sub(_keep_next, xml)
    last = None
    for match in _PARAGRAPH_START.finditer(xml):
        last = match
    if last is None:
        return xml
    return xml[: last.start()] + _keep_next(last) + xml[last.end() :]


@functools.lru_cache(maxsize=64)
def table_layout(
    widths: tuple[int, ...], align: tuple[str, ...], size: float, header: tuple[str, ...]
) -> tuple[str, list[tuple[str, str]], list[tuple[str, str]], str]:
    """The opening and header row, each column's cell XML around a value (and around its
    escaped text), and the run properties: built once for the many tables of one layout."""
    small = None if size == TABLE_SIZES[0] else size
    properties = run_properties(size=small)
    aligns = list(align) + ["left"] * (len(widths) - len(align))
    header_ppr = paragraph_properties("TKTableHeader", mark_size=small)
    # Each column's cell up to the text, and after it: a row costs its text and one join.
    frames = [
        (
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
            f"<w:p>{paragraph_properties('TKTableText', align=column_align, mark_size=small)}",
            "</w:p></w:tc>",
        )
        for width, column_align in zip(widths, aligns, strict=False)
    ]
    text_frames = [
        (f'{opening}<w:r>{properties}<w:t xml:space="preserve">', f"</w:t></w:r>{closing}")
        for opening, closing in frames
    ]
    head = (
        table_open(list(widths), borders=True, cell_margin=TABLE_CELL_MARGIN)
        + "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
        + "".join(
            cell(width, text_paragraph(title, header_ppr, properties), center=True)
            for width, title in zip(widths, header, strict=True)
        )
        + "</w:tr>"
    )
    return head, frames, text_frames, properties


def data_table(
    header: list[str], rows: list, align: tuple[str, ...], *, keep_last: bool = False
) -> str:
    """A bordered table with a repeated bold header row, columns sized by their content.

    keep_last: the last row (the header if there is none) stays with the next paragraph.
    """
    header, rows, align = normalize_table(header, rows, align)
    if not header:
        return ""
    widths, size = fit_columns(measure_columns(header, rows), TEXT_WIDTH)
    head, frames, text_frames, properties = table_layout(
        tuple(widths), tuple(align), size, tuple(header)
    )
    parts = [head]
    for values in rows:
        cells = [ROW_OPEN]
        for frame, text_frame, value in zip(frames, text_frames, values, strict=False):
            if not value:
                cells.append(frame[0] + frame[1])
            elif "\n" in value or "\t" in value:
                cells.append(frame[0] + run(value, properties) + frame[1])
            else:
                cells.append(text_frame[0] + escape(value) + text_frame[1])
        cells.append("</w:tr>")
        parts.append("".join(cells))
    if keep_last:
        parts[-1] = keep_with_next(parts[-1], every=True)
    parts.append("</w:tbl>")
    return "".join(parts)


def section_blocks(section: dict, *, keep_last: bool = False) -> list[str]:
    """The XML of one section, one string per tongket block.

    keep_last: the section's last block is the body's last, kept with the closing (its last
    paragraph, or its table's last row).
    """
    kind, data = section["type"], section.get("data", {})
    if section.get("table", "inline") != "inline":
        raise FloorError("only inline tables are supported by the floor")
    paragraphs: list[list[tuple[str, bool, bool]]] = []
    table = ""
    if kind == "bench-section":
        for text in data["paragraphs"]:
            paragraphs += prose_paragraphs(text)
        if not data["header"]:
            raise FloorError("a table without columns is not supported by the floor")
        table = data_table(data["header"], data["rows"], BENCH_ALIGN, keep_last=keep_last)
    elif kind == "free-text":
        paragraphs = prose_paragraphs(data.get("text", ""))
    else:
        raise FloorError(f"section type {kind!r} is not supported by the floor")
    number, heading = section.get("number", ""), section.get("heading", "")
    blocks = []
    if heading:
        level = max(1, min(len([part for part in number.split(".") if part.strip()]), 4))
        line = f"{number} {heading}".strip()
        blocks.append(f'<w:p><w:pPr><w:pStyle w:val="Heading{level}"/></w:pPr>{run(line)}</w:p>')
    elif number and paragraphs:
        paragraphs[0] = [(number + " ", False, False), *paragraphs[0]]
    elif number and table:
        paragraphs = [[(number, False, False)]]
    # (a bare number with nothing under it is not printed)
    blocks += [body_paragraph(runs) for runs in paragraphs]
    if table:
        blocks.append(table)
    elif keep_last and blocks:
        blocks[-1] = keep_with_next(blocks[-1])
    return blocks


def separate_tables(parts: Iterable[str]) -> Iterator[str]:
    """Word merges two adjacent tables: a small rule paragraph goes between them."""
    previous = ""
    for part in parts:
        if not part:
            continue
        if previous.endswith("</w:tbl>") and part.startswith("<w:tbl>"):
            yield '<w:p><w:pPr><w:pStyle w:val="TKRule"/><w:spacing w:before="120"/></w:pPr></w:p>'
        yield part
        previous = part


def body_parts(report: dict) -> Iterator[str]:
    """Everything inside <w:body>, in reading order."""
    document = report["document"]
    yield letterhead(document)
    if document.get("kind", "cong-van") == "bao-cao":
        yield report_title(document)
    yield recipients(document)
    sections = report.get("sections", [])
    # The last section that prints something ends the body: its last block is kept with
    # the closing and the signature.
    last, tail = len(sections), []
    while last and not tail:
        last -= 1
        tail = section_blocks(sections[last], keep_last=True)
    for section in sections[:last]:
        yield from section_blocks(section)
    yield from tail
    if document.get("closing"):
        yield text_paragraph(document["closing"], CLOSING_PPR)
    yield signature(document)
    yield SECTION_PROPERTIES


def document_xml(report: dict) -> bytes:
    """The bytes of word/document.xml.

    Each block is encoded on its own and the bytes joined once: a body-sized `str` of
    Vietnamese text takes two bytes a character and made the floor slower (1,2 s against
    1,8 s on 1.000 sections) and four times bigger in memory.
    """
    parts = [DOCUMENT_HEAD.encode()]
    parts += [part.encode() for part in separate_tables(body_parts(report))]
    parts.append(DOCUMENT_TAIL.encode())
    return b"".join(parts)


def write_docx(document: bytes, skeleton: Path, target: Path) -> None:
    """The package: `document` as word/document.xml, every other part from `skeleton`."""
    with zipfile.ZipFile(skeleton) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    entries[DOCUMENT_PART] = document
    order = sorted(
        entries,
        key=lambda name: (FIRST_ENTRIES.index(name) if name in FIRST_ENTRIES else 2, name),
    )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as package:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            package.writestr(info, entries[name], compresslevel=COMPRESS_LEVEL)
    target.write_bytes(output.getvalue())


#: tongket's `tomlread.RUST_MAX_QUOTES`: past it, tongket reads with compiled tomli (memory).
RUST_MAX_QUOTES = 200_000


def read_report(path: Path, reader: str) -> dict:
    """The report's table, read as tongket reads such a text (rtoml, or compiled tomli for a
    text of very many values) or, with `reader` "tomllib", by the standard library."""
    if reader == "fast":
        text = path.read_text(encoding="utf-8")
        try:
            if text.count('"') <= RUST_MAX_QUOTES:
                import rtoml

                return rtoml.loads(text)
            import tomli

            return tomli.loads(text)
        except ImportError:
            pass
    import tomllib  # only here: its import alone is a sixth of an empty report's export

    with path.open("rb") as file:
        return tomllib.load(file)


USAGE = "floor.py REPORT.toml OUT.docx --skeleton SKELETON.docx [--reader fast|tomllib]"
READERS = ("fast", "tomllib")


def read_arguments(argv: list[str]) -> tuple[Path, Path, Path, str]:
    """(report, output, skeleton, reader) from the command line, read without argparse (nor
    `typing`): a floor pays for nothing it does not need, and tongket reads a plain command
    line without argparse too (`cli._plain_arguments`)."""
    positional: list[str] = []
    named = {"--skeleton": "", "--reader": "fast"}
    words = iter(argv)
    for word in words:
        if word in named:
            named[word] = next(words, "-")
            if named[word].startswith("-"):  # its value missing
                raise SystemExit(f"usage: {USAGE}")
        elif word.startswith("-") or len(positional) == 2:
            raise SystemExit(f"usage: {USAGE}")
        else:
            positional.append(word)
    if len(positional) != 2 or not named["--skeleton"] or named["--reader"] not in READERS:
        raise SystemExit(f"usage: {USAGE}")
    report, output = map(Path, positional)
    return report, output, Path(named["--skeleton"]), named["--reader"]


def main(argv: list[str] | None = None) -> int:
    """Read the report, write the .docx; print the time spent in process."""
    started = time.perf_counter()
    report_path, output, skeleton, reader = read_arguments(sys.argv[1:] if argv is None else argv)
    report = read_report(report_path, reader)
    try:
        xml = document_xml(report)
    except FloorError as error:
        print(f"floor: {error}", file=sys.stderr)
        return 2
    write_docx(xml, skeleton, output)
    print(f"floor: {time.perf_counter() - started:.3f} s in process", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
