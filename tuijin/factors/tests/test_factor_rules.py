"""The services' refusals (who may not, which values are refused; nothing written either way),
the quantity parser's edge cases and the 亩均 import's row errors, each naming row, column
and field."""

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from tuijin.factors import imports, services
from tuijin.factors.forms import parse_quantity
from tuijin.factors.models import (
    Allocation,
    EnterpriseResult,
    Evaluation,
    FactorRules,
    LandFlag,
    Source,
    SupplyEntry,
)
from tuijin.factors.tests.factories import day, enterprise, project, supply, unit, user

D = Decimal
YEAR = 2027
RULES = dict(weight_tax=45, weight_sales=20, weight_energy=15, weight_rnd=15, weight_labour=5,
             class_a=25, class_b=70, class_c=95)  # fmt: skip


def test_readers_are_refused_every_write_and_nothing_is_written(org):
    park, zone = unit("府南产业园"), unit("随州高新区")
    duban = user("duban")
    entry = supply("府南产业园", YEAR, Source.NEW_LAND, 100)
    p = project("一期", land=10, start=day(YEAR, 2))
    a = services.reserve(user("leader"), park=park, year=YEAR, factor="land", quantity=D(5),
                         project=p)  # fmt: skip
    evaluation = services.open_evaluation(user("leader"), zone, 2026)
    firm = enterprise("甲公司")
    refused = [
        lambda: services.save_rules(duban, zone, None, **RULES),
        lambda: services.add_supply(
            duban,
            park=park,
            year=YEAR,
            source=Source.NEW_LAND,
            quantity=D(1),
            document_title="通知",
        ),
        lambda: services.update_supply(duban, entry.pk, entry.version, quantity=D(1)),
        lambda: services.commit(duban, a.pk, a.version, "文件"),
        lambda: services.flag_land(duban, park=park, year=YEAR, kind="used_not_full", area_mu=D(3)),
        lambda: services.open_evaluation(duban, zone, 2025),
        lambda: services.set_weights(duban, evaluation.pk, evaluation.version, **RULES),
        lambda: services.compute_evaluation(duban, evaluation.pk),
        lambda: services.import_results(duban, evaluation, []),
        lambda: services.record_result(duban, evaluation, firm, land_mu=D(1)),
    ]
    for call in refused:
        with pytest.raises(PermissionDenied):
            call()
    assert not FactorRules.objects.exists() and SupplyEntry.objects.get().quantity == 100
    assert Allocation.objects.get().state == "reserved" and not LandFlag.objects.exists()
    assert Evaluation.objects.count() == 1 and not EnterpriseResult.objects.exists()
    # 城东's people do not escalate 府南's gaps
    with pytest.raises(PermissionDenied):
        services.escalate_gap(user("chengdong"), park=park, factor="land", year=YEAR, demand=None)


def test_values_refused_by_the_services(org):
    park, zone = unit("府南产业园"), unit("随州高新区")
    leader = user("leader")
    with pytest.raises(ValidationError, match="请选择园区"):
        services.add_supply(leader, park=zone, year=YEAR, source=Source.NEW_LAND,
                            quantity=D(1), document_title="通知")  # fmt: skip
    with pytest.raises(ValidationError, match="请填写“来源文件”"):
        services.add_supply(leader, park=park, year=YEAR, source=Source.NEW_LAND,
                            quantity=D(1), document_title="  ")  # fmt: skip
    assert not SupplyEntry.objects.exists()
    supply("府南产业园", YEAR, Source.NEW_LAND, 100)
    with pytest.raises(ValidationError, match="请选择项目或招商线索"):
        services.reserve(leader, park=park, year=YEAR, factor="land", quantity=D(1))
    p = project("一期", land=10, start=day(YEAR, 2))
    with pytest.raises(ValidationError, match="“数量”应大于0"):
        services.reserve(leader, park=park, year=YEAR, factor="land", quantity=D(0), project=p)
    assert not Allocation.objects.exists()
    a = services.reserve(leader, park=park, year=YEAR, factor="land", quantity=D(5), project=p)
    with pytest.raises(ValidationError, match="请填写“批准文件”"):
        services.commit(leader, a.pk, a.version, "   ")
    assert Allocation.objects.get().state == "reserved"
    with pytest.raises(ValidationError, match="分类界限应满足"):
        services.save_rules(leader, zone, None, **RULES | {"class_b": 20})
    assert not FactorRules.objects.exists()
    homeless = enterprise("无园区公司")
    homeless.park = None
    homeless.save()
    evaluation = services.open_evaluation(leader, zone, 2026)
    with pytest.raises(ValidationError, match="无园区公司未登记所在园区,不能参加亩均评价"):
        services.record_result(leader, evaluation, homeless, land_mu=D(1))
    assert not EnterpriseResult.objects.exists()


