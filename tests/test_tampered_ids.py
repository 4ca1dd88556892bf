"""The access matrix for related ids: every form (formset rows, hidden fields, choices) and API body
that names another record is posted by station B's staff with the id of a record of station A.
Nothing of station A may change, and no record of B may come to point at A's."""

import pytest
from django.urls import reverse

from hqzt.core.formsets import FOREIGN_ROW
from hqzt.enterprises.models import EnterpriseContact
from hqzt.enterprises.tests.factories import EnterpriseFactory
from hqzt.needs.models import Need
from hqzt.needs.states import Status
from hqzt.operations.models import ActionItem, Meeting, Training, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact_a(enterprise_a):
    return EnterpriseContact.objects.create(
        enterprise=enterprise_a, name="甲站联系人", position="经理", phone="13811112222"
    )


def _enterprise_post(station, **rows) -> dict:
    data = {
        "name": "乙站服务的企业有限公司",
        "stations": [station.pk],
        "c-TOTAL_FORMS": "1",
        "c-INITIAL_FORMS": "1",
        "c-MIN_NUM_FORMS": "0",
        "c-MAX_NUM_FORMS": "10",
    }
    data.update(rows)
    return data


def _unchanged(contact: EnterpriseContact) -> bool:
    fresh = EnterpriseContact.objects.filter(pk=contact.pk).first()
    return fresh is not None and (fresh.name, fresh.phone, fresh.enterprise_id) == (
        contact.name,
        contact.phone,
        contact.enterprise_id,
    )


@pytest.mark.parametrize(
    "row",
    [
        {"c-0-name": "被改写", "c-0-position": "攻击者", "c-0-phone": "13900000000"},
        {"c-0-name": "甲站联系人", "c-0-phone": "13811112222", "c-0-DELETE": "on"},
    ],
    ids=["change", "delete"],
)
@pytest.mark.parametrize("view", ["edit", "create"])
def test_a_contact_row_of_another_enterprise_is_refused(
    client_for, staff_b, station_b, enterprise_b, contact_a, row, view
):
    url = (
        reverse("enterprises:edit", args=[enterprise_b.pk])
        if view == "edit"
        else reverse("enterprises:create")
    )
    rows = {f"c-0-{k[4:]}": v for k, v in row.items()} | {"c-0-id": contact_a.pk}
    if view == "create":
        rows["name"] = "乙站新登记的企业有限公司"
    response = client_for(staff_b).post(url, _enterprise_post(station_b, **rows))
    assert response.status_code == 200
    assert FOREIGN_ROW in response.text
    assert _unchanged(contact_a)
    assert not enterprise_b.contacts.exists()


def test_the_service_refuses_a_foreign_contact_too(staff_b, station_b, enterprise_b, contact_a):
    from django.core.exceptions import ValidationError

    from hqzt.enterprises.services import enterprise_save

    row = {"id": contact_a, "name": "被改写", "position": "", "phone": "13900000000"}
    with pytest.raises(ValidationError):
        enterprise_save(
            actor=staff_b,
            enterprise=enterprise_b,
            data={"name": enterprise_b.name},
            stations=[station_b],
            allowed_stations=[station_b],
            contacts=[row | {"is_primary": False}],
        )
    assert _unchanged(contact_a)


def test_every_inline_formset_checks_its_row_ids_against_the_parent():
    """Written once: any model formset of the project must be the parent-scoped kind."""
    import importlib
    import pkgutil

    from django.forms import BaseModelFormSet

    import hqzt
    from hqzt.core.formsets import ParentScopedInlineFormSet

    for module in pkgutil.walk_packages(hqzt.__path__, "hqzt."):
        if ".tests" not in module.name and ".migrations" not in module.name:
            importlib.import_module(module.name)

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    ours = [c for c in walk(BaseModelFormSet) if c.__module__.startswith("hqzt.")]
    assert ours, "the walk found no formset: the check would prove nothing"
    assert all(issubclass(c, ParentScopedInlineFormSet) for c in ours), ours


def test_registering_a_need_for_another_stations_enterprise_is_refused(
    client_for, staff_b, station_b, enterprise_a, enterprise_b, metrology
):
    from hqzt.needs.models import Channel

    def post(enterprise):
        return client_for(staff_b).post(
            reverse("needs:register"),
            {
                "station": station_b.pk,
                "enterprise": enterprise.pk,
                "contact_name": "王",
                "contact_phone": "13812345678",
                "source": "inbound",
                "channel": Channel.objects.get(code="phone").pk,
                "items-TOTAL_FORMS": "1",
                "items-INITIAL_FORMS": "0",
                "items-0-need_type": metrology.pk,
                "items-0-content": "内容",
            },
        )

    assert post(enterprise_a).status_code == 200
    assert not Need.objects.exists()
    # The same post with the station's own enterprise is taken.
    assert post(enterprise_b).status_code == 302
    assert Need.objects.get().enterprise == enterprise_b


def test_visits_and_trainings_take_only_the_stations_own_enterprises(
    client_for, staff_b, station_b, enterprise_a, enterprise_b
):
    client = client_for(staff_b)

    def post(enterprise) -> list[int]:
        visit = client.post(
            reverse("operations:visit_create"),
            {
                "station": station_b.pk,
                "enterprise": enterprise.pk,
                "planned_on": "2026-06-01",
                "purpose": "走访",
            },
        )
        training = client.post(
            reverse("operations:training_create"),
            {
                "station": station_b.pk,
                "topic": "培训",
                "held_on": "2026-06-01",
                "organiser_kind": "experts",
                "organiser": "专家团队",
                "enterprises": [enterprise.pk],
            },
        )
        return [visit.status_code, training.status_code]

    assert post(enterprise_a) == [200, 200]  # the forms again, with the error
    assert not Visit.objects.exists() and not Training.objects.exists()
    # The same posts with the station's own enterprise are taken.
    assert post(enterprise_b) == [302, 302]
    assert Visit.objects.filter(enterprise=enterprise_b).exists()
    assert Training.objects.filter(enterprises=enterprise_b).exists()


