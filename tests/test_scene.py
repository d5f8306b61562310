"""The scene: plain JSON-able shapes with style roles, one-way imports, labels that never overlap."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

import dnviz
from dnviz.plotting import plot_body_map
from dnviz.scene import build_scene
from dnviz.scene.labels import overlaps

PACKAGE = Path(dnviz.__file__).parent


def imports_of(path: Path, module: str) -> set[str]:
    """Every dnviz module a file imports, at the top or inside a function."""
    tree = ast.parse(path.read_text("utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}
    return found


def module_graph() -> dict[str, set[str]]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts).removesuffix(".__init__")
        modules[name] = path
    graph = {}
    for name, path in modules.items():
        # a submodule's own parent package is imported first by Python itself: not an edge of the map's flow
        graph[name] = {m for m in imports_of(path, name) if m in modules and m != name and not name.startswith(m + ".")}
    return graph


def cycle_from(graph, start) -> list[str] | None:
    stack = [(start, [start])]
    while stack:
        node, path = stack.pop()
        for nxt in graph.get(node, ()):
            if nxt == start:
                return [*path, nxt]
            if nxt not in path and len(path) < 12:
                stack.append((nxt, [*path, nxt]))
    return None


PIPELINE = ("dnviz.geometry", "dnviz.safety", "dnviz.scene", "dnviz.plotting", "dnviz.outlines")


def test_the_map_pipeline_has_no_import_cycle():
    graph = module_graph()
    for name in graph:
        if name.startswith(PIPELINE):
            assert cycle_from(graph, name) is None, cycle_from(graph, name)


def test_scene_and_safety_geometry_know_nothing_of_plotly_or_widgets():
    for path in [*(PACKAGE / "scene").rglob("*.py"), PACKAGE / "safety.py", PACKAGE / "geometry.py"]:
        names = imports_of(path, "dnviz.x")
        assert not {n for n in names if n.split(".")[0] in ("plotly", "ipywidgets", "anywidget")}, path
        assert not {n for n in names if n.startswith(("dnviz.plotting", "dnviz.widgets"))}, path


def test_geometry_flows_one_way():
    graph = module_graph()
    assert not {m for m in graph["dnviz.safety"] if m.startswith(("dnviz.scene", "dnviz.plotting"))}
    scene = set().union(*(deps for name, deps in graph.items() if name.startswith("dnviz.scene")))
    assert not {m for m in scene if m.startswith("dnviz.plotting")}


def test_scene_is_plain_json_with_roles(atlas):
    scene = build_scene(atlas, muscle="upper trapezius", safety=True, landmarks=True)
    text = json.dumps(scene)
    assert json.loads(text)["window"] == "auto"
    roles = {s["role"] for s in scene["shapes"]}
    assert {"body", "skeleton", "zone-essential", "trigger-points", "tp-label", "locator-body"} <= roles
    for s in scene["shapes"]:
        assert s["geometry"] in ("area", "lines", "points", "text", "legend")
        assert s["meta"]["layer"] == s["role"] or s["role"] == "legend"


def test_the_renderer_draws_every_shape_of_the_scene(atlas):
    """One trace per scene shape (then the legend entries): a new layer is added to the scene once."""
    for muscle, kwargs in (("infraspinatus", {}), ("SCM", {"safety": True, "landmarks": True}), ("soleus", {})):
        fig = plot_body_map(atlas, muscle=muscle, **kwargs)
        scene = build_scene(atlas, muscle=muscle, **kwargs)
        drawn = [(t.meta["layer"], t.meta.get("view")) for t in fig.data if t.meta and t.meta.get("layer") != "legend"]
        expected = [(s["role"], s["view"]) for s in scene["shapes"] if s["role"] != "legend"]
        assert sorted(drawn, key=str) == sorted(expected, key=str)


def label_boxes(fig):
    out: dict[str, list] = {}
    for t in fig.data:
        if t.meta and t.meta.get("layer") == "tp-label":
            out.setdefault(t.meta["view"], []).append(t.meta["box"])
    return out


@pytest.mark.parametrize("side", ["right", "both"])
def test_trigger_point_numbers_never_overlap(atlas, side):
    for muscle in atlas.muscles.index:
        fig = plot_body_map(atlas, muscle=muscle, side=side)
        crosses = sum(len(t.x) for t in fig.data if t.meta and t.meta.get("layer") == "trigger-points")
        boxes = label_boxes(fig)
        assert sum(len(b) for b in boxes.values()) == crosses, muscle
        for view, bs in boxes.items():
            for i, a in enumerate(bs):
                for b in bs[i + 1 :]:
                    assert not overlaps(a, b), (muscle, view, a, b)


def test_crosses_are_numbered_as_the_data_labels_them_and_say_where(atlas):
    fig = plot_body_map(atlas, muscle="upper trapezius")
    crosses = [t for t in fig.data if t.meta and t.meta.get("layer") == "trigger-points"]
    numbers = sorted(n for t in crosses for n in t.customdata)
    assert numbers == ["1", "2"]
    labels = sorted(t.text[0] for t in fig.data if t.meta and t.meta.get("layer") == "tp-label")
    assert labels == ["<b>1</b>", "<b>2</b>"]
    hover = crosses[0].text[0]
    assert "Upper trapezius trigger point 1" in hover and "lateral to" in hover and "C7" in hover


def test_tp_draws_one_trigger_point_and_its_own_zones(atlas):
    pattern = atlas.referral_pattern("infraspinatus")
    tp_id = pattern["tp_id"].iloc[0]
    fig = plot_body_map(atlas, muscle="infraspinatus", tp=tp_id)
    zones = [t for t in fig.data if t.meta and str(t.meta.get("layer")).startswith("zone-")]
    assert zones and {t.meta["tp_id"] for t in zones} == {tp_id}
    assert sum(len(t.x) for t in fig.data if t.meta and t.meta.get("layer") == "trigger-points") == 1
    assert "trigger point 1" in fig.layout.title.text
    assert plot_body_map(atlas, muscle="infraspinatus", tp=1).layout.title.text == fig.layout.title.text


def test_landmarks_label_what_trigger_points_are_measured_from(atlas):
    fig = plot_body_map(atlas, muscle="upper trapezius", landmarks=True)
    names = [n for t in fig.data if t.meta and t.meta.get("layer") == "landmarks" for n in t.text]
    assert "C7 spinous process" in names
    assert not [
        t for t in plot_body_map(atlas, muscle="upper trapezius").data if t.meta and t.meta.get("layer") == "landmarks"
    ]


def test_safety_overlays_carry_their_names_on_the_figure(atlas):
    fig = plot_body_map(atlas, safety=True, window="whole")
    texts = " ".join(
        x.replace("<br>", " ")
        for t in fig.data
        if t.meta and t.meta.get("layer") in ("safety-label", "danger-label")
        for x in t.text
    )
    assert "Lung: high risk" in texts and "caution" in texts
    for name in atlas.danger_zones["name"]:
        assert name in texts, name


def test_the_muscle_is_drawn_under_its_pattern(atlas):
    outlines = pytest.importorskip("dnviz.outlines")
    fig = plot_body_map(atlas, muscle="upper trapezius")
    layers = [t.meta.get("layer") for t in fig.data if t.meta]
    assert "muscle-outline" in layers
    assert layers.index("muscle-outline") < layers.index("zone-essential")  # under the zones
    deep = [m for m in atlas.muscles.index if any(o.deep for o in outlines.muscle_outlines(atlas, m, "right"))]
    assert deep, "no deep muscle outline in the atlas"
    for muscle in deep[:5]:
        fig = plot_body_map(atlas, muscle=muscle, window="whole")
        dashed = [t for t in fig.data if t.meta and t.meta.get("layer") == "muscle-outline-deep"]
        assert dashed and all(t.line.dash == "dash" and "deep" in t.name for t in dashed), muscle
        names = [t.text[0] for t in fig.data if t.meta and t.meta.get("layer") == "deep-label"]
        assert names and all("deep" in n for n in names), muscle


def test_text_from_data_is_escaped_in_every_label(atlas, set_field, data_copy):
    set_field("trigger_points", "upper_trapezius.tp1", "label", "<img src=x onerror=alert(1)>")
    fig = plot_body_map(dnviz.load_atlas(data_copy), muscle="upper trapezius", landmarks=True)
    text = fig.to_json()
    assert "<img" not in text and "&lt;img" in text


@pytest.mark.parametrize("muscle", ["infraspinatus", "rhomboids", "pectoralis major", "quadratus lumborum"])
def test_names_on_the_figure_do_not_cover_each_other(atlas, muscle):
    """Trigger-point numbers, landmark names and safety names: no two label boxes overlap."""
    fig = plot_body_map(atlas, muscle=muscle, safety=True, landmarks=True)
    layers = ("tp-label", "landmark-label", "safety-label", "danger-label")
    boxes: dict[str, list] = {}
    for t in fig.data:
        if t.meta and t.meta.get("layer") in layers:
            boxes.setdefault(t.meta["view"], []).append((t.meta["layer"], t.meta["box"]))
    for view, bs in boxes.items():
        for i, (la, a) in enumerate(bs):
            for lb, b in bs[i + 1 :]:
                assert not overlaps(a, b), (muscle, view, la, a, lb, b)


# ---- names that teach without hiding the pattern (issue 10, item 5) -------------------------------

NAME_SAMPLE = (
    "rhomboids",
    "infraspinatus",
    "serratus anterior",
    "pectoralis major",
    "intercostals",
    "latissimus dorsi",
    "quadratus lumborum",
    "piriformis",
    "iliopsoas",
    "upper trapezius",
    "lower trapezius",
    "scalenes",
)


def name_cover(scene) -> tuple[list, float, float]:
    """Safety and danger-zone names of a scene: boxes over a cross, and label area over the pattern's zones."""
    from shapely.geometry import box

    from dnviz.scene.labels import pattern_areas

    areas = pattern_areas(scene["shapes"])
    crosses = [
        (s["view"], x, y) for s in scene["shapes"] if s["role"] == "trigger-points" for x, y in zip(s["x"], s["y"])
    ]
    on_cross, total, over = [], 0.0, 0.0
    for s in scene["shapes"]:
        if s["role"] not in ("safety-label", "danger-label"):
            continue
        b = s["meta"]["box"]
        on_cross += [
            (s["name"], x, y) for v, x, y in crosses if v == s["view"] and b[0] <= x <= b[2] and b[1] <= y <= b[3]
        ]
        total += box(*b).area
        if s["view"] in areas:
            over += areas[s["view"]].intersection(box(*b)).area
    return on_cross, total, over


