"""Build the dnviz teaching notebooks: write, execute, strip.

Every notebook's cells are defined below as plain Python data (markdown and code strings). The
script writes ``notebooks/00_start_here.ipynb`` ... ``notebooks/08_quiz.ipynb`` (nbformat v4,
kernel ``python3``), executes each one with nbclient (cwd ``notebooks/``, 120 s per cell), and
then stores it clean:

- outputs are kept only for code cells whose first line is ``# NBVAL_CHECK_OUTPUT`` (nbval
  compares them in CI; ``pyproject.toml`` runs pytest with ``--nbval-lax``); every other output
  is cleared;
- every execution count is ``None``, except on those check cells: nbval refuses a cell that has
  stored outputs but no execution count ("Unrun reference cell has outputs"), so they keep the
  count of the build run (deterministic: the position of the cell in a Run All);
- no widget state is stored (no ``widgets`` metadata);
- every cell carries slide metadata: each H1/H2 heading starts a slide, each H3 a sub-slide,
  helper and solution cells are skipped, everything else follows its heading.

Run from the project root::

    .venv/bin/python scripts/build_notebooks.py          # all nine notebooks
    .venv/bin/python scripts/build_notebooks.py 03 04    # only those whose name starts so

Write the notebooks' content here, never in the .ipynb files: they are regenerated.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
CHECK = "# NBVAL_CHECK_OUTPUT"
TIMEOUT = 120
KERNEL = "python3"
SLIDE_TYPES = ("slide", "subslide", "fragment", "-", "skip")


# ---------------------------------------------------------------------------------------------
# Cell helpers
# ---------------------------------------------------------------------------------------------
def _clean(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def md(text: str, slide: str | None = None) -> dict:
    """A markdown cell. Headings choose the slide type: # and ## start a slide, ### a sub-slide."""
    source = _clean(text)
    if slide is None:
        first = source.lstrip().splitlines()[0] if source.strip() else ""
        slide = "slide" if first.startswith(("# ", "## ")) else "subslide" if first.startswith("### ") else "-"
    return {"kind": "markdown", "source": source, "slide": slide, "hidden": False}


def code(text: str, slide: str = "-", hidden: bool = False) -> dict:
    """A code cell; ``hidden`` collapses its source in JupyterLab (used for solutions)."""
    return {"kind": "code", "source": _clean(text), "slide": slide, "hidden": hidden}


def solution(text: str) -> list[dict]:
    """A collapsed solution cell, skipped in slides, announced by a short markdown line."""
    return [
        md("*One possible solution (click the collapsed cell below to show it):*", slide="skip"),
        code(text, slide="skip", hidden=True),
    ]


IMPORTS = """
import dnviz
import pandas as pd
from IPython.display import Markdown, display

atlas = dnviz.load_atlas()
pd.set_option("display.max_colwidth", None)
atlas
"""

HELPER = """
def show_facts(*fact_ids, topic=None):
    \"\"\"Show cited facts from atlas.facts (by id, or a whole topic), then their full references.\"\"\"
    facts = atlas.facts
    rows = facts.loc[list(fact_ids)] if fact_ids else facts[facts["topic"] == topic]
    lines = []
    for row in rows.itertuples():
        value = "" if pd.isna(row.value) else f" **[{row.value:.10g} {'' if pd.isna(row.unit) else row.unit}]**"
        sources = ", ".join(f"`{s}`" for s in row.source_ids)
        lines.append(f"- {row.statement}{value} (`{row.Index}`; source: {sources})")
    all_sources = list(dict.fromkeys(s for ids in rows["source_ids"] for s in ids))
    lines += ["", "**References**", ""] + [f"{i}. {ref}" for i, ref in enumerate(atlas.cite(all_sources), 1)]
    display(Markdown("\\n".join(lines)))
"""


def opening(title: str, subtitle: str, overview: str, goals: str, prerequisites: str) -> list[dict]:
    """Title, Overview, Learning goals, Prerequisites and the Imports cells every notebook starts with."""
    return [
        md(f"# {title}\n\n*{subtitle}*"),
        md("## Overview\n\n" + _clean(overview)),
        md("## Learning goals\n\nBy the end of this notebook you can:\n\n" + _clean(goals)),
        md("## Prerequisites\n\n" + _clean(prerequisites)),
        md(
            """
            ## Imports

            Import dnviz and load the atlas. Loading checks every table against the data dictionary,
            so a broken row is reported here, with its file, row and column. The last line shows how
            many rows each table holds.
            """
        ),
        code(IMPORTS),
        md(
            "A small helper used throughout: it prints facts from `atlas.facts` with their source ids, "
            "then the full references from `atlas.cite`.",
            slide="skip",
        ),
        code(HELPER, slide="skip"),
    ]


def closing(summary: str, next_text: str) -> list[dict]:
    return [
        md("## Summary\n\n" + _clean(summary)),
        md("## What's next\n\n" + _clean(next_text)),
    ]


# ---------------------------------------------------------------------------------------------
# 00 Start here
# ---------------------------------------------------------------------------------------------
NB00 = [
    *opening(
        "dnviz: the anatomy of dry needling. Start here",
        "Notebook 0 of the dnviz teaching suite",
        """
        Dry needling passes a fine, solid needle through the skin into muscle at myofascial trigger
        points, to relieve muscle pain and improve range of motion (source: `ferri_dry_needling`).
        Doing it well takes three maps: where trigger points sit, where each one sends its pain (a
        trigger point in the neck can hurt in the shoulder; source: `ferri_dry_needling`), and where
        the lung lies under the needle. dnviz draws those three maps from a cited atlas and lets you
        question them from Python.

        The suite is written for students and teachers of physiotherapy, medicine and related
        courses who are learning the anatomy behind dry needling. It teaches anatomy and clinical
        reasoning, not the hands-on skill: needling is learned under qualified supervision.
        """,
        """
        - run the suite on your own computer or on a course server;
        - find your way around the nine notebooks and their interactive explorers;
        - present a notebook in class;
        - say where every statement and number in the suite comes from, and cite it.
        """,
        """
        None beyond opening a notebook and running a cell (Shift+Enter). Later notebooks use a little
        pandas and explain each step.
        """,
    ),
    md(
        """
        ## The suite

        | Notebook | What you learn | Hands-on part |
        |---|---|---|
        | [0. Start here](00_start_here.ipynb) | running and presenting the suite; the data | find a muscle by nickname |
        | [1. Trigger points](01_trigger_points.ipynb) | what a trigger point is; the atlas as pandas tables | pandas exercises |
        | [2. Referral patterns](02_referral_patterns.ipynb) | the classic neck, head and shoulder patterns; essential and spillover zones | muscle explorer |
        | [3. Pain finder](03_pain_finder.ipynb) | reasoning back from painful regions to candidate muscles | pain finder |
        | [4. Safety zones](04_safety_zones.ipynb) | where the lung lies, risk tiers, needle depth, warning signs | safety explorer |
        | [5. Dry needling and acupuncture](05_dry_needling_and_acupuncture.ipynb) | how they differ; techniques; needles | comparison table |
        | [6. The session](06_the_session.ipynb) | before, during and after; side effects; screening | screening checklist |
        | [7. The evidence](07_the_evidence.ipynb) | reviews and trials, the forest plot, their limits | precision exercise |
        | [8. Quiz](08_quiz.ipynb) | name the muscle from its referral pattern | quiz |

        Work through them in order the first time: each notebook lists what it builds on.
        """
    ),
    md(
        """
        ## How to run it

        On Debian or Ubuntu with Python 3.10 or newer and `make`, two commands do everything:

        ```sh
        make lab    # creates .venv, installs dnviz and JupyterLab, opens this notebook
        make test   # runs every test: the package, these notebooks (nbval) and the browser tests
        ```

        `make lab` serves JupyterLab on 127.0.0.1 only and keeps token authentication on: open the
        link with the token that JupyterLab prints.

        Other ways to install:

        - **plain pip**: `pip install ".[notebook]"` (dnviz with JupyterLab, Voila and kaleido), then
          `jupyter lab notebooks/`;
        - **conda or mamba** (also what Binder and JupyterHub use):
          `mamba env create -f environment.yml && conda activate dnviz && pip install --no-deps -e .`

        The notebooks are stored without outputs. The first time you open one, run it from the top
        (*Run > Run All Cells*); the interactive explorers need a running kernel.
        """
    ),
    md(
        """
        ## The explorers

        Five interactive explorers are built with ipywidgets. Each notebook shows at most one of
        them, because every body-map widget carries its own copy of plotly.js (several MB) into the
        browser.

        | Explorer | What it does | Notebook |
        |---|---|---|
        | `dnviz.explore_muscles(atlas, muscle=None)` | type any muscle name; see its trigger points, essential and spillover zones, and a card with its sources | 2 |
        | `dnviz.pain_finder(atlas)` | click where it hurts, left and right apart; candidate muscles are ranked and explained | 3 |
        | `dnviz.explore_safety(atlas)` | the lung and other danger zones; a needle length checked against published depths | 4 |
        | `dnviz.screening_checklist(atlas)` | tick the yes answers of a pre-needling screen; each answer is explained and cited | 6 |
        | `dnviz.quiz(atlas, pool=None, n=10, seed=None)` | name the muscle from its referral pattern; seeded so a whole class gets the same quiz | 8 |

        Static figures come from `dnviz.plot_body_map`, `dnviz.plot_forest` and
        `dnviz.plot_side_effects`; `dnviz.save_figure(fig, "handout.png")` writes any of them to PNG,
        SVG, PDF or a stand-alone HTML page. If something goes wrong inside an explorer (an unknown
        muscle name, say), the message appears in the widget itself, and the widget keeps working.
        """
    ),
    md(
        """
        ## Educational use only

        dnviz is a teaching aid. Every figure that shows a referral pattern or a danger zone carries
        this notice, and so does every explorer:
        """
    ),
    code("print(dnviz.DISCLAIMER)"),
    md(
        """
        ## Presenting in class

        - **Slides.** Every cell carries slide metadata: each section heading starts a new slide, and
          helper and solution cells are marked to be skipped. Slide tools that read this metadata
          (for example the RISE extension for JupyterLab) show a notebook as a slide show.
        - **Classroom app.** `make voila` opens the classroom app (`notebooks/classroom_app.ipynb`)
          in Voila, which shows the explorers without any code. The README explains it.
        - **JupyterLab's presentation mode** (*View > Presentation Mode*) also works well for
          live demonstrations.
        - **Readable from the back row.** Every figure and explorer takes `theme="present"` (larger
          type, thicker lines); `theme="print"` gives black-and-white handouts.
        """
    ),
    code(
        """
        # The same body map as in notebook 2, sized for a projector.
        dnviz.plot_body_map(atlas, muscle="upper trapezius", theme="present")
        """
    ),
    md(
        """
        ## Where the data comes from

        The atlas is a set of plain CSV tables in the project's `data/` folder, described column by
        column in `data/dictionary.csv` and validated every time it loads. Every row names the
        sources it rests on by id; `atlas.sources` holds the full references, and `atlas.cite(ids)`
        formats them. The seed of the suite is a patient-information article on dry needling
        (source: `ferri_dry_needling`); its reference list supplies the studies of notebook 7, and
        many other books, papers and web pages supply the anatomy.

        How big is the atlas? (CI checks these counts, so a data change is noticed.)
        """
    ),
    code(
        """
        # NBVAL_CHECK_OUTPUT
        for table in ["muscles", "trigger_points", "referrals", "regions", "sources"]:
            print(f"{table:>15}: {len(getattr(atlas, table))}")
        """
    ),
    md(
        """
        The short statements the notebooks teach from live in `atlas.facts`, each with a topic and
        its sources. The sources are of several kinds:
        """
    ),
    code(
        """
        pd.DataFrame({
            "facts by topic": atlas.facts["topic"].value_counts(),
        })
        """
    ),
    code('atlas.sources["kind"].value_counts()'),
    md(
        """
        Citing is one call. Here are the two editions of the trigger point manual that many referral
        rows cite:
        """
    ),
    code(
        """
        for reference in atlas.cite(["travell1983upper", "simons1999upper"]):
            print("-", reference)
        """
    ),
    md(
        """
        Teachers can add their own course's muscles, trigger points or zones from a folder of CSV
        files with the same columns; they are validated like the bundled data:
        `dnviz.load_atlas(extra="my_course/")`. `docs/curation.md` explains how to add rows.
        """
    ),
    md(
        """
        ## Try it

        `atlas.find_muscle` understands abbreviations, Latin names, nicknames and small typos. Change
        the name below to one you use in class, run the cell, and read the sources behind that muscle.
        """
    ),
    code(
        """
        muscle = atlas.find_muscle("lev scap")   # try "SCM", "QL", "glute med", "infraspinatis"...
        print(muscle.name, "=", muscle["name"], "| also called:", ", ".join(muscle["synonyms"][:5]))
        for reference in atlas.cite(muscle["source_ids"]):
            print("-", reference)
        """
    ),
    *closing(
        """
        - The suite has nine notebooks; run them in order with `make lab`, or install with pip or conda.
        - Five explorers (muscles, pain finder, safety, screening, quiz) need a live kernel; each
          notebook shows at most one.
        - Present with the slide metadata, `make voila` or JupyterLab's presentation mode, and use
          `theme="present"` on a projector.
        - Every fact is a row with source ids; `atlas.cite` gives the full references.
        - dnviz is for education only.
        """,
        """
        Continue with **[1. Trigger points](01_trigger_points.ipynb)**: what a trigger point is, and
        the atlas explored with pandas.
        """,
    ),
]


