from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "tuijin.notify"
    verbose_name = "通知提醒"
