"""Consolidation (tổng hợp): the bodies' replies to one outline merged into one report.

For each section of the outline, every reply's section answering it (matched as `check`
matches them: by number, then by type and heading) becomes a `Contribution`, and the plugin of
the section's type merges them (`tongket_merge_sections`). A type whose plugin does not merge
is gathered verbatim as free text, with a finding. A reply's section of another type than the
outline asks (a Word reply imports as free text) is printed to text and added to what the
section gathers, with a finding: its figures cannot be added up.

The merge is deterministic: replies are taken in the outline's body order, then by file name,
so the same replies in any order give the same file. It is re-runnable: given the previous
consolidated report, it keeps the particulars, the coordinator's text in each section (the
plugins keep it, from `previous`) and the sections the coordinator added.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tongket.core.checks import repeated_place
from tongket.core.host.merging import (
    COORDINATOR_FIELDS,
    GATHERED,
    Contribution,
    MergedSection,
    body_paragraphs,
    name_key,
)
from tongket.core.problems import dotted
from tongket.core.render.document import copy_data
from tongket.core.report.consolidation import (
    Consolidation,
    MergeFinding,
    Provenance,
    ReplyLink,
    Source,
)
from tongket.core.report.editing import FREE_TEXT_TYPE
from tongket.core.report.model import Citation, Particulars, Project, Section
from tongket.core.workflow.gaps import match_sections
from tongket.core.workflow.mergehook import call_merge, gathered_verbatim, reply_text
from tongket.core.workflow.outline import Outline, OutlineSection
from tongket.core.workflow.provenance import printed_fingerprint, unprinted_notice
from tongket.core.workflow.replies import (
    Reply,
    distinct_replies,
    relative_name,
    repeat_note,
    repeated_bodies,
    reply_order,
)

if TYPE_CHECKING:
    from tongket.core.host.pluginhost import PluginHost


@dataclass
class MergeResult:
    """The consolidated report and what the merge noticed, as lines to print."""

    project: Project
    notes: list[str] = field(default_factory=list)  # "FILE: message" about the replies
    findings: list[str] = field(default_factory=list)  # "sections.N.data.path: message"


def new_particulars(outline: Outline) -> Particulars:
    """The consolidated report's particulars on a first merge: the requester reports upward.

    The symbol (ký hiệu), place, date and signer are left for the coordinator: a guess would
    look filled in, and `check` names each one still empty.
    """
    request = outline.request
    return Particulars(
        kind="bao-cao",
        parent_agency=request.parent_body,
        agency=_letterhead_agency(request.parent_body, request.body),
        subject=_report_subject(request.subject),
        distribution=["Lưu: VT"],
    )


def _letterhead_agency(parent_body: str, body: str) -> str:
    """The requester as the letterhead prints it under its parent: "Sở Ngoại vụ Quảng Ngãi"
    under "UBND TỈNH QUẢNG NGÃI" is "SỞ NGOẠI VỤ" (the place is said above it; `check` warns
    about a name that repeats it), in capitals as the replies' agencies are written."""
    name = " ".join(body.split())
    if repeated := repeated_place(parent_body, name):
        name = name[: -len(repeated)].strip()
    return name.upper()


def _report_subject(subject: str) -> str:
    # The request asks for "báo cáo tổng kết …"; under the title BÁO CÁO the subject is
    # "tổng kết …" (the title already says what the document is).
    words = subject.split(maxsplit=2)
    if len(words) == 3 and " ".join(words[:2]).casefold() == "báo cáo":
        return words[2]
    return subject


