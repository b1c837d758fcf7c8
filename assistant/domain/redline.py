"""Redlines: what changed between two drafts, article by article and word by word.

Articles are matched by their clause id, so an article that moved or was renumbered is still the same
article; annexes by their title without the "Annex X." lettering. Inside a changed part, paragraphs are
aligned first and then compared word by word (``difflib.SequenceMatcher`` on word tokens). The title,
the parties block, the preamble and the signatures are compared the same way.

Pure: no Flask, no database.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import Literal

from .advice import Draft

Kind = Literal["added", "removed", "changed", "moved", "unchanged"]
Part = Literal["title", "parties", "preamble", "article", "signatures", "annex"]
SegmentKind = Literal["equal", "insert", "delete"]

PAIR_RATIO = 0.5  # two paragraphs at least this similar are shown as one paragraph that changed
_TOKEN = re.compile(r"\S+\s*")
_NUMBERING = re.compile(r"^\(?\d+[.)]\s*|^\([a-z]\)\s*")
_ANNEX_LETTER = re.compile(r"^(Annex\s+[A-Z0-9]+)\.\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Segment:
    """A run of words that is in both texts (equal), only in the new one (insert) or only in the old one."""

    kind: SegmentKind
    text: str


@dataclass(frozen=True)
class Paragraph:
    segments: tuple[Segment, ...]

    @property
    def kind(self) -> str:
        """equal, insert (a new paragraph), delete (a paragraph taken out) or changed."""
        kinds = {s.kind for s in self.segments}
        return kinds.pop() if len(kinds) == 1 else "changed"

    @property
    def old(self) -> str:
        return "".join(s.text for s in self.segments if s.kind != "insert").strip()

    @property
    def new(self) -> str:
        return "".join(s.text for s in self.segments if s.kind != "delete").strip()


@dataclass(frozen=True)
class ArticleChange:
    """One part of the draft (an article, an annex, the preamble...) compared between two drafts.

    ``kind``: added, removed, changed (heading or text), moved (same text, another number or place),
    unchanged. ``heading`` and ``paragraphs`` carry the word-level differences (all ``equal`` when
    nothing changed), so the whole part can be shown with its changes marked.
    """

    part: Part
    key: str
    kind: Kind
    old_number: str | None = None
    new_number: str | None = None
    old_heading: str | None = None
    new_heading: str | None = None
    heading: tuple[Segment, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    reordered: bool = False

    @property
    def renumbered(self) -> bool:
        return self.old_number is not None and self.new_number is not None and self.old_number != self.new_number

    @property
    def number(self) -> str | None:
        """The number in the new draft (the old one for a removed article)."""
        return self.new_number if self.new_number is not None else self.old_number

    @property
    def title(self) -> str:
        """The heading in the new draft (the old one for a removed part)."""
        return (self.new_heading if self.new_heading is not None else self.old_heading) or ""

    @property
    def changed(self) -> bool:
        return self.kind != "unchanged"

    @property
    def anchor(self) -> str:
        """An id for the part in a page: ``rl-article-scope``, ``rl-annex-contact-points``..."""
        return "rl-" + re.sub(r"[^a-z0-9_]+", "-", f"{self.part}-{self.key}".lower()).strip("-")

    @property
    def text_changed(self) -> bool:
        return any(p.kind != "equal" for p in self.paragraphs)

    @property
    def heading_changed(self) -> bool:
        return any(s.kind != "equal" for s in self.heading)


@dataclass(frozen=True)
class Summary:
    """How many articles were added, removed, changed and moved, and which other parts changed."""

    added: list[ArticleChange] = field(default_factory=list)
    removed: list[ArticleChange] = field(default_factory=list)
    changed: list[ArticleChange] = field(default_factory=list)
    moved: list[ArticleChange] = field(default_factory=list)
    unchanged: int = 0
    other: list[ArticleChange] = field(default_factory=list)  # title, parties, preamble, signatures, annexes

    @property
    def identical(self) -> bool:
        return not (self.added or self.removed or self.changed or self.moved or self.other)


# ---------------------------------------------------------------- words and paragraphs


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs as the documents show them: separated by a blank line, empty ones dropped."""
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.strip())


def _gap(token: str) -> str:
    """The spacing after a word."""
    return token[len(token.rstrip()) :]


