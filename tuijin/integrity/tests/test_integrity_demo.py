"""The demo's integrity story (``demo.load_integrity``) on the demo zone's people, without the
rest of ``load_demo``: what it makes, on the story's clock, through the services; twice makes
nothing new."""

from django.urls import reverse
from django.utils import timezone

from conftest import login_as
from tuijin.core.models import AuditEvent
from tuijin.integrity import demo
from tuijin.integrity.models import (
    Grade,
    Interference,
    NilReport,
    NilState,
    RiskPoint,
    Talk,
    TalkKind,
    TalkState,
)
from tuijin.org.models import Person, Role


def test_the_demo_tells_the_integrity_story_once(org):
    result = demo.load_integrity(org)
    assert len(result["risks"]) == len(demo.RISKS) == RiskPoint.objects.count()
    heads = Person.objects.filter(role=Role.UNIT_HEAD, is_active=True, unit__in=org.values())
    held = Talk.objects.filter(state=TalkState.DONE)
    assert held.count() == heads.count() + 1  # one talk a head, one collective talk
    collective = held.get(kind=TalkKind.COLLECTIVE)
    assert set(collective.talkees.all()) == set(heads)
    assert {r.grade for r in collective.risk_points.all()} == {Grade.TWO}
    # Each talk is dated in last month and its events carry the story's clock, not today's.
    for talk in held:
        event = AuditEvent.objects.filter(model="integrity.talk", object_id=str(talk.pk)).first()
        assert timezone.localtime(event.created_at).date() == talk.held_on

    reports = result["reports"]
    assert len(reports) == NilReport.objects.count() >= 3
    answered = NilReport.objects.exclude(state=NilState.ASKED)
    assert sorted(r.unit.name for r in answered) == ["城东产业园", "经济发展局"]
    assert [r.late for r in answered.order_by("unit__name")] == [True, False]  # 城东 answered late

    records = result["records"]
    assert sorted(r.late for r in records) == [False, True] and Interference.objects.count() == 2

    line = demo.summary_line(result)
    assert f"风险点 {len(demo.RISKS)} 个" in line and f"谈话 {held.count()} 次" in line
    assert "插手干预记录 2 条" in line

    counts = [m.objects.count() for m in (RiskPoint, Talk, NilReport, Interference)]
    demo.load_integrity(org)
    assert [m.objects.count() for m in (RiskPoint, Talk, NilReport, Interference)] == counts

    page = login_as("jijian").get(reverse("integrity:board"))
    assert page.status_code == 200 and page.context["nil"]["missing"] == len(reports) - 2
