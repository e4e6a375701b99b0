"""Word table and list structure read by `tongket import` (core/workflow/docx_reading.py,
docx_sections.py): rows and cells in content controls, rows starting at a later grid column,
vertical merges, and numbered sub-lists inside a section."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from tongket.core.workflow.docx_import import import_docx
from tongket.core.workflow.docx_reading import Grid, read_items
from tongket.core.workflow.docx_sections import table_data
from tongket.core.workflow.merge import merge_replies
from tongket.core.workflow.outline import load_outline
from tongket.core.workflow.replies import read_reply

OUTLINE = Path(str(resources.files("tongket.sample_data") / "de-cuong-mau.toml"))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

FIGURES = [
    ["Chỉ tiêu", "ĐVT", "2018", "2019", "2020"],
    ["Kim ngạch xuất khẩu", "triệu USD", "820", "1.080", "1.409"],
    ["Kim ngạch nhập khẩu", "triệu USD", "400", "500", "600"],
]


@pytest.fixture(scope="module")
def outline():
    return load_outline(OUTLINE)


def _table(document, rows: list[list[str]]):
    table = document.add_table(rows=len(rows), cols=max(len(row) for row in rows))
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=False):
            cell.text = value
    return table


def _wrap(element, tag: str = "sdt") -> None:
    """Put `element` (a w:tr or w:tc) inside a content control or custom XML element."""
    wrapper = etree.Element(f"{W}{tag}")
    element.addprevious(wrapper)
    if tag == "sdt":
        etree.SubElement(wrapper, f"{W}sdtPr")
        etree.SubElement(wrapper, f"{W}sdtContent").append(element)
    else:
        wrapper.append(element)


def _grid_before(row, count: int, first_cells: int) -> None:
    """Remove the row's first `first_cells` cells and say it starts `count` columns later."""
    tr = row._tr
    for cell in row.cells[:first_cells]:
        tr.remove(cell._tc)
    properties = tr.get_or_add_trPr()
    etree.SubElement(properties, f"{W}gridBefore").set(f"{W}val", str(count))


def _figures_document(path: Path, change) -> Path:
    """A reply with section 2.1 holding FIGURES; `change(table)` alters the Word table."""
    document = Document()
    document.add_paragraph("1. Công tác quán triệt, triển khai thực hiện Chỉ thị 04-CT/TW")
    document.add_paragraph("Đã quán triệt đầy đủ.")
    document.add_paragraph("2.1. Kết quả kinh tế đối ngoại")
    change(_table(document, FIGURES))
    document.add_paragraph("Số liệu năm 2020 là ước tính.")
    document.save(path)
    return path


def _series(path: Path, outline, host) -> dict[str, list[tuple[int, float]]]:
    result = import_docx(path, outline=outline, host=host)
    section = next(s for s in result.project.sections if s.number == "2.1.")
    assert section.type == "economic-results", result.notes
    return {
        indicator["name"]: [(p["year"], p["value"]) for p in indicator["series"] if "value" in p]
        for indicator in section.data["indicators"]
    }


EXPECTED = {
    "kim ngạch xuất khẩu": [(2018, 820), (2019, 1080), (2020, 1409)],
    "kim ngạch nhập khẩu": [(2018, 400), (2019, 500), (2020, 600)],
}


def _only_grid(path: Path) -> Grid:
    grids = [item for item in read_items(path) if isinstance(item, Grid)]
    assert len(grids) == 1
    return grids[0]


# -- 1. rows and cells inside content controls -----------------------------------------------------


@pytest.mark.parametrize("tag", ["sdt", "customXml"])
def test_a_row_in_a_content_control_is_read(tmp_path, outline, host, tag):
    path = _figures_document(tmp_path / "row.docx", lambda table: _wrap(table.rows[1]._tr, tag))
    assert table_data(_only_grid(path))["rows"] == FIGURES[1:]
    assert _series(path, outline, host) == EXPECTED


