"""Formatting filters used across templates (loaded as a builtin)."""

import datetime as dt
from decimal import Decimal

from django import template
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuijin.core import audit

register = template.Library()


@register.filter
def cn_date(value) -> str:
    """2026年11月29日; datetimes in local time with hours and minutes."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def wan(value) -> str:
    """An amount in 万元 with thousands separators: 12,345.6."""
    if value in (None, ""):
        return "—"
    value = Decimal(value)
    return f"{value:,.2f}".rstrip("0").rstrip(".")


@register.filter
def days_left(deadline) -> str:
    """剩余2天 / 今天到期 / 超期3天 for a deadline date."""
    if not deadline:
        return ""
    today = timezone.localdate()
    days = (deadline - today).days
    if days > 0:
        return _("剩余%(n)s天") % {"n": days}
    if days == 0:
        return _("今天到期")
    return _("超期%(n)s天") % {"n": -days}


@register.inclusion_tag("core/_history.html")
def history_table(instance):
    """The history (audit) tab of a record page: actions in words, related records by name."""
    events = list(audit.history_for(instance)[:200])
    fields = {f.attname: f for f in instance._meta.concrete_fields}
    fields |= {f.name: f for f in instance._meta.many_to_many}
    names = related_names(fields, events)
    for event in events:
        event.action_label = ACTION_LABELS.get(event.action, event.action)
        event.rows = [
            (
                field_label(fields[name]) if name in fields else name,
                readable(fields.get(name), change, names),
            )
            for name, change in sorted(event.changes.items())
        ]
    return {"events": events}


# What the services call their verbs (audit_context actions), in the users' words.
ACTION_LABELS = {
    "load_demo": gettext_lazy("载入演示数据"),
    "create_project": gettext_lazy("新建项目"),
    "update_project": gettext_lazy("编辑项目"),
    "update_approvals": gettext_lazy("编辑前期手续与节点"),
    "update_plans": gettext_lazy("编辑年度投资计划"),
    "import_projects": gettext_lazy("导入台账"),
    "submit_report": gettext_lazy("填报进度"),
    "upload_files": gettext_lazy("上传附件"),
    "transfer": gettext_lazy("调整单位"),
    "assign": gettext_lazy("交办"),
    "accept": gettext_lazy("签收"),
    "start": gettext_lazy("开始办理"),
    "report": gettext_lazy("反馈办理情况"),
    "request_extension": gettext_lazy("申请延期"),
    "decide_extension": gettext_lazy("审批延期"),
    "urge": gettext_lazy("催办"),
    "start_verification": gettext_lazy("开始核查"),
    "verify": gettext_lazy("现场核查"),
    "return": gettext_lazy("退回"),
    "cancel": gettext_lazy("撤销"),
    "apply_holiday_calendar": gettext_lazy("按节假日安排调整期限"),
    "import_holidays": gettext_lazy("导入节假日安排"),
    "raise_problem": gettext_lazy("提出问题"),
    "升级": gettext_lazy("问题升级"),
    "解决": gettext_lazy("问题解决"),
    "上报": gettext_lazy("问题上报"),
    "create_meeting": gettext_lazy("安排会议"),
    "schedule_meeting": gettext_lazy("排定例会"),
    "save_agenda": gettext_lazy("保存议程"),
    "save_minutes": gettext_lazy("保存纪要"),
    "save_attendance": gettext_lazy("登记参会"),
    "record_decision": gettext_lazy("记录议定事项"),
    "write_log": gettext_lazy("书写日志"),
    "comment_log": gettext_lazy("批阅日志"),
    "add_to_roster": gettext_lazy("列入日志名单"),
    "remove_from_roster": gettext_lazy("移出日志名单"),
    "grant_exemption": gettext_lazy("登记请假/免报"),
    "revoke_exemption": gettext_lazy("撤销请假/免报"),
    "intake": gettext_lazy("文本录入"),
    "update_setting": gettext_lazy("修改规则与阈值"),
    "axes_reset": gettext_lazy("解除登录锁定"),
    "rekey_audit": gettext_lazy("审计链改用密钥封存"),
}


def related_names(fields, events) -> dict:
    """{(model, pk): name} for every related record the events mention, one query per model."""
    wanted: dict = {}
    for event in events:
        for name, change in event.changes.items():
            field = fields.get(name)
            if field is None or not field.is_relation:
                continue
            values = (
                [*change.get("added", []), *change.get("removed", [])]
                if isinstance(change, dict)
                else change
                if isinstance(change, list)
                else [change]
            )
            wanted.setdefault(field.related_model, set()).update(v for v in values if v is not None)
    names = {}
    for model, pks in wanted.items():
        for obj in model._default_manager.filter(pk__in=pks):
            names[(model, str(obj.pk))] = str(obj)
    return names


def field_label(field) -> str:
    """A field's label; a foreign key left with Django's default name ("project") is called
    by its model's name (项目)."""
    label = str(field.verbose_name)
    if field.is_relation and label == field.name.replace("_", " "):
        return str(field.related_model._meta.verbose_name)
    return label


def plain_value(field, value):
    """Stored JSON as people read it: times in local time to the minute, booleans as 是/否."""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return (
            timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
            if timezone.is_aware(moment)
            else value
        )
    return value


def readable(field, change, names=None):
    """Choice values as their labels (状态: 交办 → 签收, not assigned → accepted), related
    records by name (录入人: 王立新, not 41)."""
    if field is not None and field.is_relation and names:

        def name(value):
            if value is None:
                return None
            return names.get((field.related_model, str(value)), value)

        if isinstance(change, dict):
            return {k: [name(v) for v in values] for k, values in change.items()}
        return [name(v) for v in change] if isinstance(change, list) else name(change)
    choices = dict(field.flatchoices) if field is not None and field.choices else None
    if not isinstance(change, list):
        return change
    if choices:
        return [choices.get(value, value) for value in change]
    return [plain_value(field, value) for value in change]


LIGHT_WORDS = {"red": "红", "yellow": "黄", "green": "绿"}


@register.filter
def light(value, title: str = "") -> str:
    """A light as colour plus word (红 / 黄 / 绿), never colour alone."""
    if value not in LIGHT_WORDS:
        return ""
    return format_html(
        '<span class="tj-light tj-light-{}" title="{}">{}</span>',
        value,
        title,
        _(LIGHT_WORDS[value]),
    )


@register.filter
def month(value) -> str:
    """2026年9月."""
    return f"{value.year}年{value.month}月" if value else ""


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (labels by verb)."""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """This page's URL with its filters, at another page number."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.filter
def file_url(record) -> str:
    """The access-checked address of a record's uploaded file (never a public media path)."""
    return reverse("file", args=[record._meta.label_lower, record.pk])


@register.filter
def thumbnail_url(record) -> str:
    return reverse("file_thumbnail", args=[record._meta.label_lower, record.pk])
