"""Grids behave like a spreadsheet at 80×24: type on a cell to replace it, Enter to edit it,
marks that read without colour, whole headers, one number syntax, and no keystroke lost."""

from __future__ import annotations

import asyncio
import tomllib

import pytest
from test_tui_editing import burst
from test_tui_keys import footer_items, wait_for_footer
from textual import events
from textual._xterm_parser import XTermParser
from textual.geometry import Region
from textual.widgets import Input, OptionList
from tui_harness import SERIES, SIZE, Part, drive, goto, settle

from tongket.core.host.sectiontypes import Field
from tongket.tui.celledit import CellEditScreen
from tongket.tui.fields import FieldValueError, parse_value
from tongket.tui.form import FormEditor
from tongket.tui.grid import RecordsTable

DELEGATIONS = ("sections", 4, "data", "delegations")
CLASSES = ("sections", 6, "data", "classes")


async def open_grid(pilot, section: int, field: str) -> RecordsTable:
    """Open a section's editor and focus the grid of `field` (Tab from grid to grid)."""
    app = pilot.app
    await goto(pilot, app, Part("section", section))
    for _ in range(12):
        focused = app.focused
        if isinstance(focused, RecordsTable) and focused.owner.field.name == field:
            return focused
        await pilot.press("tab")
    raise AssertionError(f"no grid for {field}")


async def to_cell(pilot, table: RecordsTable, row: int, name: str) -> None:
    """Move the grid's cursor to (`row`, column `name`) with arrow keys."""
    names = [column.name for column in [*table.owner.columns, *table.owner.nested]]
    while table.cursor_row != row:
        await pilot.press("down" if table.cursor_row < row else "up")
    column = names.index(name)
    while table.cursor_column != column:
        await pilot.press("right" if table.cursor_column < column else "left")


def shown(widget) -> list[str]:
    """The widget's lines as drawn now (characters only, no colour)."""
    width, height = widget.size
    return [strip.text for strip in widget.render_lines(Region(0, 0, width, height))]


