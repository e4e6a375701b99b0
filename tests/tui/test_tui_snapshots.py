"""Snapshots of the main screens at 80×24 and 120×40 (pytest-textual-snapshot).

Theme, cursor blink and size are pinned; the header shows no clock. After an intended change
of the layout, regenerate with `pytest tests/tui/test_tui_snapshots.py --snapshot-update` and look
at the SVGs in tests/tui/__snapshots__/ before committing them.
"""

from __future__ import annotations

import pytest
from tui_harness import settle

from tongket.core.report.session import DraftSession
from tongket.tui.app import TongketApp

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def app(sample_copy, host) -> TongketApp:
    # Recovery copies on their default timer, as a user's app has them (not the harness's).
    return TongketApp(DraftSession.open(sample_copy), host, cursor_blink=False)


async def pinned(pilot) -> None:
    pilot.app.theme = "textual-dark"
    # The deferred editor mount and analysis: waited for, not timed (a fixed pause left the
    # preview empty on a loaded CI machine).
    await settle(pilot, 0.4)


@pytest.mark.parametrize("size", SIZES)
def test_main_screen_on_the_sample(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=pinned)


@pytest.mark.parametrize("size", SIZES)
def test_economic_section_with_its_chart(snap_compare, app, size):
    async def open_economic(pilot) -> None:
        await pinned(pilot)
        await pilot.press("down", "down", "down", "enter")
        await settle(pilot, 0.4)

    assert snap_compare(app, terminal_size=size, run_before=open_economic)


def test_help_of_the_outline(snap_compare, app):
    async def help_screen(pilot) -> None:
        await pinned(pilot)
        await pilot.press("f1")
        await settle(pilot, 0.2)

    assert snap_compare(app, terminal_size=(80, 24), run_before=help_screen)


def test_section_type_picker(snap_compare, app):
    async def picker(pilot) -> None:
        await pinned(pilot)
        await pilot.press("a")
        await settle(pilot, 0.2)

    assert snap_compare(app, terminal_size=(80, 24), run_before=picker)


def test_read_only_view_of_a_file_someone_else_holds(snap_compare, sample_copy, host, monkeypatch):
    import datetime as dt
    import time

    from tongket.core.report import locking

    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")  # the banner prints the holder's time locally
    time.tzset()
    monkeypatch.chdir(sample_copy.parent)
    since = dt.datetime(2026, 11, 25, 7, 2, tzinfo=dt.UTC)
    fresh = dt.datetime.now(dt.UTC)  # refreshed just now: not abandoned
    holder = locking.LockHolder("nva", "may-chu-so", 4242, since, fresh, None, "feedfeedfeedfeed")
    locking.lock_path(sample_copy).write_text(holder.to_json(), encoding="utf-8")
    app = TongketApp(DraftSession.open(sample_copy, lock=True), host, cursor_blink=False)
    try:
        assert snap_compare(app, terminal_size=(80, 24), run_before=pinned)
    finally:
        monkeypatch.undo()
        time.tzset()
