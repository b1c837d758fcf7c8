"""Redlines between two drafts: articles matched by clause id, word-level changes, the other parts."""

import copy

import pytest

from assistant.domain.advice import Annex, Article, Draft
from assistant.domain.evaluate import evaluate
from assistant.domain.redline import Segment, redline, split_paragraphs, summarize, text_diff, word_diff
from assistant.domain.scenario import parse_scenario


def art(number, clause, text, heading=None):
    return Article(number=str(number), heading=heading or clause.title(), text=text, clause=clause)


BASE = Draft(
    title="Flood season pact",
    parties="1. This Agreement is concluded between A and B.",
    preamble="The Parties,\n\n1. Recalling the Guidelines,\n\nHave agreed as follows:",
    articles=[
        art(1, "purpose", "1. The purpose is cooperation.\n\n2. The Parties shall meet yearly."),
        art(2, "scope", "1. This Agreement applies to floods."),
        art(3, "costs", "1. Each Party bears its own costs."),
    ],
    signatures="IN WITNESS WHEREOF the Parties have signed.",
    annexes=[Annex(title="Annex A. Contact points", text="A: desk one.")],
)


def changed(draft: Draft, **update) -> Draft:
    return draft.model_copy(update=update, deep=True)


def by_key(changes, part="article"):
    return {c.key: c for c in changes if c.part == part}


def inserted(change) -> str:
    return " ".join(s.text.strip() for p in change.paragraphs for s in p.segments if s.kind == "insert")


def deleted(change) -> str:
    return " ".join(s.text.strip() for p in change.paragraphs for s in p.segments if s.kind == "delete")


def test_identical_drafts_give_no_changes():
    changes = redline(BASE, copy.deepcopy(BASE))
    assert changes
    assert all(c.kind == "unchanged" for c in changes)
    assert all(p.kind == "equal" for c in changes for p in c.paragraphs)
    assert summarize(changes).identical
    assert summarize(changes).unchanged == 3


def test_added_article_is_marked_as_inserted():
    new = changed(
        BASE,
        articles=[
            *BASE.articles[:2],
            art(3, "liability", "1. No Party is liable."),
            art(4, "costs", BASE.articles[2].text),
        ],
    )
    changes = redline(BASE, new)
    articles = by_key(changes)
    assert articles["liability"].kind == "added"
    assert articles["liability"].old_number is None
    assert articles["liability"].new_number == "3"
    assert inserted(articles["liability"]) == "1. No Party is liable."
    assert articles["liability"].heading == (Segment("insert", "Liability"),)
    assert articles["costs"].kind == "moved"
    assert articles["costs"].renumbered
    assert (articles["costs"].old_number, articles["costs"].new_number) == ("3", "4")
    summary = summarize(changes)
    assert [c.key for c in summary.added] == ["liability"]
    assert [c.key for c in summary.moved] == ["costs"]
    assert not summary.removed
    assert not summary.changed
    assert [c.key for c in changes if c.part == "article"] == ["purpose", "scope", "liability", "costs"]


def test_removed_article_stays_where_it_was():
    new = changed(BASE, articles=[BASE.articles[0], art(2, "costs", BASE.articles[2].text)])
    changes = redline(BASE, new)
    assert [c.key for c in changes if c.part == "article"] == ["purpose", "scope", "costs"]
    scope = by_key(changes)["scope"]
    assert scope.kind == "removed"
    assert scope.number == "2"
    assert scope.new_number is None
    assert deleted(scope) == "1. This Agreement applies to floods."
    assert inserted(scope) == ""
    summary = summarize(changes)
    assert [c.key for c in summary.removed] == ["scope"]
    assert [c.key for c in summary.moved] == ["costs"]


def test_renumbered_and_reordered_articles_are_the_same_articles():
    a, b, c = BASE.articles
    new = changed(BASE, articles=[art(1, "scope", b.text), art(2, "purpose", a.text), art(3, "costs", c.text)])
    articles = by_key(redline(BASE, new))
    assert articles["purpose"].kind == "moved"
    assert articles["scope"].kind == "moved"
    assert articles["purpose"].reordered != articles["scope"].reordered  # one of the two moved past the other
    assert articles["costs"].kind == "unchanged"
    assert not any(p.kind != "equal" for x in articles.values() for p in x.paragraphs)


def test_word_changes_inside_an_article():
    new = changed(
        BASE,
        articles=[
            art(1, "purpose", "1. The purpose is close cooperation.\n\n2. The Parties shall meet twice a year."),
            *BASE.articles[1:],
        ],
    )
    purpose = by_key(redline(BASE, new))["purpose"]
    assert purpose.kind == "changed"
    assert not purpose.renumbered
    first, second = purpose.paragraphs
    assert first.segments == (
        Segment("equal", "1. The purpose is "),
        Segment("insert", "close "),
        Segment("equal", "cooperation."),
    )
    assert [s for s in second.segments if s.kind != "equal"] == [
        Segment("delete", "yearly."),
        Segment("insert", "twice a year."),
    ]
    assert first.old == "1. The purpose is cooperation."
    assert first.new == "1. The purpose is close cooperation."


def test_heading_changes_are_word_diffs_too():
    new = changed(
        BASE,
        articles=[BASE.articles[0], art(2, "scope", BASE.articles[1].text, "Scope of application"), BASE.articles[2]],
    )
    scope = by_key(redline(BASE, new))["scope"]
    assert scope.kind == "changed"
    assert scope.heading_changed
    assert not scope.text_changed
    assert scope.heading == (Segment("equal", "Scope "), Segment("insert", "of application"))


