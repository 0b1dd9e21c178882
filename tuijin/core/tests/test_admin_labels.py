"""Labels and admin (L11 part 12): the lists an admin keeps are in the admin under Chinese
names, the rules (django-constance) have names and help in the reader's language, and the
language menu names each language in itself."""

import re

from django.conf import settings
from django.urls import reverse


def test_the_admin_lists_holidays_categories_meetings_and_rules_in_chinese(admin_client_):
    index = admin_client_.get(reverse("admin:index")).content.decode()
    for name in ("节假日调整", "问题类别", "会议", "通知规则", "规则与阈值"):
        assert name in index, name
    for url in (
        "admin:supervision_holidayoverride_changelist",
        "admin:supervision_problemcategory_changelist",
        "admin:meetings_meeting_changelist",
        "admin:notify_rule_changelist",
    ):
        assert admin_client_.get(reverse(url)).status_code == 200, url


def test_the_rules_have_chinese_names_and_english_ones(admin_client_):
    url = reverse("admin:constance_config_changelist")
    page = admin_client_.get(url).content.decode()
    assert "填报期限(天)" in page and "REPORT_DUE_DAYS" in page
    assert "周期结束后几天内应完成填报,超过即为迟报" in page
    admin_client_.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = admin_client_.get(url).content.decode()
    assert "Report due (days)" in page
    assert "Days after a period ends within which the report is due" in page


def test_the_language_menu_names_each_language_in_itself(admin_client_):
    for language in ("zh-hans", "en"):
        admin_client_.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        html = admin_client_.get(reverse("home")).content.decode()
        options = dict(
            re.findall(r'<option value="([\w-]+)" lang="\1"[^>]*>([^<]+)</option>', html)
        )
        assert options == {"zh-hans": "简体中文", "en": "English"}, options
