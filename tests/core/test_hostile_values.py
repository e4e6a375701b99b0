"""Absurd values in a report: each is named by `check`, quickly, and never walks, recurses or
reads without bound (issue 9).

- years: a year of 9e18 in a series, a period or a training span is reported at once;
- citations: a title expanding itself, or a chain of a thousand, is reported at its key;
- positions: thousands of findings are placed in one scan of the file (`KeyLocator`);
- lengths: a one-line field of hundreds of characters is a warning;
- dates: a date in year 1 is an error, and the Word file's core.xml stays valid;
- pictures: only regular image files in the report's folder (or `TONGKET_IMAGE_DIRS`).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import struct
import threading
import time
import tomllib
import zipfile
import zlib
from dataclasses import replace
from pathlib import Path

import docx
import pytest

from tongket.core.checks import (
    MAX_LINE_LENGTH,
    check_project,
    date_problems,
    line_length_problems,
    with_lines,
)
from tongket.core.host.fieldcheck import YEAR_RANGE, is_year, year_problem, year_problems
from tongket.core.render import growth
from tongket.core.render.blocks import Image, Paragraph
from tongket.core.render.citations import MAX_NESTING, CitationBook, nesting_problems
from tongket.core.render.document import RenderedDocument, SectionResult, render_document
from tongket.core.report import store
from tongket.core.report.model import Citation, Particulars, Project, Section
from tongket.core.report.tomlpos import KeyLocator, _common_depth, _inline_position, _resolve
from tongket.core.writers.docx_writer import build_docx, export_docx
from tongket.core.writers.images import MAX_IMAGE_BYTES, ImageFolders, ImageRefused
from tongket.plugins import training

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
HEAD = (BAD / "duplicate_years.toml").read_text(encoding="utf-8").split("\n[[sections]]")[0]
ABSURD = 9_000_000_000_000_000_000


def render(text: str, host) -> RenderedDocument:
    return render_document(store.loads(text), host)


def messages(problems) -> dict[str, str]:
    return {problem.where: problem.message for problem in problems}


# -- years ---------------------------------------------------------------------------------


def test_a_year_is_an_integer_in_the_plausible_range():
    low, high = YEAR_RANGE
    assert is_year(low) and is_year(high) and is_year(2021)
    assert not is_year(low - 1) and not is_year(high + 1) and not is_year(True)
    assert not is_year("2021") and not is_year(2021.0)
    assert year_problem(2021) is None and year_problem("x") is None  # shapes: check_fields
    assert year_problem(ABSURD) == f"cần một năm trong khoảng {low}–{high}, gặp {ABSURD}"
    assert year_problem(10**40).endswith("gặp một số có 41 chữ số")


def test_year_problems_follow_paths_through_lists():
    data = {"rows": [{"series": [{"year": 2020}, {"year": -5}]}, {"series": "not a list"}]}
    found = year_problems(data, ("rows", None, "series", None, "year"), ("missing", None))
    assert [(problem.path, problem.severity) for problem in found] == [
        (("rows", 0, "series", 1, "year"), "error")
    ]


def economic(series: str, periods: str = "") -> str:
    return HEAD + (
        '\n[[sections]]\ntype = "economic-results"\nnumber = "1."\nversion = 1\n'
        '[sections.data]\nmethod = "cagr"\n[[sections.data.indicators]]\nname = "kim ngạch"\n'
        f'unit = "triệu USD"\nseries = [{series}]\n{periods}'
    )


@pytest.mark.parametrize(
    ("periods", "where"),
    [
        ("", "sections.1.data.indicators.1.series.3.year"),
        (
            f"[[sections.data.periods]]\nstart = 2015\nend = {ABSURD}\n",
            "sections.1.data.periods.1.end",
        ),
        (
            f"[[sections.data.multiples]]\nyear = {ABSURD}\nbase_year = -{ABSURD}\n",
            "sections.1.data.multiples.1.year",
        ),
    ],
)
def test_an_absurd_year_in_economic_results_is_named_at_once(host, periods, where):
    year = ABSURD if not periods else 2017
    series = f"{{year = 2015, value = 1}}, {{year = 2016, value = 2}}, {{year = {year}, value = 3}}"
    started = time.perf_counter()
    rendered = render(economic(series, periods), host)
    assert time.perf_counter() - started < 2  # before: 3 GB and 7 s, or the plugin time limit
    assert not rendered.failures
    assert messages(rendered.problems)[where].startswith("cần một năm trong khoảng 1945–2100")


def test_series_values_beyond_the_arithmetic_are_errors_not_plugin_failures(host):
    series = "{year = 2015, value = 1e-300}, {year = 2016, value = 1.7e308}"
    rendered = render(economic(series), host)
    assert not rendered.failures
    found = messages(rendered.problems)
    assert (
        "ngoài khoảng tính được (0,0001 đến 1.000.000.000.000.000)"
        in found["sections.1.data.indicators.1.series.2.value"]
    )


def test_growth_never_walks_an_implausible_span():
    with pytest.raises(ValueError, match="not plausible"):
        growth.missing_years([2015], 2015, ABSURD)
    assert growth.missing_years([2015, 2017], 2015, 2017) == [2016]


def test_training_never_walks_an_unvalidated_span():
    data = {"first_year": 2019, "last_year": ABSURD, "classes": [{"year": 2019, "topic": "x"}]}
    started = time.perf_counter()
    assert training.summarize(data).years == ()
    assert time.perf_counter() - started < 1


# -- citations -----------------------------------------------------------------------------


def cite(number: str, title: str = "") -> Citation:
    return Citation("Công văn", number, title=title)


def test_a_title_expanding_itself_is_reported_and_rendered_short():
    citations = {"ct04": Citation("Chỉ thị", "04-CT/TW", title="về việc [[ct04|full]]")}
    assert nesting_problems(citations) == [
        (
            "ct04",
            "tên văn bản [[ct04]] nhắc lại chính nó; văn bản không thể tự dẫn chính nó, hãy bỏ "
            "chỗ dẫn này",
        )
    ]
    book = CitationBook(citations)
    assert book.expand("[[ct04|full]]") == "Chỉ thị số 04-CT/TW về việc Chỉ thị số 04-CT/TW"


def test_a_loop_of_titles_is_reported_once_at_its_first_key():
    citations = {
        "a": cite("1", "[[b]]"),
        "b": cite("2", "[[c|full]]"),
        "c": cite("3", "[[a|full]]"),
        "d": cite("4", "về [[b|full]]"),  # reaches the loop: printed short, not reported
    }
    found = nesting_problems(citations)
    assert [key for key, _ in found] == ["a"]
    assert "([[a]] → [[b]] → [[c]] → [[a]])" in found[0][1]
    assert CitationBook(citations).expand("[[d]]") == "Công văn số 4 về Công văn số 2"


def test_a_chain_of_a_thousand_titles_is_reported_at_its_outermost_key():
    count = 1000
    citations = {
        f"c{i}": cite(f"{i}/X", f"về [[c{i + 1}]]" if i + 1 < count else "hết")
        for i in range(count)
    }
    started = time.perf_counter()
    found = nesting_problems(citations)
    assert time.perf_counter() - started < 2
    assert [key for key, _ in found] == ["c0"]
    assert (
        "lồng 999 tầng văn bản được dẫn ([[c0]] → [[c1]] → … → [[c999]]), quá giới hạn "
        in (found[0][1])
    )
    book = CitationBook(citations)
    assert book.expand("[[c0]]") == "Công văn số 0/X về Công văn số 1/X"  # no RecursionError
    shallow = f"c{count - 1 - MAX_NESTING}"
    assert book.expand(f"[[{shallow}]]").endswith("hết")  # within the limit: in full


def test_titles_multiplying_their_mentions_are_bounded():
    citations = {
        f"c{i}": cite(str(i), " ".join([f"[[c{i + 1}|full]]"] * 20) if i < 4 else "x" * 100)
        for i in range(5)
    }
    found = nesting_problems(citations)
    assert [key for key, _ in found] == ["c0"]
    assert "dài hơn 10.000 ký tự" in found[0][1]
    assert len(CitationBook(citations).expand("[[c0]]")) < 1000


def test_check_names_the_citation_and_the_section_renders(host):
    text = HEAD + (
        '\n[citations.ct04]\nkind = "Chỉ thị"\nnumber = "04-CT/TW"\n'
        'title = "về [[ct04|full]]"\n\n[[sections]]\ntype = "free-text"\n[sections.data]\n'
        'text = "Thực hiện [[ct04]]."\n'
    )
    rendered = render(text, host)
    assert not rendered.failures
    problems = with_lines(check_project(rendered), text)
    (found,) = [problem for problem in problems if problem.path[0] == "citations"]
    assert (found.where, found.line) == ("citations.ct04.title", 26)


# -- positions of many findings ------------------------------------------------------------


def naive_locate(text: str, path: tuple) -> int | None:
    """locate_key as it was (one scan per path): the reference `KeyLocator` must agree with."""
    header_re = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
    key_re = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")
    best_line, best_depth = None, 0
    array_counts: dict = {}
    current: tuple = ()
    in_string, offset = "", 0
    for number, line in enumerate(text.split("\n"), start=1):
        start, offset = offset, offset + len(line) + 1
        if in_string:
            if line.count(in_string) % 2:
                in_string = ""
            continue
        header = header_re.match(line)
        if header:
            names = tuple(
                part.strip("\"'")
                for part in re.findall(r""""[^"]*"|'[^']*'|[^.\s]+""", header.group(2))
            )
            current = _resolve(names, array_counts, is_array=header.group(1) == "[[")
            depth = _common_depth(current, path)
            if depth > best_depth:
                best_line, best_depth = number, depth
            continue
        key = key_re.match(line)
        if key:
            full = (*current, key.group(1).strip("\"'"))
            depth = _common_depth(full, path)
            if depth > best_depth:
                best_line, best_depth = number, depth
                if depth == len(full) < len(path):
                    inner = _inline_position(text, start + key.end(), path[depth:])
                    best_line = text.count("\n", 0, inner) + 1
        in_string = next((quote for quote in ('"""', "'''") if line.count(quote) % 2), "")
    return best_line


