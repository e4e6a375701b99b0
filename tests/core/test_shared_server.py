"""Reports in a folder shared by several accounts: who may read each file after a save, a
folder this account may not write to, and export targets that are not regular files.

Other accounts are played by numeric ids (no passwd entries needed) through `setpriv`: the
child keeps CAP_DAC_READ_SEARCH so it can load Python from wherever it is installed, but
writing is checked as for any ordinary account. Those tests need root (CI runs as root) and
skip otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tongket.core import cli
from tongket.core.report import locking, store
from tongket.core.report.atomicfile import backup_path
from tongket.core.report.session import DraftSession

ALICE, BOB, CAROL = 4201, 4202, 4203  # Carol is not in the team
TEAM = 4300
SCRIPT = Path(sys.executable).with_name("tongket")
SETPRIV = shutil.which("setpriv")


def as_account(uid: int, groups: list[int], code: str, cwd: Path) -> dict:
    """Run `code` as account `uid` (groups[0] its own group), return the JSON it prints."""
    command = [
        SETPRIV,
        f"--reuid={uid}",
        f"--regid={groups[0]}",
        f"--groups={','.join(str(group) for group in groups)}",
        "--inh-caps=+dac_read_search",
        "--ambient-caps=+dac_read_search",
        sys.executable,
        "-c",
        textwrap.dedent(code),
    ]
    environment = {**os.environ, "HOME": str(cwd), "USER": f"u{uid}", "LOGNAME": f"u{uid}"}
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=120, cwd=cwd, env=environment
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def accounts() -> None:
    """Skip unless this process can act as other accounts (root, with a working setpriv)."""
    if os.geteuid() != 0 or SETPRIV is None:
        pytest.skip("needs root and setpriv to act as other accounts")
    probe = subprocess.run(
        [SETPRIV, f"--reuid={BOB}", f"--regid={BOB}", "--clear-groups",
         "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search",
         sys.executable, "-c", "import os, tongket.core.report.store; print(os.getuid())"],
        capture_output=True, text=True, timeout=60, cwd="/",
    )  # fmt: skip
    if probe.returncode != 0 or probe.stdout.strip() != str(BOB):
        pytest.skip(f"setpriv cannot switch accounts here: {probe.stderr.strip()[-200:]}")


@pytest.fixture
def shared(tmp_path, sample_path, accounts) -> Path:
    """A team folder (root:team 0770) holding Alice's report (alice:team 0660)."""
    tmp_path.chmod(0o755)
    folder = tmp_path / "chung"
    folder.mkdir()
    os.chown(folder, 0, TEAM)
    folder.chmod(0o770)
    report = folder / "bao-cao.toml"
    shutil.copyfile(sample_path, report)
    os.chown(report, ALICE, TEAM)
    report.chmod(0o660)
    return report


def owner(path: Path) -> tuple[int, int, int]:
    info = os.stat(path)
    return info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)


SAVE_AS_ACCOUNT = """
    import json, os, stat, sys
    from tongket.core.report.session import DraftSession
    session = DraftSession.open("bao-cao.toml", lock=True)
    session.set_value(("document", "number"), "15")
    session.write_recovery()
    recovery = os.stat(session.recovery_path)
    lock = os.stat(session.lock.lock_file)
    session.save()
    session.release_lock()
    info = os.stat("bao-cao.toml")
    print(json.dumps({
        "report": [info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)],
        "recovery": [recovery.st_uid, recovery.st_gid, stat.S_IMODE(recovery.st_mode)],
        "lock": [lock.st_uid, lock.st_gid, stat.S_IMODE(lock.st_mode)],
    }))
"""


def test_root_saving_keeps_owner_group_and_mode(shared, monkeypatch):
    project = store.load(shared)
    project.document.number = "15"
    store.save(project, shared)
    assert owner(shared) == (ALICE, TEAM, 0o660)  # not root:root 0644
    assert owner(backup_path(shared)) == (ALICE, TEAM, 0o660)
    # Where hard links are not allowed the backup is a copy, shaped the same.
    monkeypatch.setattr(os, "link", _no_links)
    project.document.number = "16"
    store.save(project, shared)
    assert owner(shared) == (ALICE, TEAM, 0o660)
    assert owner(backup_path(shared)) == (ALICE, TEAM, 0o660)
    assert store.load(backup_path(shared)).document.number == "15"


