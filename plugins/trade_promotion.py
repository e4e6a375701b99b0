"""Trade promotion (xúc tiến thương mại): fairs and exhibitions, product programmes, publications.

Data (`[sections.data]`):
- `fairs`: fairs and exhibitions (hội chợ, triển lãm): year, name, place, `scope` ("trong-nuoc"
  domestic or "nuoc-ngoai" abroad) and the products shown;
- `products`: products promoted under a programme ("ocop", "cnnt": sản phẩm công nghiệp nông
  thôn tiêu biểu, "truyen-thong": traditional local products), OCOP ones with their star
  rating (3–5), the year recognised and the producer;
- `publications`: handbooks (cẩm nang), brochures, leaflets: year, title, kind, languages,
  copies;
- `intro`, `template`, `outro`, `after_tables`: the shared prose fields
  (`tongket.core.render.prose`).

Placeholders a template may use (counts print as "02", lists as "A, B và C"):
- fairs: `{so_hoi_cho}`, `{so_hoi_cho_trong_nuoc}`, `{so_hoi_cho_nuoc_ngoai}`, `{nam_hoi_cho}`,
  `{ten_hoi_cho}`, `{dia_diem_hoi_cho}`, `{dia_diem_trong_nuoc}`, `{dia_diem_nuoc_ngoai}`,
  `{san_pham_trung_bay}`, indexed `{so_hoi_cho_nam[2019]}` and `{so_hoi_cho_tai[Hà Nội]}`;
- products: `{so_san_pham}`, `{so_san_pham_ocop}`, `{so_san_pham_cnnt}`,
  `{so_san_pham_truyen_thong}`, `{ocop_theo_sao[3]}` (keys 3, 4, 5), `{ocop_phan_hang}`
  ("02 sản phẩm 3 sao và 01 sản phẩm 4 sao"), `{san_pham_ocop}` (names),
  `{san_pham_theo_chuong_trinh}`;
- publications: `{so_an_pham}`, `{so_cam_nang}`, `{so_brochure}`, `{so_to_roi}`,
  `{an_pham_theo_loai}` ("02 cẩm nang và 01 brochure"), `{ngon_ngu}`, `{so_ban_in}` (copies).

The default sentences name the fairs' places, the publications' languages and the total of
copies only when every record gives them: "03 hội chợ tại Côn Minh" from one fair's place
would say where the other two were held. When only some records give one, `check` warns at
the first record without it (the placeholders still print what the records give).

Tables: fairs (Năm | Hội chợ, triển lãm | Địa điểm | Trong nước/Nước ngoài | Sản phẩm),
products and publications, each only when it has rows; each ends with "Đơn vị báo cáo", the
record's contributing body when some record has one (tongket merge fills it).
"""

from __future__ import annotations

from dataclasses import replace
from types import ModuleType
from typing import Any

from tongket.core import Field, Problem, SectionType
from tongket.core.host.merging import BODY, BODY_FIELD
from tongket.core.render import vnformat
from tongket.core.render.blocks import Table
from tongket.core.render.context import RenderContext
from tongket.core.render.narrative import prose_merge_hook
from tongket.core.render.prose import PROSE_FIELDS, ProseSection
from tongket.core.render.records import (
    blank_problems,
    count_by,
    distinct,
    one_spelling,
    partly_recorded,
    recorded,
    records_of,
    repeat_problems,
    year_problems,
)
from tongket.core.render.template import Values
from tongket.core.workflow.wanted import records_outline_hooks, records_word_hooks

SCOPES: tuple[tuple[str, str], ...] = (("trong-nuoc", "Trong nước"), ("nuoc-ngoai", "Nước ngoài"))
#: Product programmes (stored value, label); the prose counts them in lower case.
PROGRAMMES: tuple[tuple[str, str], ...] = (
    ("ocop", "Sản phẩm OCOP"),
    ("cnnt", "Sản phẩm công nghiệp nông thôn tiêu biểu"),
    ("truyen-thong", "Sản phẩm truyền thống địa phương"),
)
#: OCOP star ratings that certify a product (1–2 stars do not).
OCOP_STARS = (3, 4, 5)
PUBLICATION_KINDS: tuple[tuple[str, str], ...] = (
    ("cam-nang", "Cẩm nang"),
    ("brochure", "Brochure"),
    ("to-roi", "Tờ rơi"),
    ("khac", "Ấn phẩm khác"),
)


