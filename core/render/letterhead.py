"""The fixed parts of an NĐ30 document as text lines: header, Kính gửi, Nơi nhận, signature.

The DOCX writer takes its wording from here, and the plain-text renderer and the TUI preview
their whole lines (`header_groups`, `signature_lines`, `distribution_group`), so none of them
disagree on order or punctuation ("- Như trên;", "- Lưu: VT, VP.").
"""

from __future__ import annotations

from tongket.core.render import vnformat
from tongket.core.render.document import subject_text
from tongket.core.report.model import Particulars

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"  # Quốc hiệu
MOTTO = "Độc lập - Tự do - Hạnh phúc"  # Tiêu ngữ
REPORT_TITLE = "BÁO CÁO"  # tên loại of a báo cáo
RECIPIENTS_LABEL = "Kính gửi:"
DISTRIBUTION_LABEL = "Nơi nhận:"


def subject_line(document: Particulars) -> str:
    """ "V/v …" for a dispatch; the bare trích yếu for a report."""
    subject = subject_text(document)
    if document.kind == "cong-van":
        return f"V/v {subject}" if subject else ""
    # A báo cáo's trích yếu stands alone under "BÁO CÁO", so it starts with a capital.
    return subject[:1].upper() + subject[1:]


def date_line(document: Particulars) -> str:
    """ "Quảng Ngãi, ngày 02 tháng 4 năm 2021", or the place alone while the date is unset."""
    if document.date is None:
        return f"{document.place}, ngày … tháng … năm …"
    return vnformat.date_line(document.place, document.date)


def recipient_lines(document: Particulars) -> list[str]:
    """One recipient: ["Kính gửi: X"]. Several: ["Kính gửi:", "- A;", "- B."]."""
    recipients = [name.strip().rstrip(";.") for name in document.recipients if name.strip()]
    if not recipients:
        return []
    if len(recipients) == 1:
        return [f"{RECIPIENTS_LABEL} {recipients[0]}"]
    items = [f"- {name};" for name in recipients[:-1]] + [f"- {recipients[-1]}."]
    return [RECIPIENTS_LABEL, *items]


def distribution_lines(document: Particulars) -> list[str]:
    """The Nơi nhận items: "- Như trên;" … "- Lưu: VT, VP." (the last ends with a full stop)."""
    items = [item.strip().removeprefix("-").strip().rstrip(";.") for item in document.distribution]
    items = [item for item in items if item]
    if not items:
        return []
    return [f"- {item};" for item in items[:-1]] + [f"- {items[-1]}."]


def signature_title_lines(document: Particulars) -> list[str]:
    """The authority and title lines above the signature, upper case."""
    return document.signer.title_lines()


def header_groups(document: Particulars) -> list[list[str]]:
    """The letterhead as text, in groups a blank line apart: the agency side (cơ quan, Số, a
    dispatch's V/v), the Quốc hiệu side with the date, and a report's title with its trích yếu.

    The agency side leaves out its empty lines and may itself be empty.
    """
    agency = [document.parent_agency.upper(), document.agency.upper(), document.number_line]
    if document.kind == "cong-van":
        agency.append(subject_line(document))
    groups = [[line for line in agency if line], [NATIONAL_TITLE, MOTTO, date_line(document)]]
    if document.kind == "bao-cao":
        groups.append([REPORT_TITLE, subject_line(document)])
    return groups


def signature_lines(document: Particulars) -> list[str]:
    """The signature as text: the title lines, a blank line for the signature, the name."""
    return [*signature_title_lines(document), "", document.signer.name]


def distribution_group(document: Particulars) -> list[str]:
    """ "Nơi nhận:" and its items, as printed under the closing."""
    return [DISTRIBUTION_LABEL, *distribution_lines(document)]


def appendix_reference_line(document: Particulars) -> str:
    """ "(Kèm theo Công văn số /SCT-VP ngày 02 tháng 4 năm 2021)" under a phụ lục's title."""
    kind = "Công văn" if document.kind == "cong-van" else "Báo cáo"
    number = document.number_line.removeprefix("Số: ")
    when = f" {vnformat.date_words(document.date)}" if document.date else ""
    return f"(Kèm theo {kind} số {number}{when})"
