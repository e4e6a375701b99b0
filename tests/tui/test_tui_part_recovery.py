"""Nothing typed into a section kept in its own file (a part) is lost: the recovery copies a
crashed session left beside its parts are offered when the report is opened (restore, discard),
a part whose lock was abandoned is taken over with `t` (alone, or with the report when one
crashed session held both), and a hang-up writes the parts' copies (Pilot, keys only, 80×24).

The crash state is made with the session API (a session that edits, writes its copies and
ends without saving) and, for a killed process, lock files naming a process that is gone.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from tui_harness import SIZE, Part, drive, goto, make_app, settle

from tongket.core.report import locking, store
from tongket.core.report.locking import LockHolder
from tongket.core.report.session import DraftSession, find_recovery
from tongket.tui.dialogs import ConfirmScreen
from tongket.tui.outline import Outline

TRAINING, MEDIA = 6, 7  # sections 2.4. and 2.5. of the sample
PARTS = {TRAINING: "phan/2.4-dao-tao.toml", MEDIA: "phan/2.5-tuyen-truyen.toml"}
TYPED = " ĐÃ SỬA"


@pytest.fixture
def report(sample_copy: Path) -> Path:
    """The sample with sections 2.4. and 2.5. kept in files of their own."""
    project = store.load(sample_copy)
    for index, include in PARTS.items():
        project.sections[index].include = include
    store.save(project, sample_copy)
    return sample_copy


def part_file(report: Path, index: int) -> Path:
    return report.parent / PARTS[index]


def part_copy(report: Path, index: int) -> Path:
    part = part_file(report, index)
    return part.with_name(f".{part.name}.recovery")


def crashed_session(report: Path, *, intro: bool = False) -> DraftSession:
    """A session that changed the heading of 2.4. (and the introduction, with `intro`) and
    wrote its recovery copies, then ended without saving; its locks are still on disk."""
    session = DraftSession.open(report, lock=True)
    heading = session.project.sections[TRAINING].heading
    session.set_value(("sections", TRAINING, "heading"), heading + TYPED)
    if intro:
        text = session.project.sections[0].data["text"]
        session.set_value(("sections", 0, "data", "text"), text + TYPED)
    session.write_recovery(force=True)
    return session


def gone_pid() -> int:
    """The number of a process that has ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def killed(session: DraftSession, *, report: bool = True) -> None:
    """As after SIGKILL: every lock the session held stays, naming a process that is gone
    (without `report`, the report itself was closed: only its parts stay locked)."""
    if not report:
        session.lock.release()
        session.lock = None
    pid = gone_pid()
    now = dt.datetime.now().astimezone()
    holder = LockHolder("nva", socket.gethostname(), pid, now, now, None, "deaddeaddeaddead")
    paths = [lock.path for lock in session.parts.held.values()]
    if session.lock is not None:
        paths.append(session.lock.path)
    for path in paths:
        locking.lock_path(path).write_text(holder.to_json(), encoding="utf-8")


def messages(app) -> str:
    return "\n".join(notification.message for notification in app._notifications)


def outline_line(app, index: int) -> str:
    outline = app.query_one(Outline)
    return str(outline.get_option_at_index(outline.parts.index(Part("section", index))).prompt)


def heading(app, index: int = TRAINING) -> str:
    return app.session.project.sections[index].heading


async def until_dialog(pilot, app) -> ConfirmScreen:
    for _ in range(60):
        if isinstance(app.screen, ConfirmScreen):
            break
        await pilot.pause(0.05)
    assert isinstance(app.screen, ConfirmScreen)
    return app.screen


# -- offered when the report is opened ---------------------------------------------------------
@pytest.mark.skipif(os.geteuid() != 0, reason="making a file of another account needs root")
@drive
async def test_a_copy_another_account_wrote_names_that_account(report, host):
    # A group member can leave a copy beside a shared part; the offer says whose it is.
    crashed_session(report).release_lock()
    os.chown(part_copy(report, TRAINING), 54321, -1)
    app = make_app(DraftSession.open(report, lock=True), host, recovery=find_recovery(report))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = await until_dialog(pilot, app)
        assert (
            f"• mục 2.4. Tập huấn, hội thảo (tệp {PARTS[TRAINING]}) — do tài khoản 54321 ghi"
            in dialog.message
        )
        assert "báo cáo (.report.toml.recovery)" not in dialog.message  # nothing unsaved there


