"""The requester's outline (đề cương): loading, the outline hooks, skeleton replies, gaps."""

from __future__ import annotations

import copy
import datetime as dt
from importlib import resources
from pathlib import Path

import pytest

from tongket.core.checks import check_project
from tongket.core.commands.new_from_outline import ReplyError, build_reply
from tongket.core.problems import ReportFileError
from tongket.core.render.blocks import Table
from tongket.core.render.document import render_document
from tongket.core.render.viethoa import agency_in_sentence
from tongket.core.report import store
from tongket.core.workflow.gaps import outline_gaps
from tongket.core.workflow.outline import (
    Request,
    load_outline,
    loads_outline,
    same_name,
    wanted_problems,
)
from tongket.core.writers.images import ImageFolders
from tongket.core.writers.textrender import blocks_text, render_text

SAMPLE_OUTLINE = Path(str(resources.files("tongket.sample_data") / "de-cuong-mau.toml"))
REQUEST = Request(
    "Sở Ngoại vụ", "", "1", "SNgV", None, "báo cáo", None, 2019, 2021, dt.date(2021, 6, 30), ""
)
MINIMAL = """[request]
body = "Sở Ngoại vụ"
subject = "báo cáo tổng kết"
period_from = 2019
period_to = 2021
cutoff = 2021-06-30

[[bodies]]
id = "sct"
name = "SỞ CÔNG THƯƠNG"

[[sections]]
type = "economic-results"
number = "1."
heading = "Kinh tế"
guidance = "Ghi số liệu từng năm."

[[sections.wanted.indicators]]
name = "kim ngạch xuất khẩu"
unit = "triệu USD"
"""


@pytest.fixture(scope="module")
def outline():
    return load_outline(SAMPLE_OUTLINE)


@pytest.fixture
def reply_path(tmp_path, outline, host) -> Path:
    """A skeleton reply of the Sở Công Thương, saved next to a copy of the sample outline."""
    (tmp_path / "de-cuong.toml").write_bytes(SAMPLE_OUTLINE.read_bytes())
    copied = load_outline(tmp_path / "de-cuong.toml")
    project = build_reply(copied, agency="SỞ CÔNG THƯƠNG", host=host, outline_file="de-cuong.toml")
    path = tmp_path / "tra-loi.toml"
    store.save(project, path)
    return path


def gaps_of(path: Path, host) -> list[str]:
    return [f"{p.where}: {p.message}" for p in outline_gaps(store.load(path), path.parent, host)]


# -- loading -------------------------------------------------------------------------------


def test_sample_outline_loads_with_its_request_bodies_and_sections(outline):
    request = outline.request
    assert request.reference == "2016/SNgV-HTQT"
    assert (request.date, request.period_from, request.period_to) == (
        dt.date(2021, 4, 1),
        2011,
        2021,
    )
    assert request.estimated_only(2021) and not request.estimated_only(2020)
    assert 3 <= len(outline.bodies) <= 5
    assert outline.body_named("Sở  công thương").id == "sct"
    types = {section.type for section in outline.sections}
    assert types >= {"economic-results", "partnerships", "trade-promotion", "training", "media"}
    economic = next(s for s in outline.sections if s.type == "economic-results")
    assert economic.number == "2.1." and economic.guidance
    assert economic.wanted["indicators"][0]["unit"] == "triệu USD"


