"""needle_check: answers for thin, average and heavy builds; warnings; never 'safe'; bad input."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import dnviz
from dnviz.needle import bmi_group


def test_thin_woman_gb21_30mm_reaches(atlas):
    check = atlas.needle_check("gb21", 30, sex="female", bmi=17.5)
    assert check.reaches and check.level == "reaches"
    assert "REACH" in check.headline
    text = str(check)
    assert "Chen" in text and "ultrasound" in text and "pleura" in text  # study, method, end-point named
    assert any("Underweight" in w for w in check.warnings)
    assert any("thin people sit far below the mean" in w for w in check.warnings)


def test_average_build_close_to_the_mean_is_not_reassuring(atlas):
    check = atlas.needle_check("gb21", 13, sex="female", bmi=22)
    assert check.level == "close" and "CLOSE" in check.headline
    assert any("normal BMI group" in w for w in check.warnings)  # no BMI-specific data: said so


def test_heavy_build_short_needle_still_warns(atlas):
    check = atlas.needle_check("gb21", 8, sex="male", bmi=33)
    assert check.level == "below"
    assert "thin people can be far shallower" in check.headline
    assert any("obese BMI group" in w for w in check.warnings)


@pytest.mark.parametrize("needle", [8, 13, 25, 30, 40, 50, 60])
@pytest.mark.parametrize("site", ["gb21", "ut_mid", "ics2_mcl", "bl43_rib5"])
def test_never_says_safe(atlas, site, needle):
    check = atlas.needle_check(site, needle)
    everything = (check.headline + str(check) + check._repr_html_()).lower()
    assert " safe " not in everything.replace("makes a needle length safe", "")
    assert check.warnings[0].startswith("No published depth makes a needle length safe")
    assert len(check.findings) >= 1 and check.findings["source_id"].notna().all()


def test_cadaver_breach_fractions(atlas):
    assert atlas.needle_check("ut_mid", 30).level == "below"
    fifty = atlas.needle_check("ut_mid", 50)
    assert fifty.reaches and "4/15" in str(fifty)
    assert any("Cadaver" in w for w in fifty.warnings)


def test_rib_depth_is_only_close_with_a_bracketing_note(atlas):
    check = atlas.needle_check("bl43_rib5", 30, sex="male")
    assert check.level == "close" and "bracketed" in str(check)


def test_site_by_muscle_name(atlas):
    assert atlas.needle_check("upper trap", 30).site_id in set(atlas.depths["site_id"])


def test_html_is_escaped(atlas):
    html = atlas.needle_check("gb21", 30)._repr_html_()
    assert "<script" not in html and html.startswith("<div")


@pytest.mark.parametrize("needle", [-5, 0, float("nan"), "thirty", 500])
def test_bad_needle_length(atlas, needle):
    with pytest.raises(ValueError, match="needle_mm must be"):
        atlas.needle_check("gb21", needle)


def test_unknown_site_suggests(atlas):
    with pytest.raises(ValueError, match=r"no published depths for site 'gb12'.*gb21"):
        atlas.needle_check("gb12", 30)


def test_bad_sex_and_bmi(atlas):
    with pytest.raises(ValueError, match="sex must be"):
        atlas.needle_check("gb21", 30, sex="f")
    with pytest.raises(ValueError, match="bmi must be"):
        atlas.needle_check("gb21", 30, bmi=3)
    with pytest.raises(ValueError, match="bmi must be"):
        atlas.needle_check("gb21", 30, bmi="skinny")


@pytest.mark.parametrize(
    ("bmi", "group"),
    [(17.0, "underweight"), (18.5, "normal"), (24.9, "normal"), (25, "overweight"), (30, "obese"), (None, None)],
)
def test_bmi_groups(bmi, group):
    assert bmi_group(bmi) == group


@pytest.mark.parametrize("needle", [True, False, np.bool_(True), "30", 30 + 0j, None, [30]])
def test_needle_length_that_is_not_a_real_number_is_refused(atlas, needle):
    """True is not a 1 mm needle, and "30" is not a number."""
    with pytest.raises(ValueError, match=r"^needle_mm must be a number \(a needle length in mm") as info:
        atlas.needle_check("gb21", needle)
    assert repr(needle) in str(info.value)


@pytest.mark.parametrize("bmi", [True, np.bool_(False), 22 + 0j, float("inf"), [22]])
def test_bmi_that_is_not_a_real_number_is_refused(atlas, bmi):
    with pytest.raises(ValueError, match=r"^bmi must be"):
        atlas.needle_check("gb21", 30, bmi=bmi)


@pytest.mark.parametrize("site", [None, 21, ["gb21"]])
def test_site_that_is_not_text_is_refused(atlas, site):
    with pytest.raises(dnviz.SiteNotFoundError, match="no published depths for site"):
        atlas.needle_check(site, 30)


def test_needle_accepts_numpy_and_fraction_lengths(atlas):
    assert atlas.needle_check("gb21", np.float32(30)).needle_mm == 30.0
    assert atlas.needle_check("gb21", Fraction(61, 2)).needle_mm == 30.5
