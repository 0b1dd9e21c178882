"""The planning pool's pages (years, their projects, approval, quarterly updates), the clock
rules page and the funnel's query parameters and .xlsx: who may do what through the pages,
refusals that change nothing, errors named in Chinese."""

import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tuijin.investment.models import (
    ClockRules,
    CycleState,
    PlanList,
    PlannedProject,
    PlannedUpdate,
    PlanningCycle,
)
from tuijin.investment.tests.factories import make_lead, unit, user


def flashed(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def planned_data(name, unit_name="城东产业园", **changes):
    data = {
        "name": name,
        "plan_list": PlanList.START,
        "unit": unit(unit_name).pk,
        "park": unit("城东产业园").pk,
        "total_investment": "5000",
        "land_mu": "40",
        "energy_tce": "100",
        "electricity_10k_kwh": "0",
        "green_share": "0",
    }
    return data | changes


@pytest.mark.django_db
def test_a_cycle_from_call_to_publication_through_the_pages(org, client):
    client.force_login(user("chengdong"))  # a park: fills in, does not run the cycle
    assert client.get(reverse("investment:cycle_list")).context["can_manage"] is False
    assert client.get(reverse("investment:cycle_create")).status_code == 403
    refused = client.post(reverse("investment:cycle_create"), {"year": 2041, "title": "园区"})
    assert refused.status_code == 403
    assert not PlanningCycle.objects.filter(year=2041).exists()

    client.force_login(user("zhaoshang"))
    assert client.get(reverse("investment:cycle_list")).context["can_manage"] is True
    bad = client.post(reverse("investment:cycle_create"), {"year": 3000, "title": "太远"})
    assert bad.status_code == 400 and "year" in bad.context["form"].errors
    made = client.post(
        reverse("investment:cycle_create"), {"year": 2041, "title": "2041年项目谋划"}
    )
    cycle = PlanningCycle.objects.get(year=2041, title="2041年项目谋划")
    assert made["Location"] == cycle.get_absolute_url()
    again = client.post(reverse("investment:cycle_create"), {"year": 2041, "title": "重复"})
    assert again.status_code == 400
    assert "2041年度的项目谋划已经发起。" in again.content.decode()
    assert PlanningCycle.objects.filter(year=2041).count() == 1

    # The park puts a project forward in its own name, not in the bureau's.
    client.force_login(user("chengdong"))
    add = reverse("investment:planned_create", args=[cycle.pk])
    assert client.get(add).status_code == 200
    other = client.post(add, planned_data("替招商局申报", unit_name="招商局"))
    assert other.status_code == 400
    assert "只能以本单位名义申报谋划项目。" in other.content.decode()
    negative = client.post(add, planned_data("负用地", land_mu="-3"))
    assert negative.status_code == 400 and "land_mu" in negative.context["form"].errors
    ok = client.post(add, planned_data("城东标准厂房五期"))
    planned = PlannedProject.objects.get(name="城东标准厂房五期")
    assert ok["Location"] == planned.get_absolute_url()
    assert not PlannedProject.objects.filter(name__in=["替招商局申报", "负用地"]).exists()

    # The bureau's own project on another list, then the year's page filtered by list.
    client.force_login(user("zhaoshang"))
    client.post(add, planned_data("招商局签约项目", unit_name="招商局", plan_list=PlanList.SIGN))
    detail = reverse("investment:cycle_detail", args=[cycle.pk])
    every = client.get(detail)
    assert every.context["count"] == 2
    signed = client.get(detail, {"plan_list": PlanList.SIGN})
    assert [key for _label, key, _rows in signed.context["sections"]] == [PlanList.SIGN]
    assert client.get(detail, {"plan_list": "nonsense"}).context["count"] == 2

    # The park does not advance the cycle; a stale or missing version is a message.
    advance = reverse("investment:cycle_advance", args=[cycle.pk])
    client.force_login(user("chengdong"))
    assert client.post(advance, {"version": cycle.version}).status_code in (403, 404)
    assert PlanningCycle.objects.get(pk=cycle.pk).state == CycleState.CALLING
    client.force_login(user("zhaoshang"))
    assert "页面已过期,请刷新后重试。" in flashed(client.post(advance, {}))
    assert flashed(client.post(advance, {"version": cycle.version + 5}))
    assert PlanningCycle.objects.get(pk=cycle.pk).state == CycleState.CALLING
    client.post(advance, {"version": cycle.version})
    cycle.refresh_from_db()
    assert cycle.state == CycleState.REVIEWING

    # The call is closed: the park can no longer put a project forward.
    client.force_login(user("chengdong"))
    assert client.post(add, planned_data("迟到的项目")).status_code == 403
    assert not PlannedProject.objects.filter(name="迟到的项目").exists()

    client.force_login(user("zhaoshang"))
    client.post(advance, {"version": cycle.version})
    cycle.refresh_from_db()
    assert cycle.state == CycleState.PUBLISHED and cycle.published_on
    assert "该谋划年度已发布。" in flashed(client.post(advance, {"version": cycle.version}))


@pytest.mark.django_db
def test_a_planned_project_edited_approved_and_updated_through_the_pages(org, client):
    client.force_login(user("zhaoshang"))
    client.post(reverse("investment:cycle_create"), {"year": 2042, "title": "2042年项目谋划"})
    cycle = PlanningCycle.objects.get(year=2042)
    client.force_login(user("chengdong"))
    client.post(reverse("investment:planned_create", args=[cycle.pk]), planned_data("园区项目"))
    planned = PlannedProject.objects.get(name="园区项目")

    page = client.get(planned.get_absolute_url())
    assert page.context["editable"] and page.context["update_form"] is not None
    assert page.context["can_manage"] is False and page.context["lead"] is None

    edit = reverse("investment:planned_edit", args=[planned.pk])
    assert client.get(edit).status_code == 200
    data = planned_data("园区项目(改)", version=planned.version)
    assert client.post(edit, data)["Location"] == planned.get_absolute_url()
    stale = client.post(edit, data | {"name": "园区项目(再改)"})
    assert stale.status_code == 409
    negative = client.post(
        edit, planned_data("园区项目(改)", version=planned.version + 1, energy_tce="-1")
    )
    assert negative.status_code == 400 and "energy_tce" in negative.context["form"].errors
    planned.refresh_from_db()
    assert planned.name == "园区项目(改)" and planned.energy_tce == 100

    approve = reverse("investment:planned_approve", args=[planned.pk])
    assert client.post(approve).status_code == 403  # the park does not approve its own
    assert PlannedProject.objects.get(pk=planned.pk).approved is False

    update = reverse("investment:planned_update", args=[planned.pk])
    bad = client.post(update, {"quarter": "2042-1", "text": "完成备案"})
    assert "季度的格式为“2023Q1”。" in flashed(bad)
    blank = client.post(update, {"quarter": "2042Q1", "text": "   "})
    assert flashed(blank)
    assert not PlannedUpdate.objects.filter(planned=planned).exists()
    ok = client.post(update, {"quarter": "2042Q1", "text": "完成备案"})
    assert "季度进展已保存。" in flashed(ok)
    assert PlannedUpdate.objects.get(planned=planned).text == "完成备案"

    client.force_login(user("jingfa"))  # another unit: does not see the park's project
    assert client.get(planned.get_absolute_url()).status_code == 404
    assert client.post(update, {"quarter": "2042Q2", "text": "越权"}).status_code == 404
    assert PlannedUpdate.objects.filter(planned=planned).count() == 1

    client.force_login(user("zhaoshang"))
    assert client.get(planned.get_absolute_url()).context["can_manage"] is True
    client.post(approve)
    assert PlannedProject.objects.get(pk=planned.pk).approved is True
    client.post(approve)  # a second press withdraws the approval
    assert PlannedProject.objects.get(pk=planned.pk).approved is False


def rules_data(**changes):
    data = {
        "respond_days": 1,
        "assess_days": 3,
        "assess_days_large": 7,
        "large_investment": "100000",
        "progress_days": 14,
        "register_days": 30,
        "funds_months": 3,
        "funds_share": 25,
        "start_months": 6,
        "notice_days": 90,
    }
    return data | changes


@pytest.mark.django_db
def test_clock_rules_page(org, client):
    url = reverse("investment:clock_rules")
    client.force_login(user("qiye"))
    assert client.get(url).status_code == 403
    client.force_login(user("chengdong"))  # reads the rules, may not change them
    assert client.get(url).context["can_edit"] is False
    assert client.post(url, rules_data(respond_days=5, version=0)).status_code == 403
    assert not ClockRules.objects.filter(respond_days=5).exists()

    client.force_login(user("zhaoshang"))
    page = client.get(url)
    assert page.status_code == 200 and page.context["can_edit"] is True
    version = page.context["form"].initial.get("version", 0)
    saved = client.post(url, rules_data(respond_days=2, version=version))
    assert saved.status_code == 302 and saved["Location"] == url
    rules = ClockRules.objects.get(zone=unit("招商局").zone)
    assert rules.respond_days == 2
    stale = client.post(url, rules_data(respond_days=4, version=version))
    assert stale.status_code == 409
    bad = client.post(url, rules_data(funds_share="abc", version=rules.version))
    assert bad.status_code == 400 and "funds_share" in bad.context["form"].errors
    rules.refresh_from_db()
    assert rules.respond_days == 2 and rules.funds_share == 25


@pytest.mark.django_db
def test_the_zones_first_clock_rules_saved_by_two_at_once_are_a_form_error_not_a_500(org):
    # On PostgreSQL both saves find no rules; the second insert then meets the first's row
    # (made here as the service saves its new one): a form error, not an IntegrityError.
    from django.core.exceptions import ValidationError
    from django.db.models.signals import pre_save

    from tuijin.investment import services

    zone = unit("招商局").zone
    made = []

    def the_other_saves_first(sender, instance, **kwargs):
        if instance.pk is None and not made:
            made.append(1)
            ClockRules.objects.bulk_create([ClockRules(zone=zone, respond_days=5)])

    pre_save.connect(the_other_saves_first, sender=ClockRules, dispatch_uid="race")
    try:
        with pytest.raises(ValidationError, match="招商时限规则刚刚已被他人设置"):
            services.save_clock_rules(user("zhaoshang"), zone, 0, respond_days=2)
    finally:
        pre_save.disconnect(sender=ClockRules, dispatch_uid="race")
    assert made


@pytest.mark.django_db
def test_funnel_parameters_and_its_xlsx_read_back(org, client):
    make_lead("漏斗页面项目", total_investment=12345)
    client.force_login(user("qiye"))
    assert client.get(reverse("investment:funnel")).status_code == 403
    client.force_login(user("zhaoshang"))
    bad = client.get(reverse("investment:funnel"), {"year": "abc", "by": "nonsense"})
    assert bad.status_code == 200
    assert bad.context["year"] is None and bad.context["by"] == "unit"
    by_park = client.get(reverse("investment:funnel"), {"year": 2026, "by": "park"})
    assert by_park.context["year"] == 2026 and by_park.context["by"] == "park"

    response = client.get(reverse("investment:funnel_xlsx"), {"year": 2026})
    assert "2026" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert any(row[0] == "2026年招商项目漏斗与转化率" for row in rows)
    lead_row = next(row for row in rows if row[0] == "线索")
    assert lead_row[1] >= 1 and lead_row[2] >= 12345
    assert any(row[0] == "合计" for row in rows)


@pytest.mark.django_db
def test_a_green_share_above_a_hundred_is_named_on_the_planned_form(org, client):
    client.force_login(user("zhaoshang"))
    client.post(reverse("investment:cycle_create"), {"year": 2044, "title": "2044年项目谋划"})
    cycle = PlanningCycle.objects.get(year=2044)
    add = reverse("investment:planned_create", args=[cycle.pk])
    refused = client.post(add, planned_data("绿电超百项目", green_share="150"))
    assert refused.status_code == 400
    assert refused.context["form"].errors["green_share"] == ["确保该值小于或等于100。"]
    client.post(add, planned_data("绿电项目", green_share="40"))
    planned = PlannedProject.objects.get(name="绿电项目")
    edited = client.post(
        reverse("investment:planned_edit", args=[planned.pk]),
        planned_data("绿电项目", green_share="150", version=planned.version),
    )
    assert edited.status_code == 400 and "green_share" in edited.context["form"].errors
    assert PlannedProject.objects.get(pk=planned.pk).green_share == 40
    assert not PlannedProject.objects.filter(name="绿电超百项目").exists()
