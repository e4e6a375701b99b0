"""`writers.docx_diff`: NEW's Word file with every change from OLD as a tracked change.

The claim under test: accepting all changes gives NEW's export, rejecting all gives OLD's.
`view` applies Word's semantics to document.xml (drop w:del or w:ins content, unwrap the other,
join a paragraph whose mark goes away with the next one, drop rows marked in w:trPr, restore
w:pPrChange/w:rPrChange when rejecting); each view is compared with the exports paragraph by
paragraph, text and w:pPr. LibreOffice does the same through its UNO bridge when installed.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tongket.core.render.blocks import Image, Paragraph, Run
from tongket.core.render.document import RenderedDocument, render_document
from tongket.core.report import store
from tongket.core.writers.docx_diff import revision_count, tracked_changes
from tongket.core.writers.docx_diff_runs import TOKEN
from tongket.core.writers.docx_writer import build_docx
from tongket.core.writers.images import ImageFolders

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
WHEN = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC)
AUTHOR = "Nguyễn Thị Hoa"

CONFERENCE_2019 = """[[sections.data.conferences]]
year = 2019
title = "Hội nghị quốc tế về kết nối tiêu thụ dưa hấu và một số mặt hàng nông sản"
partners = ["Doanh nghiệp các tỉnh biên giới phía Bắc", "Doanh nghiệp Trung Quốc"]
"""
DELEGATION_2016 = """[[sections.data.delegations]]
year = 2016
direction = "den"
partner = "Sở Công Thương tỉnh Salavan"
place = "Salavan, Lào"
purpose = "Thăm và làm việc"

"""
ADDED = "Sở đã ban hành kế hoạch triển khai hằng năm và kiểm tra việc thực hiện."


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def old_report(sample: str) -> str:
    """The sample with the partnerships' table printed (so rows can change)."""
    return re.sub(
        r'table = "none"  # the reference prints no table[^\n]*', 'table = "inline"', sample
    )


def new_report(old: str) -> str:
    """OLD with a figure, particulars, paragraphs and table rows changed (see the tests)."""
    text = _replace(old, 'number = ""', 'number = "15"')
    text = _replace(text, "date = 2021-04-02", "date = 2021-04-10")
    text = _replace(text, 'name = "Võ Văn Rân"', 'name = "Nguyễn Văn Bình"')
    # Without the stated rate, 2011 – 2015 prints the rate of the series: 7,1% instead of 7,7%.
    text = _replace(text, "target = 7.7\nstated_growth = 7.7\n", "target = 7.7\n")
    text = _replace(text, "thực hiện đạt kết quả.\n", f"thực hiện đạt kết quả.\n\n{ADDED}\n")
    text = re.sub(r'intro = """\n.*?"""\n', 'intro = ""\n', text, count=1, flags=re.S)
    text = _replace(text, CONFERENCE_2019, "")
    return _replace(
        text, "[[sections.data.agreements]]", DELEGATION_2016 + "[[sections.data.agreements]]"
    )


def export(folder: Path, name: str, text: str, host) -> bytes:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    rendered = render_document(store.load(path), host)
    return build_docx(rendered, images=ImageFolders.for_report(path))


@pytest.fixture(scope="module")
def drafts(tmp_path_factory, sample_path, host) -> tuple[bytes, bytes, bytes]:
    """(OLD's export, NEW's export, the diff) of the sample and its modified copy."""
    folder = tmp_path_factory.mktemp("drafts")
    old_text = old_report(sample_path.read_text(encoding="utf-8"))
    old = export(folder, "old.toml", old_text, host)
    new = export(folder, "new.toml", new_report(old_text), host)
    return old, new, tracked_changes(old, new, author=AUTHOR, when=WHEN)


def document(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("word/document.xml"))


# -- Word's accept-all / reject-all, applied to the XML ------------------------------------------

_PROPERTY_PARENTS = (W + "rPr", W + "trPr")


