"""Question sets for a class: an instructor's small table, checked row by row, turned into quiz questions.

A question set is a CSV file or a DataFrame with one row per question, in the order asked:

=============  ========  ==================================================================
column         needed    meaning
=============  ========  ==================================================================
``muscle``     yes       the muscle asked about: its id, name or a synonym, written exactly
                         (``upper trapezius``, ``SCM``, ``levator_scapulae``); a misspelling
                         is refused with the closest names, never guessed
``kind``       no        ``name`` (default): the map shows the muscle's referral pattern,
                         the student names the muscle. ``zone``: the muscle is named, the
                         student picks one of its essential referral zones from a list.
                         Answered on the map: ``point``: the map shows the muscle's referral
                         zones without its trigger points, the student clicks where a trigger
                         point is (scored by distance, see :mod:`dnviz.widgets.quiz_scoring`).
                         ``zones``: the map shows the muscle (outline and trigger points), the
                         student clicks every essential zone, then Check (scored by overlap)
``choices``    no        how many options to show, 2 to 8 (default 4), the answer included;
                         for ``name`` and ``zone`` only (``point`` and ``zones`` have none)
``seed``       no        a whole number; fixes the options and their order for this row.
                         Blank: taken from the quiz's ``seed`` and the row's number, so the
                         same table always gives the same quiz to the whole class
``distractors``  no      for ``kind=name`` only: the wrong options to show, muscle names
                         separated by ``|`` (blank: drawn from the same body area)
``question``   no        an id for the question in the results (default ``q1``, ``q2``...)
``side``       no        ``right`` or ``left``: the side of the body the map shows. Blank:
                         ``right`` for ``name`` and ``zone``; for ``point`` and ``zones``
                         drawn from the seed, so students practise both sides
=============  ========  ==================================================================

Any other column is refused (a misspelt column name would otherwise be silently ignored). Every
problem in the table is reported at once, each with the file, row, column, value and a fix, and
nothing is loaded: :class:`QuestionSetError`. Rows are counted as in a spreadsheet: in a CSV file
the header is row 1 and the first question row 2; in a DataFrame the first question is row 1.

Examples
--------
>>> import pandas as pd
>>> from dnviz import load_atlas
>>> table = pd.DataFrame({"muscle": ["upper trapezius", "SCM"], "kind": ["name", "zone"]})
>>> qs = question_set(load_atlas(), table, seed=2026)
>>> [(q.question_id, q.muscle, q.kind) for q in qs]
[('q1', 'upper_trapezius', 'name'), ('q2', 'sternocleidomastoid', 'zone')]
>>> qs[0].answer in [value for _, value in qs[0].options]
True
"""

from __future__ import annotations

import csv
import io
import os
import random
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dnviz._names import name_keys, normalise
from dnviz._validation import LIST_SEP, Problem
from dnviz.atlas import Atlas
from dnviz.exceptions import MuscleNotFoundError

KINDS = {
    "name": "the map shows a referral pattern; name the muscle",
    "zone": "a muscle is named; pick one of its essential referral zones",
    "point": "the map shows a muscle's referral zones; click where its trigger point is",
    "zones": "the map shows a muscle; click its essential referral zones, then Check",
}
#: Kinds answered by clicking the map (no options to choose from).
MAP_KINDS = ("point", "zones")
COLUMNS = ("question", "muscle", "kind", "choices", "seed", "distractors", "side")
QUESTION_SIDES = ("right", "left")
MIN_CHOICES, MAX_CHOICES, DEFAULT_CHOICES = 2, 8, 4
MAX_QUESTIONS = 500


@dataclass(frozen=True)
class Question:
    """One quiz question: what is asked, the options as (label, value) pairs, and the answer's value.

    Questions answered on the map (``point``, ``zones``) have no options: ``answer_text`` says the
    answer in words and ``targets`` holds, for ``zones``, the essential ``(region, side)`` pairs.
    ``side`` is the side of the body the map shows.
    """

    number: int
    question_id: str
    muscle: str
    kind: str
    prompt: str
    options: tuple[tuple[str, str], ...]
    answer: str
    side: str = "right"
    answer_text: str = ""
    targets: tuple[tuple[str, str], ...] = ()

    @property
    def answer_label(self) -> str:
        """The answer as shown on screen: its option's label, or the answer in words."""
        labels = {v: k for k, v in self.options}
        return labels.get(self.answer) or self.answer_text or self.answer


