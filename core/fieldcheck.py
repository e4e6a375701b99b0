"""A path docs/plugins.md promises plugin authors. The module is
`tongket.core.host.fieldcheck`."""

from tongket.core.host.fieldcheck import *  # noqa: F403
