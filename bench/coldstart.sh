#!/usr/bin/env bash
# One token's verify, whole process, against jwt-cli 6.2 on the same token and key set.
#   bash bench/coldstart.sh              # 5 rounds of hyperfine, 300 runs per command each
#   ROUNDS=9 JWT=/path/to/jwt bash bench/coldstart.sh
# Needs hyperfine (Debian package) and jwt-cli (`cargo install jwt-cli --version 6.2.0`);
# valgrind, when present, adds the instruction counts. The token is a sample-pool id token
# signed now (valid for the next hour), checked against samples/jwks.json by both tools.
# Prints each round's ratio of means and medians (jwtcheck / jwt-cli), then the median round.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-5}
jwt=${JWT:-jwt}
command -v "$jwt" >/dev/null || { echo "jwt-cli not found: cargo install jwt-cli --version 6.2.0 (or set JWT=)" >&2; exit 1; }
# Two builds: built together with the example, jwtcheck would get the dev-dependencies'
# features (cargo unifies them), and not be the binary `cargo install` makes.
cargo build --release --quiet --example batch_tokens
cargo build --release --quiet --bin jwtcheck
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Both binaries are copied side by side, as `cargo install` copies them: run from the file the
# linker wrote, jwtcheck takes ~15 more page faults and ~0.15 ms more (that file's page cache is
# laid out differently), which is not what an installed jwtcheck does.
cp target/release/jwtcheck "$work/jwtcheck"
cp "$(command -v "$jwt")" "$work/jwt"
bin=$work/jwtcheck
jwt=$work/jwt
token=$(FRESH=1 target/release/examples/batch_tokens 1)
"$bin" verify "$token" --jwks samples/jwks.json >/dev/null || { echo "jwtcheck does not accept the token" >&2; exit 1; }
"$jwt" decode -S @samples/jwks.json "$token" >/dev/null || { echo "jwt-cli does not accept the token" >&2; exit 1; }
a="$bin verify $token --jwks samples/jwks.json"
b="$jwt decode -S @samples/jwks.json $token"
if command -v valgrind >/dev/null; then
  for cmd in "$a" "$b"; do
    valgrind --tool=callgrind --callgrind-out-file="$work/cg" $cmd >/dev/null 2>"$work/vg"
    printf '%-9s %s instructions\n' "$(basename "${cmd%% *}")" "$(grep -o 'Collected : [0-9]*' "$work/vg" | grep -o '[0-9]*$')"
  done
fi
for i in $(seq "$rounds"); do
  hyperfine -N --warmup 50 --runs 300 --export-json "$work/r$i.json" "$a" "$b" >/dev/null 2>&1
done
python3 - "$work" "$rounds" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
means, medians = [], []
for i in range(1, rounds + 1):
    a, b = json.load(open(f"{work}/r{i}.json"))["results"]
    means.append(a["mean"] / b["mean"]); medians.append(a["median"] / b["median"])
    print(f"round {i}: jwtcheck {a['mean']*1e3:.3f} ms, jwt-cli {b['mean']*1e3:.3f} ms (means); "
          f"ratio of means {means[-1]:.2f}, of medians {medians[-1]:.2f}")
print(f"median over {rounds} rounds: ratio of means {statistics.median(means):.2f}, "
      f"of medians {statistics.median(medians):.2f}")
PY
