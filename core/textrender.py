"""A path docs/plugins.md promises plugin authors. The module is
`tongket.core.writers.textrender`."""

from tongket.core.writers.textrender import *  # noqa: F403
