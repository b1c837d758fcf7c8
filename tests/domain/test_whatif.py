"""What-if comparisons (issue 7): change tokens, their application to a copy of a scenario, and the
comparison of two answers, on the real training scenarios and the shipped rule base."""

from __future__ import annotations

import copy

import pytest

from assistant.domain.evaluate import ROOT, evaluate
from assistant.domain.training import find, load_training_library
from assistant.domain.whatif import (
    KINDS,
    MAX_CHANGES,
    MAX_TOKEN,
    ChangeError,
    Comparison,
    apply_changes,
    build_token,
    compare,
    menus,
    parse_changes,
    party_names,
    what_if,
    with_change,
)

LIBRARY = load_training_library(ROOT / "training")
YEMEN = find(LIBRARY, "yemen_sea_evacuation")
CHAD = find(LIBRARY, "chad_lead_state")
THAILAND = find(LIBRARY, "thailand_flood_border")


def data_of(item) -> dict:
    return item.scenario.to_dict()


def run(item, tokens: list[str]) -> tuple[Comparison, object, object]:
    """The comparison of a training scenario with its changed copy, and both answers."""
    result = what_if(data_of(item), tokens)
    before, after = evaluate(item.scenario), evaluate(result.scenario)
    return compare(before, after, party_names(item.scenario, result.scenario)), before, after


def problems(data: dict, tokens: list[str]) -> list[str]:
    with pytest.raises(ChangeError) as info:
        what_if(data, tokens)
    return info.value.problems


# ---------------------------------------------------------------- tokens


def test_an_unknown_party_is_named_with_the_change_number_and_the_parties():
    [message] = problems(data_of(YEMEN), ["phase:post_crisis", "route:air:open", "consular:zz:embassy"])
    assert message.startswith("change 3: 'consular:zz:embassy': 'zz' is not a party (hodara, obaru, ethara")


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("teleport:somal", "'teleport' is not a kind of change"),
        ("phase", "expected phase:<value>"),
        ("phase:", "expected phase:<value>"),
        ("phase:later", "'later' is not one of preparedness, alert_precautionary"),
        ("consular:somal", "expected consular:<party>:<value>"),
        ("consular:somal:palace", "'palace' is not one of embassy, consulate, honorary, none, unknown"),
        ("capacity:iom:wings:yes", "'wings' is not one of bridging_fund"),
        ("capacity:iom:shelter:maybe", "'maybe' is not one of yes, no, unknown"),
        ("vuln:somal:refugees_or_asylum_seekers:many", "'many' is not a whole number of people"),
        ("vuln:somal:refugees_or_asylum_seekers:-5", "'-5' is not a whole number of people"),
        ("vuln:mars:refugees_or_asylum_seekers:5", "'mars' is not a nationality of the scenario"),
        ("vuln:somal:aliens:5", "'aliens' is not one of unaccompanied_children"),
        ("bridging_fund:on", "use capacity:<party>:bridging_fund:yes"),
        ("route:rail:open", "'rail' is not one of air, sea, land"),
        ("phase:post_crisis:again", "expected phase:<value>"),
    ],
)
def test_bad_tokens_say_what_is_wrong(token, expected):
    [message] = problems(data_of(YEMEN), [token])
    assert message.startswith(f"change 1: {token!r}: ")
    assert expected in message


def test_every_problem_is_reported_at_once():
    found = problems(data_of(YEMEN), ["phase:later", "phase:post_crisis", "consular:zz:none", "route:air:open"])
    assert [m.split(":")[0] for m in found] == ["change 1", "change 3"]


def test_limits_on_the_number_and_length_of_changes():
    data = data_of(YEMEN)
    [message] = problems(data, [f"route:air:{s}" for s in ("open",) * (MAX_CHANGES + 1)])
    assert f"at most {MAX_CHANGES} changes" in message
    [message] = problems(data, ["phase:" + "x" * MAX_TOKEN])
    assert f"longer than {MAX_TOKEN} characters" in message
    assert len(message) < 200  # the token is shortened in the message


def test_two_changes_of_the_same_fact_are_refused():
    [message] = problems(data_of(YEMEN), ["consular:somal:embassy", "phase:post_crisis", "consular:somal:honorary"])
    assert message == "change 3: 'consular:somal:honorary': changes the same thing as change 1"


