"""Trade promotion (2.3): counts worked by hand, validation, templates, blocks and DOCX tables."""

from __future__ import annotations

import copy
import datetime as dt
import io

import docx
import pytest

from tongket.core.render.blocks import Paragraph, Table
from tongket.core.render.context import RenderContext
from tongket.core.render.document import render_document
from tongket.core.report.model import Particulars, Project, Section
from tongket.core.writers.docx_writer import build_docx
from tongket.plugins import trade_promotion as plugin

TYPE = "trade-promotion"
KUNMING = "Côn Minh (Trung Quốc)"
VIENTIANE = "Viêng Chăn (Lào)"
HANDBOOK = "Cẩm nang xuất khẩu tỉnh Quảng Ngãi"

REFERENCE_23 = (
    "2.3. Thông qua việc tổ chức, tham gia hội thảo, hội chợ quốc tế ở nước ngoài và trong nước "
    "vừa giới thiệu, quảng bá sản phẩm, hàng hóa, khai thác, mở rộng thị trường, vừa giao lưu, "
    "trao đổi thông tin, phát hành cẩm nang, brochure... giúp đối tác, bạn bè quốc tế nắm bắt, "
    "hiểu rõ về truyền thống, văn hóa Việt Nam, địa phương. Đặc biệt, trong giai đoạn gần đây, "
    "đã tập trung phối hợp trong xây dựng, phát triển sản xuất và kinh doanh sản phẩm OCOP, sản "
    "phẩm công nghiệp nông thôn tiêu biểu, sản phẩm truyền thống địa phương và tăng cường xúc "
    "tiến thương mại trong nước và quốc tế đối với các sản phẩm này đã tạo cơ sở đưa hoạt động "
    "đối ngoại nhân dân thông qua quản lý kinh tế ngành lên một bước phát triển mới."
)


@pytest.fixture
def data() -> dict:
    """Five fairs (3 at home, 2 abroad), five products (3 OCOP), four publications."""
    return {
        "fairs": [
            {
                "year": 2018,
                "name": "Hội chợ Thương mại quốc tế Việt – Trung",
                "place": KUNMING,
                "scope": "nuoc-ngoai",
                "products": ["Tỏi Lý Sơn", "Đường phèn"],
            },
            {
                "year": 2019,
                "name": "Hội chợ Công Thương miền Trung",
                "place": "Đà Nẵng",
                "scope": "trong-nuoc",
                "products": ["Tỏi Lý Sơn", "Mạch nha"],
            },
            {"year": 2017, "name": "Hội chợ hàng Việt", "place": "Hà Nội", "scope": "trong-nuoc"},
            {
                "year": 2019,
                "name": "Triển lãm nông sản ASEAN",
                "place": VIENTIANE,
                "scope": "nuoc-ngoai",
                "products": ["Quế Trà Bồng"],
            },
            {"year": 2019, "name": "Hội chợ OCOP", "place": "Đà Nẵng", "scope": "trong-nuoc"},
        ],
        "products": [
            {
                "name": "Tỏi Lý Sơn",
                "programme": "ocop",
                "stars": 4,
                "year": 2020,
                "producer": "HTX Lý Sơn",
            },
            {"name": "Đường phèn", "programme": "ocop", "stars": 3, "year": 2020},
            {"name": "Quế Trà Bồng", "programme": "ocop", "stars": 3},
            {"name": "Mạch nha", "programme": "cnnt", "year": 2019},
            {"name": "Bánh xoài", "programme": "truyen-thong"},
        ],
        "publications": [
            {
                "year": 2016,
                "title": HANDBOOK,
                "kind": "cam-nang",
                "languages": ["tiếng Việt", "tiếng Anh"],
                "copies": 1500,
            },
            {
                "year": 2018,
                "title": "Brochure sản phẩm đặc trưng",
                "kind": "brochure",
                "languages": ["tiếng Việt", "tiếng Trung"],
                "copies": 2000,
            },
            {
                "year": 2019,
                "title": "Brochure OCOP",
                "kind": "brochure",
                "languages": ["tiếng Anh"],
                "copies": 1000,
            },
            {
                "title": "Tờ rơi hội chợ",
                "kind": "to-roi",
                "languages": ["tiếng Việt"],
                "copies": 500,
            },
        ],
    }


@pytest.fixture
def context() -> RenderContext:
    return RenderContext(
        document=Particulars(date=dt.date(2021, 4, 2)), section=Section(type=TYPE, number="2.3.")
    )


