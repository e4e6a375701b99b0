"""Two people, one report: the lock file says who holds it; stale locks may be taken over."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import socket
import stat
import subprocess
import sys
from dataclasses import replace

import pytest

from tongket.core.report import locking
from tongket.core.report.locking import FileLocked, LockHolder
from tongket.core.report.session import DraftSession


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "bao-cao.toml"
    path.write_text("schema_version = 1\n", encoding="utf-8")
    return path


def plant(report, holder: LockHolder) -> None:
    """Put someone else's lock file beside the report."""
    locking.lock_path(report).write_text(holder.to_json(), encoding="utf-8")


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def someone(**changes) -> LockHolder:
    now = dt.datetime.now().astimezone()
    holder = LockHolder("nva", "may-chu-so", 4242, now, now, None, "abcd1234abcd1234")
    return replace(holder, **changes)


def test_opening_records_who_holds_the_file(report):
    lock = locking.acquire(report)
    holder = locking.read_lock(report)
    assert lock.lock_file.name == "bao-cao.toml.lock"
    assert holder == lock.holder
    assert (holder.pid, holder.host) == (os.getpid(), socket.gethostname())
    assert holder.user and holder.since.tzinfo is not None
    lock.release()
    assert not lock.lock_file.exists()
    assert locking.read_lock(report) is None


def test_a_second_opener_learns_who_has_it(report):
    with locking.acquire(report) as first:
        with pytest.raises(FileLocked) as caught:
            locking.acquire(report)
        error = caught.value
        assert error.holder == first.holder
        assert error.stale is None
        message = str(error)
        assert f"tài khoản {first.holder.user} trên máy {socket.gethostname()}" in message
        assert f"tiến trình {os.getpid()}" in message
        assert "chỉ mở được để xem" in message
        # A live holder is not stale: asking to take over changes nothing.
        with pytest.raises(FileLocked):
            locking.acquire(report, take_over=True)
        assert first.held
    assert not first.lock_file.exists()


def test_a_lock_whose_process_is_gone_may_be_taken_over(report):
    plant(report, someone(host=socket.gethostname(), pid=dead_pid()))
    with pytest.raises(FileLocked) as caught:
        locking.acquire(report)  # never silently: the opener must ask
    assert "không còn chạy" in caught.value.stale
    assert "có thể tiếp quản" in str(caught.value)
    lock = locking.acquire(report, take_over=True)
    assert locking.read_lock(report).pid == os.getpid()
    lock.release()


def test_a_reused_pid_does_not_keep_a_lock_alive(report):
    me = LockHolder.me()
    if me.started is None:
        pytest.skip("no /proc process start times here")
    plant(report, replace(me, started="1", token="feedfeedfeedfeed"))
    assert locking.read_lock(report).process_alive() is False
    locking.acquire(report, take_over=True).release()


def test_an_old_lock_from_another_machine_is_stale_a_fresh_one_is_not(report):
    plant(report, someone())
    with pytest.raises(FileLocked) as caught:
        locking.acquire(report, take_over=True)
    assert caught.value.holder.host == "may-chu-so"
    assert caught.value.stale is None
    assert "tài khoản nva trên máy may-chu-so (tiến trình 4242)" in str(caught.value)

    long_ago = dt.datetime.now().astimezone() - dt.timedelta(hours=13)
    plant(report, someone(since=long_ago, refreshed=long_ago))
    with pytest.raises(FileLocked) as caught:
        locking.acquire(report)
    assert "13 giờ" in caught.value.stale
    locking.acquire(report, take_over=True).release()


def test_force_takes_over_any_lock(report):
    plant(report, someone())
    lock = locking.acquire(report, force=True)
    assert lock.held
    lock.release()


def test_a_damaged_lock_file_can_be_taken_over(report):
    locking.lock_path(report).write_text('{"user": "nv', encoding="utf-8")
    with pytest.raises(FileLocked) as caught:
        locking.acquire(report)
    assert caught.value.stale
    locking.acquire(report, take_over=True).release()


def test_release_leaves_a_lock_someone_took_over(report):
    mine = locking.acquire(report)
    theirs = locking.acquire(report, force=True)
    assert not mine.held
    assert mine.refresh() is False
    mine.release()
    assert locking.read_lock(report).token == theirs.holder.token
    theirs.release()
    assert locking.read_lock(report) is None


def test_refresh_keeps_a_long_session_fresh(report):
    lock = locking.acquire(report)
    earlier = lock.holder.refreshed - dt.timedelta(hours=20)
    lock.holder = replace(lock.holder, refreshed=earlier)
    assert lock.refresh() is True
    assert locking.read_lock(report).refreshed > earlier
    assert locking.read_lock(report).since == lock.holder.since
    lock.release()


