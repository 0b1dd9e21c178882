from django.apps import AppConfig


class WorklogsConfig(AppConfig):
    name = "tuijin.worklogs"
    verbose_name = "工作日志"
