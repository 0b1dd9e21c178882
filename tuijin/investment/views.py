"""Pipeline pages: the list with filters, a lead's page (stage timeline, clocks, follow-ups,
evidence), entering and editing leads, stage moves with evidence, the funnel and its .xlsx,
the clock rules, and the planning pool (years, their projects, quarterly updates).

Thin: records load through ``get_for_user`` (404 outside scope, 403 on a write without the
right), query parameters through forms, writes through ``services``.
"""

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tuijin.core.access import get_for_user, require
from tuijin.core.forms import show_service_errors
from tuijin.core.partials import export_url
from tuijin.core.versions import Conflict, VersionForm, show_conflict
from tuijin.core.xlsx import XLSX_CONTENT_TYPE
from tuijin.investment import clocks, exports, permissions, services
from tuijin.investment.forms import (
    ClockRulesForm,
    CycleForm,
    FollowUpForm,
    FundsForm,
    FunnelQuery,
    ItemForm,
    LeadFilter,
    LeadForm,
    NoticeForm,
    PlannedFilter,
    PlannedForm,
    PlannedUpdateForm,
    StageForm,
)
from tuijin.investment.funnel import GROUPS, funnel
from tuijin.investment.models import (
    ClockAlert,
    ClockRules,
    Lead,
    LeadStage,
    PlanList,
    PlannedProject,
    PlanningCycle,
)
from tuijin.org.models import UnitKind, person_of

PER_PAGE = 50


def _flash(request, exc) -> None:
    for message in getattr(exc, "messages", [str(exc)]):
        messages.error(request, message)


def _zone(request):
    return permissions.pipeline_zone(request.user)


# --- the pipeline ----------------------------------------------------------------------------


def _require_pipeline(request) -> None:
    require(
        permissions.can_work_pipeline(request.user) or permissions.sees_whole_pipeline(request.user)
    )


def filtered_leads(request) -> tuple:
    """The pipeline list's rows for this user and GET parameters, all pages: what the list
    pages through and what its export writes. 仅看超时 keeps the leads with a clock overdue
    today over all pages (the clocks are worked out in Python: the rows become a list, each
    with ``overdue_clocks``). Returns (queryset or list, filter form, today, clock rules)."""
    leads = Lead.objects.visible_to(request.user).select_related(
        "unit", "park", "leader", "investor"
    )
    form = LeadFilter(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("q"):
        q = data["q"]
        leads = leads.filter(
            Q(name__icontains=q) | Q(investor_name__icontains=q) | Q(investor__name__icontains=q)
        )
    if data.get("stage"):
        leads = leads.filter(stage=data["stage"])
    if data.get("park"):
        leads = leads.filter(park=data["park"])
    if data.get("unit"):
        leads = leads.filter(unit=data["unit"])
    if data.get("chain"):
        leads = leads.filter(industry_chain__icontains=data["chain"])
    today = timezone.localdate()
    rules = clocks.rules_for(_zone(request))
    if data.get("overdue"):
        leads = [
            lead for lead in clocks.with_overdue_clocks(leads, rules, today) if lead.overdue_clocks
        ]
    return leads, form, today, rules


@require_GET
def lead_list(request):
    _require_pipeline(request)
    leads, form, today, rules = filtered_leads(request)
    page = Paginator(leads, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "investment/list.html",
        {
            "form": form,
            "page": page,
            "leads": clocks.with_overdue_clocks(page.object_list, rules, today),
            "export_url": export_url(request, "investment:leads_xlsx"),
            "can_add": permissions.can_work_pipeline(request.user),
            "stages": LeadStage,
        },
    )


@require_http_methods(["GET", "POST"])
def lead_create(request):
    require(permissions.can_work_pipeline(request.user), _("您的角色不能登记招商线索。"))
    person = person_of(request.user)
    initial = {"unit": person.unit} if person and person.unit.kind != UnitKind.ZONE else {}
    form = LeadForm(request.POST or None, user=request.user, initial=initial)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in services.LEAD_FIELDS}
        try:
            lead = services.create_lead(
                request.user, force=form.cleaned_data.get("force"), **values
            )
        except services.DuplicateLead as exc:
            duplicates = exc.matches
            form.add_error("force", exc.messages[0])
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("线索已登记。"))
            return redirect(lead)
    return render(
        request,
        "investment/lead_form.html",
        {"form": form, "duplicates": duplicates, "lead": None},
        status=400 if form.errors else 200,
    )


