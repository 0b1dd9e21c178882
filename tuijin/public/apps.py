from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "tuijin.public"
    verbose_name = "公开项目"
