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
