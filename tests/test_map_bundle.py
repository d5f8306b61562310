"""The browser map's bundle: what it holds, its size, its disk cache, and the kernel-free page's escaping."""

from __future__ import annotations

import json
import os

import pytest

import dnviz
from dnviz import _cache
from dnviz.scene.bundle import FORMAT, bundle_key, map_bundle, safety_part
from dnviz.widgets.map import BodyMap, map_data

ATLAS = dnviz.load_atlas()


def test_bundle_holds_every_muscle_view_and_window_and_stays_small():
    bundle = map_bundle(ATLAS)
    assert set(bundle["muscles"]) == set(ATLAS.muscles.index) and bundle["format"] == FORMAT
    assert set(bundle["views"]) == {"anterior", "posterior", "lateral_right", "lateral_left"}
    for muscle_id, part in bundle["muscles"].items():
        assert set(part["windows"]) == {"right", "left", "both"}, muscle_id
        assert part["right"]["tps"] and part["left"]["tps"], muscle_id  # every muscle's points are drawn
        assert all(side == "left" for *_, side in part["left"]["tps"]), muscle_id
    size = len(json.dumps({**bundle, "safety": safety_part(ATLAS)}, separators=(",", ":")))
    assert size < 900_000, size  # with the map's JavaScript, under 1 MB per page
    assert bundle["names"]["upper trap"] == "upper_trapezius" and "quads" in {k.lower() for k in bundle["groups"]}


def test_one_data_widget_per_atlas_however_many_maps():
    a, b = BodyMap(ATLAS), BodyMap(ATLAS, muscle="SCM")
    assert a.data is b.data is map_data(ATLAS)


def test_bad_values_set_from_python_are_refused_with_the_choices():
    m = BodyMap(ATLAS, muscle="infraspinatus")
    with pytest.raises(dnviz.MuscleNotFoundError):
        m.muscle = "xqzzy"
    assert m.muscle == "infraspinatus"
    with pytest.raises(Exception, match=r"tp must be one of \[1, 2, 3\]"):
        m.tp = 7
    with pytest.raises(Exception, match="window"):
        m.window = "elbow"


def test_bundle_is_cached_on_disk_as_json_and_keyed_by_the_data(data_copy, set_field):
    fresh = dnviz.load_atlas()
    key = bundle_key(fresh)
    assert key == bundle_key(dnviz.load_atlas())  # the same data, the same key, load after load
    map_bundle(fresh)
    path = _cache.cache_dir() / f"map-{key}.json"
    assert path.is_file() and json.loads(path.read_text())["key"] == key
    again = dnviz.load_atlas()
    assert map_bundle(again) == map_bundle(fresh)
    os.chmod(path, 0o666)  # writable by others: never trusted
    assert _cache.get_json("map", key) is None
    set_field("muscles", "masseter", "name", "Masseter muscle")
    changed = dnviz.load_atlas(data_copy)
    assert bundle_key(changed) != key
    assert map_bundle(changed)["muscles"]["masseter"]["name"] == "Masseter muscle"


def test_offline_page_escapes_data_text(tmp_path, data_copy, set_field):
    set_field("muscles", "masseter", "name", "Masseter</script><script>alert(1)</script>")
    atlas = dnviz.load_atlas(data_copy)
    page = dnviz.explore_muscles(atlas, muscle="masseter").save_html(tmp_path / "m.html")
    text = page.read_text()
    assert "<script>alert(1)" not in text and "\\u003c/script\\u003e" in text
    with pytest.raises(FileExistsError):
        dnviz.explore_muscles(atlas).save_html(page)
    with pytest.raises(ValueError, match="html"):
        dnviz.explore_muscles(atlas).save_html(tmp_path / "m.png")


def test_the_modules_can_sit_inside_a_script_element():
    from dnviz.widgets import offline

    for name in ("map.js", "offline.js"):
        assert "</script" not in offline._module(name).lower(), name
