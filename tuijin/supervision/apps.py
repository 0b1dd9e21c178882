from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "tuijin.supervision"
    verbose_name = "督办"
