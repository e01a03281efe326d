#!/usr/bin/env bash
# Every figure of verify --batch's goals, in one run (issue #32), OpenSSL measured in the same run:
#   bash bench/batch.sh                      # the whole table (about 10 minutes, 2 cores)
#   DISTINCT=20000 ROUNDS=7 bash bench/batch.sh
# 1. OpenSSL's RSA-2048 verify rate on all cores and on one; the floor (jwtcheck's signature
#    check alone and decoding a token alone, one core: examples/verify_floor.rs).
# 2. Distinct tokens (DISTINCT distinct RS256 id tokens of the sample pool, default 100000),
#    text and --json (NDJSON): for 10k, 100k and 1M lines (1M repeats them, so --no-memo),
#    wall time, tokens/s, the ratio to OpenSSL, CPU time per token and peak RSS (the 100k run's
#    is the memo's at its bound: 100k distinct tokens fill it); then ROUNDS
#    (default 5) pairs of OpenSSL and a 100k batch, text and NDJSON, one after the other, and the
#    median of their ratios (the machine may be shared: a single pair can be off by 15%).
# 3. Heap allocations per distinct token, text and NDJSON (examples/batch_allocs.rs: a counting
#    allocator around the whole command, N and 2N tokens, the difference / N).
# 4. Log-shaped input (bench/log.sh): 1,000,000 lines from 20,000 distinct tokens, memo on and
#    off, the speed-up and peak RSS.
# 5. A one-token verify against jwt-cli 6.2 (bench/coldstart.sh), when jwt-cli is installed
#    (JWT=/path/to/jwt): instructions (callgrind) and time.
# Then the goals, each figure beside its goal.
set -euo pipefail
cd "$(dirname "$0")/.."
distinct=${DISTINCT:-100000}
work=${WORK:-$(mktemp -d)}
# Two builds: built together with the example, jwtcheck would get the dev-dependencies'
# features (cargo unifies them), and not be the binary `cargo install` makes.
cargo build --release --quiet --example batch_tokens
cargo build --release --quiet --example verify_floor
cargo build --release --quiet --example batch_allocs
cargo build --release --quiet --bin jwtcheck
bin=target/release/jwtcheck
if [ ! -s "$work/distinct.txt" ] || [ "$(wc -l < "$work/distinct.txt")" -ne "$distinct" ]; then
  echo "signing $distinct tokens…" >&2
  target/release/examples/batch_tokens "$distinct" > "$work/distinct.txt"
fi
: > "$work/1m.txt"
while [ "$(wc -l < "$work/1m.txt")" -lt 1000000 ]; do cat "$work/distinct.txt" >> "$work/1m.txt"; done
head -n 1000000 "$work/1m.txt" > "$work/1000000.txt"
head -n 100000 "$work/1000000.txt" > "$work/100000.txt"
head -n 10000 "$work/1000000.txt" > "$work/10000.txt"

cores=$(nproc)
speed() { openssl speed -seconds 3 "$@" rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $NF}'; }
openssl_rate=$(speed -multi "$cores")
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $cores cores"
echo "openssl speed -seconds 3 -multi $cores rsa2048: $openssl_rate verify/s"
one=$(speed)
read -r floor decode < <(target/release/examples/verify_floor "$work/distinct.txt" samples/jwks.json)
awk -v one="$one" -v f="$floor" -v d="$decode" 'BEGIN {
  printf "one core: OpenSSL %.2f us per verify; jwtcheck signature check alone %.2f us (%.2f x OpenSSL rate)\n", 1e6/one, f, (1e6/one)/f
  printf "at 0.85 x OpenSSL a token may take %.2f us per core: %.2f us left beside the signature check\n", 1e6/one/0.85, 1e6/one/0.85 - f
  printf "decoding a token alone (base64url, strict JSON of header and payload) takes %.2f us of those\n", d
}'
run() { # FILE OUTPUT [flags]: times one batch into $work/time, checks its summary
  local file=$1 n=$2; shift 2
  /usr/bin/time -f '%e %M %U %S' -o "$work/time" \
    "$bin" verify --batch "$work/$file" --jwks samples/jwks.json --now 2026-11-24T09:30:00Z "$@" > "$work/out" 2> "$work/err" || true
  cat "$work/out" "$work/err" | grep -q "$n token(s): $n valid" \
    || { echo "unexpected summary: $(tail -1 "$work/out") $(tail -1 "$work/err")"; exit 1; }
}
printf '%-6s %-9s %9s %12s %8s %12s %10s\n' output tokens seconds tokens/s ratio cpu_us/token peak_RSS
for format in text json; do
  json=(); [ "$format" = json ] && json=(--json)
  for n in 10000 100000 1000000; do
    memo=(); [ "$n" -gt "$distinct" ] && memo=(--no-memo)
    run "$n.txt" "$n" "${memo[@]}" "${json[@]}"
    read -r secs rss user sys < "$work/time"
    awk -v f="$format" -v n="$n" -v s="$secs" -v o="$openssl_rate" -v r="$rss" -v c="$user" -v k="$sys" \
      'BEGIN { printf "%-6s %-9d %9.2f %12.0f %8.2f %12.2f %7.1f MiB\n", f, n, s, n/s, (n/s)/o, (c+k)*1e6/n, r/1024 }'
    [ "$n" = 1000000 ] && echo "$rss" > "$work/rss.$format"
    # 100k distinct tokens with the memo on: by then the memo has reached its bound.
    [ "$n" = 100000 ] && echo "$rss" > "$work/rss.memo.$format"
  done
