"""The month's scores as .xlsx (``core.xlsx.SheetWriter``): one row per unit, every indicator's
figure, total, rank, grade and lists. Cadre-level figures are not in it."""

from tuijin.assessment.documents import change_text
from tuijin.assessment.indicators import NAMES
from tuijin.assessment.models import IndicatorScore
from tuijin.core.xlsx import SheetWriter


def scores_xlsx(period, file) -> int:
    scores = list(period.scores.select_related("unit").order_by("unit_class", "rank", "unit__path"))
    figures = {
        (i.unit_score_id, i.key): i.score
        for i in IndicatorScore.objects.filter(unit_score__period=period).only(
            "unit_score_id", "key", "score"
        )
    }
    keys = [k for k in NAMES if any((s.pk, k) in figures for s in scores)]
    columns = [
        ("类别", 8, "text"),
        ("排名", 6, "int"),
        ("单位", 22, "text"),
        *((NAMES[k], 10, "amount") for k in keys),  # two decimals, as the bulletin and the page
        ("总分", 9, "amount"),
        ("等次", 8, "text"),
        ("较上月", 8, "text"),
        ("红榜/黑榜", 10, "text"),
        ("一票否决", 9, "text"),
    ]
    month = f"{period.month.year}年{period.month.month}月"
    status = "" if period.is_published else "(公示稿)"
    sheet = SheetWriter(
        "考核得分",
        columns,
        freeze="D2",
        heading=f"{month}各单位考核得分{status}",
        unit=period.zone.name,
        as_of=period.as_of,
    )
    for s in scores:
        lists = "红榜" if s.on_red_list else "黑榜" if s.on_black_list else ""
        sheet.append(
            [
                s.get_unit_class_display(),
                s.rank,
                s.unit.name,
                *(float(figures[(s.pk, k)]) if (s.pk, k) in figures else None for k in keys),
                float(s.total),
                s.get_grade_display(),
                change_text(s),
                lists,
                "是" if s.vetoed else "",
            ]
        )
    return sheet.save(file)
