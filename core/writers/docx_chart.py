"""Native Word charts: a DrawingML chart part with its data in an embedded workbook.

A `Chart` block becomes, in the .docx package:

- `word/charts/chartN.xml`: a `c:chartSpace` holding a `c:barChart`, whose categories are a
  `c:strRef` (the years, as text) and whose values are a `c:numRef` with a cached copy of the
  figures and their number format, so Word and LibreOffice draw it without the workbook;
- `word/embeddings/Microsoft_Excel_SheetN.xlsx`: the same figures as a small workbook, linked
  from the chart part (`c:externalData`), so "Edit Data" in Word (and editing the chart in
  LibreOffice) opens them;
- the relationships (document → chart, chart → workbook) and the content types of both;
- in `document.xml`, a `w:drawing` whose `wp:inline` graphic names the chart part.

Everything is written as strings, here and in `xlsx_workbook` (the workbook, zipped with the
fixed times and order of `docx_package`): no dependency, nothing imported until a report has a
chart, and the same input gives the same bytes.

Number format. A format code like `#,##0` is locale-independent syntax: "," means "group
thousands", "." the decimal point; each program shows it with some locale's separators.
LibreOffice uses the language of the number format, which a `[$-42A]` prefix (LCID 0x042A,
Vietnamese) sets: it shows 1409 as "1.409" and 7,68 as "7,7" whatever the machine's locale.
Word (Excel's chart engine) ignores the LCID for separators and uses the Windows regional
settings: "1.409" on a machine set to Vietnamese, "1,409" on one set to English (United
States), as for any chart in Word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tongket.core.render.charts import Chart, ChartSeries
from tongket.core.writers import docx_styles as styles
from tongket.core.writers.docx_letterhead import TEXT_WIDTH, fmt
from tongket.core.writers.docx_xml import NAMESPACES, attr, paragraph, text, text_paragraph
from tongket.core.writers.xlsx_workbook import (
    SHEET,
    XML_HEAD,
    cell_number,
    column_letters,
    relationships_xml,
    workbook_xlsx,
)

__all__ = [
    "CHART_CONTENT_TYPE",
    "CHART_HEIGHT_EMU",
    "CHART_RELATIONSHIP",
    "PACKAGE_RELATIONSHIP",
    "XLSX_CONTENT_TYPE",
    "ChartPackage",
    "PlacedChart",
    "chart_paragraphs",
    "chart_space_xml",
    "inline_chart",
    "number_format",
]

CHART_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_OFFICE_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CHART_RELATIONSHIP = f"{_OFFICE_RELATIONSHIPS}/chart"
PACKAGE_RELATIONSHIP = f"{_OFFICE_RELATIONSHIPS}/package"
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"

#: Vietnamese (vi-VN) as a number format's locale, for LibreOffice's separators (see module).
LOCALE_PREFIX = "[$-42A]"
#: A chart is as wide as the text and 9 cm high (English Metric Units: 635 a twip).
EMU_PER_TWIP = 635
CHART_HEIGHT_EMU = 9 * 360_000
FONT = "Times New Roman"
#: Bar colours by series: dark blue first (prints as a dark grey), then contrasting ones.
COLOURS = ("2F5597", "C55A11", "548235", "7F6000", "7030A0", "808080")
_WORKBOOK_RELATIONSHIP = "rId1"


def number_format(decimals: int) -> str:
    """The format code of the axis and the labels: "[$-42A]#,##0", "[$-42A]#,##0.0" …"""
    return f"{LOCALE_PREFIX}#,##0" + (f".{'0' * decimals}" if decimals > 0 else "")


# -- the chart part ------------------------------------------------------------------------


def _text_properties(size: float, *, bold: bool = False) -> str:
    weight = ' b="1"' if bold else ' b="0"'
    return (
        "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>"
        f'<a:defRPr sz="{round(size * 100)}"{weight}>'
        f'<a:solidFill><a:srgbClr val="000000"/></a:solidFill>'
        f'<a:latin typeface="{FONT}"/><a:cs typeface="{FONT}"/></a:defRPr>'
        '</a:pPr><a:endParaRPr lang="vi-VN"/></a:p></c:txPr>'
    )


def _line(colour: str, width_emu: int = 9525) -> str:
    return f'<a:ln w="{width_emu}"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></a:ln>'


def _title(chart: Chart) -> str:
    run = (
        f'<a:rPr lang="vi-VN" sz="1300" b="1"><a:latin typeface="{FONT}"/>'
        f'<a:cs typeface="{FONT}"/></a:rPr><a:t>{text(chart.title_line)}</a:t>'
    )
    return (
        "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p>"
        f'<a:pPr><a:defRPr sz="1300" b="1"/></a:pPr><a:r>{run}</a:r></a:p></c:rich></c:tx>'
        '<c:overlay val="0"/></c:title>'
    )


def _range(column: str, first: int, last: int) -> str:
    return f"{SHEET}!${column}${first}:${column}${last}"


def _value_labels(code: str) -> str:
    return (
        f'<c:dLbls><c:numFmt formatCode="{text(code)}" sourceLinked="0"/>'
        "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
        f'{_text_properties(10)}<c:dLblPos val="outEnd"/><c:showLegendKey val="0"/>'
        '<c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/>'
        '<c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'
    )


def _series_xml(chart: Chart, index: int, series: ChartSeries, code: str) -> str:
    count = len(chart.categories)
    column = column_letters(index + 1)
    categories = "".join(
        f'<c:pt idx="{position}"><c:v>{text(label)}</c:v></c:pt>'
        for position, label in enumerate(chart.categories)
    )
    values = "".join(
        f'<c:pt idx="{position}"><c:v>{cell_number(value)}</c:v></c:pt>'
        for position, value in enumerate(series.values)
        if value is not None  # a missing year is a point left out: a gap
    )
    colour = COLOURS[index % len(COLOURS)]
    # One series: its values are written on the bars (the figures the prose quotes).
    labels = _value_labels(code) if len(chart.series) == 1 else ""
    return (
        f'<c:ser><c:idx val="{index}"/><c:order val="{index}"/>'
        f"<c:tx><c:strRef><c:f>{SHEET}!${column}$1</c:f><c:strCache>"
        f'<c:ptCount val="1"/><c:pt idx="0"><c:v>{text(series.name)}</c:v></c:pt>'
        "</c:strCache></c:strRef></c:tx>"
        f'<c:spPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></c:spPr>'
        f'<c:invertIfNegative val="0"/>{labels}'
        f"<c:cat><c:strRef><c:f>{_range('A', 2, count + 1)}</c:f><c:strCache>"
        f'<c:ptCount val="{count}"/>{categories}</c:strCache></c:strRef></c:cat>'
        f"<c:val><c:numRef><c:f>{_range(column, 2, count + 1)}</c:f><c:numCache>"
        f'<c:formatCode>{text(code)}</c:formatCode><c:ptCount val="{count}"/>{values}'
        "</c:numCache></c:numRef></c:val></c:ser>"
    )


_CATEGORY_AXIS, _VALUE_AXIS = 500000001, 500000002


def _axes(code: str) -> str:
    common = '<c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
    ticks = '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
    axis_line = f"<c:spPr>{_line('808080')}</c:spPr>"
    return (
        f'<c:catAx><c:axId val="{_CATEGORY_AXIS}"/>{common}<c:axPos val="b"/>'
        f'{ticks}{axis_line}{_text_properties(11)}<c:crossAx val="{_VALUE_AXIS}"/>'
        '<c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        '<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        f'<c:valAx><c:axId val="{_VALUE_AXIS}"/>{common}<c:axPos val="l"/>'
        f"<c:majorGridlines><c:spPr>{_line('D9D9D9')}</c:spPr></c:majorGridlines>"
        f'<c:numFmt formatCode="{text(code)}" sourceLinked="0"/>'
        f'{ticks}{axis_line}{_text_properties(11)}<c:crossAx val="{_CATEGORY_AXIS}"/>'
        '<c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>'
    )


def chart_space_xml(chart: Chart, workbook_rid: str = _WORKBOOK_RELATIONSHIP) -> bytes:
    """The chart part (`word/charts/chartN.xml`) of a bar chart, its data cached in it."""
    code = number_format(chart.decimals)
    series = "".join(
        _series_xml(chart, index, item, code) for index, item in enumerate(chart.series)
    )
    legend = (
        f'<c:legend><c:legendPos val="b"/><c:overlay val="0"/>{_text_properties(11)}</c:legend>'
        if len(chart.series) > 1
        else ""
    )
    xml = (
        f'{XML_HEAD}<c:chartSpace xmlns:c="{_C}" xmlns:a="{NAMESPACES["a"]}" '
        f'xmlns:r="{NAMESPACES["r"]}"><c:date1904 val="0"/><c:lang val="vi-VN"/>'
        f'<c:roundedCorners val="0"/><c:chart>{_title(chart)}<c:autoTitleDeleted val="0"/>'
        '<c:plotArea><c:layout/><c:barChart><c:barDir val="col"/>'
        f'<c:grouping val="clustered"/><c:varyColors val="0"/>{series}'
        f'<c:gapWidth val="60"/><c:axId val="{_CATEGORY_AXIS}"/><c:axId val="{_VALUE_AXIS}"/>'
        f"</c:barChart>{_axes(code)}</c:plotArea>{legend}"
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        '<c:spPr><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill><a:ln><a:noFill/></a:ln>'
        f"</c:spPr>{_text_properties(11)}"
        f'<c:externalData r:id="{workbook_rid}"><c:autoUpdate val="0"/></c:externalData>'
        "</c:chartSpace>"
    )
    return xml.encode()


# -- in the document -----------------------------------------------------------------------


def inline_chart(rid: str, drawing_id: int, name: str, width_emu: int, height_emu: int) -> str:
    """The run placing a chart part in a paragraph (`wp:inline`, a `c:chart` graphic)."""
    return (
        '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{width_emu}" cy="{height_emu}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{drawing_id}" name={attr(name)}/><wp:cNvGraphicFramePr/>'
        f'<a:graphic xmlns:a="{NAMESPACES["a"]}"><a:graphicData uri="{_C}">'
        f'<c:chart xmlns:c="{_C}" xmlns:r="{NAMESPACES["r"]}" r:id="{rid}"/>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


def chart_paragraphs(chart: Chart, placed: PlacedChart, drawing_id: int) -> str:
    """The chart as wide as the text, centred, with its caption underneath (kept together).

    `drawing_id` is the drawing's number in the document (pictures and charts share them).
    """
    caption = chart.caption_line
    drawing = inline_chart(
        placed.rid,
        drawing_id,
        caption or chart.title_line or f"Biểu đồ {placed.number}",
        TEXT_WIDTH * EMU_PER_TWIP,
        CHART_HEIGHT_EMU,
    )
    xml = paragraph(fmt(styles.CENTER, keep_next=bool(caption)), drawing)
    if caption:
        xml += text_paragraph(caption, fmt(styles.CAPTION, keep_next=False))
    return xml


@dataclass(frozen=True)
class PlacedChart:
    """A chart's part number (`chartN.xml`) and its relationship id from the document."""

    number: int
    rid: str


