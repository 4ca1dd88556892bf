"""Account security: lock-out, login audit, session time-outs, initial passwords, headers."""

import datetime
import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hqzt.accounts.middleware import LOGIN_AT, SEEN_AT
from hqzt.accounts.tests.factories import PASSWORD
from hqzt.audit.models import AuditEvent
from hqzt.core.tests.test_settings import _run

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_lock_out_after_repeated_failures_and_every_attempt_is_recorded(client, staff_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "staff_a", "wrong-password")
    locked = _login(client, "staff_a", PASSWORD)
    assert locked.status_code == 429 and "账号已暂时锁定" in locked.text
    assert "_auth_user_id" not in client.session
    failures = AuditEvent.objects.filter(action="login_failed", object_id="staff_a")
    assert failures.count() >= settings.AXES_FAILURE_LIMIT
    assert failures.first().ip == "127.0.0.1"


def test_successful_login_is_recorded_with_a_new_session_id(client, staff_a):
    client.get(reverse("accounts:login"))
    before = client.cookies.get("sessionid")
    _login(client, "staff_a", PASSWORD)
    assert AuditEvent.objects.filter(action="login", actor=staff_a).exists()
    assert client.cookies["sessionid"].value != (before.value if before else None)


def test_absolute_session_timeout(client_for, staff_a, settings):
    client = client_for(staff_a)
    assert client.get(reverse("dashboard:home")).status_code == 200
    session = client.session
    session[LOGIN_AT] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def _session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_idle_timeout_moves_on_at_most_once_a_refresh_interval(client_for, staff_a, settings):
    assert settings.SESSION_COOKIE_AGE <= 30 * 60 and settings.SESSION_REFRESH_SECONDS <= 60
    client = client_for(staff_a)
    client.get(reverse("dashboard:home"))
    expires = _session_row(client).expire_date
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("needs:ledger")).status_code == 200
    writes = [
        q["sql"] for q in queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]
    ]
    assert writes == [], "a page within the refresh interval must not write the session"
    session = client.session
    session[SEEN_AT] = int(time.time()) - settings.SESSION_REFRESH_SECONDS
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=expires)
    client.get(reverse("needs:ledger"))
    assert _session_row(client).expire_date > expires


def test_idle_session_ends_after_its_cookie_age(client_for, staff_a):
    client = client_for(staff_a)
    client.get(reverse("dashboard:home"))
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(reverse("needs:ledger"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_disabling_an_account_ends_its_sessions(client_for, staff_a):
    client = client_for(staff_a)
    staff_a.is_active = False
    staff_a.save()
    assert client.get(reverse("dashboard:home")).status_code == 302


def test_initial_password_must_be_changed(client_for, staff_a):
    staff_a.must_change_password = True
    staff_a.save()
    client = client_for(staff_a)
    response = client.get(reverse("needs:ledger"))
    assert response.url == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Taihang-Station-77",
            "new_password2": "Taihang-Station-77",
        },
    )
    assert response.status_code == 302 and response.url == reverse("dashboard:home")
    staff_a.refresh_from_db()
    assert not staff_a.must_change_password
    assert client.get(reverse("needs:ledger")).status_code == 200


def test_admin_set_passwords_are_initial(client_for, admin_user, staff_a):
    client = client_for(admin_user)
    url = reverse("admin:auth_user_password_change", args=[staff_a.pk])
    response = client.post(
        url, {"password1": "Jincheng-Initial-11", "password2": "Jincheng-Initial-11"}
    )
    assert response.status_code == 302
    staff_a.refresh_from_db()
    assert staff_a.must_change_password


def test_passwords_longer_than_64_are_refused(client_for, staff_a):
    long = "Jc-" + "x" * 70
    response = client_for(staff_a).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": long, "new_password2": long},
    )
    assert "不能超过 64 个字符" in response.text


def test_security_headers(client, client_for, staff_a):
    public = client.get(reverse("portal:home"))
    assert "script-src 'self'" in public["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in public["Content-Security-Policy"]
    assert public["X-Content-Type-Options"] == "nosniff"
    assert public["Referrer-Policy"] == "same-origin"
    assert "no-store" not in public.get("Cache-Control", "")
    private = client_for(staff_a).get(reverse("needs:ledger"))
    assert private["Cache-Control"] == "no-store"


def test_no_template_uses_inline_script():
    import re
    from pathlib import Path

    from django.conf import settings

    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handlers = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    offenders = [
        str(p)
        for p in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if inline.search(p.read_text()) or handlers.search(p.read_text())
    ]
    assert offenders == []


def test_settings_refuse_a_refresh_as_long_as_the_idle_time_out():
    """Probe P3-X1: such a refresh would log out users who are still working."""
    env = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "a", "SESSION_COOKIE_AGE": "60"}
    refused = _run({**env, "SESSION_REFRESH_SECONDS": "60"})
    assert refused.returncode != 0 and "SESSION_REFRESH_SECONDS" in refused.stderr
    assert _run({**env, "SESSION_REFRESH_SECONDS": "30"}).returncode == 0