def view(root, *, accept: bool):
    """The document as Word shows it after accepting (or rejecting) every change."""
    root = copy.deepcopy(root)
    drop, keep = (W + "del", W + "ins") if accept else (W + "ins", W + "del")
    for row in list(root.iter(W + "tr")):
        properties = row.find(W + "trPr")
        if properties is not None and properties.find(drop) is not None:
            row.getparent().remove(row)
    for table in list(root.iter(W + "tbl")):
        if table.find(W + "tr") is None:  # every row gone: so is the table
            table.getparent().remove(table)
    for node in [n for n in root.iter(drop) if n.getparent().tag not in _PROPERTY_PARENTS]:
        node.getparent().remove(node)
    for node in [n for n in root.iter(keep) if n.getparent().tag not in _PROPERTY_PARENTS]:
        parent, index = node.getparent(), node.getparent().index(node)
        for child in reversed(list(node)):
            parent.insert(index, child)
        parent.remove(node)
    for change in list(root.iter(W + "pPrChange")):
        properties = change.getparent()
        properties.remove(change)
        if not accept:
            kept = [c for c in properties if c.tag in (W + "rPr", W + "sectPr")]
            properties[:] = [*copy.deepcopy(list(change.find(W + "pPr"))), *kept]
    for change in list(root.iter(W + "rPrChange")):
        properties = change.getparent()
        properties.remove(change)
        if not accept:
            properties[:] = copy.deepcopy(list(change.find(W + "rPr")))
    if not accept:
        for node in root.iter(W + "delText"):
            node.tag = W + "t"
    body = root.find(W + "body")
    for container in [body, *root.iter(W + "tc")]:
        _join_paragraphs(container, drop, keep, body=container is body)
    return root


def _join_paragraphs(container, drop: str, keep: str, *, body: bool) -> None:
    """Paragraphs whose mark goes away join the next one. The mark before a table or at a
    cell's end never goes away (Word keeps the last mark of a cell): asserted, except for a
    paragraph marked both inserted and deleted, which no view has. The body may end with
    vanished marks after a table: tongket's own export ends with a table, and Word supplies
    the final paragraph there either way."""
    pending: list = []
    vanished = False
    for child in [c for c in container if c.tag in (W + "p", W + "tbl")]:
        if child.tag == W + "tbl":
            assert not vanished, f"a paragraph mark vanishes before {child.tag}"
            pending = []
            continue
        properties = child.find(W + "pPr")
        for offset, content in enumerate(pending):
            child.insert(offset + (properties is not None), content)
        pending, vanished = [], False
        mark = properties.find(W + "rPr") if properties is not None else None
        if mark is not None and mark.find(drop) is not None:
            pending = [c for c in child if c.tag != W + "pPr"]
            vanished = mark.find(keep) is None
            container.remove(child)
        elif mark is not None:
            for node in mark.findall(keep):
                mark.remove(node)
            if not len(mark):
                properties.remove(mark)
    blocks = [child for child in container if child.tag in (W + "p", W + "tbl")]
    assert not vanished or (body and blocks[-1].tag == W + "tbl"), (
        "a paragraph mark vanishes at the end of its container"
    )


def _text(elements) -> str:
    return "".join("".join(element.itertext()) for element in elements)


def paragraphs(root) -> list[tuple[str, bytes]]:
    """Every paragraph in reading order (table cells included): its text and its w:pPr."""
    found = []
    for paragraph in root.find(W + "body").iter(W + "p"):
        nodes = paragraph.iter(W + "t", W + "tab", W + "br")
        text = "".join((n.text or "") if n.tag == W + "t" else "\t" for n in nodes)
        properties = paragraph.find(W + "pPr")
        xml = (
            b"" if properties is None else etree.tostring(properties, method="c14n", exclusive=True)
        )
        found.append((text, xml))
    return found


def assert_views(old: bytes, new: bytes, diff: bytes) -> None:
    revised = document(diff)
    assert paragraphs(view(revised, accept=True)) == paragraphs(document(new))
    assert paragraphs(view(revised, accept=False)) == paragraphs(document(old))


# -- the sample and its modified copy ----------------------------------------------------------


def test_accepting_all_gives_new_and_rejecting_all_gives_old(drafts):
    old, new, diff = drafts
    assert_views(old, new, diff)
    assert paragraphs(document(old)) != paragraphs(document(new))


