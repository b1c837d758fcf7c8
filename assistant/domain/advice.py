"""The answer of the assistant (contract §3) as typed models."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["suggested", "accepted", "reassigned", "rejected"]


class _Out(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


class _Suggestion(_Out):
    KIND: ClassVar[str] = ""
    status: Status = Field(default="suggested", exclude=True)

    @property
    def item(self) -> str:
        """The id a negotiator's choice refers to."""
        return str(getattr(self, "id", ""))


class AgreementTypeAdvice(_Suggestion):
    KIND: ClassVar[str] = "agreement_type"
    id: str
    because: list[str] = []


class RoleAdvice(_Suggestion):
    KIND: ClassVar[str] = "role"
    role: str
    party: str
    for_: str | None = Field(default=None, alias="for")
    because: list[str] = []
    proposed_party: str | None = Field(default=None, exclude=True)

    @property
    def item(self) -> str:
        return self.role


class CostModelAdvice(_Suggestion):
    KIND: ClassVar[str] = "cost_model"
    id: str
    because: list[str] = []
    params: dict[str, Any] = {}


class Share(_Out):
    party: str
    share: float
    amount: float | None = None
    basis: str
    # met from donor contributions that the party only seeks (an organization bearing the share of persons no State
    # of nationality is asked to pay): Annex B names the contributions, not the party, as holder (not in the contract)
    sought: bool = Field(default=False, exclude=True)
    # the parts merged into the share, each (basis, fraction of the share, sought), so that Annex B can show the
    # share of persons no State of nationality pays for on a row of its own (not in the contract)
    parts: list[tuple[str, float, bool]] = Field(default=[], exclude=True)


class CostAllocation(_Out):
    models: list[CostModelAdvice] = []
    shares: list[Share] = []
    currency: str = "USD"


class PracticeAdvice(_Suggestion):
    KIND: ClassVar[str] = "practice"
    id: str
    because: list[str] = []
    source: str = ""


class RiskFlagAdvice(_Suggestion):
    KIND: ClassVar[str] = "risk_flag"
    id: str
    severity: str = "medium"
    because: list[str] = []
    safeguards: list[str] = []
    details: list[str] = []


class ConflictAdvice(_Out):
    id: str
    message: str
    because: list[str] = []


class ClauseAdvice(_Suggestion):
    KIND: ClassVar[str] = "clause"
    id: str
    topic: str
    variant: str = "standard"
    because: list[str] = []


class OperationAdvice(_Out):
    """Where one operation takes place (README, "Where each operation takes place"): ``state`` is the party id
    of the State on whose territory it runs; ``basis`` says why, in words."""

    id: str
    state: str
    basis: str = ""


class NonSignatoryAdvice(_Out):
    """A body listed among the parties that takes part without signing (README, "Bodies that take part without
    signing"): it holds no role, and ``reason`` says why it does not sign, in words."""

    party: str
    reason: str


class Article(_Out):
    number: str
    heading: str
    text: str
    clause: str
    variant: str = Field(default="standard", exclude=True)


class Annex(_Out):
    title: str
    text: str
    clause: str = Field(default="", exclude=True)
    note: str = Field(default="", exclude=True)
    columns: list[str] = Field(default=[], exclude=True)
    rows: list[list[str]] = Field(default=[], exclude=True)


class Draft(_Out):
    title: str
    instrument: str = "Agreement"
    designations: list[str] = []
    parties: str = ""
    preamble: str = ""
    articles: list[Article] = []
    annexes: list[Annex] = []
    signatures: str = ""


class RuleFired(_Out):
    id: str
    title: str
    facts: list[str] = []
    source: str = ""
    rationale: str = ""


class Advice(_Out):
    title: str
    agreement_types: list[AgreementTypeAdvice] = []
    roles: list[RoleAdvice] = []
    cost_allocation: CostAllocation = CostAllocation()
    practices: list[PracticeAdvice] = []
    risk_flags: list[RiskFlagAdvice] = []
    conflicts: list[ConflictAdvice] = []
    clauses: list[ClauseAdvice] = []
    draft: Draft | None = None
    rules_fired: list[RuleFired] = []
    # Additions to contract §3 come after its keys (README, "Additions to the contract"), so its order holds.
    operations: list[OperationAdvice] = []
    non_signatories: list[NonSignatoryAdvice] = []
    rejected: list[_Suggestion] = Field(default=[], exclude=True)

    def rule(self, rule_id: str) -> RuleFired | None:
        """The fired rule with this id, for "why?" explanations."""
        return next((r for r in self.rules_fired if r.id == rule_id), None)

    def holders(self, role: str) -> list[RoleAdvice]:
        """The parties holding a role."""
        return [r for r in self.roles if r.role == role]

    def to_contract(self) -> dict[str, Any]:
        """The answer as contract §3 JSON data."""
        return self.model_dump(mode="json", by_alias=True)
