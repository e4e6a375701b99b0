"""Consolidation says only what the bodies and the coordinator gave: no invented plan, no body
dropped by a late merge, no TOML under a Word name, no false warning, no partial total passed
off as whole."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tongket.core.cli import main
from tongket.core.render.document import render_document
from tongket.core.report import store

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


def texts(blocks) -> list[str]:
    return [block.text for block in blocks if hasattr(block, "text")]


def section_of(project, type_id: str):
    return next(section for section in project.sections if section.type == type_id)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The sample outline, the sample reply (Sở Công Thương) and two more bodies' replies."""
    (tmp_path / "de-cuong.toml").write_text(
        (SAMPLE / "de-cuong-mau.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    sct = store.load(SAMPLE / "quang-ngai-sct-2021.toml")
    store.save(sct, tmp_path / "sct.toml")
    for agency, file, value in (
        ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "skhdt.toml", 100),
        ("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "sttt.toml", 10),
    ):
        sct.document.agency = agency
        for point in section_of(sct, "economic-results").data["indicators"][0]["series"]:
            point["value"] = value
        store.save(sct, tmp_path / file)
    return tmp_path


def merge(folder: Path, *replies: str, output: str = "tong-hop.toml") -> int:
    return main(
        [
            "merge",
            *(str(folder / name) for name in replies),
            "--outline",
            str(folder / "de-cuong.toml"),
            "-o",
            str(folder / output),
        ]
    )


def exports_2020(path: Path) -> float:
    economic = section_of(store.load(path), "economic-results")
    return next(p["value"] for p in economic.data["indicators"][0]["series"] if p["year"] == 2020)


# -- 1. a reply made from an outline invents no plan -----------------------------------------


def test_a_reply_from_an_outline_carries_no_planned_minimum(folder, host):
    target = folder / "tra-loi.toml"
    assert (
        main(["new", str(target), "--outline", str(folder / "de-cuong.toml"), "--body", "sct"]) == 0
    )
    raw = tomllib.loads(target.read_text(encoding="utf-8"))
    training = next(s for s in raw["sections"] if s["type"] == "training")
    assert "min_per_year" not in training["data"]
    # Once the body lists its classes, no plan nobody typed is printed nor warned about.
    project = store.load(target)
    section = section_of(project, "training")
    section.data["classes"] = [{"year": 2020, "topic": "Hiệp định EVFTA"}]
    result = next(
        r for r in render_document(project, host).sections if r.section.type == "training"
    )
    printed = texts(result.blocks)
    assert "Năm 2020, đã tổ chức 01 lớp tập huấn. Chủ đề lớp tập huấn: Hiệp định EVFTA." in printed
    assert not any("kế hoạch" in text for text in printed)
    assert not any("tối thiểu" in problem.message for problem in result.problems)


def test_the_consolidation_takes_no_bodys_minimum_for_the_province(folder, capsys):
    # The sample reply plans 02 classes a year for Sở Công Thương: not a plan of the province.
    assert merge(folder, "sct.toml", "skhdt.toml") == 0
    err = capsys.readouterr().err
    training = section_of(store.load(folder / "tong-hop.toml"), "training")
    assert "min_per_year" not in training.data
    assert "số lớp tối thiểu mỗi năm là kế hoạch của từng đơn vị" in err
    paths = [path for source in training.provenance.sources for path in source.paths]
    assert "min_per_year" not in paths


def test_a_minimum_the_coordinator_typed_is_kept_by_a_later_merge(folder):
    assert merge(folder, "sct.toml") == 0
    project = store.load(folder / "tong-hop.toml")
    section_of(project, "training").data["min_per_year"] = 5
    store.save(project, folder / "tong-hop.toml")
    assert merge(folder, "sct.toml", "skhdt.toml") == 0
    assert section_of(store.load(folder / "tong-hop.toml"), "training").data["min_per_year"] == 5


# -- 2. a late reply merged alone keeps the bodies merged before ------------------------------


def test_a_late_reply_merged_alone_keeps_the_earlier_bodies(folder, capsys):
    assert merge(folder, "sct.toml", "skhdt.toml") == 0
    assert exports_2020(folder / "tong-hop.toml") == 1409 + 100
    capsys.readouterr()
    assert merge(folder, "sttt.toml") == 0
    out = capsys.readouterr().out
    project = store.load(folder / "tong-hop.toml")
    assert exports_2020(folder / "tong-hop.toml") == 1409 + 100 + 10
    assert [link.file for link in project.consolidation.replies] == [
        "sct.toml",
        "skhdt.toml",
        "sttt.toml",
    ]
    assert "Đã tổng hợp lại 3 báo cáo (3/4 đơn vị)" in out
    assert (
        "giữ 2 báo cáo đã tổng hợp trước (đọc lại từ tệp): Sở Công Thương (sct.toml); "
        "Sở Kế hoạch và Đầu tư (skhdt.toml)" in out
    )


def test_a_bodys_new_reply_replaces_its_earlier_one(folder, capsys):
    assert merge(folder, "sct.toml", "skhdt.toml") == 0
    project = store.load(folder / "skhdt.toml")
    for point in section_of(project, "economic-results").data["indicators"][0]["series"]:
        point["value"] = 200
    store.save(project, folder / "skhdt-sua.toml")
    capsys.readouterr()
    assert merge(folder, "skhdt-sua.toml") == 0
    out = capsys.readouterr().out
    assert exports_2020(folder / "tong-hop.toml") == 1409 + 200  # not + 100 + 200
    links = store.load(folder / "tong-hop.toml").consolidation.replies
    assert [link.file for link in links] == ["sct.toml", "skhdt-sua.toml"]
    assert "Sở Kế hoạch và Đầu tư: skhdt-sua.toml thay cho skhdt.toml đã tổng hợp trước" in out


def test_all_replies_given_again_merge_as_before(folder, capsys):
    assert merge(folder, "sct.toml", "skhdt.toml") == 0
    first = (folder / "tong-hop.toml").read_bytes()
    capsys.readouterr()
    assert merge(folder, "skhdt.toml", "sct.toml") == 0
    assert (folder / "tong-hop.toml").read_bytes() == first
    assert "giữ" not in capsys.readouterr().out


def test_an_earlier_reply_gone_stops_the_merge_and_keeps_the_file(folder, capsys):
    assert merge(folder, "sct.toml", "skhdt.toml") == 0
    before = (folder / "tong-hop.toml").read_bytes()
    (folder / "skhdt.toml").unlink()
    capsys.readouterr()
    assert merge(folder, "sttt.toml") == 2
    err = capsys.readouterr().err
    assert "skhdt.toml: không tìm thấy tệp (báo cáo đã tổng hợp trước của đơn vị 'skhdt'" in err
    assert "1 báo cáo đã tổng hợp trước không đọc lại được" in err
    assert (folder / "tong-hop.toml").read_bytes() == before


# -- 3. the consolidation is a report file ---------------------------------------------------


@pytest.mark.parametrize("name", ["tong-hop.docx", "tong-hop.DOCX", "tong-hop"])
def test_an_output_not_named_toml_is_refused_before_anything_is_written(folder, capsys, name):
    assert merge(folder, "sct.toml", output=name) == 2
    err = capsys.readouterr().err
    assert f"{folder / name}: tệp tổng hợp (-o) cần đuôi .toml" in err
    assert f"tongket export {folder / 'tong-hop.toml'}" in err
    assert not (folder / name).exists()
    assert not (folder / "tong-hop.toml").exists()


# -- 5. "hằng năm", as tongket's prose writes it ---------------------------------------------


def test_the_plan_sentence_says_hang_nam_the_administrative_way():
    from tongket.plugins import training

    data = {"classes": [{"year": 2020, "topic": "EVFTA"}], "min_per_year": 2}
    template = training.default_template(data)
    assert "hằng năm" in template and "hàng năm" not in template


# -- 4. training: counts from one body beside another's classes ------------------------------


def training_result(project, host):
    return next(r for r in render_document(project, host).sections if r.section.type == "training")


def test_one_bodys_counts_beside_anothers_classes_are_not_taken_for_double_counting(
    folder, host, capsys
):
    # Sở Công Thương lists its classes (with participants); Sở Kế hoạch và Đầu tư only counts
    # its 2020 classes, without participants.
    project = store.load(folder / "skhdt.toml")
    section_of(project, "training").data.update(classes=[], yearly=[{"year": 2020, "trainings": 3}])
    store.save(project, folder / "skhdt.toml")
    assert merge(folder, "sct.toml", "skhdt.toml") == 0
    err = capsys.readouterr().err
    assert (
        "năm 2020: Sở Kế hoạch và Đầu tư không ghi lượt người tham dự (Sở Công Thương 145); số "
        "lượt người năm 2020 và dòng Tổng cộng của bảng chỉ tính các đơn vị có ghi" in err
    )
    consolidated = store.load(folder / "tong-hop.toml")
    data = section_of(consolidated, "training").data
    assert data["yearly"] == [{"year": 2020, "trainings": 3, "body": "Sở Kế hoạch và Đầu tư"}]
    result = training_result(consolidated, host)
    messages = [problem.message for problem in result.problems]
    assert not any("cả danh sách từng lớp và số liệu theo năm" in m for m in messages)
    # The total is labelled partial, and the sentence states none.
    [table] = [block for block in result.blocks if hasattr(block, "rows")]
    assert table.rows[-2] == ("2020", "5", "0", "5", "145")
    assert table.note == "Số lượt người tham dự chỉ tính các lớp có ghi số liệu."
    assert not any("lượt người" in text for text in texts(result.blocks) if "Giai đoạn" in text)


def test_one_body_that_both_lists_and_counts_a_year_is_still_warned(folder, host):
    project = store.load(folder / "skhdt.toml")
    section_of(project, "training").data.update(
        classes=[{"year": 2020, "topic": "EVFTA", "participants": 10}],
        yearly=[{"year": 2020, "trainings": 1, "participants": 10}],
    )
    store.save(project, folder / "skhdt.toml")
    # In its own report ...
    own = [p.message for p in training_result(project, host).problems]
    assert any("năm 2020 có cả danh sách từng lớp và số liệu theo năm" in m for m in own)
    # ... and in the consolidation, where the same body gave both.
    assert merge(folder, "sct.toml", "skhdt.toml") == 0
    merged = training_result(store.load(folder / "tong-hop.toml"), host)
    warned = [p.message for p in merged.problems]
    assert any("năm 2020 có cả danh sách từng lớp và số liệu theo năm" in m for m in warned)


# -- 6. media: programmes said apart, an unfinished year said -------------------------------


def media_data():
    return {
        "programmes": [
            {
                "name": "Quảng Ngãi hội nhập và phát triển",
                "outlets": ["Báo Quảng Ngãi"],
                "since": 2016,
                "body": "Sở Thông tin và Truyền thông",
            },
            {
                "name": "Quảng Ngãi  hội nhập và phát triển",  # the same, from another body
                "outlets": ["Đài Phát thanh – Truyền hình"],
                "since": 2018,
                "body": "Sở Công Thương",
            },
            {
                "name": "Đối ngoại nhân dân",
                "outlets": ["Đài Phát thanh – Truyền hình"],
                "since": 2014,
                "frequency": "hằng tháng",
            },
        ],
        "items": [
            {"year": 2020, "outlet": "Báo Quảng Ngãi", "count": 30},
            {"year": 2021, "outlet": "Báo Quảng Ngãi", "count": 12},
        ],
    }


def test_two_programmes_are_not_said_as_one():
    from tongket.plugins import media

    # Once: "Từ năm 2014, thực hiện các chuyên mục “…” và “Đối ngoại nhân dân” trên Báo … và
    # Đài …": both programmes on both outlets since 2014.
    template = media.default_template(media_data())
    assert template.startswith(
        "Từ năm 2016, thực hiện chuyên mục “Quảng Ngãi hội nhập và phát triển” trên Báo Quảng "
        "Ngãi và Đài Phát thanh – Truyền hình; từ năm 2014, thực hiện hằng tháng chuyên mục "
        "“Đối ngoại nhân dân” trên Đài Phát thanh – Truyền hình."
    )


def test_an_unfinished_years_items_are_said_not_whole(host):
    import datetime as dt

    from tongket.core.report.model import Particulars, Project, Section

    project = Project(
        document=Particulars(date=dt.date(2021, 4, 2)),
        sections=[Section("media", "2.5.", "Tuyên truyền", media_data())],
    )
    result = render_document(project, host).sections[0]
    [table] = [block for block in result.blocks if hasattr(block, "rows")]
    assert table.note == "Năm 2021 chưa kết thúc: số tin, bài năm 2021 chưa đủ cả năm."
    assert any(
        problem.message.startswith("năm 2021 chưa kết thúc (văn bản ngày 02/4/2021)")
        for problem in result.problems
    )
    project.document = Particulars(date=dt.date(2022, 1, 10))
    [table] = [b for b in render_document(project, host).sections[0].blocks if hasattr(b, "rows")]
    assert table.note == ""
