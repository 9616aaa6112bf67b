#!/usr/bin/env bash
# Set up, then lint and run the test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PREFECT_SERVER_ANALYTICS_ENABLED=false
.venv/bin/ruff check tasks flows tests bench
.venv/bin/python -m pytest "$@"
