"""What the API answers: every field described (the OpenAPI spec is the contract; a test
checks no field goes without a description). People appear as id and name only: no phone,
no login account."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Schema

from tuijin.projects.reasons import reason_text


def _ids(manager) -> list[int]:
    return sorted(obj.pk for obj in manager.all())  # prefetched: no query per row


class Ref(Schema):
    """A record named by another one: its id and its name."""

    id: int = Field(description="记录 id。")
    name: str = Field(description="名称(人员为姓名)。")


def ref(obj, attr: str = "name") -> dict | None:
    return None if obj is None else {"id": obj.pk, "name": getattr(obj, attr)}


# --- Organisation ------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int = Field(description="单位 id。")
    name: str = Field(description="单位名称。")
    short_name: str = Field(description="简称(可为空)。")
    kind: str = Field(
        description="类型:zone 开发区、department 部门、park 园区、town 乡镇、village 村、community 社区。"
    )
    path: str = Field(description="在单位树中的路径:一个单位的下级单位的路径都以它的路径开头。")
    depth: int = Field(description="在单位树中的层级,开发区为 1。")


class PersonOut(Schema):
    id: int = Field(description="人员 id。")
    name: str = Field(description="姓名。")
    unit: Ref = Field(description="所在单位。")
    title: str = Field(description="职务,多个职务以顿号分隔。")
    role: str = Field(
        description="角色:zone_leader 区领导、supervisor 督查人员、unit_head 单位负责人、unit_staff 单位工作人员、cadre 包保干部、inspector 纪检监察、liaison 企业联络人、admin 系统管理员。"
    )
    is_active: bool = Field(description="是否在职。")

    @staticmethod
    def resolve_unit(obj):
        return ref(obj.unit)


class EnterpriseOut(Schema):
    id: int = Field(description="企业 id。")
    name: str = Field(description="企业名称。")
    credit_code: str = Field(description="统一社会信用代码(可为空)。")
    industry: str = Field(description="所属行业。")
    park: Ref | None = Field(description="所在园区(可为空)。")
    unit: Ref = Field(description="责任单位。")
    is_key: bool = Field(description="是否重点企业。")
    leader_ids: list[int] = Field(description="包保领导的人员 id。")

    @staticmethod
    def resolve_park(obj):
        return ref(obj.park)

    @staticmethod
    def resolve_unit(obj):
        return ref(obj.unit)

    @staticmethod
    def resolve_leader_ids(obj):
        return _ids(obj.leaders)


# --- Projects ----------------------------------------------------------------------------------


class LightReason(Schema):
    code: str = Field(description="原因代码(稳定,供程序判断)。")
    text: str = Field(description="原因说明(中文)。")


def light_reasons(reasons) -> list[dict]:
    return [{"code": str(r.get("code", "")), "text": reason_text(r)} for r in reasons or []]


class ProjectOut(Schema):
    id: int = Field(description="项目 id。")
    code: str = Field(description="项目编号。")
    name: str = Field(description="项目名称。")
    park: Ref = Field(description="所属园区。")
    unit: Ref = Field(description="责任单位。")
    category: str = Field(
        description="项目类别:industry 产业项目、infrastructure 基础设施、social 社会事业、other 其他。"
    )
    key_level: str = Field(
        description="重点级别:province 省级、city 市级、district 区级,空为一般项目。"
    )
    stage: str = Field(
        description="项目阶段:planning 谋划、signed 签约、preparing 前期、construction 在建、completed 竣工、operating 投产、suspended 停缓建。"
    )
    total_investment: Decimal = Field(description="总投资(万元)。")
    planned_start: dt.date | None = Field(description="计划开工日期。")
    actual_start: dt.date | None = Field(description="实际开工日期。")
    planned_completion: dt.date | None = Field(description="计划竣工日期。")
    actual_completion: dt.date | None = Field(description="实际竣工日期。")
    light: str = Field(description="灯色:green 绿、yellow 黄、red 红。")
    light_reasons: list[LightReason] = Field(description="亮黄灯、红灯的原因。")
    enterprise_ids: list[int] = Field(description="业主企业的 id。")
    leader_ids: list[int] = Field(description="包保领导的人员 id。")
    version: int = Field(description="版本号:每次修改加一。")
    updated_at: dt.datetime = Field(description="最近修改时间。")

    @staticmethod
    def resolve_park(obj):
        return ref(obj.park)

    @staticmethod
    def resolve_unit(obj):
        return ref(obj.unit)

    @staticmethod
    def resolve_light_reasons(obj):
        return light_reasons(obj.light_reasons)

    @staticmethod
    def resolve_enterprise_ids(obj):
        return _ids(obj.enterprises)

    @staticmethod
    def resolve_leader_ids(obj):
        return _ids(obj.leaders)


class PlanOut(Schema):
    id: int = Field(description="年度计划 id。")
    year: int = Field(description="年度。")
    amount: Decimal = Field(description="计划投资(万元)。")


class ApprovalOut(Schema):
    id: int = Field(description="前期手续 id。")
    kind: str = Field(description="手续名称。")
    planned_date: dt.date | None = Field(description="计划办结日期。")
    actual_date: dt.date | None = Field(description="实际办结日期。")
    note: str = Field(description="备注。")

    @staticmethod
    def resolve_kind(obj):
        return obj.kind.name


class MilestoneOut(Schema):
    id: int = Field(description="节点 id。")
    name: str = Field(description="节点名称。")
    due_date: dt.date = Field(description="计划完成日期。")
    done_date: dt.date | None = Field(description="实际完成日期。")


class ProjectDetail(ProjectOut):
    content: str = Field(description="建设内容。")
    location: str = Field(description="建设地点。")
    latitude: Decimal | None = Field(description="纬度。")
    longitude: Decimal | None = Field(description="经度。")
    planned_operation: dt.date | None = Field(description="计划投产日期。")
    actual_operation: dt.date | None = Field(description="实际投产日期。")
    light_since: dt.datetime | None = Field(description="当前灯色起始时间。")
    plans: list[PlanOut] = Field(description="年度计划投资。")
    approvals: list[ApprovalOut] = Field(description="前期手续。")
    milestones: list[MilestoneOut] = Field(description="节点计划。")

    @staticmethod
    def resolve_plans(obj):
        return list(obj.annual_plans.all())

    @staticmethod
    def resolve_approvals(obj):
        return list(obj.approvals.all())

    @staticmethod
    def resolve_milestones(obj):
        return list(obj.milestones.all())


class ReportOut(Schema):
    id: int = Field(description="进度填报 id。")
    project_id: int = Field(description="项目 id。")
    period_start: dt.date = Field(description="填报周期开始。")
    period_end: dt.date = Field(description="填报周期结束。")
    narrative: str = Field(description="进展情况。")
    progress: int = Field(description="形象进度(%)。")
    investment: Decimal = Field(description="本期完成投资(万元)。")
    problems: str = Field(description="存在问题。")
    submitted_by: Ref | None = Field(description="填报人。")
    submitted_at: dt.datetime = Field(description="填报时间。")

    @staticmethod
    def resolve_submitted_by(obj):
        return ref(obj.submitted_by)


class PeriodLightOut(Schema):
    period_start: dt.date = Field(description="填报周期开始。")
    light: str = Field(description="该周期的灯色:green、yellow、red。")
    frozen_light: str = Field(description="周期结束时冻结的灯色。")
    reasons: list[LightReason] = Field(description="灯色原因。")

    @staticmethod
    def resolve_reasons(obj):
        return light_reasons(obj.reasons)


# --- Problems and 督办 items -------------------------------------------------------------------


class ProblemOut(Schema):
    id: int = Field(description="问题 id。")
    project_id: int | None = Field(description="所属项目 id。")
    enterprise_id: int | None = Field(description="所属企业 id。")
    category: str = Field(description="问题类别。")
    description: str = Field(description="问题描述。")
    source: str = Field(
        description="来源:report 进度填报、visit 走访、meeting 会议、onsite 现场办公、direct 直接提出。"
    )
    unit: Ref = Field(description="责任单位。")
    raised_by: Ref | None = Field(description="提出人。")
    raised_at: dt.datetime = Field(description="提出时间。")
    level: str = Field(description="层级:unit 单位、leader 领导、meeting 会议。")
    status: str = Field(
        description="状态:open 待解决、coordinating 协调中、resolved 已解决、reported_up 已上报。"
    )
    resolution: str = Field(description="解决情况。")
    resolved_at: dt.datetime | None = Field(description="解决时间。")
    version: int = Field(description="版本号:每次处理加一。")

    @staticmethod
    def resolve_category(obj):
        return obj.category.name

    @staticmethod
    def resolve_unit(obj):
        return ref(obj.unit)

    @staticmethod
    def resolve_raised_by(obj):
        return ref(obj.raised_by)


class ItemOut(Schema):
    id: int = Field(description="督办事项 id。")
    title: str = Field(description="事项。")
    requirement: str = Field(description="工作要求。")
    result_standard: str = Field(description="成效标准:到期时要看到的结果。")
    source: str = Field(
        description="来源:onsite 现场交办、meeting 会议决定、instruction 领导批示、problem 问题升级、assessment 考核发现。"
    )
    project_id: int | None = Field(description="所属项目 id。")
    enterprise_id: int | None = Field(description="所属企业 id。")
    problem_id: int | None = Field(description="来源问题 id。")
    assigner: Ref = Field(description="交办人。")
    lead_unit: Ref = Field(description="牵头单位。")
    co_unit_ids: list[int] = Field(description="配合单位的 id。")
    responsible: Ref | None = Field(description="责任人。")
    assigned_on: dt.date = Field(description="交办日期。")
    original_deadline: dt.date = Field(description="原定期限。")
    deadline: dt.date = Field(description="办理期限(含已批准的延期)。")
    state: str = Field(
        description="状态:assigned 交办、accepted 签收、in_progress 办理中、reported 反馈、verifying 核查、closed 办结、cancelled 撤销。"
    )
    light: str = Field(
        description="灯色(按今天):green、yellow、red,办结后 closed_on_time、closed_late,撤销为 cancelled。"
    )
    urge_count: int = Field(description="催办次数。")
    returned_count: int = Field(description="退回次数。")
    closed_on: dt.date | None = Field(description="办结日期。")
    closed_on_time: bool | None = Field(description="是否按期办结。")
    version: int = Field(description="版本号:每次操作加一;操作时须传回看到的版本号。")

    @staticmethod
    def resolve_assigner(obj):
        return ref(obj.assigner)

    @staticmethod
    def resolve_lead_unit(obj):
        return ref(obj.lead_unit)

    @staticmethod
    def resolve_responsible(obj):
        return ref(obj.responsible)

    @staticmethod
    def resolve_co_unit_ids(obj):
        return _ids(obj.co_units)

    @staticmethod
    def resolve_light(obj):
        from tuijin.supervision.rules import item_light

        return item_light(obj, timezone.localdate()).key


class FeedbackOut(Schema):
    id: int = Field(description="反馈 id。")
    text: str = Field(description="办理情况。")
    submitted_by: Ref = Field(description="反馈人。")
    submitted_at: dt.datetime = Field(description="反馈时间。")
    truthfulness: str = Field(
        description="核查结论:true 属实、partly 部分属实、untrue 不属实,未核查为空。"
    )

    @staticmethod
    def resolve_submitted_by(obj):
        return ref(obj.submitted_by)


class VerificationOut(Schema):
    id: int = Field(description="核查 id。")
    result: str = Field(description="核查结论:true 属实、partly 部分属实、untrue 不属实。")
    notes: str = Field(description="核查情况。")
    verified_by: Ref = Field(description="核查人。")
    verified_at: dt.datetime = Field(description="核查时间。")
    far_from_site: bool = Field(description="核查位置是否远离项目现场。")

    @staticmethod
    def resolve_verified_by(obj):
        return ref(obj.verified_by)


class ExtensionOut(Schema):
    id: int = Field(description="延期申请 id(审批时传入)。")
    requested_deadline: dt.date = Field(description="申请延至。")
    reason: str = Field(description="延期理由。")
    requested_by: Ref = Field(description="申请人。")
    requested_at: dt.datetime = Field(description="申请时间。")
    status: str = Field(description="审批结果:pending 待审批、approved 已同意、refused 不同意。")
    approved_deadline: dt.date | None = Field(description="批准延至。")
    decision_note: str = Field(description="审批意见。")

    @staticmethod
    def resolve_requested_by(obj):
        return ref(obj.requested_by)


class ActivityOut(Schema):
    verb: str = Field(
        description="动作代码:accept 签收、report 反馈、urge 催办、verify 核查、return 退回等。"
    )
    text: str = Field(description="内容。")
    actor: Ref | None = Field(description="操作人。")
    at: dt.datetime = Field(description="时间。")

    @staticmethod
    def resolve_actor(obj):
        return ref(obj.actor)


class ItemDetail(ItemOut):
    feedbacks: list[FeedbackOut] = Field(description="办理反馈,新的在前。")
    verifications: list[VerificationOut] = Field(description="现场核查,新的在前。")
    extensions: list[ExtensionOut] = Field(description="延期申请,新的在前。")
    activities: list[ActivityOut] = Field(description="办理动态,新的在前。")
    allowed_actions: list[str] = Field(description="当前用户此刻可执行的操作(动作代码)。")

    @staticmethod
    def resolve_feedbacks(obj):
        return list(obj.feedbacks.all())

    @staticmethod
    def resolve_verifications(obj):
        return list(obj.verifications.all())

    @staticmethod
    def resolve_extensions(obj):
        return list(obj.extensions.all())

    @staticmethod
    def resolve_activities(obj):
        return list(obj.activities.all())

    @staticmethod
    def resolve_allowed_actions(obj):
        return sorted(getattr(obj, "allowed_actions", ()))


# --- Meetings ----------------------------------------------------------------------------------


class DecisionOut(Schema):
    id: int = Field(description="议定事项 id。")
    meeting_id: int = Field(description="会议 id。")
    number: int = Field(description="序号。")
    text: str = Field(description="议定事项。")
    item_id: int | None = Field(description="据此交办的督办事项 id。")
    problem_id: int | None = Field(description="所议问题 id。")


class MeetingOut(Schema):
    id: int = Field(description="会议 id。")
    kind: str = Field(description="会议类型代码。")
    title: str = Field(description="会议名称。")
    starts_at: dt.datetime = Field(description="开始时间。")
    place: str = Field(description="地点。")
    park_id: int | None = Field(description="园区 id。")
    project_id: int | None = Field(description="现场项目 id。")
    chair: Ref | None = Field(description="主持人。")
    invited_unit_ids: list[int] = Field(description="参会单位 id。")
    minutes_number: str = Field(description="纪要期号,如〔2026〕3号;未印发为空。")

    @staticmethod
    def resolve_chair(obj):
        return ref(obj.chair)

    @staticmethod
    def resolve_invited_unit_ids(obj):
        return _ids(obj.invited_units)

    @staticmethod
    def resolve_minutes_number(obj):
        if obj.minutes_number is None:
            return ""
        return f"〔{obj.minutes_year}〕{obj.minutes_number}号"


class MeetingDetail(MeetingOut):
    agenda: str = Field(description="议程。")
    minutes: str = Field(description="会议纪要正文。")
    decisions: list[DecisionOut] = Field(description="议定事项。")

    @staticmethod
    def resolve_decisions(obj):
        return list(obj.decisions.all())


# --- Work logs ---------------------------------------------------------------------------------


class VisitOut(Schema):
    enterprise_id: int | None = Field(description="走访企业 id。")
    project_id: int | None = Field(description="走访项目 id。")
    visited_on: dt.date = Field(description="走访日期。")
    purpose: str = Field(description="走访事由。")
    found: str = Field(description="发现的情况。")
    solved: str = Field(description="解决的事项。")


class CommentOut(Schema):
    author: Ref | None = Field(description="批阅人。")
    text: str = Field(description="批阅意见。")
    created_at: dt.datetime = Field(description="批阅时间。")


class WorkLogOut(Schema):
    id: int = Field(description="日志 id。")
    author: Ref = Field(description="填写人。")
    unit: Ref = Field(description="填写时所在单位。")
    kind: str = Field(description="类型:weekend 周末日志、daily 日常日志。")
    date: dt.date = Field(description="日期。")
    text: str = Field(description="工作内容。")
    submitted_at: dt.datetime = Field(description="提交时间。")

    @staticmethod
    def resolve_author(obj):
        return ref(obj.author)

    @staticmethod
    def resolve_unit(obj):
        return ref(obj.unit)


class WorkLogDetail(WorkLogOut):
    visits: list[VisitOut] = Field(description="走访记录。")
    comments: list[CommentOut] = Field(description="批阅意见。")

    @staticmethod
    def resolve_visits(obj):
        return list(obj.visits.all())

    @staticmethod
    def resolve_comments(obj):
        return list(obj.comments.all())


# --- Notifications -----------------------------------------------------------------------------


class NotificationOut(Schema):
    id: int = Field(description="通知 id。")
    event: str = Field(description="事件代码。")
    title: str = Field(description="标题(期限已按今天换算成文字)。")
    body: str = Field(description="内容。")
    url: str = Field(description="站内链接(相对路径)。")
    created_at: dt.datetime = Field(description="时间。")
    read_at: dt.datetime | None = Field(description="已读时间,未读为空。")

    @staticmethod
    def resolve_title(obj):
        return obj.heading

    @staticmethod
    def resolve_body(obj):
        return obj.text


class ErrorOut(Schema):
    code: str = Field(
        description="错误代码(稳定,供程序判断),如 not_found、forbidden、invalid、conflict、token_read_only、rate_limited。"
    )
    message: str = Field(description="中文说明。")
    errors: dict[str, list[str]] = Field(description="按字段列出的错误(字段名 → 说明)。")
