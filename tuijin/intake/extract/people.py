"""People with their titles: a title, then a surname and one or two characters."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from tuijin.intake.extract.mentions import PersonMention
from tuijin.intake.extract.text import (
    _dictionary,
    _function_words,
    _name_start,
    _tokens,
    _words,
    _ws,
)

_HAN = re.compile("[\u4e00-\u9fff]+")

_AFTER_NAME = _ws(
    "说 表示 指出 强调 认为 要求 带队 一行 主持 宣布 出席 参加 介绍 先后 在 到 "
    "对 等 同志 调研 现场 陪同 代表 致辞 讲话 会见 向 和 与 及 率 率队 带领 "
    "召集 深入 听取 实地 就 一同 分别 提出 作 做 检查 督导 是 的 也 还 则 "
    "首先 主持召开 见证 研究 专题研究 调度 看望 慰问 考察 走访 前往 赴 来到 察看 查看 "
    "视察 指导 莅临 接待 点评 亲切 携 发言 会办 、 ， , 。 ： : ； （ ( “"
)  # 会办: meets those concerned to settle a matter ("书记卞某会办重大项目", as in Jiangsu)


@cache
def _after_name() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(_AFTER_NAME, key=len, reverse=True))))


@cache
def _title_pattern() -> re.Pattern[str]:
    titles = sorted(_words("titles.txt"), key=len, reverse=True)
    surnames = sorted(_words("surnames.txt"), key=len, reverse=True)
    # A masked title ("区委****江涛", as some pages print them) stands for a title too; a remark
    # in brackets after a title belongs to it ("副总经理(主持工作)李宇峰"). A name whose surname
    # is not listed ("县长蹇泽西主持") is tried too: the lookahead's surname may be empty.
    return re.compile(
        "(?:"
        + "|".join(titles)
        + r"|[*＊]{2,})(?:[(（][\u4e00-\u9fff]{2,6}[)）])?[:：]?[ \u3000]?(?=("
        + "|".join(surnames)
        + ")?[\u4e00-\u9fff])"
    )


def _unpadded(text: str) -> str:
    """Two-character names padded to the width of three ("县委书记王  强、县长李　刚出席", as
    pages that align lists of leaders print them) without the padding: a surname after a title,
    a colon or 、, spaces, one character, then 、, a comma or a word that follows a name; and a
    title at a line's end joined to the name that begins the next."""
    if "\n" in text:
        text = _broken_after_title().sub(_joined_after_title, text)
    if " " not in text and "\u3000" not in text:
        return text
    pieces, at = [], 0
    for match in _PADDED.finditer(text):
        start, end = match.start(), match.end() + 1
        surname, given = match.group(1), match.group(2)
        if start < at:
            continue
        before = text[max(0, start - 8) : start].rstrip(" \u3000")
        if (
            surname in _surnames()
            and (before[-1:] in _BEFORE_PADDED or _ends_in_title(before))
            and (end == len(text) or _after_name().match(text, end) or text[end].isspace())
        ):
            pieces += [text[at:start], surname, given]
            at = end
    return "".join(pieces) + text[at:] if pieces else text


def _joined_after_title(match: re.Match[str]) -> str:
    """A title that ends a line and a surname that begins the next: one person ("县委书记\n王强",
    a caption or a table's cells)."""
    text, start, end = match.string, match.start(), match.end()
    before = text[max(0, start - 8) : start]
    if _ends_in_title(before) and any(text.startswith(s, end) for s in _surnames()):
        return ""
    return match.group()


@cache
def _broken_after_title() -> re.Pattern[str]:
    ends = "".join(
        sorted({t[-1] for t in _words("titles.txt")})
    )  # 记 长 任…: the last character of a title
    return re.compile(f"(?<=[{ends}])[ \u3000]*\n[\\s\u3000]*")


_PADDED = re.compile(r"([\u4e00-\u9fff])[ \u3000]{1,3}(?=([\u4e00-\u9fff]))")
_BEFORE_PADDED = set("、：:，,")


