"""The `tongket` command: the TUI by default, and headless commands for scripts and CI.

    tongket [FILE.toml]                     open the drafting app (the bundled sample if no file)
    tongket new FILE.toml [--kind KIND]     start an empty report with the standard sections
    tongket export FILE.toml [-o OUT.docx] [--pdf] [--keep-going] [--review]
    tongket check FILE.toml                 validation and NĐ30 rules; exit 0 clean, 1 findings
    tongket render FILE.toml                the whole document as plain text
    tongket plugins [--json]                installed plugins and section types
    tongket new-plugin NAME [--dir DIR]     write a section-plugin package to start from

Exit codes: 0 success, 1 problems in the report, 2 the file cannot be read or the output cannot
be written. No traceback unless `--debug`. The headless commands never import Textual.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from tongket.core.gc_tuning import pause_collection, rare_collection, resume_collection
from tongket.core.problems import ReportFileError
from tongket.core.writers.terminal import terminal_safe

if TYPE_CHECKING:
    import argparse

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_UNREADABLE = 2

#: Commands with their own module under `core/commands/` (`add_arguments(parser)` and
#: `run(args) -> int`), with the help line `tongket --help` shows.
MODULE_COMMANDS = {
    "diff": ("tongket.core.commands.diff", "so sánh hai bản thảo: tệp Word có theo dõi thay đổi"),
    "import": ("tongket.core.commands.import_docx", "đọc công văn/báo cáo Word thành tệp .toml"),
    "split": ("tongket.core.commands.split", "tách mục ra tệp riêng (include)"),
    "join": ("tongket.core.commands.join", "gộp các mục ở tệp riêng về lại báo cáo"),
    "merge": ("tongket.core.commands.merge", "tổng hợp các báo cáo của đơn vị theo đề cương"),
}
COMMANDS = ("new", "export", "check", "render", "plugins", "new-plugin", *MODULE_COMMANDS)
#: Commands that load plugins: they run in a supervised child (see `main`).
SUPERVISED = ("new", "export", "check", "render", "plugins", "diff", "merge")
#: Options that print tongket's version.
VERSION_OPTIONS = ("-V", "--version")


class CommandError(Exception):
    """A failure the user can act on: printed as one line, exit code attached."""

    def __init__(self, message: str, code: int = EXIT_UNREADABLE) -> None:
        super().__init__(message)
        self.code = code


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser for the headless commands.

    only: just this command's subparser (what `main` parses a command with): building every
    command's arguments imports each command module, ~5 ms that `export` would pay for nothing.
    """
    # argparse loads here, not with this module: `_plain_arguments` reads the everyday forms.
    from tongket.core.cli_parser import VietnameseArgumentParser, VietnameseHelpFormatter

    parser = VietnameseArgumentParser(
        prog="tongket",
        description="Soạn báo cáo tổng kết và xuất tệp Word theo Nghị định 30/2020/NĐ-CP.",
        epilog="Không có lệnh: mở ứng dụng soạn thảo (tongket [TỆP.toml]).",
        formatter_class=VietnameseHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", help="in traceback khi có lỗi")
    # Answered by `main` before any parsing (reading the installed version costs an import
    # no other command needs); listed here so that --help shows it.
    parser.add_argument(*VERSION_OPTIONS, action="store_true", help="in số phiên bản rồi thoát")
    # `prog` given: argparse would otherwise build a formatter just to name the subcommands.
    subparsers = parser.add_subparsers(dest="command", metavar="LỆNH", prog="tongket")
    commands = _Subcommands(subparsers)
    for name, (help_line, add_arguments) in _BUILT_IN_COMMANDS.items():
        if only in (None, name):
            add_arguments(commands.add_parser(name, help=help_line))
    for name, (module, help_line) in MODULE_COMMANDS.items():
        if only in (None, name):
            _command_module(module).add_arguments(commands.add_parser(name, help=help_line))
    return parser


def _new_arguments(new: argparse.ArgumentParser) -> None:
    new.add_argument("file", metavar="TỆP.toml")
    new.add_argument("--kind", choices=("cong-van", "bao-cao"), default="cong-van")
    _command_module("tongket.core.commands.new_from_outline").add_arguments(new)


#: `export`'s output option and its switches (argparse's `store_true`), with their help lines.
_EXPORT_OUTPUT = ("-o", "--output")
_EXPORT_SWITCHES = {
    "--pdf": "chuyển thêm sang PDF bằng LibreOffice",
    "--keep-going": "vẫn xuất khi có mục lỗi (mục lỗi hiện thành khối báo lỗi trong văn bản)",
    "--review": (
        "gắn mỗi điều 'tongket check' tìm thấy thành ghi chú góp ý (comment) trong tệp Word"
    ),
}


def _export_arguments(export: argparse.ArgumentParser) -> None:
    export.add_argument("file", metavar="TỆP.toml")
    export.add_argument(*_EXPORT_OUTPUT, metavar="RA.docx", help="mặc định: cạnh tệp vào")
    for switch, help_line in _EXPORT_SWITCHES.items():
        export.add_argument(switch, action="store_true", help=help_line)


def _file_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument("file", metavar="TỆP.toml")


def _plugins_arguments(plugins: argparse.ArgumentParser) -> None:
    plugins.add_argument("--json", action="store_true", help="in dạng JSON")


def _new_plugin_arguments(new_plugin: argparse.ArgumentParser) -> None:
    new_plugin.add_argument("name", metavar="TÊN", help="tên không dấu, ví dụ dau-tu")
    new_plugin.add_argument("--dir", metavar="THƯ_MỤC", help="mặc định: ./tongket-TÊN")
    new_plugin.add_argument("--title", metavar="TIÊU_ĐỀ", help="tên loại mục người soạn thấy")


#: The commands `cli` runs itself: (help line, what adds their arguments), in help order.
_BUILT_IN_COMMANDS: dict[str, tuple[str, Any]] = {
    "new": ("tạo báo cáo trống với các mục chuẩn", _new_arguments),
    "export": ("xuất tệp Word (.docx), tùy chọn PDF", _export_arguments),
    "check": ("kiểm tra dữ liệu và thể thức", _file_argument),
    "render": ("in toàn văn dạng chữ thường ra màn hình", _file_argument),
    "plugins": ("liệt kê plugin và loại mục", _plugins_arguments),
    "new-plugin": (
        "tạo gói plugin loại mục mới (pyproject, mã nguồn, README, kiểm thử)",
        _new_plugin_arguments,
    ),
}


#: The commands `_plain_arguments` reads: a file, the options that take a value (each with
#: its attribute), the switches.
_PLAIN_COMMANDS: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    "export": (dict.fromkeys(_EXPORT_OUTPUT, "output"), tuple(_EXPORT_SWITCHES)),
    "check": ({}, ()),
    "render": ({}, ()),
}


