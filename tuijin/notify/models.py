"""Notifications: rules (who hears of what, how), unit robots, preferences, deliveries."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.core import deadlines
from tuijin.core.audit import AuditedModel
from tuijin.core.versions import VersionedModel
from tuijin.notify.events import URGENT_EVENTS, event_choices, register_event  # noqa: F401
from tuijin.org.access import sees_everything, visible_units
from tuijin.org.models import Unit


class Event(models.TextChoices):
    ITEM_ASSIGNED = "item_assigned", _("督办交办")
    ITEM_ACCEPTED = "item_accepted", _("督办签收")
    ITEM_DUE_SOON = "item_due_soon", _("督办临期")
    ITEM_DUE_TODAY = "item_due_today", _("督办今天到期")
    ITEM_OVERDUE = "item_overdue", _("督办超期(每日)")
    ITEM_ESCALATED = "item_escalated", _("督办超期升级至单位负责人")
    ITEM_ESCALATED_LEADER = "item_escalated_leader", _("督办超期升级至领导")
    ITEM_FELL_OVERDUE = "item_fell_overdue", _("督办已超期(告知交办人,一次)")
    ITEM_URGED = "item_urged", _("督办催办")
    ITEM_RETURNED = "item_returned", _("督办退回")
    EXTENSION_REQUESTED = "extension_requested", _("延期申请待审批")
    EXTENSION_DECIDED = "extension_decided", _("延期审批结果")
    ITEM_VERIFIED = "item_verified", _("督办核查结果")
    ITEM_UNTRUE = "item_untrue", _("督办核查不属实")
    PROBLEM_ESCALATED = "problem_escalated", _("问题升级")
    WEEKLY_DIGEST = "weekly_digest", _("每周摘要")
    WORKLOG_MISSING = "worklog_missing", _("周末日志未提交提醒")
    WORKLOG_COMMENTED = "worklog_commented", _("日志被批阅")
    ROBOT_BROKEN = "robot_broken", _("群机器人失效")
    AUDIT_ANCHOR = "audit_anchor", _("审计链锚点")


# Overdue alerts are sent even in a user's quiet hours. Notify's own events are registered as
# they are; the other apps register theirs in their AppConfig.ready() (tuijin.notify.events).
_URGENT = {
    Event.ITEM_OVERDUE,
    Event.ITEM_FELL_OVERDUE,
    Event.ITEM_ESCALATED,
    Event.ITEM_ESCALATED_LEADER,
}
for _event in Event:
    register_event(_event.value, _event.label, urgent=_event in _URGENT)


class Channel(models.TextChoices):
    IN_APP = "inapp", _("站内")
    EMAIL = "email", _("邮件")
    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")


PERSONAL_CHANNELS = {Channel.IN_APP, Channel.EMAIL}
ROBOT_CHANNELS = {Channel.WECOM, Channel.DINGTALK}


class Audience(models.TextChoices):
    """Who a rule reaches. The unit-based ones are resolved by notify from the message's
    unit; the others are the people the publishing app names (``publish(people=...)``)."""

    LEAD_UNIT = "lead_unit", _("牵头单位人员")
    LEAD_UNIT_HEAD = "lead_unit_head", _("牵头单位负责人")
    RESPONSIBLE = "responsible", _("责任人")
    ASSIGNER = "assigner", _("交办人")
    PROJECT_LEADERS = "project_leaders", _("项目包保领导")
    REQUESTER = "requester", _("申请人")
    ZONE_LEADERS = "zone_leaders", _("区领导")
    SUPERVISORS = "supervisors", _("督查人员")
    INSPECTORS = "inspectors", _("纪检监察人员")
    PERSON = "person", _("本人(日志作者)")


class RuleQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.all() if sees_everything(user) else self.none()

    def editable_by(self, user):
        return self.none()  # edited in the admin site only


class Rule(AuditedModel):
    """通知规则: an event reaches an audience through channels. Admins edit these (audited)."""

    event = models.CharField(_("事件"), max_length=30, choices=event_choices)
    audience = models.CharField(_("接收对象"), max_length=30, choices=Audience.choices)
    channels = models.JSONField(
        _("渠道"), default=list, help_text=_("inapp、email、wecom、dingtalk 中的若干项")
    )
    is_active = models.BooleanField(_("启用"), default=True)

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知规则")
        verbose_name_plural = _("通知规则")
        ordering = ["event", "audience"]
        constraints = [
            models.UniqueConstraint(fields=["event", "audience"], name="rule_event_audience")
        ]

    def __str__(self):
        return f"{self.get_event_display()} → {self.get_audience_display()}"

    @classmethod
    def ensure_defaults(cls) -> None:
        from tuijin.notify.defaults import RULES

        for event, audience, channels in RULES:
            cls.objects.get_or_create(
                event=event, audience=audience, defaults={"channels": channels}
            )


def mask(value: str) -> str:
    """A key or secret as shown after saving: ``****abcd`` (its last four characters)."""
    return f"****{value[-4:]}" if value else ""


class UnitRobotQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(unit__in=visible_units(user))

    def editable_by(self, user):
        # Robots (their keys) are configured in the admin site only.
        return self.visible_to(user) if sees_everything(user) else self.none()


class UnitRobot(AuditedModel):
    """A unit's group robot (企业微信 / 钉钉): where messages for the unit are posted.

    The webhook (which holds the key) and the signing secret never reach the audit trail or
    a page: their masked forms (``****abcd``) are kept beside them and audited instead, with
    the time they last changed. ``broken_at`` is set when the robot answers that its key,
    address or signature is wrong; nothing is sent to it until an admin saves a new key.
    """

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="robots", verbose_name=_("单位"))
    kind = models.CharField(
        _("类型"),
        max_length=10,
        choices=[
            (Channel.WECOM.value, Channel.WECOM.label),
            (Channel.DINGTALK.value, Channel.DINGTALK.label),
        ],
    )
    webhook_url = models.URLField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(
        _("加签密钥"),
        max_length=200,
        blank=True,
        help_text=_("钉钉机器人“加签”安全设置的密钥(SEC 开头)"),
    )
    webhook_hint = models.CharField(_("Webhook(掩码)"), max_length=10, blank=True, editable=False)
    secret_hint = models.CharField(_("加签密钥(掩码)"), max_length=10, blank=True, editable=False)
    credentials_changed_at = models.DateTimeField(
        _("密钥修改时间"), null=True, blank=True, editable=False
    )
    rate_per_minute = models.PositiveSmallIntegerField(
        _("每分钟最多发送条数"),
        null=True,
        blank=True,
        help_text=_("留空使用默认值(企业微信、钉钉群机器人均为每分钟 20 条)"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    broken_at = models.DateTimeField(_("失效时间"), null=True, blank=True, editable=False)
    broken_reason = models.TextField(_("失效原因"), blank=True, editable=False)

    objects = UnitRobotQuerySet.as_manager()

    # The raw key and secret never reach audit events: they are recorded masked (``****abcd``),
    # beside the masks and change time kept on the row.
    audit_secret = ("webhook_url", "secret")

    class Meta:
        verbose_name = _("单位群机器人")
        verbose_name_plural = _("单位群机器人")
        ordering = ["unit__path", "kind"]

    def __str__(self):
        return f"{self.unit} · {self.get_kind_display()}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("admin:notify_unitrobot_change", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._credentials = (
            instance.__dict__.get("webhook_url"),
            instance.__dict__.get("secret"),
        )
        return instance

    def save(self, *args, **kwargs):
        credentials = (self.webhook_url, self.secret)
        if credentials != getattr(self, "_credentials", None):
            self.webhook_hint, self.secret_hint = mask(self.webhook_url), mask(self.secret)
            self.credentials_changed_at = timezone.now()
            # A new key is worth trying again.
            self.broken_at, self.broken_reason = None, ""
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {
                    *kwargs["update_fields"],
                    "webhook_hint",
                    "secret_hint",
                    "credentials_changed_at",
                    "broken_at",
                    "broken_reason",
                }
        super().save(*args, **kwargs)
        self._credentials = credentials

    @property
    def rate(self) -> int:
        """Messages this robot accepts per minute."""
        return self.rate_per_minute or getattr(settings, "NOTIFY_ROBOT_RATE_PER_MINUTE", 20)


class RobotBucket(models.Model):
    """A robot's send budget, shared by every worker and process through the database.

    A token bucket of ``robot.rate`` tokens where each token comes back one minute after it
    was spent (``sent`` holds those times), so no minute ever sees more sends than the robot
    accepts; ``blocked_until`` is set when the robot answered "too fast" anyway.
    """

    robot = models.OneToOneField(UnitRobot, models.CASCADE, primary_key=True, related_name="bucket")
    sent = models.JSONField(default=list)  # POSIX times of the sends of the last minute
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("群机器人发送配额")
        verbose_name_plural = _("群机器人发送配额")

    def __str__(self):
        return str(self.robot)


class PreferenceQuerySet(models.QuerySet):
    """Each user's own settings; the zone-wide roles may read anyone's (and their history)."""

    def visible_to(self, user):
        return self.all() if sees_everything(user) else self.filter(user_id=user.pk)

    def editable_by(self, user):
        return self.filter(user_id=user.pk)


class Preference(VersionedModel, AuditedModel):
    """个人通知设置: which events, which personal channels, quiet hours (audited)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notify_preference"
    )
    muted_events = models.JSONField(_("不接收的事件"), default=list, blank=True)
    email = models.BooleanField(_("接收邮件"), default=True)
    quiet_start = models.TimeField(_("免打扰开始"), null=True, blank=True)
    quiet_end = models.TimeField(_("免打扰结束"), null=True, blank=True)

    objects = PreferenceQuerySet.as_manager()

    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self):
        return str(self.user)


class Notification(models.Model):
    """An in-app notification (站内通知): the bell."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("事件"), max_length=30, choices=event_choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return deadlines.render(self.title)

    @property
    def heading(self) -> str:
        """The title as of now (a deadline in it is put into words when shown)."""
        return deadlines.render(self.title)

    @property
    def text(self) -> str:
        """The body as of now: "剩余2天" on the day it is read, not the day it was sent."""
        return deadlines.render(self.body)


class Delivery(models.Model):
    """One message to one recipient (or robot) on one channel: the delivery log.

    ``key`` makes sending idempotent: one reminder per item, threshold and recipient, however
    often the periodic task runs or however many workers run it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("失败待重试")
        GAVE_UP = "gave_up", _("已放弃")
        SKIPPED = "skipped", _("已跳过")

    key = models.CharField(max_length=200, unique=True)
    event = models.CharField(_("事件"), max_length=30, choices=event_choices)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("接收人"),
    )
    robot = models.ForeignKey(
        UnitRobot,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("群机器人"),
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    mentions = models.JSONField(_("@手机号"), default=list, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("错误"), blank=True)
    claimed_at = models.DateTimeField(_("开始发送"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.title}"
