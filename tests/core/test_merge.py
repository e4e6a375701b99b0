"""Consolidation (`tongket.core.workflow.merge`): replies to an outline merged per section type."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tongket.core import Field, SectionType, hookimpl
from tongket.core.host.merging import Contribution, MergedSection
from tongket.core.host.pluginhost import PluginHost
from tongket.core.problems import ReportFileError
from tongket.core.render.blocks import Paragraph, Table
from tongket.core.render.document import render_document
from tongket.core.report import store
from tongket.core.report.model import Particulars, Project, Section
from tongket.core.workflow.merge import merge_replies
from tongket.core.workflow.outline import load_outline
from tongket.core.workflow.provenance import merge_findings, with_sources
from tongket.core.workflow.replies import read_reply, status_rows, status_table

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
[[bodies]]
id = "sttt"
name = "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"

[[sections]]
type = "free-text"
number = "1."
heading = "Công tác quán triệt"
[[sections]]
type = "economic-results"
number = "2.1."
heading = "Kết quả kinh tế"
[[sections]]
type = "partnerships"
number = "2.2."
heading = "Hợp tác"
[[sections]]
type = "training"
number = "2.3."
heading = "Tập huấn"
"""


def reply(
    agency: str,
    *,
    exports: dict[int, float],
    unit: str = "triệu USD",
    text: str = "",
    delegations: list[dict] | None = None,
    intro: str = "",
    classes: int = 0,
) -> Project:
    """A reply built with the Python API, as a body's office would save it."""
    series = [{"year": year, "value": value} for year, value in sorted(exports.items())]
    economic = {
        "indicators": [{"name": "kim ngạch xuất khẩu", "unit": unit, "series": series}],
        "intro": intro,
    }
    partnerships = {"delegations": delegations or []}
    training = {
        "classes": [
            {"year": 2020, "kind": "tap-huan", "topic": f"Lớp {n} của {agency}"}
            for n in range(classes)
        ],
        "yearly": [{"year": 2019, "trainings": 2, "participants": 50}],
    }
    return Project(
        document=Particulars(agency=agency),
        sections=[
            Section("free-text", "1.", "Công tác quán triệt", {"text": text}),
            Section("economic-results", "2.1.", "Kết quả kinh tế", economic),
            Section("partnerships", "2.2.", "Hợp tác", partnerships),
            Section("training", "2.3.", "Tập huấn", training),
        ],
    )


VISIT = {"year": 2019, "direction": "den", "partner": "Tỉnh Champasak", "place": "Lào"}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "de-cuong.toml").write_text(OUTLINE, encoding="utf-8")
    replies = tmp_path / "tra-loi"
    replies.mkdir()
    store.save(
        reply(
            "SỞ CÔNG THƯƠNG",
            exports={2019: 1080, 2020: 1409},
            text="Sở đã quán triệt Chỉ thị.",
            delegations=[VISIT],
            intro="Sở Công Thương là cơ quan thường trực.",
            classes=2,
        ),
        replies / "sct.toml",
    )
    store.save(
        reply(
            "Sở Kế hoạch và Đầu tư",
            exports={2019: 20.5, 2020: 30},
            text="Sở đã phổ biến đến công chức.\n\nĐoạn thứ hai.",
            delegations=[VISIT, {**VISIT, "year": 2020, "partner": "Tỉnh Gyeonggi"}],
            classes=1,
        ),
        replies / "skhdt.toml",
    )
    return tmp_path


@pytest.fixture
def host() -> PluginHost:
    return PluginHost.builtins()


def merged(folder: Path, host: PluginHost, names=("sct.toml", "skhdt.toml"), previous=None):
    outline = load_outline(folder / "de-cuong.toml")
    replies = [read_reply(folder / "tra-loi" / name, outline, folder) for name in names]
    return merge_replies(outline, replies, host, base=folder, previous=previous)


def section(project: Project, type_id: str) -> Section:
    return next(item for item in project.sections if item.type == type_id)


