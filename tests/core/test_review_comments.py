"""`tongket export --review`: every `check` finding as a Word comment on what it concerns."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

import docx
import pytest
from lxml import etree

from tongket.core.writers.docx_review import REVIEW_AUTHOR, REVIEW_INITIALS
from tongket.core.writers.pdf import soffice_path

SAMPLE = resources.files("tongket.sample_data") / "quang-ngai-sct-2021.toml"
SCRIPT = Path(sys.executable).with_name("tongket")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

#: The sample's findings (what `tongket check` prints), with the start of the paragraph each
#: comment must stand on.
EXPECTED = {
    "sections.4.data.periods.1.stated_growth": "2.1. Trên lĩnh vực phát triển kinh tế",
    "sections.4.data.periods.2.stated_growth": "2.1. Trên lĩnh vực phát triển kinh tế",
    "sections.2.data": "1. Thực hiện Công văn số 552",
    # the first paragraph citing Nghị quyết 49/NQ-CP (section 7's second)
    "citations.nq49.title": "Theo đó, hàng năm tổ chức",
    "sections.7.data.intro": "2.4. Công tác tập huấn",
    # the quoted 'các Hiệp định' is in the section's second paragraph
    "sections.7.data.template": "Theo đó, hàng năm tổ chức",
}


def tongket(*args: str | os.PathLike[str]) -> subprocess.CompletedProcess:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "tongket.core.cli"]
    return subprocess.run([*command, *map(str, args)], capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("review")
    report = folder / "report.toml"
    report.write_bytes(SAMPLE.read_bytes())
    plain = tongket("export", report, "-o", folder / "plain.docx")
    reviewed = tongket("export", report, "-o", folder / "reviewed.docx", "--review")
    again = tongket("export", report, "-o", folder / "again.docx", "--review")
    check = tongket("check", report)
    return {
        "folder": folder,
        "plain": plain,
        "reviewed": reviewed,
        "again": again,
        "check": check,
    }


def paragraph_text(element) -> str:
    return "".join(node.text or "" for node in element.iter(f"{W}t")).replace("\u00a0", " ")


def anchors(data: bytes) -> dict[str, str]:
    """Comment id → the text of the paragraph holding its range start and its reference."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    found: dict[str, str] = {}
    for paragraph in root.iter(f"{W}p"):
        starts = {node.get(f"{W}id") for node in paragraph.iter(f"{W}commentRangeStart")}
        references = {node.get(f"{W}id") for node in paragraph.iter(f"{W}commentReference")}
        assert starts == references  # range and reference in the same paragraph
        for comment_id in starts:
            assert comment_id not in found
            found[comment_id] = paragraph_text(paragraph)
    return found


def test_review_export_says_how_many_comments(exported):
    result = exported["reviewed"]
    assert result.returncode == 0, result.stderr
    assert "(kèm 6 ghi chú góp ý)" in result.stdout
    assert "Traceback" not in result.stderr
    assert exported["check"].returncode == 1


def test_without_review_the_bytes_do_not_change(exported, tmp_path):
    from tongket.core.host.pluginhost import PluginHost
    from tongket.core.render.document import render_document
    from tongket.core.report import store
    from tongket.core.writers.docx_writer import build_docx
    from tongket.core.writers.images import ImageFolders

    assert exported["plain"].returncode == 0
    assert "ghi chú" not in exported["plain"].stdout
    report = exported["folder"] / "report.toml"
    host = PluginHost.for_report(store.load(str(report)))
    expected = build_docx(
        render_document(store.load(str(report)), host), images=ImageFolders.for_report(report)
    )
    plain = (exported["folder"] / "plain.docx").read_bytes()
    assert plain == expected
    with zipfile.ZipFile(io.BytesIO(plain)) as package:
        assert "word/comments.xml" not in package.namelist()
        assert b"commentRangeStart" not in package.read("word/document.xml")


def test_reviewed_bytes_are_stable(exported):
    assert exported["again"].returncode == 0
    first = (exported["folder"] / "reviewed.docx").read_bytes()
    assert first == (exported["folder"] / "again.docx").read_bytes()


