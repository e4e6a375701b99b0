"""Partnerships (hợp tác, đối ngoại): delegations, agreements and international conferences.

Data (`[sections.data]`):
- `delegations`: year, direction ("den": a partner's delegation received; "di": a delegation
  sent), partner body, province/country (`place`) and purpose;
- `agreements`: agreements and memoranda of understanding (biên bản ghi nhớ): date, title,
  parties;
- `conferences`: international conferences and events: year, title, partners, place;
- `intro`, `template`, `outro`, `after_tables`: the shared prose fields
  (`tongket.core.render.prose`).

Placeholders a template may use (counts print in the reference's convention, "02"; year lists
as "2017, 2018 và 2019"):
- delegations: `{so_luot_doan}`, `{so_doan_den}`, `{so_doan_di}`; `{nam_doan}`,
  `{nam_doan_den}`, `{nam_doan_di}`; `{doi_tac}`, `{doi_tac_den}`, `{doi_tac_di}` (partners,
  first-seen order); `{doan_den}`, `{doan_di}` (grouped by partner: "Sở Công Thương tỉnh
  Champasak (năm 2011)", with the country or province the name does not say: "Sở Công Thương
  tỉnh Attapeu (Lào, năm 2015)"); indexed `{so_doan[2011]}` by year and `{so_doan_doi_tac[tên]}` by
  partner;
- agreements: `{so_thoa_thuan}`, `{ten_thoa_thuan}` (titles; one that several agreements
  share is counted: "02 Biên bản ghi nhớ hợp tác"), `{nam_thoa_thuan}`;
- conferences: `{so_hoi_nghi}`, `{nam_hoi_nghi}`, `{ten_hoi_nghi}`, `{doi_tac_hoi_nghi}`,
  `{hoi_nghi}` (grouped by title, with place and year: "Hội nghị kết nối tiêu thụ nông sản
  (tại Lạng Sơn, năm 2018)"), indexed `{so_hoi_nghi_nam[2017]}`.

Partners, agreement titles and conference titles that differ only in case and spacing ("Sở
Công Thương tỉnh Champasak", "Sở Công thương  tỉnh Champasak") are one name in the prose, spelt
as first written (a spelling not all in capitals preferred); `check` warns of two delegations
alike in year, direction and partner, and of two conferences alike in year and title: the
same one typed twice is counted twice.

The table lists every exchange by year: Năm | Hình thức | Đối tác | Nội dung | Đơn vị báo cáo
(the last only in a consolidated report, where records carry their body).
"""

from __future__ import annotations

from dataclasses import replace
from types import ModuleType
from typing import Any

from tongket.core import Field, Problem, SectionType
from tongket.core.host.fieldcheck import coerce_date
from tongket.core.host.merging import BODY, BODY_FIELD, name_key
from tongket.core.render import vnformat
from tongket.core.render.blocks import Table
from tongket.core.render.context import RenderContext
from tongket.core.render.narrative import prose_merge_hook
from tongket.core.render.prose import PROSE_FIELDS, ProseSection
from tongket.core.render.records import (
    blank_problems,
    count_by,
    distinct,
    records_of,
    repeat_problems,
    row_date_problems,
    spellings,
    year_problems,
)
from tongket.core.render.template import Values
from tongket.core.workflow.wanted import records_outline_hooks, records_word_hooks

#: Delegation directions: stored value → label (the table's "Hình thức" column uses them too).
DIRECTIONS: tuple[tuple[str, str], ...] = (
    ("den", "Đón đoàn đến"),
    ("di", "Cử đoàn đi"),
)

PLACEHOLDER_HELP = (
    "Chỗ trống: {so_luot_doan}, {so_doan_den}, {so_doan_di}, {nam_doan}, {nam_doan_den}, "
    "{nam_doan_di}, {doi_tac}, {doi_tac_den}, {doi_tac_di}, {doan_den}, {doan_di}, "
    "{so_doan[năm]}, {so_doan_doi_tac[tên đối tác]}, {so_thoa_thuan}, {ten_thoa_thuan}, "
    "{nam_thoa_thuan}, {so_hoi_nghi}, {nam_hoi_nghi}, {ten_hoi_nghi}, {doi_tac_hoi_nghi}, "
    "{hoi_nghi}, {so_hoi_nghi_nam[năm]}."
)

