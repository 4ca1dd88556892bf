"""Every list page and API list costs the same number of queries for 2 rows as for 30 (issue 18:
"query count per page constant, not growing with rows shown, ≤ 25"), for each role that sees it.

The world grows by the same records of every kind at once — needs in several states, enterprises,
notifications, supervision orders, callbacks, feedback, improvement plans, meetings, visits,
trainings, weekly reports, suggestions, policies, practices, showcase cases, exports, stations —
so that one page's rows cannot hide behind another's."""

import datetime
import itertools

import pytest
from django.test import Client
from django.urls import reverse

from hqzt.needs.states import Status
from tests.page_queries import page_queries

pytestmark = pytest.mark.django_db

MAX_QUERIES = 25
FEW, MANY = 2, 30

# (persona, URL name) of every list page and API list; each persona that sees the list.
PAGES = {
    "staff_a": [
        "dashboard:home",
        "needs:ledger",
        "needs:todo",
        "enterprises:list",
        "enterprises:chain_list",
        "enterprises:town_list",
        "notifications:inbox",
        "operations:hub",
        "operations:plan_list",
        "operations:report_list",
        "operations:meeting_list",
        "operations:training_list",
        "operations:visit_list",
        "operations:suggestion_list",
        "policies:list",
        "records:archive",
        "records:practice_list",
        "documents:export_list",
        "supervision:order_list",
        "supervision:plan_list",
        "api:needs",
    ],
    "chief_a": [
        "dashboard:home",
        "needs:ledger",
        # The ledger's sorts and page sizes, with the 操作 column's next action and batch bar.
        "needs:ledger?sort=due&per_page=100",
        "needs:ledger?sort=-date&per_page=20",
        "needs:ledger?sort=date&per_page=100&more=1",
        "needs:ledger?sort=id&period=year",
        "needs:todo",
        "notifications:inbox",
        "operations:report_list",
        "operations:suggestion_list",
        "supervision:order_list",
        "supervision:plan_list",
        "api:needs",
    ],
    "handler": [
        "dashboard:home",
        "needs:ledger",
        "needs:ledger?sort=-date&per_page=20",
        "needs:todo",
        "notifications:inbox",
        "api:needs",
    ],
    "supervisor": [
        "dashboard:home",
        "stations:list",
        "needs:ledger",
        "needs:ledger?sort=due&per_page=100",
        "needs:todo",
        "enterprises:list",
        "enterprises:chain_list",
        "enterprises:town_list",
        "notifications:inbox",
        "policies:list",
        "documents:export_list",
        "operations:hub",
        "operations:plan_list",
        "operations:report_list",
        "operations:meeting_list",
        "operations:training_list",
        "operations:visit_list",
        "operations:suggestion_list",
        "records:archive",
        "records:practice_list",
        "supervision:hub",
        "supervision:order_list",
        "supervision:callback_list",
        "supervision:feedback_list",
        "supervision:plan_list",
        "api:needs",
    ],
    "anonymous": [
        "portal:home",
        "portal:policies",
        "portal:cases",
        "api:portal-stations",
        "api:portal-policies",
    ],
}


@pytest.fixture
def grow(drive, station_a, chief_a, staff_a, handler, supervisor):
    """grow(n): n more records of every kind, all of station A (and n more stations)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hqzt.documents.models import ExportJob
    from hqzt.enterprises.tests.factories import ChainFactory, EnterpriseFactory, TownFactory
    from hqzt.operations.models import Meeting, Training, Visit
    from hqzt.operations.reports import weekly_report_draft
    from hqzt.operations.suggestions import suggestion_submit
    from hqzt.policies.models import Policy
    from hqzt.records.practices import practice_save
    from hqzt.records.showcase import showcase_publish
    from hqzt.stations.tests.factories import StationFactory
    from hqzt.supervision.orders import order_issue
    from hqzt.supervision.rectification import TaskSpec, plan_create
    from hqzt.supervision.services import feedback_receive

    serial = itertools.count()
    monday = datetime.date(2025, 1, 6)
    due = datetime.date.today() + datetime.timedelta(days=30)

    def more(n: int) -> None:
        for _ in range(n):
            i = next(serial)
            enterprise = EnterpriseFactory()
            station_a.enterprises.add(enterprise)
            ChainFactory()
            TownFactory()
            StationFactory()
            drive(Status.AWAITING_DISPATCH)
            drive(Status.IN_PROGRESS)
            drive(Status.AWAITING_VERIFICATION)  # a dissatisfied evaluation: a callback
            archived = drive(Status.ARCHIVED)
            showcase_publish(actor=chief_a, need=archived, title=f"案例{i}", summary="介绍")
            order_issue(actor=supervisor, station=station_a, instruction="督办", due_on=due)
            feedback = feedback_receive(
                kind="complaint", channel="portal", content=f"投诉{i}", station=station_a
            )
            plan_create(
                actor=supervisor,
                station=station_a,
                problem="问题",
                measures="措施",
                tasks=[TaskSpec("任务", chief_a, due)],
                feedback=feedback,
            )
            Meeting.objects.create(
                station=station_a, kind="regular", held_on=monday, topic=f"例会{i}", minutes="纪要"
            )
            Training.objects.create(
                station=station_a,
                topic=f"培训{i}",
                held_on=monday,
                organiser_kind="experts",
                organiser="专家团队",
            )
            Visit.objects.create(
                station=station_a, enterprise=enterprise, planned_on=monday, purpose="走访"
            )
            weekly_report_draft(station_a, monday + datetime.timedelta(weeks=i))
            suggestion_submit(
                actor=staff_a, station=station_a, title=f"建议{i}", content="内容", source="survey"
            )
            Policy.objects.create(
                title=f"政策{i}", issuer="市局", issued_on="2025-01-01", summary="摘要"
            )
            practice_save(
                actor=chief_a,
                station=station_a,
                title=f"经验{i}",
                summary="做法",
                photos=[SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32)],
                publish=True,
            )
            for user in (staff_a, chief_a, supervisor):
                ExportJob.objects.create(user=user)

    return more


def _url(name: str) -> str:
    """A URL name, maybe with a query string after it."""
    name, _, query = name.partition("?")
    return f"{reverse(name)}?{query}" if query else reverse(name)


def _queries(client, url: str) -> tuple[int, int]:
    """The queries the page cost and its length."""
    captured, response = page_queries(client, url)
    return len(captured), len(response.content)


def test_every_list_costs_the_same_queries_for_2_rows_as_for_30(request, grow):
    """One world for every persona (building it is the slow part); a client of each's own."""
    clients = {}
    for persona in PAGES:
        clients[persona] = Client()
        if persona != "anonymous":
            clients[persona].force_login(request.getfixturevalue(persona))
    pages = [(p, _url(name)) for p, names in PAGES.items() for name in names]
    grow(FEW)
    few = {(p, url): _queries(clients[p], url) for p, url in pages}
    grow(MANY - FEW)
    many = {(p, url): _queries(clients[p], url) for p, url in pages}
    growing = {
        page: (few[page][0], many[page][0]) for page in pages if many[page][0] != few[page][0]
    }
    too_many = {page: many[page][0] for page in pages if many[page][0] > MAX_QUERIES}
    assert not growing and not too_many, {"growing": growing, "over": too_many}
    # Every page shows the added rows: a page that showed none would prove nothing above.
    assert not [page for page in pages if many[page][1] <= few[page][1]]
