#!/usr/bin/env bash
# verify --batch on log-shaped input, where each token comes back many times (an access log
# repeats each session's token): LINES lines (default 1,000,000) drawn at random, with repeats
# and a fixed seed, from DISTINCT distinct RS256 id tokens of the sample pool (default 20,000).
#   bash bench/log.sh
#   LINES=200000 DISTINCT=4000 bash bench/log.sh
# The same file is verified twice: with the memo (the default) and with --no-memo (every line
# judged in full: the distinct-token rate). For each: wall time, tokens/s, CPU time per line
# (user + system, all threads) and peak RSS; then the speed-up, tokens/s with the memo ÷
# tokens/s without (goal ≥ 5), and the same by CPU time (the machine may be shared).
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${LINES:-1000000}
distinct=${DISTINCT:-20000}
work=${WORK:-$(mktemp -d)}
# Two builds, as in bench/batch.sh: jwtcheck alone is the binary `cargo install` makes.
cargo build --release --quiet --example batch_tokens
cargo build --release --quiet --bin jwtcheck
bin=target/release/jwtcheck
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
target/release/examples/batch_tokens "$distinct" > "$work/distinct.txt"
# A seeded stream of random bytes (the coreutils manual's way): the same log every run.
seeded() { openssl enc -aes-256-ctr -pass pass:jwtcheck -nosalt < /dev/zero 2> /dev/null; }
shuf -r -n "$lines" --random-source=<(seeded) "$work/distinct.txt" > "$work/log.txt"
echo "$lines lines, $(sort -u "$work/log.txt" | wc -l) distinct tokens among them"
printf '%-8s %9s %12s %12s %10s\n' memo seconds tokens/s cpu_us/line peak_RSS
for memo in on off; do
  flag=(); [ "$memo" = off ] && flag=(--no-memo)
  /usr/bin/time -f '%e %M %U %S' -o "$work/time.$memo" \
    "$bin" verify --batch "$work/log.txt" --jwks samples/jwks.json --now 2026-11-24T09:30:00Z \
    "${flag[@]}" > "$work/out.$memo" || true
  tail -1 "$work/out.$memo" | grep -q "$lines token(s): $lines valid" \
    || { echo "unexpected summary: $(tail -1 "$work/out.$memo")"; exit 1; }
  read -r secs rss user sys < "$work/time.$memo"
  awk -v m="$memo" -v n="$lines" -v s="$secs" -v r="$rss" -v c="$user" -v k="$sys" \
    'BEGIN { printf "%-8s %9.2f %12.0f %12.2f %7.1f MiB\n", m, s, n/s, (c+k)*1e6/n, r/1024 }'
done
cmp -s "$work/out.on" "$work/out.off" && echo "output with and without the memo: identical" \
  || { echo "output with and without the memo differs"; exit 1; }
read -r on_s _ on_u on_k < "$work/time.on"
read -r off_s _ off_u off_k < "$work/time.off"
awk -v a="$on_s" -v b="$off_s" -v au="$on_u" -v ak="$on_k" -v bu="$off_u" -v bk="$off_k" -v d="$distinct" -v n="$lines" \
  'BEGIN { printf "%d lines from %d distinct tokens: memo speed-up %.1f x by wall time, %.1f x by CPU time (goal >= 5)\n", n, d, b/a, (bu+bk)/(au+ak) }'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
