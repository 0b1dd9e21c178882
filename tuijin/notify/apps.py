from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "tuijin.notify"
    verbose_name = "通知提醒"

    def ready(self):
        from tuijin.core.chain import register_anchor_listener
        from tuijin.notify.anchors import tell_inspectors

        register_anchor_listener(tell_inspectors)
