"""Root pytest hooks: the whole run (doctests, notebooks, tests) uses a private dnviz cache.

``load_atlas`` caches validated tables in the user's cache folder; a test run must neither read a
user's entries (it could be fooled by them) nor leave its own behind. The folder is set before any
test or notebook kernel starts, so kernels inherit it. tests/conftest.py narrows it per test.
"""

from __future__ import annotations

import os
import shutil
import tempfile

# nbval: a solution cell may show nothing but its dnviz.reveal control (tests/nbval_solutions.py).
pytest_plugins = ["tests.nbval_solutions"]

_ENV = ("DNVIZ_CACHE_DIR", "DNVIZ_CACHE")
_saved: dict[str, str | None] = {}
_made: list[str] = []


def pytest_configure(config):
    _saved.update({name: os.environ.get(name) for name in _ENV})
    folder = tempfile.mkdtemp(prefix="dnviz-test-cache-")
    _made.append(folder)
    os.environ["DNVIZ_CACHE_DIR"] = folder
    os.environ.pop("DNVIZ_CACHE", None)


def pytest_unconfigure(config):
    for name, value in _saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    for folder in _made:
        shutil.rmtree(folder, ignore_errors=True)
