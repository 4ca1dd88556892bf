"""The Chinese error pages show with DEBUG on too (the demo); Django's debug pages only when a
developer asks for them."""

import pytest
from django.test import Client, override_settings
from django.urls import include, path


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _boom), path("", include("hqzt.urls"))]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@override_settings(DEBUG=True)
def test_demo_shows_the_chinese_404_not_the_url_list():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "页面不存在" in text
    assert "URLconf" not in text and "Using the URLconf" not in text


@override_settings(DEBUG=True)
def test_demo_shows_the_chinese_500_not_the_traceback(caplog):
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "Traceback" not in text and "a bug" not in text
    assert "系统暂时出现问题" in text
    assert any("a bug" in str(r.exc_info) for r in caplog.records if r.exc_info)  # still logged


@override_settings(DEBUG=True, DEBUG_PAGES=True)
def test_developers_can_ask_for_the_debug_pages():
    assert "Using the URLconf" in Client().get("/no-such-page/").content.decode()
