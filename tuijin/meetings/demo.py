"""Demo meetings (会议) built from the source report (DESIGN §2, §3): past Saturday on-site
offices (周六现场办公会) at 城东产业园 and 青春化工园, past Sunday video dispatches (周日云视频
调度会), the 招商引资项目研讨会 of early November and the following year's project planning
meeting, each with agenda, attendance, minutes and decisions (议定事项) that became 督办 items;
then the recurring weekend meetings of the coming weeks are scheduled.

Built after ``tuijin.projects.demo`` and ``tuijin.supervision.demo`` and through the meeting
services: agendas proposed by ``propose_agenda`` (for the weekly meetings; 督办 items assigned
after a past meeting are left out) and saved with ``save_agenda``, minutes with
``save_minutes``, decisions with ``record_decision`` by the 督查室 persona (李敏) taking
the notes, so the decisions' 督办 items (交办人: the chair, 王立新), their timelines and the
audit trail are real. One decision of the last on-site meeting is taken from its text as typed
(``from_text``: the lead unit, co-unit, project, deadline and result the page proposes). Meetings (and their
attendance) are created here directly, slot key and past ``starts_at`` included, rather than
through ``schedule_meeting`` / ``record_attendance``. ``record_decision`` assigns each item on the meeting's day and resolves its
deadline (calendar days, working days or a date) from that day, so unlike the 人才公寓
directive of the supervision demo no assigned_on/deadline has to be moved afterwards with
``.update()``; the times the services stamp (item activities, reports, verifications) are moved
to the story's days by the supervision demo's ``backdated()`` (each move an audit event of the
true time of loading, ``core.audit.update_audited``). What the units did next
(签收, 办理, 反馈, 核查) runs through the supervision demo's ``run_item_step`` with the unit
personas as actors.

Dates are offsets from ``timezone.localdate()``: the Saturdays are the supervision demo's
"last week's Saturday" and the two before it, each followed by its Sunday dispatch; the 研讨会
is 18 days ago, as in the supervision demo, where its four bottleneck problems were raised; the
planning meeting is on the first working day at least three days after it.

Three items the supervision demo assigned as "周六现场办公会议定" / "招商引资项目研讨会议定"
become decisions of those very meetings (linked, not re-created), so a meeting's decisions and
the 督办 board tell the same story.

Idempotent: meetings are found by title; a meeting that exists is left alone, so a second run
on the same day adds nothing. People named in the report get no records.
"""

import datetime as dt
import re

from django.utils import timezone

from tuijin.core.audit import audit_context
from tuijin.core.democlock import story_clock
from tuijin.meetings.decision_text import draft_for
from tuijin.meetings.models import Attendance, Decision, Meeting, MeetingKind
from tuijin.meetings.services import (
    AgendaSection,
    agenda_text,
    at,
    propose_agenda,
    record_decision,
    save_agenda,
    save_minutes,
    schedule_recurring,
)
from tuijin.org.demo import DEPARTMENTS, ZONE
from tuijin.org.models import Person, Unit, UnitKind
from tuijin.projects.demo import CD, FN, JINGFA, QC, TB, ZHAOSHANG, ZHUJIAN, ZIGUI
from tuijin.projects.models import Project
from tuijin.supervision.demo import (
    SEMINAR,
    Clock,
    backdated,
    demo_users,
    last_weeks_saturday,
    run_item_step,
)
from tuijin.supervision.models import Problem, SupervisionItem

SHENGTAI = "生态环境分局"
PARKS = [QC, CD, TB, FN]
CN_NUMBERS = "一二三四五六七八九十"
SEMINAR_TITLE = "招商引资项目研讨会"
BOTTLENECKS = ["土地指标短缺", "绿电保障不优", "能耗指标不足", "产业配套不强"]
Status = Attendance.Status
CAL, WORK, DATE = (SupervisionItem.DeadlineMode.CALENDAR_DAYS,
                   SupervisionItem.DeadlineMode.WORKING_DAYS,
                   SupervisionItem.DeadlineMode.DATE)  # fmt: skip


def planning_title(day: dt.date) -> str:
    """The report's "2023年项目谋划推进工作会议" was held in late 2022 to plan the following
    year; relative to the demo date it becomes the meeting planning next year's projects."""
    return f"{day.year + 1}年项目谋划推进工作会议"


