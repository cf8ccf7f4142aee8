"""The API against its own OpenAPI schema: a bounded schemathesis run (generated requests to every
GET/POST route under /api; no 5xx, status codes, content types and bodies as documented, invalid
requests refused). Schema-valid requests may still be refused with a 400 when the schema cannot say
why (a day that does not exist, search text with no word), so that one check is left out."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import positive_data_acceptance  # noqa: E402

from qala.server import create_app  # noqa: E402

MAX_EXAMPLES = 25  # per operation: bounded, so the whole run takes seconds


def test_api_conforms_to_its_openapi_schema(server_db):
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(server_db[0]))
    operations = [
        r.ok() for r in schema.include(path_regex="^/api/", method=["GET", "POST"]).get_all_operations()
    ]
    assert len(operations) >= 10
    for op in operations:

        @given(case=op.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def run(case):
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        run()
