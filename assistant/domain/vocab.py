"""The stable vocabularies of the scenario contract (``contract.md`` §1 and §2).

Other people's tools are written against these identifiers: add, never rename or drop.
"""

from typing import Literal, get_args

AgreementType = Literal[
    "evacuation_relocation",
    "consular_representation",
    "identity_verification",
    "shared_assets",
    "family_tracing",
    "expert_deployment",
    "service_prearrangement",
    "cross_border_preparedness",
    "protection_referral",
    "consular_host_liaison",
    "cost_sharing_framework",
]
CrisisKind = Literal["armed_conflict", "civil_unrest", "natural_hazard", "technological", "epidemic"]
Hazard = Literal["flood", "earthquake", "cyclone", "tsunami", "drought", "wildfire", "volcanic", "other"]
Phase = Literal[
    "preparedness",
    "alert_precautionary",
    "alert_restriction",
    "voluntary_departure",
    "mandatory_evacuation",
    "emergency_response",
    "post_crisis",
]
RouteStatus = Literal["open", "closed", "uncertain"]
PartyKind = Literal[
    "state",
    "international_organization",
    "regional_body",
    "ngo",
    "national_society",
    "migrant_association",
    "employer",
    "recruiter",
    "employers_federation",
    "carrier",
    "donor",
    "development_bank",
    "local_authority",
]
CrisisRole = Literal["origin", "host", "transit", "donor"]
Mandate = Literal[
    "migration",
    "refugee_protection",
    "child_protection",
    "counter_trafficking",
    "family_tracing",
    "humanitarian_relief",
    "civil_protection",
    "health",
    "food",
    "data_protection",
]
ConsularPresence = Literal["embassy", "consulate", "honorary", "none"]
Transport = Literal["air", "sea", "land"]
Sector = Literal[
    "domestic_work",
    "construction",
    "agriculture",
    "manufacturing",
    "hospitality",
    "students",
    "tourists",
    "seafarers",
    "other",
]
Vulnerability = Literal[
    "unaccompanied_children",
    "trafficking_indicators",
    "disability",
    "older_persons",
    "pregnant",
    "medical_needs",
    "refugees_or_asylum_seekers",
    "fear_of_return",
    "stateless",
    "documents_confiscated",
    "mixed_nationality_families",
    "detained",
    "abandoned_by_employer",
]
Service = Literal[
    "evacuation_transport",
    "relocation_in_country",
    "identity_verification",
    "travel_documents",
    "shelter",
    "food",
    "health_care",
    "family_tracing",
    "information_to_migrants",
    "expert_deployment",
    "shared_assets",
    "protection_referral",
    "reception",
    "onward_travel",
    "cross_border_mutual_aid",
    "consular_services",
]
Instrument = Literal["disaster_mutual_aid_treaty", "regional_consular_framework", "bilateral_labour_agreement"]
Role = Literal[
    "lead",
    "backup_lead",
    "consular_focal_point",
    "representing_state",
    "host_liaison",
    "transit_facilitator",
    "transport_provider",
    "logistics_provider",
    "identity_documents",
    "information_focal_point",
    "protection_referral",
    "voluntary_return",
    "counter_trafficking_referral",
    "child_protection",
    "family_tracing",
    "health_provider",
    "funder",
    "bridging_funder",
    "deploying_partner",
    "liable_private_party",
    "civil_society_liaison",
    "data_controller",
    "monitoring_evaluation",
    "operation_lead",
]
CostModel = Literal[
    "own_costs",
    "nationality_reimburses",
    "pro_rata_per_evacuee",
    "net_of_cofinancing",
    "advance_and_recover",
    "evacuee_repays",
    "employer_liability",
    "pooled_fund",
    "development_bank_financing",
    "mutual_aid_costs",
    "capped_threshold",
]
RiskFlag = Literal[
    "refoulement_risk",
    "stateless_gap",
    "irregular_status_fear",
    "documents_confiscated",
    "child_separation",
    "trafficking",
    "underfunding",
    "lead_ambiguity",
    "reimbursement_complexity",
    "host_objection_consular",
    "scope_exclusion",
    "politicised_prioritisation",
    "border_discrimination",
    "destitute_evacuee_costs",
    "data_misuse",
    "detention",
    "reluctance_to_leave",
    "unrepresented_nationals",
    "capacity_gap",
]
Severity = Literal["low", "medium", "high"]
ClauseTopic = Literal[
    "parties",
    "preamble",
    "purpose",
    "definitions",
    "scope",
    "principles",
    "roles",
    "coordination",
    "activation",
    "operations",
    "identity_documents",
    "consular_representation",
    "host_state_facilitation",
    "firewall",
    "transit_reception",
    "information_to_migrants",
    "prioritisation",
    "protection_referral",
    "non_refoulement",
    "child_protection",
    "counter_trafficking",
    "family_tracing",
    "family_unity",
    "data_protection",
    "cost_allocation",
    "bridging_fund",
    "cofinancing",
    "evacuee_repayment",
    "employer_liability",
    "personnel_duty_of_care",
    "privileges_immunities",
    "liability",
    "reporting_monitoring",
    "training_exercises",
    "civil_society_involvement",
    "dispute_settlement",
    "final_provisions",
    "entry_into_force",
    "signatures",
]
Practice = Literal[
    "prearranged_services",
    "joint_planning",
    "joint_training_exercises",
    "monitoring_evaluation",
    "migrant_civil_society_involvement",
    "consular_host_channels",
    "trafficking_screening_referral",
    "refugee_stateless_identification",
    "crisis_alert_phases",
    "needs_based_prioritisation",
    "informed_consent",
    "no_questions_documents",
    "exit_penalty_waivers",
    "firewall_services",
    "family_unit_evacuation",
    "multilingual_information",
    "bridging_funding",
    "reciprocal_consular_agreements",
    "cross_border_local_cooperation",
    "identity_verification_agreements",
    "shared_asset_agreements",
    "family_tracing_agreements",
    "expert_deployment_agreements",
]