def test_economic_series_sum_per_year_when_indicator_and_unit_agree(folder, host):
    project = merged(folder, host).project
    data = section(project, "economic-results").data
    assert data["indicators"] == [
        {
            "name": "kim ngạch xuất khẩu",
            "unit": "triệu USD",
            "decimals": 0,
            "series": [{"year": 2019, "value": 1100.5}, {"year": 2020, "value": 1439}],
        }
    ]
    sources = section(project, "economic-results").provenance.sources
    assert [(source.body, source.reply, source.section) for source in sources] == [
        ("sct", "tra-loi/sct.toml", "2.1."),
        ("skhdt", "tra-loi/skhdt.toml", "2.1."),
    ]
    assert all("indicators.1" in source.paths for source in sources)
    text = render_document(project, host)
    assert not text.errors


def test_unit_disagreement_is_a_finding_and_the_figures_stay_apart(folder, host):
    store.save(
        reply("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", exports={2019: 5, 2020: 6}, unit="tỷ đồng"),
        folder / "tra-loi" / "sttt.toml",
    )
    result = merged(folder, host, ("sct.toml", "skhdt.toml", "sttt.toml"))
    economic = section(result.project, "economic-results")
    indicators = economic.data["indicators"]
    assert [(item["unit"], [p["value"] for p in item["series"]]) for item in indicators] == [
        ("triệu USD", [1100.5, 1439]),
        ("tỷ đồng", [5, 6]),
    ]
    assert indicators[1]["name"] == "kim ngạch xuất khẩu (tỷ đồng)"  # names stay unique
    finding = economic.provenance.findings[0]
    assert finding.path == "indicators.2.unit"
    assert "'tỷ đồng' (Sở Thông tin và Truyền thông)" in finding.message
    assert any("indicators.2.unit" in line and "tỷ đồng" in line for line in result.findings)
    # Its table and the body-figures appendix name the unit once, not "(tỷ đồng) (tỷ đồng)".
    economic.table = "inline"
    rendered = render_document(result.project, host)
    headings = [
        cell
        for block in [*rendered.body, *(b for a in rendered.appendices for b in a.blocks)]
        if isinstance(block, Table)
        for cell in (*block.header, block.caption)
    ]
    assert "Kim ngạch xuất khẩu (tỷ đồng)" in headings
    assert not [cell for cell in headings if cell.count("tỷ đồng") > 1]


@pytest.mark.parametrize("unit", ["%", "lần", " Phần trăm "])
def test_rates_of_several_bodies_are_not_added(folder, host, unit):
    # Two bodies' rates (a share of exports in %, a multiple) do not add up: 45% and 30% is
    # no 75%. The rows are left for the coordinator, and the appendix has no total.
    for agency, name, rates in (
        ("SỞ CÔNG THƯƠNG", "sct.toml", {2019: 45, 2020: 50}),
        ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "skhdt.toml", {2019: 30}),
    ):
        store.save(reply(agency, exports=rates, unit=unit), folder / "tra-loi" / name)
    result = merged(folder, host)
    economic = section(result.project, "economic-results")
    [indicator] = economic.data["indicators"]
    assert indicator["series"] == [{"year": 2019}, {"year": 2020}]
    [finding] = economic.provenance.findings
    assert finding.path == "indicators.1.series"
    assert "không cộng được" in finding.message and "thiếu số liệu" not in finding.message
    rendered = render_document(result.project, host)
    assert not rendered.errors
    (table,) = rendered.appendices[0].blocks
    assert [row[2:] for row in table.rows] == [("45", "50"), ("30", "–")]
    assert table.total_rows == ()
    # One body's rate is the whole of the figures: it stands as given.
    one = merged(folder, host, ("sct.toml",)).project
    [indicator] = section(one, "economic-results").data["indicators"]
    assert [point["value"] for point in indicator["series"]] == [45, 50]


def test_lists_are_unioned_with_the_body_in_a_column(folder, host):
    project = merged(folder, host).project
    data = section(project, "partnerships").data
    assert [(item["year"], item["partner"], item["body"]) for item in data["delegations"]] == [
        (2019, "Tỉnh Champasak", "Sở Công Thương; Sở Kế hoạch và Đầu tư"),
        (2020, "Tỉnh Gyeonggi", "Sở Kế hoạch và Đầu tư"),
    ]
    training = section(project, "training").data
    assert [item["body"] for item in training["classes"]] == ["Sở Công Thương"] * 2 + [
        "Sở Kế hoạch và Đầu tư"
    ]
    # The summed counts name the bodies counted (so `check` never takes them for one body's
    # classes listed and counted twice).
    assert training["yearly"] == [
        {
            "year": 2019,
            "trainings": 4,
            "participants": 100,
            "body": "Sở Công Thương; Sở Kế hoạch và Đầu tư",
        }
    ]
    # The body column is a declared field: the merged data validates.
    assert not render_document(project, host).errors


