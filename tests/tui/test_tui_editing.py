"""Drafting at 80×24 without losing a keystroke (Pilot, on a copy of the sample).

The line being typed stays on screen; text typed into a field that does not parse stays as
typed, is listed as a problem and never reaches the report; keys arriving in one burst (a slow
SSH link) apply in the order they were typed.
"""

from __future__ import annotations

import tomllib

import pytest
from textual._xterm_parser import XTermParser
from tui_harness import drive, goto, settle

from tongket.tui.app import TongketApp
from tongket.tui.dialogs import ConfirmScreen
from tongket.tui.fields import Part
from tongket.tui.form import FieldInput, FieldText, FormEditor

SIZE = (80, 24)
TRAINING = Part("section", 6)  # 2.4. training: the minimum of classes a year is a number field
MIN_PER_YEAR = ("sections", 6, "data", "min_per_year")
PARENT_AGENCY = ("document", "parent_agency")


async def burst(pilot, data: str) -> None:
    """Send terminal input as one chunk, the way a slow SSH link delivers it: the driver's
    parser turns it into key events, all queued before the app handles the first."""
    for event in XTermParser().feed(data):
        pilot.app.post_message(event)
    await settle(pilot)


def hint(app: TongketApp) -> str:
    return str(app.query_one("#hint").render())


def listed(app: TongketApp, path: tuple) -> list[str]:
    """The problems list's messages about `path`."""
    return [
        problem.message for problem in app.query_one("#problems").problems if problem.path == path
    ]


async def number_field(pilot, app: TongketApp) -> FieldInput:
    """The training section's minimum of classes a year (2), focused."""
    await goto(pilot, app, TRAINING)
    await pilot.press("tab", "tab")  # the classes grid → the counts per year → the minimum
    field = app.focused
    assert isinstance(field, FieldInput) and field.field_path == MIN_PER_YEAR
    assert field.value == "2"
    return field


# -- the cursor line stays on screen ---------------------------------------------------------


@pytest.mark.parametrize("lines", [15, 20])
@drive
async def test_the_line_being_typed_stays_on_screen(app, lines):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the opening (Mở đầu): its prose
        area = app.focused
        assert isinstance(area, FieldText)
        await pilot.press("ctrl+end")
        for number in range(1, lines + 1):
            await pilot.press("enter", *f"dong {number}")
        await settle(pilot)
        assert area.document[area.cursor_location[0]] == f"dong {lines}"
        cursor = area.cursor_screen_offset
        form = app.query_one(FormEditor)
        assert form.scrollable_content_region.contains(*cursor)
        assert cursor.y < app.query_one("#hint").region.y
        under_cursor, _ = app.get_widget_at(*cursor)  # drawn there, not covered by the hint
        assert under_cursor is area


# -- typed text that does not parse ----------------------------------------------------------


