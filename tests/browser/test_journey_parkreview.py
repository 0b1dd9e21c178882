"""A13 quarterly park review at 390 × 844: five evaluators score the quarter's tour; two of them
score 城东产业园 on their phones stop by stop, one losing the connection mid-form (the draft
survives and is sent once back online); the highest and lowest totals are dropped as computed
here by hand; the 督查室 publishes and the 流动红旗 goes to the first park."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT, shoot
from tuijin.org.models import Person
from tuijin.parkreview import services
from tuijin.parkreview.models import ParkReview, ScoreSheet
from tuijin.parkreview.tests.factories import user

pytestmark = pytest.mark.browser

EVALUATORS = ["leader", "duban", "ziran", "jingfa", "zhaoshang"]
# 城东产业园, by criterion (25, 20, 25, 15, 15): leader 90, duban 86, ziran 93 (entered before),
# jingfa 88 and zhaoshang 78 (on their phones).
BEFORE = {
    "leader": [23, 18, 23, 13, 13],
    "duban": [22, 17, 22, 13, 12],
    "ziran": [24, 19, 24, 13, 13],
}
ON_PHONES = {"jingfa": ["23", "18", "22", "13", "12"], "zhaoshang": ["20", "15", "20", "12", "11"]}
OTHERS = [Decimal("12.5"), Decimal(10), Decimal("12.5"), Decimal("7.5"), Decimal("7.5")]  # 50


def quarter_review() -> ParkReview:
    """The fourth quarter's review, set up by the 督查室 and its route confirmed."""
    duban = user("duban")
    review = services.create_review(
        duban, year=2026, quarter=4, title="", tour_date=dt.date(2026, 12, 20)
    )
    people = sorted(
        Person.objects.filter(user__username__in=EVALUATORS),
        key=lambda p: EVALUATORS.index(p.user.username),
    )
    review = services.update_review(
        duban, review, version=review.version, fields={"exclude_quarters": 0}, evaluators=people
    )
    services.propose_route(duban, review)
    review.refresh_from_db()
    bare = [e for e in review.entries.select_related("park") if not e.stops.exists()]
    added = [(e, e.park.park_projects.order_by("-total_investment").first()) for e in bare]
    review = services.save_route(duban, review, version=review.version, rows=[], added=added)
    return services.confirm_route(duban, review, review.version)


def scores(review, username, park, points):
    criteria = list(review.criteria.all())
    entry = review.entries.select_related("review").get(park__name=park)
    services.submit_scores(
        user(username),
        entry,
        points={c.pk: Decimal(p) for c, p in zip(criteria, points, strict=True)},
    )