def _noun(label: str) -> str:
    # "Sản phẩm OCOP" → "sản phẩm OCOP": only the first letter drops to lower case.
    return label[:1].lower() + label[1:]


PLACEHOLDER_HELP = (
    "Chỗ trống: {so_hoi_cho}, {so_hoi_cho_trong_nuoc}, {so_hoi_cho_nuoc_ngoai}, {nam_hoi_cho}, "
    "{ten_hoi_cho}, {dia_diem_hoi_cho}, {dia_diem_trong_nuoc}, {dia_diem_nuoc_ngoai}, "
    "{san_pham_trung_bay}, {so_hoi_cho_nam[năm]}, {so_hoi_cho_tai[địa điểm]}, {so_san_pham}, "
    "{so_san_pham_ocop}, {so_san_pham_cnnt}, {so_san_pham_truyen_thong}, {ocop_theo_sao[3]}, "
    "{ocop_phan_hang}, {san_pham_ocop}, {san_pham_theo_chuong_trinh}, {so_an_pham}, "
    "{so_cam_nang}, {so_brochure}, {so_to_roi}, {an_pham_theo_loai}, {ngon_ngu}, {so_ban_in}."
)

FIELDS: tuple[Field, ...] = (
    Field(
        "fairs",
        "Hội chợ, triển lãm",
        kind="records",
        identity=("year", "name"),  # rows of two bodies alike in these: maybe one
        help="Hội chợ, triển lãm đã tổ chức hoặc tham gia; mỗi dòng một lần.",
        fields=(
            Field("year", "Năm", kind="integer", required=True),
            Field(
                "name", "Tên hội chợ, triển lãm", required=True, headings=("Hội chợ, triển lãm",)
            ),
            Field("place", "Địa điểm", help="Ví dụ Hà Nội, Côn Minh (Trung Quốc)."),
            Field("scope", "Trong nước/nước ngoài", kind="choice", required=True, choices=SCOPES),
            Field("products", "Sản phẩm giới thiệu", kind="list", headings=("Sản phẩm",)),
            BODY_FIELD,
        ),
    ),
    Field(
        "products",
        "Sản phẩm được xúc tiến",
        kind="records",
        identity=("name", "programme"),  # rows of two bodies alike in these: maybe one
        fields=(
            Field("name", "Tên sản phẩm", required=True, headings=("Sản phẩm",)),
            Field("programme", "Chương trình", kind="choice", required=True, choices=PROGRAMMES),
            Field(
                "stars",
                "Hạng sao OCOP",
                kind="integer",
                unit="sao",
                help="3, 4 hoặc 5.",
                headings=("Hạng sao",),
            ),
            Field("year", "Năm công nhận", kind="integer", headings=("Năm",)),
            Field("producer", "Chủ thể sản xuất", headings=("Chủ thể",)),
            BODY_FIELD,
        ),
    ),
    Field(
        "publications",
        "Ấn phẩm",
        kind="records",
        identity=("title", "year"),  # rows of two bodies alike in these: maybe one
        help="Cẩm nang, brochure, tờ rơi giới thiệu địa phương và sản phẩm.",
        fields=(
            Field("year", "Năm", kind="integer"),
            Field("title", "Tên ấn phẩm", required=True, headings=("Ấn phẩm",)),
            Field("kind", "Loại", kind="choice", required=True, choices=PUBLICATION_KINDS),
            Field("languages", "Ngôn ngữ", kind="list", help="Ví dụ tiếng Việt, tiếng Anh."),
            Field("copies", "Số bản", kind="integer", unit="bản"),
            BODY_FIELD,
        ),
    ),
    *(
        replace(spec, help=f"{spec.help} {PLACEHOLDER_HELP}") if spec.name == "template" else spec
        for spec in PROSE_FIELDS
    ),
)

