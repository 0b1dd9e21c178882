"""The factors pages' branches: movements posted from the park page (reserve, commit, release,
low-efficiency land flagged and freed), a project's needs, the zone's rules, escalation from the
sheet, the 亩均 pages and the exports read back. Refusals change no row."""

import io
from decimal import Decimal

from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from conftest import login_as
from tuijin.factors import services
from tuijin.factors.models import (
    Allocation,
    AllocationState,
    Evaluation,
    FactorNeed,
    FactorRules,
    LandFlag,
    LandFlagState,
    Source,
    SupplyEntry,
)
from tuijin.factors.tests.factories import day, enterprise, project, supply, unit, user

D = Decimal
YEAR = 2027


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _cells(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _park_url(park, year=YEAR, anchor=""):
    return reverse("factors:park", args=[park.pk]) + f"?year={year}{anchor}"


# --- reserve, commit, release from the park page ------------------------------------------------


def test_reserve_from_the_park_page_then_commit_and_release(org):
    park = unit("府南产业园")
    supply("府南产业园", YEAR, Source.NEW_LAND, 100)
    p = project("一期", land=60, start=day(YEAR, 2))
    client = login_as("leader")
    form = {"park": park.pk, "year": YEAR, "factor": "land", "subject": f"project-{p.pk}"}
    response = client.post(reverse("factors:reserve"), form | {"quantity": "60亩"})
    assert response.status_code == 302
    assert response["Location"] == _park_url(park, anchor="#allocations")
    a = Allocation.objects.get()
    assert (a.quantity, a.state, a.project) == (D(60), AllocationState.RESERVED, p)

    # more than is left: the quantity field carries the refusal, nothing reserved
    response = client.post(reverse("factors:reserve"), form | {"quantity": "50"})
    assert response.status_code == 400 and "超过可用指标" in response.content.decode()
    assert Allocation.objects.count() == 1
    # a subject from another park
    response = client.post(reverse("factors:reserve"), form | {"subject": "project-999999",
                                                              "quantity": "1"})  # fmt: skip
    assert response.status_code == 400
    assert "请选择本园区的项目或招商线索" in response.content.decode()

    action = reverse("factors:allocation_action", args=[a.pk, "commit"])
    response = client.post(action, {"version": a.version})  # no document
    assert "请填写“批准文件”" in _messages(response)
    assert Allocation.objects.get().state == AllocationState.RESERVED
    response = client.post(action, {"version": a.version, "document": "随自然资发〔2027〕3号"})
    assert "已占用" in _messages(response)
    a.refresh_from_db()
    assert a.state == AllocationState.COMMITTED and a.document == "随自然资发〔2027〕3号"
    release = reverse("factors:allocation_action", args=[a.pk, "release"])
    response = client.post(release, {"version": a.version, "note": "调整"})
    assert "已释放,指标回到园区" in _messages(response)  # a commitment can be given back
    a.refresh_from_db()
    assert a.state == AllocationState.RELEASED and a.note == "调整"
    response = client.post(release, {"version": a.version, "note": "再次"})
    assert "该指标已释放,不能再变更" in _messages(response)
    a.refresh_from_db()
    assert a.note == "调整"
    bad = client.post(reverse("factors:allocation_action", args=[a.pk, "delete"]), {})
    assert bad.status_code == 404


def test_release_returns_the_quantity_and_a_stale_version_is_refused(org):
    park = unit("府南产业园")
    supply("府南产业园", YEAR, Source.NEW_LAND, 100)
    p = project("一期", land=60, start=day(YEAR, 2))
    a = services.reserve(user("leader"), park=park, year=YEAR, factor="land", quantity=D(60),
                         project=p)  # fmt: skip
    client = login_as("leader")
    url = reverse("factors:allocation_action", args=[a.pk, "release"])
    response = client.post(url, {"version": a.version + 5, "note": "调整"})
    assert "刚刚已被他人修改" in _messages(response)
    assert Allocation.objects.get().state == AllocationState.RESERVED
    response = client.post(url, {"version": a.version, "note": "调整"})
    assert "已释放,指标回到园区" in _messages(response)
    assert services.available(park.pk, YEAR, "land") == 100


def test_movements_are_refused_to_readers_and_other_parks(org):
    park = unit("府南产业园")
    supply("府南产业园", YEAR, Source.NEW_LAND, 100)
    p = project("一期", land=60, start=day(YEAR, 2))
    form = {"park": park.pk, "year": YEAR, "factor": "land", "subject": f"project-{p.pk}",
            "quantity": "10"}  # fmt: skip
    assert login_as("duban").post(reverse("factors:reserve"), form).status_code == 403
    assert login_as("chengdong").post(reverse("factors:reserve"), form).status_code == 404
    assert login_as("qiye").post(reverse("factors:reserve"), form).status_code == 403
    a = services.reserve(user("leader"), park=park, year=YEAR, factor="land", quantity=D(10),
                         project=p)  # fmt: skip
    url = reverse("factors:allocation_action", args=[a.pk, "commit"])
    response = login_as("duban").post(url, {"version": a.version, "document": "文"})
    assert response.status_code in (403, 404)
    assert Allocation.objects.get().state == AllocationState.RESERVED
    assert Allocation.objects.count() == 1


def test_a_form_without_a_park_goes_back_to_the_sheet(org):
    client = login_as("leader")
    for name in ("supply_add", "reserve", "flag_add", "escalate"):
        response = client.post(reverse(f"factors:{name}"), {"park": "abc"})
        assert response.status_code == 302 and response["Location"] == reverse("factors:sheet")
        assert "请选择园区" in _messages(response)
    assert not SupplyEntry.objects.exists() and not LandFlag.objects.exists()


def test_supply_added_from_the_park_page(org):
    park = unit("府南产业园")
    response = login_as("ziran").post(
        reverse("factors:supply_add"),
        {"park": park.pk, "year": YEAR, "source": "new_land", "quantity": "120亩",
         "document_title": "用地计划通知", "document_number": "随自然资发〔2027〕1号"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == _park_url(park, anchor="#supply")
    entry = SupplyEntry.objects.get()
    assert (entry.park, entry.quantity, entry.year) == (park, D(120), YEAR)


def test_a_service_refusal_on_a_field_stands_beside_that_field(org, monkeypatch):
    park = unit("府南产业园")

    def refuse(*args, **kwargs):
        raise ValidationError({"document_title": "该文件已废止。"})

    monkeypatch.setattr(services, "add_supply", refuse)
    response = login_as("ziran").post(
        reverse("factors:supply_add"),
        {"park": park.pk, "year": YEAR, "source": "new_land", "quantity": "120亩",
         "document_title": "旧计划通知"},
    )  # fmt: skip
    assert response.status_code == 400
    form = response.context["supply_form"]
    assert form.errors == {"document_title": ["该文件已废止。"]}
    assert "alert-danger" not in response.content.decode().split('id="supply-form"')[1]
    assert not SupplyEntry.objects.exists()


# --- low-efficiency land ------------------------------------------------------------------------


def test_land_flagged_then_freed_becomes_supply(org):
    park = unit("城东产业园")
    firm = enterprise("低效公司", park="城东产业园")
    client = login_as("chengdong")
    form = {"park": park.pk, "year": YEAR, "kind": "supplied_not_used",
            "enterprise": firm.pk, "location": "东城路1号"}  # fmt: skip
    response = client.post(reverse("factors:flag_add"), form | {"area_mu": "12平方米"})
    assert response.status_code == 400 and "单位应为亩" in response.content.decode()
    assert not LandFlag.objects.exists()
    response = client.post(reverse("factors:flag_add"), form | {"area_mu": "12亩"})
    assert response.status_code == 302 and response["Location"].endswith("#flags")
    flag = LandFlag.objects.get()
    assert (flag.area_mu, flag.enterprise, flag.state) == (D(12), firm, LandFlagState.FLAGGED)

    free = reverse("factors:flag_free", args=[flag.pk])
    response = client.post(free, {"version": flag.version, "year": YEAR})
    assert "请填写“盘活文件”" in _messages(response)
    assert not SupplyEntry.objects.exists()
    response = client.post(free, {"version": flag.version + 3, "year": YEAR,
                                  "document_title": "盘活批复"})  # fmt: skip
    assert "刚刚已被他人修改" in _messages(response)
    assert not SupplyEntry.objects.exists()
    response = client.post(free, {"version": flag.version, "year": YEAR,
                                  "document_title": "盘活批复"})  # fmt: skip
    assert f"已盘活 {flag.area_mu} 亩,计入{YEAR}年土地供给" in _messages(response)
    entry = SupplyEntry.objects.get()
    assert (entry.source, entry.quantity, entry.land_flag) == (Source.STOCK_LAND, D(12), flag)
    flag.refresh_from_db()
    assert flag.state == LandFlagState.FREED
    response = client.post(free, {"version": flag.version, "year": YEAR,
                                  "document_title": "盘活批复"})  # fmt: skip
    assert "该地块已盘活" in _messages(response)
    assert SupplyEntry.objects.count() == 1
    # 府南's people cannot touch 城东's plot
    other = login_as("funan") if _exists("funan") else login_as("duban")
    response = other.post(free, {"version": flag.version, "year": YEAR, "document_title": "x"})
    assert response.status_code in (403, 404)


def _exists(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=username).exists()


# --- a project's needs --------------------------------------------------------------------------


def test_a_projects_needs_are_entered_and_checked(org):
    park = unit("府南产业园")
    p = project("需求项目", land=0, start=day(YEAR, 3))
    FactorNeed.objects.filter(project=p).delete()
    url = reverse("factors:need_edit", args=[p.pk])
    client = login_as("leader")
    page = client.get(url)
    assert page.status_code == 200 and "需求项目" in page.content.decode()
    values = {"land_mu": "30亩", "energy_tce": "500", "electricity_10k_kwh": "100",
              "green_share": "120", "expected_start": f"{YEAR}-03-01"}  # fmt: skip
    response = client.post(url, values)
    assert (
        response.status_code == 200 and "“绿电占比(%)”应在0到100之间" in response.content.decode()
    )
    assert not FactorNeed.objects.filter(project=p).exists()
    response = client.post(url, values | {"land_mu": "30公顷", "green_share": "20"})
    assert "“用地(亩)”的单位应为亩" in response.content.decode()
    assert not FactorNeed.objects.filter(project=p).exists()
    response = client.post(url, values | {"green_share": "20"})
    assert response.status_code == 302
    assert response["Location"] == reverse("factors:park", args=[park.pk]) + "#needs"
    need = FactorNeed.objects.get(project=p)
    assert (need.land_mu, need.energy_tce, need.green_share) == (D(30), D(500), D(20))
    stale = client.post(url, values | {"green_share": "30", "version": need.version + 4})
    assert stale.status_code == 409
    need.refresh_from_db()
    assert need.green_share == 20
    assert login_as("duban").post(url, values | {"green_share": "1"}).status_code in (403, 404)
    assert login_as("chengdong").get(url).status_code == 404
    need.refresh_from_db()
    assert need.green_share == 20


def test_needs_entered_by_someone_else_since_the_blank_form_was_opened_are_not_overwritten(org):
    # Two people open the blank needs form of a project and save one after the other: the
    # second is refused (409 in the view), not saved over the first unseen.
    import pytest

    from tuijin.core.versions import Conflict
    from tuijin.factors.forms import NeedForm

    p = project("两人同填", land=0, start=day(YEAR, 3))
    FactorNeed.objects.filter(project=p).delete()
    values = {"land_mu": "30", "energy_tce": "", "electricity_10k_kwh": "", "green_share": "",
              "expected_start": f"{YEAR}-03-01"}  # fmt: skip
    first, second = NeedForm(values), NeedForm(values | {"land_mu": "99"})
    assert first.is_valid() and second.is_valid()
    fields = NeedForm._meta.fields
    services.set_need(
        user("leader"), p, first.seen_version(), **{f: first.cleaned_data[f] for f in fields}
    )
    with pytest.raises(Conflict, match="该项目的要素需求刚刚已被他人修改"):
        services.set_need(
            user("leader"), p, second.seen_version(), **{f: second.cleaned_data[f] for f in fields}
        )
    assert FactorNeed.objects.get(project=p).land_mu == D(30)


def test_set_need_refuses_negative_and_over_100_percent(org):
    import pytest
    from django.core.exceptions import PermissionDenied, ValidationError

    p = project("服务项目", start=day(YEAR, 3))
    with pytest.raises(ValidationError, match="“绿电占比”应在0到100之间"):
        services.set_need(user("leader"), p, None, green_share=D(101))
    with pytest.raises(ValidationError, match="“用地”不能为负数"):
        services.set_need(user("leader"), p, None, land_mu=D(-1))
    with pytest.raises(PermissionDenied):
        services.set_need(user("duban"), p, None, land_mu=D(1))
    need = FactorNeed.objects.get(project=p)
    assert need.land_mu == 0 and need.green_share == 0


# --- rules --------------------------------------------------------------------------------------


RULES = {"exclude_green": "on", "green_tce_per_10k_kwh": "1.229", "weight_tax": 40,
         "weight_sales": 20, "weight_energy": 20, "weight_rnd": 15, "weight_labour": 5,
         "class_a": 20, "class_b": 70, "class_c": 95, "desk_keywords": ""}  # fmt: skip


def test_rules_are_saved_checked_and_refused_to_readers(org):
    url = reverse("factors:rules")
    assert login_as("duban").get(url).status_code == 200
    assert login_as("duban").post(url, RULES).status_code == 403
    assert not FactorRules.objects.exists()
    client = login_as("leader")
    response = client.post(url, RULES | {"weight_tax": 50})
    assert (
        response.status_code == 400 and "五项权重之和应为100,现为110" in response.content.decode()
    )
    response = client.post(url, RULES | {"class_b": 10})
    assert response.status_code == 400 and "A类 &lt; B类 &lt; C类" in response.content.decode()
    assert not FactorRules.objects.exists()
    response = client.post(url, RULES)
    assert response.status_code == 302
    rules = FactorRules.objects.get(zone=unit("随州高新区"))
    assert (rules.weight_tax, rules.class_a) == (40, 20)
    stale = client.post(url, RULES | {"weight_tax": 45, "weight_energy": 15, "version": 99})
    assert stale.status_code == 400 and "刚刚已被他人修改" in stale.content.decode()
    rules.refresh_from_db()
    assert rules.weight_tax == 40
    # an evaluation opened now takes the zone's rules
    evaluation = services.open_evaluation(user("leader"), unit("随州高新区"), 2026)
    assert evaluation.weights["tax"] == 40 and evaluation.class_a == 20


# --- escalation from the sheet ------------------------------------------------------------------


def test_escalate_a_stalled_project_and_then_once_only(org):
    from tuijin.supervision.models import Problem

    park = unit("府南产业园")
    supply("府南产业园", YEAR, Source.NEW_LAND, 10)
    p = project("缺地项目", land=50, start=day(YEAR, 3))
    client = login_as("leader")
    form = {"park": park.pk, "year": YEAR, "factor": "land", "subject": f"project-{p.pk}"}
    response = client.post(reverse("factors:escalate"), form)
    problem = Problem.objects.get(project=p)
    assert response.status_code == 302 and response["Location"] == problem.get_absolute_url()
    assert "已提交会议研究" in _messages(response) and "缺口40.00亩" in problem.description
    sheet = client.get(reverse("factors:sheet") + f"?year={YEAR}")
    assert sheet.context["stalled"][0].escalated["land"] == problem
    again = client.post(reverse("factors:escalate"), form)
    assert "已提交研究" in _messages(again)
    assert again["Location"] == reverse("factors:sheet") + f"?year={YEAR}"
    assert Problem.objects.filter(project=p).count() == 1
    bad = client.post(reverse("factors:escalate"), form | {"subject": "drop table"})
    assert "提交的缺口无效" in _messages(bad)
    missing = client.post(reverse("factors:escalate"), form | {"subject": "project-999999"})
    assert missing.status_code == 404
    assert login_as("qiye").post(reverse("factors:escalate"), form).status_code == 403
    assert Problem.objects.filter(project=p).count() == 1


def test_escalating_a_signed_lead_enters_it_in_the_ledger(org):
    import datetime as dt

    from django.utils import timezone

    from tuijin.investment.models import Lead
    from tuijin.meetings.models import Meeting, MeetingKind
    from tuijin.projects.models import Project
    from tuijin.supervision.models import Problem

    park = unit("府南产业园")
    lead = Lead.objects.create(
        name="签约电池项目", park=park, unit=unit("招商局"), stage="signed",
        received_on=day(YEAR - 1, 1), signed_on=day(YEAR - 1, 6), expected_start=day(YEAR, 4),
        land_mu=D(80), energy_tce=D(0),
    )  # fmt: skip
    Meeting.objects.create(kind=MeetingKind.ONSITE, title="府南现场办公会", park=park,
                           starts_at=timezone.now() + dt.timedelta(days=3))  # fmt: skip
    form = {"park": park.pk, "year": YEAR, "factor": "land", "subject": f"lead-{lead.pk}"}
    response = login_as("leader").post(reverse("factors:escalate"), form)
    assert response.status_code == 302
    assert "将列入“府南现场办公会”的议程" in _messages(response)
    lead.refresh_from_db()
    assert lead.project is not None and lead.project.name == "签约电池项目"
    assert Project.objects.get(pk=lead.project_id).code == f"ZS-{lead.pk}"
    assert Problem.objects.get(project=lead.project).level == Problem.Level.MEETING


# --- 亩均 pages -----------------------------------------------------------------------------------


def test_an_evaluation_is_opened_once_a_year_and_not_by_readers(org):
    url = reverse("factors:evaluations")
    assert login_as("duban").post(url, {"year": 2026}).status_code == 403
    assert not Evaluation.objects.exists()
    client = login_as("leader")
    response = client.post(url, {"year": 2026})
    evaluation = Evaluation.objects.get()
    assert response.status_code == 302 and response["Location"] == evaluation.get_absolute_url()
    again = client.post(url, {"year": 2026})
    assert again.status_code == 400 and "2026年度的亩均评价已存在" in again.content.decode()
    assert Evaluation.objects.count() == 1
    listing = client.get(url)
    assert listing.status_code == 200 and evaluation in listing.context["evaluations"]


WEIGHTS = {"weight_tax": 45, "weight_sales": 20, "weight_energy": 15, "weight_rnd": 15,
           "weight_labour": 5, "class_a": 25, "class_b": 70, "class_c": 95}  # fmt: skip


def test_weights_are_changed_on_the_evaluation_page_and_results_recomputed(org):
    evaluation = services.open_evaluation(user("leader"), unit("随州高新区"), 2026)
    for name, tax in (("甲", 3000), ("乙", 300)):
        services.record_result(
            user("leader"), evaluation, enterprise(f"{name}公司"), land_mu=D(100), tax=D(tax),
            sales=D(1000), added_value=D(100), energy_tce=D(10), rnd=D(10), employees=10,
        )  # fmt: skip
    services.compute_evaluation(user("leader"), evaluation.pk)
    client = login_as("leader")
    url = evaluation.get_absolute_url()
    response = client.post(url, WEIGHTS | {"weight_tax": 60, "version": evaluation.version})
    assert (
        response.status_code == 400 and "五项权重之和应为100,现为115" in response.content.decode()
    )
    response = client.post(url, WEIGHTS | {"class_a": 80, "version": evaluation.version})
    assert response.status_code == 400 and "A类 &lt; B类 &lt; C类" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.weight_tax == 45
    new = WEIGHTS | {"weight_tax": 25, "weight_sales": 40, "class_a": 50,
                     "version": evaluation.version}  # fmt: skip
    response = client.post(url, new)
    assert response.status_code == 302 and "已调整权重并重新计算" in _messages(response)
    evaluation.refresh_from_db()
    assert (evaluation.weight_tax, evaluation.weight_sales, evaluation.class_a) == (25, 40, 50)
    stale = client.post(url, new | {"version": 1})
    assert stale.status_code == 400 and "刚刚已被他人修改" in stale.content.decode()

    page = client.get(url)
    assert page.context["counts"]["A"] == 1
    export = client.get(reverse("factors:evaluation_xlsx", args=[evaluation.pk]))
    rows = _cells(b"".join(export.streaming_content))
    text = " ".join(str(c) for row in rows for c in row if c is not None)
    assert "2026年度亩均效益评价(权重 税收25/销售40" in text
    firms = [row for row in rows if "甲公司" in row or "乙公司" in row]
    assert [row[0] for row in firms] == [1, 2]  # ranked, best first
    assert firms[0][1] == "A" and firms[0][2] == "甲公司" and firms[0][5] == 3000


def test_import_template_lists_the_enterprises_and_is_refused_to_readers(org):
    enterprise("模板甲公司", code="91421300MA4ABCDE1X")
    evaluation = services.open_evaluation(user("leader"), unit("随州高新区"), 2026)
    url = reverse("factors:import_template", args=[evaluation.pk])
    assert login_as("duban").get(url).status_code == 403
    response = login_as("leader").get(url)
    assert response.status_code == 200
    rows = _cells(b"".join(response.streaming_content))
    from tuijin.factors import imports

    assert list(rows[0]) == imports.HEADERS
    assert ["91421300MA4ABCDE1X", "模板甲公司"] in [row[:2] for row in rows[1:]]
    assert all(row[9] == "参评" for row in rows[1:])
    # Printed (to collect the figures by hand): A4 landscape, the ten columns on one page's
    # width, the header on every page; it was portrait, the columns over three pages.
    sheet = load_workbook(
        io.BytesIO(b"".join(login_as("leader").get(url).streaming_content))
    ).active
    setup = sheet.page_setup
    assert (int(setup.paperSize), setup.orientation, setup.fitToWidth) == (9, "landscape", 1)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$1:$1"
    assert sheet.column_dimensions["A"].width > 18  # the credit code whole


def test_a_desk_unit_gets_the_zones_enterprises_in_its_template(org):
    """自然资源和规划分局 organises the zone's 亩均 year: its template listed no enterprise (those
    of its own ledger, none), so its import could match none."""
    enterprise("城东甲公司", code="91421300MA4ABCDE1X")
    enterprise("铁北乙公司", park="铁北产业园")
    evaluation = services.open_evaluation(user("leader"), unit("随州高新区"), 2026)
    url = reverse("factors:import_template", args=[evaluation.pk])
    rows = _cells(b"".join(login_as("ziran").get(url).streaming_content))
    names = {row[1] for row in rows[1:]}
    assert {"城东甲公司", "铁北乙公司"} <= names
    assert login_as("chengdong").get(url).status_code == 403  # a park manages only its park


def test_import_upload_branches(org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    evaluation = services.open_evaluation(user("leader"), unit("随州高新区"), 2026)
    client = login_as("leader")
    url = reverse("factors:import_upload", args=[evaluation.pk])
    assert client.get(url).status_code == 200
    assert login_as("duban").get(url).status_code in (403, 404)
    response = client.post(url, {})
    assert response.status_code == 400 and "请选择 .xlsx 文件" in response.content.decode()
    response = client.post(url, {"file": SimpleUploadedFile("数据.xlsx", b"not a workbook")})
    assert response.status_code == 400
    confirm = reverse("factors:import_confirm", args=[evaluation.pk])
    response = client.post(confirm, {"token": "forged"})
    assert response.status_code == 302 and response["Location"] == url
    assert "导入预览已失效" in _messages(response)
    from tuijin.factors.models import EnterpriseResult

    assert not EnterpriseResult.objects.exists()


# --- the sheet's export and bad query parameters ------------------------------------------------


def test_the_sheet_export_reads_back_with_gaps_and_stalled_projects(org):
    supply("府南产业园", YEAR, Source.NEW_LAND, 100)
    project("大项目", land=160, start=day(YEAR, 2))
    response = login_as("leader").get(reverse("factors:sheet_xlsx") + f"?year={YEAR}")
    assert (
        f"要素平衡表-{YEAR}.xlsx" in response["Content-Disposition"] or response.status_code == 200
    )
    rows = _cells(b"".join(response.streaming_content))
    text = " ".join(str(c) for row in rows for c in row if c is not None)
    assert f"{YEAR}年要素平衡表(净能耗已扣除绿电)" in text
    land = next(r for r in rows if r[0] == "府南产业园" and r[1] == "土地指标")
    assert land[3] == 100 and land[6] == 160 and land[11] == -60
    assert "大项目(缺60.00亩" in land[12]


def test_a_bad_year_falls_back_to_this_year(org):
    from tuijin.factors.forms import default_year as this_year  # from October: next year

    client = login_as("leader")
    for bad in ("abc", "99999", "-1", ""):
        response = client.get(reverse("factors:sheet") + f"?year={bad}")
        assert response.status_code == 200 and response.context["year"] == this_year()
    park = unit("府南产业园")
    response = client.get(reverse("factors:park", args=[park.pk]) + "?year=zz")
    assert response.status_code == 200 and response.context["year"] == this_year()
    # a unit that is not a park is not a park page
    assert client.get(reverse("factors:park", args=[unit("随州高新区").pk])).status_code == 404


def test_a_preview_confirmed_after_the_enterprise_left_is_refused_and_saves_nothing(org):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from tuijin.factors import imports
    from tuijin.factors.models import EnterpriseResult

    firm = enterprise("迁出公司")
    evaluation = services.open_evaluation(user("leader"), unit("随州高新区"), 2026)
    wb = Workbook()
    wb.active.append(imports.HEADERS)
    wb.active.append(["", "迁出公司", 100, 3000, 50000, 12000, 4000, 1500, 300, "参评"])
    data = io.BytesIO()
    wb.save(data)
    client = login_as("leader")
    upload = reverse("factors:import_upload", args=[evaluation.pk])
    preview = client.post(upload, {"file": SimpleUploadedFile("亩均.xlsx", data.getvalue())})
    assert preview.status_code == 200 and preview.context["plan"].rows
    firm.park = None  # between the preview and the confirmation: no longer in a park
    firm.save()
    confirm = reverse("factors:import_confirm", args=[evaluation.pk])
    response = client.post(confirm, {"token": preview.context["token"]})
    assert response.status_code == 400 and "找不到企业“迁出公司”" in response.content.decode()
    assert not EnterpriseResult.objects.exists()
