"""A path docs/plugins.md promises plugin authors. The module is
`tongket.core.render.prose`."""

from tongket.core.render.prose import *  # noqa: F403
