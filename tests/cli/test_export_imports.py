"""What `tongket export` of the sample imports: nothing that only other commands need.

The console script is run as a user runs it (the supervising parent and its forked child), with
`PYTHONPROFILEIMPORTTIME` set, so each process lists every module it imports on stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

import pytest

from tongket.core import cli
from tongket.core.report import store
from tongket.core.report.model import Section

SCRIPT = Path(sys.executable).with_name("tongket")
SAMPLE = Path(str(resources.files("tongket.sample_data") / "quang-ngai-sct-2021.toml"))

#: Modules an export of the sample does not need, with who needs them instead.
NOT_FOR_EXPORT = {
    # The plain `export FILE -o OUT` is read without argparse (`cli._plain_arguments`); its
    # headings would have gettext look up a catalogue through locale.
    "argparse",
    "gettext",
    "locale",
    # The child's kill-with-the-parent is a pipe now, not prctl through ctypes.
    "ctypes",
    # Only `tongket merge` merges economic figures.
    "tongket.plugins.economic_merge",
    # Zip names read as UTF-8 and the report's BOM cut by hand: no codec modules for them.
    "encodings.cp437",
    "encodings.utf_8_sig",
    # The template package's manifest is TOML, read by the report's own parser.
    "json",
    # Sections kept in other files (`include`) are read by it; the sample keeps none.
    "tongket.core.report.includes",
}

#: Modules an export of free-text sections without tables (and without findings) does not
#: need either; the sample's built-in sections use them.
NOT_FOR_PLAIN_TEXT = {
    *NOT_FOR_EXPORT,
    # The merge's helpers: only `tongket merge` (and `check`'s advice) use them.
    "tongket.core.host.merging",
    # Sentence templates: only the built-ins' prose fills them.
    "tongket.core.render.template",
    # Normalising tables: only a section with a table.
    "tongket.core.render.tables",
    # The text scanner for line numbers: only a report with findings (or a broken one).
    "tongket.core.report.tomlpos",
}


def _imported_by_export(report: Path, target: Path) -> set[str]:
    """The modules `tongket export` of `report` imports, in either process."""
    result = subprocess.run(
        [str(SCRIPT), "export", str(report), "-o", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert target.stat().st_size > 0
    return {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


@pytest.fixture(scope="module")
def export_imports(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The modules imported by `tongket export` of the bundled sample."""
    folder = tmp_path_factory.mktemp("export")
    return _imported_by_export(SAMPLE, folder / "sample.docx")


