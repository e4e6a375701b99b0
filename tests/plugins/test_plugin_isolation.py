"""Each way a third-party plugin can fail, as the drafter sees it: named, contained, reported.

The plugins here are real installed distributions as far as `importlib.metadata` can tell: a
module and a `*.dist-info` folder with a `tongket` entry point, put on `sys.path` (in-process
CLI runs) or `PYTHONPATH` (subprocess runs).
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tongket.core.cli import main
from tongket.core.host import pluginrun
from tongket.core.host.pluginhost import PluginHost
from tongket.core.render.blocks import ErrorBlock
from tongket.core.render.document import render_document
from tongket.core.report import store
from tongket.core.report.model import Section
from tongket.testing import fake_distribution, report_with

SCRIPT = Path(sys.executable).with_name("tongket")
_numbers = itertools.count()

HEADER = """
from tongket.core import Field, Problem, SectionType, hookimpl
from tongket.core.render.blocks import Paragraph

@hookimpl
def tongket_section_types(register):
    register(SectionType("boom", "Mục thử", version=VERSION, fields=(Field("text", "Nội dung"),)))
"""
RENDER_OK = """
@hookimpl
def tongket_render_section(data):
    return [Paragraph.of("Nội dung mục thử: " + data.get("text", ""))]
"""


class Installed:
    """A fake installed plugin distribution `tongket-boom`, entry point `boom`."""

    def __init__(self, folder: Path, module: str) -> None:
        self.folder = folder
        self.module = module

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "PYTHONPATH": str(self.folder)}


@pytest.fixture
def install(tmp_path, monkeypatch):
    """Install a plugin from source (module-level hooks); returns an `Installed`."""
    modules: list[str] = []

    def make(source: str, *, version: int = 1) -> Installed:
        module = f"tongket_boom_{next(_numbers)}"  # unique: a module stays in sys.modules
        code = textwrap.dedent(source).replace("VERSION", str(version))
        folder = fake_distribution(
            tmp_path / module, "tongket-boom", {"boom": module}, files={f"{module}.py": code}
        )
        monkeypatch.syspath_prepend(str(folder))
        for variable in ("TONGKET_PLUGINS", "TONGKET_DISABLE_PLUGINS", "TONGKET_STRICT_PLUGINS"):
            monkeypatch.delenv(variable, raising=False)
        modules.append(module)
        return Installed(folder, module)

    yield make
    for module in modules:
        sys.modules.pop(module, None)


@pytest.fixture
def report(tmp_path) -> Path:
    """A valid report: free text 1., the plugin's section 2., free text 3."""
    project = report_with("free-text", {"text": "Mở đầu báo cáo."}, {"text": "Kết luận."})
    project.sections.insert(1, Section("boom", "2.", "Mục thử", {"text": "dữ liệu"}, version=1))
    project.sections[2].number = "3."
    for section in project.sections:
        section.version = 1  # as saved by this tongket: rendering changes nothing else
    path = tmp_path / "report.toml"
    store.save(project, path)
    return path


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_rest_renders(out: str) -> None:
    assert "1. Mở đầu báo cáo." in out and "3. Kết luận." in out


# -- the hooks, working --------------------------------------------------------------------


def test_tongket_render_section_gets_only_the_arguments_it_names(install, report, capsys):
    # The promise that lets tongket add hook arguments: an implementation names what it uses,
    # in any order, and pluggy passes just those.
    install(
        HEADER
        + """
@hookimpl
def tongket_render_section(context, data):
    return [Paragraph.of(f"{context.section.number} có {len(data)} trường")]
"""
    )
    code, out, err = run(capsys, "render", report)
    assert code == 0, err
    assert "2. Mục thử\n\n2. có 1 trường" in out


# -- failing to import --------------------------------------------------------------------