class _Merger:
    """One merge run: the outline, the sorted replies, the plugins, the previous report."""

    def __init__(self, outline: Outline, replies: list[Reply], host: PluginHost) -> None:
        self.outline = outline
        self.host = host
        self.hung: set[str] = set()  # plugins stopped at the time limit: not asked again
        readable, repeats = distinct_replies(
            [reply for reply in replies if reply.project is not None]
        )
        self.replies = sorted(readable, key=reply_order(outline))
        self.positions = {
            id(reply): match_sections(outline, reply.project.sections) for reply in self.replies
        }
        self.notes: list[str] = [
            f"{reply.shown}: {reply.error}" for reply in replies if reply.error
        ] + list(dict.fromkeys(repeat_note(reply, first) for reply, first in repeats))

    def contributions(
        self, number: int, wanted: OutlineSection
    ) -> tuple[list[Contribution], list[Contribution]]:
        """The replies' sections answering outline section `number`: of its type, and not."""
        own, other = [], []
        for reply in self.replies:
            index = self.positions[id(reply)][number]
            if index is None:
                continue
            section = reply.project.sections[index]
            body = reply.body
            contribution = Contribution(
                body=body.id if body is not None else "",
                body_name=reply.body_name,
                reply=reply.shown,
                section=section.number,
                data=copy_data(section.data),
            )
            if section.type == wanted.type:
                own.append(contribution)
            else:
                text, error = reply_text(reply, index, self.host, self.hung)
                other.append(
                    Contribution(
                        contribution.body,
                        contribution.body_name,
                        reply.shown,
                        section.number,
                        {"text": text, "type": section.type, "error": error},
                    )
                )
        return own, other

    def merge_section(
        self, wanted: OutlineSection, own: list[Contribution], other: list[Contribution],
        previous: Section | None,
    ) -> tuple[str, MergedSection]:  # fmt: skip
        """The merged section's type and data (the fallback gathers verbatim as free text)."""
        label = wanted.label
        messages: list[str] = []
        merged = None
        type_id = wanted.type
        # The previous data only of the same type: another type's fields would be kept as
        # this type's (the previous section is kept whole, see `merge_replies`).
        prior = previous.data if previous is not None and previous.type == type_id else None
        if type_id in self.host.section_types:
            merged, messages = call_merge(self.host, type_id, own, prior, label, self.hung)
            if merged is None and not messages:
                owner = self.host.owner_of(type_id)
                messages.append(
                    f"loại mục '{type_id}' không có cách tổng hợp (plugin {owner} không "
                    "có hook tongket_merge_sections): nội dung các đơn vị được gom "
                    "nguyên văn thành văn bản tự do"
                )
        else:
            messages.append(f"{self.host.missing_type_message(type_id)}: gom nguyên văn")
        if merged is None:
            type_id = FREE_TEXT_TYPE
            verbatim = []
            unprinted: dict[str, list[str]] = {}  # why → the contributions, one message each
            for contribution in own:
                text, error = self._text_of(contribution)
                verbatim.append(
                    Contribution(
                        contribution.body,
                        contribution.body_name,
                        contribution.reply,
                        contribution.section,
                        {"text": text},
                    )
                )
                if error:
                    unprinted.setdefault(error, []).append(contribution.label)
            for error, labels in unprinted.items():
                more = f" và {len(labels) - 3} nguồn khác" if len(labels) > 3 else ""
                messages.append(f"không in được nội dung ({error}): {'; '.join(labels[:3])}{more}")
            prior = previous.data if previous is not None and previous.type == type_id else None
            merged = gathered_verbatim([*verbatim, *other], prior)
            other = []
        fields = _field_names(self.host, type_id)
        for contribution in other:
            error = contribution.data["error"]
            gathered = GATHERED in fields and not error
            messages.append(
                f"{contribution.label}: là mục loại '{contribution.data['type']}', đề cương "
                f"cần '{wanted.type}': số liệu không được cộng"
                + (", nội dung được gom nguyên văn" if gathered else "")
                + (f"; không in được nội dung ({error})" if error else "")
            )
            if gathered:
                piece = body_paragraphs(contribution.body_name, contribution.data["text"])
                text = merged.data.get(GATHERED) or ""
                merged.data[GATHERED] = f"{text}\n\n{piece}".strip() if piece else text
                merged.credit(contribution, GATHERED)
        for message in messages:
            merged.findings.append(_problem("", message))
        return type_id, merged

    def _text_of(self, contribution: Contribution) -> tuple[str, str]:
        """A contribution's text for the verbatim fallback, and why there is none."""
        text = contribution.data.get("text")
        if isinstance(text, str):
            return text, ""
        reply = next(reply for reply in self.replies if reply.shown == contribution.reply)
        index = next(
            position
            for position, section in enumerate(reply.project.sections)
            if section.number == contribution.section
        )
        return reply_text(reply, index, self.host, self.hung)


#: A body's piece of gathered text starts with its name in bold (`body_paragraphs`):
#: "**Sở Công Thương:** …", "**Sở Công Thương** đã …", or "**Sở Công Thương:**" alone.
_BODY_NAME = re.compile(r"\*\*([^*\n]+?):?\*\*")


def _bodies_of(gathered: str, names: set[str]) -> dict[str, str]:
    """Each body's piece of a gathered text, by body name: from its bold lead-in to the next
    body's (a body's own bold "**Kết quả:**" inside its text is not a body)."""
    known = {name_key(name): name for name in names}
    pieces: dict[str, str] = {}
    current = None
    for paragraph in gathered.split("\n\n"):
        match = _BODY_NAME.match(paragraph)
        name = known.get(name_key(match.group(1))) if match else None
        if name is not None:
            current = name
            pieces[current] = paragraph
        elif current is not None:
            pieces[current] += "\n\n" + paragraph
    return pieces


