"""Any input: repair() and extract() answer with a result or an IntakeError, nothing else.

Speed on large input is measured by eval/intake/evaluate.py, never asserted here.
"""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuijin.intake.extract import Extraction, PersonMention, ProjectMention, extract
from tuijin.intake.repair import IntakeError, Repaired, repair

# No example database: the suite leaves no .hypothesis/ folder behind.
SETTINGS = settings(
    max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

# Pieces of the source report's corruptions, to mix into random text.
GARBLED = [
    "區(qū)",
    "發(fā)",
    ",,",
    ",、",
    ",。",
    "?!惫鶗詵|",
    "浣犲ソ",
    "\ufffd",
    "(试行)",
    "？",
    "（一）",
]
CHINESE = st.text(
    alphabet=st.sampled_from(
        list(
            "高新区管委会主任郭晓东表示项目产业园青春化工年产万吨公司园区镇村等、，。：；！？“”()（）"
        )
        + list("0123456789ａｂｃ１２３ \n")
    ),
    max_size=200,
)


def check(data: bytes | str) -> None:
    try:
        repaired = repair(data)
    except IntakeError as error:
        assert str(error)  # a message for the user
        return
    assert isinstance(repaired, Repaired)
    assert isinstance(repaired.text, str) and isinstance(repaired.encoding, str)
    pos = 0
    for change in repaired.changes:
        assert 0 <= change.start <= change.end <= len(repaired.text)
        assert change.start >= pos  # sorted, not overlapping
        assert change.kind in {"mojibake", "pinyin", "punctuation", "traditional", "width"}
        assert isinstance(change.before, str) and change.label
        pos = change.end
    found = extract(repaired.text)
    assert isinstance(found, Extraction)
    assert all(isinstance(p, ProjectMention) and p.name for p in found.projects)
    assert all(isinstance(p, PersonMention) and p.name for p in found.people)
    for values in found.as_dict().values():
        assert isinstance(values, list)


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    check(data)


@SETTINGS
@given(st.text(max_size=500))
def test_random_unicode(text):
    check(text)
    check(text.encode("utf-8"))


@SETTINGS
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=300))
def test_text_with_lone_surrogates(text):
    check(text)  # a str may hold what no encoding can: an IntakeError, not a crash


@SETTINGS
@given(CHINESE)
def test_chinese_like_text_in_every_encoding(text):
    for encoding in ("utf-8", "gb18030", "big5", "utf-16"):
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        check(data)


@SETTINGS
@given(st.lists(st.one_of(CHINESE, st.sampled_from(GARBLED)), max_size=30), st.randoms())
def test_mixed_garbled_input(pieces, rng: random.Random):
    text = "".join(pieces)
    check(text)
    # The same text partly read as the wrong encoding, as a copy from the web may be.
    data = text.encode("utf-8")
    cut = rng.randrange(len(data) + 1)
    check(data[:cut] + data[cut:].decode("utf-8", "ignore").encode("gb18030", "ignore"))


def test_the_report_repeated_to_5_mb_is_answered():
    report = "高新区管委会副主任朱西勝说，青春化工园,,犇星二期年產3萬噸新能源電解液等項(xiàng)目全力推進。\n"
    data = (report * (5 * 1024 * 1024 // len(report.encode()) + 1)).encode()
    repaired = repair(data)
    assert repaired.text.startswith("高新区管委会副主任朱西胜说，青春化工园，犇星二期")
    found = extract(repaired.text)
    assert [p.name for p in found.projects] == ["犇星二期年产3万吨新能源电解液"]


def test_gbk_text_whose_bytes_look_like_a_utf8_surrogate_is_answered():
    # Found by hypothesis: the GB18030 bytes E3 80 B1 ED A1 B1 pass a loose UTF-8 pattern
    # (ED A1 B1 would be a surrogate), and decoding them raised UnicodeDecodeError.
    text = b"\xe3\x80\xb1\xed\xa1\xb1".decode("gb18030")
    assert repair(text).text
    assert repair(text.encode("gb18030")).text is not None
