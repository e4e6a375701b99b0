"""Citations of legal documents: stored once, formatted in one place, full on first mention.

NĐ30 (Phụ lục I, II.6.b): the first mention of a document gives its kind, number and symbol,
date, issuing body and title; later mentions give only kind and number. Text refers to a
citation by key, `[[ct04]]`, or asks for a form explicitly: `[[ct04|full]]`, `[[ct04|short]]`.

A title may mention other citations ("về việc báo cáo … [[ct04]]"), which expand in turn. A
title that mentions itself, directly or around a loop, would expand forever; a chain of a
thousand titles, or titles each mentioning the next one many times, would exhaust the stack
or the memory. `nesting_problems` finds those when the book is built (`CitationBook`), names
the citation key for `tongket check`, and such titles print their mentions in short form only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tongket.core.render import vnformat
from tongket.core.render.inline import hide_escaped
from tongket.core.report.model import Citation

#: `[[key]]` or `[[key|full]]` / `[[key|short]]`.
MENTION = re.compile(r"\[\[\s*([A-Za-z0-9_.-]+)\s*(?:\|\s*(full|short)\s*)?\]\]")
#: How many levels titles may nest cited documents (a title citing one citing another …).
MAX_NESTING = 5
#: The longest a title may grow with every mention inside it written out in full.
MAX_EXPANDED_TITLE = 10_000


def full_form(citation: Citation, expand_title=lambda text: text) -> str:
    """ "Chỉ thị số 04-CT/TW ngày 06/7/2011 của Ban Bí thư khóa XI về …"."""
    parts = [f"{citation.kind} số {citation.number}"]
    if citation.date:
        parts.append(f"ngày {vnformat.date_numeric(citation.date)}")
    if citation.issuer:
        parts.append(f"của {citation.issuer}")
    if citation.title:
        parts.append(expand_title(citation.title))
    return " ".join(parts)


def short_form(citation: Citation) -> str:
    """ "Chỉ thị số 04-CT/TW"."""
    return f"{citation.kind} số {citation.number}"


def short_mentions(text: str, citations: dict[str, Citation], *, unknown: str | None = None) -> str:
    """Every mention in `text` in short form ("Chỉ thị số 04-CT/TW"); a mention of an unknown
    key as `unknown` formats it ("[[?{key}]]"), or as typed without it."""

    def replace(match: re.Match[str]) -> str:
        citation = citations.get(match.group(1))
        if citation is not None:
            return short_form(citation)
        return match.group(0) if unknown is None else unknown.format(key=match.group(1))

    return MENTION.sub(replace, text)


@dataclass
class CitationBook:
    """The document's citations and which of them have been mentioned so far (reading order).

    Citations whose title nests mentions in a loop or too deeply (`nesting_problems`) print
    the mentions inside their title in short form, so formatting always ends.
    """

    citations: dict[str, Citation]
    mentioned: set[str] = field(default_factory=set)
    unsafe: frozenset[str] = field(init=False, default=frozenset())

    def __post_init__(self) -> None:
        self.unsafe = frozenset(_nesting(self.citations)[0])

    def format(self, key: str, form: str = "auto") -> str:
        """The text of one mention; "auto" is full the first time, short afterwards."""
        citation = self.citations.get(key)
        if citation is None:
            raise KeyError(key)
        first = key not in self.mentioned
        self.mentioned.add(key)
        if form == "full" or (form == "auto" and first):
            return full_form(citation, self._short if key in self.unsafe else self.expand)
        return short_form(citation)

    def _short(self, text: str) -> str:
        """Every mention in `text` in short form, without expanding anything further."""
        return short_mentions(text, self.citations, unknown="[[?{key}]]")

    def expand(self, text: str) -> str:
        """Replace every `[[key]]` in `text`; an unknown key stays visible as `[[?key]]`."""

        def replace(match: re.Match[str]) -> str:
            key, form = match.group(1), match.group(2) or "auto"
            if key not in self.citations:
                return f"[[?{key}]]"
            return self.format(key, form)

        return MENTION.sub(replace, text)


def nesting_problems(citations: dict[str, Citation]) -> list[tuple[str, str]]:
    """Titles that cannot be expanded safely, as (citation key, Vietnamese message).

    A loop of mentions is reported once, at its key that comes first in the file; a chain too
    deep or a title too long when expanded is reported at the outermost citation.
    """
    return _nesting(citations)[1]


def _nesting(citations: dict[str, Citation]) -> tuple[set[str], list[tuple[str, str]]]:
    # The title graph: each citation → the known citations its title mentions, in order.
    children = {
        key: [name for name, _form in MENTION.findall(citation.title) if name in citations]
        for key, citation in citations.items()
    }
    order = {key: position for position, key in enumerate(citations)}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    finished: list[str] = []  # post-order: every child before its parents
    for root in citations:
        if root in state:
            continue
        state[root] = 1
        path, stack = [root], [iter(children[root])]
        while stack:  # iterative: a chain of a thousand titles must not exhaust the stack
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                done = path.pop()
                state[done] = 2
                finished.append(done)
            elif state.get(child) == 1:
                loop = path[path.index(child) :]
                first = min(range(len(loop)), key=lambda index: order[loop[index]])
                cycles.append(loop[first:] + loop[:first])
            elif child not in state:
                state[child] = 1
                path.append(child)
                stack.append(iter(children[child]))
    in_loop = {key for loop in cycles for key in loop}
    depth: dict[str, int] = {}
    size: dict[str, int] = {}
    deepest: dict[str, str] = {}  # the child a citation's deepest chain goes through
    unsafe = set(in_loop)
    for key in finished:
        kids = children[key]
        if any(kid in unsafe for kid in kids):
            unsafe.add(key)  # reaches a loop: expanding it would not end either
        known = [kid for kid in kids if kid not in in_loop]
        depth[key] = 1 + max((depth[kid] for kid in known), default=-1)
        if known:
            deepest[key] = max(known, key=lambda kid: depth[kid])
        # An upper bound (every mention written in full), kept small once past the limit.
        size[key] = min(
            len(citations[key].title) + sum(size[kid] for kid in known), MAX_EXPANDED_TITLE + 1
        )
    problems: list[tuple[str, str]] = []
    for loop in sorted(cycles, key=lambda loop: order[loop[0]]):
        if len(loop) == 1:
            message = (
                f"tên văn bản [[{loop[0]}]] nhắc lại chính nó; văn bản không thể tự dẫn chính "
                "nó, hãy bỏ chỗ dẫn này"
            )
        else:
            chain = " → ".join(f"[[{key}]]" for key in [*loop, loop[0]])
            message = (
                f"tên các văn bản được dẫn nhắc nhau thành vòng ({chain}); hãy bỏ một chỗ "
                "dẫn trong vòng này"
            )
        problems.append((loop[0], message))
    mentioned = {kid for kids in children.values() for kid in kids}
    for key in citations:
        if key in unsafe:
            continue
        if depth[key] > MAX_NESTING:
            unsafe.add(key)
            if key not in mentioned:  # the outermost of the chain speaks for all of it
                chain = [key]
                while chain[-1] in deepest:
                    chain.append(deepest[chain[-1]])
                shown = chain if len(chain) <= 4 else [*chain[:2], "…", *chain[-1:]]
                arrows = " → ".join(part if part == "…" else f"[[{part}]]" for part in shown)
                problems.append(
                    (
                        key,
                        f"tên văn bản lồng {depth[key]} tầng văn bản được dẫn ({arrows}), "
                        f"quá giới hạn {MAX_NESTING} tầng; hãy bỏ bớt chỗ dẫn trong tên văn bản",
                    )
                )
        elif size[key] > MAX_EXPANDED_TITLE:
            unsafe.add(key)
            if key not in mentioned:
                problems.append(
                    (
                        key,
                        "tên văn bản khi viết đầy đủ các văn bản được dẫn bên trong dài hơn "
                        f"{vnformat.number(MAX_EXPANDED_TITLE)} ký tự; hãy bỏ bớt chỗ dẫn "
                        "trong tên văn bản",
                    )
                )
    return unsafe, problems


def unknown_keys(text: str, citations: dict[str, Citation]) -> list[str]:
    """Citation keys used in `text` that the document does not define ("\\[[…]]", escaped,
    cites nothing)."""
    if "[[" not in text:  # most texts cite nothing: skip the regex
        return []
    return [key for key, _form in MENTION.findall(hide_escaped(text)) if key not in citations]


def repeated_full_mentions(
    paragraphs: list[str], citations: dict[str, Citation]
) -> list[tuple[int, str, str]]:
    """Later mentions written out in full by hand: (paragraph index, citation key, excerpt).

    A mention is "full" when the document's number is followed by its date ("04-CT/TW ngày
    06/7/2011"). The first mention of each document may be full; any later full one is reported.
    """
    findings: list[tuple[int, str, str]] = []
    for key, citation in citations.items():
        number = re.escape(citation.number)
        anywhere = re.compile(number)
        with_date = re.compile(number + r"\s+ngày\s+\d")
        seen = False
        for index, text in enumerate(paragraphs):
            for match in anywhere.finditer(text):
                if seen and with_date.match(text, match.start()):
                    # Quote from the document's kind ("Chỉ thị 04-CT/TW ngày …") when it is there.
                    kind_at = text.rfind(citation.kind, max(0, match.start() - 40), match.start())
                    start = kind_at if kind_at >= 0 else match.start()
                    excerpt = text[start : match.end() + 16].strip()
                    findings.append((index, key, excerpt))
                seen = True
    return findings