def first_weekday(today: dt.date, offset: int) -> int:
    """The first day offset from ``offset`` on that falls on Monday to Friday."""
    while (today + dt.timedelta(days=offset)).weekday() >= 5:
        offset += 1
    return offset


def meeting_specs(today: dt.date) -> list[dict]:
    """The demo meetings, oldest first. A decision's steps are (days after the meeting, verb,
    username, *arguments) as in the supervision demo; "adopt" names supervision demo items
    decided at the meeting."""
    sat = last_weeks_saturday(today)  # −7 … −13
    planning = first_weekday(today, SEMINAR + 3)
    onsite_title = lambda offset, park: (  # noqa: E731
        f"{day_label(today, offset)}周六现场办公会({park})"
    )
    dispatch_title = lambda offset: f"{day_label(today, offset)}云视频调度会"  # noqa: E731
    return [
        {"kind": MeetingKind.ONSITE, "day": sat - 14, "hour": 9, "park": CD, "project": "CD-002",
         "title": onsite_title(sat - 14, CD), "place": "城东产业园人才公寓、文帝学校项目现场",
         "units": [CD, ZIGUI, ZHUJIAN, JINGFA],
         "attend": {"王立新": Status.PRESENT, "李敏": Status.PRESENT, "孙伟": Status.PRESENT,
                    "吴海燕": Status.PRESENT, "黄志远": Status.PRESENT, "张强": Status.PRESENT,
                    "刘志强": Status.LEAVE},
         "intro": "王立新同志主持召开周六现场办公会,现场察看万达广场北侧人才公寓地块和文帝学校"
                  "建设现场,听取城东产业园、自然资源和规划分局、住建局工作汇报,研究解决项目开工"
                  "前准备和学校周边配套道路问题。",
         "closing": "会议要求,各责任单位牢固树立“今天再晚也是早、明天再早也是晚”的理念,倒排工期、"
                    "挂图作战,督查室跟踪督办,下周现场办公会通报进展。",
         "decisions": [
             {"text": "人才公寓地块5日内完成万达广场北侧道路旁绿化树迁移,同步启动地块清表,"
                      "为项目开工做好准备。",
              "project": "CD-002", "lead": ZIGUI, "co": [CD, ZHUJIAN], "deadline": (CAL, 5),
              "result": "绿化树全部迁移,清表施工队进场。",
              "steps": [(0, "accept", "ziran"), (1, "start", "ziran"),
                        (4, "report", "ziran", "道路旁绿化树已全部迁移,清表施工队已进场。"),
                        (5, "verify", "duban", "true",
                         "现场察看,绿化树已迁移,属实;地块内仍有两处违章建筑待清理。")]},
             {"text": "文帝学校配套道路(学校东侧规划路)20个工作日内完成路基和雨污管网施工,"
                      "确保学校周边道路与城东大道贯通。",
              "project": "CD-001", "lead": ZHUJIAN, "co": [CD], "deadline": (WORK, 20),
              "result": "路基成型,雨污管网闭水试验合格,道路具备通行条件。",
              "steps": [(1, "accept", "zhujian_staff"), (2, "start", "zhujian_staff")]},
         ]},
        {"kind": MeetingKind.DISPATCH, "day": sat - 13, "hour": 19, "title": dispatch_title(sat - 13),
         "intro": "王立新同志主持召开周日云视频调度会,各部门、各园区逐项汇报本周督办事项办理情况"
                  "和项目建设进展。",
         "closing": "会议要求,超期事项的责任单位主要负责人在下周调度会上作说明。",
         "attend": {"王立新": Status.PRESENT, "李敏": Status.PRESENT, "张强": Status.PRESENT,
                    "陈晨": Status.PRESENT, "孙伟": Status.PRESENT, "吴海燕": Status.LEAVE},
         "decisions": [
             {"text": "各园区7日内完成本月在建项目投资入统数据核对,经济发展局汇总后报统计部门,"
                      "确保应统尽统。",
              "lead": JINGFA, "co": PARKS, "deadline": (CAL, 7),
              "result": "各园区核对表和经济发展局汇总表。",
              "steps": [(1, "accept", "jingfa"), (1, "start", "jingfa_staff"),
                        (5, "report", "jingfa_staff", "四个园区核对表已收齐,汇总表已报送统计部门。"),
                        (6, "verify", "duban", "true", "查阅各园区核对表和报送记录,属实。")]},
         ]},
        {"kind": MeetingKind.INVESTMENT, "day": SEMINAR, "hour": 9, "title": SEMINAR_TITLE,
         "place": "管委会三楼会议室", "units": [ZHAOSHANG, JINGFA, ZIGUI, SHENGTAI, ZHUJIAN, *PARKS],
         "attend": {"王立新": Status.PRESENT, "刘志强": Status.PRESENT, "何建华": Status.PRESENT,
                    "李敏": Status.PRESENT, "陈晨": Status.PRESENT, "张强": Status.PRESENT,
                    "吴海燕": Status.PRESENT, "孙伟": Status.PRESENT, "郑凯文": Status.PRESENT,
                    "宋立群": Status.LEAVE},
         "agenda": "1. 通报招商引资重点项目签约、落地和开工情况\n"
                   "2. 研究重点项目落地中的土地指标、绿电保障、能耗指标和产业配套瓶颈\n"
                   "3. 部署下一阶段精准招商和项目服务工作",
         "intro": "王立新同志主持召开招商引资项目研讨会,招商局通报了招商引资重点项目签约、落地"
                  "情况,各园区逐一汇报项目落地中遇到的困难。会议认为,当前招商引资重点项目落地"
                  "主要面临土地指标短缺、绿电保障不优、能耗指标不足、产业配套不强等瓶颈:云南锂电"
                  "铜箔二期新增用地无指标,石墨烯负极材料专用变电站和绿电交易未落实,负极材料一体化"
                  "项目能耗指标缺口较大,犇星二期原料配套和危化品仓储物流短板明显。会议逐项研究了"
                  "破解办法,土地指标缺口同时报请上级统筹解决。",
         "closing": "会议要求,各牵头单位把破解瓶颈作为当前招商引资的头等大事,每周在云视频调度会上"
                    "报告进展;督查室纳入督办,按期核查。",
         "decisions": [
             {"text": "土地指标短缺:自然资源和规划分局牵头清理批而未供和闲置土地,15日内提出盘活"
                      "存量建设用地方案,优先保障云南锂电铜箔二期先行用地。",
              "project": "QC-006", "problem": "土地指标", "lead": ZIGUI, "co": [QC, ZHAOSHANG],
              "deadline": (CAL, 15), "result": "存量建设用地盘活方案报管委会审定。",
              "steps": [(0, "accept", "ziran"), (1, "start", "ziran"),
                        (13, "report", "ziran", "已梳理批而未供土地312亩、闲置土地86亩,盘活方案"
                                                "已报管委会。"),
                        (14, "verify", "duban", "true", "查阅盘活方案及土地清单,属实。")]},
             {"text": "能耗指标不足:经济发展局牵头摸排全区存量用能项目,20日内提出能耗指标收储和"
                      "等量替代方案,优先保障负极材料一体化项目。",
              "project": "FN-001", "problem": "能耗指标", "lead": JINGFA, "co": [FN, SHENGTAI],
              "deadline": (CAL, 20), "result": "能耗指标收储和等量替代方案。",
              "steps": [(1, "accept", "jingfa"), (2, "start", "jingfa_staff")]},
             {"text": "产业配套不强:招商局会同青春化工园围绕犇星二期电解液上下游开展产业链招商,"
                      "15日内落实溶剂配套企业和危化品仓储物流。",
              "project": "QC-001", "problem": "产业配套", "lead": ZHAOSHANG, "co": [QC],
              "deadline": (CAL, 15), "result": "配套企业签约协议和仓储物流协议。",
              "steps": [(0, "accept", "zhaoshang"), (1, "start", "zhaoshang"),
                        (12, "report", "zhaoshang", "湖北交投随州供应链产业园增设危化品仓储区,"
                                                    "两家溶剂配套企业已签约入驻。"),
                        (13, "verify", "duban", "true", "查阅签约协议和仓储物流协议,属实。")]},
         ],
         "adopt": ["鑫星新材料产业园:完成项目用地土地挂牌出让"]},
        {"kind": MeetingKind.PLANNING, "day": planning, "hour": 15,
         "title": planning_title(today + dt.timedelta(days=planning)),
         "place": "管委会一楼大会议室", "units": [*DEPARTMENTS, *PARKS],
         "attend": {"王立新": Status.PRESENT, "刘志强": Status.PRESENT, "何建华": Status.PRESENT,
                    "李敏": Status.PRESENT, "张强": Status.PRESENT, "陈晨": Status.PRESENT,
                    "吴海燕": Status.PRESENT, "孙伟": Status.PRESENT, "赵磊": Status.LEAVE},
         "agenda": "1. 经济发展局通报本年度重大项目建设和投资完成情况\n"
                   "2. 各园区汇报下一年度项目谋划思路和储备项目\n"
                   "3. 部署下一年度项目谋划、用地和要素保障工作",
         "intro": "王立新同志主持召开项目谋划推进工作会议。会议强调,要谋定后动、谋定快动,"
                  "一切围绕项目转、一切围绕项目干,全力以赴狠抓投资和重大项目建设,为随州加快建设"
                  "城乡融合发展示范区作出新贡献、展现新担当。",
         "closing": "会议要求,各园区、各部门主要负责人亲自抓项目谋划,谋划一批、储备一批、"
                    "开工一批,确保下一年度重大项目早开工、早见效。",
         "decisions": [
             {"text": "经济发展局牵头建立下一年度重大项目谋划储备库,各园区谋划亿元以上项目不少于"
                      "5个,30日内报送项目清单。",
              "lead": JINGFA, "co": [*PARKS, ZHAOSHANG], "deadline": (CAL, 30),
              "result": "重大项目谋划储备库及各园区项目清单。",
              "steps": [(1, "accept", "jingfa"), (2, "start", "jingfa_staff")]},
             {"text": "自然资源和规划分局测算下一年度重大项目新增建设用地需求,20日内报市自然资源和"
                      "规划局,争取用地计划指标。",
              "lead": ZIGUI, "co": [JINGFA], "deadline": (CAL, 20),
              "result": "用地需求测算报告及报送回执。", "steps": [(1, "accept", "ziran")]},
         ]},
        {"kind": MeetingKind.ONSITE, "day": sat - 7, "hour": 9, "park": QC, "project": "QC-001",
         "title": onsite_title(sat - 7, QC), "place": "青春化工园犇星二期项目现场",
         "units": [QC, JINGFA, ZHUJIAN, SHENGTAI],
         "attend": {"王立新": Status.PRESENT, "李敏": Status.PRESENT, "郑凯文": Status.PRESENT,
                    "张强": Status.PRESENT, "刘洋": Status.PRESENT, "黄志远": Status.LEAVE,
                    "周婷": Status.PRESENT},
         "intro": "王立新同志主持召开周六现场办公会,现场察看犇星二期、化工园配套基础设施建设"
                  "情况,听取青春化工园、经济发展局、住建局和企业汇报,研究解决项目供电和园区"
                  "污水管网配套问题。",
         "closing": "会议要求,青春化工园会同相关单位对园区在建项目水电气配套逐一梳理,问题清单"
                    "报督查室跟踪督办。",
         "decisions": [
             {"text": "犇星二期:经济发展局协调供电公司10个工作日内完成10千伏双回路供电扩容,"
                      "满足设备安装调试用电。",
              "project": "QC-001", "lead": JINGFA, "co": [QC], "deadline": (WORK, 10),
              "result": "双回路线路投运,扩容送电。",
              "steps": [(0, "accept", "jingfa"), (1, "start", "jingfa_staff"),
                        (5, "report", "jingfa_staff", "供电公司已完成双回路线路架设,扩容送电。"),
                        (6, "verify", "duban", "true", "现场察看配电房,双回路已送电,属实。")]},
             {"text": "化工园配套基础设施:青春化工园牵头,20日内完成园区污水管网支管延伸至正丹化学、"
                      "犇星二期厂区,并与园区污水处理厂接驳。",
              "project": "QC-005", "lead": QC, "co": [ZHUJIAN, SHENGTAI], "deadline": (CAL, 20),
              "result": "支管接驳完成,闭水试验合格。",
              "steps": [(1, "accept", "qingchun_staff"), (2, "start", "qingchun_staff")]},
         ]},
        {"kind": MeetingKind.DISPATCH, "day": sat - 6, "hour": 19, "title": dispatch_title(sat - 6),
         "intro": "王立新同志主持召开周日云视频调度会,听取各单位督办事项办理情况汇报,点评上周"
                  "现场办公会议定事项落实情况。",
         "closing": "会议要求,入冬后各在建项目做好冬季施工组织,确保不停工、不误工。",
         "attend": {"王立新": Status.PRESENT, "李敏": Status.PRESENT, "张强": Status.PRESENT,
                    "陈晨": Status.PRESENT, "孙伟": Status.PRESENT, "吴海燕": Status.PRESENT,
                    "郑凯文": Status.PRESENT},
         "decisions": [
             {"text": "住建局牵头,5个工作日内对全区在建项目开展冬季施工安全和农民工工资支付专项"
                      "检查,发现问题限期整改。",
              "lead": ZHUJIAN, "co": PARKS, "deadline": (WORK, 5),
              "result": "检查台账、整改通知书及整改回执。",
              "steps": [(1, "accept", "zhujian_staff"), (1, "start", "zhujian_staff"),
                        (5, "report", "zhujian_staff", "已检查在建项目18个,发现隐患23处,"
                                                       "均已下达整改通知。"),
                        (6, "verify", "duban", "partly",
                         "抽查5个项目,2处脚手架隐患未整改到位,工资专户台账不全,退回补充。")]},
         ]},
        {"kind": MeetingKind.ONSITE, "day": sat, "hour": 9, "park": CD, "project": "CD-006",
         "title": onsite_title(sat, CD), "place": "城东产业园齐星公司、文帝学校、深圳吉瑞达项目现场",
         "units": [CD, ZHAOSHANG, ZHUJIAN, JINGFA],
         "attend": {"王立新": Status.PRESENT, "李敏": Status.PRESENT, "孙伟": Status.PRESENT,
                    "陈晨": Status.PRESENT, "黄志远": Status.PRESENT, "张强": Status.LEAVE,
                    "刘洋": Status.PRESENT},
         "intro": "王立新同志主持召开周六现场办公会,现场察看齐星公司总装车间、文帝学校施工便道"
                  "和深圳吉瑞达标准化厂房,听取城东产业园、招商局、住建局汇报。",
         "closing": "会议要求,城东产业园对现场发现的问题建立清单、逐项销号,下周调度会报告进展。",
         "decisions": [
             # Typed as said; lead unit, co-unit, project, deadline and result read from it.
             {"text": "住建局牵头,会同城东产业园,五个工作日内完成文帝学校东侧施工便道照明安装",
              "from_text": True,
              "steps": [(1, "accept", "zhujian_staff"), (2, "start", "zhujian_staff")]},
             {"text": "深圳吉瑞达:招商局督促施工单位增加作业班组,10日内完成标准化厂房主体封顶。",
              "project": "CD-004", "lead": ZHAOSHANG, "co": [CD], "deadline": (CAL, 10),
              "result": "标准化厂房主体封顶。",
              "steps": [(1, "accept", "zhaoshang"), (2, "start", "zhaoshang")]},
         ],
         "adopt": ["文帝学校:施工便道硬化及围挡整改",
                   "齐星公司移动应急智能储运装备:施工临时用电增容"]},
        {"kind": MeetingKind.DISPATCH, "day": sat + 1, "hour": 19, "title": dispatch_title(sat + 1),
         "intro": "王立新同志主持召开周日云视频调度会,听取各单位督办事项办理情况汇报,对超期"
                  "事项逐项点评。",
         "closing": "会议要求,对反馈不实的事项,督查室会同纪检监察工委约谈责任单位负责人。",
         "attend": {"王立新": Status.PRESENT, "李敏": Status.PRESENT, "张强": Status.PRESENT,
                    "陈晨": Status.PRESENT, "孙伟": Status.PRESENT, "吴海燕": Status.PRESENT,
                    "赵磊": Status.PRESENT, "郑凯文": Status.LEAVE},
         "decisions": [
             {"text": "国药天麻产业制造基地、中昱环保设备:经济发展局督促企业3个工作日内补报缺报的"
                      "月度进度,说明投资滞后原因并提出赶进度措施。",
              "project": "TB-003", "lead": JINGFA, "co": [TB], "deadline": (WORK, 3),
              "result": "补报的月度进度和赶进度措施。",
              "steps": [(1, "accept", "jingfa"), (1, "start", "jingfa_staff"),
                        (3, "report", "jingfa_staff", "两个项目已补报缺报的月度进度,赶进度措施"
                                                      "已报送。"),
                        (4, "verify", "duban", "true", "查阅项目台账,缺报月份已补齐,属实。")]},
         ]},
    ]  # fmt: skip


