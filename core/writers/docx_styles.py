"""The named Word styles of a tongket document: what each one sets (`docx_template` creates
them on python-docx's template).

Every part of the document uses a named style ("TK Body", "Heading 1", "TK Letterhead", …) so
whoever keeps editing the file in Word finds the formatting in the style gallery rather than
scattered over each paragraph. The template's theme fonts and theme colours are replaced:
NĐ30 wants Times New Roman, black, everywhere.
"""

from __future__ import annotations

from typing import NamedTuple

FONT = "Times New Roman"
LANGUAGE = "vi-VN"
BODY_SIZE = 14
FIRST_LINE = 567  # 1 cm first-line indent (NĐ30: 1 or 1,27 cm)
PARAGRAPH_GAP = 120  # 6 pt before each body paragraph (NĐ30: at least 6 pt)
LINE_SPACING = 1.15  # NĐ30 allows single up to 1,5 lines
ERROR_COLOR = "C00000"  # the one colour allowed: a failed section must show


# A NamedTuple: cheaper to define at every start than a frozen dataclass (developer guide).
class StyleSpec(NamedTuple):
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
