from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tuijin.core"
    verbose_name = "核心"

    def ready(self):
        from tuijin.core import checks  # noqa: F401  (registers the system checks)
