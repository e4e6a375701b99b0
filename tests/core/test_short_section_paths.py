"""More short cuts for the short section (issue 11, "short-5000"), each beside its unusual case.

Every short cut here is taken only for the usual shape (exact classes, plain values); the
tests put the unusual shape beside it and assert the full way's answer.
"""

from __future__ import annotations

import dataclasses
from itertools import chain
from operator import attrgetter

import pytest

from tongket.core import Field, Problem, SectionType, hookimpl
from tongket.core.checks import (
    _prose_and_kinds,
    _report_strings,
    _texts,
    check_project,
    image_problems,
    line_length_problems,
    text_problems,
)
from tongket.core.host import pluginhost
from tongket.core.host.fieldcheck import check_fields
from tongket.core.host.pluginhost import PluginFailure, PluginHost
from tongket.core.problems import ReportFileError
from tongket.core.render import inline
from tongket.core.render.blocks import Heading, Image, Paragraph, Run, block_problems
from tongket.core.render.document import RenderedDocument, SectionResult, render_document
from tongket.core.report import store
from tongket.core.report.model import Particulars, Project, Section
from tongket.core.report.store import SECTION_KEYS, to_table
from tongket.core.writers.images import ImageFolders


class Words(str):
    """A str subclass a test or the app might put in a field."""


def _project(*sections: Section) -> Project:
    return Project(Particulars(), {}, list(sections))


def _walked(project: Project) -> list[str]:
    """What `_report_strings` gave before its short way: the full walk of the same values."""
    head = to_table(dataclasses.replace(project, sections=[]))
    values = attrgetter(*(key for key in SECTION_KEYS if key != "provenance"))
    return _texts([head, list(chain.from_iterable(map(values, project.sections)))], [])


def _usual(index: int) -> Section:
    return Section("free-text", f"{index}.", f"Mục {index}", {"text": f"Câu {index}."}, 1)


def test_report_strings_short_way_gives_the_tables_strings() -> None:
    project = _project(_usual(1), _usual(2))
    assert sorted(_report_strings(project)) == sorted(_walked(project))


def test_report_strings_unusual_sections_give_the_tables_strings() -> None:
    unusual = [
        Section("free-text", "3.", Words("Mục \x07"), {"text": "a"}, 1),  # str subclass
        Section("free-text", "4.", "Mục", {"text": "a", "tables": [{"note": "x\x01"}]}, 1),
        Section("free-text", "5.", "Mục", {"text": "a"}, True),  # a bool version
        Section("free-text", "6.", "Mục", {"text": 5}, None),  # a number in the data
    ]
    for section in unusual:
        project = _project(_usual(1), section)
        assert sorted(_report_strings(project)) == sorted(_walked(project))


def test_text_problems_still_found_past_the_short_way() -> None:
    nested = Section("free-text", "2.", "Mục", {"text": "a", "tables": [{"note": "x\x01"}]}, 1)
    subclass = Section("free-text", "3.", Words("Mục \x07"), {"text": "a"}, 1)
    found = text_problems(_project(_usual(1), nested, subclass))
    assert [(problem.path, problem.severity) for problem in found] == [
        (("sections", 1, "data", "tables", 0, "note"), "warning"),
        (("sections", 2, "heading"), "warning"),
    ]
    assert "U+0001 ở ký tự thứ 2" in found[0].message
    assert text_problems(_project(_usual(1), _usual(2))) == []


class Photo(Image):
    """A plugin's own picture class: still a picture to look for."""


def _rendered(*blocks_per_section: list) -> RenderedDocument:
    sections = [_usual(index) for index in range(len(blocks_per_section))]
    results = [
        SectionResult(index, section, list(blocks))
        for index, (section, blocks) in enumerate(zip(sections, blocks_per_section, strict=True))
    ]
    body = [block for blocks in blocks_per_section for block in blocks]
    return RenderedDocument(_project(*sections), body, [], results)