def validate(data: dict, context: RenderContext) -> list:
    return plugin.tongket_validate_section(data=data, context=context)


def errors(data: dict, context: RenderContext) -> list:
    return [problem for problem in validate(data, context) if problem.severity == "error"]


def render(data: dict, context: RenderContext) -> list:
    return plugin.tongket_render_section(data=data, context=context)


def prose(data: dict, context: RenderContext) -> list[str]:
    return [block.text for block in render(data, context) if isinstance(block, Paragraph)]


# -- computed figures, worked by hand ------------------------------------------------------------


def test_fair_counts_by_scope_year_and_place(data):
    values = plugin.placeholder_values(data)
    assert (values["so_hoi_cho"], values["so_hoi_cho_trong_nuoc"]) == ("05", "03")
    assert values["so_hoi_cho_nuoc_ngoai"] == "02"
    assert values["nam_hoi_cho"] == "2017, 2018 và 2019"
    assert values["so_hoi_cho_nam"] == {"2017": "01", "2018": "01", "2019": "03"}
    assert values["so_hoi_cho_tai"] == {
        KUNMING: "01",
        "Đà Nẵng": "02",
        "Hà Nội": "01",
        VIENTIANE: "01",
    }


def test_fair_lists(data):
    values = plugin.placeholder_values(data)
    assert values["dia_diem_hoi_cho"] == f"{KUNMING}, Đà Nẵng, Hà Nội và {VIENTIANE}"
    assert values["dia_diem_trong_nuoc"] == "Đà Nẵng và Hà Nội"
    assert values["dia_diem_nuoc_ngoai"] == f"{KUNMING} và {VIENTIANE}"
    assert values["san_pham_trung_bay"] == "Tỏi Lý Sơn, Đường phèn, Mạch nha và Quế Trà Bồng"
    assert values["ten_hoi_cho"].startswith("Hội chợ Thương mại quốc tế Việt – Trung, ")
    assert values["ten_hoi_cho"].endswith(" và Hội chợ OCOP")


def test_product_counts_and_ocop_stars(data):
    values = plugin.placeholder_values(data)
    assert values["so_san_pham"] == "05"
    assert values["so_san_pham_ocop"] == "03"
    assert (values["so_san_pham_cnnt"], values["so_san_pham_truyen_thong"]) == ("01", "01")
    assert values["ocop_theo_sao"] == {"3": "02", "4": "01", "5": "00"}
    assert values["ocop_phan_hang"] == "02 sản phẩm 3 sao và 01 sản phẩm 4 sao"
    assert values["san_pham_ocop"] == "Tỏi Lý Sơn, Đường phèn và Quế Trà Bồng"
    assert values["san_pham_theo_chuong_trinh"] == (
        "03 sản phẩm OCOP (02 sản phẩm 3 sao và 01 sản phẩm 4 sao), 01 sản phẩm công nghiệp "
        "nông thôn tiêu biểu và 01 sản phẩm truyền thống địa phương"
    )


def test_publication_counts_languages_and_copies(data):
    values = plugin.placeholder_values(data)
    assert values["so_an_pham"] == "04"
    assert (values["so_cam_nang"], values["so_brochure"], values["so_to_roi"]) == (
        "01",
        "02",
        "01",
    )
    assert values["an_pham_theo_loai"] == "01 cẩm nang, 02 brochure và 01 tờ rơi"
    assert values["ngon_ngu"] == "tiếng Việt, tiếng Anh và tiếng Trung"
    assert values["so_ban_in"] == "5.000"  # 1.500 + 2.000 + 1.000 + 500


def test_every_placeholder_is_documented(data):
    template_field = next(field for field in plugin.FIELDS if field.name == "template")
    for name in plugin.placeholder_values(data):
        assert "{" + name in template_field.help, name
        assert "{" + name in plugin.__doc__, name


def test_default_template_uses_only_known_placeholders(data, context):
    data["template"] = plugin.DEFAULT_TEMPLATE
    assert validate(data, context) == []


# -- validation ----------------------------------------------------------------------------------


def test_clean_data_has_no_problems(data, context):
    assert validate(data, context) == []


