"""NĐ30 Phụ lục I on variants the sample does not cover, read back from the exported DOCX.

Each variant is the sample with other particulars: a báo cáo, a deputy or a collective signing,
an agency without chủ quản, long names that wrap, a long địa danh, many recipients, a phụ lục.
The first tests pin defects found by rendering such variants; the rest guard rules the
variants already met, so that a later change cannot quietly break them.
"""

from __future__ import annotations

import copy
import datetime as dt
import io

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from tongket.core.render.blocks import Appendix, Paragraph, Run
from tongket.core.render.document import RenderedDocument
from tongket.core.render.letterhead import MOTTO, NATIONAL_TITLE
from tongket.core.report.model import Signer
from tongket.core.writers.docx_writer import build_docx
from tongket.core.writers.docx_xml import text_width_twips, wrapped_width_twips

# How far the writer's width estimate may be off (its own design margin, docx_letterhead):
# a rule meant to be 1/3 to 1/2 of a line must stay inside that range even 15 % off.
ESTIMATE_ERROR = 1.15
NBSP = "\u00a0"


def variant(rendered: RenderedDocument, appendices=(), **particulars) -> RenderedDocument:
    """The sample with other particulars (and optionally phụ lục)."""
    project = copy.deepcopy(rendered.project)
    for name, value in particulars.items():
        setattr(project.document, name, value)
    return RenderedDocument(project, list(rendered.body), list(appendices), rendered.sections)


def open_docx(rendered: RenderedDocument):
    return docx.Document(io.BytesIO(build_docx(rendered)))


def header_cells(document):
    table = document.tables[0]
    return [cell for row in table.rows for cell in row.cells]


def run_size(paragraph) -> float:
    return paragraph.runs[0].font.size.pt


def rule_length(paragraph, column: int) -> int:
    """The length of a rule drawn as a top border between a paragraph's indents (twips)."""
    ind = paragraph._p.pPr.find(qn("w:ind"))
    assert paragraph._p.pPr.find(qn("w:pBdr")) is not None, "not a rule paragraph"
    return column - int(ind.get(qn("w:left"))) - int(ind.get(qn("w:right")))


def grid_widths(table) -> list[int]:
    return [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]


# -- defects found on the variants ---------------------------------------------------------


def test_rule_under_a_wrapped_agency_is_a_third_to_half_of_its_longest_line(rendered):
    """Ô 2: the rule under the cơ quan ban hành is 1/3 to 1/2 of the text line's length.

    This name wraps in the 6,5 cm column as LibreOffice prints it (three lines, the longest
    "TRƯỜNG CAO ĐẲNG KỸ"); the old rule took 5/12 of the whole column (0,53 of that line
    when printed).
    """
    agency = "TRƯỜNG CAO ĐẲNG KỸ THUẬT CÔNG NGHIỆP QUẢNG NGÃI"
    document = open_docx(variant(rendered, agency=agency))
    column = grid_widths(document.tables[0])[0]
    paragraphs = header_cells(document)[0].paragraphs
    assert [p.text.replace(NBSP, " ") for p in paragraphs[:2]] == ["UBND TỈNH QUẢNG NGÃI", agency]
    printed_lines = ["TRƯỜNG CAO ĐẲNG KỸ", "THUẬT CÔNG NGHIỆP", "QUẢNG NGÃI"]
    longest = max(text_width_twips(line, 13, bold=True) for line in printed_lines)
    share = rule_length(paragraphs[2], column) / longest
    assert 1 / 3 * ESTIMATE_ERROR <= share <= 1 / 2 / ESTIMATE_ERROR


def test_a_wrapped_agency_name_never_ends_on_one_syllable_alone(rendered):
    """Printed, "… NGUỒN NHÂN LỰC NÔNG / THÔN" split the word "nông thôn" and left "THÔN"
    alone on the last line; the last two syllables now stay together. A name on one line,
    and the parent's that fits, are written as typed."""
    agency = "TRUNG TÂM KHUYẾN NÔNG QUỐC GIA VÀ PHÁT TRIỂN NGUỒN NHÂN LỰC NÔNG THÔN"
    document = open_docx(variant(rendered, agency=agency, parent_agency="BỘ NỘI VỤ"))
    parent, printed = (p.text for p in header_cells(document)[0].paragraphs[:2])
    assert printed == agency.removesuffix(" NÔNG THÔN") + f" NÔNG{NBSP}THÔN"
    assert parent == "BỘ NỘI VỤ"
    sample = open_docx(rendered)
    assert NBSP not in "".join(p.text for p in header_cells(sample)[0].paragraphs)


