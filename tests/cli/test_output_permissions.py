"""What a command makes from a report is readable by no more people than the report.

On a shared server a drafter keeps a report private (chmod 600) or to their team (640, the
team's group). Its Word file, PDF, tracked-changes copy, review copy and an imported report
used to be made as any new file is (0666 less the umask: 0644, readable by every account), so
exporting leaked what the report kept private. A file the user already has keeps the
permissions they gave it.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from soffice_stub import WRITES_PDF, fake_soffice, use_soffice

from tongket.core import cli


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def soffice(tmp_path, monkeypatch) -> None:
    """A stand-in LibreOffice that writes a PDF/A-looking file where it is asked to."""
    use_soffice(monkeypatch, fake_soffice(tmp_path, WRITES_PDF))


@pytest.fixture
def report(tmp_path, sample_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "bao-cao.toml"
    shutil.copyfile(sample_path, target)
    return target


@pytest.mark.parametrize("private", [0o600, 0o640])
@pytest.mark.parametrize(
    ("arguments", "outputs"),
    [
        (["export", "bao-cao.toml"], ["bao-cao.docx"]),
        (["export", "bao-cao.toml", "--pdf"], ["bao-cao.docx", "bao-cao.pdf"]),
        (["export", "bao-cao.toml", "--review", "--pdf"], ["bao-cao.docx", "bao-cao.pdf"]),
        (["diff", "cu.toml", "bao-cao.toml"], ["bao-cao-thay-doi.docx"]),
    ],
)
def test_outputs_of_a_private_report_are_as_private(report, soffice, arguments, outputs, private):
    shutil.copyfile(report, "cu.toml")
    report.chmod(private)
    assert cli.main(arguments) == 0
    assert {name: mode(Path(name)) for name in outputs} == dict.fromkeys(outputs, private)


def test_an_imported_report_is_as_private_as_its_word_file(report):
    assert cli.main(["export", "bao-cao.toml", "-o", "tra-loi.docx"]) == 0
    Path("tra-loi.docx").chmod(0o600)
    assert cli.main(["import", "tra-loi.docx"]) == 0
    assert mode(Path("tra-loi.toml")) == 0o600


def test_an_existing_export_keeps_the_permissions_its_owner_gave_it(report):
    # Shared on purpose (the report stays private): a new export does not take that back.
    report.chmod(0o600)
    Path("bao-cao.docx").write_bytes(b"previous export")
    Path("bao-cao.docx").chmod(0o644)
    assert cli.main(["export", "bao-cao.toml"]) == 0
    assert mode(Path("bao-cao.docx")) == 0o644
    assert Path("bao-cao.docx").read_bytes().startswith(b"PK")


def test_a_readable_report_exports_as_before(report):
    report.chmod(0o644)
    previous = os.umask(0o022)
    try:
        assert cli.main(["export", "bao-cao.toml"]) == 0
    finally:
        os.umask(previous)
    assert mode(Path("bao-cao.docx")) == 0o644


@pytest.mark.parametrize(("old", "new", "made"), [(0o600, 0o644, 0o600), (0o644, 0o640, 0o640)])
def test_a_comparison_is_as_private_as_the_more_private_draft(report, old, new, made):
    # The tracked deletions carry the old draft's text: a private old draft compared with a
    # shared new one once gave a comparison every account could read.
    shutil.copyfile(report, "cu.toml")
    Path("cu.toml").chmod(old)
    report.chmod(new)
    assert cli.main(["diff", "cu.toml", "bao-cao.toml"]) == 0
    assert mode(Path("bao-cao-thay-doi.docx")) == made


def test_the_apps_comparison_is_as_private_as_the_more_private_draft(report):
    from tongket.core.commands.diff import write_tracked_changes

    shutil.copyfile(report, "cu.toml")
    Path("cu.toml").chmod(0o600)
    report.chmod(0o644)
    assert write_tracked_changes("cu.toml", report, "so-sanh.docx") == 0
    assert mode(Path("so-sanh.docx")) == 0o600


def test_two_drafts_of_different_groups_give_a_comparison_no_group_may_read(report):
    from tongket.core.report.atomicfile import atomic_write

    groups = sorted({group for group in os.getgroups() if group != os.getegid()})
    if os.geteuid() != 0 and not groups:
        pytest.skip("needs a second group this account belongs to (or root)")
    other = groups[0] if groups else os.getegid() + 1
    shutil.copyfile(report, "cu.toml")
    Path("cu.toml").chmod(0o640)
    report.chmod(0o640)
    os.chown("cu.toml", -1, other)
    atomic_write("so-sanh.docx", b"x", new_like=("bao-cao.toml", "cu.toml"))
    assert mode(Path("so-sanh.docx")) == 0o600
    assert os.stat("so-sanh.docx").st_gid == os.stat(report).st_gid


def test_a_consolidated_report_is_as_private_as_the_most_private_reply(report, sample_path):
    # The merge copies every reply's text: a body's private reply (chmod 600) once gave a
    # consolidated report every account could read. One the coordinator already has keeps
    # the permissions they gave it.
    shutil.copyfile(sample_path.with_name("de-cuong-mau.toml"), "de-cuong.toml")
    Path("de-cuong.toml").chmod(0o644)
    report.chmod(0o644)
    shutil.copyfile(report, "sct-rieng.toml")
    Path("sct-rieng.toml").chmod(0o600)
    arguments = ["merge", "bao-cao.toml", "sct-rieng.toml", "--outline", "de-cuong.toml"]
    previous = os.umask(0o022)
    try:
        assert cli.main([*arguments, "-o", "tong-hop.toml"]) == 0
        assert mode(Path("tong-hop.toml")) == 0o600
        assert cli.main([*arguments[:2], "--outline", "de-cuong.toml", "-o", "chung.toml"]) == 0
        assert mode(Path("chung.toml")) == 0o644
        Path("tong-hop.toml").chmod(0o640)
        assert cli.main([*arguments, "-o", "tong-hop.toml"]) == 0
        assert mode(Path("tong-hop.toml")) == 0o640
    finally:
        os.umask(previous)


def test_a_word_form_is_as_private_as_its_outline(report, sample_path):
    shutil.copyfile(sample_path.with_name("de-cuong-mau.toml"), "de-cuong.toml")
    Path("de-cuong.toml").chmod(0o600)
    arguments = ["new", "mau.docx", "--outline", "de-cuong.toml", "--body", "sct"]
    assert cli.main(arguments) == 0
    assert mode(Path("mau.docx")) == 0o600
