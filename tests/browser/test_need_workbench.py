"""The need page as a workbench at 1366×768 and 390×844: the next action is a primary button
(on a phone in a bar at the bottom, reachable without scrolling), its form opens in a dialog,
a refused submission re-opens the dialog with the error and saves nothing, and 回退 sits red in
the 更多操作 menu."""

import pytest
from django.core.management import call_command

from hqzt.accounts.models import User
from hqzt.needs.models import Channel, Need, NeedType, Scope, Source
from hqzt.needs.services.identification import need_identify
from hqzt.needs.services.registration import NeedItem, need_register
from tests.browser.conftest import DEMO_PASSWORD, DESKTOP, PHONE, login, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def _need_awaiting_dispatch() -> Need:
    staff = User.objects.get(username="staff1")
    station = staff.station_memberships.get().station
    sheet = need_register(
        actor=staff,
        station=station,
        enterprise=station.enterprises.order_by("pk").first(),
        contact_name="周经理",
        contact_phone="13903561234",
        source=Source.INBOUND,
        channel=Channel.objects.get(code="phone"),
        items=[
            NeedItem(need_type=NeedType.objects.get(code="metrology"), content="压力表周期检定")
        ],
    )
    return need_identify(
        need=sheet.needs.get(),
        actor=staff,
        scope=Scope.MARKET_REGULATION,
        complexity="coordinated",
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_primary_action_through_its_dialog(settings, tmp_path, live_server, new_page, viewport):
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", password=DEMO_PASSWORD, without_needs=True)
    need = _need_awaiting_dispatch()
    base, size = live_server.url, viewport["width"]
    url = f"{base}/needs/{need.pk}/"

    chief = login(new_page, base, "chief1", viewport)
    chief.goto(url)
    primary = chief.get_by_test_id("open-dispatch")
    box = primary.bounding_box()
    # Reachable without scrolling, a touch target on a phone.
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]
    assert box["height"] >= (44 if viewport is PHONE else 30)
    assert "btn-primary" in primary.get_attribute("class")
    assert chief.evaluate("document.documentElement.scrollWidth") <= size
    screenshot(chief, f"workbench-chief1-{size}")

    # Submitted without a lead section: the dialog comes back with the error, nothing saved.
    primary.click()
    dialog = chief.get_by_test_id("panel-dispatch")
    dialog.wait_for(state="visible")
    dialog.get_by_label("牵头科室").select_option(value="")
    dialog.get_by_role("button", name="分发任务", exact=True).click()
    dialog.locator(".errorlist[data-field=lead_section]").wait_for()
    assert dialog.is_visible() and "分发任务未完成" in dialog.inner_text()
    screenshot(chief, f"workbench-chief1-error-{size}")
    need.refresh_from_db()
    assert need.status == "awaiting_dispatch" and need.lead_section is None

    dialog.get_by_label("牵头科室").select_option(label="计量科")
    dialog.get_by_role("button", name="分发任务", exact=True).click()
    chief.wait_for_load_state()
    assert chief.get_by_test_id("need-status").inner_text() == "待科室签收"
    assert not chief.get_by_test_id("panel-dispatch").is_visible()

    # The section: 签收 is the primary action, 回退 a red entry of 更多操作.
    handler = login(new_page, base, "handler1", viewport)
    handler.goto(url)
    assert handler.get_by_test_id("open-accept_task").is_visible()
    assert not handler.get_by_test_id("open-return_task").is_visible()
    handler.get_by_test_id("more-actions").click()
    back = handler.get_by_test_id("open-return_task")
    back.wait_for()
    assert "text-danger" in back.get_attribute("class")
    screenshot(handler, f"workbench-handler1-menu-{size}")
