"""A path docs/plugins.md promises plugin authors. The module is
`tongket.core.render.vnformat`."""

from tongket.core.render.vnformat import *  # noqa: F403
