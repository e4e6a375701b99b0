"""Text → value for a field (`tongket.core.host.fieldtext`): a choice's other words."""

from __future__ import annotations

import pytest

from tongket.core.host.fieldtext import FieldValueError, parse_value
from tongket.core.host.sectiontypes import Field

DIRECTION = Field(
    "direction",
    "Chiều",
    kind="choice",
    choices=(("den", "Đón đoàn đến"), ("di", "Cử đoàn đi")),
    choice_words=(("Đoàn vào", "den"), ("Đoàn ra", "di")),
)


@pytest.mark.parametrize(
    ("text", "value"),
    [("den", "den"), ("Cử đoàn đi", "di"), ("Đoàn vào", "den"), (" đoàn  RA ", "di")],
)
def test_a_choice_reads_by_value_label_or_one_of_its_words_in_any_case(text, value):
    assert parse_value(DIRECTION, text) == value


def test_a_choice_that_is_none_of_them_says_what_it_takes():
    with pytest.raises(FieldValueError, match="cần một trong: Đón đoàn đến, Cử đoàn đi"):
        parse_value(DIRECTION, "Đoàn công tác")


def test_choice_words_must_name_a_choice():
    with pytest.raises(ValueError, match="choice_words name no choice"):
        Field("kind", "Loại", kind="choice", choices=(("a", "A"),), choice_words=(("B", "b"),))
