"""How each integrity record is made, for tests/test_every_record_visible.py (``MAKERS``):
through its service, as each role that may, and the page that shows it. The creator and the
zone leader see each; nobody else does (``tuijin/integrity/tests/test_integrity.py``)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tuijin.integrity import services
from tuijin.integrity.models import Stage, TalkKind
from tuijin.org.models import Person, Unit

KEEPERS = ("jijian",)
# Any official records an interference (not the liaison, not the administrator's account).
OFFICIALS = ("leader", "duban", "jingfa", "jingfa_staff", "zhaoshang", "chengdong", "ziran",
             "jijian")  # fmt: skip
UNIT = "经济发展局"


def user(name: str):
    return get_user_model().objects.get(username=name)


def unit() -> Unit:
    return Unit.objects.get(name=UNIT)


def head() -> Person:
    return Person.objects.get(user__username="jingfa")


def risk_as(name: str):
    return services.add_risk_point(
        user(name),
        unit=unit(),
        stage=Stage.TENDER,
        title="招标文件设置倾向性条件",
        measures="招标文件会审",
    )


def talk_as(name: str):
    return services.add_talk(
        user(name),
        unit=unit(),
        kind=TalkKind.REMINDER,
        held_on=timezone.localdate(),
        talker=Person.objects.get(user__username=name),
        talkees=[head()],
        risk_points=[risk_as(name)],
        points="提醒招投标环节廉政风险",
        follow_up="",
    )


def nil_report_as(name: str):
    today = timezone.localdate()
    reports = services.ask_nil_reports(user(name), year=today.year - 1, quarter=4)
    return next(r for r in reports if r.unit_id == unit().pk)


def interference_as(name: str):
    return services.record_interference(
        user(name),
        occurred_on=timezone.localdate() - dt.timedelta(days=1),
        intervener="某局副局长",
        matter="要求照顾某供应商",
        response="当场拒绝并报告",
    )


def page(name):
    return lambda record: reverse(f"integrity:{name}", args=[record.pk])


def makers(made) -> dict:
    """``made``: the test's ``Made`` class (roles, make, page, shows)."""
    return {
        "integrity.riskpoint": [made(KEEPERS, risk_as, page("risk_detail"), lambda r: r.title)],
        "integrity.talk": [made(KEEPERS, talk_as, page("talk_detail"), lambda t: t.points)],
        "integrity.nilreport": [
            made(KEEPERS, nil_report_as, page("nil_detail"), lambda r: r.unit.name)
        ],
        "integrity.interference": [
            made(OFFICIALS, interference_as, page("interference_detail"), lambda r: r.matter)
        ],
    }
