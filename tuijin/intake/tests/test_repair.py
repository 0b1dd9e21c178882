"""Repair: decoding, the five kinds of repair, and the change spans the page highlights."""

import codecs
from pathlib import Path

import pytest

from tuijin.intake.repair import MAX_INPUT_BYTES, Change, IntakeError, Repaired, repair

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[3]
# The stored copy of the source report, kept byte for byte with the evaluation texts.
SEED_COPY = ROOT / "eval" / "intake" / "texts" / "00-suizhou-2022.txt"
SHARED_SEED = ROOT.parent / "shared" / "seed" / "suizhou-high-tech-zone-2022.txt"
EXPECTED = (DATA / "suizhou-2022-simplified.txt").read_text(encoding="utf-8")


def seed_bytes() -> bytes:
    return SEED_COPY.read_bytes()


def undo(repaired: Repaired) -> str:
    """The input rebuilt from the repaired text and the changes: proves every span is right."""
    out, pos = [], 0
    for change in repaired.changes:
        assert pos <= change.start <= change.end <= len(repaired.text)
        out += [repaired.text[pos : change.start], change.before]
        pos = change.end
    return "".join(out) + repaired.text[pos:]


def kinds(repaired: Repaired) -> set[str]:
    return {c.kind for c in repaired.changes}


class TestSourceReport:
    @pytest.mark.skipif(not SHARED_SEED.exists(), reason="shared/ is not beside the checkout")
    def test_the_copy_is_the_stored_report(self):
        assert SEED_COPY.read_bytes() == SHARED_SEED.read_bytes()

    def test_it_reads_exactly_as_the_simplified_original(self):
        assert repair(seed_bytes()).text == EXPECTED

    def test_its_changes_rebuild_the_stored_copy(self):
        data = seed_bytes()
        repaired = repair(data)
        assert repaired.encoding == "utf-8"
        assert undo(repaired) == data.decode("utf-8")

    def test_it_restores_the_three_garbled_runs(self):
        repaired = repair(seed_bytes())
        runs = [
            (c.before, repaired.text[c.start : c.end])
            for c in repaired.changes
            if c.kind == "mojibake"
        ]
        assert runs == [
            ("?!惫鶗詵|", "。”郭晓东"),
            ("?!备咝聟^", "。”高新区"),
            (",?!痹谌珔^", "。”在全区"),  # the doubled comma before "。" went with it
        ]
        assert all(c.label == "乱码还原" for c in repaired.changes if c.kind == "mojibake")

    def test_it_counts_each_kind_of_repair(self):
        repaired = repair(seed_bytes())
        counts = {k: sum(c.kind == k for c in repaired.changes) for k in kinds(repaired)}
        assert counts["pinyin"] == 70  # every "(qū)" and the like in the stored copy
        assert counts["mojibake"] == 3
        assert counts["traditional"] > 300
        assert counts["punctuation"] > 100

    def test_opencc_leaves_the_simplified_original_and_its_names_alone(self):
        repaired = repair(EXPECTED)
        assert repaired.text == EXPECTED
        assert repaired.changes == []
        for name in ("犇星二期", "淅河镇碑岗村", "位于万达广场", "见之于成效", "锤炼"):
            assert name in repaired.text


class TestMojibake:
    def test_it_undoes_utf8_read_as_gb18030(self):
        original = "今天我们在高新区推进重点项目建设"
        garbled = original.encode("utf-8").decode("gb18030")
        assert garbled != original
        repaired = repair(f"前文：{garbled}\n后文")
        assert repaired.text == f"前文：{original}\n后文"
        assert [c.kind for c in repaired.changes] == ["mojibake"]
        assert repaired.changes[0].before == garbled

    def test_it_fills_a_last_byte_the_reader_replaced(self):
        original = "确保年底前竣工投产。"
        garbled = original.encode("utf-8").decode("gb18030", errors="replace")
        assert garbled.endswith("\ufffd")
        assert repair(garbled + "\n").text == original + "\n"

    def test_it_undoes_gbk_read_one_byte_off(self):
        data = "见之于成效。”郭曉東表示".encode("gbk")
        at = data.index("。".encode("gbk"))
        shifted = data[at + 1 : -5].decode("gbk", errors="strict") + chr(data[-5])
        narrowed = "".join(
            chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in shifted
        )
        text = "见之于成效?" + narrowed + "表示"
        assert repair(text).text == "见之于成效。”郭晓东表示"

    def test_it_leaves_real_question_marks_and_rare_words_alone(self):
        text = "工作完成进度如何?效果怎么样?该区对四大产业园实行一季度一观摩拉练。"
        repaired = repair(text)
        assert (
            repaired.text == "工作完成进度如何？效果怎么样？该区对四大产业园实行一季度一观摩拉练。"
        )
        assert "mojibake" not in kinds(repaired)


