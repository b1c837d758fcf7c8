"""How parties and languages are named in a draft.

A State or local authority is often entered with the organ that acts for it: "Republic of Karst (Civil Protection
Directorate)", "Himara Police (Missing Persons Desk), Federal Republic of Himara". The Party is the State; the organ
acts for it. Running text names the State ("nationals of the Republic of Karst"); the parties block says once
through which organ it acts, and Annex C lists the organ as the contact point. A State entered as its organ reads the
same way: "Nihara Nuclear and Civil Protection Agency (State of Nihara)" and "Ministry of Interior of the Republic of
Karst" are the State of Nihara and the Republic of Karst acting through the Agency and the Ministry.

A State entered as an organ of a place ("Maritime and Port Authority of Singara") is the Government of that place
acting through the organ: the place is the State and its territory. A regional body (or a donor that is one) entered
as its delegation or office ("Eurasian Union Delegation", "Continental Union Humanitarian Aid Office") is the body,
represented by its Delegation or acting through its Office (``represented_by``).

An authority whose State the name does not give ("Coastal Territory Border and Crossings Authority", "Norvale Civil
Contingencies Agency") and any local authority keep their names, but an authority has neither a territory nor
nationals of its own: the draft writes "the territory of Singara" or "the territory under the authority of …", and
"nationals of" the State in brackets or "persons from" that territory (``territorial_references``).

Only an organ in brackets acts for a Party ("Republic of Tunara (Army and Office of Civil Protection)"); any other
bracketed note ("State of Libra (contested authorities in Tripolia)") and a descriptor of the body's kind ("Press
Shield Network (journalists' safety NGO)") are no part of the name and are left out (``dropped_note``, reported by
``checks.party_warning``). Authorities that govern a place without being named as its State ("De facto authorities in
Kabira") are not its Government: running text names the place ("the territory of Kabira", "nationals of Kabira").
An authority has no competent authorities of its own ("the competent authorities in Kabira", "… of the Kingdom
of Siamra" for a local authority whose State is given), and a name plural in form ("De facto authorities in
Kabira") takes plural verbs (``reads_plural``, ``plural_agreement``).
The Party is a legal person: an organization entered with its organ ("European Union (Directorate-General for …)")
is the organization acting through it; a programme or mechanism whose legal person the name does not give ("Union
Civil Protection Mechanism (European Commission)") is a hole in the parties block and a party warning
(``legal_person_unknown``).

Hotline languages may be given as ISO 639 codes ("si", "dyu", "kar"): the draft writes the language's English
name, from the CLDR and IANA data shipped with ``langcodes``/``language_data``; a word stays as given, and a code
nobody knows stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

import langcodes

ORGAN_KINDS = ("state", "local_authority")
# A regional body, or a donor that is one, may be entered as its delegation or office ("Eurasian Union Delegation").
REGIONAL_ORGAN_KINDS = ("regional_body", "donor")

# A State's formal name: "Republic of …", "Kingdom of …", "Union of …", "State of …".
STATE_NAME = re.compile(
    r"^(the )?(Republic|Kingdom|Federal|Federated|Federation|State|Principality|Sultanate|Commonwealth|United|"
    r"Grand Duchy|Emirate|Islamic Republic|Democratic|People's|Plurinational|Union of)\b",
    re.IGNORECASE,
)
_TRAILING_PARENS = re.compile(r"^(?P<entity>[^()]+?)\s*\((?P<organ>[^()]+)\)$")
# The words that make a name an organ or an authority rather than a State or a place.
ORGAN_WORD = re.compile(
    r"\b(Authority|Authorities|Agency|Ministry|Department|Directorate|Office|Police|Service|Services|Commission|"
    r"Bureau|Secretariat|Inspectorate|Administration|Guard|Council|Prefecture|Municipality|Governorate|Desk|Unit|"
    r"Division|Centre|Center|Board|Command)\b"
)
# A bracketed organ: an organ word as a proper name writes it ("Ministry of Health", "Embassy in Siamra", "Migrant
# Workers Welfare Fund"). Any other bracketed note ("contested authorities in Tripolia") is no organ and is dropped.
ORGAN_BRACKET = re.compile(
    rf"{ORGAN_WORD.pattern}|\b(Fund|Institute|Embassy|Consulate|Mission|Delegation|Army|Forces|Navy|Cabinet)\b"
)
# A bracketed descriptor that says what kind of body a party is ("journalists' safety NGO", "charity"): no part of
# its legal name.
KIND_DESCRIPTOR = re.compile(
    r"\b(NGO|INGO|CSO|non-governmental|nongovernmental|charity|charitable|foundation|non-profit|nonprofit|"
    r"not-for-profit|civil society organi[sz]ation|humanitarian organi[sz]ation)\b",
    re.IGNORECASE,
)
# Who exercises authority over a territory without being named as a State ("De facto authorities in Kabira",
# "Coastal Territory Border and Crossings Authority"), whatever the case of the word.
AUTHORITY_WORD = re.compile(r"\bauthorit(?:y|ies)\b", re.IGNORECASE)
# "… in Kabira": the territory an authority's name gives.
_IN_PLACE = re.compile(r"\bin\s+(?:the\s+)?(?P<place>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)$")
# What is no legal person of its own, entered as an organization: a programme, mechanism, directorate-general or
# department is the organization's, which is the Party (a Party to an agreement is a subject of law).
NOT_A_LEGAL_PERSON = re.compile(
    r"\b(Mechanism|Programme|Program|Directorate-General|Directorate|Department|Instrument|Initiative|Facility)\b"
)
ORGANIZATION_LIKE_KINDS = ("international_organization", "regional_body", "donor")
_OF = re.compile(r"\s+of\s+")
_GOVERNMENT = re.compile(r"^(?:the\s+)?Government\s+of\s+(?P<state>.+)$", re.IGNORECASE)
# "… of Singara": the place an authority's name gives, capitalized words without an organ word.
_OF_PLACE = re.compile(r"\bof\s+(?:the\s+)?(?P<place>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)$")


class PartyName(NamedTuple):
    entity: str  # who the Party is: "Republic of Karst"
    organ: str | None  # the organ acting for it: "Civil Protection Directorate"


@lru_cache(maxsize=8192)  # a draft asks about each party's name thousands of times; names are plain strings
def split_organ(name: str, kind: str | None) -> PartyName:
    """The Party and the organ acting for it, for States and local authorities.

    "Republic of Karst (Civil Protection Directorate)" -> Republic of Karst, Civil Protection Directorate;
    "Himara Police (Missing Persons Desk), Federal Republic of Himara" -> Federal Republic of Himara, Himara Police
    (Missing Persons Desk). A parenthetical that is itself a State's name ("Sava Prefecture (Republic of Kordesh)")
    says whose authority it is, not an organ, and stays; so does any name of another kind. Only an organ in brackets
    acts for the State ("Ministry of Health", "Embassy in Siamra"); any other bracketed note ("contested authorities in
    Tripolia") is dropped (``dropped_note``), and so is, for any party, a descriptor of its kind ("journalists' safety
    NGO"), which is no part of its legal name."""
    name = _without_descriptor(" ".join(name.split()))
    if kind in REGIONAL_ORGAN_KINDS:
        return _regional_organ(name)
    if kind not in ORGAN_KINDS:
        return PartyName(name, None)
    head, sep, tail = name.rpartition(",")
    if sep and head.strip() and STATE_NAME.match(tail.strip()) and not STATE_NAME.match(head.strip()):
        return PartyName(tail.strip(), head.strip())
    m = _TRAILING_PARENS.match(name)
    if m and not STATE_NAME.match(m["organ"].strip()):
        if ORGAN_BRACKET.search(m["organ"]):
            return PartyName(m["entity"].strip(), m["organ"].strip())
        name, m = m["entity"].strip(), None  # a note, not an organ: dropped
    if kind == "state":
        government = _GOVERNMENT.match(name)
        if government and STATE_NAME.match(government["state"]):  # "Government of the Republic of X": the State
            return PartyName(_without_article(government["state"]), None)
        # "Nihara Nuclear and Civil Protection Agency (State of Nihara)": the organ, then the State it belongs to.
        if m and ORGAN_WORD.search(m["entity"]) and not STATE_NAME.match(m["entity"].strip()):
            return PartyName(_without_article(m["organ"]), m["entity"].strip())
        # "Ministry of Interior of the Republic of Karst": the last "of" followed by a State's formal name.
        if not STATE_NAME.match(name):
            for at in reversed(list(_OF.finditer(name))):
                head, tail = name[: at.start()].strip(), name[at.end() :].strip()
                if STATE_NAME.match(tail) and ORGAN_WORD.search(head) and not ORGAN_WORD.search(tail):
                    return PartyName(_without_article(tail), head)
            # "Maritime and Port Authority of Singara": an organ of the place its name gives, which is the State.
            place = _organ_of_place(name)
            if place:
                return place
    return PartyName(name, None)


# What follows an organ's single word when it names the organ's portfolio, not a place ("Ministry of Interior").
_PORTFOLIO = re.compile(
    r"\b(Affairs|Interior|Health|Defen[cs]e|Justice|Labou?r|Finance|Education|Welfare|Security|Transport|Trade|"
    r"Immigration|Emigration|Migration|Protection|Relief|Management|Development|Planning|Works|Energy|Civil)\b"
)


def _organ_of_place(name: str) -> PartyName | None:
    """A State entered as "<Organ> of <Place>" ("Maritime and Port Authority of Singara", "Ministry of Foreign
    Affairs of Nihara"): the State is the place, acting through the organ. Not when the words after the last "of"
    are the organ's portfolio ("Ministry of Interior", "Department of Civil Protection")."""
    m = _OF_PLACE.search(name)
    if not m or ORGAN_WORD.search(m["place"]) or _PORTFOLIO.search(m["place"]):
        return None
    head = name[: m.start()].strip()
    if not ORGAN_WORD.search(head):
        return None
    return PartyName(m["place"], _without_article(head))


# A regional body's representation or organ written after its name: "Eurasian Union Delegation", "Continental Union
# Humanitarian Aid Office", or before it: "Delegation of the Eurasian Union".
_REGIONAL_BODY = (
    r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*?\s+(?:Union|Community|Organi[sz]ation|Association|League|Council|Forum)"
)
_REGIONAL_ORGAN = r"(?:Delegation|Mission|Office|Directorate|Directorate-General|Secretariat|Mechanism)"
_REGIONAL_ORGAN_AFTER = re.compile(
    rf"^(?:the\s+)?(?P<body>{_REGIONAL_BODY})\s+(?P<organ>(?:[A-Z][\w'’-]*\s+)*?{_REGIONAL_ORGAN})$"
)
_REGIONAL_ORGAN_BEFORE = re.compile(
    rf"^(?:the\s+)?(?P<organ>Delegation|Mission|Office)\s+of\s+(?:the\s+)?(?P<body>{_REGIONAL_BODY})"
    r"(?P<rest>\s+(?:to|in)\s+.+)?$"
)


def _regional_organ(name: str) -> PartyName:
    """A regional body entered as its delegation or office is the body, represented by or acting through it:
    "Eurasian Union Delegation" -> Eurasian Union, Delegation; "Continental Union Humanitarian Aid Office" ->
    Continental Union, Humanitarian Aid Office; "Delegation of the Eurasian Union to Sinara" -> Eurasian Union,
    Delegation to Sinara. With brackets, the legal person is the Party and its organ or programme acts for it:
    "European Union (Directorate-General for Humanitarian Aid)" -> European Union, Directorate-General …;
    "Civil Protection Mechanism (Southern Union)" -> Southern Union, Civil Protection Mechanism. A programme whose
    bracket names another organ ("Union Civil Protection Mechanism (European Commission)") gives no legal person
    and stays as entered (``legal_person_unknown``)."""
    bracket = _TRAILING_PARENS.match(name)
    if bracket:
        body, note = bracket["entity"].strip(), bracket["organ"].strip()
        if not NOT_A_LEGAL_PERSON.search(body) and ORGAN_BRACKET.search(note):
            return PartyName(_without_article(body), note)
        if NOT_A_LEGAL_PERSON.search(body) and not ORGAN_BRACKET.search(note):
            return PartyName(_without_article(note), body)
    after = _REGIONAL_ORGAN_AFTER.match(name)
    if after:
        return PartyName(after["body"], after["organ"])
    before = _REGIONAL_ORGAN_BEFORE.match(name)
    if before:
        return PartyName(before["body"], before["organ"] + (before["rest"] or ""))
    return PartyName(name, None)


def _without_descriptor(name: str) -> str:
    """A name without a bracketed descriptor of the body's kind: "Press Shield Network (journalists' safety NGO)" ->
    "Press Shield Network"."""
    m = _TRAILING_PARENS.match(name)
    if m and KIND_DESCRIPTOR.search(m["organ"]) and not ORGAN_BRACKET.search(m["organ"]):
        return m["entity"].strip()
    return name


def dropped_note(name: str, kind: str | None) -> str | None:
    """The bracketed text of a party's name that the draft leaves out, or None: a descriptor of the body's kind, or,
    for a State or local authority, a note that is neither an organ nor a State ("contested authorities in
    Tripolia")."""
    name = " ".join(name.split())
    m = _TRAILING_PARENS.match(name)
    if m is None:
        return None
    note = m["organ"].strip()
    if _without_descriptor(name) != name:
        return note
    if kind in ORGAN_KINDS and not STATE_NAME.match(note) and not ORGAN_BRACKET.search(note):
        return note
    return None


CONTESTED = re.compile(r"\b(?:contested|disputed|rival|de facto|in exile|not recogni[sz]ed|self-proclaimed)\b", re.I)


def contested(name: str, kind: str | None) -> bool:
    """Whether a State's or authority's name says that its authorities are contested or de facto ("State of Libra
    (contested authorities in Tripolia)", "De facto authorities in …"): the draft then says that nothing in it
    implies recognition."""
    note = dropped_note(name, kind) or ""
    return bool(CONTESTED.search(note) or CONTESTED.search(" ".join(name.split()[:3])))


def without_note(name: str, kind: str | None) -> str:
    """A party's name as entered, without the bracketed note the draft leaves out (``dropped_note``): how Annex C
    lists it with its organ ("Republic of Karst (Civil Protection Directorate)", "State of Libra")."""
    name = " ".join(name.split())
    note = dropped_note(name, kind)
    return name.removesuffix(f"({note})").strip() if note else name


def legal_person_unknown(name: str, kind: str | None) -> bool:
    """Whether an organization-like party is entered as a programme, mechanism, directorate-general or department
    whose legal person its name does not give ("Union Civil Protection Mechanism (European Commission)"): such a
    body cannot be a Party; the organization it belongs to is, and must be named."""
    if kind not in ORGANIZATION_LIKE_KINDS:
        return False
    return bool(NOT_A_LEGAL_PERSON.search(split_organ(name, kind).entity))


def represented_by(organ: str) -> str:
    """How a Party is said to act through an organ: "represented by its Delegation" for a delegation or mission,
    which represents the body abroad, "acting through its …" for any other organ."""
    if re.match(r"^(Delegation|Mission)\b", organ):
        return f"represented by its {organ}"
    return f"acting through its {organ}"


# The functions of Annex A that belong to one field of competence, and the organs whose names show that competence:
# consular functions and travel documents to the foreign ministry and its missions (Vienna Convention on Consular
# Relations 1963, Art. 5(a), (d), (e)), health care to the health authority. A specialised organ (a civil-protection
# directorate, a labour welfare fund, an interior ministry) is named only for the functions within its competence.
FOREIGN_ORGAN = re.compile(
    r"\b(Foreign|External) (Affairs|Relations)\b|^(Ministry|Department) of (Foreign|External)|Foreign Office|"
    r"Embassy|Consulate|Consular|Passport|^(Permanent )?Mission|^Delegation|High Commission"
)
HEALTH_ORGAN = re.compile(r"\b(Health|Medical|Sanitary|Hospital)")
COMPETENCE_FUNCTIONS = {
    "consular focal point": FOREIGN_ORGAN,
    "identity and travel documents": FOREIGN_ORGAN,
    "representing State": FOREIGN_ORGAN,
    "health provider": HEALTH_ORGAN,
}


def within_competence(organ: str, function: str) -> bool:
    """Whether an organ may be named for a function of Annex A: a function that belongs to one field of competence
    (``COMPETENCE_FUNCTIONS``: consular functions and travel documents, health care) only for an organ whose name
    shows that competence; any other function for any organ."""
    field = COMPETENCE_FUNCTIONS.get(function)
    return field is None or bool(field.search(organ))


def _without_article(name: str) -> str:
    name = name.strip()
    return name[4:] if name.lower().startswith("the ") else name


class Territorial(NamedTuple):
    territory: str | None  # whose territory running text names: a place ("Singara"), or None: "under the authority"
    nationals_of: str | None  # whose nationals: a State ("the Republic of Kordesh"), or None: "persons from"


@lru_cache(maxsize=8192)
def territorial(name: str, kind: str | None) -> Territorial | None:
    """How the draft names the territory and the nationals of a State or local authority entered as an authority,
    or None when its name is a State's or a place's and reads as is ("the Republic of Karst", "Zelvara").

    "Maritime and Port Authority of Singara" is the Government of Singara (``split_organ``) and reads as is. "Sava
    Prefecture (Republic of Kordesh)" (a local authority, its State in brackets): the territory under its authority,
    nationals of the Republic of Kordesh.
    "Coastal Territory Border and Crossings Authority": the territory under its authority, persons from it.
    "De facto authorities in Kabira": the territory of Kabira, nationals of Kabira; the authorities are no State."""
    if kind not in ORGAN_KINDS:
        return None
    entity, _ = split_organ(name, kind)
    authority = ORGAN_WORD.search(entity) or AUTHORITY_WORD.search(entity)
    if kind == "state" and (STATE_NAME.match(entity) or not authority):
        return None
    state = None
    bracket = _TRAILING_PARENS.match(entity)
    if bracket and STATE_NAME.match(bracket["organ"].strip()):
        state, entity = f"the {_without_article(bracket['organ'])}", bracket["entity"].strip()
    place = _OF_PLACE.search(entity) or _IN_PLACE.search(entity)
    place_name = place["place"] if place and not ORGAN_WORD.search(place["place"]) else None
    if kind == "state":
        return Territorial(place_name, place_name)
    return Territorial(place_name, state)


def national_name(name: str, kind: str | None) -> str | None:
    """The State a local authority belongs to, as its name gives it in brackets ("Mae Varin District Administration
    (Kingdom of Siamra)" -> "the Kingdom of Siamra"), whose competent national authorities decide on exit, entry and
    stay; None for any other party or when the name gives no State."""
    if kind != "local_authority":
        return None
    forms = territorial(name, kind)
    return forms.nationals_of if forms else None


def _alternation(names: Iterable[str]) -> str:
    """A regex alternation of literal names, the longest first, so that a name is never matched by a shorter name it
    contains ("Republic of X Province" before "Republic of X")."""
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


def territorial_references(text: str, names: dict[str, Territorial | None]) -> str:
    """Running text rewritten so that no authority is given a territory or nationals of its own: "territory of N"
    becomes "territory of Singara" or "territory under the authority of N", "nationals of N" becomes "nationals of"
    its State or place, or "persons from the territory under the authority of N". ``names`` maps every Party's name
    as running text writes it ("the Maritime and Port Authority of Singara") to its ``territorial`` forms, None for
    a name that reads as is; a list of Parties after "territory of" or "nationals of" is rewritten name by name."""
    if not any(names.values()):
        return text
    item = _alternation(names)
    sep = r",\s+and\s+|,\s+|\s+and\s+"
    tokens = re.compile(rf"{item}|{sep}")
    pattern = re.compile(
        rf"\b(?P<head>[Tt]erritor(?:y|ies)|[Nn]ationals?) of (?P<list>(?:{item})(?:(?:{sep})(?:{item}))*)(?![\w(])"
    )

    def rewrite(m: re.Match[str]) -> str:
        parts = [t[0] for t in tokens.finditer(m["list"])]  # name, separator, name, …
        forms = [names.get(p) for p in parts[::2]]
        if not any(forms):
            return m[0]
        head = m["head"]
        if head.lower().startswith("territor"):
            places = [f.territory if f else n for f, n in zip(forms, parts[::2], strict=True)]
            if all(places):
                phrases = [f"{head} of {places[0]}", *places[1:]]
            else:
                phrases = [
                    (f"{head} of {pl}" if pl else f"{head} under the authority of {n}")
                    if i == 0
                    else (f"the territory of {pl}" if pl else f"the territory under the authority of {n}")
                    for i, (pl, n) in enumerate(zip(places, parts[::2], strict=True))
                ]
        else:
            states = [f.nationals_of if f else n for f, n in zip(forms, parts[::2], strict=True)]
            person = "persons" if head.lower() == "nationals" else "person"
            if all(states):
                phrases = [f"{head} of {states[0]}", *states[1:]]
            else:
                phrases = []
                for st, f, n in zip(states, forms, parts[::2], strict=True):
                    where = (f.territory if f else None) or f"the territory under the authority of {n}"
                    phrases.append(f"{head.lower() if phrases else head} of {st}" if st else f"{person} from {where}")
                if not states[0] and head[:1].isupper():
                    phrases[0] = phrases[0][:1].upper() + phrases[0][1:]
        out = [phrases[i // 2] if i % 2 == 0 else part for i, part in enumerate(parts)]
        return "".join(out)

    text = _authority_references(_place_references(pattern.sub(rewrite, text), names), names)
    return plural_agreement(text, list(names))


def _authority_references(text: str, names: dict[str, Territorial | None]) -> str:
    """Running text in which "the competent authorities of N", where N is itself an authority, becomes "the
    competent authorities of" the State a local authority's name gives ("of the Kingdom of Siamra"), else "in" its
    place ("in Kabira") or "in the territory under the authority of N": an authority has no authorities of its own.
    A State that follows ("… and of the Republic of X") keeps its authorities ("and those of the Republic of X")."""
    places = {n: f for n, f in names.items() if f}
    if not places:
        return text
    item = _alternation(places)
    pattern = re.compile(rf"\b(?P<head>(?:competent )?authorities) of (?P<name>{item})(?![\w(])(?P<and> and of)?")

    def rewrite(m: re.Match[str]) -> str:
        form = places[m["name"]]
        if form.nationals_of and form.nationals_of != form.territory:  # a local authority whose State is known
            where = f"of {form.nationals_of}"
        else:
            where = f"in {form.territory or 'the territory under the authority of ' + m['name']}"
        return f"{m['head']} {where}" + (" and those of" if m["and"] else "")

    return pattern.sub(rewrite, text)


# The head nouns that make the name of one body plural in form ("De facto authorities in Kabira", "Armed Forces of
# X"): the body takes a plural verb ("are", "object").
PLURAL_HEADS = frozenset({"authorities", "forces", "services", "ministries", "municipalities", "administrations"})
# Verbs that follow a Party's name in the third person singular, and their plural.
_SINGULAR_VERBS = {
    "is": "are", "was": "were", "has": "have", "does": "do", "objects": "object", "takes": "take",
    "decides": "decide", "agrees": "agree", "consents": "consent", "requests": "request", "receives": "receive",
    "remains": "remain", "controls": "control", "clears": "clear", "exercises": "exercise", "acts": "act",
    "provides": "provide", "applies": "apply", "accepts": "accept", "seeks": "seek", "bears": "bear",
    "issues": "issue", "determines": "determine", "permits": "permit", "allows": "allow", "retains": "retain",
}  # fmt: skip


@lru_cache(maxsize=4096)
def reads_plural(name: str) -> bool:
    """Whether a body's name is plural in form: the head of its first noun phrase (before "in", "of", "for", "at" or a
    bracket) is a plural such as "authorities" or "forces". "Coastal Territory Border and Crossings Authority" and
    "United Nations High Commissioner for Refugees" are singular."""
    head = re.split(r"\s+(?:in|of|for|at|on)\s+|\s*\(", name.strip(), maxsplit=1)[0].split()
    return bool(head) and head[-1].lower() in PLURAL_HEADS


def plural_agreement(text: str, names: list[str]) -> str:
    """Running text in which a name plural in form (``reads_plural``) takes a plural verb: "The De facto
    authorities in Kabira are not a Party", "unless the De facto authorities in Kabira object", also after a
    relative clause between commas ("…, from which persons covered seek protection, take no part") and in "N,
    which are"; not where the name is an object ("protection from N is") or stands in brackets after a term ("the
    Host State (N), which is"). Pronouns that refer back to the body are left as they are."""
    plural = {re.sub(r"^the\s+", "", n, flags=re.IGNORECASE) for n in names if reads_plural(n)}  # "The …" too
    if not plural:
        return text
    item = _alternation(plural)
    verbs = "|".join(_SINGULAR_VERBS)
    pattern = re.compile(
        rf"(?P<before>\b\w+\s+)?(?:[Tt]he\s+)?(?P<name>{item})"
        rf"(?P<mid>,\s+which|,\s+(?:from|to|with|by|in|of) which [^,;.]{{1,120}},)?(?P<space>\s+)(?P<verb>{verbs})\b"
    )

    def agree(m: re.Match[str]) -> str:
        # after a preposition or a verb the name is an object ("a Child who seeks protection from N is referred")
        if m["before"] and m["before"].strip().lower() in _NOT_BEFORE_SUBJECT and not m["mid"]:
            return m[0]
        return m[0][: m.start("verb") - m.start()] + _SINGULAR_VERBS[m["verb"]]

    return pattern.sub(agree, text)


# Words after which a name is no subject: prepositions and verbs that take it as their object.
_NOT_BEFORE_SUBJECT = frozenset(
    {"from", "to", "with", "of", "by", "for", "on", "at", "in", "into", "against", "between", "among", "about", "than",
     "request", "requests", "notify", "notifies", "inform", "informs", "address", "addresses", "approach", "contact",
     "consult"}
)  # fmt: skip


# Words after which a name stands for a place: where people are, what a crisis affects, where they cross from.
_PLACE_HEAD = (
    r"\b(?P<head>in|within|out of|affecting|(?:have |has )?left|leaving|(?:return|returned|returning) to|"
    r"(?:cross|crossed|crossing|crosses|evacuated|[Ee]vacuation|departures?|fle(?:e|d|eing|es)|points|moved) from)"
)


def _place_references(text: str, names: dict[str, Territorial | None]) -> str:
    """An authority named where a place is meant ("Migrants in N", "a Crisis affecting N", "crossing from N")
    becomes its place ("in Konara") or "the territory under the authority of N": an authority is not a place."""
    places = {n: f for n, f in names.items() if f}
    if not places:
        return text
    item = _alternation(places)
    pattern = re.compile(rf"{_PLACE_HEAD} (?P<name>{item})(?![\w(])")

    def rewrite(m: re.Match[str]) -> str:
        form = places[m["name"]]
        where = form.territory or f"the territory under the authority of {m['name']}"
        return f"{m['head']} {where}"

    text = pattern.sub(rewrite, text)
    # A State of nationality is a State: where the authority's place is known, the place is named in its stead.
    named = {n: f.territory for n, f in places.items() if f.territory}
    if not named:
        return text
    item = _alternation(named)
    nationality = re.compile(rf"(?P<head>\bStates? of (?:nationality|origin) other than) (?P<name>{item})(?![\w(])")
    return nationality.sub(lambda m: f"{m['head']} {named[m['name']]}", text)


_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@lru_cache(maxsize=512)
def language_name(value: str) -> str:
    """The English name of a language given as an ISO 639 code or language tag ("si" -> Sinhala, "kar" -> Karen);
    a name given as a word, or a code the data does not know, is returned unchanged."""
    text = value.strip()
    if not _CODE.match(text):
        return text
    try:
        if not langcodes.tag_is_valid(text):
            return text
        language = langcodes.Language.get(text)
        name = language.display_name("en") if language.language else ""
    except (LookupError, ValueError):
        return text
    if not name or name.lower().startswith("unknown") or name == text:
        return text
    return name.removesuffix(" languages")  # a collective code (kar): "Karen", as a hotline is announced


# The components of the International Red Cross and Red Crescent Movement by name: the ICRC and the International
# Federation are international organizations in the contract's kinds, National Societies have a kind of their own.
_MOVEMENT_NAME = re.compile(r"\b(Red Cross|Red Crescent|Red Crystal)\b", re.I)


def family_links_member(name: str, kind: str) -> bool:
    """A member of the Family Links Network of the Movement: a National Society, or an international organization
    named as a component of the Movement (the ICRC, the International Federation). Other bodies with a tracing mandate
    (a child-protection NGO, a UN agency) trace within their own systems, not within the Network (round 15,
    haiti2010: "an NGO cannot be placed within the Family Links Network")."""
    return kind == "national_society" or (kind == "international_organization" and bool(_MOVEMENT_NAME.search(name)))


# Names that take "the" inside a sentence ("the Republic of Corvania", "the Hope Shelters Network").
_TAKES_ARTICLE = {
    "republic",
    "kingdom",
    "principality",
    "federal",
    "federation",
    "state",
    "government",
    "commonwealth",
    "sultanate",
    "emirate",
    "grand",
    "united",
    "international",
    "regional",
    "european",
    "office",
    "council",
    "ministry",
    "agency",
    "network",
    "organization",
    "organisation",
    "union",
    "association",
    "committee",
    "forum",
    "department",
    "directorate",
    "national",
    "world",
    "league",
    "secretariat",
    "authority",
    "authorities",
    "municipality",
    "mechanism",
    "group",
    "bank",
    "fund",
    "programme",
    "program",
    "commission",
    "centre",
    "center",
    "institute",
    "foundation",
    "society",
    "crescent",
    "cross",
    "administration",
    "service",
    "services",
}


def in_text(name: str) -> str:
    """A party's name as it reads inside a sentence: "the Republic of Corvania", "the Hope Shelters Network"."""
    words = name.split()
    if not words or words[0].lower() == "the":
        return name
    # a name that ends in "International" is a brand ("Plan International", "SOS Children's Villages International")
    last = words[-1].lower()
    if words[0].lower() in _TAKES_ARTICLE or " of " in name or (last in _TAKES_ARTICLE and last != "international"):
        return f"the {name}"
    # a head noun qualified by what follows it: "the Burkaran Council for Peace in Lagunia"
    heads = zip(words, words[1:], strict=False)
    if any(w.lower() in _TAKES_ARTICLE and nxt.lower() in ("for", "in", "on") for w, nxt in heads):
        return f"the {name}"
    return name
