"""`tongket merge REPLY… --outline OUTLINE.toml -o TONG-HOP.toml [--status]`: consolidation.

Merges the bodies' replies (report files or Word files) to an outline into one consolidated
report (`tongket.core.workflow.merge`). Run again over an existing output when a late reply
arrives: the coordinator's particulars, text and own sections are kept, and so are the
replies merged before (read again from their files; a body's new reply replaces its old one),
so the late reply may be given alone. `--status` prints
who replied, who has not, and whose reply has errors or gaps, and writes nothing.

Exit codes: 0 written (findings are printed as warnings) or every body replied cleanly;
1 with `--status` when a body has not replied or a reply has errors; 2 when the outline, a
reply or the existing output cannot be read, or the output cannot be written.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """REPLY…, --outline, -o, --status."""
    parser.add_argument(
        "replies", nargs="*", metavar="BÁO_CÁO", help="báo cáo của các đơn vị (.toml hoặc .docx)"
    )
    parser.add_argument(
        "--outline", required=True, metavar="ĐỀ_CƯƠNG", help="tệp đề cương (.toml) đã gửi đi"
    )
    parser.add_argument(
        "-o", "--output", metavar="TỔNG_HỢP", help="tệp báo cáo tổng hợp (.toml) ghi ra"
    )
    parser.add_argument(
        "--status",
        action="store_true",
        help="chỉ in tình hình: đơn vị đã gửi, chưa gửi, báo cáo có lỗi hoặc thiếu; không ghi",
    )


def _say(line: str, *, error: bool = False) -> None:
    from tongket.core.writers.terminal import terminal_safe

    print(terminal_safe(line, multiline=False), file=sys.stderr if error else sys.stdout)


def run(args: argparse.Namespace) -> int:
    """Merge, or print the status with `--status`."""
    from tongket.core.cli import EXIT_OK, EXIT_PROBLEMS, CommandError, _check_output
    from tongket.core.host.pluginhost import PluginHost
    from tongket.core.problems import ReportFileError
    from tongket.core.workflow.outline import load_outline
    from tongket.core.workflow.replies import read_reply, status_rows, status_table

    target = Path(args.output) if args.output else None
    if target is not None and not args.status and target.suffix.lower() != ".toml":
        # The consolidation is a report file (TOML) the app opens and a later merge reads
        # again; written under another name it would be neither, and a .docx no Word file.
        raise CommandError(
            f"{target}: tệp tổng hợp (-o) cần đuôi .toml, "
            + (f"không phải '{target.suffix}'" if target.suffix else "tên này không có đuôi")
            + "; bản Word thì tạo sau bằng "
            f"tongket export {target.with_suffix('.toml')}"
        )
    try:
        outline = load_outline(args.outline)
    except ReportFileError as error:
        raise CommandError(f"không đọc được đề cương: {error}") from None
    if target is None and not args.status:
        raise CommandError("cần -o TỆP.toml: tệp báo cáo tổng hợp ghi ra (hoặc --status)")
    base = target.parent if target is not None else Path(".")
    host = PluginHost.default()
    replies = [read_reply(file, outline, base, host) for file in args.replies]
    if args.status:
        rows = status_rows(outline, replies, host)
        for line in status_table(rows):
            _say(line)
        for row in rows:
            for message in [*row.errors, *row.gaps]:
                _say(f"{row.name}: {message}", error=True)
        missing = [row for row in rows if row.body is not None and not row.replied]
        broken = [row for row in rows if row.errors]
        _say(
            f"{len(rows) - len(missing)}/{len(rows)} đơn vị đã gửi; {len(missing)} chưa gửi; "
            f"{len(broken)} có lỗi"
        )
        return EXIT_PROBLEMS if missing or broken else EXIT_OK
    assert target is not None
    unreadable = [reply for reply in replies if reply.error]
    if unreadable:
        for reply in unreadable:
            _say(f"tongket: {reply.error}", error=True)
        raise CommandError(f"chưa tổng hợp: {len(unreadable)} báo cáo không đọc được (xem trên)")
    for reply in replies:
        if os.path.exists(reply.file) and target.exists() and target.samefile(reply.file):
            raise CommandError(f"{target}: là một báo cáo đầu vào; hãy chọn tên tệp khác")
    if target.exists() and target.samefile(args.outline):
        raise CommandError(f"{target}: là tệp đề cương; hãy chọn tên tệp khác để ghi tổng hợp")
    _check_output(target, args.outline)
    return _merge_into(target, outline, replies, host, sources=(args.outline, *args.replies))


def _merge_into(target: Path, outline, replies, host, *, sources: tuple[str, ...]) -> int:
    from tongket.core.cli import EXIT_OK, CommandError, _os_reason
    from tongket.core.commands import holding
    from tongket.core.problems import ReportFileError
    from tongket.core.report import store
    from tongket.core.workflow.merge import merge_replies
    from tongket.core.workflow.replies import earlier_replies

    # The consolidated report's lock, as the app and `split` take it: a report open in the app
    # is refused (its unsaved edits and the merge's would overwrite each other), and two
    # merges into one file run one after the other.
    with holding(target):
        previous = None
        if target.exists():
            try:
                previous = store.load(target)
            except ReportFileError as error:
                raise CommandError(
                    f"không đọc được báo cáo tổng hợp đã có (không ghi đè): {error}"
                ) from None
        earlier = None
        if previous is not None and previous.consolidation is not None:
            # A late reply merged on its own onto the consolidation: the bodies merged before
            # stay, read again from their files (a body's new reply replaces its old one).
            links = [(link.body, link.file) for link in previous.consolidation.replies]
            earlier = earlier_replies(links, replies, outline, target.parent, host, target)
            if earlier.errors:
                for error in earlier.errors:
                    _say(f"tongket: {error}", error=True)
                raise CommandError(
                    f"chưa tổng hợp, {target} giữ nguyên: {len(earlier.errors)} báo cáo đã "
                    "tổng hợp trước không đọc lại được (xem trên)"
                )
            replies = [*replies, *earlier.kept]
        result = merge_replies(outline, replies, host, base=target.parent, previous=previous)
        for note in result.notes:
            _say(f"tongket: cảnh báo: {note}", error=True)
        for finding in result.findings:
            _say(f"{target}: {finding}", error=True)
        try:
            # A new consolidated report carries every reply's text: it is readable by no more
            # people than the most private reply (or the outline). One the coordinator already
            # has keeps the permissions they gave it.
            store.atomic_write(
                target, store.dumps(result.project).encode("utf-8"), new_like=sources
            )
        except OSError as error:
            raise CommandError(f"{target}: không ghi được ({_os_reason(error)})") from None
    bodies = {link.body for link in result.project.consolidation.replies if link.body}
    action = "Đã tổng hợp lại" if previous is not None else "Đã tổng hợp"
    _say(
        f"{action} {len(result.project.consolidation.replies)} báo cáo "
        f"({len(bodies)}/{len(outline.bodies)} đơn vị) vào "
        f"{target}" + (f"; {len(result.findings)} điều cần xem lại" if result.findings else "")
    )
    for line in earlier.lines() if earlier is not None else []:
        _say(line)
    return EXIT_OK
