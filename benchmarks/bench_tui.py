"""How fast the terminal app is: first frame, key press cost, and a 200-section report.

    .venv/bin/python benchmarks/bench_tui.py [--runs 5]

First frames are measured in fresh processes on a pseudo-terminal (80×24, TERM=xterm-256color),
from just before the process is started to the first frame written to the terminal, for:
- a bare Textual app mounting the same widget types empty (the yardstick),
- tongket on the bundled sample,
- tongket on a generated report of 200 sections.
tongket's first frame is its skeleton (header, empty panes, footer); plugins, the outline and
the selected part's editor load right after it. The "filled" figure is the first frame that
shows them, reported beside the first frame so neither hides the other.
Key press cost is the app's own CPU time per key press in the prose editor, measured inside
the process (Pilot's own waiting is sleep, not CPU), next to a bare app with one TextArea.
Targets (issue 4): sample ≤ 1.5× bare and < 1 s; key press ≤ 5 ms median; 200 sections < 1 s.
No figure here is asserted by the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import textwrap
import time
from pathlib import Path

PYTHON = sys.executable

FRAME_PROBE = """
import os, sys, time
from textual.app import App

_display = App._display
def _first_frame(self, screen, renderable):
    _display(self, screen, renderable)
    if renderable is None or getattr(self, "_bench_done", False):
        return
    now = time.time()
    if not hasattr(self, "_bench_first"):
        self._bench_first = now
    # A bare app is filled at once; tongket once its outline and first editor are mounted.
    if getattr(self, "ready", True) and getattr(self, "part", True) is not None:
        self._bench_done = True
        heavy = [name for name in ("docx", "lxml") if name in sys.modules]
        with open(os.environ["BENCH_OUT"], "w") as out:  # the terminal is stderr: write aside
            out.write(
                f"FRAME {self._bench_first:.6f} FILLED {now:.6f} HEAVY {','.join(heavy) or '-'}"
            )
        self.exit()
App._display = _first_frame
"""

BARE_APP = """
from textual.app import App
from textual.containers import Horizontal, Vertical
from textual.widgets import (
    Footer, Header, Input, Label, OptionList, ProgressBar, Select, Static, TextArea,
)

class Bare(App):
    def compose(self):
        yield Header()
        with Horizontal():
            with Vertical():
                yield OptionList()
                yield OptionList()
            with Vertical():
                yield Label()
                yield TextArea()
                yield Input()
                yield Input()
                yield Select([("a", "a")])
                yield Static()
        yield ProgressBar()
        yield Footer()

Bare().run()
"""

TONGKET_APP = """
from tongket.tui.app import run
run({path!r})
"""


def first_frame(script: str, cwd: Path) -> tuple[float, float, str]:
    """Seconds from process start to the first frame on a pseudo-terminal, to the first
    filled frame, and the heavy modules loaded by then."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    out = cwd / "frame.txt"
    out.unlink(missing_ok=True)
    env = {**os.environ, "TERM": "xterm-256color", "BENCH_OUT": str(out)}
    start = time.time()
    process = subprocess.Popen(
        [PYTHON, "-c", FRAME_PROBE + script],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=cwd,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    # Drain the terminal so the app never blocks writing to it.
    while process.poll() is None:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                os.read(master, 65536)
            except OSError:
                break
    os.close(master)
    if not out.exists():
        raise RuntimeError(f"no frame recorded (exit code {process.returncode})")
    _, first, _, filled, _, heavy = out.read_text().split()
    return float(first) - start, float(filled) - start, heavy


def big_report(folder: Path, count: int = 200) -> Path:
    """A report of `count` sections cycling through the sample's, numbered 1. … count."""
    from importlib import resources

    from tongket.core import store

    sample = store.load(str(resources.files("tongket.sample_data") / "quang-ngai-sct-2021.toml"))
    sections = []
    for number in range(count):
        section = sample.sections[number % len(sample.sections)]
        copy = type(section)(section.type, f"{number + 1}.", section.heading, section.data)
        sections.append(copy)
    sample.sections = sections
    path = folder / "lon.toml"
    store.save(sample, path)
    return path


async def key_costs(keys: int = 60) -> tuple[list[float], list[float], list[float]]:
    """App CPU seconds per key press in the sample's prose editor, and in a bare TextArea app;
    and the seconds tongket's own handler takes per key (form → session → title, undo keys)."""
    from textual.app import App
    from textual.widgets import TextArea

    from tongket.core.pluginhost import PluginHost
    from tongket.core.session import DraftSession
    from tongket.tui.app import TongketApp, _sample_project
    from tongket.tui.form import FormEditor

    handler_times: list[float] = []
    handler = FormEditor.on_text_area_changed

    def timed_handler(self, event) -> None:
        before = time.perf_counter()
        handler(self, event)
        handler_times.append(time.perf_counter() - before)

    FormEditor.on_text_area_changed = timed_handler

    async def measure(app: App, prepare) -> list[float]:
        # Keys go in the way Pilot sends them, without Pilot's per-widget waiting; each is
        # followed by 20 ms for the 60 fps repaint, and the CPU of 20 idle ms is taken off.
        costs, idle = [], []
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.5)
            await prepare(pilot)
            await pilot.pause(0.3)
            for index in range(keys):
                before = time.thread_time()
                await asyncio.sleep(0.02)
                idle.append(time.thread_time() - before)
                key = "space" if index % 6 == 5 else "a"
                before = time.thread_time()
                await app._press_keys([key])
                await asyncio.sleep(0.02)
                costs.append(time.thread_time() - before)
        baseline = statistics.median(idle)
        return [max(0.0, cost - baseline) for cost in costs]

    class Bare(App):
        def compose(self):
            yield TextArea("Sở Công Thương nhận được công văn.")

    async def focus_bare(pilot) -> None:
        pilot.app.query_one(TextArea).focus()

    async def focus_prose(pilot) -> None:
        await pilot.press("enter")  # the introduction's prose

    session = DraftSession(_sample_project())
    tongket = TongketApp(session, PluginHost.default(), cursor_blink=False)
    prose = await measure(tongket, focus_prose)
    FormEditor.on_text_area_changed = handler
    return prose, await measure(Bare(), focus_bare), handler_times