def test_with_change_replaces_a_change_of_the_same_fact_in_its_place():
    data = data_of(YEMEN)
    tokens = with_change(["consular:somal:embassy", "phase:post_crisis"], "consular:somal:consulate", data)
    assert tokens == ["consular:somal:consulate", "phase:post_crisis"]
    assert with_change(tokens, "route:air:open", data) == [*tokens, "route:air:open"]


def test_build_token_from_form_fields():
    assert build_token("consular", {"party": "somal", "value": "embassy"}) == "consular:somal:embassy"
    assert build_token("vuln", {"group": "somal", "what": "detained", "count": "1,200"}) == "vuln:somal:detained:1200"
    with pytest.raises(ValueError, match="choose the party first"):
        build_token("consular", {"value": "embassy"})
    with pytest.raises(ValueError, match="not a kind of change"):
        build_token("nothing", {})


# ---------------------------------------------------------------- applying


def test_changes_apply_to_a_copy_and_are_described_in_words():
    data = data_of(YEMEN)
    kept = copy.deepcopy(data)
    result = what_if(
        data,
        [
            "consular:somal:embassy",
            "vuln:ethara:refugees_or_asylum_seekers:250",
            "bridging_fund:off",
            "phase:post_crisis",
            "route:land:unknown",
            "service:shelter:yes",
            "funding:cofinancing:no",
        ],
    )
    assert data == kept  # the input is never touched
    assert [a.description for a in result.applied] == [
        "Republic of Somal: consular presence none → embassy",
        "Migrants from Federal Republic of Ethara: refugees or asylum-seekers 0 → 250",
        "The bridging fund disappears: International Organization for Migration can no longer advance money",
        "Crisis phase: mandatory evacuation → post-crisis",
        "Route by land: uncertain → unknown",
        "Service needed: shelter: no → yes",
        "Funding: co-financing is available: yes → no",
    ]
    scenario = result.scenario
    assert scenario.party("somal").capacities.consular_presence == "embassy"
    assert scenario.party("iom").capacities.bridging_fund is False
    assert scenario.crisis.phase == "post_crisis"
    assert scenario.host_conditions.routes.land is None  # "unknown" removes the fact
    assert "shelter" in scenario.services_needed
    assert scenario.funding.cofinancing.available is False
    ethara = next(p for p in scenario.populations if p.nationality == "ethara")
    assert ethara.vulnerabilities["refugees_or_asylum_seekers"] == 250
    assert result.tokens[0] == "consular:somal:embassy"


def test_a_change_that_changes_nothing_says_so():
    [applied] = what_if(data_of(YEMEN), ["phase:mandatory_evacuation"]).applied
    assert not applied.effective
    assert "already so: no change" in applied.description


def test_groups_appear_shrink_and_leave():
    data = data_of(YEMEN)
    result = what_if(data, ["group:stateless:500", "vuln:stateless:refugees_or_asylum_seekers:120", "group:somal:0"])
    groups = {p.nationality: p for p in result.scenario.populations}
    assert groups["stateless"].count == 500
    assert groups["stateless"].vulnerabilities == {"refugees_or_asylum_seekers": 120}
    assert "somal" not in groups
    # A group made smaller cannot hold more people with a need than it has.
    shrunk = what_if(data, ["group:somal:100"]).scenario
    somal = next(p for p in shrunk.populations if p.nationality == "somal")
    assert max(somal.vulnerabilities.values()) == 100


def test_needs_beyond_the_group_or_in_a_missing_group_are_refused():
    [message] = problems(data_of(YEMEN), ["vuln:somal:detained:5000"])
    assert message == "change 1: 'vuln:somal:detained:5000': 5,000 is more than the 2,400 people of the group"
    [message] = problems(data_of(YEMEN), ["vuln:stateless:detained:5"])
    assert "there is no group of nationality 'stateless'" in message
    assert "group:stateless:<count>" in message


def test_apply_changes_alone_reports_problems_by_change():
    changes = parse_changes(["phase:post_crisis", "vuln:somal:detained:9999"], data_of(YEMEN))
    with pytest.raises(ChangeError, match="change 2"):
        apply_changes(data_of(YEMEN), changes)