def all_paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from all_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from all_paths(item, (*path, index))


INLINE = """
schema_version = 1
[document]
agency = "SỞ"
recipients = [ "a",
  "b", # chú thích
  "c" ]
[[sections]]
type = "economic-results"
[sections.data]
indicators = [
  { name = "x", series = [ { year = 2015, value = 1 },
                           { year = 2016, value = 2 } ] },
  { name = "y", "series" = [{year=2015,value=3},
    {year = 2016, value = 4}], unit = "t" },
]
text = '''
[not] a = header
'''
periods = [[1, 2], [3,
  4]]
"""


def toml_texts() -> dict[str, str]:
    """The bad-input cases that are TOML at all (the others have nothing to locate)."""
    texts = {}
    for path in sorted(BAD.glob("*.toml")):
        try:
            text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
            tomllib.loads(text)
        except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, ValueError):
            continue
        texts[path.stem] = text
    return texts


LOCATABLE = {"inline": INLINE, **toml_texts()}


@pytest.mark.parametrize("name", ["sample", *LOCATABLE])
def test_the_key_locator_agrees_with_one_scan_per_path(name, sample_path):
    text = sample_path.read_text(encoding="utf-8") if name == "sample" else LOCATABLE[name]
    paths = list(all_paths(tomllib.loads(text)))
    paths += [(*path, "khong_co") for path in paths[:50]] + [(*path, 99) for path in paths[:50]]
    locator = KeyLocator(text)
    assert [locator.line(path) for path in paths] == [naive_locate(text, path) for path in paths]