def test_meeting_items_take_only_the_stations_people_and_needs(
    client_for, drive, staff_a, staff_b, station_b
):
    need_a = drive(Status.REGISTERED)
    response = client_for(staff_b).post(
        reverse("operations:meeting_create"),
        {
            "station": station_b.pk,
            "kind": "regular",
            "held_on": "2026-06-01",
            "topic": "例会",
            "attendees": [staff_a.pk],
            "minutes": "纪要",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-description": "事项",
            "items-0-owner": staff_a.pk,
            "items-0-due_on": "2026-06-08",
            "items-0-need_label": need_a.label,
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert not Meeting.objects.filter(attendees=staff_a).exists()
    assert not ActionItem.objects.filter(owner=staff_a).exists()
    assert not ActionItem.objects.filter(need=need_a).exists()
    assert not Meeting.objects.exists()


def test_hidden_station_and_enterprise_of_a_visit_cannot_be_swapped(
    client_for, staff_b, station_b, enterprise_a, metrology
):
    enterprise = EnterpriseFactory(name="乙站走访的企业")
    station_b.enterprises.add(enterprise)
    visit = Visit.objects.create(
        station=station_b,
        enterprise=enterprise,
        planned_on="2026-06-01",
        visited_on="2026-06-01",
        findings="已走访",
        purpose="走访",
    )

    def post(station, chosen):
        return client_for(staff_b).post(
            reverse("operations:visit_detail", args=[visit.pk]),
            {
                "action": "needs",
                "station": station.pk,
                "enterprise": chosen.pk,
                "source": "visit",
                "contact_name": "王",
                "contact_phone": "13812345678",
                "items-TOTAL_FORMS": "1",
                "items-INITIAL_FORMS": "0",
                "items-0-need_type": metrology.pk,
                "items-0-content": "走访中提出",
            },
        )

    post(enterprise_a.stations.get(), enterprise_a)
    assert not Need.objects.exists()
    post(station_b, enterprise)  # the page's own hidden values are taken
    assert Need.objects.get().enterprise == enterprise


def test_an_api_body_naming_a_person_outside_the_section_is_refused(
    client_for, drive, handler, staff_a
):
    need = drive(Status.DISPATCHED)
    response = client_for(handler).post(
        reverse("api:need-action", args=[need.pk, "accept_task"]),
        {"responsible_person": staff_a.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    need.refresh_from_db()
    assert need.status == Status.DISPATCHED


@pytest.mark.parametrize("url", ["documents:import_upload", "documents:enterprise_import"])
def test_importing_into_another_station_is_refused(client_for, staff_b, station_a, url):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(staff_b).post(
        reverse(url),
        {
            "station": station_a.pk,
            "file": SimpleUploadedFile("x.csv", "企业名称\n甲公司\n".encode()),
        },
    )
    assert response.status_code in (200, 403)
    from hqzt.documents.models import ImportBatch

    assert not ImportBatch.objects.filter(station=station_a).exists()


def test_a_supervisor_cannot_order_a_station_outside_their_unit(
    client_for, county_supervisor, station_a
):
    from hqzt.supervision.models import SupervisionOrder

    response = client_for(county_supervisor).post(
        reverse("supervision:order_create"),
        {"station": station_a.pk, "instruction": "督办", "due_on": "2099-01-01"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert not SupervisionOrder.objects.filter(station=station_a).exists()
    assert not SupervisionOrder.objects.exists()


def test_a_shift_takes_only_the_stations_own_people(client_for, chief_a, station_a, staff_b):
    from hqzt.operations.models import DutyShift

    response = client_for(chief_a).post(
        reverse("operations:staff", args=[station_a.pk]),
        {"action": "shift", "date": "2099-01-05", "user": staff_b.pk},
    )
    assert response.status_code == 200  # the page again, with the error
    assert not DutyShift.objects.filter(user=staff_b).exists()
    response = client_for(chief_a).post(  # the same post with the station's own person is taken
        reverse("operations:staff", args=[station_a.pk]),
        {"action": "shift", "date": "2099-01-05", "user": chief_a.pk},
    )
    assert response.status_code == 302
    assert DutyShift.objects.filter(user=chief_a).exists()


def test_a_rectification_task_takes_only_people_of_the_plans_station(
    client_for, supervisor, station_a, staff_a, staff_b
):
    import datetime

    from hqzt.supervision.models import RectificationTask
    from hqzt.supervision.rectification import TaskSpec, plan_create

    due = datetime.date.today() + datetime.timedelta(days=30)
    plan = plan_create(
        actor=supervisor,
        station=station_a,
        problem="问题",
        measures="措施",
        tasks=[TaskSpec("任务", staff_a, due)],
    )
    response = client_for(supervisor).post(
        reverse("supervision:plan_add_task", args=[plan.pk]),
        {"new-description": "另一任务", "new-owner": staff_b.pk, "new-due_on": str(due)},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("supervision:plan_detail", args=[plan.pk]), 302)]
    assert "选择一个有效的选项" in response.text  # back to the plan, with the refusal
    assert not RectificationTask.objects.filter(owner=staff_b).exists()
    assert plan.tasks.count() == 1
    response = client_for(supervisor).post(  # the same post with the station's own person is taken
        reverse("supervision:plan_add_task", args=[plan.pk]),
        {"new-description": "另一任务", "new-owner": staff_a.pk, "new-due_on": str(due)},
    )
    assert response.status_code == 302
    assert plan.tasks.count() == 2
