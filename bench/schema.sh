#!/usr/bin/env bash
# Times `magelint check --select SCH` against `check-jsonschema` on 1,000 small
# .magento.env.yaml files (one per directory, as on disk). Not a test: prints both times.
# Usage: bench/schema.sh [path/to/magelint]   (default: target/debug/magelint)
set -euo pipefail
cd "$(dirname "$0")/.."
MAGELINT=${1:-${CARGO_TARGET_DIR:-target}/debug/magelint}
N=${N:-1000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for i in $(seq 1 "$N"); do
  mkdir -p "$dir/p$i"
  cat > "$dir/p$i/.magento.env.yaml" <<YAML
stage:
  global:
    SCD_STRATEGY: compact
    SKIP_HTML_MINIFICATION: true
  build:
    SCD_THREADS: $((i % 8))
    SCD_COMPRESSION_LEVEL: $((i % 12))
  deploy:
    REDIS_BACKEND: '\Magento\Framework\Cache\Backend\RemoteSynchronizedCache'
    CRON_CONSUMERS_RUNNER:
      cron_run: true
      max_messages: $i
YAML
done
files=("$dir"/p*/.magento.env.yaml)
now() { date +%s.%N; }
t0=$(now)
"$MAGELINT" check --select SCH --format concise --exit-zero "$dir" > "$dir/magelint.out"
t1=$(now)
check-jsonschema --schemafile schemas/magento-env-yaml.schema.json "${files[@]}" > "$dir/cj.out" 2>&1 || true
t2=$(now)
ours=$(echo "$t1 - $t0" | bc -l)
theirs=$(echo "$t2 - $t1" | bc -l)
printf 'files:            %d\n' "$N"
printf 'magelint:         %.3f s  (%s findings)\n' "$ours" "$(grep -c 'SCH' "$dir/magelint.out" || true)"
printf 'check-jsonschema: %.3f s  (%s findings)\n' "$theirs" "$(grep -c 'SCD_COMPRESSION_LEVEL' "$dir/cj.out" || true)"
printf 'ratio:            %.1fx\n' "$(echo "$theirs / $ours" | bc -l)"
