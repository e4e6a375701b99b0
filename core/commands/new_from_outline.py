"""`tongket new REPLY.toml --outline OUTLINE.toml --agency …`: a reply skeleton from an outline.

The skeleton cites the request letter (a `Công văn` citation, mentioned in the opening
"Thực hiện [[…]], … báo cáo như sau:"), is addressed to the requesting body with the request's
subject, and has every section the outline wants, in order, with its number, heading and
guidance (shown in the app, never exported) and its data pre-filled by the section type's
plugin (`tongket_outline_prefill`: the wanted years present, their values empty). Its
`[outline]` table names the outline (relative to the reply) and the replying body, so
`tongket check` reports the gaps still open.
"""

from __future__ import annotations

import argparse
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from tongket.core.render.viethoa import agency_in_sentence
from tongket.core.render.viethoa_names import PEOPLES_COMMITTEES, council_of

if TYPE_CHECKING:
    from tongket.core.host.pluginhost import PluginHost
    from tongket.core.report.model import Project
    from tongket.core.workflow.outline import Body, Outline


class ReplyError(ValueError):
    """An outline and options that cannot make a reply (an unknown body, a bad `wanted`)."""


def citation_key(outline: Outline) -> str:
    """The request letter's key in `[citations]`: "cv2016" (its number), else "cv_de_nghi"."""
    number = re.sub(r"[^0-9A-Za-z]", "", outline.request.number)
    return f"cv{number}" if number else "cv_de_nghi"


def choose_body(outline: Outline, agency: str, body_id: str | None) -> Body | None:
    """The replying body: `body_id` if given, else the one named `agency`; None when the
    outline lists no bodies. `ReplyError` when neither identifies one of its bodies."""
    if not outline.bodies:
        if body_id:
            raise ReplyError(
                f"{outline.file}: đề cương không có [[bodies]] nên không có '{body_id}'"
            )
        return None
    known = ", ".join(f"{body.id} ({body.name})" for body in outline.bodies)
    if body_id:
        body = outline.body(body_id)
        if body is None:
            raise ReplyError(f"{outline.file}: không có đơn vị '{body_id}' (có: {known})")
        named = outline.body_named(agency) if agency else None
        if named is not None and named.id != body.id:
            # The merge would file the reply under one body and `check` name the other.
            raise ReplyError(
                f"{outline.file}: --agency '{agency}' là tên đơn vị '{named.id}', khác --body "
                f"'{body.id}' ({body.name}); bỏ một trong hai"
            )
        return body
    body = outline.body_named(agency)
    if body is None:
        raise ReplyError(
            f"{outline.file}: không có đơn vị tên '{agency}'; chọn bằng --body (có: {known})"
        )
    return body


def build_reply(
    outline: Outline,
    *,
    agency: str,
    body_id: str | None = None,
    kind: str = "cong-van",
    host: PluginHost,
    outline_file: str | None = None,
) -> Project:
    """The reply skeleton of `agency` (the body `body_id`) for `outline` (see the module).

    outline_file: how the reply's `[outline]` table names the outline (relative to the
    reply); by default `outline.file`. Raises `ReplyError` when the body is unknown or the
    outline asks a section type for what it does not accept (messages with file:line).
    """
    from tongket.core.host.pluginhost import PluginFailure
    from tongket.core.report.model import Citation, OutlineLink, Section
    from tongket.core.report.session import new_project
    from tongket.core.workflow.outline import wanted_problems

    agency = " ".join(agency.split())
    hidden = [char for char in agency if not char.isprintable() and char != " "]
    if hidden:  # it becomes the letterhead and every sentence that names the body
        raise ReplyError(
            f"--agency có ký tự điều khiển hoặc đảo chiều hiển thị U+{ord(hidden[0]):04X}; "
            "hãy gõ lại tên cơ quan"
        )
    body = choose_body(outline, agency, body_id)
    if not agency and body is not None:
        agency = body.name
    if not agency:
        raise ReplyError('thiếu tên cơ quan trả lời (--agency "SỞ CÔNG THƯƠNG")')
    problems = wanted_problems(outline, host)
    if problems:
        raise ReplyError(
            "; ".join(
                f"{outline.file}:{problem.line or '?'}: {problem.where}: {problem.message}"
                for problem in problems
            )
        )
    request = outline.request
    project = new_project(kind, host)
    in_sentence = agency_in_sentence(agency)
    project.document = replace(
        project.document,
        parent_agency=request.parent_body,
        agency=agency.upper(),
        subject=request.subject,
        recipients=[request.body],
        closing=f"{in_sentence} kính báo cáo./.",
    )
    council = council_of(agency)
    if council is not None and council[0] in PEOPLES_COMMITTEES:
        # A People's Committee signs as a collective (NĐ30: "TM. ỦY BAN NHÂN DÂN" over
        # "CHỦ TỊCH"); the new report's "GIÁM ĐỐC" is a department's head.
        project.document.signer = replace(
            project.document.signer,
            prefix="TM.",
            head_title="ỦY BAN NHÂN DÂN",
            for_head="",
            signer_title="CHỦ TỊCH",
        )
    key = citation_key(outline)
    project.citations = {
        key: Citation(
            kind="Công văn",
            number=request.reference,
            date=request.date,
            issuer=request.body,
            title=f"về việc {request.subject}",
        )
    }
    opening = host.section_types.get("free-text")
    sections = [
        Section(
            "free-text",
            data={
                **(opening.new_data() if opening else {}),
                "text": (f"Thực hiện [[{key}]], {in_sentence} báo cáo như sau:"),
            },
            version=opening.version if opening else None,
            guidance=_request_guidance(outline),
        )
    ]
    for wanted in outline.sections:
        section_type = host.section_types[wanted.type]  # `wanted_problems` checked it exists
        try:
            data = host.outline_prefill(
                wanted.type, dict(wanted.wanted), section_type.new_data(), request, wanted.label
            )
        except PluginFailure as failure:
            raise ReplyError(f"{outline.file}: mục {wanted.label}: {failure}") from None
        sections.append(
            Section(
                wanted.type,
                wanted.number,
                wanted.heading,
                data,
                section_type.version,
                guidance=wanted.guidance,
            )
        )
    project.sections = sections
    project.outline = OutlineLink(outline_file or outline.file, body.id if body else "")
    return project


