"""Pasting: pasted text never acts as keys, lands whole in the field, and is saved NFC; and
the system's English error messages reach the drafter in Vietnamese.

The pastes go through the parser the terminal driver uses (`tongket.tui.pasting`), as the
bytes a terminal sends for them, so an ESC inside a paste is tested where it did harm.
"""

from __future__ import annotations

import errno
import os
import tomllib
import unicodedata

import pytest
from textual import events
from textual._xterm_parser import XTermParser
from tui_harness import drive, goto, make_app, settle

from tongket.core.oserrors import os_reason
from tongket.core.report.locking import CannotLock, acquire
from tongket.core.report.session import DraftSession, new_project
from tongket.tui import pasting
from tongket.tui.app import TongketApp
from tongket.tui.fields import Part
from tongket.tui.form import FieldInput, FieldText, FormEditor

SIZE = (80, 24)
PARENT_AGENCY = ("document", "parent_agency")
OPENING = ("sections", 0, "data", "text")

# Copied from a terminal: colours, a window title, a screen clear, then Ctrl+S (save), a tab
# (next field) and Enter, all inside one bracketed paste.
HOSTILE = "A\x1b[2JB\x1b]0;PWNED\x07C\x1b[31mRED\x1b[0m\x13\tD\rE"
HOSTILE_CLEAN = "ABCRED\tD\nE"


def bracketed(text: str) -> str:
    return f"\x1b[200~{text}\x1b[201~"


async def paste(pilot, data: str, parser=None, chunk: int = 0) -> None:
    """Send terminal input through the driver's parser (in `chunk`-sized reads if given)."""
    parser = parser or pasting.GuardedParser()
    step = chunk or len(data)
    for start in range(0, len(data), step):
        for event in parser.feed(data[start : start + step]):
            pilot.app.post_message(event)
    await settle(pilot)


# -- the parser -------------------------------------------------------------------------------


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 6, 7, 1000])
def test_a_paste_with_escapes_is_one_paste_event_in_any_reads(chunk):
    data = "x" + bracketed(HOSTILE) + "\x1b[201~y"
    parser = pasting.GuardedParser()
    messages = []
    for start in range(0, len(data), chunk):
        messages += list(parser.feed(data[start : start + chunk]))
    kinds = [
        (type(m).__name__, getattr(m, "key", None) or getattr(m, "text", None)) for m in messages
    ]
    # The closing sequence outside a paste means nothing: keys on either side stay keys.
    assert kinds == [("Key", "x"), ("Paste", HOSTILE), ("Key", "y")]


def test_textual_alone_turns_a_paste_after_an_escape_into_keys():
    """What `GuardedParser` prevents (if Textual fixes it, the guard may go)."""
    keys = [m.key for m in XTermParser().feed(bracketed(HOSTILE)) if isinstance(m, events.Key)]
    assert "ctrl+s" in keys and "tab" in keys


def test_an_escape_key_outside_a_paste_is_not_held_back():
    parser = pasting.GuardedParser()
    assert list(parser.feed("\x1b")) == []  # Textual waits briefly for more, as without the guard
    assert parser.paste_guard.filter("\x1b") == "\x1b"


def test_the_app_installs_the_parser_into_textuals_drivers(app):
    from textual.drivers import linux_driver, linux_inline_driver

    assert linux_driver.XTermParser is pasting.GuardedParser
    assert linux_inline_driver.XTermParser is pasting.GuardedParser
    assert pasting.install()


def test_clean_paste_keeps_text_and_lines_only():
    assert pasting.clean_paste(HOSTILE) == HOSTILE_CLEAN
    assert pasting.clean_paste("a\r\nb\x1b[1;32mc\x1b(B\x7f") == "a\nbc"
    assert pasting.one_line("  một\n\nhai\tba \n") == ("một hai ba", 2)


# -- in the app ---------------------------------------------------------------------------------


