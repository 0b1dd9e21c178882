"""The demo ledger (tuijin.projects.demo): the report's 21 projects, idempotent, lights that differ."""

import copy
import datetime as dt
from collections import Counter
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from conftest import load_org
from tuijin.core.models import AuditEvent
from tuijin.org.models import Person
from tuijin.projects.demo import load_projects
from tuijin.projects.lights import Thresholds
from tuijin.projects.models import (
    AnnualPlan,
    Approval,
    Enterprise,
    IndustryTag,
    Light,
    Milestone,
    PeriodLight,
    ProgressReport,
    Project,
)
from tuijin.projects.periods import periods_due_before
from tuijin.projects.services import submit_report
from tuijin.projects.validators import validate_credit_code

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)  # late in the year: 序时进度 10/12

REPORT_PROJECTS = {
    "青春化工园": {
        "犇星二期年产3万吨新能源电解液", "年产10万吨石墨烯负极材料", "正丹化学公司硅基新材料",
        "随州电厂铁路专线", "化工园配套基础设施", "云南年产2万吨高端锂电铜箔",
        "湖北交投随州供应链产业园", "北新建材产业园", "鑫星新材料产业园",
    },
    "城东产业园": {
        "文帝学校", "人才公寓", "团结激光产业园", "深圳吉瑞达", "施奈德电气公司高低压成套设备",
        "齐星公司移动应急智能储运装备",
    },
    "铁北产业园": {"城东水厂", "国药国粹丸剂", "国药天麻产业制造基地", "中昱环保设备"},
    "府南产业园": {"年产10万吨新能源动力电池负极材料一体化项目", "南外环"},
}  # fmt: skip
CODE_PREFIX = {"青春化工园": "QC-", "城东产业园": "CD-", "铁北产业园": "TB-", "府南产业园": "FN-"}


@pytest.fixture(scope="module")
def loaded(module_db):
    """The ledger, loaded once for this module's tests (each rolls back its own changes)."""
    with time_machine.travel(NOW, tick=False):
        return load_projects(load_org())


@pytest.fixture
def demo(loaded, org, time_machine):
    time_machine.move_to(NOW, tick=False)
    return copy.deepcopy(loaded)


def project(name: str) -> Project:
    return Project.objects.get(name=name)


def rules(p: Project) -> list[str]:
    return [reason["rule"] for reason in p.light_reasons]


def row_counts() -> dict[str, int]:
    models = [Project, Enterprise, ProgressReport, AnnualPlan, Approval, Milestone, PeriodLight,
              Person, IndustryTag, AuditEvent, Project.leaders.through, Project.tags.through,
              Project.enterprises.through, Enterprise.leaders.through]  # fmt: skip
    return {model._meta.label: model.objects.count() for model in models}


def test_the_reports_21_projects_are_in_their_parks(demo):
    assert demo["projects"] == Project.objects.count() == 21
    for park, names in REPORT_PROJECTS.items():
        projects = Project.objects.filter(park__name=park)
        assert set(projects.values_list("name", flat=True)) == names
        assert all(p.code.startswith(CODE_PREFIX[park]) for p in projects)
    benxing = project("犇星二期年产3万吨新能源电解液")
    assert benxing.content == "年产3万吨新能源电解液"
    assert benxing.code == "QC-001"


def test_loading_twice_adds_nothing(demo, org):
    before = row_counts()
    again = load_projects(org)
    assert row_counts() == before  # not even an audit event: nothing was saved again
    assert again == demo


def test_lights_differ_and_come_from_the_rules(demo):
    counts = Counter(Project.objects.values_list("light", flat=True))
    assert demo["lights"] == {"red": counts["red"], "yellow": counts["yellow"],
                              "green": counts["green"]}  # fmt: skip
    assert 4 <= counts[Light.RED] <= 6
    assert 5 <= counts[Light.YELLOW] <= 7
    assert counts[Light.GREEN] >= 8
    for p in Project.objects.all():  # every non-green light lists its reasons
        assert (p.light == Light.GREEN) == (not p.light_reasons)
    parks_with_red = set(
        Project.objects.filter(light=Light.RED).values_list("park__name", flat=True)
    )
    assert len(parks_with_red) >= 3


def test_talent_apartment_is_red_for_its_delayed_start(demo):
    apartment = project("人才公寓")
    assert apartment.location == "万达广场北侧"
    assert apartment.stage == "preparing" and apartment.actual_start is None
    assert apartment.light == Light.RED
    start = [r for r in apartment.light_reasons if r["rule"] == "start"]
    assert start and start[0]["light"] == Light.RED
    assert "未开工" in start[0]["text"]
    assert "绿化树已经迁移" in apartment.reports.first().narrative
    assert apartment.leaders.filter(user__username="leader").exists()