def word_form(
    project: Project, outline: Outline, host: PluginHost, warnings: list[str] | None = None
) -> Project:
    """The reply skeleton as a form to fill in Word, for a body that does not use tongket:
    each section that wants figures becomes a heading over the blank tables its type gives
    (`tongket_outline_form`), which `tongket import` and `tongket merge` read back; the
    outline's guidance for a section stands in italics under its heading (reading the reply
    back drops it if the body left it as it was). A plugin that fails leaves its section a
    heading, named in `warnings`: the form is still made."""
    from tongket.core.host.pluginhost import PluginFailure
    from tongket.core.render.inline import escape_markup
    from tongket.core.report.model import Section
    from tongket.core.workflow.outline import guidance_paragraph

    def guidance(section: Section) -> str:
        # In italics: the coordinator's words, set apart from what the body writes under them;
        # as written (guidance is text for the app, its stars and "[[…]]" are no markup).
        if not section.guidance.strip():
            return ""
        return f"*{escape_markup(guidance_paragraph(section.guidance))}*"

    free_text = host.section_types.get("free-text")
    sections = list(project.sections[:1])  # the opening "Thực hiện …, … báo cáo như sau:"
    for wanted, section in zip(outline.sections, project.sections[1:], strict=True):
        if section.type == "free-text":
            text = "\n\n".join(
                part for part in (guidance(section), section.data.get("text")) if part
            )
            sections.append(replace(section, data={**section.data, "text": text}))
            continue
        try:
            tables = host.outline_form(
                wanted.type, dict(wanted.wanted), outline.request, wanted.label
            )
        except PluginFailure as failure:
            tables = []
            if warnings is not None:
                warnings.append(f"mục {wanted.label}: không có bảng để điền ({failure})")
        data = {**(free_text.new_data() if free_text else {}), "text": guidance(section)}
        if tables:
            data["tables"] = [dict(table) for table in tables]
        sections.append(
            Section(
                "free-text",
                section.number,
                section.heading,
                data,
                free_text.version if free_text else None,
            )
        )
    return replace(project, sections=sections)


def _request_guidance(outline: Outline) -> str:
    """What the drafter should know from the request: deadline, period, cut-off, contact."""
    from tongket.core.render.vnformat import date_numeric

    request = outline.request
    parts = [f"Trả lời {request.body} theo đề cương {outline.name}"]
    if request.deadline:
        parts.append(f"hạn gửi {date_numeric(request.deadline)}")
    if request.period_from is not None:
        parts.append(f"số liệu {request.period_from}–{request.period_to}")
    if request.cutoff:
        parts.append(f"tính đến {date_numeric(request.cutoff)} (năm chưa hết ghi ước thực hiện)")
    if request.contact:
        parts.append(f"liên hệ: {request.contact}")
    return "; ".join(parts) + "."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`--outline`, `--agency`, `--body`: added to `tongket new` (which has FILE and --kind)."""
    parser.add_argument(
        "--outline", metavar="ĐỀ_CƯƠNG.toml", help="tạo bản trả lời theo đề cương của nơi yêu cầu"
    )
    parser.add_argument(
        "--agency",
        metavar="CƠ_QUAN",
        help='cơ quan trả lời, ví dụ "SỞ CÔNG THƯƠNG" (với --outline)',
    )
    parser.add_argument(
        "--body", metavar="MÃ", help="mã đơn vị trong đề cương, ví dụ sct (mặc định: theo --agency)"
    )


def reply_from_outline(
    args: argparse.Namespace, target: Path, host: PluginHost
) -> tuple[Project, Outline]:
    """The reply skeleton `tongket new TARGET --outline … --agency … [--body …] [--kind …]`
    writes, and the outline it answers: the outline loaded (`ReportFileError` with file:line
    when it cannot be) and named relative to `target`'s folder; `CommandError` (exit 2) for
    options that make no reply."""
    from tongket.core.cli import CommandError
    from tongket.core.workflow.outline import load_outline

    if not getattr(args, "agency", None) and not getattr(args, "body", None):
        raise CommandError('--outline cần --agency "TÊN CƠ QUAN" (hoặc --body MÃ_ĐƠN_VỊ)')
    outline = load_outline(args.outline)
    relative = os.path.relpath(os.path.abspath(args.outline), os.path.abspath(target.parent))
    try:
        project = build_reply(
            outline,
            agency=args.agency or "",
            body_id=args.body,
            kind=getattr(args, "kind", None) or "cong-van",
            host=host,
            outline_file=Path(relative).as_posix(),
        )
    except ReplyError as error:
        raise CommandError(str(error)) from None
    return project, outline


def word_form_docx(
    project: Project, outline: Outline, host: PluginHost, warnings: list[str]
) -> bytes:
    """`tongket new TRA-LOI.docx --outline …`: the Word file of the reply skeleton as a form
    (`word_form`; what a failing plugin left out is added to `warnings`)."""
    from tongket.core.render.document import render_document
    from tongket.core.writers.docx_writer import build_docx

    form = word_form(project, outline, host, warnings)
    return build_docx(render_document(form, host))
