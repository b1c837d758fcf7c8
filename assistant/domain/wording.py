"""The wording of a memorandum (issue 13, item 2): the words of a treaty that express a legal obligation, and the
words a memorandum of understanding uses instead, in one place, with their source.

Source: UK Foreign, Commonwealth and Development Office, Treaty Section, "Treaties and Memoranda of Understanding
(MOUs): Guidance on Practice and Procedures" (2022), part (iv) "MOUs", "Terminology": an MOU records commitments "in a
form and with wording which expresses an intention that it is not to be binding"; its table of terms has "will" for
"shall", "come into effect" for "enter into force", "commitments" for "obligations", "carry out" for "undertake" and
"equally valid" for "equally authentic".

Two transformations, both pure and idempotent:

* ``non_binding(text)``: every sentence of a memorandum (assembly applies it to every article, annex, the parties
  block, the preamble and the signatures). A sentence that says the instrument creates no legal obligations ("It does
  not create legally binding obligations under international law …") keeps its words, so it still says so; only its
  modal verbs change.
* ``non_binding_for(text, subjects, names)``: in a binding instrument, only the sentences whose subject (or, in the
  passive, whose agent) is one of ``subjects``, the bodies that cannot be bound (the Participants of a framework,
  the bodies taking part without signing, a term all of whose holders are such bodies, a class of bodies none of
  which is a Party): "the Hope Shelters Network shall provide" becomes "will provide", and "shelter shall be
  provided by the Hope Shelters Network" "will be provided". ``term_holders`` finds the terms a text defines inline
  ('X and Y (the "Tracing Service")') and ``holds_only`` whether all their holders are such bodies.

"Obligations" become "commitments" only where they are the instrument's own ("the obligations of the Parties under
this Article"): obligations under international law, national law or another treaty stay what they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

Replacement = str | Callable[[re.Match[str]], str]


def _commitment(m: re.Match[str]) -> str:
    """ "Obligations" -> "Commitments", keeping the capital and the number."""
    return ("C" if m[1] == "O" else "c") + "ommitment" + m[2]


# The modal verbs of obligation: replaced in every sentence of a memorandum, disclaimers included.
MODALS: tuple[tuple[str, Replacement], ...] = (
    (r"\bshall not\b", "will not"),
    (r"\bShall not\b", "Will not"),
    (r"\bshall\b", "will"),
    (r"\bShall\b", "Will"),
    (r"\b(?:is|are) bound to\b", "will"),
    (r"\b(?:is|are) obliged to\b", "will"),
    (r"\bundertakes? to\b", "will"),
)
# The other treaty terms of the FCDO table: replaced except in a sentence that disclaims legal obligations.
TERMS: tuple[tuple[str, Replacement], ...] = (
    (r"\bentered into force\b", "come into effect"),
    (r"\benters into force\b", "comes into effect"),
    (r"\bentering into force\b", "coming into effect"),
    (r"\benter into force\b", "come into effect"),
    (r"\bentry into force\b", "coming into effect"),
    (r"\bEntry into Force\b", "Coming into Effect"),
    (r"\b(remain|remains|continue|continues) in force\b", r"\1 in effect"),
    (r"\bequally authentic\b", "equally valid"),
    (r"\bundertakes the obligations\b", "accepts the commitments"),
    (r"\bundertake the obligations\b", "accept the commitments"),
    # round 17 (four memoranda): the instrument's own duties by another name
    (r"\bThis obligation\b", "This commitment"),
    (r"\b([Ii]ts|[Tt]heir) undertakings under this\b", r"\1 commitments under this"),
    (r"\b(have|has) undertaken to provide\b", r"\1 committed to provide"),
    # a memorandum grants no privileges or immunities: the States confirm those that other instruments provide
    (r"\bwill accord to\b(?=[^.;:]*\bprivileges and immunities provided for in\b)", "confirm that they accord to"),
    # the instrument's own obligations: the first "under" or "set out in" that follows is "… this" (Article,
    # Annex, Memorandum of Understanding), within the sentence
    (
        r"\b([Oo])bligation(s?)\b(?=(?:(?!\bunder\b|\bset out in\b)[^.;:]){0,80}?\b(?:under|set out in) this\b)",
        _commitment,
    ),
)
# A sentence that says the instrument creates no legal obligations, or is not legally binding.
DISCLAIMER = re.compile(
    r"\b(?:not|no|nor)\b[^.;:]*\b(?:legally binding|legal obligations|binding obligations|a treaty)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.;:])(\s+)|(\n+)")

_MODALS = tuple((re.compile(p), r) for p, r in MODALS)
_TERMS = tuple((re.compile(p), r) for p, r in TERMS)


def _apply(text: str, entries: Iterable[tuple[re.Pattern[str], Replacement]]) -> str:
    for pattern, replacement in entries:
        text = pattern.sub(replacement, text)
    return text


def non_binding(text: str) -> str:
    """The memorandum's wording of a text: the lexicon applied sentence by sentence; a sentence that disclaims
    legal obligations keeps its terms (only its modal verbs change)."""
    pieces = _SENTENCE.split(text)
    out = []
    for piece in pieces:
        if not piece or piece.isspace():
            out.append(piece or "")
            continue
        entries = _MODALS if DISCLAIMER.search(piece) else _MODALS + _TERMS
        out.append(_apply(piece, entries))
    return "".join(out)


def _names_pattern(names: Iterable[str]) -> str:
    """One name as running text writes it: with or without "the" (capitalised at the start of a sentence) and an
    optional parenthesis after it ("(an employer)", "(IOM)")."""
    bare = sorted({re.sub(r"^the\s+", "", n.strip(), flags=re.IGNORECASE) for n in names if n.strip()}, key=len,
                  reverse=True)  # fmt: skip
    if not bare:
        return r"(?!)"
    alternatives = "|".join(re.escape(n) for n in bare)
    return rf"(?:[Tt]he\s+)?(?:{alternatives})(?:\s+\([^()]*\))?"


_JOIN = r"(?:,\s+and\s+|,\s+|\s+and\s+|\s+or\s+)"
_BETWEEN = r"(?:,\s+as\s+[^,;.:]{1,80},|\s+(?:each|also|jointly(?:\s+and\s+severally)?|together|likewise|equally))*"


def non_binding_for(text: str, subjects: Iterable[str], names: Iterable[str]) -> str:
    """The non-binding form of the sentences of a binding text whose subject is one of ``subjects`` (as running
    text names them): "X shall", "X and Y shall", "X, as Shelter Provider, shall", "X undertakes to", "X is bound
    to", "…, X, which shall reply", and a term that names them in brackets ("the Lead Party (X) shall", "(the
    "Deploying Parties": Y and X), shall") become "will", and so do the verbs joined to theirs ("X will return the
    documents, and shall not make …"); so does a passive whose agent is one of them ("shall be provided by X",
    "shall be the responsibility of X", and a transport leg: "shall be provided for Evacuation from Y, by land
    convoys by X", when every agent of the leg is one of them), but not one of which they are the object ("X, which
    shall be consulted": the duty to consult is the Parties'). ``names``: every other name that may stand beside
    them in a list."""
    subjects = [s for s in subjects if s.strip()]
    if not subjects:
        return text
    bare = [re.sub(r"^the\s+", "", x.strip(), flags=re.IGNORECASE) for x in subjects]
    if "\n\n" in text:  # paragraph by paragraph, skipping those that name none of the subjects (speed)
        return "\n\n".join(
            non_binding_for(p, subjects, names) if any(b in p for b in bare) else p for p in text.split("\n\n")
        )
    if not any(b in text for b in bare):
        return text
    one = _names_pattern([*subjects, *names])
    chain = rf"{one}(?:{_JOIN}{one})*"
    theirs = re.compile(_names_pattern(subjects))
    each = re.compile(one)
    active = re.compile(
        rf"(?P<who>\((?:the\s+)?(?:\"[^\"]+\":\s+|namely\s+)?{chain}\),?|{chain})(?P<which>,\s+which)?"
        rf"(?P<between>{_BETWEEN})\s+(?P<verb>shall(?:\s+not)?|undertakes?\s+to|(?:is|are)\s+bound\s+to)\b"
        rf"(?P<passive>\s+be\b)?"
    )
    passive = re.compile(
        rf"\bshall(?P<rest>(?:\s+not)?\s+be\s+(?:[a-z]+\s+){{0,4}}?(?:by|the\s+responsibility\s+of)\s+)(?P<who>{chain})"
        rf"|\bshall(?P<rest_leg>(?:\s+not)?\s+be\s+[a-z]+\s+for\s+(?:(?!by\b)[^\s;.]+\s+){{1,16}}?(?:by\s+[a-z]+(?:\s+[a-z]+){{0,2}},?\s+)?by\s+)(?P<who_leg>{chain})"
    )

    def soften_active(m: re.Match[str]) -> str:
        if not theirs.search(m["who"]) or (m["which"] and m["passive"]):
            return m[0]
        if _OBJECT_OF.search(m.string, 0, m.start()):
            # the object of a preposition, not the subject: "Evacuation from X shall be organized" binds the Parties
            # (round 14, four drafts: "Migrants crossing from X will be received" in binding text)
            return m[0]
        verb = "will not" if m["verb"].endswith("not") else "will"
        mixed = _split_subject(m, theirs, each)
        if mixed:
            bound, unbound = mixed
            keep = "shall not" if m["verb"].endswith("not") else "shall"
            # "A shall, and P will, provide"; where a comma follows already ("shall, within their competence, …")
            # it closes the pair
            close = "" if not m["passive"] and m.string[m.end() :].startswith(",") else ","
            return f"{bound} {keep}, and {unbound} {verb}{close}{_SPLIT}{m['passive'] or ''}"
        return f"{m['who']}{m['which'] or ''}{m['between']} {verb}{_JOINED}{m['passive'] or ''}"

    def soften_passive(m: re.Match[str]) -> str:
        if m["who"]:
            agents = [x[0] for x in each.finditer(m["who"])]
            bound = [x for x in agents if not theirs.fullmatch(x)]
            unbound = [x for x in agents if theirs.fullmatch(x)]
            if bound and unbound and " or " not in m["who"]:  # the Party's duty stays, the other's is a contribution
                return f"shall{m['rest']}{_listed(bound)}, with the voluntary contribution of {_listed(unbound)}"
            return f"will{m['rest']}{m['who']}" if theirs.search(m["who"]) else m[0]
        agents = [x[0] for x in each.finditer(m["who_leg"])]
        return f"will{m['rest_leg']}{m['who_leg']}" if all(theirs.fullmatch(x) for x in agents) else m[0]

    text = _CONJUNCT.sub(_soften_joined, active.sub(soften_active, text)).replace(_JOINED, "")
    text = _SPLIT_CONJUNCT.sub(_join_split, text).replace(_SPLIT, "")
    return unmix_agents(passive.sub(soften_passive, text), theirs, each, chain)


# a name that follows "from" is the object of a phrase, never the subject of the verb after it: "Migrants crossing
# from X shall be received" binds the Parties that receive them ("the authorities of X shall" and "shelters in X
# shall be open" are X's duties: "of" and "in" are not such prepositions)
_OBJECT_OF = re.compile(
    r"\b(?:from|out\s+of)\s+(?:the\s+territory\s+(?:under\s+the\s+authority\s+)?of\s+)?(?:the\s+)?$"
)


def _listed(items: list[str]) -> str:
    """Names as running text lists them: "A", "A and B", "A, B and C"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _split_subject(m: re.Match[str], theirs: re.Pattern[str], each: re.Pattern[str]) -> tuple[str, str] | None:
    """A plain list of names ("A and P shall") holding both bodies that can be bound and bodies that cannot: the two
    lists, so that the duty stays binding on the first ("A shall, and P will, be responsible"); round 14: "puts a
    Party's core duty into non-binding wording because it is bundled with the Participant". None for a bracketed
    term, an alternative ("A or P"), a verb other than "shall" or a subject with words between it and its verb.
    A bracketed term that names both ("the controller concerned (A, B and P) shall") keeps its bracket and its
    "shall" for the bodies bound, and the others are named after it: "(A and B) shall, and P will," (round 14, three
    drafts: "will" for every controller weakened the Parties' duty to assess the impact on data protection)."""
    who = m["who"]
    if m["which"] or m["between"] or not m["verb"].startswith("shall") or " or " in who:
        return None
    names = [x[0] for x in each.finditer(who)]
    bound = [n for n in names if not theirs.fullmatch(n)]
    unbound = [n for n in names if theirs.fullmatch(n)]
    if not bound or not unbound:
        return None
    if who.startswith("("):
        second = _listed(unbound)
        second = "the" + second[3:] if second.startswith("The ") else second
        inner = who.rstrip(",").strip("()")
        if ":" in inner or inner.startswith("namely"):  # a term with its label: the bracket stays whole
            return who.rstrip(","), second
        # the bracket names the bodies bound, the others follow with "will" (round 15: "the Red Crescent under
        # 'shall' and named twice")
        return f"({_listed(bound)})", second

    first, second = _listed(bound), _listed(unbound)
    if who[:1].isupper() and not first[:1].isupper():  # the sentence began with the list
        first, second = first[:1].upper() + first[1:], second
    if second[:1].isupper() and second.startswith("The "):
        second = "the" + second[3:]
    return first, second


