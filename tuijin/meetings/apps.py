from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "tuijin.meetings"
    verbose_name = "会议调度"
