"""Links that leave the site (SMS, QR codes on posters and signs) use its real address (issue 12
flow defect 8): production must name it, the DEBUG demo follows the host and port the browser used,
and the admin is warned while posters would carry a local address."""

import pytest
from django.urls import reverse

from hqzt.core import site
from hqzt.core.tests.test_settings import _run
from hqzt.needs.states import Status
from hqzt.notifications.models import OutboundMessage
from hqzt.portal.tests.test_portal import _qr_in_pdf

pytestmark = pytest.mark.django_db


def test_production_refuses_to_start_without_the_base_url():
    result = _run({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "a", "HQZT_BASE_URL": ""})
    assert result.returncode != 0
    assert "HQZT_BASE_URL is not set" in result.stderr


def test_production_refuses_a_malformed_base_url():
    result = _run({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "a", "HQZT_BASE_URL": "hqzt.gov.cn"})
    assert result.returncode != 0
    assert "HQZT_BASE_URL must be an http(s) address" in result.stderr


def test_demo_starts_without_it():
    result = _run({"SECRET_KEY": "x" * 50, "DEBUG": "1", "HQZT_BASE_URL": ""})
    assert result.returncode == 0, result.stderr


def test_configured_address_wins(settings):
    settings.HQZT_BASE_URL = "https://hqzt.example.gov.cn"
    assert site.absolute("/portal/track/") == "https://hqzt.example.gov.cn/portal/track/"
    assert not site.is_local()


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://localhost:8080", True),
        ("http://[::1]:8000", True),
        ("http://0.0.0.0:8000", True),
        ("http://192.168.1.20:8000", False),  # an intranet address phones on the LAN can reach
        ("https://hqzt.jincheng.gov.cn", False),
    ],
)
def test_local_addresses_are_recognised(url, local):
    assert site.is_local(url) is local


def test_demo_links_follow_the_request_host_and_port(client, settings, station_a, drive, staff_a):
    settings.HQZT_BASE_URL = ""
    poster = client.get(reverse("portal:poster", args=[station_a.pk]), HTTP_HOST="127.0.0.1:8123")
    assert _qr_in_pdf(poster.content) == [
        f"http://127.0.0.1:8123/portal/stations/{station_a.pk}/submit/"
    ]
    need = drive(Status.IN_PROGRESS)
    client.force_login(need.responsible_person)
    response = client.post(
        reverse("needs:act", args=[need.pk, "complete"]),
        {"complete-outcome": "met", "complete-result": "已办结"},
        HTTP_HOST="localhost:9000",
    )
    assert response.status_code == 302
    assert response.url == reverse("needs:detail", args=[need.pk])
    sms = OutboundMessage.objects.filter(body__contains="/e/").latest("id").body
    assert "http://localhost:9000/portal/track/" in sms and "http://localhost:9000/e/" in sms


def test_outside_a_request_the_demo_uses_its_port(settings, monkeypatch):
    settings.HQZT_BASE_URL = ""
    monkeypatch.setenv("PORT", "8765")
    assert site.base_url() == "http://127.0.0.1:8765"


def test_admin_is_warned_while_posters_carry_a_local_address(client_for, admin_user, settings):
    settings.HQZT_BASE_URL = "http://127.0.0.1:8000"
    client = client_for(admin_user)
    for url in (reverse("dashboard:home"), reverse("admin:index")):
        page = client.get(url).text
        assert 'data-testid="base-url-warning"' in page, url
        assert "http://127.0.0.1:8000" in page and "HQZT_BASE_URL" in page
    settings.HQZT_BASE_URL = "https://hqzt.jincheng.gov.cn"
    for url in (reverse("dashboard:home"), reverse("admin:index")):
        assert 'data-testid="base-url-warning"' not in client.get(url).text
