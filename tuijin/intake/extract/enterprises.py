"""Enterprises: names ending in 有限公司, 集团, 公司, 药厂, and items before 等…企业|公司."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tuijin.intake.extract.text import _QUANTITY, _list_items, _name_start

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
