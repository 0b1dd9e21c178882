from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.validators import URLValidator
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tuijin.core import deadlines
from tuijin.notify import robots
from tuijin.notify.models import Delivery, Notification, Preference, Rule, UnitRobot


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    """通知规则: who hears of which event, on which channels. Rules are data, not code."""

    list_display = ["event", "audience", "channels", "is_active"]
    list_filter = ["event", "audience", "is_active"]
    list_editable = ["is_active"]


class UnitRobotForm(forms.ModelForm):
    """The key and the secret are never sent back to the browser: after saving they show as
    ``****abcd`` and an empty box keeps them (typing a new value replaces them)."""

    webhook_url = forms.CharField(
        label="Webhook 地址",
        max_length=500,
        required=False,
        widget=forms.TextInput,
        error_messages={"required": "请填写 Webhook 地址"},
    )
    secret = forms.CharField(label="加签密钥", max_length=200, required=False)
    clear_secret = forms.BooleanField(label="清除加签密钥", required=False)

    class Meta:
        model = UnitRobot
        fields = ["unit", "kind", "webhook_url", "secret", "rate_per_minute", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["webhook_url"] = self.initial["secret"] = ""  # never echo the key
        robot = self.instance
        self.fields["webhook_url"].required = not robot.pk  # a new robot needs its address
        if robot.pk:
            self.fields["webhook_url"].help_text = f"已保存:{robot.webhook_hint}。留空则不修改。"
            self.fields["secret"].help_text = (
                f"已保存:{robot.secret_hint}。留空则不修改。" if robot.secret_hint else "未设置"
            )

    def clean_webhook_url(self):
        value = self.cleaned_data["webhook_url"].strip()
        if not value:
            if self.instance.pk:
                return self.instance.webhook_url
            raise forms.ValidationError("请填写 Webhook 地址")
        URLValidator(message="请输入正确的 Webhook 地址")(value)
        return value

    def clean(self):
        data = super().clean()
        if data.get("clear_secret"):
            data["secret"] = ""
        elif not data.get("secret") and self.instance.pk:
            data["secret"] = self.instance.secret
        return data


@admin.register(UnitRobot)
class UnitRobotAdmin(admin.ModelAdmin):
    """单位群机器人: keys masked, a broken mark with its reason, and 发送测试消息."""

    form = UnitRobotForm
    list_display = ["unit", "kind", "webhook_hint", "secret_hint", "is_active", "health"]
    list_filter = ["kind", "is_active"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["webhook_hint", "secret_hint", "credentials_changed_at", "health"]
    change_form_template = "admin/notify/unitrobot/change_form.html"
    view_on_site = False  # its "site" page is this very form

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None:  # nothing saved yet: no masks, no state, no secret to clear
            hidden = {*self.readonly_fields, "clear_secret"}
            fields = [f for f in fields if f not in hidden]
        return fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    @admin.display(description="状态")
    def health(self, robot):
        if robot.broken_at:
            return f"已失效:{robot.broken_reason}"
        return "正常"

    def get_urls(self):
        send_test = self.admin_site.admin_view(require_POST(self.send_test_view))
        return [
            path("<int:pk>/test/", send_test, name="notify_unitrobot_test"),
            *super().get_urls(),
        ]

    def send_test_view(self, request, pk):
        """发送测试消息: POST only (CSRF-checked by the admin view), for who may change robots."""
        robot = get_object_or_404(UnitRobot, pk=pk)
        if not self.has_change_permission(request, robot):
            raise PermissionDenied
        sent, text = robots.send_test_message(robot)
        self.message_user(request, text, messages.SUCCESS if sent else messages.ERROR)
        return redirect("admin:notify_unitrobot_change", pk)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log: what was sent, to whom, on which channel, and how it went."""

    list_display = [
        "created_at",
        "event",
        "channel",
        "recipient",
        "robot",
        "title_as_read",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["status", "channel", "event"]
    search_fields = ["title", "key", "recipient__username", "last_error"]
    # Title and body as the reader gets them: deadline markers (⟪期限:…⟫) put into words.
    readonly_fields = fields = [
        {"title": "title_as_read", "body": "body_as_read"}.get(f.name, f.name)
        for f in Delivery._meta.fields
    ]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("标题"))
    def title_as_read(self, message):
        return deadlines.render(message.title)

    @admin.display(description=_("内容"))
    def body_as_read(self, message):
        return deadlines.render(message.body)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "event", "title_as_read", "read_at"]

    @admin.display(description=_("标题"))
    def title_as_read(self, message):
        return deadlines.render(message.title)

    list_filter = ["event"]
    search_fields = ["title", "recipient__username"]


admin.site.register(Preference)
