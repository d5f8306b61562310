"""A grade on every referral pattern: the best evidence among the row's sources, checked on load."""

from __future__ import annotations

import pytest

import dnviz
from dnviz._evidence import GRADE_NAMES, GRADES, best_grade

ATLAS = dnviz.load_atlas()


def load_error(folder) -> dnviz.AtlasValidationError:
    with pytest.raises(dnviz.AtlasValidationError) as info:
        dnviz.load_atlas(folder)
    return info.value


def test_every_referral_row_has_the_best_grade_of_its_sources():
    evidence = ATLAS.sources["evidence"].astype(str).to_dict()
    for row in ATLAS.referrals.itertuples():
        assert str(row.grade) == best_grade(row.source_ids, evidence), row


def test_grades_are_ordered_weakest_first_and_named():
    assert list(ATLAS.referrals["grade"].cat.categories) == list(GRADES)
    assert ATLAS.referrals["grade"].cat.ordered
    assert set(GRADE_NAMES) == set(GRADES)
    assert best_grade(["a", "b"], {"a": "web", "b": "study"}) == "study"
    assert best_grade([], {}) is None


def test_only_the_trigger_point_manual_is_graded_manual():
    manual = ATLAS.sources[ATLAS.sources["evidence"] == "manual"]
    assert len(manual) >= 2
    assert manual["title"].str.contains("Trigger Point Manual").all()


def test_web_pages_are_never_graded_as_a_study_or_the_manual():
    web = ATLAS.sources[ATLAS.sources["kind"] == "web"]
    assert set(web["evidence"].astype(str)) <= {"web", "reference", "derived"}


def test_every_grade_is_counted_for_the_closing_note():
    counts = ATLAS.referrals["grade"].value_counts()
    assert counts.sum() == len(ATLAS.referrals)
    assert counts["manual"] > 0 and counts["web"] > 0


def test_the_referral_pattern_carries_the_grade():
    pattern = ATLAS.referral_pattern("upper trapezius")
    assert "grade" in pattern.columns
    assert set(pattern["grade"].astype(str)) <= set(GRADES)


def test_a_grade_that_claims_more_than_its_sources_is_rejected(edit_table, data_copy):
    def fn(header, rows):
        g, s = header.index("grade"), header.index("source_ids")
        i = next(i for i, r in enumerate(rows) if r[g] == "web")
        rows[i][g] = "manual"
        fn.row, fn.sources = i + 2, rows[i][s]
        return header, rows

    edit_table("referrals", fn)
    problems = [p for p in load_error(data_copy).problems if p.column == "grade"]
    assert len(problems) == 1
    (problem,) = problems
    assert problem.file.endswith("referrals.csv") and problem.row == fn.row and problem.value == "manual"
    assert "'web'" in problem.message and "write 'web'" in problem.fix


def test_an_unknown_grade_or_evidence_is_rejected(edit_table, data_copy):
    def grade(header, rows):
        rows[0][header.index("grade")] = "rumour"
        return header, rows

    def evidence(header, rows):
        rows[0][header.index("evidence")] = ""
        return header, rows

    edit_table("referrals", grade)
    edit_table("sources", evidence)
    problems = load_error(data_copy).problems
    assert any(p.column == "grade" and p.value == "rumour" and p.row == 2 for p in problems)
    assert any(p.column == "evidence" and p.row == 2 for p in problems)


# -- a muscle needs an essential zone and a source -------------------------------------------------


def test_a_muscle_whose_zones_are_all_spillover_is_rejected_naming_its_trigger_points(edit_table, data_copy):
    tps = set(ATLAS.trigger_points.index[ATLAS.trigger_points["muscle_id"] == "masseter"])

    def fn(header, rows):
        t, k = header.index("tp_id"), header.index("kind")
        for r in rows:
            if r[t] in tps:
                r[k] = "spillover"
        return header, rows

    edit_table("referrals", fn)
    problems = [p for p in load_error(data_copy).problems if "no essential referral zone" in p.message]
    assert {p.value for p in problems} == tps
    assert all(p.file.endswith("trigger_points.csv") and p.row and p.column == "tp_id" for p in problems)


def test_a_muscle_without_a_source_is_rejected_with_row_and_column(edit_table, data_copy):
    def fn(header, rows):
        rows[0][header.index("source_ids")] = ""
        return header, rows

    edit_table("muscles", fn)
    problems = [p for p in load_error(data_copy).problems if p.column == "source_ids"]
    assert len(problems) == 1 and problems[0].row == 2 and problems[0].file.endswith("muscles.csv")


def test_the_map_shows_the_grade_web_only_zones_lighter_with_a_dotted_edge_and_named():
    import dnviz
    from dnviz.plotting.render import WEAK_OPACITY

    atlas = dnviz.load_atlas()
    grades = atlas.referrals.assign(
        muscle_id=atlas.trigger_points.loc[atlas.referrals["tp_id"], "muscle_id"].to_numpy()
    )
    mixed = [
        m
        for m, g in grades.groupby("muscle_id", observed=True)["grade"]
        if "web" in set(g.astype(str)) and set(g.astype(str)) - {"web"}
    ]
    assert mixed, "some muscle should mix web-only zones with better-graded ones"
    fig = dnviz.plot_body_map(atlas, muscle=mixed[0], side="left")
    zones = [t for t in fig.data if (t.meta or {}).get("layer", "").startswith("zone-")]
    weak = [t for t in zones if t.meta["grade"] == "web"]
    strong = [t for t in zones if t.meta["grade"] != "web"]
    assert weak and strong, mixed[0]
    assert all(t.line.dash == "dot" for t in weak)
    assert all(t.line.dash != "dot" for t in strong)
    assert all("evidence: web pages only" in t.name for t in weak)
    assert all("evidence: web pages only" not in t.name for t in strong)
    ess_weak = [t for t in weak if t.meta["layer"] == "zone-essential"]
    ess_strong = [t for t in strong if t.meta["layer"] == "zone-essential"]
    if ess_weak and ess_strong:
        assert ess_weak[0].opacity == pytest.approx(ess_strong[0].opacity * WEAK_OPACITY, abs=0.01)
    assert any(t.name and "web pages only" in t.name for t in fig.data if t.showlegend is not False)
