"""Whether a name ending in 项目 names a project, and how sure: rules about the phrase's shape,
not lists of phrases seen to fail.

- A verb-object phrase is a task, not a project: a governing verb (what officials do to
  projects: 抓, 研究, 检查, 开展, 汇报…) or any verb at the phrase's start takes 项目 as its
  object ("聚精会神抓项目", "现场办公会专题研究项目", "县领导开展生态木业项目"). The name, if any,
  is what follows the verb, judged again.
- A phrase without a named subject is a class of projects: every word is a common dictionary
  word or a determiner ("招商项目", "企业项目", "当前项目", "生态木业项目", "我县产业项目"). A
  proper noun, a word jieba does not know ("徐圩", "闽泰"), Latin letters or digits name one.
- A plural or a measure is no name: "更多…项目", "总投资103亿元", "单体投资最大项目".
- Cues raise confidence: a named subject, a capacity ("年产3万吨", "2GW"), an investment
  figure or a construction stage next to the name ("…项目开工", "…项目建设现场").
"""

from __future__ import annotations

import re

from tuijin.intake.extract.text import _LEAD_INS, _dictionary, _tokens, _ws

# What officials do to projects; a name never starts with one of these.
_GOVERNING = _ws(
    "抓 重抓 狠抓 抓好 谋 谋划 研究 专题研究 调整 汇报 开展 检查 督导 督查 督办 服务 推进 "
    "推动 招引 引进 健全 建立 争取 落实 调度 审批 观摩 跟进 梳理 考察 调研 参观 对接 洽谈 "
    "储备 包装 策划 申报 保障 协调 跟踪 营造 统筹 点评 评价 安排 部署 谋求 盯紧 紧盯 "
    "加快 加速 确保 支持 扶持 看望 慰问 查看 察看 视察 走访 介绍 听取 通报 上报 促进"
)
# What people do at a project, never a firm's trade after its name (as 包装 or 策划 are).
_NEVER_A_TRADE = _ws(
    "宣布 出席 主持 强调 指出 要求 听取 视察 察看 考察 调研 看望 慰问 观摩 督查 督导"
)
_ZONE_KINDS = _ws("经开区 高新区 开发区 综保区 自贸区 保税区 新区 园区 工业园区 产业园区 片区")
# Words that pick out no particular project.
_DETERMINERS = _ws(
    "我县 我市 我区 我镇 全县 全市 全区 全镇 本县 本市 本区 该 此 各 这些 那些 所有 部分 "
    "其他 其余 当前 目前 现有 有关 相关 一批 多个 更多 众多 诸多 许多 一些 各类 各项 重特大"
)
_PLURAL_BEFORE = re.compile(
    r"(?:更多|众多|诸多|许多|一批|一些|多个|各类|各项|所有|这些|其他|其余)$"
)
_PLURAL_ANYWHERE = re.compile(r"更多|众多|诸多|许多|一切|^(?:上|近|数|几)[十百千]")  # "上百条…项目"
_PLURAL_START = re.compile(
    r"更多|众多|诸多|许多|一批|一些|多个|各类|各项|[\d一二三四五六七八九十]+大"
)
_MONEY = re.compile(r"(?:总投资|计划投资|投资|合同额|年度投资)约?[\d.０-９]+(?:万|亿)")
_COUNT_INSIDE = re.compile(r"[\d０-９一二三四五六七八九十两几]+个")
# A count word and a round number (or 百, 千) only: a programme's targets ("双50", "双百").
# Numbers joined by + are a programme's parts ("1+6项目", "1+N"), no site either.
_PROGRAMME = re.compile(
    r"[“\"]?(?:[双两][\d百千万十]+|[\d一二三四五六七八九十]+(?:[+＋][\dNn一二三四五六七八九十]+)+)"
    r"[”\"]?(?:重大|重点)?(?:项目|工程)?$"
)
_SUPERLATIVE = re.compile(r"最[\u4e00-\u9fff]")
_QUOTED_INSIDE = re.compile(r"[”\"].+[“\"]")
_CAPACITY = re.compile(
    r"年(?:产|加工|处理|吞吐)[^，。；、]{0,12}?[\d.]+[万亿千百]?(?:吨|台|套|片|件|辆|平方米|立方米|千瓦|吨/年)"
    r"|[\d.]+万?吨/?年|[\d.]+(?:GW|MW|GWh|MWh|万千瓦|万吨|万台|万套|万片|条生产线|万棒)"
)
_STAGE_AFTER = re.compile(
    r"(?:位于|建设现场|施工现场|现场|工地|施工工地|地块|用地|正式开工|开工|动工|竣工|投产|签约|落地|封顶|主体|一期|二期)"
)
_VISITED_SITE = re.compile(r"现场|工地")
_PROJECT_END = re.compile(r"(?:建设)?项目$")
_AT_BEFORE = re.compile(r"(?:^|[^存所现实正])[在到]$")  # "在|…项目现场", not "存在|…", "正在"
# A firm's or an industry's word: the subject is an enterprise or a trade ("恒安内坑智能化生产
# 基地", "名士达新材料项目"), not a place's zone.
_INDUSTRY = re.compile(
    r"科技|集团|公司|药业|电子|电气|机械|化工|实业|股份|控股|新材料|新能源|光电|智能|制造|食品"
    r"|纺织|建材|重工|汽车"
)
_DATE_AFTER = re.compile(r"(?:\d{4}年)?\d{1,2}月(?:\d{1,2}[日号])?(?:底|初|中旬|下旬|上旬)?(?:前)?")
_ADVERB = re.compile(r"(?:也|已经|已|均|都|将|即将)?")  # "…项目也开工"
_SITE_BEFORE = re.compile(r"位于[^，,。；]{2,12}的$")
_YEAR = re.compile(r"^(?:\d{4}|[二〇一三四五六七八九零]{4})年度?")
_PHASE_TOKEN = re.compile(r"[一二三四五六七八九十两\d]+期")
_ROUND = re.compile(r"[新上下本首这每]?[一二三四五六七八九十两\d]+[轮批次届]")
_COMMON = 200  # jieba frequency from which a word is an everyday word, not a name


