from django.apps import AppConfig


class TuijinConfig(AppConfig):
    """The project itself as an app, for commands that span every domain app (load_demo,
    serve). It owns no models; nothing under tuijin/<app>/ imports it."""

    name = "tuijin"
    verbose_name = "推进"
