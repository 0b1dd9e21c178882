"""/api/v1/ (the API, namespace ``api-v1``) and the tokens page (namespace ``api``)."""

from functools import wraps

from django.http import JsonResponse
from django.urls import include, path, re_path

from tuijin.api import views
from tuijin.api.api import api

app_name = "api"


def _json_405(view):
    """ninja answers a wrong method in plain text: the API's errors are JSON."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allowed = response.get("Allow", "")
            response = JsonResponse(
                {"code": "method_not_allowed", "message": "不支持该请求方法。", "errors": {}},
                status=405,
            )
            response["Allow"] = allowed
        return response

    return wrapper


def _public(patterns):
    """The API answers 401 in JSON itself (token or session): not the site's redirect to the
    login page (LoginRequiredMiddleware), which a token client could not follow."""
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _public(pattern.url_patterns)
        else:
            pattern.callback = _json_405(pattern.callback)
            pattern.callback.login_required = False
    return patterns


v1_patterns, v1_app, v1_namespace = api.urls
urlpatterns = [
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("v1/", include((_public(v1_patterns), v1_app), namespace=v1_namespace)),
    # Anything else under /api/v1/: the API's JSON 404, not the site's HTML page.
    re_path(r"^v1/", views.api_not_found),
]
