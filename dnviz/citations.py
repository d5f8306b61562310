"""Citations of the atlas's sources, full and short, in one place.

The atlas formats every source once (:attr:`dnviz.Atlas.citations`); figures, widgets, the needle
check and notebooks ask it through :meth:`dnviz.Atlas.cite` or :func:`sources_label`.

>>> import dnviz
>>> atlas = dnviz.load_atlas()
>>> atlas.cite("simons1999upper", short=True)
['Simons 1999']
>>> sources_label(atlas, ["simons1999upper", "travell1983upper", "travell1992lower"])
'Simons 1999; Travell 1983 +1'
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

import pandas as pd

from dnviz.exceptions import SourceNotFoundError

if TYPE_CHECKING:
    from dnviz.atlas import Atlas

_INITIALS = re.compile(r"^[A-Z]{1,3}$")  # "DG" in "Simons DG"
_ASIDE = re.compile(r"\s*\([^)]*\)")  # "(medically reviewed by ...)"


class Citation(NamedTuple):
    """One source, formatted: ``full`` reference, ``short`` author-year label, ``link`` (or None)."""

    full: str
    short: str
    link: str | None


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or str(value).strip() == ""


def full_citation(row) -> str:
    """``Authors (year). Title. Container, volume:pages. doi:...`` (or the URL when there is no DOI)."""
    year = "n.d." if _missing(row.year) else row.year
    text = f"{row.authors} ({year}). {row.title}. {row.container}"
    if not _missing(row.volume_pages):
        text += f", {row.volume_pages}"
    text += "."
    if not _missing(row.doi):
        text += f" doi:{row.doi}"
    elif not _missing(row.url):
        text += f" {row.url}"
    return text


def short_citation(row) -> str:
    """First author's surname (or the whole name of an organisation) and the year: ``Simons 1999``.

    When the author is unknown the container names the source (``Physiopedia``), and when that is
    unknown too, the first words of the title.
    """
    first = _ASIDE.sub("", str(row.authors)).split(",")[0].strip()
    words = first.split()
    if len(words) > 1 and _INITIALS.match(words[-1]):
        first = " ".join(words[:-1])
    if _missing(first) or first.lower() == "unknown":
        first = _ASIDE.sub("", str(row.container)).strip()
    if _missing(first) or first.lower() == "unknown":
        title = re.sub(r"^unknown \((.*)\)$", r"\1", str(row.title)).split()  # "unknown (letter to ...)"
        first = " ".join(title[:5]) + ("…" if len(title) > 5 else "")
    return first if _missing(row.year) else f"{first} {row.year}"


def source_link(row) -> str | None:
    """``https://doi.org/<doi>`` for a DOI, else the source's http(s) URL, else None."""
    if not _missing(row.doi):
        return f"https://doi.org/{row.doi}"
    url = None if _missing(row.url) else str(row.url)
    return url if url and url.startswith(("http://", "https://")) else None


def format_sources(sources: pd.DataFrame) -> dict[str, Citation]:
    """Every source formatted once: source id -> :class:`Citation`."""
    return {
        source_id: Citation(full_citation(row), short_citation(row), source_link(row))
        for source_id, row in zip(sources.index, sources.itertuples(index=False))
    }


def lookup(citations: dict[str, Citation], source_ids: str | Iterable[str]) -> list[Citation]:
    """The citations of ``source_ids`` in the order given; raises :class:`SourceNotFoundError`."""
    ids = [source_ids] if isinstance(source_ids, str) else list(source_ids)
    missing = [s for s in ids if not isinstance(s, str) or s not in citations]
    if missing:
        close = difflib.get_close_matches(str(missing[0]), list(citations), n=3)
        raise SourceNotFoundError(missing, close)
    return [citations[s] for s in ids]


def sources_label(atlas: Atlas, source_ids: str | Iterable[str], most: int = 2) -> str:
    """Short citations for a hover label: ``'Simons 1999; Travell 1983 +1'`` (at most ``most`` named)."""
    ids = [source_ids] if isinstance(source_ids, str) else list(dict.fromkeys(source_ids))
    shorts = atlas.cite(ids, short=True)
    more = len(shorts) - most
    return "; ".join(shorts[:most]) + (f" +{more}" if more > 0 else "")
