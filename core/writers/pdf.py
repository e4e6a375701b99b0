"""PDF export through LibreOffice (`soffice --headless --convert-to pdf`).

Each run gets its own temporary HOME and LibreOffice profile, so conversion works for a user
without a home folder, next to an open LibreOffice, and in several processes at once. The
PDF reaches its destination by an atomic rename: a failed run never leaves half a file.

LibreOffice runs under a small watchdog process (`_WATCHDOG`), in a process group of its own.
The watchdog holds the read end of a pipe whose write end only tongket has: when tongket ends
for any reason, even SIGKILL, the pipe closes, and the watchdog kills the whole LibreOffice
group and removes the temporary folder. A timeout or Ctrl+C closes the pipe the same way.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from tongket.core.report.store import atomic_write

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
    # The watchdog may remove the folder first (after a timeout): that is not an error.
    with tempfile.TemporaryDirectory(prefix="tongket-pdf-", ignore_cleanup_errors=True) as temp:
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
        completed_output = _run(command, environment, timeout, source, work)
        produced = outdir / "document.pdf"
        if not produced.is_file():
            detail = completed_output.strip().splitlines()
            reason = detail[-1] if detail else "không có tệp PDF được tạo"
            raise PdfConversionError(
                f"LibreOffice không chuyển được {source.name} sang PDF: {reason}"
            )
        atomic_write(pdf_path, produced.read_bytes())


# Run by `sys.executable -I -S -c`: the standard library only, no site packages. argv: the
# read end of tongket's pipe, the temporary folder, then the LibreOffice command.
_WATCHDOG = """
import os, shutil, signal, subprocess, sys, threading
alive, work, command = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
try:
    office = subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=True)
except OSError as error:
    print(error.strerror or error, flush=True)
    os._exit(127)
stopping = threading.Event()
def watch():
    while os.read(alive, 1):
        pass
    stopping.set()
    try:
        os.killpg(office.pid, signal.SIGKILL)
    except OSError:
        pass
    office.wait()
    shutil.rmtree(work, ignore_errors=True)
    os._exit(1)
watcher = threading.Thread(target=watch, daemon=True)
watcher.start()
code = office.wait()
if stopping.is_set():
    watcher.join()  # it removes the folder, then ends this process
try:
    os.killpg(office.pid, signal.SIGKILL)  # whatever LibreOffice left running in its group
except OSError:
    pass
os._exit(code if code >= 0 else 128 - code)
"""
_STOP_GRACE = 10.0  # seconds the watchdog gets to stop LibreOffice and clean up
_NOT_STARTED = 127  # the watchdog's exit code when LibreOffice could not be started


def _run(
    command: list[str], environment: dict[str, str], timeout: float, source: Path, work: Path
) -> str:
    alive_read, alive_write = os.pipe()
    try:
        process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _WATCHDOG, str(alive_read), str(work), *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=environment,
            pass_fds=(alive_read,),
            start_new_session=True,  # Ctrl+C in the terminal reaches tongket, which decides
        )
    except OSError as error:
        os.close(alive_write)
        raise PdfConversionError(
            f"không chạy được LibreOffice ({command[0]}): {error.strerror}"
        ) from None
    finally:
        os.close(alive_read)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process, alive_write)
        raise PdfConversionError(
            f"LibreOffice không chuyển xong {source.name} sang PDF sau {timeout:g} giây"
        ) from None
    except BaseException:  # Ctrl+C, or a signal handler's exit: LibreOffice must not linger
        _stop(process, alive_write)
        raise
    os.close(alive_write)
    text = output.decode("utf-8", errors="replace")
    if process.returncode == _NOT_STARTED:
        raise PdfConversionError(f"không chạy được LibreOffice ({command[0]}): {text.strip()}")
    if process.returncode != 0:
        tail = text.strip().splitlines()[-1:] or [""]
        raise PdfConversionError(
            f"LibreOffice không chuyển được {source.name} sang PDF "
            f"(mã lỗi {process.returncode}): {tail[0]}".rstrip(": ")
        )
    return text


def _stop(process: subprocess.Popen, alive_write: int) -> None:
    # Closing our end tells the watchdog to kill LibreOffice's group and clean up.
    os.close(alive_write)
    try:
        process.wait(_STOP_GRACE)
    except subprocess.TimeoutExpired:  # pragma: no cover - a watchdog that does not answer
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