@pytest.mark.parametrize("window", ["auto", "trunk", "whole"])
def test_safety_names_leave_the_pattern_free(atlas, window):
    """No safety or danger-zone name sits on a trigger point, and little of their area lies over the
    selected pattern's zones (the rhomboids' zone in the trunk window was covered before)."""
    total = over = 0.0
    for muscle in NAME_SAMPLE:
        scene = build_scene(atlas, muscle=muscle, safety=True, window=window)
        on_cross, t, o = name_cover(scene)
        assert not on_cross, (muscle, on_cross)
        assert o <= 0.15 * t + 1e-9, (muscle, round(o / t, 3))
        total, over = total + t, over + o
    assert total > 0 and over / total < 0.05, round(over / total, 3)


def test_a_name_that_moves_off_its_zone_points_back_to_it(atlas):
    scene = build_scene(atlas, muscle="rhomboids", safety=True, window="trunk")
    leaders = [s for s in scene["shapes"] if s["role"] == "safety-leader"]
    assert leaders and all(len(s["x"]) == 2 and s["view"] in scene["panels"] for s in leaders)
    fig = plot_body_map(atlas, muscle="rhomboids", safety=True, window="trunk")
    assert any(t.meta and t.meta.get("layer") == "safety-leader" for t in fig.data)