def unprinted_bodies(
    before: Section | None, type_id: str, data: dict[str, Any], bodies: set[str]
) -> tuple[str, ...]:
    """The bodies whose gathered text the printed text has not taken in yet.

    On a merge over an earlier one, the coordinator's printed text is kept (a free-text
    section's `text`, or the intro, template and outro beside the figures), while `gathered`
    is rebuilt: a late or corrected reply changes only the unprinted gathering. These bodies
    are named (a finding), and still named at later merges until the coordinator edits the
    printed fields (the previous merge's fingerprint of them tells). `bodies`: the names of
    the bodies merged now.
    """
    if before is None or before.type != type_id or not isinstance(data.get(GATHERED), str):
        return ()
    gathered = data[GATHERED]
    if data.get("text") == gathered:
        return ()  # the printed text follows the gathering: nothing was left out
    if not any(
        isinstance(data.get(name), str) and data[name].strip() for name in COORDINATOR_FIELDS
    ):
        return ()  # nothing written by hand: the section prints its figures' sentences alone
    provenance = before.provenance
    names = bodies | {source.name for source in provenance.sources} if provenance else bodies
    earlier = before.data.get(GATHERED)
    old = _bodies_of(earlier, names) if isinstance(earlier, str) else {}
    new = _bodies_of(gathered, names)
    changed = [name for name, piece in new.items() if old.get(name) != piece]
    changed += [name for name in old if name not in new]  # a body's text withdrawn
    untouched = provenance is not None and provenance.printed == printed_fingerprint(before.data)
    carried = provenance.unprinted if untouched and provenance is not None else ()
    return tuple(dict.fromkeys([*carried, *changed]))


def _field_names(host: PluginHost, type_id: str) -> set[str]:
    section_type = host.section_types.get(type_id)
    return {spec.name for spec in section_type.fields} if section_type is not None else set()


def _problem(path: str, message: str) -> Any:
    from tongket.core.problems import Problem

    return Problem(path, message, "warning")


def _provenance(merged: MergedSection, contributions: list[Contribution]) -> Provenance:
    paths: dict[tuple[str, str, str], list[str]] = {}
    for contribution in contributions:
        paths.setdefault((contribution.body, contribution.reply, contribution.section), [])
    names = {(c.body, c.reply, c.section): c.body_name for c in contributions}
    for contribution, path in merged.credits:
        key = (contribution.body, contribution.reply, contribution.section)
        names.setdefault(key, contribution.body_name)
        found = paths.setdefault(key, [])
        if path not in found:
            found.append(path)
    sources = [
        Source(body, names[(body, reply, number)], reply, number, tuple(found))
        for (body, reply, number), found in paths.items()
    ]
    findings = [
        MergeFinding(dotted(problem.path), problem.message, problem.severity)
        for problem in merged.findings
    ]
    return Provenance(sources, findings)


def _citations(previous: Project | None, replies: list[Reply], notes: list[str]) -> dict:
    citations: dict[str, Citation] = dict(previous.citations) if previous else {}
    origin = {key: "báo cáo tổng hợp" for key in citations}
    for reply in replies:
        for key, citation in reply.project.citations.items():
            if key not in citations:
                citations[key] = copy.deepcopy(citation)
                origin[key] = reply.shown
            elif citations[key] != citation:
                notes.append(
                    f"{reply.shown}: citations.{key}: khác văn bản cùng khóa ở {origin[key]}; "
                    "giữ bản ở đó, hãy đổi khóa trong một trong hai tệp"
                )
    return citations


