"""System checks that refuse to run a production server configured wrong."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=False)
def secret_key_is_named(app_configs, **kwargs):
    # A key generated per server breaks sessions and CSRF across app servers behind nginx.
    if settings.DEBUG or getattr(settings, "TESTING", False):
        return []
    if getattr(settings, "SECRET_KEY_FROM_ENV", None):
        return []
    return [
        Error(
            "DEBUG 关闭时必须设置 SECRET_KEY 或 SECRET_KEY_FILE(各应用服务器使用同一密钥)。",
            hint="生产环境:SECRET_KEY_FILE=/etc/tuijin/secret_key;本机演示由 make run 自动生成 var/secret_key。",
            id="tuijin.E001",
        )
    ]
