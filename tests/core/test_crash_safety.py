"""Never lose a draft: saves killed at random moments, the `.bak` copy, and save conflicts."""

from __future__ import annotations

import copy
import os
import random
import signal
import time
from pathlib import Path

import pytest

from tongket.core.report import store
from tongket.core.report.atomicfile import backup_path
from tongket.core.report.model import Project

KILL_RUNS = 240

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")


@pytest.fixture(scope="module")
def versions(sample_path) -> tuple[Project, Project]:
    """Two different reports of some size (about 60 kB of TOML each)."""
    old = store.load(sample_path)
    old.sections = old.sections * 5
    new = copy.deepcopy(old)
    new.document.subject = "bản mới: " + new.document.subject
    new.sections = new.sections[:-3]
    return old, new


def _saver(target: Path, projects: tuple[Project, Project], ready: int) -> None:
    """In a forked child: announce the start, then save the two versions in turn forever."""
    try:
        os.write(ready, b"r")
        index = 1
        while True:
            store.save(projects[index % 2], target)
            index += 1
    finally:
        os._exit(0)


def _fork_saver(target: Path, projects: tuple[Project, Project]) -> int:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(read_end)
        _saver(target, projects, write_end)
    os.close(write_end)
    assert os.read(read_end, 1) == b"r"
    os.close(read_end)
    return pid


def test_a_save_killed_at_any_moment_leaves_the_old_or_the_new_file(tmp_path, versions):
    old, new = versions
    contents = {store.dumps(old).encode(): "old", store.dumps(new).encode(): "new"}
    target = tmp_path / "report.toml"
    store.save(old, target)
    started = time.perf_counter()
    store.save(new, target)
    store.save(old, target)
    one_save = (time.perf_counter() - started) / 2
    rng = random.Random(20210402)
    seen: dict[str, int] = {"old": 0, "new": 0}
    interrupted = 0  # runs killed mid-write: a temporary file was left behind
    for _run in range(KILL_RUNS):
        pid = _fork_saver(target, versions)
        time.sleep(rng.uniform(0, 3 * one_save))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        data = target.read_bytes()
        assert data in contents, f"report.toml is neither version ({len(data)} bytes)"
        seen[contents[data]] += 1
        backup = backup_path(target)
        if backup.exists():
            assert backup.read_bytes() in contents
        leftovers = [path for path in tmp_path.iterdir() if path.name.endswith(".tmp")]
        interrupted += bool(leftovers)
        for path in leftovers:
            path.unlink()
        store.save(old, target)  # the next run starts from the old version again
    assert store.load(target) == old
    # The kills did land both between saves and in the middle of them.
    assert seen["old"] and seen["new"], seen
    assert interrupted, "no kill ever landed inside a save; the test proves nothing"


def test_readers_never_find_the_file_missing_or_partial(tmp_path, versions):
    old, new = versions
    contents = {store.dumps(old).encode(), store.dumps(new).encode()}
    target = tmp_path / "report.toml"
    store.save(old, target)
    pid = _fork_saver(target, versions)
    try:
        for _ in range(400):
            assert target.read_bytes() in contents
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def test_save_keeps_the_previous_version_as_bak(tmp_path, versions):
    old, new = versions
    target = tmp_path / "report.toml"
    store.save(old, target)
    assert not backup_path(target).exists()  # nothing was there before
    store.save(new, target)
    assert backup_path(target).name == "report.toml.bak"
    assert store.load(backup_path(target)) == old
    assert store.load(target) == new
    # Saving the same text again writes nothing, so the backup keeps the real previous version.
    store.save(new, target)
    assert store.load(backup_path(target)) == old


def test_backup_is_copied_where_hard_links_are_not_allowed(tmp_path, versions, monkeypatch):
    old, new = versions
    target = tmp_path / "report.toml"
    store.save(old, target)

    def no_links(*_args, **_kwargs):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    store.save(new, target)
    assert store.load(backup_path(target)) == old
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.toml", "report.toml.bak"]


def test_save_refuses_to_overwrite_a_file_changed_since_loading(tmp_path, versions):
    old, _new = versions
    target = tmp_path / "report.toml"
    store.save(old, target)
    project, loaded = store.load_with_fingerprint(target)
    assert loaded == store.file_fingerprint(target)
    # Someone else saves the file meanwhile.
    theirs = target.read_text(encoding="utf-8").replace("Võ Văn Rân", "Nguyễn Văn Khác")
    target.write_text(theirs, encoding="utf-8")
    project.document.closing = "Sở Công Thương kính báo cáo lần nữa./."
    with pytest.raises(store.SaveConflict) as caught:
        store.save(project, target, expected=loaded)
    assert caught.value.actual == store.fingerprint(theirs.encode())
    assert "đã bị thay đổi trên đĩa" in str(caught.value)
    assert target.read_text(encoding="utf-8") == theirs  # their work is still there
    # The explicit overwrite path, and save-as, both work; the fingerprint follows the file.
    written = store.save(project, target, expected=loaded, overwrite=True)
    assert written == store.file_fingerprint(target)
    assert store.load(target).document.closing == project.document.closing
    assert store.load(backup_path(target)).document.signer.name == "Nguyễn Văn Khác"
    project.document.number = "17"
    store.save(project, target, expected=written)  # unchanged since our own save: no conflict