def test_the_changed_figure_is_one_deleted_and_one_inserted_token(drafts):
    revised = document(drafts[2])
    deleted = [node for node in revised.iter(W + "del") if "".join(node.itertext()) == "7,7%"]
    inserted = [node for node in revised.iter(W + "ins") if "".join(node.itertext()) == "7,1%"]
    assert len(deleted) == 1 and len(inserted) == 1
    assert deleted[0].getnext() is inserted[0]
    paragraph = deleted[0].getparent()
    assert "bình quân kim ngạch xuất khẩu tăng " in "".join(
        "".join(run.itertext()) for run in paragraph.findall(W + "r")
    )


@pytest.mark.parametrize(
    ("deleted", "inserted", "context"),
    [
        (None, "15", "Số: "),  # the number, in the letterhead table
        ("02", "10", "Quảng Ngãi, ngày "),
        # The signer, in the signature table: one kept syllable between two changes joins
        # them, so the name is replaced whole.
        ("Võ Văn Rân", "Nguyễn Văn Bình", ""),
        ("03", "02", "Tổ chức thực hiện "),  # a count the records give
    ],
)
def test_particulars_and_sentences_change_word_by_word(drafts, deleted, inserted, context):
    revised = document(drafts[2])
    for tag, text in (("del", deleted), ("ins", inserted)):
        if text is None:
            continue
        found = [n for n in revised.iter(W + tag) if "".join(n.itertext()) == text]
        assert found, (tag, text)
        kept = "".join("".join(run.itertext()) for run in found[0].getparent().findall(W + "r"))
        assert context in kept


def test_rows_added_and_removed_are_whole_row_revisions(drafts):
    revised = document(drafts[2])
    marked = {}
    for row in revised.iter(W + "tr"):
        properties = row.find(W + "trPr")
        for tag in ("ins", "del"):
            if properties is not None and properties.find(W + tag) is not None:
                marked.setdefault(tag, []).append("|".join(row.itertext()))
    assert len(marked["ins"]) == 1 and "Salavan" in marked["ins"][0]
    assert len(marked["del"]) == 1 and marked["del"][0].startswith("2019|")


def test_added_and_removed_paragraphs_mark_their_paragraph_marks(drafts):
    revised = document(drafts[2])

    def mark_of(fragment: str) -> str:
        paragraph = next(p for p in revised.iter(W + "p") if fragment in "".join(p.itertext()))
        mark = paragraph.find(f"{W}pPr/{W}rPr")
        if mark is None:
            return ""
        return "".join(child.tag[len(W) :] for child in mark if child.tag in (W + "ins", W + "del"))

    assert mark_of(ADDED) == "ins"
    assert mark_of("Công tác tập huấn, hội thảo về hội nhập") == "del"
    assert mark_of("Trên lĩnh vực phát triển kinh tế ngành") == ""


def test_every_revision_has_a_unique_id_the_author_and_the_date(drafts):
    revised = document(drafts[2])
    tags = [W + tag for tag in ("ins", "del", "pPrChange", "rPrChange")]
    revisions = [node for node in revised.iter(*tags)]
    assert len(revisions) == revision_count(drafts[2]) > 10
    ids = [node.get(W + "id") for node in revisions]
    assert len(set(ids)) == len(ids)
    assert {node.get(W + "author") for node in revisions} == {AUTHOR}
    assert {node.get(W + "date") for node in revisions} == {"2026-12-06T10:00:00Z"}


def test_the_result_is_new_package_and_opens_with_python_docx(drafts):
    import docx

    _, new, diff = drafts
    with zipfile.ZipFile(io.BytesIO(new)) as before, zipfile.ZipFile(io.BytesIO(diff)) as after:
        assert before.namelist() == after.namelist()
        for name in before.namelist():
            if name != "word/document.xml":  # headers with the PAGE field, styles …: NEW's
                assert before.read(name) == after.read(name), name
    opened = docx.Document(io.BytesIO(diff))
    assert opened.paragraphs and len(opened.tables) == 3


def test_identical_drafts_give_no_revision(drafts):
    new = drafts[1]
    same = tracked_changes(new, new, author=AUTHOR, when=WHEN)
    assert revision_count(same) == 0
    assert paragraphs(document(same)) == paragraphs(document(new))


