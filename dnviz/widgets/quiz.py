"""The referral-pattern quiz, seeded so a whole class gets the same questions, with results for an LMS."""

from __future__ import annotations

import os
import random
from collections.abc import Sequence
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import traitlets

from dnviz.atlas import Atlas
from dnviz.plotting import plot_body_map
from dnviz.vocabulary import check_count
from dnviz.widgets._base import AREAS, Explorer, message
from dnviz.widgets.question_sets import Question, question_set


def quiz_questions(
    atlas: Atlas, pool: Sequence[str] | str | None = None, n: int = 10, seed: int | None = None, choices: int = 4
) -> tuple[list[str], list[list[str]]]:
    """The questions and answer options of a quiz, without building any widget.

    The same ``pool``, ``n``, ``seed`` and ``choices`` always give the same quiz, so a whole class
    gets the same questions. Distractors come from the same body area as the answer.

    Returns
    -------
    (questions, options)
        Muscle ids asked, in order, and for each the shuffled options (the answer among them).

    Examples
    --------
    >>> from dnviz import load_atlas
    >>> questions, options = quiz_questions(load_atlas(), pool="head_neck", n=3, seed=1)
    >>> all(q in opts for q, opts in zip(questions, options))
    True
    """
    n = check_count("n", n, 1, 1000, meaning="questions in the quiz")
    choices = check_count("choices", choices, 2, 10, meaning="options per question, the answer among them")
    m = atlas.muscles
    if pool is None:
        ids = list(m.index)
    elif isinstance(pool, str) and pool in AREAS:
        ids = list(m.index[m["body_area"] == pool])
    else:
        names = [pool] if isinstance(pool, str) else list(pool)
        ids = list(dict.fromkeys(atlas.find_muscle(p).name for p in names))
    if not ids:
        raise ValueError("the question pool is empty")
    rng = random.Random(seed)
    questions = rng.sample(ids, min(n, len(ids)))
    options = []
    for muscle_id in questions:
        same = [x for x in m.index[m["body_area"] == m.at[muscle_id, "body_area"]] if x != muscle_id]
        opts = [muscle_id, *rng.sample(same, min(choices - 1, len(same)))]
        rng.shuffle(opts)
        options.append(opts)
    return questions, options


