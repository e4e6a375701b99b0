"""Training (tập huấn, hội thảo): classes and workshops held, checked against a yearly minimum.

Data (`[sections.data]`):
- `classes`: one row per class or workshop: year, kind ("tap-huan": lớp tập huấn; "hoi-thao":
  hội thảo), topic, participants (lượt người tham dự), organiser;
- `yearly`: counts per year, for an agency that kept no list of classes: year, trainings (lớp
  tập huấn), workshops (hội thảo), participants, and in a consolidation the bodies counted
  (`body`). A year may have both kinds of row; they add up (a warning when one body may have
  given one class both ways);
- `min_per_year`: the planned minimum of classes per year ("hằng năm tổ chức ít nhất 02 lớp"),
  only when the drafter types it (a new section, a reply made from an outline and a
  consolidation start without one: a plan is never invented); every year of the period with
  fewer classes (lớp tập huấn: a workshop is not a class) gets a warning naming the year and
  the count;
- `first_year`, `last_year`: the period summed and checked; by default the years of the data.
  A year of the period without any row counts as a year with no class;
- `citations`: keys (in the document's [citations]) of the programmes and documents the classes
  carried out, in the order the prose cites them;
- `intro`, `template`, `outro`, `after_tables`: the shared prose fields
  (`tongket.core.render.prose`).

Placeholders (a placeholder exists only when the data gives it a value; counts print as "02",
people as "1.250"): `{toi_thieu}`, `{tong_so_lop}`, `{so_lop_tap_huan}`, `{so_hoi_thao}`,
`{tong_hoc_vien}`, `{so_lop_it_nhat}` (fewest in any year), `{giai_doan}` ("2012 – 2020"),
`{nam_dau}`, `{nam_cuoi}`, `{so_nam}`, `{nam_duoi_toi_thieu}`, `{don_vi_to_chuc}`, `{chu_de}`
(the classes' topics, each once, joined with "; "; the default text lists them), `{so_chu_de}`,
`{van_ban_dan}` (the cited documents joined with "; "); indexed `{so_lop[2015]}`,
`{hoc_vien[2015]}` by year and `{van_ban[nq22]}` by citation key.

The table sums each year of the period: Năm | Lớp tập huấn | Hội thảo | Tổng số | Lượt người.
"""

from __future__ import annotations

from dataclasses import replace
from types import ModuleType
from typing import Any, NamedTuple

from tongket.core import Field, Problem, SectionType, hookimpl
from tongket.core.host.fieldcheck import is_year
from tongket.core.host.merging import (
    BODY,
    BODY_FIELD,
    Contribution,
    MergedSection,
    bodies_cell,
    bodies_in,
)
from tongket.core.render import vnformat
from tongket.core.render.blocks import Table
from tongket.core.render.narrative import prose_merge
from tongket.core.render.prose import PROSE_FIELDS, ProseSection
from tongket.core.render.records import (
    YEAR_RANGE,
    blank_problems,
    citation_list_problems,
    distinct,
    mentions,
    partly_recorded,
    records_of,
    year_problems,
    year_span,
)
from tongket.core.render.template import Values
from tongket.core.workflow.wanted import records_outline_hooks, records_word_hooks

#: Kinds of event: stored value → label.
KINDS: tuple[tuple[str, str], ...] = (
    ("tap-huan", "Lớp tập huấn"),
    ("hoi-thao", "Hội thảo"),
)
DEFAULT_KIND = "tap-huan"

PLACEHOLDER_HELP = (
    "Chỗ trống: {toi_thieu}, {tong_so_lop}, {so_lop_tap_huan}, {so_hoi_thao}, {tong_hoc_vien}, "
    "{so_lop_it_nhat}, {giai_doan}, {nam_dau}, {nam_cuoi}, {so_nam}, {nam_duoi_toi_thieu}, "
    "{don_vi_to_chuc}, {chu_de}, {so_chu_de}, {van_ban_dan}, {so_lop[năm]}, {hoc_vien[năm]}, "
    "{van_ban[khóa]}."
)

