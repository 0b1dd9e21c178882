from django.apps import apps
from django.core.management.base import BaseCommand

from tuijin.core.files import STORED_FILES, write_thumbnail


class Command(BaseCommand):
    help = "Make the missing thumbnails of stored photos (after an upgrade or a restore)."

    def handle(self, *args, **options):
        made = 0
        for label, stored in STORED_FILES.items():
            if not stored.thumbnail:
                continue
            model = apps.get_model(label)
            for record in model._default_manager.exclude(**{stored.field: ""}).iterator():
                if write_thumbnail(getattr(record, stored.field)):
                    made += 1
        self.stdout.write(self.style.SUCCESS(f"缩略图已齐全:{made} 张照片。"))
