"""The fast paths of loading and checking give the answers the plain ones gave.

- reading TOML with compiled tomli or with tomllib: the same tables and the same messages;
- `KeyLocator`, which reads header lines at once and key lines on demand, agrees with the
  line-by-line scan it replaced, also on odd text (multi-line strings, quoted keys, blanks);
- a clean report is not scanned for lines at all.
"""

from __future__ import annotations

import bisect
import random
import re
import tomllib
from pathlib import Path

import pytest

from tongket.core import checks
from tongket.core.problems import ReportFileError
from tongket.core.report import store, tomlpos, tomlread
from tongket.core.report.tomlpos import KeyLocator, _index_value, _resolve, _split_key

DATA = Path(__file__).resolve().parents[1] / "data"
BAD_TOML = sorted((DATA / "bad").glob("*.toml"))
SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "quang-ngai-sct-2021.toml"
REPORTS = [*sorted(DATA.rglob("*.toml")), SAMPLE]

BROKEN = [
    'a = "unterminated\n',
    "a = [1, 2\n",
    "a = {x = 1\n",
    "[t]\n[t]\n",
    "a = 1\na = 2\n",
    "a = 1979-02-30\n",
    "= 1\n",
    "a = 'x' b\n",
    'a = "\\q"\n',
    "a = " + "[" * 450 + "]" * 450 + "\n",  # tomli refuses past 400 levels; tomllib reads it
    "a = " + "[" * 600 + "]" * 600 + "\n",
    "a = 1" + "0" * 5000 + "\n",
]


def outcome(raw: bytes) -> str:
    try:
        project = store.loads_bytes(raw, "report.toml")
    except ReportFileError as error:
        return f"error: {error}"
    except Exception as error:  # a crash must at least be the same crash
        return f"crash: {type(error).__name__}: {error}"
    return repr(store.to_table(project))


@pytest.mark.parametrize(
    "raw",
    [path.read_bytes() for path in BAD_TOML]
    + [SAMPLE.read_bytes()]
    + [text.encode() for text in BROKEN],
    ids=[path.stem for path in BAD_TOML] + ["sample"] + [f"broken{i}" for i in range(len(BROKEN))],
)
def test_compiled_tomli_and_tomllib_answer_alike(raw, monkeypatch):
    if tomlread.compiled_tomli() is None:
        pytest.skip("compiled tomli 2.2-2.3 is not installed")
    monkeypatch.setattr(tomlread, "rust_reader", None)  # tomli itself, not rtoml before it
    fast = outcome(raw)
    monkeypatch.setattr(tomlread, "fast_reader", None)
    assert outcome(raw) == fast


#: TOML 1.1 that rtoml reads and tomllib refuses, and what rtoml reads differently: each must
#: be left to the exact readers.
TOML_1_1 = [
    "a = {\n b = 1\n}\n",
    "a = {b = 1,}\n",
    "a = {b = 1, \t\n}\n",
    'a = "\\e"\n',
    'a = "\\x41"\n',
    "t = 12:30\n",
    "t = 1979-05-27T07:32Z\n",
    "a = 1979-05-27T07:32:00+07:00\n",
    "\ufeffa = 1\n",
    'a = """x\r\ny"""\n',
    "a = 99999999999999999999\n",
    "a = 1e400\n",
    "a = " + "[" * 120 + "]" * 120 + "\n",
]


def answer(read, text: str) -> tuple:
    """What a reader makes of `text`: the tables, key order and types included, or the error."""
    try:
        return ("table", _typed(read(text)))
    except (tomllib.TOMLDecodeError, tomlread.TomlSyntaxError) as error:
        return ("syntax", str(error))
    except (RecursionError, ValueError) as error:
        return (type(error).__name__,)