_PROVIDED = re.compile(r"\bshall\s+be\s+provided\b")
_SENTENCE_START = re.compile(r".*(?:[.:]\s|\n|;\s(?!(?:and\s)?by\b|for\b))", re.DOTALL)


def unmix_agents(text: str, theirs: re.Pattern[str], each: re.Pattern[str], chain: str) -> str:
    """In a sentence that still says "shall be provided", the agents that cannot be bound are not bound with the
    others: "by A and P" becomes "by A, with the voluntary contribution of P", and an agent list that holds only such
    bodies, "by P", becomes "by P, as its voluntary contribution" (a transport leg with a Party and a Participant
    together: the Party's duty stays, the Participant's contribution is recorded as such)."""

    def fix(m: re.Match[str]) -> str:
        # names are masked first: a full stop or colon inside a name ("St. Maron", ": 0") ends no sentence
        before = each.sub(lambda x: "N", text[: m.start()])
        opening = _SENTENCE_START.match(before)
        if not _PROVIDED.search(before[opening.end() if opening else 0 :]):
            return m[0]
        agents = [x[0] for x in each.finditer(m["who"])]
        soft = [a for a in agents if theirs.fullmatch(a)]
        hard = [a for a in agents if not theirs.fullmatch(a)]
        if not soft:
            return m[0]
        if hard:
            return f"by {_and(hard)}, with the voluntary contribution of {_and(soft)}"
        return f"by {_and(soft)}, as {'its' if len(soft) == 1 else 'their'} voluntary contribution"

    return re.sub(rf"\bby\s+(?P<who>{chain})(?!,\s+(?:with\s+the|as\s+(?:its|their))\s+voluntary)", fix, text)


