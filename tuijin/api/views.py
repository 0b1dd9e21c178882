"""The tokens page: a user makes and revokes their own API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuijin.api import services
from tuijin.api.forms import TokenForm
from tuijin.api.models import AccessToken
from tuijin.core.access import get_for_user


@login_not_required
def api_not_found(request):
    return JsonResponse(
        {"code": "not_found", "message": "没有这个接口地址。", "errors": {}}, status=404
    )


SESSION_KEY = "api_new_token"  # the new secret, shown on the next page view, then gone


def token_list(request):
    form = TokenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _token, secret = services.create_token(
            request.user, name=data["name"], scope=data["scope"], days=data["days"]
        )
        request.session[SESSION_KEY] = secret
        return redirect("api:tokens")
    tokens = AccessToken.objects.visible_to(request.user).filter(user=request.user)
    context = {
        "form": form,
        "tokens": tokens,
        "secret": request.session.pop(SESSION_KEY, None),
    }
    return render(request, "api/tokens.html", context, status=400 if form.errors else 200)


@require_POST
def token_revoke(request, pk):
    token = get_for_user(request.user, AccessToken, write=True, pk=pk)
    services.revoke_token(request.user, token.pk)
    messages.success(request, _("令牌“%(name)s”已撤销,立即失效。") % {"name": token.name})
    return redirect("api:tokens")
