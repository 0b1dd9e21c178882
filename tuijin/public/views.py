"""The public progress page and the OC4IDS download (no login), and the zone leader's page
that chooses which projects are published."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tuijin.org.models import Unit, UnitKind
from tuijin.projects.models import Project
from tuijin.public import oc4ids, services
from tuijin.public.permissions import can_publish


def _publisher() -> str:
    zone = Unit.objects.filter(kind=UnitKind.ZONE).order_by("depth", "path").first()
    return zone.name if zone else _("推进")


@login_not_required
@require_GET
def index(request):
    projects = []
    for project in oc4ids.published_projects():
        reports = list(project.reports.all())
        met = sorted(
            (m for m in project.milestones.all() if m.done_date),
            key=lambda m: m.done_date,
            reverse=True,
        )
        projects.append(
            {
                "project": project,
                "progress": reports[-1].progress if reports else None,
                "met": met,
            }
        )
    return render(request, "public/index.html", {"projects": projects, "publisher": _publisher()})


@login_not_required
@require_GET
def package(request):
    uri = request.build_absolute_uri(reverse("public:oc4ids"))
    response = JsonResponse(
        oc4ids.package(uri, _publisher()), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = 'inline; filename="oc4ids.json"'
    return response


@require_GET
def manage(request):
    if not can_publish(request.user):
        raise PermissionDenied(_("只有区领导和系统管理员可以公开项目"))
    projects = (
        Project.objects.visible_to(request.user)
        .select_related("publication", "park")
        .order_by("code")
    )
    return render(request, "public/manage.html", {"projects": projects})


@require_POST
def toggle(request, pk):
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
    if request.POST.get("publish") == "1":
        services.publish(request.user, project)
        messages.success(request, _("已公开:%(name)s") % {"name": project.name})
    else:
        services.unpublish(request.user, project)
        messages.success(request, _("已取消公开:%(name)s") % {"name": project.name})
    return redirect("public:manage")