@drive
async def test_text_that_does_not_parse_stays_as_typed_and_out_of_the_report(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        field = await number_field(pilot, app)
        await pilot.press("end", *"0x5")  # "20" is a number on the way to "20x5"
        assert field.value == "20x5"
        assert app.session.get(MIN_PER_YEAR) == 2  # never the 20 typed on the way
        assert field.has_class("-invalid")
        assert hint(app).startswith("! ")
        await settle(pilot)
        assert any("20x5" in message for message in listed(app, MIN_PER_YEAR))
        await pilot.press("tab")  # leaving the field keeps the text and its mark
        await settle(pilot)
        assert field.value == "20x5" and field.has_class("-invalid")
        assert listed(app, MIN_PER_YEAR)

        await pilot.press("shift+tab", "end", "backspace", "backspace")  # "20": a number
        assert field.value == "20"
        assert app.session.get(MIN_PER_YEAR) == 20
        assert not field.has_class("-invalid")
        await settle(pilot)
        assert not listed(app, MIN_PER_YEAR)
        assert not hint(app).startswith("!")


@drive
async def test_clearing_a_field_clears_its_error(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        field = await number_field(pilot, app)
        await pilot.press("end", "x")
        await settle(pilot)
        assert field.has_class("-invalid") and listed(app, MIN_PER_YEAR)
        await pilot.press("tab", "shift+tab")  # away and back: the error is still said
        assert hint(app).startswith("! ")
        await pilot.press("ctrl+u")
        assert field.value == ""
        assert not field.has_class("-invalid")
        assert not hint(app).startswith("!")
        await settle(pilot)
        assert not listed(app, MIN_PER_YEAR)


@drive
async def test_text_that_does_not_parse_survives_showing_another_part(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        field = await number_field(pilot, app)
        await pilot.press("end", *"0x5")
        await goto(pilot, app, Part("header"))
        assert not field.is_attached  # the training form is gone …
        assert listed(app, MIN_PER_YEAR)  # … but not what was typed into it
        await goto(pilot, app, TRAINING)
        shown = app.query_one(FormEditor).widgets[MIN_PER_YEAR]
        assert shown.value == "20x5" and shown.has_class("-invalid")
        assert app.session.get(MIN_PER_YEAR) == 2


@drive
async def test_saving_names_the_field_whose_text_was_not_saved(app, sample_copy, monkeypatch):
    notes: list[str] = []
    notify = app.notify
    monkeypatch.setattr(
        app, "notify", lambda message, **kw: (notes.append(message), notify(message, **kw))
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        field = await number_field(pilot, app)
        await pilot.press("end", *"0x5")
        await pilot.press("f2")
        await settle(pilot)
        assert field.value == "20x5"
    saved = tomllib.loads(sample_copy.read_text(encoding="utf-8"))
    assert saved["sections"][6]["data"]["min_per_year"] == 2
    assert any("chưa được lưu" in note and "«20x5» (tệp giữ 2)" in note for note in notes)


@drive
async def test_quitting_with_text_that_does_not_parse_asks_first(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        field = await number_field(pilot, app)
        await pilot.press("end", *"0x5", "f2")  # saved: nothing else is unsaved
        await settle(pilot)
        assert not app.session.dirty
        await pilot.press("f10")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmScreen)
        assert "«20x5»" in app.screen.message
        await pilot.press("s")  # back to the field, the text still there
        await pilot.pause(0.1)
        assert app.is_running and field.value == "20x5"
        await pilot.press("f10")
        await pilot.pause(0.1)
        await pilot.press("b")
        await pilot.pause(0.2)
    assert app.return_code == 0


# -- keys in one burst -----------------------------------------------------------------------


@drive
async def test_a_burst_of_keys_applies_in_order_in_a_one_line_field(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, app, Part("header"))
        await pilot.press("tab")  # the kind → the parent agency, its text selected
        field = app.focused
        assert isinstance(field, FieldInput) and field.field_path == PARENT_AGENCY
        before = field.value
        await burst(pilot, "\x1b[HX")  # Home, then X
        assert field.value == "X" + before
        await burst(pilot, "\x1b[FY\x1b[DZ")  # End, Y, Left, Z
        assert field.value == "X" + before + "ZY"
        assert app.session.get(PARENT_AGENCY) == field.value


@drive
async def test_a_burst_of_keys_applies_in_order_in_a_text_area(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the opening's prose
        area = app.focused
        assert isinstance(area, FieldText)
        await pilot.press("ctrl+end", "enter", *"abc")
        await burst(pilot, "\x1b[HX")  # Home, then X
        assert area.document[area.document.line_count - 1] == "Xabc"
        await burst(pilot, "\x1b[F\x7fY")  # End, Backspace, Y
        assert area.text.endswith("\nXabY")
        assert app.session.get(("sections", 0, "data", "text")) == area.text


@drive
async def test_keys_after_tab_in_the_same_burst_go_to_the_next_field(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, app, Part("header"))
        await pilot.press("tab")  # the parent agency
        before = app.session.get(PARENT_AGENCY)
        await burst(pilot, "\tQ\tR")  # on to the agency, Q; on to the number, R
        assert app.session.get(PARENT_AGENCY) == before
        assert app.session.get(("document", "agency")) == "Q"
        assert app.session.get(("document", "number")) == "R"
        assert app.focused.field_path == ("document", "number")


@drive
async def test_a_choice_field_removed_while_it_mounts_does_not_take_the_app_down():
    # A part replaced while its form mounts (a reload after the lock is lost) once left a
    # Select whose inner label was gone; Textual's value watcher then raised NoMatches.
    from textual.app import App
    from textual.widgets import Static

    from tongket.tui.form import FieldSelect

    class OneSelect(App):
        def compose(self):
            yield FieldSelect([("đoàn đến", "den"), ("đoàn đi", "di")], value="den")

    app = OneSelect()
    async with app.run_test() as pilot:
        select = app.query_one(FieldSelect)
        await select.query_one("#label", Static).remove()
        select.value = "di"  # the watcher runs with the label gone
        await pilot.pause(0.05)
        assert app.is_running and select.value == "di"
