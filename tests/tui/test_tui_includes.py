"""Sections kept in their own files, in the app: the outline marks them, a part someone else
holds is read-only and says by whom, and saving writes only the part edited (Pilot, keys)."""

from __future__ import annotations

import datetime as dt
import os
import socket

from tui_harness import SIZE, Part, drive, goto, make_app, settle

from tongket.core.report import locking, store
from tongket.core.report.locking import LockHolder
from tongket.core.report.session import DraftSession
from tongket.tui.outline import Outline

TRAINING, MEDIA = 6, 7  # sections 2.4. and 2.5. of the sample
PARTS = {TRAINING: "phan/2.4-dao-tao.toml", MEDIA: "phan/2.5-tuyen-truyen.toml"}


def split_sample(report) -> None:
    project = store.load(report)
    for index, include in PARTS.items():
        project.sections[index].include = include
    store.save(project, report)


def someone_holds(path) -> LockHolder:
    now = dt.datetime.now().astimezone()
    holder = LockHolder("nva", socket.gethostname(), os.getpid(), now, now, None, "feedfeed")
    locking.lock_path(path).write_text(holder.to_json(), encoding="utf-8")
    return holder


def messages(app) -> str:
    return "\n".join(notification.message for notification in app._notifications)


def outline_line(app, index: int) -> str:
    outline = app.query_one(Outline)
    return str(outline.get_option_at_index(outline.parts.index(Part("section", index))).prompt)


@drive
async def test_a_part_someone_holds_is_read_only_and_the_others_are_edited(sample_copy, host):
    split_sample(sample_copy)
    folder = sample_copy.parent
    media_part = folder / PARTS[MEDIA]
    someone_holds(media_part)
    media_before = media_part.read_bytes()
    app = make_app(DraftSession.open(sample_copy, lock=True), host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert outline_line(app, MEDIA).endswith("[khóa]")
        assert outline_line(app, TRAINING).endswith("[tệp]")
        assert not outline_line(app, 3).endswith("]")  # an inline section
        assert not app.session.read_only and "CHỈ XEM" not in (app.sub_title or "")
        # The held part: the editor says who has it, and typing is refused with the reason.
        await goto(pilot, app, Part("section", MEDIA))
        notice = str(app.query_one("#form .notice").render())
        assert f"mục ở tệp {PARTS[MEDIA]} đang do tài khoản nva" in notice
        await pilot.press(*"abc")
        await pilot.pause(0.1)
        assert "Không sửa được:" in messages(app)
        assert "đang được mở để sửa bởi tài khoản nva" in messages(app)
        assert not app.session.dirty
        # A free part is edited and saved; its first change locked it for this session.
        await pilot.press("escape")
        await goto(pilot, app, Part("section", TRAINING))
        heading = f"f-sections-{TRAINING}-heading"
        for _ in range(6):  # back to the section's heading, above its table
            if app.focused is not None and app.focused.id == heading:
                break
            await pilot.press("shift+tab")
        await pilot.press("end", *" XYZ")
        await settle(pilot)
        assert app.session.dirty
        assert locking.read_lock(folder / PARTS[TRAINING]).pid == os.getpid()
        await pilot.press("f2")
        await pilot.pause(0.3)
        assert not app.session.dirty
    saved = store.load(sample_copy)
    assert saved.sections[TRAINING].heading.endswith(" XYZ")
    assert media_part.read_bytes() == media_before  # someone else's part: untouched
    assert sample_copy.read_text(encoding="utf-8").count("include = ") == 2  # still split
    assert locking.read_lock(folder / PARTS[TRAINING]) is None  # released on exit
    assert locking.read_lock(media_part).user == "nva"  # theirs stays
