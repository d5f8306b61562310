"""The referral-pattern quiz on the browser map, seeded so a whole class gets the same questions, with results for an LMS.

Four kinds of question (:data:`dnviz.widgets.question_sets.KINDS`): name the muscle from its
pattern (``name``), pick one of a named muscle's essential zones (``zone``), and two answered on
the map: click where the trigger point is (``point``, scored by distance on the body) and click a
muscle's essential zones (``zones``, scored by overlap); see :mod:`dnviz.widgets.quiz_scoring`.
"""

from __future__ import annotations

import os
import random
from collections.abc import Sequence
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import traitlets

from dnviz.atlas import Atlas
from dnviz.vocabulary import check_choice, check_count
from dnviz.widgets._base import AREAS, Explorer, esc, message
from dnviz.widgets.map import BodyMap
from dnviz.widgets.question_sets import KINDS, MAP_KINDS, QUESTION_SIDES, Question, question_set
from dnviz.widgets.quiz_scoring import (
    POINT_TOLERANCE_CM,
    VIEW_WORDS,
    ZONES_RIGHT,
    answer_pins,
    point_score,
    start_window,
    zones_score,
)


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


def pool_questions(
    atlas: Atlas,
    pool: Sequence[str] | str | None = None,
    n: int = 10,
    seed: int | None = None,
    choices: int = 4,
    kind: str | Sequence[str] = "name",
) -> list[Question]:
    """The questions of a pool quiz: the muscles of :func:`quiz_questions`, asked as ``kind`` (see :func:`quiz`).

    A quiz of ``name`` questions only is exactly the one :func:`quiz_questions` gives (the same
    seed, the same options); other kinds are built as a question set would build them, seeded too.
    """
    ids, options = quiz_questions(atlas, pool=pool, n=n, seed=seed, choices=choices)
    kinds = quiz_kinds(kind, len(ids), seed)
    if set(kinds) == {"name"}:
        names = atlas.muscles["name"]
        return [
            Question(
                i + 1, f"q{i + 1}", m, "name", "Which muscle refers pain here?", tuple((names[o], o) for o in opts), m
            )
            for i, (m, opts) in enumerate(zip(ids, options))
        ]
    rows = [
        {"muscle": m, "kind": k, **({"choices": str(min(choices, 8))} if k not in MAP_KINDS else {})}
        for m, k in zip(ids, kinds)
    ]
    return question_set(atlas, rows, seed=seed if seed is not None else random.randrange(2**31))


def quiz_kinds(kind: str | Sequence[str], n: int, seed: int | None) -> list[str]:
    """The kind of each of ``n`` questions: one kind, or a seeded, balanced mix (``"mix"`` or a list of kinds)."""
    if isinstance(kind, str) and kind != "mix":
        check_choice("kind", kind, tuple(KINDS) + ("mix",))
        return [kind] * n
    kinds = list(MIX) if kind == "mix" else list(kind)
    if not kinds:
        raise ValueError("kind must name at least one kind of question")
    for k in kinds:
        check_choice("kind", k, tuple(KINDS))
    out = [kinds[i % len(kinds)] for i in range(n)]
    random.Random(f"{seed}:kinds").shuffle(out)
    return out


