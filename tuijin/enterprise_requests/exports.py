"""The enterprise request list (企业诉求) as .xlsx, exactly as filtered on the page."""

import datetime as dt

from django.utils import translation

from tuijin.core.xlsx import SheetWriter
from tuijin.enterprise_requests.models import Category, Clock, Satisfaction, State

SOURCE_LANGUAGE = "zh-hans"  # the sheet is Chinese whatever the UI language
EXPORT_CHUNK = 500

REQUEST_COLUMNS = [
    ("企业", 22, "text"),
    ("类别", 9, "text"),
    ("诉求内容", 36, "text"),
    ("项目", 20, "text"),
    ("承办单位", 16, "text"),
    ("状态", 9, "text"),
    ("提出日期", 11, "date"),
    ("解决期限", 11, "date"),
    ("超期", 10, "text"),
    ("答复内容", 30, "text"),
    ("办结日期", 11, "date"),
    ("满意度", 8, "text"),
]


def write_requests(queryset, file, today: dt.date, unit: str = "") -> int:
    """The requests of `queryset` (the list's, already scoped and filtered, with its
    ``select_related``) as .xlsx; returns rows. 超期 names the clocks missed as of `today`."""
    with translation.override(SOURCE_LANGUAGE):  # Chinese labels under Chinese headers
        writer = SheetWriter("企业诉求", REQUEST_COLUMNS, unit=unit, as_of=today)
        categories = {value: str(label) for value, label in Category.choices}
        states = {value: str(label) for value, label in State.choices}
        clocks = {value: str(label) for value, label in Clock.choices}
        ratings = {value: str(label) for value, label in Satisfaction.choices}
        for request in queryset.iterator(chunk_size=EXPORT_CHUNK):
            writer.append(
                [
                    request.enterprise.name,
                    categories.get(request.category, request.category),
                    request.description,
                    request.project.name if request.project else "",
                    request.unit.name if request.unit else "",
                    states.get(request.state, request.state),
                    request.raised_on,
                    request.resolve_due,
                    "、".join(clocks[clock] for clock in request.overdue_clocks(today)),
                    request.answer,
                    request.closed_on,
                    ratings.get(request.satisfaction, request.satisfaction or ""),
                ]
            )
    return writer.save(file)
