"""Demo ledger (项目台账) built from the source report (DESIGN §2, §5): the 21 projects of the
four parks, their owner enterprises, assigned leaders (包保领导), plans, approvals, milestones
and monthly progress reports.

The data below are facts, never lights: dates are offsets from today (``timezone.localdate()``)
and investment is stated as how far a project is behind time-proportional progress (序时进度),
so the lights that ``services.refresh_lights`` computes stay meaningful whenever the demo is
loaded. Idempotent: records are found by enterprise name, project code and their natural keys,
so a second run on the same day adds nothing (a run in a later month adds the new months'
reports). The investment rule only bites late enough in the year: in January it is silent, and
犇星二期 (50 points behind) turns red from May; the other reds do not depend on the month.

Enterprise names are derived from the project names in the report; real companies with similar
names may exist. Credit codes, figures, dates and narratives are invented for the demo. People
are the demo personas of ``tuijin.org.demo`` plus fictional persons without accounts; nobody
named in the report gets a record.
"""

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.utils import timezone

from tuijin.core.demo_photos import site_photo
from tuijin.core.democlock import story_clock
from tuijin.core.uploads import facts_of
from tuijin.org.demo import ZONE
from tuijin.org.models import Person, Role, Unit
from tuijin.projects.lights import Thresholds, elapsed_months
from tuijin.projects.models import (
    AnnualPlan,
    Approval,
    ApprovalType,
    Category,
    Enterprise,
    IndustryTag,
    KeyLevel,
    Light,
    Milestone,
    ProgressReport,
    Project,
    ProjectFile,
    Stage,
)
from tuijin.projects.periods import Period, period_containing, periods_due_before
from tuijin.projects.services import freeze_period_lights, refresh_lights
from tuijin.projects.validators import credit_code_check_char

QC, CD, TB, FN = "青春化工园", "城东产业园", "铁北产业园", "府南产业园"
JINGFA, ZHAOSHANG, ZHUJIAN, ZIGUI = "经济发展局", "招商局", "住建局", "自然资源和规划分局"

# Demo personas (tuijin.org.demo) by username, and fictional people without accounts.
PERSONAS = {"王立新": "leader", "陈晨": "zhaoshang", "刘洋": "jingfa_staff", "孙伟": "chengdong",
            "周婷": "qiye"}  # fmt: skip
EXTRA_PEOPLE = [  # name, unit, title, role
    ("刘志强", ZONE, "管委会副主任", Role.ZONE_LEADER),
    ("何建华", ZONE, "党工委委员", Role.ZONE_LEADER),
    ("黄志远", ZHUJIAN, "科员(项目统计)", Role.UNIT_STAFF),
    ("马晓燕", ZIGUI, "科员(项目统计)", Role.UNIT_STAFF),
    ("郑凯文", QC, "园区办科员", Role.UNIT_STAFF),
    ("宋立群", FN, "园区办科员", Role.UNIT_STAFF),
]
# Who files the monthly reports of a responsible unit's projects.
REPORTERS = {JINGFA: "刘洋", ZHAOSHANG: "陈晨", CD: "孙伟", ZHUJIAN: "黄志远", ZIGUI: "马晓燕",
             QC: "郑凯文", FN: "宋立群"}  # fmt: skip

TAGS = ["新能源", "新材料", "医药健康", "装备制造", "电子信息", "节能环保", "现代物流",
        "基础设施", "民生"]  # fmt: skip

