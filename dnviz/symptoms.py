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
from dnviz._names import NameIndex, name_keys, normalise
from dnviz._validation import Problem, Table, split_list
from dnviz.exceptions import MuscleNotFoundError, SymptomNotFoundError

if TYPE_CHECKING:
    from dnviz.atlas import Atlas

ROLES = ("primary", "secondary")
"""Roles of a candidate for a complaint, from the referral rows as loaded: primary (an essential
zone in the complaint's regions) or secondary (spillover only)."""

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
    # the table's ranking first, then muscles it does not list yet (the atlas grew since it was ranked)
    curated = [*row["primary_muscle_ids"], *row["secondary_muscle_ids"]]
    order = {m: i for i, m in enumerate(curated)}
    n_essential = {m: int((g["kind"] == "essential").sum()) for m, g in rows.items()}
    ranked = sorted(
        (m for m in rows if m in names.index),
        key=lambda m: (n_essential[m] == 0, order.get(m, len(order)), -n_essential[m], str(names[m])),
    )
    records = []
    for muscle_id in ranked:
        g = rows[muscle_id]
        role = "primary" if n_essential[muscle_id] else "secondary"
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
    out.attrs["source_ids"] = tuple(row["source_ids"])
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
    """Symptom rows that list no muscle, list one twice, or share a name with another complaint.

    Whether the listed muscles still refer to the complaint's regions is :func:`stale_rows`'s
    question (referral rows move as the atlas grows; ``scripts/refresh_symptoms.py`` re-ranks):
    :func:`candidates_for` takes each muscle's role from the referral rows as loaded.
    """
    if "symptoms" not in t:
        return []
    table = t["symptoms"]
    frame = table.frame
    out: list[Problem] = []
    seen: dict[str, str] = {}
    for i, (sid, name, synonyms, primary, secondary) in enumerate(
        zip(
            frame["symptom_id"],
            frame["name"],
            frame["synonyms"],
            frame["primary_muscle_ids"],
            frame["secondary_muscle_ids"],
        )
    ):
        file, line = table.where(i)
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
        for m in sorted({m for m in listed if listed.count(m) > 1}):
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
        for column, alias in [("name", name), *(("synonyms", a) for a in split_list(synonyms))]:
            if not isinstance(alias, str):
                continue
            for key in sorted(name_keys(alias)):
                other = seen.setdefault(key, sid)
                if other != sid:
                    out.append(
                        Problem(
                            file,
                            line,
                            column,
                            alias,
                            f"the name (searched as {key!r}) also names complaint {other!r}",
                            "remove it from one of the two rows",
                        )
                    )
                    break
    return out


def stale_rows(atlas: Atlas) -> list[tuple[str, str, str]]:
    """(symptom id, muscle id, what is wrong) for listed muscles the referral rows no longer back.

    A primary muscle needs an essential zone in the complaint's regions, a secondary one any zone.
    ``scripts/refresh_symptoms.py`` fixes them; :func:`candidates_for` is right meanwhile.
    """
    out = []
    for symptom_id, row in atlas.symptoms.iterrows():
        rows = _rows_by_muscle(atlas, _leaf_regions(atlas, row["region_ids"]))
        for role, muscles in (("primary", row["primary_muscle_ids"]), ("secondary", row["secondary_muscle_ids"])):
            for m in muscles:
                g = rows.get(m)
                if g is None:
                    out.append((symptom_id, m, f"{role}: no zone in the complaint's regions"))
                elif role == "primary" and not (g["kind"] == "essential").any():
                    out.append((symptom_id, m, "primary: no essential zone there"))
    return out
