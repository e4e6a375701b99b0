"""Partnerships (2.2): counts and groupings worked by hand, validation, templates, blocks, DOCX."""

from __future__ import annotations

import copy
import datetime as dt
import io

import docx
import pytest

from tongket.core.render.blocks import Paragraph, Table
from tongket.core.render.citations import CitationBook
from tongket.core.render.context import RenderContext
from tongket.core.render.document import render_document
from tongket.core.report import store
from tongket.core.report.model import Citation, Particulars, Project, Section
from tongket.core.writers.docx_writer import build_docx
from tongket.plugins import partnerships as plugin

TYPE = "partnerships"
CHAMPASAK = "Sở Công Thương tỉnh Champasak"
SALAVAN = "Sở Công Thương tỉnh Salavan"
SEKONG = "Sở Công Thương tỉnh Sekong"
MOU = "Biên bản ghi nhớ về việc hợp tác"
TRADE_AGREEMENT = "Thỏa thuận hợp tác thương mại giai đoạn 2016 – 2020"
MELON = "Hội nghị kết nối tiêu thụ dưa hấu"
FORUM = "Diễn đàn xúc tiến đầu tư Việt – Lào"

REFERENCE_22 = (
    "2.2. Với vai trò là cơ quan thường trực Ban Chỉ đạo về hợp tác kinh tế quốc tế của tỉnh; "
    "trong những năm qua, thực hiện chủ trương chiến lược của Đảng, Nhà nước về tăng cường và "
    "phát triển quan hệ hợp tác với Lào và nhân dân hai nước và chủ trương đối ngoại của tỉnh "
    "Quảng Ngãi, Sở Công Thương Quảng Ngãi xác định mối quan hệ với địa phương và ngành công "
    "thương tỉnh Champasak là hữu nghị và hợp tác đặc biệt. Theo đó, trong thời gian qua, đã có "
    "02 lượt đoàn đại biểu Sở Công Thương tỉnh Champasak đã đến thăm và làm việc với Sở Công "
    "Thương Quảng Ngãi (năm 2011) và đoàn đại biểu Sở Công Thương Quảng Ngãi sang thăm và làm "
    "việc với Sở Công Thương tỉnh Champasak, Lào (năm 2014). Hai bên đã đánh giá kết quả thực "
    "hiện các nội dung hợp tác giữa hai tỉnh trong lĩnh vực công nghiệp, thương mại – dịch vụ; "
    "tạo điều kiện cho doanh nghiệp và nhà đầu tư của hai tỉnh tiến hành các hoạt động khảo sát, "
    "nghiên cứu thị trường, tìm kiếm cơ hội đầu tư, ký kết hợp đồng kinh tế, hợp đồng thương mại "
    "và hợp đồng đầu tư sản xuất kinh doanh; đồng thời thảo luận, đi đến thống nhất, ký kết Biên "
    "bản ghi nhớ về việc hợp tác và củng cố quan hệ với bạn bè truyền thống, tranh thủ tình cảm "
    "và sự ủng hộ của địa phương nước bạn. Tổ chức thực hiện 03 Hội nghị quốc tế về kết nối tiêu "
    "thụ dưa hấu và một số mặt hàng nông sản giữa tỉnh Quảng Ngãi với các doanh nghiệp các tỉnh "
    "biên giới phía Bắc, với doanh nghiệp Trung Quốc (năm 2017, 2018 và 2019)."
)


