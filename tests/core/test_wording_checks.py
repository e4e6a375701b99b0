"""`check` finds a fall printed as a negative rise, whoever wrote the sentence."""

from __future__ import annotations

import copy

from tongket.core.checks import check_project
from tongket.core.render.document import render_document
from tongket.core.report.model import Section

FALLING = {2015: 500, 2016: 480, 2017: 470, 2018: 460, 2019: 455, 2020: 462}


def _economic(template: str) -> Section:
    return Section(
        type="economic-results",
        number="2.6.",
        data={
            "indicators": [
                {
                    "name": "sản lượng",
                    "unit": "nghìn tấn",
                    "series": [{"year": y, "value": v} for y, v in FALLING.items()],
                }
            ],
            "periods": [{"start": 2016, "end": 2020}],
            "template": template,
        },
    )


def _findings(sample_project, host, template: str) -> list:
    project = copy.deepcopy(sample_project)
    project.sections.append(_economic(template))
    index = len(project.sections) - 1
    problems = check_project(render_document(project, host))
    return [p for p in problems if p.path == ("sections", index, "data")]


def test_a_raw_rate_after_tang_is_reported(sample_project, host):
    [finding] = _findings(
        sample_project, host, "Giai đoạn 2016 – 2020, sản lượng tăng {tang_binh_quan[2016-2020]}."
    )
    assert finding.severity == "warning"
    assert "câu in 'tăng -1,6%'" in finding.message
    assert "{bien_dong_binh_quan[…]}" in finding.message


def test_the_signed_placeholder_reads_right_and_is_not_reported(sample_project, host):
    findings = _findings(
        sample_project, host, "Giai đoạn 2016 – 2020, sản lượng {bien_dong_binh_quan[2016-2020]}."
    )
    assert findings == []


def test_the_default_wording_of_a_fall_is_not_reported(sample_project, host):
    assert _findings(sample_project, host, "") == []


def test_the_sample_has_no_such_sentence(sample_rendered):
    assert not [p for p in check_project(sample_rendered) if "số âm sau chữ" in p.message]
