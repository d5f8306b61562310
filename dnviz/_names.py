"""Muscle names: how they are normalised, indexed, looked up, and checked for collisions.

One rule serves both search and validation: a name is compared after :func:`normalise` (case,
accents, punctuation and spacing ignored; letters of any script kept), as written, without
spaces, and with its words sorted (:func:`name_keys`). Every key names one muscle, or one declared
group (``muscle_groups.csv``); :func:`name_problems` reports any key that names two.

>>> normalise("  Upper-Trap. ")
'upper trap'
>>> sorted(name_keys("trap upper"))
['trap upper', 'trapupper']
>>> normalise("💪")
''
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator

import pandas as pd

from dnviz._validation import Problem, Table, split_list
from dnviz.exceptions import MuscleNotFoundError

MAX_NAME_LENGTH = 100
"""Longest muscle name :meth:`NameIndex.lookup` accepts (the longest bundled name has 55 characters)."""

MATCH = 0.8  # a fuzzy match needs this similarity...
MARGIN = 0.04  # ...and this lead over the next muscle; closer contenders are offered as a choice
SUGGEST = 0.45  # weaker matches are only suggested
ABBREVIATION = 4  # queries this short (SCM, QL, FPB) are never matched by similarity
TYPO = 0.75  # names this close (by letters, in any order) are checked for being one typo away
SUFFIXES = (" muscles", " muscle", "s")


def normalise(text: str) -> str:
    """Case-folded letters and digits of any script, accents stripped, one space between words.

    Everything else (punctuation, symbols, emoji) separates words, so a text of symbols only
    normalises to ``""``, which never matches a name.
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


def name_keys(name: str) -> set[str]:
    """The keys a name is found by: normalised, without spaces, and with its words sorted."""
    key = normalise(name)
    if not key:
        return set()
    return {key, key.replace(" ", ""), " ".join(sorted(key.split()))}


QUALIFIERS = {
    **dict.fromkeys(("flexor", "flexors"), "flexor"),
    **dict.fromkeys(("extensor", "extensors"), "extensor"),
    **dict.fromkeys(("abductor",), "abductor"),
    **dict.fromkeys(("adductor",), "adductor"),
    **dict.fromkeys(("internal", "internus", "interni"), "internal"),
    **dict.fromkeys(("external", "externus", "externi"), "external"),
    **dict.fromkeys(("longus", "long", "longi"), "longus"),
    **dict.fromkeys(("brevis", "short", "breves"), "brevis"),
    **dict.fromkeys(("major", "greater"), "major"),
    **dict.fromkeys(("minor", "lesser"), "minor"),
    **dict.fromkeys(("maximus",), "maximus"),
    **dict.fromkeys(("minimus",), "minimus"),
    **dict.fromkeys(("magnus",), "magnus"),
    **dict.fromkeys(("medial", "medialis"), "medial"),
    **dict.fromkeys(("lateral", "lateralis"), "lateral"),
    **dict.fromkeys(("intermedius",), "intermedius"),
    **dict.fromkeys(("anterior",), "anterior"),
    **dict.fromkeys(("posterior",), "posterior"),
    **dict.fromkeys(("superior", "upper"), "superior"),
    **dict.fromkeys(("inferior", "lower"), "inferior"),
    **dict.fromkeys(("middle", "mid", "medius"), "middle"),
    **dict.fromkeys(("superficialis", "superficial", "sublimis"), "superficial"),
    **dict.fromkeys(("profundus", "deep"), "deep"),
    **dict.fromkeys(("radialis",), "radialis"),
    **dict.fromkeys(("ulnaris",), "ulnaris"),
    **dict.fromkeys(("pollicis",), "pollicis"),
    **dict.fromkeys(("hallucis",), "hallucis"),
    **dict.fromkeys(("digitorum",), "digitorum"),
    **dict.fromkeys(("indicis",), "indicis"),
    **dict.fromkeys(("capitis",), "capitis"),
    **dict.fromkeys(("cervicis", "colli"), "cervicis"),
    **dict.fromkeys(("thoracis",), "thoracis"),
    **dict.fromkeys(("lumborum",), "lumborum"),
    **dict.fromkeys(("palmar", "volar"), "palmar"),
    **dict.fromkeys(("plantar",), "plantar"),
    **dict.fromkeys(("hand", "manus"), "hand"),
    **dict.fromkeys(("foot", "pedis"), "foot"),
}
"""Words that make a name another muscle (flexor/extensor, longus/brevis, major/minor...), each
mapped to one spelling so that equivalent words (upper, superior) agree. A query holding such a
word that a name lacks names another muscle ("flexor digitorum longus" is not extensor digitorum
longus, "extensor digitorum brevis" is not extensor digitorum): :meth:`NameIndex.lookup` never
matches it to that name by similarity, and may only suggest it."""


