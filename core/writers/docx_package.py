"""The zip around the parts of a .docx: stable bytes, and the body streamed in.

python-docx stamps the zip entries with the current time. Here the same input always gives
the same bytes: fixed dates, entries in a fixed order, one compression setting.

`document.xml` is written in pieces: the package template (`docx_template`) holds its bytes
before and after the content of <w:body>, and the body's XML is compressed into the zip
between those two halves while the writer produces it (`write_package`). Parsing a big body and
moving it into the document costs more than linearly in lxml, and several copies of it in
memory; streaming keeps the export's memory flat in the document's size.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Mapping
from typing import IO

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
ENTRY_MODE = 0o100644  # a regular file, rw-r--r--
_FIRST_ENTRIES = ("[Content_Types].xml", "_rels/.rels")
# zlib level for every entry, fixed so the bytes are. Measured on a 1.000-section report
# (docs/performance.md): level 3 saves 0,06 s of a 1,1 s export but makes the file 13 % larger;
# zlib's default 6 keeps files small and the bytes equal to earlier tongket versions' exports.
COMPRESS_LEVEL = 6


def write_package(
    target: IO[bytes], parts: Mapping[str, bytes], streamed: Mapping[str, Iterable[bytes]]
) -> None:
    """Write a package with fixed entry order, times, attributes and compression.

    `parts` are written whole; each entry of `streamed` is compressed piece by piece as its
    iterable produces the pieces, so a big `document.xml` never sits in memory (it replaces a
    saved part of the same name). `target` must be seekable (a file or `io.BytesIO`): zipfile
    then writes each entry's sizes into its local header, exactly as for a whole entry.
    """
    names = {*parts, *streamed}
    order = sorted(
        names,
        key=lambda name: (
            _FIRST_ENTRIES.index(name) if name in _FIRST_ENTRIES else len(_FIRST_ENTRIES),
            name,
        ),
    )
    with zipfile.ZipFile(target, "w") as package:
        for name in order:
            info = _entry_info(name)
            if name in streamed:
                with package.open(info, "w") as entry:
                    for piece in streamed[name]:
                        entry.write(piece)
                continue
            package.writestr(info, parts[name])


def _entry_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, whatever machine wrote it
    info.external_attr = ENTRY_MODE << 16
    # `ZipFile.open(info, "w")` takes the level from the entry itself (`writestr` sets the same
    # attribute from its argument); Python 3.13 names it `compress_level`.
    if hasattr(info, "compress_level"):
        info.compress_level = COMPRESS_LEVEL
    else:
        info._compresslevel = COMPRESS_LEVEL
    return info
