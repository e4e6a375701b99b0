"""A clerk's first report, at 80×24 and by keyboard: `tongket new`, then filling it in.

Each test is a place where a first-time user got stuck: a key that did nothing without a
word, a screen that hid the one key that works, a message that said the same thing twice.
"""

from __future__ import annotations

import datetime as dt

import pytest
from test_tui_keys import footer_items, wait_for_footer
from textual.widgets import Select
from tui_harness import SIZE, Part, drive, goto, make_app, settle

from tongket.core.report import store
from tongket.core.report.session import DraftSession, new_project
from tongket.tui.dialogs import ConfirmScreen
from tongket.tui.form import FieldSelect
from tongket.tui.grid import RecordsTable
from tongket.tui.problems import ProblemsList

DATE = ("document", "date")
ISSUED = dt.date(2025, 11, 15)
TRAINING = 5  # in a new report: opening, "1.", then 1.1. to 1.5.; tập huấn is 1.4.


@pytest.fixture
def new_app(tmp_path, host):
    """The app on a report just made by `tongket new --kind bao-cao`."""
    target = tmp_path / "bao-cao-stp-2025.toml"
    store.save(new_project("bao-cao", host), target, exclusive=True)
    return make_app(DraftSession.open(target), host)


@pytest.fixture
def dated_app(tmp_path, host):
    """A new report whose date of issue, 15/11/2025, is already saved."""
    project = new_project("bao-cao", host)
    project.document.date = ISSUED
    target = tmp_path / "bao-cao-stp-2025.toml"
    store.save(project, target, exclusive=True)
    app = make_app(DraftSession.open(target), host)
    app.session.clock = lambda: 1000.0  # every key typed merges into one undo step
    return app


def hint(app) -> str:
    return str(app.query_one("#hint").render())


async def classes_grid(pilot) -> RecordsTable:
    """Open the training section and focus its (empty) grid of classes."""
    app = pilot.app
    await goto(pilot, app, Part("section", TRAINING))
    for _ in range(6):
        focused = app.focused
        if isinstance(focused, RecordsTable) and focused.owner.field.name == "classes":
            return focused
        await pilot.press("tab")
    raise AssertionError("no grid of classes")


@drive
async def test_an_empty_grid_says_how_to_add_its_first_row(new_app):
    async with new_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = await classes_grid(pilot)
        await settle(pilot)
        assert table.row_count == 0
        # Was "Năm (dòng 1/0)": a first row that does not exist, no word on how to add one.
        assert "chưa có dòng nào" in hint(new_app) and "Insert" in hint(new_app)
        assert "1/0" not in hint(new_app)


@drive
async def test_keys_typed_on_an_empty_grid_are_not_dropped_silently(new_app):
    async with new_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await classes_grid(pilot)
        rings: list[None] = []
        new_app.bell = lambda: rings.append(None)
        await pilot.press("enter")
        await settle(pilot)
        # Enter ("Sửa ô") did nothing at all; the hint now says what to press instead.
        assert hint(new_app).startswith("! Lớp tập huấn, hội thảo: chưa có dòng nào")
        assert rings
        rings.clear()
        await pilot.press("escape")  # back to the outline, then the grid again
        await settle(pilot)
        table = await classes_grid(pilot)
        await pilot.press(*"2025")
        await settle(pilot)
        assert table.row_count == 0  # nothing invented …
        assert "chưa có dòng nào" in hint(new_app) and rings  # … and the typing is answered
        await pilot.press("insert")
        await settle(pilot)
        assert table.row_count == 1  # the key the hint names works


@drive
async def test_the_footer_of_an_empty_grid_shows_the_key_that_adds_a_row(new_app):
    async with new_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await classes_grid(pilot)
        await wait_for_footer(pilot)
        labels = [label for _, label in footer_items(new_app)]
        # At 80 columns the dimmed "Enter Sửa ô" took the place of "Thêm dòng".
        assert "Thêm dòng" in labels
        assert "Sửa ô" not in labels
        assert "Thoát" in labels and "Giúp" in labels
        await pilot.press("insert")
        await pilot.press(*"2025", "enter")
        await wait_for_footer(pilot)
        labels = [label for _, label in footer_items(new_app)]
        assert "Sửa ô" in labels  # with a row, editing it comes first again


@drive
async def test_signing_authority_offers_one_choice_for_the_head_signing(new_app):
    async with new_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, new_app, Part("signing"))
        await settle(pilot)
        select = next(
            widget
            for widget in new_app.query(FieldSelect)
            if widget.field_path == ("document", "signer", "prefix")
        )
        prompts = [str(prompt) for prompt, _ in select._options]
        # "(chưa chọn)" stood beside "(người đứng đầu ký)", both storing "".
        assert "(chưa chọn)" not in prompts
        assert prompts[0] == "(người đứng đầu ký)"
        assert select.value == ""
        assert select.value is not Select.NULL


@drive
async def test_a_date_that_does_not_parse_names_its_field_once_in_the_problems(new_app):
    async with new_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, new_app, Part("header"))
        await settle(pilot)
        date = new_app.query_one("#f-document-date")
        date.focus()
        await pilot.press(*"31/11/2025")
        await settle(pilot)
        problems = new_app.query_one(ProblemsList)
        lines = [
            str(problems.get_option_at_index(index).prompt)
            for index in range(problems.option_count)
        ]
        line = next(line for line in lines if "31/11/2025" in line)
        # Was "! Ngày ban hành: Ngày ban hành: «31/11/2025» …": the 30 columns of the list
        # then ended in "Ngày ban hàn…", never saying what was wrong.
        assert line.count("Ngày ban hành") == 1
        assert "Ngày ban hành: «31/11/2025» chưa được lưu" in line


@drive
async def test_undo_away_from_a_retyped_date_puts_the_date_back_on_screen(dated_app):
    app = dated_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, app, Part("header"))
        await settle(pilot)
        date = app.query_one("#f-document-date")
        date.focus()
        await settle(pilot)
        # Emptied and typed over at once: one undo step, which ends where it began.
        await pilot.press("end", *["backspace"] * 10, *"31/11/2025")
        await settle(pilot)
        assert app.session.get(DATE) == ISSUED
        await pilot.press("escape", "f8")  # undo from the outline, as a clerk does
        await settle(pilot)
        # Was: "Đã hoàn tác", the title "đã lưu", yet the field still showed 31/11/2025 with
        # its error, and the problems list kept it; a second F8 had nothing left to undo.
        assert app.session.get(DATE) == ISSUED
        assert date.value == "15/11/2025"
        problems = app.query_one(ProblemsList)
        lines = [
            str(problems.get_option_at_index(index).prompt)
            for index in range(problems.option_count)
        ]
        assert not any("31/11/2025" in line for line in lines)


@drive
async def test_back_to_editing_from_quit_puts_the_cursor_in_the_text_to_mend(new_app):
    async with new_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, new_app, Part("header"))
        await settle(pilot)
        new_app.query_one("#f-document-date").focus()
        await pilot.press(*"31/11/2025", "escape")
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(new_app.screen, ConfirmScreen)
        await pilot.press("s")  # "Quay lại sửa"
        await settle(pilot)
        # Was: back on the outline, the bad date somewhere off to the side.
        assert getattr(new_app.focused, "field_path", None) == DATE
        assert new_app.focused.value == "31/11/2025"
