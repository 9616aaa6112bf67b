#!/usr/bin/env bash
# Set up, then run the whole pipeline on data/raw with Prefect's embedded temporary server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1  # no telemetry, no telemetry notice
.venv/bin/berita run --input data/raw --output data/processed "$@"
