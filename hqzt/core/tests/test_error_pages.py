"""With DEBUG off (the test settings are production's), errors show generic Chinese pages that
reveal nothing about the code or the settings."""

import pytest
from django.test import Client
from django.urls import include, path


def _boom(request):
    raise RuntimeError("secret detail: /work/main/hqzt/settings.py")


urlpatterns = [path("boom/", _boom), path("", include("hqzt.urls"))]

pytestmark = pytest.mark.django_db


@pytest.mark.urls(__name__)
def test_a_server_error_shows_a_generic_page():
    response = Client(raise_request_exception=False).get("/boom/")
    text = response.content.decode()
    assert response.status_code == 500
    assert "secret detail" not in text and "Traceback" not in text and "settings.py" not in text
    assert "系统" in text or "错误" in text


def test_an_unknown_page_shows_the_chinese_404(client):
    response = client.get("/no-such-page/")
    text = response.content.decode()
    assert response.status_code == 404 and "页面" in text and "Traceback" not in text
