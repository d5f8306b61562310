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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

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
    """Raised when atlas data breaks the schema; ``problems`` lists every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        n = len(self.problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
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
    return series.isna() | (series.astype("string").str.strip() != "")


def _references(target: str, ids: frozenset[str], is_list: bool) -> pa.Check:
    def check(value: object) -> bool:
        if not isinstance(value, str):
            return True
        items = split_list(value) if is_list else (value,)
        return all(item in ids for item in items)

    return pa.Check(check, element_wise=True, name=f"references {target}")


def build_schema(table: str, dictionary: pd.DataFrame, refs: Mapping[str, frozenset[str]]) -> pa.DataFrameSchema:
    """Build the pandera schema of one table from its data-dictionary rows.

    Parameters
    ----------
    table : str
        Table name, e.g. ``"muscles"``.
    dictionary : pandas.DataFrame
        The data dictionary (``data/dictionary.csv``).
    refs : mapping
        ``"table.column"`` -> the set of ids a foreign key may take.
    """
    columns: dict[str, pa.Column] = {}
    keys: list[str] = []
    for spec in dictionary[dictionary["table"] == table].itertuples():
        required = spec.required == "yes"
        checks: list[pa.Check] = []
        dtype: object = str
        if spec.dtype == "id":
            checks.append(pa.Check.str_matches(ID_PATTERN, name="is an id"))
        elif spec.dtype in ("category", "ordered_category"):
            checks.append(pa.Check.isin(spec.allowed.split(LIST_SEP)))
        elif spec.dtype == "float":
            dtype = "float64"
        elif spec.dtype == "int":
            dtype = "Int64"
        if spec.dtype in ("text", "list", "id") and required:
            checks.append(pa.Check(_nonblank, name="not blank"))
        if isinstance(spec.references, str) and spec.references:
            checks.append(_references(spec.references, refs.get(spec.references, frozenset()), spec.dtype == "list"))
        if spec.key == "yes":
            keys.append(spec.column)
        columns[spec.column] = pa.Column(
            dtype, checks=checks, nullable=not required, coerce=dtype is not str, required=True
        )
    unique = keys if len(keys) > 1 else None
    if len(keys) == 1:
        columns[keys[0]].unique = True
    return pa.DataFrameSchema(columns, strict=True, unique=unique, name=table)


def _explain(check: str, column: str | None, value: object, spec: pd.Series | None, refs) -> tuple[str, str]:
    """Turn a pandera check name into (message, fix) in plain words."""
    allowed = spec["allowed"] if spec is not None and isinstance(spec["allowed"], str) else ""
    if check == "column_in_dataframe":
        return "the column is missing", f"add a column named '{value}' (see data/dictionary.csv)"
    if check == "column_in_schema":
        return "unknown column", "remove or rename it; data/dictionary.csv lists the columns"
    if check.startswith(("coerce_dtype", "dtype")):
        kind = "a whole number" if "Int" in check else "a number"
        return f"not {kind}", f"write {kind} such as 2.5 (a point as decimal separator), or leave it empty if unknown"
    if check == "not_nullable" or check == "not blank":
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
