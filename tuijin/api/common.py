"""What every resource shares: keyset pagination, query filters built from the pages'
FilterSets, and ETag / If-None-Match on details."""

import base64
import binascii
import datetime as dt
import hashlib
import json
from typing import Annotated, Any, Literal

import django_filters
from django.http import HttpResponse, QueryDict
from ninja import Field, Path, Schema
from pydantic import create_model

from tuijin.api.errors import ApiError, form_errors

MAX_LIMIT = 200
ID = {"ge": 1, "lt": 2**31}  # what an id column holds: anything else is a 422
# A record's id in the path: any text reaches the API (a JSON 422, not the site's HTML 404).
RecordId = Annotated[int, Path(..., **ID, description="记录 id。")]


class Page(Schema):
    """Shared fields of every list (the items are typed per resource)."""

    next_cursor: str | None = Field(
        description="下一页的游标:作为 cursor 参数传回以取下一页;为 null 时已是最后一页。"
    )


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """``{"items": [item…], "next_cursor": …}`` for one resource."""
    return create_model(
        name,
        __base__=Page,
        items=(list[item], Field(description="本页的记录,按 id 升序。")),
    )


class PageParams(Schema):
    cursor: str | None = Field(
        None, max_length=40, description="上一页返回的 next_cursor;不传则从第一条开始。"
    )
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"每页条数,1–{MAX_LIMIT},默认 50。")


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"id:{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, pk = text.partition(":")
        if kind != "id" or not pk.isdecimal() or not 0 < int(pk) < 2**63:
            raise ValueError
        return int(pk)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise ApiError(
            400, "bad_cursor", "分页游标无效,请从第一页重新获取。", {"cursor": ["游标无效。"]}
        ) from None


def keyset(queryset, params: PageParams, serialize) -> dict:
    """One page in a stable order (id ascending): rows added or changed meanwhile never make
    a page repeat or skip a row that was there before."""
    queryset = queryset.order_by("pk")
    if params.cursor:
        queryset = queryset.filter(pk__gt=decode_cursor(params.cursor))
    rows = list(queryset[: params.limit + 1])
    more = len(rows) > params.limit
    rows = rows[: params.limit]
    return {
        "items": [serialize(row) for row in rows],
        "next_cursor": encode_cursor(rows[-1].pk) if more and rows else None,
    }


# --- Filters -----------------------------------------------------------------------------------


def _choices(extra: dict) -> list[tuple[str, str]]:
    choices = extra.get("choices", ())
    return list(choices() if callable(choices) else choices)


def filter_params(filterset_class, name: str, skip=()) -> type[Schema]:
    """The query parameters of a page's FilterSet as a schema (each described, typed as the
    filter reads it): the API's filters are the page's, by the same names."""
    fields: dict[str, Any] = {}
    for key, flt in filterset_class.base_filters.items():
        if key in skip:
            continue
        label = str(flt.extra.get("label") or flt.label or key)
        if isinstance(flt, django_filters.ModelChoiceFilter):
            fields[key] = (int | None, Field(None, **ID, description=f"{label}(记录 id)。"))
        elif isinstance(flt, django_filters.ChoiceFilter):
            choices = [(str(v), str(t)) for v, t in _choices(flt.extra) if str(v)]
            values = tuple(v for v, _ in choices)
            listed = ";".join(f"{v}={t}" for v, t in choices)
            fields[key] = (Literal[values] | None, Field(None, description=f"{label}:{listed}。"))
        elif isinstance(flt, django_filters.BooleanFilter):
            fields[key] = (bool | None, Field(None, description=f"{label}(true/false)。"))
        elif isinstance(flt, django_filters.DateFilter):
            fields[key] = (
                dt.date | None,
                Field(
                    None,
                    ge=dt.date(2000, 1, 1),
                    le=dt.date(2100, 12, 31),
                    description=f"{label}(YYYY-MM-DD)。",
                ),
            )
        elif isinstance(flt, django_filters.NumberFilter):
            fields[key] = (int | None, Field(None, ge=2000, le=2100, description=f"{label}。"))
        else:
            fields[key] = (str | None, Field(None, max_length=100, description=f"{label}。"))
    return create_model(name, __base__=Schema, **fields)


def as_query(params: Schema) -> QueryDict:
    """The validated parameters as the page's query string would carry them."""
    query = QueryDict(mutable=True)
    for key, value in params.model_dump(exclude_none=True).items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, dt.date):
            value = value.isoformat()
        query[key] = str(value)
    return query


def apply_filterset(filterset) -> Any:
    """The FilterSet's rows, or a 422 with its errors by field (a value outside the user's
    choices, e.g. another zone's unit, is "not one of the available choices")."""
    if not filterset.is_valid():
        raise ApiError(422, "invalid", "筛选条件有误,请按字段说明修改。", form_errors(filterset))
    return filterset.qs


# --- ETag ------------------------------------------------------------------------------------


def detail_response(request, schema: type[Schema], obj) -> HttpResponse:
    """The record as JSON with a strong ETag of its content; 304 when If-None-Match has it."""
    data = schema.from_orm(obj).model_dump(mode="json")
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    etag = '"' + hashlib.sha256(payload.encode()).hexdigest()[:32] + '"'
    wanted = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag in wanted or "*" in wanted:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response
