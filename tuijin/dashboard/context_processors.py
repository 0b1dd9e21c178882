from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from tuijin.dashboard.views_cockpit import can_see_cockpit
from tuijin.dashboard.weekly import can_read_reports
from tuijin.enterprise_requests.permissions import sees_requests
from tuijin.factors.access import sees_factors
from tuijin.intake.permissions import can_use_intake
from tuijin.integrity.permissions import can_read_integrity, sees_only_own_integrity
from tuijin.org.access import person_of, role_of
from tuijin.org.models import Role


def works_in_units(user) -> bool:
    """Everyone but enterprise liaisons (who see no 督办 item, meeting, work log or unit:
    their pages would be empty) and accounts with no person record (but admins)."""
    role = role_of(user)
    return role is not None and role != Role.LIAISON


def anyone(user) -> bool:
    return True


# Main navigation: groups of (label, url name, Bootstrap icon, who sees it). An entry is shown
# only to those whose pages there are not empty and never answer 403 (tests/test_counts.py
# follows every entry as every persona). A group with two or more entries a user sees is a
# dropdown under the group's label; with one, that entry stands alone (a liaison's 问题).
# Modules add a line to their group as they land; a new group only when none fits (the menu
# must fit one line at 1366 px in both languages).
NAVIGATION = [
    (None, [(_("首页"), "home", "house", anyone)]),
    (
        (_("驾驶舱"), "speedometer2"),
        [
            (_("驾驶舱"), "cockpit:index", "speedometer2", can_see_cockpit),
            (_("周调度通报"), "places:weekly_list", "file-earmark-richtext", can_read_reports),
        ],
    ),
    (
        (_("项目"), "kanban"),
        [
            (_("项目台账"), "projects:project_list", "kanban", anyone),
            (_("我的项目"), "projects:my_projects", "person-check", anyone),
            (_("企业"), "projects:enterprise_list", "building", anyone),
            (_("企业诉求"), "enterprise_requests:request_list", "chat-square-text", sees_requests),
            (_("文本录入"), "intake:start", "file-earmark-text", can_use_intake),
        ],
    ),
    (
        (_("督办"), "flag"),
        [
            (_("督办"), "supervision:item_board", "flag", works_in_units),
            (_("问题"), "supervision:problem_list", "exclamation-triangle", anyone),
        ],
    ),
    (
        (_("会议"), "calendar-week"),
        [
            (_("会议"), "meetings:calendar", "calendar-week", works_in_units),
            (_("工作日志"), "worklogs:log_list", "journal-text", works_in_units),
        ],
    ),
    (
        (_("考核"), "bar-chart-line"),
        [
            (_("月度考核"), "assessment:index", "bar-chart-line", works_in_units),
            (_("观摩拉练"), "parkreview:review_list", "trophy", works_in_units),
        ],
    ),
    (
        (_("招商"), "briefcase"),
        [
            (_("招商"), "investment:lead_list", "briefcase", works_in_units),
            (_("要素保障"), "factors:sheet", "boxes", sees_factors),
            (_("联农带农"), "rural:index", "people", works_in_units),
        ],
    ),
    (
        None,
        [
            (_("廉政"), "integrity:board", "shield-check", can_read_integrity),
            (_("我的廉政"), "integrity:mine", "shield-check", sees_only_own_integrity),
        ],
    ),
    (None, [(_("组织机构"), "org:unit_list", "diagram-3", works_in_units)]),
]


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    groups, items = [], []
    for heading, entries in NAVIGATION:
        shown = []
        for label, name, icon, shown_to in entries:
            if not shown_to(request.user):
                continue
            try:
                shown.append({"label": label, "url": reverse(name), "icon": icon})
            except NoReverseMatch:
                continue
        items += shown
        if heading and len(shown) > 1:
            groups.append({"label": heading[0], "icon": heading[1], "entries": shown})
        else:
            groups += [{"entries": [entry], **entry} for entry in shown]
    # The page's own entry: the one whose address is the longest start of the page's (督办 at
    # /supervision/items/…, 问题 at /supervision/problems/…; 首页 only at /); its group too.
    matching = [
        item
        for item in items
        if request.path == item["url"]
        or (item["url"] != "/" and request.path.startswith(item["url"]))
    ]
    if matching:
        current = max(matching, key=lambda item: len(item["url"]))
        current["current"] = True
        for group in groups:
            group["current"] = any(entry is current for entry in group["entries"])
    return {
        "nav_groups": groups,
        "nav_items": items,
        "me": person_of(request.user),
        "my_role": role_of(request.user),
    }
