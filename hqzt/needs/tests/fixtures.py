"""Helpers that drive a need through the workflow with the shared personas."""

import pytest

from hqzt.needs.models import Channel, NeedType, Scope, Source
from hqzt.needs.services.archive import need_archive
from hqzt.needs.services.evaluation import need_evaluate
from hqzt.needs.services.handling import need_complete
from hqzt.needs.services.identification import (
    need_accept_task,
    need_dispatch,
    need_identify,
    need_liaise,
)
from hqzt.needs.services.registration import (
    NeedItem,
    need_register,
    need_reject_intake,
    need_submit,
)
from hqzt.needs.states import Status
from hqzt.org.models import Section


@pytest.fixture
def metrology():
    return NeedType.objects.get(code="metrology")


@pytest.fixture
def metrology_section():
    return Section.objects.get(name="计量科")


@pytest.fixture
def tax_department():
    return Section.objects.get(name="市税务局")


@pytest.fixture
def register(staff_a, station_a, enterprise_a, metrology):
    """register(n=1) → the needs of one new sheet, registered by staff_a."""

    def make(n: int = 1, actor=None):
        sheet = need_register(
            actor=actor or staff_a,
            station=station_a,
            enterprise=enterprise_a,
            contact_name="王经理",
            contact_phone="13812345678",
            source=Source.INBOUND,
            channel=Channel.objects.get(code="phone"),
            items=[
                NeedItem(need_type=metrology, content=f"电子秤检定第{i}项") for i in range(1, n + 1)
            ],
        )
        return list(sheet.needs.order_by("row_number"))

    return make


@pytest.fixture
def drive(
    register,
    staff_a,
    chief_a,
    handler,
    metrology_section,
    tax_department,
    metrology,
    station_a,
    enterprise_a,
):
    """drive(state) → a need of station A brought to `state` along the usual path."""

    def to(state: Status, *, path: str = "section"):
        if state in (Status.PENDING_ACCEPTANCE, Status.REJECTED):
            need = need_submit(
                station=station_a,
                enterprise=enterprise_a,
                contact_name="王经理",
                contact_phone="13812345678",
                channel=Channel.objects.get(code="portal"),
                items=[NeedItem(need_type=metrology, content="企业在线提交")],
            ).needs.get()
            if state == Status.REJECTED:
                need = need_reject_intake(need=need, actor=staff_a, reason="重复")
            return need
        need = register()[0]
        if state == Status.REGISTERED:
            return need
        if path == "simple":
            need = need_identify(
                need=need, actor=staff_a, scope=Scope.MARKET_REGULATION, complexity="simple"
            )
        elif path == "other":
            need = need_identify(need=need, actor=staff_a, scope=Scope.OTHER_DEPARTMENT)
        else:
            need = need_identify(
                need=need, actor=staff_a, scope=Scope.MARKET_REGULATION, complexity="coordinated"
            )
        if state in (Status.FIRST_CONTACT_HANDLING, Status.AWAITING_DISPATCH):
            return need
        if path == "other":
            need = need_liaise(
                need=need,
                actor=chief_a,
                department=tax_department,
                department_contact="李科长 0356-2220000",
                assistance="陪同企业到税务局窗口办理",
            )
        elif path == "section":
            need = need_dispatch(
                need=need,
                actor=chief_a,
                handling_mode="independent",
                lead_section=metrology_section,
            )
            if state == Status.DISPATCHED:
                return need
            need = need_accept_task(need=need, actor=handler)
        if state in (Status.IN_PROGRESS, Status.LIAISING):
            return need
        finisher = {"section": handler, "simple": staff_a, "other": chief_a}[path]
        need = need_complete(
            need=need, actor=finisher, outcome="met", result="已完成检定并出具证书"
        )
        if state == Status.AWAITING_EVALUATION:
            return need
        if state == Status.AWAITING_VERIFICATION:
            return need_evaluate(
                need=need, actor=staff_a, level="dissatisfied", comments="证书出具太慢"
            )
        need = need_evaluate(need=need, actor=staff_a, level="satisfied")
        if state == Status.AWAITING_ARCHIVE:
            return need
        return need_archive(need=need, actor=staff_a)

    return to
