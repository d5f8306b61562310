"""Two renderers, one scene: the plotly figure and the browser map's data draw the same shapes.

The browser map draws from :func:`dnviz.scene.bundle.map_bundle` (the scene's pieces for every muscle,
at panel offset 0); :func:`dnviz.plot_body_map` renders :func:`dnviz.scene.build_scene`. For a sample of
muscles, on each side, both must hold the same zones (view, region, side, kind), the same trigger points
at the same place once moved to the window's panel, the same muscle outlines, and the same window.
The browser's own SVG is compared with the scene in tests/browser/test_offline.py.
"""

from __future__ import annotations

import pytest

import dnviz
from dnviz.scene import build_scene
from dnviz.scene.bundle import map_bundle

ATLAS = dnviz.load_atlas()
SAMPLE = sorted({*list(ATLAS.muscles.index)[::9], "upper_trapezius", "infraspinatus", "scalenes", "soleus", "masseter"})
SIDES = ("right", "left", "both")


def scene_sets(scene):
    zones = {
        (s["view"], s["meta"]["region_id"], s["meta"]["side"], s["role"].removeprefix("zone-"))
        for s in scene["shapes"]
        if s["role"].startswith("zone-")
    }
    tps = {
        (s["view"], round(x, 1), round(y, 1), int(n))
        for s in scene["shapes"]
        if s["role"] == "trigger-points"
        for x, y, n in zip(s["x"], s["y"], s["text"])
    }
    outlines = {
        (s["view"], s["meta"]["side"], bool(s["deep"]))
        for s in scene["shapes"]
        if s["role"].startswith("muscle-outline")
    }
    return zones, tps, outlines


def bundle_sets(bundle, muscle, side, window):
    sides = ("right", "left") if side == "both" else (side,)
    part = bundle["muscles"][muscle]
    zones, tps, outlines = set(), set(), set()
    for s in sides:
        for view, region, zside, kind, _weak, _row in part[s]["zones"]:
            if view in window["panels"]:
                zones.add((view, region, zside, kind))
        for view, x, y, number, _tside in part[s]["tps"]:
            p = window["panels"].get(view)
            if p is None:
                continue
            px, py = round(x + p["dx"], 1), round(y + p["dy"], 1)
            x0, y0, x1, y1 = p["box"]
            if x0 - 0.1 <= px <= x1 + 0.1 and y0 - 0.1 <= py <= y1 + 0.1:  # the scene crops to the window
                tps.add((view, px, py, number))
        for view, _d, deep, *_ in part[s]["outlines"]:
            if view in window["panels"]:
                outlines.add((view, s, bool(deep)))
    return zones, tps, outlines


@pytest.mark.parametrize("muscle", SAMPLE)
def test_browser_data_and_plotly_scene_draw_the_same_pattern(muscle):
    bundle = map_bundle(ATLAS)
    for side in SIDES:
        scene = build_scene(ATLAS, muscle=muscle, side=side)
        window = bundle["muscles"][muscle]["windows"][side]
        assert window["views"] == scene["views"] and window["window"] == scene["window"], side
        for view, panel in scene["panels"].items():
            assert window["panels"][view]["dx"] == pytest.approx(panel["dx"], abs=0.06)
            assert window["panels"][view]["box"] == pytest.approx(panel["box"], abs=0.06)
        zones, tps, outlines = scene_sets(scene)
        b_zones, b_tps, b_outlines = bundle_sets(bundle, muscle, side, window)
        assert b_zones == zones, (side, b_zones ^ zones)
        assert {t[::3] for t in b_tps} == {t[::3] for t in tps}, side  # the same numbered points per view
        for view, x, y, n in tps:  # at the same place (the scene rounds after moving, the bundle before)
            assert any(v == view and m == n and abs(x - bx) <= 0.11 and abs(y - by) <= 0.11 for v, bx, by, m in b_tps)
        assert outlines <= b_outlines, side  # an outline wholly outside the window is cropped by the scene


@pytest.mark.parametrize("muscle", SAMPLE[::3])
def test_plotly_figure_renders_the_scene_zones(muscle):
    for side in ("right", "both"):
        scene = build_scene(ATLAS, muscle=muscle, side=side)
        fig = dnviz.plot_body_map(ATLAS, muscle=muscle, side=side)
        drawn = {
            (t.meta["view"], t.meta["region_id"], t.meta["side"], t.meta["layer"].removeprefix("zone-"))
            for t in fig.data
            if isinstance(t.meta, dict) and str(t.meta.get("layer", "")).startswith("zone-")
        }
        assert drawn == scene_sets(scene)[0]


def test_bundle_regions_are_the_scene_regions():
    bundle = map_bundle(ATLAS)
    scene = build_scene(ATLAS, view=list(bundle["views"]), window="whole", clickable=True)
    regions = {(s["view"], s["meta"]["region_id"], s["meta"]["side"]) for s in scene["shapes"] if s["role"] == "region"}
    sent = {(v, r, s) for v, part in bundle["views"].items() for r, s, _name, _d in part["regions"]}
    assert sent == regions and len(sent) > 250