# ---------------------------------------------------------------------------------------------
# 01 Trigger points
# ---------------------------------------------------------------------------------------------
NB01 = [
    *opening(
        "1. Trigger points",
        "Notebook 1 of the dnviz teaching suite",
        """
        A myofascial trigger point is a small, very sensitive spot in a taut band of muscle. This
        notebook sets out what the atlas's sources say about trigger points, and what is still
        debated. Then it opens the atlas with pandas: how many muscles and trigger points each body
        area holds, which muscles hold the most, and which lie over the lung.
        """,
        """
        - describe a trigger point (taut band, local and referred pain, weakness, stiffness, reduced
          range of motion) and cite the sources;
        - say which explanations of trigger points are proposed and which questions are open;
        - tell active, passive and latent trigger points apart;
        - explore the atlas with pandas: group, count, filter, and use the ordered
          `pneumothorax_risk` category;
        - find any muscle by name, abbreviation or nickname with `atlas.find_muscle`.
        """,
        """
        [0. Start here](00_start_here.ipynb). Some pandas (`groupby`, `value_counts`, boolean
        filters) helps; every cell says what it does.
        """,
    ),
    md(
        """
        ## What is a trigger point?

        A trigger point lies in a **taut band**, a tight strip of muscle you can feel under the
        fingers. The band can start as a protective response to injury, repetitive movement or a
        sustained posture, and can become a knot if it persists (source: `ferri_dry_needling`). Jafri
        describes myofascial pain syndrome in the same terms: painful taut bands that hold small,
        very sensitive spots, the trigger points (source: `jafri2014mechanisms`).

        A clinical definition adds what provokes it: a hyperirritable spot in a taut band of skeletal
        muscle that hurts when it is pressed, stretched, overloaded or contracted, and that usually
        refers pain to a place away from the spot (source: `mcaphee2022dry`).
        """
    ),
    md(
        """
        ### What a trigger point does

        Trigger points can cause spontaneous **local pain**, **referred pain** felt elsewhere,
        **muscle weakness**, **stiffness** and a **restricted range of motion** (source:
        `ferri_dry_needling`). Jafri lists local and referred pain, reduced range of motion and
        weakness too, together with sensory, motor and autonomic features (source:
        `jafri2014mechanisms`). Referred pain is the subject of notebook 2: a trigger point in the
        neck can hurt in the shoulder (source: `ferri_dry_needling`).

        McAphee and colleagues sort trigger points by how they behave (source: `mcaphee2022dry`):

        | Type | Behaviour |
        |---|---|
        | active | reproduces the patient's familiar pain, whether or not it is touched |
        | passive | painful only when pressed |
        | latent | local and referred pain on pressure, but not the patient's usual pain |
        """
    ),
    md(
        """
        ### What happens inside: ideas, not settled facts

        The seed article links trigger points to an **excess of acetylcholine**, the neurotransmitter
        that makes muscle fibres contract, and explains their pain by **reduced local blood flow**,
        which leaves the spot short of oxygen (**hypoxia**) (source: `ferri_dry_needling`). The
        atlas credits these two ideas to the seed article alone: its curators could not check them
        in the review the article cites.

        Treat them as working hypotheses:

        - There is no clear explanation yet of how trigger points form; the problem spans cell
          signalling, contraction, nerve input, blood flow and energy use, and there is no animal
          model to test ideas on (source: `jafri2014mechanisms`).
        - Jafri proposes that mechanical stress sets off reactive oxygen species signalling that
          destabilizes calcium handling in muscle, which starts and maintains trigger points
          (source: `jafri2014mechanisms`).
        - Ball and colleagues point to a puzzle: the integrated hypothesis treats a trigger point as
          ischaemic and hypoxic, yet the structure they image looks hyperperfused (sources:
          `ball2022reply`, `dommerholt2022contracture`).
        - Even the names are argued over: Dommerholt and Gerwin hold that a trigger point and a
          contracture knot are different things (source: `dommerholt2022contracture`).
        - Finding a trigger point by hand is neither valid nor reliable between examiners, according
          to the studies Dunning and colleagues cite (source: `dunning2014dry`).
        """
    ),
    md(
        """
        ### How common is myofascial pain?

        Jafri's review quotes earlier estimates: myofascial pain is said to affect up to 85% of
        people at some point in life, and its overall prevalence is put at about 46% (source:
        `jafri2014mechanisms`). These are figures quoted in a review, not new measurements.

        Every statement above is a row of `atlas.facts`. Here is the whole topic with its sources:
        """
    ),
    code('show_facts(topic="trigger_points")'),
    code('show_facts("tp_palpation_unreliable")'),
    md(
        """
        ## The atlas as tables

        The anatomy lives in three linked tables: `atlas.muscles` (one row per muscle),
        `atlas.trigger_points` (one row per point, with its muscle) and `atlas.referrals` (one row
        per trigger point and zone of referred pain). Each is a pandas DataFrame indexed by its id.
        """
    ),
    code(
        """
        print(atlas.muscles.columns.tolist())
        atlas.muscles[["name", "synonyms", "body_area", "pneumothorax_risk"]].head()
        """
    ),
    md(
        """
        A trigger point is located by palpable landmarks, in words, and drawn from a landmark of the
        body outline; its id is `<muscle_id>.tp<N>`.
        """
    ),
    code('atlas.trigger_points[["muscle_id", "label", "location", "source_ids"]].head(4)'),
    md(
        """
        ## Muscles and trigger points by body area

        `body_area` is an *ordered* categorical, from head to foot, so `groupby` lists the areas in
        anatomical order. `observed=True` keeps only the areas that occur. To count trigger points per
        area, first `join` each point to its muscle's area.
        """
    ),
    code(
        """
        tps = atlas.trigger_points.join(atlas.muscles[["body_area", "pneumothorax_risk"]], on="muscle_id")

        by_area = pd.DataFrame({
            "muscles": atlas.muscles.groupby("body_area", observed=True).size(),
            "trigger points": tps.groupby("body_area", observed=True).size(),
        })
        by_area
        """
    ),
    md(
        """
        ## Muscles with the most trigger points

        `value_counts` counts the rows per muscle. This is a count of atlas rows, not of biology: the
        manuals sometimes describe a group of nearby points as one (the scalenes have a single row).
        """
    ),
    code(
        """
        counts = atlas.trigger_points["muscle_id"].value_counts().rename("trigger points")
        atlas.muscles[["name", "body_area"]].join(counts).sort_values(
            ["trigger points", "name"], ascending=[False, True]
        ).head(10)
        """
    ),
    md("Most muscles have one to three rows; the distribution:"),
    code(
        """
        atlas.muscles.join(counts)["trigger points"].fillna(0).astype(int).value_counts().sort_index().rename(
            "muscles"
        ).rename_axis("trigger points per muscle")
        """
    ),
    md(
        """
        ## The `pneumothorax_risk` category

        Every muscle carries a pneumothorax risk, an ordered category with three levels: `none` (not
        over the thorax), `caution` (over or near the thorax) and `high` (over lung without a bony
        backstop, or named in pneumothorax case reports or safety guidance). A muscle rated
        `caution` or `high` must name the sources behind its rating in `pneumothorax_source_ids`.
        Because the order is `none < caution < high`, comparisons such as `>= "caution"` work.
        """
    ),
    code(
        """
        risk = atlas.muscles["pneumothorax_risk"]
        print("levels:", risk.cat.categories.tolist(), "| ordered:", risk.cat.ordered)
        risk.value_counts(sort=False)
        """
    ),
    code('pd.crosstab(atlas.muscles["body_area"], atlas.muscles["pneumothorax_risk"])'),
    md(
        """
        Four of the high-risk muscles are neck muscles. That is no mistake: the apex of the lung
        rises into the neck above the medial third of the clavicle, usually about 2.5 cm (source:
        `gray1918_lung_surface`). Each rating names its sources in `pneumothorax_source_ids`, as the
        next table shows; notebook 4 maps the lung.
        """
    ),
    code(
        """
        over_thorax = atlas.muscles[atlas.muscles["pneumothorax_risk"] >= "caution"]
        over_thorax[["name", "body_area", "pneumothorax_risk", "pneumothorax_source_ids"]].sort_values(
            "pneumothorax_risk", ascending=False
        )
        """
    ),
    md(
        """
        ## Search by any name

        Students type muscles the way they say them. `atlas.find_muscle` accepts the id, the name, any
        synonym in the atlas (abbreviations, Latin, nicknames) and small misspellings, and returns
        the muscle's row; the row's `.name` is the muscle id.
        """
    ),
    code(
        """
        # NBVAL_CHECK_OUTPUT
        for typed in ["upper trap", "SCM", "QL"]:
            muscle = atlas.find_muscle(typed)
            print(f"{typed!r:>12} -> {muscle.name} ({muscle['name']})")
        """
    ),
    md(
        """
        A misspelling is forgiven; an ambiguous name raises `dnviz.MuscleNotFoundError` with
        suggestions, rather than guessing:
        """
    ),
    code(
        """
        print(atlas.find_muscle("infraspinatis").name)
        try:
            atlas.find_muscle("glutes")
        except dnviz.MuscleNotFoundError as err:
            print("MuscleNotFoundError:", err)
        """
    ),
    md(
        """
        ## Exercise

        Use the `tps` table built above (each trigger point with its muscle's body area and
        pneumothorax risk).

        1. How many trigger points does the atlas hold in the trunk?
        2. Which head-and-neck muscles carry a `high` pneumothorax risk?
        3. How many trigger points lie in muscles rated `caution` or `high`?

        Replace the `...` and run the cell.
        """
    ),
    code(
        """
        # 1. trigger points in the trunk
        # len(tps[tps["body_area"] == ...])

        # 2. head-and-neck muscles with a high pneumothorax risk
        # atlas.muscles[(atlas.muscles["body_area"] == ...) & (atlas.muscles["pneumothorax_risk"] == ...)]["name"]

        # 3. trigger points in muscles rated caution or high
        # (tps["pneumothorax_risk"] >= ...).sum()
        """
    ),
    *solution(
        """
        print("1. trigger points in the trunk:", len(tps[tps["body_area"] == "trunk"]))
        m = atlas.muscles
        print("2. high risk, head and neck:", ", ".join(m[(m["body_area"] == "head_neck") & (m["pneumothorax_risk"] == "high")]["name"]))
        print("3. trigger points in caution or high muscles:", (tps["pneumothorax_risk"] >= "caution").sum())
        """
    ),
    *closing(
        """
        - A trigger point is a hyperirritable spot in a taut band; it can cause local and referred
          pain, weakness, stiffness and restricted motion (`ferri_dry_needling`, `mcaphee2022dry`,
          `jafri2014mechanisms`).
        - Excess acetylcholine and local hypoxia are proposed explanations; how trigger points form
          is still unclear, and even their naming and palpation are debated.
        - The atlas is a set of linked pandas tables; `body_area` and `pneumothorax_risk` are ordered
          categories, so they sort and compare anatomically and by risk.
        - `atlas.find_muscle` finds a muscle by any name, and says so when a name is ambiguous.
        """,
        """
        Continue with **[2. Referral patterns](02_referral_patterns.ipynb)**: where each trigger point
        sends its pain, drawn on the body map.
        """,
    ),
]