def test_thousands_of_findings_are_placed_in_one_scan(host):
    classes = "".join(
        f'\n[[sections.data.classes]]\nyear = 2019\ntopic = "Chủ đề {index}"\n'
        f"participants = -{index + 1}\n"
        for index in range(3000)
    )
    text = HEAD + '\n[[sections]]\ntype = "training"\nversion = 1\n[sections.data]\n' + classes
    problems = check_project(render(text, host))
    assert len(problems) == 3000
    started = time.perf_counter()
    placed = with_lines(problems, text)
    assert time.perf_counter() - started < 2  # before: about 30 s for 3.000 (square growth)
    assert placed[-1].line == text.count("\n")  # the last participants line


# -- lengths -------------------------------------------------------------------------------


def test_one_line_fields_of_absurd_length_are_warnings(host):
    project = store.loads(HEAD + '\n[[sections]]\ntype = "training"\n[sections.data]\n')
    long = "SỞ CÔNG THƯƠNG " * 30
    project.document.agency = long
    project.document.signer.name = long
    project.document.subject = "trích yếu " * 60  # 600: a sentence may be that long
    project.citations["x"] = Citation("CV", "1", issuer=long)
    project.sections[0].heading = long
    project.sections[0].data = {"classes": [{"year": 2019, "topic": long}]}
    found = line_length_problems(project, host.section_types)
    assert {problem.where for problem in found} == {
        "document.agency",
        "document.signer.name",
        "citations.x.issuer",
        "sections.1.heading",
        "sections.1.data.classes.1.topic",
    }
    assert all(problem.severity == "warning" for problem in found)
    assert found[0].message == (
        f"dài {len(long)} ký tự, quá giới hạn {MAX_LINE_LENGTH} ký tự của trường một dòng "
        "này; có thể đã dán nhầm"
    )
    without_types = {problem.where for problem in line_length_problems(project)}
    assert "sections.1.data.classes.1.topic" not in without_types


