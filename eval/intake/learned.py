"""I18, ninth round: a learned ranker of project candidates, measured by cross-validation.

    .venv/bin/python eval/intake/learned.py            # leave-one-split-out CV, studied splits
    .venv/bin/python eval/intake/learned.py --hybrid   # the rules, corrected by the model
    .venv/bin/python eval/intake/learned.py --no-engine    # the rules' features left out
    .venv/bin/python eval/intake/learned.py --wide-only    # the wide generator alone
    .venv/bin/python eval/intake/learned.py '{"l2": 1e-3}' # other settings than SETTINGS
    .venv/bin/python eval/intake/learned.py --speed    # CPU seconds on the 5 MB source report
    .venv/bin/python eval/intake/learned.py --temporal unseen8  # in an old engine's copy
    .venv/bin/python eval/intake/learned.py --honest   # once, after the method is committed

Candidates of a text: every project the engine proposes (confident and 可能的项目, with its
confidence and reason) and a wider generator's spans: for each head word of a work (项目, 工程,
基地, 园, 厂, 生产线, 中心, 小镇, …) every start at a jieba word boundary back to the nearest
punctuation, 、 or 等 (at most ``_REACH`` characters, no 项目 inside). Each candidate gets sparse
features from the rules (the engine's confidence and the kinds of cue in its reason, ``judge``'s
named subject) and from its context (head, length, jieba's tags, the character and word before
it, what follows, a list around it, stage words in its sentence). Label: the candidate matches
a hand label by evaluate.py's rule. A logistic regression (pure Python, AdaGrad with L2, a
fixed seed, no new dependency) scores them; per text the engine's candidates, then the wide
ones, are taken best first, skipping one inside or around a name already taken, and a score of
at least the chosen threshold is a project. ``--hybrid`` instead keeps the engine's CONFIDENT
proposals, drops those the model scores under a low threshold and adds other candidates it
scores over a high one.

Protocol (session 14): unseen9/ and unseen10/, then the honest splits, were never read by the
default run; they are studied since session 16, whose honest split is evaluate.NEVER_SHOWN. The
settings (features, epochs, L2, learning rate) were chosen by leave-one-split-out
cross-validation over the eleven studied splits: for each split, train on the other ten, choose
the threshold by an inner pass over those ten (two halves, each scored by a model trained on
the other; the best F1), measure on the split left out; the engine's own CONFIDENT proposals on
the same split beside it. ``--honest`` trains on all eleven with the settings frozen here and
prints only the micro totals of the two honest splits, never a text's name or figure. The
studied splits' candidates are cached in the file ``LEARNED_CACHE`` names, if it is set (delete it
after changing the features or the engine).
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import pickle
import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("intake_evaluate", HERE / "evaluate.py")
evaluate = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = evaluate
_spec.loader.exec_module(evaluate)

from tuijin.intake.extract import extract, judge  # noqa: E402
from tuijin.intake.extract.mentions import CONFIDENT  # noqa: E402
from tuijin.intake.extract.text import _sentences, _tokens  # noqa: E402

try:
    from tuijin.intake.extract.text import _dictionary
except ImportError:  # engines before the fourth round kept it in judge (--temporal)
    from tuijin.intake.extract.judge import _dictionary
from tuijin.intake.repair import repair  # noqa: E402

STUDIED = [s for s in evaluate.SPLITS if s not in evaluate.NEVER_SHOWN]

_HEAD = re.compile(
    r"项目|工程|产业园|工业园|科技园|物流园|创业园|孵化园|产业城|园区|基地|工厂|厂房|生产线"
    r"|中心|综合体|小镇|电站|医院|学校|中学|小学|幼儿园|公园|广场|街区|大道|水库|管网"
    r"|安置区|小区|市场|酒店|馆|厂|园"
)
_STOP = set("，,。；;：:、“”\"'（）()《》【】 \t\u3000") | {"等"}
_REACH = 24
_FIRM = re.compile(r"公司|集团|药业|科技|实业|股份|控股|电子|新材料|智能|制造|能源|光电|生物")
_STAGE = re.compile(r"开工|动工|竣工|投产|签约|落地|落户|入驻|奠基|建成|总投资|观摩|现场|推进|建设")
_QUOTED = re.compile(r"“[^”]*”")
_LINK = re.compile(r"是|有|包括|位于|参观|的|及|和|与")


@dataclass
class Candidate:
    name: str
    features: dict[str, float]
    label: bool
    engine: float | None = None  # the engine's confidence, None for the wide generator's
    reason: str = ""
    spans: list[str] = field(default_factory=list)


def _tag(word: str) -> str:
    entry = _dictionary().get(word)
    return entry[1] if entry else "OOV" if len(word) > 1 else "CHR"


def _context_features(sentence: str, start: int, end: int, name: str) -> dict[str, float]:
    f: dict[str, float] = {}
    tokens = _tokens(name)
    f[f"first_tag={_tag(tokens[0])}"] = 1
    f[f"first_len={min(len(tokens[0]), 4)}"] = 1
    f[f"ntok={min(len(tokens), 8)}"] = 1
    before = sentence[max(0, start - 8) : start]
    btok = _tokens(before)[-1] if before else "^"
    f[f"prev_char={sentence[start - 1] if start else '^'}"] = 1
    f[f"prev_tok={btok}"] = 0.5
    f[f"prev_tag={_tag(btok) if before else '^'}"] = 1
    after = sentence[end : end + 2]
    f[f"next1={after[:1] or '$'}"] = 1
    f["list"] = float(sentence[start - 1 : start] == "、" or after[:1] in ("、", "等"))
    f["stage_in_sentence"] = float(bool(_STAGE.search(sentence)))
    return f


def _name_features(name: str) -> dict[str, float]:
    f: dict[str, float] = {}
    head = _HEAD.search(name[-4:])
    f[f"head={head.group() if head else name[-1]}"] = 1
    f[f"last2={name[-2:]}"] = 1
    f[f"len={min(len(name), 20) // 2}"] = 1
    core = re.sub(r"(?:建设)?项目$", "", name)
    f["named"] = float(bool(core) and judge.has_named_subject(core))
    tags = [_tag(t) for t in _tokens(name)]
    f["verbs"] = min(sum(t.startswith("v") for t in tags), 3)
    f["inner_link"] = float(bool(_LINK.search(name[1:-1])))
    f["firm_word"] = float(bool(_FIRM.search(name)))
    f[f"first_char={name[0]}"] = 0.5
    f["de"] = float("的" in name)
    f["digit"] = float(bool(re.search(r"\d", name)))
    f["capacity"] = float("年产" in name)
    f["phase"] = float(bool(re.search(r"[一二三四五六七八九十\d]期", name)))
    return f


def _engine_features(confidence: float, reason: str) -> dict[str, float]:
    f: dict[str, float] = {"engine": 1, "engine_conf": confidence}
    f[f"engine_bin={min(int(confidence * 10), 9)}"] = 1
    f["engine_confident"] = float(confidence >= CONFIDENT)
    for cue in reason.split("；"):
        kind = re.sub(r"\d+", "N", _QUOTED.sub("Q", cue))
        f[f"cue={kind}"] = 1
    return f


def candidates(text: str, labels: list | None = None) -> list[Candidate]:
    entities = [x if isinstance(x, list) else [x] for x in (labels or [])]

    def label(name: str) -> bool:
        return any(evaluate.same_project(name, a) for e in entities for a in e)

    found = extract(text)
    sentences = list(_sentences(text))
    out: list[Candidate] = []
    seen = set()
    for mention in found.projects:
        name = mention.name
        feats = _engine_features(mention.confidence, mention.reason)
        feats.update(_name_features(name))
        for sentence in sentences:
            if (at := sentence.find(name)) >= 0:
                feats.update(_context_features(sentence, at, at + len(name), name))
                break
        feats["count"] = min(text.count(name), 3)
        seen.add(evaluate.normalise(name))
        out.append(Candidate(name, feats, label(name), mention.confidence, mention.reason))
    wide_seen: set[str] = set()
    for sentence in sentences:
        for match in _HEAD.finditer(sentence):
            end = match.end()
            if end < len(sentence) and _HEAD.match(sentence, end):
                continue  # "产业园|项目": the longer head is read at its own end
            left = end - len(match.group())
            lo = max(0, left - _REACH)
            for i in range(left - 1, lo - 1, -1):
                if sentence[i] in _STOP:
                    lo = i + 1
                    break
            if left - lo < 2:
                continue
            starts, at = [], lo
            for token in _tokens(sentence[lo:left]):
                starts.append(at)
                at += len(token)
            for start in starts:
                name = sentence[start:end]
                key = evaluate.normalise(name)
                if len(name) < 3 or key in wide_seen or "项目" in name[:-2]:
                    continue
                wide_seen.add(key)
                feats = {"wide": 1.0, "also_engine": float(key in seen)}
                feats.update(_name_features(name))
                feats.update(_context_features(sentence, start, end, name))
                feats["count"] = min(text.count(name), 3)
                feats["start_at_stop"] = float(start == lo)
                out.append(Candidate(name, feats, label(name)))
    return out


def load(folder: Path) -> list[tuple[list[Candidate], list]]:
    items = []
    for path in sorted(folder.glob("*.txt")):
        labels_path = path.with_suffix(".labels.json")
        if not labels_path.exists():
            continue
        labels = json.loads(labels_path.read_text(encoding="utf-8"))["projects"]
        text = repair(path.read_bytes()).text
        items.append((candidates(text, labels), labels))
    return items


# --- the model ---------------------------------------------------------------------------


def train(
    examples: list[Candidate], epochs: int = 12, l2: float = 1e-4, rate: float = 0.5, seed: int = 0
):
    weights: dict[str, float] = defaultdict(float)
    squares: dict[str, float] = defaultdict(lambda: 1e-8)
    bias, bias_sq = 0.0, 1e-8
    order = list(range(len(examples)))
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(order)
        for i in order:
            ex = examples[i]
            z = bias + sum(weights[k] * v for k, v in ex.features.items())
            p = 1 / (1 + math.exp(-max(-30, min(30, z))))
            g = p - ex.label
            bias_sq += g * g
            bias -= rate * g / math.sqrt(bias_sq)
            for k, v in ex.features.items():
                gk = g * v + l2 * weights[k]
                squares[k] += gk * gk
                weights[k] -= rate * gk / math.sqrt(squares[k])
    return {"bias": bias, "weights": {k: w for k, w in weights.items() if abs(w) > 1e-6}}


def score(model, features: dict[str, float]) -> float:
    w = model["weights"]
    z = model["bias"] + sum(w.get(k, 0.0) * v for k, v in features.items())
    return 1 / (1 + math.exp(-max(-30, min(30, z))))


def overlaps(name: str, taken: list[tuple[str, float]]) -> bool:
    """Whether ``name`` is inside or around a name already taken."""
    n = evaluate.normalise(name)
    return any(n in evaluate.normalise(t) or evaluate.normalise(t) in n for t, _ in taken)


def choose(model, cands: list[Candidate], possible: float) -> list[tuple[str, float]]:
    """Best first; a name inside or around one taken is skipped."""
    scored = sorted(
        ((c.engine is not None, score(model, c.features), c.name) for c in cands), reverse=True
    )
    scored = sorted(((s, n) for e, s, n in scored if e), reverse=True) + sorted(
        ((s, n) for e, s, n in scored if not e), reverse=True
    )
    taken: list[tuple[str, float]] = []
    for s, name in scored:
        if s >= possible and not overlaps(name, taken):
            taken.append((name, s))
    return taken


def corrected(model, cands: list[Candidate], drop: float, add: float) -> list[tuple[str, float]]:
    """The engine's CONFIDENT proposals, less those the model scores under ``drop``, and the
    other candidates it scores at ``add`` or more (best first, none inside or around a name
    taken)."""
    taken: list[tuple[str, float]] = []
    for c in cands:
        if c.engine is not None and c.engine >= CONFIDENT:
            s = score(model, c.features)
            if s >= drop:
                taken.append((c.name, s))
    rest = sorted(
        (score(model, c.features), c.name)
        for c in cands
        if c.engine is None or c.engine < CONFIDENT
    )
    for s, name in reversed(rest):
        if s < add:
            break
        if not overlaps(name, taken):
            taken.append((name, s))
    return taken


def measure(model, items, setting) -> evaluate.Score:
    total = evaluate.Score()
    for cands, labels in items:
        if MODE == "hybrid":
            names = [n for n, s in corrected(model, cands, *setting)]
        else:
            names = [n for n, s in choose(model, cands, setting)]
        total.add(evaluate.score_projects(names, labels))
    return total


def rules(items) -> evaluate.Score:
    total = evaluate.Score()
    for cands, labels in items:
        names = [c.name for c in cands if c.engine is not None and c.engine >= CONFIDENT]
        total.add(evaluate.score_projects(names, labels))
    return total


def f1(s: evaluate.Score) -> float:
    p, r = s.precision or 0, s.recall or 0
    return 2 * p * r / (p + r) if p + r else 0


THRESHOLDS = [x / 100 for x in range(30, 100, 3)]
# Chosen by the leave-one-split-out CV among five settings (README, ninth round).
SETTINGS = {"epochs": 8, "l2": 1e-2, "rate": 0.05}
MODE = "hybrid" if "--hybrid" in sys.argv else "ranker"
if MODE == "hybrid":
    THRESHOLDS = [
        (d, a) for d in (0.0, 0.05, 0.1, 0.2, 0.3) for a in (0.8, 0.9, 0.95, 0.98, 0.99, 1.01)
    ]
if len(sys.argv) > 1 and sys.argv[1].startswith("{"):
    SETTINGS.update(json.loads(sys.argv[1]))


def _variant(items):
    """--no-engine: the rules' features left out (the engine's confidence and cues);
    --wide-only: the engine's proposals left out as candidates too."""
    if "--wide-only" in sys.argv:
        items = [([c for c in cands if c.engine is None], labels) for cands, labels in items]
    else:  # a name the engine proposes is its candidate, with the engine's features
        items = [
            ([c for c in cands if not c.features.get("also_engine")], labels)
            for cands, labels in items
        ]
    if "--no-engine" in sys.argv or "--wide-only" in sys.argv:
        keep = ("engine", "cue=", "also_engine")
        items = [
            (
                [
                    Candidate(
                        c.name,
                        {k: v for k, v in c.features.items() if not k.startswith(keep)},
                        c.label,
                        c.engine,
                    )
                    for c in cands
                ],
                labels,
            )
            for cands, labels in items
        ]
    return items


