"""The named Word styles of a tongket document, created up front on python-docx's template.

Every part of the document uses a named style ("TK Body", "Heading 1", "TK Letterhead", …) so
whoever keeps editing the file in Word finds the formatting in the style gallery rather than
scattered over each paragraph. The template's theme fonts and theme colours are replaced:
NĐ30 wants Times New Roman, black, everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips
from docx.styles.style import ParagraphStyle
from lxml import etree

from .docx_xml import NAMESPACES

FONT = "Times New Roman"
LANGUAGE = "vi-VN"
BODY_SIZE = 14
FIRST_LINE = 567  # 1 cm first-line indent (NĐ30: 1 or 1,27 cm)
PARAGRAPH_GAP = 120  # 6 pt before each body paragraph (NĐ30: at least 6 pt)
LINE_SPACING = 1.15  # NĐ30 allows single up to 1,5 lines
ERROR_COLOR = RGBColor(0xC0, 0x00, 0x00)  # the one colour allowed: a failed section must show

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


@dataclass(frozen=True)
class StyleSpec:
    """One paragraph style: what it changes relative to its base style."""

    name: str
    base: str = "Normal"
    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    align: str | None = None
    first_line: int | None = None
    left: int | None = None
    hanging: int | None = None
    before: int | None = None
    after: int | None = None
    line: float | None = None
    keep_next: bool = False

    @property
    def id(self) -> str:
        """The style id Word stores in w:pStyle ("TK Body" → "TKBody")."""
        return self.name.replace(" ", "")


def _body(name: str, **changes) -> StyleSpec:
    return StyleSpec(name, base="TK Body", **changes)


BODY = StyleSpec(
    "TK Body",
    size=BODY_SIZE,
    align="justify",
    first_line=FIRST_LINE,
    before=PARAGRAPH_GAP,
    after=0,
    line=LINE_SPACING,
)
CENTER = _body("TK Center", align="center", first_line=0)
NOTE = _body("TK Note", size=13, italic=True)
LIST = _body("TK List", left=FIRST_LINE + 284, hanging=284)
CAPTION = _body("TK Caption", bold=True, align="center", first_line=0, keep_next=True)
ERROR = _body("TK Error", bold=True, italic=True)
TABLE_TEXT = StyleSpec("TK Table Text", size=13, before=40, after=40, line=1.0)
TABLE_HEADER = StyleSpec("TK Table Header", base="TK Table Text", bold=True, align="center")
LETTERHEAD = StyleSpec("TK Letterhead", size=13, align="center", before=0, after=0, line=1.0)
RULE = StyleSpec("TK Rule", size=1, before=60, after=0, line=1.0)  # 3 pt below the text
TITLE = StyleSpec("TK Title", size=14, bold=True, align="center", before=0, after=0, line=1.0)
RECIPIENT = StyleSpec("TK Recipient", size=14, before=0, after=0, line=1.0)
SIGNATURE = StyleSpec(
    "TK Signature", size=14, bold=True, align="center", before=0, after=0, line=1.0
)
DISTRIBUTION_LABEL = StyleSpec(
    "TK Distribution Label", size=12, bold=True, italic=True, align="left", before=0, after=0
)
DISTRIBUTION = StyleSpec(
    "TK Distribution", size=11, align="left", left=170, hanging=170, before=0, after=0, line=1.0
)
APPENDIX_LABEL = StyleSpec(
    "TK Appendix Label", size=14, bold=True, align="center", before=0, after=0, line=1.0
)
APPENDIX_TITLE = StyleSpec("TK Appendix Title", base="TK Appendix Label", keep_next=True)
APPENDIX_REFERENCE = StyleSpec(
    "TK Appendix Reference", size=14, italic=True, align="center", before=0, after=240
)
HEADINGS = tuple(
    StyleSpec(
        f"Heading {level}",
        size=BODY_SIZE,
        bold=True,
        italic=False,
        align="justify",
        first_line=FIRST_LINE,
        before=PARAGRAPH_GAP,
        after=0,
        line=LINE_SPACING,
        keep_next=True,
    )
    for level in (1, 2, 3, 4)
)
HEADER = "Header"  # Word's own style for page-header paragraphs

NEW_STYLES = (
    BODY, CENTER, NOTE, LIST, CAPTION, ERROR, TABLE_TEXT, TABLE_HEADER, LETTERHEAD, RULE,
    TITLE, RECIPIENT, SIGNATURE, DISTRIBUTION_LABEL, DISTRIBUTION, APPENDIX_LABEL,
    APPENDIX_TITLE, APPENDIX_REFERENCE,
)  # fmt: skip
KEPT_TABLE_STYLES = ("TableNormal", "TableGrid")


def setup_styles(document: Document) -> None:
    """Set the defaults, redefine the headings and add the TK styles (before any content)."""
    styles = document.styles
    _set_defaults(styles.element)
    for spec in HEADINGS:
        _apply(styles[spec.name], spec)
    # Each `styles[name]` runs an XPath over every style: look "Normal" up once.
    added: dict[str, ParagraphStyle] = {"Normal": styles["Normal"]}
    for spec in NEW_STYLES:
        # What `styles.add_style` does, without its check for a clash: that compares the name
        # with every style in the template (python-docx's, which holds no "TK …" style), one
        # scan per new style, and was a third of a small export's writing time.
        style = ParagraphStyle(
            styles.element.add_style_of_type(spec.name, WD_STYLE_TYPE.PARAGRAPH, False)
        )
        style.base_style = added[spec.base] if spec.base in added else styles[spec.base]
        style.quick_style = True
        _apply(style, spec)
        added[spec.name] = style
    added[ERROR.name].font.color.rgb = ERROR_COLOR
    _only_times_new_roman(styles.element)


def _apply(style, spec: StyleSpec) -> None:
    font = style.font
    if spec.size is not None:
        font.size = Pt(spec.size)
    if spec.bold is not None:
        font.bold = spec.bold
    if spec.italic is not None:
        font.italic = spec.italic
    paragraph = style.paragraph_format
    if spec.align is not None:
        paragraph.alignment = _ALIGN[spec.align]
    if spec.left is not None:
        paragraph.left_indent = Twips(spec.left)
    if spec.hanging is not None:
        paragraph.first_line_indent = Twips(-spec.hanging)
    elif spec.first_line is not None:
        paragraph.first_line_indent = Twips(spec.first_line)
    if spec.before is not None:
        paragraph.space_before = Twips(spec.before)
    if spec.after is not None:
        paragraph.space_after = Twips(spec.after)
    if spec.line is not None:
        paragraph.line_spacing = spec.line
    if spec.keep_next:
        paragraph.keep_with_next = True


def _set_defaults(styles) -> None:
    run_defaults = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    for child in list(run_defaults):
        run_defaults.remove(child)
    w = f'xmlns:w="{NAMESPACES["w"]}"'
    half_points = BODY_SIZE * 2
    for xml in (
        f'<w:rFonts {w} w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>',
        f'<w:color {w} w:val="auto"/>',
        f'<w:sz {w} w:val="{half_points}"/>',
        f'<w:szCs {w} w:val="{half_points}"/>',
        f'<w:lang {w} w:val="{LANGUAGE}" w:eastAsia="en-US" w:bidi="ar-SA"/>',
    ):
        run_defaults.append(parse_xml(xml))
    spacing = styles.find(
        qn("w:docDefaults") + "/" + qn("w:pPrDefault") + "/" + qn("w:pPr") + "/" + qn("w:spacing")
    )
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")


_NS = {"w": NAMESPACES["w"]}
_DROPPED_TABLE_STYLES = etree.XPath(
    "w:style[@w:type='table']"
    f"[not({' or '.join(f'@w:styleId={name!r}' for name in KEPT_TABLE_STYLES)})]",
    namespaces=_NS,
)
_THEME_COLOURS = etree.XPath(f"w:style[not(@w:styleId={ERROR.id!r})]//w:color", namespaces=_NS)


def _only_times_new_roman(styles) -> None:
    # Theme fonts (Calibri/Cambria) and theme colours (accent blue headings) come from the
    # template; replace them so every style resolves to Times New Roman in automatic colour.
    for style in _DROPPED_TABLE_STYLES(styles):
        styles.remove(style)
    for fonts in styles.iter(qn("w:rFonts")):
        fonts.attrib.clear()
        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{slot}"), FONT)
    for color in _THEME_COLOURS(styles):
        color.getparent().remove(color)
