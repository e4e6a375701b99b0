"""Report text reaching a terminal: controls shown as visible stand-ins, never obeyed (issue 9).

`tongket check`, `render` and the error messages print through `terminal_safe`; the app draws
every string through Rich's and Textual's control tables, which `tui.screentext` extends; and
report text is never read as markup ("[/]" in a heading used to crash the app).
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Input, Static, TextArea
from tui_harness import settle

from tongket.core.problems import Problem, ReportFileError
from tongket.core.report.session import DraftSession
from tongket.core.writers.terminal import VISIBLE_CONTROLS, bidi_controls, terminal_safe
from tongket.tui import screentext
from tongket.tui.app import TongketApp
from tongket.tui.fields import Part
from tongket.tui.outline import Outline

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
HEAD = (BAD / "duplicate_years.toml").read_text(encoding="utf-8").split("\n[[sections]]")[0]
OSC = "\x1b]0;HACKED\x07"
# Anything a terminal would act on: C0 but tab/newline/form feed, DEL, C1.
RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0d-\x1f\x7f-\x9f]")


def test_controls_become_visible_and_text_stays():
    assert terminal_safe(f"Kết quả{OSC} \x1b[2Jxong") == "Kết quả␛]0;HACKED␇ ␛[2Jxong"
    assert terminal_safe("a\x9b31m\x7fb") == "a�31m␡b"
    assert terminal_safe("Dòng 1\n\tDòng 2\f") == "Dòng 1\n\tDòng 2\f"  # layout is kept
    assert terminal_safe("Sở Công Thương báo cáo") == "Sở Công Thương báo cáo"
    assert terminal_safe("a\nb\fc\u202ed", multiline=False) == "a␤b␌c\\u202ed"
    assert terminal_safe("a\u202eb") == "a\u202eb"  # a document keeps its text; check warns
    # A value quoted in a message shows what prints as nothing: "'1.409' không phải số" hid why.
    assert terminal_safe("'1.409\u200b' sai\u00ad", multiline=False) == "'1.409\\u200b' sai\\u00ad"
    assert terminal_safe("1.409\u200b") == "1.409\u200b"  # a rendered document keeps it
    every = "".join(chr(code) for code in range(0xA0))
    assert not RAW_CONTROL.search(terminal_safe(every))
    assert not RAW_CONTROL.search(terminal_safe(every, multiline=False).replace("\t", ""))
    assert all(len(picture) == 1 for picture in VISIBLE_CONTROLS.values())
    assert bidi_controls("a\u2066b\u202ec") == [(1, "U+2066"), (3, "U+202E")]


def test_findings_and_load_errors_print_on_one_safe_line():
    problem = Problem(("sections", 0, "heading"), f"gặp '{OSC}\nx'", "warning", 7)
    assert problem.format("f.toml") == "f.toml:7: sections.1.heading: cảnh báo: gặp '␛]0;HACKED␇␤x'"
    error = ReportFileError("f.toml", f"gặp '{OSC}'", line=3, key="document.kind")
    assert str(error) == "f.toml:3: document.kind: gặp '␛]0;HACKED␇'"


def tongket(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("tongket")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "tongket.core.cli"]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=60, cwd=cwd)


@pytest.fixture
def hostile(tmp_path) -> Path:
    report = tmp_path / "bao-cao.toml"
    body = (
        '\n[[sections]]\ntype = "free-text"\nnumber = "1."\n'
        'heading = "Kết quả\\u001b]0;HACKED\\u0007 \\u009b2J"\n'
        '[sections.data]\ntext = "Đoạn một\\u001b[31m đỏ.\\n\\nĐoạn\\thai."\n'
    )
    report.write_text(HEAD.replace('place = "Quảng Ngãi"', 'place = "Q\\u001b[2J"') + body)
    return report


@pytest.mark.parametrize("command", ["check", "render", "export"])
def test_no_command_sends_a_raw_control_to_the_terminal(hostile, command):
    result = tongket(command, str(hostile), cwd=hostile.parent)
    assert "Traceback" not in result.stderr
    output = result.stdout + result.stderr
    assert not RAW_CONTROL.search(output), output
    if command == "render":
        assert "1. Kết quả␛]0;HACKED␇ �2J" in result.stdout
        assert "Đoạn một␛[31m đỏ.\n\nĐoạn\thai." in result.stdout
    if command == "check":
        assert "document.place" in result.stdout


def test_a_load_error_quoting_a_value_is_safe(tmp_path):
    report = tmp_path / "bao-cao.toml"
    report.write_text(HEAD.replace('kind = "cong-van"', 'kind = "cong\\u001b]0;x\\u0007van"'))
    result = tongket("check", str(report), cwd=tmp_path)
    assert result.returncode == 2
    assert not RAW_CONTROL.search(result.stderr)
    assert "gặp 'cong␛]0;x␇van'" in result.stderr


# -- the app -------------------------------------------------------------------------------


def drawn_lines(app: App) -> list[str]:
    """Every line every widget on the screen draws."""
    lines = []
    for widget in app.screen.query("*"):
        for y in range(widget.size.height):
            lines.append(widget.render_line(y).text)
    return lines


def test_widgets_draw_controls_as_pictures():
    assert screentext.install()

    class Probe(App):
        def compose(self):
            yield Static(f"x{OSC}y", markup=False)
            yield Input("in\x1b[2Jput")
            yield TextArea("ta\x1b[2Jxx\x9b")

    async def scenario() -> list[str]:
        app = Probe()
        async with app.run_test() as pilot:
            await settle(pilot)
            return drawn_lines(app)

    lines = asyncio.run(scenario())
    assert not any(RAW_CONTROL.search(line) for line in lines)
    text = "\n".join(lines)
    assert "x␛]0;HACKED␇y" in text and "in␛[2Jput" in text and "ta␛[2Jxx�" in text


def test_the_app_shows_hostile_headings_without_obeying_or_parsing_them(tmp_path, host):
    report = tmp_path / "bao-cao.toml"
    report.write_text(
        HEAD.replace('agency = "SỞ CÔNG THƯƠNG"', 'agency = "SỞ [/] \\u001b[2J"')
        + '\n[[sections]]\ntype = "free-text"\nnumber = "1."\n'
        'heading = "Điều [/] khoản \\u001b]0;HACKED\\u0007"\n[sections.data]\ntext = "a"\n'
        '\n[[sections]]\ntype = "[/]"\n[sections.data]\n'
        + '\n[[sections]]\ntype = "partnerships"\nversion = 1\n[sections.data]\n'
        + '[[sections.data.delegations]]\nyear = 2020\ndirection = "den"\n'
        + 'partner = "Sở [/] [bold]Champasak"\nplace = "Lào"\npurpose = "Thăm :thumbs_up:"\n'
    )

    async def scenario() -> tuple[list[str], bool]:
        app = TongketApp(DraftSession.open(report), host, cursor_blink=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            outline = app.query_one(Outline)
            seen: list[str] = []
            for part in [Part("header"), *(Part("section", index) for index in range(3))]:
                outline.focus()
                target = outline.parts.index(part)
                while outline.highlighted != target:
                    await pilot.press("down" if outline.highlighted < target else "up")
                await pilot.press("enter")
                await pilot.pause(0.3)
                seen += drawn_lines(app)
            app.notify("Đã xóa mục Điều [/] khoản")
            await pilot.pause(0.3)
            return seen, app.is_running

    lines, running = asyncio.run(scenario())
    assert running  # a "[/]" read as markup raised MarkupError and closed the app
    assert not any(RAW_CONTROL.search(line) for line in lines)
    text = "\n".join(lines)
    assert "Điều [/] khoản ␛]0;HACKED␇" in text  # the editor's title, the preview
    assert "SỞ [/] ␛[2J" in text
    assert "Sở [/] [bold]Champasak" in text  # a cell of the preview's table, as written
