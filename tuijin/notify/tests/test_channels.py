"""Channel senders against a real local HTTP server (the ``receiver`` fixture) and Django's
locmem e-mail backend."""

import base64
import hashlib
import hmac
import socket
import time

import pytest
from django.test import override_settings

from tuijin.notify import channels
from tuijin.notify.channels import DeliveryError

SECRET = "SEC0123456789abcdef测试"
TITLE = "督办事项超期:园区道路改造"
BODY = "牵头单位:经济发展局\n责任人:张三\n已超期 3 天,请尽快办理。"
SITE = "https://tuijin.example.cn"


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- WeCom -----------------------------------------------------------------------------------


@override_settings(SITE_URL=SITE)
def test_wecom_markdown_arrives_intact(receiver):
    answer = channels.send_wecom(receiver.url(), TITLE, BODY, "/supervision/items/7/")

    assert answer == {"errcode": 0, "errmsg": "ok"}
    assert len(receiver.requests) == 1
    got = receiver.last
    assert got.path == "/robot/send"
    assert got.query == {"access_token": "abc"}
    assert got.headers["content-type"] == "application/json; charset=utf-8"
    assert got.json == {
        "msgtype": "markdown",
        "markdown": {
            "content": f"### {TITLE}\n{BODY}\n[查看详情]({SITE}/supervision/items/7/)",
        },
    }
    # Chinese travels as UTF-8, not as \\u escapes.
    assert "督办事项超期".encode() in got.raw


def test_wecom_without_link_has_no_link_line():
    content = channels.wecom_payload(TITLE, BODY, "")["markdown"]["content"]
    assert content == f"### {TITLE}\n{BODY}"
    assert "查看详情" not in content


def test_wecom_keeps_absolute_links_as_they_are():
    content = channels.wecom_payload(TITLE, BODY, "https://other.example/x")["markdown"]["content"]
    assert content.endswith("\n[查看详情](https://other.example/x)")


@override_settings(SITE_URL=SITE)
def test_wecom_long_body_is_truncated_under_4096_bytes(receiver):
    body = "超期事项说明。" * 1000  # 21 000 bytes of UTF-8
    payload = channels.wecom_payload(TITLE, body, "/supervision/items/7/")
    content = payload["markdown"]["content"]

    assert len(content.encode("utf-8")) <= 4096
    assert content.startswith(f"### {TITLE}\n超期事项说明。")
    assert content.endswith(f"…\n[查看详情]({SITE}/supervision/items/7/)")

    channels.send_wecom(receiver.url(), TITLE, body, "/supervision/items/7/")
    assert receiver.last.json["markdown"]["content"] == content


def test_wecom_body_exactly_at_the_limit_is_not_cut():
    head = f"### {TITLE}\n"
    room = 4096 - len(head.encode("utf-8"))
    body = "a" * room
    content = channels.wecom_payload(TITLE, body, "")["markdown"]["content"]
    assert content == head + body
    assert "…" not in content

    cut = channels.wecom_payload(TITLE, body + "a", "")["markdown"]["content"]
    assert cut.endswith("…")
    assert len(cut.encode("utf-8")) <= 4096


def test_wecom_truncation_never_splits_a_character():
    content = channels.wecom_payload("标题", "汉" * 5000, "")["markdown"]["content"]
    encoded = content.encode("utf-8")  # would fail on a lone surrogate; decode round-trips
    assert len(encoded) <= 4096
    assert encoded.decode("utf-8") == content
    assert set(content[len("### 标题\n") : -1]) == {"汉"}


# --- DingTalk --------------------------------------------------------------------------------


def test_dingtalk_payload_shape():
    with override_settings(SITE_URL=SITE):
        payload = channels.dingtalk_payload(TITLE, BODY, "/supervision/items/7/")
    assert payload == {
        "msgtype": "markdown",
        "markdown": {
            "title": TITLE,
            "text": f"### {TITLE}\n\n{BODY}\n\n[查看详情]({SITE}/supervision/items/7/)",
        },
    }
    assert (
        channels.dingtalk_payload(TITLE, BODY, "")["markdown"]["text"] == f"### {TITLE}\n\n{BODY}"
    )


def test_dingtalk_signed_request_verifies(receiver):
    now_ms = int(time.time() * 1000)
    channels.send_dingtalk(receiver.url(), SECRET, TITLE, BODY, "https://x.example/i/7", now_ms)

    got = receiver.last
    assert got.path == "/robot/send"
    assert got.query["access_token"] == "abc"
    assert got.query["timestamp"] == str(now_ms)
    # Verify independently, as DingTalk would: HMAC-SHA256 over "{timestamp}\n{secret}" keyed by
    # the secret, base64. The receiver has already URL-decoded the query string.
    expected = base64.b64encode(
        hmac.new(
            SECRET.encode("utf-8"),
            f"{got.query['timestamp']}\n{SECRET}".encode(),
            hashlib.sha256,
        ).digest()
    ).decode()
    assert got.query["sign"] == expected
    assert got.json["msgtype"] == "markdown"
    assert got.json["markdown"]["title"] == TITLE
    assert f"{BODY}\n\n[查看详情](https://x.example/i/7)" in got.json["markdown"]["text"]


def test_dingtalk_without_secret_is_not_signed(receiver):
    channels.send_dingtalk(receiver.url(), "", TITLE, BODY, "")
    assert receiver.last.query == {"access_token": "abc"}


