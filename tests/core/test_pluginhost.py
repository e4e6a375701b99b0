"""Plugin loading and isolation: one broken plugin is named and everything else keeps working."""

from __future__ import annotations

import sys
import types
from importlib import metadata

import pytest

from tongket.core import Field, Problem, SectionType, hookimpl
from tongket.core.host.pluginhost import PluginFailure, PluginHost
from tongket.core.render.blocks import ErrorBlock, Heading, Paragraph
from tongket.core.render.document import render_document
from tongket.core.report.model import Project, Section


class GoodPlugin:
    """A minimal well-behaved plugin with one section type."""

    @hookimpl
    def tongket_section_types(self, register):
        register(SectionType("good", "Tốt", fields=(Field("text", "Nội dung"),)))

    @hookimpl
    def tongket_validate_section(self, section_type, data):
        # names only two of the three arguments: pluggy passes just these
        return [] if data.get("text") else [Problem(("text",), "trống")]

    @hookimpl
    def tongket_render_section(self, section_type, data, context):
        return [Paragraph.of(data["text"])]


class RaisingRender:
    @hookimpl
    def tongket_section_types(self, register):
        register(SectionType("raises", "Hỏng"))

    @hookimpl
    def tongket_validate_section(self, section_type, data):
        return []

    @hookimpl
    def tongket_render_section(self, section_type, data, context):
        raise ZeroDivisionError("chia cho 0")


class MalformedBlocks:
    @hookimpl
    def tongket_section_types(self, register):
        register(SectionType("malformed", "Khối hỏng"))

    @hookimpl
    def tongket_render_section(self, section_type, data, context):
        return ["not a block", Paragraph.of("ok")]


class RaisingRegister:
    @hookimpl
    def tongket_section_types(self, register):
        raise RuntimeError("cannot register")


class MisspelledHook:
    @hookimpl
    def tongket_render_sectoin(self, section_type, data, context):  # typo on purpose
        return []


class DuplicateType:
    @hookimpl
    def tongket_section_types(self, register):
        register(SectionType("good", "Trùng"))


def host_with(*plugins: tuple[object, str]) -> PluginHost:
    host = PluginHost()
    host.load_builtins()
    for plugin, name in plugins:
        host.add_plugin(plugin, name)
    return host


def project_with(*types_: str) -> Project:
    return Project(
        sections=[
            Section(type_, number=f"{index}.", data={"text": f"mục {index}"})
            for index, type_ in enumerate(types_, start=1)
        ]
    )


def test_builtins_register_through_the_public_hooks(host):
    info = host.plugins["free_text"]
    assert info.source == "built-in"
    assert "free-text" in info.section_types
    assert "tongket_render_section" in info.hooks
    assert not info.error


def test_a_raising_render_becomes_a_named_error_block_and_others_render():
    host = host_with((GoodPlugin(), "good"), (RaisingRender(), "bad"))
    rendered = render_document(project_with("good", "raises", "good"), host)
    assert [type(block) for block in rendered.body] == [Paragraph, ErrorBlock, Paragraph]
    failure = rendered.failures[0]
    assert (failure.plugin, failure.section, failure.hook) == (
        "bad",
        "2.",
        "tongket_render_section",
    )
    assert "ZeroDivisionError: chia cho 0" in failure.message
    assert rendered.body[2].text == "3. mục 3"


def test_malformed_blocks_are_reported_not_written():
    host = host_with((MalformedBlocks(), "malformed"))
    rendered = render_document(project_with("malformed"), host)
    (failure,) = rendered.failures
    assert failure.plugin == "malformed"
    assert "khối 1: str không phải một loại khối" in failure.message


def test_plugin_raising_while_registering_is_reported_by_name():
    host = host_with((RaisingRegister(), "noreg"), (GoodPlugin(), "good"))
    assert "RuntimeError: cannot register" in host.plugins["noreg"].error
    assert host.owner_of("good") == "good"


def test_misspelled_hook_is_caught_by_check_pending():
    host = host_with((MisspelledHook(), "typo"))
    assert "tongket_render_sectoin" in host.plugins["typo"].error
    assert host.manager.get_plugin("typo") is None


def test_duplicate_section_type_keeps_the_first_and_names_the_second():
    host = host_with((GoodPlugin(), "good"), (DuplicateType(), "dup"))
    assert host.section_types["good"].title == "Tốt"
    assert "đã do plugin good đăng ký" in host.plugins["dup"].error


def test_validation_calls_only_the_owner_and_passes_named_arguments():
    host = host_with((GoodPlugin(), "good"), (RaisingRender(), "bad"))
    project = project_with("good")
    project.sections[0].data = {"text": ""}
    rendered = render_document(project, host)
    (problem,) = rendered.problems
    assert problem.where == "sections.1.data.text"
    assert isinstance(rendered.body[0], ErrorBlock)


def test_missing_plugin_is_named_in_the_problem(host):
    rendered = render_document(project_with("thu-hut-dau-tu"), host)
    (problem,) = rendered.problems
    assert problem.where == "sections.1.type"
    assert "thu-hut-dau-tu" in problem.message


def test_newer_data_than_the_installed_plugin_is_read_only():
    host = host_with((GoodPlugin(), "good"))
    project = project_with("good")
    project.sections[0].version = 5
    rendered = render_document(project, host)
    assert "phiên bản 5" in rendered.problems[0].message
    assert project.sections[0].version == 5  # never rewritten


def test_heading_and_inline_numbering():
    host = host_with((GoodPlugin(), "good"))
    project = project_with("good", "good")
    project.sections[0].heading = "Kết quả"
    rendered = render_document(project, host)
    assert isinstance(rendered.body[0], Heading)
    assert rendered.body[0].line == "1. Kết quả"
    assert rendered.body[2].text == "2. mục 2"


