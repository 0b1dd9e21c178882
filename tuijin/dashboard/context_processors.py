from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from tuijin.org.access import person_of, role_of

# Main navigation: (label, url name, Bootstrap icon). Modules add a line as they land.
NAVIGATION = [
    (_("首页"), "home", "house"),
    (_("项目台账"), "projects:project_list", "kanban"),
    (_("我的项目"), "projects:my_projects", "person-check"),
    (_("督办"), "supervision:item_board", "flag"),
    (_("问题"), "supervision:problem_list", "exclamation-triangle"),
    (_("会议"), "meetings:calendar", "calendar-week"),
    (_("工作日志"), "worklogs:log_list", "journal-text"),
    (_("企业"), "projects:enterprise_list", "building"),
    (_("文本录入"), "intake:start", "file-earmark-text"),
    (_("组织机构"), "org:unit_list", "diagram-3"),
]


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    items = []
    for label, name, icon in NAVIGATION:
        try:
            items.append({"label": label, "url": reverse(name), "icon": icon})
        except NoReverseMatch:
            continue
    return {"nav_items": items, "me": person_of(request.user), "my_role": role_of(request.user)}
