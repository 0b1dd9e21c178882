"""Demo pipeline (招商项目库) and planning pool (谋划项目库), after the ledger.

The report: in early November the zone held a 招商引资项目研讨会 on the bottlenecks of its
key leads (土地指标短缺、绿电保障不优、能耗指标不足、产业配套不强), then the
2023年项目谋划推进工作会议. Fifteen leads across the stages in the four parks carry the
quantities behind those words: 青春化工园's signed chemical projects need more energy quota
than it has, 城东's need land; 府南 has the 300-亩 lithium project in talks that the browser
journey signs. Dates are offsets from today (the clocks stay meaningful whenever the demo is
loaded). Investors, figures and contacts are invented; nobody named in the report gets one.
Idempotent: a lead is found by its name.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from tuijin.core.audit import audit_context
from tuijin.investment import services
from tuijin.investment.models import (
    CycleState,
    Lead,
    LeadStage,
    PlanList,
    PlannedProject,
    PlanningCycle,
    SigningKind,
)
from tuijin.org.models import Person, Unit
from tuijin.projects.models import Enterprise, Project

QC, CD, TB, FN = "青春化工园", "城东产业园", "铁北产业园", "府南产业园"
ZS = "招商局"
EVIDENCE = {
    LeadStage.TALKS: "洽谈纪要.pdf",
    LeadStage.SIGNED: "投资合同.pdf",
    LeadStage.REGISTERED: "营业执照.pdf",
    LeadStage.STARTED: "开工报告.pdf",
    LeadStage.PRODUCING: "投产报告.pdf",
    LeadStage.FULL: "达产验收.pdf",
    LeadStage.ENDED: "终止说明.pdf",
}
D = Decimal


def pdf(name: str) -> ContentFile:
    body = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return ContentFile(body, name=name)


# name, park, unit, leader, investor (enterprise name or plain), credit code, chain,
# total, fixed, land 亩, tce, 万kWh, green %, days ago received,
# [(stage, days ago, extra)], expected start (days from today), funds arrived share
LEADS = [
    (
        "犇星三期电解液添加剂项目",
        QC,
        ZS,
        "王立新",
        "湖北犇星新能源材料有限公司",
        "",
        "新能源材料",
        D(150000),
        D(120000),
        D(150),
        D(12000),
        D(9000),
        D(10),
        420,
        [
            (LeadStage.TALKS, 400),
            (LeadStage.SIGNED, 300, SigningKind.CONTRACT),
            (LeadStage.REGISTERED, 280),
        ],
        60,
        D("0.3"),
    ),
    (
        "锂电池隔膜涂覆材料项目",
        QC,
        ZS,
        "何建华",
        "湖北盛隆新材料有限公司",
        "91421300MA49C1001X",
        "新能源材料",
        D(80000),
        D(65000),
        D(120),
        D(9000),
        D(7000),
        D(5),
        200,
        [(LeadStage.TALKS, 190), (LeadStage.SIGNED, 120, SigningKind.CONTRACT)],
        90,
        D("0.1"),
    ),
    (
        "精细化工中间体项目",
        QC,
        QC,
        "何建华",
        "浙江恒诚化工有限公司",
        "",
        "精细化工",
        D(30000),
        D(25000),
        D(60),
        D(4000),
        D(2500),
        D(0),
        60,
        [(LeadStage.TALKS, 50)],
        None,
        None,
    ),
    (
        "云南年产2万吨高端锂电铜箔",
        QC,
        ZS,
        "陈晨",
        "随州云铜新材料有限公司",
        "",
        "新能源材料",
        D(120000),
        D(100000),
        D(110),
        D(6000),
        D(15000),
        D(20),
        700,
        [
            (LeadStage.TALKS, 680),
            (LeadStage.SIGNED, 600, SigningKind.CONTRACT),
            (LeadStage.REGISTERED, 580),
            (LeadStage.STARTED, 420),
        ],
        None,
        D("0.6"),
    ),
    (
        "深圳吉瑞达二期标准化厂房",
        CD,
        CD,
        "陈晨",
        "深圳吉瑞达(随州)电子科技有限公司",
        "",
        "电子信息",
        D(45000),
        D(40000),
        D(180),
        D(800),
        D(1200),
        D(30),
        150,
        [(LeadStage.TALKS, 140), (LeadStage.SIGNED, 90, SigningKind.FRAMEWORK)],
        120,
        D("0"),
    ),
    (
        "汽车零部件精密铸造项目",
        CD,
        ZS,
        "刘志强",
        "广东华钜精工有限公司",
        "91440600MA4UH2002Y",
        "汽车零部件",
        D(60000),
        D(52000),
        D(200),
        D(3500),
        D(2800),
        D(10),
        330,
        [
            (LeadStage.TALKS, 320),
            (LeadStage.SIGNED, 230, SigningKind.CONTRACT),
            (LeadStage.REGISTERED, 215),
        ],
        30,
        D("0.2"),
    ),
    (
        "智能应急装备产业园项目",
        CD,
        ZS,
        "刘志强",
        "湖北齐星应急装备有限公司",
        "",
        "专用汽车",
        D(50000),
        D(42000),
        D(160),
        D(1500),
        D(1600),
        D(15),
        100,
        [(LeadStage.TALKS, 95), (LeadStage.SIGNED, 40, SigningKind.CONTRACT)],
        150,
        D("0.05"),
    ),
    (
        "冷链物流仓储项目",
        TB,
        ZS,
        "何建华",
        "武汉鲜达供应链有限公司",
        "",
        "现代物流",
        D(20000),
        D(18000),
        D(80),
        D(300),
        D(500),
        D(20),
        45,
        [(LeadStage.TALKS, 30)],
        None,
        None,
    ),
    (
        "国药天麻产业制造基地",
        TB,
        ZS,
        "何建华",
        "国药集团随州中药有限公司",
        "",
        "生物医药",
        D(25000),
        D(21000),
        D(70),
        D(1200),
        D(900),
        D(10),
        900,
        [
            (LeadStage.TALKS, 880),
            (LeadStage.SIGNED, 800, SigningKind.CONTRACT),
            (LeadStage.REGISTERED, 780),
            (LeadStage.STARTED, 700),
            (LeadStage.PRODUCING, 300),
        ],
        None,
        D("1"),
    ),
    (
        "再生资源综合利用项目",
        TB,
        ZS,
        "",
        "湖北绿循环保科技有限公司",
        "",
        "节能环保",
        D(15000),
        D(12000),
        D(50),
        D(600),
        D(400),
        D(0),
        5,
        [],
        None,
        None,
    ),
    (
        "年产10万吨锂电新材料项目",
        FN,
        ZS,
        "王立新",
        "江西赣锋锂源科技有限公司",
        "91360500MA35K3003Z",
        "新能源材料",
        D(200000),
        D(170000),
        D(300),
        D(20000),
        D(18000),
        D(15),
        90,
        [(LeadStage.TALKS, 70)],
        120,
        None,
    ),
    (
        "分布式光伏组件项目",
        FN,
        FN,
        "王立新",
        "湖北光源新能源有限公司",
        "",
        "新能源",
        D(35000),
        D(30000),
        D(90),
        D(500),
        D(800),
        D(80),
        260,
        [
            (LeadStage.TALKS, 250),
            (LeadStage.SIGNED, 170, SigningKind.CONTRACT),
            (LeadStage.REGISTERED, 150),
        ],
        45,
        D("0.4"),
    ),
    (
        "国药国粹丸剂",
        TB,
        ZS,
        "何建华",
        "国药集团随州中药有限公司",
        "",
        "生物医药",
        D(18000),
        D(15000),
        D(40),
        D(400),
        D(300),
        D(0),
        1200,
        [
            (LeadStage.TALKS, 1180),
            (LeadStage.SIGNED, 1100, SigningKind.CONTRACT),
            (LeadStage.REGISTERED, 1080),
            (LeadStage.STARTED, 1000),
            (LeadStage.PRODUCING, 700),
            (LeadStage.FULL, 300),
        ],
        None,
        D("1"),
    ),
    (
        "专用汽车改装项目",
        CD,
        ZS,
        "刘志强",
        "随州程力专汽配套有限公司",
        "",
        "专用汽车",
        D(12000),
        D(10000),
        D(45),
        D(500),
        D(300),
        D(0),
        160,
        [(LeadStage.TALKS, 150), (LeadStage.ENDED, 60)],
        None,
        None,
    ),
    (
        "电子信息产业园项目",
        FN,
        ZS,
        "",
        "深圳华信电子集团有限公司",
        "",
        "电子信息",
        D(40000),
        D(35000),
        D(100),
        D(900),
        D(1500),
        D(10),
        1,
        [],
        None,
        None,
    ),
]

PLANNED = [  # name, list, park, unit, leader, total, land, tce, 万kWh, green, start (month of 2023), schedule
    (
        "犇星三期电解液添加剂项目",
        PlanList.SIGN,
        QC,
        ZS,
        "王立新",
        D(150000),
        D(150),
        D(12000),
        D(9000),
        D(10),
        3,
        "一季度完成合同签订,二季度注册公司",
    ),
    (
        "锂电池隔膜涂覆材料项目",
        PlanList.PLAN,
        QC,
        ZS,
        "何建华",
        D(80000),
        D(120),
        D(9000),
        D(7000),
        D(5),
        9,
        "上半年完成项目洽谈和能评预审",
    ),
    (
        "云南年产2万吨高端锂电铜箔",
        PlanList.START,
        QC,
        ZS,
        "陈晨",
        D(120000),
        D(110),
        D(6000),
        D(15000),
        D(20),
        4,
        "二季度开工,年底主体完工",
    ),
    (
        "深圳吉瑞达二期标准化厂房",
        PlanList.SIGN,
        CD,
        CD,
        "陈晨",
        D(45000),
        D(180),
        D(800),
        D(1200),
        D(30),
        6,
        "上半年签约,用地报批",
    ),
    (
        "汽车零部件精密铸造项目",
        PlanList.SIGN,
        CD,
        ZS,
        "刘志强",
        D(60000),
        D(200),
        D(3500),
        D(2800),
        D(10),
        7,
        "三季度签约,落实用地指标",
    ),
    (
        "国药天麻产业制造基地",
        PlanList.PRODUCE,
        TB,
        ZS,
        "何建华",
        D(25000),
        D(70),
        D(1200),
        D(900),
        D(10),
        1,
        "四季度投产",
    ),
    (
        "冷链物流仓储项目",
        PlanList.PLAN,
        TB,
        ZS,
        "何建华",
        D(20000),
        D(80),
        D(300),
        D(500),
        D(20),
        10,
        "完成项目谋划和选址",
    ),
    (
        "分布式光伏组件项目",
        PlanList.START,
        FN,
        FN,
        "王立新",
        D(35000),
        D(90),
        D(500),
        D(800),
        D(80),
        5,
        "二季度开工",
    ),
    (
        "国药国粹丸剂",
        PlanList.PRODUCE,
        TB,
        ZS,
        "何建华",
        D(18000),
        D(40),
        D(400),
        D(300),
        D(0),
        1,
        "上半年达产",
    ),
    (
        "府南产业园标准化厂房(三期)",
        PlanList.PLAN,
        FN,
        FN,
        "王立新",
        D(30000),
        D(120),
        D(200),
        D(300),
        D(30),
        11,
        "完成规划设计和用地预审",
    ),
]


def _person(name: str):
    return Person.objects.filter(name=name).first() if name else None


def load_investment(units: dict[str, Unit]) -> dict:
    user = get_user_model().objects.get(username="zhaoshang")
    admin = get_user_model().objects.get(username="admin")
    today = timezone.localdate()
    made = []
    for (name, park, unit, leader, investor, code, chain, total, fixed, land, tce, kwh, green,
         received, moves, start_in, funds) in LEADS:  # fmt: skip
        if Lead.objects.filter(name=name).exists():
            continue
        enterprise = Enterprise.objects.filter(name=investor).first()
        lead = services.create_lead(
            admin,
            force=True,
            received_on=today - dt.timedelta(days=received),
            name=name,
            investor=enterprise,
            investor_name="" if enterprise else investor,
            credit_code=code,
            contact_name="王经理" if received % 2 else "李总",
            contact_phone="138" + f"{abs(hash(name)) % 10**8:08d}",
            source="招商引资项目研讨会" if received > 30 else "企业来访",
            industry_chain=chain,
            park=units[park],
            unit=units[unit],
            leader=_person(leader),
            expected_start=today + dt.timedelta(days=start_in) if start_in else None,
            total_investment=total,
            fixed_investment=fixed,
            contracted_funds=fixed if moves and len(moves) > 1 else D(0),
            land_mu=land,
            energy_tce=tce,
            electricity_10k_kwh=kwh,
            green_share=green,
            output_value=total * D("1.5"),
            tax=total * D("0.06"),
            jobs=int(land),
        )
        received_on = lead.received_on
        if received > 2:  # the young leads await their response (their clocks run)
            services.add_follow_up(
                admin,
                lead.pk,
                kind="response",
                on=received_on,
                text="已电话联系投资方,约定考察时间。",
            )
            services.add_follow_up(
                admin,
                lead.pk,
                kind="assessment",
                on=received_on + dt.timedelta(days=2),
                text="产业契合,用地、能耗需求已初步测算,建议进入洽谈。",
            )
        for move in moves:
            stage, ago, *extra = move
            lead.refresh_from_db()
            project = None
            code_new = ""
            if stage == LeadStage.STARTED:
                project = Project.objects.filter(name=name).first()
                code_new = "" if project else f"ZS-{lead.pk:03d}"
            services.move_stage(
                admin,
                lead.pk,
                lead.version,
                to_stage=stage,
                on=today - dt.timedelta(days=ago),
                evidence=pdf(EVIDENCE[stage]),
                signing_kind=extra[0] if extra else "",
                note="",
                project=project,
                new_project_code=code_new,
            )
        lead.refresh_from_db()
        if received > 20 and lead.is_open and lead.started_on is None:
            # Most report every fortnight; two have gone quiet (their progress clock overdue).
            quiet = name in ("精细化工中间体项目", "汽车零部件精密铸造项目")
            services.add_follow_up(
                admin,
                lead.pk,
                kind="progress",
                on=today - dt.timedelta(days=25 if quiet else 6),
                text="与投资方视频对接,项目前期手续按计划推进。",
            )
            lead.refresh_from_db()
        if funds and lead.signed_on:
            services.record_funds(
                admin,
                lead.pk,
                lead.version,
                arrived=(lead.contracted_funds * funds).quantize(D("0.01")),
                on=min(today, lead.signed_on + dt.timedelta(days=60)),
            )
        made.append(lead)
    services.check_clocks(today)
    cycle = _planning(units, admin)
    return {"leads": Lead.objects.count(), "cycle": cycle, "user": user}


def _planning(units, admin) -> PlanningCycle:
    cycle = PlanningCycle.objects.filter(year=2023).first()
    if cycle is None:
        cycle = services.create_cycle(
            admin,
            year=2023,
            title="2023年项目谋划",
            meeting="2023年项目谋划推进工作会议",
            call_deadline=dt.date(2022, 11, 30),
        )
    if not cycle.projects.exists():
        for (
            name,
            plan_list,
            park,
            unit,
            leader,
            total,
            land,
            tce,
            kwh,
            green,
            month,
            schedule,
        ) in PLANNED:
            planned = services.add_planned(
                admin,
                cycle.pk,
                name=name,
                plan_list=plan_list,
                content="",
                industry_chain="",
                park=units[park],
                unit=units[unit],
                contact_leader=_person(leader),
                total_investment=total,
                land_mu=land,
                energy_tce=tce,
                electricity_10k_kwh=kwh,
                green_share=green,
                expected_start=dt.date(2023, month, 1),
                schedule=schedule,
            )
            services.update_planned(admin, planned.pk, None, approved=True)
            services.add_planned_update(
                admin, planned.pk, quarter="2023Q1", text="按计划推进,要素需求已报要素保障专班。"
            )
        with audit_context(actor=admin, action="link_planned"):
            for planned in cycle.projects.all():
                lead = Lead.objects.filter(name=planned.name).first()
                if lead:
                    services.update_planned(admin, planned.pk, None, lead=lead)
    while cycle.state != CycleState.PUBLISHED:
        cycle = services.advance_cycle(admin, cycle.pk, None, on=dt.date(2022, 12, 28))
    return cycle


def summary_line(result: dict) -> str:
    planned = PlannedProject.objects.filter(cycle=result["cycle"]).count()
    return f"招商项目库:{result['leads']} 个招商项目;{result['cycle'].title}:{planned} 个谋划项目。"