FIELDS: tuple[Field, ...] = (
    Field(
        "classes",
        "Lớp tập huấn, hội thảo",
        kind="records",
        help="Mỗi dòng là một lớp tập huấn hoặc một hội thảo.",
        fields=(
            Field("year", "Năm", kind="integer", required=True),
            Field(
                "kind",
                "Hình thức",
                kind="choice",
                choices=KINDS,
                help="Lớp tập huấn (mặc định) hoặc Hội thảo.",
                # What bodies head the column with in their Word replies.
                headings=("Loại", "Loại hình"),
            ),
            Field("topic", "Chủ đề", required=True, help="Ví dụ Hiệp định EVFTA."),
            Field(
                "participants",
                "Lượt người tham dự",
                kind="integer",
                unit="lượt người",
                headings=("Số người tham dự", "Số lượt người", "Số người"),
            ),
            Field("organiser", "Đơn vị tổ chức", help="Ví dụ Sở Công Thương."),
            BODY_FIELD,
        ),
    ),
    Field(
        "yearly",
        "Số liệu theo năm",
        kind="records",
        help="Khi không có danh sách từng lớp: mỗi dòng một năm với số lớp tập huấn, số hội "
        "thảo và lượt người. Cộng thêm vào các lớp ghi ở trên (nếu có).",
        fields=(
            Field("year", "Năm", kind="integer", required=True),
            Field(
                "trainings",
                "Số lớp tập huấn",
                kind="integer",
                unit="lớp",
                headings=("Lớp tập huấn",),
            ),
            Field("workshops", "Số hội thảo", kind="integer", headings=("Hội thảo",)),
            Field("participants", "Lượt người tham dự", kind="integer", unit="lượt người"),
            BODY_FIELD,
        ),
    ),
    Field(
        "min_per_year",
        "Số lớp tối thiểu mỗi năm",
        kind="integer",
        unit="lớp",
        help="Theo kế hoạch, ví dụ 2 (in là 02). Năm nào có ít lớp tập huấn hơn (hội thảo "
        "không tính là lớp) thì có cảnh báo. Để trống nếu không có mức tối thiểu.",
    ),
    Field(
        "first_year",
        "Từ năm",
        kind="integer",
        help="Năm đầu của giai đoạn được tính; để trống để lấy năm sớm nhất trong dữ liệu.",
    ),
    Field(
        "last_year",
        "Đến năm",
        kind="integer",
        help="Năm cuối của giai đoạn được tính; để trống để lấy năm muộn nhất trong dữ liệu.",
    ),
    Field(
        "citations",
        "Văn bản được quán triệt",
        kind="list",
        help="Khóa văn bản trong [citations], theo thứ tự dẫn, ví dụ nq22, nq31.",
    ),
    *(
        replace(spec, help=f"{spec.help} {PLACEHOLDER_HELP}") if spec.name == "template" else spec
        for spec in PROSE_FIELDS
    ),
)

SECTION_TYPE = SectionType(
    id="training",
    title="Tập huấn, hội thảo",
    version=1,
    description="Lớp tập huấn, hội thảo theo năm, đối chiếu số lớp tối thiểu; lời văn và bảng.",
    fields=FIELDS,
    default_data={
        "classes": [],
        "yearly": [],
        "citations": [],
        "intro": "",
        "template": "",
        "outro": "",
    },
)

TABLE_HEADER = ("Năm", "Lớp tập huấn", "Hội thảo", "Tổng số", "Lượt người tham dự")
TABLE_CAPTION = "Số lớp tập huấn, hội thảo và lượt người tham dự theo năm"
TOTAL_LABEL = "Tổng cộng"
PARTIAL_NOTE = "Số lượt người tham dự chỉ tính các lớp có ghi số liệu."


# A NamedTuple: cheaper to define at every start than a frozen dataclass (developer guide).
class YearTotals(NamedTuple):
    """What one year of the period holds."""

    year: int
    trainings: int  # lớp tập huấn
    workshops: int  # hội thảo
    participants: int | None  # None when no class of the year recorded its participants

    @property
    def classes(self) -> int:
        return self.trainings + self.workshops


