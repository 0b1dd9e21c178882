"""Overdue reminders at real volume (H9): a unit's robots get one list of its overdue items per
run, people still hear of each item; the local HTTP receiver plays both robots."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model

from tuijin.notify.models import Delivery, Notification, Rule, UnitRobot
from tuijin.notify.tests.conftest import committed, receiver  # noqa: F401 (fixtures)
from tuijin.org.models import Unit
from tuijin.supervision.notifications import send_item_reminders
from tuijin.supervision.tests.factories import make_item

NOV_17 = dt.datetime(2026, 11, 17, 2, tzinfo=dt.UTC)  # Tuesday 10:00 in Shanghai
SITE = "https://tuijin.example.cn"


@pytest.fixture
def robots(org, receiver):  # noqa: F811
    Rule.ensure_defaults()
    unit = Unit.objects.get(name="经济发展局")
    return [
        UnitRobot.objects.create(
            unit=unit, kind="wecom", webhook_url=receiver.url("/cgi-bin/webhook/send?key=k")
        ),
        UnitRobot.objects.create(
            unit=unit, kind="dingtalk", webhook_url=receiver.url("/robot/send?access_token=t")
        ),
    ]


def test_31_overdue_items_of_one_unit_make_one_message_per_robot(
    robots,
    receiver,  # noqa: F811
    committed,  # noqa: F811
    settings,
):
    settings.SITE_URL = SITE
    staff = get_user_model().objects.get(username="jingfa_staff").person
    staff.phone = "13807221234"
    staff.save()
    items = [
        make_item(
            deadline=dt.date(2026, 11, 16) - dt.timedelta(days=n % 3),
            title=f"超期事项{n:02d}",
            responsible=staff,
        )
        for n in range(31)
    ]
    make_item(lead="城东产业园", deadline=dt.date(2026, 11, 10), title="别的单位的超期事项")
    with time_machine.travel(NOV_17, tick=False):
        with committed():
            send_item_reminders()
        with committed():
            send_item_reminders()  # the next run (30 minutes later) sends nothing again

    assert [r.path for r in receiver.requests].count("/cgi-bin/webhook/send") == 1
    assert [r.path for r in receiver.requests].count("/robot/send") == 1
    wecom = next(r.json for r in receiver.requests if r.path == "/cgi-bin/webhook/send")
    ding = next(r.json for r in receiver.requests if r.path == "/robot/send")
    text = ding["markdown"]["text"]
    assert ding["markdown"]["title"] == "督办超期汇总:经济发展局 31 项"
    for item in items:  # DingTalk takes the whole list, each item with its absolute link
        assert f"{item.title}(超期" in text
        assert f"{SITE}/supervision/items/{item.pk}/" in text
    assert text.index("超期事项02") < text.index("超期事项00")  # most overdue first
    assert "别的单位" not in text
    assert ding["at"]["atMobiles"] == ["13807221234"]
    # WeCom @s by mobile in a text message, cut under its limit but keeping the board link.
    assert wecom["text"]["mentioned_mobile_list"] == ["13807221234"]
    content = wecom["text"]["content"]
    assert content.startswith("督办超期汇总:经济发展局 31 项\n以下 31 项督办事项已超期")
    assert len(content.encode()) <= 2048
    assert "/supervision/?view=overdue&lead_unit=" in content
    # People still hear of each item.
    bells = Notification.objects.filter(recipient=staff.user, event="item_overdue")
    assert bells.count() == 31
    assert Delivery.objects.filter(event="item_overdue", robot__isnull=False).count() == 2
