"""Errors show generic Chinese pages that reveal nothing about the code or the settings: with
DEBUG off (the test settings are production's) and with DEBUG on (the demo) alike; Django's debug
pages only when a developer asks for them."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.test import Client, override_settings
from django.urls import include, path


def _boom(request):
    raise RuntimeError("secret detail: /work/main/hqzt/settings.py")


def _refused(request):
    raise PermissionDenied


def _hidden(request):
    raise Http404("need 7 is not in this user's scope")


def _suspicious(request):
    raise SuspiciousOperation("secret detail: tampered header")


urlpatterns = [
    path("boom/", _boom),
    path("refused/", _refused),
    path("hidden/", _hidden),
    path("suspicious/", _suspicious),
    path("", include("hqzt.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def _server_error_page() -> str:
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    return response.content.decode()


def test_a_server_error_shows_a_generic_page():
    text = _server_error_page()
    assert "secret detail" not in text and "Traceback" not in text and "settings.py" not in text
    assert "系统暂时出现问题" in text


def test_an_unknown_page_shows_the_chinese_404(client):
    response = client.get("/no-such-page/")
    text = response.content.decode()
    assert response.status_code == 404 and "页面不存在" in text and "Traceback" not in text


@override_settings(DEBUG=True)
def test_demo_shows_the_chinese_404_not_the_url_list():
    response = Client().get("/no-such-page/")
    text = response.content.decode()
    assert response.status_code == 404 and "页面不存在" in text
    assert "URLconf" not in text


@override_settings(DEBUG=True)
def test_demo_shows_the_chinese_500_not_the_traceback(caplog):
    text = _server_error_page()
    assert "secret detail" not in text and "Traceback" not in text
    assert "系统暂时出现问题" in text
    assert any("secret detail" in str(r.exc_info) for r in caplog.records if r.exc_info)


@override_settings(DEBUG=True, DEBUG_PAGES=True)
def test_developers_can_ask_for_the_debug_pages():
    assert "Using the URLconf" in Client().get("/no-such-page/").content.decode()


# What each error page says, whatever DEBUG says (the demo runs with DEBUG on).
ERROR_PAGES = [
    ("/refused/", 403, "无权访问"),
    ("/hidden/", 404, "页面不存在"),
    ("/no-such-page/", 404, "页面不存在"),
    ("/suspicious/", 400, "请求有误"),
    ("/boom/", 500, "系统暂时出现问题"),
]


@pytest.mark.parametrize("debug", [False, True], ids=["production", "demo"])
@pytest.mark.parametrize(("url", "status", "title"), ERROR_PAGES)
def test_every_error_page_is_chinese_and_reveals_nothing(settings, url, status, title, debug):
    settings.DEBUG = debug
    response = Client(raise_request_exception=False).get(url)
    text = response.content.decode()
    assert response.status_code == status
    assert title in text
    for leak in ("secret detail", "Traceback", "URLconf", "scope", "Django", "DEBUG"):
        assert leak not in text, leak
    assert '<html lang="zh-CN"' in text


def test_a_refused_page_of_a_logged_in_user_is_the_chinese_404_in_the_demo(
    settings, client_for, staff_b, drive
):
    from hqzt.needs.states import Status

    settings.DEBUG = True
    need = drive(Status.REGISTERED)  # station A's; staff_b works at station B
    response = client_for(staff_b).get(f"/needs/{need.pk}/")
    text = response.content.decode()
    assert response.status_code == 404 and "页面不存在" in text
    assert "URLconf" not in text and "Django" not in text
