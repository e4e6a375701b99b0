"""A Word reply's figures tables read into the section type the outline asks for.

The reply is a Word file as a body that does not use tongket sends it (written here with
tongket's own export of a free-text report, and with python-docx as Word writes a table);
`import_docx(…, outline, host)` must make its economic section an economic-results section
whose figures count, or leave it free text with every table and say why.
"""

from __future__ import annotations

import re
import types
from importlib import resources
from pathlib import Path

import pytest
from word_replies import reply_docx

from tongket.core import SectionType, hookimpl
from tongket.core.cli import main
from tongket.core.host.pluginhost import PluginHost
from tongket.core.render.document import render_document
from tongket.core.report import store
from tongket.core.report.model import Project, Section
from tongket.core.workflow.docx_import import import_docx
from tongket.core.workflow.outline import load_outline
from tongket.core.writers.docx_writer import export_docx
from tongket.core.writers.textrender import render_text

OUTLINE = Path(str(resources.files("tongket.sample_data") / "de-cuong-mau.toml"))
FIGURES = {
    "header": ["TT", "Chỉ tiêu", "ĐVT", "2019", "2020", "2021 (ước)"],
    "rows": [["1", "Kim ngạch xuất khẩu", "triệu USD", "1.080", "1.409", "1.500"]],
}
TEXT = "Kim ngạch xuất khẩu năm 2020 đạt 1.409 triệu USD {cao nhất từ trước đến nay}."


def word_reply(path: Path, host: PluginHost, tables: list[dict], agency="SỞ CÔNG THƯƠNG") -> Path:
    """A reply to the sample outline in Word: the economic section's text and tables."""
    section = Section(
        "free-text", "2.1.", "Kết quả kinh tế đối ngoại", {"text": TEXT, "tables": tables}
    )
    return reply_docx(path, host, section, agency)


@pytest.fixture
def local_host() -> PluginHost:
    return PluginHost.builtins()


def economic(project: Project) -> Section:
    return next(section for section in project.sections if section.number == "2.1.")


def test_tongket_outline_read_tables_makes_a_word_replys_figures_count(tmp_path, local_host):
    path = word_reply(tmp_path / "sct.docx", local_host, [FIGURES])
    result = import_docx(path, outline=load_outline(OUTLINE), host=local_host)
    section = economic(result.project)
    assert section.type == "economic-results"
    [indicator] = section.data["indicators"]
    assert (indicator["name"], indicator["unit"]) == ("kim ngạch xuất khẩu", "triệu USD")
    given = [
        (p["year"], p["value"], p.get("estimated", False))
        for p in indicator["series"]
        if "value" in p
    ]
    assert given == [(2019, 1080, False), (2020, 1409, False), (2021, 1500, True)]
    # The body's own words stay its words: they replace the generated sentences, braces and all.
    assert section.data["template"] == TEXT.replace("{", "{{").replace("}", "}}")
    notes = "\n".join(result.notes)
    assert "mục 2.1. Kết quả kinh tế đối ngoại: số liệu đọc từ bảng Word" in notes
    assert "số liệu cần nhập lại" not in notes.split("mục 2.2.")[0]
    # The imported report renders (and saves) as the body wrote it, with its figures table.
    saved = tmp_path / "sct.toml"
    store.save(result.project, saved)
    project = store.load(saved)
    text = render_text(render_document(project, local_host))
    assert TEXT in text
    assert re.search(r"\| 2021 +\| +1\.500 \(ước\) \|", text)