@pytest.fixture
def data() -> dict:
    """Five delegations (3 received, 2 sent), two agreements (one undated), four conferences."""
    return {
        "delegations": [
            {
                "year": 2011,
                "direction": "den",
                "partner": CHAMPASAK,
                "place": "Champasak, Lào",
                "purpose": "Thăm và làm việc",
            },
            {"year": 2014, "direction": "di", "partner": CHAMPASAK, "place": "Champasak, Lào"},
            {"year": 2013, "direction": "den", "partner": SALAVAN, "place": "Salavan, Lào"},
            {"year": 2016, "direction": "den", "partner": CHAMPASAK},
            {"year": 2016, "direction": "di", "partner": SEKONG, "place": "Sekong, Lào"},
        ],
        "agreements": [
            {
                "date": dt.date(2014, 5, 20),
                "title": MOU,
                "parties": ["Sở Công Thương Quảng Ngãi", CHAMPASAK],
            },
            {"title": TRADE_AGREEMENT},
        ],
        "conferences": [
            {"year": 2017, "title": MELON, "partners": ["Doanh nghiệp Trung Quốc"]},
            {"year": 2018, "title": MELON, "partners": ["Doanh nghiệp Trung Quốc"]},
            {
                "year": 2019,
                "title": MELON,
                "partners": ["Doanh nghiệp Trung Quốc", "Doanh nghiệp các tỉnh biên giới phía Bắc"],
                "place": "Quảng Ngãi",
            },
            {"year": 2019, "title": FORUM, "partners": ["Bộ Công Thương Lào"]},
        ],
    }


@pytest.fixture
def context() -> RenderContext:
    citations = {"ct04": Citation("Chỉ thị", "04-CT/TW", dt.date(2011, 7, 6), "Ban Bí thư")}
    return RenderContext(
        document=Particulars(date=dt.date(2021, 4, 2)),
        section=Section(type=TYPE, number="2.2."),
        citations=CitationBook(citations),
    )


def validate(data: dict, context: RenderContext) -> list:
    return plugin.tongket_validate_section(data=data, context=context)


def errors(data: dict, context: RenderContext) -> list:
    return [problem for problem in validate(data, context) if problem.severity == "error"]


def render(data: dict, context: RenderContext) -> list:
    return plugin.tongket_render_section(data=data, context=context)


# -- computed figures, worked by hand ------------------------------------------------------------


def test_delegation_counts_and_year_lists(data):
    values = plugin.placeholder_values(data)
    assert values["so_luot_doan"] == "05"
    assert values["so_doan_den"] == "03"
    assert values["so_doan_di"] == "02"
    assert values["nam_doan"] == "2011, 2013, 2014 và 2016"
    assert values["nam_doan_den"] == "2011, 2013 và 2016"
    assert values["nam_doan_di"] == "2014 và 2016"


def test_grouping_by_direction_and_partner(data):
    assert plugin.delegation_groups(data) == {
        "den": {CHAMPASAK: [2011, 2016], SALAVAN: [2013]},
        "di": {CHAMPASAK: [2014], SEKONG: [2016]},
    }
    values = plugin.placeholder_values(data)
    assert values["doi_tac"] == f"{CHAMPASAK}, {SALAVAN} và {SEKONG}"
    assert values["doi_tac_den"] == f"{CHAMPASAK} và {SALAVAN}"
    assert values["doi_tac_di"] == f"{CHAMPASAK} và {SEKONG}"
    assert values["doan_den"] == (
        f"{CHAMPASAK} (Lào; 02 lượt, năm 2011 và 2016) và {SALAVAN} (Lào, năm 2013)"
    )
    assert values["doan_di"] == f"{CHAMPASAK} (Lào, năm 2014) và {SEKONG} (Lào, năm 2016)"


def test_a_partner_with_its_own_bracket_gets_no_second_one(data):
    # "(JETRO) (năm 2017)" read as two asides; a lone year follows the name's own bracket.
    # More keeps its bracket: "(JETRO) 02 lượt, năm 2018 và 2019 và …" ran into the list.
    jetro = "Tổ chức Xúc tiến thương mại Nhật Bản (JETRO)"
    data["delegations"] = [
        {"year": 2017, "direction": "den", "partner": jetro, "country": ""},
        {"year": 2018, "direction": "di", "partner": jetro, "country": ""},
        {"year": 2019, "direction": "di", "partner": jetro, "country": ""},
    ]
    values = plugin.placeholder_values(data)
    assert values["doan_den"] == f"{jetro} năm 2017"
    assert values["doan_di"] == f"{jetro} (02 lượt, năm 2018 và 2019)"


