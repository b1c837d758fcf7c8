"""Drafting artefacts the blind readers found, each as a class on small scenarios built here: the organ fused into a
State's name, raw language codes, template grammar and residue, and defined terms (defined and unused, used and
undefined)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from assistant.domain.advice import Advice
from assistant.domain.assembly import inline_definitions
from assistant.domain.draft_check import TERMS_OF_ART  # the one list of terms of art, as the checker reads it
from assistant.domain.evaluate import evaluate
from assistant.domain.names import language_name, split_organ
from assistant.domain.scenario import parse_scenario
from tests.domain.corpus import parties_text

ROOT = Path(__file__).resolve().parents[2]


def build(parties, populations, *, types=(), services=(), kind="armed_conflict", host="host", transit=(), **extra):
    data = {
        "title": "Test",
        "agreement_types": list(types),
        "crisis": {"kind": kind, "phase": "emergency_response"},
        "host_state": host,
        "transit_states": list(transit),
        "parties": parties,
        "populations": populations,
        "services_needed": list(services),
        **extra,
    }
    return evaluate(parse_scenario(data))


def state(pid, name, *roles, **caps):
    return {"id": pid, "name": name, "kind": "state", "crisis_roles": list(roles), "capacities": caps}


IOM = {
    "id": "iom",
    "name": "International Organization for Migration",
    "kind": "international_organization",
    "mandates": ["migration"],
}


def body(advice: Advice) -> str:
    """Everything but the parties clause (its block and its article) and the annexes."""
    d = advice.draft
    return "\n".join([d.preamble or "", *(a.text for a in d.articles if a.clause != "parties")])


def full_text(advice: Advice) -> str:
    d = advice.draft
    return "\n".join([parties_text(advice), body(advice), *(a.text for a in d.annexes), d.signatures or ""])


def annex(advice: Advice, letter: str) -> str:
    return next(a.text for a in advice.draft.annexes if a.title.startswith(f"Annex {letter}."))


# ---------------------------------------------------------------- 1. the organ fused into the State's name


def organ_scenario():
    return build(
        [
            state("karst", "Republic of Karst (Civil Protection Directorate)", "host", shelter=True, food=True),
            state("indara", "Republic of Indara (Ministry of External Affairs)", "origin", consular_presence="embassy"),
            state(
                "himara",
                "Himara Police (Missing Persons Desk), Federal Republic of Himara",
                "origin",
                consular_presence="consulate",
            ),
            IOM,
        ],
        [{"nationality": "indara", "count": 400}, {"nationality": "himara", "count": 300}],
        types=["evacuation_relocation"],
        services=["evacuation_transport", "shelter"],
        kind="natural_hazard",
        host="karst",
    )


def test_split_organ_reads_a_trailing_parenthetical_or_a_leading_organ_as_the_acting_organ():
    assert split_organ("Republic of Karst (Civil Protection Directorate)", "state") == (
        "Republic of Karst",
        "Civil Protection Directorate",
    )
    assert split_organ("Union of Myanra (Consulate in Mae Varin)", "state").organ == "Consulate in Mae Varin"
    assert split_organ("Himara Police (Missing Persons Desk), Federal Republic of Himara", "state") == (
        "Federal Republic of Himara",
        "Himara Police (Missing Persons Desk)",
    )
    # A parenthetical naming a State says whose authority it is; organizations keep their names.
    assert split_organ("Sava Prefecture (Republic of Kordesh)", "local_authority").organ is None
    assert split_organ("Regional Migration Office (RMO)", "international_organization").organ is None


def test_running_text_names_the_state_and_the_parties_block_names_the_organ_once():
    advice = organ_scenario()
    text = body(advice)
    assert "(Civil Protection Directorate)" not in text
    assert "(Ministry of External Affairs)" not in text
    assert "Missing Persons Desk" not in text
    assert "the Republic of Karst" in text
    parties = parties_text(advice)
    assert "the Government of the Republic of Karst" in parties
    assert "the Government of the Federal Republic of Himara" in parties
    assert parties.count("Civil Protection Directorate") == 1
    assert "its Civil Protection Directorate is its competent authority for" in parties
    assert "its Himara Police (Missing Persons Desk) is its competent authority for" in parties
    # Annex C lists the State, with its organ beside its focal point; the signature blocks name the Government.
    assert "Republic of Karst | Civil Protection Directorate; focal point [to be completed]" in annex(advice, "C")
    assert "For the Government of the Republic of Karst:" in advice.draft.signatures
    assert "Directorate" not in annex(advice, "A")
    # Party ids stay as they are.
    assert {r.party for r in advice.roles} <= {"karst", "indara", "himara", "iom"}


# ---------------------------------------------------------------- 2. hotline languages given as codes


def test_language_codes_read_as_language_names_and_words_stay():
    assert [language_name(c) for c in ("en", "si", "ta", "dyu", "fr", "mos", "kar", "my", "th")] == [
        "English",
        "Sinhala",
        "Tamil",
        "Dyula",
        "French",
        "Mossi",
        "Karen",
        "Burmese",
        "Thai",
    ]
    assert language_name("Palumayan") == "Palumayan"
    assert language_name("kordeshi") == "kordeshi"
    assert language_name("zz") == "zz"
    assert language_name("") == ""


def test_hotline_languages_in_the_draft_are_names():
    advice = build(
        [
            state("host", "Republic of Hostia", "host"),
            state("lanka", "Republic of Lanka", "origin", consular_presence="embassy"),
            {
                "id": "assoc",
                "name": "Lankan Workers' Association",
                "kind": "migrant_association",
                "capacities": {"hotline_languages": ["en", "si", "ta", "Hostian"]},
            },
            IOM,
        ],
        [{"nationality": "lanka", "count": 500}],
        types=["evacuation_relocation"],
        services=["information_to_migrants"],
        kind="natural_hazard",
    )
    text = full_text(advice)
    assert "English, Hostian, Sinhala and Tamil" in text
    assert not re.search(r"\b(en|si|ta), ", text)
    assert "English, Sinhala, Tamil, Hostian" in annex(advice, "C")


# ---------------------------------------------------------------- 3. template grammar and residue


def render(clause_id: str, variant: str, **ctx) -> str:
    """A clause rendered with the draft context ``ctx`` (params fill from it, else their defaults or a hole)."""
    from assistant.domain.assembly import param_values
    from assistant.domain.clauses import render_body
    from assistant.domain.evaluate import default_library

    clause = default_library().get(clause_id)
    return render_body(clause, variant, param_values(clause, {"instrument": "Agreement", **ctx}))


def test_the_lead_party_alone_coordinates_in_the_singular():
    for variant in ("standing_committee", "focal_point_network"):
        alone = render("coordination", variant, lead_name="the Republic of Hostia", host_name="the Republic of Hostia")
        assert (
            "The Lead Party coordinates the Parties and transmits requests; it does not take those decisions." in alone
        )
        assert "coordinate the Parties and transmit requests; they" not in alone
        one = render(
            "coordination",
            variant,
            host_name="the Republic of Hostia",
            operation_lead_texts=["family tracing to the Hostian Red Cross"],
        )
        assert "The Lead Party and the Operation Lead coordinate" in one
    net = render(
        "coordination", "focal_point_network", operation_lead_texts=["family tracing to the Hostian Red Cross"]
    )
    assert "as Operation Lead that reports to the Crisis Cell" in net


def test_a_single_holder_is_named_in_the_singular():
    fund = render("bridging_fund", "standard", bridging_funder_names=["the International Organization for Migration"])
    assert "the Party that holds an emergency or revolving fund (the International Organization for Migration)" in fund
    two = render("bridging_fund", "standard", bridging_funder_names=["the Republic of Palumaya", "the IOM"])
    assert "the Parties that hold an emergency or revolving fund" in two
    mon = render(
        "reporting_monitoring", "standard", role_monitoring_evaluation=["the International Organization for Migration"]
    )
    assert "The Party responsible for monitoring and evaluation (the International" in mon


def test_a_transit_state_operating_its_own_reception_points_is_not_asked_to_cooperate_with_itself():
    for variant in ("standard", "with_consent"):
        if variant not in default_variants("transit_reception"):
            continue
        own = render(
            "transit_reception",
            variant,
            arrival_names=["the Republic of Ostrevia"],
            role_transit_facilitator=["the Republic of Ostrevia"],
        )
        assert "operated by the Republic of Ostrevia, on its own territory." in own
        assert "competent authorities of the Transit State, on its territory" not in own
        other = render(
            "transit_reception",
            variant,
            arrival_names=["the Republic of Ostrevia"],
            role_transit_facilitator=["the International Organization for Migration"],
        )
        assert "competent authorities of the Transit State, on its territory" in other


def default_variants(clause_id: str) -> list[str]:
    from assistant.domain.evaluate import default_library

    return list(default_library().get(clause_id).variants)


def test_names_are_listed_once():
    from assistant.domain.clauses import _and_list

    assert _and_list(["the Republic of Gallia", "the Republic of Gallia", "the Federal Republic of Teutonia"]) == (
        "the Republic of Gallia and the Federal Republic of Teutonia"
    )
    text = render(
        "consular_representation",
        "standard",
        host_name="the Republic of Hostia",
        representing_names=["the Republic of Gallia", "the Republic of Gallia"],
        represented_names=["the Republic of Kenora", "the Republic of Lusara"],
    )
    assert 'the Republic of Gallia (the "Representing State")' in text


def test_a_placeholder_is_not_followed_by_the_words_it_stands_for():
    pooled = render("cost_allocation", "pro_rata", currency="USD")
    assert "The estimated total cost of [to be agreed" not in pooled
    assert "a planning figure, not a ceiling.]" not in pooled
    bank = render("cost_allocation", "development_bank", development_bank_name="the Continental Bank")
    assert "], the date of onset of the Crisis," not in bank
    assert "on or after the date of onset of the Crisis" in bank


def test_residual_shares_say_who_carries_which_group():
    advice = build(
        [state("host", "Republic of Hostia", "host"), state("ostr", "Republic of Ostrevia", "origin"), IOM],
        [{"nationality": "ostr", "count": 900}, {"nationality": "other", "count": 100}],
        types=["evacuation_relocation"],
        services=["evacuation_transport"],
        funding={"share_costs": True, "estimated_cost": 1000000},
    )
    text = annex(advice, "B")
    assert "(other), carried" not in text
    assert "(other), met" not in text
    assert re.search(r"\(other nationalities\), (?:borne by|met from the donor contributions that) \w", text)


# ---------------------------------------------------------------- 4. defined terms


DEFINED = re.compile(r'"([^"]+)" means')


def split_definitions(advice: Advice) -> tuple[str, str]:
    """The definitions article, and the rest of the draft."""
    d = advice.draft
    defs = next(a.text for a in d.articles if a.clause == "definitions")
    rest = "\n".join(
        [d.parties or "", d.preamble or "", *(a.text for a in d.articles if a.clause != "definitions")]
        + [a.text for a in d.annexes]
    )
    return defs, rest


def uses(term: str, text: str) -> bool:
    words = [re.escape(w) + "(?:s|es)?" for w in term.split()]
    title = len(words) > 1 and all(w[:1].isupper() for w in term.split())
    first = words[0] if title else f"[{term[0].upper()}{term[0].lower()}]" + words[0][len(re.escape(term[0])) :]
    return bool(re.search(r"(?<![\w-])" + r"\s+".join([first, *words[1:]]) + r"(?![\w-])", text))


def check_defined_terms(advice: Advice) -> None:
    defs, rest = split_definitions(advice)
    chunks = re.split(r'(?<=[.;]) (?="[^"]+" means)', defs)
    for term in DEFINED.findall(defs):
        elsewhere = rest + "\n".join(c for c in chunks if f'"{term}" means' not in c)
        assert uses(term, elsewhere), f"{term!r} is defined but not used"
    # a term an article defines itself ('(the "Representing State")') is defined there, and only there
    inline = {t.lower() for t in inline_definitions(rest)}
    assert not inline & {t.lower() for t in DEFINED.findall(defs)}, "a term defined in an article and in Definitions"
    defined = {t.lower() for t in DEFINED.findall(defs)} | inline
    for term in TERMS_OF_ART:
        if re.search(r"(?<![\w-])" + re.escape(term) + r"s?(?![\w-])", rest):
            assert term.lower() in defined, f"{term!r} is used but not defined"
    assert len(DEFINED.findall(defs)) == len({t.lower() for t in DEFINED.findall(defs)}), "a term defined twice"
    numbers = [int(m) for m in re.findall(r"^(\d+)\.", defs, re.MULTILINE)]
    assert numbers == list(range(1, len(numbers) + 1))


def shipped_and_training():
    out = []
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        out.append((path.stem, yaml.safe_load(path.read_text())))
    for path in sorted((ROOT / "training").glob("*.yaml")):
        out.append((path.stem, yaml.safe_load(path.read_text())["scenario"]))
    return out


@pytest.mark.parametrize(("name", "data"), shipped_and_training(), ids=[n for n, _ in shipped_and_training()])
def test_every_defined_term_is_used_and_every_term_of_art_used_is_defined(name, data):
    check_defined_terms(evaluate(parse_scenario(data)))


def test_small_scenarios_define_what_they_use_and_nothing_more():
    advice = organ_scenario()
    check_defined_terms(advice)
    defs, _ = split_definitions(advice)
    assert '"Operation Lead" means' not in defs  # nobody leads an operation beside the lead
    assert '"Foreign principal" means' not in defs


def test_a_term_a_selected_clause_uses_brings_its_definition_from_the_library():
    from assistant.domain.advice import Annex, Article, Draft
    from assistant.domain.assembly import settle_definitions
    from assistant.domain.evaluate import default_library

    draft = Draft(
        title="T",
        articles=[
            Article(
                number="1",
                heading="Definitions",
                text='1. Intro.\n\n2. "Crisis" means a crisis. "Operation Lead" means x.',
                clause="definitions",
            ),
            Article(number="2", heading="Ops", text="Each Crisis; the Manifest of each movement.", clause="operations"),
        ],
        annexes=[Annex(title="Annex A. Roles", text="")],
    )
    settle_definitions(draft, default_library())
    defs = draft.articles[0].text
    assert '"Manifest" means' in defs
    assert '"Operation Lead" means' not in defs
    assert defs.startswith('1. Intro.\n\n2. "Crisis" means a crisis.\n\n3. "Manifest" means')
