"""The training section (tập huấn, hội thảo): figures worked out by hand, checks, prose, tables.

The hand-worked data: period 2017–2020, minimum 02 a year.
- 2017: nothing held → 00 classes (below the minimum);
- 2018: a class (40 people) and a workshop (1.200 people) → 02 classes, 1.240 people;
- 2019: one class, participants not recorded → 01 class (below the minimum), people unknown;
- 2020: two classes (60 and 45 people) → 02 classes, 105 people.
Totals: 04 classes + 01 workshop = 05; 40 + 1.200 + 60 + 45 = 1.345 people.
"""

from __future__ import annotations

import copy
import datetime as dt
import io

import pytest

from tongket.core.checks import check_project
from tongket.core.host.pluginhost import PluginHost
from tongket.core.render.blocks import Paragraph, Table
from tongket.core.render.citations import CitationBook
from tongket.core.render.context import RenderContext
from tongket.core.render.document import render_document
from tongket.core.report.model import Citation, Particulars, Project, Section
from tongket.plugins import training

NQ22_FULL = "Nghị quyết số 22-NQ/TW ngày 10/4/2013 của Bộ Chính trị về hội nhập quốc tế"
NQ31_FULL = "Nghị quyết số 31/NQ-CP ngày 13/5/2014 của Chính phủ thực hiện Nghị quyết 22"

CITATIONS = {
    "nq22": Citation(
        "Nghị quyết", "22-NQ/TW", dt.date(2013, 4, 10), "Bộ Chính trị", "về hội nhập quốc tế"
    ),
    "nq31": Citation(
        "Nghị quyết", "31/NQ-CP", dt.date(2014, 5, 13), "Chính phủ", "thực hiện Nghị quyết 22"
    ),
}


@pytest.fixture
def data() -> dict:
    return {
        "min_per_year": 2,
        "first_year": 2017,
        "last_year": 2020,
        "citations": ["nq22", "nq31"],
        "classes": [
            {"year": 2018, "kind": "tap-huan", "topic": "Hiệp định CPTPP", "participants": 40},
            {"year": 2018, "kind": "hoi-thao", "topic": "Hội nhập", "participants": 1200},
            {"year": 2019, "topic": "Rào cản kỹ thuật", "organiser": "Sở Công Thương"},
            {"year": 2020, "kind": "tap-huan", "topic": "EVFTA", "participants": 60},
            {"year": 2020, "kind": "tap-huan", "topic": "Quy tắc xuất xứ", "participants": 45},
        ],
    }


@pytest.fixture
def context() -> RenderContext:
    return RenderContext(
        document=Particulars(date=dt.date(2021, 4, 2)),
        section=Section(type="training", number="2.4."),
        citations=CitationBook(dict(CITATIONS)),
    )


def render(data: dict, context: RenderContext):
    return training.tongket_render_section(data, context)


def texts(blocks) -> list[str]:
    return [block.text for block in blocks if isinstance(block, Paragraph)]


def messages(problems, severity: str | None = None) -> list[tuple[str, str]]:
    return [
        (problem.where, problem.message)
        for problem in problems
        if severity is None or problem.severity == severity
    ]


# -- figures ---------------------------------------------------------------------------------


def test_summary_matches_the_hand_worked_figures(data):
    summary = training.summarize(data)
    assert [
        (totals.year, totals.trainings, totals.workshops, totals.participants)
        for totals in summary.years
    ] == [(2017, 0, 0, None), (2018, 1, 1, 1240), (2019, 1, 0, None), (2020, 2, 0, 105)]
    assert (summary.trainings, summary.workshops, summary.classes) == (4, 1, 5)
    assert summary.participants == 1345
    assert summary.partial_participants  # the 2019 class has no participants
    assert summary.organisers == ("Sở Công Thương",)
    # 2018 held one class and one workshop: a workshop is not a class.
    assert [totals.year for totals in summary.below(2)] == [2017, 2018, 2019]


def test_period_defaults_to_the_years_of_the_data(data):
    del data["first_year"], data["last_year"]
    assert training.period(data) == (2018, 2020)
    assert [totals.year for totals in training.summarize(data).years] == [2018, 2019, 2020]


