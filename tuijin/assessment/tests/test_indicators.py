"""The rules, checked on a month of records built by hand (factories.build_month), and the
workflow's guarantees: reproducible, frozen once published, appeals and corrections kept."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from tuijin.assessment import services
from tuijin.assessment.models import Appeal, Grade, Period, PeriodState, UnitScore
from tuijin.assessment.services import AssessmentError, save_scheme
from tuijin.assessment.tests.factories import (
    EXPECTED,
    EXPECTED_TOTAL,
    NOVEMBER,
    NOW,
    UNIT,
    build_month,
    enter_month,
    person,
)
from tuijin.org.models import Unit
from tuijin.supervision.models import SupervisionItem, Verification


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def duban():
    return person("duban").user


def computed(period=None):
    period = period or services.open_period(duban(), NOVEMBER)
    return services.compute_period(duban(), period.pk)


def figures(period, unit=UNIT) -> dict:
    score = UnitScore.objects.get(period=period, unit__name=unit)
    return {i.key: i.score for i in score.indicators.all()}


def to_publicity_end(clock, period):
    """Past the 公示's last working day."""
    clock.move_to(
        dt.datetime.combine(
            period.publicity_end + dt.timedelta(days=1), dt.time(9), tzinfo=NOW.tzinfo
        )
    )


def test_every_indicator_of_a_hand_built_month_to_the_decimal(org, clock):
    made = build_month()
    period = services.open_period(duban(), NOVEMBER)
    enter_month(period)
    period = computed(period)

    assert figures(period) == EXPECTED
    score = UnitScore.objects.get(period=period, unit__name=UNIT)
    assert score.total == EXPECTED_TOTAL
    assert score.grade == Grade.PASS  # 60 ≤ 72.86 < 75
    duban_ind = score.indicators.get(key="duban")
    late = [f for f in duban_ind.facts if f["kind"] == "late"]
    assert [f["points"] for f in late] == ["-1.00", "-1.00"]
    assert {f["url"] for f in late} == {
        made["late"].get_absolute_url(),
        made["overdue"].get_absolute_url(),
    }
    assert "逾期办结" in late[0]["text"] and "超期未办结" in late[1]["text"]
    assert [f["points"] for f in duban_ind.facts if f["kind"] == "early"] == ["+1.00"]
    truth = score.indicators.get(key="truth")
    assert sorted(f["points"] for f in truth.facts if f["points"]) == ["-1.00", "-2.00"]
    # Cadre level: 刘洋 wrote all four logs (one late) and was found untrue once.
    cadres = {c["name"]: c for c in score.cadres}
    assert cadres["刘洋"] | {} == {
        "name": "刘洋",
        "owed": 4,
        "submitted": 4,
        "on_time": 3,
        "verified": {"true": 1, "partly": 1, "untrue": 1},
    }
    assert (cadres["张强"]["owed"], cadres["张强"]["submitted"]) == (3, 2)


def test_a_unit_without_records_gets_full_marks_and_is_never_on_the_black_list(org, clock):
    build_month()
    period = computed()
    empty = UnitScore.objects.get(period=period, unit__name="财政局")
    assert empty.total == Decimal("95.00") and empty.met_all_targets
    assert not empty.on_black_list
    jingfa = UnitScore.objects.get(period=period, unit__name=UNIT)
    assert jingfa.on_black_list and not jingfa.met_all_targets


def test_recomputing_the_same_records_gives_the_same_figures(org, clock):
    build_month()
    period = services.open_period(duban(), NOVEMBER)
    enter_month(period)

    def state():
        return sorted(
            (s.unit.name, s.total, s.rank, s.grade, i.key, i.score, i.summary, str(i.facts))
            for s in UnitScore.objects.filter(period=period).select_related("unit")
            for i in s.indicators.all()
        )

    computed(period)
    first = state()
    clock.shift(dt.timedelta(hours=5))
    computed(period)
    assert state() == first
    assert len(first) >= 6 * 14


