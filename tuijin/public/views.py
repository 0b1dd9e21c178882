"""The public progress page, its photos and the OC4IDS download (no login), and the zone
leader's pages that choose which projects and which of their photos are published."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tuijin.core.files import file_response
from tuijin.org.models import Unit, UnitKind
from tuijin.projects.models import Project, ProjectFile
from tuijin.public import oc4ids, services
from tuijin.public.forms import PhotoChoiceForm
from tuijin.public.models import PublicPhoto
from tuijin.public.permissions import can_publish

# How long a browser or proxy may keep a public photo: a photo taken off the page, or a
# project withdrawn, is gone from every cache within this time (the server answers 404 at once).
PHOTO_CACHE_SECONDS = 300


def _publisher() -> str:
    zone = Unit.objects.filter(kind=UnitKind.ZONE).order_by("depth", "path").first()
    return zone.name if zone else _("推进")


@login_not_required
@require_GET
def index(request):
    shown = PublicPhoto.objects.shown()
    photos = ProjectFile.objects.filter(public_copy__in=shown).select_related("public_copy")
    projects = []
    for project in oc4ids.published_projects().prefetch_related(
        Prefetch("files", photos.order_by("-taken_at", "pk"), to_attr="public_photos")
    ):
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
                "photos": [photo.public_copy for photo in project.public_photos],
            }
        )
    context = {
        "projects": projects,
        "publisher": _publisher(),
        "can_publish": can_publish(request.user),
    }
    return render(request, "public/index.html", context)


@login_not_required
@require_GET
def photo(request, pk, thumbnail=False):
    """A public photo's copy (no EXIF): 404 unless it is marked public and its project is
    published. Never the original."""
    row = get_object_or_404(PublicPhoto.objects.shown().select_related("photo__project"), pk=pk)
    fieldfile = row.thumbnail if thumbnail else row.image
    name = f"{row.photo.project.code}-{row.pk}{'-thumbnail' if thumbnail else ''}.jpg"
    try:
        response = file_response(fieldfile, name)
    except FileNotFoundError:
        raise Http404 from None
    response["Cache-Control"] = f"public, max-age={PHOTO_CACHE_SECONDS}"
    return response


@login_not_required
@require_GET
def package(request):
    uri = request.build_absolute_uri(reverse("public:oc4ids"))
    data = oc4ids.package(uri, _publisher())
    if not data["projects"]:
        # The standard wants at least one project in a package: none published, no package.
        return JsonResponse(
            {"code": "nothing_published", "message": _("本区尚未公开任何项目")},
            status=404,
            json_dumps_params={"ensure_ascii": False},
        )
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'inline; filename="oc4ids.json"'
    return response


@require_GET
def manage(request):
    if not can_publish(request.user):
        raise PermissionDenied(_("只有区领导和系统管理员可以公开项目"))
    projects = (
        Project.objects.visible_to(request.user)
        .select_related("publication", "park")
        .annotate(public_photo_count=Count("files", filter=Q(files__public_copy__public=True)))
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


def _project_photos(request, pk) -> Project:
    """The project, if the user sees it (404) and may publish (403)."""
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
    if not can_publish(request.user):
        raise PermissionDenied(_("只有区领导和系统管理员可以公开照片"))
    return project


@require_http_methods(["GET", "POST"])
def photos_edit(request, pk):
    """The project's photos (its own and its reports'), each shown or hidden on the public
    page with one tap."""
    project = _project_photos(request, pk)
    photos = (
        ProjectFile.objects.filter(project=project, kind=ProjectFile.Kind.PHOTO)
        .select_related("public_copy__by", "report")
        .order_by("-taken_at", "-pk")
    )
    if request.method == "POST":
        form = PhotoChoiceForm(request.POST, photos=photos)
        if not form.is_valid():
            messages.error(request, form.error_text())
            return redirect("public:photos_edit", project.pk)
        chosen = form.cleaned_data["photo"]
        try:
            if form.cleaned_data["public"]:
                services.mark_photo_public(request.user, chosen)
                messages.success(request, _("照片已公开:%(name)s") % {"name": chosen})
            else:
                services.unmark_photo_public(request.user, chosen)
                messages.success(request, _("照片已取消公开:%(name)s") % {"name": chosen})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(reverse("public:photos_edit", args=[project.pk]) + f"#photo-{chosen.pk}")
    published = getattr(getattr(project, "publication", None), "published", False)
    context = {"project": project, "photos": photos, "published": published}
    return render(request, "public/photos_edit.html", context)