def test_template_values_are_formatted_the_vietnamese_way(data):
    values = training.template_values(data)
    assert values["toi_thieu"] == "02"
    assert values["tong_so_lop"] == "05"
    assert values["so_lop_tap_huan"] == "04"
    assert values["so_hoi_thao"] == "01"
    assert values["tong_hoc_vien"] == "1.345"
    assert values["so_lop"] == {"2017": "00", "2018": "02", "2019": "01", "2020": "02"}
    assert values["hoc_vien"] == {"2018": "1.240", "2020": "105"}
    assert values["so_lop_it_nhat"] == "00"
    assert values["giai_doan"] == "2017 – 2020"
    assert (values["nam_dau"], values["nam_cuoi"], values["so_nam"]) == ("2017", "2020", "04")
    assert values["nam_duoi_toi_thieu"] == "2017, 2018 và 2019"  # 2018: one class and a workshop
    assert values["don_vi_to_chuc"] == "Sở Công Thương"
    assert values["van_ban_dan"] == "[[nq22]]; [[nq31]]"
    assert values["van_ban"] == {"nq22": "[[nq22]]", "nq31": "[[nq31]]"}


def test_every_placeholder_the_help_names_is_offered(data):
    listed = training.PLACEHOLDER_HELP.removeprefix("Chỗ trống: ").rstrip(".").split(", ")
    names = {name.strip("{}").split("[")[0] for name in listed}
    assert names == set(training.template_values(data))


# -- validation ------------------------------------------------------------------------------


def test_years_below_the_minimum_are_warnings_naming_year_and_counts(data, context):
    data["classes"][2]["participants"] = 30  # only the minimum's warnings here
    problems = training.SECTION.validate(data, context)
    assert messages(problems, "error") == []
    assert messages(problems, "warning") == [
        (
            "classes",
            "năm 2017 có 00 lớp tập huấn, ít hơn mức tối thiểu 02 lớp mỗi năm (min_per_year)",
        ),
        (
            "classes",
            "năm 2018 có 01 lớp tập huấn (và 01 hội thảo, không tính là lớp), ít hơn mức tối "
            "thiểu 02 lớp mỗi năm (min_per_year)",
        ),
        (
            "classes",
            "năm 2019 có 01 lớp tập huấn, ít hơn mức tối thiểu 02 lớp mỗi năm (min_per_year)",
        ),
    ]


def test_no_warning_when_every_year_meets_the_minimum(data, context):
    data["classes"][2]["participants"] = 30
    data["first_year"] = 2018
    data["min_per_year"] = 1
    assert training.SECTION.validate(data, context) == []


def test_unknown_citation_key_is_an_error_naming_it(data, context):
    data["citations"] = ["nq22", "nq99", "nq22"]
    problems = training.SECTION.validate(data, context)
    assert messages(problems) == [
        (
            "citations.2",
            "văn bản dẫn 'nq99' chưa được khai báo trong [citations] (có: nq22, nq31)",
        ),
        ("citations.3", "văn bản dẫn 'nq22' được liệt kê hai lần"),
    ]
    assert problems[1].severity == "warning"


def test_close_citation_key_gets_a_suggestion(data, context):
    data["citations"] = ["nq221"]
    [problem] = training.SECTION.validate(data, context)
    assert problem.message.endswith("có phải ý bạn là 'nq22'?")


def test_shape_errors_name_the_field_and_what_was_expected(data, context):
    data["classes"][0]["year"] = "2018"
    data["classes"][1]["kind"] = "hội thảo"
    del data["classes"][3]["topic"]
    assert messages(training.SECTION.validate(data, context)) == [
        ("classes.1.year", 'cần một số nguyên, gặp "2018"'),
        ("classes.2.kind", 'cần một trong tap-huan, hoi-thao, gặp "hội thảo"'),
        ("classes.4.topic", "bắt buộc: cần một dòng văn bản"),
    ]


