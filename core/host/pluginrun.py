"""Running plugin code under a time limit, in the calling thread, with its prints sent to stderr.

A hook call runs inline, in the thread that asks for it. One watchdog thread per process (started
on the first limited call) watches one `_Watch` per thread that makes limited calls: the
deadline of the call in progress there, if any. When a call runs past its deadline, the
watchdog raises `_HookInterrupted` inside that thread (`PyThreadState_SetAsyncExc`), again
every half second while the call is still running, in case the plugin swallows it with
`except BaseException`. The call's work really ends: the caller gets
`None` (a timeout) and carries on; nothing keeps running in the background.

What an exception raised between two bytecodes cannot stop: a plugin stuck in C code (a long
`sum(range(...))` that holds the GIL, `time.sleep`, a blocking read) sees the interrupt only
when that C call returns, and a plugin that ends the process (`os._exit`) is gone before anyone
can report it. The headless CLI covers those with a supervising parent process
(`tongket.core.host.supervise`), which this module tells what is running through `set_monitor`.

The cost per call is a few attribute writes: no lock, no thread hand-off, no object but the
`PluginCall` it returns. The thread's watch stays registered between calls (held by a weak
reference, so it goes when its thread ends); a call stores its deadline and limit there and
marks it active, and only a deadline earlier than the watchdog's next look wakes it (a lowered
limit, the first call after a quiet spell). Idle watches make the watchdog look again within
one limit, and not at all after two quiet limits. The lock is taken only by a call the watchdog
has found late, to settle the interrupt (`run_plugin_code`).

Anything plugin code prints while it runs goes to stderr, so `tongket render > out.txt` and
`tongket plugins --json | jq` never carry a plugin's debugging output.
"""

from __future__ import annotations

import math
import os
import signal
import sys
import threading
import weakref
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


class _PluginCode(threading.local):
    """What this thread is doing; class attributes are the defaults, no `getattr` needed."""

    #: Plugin code runs in this thread without a limit (`run_inline`).
    active = False
    #: This thread's `_Watch` while a limited call runs in it, else None.
    watch: _Watch | None = None
    #: This thread's `_Watch`, kept between calls (None until its first limited call).
    own: _Watch | None = None


