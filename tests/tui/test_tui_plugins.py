"""Plugins in the app: the plugin list screen, and editor widgets supplied by a plugin through
`tongket_section_editor` (the example from docs/plugins.md, run as written)."""

from __future__ import annotations

import re
import types
from pathlib import Path

import pytest
from textual.widgets import Input
from tui_harness import drive, settle

from tongket.core import Field, SectionType, hookimpl
from tongket.core.host.pluginhost import PluginFailure, PluginHost
from tongket.core.render.document import render_document
from tongket.core.report.session import DraftSession
from tongket.tui.app import TongketApp
from tongket.tui.dialogs import PluginsScreen
from tongket.tui.fields import Part
from tongket.tui.form import FormEditor
from tongket.tui.outline import Outline
from tongket.tui.preview import Preview

SIZE = (80, 24)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"
NOTE_TYPE = SectionType(
    "ghi-chu", "Ghi chú", fields=(Field("note", "Ghi chú"),), default_data={"note": "ban đầu"}
)


def documented_editor_hook():
    """The `tongket_section_editor` example of docs/plugins.md, executed as it is written."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("### tongket_section_editor", 1)[1]
    code = re.search(r"```python\n(@hookimpl\n.*?)```", section, re.DOTALL).group(1)
    namespace = {"hookimpl": hookimpl}
    exec(code, namespace)
    return namespace["tongket_section_editor"]


class NotePlugin:
    """A note section (ghi chú) with a render hook; its editor hook is set per test."""

    calls: list[str]

    def __init__(self, editor_hook=None) -> None:
        self.calls = []
        if editor_hook is not None:
            calls = self.calls

            @hookimpl
            def tongket_section_editor(section_type):
                calls.append(section_type)
                return editor_hook(section_type)

            self.tongket_section_editor = tongket_section_editor

    @hookimpl
    def tongket_section_types(self, register):
        register(NOTE_TYPE)

    @hookimpl
    def tongket_render_section(self, section_type, data, context):
        return context.paragraphs(f"Ghi chú: {data.get('note', '')}")


def host_with(plugin) -> PluginHost:
    plugins = PluginHost()
    plugins.load_builtins()
    plugins.add_plugin(plugin, "ghi_chu")
    return plugins


def app_with_note_section(sample_copy, plugins) -> TongketApp:
    session = DraftSession.open(sample_copy)
    session.add_section(plugins, "ghi-chu", after=0)  # section 1, right after the introduction
    session.history.mark_saved()
    return TongketApp(session, plugins, cursor_blink=False, recovery_seconds=3600)


async def open_section(pilot, app: TongketApp, index: int) -> None:
    outline = app.query_one(Outline)
    outline.focus()
    target = outline.parts.index(Part("section", index))
    while outline.highlighted != target:
        await pilot.press("down" if outline.highlighted < target else "up")
    await pilot.press("enter")
    await pilot.pause(0.3)


# -- the hook itself -----------------------------------------------------------------------


def test_tongket_section_editor_is_asked_of_the_owner_only_and_never_by_headless_code(
    sample_project,
):
    class Other:
        @hookimpl
        def tongket_section_types(self, register):
            register(SectionType("khac", "Khác"))

        @hookimpl
        def tongket_section_editor(self, section_type):
            return "không phải của mục ghi-chu"

    plugin = NotePlugin(documented_editor_hook())
    plugins = host_with(plugin)
    plugins.add_plugin(Other(), "khac")
    factory = plugins.section_editor("ghi-chu")
    assert factory.__name__ == "NoteEditor" and plugin.calls == ["ghi-chu"]
    assert plugins.section_editor("free-text") is None  # no hook: the generated form
    with pytest.raises(PluginFailure, match="cần trả về một lớp widget"):
        plugins.section_editor("khac")
    # Rendering and checking a report (what export does) never asks for an editor.
    session = DraftSession(sample_project)
    session.add_section(plugins, "ghi-chu")
    rendered = render_document(session.project, plugins)
    assert "Ghi chú: ban đầu" in str(rendered.sections[-1].blocks)
    assert plugin.calls == ["ghi-chu"]


# -- a plugin's editor in the app ----------------------------------------------------------


@drive
async def test_a_plugin_editor_widget_edits_the_section_with_undo(sample_copy):
    plugin = NotePlugin(documented_editor_hook())
    app = app_with_note_section(sample_copy, host_with(plugin))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_section(pilot, app, 1)
        form = app.query_one(FormEditor)
        assert type(form.custom).__name__ == "NoteEditor"
        assert app.focused is form.custom and form.custom.value == "ban đầu"
        # The generated fields below it are the section's own: number, heading, table.
        assert [path[-1] for path in form.widgets] == ["number", "heading", "table"]
        # A stopped clock: the keys are one burst even if a loaded machine stalls between two.
        app.session.clock = lambda: 0.0
        await pilot.press("end", *" mới")
        assert app.session.project.sections[1].data == {"note": "ban đầu mới"}
        assert app.title.startswith("* ")
        await pilot.pause(0.4)
        assert "Ghi chú: ban đầu mới" in app.query_one(Preview).plain
        await pilot.press("f8")  # the typing burst is one undo step
        await pilot.pause(0.2)
        assert app.session.project.sections[1].data == {"note": "ban đầu"}
        assert app.query_one(FormEditor).custom.value == "ban đầu"  # a fresh widget
        await pilot.press("escape", "down", "up", "enter")  # away and back: asked only once
        await pilot.pause(0.3)
    assert plugin.calls == ["ghi-chu"]


def raising_hook(section_type):
    raise RuntimeError("thiếu thư viện biểu đồ")


def widget_that_cannot_be_made(section_type):
    def factory(**kwargs):
        raise ValueError("sai tham số")

    return factory


def not_a_widget(section_type):
    return lambda **kwargs: "một chuỗi"


@pytest.mark.parametrize(
    ("hook", "error"),
    [
        (raising_hook, "tongket_section_editor: RuntimeError: thiếu thư viện biểu đồ"),
        (widget_that_cannot_be_made, "không tạo được: ValueError: sai tham số"),
        (not_a_widget, "cần trả về một widget của Textual, gặp str"),
    ],
    ids=["hook raises", "constructor raises", "not a widget"],
)
@drive
async def test_a_failing_plugin_editor_falls_back_to_the_generated_form(sample_copy, hook, error):
    app = app_with_note_section(sample_copy, host_with(NotePlugin(hook)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_section(pilot, app, 1)
        form = app.query_one(FormEditor)
        assert form.custom is None
        notice = str(form.query_one(".notice").render())
        assert notice.startswith("! plugin ghi_chu: ")
        assert error in notice and notice.endswith("dùng biểu mẫu tự sinh.")
        assert isinstance(app.focused, Input)  # the generated "note" field
        await pilot.press("end", *"!")
        assert app.session.project.sections[1].data == {"note": "ban đầu!"}
        assert app.is_running


# -- the plugin list -----------------------------------------------------------------------


@drive
async def test_f11_lists_the_plugins_like_tongket_plugins(sample_copy, host):
    def broken_load():
        raise ImportError("No module named 'pandas'")

    plugins = PluginHost()
    plugins.load_builtins()
    plugins.load_entry_points([_entry_point("hong", broken_load)])
    app = TongketApp(DraftSession.open(sample_copy), plugins, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f11")
        await pilot.pause(0.1)
        assert isinstance(app.screen, PluginsScreen)
        text = app.screen.plain
        assert "economic_results" in app.export_screenshot()  # on screen, not only in data
        await pilot.press("end")  # the broken plugin is last: scroll to it
        await pilot.pause(0.1)
        assert "LỖI:" in app.export_screenshot()
        listing = plugins.listing()
        assert app.screen.listing == listing
        assert str(app.screen.query_one(".dialog-title").render()) == (
            f"Plugin đã cài ({len(listing)}, 1 lỗi)"
        )
        for item in listing:
            assert item["name"] in text
        assert "economic_results" in text and "có sẵn trong tongket; tongket" in text
        assert "loại mục economic-results v1: Kết quả kinh tế" in text
        assert "hook: tongket_render_section, tongket_section_types" in text
        assert "! hong 0.3.0  (gói cài thêm (entry point); tongket-hong)" in text.splitlines()
        assert "    LỖI: không nạp được: ImportError: No module named 'pandas'" in text.splitlines()
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert not isinstance(app.screen, PluginsScreen)
        await pilot.press("p")  # the plain key on the outline
        await pilot.pause(0.1)
        assert isinstance(app.screen, PluginsScreen)
        await pilot.press("escape")
        await pilot.press("colon", *"plugin")
        await pilot.pause(0.4)
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert isinstance(app.screen, PluginsScreen)


def _entry_point(name: str, load):
    """A stand-in for an installed distribution's entry point."""
    dist = types.SimpleNamespace(name=f"tongket-{name}", version="0.3.0")
    return types.SimpleNamespace(name=name, value=f"tongket_{name}", dist=dist, load=load)


