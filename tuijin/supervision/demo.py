"""Demo supervision (督办) built from the source report (DESIGN §2, §3): the 人才公寓 on-site
directive ("三天后一定要见到成效"), the four bottlenecks of the 招商引资项目研讨会, and 督办 items
in every state across the zone's units, with urging, extensions and on-site verifications.

Everything goes through ``tuijin.supervision.services`` with the demo personas as actors, so
states, the item timelines (``ItemActivity``) and the audit trail are real. The services stamp
``timezone.now()``; to give the demo a past (assigned a week ago, reported before the
deadline, verified the next day) each step runs inside ``backdated()``, which afterwards moves
the timestamps that step wrote (activity times, report/verification/extension/problem times,
the closing day) to the step's day with ``core.audit.update_audited`` (a queryset update that
records each move as an event, in bulk). Deadlines are set through the services' own
``assigned_on`` where they allow it; the 人才公寓 directive (``issue_directive`` always assigns
today) gets its assignment day and deadline moved the same way. The audit trail keeps the true
time the demo was loaded (each move is an event of that time, verb ``load_demo``), the business
dates read as the story, and ``verify_audit --records`` finds every row as its events say.
Dates are offsets from ``timezone.localdate()``, so the lights (超期 red, 临期 yellow) are the
same whenever the demo is loaded.

Idempotent: problems are found by their description and items by their title; a record that
exists is left alone, so a second run adds nothing.

The units 住建局, 青春化工园 and 府南产业园 have no persona; their fictional staff from
``tuijin.projects.demo`` (黄志远, 郑凯文, 宋立群) get accounts without a usable password so they
can sign for and report on their units' items. People named in the report get no records:
the directive is the zone leader persona's (王立新).
"""

import contextlib
import datetime as dt
import io
import random
from collections import Counter

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from tuijin.core.audit import audit_context, update_audited
from tuijin.core.democlock import story_clock
from tuijin.core.templatetags.tuijin import cn_date
from tuijin.core.uploads import PHOTO, CheckedFile, check_upload
from tuijin.org.access import person_of
from tuijin.org.models import Person, Unit
from tuijin.projects.demo import CD, FN, JINGFA, QC, ZHAOSHANG, ZHUJIAN, ZIGUI
from tuijin.projects.models import Enterprise, Project
from tuijin.supervision import services
from tuijin.supervision.models import (
    EvidencePhoto,
    ExtensionRequest,
    Feedback,
    ItemActivity,
    ItemState,
    Problem,
    ProblemCategory,
    SupervisionItem,
    Verification,
)
from tuijin.supervision.rules import item_light, truthfulness_index

# Unit staff without a persona: (username, name, unit). The Person comes from projects.demo.
STAFF_ACCOUNTS = [
    ("zhujian_staff", "黄志远", ZHUJIAN),
    ("qingchun_staff", "郑凯文", QC),
    ("funan_staff", "宋立群", FN),
]

Src, Lvl = Problem.Source, Problem.Level
ISrc = SupervisionItem.Source
SEMINAR = -18  # the 招商引资项目研讨会, days before today

# --- The report's central scene ---------------------------------------------------------------
DIRECTIVE = {
    "project": "CD-002",  # 人才公寓, 万达广场北侧; its unit is 自然资源和规划分局
    "category": "征迁与违建",
    "problem_text": "现场仍有两处违章建筑物在使用,没有一点推进的迹象",
    "requirement": "三天内拆除违章建筑、完成场地清表",
    "result_standard": "两处违章建筑拆除、场地清表",
    "co": [CD, ZHUJIAN],
    "day": -6,
    "steps": [
        (-6, "accept", "ziran"),
        (-5, "start", "ziran"),
        (-3, "report", "ziran", "两处违章建筑已拆除完毕,场地清表正在进行。"),
        (-2, "check", "duban", "督查室赴万达广场北侧地块现场察看。"),
        (-2, "verify", "duban", "partly", "一处已拆除,一处仍在使用;场地未清表。"),
        (-1, "urge", "leader", "已超期,剩余一处违章建筑必须立即拆除,明天现场看结果。"),
        (0, "urge", "duban", "第二次催办:请今日反馈拆除进展。"),
    ],
}
# issue_directive titles the item "<project>:<requirement>".
DIRECTIVE_TITLE = f"人才公寓:{DIRECTIVE['requirement']}"