def _lead_context(request, lead, **extra):
    today = timezone.localdate()
    rules = clocks.rules_for(lead.unit.zone)
    moves = services.allowed_moves(lead)
    editable = permissions.can_edit_lead(request.user, lead)
    context = {
        "lead": lead,
        "today": today,
        "clocks": clocks.lead_clocks(lead, rules, today),
        "changes": lead.changes.select_related("by"),
        "follow_ups": lead.follow_ups.select_related("by")[:30],
        "alerts": {a.clock: a for a in lead.alerts.select_related("item")},
        "editable": editable,
        "sees_contacts": permissions.sees_contacts(request.user, lead),
        "can_supervise": permissions.can_supervise_clock(request.user),
        "stage_form": StageForm(user=request.user, lead=lead, moves=moves)
        if editable and moves
        else None,
        "follow_form": FollowUpForm(initial={"on": today}) if editable else None,
        "funds_form": FundsForm(
            initial={"version": lead.version, "on": today, "arrived": lead.funds_arrived}
        )
        if editable and lead.signed_on
        else None,
        "notice_form": NoticeForm(initial={"version": lead.version, "on": today})
        if editable and lead.signed_on and not lead.started_on and not lead.start_notice_on
        else None,
        "timeline": _timeline(lead),
    }
    context.update(extra)
    return context


def _timeline(lead):
    """The stages in order with the day each was reached (from the lead's own dates)."""
    dates = {
        LeadStage.LEAD: lead.received_on,
        LeadStage.SIGNED: lead.signed_on,
        LeadStage.REGISTERED: lead.registered_on,
        LeadStage.STARTED: lead.started_on,
        LeadStage.PRODUCING: lead.producing_on,
        LeadStage.FULL: lead.full_on,
    }
    talks = lead.changes.filter(to_stage=LeadStage.TALKS).values_list("on", flat=True).first()
    dates[LeadStage.TALKS] = talks
    from tuijin.investment.models import STAGE_ORDER, STAGE_RANK

    reached = STAGE_RANK.get(lead.ended_from or lead.stage, 0)
    return [
        {
            "stage": stage,
            "label": LeadStage(stage).label,
            "on": dates.get(stage),
            "done": STAGE_RANK[stage] <= reached,
            "current": stage == lead.stage,
        }
        for stage in STAGE_ORDER
    ]


@require_GET
def lead_detail(request, pk):
    lead = get_for_user(
        request.user,
        Lead.objects.select_related("unit", "park", "leader", "investor", "project"),
        pk=pk,
    )
    return render(request, "investment/lead_detail.html", _lead_context(request, lead))


@require_http_methods(["GET", "POST"])
def lead_edit(request, pk):
    lead = get_for_user(request.user, Lead, write=True, pk=pk)
    contacts = permissions.sees_contacts(request.user, lead)
    form = LeadForm(request.POST or None, instance=lead, user=request.user, contacts=contacts)
    status = 200
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in services.LEAD_FIELDS if f in form.fields}
        try:
            services.update_lead(request.user, lead.pk, form.seen_version(), **values)
        except Conflict as exc:
            show_conflict(form, exc)
            status = 409
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(lead)
    if form.errors and status == 200:
        status = 400
    return render(request, "investment/lead_form.html", {"form": form, "lead": lead}, status=status)


@require_POST
def lead_stage(request, pk):
    lead = get_for_user(
        request.user,
        Lead.objects.select_related("unit", "park", "leader", "investor", "project"),
        write=True,
        pk=pk,
    )
    form = StageForm(
        request.POST,
        request.FILES,
        user=request.user,
        lead=lead,
        moves=services.allowed_moves(lead),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.move_stage(
                request.user,
                lead.pk,
                data["version"],
                to_stage=data["to_stage"],
                on=data["on"],
                evidence=data["evidence"],
                note=data["note"],
                signing_kind=data["signing_kind"],
                project=data["project"],
                new_project_code=data["new_project_code"].strip(),
            )
        except Conflict as exc:
            messages.error(request, str(exc))
            return redirect(lead)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("阶段已变更。"))
            return redirect(lead)
    return render(
        request,
        "investment/lead_detail.html",
        _lead_context(request, lead, stage_form=form, open_stage=True),
        status=400,
    )


