"""Issue 13, tables and pages: content-sized columns, empty columns left out, bold totals, the
true minus sign, the closing and signature kept with the body, no orphan word in the V/v.

The last tests print the documents through LibreOffice (one `soffice` call for all of them)
and read the pages back with `pdftotext`; they are skipped without LibreOffice and poppler.
"""

from __future__ import annotations

import copy
import io
import shutil
import subprocess
from importlib import resources

import docx
import pytest
from docx.table import Table as DocxTable

from tongket.core import SectionType, hookimpl
from tongket.core.host.pluginhost import PluginHost
from tongket.core.render.blocks import Heading, Paragraph, Table, block_problems
from tongket.core.render.document import RenderedDocument, render_document
from tongket.core.render.tables import MINUS, is_empty_or_zero, normalize_table
from tongket.core.report import store
from tongket.core.report.model import Section, Signer
from tongket.core.writers.docx_writer import build_docx, table_layout
from tongket.core.writers.docx_xml import text_width_twips
from tongket.core.writers.pdf import soffice_path
from tongket.core.writers.textrender import render_text, table_lines

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SAMPLE = resources.files("tongket.sample_data") / "quang-ngai-sct-2021.toml"
TEXT_WIDTH = 9354
PADDING = 2 * 85
NBSP = "\u00a0"


def with_body(rendered: RenderedDocument, blocks, **particulars) -> RenderedDocument:
    project = copy.deepcopy(rendered.project)
    for name, value in particulars.items():
        setattr(project.document, name, value)
    return RenderedDocument(project, list(blocks), [], rendered.sections)


def data_tables(data: bytes) -> list[DocxTable]:
    document = docx.Document(io.BytesIO(data))
    return document.tables[1:-1]  # between the letterhead and the signature


def grid(table: DocxTable) -> list[int]:
    return [int(col.get(f"{W}w")) for col in table._tbl.tblGrid.findall(f"{W}gridCol")]


# -- normalising: empty columns and the minus sign -------------------------------------------


@pytest.mark.parametrize("cell", ["", " ", "0", "0,0", "0,00%", "0.000", "-", "–"])
def test_empty_or_zero_cells(cell):
    assert is_empty_or_zero(cell)


@pytest.mark.parametrize("cell", ["1", "0,5", "-2", "x", "10", "Tổng"])
def test_cells_with_content(cell):
    assert not is_empty_or_zero(cell)


def test_all_zero_and_empty_columns_are_left_out_with_their_widths_and_alignment():
    table = Table(
        ("Năm", "Kim ngạch", "Thuế", "Ghi chú"),
        (("2019", "1.200", "0", ""), ("2020", "1.409", "0,0", "–")),
        widths=(1, 2, 3, 4),
        align=("center", "right", "right", "left"),
    )
    printed = normalize_table(table)
    assert printed.header == ("Năm", "Kim ngạch")
    assert printed.rows == (("2019", "1.200"), ("2020", "1.409"))
    assert printed.widths == (1, 2)
    assert printed.align == ("center", "right")
    assert normalize_table(printed) is printed  # idempotent


def test_drafter_keeps_empty_columns_on_request():
    table = Table(("Năm", "Ghi chú"), (("2019", ""),), keep_empty_columns=True)
    assert normalize_table(table) is table


def test_a_table_without_rows_or_with_nothing_but_zeros_is_kept_whole():
    assert normalize_table(Table(("Năm", "Số"), ())).header == ("Năm", "Số")
    zeros = Table(("A", "B"), (("0", "-"),))
    assert normalize_table(zeros).header == ("A", "B")


def test_negative_numbers_get_a_true_minus_and_the_no_value_dash_stays():
    table = Table(
        ("Chỉ tiêu", "Tăng"),
        (("Xuất khẩu", "-2,2"), ("Nhập khẩu", "-1.409"), ("Tỷ lệ", "-7,7%"), ("Khác", "–")),
    )
    cells = [row[1] for row in normalize_table(table).rows]
    assert cells == [f"{MINUS}2,2", f"{MINUS}1.409", f"{MINUS}7,7%", "–"]
    words = Table(("Giai đoạn", "Ghi chú"), (("2011-2015", "-thử"), ("x", "1")))
    assert normalize_table(words).rows == words.rows  # only number cells change


