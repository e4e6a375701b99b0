"""A .docx whose XML is broken: the message names the part, libxml2's line and column, and why,
in Vietnamese (never libxml2's English); extra parts (footnotes) load through the same guards."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tongket.core.workflow.docx_import import DocxImportError, import_docx

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SCRIPT = Path(sys.executable).with_name("tongket")
#: A document.xml as a person writes one: one element a line, so line 4 is the paragraph.
HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<w:document {W}>\n<w:body>\n'
TAIL = "</w:body>\n</w:document>"


def docx(path: Path, parts: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return path


def refusal(path: Path) -> str:
    with pytest.raises(DocxImportError) as caught:
        import_docx(path)
    return str(caught.value)


def broken(tmp_path: Path, document_xml: str | bytes) -> Path:
    return docx(tmp_path / "tra-loi.docx", {"word/document.xml": document_xml})


def test_a_truncated_part_is_named_cut_short_at_libxml_line_and_column(tmp_path):
    # Cut in the middle of a paragraph's text; libxml2 counts columns in characters.
    source = broken(tmp_path, HEAD + "<w:p><w:r><w:t>Xin chào Sở Công Th")
    assert refusal(source) == (
        f"{source}: phần word/document.xml không phải XML hợp lệ (dòng 4: tệp bị cắt cụt, ở cột 35)"
    )


@pytest.mark.parametrize("fraction", [0.3, 0.5, 0.9])
def test_a_word_document_cut_anywhere_is_named_cut_short(tmp_path, fraction):
    from docx import Document

    whole = tmp_path / "whole.docx"
    document = Document()
    for number in range(1, 30):
        document.add_paragraph(f"{number}. Mục số {number}: Sở Công Thương & các đơn vị")
    document.save(str(whole))
    with zipfile.ZipFile(whole) as archive:
        data = archive.read("word/document.xml")
    source = broken(tmp_path, data[: int(len(data) * fraction)])
    message = refusal(source)
    assert message.startswith(f"{source}: phần word/document.xml không phải XML hợp lệ (dòng 2: ")
    assert "tệp bị cắt cụt, ở cột " in message


def test_mismatched_tags(tmp_path):
    source = broken(tmp_path, HEAD + "<w:p><w:r><w:t>Mục một</w:t></w:r></w:body>\n</w:document>")
    assert refusal(source) == (
        f"{source}: phần word/document.xml không phải XML hợp lệ (dòng 4: thẻ mở và thẻ đóng "
        "không khớp, ở cột 44)"
    )


@pytest.mark.parametrize("character", ["\x01", "&#1;", "\x00"])
def test_an_invalid_character(tmp_path, character):
    source = broken(tmp_path, HEAD + f"<w:p><w:r><w:t>Mục {character}</w:t></w:r></w:p>" + TAIL)
    message = refusal(source)
    assert message.startswith(
        f"{source}: phần word/document.xml không phải XML hợp lệ (dòng 4: ký tự không hợp lệ, "
        "ở cột "
    )
    assert "\n" not in message and "Char" not in message


def test_a_bare_ampersand_is_not_taken_for_a_cut(tmp_path):
    # libxml2's incremental parser waits for the ";" of "&…;" to the end of the data: the
    # markup after the "&" shows that the part goes on.
    source = broken(tmp_path, HEAD + "<w:p><w:r><w:t>A & B</w:t></w:r></w:p>" + TAIL)
    assert refusal(source) == (
        f"{source}: phần word/document.xml không phải XML hợp lệ (dòng 4: sai cú pháp XML, "
        "ở cột 19)"
    )


def test_an_empty_part(tmp_path):
    source = broken(tmp_path, "")
    assert refusal(source) == (
        f"{source}: phần word/document.xml không phải XML hợp lệ (dòng 1: phần trống, không "
        "có thẻ XML nào, ở cột 1)"
    )


def test_the_message_names_the_broken_part(tmp_path):
    good = HEAD + "<w:p><w:r><w:t>1. Mục một</w:t></w:r></w:p>" + TAIL
    source = docx(
        tmp_path / "kieu.docx",
        {"word/document.xml": good, "word/styles.xml": f"<w:styles {W}>\n<w:style>"},
    )
    assert refusal(source) == (
        f"{source}: phần word/styles.xml không phải XML hợp lệ (dòng 2: tệp bị cắt cụt, ở cột 10)"
    )


def test_a_text_longer_than_libxml_allows_is_named_in_vietnamese(tmp_path):
    # libxml2 2.12 and later word this limit "Resource limit exceeded: Text node too long".
    source = broken(tmp_path, HEAD + "<w:p><w:r><w:t>" + "x" * (11 * 1024 * 1024))
    message = refusal(source)
    assert "(dòng 4: một đoạn chữ dài quá 10 MB, ở cột " in message
    assert "Text node" not in message


def test_tongket_import_refuses_with_the_vietnamese_message_and_no_traceback(tmp_path):
    source = broken(tmp_path, HEAD + "<w:p><w:r><w:t>Mục một</w:t></w:r></w:body>\n</w:document>")
    target = tmp_path / "tra-loi.toml"
    done = subprocess.run(
        [str(SCRIPT), "import", str(source), "-o", str(target)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr == (
        f"tongket: {source}: phần word/document.xml không phải XML hợp lệ (dòng 4: thẻ mở và "
        "thẻ đóng không khớp, ở cột 44)\n"
    )
    assert not target.exists()


# -- an extra part (footnotes, endnotes), loaded by its relationship ---------------------------

RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships '
    'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/footnotes" Target="notes.xml"/></Relationships>'
)
NOTE_MARK = '<w:r><w:t>1.409 triệu USD</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>'
BODY = HEAD + "<w:p><w:r><w:t>1. Mục một</w:t></w:r></w:p>\n<w:p>" + NOTE_MARK + "</w:p>\n" + TAIL
FOOTNOTES = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<w:footnotes {W}>\n'
    '<w:footnote w:id="1"><w:p><w:r><w:t>Số liệu ước tính.</w:t></w:r></w:p></w:footnote>\n'
    "</w:footnotes>"
)


def with_notes(tmp_path: Path, notes: str | bytes, **more: str | bytes) -> Path:
    parts = {"word/document.xml": BODY, "word/_rels/document.xml.rels": RELS}
    return docx(tmp_path / "chu-thich.docx", {**parts, "word/notes.xml": notes, **more})


def test_an_extra_part_is_found_by_its_relationship(tmp_path):
    from tongket.core.workflow.docx_package import read_related_part

    source = with_notes(tmp_path, FOOTNOTES)
    footnotes = read_related_part(source, "word/document.xml", "footnotes")
    assert footnotes.tag.endswith("}footnotes")
    assert "".join(footnotes.itertext()).strip() == "Số liệu ước tính."
    assert read_related_part(source, "word/document.xml", "endnotes") is None


def test_an_extra_part_keeps_the_main_parts_guards(tmp_path, monkeypatch):
    from tongket.core.workflow import docx_package
    from tongket.core.workflow.docx_package import DocxReadError, read_related_part

    entity = f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><w:footnotes {W}/>'
    with pytest.raises(DocxReadError, match=r"phần word/notes.xml có khai báo DOCTYPE"):
        read_related_part(with_notes(tmp_path, entity), "word/document.xml", "footnotes")
    huge = "x" * (docx_package.MAX_SMALL_PART_BYTES + 1)
    with pytest.raises(DocxReadError, match=r"phần word/notes.xml quá lớn \(16 MB khi giải nén"):
        read_related_part(with_notes(tmp_path, huge), "word/document.xml", "footnotes")
    # The zip's entries are counted before its directory is read, as for the main part.
    monkeypatch.setattr(docx_package, "MAX_ENTRIES", 2)
    with pytest.raises(DocxReadError, match=r"gói zip có 3 phần \(tối đa 2\)"):
        read_related_part(with_notes(tmp_path, FOOTNOTES), "word/document.xml", "footnotes")


def test_a_broken_footnotes_part_is_named_in_the_reading_notes(tmp_path):
    source = with_notes(tmp_path, FOOTNOTES[:60])
    result = import_docx(source)
    why = f"{source}: phần word/notes.xml không phải XML hợp lệ (dòng 2: tệp bị cắt cụt, ở cột 22)"
    assert f"bỏ chú thích cuối trang số 1: không đọc được ({why})" in "\n".join(result.notes)
