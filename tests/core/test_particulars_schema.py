"""The particulars are described once (`tongket.core.report.particulars`) and everything follows it.

The dataclasses and the description must agree field for field; the reader, the writer, the
one-line check and the app's form must each cover every described field, and pick up a new one
without being edited.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import tomli_w

from tongket.core import checks
from tongket.core.host.sectiontypes import Field
from tongket.core.problems import ReportFileError, dotted
from tongket.core.report import particulars, store
from tongket.core.report.model import Particulars, Project
from tongket.core.report.particulars import FIELDS, GROUPS, TABLES, ParticularsField
from tongket.tui import fields as form_fields
from tongket.tui.fields import Part

MINIMAL = """\
[document]
agency = "SỞ CÔNG THƯƠNG"
"""


def dataclass_keys(key: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every leaf field of the particulars' dataclasses, in declaration order, as a key path."""
    found: list[tuple[str, ...]] = []
    for item in dataclasses.fields(particulars.TABLES[key]):
        path = (*key, item.name)
        found += dataclass_keys(path) if path in particulars.TABLES else [path]
    return found


def sample_value(spec: ParticularsField, seed: int) -> object:
    """A value of the field's kind, different for every field."""
    kind = spec.field.kind
    if kind == "choice":
        return spec.field.choices[-1][0]
    if kind == "date":
        return dt.date(2021, 4, 1 + seed)
    if kind == "list":
        return [f"nơi {seed}", f"nơi {seed} khác"]
    return f"giá trị {seed}"


def with_value(document: Particulars, key: tuple[str, ...], value: object) -> None:
    owner = particulars.value_at(document, key[:-1])
    setattr(owner, key[-1], value)


def form_paths() -> list[tuple]:
    return [path for _title, spec in form_fields.particulars_form().values() for path, _ in spec]


def test_description_and_dataclasses_name_the_same_fields_in_the_same_order():
    assert [spec.key for spec in FIELDS] == dataclass_keys()
    # and each table below [document] has its dataclass
    assert {spec.table for spec in FIELDS} == set(TABLES)


def test_each_field_is_in_a_form_group_and_has_a_kind_the_reader_knows():
    groups = [group for group, _title in GROUPS]
    for spec in FIELDS:
        assert spec.group in groups, spec.key
        assert spec.field.kind in ("text", "longtext", "choice", "date", "list"), spec.key
        assert spec.field.label, spec.key
        assert not spec.load_choices or spec.field.kind == "choice", spec.key
    # the groups are the outline's order: every group has at least one field
    assert {spec.group for spec in FIELDS} == set(groups)


def test_writer_and_reader_carry_every_described_field():
    project = Project()
    for seed, spec in enumerate(FIELDS):
        with_value(project.document, spec.key, sample_value(spec, seed))
    table = store.to_table(project)
    for spec in FIELDS:
        value = table["document"]
        for name in spec.key:
            value = value[name]
        assert value == particulars.value_at(project.document, spec.key), spec.key
    assert store.loads(store.dumps(project)).document == project.document


@pytest.mark.parametrize("spec", FIELDS, ids=lambda spec: dotted(spec.key))
def test_reader_names_the_field_of_a_wrong_value(spec):
    table = store.to_table(store.loads(MINIMAL))
    owner = table["document"]
    for name in spec.table:
        owner = owner[name]
    owner[spec.field.name] = True
    with pytest.raises(ReportFileError) as caught:
        store.loads(tomli_w.dumps(table), "r.toml")
    assert caught.value.key == dotted(spec.path)
    assert "đúng/sai" in str(caught.value)  # what it met, in the drafter's words


def test_form_shows_every_described_field_once_in_its_group():
    assert form_paths() == [spec.path for spec in FIELDS]
    assert form_fields.particulars_form() == form_fields.PARTICULARS
    for spec in FIELDS:
        assert form_fields.part_of_path(spec.path) == Part(spec.group)
        assert form_fields.part_of_path((*spec.path, 0)) == Part(spec.group)


@pytest.mark.parametrize(
    "spec", [spec for spec in FIELDS if spec.length], ids=lambda spec: dotted(spec.key)
)
def test_line_length_check_measures_every_free_text_field(spec):
    project = Project()
    long = "x" * (checks.MAX_SENTENCE_LENGTH + 1)
    with_value(project.document, spec.key, [long] if spec.field.kind == "list" else long)
    where = (*spec.path, 0) if spec.field.kind == "list" else spec.path
    assert [problem.path for problem in checks.line_length_problems(project)] == [where]


@dataclasses.dataclass
class WithUrgency(Particulars):
    """The particulars with one field more, as a future version might add it."""

    urgency: str = ""  # độ khẩn: "Khẩn", "Thượng khẩn", "Hỏa tốc"


@pytest.fixture
def urgency(monkeypatch: pytest.MonkeyPatch) -> ParticularsField:
    """A new particulars field, added the documented way: dataclass and description only."""
    spec = ParticularsField(Field("urgency", "Độ khẩn", help="Ví dụ: Hỏa tốc."), "header")
    monkeypatch.setattr(particulars, "FIELDS", (*particulars.FIELDS, spec))
    monkeypatch.setattr(particulars, "TABLES", {**particulars.TABLES, (): WithUrgency})
    return spec


def test_a_described_field_reaches_reader_writer_checks_and_form(urgency):
    assert [spec.key for spec in particulars.FIELDS] == dataclass_keys()

    project = store.loads(MINIMAL + 'urgency = "Hỏa tốc"\n')
    assert isinstance(project.document, WithUrgency)
    assert project.document.urgency == "Hỏa tốc"
    assert 'urgency = "Hỏa tốc"' in store.dumps(project)
    assert store.loads(store.dumps(project)) == project

    with pytest.raises(ReportFileError) as caught:
        store.loads(MINIMAL + "urgency = 3\n")
    assert caught.value.key == "document.urgency"
    with pytest.raises(ReportFileError) as caught:
        store.loads(MINIMAL + 'urgenci = "Khẩn"\n')
    assert "distribution, urgency)" in str(caught.value)
    assert "có phải ý bạn là 'urgency'?" in str(caught.value)

    project.document.urgency = "x" * (checks.MAX_LINE_LENGTH + 1)
    found = [problem.path for problem in checks.line_length_problems(project)]
    assert found == [("document", "urgency")]

    _title, header = form_fields.particulars_form()["header"]
    assert header[-1] == (("document", "urgency"), urgency.field)
    assert form_fields.part_of_path(("document", "urgency")) == Part("header")
