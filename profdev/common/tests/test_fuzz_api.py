"""API fuzzing: schemathesis generates requests for every operation of /api/v1/schema/.

The schema is loaded through the WSGI application (no server), requests carry the token of a
user of the role under test (the operator, a municipal coordinator, a school coordinator), and
each operation gets a small, derandomized number of examples so the run is bounded and
repeatable in CI on SQLite and PostgreSQL. Every response must be free of server errors and
conform to the schema (status-specific body schema and content type).
"""

import os
from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from profdev.common.tests.fixtures import World

MAX_EXAMPLES = int(os.environ.get("PROFDEV_FUZZ_EXAMPLES", "4"))
# The coordinators' runs are shorter: the operator's run already covers the write paths widely;
# theirs prove that a narrower scope raises no server error (≈ 30 s each on two busy cores).
ROLE_EXAMPLES = int(os.environ.get("PROFDEV_FUZZ_ROLE_EXAMPLES", "2"))
ROLES = {
    "operator": MAX_EXAMPLES,
    "tomsk_district_coordinator": ROLE_EXAMPLES,
    "school_coordinator": ROLE_EXAMPLES,
}
STATUSES: Counter[int] = Counter()
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def _run_operation(
    operation: Any, headers: dict[str, str], examples: Counter[str], max_examples: int
) -> None:
    label = operation.label

    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        examples[label] += 1
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        STATUSES[response.status_code] += 1

    run()


def _fuzz(
    schema: Any, headers: dict[str, str], max_examples: int
) -> tuple[Counter[str], list[str]]:
    examples: Counter[str] = Counter()
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        try:
            _run_operation(operation, headers, examples, max_examples)
        except Exception as error:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {str(error)[:1500]}")
    return examples, failures


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("role", list(ROLES))
def test_api_fuzzing_finds_no_server_errors_and_no_schema_mismatch(
    role: str, request: Any, world: World, teacher_user: Any
) -> None:
    user = request.getfixturevalue(role)
    token = Token.objects.create(user=user)
    STATUSES.clear()
    # As Django's test client does: a request must not close the test's database connection
    # (on PostgreSQL that would end the test transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        app = get_wsgi_application()
        schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", app)
        examples, failures = _fuzz(schema, {"Authorization": f"Token {token.key}"}, ROLES[role])
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    print(
        f"fuzzing [{role}]: {len(examples)} operations, {sum(examples.values())} examples, "
        f"statuses {dict(sorted(STATUSES.items()))}"
    )
    assert STATUSES[401] == 0, "requests must be authenticated"
    assert not failures, "\n\n".join(failures)
    assert len(examples) >= 40, "the schema lost its operations"