def _ends_in_title(text: str) -> bool:
    """``text`` ends in a title of ``data/titles.txt`` ("…县委书记")."""
    return any(text.endswith(t) for t in _words("titles.txt"))


def _untitled_people(sentence: str) -> Iterator[tuple[int, int, PersonMention]]:
    """Names without a title where only a person can stand: a list of names that opens a
    sentence and attends ("张伟、位涛、郭树升参加会议"), a name that opens a sentence and speaks
    ("龚均指出:")."""
    if listed := _ATTENDING.match(sentence):
        names = listed.group(1).split("、")
        if all(_bare_name(n) for n in names):
            at = 0
            for name in names:
                yield at, at + len(name), PersonMention(name, None)
                at += len(name) + 1
    elif (spoke := _SPEAKING.match(sentence)) and _bare_name(spoke.group(1)):
        yield 0, len(spoke.group(1)), PersonMention(spoke.group(1), None)


_ATTENDING = re.compile(r"((?:[\u4e00-\u9fff]{2,3}、)+[\u4e00-\u9fff]{2,3})等?(?:参加|出席|陪同)")
_SPEAKING = re.compile(r"([\u4e00-\u9fff]{2,3})(?:指出|强调|要求|表示)[:：,，]")


def _bare_name(name: str) -> bool:
    """A surname and one or two characters that make no dictionary word."""
    surname = next((s for s in _surnames() if name.startswith(s)), None)
    return (
        surname is not None
        and 1 <= len(name) - len(surname) <= 2
        and not _dictionary_word(name)
        and not any(c in _NOT_IN_GIVEN_NAME for c in name)
        and name not in _function_words(in_names=False)
        and not _ends_in_title(name)  # "党书记": a title
    )


def _people_in(sentence: str) -> Iterator[tuple[int, int, PersonMention]]:
    """(start, end, person) for each title followed by a name, for each further name listed
    after it ("区领导邓兴、张忠良参加活动": 张忠良 without a title), and for each name followed
    by its title ("郑树辉局长带队", "会上,李哲主任指出")."""
    found = list(_titled_people(sentence))
    taken = [(start, end) for start, end, _ in found]
    for start, end, person in [*_people_before_titles(sentence), *_untitled_people(sentence)]:
        if not any(start < e and s < end for s, e in taken):
            found.append((start, end, person))
            taken.append((start, end))
    yield from sorted(found, key=lambda f: f[0])


def _people_before_titles(sentence: str) -> Iterator[tuple[int, int, PersonMention]]:
    for match in _name_title_pattern().finditer(sentence):
        start, name, title = match.start(), match.group(1), match.group(2)
        if org := _ORG_BEFORE.search(sentence, 0, start):
            start, title = org.start(), org.group(1) + title  # "市委|王旭|书记": 市委书记
        elif start and sentence[start - 1] not in _BEFORE_NAME:
            continue  # "常务副县长": inside a word, not a name's beginning
        if _dictionary_word(name) or any(c in _NOT_IN_GIVEN_NAME for c in name[1:]):
            continue  # "管委会主任", "常务副县长": words, not names
        if not _after_name().match(sentence, match.end()) and match.end() < len(sentence):
            continue
        yield start, match.end(), PersonMention(name, title)


_ORG_BEFORE = re.compile(r"((?:[省市县区]委|[省市县区]政府|党工委|管委会))$")
_BEFORE_NAME = set("，,。、；：:（(“ \t和与及由请")
# Titles that may follow a name ("李哲主任"), in the list's own words; generic ones such as
# 领导 or 负责人 never do.
_TITLES_AFTER = re.compile(
    r"(?:书记|主任|[局部区县市镇乡省厅处科院所站行]长|主席|总经理|董事长|总裁|经理)$"
)


@cache
def _name_title_pattern() -> re.Pattern[str]:
    titles = sorted(
        (t for t in _words("titles.txt") if _TITLES_AFTER.search(t)), key=len, reverse=True
    )
    surnames = sorted(_words("surnames.txt"), key=len, reverse=True)
    return re.compile(
        "((?:" + "|".join(surnames) + ")[\u4e00-\u9fff]{1,2}?)(" + "|".join(titles) + ")"
    )