def test_benxing_is_red_only_for_investment_and_a_big_report_turns_it_green(demo):
    benxing = project("犇星二期年产3万吨新能源电解液")
    assert benxing.light == Light.RED
    assert rules(benxing) == ["investment"]
    assert benxing.annual_plans.get(year=2026).amount == Decimal(12000)

    clerk = get_user_model().objects.get(username="jingfa_staff")  # 经济发展局 owns it
    submit_report(
        clerk, benxing, period_start=timezone.localdate(), narrative="设备款集中支付。",
        progress=45, investment=Decimal(6000),
    )  # fmt: skip
    benxing.refresh_from_db()
    assert benxing.light == Light.GREEN


def test_the_liaison_sees_only_benxing(demo):
    liaison = get_user_model().objects.get(username="qiye")
    benxing = Enterprise.objects.get(liaison__user=liaison)  # the only one she is liaison of
    assert "犇星" in benxing.name
    assert list(Project.objects.visible_to(liaison)) == [project("犇星二期年产3万吨新能源电解液")]
    assert list(Enterprise.objects.visible_to(liaison)) == [benxing]


def test_economic_development_bureau_has_late_reporters(demo):
    t = Thresholds.current()
    (last_due,) = periods_due_before(timezone.localdate(), t.period_kind, t.due_days, 1)
    projects = Project.objects.filter(unit__name="经济发展局")
    assert projects.count() >= 4
    late = projects.exclude(reports__period_start=last_due.start)
    assert late.count() == 3
    assert all("stale" in rules(p) for p in late)


def test_leaders_cadres_and_enterprises(demo):
    leader = Person.objects.get(user__username="leader")
    led = Project.objects.filter(leaders=leader)
    assert led.count() >= 3
    assert led.filter(park__name="青春化工园", light=Light.RED).exists()
    cadre = Person.objects.get(user__username="zhaoshang")
    assert Enterprise.objects.filter(leaders=cadre).count() >= 2
    assert Project.objects.filter(leaders=cadre).count() >= 2
    assert not Project.objects.filter(leaders=None).exists()
    # Nobody named in the report gets an invented record.
    for name in ["郭晓东", "朱西胜", "陈俊杰", "李恒炎"]:
        assert not Person.objects.filter(name=name).exists()
    codes = [c for c in Enterprise.objects.values_list("credit_code", flat=True) if c]
    assert len(codes) >= 3
    for code in codes:
        assert code.startswith("91421300")
        validate_credit_code(code)
    assert Enterprise.objects.filter(is_key=True).count() >= 3


def test_facts_are_relative_to_today(demo):
    today = timezone.localdate()
    assert not ProgressReport.objects.filter(period_end__gte=today).exists()
    assert not ProgressReport.objects.filter(submitted_at__gt=timezone.now()).exists()
    assert ProgressReport.objects.filter(project__code="QC-001").count() >= 3
    assert AnnualPlan.objects.filter(year=today.year).count() >= 15
    assert Milestone.objects.filter(done_date=None, due_date__lt=today).exists()
    assert Approval.objects.filter(actual_date=None, planned_date__lt=today).exists()
    assert Project.objects.exclude(latitude=None).count() >= 5
    assert (
        IndustryTag.objects.filter(name__in=["新能源", "新材料", "医药健康", "民生"]).count() == 4
    )


def test_three_closed_periods_are_frozen(demo):
    t = Thresholds.current()
    periods = periods_due_before(timezone.localdate(), t.period_kind, t.due_days, 3)
    for period in periods:
        assert PeriodLight.objects.filter(period_start=period.start).count() == 21
    assert PeriodLight.objects.count() == 63


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2027, 1, 15, 9, tzinfo=SHANGHAI),  # 序时进度 0/12: no investment reasons
        dt.datetime(2027, 3, 6, 9, tzinfo=SHANGHAI),
        dt.datetime(2027, 6, 30, 23, tzinfo=SHANGHAI),
    ],
)
def test_lights_differ_whenever_the_demo_is_loaded(org, time_machine, moment):
    time_machine.move_to(moment, tick=False)
    counts = load_projects(org)["lights"]
    assert all(counts[light] >= 1 for light in Light.values)
    assert project("人才公寓").light == Light.RED
