"""Demo assessment: the three months before the current one (September–November 2026 when the
demo is loaded in December 2026), each computed from the demo's records, put on 公示 and
published by the 督查室 (李敏) through the services on the story's clock.

To give September and October facts of their own, a few earlier 督办 items are assigned,
reported and verified on their days through ``supervision.services`` (all closed: today's
boards are unchanged); November adds two items 经济发展局 answered late (the browser journey
opens them). The schemes: departments from September (the defaults, the offices that run the
assessment left out), a second version from November that weighs the leaders' ratings
(分管领导评分 10, 督办 25, 项目灯色 15); parks with one place on each list; the single town
without lists. October has a commendation (招商局 +2) and November a criticism (住建局 −1),
two 批示, the leader's ratings and one appeal (经济发展局, 问题解决, refused). No veto.

Idempotent: items are found by title, months by their first day; an existing month is left
as it is.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from tuijin.assessment import services
from tuijin.assessment.models import Appeal, Period, PeriodState, UnitClass
from tuijin.core.democlock import story_clock
from tuijin.org.models import Person, Unit
from tuijin.supervision import services as supervision
from tuijin.supervision.models import SupervisionItem

NOT_ASSESSED = ["党政办", "督查室", "纪检监察工委", "财政局", "生态环境分局"]
REPORTERS = {
    "经济发展局": "jingfa_staff",
    "招商局": "zhaoshang",
    "住建局": "zhujian_staff",
    "自然资源和规划分局": "ziran",
    "青春化工园": "qingchun_staff",
    "城东产业园": "chengdong",
    "府南产业园": "funan_staff",
}
# (months back, unit, title, assigned, deadline, [(day, "report"|"true"|"partly"|"untrue")])
ITEMS = [
    (3, "经济发展局", "犇星二期环评批复材料报送市生态环境局", 1, 10, [(9, "report"), (11, "true")]),
    (3, "招商局", "深圳吉瑞达项目签约前尽职调查", 2, 15, [(18, "report"), (19, "true")]),
    (3, "住建局", "城东水厂管网施工许可办理", 3, 12, [(8, "report"), (9, "true")]),
    (
        3,
        "青春化工园",
        "化工园区消防通道整改",
        5,
        14,
        [(13, "report"), (14, "untrue"), (20, "report"), (22, "true")],
    ),
    (3, "城东产业园", "文帝学校施工围挡规范设置", 4, 11, [(10, "report"), (11, "true")]),
    (2, "经济发展局", "国药国粹项目用电报装", 8, 16, [(15, "report"), (16, "true")]),
    (
        2,
        "经济发展局",
        "电解液项目能评补充材料报送",
        9,
        20,
        [(19, "report"), (21, "partly"), (23, "report"), (24, "true")],
    ),
    (2, "招商局", "供应链产业园招商对接会筹备", 10, 20, [(19, "report"), (20, "true")]),
    (2, "住建局", "南外环征迁入户协调", 12, 22, [(27, "report"), (28, "true")]),
    (2, "自然资源和规划分局", "鑫星新材料产业园用地报批", 12, 26, [(20, "report"), (21, "true")]),
    (
        2,
        "府南产业园",
        "负极材料一体化项目红线图确认",
        13,
        23,
        [(22, "report"), (23, "untrue"), (27, "report"), (28, "true")],
    ),
    (1, "经济发展局", "犇星二期设备款支付凭证报送", 2, 9, [(12, "report"), (13, "true")]),
    (1, "经济发展局", "石墨烯负极材料项目入库统计", 3, 13, [(16, "report"), (17, "true")]),
    (1, "招商局", "招商项目库季度更新", 4, 18, [(12, "report"), (13, "true")]),
    (1, "城东产业园", "齐星公司施工用电增容协调", 5, 16, [(20, "report"), (21, "true")]),
]


def user(username: str):
    return get_user_model().objects.get(username=username)


def months_back(today: dt.date, n: int) -> dt.date:
    month = today.replace(day=1)
    for _ in range(n):
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return month


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def load_items(today: dt.date) -> int:
    made = 0
    for back, unit_name, title, assigned, deadline, steps in ITEMS:
        month = months_back(today, back)
        if SupervisionItem.objects.filter(title=title).exists():
            continue
        unit = Unit.objects.get(name=unit_name)
        duban, reporter = user("duban"), user(REPORTERS[unit_name])
        with story_clock(at(month.replace(day=assigned), 9)):
            item, _warning = supervision.assign_item(
                duban,
                deadline_mode=SupervisionItem.DeadlineMode.DATE,
                deadline_date=month.replace(day=deadline),
                assigned_on=month.replace(day=assigned),
                title=title,
                requirement=f"{title},按期反馈办理结果",
                result_standard=f"{title}完成,材料齐全",
                source=SupervisionItem.Source.INSTRUCTION,
                lead_unit=unit,
            )
        with story_clock(at(month.replace(day=assigned), 11)):
            supervision.accept(reporter, item.pk, None)
        for day, step in steps:
            with story_clock(at(month.replace(day=day), 15 if step == "report" else 10)):
                if step == "report":
                    supervision.report(reporter, item.pk, None, text=f"{title}已办理完毕。")
                else:
                    supervision.verify(duban, item.pk, None, result=step, notes="督查室现场核查。")
        made += 1
    return made


def load_schemes(today: dt.date, units: dict) -> None:
    zone = units["随州高新区"]
    duban = user("duban")
    if services.scheme_in_force(zone, UnitClass.DEPARTMENT, today) is not None:
        return
    first = months_back(today, 3)
    excluded = [units[name] for name in NOT_ASSESSED]
    defaults = services.default_values()
    with story_clock(at(first - dt.timedelta(days=5))):
        services.save_scheme(
            duban,
            UnitClass.DEPARTMENT,
            defaults,
            effective_from=first,
            excluded_units=excluded,
            note="按DESIGN默认权重",
        )
        services.save_scheme(
            duban,
            UnitClass.PARK,
            defaults | {"red_count": 1, "black_count": 1},
            effective_from=first,
            note="园区红黑榜各1名",
        )
        services.save_scheme(
            duban,
            UnitClass.TOWN,
            defaults | {"red_count": 0, "black_count": 0},
            effective_from=first,
            note="乡镇仅一个,不设红黑榜",
        )
    november = months_back(today, 1)
    rated = defaults | {
        "weight_rating": Decimal(10),
        "weight_duban": Decimal(25),
        "weight_lights": Decimal(15),
    }
    with story_clock(at(november - dt.timedelta(days=3))):
        services.save_scheme(
            duban,
            UnitClass.DEPARTMENT,
            rated,
            effective_from=november,
            excluded_units=excluded,
            note="增设分管领导评分",
        )
    # 企业诉求 (R15 item 13) weighed from this month on: a new version, so the months already
    # computed keep theirs (weights still 95 with ±5 加减分).
    december = months_back(today, 0)
    with story_clock(at(december - dt.timedelta(days=3))):
        services.save_scheme(
            duban,
            UnitClass.DEPARTMENT,
            rated
            | {
                "weight_requests": Decimal(10),
                "weight_problems": Decimal(15),
                "weight_worklogs": Decimal(10),
            },
            effective_from=december,
            excluded_units=excluded,
            note="增设企业诉求指标(解决率、满意率)",
        )


def run_month(today: dt.date, back: int, units: dict) -> Period | None:
    month = months_back(today, back)
    zone = units["随州高新区"]
    if Period.objects.filter(zone=zone, month=month).exists():
        return None
    duban, leader = user("duban"), user("leader")
    last_day = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    with story_clock(at(last_day, 9)):
        period = services.open_period(duban, month)
        if back == 2:
            services.add_adjustment(
                duban,
                period.pk,
                unit=units["招商局"],
                points=Decimal(2),
                reason="招商引资工作获市委、市政府通报表扬",
            )
            item = SupervisionItem.objects.get(title="鑫星新材料产业园用地报批")
            services.record_instruction(
                leader,
                unit=units["自然资源和规划分局"],
                item=item,
                leader=Person.objects.get(user=leader),
                day=month.replace(day=22),
                text="用地报批提前完成,值得肯定。",
            )
        if back == 1:
            services.add_adjustment(
                duban,
                period.pk,
                unit=units["住建局"],
                points=Decimal(-1),
                reason="项目信息报送迟报,被市督查室通报",
            )
            item = SupervisionItem.objects.filter(
                lead_unit=units["经济发展局"],
                deadline__range=(month, last_day),
                closed_on_time=True,
            ).first()
            services.record_instruction(
                leader,
                unit=units["经济发展局"],
                item=item,
                leader=Person.objects.get(user=leader),
                day=month.replace(day=20),
                text="调度有力,推进扎实。",
            )
            ratings = {"经济发展局": 85, "招商局": 90, "住建局": 78, "自然资源和规划分局": 88}
            services.rate_units(
                leader, period.pk, {units[n]: (Decimal(s), "") for n, s in ratings.items()}
            )
    with story_clock(at(last_day, 17)):
        services.compute_period(duban, period.pk)
        period = services.start_publicity(duban, period.pk)
    if back == 1:
        indicator = period.scores.get(unit=units["经济发展局"]).indicators.get(key="problems")
        with story_clock(at(period.publicity_start + dt.timedelta(days=1), 10)):
            appeal = services.file_appeal(
                user("jingfa"),
                indicator.pk,
                reason="“能耗指标不足”问题已于公示期间协调解决,申请不计扣分。",
            )
        with story_clock(at(period.publicity_end, 16)):
            services.decide_appeal(
                duban,
                appeal.pk,
                upheld=False,
                decision="问题解决在12月,计入12月考核;11月末仍未解决,维持原分。",
            )
    publish_at = at(period.publicity_end + dt.timedelta(days=1), 9)
    if publish_at.date() > timezone.localdate():
        return period  # 公示 not over yet: the month stays on 公示
    with story_clock(publish_at if publish_at < timezone.now() else None):
        return services.publish(duban, period.pk)


def load_assessment(units: dict) -> dict:
    today = timezone.localdate()
    items = load_items(today)
    load_schemes(today, units)
    months = [run_month(today, back, units) for back in (3, 2, 1)]
    return {"items": items, "months": [m for m in months if m is not None]}


def summary_line(result: dict) -> str:
    """月度考核:已发布 3 个月,申诉 1 件"""
    published = Period.objects.filter(state=PeriodState.PUBLISHED).count()
    return f"月度考核:已发布 {published} 个月,申诉 {Appeal.objects.count()} 件"
