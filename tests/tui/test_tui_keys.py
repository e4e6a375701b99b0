"""Keys found without the manual: the footer, pane numbers, the palette without accents, help
text shown as written, a read-only footer, one question where there were several, and a
usable app at 60×20 (Pilot, keys only)."""

from __future__ import annotations

from test_tui_safety import someone_else
from textual.command import CommandList, CommandPalette
from textual.widgets import Footer, Input, TextArea
from textual.widgets._footer import FooterKey, FooterLabel
from tui_harness import drive, goto, make_app, settle

from tongket.core.report import locking, store
from tongket.core.report.session import DraftSession
from tongket.tui.dialogs import ConfirmScreen, HelpScreen
from tongket.tui.fields import Part
from tongket.tui.form import EditorPane
from tongket.tui.outline import Outline
from tongket.tui.preview import Preview
from tongket.tui.problems import ProblemsList

SIZE = (80, 24)


def footer_items(app) -> list[tuple[str, str]]:
    """(keys, label) for each entry of the main screen's footer, left to right."""
    footer = app.screen.query_one(Footer)
    items: list[tuple[str, str]] = []
    keys: list[str] = []
    for widget in footer.query("FooterKey, FooterLabel"):
        if isinstance(widget, FooterKey) and widget.has_class("-grouped"):
            keys.append(widget.key_display)
        elif isinstance(widget, FooterLabel):
            items.append((" ".join(keys), str(widget.render())))
            keys = []
        elif isinstance(widget, FooterKey):
            items.append((widget.key_display, widget.description))
    return items


def footer_text(app) -> str:
    return "  ".join(f"{keys} {label}" for keys, label in footer_items(app))


async def wait_for_footer(pilot) -> None:
    """The footer is rebuilt after a refresh once the bindings change."""
    await settle(pilot)
    await pilot.pause(0.1)


async def palette_first(pilot, app, query: str) -> str:
    """Open the palette with F12, type `query`, return the highlighted command's name."""
    await pilot.press("f12")
    await pilot.pause(0.1)
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*query)
    commands = app.screen.query_one(CommandList)
    for _ in range(40):
        await pilot.pause(0.05)
        if commands.highlighted is not None and commands.option_count:
            break
    option = commands.get_option_at_index(commands.highlighted or 0)
    return option.hit.text or str(option.prompt)


# -- the palette ----------------------------------------------------------------------------


