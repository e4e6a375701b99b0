"""The streamed export: document.xml is compressed while it is generated, never held whole."""

from __future__ import annotations

import copy
import io
import random
import sys
import threading
import tracemalloc
import zipfile
from importlib import resources

import pytest

from tongket.core.host.pluginhost import PluginHost
from tongket.core.render.blocks import Heading, Paragraph, Table
from tongket.core.render.document import RenderedDocument, render_document
from tongket.core.report import store
from tongket.core.writers import docx_package
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


class FullDisk(io.BytesIO):
    """A target that refuses writes once it holds `room` bytes, as a full disk does."""

    def __init__(self, room: int) -> None:
        super().__init__()
        self.room = room

    def write(self, data) -> int:
        if self.tell() + len(data) > self.room:
            raise OSError(28, "No space left on device")
        return super().write(data)


def _threads_named(name: str) -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == name]


def test_the_compressing_thread_stops_and_its_error_is_raised():
    """A write failing in the compressing thread ends the stream with that error: the
    producer stops early (no deadlock on the waiting pieces) and no thread is left."""
    produced: list[int] = []
    noise = random.Random(11).randbytes(100_000)  # 100 kB that do not compress

    def pieces():
        for index in range(1_000):
            produced.append(index)
            yield noise

    with pytest.raises(OSError, match="No space"):
        write_package(FullDisk(2_000_000), {}, {"a.xml": pieces()})
    assert len(produced) < 1_000
    assert not _threads_named("tongket-deflate")


def test_an_error_while_producing_stops_the_compressing_thread():
    def pieces():
        yield b"<a>"
        raise ValueError("hỏng giữa chừng")

    with pytest.raises(ValueError, match="hỏng giữa chừng"):
        write_package(io.BytesIO(), {}, {"a.xml": pieces()})
    assert not _threads_named("tongket-deflate")


def test_the_switch_interval_is_short_only_while_streaming():
    before = sys.getswitchinterval()
    seen: list[float] = []

    def pieces():
        seen.append(sys.getswitchinterval())
        yield b"<a/>"
        raise ValueError("dừng")

    with pytest.raises(ValueError):
        write_package(io.BytesIO(), {}, {"a.xml": pieces()})
    assert seen == [pytest.approx(docx_package._SWITCH_INTERVAL)] and seen[0] < before
    assert sys.getswitchinterval() == before


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
