"""Look-up by symptom: what the patient says ("headache behind the eye") to the muscles to examine.

``data/symptoms.csv`` holds common complaints in plain words, each with synonyms, the body
regions where it hurts, and the muscles whose trigger points refer there, ranked: *primary*
muscles have an essential zone in one of those regions, *secondary* ones a spillover zone only.
Every listed muscle is backed by referral rows of the atlas (the loader checks it), and a row's
sources are the sources of those referral rows, so a symptom says nothing its patterns do not.

>>> from dnviz import load_atlas
>>> top = load_atlas().candidates_for("headache behind the eye")
>>> top.iloc[0]["role"]
'primary'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from dnviz._evidence import GRADES
from dnviz._names import NameIndex, normalise
from dnviz._validation import Problem, Table, split_list
from dnviz.exceptions import MuscleNotFoundError, SymptomNotFoundError

if TYPE_CHECKING:
    from dnviz.atlas import Atlas

ROLES = ("primary", "secondary", "also")
"""Roles of a candidate for a complaint: in the table's primary or secondary list, or a muscle
added to the atlas since the table was ranked that also refers to the complaint's regions."""

COLUMNS = ["rank", "muscle_id", "name", "role", "n_essential", "grade", "why", "source_ids"]


def symptom_index(symptoms: pd.DataFrame) -> NameIndex:
    """Every name and synonym of every complaint, normalised, for fuzzy look-up."""
    return NameIndex(symptoms)


def resolve(atlas: Atlas, complaint: str) -> str:
    """The id of the complaint that ``complaint`` names; raises :class:`SymptomNotFoundError`."""
    if not isinstance(complaint, str):
        raise TypeError(f"a complaint is text, e.g. 'heel pain'; got {type(complaint).__name__}")
    try:
        return atlas.symptom_index.lookup(complaint)
    except MuscleNotFoundError as err:  # the name index speaks of muscles; here it found complaints
        suggestions = err.suggestions if err.ambiguous else _suggest(atlas, complaint, err.suggestions)
        raise SymptomNotFoundError(complaint, suggestions, ambiguous=err.ambiguous) from None
    except ValueError as err:
        raise ValueError(str(err).replace("muscle name", "complaint")) from None


FILLER = frozenset("a an and at by i in is it me my of on or the to when with pain ache hurts hurt sore".split())


def _suggest(atlas: Atlas, complaint: str, close: list[str]) -> list[str]:
    """Complaints sharing a word with the query (heel in "my heel hurts") first, then the closest."""
    words = set(normalise(complaint).split()) - FILLER
    sharing = [
        name
        for name, synonyms in zip(atlas.symptoms["name"], atlas.symptoms["synonyms"])
        if words & {w for alias in (name, *synonyms) for w in normalise(alias).split()}
    ]
    return list(dict.fromkeys(sharing + list(close)))[:6]


def _leaf_regions(atlas: Atlas, region_ids) -> list[str]:
    return list(dict.fromkeys(leaf for r in region_ids for leaf in atlas.leaf_regions(r)))


def _rows_by_muscle(atlas: Atlas, leaves: list[str]) -> dict[str, pd.DataFrame]:
    refs = atlas.referrals
    here = refs[refs["region_id"].isin(leaves)].join(atlas.trigger_points[["muscle_id", "label"]], on="tp_id")
    return {m: g for m, g in here.groupby("muscle_id", sort=False)}


def candidates_for(atlas: Atlas, complaint: str) -> pd.DataFrame:
    """Muscles to examine for a complaint, primary first, each with why (see :meth:`Atlas.candidates_for`)."""
    symptom_id = resolve(atlas, complaint)
    row = atlas.symptoms.loc[symptom_id]
    leaves = _leaf_regions(atlas, row["region_ids"])
    rows = _rows_by_muscle(atlas, leaves)
    names, region_names = atlas.muscles["name"], atlas.regions["name"]
    listed = [(m, "primary") for m in row["primary_muscle_ids"]] + [
        (m, "secondary") for m in row["secondary_muscle_ids"]
    ]
    others = sorted(
        (m for m in rows if m not in dict(listed)),
        key=lambda m: (-(rows[m]["kind"] == "essential").sum(), str(names.get(m, m))),
    )
    records = []
    for muscle_id, role in listed + [(m, "also") for m in others]:
        g = rows.get(muscle_id)
        if g is None or muscle_id not in names.index:
            continue
        g = g.sort_values("kind", ascending=False, kind="stable")  # essential before spillover
        why = "; ".join(
            dict.fromkeys(
                f"{r.label} refers to the {str(region_names[r.region_id]).lower()} ({r.kind}, {r.grade})"
                for r in g.itertuples()
            )
        )
        sources = tuple(dict.fromkeys(s for ids in g["source_ids"] for s in ids))
        records.append(
            {
                "muscle_id": muscle_id,
                "name": names[muscle_id],
                "role": role,
                "n_essential": int((g["kind"] == "essential").sum()),
                "grade": max((str(x) for x in g["grade"]), key=GRADES.index),
                "why": why,
                "source_ids": sources,
            }
        )
    out = pd.DataFrame.from_records(records, columns=COLUMNS[1:])
    out.insert(0, "rank", range(1, len(out) + 1))
    out["role"] = pd.Categorical(out["role"], categories=list(ROLES), ordered=True)
    out["grade"] = pd.Categorical(out["grade"], categories=list(GRADES), ordered=True)
    out.attrs["symptom_id"] = symptom_id
    out.attrs["symptom"] = row["name"]
    out.attrs["regions"] = tuple(row["region_ids"])
    out.attrs["note"] = row["note"] if isinstance(row["note"], str) else ""
    return out