def day_label(today: dt.date, offset: int) -> str:
    day = today + dt.timedelta(days=offset)
    return f"{day.month}月{day.day}日"


class MeetingClock(Clock):
    """Hours for one record's steps (10:30, 12:30 …); on the meeting's day they follow it."""

    def __init__(self, day: int, start: int):
        super().__init__()
        self.day, self.start = day, start

    def hour(self, offset: int) -> int:
        hour = super().hour(offset)
        if offset == self.day:
            hour += max(self.start - 9, 0)
        return min(hour, 22)


def minutes_text(spec: dict, decisions: list[Decision]) -> str:
    lines = [spec["intro"], "", "会议议定:"]
    lines += [f"{CN_NUMBERS[n]}、{d.text}" for n, d in enumerate(decisions)]
    return "\n".join([*lines, "", spec["closing"]])


def load_meeting(spec, today, users, units, people, projects) -> Meeting | None:
    if Meeting.objects.filter(title=spec["title"]).exists():
        return None
    leader, duban = users["leader"], users["duban"]
    day = today + dt.timedelta(days=spec["day"])
    is_dispatch = spec["kind"] == MeetingKind.DISPATCH
    # A past meeting was arranged two days before it and its minutes saved after it: its
    # history says so (core/democlock.py); one still to come is arranged now.
    past = day < today
    arranged = at(day - dt.timedelta(days=2), 16) if past else None
    after = at(day, spec["hour"] + 2) if past else None
    with story_clock(arranged), audit_context(actor=duban, action="create_meeting"):
        meeting = Meeting.objects.create(
            kind=spec["kind"],
            title=spec["title"],
            starts_at=at(day, spec["hour"]),
            place="云视频会议" if is_dispatch else spec["place"],
            park=units[spec["park"]] if "park" in spec else None,
            project=projects.get(spec.get("project")),
            chair=people["王立新"],
        )
        if is_dispatch:  # as the recurring dispatches: every unit but villages and communities
            zone = units[ZONE]
            invited = (
                Unit.objects.filter(path__startswith=zone.path)
                .exclude(pk=zone.pk)
                .exclude(kind__in=[UnitKind.VILLAGE, UnitKind.COMMUNITY])
            )
        else:
            invited = [units[name] for name in spec["units"]]
        meeting.invited_units.set(invited)
        for name, status in spec["attend"].items():
            Attendance.objects.create(meeting=meeting, person=people[name], status=status)
    agenda = spec.get("agenda") or agenda_text(as_of(propose_agenda(meeting, day), day))
    with story_clock(arranged):
        meeting = save_agenda(duban, meeting.pk, meeting.version, agenda)

    decisions = []
    with story_clock(at(day, spec["hour"]) if past else None):
        for adopted in SupervisionItem.objects.filter(title__in=spec.get("adopt", [])).order_by(
            "pk"
        ):
            decisions.append(adopt_item(leader, meeting, adopted))
    for decision_spec in spec["decisions"]:
        decisions.append(decide(decision_spec, meeting, spec, today, users, units, projects))
    with story_clock(after):
        save_minutes(duban, meeting.pk, meeting.version, minutes_text(spec, decisions))
    return meeting


