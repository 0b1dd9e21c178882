"""The workflow's due talks from project milestones (``triggers.scan``) beyond the planned start:
a 开工 milestone earlier than the plan, an acceptance after completion."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from conftest import login_as
from tuijin.integrity import services, triggers
from tuijin.integrity.models import Talk, TalkKind, Trigger
from tuijin.integrity.tests.test_integrity import person, unit, user
from tuijin.projects.models import Milestone
from tuijin.projects.models import Stage as ProjectStage
from tuijin.projects.tests.factories import make_project


def test_a_start_milestone_before_the_planned_start_sets_the_talks_day(org):
    today = timezone.localdate()
    project = make_project(
        name="光电产业园", stage=ProjectStage.PREPARING, planned_start=today + dt.timedelta(20)
    )
    Milestone.objects.create(project=project, name="桩基开工", due_date=today + dt.timedelta(6))
    Milestone.objects.create(project=project, name="主体开工", due_date=today + dt.timedelta(15))
    triggers.scan(today)
    talk = Talk.objects.get(project=project, trigger=Trigger.PROJECT_START)
    assert talk.due_date == today + dt.timedelta(6)  # the earliest start, not the plan
    assert list(talk.talkees.all()) == [person("jingfa")]


def test_a_start_milestone_alone_asks_for_a_pre_start_talk(org):
    today = timezone.localdate()
    project = make_project(name="无计划日期项目", stage=ProjectStage.PREPARING)
    Milestone.objects.create(project=project, name="开工", due_date=today - dt.timedelta(3))
    triggers.scan(today)
    talk = Talk.objects.get(project=project, trigger=Trigger.PROJECT_START)
    assert talk.due_date == today  # a start already past is due today, not in the past


def test_a_project_just_completed_asks_for_an_acceptance_talk(org):
    today = timezone.localdate()
    project = make_project(
        name="标准厂房",
        stage=ProjectStage.COMPLETED,
        actual_completion=today - dt.timedelta(2),
    )
    Milestone.objects.create(project=project, name="竣工验收", due_date=today + dt.timedelta(9))
    triggers.scan(today)
    talk = Talk.objects.get(project=project, trigger=Trigger.ACCEPTANCE)
    assert talk.kind == TalkKind.REMINDER
    assert talk.due_date == today + dt.timedelta(days=triggers.ACCEPTANCE_DAYS)
    assert "竣工" in talk.trigger_note and "标准厂房" in talk.trigger_note
    assert triggers.scan(today) == []


def test_the_talk_list_filters_since_a_day_and_names_a_bad_one(org):
    today = timezone.localdate()
    old = services.add_talk(
        user("jijian"),
        unit=unit(),
        kind=TalkKind.REMINDER,
        held_on=today - dt.timedelta(days=40),
        talker=person("jijian"),
        talkees=[person("jingfa")],
        points="提醒",
    )
    planned = services.plan_talk(
        user("jijian"), unit=unit(), kind=TalkKind.HOLIDAY, due_date=today + dt.timedelta(5)
    )
    client = login_as("jijian")
    since = (today - dt.timedelta(days=10)).isoformat()
    response = client.get(reverse("integrity:talk_list") + f"?since={since}")
    assert response.context["talks"] == [planned]
    response = client.get(reverse("integrity:talk_list") + "?since=2026-13-45")
    assert response.status_code == 200
    assert response.context["filters"].errors["since"] == ["输入一个有效的日期。"]
    assert set(response.context["talks"]) == {old, planned}
