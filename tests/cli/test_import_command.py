"""`tongket import REPLY.docx [-o REPLY.toml] [--outline OUTLINE.toml] [--force]`."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from tongket.core.cli import main
from tongket.core.render.document import render_document
from tongket.core.report import store
from tongket.core.writers.docx_writer import export_docx
from tongket.core.writers.textrender import render_text

SCRIPT = Path(sys.executable).with_name("tongket")
OUTLINE = Path(str(resources.files("tongket.sample_data") / "de-cuong-mau.toml"))


@pytest.fixture
def reply(tmp_path, sample_path, host) -> tuple[Path, str]:
    """The sample exported by tongket into a folder of its own, and its rendered text."""
    rendered = render_document(store.load(sample_path), host)
    path = tmp_path / "tra-loi.docx"
    export_docx(rendered, path)
    return path, render_text(rendered)


def test_import_writes_the_report_next_to_the_word_file(reply, host, capsys):
    docx, text = reply
    assert main(["import", str(docx)]) == 0
    out = capsys.readouterr()
    target = docx.with_suffix(".toml")
    assert f"Đã nhập {docx} → {target} (8 mục, 0 ghi chú)" in out.out
    assert out.err == ""
    assert render_text(render_document(store.load(target), host)) == text


def test_existing_output_is_kept_without_force(reply, capsys):
    docx, _text = reply
    target = docx.parent / "da-co.toml"
    target.write_text("# bản của tôi\n", encoding="utf-8")
    assert main(["import", str(docx), "-o", str(target)]) == 2
    assert "tệp đã có; thêm --force để ghi đè" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "# bản của tôi\n"
    assert main(["import", str(docx), "-o", str(target), "--force"]) == 0
    assert store.load(target).document.agency == "SỞ CÔNG THƯƠNG"


def test_force_does_not_replace_a_report_open_in_the_app(reply, capsys):
    from tongket.core.report import locking

    docx, _text = reply
    target = docx.parent / "dang-mo.toml"
    target.write_text("# đang soạn trong chương trình\n", encoding="utf-8")
    with locking.acquire(target):
        assert main(["import", str(docx), "-o", str(target), "--force"]) == 2
    assert "hãy đóng tệp rồi chạy lại" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "# đang soạn trong chương trình\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"plain text", "không phải tệp Word .docx (không phải gói zip)"),
        (b"%PDF-1.7\n", "là tệp PDF, không phải .docx"),
        (b"PK\x03\x04broken", "gói zip bị hỏng"),
    ],
)
def test_not_a_docx_exits_2_and_writes_nothing(tmp_path, capsys, content, expected):
    source = tmp_path / "reply.docx"
    source.write_bytes(content)
    assert main(["import", str(source)]) == 2
    err = capsys.readouterr().err
    assert f"{source}: " in err and expected in err and "Traceback" not in err
    assert not (tmp_path / "reply.toml").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["reply.docx"]


def test_output_must_be_toml_and_writable(reply, capsys):
    docx, _text = reply
    assert main(["import", str(docx), "-o", str(docx.parent / "x.docx")]) == 2
    assert "cần đuôi .toml" in capsys.readouterr().err
    assert main(["import", str(docx), "-o", str(docx.parent / "no" / "x.toml")]) == 2
    assert "không tồn tại" in capsys.readouterr().err


def test_outline_links_the_reply_and_prints_notes(reply, capsys):
    docx, _text = reply
    target = docx.parent / "tra-loi.toml"
    assert main(["import", str(docx), "--outline", str(OUTLINE)]) == 0
    err = capsys.readouterr().err
    # The sample's data sections answer the outline's data sections: said on stderr.
    assert f"{docx}: đoạn " in err and "đề cương cần loại 'economic-results'" in err
    project = store.load(target)
    assert project.outline is not None and project.outline.body == "sct"
    assert (target.parent / project.outline.file).resolve() == OUTLINE.resolve()
    numbered = {section.number: section.heading for section in project.sections}
    assert numbered["2.1."] == "Kết quả kinh tế đối ngoại"


def test_unreadable_outline_exits_2(reply, tmp_path, capsys):
    docx, _text = reply
    assert main(["import", str(docx), "--outline", str(tmp_path / "none.toml")]) == 2
    assert "không tìm thấy tệp đề cương" in capsys.readouterr().err
    assert not docx.with_suffix(".toml").exists()


def test_console_script(reply):
    docx, _text = reply
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "tongket.core.cli"]
    result = subprocess.run(
        [*command, "import", str(docx), "-o", str(docx.parent / "script.toml")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (docx.parent / "script.toml").is_file()
    broken = docx.parent / "broken.docx"
    broken.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    result = subprocess.run(
        [*command, "import", str(broken)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert "là tệp Word 97–2003 (.doc)" in result.stderr and "Traceback" not in result.stderr
