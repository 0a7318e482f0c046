#!/usr/bin/env bash
# The release-profile comparison of BENCHMARKS.md ("Build profiles"): for each LTO setting,
#   - a cold `cargo install --locked --path .` (empty target dir, what a user or pre-commit's
#     `language: rust` hook does), timed, with the load average before and after;
#   - the installed binary's lint speed: hyperfine on the 1,000-installation fleet and on one
#     installation, and instructions (callgrind, one thread) on the 100-installation fleet.
#
# Usage: bench/profiles.sh [OUT]   (default /tmp/magelint-profiles)
# Environment: PROFILES="fat:1 thin:16" (lto:codegen-units, set on the release profile through
# CARGO_PROFILE_RELEASE_*), FLEETS=/tmp/magelint-bench (where bench/run.sh keeps its fleets;
# made with the gen-fleet example when missing), RUNS=30 (hyperfine runs), REBUILD=1 to build
# again a profile already installed in OUT.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${1:-/tmp/magelint-profiles}
PROFILES=${PROFILES:-fat:1 thin:16}
FLEETS=${FLEETS:-/tmp/magelint-bench}
RUNS=${RUNS:-30}
mkdir -p "$OUT" "$FLEETS"
command -v hyperfine > /dev/null || { echo "needs hyperfine: apt-get install -y hyperfine" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "needs GNU time: apt-get install -y time" >&2; exit 2; }

for n in 100 1000; do
  if [[ ! -f $FLEETS/fleet-$n/all-files.txt ]]; then
    cargo run -q --release --example gen-fleet -- "$FLEETS/fleet-$n" "$n"
  fi
done

echo "# build profiles — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(rustc --version)"
echo
echo '| lto | codegen-units | cold `cargo install` | load before → after | binary | 1,000 installations (hyperfine mean ± σ, fastest) | one installation (mean) | instructions, 100 installations |'
echo "|---|---|---|---|---|---|---|---|"
for profile in $PROFILES; do
  lto=${profile%%:*}
  units=${profile##*:}
  name=lto-$lto-cgu$units
  bin=$OUT/root-$name/bin/magelint
  build="(reused)"
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  load_after=$load_before
  if [[ ! -x $bin || -n ${REBUILD:-} ]]; then
    rm -rf "$OUT/target-$name" "$OUT/root-$name"
    # Wall time, and CPU time (user + system of cargo and every rustc it ran): on a shared
    # machine the wall time follows the other load, the CPU time much less.
    CARGO_PROFILE_RELEASE_LTO=$lto CARGO_PROFILE_RELEASE_CODEGEN_UNITS=$units \
      CARGO_TARGET_DIR=$OUT/target-$name /usr/bin/time -f '%e %U %S' -o "$OUT/time-$name" \
      cargo install -q --locked --path "$ROOT" --root "$OUT/root-$name" 2> "$OUT/build-$name.log"
    build=$(awk '{ printf "%.0f s wall, %.0f s CPU", $1, $2 + $3 }' "$OUT/time-$name")
    load_after=$(cut -d' ' -f1 /proc/loadavg)
    echo "$name: cold cargo install $build, load $load_before → $load_after" >&2
    rm -rf "$OUT/target-$name"
  fi
  size=$(stat -c %s "$bin" | awk '{ printf "%.1f MB", $1 / 1e6 }')
  hyperfine -N -i --warmup 3 --runs "$RUNS" --export-json "$OUT/hf-$name.json" \
    "$bin check --format json --output-file /dev/null $FLEETS/fleet-1000" \
    "$bin check --format concise $FLEETS/fleet-100/i00000" > /dev/null 2>&1
  speed=$(python3 -c '
import json, sys
fleet, one = json.load(open(sys.argv[1]))["results"]
print("%.1f ms ± %.1f, %.1f ms | %.1f ms" % (fleet["mean"] * 1e3, fleet["stddev"] * 1e3,
      min(fleet["times"]) * 1e3, one["mean"] * 1e3))' "$OUT/hf-$name.json")
  # (exit status 1: the fleet's planted findings)
  instructions=$({ RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    "$bin" check --format json --output-file /dev/null "$FLEETS/fleet-100" 2>&1 || true; } |
    awk '/Collected/ { printf "%.1f M", $4 / 1e6 }')
  echo "| $lto | $units | $build | $load_before → $load_after | $size | $speed | $instructions |"
done
