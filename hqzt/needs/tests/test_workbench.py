"""The need page as a workbench: which offered actions are buttons and which sit in the menu,
and a refused submission that re-opens its dialog with the errors and saves nothing."""

import pytest
from django.urls import reverse

from hqzt.needs.actions import workbench_actions
from hqzt.needs.models import Need
from hqzt.needs.states import Status

pytestmark = pytest.mark.django_db


def test_refusing_and_supporting_actions_are_never_primary():
    assert workbench_actions(["accept_task", "return_task", "attach"]) == (
        ["accept_task"],
        ["return_task", "attach"],
    )
    assert workbench_actions(["complete", "step", "extension", "attach", "link_policy"]) == (
        ["complete", "step"],
        ["extension", "attach", "link_policy"],
    )
    assert workbench_actions(["remind", "return_task"]) == ([], ["remind", "return_task"])


def test_page_shows_primary_buttons_and_the_menu(client_for, drive, handler):
    need = drive(Status.DISPATCHED)
    text = client_for(handler).get(reverse("needs:detail", args=[need.pk])).text
    actions = text.split('data-testid="workbench-actions"', 1)[1].split('<div class="d-flex', 1)[0]
    assert (
        'class="btn btn-primary" data-bs-toggle="modal" data-bs-target="#action-accept_task"'
        in (actions)
    )
    assert 'class="dropdown-item text-danger" data-bs-toggle="modal"' in actions  # 回退
    assert 'data-testid="panel-return_task"' in text and "data-open-on-load" not in text


def test_refused_input_reopens_the_dialog_and_saves_nothing(client_for, drive, chief_a):
    need = drive(Status.AWAITING_DISPATCH)
    response = client_for(chief_a).post(
        reverse("needs:act", args=[need.pk, "dispatch"]),
        {"dispatch-handling_mode": "independent", "dispatch-note": "请尽快"},
    )
    assert response.status_code == 400
    dialog = response.text.split('data-testid="panel-dispatch"', 1)[1].split("</form>", 1)[0]
    assert dialog.startswith(" data-open-on-load")
    assert "分发任务未完成" in dialog and 'data-field="lead_section"' in dialog
    assert 'value="请尽快"' in dialog  # what the person typed is kept
    assert Need.objects.get(pk=need.pk).status == Status.AWAITING_DISPATCH
