"""The fixed parts of an NĐ30 page and the geometry they sit in.

Header table (cơ quan | Quốc hiệu, Tiêu ngữ; Số | date; V/v), a báo cáo's title, "Kính gửi",
and the Nơi nhận | signature table. Wording comes from `letterhead`; this module only lays it
out, as WordprocessingML strings (see `docx_xml`).
"""

from __future__ import annotations

from tongket.core.render.letterhead import (
    DISTRIBUTION_LABEL,
    MOTTO,
    NATIONAL_TITLE,
    REPORT_TITLE,
    date_line,
    distribution_lines,
    recipient_lines,
    signature_title_lines,
    subject_line,
)
from tongket.core.report.model import Particulars
from tongket.core.writers import docx_styles as styles
from tongket.core.writers.docx_xml import (
    ParagraphFormat,
    RunFormat,
    cell,
    row,
    rule,
    table_open,
    text_paragraph,
    text_width_twips,
    wrapped_width_twips,
)

# A4 portrait and margins in twips: top/bottom 20 mm, left 30 mm, right 15 mm, header 10 mm.
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 1134, 1134, 1701, 851
HEADER_DISTANCE = 567
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 9354 twips = 16,5 cm
LEFT_COLUMN = 3685  # 6,5 cm: cơ quan, Số, V/v; Nơi nhận
RIGHT_COLUMN = TEXT_WIDTH - LEFT_COLUMN  # 10 cm: Quốc hiệu, Tiêu ngữ, date; signature
# NĐ30 wants the rule under the agency (and a báo cáo's trích yếu) 1/3 to 1/2 as long as the
# text; 5/12 stays inside that range even when the width estimate is off by 15 %.
RULE_SHARE = 5 / 12
RECIPIENTS_INDENT = 1985  # "Kính gửi:" of several recipients starts 3,5 cm in (as Mẫu 1.5)
SIGNATURE_SPACE = 1440  # 72 pt between the title lines and the name, for the signature
# Sizes of Quốc hiệu, Tiêu ngữ and the date line. NĐ30's footnote to Phụ lục I makes them rise
# and fall together: 13/14/14, or 12/13/13 when a long địa danh ("Thành phố Hồ Chí Minh, ngày
# 29 tháng 12 năm 2019") would wrap at 14 pt, which would break the date off the Số line.
HEADER_SIZE_PAIRS = ((13, 14, 14), (12, 13, 13))
DATE_FIT = 0.97  # share of the right column the estimated date width may take at most


def fmt(spec: styles.StyleSpec, **changes) -> ParagraphFormat:
    """Paragraph formatting: a named style plus a few direct changes."""
    return ParagraphFormat(style=spec.id, **changes)


NBSP = "\u00a0"


def tie_last_words(text: str, column: int, size: float, *, bold: bool = False) -> str:
    """`text` with its last two words joined by a no-break space, so that its last line never
    holds one word alone (NĐ30 titles and trích yếu are centred, where an orphan shows most).

    Only for four words or more, and only when the two words together take at most half of
    the `column` (twips) they are printed in: a longer pair would leave a ragged gap.
    """
    words = text.split(" ")
    if len(text.split()) < 4 or len(words) < 2 or "\n" in text:
        return text
    head, _, last = text.rpartition(" ")
    pair = f"{head.rsplit(' ', 1)[-1]} {last}"
    if not last or text_width_twips(pair, size, bold=bold) > column / 2:
        return text
    return f"{head}{NBSP}{last}"


def _tied_if_wrapped(name: str, *, bold: bool, column: int = LEFT_COLUMN, size: float = 13) -> str:
    # A name or title that wraps must not end on one syllable alone ("NGUỒN NHÂN LỰC NÔNG /
    # THÔN"): most Vietnamese words are two syllables, so the last two stay together. A line
    # that fits is left as typed.
    if text_width_twips(name, size, bold=bold) <= column:
        return name
    return tie_last_words(name, column, size, bold=bold)


def header_sizes(dated: str) -> tuple[float, float, float]:
    """Quốc hiệu, Tiêu ngữ and date sizes: the first pair whose date line fits on one line."""
    for sizes in HEADER_SIZE_PAIRS:
        if text_width_twips(dated, sizes[2]) <= RIGHT_COLUMN * DATE_FIT:
            return sizes
    return HEADER_SIZE_PAIRS[-1]