def test_one_place_drops_the_column_for_the_docx_and_the_text(rendered):
    class ZeroColumn:
        @hookimpl
        def tongket_section_types(self, register):
            register(SectionType(id="zero-column", title="Bảng có cột 0"))

        @hookimpl
        def tongket_render_section(self, section_type, data, context):
            rows = (("2019", "-2,2", "0"), ("2020", "3,1", "0"), ("Tổng", "0,9", "0"))
            header = ("Năm", "Tăng (%)", "Vốn FDI")
            return [Table(header, rows, total_rows=(-1,))]

    host = PluginHost()
    host.load_builtins()
    host.add_plugin(ZeroColumn(), "zero-column")
    project = copy.deepcopy(rendered.project)
    project.sections = [Section("zero-column", "1.", "Số liệu", {})]
    result = render_document(project, host)
    text = render_text(result)
    assert "Vốn FDI" not in text and f"{MINUS}2,2" in text
    [table] = data_tables(build_docx(result))
    assert [cell.text for cell in table.rows[0].cells] == ["Năm", "Tăng (%)"]
    assert table.rows[1].cells[1].text == f"{MINUS}2,2"
    total = table.rows[-1]
    assert [cell.text for cell in total.cells] == ["Tổng", "0,9"]
    assert all(run.bold for cell in total.cells for run in cell.paragraphs[0].runs)
    assert not any(run.bold for cell in table.rows[1].cells for run in cell.paragraphs[0].runs)


# -- total rows ------------------------------------------------------------------------------


def test_total_rows_are_checked_against_the_body_rows():
    table = Table(("A",), (("1",), ("2",)), total_rows=(2,))
    [problem] = block_problems([table])
    assert "total_rows 2" in problem and "từ 0 đến 1" in problem
    assert block_problems([Table(("A",), (("1",), ("2",)), total_rows=(1, -2))]) == []
    [problem] = block_problems([Table(("A",), (("1",),), total_rows=(True,))])
    assert "total_rows" in problem


def test_text_rendering_draws_a_rule_above_the_total_row():
    table = Table(("Năm", "Số"), (("2019", "1"), ("2020", "2"), ("Tổng", "3")), total_rows=(2,))
    lines = table_lines(table)
    assert lines[-2].startswith("|--") and lines[-1].startswith("| Tổng")


# -- widths from content ---------------------------------------------------------------------


def test_text_column_gets_the_room_and_numbers_never_break(rendered):
    table = Table(
        ("TT", "Nội dung", "Năm 2019", "Năm 2020"),
        (
            ("1", "Kim ngạch xuất khẩu hàng hóa trên địa bàn tỉnh Quảng Ngãi", "1.080", "1.409"),
            ("2", "Kim ngạch nhập khẩu", "905.123", "1.234.567"),
        ),
        widths=(1, 1, 1, 1),  # equal weights: the content decides
    )
    [written] = data_tables(build_docx(with_body(rendered, [table])))
    widths = grid(written)
    assert sum(widths) == TEXT_WIDTH
    assert widths[1] == max(widths)  # the prose column is the widest
    assert widths[0] < widths[2]  # "TT" does not get a quarter of the page
    assert widths[3] >= text_width_twips("1.234.567", 13) + PADDING


def test_eight_numeric_columns_stay_whole_with_a_smaller_font_if_needed(rendered):
    header = ("Chỉ tiêu", *(f"Năm {year}" for year in range(2014, 2021)))
    rows = tuple(
        (
            f"Chỉ tiêu {index}",
            *(f"{1_234_567 + index * year:,}".replace(",", ".") for year in range(7)),
        )
        for index in range(5)
    )
    table = Table(header, rows)
    widths, size = table_layout(table)
    assert size in (13, 12, 11)
    [written] = data_tables(build_docx(with_body(rendered, [table])))
    assert grid(written) == widths and sum(widths) == TEXT_WIDTH
    for column in range(1, 8):
        longest = max((row[column] for row in rows), key=len)
        assert widths[column] >= text_width_twips(longest, size) + PADDING
    if size != 13:  # the smaller size is set on every cell's runs
        run = written.rows[1].cells[1].paragraphs[0].runs[0]
        assert run.font.size.pt == size


