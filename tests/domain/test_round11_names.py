"""Round-11 classes on who the Parties are and how they are named (blind legal readings of unseen scenarios):

1. An authority entered as a State ("De facto authorities in …", "… Border and Crossings Authority") is not "the
   Government of" anything, is not defined as "the State in which …", is not used as a place or a nationality, and
   is not notified "through diplomatic channels" (language implying recognition).
2. A programme, mechanism, directorate-general or department is no legal person: it is neither designated as a
   Party in the signature blocks nor called an international organization; the legal person is, or a hole asks
   for it (and a party warning says so).
3. A bracketed note that is no organ ("contested authorities in …") is not copied into the draft.
4. A bracketed descriptor of the body's kind ("journalists' safety NGO") is no part of its name.
5. The committee article excludes only Parties from its decisions, and a State is named as one from which persons
   covered seek protection only where its nationals fear return or, for a State not in crisis, are refugees.
6. An organization whose capacity to be bound is not stated is not bound silently: an Agreement asks, in brackets,
   that its capacity be confirmed before signature (and a party warning says so).
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from assistant.domain.checks import party_warning
from assistant.domain.evaluate import evaluate
from assistant.domain.names import dropped_note, legal_person_unknown, split_organ, territorial
from assistant.domain.signing import non_signatories, signatories
from tests.domain.corpus import corpus_scenarios

CORPUS = corpus_scenarios()
SCENARIOS = dict(CORPUS)
IDS = [n for n, _ in CORPUS]


@cache
def draft_of(name: str):
    return evaluate(SCENARIOS[name]).draft


def full_text(draft) -> str:
    return "\n".join(
        [draft.parties, draft.preamble, *(a.text for a in draft.articles), *(x.text for x in draft.annexes)]
        + [draft.signatures]
    )


def article_text(draft, clause: str) -> str:
    return "\n".join(a.text for a in draft.articles if a.clause == clause)


# Read independently of names.py: a State entry whose own words name an authority, not a State.
AUTHORITY = re.compile(r"\bauthorit(y|ies)\b", re.IGNORECASE)
STATE_WORD = re.compile(r"^(the )?(\w+ )?(Republic|Kingdom|State|Federation|Union|Commonwealth|Principality)\b")


def authority_states(s):
    return [
        p for p in s.parties if p.kind == "state" and "(" not in p.name and AUTHORITY.search(p.name)
        and not STATE_WORD.match(p.name)
    ]  # fmt: skip


@pytest.mark.parametrize("name", IDS)
def test_an_authority_is_neither_a_government_nor_a_state_nor_a_place(name):
    s = SCENARIOS[name]
    authorities = authority_states(s)
    if not authorities:
        pytest.skip("no authority entered as a State")
    text = full_text(draft_of(name))
    for p in authorities:
        n = re.escape(p.name)
        assert not re.search(rf"Government of (the )?{n}", text, re.IGNORECASE), p.name
        assert not re.search(rf"{n}, the State\b", text), p.name
        as_place = r"in|nationals? of|territory of|affecting|State of nationality other than"
        place = re.search(rf"\b({as_place}) (the )?{n}\b", text)
        assert place is None, place and text[max(0, place.start() - 80) : place.end() + 40]
    consular = article_text(draft_of(name), "consular_representation")
    for p in authorities:
        notified = re.search(rf"\b(notification to|notify) (the )?{re.escape(p.name)}\b", consular)
        assert not notified or "through diplomatic channels" not in consular, consular


# A bracket that is no organ: lower-case words ("contested authorities in …") or a descriptor of the body's kind.
NOTE = re.compile(r"\((?P<note>[a-z][^()]*|[^()]*\b(NGO|charity|foundation)\b[^()]*)\)$")


@pytest.mark.parametrize("name", IDS)
def test_a_bracketed_note_or_descriptor_is_no_part_of_the_name(name):
    s = SCENARIOS[name]
    notes = [(p, m["note"]) for p in s.parties if (m := NOTE.search(p.name))]
    if not notes:
        pytest.skip("no party name with a bracketed note")
    text = full_text(draft_of(name))
    for p, note in notes:
        assert f"({note})" not in text, p.name
        assert dropped_note(p.name, p.kind) == note
        assert note in (party_warning(p.name, p.signatory, p.kind) or ""), p.name


NOT_A_LEGAL_PERSON = re.compile(r"\b(Mechanism|Programme|Directorate-General|Department)\b")


@pytest.mark.parametrize("name", IDS)
def test_a_programme_or_directorate_is_no_party(name):
    """No signature block is for a programme or directorate outside a hole, and the paragraph on international
    organizations names none."""
    s = SCENARIOS[name]
    draft = draft_of(name)
    blocks = re.findall(r"^For (.+?):(?: \[[^\]]*\])?$", draft.signatures, re.MULTILINE)
    for block in blocks:
        assert block.startswith("[") or not NOT_A_LEGAL_PERSON.search(block), block
    organizations = re.search(
        r"Each international organization that is a Party \(([^)]*(\([^)]*\)[^)]*)*)\)", block_of(draft)
    )
    if organizations:
        assert not NOT_A_LEGAL_PERSON.search(organizations[1]), organizations[1]
    for p in s.parties:
        if p.kind in ("international_organization", "regional_body", "donor") and legal_person_unknown(p.name, p.kind):
            assert "legal person" in (party_warning(p.name, p.signatory, p.kind) or "")


@pytest.mark.parametrize("name", IDS)
def test_the_committee_excludes_only_parties_and_names_only_states_people_seek_protection_from(name):
    s = SCENARIOS[name]
    draft = draft_of(name)
    coordination = article_text(draft, "coordination")
    excluded = re.findall(r"; ([^;.]+?) takes? no part in its decisions", coordination)
    referral = re.findall(
        r"\. ([^.]+?), from which persons covered seek protection", article_text(draft, "protection_referral")
    )
    if not excluded and not referral:
        pytest.skip("no State excluded or named as feared")
    for listed in excluded:
        for p in non_signatories(s):
            assert split_organ(p.name, p.kind).entity not in listed, (p.name, listed)
    for listed in excluded + referral:
        for p in s.parties:
            if p.kind != "state" or split_organ(p.name, p.kind).entity not in listed:
                continue
            groups = [g for g in s.populations or [] if g.nationality == p.id]
            fear = any((g.vulnerabilities or {}).get("fear_of_return") for g in groups)
            refugees = any((g.vulnerabilities or {}).get("refugees_or_asylum_seekers") for g in groups)
            assert fear or (refugees and p.id != s.host_state), (p.name, listed)


CAPACITY_KINDS = ("international_organization", "regional_body", "development_bank")


def block_of(draft) -> str:
    """The parties block and the article that holds the parties clause's operative paragraphs."""
    return "\n\n".join([draft.parties, *(a.text for a in draft.articles if a.clause == "parties")])


