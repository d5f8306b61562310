"""Shared pieces of the explorers: the guarded base class, messages, the muscle card."""

from __future__ import annotations

import functools
import html
import traceback
from collections.abc import Callable, Sequence

import ipywidgets as widgets
import traitlets

from dnviz import citations
from dnviz._constants import DISCLAIMER
from dnviz.atlas import Atlas
from dnviz.themes import get_theme
from dnviz.vocabulary import BODY_AREA_NAMES

AREAS = BODY_AREA_NAMES


def esc(text: object) -> str:
    return html.escape(str(text))


def message(text: str, kind: str = "info") -> str:
    colour = {"info": "#1f4e79", "error": "#8b0000", "ok": "#1b5e20", "warn": "#7a4a00"}[kind]
    return f"<div class='dnviz-msg dnviz-{kind}' style='color:{colour};margin:4px 0'>{esc(text)}</div>"


def lenient(trait: traitlets.TraitType) -> traitlets.TraitType:
    """A trait that shows a bad value set from Python as a message in the widget and keeps its value.

    ``explore_safety(atlas).needle_mm = "long"`` leaves the needle where it was and says why in the
    widget's status line, instead of raising a traceback into the notebook or the Voila log.
    """
    base = type(trait)

    class Lenient(base):  # type: ignore[misc, valid-type]
        def validate(self, obj, value):
            try:
                value = super().validate(obj, value)
                if isinstance(obj, Explorer) and obj.error:
                    obj.error = ""  # accepted (a cross-validator may still refuse it and say why)
                return value
            except traitlets.TraitError as err:
                current = obj._trait_values.get(self.name, self.default_value)
                if isinstance(obj, Explorer) and hasattr(obj, "status"):
                    obj.show_error(f"{self.name} = {value!r} was not accepted, kept {current!r}: {err}")
                    return current
                raise

    Lenient.__name__ = f"Lenient{base.__name__}"
    trait.__class__ = Lenient
    return trait


class Explorer(widgets.VBox):
    """Base: a status line and guarded callbacks; each explorer draws on a :class:`~dnviz.widgets.map.BodyMap`."""

    error = traitlets.Unicode("", help="The last error shown to the user, in plain words ('' if none).")

    def __init__(self, atlas: Atlas, theme: str = "screen", **kwargs):
        super().__init__(**kwargs)
        self.atlas = atlas
        self.theme = get_theme(theme)
        self.status = widgets.HTML(layout=widgets.Layout(min_height="1.6em"))
        self.add_class("dnviz-explorer")
        self.add_class(f"dnviz-{type(self).__name__.lower()}")
        self.add_class(f"dnviz-theme-{self.theme.name}")

    def guard(self, fn: Callable) -> Callable:
        """Wrap a callback: an exception becomes a message in the widget, never a silent log line."""

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                self.error = ""
                return fn(*args, **kwargs)
            except (LookupError, ValueError) as err:
                self.show_error(str(err.args[0]) if err.args else str(err))
            except Exception as err:
                self.show_error(f"Something went wrong: {type(err).__name__}: {err}")
                traceback.print_exc()
            return None

        return wrapper

    def show_error(self, text: str) -> None:
        self.error = text
        self.status.value = message(text, "error")

    def refuse(self, name: str, value: object, why: str) -> object:
        """In a trait validator: show why ``value`` is refused and keep the trait's current value."""
        current = self._trait_values.get(name)
        self.show_error(f"{name} = {value!r} was not accepted, kept {current!r}: {why}")
        return current


def source_links(atlas: Atlas, source_ids: Sequence[str]) -> str:
    """Full citations as an HTML list, each linked to its DOI or http(s) URL when it has one."""
    items = []
    for source in citations.lookup(atlas.citations, source_ids):
        cite = esc(source.full)
        if source.link:
            cite = f"<a href='{esc(source.link)}' target='_blank' rel='noopener noreferrer'>{cite}</a>"
        items.append(f"<li>{cite}</li>")
    return "<ol class='dnviz-sources'>" + "".join(items) + "</ol>"


def muscle_card(atlas: Atlas, muscle_id: str) -> str:
    """HTML card of a muscle: every field escaped, sources as links."""
    m = atlas.muscles.loc[muscle_id]
    risk = str(m["pneumothorax_risk"])
    badge = {"high": "#7B2D8E", "caution": "#B8860B", "none": "#4d4d4d"}[risk]
    rows = [
        ("Also called", ", ".join(m["synonyms"]) or "–"),
        ("Attachments", m["attachments"]),
        ("Action", m["action"]),
        ("Innervation", m["innervation"]),
        ("Needling notes", m["needling_notes"]),
        ("Structures at risk", m["structures_at_risk"]),
    ]
    tps = atlas.trigger_points[atlas.trigger_points["muscle_id"] == muscle_id]
    tp_items = "".join(f"<li><b>{esc(tp['label'])}</b>: {esc(tp['location'])}</li>" for _, tp in tps.iterrows())
    zones = grade_items(atlas, muscle_id)
    sources = list(dict.fromkeys([*m["source_ids"], *m["pneumothorax_source_ids"]]))
    body = "".join(
        f"<tr><th style='text-align:left;vertical-align:top;padding-right:8px'>{esc(k)}</th><td>{esc(v)}</td></tr>"
        for k, v in rows
    )
    return (
        f"<div class='dnviz-card'><h3 style='margin:4px 0'>{esc(m['name'])}</h3>"
        f"<p><span style='background:{badge};color:white;padding:2px 6px;border-radius:4px'>"
        f"Pneumothorax risk: {esc(risk)}</span></p><table>{body}</table>"
        f"<p><b>Trigger points</b></p><ul>{tp_items}</ul>{zones}<p><b>Sources</b></p>{source_links(atlas, sources)}"
        f"<p style='font-size:smaller'><i>{esc(DISCLAIMER)}</i></p></div>"
    )


def grade_items(atlas: Atlas, muscle_id: str) -> str:
    """The muscle's referral zones with the grade of evidence behind each (HTML, escaped)."""
    from dnviz._evidence import GRADE_NAMES, GRADES

    pattern = atlas.patterns.get(muscle_id)
    if pattern is None or "grade" not in pattern.columns or pattern.empty:
        return ""
    items = []
    for label, g in pattern.groupby("label", sort=False):
        zones = ", ".join(
            f"{esc(str(r.region_name).lower())} ({esc(str(r.kind))}, <i>{esc(str(r.grade))}</i>)"
            for r in g.itertuples()
        )
        items.append(f"<li><b>{esc(label)}</b>: {zones}</li>")
    counts = pattern["grade"].astype(str).value_counts()
    legend = "; ".join(f"<i>{esc(g)}</i>: {esc(GRADE_NAMES[g])} ({counts[g]})" for g in reversed(GRADES) if g in counts)
    return (
        f"<p><b>Referral zones and the evidence behind each</b></p><ul>{''.join(items)}</ul>"
        f"<p style='font-size:smaller'>Grades, strongest first: {legend}.</p>"
    )