def problem_specs(sat: int) -> list[dict]:
    """Problems: key, subject (project code or enterprise name), unit-side texts, who raised it
    and when (day offset), then what happened to it. ``sat`` is last week's Saturday."""
    return [
        # The four bottlenecks of the 招商引资项目研讨会, taken up by the meeting.
        {"key": "land", "project": "QC-006", "category": "土地指标", "source": Src.MEETING,
         "level": Lvl.LEADER, "by": "leader", "day": SEMINAR,
         "text": "招商引资项目研讨会:云南年产2万吨高端锂电铜箔二期用地约150亩,区内年度新增建设用地"
                 "计划指标已用完,土地指标短缺,二期无法按期供地。",
         "steps": [(SEMINAR, "escalate", "duban"),
                   (-12, "upward", "leader", "已专题报告市政府,报请市自然资源和规划局、省自然资源厅"
                                             "在省级重大项目用地计划中统筹安排新增建设用地指标。")]},
        {"key": "green", "project": "QC-002", "category": "绿电保障", "source": Src.MEETING,
         "level": Lvl.LEADER, "by": "leader", "day": SEMINAR,
         "text": "招商引资项目研讨会:石墨烯负极材料石墨化工序用电负荷大,企业要求绿电占比不低于50%,"
                 "110千伏专用变电站接入方案和绿电交易渠道均未落实,绿电保障不优。",
         "steps": [(SEMINAR, "escalate", "duban")]},
        {"key": "energy", "project": "FN-001", "category": "能耗指标", "source": Src.MEETING,
         "level": Lvl.LEADER, "by": "leader", "day": SEMINAR,
         "text": "招商引资项目研讨会:负极材料一体化项目新增综合能耗约4.5万吨标准煤,区内能耗指标余量"
                 "不足,能评未获省级批复,项目无法开工。",
         "steps": [(SEMINAR, "escalate", "duban")]},
        {"key": "supply", "project": "QC-001", "category": "产业配套", "source": Src.MEETING,
         "level": Lvl.LEADER, "by": "leader", "day": SEMINAR,
         "text": "招商引资项目研讨会:犇星二期所需六氟磷酸锂、碳酸酯溶剂等原料全部外地采购,园区缺少"
                 "危化品仓储和物流配套,产业配套不强。",
         "steps": [(SEMINAR, "escalate", "duban"),
                   (-5, "resolve", "leader", "湖北交投随州供应链产业园增设危化品仓储区,已与犇星签订"
                                             "仓储物流协议;两家溶剂配套企业已签约入驻青春化工园。")]},
        # Raised by units and people of the zone.
        {"key": "nanwaihuan", "project": "FN-002", "category": "征迁与违建", "source": Src.VISIT,
         "level": Lvl.UNIT, "by": "zhujian_staff", "day": -4,
         "text": "南外环K2+300至K2+800段仍有7户征迁户未签约,路基无法贯通。",
         "steps": [(-2, "escalate", "duban")]},
        {"key": "qixing", "project": "CD-006", "category": "水电气", "source": Src.ONSITE,
         "level": Lvl.UNIT, "by": "chengdong", "day": sat,
         "text": "总装车间钢结构焊接用电负荷大,现有临时变压器容量不足,施工中经常跳闸停工。",
         "steps": []},
        {"key": "zhengdan", "project": "QC-003", "category": "水电气", "source": Src.DIRECT,
         "level": Lvl.UNIT, "by": "qingchun_staff", "day": -7,
         "text": "正丹化学厂区南侧雨污排水出口未接入园区污水管网,试生产前须解决。",
         "steps": []},
        {"key": "benxing_road", "enterprise": "湖北犇星新能源材料有限公司", "category": "水电气",
         "source": Src.DIRECT, "level": Lvl.UNIT, "by": "qiye", "day": -3,
         "text": "企业诉求:厂区东侧园区道路雨水管网未接通,雨天厂门口积水,危化品运输车辆通行受影响。",
         "steps": []},
    ]  # fmt: skip