# ---------------------------------------------------------------------------------------------
# 02 Referral patterns
# ---------------------------------------------------------------------------------------------
def classic(muscle: str, heading: str, reading: str) -> list[dict]:
    return [
        md(f"### {heading}"),
        code(f'pattern_table("{muscle}")'),
        code(f'dnviz.plot_body_map(atlas, muscle="{muscle}")'),
        md(reading),
    ]


NB02 = [
    *opening(
        "2. Referral patterns",
        "Notebook 2 of the dnviz teaching suite",
        """
        A trigger point usually refers pain to a place away from the spot itself (source:
        `mcaphee2022dry`): a trigger point in the neck can hurt in the shoulder (source:
        `ferri_dry_needling`). The referral patterns of each muscle were mapped in the trigger point
        manuals (sources such as `travell1983upper` and `simons1999upper`). Knowing them sends you
        to the right muscle. This notebook reads six classic neck and shoulder patterns from the
        atlas, draws them, and opens the muscle explorer.
        """,
        """
        - read a `referral_pattern` table: trigger point, region, kind, laterality, sources;
        - tell essential from spillover zones, and ipsilateral from contralateral or bilateral;
        - describe the patterns of the upper trapezius, levator scapulae, sternocleidomastoid,
          scalenes, suboccipitals and infraspinatus;
        - explore any muscle with `dnviz.explore_muscles`.
        """,
        """
        [1. Trigger points](01_trigger_points.ipynb): what a trigger point is, and the atlas tables.
        """,
    ),
    md(
        """
        ## Reading a referral pattern

        Each row of `atlas.referrals` links one trigger point to one region where it sends pain, with
        its sources. Two columns qualify the link:

        - **`kind`**: an **essential** zone is present in nearly everyone with that trigger point, and
          the manuals draw it solid; a **spillover** zone appears only in some people, and the manuals
          stipple it. dnviz draws them the same way: solid fill for essential, dots for spillover.
        - **`laterality`**: the side of the pain relative to the trigger point: **ipsilateral** (same
          side), **contralateral** (opposite side) or **bilateral** (both sides).

        On the body map a cross marks each trigger point. By default the map draws the trigger points
        of the patient's right side (`side="right"`), and labels under each view say which side is
        which. Hover over a zone or a cross to read it.
        """
    ),
    code(
        """
        display(atlas.referrals["kind"].value_counts())
        atlas.referrals["laterality"].value_counts()
        """
    ),
    md(
        """
        `atlas.referral_pattern(muscle)` gathers one muscle's trigger points and zones, essential
        zones first. This small function keeps the columns we read in class:
        """
    ),
    code(
        """
        def pattern_table(muscle):
            \"\"\"One row per trigger point and zone: where it refers, how reliably, and the sources.\"\"\"
            return atlas.referral_pattern(muscle)[["label", "region_name", "kind", "laterality", "source_ids"]]
        """
    ),
    md(
        """
        ## Neck to shoulder and head: six classic patterns

        Six muscles of the neck and shoulder girdle send pain to the head, neck, shoulder and arm.
        For each: the table, the map, and a short reading.
        """
    ),
    *classic(
        "upper trapezius",
        "Upper trapezius",
        """
        **Reading.** TrP1, on the free anterior border halfway between the base of the neck and the
        acromion, refers to the **angle of the neck**, the **mastoid area** and the **temple**
        (essential), spilling over to the eye and eyebrow and the jaw. TrP2, a little lower on the
        top of the shoulder, refers to the **occiput** and the mastoid area. Pain at the temple can
        thus start at the top of the shoulder (sources: `travell1983upper`,
        `medlink_mps_upper_trapezius`, `namtpt_upper_trapezius`). The upper trapezius lies over the
        lung apex: the atlas rates its pneumothorax risk `high` (notebook 4).
        """,
    ),
    *classic(
        "levator scapulae",
        "Levator scapulae",
        """
        **Reading.** Both trigger points, at the angle of the neck and just above the superior angle
        of the scapula, refer to the **angle of the neck** and along the **medial border of the
        scapula** (essential), with spillover to the back of the shoulder and the inferior angle of
        the scapula (sources: `travell1983upper`, `medlink_mps_levator_scapulae`). Its essential zone
        at the angle of the neck overlaps the upper trapezius's: pain there alone cannot tell the two
        apart.
        """,
    ),
    *classic(
        "sternocleidomastoid",
        "Sternocleidomastoid",
        """
        **Reading.** A neck muscle with a head-and-face pattern. The sternal division refers to the
        **cheek**, **eye and eyebrow**, **occiput** and **vertex** (its middle and upper points) and
        to the **sternal area** (its lowest point), with spillover to the throat. The clavicular
        division refers to the **forehead**, the **ear and TMJ** and the **mastoid area** (sources:
        `travell1983upper`, `medlink_mps_sternocleidomastoid`, `namtpt_sternocleidomastoid`).
        """,
    ),
    *classic(
        "scalenes",
        "Scalenes",
        """
        **Reading.** The scalene trigger points, low on the side of the neck, refer a long way: to the
        **upper chest**, the **lateral arm** and the **medial border of the scapula** (essential),
        spilling over down the radial forearm to the thumb and the backs of the fingers, and to the
        interscapular area (sources: `travell1983upper`, `medlink_mps_scalenes`, `namtpt_scalenes`).
        Arm pain can come from the neck: notebook 3 meets the scalenes again in an arm-pain case.
        """,
    ),
    *classic(
        "suboccipitals",
        "Suboccipitals",
        """
        **Reading.** Just below the occiput, the suboccipital trigger points refer to the **occiput**
        and **behind the eye** (essential), spilling over to the forehead and the temple (sources:
        `dc_headache_neck_muscles`, `aberdeen_suboccipitals`, `naokootani_temple_headache`). The
        needle here works near the upper cervical spinal cord, a high-risk danger zone (notebook 4).
        """,
    ),
    *classic(
        "infraspinatus",
        "Infraspinatus",
        """
        **Reading.** A muscle on the back of the scapula that hurts at the front: its two main
        trigger points below the spine of the scapula refer deep into the **front of the shoulder**
        (essential), spilling over down the front and side of the arm, the radial forearm, the thumb
        and the back of the hand (sources: `travell1983upper`, `medlink_infraspinatus_fig`,
        `aberdeen_infraspinatus`, `fitness_vip_lateral_scapula`). A third, infrequent point at the
        lower medial border refers along the medial border of the scapula.
        """,
    ),
    md(
        """
        ## Two patterns on one map

        Give `plot_body_map` a list of muscles to compare them; each gets its own colour. The upper
        trapezius and the levator scapulae share the angle of the neck:
        """
    ),
    code(
        """
        dnviz.plot_body_map(
            atlas,
            muscle=["upper trapezius", "levator scapulae"],
            title="Upper trapezius and levator scapulae: a shared zone at the angle of the neck",
        )
        """
    ),
    md(
        """
        Overlaps like this one are why pain location alone suggests candidates but does not decide
        between them; notebook 3 turns the question around.
        """
    ),
    md(
        """
        ## The muscle explorer

        The explorer below opens on the upper trapezius. Try it:

        - type a muscle in **Muscle** (any name, abbreviation or nickname: `SCM`, `lev scap`, `QL`,
          `glute min`), or browse by **Area**;
        - switch **Side** to *Left* or *Both* and watch the zones follow their laterality;
        - read the card: attachments, action, innervation, needling notes, structures at risk, the
          pneumothorax risk, and the sources, each a link;
        - hover over a zone or a cross for its name.

        An unknown name shows a message in the explorer and leaves the map as it was. You can also
        drive the explorer from code: `explorer.select("infraspinatus")`.
        """
    ),
    code(
        """
        explorer = dnviz.explore_muscles(atlas, muscle="upper trapezius")
        explorer
        """
    ),
    md(
        """
        ## Exercise

        1. Which muscles refer pain to the **temple**, and is the zone essential or spillover for
           each? Hint: filter `atlas.referrals` on `region_id`, then join `atlas.trigger_points`
           to get the muscle.
        2. Pick a muscle of the lower limb in the explorer. Which of its zones are essential?
        3. Draw the sternocleidomastoid of the **left** side with `plot_body_map(..., side="left")`.
        """
    ),
    code(
        """
        temple = atlas.referrals[atlas.referrals["region_id"] == atlas.region("temple")]
        # temple.join(atlas.trigger_points["muscle_id"], on="tp_id")[...]
        """
    ),
    *solution(
        """
        temple_muscles = temple.join(atlas.trigger_points["muscle_id"], on="tp_id")
        temple_muscles = temple_muscles.join(atlas.muscles["name"], on="muscle_id")
        print(temple_muscles[["name", "kind", "laterality"]].drop_duplicates().to_string(index=False))
        dnviz.plot_body_map(atlas, muscle="SCM", side="left")
        """
    ),
    *closing(
        """
        - Each referral row links a trigger point to a region, as an **essential** zone (nearly always
          present, drawn solid) or a **spillover** zone (sometimes present, stippled), on the same,
          opposite or both sides.
        - Neck muscles refer to the head (upper trapezius to the temple, sternocleidomastoid to the
          face, suboccipitals behind the eye) and to the arm (scalenes); the infraspinatus refers to
          the front of the shoulder.
        - Patterns overlap (upper trapezius and levator scapulae at the angle of the neck), so a
          painful region points to several candidates.
        - `dnviz.explore_muscles` shows any muscle's pattern with a cited card.
        """,
        """
        Continue with **[3. The pain finder](03_pain_finder.ipynb)**: start from where it hurts and
        work back to the muscles that could explain it.
        """,
    ),
]


