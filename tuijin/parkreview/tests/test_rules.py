"""The review's rules, as plain functions: the stop proposal (看新不看旧、看大不看小), the
objective points, the trimmed mean and the merge."""

import datetime as dt
from decimal import Decimal

from tuijin.parkreview import rules
from tuijin.parkreview.rules import Candidate, LedgerFacts


def candidate(pk, total, completed, started=None, toured=None, park=1):
    return Candidate(
        project_id=pk,
        park_id=park,
        name=f"项目{pk}",
        code=f"P-{pk:03d}",
        total=Decimal(total),
        completed=Decimal(completed),
        started_on=started,
        toured_in=toured,
    )


def test_the_proposal_looks_at_new_and_large_projects_and_leaves_out_old_and_small():
    q2_2026 = rules.quarter_index(2026, 2)
    q3_2025 = rules.quarter_index(2025, 3)
    projects = [
        candidate(1, 50000, 20000, dt.date(2024, 5, 1)),  # large, continuing
        candidate(2, 8000, 4000, dt.date(2026, 4, 1)),  # small, but started this year
        candidate(3, 90000, 60000, dt.date(2025, 1, 1), toured=q2_2026),  # toured last quarter
        candidate(4, 30000, 3000, dt.date(2026, 2, 1)),  # new, but 10% done: little to see
        candidate(5, 20000, 10000, dt.date(2023, 1, 1), toured=q3_2025),  # toured 4 quarters ago
        candidate(6, 12000, 12000, dt.date(2026, 6, 1)),  # new and done
        candidate(7, 40000, 8000, dt.date(2022, 3, 1)),  # exactly 20%: kept
    ]
    proposal = rules.propose_stops(
        projects, year=2026, quarter=3, per_park=4, exclude_quarters=2, min_share=Decimal(20)
    )[1]
    # New starts of the year first, largest first; then the rest, largest first.
    assert [c.project_id for c, _ in proposal.chosen] == [6, 2, 1, 7]
    assert proposal.chosen[0][1] == "本年新开工,总投资12,000万元"
    assert proposal.chosen[2][1] == "续建大项目,总投资50,000万元"
    left = {c.project_id: why for c, why in proposal.left_out}
    assert left[3] == "近2个季度内已观摩"
    assert left[4] == "累计完成投资仅占总投资10.00%,低于20%"
    assert left[5] == "每个园区观摩4个点,排序在后"  # 4 quarters ago: may be toured again
    assert set(left) == {3, 4, 5}


def test_the_proposal_is_per_park_and_stable():
    projects = [candidate(1, 100, 50, park=1), candidate(2, 100, 50, park=2)]
    proposal = rules.propose_stops(
        projects, year=2026, quarter=3, per_park=1, exclude_quarters=2, min_share=Decimal(0)
    )
    assert [c.project_id for c, _ in proposal[1].chosen] == [1]
    assert [c.project_id for c, _ in proposal[2].chosen] == [2]


def test_route_times_follow_stay_and_travel():
    times = rules.route_times(dt.time(8, 30), 3, 30, 15)
    assert times == [dt.time(8, 30), dt.time(9, 15), dt.time(10, 0)]


def test_objective_points_from_the_ledger():
    facts = LedgerFacts(
        plan=Decimal(12000), completed=Decimal(6300), starts_due=4, started=3,
        green=2, yellow=1, red=1,
    )  # fmt: skip
    result = rules.objective_points(facts, 3, (50, 25, 25))
    # Q3: expected 12000 × 3/4 = 9000; 6300 / 9000 = 70%; starts 3/4 = 75%;
    # lights (2 + 0.5) / 4 = 62.5%. Points: 50×0.70 + 25×0.75 + 25×0.625 = 35 + 18.75 + 15.625
    assert result.plan_rate == Decimal("70.00")
    assert result.start_rate == Decimal("75.00")
    assert result.light_rate == Decimal("62.50")
    assert result.points == Decimal("69.38")  # 69.375 rounded half up
    # Ahead of the plan counts as 100%, nothing due as done.
    ahead = rules.objective_points(
        LedgerFacts(plan=Decimal(100), completed=Decimal(99)), 1, (50, 25, 25)
    )
    assert ahead.points == Decimal("100.00")


def test_trimmed_mean_drops_the_highest_and_lowest_from_five_evaluators():
    totals = [Decimal("92"), Decimal("87.5"), Decimal("95"), Decimal("80"), Decimal("88")]
    trimmed = rules.trimmed_mean(totals, 5)
    assert trimmed.dropped == (2, 3)  # 95 and 80
    assert trimmed.mean == Decimal("89.17")  # (92 + 87.5 + 88) / 3 = 89.1666…
    # Four evaluators: nothing dropped.
    assert rules.trimmed_mean(totals[:4], 5) == rules.Trimmed(Decimal("88.63"))  # 354.5 / 4
    # Equal highest totals: only one of them goes.
    same = rules.trimmed_mean([Decimal(90)] * 2 + [Decimal(70), Decimal(80), Decimal(85)], 5)
    assert same.mean == Decimal("85.00")  # (90 + 80 + 85) / 3


def test_subjective_and_objective_merge_by_the_weight():
    assert rules.merged(Decimal("69.38"), Decimal("89.17"), Decimal(70)) == Decimal("83.23")
    # 89.17 × 0.7 + 69.38 × 0.3 = 62.419 + 20.814 = 83.233
    assert rules.merged(Decimal(60), None, Decimal(70)) == Decimal("60.00")
    assert rules.merged(Decimal(60), Decimal(90), Decimal(100)) == Decimal("90.00")


def test_competition_ranking():
    assert rules.ranks([Decimal(80), Decimal(90), Decimal(80), Decimal(70)]) == [2, 1, 2, 4]
