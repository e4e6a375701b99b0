"""`tongket check`: the sections' own validation plus NĐ30 rules on the particulars.

Findings are `Problem`s with a dotted path from the top of the file ("document.distribution",
"sections.4.data.periods.2.stated_growth"), so a drafter can find the field at fault.

Besides the rules, the checks guard against values no drafter means: a field of a megabyte, an
agency name of a hundred thousand characters (a hundred pages of letterhead), a date in year 1,
citations expanding into themselves, characters that reorder or hide text, pictures outside
the report's folder.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from tongket.core.host.fieldcheck import YEAR_RANGE
from tongket.core.host.sectiontypes import Field, SectionType
from tongket.core.problems import PathPart, Problem
from tongket.core.render import vnformat
from tongket.core.render.blocks import (
    BlockDispatch,
    BulletList,
    Chart,
    ErrorBlock,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Table,
)
from tongket.core.render.citations import nesting_problems, repeated_full_mentions
from tongket.core.render.document import RenderedDocument, subject_prefix
from tongket.core.report import particulars
from tongket.core.report.model import KINDS, SIGNER_PREFIXES, Particulars, Project
from tongket.core.report.store import SECTION_KEYS, to_table
from tongket.core.writers.images import ImageFolders, ImageRefused
from tongket.core.writers.sanitize import illegal_characters
from tongket.core.writers.terminal import BIDI_CONTROLS, bidi_controls

if TYPE_CHECKING:
    from tongket.core.report.tomlpos import KeyLocator

#: One field longer than this (about 30 printed pages) is almost surely a paste gone wrong.
MAX_FIELD_LENGTH = 100_000
#: A one-line field (a name, a title, a heading, a grid cell) longer than this is a warning.
MAX_LINE_LENGTH = 300
#: The same for the one-sentence fields: trích yếu, closing, a cited document's title.
MAX_SENTENCE_LENGTH = 1_000
#: A document dated more days ahead than this is most likely a mistyped year.
MAX_DAYS_AHEAD = 30
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


#: What precedes a place in an agency's name: "UBND TỈNH QUẢNG NGÃI", "UBND THÀNH PHỐ HUẾ".
_PLACE_AFTER = re.compile(
    r"(?i)\b(?:tỉnh|thành phố|tp\.|huyện|quận|thị xã|xã|phường|thị trấn)\s+(?P<place>.+)$"
)


def repeated_place(parent_agency: str, agency: str) -> str | None:
    """The place an agency's name repeats from its parent's ("Sở Ngoại vụ Quảng Ngãi" under
    "UBND TỈNH QUẢNG NGÃI" gives "Quảng Ngãi"), as the agency writes it; else None. The
    letterhead prints the parent above the agency, so the place is already said: a
    consolidation whose agency comes from an outline's long name printed "SỞ NGOẠI VỤ QUẢNG
    NGÃI" where NĐ30's examples print "SỞ NGOẠI VỤ"."""
    match = _PLACE_AFTER.search(" ".join(parent_agency.split()))
    words = agency.split()
    if match is None:
        return None
    place = match["place"].split()
    if len(words) <= len(place) + 1:
        return None  # nothing but a word and the place ("Sở Quảng Ngãi"): leave it
    tail = words[-len(place) :]
    if [word.casefold() for word in tail] != [word.casefold() for word in place]:
        return None
    return " ".join(tail)


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
    if signer.for_head.strip() and signer.prefix != "TM.":
        add(
            ("signer", "for_head"),
            "dòng 'KT. …' dưới tên tập thể chỉ in khi thẩm quyền ký là TM.; chọn TM. hoặc để "
            "trống ô này",
            "warning",
        )
    elif signer.for_head.strip() and not signer.signer_title.strip():
        add(
            ("signer", "signer_title"),
            f"ký thay {signer.for_head.strip().upper()} cần chức vụ của người ký (ví dụ PHÓ "
            f"{signer.for_head.strip().upper()})",
        )
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
    if repeated := repeated_place(document.parent_agency, document.agency):
        add(
            ("agency",),
            f"tên cơ quan ban hành lặp địa danh '{repeated}' đã có ở cơ quan chủ quản "
            f"'{document.parent_agency.strip()}'; tiêu đề văn bản thường chỉ ghi "
            f"'{document.agency.strip()[: -len(repeated)].strip().upper()}'",
            "warning",
        )
    if not document.closing.strip():
        from tongket.core.render.viethoa import agency_in_sentence  # only for this message

        agency = agency_in_sentence(document.agency) or "Sở Công Thương"
        add(("closing",), f"thiếu câu kết (ví dụ '{agency} kính báo cáo./.')", "warning")
    return problems


