"""The demo supervision data (tuijin.supervision.demo): the 人才公寓 directive, the 研讨会's four
bottlenecks, items in every state across units, idempotent and built through the services."""

import copy
import datetime as dt

import pytest
from django.utils import timezone

from conftest import load_org
from tuijin.core.models import AuditEvent
from tuijin.projects.demo import load_projects
from tuijin.supervision.demo import (
    DIRECTIVE_TITLE,
    demo_items,
    demo_problems,
    load_supervision,
)
from tuijin.supervision.models import (
    ExtensionRequest,
    Feedback,
    ItemActivity,
    ItemState,
    Problem,
    SupervisionItem,
    Verification,
)
from tuijin.supervision.rules import item_light, truthfulness_index

BOTTLENECKS = {"土地指标", "绿电保障", "能耗指标", "产业配套"}


@pytest.fixture(scope="module")
def loaded(module_db):
    """The supervision demo, loaded once for this module's tests (each rolls back its own)."""
    units = load_org()
    load_projects(units)
    return load_supervision(units)


@pytest.fixture
def demo(loaded, org):
    return copy.deepcopy(loaded)


def row_counts() -> dict[str, int]:
    models = [SupervisionItem, Problem, Feedback, Verification, ExtensionRequest, ItemActivity,
              AuditEvent, SupervisionItem.co_units.through]  # fmt: skip
    return {model._meta.label: model.objects.count() for model in models}


def test_loading_twice_adds_nothing(org, demo):
    before = row_counts()
    again = load_supervision(org)
    assert again == demo
    assert row_counts() == before
    assert demo["items"] == demo_items().count() == 19
    assert demo["problems"] == Problem.objects.count() == 9


def test_every_state_occurs(demo):
    states = set(SupervisionItem.objects.values_list("state", flat=True))
    assert states == set(ItemState.values)
    today = timezone.localdate()
    lights = {item_light(item, today).key for item in SupervisionItem.objects.all()}
    assert lights == {"green", "yellow", "red", "closed_on_time", "closed_late", "cancelled"}
    assert demo["lights"]["red"] >= 3
    assert demo["lights"]["yellow"] >= 3
    sources = set(SupervisionItem.objects.values_list("source", flat=True))
    assert {"onsite", "meeting", "instruction", "problem"} <= sources


def test_the_talent_apartment_directive(demo):
    item = SupervisionItem.objects.get(title=DIRECTIVE_TITLE)
    assert item.project.name == "人才公寓"
    assert item.source == SupervisionItem.Source.ONSITE
    assert item.assigner.user.username == "leader"
    assert item.lead_unit.name == "自然资源和规划分局"
    assert set(item.co_units.values_list("name", flat=True)) == {"城东产业园", "住建局"}
    assert item.result_standard == "两处违章建筑拆除、场地清表"
    assert item.deadline_mode == SupervisionItem.DeadlineMode.CALENDAR_DAYS
    assert item.deadline_days == 3
    assert item.deadline == item.original_deadline == item.assigned_on + dt.timedelta(days=3)
    assert item.assigned_on < timezone.localdate()
    assert item.state == ItemState.IN_PROGRESS
    assert item.returned_count == 1
    assert item.urge_count >= 1
    assert item_light(item, timezone.localdate()).key == "red"
    verification = item.verifications.get()
    assert verification.result in {"partly", "untrue"}
    assert verification.verified_by.user.username == "duban"
    assert "一处仍在使用" in verification.notes
    assert item.feedbacks.get().text.startswith("两处违章建筑已拆除完毕")
    problem = item.problem
    assert problem.category.name == "征迁与违建"
    assert problem.description == "现场仍有两处违章建筑物在使用,没有一点推进的迹象"
    # The timeline reads in order, in the past.
    verbs = list(item.activities.order_by("at", "pk").values_list("verb", flat=True))
    assert verbs[:6] == ["assign", "accept", "start", "report", "start_verification", "return"]
    times = list(item.activities.order_by("pk").values_list("at", flat=True))
    assert times == sorted(times)
    assert timezone.localtime(times[0]).date() == item.assigned_on


