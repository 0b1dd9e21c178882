"""站内通知 (N4): the list is the user's own, opening marks read, mark all read, the bell,
personal preferences with quiet hours, and a list whose query count does not grow."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tuijin.notify.context_processors import bell
from tuijin.notify.events import event_keys
from tuijin.notify.models import Event, Notification, Preference


def user(username: str):
    return get_user_model().objects.get(username=username)


def notify(recipient, title="督办交办:人才公寓地块清表", *, url="", read=False, **extra):
    return Notification.objects.create(
        recipient=recipient,
        event=extra.pop("event", Event.ITEM_ASSIGNED),
        title=title,
        url=url,
        read_at=extra.pop("read_at", timezone.now() if read else None),
        **extra,
    )


def tag_of(html: str, notification) -> str:
    """The opening <a> tag of a notification's row in the list."""
    return re.search(rf'<a [^>]*id="notification-{notification.pk}"[^>]*>', html).group()


# --- The list -----------------------------------------------------------------------------------


def test_list_shows_only_own_notifications_newest_first(staff):
    me, other = user("jingfa_staff"), user("leader")
    older = notify(me, "旧的通知", body="第一行\n第二行")
    newer = notify(me, "新的通知")
    notify(other, "领导的通知")

    response = staff.get(reverse("notify:list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "领导的通知" not in html
    assert html.index("新的通知") < html.index("旧的通知")
    assert "第一行<br>第二行" in html  # linebreaks
    assert reverse("notify:open", args=[newer.pk]) in html
    assert reverse("notify:open", args=[older.pk]) in html
    local = timezone.localtime(newer.created_at)
    assert f"{local.year}年{local.month}月{local.day}日" in html  # cn_date
    assert "共 2 条" in html
    assert "全部标为已读" in html


def test_list_highlights_unread_and_filters_unread(staff):
    me = user("jingfa_staff")
    unread = notify(me, "未读的通知")
    read = notify(me, "已读的通知", read=True)

    html = staff.get(reverse("notify:list")).content.decode()
    assert "bg-warning-subtle" in tag_of(html, unread)
    assert "bg-warning-subtle" not in tag_of(html, read)

    html = staff.get(reverse("notify:list"), {"unread": "1"}).content.decode()
    assert "未读的通知" in html
    assert "已读的通知" not in html
    assert "共 1 条" in html


def test_list_is_paginated_by_30(staff):
    me = user("jingfa_staff")
    Notification.objects.bulk_create(
        [Notification(recipient=me, event=Event.ITEM_URGED, title=f"催办{i}") for i in range(31)]
    )
    first = staff.get(reverse("notify:list"))
    assert len(first.context["page"]) == 30
    assert "1 / 2" in first.content.decode()
    assert len(staff.get(reverse("notify:list"), {"page": 2}).context["page"]) == 1


def test_list_query_count_is_constant(staff):
    me = user("jingfa_staff")

    def queries_for(n: int) -> int:
        Notification.objects.filter(recipient=me).delete()
        Notification.objects.bulk_create(
            [
                Notification(recipient=me, event=Event.ITEM_URGED, title=f"催办{i}", body="请尽快")
                for i in range(n)
            ]
        )
        staff.get(reverse("notify:list"))  # warm up (session, caches)
        with CaptureQueriesContext(connection) as captured:
            assert staff.get(reverse("notify:list")).status_code == 200
        return len(captured)

    assert queries_for(5) == queries_for(50)


def test_list_requires_login(client, org):
    response = client.get(reverse("notify:list"))
    assert response.status_code == 302
    assert reverse("login") in response.url


# --- Opening and marking read -------------------------------------------------------------------


def test_open_marks_read_and_redirects_to_its_url(staff):
    n = notify(user("jingfa_staff"), url="/supervision/items/12/")
    other = notify(user("jingfa_staff"))

    response = staff.get(reverse("notify:open", args=[n.pk]))

    assert response.status_code == 302
    assert response.url == "/supervision/items/12/"
    n.refresh_from_db()
    other.refresh_from_db()
    assert n.read_at is not None
    assert other.read_at is None  # only that one


def test_open_without_url_or_with_foreign_url_goes_to_the_list(staff):
    me = user("jingfa_staff")
    for url in ("", "https://evil.example.com/phish", "//evil.example.com/"):
        n = notify(me, url=url)
        response = staff.get(reverse("notify:open", args=[n.pk]))
        assert response.status_code == 302
        assert response.url == reverse("notify:list")


def test_open_keeps_the_first_read_time(staff):
    earlier = timezone.now() - dt.timedelta(days=2)
    n = notify(user("jingfa_staff"), read_at=earlier)
    staff.get(reverse("notify:open", args=[n.pk]))
    n.refresh_from_db()
    assert n.read_at == earlier


def test_open_another_users_notification_is_404(staff):
    theirs = notify(user("leader"), url="/supervision/")

    response = staff.get(reverse("notify:open", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_open_is_get_only(staff):
    n = notify(user("jingfa_staff"))
    assert staff.post(reverse("notify:open", args=[n.pk])).status_code == 405


def test_mark_all_read_marks_only_own(staff):
    me, other = user("jingfa_staff"), user("leader")
    notify(me)
    notify(me)
    theirs = notify(other)

    response = staff.post(reverse("notify:read_all"), follow=True)

    assert response.redirect_chain == [(reverse("notify:list"), 302)]
    assert "已将 2 条通知标为已读" in response.content.decode()
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_is_post_only(staff):
    assert staff.get(reverse("notify:read_all")).status_code == 405


# --- The bell -----------------------------------------------------------------------------------


def test_bell_context_processor_counts_unread_in_one_query(org, django_assert_num_queries):
    me = user("jingfa_staff")
    notify(me)
    notify(me)
    notify(me, read=True)
    notify(user("leader"))
    request = RequestFactory().get("/")
    request.user = me

    with django_assert_num_queries(1):
        assert bell(request) == {"unread_count": 2}


def test_bell_context_processor_is_empty_for_anonymous(db, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert bell(request) == {}


def test_bell_template_shows_badge_only_when_unread(db):
    html = render_to_string("notify/_bell.html", {"unread_count": 3})
    assert 'id="bell"' in html
    assert "bi bi-bell" in html
    assert reverse("notify:list") in html
    assert 'id="bell-count">3<' in html

    assert "bell-count" not in render_to_string("notify/_bell.html", {"unread_count": 0})
    assert ">99+<" in render_to_string("notify/_bell.html", {"unread_count": 120})


def test_bell_count_in_the_page(staff):
    """Runs once base.html includes notify/_bell.html."""
    base = Path(django_settings.BASE_DIR, "templates", "base.html").read_text()
    if "notify/_bell.html" not in base:
        pytest.skip("base.html does not include notify/_bell.html yet")
    me = user("jingfa_staff")
    notify(me)
    notify(me)
    notify(me, read=True)

    html = staff.get(reverse("home")).content.decode()

    assert 'id="bell-count">2<' in html
    staff.post(reverse("notify:read_all"))
    assert "bell-count" not in staff.get(reverse("home")).content.decode()


# --- Preferences --------------------------------------------------------------------------------


def test_preferences_default_to_everything_checked(staff):
    response = staff.get(reverse("notify:preferences"))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('type="checkbox" name="events"') == len(event_keys())
    assert html.count("checked") == len(event_keys()) + 1  # every event, and e-mail
    assert "超期提醒和升级" in html  # they ignore quiet hours
    assert 'type="time"' in html


def test_preferences_save_muted_events_email_and_quiet_hours(staff):
    received = [v for v in event_keys() if v not in {Event.WEEKLY_DIGEST, Event.ITEM_ACCEPTED}]

    response = staff.post(
        reverse("notify:preferences"),
        # e-mail unchecked; version 0: nothing saved when the page was loaded
        {"events": received, "quiet_start": "22:00", "quiet_end": "07:30", "version": 0},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("notify:preferences"), 302)]
    assert "通知设置已保存" in response.content.decode()
    pref = Preference.objects.get(user__username="jingfa_staff")
    assert pref.muted_events == [Event.ITEM_ACCEPTED, Event.WEEKLY_DIGEST]
    assert pref.email is False
    assert pref.quiet_start == dt.time(22, 0)
    assert pref.quiet_end == dt.time(7, 30)

    html = staff.get(reverse("notify:preferences")).content.decode()
    assert 'value="22:00"' in html
    assert 'value="07:30"' in html
    assert html.count("checked") == len(received)  # e-mail now unchecked


def test_preferences_update_the_existing_row_and_clear_quiet_hours(staff):
    me = user("jingfa_staff")
    Preference.objects.create(
        user=me, muted_events=[Event.WEEKLY_DIGEST], quiet_start=dt.time(22), quiet_end=dt.time(7)
    )

    staff.post(
        reverse("notify:preferences"),
        {"events": event_keys(), "email": "on", "quiet_start": "", "quiet_end": "", "version": 1},
    )

    pref = Preference.objects.get(user=me)
    assert Preference.objects.filter(user=me).count() == 1
    assert pref.muted_events == []
    assert pref.email is True
    assert pref.quiet_start is None
    assert pref.quiet_end is None


@pytest.mark.parametrize(
    ("start", "end", "named"),
    [("22:00", "", "免打扰结束"), ("", "07:00", "免打扰开始")],
)
def test_half_filled_quiet_hours_are_refused_in_chinese_keeping_the_input(staff, start, end, named):
    response = staff.post(
        reverse("notify:preferences"),
        {"events": [Event.ITEM_ASSIGNED], "email": "on", "quiet_start": start, "quiet_end": end},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert f"{named}:填写了免打扰" in html
    assert f'value="{start or end}"' in html  # what was typed is kept
    assert html.count("checked") == 2  # the one event and e-mail, as posted
    assert not Preference.objects.filter(user__username="jingfa_staff").exists()


def test_equal_quiet_hours_are_refused(staff):
    response = staff.post(
        reverse("notify:preferences"), {"quiet_start": "08:00", "quiet_end": "08:00"}
    )
    assert response.status_code == 200
    assert "免打扰结束:结束时间不能与开始时间相同" in response.content.decode()


@pytest.mark.parametrize("saved_before", [False, True], ids=["first save", "later save"])
def test_preferences_saved_meanwhile_on_another_page_are_not_undone(staff, saved_before):
    url = reverse("notify:preferences")
    if saved_before:
        Preference.objects.create(user=user("jingfa_staff"), email=False)
    phone, desktop = (staff.get(url).context["form"]["version"].value() for _ in range(2))
    assert phone == desktop == (1 if saved_before else 0)

    data = {"events": event_keys(), "email": "on", "quiet_start": "22:00", "quiet_end": "07:00"}
    assert staff.post(url, data | {"version": phone}).status_code == 302
    response = staff.post(url, data | {"version": desktop, "events": [Event.ITEM_ASSIGNED]})

    assert response.status_code == 409
    html = response.content.decode()
    assert "您的通知设置刚刚已在其他页面或设备上修改" in html
    assert html.count('name="events"') == len(event_keys())
    assert response.context["form"]["events"].value() == [Event.ITEM_ASSIGNED]  # input kept
    preference = Preference.objects.get(user__username="jingfa_staff")
    assert preference.muted_events == [] and preference.quiet_start == dt.time(22)


@pytest.mark.parametrize("query", ["?page=abc", "?page=-1", "?page=99999", "?unread=abc"])
def test_bad_list_parameters_give_the_list(staff, query):
    assert staff.get(reverse("notify:list") + query).status_code == 200


def test_saving_preferences_goes_through_the_service(staff, monkeypatch):
    from tuijin.notify import services

    calls = []
    real = services.save_preferences
    monkeypatch.setattr(
        services, "save_preferences", lambda *a, **k: calls.append(k) or real(*a, **k)
    )
    data = {"events": [Event.ITEM_ASSIGNED], "email": "", "version": 0}
    staff.post(reverse("notify:preferences"), data)
    assert calls and calls[0]["received_events"] == [Event.ITEM_ASSIGNED]
    preference = Preference.objects.get(user__username="jingfa_staff")
    assert Event.ITEM_URGED in preference.muted_events and preference.email is False
