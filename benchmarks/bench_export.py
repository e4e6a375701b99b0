"""Export speed and scale against pandoc and the floor, all measured in the same run.

    python benchmarks/bench_export.py [--sections 1000] [--runs 3] [--keep DIR] [--quick]

1. Generates the N-section report (heading, five ~80-word paragraphs, a 10×5 table each) as
   TOML and as the equivalent Markdown.
2. Whole-process wall time and peak memory (max RSS) of: pandoc on the Markdown (if
   installed), `tongket export` on the TOML (the CLI's own `main`, with the benchmark section
   type registered), the same with plugins run inline (`TONGKET_PLUGIN_TIMEOUT=0`, to show
   what the plugin time limit costs), and `floor.py` (the direct-XML floor).
3. Growth in process: marginal time per section (10 → N sections) and per table row (one
   table of 10 → 5.000 rows), printed at each size.
4. The bundled sample exported by the installed `tongket` command: median of several runs.

Targets (docs/performance.md): export ≤ 0.15 × pandoc, ≤ 2 × floor, peak < 200 MiB, sample
median < 0.5 s, per-unit costs flat. Nothing here asserts; it prints figures and verdicts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (a sibling script, importable once HERE is on the path)

PYTHON = sys.executable
TONGKET = Path(PYTHON).with_name("tongket")


def run_process(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB and exit code of one whole process."""
    environment = {**os.environ, **(env or {})}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=environment)
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            err.seek(0)
            print(f"  ! {' '.join(command[:3])}… exited {process.returncode}: ", end="")
            print(err.read().decode("utf-8", "replace")[-500:])
    return elapsed, usage.ru_maxrss / 1024, process.returncode  # ru_maxrss is in KiB on Linux


