"""The media section (tuyên truyền): totals worked out by hand, checks, prose and tables.

The hand-worked data (Đài = Đài Phát thanh – Truyền hình, Báo = Báo Quảng Ngãi):
- 2018: Báo 8                    → 8
- 2019: Đài 12, Báo 30           → 42
- 2020: Đài 15, Báo 1.100 + 5    → 1.120 (two Báo rows for 2020 are added)
By outlet: Đài 12 + 15 = 27; Báo 8 + 30 + 1.105 = 1.143. In all 27 + 1.143 = 1.170.
"""

from __future__ import annotations

import copy
import datetime as dt
import io

import pytest

from tongket.core.render.blocks import Paragraph, Table
from tongket.core.render.citations import CitationBook
from tongket.core.render.context import RenderContext
from tongket.core.render.document import render_document
from tongket.core.report.model import Citation, Particulars, Project, Section
from tongket.plugins import media

DAI = "Đài Phát thanh – Truyền hình"
BAO = "Báo Quảng Ngãi"
QD1173_FULL = (
    "Quyết định số 1173/QĐ-UBND ngày 30/6/2016 của UBND tỉnh về việc phê duyệt Kế hoạch "
    "tuyên truyền về hội nhập kinh tế quốc tế tỉnh Quảng Ngãi"
)
CITATIONS = {
    "qd1173": Citation(
        "Quyết định",
        "1173/QĐ-UBND",
        dt.date(2016, 6, 30),
        "UBND tỉnh",
        "về việc phê duyệt Kế hoạch tuyên truyền về hội nhập kinh tế quốc tế tỉnh Quảng Ngãi",
    )
}


@pytest.fixture
def data() -> dict:
    return {
        "programmes": [
            {
                "name": "Quảng Ngãi hội nhập và phát triển",
                "outlets": [DAI, BAO],
                "since": 2016,
                "frequency": "thường xuyên",
                "decision": "qd1173",
            },
            {"name": "Kinh tế hội nhập", "outlets": [BAO], "since": 2018, "frequency": "hàng tuần"},
        ],
        "items": [
            {"year": 2020, "outlet": BAO, "count": 1100},
            {"year": 2019, "outlet": DAI, "count": 12},
            {"year": 2019, "outlet": BAO, "count": 30},
            {"year": 2020, "outlet": DAI, "count": 15},
            {"year": 2018, "outlet": BAO, "count": 8},
            {"year": 2020, "outlet": BAO, "count": 5},
        ],
    }


@pytest.fixture
def context() -> RenderContext:
    return RenderContext(
        document=Particulars(date=dt.date(2021, 4, 2)),
        section=Section(type="media", number="2.5."),
        citations=CitationBook(dict(CITATIONS)),
    )


def render(data: dict, context: RenderContext):
    return media.tongket_render_section(data, context)


def texts(blocks) -> list[str]:
    return [block.text for block in blocks if isinstance(block, Paragraph)]


def messages(problems, severity: str | None = None) -> list[tuple[str, str]]:
    return [
        (problem.where, problem.message)
        for problem in problems
        if severity is None or problem.severity == severity
    ]


# -- figures ---------------------------------------------------------------------------------


def test_totals_by_year_and_outlet_match_the_hand_worked_figures(data):
    summary = media.summarize(data)
    assert summary.years == (2018, 2019, 2020)
    assert summary.outlets == (DAI, BAO)  # the programmes' order, not the rows'
    assert summary.by_year == {2018: 8, 2019: 42, 2020: 1120}
    assert summary.by_outlet == {DAI: 27, BAO: 1143}
    assert summary.total == 1170
    assert summary.counts[2020, BAO] == 1105


