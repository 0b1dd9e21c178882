"""Ledger pages: list, detail, my projects, edit, progress report. Thin: rules live elsewhere."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tuijin.core.access import get_for_user, require
from tuijin.core.forms import show_service_errors
from tuijin.core.partials import export_url, render_list
from tuijin.core.versions import Conflict, differences, show_conflict
from tuijin.org.access import person_of
from tuijin.projects import services
from tuijin.projects.charts import investment_series
from tuijin.projects.filters import SORT_LABELS, ledger_queryset, with_lists
from tuijin.projects.forms import (
    AnnualPlanFormSet,
    ApprovalFormSet,
    EnterpriseQuery,
    FileUploadForm,
    MilestoneFormSet,
    ProjectForm,
    ReportForm,
    YearForm,
    formset_changes,
    model_values,
    styled,
)
from tuijin.projects.lights import Thresholds, missing_periods
from tuijin.projects.models import (
    Enterprise,
    Light,
    PeriodLight,
    ProgressReport,
    Project,
    ProjectFile,
)
from tuijin.projects.periods import periods_due_before
from tuijin.projects.permissions import (
    can_create_project,
    can_edit_project,
    can_report_progress,
)

PAGE_SIZE = 50


@require_GET
def project_list(request):
    filterset, queryset, sort = ledger_queryset(request)
    page = Paginator(with_lists(queryset), PAGE_SIZE).get_page(request.GET.get("page"))
    t = Thresholds.current()
    (due_period,) = periods_due_before(timezone.localdate(), t.period_kind, t.due_days, 1)
    # Django leaves the unused sort keys out of this and the paginator's count (B12).
    light_counts = dict(
        queryset.order_by().values_list("light").annotate(n=Count("pk")).values_list("light", "n")
    )
    query = request.GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    context = {
        "filter": filterset,
        "page": page,
        "count": page.paginator.count,
        "sort": sort,
        "sort_labels": SORT_LABELS,
        "light_counts": [
            (light, light_counts.get(light.value, 0))
            for light in (Light.RED, Light.YELLOW, Light.GREEN)
        ],
        "query": encoded,
        "export_url": export_url(request, "projects:ledger_export"),
        "due_period": due_period,
        "can_create": can_create_project(request.user),
    }
    return render_list(
        request,
        "projects/list.html",
        "projects/partials/_ledger_table.html",
        context,
        valid=filterset.is_valid(),
    )


@require_GET
def project_detail(request, pk):
    queryset = Project.objects.select_related("park", "unit").prefetch_related(
        "leaders__unit",
        "enterprises",
        "tags",
        "annual_plans",
        "approvals__kind",
        "milestones",
        Prefetch(
            "reports",
            ProgressReport.objects.select_related("submitted_by")
            .prefetch_related("files")
            .order_by("-period_start"),
        ),
        Prefetch("files", ProjectFile.objects.filter(report__isnull=True)),
    )
    project = get_for_user(request.user, queryset, pk=pk)
    t = Thresholds.current()
    today = timezone.localdate()
    reports = list(project.reports.all())
    for report in reports:
        report.late = services.is_late(report, t.due_days)
    # A period never reported stays on the record as 缺报, a later report or not.
    missing = missing_periods(project, {r.period_start for r in reports}, today, t)
    timeline = sorted(
        [(r.period_start, r, None) for r in reports] + [(p.start, None, p) for p in missing],
        key=lambda row: row[0],
        reverse=True,
    )
    period_lights = list(PeriodLight.objects.filter(project=project)[:12])
    for pl in period_lights:
        pl.missing = any(p.start == pl.period_start for p in missing)
    year_form = YearForm(request.GET)
    year = year_form.year_or(today.year)
    if year_form.error_text:
        messages.warning(request, _("%(error)s已显示本年度。") % {"error": year_form.error_text})
    years = sorted({p.year for p in project.annual_plans.all()} | {today.year}, reverse=True)
    context = {
        "project": project,
        "reports": reports,
        "today": today,
        "chart": investment_series(project, year),
        "years": years,
        "year": year,
        "completed_total": sum((r.investment for r in reports), Decimal(0)),
        "period_lights": period_lights,
        "timeline": timeline,
        "missing": missing,
        "can_edit": can_edit_project(request.user, project),
        "can_report": can_report_progress(request.user, project),
    }
    return render(request, "projects/detail.html", context)


@require_http_methods(["GET", "POST"])
def project_create(request):
    require(can_create_project(request.user), _("您的角色不能新建项目。"))
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(request.user, **model_values(form))
        except ValidationError as error:  # the code taken meanwhile by another user
            show_service_errors(form, error)
        else:
            messages.success(request, _("项目“%(name)s”已录入。") % {"name": project.name})
            return redirect(project)
    return render(request, "projects/form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def project_edit(request, pk):
    project = get_for_user(request.user, Project.objects.select_related("unit"), write=True, pk=pk)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.update_project(
                request.user, project, version=form.seen_version(), **model_values(form)
            )
        except Conflict as conflict:  # someone saved since this form was loaded
            project.refresh_from_db()  # is_valid() put the input on it; the page shows the saved
            show_conflict(form, conflict)
            if changed := differences(form, project):
                form.add_error(None, _("与您填写的不同之处,当前为:%(list)s") % {"list": changed})
            status = 409
        except ValidationError as error:  # the code taken meanwhile by another user
            show_service_errors(form, error)
        else:
            messages.success(request, _("项目信息已保存。"))
            return redirect(project)
    context = {"form": form, "project": project}
    return render(request, "projects/form.html", context, status=status)


def _related_formsets(request, pk, formset_classes, save, title):
    """The page of a project's lists; ``save(user, project, **changes)`` is the service,
    called with each formset's rows under its prefix."""
    project = get_for_user(request.user, Project.objects.select_related("unit"), write=True, pk=pk)
    data = request.POST if request.method == "POST" else None
    formsets = [
        styled(cls(data, instance=project, prefix=prefix)) for prefix, cls in formset_classes
    ]
    for formset in formsets:
        formset.heading = formset.model._meta.verbose_name
    error, status = "", 200
    if data is not None and all(fs.is_valid() for fs in formsets):
        try:
            save(request.user, project, **{fs.prefix: formset_changes(fs) for fs in formsets})
        except Conflict as conflict:  # a row saved or deleted by someone since the page loaded
            error, status = str(conflict), 409
            for form in (form for fs in formsets for form in fs.forms):
                if form.instance.pk and form.instance.pk == conflict.pk:
                    show_conflict(form, conflict)
        except ValidationError as refused:  # a unique row added meanwhile by someone else
            error, status = " ".join(refused.messages), 409
        else:
            messages.success(request, _("已保存。"))
            return redirect(project)
    return render(
        request,
        "projects/formsets.html",
        {"project": project, "formsets": formsets, "title": title, "error": error},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def project_approvals(request, pk):
    return _related_formsets(
        request,
        pk,
        [("approvals", ApprovalFormSet), ("milestones", MilestoneFormSet)],
        services.update_approvals,
        _("前期手续与节点"),
    )


@require_http_methods(["GET", "POST"])
def project_plans(request, pk):
    return _related_formsets(
        request, pk, [("plans", AnnualPlanFormSet)], services.update_plans, _("年度投资计划")
    )


@require_http_methods(["GET", "POST"])
def report_create(request, pk):
    # Assigned leaders report on projects they may not edit: the verb's own rule decides.
    project = get_for_user(request.user, Project.objects.select_related("unit", "park"), pk=pk)
    require(can_report_progress(request.user, project), _("您无权填报该项目的进度。"))
    form = ReportForm(request.POST or None, request.FILES or None, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_report(
                request.user,
                project,
                period_start=data["period"].start,
                narrative=data["narrative"],
                progress=data["progress"],
                investment=data["investment"],
                problems=data["problems"],
                photos=data["photos"],
                problem_category=data["problem_category"],
                progress_drop_reason=data["progress_drop_reason"],
            )
        except ValidationError as error:  # the period reported meanwhile, or progress dropped
            show_service_errors(form, error)
        else:
            project.refresh_from_db()
            messages.success(
                request,
                _("%(period)s进度已填报,项目当前为%(light)s灯。")
                % {"period": data["period"].label(), "light": project.get_light_display()},
            )
            return redirect(project)
    return render(request, "projects/report_form.html", {"form": form, "project": project})


@require_http_methods(["POST"])
def file_upload(request, pk):
    project = get_for_user(request.user, Project.objects.select_related("unit"), pk=pk)
    require(can_report_progress(request.user, project), _("您无权为该项目上传附件。"))
    form = FileUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("files") or [_("请选择要上传的照片或文件。")]:
            messages.error(request, error)
        return redirect(project)
    uploads = form.cleaned_data["files"]
    services.upload_files(request.user, project, uploads, form.cleaned_data["kind"])
    messages.success(request, _("已上传%(n)s个文件。") % {"n": len(uploads)})
    return redirect(project)


@require_GET
def my_projects(request):
    """我的项目: the projects and enterprises a leader is assigned to (包保), with lights."""
    person = person_of(request.user)
    projects = Project.objects.none()
    enterprises = Enterprise.objects.none()
    if person is not None:
        projects = with_lists(
            Project.objects.visible_to(request.user).filter(leaders=person)
        ).order_by("-light", "code")
        enterprises = (
            Enterprise.objects.visible_to(request.user)
            .filter(Q(leaders=person) | Q(liaison=person))
            .select_related("park")
            .annotate(project_count=Count("projects", distinct=True))
            .distinct()
        )
    projects = sorted(projects, key=lambda p: ({"red": 0, "yellow": 1}.get(p.light, 2), p.code))
    return render(
        request,
        "projects/mine.html",
        {"projects": projects, "enterprises": enterprises, "person": person},
    )


@require_GET
def enterprise_list(request):
    queryset, query = filtered_enterprises(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/enterprise_list.html",
        {
            "page": page,
            "count": page.paginator.count,
            "query": query,
            "export_url": export_url(request, "projects:enterprise_export"),
        },
    )


def filtered_enterprises(request) -> tuple:
    """The enterprise list's rows for this user and GET parameters, all pages: what the list
    pages through and what its export writes. Returns (queryset, the parsed query)."""
    queryset = Enterprise.objects.visible_to(request.user).select_related("park", "unit")
    query = EnterpriseQuery(request.GET)
    params = query.values()
    if params is None:
        queryset = queryset.none()
    else:
        for word in params["q"].lower().split():
            queryset = queryset.filter(search_text__contains=word)
        if params["key"]:
            queryset = queryset.filter(is_key=True)
    queryset = (
        queryset.annotate(project_count=Count("projects"))
        .prefetch_related("leaders")
        .order_by("-is_key", "name")
    )
    return queryset, query


@require_GET
def enterprise_detail(request, pk):
    enterprise = get_for_user(
        request.user,
        Enterprise.objects.select_related("park", "unit", "liaison").prefetch_related("leaders"),
        pk=pk,
    )
    projects = with_lists(Project.objects.visible_to(request.user).filter(enterprises=enterprise))
    return render(
        request,
        "projects/enterprise_detail.html",
        {"enterprise": enterprise, "projects": projects},
    )