@drive
async def test_the_app_reads_installed_plugins_after_the_outline_and_before_keys(
    sample_copy, monkeypatch
):
    """Its own host starts with what the report needs; the entry points (an installed note
    type, a broken plugin) come once the outline is built, and both are there for "Thêm mục"
    and the notices when keys run."""

    def broken_load():
        raise ImportError("No module named 'pandas'")

    order: list[str] = []
    installed = [_entry_point("ghi_chu", NotePlugin), _entry_point("hong", broken_load)]
    read_entry_points = PluginHost.load_entry_points
    build = Outline.build

    def recording_read(host, entry_points=None):
        order.append("entry points")
        read_entry_points(host, installed if entry_points is None else entry_points)

    def recording_build(outline, *args, **kwargs):
        order.append("outline")
        build(outline, *args, **kwargs)

    monkeypatch.setattr(PluginHost, "load_entry_points", recording_read)
    monkeypatch.setattr(Outline, "build", recording_build)
    app = TongketApp(DraftSession.open(sample_copy), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert order[:2] == ["outline", "entry points"]
        assert "ghi-chu" in app.host.section_types  # offered by "Thêm mục"
        messages = [notice.message for notice in app._notifications]
        assert any("hong" in message and "pandas" in message for message in messages)
        await pilot.press("a", "end")  # the installed type is the last of the dialog's
        await pilot.pause(0.2)
        assert "Ghi&#160;chú" in app.export_screenshot()


@drive
async def test_a_report_of_one_type_still_offers_every_builtin_in_order(sample_copy, monkeypatch):
    """The app starts with only the built-ins the report uses; once the entry points are read
    (before keys run) "Thêm mục" offers all of them, in the built-ins' order."""
    from tongket.core.report import store

    project = store.load(str(sample_copy))
    project.sections = [section for section in project.sections if section.type == "training"]
    store.save(project, str(sample_copy))
    read_entry_points = PluginHost.load_entry_points
    monkeypatch.setattr(
        PluginHost, "load_entry_points", lambda host, entry_points=None: read_entry_points(host, [])
    )
    app = TongketApp(DraftSession.open(sample_copy), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert list(app.host.section_types) == list(PluginHost.builtins().section_types)
        await pilot.press("a", "end")  # the last built-in is the dialog's last entry
        await pilot.pause(0.2)
        assert "Tổng&#160;hợp&#160;số&#160;liệu" in app.export_screenshot()