# name, park, responsible unit, industry, key enterprise, 包保领导, liaison, credit code (9 chars
# after 91421300, check character added), or "" for none.
ENTERPRISES = [
    ("湖北犇星新能源材料有限公司", QC, JINGFA, "化学原料和化学制品制造业", True, ["王立新"], "周婷", "MA49B0001"),
    ("随州烯能新材料有限公司", QC, QC, "石墨及碳素制品制造", False, ["王立新"], None, ""),
    ("正丹化学(随州)有限公司", QC, QC, "化学原料和化学制品制造业", True, ["何建华"], None, "MA49B0002"),
    ("随州云铜新材料有限公司", QC, ZHAOSHANG, "有色金属压延加工业", False, ["陈晨"], None, ""),
    ("湖北交投随州供应链管理有限公司", QC, ZHAOSHANG, "仓储和物流业", False, [], None, ""),
    ("北新建材(随州)有限公司", QC, QC, "非金属矿物制品业", True, ["刘志强"], None, "MA49B0003"),
    ("湖北鑫星新材料有限公司", QC, QC, "化学原料和化学制品制造业", False, ["何建华"], None, ""),
    ("随州团结激光科技有限公司", CD, JINGFA, "专用设备制造业", False, ["何建华"], None, ""),
    ("深圳吉瑞达(随州)电子科技有限公司", CD, ZHAOSHANG, "计算机、通信和其他电子设备制造业", False, ["陈晨"], None, ""),
    ("施奈德电气(随州)有限公司", CD, ZHAOSHANG, "电气机械和器材制造业", True, ["陈晨"], None, "MA49B0004"),
    ("湖北齐星应急装备有限公司", CD, CD, "专用设备制造业", True, ["刘志强"], None, "MA49B0005"),
    ("国药集团随州中药有限公司", TB, JINGFA, "医药制造业", True, ["何建华"], None, "MA49B0006"),
    ("湖北中昱环保设备有限公司", TB, JINGFA, "专用设备制造业", False, [], None, ""),
    ("湖北府南新能源科技有限公司", FN, FN, "石墨及碳素制品制造", True, ["王立新"], None, ""),
]  # fmt: skip

# Approximate positions around Suizhou (31.69N, 113.38E), for the map.
PARK_POSITION = {QC: ("31.6420", "113.4710"), CD: ("31.7010", "113.4080"),
                 TB: ("31.7320", "113.3690"), FN: ("31.6620", "113.3560")}  # fmt: skip

