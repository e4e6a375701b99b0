"""tongket's headless core: the report model, TOML store, plugin host, blocks, writers, checks.

Plugin authors import what they need from here:

    from tongket.core import Field, Problem, SectionType, hookimpl
    from tongket.core.render import blocks

Nothing in this package imports Textual.
"""

from tongket.core.host.hookspecs import hookimpl
from tongket.core.host.sectiontypes import Field, SectionType
from tongket.core.problems import Problem

__all__ = ["Field", "Problem", "SectionType", "hookimpl"]
