"""`tongket merge` against careless and hostile input: absurd figures, odd files, bad hooks."""

from __future__ import annotations

import copy
import math
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tongket.core import Field, SectionType, hookimpl
from tongket.core.cli import main
from tongket.core.host.merging import Contribution, MergedSection
from tongket.core.host.pluginhost import PluginHost
from tongket.core.report import store
from tongket.core.report.model import Project, Section
from tongket.core.workflow.merge import merge_replies
from tongket.core.workflow.outline import load_outline
from tongket.core.workflow.replies import read_reply, status_rows

SCRIPT = Path(sys.executable).with_name("tongket")

OUTLINE = """schema_version = 1
[request]
body = "Sở Ngoại vụ Quảng Ngãi"
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
type = "free-text"
number = "1."
heading = "Chung"
[[sections]]
type = "economic-results"
number = "2."
heading = "Kinh tế"
"""

SERIES_REPLY = """schema_version = 1
[document]
agency = "{agency}"
[[sections]]
type = "free-text"
number = "1."
heading = "Chung"
[sections.data]
text = "Văn bản của đơn vị."
[[sections]]
type = "economic-results"
number = "2."
heading = "Kinh tế"
[[sections.data.indicators]]
name = "{name}"
unit = "{unit}"
series = {series}
"""


def write_reply(path: Path, agency: str, series: str, *, unit="triệu USD", name="xuất khẩu"):
    path.write_text(
        SERIES_REPLY.format(agency=agency, series=series, unit=unit, name=name), encoding="utf-8"
    )
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "de-cuong.toml").write_text(OUTLINE, encoding="utf-8")
    return tmp_path


def merge(folder: Path, names: list[str], host: PluginHost | None = None, previous=None):
    outline = load_outline(folder / "de-cuong.toml")
    replies = [read_reply(folder / name, outline, folder) for name in names]
    host = host or PluginHost.builtins()
    return merge_replies(outline, replies, host, base=folder, previous=previous), replies


def economic(project: Project) -> Section:
    return next(section for section in project.sections if section.type == "economic-results")


def findings(section: Section) -> str:
    return "\n".join(finding.message for finding in section.provenance.findings)


# -- absurd figures ------------------------------------------------------------------------------


def test_figures_the_reply_check_refuses_are_never_added_and_are_named(folder):
    write_reply(
        folder / "sct.toml",
        "SỞ CÔNG THƯƠNG",
        "[{year=2019, value=nan}, {year=2020, value=inf}, {year=2018, value=-5},"
        ' {year=2017, value="1.500"}, {year=2016, value=true}, {year=0, value=2},'
        " {year=99999, value=3}, {year=2015, value=4}, {year=2015, value=6}]",
    )
    write_reply(
        folder / "skhdt.toml",
        "SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
        "[{year=2019, value=1e308}, {year=2020, value=10}, {year=2015, value=1}]",
    )
    result, _replies = merge(folder, ["sct.toml", "skhdt.toml"])
    section = economic(result.project)
    # Only the figures either body's own check accepts: 10 (2020) and 1 (2015).
    assert section.data["indicators"][0]["series"] == [
        {"year": 2015, "value": 1},
        {"year": 2020, "value": 10},
    ]
    message = findings(section)
    for shown in (
        "năm 2019: nan không phải số hữu hạn",
        "năm 2020: inf không phải số hữu hạn",
        "năm 2018: -5 ngoài khoảng",
        "năm 2017: '1.500' không phải số",
        "năm 2016: true không phải số",
        "năm 0 không phải năm trong khoảng 1945–2100",
        "năm 99999 không phải năm",
        "năm 2015 ghi 2 lần (4; 6)",
        "năm 2019: 1e+308 ngoài khoảng",
    ):
        assert shown in message
    # A body whose figure was refused is not also named as lacking that year.
    assert "thiếu số liệu của Sở Công Thương (2020)" not in message
    # The appendix holds the same figures as the sum; the file has no nan nor inf.
    appendix = next(item for item in result.project.sections if item.type == "body-figures")
    bodies = appendix.data["indicators"][0]["bodies"]
    assert bodies[0]["series"] == []
    assert bodies[1]["series"] == [{"year": 2020, "value": 10}, {"year": 2015, "value": 1}]
    text = store.dumps(result.project)
    assert not re.search(r"=\s*[+-]?(nan|inf)\b", text)
    assert "1e+308" not in text.split("[[sections.provenance")[0]


