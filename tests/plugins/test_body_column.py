"""The printed list tables end with "Đơn vị báo cáo" in a consolidated report (tongket merge),
and print no such column in a single body's report."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tongket.core.host.merging import BODY_FIELD
from tongket.core.host.pluginhost import PluginHost
from tongket.core.render.blocks import Table
from tongket.core.render.document import render_document
from tongket.core.report import store
from tongket.core.report.model import Particulars, Project, Section
from tongket.core.workflow.merge import merge_replies
from tongket.core.workflow.outline import load_outline
from tongket.core.workflow.replies import read_reply
from tongket.plugins import partnerships

LABEL = BODY_FIELD.label  # "Đơn vị báo cáo"
SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "quang-ngai-sct-2021.toml"

OUTLINE = """
schema_version = 1
[request]
body = "Sở Ngoại vụ Quảng Ngãi"
parent_body = "UBND TỈNH QUẢNG NGÃI"
number = "2016"
symbol = "SNgV-HTQT"
subject = "báo cáo tổng kết 10 năm"
period_from = 2019
period_to = 2020

[[bodies]]
id = "sct"
name = "SỞ CÔNG THƯƠNG"
[[bodies]]
id = "skhdt"
name = "SỞ KẾ HOẠCH VÀ ĐẦU TƯ"

[[sections]]
type = "partnerships"
number = "1."
heading = "Hợp tác"
[[sections]]
type = "trade-promotion"
number = "2."
heading = "Xúc tiến thương mại"
"""


def reply(agency: str, tag: str, year: int) -> Project:
    partnerships = {
        "delegations": [
            {"year": year, "direction": "den", "partner": f"Tỉnh {tag}", "place": "Lào"}
        ],
        "agreements": [{"date": f"{year}-05-01", "title": f"Biên bản {tag}", "parties": ["A"]}],
        "conferences": [{"year": year, "title": f"Hội nghị {tag}", "place": "Đà Nẵng"}],
    }
    trade = {
        "fairs": [
            {"year": year, "name": f"Hội chợ {tag}", "place": "Hà Nội", "scope": "trong-nuoc"}
        ],
        "products": [{"name": f"Sản phẩm {tag}", "programme": "ocop", "stars": 3, "year": year}],
        "publications": [{"year": year, "title": f"Cẩm nang {tag}", "kind": "cam-nang"}],
    }
    return Project(
        document=Particulars(agency=agency),
        sections=[
            Section("partnerships", "1.", "Hợp tác", partnerships),
            Section("trade-promotion", "2.", "Xúc tiến thương mại", trade),
        ],
    )


@pytest.fixture
def host() -> PluginHost:
    return PluginHost.builtins()


def tables_of(rendered) -> list[Table]:
    blocks = [*rendered.body, *(b for a in rendered.appendices for b in a.blocks)]
    return [block for block in blocks if isinstance(block, Table)]


def test_merged_list_tables_end_with_the_body(tmp_path: Path, host: PluginHost):
    (tmp_path / "de-cuong.toml").write_text(OUTLINE, encoding="utf-8")
    (tmp_path / "tra-loi").mkdir()
    store.save(reply("SỞ CÔNG THƯƠNG", "Một", 2019), tmp_path / "tra-loi" / "sct.toml")
    store.save(reply("Sở Kế hoạch và Đầu tư", "Hai", 2020), tmp_path / "tra-loi" / "skhdt.toml")
    outline = load_outline(tmp_path / "de-cuong.toml")
    replies = [
        read_reply(tmp_path / "tra-loi" / n, outline, tmp_path) for n in ("sct.toml", "skhdt.toml")
    ]
    project = merge_replies(outline, replies, host, base=tmp_path).project
    rendered = render_document(project, host)
    assert not rendered.errors
    tables = tables_of(rendered)
    # Partnerships' exchanges, then trade promotion's fairs, products, publications.
    assert len(tables) == 4
    for table in tables:
        assert table.header[-1] == LABEL
        assert len(table.widths) == len(table.align) == len(table.header)
        assert (table.widths[-1], table.align[-1]) == (2.0, "left")
        bodies = [row[-1] for row in table.rows]
        assert "Sở Công Thương" in bodies and "Sở Kế hoạch và Đầu tư" in bodies
    exchanges = {row[3]: row[-1] for row in tables[0].rows}
    assert exchanges["Biên bản Một"] == "Sở Công Thương"
    assert exchanges["Hội nghị Hai (tại Đà Nẵng)"] == "Sở Kế hoạch và Đầu tư"
    fairs = {row[1]: row[-1] for row in tables[1].rows}
    assert fairs == {"Hội chợ Một": "Sở Công Thương", "Hội chợ Hai": "Sở Kế hoạch và Đầu tư"}


def test_the_sample_prints_no_body_column(host: PluginHost):
    # The sample prints no table ("none"): show them all, as a single body's report would.
    project = store.load(SAMPLE)
    project = replace(
        project, sections=[replace(item, table="inline") for item in project.sections]
    )
    rendered = render_document(project, host)
    headers = [table.header for table in tables_of(rendered)]
    assert partnerships.TABLE_HEADER in headers
    assert all(LABEL not in header for header in headers)
