"""Ledger pages: scoping, filters, search, sorting, query budget, detail, my projects."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tuijin.projects.models import Light, Project
from tuijin.projects.services import refresh_lights
from tuijin.projects.tests.factories import make_enterprise, make_project, plan, report

LIST = reverse("projects:project_list")
TODAY = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def ledger(org):
    """Projects of two units and a liaison's enterprise."""
    benxing = make_enterprise("犇星新能源", liaison=None)
    from tuijin.org.models import Person

    benxing.liaison = Person.objects.get(user__username="qiye")
    benxing.save()
    return {
        "own": make_project("犇星二期年产3万吨新能源电解液", enterprises=[benxing]),
        "own2": make_project("正丹化学公司硅基新材料", stage="preparing"),
        "other": make_project("人才公寓", park="城东产业园", unit="城东产业园", leaders=["leader"]),
    }


def names(response):
    return {p.name for p in response.context["page"]}


def test_staff_see_their_units_projects_only(staff, ledger):
    assert names(staff.get(LIST)) == {"犇星二期年产3万吨新能源电解液", "正丹化学公司硅基新材料"}
    url = reverse("projects:project_detail", args=[ledger["other"].pk])
    assert staff.get(url).status_code == 404


def test_park_office_sees_projects_in_its_park(outsider, ledger):
    assert names(outsider.get(LIST)) == {"人才公寓"}


def test_zone_leader_sees_all(leader, ledger):
    assert len(names(leader.get(LIST))) == 3


def test_liaison_sees_only_its_enterprises_projects(liaison, ledger):
    assert names(liaison.get(LIST)) == {"犇星二期年产3万吨新能源电解液"}
    assert names(liaison.get(LIST, {"q": "rcgy"})) == set()  # 人才公寓 by initials: hidden
    other = reverse("projects:project_detail", args=[ledger["own2"].pk])
    assert liaison.get(other).status_code == 404
    own = reverse("projects:project_detail", args=[ledger["own"].pk])
    assert liaison.get(own).status_code == 200


def test_search_by_pinyin_initials_and_name(leader, ledger):
    assert names(leader.get(LIST, {"q": "bx"})) == {"犇星二期年产3万吨新能源电解液"}
    assert names(leader.get(LIST, {"q": "BX"})) == {"犇星二期年产3万吨新能源电解液"}
    assert names(leader.get(LIST, {"q": "人才"})) == {"人才公寓"}
    assert names(leader.get(LIST, {"q": "rcgy"})) == {"人才公寓"}


def test_filters_live_in_the_url(leader, ledger, org):
    park = org["青春化工园"].pk
    assert names(leader.get(LIST, {"park": park, "stage": "preparing"})) == {
        "正丹化学公司硅基新材料"
    }
    ledger["own"].light = Light.RED
    ledger["own"].save()
    response = leader.get(LIST, {"park": park, "light": "red"})
    assert names(response) == {"犇星二期年产3万吨新能源电解液"}
    assert response.context["count"] == 1
    assert "共 1 个项目" in response.content.decode()


def test_filter_by_unit_includes_sub_units_and_by_leader(leader, ledger, org):
    assert names(leader.get(LIST, {"unit": org["城东产业园"].pk})) == {"人才公寓"}
    from tuijin.org.models import Person

    wang = Person.objects.get(user__username="leader")
    assert names(leader.get(LIST, {"leader": wang.pk})) == {"人才公寓"}


def test_filter_by_year_uses_annual_plans(leader, ledger):
    plan(ledger["own"], 1000, year=2027)
    assert names(leader.get(LIST, {"year": 2027})) == {"犇星二期年产3万吨新能源电解液"}


def test_bad_filter_value_shows_nothing_instead_of_crashing(leader, ledger):
    response = leader.get(LIST, {"park": "abc"})
    assert response.status_code == 200
    assert response.context["count"] == 0


def test_sort_by_last_report_puts_the_late_first(leader, ledger):
    report(ledger["own"], dt.date(2026, 10, 1))
    report(ledger["own2"], dt.date(2026, 6, 1))
    response = leader.get(LIST, {"sort": "last_report"})
    order = [p.name for p in response.context["page"]]
    assert order.index("正丹化学公司硅基新材料") < order.index("犇星二期年产3万吨新能源电解液")


