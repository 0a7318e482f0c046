#!/usr/bin/env bash
# The fleet benchmark of BENCHMARKS.md, in one run:
#   - generates fleets of 100, 1,000 and 10,000 installations (gen-fleet, seeded);
#   - times, on the same files and with a warm cache: `magelint check` (all rules, JSON report to
#     /dev/null), one `php` process including and json-encoding every PHP file, and `cat` of
#     every file (the I/O floor); best of R runs each;
#   - peak RSS (/usr/bin/time -v) of magelint and php;
#   - magelint --select SCH vs check-jsonschema on the 1,000 .magento.env.yaml files;
#   - magelint vs php on 1,000 installations again with hyperfine (means and fastest runs);
#   - one installation (the pre-commit case): hyperfine if installed, else best/mean of 20 runs.
#
# Usage: bench/run.sh [DIR] [MAGELINT]
#   DIR       where fleets are generated (default /tmp/magelint-bench; reused when present)
#   MAGELINT  the binary (default $CARGO_TARGET_DIR/dist/magelint, built first: the profile of the
#             wheel users install, see Cargo.toml)
# Environment: SIZES="100 1000 10000", RUNS=5 (best of), SKIP_CJ=1 to skip check-jsonschema,
# HF_RUNS=30 (hyperfine runs of the 1,000-installation comparison).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DIR=${1:-/tmp/magelint-bench}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
SIZES=${SIZES:-100 1000 10000}
RUNS=${RUNS:-5}
if [[ -z "${2:-}" ]]; then
  cargo build --profile dist --bin magelint --example gen-fleet >&2
  MAGELINT=$TARGET/dist/magelint
else
  MAGELINT=$2
fi
GEN=$TARGET/dist/examples/gen-fleet
[[ -x /usr/bin/time ]] || { echo "needs GNU time: apt-get install -y time" >&2; exit 2; }
mkdir -p "$DIR"

# best_of N CMD...: prints the best wall time in seconds of N runs (output discarded).
best_of() {
  local n=$1 best="" t0 t1 d
  shift
  for ((i = 0; i < n; i++)); do
    t0=$EPOCHREALTIME
    "$@" > /dev/null 2>&1 || true
    t1=$EPOCHREALTIME
    d=$(echo "$t1 - $t0" | bc -l)
    if [[ -z "$best" ]] || (($(echo "$d < $best" | bc -l))); then best=$d; fi
  done
  printf '%.3f' "$best"
}

# peak_rss CMD...: maximum resident set size in MiB.
peak_rss() {
  { /usr/bin/time -v "$@" 2>&1 > /dev/null || true; } |
    awk '/Maximum resident set size/ { printf "%.1f", $6 / 1024 }'
}

ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }

cat_all() { xargs -d '\n' cat < "$1/all-files.txt"; }
magelint_check() { "$MAGELINT" check --format json --output-file /dev/null "$1"; }
php_eval() { php bench/php-eval.php "$1/php-files.txt"; }

echo "# magelint fleet benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, best of $RUNS"
echo "# command: bench/run.sh $*"
echo "# $("$MAGELINT" --version 2>/dev/null || echo magelint), $(php -r 'echo "PHP ", PHP_VERSION;')"
echo
printf '| installations | files | MB | cat | php | magelint | magelint/php | magelint/cat | magelint RSS MiB | php RSS MiB | findings |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
declare -A T
for n in $SIZES; do
  fleet=$DIR/fleet-$n
  if [[ ! -f $fleet/all-files.txt ]]; then
    rm -rf "$fleet"
    [[ -x $GEN ]] || cargo build --profile dist --example gen-fleet >&2
    "$GEN" "$fleet" "$n" >&2
  fi
  files=$(wc -l < "$fleet/all-files.txt")
  mb=$(xargs -d '\n' cat < "$fleet/all-files.txt" | wc -c | awk '{ printf "%.1f", $1 / 1e6 }')
  runs=$RUNS
  ((n >= 10000)) && runs=$(((RUNS + 1) / 2))
  cat_all "$fleet" > /dev/null # warm the cache
  t_cat=$(best_of "$runs" cat_all "$fleet")
  t_php=$(best_of "$runs" php_eval "$fleet")
  t_ml=$(best_of "$runs" magelint_check "$fleet")
  rss_ml=$(peak_rss "$MAGELINT" check --format json --output-file /dev/null "$fleet")
  rss_php=$(peak_rss php bench/php-eval.php "$fleet/php-files.txt")
  findings=$({ "$MAGELINT" check --format concise "$fleet" || true; } | wc -l)
  T[$n]=$t_ml
  printf '| %s | %s | %s | %s s | %s s | %s s | %s× | %s× | %s | %s | %s |\n' \
    "$n" "$files" "$mb" "$t_cat" "$t_php" "$t_ml" "$(ratio "$t_ml" "$t_php")" \
    "$(ratio "$t_ml" "$t_cat")" "$rss_ml" "$rss_php" "$findings"
