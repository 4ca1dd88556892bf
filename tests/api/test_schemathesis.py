"""Property-based requests over the whole published OpenAPI schema: no input makes a 5xx."""

import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

MAX_EXAMPLES = 12  # per operation, to keep CI bounded


def test_no_input_causes_a_server_error(wsgi_app, drive, staff_a):
    from hqzt.accounts.tokens import personal_token_issue

    drive("registered")  # something for the staff endpoints to find
    headers = {"Authorization": f"Token {personal_token_issue(user=staff_a)}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    calls = []

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def check(case):
            response = case.call(headers=headers)
            calls.append(response.status_code)
            case.validate_response(response, checks=[not_a_server_error])

        check()
    assert len(calls) > 5 * len(operations)  # the examples really ran
