"""The 考核通报 (.docx) in 公文 layout (``tuijin.core.gongwen``, the builder of the minutes):
the red 标志, 期号, issuer and date over the red line, the title, then: the results by class
(ranking tables), 红榜 and 黑榜, the main deductions with their facts, the appeals and how each
was decided, corrections after publishing, and the 版记. Cadre-level figures are never in it.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from docx.shared import Pt

from tuijin.assessment.models import Appeal, IndicatorScore, UnitClass
from tuijin.core.gongwen import BODY_FONT, KAI_FONT, Gongwen
from tuijin.meetings.documents import chinese_date, chinese_number

MAIN_DEDUCTIONS = 12  # facts listed under 主要扣分情况, the largest first


def change_text(score) -> str:
    change = score.rank_change
    if change is None:
        return "—"
    if change > 0:
        return f"↑{change}"
    if change < 0:
        return f"↓{-change}"
    return "持平"


def bulletin_docx(period, file, today: dt.date | None = None) -> None:
    zone = period.zone.name
    issuer = f"{zone}督查室"
    issued = (
        timezone.localtime(period.published_at).date()
        if period.published_at
        else today or timezone.localdate()
    )
    month = f"{period.month.year}年{period.month.month}月"
    title = f"关于{month}各单位项目推进工作考核情况的通报"
    scores = list(period.scores.select_related("unit").order_by("unit_class", "rank", "unit__path"))
    indicators = list(
        IndicatorScore.objects.filter(unit_score__period=period).select_related("unit_score__unit")
    )
    appeals = list(
        Appeal.objects.filter(indicator__unit_score__period=period)
        .select_related("indicator__unit_score__unit")
        .order_by("filed_at")
    )

    doc = Gongwen(title=title, author=issuer)
    doc.mark(f"{zone}督查通报")
    number = f"〔{period.month.year}〕{period.month.month}号"
    doc.centred(number + ("" if period.is_published else "(公示稿)"), space_before_lines=1)
    doc.red_rule(issuer, chinese_date(issued))
    doc.title(title)
    doc.text("各园区、各部门、各乡镇：", font=BODY_FONT).paragraph_format.first_line_indent = Pt(0)
    weighs_requests = any(i.key == "requests" for i in indicators)
    sources = "、现场核查和企业诉求办理" if weighs_requests else "和现场核查"
    doc.text(
        f"按照“一月一考核评估”工作机制，督查室依据督办事项办理、问题解决、周末日志、"
        f"项目灯色{sources}等平台记录，对各单位{month}项目推进工作进行了考核，"
        f"考核结果经公示{'并处理申诉后' if appeals else ''}予以发布。现将有关情况通报如下："
    )

    section = 1
    doc.heading(f"{chinese_number(section)}、考核结果")
    by_class = {value: [s for s in scores if s.unit_class == value] for value in UnitClass.values}
    sub = 0
    for unit_class, rows in by_class.items():
        if not rows:
            continue
        sub += 1
        doc.heading(f"（{chinese_number(sub)}）{UnitClass(unit_class).label}", level=2)
        doc.table(
            ["排名", "单位", "得分", "等次", "较上月"],
            [
                [
                    str(s.rank),
                    s.unit.name + ("（一票否决）" if s.vetoed else ""),
                    f"{s.total:.2f}",
                    s.get_grade_display(),
                    change_text(s),
                ]
                for s in rows
            ],
            keep=True,
        )
    section += 1
    doc.heading(f"{chinese_number(section)}、红榜和黑榜")
    red = "、".join(s.unit.name for s in scores if s.on_red_list) or "无"
    black = "、".join(s.unit.name for s in scores if s.on_black_list) or "无"
    doc.text(red, label="红榜：")
    doc.text(black, label="黑榜：")
    for score in scores:
        if score.vetoed:
            doc.text(f"{score.unit.name}本月被一票否决，列本类别末位，本年度不得评优。")

    section += 1
    doc.heading(f"{chinese_number(section)}、主要扣分情况")
    deductions = []
    for indicator in indicators:
        for fact in indicator.facts:
            if fact.get("points", "").startswith("-"):
                deductions.append((Decimal(fact["points"]), indicator, fact))
    deductions.sort(key=lambda d: (d[0], d[1].unit_score.unit.path))
    if not deductions:
        doc.text("本月无扣分事项。")
    for points, indicator, fact in deductions[:MAIN_DEDUCTIONS]:
        doc.text(
            f"{fact['text']}，扣{-points}分。",
            label=f"{indicator.unit_score.unit.name}（{indicator.name}）：",
            label_font=KAI_FONT,
        )
    if len(deductions) > MAIN_DEDUCTIONS:
        doc.text(f"另有{len(deductions) - MAIN_DEDUCTIONS}项扣分事项，详见考核得分明细表。")

    section += 1
    doc.heading(f"{chinese_number(section)}、申诉处理情况")
    if not appeals:
        doc.text("公示期间未收到申诉。")
    for appeal in appeals:
        unit = appeal.indicator.unit_score.unit.name
        outcome = appeal.get_status_display()
        detail = (
            f"，{appeal.indicator.name}得分由{appeal.old_score}调整为{appeal.new_score}"
            if appeal.status == Appeal.Status.UPHELD
            else ""
        )
        doc.text(
            f"申诉理由：{appeal.reason.rstrip('。.；;，, ')}。处理结果：{outcome}{detail}。"
            + (f"处理意见：{appeal.decision}" if appeal.decision else ""),
            label=f"{unit}（{appeal.indicator.name}）：",
            label_font=KAI_FONT,
        )
    revisions = list(period.revisions.all())
    if revisions:
        section += 1
        doc.heading(f"{chinese_number(section)}、更正情况")
        for revision in revisions:
            changes = "；".join(
                f"{c['unit']}{c['indicator']}由{c['old']}更正为{c['new']}" for c in revision.changes
            )
            doc.text(
                f"{changes}。更正理由：{revision.reason}", label=f"第{revision.number}次更正："
            )
    section += 1
    doc.heading(f"{chinese_number(section)}、工作要求")
    doc.text(
        "各单位要对照考核结果和扣分事项，逐项分析原因、限期整改；列入黑榜的单位要向区党工委、"
        "管委会作出书面说明。督查室将持续跟踪督办，压力传导，由上而下，确保各项工作落到实处。"
    )
    doc.colophon("区领导，各园区、各部门、各乡镇。", issuer, chinese_date(issued))
    doc.save(file)
