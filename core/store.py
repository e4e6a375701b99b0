"""A path docs/plugins.md promises plugin authors. The module is
`tongket.core.report.store`."""

from tongket.core.report.store import *  # noqa: F403
