"""Properties (hypothesis): round-trips that must hold for any input, not just the examples.

- any valid report survives save → load unchanged;
- any text put into a paragraph reads back from the DOCX as `sanitize.clean_text` of it;
- the Vietnamese number and date formatters never raise on valid input and their parsers
  read back what they wrote.

Example counts stay modest so the suite stays fast.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tongket.core.render import vnformat
from tongket.core.report import store
from tongket.core.report.model import (
    KINDS,
    SIGNER_PREFIXES,
    TABLE_PLACEMENTS,
    Citation,
    Particulars,
    Project,
    Section,
    Signer,
)

# Surrogates cannot be stored in UTF-8 at all; everything else, controls included, is text.
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
# What a loaded report holds: the fixed point of the store's normalisation (NFC, "\n").
text = any_text.map(store.normalize_text)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
scalars = st.one_of(
    text,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.booleans(),
    dates,
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
)
section_data = st.dictionaries(
    text,
    st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
        max_leaves=12,
    ),
    max_size=5,
)
citations = st.builds(
    Citation,
    kind=text.filter(bool),
    number=text.filter(bool),
    date=st.none() | dates,
    issuer=text,
    title=text,
)
projects = st.builds(
    Project,
    document=st.builds(
        Particulars,
        kind=st.sampled_from(KINDS),
        parent_agency=text,
        agency=text,
        number=text,
        symbol=text,
        place=text,
        date=st.none() | dates,
        subject=text,
        recipients=st.lists(text, max_size=3),
        closing=text,
        signer=st.builds(
            Signer, prefix=st.sampled_from(SIGNER_PREFIXES), head_title=text, name=text
        ),
        distribution=st.lists(text, max_size=3),
    ),
    citations=st.dictionaries(text, citations, max_size=3),
    sections=st.lists(
        st.builds(
            Section,
            type=text,
            number=text,
            heading=text,
            data=section_data,
            version=st.none() | st.integers(min_value=0, max_value=1000),
            table=st.sampled_from(TABLE_PLACEMENTS),
        ),
        max_size=4,
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(project=projects)
def test_any_valid_report_survives_save_and_load(project, tmp_path_factory):
    target = tmp_path_factory.mktemp("roundtrip") / "report.toml"
    store.save(project, target)
    assert store.load(target) == project
    assert store.dumps(store.load(target)) == target.read_text(encoding="utf-8")


@settings(max_examples=40, deadline=None)
@given(value=any_text)
def test_loading_normalises_any_text_to_a_fixed_point(value):
    once = store.normalize_text(value)
    assert store.normalize_text(once) == once
    assert "\r" not in once


def _docx_paragraph_text(value: str) -> str:
    docx_writer = pytest.importorskip("tongket.core.writers.docx_writer")
    import docx

    from tongket.core.render.blocks import Paragraph
    from tongket.core.render.document import RenderedDocument

    marker = "ĐOẠN-KIỂM-TRA:"
    project = Project(Particulars(agency="SỞ CÔNG THƯƠNG", date=dt.date(2021, 4, 2)))
    rendered = RenderedDocument(project, [Paragraph.of(marker + value)], [], [])
    document = docx.Document(io.BytesIO(docx_writer.build_docx(rendered)))
    found = [p.text for p in document.paragraphs if p.text.startswith(marker)]
    assert len(found) == 1
    return found[0].removeprefix(marker)


@settings(max_examples=40, deadline=None)
@given(value=st.text(max_size=60))
def test_any_paragraph_text_reads_back_from_the_docx_as_sanitised(value):
    sanitize = pytest.importorskip("tongket.core.writers.sanitize")
    assert _docx_paragraph_text(value) == sanitize.clean_text(value)


def test_paragraph_sanitisation_examples():
    sanitize = pytest.importorskip("tongket.core.writers.sanitize")
    hostile = "Sở\x07 Công\x00 Thương\ufffe\uffff\r\nbáo cáo\tsố liệu" + "\u0301"
    assert _docx_paragraph_text(hostile) == sanitize.clean_text(hostile)
    assert sanitize.clean_text(hostile) == "Sở Công Thương\nbáo cáo\tsố liệú"  # NFC: u + ́ → ú


# Figures in a review report: finite, and well inside Decimal's 28 significant digits.
figures = st.one_of(
    st.integers(min_value=-(10**18), max_value=10**18),
    st.floats(min_value=-1e15, max_value=1e15, allow_nan=False),
)


@settings(max_examples=200, deadline=None)
@given(value=figures, decimals=st.integers(min_value=0, max_value=4))
def test_numbers_round_trip_through_their_parser(value, decimals):
    expected = vnformat.round_half_up(value, decimals)
    written = vnformat.number(value, decimals)
    assert vnformat.parse_number(written) == expected
    assert vnformat.parse_number(vnformat.percent(value, decimals)) == expected
    assert vnformat.parse_number(vnformat.multiple(value, decimals)) == expected
    assert "." not in written.split(",")[-1] or decimals == 0  # dot groups, comma decimals


@settings(max_examples=100, deadline=None)
@given(value=st.integers(min_value=0, max_value=10**9))
def test_counts_read_back(value):
    written = vnformat.count(value)
    assert len(written) >= 2
    assert vnformat.parse_number(written) == value  # "02", "1.409": dot groups thousands
    assert written.startswith("0") == (value < 10)  # "02", never "012"


@settings(max_examples=200, deadline=None)
@given(date=st.dates(min_value=dt.date(1000, 1, 1)), place=text)
def test_dates_round_trip_and_follow_the_leading_zero_rule(date, place):
    numeric = vnformat.date_numeric(date)
    assert vnformat.parse_date_numeric(numeric) == date
    words = vnformat.date_words(date)
    month = "0" + str(date.month) if date.month <= 2 else str(date.month)
    assert words == f"ngày {date.day:02d} tháng {month} năm {date.year}"
    assert vnformat.date_line(place, date) == f"{place}, {words}"


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_refused_with_value_error(value):
    with pytest.raises(ValueError):
        vnformat.number(value)


def test_parse_number_examples():
    assert vnformat.parse_number("1.409") == Decimal(1409)
    assert vnformat.parse_number("7,7%") == Decimal("7.7")
    assert vnformat.parse_number("3,7 lần") == Decimal("3.7")


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from(list("ab&<>\"'\n\r\t đ"))))
def test_xml_escaping_matches_the_standard_library(value):
    # docx_xml writes its own escape/quoteattr to keep xml.sax (and urllib) out of start-up.
    from xml.sax.saxutils import escape, quoteattr

    from tongket.core.writers import docx_xml

    assert docx_xml.escape(value) == escape(value)
    assert docx_xml.quoteattr(value) == quoteattr(value)
