"""The bundled sample reproduces the real dispatch, paragraph by paragraph.

The reference text was extracted from a PDF: paragraphs are separated by blank lines, and a
page break inside a paragraph shows up as a blank line followed by a lower-case word. The header
spells the subject out as "Về việc …"; NĐ30 prints "V/v …", which is what tongket writes.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tongket.core.writers.textrender import render_text

# shared/ sits beside the checkout, in CI as on a developer's machine.
REFERENCE = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "reference"
    / "cong-van-tong-ket-10-nam-ct04.txt"
)


def reference_paragraphs() -> list[str]:
    if not REFERENCE.exists():
        pytest.skip(f"reference text not found at {REFERENCE}")
    chunks = [" ".join(chunk.split()) for chunk in re.split(r"\n\s*\n", REFERENCE.read_text())]
    paragraphs: list[str] = []
    for chunk in filter(None, chunks):
        if paragraphs and chunk[0].islower():
            paragraphs[-1] += " " + chunk  # a page break split this paragraph
        else:
            paragraphs.append(chunk)
    return paragraphs


def reference_parts() -> dict[str, object]:
    paragraphs = reference_paragraphs()
    start = next(i for i, text in enumerate(paragraphs) if text.startswith("Kính gửi:"))
    end = next(i for i, text in enumerate(paragraphs) if text.endswith("kính báo cáo./."))
    return {
        "number": paragraphs[0],
        "date": paragraphs[1],
        "subject": paragraphs[2],
        "body": paragraphs[start : end + 1],
        "title": paragraphs[end + 1],
        "distribution_label": paragraphs[end + 2],
        "distribution": paragraphs[end + 3],
        "name": paragraphs[end + 4],
    }


def test_reference_is_read_as_expected():
    parts = reference_parts()
    assert parts["number"] == "Số: /SCT-VP"
    assert parts["subject"].startswith("Về việc báo cáo tổng kết 10 năm")
    assert len(parts["body"]) == 11  # Kính gửi, intro, 1., 2., 2.1–2.5 (2.4 has two), closing
    assert parts["name"] == "Võ Văn Rân"


def docx_paragraph_texts(data: bytes) -> tuple[list[str], list[str]]:
    """(top-level body paragraphs, paragraphs inside tables) of a DOCX, in document order."""
    import docx

    document = docx.Document(io.BytesIO(data))
    body = [" ".join(paragraph.text.split()) for paragraph in document.paragraphs]
    in_tables = [
        " ".join(paragraph.text.split())
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
    ]
    return [text for text in body if text], [text for text in in_tables if text]


def test_rendered_text_matches_reference(sample_rendered):
    parts = reference_parts()
    text = render_text(sample_rendered)
    paragraphs = [" ".join(chunk.split()) for chunk in text.split("\n\n")]
    start = paragraphs.index(parts["body"][0])
    assert paragraphs[start : start + len(parts["body"])] == parts["body"]


def test_exported_docx_matches_reference(sample_rendered):
    from tongket.core.writers import docx_writer as writer

    parts = reference_parts()
    body, in_tables = docx_paragraph_texts(writer.build_docx(sample_rendered))
    start = body.index(parts["body"][0])
    assert body[start : start + len(parts["body"])] == parts["body"]
    assert parts["number"] in in_tables
    assert parts["date"] in in_tables
    assert "V/v " + parts["subject"].removeprefix("Về việc ") in in_tables
    assert parts["title"] in in_tables
    assert parts["name"] in in_tables
    assert parts["distribution_label"] in in_tables
    items = [text for text in in_tables if text.startswith("- ")]
    assert " ".join(items) == parts["distribution"]
