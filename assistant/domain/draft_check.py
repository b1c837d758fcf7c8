"""The draft read as a legal reviewer reads it: does it hold together? (issue 16, part 1)

``check_draft(draft)`` takes a draft as the contract's JSON ``draft`` object gives it (title, parties, preamble,
articles with number, heading and text, annexes with title and text, signatures), as the assistant wrote it or as a
person edited it, and returns findings. Each finding names its check, a severity (``error``: the instrument is
inconsistent and must not be signed so; ``warning``: a reviewer should look; ``open_point``: a hole the negotiators
still have to fill), the place (``Article 5``, ``Annex B``, ``Parties``, ``Signatures``), what is wrong in words and
how to fix it.

Checks (ids as in ``CHECKS``): cross-references to articles, paragraphs and annexes resolve, and a thing "referred
to in Article N" is in Article N; articles, paragraphs and annexes are numbered without gaps; each defined term is
defined once and used outside its definition, and each term of art used is defined; every Party of the parties block
signs, and only Parties sign (Participants sign the Memorandum of Participation annex); the shares of Annex B add up
to 100 % and its amounts to the total; each repayment has one deadline; a memorandum, and the Memorandum of
Participation annex, say "will", not "shall"; no template artefacts or raw ids; each body Annex A gives a role is
named in an operative article; the Advances in Annex B fit under the advance article's ceiling;
with the answer, every flagged risk has its safeguard articles; ``[to be agreed: …]`` and ``[to be completed]`` holes
are open points.

Pure: no Flask, no database; the draft is only read."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, Literal

from .assembly import _definition_chunks, _finds_term, _term_core, _title_case, inline_definitions

Severity = Literal["error", "warning", "open_point"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "open_point")

CHECKS = {
    "cross_reference": "a reference to an article, paragraph or annex resolves, to the article holding its subject",
    "numbering": "articles, paragraphs and annexes are numbered in sequence, without gaps or repeats",
    "definitions": "each term is defined once and used outside its definition; each term of art used is defined",
    "signatures": "every Party signs, only Parties sign; Participants sign the Memorandum of Participation",
    "cost_shares": "Annex B shares add up to 100 % and its amounts to the total (net of co-financing)",
    "repayment_deadline": "one deadline for each repayment",
    "binding_wording": "a memorandum, and the Memorandum of Participation, record intentions with 'will', not 'shall'",
    "artefact": "no template artefacts, raw ids, doubled spaces or punctuation, empty articles or notes to self",
    "annex_a_roles": "each body Annex A gives a role is named in an operative article",
    "advance_ceiling": "the Advances Annex B sets out fit under the ceiling the advance article sets",
    "risk_safeguards": "every risk the advice flags has its safeguard articles in the draft",
    "open_point": "holes the negotiators still have to fill",
    "structure": "the draft has the parts of an instrument",
}

# Terms of art the clauses write with capitals: wherever a draft uses one, it defines it.
TERMS_OF_ART = (
    "Operation Lead",
    "Assisting Party",
    "Representing State",
    "Represented State",
    "Referral Partner",
    "Reception Point",
    "Assembly Point",
    "Manifest",
    "Alert Phase",
    "Crisis Cell",
    "Focal Point",
    "Data-Sharing Protocol",
    "Lead Party",
    "Host State",
    "Host Authority",
)


@dataclass(frozen=True)
class Finding:
    """One thing a reviewer would mark in the margin."""

    check: str
    severity: Severity
    place: str
    message: str
    fix: str

    def to_json(self) -> dict[str, str]:
        return asdict(self)

    @property
    def anchor(self) -> str | None:
        """The id of the place in the rendered draft ("article-5", "annex-2"), or None for the draft as a whole."""
        m = re.fullmatch(r"Article (\d+)", self.place)
        if m:
            return f"article-{m.group(1)}"
        m = re.fullmatch(r"Annex ([A-Z])", self.place)
        return f"annex-{ord(m.group(1)) - 64}" if m else None

    def line(self) -> str:
        """The finding on one line: severity, place, check id, message (and how to fix it)."""
        return f"{self.severity}: {self.place}: [{self.check}] {self.message} Fix: {self.fix}"


class DraftFormatError(ValueError):
    """The data is not a draft: ``problems`` says what is missing or of the wrong kind."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


# ---------------------------------------------------------------- reading the draft


@dataclass(frozen=True)
class _Part:
    """A piece of the draft with a place a reader can find: an article, an annex, the parties block …"""

    place: str
    text: str
    kind: Literal["front", "article", "annex", "signatures"]
    heading: str = ""


@dataclass(frozen=True)
class _Draft:
    title: str
    instrument: str
    designations: tuple[str, ...]
    parties: str
    preamble: str
    signatures: str
    articles: tuple[_Part, ...]
    annexes: tuple[_Part, ...]

    def parts(self) -> list[_Part]:
        front = [_Part("Title", self.title, "front"), _Part("Parties", self.parties, "front")]
        front.append(_Part("Preamble", self.preamble, "front"))
        return [*front, *self.articles, *self.annexes, _Part("Signatures", self.signatures, "signatures")]


def _text(data: Mapping[str, Any], key: str, where: str, problems: list[str], required: bool = False) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        problems.append(f"{where}: '{key}' must be text")
        return ""
    return value


def read_draft(data: Any) -> _Draft:
    """The draft in ``data``: the contract's ``draft`` object, or a whole answer that holds one under ``draft``.
    Raises DraftFormatError, saying what is wrong, when it is not a draft."""
    if isinstance(data, Mapping) and isinstance(data.get("draft"), Mapping):
        data = data["draft"]
    if not isinstance(data, Mapping):
        raise DraftFormatError(["the file holds no draft: expected an object with 'title' and 'articles'"])
    problems: list[str] = []
    if not isinstance(data.get("articles"), list):
        problems.append("the draft has no 'articles' list")
    if not isinstance(data.get("annexes", []), list):
        problems.append("the draft's 'annexes' must be a list")
    if problems:
        raise DraftFormatError(problems)
    title = _text(data, "title", "draft", problems, required=True)
    articles, annexes = [], []
    for i, a in enumerate(data.get("articles") or []):
        if not isinstance(a, Mapping):
            problems.append(f"articles[{i}]: must be an object with number, heading and text")
            continue
        number = a.get("number")
        if isinstance(number, int) and not isinstance(number, bool):
            number = str(number)
        if not isinstance(number, str):
            problems.append(f"articles[{i}]: 'number' must be text")
            number = "?"
        heading = _text(a, "heading", f"articles[{i}]", problems)
        text = _text(a, "text", f"articles[{i}]", problems, required=True)
        articles.append(_Part(f"Article {number}", text, "article", heading))
    for i, x in enumerate(data.get("annexes") or []):
        if not isinstance(x, Mapping):
            problems.append(f"annexes[{i}]: must be an object with title and text")
            continue
        title_x = _text(x, "title", f"annexes[{i}]", problems, required=True)
        annexes.append(_Part(_annex_place(title_x), _text(x, "text", f"annexes[{i}]", problems), "annex", title_x))
    designations = data.get("designations") or []
    if not isinstance(designations, list) or not all(isinstance(d, str) for d in designations):
        problems.append("the draft's 'designations' must be a list of names")
        designations = []
    draft = _Draft(
        title=title,
        instrument=_text(data, "instrument", "draft", problems),
        designations=tuple(designations),
        parties=_text(data, "parties", "draft", problems),
        preamble=_text(data, "preamble", "draft", problems),
        signatures=_text(data, "signatures", "draft", problems),
        articles=tuple(articles),
        annexes=tuple(annexes),
    )
    if problems:
        raise DraftFormatError(problems)
    return draft


