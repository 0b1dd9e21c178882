"""Projects, with their park and construction content, from strongest rule to weakest."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tuijin.intake.extract.mentions import ProjectMention
from tuijin.intake.extract.places import _parks_in
from tuijin.intake.extract.text import (
    _BUILDING_VERBS,
    _CN,
    _LEAD_INS,
    _NUMERAL,
    _function_words,
    _list_items,
    _name_start,
    _split_items,
    _tokens,
    _ws,
)

_GENERIC_PROJECT = _ws(
    "重大 重点 招商引资 招商 产业 工业 在建 新建 续建 新开工 开工 签约 储备 谋划 "
    "试点 该 此 本 这些 一批 各 全区 全市 全县 以上 民生 基础设施 商业配套 配套 "
    "子 优质 龙头 行业类 投资 落地 建设 达产 存量 增量 科技人才类 产业类 大 好 "
    "首批 集中 当年 同类 已签约 内资 外资 市级 省级 国家级 文旅 商贸 服务业 城建 "
    "农业 亿元 千万元 万元 强 高端医药 基地型 龙头型 高质量 政策性支持 重点产业 "
    "航空航天类 二期 三期 一期 四期 其余 其他 上述 有关 相关 观摩 新旧动能 "
    "双百工程 年 年度 化解 服务 围绕 保障 推动 抓好 做好 促进 加快推进 狠抓 推进 "
    "实际 行动 力争 助力 确保 项目 及 以及 省 市 区 县 高质高效 高水平 高标准"
)
_GENERIC_PROJECT_RE = re.compile(
    "^(?:"
    + "|".join(sorted(map(re.escape, _GENERIC_PROJECT), key=len, reverse=True))
    + rf"|[{_NUMERAL}]+|个|亩|平方米|美元|或|以下|的|和|、)+$"
)
_NOT_A_NAME = re.compile(
    r"研讨会|会议|工作|情况|过程|推进|问题|谋划|招引|仪式|典礼|活动|\d+[年月日]|季度|批"
)
_LIST_END = re.compile(
    r"等(?:(?!项目)[^，。；、]){0,10}?(?<!子)(?:项目|工程)|等[^，。；、]{0,8}?企业和项目"
)
_BUILDING_BEFORE = re.compile(f"(?:{_BUILDING_VERBS})$")
_MEASURED = re.compile(r"^\d+(?:\.\d+)?(?:公里|千米|米|亩|个|万|亿|平方)")
_PROJECT_WORD = re.compile(r"项目(?:[(（][^()（）]{1,6}[)）])?")
_ENDS_IN_PROJECT = re.compile(r"项目(?:[(（][^()（）]{1,6}[)）])?$")
_AFTER_PROJECT = re.compile(r"(项目(?:[(（][^()（）]{1,6}[)）])?).*$")
_PREDICATE = re.compile(
    r"(?:等|(?:项目)?建设推进|推进|加速|加快|全面|全力|正在|如火如荼|有序|稳步|顺利|进展).*$"
)
_BUILT = re.compile(
    r"(?:产业园|工业园|科技园|物流园|创业园|园区|产业基地|小镇)"
    rf"(?=分[{_CN}\d]期建设|开工建设|正式开工|建成投产|竣工投产|全面竣工|主体封顶)"
)
_CONTENT_AFTER = re.compile(
    r"(?:主要建设内容为|建设内容(?:为|包括)|主要建设|主要生产|拟建设)([^，。；]+)"
)
_CLAUSE = re.compile(r"[^，,：:；]+")

Found = tuple[int, int, ProjectMention]  # start and end in the sentence, the mention


def _projects(sentences: list[str]) -> list[ProjectMention]:
    found: dict[str, ProjectMention] = {}
    for sentence in sentences:
        mentions: list[ProjectMention] = []
        claimed: list[tuple[int, int]] = []
        # A name already read as part of a list is not read again as a shorter name.
        for finder in (_park_list, _listed, _clause_list, _built_parks, _named_projects):
            for start, end, mention in finder(sentence):
                if not any(start < e and s < end for s, e in claimed):
                    claimed.append((start, end))
                    mentions.append(mention)
        content = _CONTENT_AFTER.search(sentence)
        for mention in mentions:
            if content and mention.content is None and len(mentions) == 1:
                mention.content = content.group(1)
            key = _project_key(mention.name)
            known = found.get(key) or next(
                (p for k, p in found.items() if _same_project(k, key)), None
            )
            if known is None:
                found[key] = mention
            elif known.park is None and mention.park is not None:
                known.name, known.park = mention.name, mention.park
                known.content = known.content or mention.content
    return list(found.values())


def _same_project(a: str, b: str) -> bool:
    """One name inside the other and at least half as long: "千万平方米综合产业园区" and
    "晋江千万平方米综合产业园区" are one project."""
    short, long = sorted((a, b), key=len)
    return short in long and 2 * len(short) >= len(long)


def _project_key(name: str) -> str:
    return _PROJECT_SUFFIX.sub("", name)


_PROJECT_SUFFIX = re.compile(r"(?:建设)?项目(?:[(（].*[)）])?$")
_BUILD_SUFFIX = re.compile(r"(?:项目)?建设$")


def _project(name: str, park: str | None = None) -> ProjectMention | None:
    name = name.strip(" “”\"'")
    core = _project_key(name)
    if len(core) < 2 or _GENERIC_PROJECT_RE.match(core) or _NOT_A_NAME.search(core):
        return None
    return ProjectMention(name, park, _content(name))


def _content(name: str) -> str | None:
    """What is built, when the name says it: "犇星二期年产3万吨新能源电解液" gives
    "年产3万吨新能源电解液"; "施奈德电气公司高低压成套设备" gives "高低压成套设备"."""
    core = _project_key(name)
    if (at := core.find("年产")) >= 0:
        return core[at:]
    for word in ("有限公司", "公司"):
        at = core.find(word)
        if at >= 0 and len(core) - at - len(word) >= 2:
            return core[at + len(word) :]
    return None


def _park_list(sentence: str) -> Iterator[Found]:
    """A park, then its projects: "青春化工园，A、B、C等项目全力推进"."""
    head = _CLAUSE.match(sentence)
    if head is None or head.end() >= len(sentence) or sentence[head.end()] not in "，,":
        return
    park = next(_parks_in(head.group()), None)
    rest = sentence[head.end() + 1 :]
    if park != head.group() or ("、" not in rest and "项目" not in rest):
        return
    items = _split_items(sentence, head.end() + 1, len(sentence))
    offset, last = items[-1]
    items[-1:] = _split_items(sentence, offset, offset + len(_PREDICATE.sub("", last)))
    for offset, item in items:
        item = _BUILD_SUFFIX.sub("", item)
        if mention := _project(item, park):
            yield offset, offset + len(item), mention


def _listed(sentence: str) -> Iterator[Found]:
    """Items before 等…项目: "A、B、C等项目", "A、B等一批重点项目"."""
    for match in _LIST_END.finditer(sentence):
        items = _list_items(sentence, match.start())
        if len(items) >= 2 or "项目" in match.group():
            yield from _item_projects(items)


def _clause_list(sentence: str) -> Iterator[Found]:
    """A list in which some item ends in 项目: "到A、B、C项目现场", "A、B项目、C项目等"."""
    for clause in _CLAUSE.finditer(sentence):
        if "、" not in clause.group():
            continue
        items = _list_items(sentence, clause.end())
        if not items:
            continue
        offset, last = items[-1]
        cut = _AFTER_PROJECT.sub(r"\1", last) if "项目" in last else _PREDICATE.sub("", last)
        items[-1] = (offset, cut)
        # A list of projects: things being built, or an item is a name ending in 项目.
        if _BUILDING_BEFORE.search(sentence, 0, items[0][0]):
            yield from _item_projects(items, strict=True)
        elif any(
            _ENDS_IN_PROJECT.search(i) and next(_item_projects([(0, i)]), None) for _, i in items
        ):
            yield from _item_projects(items)


def _item_projects(items: list[tuple[int, str]], strict: bool = False) -> Iterator[Found]:
    """Projects among list items; ``strict`` also refuses an item with any verb in it, for
    lists that only a verb before them marks as lists of projects ("建设A、B、C")."""
    for offset, item in items:
        if "的" in item:  # "总投资2.6亿元的洪川实业有限公司冶金阀门"
            cut = item.rindex("的") + 1
            offset, item = offset + cut, item[cut:]
        item = _BUILD_SUFFIX.sub("", item)
        if _MEASURED.match(item):  # "35公里蓼河生态长廊": a measure, then a description
            continue
        if strict and any(t in _function_words() for t in _tokens(item)):
            continue
        if _looks_like_a_name(item) and (mention := _project(item)):
            yield offset, offset + len(item), mention


def _looks_like_a_name(item: str) -> bool:
    """Not a phrase such as "协调解决项目" or "现场办公": the last word before 项目 is no verb,
    and a short item does not start with one either ("确保重点项目")."""
    tokens = _tokens(_project_key(item))
    if not tokens:
        return False
    function_words = _function_words()
    if any(t in _LEAD_INS for t in tokens):
        return False
    if tokens[-1] in function_words and not (
        len(tokens[-1]) == 1 and len(tokens) > 1 and tokens[-2] not in function_words
    ):
        return False
    return not (tokens[0] in function_words and len(tokens) <= 2)


def _built_parks(sentence: str) -> Iterator[Found]:
    """A park that is being built is a project: "泰兴绿能环保产业园分三期建设"."""
    for match in _BUILT.finditer(sentence):
        start = _name_start(sentence, match.end())
        if start < match.start() and (mention := _project(sentence[start : match.end()])):
            yield start, match.end(), mention


def _named_projects(sentence: str) -> Iterator[Found]:
    """A name ending in 项目: "…的人才公寓项目地块", "众安诚旭新型建筑材料建设项目开工"."""
    for match in _PROJECT_WORD.finditer(sentence):
        start = _name_start(sentence, match.start())
        if mention := _project(sentence[start : match.end()]):
            yield start, match.end(), mention
