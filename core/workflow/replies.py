"""The replies a coordinator collects: reading them (TOML or Word), which body each is from, and
the status of an outline's replies (who replied, who is missing, whose reply has errors or gaps).

`tongket merge --status` prints `status_rows`; the app's status screen shows the same rows for
a consolidated report (its `[consolidation]` table names the outline and the replies).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tongket.core.host.merging import name_key
from tongket.core.problems import ReportFileError
from tongket.core.report.atomicfile import (
    FileTooLarge,
    NotARegularFile,
    account_name,
    digest_regular_file,
    file_kind,
    fingerprint,
    group_name,
    read_regular_file,
)
from tongket.core.report.model import OutlineLink, Project
from tongket.core.workflow.outline import Body, Outline

if TYPE_CHECKING:
    from tongket.core.host.pluginhost import PluginHost

#: How many files a note about a body's several replies names.
NAMED_FILES = 3
#: Replies read as Word files (through `tongket.core.workflow.docx_import`).
WORD_SUFFIXES = (".docx",)
#: The largest reply read as a report file: one body's report is kilobytes, a district's
#: consolidation sent up as a reply a few megabytes; a bigger file is refused before reading.
MAX_REPLY_BYTES = 64 * 1024 * 1024
#: The largest Word reply (pictures make them big; its parts have their own limits).
MAX_WORD_REPLY_BYTES = 512 * 1024 * 1024


@dataclass
class Reply:
    """One body's reply as the coordinator received it."""

    file: str  # the path as given
    shown: str  # relative to the consolidated report's folder, with "/": how files are named
    project: Project | None = None
    body: Body | None = None
    error: str = ""  # why the file could not be read; `project` is None then
    notes: list[str] = field(default_factory=list)  # what importing it could not place
    digest: str = ""  # the file's content hash: a copy of a reply is merged once

    @property
    def body_name(self) -> str:
        """The body's name as text writes it ("Sở Công Thương"), or the agency the reply names
        when the outline does not list it."""
        if self.body is not None:
            return text_name(self.body.name)
        agency = self.project.document.agency.strip() if self.project else ""
        return text_name(agency) if agency else Path(self.file).stem


def text_name(name: str) -> str:
    """An agency's name as running text writes it: "SỞ KẾ HOẠCH VÀ ĐẦU TƯ" (the letterhead's
    capitals, as outlines often list bodies) → "Sở Kế hoạch và Đầu tư", by the viết hoa rules'
    curated names; a name they do not know is kept as written."""
    if not name.isupper():
        return name
    from tongket.core.render.viethoa import apply_suggestions, capitalisation_findings

    # A line all in capitals is a letterhead to the rules, left alone: read it inside a phrase.
    phrase = f"của {name}"
    cased = apply_suggestions(phrase, capitalisation_findings(phrase))[len("của ") :]
    return name if cased.isupper() else cased


def relative_name(path: str | os.PathLike[str], base: str | os.PathLike[str]) -> str:
    """`path` relative to the folder `base`, with "/" (how the consolidated file names it)."""
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(base))
    return Path(relative).as_posix()


_TABLES: dict[int, tuple[Outline, dict[str, Body], dict[str, Body]]] = {}


def _bodies_by_key(outline: Outline) -> tuple[dict[str, Body], dict[str, Body]]:
    # One look-up table per outline: with 1.260 bodies, comparing names pairwise is quadratic.
    # (Keyed by identity: an outline holds tables, so it cannot be hashed.)
    cached = _TABLES.get(id(outline))
    if cached is not None and cached[0] is outline:
        return cached[1], cached[2]
    by_id = {body.id: body for body in outline.bodies}
    by_name: dict[str, Body] = {}
    for body in outline.bodies:
        by_name.setdefault(name_key(body.name), body)
    _TABLES.clear()
    _TABLES[id(outline)] = (outline, by_id, by_name)
    return by_id, by_name


def _reply_body(project: Project, outline: Outline) -> Body | None:
    # A reply made from the outline says which body it is; any other is matched by its agency.
    by_id, by_name = _bodies_by_key(outline)
    if project.outline is not None and project.outline.body in by_id:
        return by_id[project.outline.body]
    return by_name.get(name_key(project.document.agency))


