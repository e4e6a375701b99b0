"""Media (tuyên truyền): recurring programmes and columns, and the items they published.

Data (`[sections.data]`):
- `programmes`: recurring programmes and columns (chuyên mục): name, outlets (cơ quan báo chí:
  the provincial radio–television station, the newspaper …), since (year), frequency (tần suất,
  written as it reads in a sentence: "thường xuyên", "hằng tuần"), decision (the citation key
  of the decision or plan that set it up);
- `items`: items published or broadcast (tin, bài): year, outlet, count;
- `intro`, `template`, `outro`, `after_tables`: the shared prose fields
  (`tongket.core.render.prose`).

Placeholders (a placeholder exists only when the data gives it a value): `{chuyen_muc}` (names in
curly quotes, “…”), `{so_chuyen_muc}`, `{co_quan}` (outlets joined: "Đài … và Báo …"),
`{quyet_dinh}` (the decisions, cited), `{tan_suat}`, `{tu_nam}`, `{tong_tin_bai}`,
`{giai_doan}`, `{nam_dau}`, `{nam_cuoi}`, `{chi_tiet_co_quan}` ("Báo Quảng Ngãi 54 tin, bài
và …"; three outlets or more are parted by semicolons, as "tin, bài" has its own comma),
`{tinh_den}` (" (năm 2021 tính đến thời điểm báo cáo)" when the report's date falls in the last
year with items, which has not ended; empty otherwise); indexed `{tin_bai[2020]}` by year and
`{tin_bai_theo_co_quan[Báo Quảng Ngãi]}` by outlet. Programmes whose names differ only in case
and spacing are one programme (`{chuyen_muc}`, `{so_chuyen_muc}`).

The default sentence gives the years with items as a period ("Giai đoạn 2018 – 2020") only when
no year in between lacks items; otherwise it names them ("Năm 2018 và 2020").

The table gives items per year and outlet, with totals: Năm | each outlet | Tổng cộng.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from types import ModuleType
from typing import Any, NamedTuple

from tongket.core import Field, Problem, SectionType
from tongket.core.host.merging import BODY_FIELD, name_key
from tongket.core.problems import did_you_mean
from tongket.core.render import vnformat
from tongket.core.render.blocks import Table
from tongket.core.render.narrative import prose_merge_hook
from tongket.core.render.prose import PROSE_FIELDS, ProseSection
from tongket.core.render.records import (
    blank_problems,
    citation_problem,
    distinct,
    mentions,
    recorded,
    records_of,
    year_problems,
    year_span,
)
from tongket.core.render.template import Values
from tongket.core.workflow.wanted import records_outline_hooks, records_word_hooks

PLACEHOLDER_HELP = (
    "Chỗ trống: {chuyen_muc}, {so_chuyen_muc}, {co_quan}, {quyet_dinh}, {tan_suat}, {tu_nam}, "
    "{tong_tin_bai}, {giai_doan}, {nam_dau}, {nam_cuoi}, {chi_tiet_co_quan}, {tinh_den}, "
    "{tin_bai[năm]}, {tin_bai_theo_co_quan[tên cơ quan]}."
)

FIELDS: tuple[Field, ...] = (
    Field(
        "programmes",
        "Chương trình, chuyên mục",
        kind="records",
        identity=("name",),  # rows of two bodies alike in these: maybe one
        help="Mỗi dòng là một chuyên mục, chương trình phát định kỳ.",
        fields=(
            Field("name", "Tên chuyên mục", required=True, help="Viết không có ngoặc kép."),
            Field(
                "outlets",
                "Cơ quan đăng, phát",
                kind="list",
                required=True,
                help="Ví dụ Đài Phát thanh – Truyền hình, Báo Quảng Ngãi.",
            ),
            Field("since", "Từ năm", kind="integer"),
            Field(
                "frequency",
                "Tần suất",
                help="Viết như khi đọc trong câu, ví dụ thường xuyên, hằng tuần.",
            ),
            Field(
                "decision",
                "Văn bản thành lập",
                help="Khóa văn bản trong [citations], ví dụ qd1173.",
            ),
            BODY_FIELD,
        ),
    ),
    Field(
        "items",
        "Tin, bài đã đăng, phát",
        kind="records",
        help="Mỗi dòng là số tin, bài của một cơ quan trong một năm.",
        fields=(
            Field("year", "Năm", kind="integer", required=True),
            Field("outlet", "Cơ quan", required=True, help="Viết đúng như trong chuyên mục."),
            Field("count", "Số tin, bài", kind="integer", unit="tin, bài", required=True),
            BODY_FIELD,
        ),
    ),
    *(
        replace(spec, help=f"{spec.help} {PLACEHOLDER_HELP}") if spec.name == "template" else spec
        for spec in PROSE_FIELDS
    ),
)

SECTION_TYPE = SectionType(
    id="media",
    title="Tuyên truyền",
    version=1,
    description="Chuyên mục, chương trình tuyên truyền và số tin, bài theo năm, cơ quan.",
    fields=FIELDS,
    default_data={"programmes": [], "items": [], "intro": "", "template": "", "outro": ""},
)

TABLE_CAPTION = "Số tin, bài đã {verb} theo năm và cơ quan"
TOTAL_LABEL = "Tổng cộng"
NO_DATA = "–"  # a year and outlet with no row: not recorded, which is not the same as 0
UNFINISHED_NOTE = "Năm {year} chưa kết thúc: số tin, bài năm {year} chưa đủ cả năm."


# A NamedTuple: cheaper to define at every start than a frozen dataclass (developer guide).
class MediaSummary(NamedTuple):
    """Items summed by year and outlet, from shape-checked data."""

    outlets: tuple[str, ...]  # outlets that have items: the programmes' order, then the rest
    years: tuple[int, ...]  # years that have items, ascending
    counts: dict[tuple[int, str], int]  # (year, outlet) → items; duplicate rows are added

    @property
    def by_year(self) -> dict[int, int]:
        return {
            year: sum(count for (row_year, _), count in self.counts.items() if row_year == year)
            for year in self.years
        }

    @property
    def by_outlet(self) -> dict[str, int]:
        return {
            outlet: sum(count for (_, name), count in self.counts.items() if name == outlet)
            for outlet in self.outlets
        }

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def summarize(data: dict[str, Any]) -> MediaSummary:
    """Totals of the `items` rows by year and outlet."""
    counts: dict[tuple[int, str], int] = {}
    for record in records_of(data, "items"):
        key = (record["year"], record["outlet"].strip())
        counts[key] = counts.get(key, 0) + record["count"]
    with_items = distinct(outlet for _year, outlet in counts)
    # The programmes' order first (it is the order the prose names them), then any other outlet.
    ordered = [outlet for outlet in programme_outlets(data) if outlet in with_items]
    outlets = (*ordered, *(outlet for outlet in with_items if outlet not in ordered))
    return MediaSummary(outlets, tuple(sorted({year for year, _outlet in counts})), counts)


def programme_outlets(data: dict[str, Any]) -> list[str]:
    """Every outlet the programmes name, in first-seen order."""
    return distinct(
        outlet for record in records_of(data, "programmes") for outlet in record["outlets"]
    )


def _distinct_field(data: dict[str, Any], name: str) -> list[Any]:
    return distinct(record.get(name) for record in records_of(data, "programmes"))


# How an outlet carries an item: a newspaper, magazine or website publishes it (đăng tải), a
# radio or television station broadcasts it (phát sóng). Outlets are named by their kind first
# ("Báo Quảng Ngãi", "Đài Phát thanh – Truyền hình"); one of no known kind keeps both verbs.
PUBLISH, BROADCAST, EITHER = "đăng tải", "phát sóng", "đăng tải, phát sóng"
_KINDS = (
    (BROADCAST, ("đài",)),
    (PUBLISH, ("báo", "tạp chí", "cổng thông tin", "trang thông tin", "trang tin", "bản tin")),
)


def verb_for(outlets: Iterable[str]) -> str:
    """The verb for items carried by `outlets`: "đăng tải", "phát sóng", or both when the
    outlets are of both kinds, or of a kind the name does not tell."""
    verbs = {_verb_of(outlet) for outlet in outlets}
    return verbs.pop() if len(verbs) == 1 else EITHER


def _verb_of(outlet: str) -> str:
    words = outlet.casefold().split()
    for verb, kinds in _KINDS:
        for kind in kinds:
            if words[: len(kind.split())] == kind.split():
                return verb
    return EITHER


def _published(summary: MediaSummary) -> list[tuple[str, int]]:
    """The outlets that published something, with their totals: "trong đó" names no outlet
    with 0 tin, bài (the table still shows its zeros)."""
    return [(outlet, count) for outlet, count in summary.by_outlet.items() if count]


def _breakdown(parts: list[str], fmt: ModuleType) -> str:
    """Outlets' totals joined: "A 27 tin, bài và B 08 tin, bài"; from three on, semicolons part
    them, as each "tin, bài" has its own comma ("A 12 tin, bài; B 20 tin, bài và C 05 tin, bài")."""
    if len(parts) <= 2:
        return fmt.join(parts)
    return "; ".join(parts[:-1]) + " và " + parts[-1]


def _until(summary: MediaSummary, report_date: Any) -> str:
    """ " (năm 2021 tính đến thời điểm báo cáo)" when the last year with items has not ended
    by the report's date (" (tính đến thời điểm báo cáo)" when it is the only year); else ""."""
    unfinished = unfinished_year(summary, report_date)
    if unfinished is None:
        return ""
    if len(summary.years) == 1:
        return " (tính đến thời điểm báo cáo)"
    return f" (năm {unfinished} tính đến thời điểm báo cáo)"


