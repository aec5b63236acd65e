#!/bin/bash
# Runs cchc's fuzz targets: fuzz/run.sh [SECONDS] [TARGET ...] (default 30 s each, all).
# cargo fuzz needs nightly features; on the stable toolchain RUSTC_BOOTSTRAP=1 allows them,
# here only, never in the product's build. --sanitizer none: the product has no unsafe code
# on these paths, and without ASan a run executes several times more inputs.
# The seed corpora are built from the sample workspace and the tests' fixtures each time (no
# large files in git); what a run finds stays in fuzz/corpus and fuzz/artifacts (ignored).
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(workbook plan markdown template signature register)
root=..
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --version 0.13.2
export RUSTC_BOOTSTRAP=1

mkdir -p corpus/{workbook,plan,markdown,template,signature,register}
for f in "$root"/input/2024-Q2/*.xlsx "$root"/input/2024/*.xlsx "$root"/tests/fixtures/* \
  "$root"/tests/fixtures/fuzz/*; do
  [ -f "$f" ] && cp "$f" "corpus/workbook/seed-$(basename "$f")"
done
for f in "$root"/../shared/realworld/*.xls*; do
  [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 1000000 ] && cp "$f" "corpus/workbook/real-$(basename "$f")"
done
cp "$root"/input/ke-hoach.md corpus/plan/seed-ke-hoach.md
cp "$root"/src/new/*.md corpus/plan/ 2>/dev/null || true
for f in "$root"/src/render/templates/*.md; do
  cp "$f" "corpus/template/seed-$(basename "$f")"
  cp "$f" "corpus/markdown/seed-$(basename "$f")"
done
cp "$root"/input/ke-hoach.md corpus/markdown/seed-ke-hoach.md
# A report PDF with its signature field, and a register, made by cchc itself.
if [ ! -f corpus/signature/seed-report.pdf ]; then
  ws=$(mktemp -d)
  cargo build --release --manifest-path "$root/Cargo.toml" -q
  "$root"/target/release/cchc init --mau "$ws/w" >/dev/null 2>&1
  "$root"/target/release/cchc report --thu-muc "$ws/w" --ky 2024-Q2 --so 12 --ngay 2024-06-05 \
    --dinh-dang pdf >/dev/null 2>&1
  cp "$ws"/w/output/2024-Q2/*.pdf corpus/signature/ 2>/dev/null || true
  rm -rf "$ws"
fi
printf '{"phien_ban":1,"van_ban":[]}' > corpus/register/seed-empty.json

status=0
for t in "${targets[@]}"; do
  echo "== $t: $secs s"
  cargo fuzz run --sanitizer none -O "$t" "corpus/$t" -- \
    -max_total_time="$secs" -rss_limit_mb=1024 -timeout=10 -max_len=1048576 \
    -print_final_stats=1 2>&1 |
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE|SUMMARY|panicked|Test unit written|ERROR" || true
  found=$(find "artifacts/$t" -type f \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' \) 2>/dev/null)
  if [ -n "$found" ]; then
    echo "FOUND: $found"
    status=1
  fi
done
exit $status
