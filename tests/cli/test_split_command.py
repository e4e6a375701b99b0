"""`tongket split` and `tongket join`: sections moved into files of their own and back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tongket.core.cli import main
from tongket.core.report import locking, store

SCRIPT = Path(sys.executable).with_name("tongket")


@pytest.fixture
def report(tmp_path: Path, sample_path: Path) -> Path:
    target = tmp_path / "bao-cao.toml"
    shutil.copyfile(sample_path, target)
    return target


def listing(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_split_moves_the_chosen_sections_and_keeps_every_value(report, sample_path, capsys):
    assert main(["split", str(report), "--sections", "2.1.,2.3"]) == 0
    out = capsys.readouterr().out
    assert "2.1.: → phan/2.1-economic-results.toml" in out
    assert "2.3.: → phan/2.3-trade-promotion.toml" in out
    assert "bao-cao.toml.bak" in out
    folder = report.parent
    assert sorted(p.name for p in (folder / "phan").iterdir()) == [
        "2.1-economic-results.toml",
        "2.3-trade-promotion.toml",
    ]
    assert (folder / "bao-cao.toml.bak").read_bytes() == sample_path.read_bytes()
    text = report.read_text(encoding="utf-8")
    assert text.count("include = ") == 2
    assert store.load(report) == store.load(sample_path)


def test_split_into_another_folder_and_join_back(report, sample_path, capsys):
    assert main(["split", str(report), "--all", "--dir", "cac-phan"]) == 0
    parts = sorted((report.parent / "cac-phan").iterdir())
    assert len(parts) == len(store.load(sample_path).sections)
    capsys.readouterr()
    assert main(["join", str(report), "--sections", "2.1."]) == 0
    out = capsys.readouterr().out
    assert "cac-phan/2.1-economic-results.toml vẫn giữ" in out
    assert (report.parent / "cac-phan/2.1-economic-results.toml").exists()  # left in place
    assert main(["join", str(report), "--remove"]) == 0
    assert "đã xóa" in capsys.readouterr().out
    assert [p.name for p in (report.parent / "cac-phan").iterdir()] == [
        "2.1-economic-results.toml"  # the one the first join left
    ]
    assert "include" not in report.read_text(encoding="utf-8")
    assert store.load(report) == store.load(sample_path)


def test_split_never_overwrites_a_part_file(report, capsys):
    existing = report.parent / "phan" / "2.1-economic-results.toml"
    existing.parent.mkdir()
    existing.write_text("của người khác\n", encoding="utf-8")
    before = listing(report.parent)
    assert main(["split", str(report), "--sections", "2.2.,2.1."]) == 2
    err = capsys.readouterr().err
    assert "2.1-economic-results.toml: tệp đã có; không ghi đè" in err
    assert listing(report.parent) == before  # nothing written, not even the other part


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--sections", "9."], "không có mục số '9.'"),
        (["--dir", "../ngoai"], "phải là thư mục con"),
        (["--dir", "/tmp/x"], "phải là thư mục con"),
    ],
)
def test_bad_choices_are_refused_before_anything_is_written(report, capsys, arguments, message):
    before = listing(report.parent)
    assert main(["split", str(report), *arguments]) == 2
    assert message in capsys.readouterr().err
    assert listing(report.parent) == before


def test_a_report_open_in_the_app_is_not_rewritten(report, capsys):
    with locking.acquire(report):
        before = listing(report.parent)
        assert main(["split", str(report), "--all"]) == 2
    assert "đang được mở để sửa bởi" in capsys.readouterr().err
    after = listing(report.parent)
    after.pop("bao-cao.toml.lock", None)
    before.pop("bao-cao.toml.lock", None)
    assert after == before


def test_join_refuses_a_part_someone_is_editing(report, capsys):
    assert main(["split", str(report), "--sections", "2.1."]) == 0
    part = report.parent / "phan" / "2.1-economic-results.toml"
    with locking.acquire(part):
        text = report.read_bytes()
        assert main(["join", str(report)]) == 2
        assert "2.1-economic-results.toml: đang được mở để sửa" in capsys.readouterr().err
        assert report.read_bytes() == text
    assert main(["join", str(report), "--sections", "2.2."]) == 2
    assert "đã nằm trong báo cáo" in capsys.readouterr().err


def test_a_missing_part_is_a_precise_error_for_every_command(report, capsys):
    assert main(["split", str(report), "--sections", "2.1."]) == 0
    (report.parent / "phan" / "2.1-economic-results.toml").unlink()
    for command in ("check", "render", "join"):
        assert main([command, str(report)]) == 2
        err = capsys.readouterr().err
        assert f"{report}:" in err and "không tìm thấy tệp 'phan/2.1-economic-results.toml'" in err


@pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is not installed")
def test_the_console_script_splits_and_checks(report):
    environment = {**os.environ, "TONGKET_PLUGINS": ""}
    run = subprocess.run(
        [str(SCRIPT), "split", "bao-cao.toml", "--sections", "2.4."],
        cwd=report.parent,
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
    )
    assert run.returncode == 0, run.stderr
    checked = subprocess.run(
        [str(SCRIPT), "check", "bao-cao.toml"],
        cwd=report.parent,
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
    )
    assert "Traceback" not in checked.stderr
    # The sample's viết hoa advice in section 2.4. is placed in the part file now.
    lines = [line for line in checked.stdout.splitlines() if "sections.7." in line]
    assert lines and all(line.startswith("phan/2.4-training.toml:") for line in lines)