def merge_replies(
    outline: Outline,
    replies: list[Reply],
    host: PluginHost,
    *,
    base: str | Path,
    previous: Project | None = None,
) -> MergeResult:
    """Merge `replies` into one consolidated report (see the module's docstring).

    base: the consolidated report's folder (the outline and replies are named relative to it).
    previous: the consolidated report being replaced, if any.
    """
    merger = _Merger(outline, replies, host)
    notes = merger.notes
    for reply in merger.replies:
        notes.extend(f"{reply.shown}: {note}" for note in reply.notes)
        if reply.body is None and outline.bodies:  # an outline listing none asks anyone
            notes.append(
                f"{reply.shown}: cơ quan '{reply.body_name}' không có trong danh sách đơn vị của "
                f"đề cương {outline.name}; vẫn được tổng hợp, xếp sau cùng"
            )
        claimed = {index for index in merger.positions[id(reply)] if index is not None}
        for index, section in enumerate(reply.project.sections):
            if index not in claimed and not _nothing_to_merge(section, index):
                notes.append(
                    f"{reply.shown}: mục {_unmerged_label(section, index)} không có trong đề "
                    "cương: không tổng hợp"
                )
    notes.extend(repeated_bodies(merger.replies))
    old_sections = list(previous.sections) if previous else []
    # The previous consolidation's sections, matched to the outline's as a reply's would be;
    # a section of the coordinator's own (no provenance) stays after the one it followed.
    earlier = match_sections(outline, old_sections)
    owner = {index: number for number, index in enumerate(earlier) if index is not None}
    kept: dict[int | None, list[Section]] = {}
    anchor: int | None = None
    for index, section in enumerate(old_sections):
        if index in owner:
            anchor = owner[index]
        elif section.provenance is None:
            kept.setdefault(anchor, []).append(section)
    sections: list[Section] = list(kept.get(None, []))
    findings: list[str] = []
    for number, wanted in enumerate(outline.sections):
        own, other = merger.contributions(number, wanted)
        before = old_sections[earlier[number]] if earlier[number] is not None else None
        type_id, merged = merger.merge_section(wanted, own, other, before)
        provenance = _provenance(merged, [*own, *other])
        bodies = {contribution.body_name for contribution in [*own, *other]}
        unprinted = unprinted_bodies(before, type_id, merged.data, bodies)
        if unprinted:
            provenance.unprinted = unprinted
            provenance.printed = printed_fingerprint(merged.data)
            provenance.findings.append(MergeFinding(GATHERED, unprinted_notice(unprinted)))
        section_type = host.section_types.get(type_id)
        section = Section(
            type=type_id,
            number=wanted.number,
            heading=before.heading if before is not None else wanted.heading,
            data=merged.data,
            version=section_type.version if section_type is not None else None,
            table=before.table if before is not None else "inline",
            provenance=provenance,
        )
        position = len(sections)
        sections.append(section)
        # The notices are said now and not kept: the section's check says them from its data.
        said = [(finding.path, finding.message) for finding in provenance.findings]
        said += [(dotted(notice.path), notice.message) for notice in merged.notices]
        findings.extend(
            f"sections.{position + 1}.data{'.' + path if path else ''}: {message}"
            for path, message in said
        )
        for companion in merged.companions:
            companion.provenance = Provenance([replace_paths(s) for s in provenance.sources])
            if companion.version is None and companion.type in host.section_types:
                companion.version = host.section_types[companion.type].version
            sections.append(companion)
        if before is not None and before.type != type_id and _edited(before):
            # The section changed type (its plugin merges again, or no longer): what the
            # coordinator wrote in the old one is kept, as a section of their own.
            sections.append(replace(before, provenance=None))
            notes.append(
                f"mục {wanted.label}: nay là loại '{type_id}', trước là '{before.type}'; phần "
                "điều phối viên đã viết được giữ ở mục ngay sau, hãy chuyển nội dung rồi xóa mục đó"
            )
        sections.extend(kept.get(number, []))
    project = Project(
        document=copy.deepcopy(previous.document) if previous else new_particulars(outline),
        citations=_citations(previous, merger.replies, notes),
        sections=sections,
    )
    project.consolidation = Consolidation(
        outline=relative_name(outline.file, base),
        replies=[
            ReplyLink(reply.body.id if reply.body is not None else "", reply.shown)
            for reply in merger.replies
        ],
    )
    return MergeResult(project, notes, findings)


def _nothing_to_merge(section: Section, index: int) -> bool:
    """An unnumbered free-text section that says nothing the consolidation needs: empty, or
    the reply's lead-in addressed to the requester ("Thực hiện …, Sở … báo cáo như sau:").
    Any other section the outline does not have is named, so no body's text goes unseen."""
    if section.number.strip() or section.heading.strip() or section.type != FREE_TEXT_TYPE:
        return False
    text = section.data.get("text")
    if not isinstance(text, str) or section.data.get("tables"):
        return False
    text = text.strip()
    return not text or (index == 0 and "\n" not in text and text.endswith(":"))


def _unmerged_label(section: Section, index: int) -> str:
    if section.number.strip() or section.heading.strip():
        return section.label
    return "mở đầu" if index == 0 else f"thứ {index + 1} (không số, không tiêu đề)"


def _edited(section: Section) -> bool:
    """Whether the coordinator wrote anything of their own in a merged section."""
    gathered = section.data.get(GATHERED)
    return any(
        isinstance(section.data.get(name), str)
        and section.data[name].strip()
        and section.data[name] != gathered
        for name in COORDINATOR_FIELDS
    )


def replace_paths(source: Source) -> Source:
    """A source as a companion section lists it: the same reply, the whole section."""
    return Source(source.body, source.name, source.reply, source.section, ())
