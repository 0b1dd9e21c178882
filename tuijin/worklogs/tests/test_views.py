"""Pages per role: cadres see their own and their unit's logs, never another unit's."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from tuijin.core.xlsx import table_rows
from tuijin.projects.tests.factories import make_enterprise, make_project
from tuijin.supervision.tests.factories import category
from tuijin.worklogs.models import Duty, Exemption, LogComment, WorkLog
from tuijin.worklogs.tests.factories import SAT, SUN, local, make_log, on_roster, person


@pytest.fixture
def two_units(org):
    """A log of 经济发展局 (staff persona) and one of 城东产业园 (outsider persona)."""
    return (
        make_log("jingfa_staff", text="经发局走访犇星电解液项目"),
        make_log("chengdong", text="城东园区走访人才公寓地块"),
    )


def texts(response) -> set[str]:
    return {log.text for log in response.context["page"]}


@pytest.mark.django_db
def test_list_is_scoped_by_unit(two_units, staff, outsider, leader, liaison):
    assert texts(staff.get(reverse("worklogs:log_list"))) == {"经发局走访犇星电解液项目"}
    assert texts(outsider.get(reverse("worklogs:log_list"))) == {"城东园区走访人才公寓地块"}
    assert len(texts(leader.get(reverse("worklogs:log_list")))) == 2
    assert texts(liaison.get(reverse("worklogs:log_list"))) == set()


@pytest.mark.django_db
def test_search_never_reaches_another_units_logs(two_units, outsider):
    url = reverse("worklogs:log_list")
    assert texts(outsider.get(url, {"q": "电解液"})) == set()
    assert texts(outsider.get(url, {"q": "人才公寓"})) == {"城东园区走访人才公寓地块"}


@pytest.mark.django_db
def test_detail_of_another_unit_is_404(two_units, staff, outsider, unit_head):
    ours, theirs = two_units
    assert staff.get(ours.get_absolute_url()).status_code == 200
    assert staff.get(theirs.get_absolute_url()).status_code == 404
    assert outsider.get(ours.get_absolute_url()).status_code == 404
    assert unit_head.get(ours.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_export_holds_exactly_the_visible_filtered_rows(two_units, outsider, leader):
    def rows(client, **params):
        response = client.get(reverse("worklogs:log_export"), params)
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        return [row[4] for row in table_rows(sheet)[1:]]

    assert rows(outsider) == ["城东园区走访人才公寓地块"]
    assert rows(leader, q="电解液") == ["经发局走访犇星电解液项目"]


@pytest.mark.django_db
def test_list_query_count_is_constant(org, leader, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    project = make_project("犇星二期年产3万吨新能源电解液")
    from tuijin.worklogs.tests.factories import visit_to

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert leader.get(reverse("worklogs:log_list")).status_code == 200
        return len(context)

    make_log(visits=[visit_to(project)])
    few = count()
    for _ in range(8):
        make_log(visits=[visit_to(project)], username="zhaoshang")
    assert count() == few


@pytest.mark.django_db
def test_write_a_log_through_the_form(org, staff):
    project = make_project("犇星二期年产3万吨新能源电解液")
    enterprise = make_enterprise("湖北犇星新能源材料有限公司", is_key=True)
    data = {
        "kind": "weekend", "date": SAT.isoformat(), "text": "周六走访两家。",
        "visits-TOTAL_FORMS": "2", "visits-INITIAL_FORMS": "0",
        "visits-MIN_NUM_FORMS": "0", "visits-MAX_NUM_FORMS": "10",
        "visits-0-subject": f"e{enterprise.pk}", "visits-0-purpose": "了解用电",
        "visits-1-subject": f"p{project.pk}", "visits-1-purpose": "督促设备安装",
        "visits-1-problem_category": category("能耗指标").pk,
        "visits-1-problem_text": "能耗指标不足,影响二期设备安装",
    }  # fmt: skip
    response = staff.post(reverse("worklogs:log_create"), data)
    log = WorkLog.objects.get()
    assert response.status_code == 302 and response.url.startswith(log.get_absolute_url())
    assert log.visits.count() == 2
    assert project.problems.get().description == "能耗指标不足,影响二期设备安装"


@pytest.mark.django_db
def test_form_errors_keep_what_was_typed(org, staff):
    project = make_project("犇星二期年产3万吨新能源电解液")
    data = {
        "kind": "weekend", "date": "2026-11-20", "text": "周五写的",  # a Friday
        "visits-TOTAL_FORMS": "1", "visits-INITIAL_FORMS": "0",
        "visits-MIN_NUM_FORMS": "0", "visits-MAX_NUM_FORMS": "10",
        "visits-0-subject": f"p{project.pk}", "visits-0-purpose": "督促",
        "visits-0-problem_text": "缺少类别的问题",
    }  # fmt: skip
    response = staff.post(reverse("worklogs:log_create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "提出问题时请选择问题类别" in html
    assert "周五写的" in html and "缺少类别的问题" in html
    assert not WorkLog.objects.exists()
    data["visits-0-problem_text"] = ""
    response = staff.post(reverse("worklogs:log_create"), data)
    assert "周末日志的日期须为周六或周日" in response.content.decode()
    assert not WorkLog.objects.exists()


@pytest.mark.django_db
def test_a_visit_to_a_record_out_of_scope_is_refused(org, outsider):
    project = make_project("犇星二期年产3万吨新能源电解液")  # 经济发展局's, not 城东's
    data = {
        "kind": "weekend", "date": SAT.isoformat(), "text": "x",
        "visits-TOTAL_FORMS": "1", "visits-INITIAL_FORMS": "0",
        "visits-MIN_NUM_FORMS": "0", "visits-MAX_NUM_FORMS": "10",
        "visits-0-subject": f"p{project.pk}", "visits-0-purpose": "看看",
    }  # fmt: skip
    response = outsider.post(reverse("worklogs:log_create"), data)
    assert response.status_code == 200 and not WorkLog.objects.exists()


@pytest.mark.django_db
def test_unit_head_comments_and_others_cannot(org, unit_head, outsider, staff):
    log = make_log("jingfa_staff")
    page = unit_head.get(log.get_absolute_url())
    assert page.context["comment_form"] is not None
    assert staff.get(log.get_absolute_url()).context["comment_form"] is None
    url = reverse("worklogs:log_comment", args=[log.pk])
    assert unit_head.post(url, {"text": "已阅,继续跟踪。"}).status_code == 302
    assert LogComment.objects.get().text == "已阅,继续跟踪。"
    assert outsider.post(url, {"text": "x"}).status_code == 404
    assert staff.post(url, {"text": "x"}).status_code == 403
    assert unit_head.get(url).status_code == 405


@pytest.mark.django_db
def test_submissions_page_shows_statuses_by_unit(org, unit_head, outsider):
    on_roster("jingfa_staff", "jingfa", "chengdong", since=SAT)
    make_log("jingfa_staff", SAT, submitted=local(SAT, 18))
    response = unit_head.get(reverse("worklogs:submissions"), {"weekend": SAT.isoformat()})
    tallies = response.context["tallies"]
    assert [t.unit.name for t in tallies] == ["经济发展局"]  # only the units one can see
    assert {row.person.name: row.status for row in tallies[0].rows} == {
        "刘洋": "on_time", "张强": "missing",
    }  # fmt: skip
    assert [
        t.unit.name for t in outsider.get(reverse("worklogs:submissions")).context["tallies"]
    ] == ["城东产业园"]


@pytest.mark.django_db
def test_roster_pages(org, unit_head, staff, outsider):
    staff_person = person("jingfa_staff")
    assert (
        unit_head.post(reverse("worklogs:roster_add"), {"person": staff_person.pk}).status_code
        == 302
    )
    assert Duty.objects.filter(person=staff_person).exists()
    assert (
        staff.post(reverse("worklogs:roster_remove"), {"person": staff_person.pk}).status_code
        == 403
    )
    assert (
        outsider.post(reverse("worklogs:roster_remove"), {"person": staff_person.pk}).status_code
        == 404
    )
    response = unit_head.post(
        reverse("worklogs:exemption_add"),
        {"unit": staff_person.unit_id, "person": staff_person.pk, "reason": "leave",
         "start": "2026-11-22", "end": "2026-11-21"},
    )  # fmt: skip
    assert response.status_code == 302 and not Exemption.objects.exists()
    page = unit_head.get(response.url)
    assert "结束日期不能早于开始日期" in page.content.decode()
    unit_head.post(
        reverse("worklogs:exemption_add"),
        {"unit": staff_person.unit_id, "person": staff_person.pk, "reason": "leave",
         "start": "2026-11-21", "end": "2026-11-22"},
    )  # fmt: skip
    exemption = Exemption.objects.get()
    assert (
        outsider.post(reverse("worklogs:exemption_delete", args=[exemption.pk])).status_code == 404
    )
    assert (
        unit_head.post(reverse("worklogs:exemption_delete", args=[exemption.pk])).status_code == 302
    )
    assert not Exemption.objects.exists()


@pytest.mark.django_db
def test_visits_page_lists_stale_key_records(org, leader):
    make_enterprise("国药集团随州中药有限公司", unit="经济发展局", is_key=True)
    response = leader.get(reverse("worklogs:visits"), {"stale": "1"})
    names = [r.name for r in response.context["page"]]
    assert names == ["国药集团随州中药有限公司"]
    assert "从未走访" in response.content.decode()


@pytest.mark.django_db
def test_project_and_enterprise_pages_show_recent_visits_in_scope(org, staff, outsider, leader):
    from tuijin.worklogs.tests.factories import visit_to

    project = make_project("犇星二期年产3万吨新能源电解液", park="城东产业园")
    enterprise = make_enterprise("湖北犇星新能源材料有限公司", park="城东产业园")
    make_log("jingfa_staff", visits=[visit_to(project, purpose="督促设备安装"),
                                     visit_to(enterprise, purpose="听取诉求")])  # fmt: skip
    assert "督促设备安装" in staff.get(project.get_absolute_url()).content.decode()
    assert "听取诉求" in staff.get(enterprise.get_absolute_url()).content.decode()
    # 城东产业园's head sees the project (its park) but not 经济发展局's log about it.
    page = outsider.get(project.get_absolute_url())
    assert page.status_code == 200 and "督促设备安装" not in page.content.decode()


@pytest.mark.django_db
def test_liaison_and_inspector_cannot_write_logs(org, liaison, inspector):
    assert liaison.get(reverse("worklogs:log_create")).status_code == 403
    assert inspector.get(reverse("worklogs:log_create")).status_code == 403


@pytest.mark.django_db
def test_home_shows_my_weekend_log_to_those_on_the_roster(org, staff, unit_head):
    import time_machine

    on_roster("jingfa_staff", since=SAT)
    with time_machine.travel(local(SAT + dt.timedelta(days=2), 9)):  # Monday morning
        html = staff.get(reverse("home")).content.decode()
        assert "我的周末日志" in html and "未提交" in html
        assert reverse("worklogs:log_create") in html
        assert "我的周末日志" not in unit_head.get(reverse("home")).content.decode()
        make_log("jingfa_staff", SUN, submitted=local(SUN, 21))
        html = staff.get(reverse("home")).content.decode()
        assert "按时提交" in html


@pytest.mark.django_db
def test_counts_are_capped_on_huge_results(org, leader, monkeypatch):
    from tuijin.worklogs import views

    monkeypatch.setattr(views, "COUNT_CAP", 2)
    for _ in range(3):
        make_log("jingfa_staff", text="土地指标短缺")
    response = leader.get(reverse("worklogs:log_list"), {"q": "土地指标"})
    assert response.context["capped"] is True
    assert "超过 2 篇" in response.content.decode()
    assert len(texts(response)) == 1 and len(response.context["page"]) == 3
    make_log("jingfa_staff", text="其他")
    response = leader.get(reverse("worklogs:log_list"), {"q": "其他"})
    assert response.context["capped"] is False and "共 1 篇" in response.content.decode()


@pytest.mark.django_db
def test_a_transferred_cadre_keeps_their_own_logs(org, staff, unit_head):
    from tuijin.org.models import Unit

    log = make_log("jingfa_staff")
    cadre = person("jingfa_staff")
    cadre.unit = Unit.objects.get(name="招商局")
    cadre.save()
    assert staff.get(log.get_absolute_url()).status_code == 200  # still theirs
    assert unit_head.get(log.get_absolute_url()).status_code == 200  # still 经济发展局's
    assert WorkLog.objects.get(pk=log.pk).unit.name == "经济发展局"


@pytest.mark.django_db
def test_list_count_is_unordered_and_zone_readers_are_not_filtered(org, leader, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tuijin.worklogs.tests.factories import user

    make_log("jingfa_staff")
    with CaptureQueriesContext(connection) as context:
        leader.get(reverse("worklogs:log_list"))
    (count,) = [q["sql"] for q in context if "COUNT(" in q["sql"] and "worklog" in q["sql"]]
    assert "ORDER BY" not in count  # sorting every match is what made counting slow
    assert "WHERE" not in str(WorkLog.objects.visible_to(user("leader")).query)
    assert "WHERE" in str(WorkLog.objects.visible_to(user("jingfa_staff")).query)