def _section_findings(problems: list) -> list:
    # The bare particulars of these tests have findings of their own: only the sections' count.
    return [problem for problem in problems if problem.path[0] == "sections"]


def test_check_project_skips_the_picture_walk_only_without_pictures(tmp_path) -> None:
    prose = [Heading("Mục", 1, "1."), Paragraph.of("Câu.")]
    folders = ImageFolders.for_report(str(tmp_path / "r.toml"))
    plain = _rendered(prose, prose)
    assert _prose_and_kinds(plain)[1] == set()
    assert _section_findings(check_project(plain, images=folders, capitalisation=False)) == []
    for picture in (Image("thieu.png"), Photo("thieu.png")):
        rendered = _rendered(prose, [*prose, picture])
        kinds = _prose_and_kinds(rendered)[1]
        full = image_problems(rendered, folders)
        assert image_problems(rendered, folders, kinds) == full
        assert [problem.path for problem in full] == [("sections", 1)]
        assert "hình 'thieu.png' không chèn được" in full[0].message
        found = _section_findings(check_project(rendered, images=folders, capitalisation=False))
        assert found == full


class NamedRun(Run):
    """A plugin's own run class: allowed, but not the short way."""


def test_block_problems_inline_paragraph_check_matches_the_dispatch() -> None:
    good = Paragraph.of("Câu.")
    assert block_problems([good, good]) == []
    assert block_problems([good, Paragraph((NamedRun("ok"),))]) == []
    assert block_problems([good, Paragraph([Run("một list")])]) == []  # type: ignore[arg-type]
    assert block_problems([good, Paragraph((Run(5),))]) == [  # type: ignore[arg-type]
        "khối 2: các run của Paragraph phải là Run chứa chữ (str)"
    ]
    assert block_problems([Paragraph(("chữ",)), good, "x"]) == [  # type: ignore[arg-type]
        "khối 1: các run của Paragraph phải là Run chứa chữ (str)",
        "khối 3: str không phải một loại khối; dùng Heading, Paragraph, BulletList, Table, "
        "Image, Chart hoặc PageBreak (tongket.core.blocks)",
    ]


class Chapter(Section):
    """A section class of its own, with its own label and depth: never the short way."""

    @property
    def label(self) -> str:
        return f"Chương {self.number}"

    @property
    def level(self) -> int:
        return 4


_NUMBERS = [
    "",
    "2.",
    "2.1.",
    "2.1.3.",
    "1.2.3.4.5.",
    "I.",
    "2. 1.",
    "2.\xa01.",
    "a)",
    ". .",
    "..",
    "2.\t.",
    "2. .",
    "3.\u3000.",
]


def test_section_level_and_label_keep_their_rules_on_every_kind_of_number() -> None:
    # `Section.level` counts the parts of a number without whitespace in C; every other
    # number takes the rule itself: its non-blank parts, between 1 and 4.
    for number in _NUMBERS:
        for heading in ("", "Kết quả"):
            section = Section("free-text", number, heading)
            parts = [part for part in number.split(".") if part.strip()]
            assert section.level == max(1, min(len(parts), 4)), number
            expected = " ".join(part for part in (number, heading) if part) or "free-text"
            assert section.label == expected


def test_rendered_headings_and_error_blocks_use_the_sections_own_level_and_label() -> None:
    host = PluginHost.default()
    sections = [
        Section("free-text", number, heading, {"text": "Câu."}, 1)
        for number in _NUMBERS
        for heading in ("", "Kết quả")
    ]
    sections.append(Chapter("free-text", "2.", "Chương hai", {"text": "Câu."}, 1))
    result = render_document(_project(*sections), host)
    for section, section_result in zip(sections, result.sections, strict=True):
        first = section_result.blocks[0]
        if section.heading:
            assert first == Heading(section.heading, section.level, section.number)
    assert result.sections[-1].blocks[0].level == 4
    # An unknown type's error block names the section as `label` does.
    missing = [dataclasses.replace(section, type="khong-co") for section in sections[:-1]]
    missing.append(Chapter("khong-co", "2.", "Chương hai"))
    missing.append(Section("khong-co", Words("3."), Words("Ba")))
    result = render_document(_project(*missing), host)
    for section, section_result in zip(missing, result.sections, strict=True):
        assert section_result.blocks[0].section == section.label
    assert result.sections[-2].blocks[0].section == "Chương 2."


