"""What the contact sheets showed: the muscle drawn in every auto window, names off the dashed edges,
and the sheet's labels placed for the size each cell is drawn at."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from shapely.geometry import box
from shapely.ops import unary_union

from dnviz.plotting import plot_body_map
from dnviz.scene import build_scene
from dnviz.scene.labels import CHAR_EM, outline_rings, place

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sheet():
    """scripts/contact_sheet.py as a module."""
    spec = importlib.util.spec_from_file_location("contact_sheet", ROOT / "scripts" / "contact_sheet.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def across_edges(shapes, role: str) -> tuple[int, int]:
    """(labels of the role, those whose box crosses a muscle outline's edge on their view)."""
    rings = outline_rings(shapes)
    n = hit = 0
    for s in shapes:
        if s["role"] != role:
            continue
        n += 1
        edges = [edge for _, edge in rings.get(s["view"], [])]
        hit += bool(edges) and unary_union(edges).intersects(box(*s["meta"]["box"]))
    return n, hit


def test_every_auto_window_draws_the_muscle(atlas):
    """Longissimus capitis, diaphragm and peroneus brevis were framed on a lateral view their outline lacks."""
    for muscle in atlas.muscles.index:
        scene = build_scene(atlas, muscle=muscle)
        assert any(s["role"].startswith("muscle-outline") for s in scene["shapes"]), (muscle, scene["views"])
    fig = plot_body_map(atlas, muscle="peroneus brevis")
    assert "lateral_right" in fig.layout.meta["views"]  # the pattern's best view stays
    assert any(t.meta.get("layer") == "muscle-outline" for t in fig.data if t.meta)


def test_deep_names_stay_off_the_dashed_edges(atlas):
    """Every "deep" name placed across an outline's edge read as a broken word (37 of 67 did)."""
    total = hit = 0
    for muscle in atlas.muscles.index:
        n, h = across_edges(build_scene(atlas, muscle=muscle, font_cm=1.2, cross_cm=1.2)["shapes"], "deep-label")
        total, hit = total + n, hit + h
    assert total > 40
    assert hit <= 0.1 * total, (hit, total)
    shapes = build_scene(atlas, muscle="longus colli", font_cm=1.2, cross_cm=1.2)["shapes"]
    assert across_edges(shapes, "deep-label") == (1, 0)
    (name,) = [s for s in shapes if s["role"] == "deep-label"]
    (outline,) = [poly for poly, _ in outline_rings(shapes)[name["view"]]]
    assert outline.distance(box(*name["meta"]["box"])) <= 1.2  # still beside its muscle


def test_numbers_prefer_a_spot_off_the_outline_edges(atlas):
    total = hit = 0
    for muscle in atlas.muscles.index:
        n, h = across_edges(build_scene(atlas, muscle=muscle, font_cm=1.2, cross_cm=1.2)["shapes"], "tp-label")
        total, hit = total + n, hit + h
    assert hit <= 0.3 * total, (hit, total)  # 57% before: the first free spot, whatever it crossed


def test_rather_not_picks_another_spot_of_the_same_ring_only():
    first = place([(0.0, 0.0, "1")], 1.0, 1.0)[0]
    other = place([(0.0, 0.0, "1")], 1.0, 1.0, rather_not=lambda b: tuple(b) == tuple(first["box"]))[0]
    assert (other["x"], other["y"]) != (first["x"], first["y"]) and not other["leader"]  # same ring
    stuck = place([(0.0, 0.0, "1")], 1.0, 1.0, rather_not=lambda b: True)[0]
    assert (stuck["x"], stuck["y"]) == (first["x"], first["y"])  # never pushed further out for it


def test_pack_keeps_order_and_fills_rows(sheet):
    assert sheet.pack([1, 1, 1, 1, 1, 1]) == [[0, 1, 2, 3, 4], [5]]
    assert sheet.pack([2, 2, 2, 1, 1]) == [[0, 1, 3], [2, 4]]  # a narrow one fills the hole a wide one leaves
    rows = sheet.pack([2, 1, 2, 2, 1, 1, 2, 1])
    assert sorted(i for row in rows for i in row) == list(range(8))
    assert all(sum([2, 1, 2, 2, 1, 1, 2, 1][i] for i in row) <= sheet.COLS for row in rows)


def test_wide_windows_take_two_columns(atlas, sheet):
    spans = {m: sheet.span_of(sheet.sheet_range(atlas, m)[1]) for m in ("scalenes", "infraspinatus", "masseter")}
    assert spans == {"scalenes": 2, "infraspinatus": 2, "masseter": 1}


@pytest.mark.parametrize("muscle", ["lateral_pterygoid", "middle_trapezius", "infraspinatus"])
def test_cell_labels_are_placed_for_the_size_drawn(atlas, sheet, muscle):
    """A figure built at another size and shrunk into its cell put the numbers on the crosses."""
    req, rng = sheet.sheet_range(atlas, muscle)
    scale = sheet.scale_of(rng, sheet.span_of(rng))
    labels = [t for t in sheet.cell_traces(atlas, req, scale) if t["meta"].get("layer") == "tp-label"]
    assert labels
    font = sheet.THEME.font_size
    for t in labels:
        x0, _, x1, _ = t["meta"]["box"]
        text = t["text"][0].removeprefix("<b>").removesuffix("</b>")
        assert (x1 - x0) * scale == pytest.approx((len(text) * CHAR_EM + 0.3) * font, rel=0.02)
