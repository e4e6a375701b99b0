"""`tongket check` rules on the particulars and on citations."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from tongket.core.checks import check_project, particulars_problems, symbol_problem, with_lines
from tongket.core.report.model import Particulars, Signer


def clean_particulars(**changes) -> Particulars:
    base = Particulars(
        kind="cong-van",
        parent_agency="UBND TỈNH QUẢNG NGÃI",
        agency="SỞ CÔNG THƯƠNG",
        symbol="SCT-VP",
        place="Quảng Ngãi",
        date=dt.date(2021, 4, 2),
        subject="báo cáo tổng kết",
        recipients=["Sở Ngoại vụ Quảng Ngãi"],
        closing="Sở Công Thương kính báo cáo./.",
        signer=Signer(head_title="GIÁM ĐỐC", name="Võ Văn Rân"),
        distribution=["Như trên", "Lưu: VT, VP"],
    )
    return dataclasses.replace(base, **changes)


def findings(**changes) -> dict[str, str]:
    return {
        problem.where: problem.message
        for problem in particulars_problems(clean_particulars(**changes))
    }


def test_clean_particulars_have_no_findings():
    assert findings() == {}


@pytest.mark.parametrize(
    ("changes", "where", "words"),
    [
        ({"distribution": ["Như trên", "Phòng KH"]}, "document.distribution", "Lưu:"),
        ({"distribution": []}, "document.distribution", "Nơi nhận"),
        ({"recipients": []}, "document.recipients", "Kính gửi"),
        ({"signer": Signer("KT", "GIÁM ĐỐC", name="A")}, "document.signer.prefix", "KT."),
        ({"signer": Signer("KT.", "GIÁM ĐỐC", name="A")}, "document.signer.signer_title", "KT."),
        ({"signer": Signer("", "GIÁM ĐỐC")}, "document.signer.name", "họ tên"),
        (
            {"signer": Signer("TM.", "ỦY BAN NHÂN DÂN", for_head="CHỦ TỊCH", name="A")},
            "document.signer.signer_title",
            "PHÓ CHỦ TỊCH",
        ),
        (
            {
                "signer": Signer(
                    "KT.", "GIÁM ĐỐC", for_head="CHỦ TỊCH", signer_title="PHÓ", name="A"
                )
            },
            "document.signer.for_head",
            "TM.",
        ),
        ({"date": None}, "document.date", "YYYY-MM-DD"),
        ({"symbol": "sct-vp"}, "document.symbol", "in hoa"),
        ({"symbol": "SCT - VP"}, "document.symbol", "khoảng trắng"),
        ({"number": "5a"}, "document.number", "chữ số"),
        ({"subject": "Về việc báo cáo"}, "document.subject", "'Về việc'"),
        ({"subject": "V/v báo cáo"}, "document.subject", "'V/v'"),
    ],
)
def test_particulars_rules(changes, where, words):
    found = findings(**changes)
    assert where in found, found
    assert words in found[where]


def test_an_agency_repeating_its_parents_place_is_advised():
    # A consolidation's letterhead printed "SỞ NGOẠI VỤ QUẢNG NGÃI" under "UBND TỈNH QUẢNG NGÃI".
    found = findings(agency="Sở Ngoại vụ Quảng Ngãi")
    assert found["document.agency"] == (
        "tên cơ quan ban hành lặp địa danh 'Quảng Ngãi' đã có ở cơ quan chủ quản "
        "'UBND TỈNH QUẢNG NGÃI'; tiêu đề văn bản thường chỉ ghi 'SỞ NGOẠI VỤ'"
    )
    [problem] = particulars_problems(clean_particulars(agency="Sở Ngoại vụ Quảng Ngãi"))
    assert problem.severity == "warning"
    # Another place, no place in the parent, or nothing but the place left: no advice.
    for parent, agency in (
        ("UBND TỈNH QUẢNG NGÃI", "UBND HUYỆN SƠN TỊNH"),
        ("TỔNG CÔNG TY ĐIỆN LỰC MIỀN NAM", "CÔNG TY ĐIỆN LỰC MIỀN NAM"),
        ("UBND TỈNH QUẢNG NGÃI", "Sở Quảng Ngãi"),
        ("UBND THÀNH PHỐ HÀ NỘI", "Sở Ngoại vụ Quảng Ngãi"),
    ):
        assert "document.agency" not in findings(parent_agency=parent, agency=agency)


def test_the_missing_closing_is_exemplified_with_the_agencys_own_name():
    # A consolidation by the Sở Ngoại vụ was told to write "Sở Công Thương kính báo cáo./.".
    found = findings(closing="", agency="SỞ NGOẠI VỤ")
    assert found["document.closing"] == "thiếu câu kết (ví dụ 'Sở Ngoại vụ kính báo cáo./.')"
    found = findings(closing="", agency="UBND HUYỆN SƠN TỊNH")
    assert found["document.closing"] == (
        "thiếu câu kết (ví dụ 'UBND huyện Sơn Tịnh kính báo cáo./.')"
    )
    assert "ví dụ 'Sở Công Thương kính" in findings(closing="", agency="")["document.closing"]


def test_a_report_needs_no_recipients():
    assert "document.recipients" not in findings(kind="bao-cao", recipients=[])


@pytest.mark.parametrize("symbol", ["SCT-VP", "BC-UBND", "QyĐ-BNV", "UBND-VX", "TTr-SCT"])
def test_nd30_symbols_pass(symbol):
    assert symbol_problem(symbol) is None


def test_sample_check_points_out_repeated_full_citation(sample_rendered):
    problems = check_project(sample_rendered)
    repeated = [problem for problem in problems if "nhắc lại đầy đủ" in problem.message]
    assert any("04-CT/TW ngày 06/7/2011" in problem.message for problem in repeated)
    assert all(problem.severity == "warning" for problem in repeated)


def test_findings_get_the_line_of_their_field(sample_rendered, sample_path):
    text = sample_path.read_text(encoding="utf-8")
    problems = particulars_problems(clean_particulars(distribution=["Như trên"]))
    (problem,) = with_lines(problems, text)
    assert text.splitlines()[problem.line - 1].startswith("distribution =")