done
rounds=${ROUNDS:-5}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for format in text json; do
  json=(); [ "$format" = json ] && json=(--json)
  ratios=()
  for _ in $(seq "$rounds"); do
    o=$(speed -multi "$cores")
    run 100000.txt 100000 "${json[@]}"
    read -r secs _ < "$work/time"
    ratios+=("$(awk -v o="$o" -v s="$secs" 'BEGIN { printf "%.3f", (100000/s)/o }')")
  done
  printf '%s' "$(printf '%s\n' "${ratios[@]}" | median)" > "$work/ratio.$format"
  printf '100k %s, %s rounds of OpenSSL then jwtcheck: ratios %s; median %s\n' "$format" "$rounds" "${ratios[*]}" "$(cat "$work/ratio.$format")"
done
target/release/examples/batch_allocs "$work/distinct.txt" samples/jwks.json > "$work/allocs"
read -r _ allocs_text bytes_text < <(grep '^text' "$work/allocs")
read -r _ allocs_json bytes_json < <(grep '^json' "$work/allocs")
echo "heap allocations per distinct token: text $allocs_text ($bytes_text bytes), NDJSON $allocs_json ($bytes_json bytes)"
echo "log-shaped input (bench/log.sh):"
mkdir -p "$work/log"
WORK="$work/log" bash bench/log.sh > "$work/log.out"
sed 's/^/  /' "$work/log.out"
speedup=$(grep -o 'memo speed-up [0-9.]*' "$work/log.out" | grep -o '[0-9.]*$')
log_rss=$(awk '$1 == "on" {print $(NF-1)}' "$work/log.out")
jwt=${JWT:-jwt}
coldstart="(jwt-cli not installed: cargo install jwt-cli --version 6.2.0, or JWT=/path/to/jwt)"
if command -v "$jwt" >/dev/null && command -v hyperfine >/dev/null; then
  echo "one-token verify against jwt-cli (bench/coldstart.sh, 3 rounds):"
  ROUNDS=3 JWT="$jwt" bash bench/coldstart.sh > "$work/cold.out"
  sed 's/^/  /' "$work/cold.out"
  coldstart=$(awk '$1 == "jwtcheck" && /instructions/ {a=$2} $1 == "jwt" && /instructions/ {b=$2}
    END {if (a && b) printf "%.2f x jwt-cli instructions (%.3f M), ", a/b, a/1e6}' "$work/cold.out")$(grep -o 'ratio of means [0-9.]*' "$work/cold.out" | tail -1 | sed 's/ratio of means /time x /')
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "figure                                                     measured            goal"
printf '%-58s %-19s %s\n' "distinct tokens, text: tokens/s / OpenSSL (median)" "$(cat "$work/ratio.text")" ">= 0.85"
printf '%-58s %-19s %s\n' "distinct tokens, NDJSON: tokens/s / OpenSSL (median)" "$(cat "$work/ratio.json")" ">= 0.75"
printf '%-58s %-19s %s\n' "log-shaped, 1M lines / 20k distinct: speed-up" "${speedup} x" ">= 5"
printf '%-58s %-19s %s\n' "allocations per distinct token, text" "$allocs_text" "<= 20"
printf '%-58s %-19s %s\n' "peak RSS, 1M lines (log-shaped, memo on)" "$log_rss MiB" "< 32 MiB"
printf '%-58s %-19s %s\n' "peak RSS, distinct, memo at its bound (text, NDJSON)" "$(awk -v a="$(cat "$work/rss.memo.text")" -v b="$(cat "$work/rss.memo.json")" 'BEGIN {printf "%.1f, %.1f MiB", a/1024, b/1024}')" "< 32 MiB"
printf '%-58s %-19s %s\n' "peak RSS, 1M lines (distinct, --no-memo; text, NDJSON)" "$(awk -v a="$(cat "$work/rss.text")" -v b="$(cat "$work/rss.json")" 'BEGIN {printf "%.1f, %.1f MiB", a/1024, b/1024}')" "< 32 MiB"
printf '%-58s %-19s %s\n' "one-token verify vs jwt-cli 6.2" "$coldstart" "not worse than before"
