"""A path docs/plugins.md promises plugin authors. The module is
`tongket.core.render.document`."""

from tongket.core.render.document import *  # noqa: F403
