"""Look-up by symptom: complaints in plain words, ranked muscles that their referral rows back."""

from __future__ import annotations

import shutil

import pytest

import dnviz
from dnviz._names import name_keys
from dnviz.symptoms import ROLES, rank_muscles, stale_rows

ATLAS = dnviz.load_atlas()
SYMPTOMS = ATLAS.symptoms

REQUIRED = [
    "headache behind the eye",
    "heel pain",
    "pain at the front of the elbow",
    "jaw pain",
    "low back pain",
    "shoulder pain reaching overhead",
    "tennis elbow",
    "neck pain",
    "chest pain",
    "sciatica",
]


def test_at_least_forty_complaints_each_with_muscles_and_sources():
    assert len(SYMPTOMS) >= 40
    for symptom_id, row in SYMPTOMS.iterrows():
        assert row["primary_muscle_ids"] or row["secondary_muscle_ids"], symptom_id
        assert row["source_ids"], symptom_id
        assert set(row["source_ids"]) <= set(ATLAS.sources.index)


@pytest.mark.parametrize("complaint", REQUIRED)
def test_common_complaints_are_found_and_explained(complaint):
    top = ATLAS.candidates_for(complaint)
    assert len(top) >= 1
    assert list(top["rank"]) == list(range(1, len(top) + 1))
    assert set(top["role"]) <= set(ROLES)
    assert all(top["why"].str.contains("refers to the"))
    roles = list(top["role"])
    assert roles == sorted(roles, key=ROLES.index), "primary before secondary"


def test_primary_muscles_have_an_essential_zone_in_the_regions_and_keep_the_tables_order():
    for symptom_id, row in SYMPTOMS.iterrows():
        top = ATLAS.candidates_for(row["name"])
        assert top.attrs["symptom_id"] == symptom_id
        primary = top[top["role"] == "primary"]
        assert (primary["n_essential"] >= 1).all(), symptom_id
        assert (top[top["role"] == "secondary"]["n_essential"] == 0).all(), symptom_id
        listed = [m for m in row["primary_muscle_ids"] if m in set(primary["muscle_id"])]
        assert list(primary["muscle_id"])[: len(listed)] == listed, symptom_id


def test_the_table_is_up_to_date_with_the_referral_rows():
    """When this fails, the atlas's referral rows moved: run python scripts/refresh_symptoms.py."""
    assert stale_rows(ATLAS) == []


def test_typos_word_order_and_synonyms():
    assert ATLAS.candidates_for("heal pain").attrs["symptom_id"] == "heel_pain"
    assert ATLAS.candidates_for("pain heel").attrs["symptom_id"] == "heel_pain"
    assert ATLAS.candidates_for("Tennis Elbow!").attrs["symptom_id"] == "tennis_elbow"
    assert ATLAS.candidates_for("TMJ pain").attrs["symptom_id"] == "jaw_pain"


def test_heel_pain_names_soleus_and_the_eye_headache_temporalis():
    assert "soleus" in set(ATLAS.candidates_for("heel pain")["muscle_id"])
    assert "temporalis" in set(ATLAS.candidates_for("headache behind the eye")["muscle_id"])


def test_heel_pain_cites_the_case_control_study_of_heel_pain_first():
    top = ATLAS.candidates_for("heel pain")
    assert top.attrs["source_ids"][0] == "ortega2019heel"
    assert ATLAS.sources.at["ortega2019heel", "evidence"] == "study"
    assert "quadratus_plantae" in set(top["muscle_id"])


def test_screening_notes_travel_with_the_answer():
    assert "cardiac" in ATLAS.candidates_for("chest pain").attrs["note"]
    assert ATLAS.candidates_for("heel pain").attrs["note"] == ""


@pytest.mark.parametrize("query", ["xyzzy", "pain in my armpit", "burning feet"])
def test_an_unlisted_complaint_is_an_error_never_an_empty_success(query):
    with pytest.raises(dnviz.SymptomNotFoundError) as info:
        ATLAS.candidates_for(query)
    assert isinstance(info.value, dnviz.NotFoundError) and isinstance(info.value, LookupError)
    assert "atlas.symptoms" in str(info.value)
    assert info.value.query == query


def test_an_unlisted_complaint_sharing_a_word_suggests_it_first():
    with pytest.raises(dnviz.SymptomNotFoundError) as info:
        ATLAS.candidates_for("my heel hurts")
    assert info.value.suggestions[0] == "Heel pain"


def test_a_vague_complaint_offers_the_choice():
    with pytest.raises(dnviz.SymptomNotFoundError) as info:
        ATLAS.candidates_for("headache")
    assert info.value.ambiguous and "Headache behind the eye" in info.value.suggestions


@pytest.mark.parametrize("bad", ["", "   ", "!!!"])
def test_empty_complaints_are_refused(bad):
    with pytest.raises(dnviz.SymptomNotFoundError):
        ATLAS.candidates_for(bad)


def test_long_and_non_text_complaints_are_refused():
    with pytest.raises(ValueError, match="complaint"):
        ATLAS.candidates_for("pain " * 40)
    with pytest.raises(TypeError):
        ATLAS.candidates_for(42)


def test_no_two_complaints_share_a_name():
    seen: dict[str, str] = {}
    for symptom_id, row in SYMPTOMS.iterrows():
        for alias in (row["name"], *row["synonyms"]):
            for key in name_keys(alias):
                assert seen.setdefault(key, symptom_id) == symptom_id, (alias, seen[key], symptom_id)


