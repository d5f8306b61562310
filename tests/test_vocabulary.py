"""One vocabulary: the lists agree with the data dictionary, and one check answers every bad choice."""

from __future__ import annotations

import ast
import decimal
import fractions
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dnviz
from dnviz import vocabulary as vocab
from dnviz._paths import data_dir

PACKAGE = Path(dnviz.__file__).parent


def allowed(table: str, column: str) -> tuple[str, ...]:
    d = pd.read_csv(data_dir() / "dictionary.csv", dtype=str, keep_default_na=False)
    (cell,) = d[(d["table"] == table) & (d["column"] == column)]["allowed"]
    return tuple(cell.split("|"))


def test_lists_agree_with_the_data_dictionary():
    assert vocab.VIEWS == allowed("trigger_points", "view") == allowed("danger_zones", "view")
    assert (*vocab.VIEWS, vocab.BOTH) == allowed("regions", "view") == vocab.VIEW_CHOICES
    assert vocab.KINDS == allowed("referrals", "kind")
    assert vocab.LATERALITIES == allowed("referrals", "laterality")
    assert vocab.PNEUMOTHORAX_RISKS == allowed("muscles", "pneumothorax_risk")
    assert vocab.BODY_AREAS == allowed("muscles", "body_area")
    assert ("all", *vocab.SEXES) == allowed("depths", "sex")
    assert ("all", *vocab.BMI_GROUPS) == allowed("depths", "bmi_group")


def test_views_are_the_views_with_geometry_and_tiers_the_tier_table(atlas):
    body = json.loads((data_dir() / "geometry" / "body.json").read_text("utf-8"))
    assert tuple(body["views"]) == vocab.VIEWS
    assert tuple(atlas.safety_tiers.sort_values("rank").index) == vocab.TIERS


def test_atlas_categoricals_use_the_vocabulary_order(atlas):
    assert tuple(atlas.referrals["kind"].cat.categories) == vocab.KINDS
    assert tuple(atlas.muscles["pneumothorax_risk"].cat.categories) == vocab.PNEUMOTHORAX_RISKS


@pytest.mark.parametrize(
    ("value", "allowed_values", "expected"),
    [
        (
            "front",
            vocab.VIEW_CHOICES,
            "view must be one of 'anterior', 'posterior', 'lateral_right', 'lateral_left', 'both', not 'front'",
        ),
        ("anterio", vocab.VIEWS, "not 'anterio' (did you mean 'anterior'?)"),
        (True, (1, 2), "not True"),  # True == 1, but a bool is never a choice of numbers
        (["left"], {"left": 1, "right": 2}, "one of 'left', 'right', not ['left']"),  # unhashable
        (None, vocab.SIDES, "not None"),
    ],
)
def test_check_choice_names_parameter_allowed_values_and_value(value, allowed_values, expected):
    with pytest.raises(ValueError) as info:
        vocab.check_choice("view", value, allowed_values)
    message = str(info.value)
    assert message.startswith("view must be one of ")
    assert expected in message


def test_check_choice_returns_the_value_and_shortens_long_lists():
    assert vocab.check_choice("side", "left", vocab.SIDES) == "left"
    assert vocab.check_choice("side", None, (*vocab.SIDES, None)) is None
    many = {f"landmark_{i:03d}" for i in range(150)}
    with pytest.raises(ValueError, match=r"'landmark_019' and 130 more, not 'landmark_1000' \(did you mean") as info:
        vocab.check_choice("landmark_id", "landmark_1000", many)
    assert "landmark_020" not in str(info.value).split(" and 130 more")[0]


def test_views_and_sides_expand_both():
    assert vocab.views("both") == vocab.FRONT_AND_BACK == ("anterior", "posterior")
    assert vocab.views("posterior") == ("posterior",) and vocab.views("lateral_left") == ("lateral_left",)
    assert vocab.sides("both") == vocab.SIDES and vocab.sides("left") == ("left",)
    with pytest.raises(ValueError, match="side must be one of 'left', 'right', 'both', not 'Left'"):
        vocab.sides("Left")