def _lead_step(request, pk, form_class, shown: str | None, done: str, step):
    """A step posted from a lead's page: the form parsed, ``step(lead_pk, cleaned_data)`` run,
    back to the lead saying ``done``. A stale version is flashed; any other refusal comes back
    on the form, the page shown again with 400 and the form in its context as ``shown``, or
    flashed where the page shows the form as a bare button (``shown=None``)."""
    lead = get_for_user(request.user, Lead, write=True, pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            step(lead.pk, form.cleaned_data)
        except Conflict as exc:
            messages.error(request, str(exc))
            return redirect(lead)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(lead)
    if shown is None:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(lead)
    context = _lead_context(request, lead, **{shown: form})
    return render(request, "investment/lead_detail.html", context, status=400)


@require_POST
def lead_follow_up(request, pk):
    def step(lead, data):
        services.add_follow_up(request.user, lead, **data)

    return _lead_step(request, pk, FollowUpForm, "follow_form", _("跟进记录已保存。"), step)


@require_POST
def lead_funds(request, pk):
    def step(lead, data):
        services.record_funds(
            request.user, lead, data["version"], arrived=data["arrived"], on=data["on"]
        )

    return _lead_step(request, pk, FundsForm, "funds_form", _("资金到位情况已保存。"), step)


@require_POST
def lead_notice(request, pk):
    def step(lead, data):
        services.issue_start_notice(request.user, lead, data["version"], on=data["on"])

    return _lead_step(request, pk, NoticeForm, None, _("已登记限期开工通知。"), step)


@require_POST
def alert_item(request, pk):
    alert = get_for_user(request.user, ClockAlert.objects.select_related("lead"), pk=pk)
    require(
        permissions.can_supervise_clock(request.user), _("只有区领导和督查人员可以交办督办事项。")
    )
    form = ItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("办理期限应为1至60个工作日。"))
        return redirect(alert.lead)
    try:
        item = services.alert_to_item(request.user, alert.pk, **form.cleaned_data)
    except ValidationError as exc:
        _flash(request, exc)
        return redirect(alert.lead)
    messages.success(request, _("已转为督办事项。"))
    return redirect(item)


# --- funnel ----------------------------------------------------------------------------------


def _funnel(request):
    require(
        permissions.can_work_pipeline(request.user) or permissions.sees_whole_pipeline(request.user)
    )
    query = FunnelQuery(request.GET or None)
    data = query.cleaned_data if query.is_valid() else {}
    today = timezone.localdate()
    rules = clocks.rules_for(_zone(request))
    by = data.get("by") or "unit"
    year = data.get("year")
    stages, total, groups, years = funnel(
        Lead.objects.visible_to(request.user),
        year=year,
        by=by,
        today=today,
        start_months=rules.start_months,
    )
    return {
        "query": query,
        "stages": stages,
        "total": total,
        "groups": groups,
        "years": years,
        "year": year,
        "by": by,
        "by_label": GROUPS[by],
        "max_count": max([s.count for s in stages] + [1]),
    }


@require_GET
def funnel_page(request):
    return render(request, "investment/funnel.html", _funnel(request))


@require_GET
def funnel_xlsx(request):
    context = _funnel(request)
    buffer = io.BytesIO()
    exports.funnel_xlsx(context, buffer, user=request.user)
    buffer.seek(0)
    year = context["year"]
    name = f"{year}年招商漏斗.xlsx" if year else "招商漏斗.xlsx"
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)


@require_GET
def leads_xlsx(request):
    """The pipeline list exactly as filtered (same GET parameters, all pages), as .xlsx."""
    _require_pipeline(request)
    leads, _form, today, rules = filtered_leads(request)
    buffer = io.BytesIO()
    exports.leads_xlsx(
        clocks.with_overdue_clocks(leads, rules, today), buffer, user=request.user, today=today
    )
    buffer.seek(0)
    return FileResponse(
        buffer, as_attachment=True, filename="招商项目库.xlsx", content_type=XLSX_CONTENT_TYPE
    )


# --- clock rules -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def clock_rules(request):
    require(permissions.reads_pipeline(request.user))
    zone = _zone(request)
    if zone is None:
        raise Http404
    rules = ClockRules.objects.filter(zone=zone).first() or ClockRules(zone=zone)
    can_edit = permissions.can_manage_planning(request.user)
    if request.method == "POST":
        require(can_edit, _("只有招商局、区领导和督查室可以修改招商时限规则。"))
    form = ClockRulesForm(request.POST or None, instance=rules)
    status = 200
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in ClockRulesForm.Meta.fields}
        try:
            services.save_clock_rules(request.user, zone, form.seen_version(), **values)
        except Conflict as exc:
            show_conflict(form, exc)
            status = 409
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("investment:clock_rules")
    if form.errors and status == 200:
        status = 400
    return render(
        request, "investment/clock_rules.html", {"form": form, "can_edit": can_edit}, status=status
    )


# --- planning pool ---------------------------------------------------------------------------


@require_GET
def cycle_list(request):
    require(
        permissions.can_work_pipeline(request.user) or permissions.sees_whole_pipeline(request.user)
    )
    cycles = PlanningCycle.objects.visible_to(request.user)
    return render(
        request,
        "investment/cycles.html",
        {"cycles": cycles, "can_manage": permissions.can_manage_planning(request.user)},
    )


