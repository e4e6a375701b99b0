"""Merging data sections that follow the standard prose flow (`ProseSection`): lists unioned
with the body in a column, each body's own prose gathered for the coordinator to condense.

A built-in list section binds its merge hook in one line:

    tongket_merge_sections = prose_merge_hook(SECTION)

The gathered narrative of one body is what that body wrote by hand: its intro, its own
sentence template filled from its own figures, its outro. The consolidated section's prose is
the coordinator's (`intro`, `template`, `outro` kept from the previous merge) and its default
sentences are written from the merged data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tongket.core.host.hookspecs import hookimpl
from tongket.core.host.merging import Contribution, MergedSection, merge_by_fields
from tongket.core.render import template
from tongket.core.render.context import RenderContext
from tongket.core.render.prose import ProseSection
from tongket.core.report.model import Particulars, Section


def prose_narrative(section: ProseSection, data: dict[str, Any]) -> str:
    """A body's own prose in one section: intro, its own template filled, outro.

    A template that cannot be filled (the body's data has errors) is gathered as written, so
    the coordinator still reads it.
    """
    pieces = [data.get("intro") or ""]
    own = data.get("template")
    if isinstance(own, str) and own.strip():
        try:
            figures = section.figures(data)
            context = RenderContext(Particulars(), Section(section.section_type.id))
            pieces.append(template.fill(own, section.values(figures, context)))
        except Exception:  # the reply's own data is at fault, not the merge: keep its words
            pieces.append(own)
    pieces += [data.get("outro") or "", data.get("after_tables") or ""]
    # Single line breaks inside a paragraph are spaces when printed: gathered, they are too.
    paragraphs = [
        " ".join(line.strip() for line in paragraph.splitlines() if line.strip())
        for piece in pieces
        for paragraph in piece.split("\n\n")
    ]
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def prose_merge(
    section: ProseSection,
    *,
    summed: tuple[str, ...] = (),
    adjust: Callable[[MergedSection, list[Contribution]], None] | None = None,
) -> Callable[..., MergedSection]:
    """The merge of `section` as a plain function, to call inside a plugin's own
    `tongket_merge_sections` (which then changes what the fields alone cannot say):
    `merge_by_fields` with each body's `prose_narrative` gathered (`summed`: records fields
    whose counts add up per year); `adjust(merged, contributions)` runs last."""

    def tongket_merge_sections(
        contributions: list[Contribution], previous: dict[str, Any] | None
    ) -> MergedSection:
        merged = merge_by_fields(
            section.section_type,
            contributions,
            previous,
            narrative=lambda data: prose_narrative(section, data),
            summed=summed,
        )
        if adjust is not None:
            adjust(merged, contributions)
        return merged

    return tongket_merge_sections


def prose_merge_hook(
    section: ProseSection,
    *,
    summed: tuple[str, ...] = (),
    adjust: Callable[[MergedSection, list[Contribution]], None] | None = None,
) -> Callable[..., MergedSection]:
    """`prose_merge` marked as the plugin's `tongket_merge_sections`: bind it to that name.

    pluggy takes the name a marked function is bound to as its hook's name, so bound to any
    other it is an unknown hook (and the plugin does not load); to wrap it, use `prose_merge`.
    """
    return hookimpl(prose_merge(section, summed=summed, adjust=adjust))
