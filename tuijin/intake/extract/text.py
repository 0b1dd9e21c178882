"""Text pieces shared by the rules: sentences and clauses, jieba's words, the word lists in
``data/``, where a name begins (``_name_start``) and lists of names separated by 、."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from pathlib import Path

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


@cache
def _dictionary() -> dict[str, tuple[int, str]]:
    """jieba's own dictionary: word → (frequency, part of speech)."""
    path = Path(_jieba().__file__).with_name("dict.txt")
    words = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3:
            words[parts[0]] = (int(parts[1]), parts[2])
    return words


@lru_cache(maxsize=32768)
def _tokens(text: str) -> tuple[str, ...]:
    """jieba's words for a short window of text; reports repeat their phrases, hence the cache."""
    return tuple(_jieba().cut(text))


@cache
def _words(name: str) -> frozenset[str]:
    path = Path(__file__).parent.with_name("data") / name
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
    verbs = _function_words(in_names=False)
    return verbs - _words("name_words.txt") - {w for w in verbs if _place_read_as_verb(w)}


def _place_read_as_verb(word: str) -> bool:
    """A place jieba tags as a verb, an adverb or an idiom: "大连|化工二期工程", "开封", "兴化",
    "攀枝花|川发龙蟒…公司总经理" (大连市, 攀枝花市 are places in its dictionary); not a
    determiner ("各县") nor 自治."""
    known = _dictionary().get(word, (0, ""))
    return (
        len(word) >= 2
        and known[1] != "r"
        and word != "自治"
        and any(_dictionary().get(word + end, (0, ""))[1] == "ns" for end in "市县省")
    )


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
    "斩获 新开工 省级 国家级 首批 大力 积极 重点 全区 全市 全县 目前 今年 去年 "
    "既有 又有 更有 还有 也有 另有 共有 拥有 着 该区 该县 该市 该镇 本区 本县 本市"
)
# Lead-ins that before a noun describe it, inside the name ("集中加工区", "集中供热站").
_ADJECTIVE_LEAD_INS = _ws("集中")
# One-character heads that make a lead-in before them part of a noun ("启动区", "示范园").
_ZONE_SUFFIX = _ws("区 园 港 站 城")
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
        if i and not place and tokens[i - 1] not in stops and _inside_noun(tokens, i, stops):
            start -= len(token)  # "表面|集中|加工区", "中心|启动|区": inside a noun
            continue
        if (
            token == "·"
            and 0 < i < len(tokens) - 1
            and not place
            and _HAN_END.search(tokens[i - 1])
        ):
            start -= 1  # "长城·公爵新能源汽车小镇", "恒瑞医药·福建盛迪…公司": a brand's two parts
            continue
        if token in stops or token.isspace() or (token[-1] in _PUNCT and token not in brackets):
            break
        if place and (token in _PLACE_STOPS or (i < len(tokens) - 1 and _ends_a_place(token))):
            break
        if i and (_preposition_joined(token) or _time_joined(token, tokens[i - 1])):
            start -= len(token) - 1  # "区委|对洁|圣车辆", "5月底|前吉|江…": jieba joined 对, 前
            break
        if token in function_words:
            after_a_word = i > 0 and _name_like(tokens[i - 1], function_words, stops)
            worked = _worked_site(tokens[:i], function_words)  # "老城区|排水|防涝|项目"
            if place or not (after_a_word or worked):
                break
            # One character after a word ends many brand names ("恒一锂能", "海尔希"); a longer
            # verb belongs to the name only between two words ("高性能增强纤维制品").
            if len(token) > 1:
                if i == len(tokens) - 1 and not worked:
                    break  # right before the head word it governs it: "打通|项目"
                inner_verbs.append((start - len(token), start))
        start -= len(token)
    # "聚力实现|高质量项目": two characters before a verb are not a name's beginning.
    for verb_start, verb_end in reversed(inner_verbs):
        if verb_start - start > 2 or _proper(text[start:verb_start]):
            break  # "鑫资|再生铅…": a brand jieba does not know begins the name
        freq, tag = _dictionary().get(text[start:verb_start], (0, ""))
        if tag in ("n", "a", "b") and freq >= _EVERYDAY:
            break  # "绿色|铸造|创新产业园": an everyday modifier before an industry's verb
        start = verb_end
    while start < end and text[start] in _BRACKETS:
        start += 1
    if heading := _HEADING.match(text, start, end):
        start = heading.end()  # "(一)|青禾新材料产业园项目": a heading's number, no part of it
    # jieba joins 有 to the name after it ("更|有华赛包装"): after an adverb 有 is a verb.
    if start < end - 2 and text[start] in _ADVERBS_BEFORE_YOU and text[start + 1] == "有":
        start += 2
    elif 0 < start < end - 1 and text[start] == "有" and text[start - 1] in _ADVERBS_BEFORE_YOU:
        start += 1
    return start


# A tract, a road or a river before a verb before 项目 is what the work is done on, named:
# "中央公园片区|拆迁|项目", where "园区|打通|项目" or "全力|打通|项目" ends at the verb.
_WORKED_SITE = re.compile(r"(?:片区|城区|小区|棚户区|[路街河渠])$")


def _worked_site(before: tuple[str, ...], function_words: frozenset[str]) -> bool:
    """The word before the verbs that end a name is a site worked on: "老城区|排水|防涝"."""
    at = len(before)
    while at and before[at - 1] in function_words:
        at -= 1
    return at > 0 and bool(_WORKED_SITE.search(before[at - 1]))