def item_specs(sat: int) -> list[dict]:
    """督办 items. "deadline" is ("calendar"|"working", days) or ("date", day offset); a step is
    (day offset, verb, username, *arguments). ``sat`` is last week's Saturday (现场办公会)."""
    return [
        # 交办: not yet signed for.
        {"title": "南外环:完成K2+300至K2+800段剩余7户征迁签约", "project": "FN-002",
         "lead": ZHUJIAN, "co": [FN, "淅河镇"], "source": ISrc.INSTRUCTION, "by": "leader",
         "problem": "nanwaihuan", "day": -1, "deadline": ("working", 10),
         "requirement": "会同府南产业园、淅河镇逐户上门做工作,10个工作日内完成剩余7户征迁签约和房屋腾退。",
         "result": "7户全部签约、房屋腾空移交,路基施工队进场。", "steps": []},
        {"title": "正丹化学公司硅基新材料:厂区排水出口接入园区污水管网", "project": "QC-003",
         "lead": QC, "co": [ZHUJIAN], "source": ISrc.MEETING, "by": "duban",
         "problem": "zhengdan", "day": -6, "deadline": ("calendar", 5),
         "requirement": "周日云视频调度会议定:5日内明确排水接入点位,完成接驳施工方案并组织施工队进场。",
         "result": "接驳方案经住建局确认,施工队进场施工。",
         "steps": [(-1, "urge", "duban", "已超期仍未签收,请青春化工园立即签收办理。"),
                   (0, "urge", "duban", "第二次催办:今日下班前签收并报送接驳方案。")]},
        # 签收.
        {"title": "深圳吉瑞达:梳理上下游配套企业清单并开展精准招商", "project": "CD-004",
         "lead": ZHAOSHANG, "co": [CD], "source": ISrc.MEETING, "by": "duban", "day": -3,
         "deadline": ("calendar", 15),
         "requirement": "招商引资项目研讨会议定:围绕PCB、注塑件、包装材料梳理省内外配套企业清单,"
                        "15日内上门对接不少于5家。",
         "result": "配套企业清单和对接记录,至少2家企业达成落户意向。",
         "steps": [(-2, "accept", "zhaoshang")]},
        {"title": "年产10万吨新能源动力电池负极材料一体化项目:能评补充材料报送省发改委",
         "project": "FN-001", "lead": FN, "co": [JINGFA], "source": ISrc.PROBLEM, "by": "leader",
         "problem": "energy", "day": -5, "deadline": ("calendar", 7),
         "requirement": "按省级审查意见补充能耗等量替代方案,7日内报送省发改委。",
         "result": "补充材料报送回执。", "steps": [(-4, "accept", "funan_staff")]},
        # 办理中.
        {"title": "年产10万吨石墨烯负极材料:协调110千伏专用变电站接入及绿电交易",
         "project": "QC-002", "lead": JINGFA, "co": [QC], "source": ISrc.PROBLEM, "by": "duban",
         "problem": "green", "day": -11, "deadline": ("calendar", 7),
         "requirement": "会同供电公司确定110千伏专用变电站接入系统方案,协助企业签订绿电交易意向协议。",
         "result": "接入系统方案经供电公司批复,绿电交易意向协议签订。",
         "steps": [(-11, "accept", "jingfa"), (-10, "start", "jingfa_staff"),
                   (-6, "extend", "jingfa", 2, "接入系统方案须报省电力公司评审,评审会定于下周召开。"),
                   (-5, "decide", "duban", True, "评审会后即报结果。")]},
        {"title": "齐星公司移动应急智能储运装备:施工临时用电增容", "project": "CD-006",
         "lead": CD, "co": [JINGFA], "source": ISrc.MEETING, "by": "leader", "problem": "qixing",
         "day": sat, "deadline": ("date", 1),
         "requirement": "周六现场办公会议定:协调供电公司为总装车间施工临时用电增容至800千伏安,"
                        "保障钢结构焊接连续作业。",
         "result": "增容箱变投运,现场焊接不再停电。",
         "steps": [(sat + 1, "accept", "chengdong"), (sat + 1, "start", "chengdong"),
                   (0, "extend", "chengdong", 6, "供电公司箱变设备到货需5天,安装调试1天。")]},
        {"title": "城东水厂:出水主管与城东片区道路管网接驳", "project": "TB-001",
         "lead": ZHUJIAN, "co": [CD], "source": ISrc.MEETING, "by": "duban", "day": -15,
         "deadline": ("calendar", 12),
         "requirement": "完成城东水厂出水主管与城东产业园道路管网接驳,具备试通水条件。",
         "result": "管网接驳完成,打压试验合格。",
         "steps": [(-14, "accept", "zhujian_staff"), (-13, "start", "zhujian_staff"),
                   (-2, "urge", "duban", "已超期1天,请说明原因并报送完成时间。"),
                   (0, "urge", "leader", "超期3天,住建局主要负责人到现场督战。")]},
        {"title": "年产10万吨石墨烯负极材料:一期厂房主体封顶", "project": "QC-002", "lead": QC,
         "co": [], "source": ISrc.ONSITE, "by": "leader", "day": -8, "deadline": ("calendar", 7),
         "requirement": "现场办公要求:7日内完成一期厂房屋面钢结构吊装,实现主体封顶。",
         "result": "一期厂房主体封顶。",
         "steps": [(-8, "accept", "qingchun_staff"), (-7, "start", "qingchun_staff"),
                   (-3, "report", "qingchun_staff", "一期厂房主体已封顶。"),
                   (-2, "verify", "duban", "untrue",
                    "现场察看:屋面钢结构仅吊装约三分之一,未封顶,反馈不属实。")]},
        {"title": "施奈德电气公司高低压成套设备:竣工验收前专项验收", "project": "CD-005",
         "lead": CD, "co": [ZHUJIAN, ZIGUI], "source": ISrc.INSTRUCTION, "by": "duban", "day": -4,
         "deadline": ("calendar", 10),
         "requirement": "协调消防验收、规划核实等专项验收,10日内备齐竣工验收资料。",
         "result": "专项验收意见书齐全,竣工验收资料清单。",
         "steps": [(-4, "accept", "chengdong"), (-3, "start", "chengdong"),
                   (-1, "report", "chengdong", "已协调完成消防验收和规划核实。"),
                   (0, "return", "duban", "反馈未附专项验收意见书,无法核实,请补充后重新反馈。")]},
        # 反馈.
        {"title": "云南年产2万吨高端锂电铜箔:一期厂房施工许可", "project": "QC-006",
         "lead": ZHAOSHANG, "co": [ZHUJIAN], "source": ISrc.INSTRUCTION, "by": "leader",
         "day": -6, "deadline": ("date", 1),
         "requirement": "督促企业完成施工图审查,协助住建局核发一期厂房施工许可证。",
         "result": "施工许可证核发。",
         "steps": [(-6, "accept", "zhaoshang"), (-5, "start", "zhaoshang"),
                   (-1, "report", "zhaoshang", "一期厂房施工许可证已于今日核发。")]},
        # 核查.
        {"title": "犇星二期年产3万吨新能源电解液:设备款支付与投资入统", "project": "QC-001",
         "lead": JINGFA, "co": [], "source": ISrc.ASSESSMENT, "by": "duban", "day": -9,
         "deadline": ("date", 0),
         "requirement": "月度考核评估发现投资完成率落后序时进度,督促企业按合同支付主体设备款,"
                        "本月投资入统不少于3000万元。",
         "result": "设备款支付凭证,统计联网直报平台入统数据。",
         "steps": [(-9, "accept", "jingfa"), (-8, "start", "jingfa_staff"),
                   (-5, "report", "jingfa_staff", "设备款已全部支付,本月入统3200万元。"),
                   (-4, "verify", "duban", "partly", "支付凭证显示仅支付合同额的60%,入统数据属实。"),
                   (-1, "report", "jingfa_staff", "剩余设备款已于昨日支付,凭证已上传。"),
                   (0, "check", "duban", "安排明日到企业财务部门核对支付凭证。")]},
        # 办结, on time.
        {"title": "鑫星新材料产业园:完成项目用地土地挂牌出让", "project": "QC-009",
         "lead": ZIGUI, "co": [QC], "source": ISrc.MEETING, "by": "duban", "day": SEMINAR + 1,
         "deadline": ("calendar", 15),
         "requirement": "招商引资项目研讨会议定:完成地块规划条件核定和土地挂牌出让,企业按期摘牌。",
         "result": "土地成交确认书签订。",
         "steps": [(SEMINAR + 1, "accept", "ziran"), (SEMINAR + 2, "start", "ziran"),
                   (-4, "report", "ziran", "地块已挂牌出让,企业已摘牌,成交确认书已签订。"),
                   (-3, "verify", "duban", "true", "查阅成交确认书和出让合同,属实。")]},
        {"title": "文帝学校:施工便道硬化及围挡整改", "project": "CD-001", "lead": CD,
         "co": [ZHUJIAN], "source": ISrc.MEETING, "by": "leader", "day": sat,
         "deadline": ("calendar", 3),
         "requirement": "周六现场办公会议定:3天内完成学校东侧施工便道硬化、围挡破损处整改,"
                        "渣土车出场冲洗到位。",
         "result": "便道硬化完成,围挡完好,洗车平台投用。",
         "steps": [(sat, "accept", "chengdong"), (sat + 1, "start", "chengdong"),
                   (sat + 2, "report", "chengdong", "便道已硬化,围挡已整改,洗车平台已投用。"),
                   (sat + 3, "verify", "duban", "true", "现场察看,三项均已完成,属实。")]},
        {"title": "年产10万吨新能源动力电池负极材料一体化项目:红线外供水、污水管网配套",
         "project": "FN-001", "lead": FN, "co": [ZHUJIAN], "source": ISrc.INSTRUCTION,
         "by": "leader", "day": -25, "deadline": ("date", -10),
         "requirement": "协调水务公司完成项目红线外DN300供水管和污水管接驳。",
         "result": "管网接至项目红线,接口验收合格。",
         "steps": [(-25, "accept", "funan_staff"), (-24, "start", "funan_staff"),
                   (-11, "report", "funan_staff", "供水、污水管均已接至项目红线,接口已验收。"),
                   (-10, "verify", "duban", "true", "现场察看并查阅验收记录,属实。")]},
        {"title": "国药国粹丸剂:GMP车间净化工程招标", "project": "TB-002", "lead": JINGFA,
         "co": [], "source": ISrc.ASSESSMENT, "by": "duban", "day": -20,
         "deadline": ("calendar", 10),
         "requirement": "督促企业10日内完成GMP车间净化工程招标并签订施工合同。",
         "result": "中标通知书和施工合同。",
         "steps": [(-20, "accept", "jingfa"), (-19, "start", "jingfa_staff"),
                   (-12, "report", "jingfa_staff", "净化工程已完成招标,施工合同已签订。"),
                   (-11, "verify", "duban", "true", "查阅中标通知书和施工合同,属实。")]},
        # 办结, late.
        {"title": "随州电厂铁路专线:用地预审与选址申报材料报送省厅", "project": "QC-004",
         "lead": ZHUJIAN, "co": [ZIGUI], "source": ISrc.MEETING, "by": "duban", "day": -24,
         "deadline": ("date", -14),
         "requirement": "完成用地预审与选址申报材料编制,报送省自然资源厅。",
         "result": "省自然资源厅受理回执。",
         "steps": [(-23, "accept", "zhujian_staff"), (-22, "start", "zhujian_staff"),
                   (-16, "urge", "duban", "距期限2天,请加快材料编制。"),
                   (-12, "report", "zhujian_staff", "申报材料已报送省自然资源厅并取得受理回执。"),
                   (-11, "verify", "duban", "true", "查阅受理回执,属实;报送晚于期限2天。")]},
        {"title": "湖北交投随州供应链产业园:园区主干道开口及路灯安装", "project": "QC-007",
         "lead": ZHAOSHANG, "co": [ZHUJIAN, QC], "source": ISrc.INSTRUCTION, "by": "leader",
         "day": -22, "deadline": ("calendar", 10),
         "requirement": "协调住建局完成园区主干道开口和30盏路灯安装,保障企业车辆进出。",
         "result": "道路开口通车,路灯亮灯。",
         "steps": [(-22, "accept", "zhaoshang"), (-21, "start", "zhaoshang"),
                   (-14, "report", "zhaoshang", "道路开口和路灯安装已全部完成。"),
                   (-13, "verify", "duban", "untrue", "现场察看:开口已完成,路灯尚未安装,反馈不属实。"),
                   (-9, "report", "zhaoshang", "30盏路灯已安装亮灯。"),
                   (-8, "verify", "duban", "true", "夜间现场察看,路灯已亮灯,属实。")]},
        # 撤销.
        {"title": "北新建材产业园:协调铁路专用线接轨", "project": "QC-008", "lead": QC,
         "co": [ZHUJIAN], "source": ISrc.INSTRUCTION, "by": "leader", "day": -12,
         "deadline": ("date", 8),
         "requirement": "协调铁路部门明确北新建材产业园专用线接轨点位。",
         "result": "接轨点位书面意见。",
         "steps": [(-11, "accept", "qingchun_staff"),
                   (-7, "cancel", "leader", "该事项已并入“随州电厂铁路专线”统筹推进,本项撤销。")]},
    ]  # fmt: skip