def best_of(
    command: list[str], runs: int, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """Median wall time and the largest peak RSS over `runs` runs."""
    results = [run_process(command, env) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def export_child(report: str, output: str) -> int:
    """`tongket export` exactly as the console script runs it, plus the benchmark plugin."""
    from tongket.core import cli, pluginhost

    default = pluginhost.PluginHost.default.__func__

    def with_bench(cls):
        host = default(cls)
        host.add_plugin(generate.BenchPlugin(), "bench_plugin")
        return host

    pluginhost.PluginHost.default = classmethod(with_bench)
    return cli.main(["export", report, "-o", output])


def in_process_export(sections: int, rows: int, host) -> float:
    """Seconds to render and build the DOCX of a generated report (no file I/O)."""
    from tongket.core.document import render_document
    from tongket.core.docx_writer import build_docx

    project = generate.make_report(sections, rows)
    started = time.perf_counter()
    build_docx(render_document(project, host))
    return time.perf_counter() - started


def phases(toml_path: Path, host) -> str:
    """Where the in-process export time of one report goes, phase by phase."""
    from tongket.core import store
    from tongket.core.checks import check_project
    from tongket.core.document import render_document
    from tongket.core.docx_writer import build_docx

    spent: list[tuple[str, float]] = []
    started = time.perf_counter()
    project = store.load(toml_path)
    spent.append(("load", time.perf_counter() - started))
    started = time.perf_counter()
    rendered = render_document(project, host)
    spent.append(("render", time.perf_counter() - started))
    started = time.perf_counter()
    check_project(rendered)
    spent.append(("check", time.perf_counter() - started))
    started = time.perf_counter()
    data = build_docx(rendered)
    spent.append(("build_docx", time.perf_counter() - started))
    started = time.perf_counter()
    store.atomic_write(toml_path.with_suffix(".phases.docx"), data)
    spent.append(("write", time.perf_counter() - started))
    return ", ".join(f"{name} {seconds:.3f} s" for name, seconds in spent)


def marginal(sizes: list[int], measure, unit: str) -> None:
    """Print the cost per unit at each size: overall, and marginal since the previous size.

    Flat marginal costs mean linear growth; each size is the best of several runs, fewer for
    the big ones, so that noise from a busy machine does not read as growth.
    """
    previous_size, previous = 0, min(measure(0) for _ in range(7))
    print(f"  {0:>6} {unit}s: {previous:7.3f} s (fixed cost: styles, letterhead, zip)")
    for size in sizes:
        spent = min(measure(size) for _ in range(7 if size <= 100 else 3))
        step = (spent - previous) / (size - previous_size) * 1000
        print(
            f"  {size:>6} {unit}s: {spent:7.3f} s, {spent / size * 1000:7.3f} ms per {unit} "
            f"overall, {step:7.3f} ms per {unit} from {previous_size} to {size}"
        )
        previous_size, previous = size, spent


def verdict(ok: bool) -> str:
    return "đạt (met)" if ok else "CHƯA ĐẠT (missed)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each whole process")
    parser.add_argument("--keep", type=Path, help="keep inputs and outputs in this folder")
    parser.add_argument("--quick", action="store_true", help="skip the growth series")
    options = parser.parse_args()
    folder = options.keep or Path(tempfile.mkdtemp(prefix="tongket-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    toml_path, markdown_path = generate.write_inputs(folder, options.sections)
    print(f"inputs: {toml_path} ({toml_path.stat().st_size / 1e6:.2f} MB), {markdown_path}")

    print("\nwhole process, median of", options.runs, "runs:")
    pandoc_time = None
    if shutil.which("pandoc"):
        version = subprocess.run(["pandoc", "--version"], capture_output=True, text=True)
        command = ["pandoc", str(markdown_path), "-o", str(folder / "pandoc.docx")]
        pandoc_time, pandoc_rss = best_of(command, max(1, options.runs - 1))
        print(f"  {version.stdout.splitlines()[0]}: {pandoc_time:.2f} s, {pandoc_rss:.0f} MiB")
    else:
        print("  pandoc: not installed (Debian: apt-get install -y pandoc)")
    export_command = [PYTHON, __file__, "--export-child", str(toml_path), str(folder / "t.docx")]
    export_time, export_rss = best_of(export_command, options.runs)
    print(f"  tongket export: {export_time:.2f} s, peak {export_rss:.0f} MiB")
    inline_time, _ = best_of(export_command, options.runs, {"TONGKET_PLUGIN_TIMEOUT": "0"})
    print(
        f"  tongket export, plugins inline (no time limit): {inline_time:.2f} s; the limit "
        f"costs {export_time - inline_time:+.2f} s"
    )
    floor_command = [PYTHON, str(HERE / "floor.py"), str(toml_path), str(folder / "floor.docx")]
    floor_time, floor_rss = best_of(floor_command, options.runs)
    print(f"  floor (direct XML): {floor_time:.2f} s, peak {floor_rss:.0f} MiB")

    sample = Path(str(resources.files("tongket.sample_data") / "quang-ngai-sct-2021.toml"))
    tongket = [str(TONGKET)] if TONGKET.exists() else [PYTHON, "-m", "tongket.core.cli"]
    sample_runs = [
        run_process([*tongket, "export", str(sample), "-o", str(folder / "sample.docx")])[0]
        for _ in range(7)
    ]
    sample_time = statistics.median(sample_runs)
    print(f"  sample export (tongket command), median of 7: {sample_time:.3f} s")

    host = generate.bench_host()
    print(f"  in process: {phases(toml_path, host)}")

    if not options.quick:
        print("\ngrowth per section (render + build in process, 10×5 tables):")
        marginal([10, 100, 1000], lambda n: in_process_export(n, 10, host), "section")
        print("growth per table row (one section, one table of 5 columns):")
        marginal([10, 100, 1000, 2000, 5000], lambda r: in_process_export(1, r, host), "row")

    print("\ntargets:")
    if pandoc_time:
        ratio = export_time / pandoc_time
        print(f"  export / pandoc = {ratio:.3f} (≤ 0.15): {verdict(ratio <= 0.15)}")
    ratio = export_time / floor_time
    print(f"  export / floor = {ratio:.2f} (≤ 2): {verdict(ratio <= 2)}")
    print(f"  peak memory {export_rss:.0f} MiB (< 200): {verdict(export_rss < 200)}")
    print(f"  sample export {sample_time:.3f} s (< 0.5): {verdict(sample_time < 0.5)}")
    if not options.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--export-child":
        sys.exit(export_child(sys.argv[2], sys.argv[3]))
    main()