def _typed(value):
    if isinstance(value, dict):
        return [(key, _typed(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [_typed(item) for item in value]
    if isinstance(value, float) and value != value:
        return "nan"
    return (type(value).__name__, value, getattr(value, "tzinfo", None).__class__)


@pytest.mark.parametrize("text", TOML_1_1 + BROKEN)
def test_what_rtoml_would_read_otherwise_is_left_to_the_exact_readers(text):
    if tomlread.rust_reader is None:
        pytest.skip("rtoml is not installed")
    assert answer(tomlread.parse_toml, text) == answer(tomllib.loads, text)


def test_rtoml_reads_the_reports_it_is_given_as_tomllib_does():
    """Every test report, and thousands of damaged copies of them (characters inserted, deleted,
    replaced: TOML's punctuation, escapes, dates, times), read alike; most by rtoml itself."""
    if tomlread.rust_reader is None:
        pytest.skip("rtoml is not installed")
    texts = [path.read_bytes().decode("utf-8", "replace") for path in REPORTS]
    pieces = [*"[]{}\"'=.,#\n \t\\abc01:-+_eExTZ", '"""', "'''", "\r\n", "[[", "]]"]
    pieces += ["\\u00e9", "\\e", "1979-05-27", "07:32:00", "inf", "nan", "true", "\ufeff"]
    rng = random.Random(11)
    by_rtoml = 0
    for _ in range(4000):
        text = rng.choice(texts)
        if len(text) > 6000:
            start = text.find("\n", rng.randrange(len(text) - 6000)) + 1
            text = text[start : start + 6000]
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text) + 1)
            cut = rng.choice((0, 0, 1, 2, 3))
            text = text[:at] + rng.choice(pieces) * (cut != 3) + text[at + cut :]
        by_rtoml += tomlread._rust_reads_alike(text)
        assert answer(tomlread.parse_toml, text) == answer(tomllib.loads, text), text
    assert by_rtoml > 1000  # the test reached the fast path


def test_a_text_of_very_many_values_is_not_given_to_rtoml(monkeypatch):
    """rtoml's peak memory grows with the values: past `RUST_MAX_QUOTES` tomli reads."""
    if tomlread.rust_reader is None:
        pytest.skip("rtoml is not installed")
    read_by_rtoml = []

    class Recording:
        def loads(self, text):
            read_by_rtoml.append(text)
            return tomllib.loads(text)

    monkeypatch.setattr(tomlread, "rust_reader", Recording())
    monkeypatch.setattr(tomlread, "RUST_MAX_QUOTES", 10)
    few, many = 'a = ["x", "y"]\n', "a = [" + ", ".join(['"x"'] * 6) + "]\n"
    assert tomlread.parse_toml(few) == {"a": ["x", "y"]}
    assert tomlread.parse_toml(many) == {"a": ["x"] * 6}
    assert read_by_rtoml == [few]


def test_a_too_deep_file_is_read_again_by_tomllib(monkeypatch):
    text = "a = " + "[" * 450 + "]" * 450 + "\n"
    assert "a" in tomlread.parse_toml(text)  # tomllib's limit, not compiled tomli's 400
    monkeypatch.setattr(tomlread, "fast_reader", None)
    with pytest.raises(tomlread.TomlSyntaxError, match=r"^Unclosed array \(at line 1, column 8\)$"):
        tomlread.parse_toml("a = [1 2]")


# -- the key locator against the line-by-line scan it replaced -------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")


class LineByLineLocator:
    """`KeyLocator` as it was: every line read in Python, every key indexed up front."""

    def __init__(self, text: str) -> None:
        self.text, self.line_starts, self.entries, self.inline = text, [], {}, {}
        array_counts: dict = {}
        current: tuple = ()
        in_string, offset = "", 0
        for number, line in enumerate(text.split("\n"), start=1):
            start, offset = offset, offset + len(line) + 1
            self.line_starts.append(start)
            if in_string:
                if line.count(in_string) % 2:
                    in_string = ""
                continue
            header = _HEADER.match(line)
            if header:
                names = _split_key(header.group(2))
                current = _resolve(names, array_counts, is_array=header.group(1) == "[[")
                self.entries.setdefault(current, (number, -1))
                continue
            key = _KEY.match(line)
            if key:
                full = (*current, key.group(1).strip("\"'"))
                self.entries.setdefault(full, (number, start + key.end()))
            in_string = next((quote for quote in ('"""', "'''") if line.count(quote) % 2), "")

    def line(self, path: tuple) -> int | None:
        for depth in range(len(path), 0, -1):
            entry = self.entries.get(tuple(path[:depth]))
            if entry is None:
                continue
            number, value_at = entry
            if value_at < 0 or depth == len(path):
                return number
            index = self.inline.setdefault(value_at, {})
            if not index:
                _index_value(self.text, value_at, (), index)
            rest = tuple(path[depth:])
            inner = next(
                (index[rest[:d]] for d in range(len(rest), 0, -1) if rest[:d] in index), value_at
            )
            return bisect.bisect_right(self.line_starts, inner) if inner != value_at else number
        return None


PIECES = [
    '\n"qk" = 1\n', "\n 'ql' = '''\n", '\n"q.k"=[1,\n2]\n', '"""', "'''", '"k" = 1', "k = 3",
    "[t]", "[[arr]]", "[t.sub]", "[[sections]]", "[sections.data]", "\n", "\n", " ", "\x0b",
    "\u2028", "\r", "#", "=", "[", "]", '"', "'", "x = '''", 'y = """', "a.b = 1", "[ a . b ]",
    '["q.r"]', "[[ sections ]] # c", "{", "}", ",", "data = [", "  { year = 1, value = 2 },",
]  # fmt: skip


def mutated_texts(count: int) -> list[str]:
    seeds = [SAMPLE.read_text(encoding="utf-8")] + [
        path.read_text(encoding="utf-8", errors="replace")[:20_000]
        for path in BAD_TOML
        if "deep" not in path.stem
    ]
    rng = random.Random(11)
    texts = []
    for _ in range(count):
        text = rng.choice(seeds)
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(text) + 1)
            if rng.random() < 0.7:
                text = text[:at] + rng.choice(PIECES) + text[at:]
            else:
                text = text[:at] + text[at + rng.randint(1, 20) :]
        texts.append(text)
    return texts


