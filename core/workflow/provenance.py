"""Provenance in messages: a finding about a merged value names the replies it came from.

`tongket check` on a consolidated report (and the app) passes its findings through
`with_sources`: a problem inside a merged section's data gets "(nguồn: Sở Công Thương
(sct.toml, mục 2.1.))" for the sources that contributed to that value. The findings the merge
kept in `[sections.provenance]` (a unit that disagrees, a body missing a year) are reported by
`merge_findings`, with their sources named the same way.
"""

from __future__ import annotations

from typing import Any

from tongket.core.host.merging import ADDED_COORDINATOR_FIELDS, COORDINATOR_FIELDS
from tongket.core.problems import Problem, path_parts
from tongket.core.report.consolidation import Provenance, Source
from tongket.core.report.model import Project

#: How many sources a message names before "và N nguồn khác".
NAMED = 3


def sources_text(sources: list[Source]) -> str:
    """ "nguồn: A (a.toml, mục 2.1.); B (b.toml, mục 2.1.)", or "" without sources."""
    if not sources:
        return ""
    shown = "; ".join(source.label() for source in sources[:NAMED])
    more = len(sources) - NAMED
    return f"nguồn: {shown}" + (f" và {more} nguồn khác" if more > 0 else "")


def _sourced(problem: Problem, provenance: Provenance, inner: tuple) -> Problem:
    named = sources_text(provenance.sources_of(inner))
    if not named:
        return problem
    return Problem(problem.path, f"{problem.message} ({named})", problem.severity, problem.line)


def with_sources(problems: list[Problem], project: Project) -> list[Problem]:
    """The problems, those inside a merged section's data naming their sources."""
    if not any(section.provenance for section in project.sections):
        return problems  # not a consolidated report: nothing to add, nothing to copy
    result = []
    for problem in problems:
        path = problem.path
        if (
            len(path) > 3
            and path[0] == "sections"
            and isinstance(path[1], int)
            and path[2] == "data"
            and path[1] < len(project.sections)
            and project.sections[path[1]].provenance is not None
        ):
            problem = _sourced(problem, project.sections[path[1]].provenance, path[3:])
        result.append(problem)
    return result


def merge_findings(project: Project) -> list[Problem]:
    """What the merge noticed, as kept in each section's `[sections.provenance]`."""
    problems = []
    for index, section in enumerate(project.sections):
        provenance = section.provenance
        if provenance is None:
            continue
        # The notice of text not yet in print lapses once the coordinator edits the printed
        # fields (the next merge drops it; `check` already does).
        lapsed = bool(provenance.unprinted) and provenance.printed != printed_fingerprint(
            section.data
        )
        for finding in provenance.findings:
            if lapsed and finding.message == unprinted_notice(provenance.unprinted):
                continue
            inner = path_parts(finding.path)
            path = ("sections", index, "data", *inner) if inner else ("sections", index)
            severity = "error" if finding.severity == "error" else "warning"
            problem = Problem(path, f"tổng hợp: {finding.message}", severity)
            problems.append(_sourced(problem, provenance, inner) if inner else problem)
    return problems


def printed_fingerprint(data: dict[str, Any]) -> str:
    """A digest of the fields the coordinator writes (`COORDINATOR_FIELDS`), to tell at the
    next merge whether they were edited since this one."""
    import hashlib
    import json

    printed = {
        name: data.get(name)
        for name in COORDINATOR_FIELDS
        if name not in ADDED_COORDINATOR_FIELDS or data.get(name)
    }
    return hashlib.sha256(json.dumps(printed, ensure_ascii=False).encode()).hexdigest()[:16]


def unprinted_notice(bodies: tuple[str, ...]) -> str:
    """The merge's finding naming the bodies whose gathered text is not in print yet
    (`tongket.core.workflow.merge.unprinted_bodies`)."""
    return (
        f"nội dung các đơn vị gửi có phần mới hoặc đã sửa chưa đưa vào phần in ({', '.join(bodies)}"
        "): hãy xem 'Nội dung các đơn vị gửi (tổng hợp)' rồi sửa phần in"
    )
