"""The consolidated report's status screen: who replied, who has not, the sources per section."""

from __future__ import annotations

import shutil
from pathlib import Path

from tui_harness import SIZE, drive, make_app, settle, until

from tongket.core.cli import main
from tongket.core.report import store
from tongket.core.report.session import DraftSession
from tongket.tui.merge_status import MergeStatusScreen

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


def consolidated(folder: Path) -> Path:
    """The sample outline, the sample reply (Sở Công Thương), merged by `tongket merge`."""
    shutil.copy(SAMPLE / "de-cuong-mau.toml", folder / "de-cuong.toml")
    shutil.copy(SAMPLE / "quang-ngai-sct-2021.toml", folder / "sct.toml")
    target = folder / "tong-hop.toml"
    command = ["merge", str(folder / "sct.toml"), "--outline", str(folder / "de-cuong.toml")]
    assert main([*command, "-o", str(target)]) == 0
    return target


@drive
async def test_the_status_screen_lists_bodies_and_sources(tmp_path, host):
    target = consolidated(tmp_path)
    app = make_app(DraftSession.open(target), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await until(pilot, lambda: "Đang đọc" not in getattr(app.screen, "plain", ""))
        assert isinstance(app.screen, MergeStatusScreen)
        lines = app.screen.plain.splitlines()
        assert lines[0].split() == ["Đơn", "vị", "Báo", "cáo", "Lỗi", "Thiếu"]
        assert any(line.startswith("SỞ CÔNG THƯƠNG") and "sct.toml" in line for line in lines)
        assert any(line.startswith("SỞ THÔNG TIN") and "CHƯA GỬI" in line for line in lines)
        assert "1/4 đơn vị đã gửi; 3 chưa gửi." in lines
        assert any(
            line.startswith("2.1. Kết quả kinh tế đối ngoại: nguồn: Sở Công Thương (sct.toml")
            for line in lines
        )
        screen = app.export_screenshot().replace("&#160;", " ")  # on screen, not only in data
        assert "Tình hình báo cáo tổng hợp" in screen and "CHƯA GỬI" in screen
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert not isinstance(app.screen, MergeStatusScreen)
        await pilot.press("s")  # the plain key on the outline
        await pilot.pause(0.1)
        assert isinstance(app.screen, MergeStatusScreen)


@drive
async def test_an_ordinary_report_has_no_status(tmp_path, host, sample_copy):
    app = make_app(DraftSession.open(sample_copy), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.check_action("merge_status", ()) is None  # listed by F1, dimmed
        app.action_merge_status()  # as the palette calls it: it says why not
        await pilot.pause(0.1)
        assert not isinstance(app.screen, MergeStatusScreen)
        (notice,) = app._notifications
        assert "tongket merge" in notice.message
    assert store.load(sample_copy).consolidation is None


def test_what_a_merge_gathered_is_shown_only_where_there_is_some(tmp_path, host):
    from tongket.tui.fields import Part, form_spec

    merged = store.load(consolidated(tmp_path))
    ordinary = store.load(SAMPLE / "quang-ngai-sct-2021.toml")

    def shown(project, index: int) -> list[str]:
        spec = form_spec(Part("section", index), project, host.section_types)
        return [path[-1] for path, _field in spec]

    gathered = [i for i, s in enumerate(merged.sections) if s.data.get("gathered")]
    assert gathered, "the merge gathered the bodies' text somewhere"
    assert all("gathered" in shown(merged, index) for index in gathered)
    assert all("gathered" not in shown(ordinary, i) for i in range(len(ordinary.sections)))