# -- dates ---------------------------------------------------------------------------------


def test_dates_outside_the_plausible_range_or_far_ahead():
    today = dt.date(2024, 1, 1)
    project = Project(
        Particulars(date=dt.date(1, 4, 2)),
        {"old": Citation("CV", "1", date=dt.date(9999, 1, 1))},
    )
    found = date_problems(project, today)
    assert [(problem.where, problem.severity) for problem in found] == [
        ("document.date", "error"),
        ("citations.old.date", "error"),
    ]
    assert found[0].message == "ngày ban hành 0001-04-02 nằm ngoài các năm 1945–2100"
    project.document.date = dt.date(2031, 1, 1)
    project.citations["old"].date = dt.date(2032, 5, 1)
    found = date_problems(project, today)
    assert [(problem.where, problem.severity) for problem in found] == [
        ("document.date", "warning"),
        ("citations.old.date", "warning"),
    ]
    assert found[0].message == (
        "ngày ban hành 2031-01-01 sau hôm nay (2024-01-01) hơn 30 ngày: kiểm tra lại ngày "
        "tháng (có gõ nhầm năm không?)"
    )
    project.document.date = dt.date(2024, 1, 31)  # 30 days ahead: still plausible
    project.citations["old"].date = dt.date(2024, 1, 10)
    assert date_problems(project, today) == []


@pytest.mark.parametrize(("ahead", "warned"), [(30, False), (31, True), (-400, False)])
def test_a_date_more_than_30_days_ahead_is_a_warning(ahead, warned):
    today = dt.date(2024, 12, 20)
    project = Project(Particulars(date=today + dt.timedelta(days=ahead)))
    found = [problem.message for problem in date_problems(project, today)]
    assert found == (
        [
            f"ngày ban hành {project.document.date} sau hôm nay (2024-12-20) hơn 30 ngày: "
            "kiểm tra lại ngày tháng (có gõ nhầm năm không?)"
        ]
        if warned
        else []
    )


@pytest.mark.parametrize(
    ("day", "stamp"),
    [
        (dt.date(1, 4, 2), "2000-01-01T00:00:00Z"),
        (dt.date(9999, 12, 31), "2000-01-01T00:00:00Z"),
        (dt.date(2021, 4, 2), "2021-04-02T00:00:00Z"),
    ],
)
def test_core_properties_always_hold_a_four_digit_date(sample_rendered, day, stamp):
    project = replace(sample_rendered.project, document=replace(sample_rendered.project.document))
    project.document.date = day
    data = build_docx(replace(sample_rendered, project=project))
    core = zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml").decode()
    found = re.findall(r"<dcterms:(created|modified)[^>]*>([^<]*)<", core)
    assert found == [("created", stamp), ("modified", stamp)]


# -- pictures ------------------------------------------------------------------------------


def png_bytes(width: int = 4, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\x20\x40\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + (chunk(b"IEND", b""))
    )


@pytest.fixture
def report_folder(tmp_path, monkeypatch):
    """A report's folder with a picture, and a current folder elsewhere."""
    folder = tmp_path / "bao-cao"
    (folder / "hinh").mkdir(parents=True)
    (folder / "hinh" / "bieu-do.png").write_bytes(png_bytes())
    elsewhere = tmp_path / "noi-khac"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("TONGKET_IMAGE_DIRS", raising=False)
    return folder


def refusal(folders: ImageFolders, path: str) -> str:
    with pytest.raises(ImageRefused) as refused:
        folders.read(path)
    return str(refused.value)


def test_a_relative_picture_is_read_from_the_report_folder_not_the_current_one(report_folder):
    folders = ImageFolders.for_report(report_folder / "bao-cao.toml")
    assert folders.read("hinh/bieu-do.png") == png_bytes()
    assert folders.read(str(report_folder / "hinh" / "bieu-do.png")) == png_bytes()
    assert "không tìm thấy tệp" in refusal(ImageFolders.for_report(None), "hinh/bieu-do.png")