# ---------------------------------------------------------------------------------------------
# 03 Pain finder
# ---------------------------------------------------------------------------------------------
def case(n: int, heading: str, regions: list[str], side: str, check: bool, discussion: str) -> list[dict]:
    regions_src = "[" + ", ".join(f'"{r}"' for r in regions) + "]"
    cells = [
        md(f"## Case {n}: {heading}"),
        code(
            f"""
            case{n}_regions = {regions_src}
            case{n} = atlas.candidates(case{n}_regions, side="{side}")
            case{n}.head(6)[["rank", "name", "side", "n_regions", "n_essential", "matched"]]
            """
        ),
    ]
    if check:
        cells.append(
            code(
                f"""
                # NBVAL_CHECK_OUTPUT
                for row in case{n}.head(3).itertuples():
                    print(row.rank, row.muscle_id, row.side)
                """
            )
        )
    cells += [
        md(
            "The top candidate's pattern over the marked pain (blue). Marked pain left uncovered is pain it does not explain."
        ),
        code(
            f"""
            top = case{n}.iloc[0]
            dnviz.plot_body_map(
                atlas,
                muscle=top["muscle_id"],
                regions=[(region, "{side}") for region in case{n}_regions],
                side="{side}",
                title=f"Case {n}: {{top['name']}} ({side}) against the marked pain",
            )
            """
        ),
        code(
            """
            print(f"Why {top['name']} ranks first:")
            for reason in top["why"].split("; "):
                print("-", reason)
            """
        ),
        md(discussion),
    ]
    return cells


NB03 = [
    *opening(
        "3. The pain finder",
        "Notebook 3 of the dnviz teaching suite: from where it hurts to which muscle",
        """
        In the clinic the question runs backwards: the patient shows where it hurts, and you must
        work out which trigger points could send pain there. `atlas.candidates` does the reverse
        look-up over every referral zone in the atlas, respects left and right, ranks the muscles and
        explains each rank. This notebook works three cases by hand, then hands you the interactive
        pain finder.
        """,
        """
        - turn a pain drawing into regions and a side, and call `atlas.candidates`;
        - read the ranking: regions explained first, essential zones second;
        - check a candidate against the pain on a body map;
        - explain why a ranked list is a set of hypotheses for the examination, not a diagnosis;
        - use `dnviz.pain_finder` to mark pain by clicking.
        """,
        """
        [2. Referral patterns](02_referral_patterns.ipynb): essential and spillover zones, laterality.
        """,
    ),
    md(
        """
        ## How the reverse look-up works

        `atlas.candidates(regions, side=...)` takes the painful regions (ids or names) and the side
        of the pain. For every trigger point it asks whether one of its zones, on that side once
        laterality is applied, covers each region. Muscles are ranked:

        1. by how many of the painful regions they explain,
        2. then by how many of those are **essential** zones,
        3. then by name.

        The `why` column says which trigger point explains which region, and how. A group region
        stands for all of its parts:
        """
    ),
    code(
        """
        print("neck =", atlas.leaf_regions("neck"))
        print("'Angle of the neck' is region", repr(atlas.region("Angle of the neck")))
        """
    ),
    md(
        """
        A ranked list is where the examination starts, not where it ends. The clinician then looks for
        a trigger point in the candidate muscles that reproduces the patient's familiar pain (an
        *active* trigger point; source: `mcaphee2022dry`), knowing that finding trigger points by
        hand is neither valid nor reliable between examiners (source: `dunning2014dry`).
        """
    ),
    *case(
        1,
        "left temple and left angle of the neck",
        ["temple", "posterolateral_neck"],
        "left",
        True,
        """
        **Discussion.** The upper trapezius explains both regions with essential zones: its TrP1
        refers to the temple and the angle of the neck (sources: `travell1983upper`,
        `medlink_mps_upper_trapezius`). The splenius cervicis also explains both, but reaches the
        temple only as spillover, so it ranks second. The levator scapulae explains the neck and not
        the temple. The examination would start at the upper trapezius and the splenius cervicis on
        the left. Remember the safety side: the upper trapezius lies over the lung apex, and the atlas
        rates its pneumothorax risk `high` (notebook 4).
        """,
    ),
    *case(
        2,
        "right lateral arm, right front of the shoulder and right radial forearm",
        ["lateral_arm", "anterior_shoulder", "radial_forearm"],
        "right",
        False,
        """
        **Discussion.** The infraspinatus explains all three regions, but only one of them (the front
        of the shoulder) with an essential zone; the lateral arm and radial forearm are spillover
        (sources: `travell1983upper`, `fitness_vip_lateral_scapula`, `cyberpt_infraspinatus`). The
        deltoid explains two regions, both essential, and the scalenes and supraspinatus also explain
        two. Because regions come first in the ranking, a muscle that covers everything through
        spillover can outrank one that covers less but more reliably. Keep both in mind: the scalenes
        are a reminder that arm pain can come from the neck. The infraspinatus is one of the muscles
        needled before a reported pneumothorax (source: `patel2019pneumothorax`).
        """,
    ),
    *case(
        3,
        "left buttock, left lateral thigh and left lateral leg",
        ["buttock", "lateral_thigh", "lateral_leg"],
        "left",
        False,
        """
        **Discussion.** The gluteus minimus explains all three regions with essential zones from its
        anterior trigger points, so it ranks first by a clear margin; the atlas lists
        "pseudo-sciatica muscle" among its nicknames, fitting for this long pattern down the side of
        the leg. The gluteus medius and quadratus lumborum each explain two regions. Needling the
        quadratus lumborum brings its own danger zone: lateral to the upper lumbar spine a deep
        needle can reach the kidney, and just under the 12th rib the pleura (sources:
        `jmmt2020upperlumbar`, `chaurasia_surface_marking_pleura`).
        """,
    ),
    md(
        """
        ## Your turn: the pain finder

        The pain finder does the same look-up as you click.

        - **Mark pain** by clicking a region on either view, or pick a **Region** and a **Side** above
          the map and press **Mark**. Click a marked region again to unmark it; **Clear all** starts
          over. Left and right are kept apart.
        - The **Candidates** list updates at once: rank, muscle, side, regions explained and how many
          of them are essential.
        - **Select a candidate** to draw its pattern over your marks and read why it ranks where it
          does.

        Try case 1 again by clicking, then change one region and watch the ranking move.
        """
    ),
    code(
        """
        finder = dnviz.pain_finder(atlas)
        finder
        """
    ),
    md(
        """
        ## Exercise

        Write your own case in code. A patient has pain at the **back of the right shoulder** and
        along the **right medial scapular border**.

        1. Which muscles rank in the top three?
        2. Which of them carry a `high` pneumothorax risk? (Join `atlas.muscles["pneumothorax_risk"]`.)
        3. Draw the top candidate over the marked pain.
        """
    ),
    code(
        """
        my_regions = ["posterior_shoulder", "medial_scapular_border"]
        my_case = atlas.candidates(my_regions, side="right")
        # my_case.head(3).join(..., on="muscle_id")
        """
    ),
    *solution(
        """
        ranked = my_case.head(3).join(atlas.muscles["pneumothorax_risk"], on="muscle_id")
        print(ranked[["rank", "name", "n_regions", "n_essential", "pneumothorax_risk"]].to_string(index=False))
        dnviz.plot_body_map(
            atlas,
            muscle=ranked.iloc[0]["muscle_id"],
            regions=[(region, "right") for region in my_regions],
            side="right",
        )
        """
    ),
    *closing(
        """
        - `atlas.candidates(regions, side=...)` ranks muscles by how many painful regions their
          referral zones explain, then by essential zones, and says why.
        - Case 1 (left temple and angle of the neck) points first to the upper trapezius; case 2
          (right lateral arm, front of the shoulder, radial forearm) to the infraspinatus, with the
          deltoid, scalenes and supraspinatus close; case 3 (left buttock, lateral thigh and leg) to
          the gluteus minimus.
        - The list is a set of hypotheses for the examination, which has its own limits.
        - Several top candidates lie over the lung: safety comes next.
        """,
        """
        Continue with **[4. Safety zones](04_safety_zones.ipynb)**: where the lung lies under the
        needle, and how to keep the needle out of it.
        """,
    ),
]


# ---------------------------------------------------------------------------------------------
# 04 Safety zones
# ---------------------------------------------------------------------------------------------
WARNING_BOX = """
## Warning signs after a session

<div class="alert alert-block alert-danger" style="border-left: 6px solid #8b0000; background: #fdecea; padding: 0.8em 1.2em; color: #3b0000;">
<p><b>Emergency: get help at once</b></p>
<ul>
<li><b>Shortness of breath</b> or <b>major bleeding</b> after a session needs emergency services at once: it may mean organ damage or infection (source: <code>ferri_dry_needling</code>).</li>
<li>After needling near the chest, <b>chest pain</b> (often worse on breathing), <b>shortness of breath</b>, a dry cough or malaise are warning signs of a pneumothorax; patients should be told to seek medical care if they appear (sources: <code>patel2019pneumothorax</code>, <code>mintken2025pneumothorax</code>, <code>ahpcsa_bn121_thorax</code>).</li>
<li><b>Symptoms can come late</b>: chest pain about 2 hours after deep needling of the back (source: <code>plexusmd_radiology_case</code>); breathlessness, chest pain and dry cough building up over 2 days (sources: <code>mintken2025pneumothorax</code>, <code>evms_dn_double_edged</code>); a first visit for pleuritic chest pain the next day (source: <code>weagle2021cureus</code>).</li>
<li>A pneumothorax may cause severe pain at once, or only an ache with or without breathlessness (source: <code>ahpcsa_bn121_thorax</code>). An unusually sharp pain during insertion over the thorax can be the first sign that the pleura was reached (source: <code>mintken2025pneumothorax</code>).</li>
</ul>
<p>Tell every patient needled near the chest what to watch for before they leave.</p>
</div>
"""