def _annex_place(title: str) -> str:
    """'Annex B. Allocation of costs' is found as 'Annex B'."""
    m = re.match(r"\s*(Annex [A-Z]+)\b", title)
    return m.group(1) if m else title.strip() or "Annex"


# ---------------------------------------------------------------- the checker


def check_draft(data: Any, scenario: Any = None, advice: Mapping[str, Any] | None = None) -> list[Finding]:
    """Every finding on the draft, errors first, then in the order of the draft. ``data``: the contract's draft
    object (or a whole answer holding one); DraftFormatError when it is not a draft. ``scenario`` (a parsed
    Scenario) and ``advice`` (the contract answer), when given, let the checker say who must sign and compare Annex
    B with the computed shares; a draft a person edited comes without them."""
    draft = data if isinstance(data, _Draft) else read_draft(data)
    findings: list[Finding] = []
    for check in (
        _structure,
        _numbering,
        _cross_references,
        _definitions,
        _signatures,
        _cost_shares,
        _repayment_deadlines,
        _binding_wording,
        _participants_bound,
        _artefacts,
        _roles_in_articles,
        _advance_ceiling,
        _open_points,
    ):
        findings += check(draft)
    if scenario is not None:
        findings += _scenario_signatories(draft, scenario)
    if scenario is not None and advice is not None:
        findings += _computed_shares(draft, scenario, advice)
    if advice is not None:
        findings += _risk_safeguards(advice)
    order = {p.place: i for i, p in enumerate(draft.parts())}
    return sorted(findings, key=lambda f: (SEVERITIES.index(f.severity), order.get(f.place, len(order))))


def checked_answer(answer: dict[str, Any], scenario: Any = None) -> dict[str, Any]:
    """The contract answer with its ``checks``: the draft check's findings (a README addition to the contract), each
    ``{check, severity, place, message, fix}``; an answer without a draft gets an empty list."""
    draft = answer.get("draft")
    findings = check_draft(draft, scenario=scenario, advice=answer) if draft else []
    return {**answer, "checks": [f.to_json() for f in findings]}


def summary(findings: Iterable[Finding]) -> str:
    """'Draft check: 0 errors, 2 warnings, 3 open points'."""
    n = Counter(f.severity for f in findings)

    def count(k: int, word: str) -> str:
        return f"{k} {word}{'' if k == 1 else 's'}"

    return (
        f"Draft check: {count(n['error'], 'error')}, {count(n['warning'], 'warning')}, "
        f"{count(n['open_point'], 'open point')}"
    )


def _error(check: str, place: str, message: str, fix: str) -> Finding:
    return Finding(check, "error", place, message, fix)


def _warning(check: str, place: str, message: str, fix: str) -> Finding:
    return Finding(check, "warning", place, message, fix)


def _quote(text: str, start: int, end: int, room: int = 40) -> str:
    """The words around a match, for a message."""
    before = text[max(0, start - room) : start].split("\n")[-1]
    after = text[end : end + room].split("\n")[0]
    return f"'…{before}{text[start:end]}{after}…'"


# ---------------------------------------------------------------- structure and numbering


def _structure(d: _Draft) -> list[Finding]:
    """An instrument has a title, articles, a parties block and signatures; an article has text."""
    out = []
    if not d.title.strip():
        out.append(_error("structure", "Title", "The draft has no title.", "Give the instrument its title."))
    if not d.articles:
        out.append(_error("structure", "Articles", "The draft has no articles.", "Add the operative articles."))
    for a in d.articles:
        body = re.sub(r"^\s*\d+\.\s*", "", a.text.strip())
        if not body.strip():
            out.append(_error("artefact", a.place, "The article is empty.", "Write its text or take it out."))
    if d.articles and not d.signatures.strip():
        out.append(
            _error("signatures", "Signatures", "The draft has no signature blocks.", "Add one block for each Party.")
        )
    return out


@lru_cache(maxsize=256)
def _paragraphs(text: str) -> dict[int, str]:
    """The numbered paragraphs of an article or annex ('1. …'), by number (the first of a repeated number), each
    with the unnumbered blocks (lists, tables) that follow it."""
    out: dict[int, str] = {}
    last = None
    for chunk in text.split("\n\n"):
        head, dot, rest = chunk.partition(". ")
        if dot and head.isdigit():
            last = int(head)
            out.setdefault(last, rest)
        elif last is not None and out.get(last) is not None:
            out[last] += "\n\n" + chunk
    return out


def _paragraph_numbers(text: str) -> list[int]:
    return [int(c.partition(". ")[0]) for c in text.split("\n\n") if re.match(r"\d+\. ", c)]


