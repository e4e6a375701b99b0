"""The short cuts a section takes on its way to the page say the same as the long way.

Issue 11: a report of thousands of one-sentence sections spent most of its time in checks and
hook plumbing that find nothing. Each short cut (`render_section`, the hook call, the block
check, `text_problems`, the writer) is taken only for the usual case; these tests pin the
unusual cases next to it, which must still take the full way and say what they always said.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from types import SimpleNamespace
from typing import ClassVar

import pytest

from tongket.core import Field, Problem, SectionType, hookimpl
from tongket.core.checks import line_length_problems, prose_of, text_problems
from tongket.core.host import pluginrun
from tongket.core.host.fieldcheck import check_fields
from tongket.core.host.pluginhost import PluginHost
from tongket.core.render import inline
from tongket.core.render.blocks import (
    BlockDispatch,
    Chart,
    ChartSeries,
    Heading,
    PageBreak,
    Paragraph,
    Run,
    Table,
    block_problems,
)
from tongket.core.render.citations import CitationBook
from tongket.core.render.context import RenderContext
from tongket.core.render.document import render_document
from tongket.core.report import store
from tongket.core.report.model import Citation, Particulars, Project, Section
from tongket.core.writers.docx_writer import _BodyWriter, _paragraph_xml
from tongket.core.writers.images import ImageFolders


class EmphasisParagraph(Paragraph):
    """A plugin's own paragraph class: a block all the same."""


class NamedRun(Run):
    """A plugin's own run class."""


class Returning:
    """A section type whose render hook gives back what the test puts in `blocks`."""

    blocks: ClassVar[list] = []

    @hookimpl
    def tongket_section_types(self, register):
        register(SectionType("returning", "Trả về", fields=(Field("title", "Tên"),)))

    @hookimpl
    def tongket_validate_section(self, data):  # one argument: picked from the hook's three
        return ()  # falsy, but not a list: still refused

    @hookimpl
    def tongket_render_section(self):  # no argument at all
        return list(Returning.blocks)


class Rendering:
    @hookimpl
    def tongket_section_types(self, register):
        register(SectionType("rendering", "Vẽ", fields=(Field("title", "Tên"),)))

    @hookimpl
    def tongket_render_section(self, context):
        return list(Returning.blocks)


def host_with(plugin: object, name: str) -> PluginHost:
    host = PluginHost()
    host.load_builtins()
    host.add_plugin(plugin, name)
    return host


def rendered(host: PluginHost, *sections: Section, citations=None) -> object:
    project = Project(Particulars(), citations or {}, list(sections))
    return render_document(project, host)


# -- the hook call -------------------------------------------------------------------------


def test_a_falsy_answer_that_is_not_a_list_is_still_refused():
    result = rendered(host_with(Returning(), "returning"), Section("returning", heading="A"))
    (failure,) = result.failures
    assert failure.hook == "tongket_validate_section"
    assert failure.message == "cần trả về một danh sách Problem"


def test_hooks_taking_one_argument_or_none_get_what_they_name():
    Returning.blocks = [Paragraph.of("một")]
    host = host_with(Rendering(), "rendering")
    result = rendered(host, Section("rendering", heading="A"))
    assert not result.failures
    assert [type(block) for block in result.body] == [Heading, Paragraph]


def test_hook_arguments_reach_the_function_under_the_limit_and_without():
    def add(left, right):
        return left + right

    for limit in (5.0, 0):
        call = pluginrun.run_plugin_code(add, limit, arguments={"left": 2, "right": 3})
        assert call is not None and call.result == 5 and call.error is None


def test_a_call_inside_a_limited_call_runs_under_the_outer_deadline():
    inner: list[object] = []

    def outer():
        inner.append(pluginrun._plugin_code.watch)
        return pluginrun.run_plugin_code(lambda: 1, 5.0).result

    call = pluginrun.run_plugin_code(outer, 5.0)
    assert call is not None and call.result == 1
    assert inner[0] is not None  # the outer call was watched while the inner one ran
    assert getattr(pluginrun._plugin_code, "watch", None) is None  # and is no more


