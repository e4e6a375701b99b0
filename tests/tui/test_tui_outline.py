"""The outline stays cheap on long reports: a cursor move or a mark change touches its own
lines only, and the current line and problem lines read without colour."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from textual.content import Content
from tui_harness import drive, make_app, settle

from tongket.core.report import store
from tongket.core.report.session import DraftSession
from tongket.tui.app import TongketApp
from tongket.tui.fields import PARTICULARS, Part
from tongket.tui.outline import POINTER, Outline, part_label

SIZE = (80, 24)


@pytest.fixture
def long_report(tmp_path: Path, sample_path: Path) -> Path:
    """The sample's sections repeated to 200, numbered 1. … 200."""
    project = store.load(sample_path)
    sample = project.sections
    project.sections = [
        dataclasses.replace(sample[index % len(sample)], number=f"{index + 1}.")
        for index in range(200)
    ]
    path = tmp_path / "dai.toml"
    store.save(project, path)
    return path


def app_on(path: Path, host) -> TongketApp:
    return make_app(DraftSession.open(path), host)


def screen_lines(outline: Outline) -> list[str]:
    """The outline's visible lines as drawn (plain text, no colour)."""
    return [outline.render_line(y).text for y in range(outline.scrollable_content_region.height)]


@drive
async def test_a_cursor_move_measures_and_renders_no_other_line(long_report, host, monkeypatch):
    app = app_on(long_report, host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        outline = app.query_one(Outline)
        await pilot.press("down")
        await pilot.pause(0.05)
        screen_lines(outline)  # every visible line rendered and cached
        cache = outline._option_render_cache
        renders = {key: cache.get(key) for key in list(cache.keys())}
        visuals = {id(outline._get_visual(option)) for option in outline.options}
        measured, cleared = [], []
        get_height = Content.get_height
        clear = outline._line_cache.clear

        def counting_get_height(self, *args, **kwargs):
            if id(self) in visuals:  # other widgets (the editor mounted after a move) measure too
                measured.append(str(self))
            return get_height(self, *args, **kwargs)

        def counting_clear() -> None:
            cleared.append(True)
            clear()

        monkeypatch.setattr(Content, "get_height", counting_get_height)
        monkeypatch.setattr(outline._line_cache, "clear", counting_clear)
        for key in ("down", "down", "up", "down"):
            await pilot.press(key)
        lines = screen_lines(outline)
        assert cleared == [] and measured == []  # no line was measured again
        for key, strips in renders.items():  # each line's render is the one cached before
            assert outline._option_render_cache.get(key) is strips
        assert len(lines) > 10


@drive
async def test_the_current_line_carries_a_pointer(long_report, host):
    app = app_on(long_report, host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        outline = app.query_one(Outline)
        for _ in range(3):
            lines = screen_lines(outline)
            pointed = [y for y, line in enumerate(lines) if line[1:2] == POINTER]
            assert pointed == [outline.highlighted - outline.scroll_offset.y]
            label, _ = part_label(outline.current, app.session.project, host.section_types)
            assert lines[pointed[0]][2:].strip()[:10] == label[:10]
            await pilot.press("down")
        # Far down the list (scrolled), the pointer follows the cursor.
        for _ in range(30):
            await pilot.press("down")
        lines = screen_lines(outline)
        assert outline.scroll_offset.y > 0
        pointed = [y for y, line in enumerate(lines) if line[1:2] == POINTER]
        assert pointed == [outline.highlighted - outline.scroll_offset.y]
        assert f"{outline.highlighted - 3}." in lines[pointed[0]]  # section n is entry n + 3


@drive
async def test_marks_follow_the_problems_and_touch_only_their_line(sample_copy, host, monkeypatch):
    app = app_on(sample_copy, host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        outline = app.query_one(Outline)
        options = list(outline.options)
        cleared = []
        monkeypatch.setattr(outline, "_clear_caches", lambda: cleared.append(True))
        header = outline.parts.index(Part("header"))
        assert screen_lines(outline)[header][0] == " "
        outline.focus()
        while outline.highlighted != header:
            await pilot.press("up")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("tab", "tab")  # kind → parent agency → agency, its text selected
        await pilot.press("backspace")  # the issuing agency is required
        await settle(pilot)
        assert app.session.project.document.agency == ""
        assert screen_lines(outline)[header][0] == "!"
        changed = [
            index for index, option in enumerate(outline.options) if option is not options[index]
        ]
        assert changed == [header]  # the other lines keep their options and cached renders
        assert cleared == []  # and their measurements
        await pilot.press("f8")  # undo
        await settle(pilot)
        assert screen_lines(outline)[header][0] == " "
        economic = outline.parts.index(Part("section", 3))
        assert screen_lines(outline)[economic][0] == "?"  # warnings only: the growth figures


@drive
async def test_the_first_frame_already_shows_the_filled_outline(long_report, monkeypatch):
    import gc

    from tongket.core.gc_tuning import pause_collection

    # No host given: the app loads the plugins the report needs itself, as `tongket` does.
    app = make_app(DraftSession.open(long_report), None)
    shown: list[int] = []
    display = app._display

    def first_frames(screen, renderable) -> None:
        if renderable is not None and screen is app.main_screen:
            shown.append(len(app.main_screen.query_one(Outline).options))
        display(screen, renderable)

    monkeypatch.setattr(app, "_display", first_frames)
    pause_collection()  # as `tongket` does before the app starts
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert gc.isenabled()  # the app collects again once it is ready
    finally:
        gc.enable()
    assert shown, "no frame was drawn"
    # The particulars and every section, in the very first frame drawn.
    assert shown[0] == len(PARTICULARS) + 200


@drive
async def test_a_section_named_by_its_opening_words_reads_its_citations_as_the_text_does(
    sample_copy, host
):
    # The sample's opening and 1. have no heading and start with citations: the outline once
    # showed "1. Thực hiện [[cv552]] và chỉ đạo…", the markup a drafter never sees in print.
    app = app_on(sample_copy, host)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        outline = app.query_one(Outline)
        lines = [line[2:].strip() for line in screen_lines(outline)]
        assert not [line for line in lines if "[[" in line]
        assert "1. Thực hiện Công văn số 552- CV/…" in lines
        project = app.session.project
        assert part_label(Part("section", 1), project, host.section_types)[0] == (
            "1. Thực hiện Công văn số 552- CV/TU và"  # the opening 8 words, as printed
        )
        assert part_label(Part("section", 0), project, host.section_types)[0] == (
            "Mở đầu: Sở Công Thương nhận được Công văn số"
        )
        while outline.current != Part("section", 1):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert str(app.query_one("#editor").border_title).startswith("Soạn: 1. Thực hiện Công văn")


def test_an_unknown_citation_key_stays_as_typed_in_the_opening_words(host):
    from tongket.core.report.model import Citation, Section
    from tongket.tui.fields import section_title

    section = Section(type="free-text", number="3.", data={"text": "Theo [[ct04]] và [[khac]]."})
    citations = {"ct04": Citation("Chỉ thị", "04-CT/TW")}
    assert section_title(section, host.section_types, citations) == (
        "3. Theo Chỉ thị số 04-CT/TW và [[khac]]."
    )
    assert section_title(section, host.section_types) == "3. Theo [[ct04]] và [[khac]]."
