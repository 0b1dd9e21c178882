from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tuijin.core"
    verbose_name = "核心"

    def ready(self):
        from tuijin.core import (  # noqa: F401
            audit_system,  # connects the receivers for accounts, settings and lockouts
            checks,  # registers the system checks
        )
        from tuijin.core.uploads import configure_pillow

        configure_pillow()  # HEIC opener; Pillow's pixel limit = UPLOAD_MAX_PIXELS