def fit(items):
    """Train on ``items``; the threshold chosen by an inner pass over them."""
    # Inner choice: split the training texts in two halves by position, train on each, score
    # the other, pick the threshold with the best F1 over both halves.
    halves = [items[0::2], items[1::2]]
    inner = {t: evaluate.Score() for t in THRESHOLDS}
    for k in (0, 1):
        model = train([c for cands, _ in halves[1 - k] for c in cands], **SETTINGS)
        for t in THRESHOLDS:
            inner[t].add(measure(model, halves[k], t))
    threshold = max(THRESHOLDS, key=lambda t: (f1(inner[t]), t))
    model = train([c for cands, _ in items for c in cands], **SETTINGS)
    return model, threshold


def pct(s: evaluate.Score) -> str:
    return f"{evaluate._ratio(s, 'precision')} / {evaluate._ratio(s, 'recall')}"


def splits(names: list[str]) -> dict[str, list[tuple[list[Candidate], list]]]:
    """The candidates of these splits, those not yet in ``LEARNED_CACHE`` (if set) made and
    added to it."""
    cache = Path(os.environ["LEARNED_CACHE"]) if os.environ.get("LEARNED_CACHE") else None
    data = pickle.loads(cache.read_bytes()) if cache and cache.exists() else {}
    missing = [name for name in names if name not in data]
    data.update({name: load(HERE / name) for name in missing})
    if cache and missing:
        cache.write_bytes(pickle.dumps(data))
    return {name: data[name] for name in names}


