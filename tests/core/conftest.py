"""Fixtures of the DOCX layout tests: the built-in plugins and the sample rendered once per
module (tests/conftest.py's `host` and `rendered_sample` under the names these tests use)."""

from __future__ import annotations

import pytest

from tongket.core.host.pluginhost import PluginHost
from tongket.core.render.document import RenderedDocument


@pytest.fixture(scope="module")
def plugins(host) -> PluginHost:
    return host


@pytest.fixture(scope="module")
def rendered(rendered_sample) -> RenderedDocument:
    """The sample as rendered; modules that need another document define their own."""
    return rendered_sample