#: The kinds of a ``kind="mix"`` quiz.
MIX = ("name", "point", "zones")
#: The map's windows a student can zoom to in a ``zones`` question (the pattern's own window would give it away).
ZOOMS = (
    ("Whole body", "whole"),
    ("Head and neck", "head_neck"),
    ("Shoulder and arm", "shoulder_arm"),
    ("Forearm and hand", "forearm_hand"),
    ("Trunk", "trunk"),
    ("Hip and thigh", "hip_thigh"),
    ("Leg and foot", "leg_foot"),
)
LAYERS = {"name": {}, "zone": {}, "point": {"tps": False}, "zones": {"zones": False}}
MODES = {"name": "pattern", "zone": "pattern", "point": "point", "zones": "pain"}
HINTS = {
    "name": "Choose an answer, then Check.",
    "zone": "Choose an answer, then Check.",
    "point": "Click the map where you would find the trigger point.",
    "zones": "Click each essential zone on the map (click again to unmark), then Check.",
}
# The panel beside the map, readable from the back of a room when presenting (fonts 26 px, targets 48 px).
CSS = """<style>
.dnviz-quiz .dnviz-quiz-row{align-items:flex-start;gap:18px;flex-wrap:wrap}
.dnviz-quiz .dnviz-quiz-panel{--jp-widgets-font-size:16px;--jp-widgets-inline-height:36px;font-size:16px;gap:8px}
.dnviz-quiz .dnviz-quiz-panel .widget-html-content{font-size:inherit;line-height:1.35}
.dnviz-quiz .dnviz-quiz-prompt{font-size:1.1em;font-weight:600;line-height:1.3;white-space:normal}
.dnviz-quiz .dnviz-quiz-progress{font-size:1.05em}
.dnviz-quiz .dnviz-quiz-panel .widget-radio-box{gap:2px}
.dnviz-quiz .dnviz-quiz-panel .widget-hbox{gap:6px}
.dnviz-quiz .dnviz-quiz-panel .widget-radio-box label{display:flex;flex-direction:row;justify-content:flex-start;
  align-items:center;gap:.5em;font-size:1em;
  line-height:1.3;min-height:2.2em;white-space:normal;cursor:pointer}
.dnviz-quiz .dnviz-quiz-panel .widget-radio-box input{order:-1;width:1.1em;height:1.1em;flex:0 0 auto;margin:0}
.dnviz-quiz .dnviz-quiz-panel button.jupyter-button{font-size:1em;width:auto;height:auto;min-height:2.4em;padding:0 .9em}
.dnviz-quiz .dnviz-quiz-panel select{font-size:1em;height:auto;min-height:2.2em}
.dnviz-quiz .dnviz-quiz-panel .widget-label{font-size:1em;line-height:2.2em;height:auto}
.dnviz-quiz .dnviz-quiz-panel .dnviz-msg{font-size:1em}
.dnviz-quiz.dnviz-present .dnviz-quiz-panel{--jp-widgets-font-size:26px;--jp-widgets-inline-height:48px;font-size:26px}
.dnviz-quiz.dnviz-present .dnviz-quiz-panel button.jupyter-button{min-height:56px}
.dnviz-quiz.dnviz-present .dnviz-quiz-panel .widget-radio-box label{min-height:48px}
.dnviz-quiz.dnviz-present .dnviz-quiz-panel .widget-radio-box input{width:28px;height:28px}
</style>"""


