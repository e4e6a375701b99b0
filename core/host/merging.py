"""What the merge hook (`tongket_merge_sections`) is given and returns, and the helpers the
built-ins merge with: records unioned with the body in a column, text gathered per body.

A coordinator's consolidated report (báo cáo tổng hợp) is built section by section: for each
section of the outline (đề cương), the plugin of its type receives every reply's section of that
type as a `Contribution` and returns one `MergedSection`. Two kinds of text never mix:

- what the merge owns (figures, lists, the `gathered` narrative: each body's text with its
  name as a lead-in) is rebuilt on every merge;
- what the coordinator owns (`text` of a free-text section, `intro`, `template`, `outro` of a
  data section) is taken from `previous`, the section in the consolidated file the merge is
  about to replace, and never overwritten once the coordinator changed it.

Everything here is plain data and pure functions: no rendering, no files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tongket.core.host.sectiontypes import Field
from tongket.core.problems import Problem
from tongket.core.render.vnformat import join as vnformat_join

if TYPE_CHECKING:
    from tongket.core.host.sectiontypes import SectionType
    from tongket.core.report.model import Section

#: The field a merge fills with each body's narrative, for the coordinator to condense.
GATHERED = "gathered"
#: The record field that names the contributing body (đơn vị) of a unioned list.
BODY = "body"
#: Fields the coordinator writes in a consolidated section: a merge keeps them.
COORDINATOR_FIELDS: tuple[str, ...] = ("text", "intro", "template", "outro", "after_tables")
#: Those a consolidated file written before tongket had `after_tables` may lack: its digest
#: (`provenance.printed_fingerprint`) counts them only when they hold text, so it still holds.
ADDED_COORDINATOR_FIELDS: frozenset[str] = frozenset({"after_tables"})
#: The column a list section declares in its records to carry the contributing body.
BODY_FIELD = Field(
    BODY,
    "Đơn vị báo cáo",
    help="Đơn vị gửi dòng này; lệnh tongket merge điền khi tổng hợp, để trống ở báo cáo của "
    "một đơn vị.",
)

#: Between the bodies named in one `BODY` cell: "; ", since a body's name may hold a comma
#: (Sở Văn hóa, Thể thao và Du lịch).
BODY_SEPARATOR = "; "


def bodies_cell(names: Iterable[str]) -> str:
    """The `BODY` cell naming `names`, each once, in first-seen order."""
    return BODY_SEPARATOR.join(dict.fromkeys(name for name in names if name))


def bodies_in(cell: object) -> list[str]:
    """The bodies a `BODY` cell names; none for a body's own report (no cell)."""
    if not isinstance(cell, str):
        return []
    return [name.strip() for name in cell.split(BODY_SEPARATOR.strip()) if name.strip()]


@dataclass(frozen=True)
class Contribution:
    """One reply's section of the type being merged, in the outline's body order.

    `data` is a copy: changing it never changes the reply.
    """

    body: str  # the body's id in the outline, e.g. "sct"
    body_name: str  # the body's name as the outline writes it, e.g. "Sở Công Thương"
    reply: str  # the reply file, relative to the consolidated report
    section: str  # the reply section's number, e.g. "2.1."
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """How a message names this contribution: "Sở Công Thương (sct.toml, mục 2.1.)"."""
        where = f"{self.reply}, mục {self.section}" if self.section else self.reply
        return f"{self.body_name} ({where})"


@dataclass
class MergedSection:
    """A merge hook's answer: the consolidated data, where each part came from, findings.

    - `data`: the merged section's data, valid for its type;
    - `credit(contribution, path)` records that `contribution` went into the value at `path`
      (a dotted path inside `data` counted from 1, "indicators.1", or a tuple counted from 0);
      `check` and the app name these sources next to a message about that value;
    - `findings`: `Problem`s with paths inside `data` (a unit that disagrees, two bodies that
      wrote different values), shown by `tongket merge` and kept in the consolidated file;
    - `notices`: `Problem`s `tongket merge` shows but does not keep, because the section's
      own check says the same from the merged data every time (a total lacking some bodies,
      kept in `partial_totals`): kept, `check` would say it twice;
    - `companions`: sections to place right after this one (e.g. the appendix of each
      body's figures); their types must be registered by some plugin.
    """

    data: dict[str, Any]
    findings: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    companions: list[Section] = field(default_factory=list)
    credits: list[tuple[Contribution, str]] = field(default_factory=list)

    def credit(self, contribution: Contribution, path: str | tuple[str | int, ...]) -> None:
        """Record that `contribution` contributed to the value at `path` inside `data`."""
        if not isinstance(path, str):
            path = ".".join(str(part + 1) if isinstance(part, int) else part for part in path)
        self.credits.append((contribution, path))