def _no_links(*_args, **_kwargs):
    raise PermissionError(1, "Operation not permitted")


def test_a_colleague_in_the_group_saves_and_the_team_keeps_access(shared):
    seen = as_account(BOB, [BOB, TEAM], SAVE_AS_ACCOUNT, shared.parent)
    # Only root gives a file away: the new file is Bob's, but it stays the team's, 0660.
    assert seen["report"] == [BOB, TEAM, 0o660]
    assert seen["recovery"] == [BOB, TEAM, 0o660]
    assert seen["lock"] == [BOB, TEAM, 0o660]
    assert owner(backup_path(shared)) == (ALICE, TEAM, 0o660)  # the old file, untouched
    assert store.load(shared).document.number == "15"
    assert not [path.name for path in shared.parent.iterdir() if path.name.endswith(".tmp")]


def test_a_writer_outside_the_group_does_not_pass_on_the_group_permissions(shared):
    shared.parent.chmod(0o777)  # anyone may add files here; Carol is not in the team
    shared.chmod(0o664)
    seen = as_account(CAROL, [CAROL], SAVE_AS_ACCOUNT, shared.parent)
    # The file cannot stay the team's; Carol's own group must not get the team's rights,
    # only what everyone may (read): never 0604, which shut her group out of a file any
    # stranger could read.
    assert seen["report"] == [CAROL, CAROL, 0o644]
    assert seen["recovery"] == [CAROL, CAROL, 0o644]
    assert seen["lock"] == [CAROL, CAROL, 0o644]


def test_copies_of_a_private_report_are_private_from_the_start(tmp_path, monkeypatch):
    """Every file made beside a 0600 report is 0600 or less whenever it holds data."""
    report = tmp_path / "rieng.toml"
    session = DraftSession.open(_copy_sample(report), lock=False)
    report.chmod(0o600)
    seen: list[tuple[str, int]] = []
    real_fchown, real_replace, real_link = os.fchown, os.replace, os.link

    def fchown(descriptor, uid, gid):
        # Before the group is set, only the owner's bits may be on.
        seen.append(("created", stat.S_IMODE(os.fstat(descriptor).st_mode)))
        return real_fchown(descriptor, uid, gid)

    def visible(source, destination, real):
        seen.append((Path(destination).name, stat.S_IMODE(os.stat(source).st_mode)))
        return real(source, destination)

    monkeypatch.setattr(os, "fchown", fchown)
    monkeypatch.setattr(os, "replace", lambda a, b: visible(a, b, real_replace))
    monkeypatch.setattr(os, "link", lambda a, b: visible(a, b, real_link))
    previous_umask = os.umask(0)  # the most open umask: nothing may depend on it
    try:
        session.set_value(("document", "number"), "15")
        session.write_recovery()
        with locking.acquire(report):
            session.save()
    finally:
        os.umask(previous_umask)
    assert seen and all(mode & ~0o600 == 0 for _what, mode in seen), seen
    for path in tmp_path.iterdir():
        assert stat.S_IMODE(path.lstat().st_mode) & ~0o600 == 0, path.name


def _copy_sample(target: Path) -> Path:
    from importlib import resources

    source = resources.files("tongket.sample_data") / "quang-ngai-sct-2021.toml"
    target.write_bytes(source.read_bytes())
    return target


def test_recovery_copy_of_a_private_report_is_private(sample_copy):
    sample_copy.chmod(0o600)
    session = DraftSession.open(sample_copy)
    session.set_value(("document", "number"), "15")
    written = session.write_recovery()
    assert stat.S_IMODE(written.stat().st_mode) == 0o600  # was 0644


# -- a folder this account may not write to -------------------------------------------------

OPEN_IN_READ_ONLY_FOLDER = """
    import json
    from tongket.core.report.session import DraftSession
    from tongket.core.report.locking import CannotLock
    session = DraftSession.open("bao-cao.toml", lock=True)
    print(json.dumps({
        "read_only": session.read_only,
        "cannot_lock": isinstance(session.locked_by, CannotLock),
        "message": session.lock_message(),
    }))
"""


