"""One dispatch per walk over the block types: every consumer handles every block type.

Adding a block type to `tongket.core.render.blocks.BLOCK_TYPES` makes these tests name each consumer
(`BlockDispatch`) that still lacks a handler for it.
"""

from __future__ import annotations

import copy
import importlib
import pkgutil
import re

import pytest
from rich.text import Text

from tongket.core import SectionType, hookimpl
from tongket.core.checks import _PROSE
from tongket.core.render import vnformat
from tongket.core.render.blocks import (
    BLOCK_TYPES,
    DISPATCHES,
    Block,
    BlockDispatch,
    BulletList,
    Chart,
    ChartSeries,
    ErrorBlock,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Run,
    Table,
    UnknownBlockType,
    block_problems,
)
from tongket.core.render.document import render_document
from tongket.core.writers.docx_writer import DocxExportError, _BodyWriter
from tongket.core.writers.images import ImageFolders
from tongket.core.writers.textrender import block_lines, render_text
from tongket.testing import ContractError, check_section_type
from tongket.testing.contract import _STRINGS
from tongket.tui.preview import block_renderable, particulars_lines

#: One well-formed instance of every block type.
SAMPLES: dict[type, Block] = {
    Heading: Heading("Kết quả thực hiện", 1, "2."),
    Paragraph: Paragraph((Run("Năm 2021, "), Run("tăng", bold=True))),
    BulletList: BulletList(((Run("Thứ nhất"),), (Run("Thứ hai"),)), ordered=True),
    Table: Table(("Năm", "Số dự án"), (("2020", "1.409"),), caption="Bảng 1", note="Ghi chú"),
    Image: Image("khong-co.png", caption="Hình 1"),
    Chart: Chart(
        "Kim ngạch xuất khẩu",
        ("2019", "2020"),
        (ChartSeries("Kim ngạch xuất khẩu", (1080.0, 1409.0)),),
        unit="triệu USD",
        caption="Kim ngạch xuất khẩu giai đoạn 2019 – 2020",
    ),
    PageBreak: PageBreak(),
    ErrorBlock: ErrorBlock("dau-tu", "2.", "tongket_render_section", "KeyError: 'year'"),
}

#: The consumers the issue named; each must keep its dispatch.
CONSUMERS = {
    "tongket.core.render.blocks.block_problems",
    "tongket.core.writers.textrender.block_lines",
    "tongket.tui.preview.block_renderable",
    "tongket.core.writers.docx_writer._BodyWriter.block_parts",
    "tongket.testing.contract._text_problem",
    "tongket.core.checks.citation_problems",
}


def tongket_dispatches() -> dict[str, BlockDispatch]:
    """Every dispatch of tongket, after importing all its modules (a new one shows up too)."""
    for package in ("core", "plugins", "testing", "tui"):
        module = importlib.import_module(f"tongket.{package}")
        for info in pkgutil.walk_packages(module.__path__, f"tongket.{package}."):
            importlib.import_module(info.name)
    block_renderable(PageBreak())  # the preview builds its dispatch with the first preview
    return {name: dispatch for name, dispatch in DISPATCHES.items() if name.startswith("tongket.")}


def writer() -> _BodyWriter:
    return _BodyWriter(None, ImageFolders.for_report(None))


def test_every_block_type_has_a_sample():
    assert set(SAMPLES) == set(BLOCK_TYPES)


def test_every_dispatch_handles_every_block_type():
    dispatches = tongket_dispatches()
    assert dispatches.keys() >= CONSUMERS
    missing = {
        name: [block_type.__name__ for block_type in dispatch.missing()]
        for name, dispatch in dispatches.items()
        if dispatch.missing()
    }
    assert missing == {}, "add a handler for these block types to these dispatches"


@pytest.mark.parametrize("block_type", BLOCK_TYPES, ids=lambda block_type: block_type.__name__)
def test_each_consumer_handles_an_instance(block_type):
    block = SAMPLES[block_type]
    assert block_problems([block]) == []
    lines = block_lines(block)
    assert lines and all(isinstance(line, str) for line in lines)
    assert block_renderable(block) is not None
    xml = "".join(writer().block_parts(block))
    assert xml.startswith(("<w:p>", "<w:p ", "<w:tbl>"))
    assert all(isinstance(text, str) for text in _STRINGS[block_type](block))
    assert _PROSE[block_type](block) in (None, "2. Kết quả thực hiện", "Năm 2021, tăng")


