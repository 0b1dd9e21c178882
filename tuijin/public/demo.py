"""Demo: the zone leader publishes three projects (a new-energy plant, a negative-electrode
material plant, the power plant's railway spur) for the public progress page and the OC4IDS
download, and shows their site photos there (copies without EXIF). Idempotent; through the
services, so each publication and each photo shown is audited."""

from django.contrib.auth import get_user_model

from tuijin.projects.models import Project, ProjectFile
from tuijin.public import services
from tuijin.public.models import PublicPhoto, PublishedProject

CODES = ("QC-001", "QC-002", "QC-004")


def load_public(units) -> list:
    leader = get_user_model().objects.get(username="leader")
    published = []
    for project in Project.objects.filter(code__in=CODES).order_by("code"):
        if not PublishedProject.objects.public().filter(project=project).exists():
            services.publish(leader, project)
        published.append(project)
    photos = ProjectFile.objects.filter(project__in=published, kind=ProjectFile.Kind.PHOTO)
    for photo in photos.exclude(public_copy__public=True).order_by("pk"):
        services.mark_photo_public(leader, photo)
    return published


def summary_line(published) -> str:
    photos = PublicPhoto.objects.shown().count()
    return (
        f"公开项目:{len(published)} 个,公开照片 {photos} 张(/public/,开放数据 /public/oc4ids.json)"
    )