def template_values(
    data: dict[str, Any], fmt: ModuleType = vnformat, report_date: Any = None
) -> Values:
    """The figures a template may print, computed from shape-checked data (see module doc)."""
    values: dict[str, Any] = {}
    grouped = programmes_of(data)
    if grouped:
        values.update(
            so_chuyen_muc=fmt.count(len(grouped)),
            chuyen_muc=fmt.join(f"“{programme.name}”" for programme in grouped),
            co_quan=fmt.join(programme_outlets(data)),
        )
    decisions = _distinct_field(data, "decision")
    if decisions:
        values["quyet_dinh"] = mentions(decisions)
    frequencies = _distinct_field(data, "frequency")
    if frequencies:
        values["tan_suat"] = fmt.join(frequencies)
    since = _distinct_field(data, "since")
    if since:
        values["tu_nam"] = str(min(since))
    summary = summarize(data)
    if summary.years:
        values.update(
            giai_doan=year_span(summary.years[0], summary.years[-1]),
            nam_dau=str(summary.years[0]),
            nam_cuoi=str(summary.years[-1]),
            # Counts in prose are padded as every other count is ("05 tin, bài", "02 lớp").
            tong_tin_bai=fmt.count(summary.total),
            tin_bai={str(year): fmt.count(count) for year, count in summary.by_year.items()},
            tin_bai_theo_co_quan={
                outlet: fmt.count(count) for outlet, count in summary.by_outlet.items()
            },
            chi_tiet_co_quan=_breakdown(
                [f"{outlet} {fmt.count(count)} tin, bài" for outlet, count in _published(summary)],
                fmt,
            ),
            tinh_den=_until(summary, report_date),
        )
    return values