def test_template_values(data):
    values = media.template_values(data)
    assert values["chuyen_muc"] == "“Quảng Ngãi hội nhập và phát triển” và “Kinh tế hội nhập”"
    assert values["so_chuyen_muc"] == "02"
    assert values["co_quan"] == f"{DAI} và {BAO}"
    assert values["quyet_dinh"] == "[[qd1173]]"
    assert values["tan_suat"] == "thường xuyên và hàng tuần"
    assert values["tu_nam"] == "2016"
    assert values["tong_tin_bai"] == "1.170"
    assert values["tin_bai"] == {"2018": "08", "2019": "42", "2020": "1.120"}  # a count, padded
    assert values["tin_bai_theo_co_quan"] == {DAI: "27", BAO: "1.143"}
    assert values["giai_doan"] == "2018 – 2020"
    assert (values["nam_dau"], values["nam_cuoi"]) == ("2018", "2020")
    assert values["chi_tiet_co_quan"] == f"{DAI} 27 tin, bài và {BAO} 1.143 tin, bài"


def test_every_placeholder_the_help_names_is_offered(data):
    listed = media.PLACEHOLDER_HELP.removeprefix("Chỗ trống: ").rstrip(".").split(", ")
    names = {name.strip("{}").split("[")[0] for name in listed}
    assert names == set(media.template_values(data))


def test_placeholders_exist_only_when_the_data_gives_them_a_value():
    values = media.template_values({"programmes": [{"name": "A", "outlets": [BAO]}], "items": []})
    assert set(values) == {"chuyen_muc", "so_chuyen_muc", "co_quan"}


# -- validation ------------------------------------------------------------------------------


def test_duplicate_year_and_outlet_is_a_warning_naming_the_first_row(data, context):
    assert messages(media.SECTION.validate(data, context)) == [
        ("items.6", "trùng năm 2020 và cơ quan 'Báo Quảng Ngãi' với dòng 1; hai số được cộng")
    ]


def test_unknown_decision_key_is_an_error_naming_it(data, context):
    data["programmes"][0]["decision"] = "qd1137"
    data["programmes"][1]["decision"] = "kh99"
    errors = messages(media.SECTION.validate(data, context), "error")
    assert errors == [
        (
            "programmes.1.decision",
            "văn bản dẫn 'qd1137' chưa được khai báo trong [citations]; có phải ý bạn là 'qd1173'?",
        ),
        (
            "programmes.2.decision",
            "văn bản dẫn 'kh99' chưa được khai báo trong [citations] (có: qd1173)",
        ),
    ]


def test_outlet_not_in_any_programme_is_a_warning_with_a_hint(data, context):
    data["items"][0]["outlet"] = "Báo Quảng Ngải"
    data["items"][1]["outlet"] = "Cổng thông tin điện tử tỉnh"
    warnings = messages(media.SECTION.validate(data, context), "warning")
    assert warnings[:2] == [
        (
            "items.1.outlet",
            "cơ quan 'Báo Quảng Ngải' không có trong chuyên mục nào; "
            "có phải ý bạn là 'Báo Quảng Ngãi'?",
        ),
        (
            "items.2.outlet",
            f"cơ quan 'Cổng thông tin điện tử tỉnh' không có trong chuyên mục nào "
            f"(có: {DAI}, {BAO})",
        ),
    ]


def test_shape_and_domain_errors_name_the_field(data, context):
    del data["programmes"][1]["outlets"]
    data["items"][2]["count"] = 2.5
    assert messages(media.SECTION.validate(data, context)) == [
        ("programmes.2.outlets", "bắt buộc: cần một danh sách chuỗi"),
        ("items.3.count", "cần một số nguyên, gặp 2.5"),
    ]
    data["programmes"][1]["outlets"] = [BAO]
    data["items"][2]["count"] = -3
    data["items"][3]["year"] = 2035
    data["programmes"][1]["since"] = 1800
    problems = media.SECTION.validate(data, context)
    assert messages(problems, "error") == [
        ("programmes.2.since", "cần một năm trong khoảng 1945–2100, gặp 1800"),
        ("items.3.count", "cần một số nguyên không âm (số tin, bài), gặp -3"),
    ]
    assert ("items.4.year", "năm 2035 sau năm ban hành văn bản (2021)") in messages(
        problems, "warning"
    )