_SECTION_TOML = """schema_version = 1

[[sections]]
type = "free-text"
number = "1."
heading = "Mở đầu"
version = 1

[sections.data]
text = "Câu."

[[sections]]
{second}
"""


def _read_second(lines: str):
    return store.loads(_SECTION_TOML.format(second=lines), "r.toml").sections[1]


def test_read_section_short_way_builds_the_same_section() -> None:
    usual = _read_second(
        'type = "free-text"\nnumber = "2."\nheading = "Hai"\nversion = 1\n'
        'table = "appendix"\nguidance = "Ghi"\ndata = { text = "Câu." }'
    )
    assert usual == Section("free-text", "2.", "Hai", {"text": "Câu."}, 1, "appendix", "Ghi")
    assert _read_second('type = "free-text"') == Section("free-text")


def test_read_section_unusual_values_still_named_by_key_and_line() -> None:
    cases = {
        'type = "free-text"\nversion = true': ("sections.2.version", 14, "giá trị đúng/sai"),
        'type = "free-text"\nversion = "1"': ("sections.2.version", 14, "một số nguyên"),
        'type = "free-text"\nheading = 5': ("sections.2.heading", 14, "một chuỗi văn bản"),
        'type = "free-text"\nnumber = 2': ("sections.2.number", 14, "một chuỗi văn bản"),
        'type = "free-text"\nguidance = []': ("sections.2.guidance", 14, "một chuỗi văn bản"),
        'type = "free-text"\ntable = "cuoi"': ("sections.2.table", 14, "gặp 'cuoi'"),
        'type = "free-text"\ntable = 1': ("sections.2.table", 14, "một chuỗi văn bản"),
        'type = "free-text"\ndata = 3': ("sections.2.data", 14, "một bảng dữ liệu"),
        "type = 7": ("sections.2.type", 13, "một chuỗi văn bản"),
        'number = "2."': ("sections.2", 12, "thiếu khóa 'type'"),
    }
    for lines, (key, line, words) in cases.items():
        with pytest.raises(ReportFileError) as caught:
            _read_second(lines)
        assert (caught.value.key, caught.value.line) == (key, line), lines
        assert words in str(caught.value), lines


class Answering:
    """A section type whose validate and render hooks give back what the test sets."""

    problems: object = None
    blocks: object = None

    @hookimpl
    def tongket_section_types(self, register):
        register(SectionType("answering", "Trả lời", fields=(Field("title", "Tên"),)))

    @hookimpl
    def tongket_validate_section(self, data, context, section_type):
        assert section_type == "answering"
        return Answering.problems

    @hookimpl
    def tongket_render_section(self, data, context):
        return Answering.blocks


def _answering_host() -> PluginHost:
    host = PluginHost()
    host.load_builtins()
    host.add_plugin(Answering(), "answering")
    return host


def test_validate_and_render_keep_every_answer_checked() -> None:
    host = _answering_host()
    Answering.blocks = [Paragraph.of("Câu.")]
    for answer, expected in ((None, []), ([], [])):
        Answering.problems = answer
        assert host.validate("answering", {}, None, "1. A") == expected
    warning = Problem(("title",), "ngắn", "warning")
    Answering.problems = [warning]
    assert host.validate("answering", {}, None, "1. A") == [warning]
    Answering.problems = (warning,)
    with pytest.raises(PluginFailure, match="cần trả về một danh sách Problem"):
        host.validate("answering", {}, None, "1. A")
    assert host.render("answering", {}, None, "1. A") == [Paragraph.of("Câu.")]
    Answering.blocks = None
    with pytest.raises(PluginFailure, match="không trả về khối nào") as caught:
        host.render("answering", {}, None, "1. A")
    assert (caught.value.plugin, caught.value.section) == ("answering", "1. A")
    for call in (host.validate, host.render):
        with pytest.raises(PluginFailure, match="chưa cài plugin cung cấp loại mục 'khong-co'"):
            call("khong-co", {}, None, "2. B")


