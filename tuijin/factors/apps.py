from django.apps import AppConfig


class FactorsConfig(AppConfig):
    name = "tuijin.factors"
    verbose_name = "要素保障"
