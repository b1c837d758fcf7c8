"""Who provides the services the operations need, and where: the parties the articles on roles and operations name
beside the providers the rules chose (rules/roles.yaml), by party id (assembly names them).

- A National Society works in its own State: ``society_state`` says which State Party that is, from the State's
  proper name or its adjective in the Society's name ("Tunaran Red Crescent": "the Republic of Tunara").
- Where one acts in another State, it acts in coordination with the ICRC and the National Society of that State
  (Statutes of the International Red Cross and Red Crescent Movement, Art. 3(3); Seville Agreement):
  ``societies_abroad``.
- Where no rule made anyone a transport provider (no movement is planned at signature), the Parties that have
  transport still provide it for a movement decided later, rather than "no Party undertakes to provide transport":
  ``transport_capable``.
"""

from __future__ import annotations

from .advice import Advice
from .names import split_organ
from .scenario import Scenario
from .signing import signs
from .territory import territory

# How much longer than a State's proper name its adjective may be ("Tunara" -> "Tunaran", "Nepal" -> "Nepali").
_ADJECTIVE_ENDING = 3


def _names_state(word: str, proper: str) -> bool:
    """A word of a Society's name names a State when it is the State's proper name or its adjective: that name
    followed by a short ending ("Gondaran" for "Gondara")."""
    return word == proper or (word.startswith(proper) and len(word) - len(proper) <= _ADJECTIVE_ENDING)


def society_state(s: Scenario, party_id: str) -> str | None:
    """The State Party whose National Society a party is: the State whose proper name (the words after its last
    "of", or its whole name), or its adjective, appears in the Society's name ("Jordara Red Crescent": "the
    Hashemite Kingdom of Jordara"; "Tunaran Red Crescent": "the Republic of Tunara"); None for any other party or
    where no State Party matches."""
    p = s.party(party_id)
    if p is None or p.kind != "national_society":
        return None
    words = p.name.replace("-", " ").split()
    for st in s.parties:
        if st.kind == "state":
            proper = split_organ(st.name, st.kind).entity.rsplit(" of ", 1)[-1].split()
            if proper and all(any(_names_state(w, x) for w in words) for x in proper):
                return st.id
    return None


def societies_abroad(s: Scenario, advice: Advice) -> list[str]:
    """The National Societies that hold a role under the instrument and whose State is none of the States where the
    operations take place (a return ends in the State of nationality and is no operation abroad): they act in
    another State, so in coordination with the ICRC and that State's National Society. A Society whose State the
    scenario does not name is not judged."""
    where = territory(s)
    operating = {o.state for o in where.operations if o.id != "return"}
    holders = dict.fromkeys(r.party for r in advice.roles)
    return [p for p in holders if (st := society_state(s, p)) is not None and st not in operating]


def transport_capable(s: Scenario, advice: Advice) -> list[str]:
    """The parties that sign and have transport (air, sea or land), not the State people flee, where no party holds
    the transport_provider role: they provide transport for the movements decided under the instrument within
    their means. Empty where a rule made any party a transport provider (the legs then say who carries whom)."""
    if advice.holders("transport_provider"):
        return []
    fled = territory(s).fled_state
    return [p.id for p in s.parties if p.capacities and p.capacities.transport and p.id != fled and signs(s, p.id)]


def service_parties(s: Scenario, advice: Advice) -> dict[str, list[str]]:
    """The party ids the articles on roles and operations name beside the providers (this module's docstring)."""
    return {
        "abroad_society_names": societies_abroad(s, advice),
        "transport_capable_names": transport_capable(s, advice),
    }