@pytest.mark.parametrize("laterality", vocab.LATERALITIES)
def test_laterality_rule_is_its_own_inverse(laterality):
    """The map draws zones with the rule; the reverse look-up reads it backwards with the same function."""
    for tp_side in vocab.SIDES:
        for pain_side in vocab.SIDES:
            forward = pain_side in vocab.referral_sides(laterality, tp_side)
            backward = tp_side in vocab.referral_sides(laterality, pain_side)
            assert forward == backward


def test_laterality_rule():
    assert vocab.referral_sides("ipsilateral", "left") == ("left",)
    assert vocab.referral_sides("contralateral", "left") == ("right",)
    assert vocab.referral_sides("bilateral", "right") == ("left", "right")
    assert vocab.other_side("right") == "left"
    with pytest.raises(ValueError, match="laterality must be one of"):
        vocab.referral_sides("same side", "left")


@pytest.mark.parametrize(
    "value", [True, False, np.bool_(True), "30", 3 + 0j, float("nan"), float("inf"), decimal.Decimal("NaN"), None, [30]]
)
def test_check_number_refuses_what_is_not_a_real_number(value):
    with pytest.raises(ValueError, match=r"^needle_mm must be a number .*, not ") as info:
        vocab.check_number("needle_mm", value, 0, 150, low_open=True)
    assert repr(value) in str(info.value)


@pytest.mark.parametrize(
    "value", [30, 30.0, np.float32(30), np.int64(30), fractions.Fraction(60, 2), decimal.Decimal(30)]
)
def test_check_number_takes_any_real_number(value):
    assert vocab.check_number("needle_mm", value, 0, 150, low_open=True) == 30.0


def test_check_number_bounds():
    assert vocab.check_number("bmi", 10, 10, 80) == 10.0
    with pytest.raises(ValueError, match=r"more than 0 and at most 150, not 0$"):
        vocab.check_number("needle_mm", 0, 0, 150, low_open=True)
    with pytest.raises(ValueError, match=r"at least 10 and at most 80, not 80\.5"):
        vocab.check_number("bmi", 80.5, 10, 80)


def _literal_tuples(path: Path):
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, (ast.Tuple, ast.List)) and all(isinstance(e, ast.Constant) for e in node.elts):
            yield node.lineno, tuple(e.value for e in node.elts)


def test_no_module_keeps_its_own_copy_of_the_vocabulary():
    lists = {
        vocab.VIEWS,
        vocab.SIDES,
        vocab.VIEW_CHOICES,
        vocab.SIDE_CHOICES,
        vocab.LATERALITIES,
        vocab.SEXES,
        vocab.TIERS,
    }
    copies = [
        f"{path.relative_to(PACKAGE)}:{line} {values}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "vocabulary.py"
        for line, values in _literal_tuples(path)
        if values in lists
    ]
    assert not copies, "import these from dnviz.vocabulary instead: " + "; ".join(copies)


def test_no_module_keeps_its_own_choice_check():
    names = [
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.FunctionDef) and node.name == "_check"
    ]
    assert not names, "use dnviz.vocabulary.check_choice: " + ", ".join(names)


@pytest.mark.parametrize("value", [True, np.bool_(True), "3", 2.5, float("nan"), 0, 1001, None])
def test_check_count_refuses_what_is_not_a_whole_number_in_range(value):
    with pytest.raises(ValueError, match=r"^n must be a whole number .*, not ") as info:
        vocab.check_count("n", value, 1, 1000)
    assert repr(value) in str(info.value)


def test_check_count_takes_whole_numbers():
    assert vocab.check_count("n", np.int64(3), 1, 10) == 3
    assert vocab.check_count("n", 3.0, 1, 10) == 3


@pytest.mark.parametrize(("param", "value"), [("n", True), ("n", 2.5), ("choices", True), ("choices", 1)])
def test_quiz_counts_fall_into_no_bool_trap(atlas, param, value):
    """quiz_questions(n=True) would be a one-question quiz, choices=True a quiz that shows only the answer."""
    with pytest.raises(ValueError, match=rf"^{param} must be a whole number"):
        dnviz.quiz_questions(atlas, pool="head_neck", seed=1, **{param: value})


def test_explorer_area_titles_cover_the_body_areas():
    from dnviz.widgets._base import AREAS

    assert tuple(AREAS) == tuple(vocab.BODY_AREA_NAMES) == vocab.BODY_AREAS
