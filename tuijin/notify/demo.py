"""Demo group robots (L11 part 12): 经济发展局 has a WeCom and a DingTalk robot whose webhooks
point at a receiver on this machine (``DEMO_ROBOT_URL``, default http://127.0.0.1:8199/robot),
so the way a message takes to a unit's group chat can be followed without reaching WeCom or
DingTalk: run any HTTP receiver there (one that answers ``{"errcode": 0}``) and urge one of the
unit's items; the admin's 单位群机器人 page has 发送测试消息. Nothing listening costs a failed
delivery, retried later (``notify.delivery``), never an error on a page.

Idempotent: a unit's robot of a kind that exists is left alone.
"""

import os

from tuijin.notify.models import Channel, UnitRobot
from tuijin.org.models import Unit

DEMO_ROBOT_URL = os.environ.get("DEMO_ROBOT_URL", "http://127.0.0.1:8199/robot")
DEMO_ROBOT_UNIT = "经济发展局"


def load_robots(units: dict[str, Unit]) -> list[UnitRobot]:
    unit = units[DEMO_ROBOT_UNIT]
    robots = []
    for kind, webhook, secret in (
        (Channel.WECOM, f"{DEMO_ROBOT_URL}/wecom?key=demo-wecom-key", ""),
        (Channel.DINGTALK, f"{DEMO_ROBOT_URL}/dingtalk?access_token=demo-token", "SECdemo0secret"),
    ):
        robot = UnitRobot.objects.filter(unit=unit, kind=kind.value).first()
        if robot is None:
            robot = UnitRobot.objects.create(
                unit=unit, kind=kind.value, webhook_url=webhook, secret=secret
            )
        robots.append(robot)
    return robots
