"""Same input, same bytes; and every string is sanitised on its way into the file."""

from __future__ import annotations

import copy
import datetime as dt
import io
import unicodedata
import zipfile
from importlib import resources

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tongket.core.host.pluginhost import PluginHost
from tongket.core.render.blocks import Paragraph, Run, Table
from tongket.core.render.document import RenderedDocument, render_document
from tongket.core.report import store
from tongket.core.writers.docx_package import ENTRY_MODE, FIXED_ZIP_TIME
from tongket.core.writers.docx_writer import build_docx, export_docx
from tongket.core.writers.docx_xml import ParagraphFormat, cell, paragraph, run, text_cell_frame
from tongket.core.writers.sanitize import clean_text, illegal_characters

SAMPLE = resources.files("tongket.sample_data") / "quang-ngai-sct-2021.toml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def rendered() -> RenderedDocument:
    host = PluginHost()
    host.load_builtins()
    return render_document(store.load(str(SAMPLE)), host)


@pytest.fixture(scope="module")
def sample_bytes(rendered) -> bytes:
    return build_docx(rendered)


def with_body(rendered: RenderedDocument, blocks, **particulars) -> RenderedDocument:
    project = copy.deepcopy(rendered.project)
    for name, value in particulars.items():
        setattr(project.document, name, value)
    return RenderedDocument(project, list(blocks), [], rendered.sections)


def entries(data: bytes) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.infolist()


# -- determinism ---------------------------------------------------------------------------


def test_two_builds_are_byte_identical(rendered, sample_bytes):
    assert build_docx(rendered) == sample_bytes
    assert build_docx(copy.deepcopy(rendered)) == sample_bytes


def test_two_exports_are_byte_identical(rendered, tmp_path):
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    export_docx(rendered, first)
    export_docx(rendered, second)
    assert first.read_bytes() == second.read_bytes()
    assert zipfile.is_zipfile(first)


def test_different_input_gives_different_bytes(rendered, sample_bytes):
    changed = with_body(rendered, [*rendered.body, Paragraph.of("Thêm một đoạn.")])
    assert build_docx(changed) != sample_bytes


def test_zip_entries_have_fixed_times_order_and_compression(sample_bytes):
    infos = entries(sample_bytes)
    names = [info.filename for info in infos]
    assert names[:2] == ["[Content_Types].xml", "_rels/.rels"]
    assert names[2:] == sorted(names[2:])
    assert {info.date_time for info in infos} == {FIXED_ZIP_TIME}
    assert {info.compress_type for info in infos} == {zipfile.ZIP_DEFLATED}
    assert {(info.create_system, info.external_attr) for info in infos} == {(3, ENTRY_MODE << 16)}


def test_template_leftovers_are_gone(sample_bytes):
    names = {info.filename for info in entries(sample_bytes)}
    assert not {name for name in names if "thumbnail" in name or name.startswith("customXml")}
    assert "word/stylesWithEffects.xml" not in names
    with zipfile.ZipFile(io.BytesIO(sample_bytes)) as package:
        for name in names:
            blob = package.read(name)
            assert b"rsid" not in blob, name
            assert b"python-docx" not in blob, name


def test_core_properties_are_fixed(rendered, sample_bytes):
    properties = docx.Document(io.BytesIO(sample_bytes)).core_properties
    day = rendered.project.document.date
    midnight = dt.datetime(day.year, day.month, day.day)
    assert properties.created.replace(tzinfo=None) == midnight
    assert properties.modified.replace(tzinfo=None) == midnight
    assert properties.revision == 1
    assert properties.last_modified_by == ""
    assert properties.author == rendered.project.document.agency
    undated = with_body(rendered, rendered.body, date=None)
    created = docx.Document(io.BytesIO(build_docx(undated))).core_properties.created
    assert created.replace(tzinfo=None) == dt.datetime(2000, 1, 1)


# -- document.xml: the body spliced in as bytes ----------------------------------------------


def document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml")


def test_document_xml_is_one_well_formed_part_ending_with_the_section(sample_bytes):
    xml = document_xml(sample_bytes)
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n<w:document ")
    root = etree.fromstring(xml)
    (body,) = root.findall(f"{W}body")
    assert body[0].tag == f"{W}tbl"  # the letterhead
    assert body[-1].tag == f"{W}sectPr"
    assert len(root.findall(f".//{W}body")) == 1


def test_a_long_table_reads_back_whole(rendered):
    rows = tuple((f"{index}", f"Dòng {index} & <ô>", "") for index in range(3000))
    data = build_docx(with_body(rendered, [Table(("Số", "Nội dung", "Ghi chú"), rows)]))
    body = etree.fromstring(document_xml(data)).find(f"{W}body")
    written = body.findall(f"{W}tbl")[1]
    texts = [["".join(c.itertext()) for c in tr.findall(f"{W}tc")] for tr in written.iter(f"{W}tr")]
    assert texts[0] == ["Số", "Nội dung", "Ghi chú"]
    assert texts[1:] == [list(values) for values in rows]
    assert build_docx(with_body(rendered, [Table(("Số", "Nội dung", "Ghi chú"), rows)])) == data