def test_domain_errors(data, context):
    data["classes"][1]["participants"] = -5
    data["classes"][2]["year"] = 20190
    data["classes"][3]["organiser"] = "   "
    assert messages(training.SECTION.validate(data, context)) == [
        ("classes.3.year", "cần một năm trong khoảng 1945–2100, gặp 20190"),
        ("classes.2.participants", "cần một số nguyên không âm (lượt người tham dự), gặp -5"),
        ("classes.4.organiser", "chỉ có khoảng trắng: cần nội dung"),
    ]


def test_period_errors(data, context):
    data["first_year"], data["last_year"] = 2020, 2017
    assert messages(training.SECTION.validate(data, context)) == [
        ("last_year", "năm cuối 2017 trước năm đầu 2020")
    ]
    data["first_year"], data["min_per_year"] = 17, -1
    assert messages(training.SECTION.validate(data, context)) == [
        ("first_year", "cần một năm trong khoảng 1945–2100, gặp 17"),
        ("min_per_year", "cần một số nguyên không âm (số lớp), gặp -1"),
    ]


def test_one_end_beyond_every_class_is_an_error(data, context):
    del data["last_year"]
    data["first_year"] = 2021
    assert messages(training.SECTION.validate(data, context)) == [
        ("first_year", "năm đầu 2021 sau năm muộn nhất trong dữ liệu (2020)")
    ]
    del data["first_year"]
    data["last_year"] = 2017
    assert messages(training.SECTION.validate(data, context)) == [
        ("last_year", "năm cuối 2017 trước năm sớm nhất trong dữ liệu (2018)")
    ]


def test_class_outside_the_period_is_a_warning_and_not_counted(data, context):
    data["classes"].append({"year": 2015, "topic": "WTO", "participants": 10})
    problems = training.SECTION.validate(data, context)
    assert (
        "classes.6.year",
        "năm 2015 nằm ngoài giai đoạn 2017 – 2020; lớp này không được tính",
    ) in (messages(problems, "warning"))
    assert training.summarize(data).classes == 5


def test_unknown_placeholder_names_it(data, context):
    data["template"] = "Đã tổ chức {tong_so_lop} lớp, {so_lop_moi} lớp mới, {so_lop[2030]}."
    problems = messages(training.SECTION.validate(data, context), "error")
    assert [where for where, _ in problems] == ["template", "template"]
    assert problems[0][1].startswith("chỗ trống không được biết: {so_lop_moi} (có: ")
    assert problems[1][1] == ("{so_lop[2030]}: không có khóa '2030' (có: 2017, 2018, 2019, 2020)")


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("Có {tong_so_lop lớp.", "mẫu câu sai cú pháp: dấu '{' ở ký tự 4 không có cặp"),
        ("Có {tong so lop} lớp.", "chỗ trống {tong so lop} sai cú pháp"),
    ],
)
def test_malformed_template_names_the_fault(data, context, template, expected):
    data["template"] = template
    [problem] = [p for p in training.SECTION.validate(data, context) if p.severity == "error"]
    assert problem.path == ("template",)
    assert problem.message.startswith(expected)


# -- rendering -------------------------------------------------------------------------------


def test_default_template_renders_the_figures(data, context):
    data["classes"][2]["participants"] = 30  # 2019's class, unknown in the hand-worked data
    blocks = render(data, context)
    assert texts(blocks) == [
        "Giai đoạn 2017 – 2020, đã tổ chức 04 lớp tập huấn và 01 hội thảo với 1.375 lượt người "
        "tham dự. Theo kế hoạch, hằng năm tổ chức ít nhất 02 lớp. Chủ đề các lớp tập huấn, hội "
        "thảo: Hiệp định CPTPP; Hội nhập; Rào cản kỹ thuật; EVFTA; Quy tắc xuất xứ. Nội dung các "
        f"lớp gắn với quán triệt {NQ22_FULL}; {NQ31_FULL}."
    ]
    assert isinstance(blocks[-1], Table)