async def outline_scroll_cost(path: Path, presses: int = 60) -> list[float]:
    """CPU seconds per ↓ in the outline of the 200-section report."""
    from tongket.core.pluginhost import PluginHost
    from tongket.core.session import DraftSession
    from tongket.tui.app import TongketApp

    app = TongketApp(DraftSession.open(path), PluginHost.default(), cursor_blink=False)
    costs = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.5)
        for _ in range(presses):
            before = time.thread_time()
            await pilot.press("down")
            costs.append(time.thread_time() - before)
    return costs


def analysis_time(path: Path | None, repeat: int = 5) -> float:
    """Median seconds to render and check the whole report (the deferred preview work)."""
    from importlib import resources

    from tongket.core import store
    from tongket.core.checks import check_project
    from tongket.core.document import render_document
    from tongket.core.pluginhost import PluginHost

    host = PluginHost.default()
    source = path or resources.files("tongket.sample_data") / "quang-ngai-sct-2021.toml"
    project = store.load(str(source))
    times = []
    for _ in range(repeat):
        before = time.perf_counter()
        check_project(render_document(project, host))
        times.append(time.perf_counter() - before)
    return statistics.median(times)


def spread(values: list[float], scale: float = 1000) -> str:
    """ "min 123 / median 130 ms" for a list of seconds."""
    return f"min {min(values) * scale:5.0f} / median {statistics.median(values) * scale:5.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="processes per first-frame figure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        big = big_report(folder)
        names = ("bare", "sample", "200")
        first: dict[str, list[float]] = {name: [] for name in names}
        filled: dict[str, list[float]] = {name: [] for name in names}
        ratios: list[float] = []
        heavy_seen = set()
        for _ in range(args.runs):  # interleaved, so drift hits every variant alike
            for name, script in (
                ("bare", BARE_APP),
                ("sample", TONGKET_APP.format(path=None)),
                ("200", TONGKET_APP.format(path=str(big))),
            ):
                seconds, full, heavy = first_frame(textwrap.dedent(script), folder)
                first[name].append(seconds)
                filled[name].append(full)
                if heavy != "-":
                    heavy_seen.add(f"{name}: {heavy}")
            ratios.append(first["sample"][-1] / first["bare"][-1])
        bare = statistics.median(first["bare"])
        sample = statistics.median(first["sample"])
        prose, bare_keys, handler_times = asyncio.run(key_costs())
        scroll = asyncio.run(outline_scroll_cost(big))
        print(f"tongket TUI benchmark (80×24, TERM=xterm-256color, {args.runs} processes each)")
        print(f"  first frame, bare Textual app:     {spread(first['bare'])} ms")
        print(
            f"  first frame, sample:               {spread(first['sample'])} ms "
            f"= {sample / bare:.2f}× bare (target ≤ 1.5× and < 1000 ms)"
        )
        print(
            f"    sample / bare, per pair:         min {min(ratios):.2f}× / median "
            f"{statistics.median(ratios):.2f}×"
        )
        print(f"  filled frame, sample:              {spread(filled['sample'])} ms")
        print(f"  first frame, 200 sections:         {spread(first['200'])} ms (target < 1000 ms)")
        print(f"  filled frame, 200 sections:        {spread(filled['200'])} ms")
        print(
            f"  key press in prose editor:         {statistics.median(prose) * 1000:7.2f} ms "
            f"median, p90 {statistics.quantiles(prose, n=10)[-1] * 1000:.2f} ms (target ≤ 5 ms)"
        )
        bare_key = statistics.median(bare_keys) * 1000
        print(f"  key press, bare TextArea app:      {bare_key:7.2f} ms median")
        own = statistics.median(handler_times) * 1000
        print(f"  tongket's own handler per key:     {own:7.2f} ms median (form → session → title)")
        scroll_ms = statistics.median(scroll) * 1000
        print(f"  ↓ in the 200-section outline:      {scroll_ms:7.2f} ms median")
        print(
            f"  render + check, sample:            {analysis_time(None) * 1000:7.1f} ms (deferred)"
        )
        print(
            f"  render + check, 200 sections:      {analysis_time(big) * 1000:7.1f} ms (deferred)"
        )
        print(f"  docx/lxml loaded before first frame: {', '.join(sorted(heavy_seen)) or 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