@pytest.fixture(scope="module")
def plain_text_imports(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The modules imported by `tongket export` of the sample's particulars and two sections
    of free text, no table."""
    project = store.load(SAMPLE)
    project.sections = [
        Section("free-text", f"{n}.", f"Mục {n}", {"text": f"Nội dung mục {n}."}, 1) for n in (1, 2)
    ]
    project.citations = {}
    folder = tmp_path_factory.mktemp("plain")
    report = folder / "plain.toml"
    report.write_text(store.dumps(project), encoding="utf-8")
    target = folder / "plain.docx"
    imported = _imported_by_export(report, target)
    with zipfile.ZipFile(target) as package:  # the sections were rendered
        assert "Nội dung mục 2." in package.read("word/document.xml").decode()
    return imported


def test_the_import_list_is_read(export_imports):
    # The writer's modules are imported by every export: the list really is the export's.
    assert "tongket.core.writers.docx_package" in export_imports
    assert "zipfile" in export_imports


@pytest.mark.parametrize("module", sorted(NOT_FOR_EXPORT))
def test_export_does_not_import(export_imports, module):
    assert module not in export_imports


@pytest.mark.parametrize("module", sorted(NOT_FOR_PLAIN_TEXT))
def test_export_of_plain_text_does_not_import(plain_text_imports, module):
    assert module not in plain_text_imports


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the lifeline pipe is Linux's")
def test_the_supervised_child_still_ends_with_its_parent():
    """The lifeline pipe, seen from inside the child: its read end signals SIGKILL to it."""
    probe = """
import fcntl, os, signal, sys
from tongket.core.host import supervise

def armed(fd):
    try:
        return (
            fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ASYNC
            and fcntl.fcntl(fd, fcntl.F_GETSIG) == signal.SIGKILL
            and fcntl.fcntl(fd, fcntl.F_GETOWN) == os.getpid()
        )
    except OSError:  # not an open descriptor
        return False

def command():
    found = [fd for fd in range(3, 256) if armed(fd)]
    print(f"armed: {found}", file=sys.stderr)
    return 0 if len(found) == 1 else 1

sys.exit(supervise.supervised(command))
"""
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "TONGKET_PLUGIN_TIMEOUT": "30"},
    )
    assert result.returncode == 0, result.stderr
    assert "armed: [" in result.stderr


PLAIN = [
    ["export", "r.toml"],
    ["export", "r.toml", "-o", "ra.docx"],
    ["export", "-o", "ra.docx", "r.toml", "--output", "khac.docx"],
    ["--debug", "export", "--pdf", "r.toml", "--review", "--keep-going", "--pdf"],
    ["export", "export", "--output", "check"],  # a file named like a command
    ["export", "", "-o", ""],
    ["check", "r.toml"],
    ["--debug", "--debug", "render", "báo cáo.toml"],
]


@pytest.mark.parametrize("argv", PLAIN, ids=" ".join)
def test_plain_arguments_are_what_argparse_reads(argv):
    command = next(word for word in argv if word != "--debug")
    assert vars(cli._plain_arguments(argv)) == vars(cli.build_parser(command).parse_args(argv))


OTHER_FORMS = [
    ["export"],  # no file: argparse's error
    ["export", "a.toml", "b.toml"],
    ["export", "r.toml", "-o"],
    ["export", "r.toml", "-o", "--pdf"],
    ["export", "--output=ra.docx", "r.toml"],
    ["export", "-ora.docx", "r.toml"],
    ["export", "r.toml", "--out", "ra.docx"],  # an abbreviation
    ["export", "r.toml", "--debug"],
    ["export", "r.toml", "-h"],
    ["export", "--", "-r.toml"],
    ["export", "-"],
    ["-V", "export", "r.toml"],
    ["check", "r.toml", "-o", "x"],
    ["plugins"],
    ["new", "r.toml"],
    ["import", "r.docx"],
    ["--debug"],
]


@pytest.mark.parametrize("argv", OTHER_FORMS, ids=" ".join)
def test_other_forms_are_left_to_argparse(argv):
    assert cli._plain_arguments(argv) is None


@pytest.mark.parametrize("command", sorted(cli._PLAIN_COMMANDS))
def test_plain_reading_knows_every_option_of_its_commands(command):
    """An option added to the parser of `export`, `check` or `render` must be added to what
    `_plain_arguments` reads too, or a plain command line would lack it."""
    subparsers = next(
        action for action in cli.build_parser(command)._actions if action.dest == "command"
    )
    parser = subparsers.choices[command]
    options = {option for action in parser._actions for option in action.option_strings}
    valued, switches = cli._PLAIN_COMMANDS[command]
    assert options - {"-h", "--help"} == {*valued, *switches}


def test_the_help_still_lists_exports_options(capsys):
    with pytest.raises(SystemExit):
        cli.main(["export", "--help"])
    shown = capsys.readouterr().out
    for option in ("-o RA.docx, --output RA.docx", "--pdf", "--keep-going", "--review"):
        assert option in shown


def test_records_made_named_tuples_stay_immutable():
    """The records turned from frozen dataclasses into NamedTuples (cheaper to define at every
    start) are as immutable, and print as before."""
    from tongket.core.report.particulars import FIELDS
    from tongket.core.writers.docx_columns import ColumnMeasure
    from tongket.core.writers.docx_styles import BODY, StyleSpec

    for value, attribute in (
        (BODY, "name"),
        (FIELDS[0], "group"),
        (ColumnMeasure(1.0, 2.0), "minimum"),
    ):
        with pytest.raises(AttributeError):
            setattr(value, attribute, "khác")
    assert repr(ColumnMeasure(1.0, 2.0)) == "ColumnMeasure(minimum=1.0, preferred=2.0)"
    assert BODY.id == "TKBody" and StyleSpec("TK Ghi chú", size=12).base == "Normal"
