"""A broken plugin is explained in Vietnamese, in the terms its author can act on.

Python's and pluggy's own texts ("No module named 'x'", "unknown hook 'y' in plugin <module>")
used to reach `tongket plugins` as they were; each case here names what to change instead.
"""

from __future__ import annotations

import itertools
import sys
import textwrap
import types

import pytest

from tongket.core.host import hookspecs
from tongket.core.host.pluginhost import PluginFailure, PluginHost
from tongket.core.host.sectiontypes import SectionType
from tongket.core.prose import PROSE_FIELDS, ProseSection
from tongket.core.render.narrative import prose_merge, prose_merge_hook
from tongket.testing import example_request, fake_distribution

_numbers = itertools.count()

TYPES = """
from tongket.core import Field, SectionType, hookimpl
from tongket.core.render.blocks import Paragraph

@hookimpl
def tongket_section_types(register):
    register(SectionType("thu", "Mục thử", fields=(Field("note", "Ghi chú"),)))
"""


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """Install a fake distribution whose entry point "thu" names `target`; its host's info."""
    modules: list[str] = []

    def install(source: str | None, target: str | None = None, attribute: str = ""):
        module = f"tongket_diag_{next(_numbers)}"
        target = target or (f"{module}:{attribute}" if attribute else module)
        files = {} if source is None else {f"{module}.py": textwrap.dedent(source)}
        folder = fake_distribution(tmp_path / module, "tongket-diag", {"thu": target}, files=files)
        monkeypatch.syspath_prepend(str(folder))
        monkeypatch.setenv("TONGKET_PLUGINS", "tongket-diag")
        monkeypatch.delenv("TONGKET_STRICT_PLUGINS", raising=False)
        modules.append(module)
        host = PluginHost()
        host.load_entry_points()
        return host.plugins["thu"], module

    yield install
    for module in modules:
        sys.modules.pop(module, None)


def test_an_entry_point_naming_no_module_says_to_fix_pyproject(installed):
    info, _module = installed(None, target="tongket_diag_typo_modul")
    assert info.error == (
        "không nạp được: điểm vào 'thu = tongket_diag_typo_modul' chỉ tới mô-đun "
        "'tongket_diag_typo_modul' nhưng không có mô-đun đó; sửa [project.entry-points.tongket] "
        "trong pyproject.toml của gói tongket-diag rồi cài lại gói (pip install .)"
    )


def test_an_entry_point_naming_no_attribute_names_the_attribute(installed):
    info, module = installed(TYPES, attribute="plugin_object")
    assert info.error == (
        f"không nạp được: điểm vào 'thu = {module}:plugin_object': mô-đun '{module}' không có "
        "'plugin_object'; sửa [project.entry-points.tongket] trong pyproject.toml của gói "
        "tongket-diag rồi cài lại gói (pip install .)"
    )


def test_a_missing_dependency_is_named_as_one(installed):
    info, _module = installed("import tongket_diag_no_such_dependency\n" + TYPES)
    assert info.error == (
        "không nạp được: plugin cần mô-đun 'tongket_diag_no_such_dependency' nhưng mô-đun này "
        "chưa được cài: cài gói cung cấp nó, và ghi gói đó vào dependencies trong "
        "pyproject.toml của plugin"
    )


def test_a_module_missing_from_the_plugins_own_package_says_to_check_its_packages(installed):
    info, _module = installed(None, target="tongket_diag_pkg.plugin")
    assert info.error.startswith(
        "không nạp được: điểm vào 'thu = tongket_diag_pkg.plugin' chỉ tới mô-đun 'tongket_diag_pkg'"
    )
    from tongket.core.host.plugincheck import import_failure

    error = ModuleNotFoundError("No module named 'tongket_diag_pkg.helpers'")
    error.name = "tongket_diag_pkg.helpers"
    assert import_failure(error, "thu = tongket_diag_pkg.plugin") == (
        "gói plugin thiếu mô-đun 'tongket_diag_pkg.helpers' của chính nó (tệp không có trong "
        "bản đã cài): kiểm tra [tool.setuptools] packages trong pyproject.toml rồi cài lại gói"
    )


def test_a_syntax_error_names_the_file_and_line(installed):
    info, module = installed(TYPES + "\ndef broken(:\n")
    assert info.error.startswith("không nạp được: lỗi cú pháp Python (")
    assert f"{module}.py, dòng " in info.error