# -- the blocks a section gives -------------------------------------------------------------


def test_runs_given_as_a_one_pass_iterator_are_still_checked_whole():
    bad = Paragraph(iter([Run("a"), Run(5)]))  # type: ignore[arg-type]
    assert block_problems([bad]) == ["khối 1: các run của Paragraph phải là Run chứa chữ (str)"]
    good = Paragraph((NamedRun("a"), Run("b")))
    assert block_problems([good]) == []
    assert block_problems([Paragraph((Run(b"bytes"),))]) == [  # type: ignore[arg-type]
        "khối 1: các run của Paragraph phải là Run chứa chữ (str)"
    ]


def test_a_table_is_still_normalised_and_a_bare_page_break_still_prints_nothing():
    table = Table(("Năm", "Trống"), (("2020", ""), ("2021", "0")))
    Returning.blocks = [table]
    host = host_with(Rendering(), "rendering")
    result = rendered(host, Section("rendering", number="1.", heading="Bảng"))
    assert result.body[1].header == ("Năm",)  # the all-empty column is left out
    Returning.blocks = [PageBreak()]
    result = rendered(host, Section("rendering", number="2.", heading="Ngắt trang"))
    assert result.sections[0].heading_only
    assert [problem.message for problem in result.problems] == [
        "mục 2. chỉ có tiêu đề, chưa có nội dung: nhập nội dung hoặc xóa mục (và đánh lại số "
        "các mục sau)"
    ]


def test_a_paragraph_of_a_plugins_own_class_is_content_and_a_chart_still_numbered():
    chart = Chart("Kim ngạch", ("2020",), (ChartSeries("A", (1.0,)),), caption="Kim ngạch")
    Returning.blocks = [EmphasisParagraph((Run("đoạn"),)), chart]
    host = host_with(Rendering(), "rendering")
    result = rendered(host, Section("rendering", number="1.", heading="Có"))
    assert not result.sections[0].heading_only
    assert result.body[2].number == 1
    xml = "".join(_BodyWriter(None, ImageFolders.for_report(None)).block_parts(result.body[1]))
    assert xml == _paragraph_xml(Paragraph((Run("đoạn"),)))


def test_a_section_that_prints_only_its_number_still_hears_of_it():
    Returning.blocks = [PageBreak()]
    result = rendered(host_with(Rendering(), "rendering"), Section("rendering", number="1.3."))
    assert [problem.message for problem in result.problems] == [
        "mục 1.3. chưa có nội dung: văn bản không in dòng số mục trống; nhập nội dung hoặc xóa "
        "mục (và đánh lại số các mục sau)"
    ]


# -- free text: markup and citations ----------------------------------------------------------


def test_text_without_stars_is_one_run_and_stars_an_expansion_brings_still_count():
    assert inline.parse_runs("Năm 2023 tăng.") == (Run("Năm 2023 tăng."),)
    assert inline.parse_runs("") == (Run(""),)
    assert inline.parse_runs("[[a]]", lambda text: "**đậm**") == (Run("đậm", bold=True),)


def test_a_mention_is_still_expanded_and_counted_and_plain_text_counts_none():
    citation = Citation("Chỉ thị", "04-CT/TW", dt.date(2011, 7, 6), "Ban Bí thư", "về việc x")
    book = CitationBook({"ct04": citation})
    context = RenderContext(Particulars(), Section("free-text"), book)
    assert context.paragraphs("Không dẫn gì.") == [Paragraph((Run("Không dẫn gì."),))]
    assert context.text_problems("Không dẫn gì.") == []
    assert book.mentioned == set()
    (paragraph,) = context.paragraphs("Theo [[ct04]].")
    assert "04-CT/TW" in paragraph.text and book.mentioned == {"ct04"}
    assert context.text_problems("Theo [[ct05]].") == [
        "văn bản dẫn [[ct05]] chưa được khai báo trong [citations]"
    ]


