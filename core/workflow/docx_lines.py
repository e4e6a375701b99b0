"""NĐ30's fixed lines as Word shows them: recognisers for `tongket import`.

The letterhead (cơ quan, "Số: 05/SCT-VP", "V/v …", Quốc hiệu, Tiêu ngữ, "Quảng Ngãi, ngày 02
tháng 4 năm 2021"), "Kính gửi:", "Nơi nhận:" and the signature block (KT./TL./TUQ./Q./TM.,
titles, name), as patterns and small parsers that `docx_import` applies.
"""

from __future__ import annotations

import re

from tongket.core.report.model import Signer
from tongket.core.workflow.docx_reading import Para


def loose(text: str) -> str:
    """Text compared loosely: upper case, single spaces, "HOÀ" spelled as "HÒA"."""
    return " ".join(text.upper().replace("HOÀ", "HÒA").split())


NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = re.compile(r"(?i)^độc\s*lập\s*[-–—]\s*tự\s*do\s*[-–—]\s*hạnh\s*phúc$")
DATE = re.compile(
    r"^(?P<place>[^,]*?)\s*,\s*ngày\s+(?P<day>\S+)\s+tháng\s+(?P<month>\S+)\s+năm\s+(?P<year>\S+)"
)
NUMBER = re.compile(r"^Số\s*[:.]?\s*(?P<rest>.*)$")
SUBJECT = re.compile(r"(?i)^(?:v/v|về việc)\s*[:.]?\s*(?P<rest>.*)$")
RECIPIENTS = re.compile(r"(?i)^kính\s*gửi\s*:?\s*(?P<rest>.*)$", re.DOTALL)
DISTRIBUTION = re.compile(r"(?i)^nơi\s*nhận\s*:?\s*(?P<rest>.*)$", re.DOTALL)
PREFIX = re.compile(r"^(?P<prefix>KT|TL|TUQ|Q|TM)\s*\.\s*(?P<rest>.*)$", re.IGNORECASE)
DASH = re.compile(r"^\s*[-–—•+]\s*")
RULE = re.compile(r"^[\s_\-–—=.]*$")
#: Titles of document kinds (tên loại) that stand alone under the letterhead.
KIND_TITLES = ("BÁO CÁO", "TỜ TRÌNH", "KẾ HOẠCH", "THÔNG BÁO", "CÔNG VĂN")


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n")]


def entry(text: str) -> str:
    """A Kính gửi or Nơi nhận entry without its dash and final ";" or "."."""
    return DASH.sub("", text).strip().rstrip(";.,").strip()


def sides(para: Para) -> tuple[str, str]:
    """A paragraph laid out with tab stops: (left column text, right column text)."""
    text = para.text
    if "\t" not in text:
        return text.strip(), ""
    left, _, right = text.partition("\t")
    return left.strip(), re.sub(r"\t+", " ", right).strip()


def is_right_side(text: str) -> bool:
    key = loose(text)
    return key == NATIONAL_TITLE or bool(MOTTO.match(text.strip())) or bool(DATE.match(text))


def parse_distribution(lines: list[str]) -> list[str]:
    """The Nơi nhận entries from its lines: "- Như trên;" → "Như trên"; wrapped lines joined."""
    items: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        label = DISTRIBUTION.match(line.strip())
        if label:
            line = label.group("rest")
            if not line.strip():
                continue
        if DASH.match(line) or not items:
            items.append(entry(line))
        else:
            items[-1] = entry(f"{items[-1]} {line.strip()}")
    return [item for item in items if item]


#: Words that make a line in capitals a title (chức vụ), not a name typed in capitals.
_TITLE_WORDS = re.compile(
    r"\b(?:GIÁM ĐỐC|TRƯỞNG|PHÓ|CHỦ TỊCH|CHÁNH|ỦY BAN|UỶ BAN|ỦY VIÊN|BÍ THƯ|TỔNG|SỞ|BỘ|CỤC|"
    r"PHÒNG|BAN|HỘI ĐỒNG|VIỆN|THƯỜNG TRỰC|NHÂN DÂN|QUYỀN|THƯ KÝ|KẾ TOÁN|ĐẠI DIỆN|KT|TL|TM)\b"
)
#: A signature's own line, not the signer's: "(Đã ký)", "[chữ ký số]", "Đã ký", "Ký tên".
_SIGNED = re.compile(r"(?i)^(?:\(.*\)|\[.*\]|đã\s+ký\b.*|ký\s+(?:tên|số)\b.*)$")


def contact_line(line: str) -> bool:
    """A line below a signature that is nobody's title or name: "ĐT: 0255 3822 123",
    "Người lập biểu: Trần Thị B". Titles and names have neither a colon nor a digit."""
    return ":" in line or any(character.isdigit() for character in line)


def _title(line: str) -> bool:
    return line.upper() == line and bool(_TITLE_WORDS.search(line))


def parse_signer(lines: list[str]) -> tuple[Signer | None, list[str], list[str]]:
    """The signer from the signature's lines, its title lines, and the lines that are
    neither ("ĐT: …", "Người lập biểu: …": the caller keeps them elsewhere).

    The name is the last line unless that line is a title ("GIÁM ĐỐC" with no name under
    it: a form not yet signed), then the name is empty. "(Đã ký)" and other bracketed lines
    are skipped. None when no line is left.
    """
    shown = [" ".join(line.split()) for line in lines]
    shown = [line for line in shown if line and not _SIGNED.match(line)]
    extra = [line for line in shown if contact_line(line)]
    shown = [line for line in shown if not contact_line(line)]
    if not shown:
        return None, [], extra
    if _title(shown[-1]):
        titles, name = shown, ""
    else:
        *titles, name = shown
    signer = Signer(name=name)
    prefix = PREFIX.match(titles[0]) if titles else None
    if prefix:
        signer.prefix = prefix["prefix"].upper() + "."
        signer.head_title = prefix["rest"].strip()
        rest = titles[1:]
        deputy = PREFIX.match(rest[0]) if signer.prefix == "TM." and rest else None
        if deputy and deputy["prefix"].upper() == "KT":
            # "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH": a deputy for the head.
            signer.for_head = deputy["rest"].strip()
            rest = rest[1:]
        signer.signer_title = " ".join(rest)
    else:
        signer.head_title = " ".join(titles)
    return signer, titles, extra