NB04 = [
    *opening(
        "4. Safety zones",
        "Notebook 4 of the dnviz teaching suite: where a needle must not go",
        """
        A rare but dangerous complication of needling over the chest is a pneumothorax, a collapsed
        lung, when the needle punctures it (source: `ferri_dry_needling`); the case reports below
        show that needling of the neck and the upper back can cause it too. This notebook maps the
        pleura and lung on the body surface, explains the safety overlay and its risk tiers, compares
        needle lengths with published depths, and gathers what technique, case reports and incidence
        figures teach. It ends with the warning signs every patient must know.
        """,
        """
        - draw the surface projection of the pleura and lung from landmarks, and name its key levels;
        - read the safety overlay and its tiers: high, caution, low;
        - read published skin-to-pleura depths and their limits, and use `atlas.needle_check`;
        - name the technique points that lower the risk, and say why none removes it;
        - list the warning signs after a session that need emergency care.
        """,
        """
        [1. Trigger points](01_trigger_points.ipynb) (the `pneumothorax_risk` column) and
        [3. The pain finder](03_pain_finder.ipynb). Basic thoracic anatomy: ribs, costal cartilages,
        clavicle, scapula.
        """,
    ),
    md(
        """
        ## Where the pleura lies: surface anatomy

        The lung sits inside the parietal pleura, and the pleura reaches further than most students
        expect:

        - **Above the clavicle.** The lung apex and cervical pleura rise into the neck above the medial
          third of the clavicle, usually about 2.5 cm (sources: `gray1918_lung_surface`,
          `chaurasia_surface_marking_pleura`, `oganatomy_lung_surface`), from barely at all up to
          4 to 5 cm (source: `gray1918_lung_surface`). A needle entering just above the clavicle can
          cause a pneumothorax (source: `ellis_clinical_anatomy_thorax`).
        - **In front.** The pleural lines pass behind the sternoclavicular joints and meet near the
          midline at the sternal angle; on the left the line swings out at the 4th costal cartilage
          to make room for the heart (sources: `ellis_clinical_anatomy_thorax`,
          `chaurasia_surface_marking_pleura`).
        - **Below: the "two ribs" rule.** The pleura's lower edge crosses rib 8 at the midclavicular
          line, rib 10 at the midaxillary line and rib 12 beside the spine; the lung's lower border
          lies two ribs higher, at ribs 6, 8 and 10 (sources: `ellis_clinical_anatomy_thorax`,
          `oganatomy_lung_surface`, `epomedicine_pleura_lung`). The strip between them, the
          costodiaphragmatic recess, is still pleural space (source: `epomedicine_pleura_lung`),
          and the lung's lower border moves 5 to 8 cm between full breathing in and out (source:
          `ellis_clinical_anatomy_thorax`).
        - **Behind.** The lungs reach medially to the costovertebral joints from C7 to T10, so the
          strip beside the spine overlies lung (source: `gray1918_lung_surface_p1311`); near the
          spine the pleura dips about 1 cm below the 12th rib (sources: `ellis_clinical_anatomy_thorax`,
          `radiologyweb_pleura_mnemonic`).
        """
    ),
    code('show_facts(topic="surface_anatomy")'),
    md(
        """
        ## The safety overlay

        `plot_body_map(atlas, safety=True)` builds these shapes from the landmarks of the body outline,
        following the recipe above. Reading the legend:

        | On the map | Meaning |
        |---|---|
        | hatched `/`, dark | **high**: pleura and lung with no bony backstop (including the apex band above the clavicle) |
        | hatched `\\`, light | **caution**: pleura under the blade of the scapula or the sternum |
        | solid line / dashed line | the pleura's outline / the lung's edge at quiet breathing |
        | fine dots between them | the pleural recess, where the lung's edge moves with breathing |
        | shaded band above the clavicle (front view) | where the apex may lie: 0 to 5 cm above the clavicle |
        | crossed circles and shapes, dotted outline | other danger zones: nerves, vessels, kidney, spinal cord |

        Hover over any shape to read what it is. The shapes are schematic: they show where to think,
        not where it is safe.
        """
    ),
    code("dnviz.plot_body_map(atlas, safety=True)"),
    md(
        """
        ## Risk tiers

        The overlay's tiers come from `atlas.safety_tiers`, each with its meaning, what it means for
        technique, and its sources. `high` covers needle paths that can reach pleura with no bone in
        the way, where skin-to-pleura depth can be under 2 cm in thin people.
        """
    ),
    code('atlas.safety_tiers[["name", "meaning", "technique", "source_ids"]]'),
    md("The muscles the atlas rates `high`, each with the sources for that rating:"),
    code(
        """
        high = atlas.muscles[atlas.muscles["pneumothorax_risk"] == "high"]
        high[["name", "body_area", "pneumothorax_source_ids"]]
        """
    ),
    md(
        """
        ## Published depths

        How deep is the pleura? `atlas.depths` holds every published statistic the atlas could verify,
        with its method, end-point, population and sex. Read the end-point first: some rows measure to
        the pleura, one to the rib, one to any dangerous tissue, and the cadaver rows record whether a
        needle of a given length breached the pleural space.
        """
    ),
    code(
        """
        atlas.depths[
            ["site_name", "method", "end_point", "population", "n", "sex", "mean_mm", "sd_mm", "min_mm", "max_mm",
             "breach_fraction", "source_id"]
        ]
        """
    ),
    md(
        """
        Three lessons from this table:

        - **The lung apex can be shallow.** At GB21, on top of the shoulder in the upper trapezius,
          ultrasound put the pleura at a mean of 14.6 mm in women and 17.4 mm in men (healthy adults
          in Taiwan; source: `chen2018gb21`).
        - **Build matters, and people vary.** Skin-to-pleura depth grows with weight and BMI, so thin
          patients have the lung closest to the skin, and individual variation is large (sources:
          `chen2018gb21`, `chou2015mri`, `chu2018gb21posture`, `hung2011interscapular`).
        - **Methods disagree.** In elderly embalmed cadavers, a 30 mm needle perpendicular into mid
          upper trapezius never reached the pleural space, while 40 to 60 mm needles sometimes did
          (source: `kearns2022trapezius`). A different site, direction and population from the GB21
          ultrasound: neither number is a rule for the patient in front of you.
        """
    ),
    md(
        """
        ## Checking a needle length at GB21

        `atlas.needle_check(site, needle_mm, sex=None, bmi=None)` compares a needle length with every
        published depth at a site that fits the person. Its level is `reaches` (at least as long as a
        published mean or minimum depth, or as a needle that breached the pleura in cadavers),
        `close`, or `below`. It never says "safe": a mean describes a group, not the patient.

        Three people, one site. First the full answer for a thin woman and a 25 mm needle:
        """
    ),
    code(
        """
        people = {
            "thin woman (BMI 17.5)": dict(sex="female", bmi=17.5),
            "average build (BMI 22)": dict(bmi=22),
            "heavy man (BMI 32)": dict(sex="male", bmi=32),
        }
        check = atlas.needle_check("gb21", 25, **people["thin woman (BMI 17.5)"])
        print(check)
        """
    ),
    md("Now the level for each person, with a 15 mm and a 25 mm needle:"),
    code(
        """
        # NBVAL_CHECK_OUTPUT
        for needle_mm in (15, 25):
            for who, build in people.items():
                check = atlas.needle_check("gb21", needle_mm, **build)
                print(f"{needle_mm} mm, {who}: {check.level}")
        """
    ),
    md(
        """
        A 25 mm needle is longer than the mean depth to the pleura at GB21 for everyone. Even a 15 mm
        needle reaches the women's mean; for the heavy man it is only `close`, and `close` is not
        reassurance: no depth is published for his BMI group, and thin people sit far below the mean
        (read the caveats printed with each check). The same muscle measured another way gives
        another answer:
        """
    ),
    code(
        """
        for needle_mm in (30, 40):
            check = atlas.needle_check("ut_mid", needle_mm)
            print(f"{needle_mm} mm, upper trapezius mid belly (cadavers): {check.level}: {check.headline}")
        """
    ),
    md(
        """
        ## Technique: grip, bracket, direction, length

        The sources agree on four habits over the thorax, and on their limits:

        - **Direction away from the lung**, and where possible **lift the muscle in a pincer grip** and
          needle tangentially (source: `ahpcsa_bn121_thorax`). On MRI, paths angled 30 degrees
          laterally from the upper trapezius did not cross the pleura, while 30 degree medial paths
          were the shortest route to it (source: `wanichanon_lung_apex_mri`).
        - **Rib bracketing.** Over a rib, fix the trigger point between two fingers in the intercostal
          spaces either side so that the needle meets bone (sources: `ahpcsa_bn121_thorax`,
          `myopain_intercostal_blocking`). It lowers but does not remove the risk: a pneumothorax has
          followed it in the interscapular region (source: `mintken2025pneumothorax`).
        - **Needle length by build.** A 3.1 cm needle has reached lung; in cadavers the distance to
          lung at the angle of the neck averaged 3.3 cm (source: `ahpcsa_bn121_thorax`).
        - **One side at a time.** Do not needle both sides of the thorax, to avoid a bilateral
          pneumothorax (source: `ahpcsa_bn121_thorax`); over the lungs, a superficial technique is
          suggested (source: `kalichman2010dry`).

        Position and breathing shift the margins: a bolster under the shoulder added about 0.7 cm of
        depth in prone (source: `mitchell2019positional`), and at GB21 the safe depth was greater
        prone than sitting and in full expiration (source: `chu2018gb21posture`).
        """
    ),
    code(
        """
        show_facts(
            "tech_direct_away", "tech_bracketing", "tech_bracketing_not_failsafe", "tech_needle_length_build",
            "tech_30mm_ut", "tech_lateral_path_ut", "tech_not_bilateral", "tech_superficial", "tech_bolster",
            "tech_prone_expiration", "tech_ultrasound",
        )
        """
    ),
    md(
        """
        ## What case reports teach

        Each report below is one patient, not a rate; together they show where things go wrong:

        - **the neck and the apex**: posterior cervical needling followed by an apical pneumothorax
          (source: `evms_dn_double_edged`);
        - **the shoulder blade**: needling of infraspinatus, supraspinatus, rhomboids and paraspinals
          followed by an apical pneumothorax (source: `patel2019pneumothorax`);
        - **technique is no guarantee**: a pneumothorax after interscapular needling with rib
          bracketing (source: `mintken2025pneumothorax`);
        - **both sides at once**: bilateral pneumothoraces after one session in a young woman with
          low-normal BMI (sources: `irmedj2022bilateral`, `ahpcsa_bn121_thorax`);
        - **teaching is not exempt**: a pneumothorax after a deep needling demonstration on the
          iliocostalis (source: `cummings2014pneumothorax`).
        """
    ),
    code('show_facts(topic="case_report")'),
    md(
        """
        ## Other danger zones

        The lung is not the only structure in reach. `atlas.danger_zones` lists the others on the
        overlay (crossed shapes), with the muscles whose needling approaches each one:
        """
    ),
    code('atlas.danger_zones[["name", "tier_id", "muscle_ids", "what_it_means", "source_ids"]]'),
    md(
        """
        ## How often does it happen?

        Serious events are rare, and most of the numbers come from acupuncture, not dry needling:

        - An Irish survey of 7629 dry needling treatments recorded no significant adverse event,
          putting the upper limit of the rate at 0.04% or less (source: `brady2014adverse`).
        - A US survey of 20,464 dry needling sessions recorded 20 major adverse events, about 1 per
          1,024 sessions; pneumothorax was one of the event types asked about (source:
          `boyce2020adverse`).
        - In a Taiwanese insurance cohort, pneumothorax needing hospital care followed 0.87 per million
          acupuncture treatments, and 1.75 per million in anatomically at-risk areas (source:
          `lin2019pneumothorax`).
        - A South African guideline quotes an incidence below 1 in 100,000 but warns that the true rate
          for thoracic needling may be higher, because the data cover all body regions (source:
          `ahpcsa_bn121_thorax`).

        Rare is not never. The same Taiwanese cohort found higher odds after thoracic surgery and in
        emphysema, lung cancer, tuberculosis, chronic bronchitis, previous pneumonia, and in men
        (source: `lin2019pneumothorax`); notebook 6 turns these into screening questions.
        """
    ),
    code('show_facts(topic="incidence")'),
    code('show_facts(topic="risk_factor")'),
    md(WARNING_BOX),
    code(
        """
        symptoms = atlas.facts.index[atlas.facts["topic"] == "symptoms"]
        show_facts("seed_emergency", *symptoms)
        """
    ),
    md(
        """
        ## Educational use only

        Nothing in this notebook is a safe depth or a safe technique for a patient. It is a map of
        where to be careful, drawn from published sources:
        """
    ),
    code("print(dnviz.DISCLAIMER)"),
    md(
        """
        ## Explore: needle length, site and build

        The safety explorer joins the overlay and `needle_check`:

        - choose a **Site** with published depths (GB21, upper trapezius, interscapular, anterior and
          lateral chest wall);
        - move the **Needle (mm)** slider, and set **Sex** and **Build**;
        - read the verdict line and the report: every study with its population and end-point, the
          caveats, and the sources as links.

        Find the shortest needle that `reaches` at each site for a thin woman, then for a heavy man.
        """
    ),
    code(
        """
        safety = dnviz.explore_safety(atlas)
        safety
        """
    ),
    md(
        """
        ## Exercise

        The anterior chest wall at the 2nd intercostal space, midclavicular line (site `ics2_mcl`),
        lies over pectoralis major.

        1. Check a 30 mm needle there for a woman and for a man. What level does each get, and which
           studies does the answer rest on?
        2. Even a level of `below` would not be a green light. Why? Find two reasons in the printed
           caveats.
        """
    ),
    code(
        """
        for sex in ("female", "male"):
            check = atlas.needle_check("ics2_mcl", 30, sex=sex)
            print(sex, "->", check.level)
        # print(check) shows the studies and the caveats
        """
    ),
    *solution(
        """
        check = atlas.needle_check("ics2_mcl", 30, sex="female")
        print(check)
        print()
        print("Studies:", ", ".join(dict.fromkeys(check.findings["source_id"])))
        """
    ),
    *closing(
        """
        - The pleura rises about 2.5 cm (0 to 5 cm) above the medial clavicle, reaches the spine behind
          from C7 to T10, and lies two ribs below the lung (8, 10, 12 against 6, 8, 10).
        - The overlay marks **high** risk where no bone protects the pleura and **caution** under the
          scapula and sternum; other danger zones mark nerves, vessels, kidney and cord.
        - Published depths are group means: at GB21 the pleura averaged under 2 cm. `needle_check`
          compares, names its studies, and never says "safe".
        - Pincer grip, tangential direction away from the lung, rib bracketing, length by build, one
          side at a time: each lowers the risk, none removes it.
        - Shortness of breath or chest pain after a session, even hours or days later, needs urgent
          care.
        """,
        """
        Continue with **[5. Dry needling and acupuncture](05_dry_needling_and_acupuncture.ipynb)**: how
        the two methods differ, the techniques and the needles.
        """,
    ),
]


