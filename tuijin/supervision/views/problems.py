"""Problems (问题): raise on a project, list (and its .xlsx), detail, escalate / resolve / report
upward."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tuijin.core.access import get_for_user
from tuijin.core.partials import export_url
from tuijin.core.versions import VersionForm
from tuijin.core.xlsx import xlsx_download
from tuijin.org.access import sheet_unit
from tuijin.projects.models import Project
from tuijin.supervision import services
from tuijin.supervision.exports import write_problems
from tuijin.supervision.forms import ProblemForm, ProblemListForm
from tuijin.supervision.models import Problem
from tuijin.supervision.permissions import can_act_on_problem, can_raise_problem

UNRESOLVED = [Problem.Status.OPEN, Problem.Status.COORDINATING]
PROBLEM_VERBS = {
    "escalate": ("升级", services.escalate_problem),
    "resolve": ("标记解决", services.resolve_problem),
    "report_up": ("上报", services.report_problem_upward),
}


def filtered_problems(request) -> tuple:
    """The problem list's rows for this user and GET parameters, all pages: what the list
    pages through and what its export writes. Returns (queryset, filters, whether a value
    had to be dropped)."""
    problems = Problem.objects.visible_to(request.user).select_related(
        "project", "enterprise", "category", "unit", "raised_by"
    )
    filters, dropped = ProblemListForm(request.GET).values()
    status = filters["status"]
    if status == "unresolved":
        problems = problems.filter(status__in=UNRESOLVED)
    elif status != "all":
        problems = problems.filter(status=status)
    if filters["level"]:
        problems = problems.filter(level=filters["level"])
    if filters["category"]:
        problems = problems.filter(category_id=filters["category"])
    return problems, filters, dropped


@require_GET
def problem_list(request):
    problems, filters, dropped = filtered_problems(request)
    if dropped:
        messages.warning(request, _("部分筛选条件无法识别,已按默认条件显示。"))
    page = Paginator(problems, 50).get_page(request.GET.get("page"))  # bad page: the first
    return render(
        request,
        "supervision/problem_list.html",
        {
            "page": page,
            "count": page.paginator.count,
            "status": filters["status"],
            "level": filters["level"],
            "levels": Problem.Level.choices,
            "statuses": Problem.Status.choices,
            "export_url": export_url(request, "supervision:problem_export"),
        },
    )


@require_GET
def problem_export(request):
    """The list exactly as filtered (same GET parameters, all pages), as .xlsx."""
    problems, _filters, _dropped = filtered_problems(request)
    today = timezone.localdate()
    name = f"问题清单-{today:%Y%m%d}.xlsx"
    return xlsx_download(
        lambda file: write_problems(problems, file, today, unit=sheet_unit(request.user)), name
    )


@require_GET
def problem_detail(request, pk):
    return render_problem(request, pk)


def render_problem(request, pk, error: str = "", typed: dict | None = None, status=200):
    problem = get_for_user(
        request.user,
        Problem.objects.select_related(
            "project", "enterprise", "category", "unit", "raised_by", "report"
        ),
        pk=pk,
    )
    context = {
        "problem": problem,
        "items": problem.items.visible_to(request.user).select_related("lead_unit"),
        "can_act": problem.is_open and can_act_on_problem(request.user, problem),
        "error": error,
        "typed": typed or {},
    }
    return render(request, "supervision/problem_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def problem_create(request, project_pk):
    project = get_for_user(request.user, Project.objects.select_related("unit"), pk=project_pk)
    if not can_raise_problem(request.user):
        raise PermissionDenied
    form = ProblemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.raise_problem(
                request.user,
                project=project,
                category=form.cleaned_data["category"],
                description=form.cleaned_data["description"],
            )
        except services.ItemError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("问题已登记。"))
            return redirect(problem)
    return render(request, "supervision/problem_form.html", {"form": form, "project": project})


STALE_PAGE = "页面已过期,未执行。请刷新页面后重新提交,您填写的内容已保留。"


@require_POST
def problem_action(request, pk, verb):
    if verb not in PROBLEM_VERBS:
        raise Http404
    # 404 outside the user's scope, 403 for who may see but not act (the liaison, inspectors).
    problem = get_for_user(request.user, Problem.objects.all(), write=True, pk=pk)
    label, action = PROBLEM_VERBS[verb]
    parsed = VersionForm(request.POST)
    typed = {verb: request.POST.get("note", "")}
    if not parsed.is_valid():  # no version (or not a number): the check cannot be skipped
        return render_problem(request, pk, STALE_PAGE, typed, status=400)
    args = [] if verb == "escalate" else [request.POST.get("note", "")]
    try:
        action(request.user, problem.pk, parsed.cleaned_data["version"], *args)
    except services.ItemError as error:
        # Re-render with what was typed: nothing is lost on a refusal or a conflict.
        return render_problem(request, pk, str(error), typed, status=409)
    messages.success(request, _("已%(verb)s。") % {"verb": label})
    return redirect(problem)
