"""The plugin kit as a newcomer from another team meets it: `tongket new-plugin`, the generated
package, `tongket.testing` and the tutorial in docs/plugins.md agree with one another."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from tongket.core import Field, SectionType, hookimpl
from tongket.core.blocks import BulletList, Run
from tongket.core.cli import main
from tongket.core.document import render_document
from tongket.core.host.pluginhost import PluginHost
from tongket.core.textrender import blocks_text
from tongket.testing import ContractError, check_section_type, example_request, report_with

DOCS = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"
RUFF = Path(sys.executable).with_name("ruff")
TITLE = "Kiến nghị, đề xuất"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("newcomer") / "tongket-kien-nghi"
    title = unicodedata.normalize("NFD", TITLE)  # as a macOS terminal types it
    assert main(["new-plugin", "kien-nghi", "--title", title, "--dir", str(folder)]) == 0
    return folder


def tutorial() -> str:
    return DOCS.read_text("utf-8").partition("\n## Testing a plugin")[0]


# -- tongket new-plugin -------------------------------------------------------------------


def test_new_plugin_refuses_the_id_of_a_built_in_section_type(tmp_path, capsys):
    folder = tmp_path / "tongket-free-text"
    assert main(["new-plugin", "free_text", "--dir", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "tên plugin 'free-text' trùng loại mục có sẵn 'free-text' (plugin free_text)" in err
    assert "chọn tên khác" in err and "economic-results" in err
    assert not folder.exists()


def test_new_plugin_writes_a_decomposed_title_composed(generated):
    module = (generated / "tongket_kien_nghi" / "__init__.py").read_text("utf-8")
    report = (generated / "example-report.toml").read_text("utf-8")
    for text in (module, report):
        assert f'"{TITLE}"' in text
        assert unicodedata.normalize("NFC", text) == text


def test_generated_tests_build_their_outline_request_with_the_kit(generated):
    tests = (generated / "tests" / "test_tongket_kien_nghi.py").read_text("utf-8")
    assert "example_request(2022, 2023)" in tests
    assert "Request(" not in tests  # no positional particulars that break when Request grows


@pytest.mark.skipif(not RUFF.exists(), reason="ruff is not installed next to this Python")
def test_generated_package_is_ruff_clean(generated):
    for args in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run(
            [str(RUFF), *args], capture_output=True, text=True, cwd=generated, timeout=60
        )
        assert result.returncode == 0, result.stdout + result.stderr


# -- tongket.testing ----------------------------------------------------------------------


def test_example_request_is_a_request_for_the_period():
    request = example_request(2021, 2023, cutoff=dt.date(2023, 6, 30))
    assert request.years == [2021, 2022, 2023]
    assert request.estimated_only(2023) and not request.estimated_only(2022)
    assert example_request(None, None).years == []


class _Plugin:
    """A section plugin built from a section type, rendering one paragraph."""

    def __init__(self, section_type: SectionType):
        self.section_type = section_type

    @hookimpl
    def tongket_section_types(self, register):
        register(self.section_type)

    @hookimpl
    def tongket_render_section(self, data, context):
        return list(context.paragraphs("Nội dung."))


def test_contract_names_a_column_of_records_used_twice():
    rows = Field(
        "funding",
        "Kinh phí",
        kind="records",
        fields=(Field("year", "Năm", kind="integer"), Field("year", "Năm đề nghị")),
    )
    plugin = _Plugin(SectionType("kien-nghi", TITLE, fields=(rows,), default_data={}))
    with pytest.raises(ContractError) as raised:
        check_section_type(plugin, name="kien_nghi")
    assert "✗ kien-nghi: mô tả loại mục: tên trường bị lặp: funding.year" in str(raised.value)


def test_contract_names_a_default_that_no_field_describes():
    fields = (Field("intro", "Đoạn mở đầu", kind="longtext"),)
    defaults = {"intro": "", "proposals": []}  # "proposals" renamed in fields, not here
    plugin = _Plugin(SectionType("kien-nghi", TITLE, fields=fields, default_data=defaults))
    with pytest.raises(ContractError) as raised:
        check_section_type(plugin, name="kien_nghi")
    message = str(raised.value)
    assert "✗ kien-nghi: mô tả loại mục: default_data có khóa không thuộc trường nào" in message
    assert message.count("✗") == 1 and "proposals" in message


# -- docs/plugins.md ----------------------------------------------------------------------


def test_tutorial_states_how_many_tests_the_package_has(generated):
    tests = (generated / "tests" / "test_tongket_kien_nghi.py").read_text("utf-8")
    count = len(re.findall(r"^def test_", tests, re.MULTILINE))
    assert f"$ pytest\n   {count} passed\n" in tutorial()


def test_tutorial_names_every_hook_the_generated_module_implements(generated):
    module = (generated / "tongket_kien_nghi" / "__init__.py").read_text("utf-8")
    hooks = re.findall(r"@hookimpl\ndef (tongket_\w+)", module)
    assert len(hooks) == 7
    step = tutorial().partition("2. **Read what was generated.**")[2]
    for hook in hooks:
        assert f"`{hook}`" in step, hook


def test_tutorial_lists_the_built_in_ids_new_plugin_refuses():
    text = " ".join(tutorial().split())
    for type_id in PluginHost.builtins().section_types:
        assert f"`{type_id}`" in text, type_id


def test_bullet_list_as_the_reference_builds_it_renders_each_proposal(tongket_plugin):
    proposals = Field(
        "proposals",
        "Kiến nghị",
        kind="records",
        fields=(Field("body", "Cơ quan"), Field("content", "Nội dung")),
    )

    class Proposals(_Plugin):
        @hookimpl
        def tongket_render_section(self, data, context):
            items = tuple(
                (Run(f"Đề nghị {row['body']} "), *context.runs(row["content"]))
                for row in data["proposals"]
            )
            return [BulletList(items)]

    section_type = SectionType("kien-nghi", TITLE, fields=(proposals,), default_data={})
    host = tongket_plugin(Proposals(section_type), "kien_nghi")
    data = {"proposals": [{"body": "Bộ Công Thương", "content": "hỗ trợ **kinh phí**."}]}
    rendered = render_document(report_with("kien-nghi", data), host)
    assert not rendered.failures and not rendered.errors
    assert "- Đề nghị Bộ Công Thương hỗ trợ kinh phí." in blocks_text(rendered.body)
    (bullets,) = [block for block in rendered.body if isinstance(block, BulletList)]
    assert [run.bold for run in bullets.items[0]] == [False, False, True, False]