def _numbering(d: _Draft) -> list[Finding]:
    """Articles 1, 2, 3 …; in each article and annex, paragraphs 1, 2, 3 …; annexes A, B, C …"""
    out = []
    numbers = [a.place.removeprefix("Article ") for a in d.articles]
    expected = [str(i) for i in range(1, len(numbers) + 1)]
    if numbers != expected:
        wrong = next(i for i, (n, e) in enumerate(zip(numbers, expected, strict=True)) if n != e)
        out.append(
            _error(
                "numbering",
                d.articles[wrong].place,
                f"Articles are numbered {', '.join(numbers[max(0, wrong - 1) : wrong + 2])}: "
                f"Article {expected[wrong]} is expected here.",
                "Renumber the articles in sequence and update every reference to them.",
            )
        )
    for part in [*d.articles, *d.annexes]:
        found = _paragraph_numbers(part.text)
        if found and found != list(range(1, len(found) + 1)):
            out.append(
                _error(
                    "numbering",
                    part.place,
                    f"Paragraphs are numbered {', '.join(map(str, found))}.",
                    "Number the paragraphs 1, 2, 3 … and update references to them.",
                )
            )
    letters = [x.place.removeprefix("Annex ") for x in d.annexes if x.place.startswith("Annex ")]
    if letters != [chr(65 + i) for i in range(len(letters))]:
        out.append(
            _error(
                "numbering",
                "Annexes",
                f"Annexes are lettered {', '.join(letters)}.",
                "Letter the annexes A, B, C … and update every reference to them.",
            )
        )
    return out


# ---------------------------------------------------------------- cross-references

# Each pattern starts with a literal, so that the regex engine skips ahead to it (speed: the whole draft is
# scanned); the word boundary before it is checked by ``_starts_word``.
_NUMS = r"\d+(?:(?:,|,? and|,? or| to) \d+)*"
_ARTICLE_REF = re.compile(rf"Articles? (?P<nums>{_NUMS})")
_PARAGRAPH_REF = re.compile(
    rf"paragraphs? (?P<para>{_NUMS})(?!\d)(?:\((?P<item>[a-z])\))?(?P<of> of Article (?P<n>\d+))?"
)
_ANNEX_REF = re.compile(r"Annex(?:es)? (?P<letter>[A-Z])\b(?!\.)")
# "Article 8 of the Vienna Convention": another instrument's article, not this draft's.
_EXTERNAL = re.compile(r"(?:\(\d+\))*(?:\([a-z]\))*\s+of\s+(?:the\s+)?(?!this\b|the Agreement\b|the Memorandum\b)[A-Z]")
# "the Joint Coordination Committee referred to in " just before "Article 7"
_REFERRED_SUBJECT = re.compile(
    r"\b(?:the|a|its) (?P<subject>(?:[A-Z][\w-]+ ){0,4}[A-Z][\w-]+)(?: \([^()]*\))? "
    r"(?P<how>referred to|established|set up|provided for|adopted|designated|defined) (?:in|under|by) $"
)
# "Article N on X": subjects a reader checks against the article named, and the words that article must contain.
_SUBJECT_WORDS = {"costs": ("cost",), "claims": ("claim",), "supporting documents": ("supporting documents",)}
_SUBJECT_WORDS["audit"] = ("audit",)


def _starts_word(text: str, i: int) -> bool:
    """The match at ``i`` begins a word (no letter, digit, '_' or '-' just before it)."""
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_-")


def _article_numbers(nums: str) -> list[int]:
    """'5, 8 and 36' -> [5, 8, 36]; '5 to 8' -> [5, 6, 7, 8]."""
    out: list[int] = []
    for m in re.finditer(r"(\d+)(?:\s+to\s+(\d+))?", nums):
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        out += list(range(first, last + 1)) if last - first < 100 else [first, last]
    return out


def _cross_references(d: _Draft) -> list[Finding]:
    """Each 'Article N', 'Articles N and M', 'paragraph N of Article M', 'paragraph N' (of the same article or
    annex) and 'Annex X' names something the draft has; a capitalised thing 'referred to in Article N' is in
    Article N, and 'Article N on costs' points at an article about costs. The preamble's citations of other
    instruments, and 'Article N of the <other instrument>', are not this draft's."""
    articles = {a.place.removeprefix("Article "): a for a in d.articles}
    annexes = {x.place.removeprefix("Annex ") for x in d.annexes if x.place.startswith("Annex ")}
    out: list[Finding] = []
    for part in d.parts():
        if part.kind == "front" and part.place != "Parties":
            continue
        text = part.text
        for m in _ARTICLE_REF.finditer(text):
            if not _starts_word(text, m.start()) or _EXTERNAL.match(text, m.end()):
                continue
            for n in _article_numbers(m.group("nums")):
                if str(n) not in articles:
                    out.append(
                        _error(
                            "cross_reference",
                            part.place,
                            f"Article {n} is referred to ({_quote(text, m.start(), m.end())}) but the draft has no "
                            f"Article {n}.",
                            "Point the reference at the article that now holds this subject, or take it out.",
                        )
                    )
            out += _subject_of(part, text, m, articles)
            out += _referred_subject(part, text, m, articles)
        for m in _PARAGRAPH_REF.finditer(text):
            if not _starts_word(text, m.start()):
                continue
            if m.group("of"):
                target = articles.get(m.group("n"))
                if target is not None:
                    out += _paragraph_ref(part, text, m, target.text, target.place)
            elif part.kind in ("article", "annex") and _paragraphs(part.text):
                out += _paragraph_ref(part, text, m, part.text, part.place)
        for m in _ANNEX_REF.finditer(text):
            if not _starts_word(text, m.start()) or _EXTERNAL.match(text, m.end()):
                continue
            if m.group("letter") not in annexes:
                out.append(
                    _error(
                        "cross_reference",
                        part.place,
                        f"Annex {m.group('letter')} is referred to ({_quote(text, m.start(), m.end())}) but the "
                        f"draft has no Annex {m.group('letter')}.",
                        "Point the reference at the annex that holds this subject, or add the annex.",
                    )
                )
    return out


def _paragraph_ref(part: _Part, text: str, m: re.Match[str], target: str, where: str) -> list[Finding]:
    """'paragraph N(x)', 'paragraphs 4 and 5', 'paragraphs 4 to 6' name paragraphs (and an item) of the article or
    annex they point at."""
    numbers = _article_numbers(m.group("para"))
    item = m.group("item") if len(numbers) == 1 else None
    out = []
    for n in numbers:
        para = _paragraphs(target).get(n)
        if para is not None and (not item or f"({item})" in para):
            continue
        what = f"paragraph {n}{f'({item})' if item else ''} of {where}"
        out.append(
            _error(
                "cross_reference",
                part.place,
                f"The draft refers to {what} ({_quote(text, m.start(), m.end())}), which does not exist.",
                "Point the reference at the paragraph that holds this subject.",
            )
        )
    return out


