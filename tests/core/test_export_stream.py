"""The streamed export: document.xml is compressed while it is generated, never held whole."""

from __future__ import annotations

import copy
import io
import tracemalloc
import zipfile
from importlib import resources

import pytest

from tongket.core.host.pluginhost import PluginHost
from tongket.core.render.blocks import Heading, Paragraph, Table
from tongket.core.render.document import RenderedDocument, render_document
from tongket.core.report import store
from tongket.core.writers.docx_package import write_package
from tongket.core.writers.docx_template import shipped_package
from tongket.core.writers.docx_writer import (
    _BodyWriter,
    build_docx,
    data_table,
    table_parts,
    write_docx,
)
from tongket.core.writers.images import ImageFolders

SAMPLE = resources.files("tongket.sample_data") / "quang-ngai-sct-2021.toml"


@pytest.fixture(scope="module")
def rendered() -> RenderedDocument:
    host = PluginHost()
    host.load_builtins()
    return render_document(store.load(str(SAMPLE)), host)


def document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml")


def with_body(rendered: RenderedDocument, blocks) -> RenderedDocument:
    return RenderedDocument(copy.deepcopy(rendered.project), list(blocks), [], rendered.sections)


def test_streamed_package_is_a_valid_zip_and_deterministic(rendered, tmp_path):
    data = build_docx(rendered)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None  # every entry's CRC matches its data
    target = tmp_path / "streamed.docx"
    with open(target, "wb") as file:
        write_docx(rendered, file)
    assert target.read_bytes() == data == build_docx(copy.deepcopy(rendered))


def test_streamed_document_xml_equals_the_joined_body(rendered):
    # The same document.xml as the whole-string splice: frame, body pieces joined, frame.
    package = shipped_package()
    writer = _BodyWriter(None, ImageFolders.for_report(None))
    writer.header_ids = package.header_ids
    joined = package.head + "".join(writer.body_parts(rendered)).encode() + package.tail
    assert document_xml(build_docx(rendered)) == joined


def test_write_package_streams_an_entry_in_pieces():
    parts = {"b.xml": b"<b/>", "[Content_Types].xml": b"<Types/>"}
    pieces = [b"<a>", b"x" * 100_000, b"</a>"]
    buffer = io.BytesIO()
    write_package(buffer, parts, {"a.xml": iter(pieces)})
    with zipfile.ZipFile(buffer) as package:
        assert [info.filename for info in package.infolist()] == [
            "[Content_Types].xml",
            "a.xml",
            "b.xml",
        ]
        assert package.read("a.xml") == b"".join(pieces)
        info = package.getinfo("a.xml")
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert info.compress_size < info.file_size
    # The same entry written whole gives the same bytes: the stream changes nothing.
    whole = io.BytesIO()
    write_package(whole, {**parts, "a.xml": b"".join(pieces)}, {})
    assert whole.getvalue() == buffer.getvalue()


def test_a_long_table_is_written_row_by_row():
    rows = tuple((str(number), f"dòng {number}", "1.234,5") for number in range(50))
    table = Table(("Số", "Nội dung", "Giá trị"), rows, caption="Bảng 1", note="Ghi chú")
    pieces = list(table_parts(table))
    # caption, opening with the header row, one piece a row, end, note
    assert len(pieces) == 1 + 1 + len(rows) + 1 + 1
    assert pieces[1].startswith("<w:tbl>") and pieces[-2] == "</w:tbl>"
    assert "".join(pieces) == data_table(table)


def test_two_tables_in_a_row_keep_their_gap(rendered):
    table = Table(("A", "B"), (("1", "2"),))
    data = build_docx(with_body(rendered, [table, table]))
    xml = document_xml(data).decode()
    assert xml.count("<w:tbl>") == 2 + 2  # letterhead, signature and the two tables
    assert "</w:tbl><w:tbl>" not in xml


def test_export_memory_does_not_hold_the_body(rendered):
    # document.xml of this body is about 20 MB; the writer must never hold it (or a string of
    # it) whole: its peak allocation stays a fraction of that.
    rows = tuple((str(number), "Xuất khẩu hàng hóa", "1.234", "5.678") for number in range(20_000))
    blocks = [
        Heading("Kết quả", 1, "1."),
        Paragraph.of("Đoạn mở đầu."),
        Table(("Năm", "Chỉ tiêu", "Kế hoạch", "Thực hiện"), rows),
    ]
    body = with_body(rendered, blocks)
    build_docx(body)  # warm the caches (styles, formats) outside the measurement
    tracemalloc.start()
    try:
        data = build_docx(body)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    size = len(document_xml(data))
    assert size > 15_000_000
    assert peak < size / 4
