"""Import reads what Word prints: hidden text left out, symbols, formulas, alternate content,
nested fields, ruby and footnotes kept as text, each change named with its paragraph."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from docx import Document
from lxml import etree
from word_replies import FOOTNOTE_MARK, NS, reply_docx, run_xml, small_reply, with_footnotes

from tongket.core.report.model import Section
from tongket.core.workflow.docx_import import import_docx
from tongket.core.workflow.docx_reading import Grid, Para, read_items, reading_notes
from tongket.core.workflow.outline import load_outline


def _reply(path: Path, runs_xml: str, in_table: bool = False) -> Path:
    return small_reply(path, runs_xml, in_table=in_table)


def _paragraph(path: Path, index: int = 3) -> Para:
    item = read_items(path)[index - 1]
    assert isinstance(item, Para)
    return item


def test_hidden_text_is_left_out_and_named(tmp_path):
    path = _reply(
        tmp_path / "an.docx",
        run_xml("đạt 1.409", "<w:rPr><w:vanish/></w:rPr>")
        + run_xml("đạt 1.490")
        + run_xml(" tỷ", '<w:rPr><w:vanish w:val="false"/></w:rPr>'),
    )
    items = read_items(path)
    assert items[2].text == "Kết quả: đạt 1.490 tỷ"
    assert reading_notes(items) == [
        "đoạn 3: bỏ chữ ẩn (Word không hiển thị, không in): 'đạt 1.409'"
    ]
    result = import_docx(path)
    assert "1.409" not in str(result.project.sections)
    # The import says so: the reading's notes are the import's first notes.
    assert result.notes[0] == "đoạn 3: bỏ chữ ẩn (Word không hiển thị, không in): 'đạt 1.409'"


def test_hidden_text_in_a_table_cell_names_table_row_and_column(tmp_path):
    path = _reply(tmp_path / "o.docx", run_xml("ẨN", "<w:rPr><w:vanish/></w:rPr>"), in_table=True)
    items = read_items(path)
    assert isinstance(items[2], Grid)
    assert items[2].rows[0][1].text == "Kết quả:"
    assert reading_notes(items) == [
        "bảng 1, dòng 1, cột 2: bỏ chữ ẩn (Word không hiển thị, không in): 'ẨN'"
    ]


def test_paragraphs_and_tables_are_counted_apart_in_the_places(tmp_path):
    # A paragraph after a table is "đoạn 3" (the third paragraph), not the fourth item.
    path = _reply(tmp_path / "o.docx", run_xml("x"), in_table=True)
    document = Document(str(path))
    body = document.element.body
    body.insert(
        len(body) - 1,
        etree.fromstring(
            f"<w:p {NS}>{run_xml('Sau bảng: ')}{run_xml('ẨN', '<w:rPr><w:vanish/></w:rPr>')}</w:p>"
        ),
    )
    document.save(str(path))
    items = read_items(path)
    assert [type(item).__name__ for item in items[:4]] == ["Para", "Para", "Grid", "Para"]
    assert reading_notes(items) == ["đoạn 3: bỏ chữ ẩn (Word không hiển thị, không in): 'ẨN'"]


def _field(instruction: str, result: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f"<w:r><w:instrText>{instruction}</w:instrText></w:r>"
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{run_xml(result)}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def test_a_field_nested_in_an_instruction_shows_only_the_outer_result(tmp_path):
    nested = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> IF </w:instrText></w:r>'
        + _field(" DOCPROPERTY X ", "1")
        + '<w:r><w:instrText> = 1 "có" "không" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + run_xml("có")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        + run_xml(" trang ")
        + _field(" PAGE ", "3")
    )
    assert _paragraph(_reply(tmp_path / "f.docx", nested)).text == "Kết quả: có trang 3"


def test_alternate_content_text_is_read(tmp_path):
    paragraph_level = (
        '<mc:AlternateContent><mc:Choice Requires="w14">'
        + run_xml("đạt 99%")
        + "</mc:Choice><mc:Fallback>"
        + run_xml("đạt 99%")
        + "</mc:Fallback></mc:AlternateContent>"
    )
    empty_choice = (
        '<mc:AlternateContent><mc:Choice Requires="w14"/><mc:Fallback>'
        + run_xml(" kế hoạch")
        + "</mc:Fallback></mc:AlternateContent>"
    )
    in_run = (
        '<w:r><mc:AlternateContent><mc:Choice Requires="w14"><w:t xml:space="preserve">'
        " năm</w:t></mc:Choice><mc:Fallback><w:t>x</w:t></mc:Fallback></mc:AlternateContent></w:r>"
    )
    path = _reply(tmp_path / "mc.docx", paragraph_level + empty_choice + in_run)
    assert _paragraph(path).text == "Kết quả: đạt 99% kế hoạch năm"


@pytest.mark.parametrize(
    ("font", "char", "expected"),
    [
        ("Symbol", "F0B3", "≥"),
        ("Symbol", "F061", "α"),
        ("Symbol", "F0B1", "±"),
        ("Symbol", "D7", "⋅"),
        ("Wingdings", "F0FC", "✓"),
        ("Wingdings", "F06C", "●"),
        ("Times New Roman", "2013", "–"),
    ],
)
def test_a_symbol_reads_as_its_unicode_character(tmp_path, font, char, expected):
    path = _reply(tmp_path / "s.docx", f'<w:r><w:sym w:font="{font}" w:char="{char}"/></w:r>')
    assert _paragraph(path).text == f"Kết quả: {expected}"
    assert reading_notes(read_items(path)) == []


def test_an_unknown_symbol_is_named(tmp_path):
    path = _reply(tmp_path / "s.docx", '<w:r><w:sym w:font="Wingdings" w:char="F021"/></w:r>')
    assert _paragraph(path).text == "Kết quả: "
    assert reading_notes(read_items(path)) == [
        "đoạn 3: không đọc được một ký hiệu chèn từ phông 'Wingdings' (mã F021): không có chữ "
        "Unicode tương ứng, đã bỏ; hãy gõ lại ký hiệu đó"
    ]


def test_math_is_read_as_plain_text_and_named(tmp_path):
    inline = "<m:oMath><m:r><m:t>12,5%</m:t></m:r></m:oMath>"
    fraction = (
        "<m:oMathPara><m:oMath><m:f><m:num><m:r><m:t>a+b</m:t></m:r></m:num>"
        "<m:den><m:r><m:t>2</m:t></m:r></m:den></m:f></m:oMath></m:oMathPara>"
    )
    path = _reply(tmp_path / "m.docx", inline + run_xml(" và ") + fraction)
    assert _paragraph(path).text == "Kết quả: 12,5% và (a+b)/2"
    assert reading_notes(read_items(path)) == [
        "đoạn 3: công thức toán được đọc thành chữ thường: '12,5%'; hãy đối chiếu với bản Word",
        "đoạn 3: công thức toán được đọc thành chữ thường: '(a+b)/2'; hãy đối chiếu với bản Word",
    ]


def test_ruby_keeps_its_base_text_only(tmp_path):
    ruby = (
        "<w:r><w:ruby><w:rubyPr/><w:rt>"
        + run_xml("hà nội")
        + "</w:rt><w:rubyBase>"
        + run_xml("Hà Nội")
        + "</w:rubyBase></w:ruby></w:r>"
    )
    assert _paragraph(_reply(tmp_path / "r.docx", ruby)).text == "Kết quả: Hà Nội"


FOOTNOTES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f"<w:footnotes {NS}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
    + run_xml(" Số liệu ước tính,")
    + "</w:p><w:p>"
    + run_xml("chưa kiểm toán.")
    + "</w:p></w:footnote></w:footnotes>"
)


def test_a_footnote_is_read_in_brackets_at_its_mark(tmp_path):
    path = with_footnotes(
        _reply(tmp_path / "fn.docx", run_xml("1.409 triệu USD") + FOOTNOTE_MARK), FOOTNOTES
    )
    items = read_items(path)
    expected = "(chú thích cuối trang: Số liệu ước tính, chưa kiểm toán.)"
    assert items[2].text == f"Kết quả: 1.409 triệu USD {expected}"
    assert reading_notes(items) == [
        "đoạn 3: chú thích cuối trang số 1 được nhập trong ngoặc đơn ở chỗ dấu chú thích: "
        f"'{expected}'"
    ]
    result = import_docx(path)
    assert any("chưa kiểm toán" in str(s.data.get("text")) for s in result.project.sections)


def test_a_footnote_without_its_text_is_named(tmp_path):
    path = _reply(tmp_path / "fn.docx", run_xml("1.409") + FOOTNOTE_MARK)
    assert _paragraph(path).text == "Kết quả: 1.409"
    assert reading_notes(read_items(path)) == [
        "đoạn 3: bỏ chú thích cuối trang số 1: không đọc được (tệp không có nội dung của chú "
        "thích này)"
    ]


# -- figures read into a section type: a refused value names its table, row and column ------

OUTLINE = Path(str(resources.files("tongket.sample_data") / "de-cuong-mau.toml"))


def _figures_reply(path: Path, host, number: str, heading: str, table: dict) -> Path:
    """A reply to the sample outline whose section `number` holds `table`."""
    section = Section("free-text", number, heading, {"text": "Kết quả như sau.", "tables": [table]})
    return reply_docx(path, host, section)


def _refused(path: Path, host) -> str:
    result = import_docx(path, outline=load_outline(OUTLINE), host=host)
    [note] = [note for note in result.notes if "số liệu đọc được chưa hợp lệ" in note]
    return note


def test_a_refused_figure_names_table_row_and_year_column(tmp_path, host):
    table = {
        "header": ["TT", "Chỉ tiêu", "ĐVT", "2019", "2020"],
        "rows": [
            ["1", "Kim ngạch nhập khẩu", "triệu USD", "500", "600"],
            ["2", "Kim ngạch xuất khẩu", "triệu USD", "0", "1.409"],
        ],
    }
    path = _figures_reply(tmp_path / "kt.docx", host, "2.1.", "Kết quả kinh tế đối ngoại", table)
    assert (
        "(số liệu đọc được chưa hợp lệ (bảng 1, dòng 3, cột '2019': giá trị năm 2019 phải lớn "
        "hơn 0 để tính tốc độ tăng, gặp 0))"
    ) in _refused(path, host)


def test_a_missing_required_value_names_table_row_and_column(tmp_path, host):
    table = {
        "header": ["TT", "Năm", "Hình thức", "Đối tác", "Nội dung làm việc"],
        "rows": [
            ["1", "2011", "Đón đoàn đến", "Sở Công Thương Champasak", "Thăm"],
            ["2", "", "Cử đoàn đi", "Sở Công Thương Champasak", "Làm việc"],
        ],
    }
    heading = "Hợp tác với các địa phương, tổ chức nước ngoài"
    path = _figures_reply(tmp_path / "dt.docx", host, "2.2.", heading, table)
    assert (
        "(số liệu đọc được chưa hợp lệ (bảng 1, dòng 3, cột 'Năm': bắt buộc: cần một số nguyên))"
    ) in _refused(path, host)