SECTION_TYPE = SectionType(
    id="trade-promotion",
    title="Xúc tiến thương mại",
    version=1,
    description="Hội chợ, triển lãm, sản phẩm OCOP và sản phẩm tiêu biểu, ấn phẩm quảng bá.",
    fields=FIELDS,
    default_data={
        "fairs": [],
        "products": [],
        "publications": [],
        "intro": "",
        "template": "",
        "outro": "",
    },
)

# The printed headings; each is its column's label or one of its `headings`, so a report
# exported as Word reads back (tongket import --outline).
FAIR_HEADER = ("Năm", "Hội chợ, triển lãm", "Địa điểm", "Trong nước/Nước ngoài", "Sản phẩm")
PRODUCT_HEADER = ("Sản phẩm", "Chương trình", "Hạng sao", "Năm", "Chủ thể")
PUBLICATION_HEADER = ("Năm", "Ấn phẩm", "Loại", "Ngôn ngữ", "Số bản")


def _phrase_counts(counts: list[tuple[int, str]], fmt: ModuleType) -> str:
    # [(2, "cẩm nang"), (0, "tờ rơi"), (1, "brochure")] → "02 cẩm nang và 01 brochure"
    return fmt.join(f"{fmt.count(number)} {noun}" for number, noun in counts if number)


def _fair_values(fairs: list[dict[str, Any]], fmt: ModuleType) -> dict[str, Any]:
    by_scope = {code: [r for r in fairs if r["scope"] == code] for code, _label in SCOPES}
    return {
        "so_hoi_cho": fmt.count(len(fairs)),
        "so_hoi_cho_trong_nuoc": fmt.count(len(by_scope["trong-nuoc"])),
        "so_hoi_cho_nuoc_ngoai": fmt.count(len(by_scope["nuoc-ngoai"])),
        "nam_hoi_cho": fmt.prose_years(r["year"] for r in fairs),
        "ten_hoi_cho": fmt.join(distinct(r["name"] for r in fairs)),
        "dia_diem_hoi_cho": fmt.join(distinct(r.get("place") for r in fairs)),
        "dia_diem_trong_nuoc": fmt.join(distinct(r.get("place") for r in by_scope["trong-nuoc"])),
        "dia_diem_nuoc_ngoai": fmt.join(distinct(r.get("place") for r in by_scope["nuoc-ngoai"])),
        "san_pham_trung_bay": fmt.join(
            one_spelling(p for r in fairs for p in r.get("products", []))
        ),
        "so_hoi_cho_nam": {
            str(year): fmt.count(number)
            for year, number in sorted(count_by(fairs, lambda r: r["year"]).items())
        },
        "so_hoi_cho_tai": {
            str(place): fmt.count(number)
            for place, number in count_by(
                fairs, lambda r: r.get("place", "").strip() or None
            ).items()
        },
    }


def _product_values(products: list[dict[str, Any]], fmt: ModuleType) -> dict[str, Any]:
    by_programme = {
        code: [r for r in products if r["programme"] == code] for code, _label in PROGRAMMES
    }
    ocop = by_programme["ocop"]
    stars = {star: sum(1 for r in ocop if r.get("stars") == star) for star in OCOP_STARS}
    ocop_grades = _phrase_counts([(stars[s], f"sản phẩm {s} sao") for s in OCOP_STARS], fmt)
    per_programme = []
    for code, label in PROGRAMMES:
        number = len(by_programme[code])
        if number:
            rated = [s for s in OCOP_STARS if stars[s]] if code == "ocop" else []
            if len(rated) == 1 and stars[rated[0]] == number:
                # All of one rating: "03 sản phẩm OCOP 3 sao", not "(03 sản phẩm 3 sao)".
                grades = f" {rated[0]} sao"
            else:
                grades = f" ({ocop_grades})" if rated else ""
            per_programme.append(f"{fmt.count(number)} {_noun(label)}{grades}")
    return {
        "so_san_pham": fmt.count(len(products)),
        "so_san_pham_ocop": fmt.count(len(ocop)),
        "so_san_pham_cnnt": fmt.count(len(by_programme["cnnt"])),
        "so_san_pham_truyen_thong": fmt.count(len(by_programme["truyen-thong"])),
        "ocop_theo_sao": {str(star): fmt.count(number) for star, number in stars.items()},
        "ocop_phan_hang": ocop_grades,
        "san_pham_ocop": fmt.join(distinct(r["name"] for r in ocop)),
        "san_pham_theo_chuong_trinh": fmt.join(per_programme),
    }


