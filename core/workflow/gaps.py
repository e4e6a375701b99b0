"""A reply's gaps against its outline (đề cương): what `tongket check` adds for an `[outline]`.

The outline named by the reply's `[outline]` table (relative to the reply) is loaded and its
sections matched to the reply's by number (then by heading, for a renumbered one). A wanted
section that is missing, of another type, or whose data falls short of the outline's `wanted`
(the type's plugin says how: `tongket_outline_gaps`) is a warning naming the section and the
outline: "mục 2.1.: thiếu số liệu năm 2021 của 'kim ngạch xuất khẩu' theo đề cương
de-cuong.toml". An outline that cannot be read is one finding, never a crash. Warnings only:
a gap never stops an export, since a drafter may send what is known by the deadline.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import TYPE_CHECKING

from tongket.core.problems import Problem, ReportFileError
from tongket.core.workflow.outline import (
    Outline,
    OutlineSection,
    load_outline,
    same_name,
    section_key,
    wanted_problems,
)

if TYPE_CHECKING:
    from tongket.core.host.pluginhost import PluginHost
    from tongket.core.report.model import Project, Section

#: Where findings about the outline as a whole are placed: the reply's `[outline]` table.
OUTLINE_PATH = ("outline", "file")


def _warning(path: tuple, message: str) -> Problem:
    return Problem(path, message, "warning")


def outline_file(project: Project, folder: str | os.PathLike[str]) -> Path | None:
    """The outline a reply names, resolved against the reply's folder; None without one."""
    if project.outline is None:
        return None
    return Path(folder) / project.outline.file


def match_sections(outline: Outline, sections: list[Section]) -> list[int | None]:
    """For each outline section, the position of the reply section answering it, or None.

    Numbers match first ("2.1" and "2.1." alike); an outline section whose number is not in
    the reply takes a section of the same type and heading that no number claimed.
    """
    by_number: dict[str, int] = {}
    for index, section in enumerate(sections):
        key = section_key(section.number)
        if key:
            by_number.setdefault(key, index)
    claimed: set[int] = set()
    found: list[int | None] = []
    for wanted in outline.sections:
        index = by_number.get(section_key(wanted.number)) if wanted.number else None
        if index is None or index in claimed:
            index = next(
                (
                    position
                    for position, section in enumerate(sections)
                    if position not in claimed
                    and section.type == wanted.type
                    and same_name(section.heading, wanted.heading)
                    and (not wanted.number or section_key(section.number) not in _numbers(outline))
                ),
                None,
            )
        if index is not None:
            claimed.add(index)
        found.append(index)
    return found


def _numbers(outline: Outline) -> set[str]:
    return {section_key(section.number) for section in outline.sections if section.number}


def outline_gaps(
    project: Project, folder: str | os.PathLike[str], host: PluginHost | None = None
) -> list[Problem]:
    """Every gap of `project` against the outline its `[outline]` table names (warnings).

    folder: the reply's folder, which the outline's path is relative to.
    host: the plugins to ask (by default those the report needs, as `check` loads them).
    """
    path = outline_file(project, folder)
    if path is None or project.outline is None:
        return []
    try:
        outline = load_outline(path)
    except ReportFileError as error:
        return [_warning(OUTLINE_PATH, f"không đọc được đề cương: {error}")]
    if host is None:
        from tongket.core.host.pluginhost import PluginHost

        host = PluginHost.for_report(project)
    # A reply without one of the outline's sections (a Word reply, a body that left out what
    # it has nothing on) still has that type checked, never "no plugin for it".
    host.load_types(section.type for section in outline.sections)
    name = outline.name
    problems = _body_problems(project, outline)
    outline_errors = wanted_problems(outline, host)  # sections with these are not compared
    broken = {problem.path[1] for problem in outline_errors}
    for problem in outline_errors:
        where = f"{outline.file}:{problem.line}" if problem.line else outline.file
        problems.append(
            _warning(OUTLINE_PATH, f"đề cương có lỗi: {where}: {problem.where}: {problem.message}")
        )
    positions = match_sections(outline, project.sections)
    for number, (wanted, index) in enumerate(zip(outline.sections, positions, strict=True)):
        if index is None:
            problems.append(
                _warning(
                    OUTLINE_PATH,
                    f"thiếu mục {wanted.label} ({wanted.type}) theo đề cương {name}",
                )
            )
        elif number not in broken:
            problems.extend(_section_gaps(project, index, wanted, outline, host))
    return problems


def _body_problems(project: Project, outline: Outline) -> list[Problem]:
    link = project.outline
    if link is None or not outline.bodies:
        return []
    agency = " ".join(project.document.agency.split())
    if not link.body.strip():
        # An imported Word reply names no body: the merge matches it by its agency, so does
        # the check; "no body ''" said nothing the drafter could act on.
        if any(same_name(item.name, agency) for item in outline.bodies):
            return []
        known = ", ".join(f"{item.id} ({item.name})" for item in outline.bodies)
        who = (
            f"cơ quan ban hành '{agency}' không có trong danh sách đơn vị của đề cương"
            if agency
            else "báo cáo chưa ghi cơ quan ban hành (document.agency) nên không khớp đơn vị nào"
            " của đề cương"
        )
        return [
            _warning(
                ("outline", "body"),
                f"{who} {outline.name} (có: {known}): nếu là một trong các đơn vị đó, ghi mã đơn "
                "vị vào [outline] body; nếu không, báo cáo vẫn được tổng hợp, xếp sau cùng",
            )
        ]
    body = outline.body(link.body)
    if body is None:
        known = ", ".join(item.id for item in outline.bodies)
        return [
            _warning(
                ("outline", "body"),
                f"đề cương {outline.name} không có đơn vị '{link.body}' (có: {known})",
            )
        ]
    if not same_name(body.name, project.document.agency):
        return [
            _warning(
                ("document", "agency"),
                f"cơ quan ban hành '{project.document.agency}' khác tên đơn vị '{body.name}' "
                f"({body.id}) trong đề cương {outline.name}",
            )
        ]
    return []


def _section_gaps(
    project: Project, index: int, wanted: OutlineSection, outline: Outline, host: PluginHost
) -> list[Problem]:
    from tongket.core.host.pluginhost import PluginFailure

    section = project.sections[index]
    label = section.number or wanted.label
    where = ("sections", index)
    if section.type != wanted.type:
        return [
            _warning(
                (*where, "type"),
                f"mục {label}: loại mục là '{section.type}', đề cương {outline.name} yêu cầu "
                f"'{wanted.type}'",
            )
        ]
    if section.type not in host.section_types:
        return []  # the section's own validation already names the missing plugin
    try:
        found = host.outline_gaps(
            section.type,
            copy.deepcopy(wanted.wanted),
            copy.deepcopy(section.data),
            outline.request,
            section.label,
        )
    except PluginFailure as failure:
        return [_warning(where, f"không so được với đề cương {outline.name}: {failure}")]
    return [
        _warning(
            (*where, "data", *problem.path),
            f"mục {label}: {problem.message} theo đề cương {outline.name}",
        )
        for problem in found
    ]
