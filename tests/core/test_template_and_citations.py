"""Sentence templates and citations of legal documents."""

from __future__ import annotations

import datetime as dt

import pytest

from tongket.core.render.citations import (
    CitationBook,
    full_form,
    repeated_full_mentions,
    short_form,
)
from tongket.core.render.inline import parse_runs, split_paragraphs
from tongket.core.render.template import TemplateError, fill, template_problems
from tongket.core.report.model import Citation

VALUES = {"chi_tieu": "kim ngạch xuất khẩu", "tang_binh_quan": {"2011-2015": "7,7%"}}


def test_fill_plain_and_indexed_placeholders():
    text = fill("Bình quân {chi_tieu} tăng {tang_binh_quan[2011-2015]}.", VALUES)
    assert text == "Bình quân kim ngạch xuất khẩu tăng 7,7%."


def test_doubled_braces_print_literally():
    assert fill("{{ghi chú}} {chi_tieu}", VALUES) == "{ghi chú} kim ngạch xuất khẩu"


@pytest.mark.parametrize(
    ("template", "named"),
    [
        ("tăng {tang_nam}", "{tang_nam}"),
        ("tăng {tang_binh_quan[2016-2020]}", "2016-2020"),
        ("tăng {tang_binh_quan}", "{tang_binh_quan}"),
        ("tăng {chi_tieu[x]}", "{chi_tieu[x]}"),
        ("tăng {tang binh}", "{tang binh}"),
        ("tăng {chi_tieu", "'{'"),
        ("tăng chi_tieu}", "'}'"),
    ],
)
def test_bad_templates_name_the_placeholder(template, named):
    (problem,) = template_problems(template, VALUES)
    assert named in problem
    with pytest.raises(TemplateError):
        fill(template, VALUES)


CT04 = Citation(
    "Chỉ thị", "04-CT/TW", dt.date(2011, 7, 6), "Ban Bí thư khóa XI", "về đối ngoại nhân dân"
)


def test_citation_forms():
    assert full_form(CT04) == (
        "Chỉ thị số 04-CT/TW ngày 06/7/2011 của Ban Bí thư khóa XI về đối ngoại nhân dân"
    )
    assert short_form(CT04) == "Chỉ thị số 04-CT/TW"
    undated = Citation("Chương trình hành động", "45-CTr/TU", None, "Ban Thường vụ Tỉnh ủy")
    assert full_form(undated) == "Chương trình hành động số 45-CTr/TU của Ban Thường vụ Tỉnh ủy"


def test_first_mention_full_then_short_and_explicit_forms():
    book = CitationBook({"ct04": CT04})
    assert book.expand("[[ct04]]").startswith("Chỉ thị số 04-CT/TW ngày 06/7/2011")
    assert book.expand("[[ct04]]") == "Chỉ thị số 04-CT/TW"
    assert book.expand("[[ct04|full]]").endswith("về đối ngoại nhân dân")
    assert CitationBook({"ct04": CT04}).expand("[[ct04|short]]") == "Chỉ thị số 04-CT/TW"
    assert book.expand("[[nope]]") == "[[?nope]]"


def test_citation_titles_may_cite_other_documents():
    letter = Citation("Công văn", "2016/SNgV-HTQT", dt.date(2021, 4, 1), "Sở Ngoại vụ",
                      "về việc báo cáo thực hiện [[ct04]]")  # fmt: skip
    book = CitationBook({"ct04": CT04, "cv": letter})
    text = book.expand("Nhận được [[cv]]; thực hiện [[ct04]].")
    assert "thực hiện Chỉ thị số 04-CT/TW ngày 06/7/2011" in text
    assert text.endswith("thực hiện Chỉ thị số 04-CT/TW.")


def test_later_full_mention_typed_by_hand_is_found():
    paragraphs = [
        "Theo Chỉ thị số 04-CT/TW ngày 06/7/2011 của Ban Bí thư.",
        "Quán triệt Chỉ thị 04-CT/TW ngày 06/7/2011 của Ban Bí thư về đối ngoại.",
        "Theo Chỉ thị số 04-CT/TW, …",
    ]
    ((index, key, excerpt),) = repeated_full_mentions(paragraphs, {"ct04": CT04})
    assert (index, key) == (1, "ct04")
    assert excerpt.startswith("Chỉ thị 04-CT/TW ngày 06/7/2011")


def test_inline_markup_and_paragraph_splitting():
    runs = parse_runs("Một **đậm** và *nghiêng* hết")
    assert [(run.text, run.bold, run.italic) for run in runs] == [
        ("Một ", False, False),
        ("đậm", True, False),
        (" và ", False, False),
        ("nghiêng", False, True),
        (" hết", False, False),
    ]
    assert parse_runs("5 * 3 = 15")[0].text == "5 * 3 = 15"
    assert split_paragraphs("\nmột\nhai\n\n  ba \n") == ["một hai", "ba"]
