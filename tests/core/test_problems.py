"""`Problem`, the finding every check and plugin returns: paths, messages, how it prints."""

from __future__ import annotations

import pytest

from tongket.core import Problem
from tongket.core.report.model import Project
from tongket.tui.problems import WHOLE_REPORT, problem_detail, problem_place


@pytest.mark.parametrize(
    ("path", "parts"),
    [
        ("projects.1.year", ("projects", 0, "year")),
        ("year", ("year",)),
        ("sections.12.data", ("sections", 11, "data")),
        ("", ()),
        (["periods", 0, "target"], ("periods", 0, "target")),
        (("periods", 0, "target"), ("periods", 0, "target")),
    ],
)
def test_a_dotted_string_or_a_sequence_is_a_path(path, parts):
    problem = Problem(path, "cần một số")
    assert problem.path == parts
    # A dotted string reads back the way `tongket check` prints it.
    if isinstance(path, str):
        assert problem.where == path


@pytest.mark.parametrize(
    ("path", "named"),
    [
        (7, "int"),
        ({"year": 1}, "dict"),
        (("periods", 0.0), "float 0.0"),
        (("periods", True), "bool True"),
        (("periods", None), "NoneType None"),
    ],
)
def test_anything_else_is_refused_at_construction_with_what_was_found(path, named):
    with pytest.raises(TypeError, match="Problem path") as caught:
        Problem(path, "cần một số")
    assert named in str(caught.value)


def test_message_and_severity_are_checked():
    with pytest.raises(TypeError, match="message must be text, got int"):
        Problem(("year",), 12)
    with pytest.raises(ValueError, match="one of error, warning, got 'advice'"):
        Problem(("year",), "cần một số", "advice")


def test_a_problem_of_the_whole_report_has_no_empty_path_in_its_line():
    problem = Problem((), "tệp trống")
    assert problem.format("a.toml") == "a.toml: tệp trống"
    assert Problem(("document",), "x", line=3).format("a.toml") == "a.toml:3: document: x"
    # In the app it is placed in the report as a whole, never shown as ": tệp trống".
    assert problem_place(problem, Project()) == WHOLE_REPORT
    assert problem_detail(problem, Project()).splitlines()[0] == f"Lỗi: {WHOLE_REPORT}"
