"""Unusual inputs thrown at the fast paths of the start-up and of a short section.

The hand reader of plain command lines (`cli._plain_arguments`) and the short cuts of a
section's way to the page (`render_section`, the hook call, `copy_data`, `check_fields`,
`text_problems`, the DOCX writer) must say exactly what the full way says. Each test here
pins one input that a careless change or a hostile file could use to make them differ.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import ClassVar

import pytest

from tongket.core import Field, Problem, SectionType, cli, hookimpl
from tongket.core.checks import text_problems
from tongket.core.host.fieldcheck import check_fields
from tongket.core.host.pluginhost import PluginHost
from tongket.core.render.blocks import Paragraph, Run
from tongket.core.render.document import render_document
from tongket.core.report.model import Citation, Particulars, Project, Section, Signer
from tongket.core.writers.docx_writer import _paragraph_xml

# -- the command line ------------------------------------------------------------------------


def _argparse_reading(argv: list[str]) -> dict | tuple:
    """What argparse alone makes of `argv` (the parser `main` would build), or its exit."""
    wanted = next((word for word in argv if word in cli.COMMANDS), None)
    try:
        return vars(cli.build_parser(wanted).parse_args(argv))
    except SystemExit as leaving:
        return ("exit", leaving.code)


ATTACKS = [
    ["export", "b\udcffo.toml"],  # a file name that is not UTF-8 (surrogateescape)
    ["export", "r.toml", "-o", "a\udcff.docx"],
    ["export", "r.toml", "-o", "a.docx", "-o", "b.docx"],  # the last one wins, as in argparse
    ["export", " -o", "r.toml"],  # a space first: a file name to argparse
    ["export", "r.toml", "-o", "-1"],  # a value starting with "-": argparse decides
    ["export", "-1"],
    ["export", "r.toml", "-o", "-my file.docx"],  # argparse takes a spaced "-…" as a value
    ["export", "r.toml", "--keep"],
    ["export", "r.toml", "--review="],
    ["export", "r.toml", "--pdf=1"],
    ["export", "--pdf"],  # a file named like a switch is a switch
    ["check", "-h", "r.toml"],
    ["render", "r.toml", "--version"],
    ["export", "r.toml", "check"],  # a second positional, named like a command
    ["--debug", "check", "--debug", "r.toml"],
    ["export", "r.toml", "-o", ""],
]


@pytest.mark.parametrize("argv", ATTACKS, ids=repr)
def test_the_hand_reader_accepts_only_what_argparse_reads_the_same(argv, capsys):
    plain = cli._plain_arguments(argv)
    reading = _argparse_reading(argv)
    capsys.readouterr()
    if plain is not None:
        assert vars(plain) == reading


def test_no_short_command_line_is_read_differently_by_hand(capsys):
    """Every command line of up to three words after the command, from words chosen to sit on
    the edges of the plain form: what the hand reader accepts, argparse reads the same."""
    words = ["r.toml", "-o", "--output", "--pdf", "--keep-going", "--review", "", "-", "--"]
    words += ["--out", "-oX", "--output=X", "--debug", "-h", "-V", "x y", "check"]
    accepted = 0
    for command in ("export", "check", "render"):
        for size in range(4):
            for rest in itertools.product(words, repeat=size):
                argv = [command, *rest]
                plain = cli._plain_arguments(argv)
                if plain is None:
                    continue
                accepted += 1
                assert vars(plain) == _argparse_reading(argv), argv
    capsys.readouterr()
    assert accepted > 100  # the hand reader did read a good share of them


# -- a section's way to the page -----------------------------------------------------------


class Sharing:
    """A plugin that keeps what it returned and changes it afterwards, takes its hooks'
    arguments in its own order or as **kwargs, and changes the data it is given."""

    problems: ClassVar[list[Problem]] = []
    answers: ClassVar[list[Paragraph]] = []

    @hookimpl
    def tongket_section_types(self, register):
        register(SectionType("sharing", "Dùng chung", fields=(Field("title", "Tên"),)))

    @hookimpl
    def tongket_validate_section(self, context, data):  # the hook's order reversed
        return Sharing.problems  # the same (empty) list each time

    @hookimpl
    def tongket_render_section(self, data, **kwargs):  # pluggy passes `data` alone
        # What was returned before is changed now: the host must not have kept it.
        Sharing.problems.append(Problem(("title",), "thêm sau khi trả về", "warning"))
        data["title"] = "đổi"
        if isinstance(data.get("nested"), dict):
            data["nested"]["count"] = 99
        if isinstance(data.get("grid"), tuple):
            data["grid"][1].append("thêm")
        Sharing.answers.append(Paragraph((Run(f"lần {len(Sharing.answers) + 1}"),)))
        return Sharing.answers


def test_what_a_plugin_keeps_and_changes_after_returning_reaches_neither_page_nor_draft():
    Sharing.problems, Sharing.answers = [], []
    host = PluginHost()
    host.load_builtins()
    host.add_plugin(Sharing(), "sharing")
    nested = {"count": 1}
    grid = ("a", ["b"])
    sections = [
        Section("sharing", heading="Một", data={"title": "x", "nested": nested}),
        Section("sharing", number="2.", data={"title": "y", "grid": grid}),
    ]
    rendered = render_document(Project(Particulars(), {}, sections), host)
    first, second = rendered.sections
    assert [block.text for block in first.blocks] == ["Một", "lần 1"]
    assert [block.text for block in second.blocks] == ["2. lần 1", "lần 2"]
    # The warning appended after the first validation belongs to the second answer only.
    assert first.problems == []
    assert [(problem.path, problem.severity) for problem in second.problems] == [
        (("sections", 1, "data", "title"), "warning")
    ]
    # The draft keeps its data, nested tables and tuples included.
    assert sections[0].data == {"title": "x", "nested": {"count": 1}} and nested["count"] == 1
    assert sections[1].data["title"] == "y" and grid == ("a", ["b"])


def test_fields_tuples_rebuilt_for_every_call_are_each_checked_by_their_own_names():
    """`check_fields` keeps each fields tuple's names by the tuple's id: tuples made afresh
    (more than the cache holds) must never be read with another tuple's names."""
    for count in range(600):
        name = f"field{count}"
        fields = (Field(name, "Tên", required=True),)  # a new tuple each time
        assert check_fields(fields, {name: "có"}) == []
        assert check_fields(fields, {"other": "có"}) == [
            Problem(("other",), "khóa không được biết"),
            Problem((name,), "bắt buộc: cần một dòng văn bản"),
        ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ["bắt buộc: cần một dòng văn bản"]),
        (7, ["cần một dòng văn bản, gặp 7"]),
        (["a"], ["cần một dòng văn bản, gặp một danh sách"]),
        ("có", []),
    ],
)
def test_a_text_field_is_skipped_only_when_it_holds_a_filled_string(value, expected):
    fields = (Field("title", "Tên", required=True), Field("note", "Ghi chú", kind="longtext"))
    problems = check_fields(fields, {"title": value, "note": value})
    assert [problem.message for problem in problems if problem.where == "title"] == expected