def test_indexed_counts_by_year_and_partner(data):
    values = plugin.placeholder_values(data)
    assert values["so_doan"] == {"2011": "01", "2013": "01", "2014": "01", "2016": "02"}
    assert values["so_doan_doi_tac"] == {CHAMPASAK: "03", SALAVAN: "01", SEKONG: "01"}
    assert values["so_hoi_nghi_nam"] == {"2017": "01", "2018": "01", "2019": "02"}


def test_agreement_and_conference_figures(data):
    values = plugin.placeholder_values(data)
    assert values["so_thoa_thuan"] == "02"
    assert values["ten_thoa_thuan"] == f"{MOU} và {TRADE_AGREEMENT}"
    assert values["nam_thoa_thuan"] == "2014"  # the undated agreement adds no year
    assert values["so_hoi_nghi"] == "04"
    assert values["nam_hoi_nghi"] == "2017, 2018 và 2019"
    assert values["ten_hoi_nghi"] == f"{MELON} và {FORUM}"
    assert values["doi_tac_hoi_nghi"] == (
        "Doanh nghiệp Trung Quốc, Doanh nghiệp các tỉnh biên giới phía Bắc và Bộ Công Thương Lào"
    )


def test_empty_data_counts_zero_and_renders_nothing(context):
    data = plugin.SECTION_TYPE.new_data()
    values = plugin.placeholder_values(data)
    assert (values["so_luot_doan"], values["so_hoi_nghi"], values["nam_doan"]) == ("00", "00", "")
    assert validate(data, context) == []
    assert render(data, context) == []


def test_every_placeholder_is_documented(data):
    template_field = next(field for field in plugin.FIELDS if field.name == "template")
    for name in plugin.placeholder_values(data):
        assert "{" + name in template_field.help, name
        assert "{" + name in plugin.__doc__, name


# -- validation ----------------------------------------------------------------------------------


def test_clean_data_has_no_problems(data, context):
    assert validate(data, context) == []


def test_shape_problems_name_the_record_and_field(data, context):
    data["delegations"][1]["year"] = "2014"
    data["delegations"][2]["direction"] = "ra"
    del data["conferences"][0]["title"]
    data["agreements"][0]["parties"] = "Sở Công Thương Quảng Ngãi"
    found = {problem.path: problem.message for problem in errors(data, context)}
    assert found[("delegations", 1, "year")] == 'cần một số nguyên, gặp "2014"'
    assert found[("delegations", 2, "direction")] == 'cần một trong den, di, gặp "ra"'
    assert found[("conferences", 0, "title")] == "bắt buộc: cần một dòng văn bản"
    assert found[("agreements", 0, "parties")].startswith("cần một danh sách chuỗi")
    assert len(found) == 4


def test_unknown_key_suggests_the_close_one(data, context):
    data["delegations"][0]["partnr"] = data["delegations"][0].pop("partner")
    found = {problem.path: problem.message for problem in errors(data, context)}
    assert (
        found[("delegations", 0, "partnr")] == "khóa không được biết; có phải ý bạn là 'partner'?"
    )
    assert found[("delegations", 0, "partner")] == "bắt buộc: cần một dòng văn bản"


def test_implausible_year_is_an_error_and_a_future_one_a_warning(data, context):
    data["delegations"][0]["year"] = 1901
    data["conferences"][3]["year"] = 2023
    problems = {problem.path: problem for problem in validate(data, context)}
    year = problems[("delegations", 0, "year")]
    assert (year.severity, year.message) == (
        "error",
        "cần một năm trong khoảng 1945–2100, gặp 1901",
    )
    future = problems[("conferences", 3, "year")]
    assert future.severity == "warning"
    assert future.message == "năm 2023 sau năm ban hành văn bản (2021)"