def _subject_of(part: _Part, text: str, m: re.Match[str], articles: Mapping[str, _Part]) -> list[Finding]:
    """'the provisions of Article N on costs and claims': Article N speaks of costs and claims."""
    on = re.match(r" on ((?:[a-z]+ ?){1,4})", text[m.end() :])
    nums = _article_numbers(m.group("nums"))
    if not on or len(nums) != 1 or str(nums[0]) not in articles:
        return []
    target = articles[str(nums[0])]
    body = f"{target.heading}\n{target.text}".lower()
    wanted = [w for key, words in _SUBJECT_WORDS.items() if key in on.group(1) for w in words]
    missing = [w for w in wanted if w not in body]
    if not missing:
        return []
    finding = _error if missing == wanted else _warning  # nothing of the subject there, or only part of it
    return [
        finding(
            "cross_reference",
            part.place,
            f"Article {nums[0]} is cited on {_subject_words(on.group(1))}, but it does not speak of "
            f"{', '.join(missing)}.",
            "Point the reference at the article on that subject, or name only what that article covers.",
        )
    ]


def _subject_words(words: str) -> str:
    """'costs and claims shall' -> 'costs and claims': the subject, without the verb that follows it."""
    return re.sub(r"\s+(?:shall|will|are|is|continue|apply)\b.*$", "", words.strip())


def _referred_subject(part: _Part, text: str, m: re.Match[str], articles: Mapping[str, _Part]) -> list[Finding]:
    """'the Joint Coordination Committee referred to in Article 7': Article 7 names the Joint Coordination
    Committee (in its heading or text, singular or plural)."""
    before = _REFERRED_SUBJECT.search(text, max(0, m.start() - 160), m.start())
    nums = _article_numbers(m.group("nums"))
    if before is None or len(nums) != 1 or str(nums[0]) not in articles:
        return []
    target, subject = articles[str(nums[0])], before.group("subject")
    if subject in ("Agreement", "Memorandum", "Parties", "Party") or _holds(target, subject):
        return []
    return [
        _error(
            "cross_reference",
            part.place,
            f"'{subject}' is said to be {before.group('how')} in Article {nums[0]}, but {target.place} "
            f"('{target.heading}') does not set it up.",
            f"Point the reference at the article that sets up the {subject}.",
        )
    ]


_A_REFERENCE = re.compile(
    r"(?: \([^()]*\))? (?:referred to|established|set up|provided for|adopted|designated|defined) "
    r"(?:in|under|by) Article"
)


def _holds(article: _Part, subject: str) -> bool:
    """The article is about the subject: its heading names it, or its text names it other than by a reference to
    another article ('the Committee referred to in Article 6' does not set the Committee up)."""
    stem = subject[:-1] if subject.endswith("s") else subject
    if stem in article.heading:
        return True
    for m in re.finditer(re.escape(stem), article.text):
        if not _A_REFERENCE.match(article.text, m.end() + (1 if article.text[m.end() : m.end() + 1] == "s" else 0)):
            return True
    return False


# ---------------------------------------------------------------- definitions

_DEFINED = re.compile(r'"([^"]+)"\s+means')


def _definitions_article(d: _Draft) -> _Part | None:
    """The article headed 'Definitions' (or 'Use of terms'), else none."""
    return next((a for a in d.articles if re.search(r"\b(definitions|use of terms)\b", a.heading, re.I)), None)


def _singular(term: str) -> str:
    """'Deploying Parties' -> 'Deploying Party', 'Participants' -> 'Participant' (the pattern finds both forms)."""
    if term.endswith("ies"):
        return term[:-3] + "y"
    return term[:-1] if term.endswith("s") and not term.endswith("ss") else term


def _finds(term: str, exact: bool, text: str) -> bool:
    """``assembly._finds_term``, after a quick look for the term's first word (speed: most terms of art a draft
    does not use are absent, and the regex engine then scans the whole draft for nothing)."""
    first = term.split()[0] if term.strip() else term
    stem = first[:-1] if re.search(r"[^aeiou]y$", first) else first  # "Party" is also found as "Parties"
    if stem not in text and (exact or stem[:1].swapcase() + stem[1:] not in text):
        return False
    if exact:
        return _finds_term(term, True, text) is not None
    # either case of the first letter, as two searches that each start with a literal (speed)
    return any(_finds_term(t, True, text) for t in (term[:1].upper() + term[1:], term[:1].lower() + term[1:]))


def _uses(term: str, text: str, enough: int = 2) -> int:
    """How often ``text`` uses the term with its capitals (singular or plural), counting up to ``enough``."""
    k = 0
    for m in _term_core(term, True).finditer(text):
        if _starts_word(text, m.start()):
            k += 1
            if k >= enough:
                break
    return k


def _definitions(d: _Draft) -> list[Finding]:
    """A term defined in the definitions article is used outside its definition and is not defined again (there,
    inline in an article as '(the "Lead")', or by a '"X" means' sentence elsewhere); a term an article defines
    inline is defined in that article only; a term of art the draft uses is defined somewhere."""
    out: list[Finding] = []
    defs = _definitions_article(d)
    others = [p for p in [*d.articles, *d.annexes] if p is not defs]
    rest = "\n".join([d.parties, d.preamble, *(p.text for p in others)])
    inline_where: dict[str, list[str]] = defaultdict(list)
    for p in others:
        for term in inline_definitions(p.text):
            inline_where[term].append(p.place)
    for term, places in inline_where.items():
        if len(places) > 1:
            out.append(
                _error(
                    "definitions",
                    places[1],
                    f'"{term}" is defined in {", ".join(dict.fromkeys(places))}.',
                    "Define the term once, where it is first used, and use it as defined elsewhere.",
                )
            )
        elif _uses(_singular(term), rest) < 2:
            out.append(
                _warning(
                    "definitions",
                    places[0],
                    f'"{term}" is defined but not used again.',
                    "Use the defined term, or leave out the definition.",
                )
            )
    defined = list(inline_where)
    if defs is not None:
        terms = _DEFINED.findall(defs.text)
        defined += terms
        chunks = [c for para in defs.text.split("\n\n") for c in _definition_chunks(para)]
        for term, k in Counter(terms).items():
            if k > 1:
                out.append(
                    _error(
                        "definitions",
                        defs.place,
                        f'"{term}" is defined {k} times.',
                        "Keep one definition of the term.",
                    )
                )
            if term in inline_where:
                out.append(
                    _error(
                        "definitions",
                        inline_where[term][0],
                        f'"{term}" is defined both in {defs.place} and in {", ".join(inline_where[term])}.',
                        f"Keep one of the two definitions (the one in {defs.place} if the term is used widely).",
                    )
                )
            exact = _title_case(term)
            if not _finds(term, exact, rest) and not any(
                _finds(term, exact, c) for c in chunks if f'"{term}"' not in c
            ):
                out.append(
                    _error(
                        "definitions",
                        defs.place,
                        f'"{term}" is defined but not used anywhere else in the draft.',
                        "Take the definition out, or use the term where the draft means it.",
                    )
                )
    known = {t.lower() for t in defined} | {t.lower() + "s" for t in defined}
    for term in TERMS_OF_ART:
        if term.lower() in known or term.lower() + "s" in known:
            continue
        if _finds(term, True, rest):
            place = next((p.place for p in others if _finds(term, True, p.text)), "Articles")
            out.append(
                _error(
                    "definitions",
                    place,
                    f'The term of art "{term}" is used but not defined.',
                    "Define it in the definitions article, or say in words what is meant.",
                )
            )
    for p in others:  # '"X" means' outside the definitions article: once per term
        for term, k in Counter(_DEFINED.findall(p.text)).items():
            if k > 1:
                out.append(_error("definitions", p.place, f'"{term}" is defined {k} times.', "Keep one definition."))
    return out


