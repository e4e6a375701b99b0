"""PDF export through LibreOffice (`soffice --headless --convert-to pdf`), as PDF/A-2b.

The PDF is archival: PDF/A-2b (ISO 19005-2, level B) with every font embedded and tagged,
asked for through the PDF filter's JSON options (LibreOffice 7.4 or newer; an older one
ignores them, and the conversion then fails with a message saying so rather than hand over
a PDF that only looks archival). Title, author and subject come from the DOCX's core
properties (`docProps/core.xml`), which LibreOffice copies into the PDF's Info dictionary
and XMP; `PdfMetadata` puts the report's own values there in a private copy of the DOCX, so
the Word file the drafter gets stays as it was written.

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
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from tongket.core.oserrors import os_cause
from tongket.core.render.document import subject_text
from tongket.core.render.letterhead import subject_line
from tongket.core.report.model import Particulars
from tongket.core.report.store import atomic_write
from tongket.core.writers.sanitize import clean_text

__all__ = ["PdfConversionError", "PdfMetadata", "convert_to_pdf", "soffice_path"]

DEFAULT_TIMEOUT = 180.0  # seconds; a cold LibreOffice start with a fresh profile takes a few
INSTALL_HINT = (
    "chưa cài LibreOffice, cần để xuất PDF: cài bằng "
    "'sudo apt-get install libreoffice-writer-nogui' (Debian, Ubuntu) hoặc tải từ "
    "https://www.libreoffice.org/download/ rồi thử lại"
)
_CANDIDATES = (
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)


# LibreOffice's PDF filter options (FilterData), as JSON: 2 selects PDF/A-2b, which also makes
# LibreOffice embed every font, the standard 14 included. Tagging is not required by level B;
# it keeps the reading order and headings for screen readers and text extraction.
PDF_FILTER_OPTIONS = {
    "SelectPdfVersion": {"type": "long", "value": "2"},
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
}
CONVERT_TO = "pdf:writer_pdf_Export:" + json.dumps(PDF_FILTER_OPTIONS, separators=(",", ":"))
# What the XMP packet of a PDF/A-2b holds; LibreOffice writes it uncompressed.
_PDFA_MARKS = (b"<pdfaid:part>2</pdfaid:part>", b"<pdfaid:conformance>B</pdfaid:conformance>")
_CORE_PROPERTIES = "docProps/core.xml"
_NAMESPACES = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}


class PdfConversionError(Exception):
    """LibreOffice is missing or failed to convert; the message (Vietnamese) says which."""


@dataclass(frozen=True)
class PdfMetadata:
    """The PDF's document properties; an empty field keeps what the DOCX already says.

    LibreOffice maps the DOCX core properties onto the PDF: dc:title → Title, dc:creator →
    Author, dc:subject → Subject (and XMP dc:description), cp:keywords → Keywords (split at
    spaces and commas). The PDF's CreationDate is the time of the conversion.
    """

    title: str = ""
    author: str = ""  # the issuing body (cơ quan ban hành), not its parent body
    subject: str = ""

    @classmethod
    def for_document(cls, particulars: Particulars) -> PdfMetadata:
        """Title "V/v …" (as in the DOCX), author the issuing agency, subject the trích yếu."""
        return cls(
            title=subject_line(particulars),
            author=particulars.agency.strip(),
            subject=subject_text(particulars),
        )

    def core_properties(self) -> dict[str, str]:
        """The core-property elements to set, by qualified name, with cleaned NFC text."""
        values = {"dc:title": self.title, "dc:creator": self.author, "dc:subject": self.subject}
        return {name: clean_text(value).strip() for name, value in values.items() if value.strip()}


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
    metadata: PdfMetadata | None = None,
    new_like: str | os.PathLike[str] | None = None,
) -> None:
    """Convert a .docx file to a PDF/A-2b at `pdf_path`, with `metadata` (if given) as its
    document properties; raises `PdfConversionError` on failure.

    A new PDF gets the group and permissions of `new_like` (by default the .docx): no more
    people can read it than can read what it was made from."""
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
        # A private copy: LibreOffice leaves a lock file beside whatever it opens, and the
        # metadata goes into the copy, never into the drafter's file.
        document = work / "document.docx"
        _copy_with_metadata(source, document, metadata or PdfMetadata())
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--convert-to",
            CONVERT_TO,
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
        content = produced.read_bytes()
        if not all(mark in content for mark in _PDFA_MARKS):
            raise PdfConversionError(
                f"LibreOffice ở máy này ({soffice}) không xuất được PDF/A-2b cho {source.name}: "
                "cần LibreOffice 7.4 trở lên"
            )
        atomic_write(pdf_path, content, new_like=new_like or source)


def _copy_with_metadata(source: Path, copy: Path, metadata: PdfMetadata) -> None:
    """Copy the DOCX at `source` to `copy`, with `metadata` set in its core properties.

    Anything that is not a DOCX with core properties is copied as it is: LibreOffice then
    says what is wrong with it, or uses the properties it has.
    """
    fields = metadata.core_properties()
    if not fields:
        shutil.copyfile(source, copy)
        return
    try:
        with zipfile.ZipFile(source) as package:
            core = _set_core_properties(package.read(_CORE_PROPERTIES), fields)
            with zipfile.ZipFile(copy, "w") as rewritten:
                for member in package.infolist():
                    if member.filename == _CORE_PROPERTIES:
                        rewritten.writestr(member, core)
                        continue
                    with package.open(member) as reader, rewritten.open(member, "w") as writer:
                        shutil.copyfileobj(reader, writer, 1 << 20)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, EOFError):
        shutil.copyfile(source, copy)


def _set_core_properties(xml: bytes, fields: dict[str, str]) -> bytes:
    for prefix, uri in _NAMESPACES.items():
        ElementTree.register_namespace(prefix, uri)
    root = ElementTree.fromstring(xml)
    for name, value in fields.items():
        prefix, _, local = name.partition(":")
        tag = f"{{{_NAMESPACES[prefix]}}}{local}"
        element = root.find(tag)
        if element is None:
            element = ElementTree.SubElement(root, tag)
        element.text = value
    return ElementTree.tostring(root, encoding="UTF-8", xml_declaration=True)


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
            f"không chạy được LibreOffice ({command[0]}): {os_cause(error, 'chạy')}"
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