def _is_verb(token: str) -> bool:
    if token in _GOVERNING:
        return True
    if _manner_and_verb(token):
        return True
    known = _dictionary().get(token)
    if known is not None:
        return known[1] == "v" or _resultative(token)  # "压实", a rare n
    if len(token) >= 2 and token[-1] == "著":  # traditional 著 kept by t2s: "围著" is 围着
        # "随著", "意味著": a preposition or verb with 着, never a name.
        base = _dictionary().get(token[:-1] + "着", _dictionary().get(token[:-1], (0, "")))
        return base[1] in ("v", "p", "d", "c")
    # A governing verb and one character, unknown as a word: "抓大|项目" is 抓 + 大.
    if len(token) == 2 and token[0] in _GOVERNING:
        return True
    if _resultative(token):
        return True
    # An adverb of effort before a one-character verb, unknown as a word: "重抓" is 重 + 抓.
    return (
        len(token) == 2
        and token[0] in "重狠严紧快真实大"
        and _dictionary().get(token[1], (0, ""))[1] == "v"
    )


# How projects are financed or delivered ("PPP项目", "EPC总承包"), no project's name.
_DELIVERY_MODEL = re.compile(r"PPP|F?EPC|BOT|BOO|BT|TOT|EOD|TOD|ABO|XOD")
# What a verb achieves: 树牢, 抓实, 盯紧, 扭住; and the slogans' 做深, 做细, 做优, 做强, 做精.
_RESULTS = "牢紧实住准稳透深细优强精"


def _resultative(token: str) -> bool:
    """A word jieba does not know, or knows only as a rare noun, an everyday verb and its
    result, perhaps after a modal or an adverb it reads into the word: "树牢|项目为王理念",
    "要牵牢|项目建设", "做深做实|项目前期工作", "压实|项目建设主体责任" (压实 is a rare n) are
    tasks, where jieba's unknown words are mostly names."""
    if len(token) not in (2, 3) or token[-1] not in _RESULTS:
        return False
    known = _dictionary().get(token)
    if known is not None and (known[0] >= _COMMON or known[1] != "n"):
        return False
    verb = _dictionary().get(token[-2])
    lead = _dictionary().get(token[0], (0, "")) if len(token) == 3 else (0, "v")
    return verb is not None and verb[1] == "v" and verb[0] >= _COMMON and lead[1] in ("v", "d")


