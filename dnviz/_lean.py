"""Lean kernels for a class: defer what plotly's widget imports and never uses, keep less in memory.

A student's kernel serves one page: it builds the classroom app and sends its widgets to the
browser. ``plotly.graph_objects.FigureWidget`` pulls in much that such a kernel never uses:

* ``nbformat`` (plotly's notebook renderers check its version when a figure is shown as a mime
  bundle), which imports ``jsonschema``, which imports ``rfc3987_syntax`` when it is installed
  (Jupyter Server's ``jupyter-events`` installs it): that module builds a parser when imported,
  about 1.6 s and 16 MB on a 2-core machine;
* ``kaleido`` (static image export) with ``choreographer`` and ``simplejson``;
* the whole of plotly's validator table (``plotly/validators/_validators.json``, 10,000 entries,
  about 9 MB as Python objects) when the app needs a few hundred of them.

When the environment variable ``DNVIZ_LEAN_KERNEL`` is ``1`` (``make class`` sets it for the
kernels Voila starts), :func:`skip_unused_imports` puts a stand-in module for each name in
:data:`DEFERRED` into ``sys.modules``: ``import nbformat`` succeeds at once, and the real module is
imported the first time one of its attributes is used (``jsonschema`` then without
``rfc3987_syntax``: in that kernel it does not check the ``iri`` formats, as when the package is
not installed). It also gives plotly's validator cache a compact index of the table (one short
JSON string per entry, parsed when plotly asks for it). Nothing changes without the variable.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sys
import threading
import types

ENV = "DNVIZ_LEAN_KERNEL"
DEFERRED = ("nbformat", "kaleido", "jsonschema")
HIDDEN = {"jsonschema": ("rfc3987_syntax",)}  # imported without these when it is really imported
_lock = threading.RLock()


def enabled() -> bool:
    """Whether lean kernels were asked for (``DNVIZ_LEAN_KERNEL=1``)."""
    return os.environ.get(ENV, "") == "1"


class Deferred(types.ModuleType):
    """Stands in for a module until one of its attributes is used; then imports it and forwards."""

    def __getattr__(self, attr: str):
        return getattr(_load(self), attr)


def is_deferred(name: str) -> bool:
    """True while ``sys.modules[name]`` is a stand-in whose real module has not been imported."""
    return isinstance(sys.modules.get(name), Deferred)


def _load(stub: Deferred) -> types.ModuleType:
    name = stub.__name__
    with _lock:
        current = sys.modules.get(name)
        if current is not None and current is not stub:
            return current  # imported already (by another attribute, or another thread)
        sys.modules.pop(name, None)
        hidden = [h for h in HIDDEN.get(name, ()) if h not in sys.modules]
        for h in hidden:
            sys.modules[h] = None  # type: ignore[assignment]  # makes `import h` raise ImportError
        try:
            return importlib.import_module(name)
        except BaseException:
            sys.modules.setdefault(name, stub)
            raise
        finally:
            for h in hidden:
                if sys.modules.get(h, ...) is None:
                    del sys.modules[h]


def defer(name: str) -> bool:
    """Put a stand-in for module ``name`` into ``sys.modules``; False if imported already or absent."""
    if name in sys.modules:
        return False
    spec = importlib.util.find_spec(name)
    if spec is None:
        return False
    stub = Deferred(name)
    stub.__spec__ = spec
    stub.__loader__ = spec.loader
    if spec.origin:
        stub.__file__ = spec.origin
    # no __path__: importing a submodule (`from kaleido.errors import ...`) asks for it: the real import
    sys.modules[name] = stub
    return True


class ValidatorIndex:
    """plotly's validator table as one compact JSON string per entry; ``get`` parses one entry.

    Plotly's ``ValidatorCache`` only calls ``.get(key)`` on its table and changes the dicts it
    gets: each call returns fresh ones.
    """

    def __init__(self, text: str):
        decoder = json.JSONDecoder()
        space = json.decoder.WHITESPACE.match
        self._entries: dict[str, str] = {}
        i = space(text, text.index("{") + 1).end()
        while text[i] != "}":
            key, i = decoder.raw_decode(text, i)
            i = space(text, i).end()
            if text[i] != ":":
                raise ValueError(f"plotly validator table: ':' expected at character {i}")
            value, i = decoder.raw_decode(text, space(text, i + 1).end())
            self._entries[key] = json.dumps(value, separators=(",", ":"))
            i = space(text, i).end()
            if text[i] == ",":
                i = space(text, i + 1).end()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def get(self, key: str, default=None):
        entry = self._entries.get(key)
        return default if entry is None else json.loads(entry)


def compact_validators() -> bool:
    """Give plotly's validator cache a :class:`ValidatorIndex`; False if plotly has loaded its own."""
    try:
        from plotly.validator_cache import ValidatorCache
    except ImportError:
        return False
    if getattr(ValidatorCache, "_json_cache", ...) is not None:
        return False  # loaded already, or plotly keeps its table another way now
    import plotly

    path = os.path.join(os.path.dirname(plotly.__file__), "validators", "_validators.json")
    try:
        with open(path, encoding="utf-8") as fh:
            index = ValidatorIndex(fh.read())
    except (OSError, ValueError):
        return False  # plotly then loads its table itself
    ValidatorCache._json_cache = index
    return True


def skip_unused_imports() -> bool:
    """In a lean kernel, defer :data:`DEFERRED` and compact plotly's validators; True if it did.

    Does nothing (returns False) when the variable is not set. A deferred module is imported for
    real the first time it is used, so nothing stops working: it only costs that kernel later.
    """
    if not enabled():
        return False
    for name in DEFERRED:
        defer(name)
    compact_validators()
    return True
