"""Password rules (等保 2.0 level 3): complexity, not the user name, not one of the last five, and
a password set by an admin must be changed at first login; the change is audited."""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tuijin.core.models import AuditEvent
from tuijin.org.demo import DEMO_PASSWORD
from tuijin.org.passwords import EXPIRED, change_reason

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 政务微信"


def user(username):
    return get_user_model().objects.get(username=username)


def refusal(password, username="jingfa_staff") -> str:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_password(password, user(username))
    return " ".join(caught.value.messages)


def test_a_simple_password_is_refused_in_chinese(org):
    assert "大写字母、小写字母、数字、符号四类中的至少3类" in refusal("kaifaqu2026")
    assert "密码太短,至少需要8个字符" in refusal("Ab1!")


def test_a_password_containing_the_user_name_is_refused(org):
    assert "不能包含用户名“jingfa_staff”" in refusal("X1!jingfa_staff")


def test_a_good_password_passes(org):
    validate_password("Kaifaqu@2026", user("jingfa_staff"))


def change_password(client, old, new):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
        HTTP_USER_AGENT=BROWSER,
    )


def test_one_of_the_last_five_passwords_is_refused_on_the_page(org):
    client = Client()
    client.force_login(user("jingfa_staff"))
    passwords = [DEMO_PASSWORD, "Kaifaqu@2026", "Gaoxin#2027", "Suizhou$2028"]
    for old, new in itertools.pairwise(passwords):
        assert change_password(client, old, new).status_code == 302
    response = change_password(client, passwords[-1], "Kaifaqu@2026")
    assert response.status_code == 200
    assert "不能使用最近5次用过的密码" in response.content.decode()
    assert user("jingfa_staff").check_password(passwords[-1])


def test_the_weak_password_is_refused_on_the_page_in_chinese(org):
    client = Client()
    client.force_login(user("jingfa_staff"))
    response = change_password(client, DEMO_PASSWORD, "kaifaqu2026")
    assert response.status_code == 200
    assert "至少3类" in response.content.decode()


def test_a_password_change_is_audited_with_address_and_browser(org):
    client = Client()
    client.force_login(user("jingfa_staff"))
    assert change_password(client, DEMO_PASSWORD, "Kaifaqu@2026").status_code == 302
    event = AuditEvent.objects.get(action="password_change")
    assert event.changes == {"ip": "127.0.0.1", "user_agent": BROWSER}
    assert event.actor == user("jingfa_staff")


def log_in(username, password):
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def test_a_demo_persona_is_not_forced_to_change_the_password(org):
    client = log_in("leader", DEMO_PASSWORD)
    assert client.get(reverse("home")).status_code == 200


def test_an_admin_reset_password_must_be_changed_at_first_login_and_then_not(org, admin_client_):
    staff = user("jingfa_staff")
    url = reverse("admin:auth_user_password_change", args=[staff.pk])
    response = admin_client_.post(
        url, {"password1": "Chushi#2026", "password2": "Chushi#2026", "usable_password": "true"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AuditEvent.objects.get(action="password_reset").actor == user("admin")

    client = log_in("jingfa_staff", "Chushi#2026")
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    page = client.get(reverse("password_change")).content.decode()
    assert "初始密码或已由管理员重置" in page
    assert client.get(reverse("projects:project_list")).status_code == 302

    assert change_password(client, "Chushi#2026", "Kaifaqu@2026").status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert log_in("jingfa_staff", "Kaifaqu@2026").get(reverse("home")).status_code == 200


def test_a_user_an_admin_creates_must_change_the_password(org, admin_client_):
    response = admin_client_.post(
        reverse("admin:auth_user_add"),
        {"username": "xinren", "password1": "Chushi#2026", "password2": "Chushi#2026",
         "usable_password": "true"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    client = log_in("xinren", "Chushi#2026")
    assert client.get(reverse("home"))["Location"] == reverse("password_change")


def test_an_expired_password_must_be_changed(org, settings, time_machine):
    settings.PASSWORD_EXPIRY_DAYS = 90
    staff = user("jingfa_staff")
    assert change_reason(staff) is None
    time_machine.move_to("2031-01-01")
    assert change_reason(staff) == EXPIRED
    client = log_in("jingfa_staff", DEMO_PASSWORD)
    assert client.get(reverse("home"))["Location"] == reverse("password_change")
    assert "密码已过期" in client.get(reverse("password_change")).content.decode()