def test_an_unknown_block_is_named_by_every_consumer():
    class Chart:
        pass

    assert block_problems([Chart()]) == [
        "khối 1: Chart không phải một loại khối; dùng Heading, Paragraph, BulletList, Table, "
        "Image, Chart hoặc PageBreak (tongket.core.blocks)"
    ]
    with pytest.raises(UnknownBlockType, match=r"textrender\.block_lines has no handler for Chart"):
        block_lines(Chart())  # type: ignore[arg-type]
    with pytest.raises(DocxExportError, match="không được hỗ trợ: Chart"):
        writer().block_parts(Chart())  # type: ignore[arg-type]
    shown = block_renderable(Chart())  # type: ignore[arg-type]
    assert isinstance(shown, Text) and "Chart" in shown.plain
    with pytest.raises(UnknownBlockType):
        _STRINGS[Chart]
    # Unknown classes are not remembered: objects of any class must not grow the table.
    assert Chart not in _STRINGS


def test_a_subclass_uses_its_base_handler_once_looked_up():
    class Note(Paragraph):
        pass

    dispatch = BlockDispatch("test.subclass", {Paragraph: lambda block: "paragraph"})
    assert dispatch[Note](Note.of("x")) == "paragraph"
    assert dict.__contains__(dispatch, Note)  # next time a plain dict lookup
    assert dispatch.missing() == [t for t in BLOCK_TYPES if t is not Paragraph]
    assert block_lines(Note.of("Ghi chú")) == ["Ghi chú"]


# -- block_problems: what is wrong with a table ------------------------------------------------


def test_a_numeric_cell_is_named_with_its_place_type_and_the_formatters():
    table = Table(("Năm", "Số dự án"), (("2020", "3"), ("2021", 1409)))
    [problem] = block_problems([Paragraph.of("x"), table])
    assert problem.startswith("khối 2: dòng 2, ô 2 của Table là int 1409, ")
    assert "ô bảng phải là chữ (str)" in problem
    assert "tongket.core.vnformat (context.fmt" in problem
    named = re.findall(r"(\w+)\(\)", problem)
    assert named and set(named) <= set(vnformat.__all__)  # the message names real formatters


def test_a_numeric_header_cell_is_named():
    [problem] = block_problems([Table(("Năm", 2021), ())])
    assert problem.startswith("khối 1: ô tiêu đề 2 của Table là int 2021, ")


def test_a_wrong_cell_count_keeps_its_own_message():
    table = Table(("Năm",), (("2020", "thừa"),))
    assert block_problems([table]) == ["khối 1: dòng 1 của Table có 2 ô, dòng tiêu đề có 1"]


def test_a_row_that_is_not_a_tuple_is_named():
    table = Table(("Năm",), ("2020", "2021"))  # type: ignore[arg-type]
    assert block_problems([table]) == [
        "khối 1: dòng 1 của Table là str '2020', nhưng mỗi dòng phải là một tuple các ô chữ"
    ]


def test_both_faults_of_one_table_are_reported_once_each():
    table = Table(("A", "B"), ((1.5, "x"), ("y",), (2, 3)))
    problems = block_problems([table])
    assert len(problems) == 2
    assert problems[0].startswith("khối 1: dòng 1, ô 1 của Table là float 1.5, ")
    assert problems[1] == "khối 1: dòng 2 của Table có 1 ô, dòng tiêu đề có 2"


class NumericTable:
    """A plugin that forgets to format its numbers."""

    @hookimpl
    def tongket_section_types(self, register):
        register(SectionType("so-lieu", "Số liệu"))

    @hookimpl
    def tongket_render_section(self, data):
        return [Table(header=("Năm", "Số dự án"), rows=(("2021", 15),))]


def test_the_contract_reports_a_numeric_cell():
    with pytest.raises(ContractError) as raised:
        check_section_type(NumericTable(), docx=False)
    assert "khối 1: dòng 1, ô 2 của Table là int 15" in str(raised.value)


# -- the letterhead lines are composed once ------------------------------------------------------


@pytest.mark.parametrize("kind", ["cong-van", "bao-cao"])
def test_preview_and_text_print_the_same_letterhead(sample_project, host, kind):
    project = copy.deepcopy(sample_project)
    project.document.kind = kind
    document = project.document
    text = render_text(render_document(project, host))
    header = "\n".join(particulars_lines("header", document))
    recipients = "\n".join(particulars_lines("recipients", document))
    assert text.startswith(f"{header}\n\n{recipients}\n\n")
    assert "\n".join(particulars_lines("distribution", document)) in text
    assert ("BÁO CÁO" in header) == (kind == "bao-cao")