def test_one_thing_two_bodies_reported_differently_is_asked_about(folder, host):
    # The same delegation (year, direction, partner) with another purpose from a second body
    # was counted as two delegations without a word.
    other = {**VISIT, "purpose": "ký kết biên bản ghi nhớ"}
    store.save(
        reply("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", exports={2019: 1}, delegations=[other]),
        folder / "tra-loi" / "sttt.toml",
    )
    result = merged(folder, host, ("sct.toml", "skhdt.toml", "sttt.toml"))
    partnerships = section(result.project, "partnerships")
    rows = partnerships.data["delegations"]
    assert [(row["year"], row["partner"], row.get("purpose")) for row in rows][:2] == [
        (2019, "Tỉnh Champasak", None),
        (2019, "Tỉnh Champasak", "ký kết biên bản ghi nhớ"),
    ]
    [finding] = partnerships.provenance.findings
    assert finding.path == "delegations.2"
    assert finding.message == (
        "các dòng 1 và 2 của 'Đoàn đến, đoàn đi' có thể là một (Năm 2019, Chiều Đón đoàn đến, "
        "Đối tác Tỉnh Champasak) do Sở Công Thương, Sở Kế hoạch và Đầu tư và Sở Thông tin và "
        "Truyền thông báo cáo khác nhau chi tiết; nếu là một, hãy giữ một dòng"
    )
    # Training classes have no identity: two bodies' classes on one topic are two classes.
    assert not any("Lớp tập huấn" in item.message for item in partnerships.provenance.findings)


def test_a_years_participants_some_body_did_not_give_are_left_blank_and_said(folder, host):
    # Both bodies held 2 classes in 2019; only the Sở Công Thương gave its 50 participants.
    # "04 lớp … với 50 lượt người" would state its 50 as everyone's.
    path = folder / "tra-loi" / "skhdt.toml"
    project = store.load(path)
    del section(project, "training").data["yearly"][0]["participants"]
    store.save(project, path)
    result = merged(folder, host)
    training = section(result.project, "training")
    assert training.data["yearly"] == [
        {"year": 2019, "trainings": 4, "body": "Sở Công Thương; Sở Kế hoạch và Đầu tư"}
    ]
    [finding] = [line for line in result.findings if "lượt người" in line]
    assert (
        "năm 2019: Sở Kế hoạch và Đầu tư không ghi lượt người tham dự (Sở Công Thương 50); bản "
        "tổng hợp để trống ô này thay vì ghi một tổng thiếu" in finding
    )
    blocks = render_document(result.project, host).sections[result.project.sections.index(training)]
    prose = " ".join(block.text for block in blocks.blocks if isinstance(block, Paragraph))
    assert prose.startswith("Giai đoạn 2019 – 2020, đã tổ chức 07 lớp tập huấn.")


def test_narrative_is_gathered_per_body_in_order(folder, host):
    project = merged(folder, host, ("skhdt.toml", "sct.toml")).project
    free = section(project, "free-text").data
    assert free["gathered"] == (
        "**Sở Công Thương:** Sở đã quán triệt Chỉ thị.\n\n"
        "**Sở Kế hoạch và Đầu tư:** Sở đã phổ biến đến công chức.\n\nĐoạn thứ hai."
    )
    assert free["text"] == free["gathered"]  # first merge: the printed text starts gathered
    economic = section(project, "economic-results").data
    # A text that opens with the body's name has it bolded in place, not said twice.
    assert economic["gathered"] == "**Sở Công Thương** là cơ quan thường trực."
    assert economic["intro"] == ""  # the coordinator's own field is not filled by the merge


class NoMergePlugin:
    """A section type whose plugin renders but does not merge."""

    TYPE = SectionType("du-an", "Dự án", fields=(Field("name", "Tên dự án"),))

    @hookimpl
    def tongket_section_types(self, register):
        register(self.TYPE)

    @hookimpl
    def tongket_render_section(self, data, context):
        return [Paragraph.of(f"Dự án {data['name']}.")]