def test_shape_problems_name_the_record_and_field(data, context):
    data["fairs"][0]["scope"] = "quoc-te"
    data["products"][1]["programme"] = "ocopp"
    data["publications"][2]["copies"] = "1.000"
    del data["fairs"][2]["name"]
    found = {problem.path: problem.message for problem in errors(data, context)}
    assert found == {
        ("fairs", 0, "scope"): 'cần một trong trong-nuoc, nuoc-ngoai, gặp "quoc-te"',
        ("fairs", 2, "name"): "bắt buộc: cần một dòng văn bản",
        ("products", 1, "programme"): 'cần một trong ocop, cnnt, truyen-thong, gặp "ocopp"',
        ("publications", 2, "copies"): 'cần một số nguyên, gặp "1.000"',
    }


def test_ocop_star_ratings(data, context):
    del data["products"][0]["stars"]
    data["products"][1]["stars"] = 2
    data["products"][3]["stars"] = 4  # a rural-industry product has no OCOP rating
    found = {problem.path: problem.message for problem in errors(data, context)}
    assert found == {
        ("products", 0, "stars"): "sản phẩm OCOP cần hạng sao: 3, 4 hoặc 5",
        ("products", 1, "stars"): (
            "hạng sao OCOP cần là 3, 4 hoặc 5 (từ 3 sao mới được công nhận), gặp 2"
        ),
        ("products", 3, "stars"): "chỉ sản phẩm OCOP mới có hạng sao; để trống ô này",
    }


def test_years_copies_and_blank_names(data, context):
    data["fairs"][1]["year"] = 219
    data["products"][0]["year"] = 2022  # after the report: a warning only
    data["publications"][0]["copies"] = 0
    data["publications"][1]["languages"] = ["tiếng Việt", ""]
    data["fairs"][4]["name"] = "  "
    problems = {problem.path: problem for problem in validate(data, context)}
    assert {path: (p.severity, p.message) for path, p in problems.items()} == {
        ("fairs", 1, "year"): ("error", "cần một năm trong khoảng 1945–2100, gặp 219"),
        ("products", 0, "year"): ("warning", "năm 2022 sau năm ban hành văn bản (2021)"),
        ("publications", 0, "copies"): ("error", "số bản cần lớn hơn 0, gặp 0"),
        ("publications", 1, "languages", 1): ("error", "mục trống trong danh sách"),
        ("fairs", 4, "name"): ("error", "chỉ có khoảng trắng: cần nội dung"),
    }


def test_unknown_placeholder_is_named(data, context):
    data["template"] = "Tham gia {so_hoi_cho_quoc_te} hội chợ."
    [problem] = errors(data, context)
    assert problem.path == ("template",)
    assert problem.message.startswith("chỗ trống không được biết: {so_hoi_cho_quoc_te} (có: ")


def test_star_key_outside_the_ratings_is_named(data, context):
    data["template"] = "Có {ocop_theo_sao[2]} sản phẩm 2 sao."
    [problem] = errors(data, context)
    assert problem.message == "{ocop_theo_sao[2]}: không có khóa '2' (có: 3, 4, 5)"


def test_indexed_placeholder_needs_its_key(data, context):
    data["template"] = "Có {ocop_theo_sao} sản phẩm."
    [problem] = errors(data, context)
    assert problem.message == "{ocop_theo_sao}: cần khóa, ví dụ {ocop_theo_sao[…]} (có: 3, 4, 5)"


def test_malformed_template_is_an_error(data, context):
    data["template"] = "Tham gia so_hoi_cho} hội chợ."
    [problem] = errors(data, context)
    assert problem.path == ("template",)
    assert "dấu '}' ở ký tự 20 không có cặp" in problem.message


# -- rendering -----------------------------------------------------------------------------------


def test_default_prose(data, context):
    assert prose(data, context) == [
        "Đã tổ chức, tham gia 05 hội chợ, triển lãm (03 trong nước, 02 ở nước ngoài; năm 2017, "
        f"2018 và 2019) tại {KUNMING}, Đà Nẵng, Hà Nội và {VIENTIANE}, giới thiệu, quảng "
        "bá các sản phẩm: Tỏi Lý Sơn, Đường phèn, Mạch nha và Quế Trà Bồng. Giới thiệu, quảng bá "
        "05 sản phẩm, gồm 03 sản phẩm OCOP (02 sản phẩm 3 sao và 01 sản phẩm 4 sao), 01 sản phẩm "
        "công nghiệp nông thôn tiêu biểu và 01 sản phẩm truyền thống địa phương. Phát hành 04 ấn "
        "phẩm (01 cẩm nang, 02 brochure và 01 tờ rơi) bằng tiếng Việt, tiếng Anh và tiếng Trung, "
        "tổng số 5.000 bản."
    ]


