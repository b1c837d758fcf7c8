"""The clause library as data: one YAML file per clause, typed params, variants, sandboxed rendering.

A clause file (``clause_library/<id>.yaml``)::

    id: non_refoulement
    topic: non_refoulement                 # a CLAUSE_TOPIC of contract §2
    title: Non-refoulement
    applies_to: [evacuation_relocation, protection_referral]
    source: MICIC Guideline 13; UNHCR Emergency Handbook (notes §2.9)
    params:
      host_name: {type: string, from: host.name, sample: Republic of Corvania}
    variants:
      standard:
        body: |
          1. No person shall be evacuated or returned to …
        playbook: offer first; concedes nothing

Bodies render in a Jinja sandbox with strict undefined: a body may use only its declared params.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from .loading import DataError, DataProblem, read_folder, validation_problems
from .rules import CLAUSE_ID
from .vocab import AgreementType, ClauseTopic, CrisisKind

ParamType = Literal["string", "text", "integer", "number", "boolean", "list"]
_PY_TYPES: dict[str, Any] = {
    "string": str,
    "text": str,
    "integer": int,
    "number": float,
    "boolean": bool,
    "list": list[str],
}
_ADAPTERS = {name: TypeAdapter(t) for name, t in _PY_TYPES.items()}


class Param(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    type: ParamType
    sample: Any
    description: str = ""
    source: str | None = Field(default=None, alias="from")
    default: Any = None
    # a list whose positions match another list param's (the organ of each designation): kept as it is, where other
    # lists name each item once
    aligned: bool = False


class Cite(BaseModel):
    """An instrument the preamble recalls only in some crises: ``{text: …, crisis_kinds: [natural_hazard]}``. A
    disaster-relief model (the IDRL Guidelines) is no authority for an armed conflict or civil unrest."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str = Field(min_length=3)
    crisis_kinds: list[CrisisKind] = Field(min_length=1)


def cite_applies(cite: str | Cite, crisis_kind: str | None) -> str | None:
    """The text of a citation when it applies to the crisis, else None."""
    if isinstance(cite, str):
        return cite
    return cite.text if crisis_kind in cite.crisis_kinds else None


class Variant(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    body: str = Field(min_length=1)
    title: str | None = Field(default=None, min_length=3)  # the article's heading under this variant, where it differs
    playbook: str = ""
    binding: bool | None = None  # None: fits both a binding agreement and a non-binding MoU
    cites: list[str | Cite] = []  # instruments the preamble recalls when this variant is used
    definitions: dict[str, str] = {}  # terms this variant defines differently from the clause (they take precedence)


class Clause(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=CLAUSE_ID)
    topic: ClauseTopic
    title: str = Field(min_length=3)
    applies_to: list[AgreementType] | Literal["all"] = "all"
    source: str = Field(min_length=3)
    params: dict[str, Param] = {}
    definitions: dict[str, str] = {}
    cites: list[str | Cite] = []  # instruments the preamble recalls when this clause is used
    placement: Literal["article", "annex"] = "article"
    # Jinja statements ({% set %}, {% macro %}) that every variant's body begins with: values computed once for all
    # variants (the survival list of the final provisions), never text of the draft (checked at load)
    prelude: str = ""
    variants: dict[str, Variant] = Field(min_length=1)
    file: str = ""

    def variant(self, name: str) -> Variant:
        return self.variants.get(name) or self.variants.get("standard") or next(iter(self.variants.values()))


class ClauseLibrary(BaseModel):
    model_config = ConfigDict(frozen=True)
    clauses: dict[str, Clause]

    def get(self, clause_id: str) -> Clause | None:
        return self.clauses.get(clause_id)


class ClauseRenderError(ValueError):
    """A clause body failed to render; the message names the clause and variant."""


def _and_list(items: Any) -> str:
    """ "A, B and C", each name once (a Party holding a role for two nationalities is named once)."""
    items = list(dict.fromkeys(str(i) for i in items or []))
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def _or_list(items: Any) -> str:
    """ "A, B or C", each name once (a national of any one of several States)."""
    items = list(dict.fromkeys(str(i) for i in items or []))
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1] if items else ""