# -- helpers ------------------------------------------------------------------------------------


def same_name(left: str, right: str) -> bool:
    """Whether two names agree once case, spacing, Unicode form and invisible characters are
    set aside."""
    return name_key(left) == name_key(right)


def name_key(text: str) -> str:
    """The form names are compared in: NFC, invisible characters dropped, case-folded, single
    spaces. "Triệu  USD" and "triệu USD" agree; so does a name with a stray control character
    or bidirectional mark (pasted, or hostile) and the same name without it."""
    return " ".join(visible(text).casefold().split())


def visible(text: str) -> str:
    """`text` in NFC without control and format characters (C0/C1 controls, bidirectional
    marks, zero-width characters), line breaks and tabs turned into spaces."""
    text = unicodedata.normalize("NFC", text)
    if text.isprintable():
        return text  # the usual name: one C-level scan
    return "".join(
        " " if char in "\t\n\r\x0b\x0c" else char
        for char in text
        if char in "\t\n\r\x0b\x0c" or unicodedata.category(char) not in ("Cc", "Cf")
    )


#: A paragraph that is not running prose: a list item ("- …", "+ …", "a) …", "1. …"). A body's
#: name glued in front of it would turn the item into a sentence.
_LIST_ITEM = re.compile(r"(?:[-+•–*]|\d+[.)]|[^\W\d_]\))\s")


def body_paragraphs(name: str, text: str) -> str:
    """`text` with the body's name in bold leading its first paragraph.

    "**Sở Công Thương:** Thực hiện …". A paragraph that opens with the name (in any case) has
    it bolded where it stands ("**Sở Công Thương** đã …", never "Sở Công Thương: Sở Công
    Thương đã …"); a list item or the lines of a table keep their form, under the name on a
    line of its own. An empty text gives "".
    """
    paragraphs = [part.strip() for part in text.strip().split("\n\n") if part.strip()]
    if not paragraphs:
        return ""
    first = paragraphs[0]
    opening = opening_name(name, first)
    if opening:
        rest = first[len(opening) :]
        lead = f"{name}:" if rest.startswith(":") else name
        paragraphs[0] = f"**{lead}**{rest.removeprefix(':')}"
    elif "\n" in first or _LIST_ITEM.match(first):
        paragraphs.insert(0, f"**{name}:**")
    else:
        paragraphs[0] = f"**{name}:** {first}"
    return "\n\n".join(paragraphs)


def opening_name(name: str, paragraph: str) -> str:
    """The words `paragraph` opens with when they are `name` (in any case and spacing), as the
    paragraph spells them; "" when it opens otherwise."""
    words = name.split()
    if not words:
        return ""
    pattern = r"\s+".join(re.escape(word) for word in words) + r"(?!\w)"
    match = re.match(pattern, paragraph, re.IGNORECASE)
    return match.group() if match else ""


def gather_text(
    contributions: Sequence[Contribution],
    text_of: Callable[[Contribution], str],
    merged: MergedSection | None = None,
    field_name: str = GATHERED,
) -> str:
    """Each contribution's text, in order, with its body as the lead-in (`body_paragraphs`).

    With `merged`, each contribution that had text is credited with `field_name`.
    """
    pieces = []
    for contribution in contributions:
        piece = body_paragraphs(contribution.body_name, text_of(contribution) or "")
        if piece:
            pieces.append(piece)
            if merged is not None:
                merged.credit(contribution, field_name)
    return "\n\n".join(pieces)


def coordinator_text(previous: dict[str, Any] | None, name: str, gathered: str) -> str:
    """The text a consolidated field keeps on a merge: the coordinator's own, if any.

    On the first merge (no `previous`) the field starts as `gathered`. Afterwards it keeps its
    text, unless that is still exactly what the previous merge gathered (nobody edited it):
    then it follows the new gathering, so a late reply shows up.
    """
    if not previous:
        return gathered
    own = previous.get(name)
    if not isinstance(own, str) or not own.strip() or own == previous.get(GATHERED):
        return gathered
    return own