def test_a_folder_one_may_not_write_to_opens_the_report_read_only(shared):
    shared.parent.chmod(0o750)  # the team may read, not write
    seen = as_account(BOB, [BOB, TEAM], OPEN_IN_READ_ONLY_FOLDER, shared.parent)
    assert seen["read_only"] and seen["cannot_lock"]
    assert f"thư mục {shared.parent} không cho tài khoản này ghi" in seen["message"]


PILOT_IN_READ_ONLY_FOLDER = """
    import asyncio, json
    from tongket.core.host.pluginhost import PluginHost
    from tongket.core.report.session import DraftSession
    from tongket.tui.app import TongketApp

    async def main():
        host = PluginHost()
        host.load_builtins()
        session = DraftSession.open("bao-cao.toml", lock=True)
        app = TongketApp(session, host, cursor_blink=False, recovery_seconds=3600)
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(200):  # until plugins, editor and analysis are in place
                await pilot.pause(0.05)
                if app.settled:
                    break
            banner = str(app.query_one("#banner").render())
            shown = app.query_one("#banner").display
            await pilot.press("enter", "X")
            await pilot.press("f2")
            app.action_save()
            await pilot.pause(0.2)
            notes = [n.message for n in app._notifications]
            return {"banner": banner, "shown": shown, "title": app.sub_title,
                    "dirty": session.dirty, "notes": notes}

    print(json.dumps(asyncio.run(main())))
"""


def test_the_app_says_why_a_report_in_such_a_folder_is_read_only(shared):
    shared.parent.chmod(0o750)
    before = shared.read_bytes()
    seen = as_account(BOB, [BOB, TEAM], PILOT_IN_READ_ONLY_FOLDER, shared.parent)
    assert seen["shown"]
    assert seen["banner"].startswith(
        f"CHỈ XEM: không mở được để sửa vì thư mục {shared.parent} không cho tài khoản này ghi"
    )
    assert "F4 lưu thành tệp ở thư mục khác" in seen["banner"]
    assert seen["title"] == "CHỈ XEM — thư mục không cho ghi"
    assert not seen["dirty"]
    assert any("Không lưu được: thư mục" in note for note in seen["notes"])
    assert shared.read_bytes() == before


# -- export targets that are not regular files ---------------------------------------------