def test_huge_figures_never_overflow_the_sum(folder):
    # 1e308 + 1e308 is inf: such figures are refused, the largest accepted ones add up finely.
    names = []
    for number, value in enumerate(("1e308", "1.5e308", "1e15", "9e14", "5")):
        names.append(f"r{number}.toml")
        write_reply(folder / names[-1], "SỞ CÔNG THƯƠNG", f"[{{year=2019, value={value}}}]")
    section = economic(merge(folder, names)[0].project)
    value = section.data["indicators"][0]["series"][0]["value"]
    assert math.isfinite(value) and value == 19 * 10**14 + 5


def test_units_and_names_agree_across_case_spacing_unicode_form_and_invisible_marks(folder):
    write_reply(folder / "sct.toml", "SỞ CÔNG THƯƠNG", "[{year=2019, value=1}]", unit="triệu USD")
    decomposed = "Trie\u0302\u0323u  USD"  # NFD, a capital, two spaces
    write_reply(
        folder / "skhdt.toml",
        "SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
        "[{year=2019, value=2}]",
        unit=decomposed,
        name="Xuất\\u0007 khẩu\\u202e",
    )
    section = economic(merge(folder, ["sct.toml", "skhdt.toml"])[0].project)
    assert section.data["indicators"] == [
        {
            "name": "xuất khẩu",
            "unit": "triệu USD",
            "decimals": 0,
            "series": [{"year": 2019, "value": 3}],
        }
    ]
    # Another unit is still another indicator, never added.
    write_reply(
        folder / "skhdt.toml", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "[{year=2019, value=2}]", unit="tỷ đồng"
    )
    section = economic(merge(folder, ["sct.toml", "skhdt.toml"])[0].project)
    assert [row["name"] for row in section.data["indicators"]] == [
        "xuất khẩu",
        "xuất khẩu (tỷ đồng)",
    ]


# -- odd files -----------------------------------------------------------------------------------


def test_the_same_reply_twice_or_a_copy_of_it_is_merged_once(folder):
    write_reply(folder / "sct.toml", "SỞ CÔNG THƯƠNG", "[{year=2019, value=5}]")
    (folder / "copy.toml").write_bytes((folder / "sct.toml").read_bytes())
    result, _replies = merge(folder, ["sct.toml", "copy.toml", "./sct.toml"])
    assert economic(result.project).data["indicators"][0]["series"] == [{"year": 2019, "value": 5}]
    assert [link.file for link in result.project.consolidation.replies] == ["copy.toml"]
    assert result.notes == ["sct.toml: giống hệt copy.toml (cùng nội dung); chỉ tổng hợp một lần"]
    result, _replies = merge(folder, ["sct.toml", "./sct.toml"])
    assert result.notes == ["sct.toml: được nêu hai lần; chỉ tổng hợp một lần"]


def test_many_replies_of_one_body_are_one_note(folder):
    for number in range(120):
        write_reply(
            folder / f"r{number:03}.toml", "SỞ CÔNG THƯƠNG", f"[{{year=2019, value={number + 1}}}]"
        )
    names = [f"r{number:03}.toml" for number in range(120)]
    started = time.monotonic()
    result, _replies = merge(folder, names)
    assert time.monotonic() - started < 20
    repeated = [note for note in result.notes if "gửi 120 báo cáo" in note]
    assert repeated == [
        "SỞ CÔNG THƯƠNG gửi 120 báo cáo (r000.toml, r001.toml, r002.toml và 117 tệp khác); tất "
        "cả được tổng hợp, hãy bỏ bản cũ nếu có bản thay thế"
    ]
    assert economic(result.project).data["indicators"][0]["series"][0]["value"] == 120 * 121 // 2


