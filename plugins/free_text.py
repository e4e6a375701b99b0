"""Free text (văn bản tự do): the introduction, numbered points without data, closings.

Data: `text`, paragraphs separated by blank lines, with **bold**, *italic* and [[citation]]
mentions. A section with a heading and no text prints just its heading ("2. Kết quả thực hiện").

Optional `tables`: tables typed as they print (a reply imported from Word keeps its tables
this way, `tongket import`), each printed after the text, in order:

    [[sections.data.tables]]
    caption = "Kim ngạch xuất khẩu"          # optional, above the table
    header = ["Năm", "Triệu USD"]
    rows = [["2019", "1.080"], ["2020", "1.409"], ["Tổng", "2.489"]]
    align = ["center", "right"]              # optional, one per column
    total_rows = [-1]                        # optional, printed bold (-1: the last row)
    note = "Nguồn: Cục Thống kê."            # optional, under the table
    text_after = "Đoạn in sau bảng."         # optional paragraphs after the table

Cells are text, printed as written (columns are never dropped). `tables` is not a form field:
the app previews and keeps it; it is edited in the TOML file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tongket.core import Field, Problem, SectionType, hookimpl
from tongket.core.host.fieldcheck import check_fields
from tongket.core.render.blocks import Block, Table

if TYPE_CHECKING:
    from tongket.core.host.merging import Contribution, MergedSection

SECTION_TYPE = SectionType(
    id="free-text",
    title="Văn bản tự do",
    version=1,
    description="Các đoạn văn soạn tay: mở đầu, nội dung không có số liệu, kết luận.",
    fields=(
        Field(
            "text",
            "Nội dung",
            kind="longtext",
            help="Mỗi đoạn cách nhau một dòng trống. **đậm**, *nghiêng*, [[khóa]] để dẫn văn bản.",
        ),
        Field(
            "gathered",
            "Nội dung các đơn vị gửi (tổng hợp)",
            kind="longtext",
            help="Chỉ có ở báo cáo tổng hợp: tongket merge điền lại mỗi lần tổng hợp, không in. "
            "Nội dung in là 'Nội dung': lần tổng hợp đầu lấy đúng phần này, sau đó giữ nguyên "
            "khi đã được sửa.",
            filled_only=True,
        ),
    ),
    default_data={"text": ""},
)


@hookimpl
def tongket_section_types(register):
    register(SECTION_TYPE)


#: The keys of one table in `tables`, and the alignments a column may have.
TABLE_KEYS = ("caption", "header", "rows", "align", "total_rows", "note", "text_after")
ALIGNMENTS = ("left", "center", "right", "justify")


@hookimpl
def tongket_validate_section(data: dict[str, Any], context) -> list[Problem]:
    if not isinstance(data, dict):
        return check_fields(SECTION_TYPE.fields, data)
    # `tables` is checked on its own, not as a form field: it has no editor in the app.
    # (check_fields only reads the data, so without tables it reads the plugin's copy itself.)
    fields = data if "tables" not in data else {k: v for k, v in data.items() if k != "tables"}
    problems = check_fields(SECTION_TYPE.fields, fields)
    text = data.get("text")
    if isinstance(text, str):
        for message in context.text_problems(text):
            problems.append(Problem(("text",), message))
        for message in context.markup_warnings(text):
            problems.append(Problem(("text",), message, "warning"))
    if "tables" in data:
        problems.extend(table_problems(data["tables"], context))
    return problems


def _text_list_problem(value: Any, what: str) -> str | None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return f'cần {what}: một danh sách chuỗi, ví dụ ["2020", "1.409"]'
    return None


def table_problems(tables: Any, context) -> list[Problem]:
    """Problems of the optional `tables` list, each at its dotted place."""
    if not isinstance(tables, list):
        return [Problem(("tables",), "cần một danh sách bảng ([[sections.data.tables]])")]
    problems: list[Problem] = []
    for index, table in enumerate(tables):
        where = ("tables", index)
        if not isinstance(table, dict):
            problems.append(Problem(where, "cần một bảng có header và rows"))
            continue
        for key in table:
            if key not in TABLE_KEYS:
                problems.append(
                    Problem(
                        (*where, key),
                        f"khóa không được biết; cần một trong {', '.join(TABLE_KEYS)}",
                    )
                )
        header = table.get("header")
        message = _text_list_problem(header, "tiêu đề các cột")
        if message or not header:
            problems.append(Problem((*where, "header"), message or "bắt buộc: cần ít nhất một cột"))
            continue
        rows = table.get("rows", [])
        if not isinstance(rows, list):
            problems.append(
                Problem((*where, "rows"), "cần một danh sách dòng, mỗi dòng một danh sách ô")
            )
            rows = []
        for number, row in enumerate(rows):
            message = _text_list_problem(row, "một dòng")
            if message is None and len(row) != len(header):
                message = f"dòng có {len(row)} ô nhưng bảng có {len(header)} cột"
            if message:
                problems.append(Problem((*where, "rows", number), message))
        align = table.get("align", [])
        if (
            not isinstance(align, list)
            or len(align) not in (0, len(header))
            or any(item not in ALIGNMENTS for item in align)
        ):
            problems.append(
                Problem(
                    (*where, "align"),
                    f"cần {len(header)} giá trị, mỗi cột một trong {', '.join(ALIGNMENTS)}",
                )
            )
        totals = table.get("total_rows", [])
        count = len(rows)
        if not isinstance(totals, list) or any(
            not isinstance(item, int) or isinstance(item, bool) or not -count <= item < count
            for item in totals
        ):
            problems.append(
                Problem(
                    (*where, "total_rows"),
                    "cần số thứ tự dòng tổng (0 là dòng đầu, -1 là dòng cuối; "
                    f"bảng có {count} dòng)",
                )
            )
        for key in ("caption", "note", "text_after"):
            value = table.get(key, "")
            if not isinstance(value, str):
                problems.append(Problem((*where, key), "cần một đoạn văn bản"))
            elif key == "text_after":
                problems.extend(
                    Problem((*where, key), message) for message in context.text_problems(value)
                )
    return problems


def table_block(table: dict[str, Any]) -> Table:
    """One entry of `tables` as a `Table` block, printed as written."""
    return Table(
        header=tuple(table["header"]),
        rows=tuple(tuple(row) for row in table.get("rows", [])),
        align=tuple(table.get("align", [])),
        caption=table.get("caption", ""),
        note=table.get("note", ""),
        total_rows=tuple(table.get("total_rows", [])),
        keep_empty_columns=True,
    )


@hookimpl
def tongket_render_section(data: dict[str, Any], context) -> list[Block]:
    blocks: list[Block] = list(context.paragraphs(data.get("text", "")))
    for table in data.get("tables", []):
        blocks.append(table_block(table))
        blocks.extend(context.paragraphs(table.get("text_after", "")))
    return blocks


@hookimpl
def tongket_merge_sections(
    contributions: list[Contribution], previous: dict[str, Any] | None
) -> MergedSection:
    """Each body's text verbatim, its name as the lead-in; the coordinator's `text` is kept."""
    # Only `tongket merge` merges: the merge's helpers stay off the export path.
    from tongket.core.host.merging import MergedSection, coordinator_text, gather_text

    merged = MergedSection({})
    gathered = gather_text(contributions, lambda part: part.data.get("text", ""), merged)
    merged.data["text"] = coordinator_text(previous, "text", gathered)
    merged.data["gathered"] = gathered
    # Tables typed in the replies (imported from Word) follow, each captioned with its body.
    tables = []
    for contribution in contributions:
        for table in contribution.data.get("tables") or []:
            if isinstance(table, dict):
                caption = str(table.get("caption", "")).strip()
                body = contribution.body_name
                named = f"{body}: {caption}" if caption else body
                merged.credit(contribution, ("tables", len(tables)))
                tables.append({**table, "caption": named})
    if tables:
        merged.data["tables"] = tables
    return merged