def test_a_total_of_some_classes_participants_is_not_printed_as_everyones(data, context):
    """2019's class recorded nobody: 1.345 is the other classes' total, not the period's. The
    sentence says no total, `check` says why, the table sums what it has and says so."""
    blocks = render(data, context)
    assert texts(blocks) == [
        "Giai đoạn 2017 – 2020, đã tổ chức 04 lớp tập huấn và 01 hội thảo. Theo kế hoạch, hằng "
        "năm tổ chức ít nhất 02 lớp. Chủ đề các lớp tập huấn, hội thảo: Hiệp định CPTPP; Hội "
        "nhập; Rào cản kỹ thuật; EVFTA; Quy tắc xuất xứ. Nội dung các lớp gắn với quán triệt "
        f"{NQ22_FULL}; {NQ31_FULL}."
    ]
    assert blocks[-1].rows[-1][-1] == "1.345"
    assert blocks[-1].note == training.PARTIAL_NOTE
    [warning] = [
        p for p in training.SECTION.validate(data, context) if p.path[-1] == "participants"
    ]
    assert warning.path == ("classes", 2, "participants")
    assert warning.message == (
        "dòng này chưa ghi lượt người tham dự trong khi các dòng khác có ghi: câu mặc định "
        "không nêu tổng số lượt người, bảng chỉ cộng các dòng có số liệu"
    )
    # Nobody's participants recorded: nothing to warn about, no total either.
    for record in data["classes"]:
        record.pop("participants", None)
    assert [p for p in training.SECTION.validate(data, context) if "lượt" in p.message] == []
    assert "lượt người" not in texts(render(data, context))[0]


def test_a_class_of_nobody_is_a_warning_and_no_total_of_0_is_printed(context):
    data = {"classes": [{"year": 2020, "topic": "EVFTA", "participants": 0}]}
    [warning] = training.SECTION.validate(data, context)
    assert (warning.path, warning.severity) == (("classes", 0, "participants"), "warning")
    assert warning.message == "lớp có 0 lượt người tham dự; để trống nếu chưa có số liệu"
    assert texts(render(data, context)) == [
        "Năm 2020, đã tổ chức 01 lớp tập huấn. Chủ đề lớp tập huấn: EVFTA."
    ]


def test_default_template_follows_what_the_data_holds(context):
    data = {"classes": [{"year": 2020, "kind": "hoi-thao", "topic": "EVFTA"}]}
    assert texts(render(data, context)) == [
        "Năm 2020, đã tổ chức 01 hội thảo. Chủ đề hội thảo: EVFTA."
    ]
    # The topics each once, in the order listed; a topic's own full stop is not doubled.
    data["classes"] += [
        {"year": 2020, "kind": "hoi-thao", "topic": "EVFTA"},
        {"year": 2020, "kind": "hoi-thao", "topic": "Rào cản kỹ thuật, kỹ năng đàm phán."},
    ]
    assert texts(render(data, context)) == [
        "Năm 2020, đã tổ chức 03 hội thảo. Chủ đề các hội thảo: EVFTA; Rào cản kỹ thuật, kỹ năng "
        "đàm phán."
    ]
    assert training.template_values(data)["so_chu_de"] == "02"
    assert texts(render({"classes": []}, context)) == []


def test_a_new_section_prints_no_plan_of_its_own_and_is_reported_empty(host):
    # The default minimum (02 a year) alone once printed "Theo kế hoạch, hằng năm tổ chức ít
    # nhất 02 lớp." in a section the drafter had not touched, and hid it from the empty check.
    section = Section(
        type="training", number="1.4.", data=host.section_types["training"].new_data()
    )
    project = Project(document=Particulars(date=dt.date(2021, 4, 2)), sections=[section])
    rendered = render_document(project, host)
    assert rendered.sections[0].blocks == []
    findings = [p for p in check_project(rendered) if p.path == ("sections", 0)]
    assert [p.severity for p in findings] == ["warning"]
    assert findings[0].message.startswith("mục 1.4. chưa có nội dung")
    # A new section has no plan of its own: figures alone state none.
    section.data["yearly"] = [{"year": 2020, "trainings": 0}]
    assert "ít nhất" not in " ".join(texts(render_document(project, host).sections[0].blocks))
    # A period with no class at all still states the plan the drafter typed beside its figures.
    section.data["min_per_year"] = 2
    assert "ít nhất 02 lớp" in " ".join(texts(render_document(project, host).sections[0].blocks))