def _record_key(record: dict[str, Any]) -> str:
    # Two bodies reporting the same delegation: every field but the body agrees.
    import json  # here: plugins import this module, and only a merge needs json

    return json.dumps(
        {key: value for key, value in record.items() if key != BODY},
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )


def _year_of(record: Any) -> int | None:
    year = record.get("year") if isinstance(record, dict) else None
    return year if isinstance(year, int) and not isinstance(year, bool) else None


def union_records(
    contributions: Sequence[Contribution],
    name: str,
    merged: MergedSection,
    *,
    body_column: bool = True,
) -> list[dict[str, Any]]:
    """The records of list `name` from every contribution, each once, with its body.

    A record two bodies both report (equal apart from the body) is kept once, its `body`
    naming both ("Sở Công Thương; Sở Ngoại vụ"). A record that already names a body (a
    district's consolidated report merged again) keeps it. Records with a `year` are ordered
    by year, stably (the bodies' order within a year). Each record is credited to the
    contributions it came from.
    """
    records: list[dict[str, Any]] = []
    owners: list[list[Contribution]] = []
    bodies: list[list[str]] = []  # the names each record's `body` will join, in order
    seen: dict[str, int] = {}
    for contribution in contributions:
        rows = contribution.data.get(name)
        if not isinstance(rows, list):
            continue
        for row in rows:
            if not isinstance(row, dict):
                continue
            key = _record_key(row)
            position = seen.get(key)
            if position is None:
                position = seen[key] = len(records)
                records.append(dict(row))
                owners.append([])
                given = row.get(BODY)
                bodies.append([given] if given else [])
            owners[position].append(contribution)
            if contribution.body_name not in bodies[position][-1:]:
                bodies[position].append(contribution.body_name)
    if body_column:
        for record, names in zip(records, bodies, strict=True):
            if not record.get(BODY):
                record[BODY] = bodies_cell(names)
    order = list(range(len(records)))
    if records and all(_year_of(record) is not None for record in records):
        order.sort(key=lambda position: _year_of(records[position]))
    result = []
    for new_position, old_position in enumerate(order):
        result.append(records[old_position])
        for contribution in owners[old_position]:
            merged.credit(contribution, (name, new_position))
    return result


def sum_by_year(
    contributions: Sequence[Contribution], name: str, merged: MergedSection
) -> list[dict[str, Any]]:
    """The records of list `name` added up per `year`: every integer column summed.

    For counts each body keeps per year (classes held, articles published). Records without
    a year are left out; each year's row is credited to the bodies that counted in it.
    """
    totals: dict[int, dict[str, Any]] = {}
    owners: dict[int, list[Contribution]] = {}
    for contribution in contributions:
        rows = contribution.data.get(name)
        for row in rows if isinstance(rows, list) else []:
            year = _year_of(row)
            if year is None:
                continue
            total = totals.setdefault(year, {"year": year})
            for key, value in row.items():
                if key != "year" and isinstance(value, int) and not isinstance(value, bool):
                    total[key] = total.get(key, 0) + value
            if contribution not in owners.setdefault(year, []):
                owners[year].append(contribution)
    result = []
    for position, year in enumerate(sorted(totals)):
        result.append(totals[year])
        for contribution in owners[year]:
            merged.credit(contribution, (name, position))
    return result


def _distinct(values: Iterable[Any]) -> list[Any]:
    found: list[Any] = []
    for value in values:
        if value not in found:
            found.append(value)
    return found


def _merge_setting(
    name: str,
    contributions: Sequence[Contribution],
    previous: dict[str, Any] | None,
    merged: MergedSection,
) -> None:
    """A one-value field: kept from `previous`, else the first body's; bodies that disagree
    are a finding. The bodies that wrote the value kept are its sources."""
    given = [(c, c.data[name]) for c in contributions if c.data.get(name) not in (None, "")]
    kept_before = bool(previous) and name in previous
    if kept_before:
        merged.data[name] = previous[name]
    elif given:
        merged.data[name] = given[0][1]
    else:
        return
    for contribution, value in given:
        if value == merged.data[name]:
            merged.credit(contribution, name)
    if len(_distinct(value for _contribution, value in given)) > 1:
        shown = "; ".join(f"{c.body_name}: {value}" for c, value in given)
        kept = "giữ giá trị đã có" if kept_before else f"đã lấy giá trị của {given[0][0].body_name}"
        merged.findings.append(
            Problem((name,), f"các đơn vị ghi khác nhau ({shown}); {kept}, hãy xem lại", "warning")
        )


