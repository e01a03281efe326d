#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for SECONDS each, one after another, and prints
# executions and findings per target. Needs a nightly toolchain and cargo-fuzz:
#   rustup toolchain install nightly && cargo install cargo-fuzz
# Usage: fuzz/run.sh SECONDS [TARGET...]
#   RUNS=10000000 fuzz/run.sh 3600     stop a target at 10 million executions (or SECONDS)
#   SANITIZER=address fuzz/run.sh 60   with AddressSanitizer (default none: the code is safe
#                                      Rust, and the campaign wants executions)
# Limits (the issue's goal): -timeout=1 (an input slower than 1 s is a finding) and
# -rss_limit_mb=2048 (more than 2 GiB is a finding). Findings are kept in
# fuzz/artifacts/TARGET/; logs in fuzz/logs/TARGET.log; the corpus grows in fuzz/corpus/TARGET.
set -uo pipefail
cd "$(dirname "$0")"
root=..

if [[ $# -lt 1 || ! $1 =~ ^[0-9]+$ ]]; then
  echo "usage: fuzz/run.sh SECONDS [TARGET...]" >&2
  exit 2
fi
seconds=$1
shift
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
flags=(-s "${SANITIZER:-none}" -a)
runs=${RUNS:--1}

# Seeds: the target's own (fuzz/seeds/TARGET) plus what samples/ and tests/fixtures/ hold.
der_of() { sed '/-----/d' "$1" | base64 -d 2>/dev/null; }
seed_project_files() {
  local t=$1 out=$2 f
  case $t in
    token | decode_pipeline)
      for f in "$root"/samples/*.jwt "$root"/tests/fixtures/rfc/*.jwt "$root"/tests/fixtures/tokens/*.jwt "$root"/samples/callback-url.txt; do
        cp "$f" "$out/project-$(basename "$f")"
      done ;;
    input_forms)
      for f in "$root"/samples/*.jwt; do
        printf 'Authorization: Bearer %s\n' "$(cat "$f")" >"$out/project-header-$(basename "$f")"
      done ;;
    callback) cp "$root"/samples/callback-url.txt "$out/project-callback-url.txt" ;;
    jwk)
      for f in "$root"/samples/jwks.json "$root"/tests/fixtures/rfc/*.jwk; do
        cp "$f" "$out/project-$(basename "$f")"
      done ;;
    pem)
      for f in "$root"/tests/fixtures/keys/*.pub.pem "$root"/tests/fixtures/keys/*.cert.pem; do
        cp "$f" "$out/project-$(basename "$f")"
        # The DER form: the first byte picks the label (0 PUBLIC KEY, 1 RSA PUBLIC KEY, 2 CERTIFICATE).
        local pick='\x00'
        case $f in *pkcs1*) pick='\x01' ;; *cert*) pick='\x02' ;; esac
        { printf "$pick"; der_of "$f"; } >"$out/project-der-$(basename "$f")"
      done ;;
    hasura_config)
      for f in "$root"/samples/hasura-jwt-secret*.json; do cp "$f" "$out/project-$(basename "$f")"; done ;;
    policy) cp "$root"/samples/policy.json "$out/project-policy.json" ;;
    ddn_config) cp "$root"/samples/auth-config.hml "$out/project-auth-config.hml" ;;
    verify_hasura)
      for f in "$root"/samples/*.jwt; do
        { printf '\x01'; cat "$f"; } >"$out/project-$(basename "$f")"
      done ;;
  esac
}
dict_of() {
  case $1 in
    token | decode_pipeline | verify_hasura | input_forms) echo dict/jwt.dict ;;
    callback) echo dict/url.dict ;;
    ddn_config) echo dict/yaml.dict ;;
    pem) echo dict/pem.dict ;;
    cache_headers) echo dict/http.dict ;;
    *) echo dict/json.dict ;;
  esac
}

echo "building the targets (cargo +nightly fuzz build ${flags[*]})…" >&2
cargo +nightly fuzz build "${flags[@]}" >&2 || exit 2
bin=target/$(rustc +nightly -vV | sed -n 's/^host: //p')/release
toolchain=$(rustc +nightly --version)
mkdir -p logs
status=0
rows=()
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  seed_project_files "$t" "corpus/$t"
  touch "logs/$t.start"
  started=$(date +%s)
  # The binaries built above, run directly: what is fuzzed does not change under a long run.
  "$bin/$t" "corpus/$t" "seeds/$t" -artifact_prefix="artifacts/$t/" \
    -max_total_time="$seconds" -runs="$runs" -timeout=1 -rss_limit_mb=2048 \
    -dict="$(dict_of "$t")" -print_final_stats=1 >"logs/$t.log" 2>&1
  code=$?
  elapsed=$(($(date +%s) - started))
  final_stat() { grep -ao "stat::$1: *[0-9]*" "logs/$t.log" | grep -o '[0-9]*$' | tail -1; }
  execs=$(final_stat number_of_executed_units)
  slowest=$(final_stat slowest_unit_time_sec)
  rss=$(final_stat peak_rss_mb)
  found=$(find "artifacts/$t" -type f -newer "logs/$t.start" | wc -l)
  kinds=$(find "artifacts/$t" -type f -newer "logs/$t.start" -printf '%f\n' | sed 's/-.*//' | sort | uniq -c | awk '{printf "%s %s ", $1, $2}')
  [[ $code -ne 0 || $found -ne 0 ]] && status=1
  rows+=("$(printf '%-16s %12s %8s %10s %8s %9s  %s' "$t" "${execs:-?}" "$elapsed" "${slowest:-?}" "${rss:-?}" "$found" "${kinds:-}")")
done
echo
echo "toolchain: $toolchain; sanitizer: ${SANITIZER:-none}; -timeout=1 -rss_limit_mb=2048"
printf '%-16s %12s %8s %10s %8s %9s  %s\n' target executions seconds slowest_s peak_MB findings kinds
printf '%s\n' "${rows[@]}"
exit $status
