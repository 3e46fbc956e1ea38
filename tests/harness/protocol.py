"""The page <-> worker protocol (site_scripts/web/protocol.json), checked from Python.

The same rules as the page's own check (site_scripts/web/protocol.js): every message has a
``type`` and an integer ``id``; each type's fields have the types the spec gives.
"""
from __future__ import annotations

import json
from pathlib import Path

SPEC = json.loads((Path(__file__).resolve().parents[2] / "site_scripts" / "web" / "protocol.json").read_text(encoding="utf-8"))


def _is(value, kind: str) -> bool:
    return {
        "string": lambda: isinstance(value, str),
        "number": lambda: isinstance(value, (int, float)) and not isinstance(value, bool),
        "integer": lambda: isinstance(value, int) and not isinstance(value, bool),
        "boolean": lambda: isinstance(value, bool),
        "array": lambda: isinstance(value, list),
        "object": lambda: isinstance(value, dict),
        "null": lambda: value is None,
        "any": lambda: True,
        "error": lambda: isinstance(value, dict) and check_fields(value, SPEC["shapes"]["error"]) is None,
    }[kind]()


def check_fields(value: dict, fields: dict) -> str | None:
    if not isinstance(value, dict):
        return "not an object"
    for name, spec in fields.items():
        optional = spec.endswith("?")
        kinds = spec.rstrip("?").split("|")
        if name not in value or (optional and value[name] is None):
            if optional:
                continue
            return f"{name} is missing"
        if not any(_is(value[name], kind) for kind in kinds):
            return f"{name} is not {' or '.join(kinds)}"
    return None


def check_message(message: dict, request_type: str | None = None, direction: str = "in") -> str | None:
    """Why a message does not fit the protocol, or None. direction: "in" (to the page) or "out"."""
    if not isinstance(message, dict) or not isinstance(message.get("id"), int):
        return "no integer id"
    kind = message.get("type")
    if direction == "out":
        if kind not in SPEC["requests"]:
            return f"unknown request {kind!r}"
        return check_fields(message, SPEC["requests"][kind])
    if kind in ("result", "error"):
        problem = check_fields(message, SPEC["replies"][kind])
        if problem or kind == "error" or request_type is None:
            return problem
        return check_fields(message["result"], SPEC["results"][request_type])
    if kind in SPEC["events"]:
        return check_fields(message, SPEC["events"][kind])
    return f"unknown type {kind!r}"
