"""A path docs/plugins.md promises plugin authors. The module is
`tongket.core.host.pluginhost`."""

from tongket.core.host.pluginhost import *  # noqa: F403
