from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "tuijin.investment"
    verbose_name = "招商项目库"

    def ready(self):
        from tuijin.core.files import register_stored_file
        from tuijin.core.templatetags.tuijin import ACTION_LABELS
        from tuijin.investment.models import StageChange

        register_stored_file(StageChange, "evidence", "original_name")
        # The event of this app's messages, named in the bell and the notification settings.
        from tuijin.investment.services import CLOCK_EVENT
        from tuijin.notify.events import register_event

        register_event(CLOCK_EVENT, _("招商项目时限超期"))
        # The verbs of this app on the history tab (kept here, not in core's list).
        ACTION_LABELS.update(
            {
                "create_lead": _("登记线索"),
                "update_lead": _("编辑招商项目"),
                "move_stage": _("变更阶段"),
                "follow_up": _("跟进记录"),
                "record_funds": _("登记资金到位"),
                "start_notice": _("下达限期开工通知"),
                "check_clocks": _("时限检查"),
                "clock_to_item": _("转督办"),
                "clock_rules": _("修改时限规则"),
                "create_cycle": _("发起年度谋划"),
                "advance_cycle": _("推进谋划年度"),
                "add_planned": _("申报谋划项目"),
                "update_planned": _("编辑谋划项目"),
                "planned_update": _("季度更新"),
                "link_planned": _("关联招商项目"),
                "create_project_from_lead": _("由招商项目开工新建项目"),
            }
        )