def test_unknown_placeholder_and_malformed_template_name_them(data, context):
    data["template"] = "Có {tong_tin_bai} tin, bài; {tin_bai[2017]}; {so_bai}."
    errors = messages(media.SECTION.validate(data, context), "error")
    assert errors[0] == ("template", "{tin_bai[2017]}: không có khóa '2017' (có: 2018, 2019, 2020)")
    assert errors[1][1].startswith("chỗ trống không được biết: {so_bai} (có: chi_tiet_co_quan, ")
    data["template"] = "Có {tong_tin_bai} tin, bài}."
    [error] = messages(media.SECTION.validate(data, context), "error")
    assert error == (
        "template",
        "mẫu câu sai cú pháp: dấu '}' ở ký tự 27 không có cặp "
        "(viết '{{' hoặc '}}' nếu muốn in dấu ngoặc)",
    )


# -- rendering -------------------------------------------------------------------------------


def test_default_template_renders_the_figures(data, context):
    blocks = render(data, context)
    # Two programmes on other outlets, since other years, one under a decision: each said on
    # its own (one sentence once gave both the first's outlets, year and decision).
    assert texts(blocks) == [
        "Từ năm 2016, thực hiện thường xuyên chuyên mục “Quảng Ngãi hội nhập và phát triển” trên "
        f"{DAI} và {BAO} theo {QD1173_FULL}; từ năm 2018, thực hiện hàng tuần chuyên mục “Kinh "
        f"tế hội nhập” trên {BAO}. Giai đoạn 2018 – 2020, đã đăng tải, phát sóng 1.170 tin, bài, "
        f"trong đó {DAI} 27 tin, bài và {BAO} 1.143 tin, bài."
    ]
    assert isinstance(blocks[-1], Table)


def test_an_outlet_with_nothing_published_is_not_listed_in_the_breakdown(data, context):
    for item in data["items"]:
        if item["outlet"] == DAI:
            item["count"] = 0
    [sentence] = texts(render(data, context))
    assert sentence.endswith("Giai đoạn 2018 – 2020, đã đăng tải 1.143 tin, bài.")
    assert "0 tin, bài" not in sentence
    data["items"].append({"year": 2020, "outlet": "Cổng thông tin điện tử tỉnh", "count": 4})
    [sentence] = texts(render(data, context))
    assert sentence.endswith(
        f"1.147 tin, bài, trong đó {BAO} 1.143 tin, bài và Cổng thông tin điện tử tỉnh 04 tin, bài."
    )


def test_the_verb_follows_the_kind_of_outlet(data, context):
    # A newspaper publishes (đăng tải), a station broadcasts (phát sóng): a report of one kind
    # says only its verb, in the sentence and the table's caption alike.
    data["items"] = [item for item in data["items"] if item["outlet"] == BAO]
    [sentence] = texts(render(data, context))
    assert sentence.endswith("Giai đoạn 2018 – 2020, đã đăng tải 1.143 tin, bài.")
    assert media.items_table(data).caption == "Số tin, bài đã đăng tải theo năm và cơ quan"
    data["items"] = [{"year": 2020, "outlet": DAI, "count": 15}]
    [sentence] = texts(render(data, context))
    assert sentence.endswith("Năm 2020, đã phát sóng 15 tin, bài.")
    assert media.items_table(data).caption == "Số tin, bài đã phát sóng theo năm và cơ quan"


@pytest.mark.parametrize(
    ("outlets", "verb"),
    [
        (["Báo Quảng Ngãi", "Tạp chí Cộng sản", "Cổng thông tin điện tử tỉnh"], "đăng tải"),
        (["Báo điện tử Đảng Cộng sản Việt Nam", "Bản tin Ngoại vụ"], "đăng tải"),
        (["Đài Truyền thanh huyện Bình Sơn", "đài Phát thanh – Truyền hình"], "phát sóng"),
        ([BAO, DAI], "đăng tải, phát sóng"),
        # The name does not tell the kind: both verbs, as before.
        (["VTV1"], "đăng tải, phát sóng"),
        (["Báo chí địa phương", "Đài"], "đăng tải, phát sóng"),
        (["Baomoi"], "đăng tải, phát sóng"),
    ],
)
def test_verb_for_outlets(outlets, verb):
    assert media.verb_for(outlets) == verb


