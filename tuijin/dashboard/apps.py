from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "tuijin.dashboard"
    verbose_name = "首页与驾驶舱"
