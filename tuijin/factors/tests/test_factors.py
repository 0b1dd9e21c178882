"""The factor balance sheet and the 亩均 evaluation: the net-energy rule, gap and stall
prediction, movement rules, escalation to the meeting's agenda, the 亩均 classes with
exemptions and ties, the import's all-or-nothing preview, scoping and the sheet's queries."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from conftest import login_as
from tuijin.core.models import AuditEvent
from tuijin.factors import imports, queries, services
from tuijin.factors.access import factor_access
from tuijin.factors.forms import parse_quantity
from tuijin.factors.models import (
    Allocation,
    AllocationState,
    EnterpriseResult,
    Evaluation,
    Factor,
    FactorRules,
    MuKlass,
    Source,
)
from tuijin.factors.tests.factories import day, enterprise, project, supply, unit, user

D = Decimal
YEAR = 2027


# --- net energy -------------------------------------------------------------------------------


def test_net_energy_leaves_out_green_power_when_the_rule_says_so():
    rules = FactorRules()  # defaults: exclude green, 1.229 tce per 万千瓦时
    # 20,000 tce, 5,000 万千瓦时 of which 40 % green: 2,000 万千瓦时 × 1.229 = 2,458 tce out.
    assert queries.net_energy(D(20000), D(5000), D(40), rules) == D("17542.00")
    rules.exclude_green = False
    assert queries.net_energy(D(20000), D(5000), D(40), rules) == D(20000)


def test_net_energy_is_never_negative():
    assert queries.net_energy(D(100), D(1000), D(100), FactorRules()) == 0


def test_the_sheet_counts_net_energy_and_the_setting_turns_it_off(org):
    park = unit("府南产业园")
    project("电解液", energy=20000, power=5000, green=40, start=day(YEAR, 5))
    row = _row(queries.balance_sheet(user("leader"), YEAR), park, Factor.ENERGY)
    assert row.quarters[1] == D("17542.00")
    green = _row(queries.balance_sheet(user("leader"), YEAR), park, Factor.GREEN)
    assert green.quarters[1] == D(2000)  # the green power itself is demand for green supply
    FactorRules.objects.create(zone=unit("随州高新区"), exclude_green=False)
    user_ = user("leader")
    row = _row(queries.balance_sheet(user_, YEAR), park, Factor.ENERGY)
    assert row.quarters[1] == D(20000)


def _row(sheet, park, factor):
    return next(r for r in sheet.rows if r.park == park and r.factor == factor)


# --- gap and stall prediction -----------------------------------------------------------------


def test_gap_and_the_projects_predicted_to_stall(org):
    park = unit("府南产业园")
    supply("府南产业园", YEAR, Source.NEW_LAND, 100)
    first = project("一期", land=60, start=day(YEAR, 2))
    project("二期", land=80, start=day(YEAR, 5))
    small = project("配套", land=30, start=day(YEAR, 8))
    later = project("远期", land=500, start=day(YEAR + 1, 3))
    sheet = queries.balance_sheet(user("leader"), YEAR)
    row = _row(sheet, park, Factor.LAND)
    assert row.supply == 100
    assert row.quarters == [D(60), D(80), D(30), D(0)]
    assert row.later == 500  # a later year's start is shown, not counted
    assert row.gap == D(-70)
    stalled = {d.name: d for d in sheet.stalled}
    assert set(stalled) == {"二期"}  # 一期 covered, 二期 not, 配套 fits in what is left (40)
    block = stalled["二期"].blocks[Factor.LAND]
    assert (block.need, block.available, block.shortfall) == (D(80), D(40), D(40))
    assert {first.pk, small.pk}.isdisjoint({d.pk for d in sheet.stalled})
    assert later.pk not in {d.pk for d in sheet.stalled}


def test_a_project_not_started_last_year_counts_in_the_first_quarter(org):
    project("拖期", land=10, start=day(YEAR - 1, 10))
    row = _row(queries.balance_sheet(user("leader"), YEAR), unit("府南产业园"), Factor.LAND)
    assert row.quarters[0] == 10


def test_reserved_land_is_no_longer_demand(org):
    park = unit("府南产业园")
    supply("府南产业园", YEAR, Source.NEW_LAND, 100)
    p = project("一期", land=60, start=day(YEAR, 2))
    services.reserve(user("leader"), park=park, year=YEAR, factor="land", quantity=D(60), project=p)
    row = _row(queries.balance_sheet(user("leader"), YEAR), park, Factor.LAND)
    assert (row.reserved, row.demand, row.gap) == (D(60), D(0), D(40))


# --- movements --------------------------------------------------------------------------------


def test_reserve_commit_release_and_each_is_audited(org):
    park = unit("府南产业园")
    supply("府南产业园", YEAR, Source.ENERGY_QUOTA, 1000)
    p = project("一期", energy=800, start=day(YEAR, 2))
    a = services.reserve(
        user("leader"), park=park, year=YEAR, factor="energy", quantity=D(800), project=p
    )
    assert services.available(park.pk, YEAR, "energy") == 200
    with pytest.raises(ValidationError, match=r"数量.*超过可用指标.*可用 200\.00吨标准煤"):
        services.reserve(
            user("leader"), park=park, year=YEAR, factor="energy", quantity=D(300), project=p
        )
    services.release(user("leader"), a.pk, a.version, "项目调整")
    a = Allocation.objects.get(pk=a.pk)
    assert a.state == AllocationState.RELEASED
    assert services.available(park.pk, YEAR, "energy") == 1000
    with pytest.raises(ValidationError, match="已释放"):
        services.commit(user("leader"), a.pk, a.version, "随发改〔2027〕1号")
    b = services.reserve(
        user("leader"), park=park, year=YEAR, factor="energy", quantity=D(500), project=p
    )
    b = services.commit(user("leader"), b.pk, b.version, "随发改〔2027〕1号")
    assert b.state == AllocationState.COMMITTED and b.document == "随发改〔2027〕1号"
    with pytest.raises(ValidationError, match="只有预留的指标可以占用"):
        services.commit(user("leader"), b.pk, b.version, "随发改〔2027〕2号")
    actions = set(
        AuditEvent.objects.filter(model="factors.allocation").values_list("action", flat=True)
    )
    assert {"reserve_factor", "released_factor", "committed_factor"} <= actions


def test_movements_are_refused_outside_the_park_and_for_bad_values(org):
    park = unit("府南产业园")
    supply("府南产业园", YEAR, Source.NEW_LAND, 100)
    p = project("一期", land=60, start=day(YEAR, 2))
    with pytest.raises(PermissionDenied):  # 城东's own people manage 城东 only
        services.reserve(user("chengdong"), park=park, year=YEAR, factor="land", quantity=1,
                         project=p)  # fmt: skip
    with pytest.raises(PermissionDenied):  # 督查室 reads
        services.reserve(user("duban"), park=park, year=YEAR, factor="land", quantity=1,
                         project=p)  # fmt: skip
    with pytest.raises(ValidationError, match="“数量”不能为负数"):
        services.reserve(user("leader"), park=park, year=YEAR, factor="land", quantity=-1,
                         project=p)  # fmt: skip
    assert not Allocation.objects.exists()


def test_quantities_name_the_field_for_a_negative_value_or_a_wrong_unit():
    assert parse_quantity("1,200.5亩", "亩", "用地") == D("1200.50")
    assert parse_quantity("300", "亩", "用地") == D(300)
    with pytest.raises(ValidationError, match="“用地”的单位应为亩,不能是“平方米”"):
        parse_quantity("300平方米", "亩", "用地")
    with pytest.raises(ValidationError, match="“年综合能耗”不能为负数"):
        parse_quantity("-5", "吨标准煤", "年综合能耗")
    with pytest.raises(ValidationError, match="单位应为吨标准煤"):
        parse_quantity("2万吨", "吨标准煤", "年综合能耗")


def test_supply_form_names_the_field_in_chinese(org):
    client = login_as("leader")
    park = unit("府南产业园")
    response = client.post(
        reverse("factors:supply_add"),
        {
            "park": park.pk,
            "year": YEAR,
            "source": "new_land",
            "quantity": "50公顷",
            "document_title": "通知",
        },
    )
    assert response.status_code == 400
    assert "“数量”的单位应为亩" in response.content.decode()


# --- escalation to the meeting's agenda --------------------------------------------------------


def test_a_gap_escalated_lands_on_the_next_onsite_meetings_agenda(org):
    from tuijin.meetings.models import Meeting, MeetingKind
    from tuijin.meetings.services import propose_agenda
    from tuijin.supervision.models import Problem

    park = unit("府南产业园")
    supply("府南产业园", YEAR, Source.NEW_LAND, 100)
    p = project("新能源电池", land=300, start=day(YEAR, 3))
    stalled = queries.balance_sheet(user("leader"), YEAR).stalled
    demand = next(d for d in stalled if d.pk == p.pk)
    problem = services.escalate_gap(
        user("leader"), park=park, factor="land", year=YEAR, demand=demand
    )
    assert problem.level == Problem.Level.MEETING and problem.category.name == "土地指标"
    assert "土地指标短缺" in problem.description and "缺口200.00亩" in problem.description
    meeting = Meeting.objects.create(
        kind=MeetingKind.ONSITE, title="府南现场办公会", park=park, starts_at=timezone.now()
    )
    lines = [line for s in propose_agenda(meeting) for line in s.lines]
    assert any(line.problem == problem.pk for line in lines)
    with pytest.raises(ValidationError, match="已提交研究"):
        services.escalate_gap(user("leader"), park=park, factor="land", year=YEAR, demand=demand)


# --- 亩均 -------------------------------------------------------------------------------------


def test_classes_by_rank_with_ties():
    cut = (25, 70, 95)
    # Eight scores, two tied for second: ranks 1,2,2,4,5,6,7,8.
    scores = [D(90), D(80), D(80), D(70), D(60), D(50), D(40), D(10)]
    ranked = services.classify(scores, cut)
    assert [r for r, _ in ranked] == [1, 2, 2, 4, 5, 6, 7, 8]
    # rank/n: 12.5 25 25 50 62.5 75 87.5 100 → A A A B B C C D
    assert [k for _, k in ranked] == ["A", "A", "A", "B", "B", "C", "C", "D"]


def test_evaluation_scores_ranks_and_leaves_the_exempt_unclassed(org):
    zone = unit("随州高新区")
    evaluation = services.open_evaluation(user("leader"), zone, 2026)
    assert evaluation.weights == {"tax": 45, "sales": 20, "energy": 15, "rnd": 15, "labour": 5}
    figures = {
        "甲": dict(land_mu=100, tax=3000, sales=50000, added_value=12000, energy_tce=4000,
                  rnd=1500, employees=300),
        "乙": dict(land_mu=100, tax=1500, sales=25000, added_value=6000, energy_tce=4000,
                  rnd=750, employees=300),
        "丙": dict(land_mu=100, tax=1500, sales=25000, added_value=6000, energy_tce=4000,
                  rnd=750, employees=300),
        "丁": dict(land_mu=100, tax=300, sales=5000, added_value=1000, energy_tce=4000,
                  rnd=0, employees=300),
        "新": dict(land_mu=50, tax=0, sales=100, added_value=20, energy_tce=10, rnd=0,
                  employees=10, exemption="startup"),
    }  # fmt: skip
    for name, values in figures.items():
        services.record_result(
            user("leader"), evaluation, enterprise(f"{name}公司"), **_decimals(values)
        )
    services.compute_evaluation(user("leader"), evaluation.pk)
    results = {
        r.enterprise.name[0]: r for r in EnterpriseResult.objects.filter(evaluation=evaluation)
    }
    assert results["甲"].tax_per_mu == 30 and results["甲"].score == 100
    assert results["乙"].score == results["丙"].score  # a tie: same rank, same class
    assert (results["甲"].rank, results["乙"].rank, results["丙"].rank, results["丁"].rank) == (
        1, 2, 2, 4,
    )  # fmt: skip
    assert results["甲"].klass == MuKlass.A
    assert results["乙"].klass == results["丙"].klass == MuKlass.B  # 2/4 = 50 %
    assert results["丁"].klass == MuKlass.D  # 4/4 = 100 % > 95 %
    assert results["新"].rank is None and results["新"].klass == ""  # evaluated, not classed
    assert results["新"].score > 0


def test_weights_must_add_up_to_100(org):
    evaluation = services.open_evaluation(user("leader"), unit("随州高新区"), 2026)
    values = dict(weight_tax=50, weight_sales=20, weight_energy=15, weight_rnd=15,
                  weight_labour=5, class_a=25, class_b=70, class_c=95)  # fmt: skip
    with pytest.raises(ValidationError, match="五项权重之和应为100,现为105"):
        services.set_weights(user("leader"), evaluation.pk, evaluation.version, **values)


def _decimals(values):
    return {k: (v if k in ("exemption", "employees") else D(v)) for k, v in values.items()}


# --- import: all or nothing --------------------------------------------------------------------


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(imports.HEADERS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_import_preview_is_all_or_nothing_and_names_the_bad_row(org):
    enterprise("甲公司")
    enterprise("乙公司")
    evaluation = services.open_evaluation(user("leader"), unit("随州高新区"), 2026)
    client = login_as("leader")
    url = reverse("factors:import_upload", args=[evaluation.pk])
    bad = _xlsx([
        ["", "甲公司", 100, 3000, 50000, 12000, 4000, 1500, 300, "参评"],
        ["", "乙公司", "80平方米", 1500, 25000, 6000, 4000, 750, 300, "参评"],
    ])  # fmt: skip
    response = client.post(url, {"file": SimpleUploadedFile("亩均.xlsx", bad)})
    text = response.content.decode()
    assert response.status_code == 400
    assert "第3行 C列(用地面积(亩))" in text and "单位应为亩" in text
    assert not EnterpriseResult.objects.exists()  # the good row was not saved either
    good = _xlsx([
        ["", "甲公司", 100, 3000, 50000, 12000, 4000, 1500, 300, "参评"],
        ["", "乙公司", "80亩", 1500, 25000, 6000, 4000, 750, 300, "初创企业"],
    ])  # fmt: skip
    response = client.post(url, {"file": SimpleUploadedFile("亩均.xlsx", good)})
    assert response.status_code == 200 and not EnterpriseResult.objects.exists()  # a preview
    token = response.context["token"]
    response = client.post(
        reverse("factors:import_confirm", args=[evaluation.pk]), {"token": token}
    )
    assert response.status_code == 302
    assert EnterpriseResult.objects.filter(evaluation=evaluation).count() == 2
    assert EnterpriseResult.objects.get(enterprise__name="乙公司").klass == ""


# --- scoping and pages -------------------------------------------------------------------------


def test_who_sees_which_parks(org):
    parks = {
        name: unit(name).pk for name in ("青春化工园", "城东产业园", "铁北产业园", "府南产业园")
    }
    assert set(factor_access(user("leader")).parks) == set(parks.values())
    assert set(factor_access(user("zhaoshang")).parks) == set(parks.values())  # 招商局
    assert set(factor_access(user("ziran")).parks) == set(parks.values())  # 自然资源
    assert factor_access(user("chengdong")).parks == [parks["城东产业园"]]
    assert factor_access(user("qiye")).parks == []  # enterprise liaisons never
    assert factor_access(user("duban")).edit_parks == []  # 督查室 reads
    assert factor_access(user("jijian")).edit_parks == []
    assert login_as("qiye").get(reverse("factors:sheet")).status_code == 403
    page = login_as("chengdong").get(reverse("factors:sheet")).content.decode()
    assert "城东产业园" in page and "府南产业园" not in page
    fu_nan = reverse("factors:park", args=[parks["府南产业园"]])
    assert login_as("chengdong").get(fu_nan).status_code == 404


def test_pages_show_units(org):
    supply("府南产业园", YEAR, Source.NEW_LAND, 100)
    project("一期", land=160, energy=100, start=day(YEAR, 2))
    client = login_as("leader")
    page = client.get(reverse("factors:sheet") + f"?year={YEAR}").content.decode()
    assert "缺 60 亩" in page and "吨标准煤" in page and "万千瓦时" in page
    park = client.get(reverse("factors:park", args=[unit("府南产业园").pk]) + f"?year={YEAR}")
    assert park.status_code == 200 and "一期" in park.content.decode()
    xlsx = client.get(reverse("factors:sheet_xlsx") + f"?year={YEAR}")
    assert xlsx.status_code == 200


def test_the_sheet_reads_in_constant_queries(org, django_assert_max_num_queries):
    client = login_as("leader")
    url = reverse("factors:sheet") + f"?year={YEAR}"
    for n in range(3):
        project(f"项目{n}", land=10, start=day(YEAR, 2))
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(20):
        project(f"更多{n}", park="铁北产业园", land=50, energy=10, start=day(YEAR, 6))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_evaluation_pages(org):
    evaluation = services.open_evaluation(user("leader"), unit("随州高新区"), 2026)
    assert Evaluation.objects.visible_to(user("qiye")).count() == 0
    client = login_as("duban")
    assert client.get(evaluation.get_absolute_url()).status_code == 200
    assert client.post(evaluation.get_absolute_url(), {}).status_code == 403
    assert client.get(reverse("factors:evaluation_xlsx", args=[evaluation.pk])).status_code == 200


def test_a_supply_entry_is_corrected_and_a_stale_form_is_refused(org):
    entry = supply("府南产业园", YEAR, Source.NEW_LAND, 100)
    url = reverse("factors:supply_edit", args=[entry.pk])
    first, second = login_as("leader"), login_as("ziran")
    form = {"year": YEAR, "source": "new_land", "document_title": "通知", "version": 1}
    assert first.get(url).status_code == 200 and second.get(url).status_code == 200
    assert first.post(url, form | {"quantity": "120亩"}).status_code == 302
    response = second.post(url, form | {"quantity": "90"})
    assert response.status_code == 409 and "刚刚已被他人修改" in response.content.decode()
    entry.refresh_from_db()
    assert entry.quantity == 120
    response = first.post(url, form | {"quantity": "-3", "version": entry.version})
    assert response.status_code == 400 and "“数量”不能为负数" in response.content.decode()
    assert login_as("duban").post(url, form | {"quantity": "1"}).status_code == 403
    assert login_as("chengdong").get(url).status_code == 404


def test_leads_are_demand_from_signing_until_they_start(org):
    from tuijin.investment.models import Lead

    park = unit("府南产业园")

    def lead(name, stage, land, project=None):
        return Lead.objects.create(
            name=name, park=park, unit=unit("招商局"), stage=stage, received_on=day(YEAR - 1, 1),
            signed_on=day(YEAR - 1, 6) if stage != "talks" else None,
            expected_start=day(YEAR, 4), land_mu=D(land), energy_tce=D(0), project=project,
        )  # fmt: skip

    lead("洽谈中", "talks", 1)
    lead("已签约", "signed", 10)
    lead("已注册", "registered", 100)
    started = project("已开工", land=1000, start=day(YEAR, 4), stage="construction")
    lead("已开工", "started", 1000, project=started)  # its project's needs are not demand
    linked = project("签约已入库", land=5000, start=day(YEAR, 4), stage="signed")
    lead("签约已入库", "signed", 7, project=linked)  # counted once, through the lead
    row = _row(queries.balance_sheet(user("leader"), YEAR), park, Factor.LAND)
    assert row.quarters[1] == 10 + 100 + 7


def test_the_park_page_reads_in_constant_queries(org, django_assert_max_num_queries):
    client = login_as("leader")
    park = unit("府南产业园")
    url = reverse("factors:park", args=[park.pk]) + f"?year={YEAR}"
    supply("府南产业园", YEAR, Source.NEW_LAND, 100)
    project("一期", land=60, start=day(YEAR, 2))
    project("二期", land=500, start=day(YEAR, 3))  # stalled: its problems are looked up
    p = project("三期", land=5, start=day(YEAR, 6))
    services.reserve(user("leader"), park=park, year=YEAR, factor="land", quantity=1, project=p)
    client.get(url)
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    for n in range(15):
        p = project(f"更多{n}", land=5, start=day(YEAR, 6))
        services.reserve(user("leader"), park=park, year=YEAR, factor="land", quantity=1,
                         project=p)  # fmt: skip
        supply("府南产业园", YEAR, Source.STOCK_LAND, 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
