"""The report file: TOML round-trip, NFC, precise errors, atomic writes, unknown section types."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
import unicodedata
from pathlib import Path

import pytest
from test_locking import no_longer_than

from tongket.core.problems import ReportFileError
from tongket.core.report import store
from tongket.core.report.model import Project, Section

MINIMAL = """\
schema_version = 1

[document]
kind = "cong-van"
agency = "SỞ CÔNG THƯƠNG"
symbol = "SCT-VP"
place = "Quảng Ngãi"
date = 2021-04-02
subject = "báo cáo tổng kết"
recipients = ["Sở Ngoại vụ"]
distribution = ["Như trên", "Lưu: VT, VP"]

[document.signer]
head_title = "GIÁM ĐỐC"
name = "Võ Văn Rân"
"""


def test_sample_round_trips_to_an_equal_model(sample_project, tmp_path):
    target = tmp_path / "copy.toml"
    store.save(sample_project, target)
    again = store.load(target)
    assert again == sample_project
    # and the second save writes the same text: nothing drifts
    assert store.dumps(again) == target.read_text(encoding="utf-8")


def test_saved_file_is_plain_toml_a_person_can_read(sample_project, tmp_path):
    target = tmp_path / "copy.toml"
    store.save(sample_project, target)
    text = target.read_text(encoding="utf-8")
    table = tomllib.loads(text)
    assert table["document"]["agency"] == "SỞ CÔNG THƯƠNG"
    assert table["document"]["date"] == dt.date(2021, 4, 2)
    assert table["sections"][0]["type"] == "free-text"
    assert "[[sections]]" in text  # sections stay an array of tables, not one long inline line


def test_text_is_nfc_normalised_on_load():
    decomposed = unicodedata.normalize("NFD", "SỞ CÔNG THƯƠNG")
    assert decomposed != "SỞ CÔNG THƯƠNG"
    project = store.loads(MINIMAL.replace("SỞ CÔNG THƯƠNG", decomposed))
    assert project.document.agency == "SỞ CÔNG THƯƠNG"


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ('"SO\\u031b\\u0309 CÔNG THƯƠNG"', "escapes that spell a decomposed letter"),
        ('"S\u1ede CÔNG\\tTHƯƠNG"', "an escape in otherwise NFC text"),
        ("'''SỞ CÔNG\r\nTHƯƠNG'''", "a CRLF line end in a multi-line string"),
    ],
)
def test_text_that_only_parses_to_decomposed_or_cr_strings_is_normalised(written, why):
    # A report whose text is NFC without CR skips the normalising walk: these must not.
    text = MINIMAL.replace('"SỞ CÔNG THƯƠNG"', written, 1)
    assert text != MINIMAL, why
    agency = store.loads(text).document.agency
    assert unicodedata.is_normalized("NFC", agency) and "\r" not in agency, why
    assert " ".join(agency.split()) == "SỞ CÔNG THƯƠNG", why


def test_unknown_section_type_is_kept_and_written_back_unchanged(tmp_path):
    text = (
        MINIMAL
        + """
[[sections]]
type = "someone-elses-type"
version = 3
number = "3."
heading = "Thu hút đầu tư"