def _money(value: Any, currency: str = "") -> str:
    try:
        text = f"{float(value):,.2f}"
    except (TypeError, ValueError):
        return str(value)
    return f"{currency} {text}".strip()


def _percent(value: Any) -> str:
    try:
        return f"{float(value) * 100:g} per cent"
    except (TypeError, ValueError):
        return str(value)


@cache
def sandbox() -> SandboxedEnvironment:
    """The Jinja environment for clause bodies: sandboxed, strict, plain text (escaped by the page)."""
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.filters.update(and_list=_and_list, or_list=_or_list, money=_money, percent=_percent)
    return env


@lru_cache(maxsize=2048)
def _compiled(body: str) -> Template:
    return sandbox().from_string(body)


def sample_article(clause_id: str) -> str:
    """Stands in for ``article(...)`` when a clause renders with its samples (a stable number per clause)."""
    return f"Article {sum(map(ord, clause_id)) % 30 + 1}"


def variant_title(clause: Clause, variant: str) -> str:
    """The article's heading: the variant's own title where it has one (the article it drafts is a different
    arrangement), else the clause's."""
    v = clause.variants.get(variant)
    return (v.title if v and v.title else None) or clause.title


# Paragraph anchors. A body marks a paragraph with ``{{ label('costs') }}`` and cites the marked paragraphs of
# another clause with ``{{ paragraphs('consular_representation', 'costs') }}``: once every article of a draft is
# rendered and numbered, ``resolve_paragraphs`` turns each citation into "paragraphs 4 and 5 of Article 11" (round 16:
# "the provisions of Article 11 on costs" should cite the paragraphs), or into the article's number where no
# paragraph of it bears the label. The markers are control characters, which scenario text never carries
# (scenario.clean_text drops them), so no input can forge one.
_LABEL = re.compile(r"\x1e([a-z_]+)\x1f")
_CITE = re.compile(r"\x1d([a-z_]+)\|([a-z_,]+)\x1f")
_NUMBERED = re.compile(r"(\d+)\. ")


def _label(name: str) -> str:
    return f"\x1e{name}\x1f"


def render_body(
    clause: Clause, variant: str, values: dict[str, Any], article: Any = sample_article, *, anchors: bool = False
) -> str:
    """Render a variant's body with param values; raise ClauseRenderError naming the clause.

    Bodies may call ``article('cost_allocation')`` for a cross reference ("Article 12", or "Annex D"),
    resolved after the clauses of a draft are numbered, and ``paragraphs(clause_id, label)`` for the paragraphs of
    that clause that bear ``label(...)``; with ``anchors`` the markers stay in the text for ``resolve_paragraphs``,
    otherwise each citation is the article's reference and the labels are dropped.
    """

    def paragraphs(clause_id: str, *names: str) -> str:
        return f"\x1d{clause_id}|{','.join(names)}\x1f" if anchors else str(article(clause_id))

    try:
        text = _compiled(clause.prelude + clause.variant(variant).body).render(
            **values, article=article, label=_label, paragraphs=paragraphs
        )
    except TemplateError as exc:
        raise ClauseRenderError(f"{clause.file or clause.id}: {clause.id}: variants.{variant}.body: {exc}") from None
    return (text if anchors else _LABEL.sub("", text)).strip()


def paragraph_labels(text: str) -> dict[str, list[int]]:
    """The numbers of the paragraphs of a rendered text that bear each label (a paragraph begins "N. ")."""
    found: dict[str, list[int]] = {}
    for para in text.split("\n\n"):
        number = _NUMBERED.match(para.strip())
        for name in _LABEL.findall(para):
            if number and int(number[1]) not in found.setdefault(name, []):
                found[name].append(int(number[1]))
    return found


def _paragraph_words(numbers: list[int]) -> str:
    numbers = sorted(numbers)
    if len(numbers) == 1:
        return f"paragraph {numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)) and len(numbers) > 2:
        return f"paragraphs {numbers[0]} to {numbers[-1]}"
    return "paragraphs " + _and_list([str(n) for n in numbers])


