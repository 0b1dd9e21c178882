"""企业诉求 (R15 item 13) as an indicator of the month: resolution and satisfaction rates of the
requests each unit handled, improper withdrawals against it; off (weight 0) unless a scheme
version weighs it, so the versions saved before it keep their totals."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from openpyxl import load_workbook

from tuijin.assessment import services
from tuijin.assessment.documents import bulletin_docx
from tuijin.assessment.exports import scores_xlsx
from tuijin.assessment.indicators import Rules, gather, requests_indicator, unit_indicators
from tuijin.assessment.models import UnitScore
from tuijin.assessment.services import save_scheme
from tuijin.assessment.tests.factories import NOVEMBER, NOW, TZ, UNIT, person
from tuijin.enterprise_requests.models import CheckResult, EnterpriseRequest, State
from tuijin.enterprise_requests.tests.factories import make_enterprise
from tuijin.org.models import Unit


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def duban():
    return person("duban").user


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


def weigh_requests() -> None:
    """A department scheme weighing 企业诉求 10 (问题解决 20 → 10: still 95 and ±5)."""
    values = services.default_values() | {
        "weight_requests": Decimal(10),
        "weight_problems": Decimal(10),
    }
    save_scheme(duban(), "department", values, effective_from=NOVEMBER)


def make_request(enterprise, unit_name=UNIT, *, text, state, resolve_due, **fields):
    raised = d(10, 20)
    return EnterpriseRequest.objects.create(
        enterprise=enterprise,
        category="power",
        description=text,
        raised_by=person("qiye"),
        raised_at=dt.datetime.combine(raised, dt.time(9), tzinfo=TZ),
        raised_on=raised,
        accept_due=raised,
        answer_due=raised,
        resolve_due=resolve_due,
        unit=Unit.objects.get(name=unit_name),
        state=state,
        **fields,
    )


def rated(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(15), tzinfo=TZ)


def build_requests() -> dict:
    """经济发展局's requests around November (and one of another unit)."""
    e = make_enterprise()
    made = {}
    resolved = State.RESOLVED
    made["a"] = make_request(
        e, text="用电增容", state=resolved, resolve_due=d(11, 30), closed_on=d(11, 10),
        satisfaction="satisfied", rated_at=rated(d(11, 10)),
    )  # fmt: skip
    made["b"] = make_request(
        e, text="用地报批", state=resolved, resolve_due=d(11, 30), closed_on=d(11, 20),
        satisfaction="unsatisfied", rated_at=rated(d(11, 21)),
    )  # fmt: skip
    # Resolved in November, rated in December: the rating is December's.
    made["c"] = make_request(
        e, text="融资对接", state=resolved, resolve_due=d(11, 30), closed_on=d(11, 25),
        satisfaction="basic", rated_at=rated(d(12, 1)),
    )  # fmt: skip
    made["overdue"] = make_request(e, text="用工招聘", state=State.HANDLING, resolve_due=d(11, 25))
    made["improper"] = make_request(
        e, text="物流通道", state=State.WITHDRAWN, resolve_due=d(11, 30), closed_on=d(11, 15),
        withdrawn_on_suggestion=True, check_result=CheckResult.IMPROPER,
    )  # fmt: skip
    # Do not count: withdrawn of its own wish, not yet due, answered (the enterprise's turn),
    # another unit's.
    make_request(
        e, text="政策兑现", state=State.WITHDRAWN, resolve_due=d(11, 30), closed_on=d(11, 16),
        withdrawn_on_suggestion=True, check_result=CheckResult.GENUINE,
    )  # fmt: skip
    make_request(e, text="审批提速", state=State.HANDLING, resolve_due=d(12, 20))
    make_request(e, text="等待确认", state=State.ANSWERED, resolve_due=d(11, 20))
    make_request(e, "财政局", text="别的单位", state=State.HANDLING, resolve_due=d(11, 5))
    # Resolved in October, rated (基本满意) in November: November's rating.
    made["h"] = make_request(
        e, text="十月解决", state=resolved, resolve_due=d(10, 31), closed_on=d(10, 30),
        satisfaction="basic", rated_at=rated(d(11, 2)),
    )  # fmt: skip
    return made


def indicator_of(period, unit=UNIT):
    return UnitScore.objects.get(period=period, unit__name=unit).indicators.get(key="requests")


