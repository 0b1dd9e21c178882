"""What was not audited before V10 is: accounts' powers, password changes, rules and thresholds,
notification rules, robots (masked), approval types, preferences and lockout resets."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from constance import config
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tuijin.core.audit import audit_context
from tuijin.core.models import AuditEvent
from tuijin.notify.models import Rule, UnitRobot
from tuijin.org.demo import DEMO_PASSWORD
from tuijin.org.models import Unit
from tuijin.projects.models import ApprovalType

User = get_user_model()


def user(username):
    return User.objects.get(username=username)


def last(model: str, **filters) -> AuditEvent:
    return AuditEvent.objects.filter(model=model, **filters).latest("id")


# --- Accounts -------------------------------------------------------------------------------


def test_granting_superuser_in_the_admin_site_is_audited(admin_client_):
    target = user("jingfa_staff")
    url = reverse("admin:auth_user_change", args=[target.pk])
    form = {
        "username": target.username,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": timezone.localtime(target.date_joined).strftime("%Y-%m-%d"),
        "date_joined_1": timezone.localtime(target.date_joined).strftime("%H:%M:%S"),
    }
    response = admin_client_.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = last("auth.user", object_id=str(target.pk))
    assert event.actor == user("admin")
    assert event.changes == {"is_staff": [False, True], "is_superuser": [False, True]}


def test_revoking_staff_and_disabling_an_account_are_audited(org):
    admin = user("admin")
    with audit_context(actor=admin):
        admin.is_staff = admin.is_superuser = False
        admin.save()
        target = user("jingfa")
        target.is_active = False
        target.save()
    assert last("auth.user", object_id=str(admin.pk)).changes == {
        "is_staff": [True, False],
        "is_superuser": [True, False],
    }
    event = last("auth.user", object_id=str(target.pk))
    assert (event.actor, event.changes) == (admin, {"is_active": [True, False]})


def test_a_new_account_records_its_flags_and_a_login_stamp_records_nothing(org):
    created = User.objects.create_user("xinren", password="Chushi#2026", is_staff=True)
    event = last("auth.user", object_id=str(created.pk))
    assert (event.action, event.changes) == (
        "create",
        {"is_active": [None, True], "is_staff": [None, True], "is_superuser": [None, False]},
    )
    count = AuditEvent.objects.count()
    created.last_login = timezone.now()
    created.save(update_fields=["last_login"])
    created.first_name = "新"
    created.save()  # no flag changed
    assert AuditEvent.objects.count() == count


def test_the_forced_password_change_is_audited_without_the_password(org, admin_client_):
    staff = user("jingfa_staff")
    url = reverse("admin:auth_user_password_change", args=[staff.pk])
    form = {"password1": "Chushi#2026", "password2": "Chushi#2026", "usable_password": "true"}
    assert admin_client_.post(url, form).status_code == 302
    assert last("auth.user", action="password_reset").actor == user("admin")
    client = Client()
    client.post(reverse("login"), {"username": "jingfa_staff", "password": "Chushi#2026"})
    assert client.get(reverse("home"))["Location"] == reverse("password_change")
    new = "Kaifaqu@2026"
    response = client.post(
        reverse("password_change"),
        {"old_password": "Chushi#2026", "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    event = last("auth.user", action="password_change")
    assert event.actor == staff and set(event.changes) == {"ip", "user_agent"}
    passwords = ("Chushi#2026", new, DEMO_PASSWORD)
    assert not any(p in str(e.changes) for e in AuditEvent.objects.all() for p in passwords)


# --- Settings and lists --------------------------------------------------------------------


def test_a_threshold_changed_in_constance_is_audited(org):
    before = config.REPORT_DUE_DAYS
    with audit_context(actor=user("admin")):
        config.REPORT_DUE_DAYS = before + 2
    event = last("constance.config", object_id="REPORT_DUE_DAYS")
    assert (event.actor, event.action) == (user("admin"), "update_setting")
    assert event.changes == {"REPORT_DUE_DAYS": [before, before + 2]}


def test_a_notification_rule_edited_in_the_admin_site_is_audited(admin_client_):
    Rule.ensure_defaults()
    rule = Rule.objects.get(event="item_assigned", audience="responsible")
    url = reverse("admin:notify_rule_change", args=[rule.pk])
    form = {"event": rule.event, "audience": rule.audience, "channels": '["inapp"]'}
    assert admin_client_.post(url, form).status_code == 302  # is_active unticked
    event = last("notify.rule", object_id=str(rule.pk))
    assert event.actor == user("admin")
    assert event.changes == {
        "channels": [["inapp", "email"], ["inapp"]],
        "is_active": [True, False],
    }


def test_an_approval_type_added_and_renamed_is_audited(admin_client_):
    add = reverse("admin:projects_approvaltype_add")
    form = {"name": "水土保持方案", "sort_order": 95, "is_active": "on"}
    assert admin_client_.post(add, form).status_code == 302
    kind = ApprovalType.objects.get(name="水土保持方案")
    assert last("projects.approvaltype", object_id=str(kind.pk)).action == "create"
    change = reverse("admin:projects_approvaltype_change", args=[kind.pk])
    assert admin_client_.post(change, {**form, "name": "水保方案"}).status_code == 302
    event = last("projects.approvaltype", object_id=str(kind.pk))
    assert (event.actor, event.changes) == (user("admin"), {"name": ["水土保持方案", "水保方案"]})


def test_a_robots_key_is_audited_only_masked(org):
    with audit_context(actor=user("admin")):
        robot = UnitRobot.objects.create(
            unit=Unit.objects.get(name="经济发展局"),
            kind="dingtalk",
            webhook_url="https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef",
            secret="SEC0123456789abcdefwxyz",
        )
        robot.refresh_from_db()
        robot.secret = "SEC9876543210fedcbaqrst"
        robot.save()
    created, changed = AuditEvent.objects.filter(
        model="notify.unitrobot", object_id=str(robot.pk)
    ).order_by("id")
    assert created.changes["webhook_url"] == [None, "****cdef"]
    assert created.changes["secret"] == [None, "****wxyz"]
    assert changed.changes["secret"] == ["****wxyz", "****qrst"]
    assert "webhook_url" not in changed.changes  # unchanged, and never the raw value
    assert not any("0123456789" in str(e.changes) for e in (created, changed))


def test_preferences_saved_on_their_page_are_audited(staff):
    response = staff.get(reverse("notify:preferences"))
    form = response.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["events"] = ["item_assigned"]
    data.pop("email")  # unticked
    response = staff.post(reverse("notify:preferences"), data)
    assert response.status_code == 302, response.context["form"].errors
    event = last("notify.preference")
    assert event.actor == user("jingfa_staff")
    assert event.changes["email"] == [None, False]  # the first save creates the row
    assert "item_urged" in event.changes["muted_events"][1]


# --- Lockouts --------------------------------------------------------------------------------


def attempt(username: str, minutes_ago=1, ip="10.1.2.3", failures=5) -> AccessAttempt:
    row = AccessAttempt.objects.create(
        username=username, ip_address=ip, user_agent="x", failures_since_start=failures,
        get_data="", post_data="", http_accept="", path_info="/accounts/login/",
    )  # fmt: skip
    at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    AccessAttempt.objects.filter(pk=row.pk).update(attempt_time=at)
    return row


def test_lifting_a_lockout_is_audited_by_whom(org):
    locked = attempt("jingfa_staff")
    with audit_context(actor=user("admin")):
        assert axes_reset(username="jingfa_staff") == 1
    event = last("axes.accessattempt", object_id=str(locked.pk))
    assert (event.action, event.actor) == ("axes_reset", user("admin"))
    assert event.changes["username"] == "jingfa_staff" and event.changes["failures"] == 5
    again = attempt("jingfa_staff")
    call_command("axes_reset_username", "jingfa_staff")  # the operator on the server
    event = last("axes.accessattempt", object_id=str(again.pk))
    assert (event.action, event.actor_repr) == ("axes_reset", "系统")


@pytest.mark.parametrize("case", ["expired", "own_login"])
def test_counters_cleared_by_time_or_by_the_users_own_login_are_not_events(org, case):
    if case == "expired":
        attempt("jingfa_staff", minutes_ago=60)  # past AXES_COOLOFF_TIME (15 minutes)
        axes_reset(username="jingfa_staff")
    else:
        attempt("jingfa_staff", ip="127.0.0.1", failures=2)  # the test client's, not locked
        client = Client()
        response = client.post(
            reverse("login"), {"username": "jingfa_staff", "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302
        assert not AccessAttempt.objects.filter(username="jingfa_staff").exists()
    assert not AuditEvent.objects.filter(model="axes.accessattempt").exists()
