"""What the app says about a draft: problems in the form's words, one line each; validation
errors above the last good preview; dates as the hints write them; tables that use the pane's
width; a preview that follows the paragraph being edited (Textual's Pilot, 80×24 and 120×40)."""

from __future__ import annotations

import io
import re

from rich.console import Console
from textual.widget import Widget
from textual.widgets import Input, TextArea
from tui_harness import SERIES, drive, goto, make_app, preview_text, settle

from tongket.core.report.session import DraftSession
from tongket.tui.app import TongketApp
from tongket.tui.dialogs import HelpScreen
from tongket.tui.fields import Part
from tongket.tui.form import widget_id
from tongket.tui.preview import Preview
from tongket.tui.problems import ProblemsList

SMALL = (80, 24)
LARGE = (120, 40)
ECONOMIC, PARTNERSHIPS = 3, 4  # 2.1. and 2.2. of the sample


def screen_lines(app: TongketApp) -> list[str]:
    """The screen as text, one string a row (what a person sees, colour aside)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text().splitlines()


def region_lines(app: TongketApp, widget: Widget) -> list[str]:
    """The rows of the screen inside `widget`'s content area."""
    region = widget.content_region
    lines = screen_lines(app)
    return [line[region.x : region.right] for line in lines[region.y : region.bottom]]


def prompts(problems: ProblemsList) -> list[str]:
    return [str(problems.get_option_at_index(i).prompt) for i in range(problems.option_count)]


@drive
async def test_a_problem_names_its_field_and_row_and_f1_gives_the_dotted_path(sample_copy, host):
    session = DraftSession.open(sample_copy)
    session.set_value((*SERIES, 2, "value"), -5)  # the 2012 export value
    app = make_app(session, host)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        problems = app.query_one(ProblemsList)
        shown = prompts(problems)
        assert shown[0].startswith('! 2.1. Chỉ tiêu "kim ngạch xuất khẩu", năm 2012, giá trị: ')
        assert not any("indicators" in line or "series." in line for line in shown)
        await pilot.press("f5")  # check: focuses the problems list, first problem highlighted
        await settle(pilot)
        assert app.focused is problems
        await pilot.press("f1")
        await pilot.pause(0.1)
        assert isinstance(app.screen, HelpScreen)
        detail = app.screen.text
        assert (
            'Lỗi: 2.1. Kết quả kinh tế ngành — Chỉ tiêu "kim ngạch xuất khẩu", năm 2012, giá trị'
            in detail
        )
        assert "giá trị năm 2012 phải lớn hơn 0 để tính tốc độ tăng, gặp -5" in detail
        assert "Trong tệp: sections.4.data.indicators.1.series.3.value" in detail
        await pilot.press("escape")


@drive
async def test_five_problems_fit_one_line_each_at_80x24(sample_copy, host):
    session = DraftSession.open(sample_copy)
    for name in ("agency", "place", "subject"):
        session.set_value(("document", name), "")
    session.set_value(("document", "date"), None)
    session.set_value(("document", "signer", "name"), "")
    app = make_app(session, host)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        problems = app.query_one(ProblemsList)
        assert len(problems.problems) >= 8
        rows = [row.rstrip() for row in region_lines(app, problems)]
        marked = [row for row in rows if row[:2] in ("! ", "? ")]
        assert len(marked) >= 5
        assert len(marked) == len([row for row in rows if row])  # nothing wraps to a 2nd row
        assert marked[0].startswith("! Cơ quan ban hành: thiếu t")
        assert marked[0].endswith("…")  # cut to the list's width


@drive
async def test_a_validation_error_shows_above_the_last_good_preview(app):
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # edit the introduction's prose
        good = preview_text(app)
        assert "Sở Công Thương nhận được Công văn số 2016/SNgV-HTQT" in good
        typed = " [[khongco]]"  # a citation the report does not define
        await pilot.press("ctrl+end", *typed)
        await settle(pilot)
        text = preview_text(app)
        assert "LỖI plugin" not in text and "tongket_validate_section" not in text
        lines = text.splitlines()
        assert lines[0] == "Mục còn 1 lỗi nên chưa dựng lại được:"
        assert lines[1] == (
            "! Nội dung: văn bản dẫn [[khongco]] chưa được khai báo trong [citations]"
        )
        assert "Sở Công Thương nhận được Công văn số 2016/SNgV-HTQT" in text  # the last good
        # The last good preview is of the text at some key before the mention was complete
        # (the preview may refresh between keys: " [[khon" is valid text, " [[khongco]]" not).
        assert any(text.endswith(good + typed[:keys]) for keys in range(len(typed)))
        screen = "\n".join(screen_lines(app))
        assert "LỖI plugin" not in screen and "Mục còn 1 lỗi" in screen
        await pilot.press("f8")  # undo: the section renders again, no error above it
        await settle(pilot)
        assert preview_text(app) == good


@drive
async def test_a_section_never_valid_says_so_instead_of_a_crash_block(sample_copy, host):
    session = DraftSession.open(sample_copy)
    session.set_value((*SERIES, 2, "value"), -5)
    app = make_app(session, host)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await goto(pilot, app, Part("section", ECONOMIC))
        text = preview_text(app)
        assert "LỖI plugin" not in text
        assert text.splitlines()[:2] == [
            "Mục còn 1 lỗi nên chưa dựng lại được:",
            '! Chỉ tiêu "kim ngạch xuất khẩu", năm 2012, giá trị: giá trị năm 2012 phải lớn '
            "hơn 0 để tính tốc độ tăng, gặp -5",
        ]
        assert "Chưa có bản xem trước hợp lệ" in text