class Quiz(Explorer):
    """A seeded quiz on referral patterns, drawn on the browser map: Check, Reveal, Next; answers kept for :meth:`results`.

    Built from a pool (``pool``, ``n``, ``seed``, ``kind``) or from an instructor's question set
    (``questions``: a table, see :mod:`dnviz.widgets.question_sets`). The map (:attr:`map`, a
    :class:`~dnviz.widgets.map.BodyMap`) hides the muscle's name until the question is answered;
    the question, the options and the buttons sit beside it. The state lives in traitlets that move
    the controls when set from Python: ``index`` (the question shown), ``choice`` (the option
    selected), ``score``, ``answered``, ``revealed``. An answer checked after Reveal showed it is
    recorded but never scores.

    A ``point`` question is answered by a click on the map (the map's ``last_click``), or from
    Python with ``submit({"view": "posterior", "x": 9, "y": 145})``; a ``zones`` question by
    marking regions (the map's ``marked``) and Check, or ``submit(["temple", "mastoid"])``.
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
        kind: str | Sequence[str] = "name",
    ):
        super().__init__(atlas, theme)
        if questions is not None:
            if pool is not None:
                raise ValueError("give either pool= (a quick quiz) or questions= (a question set), not both")
            self.items = question_set(atlas, questions, seed=seed)
        else:
            self.items = pool_questions(atlas, pool=pool, n=n, seed=seed, choices=choices, kind=kind)
        self.seed = seed
        self._records: dict[int, dict] = {}
        self.map = BodyMap(atlas, theme=self.theme, hide_names=True)
        self.map.layout = widgets.Layout(flex="1 1 560px", min_width="0")
        self.progress = widgets.HTML().add_class("dnviz-quiz-progress")
        self.prompt = widgets.HTML().add_class("dnviz-quiz-prompt")
        self.answer = widgets.RadioButtons(options=[], layout=widgets.Layout(width="auto"))
        self.zoom = widgets.Dropdown(
            options=ZOOMS,
            value="whole",
            description="Zoom",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.check_button = widgets.Button(description="Check", button_style="primary", icon="check")
        self.reveal_button = widgets.Button(description="Reveal", icon="eye")
        self.next_button = widgets.Button(description="Next", icon="arrow-right")
        self.check_button.on_click(self.guard(lambda _: self._on_check_button()))
        self.reveal_button.on_click(self.guard(lambda _: self.reveal()))
        self.next_button.on_click(self.guard(lambda _: self.next()))
        self.answer.observe(self.guard(lambda ch: setattr(self, "choice", ch["new"])), "value")
        self.zoom.observe(self.guard(lambda ch: setattr(self.map, "window", ch["new"])), "value")
        self.map.observe(self.guard(self._on_click), "last_click")
        self.map.observe(self.guard(self._on_marked), "marked")
        self.observe(self.guard(self._on_choice), "choice")
        self.observe(self.guard(lambda _: self._ask()), "index")
        self.observe(self.guard(lambda _: self._show_progress()), "score")
        self.observe(self.guard(self._on_revealed), "revealed")
        self.panel = widgets.VBox(
            [
                self.progress,
                self.prompt,
                self.answer,
                self.zoom,
                widgets.HBox(
                    [self.check_button, self.reveal_button, self.next_button],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                self.status,
            ],
            layout=widgets.Layout(flex="0 1 22em", min_width="16em"),
        ).add_class("dnviz-quiz-panel")
        self.children = [
            widgets.HTML(CSS, layout=widgets.Layout(display="none")),
            widgets.HBox([self.map, self.panel]).add_class("dnviz-quiz-row"),
        ]
        if self.theme.name == "present":
            self.present(True)
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
        """The option values (muscle or region ids) of each question, in the order shown (none for map questions)."""
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
            if self.question.kind in MAP_KINDS:
                raise traitlets.TraitError(f"this question is answered on the map, not by choosing {value!r}")
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
        on_map = q.kind in MAP_KINDS
        self.answer.options = list(q.options)
        self.answer.value = record["value"] if record and record["value"] in [v for _, v in q.options] else None
        self.choice = self.answer.value
        self.answer.layout.display = "none" if on_map else None
        self.check_button.layout.display = "none" if q.kind == "point" else None
        self.zoom.layout.display = None if q.kind == "zones" else "none"
        self.prompt.value = esc(q.prompt)
        window = start_window(self.atlas, q.muscle, q.side) if q.kind == "zones" else "auto"
        with self.map.hold_sync():
            self.map.tp = None  # before the muscle: a trigger point's number belongs to one muscle
            self.map.side = q.side
            self.map.muscle = "" if q.kind == "zone" else q.muscle  # a zone question names the muscle
            self.map.hide_names = True
            self.map.layers = dict(LAYERS[q.kind])
            self.map.mode = MODES[q.kind]
            self.map.pins = []
            self.map.marked = []
            self.map.window = window  # for zones, not "auto": it would frame the zones asked for
            self.map.title = f"Question {q.number} of {len(self.items)}"
        self.zoom.value = window if q.kind == "zones" else "whole"
        if record:
            self._show_answer()
        self._show_progress()
        self.status.value = message(f"{HINTS[q.kind]} Reveal shows the answer (it then scores no point).")

    def _show_progress(self) -> None:
        self.progress.value = (
            f"<b>Question {self.index + 1} of {len(self.items)} · Score: {self.score} / {len(self._records)}</b>"
        )

    def _on_choice(self, change) -> None:
        if self.answer.value != change["new"]:
            self.answer.value = change["new"]

    def _on_revealed(self, change) -> None:
        if change["new"]:
            self._show_answer()

    def _on_click(self, change) -> None:
        """A click on the map (``last_click``, set by the browser): a point question is answered by it."""
        click = change["new"] or {}
        if self.question.kind != "point" or not click:
            return
        if self.answered:
            self.status.value = message("Already answered: press Next.", "info")
            return
        self.submit(click)

    def _on_marked(self, change) -> None:
        """Regions marked on the map for a zones question: say what is marked so far."""
        q = self.question
        if q.kind != "zones" or self.answered:
            return
        names = self.atlas.regions["name"]
        marked = [f"{str(names.get(r, r)).lower()} ({s})" for r, s in change["new"] or []]
        text = f"Marked {len(marked)}: {', '.join(marked)}. Check when done." if marked else HINTS["zones"]
        self.status.value = message(text)

    def _show_answer(self) -> None:
        q = self.question
        record = self._records.get(self.index)
        name = self.atlas.muscles.at[q.muscle, "name"]
        extra = f": an essential zone is {q.answer_label}" if q.kind == "zone" else ""
        with self.map.hold_sync():
            self.map.muscle = q.muscle
            self.map.hide_names = False
            self.map.layers = {}
            if q.kind == "point":
                self.map.pins = record["pins"] if record else answer_pins(self.atlas, q.muscle, q.side)
            if q.kind == "zones" and record:
                self.map.marked = record["value"]
            if record:
                self.map.mode = "pattern"  # answered: clicks do nothing more
            self.map.title = f"Question {q.number}: {name}{extra}"

    # -- actions ---------------------------------------------------------------------------------
    def _on_check_button(self) -> None:
        """The Check button: the option chosen, or the regions marked on the map."""
        self.submit(None if self.question.kind == "zones" else self.choice)

    def submit(self, answer=None) -> bool:
        """Check an answer to the current question; returns True when it is right.

        ``answer`` is an option's value or label, or a muscle's name (``name`` and ``zone``
        questions); a click ``{"view", "x", "y"}`` or ``(view, x, y)`` in the view's plot cm
        (``point``); regions as ids, names or ``[region, side]`` pairs (``zones``; None takes the
        regions marked on the map). An answer checked after Reveal is recorded with
        ``revealed_first=True`` and scores no point.
        """
        q = self.question
        if q.kind == "zones" and answer is None:
            answer = list(self.map.marked)
        if answer is None or (not answer and not isinstance(answer, (int, float))):
            raise ValueError(
                {
                    "name": "Choose a muscle first.",
                    "zone": "Choose a zone first.",
                    "point": "Click the map where the trigger point is.",
                    "zones": "Mark at least one zone first: click the regions on the map.",
                }[q.kind]
            )
        if self.answered:
            raise ValueError("Already answered: press Next.")
        if q.kind == "point":
            right, text, record = self._score_point(answer)
        elif q.kind == "zones":
            right, text, record = self._score_zones(answer)
        else:
            value = self._resolve(answer)
            right = value == q.answer
            label = dict((v, k) for k, v in q.options).get(value) or self.atlas.muscles["name"].get(value, value)
            text = f"Right: {q.answer_label}." if right else f"Not quite: the answer is {q.answer_label}."
            record = {"value": value, "label": label}
        revealed_first = self.revealed
        self._records[self.index] = {
            **record,
            "correct": right,
            "revealed_first": revealed_first,
            "timestamp": pd.Timestamp.now(tz="UTC"),
        }
        self.answered = True
        self.score += int(right and not revealed_first)
        self._show_progress()
        if revealed_first:
            text, kind = f"The answer was shown first: recorded, no point. It is {q.answer_label}.", "warn"
        else:
            kind = "ok" if right else "warn"
        self.status.value = message(text, kind)
        if self.revealed:
            self._show_answer()  # the click's pins, the marked regions
        else:
            self.revealed = True
        return right

    def _score_point(self, click) -> tuple[bool, str, dict]:
        q = self.question
        name = self.atlas.muscles.at[q.muscle, "name"]
        s = point_score(self.atlas, q.muscle, q.side, click)
        where = VIEW_WORDS[s.view]
        pin = {"view": s.view, "x": s.x, "y": s.y, "answer": False}
        if s.tp is None:
            views = " and ".join(VIEW_WORDS[v] for v in s.views)
            label = f"a click on the {where} view, which shows no trigger point of {name} ({q.side} side)"
            text = f"Missed: on the {q.side} side the trigger points of {name} are drawn on the {views} view."
            pins = [{**pin, "name": "Your click"}, *answer_pins(self.atlas, q.muscle, q.side)]
        else:
            label = f"{s.distance_cm:.1f} cm from trigger point {s.tp} ({where} view)"
            if s.right:
                text = f"Right: {s.distance_cm:.1f} cm from trigger point {s.tp} of {name}."
            elif s.mirrored:
                other = "left" if q.side == "right" else "right"
                text = (
                    f"Missed: that is where the trigger point lies on the {other} side; this pattern is on the "
                    f"{q.side} side ({s.distance_cm:.1f} cm away)."
                )
            else:
                text = (
                    f"Not quite: {s.distance_cm:.1f} cm from the nearest trigger point ({s.tp}); "
                    f"within {POINT_TOLERANCE_CM:g} cm counts."
                )
            pins = [
                {**pin, "name": f"Your click: {s.distance_cm:.1f} cm away", "to": list(s.to)},
                {"view": s.view, "x": s.to[0], "y": s.to[1], "name": f"{name} trigger point {s.tp}", "answer": True},
            ]
        value = {"view": s.view, "x": s.x, "y": s.y}
        return s.right, text, {"value": value, "label": label, "distance_cm": s.distance_cm, "pins": pins}

    def _score_zones(self, answer) -> tuple[bool, str, dict]:
        q = self.question
        pairs: list[list[str]] = []
        items = [answer] if isinstance(answer, str) else list(answer)
        for item in items:
            if isinstance(item, str):
                region, side = item, q.side
            elif isinstance(item, Sequence) and len(item) == 2:
                region, side = item
            else:
                raise ValueError(
                    f"give regions as names or [region, side] pairs such as ['temple', 'left'], not {item!r}"
                )
            check_choice("side", side, QUESTION_SIDES)
            pairs += [[leaf, side] for leaf in self.atlas.leaf_regions(str(region)) if [leaf, side] not in pairs]
        s = zones_score(self.atlas, q.muscle, q.side, pairs)
        names = self.atlas.regions["name"]

        def words(found) -> str:
            return ", ".join(f"{str(names[r]).lower()} ({side})" for r, side in found)

        parts = [f"overlap {s.overlap:.0%} with the essential zones"]
        if s.hits:
            parts.append(f"found: {words(s.hits)}")
        if s.missed:
            parts.append(f"missed: {words(s.missed)}")
        if s.extra:
            parts.append(f"not essential: {words(s.extra)}")
        if s.spillover:
            parts.append(f"spillover, not counted: {words(s.spillover)}")
        head = "Right" if s.right else f"Not quite (at least {ZONES_RIGHT:.0%} counts)"
        label = words(sorted((r, side) for r, side in pairs))
        return s.right, f"{head}: {'; '.join(parts)}.", {"value": pairs, "label": label, "overlap": s.overlap}

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

    def present(self, on: bool = True) -> None:
        """Sizes for projecting: the map's fonts and crosses, the question, options and buttons (26 px, 48 px targets)."""
        self.map.present(on)  # sized so that the map and the panel beside it fit one 1920x1080 screen
        if on:
            self.add_class("dnviz-present")
        else:
            self.remove_class("dnviz-present")

    def save_html(self, path: str | os.PathLike, overwrite: bool = False) -> Path:
        """Write this quiz as one offline HTML page that works with no Python running; returns its path.

        The page holds the map, the questions and their answers: naming the muscle, picking a
        zone, clicking the trigger point and marking the zones are scored in the browser with the
        same rules (:mod:`dnviz.widgets.quiz_scoring`), for a course web page or an LMS. It starts
        at question 1 with no answers, keeps the score only while it is open, fetches nothing
        from the network, and, since the answers are in the page, is for practice, not for a
        graded exam. An existing file is kept unless ``overwrite=True``.
        """
        from dnviz.widgets.offline import page_html, write_page

        questions = [
            {
                "number": q.number,
                "id": q.question_id,
                "kind": q.kind,
                "muscle": q.muscle,
                "side": q.side,
                "prompt": q.prompt,
                "options": [list(o) for o in q.options],
                "answer": q.answer,
                "answer_label": q.answer_label,
                "window": start_window(self.atlas, q.muscle, q.side) if q.kind == "zones" else "auto",
            }
            for q in self.items
        ]
        extra = {
            "questions": questions,
            "scoring": {"tolerance_cm": POINT_TOLERANCE_CM, "zones_right": ZONES_RIGHT},
            "views": VIEW_WORDS,
            "zooms": [list(z) for z in ZOOMS],
            "regions": {str(k): str(v) for k, v in self.atlas.regions["name"].items()},
            "hints": HINTS,
        }
        n = len(self.items)
        title = f"Quiz: referral patterns ({n} question{'s' if n != 1 else ''})"
        # the page says the disclaimer under the quiz; the map need not repeat it
        html = page_html(self.atlas, "quiz", {"hide_names": True, "controls": [], "disclaimer": ""}, extra, title)
        return write_page(path, html, overwrite=overwrite)

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
        "distance_cm",
        "overlap",
    )

    def results(self, student: str | None = None) -> pd.DataFrame:
        """The student's answers, one row per question in the order asked (unanswered rows left blank).

        Columns: ``question`` (1, 2, ...), ``question_id``, ``muscle`` (id), ``kind``,
        ``answer_given`` and ``correct_answer`` (as shown on screen), ``correct``,
        ``revealed_first`` (Reveal was pressed before Check), ``scored`` (correct and not
        revealed first), ``timestamp`` (UTC, when Check was pressed), ``distance_cm`` (a ``point``
        question: from the click to the nearest trigger point on the view clicked) and ``overlap``
        (a ``zones`` question: the Jaccard index of the marked and the essential zones). With
        ``student`` (a name or an LMS id), a first column ``student`` holds it on every row.
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
                    "distance_cm": (r.get("distance_cm") if r else None),
                    "overlap": (r.get("overlap") if r else None),
                }
            )
        frame = pd.DataFrame(rows, columns=list(self.RESULT_COLUMNS))
        for column in ("correct", "revealed_first"):
            frame[column] = frame[column].astype("boolean")
        frame["scored"] = frame["scored"].astype(bool)
        frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
        for column in ("distance_cm", "overlap"):
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Float64")
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
    kind: str | Sequence[str] = "name",
) -> Quiz:
    """A referral-pattern quiz for a class.

    Either a quick quiz from ``pool`` (muscle names or a body area), ``n``, ``seed`` and ``kind``,
    or an instructor's question set: ``questions`` is a DataFrame, a list of dicts or the path of a
    CSV file with the columns described in :mod:`dnviz.widgets.question_sets` (``muscle``,
    ``kind``, ``choices``, ``seed``, ``distractors``, ``question``, ``side``).
    ``quiz.results()`` returns the answers; ``quiz.save_html(path)`` writes the quiz as one page
    that works with no Python running.

    ``kind`` (pool quizzes): ``"name"`` (name the muscle from its pattern, the default),
    ``"zone"`` (pick an essential zone), ``"point"`` (click where the trigger point is),
    ``"zones"`` (click the essential zones), ``"mix"`` (name, point and zones in turn, in a seeded
    order) or a list of these kinds to mix.

    Examples
    --------
    >>> from dnviz import load_atlas
    >>> q = quiz(load_atlas(), questions=[{"muscle": "SCM"}, {"muscle": "masseter", "kind": "zone"}], seed=1)
    >>> q.submit(q.question.answer)
    True
    >>> q.results().loc[0, ["muscle", "kind", "correct", "scored"]].to_dict()
    {'muscle': 'sternocleidomastoid', 'kind': 'name', 'correct': True, 'scored': True}
    """
    return Quiz(atlas, pool=pool, n=n, seed=seed, choices=choices, theme=theme, questions=questions, kind=kind)
