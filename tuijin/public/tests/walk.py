"""The public app's URLs for the URL walk (tests/test_every_url.py): the progress page, its
photos and the OC4IDS download are the only pages open without login (``public=True``); the
pages that choose what is published are the zone leaders' and admins'."""

from django.contrib.auth import get_user_model

from tuijin.core.demo_photos import site_photo
from tuijin.projects.models import ProjectFile
from tuijin.public import services
from tuijin.public.models import PublicPhoto

PUBLISHERS = {"leader", "admin"}


def cases(reads, writes, case, personas) -> dict:
    refused = set(personas) - PUBLISHERS
    return {
        "public:index": case(public=True),
        "public:oc4ids": case(public=True),
        "public:photo": case(record="public_photo", public=True),
        "public:photo_thumbnail": case(record="public_photo", public=True),
        "public:manage": reads(),
        "public:toggle": writes("project", refused, post_only=True),
        # GET and POST: the project's photos, shown or hidden (403 to those who cannot publish).
        "public:photos_edit": writes("project", refused),
    }


def walk_records(unit, project) -> dict:
    """A photo shown on the public page: of a published project, marked public."""
    leader = get_user_model().objects.get(username="leader")
    row = PublicPhoto.objects.shown().order_by("pk").first()
    if row is None:
        services.publish(leader, project)
        checked = site_photo(project.pk, project.created_at, name="公开照片")
        photo = ProjectFile.objects.create(
            project=project, kind=ProjectFile.Kind.PHOTO, file=checked, original_name="公开.jpg"
        )
        row = services.mark_photo_public(leader, photo)
    return {"public_photo": row}
