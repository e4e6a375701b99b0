"""A body's reply to the sample outline (de-cuong-mau.toml), exported to Word, for the tests of
reading Word replies. Import it as `from word_replies import reply_docx` (this folder is on
`sys.path`: pytest's rootdir conftest)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tongket.core.render.document import render_document
from tongket.core.report.model import Project, Section
from tongket.core.writers.docx_writer import export_docx
from tongket.testing import example_particulars


def reply_docx(path: Path, host, section: Section, agency: str = "SỞ CÔNG THƯƠNG") -> Path:
    """Write to `path` a Word reply of `agency` with section 1 and `section` (its figures,
    still free text, for the import to read), and return `path`."""
    project = Project(
        document=dataclasses.replace(
            example_particulars(),
            agency=agency,
            number="15",
            subject="báo cáo tổng kết 10 năm thực hiện Chỉ thị 04-CT/TW",
            recipients=["Sở Ngoại vụ Quảng Ngãi"],
            closing="Sở Công Thương kính báo cáo./.",
        ),
        sections=[
            Section(
                "free-text",
                "1.",
                "Công tác quán triệt, triển khai thực hiện Chỉ thị 04-CT/TW",
                {"text": "Sở đã quán triệt Chỉ thị."},
            ),
            section,
        ],
    )
    rendered = render_document(project, host)
    assert not rendered.errors, rendered.errors
    export_docx(rendered, path)
    return path


#: The footnote mark Word writes in the body for footnote 1.
FOOTNOTE_MARK = '<w:r><w:footnoteReference w:id="1"/></w:r>'


def with_footnotes(path: Path, footnotes_xml: str, *, mark_after: str = "") -> Path:
    """Rewrite the .docx at `path` with a footnotes part (`footnotes_xml`), tied in as Word
    ties it (content type and relationship); with `mark_after`, footnote 1's mark is put
    right after the run whose text ends the body's first `mark_after`."""
    import re
    import zipfile

    source = path.with_suffix(".src.docx")
    path.rename(source)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/word/notes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/footnotes" Target="notes.xml"/>'
                    b"</Relationships>",
                )
            elif info.filename == "word/document.xml" and mark_after:
                found = re.search(rf">{re.escape(mark_after)}</w:t></w:r>".encode(), data)
                assert found, mark_after
                data = data[: found.end()] + FOOTNOTE_MARK.encode() + data[found.end() :]
            new.writestr(info, data)
        new.writestr("word/notes.xml", footnotes_xml)
    return path


#: The namespaces a body's hand-written Word XML needs (main, math, markup compatibility).
NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
)


def run_xml(text: str, properties: str = "") -> str:
    """One run (w:r) of `text`, with run properties (`<w:rPr>…</w:rPr>`) when given."""
    return f'<w:r>{properties}<w:t xml:space="preserve">{text}</w:t></w:r>'


def small_reply(
    path: Path,
    runs_xml: str,
    *,
    in_table: bool = False,
    paragraph_style: str = "",
    styles_xml: str = "",
    hidden_defaults: bool = False,
) -> Path:
    """A small reply whose paragraph 3 (or, `in_table`, the cell of table 1, row 1, column 2,
    after two paragraphs) holds `runs_xml` after "Kết quả: ", in `paragraph_style`. The styles
    part gets `styles_xml` (w:style elements) and, with `hidden_defaults`, w:vanish in its
    document defaults with Normal showing text again."""
    from docx import Document
    from lxml import etree

    main = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = Document()
    document.add_paragraph("1. Công tác quán triệt, triển khai thực hiện Chỉ thị 04-CT/TW")
    document.add_paragraph("Đã quán triệt đầy đủ.")
    styles = document.styles.element
    if styles_xml:
        for style in etree.fromstring(f"<w:styles {NS}>{styles_xml}</w:styles>"):
            styles.append(style)
    if hidden_defaults:
        defaults = styles.find(f"{{{main}}}docDefaults/{{{main}}}rPrDefault/{{{main}}}rPr")
        defaults.append(etree.fromstring(f"<w:vanish {NS}/>"))
        normal = styles.find(f"{{{main}}}style[@{{{main}}}styleId='Normal']")
        normal.append(etree.fromstring(f'<w:rPr {NS}><w:vanish w:val="0"/></w:rPr>'))
    properties = f'<w:pPr><w:pStyle w:val="{paragraph_style}"/></w:pPr>' if paragraph_style else ""
    paragraph = etree.fromstring(f"<w:p {NS}>{properties}{run_xml('Kết quả: ')}{runs_xml}</w:p>")
    if in_table:
        table = document.add_table(rows=1, cols=2)
        table.rows[0].cells[0].text = "Chỉ tiêu"
        cell = table.rows[0].cells[1]._tc
        cell.remove(cell.find("{*}p"))
        cell.append(paragraph)
    else:
        document.element.body.insert(2, paragraph)
    document.save(path)
    return path
