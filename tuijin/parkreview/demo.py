"""Demo park review (观摩拉练): the last whole quarter's review (Q3 2026 when the demo is loaded
in the fourth quarter of 2026) of the four parks, scored by five evaluators and published,
with its awards and the last park's pledge as a 督办 item.

Through the services, as the 督查室 persona (李敏) would: the review is set up two weeks after
the quarter's end, the evaluators named, the stops proposed by the rule (看新不看旧、看大不看小)
and the route confirmed; on the tour day each evaluator scores each park; the next day the
results are published, the awards given, and the last park's 表态 recorded. Every step runs on
the story's clock (``core.democlock``), so its events carry its day.

The evaluators' points are fixed below (one row per park, one column per criterion). Idempotent:
a review of that quarter that exists is left alone.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from tuijin.core.democlock import story_clock
from tuijin.org.demo import ZONE
from tuijin.org.models import Person, Unit
from tuijin.parkreview import rules, services
from tuijin.parkreview.models import AwardKind, ParkReview, State

ORGANISER = "duban"
EVALUATORS = ["leader", "duban", "jingfa", "zhaoshang", "ziran"]
# Per park, per evaluator (in EVALUATORS' order): points of 项目建设进度 25, 投资完成 20,
# 项目质量与亮点 25, 要素保障 15, 汇报与现场 15.
POINTS = {
    "城东产业园": [[23, 18, 23, 13, 14], [22, 17, 22, 13, 13], [24, 18, 23, 14, 14],
              [21, 16, 21, 12, 13], [24, 19, 24, 14, 14]],
    "青春化工园": [[21, 15, 22, 12, 13], [20, 14, 21, 12, 12], [22, 15, 22, 13, 13],
              [19, 13, 20, 11, 12], [23, 16, 23, 13, 14]],
    "铁北产业园": [[19, 14, 19, 11, 12], [18, 14, 18, 11, 12], [20, 15, 20, 12, 12],
              [17, 13, 18, 10, 11], [20, 15, 21, 12, 13]],
    "府南产业园": [[16, 12, 16, 10, 11], [15, 11, 16, 10, 10], [17, 12, 17, 11, 11],
              [14, 10, 15, 9, 10], [18, 13, 18, 11, 12]],
}  # fmt: skip
NOTES = {
    "城东产业园": "现场施工组织有序,人才公寓地块清表到位,亮点突出。",
    "青春化工园": "重点项目推进较快,电解液项目设备付款进度仍需加快。",
    "铁北产业园": "项目总体平稳,新开工项目偏少。",
    "府南产业园": "项目形象进度滞后,要素保障问题未解决,汇报材料不够扎实。",
}
PLEDGE = (
    "正视差距、知耻后进,一季度内推动负极材料项目主体厂房封顶,"
    "协调解决能耗指标,下次观摩拉练摘掉蜗牛奖。"
)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def load_park_review(units: dict[str, Unit]) -> ParkReview | None:
    AwardKind.ensure_defaults()
    today = timezone.localdate()
    year, quarter = rules.previous_quarter(today)
    zone = units[ZONE]
    existing = ParkReview.objects.filter(zone=zone, year=year, quarter=quarter).first()
    if existing is not None:
        return existing
    users = {u.username: u for u in get_user_model().objects.filter(username__in=EVALUATORS)}
    organiser = users[ORGANISER]
    end = rules.quarter_end(year, quarter)
    tour = min(end + dt.timedelta(days=16), today - dt.timedelta(days=2))
    with story_clock(at(tour - dt.timedelta(days=7), 9)):
        review = services.create_review(
            organiser, year=year, quarter=quarter, title="", tour_date=tour, zone=zone
        )
    with story_clock(at(tour - dt.timedelta(days=7), 10)):
        evaluators = list(Person.objects.filter(user__username__in=EVALUATORS))
        evaluators.sort(key=lambda p: EVALUATORS.index(p.user.username))
        review = services.update_review(
            organiser, review, version=review.version, fields={}, evaluators=evaluators
        )
    with story_clock(at(tour - dt.timedelta(days=6), 9)):
        services.propose_route(organiser, review)
    # A park where the rule finds nothing to see gets its largest site, added by the 督查室.
    review.refresh_from_db()
    bare = [e for e in review.entries.select_related("park") if not e.stops.exists()]
    if bare:
        added = [
            (e, p)
            for e in bare
            if (
                p := e.park.park_projects.exclude(stage="planning")
                .order_by("-total_investment")
                .first()
            )
        ]
        with story_clock(at(tour - dt.timedelta(days=6), 10)):
            services.save_route(organiser, review, version=review.version, rows=[], added=added)
    with story_clock(at(tour - dt.timedelta(days=5), 16)):
        review.refresh_from_db()
        review = services.confirm_route(organiser, review, review.version)
    criteria = list(review.criteria.all())
    entries = {e.park.name: e for e in review.entries.select_related("park", "review")}
    for e, username in enumerate(EVALUATORS):
        for p, (park, table) in enumerate(POINTS.items()):
            entry = entries[park]
            stops = list(entry.stops.order_by("position"))
            with story_clock(at(tour, 11 + p, 10 * e)):
                services.submit_scores(
                    users[username],
                    entry,
                    points={c.pk: Decimal(v) for c, v in zip(criteria, table[e], strict=True)},
                    stop_notes={stops[0].pk: NOTES[park]} if stops else {},
                    remark=NOTES[park] if e == 0 else "",
                )
    with story_clock(at(tour + dt.timedelta(days=1), 10)):
        review.refresh_from_db()
        rows = services.publish_review(organiser, review, review.version)
    last = max(rows, key=lambda r: r.rank).entry
    with story_clock(at(tour + dt.timedelta(days=1), 11)):
        services.record_pledge(
            organiser, last, text=PLEDGE, deadline=rules.quarter_end(*_next(year, quarter))
        )
    review.refresh_from_db()
    assert review.state == State.PUBLISHED
    return review


def _next(year: int, quarter: int) -> tuple[int, int]:
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def summary_line(review: ParkReview | None) -> str:
    if review is None:
        return "观摩拉练:无。"
    first = review.entries.filter(rank=1).select_related("park").first()
    return (
        f"观摩拉练:{review.quarter_label},评委 {review.evaluators.count()} 人,"
        f"流动红旗 {first.park.name if first else '—'}。"
    )