class TestPinyin:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("隨州高新區(qū)", "随州高新区"),
            ("發(fā)展", "发展"),
            ("產業（yè）", "产业"),
            ("發(fa)展", "发展"),  # toneless, and a reading of 發
            ("安(an)全", "安全"),
        ],
    )
    def test_it_removes_annotations(self, text, expected):
        repaired = repair(text)
        assert repaired.text == expected
        assert "pinyin" in kinds(repaired)

    @pytest.mark.parametrize(
        "text", ["管理办法(试行)", "第(一)条", "年报(2022)", "代号(ABC)", "附件(de)", "部门(a)"]
    )
    def test_it_keeps_real_parentheses(self, text):
        assert repair(text).text == text

    def test_a_deleted_annotation_is_an_empty_span_after_its_character(self):
        repaired = repair("高新區(qū)")
        pinyin = next(c for c in repaired.changes if c.kind == "pinyin")
        assert (pinyin.start, pinyin.end, pinyin.before) == (3, 3, "(qū)")
        assert pinyin.label == "删除拼音注音"


class TestPunctuation:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("地块,,道路", "地块，道路"),
            ("书记,、管委会", "书记、管委会"),
            ("决心,。", "决心。"),
            ("自己的事,!", "自己的事！"),
            ("进度如何,?效果", "进度如何？效果"),
            ("公司等,;淅河镇", "公司等；淅河镇"),
            ("完成，，了", "完成，了"),
            ("当即限定:三天后", "当即限定：三天后"),
            ("是吗?!", "是吗？！"),
        ],
    )
    def test_it_collapses_doubles_and_uses_chinese_marks(self, text, expected):
        assert repair(text).text == expected

    @pytest.mark.parametrize("text", ["1,000元", "10:30开会", "Hello, world", "共3,000万元"])
    def test_it_keeps_ascii_marks_between_ascii(self, text):
        assert repair(text).text == text

    def test_a_doubled_comma_is_one_change(self):
        repaired = repair("地块,,道路")
        assert repaired.changes == [Change(2, 3, "punctuation", ",,", "重复标点")]


class TestWidth:
    def test_it_narrows_full_width_digits_and_letters(self):
        repaired = repair("ＡＢＣ１２３号，３．５亿元")
        assert repaired.text == "ABC123号，3.5亿元"
        assert [c.label for c in repaired.changes] == ["全角转半角", "全角转半角"]


class TestDecoding:
    @pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
    def test_it_reads_gbk(self, encoding):
        text = "随州高新区管委会主任郭晓东表示，要加快推进重点项目建设。"
        repaired = repair(text.encode(encoding))
        assert repaired.text == text
        assert repaired.encoding == "gb18030"

    def test_it_reads_big5_and_converts_to_simplified(self):
        repaired = repair("隨州高新區管委會主任郭曉東表示，要加快推進重點項目建設。".encode("big5"))
        assert repaired.encoding == "big5"
        assert repaired.text == "随州高新区管委会主任郭晓东表示，要加快推进重点项目建设。"

    def test_it_converts_variant_forms_opencc_keeps(self):
        repaired = repair("陜汽烏海新能源汽車有限公司年產5萬輛LNG汽車項目，30萬噸燒堿。")
        assert repaired.text == "陕汽乌海新能源汽车有限公司年产5万辆LNG汽车项目，30万吨烧碱。"

    def test_it_keeps_sheng_and_converts_lang_in_names(self):
        # 昇 is a simplified character of its own (范东昇), which t2s would make 升; 瑯 is the
        # traditional 琅 (帅燮琅), which t2s keeps.
        repaired = repair("縣長范東昇、副縣長帥燮瑯出席，旭昇集團年產升級。".encode())
        assert repaired.text == "县长范东昇、副县长帅燮琅出席，旭昇集团年产升级。"
        assert all(c.kind == "traditional" for c in repaired.changes)
        assert undo(repaired) == "縣長范東昇、副縣長帥燮瑯出席，旭昇集團年產升級。"

    def test_it_drops_a_utf8_bom(self):
        repaired = repair(codecs.BOM_UTF8 + "高新区".encode())
        assert (repaired.text, repaired.encoding) == ("高新区", "utf-8")

    def test_it_reads_utf16_with_bom(self):
        repaired = repair(codecs.BOM_UTF16_LE + "高新区".encode("utf-16-le"))
        assert (repaired.text, repaired.encoding) == ("高新区", "utf-16-le")

    @pytest.mark.parametrize("data", [b"", b"  \n\t ", ""])
    def test_it_refuses_empty_text(self, data):
        with pytest.raises(IntakeError, match="文本为空"):
            repair(data)

    @pytest.mark.parametrize(
        "data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(256)) * 4, b"%PDF\x00\x01\x02"]
    )
    def test_it_refuses_binary_data(self, data):
        with pytest.raises(IntakeError, match="不是文本文件"):
            repair(data)

    def test_it_refuses_bytes_no_encoding_explains(self):
        with pytest.raises(IntakeError, match="编码"):
            repair(b"\xff\xfe\xfd\x80\x81" * 20 + b"\x80")

    def test_it_refuses_too_large_input(self):
        with pytest.raises(IntakeError, match="上限为 20 MB"):
            repair(b"a" * (MAX_INPUT_BYTES + 1))