@drive
async def test_a_pasted_ctrl_s_after_colour_codes_neither_saves_nor_moves(app, sample_copy):
    before = sample_copy.read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the opening's prose
        area = app.focused
        assert isinstance(area, FieldText)
        await pilot.press("ctrl+end")
        await paste(pilot, bracketed(HOSTILE), chunk=4)
        assert app.focused is area  # the pasted tab did not move on
        assert area.text.endswith(HOSTILE_CLEAN)
        assert app.session.get(OPENING) == area.text
        assert app.session.dirty and app.is_running
    assert sample_copy.read_bytes() == before  # the pasted Ctrl+S did not save


@drive
async def test_lines_pasted_into_a_one_line_field_are_joined_and_told(app, notes, sample_copy):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, app, Part("header"))
        await pilot.press("tab")  # the parent agency, its text selected
        field = app.focused
        assert isinstance(field, FieldInput) and field.field_path == PARENT_AGENCY
        await paste(pilot, bracketed("UBND TỈNH\r\nQUẢNG NGÃI\r\n\r\nSỞ CÔNG THƯƠNG\r\n"))
        assert field.value == "UBND TỈNH QUẢNG NGÃI SỞ CÔNG THƯƠNG"
        assert "Đã dán 3 dòng thành một dòng." in notes
        await pilot.press("f2")
        await settle(pilot)
    saved = tomllib.loads(sample_copy.read_text(encoding="utf-8"))
    assert saved["document"]["parent_agency"] == "UBND TỈNH QUẢNG NGÃI SỞ CÔNG THƯƠNG"


@drive
async def test_one_line_pasted_into_a_one_line_field_is_not_announced(app, notes):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, app, Part("header"))
        await pilot.press("tab")
        field = app.focused
        await paste(pilot, bracketed("UBND TỈNH\n"))
        assert field.value == "UBND TỈNH"
        assert not [note for note in notes if "Đã dán" in note]


@drive
async def test_lines_pasted_into_a_text_area_all_stay(app, notes):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        area = app.focused
        assert isinstance(area, FieldText)
        await pilot.press("ctrl+end", "enter")
        await paste(pilot, bracketed("dòng một\rdòng hai\r\rdòng bốn"))
        assert area.text.endswith("\ndòng một\ndòng hai\n\ndòng bốn")
        assert app.session.get(OPENING) == area.text
        assert not [note for note in notes if "Đã dán" in note]


# -- NFC -----------------------------------------------------------------------------------------

NFD = unicodedata.normalize("NFD", "Sở Công Thương tỉnh Quảng Ngãi")


@drive
async def test_decomposed_text_typed_or_pasted_is_saved_nfc(app: TongketApp, sample_copy):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.press("ctrl+end", "enter")
        await paste(pilot, bracketed(NFD))  # a text area
        await paste(pilot, "\r" + NFD)  # typed: a Mac's terminal sends one key a code point
        await goto(pilot, app, Part("header"))
        await pilot.press("tab", "ctrl+u")  # a one-line field
        await paste(pilot, NFD)
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
    text = sample_copy.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    saved = tomllib.loads(text)
    nfc = unicodedata.normalize("NFC", NFD)
    assert saved["document"]["parent_agency"] == nfc
    assert saved["sections"][0]["data"]["text"].endswith(f"\n{nfc}\n{nfc}")


# -- OS errors in Vietnamese ---------------------------------------------------------------------

ERRNOS = [
    errno.ENOENT,
    errno.EACCES,
    errno.EPERM,
    errno.EROFS,
    errno.ENOSPC,
    errno.EISDIR,
    errno.ENOTDIR,
    errno.EINVAL,
    errno.ENAMETOOLONG,
    errno.EEXIST,
    errno.ELOOP,
]


@pytest.mark.parametrize("code", ERRNOS)
def test_common_os_errors_are_explained_in_vietnamese_with_the_path(code):
    error = OSError(code, os.strerror(code), "/srv/bao-cao/.r.toml.tmp")
    reason = os_reason(error, "/srv/bao-cao/r.toml")
    assert "/srv/bao-cao/r.toml" in reason and ".tmp" not in reason
    assert os.strerror(code) not in reason and "Errno" not in reason
    assert not reason.isascii()  # Vietnamese
    assert "/srv/x" in os_reason(OSError(code, os.strerror(code), "/srv/x"))


