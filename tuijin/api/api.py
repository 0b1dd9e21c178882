"""/api/v1/: the REST API (DESIGN §4). Every read goes through the models' ``visible_to``
(details through ``core.access.get_for_user``), every write through the apps' services with
their permission rules, as the pages do (docs/development/api.md)."""

from functools import wraps
from typing import Literal

from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.http import JsonResponse
from django.utils import timezone
from ninja import Field, NinjaAPI, Query, Router, Schema

from tuijin.api import actions, errors
from tuijin.api.auth import PerTokenThrottle, SessionAuth, TokenAuth
from tuijin.api.common import (
    ID,
    PageParams,
    RecordId,
    apply_filterset,
    as_query,
    detail_response,
    filter_params,
    keyset,
    page_schema,
)
from tuijin.api.items import item_response, items
from tuijin.api.schemas import (
    DecisionOut,
    EnterpriseOut,
    ErrorOut,
    ItemDetail,
    ItemOut,
    MeetingDetail,
    MeetingOut,
    NotificationOut,
    PeriodLightOut,
    PersonOut,
    ProblemOut,
    ProjectDetail,
    ProjectOut,
    ReportOut,
    UnitOut,
    WorkLogDetail,
    WorkLogOut,
)
from tuijin.core.access import get_for_user
from tuijin.meetings.models import Decision, Meeting, MeetingKind
from tuijin.notify.models import Notification
from tuijin.org.access import person_of
from tuijin.org.models import Person, Role, Unit, UnitKind
from tuijin.projects.filters import ProjectFilter
from tuijin.projects.models import Enterprise, ProgressReport, Project
from tuijin.supervision.filters import ItemFilter
from tuijin.supervision.models import (
    Problem,
)
from tuijin.worklogs.filters import LogFilter
from tuijin.worklogs.models import LogComment, WorkLog


