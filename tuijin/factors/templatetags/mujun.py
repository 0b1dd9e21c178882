"""``{% mujun_result enterprise %}``: the enterprise's latest 亩均 class and score, with a link to
its evaluation (E14 item 8), for the projects app's enterprise page.

The projects app sits below factors and must not import it: its template loads this library
instead (``{% load mujun %}``). Nothing is shown to a reader who may not see factors
(``factors.access.sees_factors``) or whose parks hold no result for the enterprise
(``EnterpriseResult.objects.visible_to``: the evaluation page's rule). One query.
"""

from django import template

from tuijin.factors.access import sees_factors
from tuijin.factors.models import EnterpriseResult

register = template.Library()


def latest_result(user, enterprise):
    """The enterprise's result of the latest computed year the user may see, or None."""
    if user is None or not sees_factors(user):
        return None
    return (
        EnterpriseResult.objects.visible_to(user)
        .filter(enterprise=enterprise, evaluation__computed_at__isnull=False)
        .select_related("evaluation")
        .order_by("-evaluation__year", "-pk")
        .first()
    )


@register.inclusion_tag("factors/_mujun_result.html", takes_context=True)
def mujun_result(context, enterprise):
    request = context.get("request")
    return {"result": latest_result(getattr(request, "user", None), enterprise)}
