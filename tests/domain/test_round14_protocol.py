"""Round-14 reading of nepal2015_family_tracing (heavy): the Data-Sharing Protocol of an agreement that moves nobody
"only allows sharing for referral and family links, yet authorises movement, identity, travel-health and cost data
sets for operations this agreement does not have", and has no rule for the data flows it does set up (reports to a
police missing-persons desk). Each data set of paragraph 5 now serves a permitted purpose of paragraph 2 and each
purpose has its data set; the sets are lettered in order and every "paragraph 5(x)" reference finds its set."""

from __future__ import annotations

import re

import pytest

from tests.domain.corpus import IDS
from tests.domain.corpus import corpus_advice as advice_of

# each data set of paragraph 5 and the words of the purpose of paragraph 2 it serves
SET_PURPOSES = {
    "Movement data set": "Relocation and Evacuation",
    "Identity data set": "the verification of identity and nationality",
    "Protection data set": "the referral of refugees",
    "Family-links data set": "restoring family links",
    "Health data set": "health care",
    "Cost data set": "the reconciliation and audit of costs",
}


def protocol(advice):
    return next((a.text for a in advice.draft.annexes if "Data-Sharing Protocol" in a.title), None)


@pytest.mark.parametrize("name", IDS)
def test_each_data_set_serves_a_permitted_purpose_and_each_purpose_has_its_data_set(name: str) -> None:
    text = protocol(advice_of(name))
    if text is None:
        pytest.skip("no Data-Sharing Protocol")
    purposes = re.search(r"2\. Permitted purposes\.(.*?)\n", text).group(1)
    sets = re.search(r"5\. Data sets and recipients\.(.*?)\n6\. Lawful basis", text, re.S).group(1)
    entries = re.findall(r"^\(([a-h])\) ([A-Z][\w -]+?)(?: \(|:)", sets, re.M)
    letters = [letter for letter, _ in entries]
    assert letters == list("abcdefgh"[: len(letters)]), (name, letters)
    listed = {title for _, title in entries}
    for data_set, purpose in SET_PURPOSES.items():
        assert (data_set in listed) == (purpose in purposes), (name, data_set, purpose)
    for ref in re.findall(r"paragraph 5\(([a-h])\)", text):
        assert ref in letters, (name, ref)


@pytest.mark.parametrize("name", IDS)
def test_an_agreement_without_movements_shares_no_movement_data(name: str) -> None:
    """No operations article (no Manifests, no movements): no movement data set, retention or paper Manifests (an
    operations article that keeps Manifests keeps its data set: round 14b, "Art. 9(5) requires Manifests to be
    shared, but Annex E has no movement data set")."""
    advice = advice_of(name)
    text = protocol(advice)
    if text is None or any(a.clause == "operations" for a in advice.draft.articles):
        pytest.skip("no Protocol, or the draft organizes movements")
    assert "Movement data set" not in text, name
    assert "Manifests and the movement data set" not in text, name
    assert "collected after each movement" not in text, name


# Final round-14 reading (two heavy drafts): nepal2015, "no lawful way to tell embassies about deaths of their
# nationals (VCCR Art. 37) or to exchange data to identify the dead"; car2014, "by way of exception to the rule that a
# Transit State bears the reception it provides, a rule the Agreement does not contain", and evacuation categories
# "beyond the Tchadran nationals and families that Art. 3 covers".


@pytest.mark.parametrize("name", IDS)
def test_a_tracing_protocol_lets_deaths_be_notified_to_consular_posts(name: str) -> None:
    text = protocol(advice_of(name))
    if text is None or "Family-links data set" not in text:
        pytest.skip("no family-links data set")
    assert "Article 37 of the Vienna Convention on Consular Relations" in text, name
    assert "the notification of deaths to the consular posts" in text, name


@pytest.mark.parametrize("name", IDS)
def test_no_exception_to_a_transit_rule_the_cost_article_does_not_make(name: str) -> None:
    advice = advice_of(name)
    transit = next((a.text for a in advice.draft.articles if a.clause == "transit_reception"), "")
    if "by way of exception to the rule that a Transit State bears the reception it provides" in transit:
        assert any(c.id == "cost_allocation" and c.variant == "standard" for c in advice.clauses), name


@pytest.mark.parametrize("name", IDS)
def test_evacuation_categories_stay_within_the_scope_article(name: str) -> None:
    advice = advice_of(name)
    listing = next((a.text for a in advice.draft.articles if a.clause == "operations_evacuation_list"), "")
    if "categories of persons" not in listing:
        pytest.skip("no single evacuation list")
    scope = next(f"Article {a.number}" for a in advice.draft.articles if a.clause == "scope")
    assert f"categories of persons covered by {scope}" in listing, name


@pytest.mark.parametrize("name", IDS)
def test_a_police_missing_persons_desk_receives_reports_and_identity_data_only(name: str) -> None:
    """Round-14 re-reading of nepal2015: "Annex E(5)(b) and (9) give the police Missing Persons Desk the whole
    family-links data set, against Art. 11(3) and the Restoring Family Links Code of Conduct"."""
    text = protocol(advice_of(name))
    if text is None or "Missing Persons Desk" not in text:
        pytest.skip("no police missing-persons desk among the recipients")
    assert "receives the family-links data set" not in text, name
    assert text.count("the identity data of the persons sought") == 2, name