def test_every_check_finding_is_one_comment_anchored_where_it_points(exported):
    data = (exported["folder"] / "reviewed.docx").read_bytes()
    document = docx.Document(io.BytesIO(data))
    comments = list(document.comments)
    check_lines = [line for line in exported["check"].stdout.splitlines() if line.strip()]
    assert len(comments) == len(check_lines) == len(EXPECTED)
    placed = anchors(data)
    by_path: dict[str, str] = {}
    for comment in comments:
        assert comment.author == REVIEW_AUTHOR
        assert comment.initials == REVIEW_INITIALS
        text = comment.text
        assert text.startswith("cảnh báo: ")
        path = text.rsplit(" (", 1)[1].rstrip(")")
        by_path[path] = text
        # the same message `check` prints for that path
        line = next(line for line in check_lines if f": {path}: " in line)
        message = line.split(f": {path}: ", 1)[1]
        assert text == f"{message} ({path})"
        assert placed[str(comment.comment_id)].startswith(EXPECTED[path]), path
    assert set(by_path) == set(EXPECTED)


def test_review_survives_a_libreoffice_round_trip(exported, tmp_path):
    soffice = soffice_path()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) chưa được cài trên máy này")
    source = tmp_path / "reviewed.docx"
    shutil.copy(exported["folder"] / "reviewed.docx", source)
    profile = tmp_path / "profile"
    result = subprocess.run(
        [
            str(soffice),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "odt",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    converted = tmp_path / "reviewed.odt"
    assert converted.exists(), result.stderr
    with zipfile.ZipFile(converted) as package:
        root = etree.fromstring(package.read("content.xml"))
    office = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
    dc = "{http://purl.org/dc/elements/1.1/}"
    annotations = list(root.iter(f"{office}annotation"))
    assert len(annotations) == len(EXPECTED)
    texts = ["".join(node.itertext()) for node in annotations]
    for path in EXPECTED:
        assert any(f"({path})" in text for text in texts), path
    authors = {node.findtext(f"{dc}creator") for node in annotations}
    assert authors == {REVIEW_AUTHOR}


def test_a_finding_without_an_anchor_is_kept_on_the_first_paragraph():
    from tongket.core.host.pluginhost import PluginHost
    from tongket.core.problems import Problem
    from tongket.core.render.document import render_document
    from tongket.core.report import store
    from tongket.core.writers.docx_review import add_review_comments
    from tongket.core.writers.docx_writer import build_docx

    host = PluginHost()
    host.load_builtins()
    rendered = render_document(store.load(str(SAMPLE)), host)
    problems = [
        Problem(("nowhere", 3), "không rõ chỗ"),
        Problem(("sections", 99, "data"), "mục không có", "warning"),
        Problem(("document", "distribution"), "thiếu Lưu", "warning"),
    ]
    data = add_review_comments(build_docx(rendered), rendered, problems)
    texts = {comment.text for comment in docx.Document(io.BytesIO(data)).comments}
    assert texts == {
        "lỗi: không rõ chỗ (nowhere.4)",
        "cảnh báo: mục không có (sections.100.data)",
        "cảnh báo: thiếu Lưu (document.distribution)",
    }
    placed = sorted(anchors(data).values())
    assert any(text.startswith("Nơi nhận:") for text in placed)
    assert data == add_review_comments(build_docx(rendered), rendered, problems)


def test_the_pdf_of_a_review_export_is_the_archival_copy_without_comments(exported):
    if soffice_path() is None:
        pytest.skip("LibreOffice (soffice) chưa được cài trên máy này")
    folder = exported["folder"]
    result = tongket(
        "export", folder / "report.toml", "-o", folder / "with-pdf.docx", "--review", "--pdf"
    )
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(folder / "with-pdf.docx") as package:
        assert "word/comments.xml" in package.namelist()  # the Word file is the review copy
    pdf = (folder / "with-pdf.pdf").read_bytes()
    assert b"/Annots" not in pdf and b"/Subtype /Text" not in pdf  # no comment annotations
    assert b"pdfaid:part" in pdf  # still PDF/A
