#!/usr/bin/env bash
# Create .venv and install berita with pinned dependencies (constraints.txt). Idempotent.
# Quiet: pip's notices about index locations this machine's pip config names but does not have
# ("WARNING: Location 'file:///...' is ignored") and setuptools' generic editable-install notice are hidden;
# every other line (errors, real warnings) is shown, and pip's exit code is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
export PYTHONWARNINGS="${PYTHONWARNINGS:-ignore:Editable installation}"
quiet_pip() {
  { .venv/bin/python -m pip "$@" 2>&1 1>&3 | { grep -v -E "^WARNING: Location '[^']*' is ignored" || true; } >&2; } 3>&1 \
    | { grep -v -E "^WARNING: Location '[^']*' is ignored" || true; }
}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
quiet_pip install --quiet --upgrade pip
quiet_pip install --quiet -c constraints.txt -e ".[test]"