def test_htmx_request_gets_only_the_table(leader, ledger):
    response = leader.get(LIST, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="ledger-table"' in html and "<html" not in html


def test_the_filter_form_swaps_the_table_and_the_export_follows(leader, ledger):
    # The form asks for the table only (htmx, B12); the export button, outside the table, is
    # swapped in beside it with the same filters.
    page = leader.get(LIST).content.decode()
    assert f'hx-get="{LIST}" hx-target="#ledger" hx-push-url="true"' in page
    htmx = {"HX-Request": "true"}
    response = leader.get(LIST, {"stage": "preparing"}, headers=htmx)
    html = response.content.decode()
    assert names(response) == {"正丹化学公司硅基新材料"}
    assert 'id="ledger-filters"' not in html and "<nav" not in html
    export = reverse("projects:ledger_export")
    assert f'href="{export}?stage=preparing" id="export" hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]
    # Back and forward ask for the whole page; so does an invalid filter, whose error shows
    # beside its field.
    restore = leader.get(
        LIST, {"stage": "preparing"}, headers=htmx | {"HX-History-Restore-Request": "true"}
    )
    assert 'id="ledger-filters"' in restore.content.decode()
    assert restore.content.decode().count('id="export"') == 1  # no out-of-band copy
    invalid = leader.get(LIST, {"year": "abc"}, headers=htmx)
    assert invalid["HX-Redirect"] == f"{LIST}?year=abc"
    assert "filter-error" in leader.get(LIST, {"year": "abc"}).content.decode()


@pytest.mark.parametrize("n", [10, 200])
def test_ledger_query_count_does_not_grow(leader, org, n, django_assert_max_num_queries):
    enterprise = make_enterprise()
    for i in range(n):
        make_project(f"项目{i}", leaders=["leader", "zhaoshang"], enterprises=[enterprise])
    with django_assert_max_num_queries(21):
        response = leader.get(LIST)
    assert response.context["count"] == n


def test_detail_shows_light_reasons_and_history(leader, ledger):
    project = ledger["other"]
    project.stage = "preparing"
    project.planned_start = dt.date(2026, 8, 1)
    project.save()
    with time_machine.travel(TODAY):
        refresh_lights([project])
        html = leader.get(project.get_absolute_url()).content.decode()
    assert "计划2026年8月开工,已延迟3个月未开工" in html
    assert 'id="history"' in html and "创建" in html


def test_detail_query_count_is_constant(leader, ledger, django_assert_max_num_queries):
    for month in range(1, 11):
        report(ledger["own"], dt.date(2026, month, 1), investment=100)
    # 25, since W6 the latest visits, since B12 the user's unit scope (once per request)
    with django_assert_max_num_queries(27):
        leader.get(ledger["own"].get_absolute_url())


def test_investment_chart_data(leader, ledger):
    plan(ledger["own"], 1200, year=2026)
    report(ledger["own"], dt.date(2026, 1, 1), investment=100)
    report(ledger["own"], dt.date(2026, 2, 1), investment=300)
    with time_machine.travel(TODAY):
        chart = leader.get(ledger["own"].get_absolute_url()).context["chart"]
    assert chart["monthly"][:3] == [100.0, 300.0, 0.0]
    assert chart["cumulative"][:2] == [100.0, 400.0]
    assert chart["schedule"][0] == 100.0 and chart["schedule"][11] == 1200.0


def test_my_projects_lists_assignments_with_lights(leader, ledger):
    response = leader.get(reverse("projects:my_projects"))
    assert [p.name for p in response.context["projects"]] == ["人才公寓"]


def test_enterprise_pages_are_scoped(staff, outsider, liaison, ledger):
    enterprise = ledger["own"].enterprises.get()
    url = reverse("projects:enterprise_detail", args=[enterprise.pk])
    assert staff.get(url).status_code == 200
    assert liaison.get(url).status_code == 200
    assert outsider.get(url).status_code == 404
    listed = {e.name for e in outsider.get(reverse("projects:enterprise_list")).context["page"]}
    assert "犇星新能源" not in listed


def test_project_create_and_edit_are_audited(unit_head, org):
    data = {
        "code": "QC-100",
        "name": "新材料中试基地",
        "park": org["青春化工园"].pk,
        "unit": org["经济发展局"].pk,
        "category": "industry",
        "stage": "preparing",
        "total_investment": "5000",
        "key_level": "",
    }
    response = unit_head.post(reverse("projects:project_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    project = Project.objects.get(code="QC-100")
    from tuijin.core.models import AuditEvent

    event = AuditEvent.objects.filter(model="projects.project", object_id=str(project.pk)).first()
    assert event.action == "create_project" and event.actor_repr == "张强"


def test_project_form_errors_are_chinese_and_keep_input(unit_head, org):
    data = {
        "code": "",
        "name": "保留的名称",
        "park": org["青春化工园"].pk,
        "unit": org["经济发展局"].pk,
        "category": "industry",
        "stage": "preparing",
        "total_investment": "-5",
    }
    html = unit_head.post(reverse("projects:project_create"), data).content.decode()
    assert "项目编号:这个字段是必填项。" in html
    assert "保留的名称" in html


def test_editing_is_refused_outside_the_unit(outsider, staff, inspector, ledger):
    url = reverse("projects:project_edit", args=[ledger["own"].pk])
    assert outsider.get(url).status_code == 404  # cannot even see it
    assert inspector.get(url).status_code == 403  # sees it, may not change it
    assert staff.get(url).status_code == 200


def test_approvals_and_milestones_drive_the_light(staff, ledger):
    from tuijin.projects.models import ApprovalType

    project = ledger["own"]
    ApprovalType.ensure_defaults()
    kind = ApprovalType.objects.get(name="施工许可")
    data = {
        "approvals-TOTAL_FORMS": "1",
        "approvals-INITIAL_FORMS": "0",
        "approvals-0-kind": kind.pk,
        "approvals-0-planned_date": "2026-09-01",
        "milestones-TOTAL_FORMS": "1",
        "milestones-INITIAL_FORMS": "0",
        "milestones-0-name": "主体封顶",
        "milestones-0-due_date": "2026-11-10",
    }
    with time_machine.travel(TODAY):
        response = staff.post(reverse("projects:project_approvals", args=[project.pk]), data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.light == Light.RED
    assert "前期手续“施工许可”计划2026年9月1日完成,已逾期80天" in project.light_reason_texts
    assert "节点“主体封顶”计划2026年11月10日完成,已逾期10天" in project.light_reason_texts
