"""`tongket new TRA-LOI.docx --outline …`: a reply form in Word, filled in Word, read back.

The loop a coordinator runs with bodies that do not use tongket: the form carries a blank table
for every section that wants figures (`tongket_outline_form`); the body types into the cells
(here with python-docx, as Word would save them); `merge` reads the tables back
(`tongket_outline_read_tables`) and adds the figures to another body's.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest
from docx import Document

from tongket.core import SectionType, hookimpl
from tongket.core.cli import main
from tongket.core.host.pluginhost import PluginHost
from tongket.core.report import store

OUTLINE = Path(str(resources.files("tongket.sample_data") / "de-cuong-mau.toml"))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(OUTLINE, tmp_path / "de-cuong.toml")
    return tmp_path


def tables_by_heading(document) -> dict[str, object]:
    return {"|".join(cell.text for cell in table.rows[0].cells): table for table in document.tables}


def fill(table, rows: list[list[str]]) -> None:
    """Type `rows` into the table's body rows from the first, as a clerk does in Word."""
    for row, values in zip(table.rows[1:], rows, strict=False):
        for cell, value in zip(row.cells, values, strict=True):
            if value:
                cell.text = value


def test_tongket_outline_form_gives_a_blank_table_per_wanted_list(folder, capsys):
    assert main(["new", "mau.docx", "--outline", "de-cuong.toml", "--body", "sttt"]) == 0
    assert "Đã tạo biểu mẫu trả lời mau.docx" in capsys.readouterr().out
    tables = tables_by_heading(Document("mau.docx"))
    economic = tables["Năm|Kim ngạch xuất khẩu (triệu USD)"]
    years = [row.cells[0].text for row in economic.rows[1:]]
    assert years[0] == "2010" and years[-1] == "2021 (ước)"  # past the cut-off: an estimate
    assert "Năm|Chiều|Đối tác|Nội dung làm việc" in tables  # required and wanted columns
    assert "Năm|Cơ quan|Số tin, bài" in tables
    assert all(cell.text == "" for row in economic.rows[1:] for cell in row.cells[1:])
    # Never over a file; a report file is .toml, a Word file only a form from an outline.
    assert main(["new", "mau.docx", "--outline", "de-cuong.toml", "--body", "sttt"]) == 2
    assert main(["new", "bao-cao.docx"]) == 2
    assert main(["new", "bao-cao.txt"]) == 2
    err = capsys.readouterr().err
    assert "tệp Word chỉ tạo theo đề cương (--outline)" in err
    assert "tệp báo cáo cần đuôi .toml" in err
    assert not Path("bao-cao.docx").exists() and not Path("bao-cao.txt").exists()


def test_a_form_filled_in_word_merges_with_a_tongket_reply(folder, capsys):
    assert main(["new", "sttt.docx", "--outline", "de-cuong.toml", "--body", "sttt"]) == 0
    document = Document("sttt.docx")
    tables = tables_by_heading(document)
    economic = tables["Năm|Kim ngạch xuất khẩu (triệu USD)"]
    for row in economic.rows[1:]:
        if row.cells[0].text in ("2019", "2020", "2021 (ước)"):
            row.cells[1].text = {"2019": "10", "2020": "12,5"}.get(row.cells[0].text, "15")
    fill(
        tables["Năm|Chiều|Đối tác|Nội dung làm việc"],
        [["2020", "Đoàn đến", "Tỉnh Champasak", "Trao đổi kinh nghiệm"]],
    )
    items = tables["Năm|Cơ quan|Số tin, bài"]
    items.rows[2].cells[1].text = "Báo Quảng Ngãi"
    items.rows[2].cells[2].text = "54"  # 2019 and 2021 left blank: nothing reported
    document.save("sttt.docx")

    assert main(["new", "sct.toml", "--outline", "de-cuong.toml", "--body", "sct"]) == 0
    sct = store.load("sct.toml")
    economic_section = next(s for s in sct.sections if s.type == "economic-results")
    for point in economic_section.data["indicators"][0]["series"]:
        if point["year"] == 2020:
            point["value"] = 1409
    store.save(sct, "sct.toml")
    capsys.readouterr()
    command = ["merge", "sct.toml", "sttt.docx", "--outline", "de-cuong.toml", "-o", "th.toml"]
    assert main(command) == 0
    err = capsys.readouterr().err
    for number in ("2.1.", "2.2.", "2.5."):
        assert f"mục {number}" in err and "số liệu đọc từ bảng Word" in err
    merged = store.load("th.toml")
    by_type = {section.type: section for section in merged.sections}
    series = by_type["economic-results"].data["indicators"][0]["series"]
    figures = {point["year"]: point.get("value") for point in series if "value" in point}
    assert figures == {2019: 10, 2020: 1421.5, 2021: 15}
    assert next(p for p in series if p["year"] == 2021)["estimated"] is True
    [visit] = by_type["partnerships"].data["delegations"]
    assert (visit["direction"], visit["partner"], visit["body"]) == (
        "den",
        "Tỉnh Champasak",
        "Sở Thông tin và Truyền thông",
    )
    assert by_type["media"].data["items"] == [
        {
            "year": 2020,
            "outlet": "Báo Quảng Ngãi",
            "count": 54,
            "body": "Sở Thông tin và Truyền thông",
        }
    ]


