"""The `tongket` console script with the benchmark section type added to the default plugins.

    python benchmarks/tongket_bench.py export REPORT.toml -o OUT.docx

Exactly what the installed `tongket` script does (`cli.main()` with no arguments, so the
command runs in a supervised child process), except that `PluginHost.default()` also
registers `bench_plugin.BenchPlugin`. Reports of built-in section types are measured with the
installed script itself.
"""

from __future__ import annotations

import sys

from bench_plugin import BenchPlugin

from tongket.core import cli, pluginhost


def _with_bench_plugin() -> None:
    default = pluginhost.PluginHost.default.__func__

    def with_bench(cls) -> pluginhost.PluginHost:
        host = default(cls)
        host.add_plugin(BenchPlugin(), "bench_plugin")
        return host

    pluginhost.PluginHost.default = classmethod(with_bench)


if __name__ == "__main__":
    _with_bench_plugin()
    sys.exit(cli.main())
