"""The suite's own ordering (conftest.py): tests that share a module's data run after the
module's other tests, and none is lost on the way."""

from types import SimpleNamespace

from conftest import shared_data_last


def items(spec: str) -> list:
    """'a:S1 a:O1 b:O1' -> items of modules a and b; S shares the module's data, O does not."""
    return [
        SimpleNamespace(module=m, name=name) for m, name in (w.split(":") for w in spec.split())
    ]


def names(ordered) -> str:
    return " ".join(f"{item.module}:{item.name}" for item in ordered)


def shares(item) -> bool:
    return item.name.startswith("S")


def test_shared_tests_move_after_the_modules_other_tests():
    ordered = shared_data_last(items("a:S1 a:O1 a:S2 a:O2 b:O1"), shares)
    assert names(ordered) == "a:O1 a:O2 a:S1 a:S2 b:O1"


def test_a_shared_test_after_the_last_other_one_is_kept_in_place():
    # S2 comes after O1, the module's last other test: it used to be held and never released.
    ordered = shared_data_last(items("a:S1 a:O1 a:S2 b:S1"), shares)
    assert names(ordered) == "a:O1 a:S1 a:S2 b:S1"