def saved(path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def cell_input(app) -> Input:
    assert isinstance(app.screen, CellEditScreen)
    return app.screen.query_one("#cell-input", Input)


@drive
async def test_typing_on_a_cell_replaces_its_value_and_enter_stores_it(app, sample_copy):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = await open_grid(pilot, 3, "series")
        await to_cell(pilot, table, 0, "value")  # 2010: 271
        await pilot.press("7")
        assert cell_input(app).value == "7"  # just the key typed, not "2717"
        await pilot.press("enter")
        assert not isinstance(app.screen, CellEditScreen)
        assert app.session.get(SERIES)[0] == {"year": 2010, "value": 7}
        assert table.cursor_coordinate == (1, 1)  # Enter moves down, like a spreadsheet
        await pilot.press("f2")
        await settle(pilot)
    indicator = saved(sample_copy)["sections"][3]["data"]["indicators"][0]
    assert indicator["series"][0] == {"year": 2010, "value": 7}


@drive
async def test_enter_opens_the_old_value_selected(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = await open_grid(pilot, 3, "series")
        await to_cell(pilot, table, 1, "value")  # 2011: 305
        await pilot.press("enter")
        field_input = cell_input(app)
        await settle(pilot, 0.05)
        assert field_input.value == "305"
        assert (field_input.selection.start, field_input.selection.end) == (0, 3)
        await pilot.press("3", "1", "0", "enter")  # typing replaces the selection
        assert app.session.get(SERIES)[1]["value"] == 310


@drive
async def test_keys_typed_at_once_are_all_kept(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = await open_grid(pilot, 3, "series")
        await to_cell(pilot, table, 0, "value")
        # A burst, as tmux or a fast typist delivers it: nothing waits for the dialog to open.
        for key in ["1", "full_stop", "4", "0", "9", "enter", "3", "2", "8", "enter"]:
            character = "." if key == "full_stop" else None if key == "enter" else key
            app.post_message(events.Key(key, character))
        await settle(pilot)
        series = app.session.get(SERIES)
        assert [record["value"] for record in series[:2]] == [1409, 328]
        assert table.cursor_coordinate == (2, 1)


@drive
async def test_a_row_pasted_in_one_burst_into_an_open_cell_editor_is_all_kept(app):
    # Over tmux or SSH a whole row arrives in one read while the year's editor is open:
    # Tab must not store the year before the digits typed ahead of it reach the editor,
    # and what follows a commit must reach the next cell, not the closing dialog.
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = await open_grid(pilot, 4, "delegations")
        await pilot.press("ctrl+end", "insert")
        await settle(pilot, 0.05)
        assert cell_input(app).value == "2015"  # the next year, selected
        await burst(pilot, "2016\tc\tSở Attapeu\tAttapeu, Lào\r")
        assert app.session.get(DELEGATIONS)[-1] == {
            "year": 2016,
            "direction": "di",
            "partner": "Sở Attapeu",
            "place": "Attapeu, Lào",
        }
        assert not isinstance(app.screen, CellEditScreen)
        assert table.cursor_coordinate == (len(app.session.get(DELEGATIONS)) - 1, 4)


@pytest.mark.parametrize("pause", [0, 0.001])
@drive
async def test_rows_typed_on_after_ctrl_n_keep_every_digit(app, pause):
    # Ctrl+N adds a row and opens its year; "2017" sent just after reaches the new editor
    # before it has the focus. Its first digits must not be dropped (that stored 17 or 217).
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_grid(pilot, 4, "delegations")
        await pilot.press("ctrl+end", "insert")
        await settle(pilot, 0.05)
        for chunk in ["2016\tc\tSở A\tA, Lào\r", "\x0e", "2017\tc\tSở B\tB\r", "\x0e", "2018\r"]:
            for event in XTermParser().feed(chunk):
                app.post_message(event)
            await asyncio.sleep(pause)
        await settle(pilot)
        assert [row["year"] for row in app.session.get(DELEGATIONS)[-3:]] == [2016, 2017, 2018]
        assert app.session.get(DELEGATIONS)[-2]["partner"] == "Sở B"


@pytest.mark.parametrize("pause", [0, 0.01, 0.05])
@drive
async def test_a_row_typed_ahead_after_ctrl_n_leaves_its_cursor_on_screen(app, pause):
    # The series grid is taller than the form's view at 80×24, so the form scrolls to the
    # cursor's row. Keys typed ahead of the cell editor used to scroll it by stale screen
    # positions: the grid kept the focus while the form showed the fields below it.
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = await open_grid(pilot, 3, "series")
        for chunk in ["\x1b[1;5F\x0e", *"2022", "\t", *"1.500", "\r"]:  # Ctrl+End, Ctrl+N …
            for event in XTermParser().feed(chunk):
                app.post_message(event)
            await asyncio.sleep(pause)
        await settle(pilot)
        await pilot.pause(0.1)
        assert app.session.get(SERIES)[-1] == {"year": 2022, "value": 1500}
        # Enter on the value moved on to the row's last column (ước thực hiện).
        assert app.focused is table and table.cursor_coordinate == (11, 2)
        header = table.header_height if table.show_header else 0
        row_y = table.content_region.y + header + table.cursor_row - round(table.scroll_y)
        form = app.query_one(FormEditor)
        assert form.scrollable_content_region.contains(table.content_region.x, row_y)
        assert any("▶" in line and "1.500" in line for line in shown(table))


@drive
async def test_cursor_row_and_cell_are_marked_without_colour(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = await open_grid(pilot, 3, "series")
        await to_cell(pilot, table, 2, "value")
        await settle(pilot, 0.1)
        lines = shown(table)
        marked = [line for line in lines if "▶" in line]
        assert len(marked) == 1
        assert marked[0].lstrip().startswith("▶")
        assert "2012" in marked[0] and "[" in marked[0] and marked[0].rstrip().endswith("328]")
        assert sum(line.count("[") for line in lines) == 1


@drive
async def test_the_far_right_column_is_scrolled_into_view(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = await open_grid(pilot, 3, "indicators")
        await to_cell(pilot, table, 0, "series")  # the fourth column, past the 80 columns
        await settle(pilot, 0.1)
        assert table.scroll_x > 0
        row = next(line for line in shown(table) if "▶" in line)
        assert "[(11 dòng)" in row
        # …and the grid itself lies on the screen.
        assert app.screen.region.contains_region(table.region)


@drive
async def test_headers_wrap_rather_than_cut(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = await open_grid(pilot, 3, "indicators")
        labels = {str(key.value): column.label.plain for key, column in table.columns.items()}
        assert " ".join(labels["decimals"].split()) == "Số chữ số thập phân khi in giá trị"
        assert table.header_height == 3
        await to_cell(pilot, table, 0, "decimals")
        await settle(pilot, 0.1)
        header = " ".join(" ".join(shown(table)[:3]).split())
        assert "Số chữ số thập" in header and "phân khi in giá" in header and "trị" in header


@drive
async def test_a_new_row_shows_its_filled_in_year_selected(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = await open_grid(pilot, 3, "series")
        await pilot.press("ctrl+end", "insert")
        await settle(pilot, 0.05)
        assert app.session.get(SERIES)[-1] == {"year": 2021}
        field_input = cell_input(app)
        assert field_input.value == "2021"
        assert (field_input.selection.start, field_input.selection.end) == (0, 4)
        await pilot.press("enter")  # keep the year: the last row goes on to its value
        assert table.cursor_coordinate == (11, 1)
        await pilot.press(*"1.500", "enter")
        assert app.session.get(SERIES)[-1] == {"year": 2021, "value": 1500}


@drive
async def test_numbers_are_read_the_vietnamese_way_in_cells_and_fields(app):
    decimal = Field("value", "Giá trị", kind="decimal")
    assert parse_value(decimal, "1.409") == 1409
    assert parse_value(decimal, "7,7") == 7.7
    assert parse_value(decimal, "-2,2") == -2.2
    for text in ("1.4090", "1e5", "20x5", "1 409"):
        try:
            parse_value(decimal, text)
        except FieldValueError as error:
            assert "dấu phẩy thập phân" in str(error)
        else:
            raise AssertionError(f"{text!r} accepted")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = await open_grid(pilot, 3, "series")
        await to_cell(pilot, table, 0, "value")
        await pilot.press(*"1.409", "enter", *"7,7", "enter")
        values = [record["value"] for record in app.session.get(SERIES)[:2]]
        assert values == [1409, 7.7]
        assert [table.cell_text(row, 1) for row in range(2)] == ["1.409", "7,7"]
        # A series value must be positive (the plugin's check), refused as it is typed in…
        await pilot.press(*"-2,2", "enter")
        assert "phải lớn hơn 0" in str(app.screen.query_one("#cell-error").render())
        await pilot.press("escape")
        assert app.session.get(SERIES)[2]["value"] == 328
        # …while a target growth rate may be negative.
        periods = await open_grid(pilot, 3, "periods")
        await to_cell(pilot, periods, 0, "target")
        await pilot.press(*"-2,2", "enter")
        assert app.session.get(("sections", 3, "data", "periods", 0, "target")) == -2.2
        assert periods.cell_text(0, 2) == "-2,2"


@drive
async def test_invalid_text_is_kept_explained_and_never_stored(app, sample_copy):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = await open_grid(pilot, 3, "series")
        await to_cell(pilot, table, 0, "value")
        await pilot.press(*"20x5")
        error = str(app.screen.query_one("#cell-error").render())
        assert "cần một số" in error  # said while typing, before Enter
        await pilot.press("enter")
        assert isinstance(app.screen, CellEditScreen)
        assert cell_input(app).value == "20x5"
        assert app.session.get(SERIES)[0]["value"] == 271
        await pilot.press("escape", "f2")
        await settle(pilot)
    assert saved(sample_copy)["sections"][3]["data"]["indicators"][0]["series"][0]["value"] == 271


@drive
async def test_saving_with_a_cell_editor_open_saves_what_it_holds(app, sample_copy):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = await open_grid(pilot, 3, "series")
        await to_cell(pilot, table, 0, "value")
        await pilot.press("3", "1", "f2")  # F2 is "save" everywhere, a cell being typed too
        await settle(pilot)
        assert not isinstance(app.screen, CellEditScreen)
        assert table.cursor_coordinate == (0, 1)  # the cursor stays on the cell
        assert saved(sample_copy)["sections"][3]["data"]["indicators"][0]["series"][0] == {
            "year": 2010,
            "value": 31,
        }
        second = app.session.get(SERIES)[1]["value"]
        await to_cell(pilot, table, 1, "value")
        await pilot.press("x", "f2")  # text that does not fit stays in the editor, unsaved
        await settle(pilot)
        assert cell_input(app).value == "x"
        await pilot.press("escape")  # toasts wait for the dialog to close (not drawn over it)
        await settle(pilot)
        assert "chưa hợp lệ" in " ".join(str(n.message) for n in app._notifications)
    assert (
        saved(sample_copy)["sections"][3]["data"]["indicators"][0]["series"][1]["value"] == second
    )


@drive
async def test_the_cell_editor_footer_offers_its_own_keys(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = await open_grid(pilot, 3, "series")
        await to_cell(pilot, table, 0, "value")
        await pilot.press("7")
        await wait_for_footer(pilot)
        shown = footer_items(app)  # the dialog's footer, over the grid's
        assert ("Esc", "Hủy") in shown and ("Tab", "Xong, sang phải") in shown
        assert not any(label in ("Vùng", "Sửa ô") for _, label in shown)


@drive
async def test_a_negative_count_is_refused_at_entry(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = await open_grid(pilot, 6, "classes")
        await to_cell(pilot, table, 0, "participants")
        await pilot.press("minus", "5", "enter")
        assert isinstance(app.screen, CellEditScreen)
        error = str(app.screen.query_one("#cell-error").render())
        assert "không âm" in error
        assert app.session.get(CLASSES)[0]["participants"] == 85
        await pilot.press("ctrl+u", "9", "0", "enter")
        assert app.session.get(CLASSES)[0]["participants"] == 90


@drive
async def test_choice_cells_show_labels_and_take_a_typed_initial(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = await open_grid(pilot, 4, "delegations")
        assert [table.cell_text(row, 1) for row in range(2)] == ["Đón đoàn đến", "Cử đoàn đi"]
        assert not any("den" in line.split() for line in shown(table))
        await to_cell(pilot, table, 0, "direction")
        await pilot.press("c")  # the chooser opens on "Cử đoàn đi"
        chooser = app.screen.query_one("#cell-choice", OptionList)
        prompts = [str(chooser.get_option_at_index(i).prompt) for i in range(2)]
        assert prompts == ["Đón đoàn đến", "Cử đoàn đi"]
        assert chooser.highlighted == 1
        await pilot.press("enter")
        assert app.session.get(DELEGATIONS)[0]["direction"] == "di"
        assert table.cell_text(0, 1) == "Cử đoàn đi"
