"""Where a problem is, as the problems list names it."""

from __future__ import annotations

from tongket.core.problems import Problem
from tongket.tui.problems import problem_place


def test_a_citation_field_is_named_in_vietnamese():
    problem = Problem(("citations", "nq49", "title"), "viết hoa: …", "warning")
    assert problem_place(problem) == "Văn bản được dẫn [[nq49]] — trích yếu"
    assert problem_place(Problem(("citations", "nq49"), "…")) == "Văn bản được dẫn [[nq49]]"


def test_a_period_row_is_named_by_its_years_and_one_year_by_that_year():
    from tongket.plugins.economic_results import FIELDS
    from tongket.tui.problems import row_name

    periods = next(field for field in FIELDS if field.name == "periods")
    assert row_name(periods, {"start": 2011, "end": 2015}, 0) == "Giai đoạn 2011–2015"
    assert row_name(periods, {"start": 2020, "end": 2020}, 1) == "Giai đoạn 2020"
