"""Never lose a draft: saves killed at random moments, the `.bak` copy, and save conflicts."""

from __future__ import annotations

import copy
import os
import random
import signal
import time
from pathlib import Path

import pytest

from tongket.core import store
from tongket.core.atomicfile import backup_path
from tongket.core.model import Project

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
