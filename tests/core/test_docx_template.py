"""The package template: the shipped copy is what python-docx builds, and using it changes no
byte of an export, while a report without pictures never imports python-docx."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import zipfile
from importlib import resources

import docx
import pytest
from docx.opc.oxml import serialize_part_xml

from tongket.core.host.pluginhost import PluginHost
from tongket.core.render.document import render_document
from tongket.core.report import store
from tongket.core.writers import docx_template
from tongket.core.writers.docx_template import (
    CORE_PROPERTIES,
    build_package,
    core_properties_xml,
    shipped_package,
)
from tongket.core.writers.docx_writer import build_docx

SAMPLE = resources.files("tongket.sample_data") / "quang-ngai-sct-2021.toml"


def test_the_shipped_template_is_what_python_docx_builds():
    built = build_package()
    shipped = shipped_package()
    assert shipped.header_ids == built.header_ids
    assert (shipped.head, shipped.tail) == (built.head, built.tail)
    differing = sorted(name for name in {*built.parts, *shipped.parts}
                       if built.parts.get(name) != shipped.parts.get(name))  # fmt: skip
    assert differing == [], (
        f"{docx_template.SHIPPED.name} is out of date ({', '.join(differing)}): "
        "run `python -m tongket.core.writers.docx_template`"
    )
    assert CORE_PROPERTIES not in shipped.parts


@pytest.mark.parametrize("damage", ["missing", "not a zip", "no manifest"])
def test_a_missing_or_damaged_shipped_template_falls_back_to_python_docx(
    tmp_path, monkeypatch, damage
):

    host = PluginHost()
    host.load_builtins()
    rendered = render_document(store.load(str(SAMPLE)), host)
    expected = build_docx(rendered)
    copy = tmp_path / "template.zip"
    if damage == "not a zip":
        copy.write_bytes(b"PK\x03\x04 truncated")
    elif damage == "no manifest":
        with zipfile.ZipFile(copy, "w") as package:
            package.writestr("word/styles.xml", b"<w:styles/>")
    with pytest.raises((OSError, zipfile.BadZipFile, KeyError, ValueError)):
        docx_template._read_shipped(copy)  # so the export below cannot have used it
    monkeypatch.setattr(docx_template, "SHIPPED", copy)
    shipped_package.cache_clear()
    try:
        assert build_docx(rendered) == expected
    finally:
        shipped_package.cache_clear()


def test_rewriting_the_shipped_template_gives_the_same_bytes(tmp_path):
    target = tmp_path / "template.zip"
    docx_template.write_shipped(build_package(), target)
    assert target.read_bytes() == docx_template.SHIPPED.read_bytes()


def _python_docx_core(title: str, author: str, when: dt.datetime) -> bytes:
    """What python-docx writes for the same properties: the oracle for our own template."""
    document = docx.Document()
    properties = document.core_properties
    properties.title = title
    properties.author = author
    for name in ("subject", "comments", "keywords", "category", "last_modified_by"):
        setattr(properties, name, "")
    properties.language = "vi-VN"
    properties.revision = 1
    properties.created = when
    properties.modified = when
    return serialize_part_xml(properties._element)


@pytest.mark.parametrize(
    ("title", "author"),
    [
        ("V/v báo cáo tổng kết 10 năm", "SỞ CÔNG THƯƠNG"),
        ("A & B <c> \"d\" 'e'", "X > Y"),
        ("dòng một\ndòng hai\ttab", "Sở\rCông"),
        ("x" * 300, "y" * 256),
    ],
)
def test_core_properties_are_written_as_python_docx_writes_them(title, author):
    day = dt.date(2021, 4, 2)
    ours = core_properties_xml(title=title, author=author, day=day)
    cleaned_title = docx_template.clean_text(title)[:255]
    cleaned_author = docx_template.clean_text(author)[:255]
    theirs = _python_docx_core(cleaned_title, cleaned_author, dt.datetime(2021, 4, 2))
    assert ours == theirs


@pytest.mark.parametrize("day", [None, dt.date(1, 1, 1), dt.date(9999, 12, 31)])
def test_a_missing_or_implausible_date_is_written_as_2000_01_01(day):
    xml = core_properties_xml(title="t", author="a", day=day).decode()
    assert xml.count(">2000-01-01T00:00:00Z<") == 2


def test_exporting_a_report_without_pictures_imports_neither_python_docx_nor_lxml(tmp_path):
    script = (
        "import sys\n"
        "from tongket.core import cli\n"
        f"code = cli.main(['export', {str(SAMPLE)!r}, '-o', {str(tmp_path / 'out.docx')!r}])\n"
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] in ('docx', 'lxml')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={"TONGKET_PLUGIN_TIMEOUT": "0", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.stdout.strip().splitlines()[-1] == "0 []", result.stderr
    with zipfile.ZipFile(io.BytesIO((tmp_path / "out.docx").read_bytes())) as package:
        assert package.testzip() is None
        assert b"TKBody" in package.read("word/styles.xml")
