"""Loading the bundled atlas: counts, dtypes, integrity, citations."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import dnviz
from dnviz._paths import data_dir
from dnviz._tables import dictionary, table_names

FIRST_COURSE = [
    "upper_trapezius",
    "middle_trapezius",
    "lower_trapezius",
    "levator_scapulae",
    "sternocleidomastoid",
    "scalenes",
    "splenius_capitis",
    "suboccipitals",
    "masseter",
    "temporalis",
    "infraspinatus",
    "supraspinatus",
    "teres_minor",
    "teres_major",
    "subscapularis",
    "rhomboids",
    "serratus_anterior",
    "pectoralis_major",
    "pectoralis_minor",
    "latissimus_dorsi",
    "deltoid",
    "extensor_carpi_radialis_longus",
    "extensor_digitorum",
    "flexor_carpi_radialis",
    "iliocostalis_lumborum",
    "multifidi",
    "quadratus_lumborum",
    "gluteus_maximus",
    "gluteus_medius",
    "gluteus_minimus",
    "piriformis",
    "tensor_fasciae_latae",
    "rectus_femoris",
    "vastus_medialis",
    "vastus_lateralis",
    "vastus_intermedius",
    "biceps_femoris",
    "medial_hamstrings",
    "gastrocnemius",
    "soleus",
    "tibialis_anterior",
    "peroneus_longus",
]


def test_counts(atlas):
    assert len(atlas.muscles) >= 60
    assert len(atlas.trigger_points) >= len(atlas.muscles)
    assert len(atlas.regions) >= 60
    assert set(atlas.muscles["body_area"]) == {"head_neck", "shoulder_upper_limb", "trunk", "hip_lower_limb"}


@pytest.mark.parametrize("muscle_id", FIRST_COURSE)
def test_first_course_muscles_present(atlas, muscle_id):
    assert muscle_id in atlas.muscles.index


def test_dtypes_are_meaningful(atlas):
    kind = atlas.referrals["kind"].dtype
    assert isinstance(kind, pd.CategoricalDtype) and kind.ordered
    assert list(kind.categories) == ["spillover", "essential"]
    risk = atlas.muscles["pneumothorax_risk"].dtype
    assert risk.ordered and list(risk.categories) == ["none", "caution", "high"]
    assert atlas.trigger_points["view"].dtype.ordered
    assert atlas.trigger_points["dx_cm"].dtype == "float64"
    assert str(atlas.sources["year"].dtype) == "Int64"
    assert all(isinstance(s, tuple) for s in atlas.muscles["synonyms"])


def test_every_muscle_has_a_trigger_point_and_every_point_an_essential_zone(atlas):
    assert set(atlas.trigger_points["muscle_id"]) == set(atlas.muscles.index)
    essential = atlas.referrals[atlas.referrals["kind"] == "essential"]
    assert set(essential["tp_id"]) == set(atlas.trigger_points.index)


def test_every_clinical_row_is_sourced_and_every_source_resolves(atlas):
    known = set(atlas.sources.index)
    for name in ("muscles", "trigger_points", "referrals"):
        for ids in atlas.tables[name]["source_ids"]:
            assert ids and set(ids) <= known
    used = set()
    for spec in dictionary().query("references == 'sources.source_id'").itertuples():
        frame = atlas.tables[spec.table].reset_index()
        for ids in frame[spec.column].dropna():
            used.update((ids,) if isinstance(ids, str) else ids)
    assert used == known


def test_flagged_muscles_cite_their_risk(atlas):
    flagged = atlas.muscles[atlas.muscles["pneumothorax_risk"] > "none"]
    assert len(flagged) >= 8
    assert all(len(ids) > 0 for ids in flagged["pneumothorax_source_ids"])
    assert atlas.muscles.at["upper_trapezius", "pneumothorax_risk"] == "high"


def test_referrals_only_name_leaf_regions(atlas):
    leaves = set(atlas.regions.index[atlas.regions["view"] != "both"])
    assert set(atlas.referrals["region_id"]) <= leaves


def test_citations_are_complete(atlas):
    for source_id, row in atlas.sources.iterrows():
        assert row["title"] and row["authors"] and row["container"], source_id
        text = atlas.cite(source_id)[0]
        assert row["title"] in text


def test_dictionary_documents_every_column_of_every_table(atlas):
    d = dictionary()
    for name in table_names():
        documented = list(d.query("table == @name")["column"])
        frame = atlas.tables[name].reset_index()
        assert sorted(documented) == sorted(c for c in frame.columns if c != "index"), name
        assert d.query("table == @name")["description"].notna().all()


def test_manifest_describes_every_table():
    manifest = json.loads((data_dir() / "manifest.json").read_text())
    for name in table_names():
        entry = manifest["tables"][name]
        assert entry["description"] and entry["provenance"] and entry["license"]
        assert (data_dir() / entry["file"]).is_file()


def test_attribute_access_and_repr(atlas):
    assert atlas.muscles is atlas.tables["muscles"]
    assert "muscles" in repr(atlas)
    with pytest.raises(AttributeError, match="tables"):
        atlas.no_such_table  # noqa: B018


def test_script_in_a_field_stays_text(edit_table, data_copy):
    def inject(header, rows):
        rows[0][header.index("name")] = "<script>alert(1)</script>"
        return header, rows

    edit_table("muscles", inject)
    loaded = dnviz.load_atlas(data_copy)
    assert "<script>alert(1)</script>" in set(loaded.muscles["name"])


def test_data_dictionary_page_is_up_to_date():
    import subprocess
    import sys

    script = data_dir().parent / "scripts" / "build_data_docs.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


SIGNED_WITHOUT_BOUNDS = {
    ("facts", "value"),  # a fact's number may be any finite value; percentages are checked by unit
    ("effects", "estimate"),  # effect sizes are signed; checked against their interval instead
    ("effects", "ci_low"),
    ("effects", "ci_high"),
}


def test_every_number_column_has_a_range():
    d = dictionary()
    numeric = d[d["dtype"].isin(["float", "int"])]
    for spec in numeric.itertuples():
        if (spec.table, spec.column) in SIGNED_WITHOUT_BOUNDS:
            continue
        assert isinstance(spec.min, str) or isinstance(spec.max, str), f"{spec.table}.{spec.column} has no range"
    for spec in d[d["dtype"] == "id"].itertuples():
        assert isinstance(spec.pattern, str) and spec.pattern.startswith("^"), f"{spec.table}.{spec.column}"


def test_bundled_data_folder_holds_only_what_is_read():
    """Every file of the bundled data folder is a table, or a file the loader reads and checks."""
    from dnviz._folders import DICTIONARY, LANDMARKS_SPEC, MANIFEST

    names = {f"{t}.csv" for t in table_names()} | {DICTIONARY, MANIFEST, LANDMARKS_SPEC, "geometry"}
    present = {p.name for p in data_dir().iterdir() if not p.name.startswith((".", "_"))}
    assert present == names
    # geometry/source/ (a checkout only) holds the mesh scripts/derive_geometry.py derives body.json from
    assert {p.name for p in (data_dir() / "geometry").iterdir()} <= {"body.json", "source"}


def test_dictionary_ranges_and_patterns_are_well_formed():
    import re

    from dnviz._validation import rules

    for spec in dictionary().itertuples():
        low, high, pattern = rules(spec)  # raises on a bound that is not a number
        if low is not None and high is not None:
            assert low < high, f"{spec.table}.{spec.column}"
        if (low is not None or high is not None) and spec.dtype not in ("float", "int"):
            raise AssertionError(f"{spec.table}.{spec.column}: a range on a {spec.dtype} column")
        if pattern:
            re.compile(pattern)