def _plain_arguments(args_list: list[str]) -> SimpleNamespace | None:
    """The arguments of `export`, `check` or `render` in their plain form, as argparse reads
    them; None for any other form, which argparse then reads, with its help and its errors.

    Plain: `--debug` only before the command; after it the file once, each option by its full
    name, an option's value the next word; no word but those starts with "-". Building the
    parser would import argparse, gettext and locale, a tenth of what an export's start-up
    costs beyond Python's own, for the forms that scripts and drafters type every day.
    """
    words = iter(args_list)
    debug = False
    for command in words:
        if command != "--debug":
            break
        debug = True
    else:
        return None
    if command not in _PLAIN_COMMANDS:
        return None
    valued, switches = _PLAIN_COMMANDS[command]
    values: dict[str, Any] = {"debug": debug, "version": False, "command": command, "file": None}
    values.update(dict.fromkeys(valued.values()))
    values.update(dict.fromkeys(map(_destination, switches), False))
    for word in words:
        if word in switches:
            values[_destination(word)] = True
        elif word in valued:
            value = next(words, None)
            if value is None or value.startswith("-"):
                return None
            values[valued[word]] = value
        elif word.startswith("-") or values["file"] is not None:
            return None
        else:
            values["file"] = word
    return SimpleNamespace(**values) if values["file"] is not None else None


def _destination(switch: str) -> str:
    """argparse's attribute name for a switch: "--keep-going" → "keep_going"."""
    return switch.removeprefix("--").replace("-", "_")


class _Subcommands:
    """`add_parser` of the subparsers, each subcommand with tongket's help formatter."""

    def __init__(self, subparsers: Any) -> None:
        self._subparsers = subparsers

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        from tongket.core.cli_parser import VietnameseHelpFormatter

        return self._subparsers.add_parser(name, formatter_class=VietnameseHelpFormatter, **kwargs)


def _command_module(module: str):
    # Each command module imports its heavy parts inside `run`, so building the parser stays cheap.
    import importlib

    return importlib.import_module(module)


