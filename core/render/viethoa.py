"""Capitalisation (viết hoa) under NĐ30 Phụ lục II: findings in a drafter's text, never rewrites.

`capitalisation_findings(text)` returns where a word is capitalised against the decree, with
the form the decree asks for. The rules favour precision over recall: names come from curated
lists (organisations, laws, honours, holidays), never derived by rule, and a capital that may
only be there because a sentence starts is never flagged. What is skipped: all-caps lines
(header, title, signer), quoted text, ký hiệu tokens (04-CT/TW, 30/2020/NĐ-CP, SCT-VP), URLs,
`{placeholders}` and `[[citation]]` mentions. Each rule is one compiled regex run once over the
text, so the check is linear in the text's length. See docs/viet-hoa-checks.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from tongket.core.render.viethoa_names import (
    ACRONYMS,
    CITIES,
    DOCUMENT_TYPES,
    EARTHLY_BRANCHES,
    GENERIC_PHRASES,
    HEAVENLY_STEMS,
    ITEMS,
    NOT_PLACES,
    PROVINCES,
    REASONS,
    RIVER_CUES,
    SURNAMES,
    TITLES,
    council_of,
)

__all__ = ["Finding", "apply_suggestions", "capitalisation_findings", "finding_message"]

RuleSeverity = Literal["E", "W"]


@dataclass(frozen=True)
class Finding:
    """One capitalisation slip: the word(s) at `start`, the form the decree asks for, the rule.

    start, end: offsets in the NFC form of the text checked.
    item: the decree's item in Phụ lục II ("III.1", "V.6"); reason: why, in Vietnamese.
    severity: "E" (the decree's rule, few false positives) or "W" (heuristic).
    """

    start: int
    end: int
    word: str
    suggestion: str
    item: str
    reason: str
    severity: RuleSeverity = "E"


# --- letters ----------------------------------------------------------------------------------

_LATIN = [
    chr(code)
    for block in ((0x41, 0x24F), (0x1E00, 0x1EFF))
    for code in range(block[0], block[1] + 1)
    if chr(code).isalpha()
]
_UPPER = "".join(c for c in _LATIN if c.isupper())
_LOWER = "".join(c for c in _LATIN if c.islower())
_UP, _LO = f"[{_UPPER}]", f"[{_LOWER}]"
#: A syllable with a capital first letter ("Quảng", "UBND").
_CAP = f"{_UP}\\w*"
_SP = r"\s+"

#: Skipped text is replaced, length for length, by these (neither letters nor spaces).
_MASK = "\ue000"
_MASK_SYMBOL = "\ue001"  # a ký hiệu, kept apart: "Nghị định số ⟨ký hiệu⟩" is a cue
#: Flat alternatives, each starting with a literal: `re` then scans for their first characters.
_QUOTED_OR_MARKED = r"“[^”\n]*”|\"[^\"\n]*\"|«[^»\n]*»|\{[^{}\n]*\}|\[\[[^\]\n]*\]\]|`[^`\n]*`"
_SKIPPED = re.compile(r"https?://\S+|www\.\S+|" + _QUOTED_OR_MARKED)
#: The same without the web addresses, for a text with no "://" and no "www." (nearly every
#: one): their first letters 'h' and 'w' made `re` stop at every "nh", "th", "ch". (No two
#: alternatives start with the same character, so their order changes no match.)
_SKIPPED_NO_ADDRESS = re.compile(_QUOTED_OR_MARKED)
#: A ký hiệu is found from its '-' or '/' (a scan for those is fast), then widened to the token.
_SEPARATOR = re.compile(r"[-/](?=\w)")
_TOKEN_RIGHT = re.compile(r"[\w.]*(?:[-/][\w.]+)*")
_SYMBOL_LETTER = re.compile("[A-ZĐ]")
#: A line with capitals and no lower-case letter: header, title, signer's name.
#: Found from the line break before it (a literal `re` scans for quickly; `^` with MULTILINE
#: is tried at every position), so the text is scanned with a "\n" in front.
_ALL_CAPS_LINE = re.compile(f"\\n[^\\n{_LOWER}]*{_UP}[^\\n{_LOWER}]*(?=\\n|\\Z)")
#: Where a sentence (or a line, a list item) starts: a capital there proves nothing. TT01's
#: duty to capitalise after ':' and ';' is gone, but a capital there is still allowed.
_AFTER_BREAK = r"[\s\"“”’(\[)\]" + _MASK + r"]*(?:(?:\d+\.)+\s*|[a-zđ]\)\s*|\d+\)\s*|[-+*•–—]\s*)*"
_BREAKS = ".?!:;…\n"
_SENTENCE_START = re.compile(f"[{_BREAKS}]" + _AFTER_BREAK)
_LOOKBACK = 80  # list markers and quotes between a break and a sentence are never longer
_TEXT_START = re.compile(_AFTER_BREAK)

#: Older tone placement ("Uỷ", "hoà") read as the modern one, so lists need one spelling.
_OLD_TO_MODERN = {
    old: new
    for base in ("oa", "oe", "uy")
    for old, new in zip(
        (
            unicodedata.normalize("NFC", base[0] + base[1] + mark)
            for mark in ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
        ),
        (
            unicodedata.normalize("NFC", base[0] + mark + base[1])
            for mark in ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
        ),
        strict=True,
    )
}
#: Only at a syllable's end: in "khoản", "thuyết" the mark is where it belongs either way.
_OLD_TONE = re.compile("[ou][" + "".join(sorted({old[1] for old in _OLD_TO_MODERN})) + r"](?!\w)")


def _modern(lowered: str) -> str:
    """Lower-case text with the modern tone placement; each pair stays two characters."""
    return _OLD_TONE.sub(lambda m: _OLD_TO_MODERN.get(m.group(), m.group()), lowered)


def _case_like(model: str, text: str) -> str:
    """`text` with the upper/lower case of `model`, letter by letter (whitespace kept)."""
    letters = [char for char in model if not char.isspace()]
    out, index = [], 0
    for char in text:
        if char.isspace():
            out.append(char)
            continue
        shape = letters[index] if index < len(letters) else letters[-1]
        out.append(char.upper() if shape.isupper() else char.lower())
        index += 1
    return "".join(out)


def _recase(hit: str, canonical: str) -> str:
    """The drafter's own characters (spacing, tone placement) with the canonical capitals."""
    return _case_like(canonical, hit)


def _shape(text: str) -> tuple[bool, ...]:
    return tuple(char.isupper() for char in text if not char.isspace())


def _alternation(phrases: Iterable[str]) -> str:
    """A regex matching any of the lower-case phrases, grouped as a trie so the engine branches
    on each next letter instead of trying every phrase at every position."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for syllable in phrase.lower().split():
            node = node.setdefault(syllable, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = []
        for syllable in sorted(key for key in node if key):
            child = node[syllable]
            rest = build(child) if any(child) else ""
            optional = "?" if "" in child else ""
            branches.append(re.escape(syllable) + (f"(?:{_SP}{rest}){optional}" if rest else ""))
        return "(?:" + "|".join(branches) + ")"

    return build(trie)


def _key(phrase: str) -> str:
    return " ".join(phrase.lower().split())


_CANONICAL = {_key(phrase): phrase for phrase in (*ITEMS, *DOCUMENT_TYPES)}
_GENERIC = frozenset(GENERIC_PHRASES)
_NAMED = CITIES | PROVINCES
_ARTICLE_CONTEXT = (
    r"(?:\s*(?:[,.;:)\n]|$)|\s+(?:của|Nghị|Luật|Bộ|Thông|Quyết|Hiến|Pháp|Chỉ|Chương|Mục|Phần"
    r"|Phụ|này|và|đến|khoản|điểm)(?!\w))"
)
#: The rules that read the text as written, in one pass. Each alternative consumes only its
#: cue word and looks ahead for the rest, so one rule's match never hides another's.
_CASED = re.compile(
    rf"(?P<unit>Tỉnh|Thành [pP]hố|Thị [xX]ã|Thị [tT]rấn|Huyện|Quận|Xã|Phường)"
    rf"(?={_SP}(?P<place>{_CAP}(?:{_SP}{_CAP}){{0,3}}))"
    rf"|(?P<numbered>quận|phường)(?=\s+\d+(?![\d/.,-]?\w))"
    rf"|(?P<plural>[cC]ác|[nN]hững|[mM]ọi)"
    rf"(?={_SP}(?P<kind>{'|'.join(sorted(DOCUMENT_TYPES, key=len, reverse=True))})"
    rf"{_SP}(?!số(?!\w)){_LO})"
    rf"|(?P<clause>Điểm|Khoản)(?=\s+(?:[a-zđ]|\d+)(?!\w))"
    rf"|(?P<article>điều|chương|phần)(?=\s+(?:\d+|[IVXLC]+)(?!\w){_ARTICLE_CONTEXT})"
    rf"|(?P<title>{'|'.join(sorted(TITLES, key=len, reverse=True))})"
    rf"(?={_SP}(?P<person>(?:{'|'.join(sorted(SURNAMES))})(?:{_SP}{_CAP}){{1,3}})(?!\w))"
    rf"|Đảng(?:\s*,\s*|\s+và\s+)(?P<state>nhà nước)(?!\w)"
    rf"|(?P<state_ta>nhà nước)(?=\s+ta(?!\w))"
    rf"|(?P<river>Sông|Vịnh)(?={_SP}(?P<water>{_CAP}(?:{_SP}{_CAP}){{0,2}})(?!\w))"
)
#: The rules that read the lower-cased text (lists matched whatever the case), in one pass.
_LOWERED = re.compile(
    rf"(?P<name>{_alternation(ITEMS)})(?!\w)"
    rf"|(?P<acronym>{'|'.join(a.lower() for a in ACRONYMS)})(?!\w)"
    r"|(?P<capital>thành\s+phố(?=\s+hồ\s+chí\s+minh(?!\w))|thủ\s+đô(?=\s+hà\s+nội(?!\w)))"
    rf"|(?P<document>{_alternation(DOCUMENT_TYPES)})\s+"
    rf"(?:(?P<number>số)\s+(?=[\d{_MASK_SYMBOL}])|(?={_MASK_SYMBOL}))"
    rf"|(?P<lunar>(?:{'|'.join(s.lower() for s in HEAVENLY_STEMS)})\s+"
    rf"(?:{'|'.join(b.lower() for b in EARTHLY_BRANCHES)}))(?!\w)"
)


def _char_trie(cues: Iterable[tuple[str, str]]) -> str:
    """A flat alternation of literal cues (each with a lookahead to follow), as a trie of
    characters: every top-level branch starts with its own literal, so `re` scans only for
    those first characters and tries one branch where one is found."""
    trie: dict = {}
    for literal, follow in cues:
        node = trie
        for char in literal:
            node = node.setdefault(char, {})
        node.setdefault("", set()).add(follow)

    def build(node: dict) -> list[str]:
        branches = []
        for char in sorted(key for key in node if key):
            child = node[char]
            inner = build(child)
            ends = sorted(child.get("", ()))
            alternatives = inner + [f"(?:{follow})" if follow else "" for follow in ends]
            token = r"\s+" if char == " " else re.escape(char)
            if len(alternatives) == 1:
                branches.append(token + alternatives[0])
            else:
                branches.append(token + "(?:" + "|".join(alternatives) + ")")
        return branches

    return "|".join(build(trie))


#: Cheap first passes over the text: literal cue words, after which the detailed patterns
#: above are tried at that place only.
_CASED_CUES = re.compile(
    _char_trie(
        [
            *(
                (word, rf"(?={_SP}{_UP})")
                for word in (
                    "Tỉnh", "Thành phố", "Thành Phố", "Thị xã", "Thị Xã", "Thị trấn", "Thị Trấn",
                    "Huyện", "Quận", "Xã", "Phường", "các", "Các", "những", "Những", "mọi", "Mọi",
                    "Sông", "Vịnh", *TITLES,
                )
            ),
            ("quận", r"(?=\s+\d)"),
            ("phường", r"(?=\s+\d)"),
            ("Điểm", r"(?=\s)"),
            ("Khoản", r"(?=\s)"),
            *((word, r"(?=\s+[\dIVXLC])") for word in ("điều", "chương", "phần")),
            ("Đảng", r"(?=\s*,|\s+và)"),
            ("nhà nước", r"(?=\s+ta)"),
        ]
    )
)  # fmt: skip
_LOWERED_CUES = re.compile(
    _char_trie(
        [(" ".join(phrase.lower().split()[:2]), "") for phrase in (*ITEMS, *DOCUMENT_TYPES)]
        + [(acronym.lower(), "") for acronym in ACRONYMS]
        + [("thành phố", ""), ("thủ đô", "")]
        + [(stem.lower(), r"(?=\s)") for stem in HEAVENLY_STEMS]
    )
)
_PREVIOUS_WORD = re.compile(r"(\w+|,)\s*$")
_WORDS = [re.compile(rf"\w+(?:\s+\w+){{{count}}}") for count in range(4)]
_REASON = {
    "III.1 unit": "danh từ chung chỉ đơn vị hành chính viết thường trước tên riêng",
    "III.1 special": "'Thủ đô Hà Nội', 'Thành phố Hồ Chí Minh' là trường hợp đặc biệt, viết hoa",
    "III.1 number": "danh từ chỉ đơn vị hành chính viết hoa khi đi với chữ số",
    "III.1 river": "danh từ chung chỉ địa hình (sông, vịnh) viết thường trước tên riêng",
    "IV.2 acronym": "tên viết tắt của tổ chức quốc tế viết in hoa như nguyên ngữ",
    "V.1": "'Nhà nước' (Nhà nước Việt Nam) là danh từ đặc biệt, viết hoa",
    "V.3": "chức vụ viết hoa khi đi liền với họ tên người cụ thể",
    "V.6 number": "loại văn bản cụ thể viết hoa chữ đầu; 'số' viết thường",
    "V.6 plural": "tên loại văn bản dùng chung (không chỉ một văn bản cụ thể) viết thường",
    "V.7 lower": "'điểm', 'khoản' viết thường khi viện dẫn",
    "V.7 upper": "'Điều', 'Chương', 'Phần' viết hoa khi viện dẫn",
    "V.8 lunar": "năm âm lịch viết hoa tất cả các chữ",
}


def _prefix_in(syllables: list[str], names: frozenset[str]) -> int:
    """How many syllables of the name, from the start, make a listed name (0: none)."""
    for count in range(min(len(syllables), 4), 0, -1):
        if " ".join(syllables[:count]) in names:
            return count
    return 0


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


class _Scan:
    """One text being checked: the NFC text, its masked copy, and where sentences start."""

    def __init__(self, text: str, checked: str) -> None:
        self.text = text
        self.checked = checked
        self.first = _TEXT_START.match(checked).end()  # type: ignore[union-attr]
        self.found: list[Finding] = []

    def sentence_start(self, at: int) -> bool:
        """Whether a sentence (a line, a list item) starts at `at`: found on demand for the few
        candidates, not for every sentence of a report."""
        if at == self.first:
            return True
        checked = self.checked
        for before in range(at - 1, max(-1, at - _LOOKBACK), -1):
            if checked[before] in _BREAKS:
                return _SENTENCE_START.match(checked, before).end() == at  # type: ignore[union-attr]
        return False

    def word_start(self, at: int) -> bool:
        return at == 0 or not _is_word_char(self.checked[at - 1])

    def add(self, start: int, end: int, suggestion: str, rule: str, severity="E") -> None:
        item = rule.split()[0]
        reason = _REASON.get(rule) or REASONS[item]
        word = self.text[start:end]
        self.found.append(Finding(start, end, word, suggestion, item, reason, severity))


_CASED_RULES = ("unit", "numbered", "plural", "clause", "article", "title", "state", "state_ta")
_LOWERED_RULES = ("name", "acronym", "capital", "document", "lunar")


def _rule_of(match: re.Match[str], names: tuple[str, ...]) -> str:
    # `lastgroup` would name a group inside a lookahead; the rule is the group that matched.
    return next((name for name in names if match.group(name) is not None), "river")


def _cased(scan: _Scan, match: re.Match[str]) -> None:
    text, at = scan.text, match.start()
    group = _rule_of(match, _CASED_RULES)
    if group == "state":
        scan.add(match.start("state"), match.end("state"), "Nhà nước", "V.1")
        return
    if not scan.word_start(at):
        return
    if group == "unit" and not scan.sentence_start(at):
        _unit(scan, match)
    elif group == "numbered":
        scan.add(at, match.end(), match.group().capitalize(), "III.1 number")
    elif group == "plural":
        end = match.end("kind")
        scan.add(
            at, end, text[at : match.start("kind")] + match.group("kind").lower(), "V.6 plural", "W"
        )
    elif group == "clause" and not scan.sentence_start(at):
        scan.add(at, match.end(), match.group().lower(), "V.7 lower")
    elif group == "article":
        scan.add(at, match.end(), match.group().capitalize(), "V.7 upper")
    elif group == "title" and not _prefix_in(match.group("person").split(), _NAMED):
        title = TITLES[match.group("title")]
        scan.add(at, match.end("person"), title + text[match.end() : match.end("person")], "V.3")
    elif group == "state_ta":
        scan.add(at, match.end(), "Nhà nước", "V.1")
    elif group == "river" and not scan.sentence_start(at):
        previous = _PREVIOUS_WORD.search(scan.checked, max(0, at - 24), at)
        if previous and previous.group(1) in RIVER_CUES:
            end = match.end("water")
            scan.add(at, end, text[at].lower() + text[at + 1 : end], "III.1 river", "W")


def _unit(scan: _Scan, match: re.Match[str]) -> None:
    unit, syllables = match.group("unit"), match.group("place").split()
    kind = unit.lower()
    if kind == "tỉnh":
        count = _prefix_in(syllables, PROVINCES)
    elif kind == "thành phố":
        count = 0 if syllables[:3] == ["Hồ", "Chí", "Minh"] else _prefix_in(syllables, _NAMED)
    elif (
        len(syllables) >= 2
        and syllables[0] not in SURNAMES
        and syllables[0] not in NOT_PLACES
        and " ".join(syllables) not in PROVINCES
    ):
        count = len(syllables)
    else:
        count = 0
    if count:
        start = match.start()
        words = _WORDS[count - 1].match(scan.checked, match.start("place"))
        end = words.end() if words else match.end("place")
        hit = scan.text[start:end]
        scan.add(start, end, hit[: len(unit)].lower() + hit[len(unit) :], "III.1 unit")


def _lowered(scan: _Scan, match: re.Match[str]) -> None:
    text, at, end = scan.text, match.start(), match.end()
    if not scan.word_start(at):
        return
    hit = text[at:end]
    group = _rule_of(match, _LOWERED_RULES)
    if group == "name":
        canonical = _CANONICAL[_key(match.group())]
        if canonical in _GENERIC and hit[0].islower():
            return
        wanted, got = _shape(canonical), _shape(hit)
        if scan.sentence_start(at):  # a sentence may start with a capital anything
            wanted, got = wanted[1:], got[1:]
        if wanted != got:
            suggestion = _recase(hit, canonical)
            if scan.sentence_start(at) and hit[0].isupper():
                suggestion = suggestion[0].upper() + suggestion[1:]
            scan.add(at, end, suggestion, ITEMS[canonical])
    elif group == "acronym":
        if not hit.isupper() and not (hit.islower() and len(hit) < 4):
            scan.add(at, end, hit.upper(), "IV.2 acronym")
    elif group == "capital":
        canonical = (
            "Thành phố"
            if hit[:2].lower() == "th" and len(hit.split()) == 2 and "ph" in hit.lower()
            else "Thủ đô"
        )
        if _shape(hit) != _shape(canonical):
            scan.add(at, end, _recase(hit, canonical), "III.1 special")
    elif group == "document":
        kind_end = match.end("document")
        kind = text[at:kind_end]
        canonical = _CANONICAL[_key(match.group("document"))]
        number = match.group("number") and text[match.start("number") : match.end("number")]
        if _shape(kind) != _shape(canonical) or (number and number != "số"):
            stop = match.end("number") if number else kind_end
            middle = text[kind_end : match.start("number")] + "số" if number else ""
            scan.add(at, stop, _recase(kind, canonical) + middle, "V.6 number")
    elif group == "lunar":
        canonical = " ".join(part.capitalize() for part in hit.split())
        if hit == " ".join(hit.split()) and hit == canonical:
            return
        if _shape(hit) == _shape(canonical):
            return
        if hit.islower() and not scan.checked[max(0, at - 6) : at].rstrip().lower().endswith(
            ("năm", "tết", "xuân")
        ):
            return
        scan.add(at, end, _recase(hit, canonical), "V.8 lunar")


# --- the check --------------------------------------------------------------------------------


def _masked(text: str) -> str:
    """`text` with skipped parts blanked out, length for length."""
    text = _ALL_CAPS_LINE.sub(lambda m: "\n" + _MASK * (m.end() - m.start() - 1), "\n" + text)[1:]
    skipped = _SKIPPED if "://" in text or "www." in text else _SKIPPED_NO_ADDRESS
    text = skipped.sub(lambda m: _MASK * (m.end() - m.start()), text)
    if "-" not in text and "/" not in text:
        return text
    pieces, done = [], 0
    for separator in _SEPARATOR.finditer(text):
        at = separator.start()
        if at < done or at == 0 or not _is_word_char(text[at - 1]):
            continue
        start = at
        while start > 0 and (_is_word_char(text[start - 1]) or text[start - 1] == "."):
            start -= 1
        end = _TOKEN_RIGHT.match(text, at).end()  # type: ignore[union-attr]
        while text[end - 1] == ".":  # no slice of `text`: it is a whole batch, megabytes long
            end -= 1
        if start < done or not _SYMBOL_LETTER.search(text, start, end):
            continue
        pieces += [text[done:start], _MASK_SYMBOL * (end - start)]
        done = end
    return "".join(pieces) + text[done:]


def capitalisation_findings(text: str) -> list[Finding]:
    """Every capitalisation slip in `text` (taken in NFC), in reading order, never overlapping."""
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        return []
    checked = _masked(text)
    scan = _Scan(text, checked)
    for cue in _CASED_CUES.finditer(checked):
        if match := _CASED.match(checked, cue.start()):
            _cased(scan, match)
    lowered = checked.lower()
    if len(lowered) == len(checked):  # always so for Vietnamese; "İ" would shift offsets
        lowered = _modern(lowered)
        done = 0
        for cue in _LOWERED_CUES.finditer(lowered):
            if cue.start() >= done and (match := _LOWERED.match(lowered, cue.start())):
                _lowered(scan, match)
                done = match.end()
    kept: list[Finding] = []
    for finding in sorted(scan.found, key=lambda finding: (finding.start, -finding.end)):
        if not kept or finding.start >= kept[-1].end:
            kept.append(finding)
    return kept


#: Between two texts checked in one pass: no rule's pattern crosses it (it is neither a space
#: nor a word character), and the line break after it starts a sentence, as a field does.
_BETWEEN = "\n\ue002\n"


#: Findings of texts already checked, by text: the app checks the whole report again after
#: each edit, and only the edited field is new. Bounded; emptied when full.
_CHECKED: dict[str, tuple[Finding, ...]] = {}
_CHECKED_LIMIT = 200_000


def capitalisation_findings_in(texts: list[str]) -> list[tuple[Finding, ...]]:
    """`capitalisation_findings` of each text, from one scan of those not seen before.

    A report holds tens of thousands of short strings (every grid cell is one); scanning the new
    ones joined costs one pass of each pattern instead of one per string. Offsets in the
    findings are each text's own, as `capitalisation_findings` gives them.
    """
    new = list(dict.fromkeys(text for text in texts if text not in _CHECKED))
    if new:
        if len(_CHECKED) + len(new) > _CHECKED_LIMIT:
            _CHECKED.clear()
        batch: list[str] = []
        size = 0
        for text in new:
            batch.append(text)
            size += len(text)
            if size >= _BATCH_CHARACTERS:  # a few copies of a batch are made: bound them
                _check_batch(batch)
                batch, size = [], 0
        _check_batch(batch)
    return [_CHECKED[text] for text in texts]


#: Characters scanned in one pass: large enough that each pattern's set-up is paid rarely,
#: small enough that the pass's copies of the text (masked, lower-cased) stay a few MB.
_BATCH_CHARACTERS = 1 << 20


def _check_batch(texts: list[str]) -> None:
    """Scan `texts` joined and file each one's findings in `_CHECKED`."""
    if not texts:
        return
    normal = [unicodedata.normalize("NFC", text) for text in texts]
    starts, at = [], 0
    for text in normal:
        starts.append(at)
        at += len(text) + len(_BETWEEN)
    found: list[list[Finding]] = [[] for _ in texts]
    index = 0
    for finding in capitalisation_findings(_BETWEEN.join(normal)):
        while index + 1 < len(starts) and starts[index + 1] <= finding.start:
            index += 1
        offset = starts[index]
        found[index].append(
            replace(finding, start=finding.start - offset, end=finding.end - offset)
        )
    _CHECKED.update(zip(texts, map(tuple, found), strict=True))


def apply_suggestions(text: str, findings: list[Finding]) -> str:
    """The NFC text with every suggestion put in (for tests; `tongket check` never rewrites)."""
    text = unicodedata.normalize("NFC", text)
    out, at = [], 0
    for finding in findings:
        out += [text[at : finding.start], finding.suggestion]
        at = finding.end
    return "".join(out) + text[at:]


_EXCERPT = 30


def finding_message(finding: Finding, text: str) -> str:
    """ "viết hoa: 'Tỉnh Quảng Ngãi' → 'tỉnh Quảng Ngãi' (NĐ30 Phụ lục II, mục III.1): …"."""
    text = unicodedata.normalize("NFC", text)
    line = text.count("\n", 0, finding.start) + 1
    column = finding.start - (text.rfind("\n", 0, finding.start) + 1) + 1
    where = f"dòng {line}, ký tự {column}" if "\n" in text.strip("\n") else f"ký tự {column}"
    left = max(0, finding.start - _EXCERPT)
    right = min(len(text), finding.end + _EXCERPT)
    if left:  # whole words only
        left = text.find(" ", left, finding.start) + 1 or left
    if right < len(text):
        right = (
            text.rfind(" ", finding.end, right)
            if text.rfind(" ", finding.end, right) > 0
            else right
        )
    excerpt = " ".join(text[left:right].split())
    excerpt = ("…" if left else "") + excerpt + ("…" if right < len(text) else "")
    label = " (gợi ý)" if finding.severity == "W" else ""
    return (
        f"viết hoa{label}: '{finding.word}' → '{finding.suggestion}' (NĐ30 Phụ lục II, "
        f'mục {finding.item}): {finding.reason}; ở {where}: "{excerpt}"'
    )


# -- an agency's name inside a sentence -----------------------------------------------------

#: Administrative units written in lower case before a place name ("UBND huyện Sơn Tịnh").
UNIT_WORDS = frozenset({"tỉnh", "huyện", "thành", "phố", "thị", "xã", "quận", "phường"})
#: Fields whose every syllable is capitalised (the ministry's own name: "Bộ Công Thương").
WHOLE_NAMES = {"công thương": "Công Thương"}


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:]