done
echo
if [[ -n "${T[1000]:-}" && -n "${T[10000]:-}" ]]; then
  echo "scaling 1,000 → 10,000 installations: $(ratio "${T[10000]}" "${T[1000]}")× the time (linear = 10×)"
  echo
fi

# The goal's ratio again, less exposed to the VM's noise than a best of a few: hyperfine runs
# magelint and php HF_RUNS times each (after warm-ups) on the 1,000-installation fleet; ratios
# of the means and of the fastest runs.
if [[ -f $DIR/fleet-1000/php-files.txt ]] && command -v hyperfine > /dev/null; then
  fleet=$DIR/fleet-1000
  hf_runs=${HF_RUNS:-30}
  hyperfine -N -i --warmup 3 --runs "$hf_runs" --export-json "$DIR/hf-ratio.json" \
    "$MAGELINT check --format json --output-file /dev/null $fleet" \
    "php bench/php-eval.php $fleet/php-files.txt" > /dev/null 2>&1
  python3 - "$DIR/hf-ratio.json" "$hf_runs" << 'PY'
import json, sys
ml, php = json.load(open(sys.argv[1]))["results"]
print("1,000 installations, hyperfine, %s runs each: magelint mean %.1f ms (σ %.1f, fastest %.1f), "
      "php mean %.1f ms (σ %.1f, fastest %.1f): magelint/php %.2f× (means), %.2f× (fastest)" % (
    sys.argv[2], ml["mean"] * 1e3, ml["stddev"] * 1e3, min(ml["times"]) * 1e3,
    php["mean"] * 1e3, php["stddev"] * 1e3, min(php["times"]) * 1e3,
    ml["mean"] / php["mean"], min(ml["times"]) / min(php["times"])))
PY
  echo
fi

# Schema validation only, on the 1,000 .magento.env.yaml files of the 1,000-installation fleet.
if [[ -f $DIR/fleet-1000/yaml-files.txt && -z "${SKIP_CJ:-}" ]] && command -v check-jsonschema > /dev/null; then
  mapfile -t yamls < "$DIR/fleet-1000/yaml-files.txt"
  sch() { "$MAGELINT" check --select SCH --format concise --exit-zero "${yamls[@]}"; }
  cj() { check-jsonschema --schemafile schemas/magento-env-yaml.schema.json "${yamls[@]}"; }
  if command -v hyperfine > /dev/null; then
    # hyperfine times the processes themselves (no shell expanding 1,000 arguments around a
    # 15 ms run); fastest run of each, like best_of.
    hf_min() {
      local runs=$1
      shift
      hyperfine -N -i --warmup 1 --runs "$runs" --export-json "$DIR/hf.json" "$*" > /dev/null 2>&1
      python3 -c 'import json,sys; print("%.4f" % min(json.load(open(sys.argv[1]))["results"][0]["times"]))' "$DIR/hf.json"
    }
    t_sch=$(hf_min $((RUNS * 10)) "$MAGELINT" check --select SCH --format concise --exit-zero "${yamls[@]}")
    sch_mean=$(python3 -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["results"][0]["mean"])' "$DIR/hf.json")
    echo "magelint --select SCH: fastest $t_sch s, mean $sch_mean s of $((RUNS * 10)) runs (hyperfine)"
    t_cj=$(hf_min 2 check-jsonschema --schemafile schemas/magento-env-yaml.schema.json "${yamls[@]}")
  else
    t_sch=$(best_of "$RUNS" sch)
    t_cj=$(best_of 2 cj)
  fi
  echo "schema only, ${#yamls[@]} .magento.env.yaml files: magelint --select SCH $t_sch s, check-jsonschema $t_cj s: magelint is $(ratio "$t_cj" "$t_sch")× faster"
  echo
fi

# One installation: the pre-commit case.
one=$DIR/fleet-100/i00000
if [[ -d $one ]]; then
  if command -v hyperfine > /dev/null; then
    hyperfine -N --warmup 3 --runs 30 -i --style basic \
      "$MAGELINT check --format concise $one" 2>&1 | grep -E 'Time|Range'
  else
    best=""
    total=0
    for ((i = 0; i < 20; i++)); do
      t0=$EPOCHREALTIME
      "$MAGELINT" check --format concise "$one" > /dev/null || true
      d=$(echo "$EPOCHREALTIME - $t0" | bc -l)
      total=$(echo "$total + $d" | bc -l)
      if [[ -z "$best" ]] || (($(echo "$d < $best" | bc -l))); then best=$d; fi
    done
    printf 'one installation (20 runs): best %.1f ms, mean %.1f ms\n' \
      "$(echo "$best * 1000" | bc -l)" "$(echo "$total * 50" | bc -l)"
  fi
fi