@require_http_methods(["GET", "POST"])
def cycle_create(request):
    require(
        permissions.can_manage_planning(request.user),
        _("只有招商局、区领导和督查室可以发起项目谋划。"),
    )
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.create_cycle(request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            return redirect(cycle)
    return render(
        request, "investment/cycle_form.html", {"form": form}, status=400 if form.errors else 200
    )


@require_GET
def cycle_detail(request, pk):
    cycle = get_for_user(request.user, PlanningCycle, pk=pk)
    projects = (
        PlannedProject.objects.visible_to(request.user)
        .filter(cycle=cycle)
        .select_related("unit", "park", "contact_leader")
    )
    form = PlannedFilter(request.GET or None)
    if form.is_valid() and form.cleaned_data.get("plan_list"):
        projects = projects.filter(plan_list=form.cleaned_data["plan_list"])
    lists = {key: [] for key in PlanList.values}
    for planned in projects:
        lists[planned.plan_list].append(planned)
    sections = [(PlanList(key).label, key, rows) for key, rows in lists.items() if rows]
    return render(
        request,
        "investment/cycle_detail.html",
        {
            "cycle": cycle,
            "sections": sections,
            "count": sum(len(rows) for _l, _k, rows in sections),
            "can_manage": permissions.can_manage_planning(request.user),
            "can_add": permissions.can_work_pipeline(request.user),
        },
    )


@require_POST
def cycle_advance(request, pk):
    cycle = get_for_user(request.user, PlanningCycle, write=True, pk=pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("页面已过期,请刷新后重试。"))
        return redirect(cycle)
    try:
        services.advance_cycle(request.user, cycle.pk, form.cleaned_data["version"])
    except (Conflict, ValidationError) as exc:
        _flash(request, exc)
    return redirect(cycle)


@require_http_methods(["GET", "POST"])
def planned_create(request, pk):
    cycle = get_for_user(request.user, PlanningCycle, pk=pk)
    require(permissions.can_work_pipeline(request.user), _("您不能向该谋划年度申报项目。"))
    form = PlannedForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in services.PLANNED_FIELDS}
        try:
            planned = services.add_planned(request.user, cycle.pk, **values)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            return redirect(planned)
    return render(
        request,
        "investment/planned_form.html",
        {"form": form, "cycle": cycle, "planned": None},
        status=400 if form.errors else 200,
    )


@require_GET
def planned_detail(request, pk):
    planned = get_for_user(
        request.user,
        PlannedProject.objects.select_related("cycle", "unit", "park", "contact_leader"),
        pk=pk,
    )
    editable = PlannedProject.objects.editable_by(request.user).filter(pk=pk).exists()
    # The pipeline lead it became, for those who see that lead.
    lead = Lead.objects.visible_to(request.user).filter(pk=planned.lead_id).first()
    return render(
        request,
        "investment/planned_detail.html",
        {
            "planned": planned,
            "lead": lead,
            "updates": planned.updates.select_related("by"),
            "editable": editable,
            "update_form": PlannedUpdateForm() if editable else None,
            "can_manage": permissions.can_manage_planning(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def planned_edit(request, pk):
    planned = get_for_user(
        request.user, PlannedProject.objects.select_related("cycle"), write=True, pk=pk
    )
    form = PlannedForm(request.POST or None, instance=planned, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in services.PLANNED_FIELDS}
        try:
            services.update_planned(request.user, planned.pk, form.seen_version(), **values)
        except Conflict as exc:
            show_conflict(form, exc)
            status = 409
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            return redirect(planned)
    if form.errors and status == 200:
        status = 400
    return render(
        request,
        "investment/planned_form.html",
        {"form": form, "cycle": planned.cycle, "planned": planned},
        status=status,
    )


@require_POST
def planned_approve(request, pk):
    planned = get_for_user(request.user, PlannedProject, write=True, pk=pk)
    require(
        permissions.can_manage_planning(request.user),
        _("只有招商局、区领导和督查室可以审核谋划项目。"),
    )
    try:
        services.update_planned(request.user, planned.pk, None, approved=not planned.approved)
    except ValidationError as exc:
        _flash(request, exc)
    return redirect(planned)


@require_POST
def planned_update(request, pk):
    planned = get_for_user(request.user, PlannedProject, write=True, pk=pk)
    form = PlannedUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.add_planned_update(request.user, planned.pk, **form.cleaned_data)
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, _("季度进展已保存。"))
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect(planned)