def test_a_cell_in_a_content_control_keeps_its_column(tmp_path, outline, host):
    # Dropping the 2018 cell moved 1.080 under 2018: the figures shifted a year.
    path = _figures_document(
        tmp_path / "cell.docx", lambda table: _wrap(table.rows[1].cells[2]._tc)
    )
    assert table_data(_only_grid(path))["rows"] == FIGURES[1:]
    assert _series(path, outline, host) == EXPECTED


def test_nested_content_controls_and_a_nested_table(tmp_path):
    document = Document()
    table = _table(document, FIGURES)
    tr = table.rows[2]._tr
    _wrap(tr)
    _wrap(tr.getparent().getparent(), "customXml")  # the sdt inside custom XML
    inner = table.rows[1].cells[0].add_table(rows=1, cols=2)
    inner.rows[0].cells[0].text = "lồng"
    document.save(tmp_path / "nested.docx")
    data = table_data(_only_grid(tmp_path / "nested.docx"))
    assert len(data["rows"]) == 2  # the nested table's row is its cell's, not the table's
    assert data["rows"][1] == FIGURES[2]
    assert data["rows"][0][0] == "Kim ngạch xuất khẩu\nlồng"


# -- 2. w:gridBefore / w:gridAfter -----------------------------------------------------------------


def test_grid_before_leaves_the_skipped_columns_empty(tmp_path):
    document = Document()
    table = _table(document, [["TT", "Chỉ tiêu", "2019", "2020"], ["1", "Xuất khẩu", "500", "600"]])
    _grid_before(table.rows[1], 1, 1)
    document.save(tmp_path / "before.docx")
    data = table_data(_only_grid(tmp_path / "before.docx"))
    assert data["rows"] == [["", "Xuất khẩu", "500", "600"]]


def test_grid_after_pads_the_row(tmp_path):
    document = Document()
    table = _table(document, [["Năm", "Xuất khẩu", "Nhập khẩu"], ["2019", "500", "300"]])
    tr = table.rows[1]._tr
    tr.remove(table.rows[1].cells[2]._tc)
    etree.SubElement(tr.get_or_add_trPr(), f"{W}gridAfter").set(f"{W}val", "1")
    # A second row starting two columns in and ending early: its one cell stays in column 2.
    row = table.add_row()
    row.cells[1].text = "700"
    _grid_before(row, 1, 1)
    tr = row._tr
    tr.remove(row.cells[-1]._tc)
    etree.SubElement(tr.get_or_add_trPr(), f"{W}gridAfter").set(f"{W}val", "1")
    document.save(tmp_path / "after.docx")
    grid = _only_grid(tmp_path / "after.docx")
    assert [len(row) for row in grid.rows] == [3, 3, 3]
    assert table_data(grid)["rows"] == [["2019", "500", ""], ["", "700", ""]]


def test_grid_before_keeps_figures_in_their_years(tmp_path, outline, host):
    # Without the TT cell, the import figures' name sat under "Chỉ tiêu"'s left neighbour and
    # 500 was read as 2018's: the import row was misread silently.
    rows = [["TT", *FIGURES[0]], ["1", *FIGURES[1]], ["2", *FIGURES[2]]]
    document = Document()
    document.add_paragraph("2.1. Kết quả kinh tế đối ngoại")
    _grid_before(_table(document, rows).rows[2], 1, 1)
    document.save(tmp_path / "silent.docx")
    assert _series(tmp_path / "silent.docx", outline, host) == EXPECTED


def test_a_hostile_grid_before_is_clamped(tmp_path):
    document = Document()
    table = _table(document, [["a", "b"], ["c", "d"]])
    etree.SubElement(table.rows[1]._tr.get_or_add_trPr(), f"{W}gridBefore").set(
        f"{W}val", "999999999999"
    )
    document.save(tmp_path / "huge.docx")
    grid = _only_grid(tmp_path / "huge.docx")
    assert len(grid.rows[1]) == 63 + 2


# -- 4. a numbered list inside a section is not the outline's sections -----------------------------

