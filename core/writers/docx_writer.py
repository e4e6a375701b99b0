"""The NĐ30/2020/NĐ-CP Word file: letterhead, Kính gửi, body blocks, signature, phụ lục.

`build_docx` turns a `RenderedDocument` into the bytes of a .docx file; the same input always
gives the same bytes. The page is A4 portrait with margins 20/20/30/15 mm, Times New Roman
throughout, sizes from the "14-pair" profile (Quốc hiệu 13, Tiêu ngữ 14, date 14, body 14;
Quốc hiệu 12, Tiêu ngữ 13, date 13 when a long địa danh would wrap the date line at 14, as
NĐ30's footnote to Phụ lục I allows: see `docx_letterhead.header_sizes`).
Fixed wording comes from `letterhead`; the body and phụ lục come from the blocks.

The body is written as XML strings (see `docx_xml`) and streamed into `document.xml` between
the two halves the package template holds (see `docx_template` and `docx_package`): neither
python-docx nor lxml ever parses it, so export time grows linearly with the document, one big
table included. A report without pictures is written without importing python-docx at all.

Pictures are read through `images.ImageFolders` (regular image files in the report's folder,
of bounded size); a picture that cannot be embedded prints as an error paragraph in its place.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from itertools import chain
from typing import IO, TYPE_CHECKING, NoReturn

from tongket.core.render.blocks import (
    Appendix,
    Block,
    BlockDispatch,
    BulletList,
    Chart,
    ErrorBlock,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Run,
    Table,
)
from tongket.core.render.document import RenderedDocument
from tongket.core.render.letterhead import appendix_reference_line, subject_line
from tongket.core.report.model import Particulars
from tongket.core.report.store import atomic_write
from tongket.core.writers import docx_styles as styles
from tongket.core.writers.docx_columns import fit_columns, measure_columns
from tongket.core.writers.docx_letterhead import (
    HEADER_DISTANCE,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    TEXT_WIDTH,
    fmt,
    letterhead,
    recipients,
    report_title,
    signature,
)
from tongket.core.writers.docx_package import write_package
from tongket.core.writers.docx_template import (
    CORE_PROPERTIES,
    core_properties_xml,
    new_document,
    python_docx_package,
    shipped_package,
)
from tongket.core.writers.docx_xml import (
    ParagraphFormat,
    RunFormat,
    cell,
    keep_with_next,
    page_break,
    paragraph,
    paragraph_properties,
    row,
    run_properties,
    styled_run,
    table_open,
    text_cell_frame,
    text_paragraph,
)
from tongket.core.writers.images import ImageFolders, ImageRefused

if TYPE_CHECKING:
    from docx.document import Document
    from docx.image.image import Image as DocxImage

    from tongket.core.writers.docx_chart import ChartPackage

__all__ = ["DocxExportError", "build_docx", "export_docx", "write_docx"]

TABLE_CELL_MARGIN = 85

_STYLE_OF_PARAGRAPH = {"body": styles.BODY.id, "note": styles.NOTE.id, "center": styles.CENTER.id}


class DocxExportError(Exception):
    """The document cannot be written (e.g. an unknown block type); the message says why."""


def build_docx(rendered: RenderedDocument, *, images: ImageFolders | None = None) -> bytes:
    """The complete .docx file for a rendered report, byte-identical for identical input.

    images: where pictures may be read from; by default the current folder (a caller with a
    report file passes `ImageFolders.for_report(report)`).
    """
    buffer = io.BytesIO()
    write_docx(rendered, buffer, images=images)
    return buffer.getvalue()


def write_docx(
    rendered: RenderedDocument, target: IO[bytes], *, images: ImageFolders | None = None
) -> None:
    """Write the .docx of a rendered report to a seekable binary file (see `build_docx`).

    The body's XML is compressed into the file while it is generated, a few dozen kilobytes at
    a time: memory does not grow with the document beyond the rendered blocks themselves.
    """
    images = images or ImageFolders.for_report(None)
    if _has_pictures(rendered):
        # Pictures are parts of the package: python-docx builds it around them, and the
        # relationships are written before document.xml, so every picture is embedded first.
        document = new_document()
        writer = _BodyWriter(document, images)
        writer.embed_pictures(rendered)
        package = python_docx_package(document)
    else:
        writer = _BodyWriter(None, images)
        package = shipped_package()
    writer.header_ids = package.header_ids
    particulars = rendered.project.document
    core = core_properties_xml(
        title=subject_line(particulars), author=particulars.agency, day=particulars.date
    )
    body = chain((package.head,), _encoded(writer.body_parts(rendered)), (package.tail,))
    parts = {**package.parts, CORE_PROPERTIES: core}
    charts = [block for block in _all_blocks(rendered) if isinstance(block, Chart)]
    if charts:  # only then is the chart writer imported
        from tongket.core.writers.docx_chart import ChartPackage

        # The relationships and content types are written before document.xml: every chart
        # gets its part and relationship id now, in reading order.
        writer.charts = ChartPackage.for_package(parts, package.document_name, charts)
        parts = writer.charts.add_to(parts, package.document_name)
    write_package(target, parts, {package.document_name: body})


def _all_blocks(rendered: RenderedDocument) -> Iterator[Block]:
    """The body's blocks, then each phụ lục's: the order the writer prints them in."""
    return chain(rendered.body, *(appendix.blocks for appendix in rendered.appendices))


def _has_pictures(rendered: RenderedDocument) -> bool:
    return any(isinstance(block, Image) for block in _all_blocks(rendered))


def export_docx(
    rendered: RenderedDocument,
    path: str | os.PathLike[str],
    *,
    images: ImageFolders | None = None,
    report: str | os.PathLike[str] | None = None,
) -> None:
    """Write the .docx atomically: an existing file stays whole if anything fails.

    images: where pictures may be read from; by default the folder the document is written to
    (the app writes FILE.docx next to FILE.toml, so that is the report's folder).
    report: the report file it is made from; a new .docx gets its group and permissions, so a
    private report's export is not readable by everyone (an existing .docx keeps its own).
    """
    data = build_docx(rendered, images=images or ImageFolders.for_report(path))
    atomic_write(path, data, new_like=report)


#: Characters of body XML gathered before they are encoded and handed to the compressor.
_CHUNK_CHARACTERS = 1 << 16


def _encoded(parts: Iterable[str]) -> Iterator[bytes]:
    """The parts as UTF-8, joined into chunks of about `_CHUNK_CHARACTERS` characters."""
    pending: list[str] = []
    size = 0
    for part in parts:
        pending.append(part)
        size += len(part)
        if size >= _CHUNK_CHARACTERS:
            yield "".join(pending).encode()
            pending.clear()
            size = 0
    if pending:
        yield "".join(pending).encode()


def _separate_tables(parts: Iterable[str]) -> Iterator[str]:
    # Word merges two tables with nothing between them into one; keep a small gap paragraph.
    # A table comes in pieces (opening, rows, "</w:tbl>"); no piece inside one block both ends
    # a table and is followed by one starting another, so comparing pieces is comparing blocks.
    previous = ""
    for part in parts:
        if not part:
            continue
        if previous.endswith("</w:tbl>") and part.startswith("<w:tbl>"):
            yield paragraph(fmt(styles.RULE, before=120))
        yield part
        previous = part


#: <w:rPr> of a body run by (bold, italic).
_RUN_PROPERTIES = {
    (bold, italic): run_properties(
        RunFormat(bold=True if bold else None, italic=True if italic else None)
    )
    for bold in (False, True)
    for italic in (False, True)
}


def _paragraph_opening(style: str) -> str:
    return f"<w:p>{paragraph_properties(ParagraphFormat(style=style))}"


_HEADING_OPENINGS = {level: _paragraph_opening(f"Heading{level}") for level in (1, 2, 3, 4)}
_PARAGRAPH_OPENINGS = {
    role: _paragraph_opening(style) for role, style in _STYLE_OF_PARAGRAPH.items()
}
_BODY_OPENING = _paragraph_opening(styles.BODY.id)
_LIST_OPENING = _paragraph_opening(styles.LIST.id)


def _runs(items: tuple[Run, ...], prefix: str = "") -> str:
    return (styled_run(prefix, "") if prefix else "") + "".join(
        styled_run(item.text, _RUN_PROPERTIES[bool(item.bold), bool(item.italic)])
        for item in items
        if item.text
    )


class _BodyWriter:
    """Builds the XML of the document body; keeps the picture counter and header ids."""

    def __init__(self, document: Document | None, images: ImageFolders) -> None:
        self.document = document  # python-docx's, to embed pictures in; None without pictures
        self.header_ids: Mapping[str, str] = {}  # set from the package before writing
        self.images = images
        self.picture_count = 0  # drawings so far, pictures and charts: each needs its own id
        self.charts: ChartPackage | None = None  # set before writing when there are charts
        # Each picture block's embedded image (relationship id, image) or why it was refused.
        self.pictures: dict[int, tuple[str, DocxImage] | ImageRefused] = {}

    def section_xml(self, *, restart: bool) -> str:
        """A <w:sectPr>: A4, NĐ30 margins, page numbers in the header, none on the first page."""
        references = "".join(
            f'<w:headerReference w:type="{kind}" r:id="{rid}"/>'
            for kind, rid in sorted(self.header_ids.items())
        )
        numbering = '<w:pgNumType w:start="1"/>' if restart else ""
        return (
            f"<w:sectPr>{references}"
            f'<w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/>'
            f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}"'
            f' w:left="{MARGIN_LEFT}" w:header="{HEADER_DISTANCE}" w:footer="{HEADER_DISTANCE}"'
            ' w:gutter="0"/>'
            f'{numbering}<w:cols w:space="720"/><w:titlePg/><w:docGrid w:linePitch="360"/>'
            "</w:sectPr>"
        )

    def body_parts(self, rendered: RenderedDocument) -> Iterator[str]:
        """The content of <w:body> in reading order, block by block, ending with its sectPr.

        A generator, so the whole body never sits in memory as one string.
        """
        return _separate_tables(self._parts(rendered))

    def _parts(self, rendered: RenderedDocument) -> Iterator[str]:
        particulars = rendered.project.document
        yield letterhead(particulars)
        if particulars.kind == "bao-cao":
            yield report_title(particulars)
        yield recipients(particulars)
        one_piece = _ONE_PIECE_XML
        for block in rendered.body[:-1]:
            # A heading or a paragraph (the exact class: a subclass goes through the dispatch)
            # is one string, written without the dispatch's tuple: most blocks of a report.
            write = one_piece.get(block.__class__)
            if write is not None:
                yield write(block)
            else:
                yield from self.block_parts(block)
        if rendered.body:
            # The closing line and the signature never start a page on their own: the last
            # body paragraph (or table row) goes with them, and the closing with the signature
            # (whose one row cannot split).
            yield from _kept_with_next(self.block_parts(rendered.body[-1]))
        if particulars.closing:
            yield text_paragraph(particulars.closing, fmt(styles.BODY, keep_next=True))
        yield signature(particulars)
        for index, appendix in enumerate(rendered.appendices):
            # A section ends with the paragraph holding its properties: the main text's
            # section first, then each phụ lục but the last (the body's final sectPr).
            restart = index > 0
            yield paragraph(fmt(styles.RULE), section=self.section_xml(restart=restart))
            yield from self.appendix(appendix, particulars)
        yield self.section_xml(restart=bool(rendered.appendices))

    def appendix(self, appendix: Appendix, particulars: Particulars) -> Iterator[str]:
        """A phụ lục: its label, title in capitals, the reference line, then its blocks."""
        yield text_paragraph(appendix.label, fmt(styles.APPENDIX_LABEL))
        yield text_paragraph(appendix.title.upper(), fmt(styles.APPENDIX_TITLE))
        yield text_paragraph(appendix_reference_line(particulars), fmt(styles.APPENDIX_REFERENCE))
        for block in appendix.blocks:
            yield from self.block_parts(block)

    def block_parts(self, block: Block) -> Iterable[str]:
        """One body block as XML: one string, or a table's opening, rows and end."""
        return _BLOCK_XML[type(block)](self, block)

    def embed_pictures(self, rendered: RenderedDocument) -> None:
        """Read and embed every picture, in reading order, before the body is written."""
        for block in _all_blocks(rendered):
            if isinstance(block, Image):
                self._embed(block)

    def _embed(self, image: Image) -> tuple[str, DocxImage] | ImageRefused:
        try:
            blob = self.images.read(image.path)
        except ImageRefused as refused:
            embedded: tuple[str, DocxImage] | ImageRefused = refused
        else:
            if self.document is None:
                raise DocxExportError("hình ảnh cần gói văn bản do python-docx dựng")
            embedded = self.document.part.get_or_add_image(io.BytesIO(blob))
        self.pictures[id(image)] = embedded
        return embedded

    def picture(self, image: Image) -> str:
        """An inline picture, centred, with its caption underneath; an error line if refused.

        `embed_pictures` has embedded it (or recorded why it could not be).
        """
        embedded = self.pictures.get(id(image)) or self._embed(image)
        if isinstance(embedded, ImageRefused):
            return text_paragraph(f"[LỖI hình {image.path}: {embedded}]", fmt(styles.ERROR))
        from docx.oxml.shape import CT_Inline
        from docx.shared import Cm, Twips
        from lxml import etree

        rid, picture = embedded
        self.picture_count += 1
        width = min(Cm(image.width_cm), Twips(TEXT_WIDTH))
        cx, cy = picture.scaled_dimensions(width, None)
        inline = CT_Inline.new_pic_inline(self.picture_count, rid, picture.filename, cx, cy)
        drawing = f"<w:r><w:drawing>{etree.tostring(inline, encoding='unicode')}</w:drawing></w:r>"
        xml = paragraph(fmt(styles.CENTER, keep_next=bool(image.caption)), drawing)
        if image.caption:
            xml += text_paragraph(image.caption, fmt(styles.CAPTION, keep_next=False))
        return xml

    def chart(self, chart: Chart) -> str:
        """A native, editable chart with its caption (`docx_chart.chart_paragraphs`).

        `write_docx` has placed every chart; one met only now (a lone block written by a
        test) is placed on the spot.
        """
        from tongket.core.writers.docx_chart import ChartPackage, chart_paragraphs

        if self.charts is None:
            self.charts = ChartPackage(first_relationship=1)
        self.picture_count += 1
        return chart_paragraphs(chart, self.charts.place(chart), self.picture_count)


def _kept_with_next(parts: Iterable[str]) -> Iterator[str]:
    """A block's XML pieces with its last paragraph kept with what follows.

    A table ending in "</w:tbl>" keeps its last row's paragraphs with the next paragraph.
    Streams: only the last two pieces are held back (a long table is never held whole).
    """
    held: list[str] = []
    for part in parts:
        if not part:
            continue
        held.append(part)
        if len(held) > 2:
            yield held.pop(0)
    if held and held[-1] == "</w:tbl>" and len(held) > 1:
        held[-2] = keep_with_next(held[-2], every=True)
    elif held:
        held[-1] = keep_with_next(held[-1])
    yield from held


def _paragraph_xml(paragraph: Paragraph) -> str:
    opening = _PARAGRAPH_OPENINGS.get(paragraph.style, _BODY_OPENING)
    runs = paragraph.runs
    if len(runs) == 1:  # one run, the usual paragraph: `_runs` without its generator
        only = runs[0]
        text = only.text
        properties = _RUN_PROPERTIES[bool(only.bold), bool(only.italic)]
        return f"{opening}{styled_run(text, properties) if text else ''}</w:p>"
    return f"{opening}{_runs(runs)}</w:p>"


def _heading_xml(heading: Heading) -> str:
    opening = _HEADING_OPENINGS.get(heading.level)  # levels 1–4, as the block check requires
    if opening is None:
        level = min(max(heading.level, 1), 4)
        opening = _HEADING_OPENINGS.get(level) or _paragraph_opening(f"Heading{level}")
    return f"{opening}{styled_run(heading.line, '')}</w:p>"


def _list_xml(bullets: BulletList) -> str:
    return "".join(
        f"{_LIST_OPENING}{_runs(item, f'{number}. ' if bullets.ordered else '- ')}</w:p>"
        for number, item in enumerate(bullets.items, start=1)
    )


def _unsupported(writer: _BodyWriter, block: object) -> NoReturn:
    raise DocxExportError(f"khối nội dung không được hỗ trợ: {type(block).__name__}")


#: Each block's XML pieces, given the writer (it keeps the pictures). Every handler returns an
#: iterable so that a table can be streamed row by row; the others are one string.
_BLOCK_XML: BlockDispatch[Iterable[str]] = BlockDispatch(
    "tongket.core.writers.docx_writer._BodyWriter.block_parts",
    {
        Heading: lambda writer, heading: (_heading_xml(heading),),
        Paragraph: lambda writer, paragraph: (_paragraph_xml(paragraph),),
        BulletList: lambda writer, bullets: (_list_xml(bullets),),
        Table: lambda writer, table: table_parts(table),
        Image: lambda writer, image: (writer.picture(image),),
        Chart: lambda writer, chart: (writer.chart(chart),),
        PageBreak: lambda writer, block: (page_break(),),
        ErrorBlock: lambda writer, error: (text_paragraph(error.text, fmt(styles.ERROR)),),
    },
    fallback=_unsupported,
)


#: The blocks written as one string by a plain function: `_BodyWriter._parts` calls these
#: directly for blocks of exactly these classes (the same handlers `_BLOCK_XML` wraps).
_ONE_PIECE_XML = {Heading: _heading_xml, Paragraph: _paragraph_xml}

_ROW_OPENING = row(()).removesuffix("</w:tr>")
_TABLE_SIZE = styles.TABLE_TEXT.size or 13


def table_layout(table: Table) -> tuple[list[int], float]:
    """Column widths in twips (summing to the text width) and the font size of a data table.

    Widths follow the content (`docx_columns.fit_columns`), with the plugin's `widths` as a hint
    for the room the content does not need; the size is 13 pt unless the table's numbers and
    words do not fit side by side even so, then 12 or 11 pt.
    """
    measures = measure_columns(table.header, table.rows, _total_indices(table))
    sizes = (_TABLE_SIZE, 12, 11)
    return fit_columns(
        measures, tuple(table.widths), TEXT_WIDTH, padding=2 * TABLE_CELL_MARGIN, sizes=sizes
    )


def _total_indices(table: Table) -> list[int]:
    count = len(table.rows)
    return sorted({index % count for index in table.total_rows if -count <= index < count})


@lru_cache(maxsize=64)
def _table_layout(
    widths: tuple[int, ...], align: tuple[str, ...], size: float
) -> tuple[list[tuple[str, str]], str, tuple[str, str], RunFormat]:
    """Each column's cell XML around the runs, the table's opening, the body's run properties
    (plain, bold) and the header's run format.

    Built once per layout: a report's many tables of one shape share it, and a long table
    costs its text only.
    """
    count = len(widths)
    aligns = list(align) + ["left"] * (count - len(align))
    # A smaller table font is set on the runs and on the paragraph mark (the row's height).
    mark = None if size == _TABLE_SIZE else size
    run_size = None if size == _TABLE_SIZE else size
    frames = [
        text_cell_frame(width, fmt(styles.TABLE_TEXT, align=column_align, mark_size=mark))
        for width, column_align in zip(widths, aligns, strict=False)
    ]
    body = (
        run_properties(RunFormat(size=run_size)),
        run_properties(RunFormat(size=run_size, bold=True)),
    )
    opening = table_open(widths, borders=True, cell_margin=TABLE_CELL_MARGIN)
    return frames, opening, body, RunFormat(size=run_size)


def data_table(table: Table) -> str:
    """A bordered table: caption above, bold header row repeated on each page, note below."""
    return "".join(table_parts(table))


def table_parts(table: Table) -> Iterator[str]:
    """`data_table` in pieces: caption, opening and header row, one piece a row, end, note.

    A long table is written (and compressed) row by row, never held whole as one string.
    Total rows (`Table.total_rows`) are bold.
    """
    count = len(table.header)
    if table.caption:
        yield text_paragraph(table.caption, fmt(styles.CAPTION))
    if count:
        widths, size = table_layout(table)
        frames, opening, (plain, bold), header_run = _table_layout(
            tuple(widths), tuple(table.align), size
        )
        header_format = fmt(styles.TABLE_HEADER, mark_size=header_run.size)
        header = row(
            (
                cell(width, text_paragraph(title, header_format, header_run), center=True)
                for width, title in zip(widths, table.header, strict=True)
            ),
            header=True,
        )
        yield opening + header
        totals = frozenset(_total_indices(table)) if table.total_rows else frozenset()
        for index, values in enumerate(table.rows):
            properties = bold if index in totals else plain
            cells = "".join(
                [
                    f"{opening}{styled_run(value, properties) if value else ''}{closing}"
                    for (opening, closing), value in zip(frames, values, strict=False)
                ]
            )
            yield f"{_ROW_OPENING}{cells}</w:tr>"
        yield "</w:tbl>"
    if table.note:
        yield text_paragraph(table.note, fmt(styles.NOTE))
