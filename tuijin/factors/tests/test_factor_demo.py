"""The demo tells the story docs/development/factors.md and the browser journey rely on: the
four parks' bottlenecks as quantities, the freed idle plot, a 亩均 year with two exempt
enterprises; and loading it again adds nothing."""

import pytest

from tuijin.factors import demo, queries
from tuijin.factors.forms import default_year
from tuijin.factors.models import (
    EnterpriseResult,
    Evaluation,
    Factor,
    LandFlag,
    LandFlagState,
    Source,
    SupplyEntry,
)
from tuijin.factors.tests.factories import user
from tuijin.org.models import Unit

pytestmark = pytest.mark.usefixtures("demo_zone", "db")


def _row(sheet, park, factor):
    return next(r for r in sheet.rows if r.park.name == park and r.factor == factor)


def test_the_four_bottlenecks():
    sheet = queries.balance_sheet(user("leader"), default_year())
    assert _row(sheet, demo.QC, Factor.ENERGY).gap < 0  # 能耗指标不足
    assert _row(sheet, demo.CD, Factor.LAND).gap < 0  # 土地指标短缺
    assert _row(sheet, demo.TB, Factor.GREEN).gap < 0  # 绿电保障不优
    assert _row(sheet, demo.FN, Factor.LAND).gap >= 0  # 府南: enough for what is signed
    qc = Unit.objects.get(name=demo.QC)
    assert any(Factor.ENERGY in d.blocks for d in sheet.demands_of(qc.pk))  # a lead stalls


def test_the_idle_plot_freed_is_land_for_the_year():
    year = default_year()
    assert LandFlag.objects.count() == len(demo.FLAGS)
    assert {f.kind for f in LandFlag.objects.all()} == {k for _, _, k, _, _ in demo.FLAGS}
    freed = LandFlag.objects.get(state=LandFlagState.FREED)
    assert freed.park.name == demo.CD and freed.area_mu == 60
    entry = SupplyEntry.objects.get(land_flag=freed)
    assert (entry.year, entry.source, entry.quantity) == (year, Source.STOCK_LAND, 60)


def test_the_mujun_year_classes_all_but_the_exempt():
    evaluation = Evaluation.objects.get()
    results = EnterpriseResult.objects.filter(evaluation=evaluation)
    exempt = results.exclude(exemption="")
    assert exempt.count() == 2 and all(r.klass == "" and r.rank is None for r in exempt)
    classed = results.filter(exemption="")
    assert classed.count() >= 5 and all(r.klass in "ABCD" and r.klass for r in classed)
    assert "家分类" in demo.summary_line({"year": default_year(), "evaluation": evaluation})


def test_loading_again_adds_nothing():
    counts = (SupplyEntry.objects.count(), LandFlag.objects.count(),
              EnterpriseResult.objects.count())  # fmt: skip
    units = {u.name: u for u in Unit.objects.filter(name__in=[demo.QC, demo.CD, demo.TB, demo.FN])}
    demo.load_factors(units)
    assert counts == (SupplyEntry.objects.count(), LandFlag.objects.count(),
                      EnterpriseResult.objects.count())  # fmt: skip
