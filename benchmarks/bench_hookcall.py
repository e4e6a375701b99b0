"""What the plugin time limit costs per hook call, and on an export of many small sections.

    python benchmarks/bench_hookcall.py [--calls 20000] [--sections 5000] [--runs 5]

1. One call of plugin code through `pluginrun.run_plugin_code`, with the time limit and with
   none (`limit` 0), next to calling the function directly: µs per call, best of 5.
2. `PluginHost.render` of one free-text section, with and without the limit: µs per call.
3. A report of N short free-text sections (one sentence each, 2 hook calls a section):
   `render_document` in process, and `tongket export` as a whole process (the console
   script, median of `--runs`), with the default limit and with `TONGKET_PLUGIN_TIMEOUT=0`.
4. The bundled sample exported by `python -m tongket.core.cli` (median of `--runs`).

Nothing asserts; it prints figures (docs/performance.md quotes them).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

from tongket.core.host import pluginrun
from tongket.core.host.pluginhost import PluginHost
from tongket.core.render.citations import CitationBook
from tongket.core.render.context import RenderContext
from tongket.core.render.document import render_document
from tongket.core.report import store
from tongket.core.report.model import Project, Section

PYTHON = sys.executable
TONGKET = Path(PYTHON).with_name("tongket")
SENTENCE = "Năm 2023, Sở đã tổ chức 02 lượt đoàn xúc tiến thương mại tại Lào."


def per_call(function, calls: int) -> float:
    """Best of 5: µs per call of `function()`."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(calls):
            function()
        best = min(best, time.perf_counter() - started)
    return best / calls * 1e6


def short_sections_report(sections: int) -> Project:
    """The sample's particulars and `sections` free-text sections of one sentence each."""
    sample = resources.files("tongket.sample_data") / "quang-ngai-sct-2021.toml"
    project = store.load(str(sample))
    body = [
        Section("free-text", f"{index}.", "", {"text": f"{SENTENCE} ({index})"}, 1)
        for index in range(1, sections + 1)
    ]
    return Project(project.document, {}, body)


def whole_process(command: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    """Median wall seconds of `command` as a whole process (output discarded)."""
    environment = {**os.environ, **(env or {})}
    spent = []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, env=environment)
        spent.append(time.perf_counter() - started)
        if result.returncode:
            print(f"  ! exit {result.returncode}: {result.stderr.decode()[-300:]}")
    return statistics.median(spent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--sections", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()

    print("one call of plugin code, µs (best of 5):")
    direct = per_call(lambda: None, options.calls)
    limited = per_call(lambda: pluginrun.run_plugin_code(lambda: None, 5.0), options.calls)
    inline = per_call(lambda: pluginrun.run_plugin_code(lambda: None, 0), options.calls)
    print(f"  direct {direct:.2f}, no limit {inline:.2f}, with the limit {limited:.2f}")

    host = PluginHost.default()
    section = Section("free-text", "1.", "", {"text": SENTENCE}, 1)
    context = RenderContext(Project().document, section, CitationBook({}))
    data = section.data

    def render() -> None:
        host.render("free-text", data, context, "1.")

    host.timeout = 5.0
    with_limit = per_call(render, options.calls // 4)
    host.timeout = 0
    without = per_call(render, options.calls // 4)
    host.timeout = None
    print(
        f"PluginHost.render of one free-text section, µs: with the limit {with_limit:.2f}, "
        f"without {without:.2f} (the limit costs {with_limit - without:+.2f})"
    )

    report = short_sections_report(options.sections)
    for timeout in (5.0, 0):
        host.timeout = timeout
        best = float("inf")
        for _ in range(5):
            started = time.perf_counter()
            rendered = render_document(report, host)
            best = min(best, time.perf_counter() - started)
        assert not rendered.failures
        label = "with the limit" if timeout else "no limit"
        print(f"render_document, {options.sections} short sections, {label}: {best:.3f} s")
    host.timeout = None

    tongket = [str(TONGKET)] if TONGKET.exists() else [PYTHON, "-m", "tongket.core.cli"]
    with tempfile.TemporaryDirectory(prefix="tongket-bench-") as folder:
        path = Path(folder) / "short.toml"
        store.save(report, path, backup=False)
        out = str(Path(folder) / "short.docx")
        command = [*tongket, "export", str(path), "-o", out]
        limited_time = whole_process(command, options.runs)
        inline_time = whole_process(command, options.runs, {"TONGKET_PLUGIN_TIMEOUT": "0"})
        print(
            f"tongket export, {options.sections} short sections, median of {options.runs}: "
            f"{limited_time:.3f} s with the limit, {inline_time:.3f} s with "
            f"TONGKET_PLUGIN_TIMEOUT=0 ({limited_time - inline_time:+.3f} s)"
        )
        sample = str(resources.files("tongket.sample_data") / "quang-ngai-sct-2021.toml")
        module = [PYTHON, "-m", "tongket.core.cli", "export", sample, "-o", out]
        sample_time = whole_process(module, options.runs)
        sample_inline = whole_process(module, options.runs, {"TONGKET_PLUGIN_TIMEOUT": "0"})
        print(
            f"python -m tongket.core.cli export SAMPLE, median of {options.runs}: "
            f"{sample_time:.3f} s, {sample_inline:.3f} s with TONGKET_PLUGIN_TIMEOUT=0"
        )


if __name__ == "__main__":
    main()
