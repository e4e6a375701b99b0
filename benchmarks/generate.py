"""Benchmark inputs: each report shape as TOML and the same content as pandoc Markdown.

The current generator's report (`make_report`): the sample's particulars, then N sections of
type `bench-section` (benchmarks/bench_plugin.py), each a heading, five paragraphs of 80
Vietnamese words and a table of `rows` rows × 5 columns under a header row. Free-text reports
(`free_text_report`) use the built-in `free-text` section type, as a drafter would.
`SHAPES` names every shape the benchmarks measure.

    python benchmarks/generate.py OUT_DIR [--sections 1000] [--rows 10]
    python benchmarks/generate.py OUT_DIR --shape prose-100 [--shape ...]
"""

from __future__ import annotations

import argparse
import copy
import random
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from bench_plugin import SECTION_TYPE, BenchPlugin

from tongket.core.host.pluginhost import PluginHost
from tongket.core.report import store
from tongket.core.report.model import Project, Section

__all__ = [
    "SECTION_TYPE",
    "SHAPES",
    "BenchPlugin",
    "Shape",
    "bench_host",
    "free_text_report",
    "make_report",
    "to_markdown",
    "write_inputs",
    "write_shape",
]

COLUMNS = ("Năm", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỷ lệ (%)")
# Words of the reference dispatch (Sở Công Thương Quảng Ngãi, 2021), drawn at random.
REFERENCE_WORDS = """
Sở Công Thương nhận được công văn của Sở Ngoại vụ về việc báo cáo tổng kết mười năm thực hiện
chỉ thị của Ban Bí thư khóa XI về việc tiếp tục đổi mới và nâng cao hiệu quả công tác đối
ngoại nhân dân trong tình hình mới trên lĩnh vực phát triển kinh tế ngành trong những năm qua
chỉ tiêu kim ngạch xuất khẩu được thực hiện đạt và vượt chỉ tiêu Đại hội Tỉnh Đảng bộ các nhiệm
kỳ đề ra giai đoạn bình quân tăng với vai trò là cơ quan thường trực Ban Chỉ đạo về hợp tác
kinh tế quốc tế của tỉnh thực hiện chủ trương chiến lược của Đảng Nhà nước về tăng cường và
phát triển quan hệ hợp tác với Lào tạo điều kiện cho doanh nghiệp và nhà đầu tư của hai tỉnh
tiến hành các hoạt động khảo sát nghiên cứu thị trường tìm kiếm cơ hội đầu tư ký kết hợp đồng
thông qua việc tổ chức tham gia hội thảo hội chợ quốc tế ở nước ngoài vừa giới thiệu quảng bá
sản phẩm hàng hóa khai thác mở rộng thị trường giao lưu trao đổi thông tin phát hành cẩm nang
công tác tập huấn về hội nhập là kênh thông tin cơ bản để kết hợp tuyên truyền chuyên mục
"""
WORDS = REFERENCE_WORDS.split()


def paragraph(rng: random.Random, words: int = 80) -> str:
    """About `words` Vietnamese words ending with a full stop."""
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def marked_paragraph(rng: random.Random, words: int) -> str:
    """A paragraph with one **bold** and one *italic* phrase of three words, as drafters mark."""
    chosen = [rng.choice(WORDS) for _ in range(words)]
    bold, italic = words // 4, words // 2
    chosen[bold : bold + 3] = ["**" + " ".join(chosen[bold : bold + 3]) + "**"]
    chosen[italic : italic + 3] = ["*" + " ".join(chosen[italic : italic + 3]) + "*"]
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + "."


def table_rows(rng: random.Random, rows: int) -> list[list[str]]:
    """`rows` body rows of five cells, formatted the Vietnamese way."""
    body = []
    for index in range(rows):
        plan = rng.randint(100, 5000)
        done = plan + rng.randint(-80, 400)
        ratio = f"{done / plan * 100:.1f}".replace(".", ",")
        body.append(
            [str(2011 + index), rng.choice(WORDS), f"{plan:,}".replace(",", "."),
             f"{done:,}".replace(",", "."), ratio]
        )  # fmt: skip
    return body


def _sample_particulars() -> Project:
    sample = resources.files("tongket.sample_data") / "quang-ngai-sct-2021.toml"
    project = store.load(str(sample))
    return Project(copy.deepcopy(project.document), {}, [])


def make_report(sections: int, rows: int = 10, seed: int = 30) -> Project:
    """The sample's particulars and `sections` benchmark sections (5 paragraphs, a table)."""
    report = _sample_particulars()
    rng = random.Random(seed)
    for index in range(1, sections + 1):
        data = {
            "paragraphs": [paragraph(rng) for _ in range(5)],
            "header": list(COLUMNS),
            "rows": table_rows(rng, rows),
        }
        heading = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize()
        report.sections.append(Section(SECTION_TYPE, f"{index}.", heading, data, 1))
    return report


def free_text_report(
    sections: int, paragraphs: int, words: int, *, marked_every: int = 0, seed: int = 7
) -> Project:
    """`sections` built-in free-text sections of `paragraphs` paragraphs of `words` words.

    marked_every: every n-th paragraph carries a **bold** and an *italic* phrase (0: none).
    """
    report = _sample_particulars()
    rng = random.Random(seed)
    for index in range(1, sections + 1):
        texts = [
            marked_paragraph(rng, words)
            if marked_every and number % marked_every == 0
            else paragraph(rng, words)
            for number in range(1, paragraphs + 1)
        ]
        heading = " ".join(rng.choice(WORDS) for _ in range(4)).capitalize()
        data = {"text": "\n\n".join(texts)}
        report.sections.append(Section("free-text", f"{index}.", heading, data, 1))
    return report


def to_markdown(project: Project) -> str:
    """The same headings, paragraphs and tables as pandoc Markdown (pipe tables)."""
    lines: list[str] = []
    for section in project.sections:
        lines += [f"## {section.number} {section.heading}", ""]
        if section.type == "free-text":
            for text in section.data["text"].split("\n\n"):
                lines += [text, ""]
            continue
        for text in section.data["paragraphs"]:
            lines += [text, ""]
        header = section.data["header"]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "|".join("---" for _ in header) + "|")
        lines += ["| " + " | ".join(row) + " |" for row in section.data["rows"]]
        lines.append("")
    return "\n".join(lines)


