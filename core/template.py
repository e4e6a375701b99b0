"""A path docs/plugins.md promises plugin authors. The module is
`tongket.core.render.template`."""

from tongket.core.render.template import *  # noqa: F403
