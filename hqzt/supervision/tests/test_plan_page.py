"""The plan page offers a step exactly where its service would take it: the flags come from the
services' own checks (issue 17), and the page shows the forms by those flags only."""

import datetime

import pytest
from django.urls import reverse

from hqzt.core import clock
from hqzt.supervision.access import SupervisionRefused
from hqzt.supervision.rectification import (
    TaskSpec,
    plan_create,
    plan_may,
    task_submit,
    task_verify,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(supervisor, chief_a, station_a):
    return plan_create(
        actor=supervisor,
        station=station_a,
        problem="服务站周三下午无人值守",
        measures="落实值班表",
        tasks=[TaskSpec("重新排定值班表", chief_a, clock.today() + datetime.timedelta(days=10))],
    )


def _refused(step) -> bool:
    try:
        step()
    except SupervisionRefused:
        return True
    return False


def _flags(user, plan):
    tasks = list(plan.tasks.all())
    may = plan_may(user, plan, tasks)
    return may, tasks[0]


def test_the_flags_agree_with_the_services(plan, chief_a, staff_a, supervisor, county_supervisor):
    people = (chief_a, staff_a, supervisor, county_supervisor)
    for user in people:  # open: only the owner may submit, nobody may verify yet
        _, task = _flags(user, plan)
        assert task.may_submit == (user == chief_a) and not task.may_verify
    for user in (staff_a, supervisor):
        assert _refused(lambda u=user: task_submit(actor=u, task=plan.tasks.get(), evidence="x"))
    task_submit(actor=chief_a, task=plan.tasks.get(), evidence="已公示")
    for user in people:  # submitted: only an overseer of the station may verify
        may, task = _flags(user, plan)
        assert not task.may_submit and task.may_verify == (user == supervisor)
        assert may.oversee == (user == supervisor) and not may.close
    for user in (chief_a, county_supervisor):
        assert _refused(lambda u=user: task_verify(actor=u, task=plan.tasks.get(), accept=True))
    assert _refused(lambda: task_submit(actor=chief_a, task=plan.tasks.get(), evidence="再交"))
    task_verify(actor=supervisor, task=plan.tasks.get(), accept=True)
    may, task = _flags(supervisor, plan)
    assert may.close and may.add_task and not task.may_verify


def test_the_page_shows_the_forms_by_the_flags(client_for, plan, chief_a, supervisor):
    url = reverse("supervision:plan_detail", args=[plan.pk])
    submit = reverse("supervision:task_submit", args=[plan.tasks.get().pk])
    verify = reverse("supervision:task_verify", args=[plan.tasks.get().pk])
    page = client_for(chief_a).get(url).content.decode()
    assert submit in page and verify not in page
    page = client_for(supervisor).get(url).content.decode()
    assert submit not in page and verify not in page and "text-bg-warning" in page
    task_submit(actor=chief_a, task=plan.tasks.get(), evidence="已公示")
    page = client_for(supervisor).get(url).content.decode()
    assert verify in page and "text-bg-info" in page
    assert submit not in client_for(chief_a).get(url).content.decode()