# ---------------------------------------------------------------- signatures

# "For X:", or "For X: [subject to the confirmation of its capacity …]" (signatures: an unconfirmed capacity)
_SIGNER = re.compile(r"^For (.+?):(?:\s*\[[^\]\n]*\])?\s*$", re.MULTILINE)
_PARTIES_LIST = re.compile(r"\bbetween (?P<names>.+?),? hereinafter", re.S)
_PARTICIPANTS_LIST = re.compile(
    r"(?:together with|By signing this Memorandum,) (?P<names>.+?) \(the \"Participants?\"\)", re.S
)


def _bare(name: str) -> str:
    return re.sub(r"^the ", "", name.strip(), flags=re.I)


def _names_in(listing: str, known: Iterable[str]) -> list[str]:
    """The names a list ('A, B and C') holds: the known names found in it (longest first), then whatever is left
    between the separators, each as a name."""
    found: list[tuple[int, str]] = []
    rest = listing
    for name in sorted({_bare(k) for k in known if k.strip()}, key=len, reverse=True):
        i = rest.find(name)
        if i >= 0:
            found.append((i, name))
            rest = rest[:i] + "\0" * len(name) + rest[i + len(name) :]
    for m in re.finditer(r"[^\0]+", rest):
        for piece in re.split(r",\s*(?:and\s+)?|\s+and\s+", m.group(0)):
            piece = _bare(piece.strip(" ,;"))
            if piece and piece not in ("and", "the"):
                found.append((m.start(), piece))
    return [n for _, n in sorted(found)]


def _signatures(d: _Draft) -> list[Finding]:
    """The Parties the parties block names (before 'hereinafter') each have one signature block, and nobody else
    signs the instrument; the Participants of a Memorandum of Participation annex sign that annex, and only they."""
    out: list[Finding] = []
    signers = [_bare(s) for s in _SIGNER.findall(d.signatures)]
    m = _PARTIES_LIST.search(d.parties.split("\n\n")[0]) if d.parties else None
    parties = _names_in(m.group("names"), [*d.designations, *signers]) if m else [_bare(n) for n in d.designations]
    if d.signatures.strip() and parties:
        out += _sign_once("Signatures", parties, signers, "Party", "the instrument")
    memo = next((x for x in d.annexes if "Memorandum of Participation" in x.heading), None)
    if memo is not None:
        annex_signers = [_bare(s) for s in _SIGNER.findall(memo.text)]
        participants = _participants(d)
        out += _sign_once(memo.place, participants, annex_signers, "Participant", "the Memorandum of Participation")
        for name in set(participants) & set(signers):
            out.append(
                _error(
                    "signatures",
                    "Signatures",
                    f"{name} is a Participant, not a Party, but signs the instrument.",
                    f"Take its block out of the signatures; it signs the Memorandum of Participation ({memo.place}).",
                )
            )
    return out


def _known_names(d: _Draft) -> list[str]:
    """The names the draft gives its Parties and Participants: designations and signature blocks."""
    return [*d.designations, *_SIGNER.findall(d.signatures), *(n for x in d.annexes for n in _SIGNER.findall(x.text))]


def _sign_once(place: str, members: list[str], signers: list[str], who: str, what: str) -> list[Finding]:
    """Each member signs ``what`` once; every signer is a member."""
    out = []
    for name in dict.fromkeys(members):
        k = signers.count(name)
        if k != 1:
            out.append(
                _error(
                    "signatures",
                    place,
                    f"{name}, a {who}, has {'no' if k == 0 else k} signature block{'s' if k > 1 else ''} in {what}.",
                    f"Give each {who} exactly one block 'For {name}:'.",
                )
            )
    for name in dict.fromkeys(signers):
        if name not in members:
            out.append(
                _error(
                    "signatures",
                    place,
                    f"{name} signs {what} but is not named as a {who}.",
                    f"Name it among the {who}s, or take out its signature block.",
                )
            )
    return out


def _scenario_signatories(d: _Draft, scenario: Any) -> list[Finding]:
    """With the scenario: each body that signs (``signing.signatories``) has a signature block, in the instrument or
    in the Memorandum of Participation, under the name the draft gives it; a body that takes part without signing
    has none."""
    from .assembly import designation  # the scenario side of the rule; the draft side needs none
    from .signing import non_signatories, signatories

    signed = {_bare(n) for n in _known_names(d)[len(d.designations) :]}
    out = []
    for p in signatories(scenario):
        if _bare(designation(p)) not in signed:
            out.append(
                _error(
                    "signatures",
                    "Signatures",
                    f"{_bare(designation(p))} signs, as the scenario has it, but has no signature block.",
                    "Add its block to the signatures (or to the Memorandum of Participation if it joins that).",
                )
            )
    for p in non_signatories(scenario):
        if _bare(designation(p)) in signed:
            out.append(
                _error(
                    "signatures",
                    "Signatures",
                    f"{_bare(designation(p))} takes part without signing, but has a signature block.",
                    "Take its block out.",
                )
            )
    return out


# ---------------------------------------------------------------- costs

_MONEY = r"[\d,]+(?:\.\d+)?"


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _cost_annex(d: _Draft) -> _Part | None:
    return next((x for x in d.annexes if re.search(r"allocation of costs|\bcosts\b", x.heading, re.I)), None)


