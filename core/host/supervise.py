"""The headless commands' backstop: a parent process that ends what the watchdog cannot stop.

`tongket.core.host.pluginrun` stops a hook call that runs late by raising an exception inside it.
That cannot reach a plugin stuck in C code that holds the GIL (`sum(range(10**13))`) or sleeps
in a blocking call, nor one that ignores the exception forever, and a plugin calling
`os._exit()` ends the process before anyone reports it. So the `tongket` console script runs
the commands that load plugins (`export`, `check`, `render`, `plugins`, `new`) in a forked
child; the parent only waits:

- the child writes each plugin call's deadline and where it is (plugin, section, hook) into a
  small shared memory block (`CallBoard`: one `struct.pack_into` a call);
- a call still running `GRACE` seconds after its deadline gets the child killed (SIGKILL); the
  parent names the plugin, section and hook on stderr and exits 1;
- a child that ends while a call is in progress (`os._exit`, a crash) is reported the same way,
  whatever its exit code;
- otherwise the child's exit code is the command's.

The parent ignores Ctrl-C (the child, in the same process group, gets it and exits 130) and
passes SIGTERM and SIGHUP on to the child; on Linux the child is killed if the parent is
(`_end_with`). Without `os.fork` (Windows), or with
`TONGKET_PLUGIN_TIMEOUT=0` (no limit: for debuggers), the command runs in the process itself.

In the child, and in any console-script run, file descriptor 1 is pointed at stderr and the
command writes its own output to a private copy of the real stdout (`divert_stdout`): a plugin
or C extension writing straight to fd 1 never ends up in `tongket render`'s output.
"""

from __future__ import annotations

import contextlib
import functools
import mmap
import os
import signal
import struct
import sys
import time
from collections.abc import Callable
from typing import NoReturn

#: Seconds past a call's deadline before the child is killed; the watchdog has had its chance.
GRACE = 2.0
#: How often the parent looks at the board while the child runs, in seconds.
POLL = 0.2

_TEXT_SIZE = 1024
#: The board: limit (0: import), text length, text (plugin, section, hook joined), deadline
#: (0: no call). One `pack_into` writes it in this order: the deadline last.
_BOARD = struct.Struct(f"=dI{_TEXT_SIZE}sd")
_DEADLINE = struct.Struct("=d")
_DEADLINE_AT = _BOARD.size - _DEADLINE.size
_SEPARATOR = "\x1f"


class CallBoard:
    """The plugin call in progress in the child, in memory shared with the parent."""

    def __init__(self) -> None:
        self._memory = mmap.mmap(-1, _BOARD.size)  # anonymous, shared over fork
        # The call has returned: a C call, no Python frame, after every hook call.
        self.end = functools.partial(_DEADLINE.pack_into, self._memory, _DEADLINE_AT, 0.0)

    def begin(self, deadline: float, limit: float, where: tuple[str, str, str]) -> None:
        """A plugin call starts (called in the child, by `pluginrun`)."""
        # A handful of C calls: each bytecode here is paid by every hook call.
        text = _SEPARATOR.join(where).encode("utf-8", "replace")
        length = len(text)
        if length > _TEXT_SIZE:
            text = _shortened(where)
            length = len(text)
        _BOARD.pack_into(self._memory, 0, limit, length, text, deadline)

    def end(self) -> None:  # replaced in __init__ by the same, as a partial
        """The call has returned."""
        _DEADLINE.pack_into(self._memory, _DEADLINE_AT, 0.0)

    def current(self) -> tuple[float, float, tuple[str, str, str]] | None:
        """(deadline, limit, where) of the call in progress, or None."""
        limit, length, text, deadline = _BOARD.unpack_from(self._memory, 0)
        if not deadline:
            return None
        parts = text[: min(length, _TEXT_SIZE)].decode("utf-8", "replace").split(_SEPARATOR)
        if len(parts) < 3:
            return deadline, limit, (parts[0], "", "")
        # A section label may hold the separator: the plugin is first and the hook last.
        return deadline, limit, (parts[0], _SEPARATOR.join(parts[1:-1]), parts[-1])


