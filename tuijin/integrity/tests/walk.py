"""Integrity in the URL walk (tests/test_every_url.py): the sample records of a unit, how each
URL is classified, and the walk's own check that no integrity page opens to anyone but the
zone's inspectors and leaders (a person's own talk, their unit's nil report and the
interference they recorded aside: R15 item 10)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from conftest import login_as
from tuijin.integrity.models import (
    Interference,
    NilReport,
    RiskPoint,
    Stage,
    Talk,
    TalkKind,
    TalkState,
)
from tuijin.org.models import Person, Role

PERSONAS = ["leader", "duban", "jingfa", "jingfa_staff", "zhaoshang", "chengdong", "ziran",
            "jijian", "qiye", "admin"]  # fmt: skip
READERS = {"leader", "jijian"}
KEEPERS = {"jijian"}
NOT_KEEPERS = set(PERSONAS) - KEEPERS
NOT_OFFICIALS = {"qiye", "admin"}
HEADS = {"chengdong", "jingfa"}  # heads of the walk's two target units


def walk_records(unit, project) -> dict:
    """A due talk of the unit (the project about to start), a held talk with its head, a risk
    point, an interference its head recorded, and its nil report of a past quarter."""
    head = Person.objects.filter(unit=unit, role=Role.UNIT_HEAD).exclude(user=None).first()
    jijian = Person.objects.get(user__username="jijian")
    today = timezone.localdate()
    risk = RiskPoint.objects.create(
        unit=unit, stage=Stage.TENDER, title="围标串标", measures="会审", created_by=jijian
    )
    due = Talk.objects.create(
        unit=unit,
        kind=TalkKind.PROJECT_START,
        due_date=today,
        project=project,
        trigger_note="项目即将开工",
    )
    held = Talk.objects.create(
        unit=unit, kind=TalkKind.REMINDER, state=TalkState.DONE, held_on=today, talker=jijian
    )
    held.talkees.set([head])
    held.risk_points.set([risk])
    interference = Interference.objects.create(
        unit=unit,
        recorded_by=head,
        recorded_at=timezone.now(),
        occurred_on=today,
        deadline=today + dt.timedelta(days=3),
        intervener="某干部",
        matter="打招呼",
        response="拒绝",
    )
    report = NilReport.objects.create(
        unit=unit,
        year=2019 + len(unit.name),
        quarter=4,
        due_date=today,
        asked_by=jijian,
    )
    return {
        "integrity_due_talk": due,
        "integrity_talk": held,
        "integrity_risk": risk,
        "integrity_interference": interference,
        "integrity_nil": report,
    }


def cases(reads, writes) -> dict:
    """The walk's classification of every integrity URL (``reads``/``writes`` of the walk)."""
    return {
        "integrity:board": reads(),
        "integrity:mine": reads(),
        "integrity:talk_list": reads(),
        "integrity:talk_add": writes(refused=NOT_KEEPERS),
        "integrity:talk_plan": writes(refused=NOT_KEEPERS),
        "integrity:talk_detail": reads("integrity_talk"),
        "integrity:talk_docx": reads("integrity_talk"),
        "integrity:talk_record": writes("integrity_due_talk", NOT_KEEPERS),
        "integrity:risk_list": reads(),
        "integrity:risk_add": writes(refused=NOT_KEEPERS),
        "integrity:risk_detail": reads("integrity_risk"),
        "integrity:risk_update": writes("integrity_risk", NOT_KEEPERS),
        "integrity:interference_list": reads(),
        "integrity:interference_add": writes(refused=NOT_OFFICIALS),
        "integrity:interference_detail": reads("integrity_interference"),
        "integrity:nil_list": reads(),
        "integrity:nil_ask": writes(refused=NOT_KEEPERS, post_only=True),
        "integrity:nil_detail": reads("integrity_nil"),
        "integrity:nil_submit": writes("integrity_nil", set(PERSONAS) - HEADS, post_only=True),
    }


# What each persona may open besides the readers' everything, for the chengdong records:
# their own pages (mine, the interference form), and chengdong's own talk and nil report and
# the interference chengdong recorded.
OWN_PAGES = {"integrity:mine", "integrity:interference_add"}
OWN_RECORDS = {
    "integrity:talk_detail",
    "integrity:talk_docx",
    "integrity:interference_detail",
    "integrity:nil_detail",
}


def check_pages(records: dict, username: str, cases: dict, url_args) -> list[str]:
    """GET every integrity page as ``username``: the readers open all; the others only their
    own; a list or register is 403 and another's record 404 for everyone else. ``cases`` and
    ``url_args`` are the walk's."""
    client = login_as(username)
    wrong = []
    for name, case in cases.items():
        if not name.startswith("integrity:") or case.post_only:
            continue
        url = reverse(name, args=url_args(records[case.record]) if case.record else [])
        status = client.get(url).status_code
        if username in READERS:
            writes = name.endswith(("_add", "_plan", "_record", "_update"))
            allowed = username in KEEPERS or name in OWN_PAGES or not writes
            expected = {200} if allowed else {403}
        elif username in NOT_OFFICIALS:
            expected = {404} if case.record else {403}
        elif name in OWN_PAGES or (name in OWN_RECORDS and username == "chengdong"):
            expected = {200}
        else:
            expected = {404} if case.record else {403}
        if status not in expected:
            wrong.append(f"{name} as {username}: {status}, expected {sorted(expected)}")
    return wrong
