"""The default sentences of the list sections (partnerships, trade promotion, media), read as
a clerk reads them before signing: each test gives data a drafter writes and the exact
sentence that prints for it."""

from __future__ import annotations

import datetime as dt

import pytest

from tongket.core.render.blocks import Paragraph
from tongket.core.render.citations import CitationBook
from tongket.core.render.context import RenderContext
from tongket.core.report.model import Particulars, Section
from tongket.plugins import media, partnerships, trade_promotion

BAO = "Báo Quảng Ngãi"
DAI = "Đài Phát thanh – Truyền hình Quảng Ngãi"
PORTAL = "Cổng thông tin điện tử tỉnh"


def context_for(section_type: str, date: dt.date = dt.date(2025, 12, 31)) -> RenderContext:
    return RenderContext(
        document=Particulars(date=date),
        section=Section(type=section_type, number="2."),
        citations=CitationBook({}),
    )


def sentences(plugin, data: dict, date: dt.date = dt.date(2025, 12, 31)) -> list[str]:
    """The paragraphs the section prints, after checking the data has no errors."""
    context = context_for(plugin.SECTION_TYPE.id, date)
    problems = plugin.SECTION.validate(data, context)
    assert not [problem for problem in problems if problem.severity == "error"], problems
    return [
        block.text for block in plugin.SECTION.render(data, context) if isinstance(block, Paragraph)
    ]


def warnings(plugin, data: dict) -> list[tuple[str, str]]:
    context = context_for(plugin.SECTION_TYPE.id)
    return [
        (problem.where, problem.message)
        for problem in plugin.SECTION.validate(data, context)
        if problem.severity == "warning"
    ]


# -- media (tuyên truyền) ----------------------------------------------------------------------


def item(year: int, outlet: str, count: int) -> dict:
    return {"year": year, "outlet": outlet, "count": count}


def test_media_three_outlets_are_parted_by_semicolons():
    # "tin, bài" has its own comma: "A 12 tin, bài, B 20 tin, bài và …" read as a list of
    # five things.
    data = {"items": [item(2023, BAO, 12), item(2023, DAI, 20), item(2024, PORTAL, 5)]}
    assert sentences(media, data) == [
        "Giai đoạn 2023 – 2024, đã đăng tải, phát sóng 37 tin, bài, trong đó Báo Quảng Ngãi "
        "12 tin, bài; Đài Phát thanh – Truyền hình Quảng Ngãi 20 tin, bài và Cổng thông tin điện "
        "tử tỉnh 05 tin, bài."
    ]


def test_media_years_with_a_gap_are_named_not_given_as_a_period():
    # "Giai đoạn 2021 – 2024" would say 32 items covered 2022 and 2023, which have no row.
    data = {"items": [item(2021, BAO, 12), item(2024, BAO, 20)]}
    assert sentences(media, data) == ["Năm 2021 và 2024, đã đăng tải 32 tin, bài."]


def test_media_programme_typed_twice_with_other_spelling_is_one_programme():
    data = {
        "programmes": [
            {"name": "Công Thương Quảng Ngãi", "outlets": [BAO], "since": 2020},
            {"name": "công thương  Quảng Ngãi", "outlets": [BAO], "since": 2021},
        ]
    }
    assert sentences(media, data) == [
        "Từ năm 2020, thực hiện chuyên mục “Công Thương Quảng Ngãi” trên Báo Quảng Ngãi."
    ]
    values = media.template_values(data)
    assert (values["so_chuyen_muc"], values["chuyen_muc"]) == ("01", "“Công Thương Quảng Ngãi”")


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (
            [item(2024, BAO, 40), item(2025, BAO, 30)],
            "Giai đoạn 2024 – 2025 (năm 2025 tính đến thời điểm báo cáo), đã đăng tải 70 tin, bài.",
        ),
        (
            [item(2025, BAO, 3)],
            "Năm 2025 (tính đến thời điểm báo cáo), đã đăng tải 03 tin, bài.",
        ),
    ],
)
def test_media_an_unfinished_year_is_said_to_be_counted_so_far(items, expected):
    # The report is dated 15/10/2025: 2025's figures are not a whole year's.
    assert sentences(media, {"items": items}, dt.date(2025, 10, 15)) == [expected]
    assert sentences(media, {"items": items}, dt.date(2025, 12, 31)) == [
        expected.replace(" (năm 2025 tính đến thời điểm báo cáo)", "").replace(
            " (tính đến thời điểm báo cáo)", ""
        )
    ]


