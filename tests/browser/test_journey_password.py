"""H9 journey: a cadre whose password an admin reset logs in on a phone, is sent to the password
page, is refused a weak password in Chinese, sets a strong one and reaches the home page."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tuijin.org.models import PasswordRecord

pytestmark = pytest.mark.browser


def test_an_admin_reset_password_is_changed_at_first_login(org, live_server, phone):
    staff = get_user_model().objects.get(username="jingfa_staff")
    staff.set_password("Chushi#2026")
    staff.save()
    PasswordRecord.objects.filter(user=staff).update(must_change=True)  # as the admin's reset

    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("#id_username", "jingfa_staff")
    phone.fill("#id_password", "Chushi#2026")
    phone.click("#login-submit")
    expect(phone.locator("#password-change-required")).to_contain_text("请先设置新密码")

    def change(new):
        phone.fill("#id_old_password", "Chushi#2026")
        phone.fill("#id_new_password1", new)
        phone.fill("#id_new_password2", new)
        phone.click("#password-save")

    change("kaifaqu2026")
    expect(phone.locator(".invalid-feedback").first).to_contain_text("至少3类")
    change("Kaifaqu@2026")
    expect(phone.locator("h1")).to_contain_text("密码已修改")
    phone.goto(f"{live_server.url}/")
    expect(phone).to_have_url(f"{live_server.url}/")
