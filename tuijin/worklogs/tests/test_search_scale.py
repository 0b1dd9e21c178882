"""The search at millions of logs (B12 item 4, bench/README.md "Work log search"): the stored
tsvector on PostgreSQL, a common term paged through the date index, a unit's search held to
its unit. Speed is measured by `make bench-worklogs`; these tests pin the SQL's shape."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tuijin.worklogs.models import WorkLog
from tuijin.worklogs.search import search
from tuijin.worklogs.tests.factories import make_log, person, user

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the stored tsvector is PostgreSQL's"
)

QUERIES = ["土地指标", "指标", "指标 水厂", "地水", "指标土地", "电解液", "液", "led", "犇星"]


@pytest.fixture
def logs(org):
    from tuijin.projects.tests.factories import make_project
    from tuijin.worklogs.tests.factories import visit_to

    make_log(text="协调解决土地指标短缺问题")
    make_log(text="督促电解液项目设备安装,LED灯", username="zhaoshang")
    make_log(text="走访城东水厂,指标正常")
    project = make_project("犇星二期年产3万吨新能源电解液")
    make_log(text="周末走访", visits=[visit_to(project, purpose="协调土地指标")])


def texts(queryset) -> set[str]:
    return set(queryset.values_list("text", flat=True))


def listed(client, query: str) -> set[str]:
    response = client.get(reverse("worklogs:log_list"), {"q": query})
    return {log.text for log in response.context["page"]}


@pytest.mark.django_db
@pytest.mark.parametrize("query", QUERIES)
def test_paging_by_date_finds_the_same_logs_as_the_index(logs, query):
    indexed = texts(search(WorkLog.objects.all(), query))
    by_date = texts(search(WorkLog.objects.all(), query, by_date=True))
    assert by_date == indexed
    assert indexed or query in ("地水", "指标土地")


def page_queries(client, params) -> tuple[object, list[str], list[str]]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("worklogs:log_list"), params)
    assert response.status_code == 200
    sql = [q["sql"] for q in context]
    logs = [q for q in sql if 'FROM "worklogs_worklog"' in q and '"worklogs_worklog"."text"' in q]
    return response, logs, sql


@pytest.mark.django_db
def test_a_common_terms_page_walks_the_date_index_and_stops_at_the_page(org, leader, monkeypatch):
    from tuijin.worklogs import views

    monkeypatch.setattr(views, "COUNT_CAP", 2)
    for n in range(3):
        make_log(text=f"第{n}次协调土地指标短缺")
    make_log(text="其他事项")
    response, (page,), _sql = page_queries(leader, {"q": "土地指标"})
    assert response.context["capped"] is True
    assert "超过 2 篇" in response.content.decode()
    assert {log.text for log in response.context["page"]} == {
        f"第{n}次协调土地指标短缺" for n in range(3)
    }
    # The keyword is checked row by row (no text index can drive it), newest first, and the
    # database may stop after one page.
    by_date = "false)" if connection.vendor == "postgresql" else "+worklogs_worklog.id IN ("
    assert by_date in page
    assert 'ORDER BY "worklogs_worklog"."date" DESC' in page
    assert re.search(r" LIMIT \d+$", page)  # a page (here the capped count's 3 rows)
    if connection.vendor == "sqlite":
        # The matches are a list each log is checked against, not the rows the query starts from.
        plan = explain(page)
        assert "LIST SUBQUERY" in plan
        assert "SEARCH worklogs_worklog USING INTEGER PRIMARY KEY" not in plan
    else:
        assert "worklog_search_vector_gin" not in explain(page)
        # A few test rows are read whole; on a big table (emulated) the date index is walked.
        assert "worklog_date_idx" in explain(page, "SET LOCAL enable_seqscan = off")


@pytest.mark.django_db
def test_a_rare_terms_page_starts_from_the_text_index(org, leader):
    make_log(text="协调土地指标短缺")
    make_log(text="其他事项")
    response, (page,), _sql = page_queries(leader, {"q": "土地指标"})
    assert response.context["capped"] is False
    assert "共 1 篇" in response.content.decode()
    assert "COALESCE(" not in page and "+worklogs_worklog.id" not in page
    if connection.vendor == "postgresql":
        assert "worklog_search_vector_gin" in explain(page, "SET LOCAL enable_seqscan = off")


def explain(sql: str, setting: str = "") -> str:
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        if setting:
            cursor.execute(setting)
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
@pytest.mark.parametrize("capped", [False, True])
def test_the_search_pages_query_count_is_constant(org, leader, staff, monkeypatch, capped):
    from tuijin.worklogs import views

    if capped:
        monkeypatch.setattr(views, "COUNT_CAP", 2)

    def count(client) -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("worklogs:log_list"), {"q": "土地指标"}).status_code == 200
        return len(context)

    for _ in range(3):
        make_log(text="协调土地指标短缺")
    few = {"leader": count(leader), "staff": count(staff)}
    for _ in range(8):
        make_log(text="再次协调土地指标短缺")
    assert {"leader": count(leader), "staff": count(staff)} == few


@pytest.mark.django_db
def test_a_units_search_is_held_to_its_unit_without_an_or(org, staff):
    """The OR with the author kept the database from the unit index: a unit's search read
    the whole province's matches (30 s at province scale). It is added only for a cadre who
    wrote logs in another unit before a transfer."""
    from tuijin.org.models import Unit

    make_log("jingfa_staff", text="协调土地指标短缺")
    make_log("chengdong", text="城东协调土地指标短缺")
    where = str(search(WorkLog.objects.visible_to(user("jingfa_staff")), "土地指标").query)
    where = where.split(" WHERE ", 1)[1]
    assert where.startswith('("worklogs_worklog"."unit_id" IN (')  # the unit's ids
    assert '"worklogs_worklog"."author_id"' not in where
    assert listed(staff, "土地指标") == {"协调土地指标短缺"}

    cadre = person("jingfa_staff")
    cadre.unit = Unit.objects.get(name="招商局")
    cadre.save()
    where = str(WorkLog.objects.visible_to(user("jingfa_staff")).query).split(" WHERE ", 1)[1]
    assert '"worklogs_worklog"."author_id" =' in where
    assert listed(staff, "土地指标") == {"协调土地指标短缺"}


@postgresql_only
@pytest.mark.django_db
def test_the_stored_tsvector_follows_what_write_log_indexes(org):
    """search_vector is generated from search_text by the database: write_log inserts the
    log, then (with its visits) updates search_text; the vector follows both writes."""
    from tuijin.projects.tests.factories import make_project
    from tuijin.worklogs.tests.factories import visit_to

    project = make_project("犇星二期年产3万吨新能源电解液")
    log = make_log(text="周末走访", visits=[visit_to(project, purpose="协调能耗指标")])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector = to_tsvector('simple', search_text),"
            " search_vector @@ phraseto_tsquery('simple', '犇星 星二'),"
            " search_vector @@ phraseto_tsquery('simple', '能耗 耗指 指标')"
            " FROM worklogs_worklog WHERE id = %s",
            [log.pk],
        )
        assert cursor.fetchone() == (True, True, True)
    assert '"search_vector"' not in str(WorkLog.objects.all().query)  # never selected


@pytest.mark.django_db
def test_wrote_outside_looks_at_the_gaps_between_the_units_ids(org):
    from tuijin.org.models import Unit
    from tuijin.worklogs.models import wrote_outside

    make_log("jingfa_staff")
    cadre = person("jingfa_staff")
    unit = cadre.unit_id
    others = sorted(Unit.objects.exclude(pk=unit).values_list("pk", flat=True))

    def asks(ids) -> bool:
        cadre.__dict__.pop("_tuijin_wrote_outside", None)
        return wrote_outside(cadre, ids)

    assert asks([unit]) is False
    assert asks([*others, unit]) is False
    assert asks(others) is True
    assert asks([]) is True
    assert asks([pk for pk in others if pk != unit - 1] + [unit]) is False
