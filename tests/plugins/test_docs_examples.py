"""Every Python example in docs/plugins.md runs, and does what the text around it says."""

from __future__ import annotations

import asyncio
import importlib
import os
import re
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

from tongket.core.cli import main
from tongket.core.host.hookspecs import HOOK_NAMES
from tongket.core.host.pluginhost import PluginHost
from tongket.core.problems import Problem
from tongket.core.render.blocks import Table, block_problems
from tongket.core.render.document import render_document
from tongket.core.writers.textrender import blocks_text
from tongket.testing import report_with

DOCS = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"
FENCE = re.compile(r"^( *)```python\n(.*?)^\1```", re.MULTILINE | re.DOTALL)


def examples(part: str = "") -> list[str]:
    """The docs' Python blocks, dedented, without the one-line hook signatures (test_docs.py
    checks those against hookspecs.py); `part` "tutorial" or "reference" keeps the blocks
    before or after the "## Hook reference" heading."""
    text = DOCS.read_text("utf-8")
    tutorial, _, reference = text.partition("\n## Hook reference\n")
    text = {"tutorial": tutorial, "reference": reference}.get(part, text)
    found = [textwrap.dedent(body) for _indent, body in FENCE.findall(text)]
    return [code for code in found if not re.fullmatch(r"def [^\n]*:\n", code)]


def example_defining(name: str, part: str) -> str:
    """The one example of `part` that defines `name`."""
    (code,) = [code for code in examples(part) if re.search(rf"^(def )?{name}\b", code, re.M)]
    return code


def test_every_example_is_exercised_here():
    tutorial = ("SECTION_TYPE", "test_contract", "SECTION")
    exercised = {example_defining(name, "tutorial") for name in tutorial}
    exercised |= {example_defining(name, "reference") for name in HOOK_NAMES}
    assert exercised == set(examples()), "a new example in docs/plugins.md needs a test here"


# -- the tutorial -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("docs") / "tongket-dau-tu"
    assert main(["new-plugin", "dau-tu", "--title", "Thu hút đầu tư", "--dir", str(folder)]) == 0
    return folder


def test_the_tutorials_section_type_is_what_new_plugin_generates(generated, monkeypatch):
    namespace: dict = {}
    exec("from tongket.core import Field, SectionType, hookimpl", namespace)
    exec(example_defining("SECTION_TYPE", "tutorial"), namespace)
    monkeypatch.syspath_prepend(str(generated))
    import tongket_dau_tu

    try:
        shown, real = namespace["SECTION_TYPE"], tongket_dau_tu.SECTION_TYPE
        for name in ("id", "title", "version", "description", "fields", "default_data"):
            assert getattr(shown, name) == getattr(real, name), name
    finally:
        sys.modules.pop("tongket_dau_tu", None)


