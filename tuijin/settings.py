"""Tuijin settings: every knob is an environment variable with a default that just works.

With nothing set, Tuijin runs on SQLite in ``var/`` with the task queue on SQLite too.
``DATABASE_URL`` switches to PostgreSQL and ``REDIS_URL`` moves the queue to Redis.
"""

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_noop

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TUIJIN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be an integer, not {value!r}") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name: str) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE (Docker/K8s secrets)."""
    if value := os.environ.get(name):
        return value
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return None


def generated_secret_key() -> str:
    """Generated once into var/ so sessions survive restarts; never committed."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


TESTING = "pytest" in sys.modules or env_bool("TUIJIN_TESTING", False)

# Production must name its key (the same on every app server); a key generated into var/ is for
# one machine only, and the system check tuijin.E001 refuses it when DEBUG is off.
SECRET_KEY_FROM_ENV = env_secret("SECRET_KEY")
SECRET_KEY = SECRET_KEY_FROM_ENV or generated_secret_key()
DEBUG = env_bool("DEBUG", False)

# The audit chain's key, never in the database (docs/development/audit.md): AUDIT_KEY or the file
# AUDIT_KEY_FILE names. Without one the key is derived from SECRET_KEY, which only development
# accepts (check tuijin.W002); with DEBUG off check tuijin.E002 refuses it. `make run` generates
# var/audit_key and names it.
AUDIT_KEY = env_secret("AUDIT_KEY")
AUDIT_HASH = os.environ.get("AUDIT_HASH", "hmac-sha256")  # or "hmac-sm3" (国密, OpenSSL's SM3)
# An event not sealed into the chain this long after it was written is reported by verify_audit.
AUDIT_SEAL_GRACE_SECONDS = env_int("AUDIT_SEAL_GRACE_SECONDS", 300)
# A commit that wrote events queues the sealer (the consumer also seals every minute). Off in
# tests, where the sealer would run inline after every commit: tests that need a sealed chain
# call tuijin.core.chain.seal_audit_chain().
AUDIT_SEAL_ON_COMMIT = env_bool("AUDIT_SEAL_ON_COMMIT", not TESTING)
# The daily anchors (date, seq, hash of the chain's head), appended outside the database. Back
# it up apart from the database. Empty: no file (the tests' default; they name their own).
AUDIT_ANCHOR_FILE = os.environ.get(
    "AUDIT_ANCHOR_FILE", "" if TESTING else str(VAR_DIR / "audit-anchors.log")
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# Served over HTTPS in production; `make run` sets HTTPS=0 for the local plain-HTTP demo.
HTTPS = env_bool("HTTPS", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# No script reads these cookies (htmx takes the CSRF token from base.html): the scanner's
# cookie-flag findings (docs/security.md, Scanner). The language cookie is Secure with the rest.
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
# Probes call gunicorn directly over plain HTTP (deploy/README): no redirect for them.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"  # our addresses (ids, filters) never leave the site
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp; docs/security.md "Headers"): scripts only from our own
# static files, no inline script, no eval; data reaches JS through json_script / data-*.
# Style attributes stay allowed (templates and ECharts' tooltips use them); <style> elements
# and stylesheets come only from us. Photos on object storage: its origin in CSP_IMG_SRC.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],  # for browsers without the two below
        "style-src-elem": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *env_list("CSP_IMG_SRC", "")],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Permissions-Policy (tuijin.core.headers): every powerful feature off; a view that needs one
# says so with @permissions_policy(geolocation=["self"]) (the 督办 verification form).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "treebeard",
    "axes",
    "huey.contrib.djhuey",
    "tuijin.core.constance_app.RulesConfig",  # django-constance, named 规则与阈值
    "csp",
    "ninja",  # django-ninja: the REST API (tuijin.api); its Swagger UI files, no CDN
    "tuijin.core",
    "tuijin.org",
    "tuijin.projects",
    "tuijin.supervision",
    "tuijin.notify",
    "tuijin.meetings",
    "tuijin.worklogs",
    "tuijin.assessment",
    "tuijin.intake",
    "tuijin.parkreview",
    "tuijin.rural",
    "tuijin.integrity",
    "tuijin.factors",
    "tuijin.investment",
    "tuijin.enterprise_requests",
    "tuijin.api",
    "tuijin.public",
    "tuijin.dashboard",
    "tuijin",  # project-level commands: load_demo, serve
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Headers on every answer, the redirects and refusals of the middleware below included.
    "csp.middleware.CSPMiddleware",
    "tuijin.core.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tuijin.core.audit.AuditActorMiddleware",
    "tuijin.org.accounts.PasswordChangeRequiredMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tuijin.urls"
WSGI_APPLICATION = "tuijin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tuijin.dashboard.context_processors.navigation",
                "tuijin.notify.context_processors.bell",
            ],
            "builtins": ["tuijin.core.templatetags.tuijin"],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL says otherwise.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "tuijin.sqlite3",
            "OPTIONS": {
                # Writers queue behind each other instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    if TESTING:  # each pytest-xdist worker its own keys, as each has its own database and queue
        CACHES["default"]["KEY_PREFIX"] = "tuijin-test" + os.environ.get("PYTEST_XDIST_WORKER", "")

# Task queue (Huey): SQLite file in var/ by default, Redis when REDIS_URL is set.
# Tests run tasks immediately unless a test asks for the real storage.
# Each pytest-xdist worker (gw0, gw1 …) gets its own queue: workers never run each other's tasks.
TEST_QUEUE = "tuijin-test" + os.environ.get("PYTEST_XDIST_WORKER", "")
HUEY = {
    "name": TEST_QUEUE if TESTING else "tuijin",
    "immediate": TESTING and not env_bool("HUEY_REAL_IN_TESTS", False),
    "utc": False,  # crontabs read in TIME_ZONE (Django sets the process TZ)
    "consumer": {"workers": env_int("HUEY_WORKERS", 2), "worker_type": "thread"},
}
if REDIS_URL:
    HUEY |= {"huey_class": "huey.RedisHuey", "url": REDIS_URL}
else:
    queue_file = f"huey-{TEST_QUEUE.removeprefix('tuijin-')}.sqlite3" if TESTING else "huey.sqlite3"
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / queue_file)}

# Passwords per 等保 2.0 level 3 (docs/development/accounts.md): length, three of four character
# classes, not the user name, not one of the last N; a password someone else set (an initial or
# admin-reset one) must be changed at first login; expiry is off unless PASSWORD_EXPIRY_DAYS > 0.
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 8)
PASSWORD_HISTORY_COUNT = env_int("PASSWORD_HISTORY_COUNT", 5)
PASSWORD_EXPIRY_DAYS = env_int("PASSWORD_EXPIRY_DAYS", 0)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "tuijin.org.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "tuijin.org.passwords.CharacterClassValidator"},
    {"NAME": "tuijin.org.passwords.UsernameValidator"},
    {"NAME": "tuijin.org.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "tuijin.org.passwords.CommonPasswordValidator"},
    {"NAME": "tuijin.org.passwords.NumericPasswordValidator"},
    # Last: it also records each new password (hashed) for the history and first-login rules.
    {"NAME": "tuijin.org.passwords.PasswordHistoryValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests hash hundreds of passwords.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after a working day of inactivity, or when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Our reverse proxies (addresses or CIDRs, e.g. "127.0.0.1,10.0.0.0/8"): only requests from them
# have X-Forwarded-For believed. Empty: REMOTE_ADDR is the client (no proxy in front).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")

# Failed-login lockout (django-axes): per user name and the client's real address, so wrong
# passwords from one place do not lock the official out everywhere.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "tuijin.core.clientip.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failed login kept, not only the lockout counter
AXES_VERBOSE = False
# Login logs and the audit trail are kept at least this long (`manage.py archive_logs`).
LOG_RETENTION_MONTHS = max(6, env_int("LOG_RETENTION_MONTHS", 6))

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads are never served from MEDIA_URL: the `file` view checks the record first
# (tuijin/core/files.py). Behind nginx it hands the bytes over with X-Accel-Redirect to an
# `internal` location (deploy/nginx/tuijin.conf): FILES_X_ACCEL_PREFIX=/_protected_media/.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
if TESTING:  # tests never write into the demo's uploads; one folder per database and worker
    MEDIA_ROOT = VAR_DIR / (
        f"test-media-{'pg' if DATABASE_URL else 'sqlite'}{os.environ.get('PYTEST_XDIST_WORKER', '')}"
    )
FILES_X_ACCEL_PREFIX = os.environ.get("FILES_X_ACCEL_PREFIX", "")
# One uploaded file at most (nginx's client_max_body_size allows a form with several).
UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", 20)
# The upload pipeline (tuijin/core/uploads.py, docs/development/uploads.md): a size limit per
# kind of field, images refused above a pixel count before they are decoded, .docx/.xlsx
# opened only within the archive limits (zip bombs), spreadsheet cells and .docx text capped.
UPLOAD_PHOTO_MAX_MB = env_int("UPLOAD_PHOTO_MAX_MB", UPLOAD_MAX_MB)
UPLOAD_DOCUMENT_MAX_MB = env_int("UPLOAD_DOCUMENT_MAX_MB", UPLOAD_MAX_MB)
UPLOAD_SPREADSHEET_MAX_MB = env_int("UPLOAD_SPREADSHEET_MAX_MB", 10)
UPLOAD_TEXT_MAX_MB = env_int("UPLOAD_TEXT_MAX_MB", 2)  # intake's .txt / .docx
UPLOAD_MAX_PIXELS = env_int("UPLOAD_MAX_PIXELS", 40_000_000)
ARCHIVE_MAX_ENTRIES = env_int("ARCHIVE_MAX_ENTRIES", 1000)
ARCHIVE_MAX_UNCOMPRESSED_MB = env_int("ARCHIVE_MAX_UNCOMPRESSED_MB", 50)
ARCHIVE_MAX_RATIO = env_int("ARCHIVE_MAX_RATIO", 100)
XLSX_MAX_CELL_CHARS = env_int("XLSX_MAX_CELL_CHARS", 32_767)  # Excel's own limit

# /healthz fails below this much free space for uploads, or without a consumer heartbeat
# (one a minute) this recent.
HEALTH_MIN_FREE_MB = env_int("HEALTH_MIN_FREE_MB", 500)
HEALTH_HEARTBEAT_SECONDS = env_int("HEALTH_HEARTBEAT_SECONDS", 180)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests and the dev server find static files without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# Rules and thresholds an admin edits in the admin site (django-constance, stored in the DB).
CONSTANCE_BACKEND = "constance.backends.database.DatabaseBackend"
CONSTANCE_ADDITIONAL_FIELDS = {
    "report_period": [
        "django.forms.fields.ChoiceField",
        {"widget": "django.forms.Select", "choices": (("month", "每月"), ("week", "每周"))},
    ],
    "light": [
        "django.forms.fields.ChoiceField",
        {
            "widget": "django.forms.Select",
            "choices": (("red", "红"), ("yellow", "黄"), ("green", "绿")),
        },
    ],
}
CONSTANCE_CONFIG = {
    "REPORT_PERIOD": ("month", gettext_noop("进度填报周期(每月或每周)"), "report_period"),
    "REPORT_DUE_DAYS": (5, gettext_noop("周期结束后几天内应完成填报,超过即为迟报"), int),
    "LIGHT_START_RED_MONTHS": (
        3,
        gettext_noop("计划开工月份已到而未开工:延迟达到几个月亮红灯"),
        int,
    ),
    "LIGHT_INVEST_YELLOW_POINTS": (
        10,
        gettext_noop("投资完成落后序时进度达到几个百分点亮黄灯"),
        int,
    ),
    "LIGHT_INVEST_RED_POINTS": (30, gettext_noop("投资完成落后序时进度超过几个百分点亮红灯"), int),
    "LIGHT_MILESTONE_RED_DAYS": (30, gettext_noop("节点逾期超过几天亮红灯(逾期即亮黄灯)"), int),
    "LIGHT_STALE_PERIODS": (2, gettext_noop("连续几个填报周期未填报进度亮黄灯"), int),
    "LIGHT_SUSPENDED": ("red", gettext_noop("停缓建项目的灯色"), "light"),
    "VERIFY_FAR_METERS": (
        1000,
        gettext_noop("现场核查位置距项目超过多少米即标记为“远离现场”"),
        int,
    ),
    "ESCALATE_AFTER_DAYS": (
        3,
        gettext_noop("督办超期几天升级至牵头单位负责人(两倍天数再升级至领导)"),
        int,
    ),
    "DELIVERY_MAX_ATTEMPTS": (5, gettext_noop("通知发送失败最多重试几次"), int),
    "MEETING_WEEKS_AHEAD": (
        2,
        gettext_noop("提前几周自动安排周六现场办公会和周日云视频调度会"),
        int,
    ),
    "ONSITE_WEEKDAY": (5, gettext_noop("现场办公会在星期几(0为周一,5为周六)"), int),
    "ONSITE_HOUR": (9, gettext_noop("现场办公会开始时间(时)"), int),
    "DISPATCH_WEEKDAY": (6, gettext_noop("云视频调度会在星期几(0为周一,6为周日)"), int),
    "DISPATCH_HOUR": (19, gettext_noop("云视频调度会开始时间(时)"), int),
    "WORKLOG_GRACE_HOURS": (0, gettext_noop("周末日志在周日24时后再宽限几小时,超过即为迟交"), int),
    "WORKLOG_REMINDER_HOUR": (
        20,
        gettext_noop("周六、周日几点提醒尚未提交周末日志的干部(时)"),
        int,
    ),
    "VISIT_STALE_DAYS": (
        30,
        gettext_noop("重点企业和项目超过几天未被包保领导或责任单位走访即列出"),
        int,
    ),
    # Enterprise requests (诉求): working days from the day raised (tuijin/enterprise_requests).
    "REQUEST_ACCEPT_DAYS": (1, gettext_noop("企业诉求应在几个工作日内受理"), int),
    "REQUEST_ANSWER_DAYS": (3, gettext_noop("企业诉求应在几个工作日内答复"), int),
    "REQUEST_RESOLVE_DAYS": (15, gettext_noop("企业诉求应在几个工作日内解决"), int),
    "REQUEST_COMPLEX_DAYS": (30, gettext_noop("复杂企业诉求(须说明理由)最长几个工作日内解决"), int),
    "REQUEST_CHECK_PERCENT": (
        30,
        gettext_noop("应承办单位建议撤回的企业诉求抽查比例(%)"),
        int,
    ),
    # Open data (OC4IDS, tuijin/public/oc4ids.py): the zone's registered project-id prefix and
    # whether the internal fields go out in the namespaced extension (off: never published).
    "OC4IDS_PREFIX": (
        "",
        gettext_noop("开放数据项目编号前缀(向开放合同伙伴关系登记的 oc4ids-xxxxxx,未登记留空)"),
        str,
    ),
    "OC4IDS_INTERNAL": (
        False,
        gettext_noop(
            "开放数据附带内部字段(包保领导、督办事项、红黄绿灯、问题),以 x_tuijin 扩展发布"
        ),
        bool,
    ),
}
# The rules' names in the admin (the key stays the name in code): templates/admin/constance.
CONSTANCE_NAMES = {
    "REPORT_PERIOD": gettext_noop("填报周期"),
    "REPORT_DUE_DAYS": gettext_noop("填报期限(天)"),
    "LIGHT_START_RED_MONTHS": gettext_noop("未开工亮红灯(月)"),
    "LIGHT_INVEST_YELLOW_POINTS": gettext_noop("投资落后亮黄灯(百分点)"),
    "LIGHT_INVEST_RED_POINTS": gettext_noop("投资落后亮红灯(百分点)"),
    "LIGHT_MILESTONE_RED_DAYS": gettext_noop("节点逾期亮红灯(天)"),
    "LIGHT_STALE_PERIODS": gettext_noop("未填报亮黄灯(周期数)"),
    "LIGHT_SUSPENDED": gettext_noop("停缓建项目灯色"),
    "VERIFY_FAR_METERS": gettext_noop("远离现场距离(米)"),
    "ESCALATE_AFTER_DAYS": gettext_noop("超期升级(天)"),
    "DELIVERY_MAX_ATTEMPTS": gettext_noop("发送重试次数"),
    "MEETING_WEEKS_AHEAD": gettext_noop("提前安排例会(周)"),
    "ONSITE_WEEKDAY": gettext_noop("现场办公会星期"),
    "ONSITE_HOUR": gettext_noop("现场办公会时间(时)"),
    "DISPATCH_WEEKDAY": gettext_noop("云视频调度会星期"),
    "DISPATCH_HOUR": gettext_noop("云视频调度会时间(时)"),
    "WORKLOG_GRACE_HOURS": gettext_noop("周末日志宽限(小时)"),
    "WORKLOG_REMINDER_HOUR": gettext_noop("周末日志提醒时间(时)"),
    "VISIT_STALE_DAYS": gettext_noop("走访超期(天)"),
    "REQUEST_ACCEPT_DAYS": gettext_noop("诉求受理时限(工作日)"),
    "REQUEST_ANSWER_DAYS": gettext_noop("诉求答复时限(工作日)"),
    "REQUEST_RESOLVE_DAYS": gettext_noop("诉求解决时限(工作日)"),
    "REQUEST_COMPLEX_DAYS": gettext_noop("复杂诉求解决时限(工作日)"),
    "REQUEST_CHECK_PERCENT": gettext_noop("撤回诉求抽查比例(%)"),
    "OC4IDS_PREFIX": gettext_noop("开放数据编号前缀"),
    "OC4IDS_INTERNAL": gettext_noop("开放数据附带内部字段"),
}
CONSTANCE_CONFIG_FIELDSETS = {
    "进度填报": ("REPORT_PERIOD", "REPORT_DUE_DAYS"),
    "项目红黄绿灯": (
        "LIGHT_START_RED_MONTHS",
        "LIGHT_INVEST_YELLOW_POINTS",
        "LIGHT_INVEST_RED_POINTS",
        "LIGHT_MILESTONE_RED_DAYS",
        "LIGHT_STALE_PERIODS",
        "LIGHT_SUSPENDED",
    ),
    "督办核查": ("VERIFY_FAR_METERS",),
    "通知提醒": ("ESCALATE_AFTER_DAYS", "DELIVERY_MAX_ATTEMPTS"),
    "会议调度": (
        "MEETING_WEEKS_AHEAD",
        "ONSITE_WEEKDAY",
        "ONSITE_HOUR",
        "DISPATCH_WEEKDAY",
        "DISPATCH_HOUR",
    ),
    "工作日志与走访": ("WORKLOG_GRACE_HOURS", "WORKLOG_REMINDER_HOUR", "VISIT_STALE_DAYS"),
    "企业诉求": (
        "REQUEST_ACCEPT_DAYS",
        "REQUEST_ANSWER_DAYS",
        "REQUEST_RESOLVE_DAYS",
        "REQUEST_COMPLEX_DAYS",
        "REQUEST_CHECK_PERCENT",
    ),
    "开放数据": ("OC4IDS_PREFIX", "OC4IDS_INTERNAL"),
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tuijin@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Absolute links in e-mail and robot messages.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Group robots: WeCom and DingTalk accept 20 messages a minute per robot (a robot's own field
# overrides it); after a "too fast" answer WeCom blocks for a minute, DingTalk for ten.
NOTIFY_ROBOT_RATE_PER_MINUTE = env_int("NOTIFY_ROBOT_RATE_PER_MINUTE", 20)
NOTIFY_ROBOT_BLOCK_SECONDS = {"wecom": 60, "dingtalk": 600}
# A delivery still "sending" after this long was left by a killed worker: send it again.
NOTIFY_STUCK_SENDING_MINUTES = env_int("NOTIFY_STUCK_SENDING_MINUTES", 10)
# The cockpit (dashboard/metrics.py): figures kept at most this long (forgotten sooner on
# writes); the big screen fetches them again every so many seconds.
COCKPIT_CACHE_SECONDS = env_int("COCKPIT_CACHE_SECONDS", 300)
COCKPIT_SCREEN_REFRESH_SECONDS = env_int("COCKPIT_SCREEN_REFRESH_SECONDS", 300)
# The Monday report (dashboard/weekly.py) is built and sent on Mondays from this local time.
WEEKLY_REPORT_TIME = os.environ.get("WEEKLY_REPORT_TIME", "07:30")
# The REST API (tuijin/api): requests per token (per user for the site's own calls) in a window.
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 600)
API_RATE_WINDOW = env_int("API_RATE_WINDOW", 60)

# One line per event: ISO time with its UTC offset (Django sets the process to TIME_ZONE), level,
# logger, process. Huey's consumer adds its own handler unless "huey" has one: it gets ours, and
# does not propagate, so its lines are not printed twice. gunicorn uses the same format
# (deploy/gunicorn.conf.py).
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"
LOG_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": LOG_FORMAT, "datefmt": LOG_DATE_FORMAT}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "axes": {"level": "WARNING"},
        "huey": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
    },
}
