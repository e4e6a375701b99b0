"""Plugins that will not stop, end the process, write past tongket or edit what they are given.

In process, the watchdog raises an exception inside a hook call that runs past its limit, so
the call's work really ends (a counter it drives stops). What that cannot reach (C code that
holds the GIL, a blocking sleep, `os._exit`) the console script's supervising parent handles:
those tests run `tongket` as a subprocess, with the plugin installed through the `install`
fixture of `test_plugin_isolation` (a module and a `*.dist-info` on `PYTHONPATH`).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from terminal_launch import from_a_terminal
from test_plugin_isolation import HEADER, RENDER_OK, SCRIPT, install, report, run

from tongket.core import Field, SectionType, hookimpl
from tongket.core.host import pluginrun
from tongket.core.host.pluginhost import PluginHost, PluginTimeout
from tongket.core.host.supervise import CallBoard
from tongket.core.render.blocks import Paragraph
from tongket.core.render.document import copy_data, render_document
from tongket.core.report import store
from tongket.core.report.model import Citation, Section

__all__ = ["install", "report"]  # fixtures shared with test_plugin_isolation

LIMIT = 0.3


class Runaway:
    """A plugin whose render spins in pure Python, counting, until something stops it."""

    def __init__(self, swallow: int = 0) -> None:
        self.count = 0
        self.swallow = swallow  # how many interrupts it catches with `except BaseException`
        self.swallowed = 0

    @hookimpl
    def tongket_section_types(self, register):
        register(SectionType("runaway", "Mục chạy mãi", 1, fields=(Field("text", "Nội dung"),)))

    @hookimpl
    def tongket_render_section(self, data):
        while True:
            try:
                while True:
                    self.count += 1
            except BaseException:
                if self.swallowed >= self.swallow:
                    raise
                self.swallowed += 1


def runaway_host(plugin: Runaway) -> PluginHost:
    host = PluginHost()
    host.add_plugin(plugin, "runaway")
    host.timeout = LIMIT
    return host


def render_runaway(host: PluginHost) -> PluginTimeout:
    section = Section("runaway", "2.", "Mục chạy mãi", {"text": ""}, 1)
    with pytest.raises(PluginTimeout) as raised:
        host.render("runaway", {"text": ""}, None, section.label)
    return raised.value


def assert_work_has_ended(plugin: Runaway) -> None:
    counted = plugin.count
    time.sleep(LIMIT)
    assert plugin.count == counted, "the hook keeps running after its timeout"


# -- in process: the call is stopped, not abandoned ---------------------------------------


def test_an_endless_hook_called_from_the_main_thread_is_stopped():
    plugin = Runaway()
    started = time.monotonic()
    failure = render_runaway(runaway_host(plugin))
    assert time.monotonic() - started < LIMIT + 2
    assert str(failure) == (
        "plugin runaway: mục 2. Mục chạy mãi, tongket_render_section: chạy quá 0,3 giây nên đã "
        "bị dừng (giới hạn TONGKET_PLUGIN_TIMEOUT)"
    )
    assert plugin.count > 0
    assert_work_has_ended(plugin)


def test_an_endless_hook_called_from_a_worker_thread_is_stopped():
    # The drafting app renders in a worker thread: the interrupt goes to that thread.
    plugin = Runaway()
    host = runaway_host(plugin)
    outcome: list[object] = []
    worker = threading.Thread(target=lambda: outcome.append(render_runaway(host)))
    worker.start()
    worker.join(LIMIT + 5)
    assert not worker.is_alive()
    assert isinstance(outcome[0], PluginTimeout)
    assert_work_has_ended(plugin)


def test_a_hook_that_swallows_the_interrupt_is_interrupted_again():
    plugin = Runaway(swallow=1)
    started = time.monotonic()
    render_runaway(runaway_host(plugin))
    assert plugin.swallowed == 1
    assert time.monotonic() - started < LIMIT + pluginrun.REPEAT_INTERRUPT + 2
    assert_work_has_ended(plugin)


@pytest.mark.parametrize(
    "blocking",
    [lambda: time.sleep(60), lambda: threading.Event().wait(), lambda: os.read(os.pipe()[0], 1)],
    ids=["sleep", "event-wait", "pipe-read"],
)
def test_a_hook_blocked_in_a_system_call_on_the_main_thread_is_stopped(blocking):
    # The drafting app analyses on its main thread: a plugin waiting there must not freeze the
    # screen past the limit (the async exception alone would wait for the call to return).
    started = time.monotonic()
    assert pluginrun.run_plugin_code(blocking, LIMIT) is None
    assert time.monotonic() - started < LIMIT + 2
    assert pluginrun.run_plugin_code(lambda: 7, LIMIT).result == 7


@pytest.mark.parametrize("limit", [1e18, 1e300])
def test_a_limit_of_years_keeps_the_watchdog_alive(limit):
    # TONGKET_PLUGIN_TIMEOUT=1e18 is more than a lock may wait: the watchdog died of an
    # OverflowError (a traceback on stderr), and no later call was ever stopped.
    def ticking():
        time.sleep(0.05)  # the watchdog wakes while this call waits out its long limit
        return "xong"

    assert pluginrun.run_plugin_code(ticking, limit).result == "xong"
    assert pluginrun.run_plugin_code(lambda: 7, limit).result == 7
    started = time.monotonic()

    def long_loop():  # ends by itself after 5 s, so a dead watchdog fails, not hangs
        while time.monotonic() - started < 5:
            pass
        return "không bị dừng"

    assert pluginrun.run_plugin_code(long_loop, 0.1) is None  # still stopped afterwards


def test_a_hook_that_catches_the_interrupt_and_returns_is_still_a_timeout():
    def stubborn():
        try:
            while True:
                pass
        except BaseException:
            return "kết quả muộn"

    assert pluginrun.run_plugin_code(stubborn, 0.1) is None


def test_ending_right_at_the_deadline_never_leaks_the_interrupt():
    # Calls that end just before, at or just after their deadline, with frequent thread
    # switches: the interrupt is either the call's timeout or cancelled, never raised later
    # in tongket's own code, nor in the next call, which begins at once on the same watch
    # (the watchdog may have found the first late just as it ended).
    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0001)
    rng = random.Random(11)
    outcomes = {"done": 0, "stopped": 0}
    try:
        for _ in range(1500):
            spin = rng.uniform(0.0002, 0.002)

            def work(spin=spin):
                end = time.perf_counter() + spin
                while time.perf_counter() < end:
                    pass
                return 1

            call = pluginrun.run_plugin_code(work, 0.001)
            outcomes["done" if call else "stopped"] += 1
            after = pluginrun.run_plugin_code(lambda: sum(range(200)), 5)
            assert after is not None and after.result == sum(range(200))
            total = 0
            for number in range(300):  # a leaked interrupt would land here
                total += number
    finally:
        sys.setswitchinterval(interval)
    assert outcomes["done"] and outcomes["stopped"]


def test_calls_run_in_the_calling_thread_and_contain_sys_exit():
    before = threading.active_count()
    for _ in range(50):
        call = pluginrun.run_plugin_code(threading.get_ident, 5)
        assert call.result == threading.get_ident()
    assert threading.active_count() <= before + 1  # at most the watchdog
    call = pluginrun.run_plugin_code(lambda: sys.exit(3), 5)
    assert isinstance(call.error, SystemExit)  # a plugin cannot end tongket


@pytest.mark.parametrize(
    ("value", "hook_limit", "limit"),
    [(None, 5.0, 30.0), (None, 10.0, 60.0), (None, 0.0, 0.0), ("2,5", 5.0, 2.5), ("0", 5, 0.0)],
)
def test_import_time_limit_comes_from_the_environment(monkeypatch, value, hook_limit, limit):
    if value is None:
        monkeypatch.delenv("TONGKET_PLUGIN_IMPORT_TIMEOUT", raising=False)
    else:
        monkeypatch.setenv("TONGKET_PLUGIN_IMPORT_TIMEOUT", value)
    assert pluginrun.import_time_limit(hook_limit) == limit


def test_a_plugin_that_never_finishes_importing_is_named_as_not_loaded(
    install, capsys, monkeypatch
):
    install(
        """
        import time
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            pass
        """
    )
    monkeypatch.setenv("TONGKET_PLUGIN_IMPORT_TIMEOUT", "0,3")
    started = time.monotonic()
    code, out, _err = run(capsys, "plugins")
    assert time.monotonic() - started < 10
    assert code == 1
    assert (
        "LỖI: không nạp được: nạp quá 0,3 giây nên đã bị dừng (giới hạn "
        "TONGKET_PLUGIN_IMPORT_TIMEOUT)"
    ) in out
    assert "free_text" in out  # the others load


# -- plugins work on copies ----------------------------------------------------------------


class Meddler:
    """A plugin that edits everything it is handed, in validate and in render."""

    @hookimpl
    def tongket_section_types(self, register):
        register(SectionType("meddle", "Mục sửa dữ liệu", 1, fields=(Field("text", "Nội dung"),)))

    def meddle(self, data, context):
        data["text"] = "plugin đã sửa"
        data.setdefault("rows", [[]])[0].append(99)
        data["rows"].append([0])
        data["new"] = {"a": 1}
        context.section.data.clear()
        context.section.heading = "plugin đã sửa"
        context.document.subject = "plugin đã sửa"
        context.document.recipients.append("plugin đã thêm")
        context.document.signer.name = "plugin đã sửa"
        context.citations.citations["ct04"].title = "plugin đã sửa"
        context.citations.citations.pop("nq01", None)

    @hookimpl
    def tongket_validate_section(self, data, context):
        self.meddle(data, context)
        return []

    @hookimpl
    def tongket_render_section(self, data, context):
        self.meddle(data, context)
        return [Paragraph.of(context.document.subject)]


@pytest.fixture
def meddled_report(tmp_path, sample_path) -> Path:
    project = store.load(sample_path)
    project.citations["nq01"] = Citation("Nghị quyết", "01/NQ-CP", title="về nhiệm vụ")
    project.sections.insert(
        1, Section("meddle", "1.1.", "Mục thử", {"text": "gốc", "rows": [[1, 2]]}, version=1)
    )
    path = tmp_path / "report.toml"
    store.save(project, path)
    return path


def test_plugins_get_copies_of_the_section_data_and_the_particulars(meddled_report):
    plugins = PluginHost()
    plugins.load_builtins()
    plugins.add_plugin(Meddler(), "meddler")
    project = store.load(meddled_report)
    for section in project.sections:
        section.version = plugins.section_types[section.type].version  # nothing to stamp
    untouched = store.load(meddled_report)
    for section, fresh in zip(project.sections, untouched.sections, strict=True):
        fresh.version = section.version
    rendered = render_document(project, plugins)
    assert not rendered.failures
    assert project == untouched
    render_document(project, plugins)  # twice: each rendering starts from the draft
    assert project == untouched


def test_copy_data_copies_tables_and_arrays_and_shares_scalars():
    import datetime as dt

    data = {"a": [1, {"b": [dt.date(2024, 1, 2), "x"]}], "c": 1.5, "d": None, "e": (1, [2])}
    copied = copy_data(data)
    assert copied == data
    assert copied["a"] is not data["a"] and copied["a"][1]["b"] is not data["a"][1]["b"]
    assert copied["a"][1]["b"][0] is data["a"][1]["b"][0]
    assert copied["e"][1] is not data["e"][1]  # other types: deep-copied


# -- the console script: the supervising parent --------------------------------------------


def test_the_call_board_gives_the_parent_what_the_child_runs():
    board = CallBoard()
    assert board.current() is None
    where = ("boom", "2. Mục\x1fthử", "tongket_render_section")  # the separator in a heading
    board.begin(12.5, 5.0, where)
    assert board.current() == (12.5, 5.0, where)
    board.end()
    assert board.current() is None


def tongket(plugin, *args: str, **env: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run(
        [str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**plugin.env, "TONGKET_PLUGIN_TIMEOUT": "1", **env},
    )
    return result, time.monotonic() - started


def test_writes_to_file_descriptor_1_stay_out_of_render_and_json(install, report):
    plugin = install(
        HEADER
        + """
