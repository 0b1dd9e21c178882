"""Propose records from a repaired text (DESIGN §5): parks and places, projects with their park
and construction content, enterprises, people with titles, dates, deadlines and problems.

Rules, not a model: regular expressions, the word lists in ``data/`` and jieba's segmentation
(its dictionary ships in the package) to find where a name starts. Every list keeps the order
of first appearance without repeats. A person confirms each proposal on the intake page.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path


@dataclass
class ProjectMention:
    name: str
    park: str | None
    content: str | None


@dataclass
class PersonMention:
    name: str
    title: str | None


@dataclass
class Extraction:
    parks: list[str]
    projects: list[ProjectMention]
    enterprises: list[str]
    people: list[PersonMention]
    dates: list[str]
    deadlines: list[str]
    problems: list[str]
    resolved_deadlines: list[tuple[str, datetime.date | None]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "parks": list(self.parks),
            "projects": [
                {"name": p.name, "park": p.park, "content": p.content} for p in self.projects
            ],
            "enterprises": list(self.enterprises),
            "people": [{"name": p.name, "title": p.title} for p in self.people],
            "dates": list(self.dates),
            "deadlines": list(self.deadlines),
            "problems": list(self.problems),
        }


def extract(text: str, reference_date: datetime.date | None = None) -> Extraction:
    people: dict[str, PersonMention] = {}
    sentences = []  # with each person's title and name blanked out, so no other name spans them
    for sentence in _sentences(text):
        masked = list(sentence)
        for start, end, person in _people_in(sentence):
            masked[start:end] = "，" * (end - start)
            known = people.setdefault(person.name, person)
            known.title = known.title or person.title
        sentences.append("".join(masked))
    projects = _projects(sentences)
    parks = [p for p in _unique(_parks(sentences)) if not any(p in j.name for j in projects)]
    deadlines = _unique(m.group() for m in _DEADLINE.finditer(text))
    return Extraction(
        parks=parks,
        projects=projects,
        enterprises=_unique(_enterprises(sentences)),
        people=list(people.values()),
        dates=_unique(_dates(text)),
        deadlines=deadlines,
        problems=_unique(_problems(sentences)),
        resolved_deadlines=[(d, resolve_deadline(d, reference_date)) for d in deadlines],
    )


# --- text pieces -------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[。！？；!?;\n]+")
_CLAUSE_END = re.compile(r"[，,：:]")
_PUNCT = set("，。、；：？！“”‘’（）()《》【】「」『』…—·,.;:?!\"' \t\u3000")


def _sentences(text: str) -> Iterator[str]:
    for piece in _SENTENCE_END.split(text):
        piece = piece.strip(" \t\u3000")
        if piece:
            yield piece


def _clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSE_END.split(sentence) if c]


@cache
def _jieba():  # type: ignore[no-untyped-def]
    import logging
    import warnings

    with warnings.catch_warnings():  # its regexes have invalid escapes (DeprecationWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        import jieba

    # jieba announces "Building prefix dict..." on stderr unless told otherwise.
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=32768)
def _tokens(text: str) -> tuple[str, ...]:
    """jieba's words for a short window of text; reports repeat their phrases, hence the cache."""
    return tuple(_jieba().cut(text))


@cache
def _words(name: str) -> frozenset[str]:
    path = Path(__file__).with_name("data") / name
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _ws(words: str) -> frozenset[str]:
    return frozenset(words.split())


@cache
def _function_words(in_names: bool = True) -> frozenset[str]:
    """Verbs, adverbs, prepositions, conjunctions, pronouns and idioms in jieba's dictionary
    (word, frequency, tag per line); by default less the words that occur inside project and
    company names ("提升改造", "及"), which do not occur inside a place's name."""
    if not in_names:
        dictionary = Path(_jieba().__file__).with_name("dict.txt")
        text = dictionary.read_text(encoding="utf-8")
        found = set()
        for line in text.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[2] in _FUNCTION_TAGS:
                found.add(parts[0])
        return frozenset(found)
    return _function_words(in_names=False) - _words("name_words.txt")