def date_problems(project: Project, today: dt.date | None = None) -> list[Problem]:
    """Dates no review report has: outside `YEAR_RANGE`, far ahead, or a citation after it."""
    low, high = YEAR_RANGE
    today = today or dt.date.today()
    problems: list[Problem] = []
    day = project.document.date
    if day is not None and not low <= day.year <= high:
        problems.append(
            Problem(
                ("document", "date"),
                f"ngày ban hành {day.isoformat()} nằm ngoài các năm {low}–{high}",
            )
        )
        day = None  # nothing further to compare with
    elif day is not None and (day - today).days > MAX_DAYS_AHEAD:
        problems.append(
            Problem(
                ("document", "date"),
                f"ngày ban hành {day.isoformat()} sau hôm nay ({today.isoformat()}) hơn "
                f"{MAX_DAYS_AHEAD} ngày: kiểm tra lại ngày tháng (có gõ nhầm năm không?)",
                "warning",
            )
        )
    for key, citation in project.citations.items():
        cited = citation.date
        where = ("citations", key, "date")
        if cited is None:
            continue
        if not low <= cited.year <= high:
            message = f"ngày văn bản được dẫn {cited.isoformat()} nằm ngoài các năm {low}–{high}"
            problems.append(Problem(where, message))
        elif day is not None and cited > day:
            problems.append(
                Problem(
                    where,
                    f"văn bản được dẫn ban hành ngày {cited.isoformat()}, sau ngày ban hành "
                    f"văn bản này ({day.isoformat()})",
                    "warning",
                )
            )
    return problems


def _no_prose(block: object) -> None:
    return None


#: The prose of a block that the citation check reads, or None: drafters cite documents in
#: headings and paragraphs; lists, tables and captions are not searched.
_PROSE: BlockDispatch[str | None] = BlockDispatch(
    "tongket.core.checks.citation_problems",
    {
        Heading: lambda heading: heading.line,
        Paragraph: lambda paragraph: paragraph.text,
        **dict.fromkeys((BulletList, Table, Image, Chart, PageBreak, ErrorBlock), _no_prose),
    },
)


def prose_of(rendered: RenderedDocument) -> list[tuple[int, str]]:
    """(section index, text) of every heading and paragraph, in reading order: what the
    citation and signed-change checks read (`check_project` gathers it once for both)."""
    return _prose_and_kinds(rendered)[0]


def _prose_and_kinds(rendered: RenderedDocument) -> tuple[list[tuple[int, str]], set[type]]:
    """`prose_of`, and the classes of the blocks other than exact `Paragraph` and `Heading`:
    what `image_problems` needs to know whether there is a picture at all, from the same walk.
    """
    paragraphs: list[tuple[int, str]] = []
    others: set[type] = set()
    append = paragraphs.append
    for result in rendered.sections:
        index = result.index
        for block in result.blocks:
            kind = block.__class__
            # The two prose classes read directly (what `_PROSE` gives them); a subclass or
            # any other block goes through the dispatch.
            if kind is Paragraph:
                append((index, block.text))
            elif kind is Heading:
                append((index, block.line))
            else:
                others.add(kind)
                text = _PROSE[kind](block)
                if text is not None:
                    append((index, text))
    return paragraphs, others


def citation_problems(
    rendered: RenderedDocument, paragraphs: list[tuple[int, str]] | None = None
) -> list[Problem]:
    """Later mentions of a cited document written out in full by hand (NĐ30 II.6.b).

    paragraphs: `prose_of(rendered)`, when the caller has it already."""
    paragraphs = prose_of(rendered) if paragraphs is None else paragraphs
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