_plugin_code = _PluginCode()
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

    # Class defaults, no `__init__`: making one is then a C call, not a Python frame.
    result: Any = None
    error: BaseException | None = None


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
    """One thread's limited calls, as the watchdog sees them: made at the thread's first limited
    call and kept between calls (each call only stores its deadline and marks it active).

    The watchdog holds it by a weak reference: it goes when its thread does (the thread-local
    `_PluginCode.own` is its only strong reference).
    """

    __slots__ = (
        "__weakref__",
        "active",
        "interrupted",
        "limit",
        "next_interrupt",
        "pending",
        "thread_id",
        "watchdog",
    )

    def __init__(self, watchdog: _Watchdog, thread_id: int, limit: float) -> None:
        self.watchdog = watchdog
        self.thread_id = thread_id
        self.limit = limit  # the latest call's limit: how soon an idle watch may need a look
        self.next_interrupt = -math.inf  # the call's deadline, then when to interrupt it again
        self.active = False  # a call runs; written after `next_interrupt`, cleared first
        # The watchdog is about to interrupt, or has interrupted, the call: its thread settles
        # up under the lock. Set and cleared only under the watchdog's lock.
        self.pending = False
        self.interrupted = False  # an interrupt was sent (under the lock, after `pending`)


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

    A call costs its thread no lock and no hand-off (see `run_plugin_code`): it stores its
    deadline in its thread's `_Watch`, marks it active, and compares its deadline with
    `_next_check`, when the watchdog will look next; only a deadline before that wakes the
    watchdog (a lowered limit, a call after a long quiet spell, a call starting while the
    watchdog looks). The watchdog looks at each active call's deadline, and at an idle watch no
    later than one limit from now (a call starting after this look has a deadline at least that
    late, unless its limit is lower, and then it wakes the watchdog). A watch idle for more
    than two limits is no reason to wake up: its next call does that.

    Only C-level locks here (`threading.Lock`, not `Condition`): an interrupt can land between
    any two bytecodes of the interrupted thread, also inside a Python-level `__enter__`, which
    would leave a lock held for good. Entering `with lock:` on a C lock cannot be split.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()  # guards `_watches`, and each watch's `pending`
        self._watches: dict[int, weakref.ref[_Watch]] = {}  # thread id → its watch
        #: When the watchdog looks next; inf while it is looking or sleeps until woken.
        self._next_check = math.inf
        self._signal = threading.Lock()  # released to wake the watchdog early
        self._signal.acquire()
        thread = threading.Thread(target=self._run, name="tongket-watchdog", daemon=True)
        thread.start()

    def register(self, watch: _Watch) -> None:
        with self._lock:
            self._watches[watch.thread_id] = weakref.ref(watch)

    def watched(self) -> list[int]:
        """The threads with a watch still alive (for tests)."""
        with self._lock:
            return [key for key, ref in self._watches.items() if ref() is not None]

    def wake(self) -> None:
        """Look at the calls now: one has a deadline before the next look."""
        # Not contextlib.suppress: no Python-level __exit__ in an interruptible thread.
        try:  # noqa: SIM105
            self._signal.release()
        except RuntimeError:
            pass  # already woken

    def _run(self) -> None:
        while True:
            now = self._look()
            next_check = self._next_check
            # A limit of years (TONGKET_PLUGIN_TIMEOUT=1e18) is past what a lock may wait for
            # (OverflowError, and no more watchdog): wait the longest it may, then look again.
            wait = (
                -1
                if next_check == math.inf
                else max(0.0, min(next_check - now, threading.TIMEOUT_MAX))
            )
            self._signal.acquire(timeout=wait)

    def _look(self) -> float:
        """Interrupt the calls past their deadline; set `_next_check`. Returns the time."""
        # Interrupts are sent with the lock held, so once a thread that finds `pending` set has
        # taken the lock, no interrupt for its call can be on its way.
        with self._lock:
            self._next_check = math.inf  # a call starting while we look wakes us again
            now = monotonic()
            next_check = math.inf
            dead = []
            for thread_id, ref in self._watches.items():
                watch = ref()
                if watch is None:  # its thread has ended
                    dead.append(thread_id)
                    continue
                if watch.active and watch.next_interrupt <= now:
                    watch.pending = True  # before looking again: see `run_plugin_code`
                    # The call may have ended (and another begun, with a later deadline)
                    # since the line above: interrupt only the one that is still late.
                    if watch.active and watch.next_interrupt <= now:
                        _interrupt(thread_id, _HookInterrupted)
                        watch.interrupted = True
                        if thread_id == _main_thread_id and _nudge_installed:
                            # A blocking system call (sleep, read, lock wait) sees the async
                            # exception only when it returns; a signal ends it now.
                            signal.pthread_kill(thread_id, _NUDGE_SIGNAL)
                        watch.next_interrupt = now + REPEAT_INTERRUPT
                if watch.active:
                    next_check = min(next_check, watch.next_interrupt)
                elif watch.next_interrupt > now - watch.limit:  # a call began within 2 limits
                    next_check = min(next_check, now + watch.limit)
            watch = None  # no strong reference kept while sleeping
            for thread_id in dead:
                del self._watches[thread_id]
            self._next_check = next_check
        return now


_watchdog: _Watchdog | None = None
_watchdog_lock = threading.Lock()


def _the_watchdog() -> _Watchdog:
    global _watchdog
    if _watchdog is None:
        with _watchdog_lock:
            if _watchdog is None:
                _watchdog = _Watchdog()
    return _watchdog


def _watch_this_thread(limit: float) -> _Watch:
    """This thread's watch, made and registered at its first limited call."""
    watchdog = _watchdog or _the_watchdog()
    thread_id = _get_ident()
    if thread_id == _main_thread_id and not _nudge_tried:
        _install_nudge()
    watch = _Watch(watchdog, thread_id, limit)
    watchdog.register(watch)
    _plugin_code.own = watch
    return watch


