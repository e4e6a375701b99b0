"""A Word reply's tables read into the list sections' records (đoàn, hội chợ, lớp, tin bài).

Through the host, as `tongket import --outline` asks (`tongket_outline_read_tables` of the
four built-in list types, `records_word_hooks`), then end to end from a Word file.
"""

from __future__ import annotations

import dataclasses
from importlib import resources
from pathlib import Path

import pytest

from tongket.core.host.pluginhost import PluginHost
from tongket.core.render.document import render_document
from tongket.core.report.model import Project, Section
from tongket.core.workflow.docx_import import import_docx
from tongket.core.workflow.outline import load_outline
from tongket.core.writers.docx_writer import export_docx
from tongket.testing import example_particulars

OUTLINE = Path(str(resources.files("tongket.sample_data") / "de-cuong-mau.toml"))
DELEGATIONS = {
    "header": ["TT", "Năm", "Chiều", "Đối tác", "Tỉnh/quốc gia", "Nội dung làm việc"],
    "rows": [
        ["1", "2019", "Đoàn đến", "Tỉnh Champasak", "Lào", "Thăm và làm việc"],
        ["2", "2020", "cử đoàn đi", "Tỉnh Gyeonggi", "Hàn Quốc", "–"],
    ],
}


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return PluginHost.builtins()


def read(host, type_id: str, *tables: dict, wanted: dict | None = None):
    return host.outline_read_tables(type_id, wanted or {}, list(tables), None)


def test_tongket_outline_read_tables_of_a_list_type_reads_rows_by_column_labels(host):
    assert read(host, "partnerships", DELEGATIONS) == {
        "delegations": [
            {
                "year": 2019,
                "direction": "den",  # "Đoàn đến": the one choice it is part of
                "partner": "Tỉnh Champasak",
                "place": "Lào",
                "purpose": "Thăm và làm việc",
            },
            # "cử đoàn đi" in any case; "–" is an empty cell, left out, never the text "–".
            {"year": 2020, "direction": "di", "partner": "Tỉnh Gyeonggi", "place": "Hàn Quốc"},
        ]
    }


def test_totals_are_left_out_and_a_labels_first_part_names_its_column(host):
    fairs = {
        "header": [
            "Năm",
            "Tên hội chợ",
            "Địa điểm",
            "Trong nước/nước ngoài",
            "Sản phẩm giới thiệu",
        ],
        "rows": [
            ["2019", "Hội chợ Côn Minh", "Côn Minh", "Nước ngoài", "Tỏi Lý Sơn; Mạch nha"],
            ["Tổng cộng", "01", "", "", ""],
        ],
    }
    assert read(host, "trade-promotion", fairs, wanted={"fairs": ["year", "name"]}) == {
        "fairs": [
            {
                "year": 2019,
                "name": "Hội chợ Côn Minh",
                "place": "Côn Minh",
                "scope": "nuoc-ngoai",
                "products": ["Tỏi Lý Sơn", "Mạch nha"],
            }
        ]
    }


def test_the_list_is_the_one_whose_columns_the_headings_name(host):
    yearly = {
        "header": ["Năm", "Số lớp tập huấn", "Số hội thảo", "Lượt người tham dự"],
        "rows": [["2019", "3", "1", "1.250"]],
    }
    classes = {"header": ["Năm", "Chủ đề", "Lượt người tham dự"], "rows": [["2020", "WTO", "80"]]}
    assert read(host, "training", yearly, classes) == {
        "yearly": [{"year": 2019, "trainings": 3, "workshops": 1, "participants": 1250}],
        "classes": [{"year": 2020, "topic": "WTO", "participants": 80}],
        "min_per_year": None,  # a Word reply states no planned minimum: the default is dropped
    }


@pytest.mark.parametrize(
    ("table", "reason"),
    [
        (
            {**DELEGATIONS, "header": ["TT", "Năm", "Phân loại", *DELEGATIONS["header"][3:]]},
            "bảng 1: cột 'Phân loại' không khớp cột nào của 'Đoàn đến, đoàn đi' (có: Năm, Chiều, "
            "Đối tác, Tỉnh/quốc gia, Nội dung làm việc, Đơn vị báo cáo)",
        ),
        (
            {**DELEGATIONS, "rows": [["1", "2019", "Đoàn", "Tỉnh Champasak", "Lào", ""]]},
            "bảng 1, dòng 2, cột 'Chiều': 'Đoàn' cần một trong: Đón đoàn đến, Cử đoàn đi",
        ),
        (
            {**DELEGATIONS, "rows": [["1", "2019 – 2020", "Đoàn đến", "Tỉnh Champasak", "", ""]]},
            "bảng 1, dòng 2, cột 'Năm': '2019 – 2020' cần một số nguyên, ví dụ 2021 hoặc 1.409 "
            "(dấu chấm ngăn nghìn, dấu phẩy thập phân)",
        ),
    ],
)
def test_a_table_it_cannot_read_whole_is_refused_with_the_reason(host, table, reason):
    assert read(host, "partnerships", table) == reason


def test_delegations_in_the_words_reports_use_read_as_their_direction(host):
    # "Đoàn vào" / "Đoàn ra" under "Hình thức": a direction's other words (Field.choice_words).
    said = {
        "header": ["TT", "Năm", "Hình thức", "Đối tác"],
        "rows": [["1", "2019", "Đoàn vào", "Tỉnh Champasak"], ["2", "2020", "ĐOÀN RA", "Gyeonggi"]],
    }
    assert [row["direction"] for row in read(host, "partnerships", said)["delegations"]] == [
        "den",
        "di",
    ]


def test_a_when_column_gives_its_rows_the_one_year_it_names(host):
    # Reports head the year column "Thời gian" and write a month or a date in it.
    classes = {
        "header": ["TT", "Thời gian", "Chủ đề", "Lượt người tham dự"],
        "rows": [
            ["1", "Tháng 5/2019", "WTO", "80"],
            ["2", "15/3/2020", "EVFTA", "60"],
            ["3", "Năm 2021", "CPTPP", "70"],
        ],
    }
    assert [row["year"] for row in read(host, "training", classes)["classes"]] == [
        2019,
        2020,
        2021,
    ]


def test_a_blank_form_table_reads_as_no_rows(host):
    # The form's rows left blank, or with only the year the form filled in: nothing to list.
    blank = {**DELEGATIONS, "rows": [["", "", "", "–", "", ""], ["", "2020", "", "", "", ""]]}
    assert read(host, "partnerships", blank) == {}


def test_a_word_replys_list_table_becomes_the_outlines_list_section(tmp_path, host):
    project = Project(
        document=dataclasses.replace(example_particulars(), agency="SỞ CÔNG THƯƠNG"),
        sections=[
            Section(
                "free-text",
                "2.2.",
                "Hợp tác với các địa phương, tổ chức nước ngoài",
                {"text": "Sở đã đón và cử các đoàn sau:", "tables": [DELEGATIONS]},
            )
        ],
    )
    path = tmp_path / "sct.docx"
    export_docx(render_document(project, host), path)
    result = import_docx(path, outline=load_outline(OUTLINE), host=host)
    [section] = [section for section in result.project.sections if section.number == "2.2."]
    assert section.type == "partnerships"
    assert [row["partner"] for row in section.data["delegations"]] == [
        "Tỉnh Champasak",
        "Tỉnh Gyeonggi",
    ]
    assert section.data["template"] == "Sở đã đón và cử các đoàn sau:"
    assert any("mục 2.2." in note and "số liệu đọc từ bảng Word" in note for note in result.notes)
