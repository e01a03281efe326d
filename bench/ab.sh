#!/usr/bin/env bash
# Two jwtcheck binaries side by side on the same distinct tokens, alternating, each pair right
# after its own OpenSSL measurement (the machine may be shared: alternating keeps drift out of
# the comparison). For a change's effect on verify --batch:
#   git worktree add /tmp/before <rev> && (cd /tmp/before && cargo build --release --bin jwtcheck)
#   bash bench/ab.sh /tmp/before/target/release/jwtcheck target/release/jwtcheck
#   TOKENS=100000 ROUNDS=5 bash bench/ab.sh OLD NEW
# Prints each run (ratio to OpenSSL's RSA-2048 verify rate on all cores, CPU µs per token),
# then the median ratio of each binary, text and --json.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: bench/ab.sh OLD_BINARY NEW_BINARY" >&2; exit 2; }
old=$1 new=$2
n=${TOKENS:-100000}
rounds=${ROUNDS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet --example batch_tokens
target/release/examples/batch_tokens "$n" > "$work/tokens.txt"
speed() { openssl speed -seconds 3 -multi "$(nproc)" rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $NF}'; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $n distinct tokens"
for round in $(seq "$rounds"); do
  for format in text json; do
    json=(); [ "$format" = json ] && json=(--json)
    o=$(speed)
    for which in old new; do
      bin=$old; [ "$which" = new ] && bin=$new
      /usr/bin/time -f '%e %U %S' -o "$work/time" "$bin" verify --batch "$work/tokens.txt" \
        --jwks samples/jwks.json --now 2026-11-24T09:30:00Z "${json[@]}" > /dev/null 2>&1 || true
      read -r s u k < "$work/time"
      awk -v r="$round" -v f="$format" -v b="$which" -v o="$o" -v s="$s" -v u="$u" -v k="$k" -v n="$n" \
        'BEGIN {printf "%d %-4s %-3s openssl %6.0f/s  %5.2f s  ratio %.3f  cpu %.1f us/token\n", r, f, b, o, s, (n/s)/o, (u+k)*1e6/n}' \
        | tee -a "$work/runs"
    done
  done
done
for format in text json; do
  for which in old new; do
    awk -v f="$format" -v b="$which" '$2 == f && $3 == b {print $9}' "$work/runs" | sort -n \
      | awk -v f="$format" -v b="$which" '{a[NR]=$1} END {printf "median %-4s %-3s %s (%s to %s)\n", f, b, a[int((NR+1)/2)], a[1], a[NR]}'
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
