"""Start a command as a terminal starts it: with SIGINT at its default action.

Import it as `from terminal_launch import from_a_terminal` (this folder is on `sys.path`:
pytest's rootdir-relative import of the test modules).

A shell without job control (a script, CI) starts a background command (`pytest &`) with
SIGINT ignored, and an ignored signal stays ignored across fork and exec. Python then installs
no KeyboardInterrupt handler, so a test that sends Ctrl-C's signal to tongket would measure
how pytest was launched, not tongket. The command is started through a one-line Python that
puts SIGINT back to its default action and then execs it (same process, same pid).
"""

from __future__ import annotations

import sys

_RESET_THEN_EXEC = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execvp(sys.argv[1], sys.argv[1:])"
)


def from_a_terminal(command: list[str]) -> list[str]:
    """`command`, started with SIGINT at its default action whatever the caller ignores."""
    return [sys.executable, "-c", _RESET_THEN_EXEC, *command]
