#!/usr/bin/env bash
# Throughput and peak RSS of samar beside `cat` and what a user would use instead (ripgrep's
# `rg --passthru -r`, `perl -pe`) with equivalent patterns, on the same generated corpus.
# usage: scripts/bench.sh [SIZE_MB=200] [KIND=mixed]   (corpus is cached in target/bench/)
# KIND: mixed, clean, dense, oneline, jsonl, nginx, logfmt, chat (see scripts/gen_corpus.py).
# SAMAR_BIN=path/to/samar measures that build instead of building this checkout (before/after).
# ripgrep: `cargo install ripgrep` (skipped with a note when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-200}
kind=${2:-mixed}
mkdir -p target/bench
corpus=target/bench/$kind-${size}MB.log
[ -f "$corpus" ] || python3 scripts/gen_corpus.py "$corpus" "$size" --kind "$kind"
if [ -n "${SAMAR_BIN:-}" ]; then
  bin=$SAMAR_BIN
else
  cargo build --release --quiet
  bin=target/release/samar
fi
bytes=$(stat -c %s "$corpus")
echo "machine: $(nproc) cores, $(uname -m); corpus: $corpus ($bytes bytes)"
printf '%-24s %10s %10s %12s\n' tool seconds MB/s peak_RSS_MiB
measure() { # KEY NAME COMMAND...
  local key=$1; shift
  local name=$1; shift
  local best=""
  local rss=0
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' -o target/bench/time.txt "$@" < "$corpus" > /dev/null
    read -r secs kb < target/bench/time.txt
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
    rss=$kb
  done
  awk -v n="$name" -v s="$best" -v b="$bytes" -v k="$rss" \
    'BEGIN{ printf "%-24s %10.2f %10.0f %12.1f\n", n, s, (s>0? b/s/1e6 : 0), k/1024 }'
  printf -v "secs_$key" '%s' "$best"
}
# The patterns a user would write for the same identifiers (no validation, no context rules).
email='[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}'
npwp='\b[0-9]{2}\.[0-9]{3}\.[0-9]{3}\.[0-9]-[0-9]{3}\.[0-9]{3}\b'
card='\b(?:[0-9][ -]?){12,18}[0-9]\b'
phone='(?:\+62|\b62|\b0)8[1-9][0-9 .-]{7,12}[0-9]\b'
intl='\+[1-9][0-9]{0,2}[ .-]?[0-9][0-9 .-]{5,14}[0-9]'
ipv4='\b(?:(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\b'
ipv6='\b(?:[0-9A-Fa-f]{1,4}:){2,7}[0-9A-Fa-f]{1,4}\b'
measure cat "cat (pipe)" sh -c 'cat | cat'
measure s1 "samar -j1" "$bin" -j1
measure sn "samar -j$(nproc)" "$bin" -j"$(nproc)"
rg_bin=$(command -v rg || true)
if [ -n "$rg_bin" ]; then
  measure rg "rg --passthru -r" "$rg_bin" --no-config --passthru -r '[PII]' \
    -e "$email" -e "$npwp" -e "$card" -e "$phone" -e "$intl" -e "$ipv4" -e "$ipv6"
else
  echo "rg (ripgrep) not installed: cargo install ripgrep"
fi
measure perl "perl -pe" perl -pe "s/${email/@/\\@}/[EMAIL]/g; s/$npwp/[NPWP]/g; s/$card/[CARD]/g; s/$phone/[PHONE]/g; s/$intl/[PHONE]/g; s/$ipv4/[IPV4]/g; s/$ipv6/[IPV6]/g"
echo
awk -v s1="${secs_s1:-0}" -v sn="${secs_sn:-0}" -v rg="${secs_rg:-0}" -v pl="${secs_perl:-0}" -v n="$(nproc)" 'BEGIN{
  # Speed ratios (time of the other / time of samar): above 1 samar is faster, below slower.
  if (s1 > 0 && sn > 0) printf "samar -j%d / samar -j1 speed: %.2fx\n", n, s1/sn
  if (s1 > 0 && rg > 0) printf "samar -j1 / rg speed: %.2fx\n", rg/s1
  if (sn > 0 && rg > 0) printf "samar -j%d / rg speed: %.2fx\n", n, rg/sn
  if (s1 > 0 && pl > 0) printf "samar -j1 / perl speed: %.1fx\n", pl/s1
}'
