"""The Monday report (周调度通报, D16 part 4): every Monday at ``WEEKLY_REPORT_TIME`` (a
setting, "07:30" by default) the week's report of each zone is built as a .docx in 公文 layout
(``core.gongwen``) and kept as a ``WeeklyReport``; its short text goes to the zone's leaders
through notify (the ``weekly_digest`` event's rules: in-app and e-mail by default, with the
zone's group robots if the rules say so) with a link to the reports' page.

What the report says, for the week before its Monday and the week ahead:
一、本周概况 (projects by light, the year's investment against plan and 序时进度, 督办 open,
overdue and closed last week, problems unresolved and resolved); 二、红灯项目及原因;
三、超期督办事项(按牵头单位); 四、提请领导协调的问题 (leader- and meeting-level, unresolved);
五、周末日志未提交 (last weekend, by unit); 六、本周会议安排.

The figures are the zone's whole (the report's readers, leaders and 督查室, see the zone), read
in a fixed number of queries. Idempotent: one report per zone and week (a unique key); the
periodic task skips a week already sent, and notify's message key refuses a second delivery
anyway. The 督查室 may build this week's report at any time (a background job): the file is
built again from the records as they are, the message is sent once.

This module reads the figures and lays out the document; it writes nothing. Building, sending
and the Monday run are ``dashboard/services.py``'s verbs.
"""

import datetime as dt
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx.shared import Pt

from tuijin.core.gongwen import BODY_FONT, KAI_FONT, Gongwen
from tuijin.dashboard import metrics
from tuijin.dashboard.models import WeeklyReport
from tuijin.meetings.documents import chinese_date
from tuijin.meetings.models import Meeting
from tuijin.org.access import person_of, role_of, sees_everything
from tuijin.org.models import Role, Unit, UnitKind
from tuijin.projects.models import Light
from tuijin.supervision.filters import overdue_q
from tuijin.supervision.models import Problem
from tuijin.worklogs import rules as log_rules

DEFAULT_TIME = "07:30"
BUILD_ONLY = gettext_lazy("只有督查室可以生成周调度通报。")


def report_time() -> dt.time:
    """``settings.WEEKLY_REPORT_TIME`` ("HH:MM", local time on Monday); 07:30 if unset."""
    hour, minute = str(getattr(settings, "WEEKLY_REPORT_TIME", DEFAULT_TIME)).split(":")
    return dt.time(int(hour), int(minute))


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def can_build_reports(user) -> bool:
    return sees_everything(user) or role_of(user) == Role.SUPERVISOR


def can_read_reports(user) -> bool:
    return sees_everything(user) or role_of(user) in (Role.SUPERVISOR, Role.ZONE_LEADER)


# --- The figures ------------------------------------------------------------------------------


@dataclass
class Figures:
    """One zone's week: the week before ``monday`` and the week from it. The counts come
    from ``metrics`` (the cockpit's), the lists are the report's own."""

    zone: Unit
    monday: dt.date
    lights: dict = field(default_factory=dict)  # metrics.light_totals
    investment: dict = field(default_factory=dict)  # metrics.investment
    duban: dict = field(default_factory=dict)  # metrics.duban
    problems: dict = field(default_factory=dict)  # metrics.problems
    week: dict = field(default_factory=dict)  # metrics.week_activity
    red: list = field(default_factory=list)  # Project
    overdue_by_unit: list = field(default_factory=list)  # [(unit name, [items])]
    escalated: list = field(default_factory=list)  # Problem
    logs_missing: list = field(default_factory=list)  # [(unit name, [names])]
    logs_owed: int = 0
    meetings: list = field(default_factory=list)  # Meeting

    @property
    def since(self) -> dt.date:
        return self.monday - dt.timedelta(days=7)

    @property
    def sunday(self) -> dt.date:
        return self.monday - dt.timedelta(days=1)

    @property
    def overdue_count(self) -> int:
        return sum(len(items) for _, items in self.overdue_by_unit)

    @property
    def missing_count(self) -> int:
        return sum(len(names) for _, names in self.logs_missing)