# -- partnerships (hợp tác, đối ngoại) -------------------------------------------------------

CHAMPASAK = "Sở Công Thương tỉnh Champasak"
JETRO = "Tổ chức Xúc tiến thương mại Nhật Bản (JETRO)"
KOTRA = "Cơ quan Xúc tiến thương mại và đầu tư Hàn Quốc (KOTRA)"


def delegation(year: int, direction: str, partner: str, place: str = "") -> dict:
    record = {"year": year, "direction": direction, "partner": partner}
    return record | ({"place": place} if place else {})


def test_partnerships_one_partner_typed_three_ways_is_one_partner():
    # Two received in 2022 typed again in another spelling and in capitals: one partner, and a
    # warning that a row may be the same delegation typed twice.
    data = {
        "delegations": [
            delegation(2021, "den", CHAMPASAK, "Champasak, Lào"),
            delegation(2022, "den", "SỞ CÔNG THƯƠNG TỈNH CHAMPASAK", "Lào"),
            delegation(2022, "den", "Sở Công thương  tỉnh Champasak", "Lào"),
        ]
    }
    assert sentences(partnerships, data) == [
        "Đã đón 03 lượt đoàn đến thăm và làm việc: Sở Công Thương tỉnh Champasak (Lào; 03 lượt, "
        "năm 2021 và 2022)."
    ]
    assert warnings(partnerships, data) == [
        (
            "delegations.3",
            "trùng năm, chiều và đối tác với dòng 2: lời văn tính là hai lượt đoàn; nếu là một "
            "thì xóa một dòng",
        )
    ]
    assert partnerships.placeholder_values(data)["so_doan_doi_tac"] == {CHAMPASAK: "03"}


def test_partnerships_abbreviated_partner_with_several_visits_keeps_its_bracket():
    # "(JETRO) 02 lượt, năm 2022 và 2024 và KOTRA …": the aside ran into the list.
    data = {
        "delegations": [
            delegation(2022, "den", JETRO),
            delegation(2024, "den", JETRO),
            delegation(2024, "den", KOTRA),
        ]
    }
    assert sentences(partnerships, data) == [
        f"Đã đón 03 lượt đoàn đến thăm và làm việc: {JETRO} (02 lượt, năm 2022 và 2024) và "
        f"{KOTRA} năm 2024."
    ]


@pytest.mark.parametrize(
    ("agreements", "expected"),
    [
        (
            [{"title": "Biên bản ghi nhớ về việc hợp tác"}],
            "Đã ký kết Biên bản ghi nhớ về việc hợp tác.",
        ),
        (
            [
                {"title": "Biên bản ghi nhớ hợp tác", "date": dt.date(2022, 3, 12)},
                {"title": "biên bản ghi nhớ hợp tác", "date": dt.date(2024, 9, 5)},
            ],
            "Đã ký kết 02 Biên bản ghi nhớ hợp tác.",
        ),
    ],
)
def test_partnerships_agreements_of_one_title_name_it_once(agreements, expected):
    # "Đã ký kết 01 thỏa thuận, biên bản ghi nhớ hợp tác: Biên bản ghi nhớ …" said the kind of
    # document twice; the same title in lower case was named again as another agreement.
    assert sentences(partnerships, {"agreements": agreements}) == [expected]


