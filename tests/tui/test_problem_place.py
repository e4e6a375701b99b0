"""Where a problem is, as the problems list names it."""

from __future__ import annotations

from tongket.core.problems import Problem
from tongket.tui.problems import problem_place


def test_a_citation_field_is_named_in_vietnamese():
    problem = Problem(("citations", "nq49", "title"), "viết hoa: …", "warning")
    assert problem_place(problem) == "Văn bản được dẫn [[nq49]] — trích yếu"
    assert problem_place(Problem(("citations", "nq49"), "…")) == "Văn bản được dẫn [[nq49]]"
