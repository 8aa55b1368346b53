"""Schemathesis hooks for backend/test/openapi-conformance.test.ts (loaded by schemathesis.toml).

One check, `positive_data_acceptance_beyond_schema`, stands in for schemathesis's own
`positive_data_acceptance` (which the configuration turns off): it is the same check, except that it
lets through the few 416 and 422 answers that enforce a rule JSON Schema cannot state, each named
below by its error code (and, for `validation_failed`, the field and message). Any other refusal of a
schema-valid request still fails the run.
"""

import json

import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance

# 422 codes whose whole meaning is a rule beyond the schema.
CODES_BEYOND_SCHEMA = {
    # The job types are the built-in ones and those registered in the caller's workspace: the
    # document cannot list them (CONTRACT.md: an unknown type is 422 unknown_job_type).
    "unknown_job_type",
    # A payload is checked against its job type's own schema (GET /v1/job-types), chosen by `type`.
    "invalid_payload",
    # Sign-up's password policy beyond its length: no well-known password, not the email or the
    # name, not a few characters repeated.
    "weak_password",
}

# `validation_failed` issues, by field, whose check no schema can do.
ISSUES_BEYOND_SCHEMA = {
    # A cursor is the previous page's `nextCursor`: any string is well-formed, but one the server
    # never issued names no position (and a position of another list is refused too).
    "cursor": lambda message: message == "unknown cursor",
    # The header and the body field are two spellings of one key; they may not disagree.
    "idempotencyKey": lambda message: message == "differs from the Idempotency-Key header",
    # A cron expression's grammar and the IANA time zone names are the scheduler's.
    "cron": lambda message: True,
    "timezone": lambda message: message == "not an IANA time zone",
}


def _enforces_rule_beyond_schema(response) -> bool:
    if response.status_code not in (416, 422):
        return False
    try:
        error = json.loads(response.content)["error"]
    except (ValueError, KeyError, TypeError):
        return False
    code = error.get("code")
    # Whether a byte range lies in the file depends on the file's size (RFC 9110 §15.5.17).
    if response.status_code == 416:
        return code == "range_not_satisfiable"
    if code in CODES_BEYOND_SCHEMA:
        return True
    issues = error.get("issues") or []
    return (
        code == "validation_failed"
        and len(issues) > 0
        and all(
            issue.get("path") in ISSUES_BEYOND_SCHEMA and ISSUES_BEYOND_SCHEMA[issue["path"]](issue.get("message"))
            for issue in issues
        )
    )


@schemathesis.check
def positive_data_acceptance_beyond_schema(ctx, response, case):
    """`positive_data_acceptance`, except for refusals of rules the schema cannot state (above)."""
    if _enforces_rule_beyond_schema(response):
        return None
    return positive_data_acceptance(ctx, response, case)
