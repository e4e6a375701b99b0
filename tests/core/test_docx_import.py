"""`tongket import`: Word replies back into reports (core/workflow/docx_import.py).

Inputs are made three ways: tongket's own export, the same converted by LibreOffice (to .odt
and back to .docx, as Word-like as it gets without Word), and a document built here with
python-docx the way a clerk types one in Word: the header on tab stops, sections numbered by
a real list (w:numPr) and by hand, a table inside section 2, a KT. signature on tab stops.
"""

from __future__ import annotations

import collections
import random
import re
import shutil
import subprocess
import zipfile
from importlib import resources
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.shared import Cm

from tongket.core.render.blocks import Table
from tongket.core.render.document import render_document
from tongket.core.report import store
from tongket.core.workflow.docx_import import DocxImportError, import_docx
from tongket.core.workflow.docx_sections import LEFTOVER_HEADING
from tongket.core.workflow.outline import load_outline
from tongket.core.writers.docx_writer import export_docx
from tongket.core.writers.textrender import render_text

SAMPLE_DATA = resources.files("tongket.sample_data")
SAMPLE = Path(str(SAMPLE_DATA / "quang-ngai-sct-2021.toml"))
OUTLINE = Path(str(SAMPLE_DATA / "de-cuong-mau.toml"))

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _add_numbering(document) -> str:
    """A two-level decimal list ("1.", "1.1.") in numbering.xml; returns its numId."""
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {W_NS} w:abstractNumId="90">'
        '<w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1.%2."/><w:lvlJc w:val="left"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        '<w:lvlText w:val="-"/><w:lvlJc w:val="left"/></w:lvl>'
        "</w:abstractNum>"
    )
    num = parse_xml(f'<w:num {W_NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)
    return "90"


def _numbered(paragraph, num_id: str, level: int) -> None:
    properties = paragraph._p.get_or_add_pPr()
    properties.append(
        parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def _tabs(paragraph) -> None:
    stops = paragraph.paragraph_format.tab_stops
    stops.add_tab_stop(Cm(11))


def build_word_like(path) -> None:
    document = Document()
    num_id = _add_numbering(document)
    header = [
        ("UBND TỈNH QUẢNG NGÃI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("SỞ CÔNG THƯƠNG", "Độc lập - Tự do - Hạnh phúc"),
        ("Số: 15/SCT-KHTC", "Quảng Ngãi, ngày 05 tháng 4 năm 2021"),
    ]
    for left, right in header:
        paragraph = document.add_paragraph()
        _tabs(paragraph)
        paragraph.add_run(left).bold = left == "SỞ CÔNG THƯƠNG"
        paragraph.add_run("\t")
        paragraph.add_run(right).bold = not right.startswith("Quảng")
    document.add_paragraph("V/v báo cáo tổng kết 10 năm thực hiện")
    document.add_paragraph("Chỉ thị 04-CT/TW về đối ngoại nhân dân")
    document.add_paragraph("")
    document.add_paragraph("Kính gửi:")
    document.add_paragraph("- Sở Ngoại vụ Quảng Ngãi;")
    document.add_paragraph("- Văn phòng UBND tỉnh.")
    intro = document.add_paragraph("Thực hiện Công văn số 2016/SNgV-HTQT ngày 01/4/2021 của ")
    intro.add_run("Sở Ngoại vụ").bold = True
    intro.add_run(", Sở Công Thương ")
    intro.add_run("báo cáo").italic = True
    intro.add_run(" như sau:")
    heading = document.add_paragraph()
    heading.add_run("Công tác chỉ đạo, triển khai").bold = True
    _numbered(heading, num_id, 0)
    document.add_paragraph(
        "Sở đã quán triệt Chỉ thị 04-CT/TW đến toàn thể công chức, viên chức trong cơ quan."
    )
    heading = document.add_paragraph()
    heading.add_run("Kết quả thực hiện").bold = True
    _numbered(heading, num_id, 0)
    point = document.add_paragraph(
        "Kim ngạch xuất khẩu tăng bình quân 29,1%/năm giai đoạn 2016 – 2020, năm 2020 đạt "
        "1.409 triệu USD."
    )
    _numbered(point, num_id, 1)
    table = document.add_table(rows=4, cols=3)
    table.style = "Table Grid"
    cells = [
        ("Năm", "Kim ngạch (triệu USD)", "Ghi chú"),
        ("2019", "1.080", ""),
        ("2020", "1.409", "ước"),
        ("Tổng", "2.489", ""),
    ]
    for row, values in zip(table.rows, cells, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
            if value and value[0].isdigit():
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for cell in table.rows[3].cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    document.add_paragraph("Số liệu năm 2020 là số ước thực hiện.")
    bullet = document.add_paragraph("Các doanh nghiệp tham gia hội chợ tại Lào.")
    _numbered(bullet, num_id, 2)
    point = document.add_paragraph(
        "Tổ chức 03 hội nghị kết nối tiêu thụ nông sản với doanh nghiệp Trung Quốc trong các năm "
        "2017, 2018 và 2019."
    )
    _numbered(point, num_id, 1)
    manual = document.add_paragraph()
    manual.add_run("3. Đề xuất, kiến nghị").bold = True
    document.add_paragraph(
        "a) Đối với Trung ương: sớm ban hành chỉ thị mới về công tác đối ngoại nhân dân trong "
        "tình hình mới."
    )
    document.add_paragraph("Sở Công Thương kính báo cáo./.")
    signature = [
        ("Nơi nhận:", "KT. GIÁM ĐỐC"),
        ("- Như trên;", "PHÓ GIÁM ĐỐC"),
        ("- Lưu: VT, KHTC.", ""),
        ("", ""),
        ("", "Nguyễn Văn Bình"),
    ]
    for left, right in signature:
        paragraph = document.add_paragraph()
        _tabs(paragraph)
        paragraph.add_run(left)
        if right:
            paragraph.add_run("\t" + right).bold = True
    document.save(path)


def _inline_tables(text: str) -> str:
    """The sample with every data section's table printed in the body."""
    return "\n".join(
        'table = "inline"' if line.startswith('table = "none"') else line
        for line in text.splitlines()
    )


def _report_variant(text: str) -> str:
    """A báo cáo numbered 05, three recipients, a deputy signing (KT.), training's table in
    a phụ lục (its section given a heading, which titles the phụ lục)."""
    text = _inline_tables(text)
    text = text.replace('kind = "cong-van"', 'kind = "bao-cao"')
    text = text.replace('number = ""\nsymbol', 'number = "5"\nsymbol')
    text = text.replace(
        'recipients = ["Sở Ngoại vụ Quảng Ngãi"]',
        'recipients = ["Sở Ngoại vụ Quảng Ngãi", "Văn phòng UBND tỉnh", "Ban Tuyên giáo Tỉnh ủy"]',
    )
    text = text.replace(
        'prefix = ""\nhead_title = "GIÁM ĐỐC"\nsigner_title = ""',
        'prefix = "KT."\nhead_title = "GIÁM ĐỐC"\nsigner_title = "PHÓ GIÁM ĐỐC"',
    )
    head, _, tail = text.partition('number = "2.4."\n')
    tail = tail.replace('table = "inline"', 'heading = "Tập huấn, hội thảo"\ntable = "appendix"', 1)
    return f'{head}number = "2.4."\n{tail}'


VARIANTS = {"sample": lambda text: text, "tables": _inline_tables, "report": _report_variant}


@pytest.fixture(scope="session")
def exported(tmp_path_factory, host) -> dict[str, tuple[Path, str]]:
    """Each variant's report exported by tongket: (docx path, its rendered text)."""
    folder = tmp_path_factory.mktemp("exported")
    made = {}
    for name, change in VARIANTS.items():
        report = folder / f"{name}.toml"
        report.write_text(change(SAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
        rendered = render_document(store.load(report), host)
        export_docx(rendered, folder / f"{name}.docx")
        made[name] = (folder / f"{name}.docx", render_text(rendered))
    return made


@pytest.fixture(scope="session")
def converted(tmp_path_factory, exported) -> dict[str, Path]:
    """The exports after LibreOffice: .docx → .odt → .docx ("MS Word 2007 XML")."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) chưa được cài")
    folder = tmp_path_factory.mktemp("libreoffice")
    profile = f"-env:UserInstallation=file://{folder / 'profile'}"
    made = {}
    for name, (docx, _text) in exported.items():
        for source, target in ((docx, "odt"), (folder / f"{name}.odt", "docx:MS Word 2007 XML")):
            subprocess.run(
                [soffice, profile, "--headless", "--convert-to", target, "--outdir", str(folder),
                 str(source)],
                check=True, capture_output=True, timeout=180,
            )  # fmt: skip
        made[name] = folder / f"{name}.docx"
    return made


@pytest.fixture(scope="session")
def word_like(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("word") / "tra-loi.docx"
    build_word_like(path)
    return path


def _reimported_text(path: Path, host) -> str:
    result = import_docx(path)
    # Through the TOML file, as `tongket import` writes it.
    project = store.loads(store.dumps(result.project))
    return render_text(render_document(project, host))


@pytest.mark.parametrize("name", list(VARIANTS))
def test_tongket_export_round_trips_to_the_same_text(exported, host, name):
    docx, original = exported[name]
    assert _reimported_text(docx, host) == original


@pytest.mark.parametrize("name", list(VARIANTS))
def test_libreoffice_resave_round_trips_to_the_same_text(exported, converted, host, name):
    assert _reimported_text(converted[name], host) == exported[name][1]


def test_report_variant_particulars_and_appendix(exported):
    result = import_docx(exported["report"][0])
    document = result.project.document
    assert (document.kind, document.number, document.symbol) == ("bao-cao", "05", "SCT-VP")
    assert document.subject.startswith("Báo cáo tổng kết 10 năm")
    assert document.recipients == [
        "Sở Ngoại vụ Quảng Ngãi", "Văn phòng UBND tỉnh", "Ban Tuyên giáo Tỉnh ủy",
    ]  # fmt: skip
    signer = document.signer
    assert (signer.prefix, signer.head_title, signer.signer_title, signer.name) == (
        "KT.", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Võ Văn Rân",
    )  # fmt: skip
    training = next(s for s in result.project.sections if s.number == "2.4.")
    assert training.table == "appendix"
    assert "(Chi tiết tại Phụ lục I kèm theo.)" not in training.data["text"]
    [table] = training.data["tables"]
    assert table["header"][0] == "Năm" and table["rows"][-1][0] == "Tổng cộng"
    assert table["total_rows"] == [-1]
    assert result.notes == []


def test_sample_sections_come_back_as_free_text_with_numbers(exported):
    result = import_docx(exported["tables"][0])
    sections = result.project.sections
    assert [(s.number, s.heading) for s in sections] == [
        ("", ""), ("1.", ""), ("2.", "Kết quả thực hiện"), ("2.1.", ""), ("2.2.", ""),
        ("2.3.", ""), ("2.4.", ""), ("2.5.", ""),
    ]  # fmt: skip
    assert {s.type for s in sections} == {"free-text"}
    economic = sections[3].data
    assert economic["text"].startswith("Trên lĩnh vực phát triển kinh tế ngành")
    [table] = economic["tables"]
    assert table["caption"] == "Kim ngạch xuất khẩu giai đoạn 2010 – 2020"
    assert table["rows"][-1] == ["2020", "1.409", "30,5"]
    assert table["align"][1] == "right" and table["note"].startswith("Tăng bình quân")
    assert result.project.document.closing == "Sở Công Thương kính báo cáo./."


def test_word_like_document(word_like):
    result = import_docx(word_like)
    document = result.project.document
    assert (document.parent_agency, document.agency) == ("UBND TỈNH QUẢNG NGÃI", "SỞ CÔNG THƯƠNG")
    assert (document.number, document.symbol, document.place) == ("15", "SCT-KHTC", "Quảng Ngãi")
    assert document.date.isoformat() == "2021-04-05"
    # The V/v wrapped onto a second paragraph.
    assert document.subject == (
        "báo cáo tổng kết 10 năm thực hiện Chỉ thị 04-CT/TW về đối ngoại nhân dân"
    )
    assert document.recipients == ["Sở Ngoại vụ Quảng Ngãi", "Văn phòng UBND tỉnh"]
    assert document.distribution == ["Như trên", "Lưu: VT, KHTC"]
    signer = document.signer
    assert (signer.prefix, signer.head_title, signer.signer_title, signer.name) == (
        "KT.", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Bình",
    )  # fmt: skip
    assert document.closing == "Sở Công Thương kính báo cáo./."
    sections = result.project.sections
    # List numbering (1., 2., 2.1., 2.2. counted from numbering.xml) and typed "3.", "a)".
    assert [(s.number, s.heading) for s in sections] == [
        ("", ""), ("1.", "Công tác chỉ đạo, triển khai"), ("2.", "Kết quả thực hiện"),
        ("2.1.", ""), ("2.2.", ""), ("3.", "Đề xuất, kiến nghị"), ("a)", ""),
    ]  # fmt: skip
    assert sections[0].data["text"] == (
        "Thực hiện Công văn số 2016/SNgV-HTQT ngày 01/4/2021 của **Sở Ngoại vụ**, "
        "Sở Công Thương *báo cáo* như sau:"
    )
    [table] = sections[3].data["tables"]
    assert table["header"] == ["Năm", "Kim ngạch (triệu USD)", "Ghi chú"]
    assert table["rows"] == [["2019", "1.080", ""], ["2020", "1.409", "ước"], ["Tổng", "2.489", ""]]
    assert table["total_rows"] == [-1] and table["align"][1] == "right"
    # Text after the table stays after it; a bulleted list item keeps its dash.
    assert table["text_after"] == (
        "Số liệu năm 2020 là số ước thực hiện.\n\n- Các doanh nghiệp tham gia hội chợ tại Lào."
    )
    assert sections[6].data["text"].startswith("Đối với Trung ương:")
    assert result.notes == []


def test_word_like_document_renders_its_table_in_place(word_like, host):
    text = _reimported_text(word_like, host)
    point = text.index("2.1. Kim ngạch xuất khẩu")
    assert point < text.index("| Tổng |") < text.index("Số liệu năm 2020") < text.index("2.2. ")
    rendered = render_document(import_docx(word_like).project, host)
    tables = [block for block in rendered.body if isinstance(block, Table)]
    assert len(tables) == 1 and tables[0].keep_empty_columns


def test_outline_matching(word_like):
    outline = load_outline(OUTLINE)
    result = import_docx(word_like, outline=outline)
    sections = {s.number: s for s in result.project.sections}
    wanted = {s.number: s for s in outline.sections}
    assert sections["1."].heading == wanted["1."].heading  # matched by number and heading
    assert sections["2.1."].heading == wanted["2.1."].heading  # the outline names it
    assert sections["2.1."].type == "free-text"  # figures cannot come from Word text
    assert sections["2.1."].data["tables"]  # its table is kept
    notes = "\n".join(result.notes)
    assert "đề cương cần loại 'economic-results'" in notes
    assert "mục 'a)' không khớp mục nào của đề cương" in notes
    assert "đề cương có mục 2.3." in notes and "nhưng văn bản không có" in notes


def test_text_after_the_signature_is_kept_and_reported(tmp_path):
    path = tmp_path / "after.docx"
    build_word_like(path)
    document = Document(str(path))
    document.add_paragraph("Ghi chú viết tay sau chữ ký (*).")
    document.save(str(path))
    result = import_docx(path)
    last = result.project.sections[-1]
    assert last.heading == LEFTOVER_HEADING
    # Kept verbatim: its star escaped, so it prints as a star (not a mark of emphasis).
    assert last.data["text"] == "Ghi chú viết tay sau chữ ký (\\*)."
    [note] = result.notes
    assert note.startswith("đoạn ") and "Ghi chú viết tay" in note


def _plain_signature(path: Path, layout: str) -> None:
    """A short công văn whose Nơi nhận and signature are plain paragraphs, no table or tabs:
    typed dashes, Word bullets, or pasted from a PDF (the title before Nơi nhận)."""
    document = Document()
    num_id = _add_numbering(document)
    for text in (
        "UBND TỈNH QUẢNG NGÃI", "SỞ CÔNG THƯƠNG", "Số: 15/SCT-VP",
        "Quảng Ngãi, ngày 02 tháng 4 năm 2021", "V/v báo cáo tổng kết 10 năm",
        "Kính gửi: Sở Ngoại vụ Quảng Ngãi", "Sở Công Thương báo cáo như sau:",
        "Năm 2020, kim ngạch xuất khẩu đạt 1.409 triệu USD.", "Sở Công Thương kính báo cáo./.",
    ):  # fmt: skip
        document.add_paragraph(text)
    entries = ["Như trên;", "GD, PGD Sở;", "Lưu: VT, VP."]
    if layout == "pasted":
        document.add_paragraph("GIÁM ĐỐC")
    document.add_paragraph("Nơi nhận:")
    for entry in entries:
        if layout == "bullets":
            _numbered(document.add_paragraph(entry), num_id, 2)
        else:
            document.add_paragraph(f"- {entry}")
    if layout != "pasted":
        document.add_paragraph("GIÁM ĐỐC")
    document.add_paragraph("Võ Văn Rân")
    document.save(str(path))


def test_a_numbered_heading_in_capitals_before_noi_nhan_stays_in_the_body(tmp_path):
    # Only a title ("GIÁM ĐỐC") moves into the signature area, never the body's last heading.
    document = Document()
    lines = (
        "SỞ CÔNG THƯƠNG", "Số: 15/SCT-VP", "V/v báo cáo", "Kính gửi: Sở Ngoại vụ", "Nội dung.",
        "III. KIẾN NGHỊ", "Nơi nhận:", "- Lưu: VT.", "GIÁM ĐỐC", "Võ Văn Rân",
    )  # fmt: skip
    for text in lines:
        document.add_paragraph(text)
    path = tmp_path / "kien-nghi.docx"
    document.save(str(path))
    project = import_docx(path).project
    assert [(s.number, s.heading) for s in project.sections] == [("", ""), ("III.", "KIẾN NGHỊ")]
    signer = project.document.signer
    assert (signer.head_title, signer.name) == ("GIÁM ĐỐC", "Võ Văn Rân")


@pytest.mark.parametrize("layout", ["dashes", "bullets", "pasted"])
def test_a_signature_typed_as_plain_paragraphs(tmp_path, layout):
    # The name after "- Lưu: VT, VP." was read as the rest of that entry, Word bullets ended
    # the area at "Nơi nhận:", and a title before Nơi nhận stayed in the body: each lost the
    # signer (and the Nơi nhận) to the "nội dung chưa xếp được" section.
    path = tmp_path / f"{layout}.docx"
    _plain_signature(path, layout)
    result = import_docx(path)
    document = result.project.document
    assert document.distribution == ["Như trên", "GD, PGD Sở", "Lưu: VT, VP"]
    signer = document.signer
    assert (signer.prefix, signer.head_title, signer.name) == ("", "GIÁM ĐỐC", "Võ Văn Rân")
    assert document.closing == "Sở Công Thương kính báo cáo./."
    assert [s.heading for s in result.project.sections if s.heading == LEFTOVER_HEADING] == []
    assert result.notes == []


def test_contact_lines_under_a_signature_are_kept_apart_from_the_signer(tmp_path):
    # "Người lập biểu: …" and "ĐT: …" typed under the signature were read as the signer:
    # head_title "GIÁM ĐỐC Võ Văn Rân Người lập biểu: Trần Thị B", name "ĐT: 0255 3822 123".
    path = tmp_path / "lien-he.docx"
    _plain_signature(path, "dashes")
    document = Document(str(path))
    document.add_paragraph("Người lập biểu: Trần Thị B")
    document.add_paragraph("ĐT: 0255 3822 123")
    document.save(str(path))
    result = import_docx(path)
    signer = result.project.document.signer
    assert (signer.head_title, signer.signer_title, signer.name) == ("GIÁM ĐỐC", "", "Võ Văn Rân")
    last = result.project.sections[-1]
    assert last.heading == LEFTOVER_HEADING
    assert last.data["text"] == "Người lập biểu: Trần Thị B\n\nĐT: 0255 3822 123"
    assert sum("sau chữ ký" in note for note in result.notes) == 2


def _signature_table(path: Path, signer_cell: str) -> None:
    """A short công văn whose Nơi nhận and signature are a two-cell table."""
    document = Document()
    for text in ("SỞ CÔNG THƯƠNG", "Số: 15/SCT-VP", "V/v báo cáo", "Kính gửi: Sở Ngoại vụ",
                 "Nội dung báo cáo.", "Sở Công Thương kính báo cáo./."):  # fmt: skip
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Nơi nhận:\n- Lưu: VT."
    table.cell(0, 1).text = signer_cell
    document.save(str(path))


def test_contact_lines_inside_the_signature_cell_and_an_unsigned_title(tmp_path):
    # In the signature table's cell: the contact line is kept elsewhere, not made the name.
    path = tmp_path / "o-ky.docx"
    _signature_table(path, "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n(Đã ký)\nLê Văn C\nĐT: 0255 3822 123")
    result = import_docx(path)
    signer = result.project.document.signer
    assert (signer.prefix, signer.head_title, signer.signer_title, signer.name) == (
        "KT.", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lê Văn C"
    )  # fmt: skip
    assert "ĐT: 0255 3822 123" in result.project.sections[-1].data["text"]
    assert any("không phải chức vụ hay họ tên" in note for note in result.notes)
    # A title with no name under it (a form not yet signed) is a title, not the name; a
    # name typed in capitals under its title stays the name.
    for cell, expected in (("GIÁM ĐỐC", ("GIÁM ĐỐC", "")),
                           ("GIÁM ĐỐC\nVÕ VĂN RÂN", ("GIÁM ĐỐC", "VÕ VĂN RÂN"))):  # fmt: skip
        _signature_table(path, cell)
        signer = import_docx(path).project.document.signer
        assert (signer.head_title, signer.name) == expected


@pytest.mark.parametrize(
    ("after_title", "subject"),
    [
        (["Tổng kết 10 năm thực hiện Chỉ thị 04-CT/TW", "Sở báo cáo như sau:"],
         "Tổng kết 10 năm thực hiện Chỉ thị 04-CT/TW"),
        (["Sở Công Thương báo cáo như sau:"], ""),
        (["I. Kết quả thực hiện"], ""),
        (["KẾT QUẢ THỰC HIỆN"], ""),
    ],
)  # fmt: skip
def test_an_unaligned_bao_cao_takes_its_trich_yeu_and_nothing_else(tmp_path, after_title, subject):
    # Typed without alignment or pasted from a PDF, not even "BÁO CÁO" is centred: the line
    # after it that reads as a trích yếu is taken (it used to open the body); a sentence, a
    # numbered or an all-capitals heading stays the body's.
    document = Document()
    body = "Năm 2020, xuất khẩu đạt 1.409 triệu USD."
    for text in ("SỞ CÔNG THƯƠNG", "Số: 20/BC-SCT", "Quảng Ngãi, ngày 10 tháng 5 năm 2021",
                 "BÁO CÁO", *after_title, body):  # fmt: skip
        document.add_paragraph(text)
    path = tmp_path / "bao-cao.docx"
    document.save(str(path))
    project = import_docx(path).project
    assert (project.document.kind, project.document.subject) == ("bao-cao", subject)
    kept = [line for line in after_title if line != subject]
    parts = [(f"{s.number} {s.heading}".strip(), s.data["text"]) for s in project.sections]
    text = "\n\n".join(part for pair in parts for part in pair if part)
    assert text == "\n\n".join([*kept, body])


#: Lines a công văn or báo cáo is made of, for documents put together in random order.
LINES = (
    "UBND TỈNH QUẢNG NGÃI", "SỞ CÔNG THƯƠNG", "Số: 15/SCT-VP", "Số: /BC-UBND",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
    "Quảng Ngãi, ngày 02 tháng 4 năm 2021", "Hà Nội, ngày 31 tháng 2 năm 2021",
    "V/v báo cáo tổng kết", "Về việc góp ý dự thảo", "BÁO CÁO", "TỜ TRÌNH", "Tổng kết 10 năm",
    "Kính gửi: Sở Ngoại vụ", "Kính gửi:", "- Sở Tài chính;", "- UBND tỉnh.",
    "Thực hiện Công văn số 12, Sở báo cáo như sau:", "I. KẾT QUẢ", "1. Kinh tế",
    "1.1. Xuất khẩu", "a) Nông sản", "Năm 2020, kim ngạch đạt 1.409 triệu USD.",
    "Sở Công Thương kính báo cáo./.", "Trân trọng./.", "Nơi nhận:", "- Như trên;",
    "- Lưu: VT, VP.", "GIÁM ĐỐC", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN",
    "Võ Văn Rân", "Phụ lục I", "Bảng 1: Số liệu", "", "Ghi chú: số liệu ước tính.",
    "Nơi nhận:\tGIÁM ĐỐC", "- Như trên;\tPHÓ GIÁM ĐỐC", "\t\tVõ Văn Rân",
    "SỞ CÔNG THƯƠNG\tĐộc lập - Tự do - Hạnh phúc",
    "Số: 15/SCT\tQuảng Ngãi, ngày 5 tháng 4 năm 2021",
)  # fmt: skip
#: Words tongket writes itself (labels, the national title, "ngày … tháng … năm", the
#: appendices' "Phụ lục I"): the report stores what they introduce, not them.
LABEL_WORDS = {
    "Kính", "gửi", "Nơi", "nhận", "Số", "V", "v", "Về", "việc", "CỘNG", "HÒA", "XÃ", "HỘI", "CHỦ",
    "NGHĨA", "VIỆT", "NAM", "Độc", "lập", "Tự", "do", "Hạnh", "phúc", "ngày", "tháng", "năm",
    "BÁO", "CÁO", "KT", "TM", "TỜ", "TRÌNH", "Phụ", "lục", "I",
}  # fmt: skip


def _random_documents(count: int) -> list[list[str]]:
    """`count` documents of 1–30 lines of `LINES` in random order, each with some text."""
    found = []
    for seed in range(count):
        rng = random.Random(seed)
        lines = [rng.choice(LINES) for _ in range(rng.randint(1, 30))]
        found.append([*lines, "Nội dung."] if not any(line.strip() for line in lines) else lines)
    return found


def _words(text: str) -> collections.Counter:
    return collections.Counter(re.findall(r"\w+", text))


@pytest.mark.parametrize(
    "lines",
    [
        # A V/v in the header and a title with its own trích yếu: the title's once replaced it.
        ["Về việc góp ý dự thảo", "a) Nông sản", "TỜ TRÌNH", "Tổng kết 10 năm", "Nội dung."],
        # Two date lines: the second once replaced the first.
        [
            "Số: 15/SCT-VP",
            "Quảng Ngãi, ngày 02 tháng 4 năm 2021",
            "Hà Nội, ngày 3 tháng 2 năm 2021",
        ],
        *_random_documents(120),
    ],
)
def test_import_loses_no_word(tmp_path, lines):
    # Whatever the order of the lines, each word ends up in a field, a section or the leftover
    # section (and the notes say which); the result saves and loads back.
    document = Document()
    for line in lines:
        paragraph = document.add_paragraph()
        for position, piece in enumerate(line.split("\t")):
            paragraph.add_run(("\t" if position else "") + piece)
    path = tmp_path / "random.docx"
    document.save(str(path))
    result = import_docx(path)
    saved = store.dumps(result.project)
    store.loads(saved, "random.toml")
    kept = _words(saved)
    lost = [
        word for word in _words(" ".join(lines))
        if word not in kept and word not in LABEL_WORDS and not word.isdigit()
    ]  # fmt: skip
    assert lost == [], result.notes


def _zip(path: Path, parts: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def test_bad_inputs_have_precise_messages(tmp_path, word_like):
    text_file = tmp_path / "note.docx"
    text_file.write_text("không phải Word", encoding="utf-8")
    old_word = tmp_path / "old.docx"
    old_word.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    truncated = tmp_path / "cut.docx"
    truncated.write_bytes(word_like.read_bytes()[:3000])
    spreadsheet = _zip(tmp_path / "book.docx", {"xl/workbook.xml": "<workbook/>"})
    broken = _zip(tmp_path / "broken.docx", {"word/document.xml": "<w:document"})
    empty = tmp_path / "empty.docx"
    Document().save(str(empty))
    cases = {
        text_file: "không phải tệp Word .docx (không phải gói zip)",
        old_word: "là tệp Word 97–2003 (.doc)",
        truncated: "gói zip bị hỏng",
        spreadsheet: "không có phần văn bản chính word/document.xml",
        broken: "phần word/document.xml không phải XML hợp lệ",
        empty: "văn bản trống",
        tmp_path / "missing.docx": "không tìm thấy tệp",
    }
    for path, expected in cases.items():
        with pytest.raises(DocxImportError) as caught:
            import_docx(path)
        assert str(caught.value).startswith(f"{path}: "), caught.value
        assert expected in str(caught.value)


def test_free_text_tables_are_validated(host):
    from tongket.core.report.model import Project, Section

    tables = [
        {"header": ["Năm", "Số"], "rows": [["2020"]], "align": ["left"], "colour": "đỏ"},
        {"header": [], "rows": []},
        {"header": ["A"], "rows": [["1"]], "total_rows": [3]},
    ]
    project = Project(sections=[Section("free-text", data={"text": "", "tables": tables})])
    problems = {
        (problem.where, problem.message) for problem in render_document(project, host).problems
    }
    where = {place for place, _message in problems}
    assert {
        "sections.1.data.tables.1.rows.1",
        "sections.1.data.tables.1.align",
        "sections.1.data.tables.1.colour",
        "sections.1.data.tables.2.header",
        "sections.1.data.tables.3.total_rows",
    } <= where