class QuestionSetError(ValueError):
    """A question set that cannot be used; ``problems`` lists each with its row, column, value and fix."""

    def __init__(self, problems: list[Problem]):
        self.problems = tuple(problems)
        n = len(self.problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"The question set has {n} problem{'s' if n != 1 else ''}; no quiz was built.\n{lines}")


def _read(questions: pd.DataFrame | str | os.PathLike | list[dict]) -> tuple[pd.DataFrame, str, int]:
    """The table as strings, where it came from, and the row number of its first question."""
    if isinstance(questions, (str, os.PathLike)):
        path = Path(questions)
        if not path.is_file():
            raise QuestionSetError(
                [Problem(str(path), None, None, None, "no such file", "give the path of a CSV file with a header row")]
            )
        try:
            text = path.read_text(encoding="utf-8-sig")  # a spreadsheet's UTF-8 byte-order mark is dropped
            try:  # commas, or the semicolons or tabs some spreadsheets write
                sep = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
            except csv.Error:
                sep = ","
            table = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True)
        except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as err:
            raise QuestionSetError(
                [Problem(str(path), None, None, None, f"not a readable CSV file ({err})", "save it as UTF-8 CSV")]
            ) from None
        return table, path.name, 2
    if isinstance(questions, list):
        questions = pd.DataFrame(questions)
    if not isinstance(questions, pd.DataFrame):
        raise TypeError(f"questions must be a DataFrame, a list of dicts or a CSV path, not {type(questions).__name__}")
    table = questions.reset_index(drop=True).astype(object).where(questions.notna().to_numpy(), "")
    return table.map(lambda v: str(v).strip()), "questions table", 1


def _strict_muscle(atlas: Atlas, text: str) -> str:
    """The muscle ``text`` names exactly (id, name or synonym; case and spacing aside); raises otherwise."""
    muscle_id = atlas.name_index.lookup(text)  # raises MuscleNotFoundError: unknown or ambiguous
    if text == muscle_id:
        return muscle_id
    index = atlas.name_index
    if any(muscle_id in index.muscles(index.names.get(k, [])) for k in name_keys(normalise(text))):
        return muscle_id
    raise MuscleNotFoundError(text, [atlas.muscles.at[muscle_id, "name"]], ambiguous=False)


def _whole(text: str, low: int | None = None, high: int | None = None) -> int | None:
    """``text`` as a whole number within [low, high] ("4" or "4.0", as a DataFrame with blanks stores it), else None."""
    try:
        number = float(text)
    except ValueError:
        return None
    if not number.is_integer() or (low is not None and number < low) or (high is not None and number > high):
        return None
    return int(number)


def _leaf_regions(atlas: Atlas) -> list[str]:
    regions = atlas.regions
    parents = set(regions["parent_id"].dropna())
    return [r for r in regions.index if r not in parents]


def _top(atlas: Atlas, region_id: str) -> str:
    parent = atlas.regions["parent_id"]
    while not pd.isna(parent.get(region_id)):
        region_id = parent[region_id]
    return region_id


def _name_options(atlas: Atlas, muscle: str, n: int, given: list[str], rng: random.Random) -> list[str]:
    if given:
        others = given[: n - 1]
    else:
        m = atlas.muscles
        same = [x for x in m.index[m["body_area"] == m.at[muscle, "body_area"]] if x != muscle]
        rest = [x for x in m.index if x != muscle and x not in same]
        others = rng.sample(same, min(n - 1, len(same)))
        others += rng.sample(rest, n - 1 - len(others))
    options = [muscle, *others]
    rng.shuffle(options)
    return options


def _zone_options(atlas: Atlas, muscle: str, n: int, rng: random.Random) -> tuple[list[str], str]:
    pattern = atlas.referral_pattern(muscle)
    essential = sorted(set(pattern.loc[pattern["kind"] == "essential", "region_id"]))
    answer = rng.choice(essential)
    used = set(pattern["region_id"])
    leaves = [r for r in _leaf_regions(atlas) if r not in used]
    near = [r for r in leaves if _top(atlas, r) == _top(atlas, answer)]
    far = [r for r in leaves if r not in near]
    others = rng.sample(near, min(n - 1, len(near)))
    others += rng.sample(far, n - 1 - len(others))
    options = [answer, *others]
    rng.shuffle(options)
    return options, answer


