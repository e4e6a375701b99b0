"""`tongket diff OLD.toml NEW.toml`: NEW's Word file with every change from OLD tracked.

Both reports are loaded and rendered the way `tongket export` does (`cli._render`), exported
with the ordinary writer, and compared by `writers.docx_diff.tracked_changes`: the result is
NEW's document in which each difference is a Word revision (w:ins / w:del) by `--author`,
dated now in UTC (or `SOURCE_DATE_EPOCH`, for reproducible builds). Accepting all changes in
Word or LibreOffice gives NEW's export, rejecting all gives OLD's.

`write_tracked_changes` does the same for the drafting app (an earlier version, such as the
`.bak`, against the report being edited) and raises `TrackedChangesError` with a message to show.
"""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tongket.core.report.model import Project

DEFAULT_AUTHOR = "tongket"
OUTPUT_SUFFIX = "-thay-doi.docx"

__all__ = [
    "DEFAULT_AUTHOR",
    "TrackedChangesError",
    "add_arguments",
    "default_output",
    "revision_time",
    "run",
    "write_tracked_changes",
]


class TrackedChangesError(Exception):
    """The comparison cannot be written; the message (Vietnamese) says which file and why."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`tongket diff CŨ.toml MỚI.toml [-o RA.docx] [--author TÊN] [--keep-going]`."""
    parser.add_argument("old", metavar="CŨ.toml", help="bản trước (ví dụ tệp .bak)")
    parser.add_argument("new", metavar="MỚI.toml", help="bản sau: tệp Word là văn bản của bản này")
    parser.add_argument(
        "-o", "--output", metavar="RA.docx", help=f"mặc định: MỚI{OUTPUT_SUFFIX} cạnh bản sau"
    )
    parser.add_argument(
        "--author",
        metavar="TÊN",
        default=DEFAULT_AUTHOR,
        help=f"người sửa ghi ở mỗi thay đổi (mặc định: {DEFAULT_AUTHOR})",
    )
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="vẫn so sánh khi có mục lỗi (mục lỗi hiện thành khối báo lỗi trong văn bản)",
    )


def default_output(new_file: str | os.PathLike[str]) -> Path:
    """Where the comparison goes by default: beside NEW, named after it."""
    new = Path(new_file)
    return new.with_name(new.stem + OUTPUT_SUFFIX)


def revision_time(environ: dict[str, str] | None = None) -> datetime:
    """The revisions' date: `SOURCE_DATE_EPOCH` when set, otherwise now; UTC, whole seconds."""
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not epoch.isdigit():
            raise ValueError(
                f"SOURCE_DATE_EPOCH={epoch!r}: cần số giây kể từ 01/01/1970 (số nguyên dương)"
            )
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def run(args: argparse.Namespace) -> int:
    """Compare the two reports and write the DOCX with tracked changes."""
    import sys

    from tongket.core.cli import (
        EXIT_OK,
        EXIT_PROBLEMS,
        CommandError,
        _check_output,
        _findings,
        _os_reason,
        _render,
    )
    from tongket.core.report.store import atomic_write, refuse_unreadable_report

    author = _author(args.author, CommandError)
    try:
        when = revision_time()
    except ValueError as error:
        raise CommandError(str(error)) from None
    _refuse_same_file(args.old, args.new, CommandError)
    target = Path(args.output) if args.output else default_output(args.new)
    for file in (args.old, args.new):
        refuse_unreadable_report(file)  # a mistyped report is named before the output
    for file in (args.old, args.new):
        _check_output(target, file)
    rendered = {}
    errors = 0
    for file in (args.old, args.new):
        document, raw, host = _render(file)
        found = [p for p in _findings(file, document, raw, host, capitalisation=False)
                 if p.severity == "error"]  # fmt: skip
        for problem in found:
            print(problem.format(file), file=sys.stderr)
        errors += len(found)
        rendered[file] = document
    if errors and not args.keep_going:
        print(
            f"tongket: chưa so sánh: {errors} lỗi cần sửa (hoặc dùng --keep-going để so sánh "
            "kèm khối báo lỗi)",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    data = _compare(rendered[args.old], rendered[args.new], args.old, args.new, author, when)
    try:
        # Shared no wider than either draft: the deletions carry OLD's text.
        atomic_write(target, data, new_like=(args.new, args.old))
    except OSError as error:
        raise CommandError(f"{target}: không ghi được ({_os_reason(error)})") from None
    from tongket.core.writers.docx_diff import revision_count

    count = revision_count(data)
    if count:
        print(f"Đã ghi {target}: {count} đánh dấu thay đổi (người sửa: {author})")
    else:
        print(f"Đã ghi {target}: hai bản như nhau, không có thay đổi nào")
    return EXIT_OK


def write_tracked_changes(
    old_file: str | os.PathLike[str],
    new_file: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    author: str = DEFAULT_AUTHOR,
    when: datetime | None = None,
    new_project: Project | None = None,
) -> int:
    """Write NEW's DOCX with its changes from OLD tracked to `target` (atomically); return
    the number of revision marks. For the app: prints nothing, raises `TrackedChangesError`.

    `new_project`: the app's draft, compared instead of what `new_file` holds on disk (the
    file then only places its pictures); OLD may then be that very file, as last saved.
    """
    from tongket.core.cli import CommandError, _check_output, _os_reason
    from tongket.core.host.pluginhost import PluginHost
    from tongket.core.problems import ReportFileError
    from tongket.core.render.document import render_document
    from tongket.core.report import store
    from tongket.core.writers.docx_diff import revision_count

    old_file, new_file, target = os.fspath(old_file), os.fspath(new_file), Path(target)
    try:
        author = _author(author, TrackedChangesError)
        if new_project is None:
            _refuse_same_file(old_file, new_file, TrackedChangesError)
        _check_output(target, old_file)
        _check_output(target, new_file)
        rendered = []
        for file, project in ((old_file, None), (new_file, new_project)):
            project = store.load(file) if project is None else project
            rendered.append(render_document(project, PluginHost.for_report(project)))
        data = _compare(*rendered, old_file, new_file, author, when or revision_time())
        store.atomic_write(target, data, new_like=(new_file, old_file))
    except (CommandError, ReportFileError, ValueError) as error:
        raise TrackedChangesError(str(error)) from None
    except OSError as error:
        raise TrackedChangesError(f"{target}: không ghi được ({_os_reason(error)})") from None
    return revision_count(data)


def _compare(old, new, old_file: str, new_file: str, author: str, when: datetime) -> bytes:
    from tongket.core.writers.docx_diff import tracked_changes
    from tongket.core.writers.docx_writer import build_docx
    from tongket.core.writers.images import ImageFolders

    old_docx = build_docx(old, images=ImageFolders.for_report(old_file))
    new_docx = build_docx(new, images=ImageFolders.for_report(new_file))
    return tracked_changes(old_docx, new_docx, author=author, when=when)


def _author(name: str, error: type[Exception]) -> str:
    from tongket.core.writers.sanitize import clean_text

    author = " ".join(clean_text(name).split())
    if not author:
        raise error("--author: cần tên người sửa (không để trống)")
    return author


def _refuse_same_file(old_file: str, new_file: str, error: type[Exception]) -> None:
    try:
        same = os.path.samefile(old_file, new_file)
    except OSError:  # a missing file is named when it is read
        same = os.path.abspath(old_file) == os.path.abspath(new_file)
    if same:
        raise error(f"{new_file}: bản trước và bản sau là cùng một tệp; cần hai bản để so sánh")
