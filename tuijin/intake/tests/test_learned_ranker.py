"""The experiment script of I18's ninth round (eval/intake/learned.py): its candidates and its
model work on made-up text, so that the figures in eval/intake/README.md can be reproduced."""

import pytest

from tuijin.intake.tests.scripts import load_script


@pytest.fixture(scope="module")
def learned():
    return load_script("learned.py", "intake_learned")


def test_candidates_hold_the_engines_proposals_and_wider_spans(learned):
    text = "青禾新材料产业园项目开工建设。县委书记王强察看了华锐光电生产基地。"
    cands = learned.candidates(text, ["青禾新材料产业园项目", "华锐光电生产基地"])
    engine = [c for c in cands if c.engine is not None]
    assert any(c.name == "青禾新材料产业园项目" and c.label for c in engine)
    assert all(c.features["engine"] == 1 and c.reason for c in engine)
    wide = [c for c in cands if c.engine is None]
    assert any(c.name.endswith("华锐光电生产基地") and c.label for c in wide)
    assert all(c.features["wide"] == 1 for c in wide)


def test_the_model_learns_a_separable_cue_and_choice_skips_a_name_inside_another(learned):
    def example(name, cue, label):
        return learned.Candidate(name, {f"cue={cue}": 1.0}, label, 0.9)

    examples = [example("甲", "good", True), example("乙", "bad", False)] * 50
    model = learned.train(examples, **learned.SETTINGS)
    assert (
        learned.score(model, {"cue=good": 1.0}) > 0.8 > 0.2 > learned.score(model, {"cue=bad": 1.0})
    )
    chosen = learned.choose(
        model, [example("华锐光电项目", "good", True), example("华锐光电", "good", True)], 0.5
    )
    assert len(chosen) == 1