def test_agreement_dates_must_be_real(data, context):
    data["agreements"][0]["date"] = "2014-02-30"
    data["agreements"][1]["date"] = dt.date(2021, 5, 1)  # after the report's 2021-04-02
    problems = {problem.path: problem for problem in validate(data, context)}
    assert problems[("agreements", 0, "date")].message == (
        "ngày không có thật hoặc sai dạng: '2014-02-30' (cần YYYY-MM-DD)"
    )
    # shape errors stop the domain checks, so fix the first and look again
    data["agreements"][0]["date"] = "2014-05-20"
    problems = {problem.path: problem for problem in validate(data, context)}
    late = problems[("agreements", 1, "date")]
    assert late.severity == "warning"
    assert late.message == "ngày 2021-05-01 sau ngày ban hành văn bản (2021-04-02)"


def test_blank_names_are_errors(data, context):
    data["delegations"][3]["partner"] = "   "
    data["agreements"][0]["parties"] = ["Sở Công Thương Quảng Ngãi", " "]
    found = {problem.path: problem.message for problem in errors(data, context)}
    assert found == {
        ("delegations", 3, "partner"): "chỉ có khoảng trắng: cần nội dung",
        ("agreements", 0, "parties", 1): "mục trống trong danh sách",
    }


def test_unknown_placeholder_is_named(data, context):
    data["template"] = "Đã có {so_luot_doan} lượt đoàn, {so_doan_ra} lượt đoàn ra."
    [problem] = errors(data, context)
    assert problem.path == ("template",)
    assert problem.message.startswith("chỗ trống không được biết: {so_doan_ra} (có: ")
    assert "so_luot_doan" in problem.message


def test_unknown_year_key_is_named(data, context):
    data["template"] = "Năm 2012 có {so_doan[2012]} lượt đoàn."
    [problem] = errors(data, context)
    assert problem.message == ("{so_doan[2012]}: không có khóa '2012' (có: 2011, 2013, 2014, 2016)")


def test_malformed_template_is_an_error(data, context):
    data["template"] = "Đã có {so_luot_doan lượt đoàn."
    [problem] = errors(data, context)
    assert problem.path == ("template",)
    assert "sai cú pháp" in problem.message
    assert "'{'" in problem.message


def test_unknown_citation_in_free_text_is_named(data, context):
    data["intro"] = "Thực hiện [[ct99]]."
    [problem] = errors(data, context)
    assert problem.path == ("intro",)
    assert "[[ct99]]" in problem.message


# -- rendering -----------------------------------------------------------------------------------


def test_default_prose(data, context):
    blocks = render(data, context)
    [paragraph] = [block for block in blocks if isinstance(block, Paragraph)]
    assert paragraph.text == (
        f"Đã đón 03 lượt đoàn đến thăm và làm việc: {CHAMPASAK} (Lào; 02 lượt, năm 2011 và 2016) "
        f"và {SALAVAN} (Lào, năm 2013). Đã cử 02 lượt đoàn đi thăm và làm việc: {CHAMPASAK} "
        f"(Lào, năm 2014) và {SEKONG} (Lào, năm 2016). Đã ký kết 02 thỏa thuận, biên bản ghi "
        f"nhớ hợp tác: {MOU} và {TRADE_AGREEMENT}. Đã tổ chức, tham gia 04 hội nghị, sự kiện quốc "
        f"tế: {MELON} (03 lần, năm 2017, 2018 và 2019) và {FORUM} (năm 2019)."
    )


def test_default_prose_leaves_out_kinds_without_records(context):
    data = {"conferences": [{"year": 2019, "title": FORUM}]}
    [paragraph] = render(data, context)[:1]
    assert paragraph.text == (
        f"Đã tổ chức, tham gia 01 hội nghị, sự kiện quốc tế: {FORUM} (năm 2019)."
    )


