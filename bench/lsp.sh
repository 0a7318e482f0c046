#!/usr/bin/env bash
# The editor-latency benchmark of issue #15 (`magelint server`), old and new side by side:
#   - generates fleets of 1, 1,000 and 10,000 installations (gen-fleet, seeded; reused when
#     present; 10,000 is ~455 MB);
#   - for each size, with a warm page cache, runs bench/lsp.py against each binary in turn:
#     open i00000/app/etc/env.php, CHANGES edits of its MAGE_MODE (one every 0.3 s, or when the
#     previous edit's diagnostics arrive if later), time from didChange to publishDiagnostics,
#     and the server's peak RSS;
#   - prints the load average before each run and a side-by-side table at the end.
#
# Usage: bench/lsp.sh [OLD [NEW]]
#   OLD, NEW  magelint binaries (run as `BIN server`); with none, builds the worktree's dist
#             binary and measures it alone. Nothing is built when a binary is given.
# Environment: DIR=/tmp/lspbench (fleets and results), SIZES="1 1000 10000", CHANGES=40,
#   PACE=wait|fixed (see bench/lsp.py), DISK=0 (on-disk changes per run, MS002, with 2+
#   installations), GEN=gen-fleet binary (default $CARGO_TARGET_DIR/dist/examples/gen-fleet, built
#   when absent).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DIR=${DIR:-/tmp/lspbench}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
SIZES=${SIZES:-1 1000 10000}
CHANGES=${CHANGES:-40}
PACE=${PACE:-wait}
DISK=${DISK:-0}
GEN=${GEN:-$TARGET/dist/examples/gen-fleet}
BINS=("$@")
if ((${#BINS[@]} == 0)); then
  cargo build --profile dist --bin magelint >&2
  BINS=("$TARGET/dist/magelint")
fi
if [[ ! -x $GEN ]]; then
  cargo build --profile dist --example gen-fleet >&2
fi
mkdir -p "$DIR/results"
stamp=$(date -u +%Y%m%dT%H%MZ)

echo "# magelint server latency — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
echo "# command: bench/lsp.sh $* (SIZES=\"$SIZES\" CHANGES=$CHANGES PACE=$PACE DISK=$DISK)"
results=()
for n in $SIZES; do
  fleet=$DIR/fleet-$n
  if [[ ! -f $fleet/all-files.txt ]]; then
    rm -rf "$fleet"
    "$GEN" "$fleet" "$n" >&2
  fi
  xargs -d '\n' cat < "$fleet/all-files.txt" > /dev/null # warm the cache
  disk=$DISK
  ((n < 2)) && disk=0
  for k in "${!BINS[@]}"; do
    bin=${BINS[$k]}
    if ((${#BINS[@]} == 2)); then
      label=$( ((k == 0)) && echo OLD || echo NEW)
    else
      label=$(basename "$bin")
    fi
    out=$DIR/results/$stamp-$label-$n.json
    before=$(uptime)
    echo "# $n installations, $label ($bin): $before" >&2
    if python3 bench/lsp.py --magelint "$bin" --label "$label" --changes "$CHANGES" \
      --pace "$PACE" --disk-changes "$disk" --json "$fleet" > "$out"; then
      # The machine is shared: the load averages around the run go with its figures.
      python3 - "$out" "$before" "$(uptime)" << 'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["uptime_before"], r["uptime_after"] = sys.argv[2].strip(), sys.argv[3].strip()
json.dump(r, open(sys.argv[1], "w"), indent=1)
PY
      results+=("$out")
    else
      echo "# FAILED: $label on $n installations" >&2
    fi
  done
done

python3 - "${results[@]}" << 'PY'
import json, sys
runs = [json.load(open(p)) for p in sys.argv[1:]]
labels = list(dict.fromkeys(r["label"] for r in runs))
sizes = list(dict.fromkeys(r["installations"] for r in runs))
by = {(r["label"], r["installations"]): r for r in runs}
head = ["installations"]
for l in labels:
    head += [f"{l} median ms", f"{l} p90 ms", f"{l} min–max ms", f"{l} CPU ms/edit",
             f"{l} peak RSS MiB"]
if any("disk" in r for r in runs):
    head += [f"{l} disk change median ms" for l in labels]
print()
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for n in sizes:
    cells = [f"{n:,}"]
    for l in labels:
        r = by.get((l, n))
        if r is None:
            cells += ["failed"] * 5
            continue
        cells += [f"{r['median_ms']:.0f}", f"{r['p90_ms']:.0f}",
                  f"{r['min_ms']:.0f}–{r['max_ms']:.0f}", f"{r['cpu_ms_per_edit']:.0f}",
                  f"{r['peak_rss_mib']:.0f}"]
    if len(head) > 1 + 5 * len(labels):
        for l in labels:
            d = by.get((l, n), {}).get("disk")
            cells.append(f"{d['median_ms']:.0f}" if d else "–")
    print("| " + " | ".join(cells) + " |")
print()
for r in runs:
    print(f"- {r['label']}, {r['installations']:,} installations: open → first diagnostics "
          f"{r['open_to_first_ms']:.0f} ms, peak RSS then {r['peak_rss_after_open_mib']:.0f} MiB; "
          f"{r['changes']} edits ({r['pace']} pace), "
          f"{r['diagnostics_valid']}/{r['diagnostics_invalid']} diagnostics; "
          f"before: {r['uptime_before']}")
PY