def _and(names: list[str]) -> str:
    """Names as a list in running text: "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


_JOINED = "\x00"  # marks a verb made non-binding, so that the verbs joined to it follow
_CONJUNCT = re.compile(rf"{_JOINED}[^.;{_JOINED}]*")


def _soften_joined(m: re.Match[str]) -> str:
    """The verbs joined to a softened verb in the same sentence (", and shall not make", " and shall report")."""
    return re.sub(r"(,\s+and\s+|,\s+|\s+and\s+|\s+or\s+)shall\b", r"\1will", m[0])


_SPLIT = "\x01"  # marks a verb split between bound and unbound subjects ("A shall, and P will, carry out")
_SPLIT_CONJUNCT = re.compile(rf"{_SPLIT}[^.;{_SPLIT}]*")


def _join_split(m: re.Match[str]) -> str:
    """The verbs joined to a split verb share its two modals: "A shall, and P will, carry out X, and shall share Y"
    becomes "..., carry out X, and share Y" (round 15: the Participant was still bound by the joined "shall")."""
    return re.sub(r"(,\s+and\s+|,\s+|\s+and\s+)shall\s+", r"\1", m[0])


def term_holders(text: str, names: Iterable[str]) -> dict[str, list[str]]:
    """The terms a text defines inline after the names of their holders: 'handled by X and Y (the "Tracing
    Service")' gives {"Tracing Service": ["X", "Y"]}; a term defined after anything but a list of ``names`` (a
    placeholder, a description) is not returned."""
    names = [n for n in names if n.strip()]
    one = _names_pattern(names)
    defined = re.compile(rf"(?P<chain>{one}(?:{_JOIN}{one})*)\s+\((?:the|a|an)\s+\"(?P<term>[A-Z][^\"]+)\"\)")
    single = re.compile(one)
    out: dict[str, list[str]] = {}
    for m in defined.finditer(text):
        out.setdefault(m["term"], []).extend(x[0] for x in single.finditer(m["chain"]))
    return out


def holds_only(holders: Iterable[str], soft: Iterable[str]) -> bool:
    """Whether every holder of a term is one of ``soft`` (compared without "the"), and there is at least one."""
    bare = lambda n: re.sub(r"^the\s+|\s+\([^()]*\)$", "", n.strip(), flags=re.IGNORECASE)  # noqa: E731
    soft_names = {bare(n) for n in soft}
    listed = [bare(h) for h in holders]
    return bool(listed) and all(h in soft_names for h in listed)