@pytest.mark.parametrize(
    ("change", "line", "key", "message"),
    [
        (("[request]", "[request]\nbody = "), 2, "", "TOML không hợp lệ"),
        (("[request]", "colour = 1\n[request]"), 1, "colour", "khóa không được biết"),
        (('body = "Sở Ngoại vụ"\n', ""), 1, "request", "thiếu 'body'"),
        (("cutoff = 2021-06-30", 'cutoff = "30/6/2021"'), 6, "request.cutoff", "YYYY-MM-DD"),
        (("period_to = 2021", "period_to = 2018"), 5, "request.period_to", "trước năm đầu"),
        (("period_to = 2021\n", ""), 1, "request", "thiếu 'period_to'"),
        (("period_from = 2019", "period_from = 19"), 4, "request.period_from", "1945–2100"),
        (('subject = "báo cáo', 'subject = "V/v báo cáo'), 3, "request.subject", "V/v"),
        (('id = "sct"', 'id = "Sở CT"'), 9, "bodies.1.id", "chữ thường không dấu"),
        (
            ('name = "SỞ CÔNG THƯƠNG"\n', 'name = "A"\n[[bodies]]\nid = "sct"\nname = "B"\n'),
            12,
            "bodies.2.id",
            "trùng",
        ),
        (('type = "economic-results"\n', ""), 12, "sections.1", "thiếu 'type'"),
        (
            ('guidance = "Ghi số liệu từng năm."', "guidance = 5"),
            16,
            "sections.1.guidance",
            "chuỗi",
        ),
        (('number = "1."', 'numero = "1."'), 14, "sections.1.numero", "'number'"),
    ],
)
def test_bad_outline_is_refused_with_file_line_and_key(change, line, key, message):
    old, new = change
    assert old in MINIMAL
    with pytest.raises(ReportFileError) as caught:
        loads_outline(MINIMAL.replace(old, new, 1), "dc.toml")
    error = caught.value
    assert (error.file, error.line, error.key) == ("dc.toml", line, key), str(error)
    assert message in error.message


def test_outline_without_sections_or_with_a_repeated_number_is_refused():
    head = MINIMAL.split("[[sections]]")[0]
    with pytest.raises(ReportFileError, match="chưa có mục nào"):
        loads_outline(head, "dc.toml")
    twice = MINIMAL + '\n[[sections]]\ntype = "free-text"\nnumber = "1"\n'
    with pytest.raises(ReportFileError) as caught:
        loads_outline(twice, "dc.toml")
    assert (caught.value.line, caught.value.key) == (24, "sections.2.number")


def test_unreadable_outline_files_are_named(tmp_path):
    for path, message in (
        (tmp_path / "nothing.toml", "không tìm thấy"),
        (tmp_path, "thư mục"),
    ):
        with pytest.raises(ReportFileError, match=message):
            load_outline(path)
    latin = tmp_path / "latin.toml"
    latin.write_bytes("[request]\nbody = 'S\xf4'\n".encode("latin-1"))
    with pytest.raises(ReportFileError, match="UTF-8"):
        load_outline(latin)


def test_same_name_ignores_case_spaces_and_unicode_form():
    assert same_name("SỞ CÔNG THƯƠNG", "Sở  Công Thương")
    assert same_name("Sở Công Thương", "So\u031b\u0309 Công Thương")
    assert not same_name("Sở Công Thương", "Sở Tài chính")


# -- what each section type accepts (tongket_outline_check) ---------------------------------


def _outline_with(section: str, tmp_path: Path):
    path = tmp_path / "dc.toml"
    path.write_text(MINIMAL.split("[[sections]]")[0] + section, encoding="utf-8")
    return load_outline(path)


@pytest.mark.parametrize(
    ("section", "line", "where", "message"),
    [
        (
            '[[sections]]\ntype = "economic-results"\n[[sections.wanted.indicators]]\nname = "x"\n'
            "unit = 5\n",
            16,
            "sections.1.wanted.indicators.1.unit",
            "chuỗi",
        ),
        (
            '[[sections]]\ntype = "economic-results"\n[[sections.wanted.indicators]]\nname = "x"\n'
            "years = [2019, 2019]\n",
            16,
            "sections.1.wanted.indicators.1.years.2",
            "trùng",
        ),
        (
            '[[sections]]\ntype = "economic-results"\n[[sections.wanted.indicators]]\nname = "x"\n'
            "colour = 1\n",
            16,
            "sections.1.wanted.indicators.1.colour",
            "khóa không được biết",
        ),
        (
            '[[sections]]\ntype = "partnerships"\n[sections.wanted]\ndelegation = ["year"]\n',
            15,
            "sections.1.wanted.delegation",
            "không có danh sách 'delegation'",
        ),
        (
            '[[sections]]\ntype = "training"\n[sections.wanted]\nclasses = ["year", "teacher"]\n',
            15,
            "sections.1.wanted.classes.2",
            "không có cột 'teacher'",
        ),
        (
            '[[sections]]\ntype = "media"\n[sections.wanted]\nitems = { columns = ["count"], '
            "years = [1800] }\n",
            15,
            "sections.1.wanted.items.years.1",
            "1945–2100",
        ),
        (
            '[[sections]]\ntype = "free-text"\n[sections.wanted]\nwords = 300\n',
            15,
            "sections.1.wanted.words",
            "không nhận yêu cầu",
        ),
        ('[[sections]]\ntype = "investment"\n', 13, "sections.1.type", "chưa cài plugin"),
    ],
)
def test_tongket_outline_check_of_each_built_in_names_the_line(
    section, line, where, message, tmp_path, host
):
    (problem,) = wanted_problems(_outline_with(section, tmp_path), host)
    assert (problem.line, problem.where) == (line, where), problem
    assert message in problem.message


