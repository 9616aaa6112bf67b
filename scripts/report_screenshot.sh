#!/usr/bin/env bash
# Screenshots of `berita report` in headless Chromium, at 1400 px and at a phone width (390 px), cropped to the
# page's height. Usage: scripts/report_screenshot.sh [OUTPUT_FOLDER] [PNG_PREFIX]
#   OUTPUT_FOLDER  datasets to report on (default data/processed)
#   PNG_PREFIX     where the PNGs go (default docs/report: docs/report-1400.png, docs/report-390.png)
# Article titles are left out of the report (--no-titles): a screenshot of a real corpus must not copy the
# outlets' text.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-data/processed}"
PREFIX="${2:-docs/report}"
CHROMIUM="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$CHROMIUM" ] || { echo "error: no chromium found (apt-get install -y chromium)" >&2; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
.venv/bin/berita report -o "$OUT" --to "$TMP/report.html" --no-titles >/dev/null
mkdir -p "$(dirname "$PREFIX")"
# Headless Chromium's window is at least 500 px wide: the phone width is an iframe of 390 CSS px in it.
echo "<html><body style='margin:0'><iframe src='report.html' style='border:0;width:390px;height:16000px'>\
</iframe></body></html>" > "$TMP/phone.html"
for W in 1400 390; do
  if [ "$W" = 390 ]; then PAGE="$TMP/phone.html"; WIN="500,16000"; else PAGE="$TMP/report.html"; WIN="1400,9000"; fi
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$TMP/profile" \
    --window-size="$WIN" --screenshot="$TMP/shot.png" "file://$PAGE" >/dev/null 2>&1
  .venv/bin/python - "$TMP/shot.png" "$PREFIX-$W.png" "$W" <<'PY'
import sys
from PIL import Image, ImageChops

img = Image.open(sys.argv[1]).convert("RGB")
img = img.crop((0, 0, int(sys.argv[3]), img.height))
bg = Image.new("RGB", img.size, img.getpixel((img.width - 1, img.height - 1)))
box = ImageChops.difference(img, bg).getbbox()  # the page's content; the rest of the tall window is blank
page = img.crop((0, 0, img.width, min(img.height, (box[3] if box else img.height) + 24)))
page.quantize(128).save(sys.argv[2], optimize=True)  # a palette PNG: a few hundred KB, not MBs
print(sys.argv[2], img.width, "px wide")
PY
done
