"""drf-spectacular post-processing: document API.md's error responses on every operation.

API.md fixes the error shape ``{"code", "detail"[, "errors"]}`` and when each status applies:
401 without a valid token, 403 for a role that may not call the endpoint, 404 for an object
that is missing or another tenant's, 400 for invalid input on writes. Views document their own
specific errors (409 claim_exists, …); this hook adds the general ones wherever they are missing,
all pointing at one ``ApiError`` component.
"""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "code": {"type": "string", "description": "snake_case error code (API.md)"},
        "detail": {"type": "string", "description": "human message in the user's language"},
        "errors": {
            "type": "object",
            "additionalProperties": True,
            "description": "per-field messages for code `invalid`; per-item errors for `invalid_sync`",
        },
    },
    "required": ["code", "detail"],
    "additionalProperties": True,
}
GENERAL = {
    "400": "Invalid input (`invalid`, `parse_error`, or a rule's code).",
    "401": "No or bad token (`not_authenticated`).",
    "403": "The caller's role may not call this endpoint (`permission_denied`).",
    "404": "Missing, or another tenant's object (`not_found`).",
}
METHODS = {"get", "post", "put", "patch", "delete"}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["ApiError"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/ApiError"}
    for path, operations in result.get("paths", {}).items():
        for method, op in operations.items():
            if method not in METHODS:
                continue
            anonymous_ok = {} in (op.get("security") or [])
            wanted = [] if anonymous_ok else ["401", "403"]
            if "{" in path:
                wanted.append("404")
            if method in ("post", "put", "patch"):
                wanted.append("400")
            responses = op.setdefault("responses", {})
            for status in wanted:
                if status not in responses:
                    responses[status] = {
                        "description": GENERAL[status],
                        "content": {"application/json": {"schema": ref}},
                    }
    return result