def _manner_and_verb(token: str) -> bool:
    """An adverb and a verb jieba reads as one word, unknown or rare: "大力开展" (tagged nt)."""
    if len(token) != 4 or _dictionary().get(token, (0, ""))[0] >= _COMMON:
        return False
    adverb, verb = _dictionary().get(token[:2]), _dictionary().get(token[2:])
    manner = adverb is not None and (adverb[1] in ("d", "ad") or token[:2] in _LEAD_INS)
    return manner and verb is not None and verb[1] == "v"  # 大力 is tagged n


def _named(token: str) -> bool:
    """A word that names something: a proper noun, a rare or unknown word, letters or digits."""
    if _PHASE_TOKEN.fullmatch(token) or _ROUND.fullmatch(token):
        return False  # "二期": a phase of something named elsewhere; "新一轮": a round of them
    if _attributive(token):
        return False  # "标志性", "创新型": a quality of projects, no name
    if _DELIVERY_MODEL.fullmatch(token):
        return False  # "PPP项目", "EPC项目": how projects are financed or built, no name
    if re.search(r"[A-Za-z0-9０-９]", token):
        return True
    if token in _DETERMINERS or "链" in token:
        return False  # "产业链", "强链", "链式": the chain, a policy word
    if _manner_and_verb(token) or _resultative(token):
        return False  # "大力开展", "压实"
    if token in _ZONE_KINDS:
        return False  # "经开区", which jieba does not know: a kind of zone, none in particular
    if len(token) > 2 and token[:2] in _GOVERNING:
        return False  # "储备库": a governing verb's place, no name
    known = _dictionary().get(token)
    if known is None:
        return (
            len(token) >= 2
            and not _is_verb(token)
            and not _verb_led(token)
            and not _locative_joined(token)
            and not _two_adjectives(token)
        )
    freq, tag = known
    if tag == "nr" and freq >= 5 * _COMMON:
        return False  # an everyday word jieba tags as a name ("智慧", "保健", "卫星")
    if tag == "nz" and _descriptive(token):
        return False  # "农田水利" is 农田 + 水利: a kind of work, not a name
    if tag in ("nr", "nrt", "nz", "nt", "ns"):
        return freq < 5000 and not _modified(token)
    if tag in ("a", "b"):
        return False  # an adjective or a distinguishing word describes ("精深", "新型", "大兴")
    if tag == "vn":
        return False  # a verbal noun is an action, however rare: "要排查|项目"
    return freq < _COMMON and not _descriptive(token) and not _modified(token)


def _modified(token: str) -> bool:
    """Three characters, a one-character modifier before an everyday word: "新|能源",
    "高|科技" describe a kind, they name nothing."""
    if len(token) != 3:
        return False
    modifier, word = _dictionary().get(token[0]), _dictionary().get(token[1:])
    return (
        modifier is not None
        and modifier[1] in ("a", "b")
        and word is not None
        and word[0] >= _COMMON
        and word[1].startswith("n")
    )


def _attributive(token: str) -> bool:
    """A word and a suffix of quality (性, 型): "标志性", "示范性", "创新型" say what kind a
    project is, they name none."""
    return len(token) >= 3 and token[-1] in "性型" and token[:-1] in _dictionary()


def _verb_led(token: str) -> bool:
    """Two characters jieba does not know, the first an everyday verb or preposition: a verb
    and its object ("用大|项目", "补链"), not a name."""
    first = _dictionary().get(token[:1])
    return (
        len(token) == 2
        and token[1] in "大小好多新快"
        and first is not None
        and first[1] in ("v", "p")
        and first[0] >= _COMMON
    )


def _two_adjectives(token: str) -> bool:
    """Two characters jieba does not know, each an everyday adjective: "老旧|小区改造" describes
    what is worked on, it names nothing."""
    return len(token) == 2 and all(
        _dictionary().get(c, (0, ""))[1] == "a" and _dictionary()[c][0] >= _COMMON for c in token
    )


def _locative_joined(token: str) -> bool:
    """Two characters jieba does not know, an adjective and a locative (上/下/内…): "新上|项目",
    newly started ones, is no name."""
    return (
        len(token) == 2
        and _dictionary().get(token[0], (0, ""))[1] == "a"
        and _dictionary().get(token[1], (0, ""))[1] == "f"
    )


