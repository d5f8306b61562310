"""Validation of the atlas tables: one schema, built from ``data/dictionary.csv``.

The data dictionary is the single source of truth. Each of its rows describes one column (type,
required, key, allowed values, foreign key); :func:`build_schema` turns the rows of one table into
a :mod:`pandera` schema, and :func:`validate_tables` runs every schema lazily plus the checks that
span tables. All problems are collected and raised together as one
:class:`AtlasValidationError` whose lines name the file, row, column and value, and say how to fix
it.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pandera is imported when data are validated, not when dnviz is imported
    import pandera.pandas as pa

LIST_SEP = "|"
ID_PATTERN = r"^[a-z0-9][a-z0-9_.]*$"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as precisely as possible."""

    file: str
    row: int | None
    column: str | None
    value: object
    message: str
    fix: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        if self.value is not None:
            where.append(f"value {self.value!r}")
        return f"{', '.join(where)}: {self.message}. Fix: {self.fix}"


class AtlasValidationError(ValueError):
    """Raised when atlas data breaks the schema; ``problems`` lists every problem found.

    The message shows the first :attr:`SHOWN` problems (root causes come first) and counts the rest.
    """

    SHOWN = 50

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        n = len(self.problems)
        lines = "\n".join(f"  - {p}" for p in self.problems[: self.SHOWN])
        if n > self.SHOWN:
            lines += f"\n  ... and {n - self.SHOWN} more (all of them are in the error's .problems)"
        super().__init__(f"The atlas data has {n} problem{'s' if n != 1 else ''}; nothing was loaded.\n{lines}")


@dataclass
class Table:
    """A raw table as read from CSV: all cells strings (or missing), with each row's origin."""

    name: str
    frame: pd.DataFrame
    origins: list[tuple[str, int]] = field(default_factory=list)  # (file, line) per row

    def where(self, index: object) -> tuple[str, int | None]:
        if isinstance(index, int) and 0 <= index < len(self.origins):
            return self.origins[index]
        return (self.origins[0][0] if self.origins else f"{self.name}.csv", None)


def split_list(value: object) -> tuple[str, ...]:
    """Split a ``|``-separated cell into its stripped, non-empty items."""
    if not isinstance(value, str):
        return ()
    return tuple(item.strip() for item in value.split(LIST_SEP) if item.strip())