def test_new_paragraph_in_the_middle_is_inserted_and_the_rest_renumbered():
    old = "1. Alpha beta gamma.\n\n2. Delta epsilon zeta eta.\n\n3. Theta iota kappa lambda."
    new = (
        "1. Alpha beta gamma.\n\n2. Something new entirely.\n\n"
        "3. Delta epsilon zeta eta.\n\n4. Theta iota kappa lambda."
    )
    kinds = [p.kind for p in text_diff(old, new)]
    assert kinds == ["equal", "insert", "changed", "changed"]
    third = text_diff(old, new)[2]
    assert [s for s in third.segments if s.kind != "equal"] == [Segment("delete", "2. "), Segment("insert", "3. ")]


def test_parties_preamble_signatures_title_and_annexes():
    new = changed(
        BASE,
        title="Flood and storm season pact",
        parties="1. This Agreement is concluded between A, B and C.",
        preamble=BASE.preamble.replace("Recalling", "Recalling in particular"),
        signatures="IN WITNESS WHEREOF the Parties have signed this Agreement.",
        annexes=[
            Annex(title="Annex A. Costs table", text="Shares."),
            Annex(title="Annex B. Contact points", text="A: desk two."),
        ],
    )
    changes = redline(BASE, new)
    parts = {c.part: c for c in changes if c.part not in ("article", "annex")}
    assert set(parts) == {"title", "parties", "preamble", "signatures"}
    assert all(c.kind == "changed" for c in parts.values())
    assert inserted(parts["title"]) == "and storm"
    (parties,) = parts["parties"].paragraphs
    assert (parties.old, parties.new) == (BASE.parties, new.parties)
    assert "C." in inserted(parts["parties"])
    assert "B." in deleted(parts["parties"])
    assert inserted(parts["preamble"]) == "in particular"
    assert (deleted(parts["signatures"]), inserted(parts["signatures"])) == ("signed.", "signed this Agreement.")
    annexes = by_key(changes, "annex")
    assert annexes["costs table"].kind == "added"
    contact = annexes["contact points"]
    assert contact.kind == "changed"
    assert contact.renumbered
    assert (contact.old_number, contact.new_number) == ("Annex A", "Annex B")
    assert deleted(contact) == "one."
    assert inserted(contact) == "two."
    assert {c.key for c in summarize(changes).other} == {
        "title",
        "parties",
        "preamble",
        "signatures",
        "costs table",
        "contact points",
    }


def test_duplicate_clause_ids_are_all_kept():
    old = changed(BASE, articles=[art(1, "x", "One."), art(2, "x", "Two.")])
    new = changed(BASE, articles=[art(1, "x", "One."), art(2, "x", "Two and a half.")])
    articles = by_key(redline(old, new))
    assert set(articles) == {"x", "x#2"}
    assert articles["x"].kind == "unchanged"
    assert articles["x#2"].kind == "changed"


def test_spacing_and_line_breaks_of_the_new_text_survive():
    segments = word_diff("For A:\n____\nFor B:\n____", "For A:\n____\nFor C:\n____")
    assert "".join(s.text for s in segments if s.kind != "delete") == "For A:\n____\nFor C:\n____"
    assert split_paragraphs("a\n\n\n\n  \n\nb ") == ["a", "b"]


def test_empty_drafts_and_empty_texts():
    empty = Draft(title="T")
    assert all(c.kind == "unchanged" for c in redline(empty, empty))
    assert text_diff("", "") == ()
    assert [p.kind for p in text_diff("", "New.")] == ["insert"]
    assert [p.kind for p in text_diff("Old.", "")] == ["delete"]


@pytest.fixture(scope="module")
def example_drafts():
    import yaml

    from tests.helpers import ROOT

    data = yaml.safe_load((ROOT / "scenarios" / "evacuation_multinational.yaml").read_text())
    old = evaluate(parse_scenario(data)).draft
    other = copy.deepcopy(data)
    other["title"] = "Joint evacuation pact"
    other["parties"] = [p for p in other["parties"] if p["id"] != "kesh"]
    other["populations"] = [p for p in other["populations"] if p["nationality"] != "kesh"]
    return old, evaluate(parse_scenario(other)).draft


def test_real_drafts_taking_out_a_party(example_drafts):
    old, new = example_drafts
    changes = redline(old, new)
    summary = summarize(changes)
    assert {c.key for c in summary.removed} >= {"consular_representation"}
    assert summary.changed
    assert summary.moved
    assert "Kesh" in deleted(by_key(changes, "parties")["parties"])
    back = summarize(redline(new, old))
    assert {c.key for c in back.added} == {c.key for c in summary.removed}
    # every word of both drafts is still there: the new text read from the redline is the new draft
    for c in changes:
        if c.part == "article" and c.kind != "removed":
            article = next(a for a in new.articles if a.clause == c.key)
            assert [p.new for p in c.paragraphs if p.kind != "delete"] == split_paragraphs(article.text)
        if c.part == "article" and c.kind != "added":
            article = next(a for a in old.articles if a.clause == c.key)
            assert [p.old for p in c.paragraphs if p.kind != "insert"] == split_paragraphs(article.text)
