"""Demo work logs (DESIGN §2 "各部门干部继续书写周末日志,深入企业和重大项目现场解难释惑").

Seven cadres of five departments and parks are on the weekend-log roster. Over the last six
weekends each follows a habit: 陈晨 (招商局) and 孙伟 (城东产业园) always write on time, 刘洋
(经济发展局) every other weekend only on Monday morning (late), 黄志远 (住建局) has missed the
last three, 马晓燕 (自然资源和规划分局) was on leave one weekend, 郑凯文 and 宋立群 (parks)
mostly on time with a slip each. Their visits go to the report's enterprises and projects;
two visits raise problems (source 走访) and two logs carry a unit head's comment. A few
daily logs fill the weekdays; 国药集团随州中药 is never visited and 北新建材 not for 45 days,
so the "not visited" list has something to show.

Logs are written through ``services.write_log`` by each cadre's own account; the submission
times are then moved to the story's days with ``core.audit.update_audited`` (as the supervision
demo does: each move is an audit event of the true time of loading, so ``verify_audit
--records`` finds the rows as their events say). Idempotent: nothing is added when any work
log exists.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from tuijin.core.audit import audit_context, update_audited
from tuijin.core.demo_photos import site_photo
from tuijin.core.democlock import story_clock
from tuijin.org.demo import DEMO_PASSWORD
from tuijin.org.models import Person
from tuijin.projects.models import Enterprise, Project
from tuijin.supervision.models import Problem, ProblemCategory
from tuijin.worklogs import services
from tuijin.worklogs.models import Duty, Exemption, WorkLog, weekend_of
from tuijin.worklogs.services import VisitInput

WEEKENDS = 6
# Per cadre, newest weekend first: "on" (Saturday afternoon), "sun" (Sunday evening),
# "late" (Monday morning), "miss", "leave".
HABITS = {
    "陈晨": ["on", "on", "sun", "on", "on", "sun"],
    "孙伟": ["sun", "on", "on", "sun", "on", "on"],
    "刘洋": ["on", "late", "on", "late", "sun", "late"],
    "黄志远": ["miss", "miss", "miss", "on", "sun", "on"],
    "马晓燕": ["on", "sun", "leave", "on", "on", "sun"],
    "郑凯文": ["late", "on", "on", "miss", "on", "on"],
    "宋立群": ["on", "miss", "late", "on", "sun", "on"],
}
# Where each cadre goes (enterprise or project names from the ledger demo), in turn.
ROUNDS = {
    "陈晨": ["施奈德电气(随州)有限公司", "深圳吉瑞达(随州)电子科技有限公司", "云南年产2万吨高端锂电铜箔",
             "湖北交投随州供应链产业园"],
    "孙伟": ["湖北齐星应急装备有限公司", "文帝学校", "团结激光产业园"],
    "刘洋": ["湖北犇星新能源材料有限公司", "犇星二期年产3万吨新能源电解液", "国药国粹丸剂",
             "中昱环保设备"],
    "黄志远": ["随州电厂铁路专线", "化工园配套基础设施", "城东水厂", "南外环"],
    "马晓燕": ["人才公寓", "北新建材产业园"],
    "郑凯文": ["正丹化学(随州)有限公司", "鑫星新材料产业园", "年产10万吨石墨烯负极材料"],
    "宋立群": ["湖北府南新能源科技有限公司", "年产10万吨新能源动力电池负极材料一体化项目", "南外环"],
}  # fmt: skip
TEXTS = [
    "周末不休,深入{where}现场了解项目推进情况,对接企业负责人,梳理需要协调的事项并逐项落实。",
    "围绕项目转、围绕项目干,到{where}现场办公,查看施工进度,督促加快推进。",
    "走访{where},面对面听取企业诉求,能当场解决的当场解决,不能解决的列入清单跟踪。",
]
PURPOSES = ["了解项目进度", "协调解决施工难题", "听取企业诉求", "督促节点任务"]
FOUND = ["施工人员和机械已进场,进度符合计划", "二期设备安装受能耗指标影响有所滞后",
         "企业反映用工紧张", "场地平整基本完成"]  # fmt: skip
SOLVED = ["协调供电公司明确临时用电接入时间", "现场对接人社部门招聘专场", "",
          "明确下周节点任务和责任人"]  # fmt: skip
PROBLEMS = {  # cadre, weekend index → (category, problem raised on the first visit)
    ("陈晨", 1): ("产业配套", "产业配套不强:本地缺少电解液包装供应商,企业需从外地采购。"),
    ("刘洋", 2): ("能耗指标", "能耗指标不足,影响二期设备安装。"),
}
COMMENTS = {  # cadre, weekend index → (unit head, comment)
    ("刘洋", 0): ("张强", "情况清楚,能耗指标问题请继续跟踪,周日调度会上汇报。"),
    ("孙伟", 1): ("王立新", "现场工作扎实,齐星项目下周再去一次。"),
}
SUBMIT_AT = {"on": (0, 16), "sun": (1, 20), "late": (2, 9)}  # day offset from Saturday, hour


def _subjects(names: list[str]):
    found = []
    for name in names:
        subject = (
            Enterprise.objects.filter(name=name).first()
            or Project.objects.filter(name=name).first()
        )
        if subject is not None:
            found.append(subject)
    return found


def _user_of(person: Person):
    """The cadre's account; the demo gives those without one a login (demo password)."""
    if person.user_id is None:
        user = get_user_model().objects.create_user(
            username=f"cadre{person.pk}", password=DEMO_PASSWORD
        )
        person.user = user
        person.save()
    return person.user


