"""The OpenAPI 3.1 description of the JSON API (issue 19 item 5), generated from the pydantic models the API reads
and answers with: the scenario (contract §1) and the answer (contract §3, plus ``checks``, a README addition)."""

from __future__ import annotations

from functools import cache
from typing import Any

from ..domain.advice import Advice
from ..domain.scenario import Scenario

REF = "#/components/schemas/{model}"

CHECK = {
    "type": "object",
    "description": "A finding of the draft checker on the drafted text.",
    "properties": {
        "severity": {"type": "string", "enum": ["error", "warning", "open_point"]},
        "place": {"type": "string", "description": "Where in the draft (an article, an annex, the signatures)."},
        "message": {"type": "string"},
    },
    "required": ["severity", "place", "message"],
}
PROBLEMS = {
    "type": "object",
    "properties": {
        "error": {"type": "string", "enum": ["invalid_json", "invalid_scenario", "not_evaluable"]},
        "problems": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"path": {"type": "string"}, "message": {"type": "string"}},
                "required": ["path", "message"],
            },
        },
    },
    "required": ["error", "problems"],
}
MESSAGE = {
    "type": "object",
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
    "required": ["error", "message"],
}


def _schemas() -> dict[str, Any]:
    """Every model schema under components, with pydantic's ``$defs`` lifted beside it."""
    schemas: dict[str, Any] = {}
    for name, schema in (
        ("Scenario", Scenario.model_json_schema(mode="validation", ref_template=REF)),
        ("Answer", Advice.model_json_schema(by_alias=True, mode="serialization", ref_template=REF)),
    ):
        schemas.update(schema.pop("$defs", {}))
        schemas[name] = schema
    schemas["Answer"]["properties"]["checks"] = {"type": "array", "items": {"$ref": REF.format(model="Check")}}
    schemas["Answer"]["required"] = [*schemas["Answer"].get("required", []), "checks"]
    schemas |= {"Check": CHECK, "Problems": PROBLEMS, "Message": MESSAGE}
    return schemas


def _json(model: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": REF.format(model=model)}}}}


@cache
def document() -> dict[str, Any]:
    """The OpenAPI document (built once per process)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Agreement Assistant API",
            "version": "1",
            "description": "Advice and a draft coordination agreement (MICIC Guideline 7) for a scenario. "
            "Nothing is stored. See the scenario contract for the meaning of every field.",
        },
        "servers": [{"url": "/api/v1"}],
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer", "description": "assistant users token NAME"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
        "security": [{"token": []}, {"session": []}],
        "paths": {
            "/advice": {
                "post": {
                    "operationId": "advice",
                    "summary": "Evaluate a scenario: suggestions with their reasons, cost shares and the draft",
                    "requestBody": {"required": True, **_json("Scenario", "The scenario (contract §1).")},
                    "responses": {
                        "200": _json("Answer", "The answer (contract §3), with the draft checker's findings."),
                        "401": _json("Message", "No account: sign in or send a token."),
                        "422": _json("Problems", "Bad input: every problem with its path."),
                        "429": _json("Message", "Too many calls; see Retry-After."),
                        "503": _json("Message", "The evaluation ran past its time budget; see Retry-After."),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "security": [],
                    "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}},
                }
            },
        },
    }
