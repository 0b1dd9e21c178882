"""Publish and withdraw a project, show and hide its photos (audited). Checks
``permissions.can_publish`` and that the project is in the user's scope."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core.audit import audit_context
from tuijin.core.files import random_name
from tuijin.org.access import person_of
from tuijin.projects.models import Project, ProjectFile
from tuijin.public.models import PublicPhoto, PublishedProject
from tuijin.public.permissions import can_publish
from tuijin.public.photos import NotAnImage, public_copies


def _check(user, project: Project) -> None:
    if not can_publish(user):
        raise PermissionDenied(_("只有区领导和系统管理员可以公开项目"))
    if not Project.objects.visible_to(user).filter(pk=project.pk).exists():
        raise PermissionDenied(_("不在您的管理范围内"))


def publish(user, project: Project) -> PublishedProject:
    _check(user, project)
    with transaction.atomic(), audit_context(actor=user, action="publish_project"):
        row = PublishedProject.objects.select_for_update().filter(project=project).first()
        if row is None:
            row = PublishedProject(project=project)
        row.published = True
        row.published_at = timezone.now()
        row.by = person_of(user)
        row.save()
    return row


def unpublish(user, project: Project) -> None:
    _check(user, project)
    with transaction.atomic(), audit_context(actor=user, action="unpublish_project"):
        row = PublishedProject.objects.select_for_update().filter(project=project).first()
        if row is not None and row.published:
            row.published = False
            row.by = person_of(user)
            row.save()


# --- photos the zone shows on the public page ----------------------------------------------


def _check_photo(user, photo: ProjectFile) -> None:
    _check(user, photo.project)
    if photo.kind != ProjectFile.Kind.PHOTO:
        raise PermissionDenied(_("只有照片可以公开"))


def _delete_later(storage, *names: str) -> None:
    """Delete the files once the change that dropped them has committed."""
    for name in filter(None, names):
        transaction.on_commit(lambda name=name: storage.delete(name))


def mark_photo_public(user, photo: ProjectFile) -> PublicPhoto:
    """Show a project photo on the public page: its copies (no EXIF, bounded size) are made
    now and served while the photo stays marked and its project published."""
    _check_photo(user, photo)
    row = PublicPhoto.objects.filter(photo=photo).first()
    if row is not None and row.public and row.image:
        return row
    try:
        copies = public_copies(photo.file)
    except (NotAnImage, FileNotFoundError):
        raise ValidationError(_("这张照片无法读取,不能公开。"), code="not_an_image") from None
    storage = default_storage
    image = storage.save(random_name("public", "photo.jpg"), copies.image)
    thumbnail = storage.save(random_name("public", "photo.jpg"), copies.thumbnail)
    try:
        with transaction.atomic(), audit_context(actor=user, action="photo_public"):
            row = PublicPhoto.objects.select_for_update().filter(photo=photo).first()
            row = row or PublicPhoto(photo=photo)
            _delete_later(storage, row.image.name, row.thumbnail.name)  # a copy left over
            row.public = True
            row.image, row.thumbnail = image, thumbnail
            row.width, row.height = copies.width, copies.height
            row.marked_at = timezone.now()
            row.by = person_of(user)
            row.save()
    except BaseException:
        storage.delete(image)
        storage.delete(thumbnail)
        raise
    return row


def unmark_photo_public(user, photo: ProjectFile) -> None:
    """Take a photo off the public page; its public copies are deleted."""
    _check_photo(user, photo)
    with transaction.atomic(), audit_context(actor=user, action="photo_private"):
        row = PublicPhoto.objects.select_for_update().filter(photo=photo).first()
        if row is None or not row.public:
            return
        _delete_later(row.image.storage, row.image.name, row.thumbnail.name)
        row.public = False
        row.image = row.thumbnail = ""
        row.width = row.height = 0
        row.marked_at = timezone.now()
        row.by = person_of(user)
        row.save()