# One dict per project. Dates are offsets from today: "start"/"completion" in months (planned
# start and completion), "days" in milestones and approvals in days (negative = past).
# "plan" is this year's plan (万元); "lag" is how many percentage points completed investment is
# behind 序时进度 (negative: ahead). "missing" is how many of the latest due reporting periods
# have no report; "late" makes some reports arrive after the due date.
DEFAULTS = {
    "category": Category.INDUSTRY, "key": KeyLevel.NONE, "enterprise": None, "leaders": [],
    "location": "", "near": None, "stage": Stage.CONSTRUCTION, "completion": 12, "plan": None,
    "last_plan": None, "lag": 0, "missing": 0, "late": False, "approvals_done": None,
    "overdue_approvals": {}, "milestones": [], "problem": "", "entered": -14,
}  # fmt: skip
PROJECTS = [
    # 青春化工园 ---------------------------------------------------------------------------
    {
        "code": "QC-001", "name": "犇星二期年产3万吨新能源电解液", "park": QC, "unit": JINGFA,
        "content": "年产3万吨新能源电解液", "tags": ["新能源", "新材料"],
        "key": KeyLevel.PROVINCE, "enterprise": "湖北犇星新能源材料有限公司",
        "leaders": ["王立新"], "location": "青春化工园犇星一期东侧", "near": (0, 1),
        "total": 30000, "start": -10, "completion": 8, "plan": 12000, "last_plan": 3000,
        "lag": 50, "progress": 38,
        "milestones": [("桩基工程完工", -210, True), ("主体厂房封顶", 40, False),
                       ("设备安装调试", 150, False)],
        "steps": ["桩基施工有序推进。", "桩基完工,主体厂房基础施工。", "主体厂房钢结构吊装。",
                  "罐区基础施工,部分设备订货。"],
        "problem": "设备款支付进度慢于计划,年度投资完成率偏低。",
    },
    {
        "code": "QC-002", "name": "年产10万吨石墨烯负极材料", "park": QC, "unit": QC,
        "content": "年产10万吨石墨烯负极材料", "tags": ["新材料", "新能源"],
        "key": KeyLevel.CITY, "enterprise": "随州烯能新材料有限公司",
        "leaders": ["王立新", "刘志强"], "near": (1, 0), "total": 50000, "start": -8,
        "plan": 15000, "lag": 5, "progress": 45,
        "milestones": [("土地平整完成", -200, True), ("一期厂房主体封顶", -45, False),
                       ("110千伏专用变电站接入", 60, False)],
        "steps": ["场地平整,临时设施搭建。", "一期厂房基础施工。", "一期厂房主体施工。",
                  "主体施工放缓,等待专用变电站方案批复。"],
        "problem": "绿电保障不优,专用变电站接入方案未定,厂房封顶推迟。",
    },
    {
        "code": "QC-003", "name": "正丹化学公司硅基新材料", "park": QC, "unit": QC,
        "content": "硅基新材料生产线及配套设施", "tags": ["新材料"], "key": KeyLevel.CITY,
        "enterprise": "正丹化学(随州)有限公司", "leaders": ["何建华"], "total": 20000,
        "start": -7, "plan": 8000, "lag": 20, "progress": 30,
        "milestones": [("主体结构封顶", 50, False)],
        "steps": ["厂区道路及管廊施工。", "生产车间基础施工。", "生产车间主体施工。"],
        "problem": "能耗指标不足,二期产能指标待上级核准。",
    },
    {
        "code": "QC-004", "name": "随州电厂铁路专线", "park": QC, "unit": ZHUJIAN,
        "category": Category.INFRASTRUCTURE, "content": "电厂铁路专用线及站场配套",
        "tags": ["基础设施"], "key": KeyLevel.CITY, "leaders": ["刘志强"], "total": 45000,
        "stage": Stage.PREPARING, "start": 2, "completion": 26, "plan": 3000, "lag": 8,
        "progress": 5, "approvals_done": 1, "overdue_approvals": {"用地预审与选址": 60},
        "steps": ["线路走向方案比选。", "开展用地预审材料编制。", "征地摸底调查。"],
        "problem": "土地指标短缺,用地预审与选址意见未办结。",
    },
    {
        "code": "QC-005", "name": "化工园配套基础设施", "park": QC, "unit": ZHUJIAN,
        "category": Category.INFRASTRUCTURE, "content": "园区道路、污水管网、供热管网及消防站",
        "tags": ["基础设施"], "leaders": ["刘志强"], "total": 18000, "start": -12,
        "plan": 6000, "last_plan": 4000, "progress": 60,
        "milestones": [("污水管网主管贯通", -60, True), ("园区道路通车", 30, False)],
        "steps": ["污水管网铺设。", "污水管网主管贯通,道路路基施工。", "道路路面及供热管网施工。"],
    },
    {
        "code": "QC-006", "name": "云南年产2万吨高端锂电铜箔", "park": QC, "unit": ZHAOSHANG,
        "content": "年产2万吨高端锂电铜箔", "tags": ["新能源", "新材料"],
        "enterprise": "随州云铜新材料有限公司", "leaders": ["陈晨"], "total": 60000,
        "stage": Stage.PREPARING, "start": -1, "plan": 5000, "lag": 0, "progress": 8,
        "approvals_done": 7,
        "steps": ["土地摘牌,缴纳土地出让金。", "环评、能评办理。", "施工图设计及审查。"],
    },
    {
        "code": "QC-007", "name": "湖北交投随州供应链产业园", "park": QC, "unit": ZHAOSHANG,
        "content": "供应链仓储、分拨中心及配套", "tags": ["现代物流"],
        "enterprise": "湖北交投随州供应链管理有限公司", "leaders": ["陈晨", "何建华"],
        "total": 35000, "start": -6, "plan": 8000, "lag": -3, "progress": 25,
        "milestones": [("仓储区基础完工", -20, True), ("分拨中心封顶", 90, False)],
        "steps": ["场地平整。", "仓储区基础施工。", "仓储区钢结构施工。"],
    },
    {
        "code": "QC-008", "name": "北新建材产业园", "park": QC, "unit": QC,
        "content": "石膏板及新型建材生产线", "tags": ["新材料"], "key": KeyLevel.CITY,
        "enterprise": "北新建材(随州)有限公司", "leaders": ["刘志强"], "near": (-1, 1),
        "total": 40000, "start": -16, "completion": 4, "plan": 10000, "last_plan": 12000,
        "lag": 2, "progress": 70,
        "milestones": [("主体厂房封顶", -120, True), ("生产线设备安装", 45, False)],
        "steps": ["主体厂房封顶。", "厂房围护及屋面施工。", "生产线设备进场安装。"],
    },
    {
        "code": "QC-009", "name": "鑫星新材料产业园", "park": QC, "unit": QC,
        "content": "新材料生产基地", "tags": ["新材料"], "enterprise": "湖北鑫星新材料有限公司",
        "leaders": ["何建华"], "total": 25000, "stage": Stage.SIGNED, "start": 3,
        "completion": 20, "progress": 0, "entered": -5, "approvals_done": 1,
        "steps": ["签约落地,开展项目备案。", "用地选址踏勘。"],
    },
    # 城东产业园 ---------------------------------------------------------------------------
    {
        "code": "CD-001", "name": "文帝学校", "park": CD, "unit": CD, "category": Category.SOCIAL,
        "content": "新建学校教学楼、综合楼及运动场", "tags": ["民生"], "leaders": ["王立新"],
        "near": (1, 1), "total": 15000, "start": -9, "completion": 9, "plan": 6000, "lag": 4,
        "progress": 55,
        "milestones": [("教学楼主体封顶", -30, True), ("秋季开学交付", 280, False)],
        "steps": ["基础施工。", "教学楼主体施工。", "教学楼主体封顶,综合楼施工。", "内外装饰施工。"],
    },
    {
        "code": "CD-002", "name": "人才公寓", "park": CD, "unit": ZIGUI,
        "category": Category.SOCIAL, "content": "人才公寓及配套设施", "tags": ["民生"],
        "key": KeyLevel.DISTRICT, "leaders": ["王立新", "刘志强"], "location": "万达广场北侧",
        "near": (0, -1), "total": 22000, "stage": Stage.PREPARING, "start": -4,
        "completion": 24, "plan": 4000, "lag": 15, "progress": 5, "approvals_done": 8,
        "overdue_approvals": {"施工许可": 10},
        "steps": ["地块征收与清表。", "地块内违章建筑清理。", "道路旁的绿化树已经迁移,正在做开工前的准备。"],
        "problem": "地块内仍有违章建筑物在使用,影响开工。",
    },
    {
        "code": "CD-003", "name": "团结激光产业园", "park": CD, "unit": JINGFA,
        "content": "激光设备研发生产基地", "tags": ["装备制造"],
        "enterprise": "随州团结激光科技有限公司", "leaders": ["何建华"], "total": 30000,
        "start": -11, "plan": 9000, "last_plan": 2000, "lag": 3, "missing": 2, "progress": 50,
        "milestones": [("研发楼封顶", -40, True)],
        "steps": ["厂房基础施工。", "厂房主体施工。", "研发楼封顶,厂房装修。"],
    },
    {
        "code": "CD-004", "name": "深圳吉瑞达", "park": CD, "unit": ZHAOSHANG,
        "content": "电子元器件生产线", "tags": ["电子信息"],
        "enterprise": "深圳吉瑞达(随州)电子科技有限公司", "leaders": ["陈晨"], "total": 12000,
        "start": -5, "plan": 5000, "progress": 35,
        "milestones": [("标准化厂房主体封顶", -12, False), ("生产线投产", 150, False)],
        "steps": ["标准化厂房基础施工。", "标准化厂房主体施工。"],
        "problem": "产业配套不强,部分原材料需外地采购。",
    },
    {
        "code": "CD-005", "name": "施奈德电气公司高低压成套设备", "park": CD, "unit": ZHAOSHANG,
        "content": "高低压成套电气设备生产线", "tags": ["装备制造"], "key": KeyLevel.CITY,
        "enterprise": "施奈德电气(随州)有限公司", "leaders": ["陈晨"], "near": (-1, 0),
        "total": 16000, "start": -15, "completion": 2, "plan": 4000, "last_plan": 8000,
        "lag": -5, "progress": 92,
        "milestones": [("生产线设备安装", -25, True), ("竣工验收", 50, False)],
        "steps": ["厂房装修。", "生产线设备安装。", "设备调试,准备竣工验收。"],
    },
    {
        "code": "CD-006", "name": "齐星公司移动应急智能储运装备", "park": CD, "unit": CD,
        "content": "移动应急智能储运装备生产线", "tags": ["装备制造"], "key": KeyLevel.CITY,
        "enterprise": "湖北齐星应急装备有限公司", "leaders": ["刘志强"], "total": 18000,
        "start": -7, "plan": 7000, "lag": 6, "progress": 40, "late": True,
        "milestones": [("总装车间封顶", 20, False)],
        "steps": ["车间基础施工。", "总装车间主体施工。", "钢结构安装。"],
    },
    # 铁北产业园 ---------------------------------------------------------------------------
    {
        "code": "TB-001", "name": "城东水厂", "park": TB, "unit": ZHUJIAN,
        "category": Category.INFRASTRUCTURE, "content": "水厂及配套管网",
        "tags": ["基础设施", "民生"], "key": KeyLevel.CITY, "leaders": ["刘志强"],
        "near": (0, 0), "total": 26000, "start": -8, "plan": 9000, "lag": 5, "progress": 45,
        "milestones": [("取水泵房完工", -70, True), ("清水池主体完工", -20, False)],
        "steps": ["取水泵房施工。", "沉淀池及清水池施工。", "配套管网铺设。"],
    },
    {
        "code": "TB-002", "name": "国药国粹丸剂", "park": TB, "unit": JINGFA,
        "content": "中药丸剂生产线", "tags": ["医药健康"], "key": KeyLevel.CITY,
        "enterprise": "国药集团随州中药有限公司", "leaders": ["何建华"], "total": 15000,
        "start": -6, "plan": 6000, "late": True, "progress": 35,
        "milestones": [("GMP车间主体完工", 40, False)],
        "steps": ["车间基础施工。", "GMP车间主体施工。", "净化工程招标。"],
    },
    {
        "code": "TB-003", "name": "国药天麻产业制造基地", "park": TB, "unit": JINGFA,
        "content": "天麻精深加工及仓储基地", "tags": ["医药健康"], "key": KeyLevel.CITY,
        "enterprise": "国药集团随州中药有限公司", "leaders": ["何建华"], "near": (1, -1),
        "total": 28000, "start": -9, "plan": 10000, "lag": 40, "missing": 2, "progress": 30,
        "milestones": [("加工车间封顶", 60, False)],
        "steps": ["场地平整。", "加工车间基础施工。", "加工车间主体施工。"],
    },
    {
        "code": "TB-004", "name": "中昱环保设备", "park": TB, "unit": JINGFA,
        "content": "环保设备生产线", "tags": ["节能环保", "装备制造"],
        "enterprise": "湖北中昱环保设备有限公司", "leaders": ["何建华"], "total": 8000,
        "start": -4, "plan": 3000, "lag": 5, "missing": 2, "progress": 20,
        "steps": ["厂房基础施工。", "厂房主体施工。"],
    },
    # 府南产业园 ---------------------------------------------------------------------------
    {
        "code": "FN-001", "name": "年产10万吨新能源动力电池负极材料一体化项目", "park": FN,
        "unit": FN, "content": "年产10万吨新能源动力电池负极材料一体化",
        "tags": ["新能源", "新材料"], "key": KeyLevel.PROVINCE,
        "enterprise": "湖北府南新能源科技有限公司", "leaders": ["王立新", "何建华"],
        "near": (0, 0), "total": 80000, "stage": Stage.PREPARING, "start": -5,
        "completion": 30, "plan": 20000, "lag": 12, "progress": 6, "approvals_done": 6,
        "overdue_approvals": {"能评": 75},
        "steps": ["土地摘牌。", "环评批复,能评报告编制。", "能评待省级审查。"],
        "problem": "能耗指标不足,能评未获批复,无法开工。",
    },
    {
        "code": "FN-002", "name": "南外环", "park": FN, "unit": ZHUJIAN,
        "category": Category.INFRASTRUCTURE, "content": "城市南外环道路、排水、照明及绿化工程",
        "tags": ["基础设施"], "key": KeyLevel.CITY, "leaders": ["刘志强"], "total": 52000,
        "start": -13, "completion": 10, "plan": 12000, "last_plan": 8000, "lag": 20,
        "progress": 48,
        "milestones": [("跨河桥梁下部结构完工", -80, True), ("主线路基贯通", 70, False)],
        "steps": ["路基施工。", "跨河桥梁下部结构施工。", "主线路基施工,雨污管网铺设。"],
        "problem": "部分路段征迁未完成。",
    },
]  # fmt: skip

