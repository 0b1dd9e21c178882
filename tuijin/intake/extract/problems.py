"""Problems: items before 等瓶颈|问题…, phrases ending in 短缺|不足…, what follows 仍有."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tuijin.intake.extract.text import _list_items, _name_start

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