def test_fields_are_checked_against_their_own_tuple_whatever_was_checked_before():
    first = (Field("text", "Nội dung", kind="longtext"),)
    second = (Field("title", "Tên", required=True), Field("count", "Số", kind="integer"))
    assert check_fields(first, {"text": "có"}) == []
    problems = check_fields(second, {"text": "có", "count": "hai"})
    assert [(problem.where, problem.message) for problem in problems] == [
        ("text", "khóa không được biết"),
        ("title", "bắt buộc: cần một dòng văn bản"),
        ("count", 'cần một số nguyên, gặp "hai"'),
    ]
    assert check_fields(list(second), {"title": "", "count": 2}) == [
        Problem(("title",), "bắt buộc: cần một dòng văn bản")
    ]


# -- the checks over the whole report ----------------------------------------------------------


def test_a_bad_character_anywhere_in_a_section_is_still_found_at_its_path():
    sections = [
        Section("free-text", number="1.", heading="Sạch", data={"text": "Sạch."}),
        Section("free-text", heading="Có\x07chuông", data={"text": "Sạch."}),
        Section("free-text", guidance="Hướng\x1bdẫn", data={"text": "Sạch."}),
        Section("free-text", data={"text": "Sạch.", "tables": [{"rows": [["a\u202eb"]]}]}),
    ]
    project = Project(Particulars(agency="SỞ"), {}, sections)
    found = {problem.path: problem.severity for problem in text_problems(project)}
    assert found == {
        ("sections", 1, "heading"): "warning",
        ("sections", 2, "guidance"): "warning",
        ("sections", 3, "data", "tables", 0, "rows", 0, 0): "warning",
    }
    clean = dataclasses.replace(project, sections=sections[:1])
    assert text_problems(clean) == []
    dirty = dataclasses.replace(clean, document=Particulars(agency="SỞ\x00"))
    assert [problem.path for problem in text_problems(dirty)] == [("document", "agency")]


def test_long_one_line_fields_are_still_found_by_type():
    line_type = SectionType("one-line", "Dòng", fields=(Field("title", "Tên"),))
    prose_type = SectionType("prose", "Văn", fields=(Field("text", "Nội dung", kind="longtext"),))
    long = "x" * 400
    project = Project(
        Particulars(),
        {},
        [Section("prose", data={"text": long}), Section("one-line", data={"title": long})],
    )
    types = {"one-line": line_type, "prose": prose_type}
    assert [problem.path for problem in line_length_problems(project, types)] == [
        ("sections", 1, "data", "title")
    ]


def test_prose_is_read_from_a_plugins_own_paragraph_class_too():
    paragraph = EmphasisParagraph((Run("tăng "), Run("-2,2%")))

    result = SimpleNamespace(index=4, blocks=[Heading("Tiêu đề", 1, "1."), paragraph, PageBreak()])
    document = SimpleNamespace(sections=[result])
    assert prose_of(document) == [(4, "1. Tiêu đề"), (4, "tăng -2,2%")]  # type: ignore[arg-type]


def test_an_unknown_section_key_is_still_named_with_the_keys_allowed(tmp_path):
    report = tmp_path / "r.toml"
    report.write_text('[document]\n[[sections]]\ntype = "free-text"\nheadng = "A"\n', "utf-8")
    with pytest.raises(store.ReportFileError) as raised:
        store.load(report)
    assert raised.value.key == "sections.1.headng"  # dotted keys count from 1
    assert "khóa không được biết (các khóa hợp lệ: type, number, heading, guidance, version, " in (
        str(raised.value)
    )


def test_block_dispatch_still_serves_subclasses():
    dispatch = BlockDispatch("test.fast_path", {Paragraph: lambda block: "p"})
    assert dispatch[EmphasisParagraph](EmphasisParagraph(())) == "p"