def test_what_the_figures_read_warn_about_is_said_by_the_import(tmp_path, local_host):
    # A rate row left out of the figures was only said by a later `check`.
    with_rate = {
        "header": ["Chỉ tiêu", "2019", "2020"],
        "rows": [
            ["Kim ngạch xuất khẩu (triệu USD)", "1.080", "1.409"],
            ["Tăng so với năm trước (%)", "", "30,5"],
        ],
    }
    path = word_reply(tmp_path / "sct.docx", local_host, [with_rate])
    result = import_docx(path, outline=load_outline(OUTLINE), host=local_host)
    assert economic(result.project).type == "economic-results"
    [said] = [note for note in result.notes if "bảng Word không đọc vào số liệu" in note]
    assert re.match(r"đoạn \d+: mục 2\.1\. Kết quả kinh tế đối ngoại: cảnh báo: bảng Word", said)
    read = next(n for n in result.notes if "số liệu đọc từ bảng Word" in n)
    assert result.notes.index(read) < result.notes.index(said)  # what was read, then its warnings
    assert "('Tăng so với năm trước (%)')" in said


def test_without_a_host_or_an_outline_the_section_stays_free_text(tmp_path, local_host):
    path = word_reply(tmp_path / "sct.docx", local_host, [FIGURES])
    for result in (import_docx(path, outline=load_outline(OUTLINE)), import_docx(path)):
        section = economic(result.project)
        assert section.type == "free-text"
        assert section.data["tables"][0]["rows"][0][3] == "1.080"


def test_a_table_it_cannot_read_whole_stays_a_table_and_the_note_says_why(tmp_path, local_host):
    bad = {**FIGURES, "rows": [[*FIGURES["rows"][0][:4], "1.4o9", "1.500"]]}
    path = word_reply(tmp_path / "sct.docx", local_host, [bad])
    result = import_docx(path, outline=load_outline(OUTLINE), host=local_host)
    section = economic(result.project)
    assert section.type == "free-text"
    assert section.data["tables"][0]["rows"][0][4] == "1.4o9"  # every cell as Word had it
    assert section.data["text"] == TEXT
    assert any(
        "được nhập dưới dạng văn bản tự do: số liệu cần nhập lại vào loại mục đó "
        "(bảng 1, dòng 2, cột 2020: '1.4o9' không phải số)" in note
        for note in result.notes
    )


def test_figures_the_sections_own_check_refuses_keep_it_free_text(tmp_path, local_host):
    # 0 is no export figure (the economic check refuses it): the table is kept, not the 0.
    zero = {**FIGURES, "rows": [[*FIGURES["rows"][0][:3], "0", "1.409", "1.500"]]}
    path = word_reply(tmp_path / "sct.docx", local_host, [zero])
    result = import_docx(path, outline=load_outline(OUTLINE), host=local_host)
    assert economic(result.project).type == "free-text"
    assert any("số liệu đọc được chưa hợp lệ (" in note for note in result.notes)


class RaisingReader:
    """Takes the economic-results type's place as a plugin whose table reading breaks."""

    def __init__(self, answer) -> None:
        self.answer = answer

    @hookimpl
    def tongket_section_types(self, register):
        register(SectionType("du-an", "Dự án"))

    @hookimpl
    def tongket_outline_read_tables(self, wanted, tables, request):
        tables[0]["rows"].clear()  # a copy: the reply's own table is untouched
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (RuntimeError("hỏng"), "RuntimeError: hỏng"),
        (42, "cần trả về một bảng dữ liệu, một lý do, hoặc None"),
        (None, "loại mục 'du-an' không đọc bảng Word"),
    ],
)
def test_a_plugin_that_fails_reading_tables_leaves_the_section_as_it_was(
    tmp_path, local_host, answer, said
):
    local_host.add_plugin(RaisingReader(answer), "du_an")
    outline = tmp_path / "de-cuong.toml"
    outline.write_text(
        '[request]\nbody = "Sở Ngoại vụ Quảng Ngãi"\nsubject = "báo cáo tổng kết"\n'
        '[[sections]]\ntype = "du-an"\nnumber = "2.1."\nheading = "Kết quả kinh tế đối ngoại"\n',
        encoding="utf-8",
    )
    path = word_reply(tmp_path / "sct.docx", local_host, [FIGURES])
    result = import_docx(path, outline=load_outline(outline), host=local_host)
    section = economic(result.project)
    assert section.type == "free-text"
    assert section.data["tables"][0]["rows"][0][3] == "1.080"
    assert any(said in note for note in result.notes), result.notes


