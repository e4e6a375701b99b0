"""`tongket join REPORT.toml`: bring sections kept in their own files back into the report.

The reverse of `tongket split`: each chosen `{ include = "…" }` entry becomes the full
`[[sections]]` table again, every value kept (load → join → load gives an equal model). The
part files stay where they are, and the command says so; `--remove` deletes them once the
report is safely written (their `.bak` copies stay). While it runs the command holds the lock of
the report and of each part it brings back, so a part someone is editing in the app is refused
(the holder named) instead of losing their work.
"""

from __future__ import annotations

import argparse
from contextlib import ExitStack
from pathlib import Path

EXIT_OK = 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`tongket join FILE [--sections 2.1.,2.2.] [--remove]`."""
    parser.add_argument("file", metavar="TỆP.toml", help="tệp báo cáo")
    parser.add_argument(
        "--sections",
        metavar="SỐ,SỐ",
        help="số các mục cần gộp lại, cách nhau bởi dấu phẩy (mặc định: mọi mục ở tệp riêng)",
    )
    parser.add_argument(
        "--remove",
        action="store_true",
        help="xóa các tệp mục sau khi đã gộp vào báo cáo (mặc định: giữ lại)",
    )


def run(args: argparse.Namespace) -> int:
    """Write the chosen included sections back inline and rewrite the report."""
    from tongket.core.cli import CommandError
    from tongket.core.commands import holding
    from tongket.core.commands.split import check_writable, chosen_sections, describe_os_error
    from tongket.core.report import store
    from tongket.core.report.atomicfile import file_fingerprint
    from tongket.core.report.includes import report_folder

    file = args.file
    report = Path(file)
    project, loaded = store.load_with_fingerprint(file)
    indexes = chosen_sections(project, args.sections, file)
    if args.sections is not None:
        for index in indexes:
            section = project.sections[index]
            if section.include is None:
                raise CommandError(f"{file}: mục {section.label} đã nằm trong báo cáo")
    indexes = [index for index in indexes if project.sections[index].include is not None]
    if not indexes:
        print(f"{file}: không có mục nào ở tệp riêng để gộp")
        return EXIT_OK
    check_writable(report)
    parts = {index: project.parts[project.sections[index].include or ""] for index in indexes}
    with ExitStack() as locks:
        locks.enter_context(holding(report))
        for part in parts.values():
            locks.enter_context(holding(part.path))
        for part in parts.values():
            # Saved between our reading it and taking its lock (by a session that has since
            # closed, or an editor that takes no lock): joining the old text would lose that.
            try:
                current = file_fingerprint(part.path)
            except OSError as error:
                raise CommandError(f"{part.display}: {describe_os_error(error)}") from None
            if current != part.fingerprint:
                raise CommandError(
                    f"{part.display}: tệp mục đã thay đổi trên đĩa sau khi đọc (có thể bởi người "
                    "khác); chưa gộp gì: hãy chạy lại lệnh"
                )
        for index in indexes:
            project.sections[index].include = None
        try:
            store.save(project, file, expected=loaded)
        except store.SaveConflict as conflict:
            raise CommandError(f"{file}: {conflict.message}") from None
        except OSError as error:
            reason = describe_os_error(error)
            raise CommandError(f"{file}: không ghi được ({reason}); báo cáo giữ nguyên") from None
        for index, part in parts.items():
            label = project.sections[index].label
            if args.remove:
                # The file the report named: a symbolic link is removed, never the file it
                # leads to (maybe another office's, in a shared folder).
                named = Path(report_folder(file) or ".", part.include)
                named.unlink(missing_ok=True)
                print(f"{label}: đã gộp vào báo cáo, đã xóa {part.display}")
            else:
                print(f"{label}: đã gộp vào báo cáo ({part.display} vẫn giữ, không còn được dùng)")
    print(f"Đã gộp {len(parts)} mục vào {file}; bản cũ của báo cáo ở {report.name}.bak")
    return EXIT_OK
