"""Safety statements guarded in every table, notebook and report (issue 12, corrections 1-5).

1. No depth is called a safe limit: every free-text cell of every table is scanned for safe-depth
   claims ("safe", "avoided if ... no deeper than", "no risk", "cannot reach" and the like). The
   data is worded without negated forms ("not fail-safe"), so no negation needs to be parsed.
2. The pleura, not only the lung, reaches T12 behind: C7 to T10 is said of the lung only.
3. (The sternum and scapula are tested in ``test_safety.py``: geometry and hover text.)
4. The upper-trapezius cadaver finding (a 30 mm needle did not reach the pleura) always carries its
   caveat: a small number of elderly cadavers, not living patients.
5. Trigger points are active or latent; "passive" is not a standard type.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from dnviz._paths import data_dir
from dnviz._tables import dictionary

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: Bibliographic columns quote a source's own title; every other text column is the atlas's own words.
BIBLIOGRAPHIC = {("sources", c) for c in ("authors", "title", "container", "volume_pages", "doi", "url")}

SAFE_CLAIMS = {
    "calls something safe": r"\bsafe(?:ly|r|st)?\b",
    "claims no risk": r"\b(?:no|zero|without(?:\s+any)?)\s+risk\b",
    "claims it is risk-free": r"\brisk[- ]free\b",
    "calls something harmless": r"\bharmless\b",
    "a depth that avoids harm ('avoided if')": r"\bavoid(?:s|ed)?\s+if\b",
    "a depth limit ('no deeper than')": r"\b(?:no|not)\s+deeper\s+than\b",
    "says a needle cannot reach": (
        r"\b(?:cannot|can\s?not|can't|will\s+not|won't|never|unable\s+to|impossible\s+to)\s+(?:\w+\s+)?"
        r"(?:reach|hit|puncture|pierce|penetrate|breach|enter)\w*"
    ),
    "says something is out of reach": r"\bout\s+of\s+(?:\w+\s+){0,2}reach\b|\bno\b[^.;]{0,60}\bwithin\s+reach\b",
    "claims full protection": r"\b(?:completely|fully|totally)\s+(?:protect|prevent|avoid|eliminat)\w*",
    "says bone protects the organ": r"\bprotect(?:s|ed)?\s+(?:the\s+)?(?:lung|pleura|heart)\b",
}


def safe_claims(text: str) -> list[str]:
    """What kind of safe-depth claim the text makes, with the words that make it."""
    found = []
    for kind, pattern in SAFE_CLAIMS.items():
        found += [f"{kind}: {m.group(0)!r}" for m in re.finditer(pattern, text, re.I)]
    return found


def text_cells(folder: Path | None = None):
    """(table, row number as in the file, column, text) of every free-text cell of every table."""
    folder = data_dir() if folder is None else folder
    for spec in dictionary().itertuples():
        path = folder / f"{spec.table}.csv"
        if spec.dtype != "text" or (spec.table, spec.column) in BIBLIOGRAPHIC or not path.exists():
            continue
        with open(path, newline="", encoding="utf-8") as fh:
            for number, row in enumerate(csv.DictReader(fh), start=2):
                yield spec.table, number, spec.column, row.get(spec.column) or ""


def table_rows(folder: Path | None = None):
    """(table, row number, joined free text) of every row of every table."""
    rows: dict[tuple[str, int], list[str]] = {}
    for table, number, _, text in text_cells(folder):
        rows.setdefault((table, number), []).append(text)
    for (table, number), texts in rows.items():
        yield table, number, " ".join(texts)


def notebook_cells():
    """(notebook name, cell id, cell type, source) of every cell of every notebook."""
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            yield path.name, cell.get("id", "?"), cell["cell_type"], source


def sentences(text: str) -> list[str]:
    text = re.sub(r"\s+", " ", text)
    return [s for s in re.split(r"(?<=[.;!?])\s+|\s-\s|\|", text) if s.strip()]


# ---- 1. no safe-depth claims --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "It says pneumothorax is avoided if the needle goes no deeper than 4 cm in adults.",
        "A 25 mm needle is safe here.",
        "Needle safely to 30 mm.",
        "The lateral placement was safer.",
        "Rib bracketing is not fail-safe.",
        "There is no risk to the lung at this depth.",
        "The needle cannot reach the pleura.",
        "A short needle will never penetrate the pleura.",
        "No lung or pleura within reach of a needle.",
        "The scapula protects the lung.",
        "Risk-free needling.",
    ],
)
def test_the_detector_catches_safe_depth_phrasings(text):
    assert safe_claims(text), text


@pytest.mark.parametrize(
    "text",
    [
        "No depth is a reliable limit over the chest wall.",
        "Safety guidelines for dry needling of the thorax.",
        "One blog considers the muscle unsafe to needle.",
        "A 30 mm needle did not reach the pleural space in 15 elderly cadavers.",
        "Rib bracketing lowers but does not remove the risk.",
    ],
)
def test_the_detector_lets_warnings_through(text):
    assert not safe_claims(text), safe_claims(text)


def test_no_table_calls_a_depth_or_technique_safe():
    problems = [
        f"{table}.csv row {number}, column {column!r}: {claim}"
        for table, number, column, text in text_cells()
        for claim in safe_claims(text)
    ]
    assert not problems, "Reword these as warnings (no depth or technique is safe):\n" + "\n".join(problems)


def test_the_scan_covers_every_text_table():
    """Cards, facts, studies, tiers, zones, screening... every table with free text is read."""
    scanned = {table for table, *_ in text_cells()}
    assert {"muscles", "facts", "studies", "safety_tiers", "danger_zones", "screening", "depths"} <= scanned


def test_a_safe_claim_in_a_copy_of_the_data_is_caught(set_field, data_copy):
    set_field("facts", "tech_superficial", "statement", "Needling 2 cm deep here is safe in adults.")
    found = [(t, n, c) for t, n, c, text in text_cells(data_copy) if safe_claims(text)]
    assert ("facts", 1 + _row_of(data_copy / "facts.csv", "tech_superficial"), "statement") in found


def _row_of(path: Path, row_id: str) -> int:
    with open(path, newline="", encoding="utf-8") as fh:
        return next(i for i, row in enumerate(csv.reader(fh)) if row and row[0] == row_id)


def test_pectoralis_major_card_warns_with_the_atlas_ct_depths(atlas):
    notes = atlas.muscles.at["pectoralis_major", "needling_notes"]
    assert "no depth is a reliable limit" in notes.lower()
    assert "2nd intercostal space" in notes
    means = atlas.depths.loc[atlas.depths["site_id"] == "ics2_mcl", "mean_mm"].dropna()
    low, high = (int(v) for v in re.search(r"about (\d+) to (\d+) mm", notes).groups())
    assert low == int(means.min()) and high == round(means.max())  # 39.3 and 49.0 mm
    assert means.median() < 45  # many adults have the pleura within 4 cm (40 mm) of the skin
    cited = set(atlas.muscles.at["pectoralis_major", "source_ids"])
    assert {"givens2004chestwall", "scancrit2013chestwall"} <= cited
    assert atlas.facts.at["chest_wall_no_depth_limit", "source_ids"]


NOTEBOOK_SAFE_DEPTH = (
    r"\bsafe\s+(?:needling\s+)?(?:depth|limit|length|distance)\b|\bavoid(?:s|ed)?\s+if\b|\bno\s+deeper\s+than\b"
)
NEGATION = r"\b(?:no|not|never|nothing|none|isn't)\b"


def test_notebooks_name_no_safe_depth():
    """Notebooks may say what is never safe ("Nothing in this notebook is a safe depth"), not what is."""
    problems = []
    for name, cell_id, _, source in notebook_cells():
        for sentence in sentences(source):
            for m in re.finditer(NOTEBOOK_SAFE_DEPTH, sentence, re.I):
                if not re.search(NEGATION, sentence[: m.start()], re.I):
                    problems.append(f"{name}, cell {cell_id}: {sentence.strip()!r}")
    assert not problems, "\n".join(problems)


# ---- 2. the pleura reaches T12 behind; C7 to T10 is the lung --------------------------------------

C7_T10 = r"\bC7\b[^.;]{0,40}?(?:to|-|–)\s*(?:the\s+)?T10\b"


def documents():
    """(where, text) of every data cell, notebook cell, README and top-level doc."""
    for table, number, column, text in text_cells():
        yield f"{table}.csv row {number} {column}", text
    for name, cell_id, _, source in notebook_cells():
        yield f"{name} cell {cell_id}", source
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        yield path.name, path.read_text(encoding="utf-8")


def test_c7_to_t10_is_said_only_of_the_lung():
    problems = []
    for where, text in documents():
        for sentence in sentences(text):
            if re.search(C7_T10, sentence):
                subject = re.search(r"\b(lungs?|pleura\w*)\b", sentence, re.I)
                if not subject or not subject.group(1).lower().startswith("lung"):
                    problems.append(f"{where}: {sentence.strip()!r}")
    assert not problems, "The pleura goes down to T12; C7 to T10 is the lung:\n" + "\n".join(problems)


def test_notebook_04_teaches_the_pleura_down_to_t12(atlas):
    text = " ".join(src for name, _, kind, src in notebook_cells() if name.startswith("04") and kind == "markdown")
    said = [s for s in sentences(text) if "T12" in s and re.search(r"\bpleura\b", s)]
    assert len(said) >= 2, "the surface-anatomy section and the summary both give the pleura's T12 level"
    assert any("12th rib" in s for s in said)
    fact = atlas.facts.loc["pleura_posterior_t12"]
    assert "T12" in fact["statement"] and "chaurasia_surface_marking_pleura" in fact["source_ids"]


# ---- 4. the 30 mm cadaver finding carries its caveat ----------------------------------------------

FINDING = r"\b30\s*mm\b[^.]*?\b(?:did not|never|not)\b[^.]*?\bpleura|\b0\s*/\s*15\b|\bnever reached\b"
CAVEAT = (r"\bcadaver", r"\b(?:15|fifteen|small)\b", r"\b(?:elderly|mean age|aged)\b")


def has_caveat(text: str) -> bool:
    return all(re.search(p, text, re.I) for p in CAVEAT)


def test_the_cadaver_finding_carries_its_caveat_in_every_table():
    shown = [(t, n, text) for t, n, text in table_rows() if re.search(FINDING, text, re.I)]
    assert len(shown) >= 4, "the card, the fact, the source and the depth row show the finding"
    missing = [f"{t}.csv row {n}" for t, n, text in shown if not has_caveat(text)]
    assert not missing, "say: a small number of elderly cadavers, not living patients: " + ", ".join(missing)


def test_the_cadaver_finding_carries_its_caveat_in_the_needle_report(atlas):
    check = atlas.needle_check("ut_mid", 30)
    lines = [c for c in check.findings["comparison"] if re.search(r"did not breach", c)]
    assert lines and all(has_caveat(c) for c in lines)
    assert "living" in " ".join(lines)
    assert any(has_caveat(w) and "living" in w for w in check.warnings)
    assert "embalmed" not in str(check)  # the preservation method is not in the abstract we read
    assert has_caveat(check._repr_html_())


def test_the_cadaver_finding_carries_its_caveat_in_the_notebooks():
    shown = [(n, i, s) for n, i, kind, s in notebook_cells() if kind == "markdown" and re.search(FINDING, s, re.I)]
    assert shown, "notebook 04 teaches the cadaver finding"
    missing = [f"{n} cell {i}" for n, i, s in shown if not has_caveat(s)]
    assert not missing, ", ".join(missing)


# ---- 5. active or latent -----------------------------------------------------------------------

PASSIVE = r"\bpassive\b"
TRP_CONTEXT = r"trigger|\bTrPs?\b|\blatent\b|\bactive\b"


def test_no_passive_trigger_points_anywhere():
    places = [*documents()]
    for path in sorted((ROOT / "dnviz").rglob("*.py")):
        places.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
    problems = []
    for where, text in places:
        for m in re.finditer(PASSIVE, text, re.I):
            window = text[max(0, m.start() - 200) : m.end() + 200]
            if re.search(TRP_CONTEXT, window, re.I):
                problems.append(f"{where}: ...{window.strip()[:160]}...")
    assert not problems, "Trigger points are active or latent:\n" + "\n".join(problems)


def test_active_and_latent_are_taught_with_sources(atlas):
    fact = atlas.facts.loc["tp_active_latent"]
    assert "active" in fact["statement"] and "latent" in fact["statement"]
    assert {"celik2013latent", "ge2011latent"} <= set(fact["source_ids"])
    text = " ".join(s for n, _, kind, s in notebook_cells() if n.startswith("01") and kind == "markdown")
    assert re.search(r"\|\s*active\s*\|", text) and re.search(r"\|\s*latent\s*\|", text)