def test_a_wrapped_signer_title_never_ends_on_one_syllable_alone(rendered):
    # "TL. HIỆU TRƯỞNG / TRƯỞNG PHÒNG TỔ CHỨC - HÀNH / CHÍNH": the last two stay together.
    signer = Signer(
        "TL.", "HIỆU TRƯỞNG", signer_title="TRƯỞNG PHÒNG TỔ CHỨC - HÀNH CHÍNH", name="Lê Văn C"
    )
    document = open_docx(variant(rendered, signer=signer))
    signature = document.tables[-1].rows[0].cells[1].paragraphs
    assert [p.text for p in signature[:2]] == [
        "TL. HIỆU TRƯỞNG",
        f"TRƯỞNG PHÒNG TỔ CHỨC - HÀNH{NBSP}CHÍNH",
    ]


def test_long_place_keeps_the_date_on_one_line_with_the_13_pair(rendered):
    """Ô 4 and the sizes footnote: the date stays on the Số line; at 14 pt "Thành phố Hồ Chí
    Minh, ngày 29 tháng 12 năm 2019" wraps in the right column, so the header takes the other
    pair the footnote allows: Quốc hiệu 12, Tiêu ngữ 13, date 13 (the old code kept 13/14/14
    and printed "2019" on a line of its own)."""
    document = open_docx(
        variant(rendered, place="Thành phố Hồ Chí Minh", date=dt.date(2019, 12, 29))
    )
    column = grid_widths(document.tables[0])[1]
    cells = header_cells(document)
    title, motto = cells[1].paragraphs[0], cells[1].paragraphs[1]
    date = cells[3].paragraphs[0]
    assert date.text == "Thành phố Hồ Chí Minh, ngày 29 tháng 12 năm 2019"
    assert (run_size(title), run_size(motto), run_size(date)) == (12, 13, 13)
    assert text_width_twips(date.text, run_size(date)) < column
    # The Tiêu ngữ's rule follows the smaller Tiêu ngữ.
    rule = cells[1].paragraphs[2]
    assert rule_length(rule, column) == pytest.approx(text_width_twips(MOTTO, 13, bold=True), 2)


def test_wrapped_width_is_the_longest_printed_line():
    """The estimate the rules use: wrapped at spaces, never across a no-break space."""
    lines = ["TRƯỜNG CAO ĐẲNG KỸ", "THUẬT CÔNG NGHIỆP", "QUẢNG NGÃI"]
    text = " ".join(lines)
    expected = max(text_width_twips(line, 13, bold=True) for line in lines)
    assert wrapped_width_twips(text, 13, 3685, bold=True) == expected
    assert wrapped_width_twips("SỞ CÔNG THƯƠNG", 13, 3685, bold=True) == text_width_twips(
        "SỞ CÔNG THƯƠNG", 13, bold=True
    )
    assert wrapped_width_twips("A\u00a0" * 40, 13, 3685) == 3685  # one unbreakable word


# -- rules the variants already meet -------------------------------------------------------


@pytest.fixture(scope="module")
def report(rendered):
    """A báo cáo of January signed by a deputy, number below 10, one phụ lục, 15 Nơi nhận."""
    appendix = Appendix("Kết quả kinh tế ngành", [Paragraph((Run("Bảng số liệu."),))], "Phụ lục I")
    distribution = [f"Đơn vị {index}" for index in range(1, 15)] + ["Lưu: VT, VP"]
    return open_docx(
        variant(
            rendered,
            appendices=[appendix],
            kind="bao-cao",
            number="5",
            symbol="BC-SCT",
            date=dt.date(2022, 1, 5),
            recipients=[],
            distribution=distribution,
            signer=Signer("KT.", "GIÁM ĐỐC", signer_title="PHÓ GIÁM ĐỐC", name="Nguyễn Văn A"),
        )
    )


def test_report_number_and_january_date_have_leading_zeros(report):
    """Ô 3 and 4: "Số: 05/BC-SCT" at 13 pt; "ngày 05 tháng 01 năm 2022" italic."""
    cells = header_cells(report)
    assert cells[2].paragraphs[0].text == "Số: 05/BC-SCT"
    assert run_size(cells[2].paragraphs[0]) == 13
    date = cells[3].paragraphs[0]
    assert date.text == "Quảng Ngãi, ngày 05 tháng 01 năm 2022"
    assert date.runs[0].font.italic is True


