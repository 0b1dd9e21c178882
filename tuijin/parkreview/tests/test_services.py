"""The review's verbs and pages: scoring with five evaluators, publishing (the 流动红旗 to the
first park), the pledge as a 督办 item, who sees what, and the pages' query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import login_as
from tuijin.core.models import AuditEvent
from tuijin.parkreview import queries, services
from tuijin.parkreview.models import Award, ParkReview, ScoreSheet, State
from tuijin.parkreview.tests.factories import (
    EVALUATORS,
    PARKS,
    entry_of,
    make_review,
    score,
    site,
    unit,
    user,
)
from tuijin.supervision.models import SupervisionItem

# Points per criterion (项目建设进度 25, 投资完成 20, 项目质量与亮点 25, 要素保障 15, 汇报与现场 15)
# of 城东产业园 by the five evaluators: totals 92, 87.5, 95, 80, 88.
CHENGDONG = [
    [23, 18, 23, 14, 14],
    [22, 17, 22, 13, 13.5],
    [24, 19, 24, 14, 14],
    [20, 16, 20, 12, 12],
    [22, 18, 22, 13, 13],
]
OTHERS = {"青春化工园": 80, "铁北产业园": 72, "府南产业园": 60}


def even(total) -> list:
    """Points adding up to `total`, in proportion to the weights (25, 20, 25, 15, 15)."""
    return [Decimal(total) * w / 100 for w in (25, 20, 25, 15, 15)]


@pytest.fixture
def review(org):
    return make_review()


def score_all(review):
    for username, points in zip(EVALUATORS, CHENGDONG, strict=True):
        score(review, "城东产业园", username, points)
    for park, total in OTHERS.items():
        for username in EVALUATORS:
            score(review, park, username, even(total))


def test_the_route_proposes_one_stop_per_park_with_times(review):
    stops = list(review.stops.select_related("entry__park").order_by("position"))
    assert [s.entry.park.name for s in stops] == PARKS
    assert [s.arrive_at for s in stops] == [
        dt.time(8, 30), dt.time(9, 15), dt.time(10, 0), dt.time(10, 45)
    ]  # fmt: skip
    assert stops[0].reason == "本年新开工,总投资10,000万元"


def test_a_project_toured_last_quarter_is_not_proposed_again(org):
    q3 = make_review(quarter=3)
    score_all(q3)
    services.publish_review(user("duban"), q3, ParkReview.objects.get(pk=q3.pk).version)
    toured = set(q3.stops.values_list("project_id", flat=True))
    fresh = site("城东产业园", "城东新项目", total=20000, done=8000)
    q4 = services.create_review(
        user("duban"), year=2026, quarter=4, title="", tour_date=dt.date(2026, 12, 20)
    )
    services.propose_route(user("duban"), q4)
    proposed = set(q4.stops.values_list("project_id", flat=True))
    assert proposed == {fresh.pk}  # the other parks have only toured projects
    assert not toured & proposed


def test_the_trimmed_mean_of_five_evaluators_and_the_merge(review):
    score_all(review)
    row = next(r for r in queries.results(review) if r.entry.park.name == "城东产业园")
    # By hand: totals 92, 87.5, 95, 80, 88; 95 and 80 dropped; (92 + 87.5 + 88) / 3 = 89.17.
    assert sorted(t for _, t in row.totals) == [80, Decimal("87.5"), 88, 92, 95]
    assert row.subjective == Decimal("89.17")
    dropped = {s.evaluator.user.username for s, _ in row.totals if s.pk in row.dropped}
    assert dropped == {"zhaoshang", "jingfa"}  # 80 and 95
    # The ledger: one site, started this year, 5,000 of 10,000 done, no annual plan (100%),
    # green: 100 objective points. 89.17 × 70% + 100 × 30% = 62.419 + 30 = 92.42.
    assert row.objective.points == Decimal("100.00")
    assert row.final == Decimal("92.42")
    # Reproducible: the same records give the same figures.
    again = next(r for r in queries.results(review) if r.entry.park.name == "城东产业园")
    assert (again.subjective, again.final, again.dropped) == (
        row.subjective,
        row.final,
        row.dropped,
    )


def test_publishing_gives_the_red_flag_to_the_first_park_and_freezes_the_figures(review):
    score_all(review)
    rows = services.publish_review(user("duban"), review, review.version)
    assert [r.entry.park.name for r in rows] == ["城东产业园", *OTHERS]
    review.refresh_from_db()
    assert review.state == State.PUBLISHED
    awards = {a.kind.name: a.entry.park.name for a in Award.objects.filter(review=review)}
    assert awards == {"流动红旗": "城东产业园", "蜗牛奖": "府南产业园"}
    first = entry_of(review, "城东产业园")
    assert (first.rank, first.final, first.subjective) == (1, Decimal("92.42"), Decimal("89.17"))
    assert AuditEvent.objects.filter(model="parkreview.award", action="publish_review").count() == 2
    # A later change of the ledger leaves the published figures as they were.
    site("城东产业园", "后来的项目", stage="planning", done=0, started=None)
    assert entry_of(review, "城东产业园").final == Decimal("92.42")
    with pytest.raises(PermissionDenied):
        score(review, "城东产业园", "leader", CHENGDONG[0])  # no scoring after publishing


def test_the_last_parks_pledge_becomes_a_supervision_item_on_it(review):
    score_all(review)
    services.publish_review(user("duban"), review, review.version)
    last, first = entry_of(review, "府南产业园"), entry_of(review, "城东产业园")
    with pytest.raises(ValidationError):
        services.record_pledge(
            user("duban"), first, text="保持领先", deadline=dt.date(2026, 12, 31)
        )
    with pytest.raises(PermissionDenied):
        services.record_pledge(user("jingfa"), last, text="追赶", deadline=dt.date(2026, 12, 31))
    item = services.record_pledge(
        user("duban"), last, text="一季度内主体厂房封顶", deadline=dt.date(2026, 12, 31)
    )
    assert item.lead_unit == unit("府南产业园")
    assert item.source == SupervisionItem.Source.ASSESSMENT
    assert item.requirement == "一季度内主体厂房封顶"
    assert item.deadline == dt.date(2026, 12, 31)
    assert entry_of(review, "府南产业园").pledge_item == item
    assert item.activities.filter(verb="assign").exists()  # supervision's own verb made it
    with pytest.raises(PermissionDenied):  # once
        services.record_pledge(user("duban"), last, text="再表态", deadline=dt.date(2026, 12, 31))


def test_evaluators_see_and_change_only_their_own_scores(review):
    score(review, "城东产业园", "jingfa", CHENGDONG[0])
    score(review, "城东产业园", "zhaoshang", CHENGDONG[1])
    mine = ScoreSheet.objects.get(evaluator__user__username="jingfa")
    theirs = ScoreSheet.objects.get(evaluator__user__username="zhaoshang")
    jingfa = login_as("jingfa")
    assert jingfa.get(reverse("parkreview:sheet_detail", args=[mine.pk])).status_code == 200
    assert jingfa.get(reverse("parkreview:sheet_detail", args=[theirs.pk])).status_code == 404
    # The park's own people and the leaders see the park's figures, not another evaluator's sheet.
    chengdong = login_as("chengdong")
    assert chengdong.get(reverse("parkreview:sheet_detail", args=[mine.pk])).status_code == 404
    assert (
        login_as("leader").get(reverse("parkreview:sheet_detail", args=[mine.pk])).status_code
        == 200
    )
    # Changing one's own sheet changes only it.
    score(review, "城东产业园", "jingfa", CHENGDONG[2])
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.total, theirs.total) == (Decimal(95), Decimal("87.5"))
    # Someone not named cannot score.
    with pytest.raises(PermissionDenied):
        score(review, "城东产业园", "chengdong", CHENGDONG[0])


def test_figures_before_publishing_only_for_leaders_and_the_park(review):
    score_all(review)
    results = reverse("parkreview:results", args=[review.pk])
    page = login_as("chengdong").get(results).content.decode()
    assert "城东产业园" in page and "青春化工园" not in page  # their own park only
    assert "92.42" in login_as("leader").get(results).content.decode()
    assert login_as("jingfa").get(results).context["rows"] == []  # an evaluator: no figures
    assert login_as("jingfa_staff").get(results).status_code == 404  # not involved
    services.publish_review(user("duban"), review, review.version)
    page = login_as("jingfa_staff").get(results).content.decode()  # published: the zone's
    assert "城东产业园" in page and "府南产业园" in page and "流动红旗" in page


def test_scores_out_of_range_are_refused_with_the_criterion_named(review):
    with pytest.raises(ValidationError) as error:
        score(review, "城东产业园", "jingfa", [26, 18, 23, 14, 14])
    assert "“项目建设进度”的得分应在0到25.0之间。" in error.value.messages
    assert not ScoreSheet.objects.exists()


@pytest.mark.parametrize("sites", [1, 3])
def test_query_counts_of_the_ranking_pages_do_not_grow(org, sites, django_assert_max_num_queries):
    review = make_review(sites_per_park=sites)
    score_all(review)
    leader = login_as("leader")
    for name in ("results", "review_detail"):
        leader.get(reverse(f"parkreview:{name}", args=[review.pk]))  # warm caches
    with django_assert_max_num_queries(16):
        assert leader.get(reverse("parkreview:results", args=[review.pk])).status_code == 200
    with django_assert_max_num_queries(17):
        assert leader.get(reverse("parkreview:review_detail", args=[review.pk])).status_code == 200
    services.publish_review(user("duban"), review, review.version)
    with django_assert_max_num_queries(12):
        assert leader.get(reverse("parkreview:results", args=[review.pk])).status_code == 200
    with django_assert_max_num_queries(9):
        assert leader.get(reverse("parkreview:review_list")).status_code == 200


def test_the_handbook_and_the_report_read_back(review):
    import io

    from docx import Document

    score_all(review)
    services.publish_review(user("duban"), review, review.version)
    leader = login_as("leader")
    handbook = leader.get(reverse("parkreview:handbook_docx", args=[review.pk])).getvalue()
    text = "\n".join(p.text for p in Document(io.BytesIO(handbook)).paragraphs)
    assert "第三季度项目观摩拉练手册" in text
    for stop in review.stops.select_related("project"):
        assert f". {stop.project.name}" in text  # each stop's card
    assert "累计完成投资：5,000万元" in text and "项目灯色：绿" in text
    table = Document(io.BytesIO(handbook)).tables[0]
    assert [c.text for c in table.rows[1].cells] == [
        "1", "08:30", "青春化工园", "青春化工园观摩项目1", "30分钟"
    ]  # fmt: skip
    from docx.oxml.ns import qn

    report = login_as("jingfa_staff").get(reverse("parkreview:report_docx", args=[review.pk]))
    document = Document(io.BytesIO(report.getvalue()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "城东产业园获得“流动红旗”。" in text and "府南产业园获得“蜗牛奖”。" in text
    assert [c.text for c in document.tables[0].rows[1].cells][:2] == ["1", "城东产业园"]
    assert all(t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None for t in document.tables)


def test_a_stops_photo_stays_with_its_card(review, monkeypatch):
    """A photo that did not fit went alone to the top of the next page, above the next
    project's name, where it read as that project's."""
    import io

    from PIL import Image

    from tuijin.core.gongwen import Gongwen
    from tuijin.parkreview import documents

    png = io.BytesIO()
    Image.new("RGB", (40, 30), "gray").save(png, "PNG")
    monkeypatch.setattr(documents, "_photo_bytes", lambda photo: png.getvalue())
    stop = documents._stops(review)[0]
    stop.project.photos = [object()]
    doc = Gongwen(title="手册")
    documents._card(doc, 1, stop)
    paragraphs = doc.document.paragraphs
    picture = next(i for i, p in enumerate(paragraphs) if p._p.xpath(".//pic:pic"))
    assert paragraphs[picture - 1].text.startswith("项目灯色")
    assert paragraphs[picture - 1].paragraph_format.keep_with_next


def test_a_sheet_saved_on_another_device_is_not_overwritten_by_a_page_loaded_before_it(review):
    # The evaluator opens the park's page on the laptop (no sheet yet), then submits from the
    # phone; the laptop's submission is refused, not saved over the phone's unseen.
    entry = entry_of(review, "城东产业园")
    criteria = list(review.criteria.all())
    url = reverse("parkreview:score_edit", args=[entry.pk])
    jingfa = login_as("jingfa")
    seen = jingfa.get(url).context["form"]["version"].value()

    def sheet_with(points, version):
        fields = {f"points_{c.pk}": str(p) for c, p in zip(criteria, points, strict=True)}
        return fields | {"remark": "", "version": "" if version is None else version}

    assert jingfa.post(url, sheet_with(CHENGDONG[0], seen)).status_code == 302
    laptop = jingfa.post(url, sheet_with(CHENGDONG[3], seen))
    assert laptop.status_code == 409 and "您的评分表刚刚已被他人修改" in laptop.content.decode()
    assert ScoreSheet.objects.get(entry=entry, evaluator__user__username="jingfa").total == 92


def test_an_evaluator_scores_a_park_on_the_page_and_saves_again_over_the_same_sheet(review):
    entry = entry_of(review, "城东产业园")
    criteria = list(review.criteria.all())
    stop = entry.stops.get()
    url = reverse("parkreview:score_edit", args=[entry.pk])
    jingfa = login_as("jingfa")

    def sheet_with(points, version=""):
        fields = {f"points_{c.pk}": str(p) for c, p in zip(criteria, points, strict=True)}
        return fields | {f"note_{stop.pk}": "主体封顶", "remark": "进度快", "version": version}

    response = jingfa.post(url, sheet_with(CHENGDONG[0]))
    sheet = ScoreSheet.objects.get(entry=entry, evaluator__user__username="jingfa")
    assert response.status_code == 302 and response.url == f"{sheet.get_absolute_url()}?saved=1"
    assert (sheet.total, sheet.remark, sheet.stop_notes) == (
        92,
        "进度快",
        {str(stop.pk): "主体封顶"},
    )
    # Saved again from the page as loaded: the same sheet, the new points.
    again = jingfa.post(url, sheet_with(CHENGDONG[2], version=sheet.version))
    assert again.status_code == 302
    assert ScoreSheet.objects.get(pk=sheet.pk).total == 95
    # A page loaded before that save is told so, and changes nothing.
    stale = jingfa.post(url, sheet_with(CHENGDONG[3], version=sheet.version))
    assert stale.status_code == 409
    assert ScoreSheet.objects.get(pk=sheet.pk).total == 95
