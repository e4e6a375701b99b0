"""The report as data: particulars of the dispatch, cited documents and the ordered sections.

A `Project` is what one TOML file holds. Sections keep their plugin's data as a plain table
(`Section.data`), so a section whose plugin is not installed survives a load and save untouched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from tongket.core.report.consolidation import Consolidation, Provenance
    from tongket.core.report.includes import PartFile

SCHEMA_VERSION = 1

#: The two document kinds: a dispatch (công văn: "V/v …" and "Kính gửi") and a report (báo cáo).
KINDS = ("cong-van", "bao-cao")
#: Authority prefixes before the head's title (NĐ30 II.7.b); "" signs as the head.
SIGNER_PREFIXES = ("", "KT.", "TL.", "TUQ.", "Q.", "TM.")
#: Where a section's table goes: in the body, in a phụ lục (appendix), or nowhere.
TABLE_PLACEMENTS = ("inline", "appendix", "none")

TablePlacement = Literal["inline", "appendix", "none"]


@dataclass
class Signer:
    """The signature block (ô 7): authority prefix, the head's title, the signer's own title, name.

    With prefix "KT." and head_title "GIÁM ĐỐC", signer_title "PHÓ GIÁM ĐỐC" prints
    "KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC". With no prefix only head_title is printed. On behalf
    of a collective (prefix "TM.", head_title "ỦY BAN NHÂN DÂN") a deputy signs for its head:
    `for_head` "CHỦ TỊCH" adds the line "KT. CHỦ TỊCH" between the two. Its fields are
    described in `tongket.core.report.particulars`, like those of `Particulars`.
    """

    prefix: str = ""
    head_title: str = ""
    for_head: str = ""  # TM. only: the collective's head a deputy signs for ("KT. CHỦ TỊCH")
    signer_title: str = ""
    name: str = ""

    def title_lines(self) -> list[str]:
        """The upper-case lines above the signature, in print order."""
        first = f"{self.prefix} {self.head_title}".strip()
        lines = [first.upper()] if first else []
        if self.prefix == "TM." and self.for_head.strip():
            lines.append(f"KT. {self.for_head.strip()}".upper())
        if self.prefix and self.signer_title:
            lines.append(self.signer_title.upper())
        return lines


@dataclass
class Particulars:
    """The document's particulars (thể thức): everything outside the sections.

    A field added here is described in `tongket.core.report.particulars` too, at the same position:
    that description drives the reader, the writer, the checks and the app's form.
    """

    kind: str = "cong-van"
    parent_agency: str = ""  # cơ quan chủ quản, e.g. "UBND TỈNH QUẢNG NGÃI"
    agency: str = ""  # cơ quan ban hành, e.g. "SỞ CÔNG THƯƠNG"
    number: str = ""  # số; empty in a draft, filled in by the records office
    symbol: str = ""  # ký hiệu, e.g. "SCT-VP"
    place: str = ""  # địa danh
    date: dt.date | None = None
    subject: str = ""  # trích yếu, without "V/v"
    recipients: list[str] = field(default_factory=list)  # Kính gửi
    closing: str = ""  # e.g. "Sở Công Thương kính báo cáo./."
    signer: Signer = field(default_factory=Signer)
    distribution: list[str] = field(default_factory=list)  # Nơi nhận, last "Lưu: …"

    @property
    def number_line(self) -> str:
        """ "Số: 05/SCT-VP", or "Số: /SCT-VP" while the number is left empty."""
        number = self.number.strip()
        if number.isdigit() and len(number) < 2:
            number = number.zfill(2)
        return f"Số: {number}/{self.symbol}"


@dataclass
class Citation:
    """A cited document (văn bản được dẫn), formatted by `tongket.core.render.citations`."""

    kind: str  # "Chỉ thị", "Nghị quyết", "Công văn", …
    number: str  # "04-CT/TW"
    date: dt.date | None = None
    issuer: str = ""  # "Ban Bí thư khóa XI"
    title: str = ""  # "về việc tiếp tục đổi mới …"


@dataclass
class Section:
    """One section of the body: its type (a plugin's section-type id) and that plugin's data."""

    type: str
    number: str = ""  # "2.1."; printed before the heading, or before the first paragraph
    heading: str = ""  # may be empty: the number then starts the first paragraph
    data: dict = field(default_factory=dict)
    version: int | None = None  # version of the section type that last wrote `data`
    table: str = "inline"  # one of TABLE_PLACEMENTS
    #: Hướng dẫn for the drafter, from the outline (đề cương): shown in the app, never exported.
    guidance: str = ""
    #: The file this section lives in, as the report's `include = "…"` writes it (relative to
    #: the report), or None for a section written inline. Where a section is kept is not part
    #: of what it says: two sections differing only here compare equal.
    include: str | None = field(default=None, compare=False)
    #: Where a merged section's data came from (`tongket merge`): `[sections.provenance]`.
    provenance: Provenance | None = None

    @property
    def level(self) -> int:
        """Heading depth from the number: "2." → 1, "2.1." → 2."""
        number = self.number
        if number.isprintable() and " " not in number:
            # No whitespace anywhere (the usual "2.1."): a blank part is an empty one, counted
            # in C. Read for every section of every render, so no list is built for it.
            parts = number.split(".")
            return max(1, min(len(parts) - parts.count(""), 4))
        return max(1, min(len([part for part in number.split(".") if part.strip()]), 4))

    @property
    def label(self) -> str:
        """How messages name this section: its number and heading, or its type."""
        number, heading = self.number, self.heading
        return (f"{number} {heading}" if number and heading else number or heading) or self.type


@dataclass
class OutlineLink:
    """A reply's `[outline]` table: the outline file (relative to the report) and which body
    of it (đơn vị báo cáo) this reply is from; `tongket.core.workflow.gaps` checks against it."""

    file: str
    body: str = ""


@dataclass
class Project:
    """A whole report: what one TOML file holds."""

    document: Particulars = field(default_factory=Particulars)
    citations: dict[str, Citation] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION
    #: What was read from (or last written to) each included file, by its `include` path:
    #: bookkeeping for saving (`tongket.core.report.includes.PartFile`), not report content.
    parts: dict[str, PartFile] = field(default_factory=dict, compare=False, repr=False)
    #: The outline (đề cương) this report replies to: its `[outline]` table, or None.
    outline: OutlineLink | None = None
    #: The outline and replies a consolidated report merged (`tongket merge`), or None.
    consolidation: Consolidation | None = None