def values(literal: object) -> tuple[str, ...]:
    """Return the identifiers of a vocabulary, in contract order."""
    return get_args(literal)


AGREEMENT_TYPES = values(AgreementType)
ROLES = values(Role)
COST_MODELS = values(CostModel)
RISK_FLAGS = values(RiskFlag)
CLAUSE_TOPICS = values(ClauseTopic)
PRACTICES = values(Practice)
SERVICES = values(Service)
VULNERABILITIES = values(Vulnerability)
MANDATES = values(Mandate)

# Human labels for the wizard and the draft.
LABELS: dict[str, str] = {
    "armed_conflict": "armed conflict",
    "civil_unrest": "civil unrest",
    "natural_hazard": "natural hazard",
    "alert_precautionary": "alert (precautionary phase)",
    "alert_restriction": "alert (restriction phase)",
    "voluntary_departure": "voluntary departure",
    "mandatory_evacuation": "mandatory evacuation",
    "emergency_response": "emergency response",
    "post_crisis": "post-crisis",
    "international_organization": "international organization",
    "regional_body": "regional body",
    "ngo": "non-governmental organization",
    "national_society": "National Red Cross or Red Crescent Society",
    "migrant_association": "migrant association",
    "employers_federation": "employers' federation",
    "development_bank": "development bank",
    "local_authority": "local authority",
    # agreement types
    "evacuation_relocation": "evacuation and relocation",
    "consular_representation": "reciprocal consular representation",
    "identity_verification": "identity verification and travel documents",
    "shared_assets": "shared monitoring and communication assets",
    "family_tracing": "family tracing",
    "expert_deployment": "standby deployment of experts",
    "service_prearrangement": "pre-arranged services",
    "cross_border_preparedness": "cross-border preparedness",
    "protection_referral": "protection screening and referral",
    "consular_host_liaison": "consular–host State liaison",
    "cost_sharing_framework": "cost-sharing framework",
    # roles
    "lead": "lead party",
    "backup_lead": "backup lead",
    "operation_lead": "operation lead",
    "consular_focal_point": "consular focal point",
    "representing_state": "representing State",
    "host_liaison": "host State liaison",
    "identity_documents": "identity and travel documents",
    "information_focal_point": "information focal point",
    "counter_trafficking_referral": "counter-trafficking referral",
    "liable_private_party": "liable private party",
    "civil_society_liaison": "civil society liaison",
    "monitoring_evaluation": "monitoring and evaluation",
    # cost models
    "own_costs": "each party bears its own costs",
    "nationality_reimburses": "State of nationality reimburses actual costs",
    "pro_rata_per_evacuee": "pro rata per person assisted",
    "net_of_cofinancing": "net of co-financing",
    "advance_and_recover": "advance and recover (bridging fund)",
    "evacuee_repays": "evacuee repays (with parity and hardship waiver)",
    "employer_liability": "employer and recruiter liability",
    "pooled_fund": "pooled fund or appeal",
    "development_bank_financing": "development-bank financing",
    "mutual_aid_costs": "mutual-aid cost rule",
    "capped_threshold": "cap or threshold",
    # risk flags
    "refoulement_risk": "risk of refoulement",
    "stateless_gap": "stateless persons without a cost bearer or documents",
    "irregular_status_fear": "fear of arrest among migrants in irregular status",
    "documents_confiscated": "confiscated identity documents",
    "child_separation": "separation of children from their families",
    "lead_ambiguity": "unclear lead",
    "host_objection_consular": "host State objects to third-State consular acts",
    "scope_exclusion": "instrument excludes this kind of crisis",
    "politicised_prioritisation": "politicised prioritisation of seats",
    "border_discrimination": "discrimination at borders",
    "destitute_evacuee_costs": "costs charged to destitute evacuees",
    "data_misuse": "misuse of personal data",
    "reluctance_to_leave": "reluctance to leave",
    "unrepresented_nationals": "nationals without consular representation",
    "capacity_gap": "nobody able to provide a needed service",
    # practices
    "prearranged_services": "pre-arranged services",
    "migrant_civil_society_involvement": "involve migrants and civil society",
    "consular_host_channels": "channels between consular posts and host agencies",
    "trafficking_screening_referral": "trafficking screening and referral",
    "refugee_stateless_identification": "identify refugees, asylum-seekers and stateless persons",
    "crisis_alert_phases": "crisis alert phases",
    "needs_based_prioritisation": "needs-based prioritisation",
    "no_questions_documents": "documents without questions on status",
    "exit_penalty_waivers": "waivers of exit penalties",
    "firewall_services": "firewall between services and immigration enforcement",
    "family_unit_evacuation": "evacuate families as units",
    "reciprocal_consular_agreements": "reciprocal consular agreements",
    "cross_border_local_cooperation": "local cross-border cooperation",
    "identity_verification_agreements": "identity verification agreements",
    "shared_asset_agreements": "shared asset agreements",
    "family_tracing_agreements": "family tracing agreements",
    "expert_deployment_agreements": "expert deployment agreements",
    # roles added for issue 12, and the data sets a data_controller role is for
    "voluntary_return": "assisted voluntary return",
    "registration_manifests": "registration lists and Manifests",
    "identity_records": "identity verification records",
    "protection_case_files": "protection case files",
    "tracing_requests": "tracing requests",
}


def label(value: str) -> str:
    """Return a readable label for a vocabulary identifier."""
    return LABELS.get(value, value.replace("_", " "))
