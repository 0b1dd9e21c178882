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