# A NamedTuple: cheaper to define at every start than a frozen dataclass (developer guide).
class TrainingSummary(NamedTuple):
    """The section's figures: every year of the period, in order, and who organised."""

    years: tuple[YearTotals, ...]
    organisers: tuple[str, ...] = ()
    partial_participants: bool = False  # some class of the period has no participants
    topics: tuple[str, ...] = ()  # the classes' topics, each once, in the order listed

    @property
    def trainings(self) -> int:
        return sum(totals.trainings for totals in self.years)

    @property
    def workshops(self) -> int:
        return sum(totals.workshops for totals in self.years)

    @property
    def classes(self) -> int:
        return self.trainings + self.workshops

    @property
    def participants(self) -> int | None:
        known = [totals.participants for totals in self.years if totals.participants is not None]
        return sum(known) if known else None

    def below(self, minimum: int) -> list[YearTotals]:
        """The years with fewer classes (lớp tập huấn; workshops are not classes) than
        `minimum`."""
        return [totals for totals in self.years if totals.trainings < minimum]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _data_years(data: dict[str, Any]) -> list[int]:
    """The years the classes and the yearly counts name."""
    rows = [*records_of(data, "classes"), *records_of(data, "yearly")]
    return [record["year"] for record in rows if _is_int(record.get("year"))]


def period(data: dict[str, Any]) -> tuple[int, int] | None:
    """The years summed and checked: `first_year`–`last_year`, else the span of the data."""
    years = _data_years(data)
    first = data.get("first_year") if _is_int(data.get("first_year")) else None
    last = data.get("last_year") if _is_int(data.get("last_year")) else None
    first = first if first is not None else min(years, default=last)
    last = last if last is not None else max(years, default=first)
    if first is None or last is None or first > last:
        return None
    return first, last


def summarize(data: dict[str, Any]) -> TrainingSummary:
    """Per-year counts and participants over the period, from shape-checked data."""
    span = period(data)
    if span is None or not (is_year(span[0]) and is_year(span[1])):
        return TrainingSummary(())  # validation reports implausible years; never walk them
    classes = [row for row in records_of(data, "classes") if span[0] <= row["year"] <= span[1]]
    counted = [row for row in records_of(data, "yearly") if span[0] <= row["year"] <= span[1]]
    years = []
    for year in range(span[0], span[1] + 1):
        held = [record for record in classes if record["year"] == year]
        sums = [record for record in counted if record["year"] == year]
        workshops = sum(1 for record in held if record.get("kind") == "hoi-thao")
        workshops += sum(record.get("workshops", 0) for record in sums)
        trainings = sum(1 for record in held if record.get("kind") != "hoi-thao")
        trainings += sum(record.get("trainings", 0) for record in sums)
        people = [record["participants"] for record in (*held, *sums) if "participants" in record]
        years.append(YearTotals(year, trainings, workshops, sum(people) if people else None))
    return TrainingSummary(
        tuple(years),
        organisers=tuple(distinct(record.get("organiser", "") for record in classes)),
        topics=tuple(distinct(record.get("topic", "") for record in classes)),
        partial_participants=any("participants" not in record for record in (*classes, *counted)),
    )


def _citation_keys(data: dict[str, Any]) -> list[str]:
    return distinct(data.get("citations") or [])


