"""The load balancer's probes: /healthz answers without the database, /readyz checks the database,
the cache and the queue and names what failed — to anybody, by any host name, over plain HTTP,
however often, without a session, an audit record or a secret in the answer."""

import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import reverse

from hqzt.audit.models import AuditEvent
from hqzt.core import health


def _json(response) -> dict:
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    return response.json()


def test_the_probes_have_the_balancer_addresses():
    assert reverse("healthz") == "/healthz" and reverse("readyz") == "/readyz"


def test_healthz_answers_without_the_database(client):
    # No django_db mark: any query would fail this test.
    response = client.get("/healthz")
    assert response.status_code == 200 and _json(response) == {"status": "ok"}
    assert not response.cookies


@pytest.mark.django_db
def test_readyz_ok_checks_every_component(client, django_assert_max_num_queries):
    # SELECT 1 and the database cache's write (count, look-up, update) and read, in transactions.
    with django_assert_max_num_queries(10):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert _json(response) == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "queue": "ok"},
    }
    assert not AuditEvent.objects.exists() and not response.cookies


def _boom(*args, **kwargs):
    raise OperationalError("could not connect to server at db.internal password=hunter2")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "component,target,message",
    [
        ("database", "_database", "数据库不可用"),
        ("cache", "_cache", "缓存不可用"),
        ("queue", "_queue", "后台任务队列不可用"),
    ],
)
def test_readyz_names_the_failed_component(client, monkeypatch, component, target, message):
    monkeypatch.setitem(health.CHECKS, component, _boom)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = _json(response)
    assert body["status"] == "error" and body["failed"] == [component]
    assert body["checks"][component] == "error"
    assert all(v == "ok" for k, v in body["checks"].items() if k != component)
    assert body["message"] == message
    assert b"hunter2" not in response.content and b"db.internal" not in response.content


@pytest.mark.django_db
def test_readyz_fails_when_the_real_components_fail(client, monkeypatch):
    """The checks themselves notice: a cursor that cannot connect, a cache that refuses writes, a
    queue whose storage is gone."""
    from django.core.cache import cache
    from django.db import connection

    monkeypatch.setattr(connection, "cursor", _boom)
    monkeypatch.setattr(cache, "set", _boom)
    monkeypatch.setattr(health.HUEY, "pending_count", _boom)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = _json(response)
    assert body["failed"] == ["database", "cache", "queue"]
    assert body["message"] == "数据库不可用；缓存不可用；后台任务队列不可用"


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["hqzt.example.gov.cn"])
def test_probes_answer_a_backend_address_over_plain_http():
    """A balancer probes http://10.0.0.5:8000/readyz: no HTTPS redirect, no 400 for the host."""
    client = Client(HTTP_HOST="10.0.0.5:8000")
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/accounts/login/").status_code in (301, 400)  # other pages still guarded


@pytest.mark.django_db
def test_probes_are_never_rate_limited_or_cached(client):
    for _ in range(50):
        assert client.get("/readyz").status_code == 200
        assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_refuse_other_methods(client, path):
    assert client.post(path).status_code == 405
    assert client.head(path).status_code == 200
