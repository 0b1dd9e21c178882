"""The review's two documents, laid out with ``core.gongwen`` like the minutes:

* 观摩手册 (``handbook_docx``): the route (time, park, stop, stay) and one card per stop:
  the project's construction content, investment, progress, light and up to two site photos
  (their thumbnails, made now if the background task has not yet);
* 观摩拉练情况通报 (``report_docx``): how the review went, the ranking with its figures, the
  awards, the evaluation rules and the last park's pledge.
"""

import io
from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch, Sum
from django.utils import timezone
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_LINE_SPACING
from docx.shared import Mm, Pt

from tuijin.core.files import thumbnail_name, write_thumbnail
from tuijin.core.gongwen import HEI_FONT, KAI_FONT, Gongwen, _fonts, clean, repeat_header
from tuijin.meetings.documents import chinese_date, chinese_number
from tuijin.parkreview import rules
from tuijin.parkreview.models import Award, ParkReview, State
from tuijin.projects.models import ProgressReport, ProjectFile

PHOTOS_PER_STOP = 2
TABLE_SIZE = Pt(12)


def _table(doc: Gongwen, header: list[str], rows: list[list[str]], widths: list[int]):
    """A plain table in 小四 仿宋, the header in 黑体, as wide as the 版心."""
    table = doc.document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)  # the grid: LibreOffice reads the columns', Word the cells'
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.width = Mm(widths[c])
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.first_line_indent = Pt(0)
            paragraph.paragraph_format.line_spacing = Pt(18)
            run = paragraph.add_run(clean(str(value)))
            _fonts(run, HEI_FONT if r == 0 else "仿宋_GB2312")
            run.font.size = TABLE_SIZE
    repeat_header(table)
    doc.blank()
    return table


def _stops(review: ParkReview):
    """The route's stops with what each card shows, in a constant number of queries."""
    stops = list(
        review.stops.select_related("entry__park", "project__unit")
        .prefetch_related(
            Prefetch(
                "project__files",
                ProjectFile.objects.filter(kind=ProjectFile.Kind.PHOTO).order_by("-uploaded_at"),
                to_attr="photos",
            ),
            "project__enterprises",
        )
        .order_by("entry__position", "entry__park__path", "position", "pk")
    )
    ids = [s.project_id for s in stops]
    done = dict(
        ProgressReport.objects.filter(project_id__in=ids)
        .values("project_id")
        .annotate(s=Sum("investment"))
        .values_list("project_id", "s")
    )
    latest = {}
    for project_id, progress in (
        ProgressReport.objects.filter(project_id__in=ids)
        .order_by("project_id", "-period_start")
        .values_list("project_id", "progress")
    ):
        latest.setdefault(project_id, progress)
    for stop in stops:
        stop.completed = done.get(stop.project_id) or Decimal(0)
        stop.progress = latest.get(stop.project_id)
    return stops


def _photo_bytes(photo) -> bytes | None:
    fieldfile = photo.file
    name = thumbnail_name(fieldfile.name)
    storage = fieldfile.storage
    if not storage.exists(name) and write_thumbnail(fieldfile) is None:
        return None
    with storage.open(name, "rb") as handle:
        return handle.read()


def handbook_docx(review: ParkReview, file) -> None:
    zone = review.zone.name
    title = f"{review.quarter_label}项目观摩拉练手册"
    doc = Gongwen(title=title, author=f"{zone}督查室")
    doc.title(f"{zone}{title}", space_before_lines=1)
    doc.names("时间", f"{chinese_date(review.tour_date)} {review.start_time:%H:%M}出发")
    evaluators = [e.person.name for e in review.evaluators.select_related("person")]
    if evaluators:
        doc.names("评委", "、".join(evaluators))
    stops = _stops(review)
    doc.heading("一、观摩路线")
    _table(
        doc,
        ["序号", "时间", "园区", "观摩点", "停留"],
        [
            [
                str(n),
                f"{s.arrive_at:%H:%M}" if s.arrive_at else "—",
                s.entry.park.name,
                s.project.name,
                f"{s.minutes}分钟",
            ]
            for n, s in enumerate(stops, start=1)
        ],
        [14, 18, 32, 72, 20],
    )
    doc.heading("二、观摩点简介")
    by_park = defaultdict(list)
    for stop in stops:
        by_park[stop.entry.park.name].append(stop)
    number = 0
    for p, (park, park_stops) in enumerate(by_park.items(), start=1):
        doc.heading(f"（{chinese_number(p)}）{park}", level=2)
        for stop in park_stops:
            number += 1
            _card(doc, number, stop)
    doc.save(file)


