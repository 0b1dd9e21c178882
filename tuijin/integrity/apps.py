from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    name = "tuijin.integrity"
    verbose_name = "廉政"

    def ready(self):
        from tuijin.core.files import register_stored_file
        from tuijin.core.templatetags.tuijin import ACTION_LABELS
        from tuijin.integrity.models import Talk

        register_stored_file(Talk, "commitment", "commitment_name")
        # The verbs of this app on the history tab (kept here, not in core's list).
        ACTION_LABELS.update(
            {
                "read": _("查阅"),
                "add_risk_point": _("登记廉政风险点"),
                "update_risk_point": _("修改廉政风险点"),
                "plan_talk": _("安排廉政谈话"),
                "open_due_talk": _("按流程提示谈话"),
                "record_talk": _("记录廉政谈话"),
                "record_interference": _("登记插手干预"),
                "ask_nil_reports": _("发起零报告"),
                "submit_nil_report": _("报送零报告"),
            }
        )