def test_menus_are_built_from_the_scenario():
    found = menus(data_of(YEMEN))
    assert ("somal", "Republic of Somal") in found["states"]
    assert ("strait_ferries", "Strait Ferries Company") in found["parties"]
    assert ("strait_ferries", "Strait Ferries Company") not in found["states"]
    assert [g for g, _ in found["groups"]] == ["ethara", "somal", "indara"]
    assert found["vulnerabilities"][0][0] == "refugees_or_asylum_seekers"
    assert set(KINDS) >= {"phase", "consular", "vuln", "bridging_fund"}


# ---------------------------------------------------------------- comparing, on the real rule base


def test_an_answer_compared_with_itself_is_identical():
    advice = evaluate(YEMEN.scenario)
    comparison = compare(advice, advice)
    assert comparison.identical
    assert (comparison.count("added"), comparison.count("removed"), comparison.count("changed")) == (0, 0, 0)
    assert all(c.unchanged or not c.changes for c in comparison.categories)


def _with_post_and_represented():
    """(training scenario, origin State with nationals and a post, other States with an embassy or consulate)."""
    cases = []
    for item in LIBRARY:
        data = data_of(item)
        nationals = {g["nationality"] for g in data.get("populations", [])}
        states = [p for p in data["parties"] if p["kind"] == "state"]
        presence = {p["id"]: (p.get("capacities") or {}).get("consular_presence") for p in states}
        posts = [s for s, post in presence.items() if post in ("embassy", "consulate")]
        for p in states:
            others = [s for s in posts if s != p["id"]]
            # an honorary consul issues no travel documents, so such a State already has a Representing State
            if p["id"] in nationals and presence[p["id"]] in ("embassy", "consulate") and others:
                cases.append(pytest.param(item, p["id"], others, id=f"{item.slug}-{p['id']}"))
    return cases


CASES = _with_post_and_represented()


def test_there_are_cases_of_lost_consular_presence():
    assert len(CASES) >= 5


@pytest.mark.parametrize(("item", "state", "others"), CASES)
def test_losing_consular_presence_adds_a_representing_state(item, state, others):
    comparison, _before, after = run(item, [f"consular:{state}:none"])
    added = [c for c in comparison.category("roles").changes if c.kind == "added" and c.key.startswith("representing")]
    mine = [c for c in added if c.key.split("|")[1] == state]
    assert mine, [c.key for c in comparison.category("roles").changes]
    for change in mine:
        holder = change.key.split("|")[2]
        assert holder in others
        role = next(r for r in after.roles if r.role == "representing_state" and r.for_ == state and r.party == holder)
        # The rules shown are those behind the suggestion, resolved against the answer that holds it.
        assert [r.id for r in change.rules] == role.because
        assert all(r.title == after.rule(r.id).title and r.source == after.rule(r.id).source for r in change.rules)
        assert change.before is None
        assert item.scenario.party(holder).name in change.after
    assert "unrepresented_nationals" in {f.id for f in after.risk_flags}


def test_moving_to_preparedness_changes_suggestions_and_rules():
    comparison, before, after = run(YEMEN, ["phase:preparedness"])
    assert comparison.count("added") + comparison.count("removed") + comparison.count("changed") >= 1
    started = {c.key for c in comparison.rules.changes if c.kind == "added"}
    stopped = {c.key for c in comparison.rules.changes if c.kind == "removed"}
    assert started == {r.id for r in after.rules_fired} - {r.id for r in before.rules_fired}
    assert stopped == {r.id for r in before.rules_fired} - {r.id for r in after.rules_fired}
    assert started
    assert stopped


def test_refugees_among_the_migrants_bring_protection_suggestions():
    # a flood, not a conflict: people leaving an armed conflict across a border get non-refoulement already (round 12)
    comparison, before, after = run(THAILAND, ["vuln:kordesh:refugees_or_asylum_seekers:100"])
    assert "refoulement_risk" not in {f.id for f in before.risk_flags}
    flags = {c.key: c for c in comparison.category("risk_flags").changes}
    assert flags["refoulement_risk"].kind == "added"
    assert "100" in flags["refoulement_risk"].after  # the flag's details name the people concerned
    # the return home to Kordesh carries the bar on return to danger already (round 13); the refugees add the risk and
    # its reasons to it, and the article stays
    assert "non_refoulement" in {c.id for c in before.clauses}
    assert "non_refoulement" in {c.id for c in after.clauses}
    before_because = next(c.because for c in before.clauses if c.id == "non_refoulement")
    after_because = next(c.because for c in after.clauses if c.id == "non_refoulement")
    assert "prot.refoulement.refugees" in set(after_because) - set(before_because)


