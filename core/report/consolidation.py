"""What `tongket merge` records in a consolidated report (báo cáo tổng hợp), as data.

Two tables, both written by the merge and read back by `check`, the app and the next merge:

- `[consolidation]` at the top: the outline (đề cương) the report consolidates and the replies
  merged into it, each with the body (đơn vị) it came from;
- `[sections.provenance]` in a merged section: the sources (which reply, which body, which of
  its sections, and the data paths each contributed to) and the findings of the merge (a unit
  that disagrees, a section gathered verbatim), so a message about a merged value can name
  where the value came from.

```toml
[consolidation]
outline = "de-cuong.toml"              # relative to the consolidated report
[[consolidation.replies]]
body = "sct"
file = "tra-loi/sct.toml"

[[sections]]
type = "economic-results"
[[sections.provenance.sources]]
body = "sct"
name = "Sở Công Thương"
reply = "tra-loi/sct.toml"
section = "2.1."
paths = ["indicators.1"]             # inside this section's data, as `check` prints paths
[[sections.provenance.findings]]
path = "indicators.2.unit"
message = "…"
severity = "warning"
```

A section whose gathered text (each body's prose) changed while the coordinator's printed text
was kept also records those bodies and a fingerprint of the printed fields as the merge wrote
them (`unprinted = ["Sở Thông tin và Truyền thông"]`, `printed = "…"`): until the coordinator
edits those fields, every later merge keeps naming the bodies (`tongket.core.workflow.merge`).

Reading raises `ShapeError` (path inside the table, message); the store turns it into a
`ReportFileError` with the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tongket.core.problems import SEVERITIES, PathPart


class ShapeError(ValueError):
    """A consolidation table of the wrong shape: where (inside the table) and what was expected."""

    def __init__(self, path: tuple[PathPart, ...], message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


@dataclass(frozen=True)
class Source:
    """One contribution to a merged section: which body's reply, which of its sections.

    `paths` are the places in the merged data this contribution went into, dotted and counted
    from 1 ("indicators.1", "delegations.3"); a message about a value at or below one of them
    names this source.
    """

    body: str  # the body's id in the outline ("sct")
    name: str  # the body's name as the outline writes it ("Sở Công Thương")
    reply: str  # the reply file, relative to the consolidated report
    section: str = ""  # the reply's section number ("2.1.")
    paths: tuple[str, ...] = ()

    def label(self) -> str:
        """How messages name this source: "Sở Công Thương (sct.toml, mục 2.1.)"."""
        where = f"{self.reply}, mục {self.section}" if self.section else self.reply
        return f"{self.name} ({where})"


@dataclass(frozen=True)
class MergeFinding:
    """Something the merge noticed in one section: a path inside its data and a message."""

    path: str  # dotted inside the section's data, "" for the section as a whole
    message: str
    severity: str = "warning"


@dataclass
class Provenance:
    """A merged section's `[sections.provenance]`: its sources and the merge's findings."""

    sources: list[Source] = field(default_factory=list)
    findings: list[MergeFinding] = field(default_factory=list)
    #: Bodies whose gathered text is not in the printed text yet, and the printed fields'
    #: fingerprint when the merge wrote them (see the module docstring).
    unprinted: tuple[str, ...] = ()
    printed: str = ""

    def sources_of(self, path: tuple[PathPart, ...]) -> list[Source]:
        """The sources of the value at `path` inside the section's data (0-based positions)."""
        shown = ".".join(str(part + 1) if isinstance(part, int) else part for part in path)
        return [
            source
            for source in self.sources
            if any(shown == item or shown.startswith(item + ".") for item in source.paths)
        ]


@dataclass(frozen=True)
class ReplyLink:
    """One reply merged into the consolidated report: the body and the file (relative)."""

    body: str
    file: str


@dataclass
class Consolidation:
    """The `[consolidation]` table: the outline and the replies a consolidated report merged."""

    outline: str = ""
    replies: list[ReplyLink] = field(default_factory=list)


# -- reading and writing ------------------------------------------------------------------------


