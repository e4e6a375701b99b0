"""Import reads what Word prints: text hidden by a style (a character or paragraph style's
w:vanish, through w:basedOn, or the document defaults) is left out and named like text hidden
on its run; a footnote in a figures table's cell does not keep the figure from being read."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from word_replies import NS, reply_docx, run_xml, small_reply, with_footnotes

from tongket.core.host.pluginhost import PluginHost
from tongket.core.report.model import Section
from tongket.core.workflow.docx_import import import_docx
from tongket.core.workflow.docx_inline import note_insertion, split_note_insertions
from tongket.core.workflow.docx_reading import Grid, read_items, reading_notes
from tongket.core.workflow.outline import load_outline

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HIDDEN_NOTE = "bỏ chữ ẩn (Word không hiển thị, không in)"
#: Styles as a body's template may define them: a hidden character style based on another
#: (the w:vanish is on the base), a hidden paragraph style, a style that shows again what its
#: base hides, and two styles based on each other (a loop Word never writes).
STYLES = (
    '<w:style w:type="character" w:styleId="HiddenBase"><w:name w:val="Hidden Base"/>'
    "<w:rPr><w:vanish/></w:rPr></w:style>"
    '<w:style w:type="character" w:styleId="Secret"><w:name w:val="Secret"/>'
    '<w:basedOn w:val="HiddenBase"/><w:rPr><w:b/></w:rPr></w:style>'
    '<w:style w:type="character" w:styleId="Shown"><w:name w:val="Shown"/>'
    '<w:basedOn w:val="HiddenBase"/><w:rPr><w:vanish w:val="off"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="DraftNote"><w:name w:val="Draft Note"/>'
    '<w:basedOn w:val="Normal"/><w:rPr><w:vanish/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="DraftNoteChild"><w:name w:val="Draft Note Child"/>'
    '<w:basedOn w:val="DraftNote"/></w:style>'
    '<w:style w:type="character" w:styleId="LoopA"><w:name w:val="Loop A"/>'
    '<w:basedOn w:val="LoopB"/></w:style>'
    '<w:style w:type="character" w:styleId="LoopB"><w:name w:val="Loop B"/>'
    '<w:basedOn w:val="LoopA"/></w:style>'
)


def _styled(style: str) -> str:
    return f'<w:rPr><w:rStyle w:val="{style}"/></w:rPr>'


def _reply(
    path: Path,
    runs_xml: str,
    paragraph_style: str = "",
    in_table: bool = False,
    hidden_defaults: bool = False,
) -> Path:
    """`small_reply` with the styles of `STYLES`."""
    return small_reply(
        path,
        runs_xml,
        in_table=in_table,
        paragraph_style=paragraph_style,
        styles_xml=STYLES,
        hidden_defaults=hidden_defaults,
    )


def test_a_hidden_character_style_through_based_on_is_left_out_and_named(tmp_path):
    path = _reply(
        tmp_path / "an.docx",
        run_xml("đạt 1.409", _styled("Secret"))
        + run_xml("đạt 1.490")
        + run_xml(" tỷ", _styled("Shown")),
    )
    items = read_items(path)
    assert items[2].text == "Kết quả: đạt 1.490 tỷ"
    assert reading_notes(items) == [f"đoạn 3: {HIDDEN_NOTE}: 'đạt 1.409'"]
    result = import_docx(path)
    assert "1.409" not in str(result.project.sections)
    assert result.notes[0] == f"đoạn 3: {HIDDEN_NOTE}: 'đạt 1.409'"


@pytest.mark.parametrize("style", ["DraftNote", "DraftNoteChild"])
@pytest.mark.parametrize("shown", ['w:val="0"', 'w:val="false"', 'w:val="off"'])
def test_a_hidden_paragraph_style_hides_its_runs_unless_a_run_says_shown(tmp_path, style, shown):
    path = _reply(
        tmp_path / "p.docx",
        run_xml("nháp ") + run_xml("1.490 tỷ", f"<w:rPr><w:vanish {shown}/></w:rPr>"),
        paragraph_style=style,
    )
    items = read_items(path)
    assert items[2].text == "1.490 tỷ"
    assert reading_notes(items) == [f"đoạn 3: {HIDDEN_NOTE}: 'Kết quả: nháp'"]


def test_a_character_style_that_shows_text_shows_it_in_a_hidden_paragraph_style(tmp_path):
    path = _reply(
        tmp_path / "p.docx", run_xml("1.490", _styled("Shown")), paragraph_style="DraftNote"
    )
    assert read_items(path)[2].text == "1.490"


def test_hidden_document_defaults_hide_what_no_style_shows(tmp_path):
    # Normal (the default paragraph style) shows text again; a paragraph of the hidden style
    # and a run of a style hiding nothing on its own follow the defaults.
    shown = _reply(tmp_path / "d.docx", run_xml("đạt 1.490"), hidden_defaults=True)
    assert read_items(shown)[2].text == "Kết quả: đạt 1.490"
    path = _reply(tmp_path / "h.docx", run_xml("đạt 1.490"), "DraftNote", hidden_defaults=True)
    assert read_items(path)[2].text == ""
    assert reading_notes(read_items(path)) == [f"đoạn 3: {HIDDEN_NOTE}: 'Kết quả: đạt 1.490'"]


def test_a_based_on_loop_hides_nothing_and_ends(tmp_path):
    path = _reply(tmp_path / "l.docx", run_xml("đạt 1.490", _styled("LoopA")))
    items = read_items(path)
    assert items[2].text == "Kết quả: đạt 1.490"
    assert reading_notes(items) == []


def test_text_hidden_by_a_style_in_a_table_cell_names_table_row_and_column(tmp_path):
    path = _reply(tmp_path / "o.docx", run_xml("ẨN", _styled("Secret")), in_table=True)
    items = read_items(path)
    assert isinstance(items[2], Grid)
    assert items[2].rows[0][1].text == "Kết quả:"
    assert reading_notes(items) == [f"bảng 1, dòng 1, cột 2: {HIDDEN_NOTE}: 'ẨN'"]


# -- a footnote in a figures table's cell ------------------------------------------------------

OUTLINE = Path(str(resources.files("tongket.sample_data") / "de-cuong-mau.toml"))
FIGURES = {
    "header": ["TT", "Chỉ tiêu", "ĐVT", "2019", "2020"],
    "rows": [["1", "Kim ngạch xuất khẩu", "triệu USD", "1.080", "1.409"]],
}
FOOTNOTES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {NS}>'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
    + run_xml(" Số liệu ước (chưa kiểm toán).")
    + "</w:p></w:footnote></w:footnotes>"
)


def _figures_reply(path: Path, host: PluginHost) -> Path:
    section = Section(
        "free-text", "2.1.", "Kết quả kinh tế đối ngoại", {"text": "Kết quả.", "tables": [FIGURES]}
    )
    return with_footnotes(reply_docx(path, host, section), FOOTNOTES, mark_after="1.409")


def test_a_footnote_in_a_figures_cell_is_a_note_and_the_figure_is_read(tmp_path, host):
    path = _figures_reply(tmp_path / "fn.docx", host)
    result = import_docx(path, outline=load_outline(OUTLINE), host=host)
    [section] = [s for s in result.project.sections if s.number == "2.1."]
    assert section.type == "economic-results", result.notes
    [indicator] = section.data["indicators"]
    given = [(p["year"], p["value"]) for p in indicator["series"] if "value" in p]
    assert given == [(2019, 1080), (2020, 1409)]
    [note] = [note for note in result.notes if "tách khỏi số liệu" in note]
    assert note.endswith(
        "mục 2.1. Kết quả kinh tế đối ngoại: cảnh báo: bảng 1, dòng 2, cột '2020': chú thích "
        "cuối trang ở ô '1.409' được tách khỏi số liệu khi đọc bảng, nội dung chỉ giữ ở ghi "
        "chú này: 'Số liệu ước (chưa kiểm toán).'"
    )


def test_a_footnote_in_a_table_that_stays_a_table_keeps_its_brackets(tmp_path, host):
    # Without an outline the table is kept whole: the footnote's text stays in its cell.
    result = import_docx(_figures_reply(tmp_path / "fn.docx", host))
    [section] = [s for s in result.project.sections if s.number == "2.1."]
    assert section.data["tables"][0]["rows"][0][4] == (
        "1.409 (chú thích cuối trang: Số liệu ước (chưa kiểm toán).)"
    )


FOOT, END = "chú thích cuối trang", "chú thích cuối văn bản"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.409" + note_insertion(FOOT, "a (b) c"), ("1.409", [(FOOT, "a (b) c")])),
        ("1" + note_insertion(END, "x") + " tỷ", ("1 tỷ", [(END, "x")])),
        # A note whose text opens a bracket it never closes is left where it is.
        ("1.409 (chú thích cuối trang: mở ( không đóng)", None),
        ("1.409 (ước)", None),
    ],
)
def test_split_note_insertions_takes_out_only_whole_notes(text, expected):
    assert split_note_insertions(text) == (expected or (text, []))