def test_a_type_without_merge_is_gathered_verbatim_as_free_text(folder, host):
    host.add_plugin(NoMergePlugin(), "du_an")
    outline_file = folder / "de-cuong.toml"
    outline_file.write_text(
        OUTLINE + '[[sections]]\ntype = "du-an"\nnumber = "2.4."\nheading = "Dự án"\n',
        encoding="utf-8",
    )
    for name, project_name in (("sct.toml", "Cảng"), ("skhdt.toml", "Khu công nghiệp")):
        path = folder / "tra-loi" / name
        project = store.load(path)
        project.sections.append(Section("du-an", "2.4.", "Dự án", {"name": project_name}))
        store.save(project, path)
    result = merged(folder, host)
    last = result.project.sections[-1]
    assert (last.type, last.number, last.heading) == ("free-text", "2.4.", "Dự án")
    assert last.data["text"] == (
        "**Sở Công Thương:** Dự án Cảng.\n\n**Sở Kế hoạch và Đầu tư:** Dự án Khu công nghiệp."
    )
    assert "không có cách tổng hợp" in last.provenance.findings[0].message
    assert "du_an" in last.provenance.findings[0].message


def test_provenance_is_named_in_check_messages(folder, host):
    store.save(
        reply("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", exports={2019: 5, 2020: 6}, unit="tỷ đồng"),
        folder / "tra-loi" / "sttt.toml",
    )
    project = merged(folder, host, ("sct.toml", "skhdt.toml", "sttt.toml")).project
    target = folder / "tong-hop.toml"
    store.save(project, target)
    again = store.load(target)  # provenance survives the file
    findings = [problem for problem in merge_findings(again) if "unit" in problem.where]
    assert findings[0].where == "sections.2.data.indicators.2.unit"
    assert "nguồn: Sở Thông tin và Truyền thông (tra-loi/sttt.toml, mục 2.1.)" in (
        findings[0].message
    )
    # A plugin's own finding inside merged data names the bodies the value came from.
    again.sections[1].data["indicators"][0]["series"][0]["value"] = -1
    problems = with_sources(render_document(again, host).problems, again)
    bad = next(problem for problem in problems if problem.where.endswith("series.1.value"))
    assert "nguồn: Sở Công Thương (tra-loi/sct.toml, mục 2.1.); Sở Kế hoạch" in bad.message


def test_the_appendix_lists_each_body_beside_the_total(folder, host):
    project = merged(folder, host).project
    rendered = render_document(project, host)
    (appendix,) = rendered.appendices
    assert appendix.title == "Tổng hợp số liệu theo đơn vị"
    (table,) = appendix.blocks
    assert table.header == ("TT", "Đơn vị", "2019", "2020")
    assert table.rows == (
        ("1", "Sở Công Thương", "1.080", "1.409"),
        ("2", "Sở Kế hoạch và Đầu tư", "21", "30"),
        ("", "Tổng cộng", "1.101", "1.439"),
    )
    assert table.total_rows == (-1,)


def test_same_replies_in_any_order_give_the_same_bytes(folder, host):
    store.save(
        reply("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", exports={2019: 5, 2020: 6}),
        folder / "tra-loi" / "sttt.toml",
    )
    names = ["sct.toml", "skhdt.toml", "sttt.toml"]
    outputs = set()
    for seed in range(4):
        random.Random(seed).shuffle(names)
        outputs.add(store.dumps(merged(folder, host, tuple(names)).project))
    assert len(outputs) == 1


def test_merging_again_keeps_what_the_coordinator_wrote(folder, host):
    first = merged(folder, host, ("sct.toml",)).project
    free = section(first, "free-text")
    free.data["text"] = "Các sở đã quán triệt Chỉ thị (tóm tắt của Sở Ngoại vụ)."
    section(first, "partnerships").data["intro"] = "Đoạn mở đầu do Sở Ngoại vụ viết."
    first.document.place = "Quảng Ngãi"
    first.sections.append(Section("free-text", "4.", "Kiến nghị", {"text": "Kiến nghị riêng."}))
    target = folder / "tong-hop.toml"
    store.save(first, target)
    # A late reply arrives.
    again = merged(folder, host, ("sct.toml", "skhdt.toml"), previous=store.load(target))
    project = again.project
    free = section(project, "free-text").data
    assert free["text"] == "Các sở đã quán triệt Chỉ thị (tóm tắt của Sở Ngoại vụ)."
    assert "**Sở Kế hoạch và Đầu tư:**" in free["gathered"]  # the late body is gathered
    assert section(project, "partnerships").data["intro"] == "Đoạn mở đầu do Sở Ngoại vụ viết."
    assert project.document.place == "Quảng Ngãi"
    assert project.sections[-1].heading == "Kiến nghị"  # the coordinator's own section stays
    assert [link.body for link in project.consolidation.replies] == ["sct", "skhdt"]
    values = section(project, "economic-results").data["indicators"][0]["series"]
    assert [point["value"] for point in values] == [1100.5, 1439]


