"""Shared fixtures: the bundled sample, a plugin host, and a scratch copy of the sample."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest

from tongket.core.host.pluginhost import PluginHost
from tongket.core.render.document import render_document
from tongket.core.report import store


@pytest.fixture(scope="session")
def sample_path() -> Path:
    """The bundled sample, as installed (`tongket.sample_data`)."""
    return Path(str(resources.files("tongket.sample_data") / "quang-ngai-sct-2021.toml"))


@pytest.fixture
def sample_copy(tmp_path: Path, sample_path: Path) -> Path:
    """A scratch copy of the sample that a test may change."""
    target = tmp_path / "report.toml"
    shutil.copyfile(sample_path, target)
    return target


@pytest.fixture(scope="session")
def host() -> PluginHost:
    """Built-in plugins only, as a fresh install has them."""
    plugins = PluginHost()
    plugins.load_builtins()
    return plugins


@pytest.fixture
def sample_project(sample_path: Path):
    return store.load(sample_path)


@pytest.fixture
def sample_rendered(sample_project, host):
    return render_document(sample_project, host)


@pytest.fixture(scope="module")
def rendered_sample(host, sample_path):
    """The sample rendered once per test module; tests read it, never change it."""
    return render_document(store.load(sample_path), host)


#: A small report `tongket check` finds nothing in: the particulars and one free-text section.
CLEAN_REPORT = """schema_version = 1
[document]
kind = "cong-van"
agency = "SỞ CÔNG THƯƠNG"
symbol = "SCT-VP"
place = "Quảng Ngãi"
date = 2021-04-02
subject = "báo cáo"
recipients = ["Sở Ngoại vụ"]
closing = "Sở Công Thương kính báo cáo./."
distribution = ["Như trên", "Lưu: VT, VP"]
[document.signer]
head_title = "GIÁM ĐỐC"
name = "Võ Văn Rân"
[[sections]]
type = "free-text"
[sections.data]
text = "Nội dung."
"""


@pytest.fixture
def clean_report_text() -> str:
    """The text of a clean report file (`CLEAN_REPORT`); line 8 is its trích yếu."""
    return CLEAN_REPORT
