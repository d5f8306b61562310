"""Shared fixtures: the bundled atlas, and broken copies of its data for bad-input tests."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import dnviz
from dnviz._paths import data_dir


@pytest.fixture(scope="session", autouse=True)
def _session_cache(tmp_path_factory):
    """The whole run uses a fresh dnviz cache folder: a user's cache is neither read nor written."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DNVIZ_CACHE_DIR", str(tmp_path_factory.mktemp("dnviz-cache-session")))
        mp.delenv("DNVIZ_CACHE", raising=False)
        yield


@pytest.fixture(autouse=True)
def dnviz_cache(tmp_path_factory, monkeypatch) -> Path:
    """Each test starts with its own empty dnviz cache folder (returned, for the cache tests)."""
    folder = tmp_path_factory.mktemp("dnviz-cache")
    monkeypatch.setenv("DNVIZ_CACHE_DIR", str(folder))
    monkeypatch.delenv("DNVIZ_CACHE", raising=False)
    return folder


@pytest.fixture(scope="session")
def atlas() -> dnviz.Atlas:
    return dnviz.load_atlas()


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A full copy of the bundled tables, to break one thing at a time."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target, ignore=shutil.ignore_patterns("_staging"))
    return target


@pytest.fixture
def edit_table(data_copy: Path) -> Callable[[str, Callable[[list[str], list[list[str]]], tuple]], Path]:
    """edit_table('muscles', fn): fn(header, rows) returns (header, rows) to write back."""

    def edit(table: str, fn):
        path = data_copy / f"{table}.csv"
        header, rows = read_rows(path)
        header, rows = fn(header, rows)
        write_rows(path, header, rows)
        return path

    return edit


@pytest.fixture
def set_field(edit_table):
    """set_field('muscles', 'masseter', 'name', 'x'): change one cell of the row with that id."""

    def set_(table: str, row_id: str, column: str, value: str) -> Path:
        def fn(header, rows):
            for row in rows:
                if row[0] == row_id:
                    row[header.index(column)] = value
            return header, rows

        return edit_table(table, fn)

    return set_