def _shortened(where: tuple[str, str, str]) -> bytes:
    """`where` joined in `_TEXT_SIZE` bytes: the section label is cut, never the hook (an empty
    hook says "importing")."""
    plugin, section, hook = (part.encode("utf-8", "replace") for part in where)
    plugin, hook = plugin[: _TEXT_SIZE // 4], hook[: _TEXT_SIZE // 4]
    room = _TEXT_SIZE - len(plugin) - len(hook) - 2 * len(_SEPARATOR)
    section = section[:room].decode("utf-8", "ignore").encode("utf-8")  # no half character
    separator = _SEPARATOR.encode()
    return separator.join((plugin, section, hook))


def divert_stdout() -> None:
    """Point fd 1 at stderr; `sys.stdout` keeps writing to the real stdout through a copy.

    Only when `sys.stdout` is the interpreter's own stream on fd 1 (not a test's capture).
    """
    stream = sys.stdout
    if stream is None or stream is not sys.__stdout__:
        return
    try:
        if stream.fileno() != 1:
            return
        stream.flush()
        saved = os.dup(1)
    except (AttributeError, OSError, ValueError):
        return
    try:
        os.dup2(2, 1)
    except OSError:
        os.close(saved)
        return
    sys.stdout = open(  # noqa: SIM115 - lives as long as the process
        saved,
        "w",
        encoding=stream.encoding,
        errors=stream.errors,
        closefd=True,
        buffering=1 if stream.line_buffering else -1,
    )


def supervised(command: Callable[[], int]) -> int:
    """Run `command` (the CLI on its arguments) in a supervised child and end the process with
    its exit code; without a fork (or a time limit), run it here and return its exit code."""
    from tongket.core.host.pluginrun import time_limit

    if not hasattr(os, "fork") or time_limit() <= 0:
        divert_stdout()
        return command()
    board = CallBoard()
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()  # nothing buffered may be written twice
    lifeline = _lifeline()
    interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        _restore(signal.SIGINT, interrupt)
        _close(lifeline)
        divert_stdout()
        return command()
    if pid == 0:
        _child(command, board, parent, interrupt, lifeline)  # never returns
    if lifeline is not None:
        # The parent keeps only the write end, open until it exits: see `_end_with`.
        os.close(lifeline[0])
    forwarded = {
        number: signal.signal(number, lambda number, _frame: _forward(pid, number))
        for number in (signal.SIGTERM, signal.SIGHUP)
    }
    try:
        code = _watch(pid, board)
    finally:
        _restore(signal.SIGINT, interrupt)
        for number, handler in forwarded.items():
            _restore(number, handler)
    _end_parent(code)


def _end_parent(code: int) -> NoReturn:
    """End the supervising parent at once: it has only waited, and has nothing to clean up but
    its two streams. Skipping the interpreter's shutdown (freeing the ~100 modules the CLI
    imported, a few milliseconds) takes that off every supervised command's time."""
    _flush_and_exit((sys.stdout, sys.stderr), code)


def _flush_and_exit(streams: tuple, code: int) -> NoReturn:
    for stream in streams:
        try:
            if stream is not None:
                stream.flush()
        except Exception:
            pass  # e.g. `tongket render | head`: the reader is gone
    os._exit(code)


def _restore(number: int, handler: object) -> None:
    if handler is not None:  # None: a handler set outside Python, which cannot be put back
        signal.signal(number, handler)


def _lifeline() -> tuple[int, int] | None:
    """The pipe that tells the child its parent has died (Linux only; see `_end_with`)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return os.pipe()
    except OSError:
        return None


def _close(lifeline: tuple[int, int] | None) -> None:
    for end in lifeline or ():
        os.close(end)


def _end_with(parent: int, lifeline: tuple[int, int] | None) -> None:
    """Have the kernel kill this child when the supervising parent dies (Linux only).

    A parent killed with SIGKILL cannot pass anything on; without this the child, perhaps
    stuck in a plugin, would run on with nobody waiting for it. The parent holds the only
    write end of the `lifeline` pipe. However the parent ends, the kernel closes that end and
    then signals the owner of the read end (`O_ASYNC`, `F_SETOWN`): this child, with SIGKILL
    (`F_SETSIG`), which no handler can catch and which works while a plugin holds the GIL.
    What `prctl(PR_SET_PDEATHSIG, SIGKILL)` does, without loading ctypes for it (~2 ms).
    """
    if lifeline is None:
        return
    read_end, write_end = lifeline
    os.close(write_end)
    try:
        import fcntl

        fcntl.fcntl(read_end, fcntl.F_SETSIG, signal.SIGKILL)
        fcntl.fcntl(read_end, fcntl.F_SETOWN, os.getpid())
        fcntl.fcntl(read_end, fcntl.F_SETFL, fcntl.fcntl(read_end, fcntl.F_GETFL) | os.O_ASYNC)
    except (ImportError, OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent was gone before the request took hold
        os._exit(1)


def _forward(pid: int, number: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, number)


def _child(
    command: Callable[[], int],
    board: CallBoard,
    parent: int,
    interrupt: object,
    lifeline: tuple[int, int] | None,
) -> None:
    code = 1
    try:
        _restore(signal.SIGINT, interrupt)  # Ctrl-C is the child's to answer (exit 130)
        _end_with(parent, lifeline)
        from tongket.core.host import pluginrun

        pluginrun.set_monitor(board)
        divert_stdout()
        code = command()
    except SystemExit as exit:  # argparse on bad arguments or --help
        if exit.code is None or isinstance(exit.code, int):
            code = exit.code or 0
        else:
            print(exit.code, file=sys.stderr)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        _flush_and_exit((sys.stdout, sys.__stdout__, sys.stderr), code)


def _watch(pid: int, board: CallBoard) -> int:
    """Wait for the child, killing it when a call runs `GRACE` seconds past its deadline."""
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pidfd = None
    killed = None
    try:
        while True:
            status = _wait(pid, pidfd, POLL)
            if status is not None:
                break
            call = board.current()
            if call is not None and time.monotonic() > call[0] + GRACE:
                again = board.current()
                if again is not None and again[:2] == call[:2]:  # the same call, still running
                    killed = again  # read while the call is stuck: nothing was being written
                    os.kill(pid, signal.SIGKILL)
                    _pid, status = os.waitpid(pid, 0)
                    break
    finally:
        if pidfd is not None:
            os.close(pidfd)
    code = os.waitstatus_to_exitcode(status)
    if killed is not None:
        _report(killed, _stuck_message(killed[1], killed[2]))
        return 1
    call = board.current()
    if call is not None:
        how = (
            f"tiến trình tongket bị dừng đột ngột (tín hiệu {_signal_name(-code)})"
            if code < 0
            else f"đã kết thúc tiến trình tongket giữa chừng (mã thoát {code})"
        )
        _report(call, f"{how}; lệnh không có kết quả{_disable_hint(call[2][0])}")
        return 1
    if code < 0:
        number = -code
        if number not in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            print(
                f"tongket: tiến trình xử lý bị dừng đột ngột (tín hiệu {_signal_name(number)})",
                file=sys.stderr,
            )
        return 128 + number
    return code


def _wait(pid: int, pidfd: int | None, timeout: float) -> int | None:
    """The child's wait status once it has ended within `timeout` seconds, else None."""
    if pidfd is not None:
        import select

        ready, _w, _x = select.select([pidfd], [], [], timeout)
        if not ready:
            return None
        return os.waitpid(pid, 0)[1]
    waited = 0.0
    step = 0.005
    while waited < timeout:
        ended, status = os.waitpid(pid, os.WNOHANG)
        if ended:
            return status
        time.sleep(step)
        waited += step
        step = min(step * 2, 0.05)
    return None


def _stuck_message(limit: float, where: tuple[str, str, str]) -> str:
    seconds = f"{limit:g}".replace(".", ",")
    plugin, _section, hook = where
    variable = "TONGKET_PLUGIN_TIMEOUT" if hook else "TONGKET_PLUGIN_IMPORT_TIMEOUT"
    doing = "chạy" if hook else "nạp"
    return (
        f"{doing} quá {seconds} giây và không dừng khi được yêu cầu (giới hạn {variable}); "
        f"tongket đã buộc dừng, lệnh không có kết quả{_disable_hint(plugin)}"
    )


def _disable_hint(plugin: str) -> str:
    # The way out a drafter needs when a plugin keeps breaking the command.
    return f" (bỏ qua plugin này: TONGKET_DISABLE_PLUGINS={plugin.split('@')[0]})"


def _report(call: tuple[float, float, tuple[str, str, str]], message: str) -> None:
    from tongket.core.writers.terminal import (
        terminal_safe,  # a section label is report text: no raw controls
    )

    plugin, section, hook = call[2]
    if not hook:
        where = f"plugin {plugin}: không nạp được"
    else:
        where = f"plugin {plugin}: {f'mục {section}, ' if section else ''}{hook}"
    line = terminal_safe(f"tongket: {where}: {message}", multiline=False)
    print(line, file=sys.stderr, flush=True)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)
