"""Demo factor balance sheet and 亩均 year, after the investment pipeline.

The report's four bottlenecks (土地指标短缺、绿电保障不优、能耗指标不足、产业配套不强) as
quantities in the four parks, for the year the sheet opens on (``forms.default_year``):

- 青春化工园: 15,000 吨标准煤 of energy quota (12,000 allotted, 3,000 from 等量替代) against the
  signed chemical leads' net energy: short, the later lead predicted to stall;
- 城东产业园: 150 亩 of new land plus a freed idle plot against three signed leads' 540 亩: short;
- 铁北产业园: 150 万千瓦时 of green certificates against the projects' green-power needs: 不优;
- 府南产业园: land and quota enough for what is signed; the 300-亩 lithium lead in talks (the
  investment demo's) tips it once signed (the browser journey). 产业配套不强 is a problem with
  its figures on 府南's anode project.

And a 亩均 year (the last whole year) for the demo enterprises, with two exempt (a start-up, a
project still being built) and low-efficiency land of the five kinds. Through the services as
the zone leader (王立新). Idempotent: a part already there is left alone.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from tuijin.factors import services
from tuijin.factors.forms import default_year
from tuijin.factors.models import Evaluation, FactorNeed, LandFlag, Source, SupplyEntry
from tuijin.org.models import Unit
from tuijin.projects.models import Enterprise, Project

D = Decimal
QC, CD, TB, FN = "青春化工园", "城东产业园", "铁北产业园", "府南产业园"

LAND_DOC = ("湖北省自然资源厅关于下达{y}年度新增建设用地计划指标的通知", "鄂自然资发〔{p}〕88号")
ENERGY_DOC = ("随州市发展和改革委员会关于下达{y}年度能耗指标的通知", "随发改环资〔{p}〕21号")
SUPPLY = [
    (QC, Source.NEW_LAND, 250, LAND_DOC),
    (QC, Source.ENERGY_QUOTA, 12000, ENERGY_DOC),
    (QC, Source.EQUAL, 3000, ("正丹化学燃煤导热油炉淘汰等量替代方案", "随发改环资〔{p}〕35号")),
    (QC, Source.GREEN_TRADE, 4000, ("湖北电力交易中心绿电交易合同(年度)", "HB-GT-{y}-017")),
    (CD, Source.NEW_LAND, 150, LAND_DOC),
    (CD, Source.ENERGY_QUOTA, 8000, ENERGY_DOC),
    (CD, Source.GREEN_CERT, 1500, ("绿色电力证书认购协议", "GEC-{y}-0412")),
    (TB, Source.NEW_LAND, 120, LAND_DOC),
    (TB, Source.ENERGY_QUOTA, 5000, ENERGY_DOC),
    # 150: the projects still to start need 180 (国药天麻 has started: its lead's, not demand).
    (TB, Source.GREEN_CERT, 150, ("绿色电力证书认购协议", "GEC-{y}-0415")),
    (FN, Source.NEW_LAND, 200, LAND_DOC),
    (FN, Source.ENERGY_QUOTA, 10000, ENERGY_DOC),
    (FN, Source.GREEN_TRADE, 2000, ("湖北电力交易中心绿电交易合同(年度)", "HB-GT-{y}-021")),
]  # fmt: skip
# Projects under way (not leads) and their needs: land 亩, energy 吨标准煤, power 万千瓦时, green %.
NEEDS = {
    "正丹化学公司硅基新材料": (80, 2500, 1800, 10),
    "国药天麻产业制造基地": (60, 900, 2000, 40),
    "中昱环保设备": (30, 300, 600, 30),
    "年产10万吨新能源动力电池负极材料一体化项目": (60, 3000, 2500, 20),
}
# 亩均 figures of the last whole year: land 亩, tax 万元, sales 万元, added value 万元,
# energy 吨标准煤, R&D 万元, employees, exemption.
MUJUN = {
    "湖北犇星新能源材料有限公司": (320, 9800, 186000, 42000, 26000, 7400, 1350, ""),
    "随州烯能新材料有限公司": (150, 1200, 26000, 5200, 9000, 520, 260, ""),
    "正丹化学(随州)有限公司": (210, 4100, 78000, 16500, 18000, 2300, 640, ""),
    "随州云铜新材料有限公司": (110, 60, 1500, 300, 800, 90, 85, "startup"),
    "北新建材(随州)有限公司": (180, 2600, 52000, 11000, 21000, 780, 420, ""),
    "湖北鑫星新材料有限公司": (95, 380, 9000, 1700, 5200, 60, 140, ""),
    "随州团结激光科技有限公司": (60, 900, 15000, 4200, 700, 1300, 310, ""),
    "深圳吉瑞达(随州)电子科技有限公司": (75, 700, 21000, 3900, 900, 800, 520, ""),
    "施奈德电气(随州)有限公司": (120, 3600, 64000, 15800, 2100, 3100, 880, ""),
    "湖北齐星应急装备有限公司": (140, 1500, 33000, 7600, 2600, 1400, 560, ""),
    "国药集团随州中药有限公司": (130, 2400, 30000, 9800, 1900, 1200, 610, ""),
    "湖北中昱环保设备有限公司": (55, 150, 4200, 800, 600, 40, 90, ""),
    "湖北府南新能源科技有限公司": (260, 0, 0, 0, 300, 0, 40, "building"),
}  # fmt: skip
FLAGS = [
    (QC, "湖北鑫星新材料有限公司", "operating_below", 40, "投产三年亩均税收4万元,低于园区准入标准15万元"),
    (CD, "", "supplied_not_used", 60, "城东大道北侧原出让地块,交地满两年未动工"),
    (CD, "深圳吉瑞达(随州)电子科技有限公司", "used_not_full", 25, "一期厂房北侧预留用地闲置"),
    (TB, "湖北中昱环保设备有限公司", "built_not_operating", 18, "二号厂房竣工一年未投产"),
    (FN, "", "approved_not_supplied", 45, "南外环东侧批而未供地块"),
]  # fmt: skip
SUPPORT = (
    "产业配套不强:负极材料项目所需的石墨化加工、包装桶和危化品物流三类配套本地均无供应商,"
    "本地配套率约20%,年外购运输成本约1,200万元。"
)


def load_factors(units: dict[str, Unit]) -> dict:
    leader = get_user_model().objects.get(username="leader")
    year = default_year()
    if not SupplyEntry.objects.filter(year=year, park__name=QC).exists():
        _supply(leader, units, year)
        _needs(leader)
        _flags(leader, units, year)
        _allocations(leader, units, year)
        _support_problem(leader)
    evaluation = _mujun(leader, units, timezone.localdate().year - 1)
    return {"year": year, "evaluation": evaluation}


def _supply(leader, units, year) -> None:
    for park, source, quantity, (title, number) in SUPPLY:
        services.add_supply(
            leader,
            park=units[park],
            year=year,
            source=source,
            quantity=D(quantity),
            document_title=title.format(y=year, p=year - 1),
            document_number=number.format(y=year, p=year - 1),
        )


def _needs(leader) -> None:
    for name, (land, energy, power, green) in NEEDS.items():
        project = Project.objects.filter(name=name).first()
        if project is None or FactorNeed.objects.filter(project=project).exists():
            continue
        services.set_need(
            leader,
            project,
            None,
            land_mu=D(land),
            energy_tce=D(energy),
            electricity_10k_kwh=D(power),
            green_share=D(green),
            expected_start=project.planned_start,
        )


def _flags(leader, units, year) -> None:
    for park, enterprise, kind, area, note in FLAGS:
        flag = services.flag_land(
            leader,
            park=units[park],
            year=year - 1,
            kind=kind,
            area_mu=D(area),
            enterprise=Enterprise.objects.filter(name=enterprise).first() if enterprise else None,
            location="" if enterprise else note.split(",")[0],
            note=note,
        )
        if kind == "supplied_not_used":  # 城东's idle plot taken back: land for the year
            services.free_land(
                leader,
                flag.pk,
                flag.version,
                year=year,
                document_title="城东大道北侧闲置土地收回决定书",
                document_number=f"随高新自然资〔{year - 1}〕7号",
            )


def _allocations(leader, units, year) -> None:
    from tuijin.investment.models import Lead

    for name, park, factor, quantity, document in [
        ("犇星三期电解液添加剂项目", QC, "energy", 3000, f"随发改环资〔{year - 1}〕40号"),
        ("汽车零部件精密铸造项目", CD, "land", 100, ""),
    ]:
        lead = Lead.objects.filter(name=name).first()
        if lead is None:
            lead = Lead.objects.filter(park__name=park, stage="registered").first()
        if lead is None:
            continue
        allocation = services.reserve(
            leader,
            park=units[park],
            year=year,
            factor=factor,
            quantity=D(quantity),
            lead=lead,
            note="招商引资项目研讨会议定",
        )
        if document:
            services.commit(leader, allocation.pk, allocation.version, document)


def _support_problem(leader) -> None:
    from tuijin.supervision import services as supervision
    from tuijin.supervision.models import Problem, ProblemCategory

    project = Project.objects.filter(name=next(reversed(NEEDS))).first()
    if project is None or Problem.objects.filter(description=SUPPORT).exists():
        return
    category, _ = ProblemCategory.objects.get_or_create(name="产业配套")
    supervision.raise_problem(leader, category=category, description=SUPPORT, project=project)


def _mujun(leader, units, year) -> Evaluation:
    zone = units[next(iter(units))].zone
    evaluation = Evaluation.objects.filter(zone=zone, year=year).first()
    if evaluation is not None:
        return evaluation
    evaluation = services.open_evaluation(leader, zone, year)
    for name, (land, tax, sales, value, energy, rnd, people, exempt) in MUJUN.items():
        enterprise = Enterprise.objects.filter(name=name).first()
        if enterprise is None or enterprise.park_id is None:
            continue
        services.record_result(
            leader,
            evaluation,
            enterprise,
            land_mu=D(land),
            tax=D(tax),
            sales=D(sales),
            added_value=D(value),
            energy_tce=D(energy),
            rnd=D(rnd),
            employees=people,
            exemption=exempt,
        )
    return services.compute_evaluation(leader, evaluation.pk)


def summary_line(result: dict) -> str:
    evaluation = result["evaluation"]
    classed = evaluation.results.exclude(klass="").count()
    return (
        f"要素保障:{result['year']}年供给 {SupplyEntry.objects.filter(year=result['year']).count()} "
        f"条,低效用地 {LandFlag.objects.count()} 块;{evaluation}:{classed} 家分类。"
    )