#: "tăng -2,2%", "giảm bình quân -1,6%/năm": a signed number after a word that already says
#: the direction (a template put "tăng" before a raw rate that turned out negative). Found from
#: the signed number, which is rare, then the words before it.
_SIGNED_NUMBER = re.compile(r"[-−–]\s?\d[\d.,]*\s*(?:%|lần)?")
_DIRECTION_BEFORE = re.compile(r"\b(?:tăng|giảm)(?:\s+(?:bình quân|gấp|thêm))?\s+$")


def signed_change_problems(
    rendered: RenderedDocument, paragraphs: list[tuple[int, str]] | None = None
) -> list[Problem]:
    """Sentences that print a fall as a negative rise ("tăng -2,2%"), one finding each.

    paragraphs: `prose_of(rendered)`, when the caller has it already."""
    problems = []
    for index, text in prose_of(rendered) if paragraphs is None else paragraphs:
        if not text or ("-" not in text and "−" not in text and "–" not in text):
            continue
        for number in _SIGNED_NUMBER.finditer(text):
            start = number.start()
            words = _DIRECTION_BEFORE.search(text, max(0, start - 24), start)
            if words is None:
                continue
            problems.append(
                Problem(
                    ("sections", index, "data"),
                    f"câu in '{text[words.start() : number.end()].strip()}': số âm sau chữ "
                    "chỉ chiều đọc ngược nghĩa; dùng chỗ trống có chiều (ví dụ "
                    "{bien_dong_binh_quan[…]}, {bien_dong_nam[…]}, {so_voi[…]}) hoặc viết "
                    "lại câu",
                    "warning",
                )
            )
    return problems


