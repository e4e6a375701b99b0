"""The terminal app driven by key presses alone (Textual's Pilot), on a copy of the sample."""

from __future__ import annotations

import importlib.util
import stat
import tomllib
from pathlib import Path

import pytest
from textual.widgets import TextArea
from tui_harness import SERIES, SIZE, Part, drive, goto, make_app, preview_text, settle, until

from tongket.core.report import store
from tongket.core.report.model import Section
from tongket.core.report.session import DraftSession
from tongket.tui.dialogs import ConfirmScreen, HelpScreen, PathScreen
from tongket.tui.form import FormEditor
from tongket.tui.grid import RecordsTable
from tongket.tui.outline import Outline


@drive
async def test_opens_the_sample_with_outline_editor_and_preview(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        outline = app.query_one(Outline)
        assert len(outline.parts) == 4 + len(app.session.project.sections)
        assert app.part == Part("section", 0)
        assert "Sở Công Thương nhận được Công văn số 2016/SNgV-HTQT" in preview_text(app)
        assert app.title == "report.toml"
        # Only the selected part's editor exists.
        assert len(app.query(FormEditor)) == 1


@drive
async def test_typing_in_the_prose_editor_edits_the_model_and_marks_the_title(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # edit the selected part (the introduction)
        assert isinstance(app.focused, TextArea)
        # A stopped clock: the keys are one burst even if a loaded machine stalls between two.
        app.session.clock = lambda: 0.0
        await pilot.press("ctrl+end", "space", "X", "Y", "Z")
        text = app.session.project.sections[0].data["text"]
        assert text.endswith(" XYZ")
        assert app.title.startswith("* ")
        await settle(pilot)
        assert "XYZ" in preview_text(app)
        await pilot.press("f8")  # one undo step for the whole burst of typing
        assert not app.session.project.sections[0].data["text"].endswith("XYZ")
        assert isinstance(app.focused, TextArea)
        assert not app.focused.text.endswith("XYZ")
        assert not app.title.startswith("* ")


@drive
async def test_edit_a_one_line_field_of_the_particulars(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, app, Part("signing"))
        await pilot.press("tab", "tab")  # closing → prefix → head title
        await pilot.press("tab")  # → the head a deputy signs for (after TM.)
        await pilot.press("tab")  # → signer title
        await pilot.press("tab")  # → name
        await pilot.press("ctrl+u", *"Lê Văn B")
        assert app.session.project.document.signer.name == "Lê Văn B"


@drive
async def test_add_a_row_to_the_yearly_series_and_fill_it_in(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, app, Part("section", 3))  # 2.1. economic results
        assert isinstance(app.focused, RecordsTable)  # the indicators grid
        await pilot.press("tab")  # the nested yearly series grid
        table = app.focused
        assert isinstance(table, RecordsTable)
        rows = len(app.session.get(SERIES))
        await pilot.press("ctrl+end")
        assert table.cursor_row == rows - 1
        await pilot.press("insert")  # a new row under the last year, year filled in (selected)
        assert app.session.get(SERIES)[-1] == {"year": 2021}
        await pilot.press("enter")  # keep the year; on the last row Enter moves on to the value
        await pilot.press(*"1.500", "enter")  # typing on the value cell edits it
        assert app.session.get(SERIES)[-1] == {"year": 2021, "value": 1500}
        # Enter moved on to the last column (ước thực hiện): back to the value, then edit it.
        await pilot.press("left", "enter", "ctrl+u", *"abc", "enter")  # rejected: not a number
        assert app.screen.query_one("#cell-error").render()
        await pilot.press("escape")
        assert app.session.get(SERIES)[-1]["value"] == 1500
        await settle(pilot)
        chart = str(app.query_one(".chart").render())
        assert "2021: 1.500 triệu USD" in chart


@drive
async def test_add_a_section_through_the_command_palette(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, app, Part("section", 5))  # 2.3.
        await pilot.press("escape", "colon")
        await pilot.press(*"tuyen truyen")  # "Thêm mục: Tuyên truyền", typed without accents
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        sections = app.session.project.sections
        assert len(sections) == 9
        assert sections[6].type == "media" and sections[6].number == "2.4."
        assert [s.number for s in sections[7:]] == ["2.5.", "2.6."]
        assert app.part == Part("section", 6)
        assert isinstance(app.focused.parent, FormEditor) or app.focused is not None


@drive
async def test_add_a_section_with_the_outline_key(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause(0.2)
        await pilot.press(*"down" * 0, "enter")  # first listed type
        await settle(pilot)
        assert len(app.session.project.sections) == 9


@drive
async def test_reorder_sections_and_undo(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        types = [section.type for section in app.session.project.sections]
        await goto(pilot, app, Part("section", 4))  # 2.2. partnerships
        await pilot.press("escape", "K")
        await settle(pilot)
        sections = app.session.project.sections
        assert sections[3].type == types[4] and sections[3].number == "2.1."
        assert sections[4].type == types[3] and sections[4].number == "2.2."
        assert app.query_one(Outline).current == Part("section", 3)
        await pilot.press("f8")
        await settle(pilot)
        assert [section.type for section in app.session.project.sections] == types


@drive
async def test_delete_a_section_and_undo(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("delete")
        await settle(pilot)
        assert len(app.session.project.sections) == 7
        await pilot.press("f8")
        await settle(pilot)
        assert len(app.session.project.sections) == 8


@drive
async def test_save_writes_the_edit_to_the_toml_file(app, sample_copy):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, app, Part("header"))
        for _ in range(3):
            await pilot.press("tab")  # kind → parent agency → agency → number
        await pilot.press(*"15")
        await pilot.press("f2")
        await settle(pilot)
        assert not app.title.startswith("*")
    written = tomllib.loads(sample_copy.read_text(encoding="utf-8"))
    assert written["document"]["number"] == "15"
    assert store.load(sample_copy).sections == app.session.project.sections


@drive
async def test_an_untitled_draft_asks_where_to_save(sample_project, host, tmp_path):
    app = make_app(DraftSession(sample_project), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await pilot.pause(0.1)
        assert isinstance(app.screen, PathScreen)
        assert app.screen.query_one("#path-input").value == str(tmp_path / "bao-cao.toml")
        await pilot.press("enter")
        await settle(pilot)
    assert store.load(tmp_path / "bao-cao.toml") == app.session.project


@drive
async def test_quit_asks_first_when_there_are_unsaved_changes(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "X")
        await pilot.press("f10")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert not isinstance(app.screen, ConfirmScreen)
        await pilot.press("f10")
        await pilot.pause(0.1)
        await pilot.press("b")  # quit, dropping the changes
        await pilot.pause(0.1)
    assert app.clean_exit
    assert app.return_code == 0


@drive
async def test_problems_list_moves_the_cursor_to_the_field_at_fault(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f5")  # check: focuses the problems list
        await settle(pilot)
        problems = app.query_one("#problems")
        assert app.focused is problems
        first = problems.problems[0]
        assert first.path[:5] == ("sections", 3, "data", "periods", 0)
        await pilot.press("enter")
        await settle(pilot)
        assert app.part == Part("section", 3)
        table = app.focused
        assert isinstance(table, RecordsTable)
        assert table.owner.field.name == "periods"
        assert table.cursor_row == 0
        assert table.owner._column_at(table.cursor_column).name == first.path[5]


@drive
async def test_outline_marks_parts_with_problems_by_symbol(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        outline = app.query_one(Outline)
        economic = outline.parts.index(Part("section", 3))
        prompt = outline.get_option_at_index(economic).prompt
        assert str(prompt).startswith("?")  # warnings only: the stated growth figures


@drive
async def test_f1_shows_help_for_the_focused_area(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause(0.1)
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.area == "Dàn ý"
        assert any("outline.add" in description for _, description in app.screen.keys)
        await pilot.press("escape")


@drive
async def test_a_user_keymap_rebinds_an_action(sample_copy, host):
    app = make_app(DraftSession.open(sample_copy), host, keymap={"save": "f11"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "X", "escape", "f11")
        await settle(pilot)
        assert not app.session.dirty
    assert store.load(sample_copy).sections[0].data["text"].startswith("X")


@drive
async def test_recovery_copy_is_offered_and_restored(sample_copy, host):
    first = DraftSession.open(sample_copy)
    first.set_value(("document", "place"), "Huế")
    recovery = first.write_recovery()
    app = make_app(DraftSession.open(sample_copy), host, recovery=recovery)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("k")
        await settle(pilot)
        assert app.session.project.document.place == "Huế"
        assert app.session.dirty and app.title.startswith("* ")


@drive
async def test_a_failing_plugin_shows_its_error_inside_its_section(sample_copy):
    from tongket.core import Problem, SectionType, hookimpl
    from tongket.core.host.pluginhost import PluginHost

    class Broken:
        @hookimpl
        def tongket_section_types(self, register):
            register(SectionType(id="broken", title="Hỏng"))

        @hookimpl
        def tongket_validate_section(self, section_type, data, context) -> list[Problem]:
            return []

        @hookimpl
        def tongket_render_section(self, section_type, data, context):
            raise RuntimeError("hết giấy")

    plugins = PluginHost()
    plugins.load_builtins()
    plugins.add_plugin(Broken(), "broken_plugin")
    session = DraftSession.open(sample_copy)
    session.add_section(plugins, "broken", after=0)
    app = make_app(session, plugins)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, app, Part("section", 1))
        text = preview_text(app)
        assert "LỖI plugin broken_plugin" in text and "hết giấy" in text
        assert str(app.query_one(Outline).get_option_at_index(5).prompt).startswith("!")
        assert app.is_running


@pytest.mark.skipif(
    importlib.util.find_spec("tongket.core.writers.docx_writer") is None,
    reason="DOCX writer missing",
)
@drive
async def test_export_writes_a_docx_and_names_it(app, sample_copy):
    import docx

    sample_copy.chmod(0o640)  # a team's report: its export is the team's too, not everyone's
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await app.workers.wait_for_complete()
        await settle(pilot)
        target = sample_copy.with_suffix(".docx")
        assert target.is_file()
        messages = [notification.message for notification in app._notifications]
        assert any(str(target) in message for message in messages)
    text = "\n".join(paragraph.text for paragraph in docx.Document(target).paragraphs)
    assert "kim ngạch xuất khẩu năm 2020 đạt 1.409 triệu USD" in text
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@drive
async def test_two_hundred_sections_mount_only_the_selected_editor(tmp_path, sample_project, host):
    project = sample_project
    project.sections = [
        Section("free-text", f"{n}.", "", {"text": f"Đoạn {n}."}) for n in range(1, 201)
    ]
    app = make_app(DraftSession(project, tmp_path / "lon.toml"), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(app.query(FormEditor)) == 1
        assert len(app.query(TextArea)) == 1
        await pilot.press("end")
        await until(pilot, lambda: "Đoạn 200." in preview_text(app))
        assert app.part == Part("section", 199)
        assert len(app.query(TextArea)) == 1
        assert "Đoạn 200." in preview_text(app)


@drive
async def test_a_failing_export_is_reported_and_the_app_keeps_running(app, monkeypatch):
    import tongket.core.writers.docx_writer as docx_writer

    def broken(rendered, path, **options) -> None:
        raise OSError("đĩa đầy")

    monkeypatch.setattr(docx_writer, "export_docx", broken)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert app.is_running
        assert not app.query_one("#export-bar").display
        messages = [notification.message for notification in app._notifications]
        assert any("Xuất không thành" in message and "đĩa đầy" in message for message in messages)


@drive
async def test_pdf_export_converts_the_docx_and_names_the_pdf(app, sample_copy, monkeypatch):
    import tongket.core.writers.pdf as pdf

    converted = []

    def fake_convert(docx_path, pdf_path, **kwargs) -> None:
        converted.append(Path(docx_path))
        Path(pdf_path).write_bytes(b"%PDF-1.4\n")

    monkeypatch.setattr(pdf, "convert_to_pdf", fake_convert)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await app.workers.wait_for_complete()
        await settle(pilot)
        target = sample_copy.with_suffix(".pdf")
        assert converted == [sample_copy.with_suffix(".docx")]
        assert target.is_file()
        messages = [notification.message for notification in app._notifications]
        assert any(str(target) in message for message in messages)


@drive
async def test_export_with_errors_asks_first(app, sample_copy):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")  # a new free-text section citing a document never declared
        await pilot.pause(0.2)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*"[[khong_co]]")
        assert app.session.project.sections[1].data["text"] == "[[khong_co]]"
        await pilot.press("f6")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("x")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert sample_copy.with_suffix(".docx").is_file()


@drive
async def test_open_another_report_from_the_folder(app, sample_copy):
    other = sample_copy.with_name("khac.toml")
    text = sample_copy.read_text(encoding="utf-8")
    other.write_text(text.replace('place = "Quảng Ngãi"', 'place = "Huế"'), encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await pilot.pause(0.1)
        assert isinstance(app.screen, PathScreen)
        await pilot.press(*str(other), "enter")
        await settle(pilot)
        assert app.session.path == other
        assert app.session.project.document.place == "Huế"
        assert app.title == "khac.toml"
