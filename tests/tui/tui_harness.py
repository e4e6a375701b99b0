"""What the app's tests share: a pinned app, running a Pilot test, waiting, moving the outline.

Fixtures (the working folder, the `app` on a copy of the sample) are in this folder's
`conftest.py`; import these helpers with `from tui_harness import drive, settle, …`.
"""

from __future__ import annotations

import asyncio
import functools

from tongket.core.report.session import DraftSession
from tongket.tui.app import TongketApp
from tongket.tui.fields import Part
from tongket.tui.outline import Outline
from tongket.tui.preview import Preview

SIZE = (80, 24)
SERIES = ("sections", 3, "data", "indicators", 0, "series")

__all__ = [
    "SERIES",
    "SIZE",
    "Part",
    "drive",
    "goto",
    "make_app",
    "preview_text",
    "settle",
    "until",
]


def drive(test):
    """Run an async Pilot test (the suite has no asyncio plugin; fixtures still apply)."""

    @functools.wraps(test)
    def run(*args, **kwargs) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def make_app(session: DraftSession, host, **kwargs) -> TongketApp:
    """The app as tests pin it: no cursor blink, recovery copies only when a test asks."""
    kwargs.setdefault("recovery_seconds", 3600)
    return TongketApp(session, host, cursor_blink=False, **kwargs)


async def settle(pilot, delay: float = 0.3, limit: float = 10.0) -> None:
    """Let the deferred editor mount and analysis run: `delay` at least, then until the app
    says it has settled (a loaded CI machine can take several times `delay`)."""
    await pilot.pause(delay)
    waited = delay
    while not getattr(pilot.app, "settled", True) and waited < limit:
        await pilot.pause(0.05)
        waited += 0.05


async def until(pilot, condition, limit: float = 10.0) -> None:
    """Settle, then keep pausing until `condition()` holds or `limit` seconds have passed (a
    message posted by a key, such as the outline's highlight, may land after the app settled
    on a loaded machine). The caller asserts the condition afterwards."""
    await settle(pilot)
    waited = 0.0
    while not condition() and waited < limit:
        await pilot.pause(0.05)
        waited += 0.05


def preview_text(app: TongketApp) -> str:
    return app.query_one(Preview).plain


async def goto(pilot, app: TongketApp, part: Part) -> None:
    """Move the outline cursor to `part` with arrow keys, then open its editor with Enter."""
    outline = app.query_one(Outline)
    outline.focus()
    target = outline.parts.index(part)
    while outline.highlighted != target:
        await pilot.press("down" if outline.highlighted < target else "up")
    await pilot.press("enter")
    await settle(pilot)
