"""The cache of validated tables: a repeated load is fast, never wrong, and never an error."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pandas as pd
import pytest

import dnviz
from dnviz import _cache, _tables
from dnviz._paths import cache_dir


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("tables-*.pickle"))


def no_validation(monkeypatch):
    """Make any validation fail loudly: a load that still works came from the cache."""

    def refuse(*args, **kwargs):
        raise AssertionError("validated again")

    monkeypatch.setattr(_tables, "schema_problems", refuse)


def test_tests_never_use_the_users_cache(dnviz_cache):
    assert cache_dir() == dnviz_cache
    assert Path.home() / ".cache" not in dnviz_cache.parents


def test_repeated_load_comes_from_the_cache_and_equals_a_validated_load(dnviz_cache, monkeypatch):
    first = dnviz.load_atlas()
    assert len(entries(dnviz_cache)) == 1
    no_validation(monkeypatch)
    again = dnviz.load_atlas()
    assert list(again.tables) == list(first.tables)
    for name, frame in first.tables.items():
        pd.testing.assert_frame_equal(again.tables[name], frame)
    assert again.muscles is not first.muscles  # each load gets its own frames
    assert again.find_muscle("SCM").name == "sternocleidomastoid"


def test_a_changed_byte_is_validated_again(dnviz_cache, set_field, data_copy, monkeypatch):
    dnviz.load_atlas(data_copy)
    set_field("depths", "chen2018_gb21_m", "mean_mm", "-5")
    with pytest.raises(dnviz.AtlasValidationError, match="at least 0"):
        dnviz.load_atlas(data_copy)
    assert len(entries(dnviz_cache)) == 1  # invalid data is never cached


def test_an_extra_folder_is_part_of_the_key(dnviz_cache, tmp_path):
    dnviz.load_atlas()
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "sources.csv").write_text(
        ",".join(_tables.dictionary().query("table == 'sources'")["column"]) + "\n", encoding="utf-8"
    )
    dnviz.load_atlas(extra=folder)
    assert len(entries(dnviz_cache)) == 2


@pytest.mark.parametrize("content", [b"", b"not a pickle", pickle.dumps((1, "other key", {})), pickle.dumps([1, 2])])
def test_corrupt_entry_is_ignored_and_rewritten(dnviz_cache, content):
    dnviz.load_atlas()
    (entry,) = entries(dnviz_cache)
    entry.write_bytes(content)
    assert len(dnviz.load_atlas().muscles) > 60
    assert entry.read_bytes() != content


def test_entry_writable_by_others_is_not_trusted(dnviz_cache, monkeypatch):
    dnviz.load_atlas()
    (entry,) = entries(dnviz_cache)
    entry.chmod(0o666)
    no_validation(monkeypatch)
    with pytest.raises(AssertionError, match="validated again"):
        dnviz.load_atlas()


def test_linked_entry_is_not_followed(dnviz_cache, monkeypatch, tmp_path):
    dnviz.load_atlas()
    (entry,) = entries(dnviz_cache)
    moved = tmp_path / "elsewhere.pickle"
    entry.rename(moved)
    entry.symlink_to(moved)
    no_validation(monkeypatch)
    with pytest.raises(AssertionError, match="validated again"):
        dnviz.load_atlas()


def test_unwritable_cache_is_only_slower(tmp_path, monkeypatch):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("DNVIZ_CACHE_DIR", str(blocker / "cache"))
    assert len(dnviz.load_atlas().muscles) > 60


def test_cache_off(dnviz_cache, monkeypatch):
    monkeypatch.setenv("DNVIZ_CACHE", "0")
    dnviz.load_atlas()
    assert cache_dir() is None and entries(dnviz_cache) == []


def test_writes_are_atomic_and_leave_no_temporary_files(dnviz_cache, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(_cache.os, "replace", fail)  # the temporary file is written, the rename fails
    dnviz.load_atlas()
    assert list(dnviz_cache.iterdir()) == []
    monkeypatch.undo()
    monkeypatch.setenv("DNVIZ_CACHE_DIR", str(dnviz_cache))
    dnviz.load_atlas()
    assert [p.name.startswith("tables-") for p in dnviz_cache.iterdir()] == [True]


def test_cache_folder_is_private_and_never_inside_the_package(tmp_path, monkeypatch):
    folder = tmp_path / "fresh" / "cache"
    monkeypatch.setenv("DNVIZ_CACHE_DIR", str(folder))
    dnviz.load_atlas()
    assert folder.stat().st_mode & 0o077 == 0
    monkeypatch.setenv("DNVIZ_CACHE_DIR", str(Path(dnviz.__file__).parent / "cache"))
    assert cache_dir() is None


def test_default_folder_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("DNVIZ_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "dnviz"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "dnviz"


def test_old_entries_are_pruned(dnviz_cache):
    for i in range(_cache.MAX_ENTRIES + 5):
        path = dnviz_cache / f"tables-{i:064x}.pickle"
        path.write_bytes(b"x")
        os.utime(path, (i, i))
    dnviz.load_atlas()
    assert len(entries(dnviz_cache)) == _cache.MAX_ENTRIES


def test_file_problems_skip_the_cache(dnviz_cache, data_copy):
    (data_copy / "muscles.csv").unlink()
    (data_copy / "muscles.csv").mkdir()
    with pytest.raises(dnviz.AtlasValidationError, match="folder, not a file"):
        dnviz.load_atlas(data_copy)
    assert entries(dnviz_cache) == []


@pytest.mark.parametrize("name", ["tables-{key}.pickle", "map-{key}.json"])
def test_a_named_pipe_at_an_entry_is_skipped_without_blocking(dnviz_cache, name):
    """Both kinds of entry are read the same way: a pipe planted at the path must not hang the kernel."""
    key = "0" * 64
    os.mkfifo(dnviz_cache / name.format(key=key))
    assert (_cache.get(key) if name.startswith("tables") else _cache.get_json("map", key)) is None
