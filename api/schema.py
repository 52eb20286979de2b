"""The OpenAPI schema: every operation documents its problem+json errors."""

PROBLEM_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
    "required": ["type", "title", "status", "detail"],
}
ERRORS = {
    "400": "The query or the body is not valid: `detail` says which part and why.",
    "404": "No such resource.",
    "405": "Method not allowed.",
    "406": "Only JSON is served.",
    "429": "Too many requests: wait for the seconds of Retry-After.",
}
WRITE_ERRORS = {
    "401": "Not signed in: a session or a token is needed.",
    "403": "Not allowed: only the entry's maintainers write its claims.",
    "409": "Someone else changed it in the meantime.",
    "415": "The body is not JSON.",
}


def add_problem_responses(result, generator, request, public):
    """Postprocessing hook: a Problem component, and its errors on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    ref = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            errors = ERRORS if method == "get" else {**ERRORS, **WRITE_ERRORS}
            responses = operation.setdefault("responses", {})
            for status, description in errors.items():
                responses.setdefault(status, {"description": description, "content": ref})
    return result