def _visit(subject, n: int, problem=None) -> VisitInput:
    category, text = problem or (None, "")
    return VisitInput(
        enterprise=subject if isinstance(subject, Enterprise) else None,
        project=subject if isinstance(subject, Project) else None,
        purpose=PURPOSES[n % len(PURPOSES)],
        found=FOUND[n % len(FOUND)],
        solved=SOLVED[n % len(SOLVED)],
        problem_category=ProblemCategory.objects.filter(name=category).first()
        if category
        else None,
        problem_text=text,
    )


def _write(person, day: dt.date, kind: str, subjects, n: int, submitted: dt.datetime, problem=None):
    where = "、".join(str(s) for s in subjects)
    visits = [_visit(s, n + i, problem if i == 0 else None) for i, s in enumerate(subjects)]
    # Every fourth log carries a photo of the visit, taken an hour before it was written.
    photos = [site_photo(n, submitted - dt.timedelta(hours=1), name="走访")] if n % 4 == 0 else []
    with story_clock(submitted):  # the log's events carry the time it was written
        log = services.write_log(
            _user_of(person),
            kind=kind,
            date=day,
            text=TEXTS[n % len(TEXTS)].format(where=where),
            visits=visits,
            photos=photos,
        )
    submitted = submitted.astimezone(dt.UTC)  # as stamped on the story's clock: no move then
    with audit_context(action="load_demo"):
        update_audited(
            WorkLog.objects.filter(pk=log.pk).select_related("author"), submitted_at=submitted
        )
        update_audited(Problem.objects.filter(visit__log=log), raised_at=submitted)
    return log


def load_worklogs(units) -> dict:
    if WorkLog.objects.exists():
        return {"logs": WorkLog.objects.count(), "roster": Duty.objects.count()}
    today = timezone.localdate()
    first_saturday = weekend_of(today) - dt.timedelta(weeks=WEEKENDS - 1)
    people = {p.name: p for p in Person.objects.filter(name__in=HABITS)}
    # On the roster since the first weekend (its history says so, core/democlock.py).
    with story_clock(timezone.make_aware(dt.datetime.combine(first_saturday, dt.time(9)))):
        for name in HABITS:
            Duty.objects.get_or_create(person=people[name], defaults={"since": first_saturday})
    n = 0
    for index in range(WEEKENDS):
        saturday = weekend_of(today) - dt.timedelta(weeks=index)
        for name, habits in HABITS.items():
            person, habit = people[name], habits[index]
            if habit == "leave":
                asked = saturday - dt.timedelta(days=2)  # leave is asked for before the weekend
                with story_clock(timezone.make_aware(dt.datetime.combine(asked, dt.time(10)))):
                    Exemption.objects.get_or_create(
                        person=person,
                        start=saturday - dt.timedelta(days=1),
                        end=saturday + dt.timedelta(days=2),
                        defaults={"reason": Exemption.Reason.LEAVE, "note": "事假"},
                    )
                continue
            if habit == "miss":
                continue
            offset, hour = SUBMIT_AT[habit]
            submitted = timezone.make_aware(
                dt.datetime.combine(saturday + dt.timedelta(days=offset), dt.time(hour))
            )
            if submitted > timezone.now():
                continue  # this weekend is still going on
            rounds = _subjects(ROUNDS[name])
            picks = [rounds[(index + k) % len(rounds)] for k in range(1 + index % 2)]
            day = saturday + dt.timedelta(days=min(offset, 1))
            log = _write(person, day, WorkLog.Kind.WEEKEND, picks, n, submitted,
                         PROBLEMS.get((name, index)))  # fmt: skip
            n += 1
            if (name, index) in COMMENTS:
                head, text = COMMENTS[(name, index)]
                reader = Person.objects.get(name=head)
                read = min(submitted + dt.timedelta(hours=14), timezone.now())  # next morning
                with story_clock(read):
                    services.comment_on_log(_user_of(reader), log, text)
    # Weekday logs: a fresh visit for most key enterprises; 北新建材 only 45 days ago.
    for days_ago, name, subject in [
        (3, "刘洋", "湖北犇星新能源材料有限公司"),
        (4, "陈晨", "施奈德电气(随州)有限公司"),
        (5, "孙伟", "湖北齐星应急装备有限公司"),
        (6, "郑凯文", "正丹化学(随州)有限公司"),
        (9, "宋立群", "湖北府南新能源科技有限公司"),
        (45, "郑凯文", "北新建材(随州)有限公司"),
    ]:
        day = today - dt.timedelta(days=days_ago)
        submitted = timezone.make_aware(dt.datetime.combine(day, dt.time(18)))
        _write(people[name], day, WorkLog.Kind.DAILY, _subjects([subject]), n, submitted)
        n += 1
    return {"logs": WorkLog.objects.count(), "roster": Duty.objects.count()}


def summary_line(counts: dict) -> str:
    return f"工作日志:{counts['logs']} 篇,周末日志名单 {counts['roster']} 人。"