def read_reply(
    path: str | os.PathLike[str],
    outline: Outline,
    base: str | os.PathLike[str],
    host: PluginHost | None = None,
) -> Reply:
    """Read one reply (a report file, or a Word file imported against `outline`, its figures
    tables read through `host` when given); a file that cannot be read is a `Reply` with
    `error` set, never an exception."""
    file = os.fspath(path)
    reply = Reply(file, relative_name(file, base))
    reply.error = _not_a_reply(file, outline) or _foreign_link(file)
    if reply.error:
        return reply
    word = file.lower().endswith(WORD_SUFFIXES)
    try:
        # Never opens a FIFO or a device; a huge (or growing) file is refused, not read whole.
        if word:
            reply.digest = digest_regular_file(file, limit=MAX_WORD_REPLY_BYTES)
        else:
            raw = read_regular_file(file, limit=MAX_REPLY_BYTES)
            reply.digest = fingerprint(raw)
    except OSError as error:
        reply.error = f"{file}: {_os_reason(error)}"
        return reply
    try:
        if word:
            from tongket.core.workflow.docx_import import DocxImportError, import_docx

            try:
                result = import_docx(file, outline=outline, host=host)
            except DocxImportError as error:
                reply.error = str(error)
                return reply
            reply.project = result.project
            reply.notes = list(result.notes)
        else:
            from tongket.core.report import store

            reply.project = store.loads_bytes(raw, file)
    except ReportFileError as error:
        reply.error = str(error)
        return reply
    reply.body = _reply_body(reply.project, outline)
    return reply


def _not_a_reply(file: str, outline: Outline) -> str:
    """Why `file` is no reply to read (missing, a folder, a FIFO, the outline), or ""."""
    try:
        info = os.stat(file)
    except FileNotFoundError:
        return f"{file}: không tìm thấy tệp"
    except OSError as error:
        return f"{file}: {_os_reason(error)}"
    if not stat.S_ISREG(info.st_mode):
        return f"{file}: là {file_kind(info.st_mode)}, không phải tệp báo cáo (.toml hoặc .docx)"
    try:
        if os.path.samestat(info, os.stat(outline.file)):
            return f"{file}: là tệp đề cương (--outline), không phải báo cáo của một đơn vị"
    except OSError:
        pass  # the outline was read already; gone meanwhile is no business of this reply
    return ""


def _foreign_link(file: str) -> str:
    """Why `file` is not read though this account may read it: on its way is a symbolic link
    that another account made to a file of yet another account (one sender's link to the
    coordinator's private draft would copy that draft into the consolidation), or ""."""
    me = os.geteuid()
    parts = Path(file).parts
    prefix = ""
    for index, part in enumerate(parts):
        prefix = os.path.join(prefix, part) if prefix else part
        try:
            link = os.lstat(prefix)
            if not stat.S_ISLNK(link.st_mode) or link.st_uid in (me, 0):
                continue
            target = os.stat(prefix)
        except OSError:
            return ""  # what cannot be looked at is said when it is read
        if target.st_uid == link.st_uid:
            continue
        if index == len(parts) - 1:
            shown, what = f"{file}: là liên kết tượng trưng", "tệp"
        else:
            shown, what = f"{file}: đường dẫn đi qua liên kết tượng trưng {prefix}", "thư mục"
        return (
            f"{shown} do tài khoản {account_name(link.st_uid)} tạo, trỏ tới {what} của tài khoản "
            f"{account_name(target.st_uid)}; tongket không đọc tệp của người khác qua liên kết "
            "(hãy đặt chính tệp báo cáo vào thư mục, không phải liên kết)"
        )
    return ""


def readers_left_out(source: str, made: str | os.PathLike[str]) -> str:
    """Who may read the file `made` but not `source` ("mọi tài khoản", "nhóm baocao"), or ""
    (also when either cannot be looked at): what `made` would show them of `source`."""
    try:
        source_info, made_info = os.stat(source), os.stat(made)
    except OSError:
        return ""
    source_mode, made_mode = source_info.st_mode, made_info.st_mode
    if made_mode & stat.S_IROTH and not source_mode & stat.S_IROTH:
        return "mọi tài khoản"
    group_reads_source = source_mode & stat.S_IROTH or (
        source_mode & stat.S_IRGRP and source_info.st_gid == made_info.st_gid
    )
    if made_mode & stat.S_IRGRP and not group_reads_source:
        return f"nhóm {group_name(made_info.st_gid)}"
    return ""


def _os_reason(error: OSError) -> str:
    if isinstance(error, FileTooLarge):
        return (
            f"tệp lớn hơn {error.limit // (1024 * 1024):,} MB".replace(",", ".")
            + ", quá giới hạn của một báo cáo; không đọc"
        )
    if isinstance(error, NotARegularFile):
        return f"là {error.kind}, không phải tệp báo cáo (.toml hoặc .docx)"
    if isinstance(error, PermissionError):
        return "không có quyền đọc tệp"
    from tongket.core.oserrors import os_cause

    return f"không đọc được tệp ({os_cause(error, 'đọc')})"


