"""Running plugin code under a time limit, in the calling thread, with its prints sent to stderr.

A hook call runs inline, in the thread that asks for it. One watchdog thread per process (started
on the first limited call) keeps the calls in progress, thread id → deadline. When a call runs
past its deadline, the watchdog raises `_HookInterrupted` inside that thread
(`PyThreadState_SetAsyncExc`), again every half second while the call is still running, in case
the plugin swallows it with `except BaseException`. The call's work really ends: the caller gets
`None` (a timeout) and carries on; nothing keeps running in the background.

What an exception raised between two bytecodes cannot stop: a plugin stuck in C code (a long
`sum(range(...))` that holds the GIL, `time.sleep`, a blocking read) sees the interrupt only
when that C call returns, and a plugin that ends the process (`os._exit`) is gone before anyone
can report it. The headless CLI covers those with a supervising parent process
(`tongket.core.host.supervise`), which this module tells what is running through `set_monitor`.

The cost per call is a dict insert and removal under a lock, no thread hand-off. The watchdog
sleeps while no call is in progress and wakes at the earliest deadline otherwise.

Anything plugin code prints while it runs goes to stderr, so `tongket render > out.txt` and
`tongket plugins --json | jq` never carry a plugin's debugging output.
"""

from __future__ import annotations

import math
import os
import signal
import sys
import threading
from collections.abc import Callable, Mapping
from functools import lru_cache
from time import monotonic
from types import MappingProxyType
from typing import Any, Protocol

#: Seconds one hook call may take before it is stopped (`TONGKET_PLUGIN_TIMEOUT`).
DEFAULT_TIMEOUT = 5.0
#: Importing a plugin may take at least this long, and at least `IMPORT_FACTOR` hook limits.
MIN_IMPORT_TIMEOUT = 30.0
IMPORT_FACTOR = 6
#: Seconds between two interrupts of a call that is still running after its deadline.
REPEAT_INTERRUPT = 0.5

#: Where a call is: (plugin, section, hook); ("plugin", "", "") while a plugin is imported.
Where = tuple[str, str, str]
NOWHERE: Where = ("?", "", "")

#: `.active`: this thread runs plugin code; `.watch`: the `_Watch` of its limited call, if any.
_plugin_code = threading.local()
_get_ident = threading.get_ident


def _seconds(variable: str, default: float) -> float:
    # Read on every hook call (tests and the app may change the variable between calls), so
    # the parsing is cached on the variable's text.
    return _parse_seconds(os.environ.get(variable, ""), default)


@lru_cache(maxsize=32)
def _parse_seconds(text: str, default: float) -> float:
    value = text.strip().replace(",", ".")
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        return default
    return seconds if seconds >= 0 and seconds == seconds else default


def time_limit() -> float:
    """The limit from `TONGKET_PLUGIN_TIMEOUT` (seconds; 0 runs plugins without a limit)."""
    return _seconds("TONGKET_PLUGIN_TIMEOUT", DEFAULT_TIMEOUT)


def import_time_limit(hook_limit: float | None = None) -> float:
    """Seconds importing one plugin may take (`TONGKET_PLUGIN_IMPORT_TIMEOUT`; 0: no limit).

    Without the variable: the larger of 30 s and 6 hook limits, generous enough for a plugin
    importing a large library on a slow shared server; no limit when hooks have none.
    """
    hook_limit = time_limit() if hook_limit is None else hook_limit
    default = max(MIN_IMPORT_TIMEOUT, IMPORT_FACTOR * hook_limit) if hook_limit > 0 else 0.0
    return _seconds("TONGKET_PLUGIN_IMPORT_TIMEOUT", default)


class _HookInterrupted(BaseException):
    """Raised inside plugin code by the watchdog when a call runs past its deadline."""


class PluginCall:
    """One finished call of plugin code: its result, or the exception it raised."""

    __slots__ = ("error", "result")

    def __init__(self) -> None:
        self.result: Any = None
        self.error: BaseException | None = None


class CallMonitor(Protocol):
    """Told about each outermost plugin call (the supervising parent's view of the CLI)."""

    def begin(self, deadline: float, limit: float, where: Where) -> None: ...

    def end(self) -> None: ...


_monitor: CallMonitor | None = None


def set_monitor(monitor: CallMonitor | None) -> None:
    """Report every outermost plugin call to `monitor` (or stop reporting with None)."""
    global _monitor
    _monitor = monitor


# -- the watchdog -------------------------------------------------------------------------