def test_own_template_with_intro_and_outro(data, context):
    data["intro"] = "Công tác tập huấn được chú trọng."
    data["template"] = (
        "Năm 2018 tổ chức {so_lop[2018]} lớp với {hoc_vien[2018]} lượt người; hàng năm ít nhất "
        "{toi_thieu} lớp, gắn với {van_ban_dan}."
    )
    data["outro"] = "Kết quả tốt.\n\nSẽ tiếp tục."
    assert texts(render(data, context)) == [
        "Công tác tập huấn được chú trọng.",
        "Năm 2018 tổ chức 02 lớp với 1.240 lượt người; hàng năm ít nhất 02 lớp, gắn với "
        f"{NQ22_FULL}; {NQ31_FULL}.",
        "Kết quả tốt.",
        "Sẽ tiếp tục.",
    ]


def test_citations_follow_reading_order_and_validation_uses_none_up(data, context):
    data["intro"] = "Quán triệt [[nq22]]."
    data["template"] = "Gắn với {van_ban_dan}."
    assert training.SECTION.validate(data, context)  # the minimum warnings; mentions nothing
    assert context.citations.mentioned == set()
    assert texts(render(data, context)) == [
        f"Quán triệt {NQ22_FULL}.",
        f"Gắn với Nghị quyết số 22-NQ/TW; {NQ31_FULL}.",
    ]


def test_year_table_rows(data):
    table = training.year_table(data)
    assert table.header == ("Năm", "Lớp tập huấn", "Hội thảo", "Tổng số", "Lượt người tham dự")
    assert table.rows == (
        ("2017", "0", "0", "0", "–"),
        ("2018", "1", "1", "2", "1.240"),
        ("2019", "1", "0", "1", "–"),
        ("2020", "2", "0", "2", "105"),
        ("Tổng cộng", "4", "1", "5", "1.345"),
    )
    assert len(table.widths) == len(table.align) == len(table.header)
    assert table.note == "Số lượt người tham dự chỉ tính các lớp có ghi số liệu."
    assert training.year_table({"classes": []}) is None


# -- through the host: table placement, the sample, the Word file ----------------------------


@pytest.fixture
def project(data) -> Project:
    return Project(
        document=Particulars(date=dt.date(2021, 4, 2)),
        citations=dict(CITATIONS),
        sections=[Section(type="training", number="2.4.", heading="Tập huấn", data=data)],
    )


def test_registered_with_the_host(host: PluginHost):
    section_type = host.section_types["training"]
    assert section_type.title == "Tập huấn, hội thảo"
    assert host.owner_of("training") == "training"
    assert "min_per_year" not in section_type.new_data()  # a plan only when typed


@pytest.mark.parametrize("placement", ["inline", "appendix", "none"])
def test_table_placement(project, host, placement):
    project.sections[0].table = placement
    rendered = render_document(project, host)
    body_tables = [block for block in rendered.body if isinstance(block, Table)]
    appendix_tables = [
        block for appendix in rendered.appendices for block in appendix.blocks
        if isinstance(block, Table)
    ]  # fmt: skip
    expected = {"inline": (1, 0), "appendix": (0, 1), "none": (0, 0)}[placement]
    assert (len(body_tables), len(appendix_tables)) == expected
    if placement == "appendix":
        assert rendered.body[-1].text == "(Chi tiết tại Phụ lục I kèm theo.)"