# A NamedTuple: cheaper to define at every start than a frozen dataclass (developer guide).
class Programme(NamedTuple):
    """One programme as the sentence speaks of it: its rows (a consolidation has one per body
    that reported it) taken together."""

    name: str
    outlets: tuple[str, ...]
    since: int | None
    decisions: tuple[str, ...]
    frequency: str  # "" unless every row gives the same one

    @property
    def setting(self) -> tuple[Any, ...]:
        """What the sentence says of a programme besides its name and frequency."""
        return (self.outlets, self.since, self.decisions)


def programmes_of(data: dict[str, Any]) -> list[Programme]:
    """The programmes by name (case and spacing aside), in first-seen order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for record in records_of(data, "programmes"):
        groups.setdefault(name_key(record["name"]), []).append(record)
    result = []
    for records in groups.values():
        since = [r["since"] for r in records if isinstance(r.get("since"), int)]
        frequencies = distinct(record.get("frequency") for record in records)
        result.append(
            Programme(
                records[0]["name"].strip(),
                tuple(distinct(outlet for record in records for outlet in record["outlets"])),
                min(since) if since else None,
                tuple(distinct(record.get("decision") for record in records)),
                frequencies[0]
                if len(frequencies) == 1 and all(recorded(r, "frequency") for r in records)
                else "",
            )
        )
    return result


def _literal(text: str) -> str:
    # Data written into a template: its braces are text, not placeholders.
    return text.replace("{", "{{").replace("}", "}}")


def _programme_clause(programme: Programme, first: bool) -> str:
    """One programme as a clause: "từ năm 2016, thực hiện hằng tháng chuyên mục “…” trên …
    theo [[qd1173]]" (capitalised when it opens the sentence)."""
    clause = f"từ năm {programme.since}, thực hiện" if programme.since else "thực hiện"
    if programme.frequency:
        clause += f" {_literal(programme.frequency)}"
    clause += f" chuyên mục “{_literal(programme.name)}”"
    clause += f" trên {_literal(vnformat.join(programme.outlets))}"
    if programme.decisions:
        clause += f" theo {mentions(programme.decisions)}"
    return clause[0].upper() + clause[1:] if first else clause


