"""Instructions, not seconds: what the sections cost tongket and the exact floor, start-up apart.

    python benchmarks/bench_instructions.py [--shape NAME ...] [--startup] [--keep DIR]

Wall-clock ratios on the smallest shapes move by a third from one busy moment of a shared
machine to the next, and the cost of the sections alone (a shape's time minus the time of a
report with no sections) is a difference of two such noisy figures: on gen-100 it came out
anywhere between 0,9× and 2,0× the floor's in runs of 9–15 rounds. Valgrind's callgrind counts
the instructions a process executes instead, the same count for the same binary and input
whatever else the machine does, so one run per contender gives a figure that repeats.

For each shape (default gen-100, table-1k, short-5000, gen-1000), and for the *empty report*
(the sample's particulars, no sections: the skeleton `bench_export.py` makes for the floor),
it counts the instructions of

- `tongket export` as `bench_export.py` runs it (the console script or `tongket_bench.py`,
  supervised child included: callgrind follows a fork, see `process_tree_total`),
- `floor.py` on the same report,
- and, once, `python -c pass`;

and prints the whole-process ratio tongket / floor and the content ratio,
(tongket − tongket on the empty report) / (floor − floor on the empty report): what the
sections add to each. Instructions are not time: an instruction ratio comes out higher than
the time ratio of the same runs (gen-1000: 1,58× against 1,25× in time), since an instruction
of the interpreter and one of a C loop (deflate, rtoml) do not cost the same. Compare
instruction ratios with each other, not with the goal's 1,3×.

With `--startup` (alone: only this) it first splits the empty report's start-up into its
parts beside the floor's (the design's libraries, the methods Python compiles for tongket's
dataclasses, the rest of its module code, the export's own work; `startup_parts.py`), about
30 s more.

Needs `valgrind` (Debian package). A shape takes from ~10 s (gen-100) to ~2 min (gen-1000)
under callgrind. Nothing asserts; docs/performance.md quotes the figures.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_export  # noqa: E402  (a sibling script: its commands and skeleton)
import generate  # noqa: E402
import startup_parts  # noqa: E402

DEFAULT_SHAPES = ("gen-100", "table-1k", "short-5000", "gen-1000")
_COLLECTED = re.compile(r"Collected : (\d+)")


def instructions(command: list[str]) -> int:
    """Instructions executed by `command`, its supervised child included (callgrind)."""
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        capture_output=True,
        text=True,
    )
    if result.returncode not in (0, 1):  # `tongket` exits 1 when it has findings
        raise SystemExit(f"{' '.join(command)} exited {result.returncode}:\n{result.stderr[-800:]}")
    return process_tree_total(result.stderr, command)


def process_tree_total(report: str, command: list[str]) -> int:
    """The instruction count of a run from callgrind's report (`==PID== Collected : N`)."""
    counts = [int(number) for number in _COLLECTED.findall(report)]
    if not counts:
        raise SystemExit(f"callgrind reported no count for {' '.join(command)}")
    # One line per process. A forked child starts from its parent's count (the counters are
    # in the memory it copies), so the supervised child's line already holds the start-up and
    # imports the parent did before the fork; adding the parent's line would count them twice.
    # What the parent does after the fork is left out: it only waits and exits.
    return max(counts)


def millions(count: float) -> str:
    return f"{count / 1e6:,.0f}".replace(",", ".")


def ratio(value: float) -> str:
    return bench_export.number(value, 2) + "×"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", action="append", choices=sorted(generate.SHAPES), default=[])
    parser.add_argument("--keep", type=Path, help="keep inputs and outputs in this folder")
    parser.add_argument(
        "--startup", action="store_true", help="split the empty report's start-up into parts"
    )
    options = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    sys.stdout.reconfigure(line_buffering=True)
    folder = options.keep or Path(tempfile.mkdtemp(prefix="tongket-instructions-"))
    folder.mkdir(parents=True, exist_ok=True)
    bench_export.compile_sources()
    skeleton = bench_export.make_skeleton(folder)
    empty = str(skeleton.with_suffix(".toml"))
    where = bench_export.machine()
    print(f"## Instructions (callgrind), {where['date']}, commit {where['commit']}\n")
    start = instructions([bench_export.PYTHON, "-c", "pass"])
    print(f"`python -c pass`: {millions(start)} M instructions.\n")
    floor_empty = instructions(
        bench_export.cached_script(
            "floor", empty, str(folder / "empty.f.docx"), "--skeleton", str(skeleton)
        )
    )
    empty_tongket: dict[bool, int] = {}  # by whether the shape needs the benchmark plugin

    def tongket_empty(shape: generate.Shape) -> int:
        # Counted once per kind of command, for the start-up's parts and every shape.
        if shape.bench_plugin not in empty_tongket:
            empty_out = str(folder / "empty.t.docx")
            empty_tongket[shape.bench_plugin] = instructions(
                bench_export.tongket_command(shape, "export", empty, "-o", empty_out)
            )
        return empty_tongket[shape.bench_plugin]

    if options.startup:
        print("### Start-up: the export of the empty report, part by part")
        # The console script itself, as any shape of built-in section types runs it.
        console = next(shape for shape in generate.SHAPES.values() if not shape.bench_plugin)
        startup_parts.report(
            bench_export.PYTHON, empty, folder, instructions, millions,
            tongket_empty=tongket_empty(console), floor_empty=floor_empty,
        )  # fmt: skip
        print()
    shapes = options.shape or (() if options.startup else DEFAULT_SHAPES)
    if shapes:
        print("| shape | tongket M | floor M | tongket / floor | tongket, empty report M "
              "| floor, empty report M | content ratio |")  # fmt: skip
        print("|---|---|---|---|---|---|---|")
    for name in shapes:
        shape = generate.SHAPES[name]
        toml_path, _markdown = generate.write_shape(folder, name)
        ours_empty = tongket_empty(shape)
        ours = instructions(
            bench_export.tongket_command(
                shape, "export", str(toml_path), "-o", str(folder / f"{name}.t.docx")
            )
        )
        floor = instructions(
            bench_export.cached_script(
                "floor", str(toml_path), str(folder / f"{name}.f.docx"), "--skeleton",
                str(skeleton),
            )
        )  # fmt: skip
        content = (ours - ours_empty) / (floor - floor_empty)
        print(f"| {name} | {millions(ours)} | {millions(floor)} | {ratio(ours / floor)} | "
              f"{millions(ours_empty)} | {millions(floor_empty)} | {ratio(content)} |")  # fmt: skip
    if not options.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
