"""Demo integrity records (廉政): the report's "纪检监察部门对各地各部门一把手开展廉政谈话,提醒
廉政风险点".

Through the services, as the inspector persona (赵磊, 纪检监察工委) would, each step on the
story's clock (``core.democlock``): risk points of three units in the first days of last
month; a talk with each unit head in last month (November 2026 when loaded in December 2026)
and a 集体谈话 with all of them at its end; the last quarter's nil reports asked for, two
heads answering (one late) and the third not; two interference records (one on time, one
late). Then the workflow's scan (``triggers.scan``) opens today's due talks: the projects about
to start, tender or be accepted. Idempotent: nothing is made twice.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from tuijin.core.democlock import story_clock
from tuijin.integrity import services, triggers
from tuijin.integrity.models import Grade, Interference, NilReport, RiskPoint, Stage, Talk, TalkKind
from tuijin.org.demo import ZONE
from tuijin.org.models import Person, Role, Unit
from tuijin.projects.models import Project

INSPECTOR = "jijian"
RISKS = [
    # unit, stage, title, grade, description, measures
    ("经济发展局", Stage.DECISION, "项目准入评审打招呼、说情", Grade.ONE,
     "评审前有人打听评审专家名单,为特定企业说情。",
     "评审专家随机抽取、名单保密;评审意见集体研究并留痕;说情打招呼一律登记。"),
    ("经济发展局", Stage.TENDER, "设备采购招标量身定制资格条件", Grade.TWO,
     "招标文件设置倾向性资格条件,限制潜在投标人。",
     "招标文件经法规科和纪检监察工委会审;围标串标线索移交;约谈项目负责人。"),
    ("城东产业园", Stage.CONSTRUCTION, "工程变更签证虚增工程量", Grade.ONE,
     "施工中频繁变更签证,签证量与现场不符。",
     "变更签证须监理、跟踪审计、园区办三方现场确认并拍照留存。"),
    ("城东产业园", Stage.ACCEPTANCE, "降低标准组织竣工验收", Grade.ONE,
     "为赶进度降低质量标准,验收资料后补。",
     "验收前资料齐全方可组织;纪检监察人员随机参加重点项目验收。"),
    ("城东产业园", Stage.PAYMENT, "违规提前拨付工程款", Grade.TWO,
     "未按合同节点、未经审核提前拨付工程款。",
     "拨付须附计量审核单,财政局复核;超合同进度拨付一律暂停并通报。"),
    ("自然资源和规划分局", Stage.DECISION, "土地出让条件设置倾向特定企业", Grade.ONE,
     "出让方案附加与项目无关的限制条件。",
     "出让方案集体审议,附加条件说明理由并公示。"),
]  # fmt: skip
TALK_POINTS = (
    "通报近期项目建设领域违纪违法典型案例;提醒本单位在{stages}环节的廉政风险点;"
    "要求严格落实“一岗双责”,对插手干预重大事项如实记录、及时报告。"
)
INTERFERENCES = [
    # recorder, occurred (days into last month), recorded (days after), intervener, project,
    # matter, response
    ("jingfa", 23, 1, "某局原副局长(已退休)", "团结激光产业园",
     "打招呼要求在生产线设备采购招标中照顾一家本地供应商。",
     "当场拒绝,告知须依法依规公开招标,并于次日报告纪检监察工委。"),
    ("ziran", 9, 8, "某乡镇干部", None,
     "请求在土地出让方案中为亲属企业降低准入条件。",
     "明确拒绝,出让方案按集体审议意见执行。"),
]  # fmt: skip


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def load_integrity(units: dict[str, Unit]) -> dict:
    User = get_user_model()
    inspector = User.objects.get(username=INSPECTOR)
    today = timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    risks = _risk_points(inspector, units, last_month)
    talks = _talks(inspector, units, last_month, risks)
    reports = _nil_reports(inspector, today)
    records = _interference(units, last_month)
    due = triggers.scan(today)
    return {"risks": risks, "talks": talks, "reports": reports, "records": records, "due": due}


def _risk_points(inspector, units, month) -> list[RiskPoint]:
    if RiskPoint.objects.exists():
        return list(RiskPoint.objects.all())
    made = []
    with story_clock(at(month + dt.timedelta(days=2), 9)):
        for unit, stage, title, grade, description, measures in RISKS:
            made.append(
                services.add_risk_point(
                    inspector,
                    unit=units[unit],
                    stage=stage,
                    title=title,
                    grade=grade,
                    description=description,
                    measures=measures,
                )
            )
    return made


def _talks(inspector, units, month, risks) -> list[Talk]:
    heads = list(
        Person.objects.filter(role=Role.UNIT_HEAD, is_active=True, unit__in=units.values())
        .select_related("unit")
        .order_by("unit__path")
    )
    talker = Person.objects.get(user=inspector)
    made = []
    kinds = [TalkKind.REMINDER, TalkKind.PROJECT_START, TalkKind.REMINDER]
    for n, head in enumerate(heads):
        day = month + dt.timedelta(days=5 + 7 * n)
        if Talk.objects.filter(unit=head.unit, held_on=day).exists():
            continue
        mine = [r for r in risks if r.unit_id == head.unit_id]
        stages = "、".join(sorted({r.get_stage_display() for r in mine})) or "决策、招投标"
        project = Project.objects.filter(unit=head.unit).order_by("code").first()
        with story_clock(at(day, 15)):
            made.append(
                services.add_talk(
                    inspector,
                    unit=head.unit,
                    kind=kinds[n % len(kinds)],
                    held_on=day,
                    talker=talker,
                    talkees=[head],
                    risk_points=mine,
                    points=TALK_POINTS.format(stages=stages),
                    follow_up=f"{head.name}已签订廉政承诺书;一个月后回访{project.name if project else '本单位项目'}。",
                )
            )
    day = month + dt.timedelta(days=26)
    if heads and not Talk.objects.filter(kind=TalkKind.COLLECTIVE, held_on=day).exists():
        with story_clock(at(day, 9)):
            made.append(
                services.add_talk(
                    inspector,
                    unit=units[ZONE],
                    kind=TalkKind.COLLECTIVE,
                    held_on=day,
                    talker=talker,
                    talkees=heads,
                    risk_points=[r for r in risks if r.grade == Grade.TWO],
                    points="年底项目结算和资金拨付集中,集体提醒招投标和资金拨付环节的二级风险点。",
                    follow_up="各单位12月底前报送本单位风险点排查情况。",
                )
            )
    return made


def _nil_reports(inspector, today) -> list[NilReport]:
    year, quarter = services.quarter_of(today)
    quarter -= 1
    if quarter == 0:
        year, quarter = year - 1, 4
    if NilReport.objects.filter(year=year, quarter=quarter).exists():
        return list(NilReport.objects.filter(year=year, quarter=quarter))
    _start, end = services.quarter_span(year, quarter)
    with story_clock(at(end + dt.timedelta(days=1), 9)):
        reports = services.ask_nil_reports(inspector, year=year, quarter=quarter)
    User = get_user_model()
    for username, days in (("jingfa", 9), ("chengdong", 25)):
        user = User.objects.get(username=username)
        report = next((r for r in reports if r.unit_id == user.person.unit_id), None)
        if report is None:
            continue
        with story_clock(at(end + dt.timedelta(days=days), 16)):
            services.submit_nil_report(
                user, report.pk, report.version, note="本季度无领导干部插手干预重大事项。"
            )
    return reports


def _interference(units, month) -> list[Interference]:
    if Interference.objects.exists():
        return list(Interference.objects.all())
    User = get_user_model()
    made = []
    for username, day, after, intervener, project, matter, response in INTERFERENCES:
        occurred = month + dt.timedelta(days=day - 1)
        with story_clock(at(occurred + dt.timedelta(days=after), 17)):
            made.append(
                services.record_interference(
                    User.objects.get(username=username),
                    occurred_on=occurred,
                    intervener=intervener,
                    project=Project.objects.filter(name=project).first() if project else None,
                    matter=matter,
                    response=response,
                )
            )
    return made


def summary_line(result: dict) -> str:
    return (
        f"廉政:风险点 {len(result['risks'])} 个,谈话 {Talk.objects.filter(state='done').count()} 次,"
        f"待谈 {Talk.objects.filter(state='due').count()} 次,零报告 {len(result['reports'])} 个单位,"
        f"插手干预记录 {len(result['records'])} 条。"
    )
