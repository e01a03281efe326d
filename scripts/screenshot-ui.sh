#!/usr/bin/env bash
# The README's screenshot of `jwtcheck ui` on the samples (docs/src/ui.png), taken by the browser test
# in a real headless Chromium (chromium and chromium-driver installed), which also prints the
# page's figures: WebDriver navigation times, request → first contentful paint (Paint Timing),
# the bytes the page loads, and the API round trip with a local key set.
set -euo pipefail
cd "$(dirname "$0")/.."
JWTCHECK_REQUIRE_BROWSER=1 JWTCHECK_SCREENSHOT="$PWD/docs/src/ui.png" \
  cargo test --test it -- --nocapture --test-threads 1 \
  ui::browser_the_page_in_headless_chromium ui::the_api_round_trip_with_a_local_key_set_is_short \
  2>&1 | grep -E '^(first load|POST /api/judge|test ui::)'
echo "wrote docs/src/ui.png"