REPORT_WINDOW_DAYS = 150  # reports cover this year's closed periods and at least ~5 months


# Helpers -----------------------------------------------------------------------------------


def month_day(today: dt.date, months: int, day: int = 10) -> dt.date:
    index = today.year * 12 + today.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, day)


def credit_code(body: str) -> str:
    first17 = "91421300" + body
    return first17 + credit_code_check_char(first17)


def at(day: dt.date, hour: int = 16) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30)))


def load_people(units: dict[str, Unit]) -> dict[str, Person]:
    people = {
        name: Person.objects.get(user__username=username) for name, username in PERSONAS.items()
    }
    for name, unit_name, title, role in EXTRA_PEOPLE:
        people[name], _ = Person.objects.get_or_create(
            name=name, unit=units[unit_name], defaults={"title": title, "role": role}
        )
    return people


def load_enterprises(units, people) -> dict[str, Enterprise]:
    enterprises = {}
    for name, park, unit, industry, is_key, leaders, liaison, code in ENTERPRISES:
        enterprise, created = Enterprise.objects.get_or_create(
            name=name,
            defaults={
                "park": units[park], "unit": units[unit], "industry": industry, "is_key": is_key,
                "liaison": people[liaison] if liaison else None,
                "credit_code": credit_code(code) if code else "",
            },
        )  # fmt: skip
        if created:
            enterprise.leaders.set([people[n] for n in leaders])
        enterprises[name] = enterprise
    return enterprises