def _inside_noun(tokens: tuple[str, ...], i: int, stops: frozenset[str] = _LEAD_INS) -> bool:
    """A lead-in that is part of a noun: 集中 before a noun ("集中|加工区"), a verb before a
    one-character head ("启动|区")."""
    if i + 1 >= len(tokens):
        return False
    token, following = tokens[i], tokens[i + 1]
    if token in _ADJECTIVE_LEAD_INS:
        return _dictionary().get(following, (0, "n"))[1][0] == "n"
    return token in stops and len(token) > 1 and following in _ZONE_SUFFIX


def _preposition_joined(token: str) -> bool:
    """Two or three characters jieba does not know, the first a preposition: "对洁" in "对洁圣
    车辆", "为华锐" in "为华锐光电项目奠基", "到德源" in "深入到德源安置区"."""
    if len(token) not in (2, 3) or token[0] not in "对向把被将从于给为到":
        return False
    return token not in _dictionary()


def _time_joined(token: str, before: str) -> bool:
    """前 after a time, joined to the name after it: "5月底|前吉江新能源汽车二期"."""
    return (
        len(token) >= 2
        and token[0] in "前后"
        and before[-1:] in "底日月年天旬"
        and token not in _dictionary()
    )


def _proper(word: str) -> bool:
    """Two characters jieba reads as one word it does not know: a brand ("鑫资")."""
    return (
        len(word) == 2
        and _tokens(word) == (word,)
        and word not in _dictionary()
        and _dictionary().get(word[0], (0, ""))[1] not in ("v", "d", "p", "c")  # "聚力实现"
    )


def _name_like(token: str, function_words: frozenset[str], stops: frozenset[str]) -> bool:
    return not (token in function_words or token in stops or token[-1] in _PUNCT or token.isspace())


_BRACKETS = _ws("( ) （ ）")
_HAN_END = re.compile("[\u4e00-\u9fff]$")
_HEADING = re.compile(r"[一二三四五六七八九十\d]{1,3}[)）]")
_EVERYDAY = 1000  # jieba frequency of an everyday modifier ("绿色", "智能"), not a topic ("洪灾")
_ADVERBS_BEFORE_YOU = "更又还也既另均都共"
_MAX_NAME = 32
_PLACE_STOPS = _ws("建设 发展 服务 支持 带动 融入 辐射 覆盖 涉及 个 家 座 处")


def _ends_a_place(token: str) -> bool:
    return token.endswith(_PLACE_END) or bool(_QUANTITY.fullmatch(token))


_CN = "一二三四五六七八九十两"
_NUMERAL = "0-9０-９.一二三四五六七八九十百千万亿两几多余"
_QUANTITY = re.compile(
    rf"^(?:[{_NUMERAL}]+(?:个|家|项|批|大|条|类|期|座|处|万|亿|元)?|个|家|座|处)"
)


# --- lists -------------------------------------------------------------------------------

# A list right after one of these is a list of things being built: "加快建设A、B、C".
_BUILDING_VERBS = "开工建设|建成运营|建设|建成|新建|续建|运营|实施"
_BUILDING = re.compile(_BUILDING_VERBS)  # used with match(), so anchored at its start
_ITEM = re.compile(r"[^、]+?(?:项目(?=和|及|以及|与)|(?=、)|$)")
_JOINT = re.compile(r"以及|和|及|与")


def _list_items(sentence: str, end: int, verbs: bool = False) -> list[tuple[int, str]]:
    """The items separated by 、 that end at ``end``, from the start of the clause, with their
    offsets; where the first one starts is found as for any name."""
    clause_start = max(sentence.rfind(c, 0, end) for c in "，,：:；") + 1
    items = _split_items(sentence, clause_start, end)
    # "付自成、何冬一行先后来到|交通小区、阳光花园…": the people who visit are no items.
    visit = [n for n, (_, item) in enumerate(items[:-1]) if n and _VISIT_LEAD.search(item)]
    if visit:
        items = items[visit[-1] :]
    offset, first = items[0]
    start = _name_start(sentence, offset + len(first), verbs=verbs)
    if building := _BUILDING.match(sentence, start, offset + len(first)):
        start = building.end()  # "加快建设|A、B、C"
    lead = (_tokens(sentence[start : offset + len(first)]) or ("",))[0]
    if len(lead) == 1 and _dictionary().get(lead, (0, ""))[1] in ("c", "d"):
        start += 1  # "而|清真绿色食品产业园等…": a conjunction or adverb opens the clause
    items[0] = (start, sentence[start : offset + len(first)])
    return [(offset, item) for offset, item in items if item]


_VISIT_LEAD = re.compile(r"(?:来到|走进|前往|深入|察看|查看|观摩|考察|调研|参观|调度|视察)")


def _split_items(sentence: str, start: int, end: int) -> list[tuple[int, str]]:
    """Split at 、 and after 项目 at 和/及/以及 ("…一体化项目和南外环建设")."""
    items = []
    for match in _ITEM.finditer(sentence[start:end]):
        if match.group():
            items.append((start + match.start(), match.group()))
    cleaned: list[tuple[int, str]] = []
    for offset, item in items:
        if cleaned and cleaned[-1][1][-1:].isdigit() and item[:1].isdigit():
            before, first = cleaned.pop()  # "生物产业园1、2号路": numbers, one item
            offset, item = before, f"{first}、{item}"
        joint = _JOINT.match(item)
        if joint and cleaned and cleaned[-1][1].endswith("项目"):
            offset, item = offset + joint.end(), item[joint.end() :]
        cleaned.append((offset, item))
    return cleaned or [(start, "")]