def test_the_refresh_script_ranks_primary_muscles_by_their_essential_zones():
    for symptom_id, row in SYMPTOMS.iterrows():
        primary, secondary, sources = rank_muscles(ATLAS, row["region_ids"])
        table = ATLAS.candidates_for(row["name"])
        essential = set(table[table["n_essential"] > 0]["muscle_id"])
        assert set(primary) <= essential, symptom_id
        assert not set(secondary) & essential, symptom_id
        assert sources and set(sources) <= set(ATLAS.sources.index), symptom_id


def test_the_refresh_script_writes_a_table_the_loader_accepts(monkeypatch):
    """scripts/refresh_symptoms.py re-ranks after referral rows change (run it when the atlas grows)."""
    import importlib.util

    monkeypatch.setenv("DNVIZ_CACHE", "0")  # restored after the test: the script sets it too

    spec = importlib.util.spec_from_file_location(
        "refresh", dnviz._paths.data_dir().parent / "scripts" / "refresh_symptoms.py"
    )
    refresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(refresh)
    import dnviz._tables as tables

    check = tables.symptom_problems
    try:
        old, new = refresh.refreshed()
    finally:
        tables.symptom_problems = check
    assert new.count("\r\n") == old.count("\r\n")
    assert new.splitlines()[0] == old.splitlines()[0]


# -- the loader checks every row -------------------------------------------------------------------


def copy_with(tmp_path, edit) -> dnviz.AtlasValidationError:
    folder = tmp_path / "data"
    shutil.copytree(dnviz._paths.data_dir(), folder, ignore=shutil.ignore_patterns("source"))
    path = folder / "symptoms.csv"
    text = path.read_bytes().decode()
    path.write_bytes(edit(text).encode())
    with pytest.raises(dnviz.AtlasValidationError) as info:
        dnviz.load_atlas(folder)
    return info.value


def test_a_muscle_listed_twice_or_a_shared_name_is_rejected_with_row_and_value(tmp_path):
    line = next(i for i, text in enumerate(ATLAS_LINES) if text.startswith("heel_pain,"))
    row = ATLAS_LINES[line].split(",")
    first = row[4].split("|")[0]
    row[5] = f"{first}|{row[5]}" if row[5] else first
    row[2] = row[2] + "|jaw pain"
    err = copy_with(tmp_path, lambda text: text.replace(ATLAS_LINES[line], ",".join(row)))
    problems = [p for p in err.problems if p.file.endswith("symptoms.csv")]
    assert {(p.row, p.column, p.value) for p in problems} >= {
        (line + 1, "secondary_muscle_ids", first),
        (line + 1, "synonyms", "jaw pain"),
    }
    assert any("listed twice" in p.message for p in problems)
    assert any("also names complaint 'jaw_pain'" in p.message for p in problems)


def test_an_unknown_muscle_or_region_is_rejected(tmp_path):
    line = next(text for text in ATLAS_LINES if text.startswith("heel_pain,"))
    err = copy_with(tmp_path, lambda text: text.replace(line, line.replace(",heel,", ",heal,")))
    assert any(p.column == "region_ids" and "heal" in str(p.value) for p in err.problems)


def test_a_complaint_without_muscles_is_rejected(tmp_path):
    line = next(text for text in ATLAS_LINES if text.startswith("heel_pain,"))
    cells = line.split(",")
    cells[4] = cells[5] = ""
    err = copy_with(tmp_path, lambda text: text.replace(line, ",".join(cells)))
    assert any("lists no muscle" in p.message for p in err.problems)


ATLAS_LINES = (dnviz._paths.data_dir() / "symptoms.csv").read_bytes().decode().split("\r\n")


# -- the pain finder takes a typed complaint -------------------------------------------------------


def test_the_pain_finder_marks_a_typed_complaint_on_the_chosen_side():
    finder = dnviz.pain_finder(ATLAS)
    finder.side_pick.value = "right"
    finder.complaint.value = "heel pain"
    assert finder.marked == [["heel", "right"]]
    assert set(finder.candidates["side"].astype(str)) == {"right"}
    assert "soleus" in set(finder.candidates["muscle_id"])
    assert "Heel pain" in finder.advice.value and "Soleus" in finder.advice.value


def test_the_pain_finder_shows_a_complaints_screening_note_escaped():
    finder = dnviz.pain_finder(ATLAS)
    finder.complain("chest pain")
    assert "Screen first" in finder.advice.value and "cardiac" in finder.advice.value
    assert "heel_pain" not in finder.advice.value


def test_an_unlisted_complaint_in_the_pain_finder_offers_the_closest_and_marks_nothing():
    finder = dnviz.pain_finder(ATLAS)
    assert finder.complain("my heel hurts <b>") is None
    assert finder.marked == []
    assert "Heel pain" in finder.status.value and "<b>" not in finder.status.value
    assert finder.complaint.options[0] == "Heel pain"


def test_the_muscle_card_shows_the_grade_of_every_zone():
    from dnviz.widgets._base import muscle_card

    card = muscle_card(ATLAS, "upper_trapezius")
    pattern = ATLAS.referral_pattern("upper_trapezius")
    assert "evidence behind each" in card
    for grade in set(pattern["grade"].astype(str)):
        assert f"<i>{grade}</i>" in card