def test_one_programmes_frequency_is_not_said_of_all(context):
    data = {
        "programmes": [
            {"name": "Hội nhập", "outlets": [BAO], "frequency": "hàng tuần"},
            {"name": "Kinh tế", "outlets": [BAO]},
        ]
    }
    assert texts(render(data, context)) == [
        f"Thực hiện các chuyên mục “Hội nhập” và “Kinh tế” trên {BAO}."
    ]
    data["programmes"][1]["frequency"] = "hàng tuần"
    assert texts(render(data, context)) == [
        f"Thực hiện hàng tuần các chuyên mục “Hội nhập” và “Kinh tế” trên {BAO}."
    ]


def test_default_template_for_one_programme_without_items(context):
    data = {
        "programmes": [
            {"name": "Hội nhập", "outlets": [BAO], "frequency": "hàng tuần", "decision": "qd1173"}
        ]
    }
    assert texts(render(data, context)) == [
        f"Thực hiện hàng tuần chuyên mục “Hội nhập” trên {BAO} theo {QD1173_FULL}."
    ]
    assert texts(render({}, context)) == []


def test_own_template_cites_in_reading_order(data, context):
    data["template"] = (
        "Năm 2020 có {tin_bai[2020]} tin, bài; {tin_bai_theo_co_quan[Báo Quảng Ngãi]} trên báo, "
        "theo {quyet_dinh}."
    )
    data["outro"] = "Như [[qd1173]] yêu cầu."
    assert texts(render(data, context)) == [
        f"Năm 2020 có 1.120 tin, bài; 1.143 trên báo, theo {QD1173_FULL}.",
        "Như Quyết định số 1173/QĐ-UBND yêu cầu.",
    ]


def test_items_table_rows(data):
    table = media.items_table(data)
    assert table.header == ("Năm", DAI, BAO, "Tổng cộng")
    assert table.rows == (
        ("2018", "–", "8", "8"),
        ("2019", "12", "30", "42"),
        ("2020", "15", "1.105", "1.120"),
        ("Tổng cộng", "27", "1.143", "1.170"),
    )
    assert len(table.widths) == len(table.align) == len(table.header)
    assert media.items_table({"items": []}) is None


# -- through the host: the sample and the Word file ------------------------------------------


def test_registered_with_the_host(host):
    assert host.section_types["media"].title == "Tuyên truyền"
    assert host.owner_of("media") == "media"


def test_sample_column_outlets_and_decision_come_from_data(sample_project, host):
    changed = copy.deepcopy(sample_project)
    [section] = [s for s in changed.sections if s.type == "media"]
    programme = section.data["programmes"][0]
    programme["name"] = "Hội nhập quốc tế"
    programme["outlets"] = [BAO]
    rendered = render_document(changed, host)
    result = next(r for r in rendered.sections if r.section is section)
    assert result.problems == []
    [text] = texts(result.blocks)
    assert text.startswith(
        f"2.5. Thực hiện thường xuyên chuyên mục “Hội nhập quốc tế” trên {BAO} theo Quyết định số "
        "1173/QĐ-UBND ngày 30/6/2016"
    )


def test_docx_table_reads_back(data, host):
    docx_writer = pytest.importorskip(
        "tongket.core.writers.docx_writer", reason="the DOCX writer is not installed"
    )
    docx = pytest.importorskip("docx")
    project = Project(
        document=Particulars(date=dt.date(2021, 4, 2)),
        citations=dict(CITATIONS),
        sections=[Section(type="media", number="2.5.", data=data, table="appendix")],
    )
    rendered = render_document(project, host)
    document = docx.Document(io.BytesIO(docx_writer.build_docx(rendered)))
    [table] = [table for table in document.tables if table.rows[0].cells[0].text.strip() == "Năm"]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0] == ["Năm", DAI, BAO, "Tổng cộng"]
    assert cells[1] == ["2018", "–", "8", "8"]
    assert cells[-1] == ["Tổng cộng", "27", "1.143", "1.170"]
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert "(Chi tiết tại Phụ lục I kèm theo.)" in paragraphs
    assert "Số tin, bài đã đăng tải, phát sóng theo năm và cơ quan" in paragraphs