def _forget_watchdog() -> None:
    global _watchdog, _watchdog_lock
    _watchdog = None  # its thread does not exist in a forked child
    _watchdog_lock = threading.Lock()
    _plugin_code.own = None  # the forking thread's watch belongs to that watchdog


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
    watch = _plugin_code.watch
    if watch is not None and watch.interrupted and watch.active:
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
    local = _plugin_code
    if limit <= 0 or local.watch is not None:
        return run_inline(function, where, arguments)
    watch = local.own or _watch_this_thread(limit)
    if sys.stdout.__class__ is not _StdoutGuard:  # guarded once; the check is what is left
        guard_stdout()
    call = PluginCall()
    deadline = monotonic() + limit
    monitor = _monitor
    if monitor is not None:
        monitor.begin(deadline, limit, where)
    timed_out = False
    try:
        local.watch = watch  # also says "limited": a call inside runs under this deadline
        watch.next_interrupt = deadline
        watch.limit = limit  # idle, the watch is looked at again within the latest limit
        watch.active = True  # after the deadline: the watchdog reads them the other way round
        watchdog = watch.watchdog
        if deadline < watchdog._next_check:  # read after `active`: see `_Watchdog`
            watchdog.wake()
        try:
            call.result = function(**arguments)
        except _HookInterrupted:
            pass
        except BaseException as error:  # a plugin calling sys.exit() must not end tongket
            call.error = error
    except _HookInterrupted:
        pass  # it landed in these lines, just around the plugin's own code
    finally:
        watch.active = False  # no check for pending interrupts comes before this line
        # The watchdog sets `pending` before it looks at `active` again and interrupts: if
        # `pending` is still clear after `active` was cleared, no interrupt was or will be
        # sent. Otherwise wait for the watchdog's lock (no interrupt can be sent after it),
        # cancel the interrupt if one is still pending, and clear the marks. One sent just
        # before may land in this loop: it is caught and the (idempotent) settling tried again.
        while True:
            try:
                if watch.pending:
                    with watch.watchdog._lock:
                        if watch.interrupted:
                            timed_out = True
                            _interrupt(watch.thread_id, None)
                            watch.interrupted = False
                        watch.pending = False
                break
            except _HookInterrupted:
                pass
            except BaseException as error:  # Ctrl-C while tidying up: tidy up, then raise it
                call.error = error
    local.watch = None
    if monitor is not None:
        monitor.end()
    if call.error is not None and isinstance(call.error, KeyboardInterrupt):
        raise call.error  # Ctrl-C belongs to the user, not to the plugin
    return None if timed_out else call


def run_inline(
    function: Callable[..., Any],
    where: Where = NOWHERE,
    arguments: Mapping[str, Any] = _NO_ARGUMENTS,
) -> PluginCall:
    """Run `function(**arguments)` as plugin code in this thread, without a limit; its prints
    go to stderr."""
    if sys.stdout.__class__ is not _StdoutGuard:
        guard_stdout()
    call = PluginCall()
    local = _plugin_code
    was_active = local.active
    outermost = not was_active and local.watch is None
    monitor = _monitor if outermost else None
    if monitor is not None:
        monitor.begin(math.inf, 0.0, where)
    local.active = True
    try:
        call.result = function(**arguments)
    except _HookInterrupted:
        raise  # meant for the limited call this one runs inside
    except BaseException as error:
        call.error = error
    finally:
        local.active = was_active
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
        local = _plugin_code
        if (local.active or local.watch is not None) and sys.stderr is not None:
            return sys.stderr.write(text)
        return self._stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def guard_stdout() -> None:
    """Wrap `sys.stdout` once, so a plugin's print() never lands in piped output."""
    if sys.stdout is not None and not isinstance(sys.stdout, _StdoutGuard):
        sys.stdout = _StdoutGuard(sys.stdout)