def test_plugin_that_fails_to_import_is_named_and_the_rest_renders(install, report, capsys):
    install('raise ImportError("thiếu thư viện pandas")')
    code, out, err = run(capsys, "plugins")
    assert code == 1
    assert "boom 0.1.0 (entry point, tongket-boom)" in out
    assert "LỖI: không nạp được: ImportError: thiếu thư viện pandas" in out

    code, out, err = run(capsys, "render", report)
    assert code == 1
    assert (
        "[LỖI mục 2. Mục thử: chưa cài plugin cung cấp loại mục 'boom' "
        "(plugin không nạp được: boom)]"
    ) in out
    assert_rest_renders(out)
    assert "tongket: cảnh báo: plugin boom: không nạp được: ImportError" in err
    assert "cảnh báo" not in out


# -- raising in each hook -----------------------------------------------------------------


def test_tongket_section_types_raising_is_reported_by_plugin_and_hook(install, capsys):
    install(
        """
        from tongket.core import hookimpl

        @hookimpl
        def tongket_section_types(register):
            raise RuntimeError("không đọc được cấu hình")
        """
    )
    code, out, _err = run(capsys, "plugins", "--json")
    assert code == 1
    (boom,) = [item for item in json.loads(out) if item["name"] == "boom"]
    assert boom["error"] == "tongket_section_types: RuntimeError: không đọc được cấu hình"
    assert boom["distribution"] == "tongket-boom" and boom["section_types"] == []


def test_tongket_validate_section_raising_becomes_an_error_block(install, report, capsys):
    install(
        HEADER
        + RENDER_OK
        + """
@hookimpl
def tongket_validate_section(data):
    return 1 / 0
"""
    )
    code, out, err = run(capsys, "render", report)
    assert code == 1
    message = "plugin boom: mục 2. Mục thử, tongket_validate_section: ZeroDivisionError"
    assert "[LỖI plugin boom, mục 2. Mục thử, tongket_validate_section: ZeroDivisionError" in out
    assert message in err
    assert_rest_renders(out)


def test_tongket_render_section_raising_becomes_an_error_block(install, report, capsys):
    install(
        HEADER
        + """
@hookimpl
def tongket_render_section(data):
    raise KeyError("nam")
"""
    )
    code, out, err = run(capsys, "render", report)
    assert code == 1
    assert "[LỖI plugin boom, mục 2. Mục thử, tongket_render_section: KeyError: 'nam']" in out
    assert "tongket: plugin boom: mục 2. Mục thử, tongket_render_section: KeyError" in err
    assert_rest_renders(out)


def test_tongket_migrate_section_raising_leaves_the_data_untouched(install, report, capsys):
    install(
        HEADER
        + RENDER_OK
        + """
@hookimpl
def tongket_migrate_section(data, from_version):
    raise ValueError("không hiểu dữ liệu cũ")
""",
        version=2,
    )
    before = report.read_text(encoding="utf-8")
    code, out, _err = run(capsys, "render", report)
    assert code == 1
    assert (
        "[LỖI plugin boom, mục 2. Mục thử, tongket_migrate_section: ValueError: không hiểu dữ "
        "liệu cũ]"
    ) in out
    project = store.load(report)
    host = PluginHost.default()
    render_document(project, host)
    assert project.sections[1].version == 1  # not stamped: the migration did not happen
    store.save(project, report)
    assert report.read_text(encoding="utf-8") == before


def test_malformed_blocks_are_named_not_written(install, report, capsys):
    install(
        HEADER
        + """
@hookimpl
def tongket_render_section(data):
    return [Paragraph.of("đúng"), {"text": "một dict không phải khối"}]
"""
    )
    code, out, _err = run(capsys, "render", report)
    assert code == 1
    assert (
        "[LỖI plugin boom, mục 2. Mục thử, tongket_render_section: khối không hợp lệ: "
        "khối 2: dict không phải một loại khối; dùng Heading, Paragraph, BulletList, Table, "
        "Image, Chart hoặc PageBreak (tongket.core.blocks)]"
    ) in out
    assert "\nđúng\n" not in out  # no half-rendered section
    assert_rest_renders(out)


