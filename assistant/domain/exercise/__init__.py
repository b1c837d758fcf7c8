"""Exercise mode (issue 7): a trainee answers for a training scenario what the assistant would otherwise
suggest, and the answers are scored against the rule base's advice, each difference explained.

The answer sheet mirrors the suggestions: agreement types; who leads and who backs up; which parties hold the
key roles; cost models; risk flags; good practices. Submitted answers are checked against the vocabularies
and the scenario's parties (``parse_answers``), then compared with the advice (``score``):

* a *matched* item is on both sides; it is shown with the rules that suggest it;
* a *missed* item is suggested by the rule base but not chosen; it is explained with the rules that suggest it
  here (title, rationale, the facts they matched, source);
* an *extra* item was chosen but no rule suggests it here; it is explained with the rules of the rule base that
  could suggest it in other circumstances, with their conditions, so the trainee sees which condition is absent.

The score is transparent (``FORMULA``): each category scores ``matched ÷ (expected + extra)`` — 100 % when the
answers equal the suggestions, lower for every miss and every extra — and the total is the weighted mean of the
categories in which something was expected or chosen.

The modules: ``sheet`` (the sheet and its parsing), ``result`` (the explained result), ``score`` (scoring),
``explain`` (the rules that could suggest an extra item) and ``summary`` (attempts taken together).
"""

from .explain import condition_text, rule_conditions, rules_that_could
from .result import CategoryResult, ExerciseResult, ItemResult, RuleNote, percent
from .score import FORMULA, score
from .sheet import (
    CATEGORIES,
    CATEGORY,
    KEY_ROLES,
    TOTAL_WEIGHT,
    AnswerProblem,
    AnswerSheet,
    parse_answers,
    sheet_as_form,
)
from .summary import Summary, summarize

__all__ = [
    "CATEGORIES",
    "CATEGORY",
    "FORMULA",
    "KEY_ROLES",
    "TOTAL_WEIGHT",
    "AnswerProblem",
    "AnswerSheet",
    "CategoryResult",
    "ExerciseResult",
    "ItemResult",
    "RuleNote",
    "Summary",
    "condition_text",
    "parse_answers",
    "percent",
    "rule_conditions",
    "rules_that_could",
    "score",
    "sheet_as_form",
    "summarize",
]