def test_a_number_with_separators_is_one_token():
    text = "tăng 7,7%; đạt 1.409 triệu USD (năm 2020)."
    assert TOKEN.findall(text) == [
        "tăng", " ", "7,7%", ";", " ", "đạt", " ", "1.409", " ", "triệu", " ", "USD", " ",
        "(", "năm", " ", "2020", ")", ".",
    ]  # fmt: skip


# -- structure changes: both directions ---------------------------------------------------------

CHANGES = {
    "công văn → báo cáo (letterhead row, title)": ('kind = "cong-van"', 'kind = "bao-cao"'),
    "table to a phụ lục (new section)": ('table = "inline"', 'table = "appendix"'),
    "table removed": ('table = "inline"', 'table = "none"'),
    "last Nơi nhận line removed": (', "Lưu: VT, VP"]', "]"),
    "signing for the head (KT.)": (
        'prefix = ""\nhead_title = "GIÁM ĐỐC"\nsigner_title = ""',
        'prefix = "KT."\nhead_title = "GIÁM ĐỐC"\nsigner_title = "PHÓ GIÁM ĐỐC"',
    ),
    "second recipient": ('recipients = ["Sở Ngoại vụ Quảng Ngãi"]', 'recipients = ["A", "B"]'),
    "no closing": ('closing = "Sở Công Thương kính báo cáo./."', 'closing = ""'),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=list(CHANGES))
@pytest.mark.parametrize("forward", [True, False], ids=["forward", "back"])
def test_structure_changes_accept_to_new_and_reject_to_old(
    change, forward, tmp_path, sample_path, host
):
    before = old_report(sample_path.read_text(encoding="utf-8"))
    after = _replace(before, *change)
    if not forward:
        before, after = after, before
    old, new = export(tmp_path, "old.toml", before, host), export(tmp_path, "new.toml", after, host)
    assert_views(old, new, tracked_changes(old, new, author=AUTHOR, when=WHEN))


# -- pictures and formatting --------------------------------------------------------------------


def _png(path: Path, shade: int) -> str:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 4, 4, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\0" + bytes([shade]) * 4 for _ in range(4)))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
    return str(path)


def _with_body(rendered: RenderedDocument, blocks: list) -> RenderedDocument:
    return RenderedDocument(rendered.project, blocks, [], rendered.sections)


def test_a_deleted_picture_keeps_its_image_in_the_package(tmp_path, rendered_sample):
    first, second = _png(tmp_path / "a.png", 10), _png(tmp_path / "b.png", 200)
    images = ImageFolders.for_report(tmp_path / "report.toml")
    text = Paragraph((Run("Biểu đồ dưới đây."),))
    old = build_docx(
        _with_body(rendered_sample, [text, Image(first, 4), Image(second, 4)]), images=images
    )
    new = build_docx(_with_body(rendered_sample, [text, Image(second, 4)]), images=images)
    diff = tracked_changes(old, new, author=AUTHOR, when=WHEN)
    assert_views(old, new, diff)
    revised = document(diff)
    with zipfile.ZipFile(io.BytesIO(diff)) as package:
        rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in rels}
        embedded = [blip.get(R + "embed") for blip in revised.iter("{*}blip")]
        assert len(embedded) == 2
        blobs = {package.read("word/" + targets[rid]) for rid in embedded}
    assert blobs == {Path(first).read_bytes(), Path(second).read_bytes()}
    deleted = [d for d in revised.iter(W + "del") if d.find(f".//{W}drawing") is not None]
    assert len(deleted) == 1
    ids = [node.get("id") for node in revised.iter("{*}docPr")]
    assert len(set(ids)) == len(ids)


