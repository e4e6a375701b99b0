"""PDF export through LibreOffice: the real conversion when soffice is installed, and the
error paths with a stand-in `soffice` script so they are tested everywhere."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import textwrap
import threading
import time
from importlib import resources
from pathlib import Path

import pytest

from tongket.core import pdf, store
from tongket.core.document import render_document
from tongket.core.docx_writer import export_docx
from tongket.core.pdf import PdfConversionError, convert_to_pdf, soffice_path
from tongket.core.pluginhost import PluginHost

SAMPLE = resources.files("tongket.sample_data") / "quang-ngai-sct-2021.toml"
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


def fake_soffice(folder: Path, body: str) -> Path:
    """A stand-in soffice: a shell script that logs its arguments and runs `body`."""
    script = folder / "soffice"
    log = folder / "soffice.log"
    script.write_text(
        "#!/bin/sh\n"
        f'echo "HOME=$HOME" > "{log}"\n'
        f'for arg in "$@"; do echo "ARG=$arg" >> "{log}"; done\n'
        'outdir=""; prev=""; last=""\n'
        'for arg in "$@"; do\n'
        '  if [ "$prev" = "--outdir" ]; then outdir="$arg"; fi; prev="$arg"; last="$arg"\n'
        "done\n"
        'name=$(basename "$last" .docx)\n' + textwrap.dedent(body)
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def use_soffice(monkeypatch, script: Path | None) -> None:
    monkeypatch.setattr(pdf, "soffice_path", lambda: None if script is None else str(script))


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
    script = fake_soffice(tmp_path, 'echo "%PDF-1.4 fake" > "$outdir/$name.pdf"\n')
    use_soffice(monkeypatch, script)
    monkeypatch.delenv("HOME", raising=False)
    target = tmp_path / "ra" / "bao cao.pdf"
    target.parent.mkdir()
    convert_to_pdf(sample_docx, target)
    assert target.read_bytes().startswith(b"%PDF-1.4 fake")
    log = (tmp_path / "soffice.log").read_text().splitlines()
    home = log[0].removeprefix("HOME=")
    args = [line.removeprefix("ARG=") for line in log[1:]]
    assert home and not Path(home).exists()  # a temporary home, removed afterwards
    assert "--headless" in args
    assert args[args.index("--convert-to") + 1] == "pdf"
    profile = next(arg for arg in args if arg.startswith("-env:UserInstallation=file://"))
    assert Path(home).parent == Path(profile.removeprefix("-env:UserInstallation=file://")).parent
    assert not any(path.name.startswith(".~lock") for path in sample_docx.parent.iterdir())


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
    target = tmp_path_factory.mktemp("pdf") / "bao-cao.pdf"
    convert_to_pdf(sample_docx, target)
    return target


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) chưa được cài")
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


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
