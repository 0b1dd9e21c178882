from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "tuijin.org"
    verbose_name = "组织机构"