def _descriptive(token: str) -> bool:
    """A rare dictionary word made of two everyday words describes, it names nothing:
    "现代农业" is 现代 + 农业, "金属表面" is 金属 + 表面."""
    if len(token) < 4:
        return False
    for cut in range(2, len(token) - 1):
        head, tail = _dictionary().get(token[:cut]), _dictionary().get(token[cut:])
        if head and tail and min(head[0], tail[0]) >= _COMMON:
            return True
    return False


def verb_object_cut(core: str) -> int:
    """Where the name begins after a governing verb (or a verb at the start), 0 if none."""
    tokens = _tokens(core)
    if industry_facility(tokens):
        return 0  # an industry before its facility, not a verb and its object: "织布产业园"
    cut = at = 0
    for i, token in enumerate(tokens):
        if token in _NEVER_A_TRADE:
            cut = at + len(token)  # "何宗静|宣布|龙港市滨江核心区综合开发项目": a person's act
        elif i and (proper_start(tokens[i - 1 : i]) or (i == 1 and rare_verb(tokens[0]))):
            pass  # after a proper name a verb is its trade: "华赛|包装", "华创|策划", "驰誉|包装"
        elif token in _GOVERNING or (
            i == 0 and _leading_verb(token) and len(tokens) > 1 and not _named(tokens[1])
        ):  # "如意|天容二期": a verb before a name jieba does not know begins the brand
            cut = at + len(token)
        elif i and _is_verb(token) and _PLACE_WORD.search(tokens[i - 1]):
            # A place or office, a verb and the projects it acts on: "开发区|扭住|重大项目".
            rest = tokens[i + 1 :]
            if rest and rest[0] in _FIRM_WORDS:
                pass  # "祁县|超前|科技": a verb before a firm's word is the firm's brand
            elif rest and not any(_named(t) or _is_verb(t) for t in rest):
                cut = at + len(token)
        at += len(token)
    return cut


# Who acts on projects; a tract of land (片区) is worked on: "中央公园片区|拆迁|项目" is a project;
# 城市 and 都市 are cities in general, no actor ("智慧城市|展示|体验中心").
_PLACE_WORD = re.compile(r"(?:[省县镇乡]|(?<![城都])市|(?<!片)区|开发区|园区|管委会|政府|党工委)$")


_FIRM_WORDS = _ws("科技 实业 集团 股份 控股 药业 电子 电气 机械 化工 建材 食品 新材料")


def _leading_verb(token: str) -> bool:
    """A verb that begins a task, not a name: a rare dictionary verb begins brand names
    ("联创|制药", "华创…"), an everyday one a task ("开展|生态木业项目")."""
    return not rare_verb(token) and _is_verb(token)


def rare_verb(token: str) -> bool:
    """A dictionary verb too rare to be an everyday word ("联创", freq 55): in a name it is a
    brand's syllables more likely than a verb."""
    known = _dictionary().get(token)
    return known is not None and known[1] == "v" and known[0] < _COMMON and token not in _GOVERNING


def proper_start(tokens: tuple[str, ...] | list[str]) -> bool:
    """The phrase begins with a word jieba does not know, two characters or more, that is no
    verb: a proper name ("奚东|智慧出行", "德源路|下穿高铁高速"), whatever word ends it."""
    first = tokens[0] if tokens else ""
    return (
        len(first) >= 2
        and first not in _dictionary()
        and not _is_verb(first)
        and not _locative_joined(first)
        and not re.fullmatch(r"[\d.０-９]+", first)
    )


_FACILITY = _ws("产业园 工业园 科技园 示范园 基地 产业基地 示范基地 小镇 工厂 厂 车间 厂房")
# Words inside a phrase that make it a set of projects: "开发区所有在建重大项目".
_PLURAL_INSIDE = _ws("所有 全部 这些 那些 一批 一些 多个 各类 各项 众多 诸多 许多 其他 其余")


def industry_facility(tokens: tuple[str, ...] | list[str]) -> bool:
    """Two words, a verb-object industry and a facility: "织布|产业园", "制药|厂"."""
    return len(tokens) == 2 and tokens[1] in _FACILITY and tokens[0] not in _GOVERNING