def test_tongket_outline_check_accepts_the_sample_outline(outline, host):
    assert wanted_problems(outline, host) == []


def test_tongket_outline_check_wants_years_when_the_request_has_no_period(tmp_path, host):
    text = MINIMAL.replace("period_from = 2019\nperiod_to = 2021\n", "")
    (tmp_path / "dc.toml").write_text(text, encoding="utf-8")
    (problem,) = wanted_problems(load_outline(tmp_path / "dc.toml"), host)
    assert problem.where == "sections.1.wanted.indicators.1.years"


# -- skeletons (tongket_outline_prefill) -----------------------------------------------------


def test_tongket_outline_prefill_gives_the_wanted_years_without_values(outline, host):
    wanted = outline.sections[2].wanted
    data = host.section_types["economic-results"].new_data()
    filled = host.outline_prefill("economic-results", wanted, data, outline.request)
    (indicator,) = filled["indicators"]
    assert (indicator["name"], indicator["unit"]) == ("kim ngạch xuất khẩu", "triệu USD")
    assert indicator["series"] == [{"year": year} for year in range(2010, 2022)]
    lists = host.section_types["partnerships"].new_data()
    assert host.outline_prefill("partnerships", {"delegations": ["year"]}, lists, REQUEST) == lists


def test_skeleton_cites_the_request_and_carries_every_wanted_section(reply_path, outline):
    project = store.load(reply_path)
    document = project.document
    assert document.agency == "SỞ CÔNG THƯƠNG" and document.recipients == [outline.request.body]
    assert document.subject == outline.request.subject
    assert document.closing == "Sở Công Thương kính báo cáo./."
    (citation,) = project.citations.values()
    assert (citation.kind, citation.number, citation.date) == (
        "Công văn",
        "2016/SNgV-HTQT",
        dt.date(2021, 4, 1),
    )
    assert project.sections[0].data["text"].startswith("Thực hiện [[cv2016]], Sở Công Thương")
    assert "20/4/2021" in project.sections[0].guidance  # the deadline, for the drafter
    answered = [(s.type, s.number, s.heading, s.guidance) for s in project.sections[1:]]
    assert answered == [(s.type, s.number, s.heading, s.guidance) for s in outline.sections]
    assert (project.outline.file, project.outline.body) == ("de-cuong.toml", "sct")


def test_skeleton_renders_and_check_finds_exactly_the_gaps(reply_path, host):
    project = store.load(reply_path)
    rendered = render_document(project, host)
    assert not rendered.failures and not rendered.errors
    text = render_text(rendered)
    assert "Thực hiện Công văn số 2016/SNgV-HTQT ngày 01/4/2021 của Sở Ngoại vụ" in text
    assert "Ghi số liệu" not in text and "hạn gửi" not in text  # guidance is never exported
    found = check_project(rendered, images=ImageFolders.for_report(reply_path))
    gaps = sorted(f"{p.where}: {p.message}" for p in found if "theo đề cương" in p.message)
    name = "theo đề cương de-cuong.toml"
    assert gaps == sorted(
        [
            f"sections.4.data.indicators.1.series: mục 2.1.: thiếu số liệu năm 2010–2021 của "
            f"'kim ngạch xuất khẩu' {name}",
            f"sections.5.data.delegations: mục 2.2.: chưa có dòng nào trong 'Đoàn đến, đoàn đi' "
            f"{name}",
            f"sections.5.data.agreements: mục 2.2.: chưa có dòng nào trong 'Thỏa thuận, biên "
            f"bản ghi nhớ' {name}",
            f"sections.6.data.fairs: mục 2.3.: chưa có dòng nào trong 'Hội chợ, triển lãm' {name}",
            f"sections.7.data.classes: mục 2.4.: chưa có dòng nào trong 'Lớp tập huấn, hội thảo' "
            f"{name}",
            f"sections.8.data.programmes: mục 2.5.: chưa có dòng nào trong 'Chương trình, "
            f"chuyên mục' {name}",
            f"sections.8.data.items: mục 2.5.: chưa có dòng nào trong 'Tin, bài đã đăng, phát' "
            f"{name}",
        ]
    )
    assert all(p.severity == "warning" for p in found if "theo đề cương" in p.message)