# --- Giving the demo a past -----------------------------------------------------------------

# The verb of the events that record the moves (as under ``manage.py load_demo``, also when an
# app's demo is loaded on its own).
DEMO_ACTION = "load_demo"

# Rows the services create, the time they stamp on them, and what their events' names read.
CREATED = [
    (ItemActivity, "at", ()),
    (Feedback, "submitted_at", ("item",)),
    (Verification, "verified_at", ("item",)),
    (EvidencePhoto, "uploaded_at", ()),
    (ExtensionRequest, "requested_at", ("item",)),
    (Problem, "raised_at", ()),
]


def last_pks() -> dict:
    """The highest primary key of each model in ``CREATED``, in one query (read before and
    after each of the demo's 300 steps: the models a step made no row of are left alone)."""
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {quote(model._meta.db_table)})"
        for model, _, _ in CREATED
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        row = cursor.fetchone()
    return {model: pk or 0 for (model, _, _), pk in zip(CREATED, row, strict=True)}


@contextlib.contextmanager
def backdated(today: dt.date, offset: int, hour: int, item_pk=None, problem_pk=None):
    """Run service calls, then move what they stamped to ``today + offset`` at ``hour``.

    Rows created inside the block are those with a higher primary key than before it; the
    times set on existing rows (an extension's decision, a problem's resolution, the closing
    day) are moved on the item or problem acted on. Steps of today (offset 0) keep their
    real time. Works with a frozen clock too (tests), as nothing relies on time passing.
    """
    marks = last_pks()
    began = timezone.now()
    day = today + dt.timedelta(days=offset)
    when = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30))).astimezone(dt.UTC)
    # The services run on the story's clock: their stamps and audit events carry its time
    # (core/democlock.py); what they stamped otherwise is moved below.
    with story_clock(when if offset < 0 else None):
        yield
    if offset >= 0:
        return
    now = last_pks()
    with audit_context(action=DEMO_ACTION):
        for model, field, names in CREATED:
            if now[model] == marks[model]:
                continue  # the step made none
            created = model.objects.filter(pk__gt=marks[model])
            if names:  # what the events' names read (select_related() alone would join all)
                created = created.select_related(*names)
            update_audited(created, **{field: when})
        if item_pk is not None:
            update_audited(
                ExtensionRequest.objects.filter(
                    item_id=item_pk, decided_at__gte=began
                ).select_related("item"),
                decided_at=when,
            )
            update_audited(
                SupervisionItem.objects.filter(pk=item_pk, closed_on=timezone.localdate()),
                closed_on=day,
            )
        if problem_pk is not None:
            update_audited(
                Problem.objects.filter(pk=problem_pk, resolved_at__gte=began), resolved_at=when
            )