def _cost_table(text: str) -> tuple[str, list[list[str]]] | None:
    """Annex B's table ('Bearer | Share | Amount (USD) | Basis'; 'Party' in drafts saved before round 20), as its
    header and rows."""
    lines = text.split("\n")
    head = next((i for i, line in enumerate(lines) if re.match(r"(?:Bearer|Party) \| Share \|", line)), None)
    if head is None:
        return None
    rows = []
    for line in lines[head + 1 :]:
        if " | " not in line:
            break
        rows.append([c.strip() for c in line.split(" | ")])
    return lines[head], rows


_OF_ACTUAL = re.compile(r"(\d+(?:\.\d+)?)\s*% of (?:the remainder, after co-financing, of )?the actual costs")


def _cost_shares(d: _Draft) -> list[Finding]:
    """Annex B's shares add up to 100 % and its amounts to the estimated total the annex states; where the annex
    deducts co-financing ('USD X of co-financing and USD Y among the Parties') and lists no co-financier, the
    amounts add up to the net Y instead; each amount is its share of that base."""
    annex = _cost_annex(d)
    table = _cost_table(annex.text) if annex else None
    if annex is None or table is None:
        return []
    header, rows = table
    out: list[Finding] = []
    shares, amounts = [], []
    for row in rows:
        share = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", row[1]) if len(row) > 1 else None
        amount = re.fullmatch(_MONEY, row[2]) if len(row) > 2 and "Amount" in header else None
        of_actual = len(row) > 2 and _OF_ACTUAL.fullmatch(row[2])
        if of_actual and share and of_actual.group(1) != share.group(1):
            out.append(
                _error(
                    "cost_shares",
                    annex.place,
                    f"{row[0]}: the share is {row[1]} but the amount column says {row[2]}.",
                    "Give the row one share.",
                )
            )
        if share is None or (len(row) > 2 and "Amount" in header and amount is None and not of_actual):
            out.append(
                _error(
                    "cost_shares",
                    annex.place,
                    f"The row for {row[0]} does not read as a share and an amount: {' | '.join(row[:3])}.",
                    "Give a percentage and an amount in each row.",
                )
            )
            return out
        shares.append(float(share.group(1)))
        if amount:
            amounts.append(_number(amount.group(0)))
    total_share = sum(shares)
    if abs(total_share - 100) > 0.006 * len(shares) + 1e-9:
        out.append(
            _error(
                "cost_shares",
                annex.place,
                f"The shares add up to {total_share:.2f}%, not 100%.",
                "Correct the shares so that together they cover the whole cost.",
            )
        )
    total = re.search(rf"estimated total cost of [A-Z]{{3}} ({_MONEY})", annex.text)
    if not amounts or total is None:
        return out
    gross = _number(total.group(1))
    net = re.search(rf"[A-Z]{{3}} ({_MONEY}) of co-financing and [A-Z]{{3}} ({_MONEY}) among the Parties", annex.text)
    bases = [gross] + ([_number(net.group(2))] if net else [])
    tolerance = 0.01 * len(amounts) + 0.01
    if not any(abs(sum(amounts) - b) <= tolerance for b in bases):
        out.append(
            _error(
                "cost_shares",
                annex.place,
                f"The amounts add up to {sum(amounts):,.2f}, not to the total of {gross:,.2f}"
                + (f" or the {bases[1]:,.2f} left after co-financing." if net else "."),
                "Recompute the amounts from the shares and the estimated total.",
            )
        )
        return out
    base = next(b for b in bases if abs(sum(amounts) - b) <= tolerance)
    for row, share, amount in zip(rows, shares, amounts, strict=True):
        if abs(share / 100 * base - amount) > base * 0.0001 + 0.01:  # one unit of the share's last digit
            out.append(
                _error(
                    "cost_shares",
                    annex.place,
                    f"{row[0]}: {share:.2f}% of {base:,.2f} is {share / 100 * base:,.2f}, not {amount:,.2f}.",
                    "Make the amount and the share of each row agree.",
                )
            )
    return out


def _computed_shares(d: _Draft, scenario: Any, advice: Mapping[str, Any]) -> list[Finding]:
    """With the scenario and the answer: each amount in Annex B's table is the amount the cost engine computed for
    that party (``cost_allocation.shares``)."""
    from .assembly import party_name

    annex = _cost_annex(d)
    table = _cost_table(annex.text) if annex else None
    if annex is None or table is None:
        return []
    # a Party's share may be shown on several rows (its own nationals; the persons no State of nationality pays for
    # that it bears): their amounts add up to its computed share
    rows: dict[str, list[str]] = {}
    for row in table[1]:
        if len(row) > 2:
            sought = row[0].removeprefix("Donor contributions sought by ")
            rows.setdefault(sought.removeprefix("the ") if sought != row[0] else sought, []).append(row[2])
    out = []
    for share in (advice.get("cost_allocation") or {}).get("shares") or []:
        name = party_name(scenario, share.get("party"))
        cells, computed = rows.get(name), share.get("amount")
        if not cells or computed is None or not all(re.fullmatch(_MONEY, c) for c in cells):
            continue
        shown = f"{sum(_number(c) for c in cells):,.2f}"
        if abs(_number(shown) - computed) > 0.01:
            out.append(
                _error(
                    "cost_shares",
                    annex.place,
                    f"{name}: Annex B shows {shown}, but its computed share is {computed:,.2f}.",
                    "Show the computed amount, or recompute the shares.",
                )
            )
    return out


_OWED = re.compile(
    r"owed by (?P<debtors>[^,.;]+?),? to be (?:repaid|recovered|reimbursed) within (?P<deadline>[^.;,]+)"
)
_SHARES_ADVANCED = re.compile(
    r"shares? of (?P<debtors>[^.;:]+?) (?:is|are) advanced by [^.;]*? and (?:repaid|recovered) "
    r"within (?P<deadline>[^.;,]+)"
)
_PERIOD = re.compile(r"(\d+|one|two|three|six|twelve|thirty|sixty|ninety) (day|week|month|year)s?")


def _period(deadline: str) -> str:
    """'12 months of receipt of the claim' -> '12 months': the length that two mentions must agree on."""
    m = _PERIOD.match(deadline.strip())
    return f"{m.group(1)} {m.group(2)}s" if m else deadline.strip()


