"""Running plugin code under a time limit, on daemon threads, with its prints sent to stderr.

A Python thread cannot be killed. A hook call that runs past the limit is therefore *abandoned*:
the caller stops waiting, reports the plugin, and carries on; the thread keeps running in the
background until the call returns (its result is thrown away) or the process ends. The threads
are daemon threads, so a plugin stuck in an endless loop never keeps `tongket` alive at exit.

Workers are reused: a thread that finishes a call (even one that was abandoned) waits for the
next one, so the cost per call is a queue hand-off, not a new thread.

Anything plugin code prints while it runs goes to stderr, so `tongket render > out.txt` and
`tongket plugins --json | jq` never carry a plugin's debugging output.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
from collections.abc import Callable
from typing import Any

#: Seconds one hook call may take before it is abandoned (`TONGKET_PLUGIN_TIMEOUT`).
DEFAULT_TIMEOUT = 5.0

_plugin_code = threading.local()  # `.active` is true while this thread runs plugin code


def time_limit() -> float:
    """The limit from `TONGKET_PLUGIN_TIMEOUT` (seconds; 0 runs plugins inline, no limit)."""
    value = os.environ.get("TONGKET_PLUGIN_TIMEOUT", "").strip().replace(",", ".")
    if not value:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        return DEFAULT_TIMEOUT
    return seconds if seconds >= 0 and seconds == seconds else DEFAULT_TIMEOUT


class PluginCall:
    """One call of plugin code: its result, or the exception it raised, once `done` is set."""

    __slots__ = ("done", "error", "function", "result")

    def __init__(self, function: Callable[[], Any]) -> None:
        self.function = function
        self.done = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None

    def execute(self) -> None:
        # BaseException too: a plugin calling sys.exit() must not end tongket.
        try:
            self.result = self.function()
        except BaseException as error:
            self.error = error


class _PluginThread(threading.Thread):
    def __init__(self) -> None:
        super().__init__(name="tongket-plugin", daemon=True)
        self.calls: queue.SimpleQueue[PluginCall] = queue.SimpleQueue()

    def run(self) -> None:
        _plugin_code.active = True
        while True:
            call = self.calls.get()
            call.execute()
            # Back in the pool before the caller wakes, so a sequence of calls reuses one thread.
            with _idle_lock:
                _idle.append(self)
            call.done.set()
            del call  # an abandoned call's result is not kept alive by an idle thread


_idle: list[_PluginThread] = []
_idle_lock = threading.Lock()


def run_plugin_code(function: Callable[[], Any], limit: float) -> PluginCall | None:
    """Run `function` as plugin code; the finished call, or None when it ran past `limit`.

    With `limit` 0 the call runs inline in this thread (for debuggers), without a limit.
    """
    if limit <= 0:
        return run_inline(function)
    guard_stdout()
    call = PluginCall(function)
    with _idle_lock:
        worker = _idle.pop() if _idle else None
    if worker is None:
        worker = _PluginThread()
        worker.start()
    worker.calls.put(call)
    if not call.done.wait(limit):
        return None
    return call


def run_inline(function: Callable[[], Any]) -> PluginCall:
    """Run `function` as plugin code in this thread, without a limit; its prints go to stderr."""
    guard_stdout()
    call = PluginCall(function)
    was_active = getattr(_plugin_code, "active", False)
    _plugin_code.active = True
    try:
        call.execute()
    finally:
        _plugin_code.active = was_active
    if isinstance(call.error, KeyboardInterrupt):
        raise call.error  # Ctrl-C belongs to the user, not to the plugin
    return call


class _StdoutGuard:
    """`sys.stdout` as seen by plugin code: writes from plugin threads go to stderr instead."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if getattr(_plugin_code, "active", False) and sys.stderr is not None:
            return sys.stderr.write(text)
        return self._stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def guard_stdout() -> None:
    """Wrap `sys.stdout` once, so a plugin's print() never lands in piped output."""
    if sys.stdout is not None and not isinstance(sys.stdout, _StdoutGuard):
        sys.stdout = _StdoutGuard(sys.stdout)
