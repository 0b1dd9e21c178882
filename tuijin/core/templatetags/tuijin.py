"""Formatting filters used across templates (loaded as a builtin)."""

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

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
    """The history (audit) tab of a record page."""
    events = list(audit.history_for(instance)[:200])
    fields = {f.attname: f for f in instance._meta.concrete_fields}
    fields |= {f.name: f for f in instance._meta.many_to_many}
    for event in events:
        event.rows = [
            (
                str(fields[name].verbose_name) if name in fields else name,
                readable(fields.get(name), change),
            )
            for name, change in sorted(event.changes.items())
        ]
    return {"events": events}


def readable(field, change):
    """Choice values as their labels (状态: 交办 → 签收, not assigned → accepted)."""
    choices = dict(field.flatchoices) if field is not None and field.choices else None
    if not choices or not isinstance(change, list):
        return change
    return [choices.get(value, value) for value in change]


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