def default_template(data: dict[str, Any]) -> str:
    """The default sentences for what the data holds (empty when it holds nothing)."""
    sentences = []
    programmes = records_of(data, "programmes")
    grouped = programmes_of(data)
    if len({programme.setting for programme in grouped}) > 1:
        # Programmes on other outlets, since other years or under other decisions: each is
        # said on its own, or one sentence would give every programme the others' outlets,
        # first year and decision.
        clauses = [_programme_clause(p, index == 0) for index, p in enumerate(grouped)]
        sentences.append("; ".join(clauses) + ".")
        programmes = []
    if programmes:
        sentence = "Từ năm {tu_nam}, thực hiện" if _distinct_field(data, "since") else "Thực hiện"
        if len(_distinct_field(data, "frequency")) == 1 and all(
            recorded(record, "frequency") for record in programmes
        ):
            # One frequency every programme shares reads as an adverb: "thường xuyên". One
            # programme's would be said of them all.
            sentence += " {tan_suat}"
        # Rows whose names differ only in case or spacing are one programme, said once.
        sentence += " chuyên mục" if len(grouped) == 1 else " các chuyên mục"
        sentence += " {chuyen_muc} trên {co_quan}"
        if _distinct_field(data, "decision"):
            sentence += " theo {quyet_dinh}"
        sentences.append(sentence + ".")
    summary = summarize(data)
    if summary.total:
        years = summary.years
        if len(years) == 1:
            lead = "Năm {giai_doan}"
        elif years[-1] - years[0] == len(years) - 1:
            lead = "Giai đoạn {giai_doan}"
        else:  # a period would claim the years between, which have no items
            lead = f"Năm {vnformat.prose_years(years)}"
        verb = verb_for(outlet for outlet, _count in _published(summary))
        sentence = f"{lead}{{tinh_den}}, đã {verb} {{tong_tin_bai}} tin, bài"
        if len(_published(summary)) > 1:
            sentence += ", trong đó {chi_tiet_co_quan}"
        sentences.append(sentence + ".")
    return " ".join(sentences)