def qualifiers(key: str) -> frozenset[str]:
    """The muscle-defining words of a normalised name, in one spelling each."""
    return frozenset(QUALIFIERS[w] for w in key.split() if w in QUALIFIERS)


def neighbours(a: str, b: str) -> bool:
    """Whether query ``a`` holds a word that makes it another muscle than name ``b``.

    >>> neighbours("flexor digitorum longus", "extensor digitorum longus")
    True
    >>> neighbours("extensor digitorum brevis", "extensor digitorum")
    True
    >>> neighbours("mid trap", "middle trapezius")
    False
    """
    return bool(qualifiers(a) - qualifiers(b))


def _edits(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap neighbours) that turn ``a`` into ``b``."""
    previous, current = list(range(len(b) + 1)), [0] * (len(b) + 1)
    before: list[int] = []
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        before, previous = previous, current
    return previous[len(b)]


def _align(query: str, alias: str) -> str:
    """The query's words reordered to follow the alias's words as closely as they match."""
    remaining = query.split()
    ordered = []
    for word in alias.split():
        if not remaining:
            break
        best = max(remaining, key=lambda q: difflib.SequenceMatcher(None, q, word).ratio())
        ordered.append(best)
        remaining.remove(best)
    return " ".join(ordered + remaining)


class NameIndex:
    """Every name of every muscle and group, by key, for :meth:`lookup`.

    Parameters
    ----------
    muscles : pandas.DataFrame
        The muscles table (indexed by id, with ``name`` and ``synonyms``).
    groups : pandas.DataFrame, optional
        The muscle_groups table (indexed by id, with ``name``, ``synonyms`` and ``muscle_ids``).
    """

    def __init__(self, muscles: pd.DataFrame, groups: pd.DataFrame | None = None):
        self.display: dict[str, str] = dict(zip(muscles.index, muscles["name"]))
        self.members: dict[str, tuple[str, ...]] = {}
        self.group_names: dict[str, str] = {}
        self.names: dict[str, list[str]] = {}  # key -> owners: muscle ids and "group:<id>"
        self.aliases: dict[str, set[str]] = {}  # normalised alias -> owners, for fuzzy matching
        for muscle_id, name, synonyms in zip(muscles.index, muscles["name"], muscles["synonyms"]):
            self._add(muscle_id, (muscle_id, name, *synonyms))
        if groups is not None:
            for group_id, name, synonyms, members in zip(
                groups.index, groups["name"], groups["synonyms"], groups["muscle_ids"]
            ):
                owner = f"group:{group_id}"
                self.members[owner] = tuple(m for m in members if m in self.display)
                self.group_names[owner] = name
                self._add(owner, (group_id, name, *synonyms))
        self._tokens = [(frozenset(alias.split()), owners) for alias, owners in self.aliases.items()]

    def _add(self, owner: str, aliases: Iterable[str]) -> None:
        for alias in aliases:
            keys = name_keys(alias)
            for key in keys:
                owners = self.names.setdefault(key, [])
                if owner not in owners:
                    owners.append(owner)
            if keys:
                self.aliases.setdefault(normalise(alias), set()).add(owner)

    def suggestions(self, owners: Iterable[str]) -> list[str]:
        """Display names of the muscles behind ``owners`` (a group stands for its members)."""
        return [self.display[m] for m in self.muscles(owners)]

    def muscles(self, owners: Iterable[str]) -> list[str]:
        """Muscle ids behind ``owners``, groups expanded into their members, in order, once each."""
        ids = (m for o in owners for m in (self.members.get(o) or (o,) if o.startswith("group:") else (o,)))
        return list(dict.fromkeys(m for m in ids if m in self.display))

    def lookup(self, query: str) -> str:
        """The id of the one muscle ``query`` names; raises :class:`MuscleNotFoundError` otherwise.

        A group name or a name several muscles fit raises it with ``ambiguous=True`` and the
        muscles to choose from in ``suggestions``; a miss suggests the closest names.

        Raises
        ------
        ValueError
            When the query is longer than :data:`MAX_NAME_LENGTH` characters (refused at once).
        """
        if not isinstance(query, str) or not query.strip():
            raise MuscleNotFoundError(str(query), [], ambiguous=False)
        if len(query) > MAX_NAME_LENGTH:
            raise ValueError(
                f"A muscle name has at most {MAX_NAME_LENGTH} characters; this one has {len(query)} "
                f"({query[:30]!r}...). Type a shorter name, e.g. 'upper trap'."
            )
        if query in self.display:  # an exact id always wins
            return query
        key = normalise(query)
        if not key:
            raise MuscleNotFoundError(query, [], ambiguous=False)
        for owners in self._exact(key):
            return self._one(query, owners)
        words = frozenset(key.split())
        if len(key) >= 3:  # several names contain these words: ask which one
            containing = [o for tokens, owners in self._tokens if words <= tokens for o in sorted(owners)]
            if containing:  # a name one typo away is offered too ("rotators": the group, or rotatores?)
                close = [o for o in self._fuzzy(key)[0] if o not in containing]
                return self._one(query, close + containing, limit=8 + len(close))
        matched, close = self._fuzzy(key)
        if len(key) <= ABBREVIATION:  # an abbreviation is found exactly or not at all: "FPB" is not "PB"
            matched, close = [], matched + close
        return self._one(query, matched, close)

    def _exact(self, key: str) -> Iterator[list[str]]:
        variants = [key]
        variants += [key.removesuffix(s) for s in SUFFIXES if key.endswith(s) and len(key) > len(s) + 2]
        for variant in variants:
            for k in (variant, variant.replace(" ", ""), " ".join(sorted(variant.split()))):
                if k in self.names:
                    yield self.names[k]
                    return

    def _one(self, query: str, owners: list[str], close: list[str] | None = None, limit: int = 12) -> str:
        """The muscle if ``owners`` come to one; else a choice (ambiguous) or a miss with ``close``."""
        ids = self.muscles(owners)
        if len(ids) == 1:
            return ids[0]
        if ids:
            raise MuscleNotFoundError(query, [self.display[m] for m in ids[:limit]], ambiguous=True)
        raise MuscleNotFoundError(query, self.suggestions(close or [])[:5])

    def _fuzzy(self, key: str) -> tuple[list[str], list[str]]:
        """(owners matching well enough, owners to suggest), by similarity in any word order."""
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(key)
        bounds = []
        for alias in self.aliases:  # quick_ratio ignores order, so it bounds the reordered score too
            matcher.set_seq1(alias)
            if matcher.real_quick_ratio() >= SUGGEST and (bound := matcher.quick_ratio()) >= SUGGEST:
                bounds.append((bound, alias))
        bounds.sort(reverse=True)
        best: dict[str, float] = {}
        one_typo: set[str] = set()  # owners with a name one edit from the query, in some word order
        top = 0.0
        for bound, alias in bounds:
            if bound < min(top - MARGIN, TYPO) and len(best) >= 5:
                break
            aligned = _align(key, alias) if " " in key or " " in alias else key
            score = max(
                difflib.SequenceMatcher(None, key, alias).ratio(), difflib.SequenceMatcher(None, aligned, alias).ratio()
            )
            if neighbours(key, alias):  # another muscle by a defining word: suggest it at most
                score = min(score, MATCH - MARGIN - 0.01)
            elif bound >= TYPO and abs(len(aligned) - len(alias)) <= 1 and _edits(aligned, alias) <= 1:
                one_typo |= self.aliases[alias]
            for owner in self.aliases[alias]:
                best[owner] = max(best.get(owner, 0.0), score)
            top = max(top, score)
        ranked = sorted(best.items(), key=lambda item: -item[1])
        if len(one_typo) > 1:  # one typo from two muscles' names (riceps: biceps or triceps?)
            return sorted(one_typo, key=lambda o: -best[o]), []
        if top >= MATCH:
            return [o for o, s in ranked if s >= top - MARGIN], []
        return [], [o for o, s in ranked if s >= SUGGEST]


def _aliases(table: Table, id_column: str) -> Iterator[tuple[int, str, str, str]]:
    """(row index, owner id, column, alias) for every name of every row."""
    frame = table.frame
    for i, owner, name, synonyms in zip(frame.index, frame[id_column], frame["name"], frame["synonyms"]):
        if not isinstance(owner, str):
            continue
        yield i, owner, id_column, owner
        if isinstance(name, str):
            yield i, owner, "name", name
        for synonym in split_list(synonyms):
            yield i, owner, "synonyms", synonym


def name_problems(muscles: Table, groups: Table | None = None) -> list[Problem]:
    """Names that no search could find, and names that two muscles or groups share.

    A muscle's or group's id, name and synonyms must each normalise to some letters or digits,
    be at most :data:`MAX_NAME_LENGTH` characters, and name nothing else: a key (see
    :func:`name_keys`) owned by two rows is reported at the later row, naming the earlier one.
    A group needs at least two distinct muscles.
    """
    out: list[Problem] = []
    seen: dict[str, tuple[str, str, str, int | None, str]] = {}  # key -> (owner, alias, file, line, what)
    sources = [(muscles, "muscle_id", "muscle")] + ([(groups, "group_id", "group")] if groups is not None else [])
    for table, id_column, what in sources:
        for i, owner, column, alias in _aliases(table, id_column):
            file, line = table.where(i)
            keys = name_keys(alias)
            if not keys:
                out.append(
                    Problem(
                        file,
                        line,
                        column,
                        alias,
                        "the name has no letters or digits, so no search can find it",
                        "write the name in letters (any alphabet) or remove it",
                    )
                )
                continue
            if len(alias) > MAX_NAME_LENGTH:
                out.append(
                    Problem(
                        file,
                        line,
                        column,
                        alias,
                        f"the name is longer than the {MAX_NAME_LENGTH} characters a search accepts",
                        "shorten it",
                    )
                )
            for key in sorted(keys):
                first = seen.setdefault(key, (owner, alias, file, line, what))
                if first[0] != owner or first[4] != what:
                    other_owner, other_alias, other_file, other_line, other_what = first
                    at = f"{other_file} row {other_line}" if other_line is not None else other_file
                    out.append(
                        Problem(
                            file,
                            line,
                            column,
                            alias,
                            f"the name (searched as {key!r}) also names {other_what} {other_owner!r} "
                            f"({at}: {other_alias!r}), so a search for it could not tell them apart",
                            "remove it from one of the two rows; a name several muscles share belongs in "
                            "muscle_groups.csv as a group listing them",
                        )
                    )
                    break
    if groups is not None:
        frame = groups.frame
        for i, group_id, muscle_ids in zip(frame.index, frame["group_id"], frame["muscle_ids"]):
            if isinstance(group_id, str) and len(set(split_list(muscle_ids))) < 2:
                file, line = groups.where(i)
                out.append(
                    Problem(
                        file,
                        line,
                        "muscle_ids",
                        muscle_ids,
                        "a group needs at least two muscles",
                        "list its muscles, or make the name a synonym of the one muscle in muscles.csv",
                    )
                )
    return out
