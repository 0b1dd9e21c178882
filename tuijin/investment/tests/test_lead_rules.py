"""The pipeline's service rules not met through the pages: quantities that cannot be, units
from another zone, duplicates by the investing enterprise, dates in the future, a lead that
ends, the start that needs a ledger project, the planning pool's refusals, the daily clock
task, and the demo pipeline (loaded twice, the same)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tuijin.investment import clocks, demo, services
from tuijin.investment.models import (
    ClockAlert,
    ClockRules,
    CycleState,
    Lead,
    LeadStage,
    PlannedProject,
    PlannedUpdate,
    PlanningCycle,
    SigningKind,
)
from tuijin.investment.tasks import check_pipeline_clocks
from tuijin.investment.tests.factories import make_lead, move, unit, user
from tuijin.org.demo import ensure_unit
from tuijin.org.models import UnitKind
from tuijin.projects.models import Enterprise


def refusal(call):
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value


@pytest.mark.django_db
def test_quantities_that_cannot_be_are_refused_naming_the_field(org):
    fixed = refusal(
        lambda: make_lead(
            "固定资产超总投资", total_investment=Decimal(100), fixed_investment=Decimal(200)
        )
    )
    assert fixed.message_dict["fixed_investment"] == ["固定资产投资(万元)不能大于总投资(万元)。"]
    green = refusal(lambda: make_lead("绿电超百", green_share=Decimal(120)))
    assert "绿电占比" in green.message_dict["green_share"][0]
    future = refusal(
        lambda: make_lead("明天的线索", received_on=timezone.localdate() + dt.timedelta(days=1))
    )
    assert future.message_dict["received_on"] == ["线索登记日期不能晚于今天。"]
    assert not Lead.objects.filter(name__in=["固定资产超总投资", "绿电超百", "明天的线索"]).exists()


@pytest.mark.django_db
def test_a_unit_of_another_zone_is_refused(org):
    other_zone = ensure_unit("外省高新区", UnitKind.ZONE)
    elsewhere = ensure_unit("外省招商局", UnitKind.DEPARTMENT, other_zone)
    refused = refusal(lambda: make_lead("跨区线索", by="zhaoshang", unit_name=elsewhere.name))
    assert refused.message_dict["unit"] == ["所选单位不在本开发区。"]
    assert not Lead.objects.filter(name="跨区线索").exists()
    lead = make_lead("本区线索", by="zhaoshang")
    moved = refusal(
        lambda: services.update_lead(user("zhaoshang"), lead.pk, lead.version, park=elsewhere)
    )
    assert "park" in moved.message_dict
    assert Lead.objects.get(pk=lead.pk).park == unit("府南产业园")


@pytest.mark.django_db
def test_a_second_lead_of_the_same_enterprise_is_a_duplicate(org):
    company = Enterprise.objects.create(name="随州重复检查有限公司", unit=unit("府南产业园"))
    first = make_lead("智能装备产业园项目", investor=company, investor_name="")
    with pytest.raises(services.DuplicateLead) as caught:
        services.create_lead(
            user("zhaoshang"),
            name="完全不同的名称",
            investor=company,
            unit=unit("招商局"),
        )
    assert caught.value.matches == [first]
    assert "智能装备产业园项目" in caught.value.messages[0]
    # Its own name is not a duplicate of itself.
    assert services.find_duplicates(user("zhaoshang"), name=first.name, exclude=first.pk) == []


@pytest.mark.django_db
def test_an_ended_lead_moves_no_more_and_its_missing_steps_are_not_due(org):
    lead = make_lead("终止项目", received_on=dt.date(2026, 5, 4))
    move(lead, LeadStage.SIGNED, dt.date(2026, 5, 10), signing_kind=SigningKind.FRAMEWORK)
    lead.refresh_from_db()
    assert services.allowed_moves(lead)[0] == LeadStage.SIGNED  # the formal contract may follow
    move(lead, LeadStage.ENDED, dt.date(2026, 6, 1))
    lead.refresh_from_db()
    assert lead.stage == LeadStage.ENDED and lead.ended_from == LeadStage.SIGNED
    assert lead.ended_on == dt.date(2026, 6, 1)
    assert services.allowed_moves(lead) == []
    refused = refusal(lambda: move(lead, LeadStage.REGISTERED, dt.date(2026, 6, 2)))
    assert "to_stage" in refused.message_dict
    keys = {c.key for c in clocks.lead_clocks(lead, ClockRules(), dt.date(2026, 12, 1))}
    assert not keys & {"register", "funds", "start"}


@pytest.mark.django_db
def test_starting_needs_a_ledger_project_and_dates_in_order(org):
    lead = make_lead("开工规则项目", park=None, received_on=dt.date(2026, 9, 1))
    early = refusal(lambda: move(lead, LeadStage.TALKS, dt.date(2026, 8, 1)))
    assert early.message_dict["on"] == ["变更日期不能早于线索登记日期。"]
    move(lead, LeadStage.SIGNED, dt.date(2026, 9, 10), signing_kind=SigningKind.CONTRACT)
    lead.refresh_from_db()
    before = refusal(lambda: move(lead, LeadStage.STARTED, dt.date(2026, 9, 5)))
    assert "不能早于签约日期" in before.message_dict["on"][0]
    nothing = refusal(lambda: move(lead, LeadStage.STARTED, dt.date(2026, 10, 1)))
    assert nothing.message_dict["project"] == ["开工须关联台账项目或新建台账项目(填写项目编号)。"]
    no_park = refusal(
        lambda: move(lead, LeadStage.STARTED, dt.date(2026, 10, 1), new_project_code="ZS-R-1")
    )
    assert no_park.message_dict["project"] == ["新建台账项目须先填写拟落地园区。"]
    no_file = refusal(
        lambda: services.move_stage(
            user("admin"),
            lead.pk,
            None,
            to_stage=LeadStage.REGISTERED,
            on=dt.date(2026, 10, 1),
            evidence=None,
        )
    )
    assert "evidence" in no_file.message_dict
    lead.refresh_from_db()
    assert lead.stage == LeadStage.SIGNED and lead.started_on is None and lead.project is None


@pytest.mark.django_db
def test_follow_ups_funds_and_notices_refuse_impossible_dates(org):
    lead = make_lead("日期规则项目", received_on=dt.date(2026, 9, 1))
    admin, tomorrow = user("admin"), timezone.localdate() + dt.timedelta(days=1)
    future = refusal(
        lambda: services.add_follow_up(admin, lead.pk, kind="progress", on=tomorrow, text="x")
    )
    assert future.message_dict["on"] == ["日期不能晚于今天。"]
    blank = refusal(
        lambda: services.add_follow_up(
            admin, lead.pk, kind="progress", on=dt.date(2026, 9, 2), text="  "
        )
    )
    assert blank.message_dict["text"] == ["请填写跟进内容。"]
    unsigned = refusal(
        lambda: services.record_funds(
            admin, lead.pk, None, arrived=Decimal(5), on=dt.date(2026, 9, 2)
        )
    )
    assert unsigned.message_dict["arrived"] == ["签约后才能登记资金到位。"]
    notice = refusal(
        lambda: services.issue_start_notice(admin, lead.pk, None, on=dt.date(2026, 9, 2))
    )
    assert notice.messages == ["只有已签约未开工的项目可以下达限期开工通知。"]
    move(lead, LeadStage.SIGNED, dt.date(2026, 9, 10), signing_kind=SigningKind.CONTRACT)
    later = refusal(
        lambda: services.record_funds(admin, lead.pk, None, arrived=Decimal(5), on=tomorrow)
    )
    assert later.message_dict["on"] == ["日期不能晚于今天。"]
    lead.refresh_from_db()
    assert lead.follow_ups.count() == 0 and lead.funds_arrived == 0
    assert lead.responded_on is None and lead.start_notice_on is None


@pytest.mark.django_db
def test_planning_pool_refusals(org):
    cycle = services.create_cycle(user("zhaoshang"), year=2043, title="2043年项目谋划")
    with pytest.raises(PermissionDenied):  # a liaison puts nothing forward
        services.add_planned(user("qiye"), cycle.pk, name="联络人项目", unit=unit("青春化工园"))
    planned = services.add_planned(
        user("chengdong"), cycle.pk, name="园区谋划项目", unit=unit("城东产业园")
    )
    blank = refusal(
        lambda: services.add_planned_update(
            user("chengdong"), planned.pk, quarter="2043Q1", text=" "
        )
    )
    assert blank.message_dict["text"] == ["请填写进展情况。"]
    assert not PlannedProject.objects.filter(name="联络人项目").exists()
    assert not PlannedUpdate.objects.filter(planned=planned).exists()
    assert PlanningCycle.objects.get(pk=cycle.pk).state == CycleState.CALLING


@pytest.mark.django_db
def test_the_daily_task_tells_overdue_clocks(org):
    lead = make_lead("每日时限项目", received_on=dt.date(2026, 11, 2))
    check_pipeline_clocks.call_local()
    assert ClockAlert.objects.filter(lead=lead, clock="respond").exists()
    told = ClockAlert.objects.filter(lead=lead).count()
    check_pipeline_clocks.call_local()  # told once
    assert ClockAlert.objects.filter(lead=lead).count() == told


@pytest.mark.django_db
def test_the_demo_pipeline_and_planning_pool_load_once(org):
    result = demo.load_investment(org)
    leads = Lead.objects.filter(name__in=[row[0] for row in demo.LEADS])
    assert leads.count() == len(demo.LEADS) == result["leads"]
    stages = set(leads.values_list("stage", flat=True))
    assert {LeadStage.LEAD, LeadStage.TALKS, LeadStage.SIGNED, LeadStage.STARTED} <= stages
    # Every signed lead carries its signing's evidence; every started one its ledger project.
    for lead in leads.exclude(signed_on=None):
        assert lead.changes.filter(to_stage=LeadStage.SIGNED).exclude(evidence="").exists()
    assert not leads.exclude(started_on=None).filter(project=None).exists()
    cycle = result["cycle"]
    assert cycle.state == CycleState.PUBLISHED and cycle.year == 2023
    projects = PlannedProject.objects.filter(cycle=cycle)
    assert projects.count() == len(demo.PLANNED)
    assert not projects.filter(approved=False).exists()
    assert projects.exclude(lead=None).exists()  # the planned projects that became leads
    assert f"{len(demo.PLANNED)} 个谋划项目" in demo.summary_line(result)

    again = demo.load_investment(org)  # idempotent
    assert again["leads"] == result["leads"]
    assert PlannedProject.objects.filter(cycle=cycle).count() == len(demo.PLANNED)


@pytest.mark.django_db
def test_who_may_do_what_with_a_lead(org):
    from tuijin.investment import permissions as p

    lead = make_lead("权限项目", park="城东产业园")
    table = {
        name: (
            p.sees_whole_pipeline(user(name)),
            p.can_edit_lead(user(name), lead),
            p.sees_contacts(user(name), lead),
            p.can_manage_planning(user(name)),
        )
        for name in ("admin", "leader", "zhaoshang", "chengdong", "jingfa", "duban", "qiye")
    }
    assert table == {
        "admin": (True, True, True, True),
        "leader": (True, True, True, True),
        "zhaoshang": (True, True, True, True),
        "chengdong": (False, True, False, False),  # the park handles it, not its contact
        "jingfa": (False, False, False, False),  # another unit
        "duban": (True, False, False, True),  # reads and plans, moves no lead
        "qiye": (False, False, False, False),  # a liaison
    }


@pytest.mark.django_db
def test_the_start_notice_clock_runs_from_the_notice(org):
    lead = make_lead("限期开工项目", received_on=dt.date(2026, 1, 5))
    move(lead, LeadStage.SIGNED, dt.date(2026, 1, 20), signing_kind=SigningKind.CONTRACT)
    services.issue_start_notice(user("admin"), lead.pk, None, on=dt.date(2026, 8, 1))
    lead.refresh_from_db()
    rules = ClockRules()  # 90 days after the notice
    found = {c.key: c for c in clocks.lead_clocks(lead, rules, dt.date(2026, 11, 2))}
    notice = found["notice"]
    assert notice.due == dt.date(2026, 10, 30) and notice.overdue
    assert found["start"].overdue
