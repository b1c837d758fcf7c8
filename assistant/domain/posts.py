"""Standing consular cooperation at listed posts (README, "Standing consular cooperation at listed posts").

A consular services sharing arrangement (Canada–Australia, exchange of notes 1986, memorandum 2001; the Nordic
consular arrangements) is reciprocal and standing: each Party lists the posts at which it assists the nationals of
the other Parties, in the receiving States where those Parties have no post of their own, for routine consular work
as well as in a crisis. This module reads the posts the scenario lists and says, for each, which Parties it acts
for: the other States that sign and have no post listed in that receiving State, never the receiving State itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from .scenario import Scenario
from .signing import signatories


@dataclass(frozen=True)
class ListedPost:
    party: str  # the id of the Party whose post it is
    city: str
    receiving: str  # the receiving State: a party id when the scenario names a party, else its name as given
    acts_for: tuple[str, ...]  # the ids of the Parties whose nationals it assists there, in the order of the parties


def _key(text: str) -> str:
    words = text.casefold().split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def receiving_state(s: Scenario, country: str) -> str:
    """The receiving State of a post: the id of the party it names (by id or by name), else the text as given."""
    key = _key(country)
    for p in s.parties:
        if key in (p.id.casefold(), _key(p.name)):
            return p.id
    return country


def listed_posts(s: Scenario) -> list[ListedPost]:
    """The posts of the signatory States, each with the Parties it acts for. A post listed twice counts once; a post
    in a receiving State where no other Party lacks a post acts for nobody (it stays listed: the Parties see it)."""
    states = [p for p in signatories(s) if p.kind == "state"]
    receiving = {
        p.id: list(dict.fromkeys((post.city, receiving_state(s, post.country)) for post in p.posts or ()))
        for p in states
    }
    present = {p.id: {_key(r) for _, r in receiving[p.id]} for p in states}
    out = []
    for p in states:
        for city, state in receiving[p.id]:
            acts_for = tuple(o.id for o in states if o.id not in (p.id, state) and _key(state) not in present[o.id])
            out.append(ListedPost(party=p.id, city=city, receiving=state, acts_for=acts_for))
    return out


def represents_at_posts(s: Scenario) -> bool:
    """Some listed post acts for another Party: the standing arrangement at listed posts has content."""
    return any(post.acts_for for post in listed_posts(s))
