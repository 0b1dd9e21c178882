from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PublicConfig(AppConfig):
    name = "tuijin.public"
    verbose_name = "公开项目"

    def ready(self):
        from tuijin.core.templatetags.tuijin import ACTION_LABELS
        from tuijin.public.models import PublicPhoto

        post_delete.connect(_drop_copies, sender=PublicPhoto, dispatch_uid="public-photo-files")
        # The verbs of this app on the history tab (kept here, not in core's list).
        ACTION_LABELS.update(
            {
                "publish_project": _("公开项目进展"),
                "unpublish_project": _("取消公开项目"),
                "photo_public": pgettext_lazy("history", "公开照片"),
                "photo_private": _("取消公开照片"),
                "oc4ids_internal_on": _("开放数据附带内部字段"),
                "oc4ids_internal_off": _("开放数据不附内部字段"),
            }
        )


def _drop_copies(sender, instance, **kwargs):
    """A photo deleted (with its project or report): its public copies go with it."""
    for fieldfile in (instance.image, instance.thumbnail):
        if fieldfile:
            name, storage = fieldfile.name, fieldfile.storage
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