# ---------------------------------------------------------------------------------------------
# 05 Dry needling and acupuncture
# ---------------------------------------------------------------------------------------------
NB05 = [
    *opening(
        "5. Dry needling and acupuncture",
        "Notebook 5 of the dnviz teaching suite",
        """
        Dry needling and acupuncture use similar needles but different maps and different aims. This
        notebook sets out how they differ, what "dry" means, the techniques named in the seed
        article, and how broadly or narrowly dry needling is defined.
        """,
        """
        - contrast dry needling and acupuncture: the map, the aim and the history;
        - explain what makes a needle "dry" and what wet needling is;
        - name the common dry needling techniques;
        - build a small comparison table with pandas, citing a source for every cell.
        """,
        """
        [1. Trigger points](01_trigger_points.ipynb). No pandas beyond building a DataFrame from a list.
        """,
    ),
    md(
        """
        ## Two traditions, two maps

        **Dry needling** places needles into or near trigger points, to relieve pain and to correct
        imbalances in muscle and joint motion. **Acupuncture** places them on meridians, the energy
        pathways of Traditional Chinese Medicine, for a wide range of conditions (source:
        `ferri_dry_needling`). Dry needling is the younger of the two: it was developed in the 1980s,
        modelled on acupuncture (source: `ferri_dry_needling`).

        So the tool is similar and the map differs: the trigger points of notebooks 1 to 3 on one
        side, the meridians on the other.
        """
    ),
    md(
        """
        ### What counts as dry needling

        - The seed article describes fine, short stainless-steel needles inserted through the skin
          into muscle at trigger points, to relieve muscle pain and improve joint range of motion,
          aiming for a local twitch response (source: `ferri_dry_needling`).
        - The American Physical Therapy Association's definition, as quoted by McAphee and colleagues,
          is broader: a thin filiform needle stimulates trigger points, muscle and connective tissue to
          manage neuromusculoskeletal pain and movement problems (source: `mcaphee2022dry`).
        - Dunning and colleagues go further still: needles may go into muscle, ligament, tendon,
          subcutaneous fascia and scar, and near peripheral nerves, not only into trigger points; they
          contrast this with some US state boards that define dry needling narrowly, as intramuscular
          treatment of trigger points (source: `dunning2014dry`).
        """
    ),
    code('show_facts(topic="dry_needling")'),
    md(
        """
        ## The techniques

        The seed article names three common techniques (source: `ferri_dry_needling`):

        - **superficial dry needling**;
        - **pistoning**, also called **sparrow pecking** or the **in-and-out technique**: the needle
          moves repeatedly in and out of the trigger point;
        - **non-trigger-point dry needling**: needling the tissue around the painful area rather than
          the trigger point itself.

        Over the lungs and large vessels a superficial technique is suggested (source:
        `kalichman2010dry`). When the needle enters a trigger point, Dunning and colleagues describe its
        tip touching small nerve endings, "sensitive loci" (source: `dunning2014dry`). The atlas
        records no doses (depth, time, number of passes) for these techniques, because its sources do
        not give them.
        """
    ),
    code(
        'show_facts("seed_technique_superficial", "seed_technique_pistoning", "seed_technique_non_trp", "tech_superficial", "dn_sensitive_loci")'
    ),
    md(
        """
        ## The needles

        Dry needling uses **solid filiform needles of 25 gauge or thinner**, and nothing is injected:
        that is why it is called dry (source: `ferri_dry_needling`). **Wet needling** uses hollow
        needles to inject substances such as corticosteroids, anaesthetics or botulinum toxin; dry
        needles are thin and solid, like acupuncture needles (source: `dunning2014dry`).
        """
    ),
    code('show_facts(topic="needles")'),
    md(
        """
        ## Part of a treatment, not all of it

        Dry needling is often combined with stretching, massage, ultrasound, electrical nerve
        stimulation and heat (source: `ferri_dry_needling`). In the neck-pain trial of notebook 7, for
        example, deep dry needling was added to stretching and compared with stretching alone (source:
        `cerezotellez2016neck`).
        """
    ),
    code('show_facts("seed_dn_combined")'),
    md(
        """
        ## Exercise: a comparison table

        A comparison table is only as good as its sources. The cell below builds one with pandas, with
        the fact id behind each row; the last column looks up the sources in `atlas.facts`, so every
        cell of the table can be traced.
        """
    ),
    code(
        """
        rows = [
            ("Where the needle goes", "into or near trigger points", "on meridians (energy pathways)", "seed_dn_vs_acupuncture"),
            ("Aim", "relieve pain; correct muscle and joint-motion imbalances", "a wide range of conditions", "seed_dn_vs_acupuncture"),
            ("Origin", "developed in the 1980s, modelled on acupuncture", "Traditional Chinese Medicine", "seed_dn_history"),
        ]
        comparison = pd.DataFrame(rows, columns=["aspect", "dry needling", "acupuncture", "fact_id"]).set_index("aspect")
        comparison["sources"] = atlas.facts.loc[comparison["fact_id"], "source_ids"].to_numpy()
        comparison
        """
    ),
    md(
        """
        **Your turn.** Add two rows and rebuild the table:

        1. **"Needle"**: what kind of needle each uses. Use fact `dn_vs_wet_needling`.
        2. **"Targets beyond trigger points"**: what else dry needles may go into. Use fact
           `dn_targets`; for acupuncture, write what the atlas says (and only that).

        Every cell must be backed by the fact you name: if the atlas has nothing to say, write
        "not in the atlas".
        """
    ),
    code(
        """
        my_rows = rows + [
            # ("Needle", "...", "...", "dn_vs_wet_needling"),
        ]
        """
    ),
    *solution(
        """
        my_rows = rows + [
            ("Needle", "thin solid needle; nothing injected", "thin solid needle (dry needles are like acupuncture needles)", "dn_vs_wet_needling"),
            ("Targets beyond trigger points", "muscle, ligament, tendon, fascia, scar; near nerves", "not in the atlas", "dn_targets"),
        ]
        mine = pd.DataFrame(my_rows, columns=["aspect", "dry needling", "acupuncture", "fact_id"]).set_index("aspect")
        mine["sources"] = atlas.facts.loc[mine["fact_id"], "source_ids"].to_numpy()
        mine
        """
    ),
    *closing(
        """
        - Dry needling targets trigger points to relieve pain and restore movement; acupuncture uses
          meridians for a wide range of conditions; dry needling dates from the 1980s and was modelled
          on acupuncture (`ferri_dry_needling`).
        - Definitions range from intramuscular trigger point treatment to needling of many tissues
          (`mcaphee2022dry`, `dunning2014dry`).
        - Techniques: superficial, pistoning (sparrow pecking), non-trigger-point needling.
        - Dry needles are solid filiform needles, 25 gauge or thinner, with nothing injected; wet
          needling injects through hollow needles.
        """,
        """
        Continue with **[6. The session](06_the_session.ipynb)**: what happens before, during and
        after needling, the side effects, and the screening questions.
        """,
    ),
]


