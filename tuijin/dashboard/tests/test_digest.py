"""The weekly digest (每周推进摘要): built as each leader may see it, sent once a week."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model

from tuijin.core import deadlines
from tuijin.dashboard.digest import build_digest, send_weekly_digests
from tuijin.notify.models import Notification, Rule
from tuijin.supervision.tests.factories import make_item


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def rules(org):
    Rule.ensure_defaults()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run on-commit work (the queued sends) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_leaders_digest_lists_exactly_the_overdue_items_by_unit(rules, committed):
    from tuijin.projects.models import Project

    today = dt.date(2026, 11, 23)  # Monday
    make_item(lead="经济发展局", title="A超期", deadline=dt.date(2026, 11, 20))
    make_item(lead="经济发展局", title="B超期", deadline=dt.date(2026, 11, 22))
    make_item(lead="城东产业园", title="C超期", deadline=dt.date(2026, 11, 1), state="in_progress")
    make_item(lead="城东产业园", title="今天到期不算", deadline=today)
    make_item(
        lead="招商局",
        title="已办结不算",
        deadline=dt.date(2026, 11, 1),
        state="closed",
        closed_on=dt.date(2026, 11, 19),
        closed_on_time=False,
    )
    digest = build_digest(user("leader"), today)
    assert [(unit, [i.title for i in items]) for unit, items in digest.overdue_by_unit] == [
        ("经济发展局", ["A超期", "B超期"]),
        ("城东产业园", ["C超期"]),
    ]
    assert [i.title for i in digest.closed] == ["已办结不算"]
    text = digest.text()
    assert "二、超期督办事项(3项)" in text
    # The days are counted when the digest is read or sent (core.deadlines), not when built.
    with time_machine.travel(dt.datetime(2026, 11, 23, 1, tzinfo=dt.UTC), tick=False):
        assert "C超期(超期22天)" in deadlines.render(text)
    assert Project.objects.count() == 0 and "一、新增红灯项目(0个)" in text
    with time_machine.travel(dt.datetime(2026, 11, 23, 0, tzinfo=dt.UTC), tick=False):
        with committed():
            assert send_weekly_digests(today) > 0
        with committed():
            assert send_weekly_digests(today) == 0  # once a week
    mail = Notification.objects.get(recipient=user("leader"), event="weekly_digest")
    assert "A超期" in mail.body and "随州高新区每周推进摘要" in mail.title
