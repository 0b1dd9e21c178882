from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete


class PublicConfig(AppConfig):
    name = "tuijin.public"
    verbose_name = "公开项目"

    def ready(self):
        from tuijin.public.models import PublicPhoto

        post_delete.connect(_drop_copies, sender=PublicPhoto, dispatch_uid="public-photo-files")


def _drop_copies(sender, instance, **kwargs):
    """A photo deleted (with its project or report): its public copies go with it."""
    for fieldfile in (instance.image, instance.thumbnail):
        if fieldfile:
            name, storage = fieldfile.name, fieldfile.storage
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