FIELDS: tuple[Field, ...] = (
    Field(
        "delegations",
        "Đoàn đến, đoàn đi",
        kind="records",
        identity=("year", "direction", "partner"),  # rows of two bodies alike in these: maybe one
        help="Mỗi dòng là một lượt đoàn.",
        fields=(
            Field("year", "Năm", kind="integer", required=True),
            Field(
                "direction",
                "Chiều",
                kind="choice",
                required=True,
                choices=DIRECTIONS,
                help="Đón đoàn đến: đối tác đến thăm, làm việc; Cử đoàn đi: cơ quan cử đoàn đi.",
                # As reports often say it: "đoàn vào", "đoàn ra" under "Hình thức".
                headings=("Hình thức", "Loại đoàn"),
                choice_words=(("Đoàn vào", "den"), ("Đoàn ra", "di")),
            ),
            Field(
                "partner",
                "Đối tác",
                required=True,
                help="Cơ quan, tổ chức đối tác, ví dụ Sở Công Thương tỉnh Champasak.",
            ),
            Field("place", "Tỉnh/quốc gia", help="Ví dụ Champasak, Lào."),
            Field("purpose", "Nội dung làm việc"),
            BODY_FIELD,
        ),
    ),
    Field(
        "agreements",
        "Thỏa thuận, biên bản ghi nhớ",
        kind="records",
        identity=("title", "date"),  # rows of two bodies alike in these: maybe one
        fields=(
            Field("date", "Ngày ký", kind="date", help="Để trống nếu không rõ ngày."),
            Field(
                "title",
                "Tên văn bản",
                required=True,
                help="Ví dụ Biên bản ghi nhớ về việc hợp tác.",
            ),
            Field("parties", "Các bên ký kết", kind="list"),
            BODY_FIELD,
        ),
    ),
    Field(
        "conferences",
        "Hội nghị, sự kiện quốc tế",
        kind="records",
        identity=("year", "title"),  # rows of two bodies alike in these: maybe one
        fields=(
            Field("year", "Năm", kind="integer", required=True),
            Field("title", "Tên hội nghị, sự kiện", required=True),
            Field("partners", "Đối tác tham gia", kind="list"),
            Field("place", "Địa điểm"),
            BODY_FIELD,
        ),
    ),
    *(
        replace(spec, help=f"{spec.help} {PLACEHOLDER_HELP}") if spec.name == "template" else spec
        for spec in PROSE_FIELDS
    ),
)

#: One default sentence per kind of record; only kinds with records are used.
DEFAULT_SENTENCES: tuple[tuple[str, str], ...] = (
    ("den", "Đã đón {so_doan_den} lượt đoàn đến thăm và làm việc: {doan_den}."),
    ("di", "Đã cử {so_doan_di} lượt đoàn đi thăm và làm việc: {doan_di}."),
    (
        "agreements",
        "Đã ký kết {so_thoa_thuan} thỏa thuận, biên bản ghi nhớ hợp tác: {ten_thoa_thuan}.",
    ),
    (
        "conferences",
        "Đã tổ chức, tham gia {so_hoi_nghi} hội nghị, sự kiện quốc tế: {hoi_nghi}.",
    ),
)
#: The agreements' sentence when they all bear one title: "Đã ký kết 01 thỏa thuận, biên bản
#: ghi nhớ hợp tác: Biên bản ghi nhớ về việc hợp tác" said the kind of document twice.
ONE_TITLE_AGREEMENTS = "Đã ký kết {ten_thoa_thuan}."
#: The default template when every kind of record is present.
DEFAULT_TEMPLATE = " ".join(sentence for _kind, sentence in DEFAULT_SENTENCES)