def test_requests_indicator_of_hand_built_requests_to_the_decimal(org, clock):
    made = build_requests()
    weigh_requests()
    period = services.open_period(duban(), NOVEMBER)
    period = services.compute_period(duban(), period.pk)

    found = indicator_of(period)
    # Resolution: 3 resolved of 5 owed (3 resolved + 1 past its clock + 1 improper withdrawal);
    # satisfaction: 2 of 3 rated in November (满意, 基本满意; 不满意). 10 × ½ × 3/5 + 10 × ½ × 2/3
    assert (found.weight, found.score) == (Decimal("10.00"), Decimal("6.33"))
    assert found.name == "企业诉求"
    assert found.summary == (
        "本月应解决企业诉求5件,已解决3件,超期未办结1件,不当劝撤1件;企业评价3件,满意或基本满意2件"
    )
    kinds = {}
    for f in found.facts:
        kinds.setdefault(f["kind"], set()).add(f["url"])
    url = EnterpriseRequest.get_absolute_url
    assert kinds == {
        "resolved": {url(made[k]) for k in "abc"},
        "overdue": {url(made["overdue"])},
        "improper": {url(made["improper"])},
        "satisfied": {url(made["a"]), url(made["h"])},
        "unsatisfied": {url(made["b"])},
    }
    improper = next(f for f in found.facts if f["kind"] == "improper")
    assert "不当劝撤" in improper["text"] and improper["day"] == "2026-11-15"
    score = UnitScore.objects.get(period=period, unit__name=UNIT)
    assert not score.met_all_targets
    # The other unit's overdue request is its own: 0 resolved of 1, nothing rated.
    assert indicator_of(period, "财政局").score == Decimal("5.00")
    # The .xlsx has its column (the outputs enumerate the indicators computed).
    out = io.BytesIO()
    scores_xlsx(period, out)
    rows = list(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(values_only=True))
    header = next(r for r in rows if "企业诉求" in r)
    row = next(r for r in rows if UNIT in r)
    assert row[header.index("企业诉求")] in ("6.33", 6.33)
    # The bulletin names it among the records the month was assessed on.
    out = io.BytesIO()
    bulletin_docx(period, out)
    text = "\n".join(p.text for p in Document(io.BytesIO(out.getvalue())).paragraphs)
    assert "现场核查和企业诉求办理等平台记录" in text


def test_a_unit_without_requests_gets_full_marks_for_them(org, clock):
    weigh_requests()
    period = services.compute_period(duban(), services.open_period(duban(), NOVEMBER).pk)
    found = indicator_of(period)
    assert (found.score, found.weight) == (Decimal("10.00"), Decimal("10.00"))
    assert found.summary == "本月无承办的企业诉求,按满分计" and found.facts == []
    assert UnitScore.objects.get(period=period, unit__name="财政局").total == Decimal("95.00")


def test_off_by_default_and_for_months_kept_before_it(org, clock):
    """The default scheme (and a month's snapshot saved before the indicator existed) does
    not weigh it: no 企业诉求 figure, totals as before."""
    build_requests()
    period = services.compute_period(duban(), services.open_period(duban(), NOVEMBER).pk)
    score = UnitScore.objects.get(period=period, unit__name="财政局")
    assert not score.indicators.filter(key="requests").exists()
    assert score.total == Decimal("95.00")
    old = services.scheme_snapshot(None)
    del old["weight_requests"], old["request_satisfaction_share"]
    unit = Unit.objects.get(name=UNIT)
    data = gather([unit], NOVEMBER, NOW)
    keys = [i.key for i in unit_indicators(Rules(old), data, unit.pk)[0]]
    assert "requests" not in keys and len(keys) == 6
    assert requests_indicator(Rules(old), [], d(11, 1), d(11, 30), d(12, 3)).weight == 0


def test_computing_reads_the_requests_in_queries_that_do_not_grow_with_them(org, clock):
    weigh_requests()
    make_enterprise()  # a project already (an empty project list skips its lights' query)
    period = services.compute_period(duban(), services.open_period(duban(), NOVEMBER).pk)
    services.compute_period(duban(), period.pk)
    with CaptureQueriesContext(connection) as without:
        services.compute_period(duban(), period.pk)
    build_requests()
    build_requests()
    services.compute_period(duban(), period.pk)
    with CaptureQueriesContext(connection) as with_requests:
        services.compute_period(duban(), period.pk)
    assert indicator_of(period).score < Decimal(10)
    assert len(with_requests) == len(without)
