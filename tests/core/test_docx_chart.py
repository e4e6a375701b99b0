"""Native Word charts: the economic results' `chart` option, read back from the package.

The chart part, its embedded workbook, the relationships and content types are read with
zipfile and lxml; python-docx opens the document; LibreOffice draws it (skipped without it).
"""

from __future__ import annotations

import copy
import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.shape import WD_INLINE_SHAPE
from lxml import etree

from tongket.core.cli import main
from tongket.core.render.blocks import (
    Chart,
    ChartSeries,
    Image,
    Paragraph,
    Table,
    block_problems,
)
from tongket.core.render.document import RenderedDocument, render_document
from tongket.core.report import store
from tongket.core.writers.docx_chart import (
    CHART_CONTENT_TYPE,
    CHART_RELATIONSHIP,
    PACKAGE_RELATIONSHIP,
    XLSX_CONTENT_TYPE,
    number_format,
)
from tongket.core.writers.docx_template import shipped_package
from tongket.core.writers.docx_writer import build_docx
from tongket.core.writers.images import ImageFolders
from tongket.core.writers.pdf import PdfConversionError, convert_to_pdf, soffice_path
from tongket.core.writers.textrender import block_lines, render_text

NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
}
YEARS = [str(year) for year in range(2010, 2021)]
EXPORTS = [271, 305, 328, 347, 366, 381, 470, 610, 820, 1080, 1409]
TITLE = "Kim ngạch xuất khẩu (triệu USD)"
CAPTION = "Biểu đồ 1. Kim ngạch xuất khẩu giai đoạn 2010 – 2020"


def economic_index(project) -> int:
    return next(i for i, s in enumerate(project.sections) if s.type == "economic-results")


def with_chart(project, chart: str, *, table: str | None = None):
    """A copy of the report whose economic results section draws its chart `chart`."""
    project = copy.deepcopy(project)
    section = project.sections[economic_index(project)]
    section.data["chart"] = chart
    if table is not None:
        section.table = table
    return project