def template_values(data: dict[str, Any], fmt: ModuleType = vnformat) -> Values:
    """The figures a template may print, computed from shape-checked data (see module doc)."""
    summary = summarize(data)
    values: dict[str, Any] = {}
    minimum = data.get("min_per_year")
    if _is_int(minimum) and minimum > 0:
        values["toi_thieu"] = fmt.count(minimum)
    keys = _citation_keys(data)
    if keys:
        values["van_ban_dan"] = mentions(keys)
        values["van_ban"] = {key: mentions([key]) for key in keys}
    if not summary.years:
        return values
    first, last = summary.years[0].year, summary.years[-1].year
    values.update(
        giai_doan=year_span(first, last),
        nam_dau=str(first),
        nam_cuoi=str(last),
        so_nam=fmt.count(len(summary.years)),
        tong_so_lop=fmt.count(summary.classes),
        so_lop_tap_huan=fmt.count(summary.trainings),
        so_hoi_thao=fmt.count(summary.workshops),
        so_lop_it_nhat=fmt.count(min(totals.classes for totals in summary.years)),
        so_lop={str(totals.year): fmt.count(totals.classes) for totals in summary.years},
    )
    if summary.participants is not None:
        values["tong_hoc_vien"] = fmt.number(summary.participants)
        values["hoc_vien"] = {
            str(totals.year): fmt.number(totals.participants)
            for totals in summary.years
            if totals.participants is not None
        }
    if summary.organisers:
        values["don_vi_to_chuc"] = fmt.join(summary.organisers)
    if summary.topics:
        # Topics are names that may hold commas ("Rào cản kỹ thuật, kỹ năng đàm phán"): joined
        # with semicolons, as a list of contents runs in these reports.
        values["chu_de"] = "; ".join(topic.strip().rstrip(".;") for topic in summary.topics)
        values["so_chu_de"] = fmt.count(len(summary.topics))
    if "toi_thieu" in values and summary.below(minimum):
        values["nam_duoi_toi_thieu"] = fmt.join(totals.year for totals in summary.below(minimum))
    return values


def default_template(data: dict[str, Any]) -> str:
    """The default sentences for what the data holds (empty when it holds nothing)."""
    summary = summarize(data)
    sentences = []
    if summary.classes:
        lead = "Năm" if len(summary.years) == 1 else "Giai đoạn"
        if summary.trainings and summary.workshops:
            held = "{so_lop_tap_huan} lớp tập huấn và {so_hoi_thao} hội thảo"
        elif summary.workshops:
            held = "{tong_so_lop} hội thảo"
        else:
            held = "{tong_so_lop} lớp tập huấn"
        sentence = f"{lead} {{giai_doan}}, đã tổ chức {held}"
        if summary.participants and not summary.partial_participants:
            # A total over some of the classes would read as everyone's: `check` warns instead.
            sentence += " với {tong_hoc_vien} lượt người tham dự"
        sentences.append(sentence + ".")
    if summary.years and _is_int(data.get("min_per_year")) and data["min_per_year"] > 0:
        # Only beside figures: a minimum alone would put a plan into a section that is
        # otherwise empty (which `check` reports as empty instead).
        sentences.append("Theo kế hoạch, hằng năm tổ chức ít nhất {toi_thieu} lớp.")
    if summary.topics:
        held = (
            "lớp tập huấn, hội thảo"
            if summary.trainings and summary.workshops
            else ("hội thảo" if summary.workshops else "lớp tập huấn")
        )
        sentences.append(f"Chủ đề {'các ' if summary.classes > 1 else ''}{held}: {{chu_de}}.")
    if _citation_keys(data):
        sentences.append("Nội dung các lớp gắn với quán triệt {van_ban_dan}.")
    return " ".join(sentences)


def _table_row(label: str, totals: YearTotals | TrainingSummary, fmt: ModuleType) -> tuple:
    counts = (totals.trainings, totals.workshops, totals.classes)
    people = "–" if totals.participants is None else fmt.number(totals.participants)
    return (label, *(fmt.number(count) for count in counts), people)


def year_table(data: dict[str, Any], fmt: ModuleType = vnformat) -> Table | None:
    """Classes, workshops and participants per year with a total row; None without classes."""
    summary = summarize(data)
    if not summary.classes:
        return None
    rows = [_table_row(str(totals.year), totals, fmt) for totals in summary.years]
    rows.append(_table_row(TOTAL_LABEL, summary, fmt))
    partial = summary.partial_participants and summary.participants is not None
    return Table(
        header=TABLE_HEADER,
        rows=tuple(rows),
        widths=(1.2, 1.2, 1.2, 1.0, 1.6),
        align=("center", "right", "right", "right", "right"),
        caption=TABLE_CAPTION,
        total_rows=(-1,),  # "Tổng cộng", printed bold
        note=PARTIAL_NOTE if partial else "",
    )