ITEMS = [
    "Xuất khẩu gạo đạt 200 triệu USD.",
    "Xuất khẩu thủy sản đạt 100 triệu USD.",
    "Xuất khẩu dăm gỗ đạt 50 triệu USD.",
]
PROPOSAL = "Sở đề nghị UBND tỉnh bố trí kinh phí xúc tiến thương mại."


def _list_numbering(document) -> str:
    """A one-level decimal list ("1.", "2.", …) in numbering.xml; returns its numId."""
    numbering = document.part.numbering_part.element
    abstract = etree.SubElement(numbering, f"{W}abstractNum")
    abstract.set(f"{W}abstractNumId", "77")
    level = etree.SubElement(abstract, f"{W}lvl")
    level.set(f"{W}ilvl", "0")
    for name, value in (("start", "1"), ("numFmt", "decimal"), ("lvlText", "%1.")):
        etree.SubElement(level, f"{W}{name}").set(f"{W}val", value)
    first_num = numbering.find(f"{W}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    num = etree.SubElement(numbering, f"{W}num")
    num.set(f"{W}numId", "77")
    etree.SubElement(num, f"{W}abstractNumId").set(f"{W}val", "77")
    return "77"


def _sublist_reply(path: Path, listed: bool) -> Path:
    """A reply whose section 2.1 lists items "1." to "3." (typed, or a Word list) after its
    table, before sections 2.2 and 3."""
    document = Document()
    document.add_paragraph("1. Công tác quán triệt, triển khai thực hiện Chỉ thị 04-CT/TW")
    document.add_paragraph("Đã quán triệt đầy đủ.")
    document.add_paragraph("2. Kết quả thực hiện")
    document.add_paragraph("2.1. Kết quả kinh tế đối ngoại")
    _table(document, FIGURES)
    document.add_paragraph("Trong đó:")
    num_id = _list_numbering(document) if listed else ""
    for number, text in enumerate(ITEMS, 1):
        item = document.add_paragraph(text if listed else f"{number}. {text}")
        if listed:
            numbering = etree.SubElement(item._p.get_or_add_pPr(), f"{W}numPr")
            etree.SubElement(numbering, f"{W}ilvl").set(f"{W}val", "0")
            etree.SubElement(numbering, f"{W}numId").set(f"{W}val", num_id)
    document.add_paragraph("2.2. Hợp tác với các địa phương, tổ chức nước ngoài")
    document.add_paragraph("Không có đoàn nào trong kỳ.")
    document.add_paragraph("3. Đánh giá chung, tồn tại, hạn chế và kiến nghị")
    document.add_paragraph(PROPOSAL)
    document.save(path)
    return path


@pytest.mark.parametrize("listed", [False, True], ids=["typed", "word-list"])
def test_a_numbered_list_stays_in_its_section(tmp_path, outline, host, listed):
    path = _sublist_reply(tmp_path / "sublist.docx", listed)
    result = import_docx(path, outline=outline, host=host)
    sections = result.project.sections
    assert [s.number for s in sections] == ["1.", "2.", "2.1.", "2.2.", "3."]
    last = sections[-1]
    assert last.heading == "Đánh giá chung, tồn tại, hạn chế và kiến nghị"
    assert last.data["text"] == PROPOSAL
    after = sections[2].data["after_tables"]
    assert after == "\n\n".join(["Trong đó:", *(f"{n}. {t}" for n, t in enumerate(ITEMS, 1))])
    notes = "\n".join(result.notes)
    assert (
        "dòng '3. Xuất khẩu dăm gỗ đạt 50 triệu USD.' là một ý của danh sách đánh số trong "
        "mục '2.1. Kết quả kinh tế đối ngoại', không phải mục 3. của đề cương" in notes
    )
    assert "không khớp mục nào" not in notes


def test_a_numbered_list_does_not_take_a_missing_section(tmp_path, outline):
    # Without the body's section 3, the list's "3." still is no section 3.
    document = Document()
    document.add_paragraph("1. Công tác quán triệt, triển khai thực hiện Chỉ thị 04-CT/TW")
    for number, text in enumerate(ITEMS, 1):
        document.add_paragraph(f"{number}. {text}")
    document.add_paragraph("2. Kết quả thực hiện")
    document.save(tmp_path / "missing.docx")
    result = import_docx(tmp_path / "missing.docx", outline=outline)
    assert [s.number for s in result.project.sections] == ["1.", "2."]
    first = result.project.sections[0]
    assert first.data["text"].split("\n\n") == [f"{n}. {t}" for n, t in enumerate(ITEMS, 1)]
    notes = "\n".join(result.notes)
    assert "đề cương có mục 3. Đánh giá chung, tồn tại, hạn chế và kiến nghị nhưng" in notes


def test_merge_keeps_the_body_section_after_a_numbered_list(tmp_path, outline, host):
    path = _sublist_reply(tmp_path / "sct.docx", listed=False)
    reply = read_reply(path, outline, tmp_path, host)
    merged = merge_replies(outline, [reply], host, base=tmp_path).project
    last = next(s for s in merged.sections if s.number == "3.")
    assert PROPOSAL in last.data["text"]
    assert "dăm gỗ" not in last.data["text"]
    economic = next(s for s in merged.sections if s.number == "2.1.")
    assert "3. Xuất khẩu dăm gỗ" in str(economic.data)


# -- 3. vertical merges ----------------------------------------------------------------------------

DELEGATIONS = [
    ["Năm", "Chiều", "Đối tác", "Nội dung làm việc"],
    ["2019", "Đón đoàn đến", "Tỉnh Champasak (Lào)", "Thăm và làm việc"],
    ["", "Cử đoàn đi", "Tỉnh Attapeu (Lào)", "Khảo sát thị trường"],
    ["", "Cử đoàn đi", "Tỉnh Savannakhet (Lào)", "Hội chợ"],
    ["2020", "Cử đoàn đi", "Tỉnh Gyeonggi (Hàn Quốc)", "Xúc tiến đầu tư"],
]


def _merged_years(path: Path) -> Path:
    document = Document()
    document.add_paragraph("2.2. Hợp tác với các địa phương, tổ chức nước ngoài")
    table = _table(document, DELEGATIONS)
    table.cell(1, 0).merge(table.cell(3, 0))  # vMerge restart, continue, continue
    document.save(path)
    return path


def test_a_year_merged_down_is_repeated_in_each_row(tmp_path):
    data = table_data(_only_grid(_merged_years(tmp_path / "merged.docx")))
    assert [row[0] for row in data["rows"]] == ["2019", "2019", "2019", "2020"]
    assert data["rows"][2][1:] == DELEGATIONS[3][1:]


def test_merged_years_read_into_delegations(tmp_path, outline, host):
    result = import_docx(_merged_years(tmp_path / "merged.docx"), outline=outline, host=host)
    section = next(s for s in result.project.sections if s.number == "2.2.")
    assert section.type == "partnerships", result.notes
    years = [(d["year"], d["partner"], d.get("place")) for d in section.data["delegations"]]
    # A place in brackets after the partner is its place, as in tongket's own table.
    assert years == [
        (2019, "Tỉnh Champasak", "Lào"),
        (2019, "Tỉnh Attapeu", "Lào"),
        (2019, "Tỉnh Savannakhet", "Lào"),
        (2020, "Tỉnh Gyeonggi", "Hàn Quốc"),
    ]


def test_a_merge_from_the_header_row_stays_empty_below(tmp_path):
    document = Document()
    table = _table(
        document, [["Chỉ tiêu", "Năm", ""], ["", "2019", "2020"], ["Xuất khẩu", "500", "600"]]
    )
    table.cell(0, 0).merge(table.cell(1, 0))  # a two-row header's label
    table.cell(0, 1).merge(table.cell(0, 2))
    document.save(tmp_path / "header.docx")
    data = table_data(_only_grid(tmp_path / "header.docx"))
    assert data["header"] == ["Chỉ tiêu", "Năm", ""]
    assert data["rows"] == [["", "2019", "2020"], ["Xuất khẩu", "500", "600"]]