# ---------------------------------------------------------------------------------------------
# 06 The session
# ---------------------------------------------------------------------------------------------
NB06 = [
    *opening(
        "6. The session",
        "Notebook 6 of the dnviz teaching suite: before, during and after",
        """
        What does a dry needling session look like for the patient? This notebook follows one from
        the screening questions to the days after, draws how long the common side effects last, and
        opens a screening checklist that explains every answer.
        """,
        """
        - describe what happens before, during and after a session, with sources;
        - name the common side effects and how long each can last;
        - screen for contraindications and for extra lung risk, and explain what each yes means;
        - say how many sessions, how often, the seed article suggests.
        """,
        """
        [4. Safety zones](04_safety_zones.ipynb), for the lung risk and the warning signs.
        """,
    ),
    md(
        """
        ## Before

        Before needling, the practitioner reviews the medical history, examines the patient, explains
        the procedure and obtains consent (source: `ferri_dry_needling`). No specific credential is
        required to practise dry needling, so patients should ask for a qualified, experienced
        practitioner (source: `ferri_dry_needling`).

        Some answers rule needling out today, some call for a conversation first (source:
        `ferri_dry_needling`):

        - **do not needle**: a current infection (wait until it has fully resolved), pregnancy, not
          understanding what dry needling is for, great fear of needles;
        - **discuss first**: blood thinners.
        """
    ),
    code(
        'show_facts("seed_session_before", "seed_training", *atlas.facts.index[atlas.facts["topic"] == "contraindications"])'
    ),
    md(
        """
        ## During

        The needling itself takes about 10 to 15 minutes; with other treatments an appointment lasts
        30 to 60 minutes or longer (source: `ferri_dry_needling`). Soreness, twitching or an ache are
        expected responses, but needling should not be painful: the patient should say so at once if
        it is, or if they feel faint (source: `ferri_dry_needling`).
        """
    ),
    code('show_facts("seed_session_length", "seed_session_during")'),
    md(
        """
        ## After

        After the needles come out, the practitioner checks the skin for bleeding; the patient gets up
        slowly, drinks extra water, and can use rest, heat or ice, or a warm Epsom-salt bath for
        soreness (source: `ferri_dry_needling`). Shortness of breath or major bleeding after a session
        needs emergency services at once (source: `ferri_dry_needling`): the warning signs of a
        pneumothorax are listed in notebook 4.
        """
    ),
    code('show_facts("seed_session_after", "seed_emergency")'),
    md(
        """
        ## Side effects and how long they last

        The common side effects are soreness, bleeding, bruising and fatigue, and most are minor; they
        last from a few hours up to one to two days (source: `ferri_dry_needling`). Two last longer:
        muscle soreness can be worst the morning after and should settle within a few days, and
        bruising may last up to a week (source: `ferri_dry_needling`).

        Each bar runs from the session to the longest duration the source gives (soreness, "a few
        days", is drawn as 3 days). Hover over a bar for when it starts and its source.
        """
    ),
    code("dnviz.plot_side_effects(atlas)"),
    code('atlas.side_effects[["name", "starts", "max_days", "note", "source_ids"]]'),
    md(
        """
        How often? Mild adverse events, mostly bruising, bleeding and pain during treatment, followed
        19.18% of treatments in an Irish survey (source: `brady2014adverse`); a US survey found a
        minor adverse event in 36.7% of sessions (source: `boyce2020adverse`). Sterile needles and a
        trained practitioner lower the risk of infection (source: `ferri_dry_needling`).
        """
    ),
    code('show_facts(topic="side_effects")'),
    code('show_facts("brady2014_mild", "boyce2020_minor")'),
    md(
        """
        ## Screening before needling

        `atlas.screening` turns the contraindications and the lung risk factors into yes/no
        questions. Each question has a category, ordered by severity:

        - `lung_risk`: extra care, or no needling over the thorax;
        - `discuss_first`: talk to the healthcare provider before needling;
        - `do_not_needle`: do not needle today.
        """
    ),
    code('atlas.screening[["question", "category", "if_yes", "source_ids"]]'),
    md(
        """
        ### The screening checklist

        Tick every question the patient answers **yes**. The checklist then:

        - gives a verdict from the **most severe** ticked category (do not needle, discuss first,
          extra lung risk, or no contraindication ticked);
        - **explains each yes**: what it means, its category, and the source behind it, as a link;
        - reminds you that it is not exhaustive: the practitioner still takes a full history.
        """
    ),
    code(
        """
        checklist = dnviz.screening_checklist(atlas)
        checklist
        """
    ),
    md(
        """
        ## How many sessions?

        Most people need at least two or three sessions for the full effect, some up to six, and dry
        needling can be done once or twice a week depending on the condition (source:
        `ferri_dry_needling`). The neck-pain trial of notebook 7 used two sessions a week for two
        weeks (source: `cerezotellez2018hrqol`).
        """
    ),
    code('show_facts("seed_sessions_number", "seed_sessions_frequency")'),
    md(
        """
        ## Exercise

        A patient takes an anticoagulant, is thin, and her therapist plans to needle both sides of her
        upper back.

        1. Tick her answers in the checklist above. What is the verdict, and which answer decides it?
        2. Check your reasoning with pandas: the categories are ordered, so `.max()` gives the most
           severe one.
        3. From notebook 4: which technique rule does the third answer break, and what does it
           prevent?
        """
    ),
    code(
        """
        ticked = ["blood_thinners", "thin_build", "both_sides"]
        atlas.screening.loc[ticked, ["category", "if_yes"]]
        """
    ),
    *solution(
        """
        print("Verdict category:", atlas.screening.loc[ticked, "category"].max())
        print("It comes from:", atlas.screening.loc[ticked].sort_values("category").index[-1])
        show_facts("tech_not_bilateral", "case_bilateral")
        """
    ),
    *closing(
        """
        - Before: history, examination, explanation, consent, and screening; no credential is
          required, so ask for a qualified practitioner.
        - During: about 10 to 15 minutes of needling; soreness, twitching or an ache are expected, pain
          is not.
        - After: check for bleeding, get up slowly, drink water; soreness for a few days, bruising up
          to a week; shortness of breath or major bleeding needs emergency care.
        - The screening checklist explains each yes and gives the most severe verdict.
        - Usually two or three sessions, up to six, once or twice a week.
        """,
        """
        Continue with **[7. The evidence](07_the_evidence.ipynb)**: what the trials and reviews found,
        and how sure we can be.
        """,
    ),
]


# ---------------------------------------------------------------------------------------------
# 07 The evidence
# ---------------------------------------------------------------------------------------------
NB07 = [
    *opening(
        "7. The evidence",
        "Notebook 7 of the dnviz teaching suite",
        """
        Does dry needling work? This notebook reads the systematic reviews, the trial and the
        commentaries in the seed article's reference list, as summarized in `atlas.studies`: what each
        found, and what limits it. It draws the one set of pooled estimates that could be verified as
        a forest plot, and says why the others are not drawn.
        """,
        """
        - name the studies in the seed article's references, their design and their findings;
        - read a forest plot of standardized mean differences with confidence intervals;
        - explain why only verified numbers are plotted;
        - summarize the 2017 systematic review and the limits of the evidence.
        """,
        """
        [6. The session](06_the_session.ipynb). Helpful but not required: what a confidence interval
        is.
        """,
    ),
    md(
        """
        ## The studies

        `atlas.studies` has one row per study and outcome: the design, who was studied, how many
        studies or participants, the comparison and the outcome.
        """
    ),
    code('atlas.studies[["source_id", "design", "n_studies", "n_participants", "comparison", "outcome"]]'),
    md(
        """
        ## What they found, and their limits

        - **Sánchez-Infante and colleagues, 2021** (meta-analysis of 42 trials of dry needling by
          physical therapists): pain fell from 72 hours up to 24 weeks compared with other treatments or
          placebo, but heterogeneity lowered the certainty, and placebo and active comparators are
          pooled (source: `sanchezinfante2021dry`).
        - **Espejo-Antúnez and colleagues, 2017** (systematic review of 15 randomized trials):
          short-term benefits for pain, range of motion and quality of life against no intervention,
          sham or placebo; not enough evidence for disability, pain medication or sleep (source:
          `espejoantunez2017dry`).
        - **Cerezo-Téllez and colleagues, 2016** (randomized trial, 130 adults with chronic neck pain):
          deep dry needling plus stretching against stretching alone. The retrieved abstract stops
          before the results, so the atlas records none (source: `cerezotellez2016neck`). A secondary
          analysis of the same trial found that all SF-36 quality-of-life dimensions favoured dry
          needling six months after treatment (source: `cerezotellez2018hrqol`).
        - **Dunning and colleagues, 2014** (narrative review): little high-quality evidence for
          needling directly into trigger points, and manual trigger point identification neither valid
          nor reliable (source: `dunning2014dry`).
        - **A JOSPT patient page, 2013**, summarizing a review of neck and arm pain (source:
          `jospt2013painful`), and **Dommerholt and Gerwin, 2022**, a commentary on what to call a
          trigger point (source: `dommerholt2022contracture`).
        """
    ),
    code(
        """
        for study_id, study in atlas.studies.iterrows():
            print(f"{study_id} ({study['design']})")
            print("  found :", study["finding"])
            print("  limits:", study["limits"])
        """
    ),
    code(
        """
        for reference in atlas.cite(list(dict.fromkeys(atlas.studies["source_id"]))):
            print("-", reference)
        """
    ),
    md(
        """
        ## The forest plot

        A forest plot shows one estimate per row: the square is the pooled **standardized mean
        difference** (SMD, the difference between groups in standard-deviation units), the line its
        **95% confidence interval**, and the dashed vertical line **no difference**. For pain, values
        left of zero favour dry needling.

        The rows are the four follow-up windows of Sánchez-Infante 2021 (source:
        `sanchezinfante2021dry`).
        """
    ),
    code("dnviz.plot_forest(atlas)"),
    code('atlas.effects[["timepoint", "measure", "estimate", "ci_low", "ci_high", "comparator"]]'),
    md(
        """
        **Reading it.** All four estimates lie left of zero: within 72 hours, at 1 to 3 weeks, at 4 to
        12 weeks and at 13 to 24 weeks, pooled pain scores favoured dry needling; the authors call the
        effects large, moderate, large and large. The last interval is wide, and its upper end (-0.03)
        lies close to no effect. Two limits apply to every row: heterogeneity downgraded the evidence,
        and each estimate pools placebo and active comparators, so none says how dry needling compares
        with any one treatment (source: `sanchezinfante2021dry`).
        """
    ),
    md(
        """
        ### Why only one study is plotted

        **Only the pooled SMDs of Sánchez-Infante 2021 could be verified**: the atlas's curators read
        them, with their confidence intervals, in the published abstract. A forest plot must not invent
        numbers, and none of the other studies gives an estimate with an interval in the text that
        could be retrieved:
        """
    ),
    code(
        """
        plotted = set(atlas.effects["study_id"])
        atlas.studies.loc[~atlas.studies.index.isin(plotted), ["source_id", "design", "limits"]]
        """
    ),
    md(
        """
        The 2017 review's abstract gives no pooled effect size; the 2016 trial's retrieved abstract
        stops before its results; the 2018 secondary analysis reports no effect sizes with intervals;
        the 2014 review is narrative; the 2013 page is a lay summary; the 2022 piece is a commentary.
        """
    ),
    md(
        """
        ## The 2017 review in brief

        The seed article leans on one review: a 2017 systematic review of 15 studies, which found
        short-term reductions in pain, gains in range of motion and better quality of life in
        myofascial pain, and asked for more high-quality studies before dry needling can be firmly
        recommended (sources: `ferri_dry_needling`, `espejoantunez2017dry`). The comparisons were no
        intervention, sham or placebo; for disability, pain medication and sleep the evidence was
        insufficient (source: `espejoantunez2017dry`).
        """
    ),
    code('show_facts(topic="evidence")'),
    md(
        """
        ## Exercise: how precise is each estimate?

        The width of a confidence interval measures precision: the wider, the less precise.

        1. Add a column `width = ci_high - ci_low` to the effects table. Which follow-up window is the
           least precise?
        2. Does any interval cross zero (no difference)?
        3. In one sentence: what would you tell a patient who asks whether the effect lasts six months?
        """
    ),
    code(
        """
        effects = atlas.effects[["timepoint", "estimate", "ci_low", "ci_high"]].copy()
        # effects["width"] = ...
        """
    ),
    *solution(
        """
        effects["width"] = effects["ci_high"] - effects["ci_low"]
        effects["crosses zero"] = (effects["ci_low"] < 0) & (effects["ci_high"] > 0)
        print(effects.sort_values("width", ascending=False).to_string(index=False))
        """
    ),
    *closing(
        """
        - A 2021 meta-analysis of 42 trials found pain reductions from 72 hours to 24 weeks, with
          heterogeneity and pooled comparators as its limits; the 13 to 24 week interval nearly
          reaches no effect.
        - A 2017 review of 15 trials found short-term benefits for pain, range of motion and quality of
          life, and asked for better trials.
        - A narrative review found little high-quality evidence for direct trigger point needling, and
          unreliable palpation.
        - The forest plot shows only numbers verified in a retrieved text.
        """,
        """
        Continue with **[8. Quiz](08_quiz.ipynb)**: test yourself on referral patterns.
        """,
    ),
]


