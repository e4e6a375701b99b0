"""tongket's headless core: the report model, TOML store, plugin host, blocks, writers, checks.

Plugin authors import what they need from here:

    from tongket.core import Field, Problem, SectionType, hookimpl
    from tongket.core import blocks

Nothing in this package imports Textual.
"""

from .hookspecs import hookimpl
from .problems import Problem
from .sectiontypes import Field, SectionType

__all__ = ["Field", "Problem", "SectionType", "hookimpl"]
