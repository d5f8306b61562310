"""The scene for the browser: every view's body and every muscle's pattern at once, as compact JSON.

The explorers' map (:mod:`dnviz.widgets.map`) draws in the browser. To repaint at once when a
muscle, a side or a trigger point is chosen, it holds the scene's pieces for all of them, sent once
per page: each view's silhouette, skeleton and regions, and each muscle's outlines, zones, trigger
points and windows. These are the shapes :func:`dnviz.scene.build_scene` makes, computed by the same
functions (``body_shapes``, ``outline_shapes``, ``pattern_shapes``, ``frame_request``), in panel
coordinates (every panel at ``dx = dy = 0``): the browser moves each view to its window's panel.

A zone is sent as a reference to its region's polygon (``view``, ``region``, ``side``), since zones
are regions filled; the text of its hover comes from its referral row. Paths are SVG path data in
plot coordinates (cm, y up), rounded to 1 mm.
"""

from __future__ import annotations

import weakref

from dnviz import geometry as geo
from dnviz.citations import sources_label
from dnviz.scene.base import body_shapes
from dnviz.scene.pattern import (
    GRADE_WORDS,
    WEAK_GRADES,
    landmark_name,
    outline_shapes,
    pattern_shapes,
    tp_number,
    where_in_words,
)
from dnviz.scene.shapes import SHORT_VIEW_TITLES, view_sides, view_title
from dnviz.scene.windows import NAMED
from dnviz.vocabulary import BODY_AREA_NAMES, SIDES, VIEWS

FORMAT = 1
SIDE_CHOICES = ("right", "left", "both")
PAGE_VIEWS = VIEWS  # every view the geometry offers: front, back and both sides


_MEMO: dict[int, tuple] = {}


def per_atlas(atlas) -> dict:
    """A store of what the browser map derives from one atlas, kept while the atlas lives.

    Outside the atlas (which is frozen: its own derived data are its cached properties), and the
    atlas knows nothing of scenes or widgets; the entry goes when the atlas is collected.
    """
    key = id(atlas)
    entry = _MEMO.get(key)
    if entry is not None and entry[0]() is atlas:
        return entry[1]
    store: dict = {}
    _MEMO[key] = (weakref.ref(atlas, lambda _ref, k=key: _MEMO.pop(k, None)), store)
    return store


def _num(v: float) -> str:
    text = f"{v:.1f}"
    return text[:-2] if text.endswith(".0") else text


def path_d(xs: list, ys: list, close: bool) -> str:
    """None-separated plot coordinates as SVG path data (``Z`` closes each part of an area)."""
    out: list[str] = []
    start = True
    for x, y in zip(xs, ys):
        if x is None or y is None:
            if close and not start:
                out.append("Z")
            start = True
            continue
        out.append(("M" if start else "L") + f"{_num(x)} {_num(y)}")
        start = False
    if close and not start:
        out.append("Z")
    return "".join(out)


def _zero(views) -> dict[str, dict]:
    return {v: {"dx": 0.0, "dy": 0.0} for v in views}


def _round(values) -> list:
    return [round(float(v), 1) for v in values]


def _window(req: dict) -> dict:
    """The part of a framed request the browser needs: views, panels and frame (rounded)."""
    panels = {
        v: {"dx": round(p["dx"], 1), "dy": round(p.get("dy", 0.0), 1), "box": _round(p["box"])}
        for v, p in req["panels"].items()
    }
    return {"window": req["window"], "views": list(req["views"]), "panels": panels, "frame": _round(req["frame"])}