def test_a_misspelled_hook_suggests_the_real_name(installed):
    info, _module = installed(
        TYPES
        + """
@hookimpl
def tongket_render_sections(data):
    return [Paragraph.of("x")]
"""
    )
    assert info.error == (
        "hook không hợp lệ: hàm 'tongket_render_sections' có @hookimpl nhưng tongket không có "
        "hook tên 'tongket_render_sections' (có phải 'tongket_render_section'?); danh sách "
        "hook ở docs/plugins.md"
    )
    assert "unknown hook" not in info.error


def test_an_argument_the_hook_does_not_pass_is_named_with_those_it_does(installed):
    info, _module = installed(
        TYPES
        + """
@hookimpl
def tongket_render_section(data, contexts):
    return [Paragraph.of("x")]
"""
    )
    spec = hookspecs.tongket_render_section.__code__.co_varnames[
        : hookspecs.tongket_render_section.__code__.co_argcount
    ]
    assert info.error == (
        "hook không hợp lệ: hàm 'tongket_render_section' nhận tham số contexts mà hook không "
        f"truyền; hook này truyền: {', '.join(spec)}"
    )


def _prose_plugin(**hooks) -> types.ModuleType:
    section = ProseSection(
        SectionType("vd", "Thử", fields=PROSE_FIELDS), values=lambda d, c: {}, template=lambda d: ""
    )
    module = types.ModuleType("tongket_diag_wrap")
    module.tongket_section_types, module.tongket_validate_section, module.tongket_render_section = (
        section.hooks()
    )
    for name, make in hooks.items():
        setattr(module, name, make(section))
    return module


def test_a_ready_made_hook_bound_to_another_name_says_how_to_bind_it():
    info = PluginHost.builtins().add_plugin(_prose_plugin(base_merge=prose_merge_hook))
    assert info.error == (
        "hook không hợp lệ: hàm 'base_merge' là hook 'tongket_merge_sections' gán cho tên "
        "khác, nên pluggy coi nó là hook 'base_merge' (không có): gán nó đúng tên "
        "'tongket_merge_sections', hoặc để gọi nó trong hook của mình hãy dùng bản không có "
        "@hookimpl (xem docs/plugins.md)"
    )


def test_the_unmarked_merge_may_be_bound_to_any_name():
    info = PluginHost.builtins().add_plugin(
        _prose_plugin(base_merge=prose_merge, tongket_merge_sections=prose_merge_hook)
    )
    assert info.error == ""
    assert "base_merge" not in info.hooks and "tongket_merge_sections" in info.hooks


def test_built_in_plugins_list_only_real_hooks():
    # training used to bind its helper hooks to "_merge_by_fields" and "_read_record_tables",
    # which `tongket plugins` then listed as hooks of its own.
    host = PluginHost.builtins()
    for info in host.plugins.values():
        assert set(info.hooks) <= set(hookspecs.HOOK_NAMES), info.name


def test_a_hook_asked_of_a_type_no_plugin_gives_is_a_plugin_failure():
    host = PluginHost.builtins()
    with pytest.raises(PluginFailure, match="chưa cài plugin cung cấp loại mục 'kien-ngi'"):
        host.outline_check("kien-ngi", {}, example_request())
    with pytest.raises(PluginFailure, match="kien-ngi"):
        host.merge("kien-ngi", [], None, "1.")
    with pytest.raises(PluginFailure, match="kien-ngi"):
        host.validate("kien-ngi", {}, None, "1.")


def test_a_field_name_used_twice_is_a_warning_of_tongket_plugins(installed):
    info, _module = installed(
        """
from tongket.core import Field, SectionType, hookimpl
from tongket.core.render.blocks import Paragraph

@hookimpl
def tongket_section_types(register):
    register(SectionType("thu", "Mục thử", fields=(
        Field("note", "A"),
        Field("note", "B"),
        Field("rows", "Dòng", kind="records", fields=(Field("nam", "Năm"), Field("nam", "X"))),
    )))

@hookimpl
def tongket_render_section(data):
    return [Paragraph.of("x")]
"""
    )
    assert info.error == ""
    assert info.warnings == [
        "loại mục thu: tên trường bị lặp: note, rows.nam (biểu mẫu và dữ liệu chỉ giữ được "
        "một trường mỗi tên)"
    ]
