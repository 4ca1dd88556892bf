"""The portal's submit form suggests the need type as the enterprise types (HTMX), selects it
while nobody has chosen one, and never overrides the person's own choice."""

import pytest

from hqzt.stations.tests.factories import StationFactory
from tests.browser.conftest import PHONE, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_portal_suggests_the_type_while_typing(live_server, new_page):
    from hqzt.org.models import OrgUnit

    station = StationFactory(name="类型建议测试站", superior_unit=OrgUnit.objects.first())
    page = new_page(PHONE)
    page.goto(f"{live_server.url}/portal/stations/{station.pk}/submit/")
    select = page.get_by_label("需求类型")
    page.get_by_label("需求内容").press_sequentially("加油机检订到期了，想请人上门")
    hint = page.get_by_test_id("type-suggestion")
    hint.wait_for()
    assert "建议类型：计量" in hint.inner_text()
    assert select.locator("option:checked").inner_text() == "计量"
    screenshot(page, "portal-type-suggestion")

    # The person's own choice stays, whatever the text says next.
    select.select_option(label="其他")
    page.get_by_label("需求内容").fill("锅炉安全阀校验")
    page.wait_for_function(
        "document.querySelector('[data-testid=type-suggestion]').innerText.includes('特种设备检验')"
    )
    assert select.locator("option:checked").inner_text() == "其他"
    # A click on a suggested type selects it.
    page.get_by_test_id("type-suggestion").get_by_role("button", name="特种设备检验").click()
    assert select.locator("option:checked").inner_text() == "特种设备检验"
