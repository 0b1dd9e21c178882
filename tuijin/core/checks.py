"""System checks that refuse to run a production server configured wrong."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.checks import Warning as CheckWarning


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


@register(Tags.security, deploy=False)
def audit_key_is_named(app_configs, **kwargs):
    # The chain's key must live outside the database (and outside the backups); one derived
    # from SECRET_KEY is only for a development machine.
    from tuijin.core.chain import ALGORITHMS, hash_available

    messages = []
    name = getattr(settings, "AUDIT_HASH", "hmac-sha256")
    if name not in ALGORITHMS:
        messages.append(
            Error(
                f"AUDIT_HASH={name!r} 不受支持,可选:{'、'.join(ALGORITHMS)}。",
                id="tuijin.E003",
            )
        )
    elif not hash_available(name):
        messages.append(
            Error(
                f"AUDIT_HASH={name} 需要 OpenSSL 提供 SM3,本机的 Python/OpenSSL 没有。",
                hint="使用带 SM3 的 OpenSSL(1.1.1 及以上,如 Debian 12 自带的 3.0)。",
                id="tuijin.E003",
            )
        )
    if getattr(settings, "TESTING", False) or getattr(settings, "AUDIT_KEY", None):
        return messages
    if settings.DEBUG:
        return [
            *messages,
            CheckWarning(
                "未设置 AUDIT_KEY 或 AUDIT_KEY_FILE:审计链密钥由 SECRET_KEY 派生,仅供开发使用。",
                hint="make run 自动生成 var/audit_key 并设置 AUDIT_KEY_FILE。",
                id="tuijin.W002",
            ),
        ]
    return [
        *messages,
        Error(
            "DEBUG 关闭时必须设置 AUDIT_KEY 或 AUDIT_KEY_FILE(审计链密钥,存放在数据库之外)。",
            hint="生产环境:AUDIT_KEY_FILE=/etc/tuijin/audit_key,与备份分开保管;"
            "本机演示由 make run 自动生成 var/audit_key。",
            id="tuijin.E002",
        ),
    ]
