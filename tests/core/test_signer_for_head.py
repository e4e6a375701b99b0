"""A collective's deputy signing: "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", the way
a district's People's Committee signs its reply. It had no field: only a line break typed
inside the signer's title (impossible in the app) printed it, and a Word reply's three title
lines were read as two."""

from __future__ import annotations

import tomllib

from docx import Document

from tongket.core.report import store
from tongket.core.report.model import Signer
from tongket.core.workflow.docx_import import import_docx
from tongket.core.workflow.docx_lines import parse_signer

COLLECTIVE = Signer(
    "TM.", "ỦY BAN NHÂN DÂN", for_head="Chủ tịch", signer_title="PHÓ CHỦ TỊCH", name="Trần Văn B"
)


def test_title_lines_of_a_deputy_for_a_collectives_head():
    assert COLLECTIVE.title_lines() == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    # The head of the collective signing: no KT. line.
    head = Signer("TM.", "ỦY BAN NHÂN DÂN", signer_title="CHỦ TỊCH", name="Đặng Văn Minh")
    assert head.title_lines() == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]


def test_for_head_round_trips_through_the_toml(sample_project, tmp_path):
    sample_project.document.signer = COLLECTIVE
    path = tmp_path / "ubnd.toml"
    store.save(sample_project, path)
    table = tomllib.loads(path.read_text(encoding="utf-8"))["document"]["signer"]
    assert table["for_head"] == "Chủ tịch"
    assert store.load(path).document.signer == COLLECTIVE


def test_a_word_reply_signed_for_the_collectives_head_reads_all_three_lines(tmp_path):
    signer, _titles, _extra = parse_signer(
        ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "(Đã ký)", "Trần Văn B"]
    )
    assert (signer.prefix, signer.head_title, signer.for_head, signer.signer_title) == (
        "TM.",
        "ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    )
    assert signer.name == "Trần Văn B"
    # End to end: no note that only two of the three lines are printed.
    document = Document()
    for text in ("ỦY BAN NHÂN DÂN", "HUYỆN SƠN TỊNH", "Số: 15/UBND", "V/v báo cáo",
                 "Kính gửi: Sở Ngoại vụ", "Nội dung báo cáo.", "Kính báo cáo./."):  # fmt: skip
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Nơi nhận:\n- Như trên;\n- Lưu: VT."
    table.cell(0, 1).text = "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nTrần Văn B"
    path = tmp_path / "son-tinh.docx"
    document.save(str(path))
    result = import_docx(path)
    assert result.project.document.signer.title_lines() == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    ]
    assert not any("dòng chức danh" in note for note in result.notes)
    # Its letterhead's two lines are one agency: "ỦY BAN NHÂN DÂN" is no parent body.
    document = result.project.document
    assert (document.parent_agency, document.agency) == ("", "ỦY BAN NHÂN DÂN HUYỆN SƠN TỊNH")