def _write_utf8() -> None:
    """Make stdout and stderr write UTF-8 when their encoding is another one.

    Output redirected on a non-UTF-8 locale (Windows' cp1258 has no "ả") or under
    PYTHONIOENCODING=ascii failed on the first such letter, after the work was done: `export`
    had written the file and then stopped on "Đã xuất" with exit 2. UTF-8 is what Python's
    own UTF-8 mode writes, and what a script reading tongket's output expects.
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        try:
            utf8 = encoding is not None and codecs.lookup(encoding).name == "utf-8"
        except LookupError:
            utf8 = False
        if not utf8 and hasattr(stream, "reconfigure"):
            stream.flush()
            stream.reconfigure(encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `tongket` console script."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    command = next((arg for arg in args_list if not arg.startswith("-")), None)
    if argv is None and command in SUPERVISED:
        # The console script: commands that load plugins run in a child that a small parent
        # supervises (a plugin stuck in C code or calling os._exit is named, never hangs).
        from tongket.core.host.supervise import supervised

        return supervised(lambda: main(args_list))
    debug = "--debug" in args_list
    try:
        wanted = next((arg for arg in args_list if arg in COMMANDS), None)
        before = args_list[: args_list.index(wanted)] if wanted else args_list
        help_asked = any(arg in ("-h", "--help") for arg in before)
        if wanted is None and any(arg in VERSION_OPTIONS for arg in before):
            print(f"tongket {_installed_version()}")
            return EXIT_OK
        if wanted is None and not help_asked:
            return _open_app([arg for arg in args_list if arg != "--debug"])
        _write_utf8()
        args = None if help_asked else _plain_arguments(args_list)
        if args is None:
            # Only the command's own subparser, unless the help of them all is asked for.
            args = build_parser(None if help_asked else wanted).parse_args(args_list)
        handler = {
            "new": command_new,
            "export": command_export,
            "check": command_check,
            "render": command_render,
            "plugins": command_plugins,
            "new-plugin": command_new_plugin,
        }.get(args.command)
        with rare_collection():  # a short batch: see tongket.core.gc_tuning
            if handler is None:
                return _command_module(MODULE_COMMANDS[args.command][0]).run(args)
            return handler(args)
    except ReportFileError as error:
        if debug:
            raise
        print(str(error), file=sys.stderr)
        return EXIT_UNREADABLE
    except CommandError as error:
        if debug:
            raise
        print(f"tongket: {terminal_safe(str(error), multiline=False)}", file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if debug:
            raise
        print(
            f"tongket: lỗi không lường trước: {type(error).__name__}: "
            f"{terminal_safe(str(error), multiline=False)} "
            "(chạy lại với --debug để xem chi tiết)",
            file=sys.stderr,
        )
        return EXIT_UNREADABLE


def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tongket")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "(chưa cài đặt)"


def _open_app(args: list[str]) -> int:
    if "--" in args:  # what follows "--" is a file name, even one starting with "-"
        at = args.index("--")
        options, args = args[:at], args[at + 1 :]
    else:
        options = [arg for arg in args if arg.startswith("-") and arg != "-"]
        args = [arg for arg in args if arg not in options]
    if options:
        # An option the app does not know was opened as a report named "--verison", and a
        # save made that file: refused, with where the options are listed.
        raise CommandError(
            f"không hiểu tùy chọn {', '.join(options)} (xem tongket --help; tệp có tên bắt đầu "
            f"bằng '-' thì ghi sau '--': tongket -- {options[0]})"
        )
    if len(args) > 1:
        raise CommandError(f"chỉ mở được một tệp, gặp {len(args)}: {' '.join(args)}")
    path = args[0] if args else None
    if path is not None and Path(path).is_dir():
        raise CommandError(f"{path}: là một thư mục, không phải tệp báo cáo .toml")
    # No collection passes while Textual loads and the report opens; the app resumes them
    # once its outline and editor are shown (`TongketApp._main_screen_ready`).
    pause_collection()
    try:
        from tongket.tui.app import run  # Textual loads only for the app, never for commands

        return run(path)
    finally:
        resume_collection()


def _render(file: str):
    """The rendered report, its bytes (for line numbers) and the plugin host, from one read."""
    from tongket.core.host.pluginhost import PluginHost
    from tongket.core.render.document import render_document
    from tongket.core.report import store

    raw = store.read_report_bytes(file)
    project = store.loads_bytes(raw, file)
    host = PluginHost.for_report(project)
    _warn_plugin_errors(host)
    return render_document(project, host), raw, host


def _findings(file: str, rendered, raw: bytes, host, *, capitalisation: bool = True) -> list:
    """Every check finding with its line; pictures are looked for next to the report.

    The file's text is decoded, and its keys located, only when there is a finding to place:
    for a big report both cost more memory than the rest of the export. `capitalisation`:
    include the viết hoa advice (reading every word of the report; `export` leaves it to
    `check` and the app, since it never changes what is written).
    """
    from tongket.core.checks import check_project, with_lines
    from tongket.core.writers.images import ImageFolders

    found = check_project(
        rendered,
        section_types=host.section_types,
        images=ImageFolders.for_report(file),
        capitalisation=capitalisation,
    )
    # The BOM cut by hand: the "utf-8-sig" codec is a module to import, for three bytes.
    return with_lines(found, raw.removeprefix(codecs.BOM_UTF8).decode()) if found else found


def _warn_plugin_errors(host) -> None:
    # Plugin trouble goes to stderr so piped output (render, --json) stays clean.
    for info in host.plugins.values():
        if info.error:
            message = terminal_safe(f"plugin {info.name}: {info.error}", multiline=False)
            print(f"tongket: cảnh báo: {message}", file=sys.stderr)


def command_new(args: argparse.Namespace) -> int:
    """`tongket new`: write an empty report, refusing to overwrite an existing file."""
    from tongket.core.host.pluginhost import PluginHost
    from tongket.core.report import store
    from tongket.core.report.session import new_project

    target = Path(args.file)
    if target.is_symlink():  # even a dangling one: saving would write where it points
        raise CommandError(
            f"{target}: là liên kết tượng trưng; tongket không tạo tệp qua liên kết, hãy chọn "
            "tên khác"
        )
    if os.path.lexists(target):
        raise CommandError(f"{target}: tệp đã có; chọn tên khác để không ghi đè")
    if not target.parent.exists():
        raise CommandError(f"{target}: thư mục {target.parent} không tồn tại")
    word = target.suffix.lower() == ".docx"
    if word and not args.outline:
        raise CommandError(
            f"{target}: tệp Word chỉ tạo theo đề cương (--outline): biểu mẫu trả lời cho đơn vị "
            "không dùng tongket; báo cáo mới là tệp .toml"
        )
    if not word and target.suffix.lower() != ".toml":
        raise CommandError(f"{target}: tệp báo cáo cần đuôi .toml (hoặc .docx với --outline)")
    form = None
    if args.outline:
        from tongket.core.commands.new_from_outline import reply_from_outline, word_form_docx

        host = PluginHost.default()
        project, outline = reply_from_outline(args, target, host)
        if word:  # for a body without tongket: filled in Word, read back by import and merge
            warnings: list[str] = []
            form = word_form_docx(project, outline, host, warnings)
            for warning in warnings:
                print(terminal_safe(f"tongket: cảnh báo: {target}: {warning}"), file=sys.stderr)
    elif args.agency or args.body:
        raise CommandError("--agency và --body chỉ dùng cùng --outline ĐỀ_CƯƠNG.toml")
    else:
        project = new_project(args.kind, PluginHost.default())
    try:
        # `exclusive`: a file someone creates meanwhile is not replaced either.
        if form is None:
            store.save(project, target, exclusive=True)
        else:  # as private as the outline it is made from
            store.atomic_write(target, form, exclusive=True, new_like=args.outline)
    except FileExistsError:
        raise CommandError(f"{target}: tệp đã có; chọn tên khác để không ghi đè") from None
    except OSError as error:
        raise CommandError(f"{target}: không ghi được: {_os_reason(error)}") from None
    if form is None:
        print(f"Đã tạo {target}")
    else:
        print(f"Đã tạo biểu mẫu trả lời {target}: đơn vị điền vào các bảng rồi gửi lại tệp Word")
    return EXIT_OK


def _output_path(file: str, output: str | None, *, pdf: bool = False) -> Path:
    target = Path(output) if output else Path(file).with_suffix(".docx")
    if pdf and target.suffix.lower() == ".pdf":
        # The PDF goes beside the Word file under the same name: both would be this one file.
        raise CommandError(
            f"{target}: với --pdf, -o là tên tệp Word; hãy dùng -o {target.with_suffix('.docx')} "
            f"(tệp PDF được ghi cạnh nó: {target.name})"
        )
    _check_output(target, file)
    if pdf:
        _check_output(target.with_suffix(".pdf"), file)
    return target


def _check_output(target: Path, file: str) -> None:
    """Refuse an output path that is not a regular file tongket may replace (exit 2)."""
    from tongket.core.report.atomicfile import file_kind, write_protected

    try:
        info = os.lstat(target)  # never opened: a FIFO would block, a device would be written
    except (FileNotFoundError, NotADirectoryError):
        info = None
    except OSError as error:
        raise CommandError(f"{target}: không kiểm tra được ({_os_reason(error)})") from None
    if info is not None and stat.S_ISLNK(info.st_mode):
        raise CommandError(
            f"{target}: là liên kết tượng trưng; tongket không ghi qua liên kết, hãy chọn tệp khác"
        )
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise CommandError(
            f"{target}: là một thư mục; cần đường dẫn tệp {target.suffix or '.docx'}"
        )
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise CommandError(
            f"{target}: là {file_kind(info.st_mode)}, không phải tệp thường; tongket chỉ ghi "
            "ra tệp thường, hãy chọn tên tệp khác"
        )
    if info is not None and Path(file).exists() and target.samefile(file):
        raise CommandError(f"{target}: là chính tệp báo cáo đang xuất; hãy chọn tên tệp .docx")
    if not target.parent.is_dir():
        raise CommandError(f"{target}: thư mục {target.parent} không tồn tại")
    if not os.access(target.parent, os.W_OK):
        raise CommandError(f"{target}: không có quyền ghi")
    if info is not None and write_protected(target):
        raise CommandError(
            f"{target}: không có quyền ghi (tệp chỉ cho đọc); tongket không ghi đè, hãy bỏ "
            "chế độ chỉ đọc hoặc chọn tên tệp khác"
        )


def _os_reason(error: OSError) -> str:
    # Every caller here is writing (or checking a path it is about to write).
    from tongket.core.oserrors import os_cause

    return os_cause(error, "ghi")


def command_export(args: argparse.Namespace) -> int:
    """`tongket export`: validate, then write the DOCX (and PDF) without touching it on failure."""
    from tongket.core.report.store import refuse_unreadable_report

    refuse_unreadable_report(args.file)  # the report's own fault first, then the output's
    target = _output_path(args.file, args.output, pdf=args.pdf)
    rendered, raw, host = _render(args.file)
    # A review copy carries every `check` finding, the viết hoa advice included.
    problems = _findings(args.file, rendered, raw, host, capitalisation=args.review)
    del raw  # only the findings' line numbers needed the file's bytes
    errors = [problem for problem in problems if problem.severity == "error"]
    for problem in problems:
        print(problem.format(args.file), file=sys.stderr)
    if errors and not args.keep_going:
        print(
            f"tongket: chưa xuất: {len(errors)} lỗi cần sửa (hoặc dùng --keep-going để xuất "
            "kèm khối báo lỗi)",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    from tongket.core.writers.docx_writer import export_docx
    from tongket.core.writers.images import ImageFolders

    images = ImageFolders.for_report(args.file)
    plain: bytes | None = None  # with --review, the document without comments, for the PDF
    try:
        if args.review:
            plain = _export_review(rendered, target, images, problems, report=args.file)
        else:
            export_docx(rendered, target, images=images, report=args.file)
    except OSError as error:
        raise CommandError(f"{target}: không ghi được ({_os_reason(error)})") from None
    if args.review:
        print(f"Đã xuất {target} (kèm {len(problems)} ghi chú góp ý)")
    else:
        print(f"Đã xuất {target}")
    if args.pdf:
        from tongket.core.writers.pdf import PdfConversionError, PdfMetadata, convert_to_pdf

        pdf_target = target.with_suffix(".pdf")
        metadata = PdfMetadata.for_document(rendered.project.document)
        try:
            if plain is None:
                convert_to_pdf(target, pdf_target, metadata=metadata)
            else:
                # The PDF is the archival copy: the review comments stay in the Word file.
                import tempfile  # here: it costs start-up time to every other command

                with tempfile.TemporaryDirectory() as folder:
                    source = Path(folder) / target.name
                    source.write_bytes(plain)
                    convert_to_pdf(source, pdf_target, metadata=metadata, new_like=target)
        except PdfConversionError as error:  # the Word file stays: it is written and named above
            raise CommandError(f"{pdf_target}: {error}") from None
        except OSError as error:  # the PDF path changed under us (a folder, a FIFO, …)
            reason = _os_reason(error)
            raise CommandError(f"{pdf_target}: không ghi được ({reason})") from None
        print(f"Đã xuất {pdf_target}")
    if errors:
        # --keep-going asked for the document anyway: the errors are printed above and stand
        # as error blocks in the file, and the export itself succeeded.
        print(f"tongket: đã xuất kèm {len(errors)} lỗi (--keep-going)", file=sys.stderr)
    return EXIT_OK


def _export_review(rendered, target: Path, images, problems: list, *, report: str) -> bytes:
    """Write the DOCX with every finding as a Word comment (python-docx loads only here);
    return the document without them. A new file is shared as `report` is (`export_docx`)."""
    from tongket.core.report.store import atomic_write
    from tongket.core.writers.docx_review import add_review_comments
    from tongket.core.writers.docx_writer import build_docx

    plain = build_docx(rendered, images=images)
    atomic_write(target, add_review_comments(plain, rendered, problems), new_like=report)
    return plain


def command_check(args: argparse.Namespace) -> int:
    """`tongket check`: print every finding as `FILE:LINE: path: message`."""
    rendered, raw, host = _render(args.file)
    problems = _findings(args.file, rendered, raw, host)
    for problem in problems:
        print(problem.format(args.file))
    if not problems:
        print(f"{args.file}: không có vấn đề nào")
        return EXIT_OK
    errors = sum(problem.severity == "error" for problem in problems)
    print(f"{args.file}: {errors} lỗi, {len(problems) - errors} cảnh báo", file=sys.stderr)
    return EXIT_PROBLEMS


def command_render(args: argparse.Namespace) -> int:
    """`tongket render`: the document as plain text on stdout."""
    from tongket.core.writers.textrender import render_text

    rendered, _raw, _host = _render(args.file)
    # Control characters show as visible stand-ins, piped or not (README, "Untrusted text").
    sys.stdout.write(terminal_safe(render_text(rendered)))
    for failure in rendered.failures:
        print(f"tongket: {terminal_safe(str(failure), multiline=False)}", file=sys.stderr)
    return EXIT_PROBLEMS if rendered.failures else EXIT_OK


def command_plugins(args: argparse.Namespace) -> int:
    """`tongket plugins`: every plugin with its section types, hooks and load errors."""
    from tongket.core.host.pluginhost import PluginHost

    host = PluginHost.default()
    listing = host.listing()
    if args.json:
        import json  # here: only this listing needs it

        print(json.dumps(listing, ensure_ascii=False, indent=2))
    else:
        lines: list[str] = []
        for item in listing:
            version = f" {item['version']}" if item["version"] else ""
            origin = item["distribution"] or item["module"]
            lines.append(f"{item['name']}{version} ({item['source']}, {origin})")
            lines.extend(
                f"    {kind['id']} v{kind['version']}: {kind['title']}"
                for kind in item["section_types"]
            )
            if item["hooks"]:
                lines.append(f"    hook: {', '.join(item['hooks'])}")
            if item["error"]:
                lines.append(f"    LỖI: {item['error']}")
            lines.extend(f"    CẢNH BÁO: {warning}" for warning in item["warnings"])
        # Titles and errors come from third-party code: never send their control characters.
        if lines:
            print("\n".join(terminal_safe(line, multiline=False) for line in lines))
    return EXIT_PROBLEMS if any(item["error"] for item in listing) else EXIT_OK


def command_new_plugin(args: argparse.Namespace) -> int:
    """`tongket new-plugin`: write a plugin package to start from, and say what to do next."""
    from tongket.core.scaffold import DEFAULT_TITLE, ScaffoldError, write_plugin

    try:
        names, folder = write_plugin(args.name, args.dir, args.title or DEFAULT_TITLE)
    except ScaffoldError as error:
        raise CommandError(str(error)) from None
    except OSError as error:
        raise CommandError(
            f"{args.dir or args.name}: không ghi được: {_os_reason(error)}"
        ) from None
    print(f"Đã tạo plugin {names.distribution} (loại mục '{names.name}') trong {folder}")
    print("Tiếp theo:")
    print(f"    cd {folder}")
    print("    pip install -e '.[test]'")
    print("    pytest")
    print(f"    tongket plugins          # thấy {names.name} ({names.distribution})")
    print("    tongket render example-report.toml")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover - `python -m tongket.core.cli`
    sys.exit(main())