def test_the_four_bottlenecks_at_meeting_level(demo):
    problems = Problem.objects.filter(category__name__in=BOTTLENECKS, level=Problem.Level.MEETING)
    assert set(problems.values_list("category__name", flat=True)) == BOTTLENECKS
    assert all(p.source == Problem.Source.MEETING for p in problems)
    status = {p.category.name: p.status for p in problems}
    assert status["土地指标"] == Problem.Status.REPORTED_UP
    assert Problem.Status.RESOLVED in status.values()
    assert Problem.Status.COORDINATING in status.values()
    names = set(problems.values_list("project__name", flat=True))
    assert "犇星二期年产3万吨新能源电解液" in names
    assert "云南年产2万吨高端锂电铜箔" in names


def test_items_span_units_with_different_truthfulness(demo):
    units = set(demo_items().values_list("lead_unit__name", flat=True))
    assert {"经济发展局", "招商局", "住建局", "自然资源和规划分局", "城东产业园", "青春化工园",
            "府南产业园"} <= units  # fmt: skip
    indexes = demo["truthfulness"]
    assert len(set(indexes.values())) >= 3
    for unit, index in indexes.items():
        results = list(
            Verification.objects.filter(unit__name=unit).values_list("result", flat=True)
        )
        assert truthfulness_index(results) == index
    assert Verification.objects.filter(result="untrue").exists()


def test_extensions_urges_and_closing(demo):
    approved = ExtensionRequest.objects.get(status=ExtensionRequest.Status.APPROVED)
    assert approved.item.deadline == approved.requested_deadline != approved.item.original_deadline
    assert ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING).count() == 1
    assert demo["urges"] >= 3
    today = timezone.localdate()
    urged = SupervisionItem.objects.filter(urge_count__gt=0, state__in=["assigned", "in_progress"])
    assert any(item_light(item, today).key == "red" for item in urged)
    for item in SupervisionItem.objects.filter(state=ItemState.CLOSED):
        assert item.closed_on < today
        reported = timezone.localtime(item.feedbacks.order_by("-submitted_at")[0].submitted_at)
        assert item.closed_on_time == (reported.date() <= item.deadline)
    assert demo_problems().count() == 9


def test_the_unit_staff_acted_through_their_accounts(demo):
    reporters = set(Feedback.objects.values_list("submitted_by__user__username", flat=True))
    assert {"ziran", "zhaoshang", "chengdong", "jingfa_staff", "zhujian_staff",
            "qingchun_staff", "funan_staff"} <= reporters  # fmt: skip
    for username in ("zhujian_staff", "qingchun_staff", "funan_staff"):
        person = Feedback.objects.filter(submitted_by__user__username=username)[0].submitted_by
        assert not person.user.has_usable_password()


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC),
        dt.datetime(2027, 1, 4, 1, tzinfo=dt.UTC),  # a Monday, just after New Year
        dt.datetime(2027, 6, 19, 15, 59, tzinfo=dt.UTC),  # 23:59 on a Saturday in Shanghai
    ],
)
def test_the_same_story_whenever_loaded_even_with_a_frozen_clock(org, time_machine, moment):
    time_machine.move_to(moment, tick=False)
    load_projects(org)
    counts = load_supervision(org)
    assert counts["lights"] == {"red": 4, "yellow": 5, "green": 3, "closed_on_time": 4,
                                "closed_late": 2, "cancelled": 1}  # fmt: skip
    item = SupervisionItem.objects.get(title=DIRECTIVE_TITLE)
    assert item.assigned_on == timezone.localdate() - dt.timedelta(days=6)
    verbs = list(item.activities.order_by("at", "pk").values_list("verb", flat=True))
    assert verbs[:7] == ["assign", "accept", "start", "report", "start_verification", "return",
                         "urge"]  # fmt: skip