# -- gaps (tongket_outline_gaps) --------------------------------------------------------------


def _economic(project):
    return next(s for s in project.sections if s.type == "economic-results")


def test_tongket_outline_gaps_close_when_the_figures_are_filled(reply_path, host):
    project = store.load(reply_path)
    series = _economic(project).data["indicators"][0]["series"]
    for point in series:
        point["value"] = 100 + point["year"] - 2010
    series[-1]["estimated"] = True
    store.save(project, reply_path)
    assert not any("2.1." in gap for gap in gaps_of(reply_path, host))
    series[-2].pop("value")
    store.save(project, reply_path)
    assert [g for g in gaps_of(reply_path, host) if "2.1." in g] == [
        "sections.4.data.indicators.1.series: mục 2.1.: thiếu số liệu năm 2020 của "
        "'kim ngạch xuất khẩu' theo đề cương de-cuong.toml"
    ]


def test_tongket_outline_gaps_report_a_different_unit_and_an_unmarked_estimate(host):
    wanted = {"indicators": [{"name": "kim ngạch xuất khẩu", "unit": "triệu USD"}]}
    series = [{"year": 2019, "value": 1}, {"year": 2020, "value": 2}, {"year": 2021, "value": 3}]
    data = {"indicators": [{"name": "Kim ngạch  xuất khẩu", "unit": "tỷ đồng", "series": series}]}
    found = host.outline_gaps("economic-results", wanted, data, REQUEST)
    assert [(p.where, p.message) for p in found] == [
        (
            "indicators.1.unit",
            "đơn vị của 'kim ngạch xuất khẩu' là 'tỷ đồng', đề cương yêu cầu 'triệu USD'",
        ),
        (
            "indicators.1.series.3.estimated",
            "số liệu năm 2021 của 'kim ngạch xuất khẩu' chưa "
            "đánh dấu ước thực hiện (estimated = true): đề cương lấy số liệu đến ngày 30/6/2021",
        ),
    ]
    series[2]["estimated"] = True
    data["indicators"][0]["unit"] = "triệu USD"
    assert host.outline_gaps("economic-results", wanted, data, REQUEST) == []
    assert [p.message for p in host.outline_gaps("economic-results", wanted, {}, REQUEST)] == [
        "thiếu chỉ tiêu 'kim ngạch xuất khẩu' (triệu USD)"
    ]


def test_tongket_outline_gaps_of_lists_name_rows_columns_and_years(host):
    wanted = {"items": {"columns": ["year", "outlet", "count"], "years": [2020, 2021]}}
    data = {"items": [{"year": 2020, "outlet": "", "count": 3}]}
    found = host.outline_gaps("media", wanted, data, REQUEST)
    assert [(p.where, p.message) for p in found] == [
        ("items.1.outlet", "dòng 1 của 'Tin, bài đã đăng, phát' thiếu 'Cơ quan'"),
        ("items", "chưa có dòng nào năm 2021 trong 'Tin, bài đã đăng, phát'"),
    ]


