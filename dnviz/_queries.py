"""Queries on the atlas: name search, referral patterns, and the reverse (candidates) look-up."""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import TYPE_CHECKING

import pandas as pd

from dnviz.exceptions import MuscleNotFoundError, RegionNotFoundError
from dnviz.vocabulary import SIDES, check_choice, referral_sides

if TYPE_CHECKING:
    from dnviz.atlas import Atlas

def normalise(text: str) -> str:
    """Lower-case, strip accents and punctuation, collapse spaces: 'Upper-Trap.' -> 'upper trap'."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


class NameIndex:
    """Every way of naming a muscle, normalised, pointing at the muscle id."""

    def __init__(self, muscles: pd.DataFrame):
        self.names: dict[str, list[str]] = {}
        self.display: dict[str, str] = dict(zip(muscles.index, muscles["name"]))
        for muscle_id, row in muscles.iterrows():
            for alias in (muscle_id, row["name"], *row["synonyms"]):
                for key in {normalise(alias), normalise(alias).replace(" ", "")}:
                    owners = self.names.setdefault(key, [])
                    if muscle_id not in owners:
                        owners.append(muscle_id)

    def lookup(self, query: str) -> str:
        if not isinstance(query, str) or not query.strip():
            raise MuscleNotFoundError(str(query), [], ambiguous=False)
        if query in self.display:  # an exact id always wins
            return query
        key = normalise(query)
        for candidate in (key, key.replace(" ", ""), key.removesuffix("s"), key.removesuffix(" muscle")):
            owners = self.names.get(candidate, [])
            if len(owners) == 1:
                return owners[0]
            if owners:  # a group name such as "quads" or "rotator cuff"
                raise MuscleNotFoundError(query, [self.display[m] for m in owners], ambiguous=True)
        # several muscles share the word(s): ask which one
        containing = sorted(
            {
                m
                for name, ms in self.names.items()
                for m in ms
                if len(key) >= 3 and re.search(rf"\b{re.escape(key)}\b", name)
            }
        )
        if len(containing) > 1:
            raise MuscleNotFoundError(query, [self.display[m] for m in containing[:6]], ambiguous=True)
        if len(containing) == 1:
            return containing[0]
        scored = sorted(
            ((difflib.SequenceMatcher(None, key, name).ratio(), m) for name, ms in self.names.items() for m in ms),
            reverse=True,
        )
        best_score, best = scored[0]
        runner_up = next((s for s, m in scored if m != best), 0.0)
        if best_score >= 0.8 and best_score - runner_up >= 0.04:
            return best
        suggestions = list(dict.fromkeys(self.display[m] for s, m in scored[:12] if s >= 0.45))[:5]
        raise MuscleNotFoundError(query, suggestions)


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
    names = atlas.regions["name"]
    # (muscle, side) -> {query index: (is_essential, reason)}
    hits: dict[tuple[str, str | None], dict[int, tuple[bool, str]]] = {}
    for qi, (region_id, pain_side) in enumerate(queries):
        sided = f" {pain_side}" if pain_side else ""
        for leaf in leaves(atlas.regions, region_id):
            where = names[leaf].lower()
            for muscle_id, label, essential, kind, laterality in index.get(leaf, ()):
                reason = f"{label} refers to the{sided} {where} ({kind}, {laterality})"
                for muscle_side in _muscle_sides(laterality, pain_side):
                    best = hits.setdefault((muscle_id, muscle_side), {}).get(qi)
                    if best is None or (essential and not best[0]):
                        hits[(muscle_id, muscle_side)][qi] = (essential, reason)
    muscle_names = atlas.muscles["name"]
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

