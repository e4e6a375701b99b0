"""A report tongket exported as Word reads back whole: each built-in type's printed table.

A body that uses tongket may still send its reply as the Word file. `tongket import
--outline` (and `merge`) must then read the tables tongket printed: the exchanges table
mixing delegations, agreements and conferences, the fairs/products/publications tables, the
training table with its "Tổng số" column, the media pivot of years by outlet. Unit cases of
each shape's reader, then the whole sample exported with every table inline and imported.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
from importlib import resources
from pathlib import Path
from types import SimpleNamespace

import pytest

from tongket.core.host.pluginhost import PluginHost
from tongket.core.render.blocks import Table
from tongket.core.render.document import render_document
from tongket.core.report import store
from tongket.core.report.model import Project, Section
from tongket.core.workflow.docx_figures import _text_after
from tongket.core.workflow.docx_import import import_docx
from tongket.core.workflow.outline import load_outline
from tongket.core.writers.docx_writer import export_docx
from tongket.testing import example_particulars

OUTLINE = Path(str(resources.files("tongket.sample_data") / "de-cuong-mau.toml"))
TYPED = ("economic-results", "partnerships", "trade-promotion", "training", "media")

FAIRS = [
    {
        "year": 2018,
        "name": "Hội chợ Thương mại quốc tế Việt – Trung",
        "place": "Lào Cai",
        "scope": "trong-nuoc",
        "products": ["Tỏi Lý Sơn", "Đường phèn"],
    },
    {
        "year": 2019,
        "name": "Hội chợ Trung Quốc – ASEAN",
        "place": "Nam Ninh, Trung Quốc",
        "scope": "nuoc-ngoai",
        "products": ["Tỏi Lý Sơn"],
    },
]
PRODUCTS = [
    {"name": "Tỏi Lý Sơn", "programme": "ocop", "stars": 4, "year": 2020, "producer": "HTX Lý Sơn"}
]
PUBLICATIONS = [
    {
        "year": 2019,
        "title": "Cẩm nang xuất khẩu sang thị trường Lào",
        "kind": "cam-nang",
        "languages": ["Tiếng Việt", "Tiếng Lào"],
        "copies": 1500,
    }
]
ITEMS = [
    {"year": 2019, "outlet": "Báo Quảng Ngãi", "count": 54},
    {"year": 2020, "outlet": "Báo Quảng Ngãi", "count": 60},
    {"year": 2020, "outlet": "Đài Phát thanh – Truyền hình", "count": 12},
]


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return PluginHost.builtins()


def read(host: PluginHost, type_id: str, *tables: dict):
    return host.outline_read_tables(type_id, {}, list(tables), None)


def table(header: list[str], *rows: list[str]) -> dict:
    return {"header": header, "rows": [list(row) for row in rows]}


# -- partnerships: one table of every kind of exchange, told apart by "Hình thức" ----------

EXCHANGES = ["Năm", "Hình thức", "Đối tác", "Nội dung"]


def test_the_exchange_table_splits_into_delegations_agreements_and_conferences(host):
    exchanges = table(
        EXCHANGES,
        ["2011", "Đón đoàn đến", "Sở Công Thương tỉnh Champasak (Lào)", "Thăm và làm việc"],
        ["2019", "Ký kết ngày 12/3/2019", "Sở Công Thương, Sở Công Thương tỉnh Attapeu", "MoU"],
        ["", "Ký kết", "Hai sở", "Biên bản ghi nhớ"],
        ["2019", "Hội nghị, sự kiện", "Doanh nghiệp Trung Quốc", "Hội nghị dưa hấu (tại Lào Cai)"],
    )
    assert read(host, "partnerships", exchanges) == {
        "delegations": [
            {
                "year": 2011,
                "direction": "den",
                "partner": "Sở Công Thương tỉnh Champasak",
                "place": "Lào",  # the partner cell's "(…)": what the name does not say
                "purpose": "Thăm và làm việc",
            }
        ],
        "agreements": [
            {
                "date": datetime.date(2019, 3, 12),
                # Names joined by commas in a table are a list, as the table printed them.
                "parties": ["Sở Công Thương", "Sở Công Thương tỉnh Attapeu"],
                "title": "MoU",
            },
            {"parties": ["Hai sở"], "title": "Biên bản ghi nhớ"},
        ],
        "conferences": [
            {
                "year": 2019,
                "title": "Hội nghị dưa hấu",
                "partners": ["Doanh nghiệp Trung Quốc"],
                "place": "Lào Cai",
            }
        ],
    }


def test_a_consolidated_exchange_table_keeps_each_rows_body(host):
    exchanges = table(
        [*EXCHANGES, "Đơn vị báo cáo"],
        ["2020", "Cử đoàn đi", "Tỉnh Gyeonggi (Hàn Quốc)", "Xúc tiến", "Sở Ngoại vụ"],
    )
    [row] = read(host, "partnerships", exchanges)["delegations"]
    assert (row["direction"], row["place"], row["body"]) == ("di", "Hàn Quốc", "Sở Ngoại vụ")


def test_an_exchange_table_without_a_column_no_row_filled_is_still_read(host):
    # A column every row leaves empty is not printed: agreements without parties.
    exchanges = table(["Năm", "Hình thức", "Nội dung"], ["", "Ký kết", "Thỏa thuận hợp tác"])
    assert read(host, "partnerships", exchanges) == {
        "agreements": [{"title": "Thỏa thuận hợp tác"}]
    }


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (
            ["2019", "Ký kết", "Hai sở", "MoU"],
            "bảng 1, dòng 2, cột 'Năm': thỏa thuận ghi năm 2019 nhưng 'Ký kết' không ghi ngày "
            "ký năm đó (Ký kết ngày …/…/2019)",
        ),
        (
            ["2019", "Tiếp xúc", "Hai sở", "Gặp gỡ"],
            "bảng 1, dòng 2, cột 'Chiều': 'Tiếp xúc' cần một trong: Đón đoàn đến, Cử đoàn đi",
        ),
    ],
)
def test_an_exchange_row_it_cannot_place_is_refused_with_the_reason(host, row, reason):
    assert read(host, "partnerships", table(EXCHANGES, row)) == reason


# -- trade promotion: the printed headings name their columns (Field.headings) -------------


def test_the_printed_trade_promotion_tables_read_with_units_and_comma_lists(host):
    products = table(
        ["Sản phẩm", "Chương trình", "Hạng sao", "Năm", "Chủ thể"],
        ["Tỏi Lý Sơn", "Sản phẩm OCOP", "4 sao", "2020", "HTX Lý Sơn"],
    )
    publications = table(
        ["Năm", "Ấn phẩm", "Loại", "Ngôn ngữ", "Số bản"],
        ["2019", "Cẩm nang", "Cẩm nang", "Tiếng Việt, Tiếng Lào", "1.500 bản"],
    )
    data = read(host, "trade-promotion", products, publications)
    assert data["products"] == PRODUCTS  # "4 sao": the column's unit is not part of the number
    assert data["publications"] == [
        {
            "year": 2019,
            "title": "Cẩm nang",
            "kind": "cam-nang",
            "languages": ["Tiếng Việt", "Tiếng Lào"],
            "copies": 1500,
        }
    ]


def test_a_list_cell_with_semicolons_keeps_its_commas(host):
    fairs = table(
        ["Năm", "Hội chợ, triển lãm", "Trong nước/Nước ngoài", "Sản phẩm"],
        ["2019", "Hội chợ A", "Trong nước", "Đường phèn, mạch nha; Tỏi"],
    )
    [fair] = read(host, "trade-promotion", fairs)["fairs"]
    assert fair["products"] == ["Đường phèn, mạch nha", "Tỏi"]


# -- training: the "Tổng số" column adds up the counts before it ---------------------------

TRAINING = ["Năm", "Lớp tập huấn", "Hội thảo", "Tổng số", "Lượt người tham dự"]


def test_the_training_table_reads_its_counts_and_checks_its_total_column(host):
    yearly = table(
        TRAINING,
        ["2019", "2", "1", "3", "275"],
        ["2020", "2", "0", "2", "–"],
        ["Tổng cộng", "4", "1", "5", "275"],
    )
    assert read(host, "training", yearly)["yearly"] == [
        {"year": 2019, "trainings": 2, "workshops": 1, "participants": 275},
        {"year": 2020, "trainings": 2, "workshops": 0},
    ]


def test_a_total_column_that_is_not_the_sum_is_refused(host):
    yearly = table(TRAINING, ["2019", "2", "1", "4", "275"])
    assert read(host, "training", yearly) == (
        "bảng 1, dòng 2, cột 'Tổng số': ghi 4 nhưng các cột 'Số lớp tập huấn', 'Số hội thảo' "
        "cộng lại 3"
    )


def test_a_row_of_totals_is_checked_against_the_rows_above_or_since_the_last_subtotal(host):
    periods = table(
        TRAINING,
        ["2019", "2", "1", "3", "100"],
        ["Tổng giai đoạn 2016–2019", "2", "1", "3", "100"],
        ["2020", "1", "0", "1", "50"],
        ["Tổng giai đoạn 2020", "1", "0", "1", "50"],
        ["Tổng cộng", "3", "1", "4", "150"],
    )
    assert len(read(host, "training", periods)["yearly"]) == 2
    wrong = table(TRAINING, ["2019", "2", "1", "3", "100"], ["Tổng cộng", "2", "1", "3", "120"])
    assert read(host, "training", wrong) == (
        "bảng 1, dòng 3, cột 'Lượt người tham dự': ghi 120 nhưng các dòng trên cộng lại 100"
    )


def test_a_total_column_with_nothing_to_add_up_is_a_heading_it_cannot_place(host):
    only_total = table(["Năm", "Tổng số"], ["2019", "3"])
    assert "cột 'Tổng số' không khớp cột nào" in read(host, "training", only_total)


# -- media: years down, one column per outlet, totals checked ------------------------------

MEDIA = ["Năm", "Đài Phát thanh – Truyền hình", "Báo Quảng Ngãi", "Tổng cộng"]


def test_the_media_pivot_reads_one_item_per_year_and_outlet_in_the_tables_order(host):
    pivot = table(
        MEDIA,
        ["2019", "–", "54", "54"],
        ["2020", "12", "60", "72"],
        ["Tổng cộng", "12", "114", "126"],
    )
    assert read(host, "media", pivot)["items"] == [
        {"year": 2020, "outlet": "Đài Phát thanh – Truyền hình", "count": 12},
        {"year": 2019, "outlet": "Báo Quảng Ngãi", "count": 54},  # "–": no item, not 0
        {"year": 2020, "outlet": "Báo Quảng Ngãi", "count": 60},
    ]


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        (
            [["2019", "10", "54", "60"]],
            "bảng 1, dòng 2, cột 'Tổng cộng': ghi 60 nhưng cộng lại 64",
        ),
        (
            [["2019", "10", "54", "64"], ["Tổng cộng", "10", "55", "65"]],
            "bảng 1, dòng 3, cột 'Báo Quảng Ngãi': ghi 55 nhưng cộng lại 54",
        ),
        (
            [["2019", "mười", "54", ""]],
            "bảng 1, dòng 2, cột 'Số tin, bài': 'mười' cần một số nguyên, ví dụ 2021 hoặc 1.409 "
            "(dấu chấm ngăn nghìn, dấu phẩy thập phân)",
        ),
    ],
)
def test_a_media_pivot_whose_totals_disagree_is_refused(host, rows, reason):
    assert read(host, "media", table(MEDIA, *rows)) == reason


def test_an_outlet_with_nothing_published_keeps_its_column_and_reads_back(host):
    # 0 is a figure, "–" is none: the printed table keeps a column of zeros (it would drop
    # an all-empty column of any other table), so the zero reads back.
    silent = {"year": 2019, "outlet": "Đài Phát thanh – Truyền hình", "count": 0}
    data = {"items": [ITEMS[0], silent]}
    section = Section("media", "2.5.", "Tuyên truyền", data, table="inline")
    rendered = render_document(Project(document=example_particulars(), sections=[section]), host)
    [printed] = [block for block in rendered.body if isinstance(block, Table)]
    assert printed.header == ("Năm", "Báo Quảng Ngãi", "Đài Phát thanh – Truyền hình", "Tổng cộng")
    pivot = table(list(printed.header), *(list(row) for row in printed.rows))
    assert silent in read(host, "media", pivot)["items"]


def test_a_table_headed_by_the_items_columns_is_still_read_by_its_headings(host):
    items = table(["Năm", "Cơ quan", "Số tin, bài"], ["2020", "Báo Quảng Ngãi", "60"])
    assert read(host, "media", items)["items"] == [
        {"year": 2020, "outlet": "Báo Quảng Ngãi", "count": 60}
    ]


# -- the whole sample, every table inline, exported and imported ---------------------------


def _every_table_inline(project: Project) -> Project:
    sections = []
    for section in project.sections:
        data = copy.deepcopy(section.data)
        if section.type == "trade-promotion":
            data.update(fairs=FAIRS, products=PRODUCTS, publications=PUBLICATIONS)
        if section.type == "media":
            data["items"] = ITEMS
        table = "inline" if section.type in TYPED else section.table
        sections.append(dataclasses.replace(section, data=data, table=table))
    return dataclasses.replace(project, sections=sections)


def _tables(project: Project, host: PluginHost, number: str) -> list[tuple]:
    rendered = render_document(project, host)
    [result] = [result for result in rendered.sections if result.section.number == number]
    return [
        (block.caption, block.header, block.rows)
        for block in result.blocks
        if isinstance(block, Table)
    ]


def test_a_report_tongket_exported_reads_back_with_every_section_typed(tmp_path, host, sample_path):
    original = _every_table_inline(store.load(sample_path))
    path = tmp_path / "bao-cao.docx"
    export_docx(render_document(original, host), path)

    result = import_docx(path, outline=load_outline(OUTLINE), host=host)

    back = {section.number: section for section in result.project.sections}
    for section in original.sections:
        if section.type not in TYPED:
            continue
        assert back[section.number].type == section.type, result.notes
        # The same tables, cell for cell, from the data read back.
        assert _tables(result.project, host, section.number) == _tables(
            original, host, section.number
        )
    assert back["2.3."].data["fairs"] == FAIRS
    assert back["2.2."].data["agreements"] == [
        {
            "parties": ["Sở Công Thương Quảng Ngãi", "Sở Công Thương tỉnh Champasak"],
            "title": "Biên bản ghi nhớ về việc hợp tác",
        }
    ]
    # The averages note under the economic table comes from periods the reader does not
    # read: kept as the section's own text, never lost.
    assert "Tăng bình quân tính theo bình quân nhân" in back["2.1."].data["after_tables"]


def test_a_table_note_the_type_cannot_print_again_stays_after_the_table(tmp_path, host):
    # Some classes lack participants: the table's note says the total covers only some.
    # Read back as yearly counts the type no longer knows that, so the note stays as text.
    classes = [
        {"year": 2019, "topic": "WTO", "participants": 80},
        {"year": 2019, "topic": "EVFTA"},
        {"year": 2020, "topic": "CPTPP", "participants": 60},
    ]
    section = Section("training", "2.4.", "Tập huấn", {"classes": classes}, table="inline")
    project = Project(document=example_particulars(), sections=[section])
    path = tmp_path / "tap-huan.docx"
    export_docx(render_document(project, host), path)
    result = import_docx(path, outline=load_outline(OUTLINE), host=host)
    [back] = [s for s in result.project.sections if s.number == "2.4."]
    assert back.type == "training", result.notes
    assert back.data["after_tables"] == "Số lượt người tham dự chỉ tính các lớp có ghi số liệu."


def test_a_table_note_the_type_prints_again_is_not_kept_twice():
    rendered = SimpleNamespace(
        body=[Table(header=("Năm",), rows=(("2020",),), note="Số liệu  năm 2020 là ước.")],
        appendices=[],
    )
    tables = [
        {"note": "Số liệu năm 2020 là ước.", "text_after": "Như vậy, đạt kế hoạch."},
        {"note": "Nguồn: Cục Thống kê.", "text_after": ""},
    ]
    assert _text_after(tables, rendered) == "Như vậy, đạt kế hoạch.\n\nNguồn: Cục Thống kê."


def test_tables_in_a_phu_luc_read_back_into_their_sections(tmp_path, host, sample_path):
    original = _every_table_inline(store.load(sample_path))
    in_appendix = [
        dataclasses.replace(section, table="appendix") if section.type in TYPED else section
        for section in original.sections
    ]
    path = tmp_path / "phu-luc.docx"
    export_docx(render_document(dataclasses.replace(original, sections=in_appendix), host), path)

    result = import_docx(path, outline=load_outline(OUTLINE), host=host)
    back = {section.number: section for section in result.project.sections}
    assert [back[section.number].type for section in original.sections[3:8]] == list(TYPED)
    assert back["2.3."].data["fairs"] == FAIRS
    # The outline gives each section its heading, so no phụ lục loses its title: no note
    # says one will (it does without an outline, for a section without a heading).
    assert not [note for note in result.notes if "sẽ mang tên" in note]
    assert [note for note in import_docx(path).notes if "sẽ mang tên" in note]
