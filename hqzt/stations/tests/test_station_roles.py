"""§5.4.1 / §5.4.4: the post belongs to the station membership; one active chief per station,
held by the database whoever writes; untrained chiefs and deputies are refused like staff."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from hqzt.accounts.models import User
from hqzt.accounts.tests.factories import UserFactory
from hqzt.needs.models import Scope
from hqzt.needs.services.evaluation import need_evaluate
from hqzt.needs.services.handling import need_complete
from hqzt.needs.services.identification import need_accept_task, need_dispatch, need_identify
from hqzt.needs.states import Status
from hqzt.needs.workflow import TransitionRefused
from hqzt.operations.rota import rota_generate, rota_set
from hqzt.stations.models import ONE_CHIEF_MESSAGE, StationMember
from hqzt.stations.selectors import leads_station
from hqzt.stations.tests.factories import StationFactory

UNTRAINED = "尚未完成上岗培训（§5.4.4）"


@pytest.fixture
def untrained_chief_b(station_b):
    user = UserFactory(username="chief_b_new", full_name="新任站长")
    StationMember.objects.create(station=station_b, user=user, role="chief")
    return user


# --- One active chief, however the row is written -----------------------------------------------


# DB1405 §5.4.1
def test_the_database_refuses_a_second_active_chief(station_a, chief_a):
    other = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        StationMember.objects.create(station=station_a, user=other, role="chief")


def test_promoting_a_member_to_a_second_chief_is_refused(station_a, chief_a, staff_a):
    member = StationMember.objects.get(user=staff_a)
    member.role = "chief"
    with pytest.raises(IntegrityError), transaction.atomic():
        member.save()


def test_model_validation_gives_the_chinese_message(station_a, chief_a):
    member = StationMember(station=station_a, user=UserFactory(), role="chief")
    with pytest.raises(ValidationError) as refused:
        member.full_clean()
    assert ONE_CHIEF_MESSAGE in refused.value.messages


def test_a_former_chief_and_chiefs_of_other_stations_do_not_count(
    station_a, station_b, chief_a, staff_b
):
    StationMember.objects.filter(user=chief_a).update(is_active=False)
    StationMember.objects.create(station=station_a, user=UserFactory(), role="chief")
    StationMember.objects.filter(user=staff_b).update(role="chief")
    assert StationMember.objects.filter(role="chief", is_active=True).count() == 2


def test_the_admin_refuses_a_second_chief_with_the_message(
    client_for, admin_user, station_a, chief_a
):
    other = UserFactory()
    response = client_for(admin_user).post(
        reverse("admin:stations_stationmember_add"),
        {"station": station_a.pk, "user": other.pk, "role": "chief", "is_active": "on"},
    )
    assert response.status_code == 200
    assert ONE_CHIEF_MESSAGE in response.text
    assert not StationMember.objects.filter(user=other).exists()


def test_the_user_admin_inline_refuses_a_second_chief(client_for, admin_user, station_a, chief_a):
    other = UserFactory(username="newchief", full_name="新站长")
    prefix = "station_memberships"
    data = {
        "username": other.username,
        "full_name": other.full_name,
        "email": "",
        "phone": "",
        "role": "station_staff",
        "is_active": "on",
        "must_change_password": "",
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-station": station_a.pk,
        f"{prefix}-0-role": "chief",
        f"{prefix}-0-is_active": "on",
        f"{prefix}-0-onboarding_trained_on": "2025-01-10",
    }
    response = client_for(admin_user).post(
        reverse("admin:accounts_user_change", args=[other.pk]), data
    )
    assert response.status_code == 200
    assert ONE_CHIEF_MESSAGE in response.text
    assert not StationMember.objects.filter(user=other).exists()
    data[f"{prefix}-0-role"] = "deputy_chief"  # allowed: a deputy beside the chief
    response = client_for(admin_user).post(
        reverse("admin:accounts_user_change", args=[other.pk]), data
    )
    assert response.status_code == 302
    assert StationMember.objects.get(user=other).role == "deputy_chief"


# --- The post is the membership's --------------------------------------------------------------


def test_chief_of_one_station_is_staff_at_another(drive, chief_a, station_a, station_b):
    StationMember.objects.create(
        station=station_b, user=chief_a, role="resident_staff", onboarding_trained_on="2025-01-10"
    )
    assert leads_station(chief_a, station_a.pk)
    assert not leads_station(chief_a, station_b.pk)


def test_a_deputy_dispatches_and_resident_staff_may_not(
    drive, staff_a, metrology_section, station_a
):
    need = drive(Status.AWAITING_DISPATCH)
    with pytest.raises(TransitionRefused):
        need_dispatch(
            need=need, actor=staff_a, handling_mode="independent", lead_section=metrology_section
        )
    StationMember.objects.filter(user=staff_a).update(role="deputy_chief")
    need = need_dispatch(
        need=need, actor=staff_a, handling_mode="independent", lead_section=metrology_section
    )
    assert need.status == Status.DISPATCHED


# --- Untrained chiefs and deputies (§5.4.4) ----------------------------------------------------


@pytest.fixture
def untrained_lead(chief_a):
    StationMember.objects.filter(user=chief_a).update(onboarding_trained_on=None)
    return chief_a


def test_untrained_chief_may_not_identify(register, untrained_lead):
    need = register()[0]
    with pytest.raises(TransitionRefused, match=UNTRAINED):
        need_identify(
            need=need, actor=untrained_lead, scope=Scope.MARKET_REGULATION, complexity="simple"
        )


def test_untrained_chief_may_not_dispatch(drive, untrained_lead, metrology_section):
    need = drive(Status.AWAITING_DISPATCH)
    with pytest.raises(TransitionRefused, match=UNTRAINED):
        need_dispatch(
            need=need,
            actor=untrained_lead,
            handling_mode="independent",
            lead_section=metrology_section,
        )
    assert need.status == Status.AWAITING_DISPATCH


def test_untrained_chief_may_not_evaluate(drive, chief_a):
    need = drive(Status.AWAITING_EVALUATION)
    StationMember.objects.filter(user=chief_a).update(onboarding_trained_on=None)
    with pytest.raises(TransitionRefused, match=UNTRAINED):
        need_evaluate(need=need, actor=chief_a, level="satisfied")


# DB1405 §5.4.4
def test_untrained_deputy_refused_with_the_same_message_as_staff(register, staff_a, chief_a):
    need = register()[0]
    StationMember.objects.filter(user=chief_a).update(
        role="deputy_chief", onboarding_trained_on=None
    )
    StationMember.objects.filter(user=staff_a).update(onboarding_trained_on=None)
    refusals = []
    for actor in (staff_a, chief_a):
        with pytest.raises(TransitionRefused) as refused:
            need_identify(
                need=need, actor=actor, scope=Scope.MARKET_REGULATION, complexity="simple"
            )
        refusals.append(str(refused.value))
    assert refusals[0] == refusals[1]
    assert UNTRAINED in refusals[0]


def test_untrained_chief_is_not_put_on_duty(station_b, untrained_chief_b, staff_b):
    rota_generate(actor=staff_b, station=station_b, start=datetime.date(2025, 9, 29), weeks=1)
    with pytest.raises(ValidationError, match=UNTRAINED):
        rota_set(
            actor=staff_b,
            station=station_b,
            date=datetime.date(2025, 9, 29),
            user=untrained_chief_b,
        )


def test_trained_chief_identifies_dispatches_and_evaluates(
    register, chief_a, metrology_section, handler
):
    need = register()[0]
    need = need_identify(
        need=need, actor=chief_a, scope=Scope.MARKET_REGULATION, complexity="coordinated"
    )
    need = need_dispatch(
        need=need, actor=chief_a, handling_mode="independent", lead_section=metrology_section
    )
    need = need_accept_task(need=need, actor=handler)
    need = need_complete(need=need, actor=handler, outcome="met", result="已完成")
    need = need_evaluate(need=need, actor=chief_a, level="satisfied")
    assert need.status == Status.AWAITING_ARCHIVE


# --- The data migration -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_each_users_role_to_their_membership(reference_data):
    before = [
        ("accounts", "0003_second_factor_and_password_age"),
        ("stations", "0002_domain_and_site_kinds"),
    ]
    station = StationFactory()
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    old_user, old_member = (
        old.get_model("accounts", "User"),
        old.get_model("stations", "StationMember"),
    )
    roles = {"c1": "chief", "c2": "chief", "d": "deputy_chief", "r": "resident_staff"}
    for name, role in roles.items():
        user = old_user.objects.create(username=name, full_name=name, role=role)
        old_member.objects.create(station_id=station.pk, user=user, is_active=True)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    posts = dict(StationMember.objects.values_list("user__username", "role"))
    # Two active chiefs could only come from the old admin: the later one becomes a deputy.
    assert posts == {
        "c1": "chief",
        "c2": "deputy_chief",
        "d": "deputy_chief",
        "r": "resident_staff",
    }
    assert set(User.objects.filter(username__in=roles).values_list("role", flat=True)) == {
        "station_staff"
    }
