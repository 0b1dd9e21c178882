from django.apps import AppConfig


class ParkreviewConfig(AppConfig):
    name = "tuijin.parkreview"
    verbose_name = "观摩拉练"
