"""The enterprise list (企业) to .xlsx, exactly as filtered on the page."""

from __future__ import annotations

from django.utils import translation

from tuijin.core.xlsx import SheetWriter
from tuijin.projects.excel.common import SOURCE_LANGUAGE

EXPORT_CHUNK = 500

ENTERPRISE_COLUMNS = [
    ("企业名称", 30, "text"),
    ("统一社会信用代码", 21, "text"),
    ("所属行业", 20, "text"),
    ("园区", 14, "text"),
    ("责任单位", 16, "text"),
    ("重点企业", 8, "text"),
    ("包保领导", 16, "text"),
    ("项目数", 7, "int"),
]


def write_enterprises(queryset, file, unit: str = "") -> int:
    """The enterprises of `queryset` (the list's, already scoped and filtered, with its
    ``select_related``, ``prefetch_related("leaders")`` and ``project_count``) as .xlsx;
    returns rows."""
    with translation.override(SOURCE_LANGUAGE):
        writer = SheetWriter("企业名录", ENTERPRISE_COLUMNS, unit=unit)
        for enterprise in queryset.iterator(chunk_size=EXPORT_CHUNK):
            writer.append(
                [
                    enterprise.name,
                    enterprise.credit_code,
                    enterprise.industry,
                    enterprise.park.name if enterprise.park else "",
                    enterprise.unit.name,
                    "是" if enterprise.is_key else "",
                    "、".join(leader.name for leader in enterprise.leaders.all()),
                    enterprise.project_count,
                ]
            )
    return writer.save(file)
