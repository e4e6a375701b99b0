"""A numbered section with nothing in it: a `check` finding, never a bare "1.3." line."""

from __future__ import annotations

import copy
import io

import docx

from tongket.core.checks import check_project
from tongket.core.render.blocks import Paragraph
from tongket.core.render.document import render_document
from tongket.core.report.model import Section
from tongket.core.writers.docx_writer import build_docx


def _with_empty_section(project, *, heading: str = "") -> tuple:
    changed = copy.deepcopy(project)
    # After "1." (the introduction): an empty free-text point numbered "1.3.".
    changed.sections.insert(
        1, Section(type="free-text", number="1.3.", heading=heading, data={"text": "  \n\n "})
    )
    return changed, 1


def test_an_empty_numbered_section_prints_nothing_and_is_reported(sample_project, host):
    project, index = _with_empty_section(sample_project)
    rendered = render_document(project, host)
    result = rendered.sections[index]
    assert result.blocks == []
    texts = [block.text for r in rendered.sections for block in r.blocks if hasattr(block, "text")]
    assert not any(text.strip() == "1.3." for text in texts)
    findings = [p for p in check_project(rendered) if p.path == ("sections", index)]
    assert [p.severity for p in findings] == ["warning"]
    assert "mục 1.3. chưa có nội dung" in findings[0].message
    body = [p.text for p in docx.Document(io.BytesIO(build_docx(rendered))).paragraphs]
    assert "1.3." not in [text.strip() for text in body]


def test_a_section_with_content_keeps_its_number_and_no_finding(sample_project, host):
    project, index = _with_empty_section(sample_project)
    project.sections[index].data["text"] = "Nội dung đã nhập."
    rendered = render_document(project, host)
    [block] = rendered.sections[index].blocks
    assert isinstance(block, Paragraph) and block.text == "1.3. Nội dung đã nhập."
    assert not [p for p in check_project(rendered) if p.path == ("sections", index)]


def test_a_heading_without_text_is_a_parent_heading_not_a_finding(sample_project, host):
    # "2. Kết quả thực hiện" heads 2.1. … 2.5. after it: a heading alone is legitimate there.
    rendered = render_document(sample_project, host)
    index = next(i for i, s in enumerate(sample_project.sections) if s.number == "2.")
    assert [block.line for block in rendered.sections[index].blocks] == ["2. Kết quả thực hiện"]
    assert not [p for p in check_project(rendered) if p.path == ("sections", index)]
    # So does a Roman part before its Arabic sections, and a heading before unnumbered text.
    for number, following in (("I.", "1."), ("1.3.", "")):
        project, index = _with_empty_section(sample_project, heading="Kết quả thực hiện")
        project.sections[index].number = number
        project.sections[index + 1].number = following
        rendered = render_document(project, host)
        assert not [p for p in check_project(rendered) if p.path == ("sections", index)]


def test_a_heading_with_nothing_under_it_is_reported(sample_project, host):
    # "1.3. Kết quả thực hiện" before "1.": an empty heading on the page, as in an outline's
    # reply nobody has filled in yet. It is printed (the drafter may mean it) and reported.
    project, index = _with_empty_section(sample_project, heading="Kết quả thực hiện")
    rendered = render_document(project, host)
    assert [block.line for block in rendered.sections[index].blocks] == ["1.3. Kết quả thực hiện"]
    [finding] = [p for p in check_project(rendered) if p.path == ("sections", index)]
    assert finding.severity == "warning"
    assert finding.message == (
        "mục 1.3. chỉ có tiêu đề, chưa có nội dung: nhập nội dung hoặc xóa mục (và đánh lại số "
        "các mục sau)"
    )
    # The last section too, with nothing after it.
    project.sections.append(Section(type="free-text", number="3.", heading="Kiến nghị"))
    rendered = render_document(project, host)
    last = len(project.sections) - 1
    assert [p.path for p in check_project(rendered) if p.path == ("sections", last)] == [
        ("sections", last)
    ]