def _kind_label(code: str, label: str, kinds: dict[str, int]) -> str:
    # "Ấn phẩm khác" is other than the kinds named beside it; alone it is just "ấn phẩm".
    others = any(count for other, count in kinds.items() if other != code)
    return "Ấn phẩm" if code == "khac" and not others else label


def _publication_values(publications: list[dict[str, Any]], fmt: ModuleType) -> dict[str, Any]:
    kinds = {
        code: sum(1 for r in publications if r["kind"] == code)
        for code, _label in PUBLICATION_KINDS
    }
    return {
        "so_an_pham": fmt.count(len(publications)),
        "so_cam_nang": fmt.count(kinds["cam-nang"]),
        "so_brochure": fmt.count(kinds["brochure"]),
        "so_to_roi": fmt.count(kinds["to-roi"]),
        "an_pham_theo_loai": _phrase_counts(
            [
                (kinds[code], _noun(_kind_label(code, label, kinds)))
                for code, label in PUBLICATION_KINDS
            ],
            fmt,
        ),
        "ngon_ngu": fmt.join(
            distinct(lang for r in publications for lang in r.get("languages", []))
        ),
        "so_ban_in": fmt.number(sum(r.get("copies", 0) for r in publications)),
    }


def placeholder_values(data: dict[str, Any], fmt: ModuleType = vnformat) -> Values:
    """The figures a template may print, computed from validated data (see module docstring)."""
    return {
        **_fair_values(records_of(data, "fairs"), fmt),
        **_product_values(records_of(data, "products"), fmt),
        **_publication_values(records_of(data, "publications"), fmt),
    }


# Clauses of the default template; `default_template` leaves out those the data cannot fill.
_FAIRS = "Đã tổ chức, tham gia {so_hoi_cho} hội chợ, triển lãm"
_BOTH_SCOPES = " ({so_hoi_cho_trong_nuoc} trong nước, {so_hoi_cho_nuoc_ngoai} ở nước ngoài)"
_ONE_SCOPE = {"trong-nuoc": " trong nước", "nuoc-ngoai": " ở nước ngoài"}
_FAIR_PLACES = " tại {dia_diem_hoi_cho}"
_FAIR_YEARS = " (năm {nam_hoi_cho})"
_BOTH_SCOPES_AND_YEARS = (
    " ({so_hoi_cho_trong_nuoc} trong nước, {so_hoi_cho_nuoc_ngoai} ở nước ngoài; năm {nam_hoi_cho})"
)
_FAIR_PRODUCTS = ", giới thiệu, quảng bá các sản phẩm: {san_pham_trung_bay}"
_PRODUCTS = "Giới thiệu, quảng bá {so_san_pham} sản phẩm, gồm {san_pham_theo_chuong_trinh}."
_ONE_PROGRAMME = "Giới thiệu, quảng bá {san_pham_theo_chuong_trinh}."
_PUBLICATIONS = "Phát hành {so_an_pham} ấn phẩm ({an_pham_theo_loai})"
_ONE_KIND = "Phát hành {an_pham_theo_loai}"
_LANGUAGES = " bằng {ngon_ngu}"
_COPIES = ", tổng số {so_ban_in} bản"
_ONE_COPIES = " ({so_ban_in} bản)"  # one publication: "tổng số" would sum one number

#: The default template when the data has every kind of record, fairs at home and abroad.
DEFAULT_TEMPLATE = (
    f"{_FAIRS}{_BOTH_SCOPES_AND_YEARS}{_FAIR_PLACES}{_FAIR_PRODUCTS}. {_PRODUCTS} "
    f"{_PUBLICATIONS}{_LANGUAGES}{_COPIES}."
)


