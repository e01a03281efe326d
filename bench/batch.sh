#!/usr/bin/env bash
# verify --batch against the machine's RSA-2048 verify rate, measured in the same run.
#   bash bench/batch.sh            # 10k, 100k and 1M tokens
#   DISTINCT=20000 ROUNDS=7 bash bench/batch.sh
# Prints OpenSSL's verify rate on all cores and on one, the floor (jwtcheck's signature check
# alone and decoding a token alone, one core: examples/verify_floor.rs) and what that leaves per
# token for everything else at 0.85 x OpenSSL; then for each size: wall time, tokens/s, the
# ratio to OpenSSL, CPU time per token (user + system, all threads) and peak RSS; then ROUNDS (default 5) more pairs of OpenSSL and a 100k batch, one after the other, and
# the median of their ratios (the machine is shared: a single pair can be off by 15%).
# Tokens are DISTINCT distinct RS256 id tokens of the sample pool (default 100000), repeated to
# reach 1M; every line is verified in full (the 1M run, whose lines repeat, with --no-memo; the
# others with the memo, as users run them, which on distinct tokens only costs). Log-shaped
# input, where the memo pays: bench/log.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
distinct=${DISTINCT:-100000}
work=${WORK:-$(mktemp -d)}
# Two builds: built together with the example, jwtcheck would get the dev-dependencies'
# features (cargo unifies them), and not be the binary `cargo install` makes.
cargo build --release --quiet --example batch_tokens
cargo build --release --quiet --example verify_floor
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
echo "openssl speed -seconds 3 -multi $cores rsa2048: $openssl_rate verify/s"
one=$(speed)
read -r floor decode < <(target/release/examples/verify_floor "$work/distinct.txt" samples/jwks.json)
awk -v one="$one" -v f="$floor" -v d="$decode" 'BEGIN {
  printf "one core: OpenSSL %.2f us per verify; jwtcheck signature check alone %.2f us (%.2f x OpenSSL rate)\n", 1e6/one, f, (1e6/one)/f
  printf "at 0.85 x OpenSSL a token may take %.2f us per core: %.2f us left beside the signature check\n", 1e6/one/0.85, 1e6/one/0.85 - f
  printf "decoding a token alone (base64url, strict JSON of header and payload) takes %.2f us of those\n", d
}'
printf '%-9s %9s %12s %8s %12s %10s\n' tokens seconds tokens/s ratio cpu_us/token peak_RSS
for n in 10000 100000 1000000; do
  memo=(); [ "$n" -gt "$distinct" ] && memo=(--no-memo)
  /usr/bin/time -f '%e %M %U %S' -o "$work/time" \
    "$bin" verify --batch "$work/$n.txt" --jwks samples/jwks.json --now 2026-11-24T09:30:00Z "${memo[@]}" > "$work/out" || true
  read -r secs rss user sys < "$work/time"
  tail -1 "$work/out" | grep -q "$n token(s): $n valid" || { echo "unexpected summary: $(tail -1 "$work/out")"; exit 1; }
  awk -v n="$n" -v s="$secs" -v o="$openssl_rate" -v r="$rss" -v c="$user" -v k="$sys" \
    'BEGIN { printf "%-9d %9.2f %12.0f %8.2f %12.2f %7.1f MiB\n", n, s, n/s, (n/s)/o, (c+k)*1e6/n, r/1024 }'
done
rounds=${ROUNDS:-5}
ratios=()
for _ in $(seq "$rounds"); do
  o=$(speed -multi "$cores")
  /usr/bin/time -f '%e' -o "$work/time" \
    "$bin" verify --batch "$work/100000.txt" --jwks samples/jwks.json --now 2026-11-24T09:30:00Z > /dev/null || true
  ratios+=("$(awk -v o="$o" -v s="$(cat "$work/time")" 'BEGIN { printf "%.3f", (100000/s)/o }')")
done
printf '100k, %s rounds of OpenSSL then jwtcheck: ratios %s; median %s\n' "$rounds" "${ratios[*]}" \
  "$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
