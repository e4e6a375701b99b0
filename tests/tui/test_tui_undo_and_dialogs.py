"""Undo and typed text that does not parse; toasts over dialogs; the section types' names.

Undo, save and quit act on a field's text as the drafter left it, whenever their key arrives:
keys sent as one burst (a slow SSH link) reach the app before the field has taken them.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from textual._xterm_parser import XTermParser
from tui_harness import SIZE, drive, goto, make_app, settle

from tongket.core.report import store
from tongket.core.report.session import DraftSession
from tongket.tui.app import TongketApp
from tongket.tui.dialogs import ConfirmScreen
from tongket.tui.fields import Part
from tongket.tui.form import EditorPane, FieldInput, FormEditor

DATE = ("document", "date")
SIGNED = dt.date(2021, 4, 2)  # the sample's date of issue
PARENT_AGENCY = ("document", "parent_agency")
BACKSPACES = "\x7f" * 12
CTRL_Z, F2, F10 = "\x1a", "\x1bOQ", "\x1b[21~"


@pytest.fixture
def report(tmp_path, sample_path) -> Path:
    """The sample without its `#` comments, so saving asks nothing first."""
    target = tmp_path / "report.toml"
    store.save(store.load(sample_path), target, backup=False)
    return target


@pytest.fixture
def app(report, host) -> TongketApp:
    return make_app(DraftSession.open(report), host)


@pytest.fixture
def clock(app) -> list[float]:
    """The session's clock, moved by hand: typing a while apart makes separate undo steps."""
    now = [1000.0]
    app.session.clock = lambda: now[0]
    return now


async def burst(pilot, data: str) -> None:
    """Send terminal input as one chunk: every key is queued before the app handles the first."""
    for event in XTermParser().feed(data):
        pilot.app.post_message(event)
    await settle(pilot)


async def date_field(pilot, app: TongketApp) -> FieldInput:
    """The date of issue in the particulars, focused, its text selected."""
    await goto(pilot, app, Part("header"))
    await pilot.press(*["tab"] * 6)  # kind → … → place → date
    field = app.focused
    assert isinstance(field, FieldInput) and field.field_path == DATE
    assert field.value == "02/04/2021"
    return field


def saved_date(report: Path):
    return tomllib.loads(report.read_text(encoding="utf-8"))["document"].get("date")


def held(app: TongketApp) -> list[tuple]:
    return list(app.query_one(EditorPane).inputs.texts)


# -- undo and text that does not parse ---------------------------------------------------------


@drive
async def test_undo_right_after_a_bad_date_keeps_the_stored_date(app, report, notes):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        field = await date_field(pilot, app)
        await burst(pilot, BACKSPACES + "2021-13-40" + CTRL_Z)  # undo before the keys are in
        assert app.session.get(DATE) == SIGNED
        assert field.value == "02/04/2021" and not held(app)
        assert "Đã hoàn tác chữ gõ ở Ngày ban hành: «2021-13-40» (giữ 02/04/2021)" in notes
        await pilot.press("f2")
        await settle(pilot)
    assert saved_date(report) == SIGNED


@drive
async def test_undo_after_a_pause_does_not_erase_the_stored_date(app, report, clock, notes):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        field = await date_field(pilot, app)
        await burst(pilot, BACKSPACES)  # an empty date: stored as none
        assert app.session.get(DATE) is None
        clock[0] += 5  # what is typed next is a step of its own
        await burst(pilot, "2021-13-40")
        assert app.session.get(DATE) == SIGNED and held(app) == [DATE]
        await pilot.press("ctrl+z")  # takes back the text, not a step of the history
        await settle(pilot)
        assert app.session.get(DATE) == SIGNED
        assert field.value == "02/04/2021" and not held(app)
        await pilot.press("f2")
        await settle(pilot)
    assert saved_date(report) == SIGNED


@drive
async def test_undo_takes_back_bad_text_first_then_the_history(app, notes):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, app, Part("header"))
        await pilot.press("tab", "end", *"X")  # the parent agency, then on to the date
        assert app.session.get(PARENT_AGENCY).endswith("X")
        await pilot.press(*["tab"] * 5)
        field = app.focused
        assert field.field_path == DATE
        await pilot.press(*"31/02/2021")
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert field.value == "02/04/2021" and app.session.get(DATE) == SIGNED
        assert app.session.get(PARENT_AGENCY).endswith("X")  # the text went, nothing else
        await pilot.press("f8")
        await settle(pilot)
        assert not app.session.get(PARENT_AGENCY).endswith("X")
        assert app.session.get(DATE) == SIGNED


@drive
async def test_a_field_never_shows_text_the_report_does_not_hold(app, clock, notes):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        field = await date_field(pilot, app)
        await burst(pilot, BACKSPACES)  # the drafter empties the date …
        clock[0] += 5
        await burst(pilot, "2021-13-40")  # … then types one that does not parse
        await pilot.press("shift+tab")  # away from the date, its text still held
        await pilot.press("f8")  # the history's last step: the date put back for that text
        await settle(pilot)
        assert "Đã hoàn tác: sửa Ngày ban hành" in notes
        # The report holds the emptied date again, and the field says so: its old text,
        # which no longer stands for what would be saved, is not left on screen.
        assert app.session.get(DATE) is None
        assert field.value == "" and not held(app)