def _strings(value: Any, path: tuple[PathPart, ...]) -> Iterator[tuple[tuple, str]]:
    """Every string in `value` with its path, in reading order."""
    # A stack, not recursive generators: a report's tens of thousands of grid cells each paid
    # one generator frame per level of nesting.
    stack: list[tuple[tuple, Any]] = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, dict):
            stack.extend(((*where, key), child) for key, child in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend(((*where, index), item[index]) for index in range(len(item) - 1, -1, -1))


def _texts(value: Any, found: list[str]) -> list[str]:
    """The strings in `value`, in the order `_strings` gives them, without their paths."""
    # A stack of iterators, as deep as the nesting: a string costs one loop step, never a
    # push and a pop, and a hostile file's deep nesting no recursion.
    append = found.append
    stack = [iter((value,))]
    push, pop = stack.append, stack.pop
    while stack:
        for item in stack[-1]:
            kind = type(item)
            if kind is str:
                append(item)
            elif kind is dict:
                push(iter(item.values()))
                break
            elif kind is list:
                push(iter(item))
                break
            elif isinstance(item, str):
                append(item)
            elif isinstance(item, dict):
                push(iter(item.values()))
                break
            elif isinstance(item, list):
                push(iter(item))
                break
        else:
            pop()
    return found


def text_problems(project: Project) -> list[Problem]:
    """Every text field holding characters Word cannot store, or runaway length, by its path.

    The characters (C0 controls, U+FFFE/U+FFFF, lone surrogates: pasted from PDFs and old
    .doc files) are dropped by the DOCX writer's sanitiser, so they are warnings; a field over
    `MAX_FIELD_LENGTH` characters is an error. DEL and C1 controls (kept by Word, shown by no
    one) and bidirectional overrides and isolates (they reorder what a reader sees) are
    warnings too.
    """
    problems: list[Problem] = []
    strings = _report_strings(project)
    if strings is not None and _all_plain(strings):
        return problems  # the usual report: no table and no path needs to be built
    # The table mirrors the file, so the paths are the file's own dotted keys.
    table = to_table(project)
    if strings is None and _all_plain(_texts(table, [])):
        return problems
    for path, text in _strings(table, ()):
        if _plain(text):
            continue
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
            problems.append(
                Problem(
                    path,
                    f"có ký tự không hợp lệ trong Word ({_positions(found)}); sẽ bị bỏ khi xuất "
                    "tệp Word",
                    "warning",
                )
            )
        controls = [(match.start(), match.group()) for match in _C1_CONTROLS.finditer(text)]
        if controls:
            shown = _positions([(at, f"U+{ord(char):04X}") for at, char in controls])
            message = f"có ký tự điều khiển không in được ({shown}); hãy xóa"
            problems.append(Problem(path, message, "warning"))
        bidi = bidi_controls(text)
        if bidi:
            problems.append(
                Problem(
                    path,
                    f"có ký tự đảo chiều hiển thị ({_positions(bidi)}): chữ hiện ra khác thứ tự "
                    "thật và có thể che giấu nội dung; hãy xóa",
                    "warning",
                )
            )
    return problems


def _report_strings(project: Project) -> list[str] | None:
    """Every string of `to_table(project)`, in some order, read from the project without
    building each section's table; None for a report with merged sections (their provenance
    has its own table).

    A section's table (`store.section_table`) holds the attributes `store.SECTION_KEYS`
    names; all of them but the provenance are gathered here (an absent guidance as "", which
    has nothing to report). What has nothing to report here has nothing in the table either,
    so `text_problems` builds the table only for a report with something to say.
    """
    sections = project.sections
    if not _JUST_NONE.issuperset(map(type, map(_PROVENANCE_OF, sections))):
        return None
    head = _texts(to_table(dataclasses.replace(project, sections=[])), [])
    # The usual sections, read in C-level passes with no frame per value: every text attribute
    # exactly a str, every version an int or None, every data table exactly a dict of strs
    # (a short section's `text`). Anything else (a list in the data, a subclass, a stray type)
    # takes the walk, which gives the same strings.
    texts = list(chain.from_iterable(map(_SECTION_TEXTS, sections)))
    datas = list(map(_DATA_OF, sections))
    if (
        _JUST_STR.issuperset(map(type, texts))
        and _VERSION_TYPES.issuperset(map(type, map(_VERSION_OF, sections)))
        and _JUST_DICT.issuperset(map(type, datas))
    ):
        values = list(chain.from_iterable(map(dict.values, datas)))
        if _JUST_STR.issuperset(map(type, values)):
            return [*head, *texts, *values]
    values = attrgetter(*(key for key in SECTION_KEYS if key != "provenance"))
    return _texts([head, list(chain.from_iterable(map(values, sections)))], [])


#: A section's text attributes (all of `SECTION_KEYS` but the version, data and provenance),
#: and the pieces `_report_strings` reads on its short way.
_SECTION_TEXTS = attrgetter(
    *(key for key in SECTION_KEYS if key not in ("version", "data", "provenance"))
)
_DATA_OF = attrgetter("data")
_TYPE_OF = attrgetter("type")
_PROVENANCE_OF = attrgetter("provenance")
_JUST_NONE = frozenset({type(None)})
_NUMBER_OF = attrgetter("number")
_HEADING_OF = attrgetter("heading")
_VERSION_OF = attrgetter("version")
_JUST_STR = frozenset({str})
_JUST_DICT = frozenset({dict})
_VERSION_TYPES = frozenset({int, type(None)})


#: Every character `text_problems` reports: what Word cannot store (`illegal_characters`),
#: DEL and the C1 controls, bidirectional overrides and isolates.
_REPORTED = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff" + "".join(sorted(BIDI_CONTROLS)) + "]"
)


#: Strings `_all_plain` joins for one scan: a few hundred kilobytes, never the whole report.
_PLAIN_BATCH = 2048


def _all_plain(texts: list[str]) -> bool:
    """`_plain` for every string, a batch of them joined for each scan: a report's tens of
    thousands of short strings cost one Python call each otherwise. Joining adds no
    character, so a reported character is in the batch exactly when it is in one string."""
    if texts and max(map(len, texts)) > MAX_FIELD_LENGTH:
        return False
    for start in range(0, len(texts), _PLAIN_BATCH):
        batch = "".join(texts[start : start + _PLAIN_BATCH])
        if not batch.isprintable() and _REPORTED.search(batch) is not None:
            return False
    return True


