"""The clause library: every variant renders with its sample, in a sandbox, and broken files are named."""

import pytest
import yaml

from assistant.domain.clauses import ClauseRenderError, load_clause_library, render_body
from assistant.domain.evaluate import ROOT, default_library
from assistant.domain.loading import DataError
from assistant.domain.vocab import CLAUSE_TOPICS

LIBRARY = default_library()
VARIANTS = [(c, v) for c in LIBRARY.clauses.values() for v in c.variants]


@pytest.mark.parametrize(("clause", "variant"), VARIANTS, ids=[f"{c.id}:{v}" for c, v in VARIANTS])
def test_every_variant_renders_with_its_sample(clause, variant):
    text = render_body(clause, variant, {n: p.sample for n, p in clause.params.items()})
    assert len(text) > 40
    assert "{{" not in text
    assert "{%" not in text


def test_library_is_complete_for_an_evacuation_agreement():
    assert len(LIBRARY.clauses) >= 20
    topics = {c.topic for c in LIBRARY.clauses.values()}
    assert set(CLAUSE_TOPICS) <= topics
    assert all(c.source.strip() for c in LIBRARY.clauses.values())


def write_clause(folder, name, data):
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.yaml").write_text(yaml.safe_dump(data))


GOOD = {
    "id": "purpose",
    "topic": "purpose",
    "title": "Purpose",
    "source": "MICIC Guideline 7",
    "params": {"host_name": {"type": "string", "from": "host_name", "sample": "Republic of X"}},
    "variants": {"standard": {"body": "1. The Parties cooperate in {{ host_name }}."}},
}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"topic": "gossip"}, "clause_library/purpose.yaml: purpose: topic: 'gossip' is not one of parties, "),
        (
            {"variants": {"standard": {"body": "1. In {{ hostname }}."}}},
            "clause_library/purpose.yaml: purpose: variants.standard.body: 'hostname' is undefined",
        ),
        (
            {"variants": {"standard": {"body": "1. {% if %}"}}},
            "clause_library/purpose.yaml: purpose: variants.standard.body: ",
        ),
        (
            {
                "params": {"days": {"type": "integer", "sample": "soon"}},
                "variants": {"standard": {"body": "{{ days }}"}},
            },
            "clause_library/purpose.yaml: purpose: params.days.sample: 'soon' is not a integer",
        ),
        (
            {"variants": {"fallback": {"body": "1. Text."}}},
            "clause_library/purpose.yaml: purpose: variants: a clause needs a 'standard' variant",
        ),
        ({"source": None}, "clause_library/purpose.yaml: purpose: source: "),
        ({"wording": "x"}, "clause_library/purpose.yaml: purpose: wording: unknown field"),
        (
            {"prelude": "{% set where = host_name %}In {{ where }}."},
            "clause_library/purpose.yaml: purpose: prelude: a prelude only sets values; it writes 'In Republic of X.'",
        ),
        ({"prelude": "{% set n = days + 1 %}"}, "clause_library/purpose.yaml: purpose: prelude: 'days' is undefined"),
    ],
)
def test_broken_clauses_name_file_clause_and_field(tmp_path, changes, expected):
    data = {k: v for k, v in {**GOOD, **changes}.items() if v is not None}
    write_clause(tmp_path / "clause_library", "purpose", data)
    with pytest.raises(DataError) as exc:
        load_clause_library(tmp_path / "clause_library")
    assert any(str(p).startswith(expected) for p in exc.value.problems), [str(p) for p in exc.value.problems]


def test_sandbox_refuses_unsafe_attribute_access():
    clause = LIBRARY.get("purpose").model_copy(
        update={
            "variants": {
                "standard": type(LIBRARY.get("purpose").variants["standard"])(body="{{ ''.__class__.__mro__ }}")
            }
        }
    )
    with pytest.raises(ClauseRenderError, match="purpose"):
        render_body(clause, "standard", {})


def test_bodies_render_as_plain_text_for_the_page_to_escape():
    clause = LIBRARY.get("parties")
    names = next(n for n, p in clause.params.items() if p.type == "list")
    values = {n: p.sample for n, p in clause.params.items()} | {names: ["<b>Bold</b> & Co", "Other"]}
    text = render_body(clause, "standard", values)
    assert "<b>Bold</b> & Co" in text


def test_shipped_library_loads_from_the_repository():
    assert set(load_clause_library(ROOT / "clause_library").clauses) == set(LIBRARY.clauses)
