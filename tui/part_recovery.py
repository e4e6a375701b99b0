"""Recovery copies and abandoned locks of a report's parts (sections kept in their own files),
as the drafter sees them: which parts an earlier session left unsaved work in, restoring or
dropping it, and taking over the lock of a part whose holder is gone.

`CrashSafety` (`tongket.tui.safety`) calls these; the copies and locks themselves are kept by
`DraftSession` (`parts`, `part_recoveries`, `restore_parts`, `take_over_part`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from tongket.core.problems import ReportFileError
from tongket.core.report.atomicfile import account_name
from tongket.core.report.locking import FileLocked
from tongket.core.report.session import ReadOnlyError

from .fields import section_title

if TYPE_CHECKING:
    from .app import TongketApp

__all__ = [
    "describe_copies",
    "held_part",
    "name_abandoned_copies",
    "offer_part_take_over",
    "part_holders",
    "part_name",
    "parts_changed_hands",
    "restore_copies",
    "take_over_part",
]

#: Longest section name quoted in a question (the dialog is read at 80 columns).
NAME_WIDTH = 48


def part_name(app: TongketApp, include: str) -> str:
    """ "mục 2.4. Đào tạo, bồi dưỡng (tệp phan/2.4-dao-tao.toml)": as the outline names the
    section, and the file as the report's `include` writes it."""
    section = next((item for item in app.session.project.sections if item.include == include), None)
    if section is None:
        return f"tệp {include}"
    types = app.host.section_types if app.host is not None else {}
    name = section_title(section, types, app.session.project.citations)
    if len(name) > NAME_WIDTH:
        name = name[: NAME_WIDTH - 1].rstrip() + "…"
    return f"mục {name} (tệp {include})"


def describe_copies(app: TongketApp, report: Path | None, parts: dict[str, Path]) -> str:
    """The lines of a question naming each recovery copy: the report's, then each part's."""
    lines = []
    if report is not None:
        lines.append(f"• báo cáo ({report.name}){written_by(report)}")
    lines.extend(
        f"• {part_name(app, include)}{written_by(copy)}" for include, copy in parts.items()
    )
    return "\n".join(lines)


def written_by(copy: Path) -> str:
    """ " — do tài khoản nva ghi" for a copy another account wrote, else "".

    Anyone who may write in a shared folder may leave a copy beside a report or a part (a
    colleague's session that ended, or a planted one); before a restore brings its text in,
    the drafter should know whose it is.
    """
    try:
        owner = copy.stat().st_uid
    except OSError:
        return ""
    return "" if owner == os.geteuid() else f" — do tài khoản {account_name(owner)} ghi"


def restore_copies(app: TongketApp, report: Path | None, parts: dict[str, Path]) -> bool:
    """Put the copies back into the draft (the report's first: it replaces the project, whose
    parts are then read from disk); each failure is told. True when anything was restored."""
    session = app.session
    restored = False
    if report is not None:
        try:
            session.restore(report)
        except (ReportFileError, ReadOnlyError) as error:
            app.notify(f"Không khôi phục được {report.name}: {error}", severity="error")
        else:
            restored = True
    for include, copy in parts.items():
        try:
            done = session.restore_parts({include: copy})
        except (ReportFileError, ReadOnlyError, OSError) as error:
            app.notify(
                f"Không khôi phục được {part_name(app, include)}: {error}",
                severity="error",
                timeout=10,
            )
            continue
        if not done:  # the restored report no longer keeps a section in that file
            app.notify(
                f"Không khôi phục được {copy.name}: báo cáo không còn mục nào ở tệp {include}; "
                "bản khôi phục vẫn được giữ.",
                severity="warning",
                timeout=10,
            )
        restored = restored or bool(done)
    return restored


def name_abandoned_copies(app: TongketApp, offered: dict[str, Path]) -> None:
    """Tell about copies beside parts an abandoned lock still holds: not offered now (the part
    is not this session's yet), never dropped either; the drafter is told how to get them."""
    session = app.session
    locked = session.locked_by
    # The report's own take-over brings back the parts its gone holder held, with their copies.
    with_report = session.abandoned_parts(locked.holder) if locked and locked.stale else []
    waiting = [
        include
        for include in session.part_recoveries(including=session.abandoned_parts())
        if include not in offered and include not in with_report
    ]
    if not waiting:
        return
    names = "; ".join(part_name(app, include) for include in waiting)
    key = app.key_label("take_over") or "t"
    app.notify(
        f"Có bản khôi phục của {names}, nhưng khóa của lần mở bị bỏ dở vẫn còn: chọn mục đó "
        f"trên Dàn ý rồi nhấn {key} để tiếp quản và khôi phục.",
        severity="warning",
        timeout=20,
    )