def test_missing_and_retyped_sections_and_a_wrong_agency_are_gaps(reply_path, host):
    project = store.load(reply_path)
    del project.sections[5]  # 2.3. trade promotion
    project.sections[-1].type = "economic-results"  # 3. was free text
    project.document.agency = "SỞ TÀI CHÍNH"
    store.save(project, reply_path)
    found = gaps_of(reply_path, host)
    assert (
        "outline.file: thiếu mục 2.3. Xúc tiến thương mại, quảng bá hình ảnh địa phương "
        "(trade-promotion) theo đề cương de-cuong.toml" in found
    )
    assert any(
        g.startswith("sections.8.type: mục 3.: loại mục là 'economic-results'") for g in found
    )
    assert any(g.startswith("document.agency: cơ quan ban hành 'SỞ TÀI CHÍNH'") for g in found)


def test_a_missing_or_broken_outline_is_one_finding(reply_path, host):
    outline_path = reply_path.parent / "de-cuong.toml"
    outline_path.unlink()
    (finding,) = gaps_of(reply_path, host)
    assert finding.startswith("outline.file: không đọc được đề cương: ")
    assert "de-cuong.toml: không tìm thấy tệp đề cương" in finding
    outline_path.write_text("[request\n", encoding="utf-8")
    (finding,) = gaps_of(reply_path, host)
    assert "de-cuong.toml:1" in finding and "TOML không hợp lệ" in finding


def test_reply_to_an_unknown_body_is_refused(outline, host):
    with pytest.raises(ReplyError, match=r"không có đơn vị tên 'SỞ Y TẾ'.*sct"):
        build_reply(outline, agency="SỞ Y TẾ", host=host)
    with pytest.raises(ReplyError, match="không có đơn vị 'syt'"):
        build_reply(outline, agency="SỞ Y TẾ", body_id="syt", host=host)
    reply = build_reply(outline, agency="", body_id="skhdt", host=host)
    assert reply.document.agency == "SỞ KẾ HOẠCH VÀ ĐẦU TƯ"
    assert reply.document.closing == "Sở Kế hoạch và Đầu tư kính báo cáo./."


def test_agency_names_are_written_as_a_sentence_writes_them():
    assert agency_in_sentence("SỞ CÔNG THƯƠNG") == "Sở Công Thương"
    assert agency_in_sentence("UBND HUYỆN SƠN TỊNH") == "UBND huyện Sơn Tịnh"
    assert (
        agency_in_sentence("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH") == "Sở Văn hóa, Thể thao và Du lịch"
    )
    assert agency_in_sentence("UBND THÀNH PHỐ QUẢNG NGÃI") == "UBND thành phố Quảng Ngãi"
    assert agency_in_sentence("Sở Ngoại vụ") == "Sở Ngoại vụ"
    # Written out, a People's Committee or Council was "Ủy Ban nhân dân huyện bình sơn".
    assert agency_in_sentence("ỦY BAN NHÂN DÂN HUYỆN BÌNH SƠN") == "Ủy ban nhân dân huyện Bình Sơn"
    assert agency_in_sentence("UỶ BAN NHÂN DÂN THỊ XÃ ĐỨC PHỔ") == "Ủy ban nhân dân thị xã Đức Phổ"
    assert agency_in_sentence("HỘI ĐỒNG NHÂN DÂN TỈNH QUẢNG NGÃI") == (
        "Hội đồng nhân dân tỉnh Quảng Ngãi"
    )


# -- the reply file and estimates --------------------------------------------------------------


def test_outline_table_and_guidance_round_trip_and_stay_absent_otherwise(reply_path, sample_path):
    text = reply_path.read_text(encoding="utf-8")
    assert '[outline]\nfile = "de-cuong.toml"\nbody = "sct"' in text
    project = store.load(reply_path)
    assert store.loads(store.dumps(project)) == project
    plain = store.dumps(store.load(sample_path))
    assert "guidance" not in plain and "[outline]" not in plain
    with pytest.raises(ReportFileError) as caught:
        store.loads(text.replace('body = "sct"', 'body = "sct"\nbodies = 1'), "r.toml")
    assert caught.value.key == "outline.bodies"


def test_estimated_values_print_uoc_in_the_sentence_and_the_table(sample_project, host):
    project = copy.deepcopy(sample_project)
    section = _economic(project)
    section.data["indicators"][0]["series"][-1]["estimated"] = True
    section.table = "inline"
    rendered = render_document(project, host)
    assert not rendered.errors
    text = blocks_text(rendered.body)
    assert "năm 2020 đạt 1.409 triệu USD (ước thực hiện)" in text
    table = next(b for b in rendered.body if isinstance(b, Table))
    assert table.rows[-1][:2] == ("2020", "1.409 (ước)")
    assert table.rows[-2][1] == "1.080"


