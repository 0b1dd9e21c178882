"""Problems (问题): raise on a project, list, detail, escalate / resolve / report upward."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tuijin.core.access import get_for_user
from tuijin.org.access import can_write
from tuijin.projects.models import Project
from tuijin.supervision import services
from tuijin.supervision.forms import ProblemForm
from tuijin.supervision.models import Problem

PROBLEM_VERBS = {
    "escalate": ("升级", services.escalate_problem),
    "resolve": ("标记解决", services.resolve_problem),
    "report_up": ("上报", services.report_problem_upward),
}


@require_GET
def problem_list(request):
    problems = Problem.objects.visible_to(request.user).select_related(
        "project", "enterprise", "category", "unit", "raised_by"
    )
    status = request.GET.get("status", "open")
    if status == "open":
        problems = problems.filter(status__in=[Problem.Status.OPEN, Problem.Status.COORDINATING])
    elif status in Problem.Status.values:
        problems = problems.filter(status=status)
    if level := request.GET.get("level"):
        problems = problems.filter(level=level)
    if category := request.GET.get("category"):
        problems = problems.filter(category_id=category) if category.isdigit() else problems
    page = Paginator(problems, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/problem_list.html",
        {
            "page": page,
            "count": page.paginator.count,
            "status": status,
            "level": request.GET.get("level", ""),
            "levels": Problem.Level.choices,
            "statuses": Problem.Status.choices,
        },
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
        "can_act": can_write(request.user) and problem.is_open,
        "error": error,
        "typed": typed or {},
    }
    return render(request, "supervision/problem_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def problem_create(request, project_pk):
    project = get_for_user(request.user, Project.objects.select_related("unit"), pk=project_pk)
    if not can_write(request.user):
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
            messages.success(request, "问题已登记。")
            return redirect(problem)
    return render(request, "supervision/problem_form.html", {"form": form, "project": project})


@require_POST
def problem_action(request, pk, verb):
    if verb not in PROBLEM_VERBS:
        raise Http404
    problem = get_for_user(request.user, Problem.objects.all(), pk=pk)
    label, action = PROBLEM_VERBS[verb]
    version = request.POST.get("version")
    version = int(version) if version and version.isdigit() else None
    args = [] if verb == "escalate" else [request.POST.get("note", "")]
    try:
        action(request.user, problem.pk, version, *args)
    except services.ItemError as error:
        # Re-render with what was typed: nothing is lost on a refusal or a conflict.
        typed = {verb: request.POST.get("note", "")}
        return render_problem(request, pk, str(error), typed, status=409)
    messages.success(request, f"已{label}。")
    return redirect(problem)
