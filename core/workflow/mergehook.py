"""Calling a section type's merge hook (`tongket_merge_sections`) without trusting it.

A third-party hook may raise, run past `TONGKET_PLUGIN_TIMEOUT` (the host stops it), return
something that is not a `MergedSection`, put values in its data that no TOML file can hold
(a set, an object, a cycle), credit a source it was never given, add a companion of a type no
plugin registers, or change the contributions it was handed. `call_merge` gives the hook its
own copies (the replies, the other sections and the caller's contributions never change),
and checks the answer: a failure or an unwritable answer is a message, and the caller gathers
the replies verbatim instead; a stray credit or companion is dropped with a message.

The verbatim fallback is here too: `reply_text` prints a reply's section (never its error
block, never through a plugin that just ran past the time limit) and `gathered_verbatim`
gathers the texts without calling any plugin, so the fallback itself cannot fail.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from typing import TYPE_CHECKING, Any

from tongket.core.host.merging import (
    GATHERED,
    Contribution,
    MergedSection,
    coordinator_text,
    gather_text,
)
from tongket.core.host.pluginhost import PluginFailure, PluginTimeout
from tongket.core.render.document import copy_data
from tongket.core.report.model import Project

if TYPE_CHECKING:
    from tongket.core.host.pluginhost import PluginHost
    from tongket.core.workflow.replies import Reply

#: Nesting a merged section's data may have: far beyond any section type, short of Python's
#: recursion limit when the file is written.
MAX_DEPTH = 64
_SCALARS = (str, int, float, bool, dt.date, dt.datetime, dt.time)


def unwritable(value: Any, where: str = "data") -> str | None:
    """Where and why `value` cannot be written to a report file, or None when it can.

    TOML holds tables with text keys, arrays, text, numbers, booleans and dates; a float must
    be finite here (nan and inf are never a figure). Cycles and runaway nesting are refused.
    """
    stack: list[tuple[Any, str, int]] = [(value, where, 0)]
    while stack:
        item, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"{path}: lồng quá {MAX_DEPTH} tầng"
        if isinstance(item, dict):
            for key, child in item.items():
                if not isinstance(key, str):
                    return f"{path}: khóa {key!r} không phải chuỗi"
                stack.append((child, f"{path}.{key}", depth + 1))
        elif isinstance(item, list):
            stack.extend(
                (child, f"{path}.{index + 1}", depth + 1) for index, child in enumerate(item)
            )
        elif isinstance(item, float) and not math.isfinite(item):
            return f"{path}: {item} không phải số hữu hạn"
        elif not isinstance(item, _SCALARS):
            return f"{path}: giá trị kiểu {type(item).__name__} không ghi được vào tệp .toml"
    return None


def _copy(contribution: Contribution) -> Contribution:
    return Contribution(
        contribution.body,
        contribution.body_name,
        contribution.reply,
        contribution.section,
        copy_data(contribution.data),
    )


def _key(contribution: Any) -> tuple[str, str, str] | None:
    if not isinstance(contribution, Contribution):
        return None
    return (contribution.body, contribution.reply, contribution.section)


def call_merge(
    host: PluginHost,
    type_id: str,
    contributions: list[Contribution],
    previous: dict[str, Any] | None,
    label: str,
    hung: set[str],
) -> tuple[MergedSection | None, list[str]]:
    """The plugin's merge of `contributions` (None when it fails or does not merge), and what
    went wrong, as messages. The answer's credits name the caller's own `contributions`.
    hung: the plugins stopped at the time limit during this merge; a new one is added."""
    owner = host.owner_of(type_id) or "?"
    hook = "tongket_merge_sections"
    given = [_copy(contribution) for contribution in contributions]
    try:
        merged = host.merge(
            type_id, given, copy_data(previous) if previous is not None else None, label
        )
    except PluginFailure as failure:
        if isinstance(failure, PluginTimeout):
            hung.add(owner)  # not asked again, to render the replies' sections verbatim
        return None, [f"{failure}; nội dung các đơn vị được gom nguyên văn"]
    if merged is None:
        return None, []
    problem = unwritable(merged.data)
    if problem is None:
        problem = next(
            (
                found
                for companion in merged.companions
                for found in [unwritable(companion.data, f"companions.{companion.type}.data")]
                if found
            ),
            None,
        )
    if problem is not None:
        message = f"plugin {owner}: mục {label}, {hook}: trả về dữ liệu không ghi được ({problem})"
        return None, [f"{message}; nội dung các đơn vị được gom nguyên văn"]
    notes: list[str] = []
    originals = {_key(contribution): contribution for contribution in contributions}
    credits = []
    for contribution, path in merged.credits:
        original = originals.get(_key(contribution))
        if original is None or not isinstance(path, str):
            what = contribution.label if isinstance(contribution, Contribution) else "?"
            notes.append(
                f"plugin {owner}: mục {label}, {hook}: bỏ nguồn không có trong các báo cáo "
                f"được giao ({what}, {path!r:.40})"
            )
            continue
        credits.append((original, path))
    merged.credits = credits
    companions = []
    for companion in merged.companions:
        if companion.type not in host.section_types:
            notes.append(
                f"plugin {owner}: mục {label}, {hook}: bỏ mục kèm theo loại '{companion.type}' "
                "không plugin nào cung cấp"
            )
            continue
        companions.append(companion)
    merged.companions = companions
    return merged, notes


def gathered_verbatim(
    contributions: list[Contribution], previous: dict[str, Any] | None
) -> MergedSection:
    """Free text gathered from each contribution's `text`, with its body as the lead-in; the
    coordinator's `text` kept from `previous` (what free_text's merge hook does, without a
    plugin call: the fallback must not fail)."""
    merged = MergedSection({})
    gathered = gather_text(contributions, lambda part: part.data.get("text") or "", merged)
    merged.data["text"] = coordinator_text(previous, "text", gathered)
    merged.data[GATHERED] = gathered
    return merged


def reply_text(reply: Reply, index: int, host: PluginHost, hung: set[str]) -> tuple[str, str]:
    """A reply's section as plain text, the way it prints (without its heading), and why it
    could not be printed ("" when it could): a section that fails to render gives no text,
    never its error block. A plugin in `hung` (stopped at the time limit during this merge)
    is not asked again: with many replies, waiting for it each time would never end."""
    section = reply.project.sections[index] if reply.project is not None else None
    owner = host.owner_of(section.type) if section is not None else None
    if owner in hung:
        return "", f"plugin {owner} đã chạy quá giới hạn thời gian"
    from tongket.core.render.blocks import ErrorBlock, Heading
    from tongket.core.render.citations import CitationBook
    from tongket.core.render.document import render_section
    from tongket.core.writers.textrender import blocks_text

    project = reply.project
    assert project is not None
    # A copy: rendering stamps the section's version, and the reply must stay as read.
    view = Project(project.document, project.citations, [copy.deepcopy(project.sections[index])])
    result = render_section(view, 0, host, CitationBook(copy.deepcopy(project.citations)), [])
    failed = [block for block in result.blocks if isinstance(block, ErrorBlock)]
    if isinstance(result.failure, PluginTimeout) and owner is not None:
        hung.add(owner)
    if result.failure is not None or failed:
        return "", str(result.failure) if result.failure is not None else failed[0].message
    return blocks_text([block for block in result.blocks if not isinstance(block, Heading)]), ""