# -- mistakes a plugin author makes ---------------------------------------------------------


def test_a_render_hook_without_hookimpl_is_named_in_plugins_and_render(install, report, capsys):
    install(
        HEADER
        + """
def tongket_render_section(data):  # forgot @hookimpl: pluggy never calls it
    return [Paragraph.of("không bao giờ")]
"""
    )
    _code, out, _err = run(capsys, "plugins")
    assert "CẢNH BÁO: hàm tongket_render_section thiếu @hookimpl nên không được gọi" in out
    assert "CẢNH BÁO: loại mục boom không có hook tongket_render_section" in out

    code, out, _err = run(capsys, "render", report)
    assert code == 1
    assert "plugin không có hook tongket_render_section (hàm vẽ mục thiếu @hookimpl?)" in out
    assert "không trả về khối nào" not in out
    assert_rest_renders(out)


def test_a_render_hook_returning_nothing_is_told_apart(install, report, capsys):
    install(HEADER + "\n@hookimpl\ndef tongket_render_section(data):\n    return None\n")
    _code, out, _err = run(capsys, "plugins")
    assert "CẢNH BÁO" not in out
    code, out, _err = run(capsys, "render", report)
    assert code == 1
    assert "tongket_render_section: không trả về khối nào" in out


def test_a_distribution_without_the_entry_point_is_named(tmp_path, report, capsys, monkeypatch):
    module = f"tongket_boom_{next(_numbers)}"
    folder = fake_distribution(
        tmp_path / module, "tongket-boom", {}, files={f"{module}.py": HEADER + RENDER_OK}
    )
    monkeypatch.syspath_prepend(str(folder))
    code, out, _err = run(capsys, "render", report)
    assert code == 1
    assert (
        "chưa cài plugin cung cấp loại mục 'boom'; gói tongket-boom 0.1.0 đã cài nhưng không "
        "khai báo entry point nhóm 'tongket' (pyproject.toml: [project.entry-points.tongket])"
    ) in out


def test_plugin_titles_and_errors_reach_the_terminal_without_control_characters(install, capsys):
    install(
        """
from tongket.core import Field, SectionType, hookimpl

@hookimpl
def tongket_section_types(register):
    register(SectionType("boom", "Mục\x1b[2J thử", fields=(Field("text", "Nội dung"),)))
"""
    )
    _code, out, _err = run(capsys, "plugins")
    assert "\x1b" not in out
    assert "boom v1: Mục" in out


# -- time limit ---------------------------------------------------------------------------

ENDLESS = """
@hookimpl
def tongket_render_section(data):
    while True:
        pass
"""


def test_a_render_past_the_time_limit_is_stopped_and_named(install, report, capsys, monkeypatch):
    install(HEADER + ENDLESS)
    monkeypatch.setenv("TONGKET_PLUGIN_TIMEOUT", "0.3")
    started = time.monotonic()
    code, out, _err = run(capsys, "render", report)
    assert time.monotonic() - started < 5
    assert code == 1
    assert (
        "[LỖI plugin boom, mục 2. Mục thử, tongket_render_section: chạy quá 0,3 giây nên đã bị "
        "dừng (giới hạn TONGKET_PLUGIN_TIMEOUT)]"
    ) in out
    assert_rest_renders(out)


def test_a_hung_plugin_does_not_keep_the_process_alive(install, report):
    plugin = install(
        HEADER
        + """
import time

@hookimpl
def tongket_render_section(data):
    print("đang tính…")
    time.sleep(600)
"""
    )
    started = time.monotonic()
    result = subprocess.run(
        [str(SCRIPT), "render", str(report)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**plugin.env, "TONGKET_PLUGIN_TIMEOUT": "0.5"},
    )
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    # Asleep in a system call on the main thread: the watchdog's signal ends the sleep.
    assert "tongket_render_section: chạy quá 0,5 giây nên đã bị dừng" in result.stderr
    assert "đang tính…" in result.stderr and "đang tính…" not in result.stdout


