"""The benchmark floor (benchmarks/floor.py) writes exactly tongket's document.xml.

If the writer changes its output, the floor must follow, or its ratios stop meaning anything.
"""

from __future__ import annotations

import copy
import functools
import io
import sys
import zipfile
from pathlib import Path

import pytest

from tongket.core.render.document import render_document
from tongket.core.report import store
from tongket.core.report.model import Project
from tongket.core.writers.docx_writer import build_docx

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import floor  # noqa: E402  (benchmarks/floor.py)
import generate  # noqa: E402  (benchmarks/generate.py)


def _report_kind_variant(project: Project) -> Project:
    # A báo cáo with several recipients, a deputy signing, no closing (so the last table meets
    # the signature table) and a section whose number starts its first paragraph.
    variant = copy.deepcopy(project)
    document = variant.document
    document.kind = "bao-cao"
    document.recipients = ["UBND tỉnh Quảng Ngãi", "Sở Ngoại vụ;", "Sở Tài chính"]
    document.signer.prefix = "KT."
    document.signer.signer_title = "Phó Giám đốc"
    document.closing = ""
    variant.sections[0].heading = ""
    return variant


@functools.cache
def _host():
    return generate.bench_host()


def _docx(project: Project) -> bytes:
    return build_docx(render_document(project, _host()))


def _report_and_skeleton(project: Project, folder: Path) -> tuple[Path, Path]:
    """The report saved as TOML, and the skeleton the floor copies its other parts from."""
    report = folder / "report.toml"
    store.save(project, report, backup=False)
    skeleton = folder / "skeleton.docx"
    skeleton.write_bytes(_docx(Project(project.document, {}, [])))
    return report, skeleton


def _document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml")


@pytest.mark.parametrize(
    "make",
    [
        lambda: generate.make_report(3, rows=4),
        lambda: generate.free_text_report(3, 5, 20, marked_every=2),
        lambda: _report_kind_variant(generate.make_report(2, rows=2)),
        lambda: _report_kind_variant(generate.free_text_report(2, 3, 10, marked_every=1)),
    ],
    ids=["bench-section", "free-text", "bao-cao-bench", "bao-cao-free-text"],
)
def test_floor_writes_tongkets_document_xml(tmp_path: Path, make) -> None:
    project = make()
    report, skeleton = _report_and_skeleton(project, tmp_path)
    expected = _docx(store.load(report))
    target = tmp_path / "floor.docx"
    assert floor.main([str(report), str(target), "--skeleton", str(skeleton)]) == 0
    assert _document_xml(target.read_bytes()) == _document_xml(expected)
    assert target.read_bytes() == expected  # the other parts come from the skeleton


def test_instruction_count_of_a_supervised_run_counts_the_start_up_once() -> None:
    # callgrind prints one total per process; the forked child's already includes what the
    # parent ran before the fork, so the larger line is the run's count, not their sum.
    import bench_instructions  # benchmarks/bench_instructions.py

    report = (
        "==101== Callgrind, a call-graph generating cache profiler\n"
        "==102== Collected : 394473952\n"
        "==101== Collected : 217788450\n"
    )
    assert bench_instructions.process_tree_total(report, ["tongket"]) == 394473952
    with pytest.raises(SystemExit, match="no count"):
        bench_instructions.process_tree_total("==101== error\n", ["tongket"])


def test_floor_reads_its_command_line_without_argparse() -> None:
    # The floor reads its arguments by hand (argparse would cost it start-up tongket does not
    # pay); every malformed line still stops with the usage, never a traceback or a guess.
    assert floor.read_arguments(["r.toml", "o.docx", "--skeleton", "s.docx"]) == (
        Path("r.toml"),
        Path("o.docx"),
        Path("s.docx"),
        "fast",
    )
    assert floor.read_arguments(["--reader", "tomllib", "r", "--skeleton", "s", "o"])[3] == (
        "tomllib"
    )
    for wrong in (
        ["r.toml", "o.docx"],  # no skeleton
        ["r.toml", "o.docx", "--skeleton"],  # its value missing
        ["r.toml", "o.docx", "--skeleton", "--reader", "fast"],  # its value missing
        ["r.toml", "--skeleton", "s.docx"],  # no output
        ["r.toml", "o.docx", "x", "--skeleton", "s.docx"],  # one positional too many
        ["r.toml", "o.docx", "--skeleton", "s.docx", "--reader", "rtoml"],
        ["r.toml", "o.docx", "--skeleton", "s.docx", "--fast"],
    ):
        with pytest.raises(SystemExit, match=r"usage: floor\.py"):
            floor.read_arguments(wrong)


def test_harness_run_of_the_floor_ends_with_its_code_and_its_file(tmp_path: Path) -> None:
    # `cached_script` ends the process with os._exit (no teardown, as tongket's console script
    # ends): the exit status must still be main()'s and the file complete.
    import subprocess

    import bench_export  # benchmarks/bench_export.py

    project = generate.free_text_report(2, 2, 8, marked_every=1)
    report, skeleton = _report_and_skeleton(project, tmp_path)
    target = tmp_path / "floor.docx"
    command = bench_export.cached_script(
        "floor", str(report), str(target), "--skeleton", str(skeleton)
    )
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "s in process" in done.stderr  # flushed before os._exit
    assert target.read_bytes() == _docx(store.load(report))
    bad = subprocess.run([*command[:3], "only-one"], capture_output=True, text=True, check=False)
    assert bad.returncode == 1
    assert "usage: floor.py" in bad.stderr
    project.sections[0].type = "media"  # not a benchmark type: main() answers 2
    store.save(project, report, backup=False)
    refused = subprocess.run(command, capture_output=True, text=True, check=False)
    assert refused.returncode == 2, refused.stderr
    assert refused.stderr.startswith("floor: ")


def test_startup_parts_finds_the_exports_dataclasses_and_defines_them_again(
    tmp_path: Path,
) -> None:
    # `bench_instructions.py --startup` counts the dataclasses' share of the start-up by
    # defining the ones a real export defined again; both steps must work on this Python.
    import startup_parts  # benchmarks/startup_parts.py

    project = generate.free_text_report(1, 1, 5, marked_every=0)
    report = tmp_path / "report.toml"
    store.save(project, report, backup=False)
    specs, found = startup_parts.collect(sys.executable, str(report), tmp_path)
    classes = {spec["name"]: spec for spec in found["dataclasses"]}
    assert classes["Run"]["options"]["frozen"] is True
    assert classes["Project"]["options"]["frozen"] is False
    assert next(field["name"] for field in classes["Run"]["fields"]) == "text"
    assert {"pluggy", "tongket.core.render.blocks"} <= set(found["modules"])
    # The re-definition, run here with its two arguments: every class made again, alike.
    namespace: dict = {"__name__": "__main__"}  # a module dataclasses can look names up in
    argv = sys.argv
    sys.argv = ["-c", str(specs), "define"]
    try:
        exec(startup_parts._REDEFINE, namespace)
    finally:
        sys.argv = argv
    made = {cls.__name__: cls for cls in namespace["made"]}
    assert len(made) == len(found["dataclasses"])
    assert made["Run"].__dataclass_params__.frozen
    assert list(made["Run"].__dataclass_fields__) == [f["name"] for f in classes["Run"]["fields"]]
    command = [sys.executable, "-c", startup_parts._REDEFINE, str(specs), "define"]
    assert startup_parts.checked(command) == command
    with pytest.raises(SystemExit, match="failed"):
        startup_parts.checked([sys.executable, "-c", "raise SystemExit(3)"])