def suggest(value: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Close matches of ``value`` among ``choices`` (for 'did you mean' hints)."""
    return difflib.get_close_matches(str(value), sorted(set(choices)), n=n, cutoff=0.5)


def _did_you_mean(value: str, choices: Iterable[str]) -> str:
    close = suggest(value, choices)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


def _nonblank(series: pd.Series) -> pd.Series:
    return pd.Series(
        [not isinstance(v, str) or v.strip() != "" for v in series.tolist()], index=series.index, dtype=bool
    )


FLOAT_PATTERN = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
"""A number as a curator writes it: ASCII digits, a point as decimal separator, an optional exponent.

Python and pandas also accept ``1_000``, full-width digits, ``nan`` and ``inf``; nobody means them
in a table of depths, so they are rejected here, at validation, with the cell that holds them."""
INT_PATTERN = r"^[+-]?[0-9]{1,15}$"
THIS_YEAR_PLUS_ONE = "next_year"  # a `max` that moves with the calendar (a source in press)


def _bound(text: object) -> float | None:
    """A min/max cell of the dictionary as a number (``next_year`` is this year + 1)."""
    if not isinstance(text, str) or not text.strip():
        return None
    if text.strip() == THIS_YEAR_PLUS_ONE:
        import datetime

        return float(datetime.date.today().year + 1)
    return float(text)


def rules(spec) -> tuple[float | None, float | None, str | None]:
    """(min, max, pattern) of one dictionary row; numbers get the number pattern of their dtype."""
    low, high = _bound(getattr(spec, "min", None)), _bound(getattr(spec, "max", None))
    pattern = getattr(spec, "pattern", None)
    pattern = pattern if isinstance(pattern, str) and pattern else None
    if spec.dtype == "float":
        pattern = FLOAT_PATTERN
    elif spec.dtype == "int":
        pattern = INT_PATTERN
    elif spec.dtype == "id" and pattern is None:
        pattern = ID_PATTERN
    return low, high, pattern


@lru_cache(maxsize=64)
def _regex(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _fullmatch(series: pd.Series, pattern: str) -> pd.Series:
    rx = _regex(pattern)
    return pd.Series(
        [not isinstance(v, str) or rx.fullmatch(v) is not None for v in series.tolist()], index=series.index, dtype=bool
    )


def _number(value: object, rx: re.Pattern) -> float:
    return float(value) if isinstance(value, str) and rx.fullmatch(value) else math.nan


def numbers(series: pd.Series, pattern: str) -> pd.Series:
    """The cells that are well-formed, finite numbers, as floats; every other cell NaN."""
    rx = _regex(pattern)
    values = [_number(v, rx) for v in series.tolist()]
    return pd.Series([v if math.isfinite(v) else math.nan for v in values], index=series.index, dtype="float64")


def _finite(series: pd.Series, pattern: str) -> pd.Series:
    """False where a well-formed number overflows to infinity (``1e999``)."""
    rx = _regex(pattern)
    return pd.Series([not math.isinf(_number(v, rx)) for v in series.tolist()], index=series.index, dtype=bool)


def _references(target: str, ids: frozenset[str], is_list: bool) -> pa.Check:
    import pandera.pandas as pa

    def check(series: pd.Series) -> pd.Series:
        if is_list:
            return series.map(lambda v: not isinstance(v, str) or all(i in ids for i in split_list(v))).astype(bool)
        return series.isna() | series.isin(ids)

    return pa.Check(check, name=f"references {target}", ignore_na=False)


def _number_checks(pattern: str, low: float | None, high: float | None) -> list[pa.Check]:
    import pandera.pandas as pa

    kind = "is a number" if pattern == FLOAT_PATTERN else "is a whole number"
    checks = [pa.Check(lambda s: _fullmatch(s, pattern), name=kind, ignore_na=False)]
    checks.append(pa.Check(lambda s: _finite(s, pattern), name="is finite", ignore_na=False))
    if low is not None:
        checks.append(pa.Check(lambda s: ~(numbers(s, pattern) < low), name=f"at least {low:g}", ignore_na=False))
    if high is not None:
        checks.append(pa.Check(lambda s: ~(numbers(s, pattern) > high), name=f"at most {high:g}", ignore_na=False))
    return checks


def build_schema(table: str, dictionary: pd.DataFrame, refs: Mapping[str, frozenset[str]]) -> pa.DataFrameSchema:
    """Build the pandera schema of one table from its data-dictionary rows.

    Every cell is checked as the text it is in the file (no coercion): numbers against an explicit
    pattern, then their range (``min``, ``max``); ids, DOIs and URLs against the ``pattern`` column;
    categories against ``allowed``; references against the ids of the table they name. A reference
    to a table missing from ``refs`` (one that could not be read) is not checked: its own problem
    is the root cause.

    Parameters
    ----------
    table : str
        Table name, e.g. ``"muscles"``.
    dictionary : pandas.DataFrame
        The data dictionary (``data/dictionary.csv``).
    refs : mapping
        ``"table.column"`` -> the set of ids a foreign key may take.
    """
    import pandera.pandas as pa

    columns: dict[str, pa.Column] = {}
    keys: list[str] = []
    for spec in dictionary[dictionary["table"] == table].itertuples():
        required = spec.required == "yes"
        checks: list[pa.Check] = []
        low, high, pattern = rules(spec)
        if spec.dtype in ("float", "int"):
            checks += _number_checks(pattern, low, high)
        elif spec.dtype in ("category", "ordered_category"):
            allowed = frozenset(spec.allowed.split(LIST_SEP))
            checks.append(
                pa.Check(lambda s, a=allowed: s.isna() | s.isin(a), name=f"isin({spec.allowed})", ignore_na=False)
            )
        elif pattern is not None:
            checks.append(pa.Check(lambda s, p=pattern: _fullmatch(s, p), name=f"matches {pattern}", ignore_na=False))
        if spec.dtype in ("text", "list", "id") and required:
            checks.append(pa.Check(_nonblank, name="not blank", ignore_na=False))
        if isinstance(spec.references, str) and spec.references and spec.references in refs:
            checks.append(_references(spec.references, refs[spec.references], spec.dtype == "list"))
        if spec.key == "yes":
            keys.append(spec.column)
        columns[spec.column] = pa.Column(None, checks=checks, nullable=not required, required=True)
    unique = keys if len(keys) > 1 else None
    if len(keys) == 1:
        columns[keys[0]].unique = True
    return pa.DataFrameSchema(columns, strict=True, unique=unique, name=table)


_PATTERN_FIXES = {
    "doi": "write the DOI without the resolver prefix, e.g. 10.1016/j.ctim.2017.06.003",
    "url": "write the full address, starting with https:// or http://",
    "tp_id": "name it <muscle_id>.tp<N>, e.g. upper_trapezius.tp1",
}


def _explain(check: str, column: str | None, value: object, spec: pd.Series | None, refs) -> tuple[str, str]:
    """Turn a pandera check name into (message, fix) in plain words."""
    allowed = spec["allowed"] if spec is not None and isinstance(spec["allowed"], str) else ""
    if check == "column_in_dataframe":
        return "the column is missing", f"add a column named '{value}' (see data/dictionary.csv)"
    if check == "column_in_schema":
        return "unknown column", "remove or rename it; data/dictionary.csv lists the columns"
    if check in ("is a number", "is a whole number"):
        kind = check.removeprefix("is ")
        example = "2.5 (ASCII digits, a point as decimal separator, no spaces or underscores)"
        if kind == "a whole number":
            example = "42 (ASCII digits only, no separators)"
        return f"not {kind}", f"write {kind} such as {example}, or leave it empty if unknown"
    if check == "is finite":
        return "the number is too large to be finite", "write the value as published, in the unit of the column"
    if check.startswith(("at least ", "at most ")):
        unit = (
            f" ({spec['description'].rstrip('.')})" if spec is not None and isinstance(spec["description"], str) else ""
        )
        return (
            f"the value is out of range: it must be {check}",
            f"check the number and its unit{unit}; data/dictionary.csv gives each column's range",
        )
    if check.startswith("matches "):
        fix = _PATTERN_FIXES.get(
            column or "", f"write it in the form {check.removeprefix('matches ')} (see data/dictionary.csv)"
        )
        if spec is not None and spec["dtype"] == "id" and column not in _PATTERN_FIXES:
            return "not a valid id", "use lower-case letters, digits, '_' and '.', e.g. upper_trapezius"
        return "not in the expected form", fix
    if check == "not_nullable" or check == "not blank":
        if spec is not None and spec["dtype"] in ("float", "int"):
            return "a required number is empty", "fill in the number (data/dictionary.csv gives its unit and range)"
        return (
            "a required value is empty",
            f"fill it in; where no source gives it, write '{UNKNOWN}' (text) or see data/dictionary.csv",
        )
    if check in ("field_uniqueness", "multiple_fields_uniqueness"):
        return "duplicate id", "give each row its own id, or delete the repeated row"
    if check.startswith("isin"):
        return "not an allowed value", f"use one of: {allowed.replace(LIST_SEP, ', ')}" + _did_you_mean(
            str(value), allowed.split(LIST_SEP)
        )
    if check == "is an id" or check.startswith("str_matches"):
        return "not a valid id", "use lower-case letters, digits, '_' and '.', e.g. upper_trapezius"
    if check.startswith("references "):
        target = check.split(" ", 1)[1]
        ids = refs.get(target, frozenset())
        items = split_list(value) if spec is not None and spec["dtype"] == "list" else (str(value),)
        missing = [i for i in items if i not in ids]
        hint = "".join(_did_you_mean(m, ids) for m in missing[:1])
        table = target.split(".")[0]
        return (
            f"unknown {target} {', '.join(repr(m) for m in missing)}{hint}",
            f"use an id that exists in {table}, or add the missing row there",
        )
    return f"failed the check {check}", "see data/dictionary.csv for what the column holds"


def schema_problems(table: Table, schema: pa.DataFrameSchema, dictionary: pd.DataFrame, refs) -> list[Problem]:
    """Validate one table with its schema and describe every failure."""
    from pandera.errors import SchemaErrors

    try:
        schema.validate(table.frame, lazy=True)
    except SchemaErrors as err:
        cases = err.failure_cases
    else:
        return []
    specs = dictionary[dictionary["table"] == table.name].set_index("column")
    problems: list[Problem] = []
    seen: set[tuple] = set()
    for case in cases.itertuples():
        column = case.column if isinstance(case.column, str) else None
        index = case.index
        index = int(index) if index is not None and not pd.isna(index) else None
        file, line = table.where(index)
        value = case.failure_case
        check = str(case.check)
        header_check = check in ("column_in_dataframe", "column_in_schema")
        if header_check:
            column, line = str(value), 1
        elif check == "multiple_fields_uniqueness":
            column = ", ".join(schema.unique or [])
        if check.startswith("dtype") and (file, line, column) in {k[:3] for k in seen}:
            continue  # the coercion failure already said it
        key = (file, line, column, str(value), check.split("(")[0])
        if key in seen:
            continue
        seen.add(key)
        spec = specs.loc[column] if column in specs.index else None
        message, fix = _explain(check, column, value, spec, refs)
        shown = None if header_check or pd.isna(value) else value
        problems.append(Problem(file, line, column, shown, message, fix))
    return problems


RowCheck = Callable[[dict[str, Table]], Iterable[Problem]]