@dataclass
class Earlier:
    """The replies an earlier merge took in that a merge over its output keeps
    (`earlier_replies`)."""

    kept: list[Reply] = field(default_factory=list)  # read again from their files
    replaced: list[tuple[str, str, str]] = field(default_factory=list)  # (body, old, new)
    errors: list[str] = field(default_factory=list)  # kept replies that cannot be read

    def lines(self) -> list[str]:
        """What the merge says it kept and replaced, one line each."""
        lines = []
        if self.kept:
            named = "; ".join(f"{reply.body_name} ({reply.shown})" for reply in self.kept)
            lines.append(
                f"giữ {len(self.kept)} báo cáo đã tổng hợp trước (đọc lại từ tệp): {named}"
            )
        lines.extend(
            f"{body}: {new} thay cho {old} đã tổng hợp trước" for body, old, new in self.replaced
        )
        return lines


def _same_file(left: str, right: str) -> bool:
    if os.path.abspath(left) == os.path.abspath(right):
        return True
    try:
        return os.path.samefile(left, right)
    except OSError:
        return False


def earlier_replies(
    links: list[tuple[str, str]],
    given: list[Reply],
    outline: Outline,
    base: str | os.PathLike[str],
    host: PluginHost | None = None,
    consolidation: str | os.PathLike[str] | None = None,
) -> Earlier:
    """The replies an earlier merge took in (`links`: its `[consolidation]` replies, (body id,
    file relative to `base`)) that a merge of `given` over its output keeps: each is read again
    from its file, unless it is given again or a reply given now is of its body (a body's new
    reply replaces its old one). One that cannot be read is an error: merging without it would
    drop the body's figures from the consolidation.

    So is one that people who may read the `consolidation` file may not read: anyone who may
    write the consolidation may write a path in its `[consolidation]`, and a merge reading
    that path on its own would copy someone's private file to them. Named in the command, the
    same file is merged: then it is the coordinator's choice."""
    result = Earlier()
    bodies = {reply.body.id: reply for reply in given if reply.body is not None}
    for body_id, name in links:
        path = name if os.fspath(base) in ("", ".") else os.path.join(os.fspath(base), name)
        if any(_same_file(path, reply.file) for reply in given):
            continue
        newer = bodies.get(body_id) if body_id else None
        if newer is None:
            reply = read_reply(path, outline, base, host)
            left_out = readers_left_out(path, consolidation) if consolidation else ""
            if left_out and not reply.error:
                result.errors.append(
                    f"{reply.shown}: {left_out} đọc được bản tổng hợp nhưng không đọc được tệp "
                    "này (báo cáo đã tổng hợp trước); không tự đọc lại để khỏi lộ nội dung "
                    "của nó: nếu đúng là báo cáo cần tổng hợp, nêu tệp trong lệnh"
                )
                continue
            if reply.error:
                result.errors.append(
                    f"{reply.error} (báo cáo đã tổng hợp trước"
                    + (f" của đơn vị '{body_id}'" if body_id else "")
                    + "; hãy đặt lại tệp ở đó, hoặc nêu báo cáo mới của đơn vị này trong lệnh)"
                )
                continue
            if reply.body is None or reply.body.id not in bodies:
                result.kept.append(reply)
                continue
            newer = bodies[reply.body.id]
        result.replaced.append((newer.body_name, relative_name(path, base), newer.shown))
    return result


def distinct_replies(replies: list[Reply]) -> tuple[list[Reply], list[tuple[Reply, Reply]]]:
    """The replies without repeats, and each repeat with the reply it repeats: the same file
    named twice, or a byte-identical copy, is merged once (the first by name, whatever the
    order given). Replies of one body that differ are all kept (`repeated_bodies`)."""
    kept: dict[str, Reply] = {}
    result: list[Reply] = []
    repeats: list[tuple[Reply, Reply]] = []
    for reply in sorted(replies, key=lambda item: (item.shown, item.file)):
        first = kept.get(reply.digest) if reply.digest else None
        if first is None:
            if reply.digest:
                kept[reply.digest] = reply
            result.append(reply)
        else:
            repeats.append((reply, first))
    return result, repeats


def repeat_note(reply: Reply, first: Reply) -> str:
    """What the merge says of a reply it leaves out as a repeat of `first`."""
    if first.shown == reply.shown:
        return f"{reply.shown}: được nêu hai lần; chỉ tổng hợp một lần"
    return f"{reply.shown}: giống hệt {first.shown} (cùng nội dung); chỉ tổng hợp một lần"


