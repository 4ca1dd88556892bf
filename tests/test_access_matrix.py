"""Every URL × role × method: nothing answers with a server error, nothing private is served to
an anonymous visitor (nor to one who gave the password but not yet the second-factor code), and
station A's records are not found by station B's staff."""

import time

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hqzt.accounts.views import PENDING
from hqzt.needs.states import Status

pytestmark = pytest.mark.django_db

PUBLIC = {
    "index",
    "accounts:login",
    "accounts:login_verify",
    "needs:evaluate_public",
    "api:schema",
    "api:docs",
    "healthz",
    "readyz",
}
PUBLIC_PREFIXES = ("portal:", "api:portal-", "api:auth-token")


def _names(patterns=None, namespace=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in [namespace, p.namespace] if x)
            if ns != "admin":
                yield from _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield ":".join(x for x in [namespace, p.name] if x), p


@pytest.fixture
def world(drive, station_a, enterprise_a, staff_a, chief_a, handler, admin_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hqzt.documents.models import ImportBatch
    from hqzt.documents.tests.factories import ExportJobFactory, ImportBatchFactory
    from hqzt.enterprises.models import EnterpriseContact
    from hqzt.enterprises.tests.factories import ChainFactory, TownFactory
    from hqzt.needs.attachments import attachment_add
    from hqzt.operations.reports import weekly_report_draft
    from hqzt.operations.suggestions import suggestion_submit
    from hqzt.operations.tests.factories import (
        ActionItemFactory,
        AnnualPlanFactory,
        MeetingFactory,
        VisitFactory,
    )
    from hqzt.policies.tests.factories import PolicyFactory

    need = drive(Status.IN_PROGRESS)
    attachment = attachment_add(
        need=need, actor=staff_a, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
    )
    meeting = MeetingFactory(station=station_a)
    csv = {"uploaded_by": staff_a, "station": station_a, "original_name": "x.csv"}
    batch = ImportBatchFactory(**csv, file=SimpleUploadedFile("x.csv", b"a,b"))
    enterprise_batch = ImportBatchFactory(
        **csv, kind=ImportBatch.Kind.ENTERPRISES, file=SimpleUploadedFile("x.csv", b"a,b")
    )
    return {
        "station": station_a.pk,
        "enterprise": enterprise_a.pk,
        "contact": EnterpriseContact.objects.create(
            enterprise=enterprise_a, name="王五", phone="13812345678"
        ).pk,
        "chain": ChainFactory().pk,
        "town": TownFactory().pk,
        "need": need.pk,
        "sheet": need.sheet_id,
        "attachment": attachment.pk,
        "plan": AnnualPlanFactory(station=station_a, year=2025).pk,
        "report": weekly_report_draft(station_a, need.registered_on).pk,
        "meeting": meeting.pk,
        "item": ActionItemFactory(meeting=meeting, owner=staff_a).pk,
        "visit": VisitFactory(station=station_a, enterprise=enterprise_a).pk,
        "policy": PolicyFactory(station=None).pk,
        "suggestion": suggestion_submit(
            actor=staff_a, station=station_a, title="建议", content="内容", source="survey"
        ).pk,
        **_practice_world(station_a, chief_a),
        "job": ExportJobFactory(user=staff_a).pk,
        "batch": batch.pk,
        "enterprise_batch": enterprise_batch.pk,
        "notification": handler.notifications.first().pk,
        **_supervision_world(need, station_a, chief_a),
    }


def _practice_world(station, chief) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hqzt.records.practices import practice_save

    practice = practice_save(
        actor=chief,
        station=station,
        title="经验",
        summary="做法",
        photos=[SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32)],
    )
    from hqzt.core import clock
    from hqzt.records.closing import book_close

    closed = book_close(
        actor=chief,
        station=station,
        kind="enterprise",
        subject=station.enterprises.first(),
        year=clock.today().year - 1,
    )
    return {
        "practice": practice.pk,
        "practice_photo": practice.photos.get().pk,
        "closed_book": closed.pk,
    }


