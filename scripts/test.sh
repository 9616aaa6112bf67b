#!/usr/bin/env bash
# Set up, then lint and run the test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The report test renders HTML in headless Chromium; install Debian's package when we can (root + apt).
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium for the report test ..."
    (apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; })
  else
    echo "note: no chromium found; the report rendering test will be skipped (install the 'chromium' package)"
  fi
fi
export PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1  # no telemetry, no telemetry notice
.venv/bin/ruff check tasks flows tests bench
.venv/bin/python -m pytest "$@"