@dataclass(frozen=True)
class Shape:
    """One report shape the benchmarks measure."""

    name: str
    description: str
    build: Callable[[], Project]
    bench_plugin: bool  # True: needs the benchmark section type (tongket_bench.py)


SHAPES: dict[str, Shape] = {
    shape.name: shape
    for shape in (
        Shape("gen-100", "100 sections of the generator (5 × 80 words, 10×5 table)",
              lambda: make_report(100), True),
        Shape("gen-1000", "1.000 sections of the generator", lambda: make_report(1000), True),
        Shape("gen-5000", "5.000 sections of the generator", lambda: make_report(5000), True),
        Shape("short-5000", "5.000 free-text sections: heading and one 12-word sentence",
              lambda: free_text_report(5000, 1, 12), False),
        Shape("tables-200x200", "200 generator sections, each a 200-row table",
              lambda: make_report(200, 200), True),
        Shape("table-1k", "one generator section, a table of 1.000 rows",
              lambda: make_report(1, 1000), True),
        Shape("table-10k", "one generator section, a table of 10.000 rows",
              lambda: make_report(1, 10000), True),
        Shape("table-50k", "one generator section, a table of 50.000 rows",
              lambda: make_report(1, 50000), True),
        Shape("prose-100", "100 free-text sections of 40 paragraphs × 150 words "
              "(every 4th with a **bold** and an *italic* phrase)",
              lambda: free_text_report(100, 40, 150, marked_every=4), False),
    )
}  # fmt: skip


def bench_host() -> PluginHost:
    """The plugins an export runs with, plus the benchmark section type."""
    host = PluginHost.default()
    host.add_plugin(BenchPlugin(), "bench_plugin")
    return host


def _write(project: Project, folder: Path, name: str) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    toml_path, markdown_path = folder / f"{name}.toml", folder / f"{name}.md"
    store.save(project, toml_path, backup=False)
    markdown_path.write_text(to_markdown(project), encoding="utf-8")
    return toml_path, markdown_path


def write_inputs(folder: Path, sections: int, rows: int = 10) -> tuple[Path, Path]:
    """Write `report-N.toml` and `report-N.md` into `folder`; returns both paths."""
    return _write(make_report(sections, rows), folder, f"report-{sections}")


def write_shape(folder: Path, name: str) -> tuple[Path, Path]:
    """Write `NAME.toml` and `NAME.md` of one of `SHAPES` into `folder`; returns both paths."""
    return _write(SHAPES[name].build(), folder, name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--sections", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=10)
    parser.add_argument("--shape", action="append", choices=sorted(SHAPES), default=[])
    options = parser.parse_args()
    written = [path for name in options.shape for path in write_shape(options.folder, name)]
    if not options.shape:
        written = list(write_inputs(options.folder, options.sections, options.rows))
    for path in written:
        print(f"{path} ({path.stat().st_size / 1e6:.2f} MB)")
