"""Test helpers for section-plugin authors (public API, see docs/plugins.md).

    from tongket.testing import check_section_type
    import tongket_dau_tu

    def test_contract():
        check_section_type(tongket_dau_tu, edge_cases=[{"years": []}])

`check_section_type` runs the whole contract and raises `ContractError` listing what failed.
`registered_plugin(plugin)` registers a plugin in a fresh host for a `with` block. With pytest,
the fixtures `tongket_host` and `tongket_plugin` (installed through the `pytest11` entry point)
do the same for one test and remove the plugin afterwards. `fake_distribution` writes a
plugin and a `*.dist-info` folder that `importlib.metadata` takes for an installed package.
`example_request()` is an outline's request letter for testing the outline hooks.
"""

from .contract import (
    CheckResult,
    ContractError,
    ContractReport,
    check_section_type,
    example_particulars,
    example_request,
    registered_plugin,
    report_with,
)
from .distribution import fake_distribution

__all__ = [
    "CheckResult",
    "ContractError",
    "ContractReport",
    "check_section_type",
    "example_particulars",
    "example_request",
    "fake_distribution",
    "registered_plugin",
    "report_with",
]
