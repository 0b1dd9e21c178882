"""Formatting filters used across templates (loaded as a builtin)."""

import datetime as dt
from decimal import Decimal

from django import template
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuijin.core import audit, formats
from tuijin.core.models import AuditEvent

register = template.Library()


@register.filter(name="cn_date")
def date_in_language(value) -> str:
    """2026年11月29日 (29 Nov 2026 in English); datetimes in local time with hours and minutes."""
    return formats.day(value)


def cn_date(value) -> str:
    """2026年11月29日 whatever the reader's language: for Chinese text that is stored or sent
    (timeline lines, messages). A page's dates use the ``cn_date`` filter (the reader's)."""
    with translation.override("zh-hans"):
        return formats.day(value)


@register.simple_tag
def today() -> str:
    """Today's date in the reader's language (2026年11月29日 / 29 Nov 2026)."""
    return formats.day(timezone.localdate())


@register.filter
def month_day(value) -> str:
    """11月29日 (29 Nov in English)."""
    return formats.month_day(value)


@register.filter
def weekday(value) -> str:
    """周六 (Sat in English)."""
    return formats.weekday(value)


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
            if not internal(fields.get(name))
        ]
    return {"events": events}


def internal(field) -> bool:
    """Columns a person has no use for on the history tab: the row's id, stored file names
    (random; the original name is its own column) and columns the model left without a label
    (hashes, a recurring meeting's ``slot`` key). Foreign keys without a label are shown under
    their model's name (``field_label``)."""
    if field is None:
        return False
    if field.primary_key or isinstance(field, models.FileField):
        return True
    return not field.is_relation and str(field.verbose_name) == field.name.replace("_", " ")


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
    # 月度考核 (assessment)
    "save_scheme": gettext_lazy("修改考核方案"),
    "open_period": gettext_lazy("开启考核月份"),
    "compute": gettext_lazy("计算考核得分"),
    "add_adjustment": gettext_lazy("录入加减分"),
    "remove_adjustment": gettext_lazy("撤销加减分"),
    "veto": gettext_lazy("一票否决"),
    "remove_veto": gettext_lazy("撤销一票否决"),
    "rate": gettext_lazy("分管领导评分"),
    "record_instruction": gettext_lazy("录入领导批示"),
    "start_publicity": gettext_lazy("开始公示"),
    "file_appeal": gettext_lazy("提出申诉"),
    "decide_appeal": gettext_lazy("处理申诉"),
    "publish": gettext_lazy("发布考核结果"),
    "correct": gettext_lazy("更正已发布结果"),
    # 观摩拉练 (parkreview)
    "create_review": gettext_lazy("新建观摩拉练"),
    "update_review": gettext_lazy("修改观摩拉练"),
    "propose_route": gettext_lazy("按规则推荐观摩点"),
    "save_route": gettext_lazy("调整观摩路线"),
    "confirm_route": gettext_lazy("确认观摩路线"),
    "submit_scores": gettext_lazy("提交评分"),
    "publish_review": gettext_lazy("发布观摩排名"),
    "record_pledge": gettext_lazy("记录表态发言"),
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
        gone = {str(pk) for pk in pks} - {pk for m, pk in names if m is model}
        if gone:  # deleted since: the name its last event knew it by
            for object_id, name in (
                AuditEvent.objects.filter(model=model._meta.label_lower, object_id__in=gone)
                .order_by("id")
                .values_list("object_id", "object_repr")
            ):
                names[(model, object_id)] = name
    return names


def field_label(field) -> str:
    """A field's label; a foreign key left with Django's default name ("project") is called
    by its model's name (项目)."""
    label = str(field.verbose_name)
    if field.is_relation and label == field.name.replace("_", " "):
        return str(field.related_model._meta.verbose_name)
    return label


def plain_value(field, value):
    """Stored JSON as people read it: times in the zone's time zone to the minute and dates in
    the reader's format (2026年11月29日 14:30), booleans as 是/否, a JSON column's nested
    structure as (明细略) rather than its raw keys."""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(field, models.JSONField) and isinstance(value, dict | list):
        # A stored structure (a month's scheme, a score's facts) printed as Python's dict
        # showed raw keys (weight_duban…); its page shows it in words.
        if not value:
            return _("(无)")
        if isinstance(value, dict) or any(isinstance(v, dict | list) for v in value):
            return _("(明细略)")
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if isinstance(field, models.DateTimeField):
            return formats.day(moment) if timezone.is_aware(moment) else value
        return formats.day(moment.date())
    return value


def readable(field, change, names=None):
    """Choice values as their labels (状态: 交办 → 签收, not assigned → accepted), related
    records by name (录入人: 王立新, not 41)."""
    if field is not None and field.is_relation and names is not None:

        def name(value):
            if value is None:
                return None
            return names.get((field.related_model, str(value)), _("(已删除)"))

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
    """2026年9月 (Sep 2026 in English)."""
    return formats.month(value)


@register.filter
def rule_name(key: str) -> str:
    """A rule's (django-constance setting's) name in the reader's language."""
    name = getattr(settings, "CONSTANCE_NAMES", {}).get(key)
    return _(name) if name else key


@register.simple_tag
def field_error(label, error) -> str:
    """One error line under a field, naming it: "数量:不能为负数。", in English "Quantity: must not
    be negative.". The whole line is one catalog message, so each language has its own colon
    and spacing (Django's ``label_suffix``, ":" in both, is for a label before its widget)."""
    line = _("%(label)s:%(error)s") % {
        "label": conditional_escape(label),
        "error": conditional_escape(error),
    }
    return mark_safe(line)  # both values escaped above


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


@register.simple_tag
def filter_options(field) -> str:
    """A filter select's ``<option>``s, the chosen one selected, the empty choice "全部".

    Built here rather than by a template loop: a ledger or board offers ~130 options, and the
    loop's per-option lookups and filters were a fifth of the page's rendering (B12)."""
    chosen = field.value()
    chosen = "" if chosen is None else str(chosen)
    everything = _("全部")
    html = []
    for value, label in field.field.choices:
        value = "" if value is None else str(value)
        html.append(
            format_html(
                '<option value="{}"{}>{}</option>',
                value,
                " selected" if value and value == chosen else "",
                label if value else everything,
            )
        )
    return mark_safe("".join(html))  # each option escaped by format_html