# ---------------------------------------------------------------------------------------------
# 08 Quiz
# ---------------------------------------------------------------------------------------------
NB08 = [
    *opening(
        "8. Quiz",
        "Notebook 8 of the dnviz teaching suite: name the muscle from its pattern",
        """
        The quiz shows a referral pattern (trigger points and zones, names hidden) and asks which muscle
        it belongs to. Students take it alone; instructors set one quiz for a whole class with a seed.
        """,
        """
        - recognize the referral patterns of the head and neck muscles;
        - (instructors) set a class quiz by muscle names or body area, length and seed, and project it.
        """,
        """
        [2. Referral patterns](02_referral_patterns.ipynb) and
        [3. The pain finder](03_pain_finder.ipynb).
        """,
    ),
    md(
        """
        ## For students: how to take the quiz

        1. Look at the map: the crosses are trigger points, solid zones essential, dotted zones
           spillover. The names are hidden.
        2. Choose a muscle under **Muscle?** and press **Check**. The answer is revealed with its name;
           your score is shown at the top.
        3. **Reveal** shows the answer without scoring; **Next** moves on.

        The wrong answers come from the same body area, so they are plausible. Five questions on the
        head and neck:
        """
    ),
    code(
        """
        class_quiz = dnviz.quiz(atlas, pool="head_neck", n=5, seed=2026)
        class_quiz
        """
    ),
    md(
        """
        When you finish, the status line gives your score. Re-run the cell to start again; with the
        same seed you get the same questions.

        **Where the answers come from.** Each pattern is a set of referral rows of the atlas, each row
        with its sources. Behind the head-and-neck patterns, the most cited source is the first
        edition of the trigger point manual (source: `travell1983upper`):
        """
    ),
    code(
        """
        head_neck = atlas.muscles.index[atlas.muscles["body_area"] == "head_neck"]
        rows = atlas.referrals[atlas.referrals["tp_id"].map(atlas.trigger_points["muscle_id"]).isin(head_neck)]
        cited = pd.Series([s for ids in rows["source_ids"] for s in ids]).value_counts()
        print(len(rows), "referral rows behind the head-and-neck quiz; the three most cited sources:")
        for reference, n in zip(atlas.cite(list(cited.index[:3])), cited.iloc[:3]):
            print(f"- ({n} rows) {reference}")
        """
    ),
    md(
        """
        ## For instructors: setting a class quiz

        `dnviz.quiz(atlas, pool=None, n=10, seed=None, choices=4, theme="screen")`:

        - **`pool`**: the muscles to ask about, either a list of names (any name `find_muscle`
          understands) or a body area;
        - **`n`**: the number of questions (at most the size of the pool);
        - **`seed`**: any integer. The same seed gives every student the same questions and answer
          options in the same order (as long as the atlas data is the same), so you can discuss
          question 3 together;
        - **`choices`**: options per question (the right one plus distractors from the same area);
        - **`theme="present"`**: larger type and thicker lines for a projector.

        The body areas, with how many muscles each holds:
        """
    ),
    code('atlas.muscles["body_area"].value_counts(sort=False)'),
    md(
        """
        Two class quizzes, for example:

        ```python
        # the neck muscles you taught this week, projected
        dnviz.quiz(atlas, pool=["upper trap", "levator", "SCM", "scalenes", "suboccipitals"], n=5, seed=7, theme="present")

        # ten questions on the shoulder and arm for homework
        dnviz.quiz(atlas, pool="shoulder_upper_limb", n=10, seed=2026)
        ```

        The quiz keeps its state in Python, so you can read it after class: `class_quiz.questions` (the
        muscle ids asked, in order), `class_quiz.score` and `class_quiz.index`.
        """
    ),
    md(
        """
        ### The seed is stable

        `dnviz.quiz_questions` returns the questions a quiz with the same settings asks, without building a
        widget. CI runs this cell and compares its output with the stored one, so a change to the quiz or
        the data that would give the class different questions is caught:
        """
    ),
    code(
        """
        # NBVAL_CHECK_OUTPUT
        questions, options = dnviz.quiz_questions(
            atlas, pool=["upper trapezius", "SCM", "levator scapulae", "scalenes", "infraspinatus"], n=3, seed=1
        )
        print(questions)
        """
    ),
    md(
        """
        ## Exercise

        1. Students: take the quiz above, then write down the two patterns you confused, and compare
           them on one map with `dnviz.plot_body_map(atlas, muscle=[..., ...])`.
        2. Instructors: write the `dnviz.quiz(...)` call for next week's class on the hip and lower
           limb, with 8 questions and a seed of your choice.
        """
    ),
    code(
        """
        # 1. two patterns you confused, side by side
        dnviz.plot_body_map(atlas, muscle=["splenius capitis", "semispinalis capitis"], title="Two patterns I confused")
        """
    ),
    *solution(
        """
        # 2. For example (not run here: one quiz widget per notebook is enough for the browser):
        #    dnviz.quiz(atlas, pool="hip_lower_limb", n=8, seed=2027)
        # n must not exceed the pool, so check the pool's size first:
        print((atlas.muscles["body_area"] == "hip_lower_limb").sum(), "muscles in the pool: enough for 8 questions")
        """
    ),
    *closing(
        """
        - The quiz shows a pattern with the names hidden and offers choices from the same body area.
        - `pool` (names or a body area), `n` and `seed` set one quiz for a whole class;
          `theme="present"` makes it readable on a projector.
        - The same seed gives the same quiz; CI checks it.
        """,
        """
        You have reached the end of the suite. Go back to **[0. Start here](00_start_here.ipynb)** for
        the list of notebooks, revisit **[4. Safety zones](04_safety_zones.ipynb)** before any practical
        class, or open the classroom app with `make voila`.
        """,
    ),
]


NOTEBOOKS: dict[str, list[dict]] = {
    "00_start_here.ipynb": NB00,
    "01_trigger_points.ipynb": NB01,
    "02_referral_patterns.ipynb": NB02,
    "03_pain_finder.ipynb": NB03,
    "04_safety_zones.ipynb": NB04,
    "05_dry_needling_and_acupuncture.ipynb": NB05,
    "06_the_session.ipynb": NB06,
    "07_the_evidence.ipynb": NB07,
    "08_quiz.ipynb": NB08,
}


# ---------------------------------------------------------------------------------------------
# Build, execute, strip
# ---------------------------------------------------------------------------------------------
def make_notebook(stem: str, cells: list[dict]) -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata = {
        "kernelspec": {"name": KERNEL, "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python"},
    }
    prefix = stem.split("_")[0]
    for i, spec in enumerate(cells):
        if spec["slide"] not in SLIDE_TYPES:
            raise ValueError(f"{stem} cell {i}: unknown slide type {spec['slide']!r}")
        make = new_markdown_cell if spec["kind"] == "markdown" else new_code_cell
        cell = make(spec["source"])
        cell.id = f"nb{prefix}-c{i:03d}"
        cell.metadata["slideshow"] = {"slide_type": spec["slide"]}
        if spec["hidden"]:
            cell.metadata["jupyter"] = {"source_hidden": True}
        nb.cells.append(cell)
    return nb


def is_check_cell(cell) -> bool:
    return cell.cell_type == "code" and cell.source.lstrip().startswith(CHECK)


def strip(nb: nbformat.NotebookNode, name: str) -> None:
    """Keep outputs (and, for nbval, the execution count) of check cells only; clear widget state."""
    nb.metadata.pop("widgets", None)
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("widgets", None)
        if cell.cell_type != "code":
            continue
        if not is_check_cell(cell):
            cell.execution_count = None
            cell.outputs = []
            continue
        if not cell.outputs or cell.execution_count is None:
            raise RuntimeError(f"{name}: check cell {cell.id} produced no output")
        for out in cell.outputs:
            if out.output_type == "error" or (out.output_type == "stream" and out.name == "stderr"):
                raise RuntimeError(f"{name}: check cell {cell.id} wrote an error or to stderr: {out}")


def build(name: str, cells: list[dict]) -> float:
    start = time.perf_counter()
    nb = make_notebook(Path(name).stem, cells)
    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name=KERNEL,
        record_timing=False,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    client.execute()
    strip(nb, name)
    nbformat.validate(nb)
    with open(NOTEBOOK_DIR / name, "w", encoding="utf-8") as fh:
        nbformat.write(nb, fh, version=4)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help="build only notebooks whose name starts with one of these")
    args = parser.parse_args(argv)
    NOTEBOOK_DIR.mkdir(exist_ok=True)
    names = [n for n in NOTEBOOKS if not args.only or n.startswith(tuple(args.only))]
    if not names:
        parser.error(f"no notebook matches {args.only}")
    total = 0.0
    for name in names:
        seconds = build(name, NOTEBOOKS[name])
        total += seconds
        print(f"{name:<42} written and executed in {seconds:5.1f} s")
    print(f"{len(names)} notebook(s) in {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