def cross_validate() -> None:
    data = splits([split.name for split in STUDIED])
    raw, data = data, {name: _variant(items) for name, items in data.items()}
    print("| held-out split | rules P / R | learned P / R | threshold |")
    print("| --- | --- | --- | --- |")
    sums = {"rules": [0.0, 0.0, 0.0], "learned": [0.0, 0.0, 0.0]}
    micro = {"rules": evaluate.Score(), "learned": evaluate.Score()}
    for split in data:
        train_items = [it for name, its in data.items() if name != split for it in its]
        model, threshold = fit(train_items)
        learned = measure(model, data[split], threshold)
        base = rules(raw[split])
        for key, s in (("rules", base), ("learned", learned)):
            sums[key][0] += s.precision or 0
            sums[key][1] += s.recall or 0
            sums[key][2] += f1(s)
            micro[key].add(s)
        print(f"| {split}/ | {pct(base)} | {pct(learned)} | {threshold} |")
    n = len(data)
    for key in sums:
        p, r, f = (x / n for x in sums[key])
        print(f"mean over folds, {key}: P {p:.3f} R {r:.3f} F1 {f:.3f}; micro {pct(micro[key])}")


def honest() -> None:
    """Train on the eleven studied splits with the frozen settings; print the micro totals of
    the two honest splits only (nothing per text, no name)."""
    data = {split.name: _variant(load(split)) for split in STUDIED}
    items = [it for its in data.values() for it in its]
    model, threshold = fit(items)
    global MODE
    MODE = "hybrid"
    hybrid = (0.3, 1.01)  # what the CV chose on every fold (README)
    for split in evaluate.NEVER_SHOWN:
        test = load(split)
        MODE = "ranker"
        learned = measure(model, test, threshold)
        MODE = "hybrid"
        corrected_ = measure(model, test, hybrid)
        print(
            f"{split.name}/: rules {pct(rules(test))}; ranker (threshold {threshold}) "
            f"{pct(learned)}; rules corrected {hybrid} {pct(corrected_)}"
        )