def test_a_late_replys_text_the_kept_text_lacks_is_named_until_the_coordinator_edits(folder, host):
    # The coordinator condensed the first replies into their own text; a late reply's text
    # then went only into the unprinted gathering, without a word: it never reached print.
    first = merged(folder, host, ("sct.toml",)).project
    section(first, "free-text").data["text"] = "Tóm tắt của Sở Ngoại vụ."
    target = folder / "tong-hop.toml"
    store.save(first, target)
    notice = "nội dung các đơn vị gửi có phần mới hoặc đã sửa chưa đưa vào phần in"

    def notes(result) -> list[str]:
        return [line for line in result.findings if notice in line]

    late = merged(folder, host, ("sct.toml", "skhdt.toml"), previous=store.load(target))
    [note] = notes(late)
    assert note.startswith("sections.1.data.gathered: ")  # "1. Công tác quán triệt"
    assert "(Sở Kế hoạch và Đầu tư)" in note
    store.save(late.project, target)
    assert "unprinted = [" in target.read_text(encoding="utf-8")
    # `check` says it too, and a second merge (another late reply, nothing edited) still does.
    problems = merge_findings(store.load(target))
    assert any(notice in problem.message for problem in problems)
    again = merged(folder, host, ("sct.toml", "skhdt.toml"), previous=store.load(target))
    assert notes(again) == [note]
    # What the file keeps is checked when read: a list of names, nothing else.
    broken = target.read_text(encoding="utf-8").replace(
        'unprinted = [\n    "Sở Kế hoạch và Đầu tư",\n]', 'unprinted = "Sở Kế hoạch và Đầu tư"'
    )
    with pytest.raises(ReportFileError) as refused:
        store.loads_bytes(broken.encode(), "tong-hop.toml")
    assert "provenance.unprinted" in str(refused.value)
    assert "cần một danh sách chuỗi" in str(refused.value)
    # Once the coordinator edits the printed text, the bodies are no longer named.
    project = store.load(target)
    section(project, "free-text").data["text"] = "Tóm tắt mới, có cả Sở Kế hoạch và Đầu tư."
    store.save(project, target)
    problems = merge_findings(store.load(target))  # `check`, before any merge
    assert not [problem for problem in problems if notice in problem.message]
    edited = merged(folder, host, ("sct.toml", "skhdt.toml"), previous=store.load(target))
    assert notes(edited) == []
    assert section(edited.project, "free-text").provenance.unprinted == ()
    # A text nobody edited follows the gathering: nothing to name.
    store.save(merged(folder, host, ("sct.toml",)).project, target)
    follows = merged(folder, host, ("sct.toml", "skhdt.toml"), previous=store.load(target))
    assert notes(follows) == []
    assert "Sở Kế hoạch và Đầu tư" in section(follows.project, "free-text").data["text"]


def test_a_bold_lead_in_inside_a_bodys_text_is_not_taken_for_a_body():
    from tongket.core.report.consolidation import Provenance, Source
    from tongket.core.workflow.merge import unprinted_bodies

    before = Section(
        "free-text",
        "1.",
        data={"text": "Tóm tắt.", "gathered": "**Sở A:** a\n\n**Kết quả:** x"},
        provenance=Provenance([Source("a", "Sở A", "a.toml")]),
    )
    now = {"text": "Tóm tắt.", "gathered": "**Sở A:** a\n\n**Kết quả:** y\n\n**Sở B:** b"}
    # Sở A's own second paragraph changed; Sở B is new; "Kết quả" is nobody.
    assert unprinted_bodies(before, "free-text", now, {"Sở A", "Sở B"}) == ("Sở A", "Sở B")


