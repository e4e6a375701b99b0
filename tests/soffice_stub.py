"""A stand-in `soffice` for the PDF paths, so they are tested where LibreOffice is not installed.

Import it as `from soffice_stub import FAKE_PDFA, fake_soffice, use_soffice` (this folder is on
the tests' import path through its conftest.py).
"""

from __future__ import annotations

import stat
import textwrap
from pathlib import Path

from tongket.core.writers import pdf

# What a stand-in soffice writes: enough of a PDF/A-2b's XMP for the check after conversion.
FAKE_PDFA = "%PDF-1.6 fake <pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"
#: The body that converts: the PDF LibreOffice would write into its --outdir.
WRITES_PDF = f'echo "{FAKE_PDFA}" > "$outdir/$name.pdf"\n'


def fake_soffice(folder: Path, body: str) -> Path:
    """A stand-in soffice: a shell script that logs its arguments and runs `body` (which sees
    `$outdir`, the --outdir given, and `$name`, the input's name without .docx)."""
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
    """Make the PDF writer find `script` as LibreOffice (None: as if it were not installed)."""
    monkeypatch.setattr(pdf, "soffice_path", lambda: None if script is None else str(script))