_FUNCTION_TAGS = _ws("v vd vg d ad p c u r i")


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


# Words that end a name when walking left from its head word ("先后深入到|航天科工产业园").
_LEAD_INS = _ws(
    "的 了 在 到 于 位于 对 向 从 由 和 与 以及 同 是 为 将 把 被 以 "
    "暨 等 有 其中 包括 分别 分别为 分别是 先后 深入 来到 走进 前往 赴 查看 "
    "察看 调研 考察 视察 督导 实地 举行 召开 实施 推进 推动 加快 启动 签约 签订 "
    "落户 引进 入驻 进驻 开工 竣工 投产 正式 共 此次 本次 该 这 这些 一批 各 "
    "全力 加速 集中 依托 依靠 围绕 成立 相继 已 也 都 还 就 即 如 除了 打造 "
    "谋划 建成 规划 聚焦 通过 带领 带队 陪同 参加 出席 主持 代表 一行 成功 获悉 "
    "斩获 新开工 省级 国家级 首批 大力 积极 重点 全区 全市 全县 目前 今年 去年"
)
_PLACE_END = ("镇", "乡", "村", "县", "区", "市", "省", "街道")


def _name_start(
    text: str,
    end: int,
    stops: frozenset[str] = _LEAD_INS,
    place: bool = False,
    verbs: bool = True,
) -> int:
    """Where the name ending at ``end`` begins: walk left over words until a lead-in word,
    punctuation or a verb ("先后深入到|航天科工新能源产业园", "认真听取|项目"). A verb between
    two other words belongs to the name ("高性能增强纤维制品"); for a place no verb does, and
    a number or another place ends it too ("淅河镇|碑岗村")."""
    window = max(0, end - _MAX_NAME)
    tokens = _tokens(text[window:end])
    function_words = _function_words(in_names=not place) if verbs else frozenset()
    brackets = frozenset() if place else _BRACKETS
    start = end
    inner_verbs = []  # (start, end) of verbs kept inside the name
    for i in range(len(tokens) - 1, -1, -1):
        token = tokens[i]
        if token in stops or token.isspace() or (token[-1] in _PUNCT and token not in brackets):
            break
        if place and (token in _PLACE_STOPS or (i < len(tokens) - 1 and _ends_a_place(token))):
            break
        if token in function_words:
            after_a_word = i > 0 and _name_like(tokens[i - 1], function_words, stops)
            if place or not after_a_word:
                break
            # One character after a word ends many brand names ("恒一锂能", "海尔希"); a longer
            # verb belongs to the name only between two words ("高性能增强纤维制品").
            if len(token) > 1:
                if i == len(tokens) - 1:
                    break  # right before the head word it governs it: "打通|项目"
                inner_verbs.append((start - len(token), start))
        start -= len(token)
    # "聚力实现|高质量项目": two characters before a verb are not a name's beginning.
    for verb_start, verb_end in reversed(inner_verbs):
        if verb_start - start > 2:
            break
        start = verb_end
    while start < end and text[start] in _BRACKETS:
        start += 1
    return start


def _name_like(token: str, function_words: frozenset[str], stops: frozenset[str]) -> bool:
    return not (token in function_words or token in stops or token[-1] in _PUNCT or token.isspace())


_BRACKETS = _ws("( ) （ ）")
_MAX_NAME = 32
_PLACE_STOPS = _ws("建设 发展 服务 支持 带动 融入 辐射 覆盖 涉及 个 家 座 处")


def _ends_a_place(token: str) -> bool:
    return token.endswith(_PLACE_END) or bool(_QUANTITY.fullmatch(token))


_CN = "一二三四五六七八九十两"
_NUMERAL = "0-9０-９.一二三四五六七八九十百千万亿两几多余"
_QUANTITY = re.compile(
    rf"^(?:[{_NUMERAL}]+(?:个|家|项|批|大|条|类|期|座|处|万|亿|元)?|个|家|座|处)"
)


