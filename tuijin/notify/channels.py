"""Channel senders: e-mail, WeCom (企业微信) and DingTalk (钉钉) group robot webhooks.

Each ``send_*`` function delivers one message or raises :class:`DeliveryError` with a message
an administrator can read (it ends up in ``Delivery.last_error``). Nothing here touches the
database: the delivery engine decides what to send, when and how often to retry.

Robot links are made absolute with ``settings.SITE_URL``: a relative link means nothing in a
chat client.

A robot's refusal is classified (``DeliveryError.kind``) by the codes the robots really
answer: too fast (wait the robot's block time), permanent (bad key, address or signature, a
removed robot: retrying cannot help) or transient (network, 5xx: retry with backoff).
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
# WeCom text messages (the only kind that can @ people by mobile) stop at 2048 bytes.
WECOM_TEXT_LIMIT = 2048
# Robot responses are short JSON; anything longer in an error message is noise.
ERROR_TEXT_LIMIT = 200

RATE_LIMITED, PERMANENT, TRANSIENT = "rate_limited", "permanent", "transient"
KIND_TEXT = {
    RATE_LIMITED: "发送过于频繁,机器人限流",
    PERMANENT: "机器人配置无效(密钥、地址或签名错误,或机器人已被移出群聊)",
    TRANSIENT: "暂时失败(网络或服务器错误),稍后重试",
}
# WeCom 45009 "api freq out of limit"; DingTalk 130101 "send too fast, exceed 20 times per
# minute" and 410100 (the newer code for the same limit).
RATE_LIMITED_CODES = {45009, 130101, 410100}
# WeCom 93000 "invalid webhook url" (wrong key, or the robot was removed from the group);
# DingTalk 300001 "token is not exist", 310000 (sign not match, keywords not in content,
# IP not in whitelist: the robot's security settings refuse us).
PERMANENT_CODES = {93000, 300001, 310000}
# An address that is not a robot, or a robot that refuses us, answers these at the HTTP level.
PERMANENT_STATUSES = {400, 401, 403, 404, 410}


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

    @property
    def kind(self) -> str:
        """RATE_LIMITED, PERMANENT or TRANSIENT (anything unknown is worth another try)."""
        try:
            code = int(self.errcode) if self.errcode is not None else None
        except (TypeError, ValueError):
            code = None
        if code in RATE_LIMITED_CODES or self.status == 429:
            return RATE_LIMITED
        if code in PERMANENT_CODES or self.status in PERMANENT_STATUSES:
            return PERMANENT
        return TRANSIENT

    def explain(self) -> str:
        """The kind and the reason in Chinese, for admins."""
        return f"{KIND_TEXT[self.kind]}:{self}"


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


def _fit(head: str, body: str, tail: str, limit: int) -> str:
    """``head + body + tail`` in at most ``limit`` UTF-8 bytes: an over-long body is cut and
    ends with "…", head and tail kept whole."""
    content = head + body + tail
    if _utf8_len(content) <= limit:
        return content
    budget = limit - _utf8_len(head + tail + ELLIPSIS)
    if budget >= 0:
        return head + _truncate_bytes(body, budget) + ELLIPSIS + tail
    # Only a pathological title or link gets here: cut the whole content instead.
    return _truncate_bytes(content, limit - _utf8_len(ELLIPSIS)) + ELLIPSIS


def wecom_payload(title: str, body: str, url: str, mentions=()) -> dict:
    """A WeCom group robot message, kept under WeCom's size limit.

    Markdown (4096 bytes) normally; a text message (2048 bytes) when people are to be @-ed by
    mobile, since only text messages carry ``mentioned_mobile_list``. An over-long body is
    cut and ends with "…"; title and link are kept whole.
    """
    link = absolute(url)
    if mentions:
        tail = f"\n{LINK_TEXT}:{link}" if link else ""
        content = _fit(f"{title}\n", body, tail, WECOM_TEXT_LIMIT)
        return {
            "msgtype": "text",
            "text": {"content": content, "mentioned_mobile_list": list(mentions)},
        }
    tail = f"\n[{LINK_TEXT}]({link})" if link else ""
    content = _fit(f"### {title}\n", body, tail, WECOM_MARKDOWN_LIMIT)
    return {"msgtype": "markdown", "markdown": {"content": content}}


def dingtalk_payload(title: str, body: str, url: str, mentions=()) -> dict:
    """A DingTalk group robot markdown message (``title`` shows in the chat list preview).

    People are @-ed by mobile in ``at.atMobiles``; DingTalk also wants "@mobile" in the text.
    """
    link = absolute(url)
    text = f"### {title}\n\n{body}"
    if link:
        text += f"\n\n[{LINK_TEXT}]({link})"
    payload = {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    if mentions:
        payload["markdown"]["text"] += "\n\n" + " ".join(f"@{m}" for m in mentions)
        payload["at"] = {"atMobiles": list(mentions), "isAtAll": False}
    return payload


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


def send_wecom(webhook_url: str, title: str, body: str, url: str, mentions=()):
    """Post a message to a WeCom group robot, @-ing ``mentions`` (mobile numbers)."""
    if not webhook_url:
        raise DeliveryError("企业微信机器人 Webhook 地址为空")
    return post_json(webhook_url, wecom_payload(title, body, url, mentions))


def send_dingtalk(
    webhook_url: str,
    secret: str,
    title: str,
    body: str,
    url: str,
    now_ms: int | None = None,
    mentions=(),
):
    """Post a markdown message to a DingTalk group robot, signed when ``secret`` is set.

    ``now_ms`` (milliseconds since the epoch) is for tests; DingTalk rejects a timestamp more
    than an hour away from its own clock.
    """
    if not webhook_url:
        raise DeliveryError("钉钉机器人 Webhook 地址为空")
    if now_ms is None:
        now_ms = int(time.time() * 1000)
    return post_json(
        dingtalk_url(webhook_url, secret, now_ms), dingtalk_payload(title, body, url, mentions)
    )


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