def speed() -> None:
    """Repair, candidates (the engine's extraction included) and scoring on the source report
    repeated to 5 MB, as evaluate.py times the engine."""
    import time

    items = splits(["texts"])["texts"]
    model = train([c for cands, _ in items for c in cands], **SETTINGS)
    seed = evaluate.SEED.read_bytes()
    raw = seed * (5 * 1024 * 1024 // len(seed) + 1)
    extract("预热：加载 jieba 词典。")
    clock = time.process_time
    t0 = clock()
    text = repair(raw).text
    extract(text)  # once, so that both timings below find the engine's own caches warm
    _tokens.cache_clear()
    t1 = clock()
    extract(text)
    engine = clock() - t1
    _tokens.cache_clear()  # the candidates' own extraction starts as cold as the engine's
    t1 = clock()
    cands = candidates(text)
    t2 = clock()
    chosen = choose(model, cands, 0.75)
    t3 = clock()
    print(
        f"{len(raw) / 2**20:.1f} MB, CPU seconds: repair {t1 - t0:.1f}, the engine's extraction "
        f"{engine:.1f}; candidates (that extraction and the wide generator) {t2 - t1:.1f} "
        f"({len(cands)}), scoring and choice {t3 - t2:.1f} ({len(chosen)} taken)"
    )
    texts = [repair(p.read_bytes()).text for split in STUDIED for p in sorted(split.glob("*.txt"))]
    rates = []
    for step in (extract, candidates):
        _tokens.cache_clear()
        started = clock()
        for one in texts:
            step(one)
        rates.append(sum(map(len, texts)) / (clock() - started) / 1000)
    print(
        f"studied texts without repeats: the engine {rates[0]:.0f}k characters per CPU second, "
        f"candidates {rates[1]:.0f}k"
    )


def temporal(split: str) -> None:
    """Train on the studied splits before ``split`` (in evaluate.SPLITS' order), measure on it.
    Run in a copy of the engine of the commit that first ran ``split`` (README, ninth round),
    this asks what the ranker would have done on that batch's first run."""
    names = [s.name for s in STUDIED]
    data = splits(names[: names.index(split) + 1])
    raw, data = data, {name: _variant(items) for name, items in data.items()}
    model, threshold = fit([it for name, its in data.items() if name != split for it in its])
    print(
        f"| {split}/ | {pct(rules(raw[split]))} | {pct(measure(model, data[split], threshold))} "
        f"| {threshold} |"
    )


if __name__ == "__main__":
    if "--honest" in sys.argv:
        honest()
    elif "--temporal" in sys.argv:
        temporal(sys.argv[sys.argv.index("--temporal") + 1])
    elif "--speed" in sys.argv:
        speed()
    else:
        cross_validate()