class Quiz(Explorer):
    """A seeded quiz on referral patterns: Check, Reveal, Next; answers kept for :meth:`results`.

    Built from a pool (``pool``, ``n``, ``seed``: name the muscle from its pattern) or from an
    instructor's question set (``questions``: a table, see :mod:`dnviz.widgets.question_sets`).
    The state lives in traitlets that move the controls when set from Python: ``index`` (the
    question shown), ``choice`` (the option selected), ``score``, ``answered``, ``revealed``.
    An answer checked after Reveal showed it is recorded but never scores.
    """

    index = traitlets.Int(0, help="Current question (0-based); setting it shows that question.")
    choice = traitlets.Unicode(None, allow_none=True, help="Value of the selected option (a muscle or region id).")
    score = traitlets.Int(0)
    answered = traitlets.Bool(False)
    revealed = traitlets.Bool(False, help="True once the answer of the current question has been shown.")

    def __init__(
        self,
        atlas: Atlas,
        pool: Sequence[str] | str | None = None,
        n: int = 10,
        seed: int | None = None,
        choices: int = 4,
        theme: str = "screen",
        questions=None,
    ):
        super().__init__(atlas, theme)
        if questions is not None:
            if pool is not None:
                raise ValueError("give either pool= (a quick quiz) or questions= (a question set), not both")
            self.items = question_set(atlas, questions, seed=seed)
        else:
            ids, options = quiz_questions(atlas, pool=pool, n=n, seed=seed, choices=choices)
            names = atlas.muscles["name"]
            self.items = [
                Question(
                    i + 1,
                    f"q{i + 1}",
                    m,
                    "name",
                    "Which muscle refers pain here?",
                    tuple((names[o], o) for o in opts),
                    m,
                )
                for i, (m, opts) in enumerate(zip(ids, options))
            ]
        self.seed = seed
        self._records: dict[int, dict] = {}
        self.figure = self.make_figure(
            plot_body_map(atlas, theme=self.theme, title="Quiz", disclaimer=True), hide_names=True
        )
        self.answer = widgets.RadioButtons(options=[], description="Answer", layout=widgets.Layout(width="auto"))
        self.check_button = widgets.Button(description="Check", button_style="primary", icon="check")
        self.reveal_button = widgets.Button(description="Reveal", icon="eye")
        self.next_button = widgets.Button(description="Next", icon="arrow-right")
        self.progress = widgets.HTML()
        self.check_button.on_click(self.guard(lambda _: self.submit(self.choice)))
        self.reveal_button.on_click(self.guard(lambda _: self.reveal()))
        self.next_button.on_click(self.guard(lambda _: self.next()))
        self.answer.observe(self.guard(lambda ch: setattr(self, "choice", ch["new"])), "value")
        self.observe(self.guard(self._on_choice), "choice")
        self.observe(self.guard(lambda _: self._ask()), "index")
        self.observe(self.guard(lambda _: self._show_progress()), "score")
        self.observe(self.guard(self._on_revealed), "revealed")
        self.children = [
            self.progress,
            self.figure,
            self.answer,
            widgets.HBox([self.check_button, self.reveal_button, self.next_button]),
            self.status,
        ]
        self._ask()

    # -- the questions --------------------------------------------------------------------------
    @property
    def question(self) -> Question:
        """The question shown now."""
        return self.items[self.index]

    @property
    def current(self) -> str:
        """The muscle id the current question is about."""
        return self.question.muscle

    @property
    def questions(self) -> list[str]:
        """Muscle ids asked, in order."""
        return [q.muscle for q in self.items]

    @property
    def options_per_question(self) -> list[list[str]]:
        """The option values (muscle or region ids) of each question, in the order shown."""
        return [[v for _, v in q.options] for q in self.items]

    @traitlets.validate("index")
    def _valid_index(self, proposal):
        value = proposal["value"]
        if not 0 <= value < len(self.items):
            raise traitlets.TraitError(
                f"index must be from 0 to {len(self.items) - 1} (the quiz has {len(self.items)} questions), not {value}"
            )
        return value

    @traitlets.validate("choice")
    def _valid_choice(self, proposal):
        value = proposal["value"]
        if value is None:
            return None
        option = self._option_value(value)
        if option is None:
            labels = ", ".join(label for label, _ in self.question.options)
            raise traitlets.TraitError(f"{value!r} is not one of this question's options: {labels}")
        return option

    def _option_value(self, given: str) -> str | None:
        """The value of the option ``given`` names (its value or its label, any case), or None."""
        for label, value in self.question.options:
            if given == value or str(given).strip().casefold() == label.casefold():
                return value
        return None

    def _resolve(self, given: str) -> str:
        """What an answer means: an option's value; for a muscle question also any muscle's name."""
        value = self._option_value(given)
        if value is not None:
            return value
        if self.question.kind == "name":
            return self.atlas.find_muscle(given).name  # any muscle may be given: a wrong one scores 0
        labels = ", ".join(label for label, _ in self.question.options)
        raise ValueError(f"{given!r} is not one of this question's options: {labels}")

    def _ask(self) -> None:
        q = self.question
        record = self._records.get(self.index)
        with self.hold_trait_notifications():
            self.answered = record is not None
            self.revealed = bool(record) or False
        self.answer.options = list(q.options)
        self.answer.value = record["value"] if record and record["value"] in [v for _, v in q.options] else None
        self.choice = self.answer.value
        title = f"Question {q.number} of {len(self.items)}: {q.prompt}"
        if q.kind == "name":
            self.show_pattern(q.muscle, hide_names=True, title=title)
        else:
            self.show_pattern(None, title=title)
        if record:
            self._show_answer()
        self._show_progress()
        self.status.value = message("Choose an answer, then Check. Reveal shows the answer (it then scores no point).")

    def _show_progress(self) -> None:
        self.progress.value = f"<b>Score: {self.score} / {len(self._records)}</b>"

    def _on_choice(self, change) -> None:
        if self.answer.value != change["new"]:
            self.answer.value = change["new"]

    def _on_revealed(self, change) -> None:
        if change["new"]:
            self._show_answer()

    def _show_answer(self) -> None:
        q = self.question
        name = self.atlas.muscles.at[q.muscle, "name"]
        extra = f": an essential zone is {q.answer_label}" if q.kind == "zone" else ""
        self.show_pattern(q.muscle, title=f"Question {q.number}: {name}{extra}")

    # -- actions ---------------------------------------------------------------------------------
    def submit(self, answer: str | None) -> bool:
        """Check an answer to the current question (an option's value or label, or a muscle's name).

        Returns True when it is right. An answer checked after Reveal is recorded with
        ``revealed_first=True`` and scores no point.
        """
        if not answer:
            raise ValueError(f"Choose {'a muscle' if self.question.kind == 'name' else 'a zone'} first.")
        if self.answered:
            raise ValueError("Already answered: press Next.")
        q = self.question
        value = self._resolve(answer)
        right = value == q.answer
        revealed_first = self.revealed
        self._records[self.index] = {
            "value": value,
            "label": dict((v, k) for k, v in q.options).get(value) or self.atlas.muscles["name"].get(value, value),
            "correct": right,
            "revealed_first": revealed_first,
            "timestamp": pd.Timestamp.now(tz="UTC"),
        }
        self.answered = True
        self.score += int(right and not revealed_first)
        self._show_progress()
        if revealed_first:
            text, kind = f"The answer was shown first: recorded, no point. It is {q.answer_label}.", "warn"
        elif right:
            text, kind = f"Right: {q.answer_label}.", "ok"
        else:
            text, kind = f"Not quite: the answer is {q.answer_label}.", "warn"
        self.status.value = message(text, kind)
        self.revealed = True
        return right

    def reveal(self) -> None:
        """Show the answer of the current question (an answer checked afterwards scores no point)."""
        self.revealed = True
        self._show_answer()

    def next(self) -> None:
        """Go to the next question, or say the quiz is finished."""
        if self.index + 1 >= len(self.items):
            self.status.value = message(f"Finished: {self.score} of {len(self.items)} right.", "ok")
            return
        self.index += 1

    # -- results ----------------------------------------------------------------------------------
    RESULT_COLUMNS = (
        "question",
        "question_id",
        "muscle",
        "kind",
        "answer_given",
        "correct_answer",
        "correct",
        "revealed_first",
        "scored",
        "timestamp",
    )

    def results(self, student: str | None = None) -> pd.DataFrame:
        """The student's answers, one row per question in the order asked (unanswered rows left blank).

        Columns: ``question`` (1, 2, ...), ``question_id``, ``muscle`` (id), ``kind``,
        ``answer_given`` and ``correct_answer`` (as shown on screen), ``correct``,
        ``revealed_first`` (Reveal was pressed before Check), ``scored`` (correct and not
        revealed first), ``timestamp`` (UTC, when Check was pressed). With ``student`` (a name or
        an LMS id), a first column ``student`` holds it on every row.
        """
        rows = []
        for i, q in enumerate(self.items):
            r = self._records.get(i)
            rows.append(
                {
                    "question": q.number,
                    "question_id": q.question_id,
                    "muscle": q.muscle,
                    "kind": q.kind,
                    "answer_given": r["label"] if r else pd.NA,
                    "correct_answer": q.answer_label,
                    "correct": r["correct"] if r else pd.NA,
                    "revealed_first": r["revealed_first"] if r else (self.revealed if i == self.index else pd.NA),
                    "scored": (r["correct"] and not r["revealed_first"]) if r else False,
                    "timestamp": r["timestamp"] if r else pd.NaT,
                }
            )
        frame = pd.DataFrame(rows, columns=list(self.RESULT_COLUMNS))
        for column in ("correct", "revealed_first"):
            frame[column] = frame[column].astype("boolean")
        frame["scored"] = frame["scored"].astype(bool)
        frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
        if student is not None:
            if not isinstance(student, str) or not student.strip() or len(student) > 200:
                raise ValueError(f"student must be a name or id of 1 to 200 characters, not {student!r}")
            frame.insert(0, "student", student.strip())
        return frame

    def results_csv(self, path: str | os.PathLike, student: str | None = None, overwrite: bool = False) -> Path:
        """Write :meth:`results` as a UTF-8 CSV file an LMS or a spreadsheet can import; returns its path.

        Times are ISO 8601 in UTC (``2026-12-02T09:15:00Z``). A text cell that a spreadsheet would
        run as a formula (it starts with ``=``, ``+``, ``-`` or ``@``) is written with a leading
        ``'``. An existing file is kept unless ``overwrite=True``.
        """
        path = Path(path)
        if path.suffix.lower() != ".csv":
            raise ValueError(f"results_csv writes a .csv file; {str(path)!r} has another extension")
        if path.exists() and not overwrite:
            raise FileExistsError(f"{path} exists: pass overwrite=True to replace it, or choose another name")
        frame = self.results(student=student)
        frame["timestamp"] = frame["timestamp"].map(lambda t: "" if pd.isna(t) else t.strftime("%Y-%m-%dT%H:%M:%SZ"))
        for column in ("student", "question_id", "answer_given", "correct_answer"):
            if column in frame:
                frame[column] = frame[column].map(_no_formula)
        frame.to_csv(path, index=False, encoding="utf-8")
        return path

    to_csv = results_csv