def test_sample_minimum_is_computed_not_typed(sample_project, host):
    [section] = [s for s in sample_project.sections if s.type == "training"]
    before = render_document(sample_project, host)
    result = next(r for r in before.sections if r.section is section)
    assert result.problems == []  # every sample year has at least the minimum
    assert "hàng năm tổ chức ít nhất 02 lớp tập huấn" in texts(result.blocks)[1]
    changed = copy.deepcopy(sample_project)
    [changed_section] = [s for s in changed.sections if s.type == "training"]
    changed_section.data["min_per_year"] = 3
    after = render_document(changed, host)
    result = next(r for r in after.sections if r.section is changed_section)
    assert "hàng năm tổ chức ít nhất 03 lớp tập huấn" in texts(result.blocks)[1]
    warned = [p.message for p in result.problems if p.severity == "warning"]
    assert warned[0].startswith("năm 2012 có 02 lớp tập huấn (và 01 hội thảo, không tính là lớp)")
    assert warned[1].startswith("năm 2013 có 02 lớp tập huấn, ít hơn mức tối thiểu 03")


def test_docx_table_reads_back(project, host):
    docx_writer = pytest.importorskip(
        "tongket.core.writers.docx_writer", reason="the DOCX writer is not installed"
    )
    docx = pytest.importorskip("docx")
    rendered = render_document(project, host)
    document = docx.Document(io.BytesIO(docx_writer.build_docx(rendered)))
    [table] = [table for table in document.tables if table.rows[0].cells[0].text.strip() == "Năm"]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0] == list(training.TABLE_HEADER)
    assert cells[2] == ["2018", "1", "1", "2", "1.240"]
    assert cells[-1] == ["Tổng cộng", "4", "1", "5", "1.345"]
    # The total row is bold, the year rows are not.
    assert all(run.bold for cell in table.rows[-1].cells for run in cell.paragraphs[0].runs)
    assert not any(run.bold for cell in table.rows[2].cells for run in cell.paragraphs[0].runs)
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert training.TABLE_CAPTION in paragraphs
    assert any(text.startswith("Giai đoạn 2017 – 2020, đã tổ chức 04 lớp") for text in paragraphs)


def test_counts_per_year_stand_in_for_a_list_of_classes(context):
    data = {
        "min_per_year": 2,
        "yearly": [
            {"year": 2019, "trainings": 3, "workshops": 1, "participants": 250},
            {"year": 2020, "trainings": 1, "workshops": 2, "participants": 300},
        ],
    }
    summary = training.summarize(data)
    assert [(t.year, t.trainings, t.workshops, t.participants) for t in summary.years] == [
        (2019, 3, 1, 250),
        (2020, 1, 2, 300),
    ]
    problems = training.tongket_validate_section(data, context)
    assert messages(problems) == [
        (
            "yearly",
            "năm 2020 có 01 lớp tập huấn (và 02 hội thảo, không tính là lớp), ít hơn mức tối "
            "thiểu 02 lớp mỗi năm (min_per_year)",
        )
    ]
    text = texts(render(data, context))[0]
    assert text.startswith(
        "Giai đoạn 2019 – 2020, đã tổ chức 04 lớp tập huấn và 03 hội thảo với 550 lượt người"
    )
    table = render(data, context)[-1]
    assert table.rows[-1] == ("Tổng cộng", "4", "3", "7", "550")


def test_counts_per_year_and_a_list_add_up_and_say_so(data, context):
    data["yearly"] = [
        {"year": 2018, "trainings": 1},
        {"year": 2018, "trainings": 2},
        {"year": 2017, "workshops": -1},
    ]
    problems = training.tongket_validate_section(data, context)
    # `where` numbers rows from 1, as the drafter counts them.
    assert ("yearly.3.workshops", "cần một số nguyên không âm, gặp -1") in messages(problems)
    assert ("yearly.2.year", "năm 2018 đã có ở dòng 1 của số liệu theo năm") in messages(problems)
    assert any(
        where == "yearly.1.year" and "có cả danh sách từng lớp" in message
        for where, message in messages(problems, "warning")
    )


def test_counts_per_year_outside_the_period_are_said_to_be_left_out(data, context):
    data["yearly"] = [{"year": 2021, "trainings": 2}]
    problems = training.tongket_validate_section(data, context)
    assert (
        "yearly.1.year",
        "năm 2021 nằm ngoài giai đoạn 2017 – 2020; số liệu năm này không được tính",
    ) in messages(problems, "warning")
    assert training.summarize(data).trainings == 4  # 2021 not summed