@pytest.mark.parametrize(
    ("text", "gathered"),
    [
        ("Thực hiện Chỉ thị.", "**Sở A:** Thực hiện Chỉ thị."),
        ("sở  a đã quán triệt.", "**Sở A** đã quán triệt."),
        ("Sở A: đã quán triệt.", "**Sở A:** đã quán triệt."),
        ("Sở An Giang đã …", "**Sở A:** Sở An Giang đã …"),  # another name that starts alike
        ("- Tổ chức 02 lớp;\n- In 500 tờ rơi.", "**Sở A:**\n\n- Tổ chức 02 lớp;\n- In 500 tờ rơi."),
        ("a) Kết quả: tốt.", "**Sở A:**\n\na) Kết quả: tốt."),
        ("Năm | 2019\nXuất khẩu | 120", "**Sở A:**\n\nNăm | 2019\nXuất khẩu | 120"),
        ("  \n\n ", ""),
    ],
)
def test_a_bodys_name_leads_its_text_without_breaking_it(text, gathered):
    from tongket.core.host.merging import body_paragraphs
    from tongket.core.workflow.merge import _bodies_of

    assert body_paragraphs("Sở A", text) == gathered
    if gathered:  # and each form is still found as that body's piece
        assert _bodies_of(f"{gathered}\n\n**Sở B:** b", {"Sở A", "Sở B"}) == {
            "Sở A": gathered,
            "Sở B": "**Sở B:** b",
        }


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        # The lead-in `tongket new --outline` writes, addressed to the requester: not noted.
        (Section("free-text", data={"text": "Thực hiện [[cv2016]], Sở báo cáo như sau:"}), ""),
        (Section("free-text", data={"text": " "}), ""),
        # An opening that says more, numbered or headed sections the outline lacks: named.
        (
            Section("free-text", data={"text": "Sở báo cáo như sau:\n\nTrong 10 năm, Sở đã …"}),
            "mục mở đầu",
        ),
        (Section("free-text", data={"text": "Tóm tắt: Sở đã hoàn thành."}), "mục mở đầu"),
        (Section("free-text", "3.", "Kiến nghị", {"text": "Đề nghị …"}), "mục 3. Kiến nghị"),
        (Section("free-text", heading="Ghi chú", data={"text": "…"}), "mục Ghi chú"),
    ],
)
def test_a_reply_section_the_outline_lacks_is_named_unless_it_says_nothing(
    folder, host, extra, named
):
    # Such a section is not merged; a body's text must never vanish without a word.
    path = folder / "tra-loi" / "sct.toml"
    project = store.load(path)
    project.sections.insert(0 if not extra.number else len(project.sections), extra)
    store.save(project, path)
    notes = [note for note in merged(folder, host).notes if "không có trong đề cương" in note]
    expected = [f"tra-loi/sct.toml: {named} không có trong đề cương: không tổng hợp"]
    assert notes == (expected if named else [])


