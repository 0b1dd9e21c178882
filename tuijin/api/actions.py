"""督办 workflow transitions as API actions: sign (签收), feedback (反馈), urge (催办), verify
(核查), extend (延期申请 and its decision), and the rest of the item's verbs.

Each action runs exactly what the item page's POST runs: the record loaded with
``get_for_user(write=True)`` (404 outside the user's scope, 403 for who may only read), the
page's own form for the verb (the JSON body as its data: the same validation, the same field
errors), then ``supervision.views.items.perform`` calling the same service function with the
version the client saw (``services.acting_on`` locks the row, compares the version, checks
the state and the verb's permission rule). So an action through the API and through the page
write the same records and the same audit events."""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from ninja import Field, Router, Schema

from tuijin.api.auth import SessionAuth, WriteTokenAuth, require_write
from tuijin.api.common import RecordId
from tuijin.api.errors import ApiError, form_errors
from tuijin.api.items import item_response
from tuijin.api.schemas import ErrorOut, ItemDetail
from tuijin.core.access import get_for_user
from tuijin.supervision import services
from tuijin.supervision.models import SupervisionItem, Verification

router = Router(tags=["督办操作"])

VERSION = Field(
    ..., ge=1, lt=2**31, description="操作所依据的版本号(详情中的 version):他人已先改动时返回 409。"
)
NOTE = Field("", max_length=2000, description="说明(可不填)。")
LATITUDE = Field(None, ge=-90, le=90, description="所在位置的纬度(可不填)。")
LONGITUDE = Field(None, ge=-180, le=180, description="所在位置的经度(可不填)。")


class VersionIn(Schema):
    version: int = VERSION


class NoteIn(VersionIn):
    note: str = NOTE


class ReasonIn(VersionIn):
    note: str = Field(..., min_length=1, max_length=2000, description="理由(必填)。")


class FeedbackIn(VersionIn):
    text: str = Field(..., min_length=1, max_length=5000, description="办理情况。")
    latitude: float | None = LATITUDE
    longitude: float | None = LONGITUDE


class VerifyIn(VersionIn):
    result: Literal[tuple(Verification.Result.values)] = Field(
        ..., description="核查结论:true 属实(办结)、partly 部分属实、untrue 不属实(退回重办)。"
    )
    text: str = Field(..., min_length=1, max_length=5000, description="核查情况。")
    latitude: float | None = LATITUDE
    longitude: float | None = LONGITUDE


class ScheduleIn(VersionIn):
    day: dt.date = Field(..., description="核查日期(不早于今天,YYYY-MM-DD)。")
    time: dt.time = Field(dt.time(9, 0), description="时间(HH:MM),默认 09:00。")
    people: list[int] = Field(..., min_length=1, max_length=50, description="核查人员的人员 id。")
    note: str = NOTE


class ExtendIn(VersionIn):
    new_deadline: dt.date = Field(..., description="申请延至(YYYY-MM-DD),须晚于当前期限。")
    reason: str = Field(..., min_length=1, max_length=2000, description="延期理由。")


class DecideIn(VersionIn):
    extension: int = Field(
        ..., ge=1, lt=2**31, description="待审批的延期申请 id(详情 extensions 中)。"
    )
    approve: bool = Field(..., description="true 同意,false 不同意(须写理由)。")
    new_deadline: dt.date | None = Field(
        None, description="批准延至(不填则为申请的日期;与申请不同须写理由)。"
    )
    note: str = Field("", max_length=200, description="审批意见(不同意或改动日期时必填)。")


ANSWERS = {
    200: ItemDetail,
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


def form_data(payload: Schema, verb: str) -> QueryDict:
    """The JSON body as the page's form would post it (the forms parse text)."""
    data = QueryDict(mutable=True)
    for key, value in payload.model_dump().items():
        if value is None:
            continue
        if isinstance(value, list):
            data.setlist(f"{verb}-{key}", [str(v) for v in value])
        elif isinstance(value, bool):
            data[f"{verb}-{key}"] = "1" if value else "0"
        elif isinstance(value, dt.time):
            data[f"{verb}-{key}"] = value.strftime("%H:%M")
        else:
            data[f"{verb}-{key}"] = str(value)
    return data


def act(request, item_id: int, verb: str, payload: Schema):
    """The item page's POST (supervision.views.items.item_action), answered in JSON."""
    from tuijin.supervision.permissions import allowed_verbs
    from tuijin.supervision.views.items import action_form, perform

    require_write(request)
    user = request.user
    item = get_for_user(user, SupervisionItem.objects.all(), write=True, pk=item_id)
    form = action_form(verb, user, item, form_data(payload, verb), MultiValueDict())
    if not form.is_valid():
        if verb not in allowed_verbs(user, item):
            raise PermissionDenied
        raise ApiError(422, "invalid", "提交的内容有误,请按字段说明修改。", form_errors(form))
    try:
        perform(user, item.pk, verb, form.cleaned_data)
    except services.Conflict as conflict:
        raise ApiError(409, "conflict", str(conflict), version=conflict.version) from None
    except services.ItemError as error:
        raise ApiError(409, "refused", str(error)) from None
    return item_response(request, item.pk)


def action(path: str, verb: str, summary: str, schema: type[Schema], description: str = ""):
    def view(request, item_id: RecordId, payload: schema):  # type: ignore[valid-type]
        return act(request, item_id, verb, payload)

    view.__name__ = f"item_{verb}"
    router.post(
        f"/items/{{item_id}}/{path}",
        response=ANSWERS,
        auth=[WriteTokenAuth(), SessionAuth()],
        summary=summary,
        description=description or summary,
        operation_id=f"item_{verb}",
    )(view)


action("sign", "accept", "签收", VersionIn, "责任单位签收事项(交办 → 签收)。")
action("start", "start", "开始办理", VersionIn, "签收 → 办理中。")
action(
    "feedback",
    "report",
    "反馈",
    FeedbackIn,
    "责任单位反馈办理情况(→ 反馈);照片和附件请在网页上传。",
)
action("urge", "urge", "催办", NoteIn, "督查室或交办人催办,计入催办次数并通知牵头单位。")
action("schedule", "start_verification", "安排现场核查", ScheduleIn)
action("verify", "verify", "核查", VerifyIn, "现场核查:属实则办结,部分属实或不属实则退回重办。")
action("return", "return", "退回", ReasonIn, "退回重办(须写理由)。")
action("cancel", "cancel", "撤销", ReasonIn, "撤销事项(须写理由)。")
action("extend", "request_extension", "申请延期", ExtendIn, "申请延期,由交办人或督查室审批。")
action(
    "extension-decision",
    "decide_extension",
    "审批延期",
    DecideIn,
    "同意(申请的日期或另定日期)或不同意延期申请。",
)