def signed_in(view):
    """The spec and its docs page: for who has a session or a token (nothing of the system is
    reachable without one); the page itself is ninja's Swagger UI from its own static files."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated and not TokenAuth()(request):
            if request.path.endswith(".json"):
                return JsonResponse(
                    {"code": "unauthenticated", "message": "请先登录或提供令牌。", "errors": {}},
                    status=401,
                )
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


api = NinjaAPI(
    title="推进 数据接口",
    version="1",
    description=(
        "推进系统的 REST 接口。每次调用与网页遵循同一套访问规则:只能读到本人在网页上能看到的记录,"
        "只能做本人在网页上能做的操作。认证:个人访问令牌(Authorization: Bearer <令牌>),"
        "或本站登录会话(写操作须带 X-CSRFToken)。列表按 id 升序分页,用 next_cursor 取下一页;"
        "详情带 ETag,可用 If-None-Match 免传未变的记录。错误以 JSON 返回:code(稳定代码)、"
        "message(中文说明)、errors(按字段)。"
    ),
    urls_namespace="api:api-v1",  # nested in tuijin.api.urls (app "api")
    auth=[TokenAuth(), SessionAuth()],
    throttle=[PerTokenThrottle()],
    docs_url="/docs",
    openapi_url="/openapi.json",
    docs_decorator=signed_in,
)
errors.install(api)

# Every operation may answer these (documented so that clients and schemathesis know them).
REFUSALS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


def reads(schema) -> dict:
    return {200: schema, **REFUSALS}


def details(schema) -> dict:
    return {200: schema, 304: None, **REFUSALS}


def with_id(**fields):
    return Field(..., **ID, **fields)


# --- Me ----------------------------------------------------------------------------------------


class MeOut(Schema):
    username: str = Field(description="登录名。")
    person: PersonOut | None = Field(description="本人的人员记录(无则为空)。")
    token_scope: str | None = Field(
        description="所用令牌的权限:read 只读、write 读写;以登录会话调用时为空。"
    )


@api.get("/me", response=reads(MeOut), tags=["本人"], summary="当前用户")
def me(request):
    token = getattr(request, "api_token", None)
    return {
        "username": request.user.get_username(),
        "person": person_of(request.user),
        "token_scope": token.scope if token else None,
    }


# --- Units and people --------------------------------------------------------------------------

org = Router(tags=["单位与人员"])


class UnitFilters(Schema):
    kind: Literal[tuple(UnitKind.values)] | None = Field(None, description="单位类型。")
    under: int | None = Field(None, **ID, description="只列该单位及其下级(单位 id)。")


@org.get("/units", response=reads(page_schema(UnitOut, "UnitPage")), summary="单位列表")
def unit_list(request, filters: Query[UnitFilters], page: Query[PageParams]):
    units = Unit.objects.visible_to(request.user)
    if filters.kind:
        units = units.filter(kind=filters.kind)
    if filters.under:
        top = get_for_user(request.user, Unit, pk=filters.under)
        units = units.filter(path__startswith=top.path)
    return keyset(units, page, lambda unit: unit)


@org.get("/units/{unit_id}", response=details(UnitOut), summary="单位")
def unit_detail(request, unit_id: RecordId):
    return detail_response(request, UnitOut, get_for_user(request.user, Unit, pk=unit_id))


class PersonFilters(Schema):
    unit: int | None = Field(None, **ID, description="所在单位(含下级单位)的 id。")
    role: Literal[tuple(Role.values)] | None = Field(None, description="角色代码。")
    q: str | None = Field(None, max_length=100, description="姓名包含的文字。")


@org.get("/people", response=reads(page_schema(PersonOut, "PersonPage")), summary="人员列表")
def person_list(request, filters: Query[PersonFilters], page: Query[PageParams]):
    people = Person.objects.visible_to(request.user).select_related("unit")
    if filters.unit:
        top = get_for_user(request.user, Unit, pk=filters.unit)
        people = people.filter(unit__path__startswith=top.path)
    if filters.role:
        people = people.filter(role=filters.role)
    if filters.q:
        people = people.filter(name__contains=filters.q)
    return keyset(people, page, lambda person: person)


@org.get("/people/{person_id}", response=details(PersonOut), summary="人员")
def person_detail(request, person_id: RecordId):
    person = get_for_user(request.user, Person.objects.select_related("unit"), pk=person_id)
    return detail_response(request, PersonOut, person)


# --- Enterprises and projects ------------------------------------------------------------------

ledger = Router(tags=["企业与项目"])


class EnterpriseFilters(Schema):
    q: str | None = Field(None, max_length=100, description="企业名称包含的文字或拼音首字母。")
    park: int | None = Field(None, **ID, description="所在园区 id。")
    is_key: bool | None = Field(None, description="只列重点企业(true)或非重点企业(false)。")


def enterprises():
    return Enterprise.objects.select_related("park", "unit").prefetch_related(
        Prefetch("leaders", Person.objects.only("pk"))
    )


@ledger.get(
    "/enterprises", response=reads(page_schema(EnterpriseOut, "EnterprisePage")), summary="企业列表"
)
def enterprise_list(request, filters: Query[EnterpriseFilters], page: Query[PageParams]):
    rows = enterprises().visible_to(request.user)
    for word in (filters.q or "").lower().split():
        rows = rows.filter(search_text__contains=word)
    if filters.park:
        rows = rows.filter(park_id=filters.park)
    if filters.is_key is not None:
        rows = rows.filter(is_key=filters.is_key)
    return keyset(rows, page, lambda row: row)


@ledger.get("/enterprises/{enterprise_id}", response=details(EnterpriseOut), summary="企业")
def enterprise_detail(request, enterprise_id: RecordId):
    row = get_for_user(request.user, enterprises(), pk=enterprise_id)
    return detail_response(request, EnterpriseOut, row)


ProjectFilters = filter_params(ProjectFilter, "ProjectFilters")


def projects():
    return Project.objects.select_related("park", "unit").prefetch_related(
        Prefetch("enterprises", Enterprise.objects.only("pk")),
        Prefetch("leaders", Person.objects.only("pk")),
    )


@ledger.get(
    "/projects",
    response=reads(page_schema(ProjectOut, "ProjectPage")),
    summary="项目列表",
    description="筛选条件与项目台账页面相同(同名参数)。",
)
def project_list(request, filters: Query[ProjectFilters], page: Query[PageParams]):
    base = projects().visible_to(request.user)
    rows = apply_filterset(ProjectFilter(as_query(filters), queryset=base, request=request))
    return keyset(rows, page, lambda row: row)


@ledger.get("/projects/{project_id}", response=details(ProjectDetail), summary="项目")
def project_detail(request, project_id: RecordId):
    row = get_for_user(
        request.user,
        projects().prefetch_related("annual_plans", "approvals__kind", "milestones"),
        pk=project_id,
    )
    return detail_response(request, ProjectDetail, row)


@ledger.get(
    "/projects/{project_id}/reports",
    response=reads(page_schema(ReportOut, "ReportPage")),
    summary="项目的进度填报",
)
def project_reports(request, project_id: RecordId, page: Query[PageParams]):
    project = get_for_user(request.user, Project, pk=project_id)
    rows = (
        ProgressReport.objects.visible_to(request.user)
        .filter(project=project)
        .select_related("submitted_by")
    )
    return keyset(rows, page, lambda row: row)


@ledger.get(
    "/projects/{project_id}/lights",
    response=reads(list[PeriodLightOut]),
    summary="项目各填报周期的灯色",
    description="最近的周期在前,至多 60 个。",
)
def project_lights(request, project_id: RecordId):
    project = get_for_user(request.user, Project, pk=project_id)
    return list(project.period_lights.order_by("-period_start")[:60])


# --- Problems and 督办 items -------------------------------------------------------------------

supervision = Router(tags=["问题与督办"])


class ProblemFilters(Schema):
    status: Literal[("unresolved", *Problem.Status.values, "all")] = Field(
        "unresolved",
        description="状态:unresolved 未解决(默认)、open 待解决、coordinating 协调中、"
        "resolved 已解决、reported_up 已上报、all 全部。",
    )
    level: Literal[tuple(Problem.Level.values)] | None = Field(
        None, description="层级:unit 单位、leader 领导、meeting 会议。"
    )
    category: int | None = Field(None, **ID, description="问题类别 id。")
    project: int | None = Field(None, **ID, description="项目 id。")


def problems():
    return Problem.objects.select_related("category", "unit", "raised_by")


@supervision.get(
    "/problems", response=reads(page_schema(ProblemOut, "ProblemPage")), summary="问题列表"
)
def problem_list(request, filters: Query[ProblemFilters], page: Query[PageParams]):
    rows = problems().visible_to(request.user)
    if filters.status == "unresolved":
        rows = rows.filter(status__in=[Problem.Status.OPEN, Problem.Status.COORDINATING])
    elif filters.status != "all":
        rows = rows.filter(status=filters.status)
    if filters.level:
        rows = rows.filter(level=filters.level)
    if filters.category:
        rows = rows.filter(category_id=filters.category)
    if filters.project:
        rows = rows.filter(project_id=filters.project)
    return keyset(rows, page, lambda row: row)


@supervision.get("/problems/{problem_id}", response=details(ProblemOut), summary="问题")
def problem_detail(request, problem_id: RecordId):
    return detail_response(
        request, ProblemOut, get_for_user(request.user, problems(), pk=problem_id)
    )


ItemFilters = filter_params(ItemFilter, "ItemFilters")


@supervision.get(
    "/items",
    response=reads(page_schema(ItemOut, "ItemPage")),
    summary="督办事项列表",
    description="筛选条件与督办台账页面相同(同名参数)。",
)
def item_list(request, filters: Query[ItemFilters], page: Query[PageParams]):
    base = items().visible_to(request.user)
    filterset = ItemFilter(
        as_query(filters), queryset=base, today=timezone.localdate(), user=request.user
    )
    return keyset(apply_filterset(filterset), page, lambda row: row)


@supervision.get("/items/{item_id}", response=details(ItemDetail), summary="督办事项")
def item_detail(request, item_id: RecordId):
    return item_response(request, item_id)


# --- Meetings ----------------------------------------------------------------------------------

meetings = Router(tags=["会议"])


class MeetingFilters(Schema):
    kind: Literal[tuple(MeetingKind.values)] | None = Field(None, description="会议类型代码。")
    date_from: str | None = Field(
        None, pattern=r"^(20\d\d|2100)-\d\d-\d\d$", description="开始日期不早于(YYYY-MM-DD)。"
    )
    date_to: str | None = Field(
        None, pattern=r"^(20\d\d|2100)-\d\d-\d\d$", description="开始日期不晚于(YYYY-MM-DD)。"
    )


def day_param(name: str, value: str | None):
    import datetime as dt

    from tuijin.api.errors import ApiError

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApiError(422, "invalid", "日期无效。", {name: ["须为日期(YYYY-MM-DD)。"]}) from None


def meeting_rows():
    return Meeting.objects.select_related("chair").prefetch_related(
        Prefetch("invited_units", Unit.objects.only("pk"))
    )


@meetings.get(
    "/meetings", response=reads(page_schema(MeetingOut, "MeetingPage")), summary="会议列表"
)
def meeting_list(request, filters: Query[MeetingFilters], page: Query[PageParams]):
    rows = meeting_rows().visible_to(request.user)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if start := day_param("date_from", filters.date_from):
        rows = rows.filter(starts_at__date__gte=start)
    if end := day_param("date_to", filters.date_to):
        rows = rows.filter(starts_at__date__lte=end)
    return keyset(rows, page, lambda row: row)


@meetings.get("/meetings/{meeting_id}", response=details(MeetingDetail), summary="会议")
def meeting_detail(request, meeting_id: RecordId):
    row = get_for_user(request.user, meeting_rows().prefetch_related("decisions"), pk=meeting_id)
    return detail_response(request, MeetingDetail, row)


class DecisionFilters(Schema):
    meeting: int | None = Field(None, **ID, description="会议 id。")


@meetings.get(
    "/decisions", response=reads(page_schema(DecisionOut, "DecisionPage")), summary="议定事项列表"
)
def decision_list(request, filters: Query[DecisionFilters], page: Query[PageParams]):
    rows = Decision.objects.visible_to(request.user)
    if filters.meeting:
        rows = rows.filter(meeting_id=filters.meeting)
    return keyset(rows, page, lambda row: row)


# --- Work logs ---------------------------------------------------------------------------------

worklogs = Router(tags=["工作日志"])
LogFilters = filter_params(LogFilter, "LogFilters")


@worklogs.get(
    "/worklogs",
    response=reads(page_schema(WorkLogOut, "WorkLogPage")),
    summary="工作日志列表",
    description="筛选条件与工作日志页面相同;q 为全文检索(每个词都须出现)。",
)
def log_list(request, filters: Query[LogFilters], page: Query[PageParams]):
    base = WorkLog.objects.visible_to(request.user).select_related("author", "unit")
    rows = apply_filterset(LogFilter(as_query(filters), queryset=base, request=request))
    return keyset(rows, page, lambda row: row)


@worklogs.get("/worklogs/{log_id}", response=details(WorkLogDetail), summary="工作日志")
def log_detail(request, log_id: RecordId):
    row = get_for_user(
        request.user,
        WorkLog.objects.select_related("author", "unit").prefetch_related(
            "visits", Prefetch("comments", LogComment.objects.select_related("author"))
        ),
        pk=log_id,
    )
    return detail_response(request, WorkLogDetail, row)


# --- Notifications -----------------------------------------------------------------------------

mine = Router(tags=["本人"])


class NotificationFilters(Schema):
    unread: bool | None = Field(None, description="true 只列未读,false 只列已读。")


@mine.get(
    "/notifications",
    response=reads(page_schema(NotificationOut, "NotificationPage")),
    summary="我的站内通知",
)
def notification_list(request, filters: Query[NotificationFilters], page: Query[PageParams]):
    # A notification is its recipient's alone (the bell's rule): nobody else's, admins' neither.
    rows = Notification.objects.filter(recipient=request.user)
    if filters.unread is not None:
        rows = rows.filter(read_at__isnull=filters.unread)
    return keyset(rows, page, lambda row: row)


api.add_router("", org)
api.add_router("", ledger)
api.add_router("", supervision)
api.add_router("", meetings)
api.add_router("", worklogs)
api.add_router("", mine)
api.add_router("", actions.router)