def test_status_names_who_replied_who_is_missing_and_errors(folder, host):
    broken = folder / "tra-loi" / "hong.toml"
    broken.write_text("schema_version = [", encoding="utf-8")
    outline = load_outline(folder / "de-cuong.toml")
    replies = [
        read_reply(folder / "tra-loi" / name, outline, folder)
        for name in ("sct.toml", "skhdt.toml", "hong.toml")
    ]
    rows = status_rows(outline, replies, host)
    by_name = {row.name: row for row in rows}
    assert by_name["SỞ CÔNG THƯƠNG"].replies == ["tra-loi/sct.toml"]
    assert not by_name["SỞ CÔNG THƯƠNG"].errors
    assert not by_name["SỞ THÔNG TIN VÀ TRUYỀN THÔNG"].replied
    stray = rows[-1]
    assert stray.body is None and "hong.toml" in stray.errors[0]
    table = status_table(rows)
    assert table[0].split() == ["Đơn", "vị", "Báo", "cáo", "Lỗi", "Thiếu"]
    assert any("SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in line and "CHƯA GỬI" in line for line in table)


def test_status_counts_a_body_the_outline_does_not_list_as_gaps_not_an_error(folder, host):
    # `merge` takes such a reply in, with a warning; --status said "Lỗi 1" (exit 1) and, its
    # gaps never computed, "Thiếu 0" for a reply lacking most sections.
    from tongket.core.report import store

    project = store.load(folder / "tra-loi" / "sct.toml")
    project.document.agency = "BAN QUẢN LÝ KKT DUNG QUẤT"
    project.outline = None
    project.sections = project.sections[:2]
    store.save(project, folder / "tra-loi" / "bql.toml")
    outline = load_outline(folder / "de-cuong.toml")
    reply = read_reply(folder / "tra-loi" / "bql.toml", outline, folder)
    assert reply.body is None and not reply.error
    [stray] = [row for row in status_rows(outline, [reply], host) if row.body is None]
    assert stray.name == "BAN QUẢN LÝ KKT DUNG QUẤT (không có trong đề cương)"
    assert stray.errors == []
    assert len(stray.gaps) >= 3  # the outline's sections it lacks, and that it is not listed
    assert any("không có trong danh sách đơn vị" in gap for gap in stray.gaps)


class RecordingMerge:
    """A plugin whose merge hook records what the host gives it."""

    TYPE = SectionType("tong", "Tổng", fields=(Field("total", "Tổng", kind="integer"),))

    def __init__(self) -> None:
        self.calls: list = []

    @hookimpl
    def tongket_section_types(self, register):
        register(self.TYPE)

    @hookimpl
    def tongket_render_section(self, data, context):
        return [Paragraph.of(f"Tổng: {data['total']}.")]

    @hookimpl
    def tongket_merge_sections(self, section_type, contributions, previous):
        self.calls.append((section_type, contributions, previous))
        merged = MergedSection({"total": sum(c.data["total"] for c in contributions)})
        for contribution in contributions:
            merged.credit(contribution, "total")
        return merged


def test_tongket_merge_sections_gets_ordered_contributions_and_the_previous_data(host):
    plugin = RecordingMerge()
    host.add_plugin(plugin, "tong")
    first = Contribution("a", "Sở A", "a.toml", "3.", {"total": 2})
    second = Contribution("b", "Sở B", "b.toml", "3.", {"total": 5})
    result = host.merge("tong", [first, second], {"total": 1}, "3.")
    assert result.data == {"total": 7}
    assert [(c.body, path) for c, path in result.credits] == [("a", "total"), ("b", "total")]
    assert plugin.calls == [("tong", [first, second], {"total": 1})]
    # A type whose plugin has no merge hook answers None: the caller gathers verbatim.
    host.add_plugin(NoMergePlugin(), "du_an")
    assert host.merge("du-an", [first], None, "3.") is None


def test_an_identity_names_columns_of_the_list():
    with pytest.raises(ValueError, match="identity names no column"):
        Field(
            "fairs", "Hội chợ", kind="records", fields=(Field("name", "Tên"),), identity=("year",)
        )


def test_check_says_each_fact_of_a_consolidation_once(folder, host):
    # A total lacking a body, and one delegation two bodies reported with different details,
    # were each said twice by `check`: once by the section's plugin, once by the merge.
    from tongket.core.checks import check_project

    skhdt = folder / "tra-loi" / "skhdt.toml"
    project = store.load(skhdt)
    economic = project.sections[1].data["indicators"][0]
    economic["series"] = [point for point in economic["series"] if point["year"] == 2020]
    project.sections[2].data["delegations"] = [{**VISIT, "purpose": "Khảo sát"}]
    store.save(project, skhdt)
    result = merged(folder, host)
    assert any("thiếu số liệu của Sở Kế hoạch và Đầu tư (2019)" in f for f in result.findings)
    problems = check_project(render_document(result.project, host))
    partial = [p for p in problems if p.path[:2] == ("sections", 1) and "2019" in p.message]
    assert len(partial) == 1, [p.message for p in partial]
    assert "chưa gồm số liệu của Sở Kế hoạch và Đầu tư" in partial[0].message
    alike = [p for p in problems if "delegations" in p.path]  # section 4, after the appendix
    assert [p.path for p in alike] == [("sections", 3, "data", "delegations", 1)]
    assert "do Sở Công Thương và Sở Kế hoạch và Đầu tư báo cáo khác nhau" in alike[0].message


def test_rows_one_body_typed_twice_are_still_named_in_a_consolidation():
    from tongket.core.render.records import repeat_problems

    row = {"year": 2019, "direction": "den", "partner": "Tỉnh Champasak", "body": "Sở A"}
    data = {"delegations": [row, {**row, "partner": "tỉnh  champasak"}, {**row, "body": "Sở B"}]}
    problems = repeat_problems(data, "delegations", ("year", "direction", "partner"), "x", "y")
    assert [problem.path for problem in problems] == [("delegations", 1)]