def resolve_paragraphs(
    text: str, labels: dict[str, dict[str, list[int]]], numbers: dict[str, str], own: str | None = None
) -> str:
    """A rendered text with each paragraph citation resolved and the labels dropped: "paragraphs 4 and 5 of Article
    11" where the cited clause's paragraphs bear the label (``labels``: clause id -> label -> paragraph numbers),
    else the clause's reference in ``numbers`` ("Article 11"); "paragraph 7" alone where the text is that of the
    cited clause itself (``own``; round 20: "Art. 22(3) cites paragraph 7 of Article 22 from inside Article 22")."""

    def cite(match: re.Match) -> str:
        clause_id, names = match[1], match[2].split(",")
        where = numbers.get(clause_id, f"[the provisions of {clause_id.replace('_', ' ')}, not part of this draft]")
        # several labels: the paragraphs that bear any of them, each once
        found = sorted({n for name in names for n in labels.get(clause_id, {}).get(name, [])})
        if found and clause_id == own:
            return _paragraph_words(found)
        return f"{_paragraph_words(found)} of {where}" if found and where[:1] != "[" else where

    return _LABEL.sub("", _CITE.sub(cite, text))


def coerce_param(name: str, param: Param, value: Any) -> Any:
    """Check a value against the param's type."""
    return _ADAPTERS[param.type].validate_python(value)


def _check_clause(clause: Clause) -> list[tuple[str, str]]:
    problems = []
    for name, param in clause.params.items():
        try:
            coerce_param(name, param, param.sample)
        except ValidationError:
            problems.append((f"params.{name}.sample", f"{param.sample!r} is not a {param.type}"))
    if "standard" not in clause.variants:
        problems.append(("variants", "a clause needs a 'standard' variant"))
    samples = {n: p.sample for n, p in clause.params.items()}
    if clause.prelude:
        try:
            cite = lambda clause_id, *_: sample_article(clause_id)  # noqa: E731
            text = _compiled(clause.prelude).render(**samples, article=sample_article, label=_label, paragraphs=cite)
        except TemplateError as exc:
            problems.append(("prelude", str(exc)))
        else:
            if text.strip():
                problems.append(("prelude", f"a prelude only sets values; it writes {text.strip()[:60]!r}"))
    for vname in clause.variants:
        try:
            render_body(clause, vname, samples)
        except ClauseRenderError as exc:
            problems.append((f"variants.{vname}.body", str(exc).rsplit(": ", 1)[-1]))
    return problems


def load_clause_library(folder: str | Path) -> ClauseLibrary:
    """Load one clause per YAML file; raise DataError naming file, clause id and field."""
    files, problems = read_folder(Path(folder), "clause library")
    clauses: dict[str, Clause] = {}
    for path, name, data in files:
        item = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else path.stem
        if not isinstance(data, dict):
            problems.append(DataProblem(name, item, "", "a clause file must be a mapping"))
            continue
        try:
            clause = Clause.model_validate({**data, "file": name})
        except ValidationError as exc:
            problems += validation_problems(name, item, exc)
            continue
        if clause.id in clauses:
            problems.append(
                DataProblem(name, clause.id, "id", f"duplicate clause id (also in {clauses[clause.id].file})")
            )
        problems += [DataProblem(name, clause.id, f, m) for f, m in _check_clause(clause)]
        clauses.setdefault(clause.id, clause)
    problems += _reference_problems(clauses)
    if problems:
        raise DataError(problems)
    return ClauseLibrary(clauses=clauses)


_ARTICLE_REF = re.compile(r"""article\(\s*['"]([^'"]+)['"]\s*\)""")


def _reference_problems(clauses: dict[str, Clause]) -> list[DataProblem]:
    """Cross references (``article('x')``) must name clauses of the library."""
    return [
        DataProblem(c.file, c.id, f"variants.{name}.body", f"article({ref!r}) names no clause of the library")
        for c in clauses.values()
        for name, v in c.variants.items()
        for ref in _ARTICLE_REF.findall(c.prelude + v.body)
        if ref not in clauses
    ]
