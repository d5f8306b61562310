"""The thin seed topics: contraindications, regulation, technique doses, the practitioner's steps,
fainting, aftercare; and corrections 6 (both sides of the chest) and 7 (credentials) of issue 12."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import dnviz

ROOT = Path(__file__).resolve().parents[1]
SEVERITY = ["lung_risk", "discuss_first", "do_not_needle_there", "do_not_needle"]


def _texts():
    """Every piece of prose a student can read: notebook cells, data tables, README and docs."""
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for i, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            yield f"{path.name} cell {i}", "".join(cell["source"])
    for path in sorted((ROOT / "data").glob("*.csv")):
        yield path.name, path.read_text(encoding="utf-8")
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        if path.exists():
            yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")


# -- correction 6: needling both sides of the chest is what not to do ---------------------------------


def test_screening_categories_are_ordered_by_severity(atlas):
    assert list(atlas.screening["category"].cat.categories) == SEVERITY
    assert atlas.screening["category"].cat.ordered


def test_both_sides_of_the_chest_is_what_not_to_do(atlas):
    row = atlas.screening.loc["both_sides"]
    assert row["category"] == "do_not_needle_there"
    rank = list(atlas.screening["category"].cat.categories).index
    assert rank(row["category"]) > rank("discuss_first") > rank("lung_risk")  # stricter than before
    assert row["if_yes"].startswith("Do not needle both sides of the thorax")
    assert "ahpcsa_bn121_thorax" in row["source_ids"]  # the guidance behind the rule
    assert "ahpcsa_bn121_thorax" in atlas.facts.loc["tech_not_bilateral", "source_ids"]


def test_checklist_puts_both_sides_with_what_not_to_do(atlas):
    checklist = dnviz.screening_checklist(atlas)
    checklist.answer("thin_build")
    assert checklist.verdict == "lung_risk"
    checklist.answer("both_sides")
    assert checklist.verdict == "do_not_needle_there"
    assert "Do not needle there" in checklist.status.value
    checklist.answer("blood_thinners")  # several verdicts apply at once: all are shown
    assert checklist.verdicts == ["do_not_needle_there", "discuss_first", "lung_risk"]
    assert "Also: Discuss with the healthcare provider" in checklist.status.value
    report = checklist.report.value
    assert report.index("both sides") < report.index("blood thinners") < report.index("thin")


def test_every_do_not_answer_says_what_not_to_do(atlas):
    strict = atlas.screening[atlas.screening["category"].isin(["do_not_needle", "do_not_needle_there"])]
    assert len(strict) >= 6
    for item_id, row in strict.iterrows():
        assert re.search(r"\b(not|no|wait)\b", row["if_yes"], re.IGNORECASE), item_id


# -- contraindications as mainstream guidance lists them ----------------------------------------------

CONTRAINDICATIONS = {
    "blood_thinners": "discuss_first",
    "clotting_disorder": "discuss_first",
    "weak_immunity": "discuss_first",
    "vascular_diabetes": "discuss_first",
    "pregnancy": "discuss_first",
    "implant": "discuss_first",
    "fainting_history": "discuss_first",
    "lymphoedema": "do_not_needle_there",
    "local_skin": "do_not_needle_there",
    "infection": "do_not_needle",
    "cannot_consent": "do_not_needle",
    "understanding": "do_not_needle",
    "needle_fear": "do_not_needle",
    "prior_reaction": "do_not_needle",
    "lung_disease": "lung_risk",
}


@pytest.mark.parametrize(("item_id", "category"), CONTRAINDICATIONS.items())
def test_screening_lists_the_guidance_contraindications(atlas, item_id, category):
    row = atlas.screening.loc[item_id]
    assert row["category"] == category
    assert set(row["source_ids"]) <= set(atlas.sources.index)


def test_guidance_contraindications_are_facts_with_guidance_sources(atlas):
    facts = atlas.facts[atlas.facts["topic"] == "contraindications"]
    guidance = set(atlas.sources.index[atlas.sources["kind"] == "guideline"])
    absolute = ["ci_absolute_consent", "ci_absolute_lymphoedema", "ci_absolute_clotting"]
    assert all(set(facts.loc[f, "source_ids"]) & guidance for f in absolute)
    assert "pregnancy" in facts.loc["ci_pregnancy_guidance", "statement"]
    # Where the seed and guidance differ on pregnancy, the checklist says so instead of picking one.
    assert "Guidance differs" in atlas.screening.loc["pregnancy", "if_yes"]


def test_clotting_is_absolute_where_pressure_cannot_stop_bleeding(atlas):
    for item_id in ("clotting_disorder", "blood_thinners"):
        text = atlas.screening.loc[item_id, "if_yes"]
        assert "psoas" in text and "do not needle" in text.lower(), item_id


# -- correction 7: credentials and regulation vary ----------------------------------------------------

BARE_CREDENTIAL_CLAIM = re.compile(
    r"no\s+(specific\s+)?(credentials?|special\s+training)(\s+or\s+special\s+training)?\s+(is|are)\s+(required|needed)",
    re.IGNORECASE,
)


def test_no_bare_no_credential_claim_anywhere():
    offenders = [where for where, text in _texts() if BARE_CREDENTIAL_CLAIM.search(text)]
    assert not offenders, f"'no credential is required' stated as a rule in: {offenders}"


def test_seed_credential_advice_is_framed_as_one_countrys_advice(atlas):
    text = atlas.facts.loc["seed_training", "statement"]
    assert "US consumers" in text
    for word in ("country", "state", "profession"):
        assert word in text


def test_regulation_is_taught_by_jurisdiction_and_profession(atlas):
    facts = atlas.facts[atlas.facts["topic"] == "regulation"]
    text = " ".join(facts["statement"])
    for place in ("United States", "Colorado", "UK", "South Africa", "Canada", "Australia"):
        assert place in text, place
    for profession in ("physical therap", "chiropract", "osteopath", "physiotherap"):
        assert profession in text, profession
    assert facts.loc["reg_us_state_counts", "value"] == 39
    assert "date is not given" in facts.loc["reg_us_state_counts", "statement"]


# -- technique doses, the practitioner's steps, fainting, aftercare -----------------------------------


def test_technique_doses_come_with_numbers_and_sources(atlas):
    facts = atlas.facts
    assert facts.loc["dose_superficial_depth", "value"] == 10
    assert facts.loc["dose_superficial_depth", "unit"] == "mm (5 to 10)"
    assert facts.loc["dose_superficial_time", "value"] == 30
    assert facts.loc["dose_static_retention", "value"] == 40
    assert "unknown" in facts.loc["dose_fast_in_fast_out", "statement"]  # what the sources leave open
    for fact_id in ("dose_superficial_depth", "dose_pistoning_hong", "dose_fast_in_fast_out", "dose_static_retention"):
        assert set(facts.loc[fact_id, "source_ids"]) <= set(atlas.sources.index)


def test_practitioner_steps_are_numbered_one_to_n(atlas):
    steps = atlas.facts[atlas.facts["topic"] == "practitioner"].sort_values("value")
    assert list(steps["value"]) == list(range(1, len(steps) + 1))
    assert set(steps["unit"]) == {"step"}
    order = list(steps.index)
    assert order.index("step_02_position") < order.index("step_04_needles_in") < order.index("step_07_count_out")
    assert "lying down" in steps.loc["step_02_position", "statement"]


def test_fainting_is_a_side_effect_with_an_honest_duration(atlas):
    row = atlas.side_effects.loc["fainting"]
    assert "vasovagal" in row["name"]
    assert "unknown" in row["note"]
    assert atlas.facts.loc["se_vasovagal_rate", "value"] == 1.8
    assert "lying down" in atlas.screening.loc["fainting_history", "if_yes"]


def test_aftercare_and_when_to_stop(atlas):
    assert atlas.facts.loc["seed_sessions_number", "value"] == 6
    assert "stop" in atlas.facts.loc["after_stop", "statement"]
    assert "palpates" in atlas.facts.loc["after_reassess", "statement"]


def test_new_rows_make_no_safety_promise(atlas):
    ours = atlas.facts[atlas.facts["topic"].isin(["regulation", "practitioner"])]["statement"].tolist()
    ours += atlas.screening["if_yes"].tolist() + atlas.side_effects["note"].tolist()
    for text in ours:
        assert not re.search(r"\bsafe(ly)?\b|\bno risk\b|\brisk-free\b", text, re.IGNORECASE), text