def test_default_prose_leaves_out_clauses_without_figures(context):
    data = {
        "fairs": [{"year": 2019, "name": "Hội chợ OCOP", "scope": "trong-nuoc"}],
        "products": [
            {"name": "Tỏi Lý Sơn", "programme": "ocop", "stars": 3},
            {"name": "Đường phèn", "programme": "ocop", "stars": 3},
        ],
        "publications": [
            {"title": "Brochure A", "kind": "brochure", "languages": ["tiếng Anh"]},
            {"title": "Brochure B", "kind": "brochure"},
        ],
    }
    assert prose(data, context) == [
        "Đã tổ chức, tham gia 01 hội chợ, triển lãm trong nước (năm 2019). Giới thiệu, quảng bá "
        "02 sản phẩm OCOP 3 sao. Phát hành 02 brochure."
    ]


def test_what_only_some_records_give_is_not_said_of_all(data, context):
    """A place, a language or a count that some records lack would read as everyone's: "05 hội
    chợ tại Côn Minh", "02 brochure bằng tiếng Anh", "tổng số 4.500 bản" of five publications.
    The sentence leaves it out and `check` says why, at the first record without it."""
    for fair in data["fairs"][2:]:
        del fair["place"]
    del data["publications"][3]["copies"]
    del data["publications"][3]["languages"]
    [sentence] = prose(data, context)
    assert sentence.startswith(
        "Đã tổ chức, tham gia 05 hội chợ, triển lãm (03 trong nước, 02 ở nước ngoài; năm 2017, "
        "2018 và 2019), giới thiệu, quảng bá các sản phẩm:"
    )
    assert sentence.endswith("Phát hành 04 ấn phẩm (01 cẩm nang, 02 brochure và 01 tờ rơi).")
    problems = {problem.path: problem for problem in validate(data, context)}
    assert {path: (p.severity, p.message) for path, p in problems.items()} == {
        ("fairs", 2, "place"): (
            "warning",
            "dòng này và 2 dòng khác chưa ghi địa điểm trong khi các dòng khác có ghi: câu mặc "
            "định không nêu nơi tổ chức",
        ),
        ("publications", 3, "languages"): (
            "warning",
            "dòng này chưa ghi ngôn ngữ trong khi các dòng khác có ghi: câu mặc định không nêu "
            "ngôn ngữ",
        ),
        ("publications", 3, "copies"): (
            "warning",
            "dòng này chưa ghi số bản trong khi các dòng khác có ghi: câu mặc định không nêu "
            "tổng số bản",
        ),
    }
    # The tables show what each record gives, blank where it gives nothing.
    publications = [block for block in render(data, context) if isinstance(block, Table)][-1]
    assert publications.rows[-1] == ("", "Tờ rơi hội chợ", "Tờ rơi", "", "")
    # A drafter's own template still gets what the records give.
    assert plugin.placeholder_values(data)["so_ban_in"] == "4.500"
    assert plugin.placeholder_values(data)["dia_diem_hoi_cho"] == f"{KUNMING} và Đà Nẵng"


def test_own_template_with_intro_and_outro(data, context):
    data["intro"] = "Công tác xúc tiến thương mại được đẩy mạnh."
    data["template"] = (
        "Riêng năm 2019 tham gia {so_hoi_cho_nam[2019]} hội chợ, {so_hoi_cho_tai[Đà Nẵng]} tại "
        "Đà Nẵng; có {ocop_theo_sao[4]} sản phẩm OCOP 4 sao và {ocop_theo_sao[5]} sản phẩm 5 sao."
    )
    data["outro"] = "Kết quả trên tạo cơ sở mở rộng thị trường."
    assert validate(data, context) == []
    assert prose(data, context) == [
        "Công tác xúc tiến thương mại được đẩy mạnh.",
        "Riêng năm 2019 tham gia 03 hội chợ, 02 tại Đà Nẵng; có 01 sản phẩm OCOP 4 sao và 00 sản "
        "phẩm 5 sao.",
        "Kết quả trên tạo cơ sở mở rộng thị trường.",
    ]


