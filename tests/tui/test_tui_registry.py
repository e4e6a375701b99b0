"""One registry of key-bound actions (tui/registry.py) feeds the bindings, the palette, the F1
help and the key map: ids declared once, every binding declared there, a remapped key shown
everywhere, every command listed by F1 in its area, and availability said by `check_action`."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from types import SimpleNamespace

from test_tui_safety import someone_else
from textual.binding import Binding
from textual.widgets import DataTable, TextArea
from tui_harness import drive, goto, make_app, settle

import tongket.tui
from tongket.core.report.session import DraftSession
from tongket.tui import registry
from tongket.tui.dialogs import HelpScreen
from tongket.tui.fields import Part
from tongket.tui.footer import FOOTER_ENTRIES
from tongket.tui.keymap import load_keymap
from tongket.tui.outline import Outline

SIZE = (80, 24)
#: The areas whose keys F1 lists; the modal screens' keys are in their own footer.
MAIN_SCREEN_AREAS = {"app", "outline", "problems", "grid", "text"}


def declared_bindings(classes) -> list[tuple[str, Binding]]:
    """(owner, binding) for each binding the classes declare themselves (not inherited)."""
    found = []
    for owner in classes:
        for entry in vars(owner).get("BINDINGS", []):
            binding = entry if isinstance(entry, Binding) else Binding(*entry)
            found.append((owner.__qualname__, binding))
    return found


def tui_classes() -> list[type]:
    """Every class defined in the tongket.tui modules."""
    classes = []
    for info in pkgutil.iter_modules(tongket.tui.__path__):
        module = importlib.import_module(f"tongket.tui.{info.name}")
        classes += [
            value
            for value in vars(module).values()
            if inspect.isclass(value) and value.__module__ == module.__name__
        ]
    return classes


def undeclared(classes) -> list[str]:
    """The bindings of `classes` that differ from, or are missing in, the registry."""
    wrong = []
    for owner, binding in declared_bindings(classes):
        command = registry.command(binding.id or "")
        if command is None:
            wrong.append(f"{owner}: {binding.key} → {binding.action} has no registry id")
        elif (binding.key, binding.action, binding.description) != (
            command.keys,
            command.action,
            command.label,
        ):
            wrong.append(f"{owner}: {binding.id} differs from its registry entry")
    return wrong


def help_ids(app) -> set[str]:
    """The ids the open F1 help names ("Thêm  [outline.add]" → "outline.add")."""
    assert isinstance(app.screen, HelpScreen)
    return {re.search(r"\[([^\]]+)\]$", text).group(1) for _, text in app.screen.keys}


async def open_help(pilot, app) -> HelpScreen:
    await pilot.press("f1")
    await pilot.pause(0.1)
    assert isinstance(app.screen, HelpScreen)
    return app.screen


# -- the registry as data ----------------------------------------------------------------------


def test_no_command_id_is_declared_twice():
    ids = [command.id for command in registry.COMMANDS]
    assert len(ids) == len(set(ids))
    labels = [command.palette for command in registry.COMMANDS if command.palette]
    assert len(labels) == len(set(labels))


def test_every_binding_of_the_tui_is_in_the_registry():
    assert not undeclared(tui_classes())


def test_a_binding_missing_from_the_registry_is_found():
    class Stray:
        BINDINGS = (Binding("z", "zap", "Zap", id="stray.zap"), ("y", "yank", "Yank"))

    class Drifted:
        BINDINGS = (Binding("f3", "open", "Mở", id="open"),)  # the label drifted

    assert len(undeclared([Stray])) == 2
    [drift] = undeclared([Drifted])
    assert drift.endswith("Drifted: open differs from its registry entry")


def test_registry_references_are_sound():
    for command in registry.COMMANDS:
        assert command.area in registry.AREAS, command.id
        if command.same_as:
            base = registry.command(command.same_as)
            assert base is not None and not base.same_as, command.id
    footer_ids = {binding_id for _, ids in FOOTER_ENTRIES for binding_id in ids}
    assert footer_ids <= registry.KNOWN_IDS


def test_every_key_that_changes_the_report_is_marked_as_editing():
    # A read-only view refuses and hides exactly these (main screen, grid and footer read them).
    structural = {"add_section", "delete_section", "move_section", "undo", "redo"}
    assert structural | {"add_row", "delete_row", "move_row", "edit_cell"} <= (
        registry.EDITING_ACTIONS
    )
    assert {"open", "save_as", "quit", "help"}.isdisjoint(registry.EDITING_ACTIONS)
    assert {"save", "save.ctrl", "undo.ctrl", "outline.up", "grid.edit"} <= registry.EDITING_IDS


def test_the_key_map_accepts_exactly_the_registry_ids(tmp_path):
    keymap = tmp_path / "keymap.toml"
    keymap.write_text('[keys]\n"text.start" = "f12"\n"no.such" = "z"\n', encoding="utf-8")
    keys, warnings = load_keymap(keymap, known=set(registry.KNOWN_IDS))
    assert keys == {"text.start": "f12"}
    assert len(warnings) == 1 and "no.such" in warnings[0]


def test_help_asks_the_focused_widget_for_its_area():
    class Area:
        help_area = "grid"
        HELP = "Bảng: ←↑→↓ chọn ô."
        parent = None

        def help_detail(self) -> str:
            return "Ô đang chọn"

    inner = SimpleNamespace(parent=Area(), help_area="", HELP=None)
    assert registry.help_of(inner) == ("Bảng dữ liệu", "Ô đang chọn\n\nBảng: ←↑→↓ chọn ô.")
    assert registry.help_of(SimpleNamespace(parent=None)) == ("tongket", "")
    assert isinstance(Area(), registry.HelpSource)


# -- the app -------------------------------------------------------------------------------------


@drive
async def test_a_remapped_key_shows_in_the_palette_and_the_help(sample_copy, host, tmp_path):
    keymap_file = tmp_path / "keymap.toml"
    keymap_file.write_text('[keys]\n"outline.delete" = "d"\nsave = "f11"\n', encoding="utf-8")
    keymap, warnings = load_keymap(keymap_file, known=set(registry.KNOWN_IDS))
    assert not warnings
    app = make_app(DraftSession.open(sample_copy), host, keymap=keymap)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = [name for name, _, _ in app.palette_commands()]
        assert "Xóa mục (d)" in names and "Lưu (F11)" in names
        assert not any(name in names for name in ("Xóa mục (x)", "Lưu (F2)"))
        help_screen = await open_help(pilot, app)
        keys = {text: shown for shown, text in help_screen.keys}
        assert keys["Xóa  [outline.delete]"] == "d"
        assert "F11" in keys["Lưu  [save]"].split(", ")
        assert "F2" not in keys["Lưu  [save]"].split(", ")
        await pilot.press("escape")
        await pilot.pause(0.1)
        sections = len(app.session.project.sections)
        await pilot.press("d")  # the new key deletes; the old one no longer does
        await settle(pilot)
        assert len(app.session.project.sections) == sections - 1


@drive
async def test_f1_lists_every_command_of_the_main_screen(sample_copy, host):
    app = make_app(DraftSession.open(sample_copy), host)
    seen: set[str] = set()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for press, area in (
            ((), "Dàn ý"),
            (("4",), "Vấn đề"),
            (("3",), "Xem trước"),
        ):
            await pilot.press(*press)
            help_screen = await open_help(pilot, app)
            assert help_screen.area == area
            seen |= help_ids(app)
            await pilot.press("escape")
            await pilot.pause(0.1)
        await goto(pilot, app, Part("section", 3))  # the indicators grid
        assert isinstance(app.focused, DataTable)
        help_screen = await open_help(pilot, app)
        assert help_screen.area == "Bảng dữ liệu"
        seen |= help_ids(app)
        await pilot.press("escape")
        await goto(pilot, app, Part("section", 0))  # the introduction's prose
        assert isinstance(app.focused, TextArea)
        help_screen = await open_help(pilot, app)
        assert help_screen.area == "Biểu mẫu"
        seen |= help_ids(app)
    # Take over is offered only for a lock whose holder has gone.
    someone_else(sample_copy, alive=False)
    app = make_app(DraftSession.open(sample_copy, lock=True), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_help(pilot, app)
        seen |= help_ids(app)
    expected = {command.base for command in registry.COMMANDS if command.area in MAIN_SCREEN_AREAS}
    assert expected - seen == set()
    assert seen <= registry.KNOWN_IDS


@drive
async def test_nothing_but_quitting_runs_until_the_app_is_ready(sample_copy, host):
    app = make_app(DraftSession.open(sample_copy), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        sections = len(app.session.project.sections)
        app.ready = False  # as just after the first frame, before the plugins are loaded
        assert app.check_action("delete_section", ()) is None  # shown dimmed, not run
        assert app.check_action("quit", ()) is True
        assert app.check_action("take_over", ()) is False  # hidden stays hidden
        await pilot.press("x", "f1")
        await pilot.pause(0.1)
        assert len(app.session.project.sections) == sections
        assert not isinstance(app.screen, HelpScreen)
        app.ready = True
        app.refresh_bindings()
        await pilot.press("x")
        await settle(pilot)
        assert len(app.session.project.sections) == sections - 1
        hint = app.query_one("#action-hint")
        assert hint.display
        await pilot.press("alt+3")  # the next key clears the hint, a priority one too
        assert not hint.display
        assert not isinstance(app.focused, Outline)