def test_save_conflict_when_the_file_was_removed(tmp_path, versions):
    old, _new = versions
    target = tmp_path / "report.toml"
    fingerprint = store.save(old, target)
    target.unlink()
    with pytest.raises(store.SaveConflict, match="đã bị xóa hoặc đổi tên") as caught:
        store.save(old, target, expected=fingerprint)
    assert caught.value.actual is None
    assert not target.exists()


def test_save_through_a_symlink_replaces_the_file_it_points_to(tmp_path, versions):
    old, new = versions
    real = tmp_path / "real" / "report.toml"
    real.parent.mkdir()
    store.save(old, real)
    link = tmp_path / "report.toml"
    link.symlink_to(real)
    store.save(new, link)
    assert link.is_symlink()
    assert store.load(real) == new
    assert store.load(backup_path(real)) == old


# -- two savers at once: the check and the replacement are one step ---------------------------

SIMULTANEOUS_ROUNDS = 200


def _contender(name: str, target: Path, orders: int, results: int) -> None:
    """In a forked child: each round, load when told, then save when told; report the outcome."""
    code = 0
    try:
        with os.fdopen(orders, "rb", buffering=0) as commands:
            while commands.read(1) == b"l":
                project, loaded = store.load_with_fingerprint(target)
                previous = project.document.number
                os.write(results, b"loaded\n")
                if commands.read(1) != b"s":
                    break
                project.document.number = f"{name}-after-{previous}"
                try:
                    store.save(project, target, expected=loaded)
                    outcome = "saved"
                except store.SaveConflict:
                    outcome = "conflict"
                os.write(results, f"{outcome} {project.document.number}\n".encode())
    except BaseException as error:  # reported to the test, which fails on it
        os.write(results, f"error {type(error).__name__}: {error}\n".encode())
        code = 1
    finally:
        os._exit(code)


def _start_contender(name: str, target: Path):
    orders_read, orders_write = os.pipe()
    results_read, results_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(orders_write)
        os.close(results_read)
        _contender(name, target, orders_read, results_write)
    os.close(orders_read)
    os.close(results_write)
    return pid, orders_write, os.fdopen(results_read, "r", encoding="utf-8")


def test_of_two_simultaneous_saves_one_wins_and_the_other_is_told(tmp_path):
    target = tmp_path / "report.toml"
    start = Project()
    start.document.number = "start"
    store.save(start, target)
    contenders = [_start_contender(name, target) for name in ("a", "b")]
    saved_before = target.read_bytes()
    try:
        for round_number in range(SIMULTANEOUS_ROUNDS):
            for _pid, orders, _results in contenders:
                os.write(orders, b"l")
            for _pid, _orders, results in contenders:  # both hold the same loaded version
                assert results.readline() == "loaded\n"
            for _pid, orders, _results in contenders:
                os.write(orders, b"s")  # … and save it at once
            outcomes = [results.readline().split() for _pid, _orders, results in contenders]
            assert all(outcome[0] in ("saved", "conflict") for outcome in outcomes), outcomes
            winners = [number for outcome, number in outcomes if outcome == "saved"]
            assert len(winners) == 1, f"round {round_number}: {outcomes}"
            assert store.load(target).document.number == winners[0]
            # The backup is the version this round replaced, whole.
            assert backup_path(target).read_bytes() == saved_before
            saved_before = target.read_bytes()
            leftovers = [path.name for path in tmp_path.iterdir() if path.name.endswith(".tmp")]
            assert leftovers == []
    finally:
        # Each child also holds the other's pipe ends (inherited at fork): closing ours is
        # not an end-of-file for it, so it is told to stop.
        for pid, orders, results in contenders:
            os.write(orders, b"q")
            os.close(orders)
            results.close()
            os.waitpid(pid, 0)


def test_many_saves_racing_freely_lose_no_version(tmp_path):
    # No rounds: two processes load and save as fast as they can for a while. Every version
    # names the one it was made from; the saved ones must form one chain (a version saved
    # twice over the same parent is a lost update) ending in the file, with its parent in .bak.
    target = tmp_path / "report.toml"
    start = Project()
    start.document.number = "start"
    store.save(start, target)
    children = []
    for name in ("a", "b"):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            os.close(read_end)
            code = 0
            try:
                for count in range(150):
                    project, loaded = store.load_with_fingerprint(target)
                    parent = project.document.number
                    project.document.number = f"{name}{count}"
                    project.document.place = parent
                    try:
                        store.save(project, target, expected=loaded)
                        os.write(write_end, f"saved {name}{count} {parent}\n".encode())
                    except store.SaveConflict:
                        os.write(write_end, b"conflict\n")
            except BaseException as error:
                os.write(write_end, f"error {error!r}\n".encode())
                code = 1
            finally:
                os._exit(code)
        os.close(write_end)
        children.append((pid, os.fdopen(read_end, "r", encoding="utf-8")))
    lines = []
    for pid, results in children:
        lines += results.read().splitlines()
        results.close()
        assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0, lines[-3:]
    saved = [line.split()[1:] for line in lines if line.startswith("saved")]
    assert len(saved) + sum(line == "conflict" for line in lines) == len(lines) == 300
    made_from = {parent: version for version, parent in saved}
    assert len(made_from) == len(saved), "two saves replaced the same version: one was lost"
    chain, current = [], "start"
    while current in made_from:
        current = made_from[current]
        chain.append(current)
    assert len(chain) == len(saved)
    final = store.load(target)
    assert final.document.number == chain[-1]
    assert store.load(backup_path(target)).document.number == final.document.place
    assert not [path for path in tmp_path.iterdir() if path.name.endswith(".tmp")]


