"""Accounts: login in Chinese, lockout, session expiry, styled error pages."""

import datetime as dt

import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse


def post_login(client, password, username="leader"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_chinese(client, org):
    html = client.get(reverse("login")).content.decode()
    assert "登录" in html and "用户名" in html and "密码" in html


def test_right_password_logs_in(client, org):
    response = post_login(client, "tuijin2026")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "随州高新区" in client.get("/").content.decode()


def test_wrong_password_gets_a_chinese_message_and_keeps_the_username(client, org):
    response = post_login(client, "wrong")
    html = response.content.decode()
    assert response.status_code == 200
    assert "用户名或密码不正确" in html
    assert 'value="leader"' in html


def test_repeated_failures_lock_the_account(client, org):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert post_login(client, "wrong").status_code == 200
    locked = post_login(client, "wrong")
    assert locked.status_code == 429
    assert "已暂时锁定" in locked.content.decode()
    # Even the right password is refused while locked.
    assert post_login(client, "tuijin2026").status_code == 429


def test_lockout_does_not_affect_other_users(client, org):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "wrong")
    assert post_login(Client(), "tuijin2026", username="duban").status_code == 302


def test_session_expires_after_inactivity(client, org):
    with time_machine.travel(dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC), tick=False) as t:
        post_login(client, "tuijin2026")
        assert client.get("/").status_code == 200
        t.shift(dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60))
        response = client.get("/")
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert "请先登录" in follow.content.decode()


def test_password_change(leader):
    response = leader.post(
        reverse("password_change"),
        {
            "old_password": "tuijin2026",
            "new_password1": "Xq7!gh2#pw",
            "new_password2": "Xq7!gh2#pw",
        },
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(username="leader").check_password("Xq7!gh2#pw")


def test_password_change_errors_name_the_field(leader):
    response = leader.post(
        reverse("password_change"),
        {"old_password": "bad", "new_password1": "a", "new_password2": "b"},
    )
    html = response.content.decode()
    assert "旧密码" in html


def test_passwords_are_hashed_with_argon2():
    assert settings.PASSWORD_HASHERS[-2].endswith("Argon2PasswordHasher")
    from django.contrib.auth.hashers import make_password

    assert make_password("x", hasher="argon2").startswith("argon2$")


def test_unknown_url_gets_a_chinese_404(leader):
    response = leader.get("/no/such/page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_forbidden_gets_a_chinese_403(staff):
    # Non-staff users are sent to the admin login; a forbidden action is a styled 403.
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory

    from tuijin.core.views import permission_denied

    request = RequestFactory().get("/")
    request.user = get_user_model().objects.get(username="jingfa_staff")
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "没有权限" in response.content.decode()


def test_server_error_page_is_chinese(client, org, settings):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "系统暂时出错" in html


def test_logout_requires_post(leader):
    assert leader.get(reverse("logout")).status_code == 405
    assert leader.post(reverse("logout")).status_code == 302
