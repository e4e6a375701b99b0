"""A path docs/plugins.md promises plugin authors. The module is
`tongket.core.host.hookspecs`."""

from tongket.core.host.hookspecs import *  # noqa: F403
