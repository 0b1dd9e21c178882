"""Candidates for recall (I18, eighth round): projects written in shapes that name no 项目.

The finders in ``projects`` read a project mostly where 项目 ends its name or a list names its
kind. New texts name projects in other, general shapes; each is read here, with a reason and a
confidence that adds up how strong the shape is, and ``judge`` and ``projects._project`` decide
as for any name:

- a works noun after a named subject: "华鑫光电产业园", "中联重科塔机智能工厂", "金源冶炼技改
  工程" (a head word of a facility or a work, a proper name before it);
- a capacity after a named subject: "精锐恒丰年产300万只汽车传动皮带轮" (a maker, 年产 and
  what it makes);

A works noun is confident when an enterprise's or a trade's word is in its subject (a park's
head also needs a cue of building, money or capacity beside it, since a park visited is often
the zone itself), or a proper name begins it and such a cue is beside it; a capacity when a
proper name or a trade's word makes its maker. The rest go to 可能的项目 (from ``FLOOR`` up).
Three more shapes were measured and left out (eval/intake/README.md, eighth round): the items
of a list after a verb of a stage or a visit, lists whose items all end in a work's head, and
the other items of a list one item of which is a sure project; they proposed the zone's
villages, firms recruited, plots and a project's content as often as projects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tuijin.intake.extract import judge
from tuijin.intake.extract.text import _name_start, _tokens

# Below this a candidate is not proposed at all, not even as 可能的项目.
FLOOR = 0.5

# A park's head: a park visited may be the zone the report is about (see ``works``).
_PARKS = "产业园|工业园|科技园|物流园|创业园|孵化园|智造园|产业城|商业城|物流港"
_PARK_HEAD = re.compile(f"(?:{_PARKS})$")
# The head word of a facility or a work being built ("…产业园", "…智能工厂", "…技改工程").
_WORKS_HEAD = re.compile(
    f"(?:{_PARKS}"
    r"|产业基地|生产基地|研发基地|示范基地|基地"
    r"|智能工厂|数字化工厂|工厂|生产线|厂房|研发中心|物流中心|数据中心|产业中心|综合体|小镇"
    r"|(?<![一二三四五六七八九十\d])工程|电站)"
)
# A stage or a visit beside a name: what makes it a project being built.
_STAGE = re.compile(
    r"开工|动工|竣工|投产|投用|建成|完工|封顶|签约|落地|落户|入驻|奠基|试生产|达产|建设现场|施工现场"
    r"|现场|工地|正式运营|进展顺利|加快建设|开工建设|推进|建设"
)
_VISIT = re.compile(r"(?:观摩|调研|察看|查看|考察|视察|参观|走进|来到|深入|督查|督导|调度)了?$")
_CAPACITY_CUE = re.compile(r"年产|年加工|年处理")
_PRODUCT_END = re.compile(r"项目|的|等|及配套")  # where what a capacity makes ends


def _clause_span(sentence: str, start: int, end: int) -> tuple[int, int]:
    left = max(sentence.rfind(c, 0, start) for c in "，,；;：:") + 1
    right = min((i for i in (sentence.find(c, end) for c in "，,；;：:") if i >= 0), default=None)
    return left, len(sentence) if right is None else right


def _cues(sentence: str, start: int, end: int) -> list[tuple[str, float]]:
    """What around the name at ``start``–``end`` says it is being built."""
    found: list[tuple[str, float]] = []
    left, right = _clause_span(sentence, start, end)
    after = sentence[end:right]
    before = sentence[left:start]
    if stage := _STAGE.match(after) or _STAGE.match(
        after, len(after) - len(after.lstrip("已正在将即"))
    ):
        found.append((f"后接“{stage.group()}”", 0.15))
    if visit := _VISIT.search(before):
        found.append((f"前有“{visit.group()}”", 0.1))
    if money := judge._MONEY.search(sentence, left, right):
        found.append((f"同句有投资额“{money.group()}”", 0.15))
    if capacity := judge._CAPACITY.search(sentence, left, right):
        found.append((f"同句有产能“{capacity.group()}”", 0.15))
    return found


# A firm's or an industry's word before the works noun: the subject is an enterprise or a
# trade ("恒安内坑智能化生产基地", "航天科工新能源产业园"), not a place's zone ("黄桥工业园").
_INDUSTRY = judge._INDUSTRY


# What is built, said before: the content of a project named elsewhere ("主要建设年产…生产线").
_CONTENT_BEFORE = re.compile(r"主要建设|建设内容|主要生产|拟建设|新建|配置|包括")
# A zone's word inside the subject: the zone itself ("徐圩新区化工产业园"), not a project in it.
_ZONE_INSIDE = re.compile(r"新区|开发区|高新区|经开区|园区|示范区|试验区|管理区")
_BUILT_MEASURE = re.compile(r"建设[\d０-９一二三四五六七八九十两]")  # "配套建设10万吨…"
_MEASURE_START = re.compile(r"[\d０-９.一二三四五六七八九十两几多]+")


def _names_a_project(sentence: str, start: int, subject: str) -> bool:
    """A named subject of two characters or more that is not a measure ("10万吨|水稳料生产线",
    "22栋|…厂房"), a zone's word, or the content of a project described before it."""
    left = _clause_span(sentence, start, start)[0]
    return not (
        len(subject) < 2
        or not judge.has_named_subject(subject)
        or _MEASURE_START.match(subject)
        or _ZONE_INSIDE.search(subject)
        or _CONTENT_BEFORE.search(sentence, left, start + 4)
        or _BUILT_MEASURE.search(subject)
    )


