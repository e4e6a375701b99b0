"""The exported Word file read back: NĐ30 page setup, letterhead, body, signature, phụ lục."""

from __future__ import annotations

import copy
import io
import struct
import zipfile
import zlib
from importlib import resources

import docx
import pytest
from docx.enum.section import WD_SECTION_START
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from tongket.core import SectionType, hookimpl
from tongket.core.host.pluginhost import PluginHost
from tongket.core.render.blocks import (
    BulletList,
    ErrorBlock,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Run,
    Table,
)
from tongket.core.render.document import RenderedDocument, render_document
from tongket.core.render.letterhead import (
    MOTTO,
    NATIONAL_TITLE,
    appendix_reference_line,
    date_line,
    distribution_lines,
)
from tongket.core.report import store
from tongket.core.report.model import Section
from tongket.core.writers.docx_writer import build_docx, export_docx
from tongket.core.writers.docx_xml import text_width_pt, text_width_twips

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TNR = "Times New Roman"
SAMPLE = resources.files("tongket.sample_data") / "quang-ngai-sct-2021.toml"
# Styles of the fixed parts placed outside the header and signature tables.
FIXED_PART_STYLES = {"TK Recipient", "TK Title", "TK Rule"}


# -- fixtures and helpers ------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_bytes(rendered) -> bytes:
    return build_docx(rendered)


@pytest.fixture(scope="module")
def sample(sample_bytes):
    return docx.Document(io.BytesIO(sample_bytes))


def variant(rendered: RenderedDocument, body=None, appendices=(), **particulars):
    """The sample with other particulars (and optionally other blocks)."""
    project = copy.deepcopy(rendered.project)
    for name, value in particulars.items():
        setattr(project.document, name, value)
    blocks = list(rendered.body if body is None else body)
    return RenderedDocument(project, blocks, list(appendices), rendered.sections)


def open_docx(rendered: RenderedDocument):
    return docx.Document(io.BytesIO(build_docx(rendered)))


