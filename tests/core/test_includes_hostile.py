"""Included section files (`include`) under attack or careless use: one file named twice, odd
and absurd paths, special files, concurrent split and join, a part's owner and permissions.
Each case: a precise message naming the file and key, a non-zero exit, nothing lost."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from report_parts import PART, report_with, write

from tongket.core.cli import main
from tongket.core.problems import ReportFileError
from tongket.core.report import store
from tongket.core.report.includes import PartReadOnly
from tongket.core.report.session import DraftSession

SCRIPT = Path(sys.executable).with_name("tongket")


def load_error(path: Path) -> ReportFileError:
    before = sorted(p.name for p in path.parent.rglob("*"))
    with pytest.raises(ReportFileError) as caught:
        store.load(path)
    assert sorted(p.name for p in path.parent.rglob("*")) == before  # nothing written
    return caught.value


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


# -- one file, two names -----------------------------------------------------------------------


@pytest.mark.parametrize("other", ["./phan/a.toml", "phan//a.toml", "phan/./a.toml", "phan/b.toml"])
def test_the_same_file_under_another_name_is_refused(tmp_path, other):
    write(tmp_path / "phan" / "a.toml", PART)
    (tmp_path / "phan" / "b.toml").symlink_to("a.toml")
    error = load_error(report_with(tmp_path, "phan/a.toml", other))
    assert (error.line, error.key) == (9, "sections.2.include")
    assert f"'{other}' là cùng một tệp với 'phan/a.toml' đã được include ở một mục trước" in str(
        error
    )


def test_saving_two_sections_into_one_file_is_refused_before_writing(tmp_path):
    write(tmp_path / "phan" / "a.toml", PART)
    report = report_with(tmp_path, "phan/a.toml")
    project = store.load(report)
    copy = store.loads_part(PART, "x")
    copy.include = "./phan/a.toml"  # as an editor or a script might add it
    project.sections.append(copy)
    project.sections[0].heading = "đổi"
    before = snapshot(tmp_path)
    with pytest.raises(ReportFileError) as caught:
        store.save(project, report)
    assert caught.value.key == "sections.2.include" and "đã được dùng cho mục 1" in str(
        caught.value
    )
    assert snapshot(tmp_path) == before


# -- odd and absurd paths ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("include", "shown"),
    [
        ("phan/\\u001b]0;x\\u0007.toml", "U+001B"),
        ("phan/a\\nb.toml", "U+000A"),
        ("phan/\\u009b2J.toml", "U+009B"),
        ("phan/abc\\u202eLMX.toml", "U+202E"),
        ("phan/\\u2066x.toml", "U+2066"),
    ],
)
def test_control_and_bidi_characters_in_a_path_are_refused(tmp_path, include, shown):
    name = include.encode().decode("unicode_escape")
    write(tmp_path / name, PART)  # the file exists: refused for its name, not for missing
    error = load_error(report_with(tmp_path, include))
    assert error.key == "sections.1.include"
    assert f"đường dẫn có ký tự điều khiển hoặc đổi chiều chữ ({shown})" in str(error)
    message = str(error)
    assert not any(char in message for char in "\x1b\x07\n\x9b\u202e\u2066")


def test_an_absurdly_long_path_is_refused_briefly(tmp_path):
    long_name = "a" * 300 + ".toml"
    deep = "/".join(["thu-muc"] * 200) + "/p.toml"
    for include in (long_name, deep):
        error = load_error(report_with(tmp_path, include))
        assert "đường dẫn quá dài" in str(error) and error.key == "sections.1.include"
        assert len(str(error)) < 400  # the path is shortened in the message


def test_a_device_is_refused_without_opening_it(tmp_path):
    (tmp_path / "zero.toml").symlink_to("/dev/zero")
    error = load_error(report_with(tmp_path, "zero.toml"))
    assert "liên kết tượng trưng trỏ ra ngoài" in str(error)
    report = write(
        tmp_path / "r.toml",
        'schema_version = 1\n[[sections]]\ninclude = "/dev/zero"\nallow_outside = true\n',
    )
    assert "'/dev/zero' là một thiết bị ký tự" in str(load_error(report))


# -- new parts, owners and permissions ---------------------------------------------------------


@pytest.fixture
def report(tmp_path: Path, sample_path: Path) -> Path:
    target = tmp_path / "bao-cao.toml"
    shutil.copyfile(sample_path, target)
    return target


@contextlib.contextmanager
def umask(value: int):
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def test_split_parts_are_no_more_readable_than_the_report(report, capsys):
    report.chmod(0o600)
    report.parent.chmod(0o750)
    with umask(0o022):  # a new file would be world-readable
        assert main(["split", str(report), "--sections", "2.1.", "--dir", "phan/moi"]) == 0
    capsys.readouterr()
    [part] = (report.parent / "phan" / "moi").iterdir()
    assert stat.S_IMODE(part.stat().st_mode) == 0o600
    for folder in (report.parent / "phan", report.parent / "phan" / "moi"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o750


def test_a_parts_folder_is_never_world_writable(tmp_path, sample_path, capsys):
    shared = tmp_path / "chung"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp
    target = shared / "bao-cao.toml"
    shutil.copyfile(sample_path, target)
    assert main(["split", str(target), "--sections", "2.1."]) == 0
    capsys.readouterr()
    assert stat.S_IMODE((shared / "phan").stat().st_mode) == 0o775


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another account needs root")
def test_saving_a_part_keeps_its_owner_group_and_mode(report, capsys):
    assert main(["split", str(report), "--sections", "2.1."]) == 0
    capsys.readouterr()
    [part] = (report.parent / "phan").iterdir()
    os.chown(part, 4201, 4300)
    part.chmod(0o640)
    project = store.load(report)
    project.sections[next(i for i, s in enumerate(project.sections) if s.include)].heading = "mới"
    store.save(project, report)
    info = part.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (4201, 4300, 0o640)
    assert "mới" in part.read_text(encoding="utf-8")


def test_a_read_only_part_is_not_replaced(report, capsys):
    assert main(["split", str(report), "--sections", "2.1.,2.3."]) == 0
    capsys.readouterr()
    parts = sorted((report.parent / "phan").iterdir())
    parts[0].chmod(0o444)
    project, loaded = store.load_with_fingerprint(report)
    first = next(i for i, s in enumerate(project.sections) if s.include)
    project.sections[first].heading = "đổi"
    project.sections[first + 1].heading = "đổi nữa"  # the writable part: not written either
    before = snapshot(report.parent)
    with pytest.raises(PartReadOnly) as caught:
        store.save(project, report, expected=loaded)
    assert (
        "tệp mục" in caught.value.strerror and "2.1-economic-results.toml" in caught.value.strerror
    )
    assert "chỉ cho đọc" in caught.value.strerror
    assert snapshot(report.parent) == before
    unchanged = store.load(report)  # a read-only part nobody changed does not stop a save
    unchanged.document.subject = "trích yếu mới"
    store.save(unchanged, report)


# -- split and join racing others --------------------------------------------------------------


@pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is not installed")
def test_two_splits_of_one_report_at_once_leave_it_whole(tmp_path, sample_path):
    for attempt in range(3):
        folder = tmp_path / f"lan-{attempt}"
        folder.mkdir()
        target = folder / "bao-cao.toml"
        shutil.copyfile(sample_path, target)
        runs = [
            subprocess.Popen(
                [str(SCRIPT), "split", "bao-cao.toml", "--sections", sections],
                cwd=folder,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for sections in ("2.1.", "2.1.,2.3.")
        ]
        results = [(run.wait(60), run.stderr.read()) for run in runs]
        assert 0 in [code for code, _err in results], results
        for code, err in results:
            assert code in (0, 2) and "Traceback" not in err and "không lường trước" not in err
        project = store.load(target)
        assert project == store.load(sample_path)  # every value, every section once
        used = {section.include for section in project.sections if section.include}
        made = {f"phan/{path.name}" for path in (folder / "phan").iterdir()}
        assert made == used  # no orphan part left by the loser


def test_join_refuses_a_part_someone_is_editing(report, capsys):
    assert main(["split", str(report), "--sections", "2.1."]) == 0
    coordinator = DraftSession.open(report, lock=True)  # holds the report itself
    office = DraftSession.open(report, lock=True)  # may still edit any part nobody holds
    try:
        index = next(i for i, s in enumerate(office.project.sections) if s.include)
        office.set_value(("sections", index, "heading"), "đang sửa, chưa lưu")
        coordinator.release_lock()  # the report is free again; the part is not
        capsys.readouterr()
        before = snapshot(report.parent)
        assert main(["join", str(report), "--remove"]) == 2
        err = capsys.readouterr().err
        assert "2.1-economic-results.toml" in err and "đang được mở để sửa bởi" in err
        assert snapshot(report.parent) == before
    finally:
        office.release_lock()
        coordinator.release_lock()


def test_join_refuses_a_part_saved_after_it_was_read(report, capsys, monkeypatch):
    import tongket.core.commands as commands

    assert main(["split", str(report), "--sections", "2.1."]) == 0
    [part] = (report.parent / "phan").iterdir()
    real_holding = commands.holding

    @contextlib.contextmanager
    def holding_after_a_save(path):
        with real_holding(path):
            if Path(path) == part:  # saved by someone between join's reading and locking
                part.write_text(part.read_text(encoding="utf-8") + "\n# sửa\n", encoding="utf-8")
            yield

    monkeypatch.setattr(commands, "holding", holding_after_a_save)  # as join looks it up
    capsys.readouterr()
    report_bytes = report.read_bytes()
    assert main(["join", str(report), "--remove"]) == 2
    err = capsys.readouterr().err
    assert f"{part.relative_to(report.parent.parent).name}" in err or "phan/" in err
    assert "đã thay đổi trên đĩa sau khi đọc" in err and "chưa gộp gì" in err
    assert report.read_bytes() == report_bytes
    assert part.read_text(encoding="utf-8").endswith("# sửa\n")  # their save survives


def test_split_refuses_odd_folders_and_writes_nothing(report, tmp_path, capsys):
    outside = tmp_path.with_name(tmp_path.name + "-ngoai")
    outside.mkdir()
    (report.parent / "lien-ket").symlink_to(outside)
    write(report.parent / "tep", "không phải thư mục\n")
    before = snapshot(report.parent)
    cases = {
        "lien-ket": "là liên kết tượng trưng trỏ ra ngoài thư mục của báo cáo",
        "tep/con": "tep là một tệp thường, không phải thư mục",
        "a\x1bb": "ký tự điều khiển",
    }
    for folder, expected in cases.items():
        assert main(["split", str(report), "--sections", "2.1.", "--dir", folder]) == 2
        err = capsys.readouterr().err
        assert f"{report}: --dir" in err and expected in err, err
        assert "không lường trước" not in err
    assert snapshot(report.parent) == before
    assert list(outside.iterdir()) == []