def test_the_zones_first_rules_saved_by_two_at_once_are_a_form_error_not_a_500(org):
    # On PostgreSQL both saves find no rules; the second insert then meets the first's row
    # (made here as the service makes its new one): a form error, not an IntegrityError.
    from django.db.models.signals import post_init

    zone = unit("随州高新区")
    made = []

    def the_other_saves_first(sender, instance, **kwargs):
        if instance.pk is None and not made:
            made.append(1)
            FactorRules.objects.bulk_create(
                [FactorRules(zone=zone, weight_tax=50, weight_labour=0)]
            )

    post_init.connect(the_other_saves_first, sender=FactorRules, dispatch_uid="race")
    try:
        with pytest.raises(ValidationError, match="要素保障规则刚刚已被他人设置"):
            services.save_rules(user("leader"), zone, 0, **RULES)
    finally:
        post_init.disconnect(sender=FactorRules, dispatch_uid="race")
    assert made


def test_a_lead_without_a_park_cannot_be_escalated(org):
    from types import SimpleNamespace

    demand = SimpleNamespace(project=None, lead=None, blocks={}, name="无园区线索",
                             start_label="待定")  # fmt: skip
    with pytest.raises(ValidationError, match="未确定落地园区"):
        services.escalate_gap(user("leader"), park=unit("府南产业园"), factor="land",
                              year=YEAR, demand=demand)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "“用地”应填写数字(单位亩)"),
        ("1.2.3亩", "“用地”应填写数字(单位亩)"),
        ("NaN", "“用地”应填写数字(单位亩)"),
        ("1" + "0" * 12, "“用地”过大(单位亩)"),
    ],
)
def test_quantities_that_are_not_numbers(text, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        parse_quantity(text, "亩", "用地")


def test_quantities_given_as_numbers_and_blanks():
    assert parse_quantity(12.5, "亩", "用地") == D("12.50")
    assert parse_quantity(None, "亩", "用地") == 0
    assert parse_quantity("  ", "亩", "用地") == 0


# --- the import's row errors -------------------------------------------------------------------


def _xlsx(rows, headers=None) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(headers or imports.HEADERS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def _errors(plan) -> list[str]:
    return [str(e) for e in plan.errors]


def test_the_import_refuses_a_file_not_from_the_template(org):
    plan = imports.parse_results(_xlsx([], headers=["企业", "税收"]), "x.xlsx", [])
    assert plan.rows == [] and "第一行应为模板的表头" in " ".join(_errors(plan))
    plan = imports.parse_results(io.BytesIO(b"not a workbook"), "x.xlsx", [])
    assert plan.rows == [] and plan.errors


def test_the_import_names_each_bad_row_and_keeps_none(org):
    a = enterprise("甲公司", code="91421300MA4AAAAA1X")
    b = enterprise("乙公司")
    c = enterprise("丁公司")
    ok = [100, 3000, 50000, 12000, 4000, 1500, 300]
    plan = imports.parse_results(
        _xlsx([
            ["91421300ma4aaaaa1x", "", *ok, "参评"],  # by credit code, lower case: fine
            ["", "甲公司", *ok, "参评"],  # the same enterprise twice
            ["", "丙公司", *ok, "参评"],  # not one the importer may evaluate
            ["", "乙公司", 100, 3000, 50000, 12000, 4000, 1500, "300.5", "参评"],
            [None] * 10,  # blank rows are skipped
            ["", "丁公司", 0, 3000, 50000, 12000, 4000, 1500, 300, "免评"],
        ]),
        "亩均.xlsx",
        [a, b, c],
    )  # fmt: skip
    text = " ".join(_errors(plan))
    assert plan.rows == []
    assert "第3行" in text and "“甲公司”在文件中出现了不止一次" in text
    assert "第4行" in text and "找不到企业“丙公司”" in text
    assert "第5行" in text and "应为整数" in text
    assert "第7行 J列" in text and "“免评”不是评价方式" in text


def test_a_zero_area_is_refused(org):
    b = enterprise("乙公司")
    plan = imports.parse_results(
        _xlsx([["", "乙公司", 0, 3000, 50000, 12000, 4000, 1500, 300, "参评"]]), "亩均.xlsx", [b]
    )
    assert plan.rows == [] and "“用地面积(亩)”应大于0" in " ".join(_errors(plan))


def test_the_import_stops_at_the_row_limit(org, monkeypatch):
    b = enterprise("乙公司")
    monkeypatch.setattr(imports, "MAX_IMPORT_ROWS", 2)
    rows = [["", "无此公司", 1, 1, 1, 1, 1, 1, 1, "参评"]] * 5
    plan = imports.parse_results(_xlsx(rows), "亩均.xlsx", [b])
    text = " ".join(_errors(plan))
    assert plan.rows == [] and "最多2行" in text