[sections.data]
projects = [{year = 2020, capital = 12.5, note = "ghi chú"}]
nested = {deep = {value = 2021-01-05}}
"""
    )
    project = store.loads(text)
    section = project.sections[0]
    assert section.type == "someone-elses-type"
    assert section.version == 3
    target = tmp_path / "out.toml"
    store.save(project, target)
    reread = tomllib.loads(target.read_text(encoding="utf-8"))
    assert reread["sections"][0]["data"] == {
        "projects": [{"year": 2020, "capital": 12.5, "note": "ghi chú"}],
        "nested": {"deep": {"value": dt.date(2021, 1, 5)}},
    }
    assert store.load(target) == project


def test_malformed_toml_names_line_and_column():
    with pytest.raises(ReportFileError) as caught:
        store.loads(MINIMAL + "\n[[sections]\n", "bad.toml")
    error = caught.value
    assert error.line == MINIMAL.count("\n") + 2
    assert error.column is not None
    assert str(error).startswith(f"bad.toml:{error.line}:{error.column}: TOML không hợp lệ")


def test_impossible_date_in_toml_is_a_syntax_error_with_position():
    with pytest.raises(ReportFileError) as caught:
        store.loads(MINIMAL.replace("2021-04-02", "2021-02-30"), "r.toml")
    assert caught.value.line == 8


def test_impossible_date_as_string_names_the_key_and_line():
    with pytest.raises(ReportFileError) as caught:
        store.loads(MINIMAL.replace("2021-04-02", '"2021-02-30"'), "r.toml")
    message = str(caught.value)
    assert message.startswith("r.toml:8: document.date: ")
    assert "2021-02-30" in message and "YYYY-MM-DD" in message


def test_wrong_type_names_dotted_key_and_expectation():
    with pytest.raises(ReportFileError) as caught:
        store.loads(MINIMAL.replace('recipients = ["Sở Ngoại vụ"]', 'recipients = "Sở Ngoại vụ"'))
    assert caught.value.key == "document.recipients"
    assert "danh sách" in caught.value.message
    assert caught.value.line == 10


def test_unknown_key_suggests_the_close_match():
    with pytest.raises(ReportFileError) as caught:
        store.loads(MINIMAL.replace("subject =", "subjcet ="))
    assert caught.value.key == "document.subjcet"
    assert "'subject'" in caught.value.message


def test_section_without_type_is_reported_with_its_position():
    text = MINIMAL + '\n[[sections]]\nnumber = "1."\n\n[[sections]]\nnumber = "2."\n'
    with pytest.raises(ReportFileError) as caught:
        store.loads(text, "r.toml")
    assert caught.value.key == "sections.1"
    assert caught.value.line == MINIMAL.count("\n") + 2


def test_wrong_table_placement_is_reported():
    text = MINIMAL + '\n[[sections]]\ntype = "free-text"\ntable = "phu-luc"\n'
    with pytest.raises(ReportFileError) as caught:
        store.loads(text)
    assert caught.value.key == "sections.1.table"
    assert "inline, appendix, none" in caught.value.message


def test_file_that_is_not_utf8(tmp_path):
    target = tmp_path / "cp1258.toml"
    target.write_bytes(
        MINIMAL.encode("utf-8").replace("Quảng".encode(), "Qu\xe1ng".encode("latin-1"))
    )
    with pytest.raises(ReportFileError) as caught:
        store.load(target)
    assert "UTF-8" in caught.value.message
    assert caught.value.line == 7  # the `place = "Quảng Ngãi"` line


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ReportFileError, match="không tìm thấy"):
        store.load(tmp_path / "missing.toml")
    with pytest.raises(ReportFileError, match="thư mục"):
        store.load(tmp_path)


def test_newer_schema_is_refused_not_misread():
    with pytest.raises(ReportFileError, match="nâng cấp"):
        store.loads(MINIMAL.replace("schema_version = 1", "schema_version = 99"))


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "report.toml"
    target.write_text("old content", encoding="utf-8")

    def broken_fsync(_descriptor):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        store.save(Project(), target)
    assert target.read_text(encoding="utf-8") == "old content"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.toml"]


def test_atomic_write_keeps_file_permissions(tmp_path):
    target = tmp_path / "report.toml"
    target.write_text("x", encoding="utf-8")
    target.chmod(0o640)
    store.save(Project(sections=[Section("free-text", data={"text": "a"})]), target)
    assert target.stat().st_mode & 0o777 == 0o640
    assert store.load(target).sections[0].data == {"text": "a"}


def test_multiline_prose_is_written_as_a_readable_block(tmp_path):
    project = Project(sections=[Section("free-text", data={"text": "Đoạn một.\n\nĐoạn hai."})])
    target = Path(tmp_path / "r.toml")
    store.save(project, target)
    assert '"""' in target.read_text(encoding="utf-8")
    assert store.load(target) == project


# -- comments: tomllib drops them, so saving cannot keep them; they are found to say so ------

COMMENTED = '''\
# a whole-line comment
schema_version = 1 # after a value
"key # not a comment" = 'nor # this'

[document]   # after a header
subject = "a \\" # still inside"
closing = """
line # inside a multi-line string
ends with a quote"""" # then a comment
place = \'\'\'
literal # inside \'\'\'
recipients = [
  "Sở # Ngoại vụ", # one per line
]
'''


def test_comment_lines_finds_comments_outside_strings_only():
    tomllib.loads(COMMENTED)  # the sample is valid TOML
    assert store.comment_lines(COMMENTED) == [1, 2, 5, 9, 13]
    assert store.comment_lines(MINIMAL) == []
    assert store.comment_lines('text = """a\n# b\n"""\n') == []
    assert store.comment_lines("path = 'C:\\\\# x' # y\n") == [1]


def test_comment_lines_of_the_sample_and_of_a_saved_file(sample_path, sample_project, tmp_path):
    lines = store.file_comment_lines(sample_path)
    assert lines[:2] == [1, 2] and 166 in lines  # `table = "none"  # the reference prints …`
    target = tmp_path / "saved.toml"
    store.save(sample_project, target)
    assert store.file_comment_lines(target) == []  # what the README says: comments are not kept
    assert store.file_comment_lines(tmp_path / "missing.toml") == []


# -- what is at the path: only a regular file is ever replaced --------------------------------


@pytest.mark.parametrize("kind", ["fifo", "socket", "device", "directory"])
def test_save_never_replaces_what_is_not_a_regular_file(tmp_path, kind):
    import socket
    import stat

    from tongket.core.report.atomicfile import NotARegularFile

    target = tmp_path / "report.toml"
    if kind == "fifo":
        os.mkfifo(target)  # reading it to compare fingerprints would block forever
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
    elif kind == "device":
        if os.geteuid() != 0:
            pytest.skip("creating a device node needs root")
        os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is
    else:
        target.mkdir()
    before = os.lstat(target)
    with no_longer_than(10), pytest.raises(NotARegularFile) as caught:
        store.save(Project(), target)
    assert "không phải tệp thường" in str(caught.value)
    after = os.lstat(target)
    assert (after.st_ino, stat.S_IFMT(after.st_mode)) == (
        before.st_ino,
        stat.S_IFMT(before.st_mode),
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.toml"]


def test_exclusive_save_creates_but_never_replaces(tmp_path):
    target = tmp_path / "moi.toml"
    store.save(Project(), target, exclusive=True)
    assert store.load(target) == Project()
    target.write_text("# someone else's\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        store.save(Project(), target, exclusive=True)
    assert target.read_text(encoding="utf-8") == "# someone else's\n"
    dangling = tmp_path / "lien-ket.toml"
    dangling.symlink_to(tmp_path / "nowhere.toml")
    with pytest.raises(FileExistsError):
        store.save(Project(), dangling, exclusive=True)
    assert not (tmp_path / "nowhere.toml").exists()