def test_a_changed_run_format_is_a_format_revision(rendered_sample):
    plain = Paragraph((Run("Kết quả "), Run("vượt kế hoạch"), Run(" năm 2020.")))
    bold = Paragraph((Run("Kết quả "), Run("vượt kế hoạch", bold=True), Run(" năm 2020.")))
    old = build_docx(_with_body(rendered_sample, [plain]))
    new = build_docx(_with_body(rendered_sample, [bold]))
    diff = tracked_changes(old, new, author=AUTHOR, when=WHEN)
    revised = document(diff)
    changes = list(revised.iter(W + "rPrChange"))
    assert len(changes) == 1
    assert "".join(changes[0].getparent().getparent().itertext()) == "vượt kế hoạch"
    assert not list(revised.iter(W + "ins")) and not list(revised.iter(W + "del"))

    def runs(root) -> list[tuple[str, bool]]:
        body = [p for p in root.find(W + "body").iter(W + "p") if "vượt" in "".join(p.itertext())]
        return [
            ("".join(r.itertext()), r.find(f"{W}rPr/{W}b") is not None)
            for r in body[0].iter(W + "r")
        ]

    assert ("vượt kế hoạch", True) in runs(view(revised, accept=True))
    assert ("vượt kế hoạch", False) in runs(view(revised, accept=False))


# -- LibreOffice ---------------------------------------------------------------------------------

_UNO_SCRIPT = r"""
import os, subprocess, sys, tempfile, time
import uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    item = PropertyValue(); item.Name = name; item.Value = value; return item

profile = tempfile.mkdtemp(prefix="tongket-lo-")
pipe = f"tongket{os.getpid()}"
office = subprocess.Popen(
    ["soffice", "--headless", "--norestore", "--nologo", "--nodefault",
     f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;"],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
desktop = None
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(300):
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            time.sleep(0.1)
    manager = context.ServiceManager
    desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    dispatcher = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
    arguments = sys.argv[1:]
    for source, action, target in zip(arguments[::3], arguments[1::3], arguments[2::3]):
        url = uno.systemPathToFileUrl(os.path.abspath(source))
        doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
        if action != "none":
            frame = doc.getCurrentController().getFrame()
            dispatcher.executeDispatch(frame, f".uno:{action}AllTrackedChanges", "", 0, ())
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(target)),
                       (prop("FilterName", "Text (encoded)"), prop("FilterOptions", "UTF8,LF,,,")))
        doc.close(True)
finally:
    if desktop is not None:
        try:
            desktop.terminate()
        except Exception:
            pass
    try:
        office.wait(15)
    except subprocess.TimeoutExpired:
        office.kill()
        office.wait()
"""


def _uno_python() -> str | None:
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if candidate and os.path.exists(candidate):
            probe = subprocess.run([candidate, "-c", "import uno"], capture_output=True)
            if probe.returncode == 0:
                return candidate
    return None


def test_libreoffice_accepts_to_new_and_rejects_to_old(drafts, tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    python = _uno_python()
    if python is None:
        pytest.skip("LibreOffice's Python bridge is missing (apt-get install python3-uno)")
    old, new, diff = drafts
    for name, data in (("old.docx", old), ("new.docx", new), ("diff.docx", diff)):
        (tmp_path / name).write_bytes(data)
    script = tmp_path / "round_trip.py"
    script.write_text(_UNO_SCRIPT, encoding="utf-8")
    jobs = [
        ("diff.docx", "Accept", "accepted.txt"),
        ("diff.docx", "Reject", "rejected.txt"),
        ("new.docx", "none", "new.txt"),
        ("old.docx", "none", "old.txt"),
    ]
    arguments = [
        str(tmp_path / part) if part.endswith((".docx", ".txt")) else part
        for job in jobs
        for part in job
    ]
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    result = subprocess.run(
        [python, str(script), *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
    )
    assert result.returncode == 0, result.stderr

    def lines(name: str) -> list[str]:
        return (tmp_path / name).read_text(encoding="utf-8-sig").splitlines()

    assert "Sở Công Thương tỉnh Salavan (Lào)" in lines("new.txt")
    assert lines("accepted.txt") == lines("new.txt")
    assert lines("rejected.txt") == lines("old.txt")
    assert lines("new.txt") != lines("old.txt")


def test_diffing_imports_no_textual(tmp_path):
    code = (
        "import sys\n"
        "from tongket.core.commands import diff\n"
        "from tongket.core.writers import docx_diff\n"
        "assert 'textual' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
