"""Checks that compare cells of one row, or rows with the geometry: what one column cannot say.

They run after every table has passed its schema, so every number cell is a well-formed finite
number within its column's range; here the numbers are compared with each other (a minimum depth
above the mean, a confidence interval that misses its estimate) and with the body geometry (a
danger zone whose landmarks are not on its view, which would crash the safety map).
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from dnviz._folders import Geometry
from dnviz._validation import Problem, Table, split_list
from dnviz.vocabulary import TIERS

REQUIRED_TIERS = TIERS  # the safety map draws the first two, the legend all three
PERCENT_UNITS = ("%", "percent")
RATIO_MEASURES = ("RR", "OR")


def _number(value: object) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _rows(table: Table, columns: list[str]) -> Iterator[tuple[int, dict]]:
    frame = table.frame
    for i, values in enumerate(zip(*(frame[c].tolist() for c in columns))):
        yield i, dict(zip(columns, values))


def _problem(table: Table, i: int, column: str | None, value, message: str, fix: str) -> Problem:
    file, line = table.where(i)
    return Problem(file, line, column, value, message, fix)


def _depth_problems(t: Table) -> Iterator[Problem]:
    cols = ["end_point", "mean_mm", "min_mm", "max_mm", "breach_fraction"]
    for i, r in _rows(t, cols):
        mean, low, high = (_number(r[c]) for c in ("mean_mm", "min_mm", "max_mm"))
        for a, b, name_a, name_b in (
            (low, mean, "min_mm", "mean_mm"),
            (mean, high, "mean_mm", "max_mm"),
            (low, high, "min_mm", "max_mm"),
        ):
            if a is not None and b is not None and a > b:
                yield _problem(
                    t,
                    i,
                    name_a,
                    r[name_a],
                    f"{name_a} is larger than {name_b} ({r[name_b]})",
                    "check both numbers against the source",
                )
        breach = r["end_point"] == "pleural_space_breach"
        if breach and (r["breach_fraction"] is None or high is None):
            column = "breach_fraction" if r["breach_fraction"] is None else "max_mm"
            yield _problem(
                t,
                i,
                column,
                None,
                "a pleural_space_breach row needs the needle length tested (max_mm) and the breach_fraction",
                "fill in both from the source, or use another end_point",
            )
        if not breach and r["breach_fraction"] is not None:
            yield _problem(
                t,
                i,
                "breach_fraction",
                r["breach_fraction"],
                "only pleural_space_breach rows have a breach fraction",
                "leave it empty, or set end_point to pleural_space_breach",
            )


def _effect_problems(t: Table) -> Iterator[Problem]:
    for i, r in _rows(t, ["measure", "estimate", "ci_low", "ci_high"]):
        est, low, high = (_number(r[c]) for c in ("estimate", "ci_low", "ci_high"))
        if not low <= est <= high:
            yield _problem(
                t,
                i,
                "estimate",
                r["estimate"],
                f"the estimate is outside its confidence interval ({r['ci_low']} to {r['ci_high']})",
                "check the three numbers and their order against the source",
            )
        if r["measure"] in RATIO_MEASURES and min(est, low, high) <= 0:
            yield _problem(
                t,
                i,
                "estimate",
                r["estimate"],
                f"a {r['measure']} and its interval must be above 0",
                "write the ratio itself, not its logarithm",
            )


def _side_effect_problems(t: Table) -> Iterator[Problem]:
    for i, r in _rows(t, ["typical_days", "max_days"]):
        if float(r["typical_days"]) > float(r["max_days"]):
            yield _problem(
                t,
                i,
                "typical_days",
                r["typical_days"],
                f"typical_days is longer than max_days ({r['max_days']})",
                "check both against the source",
            )


def _fact_problems(t: Table) -> Iterator[Problem]:
    for i, r in _rows(t, ["value", "unit"]):
        value = _number(r["value"])
        if value is not None and isinstance(r["unit"], str) and r["unit"].strip().lower() in PERCENT_UNITS:
            if not 0 <= value <= 100:
                yield _problem(
                    t, i, "value", r["value"], "a percentage must be between 0 and 100", "check the number and its unit"
                )


def _tier_problems(t: Table) -> Iterator[Problem]:
    ids = t.frame["tier_id"].tolist()
    for tier in REQUIRED_TIERS:
        if tier not in ids:
            yield Problem(
                t.where(0)[0],
                None,
                "tier_id",
                tier,
                "the safety map needs this tier",
                f"keep a row for each of the tiers {', '.join(REQUIRED_TIERS)}",
            )
    seen: dict[str, int] = {}
    for i, r in _rows(t, ["rank"]):
        if r["rank"] in seen:
            yield _problem(
                t, i, "rank", r["rank"], "two tiers share this rank", "give each tier its own rank (1 = highest risk)"
            )
        seen[r["rank"]] = i


def _danger_zone_problems(t: Table, geometry: Geometry) -> Iterator[Problem]:
    """What would crash or blank the safety map: a circle without a radius or with several
    landmarks, a polygon of fewer than 3 landmarks, a landmark that is not on the zone's view."""
    for i, r in _rows(t, ["view", "shape", "landmark_ids", "radius_cm"]):
        landmarks = split_list(r["landmark_ids"])
        on_view = geometry.landmarks.get(r["view"], {})
        missing = [lm for lm in landmarks if lm not in on_view]
        if missing:
            yield _problem(
                t,
                i,
                "landmark_ids",
                r["landmark_ids"],
                f"not on the {r['view']} view: {', '.join(repr(m) for m in missing)}",
                f"use landmarks of the {r['view']} view (data/geometry/body.json), or change the view",
            )
        if r["shape"] == "circle":
            if r["radius_cm"] is None:
                yield _problem(t, i, "radius_cm", None, "a circle zone needs a radius", "give the radius in cm")
            if len(landmarks) != 1:
                yield _problem(
                    t,
                    i,
                    "landmark_ids",
                    r["landmark_ids"],
                    f"a circle zone is placed on exactly one landmark (found {len(landmarks)})",
                    "name one landmark, or make the zone a polygon",
                )
        elif r["shape"] == "polygon":
            if len(landmarks) < 3:
                yield _problem(
                    t,
                    i,
                    "landmark_ids",
                    r["landmark_ids"],
                    f"a polygon zone needs at least 3 landmarks (found {len(landmarks)})",
                    "list 3 or more landmarks in order around the zone",
                )
            elif not missing:
                from shapely.geometry import Polygon

                if not Polygon([on_view[lm] for lm in landmarks]).is_valid:
                    yield _problem(
                        t,
                        i,
                        "landmark_ids",
                        r["landmark_ids"],
                        "the landmarks, in this order, do not draw a simple polygon (its edges cross, or it has no area)",
                        "list the landmarks in order around the zone",
                    )
            if r["radius_cm"] is not None:
                yield _problem(
                    t,
                    i,
                    "radius_cm",
                    r["radius_cm"],
                    "a polygon zone has no radius",
                    "leave it empty, or make the zone a circle",
                )


