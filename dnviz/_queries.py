"""Queries on the atlas: name search, referral patterns, and the reverse (candidates) look-up."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

import pandas as pd

from dnviz._names import NameIndex, normalise  # noqa: F401 (NameIndex: the atlas builds it from here)
from dnviz.exceptions import RegionNotFoundError
from dnviz.vocabulary import SIDES, check_choice, referral_sides

if TYPE_CHECKING:
    from dnviz.atlas import Atlas


def resolve_region(regions: pd.DataFrame, name: str) -> str:
    """Region id for an id or display name; raises :class:`RegionNotFoundError`."""
    if name in regions.index:
        return name
    key = normalise(name)
    for region_id, display in regions["name"].items():
        if key in (normalise(region_id), normalise(display)):
            return region_id
    close = difflib.get_close_matches(key, [normalise(r) for r in regions.index], n=3, cutoff=0.5)
    by_norm = {normalise(r): r for r in regions.index}
    raise RegionNotFoundError(str(name), [by_norm[c] for c in close])


def leaves(regions: pd.DataFrame, region_id: str) -> list[str]:
    """All leaf regions under ``region_id`` (itself when it is a leaf)."""
    if regions.at[region_id, "view"] != "both":
        return [region_id]
    children = regions.index[regions["parent_id"] == region_id]
    return [leaf for child in children for leaf in leaves(regions, child)]


PATTERN_COLUMNS = [
    "tp_id",
    "label",
    "location",
    "view",
    "region_id",
    "region_name",
    "region_view",
    "kind",
    "laterality",
    "source_ids",
    "grade",
]


def all_patterns(atlas: Atlas) -> dict[str, pd.DataFrame]:
    """Every muscle's referral pattern in one vectorised pass (cached by the atlas: ``atlas.patterns``)."""
    tps = atlas.trigger_points
    out = atlas.referrals.copy()
    for column in ("label", "location", "view", "muscle_id"):
        out[column] = out["tp_id"].map(tps[column])
    out["region_name"] = out["region_id"].map(atlas.regions["name"])
    out["region_view"] = out["region_id"].map(atlas.regions["view"])
    out = out.sort_values(["tp_id", "kind", "region_id"], ascending=[True, False, True], kind="stable")
    return {m: g[PATTERN_COLUMNS].reset_index(drop=True) for m, g in out.groupby("muscle_id", sort=False)}


def referral_pattern(atlas: Atlas, muscle_id: str) -> pd.DataFrame:
    return atlas.patterns[muscle_id].copy()


def _muscle_sides(laterality: str, pain_side: str | None) -> tuple[str | None, ...]:
    """Sides of the muscle whose trigger point would refer pain to ``pain_side`` (None: any side)."""
    return (None,) if pain_side is None else referral_sides(laterality, pain_side)


def _parse_queries(atlas: Atlas, regions, side: str | None) -> list[tuple[str, str | None]]:
    check_choice("side", side, (*SIDES, None))
    items = [regions] if isinstance(regions, (str, tuple)) else list(regions)
    if not items:
        raise ValueError("candidates() needs at least one painful region, e.g. ['temple']")
    parsed = []
    for item in items:
        name, item_side = item if isinstance(item, tuple) else (item, side)
        check_choice(f"side (of region {name!r})", item_side, (*SIDES, None))
        parsed.append((atlas.region(name), item_side))
    return list(dict.fromkeys(parsed))


def referral_index(atlas: Atlas) -> dict[str, list[tuple[str, str, bool, str, str]]]:
    """region_id -> [(muscle_id, trigger-point label, is_essential, kind, laterality)].

    Cached by the atlas: ``atlas.referral_index``.
    """
    refs = atlas.referrals.join(atlas.trigger_points[["muscle_id", "label"]], on="tp_id")
    index: dict[str, list[tuple[str, str, bool, str, str]]] = {}
    for row in refs.itertuples():
        index.setdefault(row.region_id, []).append(
            (row.muscle_id, row.label, row.kind == "essential", str(row.kind), str(row.laterality))
        )
    return index


def candidates(atlas: Atlas, regions, side: str | None = None) -> pd.DataFrame:
    queries = _parse_queries(atlas, regions, side)
    index = atlas.referral_index
    names = dict(zip(atlas.regions.index, atlas.regions["name"]))
    # (muscle, side) -> {query index: (is_essential, reason)}
    hits: dict[tuple[str, str | None], dict[int, tuple[bool, str]]] = {}
    for qi, (region_id, pain_side) in enumerate(queries):
        sided = f" {pain_side}" if pain_side else ""
        for leaf in atlas.region_leaves[region_id]:
            where = str(names[leaf]).lower()
            for muscle_id, label, essential, kind, laterality in index.get(leaf, ()):
                reason = f"{label} refers to the{sided} {where} ({kind}, {laterality})"
                for muscle_side in _muscle_sides(laterality, pain_side):
                    best = hits.setdefault((muscle_id, muscle_side), {}).get(qi)
                    if best is None or (essential and not best[0]):
                        hits[(muscle_id, muscle_side)][qi] = (essential, reason)
    muscle_names = dict(zip(atlas.muscles.index, atlas.muscles["name"]))
    records = []
    for (muscle_id, muscle_side), matched in hits.items():
        records.append(
            {
                "muscle_id": muscle_id,
                "name": muscle_names[muscle_id],
                "side": muscle_side,
                "n_regions": len(matched),
                "n_essential": sum(e for e, _ in matched.values()),
                "matched": tuple(queries[qi][0] for qi in sorted(matched)),
                "why": "; ".join(matched[qi][1] for qi in sorted(matched)),
            }
        )
    columns = ["rank", "muscle_id", "name", "side", "n_regions", "n_essential", "matched", "why"]
    if not records:
        return pd.DataFrame(columns=columns)
    out = pd.DataFrame.from_records(records)
    out = out.sort_values(
        ["n_regions", "n_essential", "name", "side"],
        ascending=[False, False, True, True],
        kind="stable",
        na_position="first",
    ).reset_index(drop=True)
    out.insert(0, "rank", range(1, len(out) + 1))
    out["side"] = pd.Categorical(out["side"], categories=list(SIDES))
    return out[columns]
