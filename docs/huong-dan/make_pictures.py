"""Regenerate the Vietnamese guide's pictures and its key table from the current code.

    .venv/bin/python docs/huong-dan/make_pictures.py

Writes, next to this file:

- `hinh/*.svg`: the app at 80×24, driven by Pilot on a scratch copy of the bundled sample
  (Textual's own SVG screenshots; the user's files are never opened);
- `hinh/trang-*.png`: the sample's exported pages (tongket export --pdf, then pdftoppm), skipped
  with a message when LibreOffice or poppler is missing;
- `06-phim-tat.md`: the key chapter, built from `tongket.tui.registry` (tests/cli/test_guide.py
  fails when the committed file differs from `key_chapter()`).

Keep this module importable without side effects: the test loads it for `key_chapter()` and
`SCREENSHOTS` and must not start the app.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from importlib import resources
from pathlib import Path

from tongket.tui.registry import AREAS, COMMANDS, Command

GUIDE = Path(__file__).resolve().parent
PICTURES = GUIDE / "hinh"
KEY_CHAPTER = GUIDE / "06-phim-tat.md"
SAMPLE = "quang-ngai-sct-2021.toml"
SIZE = (80, 24)
ECONOMIC = 3  # the sample's section "2.1. Kết quả kinh tế ngành", counted from 0
PAGE_RESOLUTION = 50  # dpi of the page images: enough to see the layout, a few kB each

# -- key names, as the guide writes them -------------------------------------------------------

#: How the guide writes a Textual key name (the app's footer writes some of these shorter:
#: "^s" for Ctrl+S, "del" for Delete; chapter 6 says so).
KEY_WORDS: dict[str, str] = {
    "escape": "Esc",
    "enter": "Enter",
    "insert": "Insert",
    "delete": "Delete",
    "backspace": "Backspace",
    "tab": "Tab",
    "home": "Home",
    "end": "End",
    "pageup": "PageUp",
    "pagedown": "PageDown",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "question_mark": "?",
    "colon": ":",
    "space": "Space",
}
MODIFIER_WORDS: dict[str, str] = {"ctrl": "Ctrl", "alt": "Alt", "shift": "Shift"}


def key_display(key: str) -> str:
    """A Textual key name as the guide writes it: "ctrl+s" → "Ctrl+S", "f2" → "F2"."""
    *modifiers, name = key.strip().split("+")
    if name[:1] == "f" and name[1:].isdigit():
        shown = name.upper()
    elif name in KEY_WORDS:
        shown = KEY_WORDS[name]
    elif len(name) == 1 and modifiers:
        shown = name.upper()
    else:
        shown = name
    return "+".join([*(MODIFIER_WORDS.get(m, m) for m in modifiers), shown])


def key_name(display: str) -> str:
    """The Textual key name of a key as the guide writes it: "Ctrl+S" → "ctrl+s"; the inverse
    of `key_display` (also reads the footer's "^s" and "del")."""
    display = display.strip()
    if display.startswith("^") and len(display) > 1:
        display = "Ctrl+" + display[1:]
    *modifiers, shown = display.split("+") if display != "+" else ["+"]
    words = {word.lower(): name for name, word in KEY_WORDS.items()}
    words.update({"del": "delete", "esc": "escape", "escape": "escape"})
    if shown[:1] in "fF" and shown[1:].isdigit():
        name = shown.lower()
    elif shown.lower() in words:
        name = words[shown.lower()]
    elif shown in words.values():
        name = shown
    elif len(shown) == 1 and modifiers:
        name = shown.lower()
    else:
        name = shown
    return "+".join([*(m.lower() for m in modifiers), name])


def kbd(key: str) -> str:
    return f"<kbd>{key_display(key)}</kbd>"


# -- chapter 6: the key table --------------------------------------------------------------------

KEY_INTRO = """\
<!-- Tệp này do docs/huong-dan/make_pictures.py sinh ra từ tui/registry.py: đừng sửa tay. -->

# 6. Phím tắt

[← Mục lục](README.md)

Mọi thao tác trong tongket đều làm được bằng bàn phím. Bảng dưới đây liệt kê **mọi phím**
mà chương trình gán sẵn, theo từng vùng màn hình. Trong chương trình, nhấn {help} bất cứ
lúc nào để xem các phím dùng được ở vùng đang chọn.

Cách đọc bảng:

- Nhiều phím trên một dòng, cách nhau bằng dấu phẩy, là các phím cùng làm một việc (ví dụ
  {save} và {save_ctrl} đều lưu tệp). Các việc chính có tổ hợp Ctrl (lưu, xuất, hoàn tác,
  làm lại, thoát, bảng lệnh) đều có phím F thay thế, vì tmux, PuTTY hay VS Code có khi
  "nuốt" tổ hợp Ctrl.
- Ở chân màn hình và trong màn hình trợ giúp, phím Ctrl được viết tắt bằng dấu `^`
  (`^s` là {save_ctrl}), phím Delete viết là `del`.
- Cột "Bảng lệnh" là tên của việc đó trong bảng lệnh (mở bằng {palette}, {palette_f12} hoặc
  {palette_ctrl}); gõ vài chữ không dấu là tìm được, ví dụ gõ `xuat` thấy "Xuất DOCX".
- Phím chữ và số (như {take_over}, {help_plain}, {pane_1}) không dùng được khi con trỏ đang ở
  trong một ô nhập chữ: khi đó chúng được gõ vào ô. Phím F và phím Alt thì dùng được ở mọi nơi.
- Cột "Mã" dùng khi muốn đổi phím (xem cuối chương).

![Bảng lệnh: gõ "xuat" để tìm các việc xuất văn bản](hinh/bang-lenh.svg)
"""

KEY_OUTRO = """\
Ngoài các phím trên, các phím mũi tên {up} {down} di chuyển trong danh sách và trong bảng,
{tab} chuyển sang ô nhập kế tiếp trong biểu mẫu. Trong bảng số liệu, gõ một chữ hoặc số là
bắt đầu sửa ô với ký tự đó; {enter} sửa ô giữ nguyên giá trị cũ; {backspace} sửa ô bắt đầu
từ ô trống.

## Đổi phím

Có thể gán lại phím trong tệp `~/.config/tongket/keymap.toml` (hoặc tệp mà biến môi trường
`TONGKET_KEYMAP` chỉ tới): một bảng `[keys]`, mỗi dòng là *mã = các phím*, ví dụ

```toml
[keys]
save = "f2,ctrl+w"
```

Tệp này được đọc khi chương trình khởi động. Phím mới hiện ở chân màn hình, trong màn hình
trợ giúp {help} và trong bảng lệnh; mã nào không có trong bảng trên thì chương trình báo khi
khởi động.

## Dùng trong tmux

Nếu làm việc trong tmux, thêm dòng sau vào tệp `~/.tmux.conf` (rồi chạy
`tmux source-file ~/.tmux.conf`) để phím {escape} có tác dụng ngay, không phải chờ:

```
set -sg escape-time 10
```
"""


def _area_order() -> list[str]:
    """Areas with their own title, in `AREAS` order ("form" and "text" share "Biểu mẫu")."""
    titles: list[str] = []
    for title in AREAS.values():
        if title not in titles:
            titles.append(title)
    return titles


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def key_table() -> str:
    """Every key the registry binds, one table per area, alternate keys on one line."""
    lines: list[str] = []
    for title in _area_order():
        rows: dict[str, list[Command]] = {}
        for command in COMMANDS:
            if AREAS[command.area] == title:
                rows.setdefault(command.base, []).append(command)
        if not rows:
            continue
        heading = "Mọi nơi trong cửa sổ chính" if title == AREAS["app"] else title
        lines += [
            f"## {heading}",
            "",
            "| Phím | Việc | Bảng lệnh | Mã |",
            "| --- | --- | --- | --- |",
        ]
        for commands in rows.values():
            keys: list[str] = []
            for command in commands:
                for key in command.keys.split(","):
                    if kbd(key) not in keys:
                        keys.append(kbd(key))
            palette = next((c.palette for c in commands if c.palette), "—")
            ids = ", ".join(f"`{c.id}`" for c in commands)
            label = commands[0].label
            lines.append(f"| {', '.join(keys)} | {_cell(label)} | {_cell(palette)} | {ids} |")
        lines.append("")
    return "\n".join(lines)


def key_chapter() -> str:
    """The whole of chapter 6 (06-phim-tat.md), as the registry makes it now."""
    names = {
        "help": "f1",
        "save": "f2",
        "save_ctrl": "ctrl+s",
        "palette": "colon",
        "palette_f12": "f12",
        "palette_ctrl": "ctrl+p",
        "up": "up",
        "down": "down",
        "tab": "tab",
        "enter": "enter",
        "backspace": "backspace",
        "escape": "escape",
        "take_over": "t",
        "help_plain": "question_mark",
        "pane_1": "1",
    }
    keys = {word: kbd(key) for word, key in names.items()}
    return "\n".join(
        [KEY_INTRO.format(**keys), key_table(), KEY_OUTRO.format(**keys).rstrip("\n"), ""]
    )


# -- screenshots ---------------------------------------------------------------------------------

Shot = Callable[["Scene"], Awaitable[None]]


class Scene:
    """One Pilot session on a scratch copy of the sample: drive it, then take the picture."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.app = pilot.app

    async def settle(self, delay: float = 0.3, limit: float = 10.0) -> None:
        """Wait until the app says it has settled (as tests/tui/tui_harness.py does)."""
        await self.pilot.pause(delay)
        waited = delay
        while not getattr(self.app, "settled", True) and waited < limit:
            await self.pilot.pause(0.05)
            waited += 0.05

    async def press(self, *keys: str, delay: float = 0.3) -> None:
        await self.pilot.press(*keys)
        await self.settle(delay)

    async def goto(self, key: str, section: int = -1) -> None:
        """Highlight an outline entry (a particulars group, or section number `section` from 0)
        with the arrow keys and open it with Enter."""
        from tongket.tui.fields import Part
        from tongket.tui.outline import Outline

        outline = self.app.query_one(Outline)
        outline.focus()
        index = outline.parts.index(Part(key, section))
        while outline.highlighted != index:
            await self.pilot.press("down" if outline.highlighted < index else "up")
        await self.press("enter")


async def main_screen(scene: Scene) -> None:
    """Just opened: the outline, the first part's editor, the preview, the problems."""


async def outline_help(scene: Scene) -> None:
    await scene.press("f1")


async def particulars(scene: Scene) -> None:
    await scene.goto("header")  # "Tiêu đề văn bản": cơ quan, số, ký hiệu, ngày, trích yếu


async def signer(scene: Scene) -> None:
    await scene.goto("signing")  # "Câu kết và người ký"


async def add_section(scene: Scene) -> None:
    await scene.goto("section", 0)
    await scene.press("escape", "a")


async def series_grid(scene: Scene) -> None:
    """The economic section's yearly series: the grid and its chart."""
    from tongket.tui.grid import RecordsTable

    await scene.goto("section", ECONOMIC)
    for _ in range(12):
        focused = scene.app.focused
        if isinstance(focused, RecordsTable) and focused.owner.field.name == "series":
            break
        await scene.pilot.press("tab")
    await scene.press("down", "right")
    table = scene.app.focused
    if isinstance(table, RecordsTable) and table.owner.chart is not None:
        table.owner.chart.scroll_visible(top=True, animate=False)  # the chart above the grid
        await scene.settle()


async def cell_editor(scene: Scene) -> None:
    await series_grid(scene)
    await scene.press("3")  # a digit typed on a cell starts editing it with that digit


async def preview(scene: Scene) -> None:
    await scene.goto("section", ECONOMIC)
    await scene.press("escape", "3")


async def problems(scene: Scene) -> None:
    await scene.press("4")


async def problem_help(scene: Scene) -> None:
    await scene.press("4", "f1")


async def problem_goto(scene: Scene) -> None:
    await scene.press("4", "enter")


async def exported(scene: Scene) -> None:
    await scene.pilot.press("f6")
    await scene.app.workers.wait_for_complete()
    await scene.settle(1.0)  # the notification slides in


async def palette(scene: Scene) -> None:
    await scene.press("colon")
    await scene.press(*"xuat", delay=0.5)


async def read_only_view(scene: Scene) -> None:
    """Opened while a colleague's lock is in place (see `_colleague_lock`)."""


async def stale_lock(scene: Scene) -> None:
    """Opened while an abandoned lock is in place: the banner offers to take it over."""


async def take_over(scene: Scene) -> None:
    await scene.press("t")


async def recovery_offer(scene: Scene) -> None:
    """Opened with a recovery copy left by a dropped connection."""


async def unsaved(scene: Scene) -> None:
    await scene.goto("section", 0)
    await scene.press("ctrl+end", *" Bổ sung.", "escape")


#: Picture file (in hinh/) → how the session is driven. The guide may only name these
#: (tests/cli/test_guide.py checks it), so every picture is made again from the code.
SCREENSHOTS: dict[str, Shot] = {
    "man-hinh-chinh.svg": main_screen,
    "tro-giup.svg": outline_help,
    "chua-luu.svg": unsaved,
    "the-thuc.svg": particulars,
    "nguoi-ky.svg": signer,
    "them-muc.svg": add_section,
    "bang-so-lieu.svg": series_grid,
    "sua-o.svg": cell_editor,
    "xem-truoc.svg": preview,
    "van-de.svg": problems,
    "van-de-chi-tiet.svg": problem_help,
    "den-cho-loi.svg": problem_goto,
    "da-xuat.svg": exported,
    "bang-lenh.svg": palette,
    "chi-xem.svg": read_only_view,
    "khoa-bo-do.svg": stale_lock,
    "tiep-quan.svg": take_over,
    "khoi-phuc.svg": recovery_offer,
}

#: The sessions opened as `tongket` with no file opens the sample.
UNTITLED: set[Shot] = {main_screen}

#: The sessions opened while a colleague holds the lock, with how many hours ago it was
#: last refreshed (more than 12: it looks abandoned and may be taken over).
LOCKED: dict[Shot, int] = {read_only_view: 0, stale_lock: 13, take_over: 13}

#: The page images `make_pages` writes: the first page (header, Kính gửi, the start of the
#: text) and the last (signature and Nơi nhận), the two a clerk checks before signing.
PAGES = ("trang-dau.png", "trang-cuoi.png")


def _colleague_lock(report: Path, *, idle_hours: int = 0) -> None:
    """Plant the lock of a colleague working on another machine (a shared server's other
    session), refreshed `idle_hours` ago: 0 is someone at work, 13 a lock left behind."""
    from tongket.core.report import locking

    now = dt.datetime.now().astimezone()
    since = now.replace(hour=8, minute=15, second=0, microsecond=0) - dt.timedelta(days=1)
    refreshed = now - dt.timedelta(hours=idle_hours)
    holder = locking.LockHolder("nva", "may-chu-so", 4242, since, refreshed, None, "feed" * 4)
    locking.lock_path(report).write_text(holder.to_json(), encoding="utf-8")


def _recovery_copy(report: Path) -> Path:
    """A recovery copy newer than the report, holding a change that was never saved."""
    from tongket.core.report.session import DraftSession

    session = DraftSession.open(report)
    text = session.get(("sections", 0, "data", "text"))
    session.set_value(("sections", 0, "data", "text"), text + " Bổ sung.")
    path = session.write_recovery(force=True)
    if path is None:
        raise RuntimeError("no recovery copy was written")
    return path


async def _shoot(name: str, shot: Shot, folder: Path, host) -> str:
    from tongket.core.report import store
    from tongket.core.report.session import DraftSession, find_recovery
    from tongket.tui.app import TongketApp

    report = folder / SAMPLE
    shutil.copyfile(Path(str(resources.files("tongket.sample_data") / SAMPLE)), report)
    recovery = None
    if shot in LOCKED:
        _colleague_lock(report, idle_hours=LOCKED[shot])
    if shot is recovery_offer:
        _recovery_copy(report)
        recovery = find_recovery(report)
    if shot in UNTITLED:  # `tongket` with no file: the sample as a new, unsaved draft
        session = DraftSession(store.load(report), locking=True)
    else:
        # Opened by its relative name (the working folder is `folder`), as a clerk types it,
        # so messages name the file, not the scratch folder.
        session = DraftSession.open(Path(SAMPLE), lock=True)
    app = TongketApp(session, host, recovery=recovery, cursor_blink=False, recovery_seconds=3600)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        scene = Scene(pilot)
        await scene.settle()
        await shot(scene)
        await scene.settle()
        svg = app.export_screenshot(title=f"tongket — {name.removesuffix('.svg')}")
    session.release_lock()
    return svg


def make_screenshots(names: list[str] | None = None) -> None:
    """Write hinh/NAME.svg for each screenshot (all when `names` is None)."""
    from tongket.core.host.pluginhost import PluginHost

    host = PluginHost()
    host.load_builtins()  # built-in plugins only, as a fresh install has them
    for name, shot in SCREENSHOTS.items():
        if names and name not in names:
            continue
        with tempfile.TemporaryDirectory(prefix="tongket-guide-") as scratch:
            folder = Path(scratch)
            cwd = Path.cwd()
            os.chdir(folder)  # an untitled draft saves and recovers into the working folder
            try:
                svg = asyncio.run(_shoot(name, shot, folder, host))
            finally:
                os.chdir(cwd)
        (PICTURES / name).write_text(svg, encoding="utf-8")
        print(f"hinh/{name}: {len(svg) // 1024} kB")


def make_pages() -> None:
    """Export the sample through LibreOffice and write its first pages as small PNGs."""
    missing = [tool for tool in ("soffice", "pdftoppm", "pdfinfo") if shutil.which(tool) is None]
    if missing:
        print(f"bỏ qua ảnh trang: thiếu {', '.join(missing)} (giữ nguyên ảnh trang cũ)")
        return
    with tempfile.TemporaryDirectory(prefix="tongket-guide-") as scratch:
        folder = Path(scratch)
        report = folder / SAMPLE
        shutil.copyfile(Path(str(resources.files("tongket.sample_data") / SAMPLE)), report)
        docx = folder / "bao-cao.docx"
        command = [sys.executable, "-m", "tongket.core.cli", "export", str(report)]
        done = subprocess.run([*command, "-o", str(docx), "--pdf"], capture_output=True, text=True)
        pdf = docx.with_suffix(".pdf")
        if done.returncode != 0 or not pdf.is_file():
            print(f"bỏ qua ảnh trang: xuất PDF không thành ({done.stderr.strip()})")
            return
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        count = next(
            (int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:")), 1
        )
        for name, page in zip(PAGES, (1, count), strict=True):
            prefix = folder / name.removesuffix(".png")
            pages = ["-f", str(page), "-l", str(page), "-singlefile"]
            options = ["-r", str(PAGE_RESOLUTION), "-gray", "-png"]
            subprocess.run(["pdftoppm", *pages, *options, str(pdf), str(prefix)], check=True)
            target = PICTURES / name
            shutil.copyfile(prefix.with_suffix(".png"), target)
            print(f"hinh/{name}: trang {page}/{count}, {target.stat().st_size // 1024} kB")


def main(argv: list[str]) -> int:
    """Regenerate everything; `argv` may name some screenshots to make only those."""
    PICTURES.mkdir(exist_ok=True)
    KEY_CHAPTER.write_text(key_chapter(), encoding="utf-8")
    print(f"{KEY_CHAPTER.name}: bảng phím")
    make_screenshots(argv or None)
    if not argv:
        make_pages()
        for old in sorted(set(PICTURES.iterdir())):
            if old.name not in SCREENSHOTS and old.name not in PAGES:
                old.unlink()  # a picture no longer made would go stale
                print(f"hinh/{old.name}: đã xóa (không còn được tạo)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