def essential_targets(atlas: Atlas, muscle: str, side: str) -> tuple[tuple[str, str], ...]:
    """The essential zones of all of a muscle's trigger points on ``side``, as sorted ``(region, side)`` pairs.

    A zone's laterality is applied: an ipsilateral zone lies on ``side``, a contralateral one on the
    other side, a bilateral one on both (the pairs the map draws for that side).
    """
    other = "left" if side == "right" else "right"
    sides = {"ipsilateral": (side,), "contralateral": (other,), "bilateral": (side, other)}
    pattern = atlas.referral_pattern(muscle)
    pairs = {
        (str(r.region_id), s)
        for r in pattern.itertuples()
        if r.kind == "essential"
        for s in sides.get(str(r.laterality), (side,))
    }
    return tuple(sorted(pairs))


def map_question(atlas: Atlas, number: int, question_id: str, muscle: str, kind: str, side: str) -> Question:
    """A question answered on the map: ``point`` (click the trigger point) or ``zones`` (click the essential zones)."""
    from dnviz.scene.pattern import tp_number

    name = atlas.muscles.at[muscle, "name"]
    if kind == "point":
        tps = atlas.trigger_points.index[atlas.trigger_points["muscle_id"] == muscle]
        numbers = sorted({tp_number(atlas, t) for t in tps})
        which = " or ".join(str(n) for n in numbers)
        prompt = (
            f"Where is the trigger point of {name}? The map shows where it refers pain on the {side} side: "
            "click the spot on the body."
        )
        text = f"{name} trigger point {which} ({side} side)"
        return Question(number, question_id, muscle, kind, prompt, (), muscle, side, text)
    if kind != "zones":
        raise ValueError(f"kind must be one of {', '.join(MAP_KINDS)} for a map question, not {kind!r}")
    targets = essential_targets(atlas, muscle, side)
    regions = atlas.regions["name"]
    words = ", ".join(f"{str(regions[r]).lower()} ({s})" for r, s in targets)
    prompt = f"Where does {name} refer pain? Click each of its essential zones ({side} side), then Check."
    answer = ",".join(f"{r}|{s}" for r, s in targets)
    return Question(number, question_id, muscle, kind, prompt, (), answer, side, f"essential zones: {words}", targets)