def test_evaluators_score_on_phones_and_the_red_flag_goes_to_the_first(demo, live_server, session):
    review = quarter_review()
    for username in EVALUATORS:
        for park in ("青春化工园", "铁北产业园", "府南产业园"):
            scores(review, username, park, OTHERS)
    for username, points in BEFORE.items():
        scores(review, username, "城东产业园", points)
    entry = review.entries.get(park__name="城东产业园")
    stops = list(entry.stops.select_related("project").order_by("position"))
    assert len(stops) >= 2

    # 张强 (经济发展局) scores 城东产业园 stop by stop; the connection drops as he submits.
    jingfa = session("jingfa", phone=True)
    jingfa.goto(f"{live_server.url}/parkreview/{review.pk}/")
    jingfa.locator(".score-link", has_text="城东产业园").click()
    expect(jingfa.locator("#score-park")).to_have_text("城东产业园")
    for n, stop in enumerate(stops, start=1):
        expect(jingfa.locator("#step-label")).to_have_text(f"第{n}站 / 共{len(stops)}站")
        expect(jingfa.locator(f"#step-{n}")).to_contain_text(stop.project.name)
        expect(
            jingfa.locator(f"#step-{n + 1}" if n < len(stops) else "#step-points")
        ).to_be_hidden()
        jingfa.fill(f"#step-{n} textarea", f"第{n}站:现场施工有序")
        jingfa.click("#step-next")
    expect(jingfa.locator("#step-points")).to_be_visible()
    expect(jingfa.locator("#step-1")).to_be_hidden()
    fields = jingfa.locator("#step-points input[name^=points_]")
    for i, value in enumerate(ON_PHONES["jingfa"]):
        fields.nth(i).fill(value)
    jingfa.fill("#id_remark", "亮点突出,要素保障仍需加强。")
    expect(jingfa.locator("#score-total")).to_have_text("88")
    shoot(jingfa, path=str(OUTPUT / "parkreview-score-phone.png"), full_page=True)
    jingfa.context.set_offline(True)
    jingfa.click("#submit-scores", no_wait_after=True)
    jingfa.wait_for_timeout(1_000)  # the browser shows its "no connection" page
    assert not ScoreSheet.objects.filter(entry=entry, evaluator__user__username="jingfa").exists()
    jingfa.context.set_offline(False)
    jingfa.goto(f"{live_server.url}/parkreview/parks/{entry.pk}/score/")
    expect(jingfa.locator("#draft-restored")).to_be_visible()
    expect(jingfa.locator("#step-points")).to_be_visible()  # back where he was
    expect(fields.nth(4)).to_have_value("12")
    expect(jingfa.locator("#id_remark")).to_have_value("亮点突出,要素保障仍需加强。")
    jingfa.click("#step-prev")
    expect(jingfa.locator(f"#step-{len(stops)} textarea")).to_have_value(
        f"第{len(stops)}站:现场施工有序"
    )
    jingfa.click("#step-next")
    jingfa.click("#submit-scores")
    expect(jingfa.locator("#sheet-total")).to_have_text("88")
    sheet = ScoreSheet.objects.get(entry=entry, evaluator__user__username="jingfa")
    assert sheet.stop_notes[str(stops[0].pk)] == "第1站:现场施工有序"
    jingfa.goto(f"{live_server.url}/parkreview/parks/{entry.pk}/score/")  # the draft went with it
    expect(jingfa.locator("#draft-restored")).to_be_hidden()

    # 陈晨 (招商局) scores the same park without trouble; he sees only his own sheet.
    zhaoshang = session("zhaoshang", phone=True)
    zhaoshang.goto(f"{live_server.url}/parkreview/parks/{entry.pk}/score/")
    for _ in stops:
        zhaoshang.click("#step-next")
    fields = zhaoshang.locator("#step-points input[name^=points_]")
    for i, value in enumerate(ON_PHONES["zhaoshang"]):
        fields.nth(i).fill(value)
    zhaoshang.click("#submit-scores")
    expect(zhaoshang.locator("#sheet-total")).to_have_text("78")
    response = zhaoshang.goto(f"{live_server.url}/parkreview/sheets/{sheet.pk}/")
    assert response.status == 404  # 张强's sheet

    # Five evaluators: 90, 86, 93, 88, 78; 93 and 78 are dropped; (90 + 86 + 88) / 3 = 88.00.
    totals = sorted(
        ScoreSheet.objects.filter(entry=entry).values_list("total", flat=True), reverse=True
    )
    assert totals == [93, 90, 88, 86, 78]
    by_hand = (Decimal(90) + Decimal(86) + Decimal(88)) / 3
    assert f"{by_hand:.2f}" == "88.00"

    # The 督查室 publishes on the phone; the 流动红旗 goes to the first park.
    duban = session("duban", phone=True)
    duban.goto(f"{live_server.url}/parkreview/{review.pk}/")
    duban.click("#publish-review")
    first = duban.locator("#ranking .rank-row").first
    expect(first).to_contain_text("城东产业园")
    expect(first.locator("td").first).to_have_text("1")
    expect(first.locator("td").nth(3)).to_have_text("88.00")
    expect(first.locator(".award-cell")).to_have_text("流动红旗")
    expect(duban.locator("#ranking .rank-row").last.locator(".award-cell")).to_contain_text(
        "蜗牛奖"
    )
    shoot(duban, path=str(OUTPUT / "parkreview-results-phone.png"), full_page=True)
    review.refresh_from_db()
    assert review.awards.get(kind__name="流动红旗").entry == entry