def test_tongket_outline_form_and_read_tables_of_the_docs_reference_plugin_work(local_host):
    text = (Path(__file__).resolve().parents[2] / "docs" / "plugins.md").read_text("utf-8")
    reference = text.partition("\n## Hook reference\n")[2]
    blocks = re.findall(r"^```python\n(.*?)^```", reference, re.MULTILINE | re.DOTALL)
    plugin = types.ModuleType("investment_docs")
    for name in ("tongket_section_types", "tongket_outline_form", "tongket_outline_read_tables"):
        (code,) = [b for b in blocks if re.search(rf"^def {name}\b", b, re.M) and "@hookimpl" in b]
        exec(code, plugin.__dict__)
    local_host.add_plugin(plugin)
    request = types.SimpleNamespace(years=[2020, 2021], period_to=2021)
    [form] = local_host.outline_form("investment", {}, request)
    assert form["rows"] == [["2020", ""], ["2021", ""]]
    table = {"header": form["header"], "rows": [["2020", "1.200"]]}  # filled in Word
    assert local_host.outline_read_tables("investment", {}, [table], None) == {
        "projects": [{"year": 2020, "count": 1200}]
    }
    table["rows"].append(["2021", "nhiều"])
    assert local_host.outline_read_tables("investment", {}, [table], None) == (
        "bảng 1, dòng 3: '2021', 'nhiều' không phải số"
    )


def test_merge_adds_up_a_word_replys_figures(tmp_path, local_host, capsys):
    outline = tmp_path / "de-cuong.toml"
    outline.write_text(OUTLINE.read_text(encoding="utf-8"), encoding="utf-8")
    word_reply(tmp_path / "sct.docx", local_host, [FIGURES])
    assert (
        main(["new", "--outline", str(outline), "--body", "skhdt", str(tmp_path / "kh.toml")]) == 0
    )
    reply = store.load(tmp_path / "kh.toml")
    for point in economic(reply).data["indicators"][0]["series"]:
        if point["year"] in (2019, 2020):
            point["value"] = 100
    store.save(reply, tmp_path / "kh.toml")
    target = tmp_path / "tong-hop.toml"
    arguments = [str(tmp_path / "sct.docx"), str(tmp_path / "kh.toml"), "--outline", str(outline)]
    assert main(["merge", *arguments, "-o", str(target)]) == 0
    assert "số liệu đọc từ bảng Word" in capsys.readouterr().err
    merged = economic(store.load(target)).data["indicators"][0]["series"]
    assert {p["year"]: p.get("value") for p in merged if "value" in p} == {
        2019: 1180,
        2020: 1509,
        2021: 1500,
    }


def test_a_report_tongket_exported_reads_back_its_own_figures(tmp_path, local_host, sample_path):
    # A body using tongket may still send Word: its printed table ("Năm | Kim ngạch xuất khẩu
    # (triệu USD) | Tăng so với năm trước (%)") reads back as the figures, the rate column
    # left out (it follows from them), never a second indicator.
    text = sample_path.read_text(encoding="utf-8")
    inline = re.sub(r'^table = "none".*$', 'table = "inline"', text, flags=re.MULTILINE)
    (tmp_path / "inline.toml").write_text(inline, encoding="utf-8")
    project = store.load(tmp_path / "inline.toml")
    export_docx(render_document(project, local_host), tmp_path / "sct.docx")
    result = import_docx(tmp_path / "sct.docx", outline=load_outline(OUTLINE), host=local_host)
    section = economic(result.project)
    assert section.type == "economic-results"
    [indicator] = section.data["indicators"]
    original = economic(project).data["indicators"][0]["series"]
    read = {p["year"]: p["value"] for p in indicator["series"] if "value" in p}
    assert read == {p["year"]: p["value"] for p in original}
