"""The per-call bookkeeping of limited plugin calls: one watch per thread, kept between calls.

A limited call only stores its deadline in its thread's watch and marks it active; the watchdog
is woken only when that deadline comes before its next look. What such a scheme could get
wrong: a call after a quiet spell or under a lowered limit stopped late (or never), a watch
kept after its thread has ended, an interrupt or a nudge meant for one call landing in the
next, a forked child watched by its parent's (absent) watchdog thread, and the supervisor's
board showing a previous call's plugin, section or hook.
"""

from __future__ import annotations

import gc
import math
import os
import signal
import threading
import time
import weakref

import pytest

from tongket.core.host import pluginrun
from tongket.core.host.supervise import CallBoard

ENDLESS_FOR = 5.0  # a call that is never stopped ends by itself then: the test fails, not hangs


def endless() -> str:
    started = time.monotonic()
    while time.monotonic() - started < ENDLESS_FOR:
        pass
    return "không bị dừng"


def stopped_within(limit: float, slack: float = 1.0) -> float:
    """Run an endless call under `limit`; assert it is stopped; the seconds it took."""
    started = time.monotonic()
    assert pluginrun.run_plugin_code(endless, limit) is None
    took = time.monotonic() - started
    assert took < limit + slack, f"dừng sau {took:.2f} s, giới hạn {limit} s"
    return took


def wait_for(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "chờ quá lâu"
        time.sleep(0.01)


def test_a_call_after_a_long_quiet_spell_is_stopped_at_its_limit():
    # Idle for more than two limits, the watchdog sleeps until a call wakes it: the first
    # call after the quiet spell must wake it, or it runs on unwatched.
    assert pluginrun.run_plugin_code(lambda: 1, 0.1).result == 1
    watchdog = pluginrun._watchdog
    wait_for(lambda: watchdog._next_check == math.inf)  # asleep until woken
    time.sleep(0.3)
    stopped_within(0.1)


def test_a_lowered_limit_takes_effect_at_the_next_call(monkeypatch):
    # TONGKET_PLUGIN_TIMEOUT is read at each call: after calls under 30 s the watchdog plans
    # its next look 30 s ahead; a call under 0,2 s must not wait for it.
    monkeypatch.setenv("TONGKET_PLUGIN_TIMEOUT", "30")
    for _ in range(3):
        assert pluginrun.run_plugin_code(lambda: 1, pluginrun.time_limit()).result == 1
    watchdog = pluginrun._watchdog
    wait_for(lambda: time.monotonic() + 10 < watchdog._next_check < math.inf)
    monkeypatch.setenv("TONGKET_PLUGIN_TIMEOUT", "0,2")
    stopped_within(pluginrun.time_limit())
    # And raised again: a long call under the higher limit is not stopped early.
    monkeypatch.setenv("TONGKET_PLUGIN_TIMEOUT", "30")

    def a_while():
        time.sleep(0.4)
        return "xong"

    assert pluginrun.run_plugin_code(a_while, pluginrun.time_limit()).result == "xong"


def test_calls_keep_one_watch_per_thread_and_a_thread_that_ended_leaves_none():
    assert pluginrun.run_plugin_code(lambda: 1, 5).result == 1
    mine = pluginrun._plugin_code.own
    assert pluginrun.run_plugin_code(lambda: 2, 5).result == 2
    assert pluginrun._plugin_code.own is mine  # kept, not made again per call
    assert pluginrun._plugin_code.watch is None  # and no call is in progress

    refs: list[weakref.ref] = []
    idents: list[int] = []

    def worker():
        for _ in range(3):
            assert pluginrun.run_plugin_code(lambda: 1, 5).result == 1
        refs.append(weakref.ref(pluginrun._plugin_code.own))
        idents.append(threading.get_ident())

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(refs) == 20
    gc.collect()
    assert all(ref() is None for ref in refs)  # each went with its thread
    watchdog = pluginrun._watchdog
    watchdog._look()  # what the watchdog does when it wakes: forget the dead
    assert not set(idents) & set(watchdog._watches)
    assert threading.get_ident() in watchdog.watched()  # this thread's own is kept


def test_a_worker_threads_later_call_is_still_stopped():
    # A thread that made calls and idled is still watched (the TUI renders in workers).
    outcome: list[float] = []

    def worker():
        assert pluginrun.run_plugin_code(lambda: 1, 0.2).result == 1
        time.sleep(0.6)
        outcome.append(stopped_within(0.2))

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(ENDLESS_FOR + 2)
    assert outcome, "lệnh gọi trong luồng phụ không bị dừng"


def test_an_interrupted_call_leaves_nothing_for_the_next():
    def stubborn():
        try:
            endless()
        except BaseException:
            return "kết quả muộn"

    assert pluginrun.run_plugin_code(stubborn, 0.1) is None  # a timeout, although it returned

    def long_enough():  # past REPEAT_INTERRUPT: a leftover repeat would land here
        end = time.monotonic() + pluginrun.REPEAT_INTERRUPT + 0.3
        while time.monotonic() < end:
            pass
        return "xong"

    assert pluginrun.run_plugin_code(long_enough, 5).result == "xong"


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="no pthread_kill")
def test_a_stray_nudge_after_an_interrupted_call_does_not_end_the_next():
    # The main thread's interrupted call was nudged (SIGUSR2); the next call, on the same
    # kept watch, must ignore a SIGUSR2 that is not the watchdog's.
    assert pluginrun.run_plugin_code(lambda: time.sleep(30), 0.2) is None
    if not pluginrun._nudge_installed:
        pytest.skip("SIGUSR2 is not the watchdog's here")

    def nudged_and_waiting():
        signal.pthread_kill(threading.get_ident(), signal.SIGUSR2)
        time.sleep(0.2)
        return "xong"

    assert pluginrun.run_plugin_code(nudged_and_waiting, 5).result == "xong"