def _rare_verb(word: str) -> bool:
    known = _dictionary().get(word, (0, ""))
    return known[1] == "v" and known[0] < _RARE


_RARE = 10  # jieba frequency below which a dictionary verb after a title is a person's name


def _everyday_word(given: str) -> bool:
    """Two characters that make an everyday noun, no given name ("向|记者")."""
    from tuijin.intake.extract.judge import _COMMON

    known = _dictionary().get(given)
    return len(given) == 2 and known is not None and known[1] == "n" and known[0] >= 5 * _COMMON


def _common_word(word: str) -> bool:
    """An everyday word of jieba's dictionary ("班子", "工作"; not "白果", "云表")."""
    from tuijin.intake.extract.judge import _COMMON

    return _dictionary_word(word) and _dictionary()[word][0] >= _COMMON


def _dictionary_word(name: str) -> bool:
    """A word of jieba's dictionary that is no person's name ("常务", "管委会")."""
    known = _dictionary().get(name)
    return known is not None and not known[1].startswith("nr")


def _titled_people(sentence: str) -> Iterator[tuple[int, int, PersonMention]]:
    floor = 0  # a title never reaches back over an earlier person's name
    for match in _title_pattern().finditer(sentence):
        if match.start() < floor:
            continue
        if match.group(1):
            name = _person_name(sentence, match.end(), match.group(1))
        else:
            name = _unlisted_surname(sentence, match.end())
        if name is None:
            continue
        title_end = match.end()
        while sentence[title_end - 1] in ":： \u3000":  # "副镇长 付伸行：", a caption's space
            title_end -= 1
        remark = _REMARK.search(sentence, match.start(), title_end)  # "(主持工作)"
        start = _title_start(sentence, remark.start() if remark else title_end, floor)
        title = sentence[start:title_end] or None
        if title and ("*" in title or "＊" in title):
            title = None  # masked: the page does not say which title
        floor = match.end() + len(name)
        yield start, floor, PersonMention(name, title)
        while sentence[floor : floor + 1] == "、" and (more := _listed_name(sentence, floor + 1)):
            # "副县长张祥、罗琨": the title is shared by the names listed after it.
            yield floor + 1, floor + 1 + len(more), PersonMention(more, title)
            floor += 1 + len(more)
        if sentence[floor : floor + 1] in ("和", "及") and (
            last := _joined_name(sentence, floor + 1)
        ):
            # "副县长王强和李刚参加": the last name joined by 和 shares the title too.
            yield floor + 1, floor + 1 + len(last), PersonMention(last, title)
            floor += 1 + len(last)


def _joined_name(sentence: str, at: int) -> str | None:
    """A listed surname and a given name after 和, then a word that follows a name and no title
    of its own ("…和李刚参加", not "…和县长李刚", "…和县直部门")."""
    surname = next((s for s in _surnames() if sentence.startswith(s, at)), None)
    name = _person_name(sentence, at, surname) if surname else None
    if name is None or _dictionary_word(name) or len(name) < 2:
        return None
    return name if _after_name().match(sentence, at + len(name)) else None


def _listed_name(sentence: str, at: int) -> str | None:
    surname = next((s for s in _surnames() if sentence.startswith(s, at)), None)
    if surname:
        return _person_name(sentence, at, surname)
    # Among names listed after a title, an item that is no word is a name whose surname is
    # not in the list ("县领导丁传述、操登峰、向明").
    item = _LISTED_ITEM.match(sentence, at)
    if not item or _OFFICE_END.search(item.group(1)):
        return None  # "…、住建局、发改局": offices listed after the people
    return item.group(1) if _unknown_word(item.group(1), listed=True) else None


_OFFICE_END = re.compile(r"[局委办部处所院站厅会组队司科室镇乡村区县市省]$")
_LISTED_ITEM = re.compile(r"([\u4e00-\u9fff]{3})(?=[、，,。]|及|等|和)")