def test_rating_counts_when_the_scheme_weighs_it(org, clock):
    build_month()
    values = services.default_values() | {"weight_rating": Decimal(10), "weight_duban": Decimal(20)}
    save_scheme(duban(), "department", values, effective_from=NOVEMBER)
    period = services.open_period(duban(), NOVEMBER)
    unit = Unit.objects.get(name=UNIT)
    services.rate_units(person("leader").user, period.pk, {unit: (Decimal("82.5"), "扎实")})
    with pytest.raises(PermissionDenied):
        services.rate_units(person("jingfa").user, period.pk, {unit: (Decimal(100), "")})
    period = computed(period)
    assert figures(period)["rating"] == Decimal("8.25")  # 10 × 82.5 / 100
    assert figures(period)["duban"] == Decimal("19.00")  # 20 − 1 − 1 + 1
    assert period.schemes["department"]["version"] == 1


def publish(clock, period):
    period = services.start_publicity(duban(), period.pk)
    assert period.publicity_end == dt.date(2026, 12, 8)  # 3 working days after Thu 3 Dec
    with pytest.raises(AssessmentError):
        services.publish(duban(), period.pk)  # 公示 not over
    to_publicity_end(clock, period)
    return services.publish(duban(), period.pk)


def test_a_published_month_is_frozen(org, clock):
    made = build_month()
    period = computed()
    publish(clock, period)
    before = {s.unit.name: (s.total, figures(period, s.unit.name)) for s in period.scores.all()}

    # Later edits of records and of the scheme …
    SupervisionItem.objects.filter(pk=made["overdue"].pk).update(
        state="closed", closed_on=dt.date(2026, 11, 20), closed_on_time=True
    )
    Verification.objects.filter(result="untrue").update(result="true")
    values = services.default_values() | {"weight_duban": Decimal(50), "late_item_points": 5}
    save_scheme(duban(), "department", values, effective_from=NOVEMBER)
    with pytest.raises(AssessmentError):
        services.compute_period(duban(), period.pk)

    # … change nothing of the published month.
    period.refresh_from_db()
    after = {s.unit.name: (s.total, figures(period, s.unit.name)) for s in period.scores.all()}
    assert after == before
    assert Decimal(period.schemes["department"]["weight_duban"]) == 30
    # While a month still in draft is computed with the new version and the new records.
    december = services.open_period(duban(), dt.date(2026, 12, 1))
    assert services.compute_period(duban(), december.pk).schemes["department"]["version"] == 1
    assert period.schemes["department"]["version"] == 0  # the defaults, no scheme saved then


def test_an_upheld_appeal_changes_the_figure_and_keeps_the_reason(org, clock):
    build_month()
    period = services.start_publicity(duban(), computed().pk)
    jingfa = UnitScore.objects.get(period=period, unit__name=UNIT)
    indicator = jingfa.indicators.get(key="duban")
    # Only the unit's head appeals: not its staff, not another unit's head.
    for username in ("jingfa_staff", "chengdong", "duban"):
        with pytest.raises(PermissionDenied):
            services.file_appeal(person(username).user, indicator.pk, reason="不服")
    appeal = services.file_appeal(person("jingfa").user, indicator.pk, reason="超期事项已获延期")
    refused = services.file_appeal(
        person("jingfa").user, jingfa.indicators.get(key="truth").pk, reason="核查有误"
    )
    with pytest.raises(PermissionDenied):
        services.decide_appeal(
            person("jingfa").user, appeal.pk, upheld=True, decision="x", new_score=Decimal(30)
        )
    services.decide_appeal(
        duban(), appeal.pk, upheld=True, decision="延期已批准,不计逾期", new_score=Decimal(30)
    )
    services.decide_appeal(duban(), refused.pk, upheld=False, decision="核查属实无误")

    indicator.refresh_from_db()
    jingfa.refresh_from_db()
    assert (indicator.computed, indicator.score) == (Decimal("29.00"), Decimal("30.00"))
    assert "延期已批准,不计逾期" in indicator.note
    # 70.86 (no bonus or penalty entered here: only the absence, −0.5) + 1
    assert jingfa.total == Decimal("71.86")
    assert figures(period)["truth"] == EXPECTED["truth"]
    appeal.refresh_from_db()
    assert (appeal.status, appeal.old_score, appeal.new_score) == (
        Appeal.Status.UPHELD,
        Decimal("29.00"),
        Decimal("30.00"),
    )
    # Published with the appeal's figure.
    to_publicity_end(clock, period)
    services.publish(duban(), period.pk)
    assert figures(period)["duban"] == Decimal("30.00")