def _merge(segments: list[Segment]) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for s in segments:
        if not s.text:
            continue
        if out and out[-1].kind == s.kind:
            out[-1] = Segment(s.kind, out[-1].text + s.text)
        else:
            out.append(s)
    return tuple(out)


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """The words of ``new`` with those of ``old`` that were taken out, as equal/insert/delete segments.

    Words are compared without the spacing after them; the spacing shown is the new text's (the old
    one's for deleted words), so line breaks inside a paragraph survive.
    """
    a, b = _tokens(old), _tokens(new)
    matcher = SequenceMatcher(None, [t.rstrip() for t in a], [t.rstrip() for t in b], autojunk=False)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            text = "".join(b[j1:j2])
            gap_a, gap_b = _gap(a[i2 - 1]), _gap(b[j2 - 1])
            if gap_a == gap_b or not gap_a:  # no spacing of the old text would be lost (it ends a paragraph)
                segments.append(Segment("equal", text))
            else:  # the spacing after the run differs (a sentence taken out after it): each side keeps its own
                segments.append(Segment("equal", text[: len(text) - len(gap_b)]))
                segments.append(Segment("delete", gap_a))
                segments.append(Segment("insert", gap_b))
            continue
        if tag in ("delete", "replace"):
            segments.append(Segment("delete", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            segments.append(Segment("insert", "".join(b[j1:j2])))
    return _merge(segments)


def _key(paragraph: str) -> str:
    """A paragraph without its numbering, so inserting "2." does not make "3." look like a new text."""
    return _NUMBERING.sub("", paragraph)


def _similar(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, a.split(), b.split(), autojunk=False)
    if matcher.real_quick_ratio() < PAIR_RATIO or matcher.quick_ratio() < PAIR_RATIO:
        return 0.0
    return matcher.ratio()


def _pair(old: list[str], new: list[str]) -> list[tuple[str | None, str | None]]:
    """Pair the paragraphs of a replaced block in order, each old one with its most similar new one
    (one paragraph replaced by one is always shown as a paragraph that changed)."""
    if len(old) == len(new) == 1:
        return [(old[0], new[0])]
    out: list[tuple[str | None, str | None]] = []
    j = 0
    for o in old:
        best, best_ratio = None, PAIR_RATIO
        for k in range(j, len(new)):
            ratio = _similar(o, new[k])
            if ratio >= best_ratio and (best is None or ratio > best_ratio):
                best, best_ratio = k, ratio
        if best is None:
            out.append((o, None))
            continue
        out.extend((None, n) for n in new[j:best])
        out.append((o, new[best]))
        j = best + 1
    out.extend((None, n) for n in new[j:])
    return out


def text_diff(old: str, new: str) -> tuple[Paragraph, ...]:
    """Two texts of paragraphs compared: paragraphs aligned, then word by word inside paired ones."""
    a, b = split_paragraphs(old), split_paragraphs(new)
    matcher = SequenceMatcher(None, [_key(p) for p in a], [_key(p) for p in b], autojunk=False)
    pairs: list[tuple[str | None, str | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(a[i1:i2], b[j1:j2], strict=True))
        else:
            pairs.extend(_pair(a[i1:i2], b[j1:j2]))
    out = []
    for o, n in pairs:
        if o is None:
            out.append(Paragraph((Segment("insert", n or ""),)))
        elif n is None:
            out.append(Paragraph((Segment("delete", o),)))
        elif o == n:
            out.append(Paragraph((Segment("equal", n),)))
        else:
            out.append(Paragraph(word_diff(o, n)))
    return tuple(out)


def _heading_diff(old: str | None, new: str | None) -> tuple[Segment, ...]:
    if old is None:
        return (Segment("insert", new or ""),) if new else ()
    if new is None:
        return (Segment("delete", old),) if old else ()
    return word_diff(old, new) if old != new else ((Segment("equal", new),) if new else ())


# ---------------------------------------------------------------- matching


def _keyed(items: list, key) -> dict[str, object]:
    """Items by key; a key met twice gets "#2", "#3"... so nothing is lost."""
    seen: Counter[str] = Counter()
    out = {}
    for item in items:
        k = key(item)
        seen[k] += 1
        out[k if seen[k] == 1 else f"{k}#{seen[k]}"] = item
    return out


def _in_order(old_keys: list[str], new_keys: list[str]) -> list[tuple[str | None, str | None]]:
    """Every key once, in the new order, with those only in the old list where they stood before."""
    new_set = set(new_keys)
    after: dict[str | None, list[str]] = {}
    anchor: str | None = None
    for k in old_keys:
        if k in new_set:
            anchor = k
        else:
            after.setdefault(anchor, []).append(k)
    out: list[tuple[str | None, str | None]] = [(k, None) for k in after.get(None, [])]
    old_set = set(old_keys)
    for k in new_keys:
        out.append((k if k in old_set else None, k))
        out.extend((r, None) for r in after.get(k, []))
    return out


def _reordered(old_keys: list[str], new_keys: list[str]) -> set[str]:
    """The keys in both lists that are not in their longest common order: those that moved."""
    old_set, new_set = set(old_keys), set(new_keys)
    common_old = [k for k in old_keys if k in new_set]
    common_new = [k for k in new_keys if k in old_set]
    matcher = SequenceMatcher(None, common_old, common_new, autojunk=False)
    kept = {k for block in matcher.get_matching_blocks() for k in common_new[block.b : block.b + block.size]}
    return set(common_new) - kept


def _change(part: Part, key: str, old, new, number, heading, text, reordered: bool = False) -> ArticleChange:
    """Compare one part; ``number``/``heading``/``text`` read the fields from an article, annex..."""
    old_number, new_number = (number(old) if old is not None else None), (number(new) if new is not None else None)
    old_heading, new_heading = (heading(old) if old is not None else None), (heading(new) if new is not None else None)
    paragraphs = text_diff(text(old) if old is not None else "", text(new) if new is not None else "")
    change = ArticleChange(
        part=part,
        key=key,
        kind="unchanged",
        old_number=old_number,
        new_number=new_number,
        old_heading=old_heading,
        new_heading=new_heading,
        heading=_heading_diff(old_heading, new_heading),
        paragraphs=paragraphs,
        reordered=reordered and old is not None and new is not None,
    )
    if old is None:
        kind: Kind = "added"
    elif new is None:
        kind = "removed"
    elif change.text_changed or change.heading_changed:
        kind = "changed"
    elif change.renumbered or change.reordered:
        kind = "moved"
    else:
        kind = "unchanged"
    return replace(change, kind=kind)


def _block(part: Part, old: str, new: str) -> ArticleChange | None:
    """The title, parties, preamble or signatures; None when the block is in neither draft."""
    if not old and not new:
        return None
    return _change(
        part,
        part,
        old or None,
        new or None,
        number=lambda _: None,
        heading=lambda _: None,
        text=lambda t: t,
    )


def _annex_letter(title: str) -> str | None:
    """ "Annex B" of "Annex B. Allocation of costs" (None for an annex without a letter)."""
    match = _ANNEX_LETTER.match(title)
    return match.group(1) if match else None


def _annex_name(title: str) -> str:
    """ "Allocation of costs" of "Annex B. Allocation of costs"."""
    return _ANNEX_LETTER.sub("", title).strip()


def redline(old: Draft, new: Draft) -> list[ArticleChange]:
    """Everything in the two drafts, in the new draft's order, each part compared.

    The list holds the title, the parties block and the preamble, then the articles (matched by clause
    id; a removed article stays where it stood in the old draft), the signatures, and the annexes.
    Identical drafts give only ``unchanged`` entries.
    """
    changes: list[ArticleChange] = []
    for part, a, b in (
        ("title", f"{old.instrument}\n\n{old.title}", f"{new.instrument}\n\n{new.title}"),
        ("parties", old.parties, new.parties),
        ("preamble", old.preamble, new.preamble),
    ):
        block = _block(part, a, b)  # type: ignore[arg-type]
        if block:
            changes.append(block)

    old_articles = _keyed(old.articles, lambda a: a.clause or f"heading:{a.heading}")
    new_articles = _keyed(new.articles, lambda a: a.clause or f"heading:{a.heading}")
    moved = _reordered(list(old_articles), list(new_articles))
    for o, n in _in_order(list(old_articles), list(new_articles)):
        key = n or o or ""
        changes.append(
            _change(
                "article",
                key,
                old_articles.get(o) if o else None,
                new_articles.get(n) if n else None,
                number=lambda a: a.number,
                heading=lambda a: a.heading,
                text=lambda a: a.text,
                reordered=key in moved,
            )
        )

    block = _block("signatures", old.signatures, new.signatures)
    if block:
        changes.append(block)

    def annex_key(annex) -> str:
        return annex.clause or _annex_name(annex.title).lower()

    old_annexes, new_annexes = _keyed(old.annexes, annex_key), _keyed(new.annexes, annex_key)
    moved = _reordered(list(old_annexes), list(new_annexes))
    for o, n in _in_order(list(old_annexes), list(new_annexes)):
        key = n or o or ""
        changes.append(
            _change(
                "annex",
                key,
                old_annexes.get(o) if o else None,
                new_annexes.get(n) if n else None,
                number=lambda a: _annex_letter(a.title),
                heading=lambda a: _annex_name(a.title),
                text=lambda a: a.text,
                reordered=key in moved,
            )
        )
    return changes


def summarize(changes: list[ArticleChange]) -> Summary:
    """The articles added, removed, changed and moved, and the other parts that changed."""
    articles = [c for c in changes if c.part == "article"]
    return Summary(
        added=[c for c in articles if c.kind == "added"],
        removed=[c for c in articles if c.kind == "removed"],
        changed=[c for c in articles if c.kind == "changed"],
        moved=[c for c in articles if c.kind == "moved"],
        unchanged=sum(c.kind == "unchanged" for c in articles),
        other=[c for c in changes if c.part != "article" and c.changed],
    )