TRICKY = [
    "x =",
    'schema_version = 1\n"quoted" = 2\n[a]\nb = 1\n',
    "[a]\ntext = '''\n[b]\nc = 1\n'''\nd = 2\n[b]\ne = 3\n",
    'a = """one "" two\n[fake]\nk = 1\n"""\nk = 2\n',
    "\x0b[t]\x0b\n\x0bk\x0b= 1\n",
    "[t] # note '''\nk = 1\n",
    "k\u2028 = 1\n[t]\n'it''s' = 2\n",
]


@pytest.mark.parametrize("text", TRICKY + mutated_texts(300))
def test_the_key_locator_agrees_with_the_line_by_line_scan(text):
    reference = LineByLineLocator(text)
    paths = list(reference.entries)
    paths += [(*path, "khong_co") for path in paths[:40]] + [(*path, 0) for path in paths[:40]]
    paths += [(*path, 1, "value") for path in paths[:40]] + [("khong_co",)]
    locator = KeyLocator(text)
    assert [locator.line(path) for path in paths] == [reference.line(path) for path in paths]


def test_a_clean_report_is_not_scanned_for_lines(monkeypatch):
    def refuse(_text: str) -> None:
        raise AssertionError("scanned")

    monkeypatch.setattr(tomlpos, "KeyLocator", refuse)  # `with_lines` imports it from there
    assert checks.with_lines([], SAMPLE.read_text(encoding="utf-8")) == []


def _reported_by_the_slow_path(text: str) -> bool:
    from tongket.core.writers.sanitize import illegal_characters
    from tongket.core.writers.terminal import bidi_controls

    return bool(illegal_characters(text) or checks._C1_CONTROLS.search(text) or bidi_controls(text))


def test_the_plain_text_shortcut_agrees_with_the_checks_for_every_unprintable_character():
    # Every character `str.isprintable` refuses in the first planes, in prose with line breaks:
    # `text_problems` skips a field only when none of its three scans would report anything.
    import sys

    for code in range(0x3000):
        character = chr(code)
        if character.isprintable():
            continue
        text = f"Đoạn một.\n\nĐoạn{character}hai."
        assert checks._plain(text) == (not _reported_by_the_slow_path(text)), hex(code)
    for code in (0xFEFF, 0xFFFE, 0xFFFF, 0xD800, 0xDFFF, 0xE000, 0x10FFFF, sys.maxunicode):
        text = f"a\n{chr(code)}"
        assert checks._plain(text) == (not _reported_by_the_slow_path(text)), hex(code)


def test_terminal_safe_scan_finds_exactly_what_the_table_changes():
    """`terminal_safe` skips the translate when its scan finds nothing: the scan must find
    every character the multi-line table rewrites, and no other (every BMP code point)."""
    from tongket.core.writers import terminal

    for code in range(0x10000):
        character = chr(code)
        found = terminal._MULTILINE_NEEDED.search(f"Sở Công Thương {character} báo cáo")
        assert bool(found) == (code in terminal._MULTILINE), hex(code)
        if found:
            assert terminal.terminal_safe(f"ở{character}") == "ở" + terminal._MULTILINE[code]


def test_the_batched_plain_scan_agrees_with_one_scan_per_string():
    """`text_problems` joins a batch of strings for each scan: a reported character in any
    string of any batch, or one string over the field limit, must still be seen."""
    prose = [f"Đoạn {index}.\n\nCó dòng mới." for index in range(2 * checks._PLAIN_BATCH + 5)]
    assert checks._all_plain(prose) and checks._all_plain([])
    for at in (0, checks._PLAIN_BATCH - 1, checks._PLAIN_BATCH, len(prose) - 1):
        for character in ("\x07", "\x85", "\u202e", "\ufffe", "\ud800"):
            texts = list(prose)
            texts[at] = f"Đoạn{character}hai.\n"
            assert not checks._all_plain(texts), (at, hex(ord(character)))
            assert checks._all_plain(texts) == all(checks._plain(text) for text in texts)
    too_long = list(prose)
    too_long[3] = "x" * (checks.MAX_FIELD_LENGTH + 1)
    assert not checks._all_plain(too_long)
