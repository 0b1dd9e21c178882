from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RuralConfig(AppConfig):
    name = "tuijin.rural"
    verbose_name = "乡村联农"

    def ready(self):
        from tuijin.core.templatetags.tuijin import ACTION_LABELS
        from tuijin.notify.events import register_event
        from tuijin.rural.notifications import EVENT

        # The event of this app's messages, named in the bell and the notification settings.
        register_event(EVENT, _("联农协议逾期付款"))

        # The verbs of this app on the history tab (kept here, not in core's list).
        ACTION_LABELS.update(
            {
                "create_company": _("成立村级公司"),
                "add_shareholder": _("添加股东"),
                "add_household": _("添加联结农户"),
                "create_park": _("建立飞地园区"),
                "add_tenant": _("登记入驻企业"),
                "add_share": _("登记收益分成"),
                "create_agreement": _("签订联农协议"),
                "update_agreement": _("修改协议"),
                "record_delivery": _("登记交售"),
                "add_payment": _("登记付款"),
                "record_payment": _("登记已付款"),
                "late_payment_alert": _("逾期付款提醒"),
                "save_income": _("录入村集体收入"),
                "update_company": _("修改公司信息"),
                "update_park": _("修改园区信息"),
                "update_shareholder": _("修改股东"),
                "update_household": _("修改联结农户"),
                "update_tenant": _("修改入驻企业"),
                "update_share": _("修改收益分成"),
                "remove_shareholder": _("删除股东"),
                "remove_household": _("删除联结农户"),
                "remove_tenant": _("删除入驻企业"),
                "remove_share": _("删除收益分成"),
            }
        )
