"""Channel senders: e-mail, WeCom (企业微信) and DingTalk (钉钉) group robot webhooks.

Each ``send_*`` function delivers one message or raises :class:`DeliveryError` with a message
an administrator can read (it ends up in ``Delivery.last_error``). Nothing here touches the
database: the delivery engine decides what to send, when and how often to retry.

Robot links are made absolute with ``settings.SITE_URL``: a relative link means nothing in a
chat client.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.parse

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email

DEFAULT_SITE_URL = "http://127.0.0.1:8000"
# WeCom rejects markdown content over 4096 bytes (UTF-8).
WECOM_MARKDOWN_LIMIT = 4096
ELLIPSIS = "…"
LINK_TEXT = "查看详情"
# Robot responses are short JSON; anything longer in an error message is noise.
ERROR_TEXT_LIMIT = 200


class DeliveryError(Exception):
    """A message could not be delivered. ``str(error)`` is a Chinese, admin-readable reason.

    ``status`` is the HTTP status (if a response came back), ``errcode`` and ``errmsg`` are the
    robot's own error code and message (if it answered with one).
    """

    def __init__(self, message, *, status=None, errcode=None, errmsg=None):
        super().__init__(message)
        self.status = status
        self.errcode = errcode
        self.errmsg = errmsg


def absolute(url: str) -> str:
    """Prefix a site-relative link ("/items/1/") with ``settings.SITE_URL``."""
    if url and url.startswith("/") and not url.startswith("//"):
        site = getattr(settings, "SITE_URL", DEFAULT_SITE_URL) or DEFAULT_SITE_URL
        return site.rstrip("/") + url
    return url


def _truncate_bytes(text: str, limit: int) -> str:
    """The longest prefix of ``text`` that fits in ``limit`` UTF-8 bytes (never splits a char)."""
    if limit <= 0:
        return ""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def wecom_payload(title: str, body: str, url: str) -> dict:
    """A WeCom group robot markdown message, its content kept under 4096 bytes.

    An over-long body is cut and ends with "…"; title and link are kept whole.
    """
    link = absolute(url)
    head = f"### {title}\n"
    tail = f"\n[{LINK_TEXT}]({link})" if link else ""
    content = head + body + tail
    if _utf8_len(content) > WECOM_MARKDOWN_LIMIT:
        budget = WECOM_MARKDOWN_LIMIT - _utf8_len(head + tail + ELLIPSIS)
        if budget >= 0:
            content = head + _truncate_bytes(body, budget) + ELLIPSIS + tail
        else:
            # Only a pathological title or link gets here: cut the whole content instead.
            budget = WECOM_MARKDOWN_LIMIT - _utf8_len(ELLIPSIS)
            content = _truncate_bytes(content, budget) + ELLIPSIS
    return {"msgtype": "markdown", "markdown": {"content": content}}


def dingtalk_payload(title: str, body: str, url: str) -> dict:
    """A DingTalk group robot markdown message (``title`` shows in the chat list preview)."""
    link = absolute(url)
    text = f"### {title}\n\n{body}"
    if link:
        text += f"\n\n[{LINK_TEXT}]({link})"
    return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}


def dingtalk_sign(secret: str, timestamp_ms: int | str) -> str:
    """DingTalk's 加签: HMAC-SHA256 of "{timestamp}\\n{secret}" keyed by the secret, base64,
    then URL-encoded (ready to put in the query string as ``sign``)."""
    string_to_sign = f"{timestamp_ms}\n{secret}"
    digest = hmac.new(
        secret.encode("utf-8"), string_to_sign.encode("utf-8"), digestmod=hashlib.sha256
    ).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def dingtalk_url(webhook_url: str, secret: str, timestamp_ms: int | str) -> str:
    """The webhook URL with ``timestamp`` and ``sign`` appended when a secret is set."""
    if not secret:
        return webhook_url
    separator = "&" if urllib.parse.urlsplit(webhook_url).query else "?"
    if webhook_url.endswith(("?", "&")):
        separator = ""
    sign = dingtalk_sign(secret, timestamp_ms)
    return f"{webhook_url}{separator}timestamp={timestamp_ms}&sign={sign}"


def _where(url: str) -> str:
    """The URL without its query: the access token must not end up in an error message."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _network_reason(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.ConnectTimeout):
        return "连接超时"
    if isinstance(exc, requests.Timeout):
        return "等待响应超时"
    if isinstance(exc, requests.ConnectionError):
        return "无法连接"
    return f"请求失败({type(exc).__name__})"


