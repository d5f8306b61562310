"""The grade of a referral pattern: what kind of evidence stands behind each referral row.

Every source says what kind of evidence it is for a referral pattern (``sources.evidence``); a
referral row's ``grade`` is the best kind among its sources, in the order of :data:`GRADES`
(weakest first). The loader checks that each row's grade is that best kind, so a grade can never
claim more (or less) than its sources.

>>> best_grade(["namtpt_biceps", "simons1999upper"], {"namtpt_biceps": "web", "simons1999upper": "manual"})
'manual'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from dnviz._validation import Problem, Table, split_list

GRADES = ("web", "reference", "derived", "study", "manual")
"""Grades of evidence, weakest first (the order of the ordered categoricals)."""

GRADE_NAMES = {
    "manual": "the Trigger Point Manual (Travell & Simons)",
    "study": "an independent published study",
    "derived": "a trigger-point text or page that credits or reproduces the manual",
    "reference": "an anatomy text or guideline",
    "web": "clinic, self-help or magazine pages only",
}
"""What each grade means, in words for cards and hover labels."""


def best_grade(source_ids: Iterable[str], evidence: Mapping[str, str]) -> str | None:
    """The strongest evidence among ``source_ids`` (``None`` when none of them is known)."""
    kinds = [evidence[s] for s in source_ids if evidence.get(s) in GRADES]
    return max(kinds, key=GRADES.index) if kinds else None


def grade_problems(t: Mapping[str, Table]) -> list[Problem]:
    """Referral rows whose grade is not the best evidence among their sources."""
    if not {"sources", "referrals"} <= t.keys():
        return []
    sources = t["sources"].frame
    evidence = dict(zip(sources["source_id"], sources["evidence"]))
    refs = t["referrals"]
    out: list[Problem] = []
    for i, (grade, cell) in enumerate(zip(refs.frame["grade"], refs.frame["source_ids"])):
        best = best_grade(split_list(cell), evidence)
        if best is not None and grade in GRADES and grade != best:
            named = ", ".join(f"{s} ({evidence.get(s, '?')})" for s in split_list(cell))
            file, line = refs.where(i)
            out.append(
                Problem(
                    file,
                    line,
                    "grade",
                    grade,
                    f"the grade must be the best evidence among the row's sources, which is '{best}' ({named})",
                    f"write '{best}', or change the sources (sources.csv column 'evidence' says what each is)",
                )
            )
    return out
