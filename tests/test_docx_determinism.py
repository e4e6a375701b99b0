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

from tongket.core import store
from tongket.core.blocks import Paragraph, Run, Table
from tongket.core.document import RenderedDocument, render_document
from tongket.core.docx_package import ENTRY_MODE, FIXED_ZIP_TIME
from tongket.core.docx_writer import build_docx, export_docx
from tongket.core.pluginhost import PluginHost
from tongket.core.sanitize import clean_text, illegal_characters

SAMPLE = resources.files("tongket.sample_data") / "quang-ngai-sct-2021.toml"


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


# -- sanitiser -----------------------------------------------------------------------------


def test_clean_text_drops_xml_illegal_characters():
    dirty = "a\x00b\x07c\x0bd\x1fe\ufffef\uffffg\ud800h\udfffi"
    assert clean_text(dirty) == "abcdefghi"
    assert clean_text("cột\tmột\ndòng hai") == "cột\tmột\ndòng hai"
    assert clean_text("dòng một\r\ndòng hai\rba") == "dòng một\ndòng hai\nba"
    assert clean_text("") == ""


def test_clean_text_normalises_decomposed_vietnamese():
    decomposed = unicodedata.normalize("NFD", "Quảng Ngãi, Việt Nam")
    assert decomposed != "Quảng Ngãi, Việt Nam"
    assert clean_text(decomposed) == "Quảng Ngãi, Việt Nam"


def test_illegal_characters_reports_positions_and_code_points():
    assert illegal_characters("ab\x01c\ufffe") == [(2, "U+0001"), (4, "U+FFFE")]
    assert illegal_characters("Việt Nam\tđẹp\n") == []


def test_dirty_text_everywhere_still_opens_and_reads_clean(rendered):
    dirty = "Sở\x0c Công\x01 Thương\ufffe " + unicodedata.normalize("NFD", "Quảng Ngãi")
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


TRICKY = "\x00\x07\x0b\x1f\ufffe\uffff\ud800\udfff\r\t\n\u0300\u0323 đ"


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