def week_figures(zone: Unit, monday: dt.date, now: dt.datetime | None = None) -> Figures:
    """The zone's figures for the report of ``monday`` (about twenty queries, whatever the
    number of records)."""
    now = now or timezone.now()
    scope = metrics.Scope.of_unit(zone)
    f = Figures(zone=zone, monday=monday)
    f.lights = metrics.light_totals(metrics.park_lights(scope))
    f.investment = metrics.investment(scope, monday)
    f.duban = metrics.duban(scope, monday)
    f.problems = metrics.problems(scope, monday)
    f.week = metrics.week_activity(scope, monday)
    f.red = list(
        scope.projects()
        .filter(light=Light.RED)
        .select_related("park")
        .order_by("park__path", "light_since", "code")
    )
    groups: dict[str, list] = {}
    for item in (
        scope.items()
        .filter(overdue_q(monday))
        .select_related("lead_unit")
        .order_by("lead_unit__path", "deadline", "pk")
    ):
        groups.setdefault(item.lead_unit.name, []).append(item)
    f.overdue_by_unit = sorted(groups.items(), key=lambda g: -len(g[1]))
    f.escalated = list(
        scope.problems()
        .filter(
            level__in=[Problem.Level.LEADER, Problem.Level.MEETING],
            status__in=metrics.UNRESOLVED,
        )
        .select_related("project", "enterprise", "unit")
        .order_by("raised_at", "pk")
    )
    saturday = f.since + dt.timedelta(days=5)
    tallies = log_rules.weekend_roster(zone.subtree(), saturday, now)
    f.logs_owed = sum(t.owed for t in tallies)
    owing = (log_rules.MISSING, log_rules.PENDING)
    f.logs_missing = [
        (t.unit.name, [r.person.name for r in t.rows if r.status in owing]) for t in tallies
    ]
    f.logs_missing = [(unit, names) for unit, names in f.logs_missing if names]
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time()))
    in_zone = (
        Q(invited_units__path__startswith=zone.path)
        | Q(park__path__startswith=zone.path)
        | Q(chair__unit__path__startswith=zone.path)
    )
    ids = Meeting.objects.filter(
        in_zone, starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=7)
    ).values("pk")
    f.meetings = list(
        Meeting.objects.filter(pk__in=ids).select_related("park").order_by("starts_at", "pk")
    )
    return f


# --- The words -------------------------------------------------------------------------------