class _Watch:
    """One limited call in progress, as the watchdog sees it."""

    __slots__ = ("finishing", "interrupted", "next_interrupt")

    def __init__(self, deadline: float) -> None:
        self.next_interrupt = deadline
        self.interrupted = False  # at least one interrupt was sent
        self.finishing = False  # the call has returned: send no more interrupts


_set_async_exc: Callable[[int, Any], int] | None = None


def _interrupt(thread_id: int, exception: type[BaseException] | None) -> None:
    """Raise `exception` in the thread at its next bytecode (None: cancel a pending one)."""
    global _set_async_exc
    if _set_async_exc is None:
        import ctypes  # only once a call has actually run late: it costs start-up time

        def set_async_exc(thread_id: int, exception: Any) -> int:
            # None reaches C as NULL, which clears a pending exception.
            target = None if exception is None else ctypes.py_object(exception)
            return ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), target)

        _set_async_exc = set_async_exc
    _set_async_exc(thread_id, exception)


class _Watchdog:
    """The thread that interrupts calls past their deadline; one per process.

    Only C-level locks here (`threading.Lock`, not `Condition`): an interrupt can land between
    any two bytecodes of the interrupted thread, also inside a Python-level `__enter__`, which
    would leave a lock held for good. Entering `with lock:` on a C lock cannot be split.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()  # guards `_calls` and `_next_check`
        self._calls: dict[int, _Watch] = {}  # thread id → its call in progress
        self._next_check = math.inf  # when the watchdog wakes next (inf: when told)
        self._signal = threading.Lock()  # released to wake the watchdog early
        self._signal.acquire()
        thread = threading.Thread(target=self._run, name="tongket-watchdog", daemon=True)
        thread.start()

    def add(self, thread_id: int, watch: _Watch) -> None:
        with self._lock:
            self._calls[thread_id] = watch
            wake = watch.next_interrupt < self._next_check
            if wake:
                self._next_check = watch.next_interrupt
        if wake:
            # Not contextlib.suppress: no Python-level __exit__ in an interruptible thread.
            try:  # noqa: SIM105
                self._signal.release()
            except RuntimeError:
                pass  # already woken

    def remove(self, thread_id: int, watch: _Watch) -> bool:
        """Stop watching the call (safe to repeat); True when it was interrupted."""
        with self._lock:
            if self._calls.get(thread_id) is watch:
                del self._calls[thread_id]
        return watch.interrupted

    def _run(self) -> None:
        while True:
            # Interrupts are sent with the lock held, so once `remove` has returned no
            # interrupt for that call can be on its way.
            with self._lock:
                now = monotonic()
                next_check = math.inf
                for thread_id, watch in self._calls.items():
                    if watch.finishing:
                        continue
                    if watch.next_interrupt <= now:
                        _interrupt(thread_id, _HookInterrupted)
                        watch.interrupted = True
                        if thread_id == _main_thread_id and _nudge_installed:
                            # A blocking system call (sleep, read, lock wait) sees the async
                            # exception only when it returns; a signal ends it now.
                            signal.pthread_kill(thread_id, _NUDGE_SIGNAL)
                        watch.next_interrupt = now + REPEAT_INTERRUPT
                    next_check = min(next_check, watch.next_interrupt)
                self._next_check = next_check
            # A limit of years (TONGKET_PLUGIN_TIMEOUT=1e18) is past what a lock may wait for
            # (OverflowError, and no more watchdog): wait the longest it may, then look again.
            wait = -1 if next_check == math.inf else min(next_check - now, threading.TIMEOUT_MAX)
            self._signal.acquire(timeout=wait)


_watchdog: _Watchdog | None = None
_watchdog_lock = threading.Lock()


def _the_watchdog() -> _Watchdog:
    global _watchdog
    if _watchdog is None:
        with _watchdog_lock:
            if _watchdog is None:
                _watchdog = _Watchdog()
    return _watchdog


def _forget_watchdog() -> None:
    global _watchdog, _watchdog_lock
    _watchdog = None  # its thread does not exist in a forked child
    _watchdog_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_watchdog)


# -- waking the main thread from a blocking call -------------------------------------------

#: Sent to the main thread when its plugin call is late, to end a blocking system call there.
_NUDGE_SIGNAL = getattr(signal, "SIGUSR2", None)
_main_thread_id = threading.main_thread().ident
_nudge_installed = False  # SIGUSR2 is ours
_nudge_tried = False


def _on_nudge(_signum: int, _frame: object) -> None:
    # Only a call that the watchdog has already interrupted is ended; a stray SIGUSR2 is ignored.
    watch = getattr(_plugin_code, "watch", None)
    if watch is not None and watch.interrupted and not watch.finishing:
        raise _HookInterrupted


def _install_nudge() -> None:
    """Take SIGUSR2 for the watchdog, once, if nobody else uses it (main thread only)."""
    global _nudge_installed, _nudge_tried
    _nudge_tried = True  # once, whatever the outcome
    if _NUDGE_SIGNAL is None or not hasattr(signal, "pthread_kill"):
        return
    try:
        if signal.getsignal(_NUDGE_SIGNAL) in (signal.SIG_DFL, _on_nudge):
            signal.signal(_NUDGE_SIGNAL, _on_nudge)
            _nudge_installed = True
    except (ValueError, OSError):  # not the main thread after all, or no signals here
        pass


# -- running plugin code ------------------------------------------------------------------


#: No keyword arguments: `function(**_NO_ARGUMENTS)` calls it with none.
_NO_ARGUMENTS: Mapping[str, Any] = MappingProxyType({})


def run_plugin_code(
    function: Callable[..., Any],
    limit: float,
    where: Where = NOWHERE,
    arguments: Mapping[str, Any] = _NO_ARGUMENTS,
) -> PluginCall | None:
    """Run `function(**arguments)` as plugin code in this thread; None when it ran past
    `limit` seconds.

    Such a call is stopped (see the module's docstring); otherwise the finished call comes
    back. With `limit` 0 the call has no limit (for debuggers). A call made from inside plugin
    code that is already limited runs under the outer call's deadline. `arguments` spares a
    hook call a closure per call (a big report makes thousands).
    """
    if limit <= 0 or getattr(_plugin_code, "watch", None) is not None:
        return run_inline(function, where, arguments)
    if sys.stdout.__class__ is not _StdoutGuard:  # guarded once; the check is what is left
        guard_stdout()
    call = PluginCall()
    thread_id = _get_ident()
    deadline = monotonic() + limit
    watch = _Watch(deadline)
    watchdog = _watchdog or _the_watchdog()
    if thread_id == _main_thread_id and not _nudge_tried:
        _install_nudge()
    monitor = _monitor
    if monitor is not None:
        monitor.begin(deadline, limit, where)
    was_active = getattr(_plugin_code, "active", False)
    _plugin_code.active = True
    _plugin_code.watch = watch  # also says "limited": a call inside runs under this deadline
    try:
        watchdog.add(thread_id, watch)
        try:
            call.result = function(**arguments)
        except _HookInterrupted:
            pass
        except BaseException as error:  # a plugin calling sys.exit() must not end tongket
            call.error = error
    except _HookInterrupted:
        pass  # it landed in these lines, just around the plugin's own code
    finally:
        watch.finishing = True  # no check for pending interrupts comes before this line
        # An interrupt sent just before `remove` took the lock may still land in this loop:
        # it is caught and the (idempotent) removal tried again. After `remove`, none can be
        # sent, and a pending one is cancelled.
        while True:
            try:
                if watchdog.remove(thread_id, watch):
                    _interrupt(thread_id, None)
                break
            except _HookInterrupted:
                pass
            except BaseException as error:  # Ctrl-C while tidying up: tidy up, then raise it
                call.error = error
    _plugin_code.active = was_active
    _plugin_code.watch = None
    if monitor is not None:
        monitor.end()
    if isinstance(call.error, KeyboardInterrupt):
        raise call.error  # Ctrl-C belongs to the user, not to the plugin
    return None if watch.interrupted else call


def run_inline(
    function: Callable[..., Any],
    where: Where = NOWHERE,
    arguments: Mapping[str, Any] = _NO_ARGUMENTS,
) -> PluginCall:
    """Run `function(**arguments)` as plugin code in this thread, without a limit; its prints
    go to stderr."""
    guard_stdout()
    call = PluginCall()
    outermost = not getattr(_plugin_code, "active", False)
    monitor = _monitor if outermost else None
    if monitor is not None:
        monitor.begin(math.inf, 0.0, where)
    _plugin_code.active = True
    try:
        call.result = function(**arguments)
    except _HookInterrupted:
        raise  # meant for the limited call this one runs inside
    except BaseException as error:
        call.error = error
    finally:
        _plugin_code.active = not outermost
        if monitor is not None:
            monitor.end()
    if isinstance(call.error, KeyboardInterrupt):
        raise call.error
    return call


class _StdoutGuard:
    """`sys.stdout` as seen by plugin code: writes made while plugin code runs go to stderr."""

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
