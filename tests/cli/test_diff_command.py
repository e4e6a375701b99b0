"""`tongket diff OLD.toml NEW.toml`: exit codes, messages, the file written (or not)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tongket.core.cli import main
from tongket.core.commands.diff import (
    TrackedChangesError,
    default_output,
    revision_time,
    write_tracked_changes,
)
from tongket.core.writers.docx_diff import revision_count

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SCRIPT = Path(sys.executable).with_name("tongket")


@pytest.fixture
def drafts(tmp_path: Path, sample_path: Path) -> tuple[Path, Path]:
    """The sample as OLD, and NEW with another number, date and signer."""
    text = sample_path.read_text(encoding="utf-8")
    old, new = tmp_path / "bao-cao-v1.toml", tmp_path / "bao-cao.toml"
    old.write_text(text, encoding="utf-8")
    changed = text.replace('number = ""', 'number = "15"').replace("2021-04-02", "2021-04-10")
    new.write_text(changed.replace("Võ Văn Rân", "Nguyễn Văn Bình"), encoding="utf-8")
    return old, new


def revisions(path: Path) -> list:
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    return list(root.iter(W + "ins", W + "del"))


def test_writes_beside_new_by_default(drafts, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796551200")  # 2026-12-06 10:00:00 UTC
    old, new = drafts
    assert main(["diff", str(old), str(new)]) == 0
    target = new.with_name("bao-cao-thay-doi.docx")
    assert target == default_output(new)
    out = capsys.readouterr().out
    assert f"Đã ghi {target}" in out and "người sửa: tongket" in out
    found = revisions(target)
    assert {"".join(node.itertext()) for node in found} >= {"15", "02", "10", "Nguyễn Văn Bình"}
    assert {node.get(W + "author") for node in found} == {"tongket"}
    assert {node.get(W + "date") for node in found} == {"2026-12-06T10:00:00Z"}


def test_output_and_author_options(drafts, tmp_path, capsys):
    old, new = drafts
    target = tmp_path / "ra" / "so-sanh.docx"
    target.parent.mkdir()
    assert main(["diff", str(old), str(new), "-o", str(target), "--author", "Trần  Thị Mai"]) == 0
    assert {node.get(W + "author") for node in revisions(target)} == {"Trần Thị Mai"}
    assert f"Đã ghi {target}" in capsys.readouterr().out


def test_the_same_report_twice_is_refused(drafts, capsys):
    _, new = drafts
    assert main(["diff", str(new), str(new)]) == 2
    assert "cùng một tệp" in capsys.readouterr().err
    assert not default_output(new).exists()


def test_identical_content_says_so(drafts, tmp_path, capsys):
    old, _ = drafts
    copy = tmp_path / "ban-sao.toml"
    copy.write_bytes(old.read_bytes())
    assert main(["diff", str(old), str(copy)]) == 0
    assert "không có thay đổi nào" in capsys.readouterr().out
    assert revision_count(default_output(copy).read_bytes()) == 0


@pytest.mark.parametrize("which", ["old", "new"])
def test_a_missing_report_is_named(drafts, tmp_path, capsys, which):
    old, new = drafts
    missing = tmp_path / "khong-co.toml"
    arguments = [missing, new] if which == "old" else [old, missing]
    assert main(["diff", *map(str, arguments)]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err and "Traceback" not in err


def test_malformed_toml_is_placed(drafts, capsys):
    old, new = drafts
    new.write_text(new.read_text(encoding="utf-8") + "\n[document\n", encoding="utf-8")
    assert main(["diff", str(old), str(new)]) == 2
    err = capsys.readouterr().err
    assert f"{new}:" in err
    assert not default_output(new).exists()


@pytest.mark.parametrize("place", ["folder", "new", "old", "missing-folder"])
def test_an_output_that_cannot_be_written_is_refused(drafts, tmp_path, capsys, place):
    old, new = drafts
    before = {path: path.read_bytes() for path in (old, new)}
    target = {
        "folder": tmp_path,
        "new": new,
        "old": old,
        "missing-folder": tmp_path / "khong" / "ra.docx",
    }[place]
    assert main(["diff", str(old), str(new), "-o", str(target)]) == 2
    assert str(target) in capsys.readouterr().err
    assert {path: path.read_bytes() for path in (old, new)} == before


def test_errors_stop_the_comparison_unless_keep_going(drafts, capsys):
    old, new = drafts
    with new.open("a", encoding="utf-8") as file:
        file.write('\n[[sections]]\ntype = "thu-hut-dau-tu"\nnumber = "3."\n')
    target = default_output(new)
    target.write_bytes(b"ban cu")
    assert main(["diff", str(old), str(new)]) == 1
    assert "chưa so sánh: 1 lỗi" in capsys.readouterr().err
    assert target.read_bytes() == b"ban cu"  # nothing the user had is overwritten
    assert main(["diff", str(old), str(new), "--keep-going"]) == 0
    assert revision_count(target.read_bytes()) > 0


def test_bad_author_and_bad_source_date_epoch(drafts, capsys, monkeypatch):
    old, new = drafts
    assert main(["diff", str(old), str(new), "--author", "  "]) == 2
    assert "--author" in capsys.readouterr().err
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "hôm qua")
    assert main(["diff", str(old), str(new)]) == 2
    assert "SOURCE_DATE_EPOCH" in capsys.readouterr().err
    assert not default_output(new).exists()


def test_revision_time_is_whole_seconds_in_utc():
    now = revision_time({})
    assert now.microsecond == 0 and now.utcoffset().total_seconds() == 0
    assert revision_time({"SOURCE_DATE_EPOCH": "0"}).year == 1970


def test_the_app_function_writes_and_raises_with_a_message(drafts, tmp_path):
    old, new = drafts
    target = tmp_path / "app.docx"
    count = write_tracked_changes(old, new, target, author="Lê Văn An")
    assert count == revision_count(target.read_bytes()) > 0
    with pytest.raises(TrackedChangesError, match=r"khong-co\.toml"):
        write_tracked_changes(tmp_path / "khong-co.toml", new, target)
    with pytest.raises(TrackedChangesError, match="cùng một tệp"):
        write_tracked_changes(new, new, target)
    with pytest.raises(TrackedChangesError, match="thư mục"):
        write_tracked_changes(old, new, tmp_path)


def test_the_console_script_imports_no_textual(drafts):
    old, new = drafts
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "tongket.core.cli"]
    result = subprocess.run(
        [*command, "diff", str(old), str(new), "-o", str(new.with_name("ra.docx"))],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1796551200"},
    )
    assert result.returncode == 0, result.stderr
    assert "Đã ghi" in result.stdout and "Traceback" not in result.stderr
    other = str(new.with_name("b.docx"))
    code = (
        "import sys\nfrom tongket.core.cli import main\n"
        f"code = main(['diff', {str(old)!r}, {str(new)!r}, '-o', {other!r}])\n"
        "assert code == 0 and 'textual' not in sys.modules, sorted(sys.modules)\n"
    )
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr
    # Same input, same SOURCE_DATE_EPOCH: the same bytes.
    again = subprocess.run(
        [*command, "diff", str(old), str(new), "-o", str(new.with_name("ra2.docx"))],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1796551200"},
    )
    assert again.returncode == 0
    assert new.with_name("ra.docx").read_bytes() == new.with_name("ra2.docx").read_bytes()


def test_help_lists_the_options(capsys):
    with pytest.raises(SystemExit):
        main(["diff", "--help"])
    out = capsys.readouterr().out
    for option in ("--author", "--keep-going", "-o"):
        assert option in out
