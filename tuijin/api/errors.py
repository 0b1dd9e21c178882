"""Errors as JSON: ``{"code": "...", "message": "中文说明", "errors": {"field": ["…"]}}``.

``code`` is stable (clients branch on it); ``message`` is for people, in Chinese. Every bad
input is a 4xx: the handlers below turn each kind of refusal into one, and anything else
unexpected still reaches Django's 500 handler (logged), never a traceback in the answer."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from tuijin.core.versions import Conflict


class ApiError(Exception):
    """A refusal with its HTTP status, stable code, Chinese message and field errors."""

    def __init__(self, status: int, code: str, message: str, errors: dict | None = None, **extra):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.errors = errors or {}
        self.extra = extra


# pydantic's error types in Chinese (the input's field names stay as sent).
FIELD_MESSAGES = {
    "missing": "必填。",
    "literal_error": "不是可选的值。",
    "enum": "不是可选的值。",
    "int_parsing": "须为整数。",
    "int_type": "须为整数。",
    "int_from_float": "须为整数。",
    "bool_parsing": "须为 true 或 false。",
    "bool_type": "须为 true 或 false。",
    "date_parsing": "须为日期(YYYY-MM-DD)。",
    "date_from_datetime_parsing": "须为日期(YYYY-MM-DD)。",
    "date_type": "须为日期(YYYY-MM-DD)。",
    "datetime_parsing": "须为时间(ISO 8601)。",
    "datetime_from_date_parsing": "须为时间(ISO 8601)。",
    "time_parsing": "须为时间(HH:MM)。",
    "decimal_parsing": "须为数字。",
    "string_too_long": "过长。",
    "string_too_short": "不能为空。",
    "string_type": "须为文字。",
    "greater_than": "取值过小。",
    "greater_than_equal": "取值过小。",
    "less_than": "取值过大。",
    "less_than_equal": "取值过大。",
    "list_type": "须为列表。",
    "too_long": "项数过多。",
    "json_invalid": "不是有效的 JSON。",
    "model_attributes_type": "须为 JSON 对象。",
    "dict_type": "须为 JSON 对象。",
    "value_error": "取值无效。",
}


def field_errors(errors: list[dict]) -> dict[str, list[str]]:
    """pydantic's error list as Chinese messages by field (``body``/``query`` left out)."""
    result: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
        # ninja names the schema argument in the location (``payload``, ``filters``).
        if len(loc) > 1 and loc[0] in ("payload", "filters", "data"):
            loc = loc[1:]
        name = ".".join(loc) or "__all__"
        result.setdefault(name, []).append(FIELD_MESSAGES.get(error.get("type"), "取值无效。"))
    return result


def form_errors(form) -> dict[str, list[str]]:
    """A Django form's (or FilterSet's) errors, as the API sends them."""
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def body(code: str, message: str, errors: dict | None = None, **extra) -> dict:
    return {"code": code, "message": message, "errors": errors or {}, **extra}


def install(api) -> None:
    """Register the handlers on the NinjaAPI."""

    def respond(request, status, payload):
        return api.create_response(request, payload, status=status)

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return respond(request, exc.status, body(exc.code, exc.message, exc.errors, **exc.extra))

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        errors = field_errors(exc.errors)
        return respond(request, 422, body("invalid", "请求内容有误,请按字段说明修改。", errors))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return respond(
            request,
            401,
            body("unauthenticated", "未登录或令牌无效、已过期、已撤销。"),
        )

    @api.exception_handler(Throttled)
    def throttled(request, exc: Throttled):
        response = respond(request, 429, body("rate_limited", "请求过于频繁,请稍后再试。"))
        if exc.wait is not None:
            response["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        status = exc.status_code
        if status == 405:
            return respond(request, 405, body("method_not_allowed", "不支持该请求方法。"))
        if status == 403:
            return respond(request, 403, body("forbidden", "无权执行该操作。"))
        return respond(request, status, body("bad_request", "请求无法处理。"))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, body("not_found", "没有找到该记录,或您无权查看。"))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc: PermissionDenied):
        return respond(request, 403, body("forbidden", str(exc) or "无权执行该操作。"))

    @api.exception_handler(Conflict)
    def conflict(request, exc: Conflict):
        return respond(request, 409, body("conflict", str(exc), version=exc.version))