def project_fields(spec: dict, units, today: dt.date) -> dict:
    started = spec["stage"] not in (Stage.PLANNING, Stage.SIGNED, Stage.PREPARING)
    planned_start = month_day(today, spec["start"])
    fields = {
        "name": spec["name"], "park": units[spec["park"]], "unit": units[spec["unit"]],
        "content": spec["content"], "category": spec["category"], "key_level": spec["key"],
        "stage": spec["stage"], "total_investment": Decimal(spec["total"]),
        "planned_start": planned_start,
        "actual_start": planned_start + dt.timedelta(days=8) if started else None,
        "planned_completion": month_day(today, spec["completion"], 28),
        "location": spec["location"] or f"{spec['park']}内",
    }  # fmt: skip
    if spec["near"]:
        lat, lon = PARK_POSITION[spec["park"]]
        fields["latitude"] = Decimal(lat) + Decimal("0.004") * spec["near"][0]
        fields["longitude"] = Decimal(lon) + Decimal("0.004") * spec["near"][1]
    return fields


def add_plans(project: Project, spec: dict, today: dt.date) -> None:
    for year, amount in ((today.year, spec["plan"]), (today.year - 1, spec["last_plan"])):
        if amount:
            AnnualPlan.objects.get_or_create(
                project=project, year=year, defaults={"amount": Decimal(amount)}
            )


