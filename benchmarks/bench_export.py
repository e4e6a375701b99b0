"""Whole-process export time and memory on every report shape: tongket, the exact floor, pandoc.

    python benchmarks/bench_export.py [--rounds 5] [--quick] [--shape NAME ...] [--no-pandoc]
                                      [--inline] [--content] [--no-extras] [--keep DIR]
                                      [--json FILE]

For each shape of `generate.SHAPES`, the same content is written as TOML and as Markdown, and
three whole processes are timed:

- A: `tongket export` as a user runs it: the installed console script (which forks a
  supervised child), or `tongket_bench.py` (the same `cli.main()` with the benchmark section
  type registered) for shapes that use it;
- B: `floor.py`, the exact floor: tongket's TOML reader, string templates, deflate (with
  `--tomllib-floor`, also B': the same with tomllib, the floor as issue 11 first described
  it, which tongket's faster reader beats on parsing alone). Before any timing the
  harness unzips both outputs and asserts that `word/document.xml` is byte-identical (and
  says whether the whole .docx is);
- C: pandoc on the Markdown (if installed);
- with `--inline`, also A with `TONGKET_PLUGIN_TIMEOUT=0`: the command in one process, no
  supervisor and no plugin time limit;
- with `--content`, also A and B on the *empty report* (the skeleton's particulars, no
  sections), so that what the sections alone cost each side is read from the same rounds:
  the content ratio (A − A on the empty report) / (B − B on the empty report), from the
  medians. It is a difference of noisy figures: give it 30 rounds or more on a quiet machine.

One warm-up run of each, then `--rounds` rounds; each round runs every contender once, in an
order that rotates from round to round, so a busy minute on the shared machine hits all of
them. The report gives each round's times, the ratios pair by pair (A/B and A/C of the same
round), their medians, and the peak memory: GNU time's maximum resident set size (the figure
`/usr/bin/time -v` prints), which counts the supervised child too.

Before the shapes (so that a long run stopped early still has them), interleaved the same way:
- the bundled sample, `tongket export` against `python -c pass`;
- `tongket check` and `tongket render` of the 1.000-section report against a bare
  `tomllib.load` of the same file.

Growth is read from the whole-process medians (load + check + render + write), per section
(100 → 1.000 → 5.000) and per table row (1k → 10k → 50k). Goals (issue 11) are printed with a
verdict; nothing asserts a timing. Markdown tables go to stdout as each step ends; `--json`
also saves the raw figures (rewritten after each step).
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (a sibling script, importable once HERE is on the path)

PYTHON = sys.executable
TONGKET = Path(PYTHON).with_name("tongket")
GNU_TIME = shutil.which("time", path="/usr/bin:/bin")  # for peak memory; os.wait4 otherwise
QUICK_SHAPES = ("gen-100", "short-5000", "table-1k")
GOALS = {"floor": 1.3, "pandoc": 0.5, "rss": 150, "sample": 5.0, "check": 1.5}


@dataclass
class Contender:
    """One whole process to time, and what it measured."""

    name: str
    command: list[str]
    env: dict[str, str] = field(default_factory=dict)
    times: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)

    def run(self) -> tuple[float, float]:
        """Wall seconds and peak RSS (MiB) of one run; stops the benchmark if it fails.

        The peak comes from GNU time (`%M`, as `/usr/bin/time -v` prints it), which waits for
        the process and so counts the supervised child too. `os.wait4` on our own child would
        also count the pages this harness shares with it between fork and exec (~40 MiB).
        """
        environment = {**os.environ, **self.env}
        with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as peak:
            command = [GNU_TIME, "-f", "%M", "-o", peak.name, *self.command] if GNU_TIME else []
            started = time.perf_counter()
            process = subprocess.Popen(
                command or self.command, stdout=subprocess.DEVNULL, stderr=err, env=environment
            )
            _pid, status, usage = os.wait4(process.pid, 0)
            elapsed = time.perf_counter() - started
            code = os.waitstatus_to_exitcode(status)
            if code not in (0, 1):  # `check` says 1 when it has findings
                err.seek(0)
                message = err.read().decode("utf-8", "replace")[-800:]
                raise SystemExit(f"{self.name}: {' '.join(self.command)} exited {code}\n{message}")
            kib = float(peak.read().split()[-1]) if GNU_TIME else usage.ru_maxrss
        return elapsed, kib / 1024

    def record(self) -> None:
        """Run once and keep the figures."""
        elapsed, peak = self.run()
        self.times.append(elapsed)
        self.peaks.append(peak)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def peak(self) -> float:
        return max(self.peaks)


def interleave(contenders: list[Contender], rounds: int, *, warm_up: bool = True) -> None:
    """One warm-up run each, then `rounds` rounds in rotating order (A B C, B C A, …)."""
    for contender in contenders if warm_up else ():
        contender.run()
    for round_index in range(rounds):
        shift = round_index % len(contenders)
        for contender in contenders[shift:] + contenders[:shift]:
            contender.record()


def pair_ratios(a: Contender, b: Contender) -> list[float]:
    """A's time over B's, round by round."""
    return [x / y for x, y in zip(a.times, b.times, strict=True)]


def number(value: float, digits: int = 3) -> str:
    """A figure with a decimal comma, as the Vietnamese docs write it."""
    return f"{value:.{digits}f}".replace(".", ",")


def verdict(ok: bool) -> str:
    return "met" if ok else "**MISSED**"


def document_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml")


def tongket_command(shape: generate.Shape, *args: str) -> list[str]:
    """The console script for built-in section types, the benchmark wrapper otherwise."""
    if shape.bench_plugin:
        return cached_script("tongket_bench", *args)
    return [str(TONGKET), *args]


def cached_script(name: str, *args: str) -> list[str]:
    """`python benchmarks/NAME.py ARGS`, run as an imported module calling `NAME.main()`.

    A script run by its path is compiled from source on every run (about 10 ms for
    `floor.py`); imported, its bytecode comes from the cache, as an installed command's does.
    It ends as tongket's console script does (`supervise._flush_and_exit`): streams flushed,
    then `os._exit`, without the interpreter's teardown of its modules (about 18 M
    instructions for the floor's), which tongket never pays either.
    """
    code = (
        f"import os, sys; sys.path.insert(0, {str(HERE)!r}); import {name}; "
        f"code = {name}.main(); sys.stdout.flush(); sys.stderr.flush(); os._exit(code)"
    )
    return [PYTHON, "-c", code, *args]


def compile_sources() -> None:
    """Write the bytecode cache of tongket and of these scripts before anything is timed.

    `pip install` compiles what it installs; an editable checkout under
    PYTHONDONTWRITEBYTECODE=1 (as on some shared machines) would otherwise recompile
    tongket's ~60 modules in every run, about 60 ms of a small export.
    """
    for folder in ("core", "plugins", "tui", "testing", "benchmarks"):
        compileall.compile_dir(HERE.parent / folder, quiet=1)


def make_skeleton(folder: Path) -> Path:
    """tongket's export of a report with the sample's particulars and no sections."""
    toml_path, _markdown = generate._write(generate.make_report(0), folder, "skeleton")
    target = folder / "skeleton.docx"
    command = [str(TONGKET), "export", str(toml_path), "-o", str(target)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"tongket could not export the skeleton:\n{result.stderr}")
    return target


def verify_floor(tongket_docx: Path, floor_docx: Path) -> str:
    """Assert that both files hold the same document.xml; say whether the .docx are equal."""
    ours, floor = document_xml(tongket_docx), document_xml(floor_docx)
    if ours != floor:
        at = next((i for i, (x, y) in enumerate(zip(ours, floor, strict=False)) if x != y), None)
        raise SystemExit(
            f"floor.py wrote a different document.xml than tongket ({len(floor)} vs "
            f"{len(ours)} bytes, first difference at byte {at}): the floor is not exact"
        )
    same = tongket_docx.read_bytes() == floor_docx.read_bytes()
    whole = "identical" if same else "differs"
    return f"document.xml identical ({len(ours) / 1e6:.2f} MB); .docx {whole}"


def measure_shape(shape: generate.Shape, folder: Path, options, skeleton: Path) -> dict:
    """Generate, verify and time one shape; prints its table and returns its figures."""
    toml_path, markdown_path = generate.write_shape(folder, shape.name)
    out = folder / shape.name
    ours = f"{out}.t.docx"
    contenders = [
        Contender("tongket", tongket_command(shape, "export", str(toml_path), "-o", ours)),
        Contender("floor", cached_script("floor", str(toml_path), f"{out}.f.docx",
                                         "--skeleton", str(skeleton))),
    ]  # fmt: skip
    if options.tomllib_floor:
        contenders.append(Contender("floor (tomllib)", cached_script(
            "floor", str(toml_path), f"{out}.ft.docx", "--skeleton", str(skeleton),
            "--reader", "tomllib")))  # fmt: skip
    if options.inline:
        inline = Contender("tongket inline", contenders[0].command, {"TONGKET_PLUGIN_TIMEOUT": "0"})
        contenders.append(inline)
    if options.content:
        empty = str(skeleton.with_suffix(".toml"))
        contenders += [
            Contender("tongket, empty report", tongket_command(
                shape, "export", empty, "-o", f"{out}.te.docx")),
            Contender("floor, empty report", cached_script(
                "floor", empty, f"{out}.fe.docx", "--skeleton", str(skeleton))),
        ]  # fmt: skip
    if options.pandoc:
        contenders.append(
            Contender("pandoc", ["pandoc", str(markdown_path), "-o", f"{out}.p.docx"])
        )
    # The warm-up runs write the files that are compared.
    for contender in contenders:
        contender.run()
    check = verify_floor(Path(ours), Path(f"{out}.f.docx"))
    interleave(contenders, options.rounds, warm_up=False)  # warmed up above
    # Each timed run rewrote the files: the last round's must still match (the code under
    # test may change between runs while others work in the same checkout).
    try:
        after = verify_floor(Path(ours), Path(f"{out}.f.docx"))
    except SystemExit as difference:
        after = f"AFTER THE ROUNDS: {difference}"
    if after != check:
        check += f"; after the rounds: {after}"
    by_name = {contender.name: contender for contender in contenders}
    tongket, floor = by_name["tongket"], by_name["floor"]
    pandoc = by_name.get("pandoc")
    slow_floor = by_name.get("floor (tomllib)")
    size = toml_path.stat().st_size / 1e6
    print(f"\n### {shape.name}: {shape.description}\n")
    load = os.getloadavg()[0]
    print(f"TOML {size:.2f} MB, Markdown {markdown_path.stat().st_size / 1e6:.2f} MB; {check}; "
          f"load average {number(load, 1)}.\n")  # fmt: skip
    heads = ["round", "tongket s", "floor s", "tongket / floor"]
    if pandoc:
        heads += ["pandoc s", "tongket / pandoc"]
    if slow_floor:
        heads += ["floor (tomllib) s", "tongket / floor (tomllib)"]
    if options.inline:
        heads += ["inline s"]
    print("| " + " | ".join(heads) + " |")
    print("|" + "---|" * len(heads))
    floor_ratios = pair_ratios(tongket, floor)
    pandoc_ratios = pair_ratios(tongket, pandoc) if pandoc else []
    slow_ratios = pair_ratios(tongket, slow_floor) if slow_floor else []
    for index in range(options.rounds):
        cells = [str(index + 1), number(tongket.times[index]), number(floor.times[index]),
                 number(floor_ratios[index], 2) + "×"]  # fmt: skip
        if pandoc:
            cells += [number(pandoc.times[index], 2), number(pandoc_ratios[index]) + "×"]
        if slow_floor:
            cells += [number(slow_floor.times[index]), number(slow_ratios[index], 2) + "×"]
        if options.inline:
            cells += [number(by_name["tongket inline"].times[index])]
        print("| " + " | ".join(cells) + " |")
    cells = ["**median**", number(tongket.median), number(floor.median),
             f"**{number(statistics.median(floor_ratios), 2)}×**"]  # fmt: skip
    if pandoc:
        cells += [number(pandoc.median, 2), f"**{number(statistics.median(pandoc_ratios))}×**"]
    if slow_floor:
        cells += [number(slow_floor.median), f"**{number(statistics.median(slow_ratios), 2)}×**"]
    if options.inline:
        cells += [number(by_name["tongket inline"].median)]
    print("| " + " | ".join(cells) + " |")
    cells = ["peak MiB", f"{tongket.peak:.0f}", f"{floor.peak:.0f}", ""]
    if pandoc:
        cells += [f"{pandoc.peak:.0f}", ""]
    if slow_floor:
        cells += [f"{slow_floor.peak:.0f}", ""]
    if options.inline:
        cells += [f"{by_name['tongket inline'].peak:.0f}"]
    print("| " + " | ".join(cells) + " |")
    content = None
    if options.content:
        tongket_empty, floor_empty = (
            by_name["tongket, empty report"],
            by_name["floor, empty report"],
        )
        content = (tongket.median - tongket_empty.median) / (floor.median - floor_empty.median)
        print(f"\nEmpty report (medians): tongket {number(tongket_empty.median)} s, floor "
              f"{number(floor_empty.median)} s. What the sections add: tongket "
              f"{number(tongket.median - tongket_empty.median)} s, floor "
              f"{number(floor.median - floor_empty.median)} s; content ratio "
              f"**{number(content, 2)}×**.")  # fmt: skip
    return {
        "shape": shape.name,
        "description": shape.description,
        "toml_mb": size,
        "check": check,
        "load_after": load,
        "runs": {c.name: {"times": c.times, "peaks_mib": c.peaks} for c in contenders},
        "floor_ratio": statistics.median(floor_ratios),
        "pandoc_ratio": statistics.median(pandoc_ratios) if pandoc else None,
        "tomllib_floor_ratio": statistics.median(slow_ratios) if slow_floor else None,
        "content_ratio": content,
    }


def measure_pair(title: str, a: Contender, bs: list[Contender], rounds: int, goal: float) -> dict:
    """Interleave A with its yardsticks, print the rounds and the pairwise ratios."""
    interleave([a, *bs], rounds)
    yardstick = bs[-1]
    print(f"\n### {title}\n")
    names = [contender.name for contender in (a, *bs)]
    print("| round | " + " | ".join(f"{name} s" for name in names) + " | ratios |")
    print("|---|" + "---|" * (len(names) + 1))
    ratios = {c.name: pair_ratios(c, yardstick) for c in (a, *bs[:-1])}
    for index in range(rounds):
        times = " | ".join(number(c.times[index]) for c in (a, *bs))
        shown = ", ".join(f"{number(r[index], 2)}×" for r in ratios.values())
        print(f"| {index + 1} | {times} | {shown} |")
    medians = {name: statistics.median(values) for name, values in ratios.items()}
    times = " | ".join(number(c.median) for c in (a, *bs))
    shown = ", ".join(f"**{number(m, 2)}×**" for m in medians.values())
    print(f"| **median** | {times} | {shown} |")
    peaks = " | ".join(f"{c.peak:.0f} MiB" for c in (a, *bs))
    print(f"| peak | {peaks} | |")
    for name, median in medians.items():
        print(f"\n{name} / {yardstick.name}: {number(median, 2)}× (goal ≤ {goal}×): "
              f"{verdict(median <= goal)}")  # fmt: skip
    return {
        "title": title,
        "runs": {c.name: {"times": c.times, "peaks_mib": c.peaks} for c in (a, *bs)},
        "ratios": medians,
    }


def growth(results: dict[str, dict], names: tuple[str, ...], sizes: tuple[int, ...], unit: str):
    """Marginal whole-process cost per unit between consecutive sizes, from the medians."""
    present = [(name, size) for name, size in zip(names, sizes, strict=True) if name in results]
    if len(present) < 2:
        return
    contenders = [c for c in ("tongket", "floor", "pandoc") if c in results[present[0][0]]["runs"]]
    print(f"\n| {unit}s | " + " | ".join(f"{c} s | {c} ms per {unit}" for c in contenders) + " |")
    print("|---|" + "---|---|" * len(contenders))
    previous = None
    for name, size in present:
        cells = []
        for contender in contenders:
            runs = results[name]["runs"]
            if contender not in runs:  # e.g. a shape run with --no-pandoc
                cells += ["—", ""]
                continue
            median = statistics.median(runs[contender]["times"])
            step = ""
            if previous and contender in results[previous[1]]["runs"]:
                before_size, before = previous
                earlier = statistics.median(results[before]["runs"][contender]["times"])
                step = number((median - earlier) / (size - before_size) * 1000, 4)
            cells += [number(median), step]
        print(f"| {size:,} | ".replace(",", ".") + " | ".join(cells) + " |")
        previous = (size, name)


def extra_comparisons(folder: Path, options) -> list[dict]:
    """The sample against `python -c pass`; check and render against a bare tomllib.load."""
    rounds = max(options.rounds, 7)
    sample = Path(str(resources.files("tongket.sample_data") / "quang-ngai-sct-2021.toml"))
    extras = [
        measure_pair(
            f"Sample export, whole process, against `python -c pass` ({rounds} rounds)",
            Contender(
                "tongket export",
                [str(TONGKET), "export", str(sample), "-o", str(folder / "sample.docx")],
            ),
            [Contender("python -c pass", [PYTHON, "-c", "pass"])],
            rounds,
            GOALS["sample"],
        )
    ]
    report = folder / "gen-1000.toml"
    if not report.exists():
        report = generate.write_shape(folder, "gen-1000")[0]
    shape = generate.SHAPES["gen-1000"]
    load = f"import tomllib; tomllib.load(open({str(report)!r}, 'rb'))"
    extras.append(
        measure_pair(
            f"`check` and `render` of 1.000 sections against a bare `tomllib.load` "
            f"({options.rounds} rounds)",
            Contender("tongket check", tongket_command(shape, "check", str(report))),
            [
                Contender("tongket render", tongket_command(shape, "render", str(report))),
                Contender("tomllib.load", [PYTHON, "-c", load]),
            ],
            options.rounds,
            GOALS["check"],
        )
    )
    return extras


def summary(results: dict[str, dict]) -> None:
    """The summary table over all shapes, and the growth tables."""
    print("\n### Summary (medians; ratios are medians of the per-round ratios)\n")
    slow = any(result.get("tomllib_floor_ratio") is not None for result in results.values())
    print("| shape | tongket s | floor s | tongket / floor (≤ 1,3) | pandoc s "
          "| tongket / pandoc (≤ 0,5) | tongket peak MiB (< 150) |"
          + (" tongket / floor (tomllib) |" if slow else ""))  # fmt: skip
    print("|---|---|---|---|---|---|---|" + ("---|" if slow else ""))
    for name, result in results.items():
        runs = result["runs"]
        tongket = statistics.median(runs["tongket"]["times"])
        floor = statistics.median(runs["floor"]["times"])
        peak = max(runs["tongket"]["peaks_mib"])
        floor_cell = f"{number(result['floor_ratio'], 2)}× {verdict(result['floor_ratio'] <= 1.3)}"
        pandoc_cells = ["—", "—"]
        if result["pandoc_ratio"] is not None:
            pandoc_cells = [
                number(statistics.median(runs["pandoc"]["times"]), 2),
                f"{number(result['pandoc_ratio'])}× {verdict(result['pandoc_ratio'] <= 0.5)}",
            ]
        slow_cell = ""
        if slow:
            ratio = result.get("tomllib_floor_ratio")
            slow_cell = f" {number(ratio, 2)}× |" if ratio is not None else " — |"
        print(f"| {name} | {number(tongket)} | {number(floor)} | {floor_cell} | "
              f"{' | '.join(pandoc_cells)} | {peak:.0f} {verdict(peak < 150)} |"
              + slow_cell)  # fmt: skip
    print("\n### Growth, whole process (medians; marginal cost from the previous size)")
    growth(results, ("gen-100", "gen-1000", "gen-5000"), (100, 1000, 5000), "section")
    growth(results, ("table-1k", "table-10k", "table-50k"), (1000, 10000, 50000), "row")


def machine() -> dict:
    """Where and on what the figures were taken."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=HERE.parent, capture_output=True, text=True
        ).stdout

    commit = git("rev-parse", "--short", "HEAD").strip()
    dirty = git("status", "--porcelain", "--", "core", "plugins").split()
    pandoc = shutil.which("pandoc")
    version = ""
    if pandoc:
        version = subprocess.run([pandoc, "--version"], capture_output=True, text=True)
        version = version.stdout.splitlines()[0]
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
        "uncommitted": [word for word in dirty if "/" in word],
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "pandoc": version,
        "load": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds after the warm-up")
    parser.add_argument("--quick", action="store_true", help=f"{', '.join(QUICK_SHAPES)}, 3 rounds")
    parser.add_argument("--shape", action="append", choices=sorted(generate.SHAPES), default=[])
    parser.add_argument("--no-pandoc", dest="pandoc", action="store_false")
    parser.add_argument("--inline", action="store_true", help="also TONGKET_PLUGIN_TIMEOUT=0")
    parser.add_argument(
        "--content", action="store_true", help="also the empty report: the sections' own ratio"
    )
    parser.add_argument(
        "--tomllib-floor", action="store_true", help="also the floor reading with tomllib"
    )
    parser.add_argument("--keep", type=Path, help="keep inputs and outputs in this folder")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument(
        "--no-extras", dest="extras", action="store_false", help="skip sample, check, render"
    )
    parser.add_argument(
        "--summary",
        type=Path,
        nargs="+",
        metavar="JSON",
        help="only print the summary of saved runs",
    )
    options = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # tables appear as each shape finishes
    if options.summary:
        results = {}
        for path in options.summary:  # a later file's shape replaces an earlier one's
            results.update(json.loads(path.read_text(encoding="utf-8"))["shapes"])
        summary(results)
        return
    if options.quick:
        options.rounds = 3
    shapes = options.shape or list(QUICK_SHAPES if options.quick else generate.SHAPES)
    options.pandoc = options.pandoc and shutil.which("pandoc") is not None
    folder = options.keep or Path(tempfile.mkdtemp(prefix="tongket-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    compile_sources()
    where = machine()
    print(f"## Export benchmark, {where['date']}, commit {where['commit']}")
    if where["uncommitted"]:
        print(f"\nUncommitted changes in: {', '.join(where['uncommitted'])}.")
    print(f"\nPython {where['python']}, {where['cpus']} CPUs, {where['pandoc'] or 'no pandoc'}; "
          f"load average at start {number(where['load'][0], 2)}; {options.rounds} rounds "
          "after one warm-up, interleaved.")  # fmt: skip

    payload: dict = {"machine": where, "extras": [], "shapes": {}}
    results = payload["shapes"]

    def save() -> None:  # after each step, so a stopped run keeps what it measured
        if options.json:
            options.json.write_text(json.dumps(payload, indent=1, ensure_ascii=False))

    if options.extras:
        payload["extras"] = extra_comparisons(folder, options)
        save()
    skeleton = make_skeleton(folder)
    for name in shapes:
        results[name] = measure_shape(generate.SHAPES[name], folder, options, skeleton)
        save()

    summary(results)

    where["load_end"] = os.getloadavg()
    print(f"\nLoad average at the end: {number(where['load_end'][0], 2)}.")
    save()
    if not options.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
