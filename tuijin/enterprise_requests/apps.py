from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterpriseRequestsConfig(AppConfig):
    name = "tuijin.enterprise_requests"
    label = "enterprise_requests"
    verbose_name = "企业诉求"

    def ready(self):
        from tuijin.core.files import register_stored_file
        from tuijin.core.templatetags.tuijin import ACTION_LABELS
        from tuijin.enterprise_requests.models import RequestPhoto

        register_stored_file(RequestPhoto, "image", "original_name", thumbnail=True)
        # The events of this app's messages, named in the bell and the notification settings.
        from tuijin.enterprise_requests.services import ANSWERED, ASSIGNED, RAISED, REOPENED
        from tuijin.notify.events import register_event

        register_event(RAISED, _("企业提出诉求"))
        register_event(ASSIGNED, _("企业诉求交办"))
        register_event(ANSWERED, _("企业诉求已答复"))
        register_event(REOPENED, _("企业诉求重新打开"))
        # The verbs of this app on the history tab (kept here, not in core's list).
        ACTION_LABELS.update(
            {
                "request_raise": _("提出诉求"),
                "request_assign": _("交办诉求"),
                "request_accept": _("受理诉求"),
                "request_answer": _("答复诉求"),
                "request_complex": _("认定为复杂诉求"),
                "request_reopen": _("重新打开诉求"),
                "request_confirm": _("确认诉求已解决"),
                "request_rate": _("评价诉求办理"),
                "request_withdraw": _("撤回诉求"),
                "request_check": _("核查撤回诉求"),
                "request_escalate": _("诉求超期转督办"),
            }
        )
