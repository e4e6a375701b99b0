"""`tongket merge` at scale: 1.260 synthetic replies (63 provinces × 20 bodies), goal < 5 s and
< 500 MiB at 1.260 (issue 14).

    python benchmarks/bench_merge.py [--sizes 100,400,1260] [--runs 3] [--keep DIR]

Writes an outline with 1.260 bodies and one reply per body, each with the five data section
types and free text at realistic sizes (one indicator over 11 years, 4 delegations, an
agreement, a conference, 3 fairs, 2 products, 6 classes, a programme, 6 media rows, two
paragraphs of text per free-text section), then runs the installed `tongket merge` on the
first N replies under `/usr/bin/time -v` (wall time and peak resident memory of the whole
command, supervising parent and child together), median of the runs. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from tongket.core.report import store
from tongket.core.report.model import Particulars, Project, Section

PROVINCES, BODIES = 63, 20
SCRIPT = Path(sys.executable).with_name("tongket")
PARAGRAPH = (
    "Thực hiện Chỉ thị 04-CT/TW của Ban Bí thư về tiếp tục đổi mới và nâng cao hiệu quả "
    "công tác đối ngoại nhân dân trong tình hình mới, đơn vị đã tổ chức quán triệt đến toàn "
    "thể cán bộ, công chức, viên chức; xây dựng kế hoạch thực hiện hằng năm và lồng ghép vào "
    "nhiệm vụ chuyên môn."
)

OUTLINE_HEAD = """schema_version = 1
[request]
body = "Ban Đối ngoại"
parent_body = "BAN CHẤP HÀNH TRUNG ƯƠNG"
number = "1"
symbol = "BĐN-TH"
subject = "báo cáo tổng kết 10 năm thực hiện Chỉ thị 04-CT/TW"
period_from = 2010
period_to = 2020
"""
SECTIONS = (
    ("free-text", "1.", "Công tác quán triệt"),
    ("economic-results", "2.1.", "Kết quả kinh tế"),
    ("partnerships", "2.2.", "Hợp tác"),
    ("trade-promotion", "2.3.", "Xúc tiến thương mại"),
    ("training", "2.4.", "Tập huấn"),
    ("media", "2.5.", "Tuyên truyền"),
    ("free-text", "3.", "Kiến nghị"),
)


def body_ids() -> list[tuple[str, str]]:
    return [
        (f"t{province:02d}-d{body:02d}", f"Đơn vị {body:02d} tỉnh {province:02d}")
        for province in range(1, PROVINCES + 1)
        for body in range(1, BODIES + 1)
    ]


def outline_text() -> str:
    bodies = "".join(f'[[bodies]]\nid = "{i}"\nname = "{n}"\n' for i, n in body_ids())
    sections = "".join(
        f'[[sections]]\ntype = "{t}"\nnumber = "{no}"\nheading = "{h}"\n' for t, no, h in SECTIONS
    )
    return OUTLINE_HEAD + bodies + sections


def reply(number: int, body: str, name: str) -> Project:
    """One body's reply, its figures varied by `number`."""
    years = range(2010, 2021)
    text = f"{PARAGRAPH}\n\n{PARAGRAPH}"
    data = {
        "free-text": {"text": text},
        "economic-results": {
            "indicators": [
                {
                    "name": "kim ngạch xuất khẩu",
                    "unit": "triệu USD",
                    "series": [
                        {"year": y, "value": 50 + number % 37 + 9 * k} for k, y in enumerate(years)
                    ],
                }
            ],
            "intro": PARAGRAPH,
        },
        "partnerships": {
            "delegations": [
                {
                    "year": 2012 + k,
                    "direction": "den" if k % 2 else "di",
                    "partner": f"Đối tác {number % 50 + k}",
                    "place": "Lào",
                    "purpose": "Thăm và làm việc",
                }
                for k in range(4)
            ],
            "agreements": [{"title": f"Biên bản ghi nhớ {number}", "parties": [name, "Đối tác"]}],
            "conferences": [
                {"year": 2018, "title": "Hội nghị xúc tiến đầu tư", "partners": ["Đối tác"]}
            ],
        },
        "trade-promotion": {
            "fairs": [
                {"year": 2015 + k, "name": f"Hội chợ {k}", "scope": "trong-nuoc"} for k in range(3)
            ],
            "products": [
                {"name": f"Sản phẩm {number}-{k}", "programme": "ocop", "stars": 3 + k}
                for k in range(2)
            ],
        },
        "training": {
            "classes": [
                {"year": 2014 + k, "kind": "tap-huan", "topic": f"Chủ đề {k}", "participants": 60}
                for k in range(6)
            ],
        },
        "media": {
            "programmes": [{"name": f"Chuyên mục {number}", "outlets": ["Báo tỉnh"]}],
            "items": [{"year": 2015 + k, "outlet": "Báo tỉnh", "count": 10 + k} for k in range(6)],
        },
    }
    sections = [
        Section(
            type_id, no, heading, dict(data[type_id]) if type_id != "free-text" else {"text": text}
        )
        for type_id, no, heading in SECTIONS
    ]
    return Project(document=Particulars(agency=name), sections=sections)


def generate(folder: Path) -> list[Path]:
    (folder / "de-cuong.toml").write_text(outline_text(), encoding="utf-8")
    replies = folder / "replies"
    replies.mkdir(exist_ok=True)
    paths = []
    for number, (body, name) in enumerate(body_ids()):
        path = replies / f"{body}.toml"
        project = reply(number, body, name)
        path.write_text(store.dumps(project), encoding="utf-8")
        paths.append(path)
    return paths


def measure(folder: Path, replies: list[Path]) -> tuple[float, float]:
    """Wall seconds and peak MiB of one `tongket merge` over `replies`."""
    target = folder / "tong-hop.toml"
    target.unlink(missing_ok=True)
    command = [
        "/usr/bin/time",
        "-v",
        str(SCRIPT),
        "merge",
        *map(str, replies),
        "--outline",
        str(folder / "de-cuong.toml"),
        "-o",
        str(target),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not target.exists():
        raise SystemExit(f"merge failed:\n{result.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", result.stderr)
    hours, minutes, seconds = wall.groups()
    elapsed = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1))
    return elapsed, peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,400,1260")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", metavar="DIR", help="write the inputs here and keep them")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.keep or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        replies = generate(folder)
        size_kib = sum(path.stat().st_size for path in replies) / 1024
        print(f"{len(replies)} replies, {size_kib / 1024:.1f} MiB of TOML\n")
        print("| replies | wall time (s, median) | peak memory (MiB) | output (KiB) |")
        print("|---:|---:|---:|---:|")
        for size in sizes:
            runs = [measure(folder, replies[:size]) for _ in range(args.runs)]
            wall = statistics.median(run[0] for run in runs)
            peak = max(run[1] for run in runs)
            output = (folder / "tong-hop.toml").stat().st_size / 1024
            print(f"| {size} | {wall:.2f} | {peak:.0f} | {output:.0f} |", flush=True)


if __name__ == "__main__":
    main()