SECTION_TYPE = SectionType(
    id="partnerships",
    title="Hợp tác, đối ngoại",
    version=1,
    description="Đoàn đến, đoàn đi, thỏa thuận hợp tác, hội nghị quốc tế; lời văn và bảng.",
    fields=FIELDS,
    default_data={
        "delegations": [],
        "agreements": [],
        "conferences": [],
        "intro": "",
        "template": "",
        "outro": "",
    },
)

TABLE_HEADER = ("Năm", "Hình thức", "Đối tác", "Nội dung")
TABLE_CAPTION = "Các hoạt động hợp tác, đối ngoại"
#: The "Hình thức" of an agreement's row ("Ký kết ngày 12/3/2019") and of a conference's.
SIGNED = "Ký kết"
CONFERENCE_FORM = "Hội nghị, sự kiện"


def _years_text(years: list[int], fmt: ModuleType) -> str:
    # Four years in a row or more as a period: ten years were written out one by one.
    return fmt.prose_years(years)


def _partners(records: list[dict[str, Any]], field: str = "partner") -> dict[str, str]:
    """Each record's `field` (a partner, a title) by its key → the one spelling prose prints."""
    return spellings(record[field] for record in records)


def delegation_groups(data: dict[str, Any]) -> dict[str, dict[str, list[int]]]:
    """Delegations grouped by direction, then partner: {"den": {partner: [years…]}, "di": …}.

    Years are sorted and kept once per delegation, so two visits in one year count twice.
    """
    groups: dict[str, dict[str, list[int]]] = {code: {} for code, _label in DIRECTIONS}
    delegations = records_of(data, "delegations")
    spelt = _partners(delegations)
    for record in delegations:
        partner = spelt[name_key(record["partner"])]
        groups[record["direction"]].setdefault(partner, []).append(record["year"])
    for partners in groups.values():
        for years in partners.values():
            years.sort()
    return groups


def place_beyond(partner: str, place: str) -> str:
    """The part of `place` the partner's name does not already say: ("Sở Công Thương tỉnh
    Champasak", "Champasak, Lào") → "Lào"; ("Sở Công Thương tỉnh Attapeu", "Lào") → "Lào"."""
    parts = [part.strip() for part in place.split(",")]
    return ", ".join(part for part in parts if part and part not in partner)


def partner_places(data: dict[str, Any]) -> dict[str, str]:
    """Each delegation partner's place beyond its name (the first one given), by partner."""
    places: dict[str, str] = {}
    delegations = records_of(data, "delegations")
    spelt = _partners(delegations)
    for record in delegations:
        partner = spelt[name_key(record["partner"])]
        beyond = place_beyond(partner, record.get("place", ""))
        if beyond and not places.get(partner):
            places[partner] = beyond
    return places


def _group_phrase(
    partner: str, place: str, years: list[int], fmt: ModuleType, times: str = "lượt"
) -> str:
    # "Sở Công Thương tỉnh Attapeu (Lào, năm 2011)"; more visits also say how many:
    # "… (Lào; 02 lượt, năm 2011 và 2016)".
    if len(years) == 1:
        when, joiner = f"năm {years[0]}", ", "
    else:
        when, joiner = f"{fmt.count(len(years))} {times}, năm {_years_text(years, fmt)}", "; "
    if place:
        return f"{partner} ({place}{joiner}{when})"
    # "Tổ chức Xúc tiến thương mại Nhật Bản (JETRO) năm 2017": a second bracket after the
    # name's own abbreviation reads as two asides, "(JETRO) (năm 2017)". More than a year
    # keeps its bracket: "(JETRO) 02 lượt, năm 2018 và 2019 và …" ran into the list.
    if partner.endswith(")") and len(years) == 1:
        return f"{partner} {when}"
    return f"{partner} ({when})"