def test_an_absent_field_is_skipped_only_when_optional() -> None:
    fields = (Field("title", "Tên"), Field("year", "Năm", kind="integer", required=True))
    found = check_fields(fields, {})
    assert [(problem.path, problem.message) for problem in found] == [
        (("year",), "bắt buộc: cần một số nguyên")
    ]
    assert check_fields(fields, {"title": None, "year": 2020}) == []


_TEXTS = [
    "Câu một.",
    "  Câu có khoảng trắng hai đầu.  ",
    "",
    "   ",
    "\xa0Câu\xa0",
    "Câu **đậm** và *nghiêng*.",
    "Số (\\*) ước",
    "Hai\n\nđoạn",
    "Một\ndòng",
    "Tab\there",
    "Dẫn [[ct04]] ở đây",
]


def test_paragraphs_short_way_matches_splitting_and_parsing() -> None:
    for text in _TEXTS:
        full = [Paragraph(inline.parse_runs(part)) for part in inline.split_paragraphs(text)]
        assert inline.paragraphs(text) == full, repr(text)
    upper = str.upper
    assert inline.paragraphs("câu", upper) == [Paragraph((Run("CÂU"),))]  # expand still called


def test_long_lines_are_still_found_past_the_c_level_skips() -> None:
    long = "x" * 301
    types = {"answering": _answering_host().section_types["answering"]}
    sections = [
        _usual(1),
        Section("free-text", "2.", long, {"text": "a"}, 1),
        Section("free-text", long, "Ba", {"text": "a"}, 1),
        Section("answering", "4.", "Bốn", {"title": long}, 1),
    ]
    found = line_length_problems(_project(*sections), types)
    assert [problem.path for problem in found] == [
        ("sections", 1, "heading"),
        ("sections", 2, "number"),
        ("sections", 3, "data", "title"),
    ]
    assert line_length_problems(_project(_usual(1), sections[3]), {}) == []
    assert line_length_problems(_project(_usual(1), _usual(2)), types) == []


def test_a_heading_alone_is_still_warned_among_sections_that_print() -> None:
    sections = [_usual(1), Section("free-text", "2.", "Hai", {"text": ""}, 1), _usual(3)]
    result = render_document(_project(*sections), PluginHost.default())
    assert [(problem.path, problem.severity) for problem in result.problems] == [
        (("sections", 1), "warning")
    ]
    assert "mục 2. chỉ có tiêu đề" in result.problems[0].message
    assert result.body == [block for section in result.sections for block in section.blocks]


def test_a_hook_call_runs_under_the_limit_in_force(monkeypatch) -> None:
    limits: list[float] = []
    real = pluginhost.run_plugin_code

    def recording(function, limit, *rest):
        limits.append(limit)
        return real(function, limit, *rest)

    host = _answering_host()
    monkeypatch.setattr(pluginhost, "run_plugin_code", recording)
    Answering.problems = []
    monkeypatch.setenv("TONGKET_PLUGIN_TIMEOUT", "2")
    host.validate("answering", {}, None)
    with host.fixed_time_limit():
        monkeypatch.setenv("TONGKET_PLUGIN_TIMEOUT", "7")
        host.validate("answering", {}, None)
    host.validate("answering", {}, None)  # the environment read again
    host.timeout = 3.0
    host.validate("answering", {}, None)
    assert limits == [2.0, 2.0, 7.0, 3.0]