# -- entry points -------------------------------------------------------------------------


@pytest.fixture
def fake_module(monkeypatch):
    module = types.ModuleType("tongket_test_fake_plugin")
    plugin = GoodPlugin()
    for name in ("tongket_section_types", "tongket_validate_section", "tongket_render_section"):
        setattr(module, name, getattr(plugin, name))
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return module


def entry(name: str, value: str) -> metadata.EntryPoint:
    return metadata.EntryPoint(name=name, value=value, group="tongket")


def test_entry_points_load_one_by_one(fake_module):
    host = PluginHost()
    host.load_builtins()
    host.load_entry_points(
        [entry("broken", "tongket_no_such_module_xyz"), entry("fake", fake_module.__name__)]
    )
    assert host.plugins["broken"].error.startswith(
        "không nạp được: điểm vào 'broken = tongket_no_such_module_xyz' chỉ tới mô-đun "
        "'tongket_no_such_module_xyz' nhưng không có mô-đun đó; sửa [project.entry-points.tongket]"
    )
    assert host.plugins["fake"].source == "entry point"
    assert host.owner_of("good") == "fake"


def test_allow_list_and_disable_switches(fake_module, monkeypatch):
    monkeypatch.setenv("TONGKET_PLUGINS", "")
    host = PluginHost()
    host.load_builtins()
    host.load_entry_points([entry("fake", fake_module.__name__)])
    assert "fake" not in host.plugins and "free_text" in host.plugins

    monkeypatch.setenv("TONGKET_PLUGINS", "fake")
    monkeypatch.setenv("TONGKET_DISABLE_PLUGINS", "free_text")
    host = PluginHost()
    host.load_builtins()
    host.load_entry_points([entry("fake", fake_module.__name__), entry("other", "x_y_z")])
    assert "other" not in host.plugins  # not on the allow-list
    assert "fake" in host.plugins
    assert "free_text" not in host.plugins  # disabled by name


def test_strict_mode_reraises_for_plugin_authors(monkeypatch):
    monkeypatch.setenv("TONGKET_STRICT_PLUGINS", "1")
    host = PluginHost()
    host.add_plugin(RaisingRender(), "bad")
    with pytest.raises(ZeroDivisionError):
        render_document(project_with("raises"), host)


def test_plugin_failure_message_names_everything():
    failure = PluginFailure("bad", "2.1.", "tongket_render_section", "ValueError: x")
    assert str(failure) == "plugin bad: mục 2.1., tongket_render_section: ValueError: x"


# -- a report's host: only the built-ins its sections use --------------------------------


class MediaTakeover:
    """An installed plugin that tries to register a built-in type."""

    @hookimpl
    def tongket_section_types(self, register):
        register(SectionType("media", "Truyền thông (giả)"))


MEDIA_TAKEOVER = MediaTakeover()


def test_each_builtin_registers_the_types_listed_for_it():
    """`BUILTIN_SECTION_TYPES` is what a report's host trusts to skip imports: it must say
    exactly what every module registers."""
    import importlib

    from tongket.plugins import BUILTIN_PLUGINS, BUILTIN_SECTION_TYPES

    assert tuple(BUILTIN_SECTION_TYPES) == BUILTIN_PLUGINS
    for module_name, declared in BUILTIN_SECTION_TYPES.items():
        host = PluginHost()
        host.add_plugin(importlib.import_module(module_name), "one")
        assert tuple(host.section_types) == declared, module_name


def test_a_report_host_loads_only_the_builtins_its_sections_use():
    host = PluginHost.for_report(project_with("free-text", "free-text"))
    assert list(host.plugins) == ["free_text"]
    assert list(host.section_types) == ["free-text"]
    assert not host.entry_points_loaded
    rendered = render_document(project_with("free-text"), host)
    assert not rendered.errors


def test_the_builtins_left_out_come_first_and_in_order_with_the_entry_points(fake_module):
    """The app reads the entry points for "Thêm mục": every built-in is there, in the
    built-ins' own order (the dialog's), and none of their types can be taken over."""
    host = PluginHost.for_report(project_with("training", "free-text"))
    assert set(host.plugins) == {"free_text", "training"}
    host.load_entry_points(
        [entry("fake", fake_module.__name__), entry("takeover", f"{__name__}:MEDIA_TAKEOVER")]
    )
    everything = PluginHost.builtins()
    assert list(host.section_types)[: len(everything.section_types)] == list(
        everything.section_types
    )
    assert list(host.plugins)[: len(everything.plugins)] == list(everything.plugins)
    assert host.owner_of("media") == "media"
    assert "đã do plugin media đăng ký" in host.plugins["takeover"].error
    assert host.owner_of("good") == "fake"


def test_a_report_with_a_type_no_builtin_has_reads_everything(monkeypatch):
    read: list[bool] = []
    monkeypatch.setattr(PluginHost, "load_entry_points", lambda host: read.append(True))
    host = PluginHost.for_report(project_with("free-text", "khong-co"))
    assert read == [True]
    host = PluginHost.for_report(project_with("free-text", "media"))
    assert read == [True]  # every type built in: no entry points
    assert set(host.plugins) == {"free_text", "media"}


def test_a_render_reads_the_time_limit_once(monkeypatch):
    monkeypatch.setenv("TONGKET_PLUGIN_TIMEOUT", "2")
    host = PluginHost()
    with host.fixed_time_limit():
        monkeypatch.setenv("TONGKET_PLUGIN_TIMEOUT", "7")
        assert host.time_limit == 2.0
    assert host.time_limit == 7.0  # read from the environment again
    host.timeout = 3.0
    with host.fixed_time_limit():
        assert host.time_limit == 3.0
    assert host.timeout == 3.0  # a limit the caller set is kept