# --- parks and places --------------------------------------------------------------------

_PARK_SUFFIX = re.compile(
    "(?:高新技术产业开发区|经济技术开发区|高新技术产业园区|经济开发区|产业开发区|高新区|经开区"
    "|开发区|工业园区|产业园区|产业园|工业园|化工园|科技园|物流园|创业园|产业新城|产业基地|园区"
    "|管理区|合作区|新区|镇|乡|村|街道|社区)"
)
_GENERIC_PLACE = _ws(
    "各 全 该 本 这 那 每 有关 相关 重点 特色 大型 主要 省级 国家级 市级 一流 "
    "标准化 试点 现代化 综合 周边 我 我们 城乡 农村 乡村 新农村 美丽乡村 示范 新 "
    "老 小 大 一个 两个 其他 城镇 乡镇 集镇 小镇 山村 渔村 街道 社区"
)


_DETERMINER = re.compile("各|全|该|本|每|这|那|其他|其余|所有|有关|相关|一批")


def _parks(sentences: list[str]) -> Iterator[str]:
    for sentence in sentences:
        for clause in _clauses(sentence):
            yield from _parks_in(clause)


def _parks_in(clause: str) -> Iterator[str]:
    for match in _PARK_SUFFIX.finditer(clause):
        end = match.end()
        if end < len(clause) and clause[end] in "民里委级干集内外部庄":
            continue  # 村民, 村里, 镇级, 园区内: not the end of a name
        start = _name_start(clause, end, place=True)
        name = clause[start:end]
        prefix = name[: len(name) - len(match.group())]
        if start > match.start() or not prefix or prefix in _GENERIC_PLACE:
            continue
        if name in _GENERIC_PLACE or _QUANTITY.fullmatch(prefix) or _DETERMINER.match(name):
            continue  # "城乡", "四大产业园", "各乡镇"
        if all(t in _GENERIC_PLACE for t in _tokens(prefix)):
            continue  # "标准化试点园区"
        if _tokens(clause[max(0, end - 6) : end])[-1] in _GENERIC_PLACE:
            continue  # "建设城乡": the word that ends here is not a place
        yield name


# --- projects ----------------------------------------------------------------------------

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
# A list right after one of these is a list of things being built: "加快建设A、B、C".
_BUILDING_VERBS = "开工建设|建成运营|建设|建成|新建|续建|运营"
_BUILDING = re.compile(_BUILDING_VERBS)  # used with match(), so anchored at its start
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
_ITEM = re.compile(r"[^、]+?(?:项目(?=和|及|以及|与)|(?=、)|$)")
_JOINT = re.compile(r"以及|和|及|与")
_HAN = re.compile("[\u4e00-\u9fff]+")


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


def _list_items(sentence: str, end: int, verbs: bool = False) -> list[tuple[int, str]]:
    """The items separated by 、 that end at ``end``, from the start of the clause, with their
    offsets; where the first one starts is found as for any name."""
    clause_start = max(sentence.rfind(c, 0, end) for c in "，,：:；") + 1
    items = _split_items(sentence, clause_start, end)
    offset, first = items[0]
    start = _name_start(sentence, offset + len(first), verbs=verbs)
    if building := _BUILDING.match(sentence, start, offset + len(first)):
        start = building.end()  # "加快建设|A、B、C"
    items[0] = (start, sentence[start : offset + len(first)])
    return [(offset, item) for offset, item in items if item]


def _split_items(sentence: str, start: int, end: int) -> list[tuple[int, str]]:
    """Split at 、 and after 项目 at 和/及/以及 ("…一体化项目和南外环建设")."""
    items = []
    for match in _ITEM.finditer(sentence[start:end]):
        if match.group():
            items.append((start + match.start(), match.group()))
    cleaned = []
    for offset, item in items:
        joint = _JOINT.match(item)
        if joint and cleaned and cleaned[-1][1].endswith("项目"):
            offset, item = offset + joint.end(), item[joint.end() :]
        cleaned.append((offset, item))
    return cleaned or [(start, "")]


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