def test_conferences_are_named_with_their_place_when_every_time_agrees(context):
    data = {
        "conferences": [
            {"year": 2018, "title": FORUM, "place": "Viêng Chăn"},
            {"year": 2020, "title": FORUM, "place": "Viêng Chăn"},
            {"year": 2018, "title": MELON, "place": "Lạng Sơn"},
            {"year": 2019, "title": MELON, "place": "Quảng Ngãi"},
        ]
    }
    [paragraph] = render(data, context)[:1]
    assert paragraph.text == (
        f"Đã tổ chức, tham gia 04 hội nghị, sự kiện quốc tế: {FORUM} (tại Viêng Chăn; 02 lần, năm "
        f"2018 và 2020) và {MELON} (02 lần, năm 2018 và 2019)."
    )


def test_own_template_with_intro_and_outro(data, context):
    data["intro"] = "Thực hiện [[ct04]], Sở đã mở rộng hợp tác."
    data["template"] = (
        "Đón {so_doan_den} lượt đoàn (năm {nam_doan_den}), riêng năm 2016 có {so_doan[2016]} "
        "lượt; {so_doan_doi_tac[Sở Công Thương tỉnh Champasak]} lượt với tỉnh Champasak; "
        "{{không phải chỗ trống}}."
    )
    data["outro"] = "Hợp tác với Lào tiếp tục được củng cố.\n\nTheo [[ct04]]."
    assert validate(data, context) == []
    paragraphs = [block.text for block in render(data, context) if isinstance(block, Paragraph)]
    assert paragraphs == [
        "Thực hiện Chỉ thị số 04-CT/TW ngày 06/7/2011 của Ban Bí thư, Sở đã mở rộng hợp tác.",
        "Đón 03 lượt đoàn (năm 2011, 2013 và 2016), riêng năm 2016 có 02 lượt; 03 lượt với tỉnh "
        "Champasak; {không phải chỗ trống}.",
        "Hợp tác với Lào tiếp tục được củng cố.",
        "Theo Chỉ thị số 04-CT/TW.",  # later mentions are short
    ]


def test_exchange_table_rows_by_year(data, context):
    [table] = [block for block in render(data, context) if isinstance(block, Table)]
    assert table.header == ("Năm", "Hình thức", "Đối tác", "Nội dung")
    assert table.caption == "Các hoạt động hợp tác, đối ngoại"
    assert list(table.rows) == [
        ("2011", "Đón đoàn đến", f"{CHAMPASAK} (Lào)", "Thăm và làm việc"),
        ("2013", "Đón đoàn đến", f"{SALAVAN} (Lào)", ""),
        ("2014", "Cử đoàn đi", f"{CHAMPASAK} (Lào)", ""),
        ("2014", "Ký kết ngày 20/5/2014", f"Sở Công Thương Quảng Ngãi, {CHAMPASAK}", MOU),
        ("2016", "Đón đoàn đến", CHAMPASAK, ""),
        ("2016", "Cử đoàn đi", f"{SEKONG} (Lào)", ""),
        ("2017", "Hội nghị, sự kiện", "Doanh nghiệp Trung Quốc", MELON),
        ("2018", "Hội nghị, sự kiện", "Doanh nghiệp Trung Quốc", MELON),
        (
            "2019",
            "Hội nghị, sự kiện",
            "Doanh nghiệp Trung Quốc, Doanh nghiệp các tỉnh biên giới phía Bắc",
            f"{MELON} (tại Quảng Ngãi)",
        ),
        ("2019", "Hội nghị, sự kiện", "Bộ Công Thương Lào", FORUM),
        ("", "Ký kết", "", TRADE_AGREEMENT),  # undated agreements come last
    ]


# -- the sample and the host ---------------------------------------------------------------------


def test_host_registers_the_section_type(host):
    section_type = host.section_types[TYPE]
    assert section_type.title == "Hợp tác, đối ngoại"
    assert host.owner_of(TYPE) == "partnerships"


def sample_section(rendered):
    [result] = [r for r in rendered.sections if r.section.type == TYPE]
    return result


def test_sample_reproduces_the_reference_paragraph(sample_rendered):
    result = sample_section(sample_rendered)
    assert result.problems == []
    assert [block.text for block in result.blocks] == [REFERENCE_22]


