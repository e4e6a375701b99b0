"""`tongket merge`: replies to an outline merged into one report, the status, the exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tongket.core.cli import main
from tongket.core.report import locking, store

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
SCRIPT = Path(sys.executable).with_name("tongket")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The sample outline, the sample reply (Sở Công Thương) and a second body's reply."""
    (tmp_path / "de-cuong.toml").write_text(
        (SAMPLE / "de-cuong-mau.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    sct = store.load(SAMPLE / "quang-ngai-sct-2021.toml")
    store.save(sct, tmp_path / "sct.toml")
    sct.document.agency = "SỞ KẾ HOẠCH VÀ ĐẦU TƯ"
    economic = next(section for section in sct.sections if section.type == "economic-results")
    for point in economic.data["indicators"][0]["series"]:
        point["value"] = 100
    store.save(sct, tmp_path / "skhdt.toml")
    return tmp_path


def merge(folder: Path, *replies: str, extra: tuple[str, ...] = ()) -> int:
    return main(
        [
            "merge",
            *(str(folder / name) for name in replies),
            "--outline",
            str(folder / "de-cuong.toml"),
            *extra,
        ]
    )


def test_merge_writes_the_consolidated_report(folder, capsys):
    target = folder / "tong-hop.toml"
    assert merge(folder, "skhdt.toml", "sct.toml", extra=("-o", str(target))) == 0
    out = capsys.readouterr().out
    assert f"Đã tổng hợp 2 báo cáo (2/4 đơn vị) vào {target}" in out
    project = store.load(target)
    economic = next(section for section in project.sections if section.type == "economic-results")
    series = economic.data["indicators"][0]["series"]
    assert series[-1] == {"year": 2020, "value": 1509}  # 1.409 + 100
    assert project.consolidation.outline == "de-cuong.toml"
    assert [link.file for link in project.consolidation.replies] == ["sct.toml", "skhdt.toml"]
    assert main(["check", str(target)]) in (0, 1)  # it loads and checks


def test_status_lists_replied_and_missing_bodies(folder, capsys):
    assert merge(folder, "sct.toml", extra=("--status",)) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["Đơn", "vị", "Báo", "cáo", "Lỗi", "Thiếu"]
    assert any(line.startswith("SỞ CÔNG THƯƠNG") and "sct.toml" in line for line in lines)
    assert any(line.startswith("SỞ KẾ HOẠCH VÀ ĐẦU TƯ") and "CHƯA GỬI" in line for line in lines)
    assert "1/4 đơn vị đã gửi; 3 chưa gửi; 0 có lỗi" in out
    assert not list(folder.glob("tong-hop*"))  # --status writes nothing


def test_without_output_it_says_what_is_needed(folder, capsys):
    assert merge(folder, "sct.toml") == 2
    assert "cần -o" in capsys.readouterr().err


def test_an_unreadable_reply_stops_the_merge_and_keeps_the_old_file(folder, capsys):
    target = folder / "tong-hop.toml"
    assert merge(folder, "sct.toml", extra=("-o", str(target))) == 0
    before = target.read_bytes()
    (folder / "hong.toml").write_text("[document\n", encoding="utf-8")
    assert merge(folder, "sct.toml", "hong.toml", extra=("-o", str(target))) == 2
    err = capsys.readouterr().err
    assert "hong.toml:1" in err and "Traceback" not in err
    assert target.read_bytes() == before


def test_a_damaged_consolidated_file_is_never_overwritten(folder, capsys):
    target = folder / "tong-hop.toml"
    target.write_text("schema_version = 'x'\n", encoding="utf-8")
    assert merge(folder, "sct.toml", extra=("-o", str(target))) == 2
    assert "không ghi đè" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "schema_version = 'x'\n"


def test_a_consolidated_report_open_in_the_app_is_not_rewritten(folder, capsys):
    # The coordinator has it open: the merge and the app's next save would overwrite each
    # other. Refused as `split` refuses it; the file, and nobody's edits, are untouched.
    target = folder / "tong-hop.toml"
    assert merge(folder, "sct.toml", extra=("-o", str(target))) == 0
    before = target.read_bytes()
    with locking.acquire(target):
        assert merge(folder, "sct.toml", "skhdt.toml", extra=("-o", str(target))) == 2
    err = capsys.readouterr().err
    assert "đang được mở để sửa bởi" in err and "hãy đóng tệp rồi chạy lại" in err
    assert target.read_bytes() == before
    assert merge(folder, "sct.toml", "skhdt.toml", extra=("-o", str(target))) == 0  # closed
    assert not (folder / "tong-hop.toml.lock").exists()


def test_a_reply_as_output_is_refused(folder, capsys):
    assert merge(folder, "sct.toml", extra=("-o", str(folder / "sct.toml"))) == 2
    assert "báo cáo đầu vào" in capsys.readouterr().err


def test_the_console_script_merges_in_a_supervised_child(folder):
    target = folder / "tong-hop.toml"
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "tongket.core.cli"]
    result = subprocess.run(
        [
            *command,
            "merge",
            "sct.toml",
            "skhdt.toml",
            "--outline",
            "de-cuong.toml",
            "-o",
            "tong-hop.toml",
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert store.load(target).consolidation.replies[0].body == "sct"
