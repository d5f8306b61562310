"""``python -m dnviz.slides NOTEBOOK``: serve a notebook as reveal.js slides (see dnviz.slides)."""

from dnviz.slides import main

if __name__ == "__main__":
    raise SystemExit(main())