def as_of(sections: list[AgendaSection], day: dt.date) -> list[AgendaSection]:
    """The proposal lists the 督办 items open now; for a past meeting leave out those assigned
    after it, so its agenda reads as it would have that day."""
    later = {
        item.get_absolute_url()
        for item in SupervisionItem.objects.filter(assigned_on__gt=day).only("pk")
    }
    kept = []
    for section in sections:
        lines = [line for line in section.lines if line.url not in later]
        if len(lines) == len(section.lines):
            kept.append(section)
        elif lines:  # a unit's section: "经济发展局(4项)"
            title = re.sub(r"(\d+项)$", f"({len(lines)}项)", section.title)
            kept.append(AgendaSection(title, lines))
    return kept


def adopt_item(leader, meeting: Meeting, item: SupervisionItem) -> Decision:
    """A supervision demo item the meeting decided: recorded as its decision, not re-assigned."""
    text = item.requirement.split("议定:", 1)[-1]
    number = meeting.decisions.count() + 1
    with audit_context(actor=leader, action="record_decision"):
        return Decision.objects.create(
            meeting=meeting, number=number, text=text, item=item, problem=item.problem
        )


def decide(spec, meeting, meeting_spec, today, users, units, projects) -> Decision:
    """Recorded by the 督查室 (the note-taker); the item's 交办人 is the chair, 王立新."""
    offset = meeting_spec["day"]
    clock = MeetingClock(offset, meeting_spec["hour"])
    if spec.get("from_text"):
        fields = from_text(users["duban"], spec["text"], today + dt.timedelta(days=offset))
    else:
        mode, value = spec["deadline"]
        fields = {
            "lead_unit": units[spec["lead"]],
            "co_units": [units[name] for name in spec["co"]],
            "result_standard": spec["result"],
            "deadline_mode": mode,
            "project": projects.get(spec.get("project")),
        }
        fields |= (
            {"deadline_date": today + dt.timedelta(days=value)}
            if mode == DATE
            else {"deadline_days": value}
        )
    if "problem" in spec:
        project = projects[spec["project"]]
        fields["problem"] = Problem.objects.filter(
            project=project, category__name=spec["problem"]
        ).first()
    with backdated(today, offset, clock.hour(offset)):
        decision = record_decision(users["duban"], meeting, text=spec["text"], **fields)
    item = decision.item
    for days, verb, username, *args in spec["steps"]:
        run_item_step(item, (offset + days, verb, username, *args), users, today, clock)
        item.refresh_from_db()
    return decision


