"""`tongket import REPLY.docx [-o REPLY.toml] [--outline OUTLINE.toml] [--force]`.

Reads a công văn or báo cáo written in Word (by Word, LibreOffice or tongket) into a report
file (`tongket.core.workflow.docx_import`). What could not be placed is printed on stderr,
one line each with its place; the report is still written (exit 0). A file that is not a
.docx, or an output that exists (without `--force`) or cannot be written, exits 2 and writes
nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of `tongket import`."""
    parser.add_argument("file", metavar="TỆP.docx", help="công văn hoặc báo cáo dạng Word")
    parser.add_argument(
        "-o", "--output", metavar="TỆP.toml", help="tệp báo cáo ghi ra (mặc định: cùng tên .toml)"
    )
    parser.add_argument(
        "--outline",
        metavar="ĐỀ_CƯƠNG.toml",
        help="ghép các mục với đề cương theo số mục và tên mục",
    )
    parser.add_argument("--force", action="store_true", help="ghi đè tệp .toml đã có")


def run(args: argparse.Namespace) -> int:
    """Import the Word file; notes on stderr; exit 0, or CommandError (2) when it cannot."""
    from tongket.core.cli import CommandError, _check_output
    from tongket.core.problems import ReportFileError
    from tongket.core.report.model import OutlineLink
    from tongket.core.report.store import atomic_write, dumps
    from tongket.core.workflow.docx_import import DocxImportError, import_docx
    from tongket.core.workflow.docx_package import DocxReadError, refuse_unreadable_docx
    from tongket.core.writers.terminal import terminal_safe

    source = Path(args.file)
    target = Path(args.output) if args.output else source.with_suffix(".toml")
    if target.suffix.lower() != ".toml":
        raise CommandError(f"{target}: tệp ghi ra cần đuôi .toml")
    try:
        refuse_unreadable_docx(os.fspath(source))  # a mistyped input is named before the output
    except DocxReadError as error:
        raise CommandError(str(error)) from None
    # What the output is (link, folder, FIFO, the input itself) before whether it exists: a
    # FIFO is never "an existing file --force may replace".
    _check_output(target, os.fspath(source))
    if os.path.lexists(target) and not args.force:
        raise CommandError(f"{target}: tệp đã có; thêm --force để ghi đè, hoặc chọn -o tên khác")
    outline = None
    if args.outline:
        from tongket.core.workflow.outline import load_outline

        try:
            outline = load_outline(args.outline)
        except ReportFileError as error:
            raise CommandError(str(error)) from None
    host = None
    if outline is not None:  # to read the figures tables into the types the outline asks for
        from tongket.core.host.pluginhost import PluginHost

        host = PluginHost.default()
    try:
        result = import_docx(source, outline=outline, host=host)
    except DocxImportError as error:
        raise CommandError(str(error)) from None
    if outline is not None:
        body = outline.body_named(result.project.document.agency)
        relative = os.path.relpath(Path(args.outline).resolve(), target.resolve().parent)
        result.project.outline = OutlineLink(Path(relative).as_posix(), body.id if body else "")
        if body is None:
            result.notes.append(
                f"cơ quan '{result.project.document.agency}' không có trong danh sách đơn vị "
                "của đề cương; hãy điền [outline] body"
            )
    from tongket.core.commands import holding

    try:
        # Without --force, a file someone made meanwhile is not replaced either; with it, not
        # one open in the app (its lock is held): the app's next save would undo the import.
        data = dumps(result.project).encode("utf-8")
        with holding(target) if args.force else contextlib.nullcontext():
            # Readable by no more people than the Word file it comes from.
            atomic_write(target, data, exclusive=not args.force, new_like=args.file)
    except FileExistsError:
        raise CommandError(f"{target}: tệp đã có; thêm --force để ghi đè") from None
    except OSError as error:
        from tongket.core.oserrors import os_cause

        raise CommandError(f"{target}: không ghi được ({os_cause(error, 'ghi')})") from None
    for note in result.notes:  # one line each, whatever the document's text holds
        print(terminal_safe(f"{source}: {note}", multiline=False), file=sys.stderr)
    counts = f"{len(result.project.sections)} mục, {len(result.notes)} ghi chú"
    print(terminal_safe(f"Đã nhập {source} → {target} ({counts})"))
    return 0
