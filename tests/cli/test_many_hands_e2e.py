"""Many hands, end to end: an outline, three replies (the sample, one built with the Python API,
one Word file made by LibreOffice), `tongket merge`, the coordinator's particulars, `export`.

The consolidated Word file shows the summed figures in the text and the appendix of each body's
figures; `check` names the unit mismatch planted in one reply, with the reply it came from.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

from tongket.core.cli import main
from tongket.core.report import store
from tongket.core.report.model import Particulars, Project, Section, Signer

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


def api_reply() -> Project:
    """Sở Kế hoạch và Đầu tư's reply, typed through the API; its import figures are in tỷ đồng."""
    exports = [{"year": year, "value": 100} for year in range(2010, 2021)]
    imports = [{"year": 2019, "value": 4500}, {"year": 2020, "value": 5200}]
    return Project(
        document=Particulars(
            kind="cong-van",
            parent_agency="UBND TỈNH QUẢNG NGÃI",
            agency="SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
            symbol="SKHĐT-KTĐN",
            place="Quảng Ngãi",
            date=dt.date(2021, 4, 15),
            subject="báo cáo tổng kết 10 năm thực hiện Chỉ thị 04-CT/TW",
            recipients=["Sở Ngoại vụ Quảng Ngãi"],
            signer=Signer(head_title="GIÁM ĐỐC", name="Trần Văn B"),
        ),
        sections=[
            Section("free-text", "1.", "", {"text": "Sở đã phổ biến Chỉ thị đến các phòng."}),
            Section(
                "economic-results",
                "2.1.",
                "",
                {
                    "indicators": [
                        {"name": "kim ngạch xuất khẩu", "unit": "triệu USD", "series": exports},
                        {"name": "kim ngạch nhập khẩu", "unit": "tỷ đồng", "series": imports},
                    ]
                },
            ),
        ],
    )


def word_reply(folder: Path) -> Path:
    """Sở Văn hóa's reply as a Word file LibreOffice wrote (tongket's DOCX, through ODT)."""
    project = Project(
        document=Particulars(
            kind="cong-van",
            parent_agency="UBND TỈNH QUẢNG NGÃI",
            agency="SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
            symbol="SVHTTDL-VP",
            place="Quảng Ngãi",
            date=dt.date(2021, 4, 16),
            subject="báo cáo tổng kết 10 năm thực hiện Chỉ thị 04-CT/TW",
            recipients=["Sở Ngoại vụ Quảng Ngãi"],
            signer=Signer(head_title="GIÁM ĐỐC", name="Lê Thị C"),
            distribution=["Như trên", "Lưu: VT"],
        ),
        sections=[
            Section(
                "free-text",
                "1.",
                "Công tác quán triệt",
                {"text": "Sở Văn hóa đã tổ chức hội nghị quán triệt Chỉ thị."},
            ),
        ],
    )
    source = folder / "word" / "svhttdl.toml"
    source.parent.mkdir()
    store.save(project, source)
    assert main(["export", str(source), "-o", str(source.with_suffix(".docx"))]) == 0
    convert = ["soffice", "--headless", f"-env:UserInstallation=file://{folder / 'lo'}"]
    run = {"cwd": source.parent, "capture_output": True, "timeout": 180, "check": True}
    subprocess.run([*convert, "--convert-to", "odt", "svhttdl.docx"], **run)
    (source.parent / "svhttdl.docx").unlink()
    subprocess.run(
        [*convert, "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder), "svhttdl.odt"],
        **run,
    )
    return folder / "svhttdl.docx"


def test_outline_three_replies_merge_export_and_check(tmp_path, capsys):
    shutil.copy(SAMPLE / "de-cuong-mau.toml", tmp_path / "de-cuong.toml")
    sample = store.load(SAMPLE / "quang-ngai-sct-2021.toml")
    economic = next(section for section in sample.sections if section.type == "economic-results")
    series = [{"year": 2019, "value": 3000}, {"year": 2020, "value": 3400}]
    economic.data["indicators"].append(
        {"name": "kim ngạch nhập khẩu", "unit": "triệu USD", "series": series}
    )
    store.save(sample, tmp_path / "sct.toml")
    store.save(api_reply(), tmp_path / "skhdt.toml")
    replies = ["sct.toml", "skhdt.toml"]
    word = None
    if shutil.which("soffice"):
        word = word_reply(tmp_path)
        replies.append(word.name)
    target = tmp_path / "tong-hop.toml"
    args = [
        *(str(tmp_path / name) for name in replies),
        "--outline",
        str(tmp_path / "de-cuong.toml"),
    ]
    assert main(["merge", *args, "-o", str(target)]) == 0
    capsys.readouterr()

    # The coordinator fills in the particulars, as in the app.
    project = store.load(target)
    document = project.document
    document.place, document.date = "Quảng Ngãi", dt.date(2021, 5, 5)
    document.symbol = "BC-SNGV"
    document.recipients = ["UBND tỉnh Quảng Ngãi"]
    document.closing = "Sở Ngoại vụ kính báo cáo./."
    document.signer = Signer(head_title="GIÁM ĐỐC", name="Nguyễn Văn A")
    store.save(project, target)

    docx = tmp_path / "tong-hop.docx"
    assert main(["export", str(target), "-o", str(docx)]) == 0
    from docx import Document

    word_file = Document(str(docx))
    text = "\n".join(paragraph.text for paragraph in word_file.paragraphs)
    assert "Năm 2020, kim ngạch xuất khẩu đạt 1.509 triệu USD" in text  # 1.409 + 100
    assert "TỔNG HỢP SỐ LIỆU THEO ĐƠN VỊ" in text.upper()
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows] for table in word_file.tables
    ]
    by_body = [table for table in tables if table[0][:2] == ["TT", "Đơn vị"]]
    exports_late = next(table for table in by_body if table[0][-1] == "2020" and len(table) == 4)
    assert exports_late[1][1] == "Sở Công Thương" and exports_late[1][-1] == "1.409"
    assert exports_late[2][1] == "Sở Kế hoạch và Đầu tư" and exports_late[2][-1] == "100"
    assert exports_late[3][1] == "Tổng cộng" and exports_late[3][-1] == "1.509"
    if word is not None:
        assert "Sở Văn hóa, Thể thao và Du lịch:" in text
        assert "Sở Văn hóa đã tổ chức hội nghị quán triệt Chỉ thị." in text

    assert main(["check", str(target)]) == 1
    out = capsys.readouterr().out
    mismatch = [line for line in out.splitlines() if "'tỷ đồng'" in line]
    assert mismatch, out
    assert ".data.indicators.3.unit:" in mismatch[0]
    assert "nguồn: Sở Kế hoạch và Đầu tư (skhdt.toml, mục 2.1.)" in mismatch[0]
