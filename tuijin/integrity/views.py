"""Integrity pages (廉政). Thin: the registers and the board are the inspectors' and zone
leaders' (403 for everyone else, administrators included); one record loads through
``get_for_user`` (404 outside the reader's scope), which writes its ``read`` audit event;
lists write one ``read`` event per record they show (``audit_reads``). Writes are
``services`` verbs. A write view checks its rule before it reads anything, so a refusal
leaves no trace either."""

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tuijin.core.access import get_for_user, require
from tuijin.core.forms import show_service_errors
from tuijin.core.versions import Conflict, show_conflict
from tuijin.integrity import documents, services
from tuijin.integrity.forms import (
    InterferenceForm,
    NilAskForm,
    NilSubmitForm,
    PlanTalkForm,
    QuarterFilter,
    RiskFilter,
    RiskPointForm,
    TalkFilter,
    TalkForm,
)
from tuijin.integrity.models import (
    Grade,
    Interference,
    NilReport,
    NilState,
    RiskPoint,
    Talk,
    TalkState,
    audit_reads,
)
from tuijin.integrity.permissions import (
    can_keep_integrity,
    can_read_integrity,
    can_record_interference,
    can_submit_nil_report,
    has_own_integrity_page,
)
from tuijin.org.access import person_of

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ONLY_READERS = gettext_lazy("廉政记录仅纪检监察人员和区领导可以查看。")
ONLY_KEEPERS = gettext_lazy("只有纪检监察人员可以登记廉政谈话和风险点。")


def _readers_only(request):
    require(can_read_integrity(request.user), str(ONLY_READERS))


def _keepers_only(request):
    require(can_keep_integrity(request.user), str(ONLY_KEEPERS))


# The lists page through their rows (they stopped at 500 without saying so, and counted those).
PAGE_SIZE = 50


def _talks(user):
    return Talk.objects.visible_to(user).select_related("unit", "talker", "project")


@require_GET
def board(request):
    """The inspectors' board: talks due (overdue first), the quarter's nil reports, the
    interference recorded late, the 二级 risk points."""
    _readers_only(request)
    today = timezone.localdate()
    due = list(
        _talks(request.user)
        .filter(state=TalkState.DUE)
        .prefetch_related("talkees")
        .order_by("due_date", "pk")
    )
    for talk in due:
        talk.late_days = talk.overdue_days(today)
    overdue = [t for t in due if t.late_days]
    year, quarter = services.quarter_of(today)
    reports = NilReport.objects.visible_to(request.user)
    latest = reports.order_by("-year", "-quarter").values("year", "quarter").first()
    nil = None
    if latest:
        counts = reports.filter(**latest).aggregate(
            total=Count("pk"),
            missing=Count("pk", filter=Q(state=NilState.ASKED)),
            late=Count("pk", filter=Q(state=NilState.ASKED, due_date__lt=today)),
        )
        nil = latest | counts
    # Counted as its link lists them (the talk list's 已完成 since 1 January).
    year_start = today.replace(month=1, day=1)
    held = _since(_talks(request.user).filter(state=TalkState.DONE), year_start).count()
    late_records = list(
        Interference.objects.visible_to(request.user)
        .filter(late=True)
        .select_related("unit", "project")[:10]
    )
    serious = RiskPoint.objects.visible_to(request.user).filter(grade=Grade.TWO, is_active=True)
    audit_reads(request.user, [*due, *late_records])
    context = {
        "due": due,
        "overdue": overdue,
        "nil": nil,
        "this_quarter": (year, quarter),
        "held": held,
        "held_since": year_start,
        "late_records": late_records,
        "serious": serious.count(),
        "keeper": can_keep_integrity(request.user),
    }
    return render(request, "integrity/board.html", context)


@require_GET
def mine(request):
    """「我的廉政」: my own talks and commitments, my unit's nil reports (a unit head), the
    interference I recorded."""
    require(has_own_integrity_page(request.user), _("企业联络人和系统管理员没有廉政记录。"))
    person = person_of(request.user)
    talks = list(
        Talk.objects.filter(talkees=person, state=TalkState.DONE)
        .select_related("unit", "talker")
        .order_by("-held_on")
    )
    reports = list(NilReport.objects.visible_to(request.user).filter(unit=person.unit_id))
    records = list(
        Interference.objects.filter(recorded_by=person).select_related("project").order_by("-pk")
    )
    for report in reports:
        report.can_submit = can_submit_nil_report(request.user, report)
    audit_reads(request.user, [*talks, *reports, *records])
    context = {"talks": talks, "reports": reports, "records": records}
    return render(request, "integrity/mine.html", context)


def _since(talks, day):
    """Talks held or due on ``day`` or later."""
    return talks.filter(Q(held_on__gte=day) | Q(due_date__gte=day))


