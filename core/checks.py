"""`tongket check`: the sections' own validation plus NĐ30 rules on the particulars.

Findings are `Problem`s with a dotted path from the top of the file ("document.distribution",
"sections.4.data.periods.2.stated_growth"), so a drafter can find the field at fault.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from . import vnformat
from .blocks import Heading, Paragraph
from .citations import repeated_full_mentions
from .document import RenderedDocument, subject_prefix
from .model import KINDS, SIGNER_PREFIXES, Particulars, Project
from .problems import PathPart, Problem
from .sanitize import illegal_characters
from .store import to_table
from .tomlpos import locate_key

#: One field longer than this (about 30 printed pages) is almost surely a paste gone wrong.
MAX_FIELD_LENGTH = 100_000
#: Official mixed-case ký hiệu codes (Phụ lục III); every other group is upper case.
MIXED_CASE_CODES = ("QyĐ", "CTr", "TTr", "TrS")
_SYMBOL_GROUP = re.compile(r"^[A-Za-zĐđ0-9]+$")


def symbol_problem(symbol: str) -> str | None:
    """Why a ký hiệu does not have the NĐ30 shape ("SCT-VP", "BC-UBND"), or None."""
    if not symbol:
        return "thiếu ký hiệu văn bản (ví dụ SCT-VP)"
    if " " in symbol:
        return f"ký hiệu '{symbol}' có khoảng trắng; các nhóm chữ nối bằng '-' liền nhau"
    for group in symbol.split("-"):
        if not group:
            return f"ký hiệu '{symbol}' có nhóm rỗng (hai dấu '-' liền nhau hoặc '-' ở đầu/cuối)"
        if not _SYMBOL_GROUP.match(group):
            return f"nhóm '{group}' trong ký hiệu '{symbol}' chỉ được có chữ và số"
        if group not in MIXED_CASE_CODES and group != group.upper():
            return f"nhóm '{group}' trong ký hiệu '{symbol}' phải viết in hoa"
    return None


def particulars_problems(document: Particulars) -> list[Problem]:
    """NĐ30 rules on the particulars: Nơi nhận, recipients, signer, date, number and symbol."""
    path = ("document",)
    problems: list[Problem] = []

    def add(key: tuple, message: str, severity: str = "error") -> None:
        problems.append(Problem((*path, *key), message, severity))  # type: ignore[arg-type]

    if document.kind not in KINDS:
        add(("kind",), f"cần một trong {', '.join(KINDS)}")
    if not document.agency.strip():
        add(("agency",), "thiếu tên cơ quan ban hành")
    if document.number.strip() and not document.number.strip().isdigit():
        add(("number",), f"số văn bản chỉ gồm chữ số, gặp '{document.number}'")
    symbol = symbol_problem(document.symbol)
    if symbol:
        add(("symbol",), symbol)
    if not document.place.strip():
        add(("place",), "thiếu địa danh cho dòng ngày tháng")
    if document.date is None:
        add(("date",), "thiếu ngày ban hành (dạng YYYY-MM-DD)")
    subject = document.subject.strip()
    if not subject:
        add(("subject",), "thiếu trích yếu")
    elif prefix := subject_prefix(document):
        add(
            ("subject",),
            f"trích yếu bắt đầu bằng '{prefix}': NĐ30 in 'V/v …' và tongket tự thêm, "
            "hãy bỏ tiền tố này khỏi trích yếu",
            "warning",
        )
    if document.kind == "cong-van" and not [name for name in document.recipients if name.strip()]:
        add(("recipients",), "công văn cần ít nhất một nơi nhận ở dòng 'Kính gửi'")
    signer = document.signer
    if signer.prefix not in SIGNER_PREFIXES:
        allowed = ", ".join(prefix for prefix in SIGNER_PREFIXES if prefix)
        add(("signer", "prefix"), f"thẩm quyền ký phải để trống hoặc là một trong {allowed}")
    if not signer.head_title.strip():
        add(("signer", "head_title"), "thiếu chức vụ người đứng đầu (ví dụ GIÁM ĐỐC)")
    if signer.prefix in ("KT.", "TL.", "TUQ.") and not signer.signer_title.strip():
        add(("signer", "signer_title"), f"ký '{signer.prefix}' cần chức vụ của người ký")
    if not signer.name.strip():
        add(("signer", "name"), "thiếu họ tên người ký")
    items = [item.strip() for item in document.distribution if item.strip()]
    if not items:
        add(("distribution",), "thiếu Nơi nhận (mục cuối là 'Lưu: VT, …')")
    elif not items[-1].removeprefix("-").strip().startswith("Lưu:"):
        add(("distribution",), f"mục cuối của Nơi nhận phải là 'Lưu: …', gặp '{items[-1]}'")
    if (
        document.kind == "cong-van"
        and items
        and not items[0].removeprefix("-").strip().startswith("Như trên")
    ):
        add(("distribution",), "công văn thường mở đầu Nơi nhận bằng 'Như trên'", "warning")
    if not document.closing.strip():
        add(("closing",), "thiếu câu kết (ví dụ 'Sở Công Thương kính báo cáo./.')", "warning")
    return problems


def citation_problems(rendered: RenderedDocument) -> list[Problem]:
    """Later mentions of a cited document written out in full by hand (NĐ30 II.6.b)."""
    paragraphs: list[tuple[int, str]] = []
    for result in rendered.sections:
        for block in result.blocks:
            if isinstance(block, Paragraph | Heading):
                text = block.line if isinstance(block, Heading) else block.text
                paragraphs.append((result.index, text))
    findings = repeated_full_mentions([text for _, text in paragraphs], rendered.project.citations)
    problems = []
    for paragraph_index, key, excerpt in findings:
        section_index = paragraphs[paragraph_index][0]
        citation = rendered.project.citations[key]
        problems.append(
            Problem(
                ("sections", section_index, "data"),
                f"'{excerpt}…' nhắc lại đầy đủ văn bản đã dẫn [[{key}]]; lần sau chỉ ghi "
                f"'{citation.kind} số {citation.number}' (hoặc dùng [[{key}]])",
                "warning",
            )
        )
    return problems


def _strings(value: Any, path: tuple[PathPart, ...]) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def text_problems(project: Project) -> list[Problem]:
    """Every text field holding characters Word cannot store, or runaway length, by its path.

    The characters (C0 controls, U+FFFE/U+FFFF, lone surrogates: pasted from PDFs and old
    .doc files) are dropped by the DOCX writer's sanitiser, so they are warnings; a field over
    `MAX_FIELD_LENGTH` characters is an error.
    """
    problems: list[Problem] = []
    # The table mirrors the file, so the paths are the file's own dotted keys.
    for path, text in _strings(to_table(project), ()):
        if len(text) > MAX_FIELD_LENGTH:
            problems.append(
                Problem(
                    path,
                    f"dài {vnformat.number(len(text))} ký tự, quá giới hạn "
                    f"{vnformat.number(MAX_FIELD_LENGTH)} ký tự của một ô; có thể đã dán nhầm",
                )
            )
        found = illegal_characters(text)
        if found:
            shown = ", ".join(f"{code} ở ký tự thứ {position + 1}" for position, code in found[:3])
            more = f" và {len(found) - 3} ký tự khác" if len(found) > 3 else ""
            problems.append(
                Problem(
                    path,
                    f"có ký tự không hợp lệ trong Word ({shown}{more}); sẽ bị bỏ khi xuất tệp Word",
                    "warning",
                )
            )
    return problems


def check_project(rendered: RenderedDocument) -> list[Problem]:
    """Every finding for a rendered report, particulars first, then sections in order."""
    project: Project = rendered.project
    return [
        *particulars_problems(project.document),
        *text_problems(project),
        *rendered.problems,
        *citation_problems(rendered),
    ]


def with_lines(problems: list[Problem], text: str) -> list[Problem]:
    """The same problems, each given the line of the TOML text that holds its field."""
    return [
        Problem(problem.path, problem.message, problem.severity, locate_key(text, problem.path))
        for problem in problems
    ]