import os
os.write(1, b"RAC khi nap\\n")

@hookimpl
def tongket_render_section(data):
    os.write(1, b"RAC khi hien thi\\n")
    return [Paragraph.of("Nội dung mục thử.")]
"""
    )
    result, _spent = tongket(plugin, "render", str(report))
    assert result.returncode == 0, result.stderr
    assert "Nội dung mục thử." in result.stdout
    assert "RAC" not in result.stdout
    assert "RAC khi nap" in result.stderr and "RAC khi hien thi" in result.stderr

    result, _spent = tongket(plugin, "plugins", "--json")
    assert "RAC" not in result.stdout
    assert result.stdout.lstrip().startswith("[")


def test_a_plugin_stuck_in_c_code_holding_the_gil_is_killed_and_named(install, report, tmp_path):
    plugin = install(
        HEADER
        + """
@hookimpl
def tongket_render_section(data):
    return [Paragraph.of(str(sum(range(10**13))))]  # C code: never looks at interrupts
"""
    )
    output = tmp_path / "out.docx"
    result, spent = tongket(plugin, "export", str(report), "-o", str(output))
    assert spent < 20
    assert result.returncode == 1
    assert (
        "tongket: plugin boom: mục 2. Mục thử, tongket_render_section: chạy quá 1 giây và không "
        "dừng khi được yêu cầu (giới hạn TONGKET_PLUGIN_TIMEOUT); tongket đã buộc dừng"
    ) in result.stderr
    assert "TONGKET_DISABLE_PLUGINS=boom" in result.stderr
    assert not output.exists()


def test_a_plugin_sleeping_at_import_is_stopped_and_named(install, report):
    # The import runs on the main thread: the watchdog's signal ends the sleep in process.
    plugin = install("import time\ntime.sleep(600)\n")
    result, spent = tongket(plugin, "render", str(report), TONGKET_PLUGIN_IMPORT_TIMEOUT="1")
    assert spent < 20
    assert result.returncode == 1
    assert (
        "tongket: cảnh báo: plugin boom: không nạp được: nạp quá 1 giây nên đã bị dừng "
        "(giới hạn TONGKET_PLUGIN_IMPORT_TIMEOUT)"
    ) in result.stderr


def test_a_plugin_hanging_in_c_code_at_import_is_killed_and_named(install, report):
    plugin = install("total = sum(range(10**13))\n")
    result, spent = tongket(plugin, "render", str(report), TONGKET_PLUGIN_IMPORT_TIMEOUT="1")
    assert spent < 20
    assert result.returncode == 1
    assert (
        "tongket: plugin boom: không nạp được: nạp quá 1 giây và không dừng khi được yêu cầu "
        "(giới hạn TONGKET_PLUGIN_IMPORT_TIMEOUT)"
    ) in result.stderr


def test_a_plugin_calling_os_exit_mid_render_is_named_and_fails(install, report):
    plugin = install(
        HEADER + "\nimport os\n\n@hookimpl\ndef tongket_render_section(data):\n    os._exit(0)\n"
    )
    result, spent = tongket(plugin, "render", str(report))
    assert spent < 20
    assert result.returncode == 1
    assert (
        "tongket: plugin boom: mục 2. Mục thử, tongket_render_section: đã kết thúc tiến trình "
        "tongket giữa chừng (mã thoát 0)"
    ) in result.stderr


def test_ctrl_c_still_belongs_to_the_user(install, report):
    plugin = install(
        HEADER
        + """