def _no_formula(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (CSV injection)."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


def quiz(
    atlas: Atlas,
    pool: Sequence[str] | str | None = None,
    n: int = 10,
    seed: int | None = None,
    choices: int = 4,
    theme: str = "screen",
    questions=None,
) -> Quiz:
    """A referral-pattern quiz for a class.

    Either a quick quiz from ``pool`` (muscle names or a body area), ``n`` and ``seed``, or an
    instructor's question set: ``questions`` is a DataFrame, a list of dicts or the path of a CSV
    file with the columns described in :mod:`dnviz.widgets.question_sets` (``muscle``, ``kind``,
    ``choices``, ``seed``, ``distractors``, ``question``). ``quiz.results()`` returns the answers.

    Examples
    --------
    >>> from dnviz import load_atlas
    >>> q = quiz(load_atlas(), questions=[{"muscle": "SCM"}, {"muscle": "masseter", "kind": "zone"}], seed=1)
    >>> q.submit(q.question.answer)
    True
    >>> q.results().loc[0, ["muscle", "kind", "correct", "scored"]].to_dict()
    {'muscle': 'sternocleidomastoid', 'kind': 'name', 'correct': True, 'scored': True}
    """
    return Quiz(atlas, pool=pool, n=n, seed=seed, choices=choices, theme=theme, questions=questions)