def _words_of(core: str) -> list[str]:
    """jieba's words, with runs of single characters joined: jieba cuts a rare brand into its
    characters ("犇", "星"), which together are the name; a suffix of quality stays with its
    word ("接续|性" is 接续性)."""
    words: list[str] = []
    for token in _tokens(core):
        if token in ("性", "型") and words and words[-1] in _dictionary():
            words[-1] += token  # "接续|性": a quality, as "标志性" is (_attributive)
        elif len(token) == 1 and words and len(words[-1]) >= 1 and _single_run(words[-1]):
            words[-1] += token
        else:
            words.append(token)
    return words


def _single_run(word: str) -> bool:
    return all(
        _dictionary().get(c, (0, ""))[1] not in ("v", "p", "c", "u", "d") for c in word
    ) and (len(word) == 1 or word not in _dictionary())


def has_named_subject(core: str) -> bool:
    return any(_named(t) for t in _words_of(core))


def not_a_name(name: str, before: str) -> str | None:
    """Why the phrase ``name`` (``before`` is the text before it) names no single project."""
    if _PLURAL_BEFORE.search(before) or (name[:1] == "多" and before[-1:] in "更众诸许"):
        return "plural"
    if _PLURAL_START.match(name) or _PLURAL_ANYWHERE.search(name):
        return "plural"  # "更多大项目", "办实|更多民生项目"
    if any(t in _PLURAL_INSIDE for t in _tokens(name)) or _COUNT_INSIDE.search(name):
        return "plural"  # "所有在建重大项目", "标准化厂房9个建设项目"
    if _MONEY.search(name):
        return "measure"
    if _SUPERLATIVE.search(name):
        return "description"
    if _QUOTED_INSIDE.search(name):
        return "slogan"
    if _PROGRAMME.match(name):
        return "programme"  # "“双50”项目", "双百项目": targets counted, no site
    return None


def _plain_name(tokens: tuple[str, ...]) -> bool:
    """Two words or more, one of them rare (浩然, an adjective of frequency 38): a brand in
    plain words, where "产业|园区" or "园区|道路" are everyday words for a kind."""
    return len(tokens) >= 2 and any(_dictionary().get(t, (0, ""))[0] < _COMMON for t in tokens)


def cues(name: str, sentence: str, start: int, end: int) -> list[tuple[str, float]]:
    """What makes ``name`` (at ``start``–``end`` of ``sentence``) look like a project, with
    what each cue adds to the confidence."""
    found = []
    core = _YEAR.sub("", name)
    # A year before a modified kind names that year's programme: "2025年高标准农田项目".
    named = [t for t in _words_of(core) if _named(t) or (_YEAR.match(name) and _modified(t))]
    if named:
        found.append((f"含专名“{named[0]}”", 0.3))
    elif (trade := _INDUSTRY.search(core)) and trade.start() >= 2:
        found.append((f"含企业或行业词“{trade.group()}”", 0.1))  # "名士|达|新材料项目"
    if capacity := _CAPACITY.search(name):
        found.append((f"含产能“{capacity.group()}”", 0.3))
    clause = re.split(r"[，,。；]", sentence[:start])[-1]
    if money := _MONEY.search(clause):
        found.append((f"前有投资额“{money.group()}”", 0.2))
    after = end + len(_ADVERB.match(sentence, end).group())
    if date := _DATE_AFTER.match(sentence, after):  # "…项目7月8日竣工投产"
        after = date.end()
    if stage := _STAGE_AFTER.match(sentence, after):
        found.append((f"后接“{stage.group()}”", 0.2))
        if (
            _VISITED_SITE.search(stage.group())
            and _AT_BEFORE.search(clause)
            and _plain_name(_tokens(_PROJECT_END.sub("", core)))
        ):  # "在浩然|电池项目建设现场": standing at its site, one project, however plain its
            # name; "在园区项目现场", "在产业|园区项目现场" are at a kind's site
            found.append(("身处其现场", 0.1))
    # "…产业园项目总投资100亿元": one project's own figures (not "后接": no place's cue).
    if figures := _MONEY.match(sentence, end):
        found.append((f"后有投资额“{figures.group()}”", 0.2))
    if site := _SITE_BEFORE.search(clause):
        found.append((f"有地点“{site.group()}”", 0.15))
    if _YEAR.match(name):
        found.append((f"有年份“{_YEAR.match(name).group()}”", 0.1))
    return found
