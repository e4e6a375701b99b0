"""The headless CLI, run the way scripts run it: as a subprocess, reading exit codes and output."""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from tongket.core import cli_parser
from tongket.core.cli_parser import VietnameseArgumentParser, translate_error

SCRIPT = Path(sys.executable).with_name("tongket")


def tongket(
    *args: str | os.PathLike[str], env: dict | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "tongket.core.cli"]
    return subprocess.run(
        [*command, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


def assert_no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout


def test_render_prints_the_document_in_reading_order(sample_path):
    result = tongket("render", sample_path)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    order = [
        "UBND TỈNH QUẢNG NGÃI",
        "SỞ CÔNG THƯƠNG",
        "Số: /SCT-VP",
        "V/v báo cáo tổng kết 10 năm",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Quảng Ngãi, ngày 02 tháng 4 năm 2021",
        "Kính gửi: Sở Ngoại vụ Quảng Ngãi",
        "2. Kết quả thực hiện",
        "Sở Công Thương kính báo cáo./.",
        "Nơi nhận:",
        "- Lưu: VT, VP.",
        "GIÁM ĐỐC",
        "Võ Văn Rân",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)


@pytest.mark.parametrize("encoding", ["ascii", "cp1258"])
def test_output_is_utf8_where_the_locale_encoding_has_no_vietnamese_letters(
    sample_path, tmp_path, encoding
):
    # PYTHONIOENCODING stands in for a redirect on a non-UTF-8 locale: Windows' cp1258 has no
    # "ả". Export used to write the file, then fail printing "Đã xuất" (exit 2).
    target = tmp_path / "bản nháp.docx"
    environment = {"PYTHONIOENCODING": encoding}
    rendered = tongket("render", sample_path, env=environment)
    assert rendered.returncode == 0, rendered.stderr
    assert "Kính gửi" in rendered.stdout
    exported = tongket("export", sample_path, "-o", target, env=environment)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == f"Đã xuất {target}\n"
    assert target.exists()


def test_check_reports_findings_with_file_and_path(sample_copy):
    text = sample_copy.read_text(encoding="utf-8")
    text = text.replace('subject = "báo cáo', 'subject = "Về việc báo cáo')
    text = text.replace('"Lưu: VT, VP"]', '"Phòng KH"]').replace('prefix = ""', 'prefix = "KT"')
    sample_copy.write_text(text, encoding="utf-8")
    result = tongket("check", sample_copy)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(
        line.startswith(f"{sample_copy}:")
        and ": document.subject: cảnh báo: " in line
        and "'Về việc'" in line
        for line in lines
    ), lines
    assert any(": document.distribution: " in line and "Lưu:" in line for line in lines)
    assert any(": document.signer.prefix: " in line for line in lines)
    assert_no_traceback(result)


def test_check_clean_file_exits_zero(tmp_path, clean_report_text):
    clean = tmp_path / "clean.toml"
    clean.write_text(clean_report_text, encoding="utf-8")
    result = tongket("check", clean)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "không có vấn đề nào" in result.stdout


def test_check_warns_of_a_date_far_ahead_at_its_line(tmp_path, clean_report_text):
    ahead = dt.date.today() + dt.timedelta(days=45)
    report = tmp_path / "ahead.toml"
    report.write_text(
        clean_report_text.replace("date = 2021-04-02", f"date = {ahead.isoformat()}"),
        encoding="utf-8",
    )
    result = tongket("check", report)
    assert f"{report}:7: document.date: cảnh báo: ngày ban hành {ahead.isoformat()} " in (
        result.stdout
    ), result.stdout
    assert "hơn 30 ngày: kiểm tra lại ngày tháng (có gõ nhầm năm không?)" in result.stdout
    assert_no_traceback(result)


def test_malformed_toml_prints_file_line_col_and_exits_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('schema_version = 1\n[document]\nkind = "cong-van\n', encoding="utf-8")
    for command in ("check", "render", "export"):
        result = tongket(command, bad)
        assert result.returncode == 2, (command, result.stderr)
        assert result.stderr.startswith(f"{bad}:3:"), result.stderr
        assert_no_traceback(result)


def test_wrong_type_names_the_dotted_key(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[document]\nkind = "cong-van"\nrecipients = "Sở Ngoại vụ"\n', encoding="utf-8")
    result = tongket("check", bad)
    assert result.returncode == 2
    assert result.stderr.startswith(f"{bad}:3: document.recipients: cần một danh sách chuỗi")


def test_missing_file_exits_2_without_traceback(tmp_path):
    result = tongket("export", tmp_path / "none.toml")
    assert result.returncode == 2
    assert "không tìm thấy" in result.stderr
    assert_no_traceback(result)


def test_debug_shows_the_traceback(tmp_path):
    result = tongket("--debug", "check", tmp_path / "none.toml")
    assert result.returncode != 0
    assert "Traceback" in result.stderr


def test_plugins_lists_builtins_as_json(sample_path):
    result = tongket("plugins", "--json")
    listing = json.loads(result.stdout)
    free_text = next(item for item in listing if item["name"] == "free_text")
    assert free_text["source"] == "built-in"
    assert free_text["section_types"][0]["id"] == "free-text"
    assert "tongket_render_section" in free_text["hooks"]
    plain = tongket("plugins")
    assert "free-text v1: Văn bản tự do" in plain.stdout


def test_unknown_section_type_is_named_by_check_and_export(sample_copy, tmp_path):
    with sample_copy.open("a", encoding="utf-8") as file:
        file.write('\n[[sections]]\ntype = "thu-hut-dau-tu"\n[sections.data]\nx = 1\n')
    check = tongket("check", sample_copy)
    assert check.returncode == 1
    assert "thu-hut-dau-tu" in check.stdout
    out = tmp_path / "out.docx"
    export = tongket("export", sample_copy, "-o", out)
    assert export.returncode == 1
    assert "thu-hut-dau-tu" in export.stderr
    assert not out.exists()


def test_failed_export_leaves_an_existing_file_untouched(sample_copy, tmp_path):
    out = tmp_path / "out.docx"
    out.write_bytes(b"previous export")
    sample_copy.write_text(
        sample_copy.read_text(encoding="utf-8")
        + '\n[[sections]]\ntype = "free-text"\n[sections.data]\ntext = 5\n',
        encoding="utf-8",
    )
    result = tongket("export", sample_copy, "-o", out)
    assert result.returncode == 1
    assert out.read_bytes() == b"previous export"


@pytest.mark.parametrize("kind", ["directory", "symlink", "missing-folder"])
def test_export_refuses_bad_output_paths(sample_path, tmp_path, kind):
    if kind == "directory":
        target = tmp_path / "folder.docx"
        target.mkdir()
    elif kind == "symlink":
        elsewhere = tmp_path / "elsewhere.docx"
        elsewhere.write_bytes(b"keep")
        target = tmp_path / "link.docx"
        target.symlink_to(elsewhere)
    else:
        target = tmp_path / "no" / "such" / "out.docx"
    result = tongket("export", sample_path, "-o", target)
    assert result.returncode == 2
    assert str(target) in result.stderr
    assert_no_traceback(result)
    if kind == "symlink":
        assert (tmp_path / "elsewhere.docx").read_bytes() == b"keep"


def test_export_writes_a_docx(sample_path, tmp_path):
    out = tmp_path / "out.docx"
    result = tongket("export", sample_path, "-o", out)
    assert result.returncode == 0, result.stderr
    assert f"Đã xuất {out}" in result.stdout
    import docx

    text = "\n".join(paragraph.text for paragraph in docx.Document(str(out)).paragraphs)
    assert "Sở Công Thương kính báo cáo./." in text


def test_keep_going_exports_with_the_error_block(sample_copy, tmp_path):
    with sample_copy.open("a", encoding="utf-8") as file:
        file.write('\n[[sections]]\ntype = "thu-hut-dau-tu"\nnumber = "3."\n')
    out = tmp_path / "out.docx"
    result = tongket("export", sample_copy, "-o", out, "--keep-going")
    assert result.returncode == 0  # issue 5: non-zero unless --keep-going
    assert "đã xuất kèm 1 lỗi (--keep-going)" in result.stderr
    assert out.exists()
    import docx

    text = "\n".join(paragraph.text for paragraph in docx.Document(str(out)).paragraphs)
    assert "thu-hut-dau-tu" in text


def test_new_creates_a_report_and_refuses_to_overwrite(tmp_path):
    pytest.importorskip("tongket.core.report.session")
    target = tmp_path / "moi.toml"
    result = tongket("new", target, "--kind", "bao-cao")
    assert result.returncode == 0, result.stderr
    import tomllib

    table = tomllib.loads(target.read_text(encoding="utf-8"))
    assert table["document"]["kind"] == "bao-cao"
    assert len(table["sections"]) >= 5
    again = tongket("new", target)
    assert again.returncode == 2
    assert "đã có" in again.stderr


HEADLESS_PROBE = """
import sys
from tongket.core.cli import main
code = main(sys.argv[1:])
assert "textual" not in sys.modules, sorted(m for m in sys.modules if m.startswith("textual"))
# What only other commands need stays unloaded: their modules (only the command's own
# subparser is built), the TOML writer, and compiled tomli when rtoml reads the report;
# difflib too, which only a wrong key's "có phải ý bạn là" hint needs.
unneeded = {"tongket.core.commands.diff", "tongket.core.commands.merge", "tomli_w", "difflib"}
from tongket.core.report import tomlread
if tomlread.rust_reader is not None:
    unneeded.add("tomli")
assert not unneeded & set(sys.modules), sorted(unneeded & set(sys.modules))
print("ok", code)
"""


@pytest.mark.parametrize("command", ["export", "check", "render", "plugins"])
def test_headless_commands_do_not_import_textual(sample_path, tmp_path, command):
    args = {"export": [str(sample_path), "-o", str(tmp_path / "o.docx")], "plugins": []}.get(
        command, [str(sample_path)]
    )
    result = subprocess.run(
        [sys.executable, "-c", HEADLESS_PROBE, command, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "ok" in result.stdout, result.stderr


def test_importing_core_does_not_import_textual():
    probe = "import sys, tongket.core.render.document; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.strip() == "False"


# The command line speaks Vietnamese: help, usage and argument errors; unknown options refused.

ENGLISH = ("usage:", "options:", "positional arguments", "show this help", "error:", "required")


def test_help_of_every_command_is_in_vietnamese():
    for command in ((), ("export",), ("merge",), ("split",), ("new",)):
        result = tongket(*command, "--help")
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("cách dùng: tongket")
        assert "tùy chọn:" in result.stdout
        assert "in hướng dẫn này rồi thoát" in result.stdout
        assert not [word for word in ENGLISH if word in result.stdout], result.stdout
    assert "tham số:" in tongket("export", "--help").stdout


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (("export",), "tongket export: lỗi: thiếu tham số: TỆP.toml"),
        (("new", "x.toml", "--kind", "thu"), "không có lựa chọn 'thu' (chọn một trong: 'cong-van'"),
        (("split", "x.toml", "--sections"), "tham số --sections: cần một giá trị"),
        (("export", "x.toml", "--bogus"), "lỗi: không hiểu tham số: --bogus"),
        (
            ("split", "x.toml", "--all", "--sections", "2."),
            "tham số --sections: không dùng cùng với --all",
        ),
    ],
)
def test_argument_errors_are_in_vietnamese_with_exit_2(arguments, expected):
    result = tongket(*arguments)
    assert result.returncode == 2
    assert expected in result.stderr
    assert result.stderr.startswith("cách dùng: ")
    assert not [word for word in ENGLISH if word in result.stderr], result.stderr
    assert_no_traceback(result)


def test_version_prints_the_installed_version():
    result = tongket("--version")
    assert (result.returncode, result.stdout) == (0, f"tongket {version('tongket')}\n")
    assert tongket("-V").stdout == result.stdout


def test_an_unknown_option_is_refused_not_opened_as_a_report(tmp_path):
    # `tongket --verison` used to open the app on a new report named "--verison" (and a save
    # wrote that file). The refusal comes before the app loads, so no terminal is needed.
    result = tongket("--verison", cwd=tmp_path)
    assert result.returncode == 2
    assert "không hiểu tùy chọn --verison" in result.stderr
    assert "tongket -- --verison" in result.stderr  # how to open a file so named
    assert list(tmp_path.iterdir()) == []
    assert_no_traceback(result)


def _error_of(parser: VietnameseArgumentParser, arguments: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as exited:
        parser.parse_args(arguments)
    assert exited.value.code == 2
    return capsys.readouterr().err.splitlines()[-1]


def test_every_argparse_error_kind_is_translated(capsys):
    parser = VietnameseArgumentParser(prog="p")
    parser.add_argument("--count", type=int)
    parser.add_argument("--pair", nargs=2)
    parser.add_argument("--many", nargs="+")
    parser.add_argument("--flag", action="store_true")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--left", action="store_true")
    group.add_argument("--right", action="store_true")
    expected = {
        (
            "--left",
            "--count",
            "ba",
        ): "p: lỗi: tham số --count: giá trị 'ba' không hợp lệ (cần kiểu int)",
        ("--left", "--pair", "a"): "p: lỗi: tham số --pair: cần 2 giá trị",
        ("--left", "--many"): "p: lỗi: tham số --many: cần ít nhất một giá trị",
        ("--left", "--flag=1"): "p: lỗi: tham số --flag: tùy chọn này không nhận giá trị '1'",
        ("--count", "1"): "p: lỗi: cần một trong các tham số --left --right",
    }
    for arguments, message in expected.items():
        assert _error_of(parser, list(arguments), capsys) == message


def test_the_templates_are_argparse_own_words():
    # A Python that rewords one of argparse's messages leaves it untranslated (printed as
    # argparse wrote it): this test says which template to update.
    source = inspect.getsource(argparse)
    missing = [english for english, _ in cli_parser._TEMPLATES if f"'{english}'" not in source]
    assert missing == []


def test_an_unknown_message_is_kept_as_argparse_wrote_it():
    assert translate_error("something new in Python 3.99") == "something new in Python 3.99"
    assert translate_error("argument --x: something new") == "tham số --x: something new"


def test_os_errors_are_explained_in_vietnamese(sample_path, tmp_path):
    # "không xem được (File name too long)": the C library's English reached the drafter.
    too_long = tmp_path / ("a" * 300 + ".docx")
    result = tongket("export", sample_path, "-o", too_long)
    assert result.returncode == 2
    assert result.stderr.strip().endswith("không kiểm tra được (tên hoặc đường dẫn quá dài)"), (
        result.stderr
    )
    assert "File name too long" not in result.stderr
    assert_no_traceback(result)


def test_os_cause_and_os_reason_name_the_file_and_keep_tongkets_own_words():
    import errno

    from tongket.core.oserrors import os_cause, os_reason

    full = OSError(errno.ENOSPC, "No space left on device", "/srv/.r.toml.tmp")
    assert os_cause(full) == "hết chỗ trống trên đĩa"
    assert os_reason(full, "/srv/r.toml") == "/srv/r.toml: hết chỗ trống trên đĩa"
    denied = PermissionError(errno.EACCES, "Permission denied")
    assert os_cause(denied, "ghi") == "không có quyền ghi"
    own = OSError(errno.EINVAL, "là một thư mục, không phải tệp thường")
    assert os_cause(own) == "là một thư mục, không phải tệp thường"
    odd = OSError(errno.EMLINK, "Too many links")
    assert os_cause(odd) == "Too many links"  # unlisted: the system's words, not nothing