def test_sample_figures_come_from_its_records(sample_project):
    [section] = [s for s in sample_project.sections if s.type == TYPE]
    values = plugin.placeholder_values(section.data)
    assert (values["so_luot_doan"], values["nam_doan_den"], values["nam_doan_di"]) == (
        "02",
        "2011",
        "2014",
    )
    assert (values["so_hoi_nghi"], values["nam_hoi_nghi"]) == ("03", "2017, 2018 và 2019")
    assert values["ten_thoa_thuan"] == MOU


@pytest.fixture
def sample_with_table(sample_project):
    def build(placement: str) -> Project:
        project = copy.deepcopy(sample_project)
        for section in project.sections:
            if section.type == TYPE:
                section.table = placement
        return project

    return build


def test_table_placement(sample_with_table, host):
    inline = sample_section(render_document(sample_with_table("inline"), host))
    [table] = [block for block in inline.blocks if isinstance(block, Table)]
    assert len(table.rows) == 6  # 2 delegations, 1 agreement, 3 conferences
    appendix = render_document(sample_with_table("appendix"), host)
    assert not [block for block in sample_section(appendix).blocks if isinstance(block, Table)]
    [placed] = [a for a in appendix.appendices if a.title == "Hợp tác, đối ngoại"]
    assert placed.blocks == [table]
    assert sample_section(appendix).blocks[-1].text == f"(Chi tiết tại {placed.label} kèm theo.)"


def test_table_in_the_docx(sample_with_table, host):
    content = build_docx(render_document(sample_with_table("inline"), host))
    document = docx.Document(io.BytesIO(content))
    [table] = [t for t in document.tables if t.rows[0].cells[0].text.strip() == "Năm"]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0] == ["Năm", "Hình thức", "Đối tác", "Nội dung"]
    assert cells[1] == ["2011", "Đón đoàn đến", f"{CHAMPASAK} (Lào)", cells[1][3]]
    assert cells[1][3].startswith("Thăm và làm việc")
    assert [row[0] for row in cells[1:]] == ["2011", "2014", "2017", "2018", "2019", ""]
    assert cells[-1] == ["", "Ký kết", f"Sở Công Thương Quảng Ngãi, {CHAMPASAK}", MOU]


def test_sample_section_survives_a_save(sample_project, tmp_path, host):
    target = tmp_path / "again.toml"
    store.save(sample_project, target)
    result = sample_section(render_document(store.load(target), host))
    assert [block.text for block in result.blocks] == [REFERENCE_22]


def test_a_country_alone_reaches_the_sentence_and_the_table(context):
    attapeu = "Sở Công Thương tỉnh Attapeu"
    data = {
        "delegations": [
            {"year": 2015, "direction": "den", "partner": attapeu, "place": "Lào"},
            {"year": 2018, "direction": "di", "partner": "Bộ Công Thương Lào", "place": "Lào"},
        ]
    }
    text = render(data, context)[0].text
    assert f"{attapeu} (Lào, năm 2015)" in text
    assert "Bộ Công Thương Lào (năm 2018)" in text  # the name says the country already
    table = render(data, context)[-1]
    assert table.rows[0][2] == f"{attapeu} (Lào)"


def test_a_title_several_agreements_share_is_counted(data, context):
    # A consolidated report gathers one MoU from each body: "ký kết 02 thỏa thuận …: Biên bản
    # ghi nhớ" named it once, as if one had been signed.
    data["agreements"].append({"title": MOU, "parties": ["Sở Kế hoạch và Đầu tư", SALAVAN]})
    values = plugin.placeholder_values(data)
    assert values["so_thoa_thuan"] == "03"
    assert values["ten_thoa_thuan"] == f"02 {MOU} và {TRADE_AGREEMENT}"
    prose = " ".join(block.text for block in render(data, context) if isinstance(block, Paragraph))
    assert (
        f"ký kết 03 thỏa thuận, biên bản ghi nhớ hợp tác: 02 {MOU} và {TRADE_AGREEMENT}." in prose
    )