def day_label(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def _pct(value) -> str:
    return "—" if value is None else f"{value}%"


def overview(f: Figures) -> list[str]:
    """The figures as sentences (the report's 一、 and the short text's first lines)."""
    lights, inv, duban, week = f.lights, f.investment, f.duban, f.week
    return [
        f"全区在库项目{lights['total']}个,其中红灯{lights[Light.RED]}个、黄灯"
        f"{lights[Light.YELLOW]}个、绿灯{lights[Light.GREEN]}个。",
        f"{inv['year']}年计划投资{inv['plan']:,.0f}万元,累计完成{inv['completed']:,.0f}万元,"
        f"完成年度计划的{_pct(inv['rate'])},为序时进度的{_pct(inv['schedule_rate'])}。",
        f"督办事项未办结{duban['open']}项,其中超期{duban['overdue']}项;上周新交办"
        f"{week['assigned']}项,办结{week['closed']}项(逾期办结{week['closed_late']}项)。",
        f"未解决问题{f.problems['unresolved']}个,上周解决{week['resolved']}个,"
        f"提请领导协调{len(f.escalated)}个。",
        f"上周末应交周末日志{f.logs_owed}篇,截至发稿未提交{f.missing_count}篇。",
    ]


def meeting_label(meeting) -> str:
    """ "12月12日周六现场办公会": the title, after its day unless it starts with it."""
    day = day_label(timezone.localtime(meeting.starts_at).date())
    return meeting.title if meeting.title.startswith(day) else f"{day}{meeting.title}"


def title_of(f: Figures) -> str:
    return f"{f.zone.name}周调度通报({day_label(f.since)}—{day_label(f.sunday)})"


def summary_text(f: Figures) -> str:
    """The short version for the leaders' message: the overview and the red projects."""
    lines = overview(f)
    if f.red:
        lines.append(
            "红灯项目:" + "、".join(p.name for p in f.red[:8]) + ("等" if len(f.red) > 8 else "")
        )
    if f.overdue_by_unit:
        lines.append(
            "超期督办较多的单位:"
            + "、".join(f"{unit}{len(items)}项" for unit, items in f.overdue_by_unit[:5])
        )
    if f.meetings:
        lines.append("本周会议:" + ";".join(meeting_label(m) for m in f.meetings[:5]))
    return "\n".join(lines)


def report_docx(f: Figures, number: int, file, issued: dt.date) -> None:
    """The report in 公文 layout: red 标志 and 期号, issuer and date over the red line, the
    title, six sections, the 版记."""
    zone = f.zone.name
    issuer = f"{zone}督查室"
    title = f"关于{day_label(f.since)}至{day_label(f.sunday)}项目推进工作情况的通报"
    doc = Gongwen(title=title_of(f), author=issuer)
    doc.mark(f"{zone}周调度通报")
    doc.centred(f"〔{f.monday.year}〕第{number}期", space_before_lines=1)
    doc.red_rule(issuer, chinese_date(issued))
    doc.title(title)
    doc.text("各园区、各部门、各乡镇：", font=BODY_FONT).paragraph_format.first_line_indent = Pt(0)
    doc.text(
        "根据平台记录，现将上周项目推进、督办落实、问题协调和周末日志情况及本周会议安排通报如下："
    )
    doc.heading("一、本周概况")
    for line in overview(f):
        doc.text(line)
    doc.table(
        ["项目", "红灯", "黄灯", "绿灯", "完成年度计划", "完成序时进度"],
        [
            [
                str(f.lights["total"]),
                str(f.lights[Light.RED]),
                str(f.lights[Light.YELLOW]),
                str(f.lights[Light.GREEN]),
                _pct(f.investment["rate"]),
                _pct(f.investment["schedule_rate"]),
            ]
        ],
        (20, 20, 20, 20, 38, 38),
    )
    doc.heading("二、红灯项目及原因")
    if not f.red:
        doc.text("本周无红灯项目。")
    for project in f.red:
        doc.text(
            (project.light_summary or "—") + "。",
            label=f"{project.name}（{project.park.name}）：",
            label_font=KAI_FONT,
        )
    doc.heading("三、超期督办事项")
    if not f.overdue_by_unit:
        doc.text("截至本周一，无超期督办事项。")
    else:
        rows = []
        for unit, items in f.overdue_by_unit:
            for item in items:
                days = (f.monday - item.deadline).days
                rows.append([unit, item.title, day_label(item.deadline), f"{days}天"])
        doc.table(["牵头单位", "事项", "期限", "超期"], rows, (30, 76, 30, 20), left=(1,))
    doc.heading("四、提请领导协调的问题")
    if not f.escalated:
        doc.text("本周无提请领导协调的问题。")
    for problem in f.escalated:
        subject = problem.project or problem.enterprise
        doc.text(
            f"{problem.description}（{problem.get_level_display()}层级，"
            f"{problem.get_status_display()}，提出于{day_label(timezone.localtime(problem.raised_at).date())}）",
            label=f"{subject}（{problem.unit.name}）：" if subject else f"{problem.unit.name}：",
            label_font=KAI_FONT,
        )
    doc.heading("五、周末日志提交情况")
    if not f.logs_missing:
        doc.text(f"上周末应交周末日志{f.logs_owed}篇，均已提交。")
    for unit, names in f.logs_missing:
        doc.text("、".join(names) + f"（{len(names)}人）", label=f"{unit}：", label_font=KAI_FONT)
    doc.heading("六、本周会议安排")
    if not f.meetings:
        doc.text("本周暂无会议安排。")
    for meeting in f.meetings:
        when = timezone.localtime(meeting.starts_at)
        place = meeting.place or (meeting.park.name if meeting.park else "") or "视频会议"
        day = day_label(when.date())
        title = meeting.title.removeprefix(day)
        doc.text(f"{title}，地点：{place}。", label=f"{day} {when:%H:%M}：", label_font=KAI_FONT)
    doc.colophon("区领导，各园区、各部门、各乡镇。", issuer, chinese_date(issued))
    doc.save(file)


# --- The document -------------------------------------------------------------------------------


@dataclass
class Built:
    """The week's report as the records are now: what ``services.build_weekly_report`` keeps."""

    number: int
    name: str  # the .docx's file name: the report's title
    content: ContentFile
    summary: str  # the short text sent to the zone's leaders


def build_document(zone: Unit, monday: dt.date, now: dt.datetime) -> Built:
    """The zone's report for ``monday``'s week, in Chinese (stored and sent text): its number
    (the week's own if it has a report, else the next of the year), the .docx and the text."""
    with translation.override(settings.LANGUAGE_CODE):
        figures = week_figures(zone, monday, now)
        existing = WeeklyReport.objects.filter(zone=zone, week=monday).first()
        number = (
            existing.number
            if existing
            else WeeklyReport.objects.filter(zone=zone, week__year=monday.year).count() + 1
        )
        buffer = io.BytesIO()
        report_docx(figures, number, buffer, timezone.localtime(now).date())
        name = f"{title_of(figures)}.docx"
        return Built(number, name, ContentFile(buffer.getvalue(), name=name), summary_text(figures))


def is_report_time(now: dt.datetime) -> bool:
    """Monday from ``WEEKLY_REPORT_TIME`` on (local time)."""
    local = timezone.localtime(now)
    return local.weekday() == 0 and local.time() >= report_time()


def zone_of(user) -> Unit | None:
    person = person_of(user)
    if person is not None:
        return person.unit.zone
    return Unit.objects.filter(kind=UnitKind.ZONE).order_by("path").first()


def readable(user):
    """The reports the user may read, newest first."""
    if not can_read_reports(user):
        raise PermissionDenied(_("只有区领导和督查室可以查看周调度通报。"))
    return WeeklyReport.objects.visible_to(user).select_related("zone", "built_by")