def _plain(text: str) -> bool:
    """Nothing for `text_problems` to report: no character it looks for, not too long.

    The usual field is printable, one C-level scan; prose with line breaks is not, and one
    search for the reported characters replaces the three scans that name them.
    """
    return len(text) <= MAX_FIELD_LENGTH and (text.isprintable() or _REPORTED.search(text) is None)


#: DEL and the C1 controls: legal in XML, so the writer keeps them, but never meant in a report.
_C1_CONTROLS = re.compile("[\x7f-\x9f]")


def _positions(found: list[tuple[int, str]]) -> str:
    """ "U+0007 ở ký tự thứ 15, U+0000 ở ký tự thứ 24 và 2 ký tự khác"."""
    shown = ", ".join(f"{code} ở ký tự thứ {position + 1}" for position, code in found[:3])
    return shown + (f" và {len(found) - 3} ký tự khác" if len(found) > 3 else "")


def _long(text: str, limit: int) -> str | None:
    if limit < len(text) <= MAX_FIELD_LENGTH:  # longer still is an error of `text_problems`
        return (
            f"dài {vnformat.number(len(text))} ký tự, quá giới hạn {vnformat.number(limit)} "
            "ký tự của trường một dòng này; có thể đã dán nhầm"
        )
    return None


def _particulars_lines(document: Particulars) -> Iterator[tuple[tuple, str, int]]:
    # The particulars' free-text fields, as `particulars.FIELDS` classes them. One-value fields
    # come first and list items (Kính gửi, Nơi nhận) after, the order findings have always had.
    limits = {"line": MAX_LINE_LENGTH, "sentence": MAX_SENTENCE_LENGTH}
    measured = [spec for spec in particulars.FIELDS if spec.length is not None]
    for spec in measured:
        if spec.field.kind != "list":
            yield spec.path, particulars.value_at(document, spec.key), limits[spec.length]
    for spec in measured:
        if spec.field.kind == "list":
            for index, item in enumerate(particulars.value_at(document, spec.key)):
                yield (*spec.path, index), item, limits[spec.length]


def _one_line_fields(project: Project) -> Iterator[tuple[tuple, str, int]]:
    yield from _particulars_lines(project.document)
    for key, citation in project.citations.items():
        for name in ("kind", "number", "issuer"):
            yield ("citations", key, name), getattr(citation, name), MAX_LINE_LENGTH
        yield ("citations", key, "title"), citation.title, MAX_SENTENCE_LENGTH
    sections = project.sections
    if (
        _JUST_STR.issuperset(map(type, map(_NUMBER_OF, sections)))
        and _JUST_STR.issuperset(map(type, map(_HEADING_OF, sections)))
        and max(map(len, map(_NUMBER_OF, sections)), default=0) <= MAX_LINE_LENGTH
        and max(map(len, map(_HEADING_OF, sections)), default=0) <= MAX_LINE_LENGTH
    ):
        return  # no long number or heading (C-level passes, no loop step per section)
    for index, section in enumerate(sections):
        # Only a long one can be a finding: thousands of short headings build no path.
        if len(section.number) > MAX_LINE_LENGTH:
            yield ("sections", index, "number"), section.number, MAX_LINE_LENGTH
        if len(section.heading) > MAX_LINE_LENGTH:
            yield ("sections", index, "heading"), section.heading, MAX_LINE_LENGTH


def _long_field_lines(
    fields: Iterable[Field], data: Any, path: tuple
) -> Iterator[tuple[tuple, str]]:
    # The one-line values of a section's data longer than a line ("text" fields, "list"
    # items, inside records too): only those can be findings, and only they need a path.
    if not isinstance(data, dict):
        return
    for spec in fields:
        value = data.get(spec.name)
        if spec.kind == "text" and isinstance(value, str):
            if len(value) > MAX_LINE_LENGTH:
                yield (*path, spec.name), value
        elif spec.kind == "list" and isinstance(value, list):
            yield from (
                ((*path, spec.name, index), item)
                for index, item in enumerate(value)
                if isinstance(item, str) and len(item) > MAX_LINE_LENGTH
            )
        elif spec.kind == "records" and isinstance(value, list):
            for index, record in enumerate(value):
                yield from _long_field_lines(spec.fields, record, (*path, spec.name, index))


