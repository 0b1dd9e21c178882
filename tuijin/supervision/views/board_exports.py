"""The boards by lead unit and by 包保 leader as .xlsx: the pages' numbers, printable.

Bounded by the number of units and leaders (not items), so always written inline.
"""

import io

from django.http import FileResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from tuijin.core.xlsx import XLSX_CONTENT_TYPE
from tuijin.org.access import sheet_unit
from tuijin.supervision.exports import write_leader_board, write_unit_board
from tuijin.supervision.models import SupervisionItem
from tuijin.supervision.queries import leader_rows, unit_rows
from tuijin.supervision.rules import truthfulness_index

TOTAL_KEYS = ["open", "overdue", "week", "on_time", "late", "returned"]


def _xlsx(out: io.BytesIO, name: str) -> FileResponse:
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)


@require_GET
def unit_board_export(request):
    today = timezone.localdate()
    rows = unit_rows(SupervisionItem.objects.visible_to(request.user), today)
    totals = {key: sum(row[key] or 0 for row in rows) for key in TOTAL_KEYS}
    results = [r for row in rows for r in row["results"]]
    totals["truthfulness"] = truthfulness_index(results)
    totals["checks"] = len(results)
    out = io.BytesIO()
    write_unit_board(rows, totals, out, today, unit=sheet_unit(request.user))
    return _xlsx(out, f"督办按牵头单位-{today:%Y%m%d}.xlsx")


@require_GET
def leader_board_export(request):
    today = timezone.localdate()
    leaders = leader_rows(SupervisionItem.objects.visible_to(request.user), today)
    out = io.BytesIO()
    write_leader_board(leaders, out, today, unit=sheet_unit(request.user))
    return _xlsx(out, f"督办按包保领导-{today:%Y%m%d}.xlsx")