def test_pictures_outside_the_report_folder_are_refused(report_folder, tmp_path):
    secret = tmp_path / "id_rsa"
    secret.write_bytes(png_bytes())  # even a real picture
    (report_folder / "lien-ket.png").symlink_to(secret)
    folders = ImageFolders.for_report(report_folder / "bao-cao.toml")
    for path in (str(secret), "../id_rsa", "hinh/../../id_rsa", "lien-ket.png", "/dev/zero"):
        assert refusal(folders, path).startswith("tệp nằm ngoài thư mục của báo cáo")
    assert "TONGKET_IMAGE_DIRS" in refusal(folders, "../id_rsa")


def test_a_folder_named_in_the_environment_is_allowed(report_folder, tmp_path, monkeypatch):
    shared = tmp_path / "hinh-chung"
    shared.mkdir()
    (shared / "logo.png").write_bytes(png_bytes())
    monkeypatch.setenv("TONGKET_IMAGE_DIRS", f"{shared}{os.pathsep}")
    folders = ImageFolders.for_report(report_folder / "bao-cao.toml")
    assert folders.read(str(shared / "logo.png")) == png_bytes()


def test_devices_fifos_folders_huge_and_foreign_files_are_refused(report_folder, monkeypatch):
    monkeypatch.setenv("TONGKET_IMAGE_DIRS", "/dev")
    folders = ImageFolders.for_report(report_folder / "bao-cao.toml")
    assert refusal(folders, "/dev/zero").startswith("không phải tệp thường")
    assert refusal(folders, "hinh").startswith("không phải tệp thường")
    os.mkfifo(report_folder / "ong.png")
    outcome: list[str] = []
    reader = threading.Thread(target=lambda: outcome.append(refusal(folders, "ong.png")))
    reader.start()
    reader.join(5)
    assert outcome and outcome[0].startswith("không phải tệp thường")  # and it did not block
    with open(report_folder / "lon.png", "wb") as big:
        big.truncate(MAX_IMAGE_BYTES + 1)
    assert "quá giới hạn 20 MB" in refusal(folders, "lon.png")
    (report_folder / "khong-phai-hinh.png").write_text("xin chào", encoding="utf-8")
    assert refusal(folders, "khong-phai-hinh.png").startswith("không phải tệp hình Word đọc")
    assert refusal(folders, "") == "thiếu đường dẫn tệp hình"


def with_images(rendered: RenderedDocument, *paths: str) -> RenderedDocument:
    section = Section("hinh")
    blocks = [Paragraph.of("Biểu đồ:"), *(Image(path, 4, "Hình 1") for path in paths)]
    result = SectionResult(len(rendered.sections), section, blocks)
    return replace(rendered, body=blocks, sections=[*rendered.sections, result])


def test_a_refused_picture_is_an_error_line_in_the_document_and_a_finding(
    sample_rendered, report_folder
):
    rendered = with_images(sample_rendered, "hinh/bieu-do.png", "/etc/passwd")
    folders = ImageFolders.for_report(report_folder / "bao-cao.toml")
    target = report_folder / "bao-cao.docx"
    export_docx(rendered, target, images=folders)
    document = docx.Document(str(target))
    assert len(document.inline_shapes) == 1
    errors = [p.text for p in document.paragraphs if p.text.startswith("[LỖI hình")]
    assert errors == [
        "[LỖI hình /etc/passwd: tệp nằm ngoài thư mục của báo cáo "
        f"({report_folder}); hãy chép hình vào thư mục đó, hoặc khai báo thư mục chứa hình "
        "trong biến môi trường TONGKET_IMAGE_DIRS]"
    ]
    index = len(sample_rendered.sections)
    found = [p for p in check_project(rendered, images=folders) if p.path == ("sections", index)]
    assert [problem.message.split(":")[0] for problem in found] == [
        "hình '/etc/passwd' không chèn được"
    ]
    # export_docx without folders reads next to the document it writes: the same here.
    export_docx(rendered, report_folder / "lan-hai.docx")
    assert len(docx.Document(str(report_folder / "lan-hai.docx")).inline_shapes) == 1


def test_an_infinite_value_in_a_series_is_left_out_of_the_app_chart():
    from tongket.tui.grid import chart_lines, series_points

    points = series_points([{"year": 2020, "value": float("inf")}, {"year": 2021, "value": 3}])
    assert points == [(2021, 3.0)]
    assert chart_lines(points)[-1].startswith("2021: 3")