def _card(doc: Gongwen, number: int, stop) -> None:
    project = stop.project
    doc.text(f"{number}. {project.name}", font=HEI_FONT).paragraph_format.keep_with_next = True
    owners = "、".join(e.name for e in project.enterprises.all())
    lines = [
        ("建设内容", project.content or "—"),
        ("业主单位", owners or project.unit.name),
        ("总投资", f"{project.total_investment:,.0f}万元"),
        ("累计完成投资", f"{stop.completed:,.0f}万元"),
        ("形象进度", f"{stop.progress}%" if stop.progress is not None else "未填报"),
        (
            "项目灯色",
            project.get_light_display()
            + (f"（{project.light_summary}）" if project.light_reasons else ""),
        ),
    ]
    if stop.arrive_at:
        lines.insert(0, ("到达时间", f"{stop.arrive_at:%H:%M}，停留{stop.minutes}分钟"))
    for label, text in lines:
        last = doc.text(text, label=f"{label}：", label_font=KAI_FONT)
    pictures = [b for b in map(_photo_bytes, project.photos[:PHOTOS_PER_STOP]) if b]
    if pictures:
        # Never alone at the top of the next page, above the next project's name.
        last.paragraph_format.keep_with_next = True
        paragraph = doc.paragraph(indent=0, line=None)
        # The body's exact line pitch would clip a picture to one line.
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        for data in pictures:
            paragraph.add_run().add_picture(io.BytesIO(data), width=Mm(74))
            paragraph.add_run(" ")


def report_docx(review: ParkReview, file, rows=None) -> None:
    """The 通报 of a review: published, from the frozen figures; before that (the 督查室's
    draft, ``rows`` from ``queries.results``) marked 征求意见稿."""
    zone = review.zone.name
    issuer = f"{zone}督查室"
    published = review.state == State.PUBLISHED
    entries = list(review.entries.select_related("park").order_by("rank", "position"))
    if rows is not None:
        figures = [
            (r.rank, r.entry.park.name, r.objective.points, r.subjective, r.final) for r in rows
        ]
    else:
        figures = [(e.rank, e.park.name, e.objective, e.subjective, e.final) for e in entries]
    awards = list(Award.objects.filter(review=review).select_related("kind", "entry__park"))
    title = f"关于{review.quarter_label}项目观摩拉练情况的通报"
    doc = Gongwen(title=title, author=issuer)
    doc.mark(f"{zone}督查室", top=Mm(25))
    issued = timezone.localdate(review.published_at) if published else timezone.localdate()
    doc.red_rule("", chinese_date(issued))
    doc.title(title if published else f"{title}（征求意见稿）")
    doc.text("各园区、各部门：")
    parks = "、".join(e.park.name for e in sorted(entries, key=lambda e: e.position))
    count = review.evaluators.count()
    stops = review.stops.count()
    doc.text(
        f"{chinese_date(review.tour_date)}，区领导带队对{parks}开展{review.quarter_label}项目"
        f"观摩拉练，现场观摩项目{stops}个，{count}名评委逐园区现场评分。现将有关情况通报如下。"
    )
    doc.heading("一、评分办法")
    trim = (
        f"评委达到{review.trim_from}人时去掉一个最高分和一个最低分后取平均"
        if count >= review.trim_from
        else "取评委评分平均"
    )
    weights = "、".join(f"{c.name}{_plain(c.weight)}分" for c in review.criteria.all())
    doc.text(
        f"评委评分（{weights}）{trim}，占{_plain(review.subjective_weight)}%；台账客观分（年度投资完成"
        f"{review.plan_points}分、计划开工{review.start_points}分、项目灯色{review.light_points}分）"
        f"占{_plain(Decimal(100) - review.subjective_weight)}%。"
    )
    doc.heading("二、综合排名")
    _table(
        doc,
        ["名次", "园区", "台账客观分", "评委评分", "综合得分"],
        [
            [str(rank or "—"), name, _num(o), _num(s), _num(f)]
            for rank, name, o, s, f in sorted(figures, key=lambda r: (r[0] or 99, r[1]))
        ],
        [16, 44, 32, 32, 32],
    )
    doc.heading("三、奖惩")
    if awards:
        for award in awards:
            doc.text(f"{award.entry.park.name}获得“{award.kind.name}”。")
    else:
        doc.text("发布后按排名授予流动红旗等奖项。")
    pledged = [e for e in entries if e.pledge]
    if pledged:
        doc.heading("四、表态")
        for entry in pledged:
            doc.text(entry.pledge, label=f"{entry.park.name}：", label_font=KAI_FONT)
            if entry.pledge_item_id:
                doc.text(f"上述表态已列入督办事项，由{entry.park.name}牵头办理，督查室跟踪督办。")
    doc.colophon("区领导，各园区、各部门。", issuer, chinese_date(issued))
    doc.save(file)


def _plain(value: Decimal) -> str:
    """25.0 → 25, 70.00 → 70, 12.50 → 12.5."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _num(value) -> str:
    return "—" if value is None else f"{rules.cents(Decimal(value))}"


__all__ = ["handbook_docx", "report_docx"]