def test_a_correction_after_publishing_is_a_visible_revision(org, clock):
    build_month()
    period = publish(clock, computed())
    indicator = UnitScore.objects.get(period=period, unit__name=UNIT).indicators.get(key="truth")
    with pytest.raises(AssessmentError):
        services.correct_score(duban(), indicator.pk, new_score=Decimal(9), reason="")
    revision = services.correct_score(
        duban(), indicator.pk, new_score=Decimal(9), reason="核查结论复核为部分属实"
    )
    period.refresh_from_db()
    assert (period.revision, revision.number) == (1, 1)
    assert revision.changes == [
        {"unit": UNIT, "indicator": "核查属实", "old": "7.00", "new": "9.00"}
    ]
    assert UnitScore.objects.get(period=period, unit__name=UNIT).total == Decimal("72.86")


def test_a_veto_puts_the_unit_last_and_bars_awards_for_the_year(org, clock):
    build_month()
    october = services.open_period(duban(), dt.date(2026, 10, 1))
    services.set_veto(duban(), october.pk, unit=Unit.objects.get(name="财政局"), reason="安全事故")
    computed(october)
    vetoed = UnitScore.objects.get(period=october, unit__name="财政局")
    others = UnitScore.objects.filter(period=october, unit_class="department").exclude(pk=vetoed.pk)
    assert vetoed.vetoed and vetoed.grade == Grade.FAIL and not vetoed.on_red_list
    assert vetoed.rank == others.count() + 1
    assert vetoed.on_black_list and not vetoed.met_all_targets
    november = computed()
    again = UnitScore.objects.get(period=november, unit__name="财政局")
    assert again.award_blocked and not again.vetoed and not again.on_red_list
    assert again.rank == 1


def test_only_the_supervisors_run_the_month(org, clock):
    period = services.open_period(duban(), NOVEMBER)
    for username in ("leader", "jingfa", "jijian"):
        with pytest.raises(PermissionDenied):
            services.compute_period(person(username).user, period.pk)
    assert Period.objects.get(pk=period.pk).state == PeriodState.DRAFT
    with pytest.raises(AssessmentError):
        services.open_period(duban(), dt.date(2027, 1, 1))


def test_recomputing_replaces_the_figures_in_queries_that_do_not_grow_with_units(org, clock):
    """The last computation's scores, indicators and appeals are deleted in bulk, each
    deletion audited (was one delete() per unit and per indicator: ~4,900 queries for 200)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tuijin.assessment.tests.test_views import extra_units
    from tuijin.core.models import AuditEvent

    build_month()
    period = computed()
    indicator = UnitScore.objects.get(period=period, unit__name=UNIT).indicators.first()
    appeal = Appeal.objects.create(
        indicator=indicator, filed_by=person("jingfa"), filed_at=NOW, reason="已按期反馈",
        old_score=indicator.score,
    )  # fmt: skip
    computed(period)  # deletes the appeal with the figures it was about
    # Like with like: neither of the two measured recomputations has an appeal to delete (on
    # PostgreSQL an empty deletion sends no query).
    with CaptureQueriesContext(connection) as small:
        computed(period)
    extra_units(6)
    computed(period)
    old = {s.pk: s.unit.name for s in period.scores.select_related("unit")}
    with CaptureQueriesContext(connection) as large:
        computed(period)
    assert len(old) >= 20
    # Six more units add no query per unit (was ~24 each); SQLite may split a bulk statement
    # at its variable limit, which is one more batch, not one per row.
    assert len(large) - len(small) <= 1
    assert not UnitScore.objects.filter(pk__in=old).exists()
    assert not Appeal.objects.filter(pk=appeal.pk).exists()
    deleted = AuditEvent.objects.filter(
        model="assessment.unitscore", object_id__in=[str(pk) for pk in old]
    ).filter(changes__has_key="total")
    assert deleted.count() == 2 * len(old)  # created, then deleted
    assert (
        AuditEvent.objects.filter(model="assessment.appeal", object_id=str(appeal.pk)).count() == 2
    )