def test_an_outline_listing_no_bodies_takes_any_reply_without_complaint(folder):
    text = OUTLINE.split("[[bodies]]")[0] + "[[sections]]" + OUTLINE.split("[[sections]]", 1)[1]
    (folder / "de-cuong.toml").write_text(text, encoding="utf-8")
    write_reply(folder / "sct.toml", "SỞ CÔNG THƯƠNG", "[{year=2019, value=5}]")
    result, replies = merge(folder, ["sct.toml"])
    assert not [note for note in result.notes if "không có trong danh sách" in note]
    rows = status_rows(load_outline(folder / "de-cuong.toml"), replies, PluginHost.builtins())
    assert [(row.name, row.errors) for row in rows] == [
        ("SỞ CÔNG THƯƠNG (không có trong đề cương)", [])
    ]


def test_a_reply_of_an_uninstalled_type_gathers_no_error_block(folder):
    path = write_reply(folder / "sct.toml", "SỞ CÔNG THƯƠNG", "[]")
    path.write_text(
        path.read_text(encoding="utf-8").replace('type = "economic-results"', 'type = "ma-type"'),
        encoding="utf-8",
    )
    result, replies = merge(folder, ["sct.toml"])
    section = economic(result.project)
    assert section.data["gathered"] == ""
    assert "chưa cài plugin cung cấp loại mục 'ma-type'" in findings(section)
    # Rendering the reply's section to gather it never stamps the reply in memory.
    assert replies[0].project.sections[1].version is None


@pytest.mark.parametrize("kind", ["fifo", "folder", "outline", "output-is-outline"])
def test_files_that_are_no_reply_stop_the_merge_naming_them(folder, kind, capsys):
    write_reply(folder / "sct.toml", "SỞ CÔNG THƯƠNG", "[{year=2019, value=5}]")
    target = folder / "tong-hop.toml"
    target.write_text("# bản cũ\n", encoding="utf-8")
    odd = folder / "odd.toml"
    expected = {
        "fifo": "odd.toml: là một FIFO (ống có tên), không phải tệp báo cáo",
        "folder": "odd.toml: là một thư mục, không phải tệp báo cáo",
        "outline": "de-cuong.toml: là tệp đề cương (--outline), không phải báo cáo của một đơn vị",
        "output-is-outline": "de-cuong.toml: là tệp đề cương; hãy chọn tên tệp khác",
    }[kind]
    if kind == "fifo":
        os.mkfifo(odd)  # opening it would wait for a writer: the test would hang
    elif kind == "folder":
        odd.mkdir()
    elif kind == "outline":
        odd = folder / "de-cuong.toml"
    else:
        odd, target = folder / "sct.toml", folder / "de-cuong.toml"
    before = target.read_bytes()
    code = main(["merge", str(odd), "--outline", str(folder / "de-cuong.toml"), "-o", str(target)])
    assert code == 2
    assert expected in capsys.readouterr().err
    assert target.read_bytes() == before


