"""`tongket import` of an untrusted .docx: entities, bombs, absurd numbering, odd characters and
encodings, special files as input or output. Each case: a precise message, a non-zero exit, no
traceback, nothing the user had overwritten, and time that grows with the input, not its
square."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

import pytest

from tongket.core.cli import main
from tongket.core.workflow import docx_package
from tongket.core.workflow.docx_import import DocxImportError, import_docx

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SCRIPT = Path(sys.executable).with_name("tongket")


def para(text: str, properties: str = "") -> str:
    return f'<w:p>{properties}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def document(body: str, prolog: str = '<?xml version="1.0" encoding="UTF-8"?>') -> str:
    return f"{prolog}<w:document {W}><w:body>{body}</w:body></w:document>"


def docx(path: Path, parts: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return path


def run_import(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["import", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "lỗi không lường trước" not in err, err
    return code, out, err


# -- entities ----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_an_external_entity_is_never_read(tmp_path, capsys, encoding):
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("MAT-KHAU-BI-MAT", encoding="utf-8")
    text = (
        f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
        f'<!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
        + document(para("Sở &x; Công Thương") + para("1. Mục một"), prolog="")
    )
    source = docx(tmp_path / "xxe.docx", {"word/document.xml": text.encode(encoding)})
    target = tmp_path / "xxe.toml"
    code, out, err = run_import(capsys, str(source), "-o", str(target))
    assert code == 2
    assert f"{source}: phần word/document.xml có khai báo DOCTYPE" in err
    assert "MAT-KHAU" not in out + err and not target.exists()


def test_entity_expansion_is_refused_at_once(tmp_path, capsys):
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    text = f'<?xml version="1.0"?><!DOCTYPE d [{entities}]>' + document(para("&j;"), prolog="")
    source = docx(tmp_path / "lol.docx", {"word/document.xml": text})
    started = time.monotonic()
    code, _out, err = run_import(capsys, str(source))
    assert code == 2 and "DOCTYPE" in err
    assert time.monotonic() - started < 5


def test_a_doctype_in_the_styles_part_is_refused_too(tmp_path):
    doctype = '<!DOCTYPE s SYSTEM "http://example.invalid/x.dtd">'
    styles = f'<?xml version="1.0"?>{doctype}<w:styles {W}/>'
    source = docx(
        tmp_path / "s.docx", {"word/document.xml": document(para("Chữ")), "word/styles.xml": styles}
    )
    with pytest.raises(DocxImportError, match=r"phần word/styles\.xml có khai báo DOCTYPE"):
        import_docx(source)


# -- bombs -------------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path, capsys, monkeypatch):
    source = tmp_path / "bom.docx"
    with (
        zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as part,
    ):
        part.write(f"<w:document {W}><w:body>".encode())
        block = b" " * (1 << 20)
        for _ in range(80):
            part.write(block)
        part.write(b"</w:body></w:document>")
    assert source.stat().st_size < 1 << 20  # 80 MB of XML in well under 1 MB
    opened: list[str] = []
    original = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    code, _out, err = run_import(capsys, str(source))
    assert code == 2
    assert f"{source}: phần word/document.xml quá lớn (80 MB khi giải nén, tối đa 64 MB)" in err
    assert "word/document.xml" not in opened  # refused from the declared size alone


def test_a_zip_of_thousands_of_entries_is_refused_before_its_directory_is_read(
    tmp_path, capsys, monkeypatch
):
    source = tmp_path / "nhieu.docx"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", document(para("1. Mục")))
        for number in range(docx_package.MAX_ENTRIES + 1):
            archive.writestr(f"x/{number}", b"")

    def never(*_args, **_kwargs):
        raise AssertionError("the zip directory was read")

    monkeypatch.setattr(zipfile, "ZipFile", never)
    code, _out, err = run_import(capsys, str(source))
    assert code == 2
    assert f"{source}: gói zip có {docx_package.MAX_ENTRIES + 2} phần (tối đa 20000)" in err


def _large(count: int) -> str:
    # Every path that once scanned what came before: a letterhead of capital lines (each
    # looked back over all earlier ones), then a table followed by many paragraphs (each
    # copied the text after the table again), then numbered sections.
    header = "".join(para(f"DÒNG CHỮ HOA {n}") for n in range(count))
    table = "<w:tbl><w:tr><w:tc>" + para("ô") + "</w:tc></w:tr></w:tbl>"
    after = "".join(para(f"Đoạn văn thường số {n} sau bảng, có dấu chấm.") for n in range(count))
    return document(header + para("1. Mở đầu") + para("2. Bảng") + table + after)


def test_twenty_thousand_paragraphs_do_not_hang_the_import(tmp_path):
    # Not a speed test (benchmarks do that): a guard against the quadratic steps that took
    # 57 s on this input (each capital line looked back over all earlier ones, each paragraph
    # after a table copied the rest again). Linear code takes about half a second.
    source = docx(tmp_path / "lon.docx", {"word/document.xml": _large(20000)})
    started = time.monotonic()
    result = import_docx(source)
    assert time.monotonic() - started < 20
    assert len(result.project.sections) >= 2


# -- numbering and numbers from the file --------------------------------------------------------


def _numbering(levels: str, num: str = "") -> str:
    return (
        f'<w:numbering {W}><w:abstractNum w:abstractNumId="1">{levels}</w:abstractNum>'
        f'<w:num w:numId="1"><w:abstractNumId w:val="1"/>{num}</w:num></w:numbering>'
    )


def _level(ilvl: str = "0", start: str = "1", fmt: str = "decimal", text: str = "%1.") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
    )


def _listed(text: str, num: str = "1", ilvl: str = "0") -> str:
    numbering = (
        f'<w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr>'
    )
    return para(text, numbering)


NUMBERING_CASES = {
    "ilvl that is not a number": (_numbering(_level(ilvl="abc")), "0", ["Mục một", "Mục hai"]),
    "start of 5.000 digits": (
        _numbering(_level(start="9" * 5000)),
        "0",
        ["32767. Mục một", "32768. Mục hai"],
    ),
    "Roman numerals from 10^15": (
        _numbering(_level(start="9" * 15, fmt="lowerRoman")),
        "0",
        ["32767. Mục một", "32768. Mục hai"],
    ),
    "letters from 10^12": (
        _numbering(_level(start="9" * 12, fmt="lowerLetter")),
        "0",
        ["32767. Mục một", "32768. Mục hai"],
    ),
    "superscript digits": (
        _numbering(_level(ilvl="0", start="\u00b2"), '<w:lvlOverride w:ilvl="\u00b2"/>'),
        "\u00b2",
        ["1. Mục một", "2. Mục hai"],
    ),
    "negative start": (_numbering(_level(start="-5")), "0", ["0. Mục một", "1. Mục hai"]),
    "a level text of a megabyte": (
        _numbering(_level(text="%1." * 300_000)),
        "0",
        None,
    ),
    "an abstract list linked to itself through a style": (
        f'<w:numbering {W}><w:abstractNum w:abstractNumId="1"><w:numStyleLink w:val="L"/>'
        '</w:abstractNum><w:abstractNum w:abstractNumId="2"><w:styleLink w:val="L"/>'
        f"{_level()}</w:abstractNum>"
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num></w:numbering>',
        "0",
        ["Mục một", "Mục hai"],
    ),
}


@pytest.mark.parametrize("case", list(NUMBERING_CASES))
def test_absurd_numbering_gives_labels_quickly(tmp_path, case):
    numbering, ilvl, expected = NUMBERING_CASES[case]
    body = _listed("Mục một", ilvl=ilvl) + _listed("Mục hai", ilvl=ilvl)
    body += _listed("Danh sách không có", num="7")  # a numId numbering.xml does not define
    source = docx(
        tmp_path / "ds.docx", {"word/document.xml": document(body), "word/numbering.xml": numbering}
    )
    started = time.monotonic()
    result = import_docx(source)
    assert time.monotonic() - started < 5
    text = "\n\n".join(
        part
        for section in result.project.sections
        for part in (f"{section.number} {section.heading}".strip(), section.data["text"])
        if part
    )
    assert "Danh sách không có" in text
    if expected is not None:
        for line in expected:
            assert line in text, text
    assert len(text) < 2000


def test_absurd_table_spans_and_outline_levels(tmp_path):
    cell = (
        '<w:tc><w:tcPr><w:gridSpan w:val="999999999"/></w:tcPr>' + para("rộng") + "</w:tc>"
        '<w:tc><w:tcPr><w:gridSpan w:val="\u00b3"/></w:tcPr>' + para("b") + "</w:tc>"
    )
    body = (
        para("1. Mục", '<w:pPr><w:outlineLvl w:val="\u00b2"/></w:pPr>')
        + f"<w:tbl><w:tr>{cell}</w:tr></w:tbl>"
    )
    source = docx(tmp_path / "bang.docx", {"word/document.xml": document(body)})
    [section] = import_docx(source).project.sections
    [table] = section.data["tables"]
    assert table["header"][0] == "rộng" and len(table["header"]) == 64  # 63 columns, then "b"
    assert table["header"][63] == "b"


def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path, capsys):
    depth = 2000
    body = "<w:p>" + "<w:hyperlink>" * depth + "<w:r><w:t>x</w:t></w:r>"
    body += "</w:hyperlink>" * depth + "</w:p>"
    source = docx(tmp_path / "sau.docx", {"word/document.xml": document(body)})
    code, _out, err = run_import(capsys, str(source))
    assert code == 2 and "các thẻ XML lồng nhau quá sâu" in err


# -- characters and encodings ------------------------------------------------------------------


def test_control_and_bidi_characters_keep_the_toml_valid_and_the_notes_one_line(tmp_path, capsys):
    heading = "Tiêu đề \u202e đảo chiều \x7f"
    text = "Văn bản \x85 NEL \u2028 LS &#13; CR \x9b[31m CSI"
    # A text box's lines are kept in the last section and named in a note on stderr.
    box = "".join(para(line) for line in ("Hộp \u202eđảo\x9b2J", "dòng hai\u2066"))
    boxed = f"<w:p><w:r><w:pict><w:txbxContent>{box}</w:txbxContent></w:pict></w:r></w:p>"
    body = para(f"1. {heading}") + boxed + para(text)
    source = docx(tmp_path / "ky-tu.docx", {"word/document.xml": document(body)})
    target = tmp_path / "ky-tu.toml"
    code, _out, err = run_import(capsys, str(source), "-o", str(target))
    assert code == 0
    loaded = tomllib.loads(target.read_text(encoding="utf-8"))
    first = loaded["sections"][0]
    assert first["heading"] == heading
    assert first["data"]["text"] == text.replace("&#13;", "\r")
    assert loaded["sections"][-1]["data"]["text"] == "Hộp \u202eđảo\x9b2J\ndòng hai\u2066"
    [note] = [line for line in err.splitlines() if "Hộp" in line]
    assert "\\u202eđảo\ufffd2J\u2424dòng hai\\u2066" in note  # one line, nothing obeyed
    assert not any(char in err for char in "\x9b\x7f\x85\r\u202e\u2066")


def test_documents_not_in_utf8(tmp_path, capsys):
    declared = '<?xml version="1.0" encoding="windows-1258"?>'
    # Windows-1258 writes "ũ" as "u" and a combining tilde: read back as one NFC letter.
    text = (declared + document(para("Phông cu\u0303 à"), prolog="")).encode("cp1258")
    old = docx(tmp_path / "cu.docx", {"word/document.xml": text})
    assert import_docx(old).project.sections[0].data["text"] == "Phông cũ à"
    wide = document(para("Xin chào"), '<?xml version="1.0" encoding="UTF-16"?>')
    utf16 = docx(tmp_path / "u16.docx", {"word/document.xml": wide.encode("utf-16")})
    assert import_docx(utf16).project.sections[0].data["text"] == "Xin chào"
    undeclared = document(para("Ph\xf4ng"), '<?xml version="1.0"?>').encode("latin-1")
    wrong = docx(tmp_path / "sai.docx", {"word/document.xml": undeclared})
    code, _out, err = run_import(capsys, str(wrong))
    assert code == 2
    assert f"{wrong}: phần word/document.xml không phải XML hợp lệ (dòng 1: có byte" in err


# -- special files as input and output ---------------------------------------------------------


@pytest.fixture
def plain(tmp_path) -> Path:
    return docx(tmp_path / "tra-loi.docx", {"word/document.xml": document(para("1. Mục một"))})


def _console(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT), "import", *args], capture_output=True, text=True, timeout=30, cwd=cwd
    )


@pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is not installed")
def test_a_fifo_or_device_as_input_is_never_opened(tmp_path):
    os.mkfifo(tmp_path / "ong.docx")
    (tmp_path / "khong.docx").symlink_to("/dev/zero")
    for name, kind in (("ong.docx", "một FIFO"), ("khong.docx", "một thiết bị ký tự")):
        result = _console(name, "-o", "ra.toml", cwd=tmp_path)  # would block or never end
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith(f"tongket: {name}: là {kind}"), result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "ra.toml").exists()


def test_a_link_to_a_real_docx_is_read(tmp_path, plain, capsys):
    (tmp_path / "lien-ket.docx").symlink_to(plain)
    code, _out, _err = run_import(capsys, str(tmp_path / "lien-ket.docx"))
    assert code == 0 and (tmp_path / "lien-ket.toml").exists()


def test_special_outputs_are_refused_and_left_alone(tmp_path, plain, capsys):
    kept = tmp_path / "cua-nguoi-khac.toml"
    kept.write_text("giữ nguyên\n", encoding="utf-8")
    (tmp_path / "lien-ket.toml").symlink_to(kept)
    (tmp_path / "thu-muc.toml").mkdir()
    os.mkfifo(tmp_path / "ong.toml")
    itself = tmp_path / "chinh-no.toml"  # a .docx that was given a .toml name
    itself.write_bytes(plain.read_bytes())
    cases = {
        "lien-ket.toml": "là liên kết tượng trưng",
        "thu-muc.toml": "là một thư mục",
        "ong.toml": "là một FIFO (ống có tên), không phải tệp thường",
    }
    for name, expected in cases.items():
        for force in ([], ["--force"]):  # a FIFO is not "a file --force may replace"
            code, _out, err = run_import(capsys, str(plain), "-o", str(tmp_path / name), *force)
            assert code == 2 and f"{tmp_path / name}: {expected}" in err, err
    code, _out, err = run_import(capsys, str(itself), "--force")
    assert code == 2 and "là chính tệp" in err
    assert itself.read_bytes() == plain.read_bytes()
    assert kept.read_text(encoding="utf-8") == "giữ nguyên\n"
    assert stat.S_ISFIFO(os.lstat(tmp_path / "ong.toml").st_mode)


def test_an_output_made_meanwhile_is_not_replaced_without_force(
    tmp_path, plain, capsys, monkeypatch
):
    target = tmp_path / "ra.toml"
    real = import_docx

    def slow_import(path, **options):
        target.write_text("của đồng nghiệp\n", encoding="utf-8")  # made while we read
        return real(path, **options)

    monkeypatch.setattr("tongket.core.workflow.docx_import.import_docx", slow_import)
    code, _out, err = run_import(capsys, str(plain), "-o", str(target))
    assert code == 2 and f"{target}: tệp đã có" in err
    assert target.read_text(encoding="utf-8") == "của đồng nghiệp\n"


def test_output_into_a_read_only_folder(tmp_path, plain, capsys, monkeypatch):
    folder = tmp_path / "chi-doc"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0:
        # Root writes anywhere; the refusal a drafter meets is stood in for.
        real_access = os.access
        monkeypatch.setattr(
            os,
            "access",
            lambda path, mode, **kw: (
                False if Path(path) == folder else real_access(path, mode, **kw)
            ),
        )
    code, _out, err = run_import(capsys, str(plain), "-o", str(folder / "ra.toml"))
    assert code == 2 and f"{folder / 'ra.toml'}: không có quyền ghi" in err
    assert list(folder.iterdir()) == []
