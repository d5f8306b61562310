"""The cited numbers the safety geometry is built from equal the numbers of the facts table.

``dnviz.safety`` draws the pleura and lung from constants (the apex 0 to 5 cm above the clavicle,
typically 2.5 cm; the pleura at ribs 8, 10 and 12; the lung two ribs higher; ...). Each constant is
held here to the fact (``data/facts.csv``) that cites it, so a corrected fact cannot silently
leave the drawing behind.
"""

from __future__ import annotations

import re

import pytest

from dnviz import safety


@pytest.fixture(scope="module")
def facts(atlas):
    return atlas.facts


def value(facts, fact_id: str, unit: str) -> float:
    row = facts.loc[fact_id]
    assert row["topic"] == "surface_anatomy", fact_id
    assert row["unit"] == unit, f"{fact_id} is in {row['unit']}, not {unit}"
    assert len(row["source_ids"]) > 0, f"{fact_id} cites no source"
    return float(row["value"])


def cm_in_statement(facts, fact_id: str) -> list[float]:
    """The centimetre figures a fact's statement gives ("about 2.5 cm (oganatomy) or 3.5 cm")."""
    return [float(x) for x in re.findall(r"(\d+(?:\.\d+)?)\s*cm\b", facts.at[fact_id, "statement"])]


def test_apex_height_typical_and_range(facts):
    assert value(facts, "apex_height_typical", "cm") == safety.APEX_TYPICAL_CM
    assert (value(facts, "apex_height_min", "cm"), value(facts, "apex_height_max", "cm")) == safety.APEX_RANGE_CM
    low, high = safety.APEX_RANGE_CM
    assert low <= safety.APEX_TYPICAL_CM <= high


@pytest.mark.parametrize(
    ("line", "fact_id"),
    [("mcl", "pleura_rib8_mcl"), ("mal", "pleura_rib10_mal"), ("paravertebral", "pleura_rib12_paravertebral")],
)
def test_pleura_crosses_the_cited_ribs(facts, line, fact_id):
    assert value(facts, fact_id, "rib") == safety.PLEURA_RIBS[line]


@pytest.mark.parametrize(
    ("line", "fact_id"), [("mcl", "lung_rib6_mcl"), ("mal", "lung_rib8_mal"), ("scapular", "lung_rib10_scapular")]
)
def test_lung_crosses_the_cited_ribs(facts, line, fact_id):
    assert value(facts, fact_id, "rib") == safety.LUNG_RIBS[line]


def test_lung_lies_two_ribs_above_the_pleura(facts):
    """The recess between them is the costodiaphragmatic recess: about two rib spaces."""
    spaces = value(facts, "costodiaphragmatic_recess", "rib spaces")
    for line in ("mcl", "mal"):
        assert safety.PLEURA_RIBS[line] - safety.LUNG_RIBS[line] == spaces


def test_pleura_dips_below_rib_12(facts):
    assert value(facts, "pleura_below_rib12", "cm") == safety.PLEURA_BELOW_RIB12_CM


def test_cardiac_notch_lies_within_the_cited_range(facts):
    """Sources place the notch's edge 2.5 cm or 3.5 cm from the sternal margin; the drawing takes a value
    between them (the facts table's value is the lower one)."""
    cited = cm_in_statement(facts, "cardiac_notch")
    assert value(facts, "cardiac_notch", "cm") == min(cited)
    assert min(cited) <= safety.CARDIAC_NOTCH_CM <= max(cited)


def test_posterior_lung_border_beside_t10(facts):
    assert safety.LUNG_MEDIAL_POSTERIOR_CM in cm_in_statement(facts, "lung_rib10_scapular")


def test_posterior_pleura_beside_the_spine(facts):
    assert value(facts, "apex_posterior_level", "cm") == safety.PLEURA_MEDIAL_POSTERIOR_CM


def test_lung_excursion(facts):
    """The recess label's "5 to 8 cm between extremes": the fact's value is the upper figure."""
    assert value(facts, "lung_excursion", "cm") == max(safety.LUNG_EXCURSION_CM)
    assert list(safety.LUNG_EXCURSION_CM) == [
        float(x) for x in re.findall(r"(\d+)-(\d+) cm", facts.at["lung_excursion", "statement"])[0]
    ]


def test_hover_labels_state_the_constants(atlas):
    """The labels a student reads are written from the same constants as the drawing."""
    import dnviz

    names = " ".join(t.name or "" for t in dnviz.plot_body_map(atlas, view="anterior", safety=True).data)
    low, high = safety.APEX_RANGE_CM
    assert f"about {safety.APEX_TYPICAL_CM:g} cm above the clavicle, anywhere from {low:g} to {high:g} cm" in names
    low, high = safety.LUNG_EXCURSION_CM
    assert f"({low:g} to {high:g} cm between extremes)" in names