import sys

@hookimpl
def tongket_render_section(data):
    print("bắt đầu", file=sys.stderr, flush=True)
    while True:
        pass
"""
    )
    process = subprocess.Popen(
        from_a_terminal([str(SCRIPT), "render", str(report)]),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**plugin.env, "TONGKET_PLUGIN_TIMEOUT": "60"},
        start_new_session=True,  # its own process group, as a terminal gives it
    )
    try:
        assert "bắt đầu" in process.stderr.readline()
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends: parent and child
        assert process.wait(timeout=20) == 130
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent has not waited for it yet


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl(PR_SET_PDEATHSIG)")
def test_the_child_does_not_outlive_a_killed_parent(install, report, tmp_path):
    marker = tmp_path / "child.pid"
    plugin = install(
        HEADER
        + f"""
import os, time

@hookimpl
def tongket_render_section(data):
    with open({str(marker)!r}, "w") as file:
        file.write(str(os.getpid()))
    time.sleep(120)
"""
    )
    process = subprocess.Popen(
        [str(SCRIPT), "render", str(report)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**plugin.env, "TONGKET_PLUGIN_TIMEOUT": "60"},
    )
    child = None
    try:
        deadline = time.monotonic() + 30
        while not marker.exists() or not marker.read_text():
            assert time.monotonic() < deadline, "the plugin never ran"
            time.sleep(0.05)
        child = int(marker.read_text())
        assert child != process.pid  # the command runs in the supervised child
        process.kill()  # SIGKILL: the parent can pass nothing on
        process.wait()
        deadline = time.monotonic() + 10
        while running(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not running(child)
    finally:
        if process.poll() is None:
            process.kill()
        if child is not None and running(child):
            os.kill(child, signal.SIGKILL)


def test_a_report_without_trouble_renders_the_same_through_the_console_script(install, report):
    plugin = install(HEADER + RENDER_OK)
    result, _spent = tongket(plugin, "render", str(report))
    assert result.returncode == 0, result.stderr
    assert "Nội dung mục thử: dữ liệu" in result.stdout