def add_approvals(project: Project, spec: dict, today: dt.date) -> None:
    """Done approvals dated before the start; pending ones due later, or overdue as listed."""
    ApprovalType.ensure_defaults()
    kinds = list(ApprovalType.objects.filter(is_active=True))
    done = len(kinds) if project.actual_start else spec["approvals_done"] or 0
    finished_by = project.actual_start or today - dt.timedelta(days=30)
    for i, kind in enumerate(kinds):
        if i < done:
            planned = finished_by - dt.timedelta(days=18 * (done - i))
            actual = planned + dt.timedelta(days=i % 3 * 3 - 2)
            note = ""
        elif kind.name in spec["overdue_approvals"]:
            planned = today - dt.timedelta(days=spec["overdue_approvals"][kind.name])
            actual, note = None, "材料已报送,待审批"
        else:
            planned, actual, note = today + dt.timedelta(days=20 * (i - done + 1)), None, ""
        Approval.objects.get_or_create(
            project=project, kind=kind,
            defaults={"planned_date": planned, "actual_date": actual, "note": note},
        )  # fmt: skip


def add_milestones(project: Project, spec: dict, today: dt.date) -> None:
    for name, days, done in spec["milestones"]:
        due = today + dt.timedelta(days=days)
        done_date = min(due, today) - dt.timedelta(days=2) if done else None
        Milestone.objects.get_or_create(
            project=project, name=name, defaults={"due_date": due, "done_date": done_date}
        )