@drive
async def test_the_palette_matches_without_accents(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert (await palette_first(pilot, app, "xuat")).startswith("Xuất DOCX")
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert (await palette_first(pilot, app, "them muc")).startswith("Thêm mục:")
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert (await palette_first(pilot, app, "den vung van de")).startswith("Đến vùng Vấn đề")
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert isinstance(app.focused, ProblemsList)


@drive
async def test_palette_and_footer_key_labels_follow_a_remap(sample_copy, host):
    app = make_app(DraftSession.open(sample_copy), host, keymap={"save": "f11", "undo": "u"})
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_footer(pilot)
        names = [name for name, _, _ in app.palette_commands()]
        assert "Lưu (F11)" in names and "Lưu (F2)" not in names
        assert "Hoàn tác (u)" in names
        assert ("F11", "Lưu") in footer_items(app)
        assert (await palette_first(pilot, app, "luu")) == "Lưu (F11)"
        await pilot.press("escape")
        await pilot.pause(0.1)
        await pilot.press("ctrl+p")  # the usual Textual key opens it too
        await pilot.pause(0.1)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await pilot.pause(0.1)
        await pilot.press("x")  # delete: the undo hint names the remapped key
        await settle(pilot)
        assert "u để hoàn tác" in str(app.query_one("#action-hint").render())


@drive
async def test_the_palette_shows_descriptions_not_template_placeholders(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        helps = {name: help_text for name, help_text, _ in app.palette_commands()}
        economic = helps["Thêm mục: Kết quả kinh tế ngành"]
        assert economic.startswith("Chỉ tiêu kinh tế theo năm")
        assert not any("{" in help_text for help_text in helps.values())


# -- panes by number ------------------------------------------------------------------------


@drive
async def test_digits_and_alt_digits_move_between_the_panes(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, Outline)
        await pilot.press("4")
        assert isinstance(app.focused, ProblemsList)
        await pilot.press("3")
        assert isinstance(app.focused, Preview)
        await pilot.press("2")
        assert isinstance(app.focused, TextArea)  # the introduction's prose
        await pilot.press("ctrl+end", "1", "2")  # digits type into the text
        assert app.session.project.sections[0].data["text"].endswith("12")
        assert isinstance(app.focused, TextArea)
        await pilot.press("alt+3")
        assert isinstance(app.focused, Preview)
        await pilot.press("alt+2")
        assert isinstance(app.focused, TextArea)
        await pilot.press("alt+1")
        assert isinstance(app.focused, Outline)
        await goto(pilot, app, Part("header"))
        await pilot.press("tab", "tab", "tab")  # the number: a one-line input
        assert isinstance(app.focused, Input)
        await pilot.press("4", "2")
        assert app.session.project.document.number.endswith("42")
        await pilot.press("alt+4")
        assert isinstance(app.focused, ProblemsList)


@drive
async def test_a_digit_in_a_grid_stays_in_the_grid(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, app, Part("section", 3))  # the indicators grid
        await pilot.press("1")  # the grid's own: it starts editing the cell, or nothing
        await pilot.pause(0.1)
        assert not isinstance(app.focused, Outline)
        if isinstance(app.focused, Input):  # the cell editor, holding the digit
            assert app.focused.value.endswith("1")
            await pilot.press("escape")
            await pilot.pause(0.1)
        await pilot.press("alt+1")
        assert isinstance(app.focused, Outline)


def test_the_terminal_alt_digit_reaches_the_app_as_alt_digit():
    # tmux and xterm send ESC 1 for Alt+1; Textual would read it as "¡" (macOS Option+1).
    from textual._xterm_parser import XTermParser

    from tongket.tui.keymap import install_alt_digits

    assert install_alt_digits()
    parser = XTermParser()
    keys = [*parser.feed("\x1b1"), *parser.feed("")]
    assert [key.key for key in keys] == ["alt+1"]


@drive
async def test_the_footer_says_how_to_edit_and_how_to_reach_the_panes(app):
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_footer(pilot)
        items = footer_items(app)
        assert items[0] == ("Enter", "Sửa")
        assert ("1-4", "Vùng") in items and ("F10", "Thoát") in items
        await pilot.press("enter")  # into the prose: digits type, Alt+digits move
        await wait_for_footer(pilot)
        assert ("Alt+1-4", "Vùng") in footer_items(app)


# -- no English, help as written --------------------------------------------------------------


@drive
async def test_textual_footer_texts_are_in_vietnamese(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await goto(pilot, app, Part("header"))  # the first field is a drop-down (kind)
        await pilot.press("enter")
        await wait_for_footer(pilot)
        text = footer_text(app)
        assert "Đóng danh sách" in text
        assert "Dismiss" not in text


@drive
async def test_help_shows_bracketed_text_as_written(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause(0.1)
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(str(widget.render()) for widget in app.screen.query(".dialog-message"))
        assert "bảng [keys]" in shown
        app.pop_screen()
        app.push_screen(HelpScreen("Thử", "Gõ [b]đậm[/b] hoặc [[khóa]]", []))
        await pilot.pause(0.1)
        shown = str(app.screen.query(".dialog-message").first().render())
        assert "Gõ [b]đậm[/b] hoặc [[khóa]]" in shown


# -- a read-only view -----------------------------------------------------------------------


@drive
async def test_a_read_only_footer_shows_no_editing_keys(sample_copy, host):
    someone_else(sample_copy)
    app = make_app(DraftSession.open(sample_copy, lock=True), host)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_footer(pilot)
        assert app.session.read_only
        labels = [label for _, label in footer_items(app)]
        for editing in ("Thêm", "Xóa", "Chuyển", "Hoàn tác", "Lưu", "Sửa"):
            assert editing not in labels
        assert ("Enter", "Xem") in footer_items(app)
        assert ("F4", "Lưu thành") in footer_items(app)
        assert ("F10", "Thoát") in footer_items(app)


# -- one question, not several ---------------------------------------------------------------


@drive
async def test_take_over_and_restore_is_one_confirmation(sample_copy, host):
    someone_else(sample_copy, alive=False)
    crashed = DraftSession.open(sample_copy)
    crashed.set_value(("document", "place"), "Huế")
    crashed.write_recovery()
    app = make_app(DraftSession.open(sample_copy, lock=True), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmScreen)
        assert "khóa có vẻ đã bỏ dở" in app.screen.message
        assert "bản khôi phục" in app.screen.message
        await pilot.press("k")  # take over and restore, in one answer
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert not app.session.read_only
        assert app.session.project.document.place == "Huế"
        assert app.session.dirty
        assert locking.read_lock(sample_copy).pid == app.session.lock.holder.pid


@drive
async def test_deleting_a_section_leaves_an_undo_hint_until_the_next_action(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        heading = app.session.project.sections[0].label
        await pilot.press("x")
        await settle(pilot)
        hint = app.query_one("#action-hint")
        assert hint.display
        assert str(hint.render()) == f"Đã xóa mục {heading}. F8 để hoàn tác."
        await pilot.pause(1.0)  # it does not fade like a notification
        assert hint.display and hint.region.height == 1
        await pilot.press("down")
        assert not hint.display
        await pilot.press("f8")
        await settle(pilot)
        assert len(app.session.project.sections) == 8


@drive
async def test_export_with_unsaved_changes_offers_to_save_first(app, sample_copy):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "ctrl+end", *" XYZ")
        await pilot.press("f6")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmScreen)
        assert "chưa lưu" in app.screen.message
        assert [value for _, _, value in app.screen.choices] == ["save", "go"]
        await pilot.press("l")  # save, then export
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert not app.session.dirty
        assert sample_copy.with_suffix(".docx").is_file()
    assert store.load(sample_copy).sections[0].data["text"].endswith(" XYZ")


# -- 60×20 ----------------------------------------------------------------------------------


@drive
async def test_at_60_by_20_the_footer_keeps_f10_and_the_editor_keeps_its_rows(app):
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_for_footer(pilot)
        footer = app.screen.query_one(Footer)
        keys = {key.key_display: key for key in footer.query(FooterKey)}
        assert "F10" in keys and "F1" in keys
        assert keys["F10"].region.right <= 60  # drawn, not cut off
        assert max(key.region.right for key in keys.values()) <= 60
        assert app.query_one(EditorPane).region.height >= 8
        assert app.query_one("#left").region.width < 30  # the outline narrows
        await pilot.press("enter")
        await wait_for_footer(pilot)
        keys = {key.key_display: key for key in footer.query(FooterKey)}
        assert "F10" in keys and keys["F10"].region.right <= 60
