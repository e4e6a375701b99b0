"""`tongket new REPLY.toml --outline OUTLINE.toml --agency …`, and `check` on the reply."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from tongket.core.cli import main

SAMPLE_OUTLINE = Path(str(resources.files("tongket.sample_data") / "de-cuong-mau.toml"))
TONGKET = Path(sys.executable).with_name("tongket")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with the sample outline in a subfolder, as a coordinator's mail arrives."""
    (tmp_path / "dau-vao").mkdir()
    shutil.copyfile(SAMPLE_OUTLINE, tmp_path / "dau-vao" / "de-cuong.toml")
    return tmp_path


def test_new_with_outline_writes_a_skeleton_that_check_compares(folder, capsys, monkeypatch):
    monkeypatch.chdir(folder)
    code = main(
        ["new", "tra-loi.toml", "--outline", "dau-vao/de-cuong.toml", "--agency", "Sở Công Thương"]
    )
    assert code == 0, capsys.readouterr().err
    table = tomllib.loads((folder / "tra-loi.toml").read_text(encoding="utf-8"))
    assert table["outline"] == {"file": "dau-vao/de-cuong.toml", "body": "sct"}
    assert table["citations"]["cv2016"]["number"] == "2016/SNgV-HTQT"
    assert [section.get("number") for section in table["sections"]] == [
        "",
        "1.",
        "2.",
        "2.1.",
        "2.2.",
        "2.3.",
        "2.4.",
        "2.5.",
        "3.",
    ]
    series = table["sections"][3]["data"]["indicators"][0]["series"]
    assert series[0] == {"year": 2010} and len(series) == 12
    capsys.readouterr()
    assert main(["check", "tra-loi.toml"]) == 1
    out = capsys.readouterr().out
    assert (
        "sections.4.data.indicators.1.series: cảnh báo: mục 2.1.: thiếu số liệu năm 2010–2021 "
        "của 'kim ngạch xuất khẩu' theo đề cương de-cuong.toml"
    ) in out
    assert out.count("theo đề cương de-cuong.toml") == 7


def test_a_reply_without_one_of_the_outlines_types_is_still_compared(folder, capsys):
    # `check` loads only the plugins a report's own sections use; the outline's other types
    # were then "not installed" and the outline itself called broken.
    reply = folder / "tra-loi.toml"
    assert (
        main(
            [
                "new",
                str(reply),
                "--outline",
                str(folder / "dau-vao" / "de-cuong.toml"),
                "--body",
                "sct",
            ]
        )
        == 0
    )
    table = tomllib.loads(reply.read_text(encoding="utf-8"))
    text = reply.read_text(encoding="utf-8")
    media_at = text.index('type = "media"')
    start = text.rindex("[[sections]]", 0, media_at)
    end = text.index("[[sections]]", media_at)
    reply.write_text(text[:start] + text[end:], encoding="utf-8")
    assert "media" in {section["type"] for section in table["sections"]}
    capsys.readouterr()
    main(["check", str(reply)])
    out = capsys.readouterr().out
    assert "chưa cài plugin" not in out and "đề cương có lỗi" not in out
    assert "thiếu mục 2.5. Thông tin, tuyên truyền đối ngoại (media)" in out


def test_new_with_outline_and_an_unknown_body_or_no_agency_exits_2(folder, capsys):
    target = folder / "r.toml"
    outline = str(folder / "dau-vao" / "de-cuong.toml")
    assert main(["new", str(target), "--outline", outline, "--agency", "SỞ Y TẾ"]) == 2
    assert "không có đơn vị tên 'SỞ Y TẾ'" in capsys.readouterr().err
    assert main(["new", str(target), "--outline", outline]) == 2
    assert "--agency" in capsys.readouterr().err
    assert main(["new", str(target), "--outline", outline, "--body", "sct"]) == 0
    assert 'agency = "SỞ CÔNG THƯƠNG"' in target.read_text(encoding="utf-8")


def test_a_broken_outline_is_named_with_its_line_and_nothing_is_written(folder, capsys):
    outline = folder / "dau-vao" / "de-cuong.toml"
    text = outline.read_text(encoding="utf-8")
    outline.write_text(text.replace('unit = "triệu USD"', "unit = 5"), encoding="utf-8")
    line = text[: text.index('unit = "triệu USD"')].count("\n") + 1
    target = folder / "r.toml"
    assert main(["new", str(target), "--outline", str(outline), "--agency", "SỞ CÔNG THƯƠNG"]) == 2
    err = capsys.readouterr().err
    assert f"de-cuong.toml:{line}: sections.3.wanted.indicators.1.unit: cần một chuỗi" in err
    assert not target.exists()
    outline.write_text("[request\n", encoding="utf-8")
    assert main(["new", str(target), "--outline", str(outline), "--agency", "SỞ CÔNG THƯƠNG"]) == 2
    assert "de-cuong.toml:1" in capsys.readouterr().err and not target.exists()


def test_new_with_outline_never_overwrites(folder, capsys):
    target = folder / "r.toml"
    target.write_text("giữ nguyên", encoding="utf-8")
    outline = str(folder / "dau-vao" / "de-cuong.toml")
    assert main(["new", str(target), "--outline", outline, "--agency", "SỞ CÔNG THƯƠNG"]) == 2
    assert "tệp đã có" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "giữ nguyên"


def test_a_bao_cao_reply_names_its_body_in_the_closing(folder):
    target = folder / "r.toml"
    outline = str(folder / "dau-vao" / "de-cuong.toml")
    agency = "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    command = ["new", str(target), "--kind", "bao-cao", "--outline", outline, "--agency", agency]
    assert main(command) == 0
    table = tomllib.loads(target.read_text(encoding="utf-8"))
    assert table["document"]["kind"] == "bao-cao" and table["outline"]["body"] == "sttt"
    assert table["document"]["closing"] == "Sở Thông tin và Truyền thông kính báo cáo./."


@pytest.mark.skipif(not TONGKET.exists(), reason="console script not installed")
def test_console_script_builds_the_reply_and_check_lists_the_gaps(folder):
    environment = {**os.environ, "TONGKET_PLUGINS": ""}
    made = subprocess.run(
        [
            str(TONGKET),
            "new",
            "r.toml",
            "--outline",
            "dau-vao/de-cuong.toml",
            "--agency",
            "SỞ CÔNG THƯƠNG",
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    checked = subprocess.run(
        [str(TONGKET), "check", "r.toml"],
        cwd=folder,
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert checked.returncode == 1
    assert "mục 2.2.: chưa có dòng nào trong 'Đoàn đến, đoàn đi'" in checked.stdout
    assert "Traceback" not in checked.stderr
