"""Capitalisation (viết hoa, NĐ30 Phụ lục II): the spec's pairs, what must not be flagged, the
sample's known findings, and `tongket check` end to end."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tongket.core.checks import capitalisation_problems
from tongket.core.host.pluginhost import PluginHost
from tongket.core.render import viethoa_names
from tongket.core.render.viethoa import (
    apply_suggestions,
    capitalisation_findings,
    capitalisation_findings_in,
    finding_message,
)
from tongket.core.report import store

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "quang-ngai-sct-2021.toml"

#: viet-hoa.md §3, wrong → right, each read mid-sentence.
PAIRS = [
    ("căn cứ Điểm a Khoản 2 Điều 5", "căn cứ điểm a khoản 2 Điều 5"),
    ("theo điều 24 Nghị định số 30/2020/NĐ-CP", "theo Điều 24 Nghị định số 30/2020/NĐ-CP"),
    ("nghị định số 30/2020/NĐ-CP", "Nghị định số 30/2020/NĐ-CP"),
    ("chỉ thị số 04-CT/TW của ban bí thư", "Chỉ thị số 04-CT/TW của Ban Bí thư"),
    ("Luật Ban Hành Văn Bản Quy Phạm Pháp Luật", "Luật Ban hành văn bản quy phạm pháp luật"),
    ("Bộ luật hình sự", "Bộ luật Hình sự"),
    ("trên địa bàn Tỉnh Quảng Ngãi", "trên địa bàn tỉnh Quảng Ngãi"),
    ("Ủy ban Nhân dân Tỉnh Quảng Ngãi", "Ủy ban nhân dân tỉnh Quảng Ngãi"),
    ("sở công thương", "Sở Công Thương"),
    ("Bộ Tài nguyên và môi trường", "Bộ Tài nguyên và Môi trường"),
    ("quận 1; thành phố Hồ Chí Minh", "Quận 1; Thành phố Hồ Chí Minh"),
    ("Ban chấp hành Trung ương Đảng", "Ban Chấp hành Trung ương Đảng"),
    ("tổ chức Thương mại thế giới (WTO)", "Tổ chức Thương mại thế giới (WTO)"),
    ("Asean, Unesco", "ASEAN, UNESCO"),
    ("Sông Vàm Cỏ, Vịnh Hạ Long", "sông Vàm Cỏ, vịnh Hạ Long"),
    ("Tết Nguyên Đán, Tết Trung Thu", "tết Nguyên đán, tết Trung thu"),
    ("ngày quốc khánh 2-9", "ngày Quốc khánh 2-9"),
    ("Huân chương sao vàng; Anh hùng lao động", "Huân chương Sao vàng; Anh hùng Lao động"),
    ("giám đốc Võ Văn Rân", "Giám đốc Võ Văn Rân"),
    ("của Đảng, nhà nước", "của Đảng, Nhà nước"),
]

#: viet-hoa.md §3 "Must NOT flag", plus the sentence-start and skipped-text cases.
CLEAN = [
    "Tỉnh ủy Quảng Ngãi",
    "UBND tỉnh",
    "quản lý nhà nước",
    "lần thứ hai",
    "brochure... giúp",
    "Thành phố Hồ Chí Minh",
    "Ban Chỉ đạo trung ương về Phòng chống tham nhũng",
    "Đại hội Tỉnh Đảng bộ",
    "Phường Điện Biên Phủ",
    "Thủ đô Hà Nội",
    "chủ tịch Hà Nội",
    "các hiệp định thương mại",
    "báo cáo số liệu",
    "kế hoạch 2021-2025",
    "Nghị định này",
    "Tổng công ty Sông Đà",
    "huyện Sông Hinh",
    "Ủy ban nhân dân tỉnh Quảng Ngãi",
    "Uỷ ban nhân dân tỉnh",
    "luật thương mại quốc tế",
]


def carried(text: str) -> str:
    return f"Theo đó, {text} đã được nêu."


@pytest.mark.parametrize(("wrong", "right"), PAIRS, ids=[wrong for wrong, _ in PAIRS])
def test_wrong_form_is_flagged_with_the_right_suggestion(wrong, right):
    findings = capitalisation_findings(carried(wrong))
    assert findings, wrong
    assert apply_suggestions(carried(wrong), findings) == carried(right)
    for finding in findings:
        assert carried(wrong)[finding.start : finding.end] == finding.word


@pytest.mark.parametrize("right", [right for _, right in PAIRS])
def test_right_form_is_not_flagged(right):
    assert capitalisation_findings(carried(right)) == []


@pytest.mark.parametrize("text", CLEAN)
def test_must_not_flag(text):
    assert capitalisation_findings(text) == []
    assert capitalisation_findings(carried(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        "Tỉnh Quảng Ngãi có 13 đơn vị hành chính.",
        "Năm 2020 đã hoàn thành. Tỉnh Quảng Ngãi đạt kế hoạch.",
        "Kết quả như sau:\n1. Tỉnh Quảng Ngãi đạt kế hoạch.",
        "- Tỉnh Quảng Ngãi đạt kế hoạch",
        "a) Khoản 2 Điều 5 quy định",
        "Cụ thể: Tỉnh Quảng Ngãi đạt kế hoạch.",
    ],
)
def test_a_capital_at_a_sentence_start_is_not_flagged(text):
    assert capitalisation_findings(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "UBND TỈNH QUẢNG NGÃI\nSỞ CÔNG THƯƠNG",
        "theo “Ủy ban Nhân dân Tỉnh Quảng Ngãi” đã ghi",
        'theo "sở công thương" đã ghi',
        "xem https://example.vn/Tinh-Quang-Ngai/Sở-Công-thương nhé",
        "theo {noi_de_ra} và [[ct04]] đã ghi",
    ],
)
def test_skipped_text_is_not_read(text):
    assert capitalisation_findings(text) == []


def test_nfc_first():
    decomposed = "trên địa bàn Tỉnh Quảng Ngãi".encode().decode()
    import unicodedata

    findings = capitalisation_findings(unicodedata.normalize("NFD", carried(decomposed)))
    assert [finding.suggestion for finding in findings] == ["tỉnh Quảng Ngãi"]


def test_message_names_word_suggestion_item_and_place():
    text = "Dòng đầu.\nĐoàn đã làm việc trên địa bàn Tỉnh Quảng Ngãi trong năm."
    (finding,) = capitalisation_findings(text)
    message = finding_message(finding, text)
    assert message.startswith(
        "viết hoa: 'Tỉnh Quảng Ngãi' → 'tỉnh Quảng Ngãi' (NĐ30 Phụ lục II, mục III.1): "
    )
    assert "ở dòng 2, ký tự 31:" in message
    assert "trên địa bàn Tỉnh Quảng Ngãi" in message


def test_heuristic_rules_say_so():
    text = carried("các Hiệp định thương mại")
    (finding,) = capitalisation_findings(text)
    assert finding.severity == "W"
    assert finding_message(finding, text).startswith("viết hoa (gợi ý): 'các Hiệp định'")


def test_the_sample_shows_exactly_the_references_own_slips():
    problems = capitalisation_problems(store.load(SAMPLE))
    found = [
        (problem.where, problem.severity, problem.message.split(" (NĐ30")[0])
        for problem in problems
    ]
    assert found == [
        (
            "citations.nq49.title",
            "warning",
            "viết hoa: 'Ban chấp hành Trung ương Đảng' → 'Ban Chấp hành Trung ương Đảng'",
        ),
        (
            "sections.7.data.intro",
            "warning",
            "viết hoa: 'tổ chức Thương mại thế giới' → 'Tổ chức Thương mại thế giới'",
        ),
        (
            "sections.7.data.template",
            "warning",
            "viết hoa (gợi ý): 'các Hiệp định' → 'các hiệp định'",
        ),
    ]


def test_a_consolidations_gathered_text_is_not_advised_twice():
    # The merge copies each body's text into `gathered` (never printed, written anew by every
    # merge) and, the first time, into the printed `text`: each slip used to be reported twice.
    project = store.load(SAMPLE)
    slip = "**Sở Công Thương:** Thực hiện đường lối đối ngoại của Đảng, nhà nước."
    project.sections[0].data.update(text=slip, gathered=slip)
    found = [problem.where for problem in capitalisation_problems(project)]
    assert "sections.1.data.text" in found  # paths count from 1
    assert "sections.1.data.gathered" not in found


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_built_in_section_defaults_are_clean():
    host = PluginHost.default()
    for section_type in host.section_types.values():
        texts = [section_type.title, section_type.description, *_strings(section_type.new_data())]
        for field in section_type.fields:
            texts += [field.label, field.help, *(label for _, label in field.choices)]
        for text in texts:
            assert capitalisation_findings(text) == [], (section_type.id, text)


def test_the_rendered_sample_has_only_the_known_slips():
    command = [str(Path(sys.executable).with_name("tongket")), "render", str(SAMPLE)]
    rendered = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    words = sorted(finding.word for finding in capitalisation_findings(rendered))
    # The cited title with "Ban chấp hành" is printed once, in full, at its first mention.
    assert words == [
        "Ban chấp hành Trung ương Đảng",
        "các Hiệp định",
        "tổ chức Thương mại thế giới",
    ]


def _vietnamese_prose(path: Path) -> list[str]:
    # Paragraphs of the Markdown, outside fenced code blocks.
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return [paragraph for paragraph in text.split("\n\n") if paragraph.strip()]


@pytest.mark.parametrize(
    "path",
    [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))],
    ids=lambda path: path.name,
)
def test_the_docs_prose_is_clean(path):
    if path.name == "viet-hoa-checks.md":
        pytest.skip("lists wrong forms on purpose")
    found = [
        (finding.word, paragraph[:60])
        for paragraph in _vietnamese_prose(path)
        for finding in capitalisation_findings(paragraph)
    ]
    assert found == []


def test_linear_on_a_long_field():
    paragraph = carried("trên địa bàn Tỉnh Quảng Ngãi, các Sở, ngành và Ủy ban nhân dân") + "\n"
    started = time.perf_counter()
    findings = capitalisation_findings(paragraph * 5_000)  # about 400.000 characters
    assert len(findings) == 5_000
    assert time.perf_counter() - started < 5


def test_check_prints_the_warning_with_line_and_path(tmp_path, clean_report_text):
    report = tmp_path / "report.toml"
    subject = 'subject = "báo cáo kết quả trên địa bàn Tỉnh Quảng Ngãi"'
    report.write_text(clean_report_text.replace('subject = "báo cáo"', subject), encoding="utf-8")
    script = Path(sys.executable).with_name("tongket")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "tongket.core.cli"]
    result = subprocess.run([*command, "check", str(report)], capture_output=True, text=True)
    # Warnings are findings: exit code 1, as for every other `check` warning.
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        f"{report}:8: document.subject: cảnh báo: viết hoa: 'Tỉnh Quảng Ngãi' → "
        "'tỉnh Quảng Ngãi' (NĐ30 Phụ lục II, mục III.1)"
    ) in result.stdout
    assert "0 lỗi, 1 cảnh báo" in result.stdout + result.stderr
    assert report.read_text(encoding="utf-8").count("Tỉnh Quảng Ngãi") == 1  # never rewritten
    # `export` leaves the advice to `check` (it never changes what is written) and writes as is.
    target = tmp_path / "report.docx"
    exported = subprocess.run(
        [*command, "export", str(report), "-o", str(target)], capture_output=True, text=True
    )
    assert exported.returncode == 0, exported.stderr
    assert "viết hoa" not in exported.stdout + exported.stderr
    assert target.is_file()


@pytest.mark.parametrize(
    "name",
    [
        *viethoa_names.ORGANISATIONS,
        *viethoa_names.GENERIC_PHRASES,
        *viethoa_names.OCCASIONS,
        *viethoa_names.ACRONYMS,
    ],
)
def test_every_listed_name_in_its_own_form_is_clean(name):
    # Mid-sentence, after a lower-case lead, the canonical form itself is never a finding.
    assert capitalisation_findings(f"theo chỉ đạo của {name} về việc này") == []


def test_the_cache_answers_as_a_fresh_scan():
    text = "trên địa bàn Tỉnh Quảng Ngãi"
    first = capitalisation_findings_in([text, "sạch", text])
    assert first[0] == first[2] == tuple(capitalisation_findings(text))
    assert first[1] == ()
    assert capitalisation_findings_in([text]) == [first[0]]
