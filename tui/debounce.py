"""Deferring work until typing or scrolling pauses."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from time import monotonic
from typing import Any

from textual.app import App
from textual.timer import Timer


class Debounce:
    """Call `callback` once, `delay` seconds after the last `poke()`.

    Typing pokes on every key; re-arming a timer per key would cost more than the key itself,
    so at most one timer runs per quiet period and it re-arms for the time still left.
    """

    def __init__(self, owner: App, delay: float, callback: Callable[[], Any]) -> None:
        self.owner = owner
        self.delay = delay
        self.callback = callback
        self.due = 0.0
        self.timer: Timer | None = None

    def poke(self) -> None:
        self.due = monotonic() + self.delay
        if self.timer is None:
            self.timer = self.owner.set_timer(self.delay, self._fire)

    def cancel(self) -> None:
        if self.timer is not None:
            self.timer.stop()
            self.timer = None

    async def _fire(self) -> None:
        remaining = self.due - monotonic()
        if remaining > 0.005:
            self.timer = self.owner.set_timer(remaining, self._fire)
            return
        self.timer = None
        if not self.owner.is_running:  # the app is shutting down: its widgets are going
            return
        result = self.callback()
        if inspect.isawaitable(result):
            await result