@drive
async def test_part_and_report_copies_are_offered_together_and_restored(report, host):
    crashed_session(report, intro=True).release_lock()  # a hang-up releases the locks
    part_before = part_file(report, TRAINING).read_bytes()
    app = make_app(DraftSession.open(report, lock=True), host, recovery=find_recovery(report))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = await until_dialog(pilot, app)
        assert "• báo cáo (.report.toml.recovery)" in dialog.message
        assert f"• mục 2.4. Tập huấn, hội thảo (tệp {PARTS[TRAINING]})" in dialog.message
        assert PARTS[MEDIA] not in dialog.message  # no unsaved work there
        assert not app.session.dirty
        await pilot.press("k")
        await settle(pilot)
        assert heading(app).endswith(TYPED)
        assert app.session.project.sections[0].data["text"].endswith(TYPED)
        assert app.session.dirty and app.title.startswith("* ")
        assert "Đã khôi phục bản nháp. Nhấn F2 để lưu." in messages(app)
        assert part_file(report, TRAINING).read_bytes() == part_before  # not written yet
        await pilot.press("f2")
        await settle(pilot)
        assert not app.session.dirty
    assert store.load(report).sections[TRAINING].heading.endswith(TYPED)
    assert TYPED in part_file(report, TRAINING).read_text(encoding="utf-8")
    assert not part_copy(report, TRAINING).exists() and find_recovery(report) is None
    assert not list(report.parent.rglob("*.lock"))