# --- enterprises -------------------------------------------------------------------------

_COMPANY = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团|公司|药厂)")
_COMPANY_LIST = re.compile(r"等[^，。；、]{0,8}?(?:企业|公司)(?!和项目)")
_GENERIC_COMPANY = re.compile(
    r"^(?:该|本|我|各|每|上市|集团|子|母|分|总|合资|有限|相关|有关|龙头|重点|骨干|规上|环保型)?"
    r"(?:公司|集团|企业|有限公司|集团公司)$"
)


def _enterprises(sentences: list[str]) -> Iterator[str]:
    for sentence in sentences:
        for match in _COMPANY.finditer(sentence):
            end = match.end()
            if sentence[end : end + 2] in ("公司", "有限"):
                continue  # "集团|公司", "国药集团|随州…有限公司": the longer name follows
            start = _name_start(sentence, match.start())
            name = sentence[start:end]
            if len(name) > len(match.group()) and not _GENERIC_COMPANY.match(name):
                yield name
        for match in _COMPANY_LIST.finditer(sentence):
            items = _list_items(sentence, match.start(), verbs=True)
            if len(items) >= 2:
                yield from (i for _, i in items if len(i) >= 2 and not _QUANTITY.match(i))


# --- people ------------------------------------------------------------------------------

_AFTER_NAME = _ws(
    "说 表示 指出 强调 认为 要求 带队 一行 主持 宣布 出席 参加 介绍 先后 在 到 "
    "对 等 同志 调研 现场 陪同 代表 致辞 讲话 会见 向 和 与 及 率 率队 带领 "
    "召集 深入 听取 实地 就 一同 分别 提出 作 做 检查 督导 是 的 也 还 则 "
    "首先 主持召开 见证 、 ， , 。 ： : ； （ ( “"
)


@cache
def _after_name() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(_AFTER_NAME, key=len, reverse=True))))


@cache
def _title_pattern() -> re.Pattern[str]:
    titles = sorted(_words("titles.txt"), key=len, reverse=True)
    surnames = sorted(_words("surnames.txt"), key=len, reverse=True)
    return re.compile(
        "(?:" + "|".join(titles) + ")[:：]?(?=(" + "|".join(surnames) + ")[\u4e00-\u9fff])"
    )


def _people_in(sentence: str) -> Iterator[tuple[int, int, PersonMention]]:
    """(start, end, person) for each title followed by a name, and for each further name
    listed after it ("区领导邓兴、张忠良参加活动": 张忠良 without a title)."""
    floor = 0  # a title never reaches back over an earlier person's name
    for match in _title_pattern().finditer(sentence):
        if match.start() < floor:
            continue
        name = _person_name(sentence, match.end(), match.group(1))
        if name is None:
            continue
        title_end = match.end() - (sentence[match.end() - 1] in ":：")
        start = _title_start(sentence, title_end, floor)
        title = sentence[start:title_end] or None
        floor = match.end() + len(name)
        yield start, floor, PersonMention(name, title)
        while sentence[floor : floor + 1] == "、" and (more := _listed_name(sentence, floor + 1)):
            yield floor + 1, floor + 1 + len(more), PersonMention(more, None)
            floor += 1 + len(more)


def _listed_name(sentence: str, at: int) -> str | None:
    surname = next((s for s in _surnames() if sentence.startswith(s, at)), None)
    return _person_name(sentence, at, surname) if surname else None


@cache
def _surnames() -> list[str]:
    return sorted(_words("surnames.txt"), key=len, reverse=True)