def part_xml(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def styles_chain(style):
    while style is not None:
        yield style
        style = style.base_style


def run_value(paragraph: DocxParagraph, run, name: str):
    """A run's bold/italic/size as Word resolves it: run, then paragraph style and its bases."""
    value = getattr(run.font, name)
    for style in styles_chain(paragraph.style):
        if value is not None:
            break
        value = getattr(style.font, name)
    if value is None and name == "size":
        return Pt(14)  # docDefaults
    return value


def paragraph_value(paragraph: DocxParagraph, name: str):
    """A paragraph_format value resolved through the paragraph's style chain."""
    value = getattr(paragraph.paragraph_format, name)
    for style in styles_chain(paragraph.style):
        if value is not None:
            break
        value = getattr(style.paragraph_format, name)
    return value


def text_runs(paragraph: DocxParagraph):
    return [run for run in paragraph.runs if run.text]


def assert_runs(paragraph: DocxParagraph, *, size: float, bold: bool, italic: bool = False):
    runs = text_runs(paragraph)
    assert runs, f"no text in {paragraph.text!r}"
    for run in runs:
        assert run_value(paragraph, run, "size") == Pt(size), paragraph.text
        assert bool(run_value(paragraph, run, "bold")) is bold, paragraph.text
        assert bool(run_value(paragraph, run, "italic")) is italic, paragraph.text


def top_level(document):
    return list(document.iter_inner_content())


def body_paragraphs(document) -> list[DocxParagraph]:
    return [
        item
        for item in top_level(document)
        if isinstance(item, DocxParagraph) and item.style.name not in FIXED_PART_STYLES
    ]


def rule_length(paragraph: DocxParagraph, column: int) -> int:
    """Length in twips of a rule drawn as a top border between the paragraph's indents."""
    properties = paragraph._p.pPr
    assert properties.find(f"{W}pBdr/{W}top") is not None, "rule has no border"
    indent = properties.find(f"{W}ind")
    return column - int(indent.get(f"{W}left")) - int(indent.get(f"{W}right"))


def grid(table: DocxTable) -> list[int]:
    return [int(col.get(f"{W}w")) for col in table._tbl.tblGrid.findall(f"{W}gridCol")]


def png_bytes(width: int, height: int) -> bytes:
    raw = b"".join(b"\x00" + b"\x20\x40\x80" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


# -- page and fonts ------------------------------------------------------------------------


def test_page_is_a4_portrait_with_nd30_margins(sample):
    section = sample.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    assert 1134 <= section.top_margin.twips <= 1418
    assert 1134 <= section.bottom_margin.twips <= 1418
    assert 1701 <= section.left_margin.twips <= 1985
    assert 850 <= section.right_margin.twips <= 1134
    assert abs(section.header_distance.twips - 567) <= 60


def test_every_font_is_times_new_roman_and_text_is_black(sample_bytes):
    parts = ["word/styles.xml", "word/document.xml", "word/header1.xml", "word/header2.xml"]
    defaults = part_xml(sample_bytes, "word/styles.xml").find(
        f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts"
    )
    assert {defaults.get(f"{W}{slot}") for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {TNR}
    for name in parts:
        root = part_xml(sample_bytes, name)
        for fonts in root.iter(f"{W}rFonts"):
            assert all("Theme" not in attribute for attribute in fonts.attrib), name
            assert set(fonts.attrib.values()) == {TNR}, name
        for color in root.iter(f"{W}color"):
            style = color.getparent().getparent()
            if style.get(f"{W}styleId") == "TKError":
                continue
            assert color.get(f"{W}val") in ("auto", "000000"), name


# -- letterhead ----------------------------------------------------------------------------


def header_table(document) -> DocxTable:
    first = top_level(document)[0]
    assert isinstance(first, DocxTable), "the document must open with the header table"
    return first


def test_header_table_is_borderless_two_columns_across_the_text_width(sample):
    table = header_table(sample)
    widths = grid(table)
    assert len(widths) == 2
    assert sum(widths) == 11906 - 1701 - 851
    assert abs(widths[0] - 3685) <= 300  # ≈ 6,5 cm
    assert abs(widths[1] - 5669) <= 300  # ≈ 10 cm
    properties = table._tbl.tblPr
    assert properties.find(f"{W}tblLayout").get(f"{W}type") == "fixed"
    borders = properties.find(f"{W}tblBorders")
    assert len(borders) == 6
    assert {edge.get(f"{W}val") for edge in borders} <= {"nil", "none"}


def test_header_elements_have_nd30_sizes_and_weights(sample, rendered):
    particulars = rendered.project.document
    table = header_table(sample)
    left, right = table.rows[0].cells
    parent, agency = left.paragraphs[0], left.paragraphs[1]
    assert parent.text == particulars.parent_agency.upper()
    assert_runs(parent, size=13, bold=False)
    assert agency.text == particulars.agency.upper()
    assert_runs(agency, size=13, bold=True)
    national, motto = right.paragraphs[0], right.paragraphs[1]
    assert national.text == NATIONAL_TITLE
    assert_runs(national, size=13, bold=True)
    assert motto.text == MOTTO
    assert_runs(motto, size=14, bold=True)
    for paragraph in (parent, agency, national, motto):
        assert paragraph_value(paragraph, "alignment") == WD_ALIGN_PARAGRAPH.CENTER


def test_number_and_date_share_a_row_and_vv_sits_under_the_number(sample, rendered):
    particulars = rendered.project.document
    rows = header_table(sample).rows
    number, date = rows[1].cells
    assert number.text == particulars.number_line
    assert_runs(number.paragraphs[0], size=13, bold=False)
    assert date.text == date_line(particulars)
    assert_runs(date.paragraphs[0], size=14, bold=False, italic=True)
    assert paragraph_value(date.paragraphs[0], "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    subject = rows[2].cells[0].paragraphs[0]
    assert subject.text.startswith("V/v ")
    assert_runs(subject, size=13, bold=False)
    assert paragraph_value(subject, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    assert paragraph_value(subject, "space_before") == Pt(6)
    assert rows[2].cells[1].text == ""


def test_rules_under_agency_and_motto_have_nd30_lengths(sample, rendered):
    table = header_table(sample)
    left, right = table.rows[0].cells
    left_width, right_width = grid(table)
    agency_rule = rule_length(left.paragraphs[2], left_width)
    agency_text = text_width_twips(rendered.project.document.agency.upper(), 13, bold=True)
    assert agency_text / 3 <= agency_rule <= agency_text / 2
    motto_rule = rule_length(right.paragraphs[2], right_width)
    assert abs(motto_rule - text_width_twips(MOTTO, 14, bold=True)) <= 20
    assert left.paragraphs[2].text == right.paragraphs[2].text == ""


@pytest.mark.parametrize(
    ("text", "size", "bold", "measured"),
    [
        # Widths measured from Liberation Serif 2, whose metrics equal Times New Roman's.
        (NATIONAL_TITLE, 13, True, 271.2),
        (MOTTO, 14, True, 171.4),
        ("SỞ CÔNG THƯƠNG", 13, True, 121.6),
        ("UBND TỈNH QUẢNG NGÃI", 13, False, 157.1),
        ("Kính gửi:", 14, False, 53.9),
    ],
)
def test_width_estimate_matches_times_new_roman(text, size, bold, measured):
    assert text_width_pt(text, size, bold=bold) == pytest.approx(measured, rel=0.03)


def test_width_of_text_with_line_breaks_is_its_longest_line():
    # A pasted manual line break (U+000B) splits the agency over two lines; the rule under
    # it follows the longer line, not both lines end to end.
    first, second = (text_width_pt(line, 13, bold=True) for line in ("SỞ CÔNG", "THƯƠNG"))
    two_lines = text_width_pt("SỞ CÔNG\vTHƯƠNG", 13, bold=True)
    assert two_lines == max(first, second)
    assert two_lines < 0.6 * text_width_pt("SỞ CÔNG THƯƠNG", 13, bold=True)


# -- Kính gửi ------------------------------------------------------------------------------


def recipient_paragraphs(document) -> list[DocxParagraph]:
    return [
        item
        for item in top_level(document)
        if isinstance(item, DocxParagraph) and item.style.name == "TK Recipient"
    ]


def test_single_recipient_is_one_centred_line(sample, rendered):
    lines = recipient_paragraphs(sample)
    name = rendered.project.document.recipients[0]
    assert [line.text for line in lines] == [f"Kính gửi: {name}"]
    assert paragraph_value(lines[0], "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    assert_runs(lines[0], size=14, bold=False)


def test_several_recipients_have_dashes_aligned_after_the_colon(rendered):
    names = ["Sở Ngoại vụ Quảng Ngãi", "Ủy ban nhân dân tỉnh Quảng Ngãi", "Ban Đối ngoại Tỉnh ủy"]
    document = open_docx(variant(rendered, recipients=names))
    label, *items = recipient_paragraphs(document)
    assert label.text == "Kính gửi:"
    assert [item.text for item in items] == [
        "- Sở Ngoại vụ Quảng Ngãi;",
        "- Ủy ban nhân dân tỉnh Quảng Ngãi;",
        "- Ban Đối ngoại Tỉnh ủy.",
    ]
    label_start = label.paragraph_format.left_indent.twips
    assert label_start > 0  # toward the centre, not flush left
    colon_end = label_start + text_width_twips("Kính gửi:", 14)
    dash_starts = {
        item.paragraph_format.left_indent.twips + item.paragraph_format.first_line_indent.twips
        for item in items
    }
    assert dash_starts == {colon_end}
    for paragraph in (label, *items):
        assert_runs(paragraph, size=14, bold=False)


# -- body ----------------------------------------------------------------------------------


def expected_body_lines(blocks) -> list[str]:
    """The top-level paragraphs the blocks should produce, in order."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            lines.append(block.line)
        elif isinstance(block, Paragraph | ErrorBlock):
            lines.append(block.text)
        elif isinstance(block, BulletList):
            for number, item in enumerate(block.items, start=1):
                prefix = f"{number}. " if block.ordered else "- "
                lines.append(prefix + "".join(run.text for run in item))
        elif isinstance(block, Table):
            lines.extend(text for text in (block.caption, block.note) if text)
        elif isinstance(block, Image):
            lines.extend(["", block.caption] if block.caption else [""])
        elif isinstance(block, PageBreak):
            lines.append("")
    return lines


def test_body_text_reads_back_paragraph_by_paragraph(sample, rendered):
    expected = [*expected_body_lines(rendered.body), rendered.project.document.closing]
    assert [paragraph.text for paragraph in body_paragraphs(sample)] == expected


def test_body_paragraphs_are_justified_with_indent_and_spacing(sample, rendered):
    paragraphs = [p for p in body_paragraphs(sample) if p.style.name == "TK Body"]
    assert len(paragraphs) >= sum(isinstance(block, Paragraph) for block in rendered.body)
    for paragraph in paragraphs:
        assert paragraph_value(paragraph, "alignment") == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert paragraph_value(paragraph, "first_line_indent").twips == 567
        assert paragraph_value(paragraph, "space_before").twips >= 120
        assert 1.0 <= paragraph_value(paragraph, "line_spacing") <= 1.5
        assert_runs(paragraph, size=14, bold=False)


def test_headings_use_redefined_word_heading_styles(sample, rendered):
    headings = [block for block in rendered.body if isinstance(block, Heading)]
    assert headings, "the sample has a heading (2. Kết quả thực hiện)"
    found = {p.text: p for p in body_paragraphs(sample)}
    for heading in headings:
        paragraph = found[heading.line]
        assert paragraph.style.name == f"Heading {heading.level}"
        assert_runs(paragraph, size=14, bold=True, italic=False)
        assert paragraph_value(paragraph, "first_line_indent").twips == 567
        assert paragraph_value(paragraph, "keep_with_next") is True
        assert paragraph.style.font.color.rgb is None  # no theme blue
        assert paragraph.style.font.name == TNR


def test_all_block_kinds_read_back_in_order(rendered, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # pictures come from the report's folder: here, the current one
    picture = tmp_path / "chart.png"
    picture.write_bytes(png_bytes(40, 20))
    table = Table(
        ("Năm", "Kim ngạch (triệu USD)", "Tăng (%)"),
        (("2019", "1.200", "12,5"), ("2020", "1.409", "17,4")),
        widths=(1, 2, 1),
        align=("center", "right", "right"),
        caption="Bảng 1. Kim ngạch xuất khẩu",
        note="Nguồn: Cục Thống kê.",
    )
    blocks = [
        Heading("Kết quả", 2, "2.1."),
        Paragraph((Run("Chữ "), Run("đậm", bold=True), Run(" và "), Run("nghiêng", italic=True))),
        Paragraph.of("(Ghi chú)", style="note"),
        BulletList(((Run("một"),), (Run("hai"),))),
        BulletList(((Run("thứ nhất"),), (Run("thứ hai"),)), ordered=True),
        table,
        table,  # two tables in a row must stay two tables
        Image(str(picture), 8, "Hình 1. Biểu đồ"),
        PageBreak(),
        ErrorBlock("hỏng", "2.2.", "tongket_render_section", "KeyError: 'x'"),
    ]
    document = open_docx(variant(rendered, body=blocks))
    expected = [*expected_body_lines(blocks), rendered.project.document.closing]
    assert [paragraph.text for paragraph in body_paragraphs(document)] == expected
    mixed = next(p for p in body_paragraphs(document) if p.text == "Chữ đậm và nghiêng")
    assert [(run.text, bool(run.bold), bool(run.italic)) for run in mixed.runs] == [
        ("Chữ ", False, False),
        ("đậm", True, False),
        (" và ", False, False),
        ("nghiêng", False, True),
    ]
    error = next(p for p in body_paragraphs(document) if p.text.startswith("[LỖI"))
    assert_runs(error, size=14, bold=True, italic=True)
    assert document.inline_shapes[0].width == docx.shared.Cm(8)
    data_tables = [item for item in top_level(document) if isinstance(item, DocxTable)][1:-1]
    assert len(data_tables) == 2


def test_data_table_has_repeating_bold_header_and_content_widths(rendered):
    table = Table(
        ("Chỉ tiêu", "2020", "Ghi chú"),
        tuple((f"Dòng {index}", f"{index},5", "") for index in range(30)),
        widths=(2, 1, 1),
        align=("left", "right", "center"),
    )
    document = open_docx(variant(rendered, body=[table]))
    written = [item for item in top_level(document) if isinstance(item, DocxTable)][1]
    widths = grid(written)
    assert sum(widths) == 9354
    # Everything fits on one line; the room left is shared by the plugin's weights (2, 1, 1).
    for width, text in zip(widths, ("Dòng 29", "29,5", ""), strict=True):
        assert width >= text_width_twips(text, 13) + 2 * 85
    assert widths[0] > widths[1] and widths[0] > widths[2]
    header = written.rows[0]
    assert header._tr.trPr.find(f"{W}tblHeader") is not None
    assert [cell.text for cell in header.cells] == list(table.header)
    for cell in header.cells:
        assert_runs(cell.paragraphs[0], size=13, bold=True)
    body_row = written.rows[1].cells
    assert [cell.text for cell in body_row] == ["Dòng 0", "0,5", ""]
    assert_runs(body_row[0].paragraphs[0], size=13, bold=False)
    assert paragraph_value(body_row[1].paragraphs[0], "alignment") == WD_ALIGN_PARAGRAPH.RIGHT
    assert paragraph_value(body_row[2].paragraphs[0], "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    borders = written._tbl.tblPr.find(f"{W}tblBorders")
    assert {edge.get(f"{W}val") for edge in borders} == {"single"}
    assert len(written.rows) == 31


def test_missing_picture_is_an_error_in_place_naming_the_file(rendered, tmp_path):
    # A picture that cannot be embedded never stops the export: it stands as an error line
    # (`tongket check` reports it first, so a normal export does not get this far).
    target = tmp_path / "out.docx"
    missing = tmp_path / "no-such-chart.png"
    export_docx(variant(rendered, body=[Image(str(missing))]), target)
    error = next(p for p in docx.Document(str(target)).paragraphs if p.text.startswith("[LỖI"))
    assert error.text == f"[LỖI hình {missing}: không tìm thấy tệp]"
    assert error.style.name == "TK Error"


# -- signature and page numbers ------------------------------------------------------------


def signature_table(document) -> DocxTable:
    tables = [item for item in top_level(document) if isinstance(item, DocxTable)]
    return next(table for table in tables if table.rows[0].cells[0].text.startswith("Nơi nhận:"))


def test_distribution_and_signature_start_on_the_same_row(sample, rendered):
    particulars = rendered.project.document
    table = signature_table(sample)
    assert len(grid(table)) == 2
    assert len(table.rows) == 1
    left, right = table.rows[0].cells
    label, *items = left.paragraphs
    assert label.text == "Nơi nhận:"
    assert_runs(label, size=12, bold=True, italic=True)
    assert [item.text for item in items] == distribution_lines(particulars)
    assert items[-1].text == "- Lưu: VT, VP."
    for item in items:
        assert_runs(item, size=11, bold=False)
    title, *rest = right.paragraphs
    assert title.text == "GIÁM ĐỐC"
    assert paragraph_value(title, "space_before") == paragraph_value(label, "space_before")
    name = rest[-1]
    assert name.text == particulars.signer.name
    assert paragraph_value(name, "space_before").twips >= 720  # room to sign
    for paragraph in (title, name):
        assert_runs(paragraph, size=14, bold=True)
        assert paragraph_value(paragraph, "alignment") == WD_ALIGN_PARAGRAPH.CENTER


def test_page_number_field_centred_in_header_and_absent_on_page_one(sample):
    section = sample.sections[0]
    assert section.different_first_page_header_footer is True
    header = section.header
    assert not header.is_linked_to_previous
    (paragraph,) = header.paragraphs
    assert paragraph_value(paragraph, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    instructions = [node.text for node in paragraph._p.iter(f"{W}instrText")]
    assert [text.strip() for text in instructions] == ["PAGE"]
    assert [node.get(f"{W}fldCharType") for node in paragraph._p.iter(f"{W}fldChar")] == [
        "begin",
        "separate",
        "end",
    ]
    for run in paragraph.runs:
        assert run.font.size == Pt(14)
    first = section.first_page_header
    assert not first.is_linked_to_previous
    assert "".join(p.text for p in first.paragraphs) == ""
    assert first._element.find(f".//{W}fldChar") is None
    assert first._element.find(f".//{W}fldSimple") is None


# -- báo cáo and phụ lục -------------------------------------------------------------------


def test_report_has_title_bold_subject_and_rule_and_no_vv_row(rendered):
    report = variant(rendered, kind="bao-cao", number="5", symbol="BC-SCT")
    document = open_docx(report)
    assert len(header_table(document).rows) == 2
    title, subject, rule = [
        item
        for item in top_level(document)
        if isinstance(item, DocxParagraph) and item.style.name in ("TK Title", "TK Rule")
    ][:3]
    assert title.text == "BÁO CÁO"
    assert_runs(title, size=14, bold=True)
    typed = report.project.document.subject
    # Capitalised under BÁO CÁO; the last two words are tied by a no-break space (no orphan).
    assert subject.text.replace("\u00a0", " ") == typed[0].upper() + typed[1:]
    assert subject.text.rsplit(" ", 1)[-1].count("\u00a0") == 1
    assert_runs(subject, size=14, bold=True)
    for paragraph in (title, subject):
        assert paragraph_value(paragraph, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    subject_width = min(text_width_twips(subject.text, 14, bold=True), 9354)
    assert subject_width / 3 <= rule_length(rule, 9354) <= subject_width / 2
    assert header_table(document).rows[1].cells[0].text == "Số: 05/BC-SCT"


class _TablePlugin:
    """A test plugin whose section renders a sentence and a table."""

    @hookimpl
    def tongket_section_types(self, register):
        register(SectionType(id="test-table", title="Bảng thử"))

    @hookimpl
    def tongket_validate_section(self, section_type, data, context):
        return [] if section_type == "test-table" else None

    @hookimpl
    def tongket_render_section(self, section_type, data, context):
        if section_type != "test-table":
            return None
        rows = tuple((str(year), str(value)) for year, value in data["series"])
        return [
            Paragraph.of("Số liệu chi tiết như sau."),
            Table(("Năm", "Giá trị"), rows, caption=data["caption"]),
        ]


@pytest.fixture(scope="module")
def with_appendices(plugins):
    host = PluginHost()
    host.load_builtins()
    host.add_plugin(_TablePlugin(), "test-table")
    project = store.load(str(SAMPLE))
    for number, caption in (("3.", "Bảng A"), ("4.", "Bảng B")):
        data = {"series": [[2019, 1], [2020, 2]], "caption": caption}
        section = Section("test-table", number, f"Số liệu {caption}", data, table="appendix")
        project.sections.append(section)
    rendered = render_document(project, host)
    assert [appendix.label for appendix in rendered.appendices] == ["Phụ lục I", "Phụ lục II"]
    return rendered, open_docx(rendered)


def test_each_appendix_is_a_section_numbered_from_one(with_appendices):
    _, document = with_appendices
    sections = document.sections
    assert len(sections) == 3
    for index, section in enumerate(sections):
        restart = section._sectPr.find(f"{W}pgNumType")
        if index == 0:
            assert restart is None or restart.get(f"{W}start") is None
        else:
            assert restart.get(f"{W}start") == "1"
            assert section.start_type == WD_SECTION_START.NEW_PAGE
        assert section.different_first_page_header_footer is True
        assert (section.page_width.twips, section.left_margin.twips) == (11906, 1701)


def test_appendix_heading_title_and_reference_line(with_appendices):
    rendered, document = with_appendices
    paragraphs = [item for item in top_level(document) if isinstance(item, DocxParagraph)]
    labels = [p for p in paragraphs if p.style.name == "TK Appendix Label"]
    assert [p.text for p in labels] == ["Phụ lục I", "Phụ lục II"]
    titles = [p for p in paragraphs if p.style.name == "TK Appendix Title"]
    assert [p.text for p in titles] == ["SỐ LIỆU BẢNG A", "SỐ LIỆU BẢNG B"]
    references = [p for p in paragraphs if p.style.name == "TK Appendix Reference"]
    assert {p.text for p in references} == {appendix_reference_line(rendered.project.document)}
    for paragraph in labels + titles:
        assert_runs(paragraph, size=14, bold=True)
        assert paragraph_value(paragraph, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    for paragraph in references:
        assert_runs(paragraph, size=14, bold=False, italic=True)
    tables = [item for item in top_level(document) if isinstance(item, DocxTable)]
    assert [table.rows[-1].cells[1].text for table in tables[2:]] == ["2", "2"]
    body_text = [p.text for p in paragraphs]
    assert "(Chi tiết tại Phụ lục I kèm theo.)" in body_text
    assert body_text.index("(Chi tiết tại Phụ lục I kèm theo.)") < body_text.index("Phụ lục I")