def _supervision_world(need, station, owner) -> dict:
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from hqzt.accounts.tests.factories import UserFactory
    from hqzt.needs.services.evaluation import need_evaluate
    from hqzt.needs.services.handling import need_complete
    from hqzt.supervision.models import Callback
    from hqzt.supervision.orders import order_issue
    from hqzt.supervision.rectification import TaskSpec, plan_create, task_submit
    from hqzt.supervision.services import feedback_receive

    boss = UserFactory(
        username="matrix_supervisor", role="supervisor", org_unit=station.superior_unit
    )
    due = datetime.date.today() + datetime.timedelta(days=30)
    order = order_issue(actor=boss, station=station, need=need, instruction="督办", due_on=due)
    done = need_complete(
        need=need, actor=need.responsible_person or boss, outcome="met", result="r"
    )
    need_evaluate(need=done, actor=need.first_contact, level="dissatisfied", comments="慢")
    feedback = feedback_receive(kind="complaint", channel="portal", content="投诉", station=station)
    plan = plan_create(
        actor=boss,
        station=station,
        problem="问题",
        measures="措施",
        tasks=[TaskSpec("任务", owner, due)],
        feedback=feedback,
    )
    task = plan.tasks.get()
    task_submit(
        actor=owner,
        task=task,
        evidence="已整改",
        upload=SimpleUploadedFile("e.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32),
    )
    return {
        "order": order.pk,
        "callback": Callback.objects.get(need=need).pk,
        "feedback": feedback.pk,
        "improvement_plan": plan.pk,
        "task": task.pk,
    }


# Records that belong to station A (or to its people): every URL naming one by id, other than the
# public portal's, answers station B's staff 404 (or 405) — never 403, which would confirm that it
# exists. Checked over every URL, so a new view cannot be left out of a hand-kept list.
STATION_A_KEYS = {
    "station",
    "enterprise",
    "contact",
    "need",
    "sheet",
    "attachment",
    "plan",
    "report",
    "meeting",
    "item",
    "visit",
    "suggestion",
    "practice",
    "practice_photo",
    "closed_book",
    "job",
    "batch",
    "enterprise_batch",
    "order",
    "callback",
    "feedback",
    "improvement_plan",
    "task",
}


def _object_key(name: str) -> str | None:
    return next((v for k, v in BY_NAME.items() if name.startswith(k)), None)


def _kwargs(name: str, pattern: URLPattern, world: dict) -> dict:
    kwargs = {}
    for key in pattern.pattern.converters:
        if key == "pk":
            kwargs[key] = world[_object_key(name)]
        else:
            kwargs[key] = {
                "fmt": "pdf",
                "action": "identify",
                "token": "no-such",
                "external_id": "x",
                "kind": "enterprise",
            }[key]
    return kwargs


BY_NAME = {
    "enterprises:chain": "chain",
    "enterprises:town": "town",
    "enterprises:contact": "contact",
    "needs:sheet": "sheet",
    "needs:attachment": "attachment",
    "documents:sheet": "sheet",
    "documents:evaluation": "need",
    "documents:export": "job",
    "documents:import": "batch",
    "documents:enterprise_import": "enterprise_batch",
    "operations:plan": "plan",
    "operations:report": "report",
    "operations:meeting": "meeting",
    "operations:action_item": "item",
    "operations:visit": "visit",
    "operations:suggestion": "suggestion",
    "operations:staff": "station",
    "policies:": "policy",
    "portal:policy": "policy",
    "notifications:": "notification",
    "api:need": "need",
    "supervision:order": "order",
    "supervision:callback": "callback",
    "supervision:feedback": "feedback",
    "supervision:plan": "improvement_plan",
    "supervision:task": "task",
    "supervision:": "station",
    "records:enterprise": "enterprise",
    "records:practice_photo": "practice_photo",
    "records:book_close": "enterprise",
    "records:closed_book": "closed_book",
    "records:practice": "practice",
    "records:chain": "chain",
    "records:town": "town",
    "portal:": "station",
    "api:portal-station": "station",
    "enterprises:": "enterprise",
    "stations:": "station",
    "needs:": "need",
}


def _half_log_in(client, user) -> None:
    """The password step passed, the second-factor code not yet given."""
    session = client.session
    session[PENDING] = {"user": user.pk, "backend": "", "next": "/", "at": int(time.time())}
    session.save()


@pytest.mark.parametrize(
    "persona",
    [
        "anonymous",
        "half_logged_in",
        "staff_a",
        "chief_a",
        "staff_b",
        "handler",
        "supervisor",
        "admin_user",
    ],
)
def test_every_url_with_every_role_and_method(client, request, world, persona, staff_a):
    user = None if persona in {"anonymous", "half_logged_in"} else request.getfixturevalue(persona)
    seen = 0
    for name, pattern in _names():
        url = reverse(name, kwargs=_kwargs(name, pattern, world))
        public = name in PUBLIC or name.startswith(PUBLIC_PREFIXES)
        for method in ("get", "post"):
            if user is not None:
                client.force_login(user)  # the logout URL is among those visited
            elif persona == "half_logged_in":
                _half_log_in(client, staff_a)
            response = getattr(client, method)(url)
            seen += 1
            assert response.status_code < 500, (persona, method, url)
            if persona in {"anonymous", "half_logged_in"} and not public:
                assert response.status_code in (302, 401, 403, 405), (
                    method,
                    url,
                    response.status_code,
                )
                if response.status_code == 302:
                    assert "/accounts/login/" in response.url, url
            if (
                persona == "staff_b"
                and not public
                and "pk" in pattern.pattern.converters
                and _object_key(name) in STATION_A_KEYS
            ):
                assert response.status_code in (404, 405), (method, url, response.status_code)
    assert seen >= 170
