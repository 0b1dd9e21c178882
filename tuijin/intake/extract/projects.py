"""Projects, with their park and construction content, from strongest rule to weakest."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tuijin.intake.extract import judge, shapes
from tuijin.intake.extract.mentions import CONFIDENT, ProjectMention
from tuijin.intake.extract.places import _parks_in
from tuijin.intake.extract.text import (
    _BUILDING,
    _BUILDING_VERBS,
    _CN,
    _LEAD_INS,
    _NUMERAL,
    _function_words,
    _inside_noun,
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
    r"研讨会|会议|工作|情况|过程|推进|问题|谋划|招引|仪式|典礼|活动|\d+[年月日]|季度"
    r"|批(?!发)"  # "第三批", not "…农副产品批发市场"
    r"|^关于|事宜|事项"  # "关于永兴煤业申请关闭退出事宜": a matter put to a meeting
    r"|(?:[^招]局|委|厅|政府|委员会)$"  # an office's 项目路条 or 项目资金, not a project
    r"|资金|债券|国债|预算|(?:投资|合作|发展|配套)$|\([^)]*$|[一二三四五六七八九十\d]+大$"  # funds ("专项资金项目"), kinds ("中省投资项目")
    r"|(?<!升)级$"  # "省级", "国家级" are kinds; "…公园提档升级" is a work on a named place
)
_LEADING_YEAR = re.compile(r"^\d{4}年度?(?=[\u4e00-\u9fff]{2})")  # "2025年高标准农田项目"
# A list is construction content, not projects, after these: "主要建设A、B等项目".
_CONTENT_BEFORE = re.compile(r"(?:主要建设|主要生产|建设内容(?:为|包括)?|主要包括|包括)$")
# A list ending in 等 and a head that is not 项目 or 工程 lists something else: "等循环发展措施".
_OTHER_HEAD = re.compile(
    r"等[^，。；、]{0,8}?(?:措施|领域|方面|工作|行业|环节|产业|企业|部门|单位)$"
)
# "…规划、线路迁改、…项目建设等工作作出安排": a list of tasks, whatever follows 工作 (its
# items ending in 项目 are read as names on their own).
_TASKS_END = re.compile(r"等(?:各项|相关|方面的?)?工作")
_LIST_END = re.compile(
    # "等6个省、市重点项目": the levels joined by 、 are one word of the head
    r"等(?:(?!项目)(?:[省市县区]、[省市县区]|[^，。；、])){0,16}?(?<!子)(?:项目|工程)"
    r"|等[^，。；、]{0,8}?企业和项目"
)
_BUILDING_BEFORE = re.compile(f"(?:{_BUILDING_VERBS})$")
_MEASURED = re.compile(r"^\d+(?:\.\d+)?(?:公里|千米|米|亩|个|万|亿|平方|栋|幢|座)")
_TONNAGE = re.compile(r"^\d+(?:\.\d+)?万?(?:吨|台|套|片|千瓦)")
_PHASE_WORK = re.compile(f"[{_CN}]期工程")
_PROJECT_WORD = re.compile(r"项目(?:[(（][^()（）]{1,6}[)）])?")
# 项目 as a modifier of what follows, not the head of a name: "芦山县项目工作调度会".
_MODIFIED_AFTER = re.compile(
    r"(?:工作|调度|推进会|观摩|储备|谋划|招引|负责人|责任单位|单位|资金|库|投资协议|协议|合同)"
)
_ENDS_IN_PROJECT = re.compile(r"项目(?:[(（][^()（）]{1,6}[)）])?$")
_AFTER_PROJECT = re.compile(r"(项目(?:[(（][^()（）]{1,6}[)）])?).*$")
_PREDICATE = re.compile(
    r"(?:等|(?:项目)?建设推进|推进|加速|加快|全面|全力|正在|如火如荼|有序|稳步|顺利|进展).*$"
)
_BUILT = re.compile(
    r"(?:产业园|工业园|科技园|物流园|创业园|园区|产业基地|小镇|(?<=[\u4e00-\u9fff]{2})园)"
    rf"(?=分[{_CN}\d]期建设|开工建设|正式开工|建成投产|竣工投产|全面竣工|主体封顶"
    r"|建设所在地|建设场地|的建设|建设(?:加速|加快|全面|稳步|顺利|有序)推进"
    r"|(?:启动|开工|奠基)仪式|奠基)"  # "万华工业园启动仪式": the park's own start
)
_CONTENT_AFTER = re.compile(
    r"(?:主要建设内容为|建设内容(?:为|包括)|主要建设|主要生产|拟建设)([^，。；]+)"
)
_CLAUSE = re.compile(r"[^，,：:；]+")

Found = tuple[int, int, ProjectMention]  # start and end in the sentence, the mention


_BYLINE = re.compile(r"^[^，。；]{0,16}?讯\s*(?:[(（][^()（）]{1,40}[)）])?")
_TAIWAN_XIANGMU = re.compile(r"专案(?!组|调查|审查|侦查|小组)")


def _as_written(name: str, sentence: str) -> str:
    if name in sentence:
        return name
    written = name.replace("项目", "专案")
    return written if written in sentence else name


def _projects(sentences: list[str]) -> list[ProjectMention]:
    found: dict[str, ProjectMention] = {}
    column = _column_items(sentences)
    for number, sentence in enumerate(sentences):
        mentions: list[ProjectMention] = []
        claimed: list[tuple[int, int]] = []
        if number in column:
            mentions.append(column[number])
            claimed.append((0, len(sentence)))
        # A name already read as part of a list is not read again as a shorter name.
        finders = (
            _park_list,
            _counted_list,
            _tallied_clauses,
            _listed,
            _clause_list,
            _built_parks,
            _described,
            _sites_at,
            _visited,
            _named_projects,
            _facilities,
            _shaped,
        )
        # Taiwan usage writes 专案 (專案) for 项目: read it as 项目, keep the page's word.
        read = _TAIWAN_XIANGMU.sub("项目", sentence) if "专案" in sentence else sentence
        if "讯" in read:  # "本报讯(王志鹏)信阳市…", "东南网9月22日讯(通讯员 黄耿煌 刘锡颖)项目…"
            read = _BYLINE.sub(lambda m: " " * len(m.group()), read)
        for finder in finders:
            for start, end, mention in finder(read):
                if not any(start < e and s < end for s, e in claimed):
                    claimed.append((start, end))
                    mentions.append(mention)
        if read is not sentence:
            for mention in mentions:
                mention.name = _as_written(mention.name, sentence)
        content = _CONTENT_AFTER.search(sentence)
        for mention in mentions:
            if content and mention.content is None and len(mentions) == 1:
                mention.content = content.group(1)
            key = _project_key(mention.name)
            known = found.get(key) or next(
                (
                    p
                    for p in found.values()
                    if any(_same_project(_project_key(n), key) for n in [p.name, *p.aliases])
                ),
                None,
            )
            if known is None:
                found[key] = mention
                continue
            spellings = [known.name, *known.aliases, mention.name]
            if known.park is None and mention.park is not None:
                known.name, known.park = mention.name, mention.park
                known.content = known.content or mention.content
            elif len(_project_key(mention.name)) > len(_project_key(known.name)) and (
                mention.confidence >= known.confidence
            ):
                known.name = mention.name  # the long form names it: "高新发展…产业园二期项目"
            known.aliases = [n for n in dict.fromkeys(spellings) if n != known.name]
            if mention.confidence > known.confidence:
                known.reason, known.confidence = mention.reason, mention.confidence
    return list(found.values())


def _column_items(sentences: list[str]) -> dict[int, ProjectMention]:
    """Short lines one under another, one of them a name ending in 项目, list projects the way
    、 does ("古路互通红池坝快速通道 / 华侨城项目 / 凤马大道 / 巫镇高速"): the other lines that are
    proper names or long names ending in a facility's head are projects too."""
    runs: list[list[int]] = []
    for number, sentence in enumerate(sentences):
        if _LINE_ITEM.fullmatch(sentence):
            if runs and runs[-1][-1] == number - 1:
                runs[-1].append(number)
            else:
                runs.append([number])
    items: dict[int, ProjectMention] = {}
    for run in runs:
        lines = [sentences[n] for n in run]
        if len(run) < 3 or not any(
            _ENDS_IN_PROJECT.search(line) and judge.has_named_subject(_project_key(line))
            for line in lines
        ):
            continue
        for number, line in zip(run, lines, strict=True):
            if _ENDS_IN_PROJECT.search(line) or not (
                judge.has_named_subject(line) or _PLACE_HEAD.search(line)
            ):
                continue  # the line ending in 项目 is read as any name is
            for _, _, mention in _item_projects([(0, line)], reason="列于竖排清单", confidence=0.7):
                items[number] = mention
    return items