def test_dingtalk_default_timestamp_is_now_in_ms(receiver):
    before = int(time.time() * 1000)
    channels.send_dingtalk(receiver.url(), SECRET, TITLE, BODY, "")
    after = int(time.time() * 1000)
    assert before <= int(receiver.last.query["timestamp"]) <= after


def test_dingtalk_sign_is_url_encoded():
    # Pick a timestamp whose signature contains "+" or "/": both must be escaped.
    for ts in range(1_700_000_000_000, 1_700_000_000_200):
        raw = base64.b64encode(
            hmac.new(SECRET.encode(), f"{ts}\n{SECRET}".encode(), hashlib.sha256).digest()
        ).decode()
        if "+" in raw or "/" in raw:
            break
    sign = channels.dingtalk_sign(SECRET, ts)
    assert "+" not in sign and "/" not in sign and "=" not in sign
    assert sign == raw.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")


def test_dingtalk_url_separator():
    sign = channels.dingtalk_sign("s", 1)
    assert (
        channels.dingtalk_url("https://oapi.dingtalk.com/robot/send?access_token=t", "s", 1)
        == f"https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1&sign={sign}"
    )
    assert (
        channels.dingtalk_url("http://h/hook", "s", 1) == f"http://h/hook?timestamp=1&sign={sign}"
    )
    assert channels.dingtalk_url("http://h/hook?a=1", "", 1) == "http://h/hook?a=1"


def test_dingtalk_errcode_raises_with_errmsg(receiver):
    receiver.fail_next(1, "errcode")
    with pytest.raises(DeliveryError, match="sign not match") as info:
        channels.send_dingtalk(receiver.url(), SECRET, TITLE, BODY, "")
    assert info.value.errcode == 310000
    assert info.value.errmsg == "sign not match"
    assert "310000" in str(info.value)

    # Only the next request failed: the robot answers OK again.
    assert channels.send_dingtalk(receiver.url(), SECRET, TITLE, BODY, "")["errcode"] == 0
    assert len(receiver.requests) == 2


# --- Failures --------------------------------------------------------------------------------


def test_http_500_raises_with_status(receiver):
    receiver.fail_next(2)
    for _ in range(2):
        with pytest.raises(DeliveryError, match="HTTP 500") as info:
            channels.send_wecom(receiver.url(), TITLE, BODY, "")
        assert info.value.status == 500
    channels.send_wecom(receiver.url(), TITLE, BODY, "")
    assert len(receiver.requests) == 3


def test_connection_refused_raises():
    url = f"http://127.0.0.1:{closed_port()}/robot/send?access_token=secret-token"
    with pytest.raises(DeliveryError, match="网络错误") as info:
        channels.send_wecom(url, TITLE, BODY, "")
    assert "secret-token" not in str(info.value)  # the token stays out of the error log
    with pytest.raises(DeliveryError):
        channels.send_dingtalk(url, SECRET, TITLE, BODY, "")


def test_empty_webhook_raises():
    with pytest.raises(DeliveryError):
        channels.send_wecom("", TITLE, BODY, "")
    with pytest.raises(DeliveryError):
        channels.send_dingtalk("", SECRET, TITLE, BODY, "")


def test_errcode_zero_is_success(receiver):
    receiver.fail_next(1, "errcode", body={"errcode": 0, "errmsg": "ok"})
    assert channels.post_json(receiver.url(), {"msgtype": "text"}) == {"errcode": 0, "errmsg": "ok"}


# --- E-mail ----------------------------------------------------------------------------------


@override_settings(SITE_URL=SITE + "/", DEFAULT_FROM_EMAIL="tuijin@example.cn")
def test_email_goes_to_the_address_with_the_link(mailoutbox):
    channels.send_email("zhangsan@example.cn", TITLE, BODY, "/supervision/items/7/")

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["zhangsan@example.cn"]
    assert mail.from_email == "tuijin@example.cn"
    assert mail.subject == TITLE
    assert mail.body == f"{BODY}\n\n{SITE}/supervision/items/7/"


def test_email_without_link_is_just_the_body(mailoutbox):
    channels.send_email("zhangsan@example.cn", TITLE, BODY, "")
    assert mailoutbox[0].body == BODY


def test_email_subject_newlines_are_flattened(mailoutbox):
    channels.send_email("zhangsan@example.cn", "第一行\n第二行", BODY, "")
    assert mailoutbox[0].subject == "第一行 第二行"


@pytest.mark.parametrize("address", ["", "   ", None, "not-an-address"])
def test_email_bad_address_raises(mailoutbox, address):
    with pytest.raises(DeliveryError):
        channels.send_email(address, TITLE, BODY, "")
    assert mailoutbox == []


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    EMAIL_HOST="127.0.0.1",
    EMAIL_TIMEOUT=2,
)
def test_email_backend_failure_raises():
    with (
        override_settings(EMAIL_PORT=closed_port()),
        pytest.raises(DeliveryError, match="邮件发送失败"),
    ):
        channels.send_email("zhangsan@example.cn", TITLE, BODY, "")


# --- Links -----------------------------------------------------------------------------------


def test_absolute_links(settings):
    settings.SITE_URL = "https://tuijin.example.cn/"
    assert channels.absolute("/a/b/") == "https://tuijin.example.cn/a/b/"
    assert channels.absolute("https://x.example/") == "https://x.example/"
    assert channels.absolute("") == ""
    del settings.SITE_URL
    assert channels.absolute("/a/") == "http://127.0.0.1:8000/a/"
