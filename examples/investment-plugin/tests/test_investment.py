"""The investment plugin against tongket's contract, and its figures worked out by hand."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from tongket.core import store
from tongket.core.blocks import Table
from tongket.core.document import render_document
from tongket.core.textrender import blocks_text
from tongket.testing import check_section_type, report_with

import tongket_investment as plugin

HERE = Path(__file__).resolve().parent.parent
YEARS = [
    {"year": 2021, "projects": 15, "registered": 4210.0, "disbursed": 1980.4},
    {"year": 2022, "projects": 18, "registered": 5120.5, "disbursed": 2310.2},
    {"year": 2023, "projects": 23, "registered": 6875.0, "disbursed": 3502.8},
]
VERSION_1 = {
    "don_vi": "tỷ đồng",
    "mo_dau": "Kết quả thu hút đầu tư:",
    "nam": [
        {"nam": 2022, "so_du_an": 18, "von_dang_ky": 5120.5},
        {"nam": 2023, "so_du_an": 23, "von_dang_ky": 6875.0},
    ],
}


def data(**changes):
    return {"intro": "", "unit": "tỷ đồng", "years": copy.deepcopy(YEARS), "outro": "", **changes}


@pytest.fixture
def render(tongket_plugin):
    host = tongket_plugin(plugin)

    def run(section_data, version=None):
        project = report_with(plugin.TYPE_ID, section_data)
        project.sections[0].version = version
        return project, render_document(project, host)

    return run


def test_contract():
    report = check_section_type(
        plugin,
        edge_cases=[
            data(),
            data(years=[{"year": 2023, "projects": 0, "registered": 0}]),
            data(years=[{"year": 2023, "projects": 1, "registered": 10, "disbursed": 0}]),
            data(years=[{"year": 2023, "projects": -1, "registered": 10}]),
            data(years=[{"year": "2023"}]),
            {"years": "not a list"},
        ],
        older_data={1: VERSION_1},
    )
    assert not report.failures


def test_summary_states_totals_rate_and_change(render):
    _project, rendered = render(data())
    assert not rendered.failures and not rendered.errors
    text = blocks_text(rendered.body)
    # 15+18+23 = 56 projects; 4210+5120,5+6875 = 16205,5; 1980,4+2310,2+3502,8 = 7793,4;
    # 7793,4/16205,5 = 48,09%; 6875/5120,5 = 1,3426 → +34,3%.
    assert (
        "Giai đoạn 2021–2023, toàn tỉnh thu hút 56 dự án với tổng vốn đăng ký 16.205,5 tỷ đồng; "
        "vốn giải ngân 7.793,4 tỷ đồng, đạt 48,1% vốn đăng ký. Riêng năm 2023, cấp phép 23 dự án, "
        "vốn đăng ký 6.875,0 tỷ đồng, tăng 34,3% so với năm 2022."
    ) in text


def test_table_has_every_year_and_the_total(render):
    _project, rendered = render(data())
    (table,) = [block for block in rendered.body if isinstance(block, Table)]
    assert table.rows == (
        ("2021", "15", "4.210,0", "1.980,4", "47,0%"),  # 1980,4/4210 = 47,04%
        ("2022", "18", "5.120,5", "2.310,2", "45,1%"),  # 2310,2/5120,5 = 45,12%
        ("2023", "23", "6.875,0", "3.502,8", "50,9%"),  # 3502,8/6875 = 50,95% → 50,9
        ("Tổng cộng", "56", "16.205,5", "7.793,4", "48,1%"),
    )


def test_missing_disbursement_counts_only_reported_years(render):
    years = copy.deepcopy(YEARS)
    del years[2]["disbursed"]
    _project, rendered = render(data(years=years))
    text = blocks_text(rendered.body)
    # (1980,4+2310,2)/(4210+5120,5) = 4290,6/9330,5 = 45,99% → 46,0%
    assert "vốn giải ngân 4.290,6 tỷ đồng, đạt 46,0% vốn đăng ký của các năm đã có số liệu" in text


def test_single_year_is_named_as_a_year(render):
    _project, rendered = render(data(years=YEARS[:1]))
    assert "Năm 2021, toàn tỉnh thu hút 15 dự án" in blocks_text(rendered.body)


def test_repeated_and_unordered_years_name_their_row(render):
    years = copy.deepcopy(YEARS)
    years[1]["year"] = 2021
    _project, rendered = render(data(years=years))
    (problem,) = rendered.errors
    assert problem.where == "sections.1.data.years.2.year"
    assert problem.message == "năm 2021 đã có (dòng trước: 2021)"


def test_negative_capital_is_an_error(render):
    years = copy.deepcopy(YEARS)
    years[0]["registered"] = -5.0
    _project, rendered = render(data(years=years))
    assert [(p.where, p.message) for p in rendered.errors] == [
        ("sections.1.data.years.1.registered", "cần một số không âm")
    ]


def test_version_1_data_is_migrated_and_saved_as_version_2(render):
    project, rendered = render(copy.deepcopy(VERSION_1), version=1)
    assert not rendered.failures
    assert "Riêng năm 2023, cấp phép 23 dự án" in blocks_text(rendered.body)
    section = store.loads(store.dumps(project)).sections[0]
    assert section.version == 2
    assert section.data["years"][0] == {"year": 2022, "projects": 18, "registered": 5120.5}
    assert section.data["intro"] == "Kết quả thu hút đầu tư:"


def test_data_from_a_newer_plugin_is_read_only_and_kept(render):
    newer = {"future": {"field": 1}}
    project, rendered = render(copy.deepcopy(newer), version=3)
    (failure,) = rendered.failures
    assert "phiên bản 3" in failure.message and "chỉ đọc" in failure.message
    assert project.sections[0].version == 3
    assert project.sections[0].data == newer


def installed() -> bool:
    try:
        metadata.distribution("tongket-investment")
    except metadata.PackageNotFoundError:
        return False
    return True


@pytest.mark.skipif(not installed(), reason="chưa cài gói: pip install -e .")
def test_installed_package_renders_the_example_report():
    script = Path(sys.executable).with_name("tongket")
    result = subprocess.run(
        [str(script), "render", str(HERE / "example-report.toml")],
        capture_output=True,
        check=False,
        text=True,
        timeout=60,
        env={**os.environ, "TONGKET_PLUGINS": "tongket-investment"},
    )
    assert result.returncode == 0, result.stderr
    assert "2. Thu hút đầu tư" in result.stdout
    assert "toàn tỉnh thu hút 56 dự án" in result.stdout