def _shown_value(column: Field, value: Any) -> str:
    # As the reader knows it: a choice by its label ("Đón đoàn đến"), not its stored value.
    return dict(column.choices).get(value, str(value)) if column.choices else str(value)


def maybe_one_thing(records: list[dict[str, Any]], spec: Field) -> list[Problem]:
    """Warnings for rows of different bodies alike in `spec.identity` (the same fair, the same
    delegation) but different elsewhere: maybe one thing two bodies reported, now counted
    twice. Rows alike in everything are already one row naming both bodies."""
    columns = {column.name: column for column in spec.fields}
    groups: dict[tuple[str, ...], list[int]] = {}
    for position, record in enumerate(records):
        if all(record.get(column) not in (None, "") for column in spec.identity):
            key = tuple(name_key(str(record[column])) for column in spec.identity)
            groups.setdefault(key, []).append(position)
    problems = []
    for positions in groups.values():
        bodies = [str(records[position].get(BODY) or "") for position in positions]
        if len(positions) < 2 or len(set(bodies)) < 2:
            continue  # one body listing two alike: its own two (two classes on one topic)
        first = records[positions[0]]
        alike = ", ".join(
            f"{columns[name].label} {_shown_value(columns[name], first[name])}"
            for name in spec.identity
        )
        rows = vnformat_join(str(position + 1) for position in positions)
        names = dict.fromkeys(name for body in bodies for name in bodies_in(body))
        problems.append(
            Problem(
                (spec.name, positions[1]),
                f"các dòng {rows} của '{spec.label}' có thể là một ({alike}) do "
                f"{vnformat_join(names)} báo cáo khác nhau chi tiết; nếu là một, hãy giữ một dòng",
                "warning",
            )
        )
    return problems


def merge_by_fields(
    section_type: SectionType,
    contributions: Sequence[Contribution],
    previous: dict[str, Any] | None,
    *,
    narrative: Callable[[dict[str, Any]], str] | None = None,
    summed: tuple[str, ...] = (),
) -> MergedSection:
    """The merge of a list-like section type, driven by its field descriptions.

    - "records" fields: `union_records`, with the body column when the records declare a
      `body` field; those named in `summed` instead add up per year (`sum_by_year`);
    - "list" fields: every distinct item, in order;
    - the coordinator's fields (`COORDINATOR_FIELDS`): kept from `previous`, else the default;
    - `gathered`, when declared: each body's `narrative(data)` with its name as a lead-in;
    - other fields: kept from `previous`; else the first contribution's value, with a
      warning when the bodies wrote different values.
    """
    data = section_type.new_data()
    merged = MergedSection(data)
    for spec in section_type.fields:
        name = spec.name
        if name == GATHERED:
            continue
        if spec.kind == "records" and name in summed:
            data[name] = sum_by_year(contributions, name, merged)
        elif spec.kind == "records":
            body_column = any(column.name == BODY for column in spec.fields)
            data[name] = union_records(contributions, name, merged, body_column=body_column)
            if body_column and spec.identity:
                merged.findings.extend(maybe_one_thing(data[name], spec))
        elif spec.kind == "list":
            items = _distinct(
                item
                for contribution in contributions
                if isinstance(contribution.data.get(name), list)
                for item in contribution.data[name]
            )
            data[name] = items
            for contribution in contributions:
                if contribution.data.get(name):
                    merged.credit(contribution, name)
        elif name in COORDINATOR_FIELDS:
            if previous and name in previous:
                data[name] = previous[name]
        else:
            _merge_setting(name, contributions, previous, merged)
    if narrative is not None and any(spec.name == GATHERED for spec in section_type.fields):
        data[GATHERED] = gather_text(
            contributions, lambda contribution: narrative(contribution.data), merged
        )
    return merged
