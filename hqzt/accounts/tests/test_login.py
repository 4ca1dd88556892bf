import pytest
from django.urls import reverse

from hqzt.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "惠企直通服务站工作系统" in response.text
    assert "用户名" in response.text and "密码" in response.text


def test_login_with_right_password_lands_on_home(client, staff_a):
    response = client.post(
        reverse("accounts:login"), {"username": "staff_a", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard:home")
    assert "驻站工作人员工作台" in response.text


def test_login_with_wrong_password_is_refused_in_chinese(client, staff_a):
    response = client.post(
        reverse("accounts:login"), {"username": "staff_a", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码" in response.text
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_log_in(client, staff_a):
    staff_a.is_active = False
    staff_a.save()
    response = client.post(reverse("accounts:login"), {"username": "staff_a", "password": PASSWORD})
    assert response.status_code == 200  # the login form again
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_ends_the_session(client_for, staff_a):
    client = client_for(staff_a)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert client.get(reverse("dashboard:home")).status_code == 302


def test_pages_require_login(client, station_a):
    for url in [
        reverse("dashboard:home"),
        reverse("stations:list"),
        reverse("stations:detail", args=[station_a.pk]),
        reverse("enterprises:list"),
        reverse("enterprises:chain_list"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_password_change_checks_strength_in_chinese(client_for, staff_a):
    client = client_for(staff_a)
    url = reverse("accounts:password_change")
    response = client.post(
        url, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 200
    assert "密码" in response.text and "常见" in response.text
    staff_a.refresh_from_db()
    assert staff_a.check_password(PASSWORD)

    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Jincheng-Station-2025",
            "new_password2": "Jincheng-Station-2025",
        },
    )
    assert response.status_code == 302
    staff_a.refresh_from_db()
    assert staff_a.check_password("Jincheng-Station-2025")


def test_admin_role_alone_reaches_the_django_admin(client_for, admin_user, supervisor):
    assert client_for(admin_user).get("/admin/").status_code == 200
    client = client_for(supervisor)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_admin_is_in_chinese(client_for, admin_user):
    response = client_for(admin_user).get("/admin/")
    assert ">惠企直通</a>" in response.text and ">系统管理</a>" in response.text  # brand, site
    assert "需求类型" in response.text and "经办科室与其他部门" in response.text