@pytest.mark.parametrize("name", IDS)
def test_an_organization_of_unstated_capacity_is_not_bound_silently(name):
    s = SCENARIOS[name]
    draft = draft_of(name)
    if draft.instrument != "Agreement":
        pytest.skip("a memorandum binds nobody")
    concluded = draft.parties.split("hereinafter")[0]
    bracket = re.search(r"\[to be confirmed before signature: that ([^;]*);", block_of(draft))
    confirmed = bracket[1] if bracket else ""
    checked = 0
    for p in signatories(s):
        entity = split_organ(p.name, p.kind).entity
        if p.kind not in CAPACITY_KINDS or entity not in concluded:
            continue
        says = p.constraints.can_sign_binding if p.constraints else None
        if says is None and not legal_person_unknown(p.name, p.kind):
            checked += 1
            assert entity in confirmed, (p.name, block_of(draft))
            # the signature block carries the same condition
            assert re.search(
                rf"^For [^\n]*{re.escape(entity)}[^\n]*: \[subject to the confirmation of its capacity",
                draft.signatures,
                re.M,
            ), p.name
            assert "capacity" in (party_warning(p.name, p.signatory, p.kind, says) or "")
        elif says is True:
            assert entity not in confirmed, p.name
    if not checked:
        pytest.skip("no organization of unstated capacity among the Parties")


@pytest.mark.parametrize(
    ("entered", "kind", "entity", "organ"),
    [
        ("European Union (Directorate-General for Humanitarian Aid)", "regional_body", "European Union",
         "Directorate-General for Humanitarian Aid"),
        ("Civil Protection Mechanism (Southern Union)", "regional_body", "Southern Union",
         "Civil Protection Mechanism"),
        ("State of Norra (provisional authorities in Vella)", "state", "State of Norra", None),
        ("Republic of Norra (Embassy in Vella)", "state", "Republic of Norra", "Embassy in Vella"),
        ("Harbour Aid (maritime charity)", "ngo", "Harbour Aid", None),
        ("International Organization for Migration (IOM)", "international_organization",
         "International Organization for Migration (IOM)", None),
    ],
)  # fmt: skip
def test_the_party_is_the_legal_person_and_only_an_organ_acts_for_it(entered, kind, entity, organ):
    assert tuple(split_organ(entered, kind)) == (entity, organ)


def test_an_authority_in_a_place_reads_as_that_place():
    forms = territorial("Interim authorities in Vella", "state")
    assert forms is not None
    assert forms.territory == "Vella"
    assert territorial("Republic of Vella", "state") is None


def test_a_programme_whose_legal_person_is_not_given_is_flagged():
    name = "Regional Relief Programme (Relief Commission)"
    assert legal_person_unknown(name, "regional_body")
    assert not legal_person_unknown("European Union (Directorate-General for Humanitarian Aid)", "regional_body")
    assert "legal person" in (party_warning(name, None, "regional_body", True) or "")