_LINE_ITEM = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{3,16}")


def _same_project(a: str, b: str) -> bool:
    """One name inside the other and at least half as long: "千万平方米综合产业园区" and
    "晋江千万平方米综合产业园区" are one project; so are a short form and its long form
    ("高发智能制造产业园" and "高新发展智能制造产业园二期", "晋江千万…" and "晋江市千万…")."""
    short, long = sorted((a, b), key=len)
    if short in long and 2 * len(short) >= len(long):
        return True
    return _abbreviates(short, long)


_PHASE = re.compile(f"^(?:[{_NUMERAL}]+期)?$")


def _abbreviates(short: str, long: str) -> bool:
    """``short`` is ``long`` with its first words shortened: they end alike (at least four
    characters, ``long`` perhaps with a phase after) and the short form's beginning takes its
    characters in order from the long form's, starting with the same one (after a place:
    "瑞祥化工一期工程" is "江苏瑞祥化工有限公司一期工程")."""
    for size in range(len(short) - 1, 3, -1):
        tail = short[len(short) - size :]
        at = long.find(tail)
        if at <= 0 or not _PHASE.match(long[at + size :]):
            continue
        head, long_head = short[: len(short) - size], long[:at]
        if head[:1] != long_head[:1]:  # "江苏|瑞祥化工有限公司": a firm's place before its name
            lead = long_head[: max(long_head.find(head[:1]), 0)]
            if not lead or judge._dictionary().get(lead, (0, ""))[1] != "ns":
                return False
            long_head = long_head[len(lead) :]
        if len(head) >= len(long_head):
            return False
        rest = iter(long_head)
        return all(c in rest for c in head)
    return False


def _project_key(name: str) -> str:
    return _PROJECT_SUFFIX.sub("", name)


_PROJECT_SUFFIX = re.compile(r"(?:建设)?项目(?:[(（].*[)）])?$")
_PINYIN = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]|^[)）]")
_QUOTES = re.compile(r"[“”\"'‘’]")
_BUILD_SUFFIX = re.compile(r"(?:项目)?建设$")


def _project(
    name: str, park: str | None = None, reason: str = "", confidence: float = 1.0
) -> ProjectMention | None:
    name = name.strip(" “”\"'")
    core = _project_key(name)
    bare = _LEADING_YEAR.sub("", _QUOTES.sub("", core))  # "“二期”项目" is a phase, no name
    if len(bare) < 2 or _GENERIC_PROJECT_RE.match(bare):
        return None
    if _NOT_A_NAME.search(bare) and not _with_its_works(bare):
        return None
    if _PINYIN.search(name):
        return None  # a repair's leftover ("dòng)项目" from lost bytes), not a name
    if judge.not_a_name(name, ""):
        return None
    if judge.verb_object_cut(core):
        return None  # a task ("检查产业项目"); callers that may cut the name do so first
    if len(tokens := _tokens(core)) >= 2 and tokens[-1] in _RANK:
        return None  # "…临空经济区|优质|项目", "全市|重大|项目": a rank of projects, a kind
    if _ILL_FORMED.search(name) or _KIND_END.search(core) or _placed_only(tokens):
        return None  # "刘锡颖)项目", "XX道路"; "…洽谈会招商引资项目", "…春季线上项目"
    if _manner_and_verb(core) or _idiom_or_verb(tokens):
        return None  # "早|建项目", "勤|跑项目"; "如火如荼项目", "做足": how, not what
    return ProjectMention(name, park, _content(name), reason, confidence)


# A closing bracket with no opening one (a byline's end), a template's placeholder.
_ILL_FORMED = re.compile(r"^[^(（]*[)）]|XX|××|ＸＸ")
# Kinds named by how or when they were brought in: "…招商引资项目", "春季线上项目".
_KIND_END = re.compile(
    r"(?:招商引资|招商|线上|线下|[春夏秋冬]季|[上下]半年|(?<![投融物])[台港澳韩日美欧外内民侨]资)$"
)  # "…6000万美元韩资项目": a kind by where the money comes from


def _placed_only(tokens: tuple[str, ...]) -> bool:
    """A county, a district or a town closes the name: its projects, a kind ("元氏县|项目建设成果",
    "…旅游节|广陵区|项目"); a causative closes a title's clause ("…之城|让|项目建设跑起来")."""
    last = tokens[-1] if tokens else ""
    return last in ("让", "使", "把") or (
        len(last) >= 3
        and last[-1] in "县市区镇乡"
        and judge._dictionary().get(last, (0, ""))[1] in ("ns", "nr", "")
        and not last.endswith(
            ("园区", "新区", "开发区", "高新区", "经开区", "集聚区", "小镇", "古镇")
        )
        and not last.endswith(("古市", "集市", "夜市", "城市", "都市", "街区", "社区", "景区"))
    )


def _manner_and_verb(core: str) -> bool:
    """Two characters, a manner and a one-character verb: "早|建", "勤|跑", "广|谋" (项目):
    a slogan's task, as "抓|项目" is."""
    if len(core) != 2:
        return False
    manner = judge._dictionary().get(core[0], (0, ""))[1]
    verb = judge._dictionary().get(core[1], (0, ""))[1]
    return manner in ("a", "d") and verb == "v"


def _idiom_or_verb(tokens: tuple[str, ...]) -> bool:
    """An idiom (jieba's i) before 项目 ("如火如荼|项目"), or a name that is one verb ("做足")."""
    tags = [judge._dictionary().get(t, (0, ""))[1] for t in tokens]
    return bool(tags) and (tags[-1] == "i" or (len(tokens) == 1 and tags[0] == "v"))


# Words that rank projects: a name never ends in one ("…优质项目", "全市重大项目" are kinds).
_RANK = frozenset(_ws("优质 重大 重点 龙头 高端 新兴 大型 优秀 好"))


def _with_its_works(bare: str) -> bool:
    """A named project and its supporting works: "华锐光电年产5GW光伏组件|及配套", where
    "园区基础设施及配套" names a kind."""
    head = bare.removesuffix("及配套")
    return (
        head != bare
        and len(head) >= 2
        and not _NOT_A_NAME.search(head)
        and judge.has_named_subject(head)
    )


def _quote(sentence: str, start: int, end: int) -> str:
    """The words of a cue, shortened in the middle: "青春化工园,…等项目"."""
    text = sentence[start:end]
    return text if len(text) <= 20 else f"{text[:8]}…{text[-8:]}"


_SHORT = 4  # a name of common words this short is a kind of project ("实体经济项目")
_DESCRIPTIVE = 8
_PLACED = ("含产能", "后接", "有地点")  # cues that make even "人才公寓项目" one place's project