def test_the_testing_example_passes_against_the_generated_plugin(generated, tmp_path):
    example = example_defining("test_contract", "tutorial")
    (tmp_path / "test_example.py").write_text(example, "utf-8")
    env = {**os.environ, "PYTHONPATH": str(generated)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_example.py"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_the_prose_section_example_is_a_whole_plugin():
    from tongket.core import Field, Problem, SectionType
    from tongket.core.render.prose import PROSE_FIELDS

    module = types.ModuleType("prose_example")
    rows = Field("rows", "Dự án", kind="records", fields=(Field("name", "Tên", required=True),))
    module.SECTION_TYPE = SectionType("du-an", "Dự án", fields=(*PROSE_FIELDS, rows))
    module.domain_problems = lambda data, context: [
        Problem(("rows", index, "name"), "tên trùng")
        for index, row in enumerate(data.get("rows", []))
        if [other["name"] for other in data["rows"]].count(row["name"]) > 1
    ]
    module.rows_table = lambda data: Table(("Tên",), tuple((row["name"],) for row in data["rows"]))
    exec(example_defining("SECTION", "tutorial"), module.__dict__)
    host = PluginHost.builtins()
    assert not host.add_plugin(module).error

    data = {"intro": "Mở đầu.", "outro": "Kết thúc.", "rows": [{"name": "A"}, {"name": "B"}]}
    rendered = render_document(report_with("du-an", data), host)
    assert not rendered.failures and not rendered.problems
    (section,) = rendered.sections
    text = blocks_text(section.blocks)
    assert text.index("Mở đầu.") < text.index("Thu hút 2 dự án.") < text.index("Kết thúc.")
    assert isinstance(section.blocks[-1], Table)

    # Stages: the section's own rule stops validation before the drafter's template is read.
    bad = {"rows": [{"name": "A"}, {"name": "A"}], "template": "{khong_co}"}
    problems = render_document(report_with("du-an", bad), host).errors
    assert [problem.message for problem in problems] == ["tên trùng", "tên trùng"]
    fixed = {"rows": [{"name": "A"}], "template": "{khong_co}"}
    (problem,) = render_document(report_with("du-an", fixed), host).errors
    assert problem.where == "sections.1.data.template"


# -- the hook reference: one plugin ---------------------------------------------------------


@pytest.fixture
def reference_plugin() -> types.ModuleType:
    """The hook reference's examples, in order, as one plugin module."""
    module = types.ModuleType("investment_example")
    for hook in HOOK_NAMES:
        exec(example_defining(hook, "reference"), module.__dict__)
    return module


@pytest.fixture
def host(reference_plugin) -> PluginHost:
    host = PluginHost.builtins()
    info = host.add_plugin(reference_plugin)
    assert not info.error and not info.warnings
    assert set(info.hooks) == set(HOOK_NAMES)
    return host


def test_the_reference_plugin_validates_and_renders(host):
    data = {"projects": [{"year": 2022, "count": 1409}, {"year": 2023, "count": 12}], "note": ""}
    rendered = render_document(report_with("investment", data), host)
    assert not rendered.failures and not rendered.errors
    (section,) = rendered.sections
    assert not block_problems(section.blocks)
    text = blocks_text(section.blocks)
    assert "Kết quả thu hút đầu tư như sau:" in text
    (table,) = [block for block in section.blocks if isinstance(block, Table)]
    assert table.rows == (("2022", "1.409"), ("2023", "12"))

    bad = {"projects": [{"year": 2022, "count": -1}], "note": ""}
    (problem,) = render_document(report_with("investment", bad), host).errors
    assert problem.where == "sections.1.data.projects.1.count"
    assert problem.message == "cần một số không âm"


def test_the_reference_plugin_migrates_version_1_data(host):
    old = {"projects": [{"nam": 2022, "count": 3}], "note": ""}
    assert host.migrate("investment", old, 1) == {
        "projects": [{"year": 2022, "count": 3}],
        "note": "",
    }
    assert host.migrate("investment", old, 2) is None


def test_the_reference_plugin_supplies_a_working_editor(host):
    from textual.app import App

    editor = host.section_editor("investment")
    changes: list[dict] = []

    class Harness(App):
        def compose(self):
            data = {"note": "cũ", "projects": []}
            yield editor(data=data, on_change=changes.append, read_only=False)

    async def type_into_it() -> None:
        async with Harness().run_test(size=(60, 5)) as pilot:
            pilot.app.query_one(editor).focus()
            await pilot.press("end", "!")
            await pilot.pause()

    asyncio.run(type_into_it())
    assert changes[-1] == {"note": "cũ!", "projects": []}


def test_problems_in_the_reference_are_problems(reference_plugin):
    # The hook reference promises a list of Problem from validation.
    context = None
    problems = reference_plugin.tongket_validate_section(
        "investment", {"projects": [{"year": 2022, "count": -1}]}, context
    )
    assert all(isinstance(problem, Problem) for problem in problems)


def test_every_module_path_the_guide_names_imports_with_the_names_it_uses():
    # core/ is grouped by stage (report, host, render, writers); the guide's paths stay valid.
    text = DOCS.read_text("utf-8")
    for module, names in re.findall(r"from (tongket\.[\w.]+) import ([\w, ]+)", text):
        imported = importlib.import_module(module)
        for name in (name.strip() for name in names.split(",")):
            assert hasattr(imported, name), f"{module} has no {name}"
    for module in set(re.findall(r"`(tongket\.core\.[a-z_]+)", text)):
        if module.rsplit(".", 1)[-1][0].isupper() or module.endswith("hookimpl"):
            continue  # a class or object, not a module
        importlib.import_module(module)