# -- export -------------------------------------------------------------------------------


def test_export_refuses_a_failed_section_unless_keep_going(install, report, tmp_path, capsys):
    pytest.importorskip("tongket.core.writers.docx_writer")
    install(HEADER + '@hookimpl\ndef tongket_render_section():\n    raise OSError("hết bộ nhớ")\n')
    out_file = tmp_path / "out.docx"
    code, _out, err = run(capsys, "export", report, "-o", out_file)
    assert code == 1
    assert not out_file.exists()
    assert "plugin boom: mục 2. Mục thử, tongket_render_section: OSError: hết bộ nhớ" in err
    assert "chưa xuất: 1 lỗi cần sửa (hoặc dùng --keep-going" in err

    code, out, err = run(capsys, "export", report, "-o", out_file, "--keep-going")
    assert code == 0, err
    assert f"Đã xuất {out_file}" in out
    import docx

    text = "\n".join(paragraph.text for paragraph in docx.Document(str(out_file)).paragraphs)
    assert "[LỖI plugin boom, mục 2. Mục thử, tongket_render_section: OSError: hết bộ nhớ]" in text
    assert "Mở đầu báo cáo." in text and "Kết luận." in text


# -- environment switches -----------------------------------------------------------------


def test_allow_list_empty_means_built_ins_only(install, report, capsys, monkeypatch):
    install(HEADER + RENDER_OK)
    monkeypatch.setenv("TONGKET_PLUGINS", "")
    code, out, _err = run(capsys, "plugins", "--json")
    names = [item["name"] for item in json.loads(out)]
    assert "boom" not in names and "free_text" in names
    code, out, _err = run(capsys, "render", report)
    assert code == 1
    assert "chưa cài plugin cung cấp loại mục 'boom'" in out

    monkeypatch.setenv("TONGKET_PLUGINS", "tongket-boom")
    code, out, _err = run(capsys, "render", report)
    assert code == 0
    assert "2. Mục thử" in out and "Nội dung mục thử: dữ liệu" in out


def test_disable_switch_skips_the_plugin_by_name(install, report, capsys, monkeypatch):
    install(HEADER + RENDER_OK)
    monkeypatch.setenv("TONGKET_DISABLE_PLUGINS", "boom")
    _code, out, _err = run(capsys, "plugins")
    assert "boom" not in out
    _code, out, _err = run(capsys, "render", report)
    assert "chưa cài plugin cung cấp loại mục 'boom'" in out


def test_strict_switch_reraises_for_plugin_authors(install, report, capsys, monkeypatch):
    install(HEADER + "@hookimpl\ndef tongket_render_section():\n    return 1 / 0\n")
    monkeypatch.setenv("TONGKET_STRICT_PLUGINS", "1")
    code, _out, err = run(capsys, "render", report)
    assert code == 2
    assert "lỗi không lường trước: ZeroDivisionError: division by zero" in err
    with pytest.raises(ZeroDivisionError):  # --debug shows the plugin's own traceback
        main(["--debug", "render", str(report)])


# -- output streams -----------------------------------------------------------------------


