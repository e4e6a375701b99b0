"""Comparing the draft with an earlier version from the app (d on the outline, or the palette)."""

from __future__ import annotations

import zipfile

from tui_harness import SIZE, drive, make_app, settle, until

from tongket.core.report import store
from tongket.core.report.session import DraftSession
from tongket.tui.dialogs import ConfirmScreen, PathScreen

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _revisions(docx) -> tuple[str, str]:
    """The inserted and the deleted text of a package, each joined."""
    from lxml import etree

    with zipfile.ZipFile(docx) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    inserted = "".join(t.text or "" for t in root.iter(f"{W}ins") for t in t.iter(f"{W}t"))
    deleted = "".join(t.text or "" for t in root.iter(f"{W}del") for t in t.iter(f"{W}delText"))
    return inserted, deleted


@drive
async def test_the_draft_against_the_backup_is_a_word_file_with_tracked_changes(sample_copy, host):
    project = store.load(sample_copy)
    project.document.number = "77"
    store.save(project, sample_copy)  # the sample as it was is now report.toml.bak
    target = sample_copy.with_name("report-thay-doi.docx")
    app = make_app(DraftSession.open(sample_copy), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("b")  # the version kept at the last save
        await until(pilot, target.exists)
        await until(pilot, lambda: any("đánh dấu" in n.message for n in app._notifications))
    inserted, deleted = _revisions(target)
    assert "77" in inserted
    assert "Số" not in deleted  # only the number changed on that line, not the whole line


@drive
async def test_without_a_backup_the_app_asks_for_a_file(sample_copy, tmp_path, host):
    earlier = tmp_path / "ban-cu.toml"
    earlier.write_bytes(sample_copy.read_bytes())
    project = store.load(sample_copy)
    project.document.subject = project.document.subject + " mới"
    sample_copy.write_text(store.dumps(project), encoding="utf-8")  # no .bak made
    app = make_app(DraftSession.open(sample_copy), host)
    target = sample_copy.with_name("report-thay-doi.docx")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, PathScreen))
        await pilot.press(*str(earlier), "enter")
        await until(pilot, target.exists)
    inserted, _deleted = _revisions(target)
    assert "mới" in inserted


@drive
async def test_a_file_that_is_not_a_report_is_said_not_crashed(sample_copy, tmp_path, host):
    broken = tmp_path / "hong.toml"
    broken.write_text("document = [", encoding="utf-8")
    app = make_app(DraftSession.open(sample_copy), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, PathScreen))
        await pilot.press(*str(broken), "enter")
        await until(
            pilot, lambda: any("Chưa so sánh được" in n.message for n in app._notifications)
        )
        message = next(n.message for n in app._notifications if "Chưa so sánh" in n.message)
        assert "hong.toml" in message
    assert not sample_copy.with_name("report-thay-doi.docx").exists()