def _text(table: dict, key: str, path: tuple, *, required: bool = False) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise ShapeError((*path, key), "cần một chuỗi văn bản")
    if required and not value.strip():
        raise ShapeError((*path, key), "thiếu giá trị bắt buộc")
    return value


def _keys(table: Any, path: tuple, known: tuple[str, ...], what: str) -> dict:
    if not isinstance(table, dict):
        raise ShapeError(path, f"cần {what}")
    for key in table:
        if key not in known:
            raise ShapeError(
                (*path, key), f"khóa không được biết (các khóa hợp lệ: {', '.join(known)})"
            )
    return table


def _rows(table: dict, key: str, path: tuple) -> list:
    value = table.get(key, [])
    if not isinstance(value, list):
        raise ShapeError((*path, key), "cần một danh sách các bảng")
    return value


def read_provenance(table: Any) -> Provenance:
    """A `[sections.provenance]` table as `Provenance` (raises `ShapeError`)."""
    known = ("sources", "findings", "unprinted", "printed")
    _keys(table, (), known, "một bảng [sections.provenance]")
    unprinted = table.get("unprinted", [])
    if not isinstance(unprinted, list) or not all(isinstance(name, str) for name in unprinted):
        raise ShapeError(("unprinted",), "cần một danh sách chuỗi")
    sources = []
    for index, row in enumerate(_rows(table, "sources", ())):
        where = ("sources", index)
        known = ("body", "name", "reply", "section", "paths")
        _keys(row, where, known, "một bảng nguồn (body, name, reply, section, paths)")
        paths = row.get("paths", [])
        if not isinstance(paths, list) or not all(isinstance(item, str) for item in paths):
            raise ShapeError((*where, "paths"), "cần một danh sách chuỗi")
        sources.append(
            Source(
                body=_text(row, "body", where),
                name=_text(row, "name", where),
                reply=_text(row, "reply", where, required=True),
                section=_text(row, "section", where),
                paths=tuple(paths),
            )
        )
    findings = []
    for index, row in enumerate(_rows(table, "findings", ())):
        where = ("findings", index)
        _keys(row, where, ("path", "message", "severity"), "một bảng (path, message, severity)")
        severity = _text(row, "severity", where) or "warning"
        if severity not in SEVERITIES:
            raise ShapeError((*where, "severity"), f"cần một trong {', '.join(SEVERITIES)}")
        message = _text(row, "message", where, required=True)
        findings.append(MergeFinding(_text(row, "path", where), message, severity))
    return Provenance(sources, findings, tuple(unprinted), _text(table, "printed", ()))


def provenance_table(provenance: Provenance) -> dict[str, Any]:
    """The `[sections.provenance]` table written for `provenance`."""
    table: dict[str, Any] = {}
    if provenance.sources:
        table["sources"] = [
            {
                "body": source.body,
                "name": source.name,
                "reply": source.reply,
                "section": source.section,
                "paths": list(source.paths),
            }
            for source in provenance.sources
        ]
    if provenance.findings:
        table["findings"] = [
            {"path": finding.path, "message": finding.message, "severity": finding.severity}
            for finding in provenance.findings
        ]
    if provenance.unprinted:
        table["unprinted"] = list(provenance.unprinted)
        table["printed"] = provenance.printed
    return table


def read_consolidation(table: Any) -> Consolidation:
    """The `[consolidation]` table as `Consolidation` (raises `ShapeError`)."""
    _keys(table, (), ("outline", "replies"), "một bảng [consolidation] (outline, replies)")
    replies = []
    for index, row in enumerate(_rows(table, "replies", ())):
        where = ("replies", index)
        _keys(row, where, ("body", "file"), "một bảng (body, file)")
        replies.append(
            ReplyLink(_text(row, "body", where), _text(row, "file", where, required=True))
        )
    return Consolidation(_text(table, "outline", ()), replies)


def consolidation_table(consolidation: Consolidation) -> dict[str, Any]:
    """The `[consolidation]` table written for `consolidation`."""
    table: dict[str, Any] = {"outline": consolidation.outline}
    if consolidation.replies:
        table["replies"] = [
            {"body": reply.body, "file": reply.file} for reply in consolidation.replies
        ]
    return table