def report_schedule(spec: dict, today: dt.date, t: Thresholds) -> list[tuple[Period, dt.date]]:
    """(period, submission day) for every report the project has filed by today."""
    first_day = max(
        month_day(today, spec["entered"], 1),
        min(today.replace(month=1, day=1), today - dt.timedelta(days=REPORT_WINDOW_DAYS)),
    )
    cutoff = None
    if spec["missing"]:
        cutoff = periods_due_before(today, t.period_kind, t.due_days, spec["missing"])[-1].start
    schedule = []
    period = period_containing(first_day, t.period_kind)
    while period.end < today and (cutoff is None or period.start < cutoff):
        i = len(schedule)
        on_time = 1 + i % max(1, min(3, t.due_days))
        delay = t.due_days + 3 + i % 4 if spec["late"] and i % 2 else on_time
        submitted = period.end + dt.timedelta(days=delay)
        if submitted < today:
            schedule.append((period, submitted))
        period = period.next()
    return schedule


def spread(total: Decimal, weights: list[float]) -> list[Decimal]:
    """Split a whole number of 万元 by weights (equally if all are 0); the last takes the rest."""
    if not weights:
        return []
    if not any(weights):
        weights = [1] * len(weights)
    scale = Decimal(sum(weights))
    shares = [(total * Decimal(w) / scale).quantize(Decimal(1)) for w in weights]
    shares[-1] = total - sum(shares[:-1])
    return shares


def investments(project, spec, schedule, today: dt.date) -> list[Decimal]:
    """This year's completed investment is `lag` points behind 序时进度; last year ~on plan."""
    periods = [period for period, _ in schedule]
    start = project.actual_start

    def weight(index: int, period: Period) -> float:
        return 0 if start and period.end < start else 1 + 0.15 * index

    amounts = [Decimal(0)] * len(periods)
    this_year = [i for i, p in enumerate(periods) if p.start.year == today.year]
    if spec["plan"]:
        plan = Decimal(spec["plan"])
        share = Decimal(elapsed_months(today)) / 12 - Decimal(spec["lag"]) / 100
        target = (plan * min(max(share, Decimal(0)), Decimal(1))).quantize(Decimal(1))
        weights = [weight(k, periods[i]) for k, i in enumerate(this_year)]
        for i, amount in zip(this_year, spread(target, weights), strict=True):
            amounts[i] = amount
    if spec["last_plan"]:
        monthly = (Decimal(spec["last_plan"]) * Decimal("0.95") / 12).quantize(Decimal(1))
        for i, period in enumerate(periods):
            if period.start.year == today.year - 1 and weight(0, period):
                amounts[i] = monthly
    return amounts