def part_holders(app: TongketApp) -> dict[int, tuple]:
    """Who else holds each section kept in its own file, and whether they seem gone."""
    session = app.session
    return {
        index: (locked.holder, bool(locked.stale))
        for index, locked in session.read_only_sections().items()
        if session.section_file(index) is not None
    }


def parts_changed_hands(app: TongketApp, before: dict[int, tuple], now: dict[int, tuple]) -> None:
    """After the locks were looked at again: the outline's [khóa] marks, the selected
    section's editor (read-only or not, its notice) and whether t applies follow."""
    from .outline import Outline

    main = app.main_screen
    main.query_one(Outline).update_marks(app.session.project, app.host.section_types, main.marks)
    part = app.part
    if part is not None and part.is_section and before.get(part.index) != now.get(part.index):
        main.call_later(main.show_part, part, force=True)
    app.refresh_bindings()


def held_part(app: TongketApp) -> tuple[str, FileLocked] | None:
    """The selected section's own file and who holds it, when someone else does."""
    part = app.part
    if part is None or not part.is_section:
        return None
    session = app.session
    include = session.section_file(part.index)
    if include is None:
        return None
    holder = session.section_holder(part.index)
    return (include, holder) if holder is not None else None


def offer_part_take_over(app: TongketApp, include: str, locked: FileLocked) -> None:
    """Ask before taking over the abandoned lock of the part `include`; its recovery copy
    (when newer than the part) is offered in the same question, and unsaved changes of this
    draft in that section may be kept."""
    from .dialogs import ConfirmScreen

    session = app.session
    name = part_name(app, include)
    holder = locked.holder
    if holder.damage:
        why = f"Tệp khóa của {name} hỏng ({holder.damage}); không rõ ai đang giữ tệp."
    else:
        why = (
            f"{name[:1].upper()}{name[1:]} đang bị khóa bởi {holder.describe()}; khóa có vẻ "
            f"đã bỏ dở ({locked.stale})."
        )
    message = f"{why} Tiếp quản thì bạn được sửa mục này; mục được đọc lại từ tệp."
    copy = session.part_recoveries(including=[include]).get(include)
    choices = [("t", "Tiếp quản", "take_over")]
    if copy is not None:
        message += (
            f" Có bản khôi phục mới hơn tệp ({copy.name}): có thể là thay đổi chưa lưu của lần "
            "mở bị bỏ dở. Khôi phục nó luôn?"
        )
        choices = [("k", "Tiếp quản và khôi phục", "restore"), ("t", "Chỉ tiếp quản", "take_over")]
    if session.part_unsaved(include):
        message += " Bản nháp của bạn có thay đổi chưa lưu ở mục này: g giữ chúng."
        choices.append(("g", "Giữ bản đang soạn", "keep"))

    def answer(choice: str | None) -> None:
        if choice in ("take_over", "restore", "keep"):
            take_over_part(
                app, include, restore=copy if choice == "restore" else None, keep=choice == "keep"
            )

    app.push_screen(ConfirmScreen("Tiếp quản phần?", message, choices), answer)


def take_over_part(
    app: TongketApp, include: str, *, restore: Path | None = None, keep: bool = False
) -> None:
    """Take over the part's lock, read it again (unless `keep`), restore `restore` into it."""
    session = app.session
    name = part_name(app, include)
    try:
        taken = session.take_over_part(include, reload=not keep)
    except (OSError, ReportFileError) as error:
        app.notify(f"Không tiếp quản được {name}: {error}", severity="error", timeout=10)
        app.main_screen.report_replaced(app.part)
        return
    if not taken:
        app.notify(
            f"Không tiếp quản được {name}: người giữ khóa vẫn đang làm việc.", severity="warning"
        )
        app.main_screen.report_replaced(app.part)
        return
    restored = restore is not None and restore_copies(app, None, {include: restore})
    app.main_screen.report_replaced(app.part)
    app.main_screen.update_banner()
    save = app.key_label("save")
    if restored:
        app.notify(f"Đã tiếp quản {name} và khôi phục bản nháp. Nhấn {save} để lưu.")
    else:
        app.notify(f"Đã tiếp quản {name}: bạn có thể sửa mục này và lưu ({save}).")
