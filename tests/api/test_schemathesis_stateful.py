"""Stateful property-based API tests: Schemathesis chains real calls along the schema's links
(list → detail → act → reveal phone; need types → submission → 查进度; stations → station;
push → read back) with random data in between. Whatever the sequence, no call answers 5xx."""

import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

from hqzt.api.models import IntegrationToken
from hqzt.needs.states import Status

SCENARIOS = 15  # sequences, each up to STEPS calls, to keep CI bounded
STEPS = 8


def test_no_sequence_of_calls_causes_a_server_error(wsgi_app, drive, staff_a, station_a):
    from hqzt.accounts.tokens import personal_token_issue

    for state in (Status.REGISTERED, Status.AWAITING_DISPATCH, Status.IN_PROGRESS):
        drive(state)  # needs for the staff endpoints to find and act on
    staff = f"Token {personal_token_issue(user=staff_a)}"
    integration = IntegrationToken(name="12345热线", station=station_a)
    platform = f"Bearer {integration.issue()}"
    integration.save()
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
    workflow = schema.as_state_machine()
    links = [name for name in dir(workflow) if "__" in name and not name.startswith("RANDOM")]
    assert any("integration" in name for name in links)  # the schema's own links are followed
    assert any("portal_track" in name for name in links)
    calls: list[tuple[str, int]] = []

    class Workflow(workflow):
        def setup(self) -> None:
            cache.clear()  # each scenario starts under the rate limits, not throttled by the last

        def get_call_kwargs(self, case):
            integration_call = case.operation.path.startswith("/api/v1/integration/")
            return {"headers": {"Authorization": platform if integration_call else staff}}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            calls.append((case.operation.path, response.status_code))
            case.validate_response(response, checks=[not_a_server_error])

    Workflow.run(
        settings=hypothesis_settings(
            max_examples=SCENARIOS,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
    )
    assert len(calls) >= 2 * SCENARIOS  # the scenarios really ran, several calls each
    assert any(status < 400 for _, status in calls)  # and reached real objects, not only 404s