def _conference_phrases(conferences: list[dict[str, Any]], fmt: ModuleType) -> str:
    """Conferences by title, each with its years and its place: "Diễn đàn hợp tác kinh tế
    (tại Viêng Chăn, năm 2019)"; one held in several years says how many times. The place is
    said only when every time gave the same one: a yearly event held in two cities, or with
    the place of one year only, would otherwise be said to have been held in that city each
    time. The default sentence names them, where it used to give a count and years alone."""
    years: dict[str, list[int]] = {}
    places: dict[str, set[str]] = {}
    spelt = _partners(conferences, "title")
    for record in conferences:
        title = spelt[name_key(record["title"])]
        years.setdefault(title, []).append(record["year"])
        places.setdefault(title, set()).add(str(record.get("place") or "").strip())
    phrases = []
    for title, held in years.items():
        [place] = places[title] if len(places[title]) == 1 else [""]
        phrases.append(
            _group_phrase(title, f"tại {place}" if place else "", sorted(held), fmt, times="lần")
        )
    return fmt.join(phrases)


def _titles_counted(records: list[dict[str, Any]], fmt: ModuleType) -> str:
    """Titles in first-seen order, a title several records share counted: "02 Biên bản ghi
    nhớ hợp tác và Thỏa thuận hợp tác thương mại" (a consolidated report gathers one MoU from
    each body; naming it once would say one was signed)."""
    spelt = _partners(records, "title")
    counts = count_by(records, lambda record: spelt[name_key(record["title"])] or None)
    return fmt.join(
        f"{fmt.count(number)} {title}" if number > 1 else title for title, number in counts.items()
    )


def placeholder_values(data: dict[str, Any], fmt: ModuleType = vnformat) -> Values:
    """The figures a template may print, computed from validated data (see module docstring)."""
    delegations = records_of(data, "delegations")
    agreements = records_of(data, "agreements")
    conferences = records_of(data, "conferences")
    groups = delegation_groups(data)
    places = partner_places(data)
    partners = _partners(delegations)
    by_direction = {
        code: [record for record in delegations if record["direction"] == code]
        for code, _label in DIRECTIONS
    }
    values: dict[str, Any] = {
        "so_luot_doan": fmt.count(len(delegations)),
        "nam_doan": _years_text([record["year"] for record in delegations], fmt),
        "doi_tac": fmt.join(partners.values()),
        "so_doan": {
            str(year): fmt.count(number)
            for year, number in sorted(count_by(delegations, lambda record: record["year"]).items())
        },
        "so_doan_doi_tac": {
            str(partner): fmt.count(number)
            for partner, number in count_by(
                delegations, lambda record: partners[name_key(record["partner"])]
            ).items()
        },
    }
    for code, records in by_direction.items():
        values[f"so_doan_{code}"] = fmt.count(len(records))
        values[f"nam_doan_{code}"] = _years_text([record["year"] for record in records], fmt)
        values[f"doi_tac_{code}"] = fmt.join(groups[code])
        values[f"doan_{code}"] = fmt.join(
            _group_phrase(partner, places.get(partner, ""), years, fmt)
            for partner, years in groups[code].items()
        )
    agreement_dates = [coerce_date(record.get("date")) for record in agreements]
    values.update(
        so_thoa_thuan=fmt.count(len(agreements)),
        ten_thoa_thuan=_titles_counted(agreements, fmt),
        nam_thoa_thuan=_years_text([date.year for date in agreement_dates if date], fmt),
        so_hoi_nghi=fmt.count(len(conferences)),
        nam_hoi_nghi=_years_text([record["year"] for record in conferences], fmt),
        ten_hoi_nghi=fmt.join(_partners(conferences, "title").values()),
        hoi_nghi=_conference_phrases(conferences, fmt),
        doi_tac_hoi_nghi=fmt.join(
            distinct(partner for record in conferences for partner in record.get("partners", []))
        ),
        so_hoi_nghi_nam={
            str(year): fmt.count(number)
            for year, number in sorted(count_by(conferences, lambda record: record["year"]).items())
        },
    )
    return values