_RELATIONSHIP_NUMBER = re.compile(rb'Id="rId(\d+)"')


class ChartPackage:
    """The charts of one document: each one's part and relationship, and the parts they add.

    `place` every chart in reading order before the package is written (the relationships
    and content types are written before `document.xml`); `add_to` then gives the package's
    parts with the charts' own and the two lists that name them.
    """

    def __init__(self, first_relationship: int) -> None:
        self._next_relationship = first_relationship
        self._placed: dict[int, tuple[Chart, PlacedChart]] = {}

    @classmethod
    def for_package(
        cls, parts: Mapping[str, bytes], document_name: str, charts: Iterable[Chart] = ()
    ) -> ChartPackage:
        """The charts, placed in the order given, with relationship ids after the highest
        "rIdN" the document's relationships use."""
        used = _RELATIONSHIP_NUMBER.findall(parts.get(_rels_name(document_name), b""))
        package = cls(max((int(number) for number in used), default=0) + 1)
        for chart in charts:
            package.place(chart)
        return package

    def place(self, chart: Chart) -> PlacedChart:
        """The chart's part and relationship, given in the order charts are first placed."""
        found = self._placed.get(id(chart))
        if found is not None:
            return found[1]
        placed = PlacedChart(len(self._placed) + 1, f"rId{self._next_relationship}")
        self._next_relationship += 1
        self._placed[id(chart)] = (chart, placed)  # the chart kept: its id stays its own
        return placed

    def __len__(self) -> int:
        return len(self._placed)

    def add_to(self, parts: Mapping[str, bytes], document_name: str) -> dict[str, bytes]:
        """`parts` with every placed chart's part, workbook and relationships added."""
        folder = document_name.rpartition("/")[0]
        prefix = f"{folder}/" if folder else ""
        added = dict(parts)
        overrides: list[str] = []
        relationships: list[str] = []
        for chart, placed in self._placed.values():
            chart_name = f"{prefix}charts/chart{placed.number}.xml"
            workbook_name = f"{prefix}embeddings/Microsoft_Excel_Sheet{placed.number}.xlsx"
            added[chart_name] = chart_space_xml(chart)
            added[_rels_name(chart_name)] = relationships_xml(
                (
                    _WORKBOOK_RELATIONSHIP,
                    PACKAGE_RELATIONSHIP,
                    f"../embeddings/Microsoft_Excel_Sheet{placed.number}.xlsx",
                )
            )
            added[workbook_name] = workbook_xlsx(chart, number_format(chart.decimals))
            overrides.append(
                f'<Override PartName="/{chart_name}" ContentType="{CHART_CONTENT_TYPE}"/>'
            )
            relationships.append(
                f'<Relationship Id="{placed.rid}" Type="{CHART_RELATIONSHIP}" '
                f'Target="charts/chart{placed.number}.xml"/>'
            )
        types = added["[Content_Types].xml"]
        if b'Extension="xlsx"' not in types:
            overrides.insert(0, f'<Default Extension="xlsx" ContentType="{XLSX_CONTENT_TYPE}"/>')
        added["[Content_Types].xml"] = _insert_before(types, b"</Types>", "".join(overrides))
        rels = _rels_name(document_name)
        added[rels] = _insert_before(added[rels], b"</Relationships>", "".join(relationships))
        return added


def _rels_name(part_name: str) -> str:
    folder, _, base = part_name.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def _insert_before(xml: bytes, closing: bytes, addition: str) -> bytes:
    head, found, tail = xml.rpartition(closing)
    if not found:
        raise ValueError(f"no {closing.decode()} to add the charts' entries before")
    return head + addition.encode() + found + tail