def _period_problems(data: dict[str, Any]) -> list[Problem]:
    low, high = YEAR_RANGE
    problems = [
        Problem((name,), f"cần một năm trong khoảng {low}–{high}, gặp {data[name]}")
        for name in ("first_year", "last_year")
        if _is_int(data.get(name)) and not low <= data[name] <= high
    ]
    first, last = data.get("first_year"), data.get("last_year")
    if not problems and _is_int(first) and _is_int(last) and first > last:
        problems.append(Problem(("last_year",), f"năm cuối {last} trước năm đầu {first}"))
    years = _data_years(data)
    if not problems and years and period(data) is None:
        # Only one end is set, and it lies beyond every class: the period would be empty.
        if _is_int(first):
            message = f"năm đầu {first} sau năm muộn nhất trong dữ liệu ({max(years)})"
            problems.append(Problem(("first_year",), message))
        else:
            message = f"năm cuối {last} trước năm sớm nhất trong dữ liệu ({min(years)})"
            problems.append(Problem(("last_year",), message))
    return problems


def _minimum_problems(data: dict[str, Any], fmt: ModuleType) -> list[Problem]:
    minimum = data.get("min_per_year")
    if not _is_int(minimum) or minimum <= 0:
        return []
    problems = []
    for totals in summarize(data).below(minimum):
        aside = (
            f" (và {fmt.count(totals.workshops)} hội thảo, không tính là lớp)"
            if totals.workshops
            else ""
        )
        problems.append(
            Problem(
                ("yearly",)
                if records_of(data, "yearly") and not records_of(data, "classes")
                else ("classes",),
                f"năm {totals.year} có {fmt.count(totals.trainings)} lớp tập huấn{aside}, ít hơn "
                f"mức tối thiểu {fmt.count(minimum)} lớp mỗi năm (min_per_year)",
                severity="warning",
            )
        )
    return problems


def _bodies(record: dict[str, Any]) -> set[str]:
    """The bodies a consolidation's row names ("Sở Công Thương; Sở Ngoại vụ"); none in one
    body's own report."""
    return set(bodies_in(record.get(BODY)))


def _maybe_counted_twice(counted: set[str], classes: list[set[str]]) -> bool:
    """Whether a year's counts and its listed classes may hold one class twice: unless every
    one names its bodies (a consolidation) and no body gave both."""
    return not counted or any(not bodies or bodies & counted for bodies in classes)


def _yearly_problems(data: dict[str, Any], report_date: Any) -> list[Problem]:
    """Counts per year: not negative, one row per year, and a year also listed class by class
    is summed (said, since it is most likely counted twice)."""
    problems = year_problems(data, "yearly", report_date=report_date)
    listed: dict[int, list[set[str]]] = {}  # year → the bodies of each class listed
    for record in records_of(data, "classes"):
        listed.setdefault(record["year"], []).append(_bodies(record))
    first_row: dict[int, int] = {}
    for index, record in enumerate(records_of(data, "yearly")):
        year = record["year"]
        for name in ("trainings", "workshops", "participants"):
            value = record.get(name)
            if _is_int(value) and value < 0:
                problems.append(
                    Problem(("yearly", index, name), f"cần một số nguyên không âm, gặp {value}")
                )
        if year in first_row:
            problems.append(
                Problem(
                    ("yearly", index, "year"),
                    f"năm {year} đã có ở dòng {first_row[year] + 1} của số liệu theo năm",
                )
            )
        first_row.setdefault(year, index)
        if year in listed and _maybe_counted_twice(_bodies(record), listed[year]):
            problems.append(
                Problem(
                    ("yearly", index, "year"),
                    f"năm {year} có cả danh sách từng lớp và số liệu theo năm; tongket cộng cả "
                    "hai, kiểm tra để không tính một lớp hai lần",
                    severity="warning",
                )
            )
    return problems


