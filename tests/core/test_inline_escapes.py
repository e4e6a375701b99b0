"""Text that must print as it is: a backslash escapes markup ("\\*", "\\[["), and a Word
reply's own stars and double brackets come back from `tongket import` escaped.

"(*) số ước thực hiện" is how Vietnamese reports mark estimates; read as markup, its two
stars made the text between them italic and vanished from print.
"""

from __future__ import annotations

import docx
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tongket.core.host.pluginhost import PluginHost
from tongket.core.render.citations import unknown_keys
from tongket.core.render.document import render_document
from tongket.core.render.inline import escape_markup, parse_runs, plain_text
from tongket.core.report.model import Citation, Project, Section
from tongket.core.workflow.docx_import import import_docx
from tongket.testing import example_particulars

# Private-use characters stand in for escaped ones while markup is read: not in drafters' text.
# Markup characters are drawn often, so runs of them ("[[[", "\\**") come up.
text = st.text(
    st.one_of(
        st.characters(blacklist_categories=("Cs", "Co")),
        st.sampled_from(["*", "[", "]", "\\", "|", " "]),
    ),
    max_size=60,
)


@given(text)
@example("[[[x]] và (*) \\*")
@settings(max_examples=300)
def test_escaped_text_prints_as_it_is_with_no_emphasis_and_no_citation(value):
    escaped = escape_markup(value)
    runs = parse_runs(escaped, lambda text: text.replace("[[", "<CITED>"))
    assert "".join(run.text for run in runs) == value
    assert not any(run.bold or run.italic for run in runs)
    assert unknown_keys(escaped, {}) == []


def test_a_backslash_escapes_markup_and_markup_still_works_around_it():
    assert plain_text("(\\*) số ước, \\[[ct04]] và \\\\") == "(*) số ước, [[ct04]] và \\"
    runs = parse_runs("*nghiêng* và \\*không\\*")
    assert [(run.text, run.italic) for run in runs] == [("nghiêng", True), (" và *không*", False)]
    # A backslash before any other character is just a backslash.
    assert plain_text("C:\\tệp\\báo cáo") == "C:\\tệp\\báo cáo"
    known = {"ct04": Citation("Chỉ thị", "04-CT/TW")}
    assert unknown_keys("[[ct04]] \\[[khac]]", known) == []
    assert unknown_keys("[[khac]]", known) == ["khac"]


def test_a_word_replys_stars_and_brackets_come_back_as_written(tmp_path):
    path = tmp_path / "tra-loi.docx"
    document = docx.Document()
    document.add_paragraph("SỞ CÔNG THƯƠNG")
    document.add_paragraph("1. Kết quả")
    paragraph = document.add_paragraph("Kim ngạch năm 2021 (*) đạt 1.500 triệu USD; (")
    paragraph.add_run("*").italic = True  # a star in a run of its own, italic
    paragraph.add_run(") là số ước; ký hiệu [")
    paragraph.add_run("[abc]] và [[[x]] giữ nguyên.")  # "[[" split over two runs
    document.save(path)

    [section] = [s for s in import_docx(path).project.sections if s.number == "1."]
    assert plain_text(section.data["text"]) == (
        "Kim ngạch năm 2021 (*) đạt 1.500 triệu USD; (*) là số ước; ký hiệu [[abc]] và [[[x]] "
        "giữ nguyên."
    )
    assert unknown_keys(section.data["text"], {}) == []


def test_a_star_meant_to_print_but_taken_for_emphasis_is_a_warning():
    host = PluginHost.builtins()
    eaten = "Năm 2021 (*) đạt 1.500 triệu USD; (*) số ước thực hiện."
    sections = [
        Section("free-text", "1.", "", {"text": f"{eaten}\n\nMột (*) thì in được."}),
        Section("free-text", "2.", "", {"text": eaten.replace("(*)", "(\\*)")}),
        Section("training", "3.", "", {"intro": eaten, "min_per_year": None}),
    ]
    rendered = render_document(Project(document=example_particulars(), sections=sections), host)
    warnings = [p for p in rendered.problems if "muốn in dấu sao, gõ (\\*)" in p.message]
    assert [(p.severity, p.path[:2]) for p in warnings] == [
        ("warning", ("sections", 0)),
        ("warning", ("sections", 2)),
    ]