@drive
async def test_only_a_part_has_a_copy_and_the_drafter_discards_it(report, host):
    crashed_session(report).release_lock()
    assert find_recovery(report) is None  # the report itself was not changed
    part_before = part_file(report, TRAINING).read_bytes()
    app = make_app(DraftSession.open(report, lock=True), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = await until_dialog(pilot, app)
        assert "báo cáo (" not in dialog.message and f"(tệp {PARTS[TRAINING]})" in dialog.message
        await pilot.press("b")
        await settle(pilot)
        assert not part_copy(report, TRAINING).exists()
        assert not heading(app).endswith(TYPED) and not app.session.dirty
        await pilot.press("f10")  # nothing unsaved: no question
        await pilot.pause(0.2)
    assert part_file(report, TRAINING).read_bytes() == part_before


@drive
async def test_f3_opening_a_report_offers_its_parts_copies(report, host, sample_path):
    crashed_session(report).release_lock()
    app = make_app(DraftSession(store.load(sample_path), locking=True), host)  # untitled
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        await pilot.press("f3")
        await pilot.pause(0.2)
        await pilot.press(*str(report), "enter")
        dialog = await until_dialog(pilot, app)
        assert f"(tệp {PARTS[TRAINING]})" in dialog.message
        await pilot.press("k")
        await settle(pilot)
        assert app.session.path == report and heading(app).endswith(TYPED)
        assert locking.read_lock(part_file(report, TRAINING)).pid == os.getpid()


# -- a part whose holder is gone -----------------------------------------------------------


@drive
async def test_t_takes_over_an_abandoned_part_and_restores_its_copy(report, host):
    session = crashed_session(report)
    killed(session, report=False)  # only the part stays locked
    app = make_app(DraftSession.open(report, lock=True), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        assert not isinstance(app.screen, ConfirmScreen)  # not ours yet: not offered …
        assert "chọn mục đó trên Dàn ý rồi nhấn t" in messages(app)  # … but named
        assert part_copy(report, TRAINING).exists()
        assert outline_line(app, TRAINING).endswith("[khóa]")
        assert app.check_action("take_over", ()) is False  # the introduction is selected
        await goto(pilot, app, Part("section", TRAINING))
        notice = str(app.query_one("#form .notice").render())
        assert "có vẻ đã bỏ dở" in notice and "nhấn t để tiếp quản" in notice
        assert app.check_action("take_over", ()) is True
        await pilot.press("escape", "t")
        dialog = await until_dialog(pilot, app)
        assert dialog.title_text == "Tiếp quản phần?"
        assert f"(tệp {PARTS[TRAINING]})" in dialog.message
        assert (
            "không còn chạy" in dialog.message
            and part_copy(report, TRAINING).name in dialog.message
        )
        await pilot.press("k")
        await settle(pilot)
        assert heading(app).endswith(TYPED) and app.session.dirty
        assert locking.read_lock(part_file(report, TRAINING)).pid == os.getpid()
        assert outline_line(app, TRAINING).endswith("[tệp]")
        assert "Đã tiếp quản mục 2.4." in messages(app)
        assert app.check_action("take_over", ()) is False
        await pilot.press("f2")
        await settle(pilot)
    assert store.load(report).sections[TRAINING].heading.endswith(TYPED)
    assert not part_copy(report, TRAINING).exists()
    assert not list(report.parent.rglob("*.lock"))


@drive
async def test_only_taking_over_reads_the_part_again_from_disk(report, host):
    session = crashed_session(report)
    killed(session, report=False)
    app = make_app(DraftSession.open(report, lock=True), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # The gone holder had saved the part after this app read it.
        part = part_file(report, TRAINING)
        text = part.read_text(encoding="utf-8")
        part.write_text(
            text.replace('heading = ""', 'heading = "Lưu trên đĩa"', 1), encoding="utf-8"
        )
        await goto(pilot, app, Part("section", TRAINING))
        await pilot.press("escape", "t")
        await until_dialog(pilot, app)
        await pilot.press("t")  # take over only: the copy stays untouched for now
        await settle(pilot)
        assert heading(app) == "Lưu trên đĩa"
        assert not app.session.dirty
        assert part_copy(report, TRAINING).exists()
        await pilot.press("f10")
        await pilot.pause(0.2)
    assert locking.read_lock(part) is None


@drive
async def test_taking_a_part_back_may_keep_what_this_draft_typed_in_it(report, host):
    app = make_app(DraftSession.open(report, lock=True), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.session.set_value(("sections", TRAINING, "heading"), "Của tôi")
        app.main_screen.changed()  # as after typing: the title, the analysis
        # Someone took the part over meanwhile, then their process ended.
        pid = gone_pid()
        now = dt.datetime.now().astimezone()
        gone = LockHolder("nva", socket.gethostname(), pid, now, now, None, "deaddeaddeaddead")
        lock = locking.lock_path(part_file(report, TRAINING))
        lock.write_text(gone.to_json(), encoding="utf-8")
        app.safety.refresh_lock()
        await goto(pilot, app, Part("section", TRAINING))
        assert outline_line(app, TRAINING).endswith("[khóa]")
        await pilot.press("escape", "t")
        dialog = await until_dialog(pilot, app)
        assert "g giữ chúng" in dialog.message
        assert [value for _, _, value in dialog.choices] == ["take_over", "keep"]
        await pilot.press("g")
        await settle(pilot)
        assert heading(app) == "Của tôi" and app.session.dirty
        assert locking.read_lock(part_file(report, TRAINING)).pid == os.getpid()
        await pilot.press("f2")
        await settle(pilot)
        assert not app.session.dirty
    assert store.load(report).sections[TRAINING].heading == "Của tôi"


@drive
async def test_t_on_a_part_whose_holder_is_active_refuses(report, host):
    part = part_file(report, MEDIA)
    now = dt.datetime.now().astimezone()
    alive = LockHolder("nva", socket.gethostname(), os.getpid(), now, now, None, "feedfeed")
    locking.lock_path(part).write_text(alive.to_json(), encoding="utf-8")
    # A copy beside a part someone is working on is theirs: never offered here.
    copy = part_copy(report, MEDIA)
    copy.write_text(part.read_text(encoding="utf-8"), encoding="utf-8")
    app = make_app(DraftSession.open(report, lock=True), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        assert not isinstance(app.screen, ConfirmScreen)
        await goto(pilot, app, Part("section", MEDIA))
        assert app.check_action("take_over", ()) is False
        notice = str(app.query_one("#form .notice").render())
        assert "đang do tài khoản nva" in notice and "tiếp quản" not in notice
        await pilot.press("escape")
        app.action_take_over()  # as from the palette
        await pilot.pause(0.1)
        assert "vẫn đang làm việc" in messages(app)
        assert not isinstance(app.screen, ConfirmScreen)
    assert copy.exists() and locking.read_lock(part).user == "nva"


@drive
async def test_taking_over_the_report_takes_the_parts_the_same_gone_session_held(report, host):
    session = crashed_session(report)
    killed(session)  # the report's lock and the part's, both of one killed process
    app = make_app(DraftSession.open(report, lock=True), host, recovery=find_recovery(report))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.session.read_only is False  # 2.5. is free: the app can edit it …
        assert app.session.locked_by is not None and app.session.locked_by.stale
        assert "Dàn ý rồi nhấn" not in messages(app)  # … and t on the report brings 2.4. too
        assert app.check_action("take_over", ()) is True
        await goto(pilot, app, Part("section", TRAINING))  # t on the part: the report's question
        await pilot.press("escape", "t")
        dialog = await until_dialog(pilot, app)
        assert dialog.title_text == "Tiếp quản tệp?"
        assert "Cùng khóa bị bỏ dở: mục 2.4." in dialog.message
        assert f"(tệp {PARTS[TRAINING]})" in dialog.message and "Khôi phục luôn?" in dialog.message
        await pilot.press("k")
        await settle(pilot)
        assert app.session.locked_by is None
        assert locking.read_lock(part_file(report, TRAINING)).pid == os.getpid()
        assert heading(app).endswith(TYPED) and app.session.dirty
        assert "và 1 tệp phần và khôi phục bản nháp" in messages(app)
        await pilot.press("f2")
        await settle(pilot)
    assert store.load(report).sections[TRAINING].heading.endswith(TYPED)
    assert not list(report.parent.rglob("*.lock")) and not part_copy(report, TRAINING).exists()


@drive
async def test_a_copy_someone_left_beside_an_untouched_part_survives_a_save(report, host):
    app = make_app(DraftSession.open(report, lock=True), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Meanwhile a colleague's session, editing 2.5., hangs up: its copy stays behind.
        other = DraftSession.open(report, lock=True)
        other.set_value(("sections", MEDIA, "heading"), "Của đồng nghiệp")
        other.write_recovery(force=True)
        other.release_lock()
        await pilot.press("enter", "ctrl+end", *TYPED)  # the introduction, inline
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert not app.session.dirty
    assert part_copy(report, MEDIA).exists()  # not this session's to drop


# -- the hang-up path ------------------------------------------------------------------------

CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from tongket.core.host.pluginhost import PluginHost
    from tongket.core.report.session import DraftSession
    from tongket.tui.app import TongketApp, install_exit_handlers
    from tongket.tui.fields import Part
    from tongket.tui.outline import Outline

    report, marker, index = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])

    async def main():
        host = PluginHost()
        host.load_builtins()
        app = TongketApp(DraftSession.open(report, lock=True), host, cursor_blink=False,
                         recovery_seconds=3600)
        install_exit_handlers(app)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.5)
            outline = app.query_one(Outline)
            outline.focus()
            target = outline.parts.index(Part("section", index))
            while outline.highlighted != target:
                await pilot.press("down")
            await pilot.press("enter")
            await pilot.pause(0.5)
            app.query_one(f"#f-sections-{index}-heading").focus()
            await pilot.press("end", *sys.argv[4])
            while not app.session.dirty:
                await pilot.pause(0.05)
            marker.write_text("edited", encoding="utf-8")
            while True:
                await pilot.pause(0.5)

    asyncio.run(main())
    """
)


@drive
async def test_a_hang_up_while_editing_a_part_writes_its_copy_offered_next_time(report, host):
    marker = report.with_name("edited.marker")
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(report), str(marker), str(TRAINING), TYPED],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    deadline = time.monotonic() + 30
    while not marker.exists():
        if child.poll() is not None or time.monotonic() > deadline:
            child.kill()
            _, err = child.communicate()
            pytest.fail(f"the child never edited (exit {child.returncode}):\n{err.decode()}")
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGHUP)
    _, err = child.communicate(timeout=30)
    assert child.returncode == 128 + signal.SIGHUP
    copy = part_copy(report, TRAINING)
    assert f"đã ghi bản khôi phục {copy}" in err.decode()
    assert store.loads_part(copy.read_text(encoding="utf-8"), "x").heading.endswith(TYPED)
    assert not list(report.parent.rglob("*.lock"))  # the report's and the part's released

    app = make_app(DraftSession.open(report, lock=True), host, recovery=find_recovery(report))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = await until_dialog(pilot, app)
        assert f"(tệp {PARTS[TRAINING]})" in dialog.message
        await pilot.press("k")
        await settle(pilot)
        assert heading(app).endswith(TYPED)