def domain_problems(data: dict[str, Any], context) -> list[Problem]:
    """The section's own rules, once the fields have the right shapes: errors first, then
    (only on data without errors) the warnings that need the period and the yearly counts."""
    problems = year_problems(data, "classes", report_date=context.document.date)
    problems += _period_problems(data)
    for index, record in enumerate(records_of(data, "classes")):
        people = record.get("participants")
        if _is_int(people) and people < 0:
            problems.append(
                Problem(
                    ("classes", index, "participants"),
                    f"cần một số nguyên không âm (lượt người tham dự), gặp {people}",
                )
            )
    problems += _yearly_problems(data, context.document.date)
    minimum = data.get("min_per_year")
    if _is_int(minimum) and minimum < 0:
        problems.append(
            Problem(("min_per_year",), f"cần một số nguyên không âm (số lớp), gặp {minimum}")
        )
    problems += blank_problems(data, "classes", ("topic", "organiser"))
    problems += citation_list_problems(
        data.get("citations"), ("citations",), context.citations.citations
    )
    if any(problem.severity == "error" for problem in problems):
        return problems
    span = period(data)
    for name, counted in (("classes", "lớp này"), ("yearly", "số liệu năm này")):
        for index, record in enumerate(records_of(data, name)):
            if span and not span[0] <= record["year"] <= span[1]:
                problems.append(
                    Problem(
                        (name, index, "year"),
                        f"năm {record['year']} nằm ngoài giai đoạn {year_span(*span)}; "
                        f"{counted} không được tính",
                        severity="warning",
                    )
                )
    problems += _participant_problems(data)
    problems += _minimum_problems(data, context.fmt)
    return problems


def _participant_problems(data: dict[str, Any]) -> list[Problem]:
    """Participants that make the printed total wrong: a class with none recorded beside
    classes that have them (the default sentence then states no total, the table sums only
    what is there), and a class held with 0 participants (an empty cell typed as 0?)."""
    problems = [
        Problem(
            ("classes", index, "participants"),
            "lớp có 0 lượt người tham dự; để trống nếu chưa có số liệu",
            severity="warning",
        )
        for index, record in enumerate(records_of(data, "classes"))
        if record.get("participants") == 0
    ]
    span = period(data)
    counted = (  # the rows the summary adds up: those of the period
        ((name, index), record)
        for name in ("classes", "yearly")
        for index, record in enumerate(records_of(data, name))
        if span and span[0] <= record["year"] <= span[1]
    )
    problems += partly_recorded(
        counted,
        "participants",
        "lượt người tham dự",
        "câu mặc định không nêu tổng số lượt người, bảng chỉ cộng các dòng có số liệu",
    )
    return problems


SECTION = ProseSection(
    SECTION_TYPE,
    checks=domain_problems,
    values=lambda data, context: template_values(data, context.fmt),
    template=default_template,
    tables=lambda data, context: [year_table(data, context.fmt)],
)
tongket_section_types, tongket_validate_section, tongket_render_section = SECTION.hooks()

# What an outline (đề cương) may ask of this section: some of its lists, with their columns.
tongket_outline_check, tongket_outline_prefill, tongket_outline_gaps = records_outline_hooks(
    SECTION_TYPE
)
# A reply form in Word for a body without tongket, and its tables read back.
# A Word reply states no plan (and a table cannot give one).
tongket_outline_form, tongket_outline_read_tables = records_word_hooks(
    SECTION_TYPE, adjust=lambda data: {**data, "min_per_year": None}
)