def default_template(data: dict[str, Any]) -> str:
    """Default sentences for the records the data has; clauses without figures are left out."""
    fairs = records_of(data, "fairs")
    products = records_of(data, "products")
    publications = records_of(data, "publications")
    sentences = []
    if fairs:
        scopes = {r["scope"] for r in fairs}
        # Places of some fairs would read as where all were held: `check` warns instead.
        places = all(recorded(r, "place") for r in fairs)
        # The years come before the places: after "tại Tokyo (Nhật Bản)" they made a second
        # bracket, and after "… và Đà Nẵng" they read as Đà Nẵng's alone.
        if len(scopes) == 1:
            sentence = _FAIRS + _ONE_SCOPE[scopes.pop()] + _FAIR_YEARS
        else:  # one bracket, not two side by side: "(02 trong nước, 01 ở nước ngoài; năm …)"
            sentence = _FAIRS + _BOTH_SCOPES_AND_YEARS
        if places:
            sentence += _FAIR_PLACES
        if any(r.get("products") for r in fairs):
            sentence += _FAIR_PRODUCTS
        sentences.append(sentence + ".")
    if products:
        # One programme needs no breakdown: "Giới thiệu, quảng bá 03 sản phẩm OCOP (…)."
        several = len({r["programme"] for r in products}) > 1
        sentences.append(_PRODUCTS if several else _ONE_PROGRAMME)
    if publications:
        several = len({r["kind"] for r in publications}) > 1
        sentence = _PUBLICATIONS if several else _ONE_KIND
        if all(recorded(r, "languages") for r in publications):
            sentence += _LANGUAGES  # "bằng …" speaks of every publication, as "tại …" above
        if all(recorded(r, "copies") for r in publications):
            # A sum over some publications is no total: `check` warns instead.
            sentence += _COPIES if len(publications) > 1 else _ONE_COPIES
        sentences.append(sentence + ".")
    return " ".join(sentences)


def _body_cell(record: dict[str, Any]) -> str:
    # The contributing body (tongket merge fills it); "" in a single body's report, whose
    # tables then have no such column.
    return str(record.get(BODY) or "").strip()


def fair_rows(data: dict[str, Any]) -> list[tuple[str, ...]]:
    """Rows of the fairs table, by year (data order within a year)."""
    scopes = dict(SCOPES)
    fairs = sorted(records_of(data, "fairs"), key=lambda r: r["year"])
    return [
        (
            str(r["year"]),
            r["name"].strip(),
            r.get("place", "").strip(),
            scopes[r["scope"]],
            ", ".join(distinct(r.get("products", []))),
            _body_cell(r),
        )
        for r in fairs
    ]


def product_rows(data: dict[str, Any]) -> list[tuple[str, ...]]:
    """Rows of the products table, programme by programme, in data order within each."""
    labels = dict(PROGRAMMES)
    order = list(labels)
    products = sorted(records_of(data, "products"), key=lambda r: order.index(r["programme"]))
    return [
        (
            r["name"].strip(),
            labels[r["programme"]],
            f"{r['stars']} sao" if r.get("stars") else "",
            str(r["year"]) if r.get("year") else "",
            r.get("producer", "").strip(),
            _body_cell(r),
        )
        for r in products
    ]


def publication_rows(data: dict[str, Any], fmt: ModuleType = vnformat) -> list[tuple[str, ...]]:
    """Rows of the publications table, by year (undated last)."""
    labels = dict(PUBLICATION_KINDS)
    publications = sorted(records_of(data, "publications"), key=lambda r: r.get("year", 10_000))
    return [
        (
            str(r["year"]) if r.get("year") else "",
            r["title"].strip(),
            labels[r["kind"]],
            ", ".join(distinct(r.get("languages", []))),
            fmt.number(r["copies"]) if r.get("copies") is not None else "",
            _body_cell(r),
        )
        for r in publications
    ]


