"""Benchmark inputs: an N-section report as TOML and the equivalent Markdown, plus the plugin.

Each section is a heading, five paragraphs of about 80 Vietnamese words and a table of
`rows` rows × 5 columns (a header row plus the body rows), the shape the issue measures
pandoc against. The section type `bench-section` is registered by `BenchPlugin` below; it is
a benchmark-only plugin, never installed, so every script that exports registers it itself.

    python benchmarks/generate.py OUT_DIR [--sections 1000] [--rows 10]
"""

from __future__ import annotations

import argparse
import copy
import random
from importlib import resources
from pathlib import Path

from tongket.core import SectionType, hookimpl, store
from tongket.core.blocks import Table
from tongket.core.model import Project, Section
from tongket.core.pluginhost import PluginHost

SECTION_TYPE = "bench-section"
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


def make_report(sections: int, rows: int = 10, seed: int = 30) -> Project:
    """The sample's particulars and `sections` benchmark sections."""
    sample = resources.files("tongket.sample_data") / "quang-ngai-sct-2021.toml"
    project = store.load(str(sample))
    rng = random.Random(seed)
    report = Project(copy.deepcopy(project.document), {}, [])
    for index in range(1, sections + 1):
        data = {
            "paragraphs": [paragraph(rng) for _ in range(5)],
            "header": list(COLUMNS),
            "rows": table_rows(rng, rows),
        }
        heading = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize()
        report.sections.append(Section(SECTION_TYPE, f"{index}.", heading, data, 1))
    return report


def to_markdown(project: Project) -> str:
    """The same headings, paragraphs and tables as pandoc Markdown (pipe tables)."""
    lines: list[str] = []
    for section in project.sections:
        lines += [f"## {section.number} {section.heading}", ""]
        for text in section.data["paragraphs"]:
            lines += [text, ""]
        header = section.data["header"]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "|".join("---" for _ in header) + "|")
        lines += ["| " + " | ".join(row) + " |" for row in section.data["rows"]]
        lines.append("")
    return "\n".join(lines)


class BenchPlugin:
    """The `bench-section` type: paragraphs through the context (as free text) and a table."""

    @hookimpl
    def tongket_section_types(self, register) -> None:
        register(SectionType(SECTION_TYPE, "Mục đo hiệu năng", 1))

    @hookimpl
    def tongket_validate_section(self, section_type, data, context):
        return [] if section_type == SECTION_TYPE else None

    @hookimpl
    def tongket_render_section(self, section_type, data, context):
        if section_type != SECTION_TYPE:
            return None
        blocks: list = []
        for text in data["paragraphs"]:
            blocks += context.paragraphs(text)
        rows = tuple(tuple(row) for row in data["rows"])
        blocks.append(Table(tuple(data["header"]), rows, align=("center",) + ("right",) * 4))
        return blocks


def bench_host() -> PluginHost:
    """The plugins an export runs with, plus the benchmark section type."""
    host = PluginHost.default()
    host.add_plugin(BenchPlugin(), "bench_plugin")
    return host


def write_inputs(folder: Path, sections: int, rows: int = 10) -> tuple[Path, Path]:
    """Write `report-N.toml` and `report-N.md` into `folder`; returns both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    project = make_report(sections, rows)
    toml_path = folder / f"report-{sections}.toml"
    markdown_path = folder / f"report-{sections}.md"
    store.save(project, toml_path, backup=False)
    markdown_path.write_text(to_markdown(project), encoding="utf-8")
    return toml_path, markdown_path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--sections", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=10)
    options = parser.parse_args()
    for path in write_inputs(options.folder, options.sections, options.rows):
        print(f"{path} ({path.stat().st_size / 1e6:.2f} MB)")