def test_plain_weights_still_share_the_room_content_does_not_need(rendered):
    table = Table(("A", "B"), (("1", "2"),), widths=(3, 1))
    widths, size = table_layout(table)
    assert size == 13 and sum(widths) == TEXT_WIDTH
    assert widths[0] > 2 * widths[1]  # 3 : 1 of the room left over the content's widths


# -- keeping the end of the text together, and the V/v line ----------------------------------


def keep_next(paragraph) -> bool:
    properties = paragraph._p.pPr
    return properties is not None and properties.find(f"{W}keepNext") is not None


def test_last_body_paragraph_and_closing_keep_with_the_signature(rendered):
    document = docx.Document(io.BytesIO(build_docx(rendered)))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    closing = rendered.project.document.closing
    position = [p.text for p in paragraphs].index(closing)
    assert keep_next(paragraphs[position]) and keep_next(paragraphs[position - 1])
    assert sum(keep_next(p) for p in paragraphs if p.style.name == "TK Body") == 2
    signature = document.tables[-1]
    assert all(row._tr.trPr.find(f"{W}cantSplit") is not None for row in signature.rows)


def test_headings_are_kept_with_what_follows(rendered):
    document = docx.Document(io.BytesIO(build_docx(rendered)))
    heading = document.styles["Heading 1"]
    assert heading.paragraph_format.keep_with_next is True


def test_vv_and_report_title_end_with_two_words_tied(rendered):
    document = docx.Document(io.BytesIO(build_docx(rendered)))
    vv = next(
        p.text for t in document.tables for c in t._cells for p in c.paragraphs
        if p.text.startswith("V/v")
    )  # fmt: skip
    assert vv.endswith(f"nhân{NBSP}dân") and vv.count(NBSP) == 1
    short = with_body(rendered, rendered.body, subject="báo cáo")
    document = docx.Document(io.BytesIO(build_docx(short)))
    vv = next(
        p.text for t in document.tables for c in t._cells for p in c.paragraphs
        if p.text.startswith("V/v")
    )  # fmt: skip
    assert NBSP not in vv  # "V/v báo cáo": fewer than four words, nothing to tie


# -- printed through LibreOffice -------------------------------------------------------------

needs_office = pytest.mark.skipif(
    soffice_path() is None or shutil.which("pdftotext") is None,
    reason="needs LibreOffice (soffice) and poppler (pdftotext)",
)

FILLER_TEXT = (
    "phát triển thương mại xuất khẩu hội nhập kinh tế quốc tế doanh nghiệp tỉnh "
    "thị trường sản phẩm công nghiệp nông thôn tiêu biểu chương trình kế hoạch"
)
LAST_WORDS = "đoạn cuối cùng của báo cáo."
SIGNER = "Nguyễn Văn Bình"


def filler(count: int, seed: int) -> str:
    vocabulary = FILLER_TEXT.split()
    words = [vocabulary[(seed * 7 + index * 3) % len(vocabulary)] for index in range(count)]
    return " ".join(words).capitalize()


def long_report(rendered: RenderedDocument, extra_lines: int) -> RenderedDocument:
    """A báo cáo signed "KT. GIÁM ĐỐC" whose body ends lower on its last page as lines grow."""
    blocks: list = []
    for number in range(1, 4):
        blocks.append(Heading(f"Kết quả thực hiện phần {number}", 1, f"{number}."))
        blocks += [Paragraph.of(filler(70, number * 10 + p) + ".") for p in range(3)]
    blocks.append(Paragraph.of(f"{filler(10 + 12 * extra_lines, 99)} {LAST_WORDS}"))
    signer = Signer(prefix="KT.", head_title="GIÁM ĐỐC", signer_title="PHÓ GIÁM ĐỐC", name=SIGNER)
    return with_body(
        rendered,
        blocks,
        kind="bao-cao",
        number="12",
        symbol="BC-SCT",
        subject="kết quả thực hiện công tác hội nhập kinh tế quốc tế năm 2023",
        signer=signer,
    )


