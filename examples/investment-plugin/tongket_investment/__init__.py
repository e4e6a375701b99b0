"""Thu hút đầu tư (investment attraction): projects licensed, registered and disbursed capital.

A section type written the way another agency's team would write one: only tongket's public
API (`tongket.core`, `tongket.core.blocks`, `tongket.core.fieldcheck` and the render context).

Data (version 2), one row per year:

    unit = "tỷ đồng"
    years = [
      {year = 2022, projects = 18, registered = 5120.5, disbursed = 2310.2},
      {year = 2023, projects = 23, registered = 6875, disbursed = 3502.8},
    ]

`disbursed` (vốn giải ngân) may be missing for a year whose figures are not in yet. Version 1
stored the rows under `nam` with Vietnamese keys and no disbursement; `tongket_migrate_section`
upgrades it.
"""

from __future__ import annotations

from typing import Any

from tongket.core import Field, Problem, SectionType, hookimpl
from tongket.core.blocks import Table
from tongket.core.fieldcheck import check_fields

TYPE_ID = "investment"

SECTION_TYPE = SectionType(
    id=TYPE_ID,
    title="Thu hút đầu tư",
    version=2,
    description="Dự án được cấp phép, vốn đăng ký và vốn giải ngân theo từng năm.",
    fields=(
        Field("intro", "Đoạn mở đầu", kind="longtext", help="In trước phần số liệu."),
        Field("unit", "Đơn vị vốn", required=True, help="Ví dụ: tỷ đồng, triệu USD."),
        Field(
            "years",
            "Số liệu theo năm",
            kind="records",
            fields=(
                Field("year", "Năm", kind="integer", required=True),
                Field("projects", "Số dự án cấp phép", kind="integer", unit="dự án", required=True),
                Field("registered", "Vốn đăng ký", kind="decimal", required=True),
                Field("disbursed", "Vốn giải ngân", kind="decimal", help="Để trống nếu chưa có."),
            ),
        ),
        Field("outro", "Đoạn kết", kind="longtext", help="In sau bảng số liệu."),
    ),
    default_data={"intro": "", "unit": "tỷ đồng", "years": [], "outro": ""},
)


@hookimpl
def tongket_section_types(register):
    register(SECTION_TYPE)


@hookimpl
def tongket_validate_section(data: dict[str, Any]) -> list[Problem]:
    problems = check_fields(SECTION_TYPE.fields, data)
    if problems:
        return problems  # the checks below need the right shapes
    years = data.get("years", [])
    for index, row in enumerate(years):
        for key in ("projects", "registered", "disbursed"):
            if row.get(key) is not None and row[key] < 0:
                problems.append(Problem(("years", index, key), "cần một số không âm"))
        if index and row["year"] <= years[index - 1]["year"]:
            earlier = years[index - 1]["year"]
            message = f"năm {row['year']} đã có" if row["year"] == earlier else "năm cần tăng dần"
            problems.append(Problem(("years", index, "year"), f"{message} (dòng trước: {earlier})"))
        if row["projects"] == 0 and row["registered"] > 0:
            problems.append(
                Problem(
                    ("years", index, "registered"),
                    "có vốn đăng ký nhưng số dự án bằng 0",
                    severity="warning",
                )
            )
    return problems


@hookimpl
def tongket_migrate_section(data: dict[str, Any], from_version: int) -> dict[str, Any] | None:
    if from_version >= 2:
        return None
    rows = [
        {"year": row["nam"], "projects": row["so_du_an"], "registered": row["von_dang_ky"]}
        for row in data.get("nam", [])
    ]
    return {
        "intro": data.get("mo_dau", ""),
        "unit": data.get("don_vi", "tỷ đồng"),
        "years": rows,
        "outro": "",
    }


@hookimpl
def tongket_render_section(data: dict[str, Any], context) -> list:
    blocks = list(context.paragraphs(data.get("intro", "")))
    years = data.get("years", [])
    if years:
        blocks.extend(context.paragraphs(summary(years, data["unit"], context.fmt)))
        blocks.append(table(years, data["unit"], context.fmt))
    blocks.extend(context.paragraphs(data.get("outro", "")))
    return blocks


def disbursement_rate(rows: list[dict[str, Any]]) -> float | None:
    """Disbursed over registered capital, in %, over the years that report disbursement."""
    reported = [row for row in rows if row.get("disbursed") is not None]
    registered = sum(row["registered"] for row in reported)
    if not reported or not registered:
        return None
    return sum(row["disbursed"] for row in reported) / registered * 100


def summary(years: list[dict[str, Any]], unit: str, fmt) -> str:
    """The paragraph on the whole period and on the last year against the one before."""
    first, last = years[0]["year"], years[-1]["year"]
    period = f"Giai đoạn {first}–{last}" if first != last else f"Năm {last}"
    projects = sum(row["projects"] for row in years)
    registered = sum(row["registered"] for row in years)
    text = (
        f"{period}, toàn tỉnh thu hút {fmt.count(projects)} dự án với tổng vốn đăng ký "
        f"{fmt.number(registered, 1)} {unit}"
    )
    rate = disbursement_rate(years)
    if rate is not None:
        disbursed = sum(row.get("disbursed") or 0 for row in years)
        text += f"; vốn giải ngân {fmt.number(disbursed, 1)} {unit}, đạt {fmt.percent(rate)}"
        if any(row.get("disbursed") is None for row in years):
            text += " vốn đăng ký của các năm đã có số liệu giải ngân"
        else:
            text += " vốn đăng ký"
    text += "."
    if len(years) > 1:
        now, before = years[-1], years[-2]
        text += (
            f" Riêng năm {now['year']}, cấp phép {fmt.count(now['projects'])} dự án, vốn đăng ký "
            f"{fmt.number(now['registered'], 1)} {unit}"
        )
        if before["registered"]:
            change = (now["registered"] / before["registered"] - 1) * 100
            direction = "tăng" if change >= 0 else "giảm"
            text += f", {direction} {fmt.percent(abs(change))} so với năm {before['year']}"
        text += "."
    return text


def table(years: list[dict[str, Any]], unit: str, fmt) -> Table:
    """Every year and the total: projects, registered, disbursed and the disbursement rate."""

    def rate_text(rows: list[dict[str, Any]]) -> str:
        rate = disbursement_rate(rows)
        return "" if rate is None else fmt.percent(rate)

    def money(value: float | None) -> str:
        return "" if value is None else fmt.number(value, 1)

    rows = [
        (
            str(row["year"]),
            fmt.number(row["projects"]),
            money(row["registered"]),
            money(row.get("disbursed")),
            rate_text([row]),
        )
        for row in years
    ]
    reported = [row["disbursed"] for row in years if row.get("disbursed") is not None]
    rows.append(
        (
            "Tổng cộng",
            fmt.number(sum(row["projects"] for row in years)),
            money(sum(row["registered"] for row in years)),
            money(sum(reported)) if reported else "",
            rate_text(years),
        )
    )
    return Table(
        header=(
            "Năm",
            "Số dự án",
            f"Vốn đăng ký ({unit})",
            f"Vốn giải ngân ({unit})",
            "Tỷ lệ giải ngân",
        ),
        rows=tuple(rows),
        widths=(1.2, 1, 2, 2, 1.5),
        align=("center", "right", "right", "right", "right"),
        caption="Kết quả thu hút đầu tư",
        note="Tỷ lệ giải ngân = vốn giải ngân / vốn đăng ký của các năm có số liệu giải ngân.",
    )
