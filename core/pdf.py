"""PDF export through LibreOffice (`soffice --headless --convert-to pdf`).

Each run gets its own temporary HOME and LibreOffice profile, so conversion works for a user
without a home folder, next to an open LibreOffice, and in several processes at once. The
PDF reaches its destination by an atomic rename: a failed run never leaves half a file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .store import atomic_write

__all__ = ["PdfConversionError", "convert_to_pdf", "soffice_path"]

DEFAULT_TIMEOUT = 180.0  # seconds; a cold LibreOffice start with a fresh profile takes a few
INSTALL_HINT = "chưa cài LibreOffice: apt-get install libreoffice-writer-nogui"
_CANDIDATES = (
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)


class PdfConversionError(Exception):
    """LibreOffice is missing or failed to convert; the message (Vietnamese) says which."""


def soffice_path() -> str | None:
    """Where LibreOffice's `soffice` is, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in _CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def convert_to_pdf(
    docx_path: str | os.PathLike[str],
    pdf_path: str | os.PathLike[str],
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> None:
    """Convert a .docx file to PDF at `pdf_path`; raises `PdfConversionError` on failure."""
    soffice = soffice_path()
    if soffice is None:
        raise PdfConversionError(INSTALL_HINT)
    source = Path(docx_path)
    if not source.is_file():
        raise PdfConversionError(f"không tìm thấy tệp để chuyển sang PDF: {source}")
    with tempfile.TemporaryDirectory(prefix="tongket-pdf-") as temp:
        work = Path(temp)
        home, profile, outdir = work / "home", work / "profile", work / "out"
        for folder in (home, profile, outdir):
            folder.mkdir()
        # A private copy: LibreOffice leaves a lock file beside whatever it opens.
        document = work / "document.docx"
        shutil.copyfile(source, document)
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(document),
        ]
        environment = {**os.environ, "HOME": str(home), "TMPDIR": str(work)}
        completed_output = _run(command, environment, timeout, source)
        produced = outdir / "document.pdf"
        if not produced.is_file():
            detail = completed_output.strip().splitlines()
            reason = detail[-1] if detail else "không có tệp PDF được tạo"
            raise PdfConversionError(
                f"LibreOffice không chuyển được {source.name} sang PDF: {reason}"
            )
        atomic_write(pdf_path, produced.read_bytes())


def _run(command: list[str], environment: dict[str, str], timeout: float, source: Path) -> str:
    # soffice is a launcher that starts soffice.bin; its own session lets a timeout end both.
    try:
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=environment,
            start_new_session=True,
        )
    except OSError as error:
        raise PdfConversionError(
            f"không chạy được LibreOffice ({command[0]}): {error.strerror}"
        ) from None
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PdfConversionError(
            f"LibreOffice không chuyển xong {source.name} sang PDF sau {timeout:g} giây"
        ) from None
    text = output.decode("utf-8", errors="replace")
    if process.returncode != 0:
        tail = text.strip().splitlines()[-1:] or [""]
        raise PdfConversionError(
            f"LibreOffice không chuyển được {source.name} sang PDF "
            f"(mã lỗi {process.returncode}): {tail[0]}".rstrip(": ")
        )
    return text