def package(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as opened:
        return {name: opened.read(name) for name in opened.namelist()}


def xml(data: bytes):
    return etree.fromstring(data)


def relationships(parts: dict[str, bytes], name: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id → (type, target)."""
    root = xml(parts[name])
    return {
        rel.get("Id"): (rel.get("Type"), rel.get("Target"))
        for rel in root.findall("rel:Relationship", NS)
    }


@pytest.fixture(scope="module")
def inline_report(host, sample_path) -> RenderedDocument:
    return render_document(with_chart(store.load(sample_path), "inline"), host)


@pytest.fixture(scope="module")
def inline_parts(inline_report) -> dict[str, bytes]:
    return package(build_docx(inline_report))


@pytest.fixture(scope="module")
def appendix_report(host, sample_path) -> RenderedDocument:
    return render_document(with_chart(store.load(sample_path), "appendix"), host)


# -- the chart part ------------------------------------------------------------------------


def test_the_chart_part_holds_the_years_the_figures_and_their_format(inline_parts):
    chart = xml(inline_parts["word/charts/chart1.xml"])
    assert chart.tag == f"{{{NS['c']}}}chartSpace"
    assert chart.find("c:lang", NS).get("val") == "vi-VN"
    [series] = chart.findall(".//c:barChart/c:ser", NS)
    assert chart.find(".//c:barChart/c:barDir", NS).get("val") == "col"
    categories = series.find("c:cat/c:strRef", NS)
    assert categories.findtext("c:f", namespaces=NS) == "Sheet1!$A$2:$A$12"
    assert [pt.findtext("c:v", namespaces=NS) for pt in categories.iterfind(".//c:pt", NS)] == YEARS
    values = series.find("c:val/c:numRef", NS)
    assert values.findtext("c:f", namespaces=NS) == "Sheet1!$B$2:$B$12"
    cache = values.find("c:numCache", NS)
    assert cache.findtext("c:formatCode", namespaces=NS) == "[$-42A]#,##0"
    assert cache.find("c:ptCount", NS).get("val") == "11"
    assert [float(pt.findtext("c:v", namespaces=NS)) for pt in cache.iterfind("c:pt", NS)] == (
        EXPORTS
    )
    assert series.findtext("c:tx//c:v", namespaces=NS) == "Kim ngạch xuất khẩu"
    axis_format = chart.find(".//c:valAx/c:numFmt", NS)
    assert (axis_format.get("formatCode"), axis_format.get("sourceLinked")) == ("[$-42A]#,##0", "0")
    assert chart.find(".//c:dLbls/c:showVal", NS).get("val") == "1"  # the figures on the bars
    title = "".join(chart.find("c:chart/c:title", NS).itertext())
    assert title == TITLE
    assert {font.get("typeface") for font in chart.iter(f"{{{NS['a']}}}latin")} == {
        "Times New Roman"
    }


def test_number_format_gives_the_indicator_decimals():
    assert number_format(0) == "[$-42A]#,##0"
    assert number_format(2) == "[$-42A]#,##0.00"


def test_relationships_and_content_types_resolve(inline_parts):
    document = xml(inline_parts["word/document.xml"])
    [graphic] = document.findall(".//w:drawing/wp:inline/a:graphic/a:graphicData/c:chart", NS)
    rid = graphic.get(f"{{{NS['r']}}}id")
    document_rels = relationships(inline_parts, "word/_rels/document.xml.rels")
    assert document_rels[rid] == (CHART_RELATIONSHIP, "charts/chart1.xml")
    assert len(document_rels) == len({*document_rels})  # ids stay unique
    chart = xml(inline_parts["word/charts/chart1.xml"])
    workbook_rid = chart.find("c:externalData", NS).get(f"{{{NS['r']}}}id")
    chart_rels = relationships(inline_parts, "word/charts/_rels/chart1.xml.rels")
    kind, target = chart_rels[workbook_rid]
    assert kind == PACKAGE_RELATIONSHIP
    assert target == "../embeddings/Microsoft_Excel_Sheet1.xlsx"
    assert "word/embeddings/Microsoft_Excel_Sheet1.xlsx" in inline_parts
    types = xml(inline_parts["[Content_Types].xml"])
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.findall("ct:Override", NS)}
    defaults = {d.get("Extension"): d.get("ContentType") for d in types.findall("ct:Default", NS)}
    assert overrides["/word/charts/chart1.xml"] == CHART_CONTENT_TYPE
    assert defaults["xlsx"] == XLSX_CONTENT_TYPE
    # Every internal relationship of the package points at a part that exists.
    for name in [name for name in inline_parts if name.endswith(".rels")]:
        folder = name.replace("_rels/", "").removesuffix(".rels").rpartition("/")[0]
        for _kind, target in relationships(inline_parts, name).values():
            resolved = Path("/", folder, target).resolve().as_posix().lstrip("/")
            assert resolved in inline_parts, f"{name}: {target}"


def test_the_embedded_workbook_opens_with_the_same_figures(inline_parts):
    workbook = package(inline_parts["word/embeddings/Microsoft_Excel_Sheet1.xlsx"])
    assert list(workbook)[:2] == ["[Content_Types].xml", "_rels/.rels"]
    book = xml(workbook["xl/workbook.xml"])
    assert book.find(".//s:sheet", NS).get("name") == "Sheet1"  # as the chart's c:f name it
    sheet = xml(workbook["xl/worksheets/sheet1.xml"])
    cells = {
        cell.get("r"): cell.findtext("s:v", namespaces=NS) or cell.findtext("s:is/s:t", None, NS)
        for cell in sheet.iter(f"{{{NS['s']}}}c")
    }
    assert cells["B1"] == "Kim ngạch xuất khẩu"
    assert [cells[f"A{row}"] for row in range(2, 13)] == YEARS
    assert [float(cells[f"B{row}"]) for row in range(2, 13)] == EXPORTS
    styles = xml(workbook["xl/styles.xml"])
    assert styles.find(".//s:numFmt", NS).get("formatCode") == "[$-42A]#,##0"
    for name, data in workbook.items():
        assert xml(data) is not None, name  # every part is well-formed


def test_python_docx_opens_it_and_the_caption_follows_the_chart(inline_parts, inline_report):
    opened = docx.Document(io.BytesIO(build_docx(inline_report)))
    assert [shape.type for shape in opened.inline_shapes] == [WD_INLINE_SHAPE.CHART]
    texts = [paragraph.text for paragraph in opened.paragraphs]
    caption = texts.index(CAPTION)
    chart_paragraph = opened.paragraphs[caption - 1]
    assert chart_paragraph._p.find(".//c:chart", NS) is not None
    assert opened.paragraphs[caption].style.name == "TK Caption"
    # Inline: after the section's paragraphs, before the next section.
    assert texts[caption + 1].startswith("2.2.")


def test_same_input_gives_the_same_bytes(inline_report):
    first = build_docx(inline_report)
    assert build_docx(inline_report) == first
    assert build_docx(copy.deepcopy(inline_report)) == first


# -- the sample stays as it was ------------------------------------------------------------


def test_the_sample_has_no_chart_and_the_parts_of_the_shipped_package(rendered_sample):
    blocks = [*rendered_sample.body, *(b for a in rendered_sample.appendices for b in a.blocks)]
    assert not any(isinstance(block, Chart) for block in blocks)
    parts = package(build_docx(rendered_sample))
    shipped = shipped_package()
    assert set(parts) == {*shipped.parts, shipped.document_name, "docProps/core.xml"}
    assert parts["[Content_Types].xml"] == shipped.parts["[Content_Types].xml"]
    assert parts["word/_rels/document.xml.rels"] == shipped.parts["word/_rels/document.xml.rels"]


def test_exporting_the_sample_never_imports_the_chart_writer(sample_path, tmp_path):
    probe = (
        "import sys\n"
        "from tongket.core.cli import main\n"
        f"code = main(['export', {str(sample_path)!r}, '-o', {str(tmp_path / 'a.docx')!r}])\n"
        "print(code, 'tongket.core.writers.docx_chart' in sys.modules, 'textual' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.split()[-3:] == ["0", "False", "False"]


def test_a_report_with_a_chart_exports_headless_without_python_docx(sample_copy, tmp_path):
    text = sample_copy.read_text(encoding="utf-8")
    sample_copy.write_text(text.replace('\nmethod = "cagr"', '\nchart = "inline"\nmethod = "cagr"'))
    probe = (
        "import sys\n"
        "from tongket.core.cli import main\n"
        f"code = main(['export', {str(sample_copy)!r}, '-o', {str(tmp_path / 'a.docx')!r}])\n"
        "loaded = {name.split('.')[0] for name in sys.modules}\n"
        "print(code, 'tongket.core.writers.docx_chart' in sys.modules,"
        " sorted(loaded & {'textual', 'docx', 'lxml'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "0 True []"
    assert "word/charts/chart1.xml" in package((tmp_path / "a.docx").read_bytes())


def test_text_in_a_chart_is_escaped_and_sanitised(rendered_sample):
    hostile = 'Giá trị "A&B" <1>\x07'
    chart = Chart(
        hostile,
        (hostile, "2021"),
        (ChartSeries(hostile, (1.0, 2.5)), ChartSeries("B", (None, 3.0))),
        unit="tỷ đồng",
        caption=hostile,
        number=1,
    )
    data = build_docx(RenderedDocument(rendered_sample.project, [chart], [], []))
    parts = package(data)
    chart_part = xml(parts["word/charts/chart1.xml"])
    assert "".join(chart_part.find("c:chart/c:title", NS).itertext()) == (
        'Giá trị "A&B" <1> (tỷ đồng)'
    )
    assert chart_part.find("c:chart/c:legend", NS) is not None  # two series: a legend
    sheet = package(parts["word/embeddings/Microsoft_Excel_Sheet1.xlsx"])
    assert xml(sheet["xl/worksheets/sheet1.xml"]).findtext(".//s:t", namespaces=NS) == (
        'Giá trị "A&B" <1>'
    )
    opened = docx.Document(io.BytesIO(data))
    assert 'Biểu đồ 1. Giá trị "A&B" <1>' in [p.text for p in opened.paragraphs]


# -- placement and numbering ---------------------------------------------------------------


def test_appendix_puts_the_chart_in_the_sections_phu_luc(appendix_report):
    [appendix] = appendix_report.appendices
    assert appendix.label == "Phụ lục I"
    assert [type(block) for block in appendix.blocks] == [Chart]  # table = "none" stays none
    assert not any(isinstance(block, Chart) for block in appendix_report.body)
    texts = [block.text for block in appendix_report.body if isinstance(block, Paragraph)]
    assert "(Chi tiết tại Phụ lục I kèm theo.)" in texts
    opened = docx.Document(io.BytesIO(build_docx(appendix_report)))
    paragraphs = [paragraph.text for paragraph in opened.paragraphs]
    assert paragraphs.index(CAPTION) > paragraphs.index("Phụ lục I")


def test_table_and_chart_share_one_phu_luc(host, sample_path):
    project = with_chart(store.load(sample_path), "appendix", table="appendix")
    rendered = render_document(project, host)
    [appendix] = rendered.appendices
    assert [type(block) for block in appendix.blocks] == [Table, Chart]
    pointers = [b for b in rendered.body if isinstance(b, Paragraph) and "Phụ lục" in b.text]
    assert len(pointers) == 1


def test_inline_chart_follows_its_table(host, sample_path):
    rendered = render_document(with_chart(store.load(sample_path), "inline", table="inline"), host)
    blocks = rendered.sections[economic_index(rendered.project)].blocks
    kinds = [type(block) for block in blocks]
    assert kinds[-2:] == [Table, Chart]


def test_captions_are_numbered_body_first_then_phu_luc(host, sample_path):
    project = with_chart(store.load(sample_path), "appendix")
    second = copy.deepcopy(project.sections[economic_index(project)])
    second.number = "2.9."
    second.data["chart"] = "inline"
    second.data["indicators"][0]["name"] = "giá trị sản xuất công nghiệp"
    second.data["indicators"][0]["unit"] = "tỷ đồng"
    second.data["indicators"][0]["decimals"] = 1
    second.data["indicators"][0]["series"][3]["value"] = 347.25
    project.sections.append(second)
    rendered = render_document(project, host)
    text = render_text(rendered)
    first = "Biểu đồ 1. Giá trị sản xuất công nghiệp giai đoạn 2010 – 2020"
    later = "Biểu đồ 2. Kim ngạch xuất khẩu giai đoạn 2010 – 2020"
    assert text.index(first) < text.index(later)
    assert "Giá trị sản xuất công nghiệp (tỷ đồng)\n2010: 271,0\n" in text
    assert "\n2013: 347,3\n" in text
    parts = package(build_docx(rendered))
    # Part numbers follow reading order too: chart1 is the body's, with its one decimal.
    assert "tỷ đồng" in xml(parts["word/charts/chart1.xml"]).xpath(
        "string(.//c:title)", namespaces=NS
    )
    code = xml(parts["word/charts/chart1.xml"]).findtext(".//c:formatCode", namespaces=NS)
    assert code == "[$-42A]#,##0.0"
    assert "triệu USD" in xml(parts["word/charts/chart2.xml"]).xpath(
        "string(.//c:title)", namespaces=NS
    )
    ids = [d.get("id") for d in xml(parts["word/document.xml"]).iterfind(".//wp:docPr", NS)]
    assert ids == ["1", "2"]


# -- text, preview, missing years ----------------------------------------------------------


GAPPED = Chart(
    "Kim ngạch xuất khẩu",
    ("2018", "2019", "2020"),
    (ChartSeries("Kim ngạch xuất khẩu", (820.0, None, 1409.0)),),
    unit="triệu USD",
    caption="Kim ngạch xuất khẩu giai đoạn 2018 – 2020",
    number=3,
)


def test_text_render_prints_caption_title_and_one_line_per_year():
    assert block_lines(GAPPED) == [
        "Biểu đồ 3. Kim ngạch xuất khẩu giai đoạn 2018 – 2020",
        TITLE,
        "2018: 820",
        "2019: –",
        "2020: 1.409",
    ]


def test_several_series_name_each_value():
    chart = Chart(
        "Xuất nhập khẩu", ("2020",), (ChartSeries("Xuất", (1.5,)), ChartSeries("Nhập", (2,)))
    )
    chart = Chart(chart.title, chart.categories, chart.series, decimals=1)
    assert block_lines(chart) == ["Xuất nhập khẩu", "2020: Xuất 1,5; Nhập 2,0"]


def test_the_preview_draws_bars_with_the_values():
    from tongket.tui.preview import CHART_BAR_WIDTH, block_renderable

    lines = block_renderable(GAPPED).plain.splitlines()
    assert lines[:2] == ["Biểu đồ 3. Kim ngạch xuất khẩu giai đoạn 2018 – 2020", TITLE]
    assert lines[2].startswith("2018 █") and lines[2].endswith(" 820")
    assert lines[3] == "2019  –"
    assert lines[4] == "2020 " + "█" * CHART_BAR_WIDTH + " 1.409"


def test_a_missing_year_is_a_gap_in_the_chart_and_an_empty_cell(rendered_sample):
    rendered = RenderedDocument(rendered_sample.project, [GAPPED], [], [])
    parts = package(build_docx(rendered))
    cache = xml(parts["word/charts/chart1.xml"]).find(".//c:val//c:numCache", NS)
    assert cache.find("c:ptCount", NS).get("val") == "3"
    assert [pt.get("idx") for pt in cache.iterfind("c:pt", NS)] == ["0", "2"]
    sheet = package(parts["word/embeddings/Microsoft_Excel_Sheet1.xlsx"])
    cells = [c.get("r") for c in xml(sheet["xl/worksheets/sheet1.xml"]).iter(f"{{{NS['s']}}}c")]
    assert "B3" not in cells and {"A3", "B2", "B4"} <= set(cells)


def test_charts_and_pictures_get_distinct_relationships_and_drawing_ids(rendered_sample, tmp_path):
    picture = tmp_path / "hinh.png"
    picture.write_bytes(_tiny_png())
    body = [Image(str(picture), width_cm=3), GAPPED, Paragraph.of("Hết.")]
    rendered = RenderedDocument(rendered_sample.project, body, [], [])
    parts = package(build_docx(rendered, images=ImageFolders.for_report(tmp_path / "r.toml")))
    rels = relationships(parts, "word/_rels/document.xml.rels")
    kinds = [kind.rpartition("/")[2] for kind, _target in rels.values()]
    assert kinds.count("image") == 1 and kinds.count("chart") == 1
    ids = [d.get("id") for d in xml(parts["word/document.xml"]).iterfind(".//wp:docPr", NS)]
    assert ids == ["1", "2"]
    opened = docx.Document(
        io.BytesIO(build_docx(rendered, images=ImageFolders.for_report(tmp_path / "r.toml")))
    )
    assert [shape.type for shape in opened.inline_shapes] == [
        WD_INLINE_SHAPE.PICTURE,
        WD_INLINE_SHAPE.CHART,
    ]


def _tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


# -- what a plugin may return --------------------------------------------------------------


@pytest.mark.parametrize(
    ("chart", "message"),
    [
        (Chart("T", ("2020", "2021"), (ChartSeries("A", (1.0,)),)), "một giá trị cho mỗi nhãn (2)"),
        (Chart("T", ("2020",), (ChartSeries("A", ("1.409",)),)), "'1.409' không phải số"),
        (Chart("T", ("2020",), (ChartSeries("A", (float("nan"),)),)), "không phải số"),
        (Chart("T", ("2020",), (ChartSeries("A", (None,)),)), "Chart không có giá trị nào để vẽ"),
        (Chart("T", ("2020",), ()), "cần ít nhất một ChartSeries"),
        (
            Chart("T", (2020,), (ChartSeries("A", (1,)),)),
            "categories của Chart phải là tuple các nhãn chữ",
        ),
        (Chart("T", ("2020",), (ChartSeries("A", (1,)),), placement="end"), "placement 'end'"),
        (Chart("T", ("2020",), (ChartSeries("A", (1,)),), kind="pie"), "kind 'pie'"),
    ],
)
def test_block_problems_name_a_malformed_chart(chart, message):
    [problem] = block_problems([chart])
    assert problem.startswith("khối 1: ") and message in problem


# -- the economic results option -----------------------------------------------------------


def test_an_indicator_without_figures_gets_no_chart_and_a_warning(host, sample_path):
    project = with_chart(store.load(sample_path), "inline")
    index = economic_index(project)
    project.sections[index].data["indicators"].append(
        {"name": "kim ngạch nhập khẩu", "unit": "triệu USD", "decimals": 0, "series": []}
    )
    rendered = render_document(project, host)
    charts = [block for block in rendered.sections[index].blocks if isinstance(block, Chart)]
    assert [chart.title for chart in charts] == ["Kim ngạch xuất khẩu"]
    [warning] = [p for p in rendered.problems if "biểu đồ" in p.message]
    assert warning.severity == "warning"
    assert warning.path == ("sections", index, "data", "indicators", 1, "series")
    assert "kim ngạch nhập khẩu" in warning.message


def test_an_unknown_chart_setting_is_a_validation_error(host, sample_path):
    project = with_chart(store.load(sample_path), "bieu-do")
    rendered = render_document(project, host)
    [error] = rendered.errors
    assert error.path[-1] == "chart" and "inline, appendix" in error.message


def test_export_command_with_a_chart(sample_copy, tmp_path, capsys):
    text = sample_copy.read_text(encoding="utf-8")
    marker = '[sections.data]\nmethod = "cagr"'
    assert text.count(marker) == 1
    sample_copy.write_text(
        text.replace(marker, f'[sections.data]\nchart = "inline"\n{marker[16:]}')
    )
    out = tmp_path / "bao-cao.docx"
    assert main(["export", str(sample_copy), "-o", str(out)]) == 0
    assert "word/charts/chart1.xml" in package(out.read_bytes())
    assert main(["export", str(sample_copy), "--review", "-o", str(out)]) == 0
    reviewed = package(out.read_bytes())  # python-docx's round trip keeps the chart
    assert {"word/charts/chart1.xml", "word/embeddings/Microsoft_Excel_Sheet1.xlsx"} <= set(
        reviewed
    )
    capsys.readouterr()
    console = Path(sys.executable).with_name("tongket")
    result = subprocess.run(
        [str(console), "render", str(sample_copy)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert f"{CAPTION}\n{TITLE}\n2010: 271\n" in result.stdout


# -- as LibreOffice draws it ---------------------------------------------------------------


@pytest.mark.skipif(
    soffice_path() is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) hoặc pdftotext chưa được cài",
)
def test_libreoffice_draws_the_chart_with_vietnamese_numbers(inline_report, tmp_path):
    source = tmp_path / "bieu-do.docx"
    source.write_bytes(build_docx(inline_report))
    target = tmp_path / "bieu-do.pdf"
    try:
        convert_to_pdf(source, target)
    except PdfConversionError as error:  # pragma: no cover - a broken LibreOffice install
        pytest.skip(str(error))
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert TITLE in text and CAPTION in text
    words = set(re.findall(r"[\d.,]+", text))
    assert {"1.409", "1.080", "1.600", "1.400"} <= words  # labels and the value axis
    assert "1,409" not in words and "1,600" not in words
    for year in YEARS:
        assert year in words