def tables(data: dict[str, Any], fmt: ModuleType = vnformat) -> list[Table]:
    """The section's tables: fairs, products, publications; each only when it has rows."""
    mid, left, right = "center", "left", "right"
    fairs, products = fair_rows(data), product_rows(data)
    issued = publication_rows(data, fmt)
    specs = (
        (FAIR_HEADER, fairs, "Hội chợ, triển lãm", (1, 4, 2, 2, 3), (mid, left, left, mid, left)),
        (PRODUCT_HEADER, products, "Sản phẩm", (4, 3, 1, 1, 3), (left, left, mid, mid, left)),
        (PUBLICATION_HEADER, issued, "Ấn phẩm", (1, 4, 2, 2, 1), (mid, left, left, left, right)),
    )
    made = []
    for header, rows, caption, widths, align in specs:
        if not rows:
            continue
        sized = tuple(float(w) for w in widths)
        if any(row[-1] for row in rows):  # a consolidated report: the contributing body
            made.append(
                Table(
                    (*header, BODY_FIELD.label), tuple(rows), (*sized, 2.0), (*align, left), caption
                )
            )
        else:
            made.append(Table(header, tuple(row[:-1] for row in rows), sized, align, caption))
    return made


def _product_problems(data: dict[str, Any]) -> list[Problem]:
    problems = []
    for index, record in enumerate(records_of(data, "products")):
        where = ("products", index, "stars")
        stars = record.get("stars")
        if record["programme"] == "ocop":
            if stars is None:
                problems.append(Problem(where, "sản phẩm OCOP cần hạng sao: 3, 4 hoặc 5"))
            elif stars not in OCOP_STARS:
                problems.append(
                    Problem(
                        where,
                        f"hạng sao OCOP cần là 3, 4 hoặc 5 (từ 3 sao mới được công nhận), "
                        f"gặp {stars}",
                    )
                )
        elif stars is not None:
            problems.append(Problem(where, "chỉ sản phẩm OCOP mới có hạng sao; để trống ô này"))
    return problems


def _copies_problems(data: dict[str, Any]) -> list[Problem]:
    return [
        Problem(("publications", index, "copies"), f"số bản cần lớn hơn 0, gặp {record['copies']}")
        for index, record in enumerate(records_of(data, "publications"))
        if isinstance(record.get("copies"), int) and record["copies"] <= 0
    ]


def domain_problems(data: dict[str, Any], context: RenderContext) -> list[Problem]:
    """The section's own rules, once the fields have the right shapes."""
    report_date = context.document.date
    problems: list[Problem] = []
    for name in ("fairs", "products", "publications"):
        problems += year_problems(data, name, report_date=report_date)
    problems += blank_problems(data, "fairs", ("name", "place", "products"))
    problems += blank_problems(data, "products", ("name", "producer"))
    problems += blank_problems(data, "publications", ("title", "languages"))
    problems += _product_problems(data)
    problems += _copies_problems(data)
    problems += repeat_problems(data, "fairs", ("year", "name"), "năm và tên hội chợ", "hội chợ")
    for name, field, what, effect in (
        ("fairs", "place", "địa điểm", "câu mặc định không nêu nơi tổ chức"),
        ("publications", "languages", "ngôn ngữ", "câu mặc định không nêu ngôn ngữ"),
        ("publications", "copies", "số bản", "câu mặc định không nêu tổng số bản"),
    ):
        rows = (((name, index), record) for index, record in enumerate(records_of(data, name)))
        problems += partly_recorded(rows, field, what, effect)
    return problems


SECTION = ProseSection(
    SECTION_TYPE,
    checks=domain_problems,
    values=lambda data, context: placeholder_values(data, context.fmt),
    template=default_template,
    tables=lambda data, context: tables(data, context.fmt),
)
tongket_section_types, tongket_validate_section, tongket_render_section = SECTION.hooks()

# What an outline (đề cương) may ask of this section: some of its lists, with their columns.
tongket_outline_check, tongket_outline_prefill, tongket_outline_gaps = records_outline_hooks(
    SECTION_TYPE
)
# A reply form in Word for a body without tongket, and its tables read back.
tongket_outline_form, tongket_outline_read_tables = records_word_hooks(SECTION_TYPE)

# How bodies' replies merge (tongket merge): lists unioned with the body, narrative gathered.
tongket_merge_sections = prose_merge_hook(SECTION)
