"""Every built-in section type starts valid: a fresh section validates, renders and round-trips."""

from __future__ import annotations

import pytest

from tongket.core.host.pluginhost import PluginHost
from tongket.core.render.blocks import ErrorBlock, block_problems
from tongket.core.render.document import render_document
from tongket.core.report import store
from tongket.core.report.model import Project, Section

HOST = PluginHost()
HOST.load_builtins()
BUILTIN_TYPES = sorted(HOST.section_types)


def test_all_builtin_plugins_load():
    assert {info.name: info.error for info in HOST.plugins.values() if info.error} == {}
    assert set(BUILTIN_TYPES) >= {
        "free-text", "economic-results", "partnerships", "trade-promotion", "training", "media",
    }  # fmt: skip


@pytest.mark.parametrize("type_id", BUILTIN_TYPES)
def test_default_data_validates_renders_and_round_trips(type_id):
    section_type = HOST.section_types[type_id]
    project = Project(sections=[Section(type_id, number="1.", data=section_type.new_data())])
    rendered = render_document(project, HOST)
    assert [problem for problem in rendered.problems if problem.severity == "error"] == []
    assert not any(isinstance(block, ErrorBlock) for block in rendered.body)
    assert block_problems(rendered.body) == []
    assert store.loads(store.dumps(project)) == project


@pytest.mark.parametrize("type_id", BUILTIN_TYPES)
def test_fields_describe_the_default_data(type_id):
    section_type = HOST.section_types[type_id]
    names = {field.name for field in section_type.fields}
    assert set(section_type.default_data) <= names
    assert all(field.label for field in section_type.fields)
