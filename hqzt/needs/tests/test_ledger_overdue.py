"""仅看超期 on the ledger: open needs past their step's deadline or their answer deadline, each
counted once although the count adds two parts (ledger.overdue_filter)."""

import datetime

import pytest
from django.urls import reverse

from hqzt.core import clock, pagination
from hqzt.needs.models import Need
from hqzt.needs.states import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def deadlines(drive):
    """Needs named by how their deadlines stand today."""
    today = clock.today()
    past, future = today - datetime.timedelta(days=3), today + datetime.timedelta(days=3)
    cases = {
        "step": (Status.IN_PROGRESS, {"due_on": past, "answer_due_on": None}),
        "answer": (Status.DISPATCHED, {"due_on": future, "answer_due_on": past}),
        "answer_no_step": (Status.DISPATCHED, {"due_on": None, "answer_due_on": past}),
        "both": (Status.IN_PROGRESS, {"due_on": past, "answer_due_on": past}),
        "today": (Status.IN_PROGRESS, {"due_on": today, "answer_due_on": today}),
        "in_time": (Status.IN_PROGRESS, {"due_on": future, "answer_due_on": future}),
        "closed": (Status.ARCHIVED, {"due_on": past, "answer_due_on": past}),
    }
    needs = {}
    for name, (state, dates) in cases.items():
        need = drive(state)
        Need.objects.filter(pk=need.pk).update(**dates)
        needs[name] = need.pk
    return needs


def test_overdue_shows_and_counts_each_late_open_need_once(client_for, chief_a, deadlines):
    response = client_for(chief_a).get(reverse("needs:ledger"), {"overdue": "on"})
    page = response.context["page"]
    late = {deadlines[name] for name in ("step", "answer", "answer_no_step", "both")}
    assert {need.pk for need in page.items} == late
    assert page.total == len(late) and not page.total_is_bounded


def test_the_overdue_count_stops_at_its_bound_across_both_parts(
    client_for, chief_a, deadlines, monkeypatch
):
    monkeypatch.setattr(pagination, "COUNT_BOUND", 2)
    page = client_for(chief_a).get(reverse("needs:ledger"), {"overdue": "on"}).context["page"]
    assert page.total_display == "2+"
    monkeypatch.setattr(pagination, "COUNT_BOUND", 4)
    page = client_for(chief_a).get(reverse("needs:ledger"), {"overdue": "on"}).context["page"]
    assert page.total_display == "4"


def test_overdue_with_a_search_term_counts_the_search(client_for, chief_a, deadlines):
    need = Need.objects.get(pk=deadlines["answer"])
    word = need.content[:2]
    page = (
        client_for(chief_a)
        .get(reverse("needs:ledger"), {"overdue": "on", "q": word})
        .context["page"]
    )
    shown = {n.pk for n in page.items}
    assert need.pk in shown and deadlines["in_time"] not in shown
    assert page.total == len(shown)
