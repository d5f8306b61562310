"""Lean kernels for a class: skip an optional import that plotly's widget pulls in and never uses.

``plotly.graph_objects.FigureWidget`` imports ``nbformat``, which imports ``jsonschema``, which
imports ``rfc3987_syntax`` when it is installed (Jupyter Server's ``jupyter-events`` installs it) to
check the ``iri`` string format. That module builds a parser when it is imported: about 1.6 s and
16 MB per kernel on a 2-core machine, paid by every student's kernel and needed by none.

When the environment variable ``DNVIZ_LEAN_KERNEL`` is ``1`` (``make class`` sets it for the
kernels Voila starts), :func:`skip_unused_imports` imports ``jsonschema`` with ``rfc3987_syntax``
hidden, so that in that kernel jsonschema does not check the ``iri`` and ``iri-reference``
formats (as when the package is not installed). Nothing changes without the variable.
"""

from __future__ import annotations

import os
import sys

ENV = "DNVIZ_LEAN_KERNEL"
HIDDEN = ("rfc3987_syntax",)


def enabled() -> bool:
    """Whether lean kernels were asked for (``DNVIZ_LEAN_KERNEL=1``)."""
    return os.environ.get(ENV, "") == "1"


def skip_unused_imports() -> bool:
    """Import jsonschema without the optional modules in :data:`HIDDEN`; True if it did.

    Does nothing (returns False) when the variable is not set, or when jsonschema is already
    imported. The hidden names are visible again afterwards: an explicit ``import rfc3987_syntax``
    still works.
    """
    if not enabled() or "jsonschema" in sys.modules:
        return False
    hidden = [name for name in HIDDEN if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` raise ImportError
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        return False
    finally:
        for name in hidden:
            if sys.modules.get(name, ...) is None:
                del sys.modules[name]
    return True