def unfinished_year(summary: MediaSummary, report_date: Any) -> int | None:
    """The year of the report's date when the items count in it: it has not ended, so its
    figures are not a whole year's (a cut-off before 31/12)."""
    if not isinstance(report_date, dt.date) or (report_date.month, report_date.day) == (12, 31):
        return None
    return report_date.year if report_date.year in summary.years else None


def items_table(
    data: dict[str, Any], fmt: ModuleType = vnformat, report_date: Any = None
) -> Table | None:
    """Items per year (rows) and outlet (columns) with totals; None without items. A year the
    report's date falls in is said not to be whole, in the table's note."""
    summary = summarize(data)
    if not summary.years:
        return None
    unfinished = unfinished_year(summary, report_date)
    rows = []
    for year, year_total in summary.by_year.items():
        cells = [
            fmt.number(summary.counts[year, outlet])
            if (year, outlet) in summary.counts
            else NO_DATA
            for outlet in summary.outlets
        ]
        rows.append((str(year), *cells, fmt.number(year_total)))
    by_outlet = [fmt.number(count) for count in summary.by_outlet.values()]
    rows.append((TOTAL_LABEL, *by_outlet, fmt.number(summary.total)))
    columns = len(summary.outlets) + 2
    return Table(
        header=("Năm", *summary.outlets, TOTAL_LABEL),
        rows=tuple(rows),
        widths=(1.0, *(1.5 for _ in summary.outlets), 1.2),
        align=("center", *("right" for _ in range(columns - 1))),
        caption=TABLE_CAPTION.format(verb=verb_for(summary.outlets)),
        total_rows=(-1,),  # "Tổng cộng", printed bold
        # An outlet's 0 is a figure (nothing published that year), not an empty column.
        keep_empty_columns=True,
        note=UNFINISHED_NOTE.format(year=unfinished) if unfinished else "",
    )


def _sum_mismatch(counts: list[str], total: str) -> str | None:
    """Why `total` is not the sum of the `counts` given; None when it is, or when a cell is
    not a number (reading the cell says so, more precisely)."""
    try:
        added = sum(vnformat.read_number(count) for count in counts)
        stated = vnformat.read_number(total)
    except ValueError:
        return None
    return (
        None if added == stated else f"ghi {total.strip()} nhưng cộng lại {vnformat.number(added)}"
    )


def read_items_table(
    header: list[str], rows: list[list[str]]
) -> list[tuple[str, int, dict[str, str]]] | str | None:
    """The table `items_table` prints (Năm | each outlet | Tổng cộng: a Word report tongket
    exported, or a body's table so laid out) read back into items, one per year and outlet
    with a count ("–": none); its totals are checked, then left out. None for another table
    (one whose headings are the items' own columns: "Năm | Cơ quan | Số tin, bài")."""
    from tongket.core.workflow.record_tables import EMPTY_CELLS, cell_key, is_total

    if len(header) < 2 or cell_key(header[0]) != cell_key("Năm"):
        return None
    totalled = is_total(header[-1])
    outlets = [heading.strip() for heading in header[1 : -1 if totalled else None]]
    columns = {cell_key(column.label) for spec in FIELDS for column in spec.fields}
    if not outlets or any(not name or cell_key(name) in columns for name in outlets):
        return None
    # Outlet by outlet, so the items keep the table's order of outlets (the printed table
    # orders them by first appearance after the programmes' own).
    by_outlet: list[list[tuple[str, int, dict[str, str]]]] = [[] for _ in outlets]
    given: list[list[str]] = [[] for _ in outlets]  # each outlet's counts, for its total
    for index, row in enumerate(rows):
        cells = [*row, *([""] * len(header))][: len(header)]
        counts = [
            (outlet, cell)
            for outlet, cell in enumerate(cells[1 : len(outlets) + 1])
            if cell_key(cell) not in EMPTY_CELLS
        ]
        stated = [cell for _outlet, cell in counts]
        if totalled and (wrong := _sum_mismatch(stated, cells[-1])):
            return f"dòng {index + 2}, cột '{header[-1].strip()}': {wrong}"
        if is_total(cells[0]):
            for outlet, cell in counts:
                if wrong := _sum_mismatch(given[outlet], cell):
                    return f"dòng {index + 2}, cột '{outlets[outlet]}': {wrong}"
            continue
        for outlet, cell in counts:
            given[outlet].append(cell)
            item = {"year": cells[0], "outlet": outlets[outlet], "count": cell}
            by_outlet[outlet].append(("items", index, item))
    return [item for items in by_outlet for item in items]