def _has_one_line_fields(fields: Iterable[Field]) -> bool:
    """Whether `_long_field_lines` can find anything under these fields: the kinds it reads."""
    return any(spec.kind in ("text", "list", "records") for spec in fields)


def line_length_problems(
    project: Project, section_types: Mapping[str, SectionType] | None = None
) -> list[Problem]:
    """One-line fields of absurd length (warnings): particulars, citations, headings, and the
    "text" and "list" fields of sections whose type is in `section_types`."""
    found = list(_one_line_fields(project))
    types = section_types or {}
    # The types present with a one-line field (prose-only types such as free text have none),
    # found once per type; without any, no section is walked.
    lined = {
        type_id: section_type
        for type_id in set(map(_TYPE_OF, project.sections))
        if (section_type := types.get(type_id)) is not None
        and _has_one_line_fields(section_type.fields)
    }
    for index, section in enumerate(project.sections if lined else ()):
        section_type = lined.get(section.type)
        if section_type is not None:
            path = ("sections", index, "data")
            lines = _long_field_lines(section_type.fields, section.data, path)
            found += [(path, text, MAX_LINE_LENGTH) for path, text in lines]
    return [
        Problem(path, message, "warning")
        for path, text, limit in found
        if (message := _long(text, limit))
    ]


def image_problems(
    rendered: RenderedDocument, images: ImageFolders, kinds: set[type] | None = None
) -> list[Problem]:
    """Pictures the writer would refuse (outside the report's folder, not an image, …).

    kinds: the classes of the report's blocks (at least every one not exactly a `Paragraph`
    or `Heading`), when the caller has them: with no `Image` among them there is no walk.
    """
    if kinds is not None and not any(issubclass(kind, Image) for kind in kinds):
        return []
    problems: list[Problem] = []
    for result in rendered.sections:
        for block in result.blocks:
            if not isinstance(block, Image):
                continue
            try:
                images.read(block.path)
            except ImageRefused as refused:
                message = f"hình '{block.path}' không chèn được: {refused}"
                problems.append(Problem(("sections", result.index), message))
    return problems


def capitalisation_problems(project: Project) -> list[Problem]:
    """Capitalisation against NĐ30 Phụ lục II (viết hoa) in the drafter's own text, as warnings.

    Read: trích yếu, câu kết, Kính gửi and Nơi nhận, cited documents' issuer and title, section
    headings and every string of a section's data (prose, templates, grid cells; not the text a
    merge gathers from the bodies), each by its own path. Checking the fields rather than the
    rendered paragraphs names the exact field and offset, and never blames a drafter for text a
    plugin wrote.
    """
    # Only `check` gives this advice: what export loads at start-up (the merge's helpers, the
    # capitalisation patterns, ~30 ms to compile) is imported here, on first use.
    from tongket.core.host.merging import GATHERED
    from tongket.core.render.viethoa import capitalisation_findings_in, finding_message

    document = project.document
    fields: list[tuple[tuple, Any]] = [
        (("document", name), getattr(document, name))
        for name in ("subject", "recipients", "closing", "distribution")
    ]
    fields += [
        (("citations", key, name), getattr(citation, name))
        for key, citation in project.citations.items()
        for name in ("issuer", "title")
    ]
    for index, section in enumerate(project.sections):
        fields += [(("sections", index, "heading"), section.heading)]
        # A consolidation's gathered text is the bodies' own, never printed, and written anew
        # by every merge: advice on it repeated each finding of the printed text beside it.
        data = section.data
        if GATHERED in data:
            data = {key: value for key, value in data.items() if key != GATHERED}
        fields += [(("sections", index, "data"), data)]
    texts_of = [_texts(value, []) for _where, value in fields]
    per_text = iter(capitalisation_findings_in([text for texts in texts_of for text in texts]))
    problems = []
    for (where, value), texts in zip(fields, texts_of, strict=True):
        findings = [next(per_text) for _ in texts]
        if any(findings):  # the paths are built only for the rare field with a finding
            for (path, text), found in zip(_strings(value, where), findings, strict=True):
                problems += [
                    Problem(path, finding_message(finding, text), "warning") for finding in found
                ]
    return problems


