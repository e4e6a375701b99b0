"""Hostile and broken input: every case in tests/data/bad/ run through the real CLI.

Each case is `NAME.toml` (the input, byte for byte) and `NAME.expected`, lines of
`directive: value`:

    command: check | render | export       (default check; export writes to {out})
    output: directory | unwritable | symlink | input   (what {out} is, for export)
    exit: 2                                 (the exit code)
    expect: {file}:11: document.date: …     (a substring of stdout + stderr; repeatable)
    input-lacks: …                          (a text the raw input must not contain)
    docx-contains: …                        (export succeeds; {out} is a Word file with this)
    xfail: why                              (a known gap, owned elsewhere; strict)

`{file}` is the path the CLI was given, `{out}` the export target. Every case must end
without a traceback, and must leave every file it could touch exactly as it was (a case with
`docx-contains` may write `{out}`, and only that).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
SCRIPT = Path(sys.executable).with_name("tongket")
PREVIOUS_EXPORT = b"previous export, must survive"


@dataclass
class Case:
    name: str
    command: str = "check"
    output: str = ""
    exit: int | None = None
    expect: list[str] = field(default_factory=list)
    input_lacks: list[str] = field(default_factory=list)
    docx_contains: list[str] = field(default_factory=list)
    xfail: str = ""

    @classmethod
    def read(cls, name: str) -> Case:
        case = cls(name)
        for line in (BAD / f"{name}.expected").read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            directive, _, value = line.partition(": ")
            directive = directive.rstrip(":")
            if directive == "expect":
                case.expect.append(value)
            elif directive == "input-lacks":
                case.input_lacks.append(value)
            elif directive == "docx-contains":
                case.docx_contains.append(value)
            elif directive == "exit":
                case.exit = int(value)
            elif directive in ("command", "output", "xfail"):
                setattr(case, directive, value.strip())
            else:
                raise ValueError(f"{name}.expected: unknown directive {directive!r}")
        if case.exit is None or not case.expect:
            raise ValueError(f"{name}.expected: needs an `exit:` and at least one `expect:`")
        return case


CASES = sorted(path.stem for path in BAD.glob("*.toml"))


def test_every_case_has_its_expectation():
    expected = sorted(path.stem for path in BAD.glob("*.expected"))
    assert expected == CASES
    assert len(CASES) >= 25


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every file under `folder` (links as their target), to prove nothing was written."""
    state: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            state[key] = f"-> {os.readlink(path)}"
        elif path.is_file():
            state[key] = path.read_bytes()
        else:
            state[key] = "<dir>"
    return state


def output_target(kind: str, folder: Path, report: Path, request) -> Path:
    """The export target for `output:`; existing targets hold a previous export."""
    if kind == "directory":
        target = folder / "bao-cao.docx"
        target.mkdir()
    elif kind == "symlink":
        elsewhere = folder / "van-ban-khac.docx"
        elsewhere.write_bytes(PREVIOUS_EXPORT)
        target = folder / "bao-cao.docx"
        target.symlink_to(elsewhere)
    elif kind == "input":
        target = report
    elif kind == "unwritable":
        if os.geteuid() == 0:
            # Permissions do not stop root; sysfs refuses new files even to root.
            target = Path("/sys/kernel/tongket-bad-input.docx")
            if not Path("/sys/kernel").is_dir():
                pytest.skip("needs /sys to find a folder root cannot write to")
        else:
            locked = folder / "chi-doc"
            locked.mkdir()
            target = locked / "bao-cao.docx"
            locked.chmod(0o555)
            request.addfinalizer(lambda: locked.chmod(0o755))
    else:
        target = folder / "bao-cao.docx"
        target.write_bytes(PREVIOUS_EXPORT)
    return target