def from_text(user, text: str, day: dt.date) -> dict:
    """What the meeting page proposes from the text as typed (``decision_text``), taken as
    the note-taker would confirm it."""
    draft = draft_for(
        user,
        text,
        today=day,
        units=Unit.objects.exclude(kind__in=[UnitKind.VILLAGE, UnitKind.COMMUNITY]),
        people=Person.objects.filter(is_active=True),
    )
    return {
        "lead_unit": Unit.objects.get(pk=draft.lead_unit),
        "co_units": list(Unit.objects.filter(pk__in=draft.co_units)),
        "project": Project.objects.filter(pk=draft.project).first(),
        "requirement": draft.requirement,
        "result_standard": draft.result_standard,
        "deadline_mode": draft.deadline_mode,
        "deadline_days": draft.deadline_days,
        "deadline_date": draft.deadline_date,
    }


def demo_meetings(today: dt.date | None = None):
    today = today or timezone.localdate()
    return Meeting.objects.filter(title__in=[spec["title"] for spec in meeting_specs(today)])


def load_meetings(units: dict[str, Unit]) -> dict:
    """Build the demo meetings (after the projects and supervision demos) and schedule the
    coming weekend meetings; returns counts."""
    today = timezone.localdate()
    users = demo_users(units)
    specs = sorted(meeting_specs(today), key=lambda spec: (spec["day"], spec["hour"]))
    names = {name for spec in specs for name in spec["attend"]}
    people = {p.name: p for p in Person.objects.filter(name__in=names).select_related("unit")}
    codes = {spec.get("project") for spec in specs} | {
        d.get("project") for spec in specs for d in spec["decisions"]
    }
    projects = {p.code: p for p in Project.objects.filter(code__in=codes - {None})}
    for spec in specs:
        load_meeting(spec, today, users, units, people, projects)
    schedule_recurring(today)
    return counts(today)


def counts(today: dt.date) -> dict:
    meetings = demo_meetings(today)
    scheduled = Meeting.objects.filter(slot__isnull=False, starts_at__gte=at(today, 0))
    return {
        "meetings": meetings.count(),
        "kinds": {kind: meetings.filter(kind=kind).count() for kind in MeetingKind.values},
        "decisions": Decision.objects.filter(meeting__in=meetings).count(),
        "attendances": Attendance.objects.filter(meeting__in=meetings).count(),
        "scheduled": scheduled.count(),
        "scheduled_kinds": sorted(set(scheduled.values_list("kind", flat=True))),
    }


def summary_line(counts: dict) -> str:
    """会议 8 次,议定事项 14 项;已排定例会 6 次"""
    return (
        f"会议 {counts['meetings']} 次,议定事项 {counts['decisions']} 项;"
        f"已排定例会 {counts['scheduled']} 次"
    )