def rank_muscles(
    atlas: Atlas, region_ids, n_primary: int = 8, n_secondary: int = 6
) -> tuple[list[str], list[str], list[str]]:
    """(primary, secondary, source ids) for regions, ranked from the atlas's referral rows.

    Primary muscles have an essential zone in the regions (more regions, then a better grade,
    then more rows first); secondary ones only spillover. What ``scripts/refresh_symptoms.py``
    writes into ``data/symptoms.csv``.
    """
    rows = _rows_by_muscle(atlas, _leaf_regions(atlas, region_ids))
    stats = {}
    for m, g in rows.items():
        essential = g[g["kind"] == "essential"]
        best = max(GRADES.index(str(x)) for x in g["grade"])
        stats[m] = (essential["region_id"].nunique(), g["region_id"].nunique(), best, len(g))
    primary = sorted((m for m, s in stats.items() if s[0]), key=lambda m: (-stats[m][0], -stats[m][2], -stats[m][3], m))
    secondary = sorted(
        (m for m, s in stats.items() if not s[0]), key=lambda m: (-stats[m][1], -stats[m][2], -stats[m][3], m)
    )
    primary, secondary = primary[:n_primary], secondary[:n_secondary]
    evidence = atlas.sources["evidence"]
    best: dict[str, int] = {}
    for m in primary + secondary:
        for ids in rows[m]["source_ids"]:
            for s in ids:
                best[s] = max(best.get(s, 0), GRADES.index(str(evidence[s])))
    return primary, secondary, sorted(best, key=lambda s: (-best[s], s))


# -- loader checks ---------------------------------------------------------------------------------


def symptom_problems(t: Mapping[str, Table]) -> list[Problem]:
    """Symptom rows whose muscles no referral row backs, or that list no muscle at all.

    A primary muscle needs an essential zone, a secondary one any zone, in one of the row's
    regions (a group region stands for its leaves); a muscle is listed once.
    """
    needed = {"symptoms", "referrals", "trigger_points", "regions"}
    if not needed <= t.keys():
        return []
    regions = t["regions"].frame
    children: dict[str, list[str]] = {}
    for region_id, parent in zip(regions["region_id"], regions["parent_id"]):
        if isinstance(parent, str):
            children.setdefault(parent, []).append(region_id)

    def leaves(region_id: str) -> set[str]:
        kids = children.get(region_id)
        return {leaf for k in kids for leaf in leaves(k)} if kids else {region_id}

    muscle_of = dict(zip(t["trigger_points"].frame["tp_id"], t["trigger_points"].frame["muscle_id"]))
    zones: dict[tuple[str, str], set[str]] = {}  # (muscle, region) -> kinds
    refs = t["referrals"].frame
    for tp_id, region_id, kind in zip(refs["tp_id"], refs["region_id"], refs["kind"]):
        zones.setdefault((muscle_of.get(tp_id), region_id), set()).add(kind)
    table = t["symptoms"]
    out: list[Problem] = []
    frame = table.frame
    for i, (region_cell, primary, secondary) in enumerate(
        zip(frame["region_ids"], frame["primary_muscle_ids"], frame["secondary_muscle_ids"])
    ):
        file, line = table.where(i)
        area = {leaf for r in split_list(region_cell) for leaf in leaves(r)}
        listed = [*split_list(primary), *split_list(secondary)]
        if not listed:
            out.append(
                Problem(
                    file,
                    line,
                    "primary_muscle_ids",
                    None,
                    "the complaint lists no muscle",
                    "list the muscles whose trigger points refer to its regions (scripts/refresh_symptoms.py ranks them)",
                )
            )
        for m in {m for m in listed if listed.count(m) > 1}:
            out.append(
                Problem(
                    file,
                    line,
                    "secondary_muscle_ids",
                    m,
                    "the muscle is listed twice",
                    "list it once, as primary or as secondary",
                )
            )
        for column, cell, want in (
            ("primary_muscle_ids", primary, "essential"),
            ("secondary_muscle_ids", secondary, None),
        ):
            for m in split_list(cell):
                kinds = set().union(*(zones.get((m, r), set()) for r in area)) if area else set()
                if (want is None and not kinds) or (want is not None and want not in kinds):
                    what = "an essential zone" if want else "a referral zone"
                    out.append(
                        Problem(
                            file,
                            line,
                            column,
                            m,
                            f"no referral row gives {m} {what} in the complaint's regions ({region_cell})",
                            "remove the muscle from this row, move it to the secondary list, or add the referral "
                            "row with its source; scripts/refresh_symptoms.py ranks the muscles from referrals.csv",
                        )
                    )
    return out