@require_GET
def talk_list(request):
    _readers_only(request)
    filters = TalkFilter(request.GET or None, user=request.user)
    talks = _talks(request.user).prefetch_related("talkees")
    if filters.is_valid():
        data = filters.cleaned_data
        if data["kind"]:
            talks = talks.filter(kind=data["kind"])
        if data["state"]:
            talks = talks.filter(state=data["state"])
        if data["unit"]:
            talks = talks.filter(unit=data["unit"])
        if data["since"]:
            talks = _since(talks, data["since"])
    page = Paginator(talks, PAGE_SIZE).get_page(request.GET.get("page"))  # bad page: first
    talks = list(page)
    audit_reads(request.user, talks)  # the rows shown, as read
    context = {
        "talks": talks,
        "page": page,
        "filters": filters,
        "keeper": can_keep_integrity(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "integrity/talk_list.html", context)


def _talk_form_page(request, form, talk=None):
    return render(request, "integrity/talk_form.html", {"form": form, "talk": talk})


@require_http_methods(["GET", "POST"])
def talk_add(request):
    _keepers_only(request)
    form = TalkForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"held_on": timezone.localdate(), "talker": person_of(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            talk = services.add_talk(
                request.user,
                unit=form.cleaned_data["unit"],
                commitment=form.cleaned_data.get("commitment"),
                **form.values(),
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("廉政谈话已登记。"))
            return redirect(talk)
    return _talk_form_page(request, form)


@require_http_methods(["GET", "POST"])
def talk_plan(request):
    _keepers_only(request)
    form = PlanTalkForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            talk = services.plan_talk(request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("谈话已列入待谈清单。"))
            return redirect(talk)
    return render(request, "integrity/talk_plan.html", {"form": form})


@require_GET
def talk_detail(request, pk):
    talk = get_for_user(request.user, _talks(request.user), pk=pk)
    context = {
        "talk": talk,
        "talkees": list(talk.talkees.select_related("unit")),
        "risk_points": list(talk.risk_points.select_related("unit")),
        "keeper": can_keep_integrity(request.user),
        "reader": can_read_integrity(request.user),
        "late_days": talk.overdue_days(timezone.localdate()),
    }
    return render(request, "integrity/talk_detail.html", context)


@require_GET
def talk_docx(request, pk):
    """The talk record and a commitment to sign for each person talked with (.docx)."""
    talk = get_for_user(request.user, _talks(request.user), pk=pk)
    buffer = io.BytesIO()
    documents.talk_docx(talk, buffer)
    buffer.seek(0)
    name = f"廉政谈话记录及承诺书-{talk.unit.name}.docx"
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=DOCX)


@require_http_methods(["GET", "POST"])
def talk_record(request, pk):
    talk = get_for_user(request.user, _talks(request.user), write=True, pk=pk)
    initial = {}
    if talk.state == TalkState.DUE:
        initial = {"held_on": timezone.localdate(), "talker": person_of(request.user)}
    form = TalkForm(request.POST or None, request.FILES or None, instance=talk, user=request.user)
    if not form.is_bound:
        form.initial.update(initial)
    if request.method == "POST" and form.is_valid():
        try:
            talk = services.record_talk(
                request.user,
                talk.pk,
                form.seen_version(),
                commitment=form.cleaned_data.get("commitment"),
                **form.values(),
            )
        except Conflict as conflict:
            show_conflict(form, conflict)
            return render(
                request, "integrity/talk_form.html", {"form": form, "talk": talk}, status=409
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("谈话记录已保存。"))
            return redirect(talk)
    return _talk_form_page(request, form, talk)


@require_GET
def risk_list(request):
    _readers_only(request)
    filters = RiskFilter(request.GET or None, user=request.user)
    points = RiskPoint.objects.visible_to(request.user).select_related("unit", "project")
    if filters.is_valid():
        if filters.cleaned_data["stage"]:
            points = points.filter(stage=filters.cleaned_data["stage"])
        if filters.cleaned_data["unit"]:
            points = points.filter(unit=filters.cleaned_data["unit"])
        if filters.cleaned_data["grade"]:
            points = points.filter(grade=filters.cleaned_data["grade"], is_active=True)
    page = Paginator(points, PAGE_SIZE).get_page(request.GET.get("page"))
    points = list(page)
    audit_reads(request.user, points)
    context = {
        "points": points,
        "page": page,
        "filters": filters,
        "keeper": can_keep_integrity(request.user),
    }
    return render(request, "integrity/risk_list.html", context)


@require_http_methods(["GET", "POST"])
def risk_add(request):
    _keepers_only(request)
    form = RiskPointForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        point = services.add_risk_point(request.user, **form.values())
        messages.success(request, _("廉政风险点已登记。"))
        return redirect(point)
    return render(request, "integrity/risk_form.html", {"form": form})


@require_GET
def risk_detail(request, pk):
    queryset = RiskPoint.objects.visible_to(request.user).select_related(
        "unit", "project", "created_by"
    )
    point = get_for_user(request.user, queryset, pk=pk)
    talks = list(point.talks.filter(state=TalkState.DONE).select_related("unit")[:50])
    context = {"point": point, "talks": talks, "keeper": can_keep_integrity(request.user)}
    return render(request, "integrity/risk_detail.html", context)


@require_http_methods(["GET", "POST"])
def risk_update(request, pk):
    point = get_for_user(request.user, RiskPoint, write=True, pk=pk)
    form = RiskPointForm(request.POST or None, instance=point, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            point = services.update_risk_point(
                request.user, point.pk, form.seen_version(), **form.values()
            )
        except Conflict as conflict:
            show_conflict(form, conflict)
            return render(
                request, "integrity/risk_form.html", {"form": form, "point": point}, status=409
            )
        messages.success(request, _("廉政风险点已修改。"))
        return redirect(point)
    return render(request, "integrity/risk_form.html", {"form": form, "point": point})


@require_GET
def interference_list(request):
    _readers_only(request)
    records = Interference.objects.visible_to(request.user).select_related(
        "unit", "project", "recorded_by"
    )
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    records = list(page)
    audit_reads(request.user, records)
    return render(request, "integrity/interference_list.html", {"records": records, "page": page})


@require_http_methods(["GET", "POST"])
def interference_add(request):
    require(
        can_record_interference(request.user),
        _("只有本开发区的工作人员可以登记插手干预重大事项。"),
    )
    form = InterferenceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_interference(request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            if record.late:
                messages.warning(
                    request,
                    _("已登记。按规定应在3个工作日内(%(day)s前)记录,本条已标注为超期记录。")
                    % {"day": record.deadline.strftime("%Y-%m-%d")},
                )
            else:
                messages.success(request, _("插手干预重大事项记录已登记。"))
            return redirect(record)
    deadline_hint = services.interference_deadline(timezone.localdate())
    context = {"form": form, "today": timezone.localdate(), "deadline_hint": deadline_hint}
    return render(request, "integrity/interference_form.html", context)


@require_GET
def interference_detail(request, pk):
    queryset = Interference.objects.visible_to(request.user).select_related(
        "unit", "project", "recorded_by"
    )
    record = get_for_user(request.user, queryset, pk=pk)
    return render(request, "integrity/interference_detail.html", {"record": record})


@require_GET
def nil_list(request):
    _readers_only(request)
    today = timezone.localdate()
    reports = NilReport.objects.visible_to(request.user).select_related("unit", "submitted_by")
    quarters = list(reports.values_list("year", "quarter").distinct().order_by("-year", "-quarter"))
    filters = QuarterFilter(request.GET or None)
    chosen = None
    if filters.is_valid() and filters.cleaned_data["year"] and filters.cleaned_data["quarter"]:
        chosen = (filters.cleaned_data["year"], filters.cleaned_data["quarter"])
    chosen = chosen or (quarters[0] if quarters else None)
    shown = []
    if chosen:
        shown = list(reports.filter(year=chosen[0], quarter=chosen[1]))
    audit_reads(request.user, shown)
    context = {
        "reports": shown,
        "quarters": quarters,
        "chosen": chosen,
        "today": today,
        "missing": sum(1 for r in shown if r.state == NilState.ASKED),
        "keeper": can_keep_integrity(request.user),
        "ask_form": NilAskForm(today=today) if can_keep_integrity(request.user) else None,
    }
    return render(request, "integrity/nil_list.html", context)


@require_POST
def nil_ask(request):
    _keepers_only(request)
    form = NilAskForm(request.POST, today=timezone.localdate())
    if not form.is_valid():
        messages.error(request, _("请选择年度和季度。"))
        return redirect("integrity:nil_list")
    try:
        made = services.ask_nil_reports(request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("integrity:nil_list")
    messages.success(request, _("已向%(n)s个单位发起零报告。") % {"n": len(made)})
    data = form.cleaned_data
    return redirect(f"{_url('integrity:nil_list')}?year={data['year']}&quarter={data['quarter']}")


def _url(name):
    from django.urls import reverse

    return reverse(name)


@require_GET
def nil_detail(request, pk):
    queryset = NilReport.objects.visible_to(request.user).select_related(
        "unit", "asked_by", "submitted_by"
    )
    report = get_for_user(request.user, queryset, pk=pk)
    context = {
        "report": report,
        "form": NilSubmitForm(instance=report),
        "can_submit": can_submit_nil_report(request.user, report),
    }
    return render(request, "integrity/nil_detail.html", context)


@require_POST
def nil_submit(request, pk):
    report = get_for_user(request.user, NilReport.objects.reading(None), write=True, pk=pk)
    require(can_submit_nil_report(request.user, report), _("该零报告已报送。"))
    form = NilSubmitForm(request.POST, instance=report)
    if form.is_valid():
        try:
            services.submit_nil_report(
                request.user, report.pk, form.seen_version(), note=form.cleaned_data["note"]
            )
        except Conflict as conflict:
            messages.error(request, str(conflict))
        else:
            messages.success(request, _("零报告已报送。"))
    else:
        messages.error(request, _("页面已过期,请刷新后重新报送。"))
    return redirect("integrity:nil_detail", pk=report.pk)
