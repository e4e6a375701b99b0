"""A path docs/plugins.md promises plugin authors. The module is
`tongket.core.render.blocks`."""

from tongket.core.render.blocks import *  # noqa: F403