class Clock:
    """Hands out increasing hours for one record's steps on the same day (10:30, 12:30 …)."""

    def __init__(self):
        self.used = Counter()

    def hour(self, offset: int) -> int:
        self.used[offset] += 1
        return min(8 + 2 * self.used[offset], 20)


# --- Building -------------------------------------------------------------------------------


def unit_accounts(units: dict[str, Unit]) -> None:
    """Accounts (no usable password) for the unit staff who act on their units' items."""
    User = get_user_model()
    for username, name, unit_name in STAFF_ACCOUNTS:
        person = Person.objects.get(name=name, unit=units[unit_name])
        if person.user_id is not None:
            continue
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            user.set_unusable_password()
            user.save()
        person.user = user
        person.save()


def demo_users(units) -> dict:
    unit_accounts(units)
    usernames = ["leader", "duban", "jingfa", "jingfa_staff", "zhaoshang", "chengdong", "ziran",
                 "qiye"] + [username for username, _, _ in STAFF_ACCOUNTS]  # fmt: skip
    users = get_user_model().objects.filter(username__in=usernames)
    return {user.username: user for user in users}


def last_weeks_saturday(today: dt.date) -> int:
    """Day offset of the Saturday 现场办公会 a week or more ago (−7 … −13)."""
    return -(7 + (today.weekday() - 5) % 7)