def test_a_word_reply_states_no_plan_it_did_not_write(folder, capsys):
    # The training type's default minimum ("ít nhất 02 lớp" a year) is a plan: a form filled
    # in Word never states one, so the imported section must not print it.
    assert main(["new", "sttt.docx", "--outline", "de-cuong.toml", "--body", "sttt"]) == 0
    document = Document("sttt.docx")
    fill(
        tables_by_heading(document)["Năm|Hình thức|Chủ đề|Lượt người tham dự"],
        [["2020", "Lớp tập huấn", "Hội nhập kinh tế", "120"]],
    )
    document.save("sttt.docx")
    assert main(["import", "sttt.docx", "--outline", "de-cuong.toml"]) == 0
    training = next(s for s in store.load("sttt.toml").sections if s.type == "training")
    assert training.data["classes"] == [
        {"year": 2020, "kind": "tap-huan", "topic": "Hội nhập kinh tế", "participants": 120}
    ]
    assert "min_per_year" not in training.data
    capsys.readouterr()
    assert main(["render", "sttt.toml"]) in (0, 1)
    out = capsys.readouterr().out
    assert "đã tổ chức 01 lớp tập huấn với 120 lượt người tham dự" in out
    assert "Theo kế hoạch" not in out


class BrokenForm:
    """A section type whose form hook breaks: its section is a heading, the form still made."""

    @hookimpl
    def tongket_section_types(self, register):
        register(SectionType("du-an", "Dự án"))

    @hookimpl
    def tongket_outline_form(self, wanted, request):
        raise RuntimeError("hỏng")


def test_a_plugin_whose_form_breaks_leaves_a_heading_and_a_warning(folder, capsys):
    outline = (folder / "de-cuong.toml").read_text(encoding="utf-8")
    outline += '\n[[sections]]\ntype = "du-an"\nnumber = "4."\nheading = "Dự án đầu tư"\n'
    (folder / "de-cuong.toml").write_text(outline, encoding="utf-8")
    with PluginHost.including(BrokenForm(), "du_an"):
        assert main(["new", "mau.docx", "--outline", "de-cuong.toml", "--body", "sct"]) == 0
    err = capsys.readouterr().err
    assert "mau.docx: mục 4. Dự án đầu tư: không có bảng để điền" in err and "hỏng" in err
    texts = [paragraph.text for paragraph in Document("mau.docx").paragraphs]
    assert "4. Dự án đầu tư" in texts
    assert "Năm|Kim ngạch xuất khẩu (triệu USD)" in tables_by_heading(Document("mau.docx"))


def test_the_forms_guidance_is_printed_in_italics_and_never_read_back_as_the_bodys(folder):
    assert main(["new", "sttt.docx", "--outline", "de-cuong.toml", "--body", "sttt"]) == 0
    document = Document("sttt.docx")
    guidance = [p for p in document.paragraphs if p.text.startswith("Hướng dẫn của cơ quan")]
    assert len(guidance) == 7  # one per outline section that has guidance
    assert all(run.italic for paragraph in guidance for run in paragraph.runs)
    first, *_others, last = guidance
    assert "Nêu các văn bản đã ban hành" in first.text
    # The body writes under the first, edits the last into its own words, keeps the others.
    written = first.insert_paragraph_before("Sở đã ban hành Kế hoạch số 12/KH-STTTT.")
    first._p.addnext(written._p)  # under the guidance, where the body types
    last.runs[0].text = last.runs[0].text.replace("Hướng dẫn của cơ quan chủ trì: ", "Theo: ")
    document.save("sttt.docx")

    assert main(["import", "sttt.docx", "--outline", "de-cuong.toml", "-o", "sttt.toml"]) == 0
    sections = {section.number: section for section in store.load("sttt.toml").sections}
    assert sections["1."].data["text"] == "Sở đã ban hành Kế hoạch số 12/KH-STTTT."
    assert sections["2.1."].data.get("template", "") == ""  # only the guidance was there
    assert sections["3."].data["text"].startswith("*Theo: Ưu điểm")  # changed: the body's
    assert sections["1."].guidance.startswith("Nêu các văn bản")  # kept where it belongs


def test_guidance_with_markup_characters_prints_as_written_and_still_reads_back(folder):
    # Guidance is written for the app, where it shows raw: its "[[…]]" and stars are no
    # citation and no emphasis in the form (an unknown citation would print an error block).
    outline = Path("de-cuong.toml")
    text = outline.read_text(encoding="utf-8").replace(
        'guidance = "Nêu các văn bản',
        'guidance = "Nêu [[ct04]], *các* văn bản (*) và các văn bản',
        1,
    )
    outline.write_text(text, encoding="utf-8")
    assert main(["new", "sttt.docx", "--outline", "de-cuong.toml", "--body", "sttt"]) == 0
    paragraphs = [p.text for p in Document("sttt.docx").paragraphs]
    assert not [p for p in paragraphs if "LỖI" in p]
    [shown] = [p for p in paragraphs if "ct04" in p]
    assert shown.startswith("Hướng dẫn của cơ quan chủ trì: Nêu [[ct04]], *các* văn bản (*) và")
    assert main(["import", "sttt.docx", "--outline", "de-cuong.toml", "-o", "sttt.toml"]) == 0
    [first] = [s for s in store.load("sttt.toml").sections if s.number == "1."]
    assert first.data["text"] == ""  # left as the form printed it: the coordinator's words
