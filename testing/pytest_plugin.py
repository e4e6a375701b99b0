"""pytest fixtures for plugin authors, loaded automatically once tongket is installed.

- `tongket_host`: a fresh `PluginHost` with the built-in section types only.
- `tongket_plugin(plugin, name=None)`: register `plugin` in `tongket_host` for this test and
  return the host; the plugin is removed afterwards. While the test runs, `PluginHost.default()`
  (what the CLI builds in-process, e.g. `tongket.core.cli.main(["render", ...])`) includes it too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tongket.core.pluginhost import PluginHost

from .contract import _plugin_name


@pytest.fixture
def tongket_host() -> PluginHost:
    """A fresh plugin host with the built-in section types and no third-party plugins."""
    host = PluginHost()
    host.load_builtins()
    return host


@pytest.fixture
def tongket_plugin(
    tongket_host: PluginHost, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., PluginHost]]:
    """Register a plugin for one test: `host = tongket_plugin(my_module)`; removed afterwards."""
    added: list[tuple[object, str]] = []
    default = PluginHost.default.__func__  # type: ignore[attr-defined]

    def default_with_test_plugins(cls: type[PluginHost]) -> PluginHost:
        host = default(cls)
        for plugin, name in added:
            # Already there when the package under test is also installed as an entry point.
            if not host.manager.is_registered(plugin):
                host.add_plugin(plugin, name)
        return host

    def register(plugin: object, name: str | None = None) -> PluginHost:
        info = tongket_host.add_plugin(plugin, name or _plugin_name(plugin))
        if info.error:
            pytest.fail(f"plugin {info.name} không đăng ký được: {info.error}", pytrace=False)
        added.append((plugin, info.name))
        return tongket_host

    monkeypatch.setattr(PluginHost, "default", classmethod(default_with_test_plugins))
    yield register
    for _plugin, name in added:
        tongket_host.remove_plugin(name)