def test_report_has_title_and_bold_subject_and_no_vv(report):
    """Ô 5a: "BÁO CÁO" and the trích yếu bold, centred; no "V/v" line, no "Kính gửi"."""
    texts = [p.text for p in report.paragraphs]
    title = report.paragraphs[texts.index("BÁO CÁO")]
    subject = report.paragraphs[texts.index("BÁO CÁO") + 1]
    for paragraph in (title, subject):
        assert paragraph.style.font.bold is True
        assert paragraph.style.font.size.pt == 14
        assert paragraph.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert subject.text.startswith("Báo cáo tổng kết")
    all_text = [p.text for cell in header_cells(report) for p in cell.paragraphs] + texts
    assert not any(text.startswith(("V/v", "Kính gửi")) for text in all_text)


def test_deputy_signs_kt_over_own_title(report):
    """Ô 7a: "KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC", each its own bold line."""
    signature = report.tables[-1].rows[0].cells[1].paragraphs
    assert [p.text for p in signature] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A"]
    assert all(p.style.font.bold for p in signature)


def test_long_distribution_list_is_11pt_and_ends_with_luu(report):
    """Ô 9b: each item its own 11 pt line, "- …;", the last "- Lưu: VT, VP."."""
    items = report.tables[-1].rows[0].cells[0].paragraphs
    assert items[0].text == "Nơi nhận:"
    assert len(items) == 16  # the label and 15 items
    assert all(p.style.font.size.pt == 11 for p in items[1:])
    assert all(p.text.startswith("- ") and p.text.endswith(";") for p in items[1:-1])
    assert items[-1].text == "- Lưu: VT, VP."


def test_appendix_is_its_own_section_numbered_from_one(report):
    """Page numbers: a PAGE field in the header, none on page 1; a phụ lục restarts at 1."""
    sections = report.sections
    assert len(sections) == 2
    for section in sections:
        assert section.different_first_page_header_footer
    start = sections[1]._sectPr.find(qn("w:pgNumType")).get(qn("w:start"))
    assert start == "1"
    header = sections[1].header.paragraphs[0]
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert "PAGE" in header._p.xml
    assert not sections[1].first_page_header.paragraphs[0].text


def test_collective_with_deputy_and_six_recipients_without_parent(rendered):
    """Ô 2 without chủ quản; ô 7a "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH";
    ô 9a six recipients, each "- …;", the last ending "."; October without a leading zero."""
    recipients = ["Bộ Ngoại giao", "Bộ Công Thương", "Ban Đối ngoại Trung ương"]
    recipients += ["Ủy ban Trung ương MTTQ Việt Nam", "Liên hiệp các tổ chức hữu nghị Việt Nam"]
    recipients += ["Tỉnh ủy Quảng Ngãi"]
    signer = Signer(
        "TM.",
        "ỦY BAN NHÂN DÂN",
        for_head="Chủ tịch",
        signer_title="PHÓ CHỦ TỊCH",
        name="Trần Văn B",
    )
    document = open_docx(
        variant(
            rendered,
            parent_agency="",
            agency="ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
            date=dt.date(2022, 10, 15),
            recipients=recipients,
            signer=signer,
        )
    )
    cells = header_cells(document)
    agency = cells[0].paragraphs[0]
    assert agency.text.replace(NBSP, " ") == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
    assert agency.runs[0].font.bold is True
    assert cells[3].paragraphs[0].text.endswith("ngày 15 tháng 10 năm 2022")
    texts = [p.text for p in document.paragraphs]
    start = texts.index("Kính gửi:")
    assert texts[start + 1 : start + 7] == [f"- {name};" for name in recipients[:-1]] + [
        "- Tỉnh ủy Quảng Ngãi."
    ]
    signature = document.tables[-1].rows[0].cells[1].paragraphs
    # Three lines of their own (the for_head field; a line break in the title did it before).
    assert [p.text for p in signature[:3]] == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    ]
    assert {p.style.name for p in signature[:3]} == {"TK Signature"}  # bold, 14 pt
    assert NATIONAL_TITLE in [p.text for p in cells[1].paragraphs]