def _named_project(sentence: str, start: int, end: int) -> Found | None:
    """A name ending at ``end`` in 项目, judged: a verb-object phrase is cut after its verb, a
    phrase without a named subject is none; the confidence adds up the cues around it."""
    gloss = _GLOSS_END.search(sentence, start, end)  # "…配套基础设施项目(三期实施项目)"
    if (inner := sentence.rfind("项目", start, gloss.start() if gloss else end - 2)) >= 0:
        start = inner + 2  # "用大项目|好项目": a name holds 项目 once, at its end
    if prefix := _ORDINAL.match(sentence, start, end) or _MONEY_BEFORE.search(sentence, start, end):
        start = prefix.end()  # "三要|项目谋划", "总投资150亿元|海创磷酸铁锂项目", "瞄准30~50亿元|…"
    start += judge.verb_object_cut(_project_key(sentence[start:end]))
    if (built := _BUILDING.match(sentence, start, end)) and judge.proper_start(
        _tokens(sentence[built.end() : end])
    ):
        start = built.end()  # "尽快运营|申华汽车博展园项目": the work done on a named project
    name = sentence[start:end].strip(" “”\"'")
    if "“" not in name:
        name = name.replace("”项目", "项目")  # "“高铁枢纽片区2号地”项目"
    if not name or judge.not_a_name(name, sentence[max(0, start - 4) : start]):
        return None
    if _COUNTED.match(name) or _COUNT_AFTER.match(sentence, end):
        return None  # "入驻科创中心项目8个": a kind of project, counted
    if start and sentence[start - 1] == "等":
        return None  # "A、B等业态融合项目": the kind the list belongs to, not one more project
    park, start, name = _park_before(sentence, start, name)
    core = _LEADING_YEAR.sub("", _project_key(name))
    if _placed_kind(core):
        return None  # "河南省要点建设项目": a place's kind of project
    cues = judge.cues(name, sentence, start, end)
    if not judge.has_named_subject(core):
        if len(core) <= _SHORT and not any(c.startswith(_PLACED) for c, _ in cues):
            return None  # "招商项目", "生态木业项目": a kind of project, not one
        if len(core) >= _DESCRIPTIVE:  # "高新发展智能制造产业园二期": specific by its length
            cues.append((f"名称较长({len(core)}字)", 0.15))
    confidence = min(0.95, 0.35 + sum(weight for _, weight in cues))
    head = "项目" if "项目" in name else name[-4:]
    reason = "；".join([f"名称以“{head}”结尾", *(cue for cue, _ in cues)])
    if mention := _project(name, park, reason=reason, confidence=round(confidence, 2)):
        return start, end, mention
    return None


_GLOSS_END = re.compile(r"项目[(（][^()（）]{0,4}项目[)）]$")
_ORDINAL = re.compile(f"[{_CN}]+(?:是|要|抓|看)")  # "一是", "三要": the points of a speech
_MONEY_BEFORE = re.compile(
    r"(?:(?:总投资|计划投资|投资)?约?[\d.０-９]+(?:[~～至-][\d.０-９]+)?(?:万|亿)(?:美)?元(?:的|或)?)+"
)  # "总投资150亿元|…", "30~50亿元或3~5亿美元|工业项目"
_COUNTED = re.compile(f"[\\d{_CN}]+(?:大类|类|个|项|批)")  # "4大类27个子项目"
_COUNT_AFTER = re.compile(f"[\\d{_CN}]+[个项]")


def _placed_kind(core: str) -> bool:
    """A province, city, county or zone, then a few common words: "河南省重点", "我县民生",
    "双桥经开区招商"; a park, then words that pick out no project: "虹桥工业园区|重大"."""
    park = next(_parks_in(core), None)
    if park and core.startswith(park) and core != park:
        rest = core[len(park) :]
        if _GENERIC_PROJECT_RE.match(rest) and not judge._PHASE_TOKEN.search(rest):
            return True
    place = _PLACE_PREFIX.match(core)
    rest = core[place.end() :] if place else ""
    if _PLACE_HEAD.search(rest):
        return False  # "孝感开发区标准厂房": a facility there, not a kind
    return bool(place) and 0 < len(rest) <= 4 and not judge.has_named_subject(rest)


_PLACE_PREFIX = re.compile(r"[\u4e00-\u9fff]{1,3}(?:[省市县]|经开区|高新区|开发区)")


def _park_before(sentence: str, start: int, name: str) -> tuple[str | None, int, str]:
    """A park's name before a named project is where the project is, not part of its name:
    "沿海工业园|蓝素项目" is 蓝素项目 in 沿海工业园. The park's own project ("…产业园二期项目",
    "…产业园项目") keeps it."""
    park = next(_parks_in(name), None)
    if park is None or not name.startswith(park) or _FIRM_WORD.search(park):
        return None, start, name  # "聚绅药业海口高新区…": a firm, not a park, begins it
    rest = _project_key(name[len(park) :])
    if len(rest) < 2 or not judge.has_named_subject(rest) or _PHASE_ONLY.match(rest):
        return None, start, name
    return park, start + len(park), name[len(park) :]


_FIRM_WORD = re.compile(r"药业|集团|公司|科技|实业|股份|控股")
_PHASE_ONLY = re.compile(f"^(?:[{_CN}\\d]+期|配套|基础设施|标准厂房)")


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
    reason = f"列举于“{_quote(sentence, 0, len(sentence))}”"
    for offset, item in items:
        item = _BUILD_SUFFIX.sub("", item)
        if mention := _project(item, park, reason, 0.95):
            yield offset, offset + len(item), mention


def _counted_list(sentence: str) -> Iterator[Found]:
    """Projects counted, then listed: "开工项目6个,包括宁德博发、江苏嘉盛、…" names them; so do
    projects of no name in particular before 包括/分别是 ("此次竣工项目包括A、B", "这次开工的
    4个项目总投资6.5亿元,分别是A、B"), where an item of common words is one too when it ends in
    项目 or is long enough to be specific ("园区公共服务中心及配套设施")."""
    for match in _COUNTED_THEN_LISTED.finditer(sentence):
        end = match.end()
        while end < len(sentence) and sentence[end] not in "，,。；;：:":
            end += 1
        items = _split_items(sentence, match.end(), end)
        if match.group(1) and len(items) < _count_of(match.group(1)) == len(
            joined := [p for o, i in items for p in _at_joints(o, i)]
        ):  # "新开工项目两个,分别是海远生物和伍佰生物"
            items = joined
        if len(items) < 2:
            continue
        lead = sentence[_name_start(sentence, match.start()) : match.start()]
        lead = _COUNT_AT_END.sub("", lead)  # "这次开工的|4个|项目"
        bare = match.start() == 0 or sentence[match.start() - 1] in "，,：:该此本"
        if not match.group(1) and (bare or judge.has_named_subject(lead)):
            continue  # "X项目包括A、B", ",项目包括…": what one project is made of
        items = _joined_products(sentence, items)
        named = [(o, i) for o, i in items if judge.has_named_subject(_project_key(i))]
        if match.group(1) and _count_of(match.group(1)) == len(items):
            # "基础设施类项目6个,分别是…滨河路(西四环—西三环)等": all six counted
            named = [(o, i.removesuffix("等")) for o, i in items]
        reason = f"列举于“{_quote(sentence, match.start(), end)}”"
        yield from _item_projects(named, reason=reason, confidence=0.85)
        if match.group(1):
            continue  # "开工项目6个,包括…": firms, the named ones only
        unnamed = [(o, i) for o, i in items if (o, i) not in named and _specific(i)]
        yield from _item_projects(unnamed, reason=f"{reason}；无专名", confidence=0.7)


def _at_joints(offset: int, item: str) -> list[tuple[int, str]]:
    """An item cut at 和/与/及: "海远生物和伍佰生物" as two, for a count that says so."""
    parts, at = [], offset
    for part in re.split(r"([和与及])", item):
        if part and part not in "和与及":
            parts.append((at, part))
        at += len(part)
    return parts


def _count_of(counted: str) -> int:
    """The number a count gives ("6个" 6, "两个" 2); 0 for one of two characters ("十二个")."""
    numeral = counted.rstrip("个项")
    return int(numeral) if numeral.isdigit() else (_count(numeral) if len(numeral) == 1 else 0)


# "提前竣工4项,为A,B,C,D": the items after the count are as many as it says, one per clause.
_TALLY_THEN_CLAUSES = re.compile(f"(\\d+|[{_CN}])[项个](?:项目)?[，,](?:分别)?为(?!了|此|止)[:：]?")