def _person_name(text: str, at: int, surname: str) -> str | None:
    """The name after a title: the surname plus one or two characters, whichever is followed
    by a word that may follow a name; jieba decides when both or neither are."""
    fits = []
    for size in (1, 2):
        end = at + len(surname) + size
        given = text[at + len(surname) : end]
        if end > len(text) or not _HAN.fullmatch(given):
            continue
        if any(c in _NOT_IN_GIVEN_NAME for c in given):
            continue  # "书记周六现场办公会": a weekday, not a person
        if end == len(text) or _after_name().match(text, end):
            fits.append(text[at:end])
    fits = [f for f in fits if f not in _function_words(in_names=False)]  # "领导强调"
    if len(fits) == 1:
        return fits[0]
    # jieba.posseg would tag names but costs seconds to import; plain segmentation with its
    # HMM for unknown words keeps an unfamiliar name in one piece often enough.
    first = _tokens(text[at : at + len(surname) + 4])[0]
    given = first[len(surname) :]
    if (
        first.startswith(surname)
        and 1 <= len(given) <= 2
        and not any(c in _NOT_IN_GIVEN_NAME for c in given)
        and first not in _function_words(in_names=False)
        and (not fits or first in fits)
    ):
        return first
    return fits[-1] if fits else None


_NOT_IN_GIVEN_NAME = set("一二三四五六七八九十百千日月年")


def _title_start(sentence: str, end: int, floor: int) -> int:
    """Where the whole title before a name starts: organisations and the titles joined by 、
    ("随州高新区党工委书记、管委会主任")."""
    begin = max(_name_start(sentence, end, _TITLE_STOPS), floor)
    while begin > floor + 1 and sentence[begin - 1] == "、":
        before = sentence[: begin - 1]
        if not any(before.endswith(t) for t in _words("titles.txt")):
            break
        begin = max(_name_start(sentence, begin - 1, _TITLE_STOPS), floor)
    return begin


_TITLE_STOPS = _ws(
    "的 了 在 到 对 向 从 由 与 及 以及 同 是 为 将 把 被 以 暨 据 经 请 "
    "邀请 陪同 会同 由于 其中 包括 还 也 和 上午 下午 晚上 日前 近日 随后 此前 "
    "今年 昨日 当天 记者"
)


# --- dates and deadlines -----------------------------------------------------------------

_MONTH = r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])月"
_PART = r"(?:\d{1,2}日|上旬|中旬|下旬|初|底|末)"
_DATE = re.compile(
    rf"\d{{4}}年(?:\d{{1,2}}月(?:{_PART}|份)?|上半年|下半年|底|初)?"
    rf"|\d{{1,2}}月{_PART}"
    rf"|(?:[{_CN}\d]+至)?\d{{1,2}}月份"
)
# Deadlines as written: "三天后", "3个工作日内", "三天为限", "11月底前", "确保5月底开工".
_DEADLINE = re.compile(
    rf"(?:确保|力争|争取|务必|必须|要求)(?:在|于)?(?:{_MONTH}{_PART}?|年底|年内)前?"
    r"(?:开工|竣工|完工|投产|完成|建成|到位|见效|交付|封顶)"
    rf"|[{_CN}\d]+个?(?:工作日|天|日|周|星期|个月|小时)(?:后|内|之内|以内|为限)"
    rf"|(?:{_MONTH}{_PART}?|年底|月底|年内)前"
    rf"|限期[{_CN}\d]+个?(?:工作日|天|日|周|个月)"
)


def _dates(text: str) -> Iterator[str]:
    """Dates as written, except those inside a deadline ("11月底前" is a deadline)."""
    spans = [m.span() for m in _DEADLINE.finditer(text)]
    starts = [s for s, _ in spans]
    for match in _DATE.finditer(text):
        i = bisect.bisect_right(starts, match.start()) - 1
        if i < 0 or spans[i][1] <= match.start():
            yield match.group()


