"""The pipeline's URLs for the URL walk (tests/test_every_url.py) and sample records of a
target unit: a lead of the unit (in its park) with an overdue clock told, and a planned
project of the unit in an open planning year. The 招商局 and the zone-wide roles see the whole
pipeline, so the samples are not in GET_RECORDS (the 招商局's persona sees them)."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from tuijin.investment.models import ClockAlert, Lead, PlannedProject, PlanningCycle

# Those who may not enter or move leads (inspectors read, liaisons see nothing); people who
# do not handle the sample see it not at all (404).
NOT_PIPELINE_EDITORS = {"duban", "jijian", "qiye", "ziran"}
# The planning cycle and clock rules: 招商局, zone leaders, 督查室, admins.
NOT_PLANNERS = {"jingfa", "jingfa_staff", "chengdong", "ziran", "jijian", "qiye"}
NOT_ASSIGNERS = {"jingfa", "jingfa_staff", "zhaoshang", "chengdong", "ziran", "jijian", "qiye"}
GET_RECORDS: set = set()
_years = itertools.count(2061)


def cases(reads, writes) -> dict:
    return {
        "investment:lead_list": reads(),
        "investment:lead_create": writes(refused={"jijian", "qiye"}),
        "investment:leads_xlsx": reads(),
        "investment:lead_detail": reads("investment_lead"),
        "investment:lead_edit": writes("investment_lead", NOT_PIPELINE_EDITORS),
        "investment:lead_stage": writes("investment_lead", NOT_PIPELINE_EDITORS, post_only=True),
        "investment:lead_follow_up": writes(
            "investment_lead", NOT_PIPELINE_EDITORS, post_only=True
        ),
        "investment:lead_funds": writes("investment_lead", NOT_PIPELINE_EDITORS, post_only=True),
        "investment:lead_notice": writes("investment_lead", NOT_PIPELINE_EDITORS, post_only=True),
        "investment:alert_item": writes("investment_alert", NOT_ASSIGNERS, post_only=True),
        "investment:funnel": reads(),
        "investment:funnel_xlsx": reads(),
        "investment:clock_rules": writes(refused=NOT_PLANNERS),
        "investment:cycle_list": reads(),
        "investment:cycle_create": writes(refused=NOT_PLANNERS),
        "investment:cycle_detail": reads("investment_cycle"),
        "investment:cycle_advance": writes("investment_cycle", NOT_PLANNERS, post_only=True),
        "investment:planned_create": writes("investment_cycle", {"jijian", "qiye"}),
        "investment:planned_detail": reads("investment_planned"),
        "investment:planned_edit": writes("investment_planned", {"jijian", "qiye", "ziran"}),
        "investment:planned_approve": writes("investment_planned", NOT_PLANNERS, post_only=True),
        "investment:planned_update": writes(
            "investment_planned", {"jijian", "qiye", "ziran"}, post_only=True
        ),
    }


def walk_records(unit, project) -> dict:
    today = timezone.localdate()
    lead = Lead.objects.create(
        name=f"{unit.name}招商项目",
        investor_name="走查投资有限公司",
        unit=unit,
        park=project.park,
        received_on=today - dt.timedelta(days=30),
        total_investment=Decimal(1000),
        land_mu=Decimal(10),
    )
    alert = ClockAlert.objects.create(
        lead=lead, clock="respond", due=today - dt.timedelta(days=29), told_on=today
    )
    cycle = PlanningCycle.objects.create(zone=unit.zone, year=next(_years), title="走查年度谋划")
    planned = PlannedProject.objects.create(
        cycle=cycle, name=f"{unit.name}谋划项目", unit=unit, park=project.park
    )
    return {
        "investment_lead": lead,
        "investment_alert": alert,
        "investment_cycle": cycle,
        "investment_planned": planned,
    }