def run_tongket(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The `tongket` command (its module where no script is installed), output as text."""
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "tongket.core.cli"]
    return subprocess.run(
        [*command, *arguments], capture_output=True, text=True, timeout=60, cwd=cwd
    )


@pytest.mark.parametrize("name", CASES)
def test_bad_input(name, tmp_path, request):
    case = Case.read(name)
    if case.xfail:
        request.applymarker(pytest.mark.xfail(reason=case.xfail, strict=True))
    raw = (BAD / f"{name}.toml").read_bytes()
    for text in case.input_lacks:
        assert text.encode("utf-8") not in raw, "the case no longer tests what it says"
    folder = tmp_path / "work"
    folder.mkdir()
    report = folder / f"{name}.toml"
    shutil.copyfile(BAD / f"{name}.toml", report)
    args = [case.command, str(report)]
    out = Path()
    if case.command == "export":
        out = output_target(case.output, folder, report, request)
        args += ["-o", str(out)]
    before = snapshot(folder)

    result = run_tongket(*args, cwd=folder)
    output = result.stdout + result.stderr

    assert "Traceback" not in output, output
    for expected in case.expect:
        expected = expected.replace("{file}", str(report)).replace("{out}", str(out))
        assert expected in output, f"missing: {expected}\n--- got:\n{output[:3000]}"
    assert result.returncode == case.exit, output[:3000]
    after = snapshot(folder)
    if case.docx_contains:
        import docx

        written = docx.Document(str(out))
        paragraphs = [*written.paragraphs]
        for table in written.tables:
            paragraphs += [p for cell in table._cells for p in cell.paragraphs]
        text = "\n".join(paragraph.text for paragraph in paragraphs)
        for expected in case.docx_contains:
            assert expected in text
        before.pop(out.name), after.pop(out.name)
    assert after == before, "a failed command wrote, removed or truncated a file"
    if case.output == "unwritable":
        assert not out.exists()


@pytest.mark.parametrize("command", ["check", "export", "render"])
@pytest.mark.parametrize("special", ["fifo", "/dev/zero"])
def test_a_fifo_or_a_device_given_as_the_report_is_refused_unopened(tmp_path, command, special):
    # Reading a FIFO waits for a writer forever; /dev/zero never ends. Both are named, exit 2.
    if special == "fifo":
        report = tmp_path / "report.toml"
        os.mkfifo(report)
    else:
        report = Path(special)
    done = run_tongket(command, str(report), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith(f"{report}: là ")
    assert "không phải tệp báo cáo .toml" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("command", "extra", "missing"),
    [
        ("export", [], "không tìm thấy tệp"),
        ("export", ["-o", "nowhere/bao-cao.docx"], "không tìm thấy tệp"),
        ("diff", [], "không tìm thấy tệp"),
        ("import", [], "không tìm thấy tệp"),
        ("import", ["-o", "nowhere/bao-cao.toml"], "không tìm thấy tệp"),
    ],
)
def test_a_mistyped_input_is_named_before_an_output_that_cannot_be_written(
    tmp_path, command, extra, missing
):
    # The output named after a report in a missing folder cannot be written either; the
    # message must name the input the user mistyped, not a .docx they never typed.
    (tmp_path / "cu.toml").write_text("", encoding="utf-8")
    given = str(Path("khong-co") / ("bao-cao.docx" if command == "import" else "bao-cao.toml"))
    old = ["cu.toml"] if command == "diff" else []  # diff OLD NEW: the output follows NEW
    done = run_tongket(command, *old, given, *extra, cwd=tmp_path)
    assert done.returncode == 2
    assert f"{given}: {missing}" in done.stderr
    assert "không tồn tại" not in done.stderr  # not "the folder of the output does not exist"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cu.toml"]


@pytest.mark.parametrize("command", ["export", "diff"])
def test_a_fifo_report_is_named_before_its_output_that_is_a_folder(tmp_path, command):
    # Both are wrong; the report is what the user typed. (A clerk's `tongket export /dev/zero`
    # was told "/dev/zero.docx: không có quyền ghi": /dev is writable only by root.)
    report = tmp_path / "bao-cao.toml"
    os.mkfifo(report)
    output = "bao-cao-thay-doi.docx" if command == "diff" else "bao-cao.docx"
    (tmp_path / output).mkdir()
    (tmp_path / "cu.toml").write_text("", encoding="utf-8")
    old = ["cu.toml"] if command == "diff" else []
    done = run_tongket(command, *old, str(report), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith(f"{report}: là một FIFO")


def _run_as_an_ordinary_account(arguments: list[str], cwd: Path) -> tuple[int, str]:
    """`tongket ARGUMENTS` in a forked child that cannot bypass file permissions: its exit
    code and stderr. Under root the child takes the `nobody` account (uid 65534), which
    drops the capabilities that let root read any file; the modules it needs are loaded
    before, since the interpreter's own folder may be closed to `nobody`."""
    from tongket.core import cli

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 70
        try:
            os.close(read_end)
            os.chdir(cwd)
            sys.stderr = open(write_end, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
            if os.geteuid() == 0:
                os.setgroups([])
                os.setresgid(65534, 65534, 65534)
                os.setresuid(65534, 65534, 65534)
            code = cli.main(arguments)
            sys.stderr.flush()
        finally:
            os._exit(code)
    os.close(write_end)
    with open(read_end, encoding="utf-8") as child_stderr:
        stderr = child_stderr.read()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), stderr


@pytest.mark.parametrize("command", ["export", "diff"])
def test_a_report_without_read_permission_is_named_before_its_output(command):
    # A regular file the user may not read (mode 000, or another office's report): the
    # report is what they typed, so it is named, not its output that is a folder.
    folder = Path(tempfile.mkdtemp(prefix="tongket-perm-"))  # reachable by `nobody`
    try:
        folder.chmod(0o755)
        (folder / "cu.toml").write_text("", encoding="utf-8")
        (folder / "cu.toml").chmod(0o644)
        report = folder / "bao-cao.toml"
        report.write_text('schema_version = 1\n[document]\nkind = "cong-van"\n', "utf-8")
        report.chmod(0)
        output = "bao-cao-thay-doi.docx" if command == "diff" else "bao-cao.docx"
        (folder / output).mkdir()
        old = ["cu.toml"] if command == "diff" else []
        code, stderr = _run_as_an_ordinary_account([command, *old, "bao-cao.toml"], folder)
        assert code == 2, stderr
        assert stderr.startswith("bao-cao.toml: không có quyền đọc tệp"), stderr
        assert output not in stderr
    finally:
        shutil.rmtree(folder)
