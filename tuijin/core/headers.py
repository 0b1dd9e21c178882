"""The Permissions-Policy header: every feature in settings.PERMISSIONS_POLICY off by default,
switched on per view with @permissions_policy (docs/security.md, "Headers").

Our own middleware rather than django-permissions-policy: that one writes one header for the
whole site, and the 督办 verification form alone needs geolocation.
"""

from functools import wraps

from django.conf import settings


def header_value(policy: dict[str, list[str]]) -> str:
    """{"geolocation": ["self"], "camera": []} → 'camera=(), geolocation=(self)'."""
    return ", ".join(
        f"{feature}=({' '.join(origins)})" for feature, origins in sorted(policy.items())
    )


def permissions_policy(**features: list[str]):
    """Allow features on one view's responses: @permissions_policy(geolocation=["self"]).
    Feature names with a hyphen are written with an underscore (display_capture)."""
    allowed = {name.replace("_", "-"): origins for name, origins in features.items()}

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response.permissions_policy = allowed
            return response

        return wrapped

    return decorator


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = {**settings.PERMISSIONS_POLICY, **getattr(response, "permissions_policy", {})}
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = header_value(policy)
        return response
