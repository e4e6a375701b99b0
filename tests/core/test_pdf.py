"""PDF export through LibreOffice: the real conversion when soffice is installed, and the
error paths with a stand-in `soffice` script so they are tested everywhere."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import unicodedata
import zipfile
from importlib import resources
from pathlib import Path

import pytest
from soffice_stub import FAKE_PDFA, WRITES_PDF, fake_soffice, use_soffice
from terminal_launch import from_a_terminal

from tongket.core.host.pluginhost import PluginHost
from tongket.core.render.document import render_document
from tongket.core.report import store
from tongket.core.writers.docx_writer import export_docx
from tongket.core.writers.pdf import (
    PdfConversionError,
    PdfMetadata,
    convert_to_pdf,
    soffice_path,
)

SAMPLE = resources.files("tongket.sample_data") / "quang-ngai-sct-2021.toml"
# The sample's metadata as the PDF must carry it: the issuing body (not the parent body,
# "UBND TỈNH QUẢNG NGÃI") as author, the "V/v" line as title and the trích yếu as subject.
SUBJECT = (
    "báo cáo tổng kết 10 năm thực hiện Chỉ thị 04-CT/TW của Ban Bí thư Khóa XI về công tác "
    "đối ngoại nhân dân"
)
EXPECTED_INFO = {"Title": f"V/v {SUBJECT}", "Author": "SỞ CÔNG THƯƠNG", "Subject": SUBJECT}
needs_soffice = pytest.mark.skipif(
    soffice_path() is None, reason="LibreOffice (soffice) chưa được cài trên máy này"
)


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory) -> Path:
    host = PluginHost()
    host.load_builtins()
    target = tmp_path_factory.mktemp("docx") / "bao-cao.docx"
    export_docx(render_document(store.load(str(SAMPLE)), host), target)
    return target


# -- error paths (no LibreOffice needed) ---------------------------------------------------


def test_missing_soffice_says_how_to_install(monkeypatch, sample_docx, tmp_path):
    use_soffice(monkeypatch, None)
    target = tmp_path / "out.pdf"
    with pytest.raises(PdfConversionError) as caught:
        convert_to_pdf(sample_docx, target)
    assert "chưa cài LibreOffice" in str(caught.value)
    assert "apt-get install libreoffice-writer-nogui" in str(caught.value)
    assert not target.exists()


def test_soffice_runs_with_a_private_home_and_profile(monkeypatch, sample_docx, tmp_path):
    script = fake_soffice(tmp_path, WRITES_PDF)
    use_soffice(monkeypatch, script)
    monkeypatch.delenv("HOME", raising=False)
    target = tmp_path / "ra" / "bao cao.pdf"
    target.parent.mkdir()
    convert_to_pdf(sample_docx, target)
    assert target.read_bytes().startswith(b"%PDF-1.6 fake")
    log = (tmp_path / "soffice.log").read_text().splitlines()
    home = log[0].removeprefix("HOME=")
    args = [line.removeprefix("ARG=") for line in log[1:]]
    assert home and not Path(home).exists()  # a temporary home, removed afterwards
    assert "--headless" in args
    kind, export_filter, options = args[args.index("--convert-to") + 1].split(":", 2)
    assert (kind, export_filter) == ("pdf", "writer_pdf_Export")
    assert json.loads(options)["SelectPdfVersion"] == {"type": "long", "value": "2"}  # PDF/A-2b
    profile = next(arg for arg in args if arg.startswith("-env:UserInstallation=file://"))
    assert Path(home).parent == Path(profile.removeprefix("-env:UserInstallation=file://")).parent
    assert not any(path.name.startswith(".~lock") for path in sample_docx.parent.iterdir())


def test_metadata_goes_into_a_private_copy_only(monkeypatch, sample_docx, tmp_path):
    seen = tmp_path / "seen.docx"
    body = f'cp "$last" "{seen}"\necho "{FAKE_PDFA}" > "$outdir/$name.pdf"\n'
    use_soffice(monkeypatch, fake_soffice(tmp_path, body))
    before = sample_docx.read_bytes()
    metadata = PdfMetadata(
        title="V/v ve\u0301 & <thu\u0309>\x07", author="SỞ CÔNG THƯƠNG", subject="trích yếu"
    )
    convert_to_pdf(sample_docx, tmp_path / "out.pdf", metadata=metadata)
    assert sample_docx.read_bytes() == before  # the drafter's Word file is not touched
    with zipfile.ZipFile(seen) as copy, zipfile.ZipFile(sample_docx) as original:
        assert copy.namelist() == original.namelist()
        for name in original.namelist():
            if name != "docProps/core.xml":
                assert copy.read(name) == original.read(name), name
        core = copy.read("docProps/core.xml").decode()
    # Cleaned like every string bound for a DOCX: NFC, no control characters, escaped.
    assert "<dc:title>V/v vé &amp; &lt;thủ&gt;</dc:title>" in core
    assert "<dc:creator>SỞ CÔNG THƯƠNG</dc:creator>" in core
    assert "<dc:subject>trích yếu</dc:subject>" in core
    assert "2021-04-02T00:00:00Z</dcterms:created>" in core  # the report's date stays


def test_sample_metadata_names_the_issuing_body():
    metadata = PdfMetadata.for_document(store.load(str(SAMPLE)).document)
    assert metadata == PdfMetadata(
        title=EXPECTED_INFO["Title"],
        author=EXPECTED_INFO["Author"],
        subject=EXPECTED_INFO["Subject"],
    )


def test_a_pdf_that_is_not_pdfa_is_refused(monkeypatch, sample_docx, tmp_path):
    # A LibreOffice older than 7.4 ignores the JSON filter options and writes a plain PDF.
    script = fake_soffice(tmp_path, 'echo "%PDF-1.4 plain" > "$outdir/$name.pdf"\n')
    use_soffice(monkeypatch, script)
    target = tmp_path / "out.pdf"
    with pytest.raises(PdfConversionError, match=r"không xuất được PDF/A-2b.*7\.4 trở lên"):
        convert_to_pdf(sample_docx, target)
    assert not target.exists()


def test_cli_without_libreoffice_says_how_to_install(sample_copy, tmp_path):
    # /usr/bin/soffice is found even without PATH: the CLI runs with soffice_path() finding none.
    program = (
        "import sys\n"
        "import tongket.core.writers.pdf as pdf\n"
        "pdf.soffice_path = lambda: None\n"
        "from tongket.core.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    target = tmp_path / "bao-cao.docx"
    result = subprocess.run(
        [sys.executable, "-c", program, "export", str(sample_copy), "-o", str(target), "--pdf"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    pdf_target = target.with_suffix(".pdf")
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith(f"tongket: {pdf_target}: chưa cài LibreOffice, cần để xuất PDF: ")
    assert "sudo apt-get install libreoffice-writer-nogui" in message
    assert "https://www.libreoffice.org/download/" in message
    assert "Traceback" not in result.stderr
    assert f"Đã xuất {target}" in result.stdout  # the Word file is written all the same
    assert target.is_file()
    assert not pdf_target.exists()


def test_failing_soffice_keeps_the_existing_pdf(monkeypatch, sample_docx, tmp_path):
    script = fake_soffice(tmp_path, 'echo "Error: source file could not be loaded"\nexit 1\n')
    use_soffice(monkeypatch, script)
    target = tmp_path / "out.pdf"
    target.write_bytes(b"%PDF previous")
    with pytest.raises(PdfConversionError, match=r"mã lỗi 1.*could not be loaded"):
        convert_to_pdf(sample_docx, target)
    assert target.read_bytes() == b"%PDF previous"


def test_soffice_that_writes_no_pdf_is_an_error(monkeypatch, sample_docx, tmp_path):
    use_soffice(monkeypatch, fake_soffice(tmp_path, "exit 0\n"))
    with pytest.raises(PdfConversionError, match="không có tệp PDF"):
        convert_to_pdf(sample_docx, tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()


def test_hanging_soffice_is_stopped_at_the_timeout(monkeypatch, sample_docx, tmp_path):
    use_soffice(monkeypatch, fake_soffice(tmp_path, "sleep 30\n"))
    started = time.monotonic()
    with pytest.raises(PdfConversionError, match=r"sau 0\.5 giây"):
        convert_to_pdf(sample_docx, tmp_path / "out.pdf", timeout=0.5)
    assert time.monotonic() - started < 10


def test_missing_docx_is_an_error(monkeypatch, tmp_path):
    use_soffice(monkeypatch, fake_soffice(tmp_path, "exit 0\n"))
    with pytest.raises(PdfConversionError, match="không tìm thấy"):
        convert_to_pdf(tmp_path / "khong-co.docx", tmp_path / "out.pdf")


# -- the real conversion -------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_pdf(sample_docx, tmp_path_factory) -> Path:
    """The sample converted once for the module, the way `tongket export --pdf` does it."""
    target = tmp_path_factory.mktemp("pdf") / "bao-cao.pdf"
    metadata = PdfMetadata.for_document(store.load(str(SAMPLE)).document)
    convert_to_pdf(sample_docx, target, metadata=metadata)
    return target


def poppler(tool: str, *args: str) -> str:
    """The UTF-8 output of a poppler-utils program; the test is skipped without it."""
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (poppler-utils) chưa được cài")
    return subprocess.run([tool, *args], check=True, capture_output=True, encoding="utf-8").stdout


def pdf_text(path: Path) -> str:
    return poppler("pdftotext", "-layout", "-enc", "UTF-8", str(path), "-")


def pdf_info(path: Path) -> dict[str, str]:
    lines = poppler("pdfinfo", "-enc", "UTF-8", str(path)).splitlines()
    return {key: value.strip() for key, _, value in (line.partition(":") for line in lines)}


@needs_soffice
def test_sample_converts_to_pdf_with_its_text(sample_pdf):
    assert sample_pdf.read_bytes().startswith(b"%PDF")
    text = pdf_text(sample_pdf)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Kính gửi", "Võ Văn Rân"):
        assert expected in text
    first_page = text.split("\f")[0]
    assert "Số: /SCT-VP" in first_page
    assert "Quảng Ngãi, ngày 02 tháng 4 năm 2021" in first_page


@needs_soffice
def test_sample_pdf_is_pdfa_2b(sample_pdf):
    xmp = poppler("pdfinfo", "-meta", str(sample_pdf))
    assert "<pdfaid:part>2</pdfaid:part>" in xmp
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp


@needs_soffice
def test_sample_pdf_embeds_every_font(sample_pdf):
    lines = poppler("pdffonts", str(sample_pdf)).splitlines()
    header, rows = lines[0], lines[2:]
    assert rows, "no font in the PDF"
    emb = header.index(" emb ") + 1  # the column's position: font names may hold spaces
    for row in rows:
        assert row[emb : emb + 3] == "yes", row


@needs_soffice
def test_sample_pdf_carries_the_reports_metadata(sample_pdf):
    info = pdf_info(sample_pdf)
    for key, expected in EXPECTED_INFO.items():
        assert info.get(key) == expected, key
        assert unicodedata.is_normalized("NFC", info[key]), key
    assert info.get("CreationDate")
    assert info.get("Tagged") == "yes"
    xmp = poppler("pdfinfo", "-meta", str(sample_pdf))
    assert f"<rdf:li>{EXPECTED_INFO['Author']}</rdf:li>" in xmp


@needs_soffice
def test_concurrent_conversions_without_home(monkeypatch, sample_docx, tmp_path):
    monkeypatch.delenv("HOME", raising=False)
    targets = [tmp_path / f"ban-{index}.pdf" for index in range(2)]
    errors: list[BaseException] = []

    def convert(target: Path) -> None:
        try:
            convert_to_pdf(sample_docx, target)
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)

    threads = [threading.Thread(target=convert, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for target in targets:
        assert target.read_bytes().startswith(b"%PDF")
    assert "HOME" not in os.environ


# -- a conversion stopped half-way leaves nothing behind ----------------------------------

SLEEPING_SOFFICE = """\
#!/bin/sh
echo $$ > "{log}/soffice.pid"
sleep 120 &
echo $! > "{log}/child.pid"
wait
"""


def running(pid: int) -> bool:
    """Whether `pid` still runs (a zombie nobody reaped yet counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def wait_until(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def sleeping_soffice(tmp_path) -> dict[str, str]:
    """An environment whose `soffice` (first on PATH) hangs with a child of its own, and
    whose temporary folders go to a folder the test can look into."""
    fake = tmp_path / "bin"
    fake.mkdir()
    log = tmp_path / "log"
    log.mkdir()
    script = fake / "soffice"
    script.write_text(SLEEPING_SOFFICE.format(log=log))
    script.chmod(0o755)
    temp = tmp_path / "tmp"
    temp.mkdir()
    return {**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}", "TMPDIR": str(temp)}


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[1])


def exporting_process(office: int, report: Path) -> int:
    """The tongket process that runs the conversion: the nearest ancestor of `office`
    whose command line names the report."""
    pid = parent_of(office)
    while pid > 1 and str(report).encode() not in Path(f"/proc/{pid}/cmdline").read_bytes():
        pid = parent_of(pid)
    assert pid not in (1, os.getpid()), "no tongket process above soffice"
    return pid


KILLS = [
    pytest.param(signal.SIGINT, "group", id="ctrl-c"),  # what the terminal does
    pytest.param(signal.SIGTERM, "group", id="SIGTERM-group"),
    pytest.param(signal.SIGKILL, "group", id="SIGKILL-group"),
    pytest.param(signal.SIGTERM, "tongket", id="SIGTERM-tongket"),
    pytest.param(signal.SIGKILL, "converting", id="SIGKILL-converting"),
    pytest.param(signal.SIGKILL, "tongket", id="SIGKILL-tongket"),
]


@pytest.mark.parametrize(("signum", "whom"), KILLS)
def test_a_killed_pdf_export_leaves_no_folder_and_no_soffice(
    sample_copy, tmp_path, sleeping_soffice, signum, whom
):
    script = Path(sys.executable).with_name("tongket")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "tongket.core.cli"]
    log, temp = tmp_path / "log", tmp_path / "tmp"
    export = subprocess.Popen(
        from_a_terminal([*command, "export", str(sample_copy), "--pdf"]),
        env=sleeping_soffice,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # a process group of its own, as a shell gives a command
    )
    converting = None
    try:
        assert wait_until(lambda: (log / "child.pid").is_file(), 60), "soffice never started"
        time.sleep(0.1)
        office = int((log / "soffice.pid").read_text())
        child = int((log / "child.pid").read_text())
        converting = exporting_process(office, sample_copy)
        assert next(path.name for path in temp.iterdir()).startswith("tongket-pdf-")
        if whom == "group":
            os.killpg(export.pid, signum)
        else:
            os.kill(converting if whom == "converting" else export.pid, signum)
        export.wait(30)
    finally:
        if export.poll() is None:
            export.kill()
            export.wait()
    if whom == "tongket" and converting != export.pid:
        # The command runs in a supervised child (core/host/supervise.py) that dies with its parent.
        assert wait_until(lambda: not running(converting), 5), "the supervised child lives on"
    assert export.returncode != 0
    assert wait_until(lambda: not running(office) and not running(child)), "soffice kept running"
    assert wait_until(lambda: not list(temp.iterdir())), list(temp.iterdir())
    assert not sample_copy.with_suffix(".pdf").exists()
    if signum == signal.SIGINT:
        assert export.returncode == 130
        assert "Traceback" not in export.stderr.read().decode()


def test_the_timeout_stops_what_soffice_started_too(monkeypatch, sample_docx, tmp_path):
    log = tmp_path / "log"
    log.mkdir()
    script = tmp_path / "soffice"
    script.write_text(SLEEPING_SOFFICE.format(log=log))
    script.chmod(0o755)
    use_soffice(monkeypatch, script)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    with pytest.raises(PdfConversionError, match=r"sau 1 giây"):
        convert_to_pdf(sample_docx, tmp_path / "out.pdf", timeout=1)
    child = int((log / "child.pid").read_text())
    assert wait_until(lambda: not running(child))
    assert not [path for path in tmp_path.iterdir() if path.name.startswith("tongket-pdf-")]


def test_a_soffice_that_cannot_start_is_named(monkeypatch, sample_docx, tmp_path):
    script = tmp_path / "soffice"
    script.write_text("#!/khong/co/trinh-thong-dich\n")
    script.chmod(0o755)
    use_soffice(monkeypatch, script)
    with pytest.raises(PdfConversionError, match=r"không chạy được LibreOffice \(.*soffice\): "):
        convert_to_pdf(sample_docx, tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()