def _views_part(atlas) -> dict:
    views = [v for v in PAGE_VIEWS if v in geo.load_body().views]
    out: dict[str, dict] = {}
    for s in body_shapes(atlas, _zero(views), clickable=True):
        view = out.setdefault(s["view"], {"sides": list(view_sides(s["view"])), "regions": []})
        if s["role"] == "body":
            view["body"] = path_d(s["x"], s["y"], True)
        elif s["role"] == "skeleton":
            view["skeleton"] = path_d(s["x"], s["y"], False)
        elif s["role"] == "region":
            meta = s["meta"]
            view["regions"].append([meta["region_id"], meta["side"], s["name"], path_d(s["x"], s["y"], True)])
    for v in out:
        out[v]["title"] = view_title(v)
        out[v]["short"] = SHORT_VIEW_TITLES.get(v, out[v]["title"])
        out[v]["left_sign"] = 1 if geo.to_plot_x(v, 1.0) > 0 else -1  # plot x direction of the patient's left
        xs = [
            float(n) for d in [out[v]["body"]] for n in d.replace("M", " ").replace("L", " ").replace("Z", " ").split()
        ]
        px, py = xs[0::2], xs[1::2]
        out[v]["bounds"] = _round([min(px), min(py), max(px), max(py)])
    return out


def _muscle_part(atlas, muscle_id: str, views) -> dict:
    from dnviz.scene import frame_request

    zero = _zero(views)
    m = atlas.muscles.loc[muscle_id]
    pattern = atlas.referral_pattern(muscle_id)
    rows = []
    row_of = {}
    for i, r in enumerate(pattern.itertuples()):
        row_of[(r.tp_id, r.region_id)] = i
        grade = str(r.grade)
        rows.append(
            [
                tp_number(atlas, r.tp_id),
                str(r.kind),
                grade,
                str(r.region_name).lower(),
                f"evidence: {GRADE_WORDS.get(grade, grade)} ({sources_label(atlas, r.source_ids)})",
            ]
        )
    tps = {}
    for tp_id, tp in atlas.trigger_points[atlas.trigger_points["muscle_id"] == muscle_id].iterrows():
        tps[str(tp_number(atlas, tp_id))] = [
            str(tp["label"]),
            where_in_words(atlas, tp_id),
            str(tp["location"]),
            f"Source: {sources_label(atlas, tp['source_ids'])}",
            landmark_name(str(tp["landmark_id"])),
        ]
    out: dict = {"name": str(m["name"]), "area": str(m["body_area"]), "rows": rows, "tps": tps}
    for side in SIDES:
        zones, crosses = pattern_shapes(atlas, zero, [muscle_id], [side])
        part: dict = {"zones": [], "tps": [], "outlines": []}
        for z in zones:
            meta = z["meta"]
            part["zones"].append(
                [
                    z["view"],
                    meta["region_id"],
                    meta["side"],
                    z["role"].removeprefix("zone-"),
                    int(meta["grade"] in WEAK_GRADES),
                    row_of[(meta["tp_id"], meta["region_id"])],
                ]
            )
        for c in crosses:
            for x, y, number in zip(c["x"], c["y"], c["text"]):
                part["tps"].append([c["view"], round(x, 1), round(y, 1), int(number), side])
        for o in outline_shapes(atlas, zero, [muscle_id], [side]):
            if o["role"] == "deep-label":
                continue
            lx, ly = o["label_xy"]
            part["outlines"].append(
                [o["view"], path_d(o["x"], o["y"], True), int(o["deep"]), round(lx, 1), round(ly, 1), o["name"]]
            )
        out[side] = part
    out["windows"] = {s: _window(frame_request(atlas, "both", muscle=muscle_id, side=s)) for s in SIDE_CHOICES}
    return out


def names_index(atlas) -> dict[str, str]:
    """Every name and synonym of a muscle -> its id (a name two muscles share is left to Python's search)."""
    seen: dict[str, set] = {}
    for muscle_id, row in atlas.muscles.iterrows():
        for name in (row["name"], *row["synonyms"]):
            seen.setdefault(str(name), set()).add(muscle_id)
    return {n: next(iter(ids)) for n, ids in sorted(seen.items()) if len(ids) == 1}


def groups_index(atlas) -> dict[str, list[str]]:
    """Every name of a muscle group ("quads", "hamstrings") -> its muscles' ids, to offer as a choice."""
    groups = atlas.tables.get("muscle_groups")
    if groups is None:
        return {}
    out: dict[str, list[str]] = {}
    for _, row in groups.iterrows():
        for name in (row["name"], *row["synonyms"]):
            out[str(name)] = [m for m in row["muscle_ids"] if m in atlas.muscles.index]
    return out