def test_tongket_outline_hooks_of_the_docs_reference_plugin_work(host):
    # docs/plugins.md's examples for the three outline hooks, on its "investment" section.
    import re
    import types

    text = (Path(__file__).resolve().parents[2] / "docs" / "plugins.md").read_text("utf-8")
    reference = text.partition("\n## Hook reference\n")[2]
    blocks = re.findall(r"^```python\n(.*?)^```", reference, re.MULTILINE | re.DOTALL)
    plugin = types.ModuleType("investment_docs")
    for name in (
        "tongket_section_types",
        "tongket_outline_check",
        "tongket_outline_prefill",
        "tongket_outline_gaps",
    ):
        (code,) = [b for b in blocks if re.search(rf"^def {name}\b", b, re.M) and "@hookimpl" in b]
        exec(code, plugin.__dict__)
    local = type(host)()
    local.add_plugin(plugin)
    assert [p.where for p in local.outline_check("investment", {"projects": ["x"]}, REQUEST)] == [
        "projects.1"
    ]
    data = local.outline_prefill("investment", {}, {"projects": [], "note": ""}, REQUEST)
    assert data["note"] == "Số dự án các năm 2019–2021"
    (gap,) = local.outline_gaps("investment", {"projects": ["year"]}, {"projects": []}, REQUEST)
    assert gap.message == "chưa có dòng nào trong 'Dự án theo năm'"


@pytest.mark.parametrize(
    ("change", "line", "key", "shown"),
    [
        (('subject = "báo cáo', 'subject = "báo \\u202ecáo'), 3, "request.subject", "U+202E"),
        (('name = "SỞ CÔNG THƯƠNG"', 'name = "SỞ\\u0007 CT"'), 10, "bodies.1.name", "U+0007"),
        (("Ghi số liệu", "Ghi\\u001b[31m số liệu"), 16, "sections.1.guidance", "U+001B"),
        (
            ('unit = "triệu USD"', 'unit = "triệu\\u2066 USD"'),
            20,
            "sections.1.wanted.indicators.1.unit",
            "U+2066",
        ),
    ],
)
def test_control_and_bidi_characters_in_an_outline_are_refused_with_line_and_key(
    change, line, key, shown
):
    # Every reply made from the outline would carry them into its letterhead and sentences.
    old, new = change
    assert old in MINIMAL
    with pytest.raises(ReportFileError) as caught:
        loads_outline(MINIMAL.replace(old, new, 1), "dc.toml")
    assert (caught.value.line, caught.value.key) == (line, key), str(caught.value)
    assert shown in caught.value.message
    # Line breaks, tabs and a no-break space in guidance are text, not control.
    loads_outline(MINIMAL.replace("Ghi số liệu", "Ghi\\tsố\\u00a0liệu\\nrõ"), "dc.toml")


def test_a_fifo_as_outline_is_refused_without_opening_it(tmp_path):
    import os

    fifo = tmp_path / "de-cuong.toml"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
    with pytest.raises(ReportFileError, match="FIFO"):
        load_outline(fifo)


def test_agency_of_another_body_than_body_or_with_control_characters_is_refused(tmp_path, host):
    outline = loads_outline(
        MINIMAL + '[[bodies]]\nid = "skhdt"\nname = "SỞ KẾ HOẠCH VÀ ĐẦU TƯ"\n', "dc.toml"
    )
    with pytest.raises(ReplyError, match="là tên đơn vị 'skhdt', khác --body 'sct'"):
        build_reply(outline, agency="Sở Kế hoạch và  Đầu tư", body_id="sct", host=host)
    # Another spelling of the same body, or a name the outline does not list, is the drafter's.
    project = build_reply(outline, agency="Sở Công Thương", body_id="sct", host=host)
    assert project.outline.body == "sct"
    with pytest.raises(ReplyError, match="U\\+202E"):
        build_reply(outline, agency="SỞ \u202eCÔNG THƯƠNG", host=host)