def test_partnerships_conference_sentence_opens_as_the_others_do():
    data = {
        "delegations": [delegation(2023, "di", "Sở Công Thương tỉnh Attapeu", "Lào")],
        "conferences": [
            {"year": 2022, "title": "Hội nghị kết nối cung cầu", "place": "Quảng Ngãi"},
            {"year": 2022, "title": "HỘI NGHỊ KẾT NỐI CUNG CẦU", "place": "Quảng Ngãi"},
        ],
    }
    assert sentences(partnerships, data) == [
        "Đã cử 01 lượt đoàn đi thăm và làm việc: Sở Công Thương tỉnh Attapeu (Lào, năm 2023). "
        "Đã tổ chức, tham gia 02 hội nghị, sự kiện quốc tế: Hội nghị kết nối cung cầu (tại "
        "Quảng Ngãi; 02 lần, năm 2022)."
    ]
    assert warnings(partnerships, data) == [
        (
            "conferences.2",
            "trùng năm và tên hội nghị với dòng 1: lời văn tính là hai hội nghị, sự kiện; nếu là "
            "một thì xóa một dòng",
        )
    ]


# -- trade promotion (xúc tiến thương mại) --------------------------------------------------


def fair(year: int, name: str, scope: str, place: str, products: list[str] | None = None) -> dict:
    record = {"year": year, "name": name, "scope": scope, "place": place}
    return record | ({"products": products} if products else {})


def test_trade_fair_years_come_before_places_that_have_their_own_bracket():
    # "tại Nam Ninh (Trung Quốc) và Tokyo (Nhật Bản) (năm 2023 và 2024)": two brackets side by
    # side, the years read as Tokyo's alone.
    data = {
        "fairs": [
            fair(
                2023, "Hội chợ Trung Quốc – ASEAN (CAEXPO)", "nuoc-ngoai", "Nam Ninh (Trung Quốc)"
            ),
            fair(2024, "Hội chợ Foodex Japan", "nuoc-ngoai", "Tokyo (Nhật Bản)"),
        ]
    }
    assert sentences(trade_promotion, data) == [
        "Đã tổ chức, tham gia 02 hội chợ, triển lãm ở nước ngoài (năm 2023 và 2024) tại Nam "
        "Ninh (Trung Quốc) và Tokyo (Nhật Bản)."
    ]


def test_trade_a_product_typed_in_two_cases_is_shown_once():
    data = {
        "fairs": [
            fair(2023, "Hội chợ OCOP", "trong-nuoc", "Hà Nội", ["Tỏi Lý Sơn", "Mạch nha"]),
            fair(2024, "Hội chợ OCOP", "trong-nuoc", "Hà Nội", ["tỏi  Lý Sơn"]),
        ]
    }
    assert sentences(trade_promotion, data) == [
        "Đã tổ chức, tham gia 02 hội chợ, triển lãm trong nước (năm 2023 và 2024) tại Hà Nội, "
        "giới thiệu, quảng bá các sản phẩm: Tỏi Lý Sơn và Mạch nha."
    ]


def test_trade_ocop_products_of_one_rating_are_not_counted_twice():
    # "01 sản phẩm OCOP (01 sản phẩm 4 sao)" said the count and "sản phẩm" twice.
    data = {"products": [{"name": "Tỏi Lý Sơn", "programme": "ocop", "stars": 4}]}
    assert sentences(trade_promotion, data) == ["Giới thiệu, quảng bá 01 sản phẩm OCOP 4 sao."]


def test_trade_a_fair_typed_twice_is_a_warning_like_a_repeated_delegation():
    # Two rows for one fair printed "02 hội chợ" with no word; partnerships already warned.
    data = {
        "fairs": [
            fair(2023, "Hội chợ Foodex Japan", "nuoc-ngoai", "Tokyo (Nhật Bản)", ["Tỏi Lý Sơn"]),
            fair(2023, "hội chợ  FOODEX japan", "nuoc-ngoai", "Tokyo", ["Tỏi Lý Sơn"]),
            fair(2024, "Hội chợ Foodex Japan", "nuoc-ngoai", "Tokyo (Nhật Bản)", ["Tỏi Lý Sơn"]),
        ]
    }
    assert warnings(trade_promotion, data) == [
        (
            "fairs.2",
            "trùng năm và tên hội chợ với dòng 1: lời văn tính là hai hội chợ; nếu là một thì "
            "xóa một dòng",
        )
    ]