def test_the_console_script_never_blocks_on_a_fifo_reply(folder):
    os.mkfifo(folder / "odd.toml")
    done = subprocess.run(
        [str(SCRIPT), "merge", "odd.toml", "--outline", "de-cuong.toml", "--status"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "odd.toml: là một FIFO" in done.stderr
    assert "Traceback" not in done.stderr


def test_same_bytes_from_any_order_and_working_folder(folder, monkeypatch):
    sub = folder / "tra-loi"
    sub.mkdir()
    write_reply(sub / "sct.toml", "SỞ CÔNG THƯƠNG", "[{year=2019, value=5}]")
    write_reply(sub / "skhdt.toml", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "[{year=2019, value=1.5}]")
    write_reply(sub / "khac.toml", "SỞ KHÁC", "[{year=2019, value=2}]")
    outputs = []
    for cwd, names, outline, target in (
        (
            folder,
            ["tra-loi/sct.toml", "tra-loi/skhdt.toml", "tra-loi/khac.toml"],
            "de-cuong.toml",
            "a.toml",
        ),
        (sub, ["khac.toml", "skhdt.toml", "./sct.toml"], "../de-cuong.toml", "../b.toml"),
        (
            Path("/"),
            [str(sub / "skhdt.toml"), str(sub / "khac.toml"), str(sub / "sct.toml")],
            str(folder / "de-cuong.toml"),
            str(folder / "c.toml"),
        ),
    ):
        monkeypatch.chdir(cwd)
        assert main(["merge", *names, "--outline", outline, "-o", target]) == 0
        outputs.append((cwd / target).read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


# -- merge hooks that misbehave ------------------------------------------------------------------

TOTAL = SectionType(
    id="tong",
    title="Tổng",
    version=1,
    fields=(Field("total", "Tổng", kind="integer"), Field("text", "Văn bản")),
    default_data={"total": 0},
)
TOTAL_OUTLINE = OUTLINE + '[[sections]]\ntype = "tong"\nnumber = "3."\nheading = "Tổng"\n'


class Misbehaving:
    """A third-party plugin whose merge hook does what `mode` says."""

    def __init__(self, mode: str) -> None:
        self.mode = mode

    @hookimpl
    def tongket_section_types(self, register):
        register(TOTAL)

    @hookimpl
    def tongket_render_section(self, data, context):
        if self.mode == "hang":
            while True:  # the fallback must not ask a plugin that just hung, once per reply
                pass
        return list(context.paragraphs(f"Tổng {data.get('total')}."))

    @hookimpl
    def tongket_merge_sections(self, contributions, previous):
        mode = self.mode
        for contribution in contributions:  # every mode first scribbles over what it got
            contribution.data["total"] = 999
            contribution.data["extra"] = ["x"]
        if previous is not None:
            previous["total"] = -1
        contributions.reverse()
        if mode == "raise":
            raise RuntimeError("hỏng")
        if mode == "hang":
            while True:
                pass
        if mode == "not-a-section":
            return {"total": 1}
        if mode == "set":
            return MergedSection({"total": {1, 2}})
        if mode == "cycle":
            data: dict = {"total": 1}
            data["self"] = data
            return MergedSection(data)
        if mode == "nan":
            return MergedSection({"total": float("nan")})
        merged = MergedSection({"total": 7})
        for contribution in contributions:
            merged.credit(contribution, "total")
        if mode == "forge":
            merged.credit(Contribution("gia", "Sở Giả", "gia.toml", "9."), "total")
            merged.companions.append(Section("khong-co", data={"x": 1}))
        return merged


def total_folder(folder: Path) -> list[str]:
    (folder / "de-cuong.toml").write_text(TOTAL_OUTLINE, encoding="utf-8")
    for name, agency, total in (
        ("sct.toml", "SỞ CÔNG THƯƠNG", 2),
        ("skhdt.toml", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", 5),
    ):
        write_reply(folder / name, agency, "[{year=2019, value=1}]")
        project = store.load(folder / name)
        project.sections.append(Section("tong", "3.", "Tổng", {"total": total}, 1))
        store.save(project, folder / name)
    return ["sct.toml", "skhdt.toml"]


def misbehaving_host(mode: str) -> PluginHost:
    host = PluginHost.builtins()
    host.add_plugin(Misbehaving(mode), "ngoai")
    return host


@pytest.mark.parametrize("mode", ["raise", "not-a-section", "set", "cycle", "nan"])
def test_a_failing_merge_hook_is_a_finding_and_the_replies_are_gathered_verbatim(folder, mode):
    names = total_folder(folder)
    good, _replies = merge(folder, names, misbehaving_host("ok"))
    result, replies = merge(folder, names, misbehaving_host(mode))
    before = [store.load(folder / name) for name in names]
    # The replies as read are untouched, whatever the hook did to its copies.
    assert [reply.project for reply in replies] == before
    # The other sections are exactly what a well-behaved plugin run gives.
    assert store.dumps(Project(sections=result.project.sections[:-1])) == store.dumps(
        Project(sections=good.project.sections[:-1])
    )
    last = result.project.sections[-1]
    assert (last.type, last.number) == ("free-text", "3.")
    assert last.data["gathered"] == (
        "**Sở Công Thương:** Tổng 2.\n\n**Sở Kế hoạch và Đầu tư:** Tổng 5."
    )
    assert "plugin ngoai: mục 3. Tổng, tongket_merge_sections" in findings(last)
    assert "nguyên văn" in findings(last)
    store.loads(store.dumps(result.project))  # the file can be written and read back


def test_a_hanging_merge_hook_is_stopped_by_the_time_limit(folder, monkeypatch):
    monkeypatch.setenv("TONGKET_PLUGIN_TIMEOUT", "0.5")
    names = total_folder(folder)
    started = time.monotonic()
    result, _replies = merge(folder, names, misbehaving_host("hang"))
    assert time.monotonic() - started < 10  # one limit, not one per reply
    last = result.project.sections[-1]
    assert "TONGKET_PLUGIN_TIMEOUT" in findings(last)
    assert "không in được nội dung (plugin ngoai đã chạy quá giới hạn thời gian)" in findings(last)


def test_a_merge_hook_that_mutates_what_it_is_given_changes_nothing_of_the_callers(folder):
    names = total_folder(folder)
    result, replies = merge(folder, names, misbehaving_host("ok"))
    last = result.project.sections[-1]
    assert last.data == {"total": 7}
    # The sources are the bodies given, in the outline's order, though the hook reversed them.
    assert [(source.body, source.paths) for source in last.provenance.sources] == [
        ("sct", ("total",)),
        ("skhdt", ("total",)),
    ]
    assert [reply.project for reply in replies] == [store.load(folder / name) for name in names]
    # The previous consolidation given to the hook is a copy too.
    previous = copy.deepcopy(result.project)
    merge(folder, names, misbehaving_host("ok"), previous=result.project)
    assert result.project == previous


def test_forged_sources_and_companions_of_no_registered_type_are_dropped(folder):
    names = total_folder(folder)
    result, _replies = merge(folder, names, misbehaving_host("forge"))
    last = result.project.sections[-1]
    assert last.type == "tong"
    assert "Sở Giả" not in {source.name for source in last.provenance.sources}
    assert "bỏ nguồn không có trong các báo cáo được giao (Sở Giả (gia.toml, mục 9.)" in findings(
        last
    )
    assert "bỏ mục kèm theo loại 'khong-co'" in findings(last)
    assert all(section.type != "khong-co" for section in result.project.sections)


def test_text_written_in_a_section_that_changes_type_is_kept(folder):
    names = total_folder(folder)
    first, _replies = merge(folder, names, misbehaving_host("raise"))
    fallback = first.project.sections[-1]
    assert fallback.type == "free-text"
    fallback.data["text"] = "Điều phối viên đã viết đoạn này."
    again, _replies = merge(folder, names, misbehaving_host("ok"), previous=first.project)
    merged, kept = again.project.sections[-2:]
    assert (merged.type, merged.data) == ("tong", {"total": 7})  # no free-text field leaks in
    assert (kept.type, kept.provenance) == ("free-text", None)
    assert kept.data["text"] == "Điều phối viên đã viết đoạn này."
    assert any("nay là loại 'tong', trước là 'free-text'" in note for note in again.notes)
    # Merged once more, the kept section is the coordinator's own: it stays, once.
    third, _replies = merge(folder, names, misbehaving_host("ok"), previous=again.project)
    assert [section.type for section in third.project.sections[-2:]] == ["tong", "free-text"]
    assert sum(section.type == "free-text" for section in third.project.sections) == 2