@drive
async def test_save_in_the_same_burst_as_bad_text_names_the_field(app, report, notes):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await date_field(pilot, app)
        await burst(pilot, BACKSPACES + "2021-13-40" + F2)
        await settle(pilot)
    assert saved_date(report) == SIGNED
    warning = next((note for note in notes if "chưa được lưu" in note), "")
    assert "Ngày ban hành: «2021-13-40» (tệp giữ 02/04/2021)" in warning


@drive
async def test_quit_in_the_same_burst_as_bad_text_asks_first(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await date_field(pilot, app)
        await burst(pilot, "2021-13-40" + F10)
        assert app.is_running
        assert isinstance(app.screen, ConfirmScreen)
        assert "Ngày ban hành: «2021-13-40»" in app.screen.message
        await pilot.press("s")
        await settle(pilot)
        assert app.query_one(FormEditor).widgets[DATE].value == "2021-13-40"


# -- section types by their Vietnamese names -----------------------------------------------------


@drive
async def test_the_add_section_dialog_names_types_in_vietnamese_only(app, host):
    from textual.widgets import OptionList

    from tongket.tui.dialogs import SectionTypeScreen

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, SectionTypeScreen)
        options = app.screen.query_one("#type-list", OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert shown[1].startswith("Kết quả kinh tế ngành\n")
        for text in shown:
            assert not any(type_id in text for type_id in host.section_types), text
        await pilot.press("down", "enter")  # the ids still pick the type
        await settle(pilot)
    assert app.session.project.sections[1].type == "economic-results"


@drive
async def test_the_palette_adds_sections_by_their_vietnamese_names(app, host):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = [name for name, _, _ in app.palette_commands() if name.startswith("Thêm mục")]
        assert "Thêm mục: Kết quả kinh tế ngành" in names
        assert len(names) == len(host.section_types)
        for name in names:
            assert not any(type_id in name for type_id in host.section_types), name


def test_two_types_with_one_title_are_told_apart_by_their_ids():
    from types import SimpleNamespace

    from tongket.tui.actions import section_type_names

    types = {
        "media": SimpleNamespace(title="Tuyên truyền"),
        "media-extra": SimpleNamespace(title="Tuyên truyền"),
        "training": SimpleNamespace(title="Tập huấn, hội thảo"),
    }
    assert section_type_names(types) == {
        "media": "Tuyên truyền (media)",
        "media-extra": "Tuyên truyền (media-extra)",
        "training": "Tập huấn, hội thảo",
    }


# -- toasts and dialogs --------------------------------------------------------------------------


def toasts(app: TongketApp) -> list[str]:
    return [notification.message for notification in app._notifications]


@drive
async def test_toasts_wait_while_a_dialog_is_open_and_cover_none_of_it(app):
    from tongket.tui.dialogs import SectionTypeScreen

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.notify("Thông báo trước khi mở hộp thoại")
        await pilot.pause(0.1)
        assert toasts(app) == ["Thông báo trước khi mở hộp thoại"]
        await pilot.press("a")  # the section type picker
        await settle(pilot)
        assert isinstance(app.screen, SectionTypeScreen)
        app.notify("Thông báo trong lúc hộp thoại mở")
        await pilot.pause(0.1)
        assert toasts(app) == []  # nothing drawn over the dialog's box
        assert not app.screen.query("Toast")
        await pilot.press("escape")
        await settle(pilot)
        assert toasts(app) == [
            "Thông báo trước khi mở hộp thoại",
            "Thông báo trong lúc hộp thoại mở",
        ]


# -- a report that is a symbolic link ----------------------------------------------------------


@pytest.fixture
def linked(tmp_path, sample_path) -> tuple[Path, Path]:
    """report.toml, a symbolic link to a copy of the sample (with its comments) elsewhere."""
    real = tmp_path / "kho" / "goc.toml"
    real.parent.mkdir()
    real.write_bytes(sample_path.read_bytes())
    link = tmp_path / "report.toml"
    link.symlink_to(real)
    return link, real


@drive
async def test_the_backup_of_a_linked_report_is_named_where_it_is(linked, host):
    link, real = linked
    app = make_app(DraftSession.open(link), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2")  # unchanged, with comments: asked first
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        backup = real.with_name("goc.toml.bak")
        assert f"bản trước vẫn còn ở {backup})" in app.screen.message
        assert "report.toml.bak" not in app.screen.message
        notes: list[str] = []
        notify = app.notify
        app.notify = lambda message, **kw: (notes.append(message), notify(message, **kw))
        await pilot.press("l")  # save anyway, without the comments
        await settle(pilot)
    assert link.is_symlink() and backup.is_file()
    assert not link.with_name("report.toml.bak").exists()
    assert "# " in backup.read_text(encoding="utf-8")  # the version with the comments
    assert any(f"bản có chú thích còn ở {backup}." in note for note in notes), notes


# -- punctuation of notices ----------------------------------------------------------------------


def test_a_quoted_reason_ends_with_one_stop():
    from tongket.tui.messages import sentence

    assert sentence("tệp đang được mở để sửa bởi nva") == "tệp đang được mở để sửa bởi nva."
    assert sentence("mục 2.3.") == "mục 2.3."
    assert sentence("chỉ xem được. ") == "chỉ xem được."
    assert sentence("Kết quả…") == "Kết quả…"


@drive
async def test_a_refusal_whose_reason_has_a_stop_says_it_once(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.safety.refuse_edit("tệp đang được mở ở máy khác.")
        app.safety.refuse_edit("mục chỉ đọc")
        await pilot.pause(0.1)
        assert toasts(app) == [
            "Không sửa được: tệp đang được mở ở máy khác.",
            "Không sửa được: mục chỉ đọc.",
        ]