def _polygon_problems(t: Table, geometry: Geometry) -> Iterator[Problem]:
    """Every region polygon of the geometry belongs to a leaf region of regions.csv on that view."""
    leaves = {(r["region_id"], r["view"]) for _, r in _rows(t, ["region_id", "view"])}
    leaf_ids = {region_id for region_id, view in leaves if view != "both"}
    for view, ids in geometry.regions.items():
        for region_id in sorted(ids):
            # a view may show a leaf region of another home view (the side of the knee is seen
            # from the front, from behind and from the side); its home view must have it (regions check)
            if (region_id, view) not in leaves and region_id not in leaf_ids:
                yield Problem(
                    geometry.file,
                    None,
                    f"views.{view}.regions",
                    region_id,
                    f"the {view} polygon has no leaf region of that id in regions.csv",
                    "add the region to regions.csv, or remove the polygon (scripts/derive_geometry.py)",
                )


OFF_BODY_CM = 1.0  # how far outside the outline a trigger point may be drawn (the outline is schematic)


def _trigger_point_problems(t: Table) -> Iterator[Problem]:
    """Every trigger point lands on the body as the figures draw it (dnviz.geometry)."""
    from shapely.geometry import Point

    from dnviz import geometry as geo

    body = geo.load_body()
    for i, r in _rows(t, ["view", "landmark_id", "dx_cm", "dy_cm"]):
        lateral = r["view"] in geo.LATERAL_VIEWS
        outline = body.lateral_outline if lateral else body.outline
        try:
            side = geo.view_sides(r["view"])[0] if lateral else "left"
            x, y = geo.offset_point(r["view"], r["landmark_id"], side, float(r["dx_cm"]), float(r["dy_cm"]))
        except (KeyError, ValueError):
            continue  # an unknown landmark is reported by its own check
        away = outline.distance(Point(x, y))
        if away > OFF_BODY_CM:
            yield _problem(
                t,
                i,
                "dx_cm, dy_cm",
                f"{r['dx_cm']}, {r['dy_cm']}",
                f"the trigger point lands {away:.1f} cm outside the body outline (offset from '{r['landmark_id']}')",
                "check the offsets and the landmark: dx_cm is lateral and dy_cm cranial (along the limb on a limb)",
            )


def row_problems(t: dict[str, Table], geometry: Geometry, drawn: bool = True) -> list[Problem]:
    """Checks across the cells of a row, and of rows against the geometry, for every table present.

    ``drawn``: the loaded geometry is the one the figures draw, so trigger points can be placed."""
    out: list[Problem] = []
    checks = {
        "depths": _depth_problems,
        "effects": _effect_problems,
        "side_effects": _side_effect_problems,
        "facts": _fact_problems,
        "safety_tiers": _tier_problems,
    }
    for name, check in checks.items():
        if name in t:
            out += check(t[name])
    if "danger_zones" in t:
        out += _danger_zone_problems(t["danger_zones"], geometry)
    if "regions" in t:
        out += _polygon_problems(t["regions"], geometry)
    if "trigger_points" in t and drawn:
        out += _trigger_point_problems(t["trigger_points"])
    return out