def _repayment_deadlines(d: _Draft) -> list[Finding]:
    """What one party owes for an advance is repaid within one period: the cost article ('the shares of A and B
    are advanced by C … and repaid within 12 months') and the cost annex ('USD X owed by A, to be repaid within 12
    months') do not give the same debtor two periods."""
    out = []
    periods: dict[str, dict[str, str]] = defaultdict(dict)
    known = _known_names(d)
    for part in [*d.articles, *d.annexes]:
        for pattern in (_OWED, _SHARES_ADVANCED):
            for m in pattern.finditer(part.text):
                for debtor in _names_in(m.group("debtors"), known):
                    periods[debtor].setdefault(_period(m.group("deadline")), part.place)
    for debtor, found in periods.items():
        if len(found) > 1:
            out.append(
                _error(
                    "repayment_deadline",
                    list(found.values())[-1],
                    f"What {debtor} owes is to be repaid within "
                    + " and within ".join(f"{k} ({v})" for k, v in found.items())
                    + ".",
                    "Give the repayment one deadline, in the cost article, and refer to it elsewhere.",
                )
            )
    return out


# ---------------------------------------------------------------- wording


def instrument_of(d: _Draft) -> str:
    """What the draft calls itself: from the parties block ('This Memorandum of Understanding records …'), else
    the draft's ``instrument``, else its title."""
    m = re.search(
        r"\bThis ((?:[A-Z][\w-]*(?: of| on)? ?)+?) (?:records|is concluded|is made|sets out|is entered)", d.parties
    )
    if m:
        return m.group(1).strip()
    return d.instrument or d.title


_SHALL = re.compile(r"[Ss]hall(?!\w)")


def _binding_wording(d: _Draft) -> list[Finding]:
    """A memorandum records intentions: its articles and annexes say 'will', never 'shall'. Under a binding
    agreement, the Memorandum of Participation annex is a memorandum too."""
    memo_form = instrument_of(d).startswith("Memorandum")
    out = []
    for part in [*d.articles, *d.annexes]:
        if not (memo_form or "Memorandum of Participation" in part.heading):
            continue
        for where in (part.heading, part.text):
            found = [m for m in _SHALL.finditer(where) if _starts_word(where, m.start())]
            if found:
                m, k = found[0], len(found)
                out.append(
                    _error(
                        "binding_wording",
                        part.place,
                        f"'shall' ({k}×) in a memorandum, which records intentions and creates no obligations: "
                        f"{_quote(where, m.start(), m.end())}.",
                        "Say 'will' (or 'intends to'), or make the instrument an agreement.",
                    )
                )
                break
    return out


def _participants(d: _Draft) -> list[str]:
    """The Participants the Memorandum of Participation annex names ('By signing this Memorandum, A and B (the
    "Participants")', or 'together with A and B (the "Participants")'), if the draft has one."""
    memo = next((x for x in d.annexes if "Memorandum of Participation" in x.heading), None)
    pm = _PARTICIPANTS_LIST.search(memo.text) if memo else None
    return _names_in(pm.group("names"), _SIGNER.findall(memo.text)) if memo and pm else []


def _participants_bound(d: _Draft) -> list[Finding]:
    """A Participant signs a memorandum, not the agreement: no article makes it the subject of 'shall' ('X shall
    provide', 'X, as transport provider, shall') or its agent ('shall be provided by X')."""
    out = []
    for name in _participants(d):
        n = re.escape(name)
        bound = re.compile(
            rf"{n}(?: \([^()]*\))?(?:, as [^,;.]+,)?(?: each| also| jointly)? shall\b(?! be\b)"
            rf"|shall (?:not )?be (?:[a-z]+ ){{0,4}}?(?:by|the responsibility of) (?:the )?{n}"
        )
        for a in d.articles:
            m = bound.search(a.text) if name in a.text else None
            if m:
                out.append(
                    _error(
                        "binding_wording",
                        a.place,
                        f"{name} is a Participant, which records intentions, but the article binds it: "
                        f"{_quote(a.text, m.start(), m.end())}.",
                        f"Say what {name} will do ('will'), or make it a Party.",
                    )
                )
    return out


_Why = tuple[str, str]  # what the artefact is, and how to fix it
_BRACES: _Why = ("template braces", "Fill the template field or take it out.")
_EMPTY: _Why = ("an empty value", "Write the value the field stands for.")
_PUNCTUATION: _Why = ("doubled or stray punctuation", "Take out the stray punctuation.")
_NOTE: _Why = ("a note to self", "Replace the note with the text it stands for, or take out what refers to it.")
_DOUBLED_WORDS = ("the", "of", "and", "to", "a", "shall", "will")
_AFTER_SPACE: _Why = ("", "")  # which artefact it is depends on what follows the space: ``_after_space``
_SPACE_WHY: dict[str, _Why] = {
    " ": ("a doubled space", "Take out the extra space."),
    "word": ("a doubled word", "Take out the repeated word."),
}
# Literal-first patterns (speed), each with what it finds; the word boundaries are checked in ``_artefact_at``.
_ARTEFACTS: tuple[tuple[re.Pattern[str], _Why], ...] = (
    (re.compile(r"\{[{%#]"), _BRACES),
    (re.compile(r"\}\}"), _BRACES),
    (re.compile(r"%\}"), _BRACES),
    *((re.compile(word + r"(?![\w-])"), _EMPTY) for word in ("None", "null", "undefined", "Undefined", "nan", "NaN")),
    (re.compile(r"_[a-z0-9]"), ("a raw id", "Write the name it stands for.")),
    *((re.compile(mark + r"\s*[,;:.]"), _PUNCTUATION) for mark in (",", ";", ":")),
    *((re.compile(p), _PUNCTUATION) for p in (r"\.\.", r"\(\s*\)", r"\[\s*\]")),
    *((re.compile(p), _NOTE) for p in ("not part of this draft", r"\[TODO\b", r"\[TBD\b", r"\[FIXME\b")),
    # after a space: another space, a stray punctuation mark, a doubled word (one pattern: spaces are many)
    (re.compile(rf" (?: +|[,;:]|\.(?!\d)|(?P<word>{'|'.join(_DOUBLED_WORDS)}) (?P=word) )"), _AFTER_SPACE),
)
_RAW_ID = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")


def _after_space(m: re.Match[str]) -> _Why:
    """What a match of the after-a-space pattern found: a doubled space, a doubled word or stray punctuation."""
    if m.group("word"):
        return _SPACE_WHY["word"]
    return _SPACE_WHY[" "] if not m.group(0).strip() else _PUNCTUATION


