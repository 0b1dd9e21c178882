"""Repair garbled Chinese text before extraction (DESIGN §5).

``repair(data)`` decodes the input, then runs five stages in order: mojibake, pinyin,
width, punctuation, traditional. Each stage is a function from text to a list of edits;
``_Log`` applies them and keeps every change's span in the repaired text together with what
the input had there, so the intake page can highlight each repair. See
docs/development/intake.md for the corruptions found in the source report.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

MAX_INPUT_BYTES = 20 * 1024 * 1024

LABELS = {
    "mojibake": "乱码还原",
    "pinyin": "删除拼音注音",
    "punctuation": "重复标点",
    "traditional": "繁转简",
    "width": "全角转半角",
}
LABEL_HALF_TO_FULL = "半角标点转全角"


@dataclass(frozen=True)
class Change:
    start: int  # offset in the repaired text where the repaired span starts
    end: int  # offset (exclusive) in the repaired text
    kind: str  # "mojibake", "pinyin", "punctuation", "traditional" or "width"
    before: str  # what the input had there
    label: str  # Chinese description shown on the page


@dataclass(frozen=True)
class Repaired:
    text: str
    encoding: str  # "utf-8", "gb18030", "big5", "utf-16-le"/"-be"; "unicode" for str input
    changes: list[Change]


class IntakeError(ValueError):
    """Input that cannot be read as text; the message is shown to the user as is."""


def repair(data: bytes | str) -> Repaired:
    if isinstance(data, str):
        text, encoding = data, "unicode"
        if len(text) > MAX_INPUT_BYTES:
            raise IntakeError("文本过大，上限为 20 MB。")
    else:
        text, encoding = _decode(bytes(data))
    _check_is_text(text)
    log = _Log(text)
    for stage in (_mojibake_edits, _pinyin_edits, _width_edits, _punctuation_edits):
        log.apply(stage(log.text))
    log.apply(_traditional_edits(log.text, log.deletions()))
    return Repaired(log.text, encoding, log.changes())


# --- decoding ----------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_BINARY_MESSAGE = "这不是文本文件（含有二进制内容），请上传或粘贴 UTF-8、GBK 或 Big5 编码的文本。"


def _decode(data: bytes) -> tuple[str, str]:
    if len(data) > MAX_INPUT_BYTES:
        raise IntakeError(f"文本过大（{len(data) / 1024 / 1024:.1f} MB），上限为 20 MB。")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError:
                raise IntakeError(_BINARY_MESSAGE) from None
    if b"\x00" in data or _control_ratio(data) > 0.05:
        raise IntakeError(_BINARY_MESSAGE)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    decoded = {}
    for encoding in ("gb18030", "big5"):
        try:
            decoded[encoding] = data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if not decoded:
        raise IntakeError("无法识别文本编码：既不是 UTF-8，也不是 GB18030/GBK 或 Big5。")
    encoding = _pick_encoding(data, decoded)
    if _common_han_ratio(decoded[encoding]) < 0.5:
        # Decodable but mostly rare characters: a wrong guess would show nonsense as text.
        raise IntakeError("无法可靠识别文本编码，请另存为 UTF-8 后再试。")
    return decoded[encoding], encoding


def _control_ratio(data: bytes) -> float:
    controls = sum(data.count(bytes([b])) for b in range(32) if b not in b"\t\n\r\x0b\x0c\x1b")
    return controls / max(len(data), 1)


def _pick_encoding(data: bytes, decoded: dict[str, str]) -> str:
    if len(decoded) == 1:
        return next(iter(decoded))
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(decoded)).best()
    if best is not None and best.encoding in decoded:
        return best.encoding
    return max(decoded, key=lambda enc: _common_han_ratio(decoded[enc]))


def _common_han_ratio(text: str) -> float:
    sample = [c for c in text[:20000] if _is_han(c)]
    if not sample:
        return 1.0
    return sum(_tier(c) >= 2 for c in sample) / len(sample)


def _check_is_text(text: str) -> None:
    if not text.strip():
        raise IntakeError("文本为空，请粘贴或上传要录入的文字。")
    sample = text[:100000]
    # Private-use characters are allowed: GB18030 mojibake produces them.
    odd = sum(
        1
        for c in sample
        if unicodedata.category(c) in ("Cc", "Cs") and c not in "\t\n\r\x0b\x0c\x1b"
    )
    if "\x00" in sample or odd > 0.05 * len(sample):
        raise IntakeError(_BINARY_MESSAGE)
    if _SURROGATE.search(text):  # only a str can hold one; no encoder accepts it
        raise IntakeError("文本含有无效字符（孤立的代理码位），请重新复制或另存为 UTF-8 后再试。")


# --- change log --------------------------------------------------------------------------


class _Edit(NamedTuple):
    start: int  # span in the text the stage looked at
    end: int
    text: str
    kind: str
    label: str


class _Span(NamedTuple):
    start: int  # span in the current text
    end: int
    in_start: int  # span in the decoded input
    in_end: int
    kind: str
    label: str


class _Log:
    """The current text plus the changes so far, each aligned to the decoded input.

    A later edit that overlaps an earlier change is folded into it: the page shows one repair
    per span, named after its first cause (e.g. a mojibake run later converted to simplified).
    Zero-width changes (deleted pinyin) touching an edit stay separate.
    """

    def __init__(self, text: str) -> None:
        self.source = text
        self.text = text
        self._spans: list[_Span] = []

    def apply(self, edits: list[_Edit]) -> None:
        if not edits:
            return
        pieces, pos = [], 0
        for edit in edits:
            pieces.append(self.text[pos : edit.start])
            pieces.append(edit.text)
            pos = edit.end
        pieces.append(self.text[pos:])
        self.text = "".join(pieces)
        self._spans = _merge(self._spans, edits)

    def deletions(self) -> frozenset[int]:
        """Where text was removed (pinyin): a later edit must not straddle these points."""
        return frozenset(s.start for s in self._spans if s.start == s.end)

    def changes(self) -> list[Change]:
        source = self.source
        return [Change(s[0], s[1], s[4], source[s[2] : s[3]], s[5]) for s in self._spans]


def _merge(spans: list[_Span], edits: list[_Edit]) -> list[_Span]:
    """The changes after ``edits``. Both lists are sorted; a change and the edits that overlap
    it (transitively) become one change. A position outside every change maps to the input
    by the length differences of the changes before it."""
    out: list[_Span] = []
    shift = 0  # length change of the edits passed so far
    passed = 0  # (current length - input length) of the changes passed so far
    i = j = 0
    while i < len(spans) or j < len(edits):
        if j == len(edits) or (i < len(spans) and spans[i][:2] <= edits[j][:2]):
            olds, news, (lo, hi) = [spans[i]], [], spans[i][:2]
            i += 1
        else:
            olds, news, (lo, hi) = [], [edits[j]], edits[j][:2]
            j += 1
        while True:  # absorb what overlaps [lo, hi); sorted, so the next ones suffice
            if i < len(spans) and _overlaps(lo, hi, spans[i].start, spans[i].end):
                olds.append(spans[i])
                hi = max(hi, spans[i].end)
                i += 1
            elif j < len(edits) and _overlaps(lo, hi, edits[j].start, edits[j].end):
                news.append(edits[j])
                hi = max(hi, edits[j].end)
                j += 1
            else:
                break
        if not news:  # an earlier change nothing touched: only its place moves
            s = olds[0]
            out.append(_Span(s.start + shift, s.end + shift, s.in_start, s.in_end, s.kind, s.label))
            passed += (s.end - s.start) - (s.in_end - s.in_start)
            continue
        old_delta = sum((s.end - s.start) - (s.in_end - s.in_start) for s in olds)
        new_delta = sum(len(e.text) - (e.end - e.start) for e in news)
        cause = olds[0] if olds else news[0]  # the page names a repair by its first cause
        in_lo, in_hi = lo - passed, hi - passed - old_delta
        out.append(_Span(lo + shift, hi + shift + new_delta, in_lo, in_hi, cause.kind, cause.label))
        passed += old_delta
        shift += new_delta
    return out


def _overlaps(lo: int, hi: int, start: int, end: int) -> bool:
    if start == end:  # a deletion point inside the span
        return lo < start < hi
    return lo != hi and start < hi


# --- character classes -------------------------------------------------------------------

_CJK_PUNCT = "，。、；：？！“”‘’（）《》【】…—「」『』·"


def _is_han(c: str) -> bool:
    o = ord(c)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF


def _is_cjk(c: str) -> bool:
    """Han characters and the punctuation that only appears in CJK text."""
    o = ord(c)
    return (
        _is_han(c)
        or 0x3000 <= o <= 0x303F
        or 0xFF00 <= o <= 0xFFEF
        or c in "“”‘’…—·"
        or 0x20000 <= o <= 0x3FFFF
    )


@cache
def _opencc():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def _tier(c: str) -> int:
    """How ordinary a character is in modern Chinese text: 3 punctuation, 2 common Han
    (GB2312 level 1, after t2s), 1 ASCII or less common Han, 0 rare, -1 never in text."""
    if c in _CJK_PUNCT:
        return 3
    if ord(c) < 0x80:
        return 1
    if c == "\ufffd" or unicodedata.category(c) in ("Cc", "Cn", "Co", "Cs"):
        return -1
    if not _is_han(c):
        return 0
    try:
        code = _opencc().convert(c).encode("gb2312")
    except UnicodeEncodeError:
        return 0
    if len(code) == 2 and 0xB0 <= code[0] <= 0xD7:
        return 2
    return 1 if len(code) == 2 and 0xD8 <= code[0] <= 0xF7 else 0


def _mean_tier(text: str) -> float:
    return sum(_tier(c) for c in text) / max(len(text), 1)


# --- stage 1: mojibake -------------------------------------------------------------------

_MOJIBAKE = LABELS["mojibake"]
_MAX_RUN = 80


def _mojibake_edits(text: str) -> list[_Edit]:
    edits = _shifted_gbk_edits(text) + _utf8_as_gbk_edits(text)
    edits.sort(key=lambda e: e.start)
    kept: list[_Edit] = []
    for edit in edits:
        if not kept or edit.start >= kept[-1].end:
            kept.append(edit)
    return kept


def _accept(garbled: str, restored: str, minimum: int) -> bool:
    """A restoration must read as ordinary text and clearly better than the garbled run."""
    real = restored.replace("\ufffd", "")
    rare = sum(_tier(c) < 1 for c in real)
    if len(real) < minimum or rare > len(real) // 8 or any(_tier(c) < 0 for c in real):
        return False
    return _mean_tier(real) >= 1.8 and _mean_tier(real) - _mean_tier(garbled) >= 0.5


# The source report: GBK bytes whose first byte was replaced by "?", read one byte off, then
# full-width forms narrowed to ASCII. "。”郭曉東" = A1A3 A1B1 B9F9 95D4 967C appears as
# "?" + A3A1(！→!) B1B9(惫) F995(鶗) D496(詵) + 7C(|): re-encode, put a lead byte back, re-read.
_SHIFTED_START = re.compile(r"\?(?=[!-~]?[^\x00-\x7f])")


def _shifted_gbk_edits(text: str) -> list[_Edit]:
    edits = []
    for match in _SHIFTED_START.finditer(text):
        found = _restore_shifted(text, match.start())
        if found:
            end, restored = found
            edits.append(_Edit(match.start(), end, restored, "mojibake", _MOJIBAKE))
    return edits


def _restore_shifted(text: str, at: int) -> tuple[int, str] | None:
    middle = bytearray()
    best: tuple[int, str] | None = None
    for j in range(at + 1, min(len(text), at + _MAX_RUN)):
        o = ord(text[j])
        if o >= 0x80:
            code = _gbk(text[j])
            if code is None:
                break
            middle += code
            continue
        if not 0x21 <= o <= 0x7E:
            break
        if 0x40 <= o <= 0x7E and middle:
            # This ASCII character may be the trail byte that brought the reader back in step.
            restored = _reread_shifted(bytes(middle) + bytes([o]))
            if restored and _accept(text[at : j + 1], restored, 3):
                best = (j + 1, restored)
        middle += bytes([0xA3, o + 0x80])  # or a full-width form narrowed to ASCII
    return best


def _reread_shifted(data: bytes) -> str | None:
    try:
        rest = data[1:].decode("gb18030")
    except UnicodeDecodeError:
        return None
    return _lost_lead(data[0]) + rest


@lru_cache(maxsize=256)
def _lost_lead(trail: int) -> str:
    """The most ordinary character whose second GBK byte is ``trail``."""
    candidates = []
    for lead in range(0x81, 0xFF):
        try:
            candidates.append(bytes([lead, trail]).decode("gb18030"))
        except UnicodeDecodeError:
            continue
    return _most_ordinary(candidates) or "\ufffd"


def _most_ordinary(candidates: list[str]) -> str | None:
    """The candidate whose last character is most ordinary; among punctuation the most
    frequent mark wins ("。" before "、"); a tie between Han characters is undecidable."""
    if not candidates:
        return None
    top = max(_tier(c[-1]) for c in candidates)
    best = [c for c in candidates if _tier(c[-1]) == top]
    if top == 3:
        return min(best, key=lambda c: _CJK_PUNCT.index(c[-1]))
    return best[0] if len(best) == 1 else None


@lru_cache(maxsize=65536)
def _gbk(c: str) -> bytes | None:
    try:
        code = c.encode("gb18030")
    except UnicodeEncodeError:
        return None
    return code if len(code) == 2 else None


# The common kind: UTF-8 bytes read as GBK ("你好" -> "浣犲ソ"). Re-encoding a run of non-ASCII
# characters as GBK gives two bytes per character, so byte offsets map back to characters.
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f\ufffd]{3,}")
# Well-formed UTF-8 only (RFC 3629): no overlong forms, no surrogates (ED A0..BF), nothing past
# U+10FFFF, so every run it finds decodes.
_UTF8 = re.compile(
    rb"(?:[\xc2-\xdf][\x80-\xbf]"
    rb"|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2})+"
)


@cache
def _utf8_lead_chars() -> re.Pattern[str]:
    """Characters that a UTF-8 lead byte of CJK text and its next byte read as GBK give:
    mojibake of two or more characters always contains one; ordinary text rarely does."""
    chars = set()
    for lead in range(0xE2, 0xF0):
        for trail in range(0x80, 0xC0):
            try:
                chars.add(bytes([lead, trail]).decode("gb18030"))
            except UnicodeDecodeError:
                continue
    return re.compile("[" + "".join(sorted(chars)) + "]")


def _utf8_as_gbk_edits(text: str) -> list[_Edit]:
    edits = []
    leads = _utf8_lead_chars()
    for run in _NON_ASCII_RUN.finditer(text):
        chunk = run.group()
        if not leads.search(chunk):
            continue
        try:
            data = chunk.encode("gb18030")
        except UnicodeEncodeError:
            continue
        if len(data) != 2 * len(chunk):
            continue
        # The reader replaced the bytes it could not pair at the end of the run ("?" or U+FFFD).
        after = text[run.end() : run.end() + 2]
        lost = len(after) - len(after.lstrip("?\ufffd"))
        for start, stop, restored in _utf8_runs(data, lost):
            garbled = text[run.start() + start : run.start() + stop]
            if _accept(garbled, restored, 3):
                edits.append(
                    _Edit(run.start() + start, run.start() + stop, restored, "mojibake", _MOJIBAKE)
                )
    return edits


def _utf8_runs(data: bytes, lost: int) -> Iterator[tuple[int, int, str]]:
    """(first char, end char, restored text) for each stretch of ``data`` that is UTF-8."""
    pos = 0
    while (match := _UTF8.search(data, pos)) is not None:
        start = match.start()
        if start % 2:  # must start on a character boundary of the garbled text
            match = _UTF8.match(data, start + 1)
            if match is None:
                pos = start + 1
                continue
            start = match.start()
        end = _even_boundary(data, start, match.end())
        pos = max(match.end(), start + 2)
        if end - start < 6:
            continue
        restored, stop = data[start:end].decode("utf-8"), end // 2
        if lost and match.end() + 4 >= len(data) > end:
            tail = _fill_tail(data[end:], lost)
            if tail is not None:
                restored, stop = restored + tail, len(data) // 2 + lost
        yield start // 2, stop, restored


def _even_boundary(data: bytes, start: int, end: int) -> int:
    """The last UTF-8 character boundary in data[start:end] that is also a GBK one."""
    best, i = start, start
    while i < end:
        lead = data[i]
        i += 1 if lead < 0x80 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
        if i <= end and i % 2 == 0:
            best = i
    return best


@lru_cache(maxsize=4096)
def _fill_tail(head: bytes, lost: int) -> str | None:
    """``head`` plus ``lost`` (1 or 2) missing continuation bytes, completed to the most
    ordinary text; an undecidable last character becomes U+FFFD."""
    continuation = range(0x80, 0xC0)
    fills = (
        [bytes([a]) for a in continuation]
        if lost == 1
        else [bytes([a, b]) for a in continuation for b in continuation]
    )
    candidates = []
    for fill in fills:
        try:
            candidates.append((head + fill).decode("utf-8"))
        except UnicodeDecodeError:
            continue
    if not candidates:
        return None
    return _most_ordinary(candidates) or candidates[0][:-1] + "\ufffd"


# --- stage 2: pinyin ---------------------------------------------------------------------

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
_PINYIN = re.compile(
    r"(?<=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])"
    rf"[(（]([a-z{_TONED}\u0300-\u036f]{{1,8}}[1-5]?)[)）]"
)


@cache
def _syllables() -> frozenset[str]:
    path = Path(__file__).with_name("data") / "pinyin_syllables.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _toneless(syllable: str) -> tuple[str, bool]:
    decomposed = unicodedata.normalize("NFD", syllable.replace("v", "u"))
    base = "".join(c for c in decomposed if not unicodedata.combining(c)).rstrip("12345")
    toned = base != decomposed.rstrip("5") and any(
        unicodedata.combining(c) and c != "\u0308" for c in decomposed
    )
    return base.replace("ê", "e"), toned or syllable[-1] in "1234"


@lru_cache(maxsize=8192)
def _readings(c: str) -> frozenset[str]:
    from pypinyin import Style, pinyin

    found = pinyin(c, style=Style.NORMAL, heteronym=True, errors="ignore")
    return frozenset(r.replace("ü", "u").replace("v", "u") for group in found for r in group)


def _pinyin_edits(text: str) -> list[_Edit]:
    edits = []
    for match in _PINYIN.finditer(text):
        base, toned = _toneless(match.group(1))
        if base not in _syllables():
            continue
        # "(qū)" is an annotation; a bare "(an)" only if it is a reading of the character.
        if toned or base in _readings(text[match.start() - 1]):
            edits.append(_Edit(match.start(), match.end(), "", "pinyin", LABELS["pinyin"]))
    return edits


# --- stage 3: width ----------------------------------------------------------------------

_FULL_WIDTH_ALNUM = re.compile(
    r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+(?:\uff0e[\uff10-\uff19]+)*"
)


def _width_edits(text: str) -> list[_Edit]:
    return [
        _Edit(
            m.start(), m.end(), unicodedata.normalize("NFKC", m.group()), "width", LABELS["width"]
        )
        for m in _FULL_WIDTH_ALNUM.finditer(text)
    ]


# --- stage 4: punctuation ----------------------------------------------------------------

_MARKS = re.compile(r"[,，、。!！?？;；:：]{2,}|[,!?;:]")  # what may need work
_FULL = {",": "，", "!": "！", "?": "？", ";": "；", ":": "："}
_COMMAS = ",，"
_NO_REPEAT = "，、。；："  # a doubled "！！" or "？？" may be meant


def _punctuation_edits(text: str) -> list[_Edit]:
    edits = []
    for match in _MARKS.finditer(text):
        run = match.group()
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        chinese = bool(before and _is_cjk(before)) or (
            bool(after) and _is_han(after) and not (before.isascii() and before.isalnum())
        )
        marks = [_FULL.get(m, m) if chinese else m for m in run]
        kept = _collapse(marks)
        repaired = "".join(kept)
        if repaired == run:
            continue
        if len(kept) < len(run):
            kind, label = "punctuation", LABELS["punctuation"]
        else:
            kind, label = "width", LABEL_HALF_TO_FULL
        edits.append(_Edit(match.start(), match.end(), repaired, kind, label))
    return edits


def _collapse(marks: list[str]) -> list[str]:
    """ ",," and ",、" left by a copy: drop commas before another mark, then repeats."""
    if len(marks) > 1 and any(m not in _COMMAS for m in marks):
        marks = [m for m in marks if m not in _COMMAS]
    kept: list[str] = []
    for m in marks:
        if kept and m == kept[-1] and _FULL.get(m, m) in _NO_REPEAT:
            continue
        kept.append(m)
    return kept


# --- stage 5: traditional to simplified --------------------------------------------------

_CHUNK = 1 << 16


def _traditional_edits(text: str, breaks: frozenset[int] = frozenset()) -> list[_Edit]:
    edits: list[_Edit] = []
    offset = 0
    for chunk in _line_chunks(text):
        converted = _kept_simplified(chunk, _opencc().convert(chunk).translate(_VARIANTS))
        if converted != chunk:
            edits.extend(_diff(chunk, converted, offset, breaks, _traditional_edit))
        offset += len(chunk)
    return edits


# Variant traditional forms that OpenCC's t2s keeps as they are ("陜汽" for 陕汽, "烧堿",
# "帥燮瑯" for 帅燮琅).
_VARIANTS = str.maketrans("陜堿衞粧凟瑯", "陕碱卫妆渎琅")
# Simplified characters that t2s still changes: 昇 is a character of its own in names ("范东昇"),
# not a traditional 升.
_SIMPLIFIED_KEPT = frozenset("昇")


def _kept_simplified(chunk: str, converted: str) -> str:
    """``converted`` with the characters of ``_SIMPLIFIED_KEPT`` put back where ``chunk`` had
    them (t2s is character for character in practice; otherwise nothing is put back)."""
    if len(chunk) != len(converted) or not any(c in chunk for c in _SIMPLIFIED_KEPT):
        return converted
    return "".join(
        old if old in _SIMPLIFIED_KEPT else new for old, new in zip(chunk, converted, strict=True)
    )


def _traditional_edit(start: int, end: int, new: str) -> _Edit:
    return _Edit(start, end, new, "traditional", LABELS["traditional"])


def _line_chunks(text: str) -> Iterator[str]:
    """Pieces of about 64K characters cut after a line break, so no phrase is split."""
    pos = 0
    while pos < len(text):
        cut = text.find("\n", pos + _CHUNK)
        cut = len(text) if cut < 0 else cut + 1
        yield text[pos:cut]
        pos = cut


def _diff(
    old: str,
    new: str,
    offset: int,
    breaks: frozenset[int],
    make: Callable[[int, int, str], _Edit],
) -> Iterator[_Edit]:
    if len(old) == len(new):  # OpenCC t2s is character for character in practice
        i, n = 0, len(old)
        while i < n:
            if old[i] == new[i]:
                i += 1
                continue
            j = i + 1
            while j < n and old[j] != new[j] and offset + j not in breaks:
                j += 1
            yield make(offset + i, offset + j, new[i:j])
            i = j
        return
    from difflib import SequenceMatcher

    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            yield make(offset + i1, offset + i2, new[j1:j2])
