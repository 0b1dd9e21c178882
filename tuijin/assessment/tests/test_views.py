"""The pages per role: who sees which figures, the workflow through the views, the compute
job, the documents read back, and query counts that do not grow with units or facts."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from conftest import login_as
from tuijin.assessment import services
from tuijin.assessment.documents import bulletin_docx
from tuijin.assessment.models import Appeal, LeaderRating, Period, PeriodState, UnitScore
from tuijin.assessment.tests.factories import NOVEMBER, NOW, UNIT, build_month, person
from tuijin.core import jobs
from tuijin.core.models import Job
from tuijin.org.models import Unit, UnitKind
from tuijin.supervision.tests.factories import make_item


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def month(org, clock):
    build_month()
    period = services.open_period(person("duban").user, NOVEMBER)
    return services.compute_period(person("duban").user, period.pk)


def test_a_month_opened_by_two_at_once_is_one_period_not_a_500(org, clock):
    # On PostgreSQL both find no period; the second insert then meets the first's row (made
    # here as the service looks): the second gets the same period instead of an IntegrityError.
    from unittest import mock

    from django.db.models import QuerySet

    duban = person("duban").user
    zone = Unit.objects.get(kind=UnitKind.ZONE)
    real_get, real_first = QuerySet.get, QuerySet.first

    def the_other_opens_first(self, real, *args, **kwargs):
        if self.model is Period and not Period.objects.exists():
            Period.objects.bulk_create([Period(zone=zone, month=NOVEMBER)])
            if real is real_get:
                raise Period.DoesNotExist
            return None
        return real(self, *args, **kwargs)

    with (
        mock.patch.object(
            QuerySet, "get", lambda s, *a, **k: the_other_opens_first(s, real_get, *a, **k)
        ),
        mock.patch.object(QuerySet, "first", lambda s: the_other_opens_first(s, real_first)),
    ):
        period = services.open_period(duban, NOVEMBER)
    assert list(Period.objects.values_list("pk", flat=True)) == [period.pk]


def score_of(period, unit_name):
    return UnitScore.objects.get(period=period, unit__name=unit_name)


def test_a_unit_head_sees_only_their_own_unpublished_figures(month):
    jingfa = login_as("jingfa")
    own, other = score_of(month, UNIT), score_of(month, "城东产业园")
    assert jingfa.get(own.get_absolute_url()).status_code == 200
    assert jingfa.get(other.get_absolute_url()).status_code == 404
    page = jingfa.get(month.get_absolute_url()).content.decode()
    assert UNIT in page and "城东产业园" not in page
    # The bulletin and the sheet name every unit: not before publishing.
    assert jingfa.get(reverse("assessment:bulletin_docx", args=[month.pk])).status_code == 404
    assert login_as("qiye").get(month.get_absolute_url()).status_code == 404
    for username in ("leader", "duban", "jijian"):
        client = login_as(username)
        assert client.get(other.get_absolute_url()).status_code == 200, username
        assert "城东产业园" in client.get(month.get_absolute_url()).content.decode()


def test_after_publishing_the_ranking_is_everyones_but_cadres_stay_with_the_unit(month, clock):
    period = services.start_publicity(person("duban").user, month.pk)
    clock.move_to(dt.datetime(2026, 12, 9, 9, tzinfo=NOW.tzinfo))
    services.publish(person("duban").user, period.pk)
    other = login_as("chengdong")
    page = other.get(score_of(period, UNIT).get_absolute_url()).content.decode()
    assert "逾期办结" in page  # the facts behind the published figures
    assert 'id="cadre-table"' not in page and "刘洋" not in page
    own = login_as("jingfa").get(score_of(period, UNIT).get_absolute_url()).content.decode()
    assert 'id="cadre-table"' in own and "刘洋" in own
    assert "城东产业园" in other.get(period.get_absolute_url()).content.decode()


def test_the_breakdown_lists_the_late_items_with_links(month):
    page = login_as("duban").get(score_of(month, UNIT).get_absolute_url()).content.decode()
    for title in ("逾期办结", "超期未办"):
        item_url = reverse("supervision:item_detail", args=[make_pk(title)])
        assert f'href="{item_url}"' in page


def make_pk(title):
    from tuijin.supervision.models import SupervisionItem

    return SupervisionItem.objects.get(title=title).pk


def test_compute_runs_as_a_job_with_progress(org, clock, django_capture_on_commit_callbacks):
    build_month()
    period = services.open_period(person("duban").user, NOVEMBER)
    client = login_as("duban")
    assert (
        login_as("leader").post(reverse("assessment:period_compute", args=[period.pk])).status_code
        == 403
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("assessment:period_compute", args=[period.pk]))
    job = Job.objects.get(kind="assessment.compute")
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert (job.status, job.progress) == (Job.Status.DONE, 100)
    assert job.params["outcome"]["link"] == period.get_absolute_url()
    assert Period.objects.get(pk=period.pk).computed_at is not None
    assert jobs.JOB_FUNCTIONS["assessment.compute"].endswith("compute_job")


def test_appeal_and_decision_through_the_pages(month):
    period = services.start_publicity(person("duban").user, month.pk)
    indicator = score_of(period, UNIT).indicators.get(key="duban")
    url = reverse("assessment:appeal_file", args=[indicator.pk])
    data = {f"a{indicator.pk}-reason": "超期事项已批准延期"}
    assert login_as("jingfa_staff").post(url, data).status_code == 403
    assert login_as("zhaoshang").post(url, data).status_code == 404
    page = login_as("jingfa").get(score_of(period, UNIT).get_absolute_url()).content.decode()
    assert "对该项提出申诉" in page
    assert login_as("jingfa").post(url, data).status_code == 302
    appeal = Appeal.objects.get()
    decide = reverse("assessment:appeal_decide", args=[appeal.pk])
    assert login_as("jingfa").post(decide, {"outcome": "upheld"}).status_code == 403
    response = login_as("duban").post(
        decide, {"outcome": "upheld", "new_score": "30", "decision": "延期已批准"}
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.score == Decimal("30.00") and "延期已批准" in indicator.note


def test_leaders_rate_on_the_rating_form(month):
    period = services.open_period(person("duban").user, dt.date(2026, 10, 1))
    url = reverse("assessment:rating", args=[period.pk])
    assert login_as("jingfa").get(url).status_code == 403
    leader = login_as("leader")
    page = leader.get(url).content.decode()
    jingfa = Unit.objects.get(name=UNIT)
    assert f'name="score_{jingfa.pk}"' in page
    bad = leader.post(url, {f"score_{jingfa.pk}": "120"})
    assert bad.status_code == 400 and UNIT in bad.content.decode()
    assert not LeaderRating.objects.exists()
    assert (
        leader.post(url, {f"score_{jingfa.pk}": "88.5", f"comment_{jingfa.pk}": "好"}).status_code
        == 302
    )
    assert LeaderRating.objects.get().score == Decimal("88.5")


def published(clock, period):
    period = services.start_publicity(person("duban").user, period.pk)
    clock.move_to(dt.datetime(2026, 12, 9, 9, tzinfo=NOW.tzinfo))
    return services.publish(person("duban").user, period.pk)


def test_the_bulletin_and_the_sheet_read_back(month, clock):
    period = published(clock, month)
    client = login_as("jingfa")
    response = client.get(reverse("assessment:bulletin_docx", args=[period.pk]))
    assert response.status_code == 200
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "关于2026年11月各单位项目推进工作考核情况的通报" in text.replace("\n", "")
    assert "红榜" in text and "黑榜" in text and "主要扣分情况" in text
    assert "逾期办结" in text  # a deduction with its fact
    assert "刘洋" not in text  # cadre level is never published
    rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert ["排名", "单位", "得分", "等次", "较上月"] in rows
    jingfa = score_of(period, UNIT)
    assert [str(jingfa.rank), UNIT, f"{jingfa.total:.2f}", "合格", "—"] in rows
    assert all(t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None for t in document.tables)

    sheet = client.get(reverse("assessment:scores_xlsx", args=[period.pk]))
    book = load_workbook(io.BytesIO(b"".join(sheet.streaming_content)))
    values = list(book.active.iter_rows(values_only=True))
    header = values[2]
    assert header[:3] == ("类别", "排名", "单位") and "督办按期办结" in header
    row = next(r for r in values if r[2] == UNIT)
    assert row[header.index("总分")] == float(jingfa.total)
    assert row[header.index("督办按期办结")] == 29.0
    # Two decimals, as in the bulletin and on the page (it printed 85, 78.8 and 68.25).
    number = values.index(row) + 1
    for column in ("总分", "督办按期办结"):
        cell = book.active.cell(number, header.index(column) + 1)
        assert cell.number_format == "#,##0.00"


def test_an_appeal_reason_ending_its_sentence_gets_one_full_stop(month):
    """A reason typed with its 。 printed "申请不计扣分。。处理结果" in the bulletin."""
    indicator = score_of(month, UNIT).indicators.first()
    Appeal.objects.create(
        indicator=indicator, filed_by=person("jingfa"), filed_at=NOW,
        reason="问题已于公示期间协调解决,申请不计扣分。", old_score=indicator.score,
    )  # fmt: skip
    out = io.BytesIO()
    bulletin_docx(month, out)
    text = "\n".join(p.text for p in Document(out).paragraphs)
    assert "申请不计扣分。处理结果：" in text and "。。" not in text


def extra_units(n):
    zone = Unit.objects.get(kind=UnitKind.ZONE)
    units = [zone.add_child(name=f"新设部门{i}", kind=UnitKind.DEPARTMENT) for i in range(n)]
    for unit in units:
        for day in range(1, 6):
            make_item(
                unit.name,
                title=f"{unit.name}事项{day}",
                deadline=dt.date(2026, 11, day),
                state="in_progress",
            )
    return units


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("username", ["duban", "jingfa"])
def test_ranking_and_breakdown_queries_do_not_grow_with_units_or_facts(
    org, clock, username, django_assert_num_queries
):
    build_month()
    client = login_as(username)
    duban = person("duban").user
    period = services.compute_period(duban, services.open_period(duban, NOVEMBER).pk)
    small = (
        count_queries(client, period.get_absolute_url()),
        count_queries(client, score_of(period, UNIT).get_absolute_url()),
    )
    extra_units(6)
    for n in range(8):  # more facts behind the same figure
        make_item(UNIT, title=f"再逾期{n}", deadline=dt.date(2026, 11, 3), state="in_progress")
    period = services.compute_period(duban, period.pk)
    assert period.scores.count() >= 20
    assert len(score_of(period, UNIT).indicators.get(key="duban").facts) >= 13
    breakdown = score_of(period, UNIT).get_absolute_url()
    with django_assert_num_queries(small[0]):
        client.get(period.get_absolute_url())
    with django_assert_num_queries(small[1]):
        client.get(breakdown)


def test_schemes_are_saved_as_new_versions(org, clock):
    url = reverse("assessment:scheme_edit") + "?unit_class=park"
    assert login_as("jingfa").get(url).status_code == 403
    client = login_as("duban")
    assert client.get(url).status_code == 200
    data = {name: str(value) for name, value in services.default_values().items()}
    data |= {"unit_class": "park", "effective_from": "2026-12", "weight_duban": "25"}
    data |= {"note": "园区加大项目权重"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-1500:]
    first = services.scheme_in_force(Unit.objects.get(kind="zone"), "park", dt.date(2026, 12, 1))
    assert (first.version, first.weight_duban) == (1, Decimal(25))
    assert client.post(url, data | {"weight_duban": "20"}).status_code == 302
    latest = services.scheme_in_force(Unit.objects.get(kind="zone"), "park", dt.date(2026, 12, 1))
    assert latest.version == 2 and first.weight_duban == Decimal(25)
    bad = client.post(url, data | {"grade_good": "95"})
    assert bad.status_code == 400 and "优秀 ≥ 良好 ≥ 合格" in bad.content.decode()


def test_a_draft_can_be_recomputed_a_published_month_cannot_through_the_page(month, clock):
    period = published(clock, month)
    client = login_as("duban")
    response = client.post(reverse("assessment:period_compute", args=[period.pk]), follow=True)
    assert "不能重新计算" in response.content.decode()
    assert Period.objects.get(pk=period.pk).state == PeriodState.PUBLISHED
    assert not Job.objects.filter(kind="assessment.compute").exists()


def test_the_office_opens_and_publishes_a_month_through_the_pages(org, clock):
    build_month()
    client = login_as("duban")
    open_url = reverse("assessment:period_open")
    bad = client.post(open_url, {"month": "2026-13"}, follow=True).content.decode()
    future = client.post(open_url, {"month": "2027-01"}, follow=True).content.decode()
    assert "考核月份:" in bad and "不能考核尚未开始的月份" in future
    assert not Period.objects.exists()
    response = client.post(open_url, {"month": "2026-11"})
    period = Period.objects.get(month=NOVEMBER)
    assert response.url == period.get_absolute_url()
    services.compute_period(person("duban").user, period.pk)
    publish = reverse("assessment:period_publish", args=[period.pk])
    early = client.post(publish, follow=True).content.decode()
    assert "只有公示中的考核可以发布" in early
    client.post(reverse("assessment:period_publicity", args=[period.pk]))
    assert Period.objects.get(pk=period.pk).state == PeriodState.PUBLICITY
    clock.move_to(dt.datetime(2026, 12, 9, 9, tzinfo=NOW.tzinfo))  # 公示 over; signed in anew
    assert "已发布" in login_as("duban").post(publish, follow=True).content.decode()
    assert Period.objects.get(pk=period.pk).state == PeriodState.PUBLISHED
