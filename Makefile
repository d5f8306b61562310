# dnviz: the two commands a newcomer needs.
#   make lab    set everything up and open the suite in JupyterLab (localhost, token auth on)
#   make test   set everything up and run every test (package, notebooks, browser)
#   make voila  the classroom app (or any notebook: make voila NB=notebooks/04_safety_zones.ipynb)
#   make class SEATS=40  the classroom app for a class: pre-heated kernels sized from memory (HOST=0.0.0.0: the network, with a token)
#   make notebooks  tidy notebooks/*.ipynb after editing them in JupyterLab (--check: report only)
#   make slides NB=notebooks/04_safety_zones.ipynb  a notebook as reveal.js slides with live widgets, offline
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.dnviz-installed
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test setup browser lint bench voila class notebooks slides clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	sh scripts/bootstrap.sh "$(PYTHON)" "$(VENV)"
	@touch $(STAMP)

lab: setup
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks $(ROOT_FLAG) notebooks/00_start_here.ipynb

NB ?= notebooks/classroom_app.ipynb
voila: setup
	$(BIN)/voila --Voila.ip=127.0.0.1 $(NB)

# A class: Voila with a pool of pre-heated kernels sized from SEATS and MemAvailable (scripts/class_server.py).
# HOST is taken from the make command line only (a shell's own HOST variable never opens the network).
SEATS ?=
POOL  ?=
PORT  ?= 8866
CLASS_HOST = $(if $(filter command%,$(origin HOST)),$(HOST),127.0.0.1)
class: setup
	$(BIN)/python scripts/class_server.py --seats "$(SEATS)" --host "$(CLASS_HOST)" --port "$(PORT)" --pool "$(POOL)"

# Slides: Voila's reveal template with every asset local (dnviz/slides); NB defaults to notebook 04 here.
SLIDES_NB = $(if $(filter command% environment%,$(origin NB)),$(NB),notebooks/04_safety_zones.ipynb)
slides: setup
	$(BIN)/python -m dnviz.slides $(SLIDES_NB)

notebooks: setup
	$(BIN)/python scripts/tidy_notebooks.py

browser:
	sh scripts/ensure_chromium.sh

lint: setup
	$(BIN)/ruff check dnviz tests scripts benchmarks

test: setup browser lint
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build dist .pytest_cache artifacts
