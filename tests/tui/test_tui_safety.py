"""The app never overwrites someone's work: save conflicts, file locks and read-only views,
taking over an abandoned lock, and sections written by a newer plugin (Pilot, keys only)."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys

from textual.widgets import TextArea
from tui_harness import SIZE, drive, make_app, settle

from tongket.core.report import locking, store
from tongket.core.report.locking import LockHolder
from tongket.core.report.session import DraftSession
from tongket.tui.app import TongketApp
from tongket.tui.dialogs import ConfirmScreen, PathScreen
from tongket.tui.fields import Part
from tongket.tui.form import FormEditor
from tongket.tui.outline import Outline


def messages(app: TongketApp) -> str:
    return "\n".join(notification.message for notification in app._notifications)


def someone_else(report, *, alive: bool = True) -> LockHolder:
    """Plant the lock of another drafter on this machine: a live process, or one long gone."""
    pid = os.getpid()
    if not alive:
        process = subprocess.Popen([sys.executable, "-c", "pass"])
        process.wait()
        pid = process.pid
    now = dt.datetime.now().astimezone()
    holder = LockHolder("nva", socket.gethostname(), pid, now, now, None, "feedfeedfeedfeed")
    locking.lock_path(report).write_text(holder.to_json(), encoding="utf-8")
    return holder


def changed_on_disk(path) -> None:
    """Someone else saves the report: the number becomes 99."""
    text = path.read_text(encoding="utf-8").replace('number = ""', 'number = "99"', 1)
    path.write_text(text, encoding="utf-8")


async def type_in_introduction(pilot, text: str) -> None:
    await pilot.press("enter", "ctrl+end", *text)


# -- save conflicts ------------------------------------------------------------------------


@drive
async def test_a_save_conflict_offers_reload_which_asks_before_dropping_changes(sample_copy, host):
    app = make_app(DraftSession.open(sample_copy), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_in_introduction(pilot, " XYZ")
        changed_on_disk(sample_copy)
        await pilot.press("f2")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmScreen)
        assert "đã bị thay đổi trên đĩa" in app.screen.message
        assert [value for _, _, value in app.screen.choices] == ["save_as", "reload", "overwrite"]
        await pilot.press("r")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmScreen)  # the unsaved typing would be lost: ask
        assert "bỏ các thay đổi chưa lưu" in app.screen.message
        await pilot.press("b")
        await pilot.pause(0.3)
        assert app.session.project.document.number == "99"
        assert not app.session.project.sections[0].data["text"].endswith("XYZ")
        assert not app.session.dirty and app.title == "report.toml"
        assert (
            not app.query_one(FormEditor)
            .widgets[("sections", 0, "data", "text")]
            .text.endswith("XYZ")
        )
    assert store.load(sample_copy).document.number == "99"  # reloading wrote nothing


@drive
async def test_a_save_conflict_overwrites_only_when_told(sample_copy, host):
    app = make_app(DraftSession.open(sample_copy), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_in_introduction(pilot, " XYZ")
        changed_on_disk(sample_copy)
        await pilot.press("f2")
        await pilot.pause(0.1)
        await pilot.press("escape")  # cancel: nothing written
        await pilot.pause(0.1)
        assert store.load(sample_copy).document.number == "99"
        await pilot.press("f2")
        await pilot.pause(0.1)
        await pilot.press("g")  # overwrite, explicitly
        await pilot.pause(0.2)
        assert not app.session.dirty
    written = store.load(sample_copy)
    assert written.sections[0].data["text"].endswith(" XYZ")
    assert written.document.number == ""


@drive
async def test_a_save_conflict_saves_as_another_file(sample_copy, host, tmp_path):
    app = make_app(DraftSession.open(sample_copy), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_in_introduction(pilot, " XYZ")
        changed_on_disk(sample_copy)
        await pilot.press("f2")
        await pilot.pause(0.1)
        await pilot.press("t")
        await pilot.pause(0.1)
        assert isinstance(app.screen, PathScreen)
        await pilot.press("ctrl+u", *"cua-toi.toml", "enter")  # in the working folder
        await pilot.pause(0.2)
        assert app.session.path.resolve() == tmp_path / "cua-toi.toml"
    assert store.load(tmp_path / "cua-toi.toml").sections[0].data["text"].endswith(" XYZ")
    assert store.load(sample_copy).document.number == "99"


# -- locks ---------------------------------------------------------------------------------


@drive
async def test_a_file_someone_else_holds_opens_read_only_and_says_who(sample_copy, host):
    holder = someone_else(sample_copy)
    before = sample_copy.read_bytes()
    app = make_app(DraftSession.open(sample_copy, lock=True), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        banner = str(app.query_one("#banner").render())
        assert app.query_one("#banner").display
        assert banner.startswith("CHỈ XEM: tệp đang được mở để sửa bởi tài khoản nva")
        assert f"trên máy {holder.host} (tiến trình {holder.pid})" in banner
        assert f"từ {holder.since:%H:%M} ngày" in banner
        assert "F4 lưu thành tệp khác" in banner and "tiếp quản" not in banner
        assert "CHỈ XEM" in app.sub_title
        # Typing is refused with the reason, and changes nothing.
        await pilot.press("enter", "X")
        assert isinstance(app.focused, TextArea) and app.focused.read_only
        assert not app.focused.text.startswith("X")
        assert "Không sửa được: tệp đang được mở để sửa bởi tài khoản nva" in messages(app)
        # Adding a section from the outline is refused too.
        await pilot.press("escape", "a")
        await pilot.pause(0.1)
        assert not isinstance(app.screen, ConfirmScreen)
        assert len(app.session.project.sections) == 8
        # Save is disabled (dimmed); the palette's save says why.
        assert app.screen.active_bindings["f2"].enabled is False
        await pilot.press("f2")
        app.action_save()
        await pilot.pause(0.1)
        assert "Không lưu được: tệp đang được mở để sửa bởi" in messages(app)
        assert not app.session.dirty
        # The "t" key offers nothing while the holder is active.
        await pilot.press("t")
        await pilot.pause(0.1)
        assert not isinstance(app.screen, ConfirmScreen)
    assert sample_copy.read_bytes() == before
    assert locking.read_lock(sample_copy) == holder  # closing the view left their lock alone


@drive
async def test_a_read_only_view_saves_as_another_file_and_edits_that(sample_copy, host, tmp_path):
    someone_else(sample_copy)
    app = make_app(DraftSession.open(sample_copy, lock=True), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await pilot.pause(0.1)
        default = app.screen.query_one("#path-input").value
        assert default == str(tmp_path / "report-ban-sao.toml")
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert not app.session.read_only
        assert not app.query_one("#banner").display
        assert locking.read_lock(tmp_path / "report-ban-sao.toml").pid == os.getpid()
        await type_in_introduction(pilot, " XYZ")
        await pilot.press("f2")
        await pilot.pause(0.2)
    assert store.load(tmp_path / "report-ban-sao.toml").sections[0].data["text"].endswith("XYZ")
    assert locking.read_lock(tmp_path / "report-ban-sao.toml") is None  # released on exit


@drive
async def test_an_abandoned_lock_is_taken_over_with_t_and_the_recovery_offered(sample_copy, host):
    someone_else(sample_copy, alive=False)
    # The crashed holder left a recovery copy of their unsaved work.
    crashed = DraftSession.open(sample_copy)
    crashed.set_value(("document", "place"), "Huế")
    crashed.write_recovery()
    app = make_app(DraftSession.open(sample_copy, lock=True), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        banner = str(app.query_one("#banner").render())
        assert banner.startswith("CHỈ XEM — nhấn t để tiếp quản: khóa của tài khoản nva")
        assert "không còn chạy" in banner
        assert not isinstance(app.screen, ConfirmScreen)  # no recovery offer in a read-only view
        await pilot.press("t")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmScreen)
        assert "khóa có vẻ đã bỏ dở" in app.screen.message
        assert "bản khôi phục" in app.screen.message  # offered in the same question
        await pilot.press("k")  # take over and restore
        await pilot.pause(0.3)
        assert not app.session.read_only
        assert locking.read_lock(sample_copy).pid == os.getpid()
        assert app.session.project.document.place == "Huế"
        await pilot.press("f2")
        await pilot.pause(0.2)
    assert store.load(sample_copy).document.place == "Huế"
    assert locking.read_lock(sample_copy) is None


@drive
async def test_take_over_from_the_command_palette(sample_copy, host):
    someone_else(sample_copy, alive=False)
    app = make_app(DraftSession.open(sample_copy, lock=True), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("colon", *"tiếp quản")
        await pilot.pause(0.4)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("t")
        await pilot.pause(0.2)
        assert not app.session.read_only and not app.query_one("#banner").display


@drive
async def test_the_lock_is_refreshed_while_open_and_lost_when_taken_over(sample_copy, host):
    app = make_app(DraftSession.open(sample_copy, lock=True), host, lock_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lock = app.session.lock
        first = locking.read_lock(sample_copy)
        assert first.token == lock.holder.token
        # Polled, not a fixed pause: on a loaded machine the refresh timer may run late.
        for _ in range(50):
            await pilot.pause(0.1)
            if locking.read_lock(sample_copy).refreshed > first.refreshed:
                break
        assert locking.read_lock(sample_copy).refreshed > first.refreshed
        await type_in_introduction(pilot, " XYZ")
        locking.acquire(sample_copy, force=True)  # someone forces their way in
        for _ in range(50):
            await pilot.pause(0.1)
            if app.session.read_only:
                break
        assert app.session.read_only and app.query_one("#banner").display
        assert "Người khác đã tiếp quản tệp này" in messages(app)
        assert app.session.dirty  # the typing is kept, for "save as"


# -- sections written by a newer plugin ----------------------------------------------------


@drive
async def test_a_section_newer_than_its_plugin_is_shown_read_only(sample_copy, host):
    session = DraftSession.open(sample_copy)
    media = next(i for i, s in enumerate(session.project.sections) if s.type == "media")
    newer = host.section_types["media"].version + 1
    session.project.sections[media].version = newer
    store.save(session.project, sample_copy)
    before = store.load(sample_copy).sections[media]
    app = make_app(DraftSession.open(sample_copy), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        outline = app.query_one(Outline)
        target = outline.parts.index(Part("section", media))
        while outline.highlighted != target:
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause(0.3)
        notice = str(app.query_one("#form .notice").render())
        assert f"dữ liệu được viết bởi phiên bản {newer} của loại mục 'media'" in notice
        assert "chỉ đọc" in notice
        await pilot.press(*"abc")
        await pilot.pause(0.1)
        assert "Không sửa được: dữ liệu được viết bởi phiên bản" in messages(app)
        assert not app.session.dirty
        # The rest of the report is editable, and saving keeps the section as it was.
        await pilot.press("escape", "home", "down", "down", "down", "down", "enter")
        await pilot.press("ctrl+end", *" XYZ", "f2")
        await pilot.pause(0.2)
    saved = store.load(sample_copy)
    assert saved.sections[0].data["text"].endswith(" XYZ")
    assert saved.sections[media] == before


# -- a read-only report, and comments that saving drops ----------------------------------


@drive
async def test_saving_over_a_read_only_report_asks_first(sample_copy, host):
    sample_copy.chmod(0o444)
    before = sample_copy.read_bytes()
    app = make_app(DraftSession.open(sample_copy), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_in_introduction(pilot, " XYZ")
        await pilot.press("f2")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.title_text == "Tệp chỉ cho đọc"
        assert f"{sample_copy} được đặt chỉ cho đọc" in app.screen.message
        assert [value for _, _, value in app.screen.choices] == ["overwrite", "save_as"]
        await pilot.press("escape")  # cancel: nothing written
        await pilot.pause(0.1)
        assert sample_copy.read_bytes() == before and app.session.dirty
        await pilot.press("f2")
        await pilot.pause(0.1)
        await pilot.press("g")  # write over it, explicitly
        await pilot.pause(0.3)
        assert not app.session.dirty
    assert store.load(sample_copy).sections[0].data["text"].endswith(" XYZ")
    assert sample_copy.stat().st_mode & 0o777 == 0o444  # still marked read-only


@drive
async def test_a_read_only_report_may_be_saved_as_another_file(sample_copy, host, tmp_path):
    sample_copy.chmod(0o444)
    before = sample_copy.read_bytes()
    app = make_app(DraftSession.open(sample_copy), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_in_introduction(pilot, " XYZ")
        await pilot.press("f2")
        await pilot.pause(0.1)
        await pilot.press("t")
        await pilot.pause(0.1)
        assert isinstance(app.screen, PathScreen)
        await pilot.press("ctrl+u", *"ban-sua.toml", "enter")
        await pilot.pause(0.3)
    assert sample_copy.read_bytes() == before
    assert store.load(tmp_path / "ban-sua.toml").sections[0].data["text"].endswith(" XYZ")


@drive
async def test_saving_a_report_with_comments_asks_before_dropping_them(sample_copy, host):
    app = make_app(DraftSession.open(sample_copy), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2")  # no change yet: the file would still be rewritten
        await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.title_text == "Chú thích sẽ mất"
        assert "report.toml có chú thích (#) ở dòng 1 và" in app.screen.message
        assert "các chú thích sẽ không còn" in app.screen.message
        assert [value for _, _, value in app.screen.choices] == ["continue", "save_as"]
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert store.file_comment_lines(sample_copy)  # nothing written
        await pilot.press("f2")
        await pilot.pause(0.1)
        await pilot.press("l")  # save anyway
        await pilot.pause(0.3)
        assert "không giữ" in messages(app) and "report.toml.bak" in messages(app)
    assert store.file_comment_lines(sample_copy) == []
    assert store.file_comment_lines(sample_copy.with_name("report.toml.bak"))


@drive
async def test_the_first_change_says_comments_will_be_dropped(sample_copy, host, tmp_path):
    app = make_app(DraftSession.open(sample_copy), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "chú thích" not in messages(app)
        await type_in_introduction(pilot, " XYZ")
        assert "report.toml có chú thích (#) ở dòng 1 và" in messages(app)
        assert "F4 lưu thành tệp khác" in messages(app)
        assert messages(app).count("có chú thích (#)") == 1  # said once, not per key
        await pilot.press("f4")  # keep the original: save the draft as another file
        await pilot.pause(0.1)
        await pilot.press("ctrl+u", *"ban-moi.toml", "enter")
        await pilot.pause(0.3)
        assert not isinstance(app.screen, ConfirmScreen)  # a new file: nothing to drop
    assert store.file_comment_lines(sample_copy)  # the original keeps its comments
    assert store.load(tmp_path / "ban-moi.toml").sections[0].data["text"].endswith(" XYZ")


@drive
async def test_once_told_the_drafter_saves_without_a_question(sample_copy, host):
    app = make_app(DraftSession.open(sample_copy), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_in_introduction(pilot, " XYZ")  # told here
        await pilot.press("f2")
        await pilot.pause(0.3)
        assert not isinstance(app.screen, ConfirmScreen)
        assert not app.session.dirty
        assert "không giữ" in messages(app)
    assert store.file_comment_lines(sample_copy) == []


# -- damaged lock files ------------------------------------------------------------------


@drive
async def test_a_fifo_as_lock_file_is_named_and_may_be_taken_over(sample_copy, host):
    os.mkfifo(locking.lock_path(sample_copy))
    app = make_app(DraftSession.open(sample_copy, lock=True), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        banner = str(app.query_one("#banner").render())
        assert banner.startswith(
            "CHỈ XEM — nhấn t để tiếp quản: tệp khóa report.toml.lock hỏng (là một FIFO"
        )
        assert "không rõ ai đang giữ tệp" in banner
        assert app.sub_title == "CHỈ XEM — tệp khóa hỏng"
        await pilot.press("t")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Tệp khóa report.toml.lock hỏng (là một FIFO" in app.screen.message
        await pilot.press("t")
        await pilot.pause(0.3)
        assert not app.session.read_only and not app.query_one("#banner").display
        assert locking.read_lock(sample_copy).pid == os.getpid()
    assert locking.read_lock(sample_copy) is None


@drive
async def test_a_folder_as_lock_file_is_named_and_left_alone(sample_copy, host):
    locking.lock_path(sample_copy).mkdir()
    app = make_app(DraftSession.open(sample_copy, lock=True), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        banner = str(app.query_one("#banner").render())
        assert banner.startswith(
            "CHỈ XEM: report.toml.lock là một thư mục, không phải tệp khóa của tongket"
        )
        assert "xóa hoặc đổi tên nó rồi mở lại" in banner
        await pilot.press("t")
        await pilot.pause(0.1)
        assert not isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter", "X")
        assert "Không sửa được: report.toml.lock là một thư mục" in messages(app)
    assert locking.lock_path(sample_copy).is_dir()


@drive
async def test_markup_in_a_lock_file_is_not_read_as_markup(sample_copy, host):
    now = dt.datetime.now().astimezone()
    holder = LockHolder("[bold]nva", socket.gethostname(), os.getpid(), now, now)
    locking.lock_path(sample_copy).write_text(holder.to_json(), encoding="utf-8")
    app = make_app(DraftSession.open(sample_copy, lock=True), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        banner = str(app.query_one("#banner").render())
        assert "tệp khóa report.toml.lock hỏng (tên tài khoản không hợp lệ)" in banner


@drive
async def test_deferred_work_arriving_while_the_app_closes_is_dropped(sample_copy, host):
    # A refused edit re-mounts the editor later, and typing schedules an analysis; when the
    # app closes first, those calls find no widgets and must not crash the exit.
    app = make_app(DraftSession.open(sample_copy), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.main_screen  # the analysis and the editor are the main screen's
        part = screen.part
        screen._analysed_revision = -1  # as if an edit were waiting for its analysis
    assert not app.is_running
    screen.analyse()
    await screen.show_part(part, force=True)
    screen.refresh_preview()
