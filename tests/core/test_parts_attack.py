"""Included parts (`include`, `split`, `join`) attacked the way a careless colleague or another
account on a shared server would: a huge sparse part, a hard link under a second name, Windows
and home-folder paths, `join --remove` through a link, a parts folder nobody may write in,
Ctrl-C in the middle of `split`. Each: a precise Vietnamese message, nothing lost or orphaned."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from report_parts import PART, report_with, write

from tongket.core.cli import main
from tongket.core.problems import ReportFileError
from tongket.core.report import store


def load_error(path: Path) -> ReportFileError:
    with pytest.raises(ReportFileError) as caught:
        store.load(path)
    return caught.value


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


@pytest.fixture
def report(tmp_path: Path, sample_path: Path) -> Path:
    target = tmp_path / "bao-cao.toml"
    shutil.copyfile(sample_path, target)
    return target


def test_a_huge_sparse_part_is_refused_from_its_size_without_reading_it(tmp_path, monkeypatch):
    import tongket.core.report.atomicfile as atomicfile

    huge = tmp_path / "phan" / "a.toml"
    huge.parent.mkdir()
    with huge.open("wb") as handle:
        handle.truncate(64 * 1024 * 1024 + 1)  # sparse: no disk used, 64 MB of NUL when read
    opened = []
    real_open = os.open
    monkeypatch.setattr(
        atomicfile.os, "open", lambda path, *a, **k: opened.append(path) or real_open(path, *a, **k)
    )
    error = load_error(report_with(tmp_path, "phan/a.toml"))
    assert (error.line, error.key) == (6, "sections.1.include")
    assert "tệp 'phan/a.toml' quá lớn (67.108.865 byte; một tệp mục tối đa 64 MB)" in str(error)
    assert Path(huge) not in map(Path, opened)  # refused from its size, never opened


def test_a_hard_link_to_an_included_file_is_the_same_file(tmp_path):
    write(tmp_path / "phan" / "a.toml", PART)
    os.link(tmp_path / "phan" / "a.toml", tmp_path / "phan" / "b.toml")
    error = load_error(report_with(tmp_path, "phan/a.toml", "phan/b.toml"))
    assert (error.line, error.key) == (9, "sections.2.include")
    assert "'phan/b.toml' là cùng một tệp với 'phan/a.toml'" in str(error)


def test_saving_two_sections_into_one_file_through_a_hard_link_is_refused(tmp_path):
    write(tmp_path / "phan" / "a.toml", PART)
    os.link(tmp_path / "phan" / "a.toml", tmp_path / "phan" / "b.toml")
    report = report_with(tmp_path, "phan/a.toml")
    project = store.load(report)
    copy = store.loads_part(PART, "x")
    copy.include = "phan/b.toml"  # as an editor or a script might add it
    project.sections.append(copy)
    project.sections[0].heading = "đổi"
    before = snapshot(tmp_path)
    with pytest.raises(ReportFileError) as caught:
        store.save(project, report)
    assert caught.value.key == "sections.2.include"
    assert "tệp 'phan/b.toml' đã được dùng cho mục 1" in str(caught.value)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("include", "expected"),
    [
        ("C:/Users/ke-toan/a.toml", "là đường dẫn Windows có ổ đĩa (C:)"),
        ("d:", "là đường dẫn Windows có ổ đĩa (d:)"),
        ("~/phan/a.toml", "tongket không hiểu '~' là thư mục nhà"),
    ],
)
def test_windows_and_home_folder_paths_are_refused_with_a_hint(tmp_path, include, expected):
    error = load_error(report_with(tmp_path, include))
    assert (error.line, error.key) == (6, "sections.1.include")
    assert f"'{include}'" in str(error) and expected in str(error)


def test_join_remove_deletes_the_link_never_the_file_it_leads_to(report, capsys):
    assert main(["split", str(report), "--sections", "2.5."]) == 0
    folder = report.parent / "phan"
    [part] = folder.iterdir()
    shared = folder / "chung.toml"  # another office's file, which the link leads to
    part.rename(shared)
    part.symlink_to(shared.name)
    kept = shared.read_bytes()
    capsys.readouterr()
    assert main(["join", str(report), "--remove"]) == 0
    assert f"đã xóa {part}" in capsys.readouterr().out
    assert not os.path.lexists(part)
    assert shared.read_bytes() == kept


def test_split_names_a_parts_folder_it_may_not_write_in(report, capsys, monkeypatch):
    import tongket.core.commands.split as split

    parts = report.parent / "phan"
    parts.mkdir()
    real_access = os.access

    def access(path, mode, **kwargs):  # as for another account's read-only folder
        return False if Path(path) == parts else real_access(path, mode, **kwargs)

    monkeypatch.setattr(split.os, "access", access)
    before = snapshot(report.parent)
    assert main(["split", str(report)]) == 2
    err = capsys.readouterr().err
    assert f"{parts}: không có quyền ghi vào thư mục này (để tạo các tệp mục)" in err
    assert snapshot(report.parent) == before


def test_ctrl_c_in_the_middle_of_split_leaves_no_orphan_part(report, capsys, monkeypatch):
    original = report.read_bytes()

    def interrupted(*args, **kwargs):  # the parts are written; then Ctrl-C, before the report
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(store, "atomic_write", interrupted)
        assert main(["split", str(report)]) == 130
    assert report.read_bytes() == original
    assert not (report.parent / "phan").exists()  # no part left to block the next split
    capsys.readouterr()
    assert main(["split", str(report)]) == 0
    assert store.load(report) == store.load(report.with_suffix(".toml.bak"))


def test_a_report_opened_through_a_link_keeps_its_parts_beside_the_file_itself(
    tmp_path, sample_path, capsys
):
    real = tmp_path / "chung" / "bao-cao.toml"
    real.parent.mkdir()
    shutil.copyfile(sample_path, real)
    link = tmp_path / "nha" / "bc.toml"  # a colleague's shortcut to the shared report
    link.parent.mkdir()
    link.symlink_to(real)
    assert main(["split", str(link), "--sections", "2.5."]) == 0
    assert [path.name for path in (real.parent / "phan").iterdir()] == ["2.5-media.toml"]
    assert not (link.parent / "phan").exists()
    assert store.load(real) == store.load(link)  # the others, opening the file itself, find it
    capsys.readouterr()
    assert main(["join", str(link), "--remove"]) == 0
    assert list((real.parent / "phan").iterdir()) == []
    assert store.load(real) == store.load(sample_path)


def test_a_section_numbered_two_hundred_levels_deep_still_splits(report, capsys):
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace('number = "2.5."', f'number = "{"1." * 200}"', 1), "utf-8")
    assert main(["split", str(report)]) == 0
    names = [path.name for path in (report.parent / "phan").iterdir()]
    assert max(len(name) for name in names) < 100
    assert "1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1-media.toml" in names


def test_parts_left_by_a_killed_split_are_all_named_as_such(report, capsys):
    original = report.read_bytes()
    assert main(["split", str(report), "--sections", "2.1.,2.2."]) == 0
    report.write_bytes(original)  # killed after writing the parts, before the report
    capsys.readouterr()
    before = snapshot(report.parent)
    assert main(["split", str(report), "--sections", "2.1.,2.2."]) == 2
    err = capsys.readouterr().err
    first = report.parent / "phan" / "2.1-economic-results.toml"
    assert f"{first}: tệp đã có; không ghi đè (và " in err and "2.2-partnerships.toml)" in err
    assert "các tệp này giống hệt mục cần tách, có lẽ do một lần tách trước bị ngắt" in err
    assert snapshot(report.parent) == before


@pytest.mark.parametrize("mode", [0o777, 0o1777])
def test_split_refuses_a_parts_folder_anyone_may_write_in(report, capsys, mode):
    parts = report.parent / "phan"  # made by another account in a shared folder
    parts.mkdir()
    os.chmod(parts, mode)
    if mode & 0o1000:
        os.chown(parts, 65534, -1)  # sticky, but its owner may still replace every file
    before = snapshot(report.parent)
    assert main(["split", str(report)]) == 2
    err = capsys.readouterr().err
    assert f"thư mục {parts} cho mọi người ghi (chmod o+w)" in err and "chmod o-w" in err
    assert snapshot(report.parent) == before and list(parts.iterdir()) == []


def test_split_into_a_sticky_folder_of_ones_own_is_allowed(report, capsys):
    parts = report.parent / "phan"
    parts.mkdir()
    os.chmod(parts, 0o1777)  # like /tmp: nobody else may replace the parts written there
    assert main(["split", str(report), "--sections", "2.5."]) == 0
    assert [path.name for path in parts.iterdir()] == ["2.5-media.toml"]


def test_a_huge_sparse_report_is_refused_from_its_size_without_reading_it(tmp_path, capsys):
    # The report itself had no limit: a 2 GB sparse file was read whole (30 s, 6 GB).
    from tongket.core.cli import main
    from tongket.core.report.store import MAX_REPORT_BYTES

    report = tmp_path / "lon.toml"
    with open(report, "wb") as sparse:
        sparse.truncate(MAX_REPORT_BYTES + 1)
    assert main(["check", str(report)]) == 2
    assert "tệp lớn hơn 256 MB, không phải một báo cáo; không đọc" in capsys.readouterr().err


def test_a_whole_report_named_as_a_part_says_what_a_part_holds(tmp_path, capsys):
    # "phan/a.toml: sections: khóa không được biết", with no line and no hint.
    write(
        tmp_path / "phan" / "a.toml",
        'schema_version = 1\n\n[[sections]]\ntype = "free-text"\nnumber = "2."\n',
    )
    report = report_with(tmp_path, "phan/a.toml")
    error = load_error(report)
    assert str(error).startswith(f"{tmp_path / 'phan' / 'a.toml'}:3: sections.1: tệp phần chứa")
    assert "không có [[sections]]: đây giống một báo cáo đầy đủ" in str(error)