@drive
async def test_problem_dates_are_written_as_the_date_hint_writes_them(sample_copy, host):
    session = DraftSession.open(sample_copy)
    session.set_value(("document", "date"), None)
    app = make_app(session, host)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await goto(pilot, app, Part("header"))
        hint = app.query_one("#" + widget_id(("document", "date")), Input).placeholder
        assert hint == "ngày/tháng/năm, ví dụ 02/4/2021"
        shown = prompts(app.query_one(ProblemsList))
        missing = next(line for line in shown if "thiếu ngày ban hành" in line)
        assert missing.endswith(f"thiếu ngày ban hành (dạng {hint})")
        assert not any("YYYY" in line for line in shown)
        # A date quoted in a message reads like the hint's example too (dd/m/yyyy).
        await pilot.press(*["tab"] * 6)  # kind → … → place → date
        assert app.focused.id == widget_id(("document", "date"))
        await pilot.press(*"01/01/2099")
        await settle(pilot)
        shown = prompts(app.query_one(ProblemsList))
        late = next(line for line in shown if "sau hôm nay" in line)
        assert "ngày ban hành 01/01/2099 " in late
        assert not re.search(r"\d{4}-\d{2}-\d{2}", late)


def _one_word_columns(lines: list[str]) -> list[list[str]]:
    """The columns (as their rows of text) of the tables drawn in `lines` that hold one word
    a row on most of their rows (numbers, a row each, do not count)."""
    rows = [line.split("│") for line in lines if "│" in line]
    crowded = []
    for index in range(max((len(row) for row in rows), default=0)):
        cells = [row[index].strip() for row in rows if index < len(row) and row[index].strip()]
        words = [cell for cell in cells if not re.fullmatch(r"[-–\d.,%]+", cell)]
        single = [cell for cell in words if len(cell.split()) == 1]
        if len(words) >= 4 and len(single) > len(words) / 2:
            crowded.append(cells)
    return crowded


@drive
async def test_preview_tables_use_the_width_at_120x40(sample_copy, host):
    session = DraftSession.open(sample_copy)
    for index in (ECONOMIC, PARTNERSHIPS):
        session.set_value(("sections", index, "table"), "inline")  # the sample prints none
    app = make_app(session, host)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        preview = app.query_one(Preview)
        await goto(pilot, app, Part("section", PARTNERSHIPS))
        seen = []
        for _ in range(12):  # every screenful of the exchanges
            lines = region_lines(app, preview)
            assert _one_word_columns(lines) == []
            seen += lines
            preview.scroll_page_down(animate=False)
            await pilot.pause(0.05)
        assert any("Thăm và làm việc; đánh giá" in line for line in seen)
        await goto(pilot, app, Part("section", ECONOMIC))
        preview.scroll_end(animate=False, immediate=True)
        await pilot.pause(0.1)
        lines = region_lines(app, preview)
        table = [line for line in lines if "│" in line]
        assert table, "the yearly series table is on screen"
        assert _one_word_columns(lines) == []
        # Numbers never wrap, and the columns sit side by side with nothing around them.
        assert any(re.search(r"^2020\s+│\s+1\.409\s+│\s+30,5\s*$", line) for line in table)


def _eight_long_paragraphs(sample_copy) -> DraftSession:
    """The sample with an introduction of eight paragraphs, each longer than the preview."""
    session = DraftSession.open(sample_copy)
    paragraphs = [
        f"Đoạn thứ {number}: " + " ".join(f"từ{number}x{word}" for word in range(40))
        for number in range(1, 9)
    ]
    session.set_value(("sections", 0, "data", "text"), "\n\n".join(paragraphs))
    return session


@drive
async def test_the_preview_follows_the_paragraph_being_edited(sample_copy, host):
    app = make_app(_eight_long_paragraphs(sample_copy), host)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the introduction's prose
        assert isinstance(app.focused, TextArea)
        preview = app.query_one(Preview)
        assert preview.scroll_y == 0
        await pilot.press("ctrl+end", "space", "Z")  # the last paragraph
        await settle(pilot)
        await pilot.pause(0.1)
        assert preview.scroll_y > 0
        shown = "\n".join(region_lines(app, preview))
        assert "Đoạn thứ 8" in shown and "Đoạn thứ 1:" not in shown
        await pilot.press("ctrl+home", "Y")  # back to the first paragraph
        await settle(pilot)
        await pilot.pause(0.1)
        shown = "\n".join(region_lines(app, preview))
        assert "YĐoạn thứ 1:" in shown and "Đoạn thứ 8" not in shown


@drive
async def test_the_preview_follows_the_cursor_without_an_edit(sample_copy, host):
    app = make_app(_eight_long_paragraphs(sample_copy), host)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the introduction's prose
        preview = app.query_one(Preview)
        assert preview.scroll_y == 0
        revision = app.session.revision
        await pilot.press("ctrl+end")  # only moves: nothing typed, nothing to re-render
        await settle(pilot)
        await pilot.pause(0.1)
        shown = "\n".join(region_lines(app, preview))
        assert "Đoạn thứ 8" in shown and "Đoạn thứ 1:" not in shown
        await pilot.press("ctrl+home")
        await settle(pilot)
        await pilot.pause(0.1)
        shown = "\n".join(region_lines(app, preview))
        assert "Đoạn thứ 1:" in shown and "Đoạn thứ 8" not in shown
        assert app.session.revision == revision
