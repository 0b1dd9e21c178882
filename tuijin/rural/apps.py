from django.apps import AppConfig


class RuralConfig(AppConfig):
    name = "tuijin.rural"
    verbose_name = "乡村联农"
