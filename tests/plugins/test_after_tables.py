"""The text after a section's tables (`after_tables`, "Đoạn sau bảng"), shared by every data
section through `PROSE_FIELDS`: printed under the tables, where the tables were when they go
to a phụ lục or are not printed, gathered by a merge, kept by the coordinator."""

from __future__ import annotations

import hashlib
import json

import pytest

from tongket.core.host.merging import COORDINATOR_FIELDS
from tongket.core.host.pluginhost import PluginHost
from tongket.core.render.blocks import Paragraph, Table
from tongket.core.render.document import render_document
from tongket.core.render.narrative import prose_narrative
from tongket.core.report.model import Project, Section
from tongket.core.workflow.provenance import printed_fingerprint
from tongket.plugins import training
from tongket.testing import example_particulars

CLASSES = [
    {"year": 2019, "kind": "tap-huan", "topic": "WTO", "participants": 80},
    {"year": 2020, "kind": "tap-huan", "topic": "EVFTA", "participants": 60},
]
AFTER = "Như vậy, năm nào cũng có lớp tập huấn."


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return PluginHost.builtins()


def body(host: PluginHost, table: str) -> tuple[list, list]:
    data = {"classes": CLASSES, "min_per_year": 1, "outro": "Đoạn cuối.", "after_tables": AFTER}
    section = Section("training", "2.4.", "Tập huấn", data, table=table)
    rendered = render_document(Project(document=example_particulars(), sections=[section]), host)
    assert not rendered.errors and not rendered.failures
    [result] = rendered.sections
    kinds = [
        "table" if isinstance(block, Table) else block.text
        for block in result.blocks
        if isinstance(block, Paragraph | Table)
    ]
    return kinds, rendered.appendices


def test_the_text_after_the_tables_prints_under_them(host):
    kinds, _appendices = body(host, "inline")
    assert kinds[-3:] == ["Đoạn cuối.", "table", AFTER]


def test_tables_in_a_phu_luc_leave_their_pointer_where_they_stood(host):
    kinds, appendices = body(host, "appendix")
    assert kinds[-3:] == ["Đoạn cuối.", "(Chi tiết tại Phụ lục I kèm theo.)", AFTER]
    assert [type(block) for block in appendices[0].blocks] == [Table]


def test_tables_not_printed_leave_the_text_after_the_prose(host):
    kinds, _appendices = body(host, "none")
    assert kinds[-2:] == ["Đoạn cuối.", AFTER]


def test_a_consolidations_digest_from_before_the_field_still_holds():
    # A consolidated file written before `after_tables` existed stored the digest of the four
    # fields it had; read again, nothing edited, it must not look edited by the coordinator.
    data = {"text": None, "intro": "Mở đầu.", "template": "", "outro": ""}
    legacy = {name: data.get(name) for name in ("text", "intro", "template", "outro")}
    before = hashlib.sha256(json.dumps(legacy, ensure_ascii=False).encode()).hexdigest()[:16]
    assert printed_fingerprint(data) == before
    assert printed_fingerprint({**data, "after_tables": ""}) == before
    assert printed_fingerprint({**data, "after_tables": "Nhận xét."}) != before
    assert "after_tables" in COORDINATOR_FIELDS  # a merge keeps what the coordinator wrote


def test_a_merge_gathers_a_bodys_text_after_its_tables():
    data = {"classes": CLASSES, "intro": "Mở đầu.", "after_tables": AFTER}
    assert prose_narrative(training.SECTION, data) == f"Mở đầu.\n\n{AFTER}"