def outline_problems(project: Project, images: ImageFolders | None = None) -> list[Problem]:
    """A reply's gaps against the outline (đề cương) its `[outline]` table names, as warnings
    (`tongket.core.workflow.gaps`); the outline's path is relative to the report's folder,
    which `images` knows (the current folder without it)."""
    if project.outline is None:
        return []
    from tongket.core.workflow.gaps import outline_gaps  # only replies made from an outline

    return outline_gaps(project, (images or ImageFolders.for_report(None)).base)


def check_project(
    rendered: RenderedDocument,
    *,
    section_types: Mapping[str, SectionType] | None = None,
    images: ImageFolders | None = None,
    capitalisation: bool = True,
) -> list[Problem]:
    """Every finding for a rendered report, particulars first, then sections in order.

    section_types: the installed types, to check the length of their one-line fields.
    images: where pictures may come from (by default the current folder, as `build_docx`).
    capitalisation: include the viết hoa advice (`capitalisation_problems`).
    """
    project: Project = rendered.project
    nesting = [
        Problem(("citations", key, "title"), message)
        for key, message in nesting_problems(project.citations)
    ]
    prose, kinds = _prose_and_kinds(rendered)  # one walk of the blocks for three checks
    return in_included_files(project, [
        *particulars_problems(project.document),
        *date_problems(project),
        *nesting,
        *text_problems(project),
        *line_length_problems(project, section_types),
        *merged_problems(rendered.problems, project),
        *citation_problems(rendered, prose),
        *signed_change_problems(rendered, prose),
        *image_problems(rendered, images or ImageFolders.for_report(None), kinds),
        *(capitalisation_problems(project) if capitalisation else []),
        *outline_problems(project, images),
    ])  # fmt: skip


def merged_problems(problems: list[Problem], project: Project) -> list[Problem]:
    """The sections' problems; in a consolidated report (`tongket merge`) naming the replies a
    merged value came from, followed by what the merge itself noticed."""
    if not any(map(_PROVENANCE_OF, project.sections)):  # C-level: no loop step per section
        return problems
    from tongket.core.workflow.provenance import merge_findings, with_sources

    return [*with_sources(problems, project), *merge_findings(project)]


def with_lines(problems: list[Problem], text: str) -> list[Problem]:
    """The same problems, each given the line of the TOML text that holds its field.

    A problem placed in an included file already (`in_included_files`) keeps its place.
    """
    if not problems:
        return []  # a clean report: no need to read the file for lines
    from tongket.core.report.tomlpos import KeyLocator  # only a report with findings needs it

    locator = KeyLocator(text)  # one scan of the file for all findings
    return [
        problem
        if problem.file
        else Problem(problem.path, problem.message, problem.severity, locator.line(problem.path))
        for problem in problems
    ]


def in_included_files(project: Project, problems: list[Problem]) -> list[Problem]:
    """The same problems, those of a section kept in its own file placed on that file's line.

    Their path stays the report's (`sections.4.data…`), which the app follows to the field;
    `Problem.format` then names the included file instead of the report.
    """
    if not problems or all(section.include is None for section in project.sections):
        return problems
    from tongket.core.report.tomlpos import KeyLocator

    locators: dict[str, KeyLocator] = {}
    placed = []
    for problem in problems:
        path = problem.path
        index = path[1] if len(path) > 1 and path[0] == "sections" else None
        section = (
            project.sections[index]
            if isinstance(index, int) and 0 <= index < len(project.sections)
            else None
        )
        part = project.parts.get(section.include) if section and section.include else None
        if part is None:
            placed.append(problem)
            continue
        if part.include not in locators:
            locators[part.include] = KeyLocator(part.text)
        line = locators[part.include].line(path[2:]) or 1
        placed.append(Problem(path, problem.message, problem.severity, line, part.display))
    return placed
