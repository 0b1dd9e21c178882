"""The ledger export at any size (B12): rows read as values in chunks, no model instances, a
query count set by the chunks and not by the rows, and the sheet the same as before."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from conftest import unit
from tuijin.core.xlsx import table_rows
from tuijin.org.models import Person
from tuijin.projects.excel import export as export_module
from tuijin.projects.excel import write_ledger
from tuijin.projects.filters import ledger_queryset
from tuijin.projects.models import (
    AnnualPlan,
    Enterprise,
    IndustryTag,
    ProgressReport,
    Project,
)
from tuijin.projects.tests.factories import make_enterprise, make_project, plan, report


def exported(username: str, while_writing=None, **query) -> list[dict]:
    """The ledger as `username` exports it, one dict per row keyed by header;
    `while_writing(monkeypatch)` patches only the writing, not the scoping or the reading."""
    from django.contrib.auth import get_user_model

    request = RequestFactory().get("/", query)
    request.user = get_user_model().objects.get(username=username)
    _filterset, queryset, _sort = ledger_queryset(request)
    out = io.BytesIO()
    with pytest.MonkeyPatch.context() as patch:
        if while_writing is not None:
            while_writing(patch)
        write_ledger(queryset, out)
    rows = table_rows(load_workbook(io.BytesIO(out.getvalue())).active)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def filled(org):
    """A project with two of everything it lists, reports in two years and a light reason."""
    year = timezone.localdate().year
    project = make_project("满项目", code="FULL-1", leaders=["leader", "jingfa_staff"])
    # A second 王立新 elsewhere: the export names both as 姓名(单位) so the import can tell.
    Person.objects.create(name="王立新", unit=unit("城东产业园"))
    project.enterprises.set(
        [make_enterprise("乙企业"), make_enterprise("甲企业", unit="经济发展局")]
    )
    project.tags.set([IndustryTag.objects.create(name=n) for n in ("新能源", "医药健康")])
    plan(project, 1200)
    plan(project, 900, year=year - 1)
    report(project, dt.date(year - 1, 11, 15), 100)
    report(project, dt.date(year, 1, 15), 300, progress=30)
    latest = report(project, dt.date(year, 2, 15), 200, progress=40, narrative="主体封顶")
    Project.objects.filter(pk=project.pk).update(
        light_reasons=[{"text": "连续两个月未填报"}, {"text": "投资进度滞后"}]
    )
    make_project("空项目", code="EMPTY-1")
    return project, latest


def test_an_exported_row_lists_everything_in_the_ledgers_order(filled):
    _project, latest = filled
    rows = {row["项目编号"]: row for row in exported("leader")}
    full, empty = rows["FULL-1"], rows["EMPTY-1"]
    assert full["业主企业"] == "乙企业、甲企业"  # by name, as the ledger lists them
    leader_unit = Person.objects.get(user__username="leader").unit.name
    assert full["包保领导"].split("、")[0] == f"王立新({leader_unit})"
    assert len(full["包保领导"].split("、")) == 2
    assert set(full["产业标签"].split("、")) == {"新能源", "医药健康"}
    assert full["年度计划投资(万元)"] == 1200
    assert full["当年完成投资(万元)"] == 500 and full["累计完成投资(万元)"] == 600
    assert full["本期完成投资(万元)"] == 200 and full["形象进度(%)"] == 40
    assert full["进展情况"] == "主体封顶"
    assert full["填报期间"].date() == latest.period_start
    assert full["灯色原因"] == "连续两个月未填报;投资进度滞后"
    assert empty["业主企业"] is None and empty["年度计划投资(万元)"] is None
    assert empty["当年完成投资(万元)"] == 0 and empty["最近填报"] is None


def test_the_export_builds_no_model_instances(filled):
    """Rows are read as values: a 50,000-row export keeps one chunk of tuples in memory,
    not 50,000 projects with their related objects."""

    def refuse(cls, *args, **kwargs):
        raise AssertionError(f"{cls.__name__} instance built during the export")

    def no_instances(patch):
        for model in (Project, Person, ProgressReport, AnnualPlan, Enterprise, IndustryTag):
            patch.setattr(model, "from_db", classmethod(refuse))

    rows = exported("leader", while_writing=no_instances)
    assert {row["项目编号"] for row in rows} == {"FULL-1", "EMPTY-1"}


def test_queries_grow_with_chunks_not_rows(org, monkeypatch):
    """One query for the rows, then at most six per chunk of ``EXPORT_CHUNK`` projects."""
    monkeypatch.setattr(export_module, "EXPORT_CHUNK", 4)
    leader_person = Person.objects.get(user__username="leader")
    tag = IndustryTag.objects.create(name="新能源")

    def export_queries(n: int) -> int:
        for i in range(Project.objects.count(), n):
            project = make_project(f"项目{i}", code=f"Q-{i:03}")
            project.leaders.add(leader_person)
            project.tags.add(tag)
            plan(project, 10)
        with CaptureQueriesContext(connection) as queries:
            assert len(exported("leader")) == n
        return len(queries)

    one_chunk = export_queries(4)
    per_chunk = export_queries(8) - one_chunk
    assert 0 < per_chunk <= 6  # enterprises, leaders, tags, plans, sums, latest report
    assert export_queries(16) == one_chunk + 3 * per_chunk  # four chunks


def test_the_export_keeps_to_the_users_scope(filled):
    other = make_project("城东项目", code="OTHER-1", park="城东产业园", unit="城东产业园")
    other.enterprises.add(make_enterprise("丙企业", unit="城东产业园", park="城东产业园"))
    assert {row["项目编号"] for row in exported("jingfa_staff")} == {"FULL-1", "EMPTY-1"}
    assert {row["项目编号"] for row in exported("leader")} == {"FULL-1", "EMPTY-1", "OTHER-1"}
    # Filters still apply (the job's saved query string).
    assert [row["项目编号"] for row in exported("leader", park=unit("城东产业园").pk)] == [
        "OTHER-1"
    ]


def test_amounts_are_numbers_in_the_sheet(filled):
    (full,) = [row for row in exported("leader") if row["项目编号"] == "FULL-1"]
    assert isinstance(full["总投资(万元)"], int | float | Decimal)
