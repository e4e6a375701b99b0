"""Sections kept in their own files (`include`): loading, checks, every bad input, saving, and
two sessions editing different parts of one report."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from tongket.core.cli import main
from tongket.core.problems import ReportFileError
from tongket.core.render.document import render_document
from tongket.core.report import locking, store
from tongket.core.report.includes import part_file_name, slug
from tongket.core.report.session import DraftSession, ReadOnlyError
from tongket.core.writers.textrender import render_text

SPLIT = {"2.1.": "phan/2.1-kinh-te.toml", "2.3.": "phan/2.3-xuc-tien.toml"}


@pytest.fixture
def report(tmp_path: Path, sample_path: Path) -> Path:
    """A copy of the sample with sections 2.1. and 2.3. in files of their own."""
    target = tmp_path / "bao-cao.toml"
    shutil.copyfile(sample_path, target)
    project = store.load(target)
    for section in project.sections:
        section.include = SPLIT.get(section.number)
    store.save(project, target)
    return target


def index_of(project, number: str) -> int:
    return next(i for i, section in enumerate(project.sections) if section.number == number)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def one_include(tmp_path: Path, include: str, extra: str = "") -> Path:
    return write(
        tmp_path / "r.toml",
        f'schema_version = 1\n[document]\nkind = "cong-van"\n\n'
        f'[[sections]]\ntype = "free-text"\nnumber = "1."\n\n'
        f'[[sections]]\ninclude = "{include}"\n{extra}',
    )


PART = 'schema_version = 1\ntype = "free-text"\nnumber = "2."\n\n[data]\ntext = "Nội dung."\n'


# -- loading ----------------------------------------------------------------------------------


def test_an_included_section_loads_as_if_inline(report, sample_path):
    project = store.load(report)
    assert project == store.load(sample_path)  # every value kept
    assert [s.include for s in project.sections if s.include] == list(SPLIT.values())
    text = report.read_text(encoding="utf-8")
    assert 'include = "phan/2.1-kinh-te.toml"' in text
    assert "economic-results" not in text  # the section's own keys live in its file
    part = (report.parent / "phan/2.1-kinh-te.toml").read_text(encoding="utf-8")
    assert part.startswith("schema_version = 1\n") and 'type = "economic-results"' in part


def test_render_is_the_same_as_for_the_inline_report(report, sample_path, host):
    split = render_text(render_document(store.load(report), host))
    inline = render_text(render_document(store.load(sample_path), host))
    assert split == inline


def test_check_names_the_included_file_and_its_line(report, capsys, monkeypatch):
    part = report.parent / "phan/2.1-kinh-te.toml"
    text = part.read_text(encoding="utf-8")
    assert 'heading = ""' in text
    text = text.replace('heading = ""', f'heading = "{"x" * 301}"', 1)
    part.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("heading"))
    monkeypatch.chdir(report.parent)
    assert main(["check", "bao-cao.toml"]) == 1
    out = capsys.readouterr().out
    index = index_of(store.load(report), "2.1.") + 1
    assert f"phan/2.1-kinh-te.toml:{line}: sections.{index}.heading: cảnh báo: dài 301" in out
    # Seen from another folder, the part is named the way the report was.
    monkeypatch.chdir(report.parent.parent)
    main(["check", f"{report.parent.name}/bao-cao.toml"])
    assert f"{report.parent.name}/phan/2.1-kinh-te.toml:{line}:" in capsys.readouterr().out


def test_file_names_are_ascii_slugs_of_number_and_heading():
    from tongket.core.report.model import Section

    assert slug("Xuất khẩu, Đầu tư") == "xuat-khau-dau-tu"
    assert part_file_name(Section("x", "2.1.", "Xuất khẩu"), 4) == "2.1-xuat-khau.toml"
    assert part_file_name(Section("free-text", "", ""), 3) == "muc-3-free-text.toml"


# -- bad input: precise errors, nothing written --------------------------------------------------


def load_error(path: Path) -> ReportFileError:
    before = sorted(p.name for p in path.parent.rglob("*"))
    with pytest.raises(ReportFileError) as caught:
        store.load(path)
    assert sorted(p.name for p in path.parent.rglob("*")) == before  # nothing written
    return caught.value


def test_a_missing_included_file_names_the_report_line(tmp_path):
    error = load_error(one_include(tmp_path, "phan/khong-co.toml"))
    assert error.file.endswith("r.toml") and error.line == 10
    assert error.key == "sections.2.include" and "không tìm thấy tệp 'phan/khong-co.toml'" in str(
        error
    )


def test_a_folder_or_fifo_is_refused_without_opening_it(tmp_path):
    (tmp_path / "phan").mkdir()
    assert "là một thư mục" in str(load_error(one_include(tmp_path, "phan")))
    os.mkfifo(tmp_path / "ong.toml")
    result: list = []
    thread = threading.Thread(
        target=lambda: result.append(load_error(one_include(tmp_path, "ong.toml")))
    )
    thread.start()
    thread.join(5)
    assert not thread.is_alive(), "a FIFO was opened"
    assert "FIFO" in str(result[0])


def test_an_unreadable_part_is_named(tmp_path, monkeypatch):
    write(tmp_path / "p.toml", PART)

    def refused(path, **_options):
        raise PermissionError(13, "Permission denied", str(path))

    # Root reads every file, so the refusal a drafter meets is stood in for.
    monkeypatch.setattr("tongket.core.report.includes.read_regular_file", refused)
    assert "không có quyền đọc tệp 'p.toml'" in str(load_error(one_include(tmp_path, "p.toml")))


@pytest.mark.parametrize("include", ["../ngoai.toml", "/etc/passwd", "a\\\\b.toml", ""])
def test_paths_outside_the_report_folder_are_refused(tmp_path, include):
    inner = tmp_path / "bc"
    write(tmp_path / "ngoai.toml", PART)
    error = load_error(one_include(inner, include))
    assert error.key == "sections.2.include" and error.line == 10


def test_allow_outside_lets_a_part_come_from_elsewhere(tmp_path):
    write(tmp_path / "chung" / "p.toml", PART)
    report = one_include(tmp_path / "bc", "../chung/p.toml", "allow_outside = true\n")
    project = store.load(report)
    assert project.sections[1].data["text"] == "Nội dung."
    store.save(project, report)
    assert "allow_outside = true" in report.read_text(encoding="utf-8")  # kept on save


def test_a_link_leading_out_of_the_folder_is_refused(tmp_path):
    write(tmp_path / "ngoai.toml", PART)
    (tmp_path / "bc").mkdir()
    (tmp_path / "bc" / "p.toml").symlink_to(tmp_path / "ngoai.toml")
    error = load_error(one_include(tmp_path / "bc", "p.toml"))
    assert "liên kết tượng trưng trỏ ra ngoài" in str(error)


def test_nesting_and_cycles_are_refused(tmp_path):
    write(tmp_path / "p.toml", 'include = "q.toml"\n')
    error = load_error(one_include(tmp_path, "p.toml"))
    assert error.file == str(tmp_path / "p.toml") and error.line == 1
    assert "chỉ một cấp" in str(error)
    assert "include vòng tròn" in str(load_error(one_include(tmp_path, "r.toml")))
    twice = one_include(tmp_path, "p2.toml", '\n[[sections]]\ninclude = "p2.toml"\n')
    write(tmp_path / "p2.toml", PART)
    assert "đã được include" in str(load_error(twice))


def test_errors_inside_a_part_name_the_part_and_its_line(tmp_path):
    report = one_include(tmp_path, "p.toml")
    write(tmp_path / "p.toml", 'schema_version = 1\ntype = "free-text"\nnumbr = "2."\n')
    error = load_error(report)
    assert (error.file, error.line, error.key) == (str(tmp_path / "p.toml"), 3, "numbr")
    write(tmp_path / "p.toml", "schema_version = 9\n")
    assert "phiên bản lược đồ 9" in str(load_error(report))
    write(tmp_path / "p.toml", 'type = "free-text"\ntext = \n')
    error = load_error(report)
    assert error.file.endswith("p.toml") and error.line == 2 and "TOML không hợp lệ" in str(error)
    (tmp_path / "p.toml").write_bytes(b'type = "\xff"\n')
    assert "không phải UTF-8" in str(load_error(report))
    write(tmp_path / "r.toml", '[[sections]]\ninclude = "p.toml"\ntype = "x"\n')
    assert load_error(tmp_path / "r.toml").key == "sections.1.type"


# -- saving ------------------------------------------------------------------------------------


def test_saving_writes_only_the_files_that_changed(report):
    project, fingerprint = store.load_with_fingerprint(report)
    one, other = report.parent / SPLIT["2.1."], report.parent / SPLIT["2.3."]
    before = {path: os.stat(path).st_ino for path in (report, one, other)}
    project.sections[index_of(project, "2.3.")].data["intro"] = "Đã sửa."
    store.save(project, report, expected=fingerprint)
    assert os.stat(one).st_ino == before[one]  # untouched
    assert not one.with_name(one.name + ".bak").exists()
    assert os.stat(other).st_ino != before[other]  # replaced, its old version kept
    assert other.with_name(other.name + ".bak").read_text(encoding="utf-8") != other.read_text()
    assert store.load(report).sections[index_of(project, "2.3.")].data["intro"] == "Đã sửa."


def test_a_part_changed_on_disk_is_a_conflict_and_nothing_is_written(report):
    project, fingerprint = store.load_with_fingerprint(report)
    part = report.parent / SPLIT["2.1."]
    part.write_text(part.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # someone else
    project.document.subject = "đổi"
    project.sections[index_of(project, "2.1.")].heading = "đổi"
    main_bytes = report.read_bytes()
    with pytest.raises(store.SaveConflict) as caught:
        store.save(project, report, expected=fingerprint)
    assert caught.value.file.endswith(SPLIT["2.1."])
    assert report.read_bytes() == main_bytes
    store.save(project, report, expected=fingerprint, overwrite=True)
    assert store.load(report).sections[index_of(project, "2.1.")].heading == "đổi"


def test_a_part_keeps_its_permissions(report):
    part = report.parent / SPLIT["2.1."]
    part.chmod(0o640)
    project = store.load(report)
    project.sections[index_of(project, "2.1.")].heading = "mới"
    store.save(project, report)
    assert part.stat().st_mode & 0o777 == 0o640


# -- sessions ----------------------------------------------------------------------------------


def test_two_sessions_edit_different_parts_at_once(report):
    first = DraftSession.open(report, lock=True)
    second = DraftSession.open(report, lock=True)
    try:
        one, other = index_of(first.project, "2.1."), index_of(first.project, "2.3.")
        assert second.locked_by is not None and not second.read_only  # the parts are free
        first.set_value(("sections", one, "heading"), "Phần của Phòng A")
        second.set_value(("sections", other, "heading"), "Phần của Phòng B")
        # The same part: refused, naming who holds it.
        with pytest.raises(ReadOnlyError) as caught:
            second.set_value(("sections", one, "heading"), "giành sửa")
        assert "đang được mở để sửa bởi" in caught.value.message
        assert second.section_holder(one) is not None and second.section_holder(other) is None
        assert set(second.read_only_sections()) >= {one, 0}  # the part and the inline sections
        with pytest.raises(ReadOnlyError):  # the report itself is the first session's
            second.set_value(("document", "subject"), "đổi")
        second.save()
        first.save()
        again = store.load(report)
        assert again.sections[one].heading == "Phần của Phòng A"
        assert again.sections[other].heading == "Phần của Phòng B"
    finally:
        first.release_lock()
        second.release_lock()
    assert not list(report.parent.rglob("*.lock"))


def test_each_part_has_its_own_lock_and_recovery_copy(report):
    session = DraftSession.open(report, lock=True)
    try:
        index = index_of(session.project, "2.1.")
        session.set_value(("sections", index, "heading"), "chưa lưu")
        part = report.parent / SPLIT["2.1."]
        assert locking.read_lock(part) is not None
        written = session.write_recovery(force=True)
        assert written == part.with_name(f".{part.name}.recovery")
        assert not (report.parent / ".bao-cao.toml.recovery").exists()  # the report is unchanged
    finally:
        session.release_lock()  # as after a crash, the copy stays
    later = DraftSession.open(report, lock=True)
    try:
        copies = later.part_recoveries()
        assert list(copies) == [SPLIT["2.1."]]
        assert later.restore_parts(copies) == [SPLIT["2.1."]]
        assert later.project.sections[index].heading == "chưa lưu" and later.dirty
        later.save()
        assert not later.part_recoveries()
    finally:
        later.release_lock()


def test_unlocked_sessions_saving_the_same_part_conflict(report):
    first, second = DraftSession.open(report), DraftSession.open(report)
    index = index_of(first.project, "2.3.")
    first.set_value(("sections", index, "heading"), "một")
    second.set_value(("sections", index, "heading"), "hai")
    first.save()
    with pytest.raises(store.SaveConflict) as caught:
        second.save()
    assert caught.value.file.endswith(SPLIT["2.3."])


def test_split_then_load_gives_an_equal_model_for_the_sample(tmp_path, sample_path):
    target = tmp_path / "bao-cao.toml"
    shutil.copyfile(sample_path, target)
    assert main(["split", str(target), "--all"]) == 0
    assert store.load(target) == store.load(sample_path)
    assert main(["join", str(target), "--remove"]) == 0
    assert store.load(target) == store.load(sample_path)
    assert "include" not in target.read_text(encoding="utf-8")


def test_a_part_copy_that_is_not_utf8_is_a_message_not_a_crash(report):
    # A cp1258 byte in a part's recovery copy raised UnicodeDecodeError out of restore_parts,
    # which the app does not catch: the app stopped.
    from tongket.core.problems import ReportFileError

    session = DraftSession.open(report, lock=True)
    try:
        index = index_of(session.project, "2.1.")
        session.set_value(("sections", index, "heading"), "chưa lưu")
        copy = session.write_recovery(force=True)
    finally:
        session.release_lock()
    copy.write_bytes(copy.read_bytes().replace("chưa lưu".encode(), b"ch\xfaa l\xfau"))
    later = DraftSession.open(report, lock=True)
    try:
        copies = later.part_recoveries()
        with pytest.raises(ReportFileError, match="UTF-8"):
            later.restore_parts(copies)
    finally:
        later.release_lock()