def site_photo(seed: int, taken: dt.datetime, latitude, longitude) -> CheckedFile:
    """A drawn stand-in for a phone photo of a site, with the capture time and place in EXIF
    as a phone writes them, so the demo's evidence shows and checks like the real thing
    (through the upload pipeline, as a form would pass it)."""
    from PIL import ExifTags, Image, ImageDraw

    rnd = random.Random(seed)
    image = Image.new("RGB", (960, 720))
    draw = ImageDraw.Draw(image)
    for y in range(360):  # sky, lighter towards the horizon
        draw.line([(0, y), (960, y)], fill=(110 + y // 4, 160 + y // 6, 225))
    draw.rectangle([0, 360, 960, 720], fill=(150 + rnd.randint(-25, 25), 125, 90))
    for _ in range(5):  # buildings and sheds
        x, w, h = rnd.randint(0, 860), rnd.randint(70, 220), rnd.randint(60, 260)
        grey = rnd.randint(150, 225)
        draw.rectangle([x, 360 - h, x + w, 360], fill=(grey, grey, grey - 10), outline=(80, 80, 80))
    exif = Image.Exif()
    local = timezone.localtime(taken)
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = f"{local:%Y:%m:%d %H:%M:%S}"
    if latitude is not None:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        for ref, tag, value in [("N", 1, latitude), ("E", 3, longitude)]:
            degrees = abs(float(value))
            minutes = (degrees % 1) * 60
            gps[tag] = ref
            gps[tag + 1] = (int(degrees), int(minutes), round((minutes % 1) * 60, 2))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, exif=exif)
    upload = SimpleUploadedFile(
        f"现场核查-{seed}.jpg", buffer.getvalue(), content_type="image/jpeg"
    )
    return check_upload(upload, PHOTO)


def run_item_step(item, step, users, today, clock) -> None:
    offset, verb, username, *args = step
    user = users[username]
    site = {}
    if item.project and item.project.latitude is not None:
        site = {"latitude": item.project.latitude, "longitude": item.project.longitude}
    hour = clock.hour(offset)
    with backdated(today, offset, hour, item_pk=item.pk):
        if verb == "accept":
            services.accept(user, item.pk, None)
        elif verb == "start":
            services.start(user, item.pk, None)
        elif verb == "report":
            services.report(user, item.pk, None, text=args[0])
        elif verb == "check":
            # Checked the same day when scheduled in the past; today's is for tomorrow morning.
            day = today + dt.timedelta(days=offset if offset < 0 else 1)
            at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))
            people = [person_of(user), *item.lead_unit.people.filter(is_active=True)[:1]]
            services.start_verification(user, item.pk, None, args[0], at=at, people=people)
        elif verb == "verify":
            where = (site.get("latitude"), site.get("longitude"))
            taken = timezone.now()  # on site, a little before the verification is recorded
            if offset < 0:
                day = today + dt.timedelta(days=offset)
                taken = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 10)))
            photo = site_photo(item.pk * 100 + offset, taken, *where)
            services.verify(
                user, item.pk, None, result=args[0], notes=args[1], photos=[photo], **site
            )
        elif verb == "return":
            services.return_item(user, item.pk, None, args[0])
        elif verb == "urge":
            services.urge(user, item.pk, args[0])
        elif verb == "extend":
            new_deadline = today + dt.timedelta(days=args[0])
            services.request_extension(
                user, item.pk, None, new_deadline=new_deadline, reason=args[1]
            )
        elif verb == "decide":
            pending = item.extensions.get(status=ExtensionRequest.Status.PENDING)
            services.decide_extension(
                user, item.pk, None, extension_pk=pending.pk, approve=args[0], note=args[1]
            )
        elif verb == "cancel":
            services.cancel(user, item.pk, None, args[0])
        else:
            raise ValueError(verb)