def _participants_of_summed_years(merged: MergedSection, contributions: list[Contribution]) -> None:
    """Each body's yearly counts, added up, name the bodies counted (so `check` tells a year
    one body both listed and counted from two bodies' figures). A year's participants are not
    the year's total when some body held classes that year without giving them: the summed
    yearly cell is left blank when only counts are at stake (the sentence then states no total,
    as in one body's report), and a finding keeps what each body wrote."""
    giving: dict[int, list[tuple[str, int]]] = {}
    lacking: dict[int, list[str]] = {}
    counted: dict[int, list[str]] = {}  # year → the bodies whose yearly counts add up
    summed_gave: dict[int, bool] = {}  # year → some body's yearly counts gave participants
    for contribution in contributions:
        name = contribution.body_name
        given: dict[int, int] = {}
        for list_name in ("classes", "yearly"):
            for row in records_of(contribution.data, list_name):
                year, people = row.get("year"), row.get("participants")
                if not _is_int(year):
                    continue
                if list_name == "yearly":
                    counted.setdefault(year, []).append(name)
                if _is_int(people):
                    given[year] = given.get(year, 0) + people
                    if list_name == "yearly":
                        summed_gave[year] = True
                else:
                    lacking.setdefault(year, []).append(name)
        for year, people in given.items():
            giving.setdefault(year, []).append((name, people))
    classes_gave = {
        row["year"]
        for row in records_of(merged.data, "classes")
        if _is_int(row.get("participants"))
    }
    yearly_rows = {
        row.get("year"): position for position, row in enumerate(merged.data.get("yearly") or [])
    }
    for year, position in yearly_rows.items():
        merged.data["yearly"][position][BODY] = bodies_cell(counted.get(year, []))
    for year in sorted(set(giving) & set(lacking)):
        # "; " between bodies: a body's name may hold a comma (Sở Văn hóa, Thể thao và Du lịch).
        given = "; ".join(f"{name} {vnformat.number(people)}" for name, people in giving[year])
        missing = "; ".join(distinct(lacking[year]))
        position = yearly_rows.get(year)
        if position is not None and summed_gave.get(year):
            merged.data["yearly"][position].pop("participants", None)
        if year not in classes_gave:
            path: tuple[str | int, ...] = ("yearly", position or 0, "participants")
            effect = "bản tổng hợp để trống ô này thay vì ghi một tổng thiếu"
        else:
            path = (
                ("yearly", position, "participants")
                if position is not None
                else ("classes", _first_class(merged.data, year), "participants")
            )
            effect = (
                f"số lượt người năm {year} và dòng Tổng cộng của bảng chỉ tính các đơn vị có ghi"
            )
        merged.findings.append(
            Problem(
                path,
                f"năm {year}: {missing} không ghi lượt người tham dự ({given}); {effect}",
                "warning",
            )
        )


def _first_class(data: dict[str, Any], year: int) -> int:
    """The first listed class of `year` without participants (else of `year`)."""
    rows = list(enumerate(records_of(data, "classes")))
    for index, row in rows:
        if row.get("year") == year and not _is_int(row.get("participants")):
            return index
    return next((index for index, row in rows if row.get("year") == year), 0)


def _no_body_minimum(
    merged: MergedSection, contributions: list[Contribution], previous: dict[str, Any] | None
) -> None:
    """A body's minimum of classes a year is its own plan, not the province's: set beside the
    classes of every body it would print a plan nobody made and warn about years that meet
    it. The consolidation keeps only the minimum the coordinator typed (in `previous`); the
    bodies' are named in a finding."""
    if previous and _is_int(previous.get("min_per_year")):
        return
    merged.data.pop("min_per_year", None)
    merged.credits[:] = [credit for credit in merged.credits if credit[1] != "min_per_year"]
    merged.findings[:] = [
        finding for finding in merged.findings if finding.path != ("min_per_year",)
    ]
    given = [
        f"{contribution.body_name}: {vnformat.count(contribution.data['min_per_year'])} lớp"
        for contribution in contributions
        if _is_int(contribution.data.get("min_per_year")) and contribution.data["min_per_year"] > 0
    ]
    if given:
        merged.findings.append(
            Problem(
                ("min_per_year",),
                f"số lớp tối thiểu mỗi năm là kế hoạch của từng đơn vị ({'; '.join(given)}); "
                "bản tổng hợp không lấy mức nào, hãy nhập nếu kế hoạch chung có mức tối thiểu",
                "warning",
            )
        )


_merge_by_fields = prose_merge(SECTION, summed=("yearly",), adjust=_participants_of_summed_years)


@hookimpl
def tongket_merge_sections(
    contributions: list[Contribution], previous: dict[str, Any] | None
) -> MergedSection:
    """How bodies' replies merge (tongket merge): classes unioned with the body, yearly
    counts summed, no body's planned minimum (`_no_body_minimum`)."""
    merged = _merge_by_fields(contributions, previous)
    _no_body_minimum(merged, contributions, previous)
    return merged
