"""The need page reads where the user stands to the need once (Standing) and the user's stations
once (issue 18: it made ~30 queries, five of them the same membership and four the same list of
stations), and its history costs the same queries however long it grows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hqzt.needs.attachments import attachment_add
from hqzt.needs.services.handling import need_add_step, need_remind
from hqzt.needs.states import Status
from tests.page_queries import page_queries

pytestmark = pytest.mark.django_db

MAX_QUERIES = 25
PERSONAS = ["staff_a", "chief_a", "handler", "supervisor"]


def _queries(client, url: str) -> int:
    return len(page_queries(client, url)[0])


def _grow(need, handler, chief_a, n: int) -> None:
    for i in range(n):
        step = need_add_step(need=need, actor=handler, description=f"第{i}次上门检定")
        upload = SimpleUploadedFile(f"记录{i}.pdf", b"%PDF-1.4 record")
        attachment_add(need=need, actor=handler, upload=upload, step=step)
        need_remind(need=need, actor=chief_a, note=f"催办{i}")


@pytest.mark.parametrize("state", [Status.IN_PROGRESS, Status.AWAITING_VERIFICATION])
def test_need_page_queries_do_not_grow_with_its_history(request, drive, handler, chief_a, state):
    need = drive(state)
    url = reverse("needs:detail", args=[need.pk])
    clients = {p: Client() for p in PERSONAS}
    for persona, client in clients.items():
        client.force_login(request.getfixturevalue(persona))
    if state == Status.IN_PROGRESS:
        _grow(need, handler, chief_a, 1)
    few = {p: _queries(c, url) for p, c in clients.items()}
    if state == Status.IN_PROGRESS:
        _grow(need, handler, chief_a, 6)
    many = {p: _queries(c, url) for p, c in clients.items()}
    assert many == few
    assert max(many.values()) <= MAX_QUERIES, many


def test_one_membership_query_for_the_page(client_for, drive, chief_a):
    """Actions, phone rights, the extension decision and the dialogs all ask where the chief
    stands; the page reads the membership once for them (and once for the top bar)."""
    need = drive(Status.IN_PROGRESS)
    with CaptureQueriesContext(connection) as captured:
        client_for(chief_a).get(reverse("needs:detail", args=[need.pk]))
    members = [q for q in captured if q["sql"].startswith('SELECT "stations_stationmember"')]
    stations = [q for q in captured if q["sql"].startswith('SELECT "stations_station"."id"')]
    assert len(members) <= 2 and len(stations) == 1, [q["sql"][:120] for q in members + stations]