def test_years_four_or_more_in_a_row_are_a_period_fewer_are_named():
    # Ten consecutive years were written out one by one; three stay named, as the reference
    # writes "(năm 2017, 2018 và 2019)".
    ten = {"delegations": [delegation(year, "den", KOTRA) for year in range(2015, 2025)]}
    assert sentences(partnerships, ten) == [
        f"Đã đón 10 lượt đoàn đến thăm và làm việc: {KOTRA} (10 lượt, năm 2015 – 2024)."
    ]
    three = {"delegations": [delegation(year, "den", KOTRA) for year in (2017, 2018, 2019)]}
    assert "năm 2017, 2018 và 2019" in sentences(partnerships, three)[0]
    fairs = {
        "fairs": [
            fair(year, f"Hội chợ {year}", "trong-nuoc", "Hà Nội") for year in range(2015, 2020)
        ]
    }
    assert trade_promotion.placeholder_values(fairs)["nam_hoi_cho"] == "2015 – 2019"


def test_trade_one_other_publication_is_an_anh_pham_and_its_copies_no_total():
    # "Phát hành 01 ấn phẩm khác, tổng số 500 bản": other than nothing, and a total of one.
    one = {"publications": [{"year": 2020, "title": "Sổ tay", "kind": "khac", "copies": 500}]}
    assert sentences(trade_promotion, one) == ["Phát hành 01 ấn phẩm (500 bản)."]
    two = {
        "publications": [
            {"year": 2020, "title": "Sổ tay", "kind": "khac", "copies": 500},
            {"year": 2021, "title": "Cẩm nang", "kind": "cam-nang", "copies": 300},
        ]
    }
    assert sentences(trade_promotion, two) == [
        "Phát hành 02 ấn phẩm (01 cẩm nang và 01 ấn phẩm khác), tổng số 800 bản."
    ]


def test_training_reads_a_word_table_headed_loai_and_so_nguoi_tham_du():
    # A district's table "Năm | Loại | Chủ đề | Số người tham dự" was refused: "Loại" named
    # no column, and its two classes (145 people) were missing from the consolidation.
    from tongket.core.workflow.record_tables import read_record_tables
    from tongket.plugins import training

    table = {
        "header": ["TT", "Năm", "Loại", "Chủ đề", "Số người tham dự"],
        "rows": [
            ["1", "2018", "Lớp tập huấn", "Đối ngoại nhân dân cho cán bộ xã", "85"],
            ["2", "2020", "Hội thảo", "Hội nhập quốc tế tại KKT Dung Quất", "60"],
            ["", "Tổng cộng", "", "", "145"],
        ],
    }
    wanted = {"classes": ["year", "kind", "topic", "participants"]}
    data = read_record_tables(training.SECTION_TYPE.fields, wanted, [table])
    assert isinstance(data, dict), data
    assert [(c["year"], c["kind"], c["participants"]) for c in data["classes"]] == [
        (2018, "tap-huan", 85),
        (2020, "hoi-thao", 60),
    ]


def test_partnerships_a_word_partner_with_its_place_in_brackets_is_split():
    # "Tỉnh Gyeonggi (Hàn Quốc)" in a table without a place column was one partner name, and
    # the same partner typed elsewhere with its place apart printed as a second partner.
    table = {
        "header": ["TT", "Năm", "Chiều", "Đối tác", "Nội dung làm việc"],
        "rows": [
            ["1", "2019", "Cử đoàn đi", "Tỉnh Gyeonggi (Hàn Quốc)", "Quảng bá du lịch"],
            ["2", "2017", "Đón đoàn đến", "Tỉnh Savannakhet", "Trao đổi văn hóa"],
        ],
    }
    wanted = {"delegations": ["year", "direction", "partner", "purpose"]}
    data = partnerships.tongket_outline_read_tables(wanted=wanted, tables=[table])
    assert isinstance(data, dict), data
    assert [(r["partner"], r.get("place", "")) for r in data["delegations"]] == [
        ("Tỉnh Gyeonggi", "Hàn Quốc"),
        ("Tỉnh Savannakhet", ""),
    ]