def reply_order(outline: Outline) -> Callable[[Reply], tuple[int, str]]:
    """The sort key of replies: the outline's body order, then the file's name."""
    positions = {body.id: index for index, body in enumerate(outline.bodies)}

    def key(reply: Reply) -> tuple[int, str]:
        body = reply.body.id if reply.body is not None else None
        return positions.get(body, len(positions)), reply.shown

    return key


def repeated_bodies(replies: list[Reply]) -> list[str]:
    """One note per body that sent more than one reply (all are merged: a body may answer in
    parts; a replaced version is for the coordinator to leave out)."""
    files: dict[str, list[str]] = {}
    for reply in replies:
        if reply.body is not None:
            files.setdefault(reply.body.id, []).append(reply.shown)
    notes = []
    for reply in replies:
        shown = files.get(reply.body.id if reply.body is not None else "", [])
        if len(shown) > 1 and shown[0] == reply.shown:
            listed = ", ".join(shown[:NAMED_FILES])
            more = f" và {len(shown) - NAMED_FILES} tệp khác" if len(shown) > NAMED_FILES else ""
            notes.append(
                f"{reply.body.name} gửi {len(shown)} báo cáo ({listed}{more}); tất cả được "
                "tổng hợp, hãy bỏ bản cũ nếu có bản thay thế"
            )
    return notes


@dataclass
class StatusRow:
    """One body of the outline: its replies, their errors and their gaps."""

    body: Body | None  # None: a reply the outline's bodies do not include
    replies: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    agency: str = ""  # a reply of no listed body: the agency it names

    @property
    def name(self) -> str:
        if self.body is not None:
            return self.body.name
        return f"{self.agency} (không có trong đề cương)".lstrip()

    @property
    def replied(self) -> bool:
        return bool(self.replies)


def _reply_problems(reply: Reply, outline: Outline, host: PluginHost) -> tuple[list, list]:
    """A reply's errors (validation) and gaps against the outline (as `check` finds them)."""
    from tongket.core.render.document import render_document

    project = reply.project
    assert project is not None
    rendered = render_document(project, host)
    errors = [f"{problem.where}: {problem.message}" for problem in rendered.errors]
    try:
        from tongket.core.workflow.gaps import outline_gaps
    except ImportError:  # gaps come with the outline; without them, errors only
        return errors, []
    folder = Path(reply.file).parent
    if project.outline is None:
        # A reply not made from the outline (the sample, a Word file) is held against it too;
        # one of no listed body as well (its sections are asked of everyone).
        body_id = reply.body.id if reply.body is not None else ""
        project.outline = OutlineLink(relative_name(outline.file, folder), body_id)
    gaps = [problem.message for problem in outline_gaps(project, folder, host)]
    return errors, gaps


def status_rows(outline: Outline, replies: list[Reply], host: PluginHost) -> list[StatusRow]:
    """A row per body of the outline (in its order), then one per reply of no listed body."""
    rows = {body.id: StatusRow(body) for body in outline.bodies}
    strays: list[StatusRow] = []
    readable, repeats = distinct_replies([reply for reply in replies if not reply.error])
    for reply in sorted([*readable, *(r for r in replies if r.error)], key=reply_order(outline)):
        if reply.body is not None:
            row = rows[reply.body.id]
        else:
            agency = reply.project.document.agency.strip() if reply.project else ""
            row = StatusRow(None, agency=" ".join(agency.split()))
            strays.append(row)
        row.replies.append(reply.shown)
        if reply.error:
            row.errors.append(reply.error)
            continue
        errors, gaps = _reply_problems(reply, outline, host)
        row.errors.extend(errors)
        # A body the outline does not list is no error: `merge` takes its reply in, last, with
        # a warning; the row's name says so, and the gaps (its warning among them) count it.
        row.gaps.extend(gaps)
    for repeat, first in repeats:  # listed beside the reply it copies, checked once
        for row in [*rows.values(), *strays]:
            if first.shown in row.replies:
                shown = f"{repeat.shown} (trùng {first.shown})"
                if shown not in row.replies:
                    row.replies.append(shown)
    return [*rows.values(), *strays]


def status_table(rows: list[StatusRow]) -> list[str]:
    """The rows as aligned lines: body, reply file(s), number of errors, of gaps."""
    header = ("Đơn vị", "Báo cáo", "Lỗi", "Thiếu")
    cells = [
        (row.name, ", ".join(row.replies) or "CHƯA GỬI", str(len(row.errors)), str(len(row.gaps)))
        for row in rows
    ]
    widths = [max(len(line[column]) for line in [header, *cells]) for column in range(4)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in [header, *cells]
    ]
