"""The pipeline's clocks (时限), from practice, with the zone's editable defaults
(``ClockRules``):

- respond to a new lead within 1 working day (``responded_on``);
- first assessment within 3 working days, 7 for a lead of ≥ 5亿 (``assessed_on``);
- a progress report every 2 weeks while the lead is open (``last_progress_on``);
- after 签约: the company registered within 30 days, ≥ 25% of the contracted funds arrived
  within 3 months, the start within 6 months, or a 限期开工 notice, then exit.

A clock is due at the end of its due day: overdue from the next day on. Working days come
from ``supervision.workdays`` (holidays and make-up days included).
"""

import calendar as month_calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from tuijin.investment.models import ClockRules, Lead, LeadStage
from tuijin.supervision.workdays import Calendar, add_working_days, span_end

NAMES = {
    "respond": _("线索响应"),
    "assess": _("首次研判"),
    "progress": _("进展报告"),
    "register": _("公司注册"),
    "funds": _("首期资金到位"),
    "start": _("按期开工"),
    "notice": _("限期开工"),
}


@dataclass
class Clock:
    key: str
    due: dt.date
    done_on: dt.date | None
    today: dt.date

    @property
    def name(self):
        return NAMES[self.key]

    @property
    def state(self) -> str:
        """done (in time), late (done after its due day), open, overdue."""
        if self.done_on is not None:
            return "done" if self.done_on <= self.due else "late"
        return "overdue" if self.today > self.due else "open"

    @property
    def overdue(self) -> bool:
        return self.state == "overdue"

    @property
    def days_over(self) -> int:
        return (self.today - self.due).days if self.overdue else 0

    @property
    def state_label(self):
        return {
            "done": _("按时完成"),
            "late": _("逾期完成"),
            "open": _("进行中"),
            "overdue": _("已超时"),
        }[self.state]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, month_calendar.monthrange(year, month)[1])
    )


def rules_for(zone) -> ClockRules:
    """The zone's rules, or the defaults (unsaved) when none were set."""
    if zone is None:
        return ClockRules()
    return ClockRules.objects.filter(zone=zone).first() or ClockRules(zone=zone)


def working_calendar(start: dt.date, end: dt.date) -> Calendar:
    return Calendar.load(start, span_end(end, 10))


def with_overdue_clocks(leads, rules: ClockRules, today: dt.date) -> list[Lead]:
    """`leads` as a list, each with ``overdue_clocks``: its clocks overdue `today` (one
    working calendar for them all)."""
    leads = list(leads)
    if leads:
        calendar = working_calendar(min(lead.received_on for lead in leads), today)
        for lead in leads:
            lead.overdue_clocks = [
                c for c in lead_clocks(lead, rules, today, calendar) if c.overdue
            ]
    return leads


def lead_clocks(lead: Lead, rules: ClockRules, today: dt.date, calendar: Calendar | None = None):
    """The clocks that apply to a lead now, in order."""
    calendar = calendar or working_calendar(lead.received_on, lead.received_on)
    clocks = []
    ended = lead.stage == LeadStage.ENDED
    if not (ended and lead.responded_on is None and lead.assessed_on is None):
        clocks.append(
            Clock(
                "respond",
                add_working_days(lead.received_on, rules.respond_days, calendar),
                lead.responded_on,
                today,
            )
        )
        days = (
            rules.assess_days_large
            if lead.total_investment >= rules.large_investment
            else rules.assess_days
        )
        clocks.append(
            Clock(
                "assess",
                add_working_days(lead.received_on, days, calendar),
                lead.assessed_on,
                today,
            )
        )
    if lead.is_open and lead.started_on is None:
        since = max(d for d in (lead.received_on, lead.last_progress_on) if d)
        clocks.append(
            Clock("progress", since + dt.timedelta(days=rules.progress_days), None, today)
        )
    if lead.signed_on:
        signed = lead.signed_on
        register_due = signed + dt.timedelta(days=rules.register_days)
        funds_due = add_months(signed, rules.funds_months)
        start_due = add_months(signed, rules.start_months)
        for key, due, done in (
            ("register", register_due, lead.registered_on),
            ("funds", funds_due, lead.funds_quarter_on),
            ("start", start_due, lead.started_on),
        ):
            if ended and done is None:
                continue  # an ended lead's missing steps are no longer due
            clocks.append(Clock(key, due, done, today))
        if lead.start_notice_on and (lead.started_on is None or lead.started_on > start_due):
            clocks.append(
                Clock(
                    "notice",
                    lead.start_notice_on + dt.timedelta(days=rules.notice_days),
                    lead.started_on if lead.started_on else (lead.ended_on if ended else None),
                    today,
                )
            )
    return clocks
