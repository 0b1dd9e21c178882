"""django-constance under the name its users know: 规则与阈值 (L11 part 12). INSTALLED_APPS names
this config instead of "constance"; everything else is constance's own."""

from constance.apps import ConstanceConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(ConstanceConfig):
    verbose_name = _("规则与阈值")