def question_set(
    atlas: Atlas, questions: pd.DataFrame | str | os.PathLike | list[dict], seed: int | None = None
) -> list[Question]:
    """Check an instructor's question set and build its questions (see the module's docstring for the columns).

    Parameters
    ----------
    atlas : Atlas
    questions : DataFrame, list of dicts, or path of a CSV file
    seed : int, optional
        Fixes the options of rows without their own ``seed`` (default 0: one table, one quiz).

    Raises
    ------
    QuestionSetError
        Listing every problem with its file, row, column, value and fix; nothing is built.
    """
    table, where, first_row = _read(questions)
    problems: list[Problem] = []

    def problem(row, column, value, message, fix):
        problems.append(Problem(where, row, column, value, message, fix))

    unknown = [c for c in table.columns if str(c).strip() not in COLUMNS]
    for c in unknown:
        problem(
            first_row - 1 if first_row == 2 else None, str(c), None, "unknown column", f"use only {', '.join(COLUMNS)}"
        )
    table.columns = [str(c).strip() for c in table.columns]
    if "muscle" not in table.columns:
        problem(None, "muscle", None, "the muscle column is missing", "add a column named muscle, one muscle per row")
    if table.empty and "muscle" in table.columns:
        problem(None, None, None, "the table has no questions", "add at least one row")
    if len(table) > MAX_QUESTIONS:
        problem(None, None, len(table), f"more than {MAX_QUESTIONS} questions", "split the set into smaller quizzes")
    if problems:
        raise QuestionSetError(problems)

    base_seed = 0 if seed is None else seed
    built, ids = [], set()
    for i, raw in enumerate(table.to_dict("records")):
        row = i + first_row
        cell = {c: raw.get(c, "") for c in COLUMNS}
        if not any(cell.values()):
            problem(row, None, None, "empty row", "delete the row or fill in its muscle")
            continue
        ok = True
        try:
            muscle = _strict_muscle(atlas, cell["muscle"]) if cell["muscle"] else None
        except (MuscleNotFoundError, ValueError) as err:  # ValueError: a name too long to look up
            suggestions = getattr(err, "suggestions", [])
            close = f" (did you mean {', '.join(repr(s) for s in suggestions)}?)" if suggestions else ""
            problem(
                row,
                "muscle",
                cell["muscle"],
                f"not a muscle in the atlas{close}",
                "write a muscle's name, synonym or id exactly",
            )
            muscle, ok = None, False
        if muscle is None and ok:
            problem(row, "muscle", "", "no muscle given", "write a muscle's name, synonym or id")
            ok = False
        kind = cell["kind"].lower() or "name"
        if kind not in KINDS:
            problem(row, "kind", cell["kind"], "unknown kind of question", f"use one of: {', '.join(KINDS)}")
            ok = False
        side = cell["side"].lower()
        if side and side not in QUESTION_SIDES:
            problem(row, "side", cell["side"], "not a side of the body", "write right or left, or leave it blank")
            ok = False
        choices = _whole(cell["choices"], MIN_CHOICES, MAX_CHOICES) if cell["choices"] else DEFAULT_CHOICES
        if kind in MAP_KINDS and cell["choices"]:
            problem(
                row,
                "choices",
                cell["choices"],
                f"a {kind} question is answered on the map, with no options",
                "clear the cell",
            )
            ok = False
        elif choices is None:
            problem(
                row,
                "choices",
                cell["choices"],
                "not a whole number from 2 to 8",
                "write 2, 3, 4 ... 8, or leave it blank",
            )
            ok = False
        row_seed = _whole(cell["seed"]) if cell["seed"] else None
        if cell["seed"] and row_seed is None:
            problem(
                row, "seed", cell["seed"], "not a whole number", "write a whole number such as 2026, or leave it blank"
            )
            ok = False
        distractors: list[str] = []
        if cell["distractors"]:
            if kind != "name":
                problem(
                    row, "distractors", cell["distractors"], "distractors apply to kind 'name' only", "clear the cell"
                )
                ok = False
            else:
                for text in (t.strip() for t in cell["distractors"].split(LIST_SEP)):
                    try:
                        d = _strict_muscle(atlas, text)
                    except (MuscleNotFoundError, ValueError):
                        problem(
                            row, "distractors", text, "not a muscle in the atlas", "write muscle names separated by |"
                        )
                        ok = False
                        continue
                    if d == muscle or d in distractors:
                        problem(
                            row,
                            "distractors",
                            text,
                            "repeats the answer or another distractor",
                            "list each wrong muscle once",
                        )
                        ok = False
                    distractors.append(d)
                if ok and choices is not None and len(distractors) < choices - 1:
                    problem(
                        row,
                        "distractors",
                        cell["distractors"],
                        f"{len(distractors)} distractors for {choices} choices",
                        f"list {choices - 1} muscles, or set choices to {len(distractors) + 1}",
                    )
                    ok = False
        question_id = cell["question"] or f"q{i + 1}"
        if question_id in ids:
            problem(row, "question", question_id, "the same question id twice", "give each question its own id")
            ok = False
        ids.add(question_id)
        if ok and kind in ("zone", "zones"):
            pattern = atlas.referral_pattern(muscle)
            if not (pattern["kind"] == "essential").any():
                problem(row, "kind", cell["kind"], "this muscle has no essential zone in the atlas", "use kind name")
                ok = False
        if not ok:
            continue
        rng = random.Random(row_seed if row_seed is not None else f"{base_seed}:{i + 1}")
        name = atlas.muscles.at[muscle, "name"]
        if kind in MAP_KINDS:  # the side is drawn from the row's seed: both sides get practised
            side = side or rng.choice(QUESTION_SIDES)
            built.append(map_question(atlas, len(built) + 1, question_id, muscle, kind, side))
            continue
        if kind == "name":
            values = _name_options(atlas, muscle, choices, distractors, rng)
            options = tuple((atlas.muscles.at[v, "name"], v) for v in values)
            answer, prompt = muscle, "Which muscle refers pain here?"
        else:
            values, answer = _zone_options(atlas, muscle, choices, rng)
            options = tuple((atlas.regions.at[v, "name"], v) for v in values)
            prompt = f"Where does {name} refer pain? Pick an essential zone."
        built.append(Question(len(built) + 1, question_id, muscle, kind, prompt, options, answer, side or "right"))
    if problems:
        raise QuestionSetError(problems)
    return built