def export(report: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "tongket.core.cli"]
    return subprocess.run(
        [*command, "export", str(report), *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )


@pytest.mark.parametrize("kind", ["fifo", "device", "socket"])
def test_export_never_writes_over_a_fifo_a_device_or_a_socket(sample_copy, tmp_path, kind):
    import socket

    target = tmp_path / "ra.docx"
    if kind == "fifo":
        os.mkfifo(target)
        named = "FIFO"
    elif kind == "device":
        if os.geteuid() != 0:
            pytest.skip("creating a device node needs root")
        os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a second /dev/null
        named = "thiết bị ký tự"
    else:
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
        named = "socket"
    before = os.lstat(target)
    result = export(sample_copy, "-o", str(target), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert f"{target}: là một {named}" in result.stderr
    assert "không phải tệp thường" in result.stderr
    assert "lỗi không lường trước" not in result.stderr
    after = os.lstat(target)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)


def test_dev_null_is_refused_as_an_export_target(sample_copy):
    # The real /dev/null, checked without running an export that could replace it.
    with pytest.raises(cli.CommandError, match="thiết bị ký tự"):
        cli._output_path(str(sample_copy), "/dev/null")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_pdf_export_checks_the_pdf_path_before_writing_anything(sample_copy, tmp_path):
    pdf_target = tmp_path / "ra.pdf"
    pdf_target.mkdir()
    result = export(sample_copy, "-o", str(tmp_path / "ra.docx"), "--pdf", cwd=tmp_path)
    assert result.returncode == 2
    assert f"{pdf_target}: là một thư mục; cần đường dẫn tệp .pdf" in result.stderr
    assert not (tmp_path / "ra.docx").exists()
    pdf_target.rmdir()
    pdf_target.write_bytes(b"%PDF previous")
    pdf_target.chmod(0o444)
    result = export(sample_copy, "-o", str(tmp_path / "ra.docx"), "--pdf", cwd=tmp_path)
    assert result.returncode == 2
    assert f"{pdf_target}: không có quyền ghi (tệp chỉ cho đọc)" in result.stderr
    assert "lỗi không lường trước" not in result.stderr
    assert pdf_target.read_bytes() == b"%PDF previous"


def test_output_named_pdf_with_pdf_is_refused(sample_copy, tmp_path):
    result = export(sample_copy, "-o", str(tmp_path / "x.pdf"), "--pdf", cwd=tmp_path)
    assert result.returncode == 2
    assert "với --pdf, -o là tên tệp Word; hãy dùng -o" in result.stderr
    assert str(tmp_path / "x.docx") in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.toml"]


def test_new_refuses_a_dangling_symlink(tmp_path):
    link = tmp_path / "moi.toml"
    link.symlink_to(tmp_path / "noi-khac.toml")
    assert cli.main(["new", str(link)]) == 2
    assert not (tmp_path / "noi-khac.toml").exists()


# --- The collective job: replies in a shared folder, the coordinator's merge ---------------


@pytest.fixture
def collected(tmp_path, sample_path, monkeypatch) -> Path:
    """A shared folder with the outline and one body's reply (the sample, Sở Công Thương)."""
    folder = tmp_path / "chung"
    folder.mkdir()
    monkeypatch.chdir(folder)
    shutil.copyfile(sample_path.with_name("de-cuong-mau.toml"), folder / "de-cuong.toml")
    shutil.copyfile(sample_path, folder / "sct.toml")
    for name in ("de-cuong.toml", "sct.toml"):
        (folder / name).chmod(0o644)
    return folder


def merge(*replies: str, output: str = "tong-hop.toml") -> int:
    return cli.main(["merge", *replies, "--outline", "de-cuong.toml", "-o", output])


def _umask(value: int):
    previous = os.umask(value)
    return lambda: os.umask(previous)


def needs_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root (to give files to other accounts and groups)")


def test_a_group_that_cannot_be_kept_gets_what_everyone_may(tmp_path):
    # Made from two files of different groups, both readable by everyone: the result is
    # readable by everyone, its own group included. It was 0604: the group shut out of a file
    # any stranger could read.
    from tongket.core.report.atomicfile import atomic_write

    needs_root()
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    for path, group in ((first, TEAM), (second, TEAM + 1)):
        path.write_text("x")
        os.chown(path, -1, group)
        path.chmod(0o644)
    restore = _umask(0o022)
    try:
        atomic_write(tmp_path / "so-sanh.docx", b"x", new_like=(first, second))
    finally:
        restore()
    assert owner(tmp_path / "so-sanh.docx")[1:] == (TEAM, 0o644)


@pytest.mark.parametrize(
    ("umask", "reply", "made"),
    [(0o002, 0o644, 0o664), (0o022, 0o644, 0o644), (0o002, 0o600, 0o600), (0o002, 0o640, 0o660)],
)
def test_a_new_consolidation_is_writable_by_its_readers_as_the_umask_allows(
    collected, capsys, umask, reply, made
):
    # A body working with umask 022 sends a 0644 reply; the coordinator's team works with
    # umask 002 in a setgid folder: the consolidation it reads is the team's to edit too. Who
    # may read it still follows the most private reply.
    Path("sct.toml").chmod(reply)
    restore = _umask(umask)
    try:
        assert merge("sct.toml") == 0
    finally:
        restore()
    capsys.readouterr()
    assert stat.S_IMODE(os.stat("tong-hop.toml").st_mode) == made


def _private_draft(folder: Path, sample_path: Path) -> Path:
    """Alice's (the coordinator's) private draft: a report whose text must stay hers."""
    home = folder.parent / "alice"
    home.mkdir()
    draft = home / "rieng.toml"
    text = sample_path.read_text(encoding="utf-8")
    draft.write_text(text.replace("Kết quả", "BÍ MẬT CỦA ALICE Kết quả", 1), encoding="utf-8")
    draft.chmod(0o600)
    os.chown(draft, ALICE, ALICE)
    os.chown(home, ALICE, ALICE)
    return draft


@pytest.mark.parametrize("through", ["file", "folder"])
def test_a_reply_linked_by_a_sender_to_the_coordinators_private_file_is_refused(
    collected, sample_path, monkeypatch, capsys, through
):
    # Bob (a sender, who may add files to the shared folder) links "his reply" to Alice's
    # private draft; Alice merges: her draft was copied into the consolidation the team reads.
    needs_root()
    draft = _private_draft(collected, sample_path)
    if through == "file":
        os.symlink(draft, "bob.toml")
        given = "bob.toml"
    else:
        os.symlink(draft.parent, "bob")
        given = "bob/rieng.toml"
    os.lchown(given.split("/")[0], BOB, BOB)
    monkeypatch.setattr(os, "geteuid", lambda: ALICE)  # Alice runs the merge
    assert merge("sct.toml", given) == 2
    error = capsys.readouterr().err
    if through == "file":
        assert "bob.toml: là liên kết tượng trưng do tài khoản 4202 tạo, trỏ tới tệp của " in error
    else:
        assert (
            "bob/rieng.toml: đường dẫn đi qua liên kết tượng trưng bob do tài khoản 4202" in error
        )
    assert "tài khoản 4201; tongket không đọc tệp của người khác qua liên kết" in error
    assert "chưa tổng hợp: 1 báo cáo không đọc được" in error
    assert "BÍ MẬT" not in error and str(draft.parent) not in error
    assert not Path("tong-hop.toml").exists()


def test_links_a_sender_makes_to_their_own_file_or_the_coordinator_makes_are_read(
    collected, sample_path, monkeypatch, capsys
):
    needs_root()
    draft = _private_draft(collected, sample_path)
    shutil.copyfile(sample_path, collected.parent / "bob-sct.toml")
    os.chown(collected.parent / "bob-sct.toml", BOB, BOB)
    os.symlink(collected.parent / "bob-sct.toml", "bob.toml")
    os.lchown("bob.toml", BOB, BOB)
    os.symlink(draft, "alice.toml")
    os.lchown("alice.toml", ALICE, ALICE)
    monkeypatch.setattr(os, "geteuid", lambda: ALICE)
    assert merge("bob.toml", "alice.toml") == 0, capsys.readouterr().err


def test_a_merged_reply_swapped_for_a_link_to_a_private_file_is_not_read_again(
    collected, sample_path, monkeypatch, capsys
):
    # Merged once; then the sender replaces his reply with a link to the coordinator's private
    # draft, and a late reply is merged alone: the earlier reply is read again from its file.
    needs_root()
    draft = _private_draft(collected, sample_path)
    made = ["new", "bob.toml", "--outline", "de-cuong.toml", "--body", "skhdt"]
    assert cli.main([*made, "--agency", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ"]) == 0
    assert merge("bob.toml") == 0
    before = Path("tong-hop.toml").read_bytes()
    capsys.readouterr()
    Path("bob.toml").unlink()
    os.symlink(draft, "bob.toml")
    os.lchown("bob.toml", BOB, BOB)
    monkeypatch.setattr(os, "geteuid", lambda: ALICE)
    assert merge("sct.toml") == 2
    error = capsys.readouterr().err
    assert "tongket: bob.toml: là liên kết tượng trưng do tài khoản 4202 tạo" in error
    assert "(báo cáo đã tổng hợp trước" in error and "./bob.toml" not in error
    assert Path("tong-hop.toml").read_bytes() == before
    assert b"B\xc3\x8d M\xe1\xba\xacT" not in before  # "BÍ MẬT"


@pytest.mark.parametrize("name", ["lon.toml", "lon.docx"])
def test_a_huge_reply_is_refused_without_being_read(collected, monkeypatch, capsys, name):
    # A 2 GB (sparse) file: it was read whole, 6 GB of memory and half a minute for .toml.
    with open(name, "wb") as handle:
        handle.truncate(2 * 1024**3)
    reads = []
    real_read = os.read

    def counted(descriptor, size):
        if os.path.samestat(os.fstat(descriptor), os.stat(name)):
            reads.append(size)
        return real_read(descriptor, size)

    monkeypatch.setattr(os, "read", counted)
    assert merge(name) == 2
    error = capsys.readouterr().err
    limit = "64" if name.endswith(".toml") else "512"
    assert f"tongket: {name}: tệp lớn hơn {limit} MB, quá giới hạn của một báo cáo; không đọc" in (
        error
    )
    assert not reads
    assert not Path("tong-hop.toml").exists()


def test_a_file_growing_while_read_stops_at_the_limit(tmp_path, monkeypatch):
    from tongket.core.report import atomicfile

    path = tmp_path / "dang-ghi.toml"
    path.write_bytes(b"a = 1\n" * 100_000)
    real_stat = os.stat

    def small_at_first(target, *args, **kwargs):
        info = real_stat(target, *args, **kwargs)
        if os.fspath(target) != os.fspath(path):
            return info
        fields = list(info)
        fields[stat.ST_SIZE] = 10  # as it was when looked at; it grew before being read
        return os.stat_result(fields)

    monkeypatch.setattr(os, "stat", small_at_first)
    with pytest.raises(atomicfile.FileTooLarge):
        atomicfile.read_regular_file(path, limit=1000)
    with pytest.raises(atomicfile.FileTooLarge):
        atomicfile.digest_regular_file(path, limit=1000)


def test_a_file_of_another_account_in_a_sticky_folder_says_why_it_is_not_replaced(
    tmp_path, monkeypatch
):
    from tongket.core.report.atomicfile import atomic_write

    needs_root()
    folder = tmp_path / "tmp"
    folder.mkdir()
    folder.chmod(0o1777)
    target = folder / "tong-hop.toml"
    target.write_text("x")
    target.chmod(0o666)
    os.chown(target, BOB, BOB)
    real_replace = os.replace

    def sticky_replace(source, destination):
        if os.fspath(destination) == os.fspath(target):
            raise PermissionError(1, "Operation not permitted")
        return real_replace(source, destination)

    monkeypatch.setattr(os, "replace", sticky_replace)
    monkeypatch.setattr(os, "geteuid", lambda: ALICE)
    with pytest.raises(PermissionError) as raised:
        atomic_write(target, b"y")
    assert raised.value.strerror == (
        "tệp thuộc tài khoản 4202, trong thư mục có bit dính (sticky, như /tmp) chỉ chủ tệp "
        "mới thay được nó; hãy chọn tên tệp khác"
    )
    assert target.read_text() == "x"
    assert [path.name for path in folder.iterdir()] == ["tong-hop.toml"]  # no temporary left


def test_a_consolidation_path_edited_to_a_private_file_is_not_read_again(
    collected, sample_path, capsys
):
    # A team member who may write the consolidation points a reply path of its
    # [consolidation] at the coordinator's private draft; the next merge of a late reply
    # would read it again and copy it to the whole team. Refused, the file untouched.
    merged = ["new", "bob.toml", "--outline", "de-cuong.toml", "--body", "skhdt"]
    assert cli.main([*merged, "--agency", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ"]) == 0
    Path("bob.toml").chmod(0o644)
    assert merge("bob.toml") == 0
    target = Path("tong-hop.toml")
    target.chmod(0o664)
    private = Path("rieng.toml")
    private.write_bytes(Path("bob.toml").read_bytes())
    private.chmod(0o600)
    edited = target.read_text(encoding="utf-8").replace('file = "bob.toml"', 'file = "rieng.toml"')
    assert 'file = "rieng.toml"' in edited
    target.write_text(edited, encoding="utf-8")
    before = target.read_bytes()
    capsys.readouterr()
    assert merge("sct.toml") == 2
    error = capsys.readouterr().err
    assert (
        "rieng.toml: mọi tài khoản đọc được bản tổng hợp nhưng không đọc được tệp này (báo cáo "
        "đã tổng hợp trước); không tự đọc lại để khỏi lộ nội dung của nó: nếu đúng là báo cáo "
        "cần tổng hợp, nêu tệp trong lệnh"
    ) in error
    assert target.read_bytes() == before
    # Named in the command, it is the coordinator's choice: merged.
    assert merge("sct.toml", "rieng.toml") == 0


def test_readers_left_out_names_the_group_or_everyone(tmp_path):
    from tongket.core.workflow.replies import readers_left_out

    source, made = tmp_path / "a", tmp_path / "b"
    source.write_text("x")
    made.write_text("y")
    cases = [(0o600, 0o640, "nhóm "), (0o640, 0o644, "mọi tài khoản"), (0o640, 0o640, "")]
    cases += [(0o644, 0o664, ""), (0o600, 0o600, "")]
    for source_mode, made_mode, expected in cases:
        source.chmod(source_mode)
        made.chmod(made_mode)
        found = readers_left_out(str(source), made)
        assert found.startswith(expected) and bool(found) == bool(expected), (
            oct(source_mode),
            found,
        )
