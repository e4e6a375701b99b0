"""A killed app loses nothing: the recovery copy is written while editing (or on SIGTERM/SIGHUP)
and offered, then restored, when the file is opened again.

The app runs in a child process, headless under Textual's Pilot, types into the introduction
and is then killed; the test opens the file again in this process, keys only.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import textwrap
import time
from pathlib import Path

import pytest
from tui_harness import drive, settle

from tongket.core.report import locking, store
from tongket.core.report.session import DraftSession, find_recovery
from tongket.tui.app import TongketApp
from tongket.tui.dialogs import ConfirmScreen

SIZE = (80, 24)
TYPED = " ĐÃ SỬA"

# The child: open the report locked, type, say so (a marker file), then keep editing forever.
CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from tongket.core.host.pluginhost import PluginHost
    from tongket.core.report.session import DraftSession
    from tongket.tui.app import TongketApp, install_exit_handlers

    report, mode, marker = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])

    async def main():
        host = PluginHost()
        host.load_builtins()
        session = DraftSession.open(report, lock=True)
        periodic = 0.2 if mode == "periodic" else 3600
        app = TongketApp(session, host, cursor_blink=False, recovery_seconds=periodic)
        install_exit_handlers(app)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.3)
            await pilot.press("enter", "ctrl+end", *sys.argv[4])
            if mode == "periodic":
                # Typing reaches the session after a short debounce: wait for the periodic
                # write that holds all of it, not just the first one.
                while not (
                    session.recovery_path.exists()
                    and sys.argv[4] in session.recovery_path.read_text(encoding="utf-8")
                ):
                    await pilot.pause(0.05)
            marker.write_text("edited", encoding="utf-8")
            while True:
                await pilot.pause(0.5)

    asyncio.run(main())
    """
)


def edit_then_signal(report: Path, mode: str, signum: int) -> subprocess.CompletedProcess:
    """Run the child until it has typed (and, "periodic", written a recovery copy), then
    send `signum`; returns the finished child."""
    marker = report.with_name("edited.marker")
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(report), mode, str(marker), TYPED],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    deadline = time.monotonic() + 30
    while not marker.exists():
        if child.poll() is not None or time.monotonic() > deadline:
            child.kill()
            out, err = child.communicate()
            pytest.fail(f"the child never edited (exit {child.returncode}):\n{err.decode()}")
        time.sleep(0.05)
    os.kill(child.pid, signum)
    out, err = child.communicate(timeout=30)
    return subprocess.CompletedProcess(child.args, child.returncode, out, err)


@drive
async def test_sigkill_after_a_periodic_recovery_write_loses_nothing(sample_copy, host):
    before = sample_copy.read_bytes()
    killed = edit_then_signal(sample_copy, "periodic", signal.SIGKILL)
    assert killed.returncode == -signal.SIGKILL
    assert sample_copy.read_bytes() == before  # nothing was saved …
    recovery = find_recovery(sample_copy)
    assert recovery is not None  # … but the recovery copy holds the typing
    assert store.load(recovery).sections[0].data["text"].endswith(TYPED)
    assert locking.read_lock(sample_copy).process_alive() is False  # the dead app's lock

    # Opening again: the dead process's lock is taken over, then the copy is offered.
    app = TongketApp(
        DraftSession.open(sample_copy, lock=True),
        host,
        recovery=recovery,
        cursor_blink=False,
        recovery_seconds=3600,
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.session.read_only and "không còn chạy" in app.session.locked_by.stale
        await pilot.press("t")  # take over: one question, which offers the copy too
        await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmScreen) and "bản khôi phục" in app.screen.message
        await pilot.press("k")  # take over and restore
        await pilot.pause(0.3)
        assert app.session.project.sections[0].data["text"].endswith(TYPED)
        assert app.session.dirty
        await pilot.press("f2")
        await pilot.pause(0.2)
    assert store.load(sample_copy).sections[0].data["text"].endswith(TYPED)
    assert find_recovery(sample_copy) is None  # the copy is gone once saved
    assert locking.read_lock(sample_copy) is None


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_sigterm_or_sighup_writes_the_recovery_copy_and_releases_the_lock(sample_copy, signum):
    # The periodic copy never runs here (once an hour): the copy comes from the signal.
    stopped = edit_then_signal(sample_copy, "signal", signum)
    assert stopped.returncode == 128 + signum
    assert "đã ghi bản khôi phục" in stopped.stderr.decode()
    recovery = find_recovery(sample_copy)
    assert recovery is not None
    assert store.load(recovery).sections[0].data["text"].endswith(TYPED)
    assert locking.read_lock(sample_copy) is None


def _read_until(fd: int, needle: bytes, seconds: float) -> bytes:
    """What the terminal shows until `needle` appears (or `seconds` pass)."""
    seen = b""
    deadline = time.monotonic() + seconds
    while needle not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


@pytest.mark.parametrize("how", ["closed", "hangup-then-closed"])
def test_a_dropped_terminal_with_unsaved_typing_ends_the_app(sample_copy, how):
    # A real terminal (a pty) that goes away, as an SSH link drops: the kernel sends SIGHUP
    # when it closes; tmux and sshd send SIGHUP first and close it a moment later. The app
    # used to write its recovery copy, then hang on the dead terminal at full CPU.
    script = Path(sys.executable).with_name("tongket")
    pid, terminal = pty.fork()
    if pid == 0:  # the child: the app on the pty as its controlling terminal
        os.environ.update({"TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"})
        os.execv(str(script), [str(script), str(sample_copy)])
    try:
        fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        shown = _read_until(terminal, "Dàn ý".encode(), 30)
        assert "Dàn ý".encode() in shown, shown[-2000:]
        time.sleep(1.0)  # plugins loaded, the outline filled
        os.write(terminal, b"\r")  # the introduction's prose
        time.sleep(0.5)
        os.write(terminal, TYPED.encode())
        _read_until(terminal, b"\x00never", 1.5)  # let it draw the typing
    finally:
        if how == "hangup-then-closed":
            os.kill(pid, signal.SIGHUP)
            time.sleep(0.05)
        os.close(terminal)  # the terminal hangs up
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        ended, status = os.waitpid(pid, os.WNOHANG)
        if ended:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        pytest.fail("the app kept running after its terminal hung up")
    assert os.waitstatus_to_exitcode(status) == 128 + signal.SIGHUP
    recovery = find_recovery(sample_copy)
    assert recovery is not None
    assert TYPED in store.load(recovery).sections[0].data["text"]  # typed at the start
    assert locking.read_lock(sample_copy) is None
