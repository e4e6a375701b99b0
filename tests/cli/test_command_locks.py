"""A command that rewrites a report (`merge`, `split`, `join`, `import --force`) and a lock or
recovery copy left behind: a dead process's lock is taken over, any other abandoned lock and
any unsaved recovery copy stop the command with the way out, and the file is untouched."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
from pathlib import Path

import pytest

from tongket.core.cli import main
from tongket.core.report import locking, store
from tongket.core.report.session_safety import recovery_path_for

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The sample outline and reply, and a consolidation already merged from it."""
    (tmp_path / "de-cuong.toml").write_text(
        (SAMPLE / "de-cuong-mau.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    store.save(store.load(SAMPLE / "quang-ngai-sct-2021.toml"), tmp_path / "sct.toml")
    assert merge(tmp_path) == 0
    return tmp_path


def merge(folder: Path) -> int:
    return main(
        [
            "merge",
            str(folder / "sct.toml"),
            "--outline",
            str(folder / "de-cuong.toml"),
            "-o",
            str(folder / "tong-hop.toml"),
        ]
    )


def _leave_lock(report: Path, **changes) -> Path:
    """Write the lock a session of this account would have left, with `changes`."""
    holder = dataclasses.replace(locking.LockHolder.me(), **changes)
    lock = locking.lock_path(report)
    lock.write_text(holder.to_json(), encoding="utf-8")
    return lock


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_the_lock_of_a_process_gone_from_this_machine_is_taken_over(folder, capsys):
    # A merge killed (kill -9) while it held the lock used to block every later merge.
    target = folder / "tong-hop.toml"
    capsys.readouterr()
    lock = _leave_lock(target, pid=_dead_pid(), started=None)
    assert merge(folder) == 0
    err = capsys.readouterr().err
    assert "tiếp quản khóa bỏ dở của tài khoản" in err
    assert "không còn chạy" in err
    assert not lock.exists()  # released after the merge, as its own lock would be


@pytest.mark.parametrize("damaged", [False, True])
def test_another_abandoned_lock_stops_the_command_with_the_way_out(folder, capsys, damaged):
    # Another machine's lock not refreshed for years, or a lock file that is not one: maybe
    # abandoned, but nothing proves it; a person decides.
    target = folder / "tong-hop.toml"
    before = target.read_bytes()
    capsys.readouterr()
    if damaged:
        lock = locking.lock_path(target)
        lock.write_text("không phải JSON", encoding="utf-8")
        reason = "tệp khóa tong-hop.toml.lock hỏng"
    else:
        old = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        lock = _leave_lock(target, host="may-khac", refreshed=old)
        reason = "khóa có vẻ đã bỏ dở (khóa không được làm mới đã"
    assert merge(folder) == 2
    err = capsys.readouterr().err
    assert reason in err
    assert (
        "nếu chắc không ai đang sửa tệp, mở tệp trong ứng dụng (tongket TỆP) và chọn Tiếp "
        "quản, hoặc xóa tệp tong-hop.toml.lock, rồi chạy lại"
    ) in err
    assert target.read_bytes() == before and lock.exists()


def test_a_fresh_lock_of_another_machine_says_close_the_file(folder, capsys):
    target = folder / "tong-hop.toml"
    capsys.readouterr()
    _leave_lock(target, host="may-khac")
    assert merge(folder) == 2
    err = capsys.readouterr().err
    assert "trên máy may-khac" in err and "hãy đóng tệp rồi chạy lại" in err


def test_a_lock_held_by_a_live_process_still_says_close_the_file(folder, capsys):
    target = folder / "tong-hop.toml"
    capsys.readouterr()
    with locking.acquire(target):
        assert merge(folder) == 2
    assert "hãy đóng tệp rồi chạy lại" in capsys.readouterr().err


def test_unsaved_edits_of_a_stopped_session_stop_the_command(folder, capsys):
    # The app crashed with unsaved edits: rewriting the file would make the recovery copy look
    # older than the file, and it would never be offered again.
    target = folder / "tong-hop.toml"
    before = target.read_bytes()
    recovery = recovery_path_for(target)
    recovery.write_bytes(before + b"# edits not saved\n")
    capsys.readouterr()
    assert merge(folder) == 2
    err = capsys.readouterr().err
    assert f"còn bản khôi phục {recovery.name}" in err
    assert "mở tệp trong ứng dụng (tongket TỆP) để khôi phục hoặc bỏ nó" in err
    assert target.read_bytes() == before
    assert recovery.read_bytes() == before + b"# edits not saved\n"