def _item_problems(data: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    known = programme_outlets(data)
    first_row: dict[tuple[int, str], int] = {}
    for index, record in enumerate(records_of(data, "items")):
        if record["count"] < 0:
            problems.append(
                Problem(
                    ("items", index, "count"),
                    f"cần một số nguyên không âm (số tin, bài), gặp {record['count']}",
                )
            )
        outlet = record["outlet"].strip()
        if known and outlet and outlet not in known:
            hint = did_you_mean(outlet, known, otherwise=f" (có: {', '.join(known)})")
            problems.append(
                Problem(
                    ("items", index, "outlet"),
                    f"cơ quan '{outlet}' không có trong chuyên mục nào{hint}",
                    severity="warning",
                )
            )
        key = (record["year"], outlet)
        if key in first_row:
            problems.append(
                Problem(
                    ("items", index),
                    f"trùng năm {key[0]} và cơ quan '{outlet}' với dòng {first_row[key] + 1}; "
                    "hai số được cộng",
                    severity="warning",
                )
            )
        first_row.setdefault(key, index)
    return problems


def domain_problems(data: dict[str, Any], context) -> list[Problem]:
    """The section's own rules, once the fields have the right shapes."""
    report_date = context.document.date
    problems = year_problems(data, "programmes", "since", report_date=report_date)
    problems += year_problems(data, "items", report_date=report_date)
    problems += blank_problems(data, "programmes", ("name", "outlets", "frequency", "decision"))
    problems += blank_problems(data, "items", ("outlet",))
    for index, record in enumerate(records_of(data, "programmes")):
        problems += citation_problem(
            record.get("decision"), ("programmes", index, "decision"), context.citations.citations
        )
    problems += _item_problems(data)
    errors = any(problem.severity == "error" for problem in problems)
    unfinished = None if errors else unfinished_year(summarize(data), report_date)
    if unfinished:
        index = next(
            i for i, record in enumerate(records_of(data, "items")) if record["year"] == unfinished
        )
        problems.append(
            Problem(
                ("items", index, "year"),
                f"năm {unfinished} chưa kết thúc (văn bản ngày {vnformat.date_numeric(report_date)}"
                f"): số tin, bài năm {unfinished} chưa đủ cả năm; bảng ghi chú điều này, lời văn "
                "nên nói rõ (ví dụ 'tính đến tháng …')",
                severity="warning",
            )
        )
    return problems


SECTION = ProseSection(
    SECTION_TYPE,
    checks=domain_problems,
    values=lambda data, context: template_values(data, context.fmt, context.document.date),
    template=default_template,
    tables=lambda data, context: [items_table(data, context.fmt, context.document.date)],
)
tongket_section_types, tongket_validate_section, tongket_render_section = SECTION.hooks()

# What an outline (đề cương) may ask of this section: some of its lists, with their columns.
tongket_outline_check, tongket_outline_prefill, tongket_outline_gaps = records_outline_hooks(
    SECTION_TYPE
)
# A reply form in Word for a body without tongket, and its tables read back.
tongket_outline_form, tongket_outline_read_tables = records_word_hooks(
    SECTION_TYPE, printed=read_items_table
)

# How bodies' replies merge (tongket merge): lists unioned with the body, narrative gathered.
tongket_merge_sections = prose_merge_hook(SECTION)
