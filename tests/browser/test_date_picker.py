"""Date fields with Chinese labels (issue 15 item 4) in a browser whose language is English: the
ledger's 登记日期从 filter and the 督办 form's 回复期限 open the vendored flatpickr calendar with
Chinese month and weekday names; a picked day is sent as yyyy-mm-dd and applied."""

import datetime
import re

import pytest
from django.core.management import call_command

from hqzt.accounts.models import User
from hqzt.core import clock
from hqzt.needs.models import Channel, NeedType, Source
from hqzt.needs.services.registration import NeedItem, need_register
from hqzt.supervision.models import SupervisionOrder
from tests.browser.conftest import DEMO_PASSWORD, DESKTOP, PHONE, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]
ENGLISH_MONTHS = ("January", "February", "March", "December", "Jan", "Dec")
ENGLISH_DAYS = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")


def _english_browser_login(browser, base: str, username: str, viewport):
    """A window of an en-US browser (headless Chromium's own mm/dd/yyyy date fields) signed in."""
    context = browser.new_context(viewport=viewport, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/home/")
    return page


def _register_on(day: datetime.date, content: str):
    staff = User.objects.get(username="staff1")
    station = staff.station_memberships.get().station
    moment = datetime.datetime.combine(day, datetime.time(10), clock.now().tzinfo)
    with clock.travel(moment):
        sheet = need_register(
            actor=staff,
            station=station,
            enterprise=station.enterprises.order_by("pk").first(),
            contact_name="周经理",
            contact_phone="13903561234",
            source=Source.INBOUND,
            channel=Channel.objects.get(code="phone"),
            items=[NeedItem(need_type=NeedType.objects.get(code="metrology"), content=content)],
        )
    return sheet.needs.get()


def _open_calendar(page, field):
    field.click()
    calendar = page.locator(".flatpickr-calendar.open")
    calendar.wait_for()
    weekdays = calendar.locator(".flatpickr-weekday").all_inner_texts()
    assert [w.strip() for w in weekdays][:2] == ["周一", "周二"], weekdays  # Monday first
    month = calendar.locator(".flatpickr-monthDropdown-months").evaluate(
        "select => select.options[select.selectedIndex].text"
    )
    assert re.fullmatch(r"[一二三四五六七八九十]+月", month), month
    text = calendar.inner_text()
    assert not any(re.search(rf"\b{w}\b", text) for w in ENGLISH_MONTHS + ENGLISH_DAYS), text
    return calendar


def _pick(calendar, day: datetime.date) -> None:
    """Click `day`, moving to its month with the calendar's own arrows."""
    shown = calendar.locator(".flatpickr-monthDropdown-months")
    for _ in range(24):
        month = int(shown.input_value()) + 1
        year = int(calendar.locator("input.cur-year").input_value())
        if (year, month) == (day.year, day.month):
            break
        forward = (year, month) < (day.year, day.month)
        calendar.locator(".flatpickr-next-month" if forward else ".flatpickr-prev-month").click()
    calendar.locator(
        f'.flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)[aria-label="{day.year}年{day.month}月{day.day}日"]'
    ).click()


def test_dates_are_picked_on_a_chinese_calendar(settings, tmp_path, live_server, browser):
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", password=DEMO_PASSWORD, without_needs=True)
    today = clock.today()
    first = today.replace(day=1)
    older = _register_on(first - datetime.timedelta(days=20), "上月登记：电子秤检定")
    newer = _register_on(today, "本月登记：压力表检定")
    base = live_server.url

    # The ledger's 登记日期从 on a PC: the 1st of this month leaves last month's need out.
    page = _english_browser_login(browser, base, "staff1", DESKTOP)
    page.goto(f"{base}/needs/")
    field = page.get_by_label("登记日期从", exact=True)
    assert field.get_attribute("type") == "text"  # the calendar took over the native field
    calendar = _open_calendar(page, field)
    screenshot(page, "date-picker-ledger-1366-en")
    _pick(calendar, first)
    assert field.input_value() == first.isoformat()
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(rf"date_from={first.isoformat()}"))
    numbers = page.get_by_test_id("ledger").inner_text()
    assert newer.sheet.tracking_number in numbers
    assert older.sheet.tracking_number not in numbers
    assert page.get_by_label("登记日期从", exact=True).input_value() == first.isoformat()
    page.context.close()

    # The 督办 form's 回复期限 on a phone: the 15th of next month, as the order's deadline.
    page = _english_browser_login(browser, base, "supervisor", PHONE)
    page.goto(f"{base}/supervision/orders/new/")
    page.get_by_label("服务站").select_option(index=1)
    page.get_by_label("督办事项及要求").fill("请说明本月超期需求的原因")
    calendar = _open_calendar(page, page.get_by_label("回复期限"))
    due = (first + datetime.timedelta(days=40)).replace(day=15)
    _pick(calendar, due)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "date-picker-order-390-en")
    page.get_by_role("button", name="下达督办").click()
    page.wait_for_url(re.compile(r"/supervision/orders/\d+/$"))
    assert SupervisionOrder.objects.get().due_on == due
    page.context.close()