def test_a_cell_frame_wraps_runs_like_a_cell_paragraph():
    fmt = ParagraphFormat(style="TKTableText", align="right")
    opening, closing = text_cell_frame(1870, fmt)
    runs = run("1.409")
    assert opening + runs + closing == cell(1870, paragraph(fmt, runs))


# -- sanitiser -----------------------------------------------------------------------------


def test_clean_text_drops_xml_illegal_characters():
    dirty = "a\x00b\x07c\x0ed\x1fe\ufffef\uffffg\ud800h\udfffi"
    assert clean_text(dirty) == "abcdefghi"
    assert clean_text("cột\tmột\ndòng hai") == "cột\tmột\ndòng hai"
    assert clean_text("") == ""
    assert clean_text("Table 1, 2.5%") == "Table 1, 2.5%"


def test_clean_text_turns_line_separators_into_newlines():
    # Word copies Shift+Enter as U+000B; old documents carry U+000C between pages.
    assert clean_text("SỞ CÔNG\vTHƯƠNG") == "SỞ CÔNG\nTHƯƠNG"
    assert clean_text("trang một\x0ctrang hai") == "trang một\ntrang hai"
    assert clean_text("dòng một\r\ndòng hai\rba") == "dòng một\ndòng hai\nba"
    assert clean_text("a\r\x0b\x0cb") == "a\n\n\nb"


def test_clean_text_normalises_decomposed_vietnamese():
    decomposed = unicodedata.normalize("NFD", "Quảng Ngãi, Việt Nam")
    assert decomposed != "Quảng Ngãi, Việt Nam"
    assert clean_text(decomposed) == "Quảng Ngãi, Việt Nam"


def test_illegal_characters_reports_positions_and_code_points():
    assert illegal_characters("ab\x01c\ufffe") == [(2, "U+0001"), (4, "U+FFFE")]
    assert illegal_characters("Việt Nam\tđẹp\n") == []


def test_converted_line_separators_are_not_reported_as_illegal():
    assert illegal_characters("SỞ CÔNG\vTHƯƠNG\x0cx\r\n") == []
    assert illegal_characters("a\vb\x0bc\x08") == [(5, "U+0008")]


def test_dirty_text_everywhere_still_opens_and_reads_clean(rendered):
    dirty = "Sở\x0e Công\x01 Thương\ufffe " + unicodedata.normalize("NFD", "Quảng Ngãi")
    blocks = [
        Paragraph((Run(dirty), Run("\x08 đậm", bold=True))),
        Table(("Cột\x00",), (("ô\uffff",),), caption="Bảng\x1b"),
    ]
    document = docx.Document(
        io.BytesIO(build_docx(with_body(rendered, blocks, agency="SỞ\x07 CÔNG THƯƠNG")))
    )
    texts = [p.text for p in document.paragraphs]
    assert "Sở Công Thương Quảng Ngãi đậm" in texts
    assert "Bảng" in texts
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Cột" in cells
    assert "ô" in cells
    assert "SỞ CÔNG THƯƠNG" in document.tables[0].rows[0].cells[0].text
    assert document.core_properties.author == "SỞ CÔNG THƯƠNG"


def test_line_separators_become_word_line_breaks(rendered):
    blocks = [
        Paragraph.of("dòng một\vdòng hai\x0cdòng ba"),
        Table(("Chỉ\vtiêu",), (("ô\vhai",),)),
    ]
    data = build_docx(with_body(rendered, blocks, agency="SỞ CÔNG\vTHƯƠNG"))
    document = docx.Document(io.BytesIO(data))
    assert "dòng một\ndòng hai\ndòng ba" in [p.text for p in document.paragraphs]
    assert document.tables[0].rows[0].cells[0].paragraphs[1].text == "SỞ CÔNG\nTHƯƠNG"
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Chỉ\ntiêu" in cells
    assert "ô\nhai" in cells
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("word/document.xml").decode()
    assert 'SỞ CÔNG</w:t><w:br/><w:t xml:space="preserve">THƯƠNG' in xml
    assert "CÔNGTHƯƠNG" not in xml


TRICKY = "\x00\x07\x0b\x0c\x1f\ufffe\uffff\ud800\udfff\r\t\n\u0300\u0323 đ"


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(
        alphabet=st.one_of(st.characters(exclude_categories=()), st.sampled_from(TRICKY)),
        max_size=40,
    )
)
def test_any_text_survives_the_round_trip(rendered, text):
    document = docx.Document(io.BytesIO(build_docx(with_body(rendered, [Paragraph.of(text)]))))
    expected = clean_text(text)
    assert expected in [p.text for p in document.paragraphs]