def test_ctrl_c_in_a_plugin_reaches_the_user_and_the_next_call_is_still_watched():
    def pressed():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        pluginrun.run_plugin_code(pressed, 5)
    assert pluginrun._plugin_code.watch is None
    assert not pluginrun._plugin_code.own.active
    stopped_within(0.2)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_a_forked_child_has_its_own_watchdog():
    # The parent's watchdog thread does not exist in a child: the child's calls must be
    # watched by a new one, not by the parent's watch left in the thread-local.
    assert pluginrun.run_plugin_code(lambda: 1, 5).result == 1
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            started = time.monotonic()
            call = pluginrun.run_plugin_code(endless, 0.2)
            code = 0 if call is None and time.monotonic() - started < 2 else 3
        finally:
            os._exit(code)
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_the_board_shows_each_call_of_one_plugin_in_turn(monkeypatch):
    board = CallBoard()
    monkeypatch.setattr(pluginrun, "_monitor", board)
    long_label = "3. " + "Mục rất dài " * 200  # past the board's room
    calls = [
        ("free-text", "10. Kết quả thực hiện", "tongket_validate_section"),
        ("free-text", "10. Kết quả thực hiện", "tongket_render_section"),
        ("free-text", "2.", "tongket_validate_section"),
        ("free-text", "2.", "tongket_render_section"),
        ("ft", "2.", "tongket_render_section"),
        ("free-text", long_label, "tongket_render_section"),
        ("free-text", "", "tongket_render_section"),
        ("free-text", "", ""),  # importing
    ]
    seen = []
    for where in calls:
        call = pluginrun.run_plugin_code(board.current, 5, where)
        seen.append(call.result)
        assert board.current() is None  # the call is over
    for (deadline, limit, shown), where in zip(seen, calls, strict=True):
        assert deadline > 0 and limit == 5
        if where[1] is long_label:
            assert shown[0] == where[0] and shown[2] == where[2]  # the hook is never cut off
            assert long_label.startswith(shown[1]) and len(shown[1]) > 300
        else:
            assert shown == where


def test_the_board_is_told_of_calls_inside_unlimited_code_once(monkeypatch):
    # A limited call inside an unlimited one (limit 0 for the outer) reports itself; an
    # unlimited call inside a limited one does not overwrite the limited call's entry.
    board = CallBoard()
    monkeypatch.setattr(pluginrun, "_monitor", board)
    inside = []

    def outer():
        inside.append(board.current())
        pluginrun.run_plugin_code(lambda: None, 0, ("b", "x", "hook_b"))
        inside.append(board.current())
        return 1

    assert pluginrun.run_plugin_code(outer, 5, ("a", "1.", "hook_a")).result == 1
    assert inside[0][2] == inside[1][2] == ("a", "1.", "hook_a")
    assert board.current() is None


def _hold_up_watchdog(seconds: float = 0.2) -> None:
    """Pause the watchdog thread (never another), so the call's thread runs on meanwhile."""
    if threading.current_thread().name == "tongket-watchdog":
        time.sleep(seconds)


class _PausingWatch(pluginrun._Watch):
    """A watch that holds the watchdog up when it marks the call as about to be interrupted,
    just after finding it late: the call can end, and the next begin, in between."""

    __slots__ = ("_pending",)
    paused = threading.Event()

    @property
    def pending(self) -> bool:
        return self._pending

    @pending.setter
    def pending(self, value: bool) -> None:
        if value and not self.paused.is_set():
            self.paused.set()
            _hold_up_watchdog()
        self._pending = value


@pytest.mark.parametrize("where", ["before-pending", "before-interrupt"])
def test_a_watchdog_held_up_mid_look_never_interrupts_the_next_call(monkeypatch, where):
    # The watchdog has found call A late. Held up before it marks A (`pending`): A ends and B
    # begins on the same watch meanwhile; B's deadline is far, so B must not be interrupted.
    # Held up just before it sends the interrupt: A's thread must wait for it and settle
    # (A is then a timeout), so that nothing lands in B or in the code after it.
    paused = threading.Event()
    if where == "before-pending":
        monkeypatch.setattr(
            pluginrun, "_Watch", type("Pausing", (_PausingWatch,), {"paused": paused})
        )
    else:
        send = pluginrun._interrupt

        def held_up_send(thread_id, exception):
            if exception is not None and not paused.is_set():
                paused.set()
                _hold_up_watchdog()
            send(thread_id, exception)

        monkeypatch.setattr(pluginrun, "_interrupt", held_up_send)
    outcome: list[object] = []

    def a():
        paused.wait(ENDLESS_FOR)
        return "A"

    def b():
        end = time.monotonic() + 0.5
        while time.monotonic() < end:
            pass
        return "B"

    def worker():  # a new thread: a new watch (a pausing one for "before-pending")
        try:
            first = pluginrun.run_plugin_code(a, 0.05)
            second = pluginrun.run_plugin_code(b, 5)
            total = 0
            for number in range(10000):  # a leaked interrupt would land here
                total += number
            outcome.append((first and first.result, second and second.result))
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(ENDLESS_FOR + 2)
    assert paused.is_set()
    assert outcome and outcome[0][1] == "B", outcome
    if where == "before-interrupt":
        assert outcome[0][0] is None  # A ran late and was interrupted: a timeout