def test_the_bridging_fund_disappearing_removes_its_role_and_model():
    comparison, before, after = run(YEMEN, ["bridging_fund:off"])
    removed_roles = {c.key for c in comparison.category("roles").changes if c.kind == "removed"}
    assert any(k.startswith("bridging_funder|") for k in removed_roles)
    removed_models = {c.key: c for c in comparison.category("cost_models").changes if c.kind == "removed"}
    assert "advance_and_recover" in removed_models
    model = next(m for m in before.cost_allocation.models if m.id == "advance_and_recover")
    rules = removed_models["advance_and_recover"].rules
    assert [r.id for r in rules] == model.because
    assert [r.title for r in rules] == [before.rule(r).title for r in model.because]  # from the old answer
    assert all(r.rationale for r in rules)
    assert removed_models["advance_and_recover"].after is None
    assert not after.holders("bridging_funder")


def test_a_changed_share_shows_before_and_after():
    comparison, before, after = run(YEMEN, ["group:ethara:10000"])
    shares = {c.key: c for c in comparison.category("cost_shares").changes}
    ethara = shares["ethara"]
    assert ethara.kind == "changed"
    old = next(s for s in before.cost_allocation.shares if s.party == "ethara")
    new = next(s for s in after.cost_allocation.shares if s.party == "ethara")
    assert new.share > old.share
    assert f"{old.share * 100:.2f} %" in ethara.before
    assert f"{new.share * 100:.2f} %" in ethara.after
    assert ethara.name == "Federal Republic of Ethara"


def test_a_role_moving_to_another_party_is_one_change():
    # Chad: the second State with an embassy backs up the Lead State; without its post, another party does.
    # (Yemen's backup is the transit State since a State of origin backs up a multinational evacuation only when
    # nobody else can, so a State of origin's consular presence no longer moves it.)
    comparison, before, after = run(CHAD, ["consular:teutonia:none"])
    [backup] = [c for c in comparison.category("roles").changes if c.key == "backup_lead|"]
    assert backup.kind == "changed"
    assert before.holders("backup_lead")[0].party != after.holders("backup_lead")[0].party
    assert "Federal Republic of Teutonia" in backup.before
    assert backup.rules_before  # the rules that chose the old holder are there too


def test_the_redline_of_the_draft_follows_the_articles():
    comparison, before, after = run(YEMEN, ["consular:somal:embassy"])
    old = {a.clause for a in before.draft.articles}
    new = {a.clause for a in after.draft.articles}
    assert {c.key for c in comparison.summary.added} == new - old
    assert {c.key for c in comparison.summary.removed} == old - new
    assert comparison.summary.added or comparison.summary.removed or comparison.summary.changed


def test_a_conflict_whose_count_changes_is_one_changed_conflict():
    from assistant.domain.advice import Advice, ConflictAdvice
    from assistant.domain.whatif import compare

    def advice(*conflicts):
        return Advice(title="T", conflicts=[ConflictAdvice(id=i, message=m, because=["r"]) for i, m in conflicts])

    before = advice(("two_leads", "2 parties claim the lead"), ("shares_not_whole", "Shares add to 0.9"))
    after = advice(("two_leads", "3 parties claim the lead"), ("shares_not_whole", "Shares add to 0.9"))
    diff = compare(before, after).category("conflicts")
    assert [(c.kind, c.before, c.after) for c in diff.changes] == [
        ("changed", "two leads: 2 parties claim the lead", "two leads: 3 parties claim the lead")
    ]
    assert len(diff.unchanged) == 1
    several = advice(("two_leads", "a"), ("two_leads", "b"))
    diff = compare(several, advice(("two_leads", "a"))).category("conflicts")
    assert [(c.kind, c.before) for c in diff.changes] == [("removed", "two leads: b")]