def test_plugin_output_and_warnings_stay_out_of_piped_stdout(install, report, tmp_path):
    chatty = install(
        HEADER
        + """
import warnings
print("nạp plugin…")

@hookimpl
def tongket_render_section(data):
    print("gỡ lỗi: đang hiển thị")
    warnings.warn("số liệu năm 2023 là ước tính")
    return [Paragraph.of("Nội dung mục thử.")]
"""
    )
    broken = fake_distribution(
        tmp_path / "broken", "tongket-broken", {"broken": "tongket_no_such_module"}
    )
    env = {**chatty.env, "PYTHONPATH": f"{chatty.folder}{os.pathsep}{broken}"}
    result = subprocess.run(
        [str(SCRIPT), "plugins", "--json"], capture_output=True, text=True, env=env, timeout=60
    )
    listing = json.loads(result.stdout)  # nothing but JSON on stdout
    assert {item["name"] for item in listing} >= {"boom", "broken"}
    assert "nạp plugin…" in result.stderr

    result = subprocess.run(
        [str(SCRIPT), "render", str(report)], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "Nội dung mục thử." in result.stdout
    for noise in ("gỡ lỗi", "ước tính", "nạp plugin", "cảnh báo", "broken"):
        assert noise not in result.stdout
    assert "gỡ lỗi: đang hiển thị" in result.stderr
    assert "số liệu năm 2023 là ước tính" in result.stderr
    assert "tongket: cảnh báo: plugin broken: không nạp được: điểm vào 'broken = " in result.stderr


# -- versions -----------------------------------------------------------------------------

MIGRATING = """
@hookimpl
def tongket_validate_section(data):
    return [] if "text" in data else [Problem(("text",), "thiếu nội dung")]

@hookimpl
def tongket_migrate_section(data, from_version):
    if from_version < 2:
        return {"text": data.pop("noi_dung")}
    return None
"""


def test_tongket_migrate_section_upgrades_older_data_and_save_records_the_version(install, report):
    install(HEADER + RENDER_OK + MIGRATING, version=2)
    project = store.load(report)
    project.sections[1].data = {"noi_dung": "bản cũ"}
    rendered = render_document(project, PluginHost.default())
    assert not rendered.failures and not rendered.errors
    assert "Nội dung mục thử: bản cũ" in [getattr(b, "text", "") for b in rendered.body]
    store.save(project, report)
    saved = store.load(report).sections[1]
    assert (saved.version, saved.data) == (2, {"text": "bản cũ"})


def test_unversioned_data_is_stamped_with_the_current_version(install, report):
    install(HEADER + RENDER_OK, version=3)
    project = store.load(report)
    project.sections[1].version = None
    render_document(project, PluginHost.default())
    store.save(project, report)
    assert store.load(report).sections[1].version == 3


def test_data_from_a_newer_version_is_read_only_and_never_rewritten(install, report, capsys):
    install(HEADER + RENDER_OK + MIGRATING, version=2)
    project = store.load(report)
    project.sections[1].version = 7
    project.sections[1].data = {"truong_moi": [1, 2], "text": "giữ nguyên"}
    store.save(project, report)
    before = report.read_text(encoding="utf-8")

    code, out, _err = run(capsys, "render", report)
    assert code == 1
    assert (
        "[LỖI plugin boom, mục 2. Mục thử, version: dữ liệu được viết bởi phiên bản 7 của loại "
        "mục 'boom', bản đã cài là 2; mục này chỉ đọc, hãy nâng cấp plugin boom]"
    ) in out
    loaded = store.load(report)
    rendered = render_document(loaded, PluginHost.default())
    assert isinstance(rendered.body[1], ErrorBlock)
    store.save(loaded, report)
    assert report.read_text(encoding="utf-8") == before


# -- the machinery ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "limit"), [(None, 5.0), ("2,5", 2.5), ("0", 0.0), ("abc", 5.0), ("-1", 5.0)]
)
def test_time_limit_comes_from_the_environment(monkeypatch, value, limit):
    if value is None:
        monkeypatch.delenv("TONGKET_PLUGIN_TIMEOUT", raising=False)
    else:
        monkeypatch.setenv("TONGKET_PLUGIN_TIMEOUT", value)
    assert pluginrun.time_limit() == limit


def test_listing_is_what_tongket_plugins_prints(install, capsys):
    install(HEADER + RENDER_OK)
    _code, out, _err = run(capsys, "plugins", "--json")
    assert PluginHost.default().listing() == json.loads(out)