def test_a_bidi_character_outside_the_data_is_still_found():
    """`text_problems` skips the file's table when every string is plain: the strings it
    looks at must include the number, the table placement, the citations and the signer."""
    rlo = "\u202e"
    citation = Citation("Chỉ thị", "04-CT/TW", dt.date(2011, 7, 6), "Ban Bí thư", f"về{rlo} x")
    sections = [
        Section("free-text", number=f"1.{rlo}", data={"text": "Sạch."}),
        Section("free-text", table=f"none{rlo}", data={"text": "Sạch."}),
    ]
    document = Particulars(agency="SỞ", signer=Signer(name=f"Võ{rlo} Văn"))
    project = Project(document, {"ct": citation}, sections)
    assert {problem.path for problem in text_problems(project)} == {
        ("document", "signer", "name"),
        ("citations", "ct", "title"),
        ("sections", 0, "number"),
        ("sections", 1, "table"),
    }


@pytest.mark.parametrize(
    ("runs", "expected"),
    [
        ((Run("a > b \"c\" ]]> 'd' & <e>"),), "a &gt; b \"c\" ]]&gt; 'd' &amp; &lt;e&gt;"),
        ([Run("danh sách")], "danh sách"),  # runs given as a list
        ((Run(""),), None),  # an empty run writes no run at all
        ((Run("", bold=True),), None),
    ],
)
def test_a_one_run_paragraph_is_written_as_the_run_loop_writes_it(runs, expected):
    xml = _paragraph_xml(Paragraph(runs))
    if expected is None:
        assert "<w:r>" not in xml and "<w:t" not in xml
    else:
        assert f'<w:t xml:space="preserve">{expected}</w:t>' in xml


def test_a_bold_italic_single_run_keeps_its_formatting():
    xml = _paragraph_xml(Paragraph((Run("đậm", bold=True, italic=True),)))
    assert '<w:r><w:rPr><w:b/><w:i/></w:rPr><w:t xml:space="preserve">đậm</w:t></w:r>' in xml
