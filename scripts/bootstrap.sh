#!/bin/sh
# Create the virtual environment and install dnviz with everything the notebooks and tests need.
# Usage: sh scripts/bootstrap.sh PYTHON VENV
set -eu
PYTHON=${1:-python3}
VENV=${2:-.venv}

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "dnviz: $PYTHON was not found. Install Python 3.10 or newer (Debian: apt-get install python3)." >&2
  exit 1
fi
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' || {
  echo "dnviz: Python 3.10 or newer is needed; $PYTHON is $("$PYTHON" -V 2>&1)." >&2; exit 1; }

if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "dnviz: installing python3-venv with apt-get"
    apt-get update -qq && apt-get install -y -qq python3-venv
  else
    echo "dnviz: Python's venv module is missing. Run: sudo apt-get install python3-venv" >&2
    exit 1
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -e ".[dev]"
echo "dnviz: environment ready in $VENV"