def letterhead(particulars: Particulars) -> str:
    """The header table: cơ quan | Quốc hiệu, Tiêu ngữ; Số | date; V/v (công văn)."""
    centred = fmt(styles.LETTERHEAD)
    left: list[str] = []
    if particulars.parent_agency:
        parent = _tied_if_wrapped(particulars.parent_agency.upper(), bold=False)
        left.append(text_paragraph(parent, centred, RunFormat(size=13, bold=False)))
    agency = _tied_if_wrapped(particulars.agency.upper(), bold=True)
    if agency:
        left.append(text_paragraph(agency, centred, RunFormat(size=13, bold=True)))
        # A wrapped name's rule follows its longest printed line, not the unwrapped text.
        width = wrapped_width_twips(agency, 13, LEFT_COLUMN, bold=True)
        left.append(rule(round(width * RULE_SHARE), LEFT_COLUMN, styles.RULE.id))
    dated = date_line(particulars)
    title_size, motto_size, date_size = header_sizes(dated)
    right = [
        text_paragraph(NATIONAL_TITLE, centred, RunFormat(size=title_size, bold=True)),
        text_paragraph(MOTTO, centred, RunFormat(size=motto_size, bold=True)),
        rule(text_width_twips(MOTTO, motto_size, bold=True), RIGHT_COLUMN, styles.RULE.id),
    ]
    # Số and the date open the same row, so they print on one line whatever wraps above.
    below_rules = fmt(styles.LETTERHEAD, before=160)
    number = text_paragraph(particulars.number_line, below_rules, RunFormat(size=13, bold=False))
    date = text_paragraph(dated, below_rules, RunFormat(size=date_size, bold=False, italic=True))
    rows = [
        row([cell(LEFT_COLUMN, "".join(left)), cell(RIGHT_COLUMN, "".join(right))]),
        row([cell(LEFT_COLUMN, number), cell(RIGHT_COLUMN, date)]),
    ]
    subject = subject_line(particulars)
    if particulars.kind == "cong-van" and subject:
        below_number = fmt(styles.LETTERHEAD, before=120)  # NĐ30: 6 pt under Số
        subject = tie_last_words(subject, LEFT_COLUMN, 13)
        vv = text_paragraph(subject, below_number, RunFormat(size=13, bold=False))
        rows.append(row([cell(LEFT_COLUMN, vv), cell(RIGHT_COLUMN, "")]))
    widths = (LEFT_COLUMN, RIGHT_COLUMN)
    return table_open(widths, borders=False, cell_margin=0) + "".join(rows) + "</w:tbl>"


def report_title(particulars: Particulars) -> str:
    """A báo cáo's tên loại "BÁO CÁO", its trích yếu, and a short rule under them."""
    parts = [text_paragraph(REPORT_TITLE, fmt(styles.TITLE, before=360))]
    subject = subject_line(particulars)
    if subject:
        tied = tie_last_words(subject, TEXT_WIDTH, 14, bold=True)
        parts.append(text_paragraph(tied, fmt(styles.TITLE)))
        width = min(text_width_twips(subject, 14, bold=True), TEXT_WIDTH)
        parts.append(rule(round(width * RULE_SHARE), TEXT_WIDTH, styles.RULE.id))
    return "".join(parts)


def recipients(particulars: Particulars) -> str:
    """ "Kính gửi: X" centred, or "Kính gửi:" with "- X;" lines whose dashes sit after the colon."""
    lines = recipient_lines(particulars)
    if not lines:
        return ""
    if len(lines) == 1:
        centred = fmt(styles.RECIPIENT, align="center", before=240, after=120)
        return text_paragraph(lines[0], centred)
    label_width = text_width_twips(lines[0], 14)
    dash_width = text_width_twips("- ", 14)
    parts = [text_paragraph(lines[0], fmt(styles.RECIPIENT, left=RECIPIENTS_INDENT, before=240))]
    item_left = RECIPIENTS_INDENT + label_width + dash_width
    for position, line in enumerate(lines[1:], start=2):
        after = 120 if position == len(lines) else None
        item = fmt(styles.RECIPIENT, left=item_left, hanging=dash_width, after=after)
        parts.append(text_paragraph(line, item))
    return "".join(parts)


def signature(particulars: Particulars) -> str:
    """The Nơi nhận | signature table: both start on the same line, at the top of one row."""
    first_gap = 240
    left = [text_paragraph(DISTRIBUTION_LABEL, fmt(styles.DISTRIBUTION_LABEL, before=first_gap))]
    left.extend(
        text_paragraph(line, fmt(styles.DISTRIBUTION)) for line in distribution_lines(particulars)
    )
    right: list[str] = []
    for index, line in enumerate(signature_title_lines(particulars)):
        line = _tied_if_wrapped(line, bold=True, column=RIGHT_COLUMN, size=styles.SIGNATURE.size)
        right.append(text_paragraph(line, fmt(styles.SIGNATURE, before=0 if index else first_gap)))
    name_gap = SIGNATURE_SPACE if right else first_gap + SIGNATURE_SPACE
    right.append(text_paragraph(particulars.signer.name, fmt(styles.SIGNATURE, before=name_gap)))
    widths = (LEFT_COLUMN, RIGHT_COLUMN)
    cells = [cell(LEFT_COLUMN, "".join(left)), cell(RIGHT_COLUMN, "".join(right))]
    return table_open(widths, borders=False, cell_margin=0) + row(cells) + "</w:tbl>"