def test_tables(data, context):
    tables = [block for block in render(data, context) if isinstance(block, Table)]
    fairs, products, publications = tables
    assert fairs.header == (
        "Năm",
        "Hội chợ, triển lãm",
        "Địa điểm",
        "Trong nước/Nước ngoài",
        "Sản phẩm",
    )
    assert [row[0] for row in fairs.rows] == ["2017", "2018", "2019", "2019", "2019"]
    assert fairs.rows[1] == (
        "2018",
        "Hội chợ Thương mại quốc tế Việt – Trung",
        KUNMING,
        "Nước ngoài",
        "Tỏi Lý Sơn, Đường phèn",
    )
    assert fairs.rows[0] == ("2017", "Hội chợ hàng Việt", "Hà Nội", "Trong nước", "")
    assert list(products.rows) == [
        ("Tỏi Lý Sơn", "Sản phẩm OCOP", "4 sao", "2020", "HTX Lý Sơn"),
        ("Đường phèn", "Sản phẩm OCOP", "3 sao", "2020", ""),
        ("Quế Trà Bồng", "Sản phẩm OCOP", "3 sao", "", ""),
        ("Mạch nha", "Sản phẩm công nghiệp nông thôn tiêu biểu", "", "2019", ""),
        ("Bánh xoài", "Sản phẩm truyền thống địa phương", "", "", ""),
    ]
    assert publications.header == ("Năm", "Ấn phẩm", "Loại", "Ngôn ngữ", "Số bản")
    assert publications.rows[0] == ("2016", HANDBOOK, "Cẩm nang", "tiếng Việt, tiếng Anh", "1.500")
    assert publications.rows[-1] == ("", "Tờ rơi hội chợ", "Tờ rơi", "tiếng Việt", "500")


def test_only_tables_with_rows(context):
    data = {"products": [{"name": "Mạch nha", "programme": "cnnt"}]}
    [table] = [block for block in render(data, context) if isinstance(block, Table)]
    assert table.header[0] == "Sản phẩm"


def test_empty_section_renders_nothing(context):
    data = plugin.SECTION_TYPE.new_data()
    assert validate(data, context) == []
    assert render(data, context) == []


# -- the sample, the host and the DOCX -----------------------------------------------------------


def test_host_registers_the_section_type(host):
    assert host.section_types[TYPE].title == "Xúc tiến thương mại"
    assert host.owner_of(TYPE) == "trade_promotion"


def sample_section(rendered):
    [result] = [r for r in rendered.sections if r.section.type == TYPE]
    return result


def test_sample_reproduces_the_reference_paragraph(sample_rendered):
    result = sample_section(sample_rendered)
    assert result.problems == []
    assert result.section.table == "none"
    assert [block.text for block in result.blocks] == [REFERENCE_23]


def test_sample_keeps_its_wording_when_records_are_added(sample_project, host, data):
    project = copy.deepcopy(sample_project)
    [section] = [s for s in project.sections if s.type == TYPE]
    section.data.update(copy.deepcopy(data))
    result = sample_section(render_document(project, host))
    assert [block.text for block in result.blocks] == [REFERENCE_23]


@pytest.fixture
def one_section(data):
    def build(placement: str) -> Project:
        section = Section(type=TYPE, number="2.3.", data=copy.deepcopy(data), table=placement)
        return Project(document=Particulars(date=dt.date(2021, 4, 2)), sections=[section])

    return build


def test_table_placement(one_section, host):
    inline = render_document(one_section("inline"), host)
    assert len([block for block in inline.body if isinstance(block, Table)]) == 3
    appendix = render_document(one_section("appendix"), host)
    assert not [block for block in appendix.body if isinstance(block, Table)]
    [placed] = appendix.appendices
    assert (placed.title, len(placed.blocks)) == ("Xúc tiến thương mại", 3)
    assert appendix.body[-1].text == "(Chi tiết tại Phụ lục I kèm theo.)"
    none = render_document(one_section("none"), host)
    assert not none.appendices
    assert not [block for block in none.body if isinstance(block, Table)]


def test_tables_in_the_docx(one_section, host):
    content = build_docx(render_document(one_section("inline"), host))
    document = docx.Document(io.BytesIO(content))
    grids = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    by_header = {tuple(grid[0]): grid for grid in grids if grid}
    fairs = by_header[plugin.FAIR_HEADER]
    assert len(fairs) == 6
    assert fairs[2] == [
        "2018",
        "Hội chợ Thương mại quốc tế Việt – Trung",
        KUNMING,
        "Nước ngoài",
        "Tỏi Lý Sơn, Đường phèn",
    ]
    products = by_header[plugin.PRODUCT_HEADER]
    assert products[1] == ["Tỏi Lý Sơn", "Sản phẩm OCOP", "4 sao", "2020", "HTX Lý Sơn"]
    publications = by_header[plugin.PUBLICATION_HEADER]
    assert [row[4] for row in publications[1:]] == ["1.500", "2.000", "1.000", "500"]