def post_json(url: str, payload: dict, timeout: float = 10):
    """POST ``payload`` as UTF-8 JSON; return the parsed JSON response (or None if not JSON).

    Raises DeliveryError on a network error, a non-2xx status, or a JSON response whose
    ``errcode`` is present and not 0 (WeCom and DingTalk answer {"errcode": 0, "errmsg": "ok"}).
    """
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json; charset=utf-8"}
    try:
        response = requests.post(url, data=data, headers=headers, timeout=timeout)
    except requests.RequestException as exc:
        raise DeliveryError(f"网络错误:{_network_reason(exc)} {_where(url)}") from exc

    try:
        answer = response.json()
    except ValueError:
        answer = None

    if not 200 <= response.status_code < 300:
        detail = response.text[:ERROR_TEXT_LIMIT].strip()
        message = f"HTTP {response.status_code}"
        if detail:
            message += f":{detail}"
        raise DeliveryError(f"发送失败,{message}", status=response.status_code)

    if isinstance(answer, dict) and "errcode" in answer:
        errcode = answer.get("errcode")
        errmsg = str(answer.get("errmsg", ""))
        try:
            failed = int(errcode) != 0
        except (TypeError, ValueError):
            failed = True
        if failed:
            raise DeliveryError(
                f"机器人返回错误:errcode={errcode},errmsg={errmsg}",
                status=response.status_code,
                errcode=errcode,
                errmsg=errmsg,
            )
    return answer


def send_wecom(webhook_url: str, title: str, body: str, url: str):
    """Post a markdown message to a WeCom group robot."""
    if not webhook_url:
        raise DeliveryError("企业微信机器人 Webhook 地址为空")
    return post_json(webhook_url, wecom_payload(title, body, url))


def send_dingtalk(
    webhook_url: str, secret: str, title: str, body: str, url: str, now_ms: int | None = None
):
    """Post a markdown message to a DingTalk group robot, signed when ``secret`` is set.

    ``now_ms`` (milliseconds since the epoch) is for tests; DingTalk rejects a timestamp more
    than an hour away from its own clock.
    """
    if not webhook_url:
        raise DeliveryError("钉钉机器人 Webhook 地址为空")
    if now_ms is None:
        now_ms = int(time.time() * 1000)
    return post_json(dingtalk_url(webhook_url, secret, now_ms), dingtalk_payload(title, body, url))


def send_email(to_address: str, title: str, body: str, url: str):
    """Send a plain-text e-mail from ``settings.DEFAULT_FROM_EMAIL``, the link made absolute."""
    address = (to_address or "").strip()
    if not address:
        raise DeliveryError("收件人邮箱为空")
    try:
        validate_email(address)
    except ValidationError as exc:
        raise DeliveryError(f"收件人邮箱格式不正确:{address}") from exc

    # A header must be one line; Django refuses newlines in the subject.
    subject = " ".join(title.split())
    message = body
    link = absolute(url)
    if link:
        message += "\n\n" + link
    try:
        sent = send_mail(
            subject, message, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False
        )
    except Exception as exc:  # SMTP, socket and backend errors alike
        raise DeliveryError(f"邮件发送失败:{type(exc).__name__}: {exc}") from exc
    if not sent:
        raise DeliveryError(f"邮件未发出:{address}")
    return sent