# -- what killed saves leave behind is removed on the next open ----------------------------


def test_the_next_open_removes_what_killed_saves_left_behind(tmp_path, versions):
    from tongket.core.report import locking

    target = tmp_path / "report.toml"
    started = time.perf_counter()
    store.save(versions[1], target)
    store.save(versions[0], target)
    # Kills spread over a few saves of this machine, as in the test above: a fixed 20 ms
    # window missed every save on a loaded machine (the first save had not begun writing).
    one_save = (time.perf_counter() - started) / 2
    rng = random.Random(9)
    leftovers: list[Path] = []
    for _attempt in range(200):
        pid = _fork_saver(target, versions)
        time.sleep(rng.uniform(0, 3 * one_save))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        leftovers = [path for path in tmp_path.iterdir() if path.name.endswith(".tmp")]
        if leftovers:
            break
    assert leftovers, "no kill landed inside a save"
    lock = locking.acquire(target)  # opening the report for editing
    try:
        assert not [path for path in tmp_path.iterdir() if path.name.endswith(".tmp")]
        assert target.read_bytes() in {store.dumps(v).encode() for v in versions}
    finally:
        lock.release()


def test_only_abandoned_temporary_files_are_removed(tmp_path):
    from tongket.core.report.atomicfile import remove_abandoned_temporaries, temporary_path

    target = tmp_path / "report.toml"
    target.write_text("schema_version = 1\n", encoding="utf-8")
    gone = subprocess_pid_that_exited()

    def made(path: Path, age: float = 0.0) -> Path:
        path.write_bytes(b"partial")
        if age:
            os.utime(path, (time.time() - age, time.time() - age))
        return path

    live_mine = made(temporary_path(target))  # this process is writing it: never removed
    tag = live_mine.name.split(".")[-2]  # "<pid>-<host>-<random>"
    pid, host, _random = tag.split("-")
    dead_mine = made(tmp_path / f".report.toml.bak.{gone}-{host}-0badf00d.tmp")
    dead_lock = made(tmp_path / f".report.toml.lock.{gone}-{host}-0badf00e.tmp")
    dead_recovery = made(tmp_path / f"..report.toml.recovery.{gone}-{host}-0badf00f.tmp")
    fresh_elsewhere = made(tmp_path / f".report.toml.{pid}-000000-12345678.tmp")
    old_elsewhere = made(tmp_path / f".report.toml.{pid}-000000-87654321.tmp", age=60)
    old_legacy = made(tmp_path / ".report.toml.bak.a1b2c3d4.tmp", age=60)  # older tongket
    fresh_legacy = made(tmp_path / ".report.toml.k2j4_x9q.tmp")
    other_report = made(tmp_path / f".khac.toml.{gone}-{host}-0badf00d.tmp")
    removed = remove_abandoned_temporaries(target)
    assert sorted(path.name for path in removed) == sorted(
        path.name for path in (dead_mine, dead_lock, dead_recovery, old_elsewhere, old_legacy)
    )
    for kept in (live_mine, fresh_elsewhere, fresh_legacy, other_report, target):
        assert kept.exists(), kept.name


def subprocess_pid_that_exited() -> int:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def test_where_folders_cannot_be_locked_a_hidden_lock_file_serves(tmp_path, monkeypatch):
    # Some network file systems refuse `flock` on a folder (NFS wants a file open for writing).
    import errno
    import fcntl
    import stat as stat_module

    real_flock = fcntl.flock

    def no_folder_locks(descriptor, operation):
        if stat_module.S_ISDIR(os.fstat(descriptor).st_mode):
            raise OSError(errno.EBADF, "Bad file descriptor")
        return real_flock(descriptor, operation)

    target = tmp_path / "report.toml"
    store.save(Project(), target)
    target.chmod(0o640)
    monkeypatch.setattr(fcntl, "flock", no_folder_locks)
    fingerprint = store.file_fingerprint(target)
    project = Project()
    project.document.number = "2"
    store.save(project, target, expected=fingerprint)
    lock_file = tmp_path / ".report.toml.save-lock"  # empty, and shaped like the report
    assert lock_file.is_file() and stat_module.S_IMODE(lock_file.stat().st_mode) == 0o640
    with pytest.raises(store.SaveConflict):
        store.save(Project(), target, expected=fingerprint)
    assert store.load(target).document.number == "2"