#: Lengths of the báo cáo's last paragraph, in about one-line steps (6–12: the body ends low on
#: page 2; 40 and 48: low on page 3, where LibreOffice moves the signature alone).
REPORT_LINES = (6, 7, 8, 9, 10, 11, 12, 40, 48)


@pytest.fixture(scope="module")
def printed(rendered, plugins, tmp_path_factory) -> dict[str, tuple[RenderedDocument, list[str]]]:
    """Each document and its pages' text (`pdftotext -layout`), from one LibreOffice run."""
    if soffice_path() is None or shutil.which("pdftotext") is None:
        pytest.skip("needs LibreOffice (soffice) and poppler (pdftotext)")
    folder = tmp_path_factory.mktemp("printed")
    appendix = store.load(str(SAMPLE))
    appendix.sections[3].table = "appendix"  # 2.1's table in a phụ lục
    documents = {
        "sample": rendered,
        "appendix": render_document(appendix, plugins),
        **{f"report-{lines}": long_report(rendered, lines) for lines in REPORT_LINES},
    }
    for name, document in documents.items():
        (folder / f"{name}.docx").write_bytes(build_docx(document))
    command = [
        soffice_path(),
        f"-env:UserInstallation={(folder / 'profile').as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(folder),
        *(str(folder / f"{name}.docx") for name in documents),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    pages = {}
    for name, document in documents.items():
        text = subprocess.run(
            ["pdftotext", "-layout", str(folder / f"{name}.pdf"), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        pages[name] = (document, [page for page in text.split("\f") if page.strip()])
    return pages


def pages_with(pages: list[str], needle: str) -> list[int]:
    return [number for number, page in enumerate(pages, 1) if needle in " ".join(page.split())]


def last_line(page: str) -> str:
    return " ".join([line for line in page.splitlines() if line.strip()][-1].split())


@needs_office
def test_no_page_ends_with_a_heading(printed):
    for name, (document, pages) in printed.items():
        headings = {block.line for block in document.body if isinstance(block, Heading)}
        for number, page in enumerate(pages[:-1], 1):
            assert last_line(page) not in headings, f"{name}: page {number} ends with a heading"


@needs_office
def test_signature_and_distribution_are_never_split(printed):
    for name, (document, pages) in printed.items():
        signer = document.project.document.signer
        places = {
            needle: pages_with(pages, needle)
            for needle in ("Nơi nhận:", signer.title_lines()[0], signer.name)
        }
        assert len({tuple(found) for found in places.values()}) == 1, (name, places)


@needs_office
@pytest.mark.parametrize("name", ["sample", "appendix", "report-6", "report-8"])
def test_closing_and_signer_share_the_page_of_the_last_body_paragraph(printed, name):
    document, pages = printed[name]
    last = document.body[-1].text.split()
    tail = " ".join(last[-3:])
    closing = document.project.document.closing
    where = {
        "last paragraph": pages_with(pages, tail)[-1:],
        "closing": pages_with(pages, closing),
        "signer": pages_with(pages, document.project.document.signer.name),
    }
    assert len({tuple(found) for found in where.values()}) == 1, where
    if name == "appendix":
        assert len(pages) >= 2 and pages_with(pages, "Phụ lục I")[-1] > where["signer"][0]


#: LibreOffice 7.4 ignores keep-with-next from a paragraph into the signature table (Word
#: honours it): when the signature does not fit under a long last paragraph, it moves alone.
#: Strict: if a LibreOffice upgrade fixes it, the test says so.
_LO_MOVES_THE_SIGNATURE = pytest.mark.xfail(
    reason="LibreOffice 7.4 ignores keep-with-next into the signature table", strict=True
)


@needs_office
@pytest.mark.parametrize(
    "lines",
    [
        pytest.param(lines, marks=_LO_MOVES_THE_SIGNATURE) if lines >= 40 else lines
        for lines in REPORT_LINES
    ],
)
def test_signature_never_moves_alone_whatever_the_body_length(printed, lines):
    document, pages = printed[f"report-{lines}"]
    where = {
        pages_with(pages, LAST_WORDS)[-1],
        *pages_with(pages, document.project.document.closing),
        *pages_with(pages, SIGNER),
    }
    assert len(where) == 1
