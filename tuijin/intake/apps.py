from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "tuijin.intake"
    verbose_name = "文本录入"
