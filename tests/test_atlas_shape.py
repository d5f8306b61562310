"""The Atlas: its tables documented, its derived data its own (cached properties), its notebook display."""

from __future__ import annotations

import ast
import re
from functools import cached_property
from pathlib import Path

import pandas as pd
import pytest

import dnviz
from dnviz._paths import data_dir
from dnviz.vocabulary import BODY_AREA_NAMES
from tests.conftest import read_rows, write_rows

PACKAGE = Path(dnviz.__file__).parent
DERIVED = ("name_index", "patterns", "referral_index", "region_leaves", "citations")


def dictionary_tables() -> list[str]:
    d = pd.read_csv(data_dir() / "dictionary.csv", dtype=str, keep_default_na=False)
    return list(dict.fromkeys(d["table"]))


def test_docstring_lists_every_table_of_the_dictionary(atlas):
    documented = re.findall(r"^    (\w+) : pandas\.DataFrame$", dnviz.Atlas.__doc__, flags=re.M)
    assert sorted(documented) == sorted(dictionary_tables())
    assert sorted(atlas.tables) == sorted(dictionary_tables())
    for name in documented:
        assert isinstance(getattr(atlas, name), pd.DataFrame)


def test_derived_data_are_cached_properties_computed_once():
    atlas = dnviz.load_atlas()
    for name in DERIVED:
        assert isinstance(vars(dnviz.Atlas)[name], cached_property), name
        assert name not in vars(atlas), f"{name} is computed on first use, not on load"
    first = {name: getattr(atlas, name) for name in DERIVED}
    atlas.find_muscle("SCM")
    atlas.candidates(["temple"], side="left")
    atlas.referral_pattern("upper trapezius")
    atlas.cite("simons1999upper", short=True)
    for name in DERIVED:
        assert getattr(atlas, name) is first[name], f"{name} was computed twice"
    assert set(vars(atlas)) == {"tables", "folders", *DERIVED}, "nothing else is written into the atlas"


def test_referral_pattern_returns_a_copy_of_the_cached_pattern(atlas):
    pattern = atlas.referral_pattern("upper trapezius")
    pattern.loc[:, "kind"] = "spillover"
    assert (atlas.referral_pattern("upper trapezius")["kind"] == "essential").any()


def test_no_module_writes_caches_into_the_atlas():
    """The atlas is frozen: derived data live in its cached properties, not in attributes others set."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Assign) and any("atlas.__dict__[" in ast.unparse(t) for t in node.targets):
                offenders.append(f"{path.name}:{node.lineno} {ast.unparse(node)}")
            if not isinstance(node, ast.Call):
                continue
            call = ast.unparse(node.func)
            first = ast.unparse(node.args[0]) if node.args else ""
            if call == "object.__setattr__" and "atlas" in first.lower():
                offenders.append(f"{path.name}:{node.lineno} {ast.unparse(node)}")
            if call.endswith("__dict__.setdefault") and "atlas" in call.lower():
                offenders.append(f"{path.name}:{node.lineno} {ast.unparse(node)}")
    assert not offenders, offenders


def test_atlas_is_still_frozen(atlas):
    with pytest.raises(AttributeError):
        atlas.tables = {}


def test_repr_html_shows_tables_folders_areas_and_disclaimer(atlas):
    page = atlas._repr_html_()
    for name, frame in atlas.tables.items():
        assert f"<td><code>{name}</code></td><td style='text-align:right'>{len(frame)}</td>" in page
    assert str(atlas.folders[0]) in page and "(bundled)" in page
    counts = atlas.muscles["body_area"].value_counts()
    for area, n in counts.items():
        assert f"{BODY_AREA_NAMES[area]}: {n} muscles" in page
    assert dnviz.DISCLAIMER in page
    assert page.count("<div") == page.count("</div>") == 1


def test_repr_html_escapes_every_data_string(tmp_path):
    """A course folder is the user's text: its muscle names and its path reach the page escaped."""
    folder = tmp_path / "<img src=x onerror=alert('folder')>"
    folder.mkdir()
    header, rows = read_rows(data_dir() / "muscles.csv")
    row = next(r for r in rows if r[0] == "masseter")
    row[header.index("name")] = "<script>alert('muscle')</script> Masseter"
    write_rows(folder / "muscles.csv", header, [row])
    atlas = dnviz.load_atlas(extra=folder)
    assert atlas.muscles.at["masseter", "name"].startswith("<script>")
    page = atlas._repr_html_()
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&#x27;muscle&#x27;)&lt;/script&gt; Masseter" in page
    assert "&lt;img src=x onerror=alert(&#x27;folder&#x27;)&gt;" in page