def agency_in_sentence(name: str) -> str:
    """ "SỞ KẾ HOẠCH VÀ ĐẦU TƯ" → "Sở Kế hoạch và Đầu tư", as the opening and the closing write it.

    NĐ30 Phụ lục II: the kind of body and each of its fields start with a capital ("Sở Văn hóa,
    Thể thao và Du lịch"); a People's Committee keeps "UBND", its unit in lower case and the
    place name capitalised ("UBND huyện Sơn Tịnh"). A name not written all in capitals is kept.
    """
    if name != name.upper():
        return " ".join(name.split())
    words = name.lower().split()
    if not words:
        return ""
    if council := council_of(name):
        # "ỦY BAN NHÂN DÂN HUYỆN BÌNH SƠN" → "Ủy ban nhân dân huyện Bình Sơn": the body's kind,
        # its unit in lower case, the place capitalised (not "Ủy Ban … bình sơn").
        written, rest = council
        unit = [rest.pop(0)] if rest and rest[0] in UNIT_WORDS else []
        if unit and unit[0] in ("thành", "thị") and rest:
            unit.append(rest.pop(0))  # "thành phố", "thị xã"
        return " ".join([written, *unit, *(_capital(word) for word in rest)])
    fields = re.split(r"(,\s*|\s+và\s+)", " ".join(words[1:]))
    written = [
        part if index % 2 else WHOLE_NAMES.get(part, _capital(part))
        for index, part in enumerate(fields)
    ]
    return " ".join(filter(None, [_capital(words[0]), "".join(written)]))
