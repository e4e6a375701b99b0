"""A coordinator's journey: replies made from the sample outline, merged, checked, exported.

Each test pins a defect found by running the whole job as the Sở Ngoại vụ would.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tongket.core.cli import main
from tongket.core.report import store
from tongket.plugins import body_figures

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


def _economic(project):
    return next(section for section in project.sections if section.type == "economic-results")


@pytest.fixture
def replies(tmp_path: Path) -> Path:
    """The sample outline and two replies made with `tongket new --outline`, filled in."""
    (tmp_path / "de-cuong.toml").write_text(
        (SAMPLE / "de-cuong-mau.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    for body, values in (("sct", {2019: 702, 2020: 655}), ("skhdt", {2019: 40, 2021: 30})):
        target = tmp_path / f"{body}.toml"
        outline = str(tmp_path / "de-cuong.toml")
        assert main(["new", str(target), "--outline", outline, "--body", body]) == 0
        project = store.load(target)
        series = _economic(project).data["indicators"][0]["series"]
        for point in series:
            if point["year"] in values:
                point["value"] = values[point["year"]]
        store.save(project, target)
    return tmp_path


def _merge(folder: Path, *names: str) -> Path:
    target = folder / "tong-hop.toml"
    argv = ["merge", *(str(folder / name) for name in names)]
    assert main([*argv, "--outline", str(folder / "de-cuong.toml"), "-o", str(target)]) == 0
    return target


def test_consolidation_letterhead_does_not_repeat_the_province(replies, capsys):
    # The outline's requester is "Sở Ngoại vụ Quảng Ngãi" under "UBND TỈNH QUẢNG NGÃI": the
    # consolidation printed "SỞ NGOẠI VỤ QUẢNG NGÃI" and its own check warned about it.
    target = _merge(replies, "sct.toml", "skhdt.toml")
    document = store.load(target).document
    assert (document.parent_agency, document.agency) == ("UBND TỈNH QUẢNG NGÃI", "SỞ NGOẠI VỤ")
    capsys.readouterr()
    main(["check", str(target)])
    out = capsys.readouterr().out
    assert "document.agency" not in out
    assert "thiếu câu kết (ví dụ 'Sở Ngoại vụ kính báo cáo./.')" in out


def test_appendix_keeps_a_year_no_body_gave_and_marks_partial_totals(replies):
    # Sở Công Thương gave 2019–2020, Sở Kế hoạch và Đầu tư 2019 and 2021: 2021 lacks one body,
    # 2020 lacks the other; the appendix's "Tổng cộng" said 742 and 655 as if complete.
    target = _merge(replies, "sct.toml", "skhdt.toml")
    appendix = next(s for s in store.load(target).sections if s.type == "body-figures")
    [table] = body_figures.indicator_tables(appendix.data["indicators"][0])
    assert table.header == ("TT", "Đơn vị", "2019", "2020", "2021")
    assert table.rows[-1] == ("", "Tổng cộng", "742", "655 (chưa đủ)", "30 (chưa đủ)")


def test_appendix_year_gap_is_a_column_of_dashes():
    # One body without 2015: the column vanished, so the table read 2014 → 2016 with no gap.
    entry = {
        "name": "kim ngạch xuất khẩu",
        "unit": "tỷ đồng",
        "bodies": [
            {
                "body": "Sở Kế hoạch và Đầu tư",
                "series": [
                    {"year": 2014, "value": 5800},
                    {"year": 2016, "value": 8100, "estimated": True},
                ],
            }
        ],
    }
    [table] = body_figures.indicator_tables(entry)
    assert table.header == ("TT", "Đơn vị", "2014", "2015", "2016")
    assert table.rows == (
        ("1", "Sở Kế hoạch và Đầu tư", "5.800", "–", "8.100 (ước)"),
        ("", "Tổng cộng", "5.800", "–", "8.100 (ước)"),
    )


def test_check_of_a_reply_without_body_names_its_agency(replies, capsys):
    # An imported Word reply has `[outline] body = ""`: check said "không có đơn vị ''".
    target = replies / "sct.toml"
    project = store.load(target)
    project.outline.body = ""
    project.document.agency = "ỦY BAN NHÂN DÂN HUYỆN BÌNH SƠN"
    store.save(project, replies / "binh-son.toml")
    project.document.agency = "Sở  công thương"  # a listed body, by its name: no finding
    store.save(project, replies / "sct-word.toml")
    capsys.readouterr()
    main(["check", str(replies / "binh-son.toml")])
    out = capsys.readouterr().out
    assert "'' " not in out and "đơn vị ''" not in out
    assert (
        "outline.body: cảnh báo: cơ quan ban hành 'ỦY BAN NHÂN DÂN HUYỆN BÌNH SƠN' không có "
        "trong danh sách đơn vị của đề cương de-cuong.toml (có: sct (SỞ CÔNG THƯƠNG), " in out
    )
    main(["check", str(replies / "sct-word.toml")])
    assert "outline.body" not in capsys.readouterr().out


def test_reply_of_a_district_signs_for_the_peoples_committee(tmp_path):
    # A district's skeleton signed "GIÁM ĐỐC", a department head's title; NĐ30's UBND signs
    # "TM. ỦY BAN NHÂN DÂN" over "CHỦ TỊCH".
    outline = (SAMPLE / "de-cuong-mau.toml").read_text(encoding="utf-8")
    outline = outline.replace(
        "[[sections]]",
        '[[bodies]]\nid = "binhson"\nname = "ỦY BAN NHÂN DÂN HUYỆN BÌNH SƠN"\n\n[[sections]]',
        1,
    )
    (tmp_path / "de-cuong.toml").write_text(outline, encoding="utf-8")
    target = tmp_path / "binh-son.toml"
    argv = ["new", str(target), "--outline", str(tmp_path / "de-cuong.toml")]
    assert main([*argv, "--body", "binhson"]) == 0
    signer = store.load(target).document.signer
    assert (signer.prefix, signer.head_title, signer.for_head, signer.signer_title) == (
        "TM.",
        "ỦY BAN NHÂN DÂN",
        "",
        "CHỦ TỊCH",
    )
    assert main([*argv[:1], str(tmp_path / "sct.toml"), *argv[2:], "--body", "sct"]) == 0
    assert store.load(tmp_path / "sct.toml").document.signer.head_title == "GIÁM ĐỐC"
