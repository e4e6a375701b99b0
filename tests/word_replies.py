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
