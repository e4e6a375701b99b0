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

import sys
import threading
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from queue import Queue
from typing import IO

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
ENTRY_MODE = 0o100644  # a regular file, rw-r--r--
_FIRST_ENTRIES = ("[Content_Types].xml", "_rels/.rels")
# zlib level for every entry, fixed so the bytes are. Measured on a 1.000-section report
# (docs/performance.md): level 3 saves 0,06 s of a 1,1 s export but makes the file 13 % larger;
# zlib's default 6 keeps files small and the bytes equal to earlier tongket versions' exports.
COMPRESS_LEVEL = 6
#: A streamed entry goes to the compressing thread in batches of this many bytes, at most
#: `_BATCHES_AHEAD` of them waiting: a few megabytes, whatever the document's size.
_BATCH_BYTES = 1 << 20
_BATCHES_AHEAD = 2
#: Seconds the interpreter lets a thread hold the GIL while another waits, during a streamed
#: write (Python's default is 0,005).
_SWITCH_INTERVAL = 0.0001


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
                    _write_alongside(entry, streamed[name])
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


def _write_alongside(entry: IO[bytes], pieces: Iterable[bytes]) -> None:
    """Write `pieces` to a zip entry from a second thread while this one produces them.

    zlib's deflate and CRC release the GIL, so the compression of one batch runs on another
    core while the writer builds the next batch's XML in Python: the same bytes, in the same
    order, in about the time of the slower of the two. Pieces go over in batches of
    `_BATCH_BYTES`, at most `_BATCHES_AHEAD` waiting, and the interpreter's switch interval is
    short meanwhile: each time the compressing thread needs the GIL back (a few times a
    batch) it would otherwise wait up to 5 ms for the busy producer, which took most of the
    gain (docs/performance.md). The first error of either side is raised here, after the
    thread has stopped.
    """
    waiting: Queue[bytes | None] = Queue(_BATCHES_AHEAD)
    failed: list[BaseException] = []

    def compress() -> None:
        while (batch := waiting.get()) is not None:
            if failed:
                continue  # the entry is lost: keep draining so the producer never blocks
            try:
                entry.write(batch)
            except BaseException as error:  # a full disk: the producer raises it
                failed.append(error)

    worker = threading.Thread(target=compress, name="tongket-deflate", daemon=True)
    with _short_switch_interval():
        worker.start()
        try:
            batch: list[bytes] = []
            size = 0
            for piece in pieces:
                if failed:
                    break
                batch.append(piece)
                size += len(piece)
                if size >= _BATCH_BYTES:
                    waiting.put(b"".join(batch))
                    batch.clear()
                    size = 0
            if batch and not failed:
                waiting.put(b"".join(batch))
        finally:
            waiting.put(None)
            worker.join()
    if failed:
        raise failed[0]


_switching = threading.Lock()
_switching_users = 0
_switch_interval_before = 0.0


@contextmanager
def _short_switch_interval() -> Iterator[None]:
    """`_SWITCH_INTERVAL` while any streamed write runs (two exports at once in the app's
    threads included), the interpreter's own interval again after the last one."""
    global _switching_users, _switch_interval_before
    with _switching:
        if _switching_users == 0:
            _switch_interval_before = sys.getswitchinterval()
            sys.setswitchinterval(_SWITCH_INTERVAL)
        _switching_users += 1
    try:
        yield
    finally:
        with _switching:
            _switching_users -= 1
            if _switching_users == 0:
                sys.setswitchinterval(_switch_interval_before)
