"""Parks and places: names ending in 高新区, 开发区, 产业园, 园区, 镇, 村, 街道…"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tuijin.intake.extract.text import _QUANTITY, _clauses, _name_start, _tokens, _ws

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
