"""The `tongket` console script with the benchmark section type added to the default plugins.

    python benchmarks/tongket_bench.py export REPORT.toml -o OUT.docx

Exactly what the installed `tongket` script does (`cli.main()` with no arguments, so the
command runs in a supervised child process), except that `bench_plugin.BenchPlugin` is
registered with the built-ins (`PluginHost.load_builtins`), so every way the CLI starts its
plugin host has it. Reports of built-in section types are measured with the installed script
itself. `bench_export.py` imports this module and calls `main()` (see `cached_script`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from bench_plugin import BenchPlugin

from tongket.core import cli
from tongket.core.host import pluginhost


def _with_bench_plugin() -> None:
    load_builtins = pluginhost.PluginHost.load_builtins

    def with_bench(host: pluginhost.PluginHost, section_types: Iterable[str] | None = None) -> None:
        load_builtins(host, section_types)
        host.add_plugin(BenchPlugin(), "bench_plugin")

    pluginhost.PluginHost.load_builtins = with_bench


def main() -> int:
    _with_bench_plugin()
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
