"""TOML load and save of the generated N-section report (targets: load < 0.5 s, save < 0.35 s).

    python benchmarks/bench_store.py [--sections 1000] [--runs 7]

Save is measured the way the editor saves: over an existing file, with the conflict check
(`expected=`), the `.bak` copy, fsync and rename. Median of several runs, in process.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (a sibling script, importable once HERE is on the path)

from tongket.core.report import store  # noqa: E402


def timed(action, runs: int) -> float:
    """Median seconds of `runs` calls of `action`."""
    spent = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        spent.append(time.perf_counter() - started)
    return statistics.median(spent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tongket-store-") as folder:
        path, _markdown = generate.write_inputs(Path(folder), options.sections)
        size = path.stat().st_size / 1e6
        project, fingerprint = store.load_with_fingerprint(path)
        load = timed(lambda: store.load_with_fingerprint(path), options.runs)
        state = {"fingerprint": fingerprint, "flip": False}

        def save_changed() -> None:
            # A real edit each time, so every save writes (equal text would be skipped).
            state["flip"] = not state["flip"]
            project.document.number = "5" if state["flip"] else "6"
            state["fingerprint"] = store.save(project, path, expected=state["fingerprint"])

        save = timed(save_changed, options.runs)
        unchanged = timed(lambda: store.save(project, path, expected=state["fingerprint"]), 3)
        dumps = timed(lambda: store.dumps(project), 3)
    print(f"{options.sections} sections, {size:.2f} MB of TOML, median of {options.runs} runs:")
    print(f"  load (with fingerprint): {load:.3f} s  ({load / size:.3f} s/MB)  target < 0.5 s")
    print(f"  save (changed, .bak, fsync): {save:.3f} s  ({save / size:.3f} s/MB)  target < 0.35 s")
    print(f"    of which serialising (tomli-w): {dumps:.3f} s")
    print(f"  save with nothing changed (skipped write): {unchanged:.3f} s")
    for name, spent, target in (("load", load, 0.5), ("save", save, 0.35)):
        print(f"  {name}: {'đạt (met)' if spent < target else 'CHƯA ĐẠT (missed)'}")


if __name__ == "__main__":
    main()
