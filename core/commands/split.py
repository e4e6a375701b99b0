"""`tongket split REPORT.toml`: move sections out of the report into files of their own.

Each chosen section goes to `THƯ_MỤC/<number>-<slug of heading>.toml` (ASCII, no diacritics:
"2.1. Xuất khẩu" → `phan/2.1-xuat-khau.toml`) and its `[[sections]]` entry becomes
`{ include = "phan/2.1-xuat-khau.toml" }`, so offices can edit their parts while another
assembles the report (see `tongket.core.report.includes`). Every value is kept: loading the
report after the split gives an equal model.

Nothing is overwritten: an existing part file is refused before anything is written, the
report is replaced atomically with the previous version kept as `REPORT.toml.bak`, and while
the command runs it holds the report's lock, so a report open in the app is refused (the
holder named). `tongket join` (core/commands/join.py) brings sections back; both share the
helpers below.
"""

from __future__ import annotations

import argparse
import os
import stat
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tongket.core.report.model import Project, Section

EXIT_OK = 0
EXIT_UNWRITABLE = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`tongket split FILE [--sections 2.1.,2.2. | --all] [--dir phan]`."""
    parser.add_argument("file", metavar="TỆP.toml", help="tệp báo cáo")
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument(
        "--sections", metavar="SỐ,SỐ", help="số các mục cần tách, cách nhau bởi dấu phẩy: 2.1.,2.2."
    )
    chosen.add_argument(
        "--all", action="store_true", help="tách mọi mục còn nằm trong báo cáo (mặc định)"
    )
    parser.add_argument(
        "--dir",
        default="phan",
        metavar="THƯ_MỤC",
        help="thư mục chứa các tệp mục, so với tệp báo cáo (mặc định: phan)",
    )


def _error(message: str, code: int = EXIT_UNWRITABLE) -> Exception:
    from tongket.core.cli import CommandError

    return CommandError(message, code)


def chosen_sections(project: Project, wanted: str | None, file: str) -> list[int]:
    """The positions of the sections `--sections` names (every section when None)."""
    if wanted is None:
        return list(range(len(project.sections)))
    numbers = [number.strip() for number in wanted.split(",") if number.strip()]
    if not numbers:
        raise _error(f"{file}: --sections cần số mục, ví dụ --sections 2.1.,2.2.")
    by_number = {
        _number_key(section.number): index for index, section in enumerate(project.sections)
    }
    found = []
    for number in numbers:
        index = by_number.get(_number_key(number))
        if index is None or not project.sections[index].number:
            known = ", ".join(section.number for section in project.sections if section.number)
            raise _error(f"{file}: không có mục số '{number}' (các mục có số: {known})")
        found.append(index)
    return sorted(set(found))


def _number_key(number: str) -> str:
    # "2.1", "2.1." and " 2.1. " name the same section.
    return number.strip().rstrip(".")


def check_writable(report: Path) -> None:
    """Refuse a report tongket may not replace (read-only file or folder), before any write."""
    from tongket.core.report.atomicfile import write_protected

    folder = Path(os.path.realpath(report)).parent  # a link: the file itself is replaced
    if not os.access(folder, os.W_OK):
        raise _error(f"{report}: không có quyền ghi vào thư mục {folder}")
    if write_protected(report):
        raise _error(f"{report}: tệp chỉ cho đọc (chmod); không ghi đè")


def describe_os_error(error: OSError) -> str:
    """An OS error the way the CLI names it."""
    from tongket.core.cli import _os_reason

    return _os_reason(error)


def part_names(project: Project, indexes: list[int], folder: str) -> dict[int, str]:
    """The `include` path for each chosen section: unique, inside `folder`."""
    from tongket.core.report.includes import part_file_name

    taken = {section.include for section in project.sections if section.include}
    names = {}
    for index in indexes:
        name = part_file_name(project.sections[index], index + 1)
        stem, candidate, counter = name.removesuffix(".toml"), f"{folder}/{name}", 2
        while candidate in taken:
            candidate, counter = f"{folder}/{stem}-{counter}.toml", counter + 1
        taken.add(candidate)
        names[index] = candidate
    return names


def _check_folder(folder: str, file: str) -> str:
    from pathlib import PurePosixPath

    clean = folder.strip().replace("\\", "/").rstrip("/")
    path = PurePosixPath(clean)
    if not clean or path.is_absolute() or ".." in path.parts:
        raise _error(
            f"{file}: --dir '{folder}' phải là thư mục con của thư mục chứa báo cáo "
            "(không tuyệt đối, không có '..')"
        )
    return "/".join(part for part in path.parts if part != ".") or "."


def run(args: argparse.Namespace) -> int:
    """Move the chosen sections into files of their own and rewrite the report."""
    from tongket.core.commands import holding
    from tongket.core.report import store
    from tongket.core.report.includes import IncludeError, resolve_include

    file = args.file
    report = Path(file)
    project, loaded = store.load_with_fingerprint(file)
    folder = _check_folder(args.dir, file)
    indexes = [
        index
        for index in chosen_sections(project, args.sections, file)
        if args.sections is None or _not_split_yet(project.sections[index], file)
    ]
    indexes = [index for index in indexes if project.sections[index].include is None]
    if not indexes:
        print(f"{file}: không còn mục nào nằm trong báo cáo để tách")
        return EXIT_OK
    names = part_names(project, indexes, folder)
    in_the_way = []
    for index, include in names.items():
        try:
            target = resolve_include(file, include)
        except IncludeError as error:  # --dir through a link out of the folder, odd characters
            raise _error(f"{file}: --dir '{args.dir}': {error}") from None
        if os.path.lexists(target):
            in_the_way.append(_already_there(project, index, include, target, file))
    if in_the_way:  # every one named at once: a stopped split may have left several
        raise _error(_in_the_way_message(in_the_way))
    # A report opened through a link keeps its parts beside the file itself (`report_folder`).
    home = Path(os.path.realpath(file)).parent
    check_writable(report)
    new_folders = _missing_folders(home, folder, file, args.dir)
    _check_parts_folder_writable(new_folders[-1].parent if new_folders else home / folder)
    comments = store.file_comment_lines(file)
    with holding(report):
        for index, include in names.items():
            project.sections[index].include = include
        try:
            store.save(project, file, expected=loaded)
        except store.SaveConflict as conflict:
            _undo_parts(project, names, new_folders)
            raise _error(f"{file}: {conflict.message}") from None
        except (OSError, store.ReportFileError) as error:
            _undo_parts(project, names, new_folders)
            reason = describe_os_error(error) if isinstance(error, OSError) else str(error)
            raise _error(f"{file}: không ghi được ({reason}); báo cáo giữ nguyên") from None
        except BaseException:
            # Ctrl-C (or another interruption) after some parts were written: unless the
            # report was already replaced, they would be orphans that make the next split
            # refuse ("tệp đã có").
            if _report_unchanged(report, loaded):
                _undo_parts(project, names, new_folders)
            raise
    for index, include in names.items():
        print(f"{project.sections[index].label}: → {include}")
    print(f"Đã tách {len(names)} mục ra tệp riêng; bản cũ của báo cáo ở {report.name}.bak")
    if comments:
        print(f"{file}: các dòng chú thích '#' của báo cáo không được giữ (bản cũ còn trong .bak)")
    return EXIT_OK


def _already_there(
    project: Project, index: int, include: str, target: Path, file: str
) -> tuple[str, bool]:
    """How the refusal names a part file in the way, and whether it holds exactly the section:
    most likely left by a split that was stopped (killed) before it rewrote the report."""
    from tongket.core.report.atomicfile import read_regular_file
    from tongket.core.report.includes import MAX_PART_BYTES, display_name, part_text

    section = project.sections[index]
    try:
        same = read_regular_file(target, limit=MAX_PART_BYTES, follow_symlinks=False) == (
            part_text(section, project.schema_version).encode("utf-8")
        )
    except OSError:
        same = False
    return display_name(file, include), same


def _in_the_way_message(in_the_way: list[tuple[str, bool]]) -> str:
    names = [shown for shown, _same in in_the_way]
    also = f" (và {', '.join(names[1:])})" if len(names) > 1 else ""
    same = [shown for shown, identical in in_the_way if identical]
    if not same:
        return f"{names[0]}: tệp đã có; không ghi đè{also} (xóa, đổi tên hoặc dùng --dir khác)"
    which = "các tệp này" if len(same) == len(names) else ", ".join(same)
    return (
        f"{names[0]}: tệp đã có; không ghi đè{also}: {which} giống hệt mục cần tách, có lẽ do "
        "một lần tách trước bị ngắt giữa chừng khi báo cáo chưa được ghi lại; xóa rồi chạy lại"
    )


def _check_parts_folder_writable(folder: Path) -> None:
    """Refuse, naming it, a parts folder (or the folder it will be made in) tongket may not
    write into, before anything is written."""
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _error(f"{folder}: không có quyền ghi vào thư mục này (để tạo các tệp mục)")


def _report_unchanged(report: Path, loaded: str) -> bool:
    from tongket.core.report.atomicfile import file_fingerprint

    try:
        return file_fingerprint(report) == loaded
    except OSError:
        return False


def _not_split_yet(section: Section, file: str) -> bool:
    if section.include is not None:
        raise _error(f"{file}: mục {section.label} đã nằm ở tệp riêng {section.include}")
    return True


def _missing_folders(report_folder: Path, folder: str, file: str, given: str) -> list[Path]:
    """The folders of `folder` that do not exist yet, deepest first; refused when one of them
    is a file (or a FIFO…) rather than a folder."""
    from tongket.core.report.atomicfile import file_kind

    missing = []
    current = report_folder
    for name in folder.split("/"):
        current = current / name
        try:
            info = os.stat(current)
        except FileNotFoundError:
            missing.append(current)
            continue
        except OSError as error:
            raise _error(f"{file}: --dir '{given}': {current} {describe_os_error(error)}") from None
        mode = info.st_mode
        if not stat.S_ISDIR(mode):
            raise _error(
                f"{file}: --dir '{given}': {current} là {file_kind(mode)}, không phải thư mục"
            )
        if _others_may_swap_files(info):
            raise _error(
                f"{file}: --dir '{given}': thư mục {current} cho mọi người ghi (chmod o+w), ai "
                "cũng có thể thay các tệp mục trong đó; hãy bỏ quyền ghi của người khác "
                "(chmod o-w) hoặc dùng --dir khác"
            )
    return missing[::-1]


def _others_may_swap_files(info: os.stat_result) -> bool:
    # A folder anyone may write in (another account made `phan/` in a shared /tmp, mode 777)
    # lets anyone replace the parts written there, and so the report's text. The sticky bit
    # (like /tmp itself) protects each file from all but its owner and the folder's owner.
    if not info.st_mode & stat.S_IWOTH:
        return False
    return not (info.st_mode & stat.S_ISVTX and info.st_uid in (os.geteuid(), 0))


def _undo_parts(project: Project, names: dict[int, str], folders: list[Path]) -> None:
    # The report was not rewritten: part files this run created would be orphans. Only those
    # it wrote (recorded in `project.parts`) are removed, never one someone else made; then
    # the folders it made, if nothing else is in them.
    for include in names.values():
        part = project.parts.pop(include, None)
        if part is not None:
            part.path.unlink(missing_ok=True)
    for folder in folders:
        with suppress(OSError):
            folder.rmdir()