def default_template(data: dict[str, Any]) -> str:
    """The default sentences for the kinds of record the data has (empty when it has none)."""
    present = {
        "den": any(r["direction"] == "den" for r in records_of(data, "delegations")),
        "di": any(r["direction"] == "di" for r in records_of(data, "delegations")),
        "agreements": bool(records_of(data, "agreements")),
        "conferences": bool(records_of(data, "conferences")),
    }
    titles = {name_key(record["title"]) for record in records_of(data, "agreements")}
    return " ".join(
        ONE_TITLE_AGREEMENTS if kind == "agreements" and len(titles) == 1 else sentence
        for kind, sentence in DEFAULT_SENTENCES
        if present[kind]
    )


def _partner_cell(name: str, place: str) -> str:
    name = name.strip()
    beyond = place_beyond(name, place)
    return f"{name} ({beyond})" if beyond else name


def _body_cell(record: dict[str, Any]) -> str:
    return str(record.get(BODY) or "").strip()


def exchange_rows(data: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """The exchange table's rows, by year (undated agreements last), kinds in data order.

    The last cell is the record's contributing body (`body`, filled by tongket merge; "" in a
    single body's report, whose table then has no such column).
    """
    labels = dict(DIRECTIONS)
    dated: list[tuple[int, int, tuple[str, str, str, str, str]]] = []
    for record in records_of(data, "delegations"):
        row = (
            str(record["year"]),
            labels[record["direction"]],
            _partner_cell(record["partner"], record.get("place", "")),
            record.get("purpose", "").strip(),
            _body_cell(record),
        )
        dated.append((record["year"], len(dated), row))
    for record in records_of(data, "agreements"):
        date = coerce_date(record.get("date"))
        form = SIGNED + (f" ngày {vnformat.date_numeric(date)}" if date else "")
        parties = ", ".join(distinct(record.get("parties", [])))
        row = (
            str(date.year) if date else "",
            form,
            parties,
            record["title"].strip(),
            _body_cell(record),
        )
        dated.append((date.year if date else 10_000, len(dated), row))
    for record in records_of(data, "conferences"):
        title = record["title"].strip()
        place = record.get("place", "").strip()
        row = (
            str(record["year"]),
            CONFERENCE_FORM,
            ", ".join(distinct(record.get("partners", []))),
            f"{title} (tại {place})" if place else title,
            _body_cell(record),
        )
        dated.append((record["year"], len(dated), row))
    return [row for _year, _order, row in sorted(dated)]


def exchange_table(data: dict[str, Any]) -> Table | None:
    """The table of exchanges, or None when the section has no records."""
    rows = exchange_rows(data)
    if not rows:
        return None
    header, widths, align = TABLE_HEADER, (1.0, 2.0, 3.0, 4.0), ("center", "left", "left", "left")
    if any(row[-1] for row in rows):  # a consolidated report: each row's contributing body
        header, widths, align = (*header, BODY_FIELD.label), (*widths, 2.0), (*align, "left")
    else:
        rows = [row[:-1] for row in rows]
    return Table(
        header=header,
        rows=tuple(rows),
        widths=widths,
        align=align,
        caption=TABLE_CAPTION,
    )


def _after(text: str, opening: str) -> tuple[str, str]:
    """ "Name (more)" → ("Name", "more") for `opening` "(": the exchange table's way of adding
    a place to a partner or a title; (text, "") without it."""
    text = text.strip()
    head, found, tail = text.rpartition(f" {opening}")
    if found and head and tail.endswith(")") and "(" not in tail:
        return head.strip(), tail[:-1].strip()
    return text, ""


def read_exchange_table(
    header: list[str], rows: list[list[str]]
) -> list[tuple[str, int, dict[str, str]]] | str | None:
    """The exchange table as `exchange_table` prints it (a Word report tongket exported),
    read back into delegations, agreements and conferences by each row's "Hình thức"; None
    for a table of another shape. A column every row left empty is not printed (a list of
    agreements without parties has no "Đối tác"), so any of them but "Hình thức" may lack."""
    from tongket.core.workflow.record_tables import cell_key

    names = ("year", "form", "partner", "content", BODY)
    printed = [cell_key(heading) for heading in (*TABLE_HEADER, BODY_FIELD.label)]
    keys = [cell_key(heading) for heading in header]
    if printed[1] not in keys or keys != [key for key in printed if key in keys]:  # Hình thức
        return None
    columns = [names[printed.index(key)] for key in keys]
    read: list[tuple[str, int, dict[str, str]]] = []
    for index, row in enumerate(rows):
        if not "".join(row).strip():
            continue
        cell = dict.fromkeys(names, "") | dict(zip(columns, row, strict=False))
        year, form, partner, content, body = (cell[name] for name in names)
        kind = cell_key(form)
        if kind.startswith(cell_key(SIGNED)):
            date = form.strip()[len(SIGNED) :].strip().removeprefix("ngày").strip()
            if year.strip() and not date.endswith(year.strip()):
                return (
                    f"dòng {index + 2}, cột 'Năm': thỏa thuận ghi năm {year.strip()} nhưng "
                    f"'{form.strip()}' không ghi ngày ký năm đó (Ký kết ngày …/…/{year.strip()})"
                )
            cells = {"date": date, "parties": partner, "title": content}
            read.append(("agreements", index, {**cells, BODY: body}))
        elif kind == cell_key(CONFERENCE_FORM):
            title, place = _after(content, "(tại")
            cells = {"year": year, "title": title, "partners": partner, "place": place}
            read.append(("conferences", index, {**cells, BODY: body}))
        else:  # a delegation: the direction is read as the app reads a choice
            name, place = _after(partner, "(")
            cells = {"year": year, "direction": form, "partner": name, "place": place}
            read.append(("delegations", index, {**cells, "purpose": content, BODY: body}))
    return read


def domain_problems(data: dict[str, Any], context: RenderContext) -> list[Problem]:
    """The section's own rules, once the fields have the right shapes."""
    report_date = context.document.date
    problems: list[Problem] = []
    for name in ("delegations", "conferences"):
        problems += year_problems(data, name, report_date=report_date)
    problems += row_date_problems(data, "agreements", report_date=report_date)
    problems += blank_problems(data, "delegations", ("partner", "place", "purpose"))
    problems += blank_problems(data, "agreements", ("title", "parties"))
    problems += blank_problems(data, "conferences", ("title", "partners", "place"))
    problems += repeat_problems(
        data, "delegations", ("year", "direction", "partner"), "năm, chiều và đối tác", "lượt đoàn"
    )
    problems += repeat_problems(
        data, "conferences", ("year", "title"), "năm và tên hội nghị", "hội nghị, sự kiện"
    )
    return problems


SECTION = ProseSection(
    SECTION_TYPE,
    checks=domain_problems,
    values=lambda data, context: placeholder_values(data, context.fmt),
    template=default_template,
    tables=lambda data, context: [exchange_table(data)],
)
tongket_section_types, tongket_validate_section, tongket_render_section = SECTION.hooks()

# What an outline (đề cương) may ask of this section: some of its lists, with their columns.
tongket_outline_check, tongket_outline_prefill, tongket_outline_gaps = records_outline_hooks(
    SECTION_TYPE
)


def _places_apart(data: dict[str, Any]) -> dict[str, Any]:
    """A delegation's partner written with its place in brackets ("Tỉnh Gyeonggi (Hàn
    Quốc)") in a table without a place column, split as the exchange table's own is, so the
    same partner is one partner in the prose."""
    for record in data.get("delegations") or []:
        partner = record.get("partner")
        if isinstance(partner, str) and not str(record.get("place") or "").strip():
            name, place = _after(partner, "(")
            if place:
                record["partner"], record["place"] = name, place
    return data


# A reply form in Word for a body without tongket, and its tables read back.
tongket_outline_form, tongket_outline_read_tables = records_word_hooks(
    SECTION_TYPE, printed=read_exchange_table, adjust=_places_apart
)

# How bodies' replies merge (tongket merge): lists unioned with the body, narrative gathered.
tongket_merge_sections = prose_merge_hook(SECTION)