def works(sentence: str) -> Iterator[tuple[int, int, str, str, float]]:
    """A named subject and a works noun: (start, end, name, reason, confidence). Confident
    when an enterprise's or a trade's word is in the subject, for a park (which may be the zone
    the report is about) with a cue of building beside it as well."""
    for match in _WORKS_HEAD.finditer(sentence):
        end = match.end()
        if sentence.startswith("项目", end):
            continue  # "…生产基地项目": a name ending in 项目, judged by the finders of 项目
        start = _name_start(sentence, end)
        head = sentence[start : match.start()]
        if not _names_a_project(sentence, start, head):
            continue
        proper = judge.proper_start(_tokens(head))
        industry = _INDUSTRY.search(head)
        cues = _cues(sentence, start, end)
        built = any(not c.startswith("前有") for c, _ in cues)
        why = [f"专名后接“{match.group()}”"]
        if industry:
            why.append(f"含企业或行业词“{industry.group()}”")
        if proper:
            why.append("以生僻专名起首")
        why.extend(c for c, _ in cues)
        if _PARK_HEAD.search(match.group()):
            strong = industry and built  # a park visited may be the zone itself
        else:
            strong = industry or (proper and built)
        if judge._MONEY.match(sentence, end):  # "万达广场大型商业综合体总投资60亿元": its own
            strong = True
        confidence = 0.7 if strong else 0.4 + (0.1 if built else 0.0)
        yield start, end, sentence[start:end], "；".join(why), confidence


def capacities(sentence: str) -> Iterator[tuple[int, int, str, str, float]]:
    """A maker, 年产 and what it makes: "精锐恒丰年产300万只汽车传动皮带轮"."""
    for match in _CAPACITY_CUE.finditer(sentence):
        start = _name_start(sentence, match.start())
        maker = sentence[start : match.start()]
        if not _names_a_project(sentence, start, maker):
            continue
        proper = judge.proper_start(_tokens(maker))
        if not (proper or _INDUSTRY.search(maker)):
            continue  # "后可|年产…": no maker named
        end = right = _clause_span(sentence, start, match.end())[1]
        if stop := _PRODUCT_END.search(sentence, match.end(), right):
            end = stop.start()
        if end - match.end() < 4 or not judge._CAPACITY.search(sentence, match.start(), end):
            continue
        cues = [c for c in _cues(sentence, start, end) if "产能" not in c[0]]
        confidence = 0.5 + (0.15 if proper else 0.0) + sum(w for _, w in cues)
        reason = "；".join(
            [f"专名后接产能“{sentence[match.start() : end][:12]}”", *(c for c, _ in cues)]
        )
        yield start, end, sentence[start:end], reason, min(0.9, confidence)
