"""工作建议 (§5.3 a): a station proposes, its superior unit reads and answers; each allowed and
refused case, and the weekly report."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hqzt.core import clock
from hqzt.needs.models import Channel, Source
from hqzt.needs.services.registration import NeedItem, need_register
from hqzt.needs.states import Status
from hqzt.notifications.models import Notification
from hqzt.operations.models import WorkSuggestion
from hqzt.operations.report_docx import figure_rows
from hqzt.operations.reports import week_of, weekly_report_draft
from hqzt.operations.suggestions import suggestion_answer, suggestion_submit
from hqzt.stations.models import StationMember

pytestmark = pytest.mark.django_db


def _form(station, **extra):
    return {
        "station": station.pk,
        "title": "建议组织计量器具集中送检",
        "source": "recurring_needs",
        "content": "多家企业反复询问压力表送检，建议按季度集中检定。",
        **extra,
    }


@pytest.fixture
def suggestion(staff_a, station_a):
    return suggestion_submit(
        actor=staff_a,
        station=station_a,
        title="建议编印标准公开指引",
        content="企业反复询问企业标准自我声明公开流程。",
        source="survey",
    )


# DB1405 §5.3 a
def test_staff_propose_through_the_page_and_the_superior_is_told(
    client_for,
    staff_a,
    station_a,
    supervisor,
    county_supervisor,
    drive,
    django_capture_on_commit_callbacks,
):
    need = drive(Status.REGISTERED)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff_a).post(
            reverse("operations:suggestion_create"), _form(station_a, need_labels=need.label)
        )
    assert response.status_code == 302
    suggestion = WorkSuggestion.objects.get()
    assert suggestion.submitted_by == staff_a and list(suggestion.needs.all()) == [need]
    assert suggestion.status == WorkSuggestion.Status.SUBMITTED
    # The city bureau oversees station A; the county bureau (station B's) does not.
    assert Notification.objects.filter(recipient=supervisor, kind="suggestion").exists()
    assert not Notification.objects.filter(recipient=county_supervisor).exists()


def test_a_need_of_another_station_is_refused(
    client_for, staff_a, station_a, staff_b, station_b, enterprise_b, metrology
):
    sheet = need_register(
        actor=staff_b,
        station=station_b,
        enterprise=enterprise_b,
        contact_name="李经理",
        contact_phone="13812345678",
        source=Source.INBOUND,
        channel=Channel.objects.get(code="phone"),
        items=[NeedItem(need_type=metrology, content="乙站的需求")],
    )
    label = sheet.needs.get().label
    response = client_for(staff_a).post(
        reverse("operations:suggestion_create"), _form(station_a, need_labels=label)
    )
    assert response.status_code == 200 and f"本站没有需求「{label}」" in response.text
    assert not WorkSuggestion.objects.exists()


def test_empty_content_is_refused_in_chinese(client_for, staff_a, station_a):
    response = client_for(staff_a).post(
        reverse("operations:suggestion_create"), _form(station_a, content="")
    )
    assert response.status_code == 200 and "该字段是必填项" in response.text
    with pytest.raises(ValidationError, match="请填写建议内容"):
        suggestion_submit(
            actor=staff_a, station=station_a, title="建议", content="   ", source="survey"
        )


def test_untrained_staff_may_not_propose(staff_a, station_a):
    StationMember.objects.filter(user=staff_a).update(onboarding_trained_on=None)
    with pytest.raises(ValidationError, match="尚未完成上岗培训"):
        suggestion_submit(
            actor=staff_a, station=station_a, title="建议", content="内容", source="survey"
        )


@pytest.mark.parametrize("persona", ["supervisor", "handler", "admin_user"])
def test_only_station_staff_propose(client_for, request, persona, station_a):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("operations:suggestion_create")).status_code == 403
    response = client_for(user).post(reverse("operations:suggestion_create"), _form(station_a))
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        suggestion_submit(
            actor=user, station=station_a, title="建议", content="内容", source="survey"
        )
    assert not WorkSuggestion.objects.exists()


def test_staff_of_another_station_cannot_propose_for_it(client_for, staff_b, station_a):
    response = client_for(staff_b).post(reverse("operations:suggestion_create"), _form(station_a))
    assert response.status_code == 200 and not WorkSuggestion.objects.exists()
    with pytest.raises(PermissionDenied):
        suggestion_submit(
            actor=staff_b, station=station_a, title="建议", content="内容", source="survey"
        )


# DB1405 §5.3 a
def test_the_superior_reads_and_answers_and_the_proposer_is_told(
    client_for, supervisor, staff_a, suggestion, django_capture_on_commit_callbacks
):
    url = reverse("operations:suggestion_detail", args=[suggestion.pk])
    client_for(staff_a).get(url)
    suggestion.refresh_from_db()
    assert suggestion.read_at is None  # the station opening it is not the superior reading it
    page = client_for(supervisor).get(url).text
    suggestion.refresh_from_db()
    assert suggestion.read_by == supervisor and "保存答复" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(supervisor).post(url, {"reply": "同意，下月起执行。"})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == WorkSuggestion.Status.ANSWERED
    assert suggestion.replied_by == supervisor and suggestion.reply == "同意，下月起执行。"
    assert Notification.objects.filter(recipient=staff_a, kind="suggestion").exists()
    page = client_for(staff_a).get(url).text
    assert "同意，下月起执行。" in page and "保存答复" not in page


@pytest.mark.parametrize("persona", ["staff_a", "chief_a", "admin_user"])
def test_the_station_and_admins_cannot_answer(client_for, request, persona, suggestion):
    user = request.getfixturevalue(persona)
    url = reverse("operations:suggestion_detail", args=[suggestion.pk])
    assert client_for(user).post(url, {"reply": "自己答复"}).status_code == 403
    with pytest.raises(PermissionDenied):
        suggestion_answer(actor=user, suggestion=suggestion, reply="自己答复")
    suggestion.refresh_from_db()
    assert suggestion.reply == ""


def test_outside_the_scope_the_suggestion_is_not_found(
    client_for, staff_b, county_supervisor, suggestion
):
    url = reverse("operations:suggestion_detail", args=[suggestion.pk])
    for user in (staff_b, county_supervisor):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).post(url, {"reply": "越权"}).status_code == 404
        assert (
            suggestion.title not in client_for(user).get(reverse("operations:suggestion_list")).text
        )
    with pytest.raises(PermissionDenied):
        suggestion_answer(actor=county_supervisor, suggestion=suggestion, reply="越权")


def test_an_empty_answer_is_refused(client_for, supervisor, suggestion):
    url = reverse("operations:suggestion_detail", args=[suggestion.pk])
    response = client_for(supervisor).post(url, {"reply": ""})
    assert response.status_code == 200
    with pytest.raises(ValidationError, match="请填写答复意见"):
        suggestion_answer(actor=supervisor, suggestion=suggestion, reply=" ")


def test_the_list_filters_by_status(client_for, supervisor, suggestion):
    client = client_for(supervisor)
    url = reverse("operations:suggestion_list")
    assert suggestion.title in client.get(url + "?status=submitted").text
    assert suggestion.title not in client.get(url + "?status=answered").text


def test_the_weekly_report_shows_the_weeks_suggestions(client_for, chief_a, suggestion):
    report = weekly_report_draft(suggestion.station, week_of(clock.today()))
    assert report.figures["suggestions"] == 1
    assert report.figures["suggestion_items"][0]["title"] == suggestion.title
    page = client_for(chief_a).get(reverse("operations:report_detail", args=[report.pk])).text
    assert suggestion.title in page[page.index('data-testid="fig-suggestions"') :]
    assert ("工作建议", suggestion.title) in figure_rows(report.figures)