def _artefact_at(text: str, m: re.Match[str], what: str) -> tuple[int, int] | None:
    """Where the artefact matched at ``m`` lies, or None when the match is ordinary text: 'None of the Parties',
    an ellipsis, a raw id's underscore inside a longer word, an address or a signature line, spaces that align a
    table."""
    i, j = m.start(), m.end()
    if what == "an empty value":
        return None if not _starts_word(text, i) or text.startswith(" of", j) else (i, j)
    if what == "a raw id":
        k = i
        while k > 0 and (text[k - 1].isalnum() or text[k - 1] == "_"):
            k -= 1
        token = _RAW_ID.match(text, k)
        if token is None or token.end() <= i or text[k - 1 : k] in ("@", "/", ".", "-") or "__" in token.group(0):
            return None
        if text[token.end() : token.end() + 1] in ("@", "-") or text[token.end() : token.end() + 1].isalnum():
            return None
        return k, token.end()
    if what == "a doubled space":
        return None if i == 0 or text[i - 1] in " \n" or j >= len(text) or text[j] == "\n" else (i, j)
    if m.group(0) == ".." and (text.startswith("...", i) or text[i - 1 : i] == "."):
        return None
    return i, j


def _artefacts(d: _Draft) -> list[Finding]:
    """No template residue: braces, empty values ('None'), raw ids with underscores, doubled spaces, punctuation
    or words, or a note that part of the text is missing. One finding per kind and place (the first). The parts
    are searched as one text (speed), each match placed in its part."""
    parts = d.parts()
    texts = [p.text.replace("_" * 30, " " * 30) if "___" in p.text else p.text for p in parts]
    starts, at = [], 0
    for t in texts:
        starts.append(at)
        at += len(t) + 2
    text = "\n\0".join(texts)
    seen: set[tuple[str, int]] = set()
    out = []
    for pattern, why in _ARTEFACTS:
        for m in pattern.finditer(text):
            what, fix = _after_space(m) if why is _AFTER_SPACE else why
            i = bisect_right(starts, m.start()) - 1
            if (what, i) in seen:
                continue
            where = _artefact_at(text, m, what)
            if where is not None:
                seen.add((what, i))
                out.append(_error("artefact", parts[i].place, f"{what.capitalize()}: {_quote(text, *where)}.", fix))
    return out


_HOLE = re.compile(r"\[(?:to be (?:agreed|completed|confirmed|determined)|to be agreed by)[^\[\]]*\]")


def _roles_in_articles(d: _Draft) -> list[Finding]:
    """Each body Annex A gives a role is named in an operative article (not only in the definitions): a role with no
    article is a role nobody has to perform."""
    annex = next((a for a in d.annexes if a.place == "Annex A"), None)
    if annex is None:
        return []
    body = " ".join(a.text for a in d.articles if a.heading.strip().lower() != "definitions")
    out = []
    seen: set[str] = set()
    for line in annex.text.splitlines()[1:]:
        cells = [c.strip() for c in line.split("|")]
        if len(cells) < 2 or not cells[1] or cells[1].startswith("[") or cells[1] in seen:
            continue
        role, who = cells[0], cells[1]
        seen.add(who)
        if who not in body and who.removeprefix("the ") not in body:
            out.append(
                _error(
                    "annex_a_roles",
                    "Annex A",
                    f"Annex A gives {who} the role of {role}, but no article says what {who} does.",
                    "Name it in the article that sets out that role, or take the row out of Annex A.",
                )
            )
    return out


_AMOUNT = r"([A-Z]{3}) ([0-9][0-9,]*(?:\.[0-9]+)?)"
_CEILING = re.compile(r"aggregate amount outstanding at any time (?:of|equal to) " + _AMOUNT)
_ADVANCE = re.compile(r"\badvances " + _AMOUNT)


def _advance_ceiling(d: _Draft) -> list[Finding]:
    """The Advances Annex B sets out add up to no more than the ceiling the advance article sets, in its currency."""
    ceilings = [(a, m) for a in d.articles for m in _CEILING.finditer(a.text)]
    annex_b = next((a for a in d.annexes if a.place == "Annex B"), None)
    if not ceilings or annex_b is None:
        return []
    article, m = ceilings[0]
    currency, ceiling = m.group(1), float(m.group(2).replace(",", ""))
    advances = [(c, float(v.replace(",", ""))) for c, v in _ADVANCE.findall(annex_b.text)]
    total = sum(v for c, v in advances if c == currency)
    out = []
    if total > ceiling + 0.005:
        out.append(
            _error(
                "advance_ceiling",
                article.place,
                f"The Advances set out in Annex B add up to {currency} {total:,.2f}, above the ceiling of {currency} "
                f"{ceiling:,.2f} that {article.place} sets.",
                "Raise the ceiling to cover the Advances, or advance less in Annex B.",
            )
        )
    if any(c != currency for c, _ in advances):
        out.append(
            _warning(
                "advance_ceiling",
                "Annex B",
                f"Annex B sets out Advances in another currency than the ceiling's ({currency}).",
                "State the Advances and the ceiling in one currency.",
            )
        )
    return out


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _risk_safeguards(answer: Mapping[str, Any]) -> list[Finding]:
    """Every risk the answer flags has each of its safeguards in the draft: an article drafted from that clause, or
    an annex that bears its name (the Data-Sharing Protocol)."""
    draft = answer.get("draft") or {}
    articles = {a.get("clause") for a in draft.get("articles") or [] if isinstance(a, Mapping)}
    annexes = [_letters(str(a.get("title", ""))) for a in draft.get("annexes") or [] if isinstance(a, Mapping)]
    out = []
    for flag in answer.get("risk_flags") or []:
        if not isinstance(flag, Mapping):
            continue
        for safeguard in flag.get("safeguards") or []:
            if safeguard in articles or any(_letters(str(safeguard)) in title for title in annexes):
                continue
            out.append(
                _error(
                    "risk_safeguards",
                    "Articles",
                    f"The risk '{str(flag.get('id', '')).replace('_', ' ')}' calls for the safeguard "
                    f"'{str(safeguard).replace('_', ' ')}', which no article or annex of the draft provides.",
                    "Add the safeguard's article, or record why the Parties leave the risk open.",
                )
            )
    return out


def _open_points(d: _Draft) -> list[Finding]:
    """Each distinct '[to be agreed: …]' or '[to be completed]' hole, once per place, with how often it occurs."""
    out = []
    for part in d.parts():
        for hole, k in Counter(_HOLE.findall(part.text)).items():
            out.append(
                Finding(
                    "open_point",
                    "open_point",
                    part.place,
                    f"{hole}{f' ({k}×)' if k > 1 else ''}",
                    "The negotiators agree the text and write it in.",
                )
            )
    return out
