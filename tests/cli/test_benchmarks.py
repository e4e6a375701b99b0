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
    report = tmp_path / "report.toml"
    store.save(project, report, backup=False)
    skeleton = tmp_path / "skeleton.docx"
    skeleton.write_bytes(_docx(Project(project.document, {}, [])))
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