def load_problem(spec, users, projects, today) -> Problem:
    existing = Problem.objects.filter(description=spec["text"]).first()
    if existing:
        return existing
    subject = (
        {"project": projects[spec["project"]]}
        if "project" in spec
        else {"enterprise": Enterprise.objects.get(name=spec["enterprise"])}
    )
    clock = Clock()
    with backdated(today, spec["day"], clock.hour(spec["day"])):
        problem = services.raise_problem(
            users[spec["by"]],
            category=ProblemCategory.objects.get(name=spec["category"]),
            description=spec["text"],
            source=spec["source"],
            level=spec["level"],
            **subject,
        )
    for offset, verb, username, *args in spec["steps"]:
        user = users[username]
        with backdated(today, offset, clock.hour(offset), problem_pk=problem.pk):
            if verb == "escalate":
                services.escalate_problem(user, problem.pk, None)
            elif verb == "resolve":
                services.resolve_problem(user, problem.pk, None, args[0])
            elif verb == "upward":
                services.report_problem_upward(user, problem.pk, None, args[0])
            else:
                raise ValueError(verb)
    return problem


def load_directive(users, projects, units, today) -> None:
    """The 人才公寓 directive: issued on site by the zone leader, three calendar days."""
    if SupervisionItem.objects.filter(title=DIRECTIVE_TITLE).exists():
        return
    spec, leader = DIRECTIVE, users["leader"]
    offset, clock = spec["day"], Clock()
    with backdated(today, offset, clock.hour(offset)):
        _problem, item, _warning = services.issue_directive(
            leader,
            projects[spec["project"]],
            category=ProblemCategory.objects.get(name=spec["category"]),
            problem_text=spec["problem_text"],
            requirement=spec["requirement"],
            result_standard=spec["result_standard"],
            deadline_mode=SupervisionItem.DeadlineMode.CALENDAR_DAYS,
            deadline_days=3,
        )
        with audit_context(actor=leader, action="assign"):
            item.co_units.set([units[name] for name in spec["co"]])
    # issue_directive assigns today: move the assignment and its 3-day deadline to the past.
    assigned = today + dt.timedelta(days=offset)
    deadline = assigned + dt.timedelta(days=3)
    with audit_context(action=DEMO_ACTION):
        update_audited(
            SupervisionItem.objects.filter(pk=item.pk),
            assigned_on=assigned,
            original_deadline=deadline,
            deadline=deadline,
            remind_on=None,  # the reminder run works it out for the new deadline
        )
    ItemActivity.objects.filter(item=item, verb="assign").update(text=f"期限:{cn_date(deadline)}")
    item.refresh_from_db()
    for step in spec["steps"]:
        run_item_step(item, step, users, today, clock)


