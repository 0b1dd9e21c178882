from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tuijin.core"
    verbose_name = "核心"

    def ready(self):
        from tuijin.core import (  # noqa: F401
            audit_system,  # connects the receivers for accounts, settings and lockouts
            checks,  # registers the system checks
            lookups,
            params,
        )
        from tuijin.core.collector import tune
        from tuijin.core.uploads import configure_pillow

        lookups.register()  # an id no column can hold finds no row (not a 500)
        params.explain_null_characters()  # Django's Chinese says "empty string"
        configure_pillow()  # HEIC opener; Pillow's pixel limit = UPLOAD_MAX_PIXELS
        tune()  # the garbage collector for a long-lived web or queue process (collector.py)
