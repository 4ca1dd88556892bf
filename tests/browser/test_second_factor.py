"""In the 等保 profile a supervisor must enrol a second factor before using the system, then logs in
with password and code. The QR code must show under the CSP (no inline script, data: image)."""

import datetime
import io

import pyotp
import pytest
import zxingcpp
from django.core.management import call_command
from PIL import Image

from tests.browser.conftest import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

PASSWORD = "Browser-Demo-2025"


def _password_step(page, base):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "supervisor")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_supervisor_enrols_then_logs_in_with_a_code(settings, tmp_path, live_server, new_page):
    settings.DATA_DIR = tmp_path
    settings.SECURITY_PROFILE = "dengbao"
    call_command("seed_demo", password=PASSWORD, without_needs=True)
    page = new_page()
    _password_step(page, live_server.url)

    page.wait_for_url(f"{live_server.url}/accounts/two-factor/enrol/")
    qr = page.get_by_test_id("otp-qr")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # the CSP let it show
    screenshot(page, "otp-enrol")
    page.goto(f"{live_server.url}/needs/")  # nothing else until enrolled
    assert page.url.endswith("/accounts/two-factor/enrol/")

    secret = page.get_by_test_id("otp-secret").inner_text().replace(" ", "")
    (scanned,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert scanned.text.startswith("otpauth://totp/") and f"secret={secret}" in scanned.text
    totp = pyotp.TOTP(secret)
    page.get_by_label("验证码").fill(totp.now())
    page.get_by_role("button", name="确认启用").click()
    assert len(page.get_by_test_id("recovery-codes").locator("li").all()) == 10
    page.get_by_role("link", name="我已保存，进入系统").click()
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="退出登录").click()

    _password_step(page, live_server.url)
    page.wait_for_url(f"{live_server.url}/accounts/login/verify/")
    page.get_by_label("验证码或恢复码").fill("000000")
    page.get_by_role("button", name="验证并登录").click()
    assert "验证码错误" in page.content()
    # The enrolment used this step's code; the next step's is accepted within the drift window.
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=30)
    page.get_by_label("验证码或恢复码").fill(totp.at(later))
    page.get_by_role("button", name="验证并登录").click()
    page.get_by_test_id("user-menu").wait_for()
    assert "/accounts/" not in page.url
