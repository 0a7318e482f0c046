#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the shared real-file corpus and the fixtures (small files
# only; the generated corpora are not committed). Run from anywhere: `bash fuzz/seed.sh`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
real="${MAGELINT_CORPUS:-$here/../../shared/corpus/real}"
fixtures="$here/../fixtures"
small() { find "$@" -type f -size -64k ! -name '*.oracle.json' ! -name '*.md' 2>/dev/null; }
for target in php yaml json pipeline; do mkdir -p "$here/corpus/$target"; done
copy() { # copy TARGET FILE...
  local target="$1"; shift
  for f in "$@"; do cp -f "$f" "$here/corpus/$target/seed-$(echo "$f" | md5sum | cut -c1-12)"; done
}
mapfile -t php < <(small "$real" "$fixtures" | grep -E '\.php($|\.)')
mapfile -t yaml < <(small "$real" "$fixtures" | grep -E '\.ya?ml$')
mapfile -t json < <(small "$real" "$fixtures" | grep -E '\.json$')
copy php "${php[@]}"
copy yaml "${yaml[@]}"
copy json "${json[@]}"
# pipeline: one env.php, one config.php and one .magento.env.yaml joined by 0xFF.
for i in 0 1 2 3 4 5; do
  {
    cat "${php[$i]}"; printf '\xff'
    cat "${php[$((i + 6))]}"; printf '\xff'
    cat "${yaml[$i]}"
  } > "$here/corpus/pipeline/seed-joined-$i"
done
for target in php yaml json pipeline; do
  echo "$target: $(ls "$here/corpus/$target" | wc -l) seeds"
done
