"""How parties and languages are named in a draft.

A State or local authority is often entered with the organ that acts for it: "Republic of Karst (Civil Protection
Directorate)", "Himara Police (Missing Persons Desk), Federal Republic of Himara". The Party is the State; the organ
acts for it. Running text names the State ("nationals of the Republic of Karst"); the parties block says once
through which organ it acts, and Annex C lists the organ as the contact point.

Hotline languages may be given as ISO 639 codes ("si", "dyu", "kar"): the draft writes the language's English
name, from the CLDR and IANA data shipped with ``langcodes``/``language_data``; a word stays as given, and a code
nobody knows stays as it is.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import langcodes

ORGAN_KINDS = ("state", "local_authority")

# A State's formal name: "Republic of …", "Kingdom of …", "Union of …", "State of …".
STATE_NAME = re.compile(
    r"^(the )?(Republic|Kingdom|Federal|Federated|Federation|State|Principality|Sultanate|Commonwealth|United|"
    r"Grand Duchy|Emirate|Islamic Republic|Democratic|People's|Plurinational|Union of)\b",
    re.IGNORECASE,
)
_TRAILING_PARENS = re.compile(r"^(?P<entity>[^()]+?)\s*\((?P<organ>[^()]+)\)$")


class PartyName(NamedTuple):
    entity: str  # who the Party is: "Republic of Karst"
    organ: str | None  # the organ acting for it: "Civil Protection Directorate"


def split_organ(name: str, kind: str | None) -> PartyName:
    """The Party and the organ acting for it, for States and local authorities.

    "Republic of Karst (Civil Protection Directorate)" -> Republic of Karst, Civil Protection Directorate;
    "Himara Police (Missing Persons Desk), Federal Republic of Himara" -> Federal Republic of Himara, Himara Police
    (Missing Persons Desk). A parenthetical that is itself a State's name ("Sava Prefecture (Republic of Kordesh)")
    says whose authority it is, not an organ, and stays; so does any name of another kind."""
    name = " ".join(name.split())
    if kind not in ORGAN_KINDS:
        return PartyName(name, None)
    head, sep, tail = name.rpartition(",")
    if sep and head.strip() and STATE_NAME.match(tail.strip()) and not STATE_NAME.match(head.strip()):
        return PartyName(tail.strip(), head.strip())
    m = _TRAILING_PARENS.match(name)
    if m and not STATE_NAME.match(m["organ"].strip()):
        return PartyName(m["entity"].strip(), m["organ"].strip())
    return PartyName(name, None)


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