def _unlisted_surname(text: str, at: int) -> str | None:
    """Three characters after a title that make no word, then a word that follows a name:
    a name whose surname the list lacks ("县长蹇泽西主持")."""
    name = text[at : at + 3]
    if len(name) == 3 and _HAN.fullmatch(name) and _after_name().match(text, at + 3):
        return name if _unknown_word(name) else None
    return None


def _unknown_word(name: str, listed: bool = False) -> bool:
    """No word begins the three characters or ends them as an everyday noun, none of them is
    a numeral or a title's; right after a title the first is no verb or preposition either
    ("县长在会上"), while between names listed by 、 a verb may be a surname ("操登峰")."""
    return (
        name[:2] not in _dictionary()
        and name not in _dictionary()
        and (listed or name[0] not in _function_words(in_names=False))
        and not any(c in _NOT_IN_GIVEN_NAME for c in name)
        and not any(t in name for t in _words("titles.txt"))
        and not _everyday_word(name[1:])  # "主席|团成员"
    )


@cache
def _surnames() -> list[str]:
    return sorted(_words("surnames.txt"), key=len, reverse=True)


def _person_name(text: str, at: int, surname: str) -> str | None:
    """The name after a title: the surname plus one or two characters, whichever is followed
    by a word that may follow a name; jieba decides when both or neither are."""
    if dotted := _DOTTED.match(text, at):  # "乌吉阿哈买提·吐尔逊"
        name = dotted.group()
        end = name.index("·") + 1
        for token in _tokens(name[end:]):  # "艾力·买买提|出席", jieba's words, not "买买|提出"
            if end - name.index("·") > 2 and _after_name().match(name, end):
                return name[:end]
            end += len(token)
        return name
    fits = []
    for size in (1, 2):
        end = at + len(surname) + size
        given = text[at + len(surname) : end]
        if end > len(text) or not _HAN.fullmatch(given):
            continue
        if any(c in _NOT_IN_GIVEN_NAME for c in given):
            continue  # "书记周六现场办公会": a weekday, not a person
        if given in _PROJECT_HEADS:
            continue  # "乡村民|宿项目": the head of a project's name, not a given name
        if size == 2 and _common_word(text[at : end - 1]) and _common_word(text[end - 1 : end + 1]):
            continue  # "领导|班子工|作会": a word, then a word begun by the last character
        if end == len(text) or _after_name().match(text, end):
            fits.append(text[at:end])
    # "领导强调": a verb, no name; but a verb too rare to be one here is a name ("副市长付强",
    # 付强 a verb of frequency 3)
    fits = [f for f in fits if f not in _function_words(in_names=False) or _rare_verb(f)]
    fits = [f for f in fits if not _dictionary_word(f) or _rare_verb(f)]  # "领导班子": a word
    if surname in _function_words(in_names=False):  # "向|记者": a preposition, no surname
        fits = [f for f in fits if not _everyday_word(f[len(surname) :])]
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
        and not _dictionary_word(first)
        and (not fits or first in fits)
    ):
        return first
    return fits[-1] if fits else None


_REMARK = re.compile(r"[(（][\u4e00-\u9fff]{2,6}[)）]$")
_DOTTED = re.compile(r"[\u4e00-\u9fff]{2,8}·[\u4e00-\u9fff]{2,8}")
_NOT_IN_GIVEN_NAME = set("一二三四五六七八九十百千日月年")
_PROJECT_HEADS = _ws("项目 工程")


def _title_start(sentence: str, end: int, floor: int) -> int:
    """Where the whole title before a name starts: organisations and the titles joined by 、
    ("随州高新区党工委书记、管委会主任")."""
    begin = max(_name_start(sentence, end, _TITLE_STOPS), floor)
    if begin == end:  # "、镇长|李涛": jieba tags 镇长 as a verb, so no name start was found
        titles = (t for t in _words("titles.txt") if sentence.endswith(t, 0, end))
        title = max(titles, key=len, default="")
        begin = max(end - len(title), floor)
    begin = _office_start(sentence, begin, end, floor)
    while begin > floor + 1 and sentence[begin - 1] in "、,，":  # "市政协副主席,高新区党工委书记"
        before = sentence[: begin - 1]
        if not _ends_in_title(before) and not _MEMBER.search(before):
            break
        begin = max(_name_start(sentence, begin - 1, _TITLE_STOPS), floor)
        begin = _office_start(sentence, begin, end, floor)  # "发展和改革局党组书记、局长"
    # A verb or preposition read into the title: "带领|县委常委…", "会议由|区党工委副书记".
    if lead := _TITLE_LEAD.match(sentence, begin, end):
        begin = lead.end()
    return begin