def test_tongkets_own_reasons_and_unlisted_errors_are_kept():
    own = OSError(errno.EINVAL, "là một thư mục, không phải tệp thường", "/srv/r.docx")
    assert os_reason(own) == "/srv/r.docx: là một thư mục, không phải tệp thường"
    assert os_reason(OSError("đĩa đầy"), "/srv/r.docx") == "/srv/r.docx: đĩa đầy"


def test_a_lock_in_a_missing_folder_says_so_in_vietnamese(tmp_path):
    report = tmp_path / "không-có" / "r.toml"
    with pytest.raises(CannotLock) as caught:
        acquire(report)
    assert f"thư mục {report.parent} không có" in caught.value.message
    assert "No such file" not in caught.value.message


@drive
async def test_an_export_onto_a_folder_says_why_in_vietnamese(app, sample_copy):
    target = sample_copy.with_suffix(".docx")
    target.mkdir()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await app.workers.wait_for_complete()
        await settle(pilot)
        messages = [notification.message for notification in app._notifications]
    failed = [message for message in messages if "Xuất không thành" in message]
    assert failed == [f"Xuất không thành: {target}: là một thư mục, không phải tệp thường"]


@drive
async def test_a_failed_save_says_why_in_vietnamese(app, sample_copy, monkeypatch, notes):
    def full_disk(*args, **kwargs):
        temporary = sample_copy.parent / ".report.toml.1-2-3.tmp"
        raise OSError(errno.ENOSPC, "No space left on device", str(temporary))

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "x")  # a change to save
        monkeypatch.setattr(app.session, "save", full_disk)
        await pilot.press("f2")
        await settle(pilot)
    assert f"Không lưu được: {sample_copy}: hết chỗ trống trên đĩa" in notes


# -- smaller things --------------------------------------------------------------------------------


@drive
async def test_a_report_file_not_created_yet_is_not_called_saved(tmp_path, host):
    target = tmp_path / "moi.toml"
    app = make_app(DraftSession(new_project("cong-van", host), target, host=host), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.sub_title == "chưa lưu vào tệp"
        await pilot.press("f2")
        await settle(pilot)
        assert target.exists() and app.sub_title == "đã lưu"


@drive
async def test_deleting_a_numbered_section_says_so_with_one_stop(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, app, Part("section", 5))  # "2.3.": a number, no heading
        await pilot.press("escape", "x")
        await settle(pilot)
        hint = str(app.query_one("#action-hint").render())
        assert hint == "Đã xóa mục 2.3. F8 để hoàn tác."


@drive
async def test_the_editor_title_follows_an_edited_heading_and_its_undo(app):
    heading = ("sections", 1, "heading")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, app, Part("section", 1))
        editor = app.query_one("#editor")
        before = str(editor.border_title)
        app.query_one(FormEditor).widgets[heading].focus()
        await pilot.press(*"Mới")
        await settle(pilot)
        assert str(editor.border_title) == "Soạn: 1. Mới"
        await pilot.press("f8")
        await settle(pilot)
        assert app.session.get(heading) in ("", None)
        assert str(editor.border_title) == before


@drive
async def test_undo_that_puts_a_value_back_clears_the_fields_error_line(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, app, Part("section", 6))
        await pilot.press("tab", "tab")  # the minimum of classes a year (2)
        await pilot.press("end", "backspace", "3", "tab", "shift+tab", "end", "x")
        await settle(pilot)
        hint = app.query_one("#hint")
        assert str(hint.render()).startswith("! ")  # "3x" is not a number
        await pilot.press("f8")  # first the "x" that never reached the report: back to 3
        await settle(pilot)
        assert app.focused.value == "3"
        assert not str(hint.render()).startswith("! ")
        await pilot.press("f8")  # then the history: back to 2
        await settle(pilot)
        assert app.focused.value == "2"
        assert not str(hint.render()).startswith("! ")
