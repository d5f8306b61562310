"""The referral-pattern quiz, seeded so a whole class gets the same questions."""

from __future__ import annotations

import random
from collections.abc import Sequence

import ipywidgets as widgets
import traitlets

from dnviz.atlas import Atlas
from dnviz.plotting import plot_body_map
from dnviz.vocabulary import check_count
from dnviz.widgets._base import AREAS, Explorer, message


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
    """Name the muscle from its referral pattern; score, reveal, next. Seeded for a whole class."""

    index = traitlets.Int(0, help="Current question (0-based).")
    score = traitlets.Int(0)
    answered = traitlets.Bool(False)
    revealed = traitlets.Bool(False)

    def __init__(
        self,
        atlas: Atlas,
        pool: Sequence[str] | str | None = None,
        n: int = 10,
        seed: int | None = None,
        choices: int = 4,
        theme: str = "screen",
    ):
        super().__init__(atlas, theme)
        self.questions, self.options_per_question = quiz_questions(atlas, pool=pool, n=n, seed=seed, choices=choices)
        self.figure = self.make_figure(
            plot_body_map(atlas, theme=self.theme, title="Quiz", disclaimer=True), hide_names=True
        )
        self.answer = widgets.RadioButtons(options=[], description="Muscle?", layout=widgets.Layout(width="auto"))
        self.check_button = widgets.Button(description="Check", button_style="primary", icon="check")
        self.reveal_button = widgets.Button(description="Reveal", icon="eye")
        self.next_button = widgets.Button(description="Next", icon="arrow-right")
        self.progress = widgets.HTML()
        self.check_button.on_click(self.guard(lambda _: self.submit(self.answer.value)))
        self.reveal_button.on_click(self.guard(lambda _: self.reveal()))
        self.next_button.on_click(self.guard(lambda _: self.next()))
        self.children = [
            self.progress,
            self.figure,
            self.answer,
            widgets.HBox([self.check_button, self.reveal_button, self.next_button]),
            self.status,
        ]
        self._ask()

    @property
    def current(self) -> str:
        return self.questions[self.index]

    def _ask(self) -> None:
        self.answered = self.revealed = False
        opts = self.options_per_question[self.index]
        self.answer.options = [(self.atlas.muscles.at[m, "name"], m) for m in opts]
        self.answer.value = None
        self.show_pattern(
            self.current,
            hide_names=True,
            title=f"Question {self.index + 1} of {len(self.questions)}: which muscle refers pain here?",
        )
        self.progress.value = f"<b>Score: {self.score} / {self.index}</b>"
        self.status.value = message("Choose a muscle, then Check. Reveal shows the answer.")

    def submit(self, muscle: str | None) -> bool:
        """Answer the current question by muscle id or name; returns True when right."""
        if not muscle:
            raise ValueError("Choose a muscle first.")
        if self.answered:
            raise ValueError("Already answered: press Next.")
        guess = self.atlas.find_muscle(muscle).name
        right = guess == self.current
        self.answered = True
        self.score += int(right)
        name = self.atlas.muscles.at[self.current, "name"]
        self.status.value = message(
            f"Right: {name}." if right else f"Not quite: this is {name}.", "ok" if right else "warn"
        )
        self.progress.value = f"<b>Score: {self.score} / {self.index + 1}</b>"
        self.reveal()
        return right

    def reveal(self) -> None:
        self.revealed = True
        name = self.atlas.muscles.at[self.current, "name"]
        self.show_pattern(self.current, title=f"Question {self.index + 1}: {name}")

    def next(self) -> None:
        if self.index + 1 >= len(self.questions):
            self.status.value = message(f"Finished: {self.score} of {len(self.questions)} right.", "ok")
            return
        self.index += 1
        self._ask()


def quiz(
    atlas: Atlas,
    pool: Sequence[str] | str | None = None,
    n: int = 10,
    seed: int | None = None,
    choices: int = 4,
    theme: str = "screen",
) -> Quiz:
    """A referral-pattern quiz; ``pool`` (muscle names or a body area), ``n`` and ``seed`` set it for a class."""
    return Quiz(atlas, pool=pool, n=n, seed=seed, choices=choices, theme=theme)