def _office_start(sentence: str, begin: int, end: int, floor: int) -> int:
    """Where an office's name begins when a verb or 和 ended the walk to the left inside it:
    "投资|促进|局局长", "住|建|局局长" (the office's own word is cut short), "住房|和|城乡建设局
    局长", "发展|和|改革局局长" (a word that names a field, 和, then an office with no place of
    its own; "市领导和|住建局", "县委和|县住建局" are two)."""
    while begin > floor:
        own = _office_word_in(sentence[begin:end])
        if own is None:
            return begin
        before = _tokens(sentence[max(floor, begin - 8) : begin])
        last = before[-1] if before else ""
        if (
            len(own) < 2
            and not _ORG_PREFIX.match(own)
            and _HAN.fullmatch(last)
            and (last not in _TITLE_STOPS)
        ):
            begin -= len(last)  # "投资促进|局局长", "住|建|局局长"
        elif (
            last in ("和", "与")
            and len(before) >= 2
            and not _ORG_PREFIX.match(own)
            and _field_word(before[-2])
        ):
            begin -= len(last) + len(before[-2])  # "住房|和|城乡建设局"
        else:
            return begin
        begin = max(_name_start(sentence, begin, _TITLE_STOPS), floor)
    return max(begin, floor)


_OFFICE_HEADS = ("委员会", "办公室", "局", "委", "部", "厅", "署", "办")
_ORG_PREFIX = re.compile(r"[省市县区镇乡]")  # "县委和|县住建局": two bodies


def _office_word_in(title: str) -> str | None:
    """The office's own word when ``title`` is an office and then a title: "改革|局|局长" gives
    改革, "局|局长" nothing (cut short); "副局长" is no office."""
    for head in _OFFICE_HEADS:
        at = title.find(head)
        while at >= 0:
            if _titles_only(title[at + len(head) :]):
                return title[:at]
            at = title.find(head, at + 1)
    return None


def _titles_only(words: str) -> bool:
    """Titles, perhaps of the office's party body, joined by 、: "局长", "党组书记、局长"."""
    parts = words.split("、")
    titles = _words("titles.txt")
    return all(part in titles or _BODY.sub("", part) in titles for part in parts)


_BODY = re.compile(r"^(?:党组|党委|党工委)")


def _field_word(word: str) -> bool:
    """A word that names what an office looks after: 住房, 工业, 发展, 自然资源; not people
    (人员, 领导) nor a name."""
    known = _dictionary().get(word, (0, ""))
    return (
        len(word) >= 2
        and known[1] in ("n", "vn", "v", "nz", "l", "j")
        and word not in _PEOPLE_WORDS
        and not _ends_in_title(word)
    )


_PEOPLE_WORDS = _ws("人员 干部 同志 代表 群众 职工 专家 企业家 客商 嘉宾 记者")


# A member of a leading body is a title joined to the next by 、: "市政府党组成员、广陵区委书记".
_MEMBER = re.compile(r"(?:党组|党委|党工委|领导班子)成员$")
_TITLE_LEAD = re.compile(r"[^，,、]*?(?:带领|率领|陪同|会同|邀请|由)(?=[\u4e00-\u9fff])")


_TITLE_STOPS = _ws(
    "的 了 在 到 对 向 从 由 与 及 以及 同 是 为 将 把 被 以 暨 据 经 请 "
    "邀请 陪同 会同 由于 其中 包括 还 也 和 上午 下午 晚上 日前 近日 随后 此前 "
    "今年 昨日 当天 记者"
)