def bundle_key(atlas) -> str:
    """A hash of what the bundle is made from: the atlas's tables, the geometry and the scene's code."""
    import hashlib
    from pathlib import Path

    h = hashlib.sha256(f"dnviz-map-bundle-{FORMAT}".encode())
    for name in sorted(atlas.tables):
        table = atlas.tables[name]  # as text: a pickle of the same table differs from load to load
        h.update(name.encode() + table.to_json(orient="split", default_handler=str).encode())
    from dnviz._paths import data_dir

    h.update((data_dir() / "geometry" / "body.json").read_bytes())
    here = Path(__file__).resolve().parent
    for path in sorted(
        [*here.glob("*.py"), here.parent / "geometry.py", here.parent / "outlines.py", here.parent / "safety.py"]
    ):
        if path.exists():
            h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def map_bundle(atlas) -> dict:
    """Everything the browser map draws, for every muscle and side.

    Kept on the atlas, and on disk in the private cache of :mod:`dnviz._cache` (as JSON, keyed by a hash
    of the tables, the geometry and this code), so that a new kernel does not compute it again.
    """
    memo = per_atlas(atlas)
    if "bundle" in memo:
        return memo["bundle"]
    from dnviz import _cache

    try:
        key = bundle_key(atlas)
    except Exception:  # something not picklable in a user's atlas: compute, do not cache
        key = None
    stored = _cache.get_json("map", key) if key else None
    if isinstance(stored, dict) and stored.get("format") == FORMAT:
        memo["bundle"] = stored
        return stored
    bundle = _compute_bundle(atlas)
    if key:
        _cache.put_json("map", key, bundle)
    memo["bundle"] = bundle
    return bundle


def _compute_bundle(atlas) -> dict:
    from dnviz.scene import frame_request

    views_part = _views_part(atlas)
    views = list(views_part)
    windows = {
        "whole": _window(frame_request(atlas, "both", window="whole")),
        "whole_all": _window(frame_request(atlas, views, window="whole")),
    }
    for name in NAMED:
        for side in SIDE_CHOICES:
            windows[f"{name}|{side}"] = _window(frame_request(atlas, "both", side=side, window=name))
    bundle = {
        "format": FORMAT,
        "views": views_part,
        "windows": windows,
        "muscles": {m: _muscle_part(atlas, m, views) for m in atlas.muscles.index},
        "names": names_index(atlas),
        "groups": groups_index(atlas),
        "areas": dict(BODY_AREA_NAMES),
        "order": sorted(atlas.muscles.index, key=lambda m: str(atlas.muscles.at[m, "name"]).lower()),
    }
    return bundle


__all__ = ["FORMAT", "PAGE_VIEWS", "VIEWS", "browser_bundle", "map_bundle", "path_d"]


def safety_part(atlas, label_side: str = "right") -> list:
    """The safety overlays of every page view as ``[view, role, kind, d, name, x, y]`` rows."""
    cached = per_atlas(atlas).setdefault("safety", {})
    if label_side in cached:
        return cached[label_side]
    from dnviz.scene.safety import safety_shapes

    views = [v for v in PAGE_VIEWS if v in geo.load_body().views]
    out = []
    for s in safety_shapes(atlas, _zero(views), label_side):
        if s["geometry"] == "text":
            out.append([s["view"], s["role"], "text", "", s["name"], round(s["x"][0], 1), round(s["y"][0], 1)])
        elif s["geometry"] in ("area", "lines"):
            out.append(
                [s["view"], s["role"], s["geometry"], path_d(s["x"], s["y"], s["geometry"] == "area"), s["name"], 0, 0]
            )
    cached[label_side] = out
    return out


def browser_bundle(atlas) -> dict:
    """What a page's map draws from: :func:`map_bundle` with the safety overlays (:func:`safety_part`)."""
    return {**map_bundle(atlas), "safety": safety_part(atlas)}