def add_reports(project, spec, reporter: Person, today: dt.date, t: Thresholds) -> None:
    schedule = report_schedule(spec, today, t)
    amounts = investments(project, spec, schedule, today)
    n, steps = len(schedule), spec["steps"]
    base = spec["progress"] * 3 // 10
    for k, ((period, submitted), amount) in enumerate(zip(schedule, amounts, strict=True)):
        narrative = steps[k * len(steps) // n]
        if amount:
            narrative += f"本期完成投资{amount}万元。"
        with story_clock(at(submitted)):  # the report's event: when it was submitted
            report, created = ProgressReport.objects.get_or_create(
                project=project, period_start=period.start,
                defaults={
                    "period_end": period.end, "narrative": narrative,
                    "progress": base + (spec["progress"] - base) * (k + 1) // n,
                    "investment": amount, "problems": spec["problem"] if k >= n - 2 else "",
                    "submitted_by": reporter, "submitted_at": at(submitted),
                },
            )  # fmt: skip
            if created and k == n - 1 and project.code in PHOTO_CODES:
                add_photo(project, reporter, at(submitted), report=report)
                if project.code == PHOTO_CODES[0]:
                    add_photo(project, reporter, at(submitted) - dt.timedelta(days=40))


# Projects whose latest report carries a site photo (the first also one outside a report).
PHOTO_CODES = ["QC-001", "QC-002", "CD-002", "TB-001", "FN-001"]


def add_photo(project, reporter: Person, taken: dt.datetime, report=None) -> ProjectFile:
    """A site photo as the report form stores it (random name, EXIF time; thumbnailed)."""
    photo = site_photo(project.pk * 10 + (report is not None), taken, name=project.code)
    return ProjectFile.objects.create(
        project=project,
        report=report,
        kind=ProjectFile.Kind.PHOTO,
        file=photo,
        original_name=photo.name,
        caption="形象进度现场照片" if report else "项目现场全景",
        taken_at=facts_of(photo).taken_at,
        uploaded_by=reporter,
    )


def load_project(spec, units, people, enterprises, tags, today, t) -> Project:
    # Entered on the ledger over a year ago (录入时间), so the stale-report rule applies; its
    # creation is an event of that day (core/democlock.py).
    entered = at(month_day(today, spec["entered"], 1), hour=9)
    with story_clock(entered):
        project, created = Project.objects.get_or_create(
            code=spec["code"], defaults=project_fields(spec, units, today)
        )
        if created:
            Project.objects.filter(pk=project.pk).update(created_at=entered)
            project.created_at = entered
            project.leaders.set([people[name] for name in spec["leaders"]])
            project.tags.set([tags[name] for name in spec["tags"]])
            if spec["enterprise"]:
                project.enterprises.set([enterprises[spec["enterprise"]]])
    add_plans(project, spec, today)
    add_approvals(project, spec, today)
    add_milestones(project, spec, today)
    add_reports(project, spec, people[REPORTERS[spec["unit"]]], today, t)
    return project


def load_projects(units: dict[str, Unit]) -> dict:
    """Build the demo ledger; returns counts (projects, enterprises, reports, lights)."""
    today = timezone.localdate()
    t = Thresholds.current()
    people = load_people(units)
    enterprises = load_enterprises(units, people)
    tags = {name: IndustryTag.objects.get_or_create(name=name)[0] for name in TAGS}
    specs = [DEFAULTS | spec for spec in PROJECTS]
    codes = [load_project(spec, units, people, enterprises, tags, today, t).code for spec in specs]
    refresh_lights(Project.objects.all(), as_of=today)
    for period in periods_due_before(today, t.period_kind, t.due_days, 3):
        freeze_period_lights(period)
    demo = Project.objects.filter(code__in=codes)
    lights = Counter(demo.values_list("light", flat=True))
    return {
        "projects": demo.count(),
        "enterprises": len(enterprises),
        "reports": ProgressReport.objects.filter(project__in=demo).count(),
        "lights": {light: lights.get(light, 0) for light in Light.values[::-1]},
    }


def lights_line(counts: dict) -> str:
    """项目 21 个:红 6、黄 7、绿 8"""
    parts = "、".join(f"{Light(light).label} {n}" for light, n in counts["lights"].items())
    return f"项目 {counts['projects']} 个:{parts}"