def resolve_deadline(text: str, reference: datetime.date | None) -> datetime.date | None:
    """The calendar date a deadline means, counted from ``reference`` (the report's date):
    "三天后" is reference + 3 days, "11月底前" the last day of November (next year's if that
    has passed), "年底前" 31 December. None when there is no reference or no date in it."""
    if reference is None:
        return None
    if m := re.search(rf"(?<![月\d{_CN}])([{_CN}\d]+)个?(工作日|天|日|周|星期|个月)", text):
        count = _number(m.group(1))
        unit = m.group(2)
        if count is None:
            return None
        if unit == "工作日":
            return _add_working_days(reference, count)
        if unit in ("天", "日"):
            return reference + datetime.timedelta(days=count)
        if unit in ("周", "星期"):
            return reference + datetime.timedelta(weeks=count)
        return _add_months(reference, count)
    if m := re.search(rf"([{_CN}\d]{{1,3}})月(\d{{1,2}}日|底|末|上旬|中旬|下旬|初)?", text):
        month = _number(m.group(1)) or 0
        if not 1 <= month <= 12:
            return None
        return _in_month(reference, month, m.group(2) or "底")
    if "年底" in text or "年内" in text:
        return datetime.date(reference.year, 12, 31)
    if "月底" in text:
        return _in_month(reference, reference.month, "底")
    return None


def _in_month(reference: datetime.date, month: int, part: str) -> datetime.date | None:
    def day_in(year: int) -> datetime.date | None:
        last = calendar.monthrange(year, month)[1]
        if part.endswith("日"):
            day = int(part[:-1])
            return datetime.date(year, month, day) if 1 <= day <= last else None
        return datetime.date(year, month, {"上旬": 10, "初": 10, "中旬": 20}.get(part, last))

    found = day_in(reference.year)
    if found is not None and found < reference:
        found = day_in(reference.year + 1)
    return found


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
    if text == "十":
        return 10
    if len(text) == 1:
        return digits.get(text)
    if text.startswith("十"):
        return 10 + digits.get(text[1], 0)
    if len(text) in (2, 3) and text[1] == "十":
        return digits.get(text[0], 0) * 10 + (digits.get(text[2], 0) if len(text) == 3 else 0)
    return None


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _add_working_days(day: datetime.date, count: int) -> datetime.date:
    """Official holidays and make-up working days when chinesecalendar knows the year."""
    try:
        from chinese_calendar import is_workday
    except ImportError:  # pragma: no cover - installed with the project

        def is_workday(d: datetime.date) -> bool:
            return d.weekday() < 5

    while count > 0:
        day += datetime.timedelta(days=1)
        try:
            working = is_workday(day)
        except NotImplementedError:  # a year the calendar does not cover yet
            working = day.weekday() < 5
        count -= working
    return day


# --- problems ----------------------------------------------------------------------------

_PROBLEM_LIST = re.compile(r"等(?:瓶颈|问题|难题|困难|短板|堵点|难点|制约因素|因素)")
_PROBLEM_WORD = re.compile(
    r"(?:短缺|不足|不优|不强|滞后|缓慢|紧张|不畅|受限|偏低|不到位|不够住|无处堆放|未办结|未落实)"
)
_STILL = re.compile(r"(?:仍有|还有|尚有|仍然存在|依然存在)([^，。；]{3,20})")
_GENERIC_PROBLEM = re.compile(r"^(?:的|存在的|突出|实际|困难|问题|难题|和|及|与|、)+$")


def _problems(sentences: list[str]) -> Iterator[str]:
    for sentence in sentences:
        found = []
        for match in _PROBLEM_LIST.finditer(sentence):
            found += _list_items(sentence, match.start(), verbs=True)
        for match in _PROBLEM_WORD.finditer(sentence):
            start = _name_start(sentence, match.start())
            found.append((start, sentence[start : match.end()]))
        for match in _STILL.finditer(sentence):
            found.append((match.start(1), match.group(1)))
        for _, problem in sorted(found):
            if len(problem) >= 4 and not _GENERIC_PROBLEM.match(problem):
                yield problem