def test_the_lock_follows_symlinks_to_the_real_file(report, tmp_path):
    link = tmp_path / "lien-ket.toml"
    link.symlink_to(report)
    with locking.acquire(report), pytest.raises(FileLocked):
        locking.acquire(link)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_of_many_simultaneous_openers_exactly_one_wins(report):
    children = []
    for _ in range(8):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            code = 1
            try:
                locking.acquire(report)  # held until the child exits
                code = 0
            except FileLocked:
                code = 3
            finally:
                os._exit(code)
        children.append(pid)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]
    assert sorted(codes) == [0] + [3] * 7
    holder = locking.read_lock(report)
    assert holder.pid in children
    assert not [path for path in report.parent.iterdir() if path.name.endswith(".tmp")]


# -- whatever is at the lock's path, opening neither fails nor hangs ------------------------


def _plant_text(report, text: bytes) -> None:
    locking.lock_path(report).write_bytes(text)


def _sparse(path) -> None:
    """2 GiB that take no disk space, and that must never be read."""
    with open(path, "wb") as handle:
        handle.truncate(2 * 1024**3)


def _record(**changes) -> bytes:
    record = json.loads(someone().to_json())
    record.update(changes)
    return json.dumps(record).encode()


DAMAGED_LOCKS = {
    "not_utf8": (lambda report: _plant_text(report, b'{"user": "nguy\xe1\xbb"}'), "UTF-8"),
    "directory": (lambda report: locking.lock_path(report).mkdir(), "là một thư mục"),
    "huge_pid": (lambda report: _plant_text(report, _record(pid=10**30)), "số tiến trình"),
    "negative_pid": (lambda report: _plant_text(report, _record(pid=-1)), "số tiến trình"),
    "naive_time": (
        lambda report: _plant_text(report, _record(since="2025-11-25T14:02:00")),
        "không có múi giờ",
    ),
    "year_one": (
        lambda report: _plant_text(report, _record(since="0001-01-01T00:00:00+07:00")),
        "ngoài khoảng hợp lệ",
    ),
    "markup_user": (lambda report: _plant_text(report, _record(user="[/]")), "tên tài khoản"),
    "control_host": (lambda report: _plant_text(report, _record(host="m\x1b[2J")), "tên máy"),
    "not_a_record": (lambda report: _plant_text(report, b"[1, 2, 3]"), "không phải bản ghi"),
    "fifo": (lambda report: os.mkfifo(locking.lock_path(report)), "FIFO"),
    "dev_zero": (lambda report: locking.lock_path(report).symlink_to("/dev/zero"), "liên kết"),
    "dev_urandom": (
        lambda report: locking.lock_path(report).symlink_to("/dev/urandom"),
        "liên kết",
    ),
    "dangling_link": (
        lambda report: locking.lock_path(report).symlink_to(report.parent / "khong-co"),
        "liên kết",
    ),
    "huge_file": (lambda report: _sparse(locking.lock_path(report)), "lớn hơn 64 KiB"),
}


@contextlib.contextmanager
def no_longer_than(seconds: int):
    """Fail instead of hanging the suite (a FIFO opened for reading blocks forever)."""

    def expired(_signum, _frame):
        raise TimeoutError(f"blocked for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("case", DAMAGED_LOCKS)
def test_a_damaged_lock_is_named_and_never_blocks_opening(report, case):
    plant_damage, named = DAMAGED_LOCKS[case]
    plant_damage(report)
    with no_longer_than(10):
        holder = locking.read_lock(report)
        assert holder.damage and named in holder.damage
        with pytest.raises(FileLocked) as caught:
            locking.acquire(report)
        session = DraftSession.open(report, lock=True)
    message = str(caught.value)
    assert named in message and "bao-cao.toml.lock" in message
    assert session.read_only and named in session.lock_message()
    if case == "directory":  # never deleted: someone made it; only named
        assert caught.value.stale is None and "không phải tệp khóa" in message
        with pytest.raises(FileLocked):
            locking.acquire(report, force=True)
        assert locking.lock_path(report).is_dir()
        return
    assert "có thể tiếp quản" in message and caught.value.stale
    with no_longer_than(10):
        lock = locking.acquire(report, take_over=True)
    assert locking.read_lock(report) == lock.holder
    lock.release()
    assert sorted(path.name for path in report.parent.iterdir()) == ["bao-cao.toml"]


def test_an_unreadable_lock_is_named(report):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    plant(report, someone())
    locking.lock_path(report).chmod(0)
    holder = locking.read_lock(report)
    assert "không có quyền đọc" in holder.damage


def test_the_lock_file_is_no_more_readable_than_the_report(report):
    for mode in (0o600, 0o640, 0o660):
        report.chmod(mode)
        with locking.acquire(report) as lock:
            assert stat.S_IMODE(lock.lock_file.stat().st_mode) == mode
            lock.holder = replace(lock.holder, refreshed=lock.holder.refreshed)
            assert lock.refresh()
            assert stat.S_IMODE(lock.lock_file.stat().st_mode) == mode