def load_item(spec, users, projects, units, problems, today) -> None:
    if SupervisionItem.objects.filter(title=spec["title"]).exists():
        return
    mode, value = spec["deadline"]
    deadline = {"deadline_days": value}
    if mode == "date":
        deadline = {"deadline_date": today + dt.timedelta(days=value)}
    offset, clock = spec["day"], Clock()
    with backdated(today, offset, clock.hour(offset)):
        item, _warning = services.assign_item(
            users[spec["by"]],
            title=spec["title"],
            requirement=spec["requirement"],
            result_standard=spec["result"],
            source=spec["source"],
            project=projects[spec["project"]],
            problem=problems.get(spec.get("problem")),
            lead_unit=units[spec["lead"]],
            co_units=[units[name] for name in spec["co"]],
            deadline_mode=mode,
            assigned_on=today + dt.timedelta(days=offset),
            **deadline,
        )
    for step in spec["steps"]:
        run_item_step(item, step, users, today, clock)


def load_supervision(units: dict[str, Unit]) -> dict:
    """Build the demo's problems and 督办 items (after the project demo); returns counts."""
    today = timezone.localdate()
    sat = last_weeks_saturday(today)
    ProblemCategory.ensure_defaults()
    users = demo_users(units)
    specs_p, specs_i = problem_specs(sat), item_specs(sat)
    codes = {s["project"] for s in specs_p + specs_i if "project" in s} | {DIRECTIVE["project"]}
    projects = {p.code: p for p in Project.objects.filter(code__in=codes)}
    problems = {s["key"]: load_problem(s, users, projects, today) for s in specs_p}
    load_directive(users, projects, units, today)
    for spec in specs_i:
        load_item(spec, users, projects, units, problems, today)
    return counts(today, sat)


# --- Counting -------------------------------------------------------------------------------


def demo_items(sat: int = -7):
    titles = [DIRECTIVE_TITLE] + [spec["title"] for spec in item_specs(sat)]
    return SupervisionItem.objects.filter(title__in=titles)


def demo_problems(sat: int = -7):
    texts = [DIRECTIVE["problem_text"]] + [spec["text"] for spec in problem_specs(sat)]
    return Problem.objects.filter(description__in=texts)


def counts(today: dt.date, sat: int) -> dict:
    items = list(demo_items(sat).order_by("pk"))
    lights = Counter(item_light(item, today).key for item in items)
    verifications = Verification.objects.filter(item__in=items).select_related("unit")
    by_unit: dict[str, list[str]] = {}
    for verification in verifications:
        by_unit.setdefault(verification.unit.name, []).append(verification.result)
    problems = demo_problems(sat)
    return {
        "items": len(items),
        "states": dict(Counter(item.state for item in items)),
        "lights": dict(lights),
        "closed": sum(item.state == ItemState.CLOSED for item in items),
        "urges": sum(item.urge_count for item in items),
        "problems": problems.count(),
        "problem_status": dict(Counter(problems.values_list("status", flat=True))),
        "truthfulness": {name: truthfulness_index(r) for name, r in sorted(by_unit.items())},
    }


def summary_line(counts: dict) -> str:
    """督办事项 19 项:超期 4、临期 5、办结 6;问题 9 个"""
    lights = counts["lights"]
    return (
        f"督办事项 {counts['items']} 项:超期 {lights.get('red', 0)}、"
        f"临期 {lights.get('yellow', 0)}、办结 {counts['closed']};问题 {counts['problems']} 个"
    )
