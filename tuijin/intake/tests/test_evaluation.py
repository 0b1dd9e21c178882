"""The labelled evaluation set (eval/intake/) as a regression guard: a rule change that loses
projects or people on real texts fails here, not only in the figures of the README."""

import pytest

from tuijin.intake.tests.scripts import EVAL_DIR, load_script


@pytest.fixture(scope="module")
def evaluation():
    return load_script("evaluate.py", "intake_evaluate")


@pytest.mark.parametrize(
    ("folder", "precision", "recall", "people_recall"),
    [
        ("texts", 0.9, 0.9, 0.9),
        ("heldout", 0.85, 0.85, 0.9),  # the held-out texts were not written against at first
        ("heldout2", 0.9, 0.85, 0.9),  # I18: labelled before the first run, then written against
        # I18: labelled before the first run; its misses were studied in the second round, so
        # it no longer measures unseen text (0.80 / 0.92 then, 0.96 / 1.00 after).
        ("unseen", 0.9, 0.9, 0.9),
        # I18, second batch: 0.85 / 0.73 on its first run, 0.86 / 0.75 after the second round;
        # studied in the third round (1.00 / 0.98 after), so no longer unseen.
        ("unseen2", 0.9, 0.9, 0.9),
        # I18, third batch: 0.68 / 0.71 on its first run (people recall 0.84); studied after
        # it (0.95 / 0.83, people 1.00), so no longer unseen.
        ("unseen3", 0.9, 0.8, 0.9),
        # I18, fourth batch: 0.53 / 0.42 on its first run (people recall 0.85); studied after it
        # (0.94 / 0.79, people 0.93), so no longer unseen.
        ("unseen4", 0.9, 0.75, 0.9),
        # I18, fifth batch: 0.76 / 0.81 on its first run (people recall 0.67); studied in the
        # fourth round (1.00 / 0.98, people 1.00 after), so no longer unseen.
        ("unseen5", 0.95, 0.95, 1.0),
        # I18, sixth batch: 0.80 / 0.62 on its first run (people 0.97 / 0.97); studied in the
        # fifth round (1.00 / 0.96, people 1.00 after), so no longer unseen.
        ("unseen6", 0.95, 0.95, 1.0),
        # I18, seventh batch: its first run gave 0.84 / 0.77 (people 0.98 / 0.98), the same
        # with the engine before the fifth round; studied in the sixth round (1.00 / 0.97,
        # people 1.00 / 0.98 after), so no longer unseen.
        ("unseen7", 0.95, 0.95, 0.95),
        # I18, eighth batch: its first run gave 0.89 / 0.89 (people 0.97 / 0.96), the same with
        # the engine before the sixth round; studied in the seventh round (0.96 / 1.00, people
        # 0.97 / 0.97 after), so no longer unseen.
        ("unseen8", 0.95, 0.95, 0.95),
        # I18, ninth batch: its first run gave 0.88 / 0.79 (people 1.00 / 0.77: 15 of one
        # garbled page's 17 people lost), 0.90 / 0.79 after the seventh round; studied in the
        # tenth round (session 16: 0.97 / 0.91 after), so no longer unseen.
        ("unseen9", 0.95, 0.9, 0.75),
        # I18, tenth batch: its first run gave 0.83 / 0.86 (people 1.00 / 0.64); studied in the
        # tenth round (0.95 / 0.94 after), so no longer unseen.
        ("unseen10", 0.95, 0.9, 0.6),
        # I18, eleventh batch: its first run gave 0.66 / 0.87 (people 0.98 / 0.96), the same
        # with the tenth round's rules; studied in the eleventh round (0.89 / 0.87 after).
        ("unseen11", 0.85, 0.85, 0.95),
        # I18, twelfth batch: its first run gave 0.71 / 0.55 with the engine of the session's
        # start, 0.71 / 0.52 with the eleventh round's (people 0.95 / 0.72); studied in the
        # twelfth round (0.94 / 0.73 after).
        ("unseen12", 0.9, 0.7, 0.7),
        # I18, thirteenth batch (session 16): labelled before the first run and never written
        # against; the honest figure. Its first run gave 0.76 / 0.63 with the engine of the
        # session's start and 0.75 / 0.64 after three rounds of rules (people 0.97 / 0.82):
        # the floor is what was reached, not the 0.9 / 0.9 the issue asks (eval/intake/README.md).
        ("unseen13", 0.7, 0.6, 0.8),
    ],
)
def test_projects_and_people_stay_found(evaluation, folder, precision, recall, people_recall):
    projects, people = evaluation.evaluate(EVAL_DIR / folder)
    assert projects.labelled >= 20 and people.labelled >= 10
    assert projects.recall >= recall and projects.precision >= precision
    assert people.recall >= people_recall
