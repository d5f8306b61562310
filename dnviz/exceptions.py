"""The errors dnviz raises, in one family.

A look-up that finds nothing raises a :class:`NotFoundError` (a :class:`LookupError`), whatever
it looked for; each keeps what was asked (``query``) and the closest known names
(``suggestions``), so a notebook or an explorer can offer them:

- :class:`MuscleNotFoundError`: a muscle name, synonym or id (also when a name is ambiguous);
- :class:`RegionNotFoundError`: a body region;
- :class:`SiteNotFoundError`: a needling site with published depths (also a :class:`ValueError`,
  which it was before this family existed);
- :class:`SourceNotFoundError`: a source id (also a :class:`KeyError`, as before).

Data that breaks the schema raises :class:`AtlasValidationError` (a :class:`ValueError`) listing
every :class:`Problem` with its file, row, column, value and fix.

>>> import dnviz
>>> try:
...     dnviz.load_atlas().find_muscle("no such muscle")
... except dnviz.NotFoundError as err:
...     print(type(err).__name__, err.query)
MuscleNotFoundError no such muscle
"""

from __future__ import annotations

from collections.abc import Sequence

from dnviz._validation import AtlasValidationError, Problem

__all__ = [
    "AtlasValidationError",
    "MuscleNotFoundError",
    "NotFoundError",
    "Problem",
    "RegionNotFoundError",
    "SiteNotFoundError",
    "SourceNotFoundError",
    "SymptomNotFoundError",
]


class NotFoundError(LookupError):
    """Nothing matches ``query``; ``suggestions`` holds the closest known names (may be empty).

    Parameters
    ----------
    query : str
        What was asked for, as given.
    suggestions : sequence of str
        The closest names or ids, best first.
    message : str
        The whole message: what was not found, the suggestions and what to do.
    """

    def __init__(self, query: object, suggestions: Sequence[str], message: str):
        self.query = query
        self.suggestions = list(suggestions)
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would show the repr of the message
        return self.message

    def __reduce__(self):  # pickle by state: the subclasses' __init__ take other arguments
        return (_restore, (type(self), dict(self.__dict__)))


def _restore(cls: type[NotFoundError], state: dict) -> NotFoundError:
    err = cls.__new__(cls)
    err.__dict__.update(state)
    err.args = (state["message"],)
    return err


def _did_you_mean(suggestions: Sequence[str]) -> str:
    return f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""


class MuscleNotFoundError(NotFoundError):
    """No muscle matches a name well enough, or the name fits several (``ambiguous``).

    ``suggestions`` holds the closest muscle names, or the muscles an ambiguous name fits.
    """

    def __init__(self, query: object, suggestions: Sequence[str], ambiguous: bool = False):
        self.ambiguous = ambiguous
        what = "is ambiguous" if ambiguous else "matches no muscle"
        super().__init__(query, suggestions, f"{query!r} {what}.{_did_you_mean(list(suggestions))}")


class SymptomNotFoundError(NotFoundError):
    """No listed complaint matches, or the words fit several (``ambiguous``: "headache").

    ``suggestions`` holds the closest complaints, or those an ambiguous query fits.
    """

    def __init__(self, query: object, suggestions: Sequence[str], ambiguous: bool = False):
        self.ambiguous = ambiguous
        what = "fits several complaints" if ambiguous else "matches no listed complaint"
        hint = _did_you_mean(list(suggestions))
        super().__init__(
            query,
            suggestions,
            f"{query!r} {what}.{hint} atlas.symptoms lists them all; or mark the painful regions "
            "with atlas.candidates([...]).",
        )


class RegionNotFoundError(NotFoundError):
    """No region matches a name; ``suggestions`` holds the closest region ids."""

    def __init__(self, query: object, suggestions: Sequence[str]):
        hint = _did_you_mean(list(suggestions))
        super().__init__(query, suggestions, f"{query!r} is not a region.{hint} atlas.regions lists them all.")


class SiteNotFoundError(NotFoundError, ValueError):
    """No needling site with published depths matches; ``suggestions`` holds the closest site ids.

    ``listing`` names every site with published depths, for the message.
    """

    def __init__(self, query: object, suggestions: Sequence[str], listing: str = ""):
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        tail = f" Sites with published depths: {listing}." if listing else ""
        super().__init__(query, suggestions, f"no published depths for site {query!r}{hint}{tail}")


class SourceNotFoundError(NotFoundError, KeyError):
    """A source id that ``atlas.sources`` does not hold; ``suggestions`` holds the closest ids.

    ``missing`` lists every unknown id of the request; ``query`` is the first of them.
    """

    def __init__(self, missing: Sequence[str], suggestions: Sequence[str]):
        self.missing = list(missing)
        hint = f"; did you mean {', '.join(map(repr, suggestions))}?" if suggestions else ""
        super().__init__(
            self.missing[0] if self.missing else "",
            suggestions,
            f"unknown source id(s) {', '.join(map(repr, self.missing))}{hint} atlas.sources lists them all.",
        )
