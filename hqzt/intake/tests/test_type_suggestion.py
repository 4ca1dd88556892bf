"""The type suggested while a need is typed (HTMX) on the staff registration form and the
portal's submit form."""

import pytest
from django.urls import reverse

from hqzt.needs.models import NeedType

pytestmark = pytest.mark.django_db


def test_fragment_suggests_the_type_with_its_words_and_the_next_two(client) -> None:
    response = client.get(reverse("portal:suggest_type"), {"items-0-content": "压力表要送检定"})
    assert response.status_code == 200
    html = response.text
    metrology = NeedType.objects.get(name="计量")
    assert f'data-suggest-type="{metrology.pk}"' in html
    assert "建议类型：" in html and ">计量</button>" in html
    assert "依据：压力表" in html
    assert html.count("data-pick-type") == 3


def test_portal_field_name_works_and_short_text_says_nothing(client) -> None:
    url = reverse("portal:suggest_type")
    assert "知识产权" in client.get(url, {"content": "我们的注册商标被人仿冒了"}).text
    assert client.get(url, {"content": "你好"}).text.strip() == ""
    assert client.get(url).text.strip() == ""


def test_only_get_is_allowed(client) -> None:
    assert client.post(reverse("portal:suggest_type"), {"content": "压力表送检"}).status_code == 405


def test_registration_form_asks_as_the_user_types(client_for, staff_a) -> None:
    page = client_for(staff_a).get(reverse("needs:register")).text
    assert f'hx-get="{reverse("portal:suggest_type")}"' in page
    assert 'class="type-suggestion' in page and "data-type-scope" in page
    assert "js/type-suggest.js" in page


def test_portal_submit_form_asks_as_the_user_types(client, station_a) -> None:
    page = client.get(reverse("portal:submit", args=[station_a.pk])).text
    assert f'hx-get="{reverse("portal:suggest_type")}"' in page
    assert "vendor/htmx/htmx.min.js" in page and "js/type-suggest.js" in page
