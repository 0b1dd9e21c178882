from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "tuijin.org"
    verbose_name = "组织机构"

    def ready(self):
        from tuijin.org import accounts  # noqa: F401  (connects the login signal receivers)