def _tallied_clauses(sentence: str) -> Iterator[Found]:
    """Projects counted, then each named in a clause of its own: "竣工4项,为忻州市…项目,吕梁市…,
    运城市…黄河大桥,省电力公司的…送出工程"; the count must equal the clauses."""
    for match in _TALLY_THEN_CLAUSES.finditer(sentence):
        count = _count_of(match.group(1))
        rest = sentence[match.end() :]
        items, at = [], match.end()
        for part in re.split(r"([，,、])", rest):
            if part and part not in "，,、":
                items.append((at, part.removesuffix("等")))
            at += len(part)
        one = count == 1 and sentence.endswith("项目", 0, match.start())  # "…类项目1个,为X项目"
        if (count < 2 and not one) or len(items) != count:
            continue
        reason = f"计数后逐一列举“{_quote(sentence, match.start(), len(sentence))}”"
        yield from _item_projects(items, reason=reason, confidence=0.8)


def _joined_products(sentence: str, items: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A short product before a name ending in 项目 is made by that project: "…投资1.5亿元的
    光栅板、远程探照灯项目" is one project."""
    joined: list[tuple[int, str]] = []
    for offset, item in items:
        if joined and _ENDS_IN_PROJECT.search(item):
            before, product = joined[-1]
            product = product[product.rfind("的") + 1 :]
            if len(product) <= 3 and not _ENDS_IN_PROJECT.search(product):
                joined[-1] = (before, sentence[before : offset + len(item)])
                continue
        joined.append((offset, item))
    return joined


def _specific(item: str) -> bool:
    """An item of common words that is still one project: it ends in 项目, or it is long."""
    core = _project_key(item[item.rfind("的") + 1 :])
    return core != item[item.rfind("的") + 1 :] or len(core) >= _DESCRIPTIVE


_COUNT_AT_END = re.compile(f"[\\d{_CN}]+个$")
# "…类项目,如A、B": examples of a kind are its projects (如期, 如何, 如有, 如下 are no examples).
_EXAMPLES = r"(?:例如|比如|诸如|如)(?![期何此今实果同意数有下])"
_COUNTED_THEN_LISTED = re.compile(
    r"项目(?:(\d+个|[两二三四五六七八九十]个)|(?:[,，]?总投资[^，,。；：:]{1,12})?"
    rf"(?=[,，]?(?:包括|分别是|分别为|有[:：]|{_EXAMPLES})))"  # "开工的项目有:A、B"
    rf"[,，]?(?:包括|分别是|分别为|有|{_EXAMPLES})[:：]?"
)


def _listed(sentence: str) -> Iterator[Found]:
    """Items before 等…项目: "A、B、C等项目", "A、B等一批重点项目"."""
    for match in _LIST_END.finditer(sentence):
        if _NOT_A_LIST_HEAD.search(match.group()) or _MODIFIED_AFTER.match(sentence, match.end()):
            continue  # "财政、国土等相关部门…", "管委会、金鸡镇等项目责任单位": not projects
        if _new_predicate(match.group()[1 : -len("项目")]):
            continue  # "踏看、听取汇报…等形式详细了解了项目": the list is of ways, not projects
        if _INDUSTRIES_HEAD.search(match.group()):
            continue  # "先进材料、现代物流等三大主导产业项目": industries, each a kind
        if _DOING.search(match.group()):
            continue  # "微信公众号、抖音等新媒体平台做好线上项目推介": a new predicate
        items = _joined_product(sentence, _list_items(sentence, match.start()))
        counted = _COUNT_INSIDE_HEAD.search(match.group())  # "包括A、B等24个新开工项目"
        if not items or _not_a_project_list(sentence, items, content=not counted):
            continue
        if _SERIES.search(match.group()):  # "门窗、暖通、保温材料等一系列…项目": kinds
            items = [
                (o, i) for o, i in items if judge.proper_start(_tokens(i)) or _NUMBER.search(i)
            ]
        elif _FOUNDATION.search(match.group()):
            # "园区道路交通、水电等基础工程": kinds of works, where "职教中心、疾控中心等重大配套
            # 项目" or "西河治理等基础设施项目" are places or named
            items = [(o, i) for o, i in items if judge.has_named_subject(i) or _WORK_HEAD.search(i)]
        if "企业" in match.group():  # "达钢领航科技、…等企业和项目": the firms are no projects
            items = [(o, i) for o, i in items if not _COMPANY_END.search(i)]
        if items and (len(items) >= 2 or "项目" in match.group()):
            reason = f"列举于“{_quote(sentence, items[0][0], match.end())}”"
            yield from _item_projects(items, reason=reason, confidence=0.9)


def _new_predicate(between: str) -> bool:
    """Between 等 and 项目, a verb done (了) or an adverb before a verb that is no stage of a
    project begins a new predicate: "等形式详细了解了|项目" (where "等5个投资建设项目", "等再投资
    的“二期”项目" do not)."""
    tags = [(t, judge._dictionary().get(t, (0, ""))[1]) for t in _tokens(between)]
    for i, (_, tag) in enumerate(tags):
        verb, following = tags[i + 1] if i + 1 < len(tags) else ("", "")
        if tag == "ul" or (tag == "d" and following[:1] == "v" and verb not in _STAGE_WORDS):
            return True
    return False


# "先进材料、现代物流等三大主导产业项目": industries counted or ranked, where "拓优特电气等产业
# 项目" lists a firm's project
_INDUSTRIES_HEAD = re.compile(
    r"等[^，。；、]{0,4}?(?:[\d一二三四五六七八九十]+大|主导|新兴|战略性|支柱)[^，。；、]{0,4}"
    r"(?:产业|行业|领域)(?:项目|工程)$"
)
_DOING = re.compile("做好|做实|办好|办实|抓实|用好")
_STAGE_WORDS = _GENERIC_PROJECT | _ws(
    "开工 竣工 投产 签约 在建 新建 续建 实施 落户 入驻 建成 招引 引进"
)
_JOINTS = frozenset("和与及暨")  # "贾家村基层阵地暨新时代文明实践所": one project
# Between 等 and 项目, words that show the list is of something else, then a new predicate.
_NOT_A_LIST_HEAD = re.compile(
    r"部门|单位|负责人|人员|领导|到|赴|来到|调研|考察|察看|督导|检查|^等地"  # "泉州、烟台等地的项目"
)
_ACRONYM_END = re.compile(r"[A-Za-z0-9]$")
_ACRONYM_START = re.compile(r"[A-Za-z0-9]")
_NUMBER = re.compile(
    r"[\d０-９]"
)  # "…年产150万套高档服装和|1万台电动缝纫机": one maker's two products
_COMPANY_END = re.compile(r"(?:科技|实业|股份|集团|公司|有限公司|企业)$")


def _joined_product(sentence: str, items: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """ "A和B等项目" where B names no one (a product, "水性涂料") is one project that makes two
    things: the first item reaches back over 和/与/及 to its named beginning."""
    if not items:
        return items
    offset, first = items[0]
    if offset < 2 or sentence[offset - 1] not in "和与及" or judge.has_named_subject(first):
        return items
    start = _name_start(sentence, offset - 1)
    if start < offset - 1 and judge.has_named_subject(sentence[start : offset - 1]):
        items[0] = (start, sentence[start : offset + len(first)])
    return items


def _clause_list(sentence: str) -> Iterator[Found]:
    """A list in which some item ends in 项目: "到A、B、C项目现场", "A、B项目、C项目等"."""
    for clause in _CLAUSE.finditer(sentence):
        if "、" not in clause.group():
            continue
        items = _list_items(sentence, clause.end())
        ended = next((n for n, (_, i) in enumerate(items[:-1]) if _LIST_CLOSED.search(i)), None)
        if ended is not None and "项目" not in items[ended][1]:
            items = items[: ended + 1]  # "A、B和C等园区路网以及园区供、排水…": the list ends at 等
        if not items:
            continue
        offset, last = items[-1]
        if (
            _OTHER_HEAD.search(last)
            or _TASKS_END.search(last)
            or _not_a_project_list(sentence, items)
        ):
            continue
        if _modifiers(items):
            continue  # "建成配套齐全、环境优美的生态工业园区": one place described, no list
        site = _SITE_END.search(last) if "项目" not in last else None
        if site:
            cut = last[: site.start()]
        else:
            cut = _AFTER_PROJECT.sub(r"\1", last) if "项目" in last else _PREDICATE.sub("", last)
        if _MODIFIED_AFTER.match(last, len(cut)) and cut.endswith("项目"):
            continue  # "A、B、C签署项目投资协议": the agreement, not a list of projects
        if _GROUPS_AFTER.match(last, len(cut)):
            continue  # "建立A、B、现代服务业与旅游项目七个重大项目工作组": kinds, each a group's
        if counted := _COUNT_HEAD.search(cut):
            cut = cut[: counted.start()]  # "…、三期标准化厂房|9个建设项目": the list's head
        elif (tally := _TALLY.search(last)) and _count(tally.group(1)) == len(items):
            # "…输变电工程、…中心建设|2个已完工": the items counted, then their stage
            counted, cut = tally, last[: tally.start()]
        items[-1] = (offset, cut)
        if _products(items):  # "5GW单晶拉棒、切片、电池片项目": one project making three things
            first = items[0][0]
            items = [(first, sentence[first : offset + len(cut)])]
        reason = f"列举于“{_quote(sentence, items[0][0], offset + len(cut))}”"
        # A list of projects: things being built, or an item is a name ending in 项目.
        if site:  # "到在建的A、B、标准化厂房建设现场": the sites visited, those with a name
            reason = f"列举于“{_quote(sentence, items[0][0], offset + len(last))}”"
            named = [(o, i) for o, i in items if judge.has_named_subject(_project_key(i))]
            yield from _item_projects(named, reason=reason, confidence=0.8)
        elif counted:  # "观摩了A、B、C9个建设项目": the count says they are projects
            if not _looks_like_a_name(cut):
                continue  # "深入沿江、沿河地区对20个重点项目": the count is of something else
            reason = f"列举于“{_quote(sentence, items[0][0], offset + len(last))}”"
            if counted.re is _TALLY:  # no 项目 said: named items or works only, not "任务清单"
                items = [(o, i) for o, i in items if _named_or_built(i)]
            yield from _item_projects(items, reason=reason, confidence=0.8)
        elif _DESCRIBED.search(sentence, 0, items[0][0]):
            continue  # "X项目位于…,总投资…,新建A、B": what X builds, not more projects
        elif building := _BUILDING_BEFORE.search(sentence, 0, items[0][0]):
            if building.group() == "实施":  # "实施A、B等计划", but "实施惠丰新区路网、…2号路等"
                items = [(o, i) for o, i in items if _WORK_HEAD.search(i) or _NETWORK.search(i)]
                if not items:
                    continue
            reason = f"列举于“{building.group()}{_quote(sentence, items[0][0], offset + len(cut))}”"
            yield from _item_projects(items, strict=True, reason=reason, confidence=0.85)
        elif any(
            _ENDS_IN_PROJECT.search(i) and next(_item_projects([(0, i)]), None) for _, i in items
        ):
            if _GOVERNED.search(sentence, 0, items[0][0]) or _GOVERNED_START.match(items[0][1]):
                # "支持龙头骨干企业增资扩产、新上项目": what a policy verb acts on; only a proper
                # name or a number makes an item one project.
                items = [(o, i) for o, i in items if _strongly_named(i)]
            elif judge._PLURAL_BEFORE.search(sentence, 0, items[0][0]):
                # "引进一批前瞻性、牵引性、接续性“链主”项目": kinds of a plural, the named only
                items = [(o, i) for o, i in items if judge.has_named_subject(_project_key(i))]
            # "深入A产业园、B项目、联三线沿线片区和西苑片区": a tract with no work named after it
            # is where the visit went, not a project ("中央公园片区拆迁项目" is one)
            items = [(o, i) for o, i in items if not i.endswith("片区")]
            yield from _item_projects(items, reason=reason, confidence=0.8, unnamed=0.5)


_GROUPS_AFTER = re.compile(f"[\\d{_CN}]+个[^，。；、]{{0,8}}(?:工作组|小组|指挥部|专班)")
# A count right after the last item, then a stage: "A、B|2个已完工", "A、B、C|3项计划签约".
_TALLY = re.compile(
    f"(?<=[^\\d{_CN}])([\\d{_CN}])[个项]"
    r"(?=已|均已|全部|正在|计划|顺利|开工|竣工|完工|投产|签约|落地|进展)"
)


def _named_or_built(item: str) -> bool:
    core = _BUILD_SUFFIX.sub("", _project_key(item))
    return judge.has_named_subject(core) or bool(_WORK_HEAD.search(core))


def _count(numeral: str) -> int:
    """One digit or Chinese numeral as a number: "2", "三", "两"."""
    if numeral.isdigit():
        return int(numeral)
    return 2 if numeral == "两" else "一二三四五六七八九十".find(numeral) + 1


_NETWORK = re.compile(r"(?:路网|管网|电网|水网)$")
_LIST_CLOSED = re.compile(r"(?<![高中初均平相对])等")
_POLICY_VERBS = "支持|鼓励|引导|推动|促进|加快|扶持|推进"
_GOVERNED = re.compile(f"(?:{_POLICY_VERBS})$")
_GOVERNED_START = re.compile(f"(?:{_POLICY_VERBS})(?=..)")


def _strongly_named(item: str) -> bool:
    return judge.proper_start(_tokens(item)) or bool(re.search(r"[A-Za-z0-9０-９]", item))


_LEADING_VERB = re.compile(
    r"(?:[^、，]*?包保|解决|协调|推动|推进|加快|服务|保障|督促|帮助)(?=..)"
)  # "…部门负责人全面包保|绿洲云网、…等5个产业项目": 包保 (a leader's care of projects)


def _products(items: list[tuple[int, str]]) -> bool:
    """The first item has a capacity and the others are short products, not names:
    one project's products ("年产10万吨甲醇、醋酸项目", "5GW单晶拉棒、切片、电池片项目")."""
    if len(items) < 2 or not _ENDS_IN_PROJECT.search(items[-1][1]):
        return False
    (_, first), *rest = items
    if not (judge._CAPACITY.search(first) or _TONNAGE.match(first)):
        return False
    return all(len(_project_key(i)) <= 3 and not _NUMBER.search(i) for _, i in rest)


_COUNT_HEAD = re.compile(f'(?<=[^\\d{_CN}“”"])[\\d{_CN}]+[个项大][^、，,“”"\\d{_CN}]{{0,6}}?项目$')
_SITE_END = re.compile(r"(?:(?:建设|施工)现场|项目工地|施工工地|工地)$")


def _modifiers(items: list[tuple[int, str]]) -> bool:
    """Items joined by 、 before one 的 are the modifiers of its head: "配套齐全、环境优美的园区"."""
    *first, (_, last) = items
    return (
        bool(first)
        and "的" in last
        and not any("的" in i or _ENDS_IN_PROJECT.search(i) for _, i in first)
        and not _ENDS_IN_PROJECT.search(last)
    )


def _parallel(items: list[tuple[int, str]]) -> bool:
    """Every item begins with one word that names nothing: verb phrases in parallel ("大兴招商
    引资引增量、大兴项目建设", "抓进度、抓落地"), not names ("中海油LNG、中海油冷能利用")."""
    if len(items) < 2 or len({i[:1] for _, i in items}) != 1:
        return False
    firsts = {(_tokens(i) or ("",))[0] for _, i in items}
    if len(firsts) != 1:
        return False
    (word,) = firsts
    known = judge._dictionary().get(word)
    return known is not None and not known[1].startswith(("nr", "ns", "nt", "nz"))


_COUNT_INSIDE_HEAD = re.compile(r"\d+个")
_DESCRIBED = re.compile(r"项目(?:位于|总投资|占地|总建筑面积)")
_SERIES = re.compile(r"一系列|各类|多种|多类")
_FOUNDATION = re.compile(r"基础|配套")
_PROJECTS_COUNTED = re.compile(r"(?:\d+个[\u4e00-\u9fff]{0,4}项目|项目\d+个)")


def _one_place_praised(items: list[tuple[int, str]]) -> bool:
    """Every item is one word of praise before the same place: a slogan ("建设实力眉县、活力眉县、
    美丽眉县", "平安园区、智慧园区"), where named heads ("东区产业园、西山产业园") pick out places."""
    names = [_project_key(i) for _, i in items]
    if len(names) < 3:
        return False
    tail = names[0][2:]
    return len(tail) >= 2 and all(n[2:] == tail and _praise(n[:2]) for n in names)


def _praise(word: str) -> bool:
    """A dictionary word that is no place's name: 实力, 清廉, and 美丽 (tagged ns, but as common
    as any adjective), not 南山 or 东湖."""
    freq, tag = judge._dictionary().get(word, (0, "ns"))
    return tag not in ("ns", "nr", "nz", "nt") or freq >= 1000


def _not_a_project_list(sentence: str, items: list[tuple[int, str]], content: bool = True) -> bool:
    """A slogan ("“补链、强链、延链”": every item two characters or fewer, or quoted) or the
    content of a project named before ("主要建设A、B等项目")."""
    first = items[0][0]
    short = [_PROJECT_SUFFIX.sub("", i) for _, i in items]
    if all(len(i) <= 2 for i in short) and (
        len(short) < 2
        or set.intersection(*map(set, short))  # "补链、强链、延链"
        or all(judge._dictionary().get(i, (0, ""))[0] >= judge._COMMON for i in short)
    ):  # "交通、水利": kinds; "联芯、天马、三安等龙头项目": three firms' brands
        return True
    if _parallel(items) or _one_place_praised(items):
        return True
    if first > 0 and sentence[first - 1] in '“"':
        return True
    if items[0][1].startswith(("主要建设", "主要生产", "建设内容")):
        return True
    if _PROJECTS_COUNTED.search(sentence, 0, first):
        return False  # "19个项目总投资…,包括A、B等": the projects counted, not one's content
    return content and bool(_CONTENT_BEFORE.search(sentence, 0, first))


def _item_projects(
    items: list[tuple[int, str]],
    strict: bool = False,
    reason: str = "",
    confidence: float = 0.8,
    unnamed: float | None = None,
) -> Iterator[Found]:
    """Projects among list items; ``strict`` also refuses an item with any verb in it, for
    lists that only a verb before them marks as lists of projects ("建设A、B、C"); an item
    without a named subject gets the confidence ``unnamed`` when given ("土地整治、农田水利项目":
    kinds of projects, unless the list says otherwise)."""
    for offset, item in _split_joined(items):
        if counted := _COUNT_HEAD.search(item):
            item = item[: counted.start()]  # "…材料生产|3个产业项目"
        if among := _AMONG.match(item):  # "22个重大产业项目中|现代农业物流园、…等14个项目"
            offset, item = offset + among.end(), item[among.end() :]
        if _NUMBERED_SLOGAN.match(item):
            continue  # "“四好农村路”提升改造", "“双50”": a programme's name, no site
        if "的" in item:  # "总投资2.6亿元的洪川实业有限公司冶金阀门"
            cut = item.rindex("的") + 1
            offset, item = offset + cut, item[cut:]
        item = _BUILD_SUFFIX.sub("", _SITE_SUFFIX.sub("", item))
        if lead := _LEADING_VERB.match(item):  # "解决|正大丰海、苏大维格等重点项目"
            offset, item = offset + lead.end(), item[lead.end() :]
        elif (cut := judge.verb_object_cut(item)) and (
            judge.has_named_subject(item[cut:])
            or (_PLACE_HEAD.search(item[cut:]) and not _PLACE_HEAD.fullmatch(item[cut:]))
        ):  # "并有力促进|京东方", "强力抓好|旺旺新工业园"; not "…动力研究|中心"
            offset, item = offset + cut, item[cut:]
        if _PLACE_OR_OFFICE.search(item) and not _built_village(item):
            continue  # "金鸡镇", "翠山湖管委会": where the work is done, not what is built
        if _MEASURED.match(item) and not (_TONNAGE.match(item) or _WORK_END.search(item)):
            # "35公里蓼河生态长廊": a measure, then a description; "30万吨烧碱" is built, and
            # "4.1公里市政道路硬化工程", "3000亩土地整理项目" are named as works
            continue
        if strict and any(t in _function_words() for t in _tokens(item)):
            continue
        if strict and not (judge.has_named_subject(_project_key(item)) or _PLACE_HEAD.search(item)):
            continue  # "新建配套用房、附属用房": what is built, no project's name
        if judge.not_a_name(item, ""):
            continue
        sure, why = confidence, reason
        if unnamed is not None and _a_kind(_project_key(item)):
            sure, why = unnamed, f"{reason}；无专名"
        if _looks_like_a_name(item) and (mention := _project(item, None, why, sure)):
            yield offset, offset + len(item), mention


_WORK_END = re.compile(r"(?:工程|项目)$")
# A group counted, then 中: the list that follows is drawn from it.
_AMONG = re.compile(
    f"^(?:[\\d{_CN}]+[个件项批])?[^、，。]*?(?:项目|工程|实事|任务)中(?![心标期学央部小])(?=.{{2}})"
)
_NUMBERED_SLOGAN = re.compile(f'^[“"][{_CN}双]')
# "深入创业路建设现场、…": the site visited is the work's, its name is the road's.
_SITE_SUFFIX = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?:建设|施工)?现场$")
_PLACE_OR_OFFICE = re.compile(
    r"(?:(?<![小新])[镇乡村]|街道|管委会|[^招]局|办公室|委员会|公司|集团)$"  # firms, too
    r"|(?:班子成员|成员|负责人|干部)$"  # "管委会班子成员、部门负责人全面包保A、B": who, not what
)


def _built_village(item: str) -> bool:
    """A name ending in a rare word for a village built to be visited ("…印象|民俗村", "…|渔村",
    "…|度假村"): a project, where "碑岗村" or "前卫|村" is a village, and "乡村" or "农村"
    (everyday words) are villages in general."""
    tokens = _tokens(item)
    if len(tokens) < 2 or len(tokens[-1]) < 2 or not tokens[-1].endswith("村"):
        return False
    freq, tag = judge._dictionary().get(tokens[-1], (0, ""))
    return tag == "n" and freq < judge._COMMON


def _a_kind(core: str) -> bool:
    """A short name of everyday words, no facility or place at its end: a kind of project
    ("农田水利", "汽车零部件"), where "健康产业园" or "第二人民医院" is one place."""
    return len(core) <= 5 and not _PLACE_HEAD.search(core) and not judge.has_named_subject(core)


_PLACE_HEADS = "园|基地|厂|厂房|车间|中心|馆|院|站|所|路|桥|道|场|港|城|区|楼|校"
_PLACE_HEAD = re.compile(f"(?:{_PLACE_HEADS})$")
_WORK_HEAD = re.compile(f"(?:{_PLACE_HEADS}|工程)$")  # a place, or a work


def _split_joined(items: list[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """An item "A和B" is two projects when A and B are each named on their own ("30万吨VCM和联成
    PVC项目"), one when B is only a product of A's maker ("…表面处理剂和水性涂料") or A names
    nothing alone ("通用机械和润滑油…设备生产加工"); 及 joins inside names ("蛋黄球蛋白及溶菌酶")."""
    for offset, item in items:
        at = 0
        for token in _tokens(item)[:-1]:
            rest = _project_key(item[at + 1 :])
            pair = _ACRONYM_END.search(item[:at]) and _ACRONYM_START.match(rest)  # "3C和EV精密…"
            # "…海东校区及清远奕盛产业园", "文化广场及金源冶炼公司技改工程": two places or works,
            # one of them named
            places = (
                token == "及"
                and _WORK_HEAD.search(item[:at])
                and _WORK_HEAD.search(rest)
                and (judge.has_named_subject(rest) or judge.has_named_subject(item[:at]))
            )
            if (
                at
                and (places or token in "和与")
                and (places or judge.has_named_subject(rest))
                and (places or judge.has_named_subject(item[:at]))  # "通用机械和润滑油…加工"
                # "…高档服装和|1万台电动缝纫机": one maker's products, each with a number
                and not (_NUMBER.match(rest) and _NUMBER.search(item[:at]))
                and not pair
            ):
                yield offset, item[:at]
                offset, item = offset + at + 1, item[at + 1 :]
                break
            at += len(token)
        yield offset, item


def _looks_like_a_name(item: str) -> bool:
    """Not a phrase such as "协调解决项目" or "现场办公": the last word before 项目 is no verb,
    and a short item does not start with one either ("确保重点项目")."""
    tokens = _tokens(_project_key(item))
    if not tokens:
        return False
    function_words = _function_words()
    if judge.industry_facility(tokens):
        return True
    # 和/与/及 inside an item join two products of one named maker ("…处理剂和水性涂料").
    inner = tokens[1:-1]
    if any(
        t in _LEAD_INS
        for i, t in enumerate(tokens)
        if not (t in _JOINTS and t in inner)
        and not (i and _inside_noun(tokens, i))
        and not _capital_end(tokens, i)
    ):
        return False
    if len(tokens) >= 2 and (
        judge.proper_start(tokens) or judge.proper_start(tokens[1:2]) or judge.rare_verb(tokens[0])
    ):
        return True  # "奚东智慧出行", "青岛|天信…一体机", "驰誉|包装": a name, whatever ends it
    if _worked_place(tokens):
        return True  # "西湖北岸|开挖", "中央公园片区|拆迁": the work done on a named place
    if tokens[-1] in function_words and not (
        len(tokens[-1]) == 1
        and len(tokens) > 1
        # "实践|所", "服务|站": a one-character facility's head makes the verb before it a noun
        and (tokens[-2] not in function_words or _PLACE_HEAD.fullmatch(tokens[-1]))
    ):
        return False
    return not (
        tokens[0] in function_words and len(tokens) <= 2 and not judge.rare_verb(tokens[0])
    )  # "确保重点项目" is a task; "联创制药" begins with a rare verb, a brand


def _worked_place(tokens: tuple[str, ...]) -> bool:
    """A named place, a side or tract of it (a locative such as 北岸, 东岸, 沿线, or 片区), then one
    verb: the work done there ("西湖|北岸|开挖"), where "县城区|推进" is an office's task; a
    place's own name and a verb of work alone are one too ("东湖|引水")."""
    if len(tokens) == 2:  # "东湖|引水": a named place and the work done on it, nothing between
        place = judge._dictionary().get(tokens[0], (0, ""))
        work = judge._dictionary().get(tokens[1], (0, ""))
        return place[1] == "ns" and work[1] == "v" and tokens[1] not in judge._GOVERNING
    if len(tokens) < 3:
        return False
    side = judge._dictionary().get(tokens[-2], (0, ""))
    work = judge._dictionary().get(tokens[-1], (0, ""))
    return (
        (tokens[-2] == "片区" or (side[1] in ("f", "s") and len(tokens[-2]) >= 2))
        and work[1] == "v"
        and tokens[-1] not in judge._GOVERNING
        and judge.has_named_subject("".join(tokens[:-2]))
    )


def _capital_end(tokens: tuple[str, ...], i: int) -> bool:
    """都 that ends a name after a noun is a city (dū: "运河|梦|都", "水都", "药都"), not the
    adverb "all", which leads into a verb."""
    return (
        i == len(tokens) - 1
        and i > 0
        and tokens[i] == "都"
        and judge._dictionary().get(tokens[i - 1], (0, "n"))[1].startswith("n")
    )


def _shaped(sentence: str) -> Iterator[Found]:
    """The recall generator's candidates (``shapes``): a works noun or a capacity after a named
    subject, read last, where no finder above has claimed the words; judged as any name."""
    for generate in (shapes.capacities, shapes.works):
        for start, end, name, reason, confidence in generate(sentence):
            if confidence < shapes.FLOOR or not _looks_like_a_name(name):
                continue
            if judge.verb_object_cut(_project_key(name)) or judge.not_a_name(
                name, sentence[max(0, start - 4) : start]
            ):
                continue
            if mention := _project(name, None, reason, confidence):
                yield start, end, mention


def _visited(sentence: str) -> Iterator[Found]:
    """The places a visit went to, without 项目: "现场调度了共达电声、豪迈(潍坊)研发基地",
    "先后实地参观了滕投鲁班科创园与新能源产业园". Only a name with nothing of a task in it is
    one: a proper name, or a long name ending in a facility's head ("健康科技产业园", not
    "生产车间")."""
    for match in _VISITED_DONE.finditer(sentence):
        end = match.end()
        while end < len(sentence) and sentence[end] not in "，,。；;：:等":
            end += 1
        items = []
        for at, listed in _split_items(sentence, match.end(), end):
            for offset, item in _two_places(at, listed):
                item = _VISIT_SITE.sub("", item)  # "…一体化基地|选址现场"
                core = _project_key(item)
                if "项目" in item:
                    break  # "…和…二期项目施工现场": read as a name ending in 项目
                if _FIRM_PART.search(core):
                    continue  # "…企业沙盘模型", "…有限公司管控中心": a firm's room or exhibit
                if judge.has_named_subject(core) or (
                    _PLACE_HEAD.search(core) and len(core) >= _VISITED_LONG
                ):
                    items.append((offset, item))
        reason = f"前有“{match.group()}”"
        yield from _item_projects(items, reason=reason, confidence=0.75)


def _described(sentence: str) -> Iterator[Found]:
    """A named place that opens a sentence, then where it is and what it costs, is a project
    without 项目: "四里店镇南山人民公园位居镇区南侧,规划占地200亩,计划总投资1000万元" (as
    "X项目位于…,总投资…" is one); a firm described so ("…有限公司位于…") is none."""
    site = _SITE_AFTER.search(sentence)
    if site is None or not judge._MONEY.search(sentence, site.end()):
        return
    name = sentence[: site.start()]
    if len(name) > _MAX_DESCRIBED or not _PLACE_HEAD.search(name) or _PLACE_OR_OFFICE.search(name):
        return
    start = _name_start(sentence, site.start())
    name = sentence[start : site.start()]
    if (
        judge.has_named_subject(name)
        and _looks_like_a_name(name)
        and (
            mention := _project(
                name, None, f"后有地点与投资额“{_quote(sentence, 0, len(sentence))}”", 0.7
            )
        )
    ):
        yield start, site.start(), mention


_SITE_AFTER = re.compile(r"(?<=[\u4e00-\u9fff])(?:位于|位居|坐落于|坐落在)")
_MAX_DESCRIBED = 20


def _sites_at(sentence: str) -> Iterator[Found]:
    """A clause that is only 在 and a list of three or more sites, each a name or a long name
    ending in a facility's head or in 项目, before what was done there: "在腾飞商业综合体、…、
    示范区综合养老服务中心、永兴路东延(…),建设单位现场介绍项目进展" (a 观摩 that names its
    stops without a verb of visiting). "在确保工程质量、施工安全…的前提下" lists no sites."""
    for match in _AT_SITES.finditer(sentence):
        items = _split_items(sentence, match.end(), match.end(1))
        if len(items) < 3 or not all(_a_site(i) for _, i in items):
            continue
        reason = f"列举于“在{_quote(sentence, match.end(), match.end(1))}”"
        yield from _item_projects(items, reason=reason, confidence=0.75)


_AT_SITES = re.compile(r"(?:^|(?<=[，,。；]))在(?=([^，,。；：:]+)[，,])")


def _a_site(item: str) -> bool:
    core = _BRACKETED.sub("", _project_key(item))
    if not core or _FIRM_PART.search(core) or judge.not_a_name(item, ""):
        return False
    if any(judge._dictionary().get(t, (0, ""))[1] in ("d", "f") for t in _tokens(core)):
        return False  # "在…、任务措施|上|再|细化": an adverb or a locative, a task's phrase
    named = judge.has_named_subject(core)
    return (named and (core != item or _WORK_HEAD.search(core) or len(core) >= _VISITED_LONG)) or (
        bool(_PLACE_HEAD.search(core)) and len(core) >= _VISITED_LONG
    )


_BRACKETED = re.compile(r"[(（][^()（）]*[)）]$")
_VISITED_DONE = re.compile(r"(?:调度|观摩|察看|查看|考察|调研|参观|走访|视察|踏看)了")
_VISIT_SITE = re.compile(r"(?:选址|建设|施工|开工)?现场$")
_VISITED_LONG = 6
_FIRM_PART = re.compile(
    r"(?:展厅|展馆|展示厅|沙盘|模型|样品|车间|生产线|(?:公司|集团)[\u4e00-\u9fff]{2,4})$"
)


def _two_places(offset: int, item: str) -> Iterator[tuple[int, str]]:
    """ "A与B", "A和B": two places visited when both end in a place's or a work's head."""
    for joint in "与和及":
        at = item.find(joint)
        if 0 < at < len(item) - 1:
            first, second = item[:at], _VISIT_SITE.sub("", item[at + 1 :])
            if _WORK_HEAD.search(first) and _WORK_HEAD.search(second):
                yield offset, first
                yield offset + at + 1, item[at + 1 :]
                return
    yield offset, item


def _built_parks(sentence: str) -> Iterator[Found]:
    """A park that is being built is a project: "泰兴绿能环保产业园分三期建设"."""
    for match in _BUILT.finditer(sentence):
        start = _name_start(sentence, match.end())
        name = sentence[start : match.end()]
        reason = f"在建园区“{_quote(sentence, start, match.end() + 4)}”"
        if start and sentence[start - 1] in "在于":
            continue  # "…一期工程也在化工园区竣工投产": where another project is finished
        if start < match.start() and (mention := _project(name, None, reason, 0.85)):
            yield start, match.end(), mention


def _joined_common(sentence: str, start: int) -> int:
    """A common noun joined by 与/和 to a name of common words is part of it: "档案与大数据中心
    项目" is one project, where "A公司与B项目" are two."""
    if start < 3 or sentence[start - 1] != "与":
        return start
    rest = _project_key(sentence[start:].split("项目")[0] + "项目")
    if _GENERIC_PROJECT_RE.match(rest) or judge.has_named_subject(rest):
        return start
    begin = _name_start(sentence, start - 1)
    head = sentence[begin : start - 1]
    if 2 <= len(head) <= 4 and not judge.has_named_subject(head) and _looks_like_a_name(head):
        return begin
    return start


def _joined_before(sentence: str, start: int, name: str) -> Found | None:
    """The name before 和/与 a named project, itself named, is a second project: "深入到吉利
    欣旺达动力电池和欣旺达30GWh动力电池项目现场"."""
    if start < 3 or sentence[start - 1] not in "和与":
        return None
    begin = _name_start(sentence, start - 1)
    item = sentence[begin : start - 1]
    if len(item) < 4 or not judge.has_named_subject(item) or _COMPANY_END.search(item):
        return None
    if not judge.proper_start(_tokens(item)) and not _looks_like_a_name(item):
        return None
    if not _looks_like_a_name(item) or judge.not_a_name(item, ""):
        return None
    reason = f"与“{_quote(sentence, start, start + len(name))}”并列"
    if mention := _project(item, None, reason, 0.7):
        return begin, start - 1, mention
    return None


_FACILITY_HEAD = re.compile(
    r"(?:厂房|车间|生产线|工厂(?!房)|(?<![一二三四五六七八九十\d])工程"
    r"|(?<=[\u4e00-\u9fff])[一二三四五六七八九十]期(?!工程|项目))"  # "邻里中心一期已经竣工"
)
# A public site whose progress is reported, said at the head of a clause ("西庄五保家园建设已完成
# 主体建设；燕家综合服务中心已完成放线"): the town's projects without 项目; only a stage said
# outright counts (a plain 已 follows a park that "已成为…" as often).
_SITE_STAGE = re.compile(
    r"(?:建设|工程)?(?:已完成|已经完成|已复工|已开工|已竣工|已完工|已封顶|正在进行|正在建设"
    r"|正在施工|预计\d|即将开工|即将建成|主体完工|建成投用)"
)
_PROGRESSED_SITE = re.compile(
    r"(?:家园|服务中心|广场|幼儿园|小学|中学|医院|卫生院|敬老院|养老院|养殖小区|公园|体育馆)"
    f"(?={_SITE_STAGE.pattern})"
)
_FACILITY_STAGE = re.compile(
    r"即将投用|即将建成|正在|已经|已|基本完工|全面|主体|顺利|开工|动工|竣工|投产|投用|建成|完工|封顶"
    r"|(?:建设|施工)?现场|工地"
    r"|(?:建设)?进展(?:顺利|迅速|良好)"  # "…管网工程进展顺利"
)
_NUMBERED = re.compile(
    r"[\d０-９#＃.、-]+[栋号幢座#＃]?"
)  # "11栋厂房", "8号厂房": counted, unnamed
_VISITED = re.compile(r"(?:考察|察看|查看|参观|走进|来到|深入|调研)$")


def _facilities(sentence: str) -> Iterator[Found]:
    """A named facility or work being built or visited, without 项目: "北区消防站工程即将投用",
    "在考察青花椒加工厂房时". A facility without a name ("标准化厂房", "主体工程") is none."""
    heads = [*_FACILITY_HEAD.finditer(sentence), *_PROGRESSED_SITE.finditer(sentence)]
    for match in heads:
        stage = _FACILITY_STAGE.match(sentence, match.end()) or (
            match.re is _PROGRESSED_SITE and _SITE_STAGE.match(sentence, match.end())
        )
        start = _name_start(sentence, match.end())
        visited = _VISITED.search(sentence, 0, start)
        if not (stage or visited) or match.start() - start < 2:
            continue
        park, start, name = _park_before(sentence, start, sentence[start : match.end()])
        head = _NUMBERED.sub("", name[: len(name) - len(match.group())])
        if not judge.has_named_subject(head) or judge.verb_object_cut(name):
            continue
        if not _looks_like_a_name(name) or judge.not_a_name(
            name, sentence[max(0, start - 4) : start]
        ):
            continue
        cue = f"后接“{stage.group()}”" if stage else f"前有“{visited.group()}”"
        reason = f"名称以“{match.group()}”结尾；{cue}"
        if mention := _project(name, park, reason, 0.75):
            yield start, match.end(), mention


_JOINED_BARE = re.compile(r"(?:及|和|与|或|以及)$")
_QUOTED_BEFORE = re.compile(r"“[^“”，。；、,]{2,20}”$")


def _quoted_site(quoted: re.Match[str] | None) -> bool:
    """Quoted words before 项目 name it when they name a site (a number, a facility's head) and
    hold no verb; otherwise they are a slogan or a kind ("“两月一签约一开工”", "“专精特新”")."""
    if quoted is None:
        return False
    words = quoted.group()[1:-1]
    return bool(_NUMBER.search(words) or _PLACE_HEAD.search(words)) and not any(
        t in _function_words() for t in _tokens(words)
    )


def _named_projects(sentence: str) -> Iterator[Found]:
    """A name ending in 项目: "…的人才公寓项目地块", "众安诚旭新型建筑材料建设项目开工"."""
    for match in _PROJECT_WORD.finditer(sentence):
        if match.start() and sentence[match.start() - 1] in "(（逐":
            continue  # a gloss, not a head: "工业经济(项目)发展推进会"; "逐项目研判": one by one
        if _JOINED_BARE.search(sentence, 0, match.start()):
            continue  # "岑巩园区及项目建设", "联系人及项目推进计划": 项目 joined bare, no name
        if _MODIFIED_AFTER.match(sentence, match.end()) or "批" in match.group():
            continue  # "…项目工作调度会", "…建设项目(第三批)": no project's name ends here
        start = _name_start(sentence, match.start())
        if _quoted_site(quoted := _QUOTED_BEFORE.search(sentence, 0, match.start())):
            start = quoted.start()  # "“高铁枢纽片区2号地”项目", not "“专精特新”项目"
        start = _joined_common(sentence, start)
        if found := _named_project(sentence, start, match.end()):
            yield found
            # Only a sure project makes the name joined to it a second one.
            if found[2].confidence >= CONFIDENT and (
                before := _joined_before(sentence, found[0], found[2].name)
            ):
                yield before
    for match in _PHASE_WORK.finditer(sentence):  # "裕廊化工一期工程"
        start = _name_start(sentence, match.start())
        if found := _named_project(sentence, start, match.end()):
            yield found
