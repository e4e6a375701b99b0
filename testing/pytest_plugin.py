"""pytest fixtures for plugin authors, loaded automatically once tongket is installed.

- `tongket_host`: a fresh `PluginHost` with the built-in section types only.
- `tongket_plugin(plugin, name=None)`: register `plugin` in `tongket_host` for this test and
  return the host; the plugin is removed afterwards. While the test runs, every host tongket
  builds in-process (`PluginHost.default()`, `PluginHost.for_report()`, so also
  `tongket.core.cli.main(["render", ...])`) includes it too (`PluginHost.including`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest

from tongket.core.host.pluginhost import PluginHost


@pytest.fixture
def tongket_host() -> PluginHost:
    """A fresh plugin host with the built-in section types and no third-party plugins."""
    return PluginHost.builtins()


@pytest.fixture
def tongket_plugin(tongket_host: PluginHost) -> Iterator[Callable[..., PluginHost]]:
    """Register a plugin for one test: `host = tongket_plugin(my_module)`; removed afterwards."""
    added: list[str] = []
    with ExitStack() as included:

        def register(plugin: object, name: str | None = None) -> PluginHost:
            info = tongket_host.add_plugin(plugin, name)
            if info.error:
                pytest.fail(f"plugin {info.name} không đăng ký được: {info.error}", pytrace=False)
            added.append(info.name)
            included.enter_context(PluginHost.including(plugin, info.name))
            return tongket_host

        yield register
    for name in added:
        tongket_host.remove_plugin(name)
